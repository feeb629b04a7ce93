/* test-x-oauth2.c
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

/* The X client's OAuth 2.0 endpoints against the fake X server, whose
 * OAuth 2.0 side is oauthlib's (an implementation independent of ours):
 * the code exchange with PKCE, refresh with rotation, reuse of a spent
 * refresh token, revocation, a public client, and users/me with the
 * user's token. The fake browser plays the person at X's authorize page
 * without following the redirect; the listener has tests of its own. */

#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bh-fake-server.h"
#include "bh-oauth2.h"
#include "bh-test-utils.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

#define REDIRECT_URI BH_OAUTH2_DEFAULT_REDIRECT_URI

typedef struct
{
  BhFakeServer *server;
  BhXClient    *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = bh_fake_server_start ();
  fixture->client = bh_x_client_new (bh_fake_server_get_url (fixture->server), &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->server, bh_fake_server_stop);
}

/* The person authorizes @client_id at the fake X's page; returns the code
 * X's redirect carries (the fake browser does not follow it). */
static BhSecret *
authorize (Fixture    *fixture,
           const char *client_id,
           const char *verifier,
           const char *scopes_text)
{
  g_auto(GStrv) scopes = g_strsplit (scopes_text, " ", -1);
  g_autofree char *challenge = bh_oauth2_pkce_challenge (verifier);
  g_autofree char *state = bh_oauth2_new_state ();
  g_autofree char *url = bh_oauth2_authorize_url (bh_fake_server_get_url (fixture->server), client_id,
                                                  REDIRECT_URI, (const char * const *) scopes,
                                                  state, challenge);
  g_autofree char *result_path = g_build_filename (g_get_user_cache_dir (), "browser-result.json", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) browser = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *params;
  BhSecret *code;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_subprocess_launcher_setenv (launcher, "BH_FAKE_BROWSER_FOLLOW", "0", TRUE);
  g_subprocess_launcher_setenv (launcher, "BH_FAKE_BROWSER_RESULT", result_path, TRUE);
  browser = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3",
                                         g_getenv ("BH_FAKE_BROWSER"), url, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (browser, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (json_parser_load_from_file (parser, result_path, &error));
  g_unlink (result_path);
  params = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "redirect_params");
  g_assert_cmpstr (json_object_get_string_member (params, "state"), ==, state);
  code = bh_secret_dup (json_object_get_string_member (params, "code"));
  g_assert_nonnull (code);

  return code;
}

static BhOAuth2Grant *
exchange (Fixture     *fixture,
          const char  *client_id,
          const char  *client_secret,
          const char  *code,
          const char  *verifier,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_x_client_oauth2_exchange_code_async (fixture->client, client_id, client_secret, code, REDIRECT_URI,
                                          verifier, NULL, bh_test_store_result, &result);
  return bh_x_client_oauth2_exchange_code_finish (fixture->client, bh_test_wait_for_result (&result, 20), error);
}

static BhOAuth2Grant *
refresh (Fixture     *fixture,
         const char  *client_id,
         const char  *client_secret,
         const char  *refresh_token,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_x_client_oauth2_refresh_async (fixture->client, client_id, client_secret, refresh_token,
                                    NULL, bh_test_store_result, &result);
  return bh_x_client_oauth2_refresh_finish (fixture->client, bh_test_wait_for_result (&result, 20), error);
}

static BhXIdentity *
users_me (Fixture     *fixture,
          const char  *access_token,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  BhAuth auth = { .mode = BH_AUTH_BEARER, .bearer = access_token };

  bh_x_client_users_me_async (fixture->client, &auth, NULL, bh_test_store_result, &result);
  return bh_x_client_users_me_finish (fixture->client, bh_test_wait_for_result (&result, 20), error);
}

static void
test_confidential (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(BhSecret) verifier = bh_oauth2_pkce_verifier ();
  g_autoptr(BhSecret) code = authorize (fixture, BH_FAKE_CLIENT_ID, verifier, BH_OAUTH2_DEFAULT_SCOPES);
  g_autoptr(BhOAuth2Grant) grant = NULL;
  g_autoptr(BhOAuth2Grant) rotated = NULL;
  g_autoptr(BhOAuth2Grant) reused = NULL;
  g_autoptr(BhXIdentity) identity = NULL;
  g_autoptr(BhXIdentity) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  grant = exchange (fixture, BH_FAKE_CLIENT_ID, BH_FAKE_CLIENT_SECRET, code, verifier, &error);
  g_assert_no_error (error);
  g_assert_nonnull (grant->refresh_token);
  g_assert_cmpint (grant->expires_at, >, now + 7000);
  g_assert_nonnull (strstr (grant->scopes, "offline.access"));

  identity = users_me (fixture, grant->access_token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (identity);

  /* Refresh rotates: a new refresh token, and the old one is spent. */
  rotated = refresh (fixture, BH_FAKE_CLIENT_ID, BH_FAKE_CLIENT_SECRET, grant->refresh_token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rotated->refresh_token);
  g_assert_cmpstr (rotated->refresh_token, !=, grant->refresh_token);
  g_assert_cmpstr (rotated->access_token, !=, grant->access_token);

  /* Spending it twice ends the whole grant: said as "authorize again". */
  reused = refresh (fixture, BH_FAKE_CLIENT_ID, BH_FAKE_CLIENT_SECRET, grant->refresh_token, &error);
  g_assert_null (reused);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_OAUTH2_GRANT_REFUSED);
  g_assert_nonnull (strstr (error->message, "Authorize the account again"));
  g_clear_error (&error);
  g_assert_true (bh_fake_server_oauth2_reuse_detected (fixture->server));
  after = users_me (fixture, rotated->access_token, &error);
  g_assert_null (after);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Revoking a token X no longer knows is still a success (RFC 7009). */
  bh_x_client_oauth2_revoke_async (fixture->client, BH_FAKE_CLIENT_ID, BH_FAKE_CLIENT_SECRET,
                                   rotated->refresh_token, "refresh_token", NULL, bh_test_store_result, &result);
  g_assert_true (bh_x_client_oauth2_revoke_finish (fixture->client, bh_test_wait_for_result (&result, 20), &error));
  g_assert_no_error (error);

  /* The debug log (enabled here) holds none of the secrets X handed out. */
  {
    g_autofree char *logs = bh_test_take_logs ();

    g_assert_nonnull (strstr (logs, "oauth2/token"));
    bh_fake_server_assert_no_secret_in (fixture->server, logs);
  }
}

static void
test_wrong_client_and_verifier (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(BhSecret) verifier = bh_oauth2_pkce_verifier ();
  g_autoptr(BhSecret) other_verifier = bh_oauth2_pkce_verifier ();
  g_autoptr(BhSecret) code = authorize (fixture, BH_FAKE_CLIENT_ID, verifier, BH_OAUTH2_DEFAULT_SCOPES);
  g_autoptr(BhOAuth2Grant) wrong_secret = NULL;
  g_autoptr(BhOAuth2Grant) no_secret = NULL;
  g_autoptr(BhOAuth2Grant) wrong_verifier = NULL;
  g_autoptr(BhOAuth2Grant) right = NULL;
  g_autoptr(BhOAuth2Grant) again = NULL;
  g_autoptr(BhXIdentity) ended = NULL;
  g_autoptr(GError) error = NULL;

  /* A confidential client's secret is checked: the client is named. */
  wrong_secret = exchange (fixture, BH_FAKE_CLIENT_ID, "not-the-secret", code, verifier, &error);
  g_assert_null (wrong_secret);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_OAUTH2_CLIENT);
  g_assert_nonnull (strstr (error->message, "Client ID"));
  g_clear_error (&error);

  /* ...and X wants it: without Basic, a confidential client is refused. */
  no_secret = exchange (fixture, BH_FAKE_CLIENT_ID, NULL, code, verifier, &error);
  g_assert_null (no_secret);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_OAUTH2_CLIENT);
  g_clear_error (&error);

  /* PKCE: another verifier than the challenge's is refused. */
  wrong_verifier = exchange (fixture, BH_FAKE_CLIENT_ID, BH_FAKE_CLIENT_SECRET, code, other_verifier, &error);
  g_assert_null (wrong_verifier);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_OAUTH2_GRANT_REFUSED);
  g_clear_error (&error);

  /* Refusals did not spend the code. */
  right = exchange (fixture, BH_FAKE_CLIENT_ID, BH_FAKE_CLIENT_SECRET, code, verifier, &error);
  g_assert_no_error (error);
  g_assert_nonnull (right);

  /* It is single-use, and using it again ends what it gave (RFC 6749
   * §4.1.2): said as "authorize again". */
  again = exchange (fixture, BH_FAKE_CLIENT_ID, BH_FAKE_CLIENT_SECRET, code, verifier, &error);
  g_assert_null (again);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_OAUTH2_GRANT_REFUSED);
  g_assert_nonnull (strstr (error->message, "Authorize again"));
  g_clear_error (&error);
  ended = users_me (fixture, right->access_token, &error);
  g_assert_null (ended);
  g_assert_nonnull (error);
}

static void
test_public_client (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(BhSecret) verifier = bh_oauth2_pkce_verifier ();
  g_autoptr(BhSecret) code = authorize (fixture, BH_FAKE_PUBLIC_CLIENT_ID, verifier, "tweet.read users.read");
  g_autoptr(BhOAuth2Grant) grant = NULL;
  g_autoptr(BhXIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  grant = exchange (fixture, BH_FAKE_PUBLIC_CLIENT_ID, NULL, code, verifier, &error);
  g_assert_no_error (error);
  /* Without offline.access there is nothing to refresh with. */
  g_assert_null (grant->refresh_token);
  g_assert_false (bh_oauth2_grant_needs_refresh (grant, G_MAXINT64, 60));

  identity = users_me (fixture, grant->access_token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (identity);
}

static void
test_expired (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(BhSecret) verifier = bh_oauth2_pkce_verifier ();
  g_autoptr(BhSecret) code = NULL;
  g_autoptr(BhOAuth2Grant) grant = NULL;
  g_autoptr(BhOAuth2Grant) fresh = NULL;
  g_autoptr(BhXIdentity) refused = NULL;
  g_autoptr(BhXIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  bh_fake_server_set_oauth2_lifetime (fixture->server, 60);
  code = authorize (fixture, BH_FAKE_CLIENT_ID, verifier, BH_OAUTH2_DEFAULT_SCOPES);
  grant = exchange (fixture, BH_FAKE_CLIENT_ID, BH_FAKE_CLIENT_SECRET, code, verifier, &error);
  g_assert_no_error (error);
  /* Due for a refresh within the minute of margin. */
  g_assert_true (bh_oauth2_grant_needs_refresh (grant, g_get_real_time () / G_USEC_PER_SEC, 60));

  bh_fake_server_advance_oauth2_clock (fixture->server, 120);
  refused = users_me (fixture, grant->access_token, &error);
  g_assert_null (refused);
  g_assert_nonnull (error);
  g_clear_error (&error);

  fresh = refresh (fixture, BH_FAKE_CLIENT_ID, BH_FAKE_CLIENT_SECRET, grant->refresh_token, &error);
  g_assert_no_error (error);
  identity = users_me (fixture, fresh->access_token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (identity);
}

int
main (int    argc,
      char **argv)
{
  bh_test_capture_logs ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/x-oauth2/confidential", test_confidential);
  ADD ("/x-oauth2/wrong-client-and-verifier", test_wrong_client_and_verifier);
  ADD ("/x-oauth2/public-client", test_public_client);
  ADD ("/x-oauth2/expired", test_expired);
#undef ADD

  return g_test_run ();
}
