/* fuzz-records.c: the records file, as a hand edit, a crash or another program may leave it
 *
 * Copyright 2026 The Birdhouse authors
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * This program is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program.  If not, see <https://www.gnu.org/licenses/>.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bh-store-private.h"
#include "fuzz-common.h"

/* What reaches a sentence or a terminal: valid UTF-8, no C0/C1 control. */
static void
assert_safe (const char *text)
{
  if (text == NULL)
    return;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
}

static void
assert_apps_safe (GPtrArray *apps)
{
  for (guint i = 0; i < apps->len; i++)
    {
      BhApp *app = g_ptr_array_index (apps, i);
      GListModel *accounts = bh_app_get_accounts (app);

      assert_safe (bh_app_get_id (app));
      assert_safe (bh_app_get_name (app));
      assert_safe (bh_app_get_consumer_key (app));
      assert_safe (bh_app_get_api_host (app));
      for (guint j = 0; j < g_list_model_get_n_items (accounts); j++)
        {
          g_autoptr(BhAccount) account = g_list_model_get_item (accounts, j);

          g_assert_cmpstr (bh_account_get_app_id (account), ==, bh_app_get_id (app));
          assert_safe (bh_account_get_user_id (account));
          assert_safe (bh_account_get_screen_name (account));
          assert_safe (bh_account_get_name (account));
          assert_safe (bh_account_get_access_level (account));
        }
    }
}

/* The input is the text of a records file. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) apps = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  gsize len = 0;

  apps = _bh_store_records_parse ((const char *) data, size, &error);
  if (apps == NULL)
    {
      /* Refused, with a sentence fit to show. */
      g_assert_nonnull (error);
      g_assert_true (error->domain == BH_STORE_ERROR);
      g_assert_true (error->code == BH_STORE_ERROR_RECORDS_DAMAGED || error->code == BH_STORE_ERROR_LIMIT);
      assert_safe (error->message);
      return 0;
    }

  g_assert_no_error (error);
  assert_apps_safe (apps);

  /* What was read is written back, and reads again to the same Apps. */
  text = _bh_store_records_serialize (apps, &len);
  again = _bh_store_records_parse (text, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_cmpuint (again->len, ==, apps->len);
  text_again = _bh_store_records_serialize (again, NULL);
  g_assert_cmpstr (text, ==, text_again);

  return 0;
}
