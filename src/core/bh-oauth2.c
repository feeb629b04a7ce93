/* bh-oauth2.c
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

#include "bh-oauth2.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>
#include <json-glib/json-glib.h>

#include "bh-oauth1.h"
#include "bh-x-error.h"

G_DEFINE_QUARK (bh-oauth2-error-quark, bh_oauth2_error)

/* The grant's keyring value: a version line, then one field a line. */
#define GRANT_FORMAT "birdhouse-oauth2-grant-1"

/* base64url without padding (RFC 7636 §3, RFC 4648 §5) into @out, which
 * holds at least 4 * ((len + 2) / 3) + 1 bytes. */
static void
base64url (const guint8 *data,
           gsize         len,
           char         *out)
{
  gint state = 0, save = 0;
  gsize n;

  n = g_base64_encode_step (data, len, FALSE, out, &state, &save);
  n += g_base64_encode_close (FALSE, out + n, &state, &save);
  while (n > 0 && out[n - 1] == '=')
    n--;
  out[n] = '\0';

  for (char *p = out; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
}

static char *
random_base64url (gnutls_rnd_level_t level,
                  gsize              n_bytes)
{
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  char *out = g_malloc (4 * ((n_bytes + 2) / 3) + 1);

  if (gnutls_rnd (level, bytes, n_bytes) != 0)
    g_error ("The system random number generator failed");

  base64url (bytes, n_bytes, out);
  bh_secret_wipe (bytes, n_bytes);

  return out;
}

/**
 * bh_oauth2_pkce_verifier:
 *
 * A PKCE code verifier: 48 bytes from gnutls_rnd (GNUTLS_RND_RANDOM), as
 * 64 unreserved characters (RFC 7636 §4.1 asks for 43 to 128).
 *
 * Returns: (transfer full): the verifier, a secret until the exchange
 */
BhSecret *
bh_oauth2_pkce_verifier (void)
{
  return random_base64url (GNUTLS_RND_RANDOM, 48);
}

/**
 * bh_oauth2_pkce_challenge:
 * @verifier: a code verifier
 *
 * Returns: (transfer full): BASE64URL (SHA256 (@verifier)), the `S256`
 *   code challenge (RFC 7636 §4.2)
 */
char *
bh_oauth2_pkce_challenge (const char *verifier)
{
  guint8 digest[32];
  char *challenge = g_malloc (44);

  g_return_val_if_fail (verifier != NULL, NULL);

  if (gnutls_hash_fast (GNUTLS_DIG_SHA256, verifier, strlen (verifier), digest) != 0)
    g_error ("GnuTLS could not compute SHA-256");

  base64url (digest, sizeof digest, challenge);
  bh_secret_wipe (digest, sizeof digest);

  return challenge;
}

/**
 * bh_oauth2_new_state:
 *
 * Returns: (transfer full): a `state` for one authorization: 32 random
 *   bytes as 43 unreserved characters (RFC 6749 §10.12)
 */
char *
bh_oauth2_new_state (void)
{
  return random_base64url (GNUTLS_RND_NONCE, 32);
}

/* X's authorize page lives on the web site, not on the API host. */
static char *
authorize_endpoint (const char *api_host)
{
  g_autoptr(GUri) uri = g_uri_parse (api_host, G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (api_host == NULL || host == NULL ||
      g_ascii_strcasecmp (host, "api.x.com") == 0)
    return g_strdup ("https://x.com/i/oauth2/authorize");
  if (g_ascii_strcasecmp (host, "api.twitter.com") == 0)
    return g_strdup ("https://twitter.com/i/oauth2/authorize");

  return g_strconcat (api_host, g_str_has_suffix (api_host, "/") ? "" : "/", "i/oauth2/authorize", NULL);
}

static void
append_query (GString    *url,
              const char *name,
              const char *value)
{
  g_autofree char *encoded = bh_oauth1_percent_encode (value);

  g_string_append_c (url, strchr (url->str, '?') != NULL ? '&' : '?');
  g_string_append (url, name);
  g_string_append_c (url, '=');
  g_string_append (url, encoded);
}

/**
 * bh_oauth2_authorize_url:
 * @api_host: the App's API host (`https://api.x.com` when %NULL)
 * @client_id: the App's OAuth 2.0 Client ID
 * @redirect_uri: exactly as registered in the developer portal
 * @scopes: the scopes to ask for
 * @state: from bh_oauth2_new_state()
 * @code_challenge: from bh_oauth2_pkce_challenge()
 *
 * Returns: (transfer full): the page to open in the browser. It holds no
 *   secret: the verifier stays here, only its hash travels.
 */
char *
bh_oauth2_authorize_url (const char         *api_host,
                         const char         *client_id,
                         const char         *redirect_uri,
                         const char * const *scopes,
                         const char         *state,
                         const char         *code_challenge)
{
  g_autofree char *endpoint = authorize_endpoint (api_host);
  g_autofree char *scope = g_strjoinv (" ", (char **) scopes);
  GString *url = g_string_new (endpoint);

  g_return_val_if_fail (client_id != NULL && redirect_uri != NULL, NULL);
  g_return_val_if_fail (state != NULL && code_challenge != NULL, NULL);

  append_query (url, "response_type", "code");
  append_query (url, "client_id", client_id);
  append_query (url, "redirect_uri", redirect_uri);
  append_query (url, "scope", scope);
  append_query (url, "state", state);
  append_query (url, "code_challenge", code_challenge);
  append_query (url, "code_challenge_method", "S256");

  return g_string_free (url, FALSE);
}

/**
 * bh_oauth2_check_redirect_uri:
 * @redirect_uri: the App's redirect URI
 * @port: (out) (optional): the port to listen on
 * @path: (out) (optional) (transfer full): the path to answer
 * @error: a BH_OAUTH2_ERROR_INVALID_REDIRECT in words
 *
 * A loopback redirect Birdhouse can receive (RFC 8252 §7.3): `http`, the
 * address 127.0.0.1 (X's documents ask for it rather than `localhost`,
 * which a browser may resolve to another address), an explicit port a
 * user may listen on, a path, nothing else.
 */
gboolean
bh_oauth2_check_redirect_uri (const char  *redirect_uri,
                              guint16     *port,
                              char       **path,
                              GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;
  int p;

  uri = redirect_uri != NULL ? g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL) : NULL;
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_INVALID_REDIRECT,
                   /* Translators: %s is the default redirect URI. */
                   _("The redirect URI must look like %s: http, the address 127.0.0.1, a port and a path."),
                   BH_OAUTH2_DEFAULT_REDIRECT_URI);
      return FALSE;
    }

  host = g_uri_get_host (uri);
  if (g_strcmp0 (host, "127.0.0.1") != 0)
    {
      g_set_error (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_INVALID_REDIRECT,
                   /* Translators: %s is the host the person typed. */
                   _("The redirect URI must use the address 127.0.0.1, not “%s”: Birdhouse listens only "
                     "on this computer, and X asks for 127.0.0.1 rather than localhost."),
                   host != NULL ? host : "");
      return FALSE;
    }

  p = g_uri_get_port (uri);
  if (p < 1024 || p > 65535)
    {
      g_set_error_literal (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_INVALID_REDIRECT,
                           _("The redirect URI needs a port from 1024 to 65535, such as 127.0.0.1:8477."));
      return FALSE;
    }

  if (port != NULL)
    *port = (guint16) p;
  if (path != NULL)
    *path = g_strdup (*g_uri_get_path (uri) != '\0' ? g_uri_get_path (uri) : "/");

  return TRUE;
}

/**
 * bh_oauth2_parse_redirect:
 * @redirect: what the browser was sent to: a whole URL (pasted by the
 *   person) or a request target such as `/callback?code=…&state=…`
 * @expected_state: the state of this authorization
 * @error: BH_OAUTH2_ERROR_STATE_MISMATCH (not this authorization's: keep
 *   waiting), _ACCESS_DENIED, _REFUSED or _INVALID_REDIRECT
 *
 * Returns: (transfer full): the authorization code, a secret
 */
BhSecret *
bh_oauth2_parse_redirect (const char  *redirect,
                          const char  *expected_state,
                          GError     **error)
{
  g_autoptr(GPtrArray) params = bh_params_new ();
  g_autofree char *trimmed = NULL;
  gsize trimmed_size;
  const char *query;
  const char *end;
  const char *state, *code, *oauth_error;

  g_return_val_if_fail (expected_state != NULL, NULL);

  /* g_strstrip() moves the text left: the bytes past its new end still
   * hold the tail of the code, so the whole copy is wiped, not strlen(). */
  trimmed = g_strdup (redirect != NULL ? redirect : "");
  trimmed_size = strlen (trimmed);
  g_strstrip (trimmed);
  query = strchr (trimmed, '?');
  if (query == NULL)
    {
      g_set_error_literal (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_INVALID_REDIRECT,
                           _("This is not the address X sent the browser to: it has no code. Copy the whole "
                             "address from the browser’s address bar after you authorized the App."));
      bh_secret_wipe (trimmed, trimmed_size);
      return NULL;
    }
  query++;
  end = strchr (query, '#');

  if (!bh_params_parse_form (params, query, end != NULL ? end - query : -1, NULL))
    {
      g_set_error_literal (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_INVALID_REDIRECT,
                           _("The address the browser was sent to cannot be read."));
      bh_secret_wipe (trimmed, trimmed_size);
      return NULL;
    }
  bh_secret_wipe (trimmed, trimmed_size);

  state = bh_params_get (params, "state");
  if (state == NULL || !bh_secret_equal (state, expected_state))
    {
      g_set_error_literal (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_STATE_MISMATCH,
                           _("This address belongs to another authorization (its state does not match): "
                             "use the one from the browser window Birdhouse opened last."));
      return NULL;
    }

  oauth_error = bh_params_get (params, "error");
  if (oauth_error != NULL)
    {
      g_autofree char *detail = NULL;

      if (g_str_equal (oauth_error, "access_denied"))
        {
          g_set_error_literal (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_ACCESS_DENIED,
                               _("The authorization was cancelled at X: nothing was stored. Authorize again "
                                 "and choose “Authorize app” to give the App access."));
          return NULL;
        }

      detail = bh_x_strip_controls (bh_params_get (params, "error_description") != NULL
                                    ? bh_params_get (params, "error_description") : oauth_error);
      g_set_error (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_REFUSED,
                   /* Translators: %s is X's own reason, in English. */
                   _("X refused the authorization: %s. Check the App’s Client ID, redirect URI and scopes "
                     "in the developer portal."), detail);
      return NULL;
    }

  code = bh_params_get (params, "code");
  if (code == NULL || *code == '\0')
    {
      g_set_error_literal (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_INVALID_REDIRECT,
                           _("The address the browser was sent to has no authorization code."));
      return NULL;
    }

  return bh_secret_dup (code);
}

/**
 * bh_oauth2_grant_free:
 * @grant: (nullable): a grant
 *
 * Frees @grant, wiping its tokens.
 */
void
bh_oauth2_grant_free (BhOAuth2Grant *grant)
{
  if (grant == NULL)
    return;

  bh_secret_clear (&grant->access_token);
  bh_secret_clear (&grant->refresh_token);
  g_free (grant->scopes);
  g_free (grant);
}

/* @sentence: a whole sentence, so that translators never have to fit a
 * reason into a sentence of ours. */
static GError *
malformed (const char *sentence)
{
  return g_error_new_literal (BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_MALFORMED, sentence);
}

/**
 * bh_oauth2_grant_from_token_response:
 * @body: the JSON answer of `POST 2/oauth2/token`
 * @length: its length
 * @now: the time it arrived (seconds since the epoch)
 * @error: a BH_OAUTH2_ERROR_MALFORMED in words
 *
 * Reads an access token response (RFC 6749 §5.1): `token_type` bearer, an
 * `access_token`, and where X gives them `expires_in`, `scope` and a
 * `refresh_token`. json-glib keeps copies of the tokens in memory it frees
 * without wiping; see the README on secrets in memory.
 *
 * Returns: (transfer full): the grant
 */
BhOAuth2Grant *
bh_oauth2_grant_from_token_response (const char  *body,
                                     gsize        length,
                                     gint64       now,
                                     GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(BhOAuth2Grant) grant = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *expires;
  const char *token_type;
  const char *access_token;
  const char *refresh_token;
  const char *scope;

  if (body == NULL || length == 0 || !bh_x_json_depth_ok (body, length, BH_X_JSON_MAX_DEPTH))
    {
      g_propagate_error (error, malformed (_("X’s answer to the token request cannot be used: it is not JSON.")));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, body, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_propagate_error (error, malformed (_("X’s answer to the token request cannot be used: it is not JSON.")));
      return NULL;
    }
  object = json_node_get_object (root);

  token_type = bh_x_json_string_member (object, "token_type");
  if (token_type == NULL || g_ascii_strcasecmp (token_type, "bearer") != 0)
    {
      g_propagate_error (error, malformed (_("X’s answer to the token request cannot be used: it is not a bearer token.")));
      return NULL;
    }

  access_token = bh_x_json_string_member (object, "access_token");
  if (!bh_x_token_is_clean (access_token))
    {
      g_propagate_error (error, malformed (_("X’s answer to the token request cannot be used: it holds no access token.")));
      return NULL;
    }

  grant = g_new0 (BhOAuth2Grant, 1);
  grant->access_token = bh_secret_dup (access_token);

  refresh_token = bh_x_json_string_member (object, "refresh_token");
  if (refresh_token != NULL && *refresh_token != '\0')
    {
      if (!bh_x_token_is_clean (refresh_token))
        {
          g_propagate_error (error, malformed (_("X’s answer to the token request cannot be used: "
                                                  "its refresh token holds spaces or control characters.")));
          return NULL;
        }
      grant->refresh_token = bh_secret_dup (refresh_token);
    }

  expires = json_object_get_member (object, "expires_in");
  if (expires != NULL && JSON_NODE_HOLDS_VALUE (expires) &&
      json_node_get_value_type (expires) == G_TYPE_INT64)
    {
      gint64 seconds = json_node_get_int (expires);

      if (seconds > 0 && seconds < G_GINT64_CONSTANT (10) * 365 * 24 * 3600)
        grant->expires_at = now + seconds;
    }

  scope = bh_x_json_string_member (object, "scope");
  grant->scopes = bh_x_strip_controls (scope != NULL ? scope : "");
  g_strdelimit (grant->scopes, "\n\r\t", ' ');

  return g_steal_pointer (&grant);
}

/**
 * bh_oauth2_grant_serialize:
 * @grant: a grant
 *
 * Returns: (transfer full): the keyring value of @grant, one field a line
 *   (a version line, the access token, the refresh token or an empty line,
 *   the expiry in seconds since the epoch, the scopes)
 */
BhSecret *
bh_oauth2_grant_serialize (const BhOAuth2Grant *grant)
{
  g_return_val_if_fail (grant != NULL && grant->access_token != NULL, NULL);

  return g_strdup_printf ("%s\n%s\n%s\n%" G_GINT64_FORMAT "\n%s", GRANT_FORMAT, grant->access_token,
                          grant->refresh_token != NULL ? grant->refresh_token : "", grant->expires_at,
                          grant->scopes != NULL ? grant->scopes : "");
}

/**
 * bh_oauth2_grant_deserialize:
 * @value: a keyring value from bh_oauth2_grant_serialize()
 * @error: a BH_OAUTH2_ERROR_MALFORMED
 *
 * Returns: (transfer full): the grant
 */
BhOAuth2Grant *
bh_oauth2_grant_deserialize (const char  *value,
                             GError     **error)
{
  g_autoptr(BhOAuth2Grant) grant = NULL;
  const char *fields[5] = { NULL };
  gsize lengths[5] = { 0 };
  const char *p = value;
  guint n = 0;
  char *end = NULL;
  g_autofree char *expiry = NULL;

  for (n = 0; p != NULL && n < G_N_ELEMENTS (fields); n++)
    {
      const char *nl = strchr (p, '\n');

      fields[n] = p;
      lengths[n] = nl != NULL ? (gsize) (nl - p) : strlen (p);
      p = nl != NULL ? nl + 1 : NULL;
    }

  if (n != G_N_ELEMENTS (fields) || p != NULL ||
      lengths[0] != strlen (GRANT_FORMAT) || strncmp (fields[0], GRANT_FORMAT, lengths[0]) != 0 ||
      lengths[1] == 0)
    {
      g_set_error_literal (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_MALFORMED,
                           _("The OAuth 2.0 grant in the keyring cannot be read; authorize the account again."));
      return NULL;
    }

  grant = g_new0 (BhOAuth2Grant, 1);
  grant->access_token = bh_secret_dup_len (fields[1], lengths[1]);
  if (lengths[2] > 0)
    grant->refresh_token = bh_secret_dup_len (fields[2], lengths[2]);
  expiry = g_strndup (fields[3], lengths[3]);
  grant->expires_at = g_ascii_strtoll (expiry, &end, 10);
  if (end == expiry || *end != '\0' || grant->expires_at < 0)
    {
      g_set_error_literal (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_MALFORMED,
                           _("The OAuth 2.0 grant in the keyring cannot be read; authorize the account again."));
      return NULL;
    }
  grant->scopes = g_strndup (fields[4], lengths[4]);

  return g_steal_pointer (&grant);
}

/**
 * bh_oauth2_grant_needs_refresh:
 * @grant: a grant
 * @now: seconds since the epoch
 * @margin: how long before the expiry a token counts as expired (60 s:
 *   long enough for the request that needs it)
 *
 * Returns: %TRUE when the access token expires within @margin and the
 *   grant can be refreshed
 */
gboolean
bh_oauth2_grant_needs_refresh (const BhOAuth2Grant *grant,
                               gint64               now,
                               gint64               margin)
{
  g_return_val_if_fail (grant != NULL, FALSE);

  return grant->refresh_token != NULL && grant->expires_at > 0 && grant->expires_at - margin <= now;
}
