/* test-x-client.c
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
#include <locale.h>

#include "bh-fake-server.h"
#include "bh-oauth1.h"
#include "bh-secret.h"
#include "bh-test-utils.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

/* BhXClient against the fake X server, which checks every signature with
 * oauthlib: happy paths of every endpoint, every error mapping the server
 * can produce, and the transport failures. */

#define WAIT_SECONDS 30

static BhFakeServer *server;

typedef struct
{
  BhXClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  bh_fake_server_control (server, "/_fake/reset", NULL);
  g_free (bh_test_take_logs ());
  fixture->client = bh_x_client_new (bh_fake_server_get_url (server), &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->client);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *logs = NULL;

  g_assert_finalize_object (fixture->client);

  /* The client's log, debug messages included, holds none of the secrets
   * X handed out since the last reset. */
  logs = bh_test_take_logs ();
  bh_fake_server_assert_no_secret_in (server, logs);
}

/* Synchronous wrappers: the async call, then the main loop until done. */

static BhXResponse *
request_sync (BhXClient    *client,
              const char   *method,
              const char   *url,
              GPtrArray    *params,
              const BhAuth *auth,
              GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_x_client_request_async (client, method, url, params, NULL, auth, NULL,
                             bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  return bh_x_client_request_finish (client, result, error);
}

static BhXTokenPair *
request_token_sync (BhXClient   *client,
                    const char  *key,
                    const char  *secret,
                    const char  *access_type,
                    GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_x_client_request_token_async (client, key, secret, access_type, NULL,
                                   bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  return bh_x_client_request_token_finish (client, result, error);
}

static BhXTokenPair *
access_token_sync (BhXClient          *client,
                   const BhXTokenPair *request_token,
                   const char         *pin,
                   GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_x_client_access_token_async (client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                                  request_token, pin, NULL,
                                  bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  return bh_x_client_access_token_finish (client, result, error);
}

static BhXIdentity *
verify_sync (BhXClient    *client,
             const BhAuth *auth,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_x_client_verify_credentials_async (client, auth, NULL,
                                        bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  return bh_x_client_verify_credentials_finish (client, result, error);
}

static BhXIdentity *
users_me_sync (BhXClient    *client,
               const BhAuth *auth,
               GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_x_client_users_me_async (client, auth, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  return bh_x_client_users_me_finish (client, result, error);
}

static char *
bearer_sync (BhXClient   *client,
             const char  *key,
             const char  *secret,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_x_client_bearer_token_async (client, key, secret, NULL,
                                  bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  return bh_x_client_bearer_token_finish (client, result, error);
}

static gboolean
invalidate_bearer_sync (BhXClient    *client,
                        const BhAuth *auth,
                        const char   *bearer,
                        GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_x_client_invalidate_bearer_async (client, auth, bearer, NULL,
                                       bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  return bh_x_client_invalidate_bearer_finish (client, result, error);
}

static gboolean
invalidate_token_sync (BhXClient    *client,
                       const BhAuth *auth,
                       GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_x_client_invalidate_token_async (client, auth, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  return bh_x_client_invalidate_token_finish (client, result, error);
}

/* The PIN as the fake server issued it for @request_token, authorized as
 * @screen_name (what the browser would have shown). */
static char *
fake_pin (const char *request_token,
          const char *screen_name)
{
  g_autofree char *path = g_strdup_printf ("/_fake/verifier?oauth_token=%s&screen_name=%s",
                                           request_token, screen_name);
  g_autoptr(JsonNode) node = bh_fake_server_get_json (server, path);
  JsonObject *object = json_node_get_object (node);

  g_assert_true (json_object_get_boolean_member (object, "ok"));
  return bh_secret_dup (json_object_get_string_member (object, "oauth_verifier"));
}

/* The whole PIN flow, for tests that need a user token. */
static BhXTokenPair *
authorize (BhXClient  *client,
           const char *screen_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXTokenPair) request_token = NULL;
  g_autoptr(BhSecret) pin = NULL;
  BhXTokenPair *access_token;

  request_token = request_token_sync (client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                                      NULL, &error);
  g_assert_no_error (error);
  pin = fake_pin (request_token->token, screen_name);
  access_token = access_token_sync (client, request_token, pin, &error);
  g_assert_no_error (error);
  g_assert_nonnull (access_token);

  return access_token;
}

static BhAuth
user_auth (const BhXTokenPair *pair)
{
  BhAuth auth = {
    .mode = BH_AUTH_OAUTH1_USER,
    .consumer_key = BH_FAKE_CONSUMER_KEY,
    .consumer_secret = BH_FAKE_CONSUMER_SECRET,
    .token = pair->token,
    .token_secret = pair->token_secret,
  };

  return auth;
}

static gint64
state_count (const char *path)
{
  g_autoptr(JsonNode) state = bh_fake_server_get_json (server, "/_fake/state");
  JsonObject *counts = json_object_get_object_member (json_node_get_object (state), "counts");

  return json_object_get_int_member_with_default (counts, path, 0);
}

/* An error a person can read: a sentence, no format leftovers. */
static void
assert_sentence (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (g_unichar_isupper (g_utf8_get_char (error->message)));
  g_assert_true (g_str_has_suffix (error->message, ".") ||
                 g_str_has_suffix (error->message, "”"));
  g_assert_null (strstr (error->message, "%"));
}

/* Tests */

static void
test_check_url (void)
{
  const struct {
    const char *url;
    int         expected; /* -1: accepted */
  } cases[] = {
    { "https://api.x.com", -1 },
    { "https://api.twitter.com/1.1/account/verify_credentials.json?a=b", -1 },
    { "HTTPS://API.X.COM:443/", -1 },
    { "http://127.0.0.1:8080/x", -1 },
    { "http://127.45.6.7/x", -1 },
    { "http://[::1]:9000/x", -1 },
    { "http://localhost:1234/", -1 },
    { "http://LocalHost/", -1 },
    { "http://api.x.com/", BH_X_ERROR_INSECURE_URL },
    { "http://10.0.0.1/", BH_X_ERROR_INSECURE_URL },
    { "http://128.0.0.1/", BH_X_ERROR_INSECURE_URL },
    { "http://127.0.0.1.example.com/", BH_X_ERROR_INSECURE_URL },
    { "http://localhost.example.com/", BH_X_ERROR_INSECURE_URL },
    { "http://[::ffff:127.0.0.1]/", BH_X_ERROR_INSECURE_URL },
    { "ftp://api.x.com/", BH_X_ERROR_INVALID_URL },
    { "file:///etc/passwd", BH_X_ERROR_INVALID_URL },
    { "api.x.com", BH_X_ERROR_INVALID_URL },
    { "", BH_X_ERROR_INVALID_URL },
    { "https://", BH_X_ERROR_INVALID_URL },
    { "https://user:pass@api.x.com/", BH_X_ERROR_INVALID_URL },
    { "https://exa mple.com/", BH_X_ERROR_INVALID_URL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = bh_x_check_url (cases[i].url, &error);

      g_test_message ("%s", cases[i].url);
      if (cases[i].expected < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_error (error, BH_X_ERROR, cases[i].expected);
          g_assert_false (ok);
          assert_sentence (error);
        }
    }
}

static void
test_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXClient) client = NULL;
  BhXClient *refused;

  client = bh_x_client_new ("https://api.x.com/", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bh_x_client_get_api_host (client), ==, "https://api.x.com");
  g_assert_cmpint (bh_x_client_get_clock_offset (client), ==, 0);
  g_assert_false (bh_x_client_get_clock_skew (client, NULL));

  refused = bh_x_client_new ("http://api.x.com", &error);
  g_assert_null (refused);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_INSECURE_URL);
  g_clear_error (&error);

  refused = bh_x_client_new ("gopher://api.x.com", &error);
  g_assert_null (refused);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_INVALID_URL);
}

static void
test_authorize_url (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *plain = NULL;
  g_autofree char *forced = NULL;
  g_autofree char *expected = NULL;

  plain = bh_x_client_authorize_url (fixture->client, "abcDEF123", FALSE, NULL);
  expected = g_strdup_printf ("%s/oauth/authorize?oauth_token=abcDEF123",
                              bh_fake_server_get_url (server));
  g_assert_cmpstr (plain, ==, expected);

  forced = bh_x_client_authorize_url (fixture->client, "abcDEF123", TRUE, "@Carol Ü");
  g_free (expected);
  expected = g_strdup_printf ("%s/oauth/authorize?oauth_token=abcDEF123&force_login=true&screen_name=Carol%%20%%C3%%9C",
                              bh_fake_server_get_url (server));
  g_assert_cmpstr (forced, ==, expected);
}

static void
test_pin_flow (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXTokenPair) request_token = NULL;
  g_autoptr(BhXTokenPair) access_token = NULL;
  g_autoptr(BhXIdentity) identity = NULL;
  g_autoptr(BhXIdentity) me = NULL;
  g_autoptr(BhXIdentity) revoked = NULL;
  g_autoptr(BhSecret) pin = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *authorize_url = NULL;
  g_autofree char *page = NULL;
  JsonArray *names;
  gboolean have_callback = FALSE;
  BhAuth auth;

  request_token = request_token_sync (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                                      "read", &error);
  g_assert_no_error (error);
  g_assert_nonnull (request_token->token);
  g_assert_nonnull (request_token->token_secret);
  g_assert_cmpuint (strlen (request_token->token), >=, 20);

  /* oauth_callback went in the signed header. */
  state = bh_fake_server_get_json (server, "/_fake/state");
  names = json_object_get_array_member (json_object_get_object_member (json_node_get_object (state),
                                                                       "last_oauth_param_names"),
                                        "/oauth/request_token");
  for (guint i = 0; i < json_array_get_length (names); i++)
    if (g_strcmp0 (json_array_get_string_element (names, i), "oauth_callback") == 0)
      have_callback = TRUE;
  g_assert_true (have_callback);

  /* The consent page knows the request token. */
  authorize_url = bh_x_client_authorize_url (fixture->client, request_token->token, FALSE, NULL);
  page = bh_fake_server_get (server, authorize_url + strlen (bh_fake_server_get_url (server)));
  g_assert_nonnull (strstr (page, "Authorize app"));

  pin = fake_pin (request_token->token, "alice");
  access_token = access_token_sync (fixture->client, request_token, pin, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (access_token->user_id, ==, "1001");
  g_assert_cmpstr (access_token->screen_name, ==, "alice");
  g_assert_true (g_str_has_prefix (access_token->token, "1001-"));
  g_assert_nonnull (access_token->token_secret);

  auth = user_auth (access_token);
  identity = verify_sync (fixture->client, &auth, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity->user_id, ==, "1001");
  g_assert_cmpstr (identity->screen_name, ==, "alice");
  g_assert_cmpstr (identity->name, ==, "Alice Example");
  g_assert_cmpstr (identity->access_level, ==, "read");
  g_assert_cmpint (identity->rate_limit_limit, ==, 75);
  g_assert_cmpint (identity->rate_limit_remaining, ==, 74);
  g_assert_cmpint (identity->rate_limit_reset, >, g_get_real_time () / G_USEC_PER_SEC);

  me = users_me_sync (fixture->client, &auth, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (me->user_id, ==, "1001");
  g_assert_cmpstr (me->screen_name, ==, "alice");
  g_assert_cmpstr (me->access_level, ==, "read");
  g_assert_cmpint (me->rate_limit_limit, ==, 75);

  /* Every answer carried a Date. */
  g_assert_true (bh_x_client_get_clock_skew (fixture->client, NULL));

  g_assert_true (invalidate_token_sync (fixture->client, &auth, &error));
  g_assert_no_error (error);

  /* X now answers 89 for that token. */
  revoked = verify_sync (fixture->client, &auth, &error);
  g_assert_null (revoked);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_INVALID_TOKEN);
  g_assert_cmpint (bh_x_error_get_x_code (error), ==, 89);
  g_assert_cmpstr (error->message, ==, "The access token is invalid or has been revoked. Authorize the account again.");
}

static void
test_users_me_unicode (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(BhXTokenPair) carol = authorize (fixture->client, "carol");
  g_autoptr(BhXIdentity) me = NULL;
  g_autoptr(GError) error = NULL;
  BhAuth auth = user_auth (carol);

  me = users_me_sync (fixture->client, &auth, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (me->user_id, ==, "1003");
  g_assert_cmpstr (me->name, ==, "Carol Ü Ñ 日本");
  g_assert_cmpstr (me->access_level, ==, "read-write");
}

static void
test_wrong_pin_and_dead_token (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXTokenPair) request_token = NULL;
  g_autoptr(BhXTokenPair) refused = NULL;
  g_autoptr(BhXTokenPair) dead = NULL;
  g_autoptr(BhSecret) pin = NULL;
  g_autoptr(BhXTokenPair) access_token = NULL;
  g_autofree char *wrong = NULL;

  request_token = request_token_sync (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                                      NULL, &error);
  g_assert_no_error (error);
  pin = fake_pin (request_token->token, "bob");
  /* A different 7-digit PIN. */
  wrong = g_strdup (pin);
  wrong[0] = wrong[0] == '9' ? '0' : wrong[0] + 1;

  refused = access_token_sync (fixture->client, request_token, wrong, &error);
  g_assert_null (refused);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_INVALID_PIN);
  assert_sentence (error);
  g_clear_error (&error);

  /* The right one still works after one wrong try. */
  access_token = access_token_sync (fixture->client, request_token, pin, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (access_token->screen_name, ==, "bob");

  /* A used request token is dead. */
  dead = access_token_sync (fixture->client, request_token, pin, &error);
  g_assert_null (dead);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_INVALID_REQUEST_TOKEN);
  assert_sentence (error);
}

static void
test_expired_request_token (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXTokenPair) request_token = NULL;
  g_autoptr(BhXTokenPair) refused = NULL;
  g_autoptr(BhSecret) pin = NULL;

  request_token = request_token_sync (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                                      NULL, &error);
  g_assert_no_error (error);
  pin = fake_pin (request_token->token, "alice");
  bh_fake_server_control (server, "/_fake/expire-request-tokens", NULL);

  refused = access_token_sync (fixture->client, request_token, pin, &error);
  g_assert_null (refused);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_INVALID_REQUEST_TOKEN);
}

static void
test_bad_consumer (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXTokenPair) pair = NULL;
  g_autoptr(BhXTokenPair) suspended = NULL;

  pair = request_token_sync (fixture->client, BH_FAKE_CONSUMER_KEY, "not-the-secret", NULL, &error);
  g_assert_null (pair);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_COULD_NOT_AUTHENTICATE);
  g_assert_cmpint (bh_x_error_get_x_code (error), ==, 32);
  g_clear_error (&error);

  bh_fake_server_control (server, "/_fake/apps",
                          "consumer_key", "suspended-key-0123456789",
                          "consumer_secret", "suspended-secret-0123456789abcdefghijklmn",
                          "suspended", "1",
                          NULL);
  suspended = request_token_sync (fixture->client, "suspended-key-0123456789",
                                  "suspended-secret-0123456789abcdefghijklmn", NULL, &error);
  g_assert_null (suspended);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_APP_SUSPENDED);
  g_clear_error (&error);

  /* Missing keys never reach the network. */
  g_assert_null (request_token_sync (fixture->client, BH_FAKE_CONSUMER_KEY, "", NULL, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_BAD_AUTH_DATA);
}

static gboolean
json_array_has_string (JsonArray  *array,
                       const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (bh_secret_equal (json_array_get_string_element (array, i), value))
      return TRUE;

  return FALSE;
}

static void
test_bearer (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) bearer = NULL;
  g_autoptr(BhSecret) second = NULL;
  g_autoptr(BhXResponse) echo = NULL;
  g_autoptr(BhXTokenPair) alice = NULL;
  g_autoptr(JsonNode) state = NULL;
  JsonObject *root;
  BhAuth bearer_auth = { .mode = BH_AUTH_BEARER };
  BhAuth basic = { .mode = BH_AUTH_BASIC, .consumer_key = BH_FAKE_CONSUMER_KEY, .consumer_secret = BH_FAKE_CONSUMER_SECRET };
  BhAuth user;

  bearer = bearer_sync (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (bearer, "AAAAAAAAAAAAAAAAAAAAA"));
  /* X's bearers hold literal %2B / %3D: they must come back untouched. */
  g_assert_nonnull (strstr (bearer, "%2B"));

  /* It works as a Bearer. */
  bearer_auth.bearer = bearer;
  bearer_auth.explain = TRUE;
  echo = request_sync (fixture->client, "GET", "1.1/test/echo.json", NULL, &bearer_auth, &error);
  g_assert_no_error (error);
  /* Nothing is signed, so there is nothing to explain. */
  g_assert_null (echo->signed_param_string);
  g_assert_null (echo->signed_base_string);
  g_assert_true (bh_x_response_check (echo, &error));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (echo->json), "auth"), ==, "bearer");

  /* Invalidated with Basic client credentials. */
  g_assert_true (invalidate_bearer_sync (fixture->client, &basic, bearer, &error));
  g_assert_no_error (error);
  state = bh_fake_server_get_json (server, "/_fake/state");
  root = json_node_get_object (state);
  g_assert_true (json_array_has_string (json_object_get_array_member (root, "invalidated_bearers"), bearer));

  /* A new one, invalidated with an account's OAuth 1.0a token. */
  second = bearer_sync (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET, &error);
  g_assert_no_error (error);
  g_assert_false (bh_secret_equal (bearer, second));
  alice = authorize (fixture->client, "alice");
  user = user_auth (alice);
  g_assert_true (invalidate_bearer_sync (fixture->client, &user, second, &error));
  g_assert_no_error (error);

  /* The invalidated one is refused now, and the error says it is the
   * bearer token (not an account's access token, which code 89 names
   * elsewhere). */
  g_assert_false (invalidate_bearer_sync (fixture->client, &basic, second, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_BEARER_INVALID);
  g_assert_cmpint (bh_x_error_get_x_code (error), ==, 89);
  g_clear_error (&error);

  /* Wrong client credentials: X code 99. */
  g_assert_null (bearer_sync (fixture->client, BH_FAKE_CONSUMER_KEY, "wrong", &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_BEARER_CREDENTIALS);
  g_assert_cmpint (bh_x_error_get_x_code (error), ==, 99);
}

static void
test_basic_encoding (Fixture       *fixture,
                     gconstpointer  data)
{
  /* Reserved characters, a space, a '+' and UTF-8 in both halves: the
   * fake server decodes each half with unquote_plus, as an RFC 6749
   * server does. */
  const char *key = "a b+c:d/é";
  const char *secret = "s3cr:et+ /é%~*";
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) bearer = NULL;
  g_autoptr(BhSecret) header = NULL;
  g_autoptr(BhSecret) x_vector = NULL;

  bh_fake_server_control (server, "/_fake/apps",
                          "consumer_key", key,
                          "consumer_secret", secret,
                          NULL);

  bearer = bearer_sync (fixture->client, key, secret, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bearer);

  /* The form encoding itself: space as '+', '+' and ':' escaped. */
  header = bh_x_basic_authorization ("a b+c:d/é", "x");
  {
    gsize len = 0;
    g_autofree guchar *decoded = g_base64_decode (header + strlen ("Basic "), &len);
    g_autofree char *text = g_strndup ((const char *) decoded, len);

    g_assert_true (g_str_has_prefix (header, "Basic "));
    g_assert_cmpstr (text, ==, "a+b%2Bc%3Ad%2F%C3%A9:x");
  }

  /* X's app-only authentication example (TESTING.md). */
  x_vector = bh_x_basic_authorization ("xvz1evFS4wEEPTGEFPHBog",
                                       "L8qq9PZyRg6ieKGEKhZolGC0vJWLw8iEJ88DRdyOg");
  g_assert_true (bh_secret_equal (x_vector, "Basic eHZ6MWV2RlM0d0VFUFRHRUZQSEJvZzpMOHFxOVBaeVJnNmllS0dFS2hab2xHQzB2SldMdzhpRUo4OERSZHlPZw=="));
}

static void
assert_echo_params (BhXResponse *response,
                    const char  *expected_method,
                    const char  *expected_auth,
                    const char  *const *pairs)
{
  JsonObject *root;
  JsonArray *params;
  guint n = 0;

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (response->json);
  root = json_node_get_object (response->json);
  g_assert_cmpstr (json_object_get_string_member (root, "method"), ==, expected_method);
  g_assert_cmpstr (json_object_get_string_member (root, "auth"), ==, expected_auth);

  params = json_object_get_array_member (root, "params");
  while (pairs[n * 2] != NULL)
    n++;
  g_assert_cmpuint (json_array_get_length (params), ==, n);

  for (guint i = 0; i < n; i++)
    {
      JsonArray *pair = json_array_get_array_element (params, i);

      g_assert_cmpstr (json_array_get_string_element (pair, 0), ==, pairs[i * 2]);
      g_assert_cmpstr (json_array_get_string_element (pair, 1), ==, pairs[i * 2 + 1]);
    }
}

static void
test_signed_echo (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXTokenPair) alice = authorize (fixture->client, "alice");
  g_autoptr(GPtrArray) body = bh_params_new ();
  g_autoptr(GPtrArray) query = bh_params_new ();
  g_autoptr(BhXResponse) post = NULL;
  g_autoptr(BhXResponse) get = NULL;
  g_autoptr(BhXResponse) absolute = NULL;
  g_autofree char *absolute_url = NULL;
  BhAuth user = user_auth (alice);
  BhAuth consumer = { .mode = BH_AUTH_OAUTH1_CONSUMER, .consumer_key = BH_FAKE_CONSUMER_KEY, .consumer_secret = BH_FAKE_CONSUMER_SECRET };
  /* What the server must have seen: the URL's query first, then the body,
   * every repeated name, exactly these bytes. */
  const char *const post_expected[] = {
    "q", "a b", "q", "a+b", "ü", "日本",
    "status", "Hello Ladies + Gentlemen, a signed OAuth request!",
    "status", "again",
    "empty", "",
    "marks", "!*'()~",
    "pct", "100%",
    "utf8", "Grüße 🐦",
    NULL, NULL,
  };
  const char *const get_expected[] = {
    "a", "1", "a", "2", "b", "x&y=z", "utf8", "é",
    NULL, NULL,
  };

  bh_params_add (body, "status", "Hello Ladies + Gentlemen, a signed OAuth request!");
  bh_params_add (body, "status", "again");
  bh_params_add (body, "empty", "");
  bh_params_add (body, "marks", "!*'()~");
  bh_params_add (body, "pct", "100%");
  bh_params_add (body, "utf8", "Grüße 🐦");

  post = request_sync (fixture->client, "POST",
                       "/1.1/test/echo.json?q=a%20b&q=a%2Bb&%C3%BC=%E6%97%A5%E6%9C%AC",
                       body, &user, &error);
  g_assert_no_error (error);
  assert_echo_params (post, "POST", "oauth1-user", post_expected);
  g_assert_cmpstr (post->content_type, ==, "application/json");

  /* GET: the params become the query; consumer-only signing. */
  bh_params_add (query, "a", "1");
  bh_params_add (query, "a", "2");
  bh_params_add (query, "b", "x&y=z");
  bh_params_add (query, "utf8", "é");
  get = request_sync (fixture->client, "get", "1.1/test/echo.json", query, &consumer, &error);
  g_assert_no_error (error);
  assert_echo_params (get, "GET", "oauth1-consumer", get_expected);

  /* An absolute URL on the same (loopback) host. */
  absolute_url = g_strconcat (bh_fake_server_get_url (server), "/2/test/echo", NULL);
  absolute = request_sync (fixture->client, "GET", absolute_url, query, &user, &error);
  g_assert_no_error (error);
  assert_echo_params (absolute, "GET", "oauth1-user", get_expected);
}

/* A caller's nonce and timestamp are what the server sees: the request
 * is accepted, and the very same pair is refused the second time, because
 * X (and the fake server) remember key, token, nonce and timestamp. */
static void
test_fixed_nonce (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXTokenPair) alice = authorize (fixture->client, "alice");
  g_autoptr(GPtrArray) query = bh_params_new ();
  g_autoptr(BhXResponse) first = NULL;
  g_autoptr(BhXResponse) replay = NULL;
  g_autoptr(BhXResponse) other_nonce = NULL;
  g_autoptr(BhXResponse) fresh1 = NULL;
  g_autoptr(BhXResponse) fresh2 = NULL;
  g_autoptr(BhXResponse) unexplained = NULL;
  g_autofree char *nonce_param = NULL;
  g_autofree char *timestamp_param = NULL;
  g_autofree char *encoded_params = NULL;
  BhAuth auth = user_auth (alice);
  const char *const expected[] = { "q", "a b", NULL, NULL };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Far past X's five minutes: a timestamp the caller gives is sent as
   * it is, not shifted by the client's clock offset. */
  bh_x_client_set_clock_offset (fixture->client, 3600);

  bh_params_add (query, "q", "a b");
  auth.nonce = "birdhouseFixedNonce0123456789";
  auth.timestamp = now;
  auth.explain = TRUE;

  first = request_sync (fixture->client, "GET", "1.1/test/echo.json", query, &auth, &error);
  g_assert_no_error (error);
  assert_echo_params (first, "GET", "oauth1-user", expected);

  /* What was signed: the given nonce and timestamp and the parameters the
   * server echoed, and no secret. */
  nonce_param = g_strconcat ("oauth_nonce=", auth.nonce, NULL);
  timestamp_param = g_strdup_printf ("oauth_timestamp=%" G_GINT64_FORMAT, now);
  g_assert_nonnull (first->signed_param_string);
  g_assert_nonnull (first->signed_base_string);
  g_assert_nonnull (strstr (first->signed_param_string, nonce_param));
  g_assert_nonnull (strstr (first->signed_param_string, timestamp_param));
  g_assert_nonnull (strstr (first->signed_param_string, "&q=a%20b"));
  g_assert_nonnull (strstr (first->signed_param_string, "oauth_token="));
  encoded_params = bh_oauth1_percent_encode (first->signed_param_string);
  g_assert_true (g_str_has_prefix (first->signed_base_string, "GET&http%3A%2F%2F127.0.0.1%3A"));
  g_assert_true (g_str_has_suffix (first->signed_base_string, encoded_params));
  g_assert_null (strstr (first->signed_base_string, BH_FAKE_CONSUMER_SECRET));
  g_assert_null (strstr (first->signed_base_string, alice->token_secret));

  /* The very same nonce and timestamp again: a replay. */
  replay = request_sync (fixture->client, "GET", "1.1/test/echo.json", query, &auth, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (replay->status, ==, 401);
  g_assert_cmpstr (replay->signed_base_string, ==, first->signed_base_string);
  g_assert_false (bh_x_response_check (replay, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_COULD_NOT_AUTHENTICATE);
  g_assert_cmpint (bh_x_error_get_x_code (error), ==, 32);
  assert_sentence (error);
  g_clear_error (&error);

  /* Another nonce at the same second is another request. */
  auth.nonce = "birdhouseOtherNonce0123456789";
  other_nonce = request_sync (fixture->client, "GET", "1.1/test/echo.json", query, &auth, &error);
  g_assert_no_error (error);
  assert_echo_params (other_nonce, "GET", "oauth1-user", expected);

  /* Unset, each request gets a fresh nonce and the current time. */
  bh_x_client_set_clock_offset (fixture->client, 0);
  auth.nonce = NULL;
  auth.timestamp = 0;
  fresh1 = request_sync (fixture->client, "GET", "1.1/test/echo.json", query, &auth, &error);
  g_assert_no_error (error);
  fresh2 = request_sync (fixture->client, "GET", "1.1/test/echo.json", query, &auth, &error);
  g_assert_no_error (error);
  assert_echo_params (fresh1, "GET", "oauth1-user", expected);
  assert_echo_params (fresh2, "GET", "oauth1-user", expected);
  g_assert_null (strstr (fresh1->signed_param_string, nonce_param));
  g_assert_cmpstr (fresh1->signed_param_string, !=, fresh2->signed_param_string);

  /* Nothing is reported unless asked for. */
  auth.explain = FALSE;
  unexplained = request_sync (fixture->client, "GET", "1.1/test/echo.json", query, &auth, &error);
  g_assert_no_error (error);
  assert_echo_params (unexplained, "GET", "oauth1-user", expected);
  g_assert_null (unexplained->signed_param_string);
  g_assert_null (unexplained->signed_base_string);
}

static void
test_response_fields (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXResponse) missing = NULL;
  g_autoptr(BhXResponse) token = NULL;
  g_autoptr(BhXResponse) form = NULL;
  g_autoptr(GPtrArray) params = bh_params_new ();
  BhXResponse *copy;
  BhAuth basic = { .mode = BH_AUTH_BASIC, .consumer_key = BH_FAKE_CONSUMER_KEY, .consumer_secret = BH_FAKE_CONSUMER_SECRET };
  BhAuth consumer = { .mode = BH_AUTH_OAUTH1_CONSUMER, .consumer_key = BH_FAKE_CONSUMER_KEY, .consumer_secret = BH_FAKE_CONSUMER_SECRET };
  g_autoptr(GPtrArray) extra = bh_params_new ();
  g_autoptr(GAsyncResult) result = NULL;

  /* Any status is a response; check() maps it. */
  missing = request_sync (fixture->client, "GET", "1.1/nothing/here.json", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_nonnull (missing->json);
  g_assert_null (missing->form);
  g_assert_nonnull (bh_params_get (missing->headers, "Date"));
  g_assert_cmpint (missing->rate_limit_limit, ==, -1);
  g_assert_cmpint (missing->rate_limit_reset, ==, 0);
  g_assert_false (bh_x_response_check (missing, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A token endpoint's raw answer: its body holds the bearer. Copies
   * share the wiped buffer; freeing both in any order is fine. */
  bh_params_add (params, "grant_type", "client_credentials");
  token = request_sync (fixture->client, "POST", "oauth2/token", params, &basic, &error);
  g_assert_no_error (error);
  g_assert_true (bh_x_response_check (token, &error));
  g_assert_nonnull (token->json);
  copy = bh_x_response_copy (token);
  g_assert_true (g_bytes_equal (copy->body, token->body));
  g_clear_pointer (&token, bh_x_response_free);
  g_assert_nonnull (json_object_get_string_member (json_node_get_object (copy->json), "access_token"));
  bh_x_response_free (copy);

  /* X's form answers come as text/html: parsed as a form all the same. */
  bh_params_add (extra, "oauth_callback", "oob");
  bh_x_client_request_async (fixture->client, "POST", "oauth/request_token", NULL, extra,
                             &consumer, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  form = bh_x_client_request_finish (fixture->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (form->content_type, ==, "text/html");
  g_assert_null (form->json);
  g_assert_nonnull (form->form);
  g_assert_cmpstr (bh_params_get (form->form, "oauth_callback_confirmed"), ==, "true");
  g_assert_nonnull (bh_params_get (form->form, "oauth_token_secret"));
}

typedef enum {
  CALL_REQUEST_TOKEN,
  CALL_ACCESS_TOKEN,
  CALL_VERIFY,
  CALL_USERS_ME,
  CALL_BEARER,
} Call;

/* Runs @call once with a fault armed on its path; returns the error. */
static GError *
call_with_fault (Fixture    *fixture,
                 Call        call,
                 const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXTokenPair) alice = NULL;
  g_autoptr(BhXTokenPair) request_token = NULL;
  g_autoptr(BhSecret) pin = NULL;
  BhAuth auth;

  switch (call)
    {
    case CALL_REQUEST_TOKEN:
      bh_fake_server_fault (server, "/oauth/request_token", kind, 1);
      g_assert_null (request_token_sync (fixture->client, BH_FAKE_CONSUMER_KEY,
                                         BH_FAKE_CONSUMER_SECRET, NULL, &error));
      break;

    case CALL_ACCESS_TOKEN:
      request_token = request_token_sync (fixture->client, BH_FAKE_CONSUMER_KEY,
                                          BH_FAKE_CONSUMER_SECRET, NULL, &error);
      g_assert_no_error (error);
      pin = fake_pin (request_token->token, "alice");
      bh_fake_server_fault (server, "/oauth/access_token", kind, 1);
      g_assert_null (access_token_sync (fixture->client, request_token, pin, &error));
      break;

    case CALL_VERIFY:
    case CALL_USERS_ME:
      alice = authorize (fixture->client, "alice");
      auth = user_auth (alice);
      if (call == CALL_VERIFY)
        {
          bh_fake_server_fault (server, "/1.1/account/verify_credentials.json", kind, 1);
          g_assert_null (verify_sync (fixture->client, &auth, &error));
        }
      else
        {
          bh_fake_server_fault (server, "/2/users/me", kind, 1);
          g_assert_null (users_me_sync (fixture->client, &auth, &error));
        }
      break;

    case CALL_BEARER:
    default:
      bh_fake_server_fault (server, "/oauth2/token", kind, 1);
      g_assert_null (bearer_sync (fixture->client, BH_FAKE_CONSUMER_KEY,
                                  BH_FAKE_CONSUMER_SECRET, &error));
      break;
    }

  g_assert_nonnull (error);
  return g_steal_pointer (&error);
}

static void
test_faults (Fixture       *fixture,
             gconstpointer  data)
{
  const struct {
    Call        call;
    const char *kind;
    BhXError    expected;
    int         x_code;
  } cases[] = {
    { CALL_REQUEST_TOKEN, "500", BH_X_ERROR_SERVER, 131 },
    { CALL_REQUEST_TOKEN, "503", BH_X_ERROR_SERVER, 130 },
    { CALL_REQUEST_TOKEN, "401", BH_X_ERROR_COULD_NOT_AUTHENTICATE, 32 },
    { CALL_REQUEST_TOKEN, "215", BH_X_ERROR_BAD_AUTH_DATA, 215 },
    { CALL_REQUEST_TOKEN, "416", BH_X_ERROR_APP_SUSPENDED, 416 },
    { CALL_REQUEST_TOKEN, "417", BH_X_ERROR_OOB_REQUIRED, 417 },
    { CALL_REQUEST_TOKEN, "malformed", BH_X_ERROR_MALFORMED, 0 },
    { CALL_REQUEST_TOKEN, "no-token", BH_X_ERROR_MALFORMED, 0 },
    { CALL_REQUEST_TOKEN, "no-callback-confirmed", BH_X_ERROR_CALLBACK_NOT_CONFIRMED, 0 },
    { CALL_ACCESS_TOKEN, "no-token", BH_X_ERROR_MALFORMED, 0 },
    { CALL_ACCESS_TOKEN, "malformed", BH_X_ERROR_MALFORMED, 0 },
    { CALL_ACCESS_TOKEN, "135", BH_X_ERROR_TIMESTAMP, 135 },
    { CALL_VERIFY, "89", BH_X_ERROR_INVALID_TOKEN, 89 },
    { CALL_VERIFY, "malformed", BH_X_ERROR_MALFORMED, 0 },
    { CALL_VERIFY, "503", BH_X_ERROR_SERVER, 130 },
    { CALL_USERS_ME, "malformed", BH_X_ERROR_MALFORMED, 0 },
    { CALL_USERS_ME, "416", BH_X_ERROR_APP_SUSPENDED, 416 },
    { CALL_BEARER, "not-bearer", BH_X_ERROR_NOT_BEARER, 0 },
    { CALL_BEARER, "no-token", BH_X_ERROR_MALFORMED, 0 },
    { CALL_BEARER, "malformed", BH_X_ERROR_MALFORMED, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("fault %s on call %d", cases[i].kind, cases[i].call);
      error = call_with_fault (fixture, cases[i].call, cases[i].kind);
      g_assert_error (error, BH_X_ERROR, (int) cases[i].expected);
      g_assert_cmpint (bh_x_error_get_x_code (error), ==, cases[i].x_code);
      assert_sentence (error);
      bh_fake_server_control (server, "/_fake/reset", NULL);
    }
}

static void
test_rate_limited (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = call_with_fault (fixture, CALL_VERIFY, "429");
  gint64 reset = bh_x_error_get_rate_limit_reset (error);
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *local = NULL;

  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_RATE_LIMITED);
  g_assert_cmpint (bh_x_error_get_x_code (error), ==, 88);
  g_assert_cmpuint (bh_x_error_get_http_status (error), ==, 429);
  /* The fake server resets 15 minutes from now. */
  g_assert_cmpint (reset, >, g_get_real_time () / G_USEC_PER_SEC + 600);

  when = g_date_time_new_from_unix_local (reset);
  local = g_date_time_format (when, "%X");
  g_assert_true (g_str_has_prefix (error->message, "X’s rate limit was reached. Try again after "));
  g_assert_nonnull (strstr (error->message, local));
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_clock_skew (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXTokenPair) alice = authorize (fixture->client, "alice");
  g_autoptr(BhXIdentity) refused = NULL;
  g_autoptr(BhXIdentity) identity = NULL;
  BhAuth auth = user_auth (alice);
  guint notified = 0;
  gint64 skew = 0;
  gint64 offset;

  g_signal_connect (fixture->client, "notify::clock-offset", G_CALLBACK (notify_cb), &notified);

  /* X's clock is 1 h 2 min ahead of ours. */
  bh_fake_server_control (server, "/_fake/clock", "offset", "3720", NULL);

  refused = verify_sync (fixture->client, &auth, &error);
  g_assert_null (refused);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_TIMESTAMP);
  g_assert_cmpint (bh_x_error_get_x_code (error), ==, 135);
  g_assert_true (bh_x_error_get_clock_skew (error, &skew));
  g_assert_cmpint (skew, >=, 3718);
  g_assert_cmpint (skew, <=, 3722);
  g_assert_true (g_str_has_prefix (error->message, "Your computer’s clock differs from X’s by 1 hour "));
  g_assert_true (g_str_has_suffix (error->message, "Correct the clock or try again; Birdhouse will adjust."));

  /* The client adopted X's time ... */
  offset = bh_x_client_get_clock_offset (fixture->client);
  g_assert_cmpint (offset, ==, skew);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (bh_x_client_get_clock_skew (fixture->client, &skew));
  g_assert_cmpint (skew, ==, offset);

  /* ... so that trying again works. */
  g_clear_error (&error);
  identity = verify_sync (fixture->client, &auth, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (identity->screen_name, ==, "alice");
  /* No new notification for the same offset. */
  g_assert_cmpuint (notified, ==, 1);
}

static void
test_clock_skew_on_success (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) bearer = NULL;

  /* A bearer request carries no timestamp, so it succeeds; its Date
   * shows X 20 minutes behind, which is past X's limit for signing. */
  bh_fake_server_control (server, "/_fake/clock", "offset", "-1200", NULL);
  bearer = bearer_sync (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bh_x_client_get_clock_offset (fixture->client), <=, -1198);
  g_assert_cmpint (bh_x_client_get_clock_offset (fixture->client), >=, -1202);

  /* Signed requests now work at once. */
  {
    g_autoptr(BhXTokenPair) pair = request_token_sync (fixture->client, BH_FAKE_CONSUMER_KEY,
                                                       BH_FAKE_CONSUMER_SECRET, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (pair);
  }
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXResponse) response = NULL;
  BhAuth consumer = { .mode = BH_AUTH_OAUTH1_CONSUMER, .consumer_key = BH_FAKE_CONSUMER_KEY, .consumer_secret = BH_FAKE_CONSUMER_SECRET };

  bh_x_client_set_timeout (fixture->client, 1);
  bh_fake_server_control (server, "/_fake/fault",
                          "path", "/1.1/test/echo.json",
                          "kind", "slow",
                          "seconds", "4",
                          "count", "1",
                          NULL);

  response = request_sync (fixture->client, "GET", "1.1/test/echo.json", NULL, &consumer, &error);
  g_assert_null (response);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_TIMEOUT);
  assert_sentence (error);
}

static void
test_drop (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) bearer = NULL;

  bh_fake_server_fault (server, "/oauth2/token", "drop", 1);
  bearer = bearer_sync (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET, &error);
  g_assert_null (bearer);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_CONNECTION);
  assert_sentence (error);
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXClient) client = NULL;
  g_autoptr(BhXResponse) response = NULL;
  g_autofree char *url = NULL;

  /* A port that was free a moment ago and is closed now. */
  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  g_socket_listener_close (listener);

  client = bh_x_client_new (url, &error);
  g_assert_no_error (error);
  response = request_sync (client, "GET", "1.1/test/echo.json", NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_CONNECTION);
  g_assert_nonnull (strstr (error->message, "refused"));
  assert_sentence (error);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) early = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) early_result = NULL;
  g_autoptr(BhSecret) bearer = NULL;
  g_autoptr(BhSecret) never = NULL;

  /* Cancelled while X takes its time. */
  bh_fake_server_control (server, "/_fake/fault",
                          "path", "/oauth2/token",
                          "kind", "slow",
                          "seconds", "3",
                          "count", "1",
                          NULL);
  bh_x_client_bearer_token_async (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                                  cancellable, bh_test_store_result, &result);
  g_timeout_add (300, cancel_cb, cancellable);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  bearer = bh_x_client_bearer_token_finish (fixture->client, result, &error);
  g_assert_null (bearer);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_CANCELLED);
  g_assert_true (bh_error_is_cancelled (error));
  g_clear_error (&error);

  /* Cancelled before it started. */
  g_cancellable_cancel (early);
  bh_x_client_bearer_token_async (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                                  early, bh_test_store_result, &early_result);
  bh_test_wait_for_result (&early_result, WAIT_SECONDS);
  never = bh_x_client_bearer_token_finish (fixture->client, early_result, &error);
  g_assert_null (never);
  g_assert_true (bh_error_is_cancelled (error));
}

static void
test_insecure_not_contacted (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXResponse) refused = NULL;
  g_autoptr(BhXResponse) remote = NULL;
  g_autoptr(BhXResponse) reached = NULL;
  g_autofree char *mapped = NULL;
  g_autofree char *direct = NULL;
  const char *port;
  BhAuth consumer = { .mode = BH_AUTH_OAUTH1_CONSUMER, .consumer_key = BH_FAKE_CONSUMER_KEY, .consumer_secret = BH_FAKE_CONSUMER_SECRET };

  /* The IPv4-mapped form reaches the fake server's socket, yet is not one
   * of the loopback forms Birdhouse accepts for http: were anything sent,
   * the server would have counted it before the answer came back. */
  port = strrchr (bh_fake_server_get_url (server), ':') + 1;
  mapped = g_strdup_printf ("http://[::ffff:127.0.0.1]:%s/1.1/test/echo.json", port);
  refused = request_sync (fixture->client, "GET", mapped, NULL, &consumer, &error);
  g_assert_null (refused);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_INSECURE_URL);
  assert_sentence (error);
  g_clear_error (&error);
  g_assert_cmpint (state_count ("/1.1/test/echo.json"), ==, 0);

  remote = request_sync (fixture->client, "POST", "http://api.x.com/oauth2/token", NULL, NULL, &error);
  g_assert_null (remote);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_INSECURE_URL);
  g_clear_error (&error);

  /* The control: the same request over plain loopback is counted. */
  direct = g_strdup_printf ("http://127.0.0.1:%s/1.1/test/echo.json", port);
  reached = request_sync (fixture->client, "GET", direct, NULL, &consumer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reached->status, ==, 200);
  g_assert_cmpint (state_count ("/1.1/test/echo.json"), ==, 1);
}

static void
test_https_failures (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXClient) plain = NULL;
  g_autoptr(BhXClient) nowhere = NULL;
  g_autoptr(BhXResponse) response = NULL;
  g_autoptr(BhXResponse) unresolved = NULL;
  g_autofree char *url = NULL;

  /* https to a server that speaks plain http: the handshake fails and
   * nothing is sent. */
  url = g_strdup_printf ("https://%s", bh_fake_server_get_url (server) + strlen ("http://"));
  plain = bh_x_client_new (url, &error);
  g_assert_no_error (error);
  bh_x_client_set_timeout (plain, 10);
  response = request_sync (plain, "GET", "1.1/test/echo.json", NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_TLS);
  assert_sentence (error);
  g_clear_error (&error);

  /* A host that cannot exist (RFC 6761 .invalid). */
  nowhere = bh_x_client_new ("https://api.birdhouse-test.invalid", &error);
  g_assert_no_error (error);
  bh_x_client_set_timeout (nowhere, 10);
  unresolved = request_sync (nowhere, "GET", "1.1/account/verify_credentials.json", NULL, NULL, &error);
  g_assert_null (unresolved);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_CONNECTION);
  assert_sentence (error);
}

/* A wrong PIN refused in every style a server may use: X's plain text,
 * JSON code 32, a v2 problem, HTML, nothing. */
static void
test_pin_refusal_styles (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *styles[] = { "text", "json", "problem", "html", "empty" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BhXTokenPair) request_token = NULL;
      g_autoptr(BhXTokenPair) refused = NULL;
      g_autoptr(BhXTokenPair) access_token = NULL;
      g_autoptr(BhSecret) pin = NULL;
      g_autofree char *wrong = NULL;

      g_test_message ("PIN refused as %s", styles[i]);
      bh_fake_server_control (server, "/_fake/pin-refusal", "style", styles[i], NULL);
      request_token = request_token_sync (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                                          NULL, &error);
      g_assert_no_error (error);
      pin = fake_pin (request_token->token, "alice");
      wrong = g_strdup (pin);
      wrong[0] = wrong[0] == '9' ? '0' : wrong[0] + 1;

      refused = access_token_sync (fixture->client, request_token, wrong, &error);
      g_assert_null (refused);
      g_assert_error (error, BH_X_ERROR, BH_X_ERROR_INVALID_PIN);
      g_assert_cmpuint (bh_x_error_get_http_status (error), ==, 401);
      assert_sentence (error);
      g_clear_error (&error);

      access_token = access_token_sync (fixture->client, request_token, pin, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (access_token->screen_name, ==, "alice");
    }
}

static GPtrArray *
state_string_array (const char *member)
{
  g_autoptr(JsonNode) state = bh_fake_server_get_json (server, "/_fake/state");
  JsonArray *array = json_object_get_array_member (json_node_get_object (state), member);
  GPtrArray *strings = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_secret_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (strings, bh_secret_dup (json_array_get_string_element (array, i)));

  return strings;
}

static gboolean
strings_contain (GPtrArray  *strings,
                 const char *value)
{
  for (guint i = 0; i < strings->len; i++)
    if (bh_secret_equal (g_ptr_array_index (strings, i), value))
      return TRUE;

  return FALSE;
}

/* X's documents show access_token in the query and in the form body: a
 * server reading only one of them accepts the request all the same. */
static void
test_invalidate_bearer_param_source (Fixture       *fixture,
                                     gconstpointer  data)
{
  const char *sources[] = { "form", "query" };
  g_autoptr(BhXTokenPair) alice = authorize (fixture->client, "alice");
  BhAuth user = user_auth (alice);
  BhAuth basic = { .mode = BH_AUTH_BASIC, .consumer_key = BH_FAKE_CONSUMER_KEY, .consumer_secret = BH_FAKE_CONSUMER_SECRET };

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      const BhAuth *auths[] = { &user, &basic };

      bh_fake_server_control (server, "/_fake/param-source",
                              "path", "/oauth2/invalidate_token",
                              "source", sources[i],
                              NULL);
      for (guint j = 0; j < G_N_ELEMENTS (auths); j++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(BhSecret) bearer = NULL;
          g_autoptr(GPtrArray) invalidated = NULL;

          g_test_message ("access_token read from the %s only, auth %u", sources[i], j);
          bearer = bearer_sync (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET, &error);
          g_assert_no_error (error);
          g_assert_true (invalidate_bearer_sync (fixture->client, auths[j], bearer, &error));
          g_assert_no_error (error);
          invalidated = state_string_array ("invalidated_bearers");
          g_assert_true (strings_contain (invalidated, bearer));
        }
    }
}

/* What X refused is named: the bearer token, not the App's keys. */
static void
test_invalidate_bearer_refused (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) bearer = NULL;
  BhAuth basic = { .mode = BH_AUTH_BASIC, .consumer_key = BH_FAKE_CONSUMER_KEY, .consumer_secret = BH_FAKE_CONSUMER_SECRET };

  bearer = bearer_sync (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET, &error);
  g_assert_no_error (error);
  g_assert_true (invalidate_bearer_sync (fixture->client, &basic, bearer, &error));

  /* Again: X no longer knows it (89). */
  g_assert_false (invalidate_bearer_sync (fixture->client, &basic, bearer, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_BEARER_INVALID);
  g_assert_cmpint (bh_x_error_get_step (error), ==, BH_X_STEP_INVALIDATE_BEARER);
  g_assert_nonnull (strstr (error->message, "bearer token"));
  g_assert_null (strstr (error->message, "API key and secret"));
  assert_sentence (error);
}

/* A bearer token invalidated elsewhere: the request made with it says so,
 * whatever the style of the refusal. */
static void
test_bearer_request_invalidated (Fixture       *fixture,
                                 gconstpointer  data)
{
  const char *faults[] = { NULL, "401", "401-problem", "401-text", "401-html", "401-empty" };
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) bearer = NULL;
  BhAuth basic = { .mode = BH_AUTH_BASIC, .consumer_key = BH_FAKE_CONSUMER_KEY, .consumer_secret = BH_FAKE_CONSUMER_SECRET };
  BhAuth bearer_auth = { .mode = BH_AUTH_BEARER };

  bearer = bearer_sync (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET, &error);
  g_assert_no_error (error);
  bearer_auth.bearer = bearer;

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(BhXResponse) response = NULL;

      if (faults[i] == NULL)
        {
          /* For real: invalidated elsewhere (X then answers 89). */
          g_assert_true (invalidate_bearer_sync (fixture->client, &basic, bearer, &error));
          g_assert_no_error (error);
        }
      else
        {
          bh_fake_server_fault (server, "/2/test/echo", faults[i], 1);
        }

      g_test_message ("bearer refused: %s", faults[i] != NULL ? faults[i] : "invalidated");
      response = request_sync (fixture->client, "GET", faults[i] == NULL ? "1.1/test/echo.json" : "2/test/echo",
                               NULL, &bearer_auth, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (response->status, ==, 401);
      g_assert_cmpint (response->auth_mode, ==, BH_AUTH_BEARER);
      g_assert_false (bh_x_response_check (response, &error));
      g_assert_error (error, BH_X_ERROR, BH_X_ERROR_BEARER_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "The bearer token is no longer valid"));
      g_assert_nonnull (strstr (error->message, "birdhouse bearer APP"));
      assert_sentence (error);
      g_clear_error (&error);
    }
}

/* Hostile answers end in a sentence, never in a crash or a critical. */
static void
test_hostile_answers (Fixture       *fixture,
                      gconstpointer  data)
{
  const struct {
    Call        call;
    const char *kind;
    BhXError    expected;
  } cases[] = {
    { CALL_VERIFY, "deep-json", BH_X_ERROR_MALFORMED },
    { CALL_USERS_ME, "deep-json", BH_X_ERROR_MALFORMED },
    { CALL_BEARER, "deep-json", BH_X_ERROR_MALFORMED },
    { CALL_VERIFY, "deep-json-401", BH_X_ERROR_UNAUTHORIZED },
    { CALL_VERIFY, "whitespace", BH_X_ERROR_UNAUTHORIZED },
    { CALL_VERIFY, "wrong-types", BH_X_ERROR_UNAUTHORIZED },
    { CALL_VERIFY, "big-code", BH_X_ERROR_UNAUTHORIZED },
    { CALL_VERIFY, "control-detail", BH_X_ERROR_FORBIDDEN },
    { CALL_REQUEST_TOKEN, "deep-json-401", BH_X_ERROR_UNAUTHORIZED },
    { CALL_BEARER, "wrong-types", BH_X_ERROR_BEARER_CREDENTIALS },
    { CALL_ACCESS_TOKEN, "big-code", BH_X_ERROR_INVALID_PIN },
    { CALL_ACCESS_TOKEN, "deep-json-401", BH_X_ERROR_INVALID_PIN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("hostile %s on call %d", cases[i].kind, cases[i].call);
      error = call_with_fault (fixture, cases[i].call, cases[i].kind);
      g_assert_error (error, BH_X_ERROR, (int) cases[i].expected);
      /* 4294967328 is 2^32 + 32: never "could not authenticate". */
      g_assert_cmpint (bh_x_error_get_x_code (error), ==, 0);
      assert_sentence (error);
      bh_test_assert_no_controls (error->message);
      if (g_str_equal (cases[i].kind, "control-detail"))
        g_assert_nonnull (strstr (error->message, "Blocked: Evil31m0;title emanlaerx!"));
      bh_fake_server_control (server, "/_fake/reset", NULL);
    }

  /* A name with C1 controls and bidi overrides reaches no label as such. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BhXTokenPair) alice = authorize (fixture->client, "alice");
    g_autoptr(BhXIdentity) identity = NULL;
    g_autoptr(BhXIdentity) me = NULL;
    BhAuth auth = user_auth (alice);

    bh_fake_server_fault (server, "/1.1/account/verify_credentials.json", "hostile-name", 1);
    identity = verify_sync (fixture->client, &auth, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (identity->name, ==, "Evil31m0;title emanlaerx!");

    bh_fake_server_fault (server, "/2/users/me", "hostile-name", 1);
    me = users_me_sync (fixture->client, &auth, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (me->name, ==, "Evil31m0;title emanlaerx!");
  }
}

static void
arm_redirect (const char *path,
              const char *status,
              const char *location)
{
  bh_fake_server_control (server, "/_fake/fault",
                          "path", path,
                          "kind", "redirect",
                          "status", status,
                          "location", location,
                          "count", "1",
                          NULL);
}

/* Credentials never follow a redirect, and the error names the host only. */
static void
test_redirects (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(BhXTokenPair) alice = authorize (fixture->client, "alice");
  BhAuth auth = user_auth (alice);
  g_autofree char *same_origin = g_strdup_printf ("%s/1.1/test/echo.json?leak=1", bh_fake_server_get_url (server));
  const char *statuses[] = { "301", "302", "303", "307", "308" };

  /* Another origin, on a GET. */
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BhXIdentity) identity = NULL;

      arm_redirect ("/1.1/account/verify_credentials.json", statuses[i],
                    "https://elsewhere.invalid:8443/steal?token=QUERYSECRET#frag");
      identity = verify_sync (fixture->client, &auth, &error);
      g_assert_null (identity);
      g_assert_error (error, BH_X_ERROR, BH_X_ERROR_REDIRECTED);
      g_assert_nonnull (strstr (error->message, "elsewhere.invalid"));
      g_assert_nonnull (strstr (error->message, statuses[i]));
      g_assert_null (strstr (error->message, "steal"));
      g_assert_null (strstr (error->message, "QUERYSECRET"));
      assert_sentence (error);
    }

  /* A redirected POST (signed, with a form body), even to the same server:
   * not followed. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BhXTokenPair) pair = NULL;

    arm_redirect ("/oauth/request_token", "307", same_origin);
    pair = request_token_sync (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET, "read", &error);
    g_assert_null (pair);
    g_assert_error (error, BH_X_ERROR, BH_X_ERROR_REDIRECTED);
    g_assert_nonnull (strstr (error->message, "127.0.0.1"));
    g_assert_null (strstr (error->message, "leak"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BhSecret) bearer = NULL;

    arm_redirect ("/oauth2/token", "302", "//elsewhere.invalid/oauth2/token");
    bearer = bearer_sync (fixture->client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET, &error);
    g_assert_null (bearer);
    g_assert_error (error, BH_X_ERROR, BH_X_ERROR_REDIRECTED);
    g_assert_nonnull (strstr (error->message, "elsewhere.invalid"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BhXResponse) response = NULL;
    g_autoptr(GPtrArray) params = bh_params_new ();

    bh_params_add (params, "status", "hello");
    arm_redirect ("/1.1/test/echo.json", "308", same_origin);
    response = request_sync (fixture->client, "POST", "1.1/test/echo.json", params, &auth, &error);
    g_assert_null (response);
    g_assert_error (error, BH_X_ERROR, BH_X_ERROR_REDIRECTED);
  }
  /* One request each reached the server: none followed. */
  g_assert_cmpint (state_count ("/1.1/test/echo.json"), ==, 1);
  g_assert_cmpint (state_count ("/oauth/request_token"), ==, 2);
  g_assert_cmpint (state_count ("/oauth2/token"), ==, 1);
}

/* A server that trickles one byte every half second never lets the idle
 * timeout fire; the deadline ends it. */
static void
test_deadline (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXResponse) response = NULL;
  g_autoptr(BhXResponse) after = NULL;
  BhAuth consumer = { .mode = BH_AUTH_OAUTH1_CONSUMER, .consumer_key = BH_FAKE_CONSUMER_KEY, .consumer_secret = BH_FAKE_CONSUMER_SECRET };
  gint64 start;
  guint notified = 0;

  g_assert_cmpuint (bh_x_client_get_deadline (fixture->client), ==, 60);
  g_signal_connect (fixture->client, "notify::deadline", G_CALLBACK (notify_cb), &notified);
  bh_x_client_set_deadline (fixture->client, 2);
  bh_x_client_set_deadline (fixture->client, 2);
  g_assert_cmpuint (notified, ==, 1);
  bh_x_client_set_timeout (fixture->client, 1);

  bh_fake_server_control (server, "/_fake/fault",
                          "path", "/1.1/test/echo.json",
                          "kind", "trickle",
                          "seconds", "0.4",
                          "count", "1",
                          NULL);

  start = g_get_monotonic_time ();
  response = request_sync (fixture->client, "GET", "1.1/test/echo.json", NULL, &consumer, &error);
  g_assert_null (response);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_TIMEOUT);
  g_assert_cmpstr (error->message, ==, "X did not finish answering within 2 seconds. Check the network connection and try again.");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* The next request is not hurt. */
  after = request_sync (fixture->client, "GET", "1.1/test/echo.json", NULL, &consumer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->status, ==, 200);
}

typedef struct
{
  guint connections;
} ProxyCounter;

static gboolean
proxy_incoming_cb (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source,
                   gpointer           user_data)
{
  ProxyCounter *counter = user_data;

  counter->connections++;
  /* Say nothing and hang up: a request that went here fails. */
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/* With http_proxy and https_proxy set, loopback is still reached directly. */
static void
test_proxy_bypass_loopback (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXClient) client = NULL;
  g_autoptr(BhSecret) bearer = NULL;
  g_autoptr(BhXResponse) response = NULL;
  g_autofree char *proxy_url = NULL;
  const char *names[] = { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" };
  ProxyCounter counter = { 0, };
  BhAuth consumer = { .mode = BH_AUTH_OAUTH1_CONSUMER, .consumer_key = BH_FAKE_CONSUMER_KEY, .consumer_secret = BH_FAKE_CONSUMER_SECRET };

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (proxy_incoming_cb), &counter);
  g_socket_service_start (service);
  proxy_url = g_strdup_printf ("http://127.0.0.1:%u",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_setenv (names[i], proxy_url, TRUE);
  g_unsetenv ("no_proxy");
  g_unsetenv ("NO_PROXY");

  /* The system's resolver does want the proxy for other hosts: the rule
   * is ours, not an accident of the environment. */
  {
    g_auto(GStrv) proxies = g_proxy_resolver_lookup (g_proxy_resolver_get_default (),
                                                     "http://api.birdhouse-test.invalid/", NULL, NULL);

    g_test_message ("default resolver for another host: %s", proxies != NULL ? proxies[0] : "(none)");
  }

  client = bh_x_client_new (bh_fake_server_get_url (server), &error);
  g_assert_no_error (error);
  bearer = bearer_sync (client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bearer);
  response = request_sync (client, "GET", "1.1/test/echo.json", NULL, &consumer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);

  /* Also by name. */
  {
    g_autofree char *by_name = g_strdup_printf ("http://localhost:%s",
                                                strrchr (bh_fake_server_get_url (server), ':') + 1);
    g_autoptr(BhXClient) named = bh_x_client_new (by_name, &error);
    g_autoptr(BhXResponse) named_response = NULL;

    g_assert_no_error (error);
    named_response = request_sync (named, "GET", "1.1/test/echo.json", NULL, &consumer, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (named_response->status, ==, 200);
    g_assert_finalize_object (g_steal_pointer (&named));
  }

  /* Let a connection that did go to the proxy show up. */
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (counter.connections, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_unsetenv (names[i]);
  g_socket_service_stop (service);
  g_assert_finalize_object (g_steal_pointer (&client));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Times in messages follow the locale: keep it the C one. */
  setlocale (LC_ALL, "C.UTF-8");
  bh_test_capture_logs ();
  g_test_init (&argc, &argv, NULL);

  server = bh_fake_server_start ();

  g_test_add_func ("/x-client/check-url", test_check_url);
  g_test_add_func ("/x-client/new", test_new);
  g_test_add ("/x-client/authorize-url", Fixture, NULL, fixture_set_up, test_authorize_url, fixture_tear_down);
  g_test_add ("/x-client/pin-flow", Fixture, NULL, fixture_set_up, test_pin_flow, fixture_tear_down);
  g_test_add ("/x-client/users-me-unicode", Fixture, NULL, fixture_set_up, test_users_me_unicode, fixture_tear_down);
  g_test_add ("/x-client/wrong-pin", Fixture, NULL, fixture_set_up, test_wrong_pin_and_dead_token, fixture_tear_down);
  g_test_add ("/x-client/expired-request-token", Fixture, NULL, fixture_set_up, test_expired_request_token, fixture_tear_down);
  g_test_add ("/x-client/bad-consumer", Fixture, NULL, fixture_set_up, test_bad_consumer, fixture_tear_down);
  g_test_add ("/x-client/bearer", Fixture, NULL, fixture_set_up, test_bearer, fixture_tear_down);
  g_test_add ("/x-client/basic-encoding", Fixture, NULL, fixture_set_up, test_basic_encoding, fixture_tear_down);
  g_test_add ("/x-client/signed-echo", Fixture, NULL, fixture_set_up, test_signed_echo, fixture_tear_down);
  g_test_add ("/x-client/fixed-nonce", Fixture, NULL, fixture_set_up, test_fixed_nonce, fixture_tear_down);
  g_test_add ("/x-client/response-fields", Fixture, NULL, fixture_set_up, test_response_fields, fixture_tear_down);
  g_test_add ("/x-client/faults", Fixture, NULL, fixture_set_up, test_faults, fixture_tear_down);
  g_test_add ("/x-client/rate-limited", Fixture, NULL, fixture_set_up, test_rate_limited, fixture_tear_down);
  g_test_add ("/x-client/clock-skew", Fixture, NULL, fixture_set_up, test_clock_skew, fixture_tear_down);
  g_test_add ("/x-client/clock-skew-on-success", Fixture, NULL, fixture_set_up, test_clock_skew_on_success, fixture_tear_down);
  g_test_add ("/x-client/timeout", Fixture, NULL, fixture_set_up, test_timeout, fixture_tear_down);
  g_test_add ("/x-client/drop", Fixture, NULL, fixture_set_up, test_drop, fixture_tear_down);
  g_test_add_func ("/x-client/connection-refused", test_connection_refused);
  g_test_add ("/x-client/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/x-client/insecure-not-contacted", Fixture, NULL, fixture_set_up, test_insecure_not_contacted, fixture_tear_down);
  g_test_add_func ("/x-client/https-failures", test_https_failures);
  g_test_add ("/x-client/pin-refusal-styles", Fixture, NULL, fixture_set_up, test_pin_refusal_styles, fixture_tear_down);
  g_test_add ("/x-client/invalidate-bearer-param-source", Fixture, NULL, fixture_set_up, test_invalidate_bearer_param_source, fixture_tear_down);
  g_test_add ("/x-client/invalidate-bearer-refused", Fixture, NULL, fixture_set_up, test_invalidate_bearer_refused, fixture_tear_down);
  g_test_add ("/x-client/bearer-request-invalidated", Fixture, NULL, fixture_set_up, test_bearer_request_invalidated, fixture_tear_down);
  g_test_add ("/x-client/hostile-answers", Fixture, NULL, fixture_set_up, test_hostile_answers, fixture_tear_down);
  g_test_add ("/x-client/redirects", Fixture, NULL, fixture_set_up, test_redirects, fixture_tear_down);
  g_test_add ("/x-client/deadline", Fixture, NULL, fixture_set_up, test_deadline, fixture_tear_down);
  g_test_add ("/x-client/proxy-bypass-loopback", Fixture, NULL, fixture_set_up, test_proxy_bypass_loopback, fixture_tear_down);

  status = g_test_run ();

  bh_fake_server_stop (server);
  return status;
}
