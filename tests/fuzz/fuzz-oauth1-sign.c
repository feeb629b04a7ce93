/* fuzz-oauth1-sign.c: signing whatever URL, method and parameters a caller passes
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

/* Lines: the method, the URL, then a form body; a line starting with
 * "oauth_" adds an extra protocol parameter. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = bh_fuzz_string (data, size);
  g_auto(GStrv) lines = g_strsplit (text, "\n", 4);
  g_autoptr(GPtrArray) body = bh_params_new ();
  g_autoptr(GPtrArray) extra = bh_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *header = NULL;
  g_autofree char *param_string = NULL;
  g_autofree char *base_string = NULL;
  BhOAuth1Credentials credentials = {
    .consumer_key = "xvz1evFS4wEEPTGEFPHBog",
    .consumer_secret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
    .token = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    .token_secret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
  };
  BhOAuth1Request request = {
    .method = lines[0] != NULL ? lines[0] : "GET",
    .url = lines[0] != NULL && lines[1] != NULL ? lines[1] : "https://api.x.com/",
    .nonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
    .timestamp = 1318622958,
  };

  if (g_strv_length (lines) > 2 && !bh_params_parse_form (body, lines[2], -1, NULL))
    return 0;
  if (g_strv_length (lines) > 3 && g_str_has_prefix (lines[3], "oauth_") &&
      !bh_params_parse_form (extra, lines[3], -1, NULL))
    return 0;
  request.body = body;
  request.oauth_extra = extra;

  header = bh_oauth1_sign (&request, &credentials, &param_string, &base_string, &error);
  if (header == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (header, "OAuth "));
  g_assert_nonnull (strstr (header, "oauth_signature=\""));
  /* The base string is METHOD&URI&PARAMS, each percent-encoded: exactly
   * two unencoded '&'. */
  {
    guint amps = 0;

    for (const char *p = base_string; *p != '\0'; p++)
      amps += *p == '&';
    g_assert_cmpuint (amps, ==, 2);
  }

  return 0;
}
