/* bh-x-auth.c
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

#include "bh-x-auth.h"

#include <string.h>

#include "bh-oauth1.h"
#include "bh-secret.h"
#include "bh-x-client-private.h"
#include "bh-x-error.h"

/* RFC 6749 §2.3.1: "The client identifier is encoded using the
 * application/x-www-form-urlencoded encoding algorithm […] and the encoded
 * value is used as the username; the client password is encoded using the
 * same algorithm and used as the password." X's documentation instead
 * says "URL encode the consumer key and the consumer secret according to
 * RFC 1738".
 *
 * Birdhouse sends the form encoding of RFC 6749 (the HTML/WHATWG
 * urlencoded serializer: ALPHA DIGIT * - . _ kept, space as '+', every
 * other byte of the UTF-8 text as %XX), because that is what OAuth 2.0
 * servers decode: they form-decode each half (unquote_plus in our fake
 * server), and a literal '+' in a key sent RFC 1738-style would come back
 * as a space. For the keys X actually issues (letters and digits) the two
 * encodings give the same bytes, so nothing changes against X. */
static char *
form_encode_component (const char *text)
{
  static const char hex[] = "0123456789ABCDEF";
  gsize len = strlen (text);
  char *out = g_malloc (len * 3 + 1);
  char *o = out;

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '*' || *p == '-' || *p == '.' || *p == '_')
        {
          *o++ = (char) *p;
        }
      else if (*p == ' ')
        {
          *o++ = '+';
        }
      else
        {
          *o++ = '%';
          *o++ = hex[*p >> 4];
          *o++ = hex[*p & 0xf];
        }
    }
  *o = '\0';

  return out;
}

/**
 * bh_x_basic_authorization:
 * @consumer_key: the API key
 * @consumer_secret: the API key secret
 *
 * The value of the Authorization header for HTTP Basic client
 * credentials, "Basic base64(enc(key):enc(secret))" with the form
 * encoding of RFC 6749 §2.3.1 on both halves.
 *
 * Returns: (transfer full): "Basic …", a secret to free with
 *   bh_secret_free()
 */
char *
bh_x_basic_authorization (const char *consumer_key,
                          const char *consumer_secret)
{
  g_autoptr(BhSecret) key = NULL;
  g_autoptr(BhSecret) secret = NULL;
  g_autoptr(BhSecret) joined = NULL;
  g_autoptr(BhSecret) encoded = NULL;

  g_return_val_if_fail (consumer_key != NULL, NULL);
  g_return_val_if_fail (consumer_secret != NULL, NULL);

  key = form_encode_component (consumer_key);
  secret = form_encode_component (consumer_secret);
  joined = g_strconcat (key, ":", secret, NULL);
  encoded = g_base64_encode ((const guchar *) joined, strlen (joined));

  return g_strconcat ("Basic ", encoded, NULL);
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/**
 * _bh_x_authorization:
 * @auth: (nullable): who signs
 * @method: the upper-case method
 * @url: the absolute URL, its query included
 * @body: (nullable): the form body's BhParams, signed with OAuth 1.0a
 * @oauth_extra: (nullable): extra oauth_* parameters to sign
 * @clock_offset: seconds added to the local clock to sign
 * @value: (out): the Authorization header's value, a secret; NULL for
 *   %BH_AUTH_NONE
 * @param_string: (out): with @auth's explain and an OAuth 1.0a mode, the
 *   normalized parameter string; left alone otherwise
 * @base_string: (out): likewise, the signature base string
 * @error: BH_X_ERROR_BAD_AUTH_DATA when a credential the mode needs is
 *   missing
 *
 * Returns: %TRUE unless @auth cannot sign
 */
gboolean
_bh_x_authorization (const BhAuth  *auth,
                     const char    *method,
                     const char    *url,
                     GPtrArray     *body,
                     GPtrArray     *oauth_extra,
                     gint64         clock_offset,
                     char         **value,
                     char         **param_string,
                     char         **base_string,
                     GError       **error)
{
  *value = NULL;

  if (auth == NULL)
    return TRUE;

  switch (auth->mode)
    {
    case BH_AUTH_OAUTH1_CONSUMER:
    case BH_AUTH_OAUTH1_USER:
      {
        BhOAuth1Request oauth_request = { 0, };
        BhOAuth1Credentials credentials = { 0, };
        g_autoptr(GError) local_error = NULL;
        gboolean user = auth->mode == BH_AUTH_OAUTH1_USER;

        if (!has_text (auth->consumer_key) || !has_text (auth->consumer_secret) ||
            (user && (!has_text (auth->token) || auth->token_secret == NULL)))
          break;

        oauth_request.method = method;
        oauth_request.url = url;
        oauth_request.body = body;
        oauth_request.oauth_extra = oauth_extra;
        oauth_request.nonce = auth->nonce;
        /* A caller's timestamp is used as is (to reproduce a signature, or
         * to test X's replay and clock checks); otherwise signed with X's
         * time when our clock is known to be off. */
        if (auth->timestamp != 0)
          oauth_request.timestamp = auth->timestamp;
        else
          oauth_request.timestamp = g_get_real_time () / G_USEC_PER_SEC + clock_offset;

        credentials.consumer_key = auth->consumer_key;
        credentials.consumer_secret = auth->consumer_secret;
        credentials.token = user ? auth->token : NULL;
        credentials.token_secret = user ? auth->token_secret : NULL;

        *value = bh_oauth1_sign (&oauth_request, &credentials,
                                 auth->explain ? param_string : NULL,
                                 auth->explain ? base_string : NULL,
                                 &local_error);
        if (*value == NULL)
          {
            g_propagate_error (error, bh_x_error_from_transport (local_error));
            return FALSE;
          }
        return TRUE;
      }

    case BH_AUTH_BEARER:
      if (!has_text (auth->bearer))
        break;
      *value = g_strconcat ("Bearer ", auth->bearer, NULL);
      return TRUE;

    case BH_AUTH_BASIC:
      if (!has_text (auth->consumer_key) || !has_text (auth->consumer_secret))
        break;
      *value = bh_x_basic_authorization (auth->consumer_key, auth->consumer_secret);
      return TRUE;

    case BH_AUTH_NONE:
    default:
      return TRUE;
    }

  g_propagate_error (error, bh_x_error_new (BH_X_ERROR_BAD_AUTH_DATA));
  return FALSE;
}
