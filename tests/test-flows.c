/* test-flows.c
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

/* The bearer, existing-tokens, verify and revoke flows against the fake X
 * server and the real (private) keyring. */

#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "bh-bearer-flow.h"
#include "bh-flow-test.h"
#include "bh-revoke-flow.h"
#include "bh-secret.h"
#include "bh-test-utils.h"
#include "bh-tokens-flow.h"
#include "bh-verify-flow.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

static char *
server_bearer (FlowFixture *f)
{
  g_autoptr(JsonNode) node = bh_fake_server_get_json (f->server, "/_fake/state");
  JsonObject *bearers;

  bearers = json_object_get_object_member (json_node_get_object (node), "bearers");
  if (bearers == NULL || !json_object_has_member (bearers, BH_FAKE_CONSUMER_KEY) ||
      json_object_get_null_member (bearers, BH_FAKE_CONSUMER_KEY))
    return NULL;

  return bh_secret_dup (json_object_get_string_member (bearers, BH_FAKE_CONSUMER_KEY));
}

static char *
last_scheme (FlowFixture *f,
             const char  *path)
{
  g_autoptr(JsonNode) node = bh_fake_server_get_json (f->server, "/_fake/state");
  JsonObject *schemes;

  schemes = json_object_get_object_member (json_node_get_object (node),
                                           "last_authorization_scheme");
  g_assert_nonnull (schemes);
  return g_strdup (json_object_get_string_member_with_default (schemes, path, NULL));
}

static char *
generate_bearer (FlowFixture *f)
{
  g_autoptr(BhBearerFlow) flow = bh_bearer_flow_new (f->store, f->app, BH_BEARER_FLOW_GENERATE);
  g_autoptr(GError) error = NULL;

  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_DONE);
  g_assert_nonnull (bh_bearer_flow_get_token (flow));

  return bh_secret_dup (bh_bearer_flow_get_token (flow));
}

static void
test_bearer_generate (FlowFixture   *f,
                      gconstpointer  data)
{
  g_autoptr(BhSecret) first = NULL;
  g_autoptr(BhSecret) second = NULL;
  g_autoptr(BhSecret) at_server = NULL;

  g_assert_false (bh_app_get_has_bearer (f->app));

  first = generate_bearer (f);
  at_server = server_bearer (f);
  g_assert_true (bh_secret_equal (first, at_server));
  g_assert_true (bh_app_get_has_bearer (f->app));
  g_assert_cmpuint (flow_test_count_secrets (f, "bearer"), ==, 1);

  /* X hands out the same token until it is invalidated. */
  second = generate_bearer (f);
  g_assert_true (bh_secret_equal (first, second));
  g_assert_cmpuint (flow_test_count_secrets (f, "bearer"), ==, 1);
}

/* X invalidated the old token but handed out no new one: the run says so,
 * the old (dead) token stays stored, and a second rotation goes on from
 * X's "already invalid" to a new token. */
static void
test_bearer_rotate_no_new_token (FlowFixture   *f,
                                 gconstpointer  data)
{
  g_autoptr(BhSecret) old = generate_bearer (f);
  g_autoptr(BhBearerFlow) flow = bh_bearer_flow_new (f->store, f->app, BH_BEARER_FLOW_ROTATE);
  g_autoptr(BhBearerFlow) again = bh_bearer_flow_new (f->store, f->app, BH_BEARER_FLOW_ROTATE);
  g_autoptr(BhSecret) now_at_server = NULL;
  g_autoptr(GError) error = NULL;

  bh_fake_server_fault (f->server, "/oauth2/token", "503", 1);
  g_assert_false (flow_test_run (BH_FLOW (flow), &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "was invalidated, but X did not issue a new one"));
  g_assert_true (bh_bearer_flow_get_invalidated (flow));
  g_assert_true (flow_test_state_lists (f, "invalidated_bearers", old));
  g_assert_true (bh_app_get_has_bearer (f->app));
  g_assert_cmpuint (flow_test_count_secrets (f, "bearer"), ==, 1);
  g_assert_null (bh_app_get_time (f->app, BH_APP_TIME_BEARER_ROTATED));
  g_clear_error (&error);

  flow_assert_ok (flow_test_run (BH_FLOW (again), &error), error);
  g_assert_true (bh_bearer_flow_get_already_invalid (again));
  now_at_server = server_bearer (f);
  g_assert_nonnull (now_at_server);
  g_assert_true (bh_secret_equal (bh_bearer_flow_get_token (again), now_at_server));
  g_assert_false (bh_secret_equal (now_at_server, old));
  g_assert_cmpuint (flow_test_count_secrets (f, "bearer"), ==, 1);
  g_assert_nonnull (bh_app_get_time (f->app, BH_APP_TIME_BEARER_ROTATED));
}

static void
check_invalidated (FlowFixture *f,
                   const char  *bearer,
                   const char  *scheme)
{
  g_autoptr(BhBearerFlow) flow = bh_bearer_flow_new (f->store, f->app, BH_BEARER_FLOW_INVALIDATE);
  g_autoptr(GError) error = NULL;
  g_autofree char *used = NULL;

  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_DONE);
  g_assert_false (bh_bearer_flow_get_already_invalid (flow));
  g_assert_false (bh_app_get_has_bearer (f->app));
  g_assert_cmpuint (flow_test_count_secrets (f, "bearer"), ==, 0);
  g_assert_true (flow_test_state_lists (f, "invalidated_bearers", bearer));

  used = last_scheme (f, "/oauth2/invalidate_token");
  g_assert_cmpstr (used, ==, scheme);
}

static void
test_bearer_invalidate_basic (FlowFixture   *f,
                              gconstpointer  data)
{
  g_autoptr(BhSecret) bearer = generate_bearer (f);

  /* No account: the App's own keys (HTTP Basic) sign. */
  check_invalidated (f, bearer, "Basic");
}

static void
test_bearer_invalidate_user (FlowFixture   *f,
                             gconstpointer  data)
{
  g_autoptr(BhAccount) account = flow_test_authorize (f, "alice");
  g_autoptr(BhSecret) bearer = generate_bearer (f);

  /* With an account, user context as X documents it. */
  check_invalidated (f, bearer, "OAuth");
}

static void
test_bearer_invalidate_already (FlowFixture   *f,
                                gconstpointer  data)
{
  g_autoptr(BhSecret) bearer = generate_bearer (f);
  g_autoptr(BhBearerFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  bh_fake_server_fault (f->server, "/oauth2/invalidate_token", "89", 1);

  flow = bh_bearer_flow_new (f->store, f->app, BH_BEARER_FLOW_INVALIDATE);
  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);
  g_assert_true (bh_bearer_flow_get_already_invalid (flow));
  g_assert_false (bh_app_get_has_bearer (f->app));
  g_assert_cmpuint (flow_test_count_secrets (f, "bearer"), ==, 0);
}

/* A server that reads access_token only from the form body, or only from
 * the query: X's documents show both. */
static void
test_bearer_invalidate_param_source (FlowFixture   *f,
                                     gconstpointer  data)
{
  const char *source = data;
  g_autoptr(BhSecret) bearer = NULL;
  g_autoptr(BhSecret) second = NULL;
  g_autoptr(BhAccount) account = NULL;

  bh_fake_server_control (f->server, "/_fake/param-source",
                          "path", "/oauth2/invalidate_token",
                          "source", source,
                          NULL);

  bearer = generate_bearer (f);
  check_invalidated (f, bearer, "Basic");

  account = flow_test_authorize (f, "alice");
  second = generate_bearer (f);
  check_invalidated (f, second, "OAuth");
}

/* X no longer knows the bearer token, and says so in another way than
 * code 89: still "already invalid", never the App's keys. */
static void
test_bearer_invalidate_already_styles (FlowFixture   *f,
                                       gconstpointer  data)
{
  const char *kinds[] = { "401-problem", "401-html", "401-empty" };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(BhSecret) bearer = generate_bearer (f);
      g_autoptr(BhBearerFlow) flow = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("refused as %s", kinds[i]);
      bh_fake_server_fault (f->server, "/oauth2/invalidate_token", kinds[i], 1);
      flow = bh_bearer_flow_new (f->store, f->app, BH_BEARER_FLOW_INVALIDATE);
      flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);
      g_assert_true (bh_bearer_flow_get_already_invalid (flow));
      g_assert_false (bh_app_get_has_bearer (f->app));
      g_assert_cmpuint (flow_test_count_secrets (f, "bearer"), ==, 0);
    }
}

/* A failure that is not about the token names the step. */
static void
test_bearer_invalidate_step_named (FlowFixture   *f,
                                   gconstpointer  data)
{
  g_autoptr(BhSecret) bearer = generate_bearer (f);
  g_autoptr(BhBearerFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  bh_fake_server_control (f->server, "/_fake/fault",
                          "path", "/oauth2/invalidate_token",
                          "kind", "redirect",
                          "location", "https://elsewhere.invalid/oauth2/invalidate_token?access_token=x",
                          NULL);
  flow = bh_bearer_flow_new (f->store, f->app, BH_BEARER_FLOW_INVALIDATE);
  g_assert_false (flow_test_run (BH_FLOW (flow), &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_REDIRECTED);
  g_assert_nonnull (strstr (error->message, "elsewhere.invalid"));
  g_assert_null (strstr (error->message, "access_token"));
  /* Nothing was removed: X was never asked. */
  g_assert_true (bh_app_get_has_bearer (f->app));
  g_assert_cmpuint (flow_test_count_secrets (f, "bearer"), ==, 1);
}

static void
test_bearer_not_bearer (FlowFixture   *f,
                        gconstpointer  data)
{
  g_autoptr(BhBearerFlow) flow = bh_bearer_flow_new (f->store, f->app, BH_BEARER_FLOW_GENERATE);
  g_autoptr(GError) error = NULL;

  bh_fake_server_fault (f->server, "/oauth2/token", "not-bearer", 1);

  g_assert_false (flow_test_run (BH_FLOW (flow), &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_NOT_BEARER);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_FAILED);
  g_assert_error (bh_flow_get_error (BH_FLOW (flow)), BH_X_ERROR, BH_X_ERROR_NOT_BEARER);
  g_assert_null (bh_bearer_flow_get_token (flow));
  g_assert_false (bh_app_get_has_bearer (f->app));
  g_assert_cmpuint (flow_test_count_secrets (f, "bearer"), ==, 0);
}

static void
test_tokens_valid (FlowFixture   *f,
                   gconstpointer  data)
{
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) token_secret = NULL;
  g_autoptr(BhTokensFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  BhAccount *account;

  flow_test_get_tokens (f, "bob", &token, &token_secret);

  flow = bh_tokens_flow_new (f->store, f->app, token, token_secret);
  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);

  account = bh_tokens_flow_get_account (flow);
  g_assert_nonnull (account);
  g_assert_cmpstr (bh_account_get_user_id (account), ==, "1002");
  g_assert_cmpstr (bh_account_get_screen_name (account), ==, "bob");
  g_assert_cmpstr (bh_account_get_name (account), ==, "Bob Builder");
  g_assert_cmpstr (bh_account_get_access_level (account), ==, "read-write");
  g_assert_nonnull (bh_account_get_verified_at (account));
  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 1);
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 1);
}

static void
test_tokens_invalid (FlowFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(BhTokensFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  flow = bh_tokens_flow_new (f->store, f->app,
                             "1001-ThisTokenWasNeverIssuedByTheFakeServer00",
                             "NorWasThisSecretIssuedByTheFakeServer00000000");
  g_assert_false (flow_test_run (BH_FLOW (flow), &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_INVALID_TOKEN);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_FAILED);
  g_assert_null (bh_tokens_flow_get_account (flow));
  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 0);
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 0);
}

static void
test_verify (FlowFixture   *f,
             gconstpointer  data)
{
  g_autoptr(BhAccount) account = flow_test_authorize (f, "alice");
  g_autoptr(BhVerifyFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  gint64 limit, remaining, reset;

  /* What an old record might say; verify must bring it up to date. */
  bh_account_set_name (account, "Someone Else");
  bh_account_set_screen_name (account, "old_name");
  bh_account_set_access_level (account, "read");
  bh_account_set_verified_at (account, NULL);
  bh_account_set_rate_limit (account, -1, -1, 0);

  flow = bh_verify_flow_new (f->store, account);
  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_DONE);
  g_assert_true (bh_verify_flow_get_account (flow) == account);

  g_assert_cmpstr (bh_account_get_name (account), ==, "Alice Example");
  g_assert_cmpstr (bh_account_get_screen_name (account), ==, "alice");
  g_assert_cmpstr (bh_account_get_access_level (account), ==, "read-write");
  g_assert_nonnull (bh_account_get_verified_at (account));
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_OK);
  bh_account_get_rate_limit (account, &limit, &remaining, &reset);
  g_assert_cmpint (limit, ==, 75);
  g_assert_cmpint (remaining, >=, 0);
  g_assert_cmpint (remaining, <, 75);
  g_assert_cmpint (reset, >, g_get_real_time () / G_USEC_PER_SEC);

  /* Saved: a fresh load sees the refreshed record. */
  {
    g_autoptr(BhStore) store = bh_store_new (f->records_path);
    g_autoptr(GAsyncResult) result = NULL;
    BhApp *app;
    BhAccount *reloaded;

    bh_store_load_async (store, NULL, bh_test_store_result, &result);
    bh_test_wait_for_result (&result, 30);
    g_assert_true (bh_store_load_finish (store, result, &error));
    app = bh_store_find_app (store, f->app_id);
    g_assert_nonnull (app);
    reloaded = bh_app_find_account (app, "1001");
    g_assert_nonnull (reloaded);
    g_assert_cmpstr (bh_account_get_name (reloaded), ==, "Alice Example");
    g_assert_cmpstr (bh_account_get_access_level (reloaded), ==, "read-write");
    g_assert_nonnull (bh_account_get_verified_at (reloaded));
  }
}

static char *
lookup_token (FlowFixture *f,
              BhAccount   *account,
              char       **token_secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *token = NULL;
  g_autoptr(BhSecret) secret = NULL;

  bh_store_lookup_account_tokens_async (f->store, account, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, 30);
  g_assert_true (bh_store_lookup_account_tokens_finish (f->store, result, &token, &secret, &error));
  g_assert_no_error (error);

  if (token_secret != NULL)
    *token_secret = g_steal_pointer (&secret);

  return token;
}

/* Revokes the account's token at X behind the store's back, as the
 * person could from X's settings. */
static void
invalidate_at_server (FlowFixture *f,
                      BhAccount   *account)
{
  g_autoptr(BhXClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) token_secret = NULL;
  BhAuth auth = { 0, };

  token = lookup_token (f, account, &token_secret);

  client = bh_x_client_new (bh_fake_server_get_url (f->server), &error);
  g_assert_no_error (error);
  auth.mode = BH_AUTH_OAUTH1_USER;
  auth.consumer_key = BH_FAKE_CONSUMER_KEY;
  auth.consumer_secret = BH_FAKE_CONSUMER_SECRET;
  auth.token = token;
  auth.token_secret = token_secret;
  bh_x_client_invalidate_token_async (client, &auth, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, 30);
  g_assert_true (bh_x_client_invalidate_token_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_true (flow_test_state_lists (f, "invalidated_access_tokens", token));
}

static void
test_verify_revoked (FlowFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(BhAccount) account = flow_test_authorize (f, "alice");
  g_autoptr(BhVerifyFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  /* Revoked behind our back (as from X's settings page). */
  invalidate_at_server (f, account);

  flow = bh_verify_flow_new (f->store, account);
  g_assert_false (flow_test_run (BH_FLOW (flow), &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_INVALID_TOKEN);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_FAILED);
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_NEEDS_REAUTH);

  /* Kept, tokens and all, for the person to decide. */
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 1);
  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 1);
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 1);
}

static void
test_revoke (FlowFixture   *f,
             gconstpointer  data)
{
  g_autoptr(BhAccount) account = flow_test_authorize (f, "alice");
  g_autoptr(BhRevokeFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) token = NULL;

  token = lookup_token (f, account, NULL);
  g_assert_false (flow_test_state_lists (f, "invalidated_access_tokens", token));

  flow = bh_revoke_flow_new (f->store, account);
  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_DONE);
  g_assert_false (bh_revoke_flow_get_already_invalid (flow));

  g_assert_true (flow_test_state_lists (f, "invalidated_access_tokens", token));
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 0);
  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 0);
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 0);
}

static void
test_revoke_already_invalid (FlowFixture   *f,
                             gconstpointer  data)
{
  g_autoptr(BhAccount) account = flow_test_authorize (f, "alice");
  g_autoptr(BhRevokeFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  invalidate_at_server (f, account);

  flow = bh_revoke_flow_new (f->store, account);
  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);
  g_assert_true (bh_revoke_flow_get_already_invalid (flow));
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 0);
  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 0);
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 0);
}

static void
check_revoke_kept (FlowFixture *f,
                   const char  *fault,
                   BhXError     code)
{
  g_autoptr(BhAccount) account = flow_test_authorize (f, "alice");
  g_autoptr(BhRevokeFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  bh_fake_server_fault (f->server, "/1.1/oauth/invalidate_token", fault, 1);

  flow = bh_revoke_flow_new (f->store, account);
  g_assert_false (flow_test_run (BH_FLOW (flow), &error));
  g_assert_error (error, BH_X_ERROR, code);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_FAILED);
  g_assert_false (bh_revoke_flow_get_already_invalid (flow));
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 1);
  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 1);
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 1);
}

static void
test_revoke_unreachable (FlowFixture   *f,
                         gconstpointer  data)
{
  check_revoke_kept (f, "drop", BH_X_ERROR_CONNECTION);
}

static void
test_revoke_server_error (FlowFixture   *f,
                          gconstpointer  data)
{
  check_revoke_kept (f, "503", BH_X_ERROR_SERVER);
}

static void
test_clock_skew (FlowFixture   *f,
                 gconstpointer  data)
{
  g_autoptr(BhAccount) account = flow_test_authorize (f, "alice");
  g_autoptr(BhVerifyFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  gint64 skew = 0;

  bh_fake_server_control (f->server, "/_fake/clock", "offset", "3600", NULL);

  flow = bh_verify_flow_new (f->store, account);
  g_assert_cmpint (bh_flow_get_clock_skew (BH_FLOW (flow)), ==, 0);
  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);

  g_object_get (flow, "clock-skew", &skew, NULL);
  g_assert_cmpint (skew, ==, bh_flow_get_clock_skew (BH_FLOW (flow)));
  g_test_message ("measured clock skew: %" G_GINT64_FORMAT " s", skew);
  g_assert_cmpint (skew, >=, 3600 - 5);
  g_assert_cmpint (skew, <=, 3600 + 5);
  g_assert_nonnull (bh_account_get_verified_at (account));
}

static void
test_tokens_clock_skew (FlowFixture   *f,
                        gconstpointer  data)
{
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) token_secret = NULL;
  g_autoptr(BhTokensFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_verified;

  flow_test_get_tokens (f, "bob", &token, &token_secret);
  n_verified = flow_test_request_count (f, "/1.1/account/verify_credentials.json");
  bh_fake_server_control (f->server, "/_fake/clock", "offset", "3600", NULL);

  flow = bh_tokens_flow_new (f->store, f->app, token, token_secret);
  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);

  /* Refused once (135), then accepted with X's time. */
  g_assert_cmpint (flow_test_request_count (f, "/1.1/account/verify_credentials.json"), ==, n_verified + 2);
  g_assert_cmpint (bh_flow_get_clock_skew (BH_FLOW (flow)), >=, 3600 - 5);
  g_assert_cmpint (bh_flow_get_clock_skew (BH_FLOW (flow)), <=, 3600 + 5);
  g_assert_cmpstr (bh_account_get_user_id (bh_tokens_flow_get_account (flow)), ==, "1002");
  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 1);
}

static void
test_revoke_clock_skew (FlowFixture   *f,
                        gconstpointer  data)
{
  g_autoptr(BhAccount) account = flow_test_authorize (f, "alice");
  g_autoptr(BhRevokeFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) token = NULL;

  token = lookup_token (f, account, NULL);
  bh_fake_server_control (f->server, "/_fake/clock", "offset", "3600", NULL);

  flow = bh_revoke_flow_new (f->store, account);
  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);

  g_assert_cmpint (flow_test_request_count (f, "/1.1/oauth/invalidate_token"), ==, 2);
  g_assert_cmpint (bh_flow_get_clock_skew (BH_FLOW (flow)), >=, 3600 - 5);
  g_assert_false (bh_revoke_flow_get_already_invalid (flow));
  g_assert_true (flow_test_state_lists (f, "invalidated_access_tokens", token));
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 0);
  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 0);
}

/* A run retries one step once on clock skew, never twice: a server that
 * keeps refusing the timestamp fails the run with that refusal. */
static void
test_clock_skew_retried_once (FlowFixture   *f,
                              gconstpointer  data)
{
  g_autoptr(BhAccount) account = flow_test_authorize (f, "alice");
  g_autoptr(BhVerifyFlow) flow = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_verified = flow_test_request_count (f, "/1.1/account/verify_credentials.json");

  bh_fake_server_control (f->server, "/_fake/clock", "offset", "3600", NULL);
  bh_fake_server_fault (f->server, "/1.1/account/verify_credentials.json", "135", 0);

  flow = bh_verify_flow_new (f->store, account);
  g_assert_false (flow_test_run (BH_FLOW (flow), &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_TIMESTAMP);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_FAILED);
  g_assert_cmpint (flow_test_request_count (f, "/1.1/account/verify_credentials.json"), ==, n_verified + 2);
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_OK);
}

/* Removes the account's tokens from the keyring behind the store's back. */
static void
clear_user_secrets (FlowFixture *f)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (attributes, (gpointer) "app-id", f->app_id);
  g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) "user");
  g_assert_true (secret_password_clearv_sync (bh_store_get_schema (), attributes, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 0);
}

/* Without the account's tokens neither verify nor revoke asks X anything,
 * and the account stays for the person to authorize again or remove. */
static void
test_tokens_missing (FlowFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(BhAccount) account = flow_test_authorize (f, "alice");
  g_autoptr(BhVerifyFlow) verify = NULL;
  g_autoptr(BhRevokeFlow) revoke = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_verified = flow_test_request_count (f, "/1.1/account/verify_credentials.json");

  clear_user_secrets (f);

  verify = bh_verify_flow_new (f->store, account);
  g_assert_false (flow_test_run (BH_FLOW (verify), &error));
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, BH_X_ERROR, BH_X_ERROR_CANCELLED));
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (verify)), ==, BH_FLOW_STATE_FAILED);
  g_clear_error (&error);

  revoke = bh_revoke_flow_new (f->store, account);
  g_assert_false (flow_test_run (BH_FLOW (revoke), &error));
  g_assert_nonnull (error);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (revoke)), ==, BH_FLOW_STATE_FAILED);
  g_assert_false (bh_revoke_flow_get_already_invalid (revoke));

  g_assert_cmpint (flow_test_request_count (f, "/1.1/account/verify_credentials.json"), ==, n_verified);
  g_assert_cmpint (flow_test_request_count (f, "/1.1/oauth/invalidate_token"), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 1);
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 1);
}

static void
test_runs_once (FlowFixture   *f,
                gconstpointer  data)
{
  g_autoptr(BhBearerFlow) flow = bh_bearer_flow_new (f->store, f->app, BH_BEARER_FLOW_GENERATE);
  g_autoptr(GError) error = NULL;

  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);

  g_assert_false (flow_test_run (BH_FLOW (flow), &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_FAILED);
  /* The first run's result stands. */
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_DONE);
}

static void
test_cancel_before_run (FlowFixture   *f,
                        gconstpointer  data)
{
  g_autoptr(BhBearerFlow) flow = bh_bearer_flow_new (f->store, f->app, BH_BEARER_FLOW_GENERATE);
  g_autoptr(GError) error = NULL;

  bh_flow_cancel (BH_FLOW (flow));
  g_assert_false (flow_test_run (BH_FLOW (flow), &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_CANCELLED);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_CANCELLED);
  g_assert_false (bh_app_get_has_bearer (f->app));
  g_assert_cmpuint (flow_test_count_secrets (f, "bearer"), ==, 0);
}

#define ADD(path, func) \
  g_test_add (path, FlowFixture, NULL, flow_fixture_setup, func, flow_fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  int ret;

  bh_test_capture_logs ();
  g_test_init (&argc, &argv, NULL);

  ADD ("/flows/bearer/generate", test_bearer_generate);
  ADD ("/flows/bearer/invalidate-basic", test_bearer_invalidate_basic);
  ADD ("/flows/bearer/invalidate-user", test_bearer_invalidate_user);
  ADD ("/flows/bearer/invalidate-already-invalid", test_bearer_invalidate_already);
  ADD ("/flows/bearer/not-bearer", test_bearer_not_bearer);
  ADD ("/flows/bearer/rotate-no-new-token", test_bearer_rotate_no_new_token);
  g_test_add ("/flows/bearer/invalidate-form-only", FlowFixture, "form",
              flow_fixture_setup, test_bearer_invalidate_param_source, flow_fixture_teardown);
  g_test_add ("/flows/bearer/invalidate-query-only", FlowFixture, "query",
              flow_fixture_setup, test_bearer_invalidate_param_source, flow_fixture_teardown);
  ADD ("/flows/bearer/invalidate-already-invalid-styles", test_bearer_invalidate_already_styles);
  ADD ("/flows/bearer/invalidate-redirected", test_bearer_invalidate_step_named);
  ADD ("/flows/tokens/valid", test_tokens_valid);
  ADD ("/flows/tokens/invalid", test_tokens_invalid);
  ADD ("/flows/verify/ok", test_verify);
  ADD ("/flows/verify/revoked", test_verify_revoked);
  ADD ("/flows/revoke/ok", test_revoke);
  ADD ("/flows/revoke/already-invalid", test_revoke_already_invalid);
  ADD ("/flows/revoke/unreachable", test_revoke_unreachable);
  ADD ("/flows/revoke/server-error", test_revoke_server_error);
  ADD ("/flows/clock-skew", test_clock_skew);
  ADD ("/flows/clock-skew-retried-once", test_clock_skew_retried_once);
  ADD ("/flows/tokens/clock-skew", test_tokens_clock_skew);
  ADD ("/flows/revoke/clock-skew", test_revoke_clock_skew);
  ADD ("/flows/tokens-missing", test_tokens_missing);
  ADD ("/flows/runs-once", test_runs_once);
  ADD ("/flows/cancel-before-run", test_cancel_before_run);

  ret = g_test_run ();
  flow_test_shutdown ();

  return ret;
}
