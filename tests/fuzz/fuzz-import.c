/* fuzz-import.c
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

#include "bh-import.h"
#include "fuzz-common.h"

/* What reaches a sentence, the import dialog or a terminal: valid UTF-8,
 * no C0/C1 control. */
static void
assert_safe (const char *text)
{
  if (text == NULL)
    return;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
}

/* The input is a twurl (~/.twurlrc) or xurl (~/.xurl) file, which
 * `birdhouse import` and the window's import read from the user's home:
 * the first byte picks which. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  BhImportSource source;

  if (size == 0)
    return 0;

  source = (data[0] & 1) ? BH_IMPORT_SOURCE_XURL : BH_IMPORT_SOURCE_TWURL;
  items = bh_import_parse (source, (const char *) data + 1, size - 1, &error);
  if (items == NULL)
    {
      /* Refused, with a sentence fit to show. */
      g_assert_true (g_error_matches (error, BH_IMPORT_ERROR, BH_IMPORT_ERROR_DAMAGED) ||
                     g_error_matches (error, BH_IMPORT_ERROR, BH_IMPORT_ERROR_EMPTY) ||
                     g_error_matches (error, BH_IMPORT_ERROR, BH_IMPORT_ERROR_WRONG_TOOL));
      assert_safe (error->message);
      return 0;
    }

  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      const BhImportItem *item = g_ptr_array_index (items, i);
      g_autofree char *what = bh_import_item_what (item);
      g_autofree char *outcome = bh_import_item_outcome (item);
      g_autofree char *line = bh_import_item_describe (item);

      assert_safe (what);
      assert_safe (outcome);
      assert_safe (line);
      assert_safe (item->label);
      assert_safe (item->screen_name);
      assert_safe (item->consumer_key);
      assert_safe (item->client_id);
    }

  return 0;
}
