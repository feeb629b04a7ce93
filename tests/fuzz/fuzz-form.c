/* fuzz-form.c: form-encoded answers (request and access token steps) and queries
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

#include "bh-oauth1.h"
#include "fuzz-common.h"

/* Parsing then encoding again gives a form that parses to the same pairs. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) params = bh_params_new ();
  g_autoptr(GPtrArray) again = bh_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *form = NULL;

  if (!bh_params_parse_form (params, (const char *) data, size, &error))
    {
      g_assert_nonnull (error);
      return 0;
    }

  for (guint i = 0; i < params->len; i++)
    {
      BhParam *param = g_ptr_array_index (params, i);

      g_assert_true (g_utf8_validate (param->name, -1, NULL));
      g_assert_true (g_utf8_validate (param->value, -1, NULL));
    }

  form = bh_params_to_form (params);
  g_assert_true (bh_params_parse_form (again, form, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, params->len);
  for (guint i = 0; i < params->len; i++)
    {
      BhParam *a = g_ptr_array_index (params, i);
      BhParam *b = g_ptr_array_index (again, i);

      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpstr (a->value, ==, b->value);
    }

  return 0;
}
