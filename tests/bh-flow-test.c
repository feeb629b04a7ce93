/* bh-flow-test.c
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

#include "bh-flow-test.h"

#include <libsecret/secret.h>

#include "bh-pin-flow.h"
#include "bh-secret.h"
#include "bh-test-utils.h"
#include "bh-x-client.h"

#define WAIT_SECONDS 30

static BhFakeServer *server;
static guint fixture_counter;

BhFakeServer *
flow_test_server (void)
{
  if (server == NULL)
    server = bh_fake_server_start ();

  return server;
}

void
flow_test_shutdown (void)
{
  g_clear_pointer (&server, bh_fake_server_stop);
}

static void
clear_keyring (void)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  /* Every item of our schema: tests start from an empty keyring. */
  secret_password_clearv_sync (bh_store_get_schema (), attributes, NULL, &error);
  g_assert_no_error (error);
}

static BhStore *
load_store (const char *records_path)
{
  g_autoptr(BhStore) store = bh_store_new (records_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bh_store_load_async (store, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  g_assert_true (bh_store_load_finish (store, result, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&store);
}

void
flow_fixture_setup (FlowFixture   *f,
                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  const char *tmp = g_getenv ("BH_TEST_TMPDIR");

  g_assert_nonnull (tmp);

  f->server = flow_test_server ();
  bh_fake_server_control (f->server, "/_fake/reset", NULL, NULL);
  clear_keyring ();
  /* What the previous test logged was checked in its teardown. */
  g_free (bh_test_take_logs ());

  f->dir = g_strdup_printf ("%s/flow-test-%u", tmp, ++fixture_counter);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
  f->records_path = g_build_filename (f->dir, "records.ini", NULL);

  f->store = load_store (f->records_path);

  name = g_strdup_printf ("Flow Test App %u", fixture_counter);
  bh_store_add_app_async (f->store, name,
                          BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                          bh_fake_server_get_url (f->server),
                          NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  f->app = bh_store_add_app_finish (f->store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->app);
  /* The store keeps its own reference; the fixture holds one too. */
  f->app_id = g_strdup (bh_app_get_id (f->app));
}

void
flow_fixture_teardown (FlowFixture   *f,
                       gconstpointer  data)
{
  g_autofree char *logs = bh_test_take_logs ();

  /* Everything the flows logged, debug messages included, is safe to
   * paste into a bug report. */
  bh_fake_server_assert_no_secret_in (f->server, logs);

  g_clear_object (&f->app);
  g_clear_object (&f->store);
  g_clear_pointer (&f->app_id, g_free);
  g_clear_pointer (&f->records_path, g_free);
  g_clear_pointer (&f->dir, g_free);

  g_unsetenv ("BH_FAKE_BROWSER_PIN");
  g_unsetenv ("BH_FAKE_BROWSER_LOG");
  g_unsetenv ("BH_FAKE_BROWSER_ACTION");
  g_unsetenv ("BH_FAKE_BROWSER_USER");
}

void
flow_test_start (BhFlow        *flow,
                 GAsyncResult **result)
{
  bh_flow_run_async (flow, bh_test_store_result, result);
}

gboolean
flow_test_finish (BhFlow        *flow,
                  GAsyncResult **result,
                  GError       **error)
{
  bh_test_wait_for_result (result, WAIT_SECONDS);
  return bh_flow_run_finish (flow, *result, error);
}

gboolean
flow_test_run (BhFlow  *flow,
               GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  flow_test_start (flow, &result);
  return flow_test_finish (flow, &result, error);
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
flow_test_wait_for_state (BhFlow      *flow,
                          BhFlowState  state)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, tick_cb, NULL);

  while (bh_flow_get_state (flow) != state &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (id);
  g_assert_cmpint (bh_flow_get_state (flow), ==, state);
}

gint64
flow_test_request_count (FlowFixture *f,
                         const char  *path)
{
  g_autoptr(JsonNode) node = bh_fake_server_get_json (f->server, "/_fake/state");
  JsonObject *counts;

  counts = json_object_get_object_member (json_node_get_object (node), "counts");
  if (counts == NULL || !json_object_has_member (counts, path))
    return 0;

  return json_object_get_int_member (counts, path);
}

void
flow_test_wait_for_requests (FlowFixture *f,
                             const char  *path,
                             gint64       n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint id = g_timeout_add (20, tick_cb, NULL);

  while (flow_test_request_count (f, path) < n &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (id);
  g_assert_cmpint (flow_test_request_count (f, path), >=, n);
}

gboolean
flow_test_state_lists (FlowFixture *f,
                       const char  *member,
                       const char  *value)
{
  g_autoptr(JsonNode) node = bh_fake_server_get_json (f->server, "/_fake/state");
  JsonArray *array;

  array = json_object_get_array_member (json_node_get_object (node), member);
  g_assert_nonnull (array);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (bh_secret_equal (json_array_get_string_element (array, i), value))
        return TRUE;
    }

  return FALSE;
}

guint
flow_test_count_secrets (FlowFixture *f,
                         const char  *kind)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  g_hash_table_insert (attributes, (gpointer) "app-id", f->app_id);
  g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) kind);
  /* Not secret_password_searchv_sync(): libsecret 0.20 leaks a little of
   * each item it found there (LeakSanitizer points into the GDBusProxy
   * set-up in its private main context); the async search, which the
   * store uses, does not. */
  secret_password_searchv (bh_store_get_schema (), attributes, SECRET_SEARCH_ALL,
                           NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  items = secret_password_search_finish (result, &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

guint
flow_test_reload_count_accounts (FlowFixture *f)
{
  g_autoptr(BhStore) store = load_store (f->records_path);
  BhApp *app = bh_store_find_app (store, f->app_id);

  g_assert_nonnull (app);
  return g_list_model_get_n_items (bh_app_get_accounts (app));
}

char *
flow_test_pin_for_url (FlowFixture *f,
                       const char  *authorize_url,
                       const char  *screen_name)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  const char *verifier;

  uri = g_uri_parse (authorize_url, G_URI_FLAGS_ENCODED_QUERY, &error);
  g_assert_no_error (error);
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_hash_table_lookup (params, "oauth_token"));

  token = g_uri_escape_string (g_hash_table_lookup (params, "oauth_token"), NULL, FALSE);
  path = g_strdup_printf ("/_fake/verifier?oauth_token=%s&screen_name=%s",
                          token, screen_name != NULL ? screen_name : "alice");
  node = bh_fake_server_get_json (f->server, path);
  verifier = json_object_get_string_member (json_node_get_object (node), "oauth_verifier");
  g_assert_nonnull (verifier);

  return bh_secret_dup (verifier);
}

BhAccount *
flow_test_authorize (FlowFixture *f,
                     const char  *screen_name)
{
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) pin = NULL;

  g_object_set (flow, "open-browser", FALSE, NULL);
  flow_test_start (BH_FLOW (flow), &result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_PIN);

  pin = flow_test_pin_for_url (f, bh_pin_flow_get_authorize_url (flow), screen_name);
  g_assert_true (bh_pin_flow_submit_pin (flow, pin));
  flow_assert_ok (flow_test_finish (BH_FLOW (flow), &result, &error), error);
  g_assert_nonnull (bh_pin_flow_get_account (flow));

  return g_object_ref (bh_pin_flow_get_account (flow));
}

void
flow_test_get_tokens (FlowFixture  *f,
                      const char   *screen_name,
                      char        **token,
                      char        **token_secret)
{
  g_autoptr(BhXClient) client = NULL;
  g_autoptr(BhXTokenPair) request = NULL;
  g_autoptr(BhXTokenPair) access = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) pin = NULL;
  g_autofree char *url = NULL;

  client = bh_x_client_new (bh_fake_server_get_url (f->server), &error);
  g_assert_no_error (error);

  bh_x_client_request_token_async (client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                                   NULL, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  request = bh_x_client_request_token_finish (client, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  url = bh_x_client_authorize_url (client, request->token, FALSE, NULL);
  pin = flow_test_pin_for_url (f, url, screen_name);

  bh_x_client_access_token_async (client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                                  request, pin, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  access = bh_x_client_access_token_finish (client, result, &error);
  g_assert_no_error (error);

  *token = bh_secret_dup (access->token);
  *token_secret = bh_secret_dup (access->token_secret);
}
