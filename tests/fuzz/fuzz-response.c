/* fuzz-response.c: X's answers, read as each endpoint reads them
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

#include "bh-secret.h"
#include "bh-x-client-private.h"
#include "bh-x-error.h"
#include "fuzz-common.h"

/* What reaches a label or a terminal: valid UTF-8 with no C0 or C1
 * control (a value is one line: no line break either), no DEL, and no
 * bidirectional mark, override or isolate that reorders the line. */
static void
assert_clean (const char *text,
              gboolean    allow_newline)
{
  if (text == NULL)
    return;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_true ((allow_newline && c == '\n') ||
                     (c >= 0x20 && c != 0x7f && (c < 0x80 || c > 0x9f)));
      g_assert_false ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
                      c == 0x200e || c == 0x200f || c == 0x061c);
    }
}

static void
assert_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == BH_X_ERROR);
  assert_clean (error->message, TRUE);
}

static void
check_token_pair (BhXTokenPair *pair,
                  GError       *error,
                  gboolean      need_secret)
{
  if (pair == NULL)
    {
      assert_error (error);
      return;
    }

  g_assert_no_error (error);
  g_assert_nonnull (pair->token);
  g_assert_cmpstr (pair->token, !=, "");
  g_assert_nonnull (pair->token_secret);
  if (need_secret)
    g_assert_cmpstr (pair->token_secret, !=, "");
  assert_clean (pair->token, FALSE);
  assert_clean (pair->token_secret, FALSE);
  assert_clean (pair->user_id, FALSE);
  assert_clean (pair->screen_name, FALSE);
  bh_x_token_pair_free (pair);
}

static void
check_identity (BhXIdentity *identity,
                GError      *error)
{
  if (identity == NULL)
    {
      assert_error (error);
      return;
    }

  g_assert_no_error (error);
  /* Who the account is: the store keys it by id and shows the name. */
  g_assert_nonnull (identity->user_id);
  g_assert_cmpstr (identity->user_id, !=, "");
  g_assert_nonnull (identity->screen_name);
  g_assert_cmpstr (identity->screen_name, !=, "");
  assert_clean (identity->user_id, FALSE);
  assert_clean (identity->screen_name, FALSE);
  assert_clean (identity->name, FALSE);
  assert_clean (identity->access_level, FALSE);
  bh_x_identity_free (identity);
}

/* A status line and headers, then the body: "HTTP/1.1 200 OK\r\n…\r\n\r\n…".
 * Returns NULL when @data does not start with a head libsoup accepts. */
static BhXResponse *
response_from_http (const char *data,
                    gsize       size)
{
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *reason = NULL;
  const char *end;
  guint status;

  end = g_strstr_len (data, size, "\r\n\r\n");
  if (end == NULL)
    return NULL;

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  if (!soup_headers_parse_response (data, end + 2 - data, headers, NULL, &status, &reason))
    return NULL;

  end += 4;
  body = g_bytes_new (end, size - (end - data));

  return _bh_x_response_new (status, reason, headers, body);
}

/* The input is a whole HTTP answer when it starts with "HTTP/", else only
 * a body, answered 200. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BhXResponse) response = NULL;
  g_autoptr(BhXResponse) copy = NULL;
  const char *text = (const char *) data;

  if (size >= 5 && memcmp (data, "HTTP/", 5) == 0)
    response = response_from_http (text, size);
  if (response == NULL)
    response = bh_x_response_new_for_body (200, size % 2 ? "text/html" : "application/json", text, size);

  g_assert_nonnull (response);
  g_assert_nonnull (response->body);
  g_assert_true (response->form == NULL || response->json == NULL);

  /* Whatever the status, the parsers only read. */
  {
    g_autoptr(GError) error = NULL;
    BhXTokenPair *pair = _bh_x_parse_request_token (response, &error);

    check_token_pair (pair, error, FALSE);
  }
  {
    g_autoptr(GError) error = NULL;
    BhXTokenPair *pair = _bh_x_parse_access_token (response, &error);

    check_token_pair (pair, error, TRUE);
  }
  {
    g_autoptr(GError) error = NULL;
    BhXIdentity *identity = _bh_x_parse_verify_credentials (response, &error);

    check_identity (identity, error);
  }
  {
    g_autoptr(GError) error = NULL;
    BhXIdentity *identity = _bh_x_parse_users_me (response, &error);

    check_identity (identity, error);
  }
  {
    g_autoptr(GError) error = NULL;
    char *bearer = _bh_x_parse_bearer_token (response, &error);

    if (bearer == NULL)
      assert_error (error);
    else
      {
        g_assert_no_error (error);
        g_assert_cmpstr (bearer, !=, "");
        assert_clean (bearer, FALSE);
        bh_secret_free (bearer);
      }
  }
  /* The invalidate endpoints: success is any 2xx; anything else is an
   * error with a sentence. */
  {
    g_autoptr(GError) error = NULL;

    if (bh_x_response_check (response, &error))
      {
        g_assert_no_error (error);
        g_assert_cmpuint (response->status / 100, ==, 2);
      }
    else
      {
        assert_error (error);
      }
  }

  copy = bh_x_response_copy (response);
  g_assert_true (g_bytes_equal (copy->body, response->body));

  return 0;
}
