/* fuzz-oauth2.c: redirects, token answers and stored grants
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

#include "bh-oauth2.h"
#include "fuzz-common.h"

/* The same bytes as a redirect (pasted by a person or sent to the
 * listener), a token answer from X, and a keyring value. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = bh_fuzz_string (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) code = NULL;
  g_autoptr(BhOAuth2Grant) grant = NULL;
  g_autoptr(BhOAuth2Grant) stored = NULL;

  code = bh_oauth2_parse_redirect (text, "S1", &error);
  g_assert_true ((code == NULL) != (error == NULL));
  g_clear_error (&error);

  grant = bh_oauth2_grant_from_token_response ((const char *) data, size, 1000, &error);
  g_assert_true ((grant == NULL) != (error == NULL));
  g_clear_error (&error);
  if (grant != NULL)
    {
      g_autoptr(BhSecret) value = bh_oauth2_grant_serialize (grant);
      g_autoptr(BhOAuth2Grant) back = bh_oauth2_grant_deserialize (value, &error);

      /* What X sends and the keyring keeps comes back whole. */
      {
          g_assert_no_error (error);
          g_assert_cmpstr (back->access_token, ==, grant->access_token);
          g_assert_cmpstr (back->refresh_token, ==, grant->refresh_token);
          g_assert_cmpint (back->expires_at, ==, grant->expires_at);
          g_assert_cmpstr (back->scopes, ==, grant->scopes);
        }
      g_clear_error (&error);
    }

  stored = bh_oauth2_grant_deserialize (text, &error);
  g_assert_true ((stored == NULL) != (error == NULL));

  return 0;
}
