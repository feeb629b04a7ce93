/* test-oauth2-flow.c
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

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bh-flow-test.h"
#include "bh-oauth2.h"
#include "bh-oauth2-flow.h"
#include "bh-oauth2-token.h"
#include "bh-test-utils.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

/*
 * BhOAuth2Flow against the fake X server (OAuth 2.0 on oauthlib) and the
 * fake browser, which follows X's redirect to the flow's loopback
 * listener as a real browser does; the real keyring. Then the access
 * token kept alive by bh_oauth2_token_async().
 */

#define WAIT_SECONDS 30

typedef struct
{
  FlowFixture  base;
  guint16      port;
  char        *redirect_uri;
  char        *browser_result;
} Fixture;

static guint16
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);

  return port;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  gboolean public_client = GPOINTER_TO_INT (data);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BhStoreAppFields fields = { 0 };

  flow_fixture_setup (&f->base, NULL);

  f->port = free_port ();
  f->redirect_uri = g_strdup_printf ("http://127.0.0.1:%u/callback", f->port);
  f->browser_result = g_build_filename (f->base.dir, "browser.json", NULL);
  bh_fake_server_add_oauth2_client (f->base.server,
                                    public_client ? BH_FAKE_PUBLIC_CLIENT_ID : BH_FAKE_CLIENT_ID,
                                    public_client ? NULL : BH_FAKE_CLIENT_SECRET,
                                    f->redirect_uri);

  fields.name = bh_app_get_name (f->base.app);
  fields.consumer_key = bh_app_get_consumer_key (f->base.app);
  fields.api_host = bh_app_get_api_host (f->base.app);
  fields.client_id = public_client ? BH_FAKE_PUBLIC_CLIENT_ID : BH_FAKE_CLIENT_ID;
  fields.client_secret = public_client ? NULL : BH_FAKE_CLIENT_SECRET;
  fields.redirect_uri = f->redirect_uri;
  bh_store_update_app_full_async (f->base.store, f->base.app, &fields, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  flow_assert_ok (bh_store_update_app_full_finish (f->base.store, result, &error), error);

  g_setenv ("BH_FAKE_BROWSER_RESULT", f->browser_result, TRUE);
  g_setenv ("BH_FAKE_BROWSER_ACTION", "authorize", TRUE);
  g_setenv ("BH_FAKE_BROWSER_FOLLOW", "1", TRUE);
  g_unsetenv ("BH_FAKE_BROWSER_FORGE_STATE");
  g_unsetenv ("BH_FAKE_BROWSER_USER");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *logs = NULL;

  g_clear_pointer (&f->redirect_uri, g_free);
  g_clear_pointer (&f->browser_result, g_free);
  flow_fixture_teardown (&f->base, NULL);
  logs = bh_test_take_logs ();
  bh_fake_server_assert_no_secret_in (flow_test_server (), logs);
}

/* What the fake browser recorded (waits for its file). */
static JsonNode *
browser_result (Fixture *f)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!g_file_test (f->browser_result, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (20000);

  json_parser_load_from_file (parser, f->browser_result, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Runs the fake browser at @url without following X's redirect (the
 * person copies the address instead); returns that address. */
static char *
browse_without_following (Fixture    *f,
                          const char *url,
                          const char *action)
{
  g_autoptr(JsonNode) result = NULL;
  g_auto(GStrv) env = g_get_environ ();
  const char *argv[] = { "/usr/bin/python3", g_getenv ("BH_FAKE_BROWSER"), url, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  env = g_environ_setenv (env, "BH_FAKE_BROWSER_FOLLOW", "0", TRUE);
  env = g_environ_setenv (env, "BH_FAKE_BROWSER_ACTION", action, TRUE);
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  result = browser_result (f);
  g_unlink (f->browser_result);
  return g_strdup (json_object_get_string_member (json_node_get_object (result), "redirect"));
}

static guint
count_grants (Fixture *f)
{
  return flow_test_count_secrets (&f->base, "oauth2-grant");
}

static void
assert_nothing_stored (Fixture *f)
{
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->base.app)), ==, 0);
  g_assert_cmpuint (count_grants (f), ==, 0);
  g_assert_cmpuint (flow_test_reload_count_accounts (&f->base), ==, 0);
}

static void
assert_alice_oauth2 (BhAccount *account)
{
  g_assert_nonnull (account);
  g_assert_cmpstr (bh_account_get_screen_name (account), ==, "alice");
  g_assert_cmpint (bh_account_get_credentials (account), ==, BH_ACCOUNT_CREDENTIALS_OAUTH2);
  g_assert_cmpstr (bh_account_get_oauth2_scopes (account), ==, "tweet.read users.read offline.access");
  g_assert_cmpint (bh_account_get_oauth2_expires_at (account), >, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_OK);
}

/* A store loaded again from @records_path (records or keyring). */
static BhStore *
reload (const char *records_path)
{
  g_autoptr(BhStore) store = bh_store_new (records_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bh_store_load_async (store, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  bh_store_load_finish (store, result, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&store);
}

static BhAccount *
find_account (BhStore    *store,
              const char *app_id,
              const char *screen_name)
{
  BhApp *app = bh_store_find_app (store, app_id);
  GListModel *accounts;

  g_assert_nonnull (app);
  accounts = bh_app_get_accounts (app);
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (accounts, i);

      if (g_strcmp0 (bh_account_get_screen_name (account), screen_name) == 0)
        return account;
    }

  return NULL;
}

static void
test_full (Fixture       *f,
           gconstpointer  data)
{
  gboolean public_client = GPOINTER_TO_INT (data);
  g_autoptr(BhOAuth2Flow) flow = bh_oauth2_flow_new (f->base.store, f->base.app);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) browser = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(BhStore) again = NULL;
  BhAccount *account;

  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_DONE);
  g_assert_cmpstr (bh_oauth2_flow_get_redirect_uri (flow), ==, f->redirect_uri);
  g_assert_true (g_str_has_prefix (bh_oauth2_flow_get_authorize_url (flow), bh_fake_server_get_url (f->base.server)));
  assert_alice_oauth2 (bh_oauth2_flow_get_account (flow));
  g_assert_cmpuint (count_grants (f), ==, 1);
  g_assert_cmpuint (flow_test_count_secrets (&f->base, "user"), ==, 0);

  /* No OAuth 1.0a tokens: not "missing", never there. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) lookup_error = NULL;

    bh_store_lookup_account_tokens_async (f->base.store, bh_oauth2_flow_get_account (flow), NULL,
                                          bh_test_store_result, &result);
    bh_test_wait_for_result (&result, WAIT_SECONDS);
    g_assert_false (bh_store_lookup_account_tokens_finish (f->base.store, result, NULL, NULL, &lookup_error));
    g_assert_error (lookup_error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND);
    g_assert_cmpint (bh_account_get_state (bh_oauth2_flow_get_account (flow)), ==, BH_ACCOUNT_STATE_OK);
  }

  /* The browser went back to the listener, which answered it. */
  browser = browser_result (f);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (browser), "listener_status"), ==, 200);

  state = bh_fake_server_get_oauth2_state (f->base.server);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (state), "last_client_auth"), ==,
                   public_client ? "client_id" : "basic");

  /* The records say what the account holds; lost, the keyring says it. */
  again = reload (f->base.records_path);
  assert_alice_oauth2 (find_account (again, f->base.app_id, "alice"));
  g_clear_object (&again);
  g_assert_cmpint (g_unlink (f->base.records_path), ==, 0);
  again = reload (f->base.records_path);
  account = find_account (again, f->base.app_id, "alice");
  g_assert_nonnull (account);
  g_assert_true (bh_account_get_restored (account));
  g_assert_cmpint (bh_account_get_credentials (account), ==, BH_ACCOUNT_CREDENTIALS_OAUTH2);
}

static void
test_pasted (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(BhOAuth2Flow) flow = bh_oauth2_flow_new (f->base.store, f->base.app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = NULL;
  g_autofree char *forged = NULL;
  char *state;

  g_object_set (flow, "open-browser", FALSE, NULL);
  flow_test_start (BH_FLOW (flow), &result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_BROWSER);
  redirect = browse_without_following (f, bh_oauth2_flow_get_authorize_url (flow), "authorize");

  /* Another attempt's address: refused, and the flow keeps waiting. */
  forged = g_strdup (redirect);
  state = strstr (forged, "state=");
  g_assert_nonnull (state);
  state[6] = state[6] == 'A' ? 'B' : 'A';
  g_assert_false (bh_oauth2_flow_submit_redirect (flow, forged, &error));
  g_assert_error (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_STATE_MISMATCH);
  g_clear_error (&error);
  g_assert_false (bh_oauth2_flow_submit_redirect (flow, "not a url", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_WAITING_FOR_BROWSER);

  g_assert_true (bh_oauth2_flow_submit_redirect (flow, redirect, &error));
  g_assert_no_error (error);
  flow_assert_ok (flow_test_finish (BH_FLOW (flow), &result, &error), error);
  assert_alice_oauth2 (bh_oauth2_flow_get_account (flow));
  g_assert_false (bh_oauth2_flow_submit_redirect (flow, redirect, NULL));
}

static void
test_pasted_access_denied (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BhOAuth2Flow) flow = bh_oauth2_flow_new (f->base.store, f->base.app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect = NULL;

  g_object_set (flow, "open-browser", FALSE, NULL);
  flow_test_start (BH_FLOW (flow), &result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_BROWSER);
  redirect = browse_without_following (f, bh_oauth2_flow_get_authorize_url (flow), "cancel");

  g_assert_true (bh_oauth2_flow_submit_redirect (flow, redirect, &error));
  g_assert_false (flow_test_finish (BH_FLOW (flow), &result, &error));
  g_assert_error (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_ACCESS_DENIED);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_FAILED);
  assert_nothing_stored (f);
}

static void
test_access_denied (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(BhOAuth2Flow) flow = bh_oauth2_flow_new (f->base.store, f->base.app);
  g_autoptr(GError) error = NULL;

  g_setenv ("BH_FAKE_BROWSER_ACTION", "cancel", TRUE);
  g_assert_false (flow_test_run (BH_FLOW (flow), &error));
  g_assert_error (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_ACCESS_DENIED);
  assert_nothing_stored (f);
}

static void
test_wrong_state_at_listener (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(BhOAuth2Flow) flow = bh_oauth2_flow_new (f->base.store, f->base.app);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) browser = NULL;
  JsonObject *forged;

  /* Another page visits the listener with a state of its own first. */
  g_setenv ("BH_FAKE_BROWSER_FORGE_STATE", "1", TRUE);
  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);
  assert_alice_oauth2 (bh_oauth2_flow_get_account (flow));

  browser = browser_result (f);
  forged = json_object_get_object_member (json_node_get_object (browser), "forged");
  g_assert_nonnull (forged);
  g_assert_cmpint (json_object_get_int_member (forged, "listener_status"), ==, 400);
}

static void
test_port_in_use (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BhOAuth2Flow) flow = bh_oauth2_flow_new (f->base.store, f->base.app);
  g_autoptr(GSocketListener) taken = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, f->port);
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", f->port);

  g_socket_listener_add_address (taken, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, NULL, &error);
  g_assert_no_error (error);

  g_object_set (flow, "open-browser", FALSE, NULL);
  g_assert_false (flow_test_run (BH_FLOW (flow), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_assert_nonnull (strstr (error->message, port));
  g_assert_null (bh_oauth2_flow_get_authorize_url (flow));
  assert_nothing_stored (f);
  g_socket_listener_close (taken);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(BhOAuth2Flow) flow = bh_oauth2_flow_new (f->base.store, f->base.app);
  g_autoptr(GError) error = NULL;

  g_object_set (flow, "open-browser", FALSE, "timeout", 1, NULL);
  g_assert_false (flow_test_run (BH_FLOW (flow), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  assert_nothing_stored (f);
}

static void
slow_fault (Fixture    *f,
            const char *path)
{
  bh_fake_server_control (f->base.server, "/_fake/fault",
                          "path", path, "kind", "slow", "count", "1", "seconds", "5", NULL);
}

static void
check_cancelled (Fixture       *f,
                 BhOAuth2Flow  *flow,
                 GAsyncResult **result)
{
  g_autoptr(GError) error = NULL;

  bh_flow_cancel (BH_FLOW (flow));
  g_assert_false (flow_test_finish (BH_FLOW (flow), result, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_CANCELLED);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_CANCELLED);
  g_assert_null (bh_oauth2_flow_get_account (flow));
  g_assert_false (bh_oauth2_flow_submit_redirect (flow, "http://127.0.0.1/callback?code=x&state=y", NULL));
  assert_nothing_stored (f);
}

static void
test_cancel_idle (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BhOAuth2Flow) flow = bh_oauth2_flow_new (f->base.store, f->base.app);
  g_autoptr(GAsyncResult) result = NULL;

  g_object_set (flow, "open-browser", FALSE, NULL);
  flow_test_start (BH_FLOW (flow), &result);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_IDLE);
  check_cancelled (f, flow, &result);
  g_assert_null (bh_oauth2_flow_get_authorize_url (flow));
}

static void
test_cancel_waiting (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BhOAuth2Flow) flow = bh_oauth2_flow_new (f->base.store, f->base.app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (flow, "open-browser", FALSE, NULL);
  flow_test_start (BH_FLOW (flow), &result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_BROWSER);
  check_cancelled (f, flow, &result);

  /* The port is closed again. */
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", f->port, NULL, &error);
  g_assert_null (connection);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static void
start_and_paste (Fixture       *f,
                 BhOAuth2Flow  *flow,
                 GAsyncResult **result)
{
  g_autofree char *redirect = NULL;

  g_object_set (flow, "open-browser", FALSE, NULL);
  flow_test_start (BH_FLOW (flow), result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_BROWSER);
  redirect = browse_without_following (f, bh_oauth2_flow_get_authorize_url (flow), "authorize");
  g_assert_true (bh_oauth2_flow_submit_redirect (flow, redirect, NULL));
}

/* Cancels while X is slow to answer @path, the flow in @state. */
static void
cancel_while_x_answers (Fixture     *f,
                        const char  *path,
                        BhFlowState  state)
{
  g_autoptr(BhOAuth2Flow) flow = bh_oauth2_flow_new (f->base.store, f->base.app);
  g_autoptr(GAsyncResult) result = NULL;

  slow_fault (f, path);
  start_and_paste (f, flow, &result);
  flow_test_wait_for_requests (&f->base, path, 1);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, state);
  check_cancelled (f, flow, &result);
}

static void
test_cancel_exchanging (Fixture       *f,
                        gconstpointer  data)
{
  cancel_while_x_answers (f, "/2/oauth2/token", BH_FLOW_STATE_EXCHANGING);
}

static void
test_cancel_verifying (Fixture       *f,
                       gconstpointer  data)
{
  cancel_while_x_answers (f, "/2/users/me", BH_FLOW_STATE_VERIFYING);
}

static void
cancel_on_storing (BhFlow     *flow,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  if (bh_flow_get_state (flow) == BH_FLOW_STATE_STORING)
    bh_flow_cancel (flow);
}

/* Once the keyring write began it is let finish: the account exists, and
 * saying CANCELLED would hide it. */
static void
test_cancel_storing (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BhOAuth2Flow) flow = bh_oauth2_flow_new (f->base.store, f->base.app);
  g_autoptr(GError) error = NULL;

  g_signal_connect (flow, "notify::state", G_CALLBACK (cancel_on_storing), NULL);
  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_DONE);
  assert_alice_oauth2 (bh_oauth2_flow_get_account (flow));
  g_assert_cmpuint (count_grants (f), ==, 1);
}

/* An account authorized with a lifetime of @lifetime seconds. */
static BhAccount *
authorize_alice (Fixture *f,
                 guint    lifetime)
{
  g_autoptr(BhOAuth2Flow) flow = bh_oauth2_flow_new (f->base.store, f->base.app);
  g_autoptr(GError) error = NULL;

  bh_fake_server_set_oauth2_lifetime (f->base.server, lifetime);
  flow_assert_ok (flow_test_run (BH_FLOW (flow), &error), error);
  bh_fake_server_set_oauth2_lifetime (f->base.server, 7200);

  return g_object_ref (bh_oauth2_flow_get_account (flow));
}

static BhSecret *
get_token (Fixture   *f,
           BhAccount *account,
           GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_oauth2_token_async (f->base.store, account, FALSE, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  return bh_oauth2_token_finish (f->base.store, result, error);
}

static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(BhAccount) account = authorize_alice (f, 30);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) first = NULL;
  g_autoptr(BhSecret) second = NULL;
  GAsyncResult *result[4] = { NULL, };
  gint64 expires_at = bh_account_get_oauth2_expires_at (account);

  /* Four callers at once in one process: one refresh. */
  for (guint i = 0; i < G_N_ELEMENTS (result); i++)
    bh_oauth2_token_async (f->base.store, account, FALSE, NULL, bh_test_store_result, &result[i]);
  for (guint i = 0; i < G_N_ELEMENTS (result); i++)
    {
      g_autoptr(BhSecret) token = NULL;

      bh_test_wait_for_result (&result[i], WAIT_SECONDS);
      token = bh_oauth2_token_finish (f->base.store, result[i], &error);
      g_assert_no_error (error);
      if (first == NULL)
        first = g_steal_pointer (&token);
      else
        g_assert_true (bh_secret_equal (first, token));
      g_clear_object (&result[i]);
    }
  g_assert_cmpuint (bh_fake_server_oauth2_token_calls (f->base.server, "refresh_token"), ==, 1);
  g_assert_false (bh_fake_server_oauth2_reuse_detected (f->base.server));
  g_assert_cmpint (bh_account_get_oauth2_expires_at (account), >, expires_at);

  second = get_token (f, account, &error);
  g_assert_no_error (error);
  g_assert_true (bh_secret_equal (first, second));
  g_assert_cmpuint (bh_fake_server_oauth2_token_calls (f->base.server, "refresh_token"), ==, 1);
}

static void
revoke_at_x (Fixture   *f,
             BhAccount *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BhOAuth2Grant) grant = NULL;
  g_autoptr(BhXClient) client = NULL;
  g_autoptr(GError) error = NULL;

  bh_store_lookup_oauth2_grant_async (f->base.store, account, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  grant = bh_store_lookup_oauth2_grant_finish (f->base.store, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  client = bh_x_client_new (bh_fake_server_get_url (f->base.server), &error);
  g_assert_no_error (error);
  bh_x_client_oauth2_revoke_async (client, BH_FAKE_CLIENT_ID, BH_FAKE_CLIENT_SECRET, grant->refresh_token,
                                   "refresh_token", NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  g_assert_true (bh_x_client_oauth2_revoke_finish (client, result, &error));
  g_assert_no_error (error);
}

static void
test_refresh_refused (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BhAccount) account = authorize_alice (f, 30);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhStore) again = NULL;

  /* The grant is revoked at X, from elsewhere. */
  revoke_at_x (f, account);
  token = get_token (f, account, &error);
  g_assert_null (token);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_OAUTH2_GRANT_REFUSED);
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_NEEDS_REAUTH);
  g_assert_cmpuint (count_grants (f), ==, 1);

  again = reload (f->base.records_path);
  g_assert_cmpint (bh_account_get_state (find_account (again, f->base.app_id, "alice")), ==,
                   BH_ACCOUNT_STATE_NEEDS_REAUTH);
}

/* The grant items whose attributes name the App @app_name. */
static guint
count_grants_named (const char *app_name)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) "oauth2-grant");
  g_hash_table_insert (attributes, (gpointer) "app-name", (gpointer) app_name);
  secret_password_searchv (bh_store_get_schema (), attributes, SECRET_SEARCH_ALL,
                           NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  items = secret_password_search_finish (result, &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

static void
test_rename_and_remove (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BhAccount) account = authorize_alice (f, 7200);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BhStoreAppFields fields = { 0 };

  /* A rename retags the grant like the tokens. */
  fields.name = "Renamed OAuth 2.0 App";
  fields.consumer_key = bh_app_get_consumer_key (f->base.app);
  fields.api_host = bh_app_get_api_host (f->base.app);
  fields.client_id = bh_app_get_client_id (f->base.app);
  fields.redirect_uri = f->redirect_uri;
  bh_store_update_app_full_async (f->base.store, f->base.app, &fields, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  flow_assert_ok (bh_store_update_app_full_finish (f->base.store, result, &error), error);
  g_clear_object (&result);
  g_assert_cmpuint (count_grants_named ("Renamed OAuth 2.0 App"), ==, 1);

  /* Removing the account removes its grant. */
  bh_store_remove_account_async (f->base.store, account, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  flow_assert_ok (bh_store_remove_account_finish (f->base.store, result, &error), error);
  g_assert_cmpuint (count_grants (f), ==, 0);
}

#define ADD(path, func, data) \
  g_test_add (path, Fixture, GINT_TO_POINTER (data), fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  int ret;

  bh_test_capture_logs ();
  g_test_init (&argc, &argv, NULL);

  ADD ("/oauth2-flow/full/confidential", test_full, FALSE);
  ADD ("/oauth2-flow/full/public", test_full, TRUE);
  ADD ("/oauth2-flow/pasted", test_pasted, FALSE);
  ADD ("/oauth2-flow/pasted-access-denied", test_pasted_access_denied, FALSE);
  ADD ("/oauth2-flow/access-denied", test_access_denied, FALSE);
  ADD ("/oauth2-flow/wrong-state-at-listener", test_wrong_state_at_listener, FALSE);
  ADD ("/oauth2-flow/port-in-use", test_port_in_use, FALSE);
  ADD ("/oauth2-flow/timeout", test_timeout, FALSE);
  ADD ("/oauth2-flow/cancel/idle", test_cancel_idle, FALSE);
  ADD ("/oauth2-flow/cancel/waiting-for-browser", test_cancel_waiting, FALSE);
  ADD ("/oauth2-flow/cancel/exchanging", test_cancel_exchanging, FALSE);
  ADD ("/oauth2-flow/cancel/verifying", test_cancel_verifying, FALSE);
  ADD ("/oauth2-flow/cancel/storing", test_cancel_storing, FALSE);
  ADD ("/oauth2-flow/rename-and-remove", test_rename_and_remove, FALSE);
  ADD ("/oauth2-token/refresh", test_refresh, TRUE);
  ADD ("/oauth2-token/refresh-refused", test_refresh_refused, FALSE);

  ret = g_test_run ();
  flow_test_shutdown ();

  return ret;
}
