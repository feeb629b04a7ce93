/* test-pin-flow.c
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

/* The PIN flow end to end: the fake X server, the real (private) keyring
 * and the fake browser registered as the desktop's http/https handler,
 * which plays the person pressing "Authorize app". */

#include "config.h"

#include <string.h>

#include "bh-flow-test.h"
#include "bh-pin-flow.h"
#include "bh-secret.h"
#include "bh-test-utils.h"
#include "bh-verify-flow.h"
#include "bh-x-error.h"

#define WAIT_SECONDS 30

typedef struct
{
  char *pin_file;
  char *log_file;
} BrowserFiles;

static void
browser_files_clear (BrowserFiles *b)
{
  g_clear_pointer (&b->pin_file, g_free);
  g_clear_pointer (&b->log_file, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BrowserFiles, browser_files_clear)

/* GIO starts the browser with our environment: tell it what to do. */
static void
setup_browser (FlowFixture  *f,
               BrowserFiles *b,
               const char   *action,
               const char   *user)
{
  b->pin_file = g_build_filename (f->dir, "pin", NULL);
  b->log_file = g_build_filename (f->dir, "browser.log", NULL);
  g_setenv ("BH_FAKE_BROWSER_PIN", b->pin_file, TRUE);
  g_setenv ("BH_FAKE_BROWSER_LOG", b->log_file, TRUE);
  g_setenv ("BH_FAKE_BROWSER_ACTION", action, TRUE);
  if (user != NULL)
    g_setenv ("BH_FAKE_BROWSER_USER", user, TRUE);
  else
    g_unsetenv ("BH_FAKE_BROWSER_USER");
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* The URLs the browser was asked to open, once there are @n of them. */
static char **
wait_for_browser_log (const char *log_file,
                      guint       n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint id = g_timeout_add (50, tick_cb, NULL);
  char **lines = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *contents = NULL;

      g_clear_pointer (&lines, g_strfreev);
      if (g_file_get_contents (log_file, &contents, NULL, NULL))
        {
          g_strchomp (contents);
          lines = g_strsplit (contents, "\n", -1);
          if (g_strv_length (lines) >= n)
            break;
        }
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (id);
  g_assert_nonnull (lines);
  g_assert_cmpuint (g_strv_length (lines), ==, n);

  return lines;
}

static void
record_state_cb (BhFlow     *flow,
                 GParamSpec *pspec,
                 GArray     *states)
{
  BhFlowState state = bh_flow_get_state (flow);

  g_array_append_val (states, state);
}

static void
assert_nothing_stored (FlowFixture *f)
{
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 0);
  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 0);
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 0);
}

static void
assert_alice (BhAccount  *account,
              const char *access_level)
{
  g_assert_nonnull (account);
  g_assert_cmpstr (bh_account_get_user_id (account), ==, "1001");
  g_assert_cmpstr (bh_account_get_screen_name (account), ==, "alice");
  g_assert_cmpstr (bh_account_get_name (account), ==, "Alice Example");
  g_assert_cmpstr (bh_account_get_access_level (account), ==, access_level);
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_OK);
  g_assert_nonnull (bh_account_get_authorized_at (account));
  g_assert_nonnull (bh_account_get_verified_at (account));
}

/* Runs a PIN flow through the fake browser and returns the account. */
static BhAccount *
authorize_with_browser (FlowFixture  *f,
                        BhPinFlow    *flow,
                        BrowserFiles *b)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) pin = NULL;
  g_auto(GStrv) urls = NULL;
  g_autofree char *prefix = NULL;

  flow_test_start (BH_FLOW (flow), &result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_PIN);

  prefix = g_strconcat (bh_fake_server_get_url (f->server), "/oauth/authorize?oauth_token=", NULL);
  g_assert_true (g_str_has_prefix (bh_pin_flow_get_authorize_url (flow), prefix));

  pin = bh_fake_server_wait_for_pin_file (b->pin_file, WAIT_SECONDS);
  g_assert_true (bh_pin_is_plausible (pin));

  /* The browser got exactly the URL the flow shows. */
  urls = wait_for_browser_log (b->log_file, 1);
  g_assert_cmpstr (urls[0], ==, bh_pin_flow_get_authorize_url (flow));
  g_assert_null (bh_pin_flow_get_browser_error (flow));

  g_assert_true (bh_pin_flow_submit_pin (flow, pin));
  flow_assert_ok (flow_test_finish (BH_FLOW (flow), &result, &error), error);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_DONE);
  g_assert_null (bh_flow_get_error (BH_FLOW (flow)));

  return bh_pin_flow_get_account (flow);
}

static void
test_full (FlowFixture   *f,
           gconstpointer  data)
{
  g_auto(BrowserFiles) b = { 0, };
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (BhFlowState));
  static const BhFlowState expected[] = {
    BH_FLOW_STATE_REQUESTING_TOKEN,
    BH_FLOW_STATE_WAITING_FOR_PIN,
    BH_FLOW_STATE_EXCHANGING,
    BH_FLOW_STATE_VERIFYING,
    BH_FLOW_STATE_STORING,
    BH_FLOW_STATE_DONE,
  };
  BhAccount *account;

  setup_browser (f, &b, "authorize", NULL);
  g_signal_connect (flow, "notify::state", G_CALLBACK (record_state_cb), states);

  account = authorize_with_browser (f, flow, &b);
  assert_alice (account, "read-write");
  g_assert_true (bh_app_find_account (f->app, "alice") == account);

  g_assert_cmpuint (states->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < states->len; i++)
    g_assert_cmpint (g_array_index (states, BhFlowState, i), ==, expected[i]);

  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 1);
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 1);
  g_assert_cmpint (bh_flow_get_clock_skew (BH_FLOW (flow)), ==, 0);
}

static void
test_read_only (FlowFixture   *f,
                gconstpointer  data)
{
  g_auto(BrowserFiles) b = { 0, };
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);

  setup_browser (f, &b, "authorize", NULL);
  g_object_set (flow, "read-only", TRUE, NULL);

  assert_alice (authorize_with_browser (f, flow, &b), "read");
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 1);
}

static void
test_force_login (FlowFixture   *f,
                  gconstpointer  data)
{
  g_auto(BrowserFiles) b = { 0, };
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_auto(GStrv) urls = NULL;
  BhAccount *account;

  /* No BH_FAKE_BROWSER_USER: the browser signs in as whoever the login
   * form was prefilled with, which must be bob. */
  setup_browser (f, &b, "authorize", NULL);
  g_object_set (flow, "force-login", TRUE, "screen-name", "@bob", NULL);

  account = authorize_with_browser (f, flow, &b);
  g_assert_cmpstr (bh_account_get_user_id (account), ==, "1002");
  g_assert_cmpstr (bh_account_get_screen_name (account), ==, "bob");

  urls = wait_for_browser_log (b.log_file, 1);
  g_assert_nonnull (strstr (urls[0], "force_login=true"));
  g_assert_nonnull (strstr (urls[0], "screen_name=bob"));
}

static void
test_reauthorize (FlowFixture   *f,
                  gconstpointer  data)
{
  g_auto(BrowserFiles) b = { 0, };
  g_autoptr(BhAccount) first = flow_test_authorize (f, "alice");
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  BhAccount *again;

  g_assert_cmpstr (bh_account_get_access_level (first), ==, "read-write");

  /* Again, read-only this time: the same account changes in place. */
  setup_browser (f, &b, "authorize", NULL);
  g_object_set (flow, "read-only", TRUE, NULL);
  again = authorize_with_browser (f, flow, &b);

  g_assert_cmpstr (bh_account_get_user_id (again), ==, "1001");
  g_assert_cmpstr (bh_account_get_access_level (again), ==, "read");
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 1);
  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 1);
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 1);
}

static void
slow_fault (FlowFixture *f,
            const char  *path)
{
  bh_fake_server_control (f->server, "/_fake/fault",
                          "path", path,
                          "kind", "slow",
                          "count", "1",
                          "seconds", "5",
                          NULL);
}

static void
check_cancelled (FlowFixture   *f,
                 BhPinFlow     *flow,
                 GAsyncResult **result)
{
  g_autoptr(GError) error = NULL;

  bh_flow_cancel (BH_FLOW (flow));
  g_assert_false (flow_test_finish (BH_FLOW (flow), result, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_CANCELLED);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_CANCELLED);
  g_assert_error (bh_flow_get_error (BH_FLOW (flow)), BH_X_ERROR, BH_X_ERROR_CANCELLED);
  g_assert_null (bh_pin_flow_get_account (flow));
  g_assert_false (bh_pin_flow_submit_pin (flow, "1234567"));
  assert_nothing_stored (f);
}

static void
test_cancel_requesting_token (FlowFixture   *f,
                              gconstpointer  data)
{
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GAsyncResult) result = NULL;

  slow_fault (f, "/oauth/request_token");
  g_object_set (flow, "open-browser", FALSE, NULL);
  flow_test_start (BH_FLOW (flow), &result);
  flow_test_wait_for_requests (f, "/oauth/request_token", 1);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_REQUESTING_TOKEN);

  check_cancelled (f, flow, &result);
  g_assert_null (bh_pin_flow_get_authorize_url (flow));
}

static void
test_cancel_waiting (FlowFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GAsyncResult) result = NULL;

  g_object_set (flow, "open-browser", FALSE, NULL);
  flow_test_start (BH_FLOW (flow), &result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_PIN);

  check_cancelled (f, flow, &result);
}

/* Starts @flow without a browser and returns the PIN X shows alice once
 * the flow waits for it. */
static char *
start_until_waiting (FlowFixture   *f,
                     BhPinFlow     *flow,
                     GAsyncResult **result)
{
  g_object_set (flow, "open-browser", FALSE, NULL);
  flow_test_start (BH_FLOW (flow), result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_PIN);

  return flow_test_pin_for_url (f, bh_pin_flow_get_authorize_url (flow), "alice");
}

static void
test_cancel_exchanging (FlowFixture   *f,
                        gconstpointer  data)
{
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BhSecret) pin = start_until_waiting (f, flow, &result);

  slow_fault (f, "/oauth/access_token");
  g_assert_true (bh_pin_flow_submit_pin (flow, pin));
  flow_test_wait_for_requests (f, "/oauth/access_token", 1);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_EXCHANGING);

  check_cancelled (f, flow, &result);
}

/* Waiting again after a refused PIN is waiting all the same: a cancel
 * then ends the run as it would have before the first PIN. */
static void
test_cancel_waiting_again (FlowFixture   *f,
                           gconstpointer  data)
{
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BhSecret) pin = start_until_waiting (f, flow, &result);

  pin[0] = pin[0] == '9' ? '0' : pin[0] + 1;
  g_assert_true (bh_pin_flow_submit_pin (flow, pin));
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_PIN);
  g_assert_error (bh_flow_get_error (BH_FLOW (flow)), BH_X_ERROR, BH_X_ERROR_INVALID_PIN);
  g_assert_null (result);

  check_cancelled (f, flow, &result);
}

/* How many access tokens X was asked to invalidate, and in @n_of_user how
 * many of them are @user_id's (X's access tokens start with "<user id>-").
 * Compared without printing them: they are secrets. */
static guint
count_invalidated_tokens (FlowFixture *f,
                          const char  *user_id,
                          guint       *n_of_user)
{
  g_autoptr(JsonNode) node = bh_fake_server_get_json (f->server, "/_fake/state");
  g_autofree char *prefix = g_strconcat (user_id, "-", NULL);
  JsonArray *array;
  guint n;

  array = json_object_get_array_member (json_node_get_object (node),
                                        "invalidated_access_tokens");
  g_assert_nonnull (array);
  n = json_array_get_length (array);

  *n_of_user = 0;
  for (guint i = 0; i < n; i++)
    {
      if (g_str_has_prefix (json_array_get_string_element (array, i), prefix))
        (*n_of_user)++;
    }

  return n;
}

/* Starts a PIN flow for alice and holds it in VERIFYING: X has issued the
 * access token, verify_credentials is slow to answer. */
static void
start_until_verifying (FlowFixture   *f,
                       BhPinFlow     *flow,
                       GAsyncResult **result)
{
  gint64 n_verified = flow_test_request_count (f, "/1.1/account/verify_credentials.json");
  g_autoptr(BhSecret) pin = start_until_waiting (f, flow, result);

  slow_fault (f, "/1.1/account/verify_credentials.json");
  g_assert_true (bh_pin_flow_submit_pin (flow, pin));
  flow_test_wait_for_requests (f, "/1.1/account/verify_credentials.json", n_verified + 1);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_VERIFYING);
}

static void
test_cancel_verifying (FlowFixture   *f,
                       gconstpointer  data)
{
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GAsyncResult) result = NULL;
  guint n_alice;

  start_until_verifying (f, flow, &result);
  check_cancelled (f, flow, &result);

  /* X hands alice the same token everywhere (another machine, a script,
   * the developer portal): the flow must not invalidate it at X. */
  assert_nothing_stored (f);
  g_assert_cmpint (flow_test_request_count (f, "/1.1/oauth/invalidate_token"), ==, 0);
  g_assert_cmpuint (count_invalidated_tokens (f, "1001", &n_alice), ==, 0);
  g_assert_cmpuint (n_alice, ==, 0);
}

static void
test_cancel_verifying_stored_user (FlowFixture   *f,
                                   gconstpointer  data)
{
  g_autoptr(BhAccount) stored = flow_test_authorize (f, "alice");
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(BhVerifyFlow) verify = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_alice;

  /* X hands alice the token of the stored account again. */
  start_until_verifying (f, flow, &result);

  bh_flow_cancel (BH_FLOW (flow));
  g_assert_false (flow_test_finish (BH_FLOW (flow), &result, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_CANCELLED);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_CANCELLED);
  g_assert_null (bh_pin_flow_get_account (flow));

  /* Invalidating it would have killed the stored account's token: the
   * account is still there, and X still accepts its token. */
  g_assert_true (bh_app_find_account (f->app, "1001") == stored);
  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 1);
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 1);

  g_clear_error (&error);
  verify = bh_verify_flow_new (f->store, stored);
  flow_assert_ok (flow_test_run (BH_FLOW (verify), &error), error);
  g_assert_cmpint (bh_account_get_state (stored), ==, BH_ACCOUNT_STATE_OK);

  g_assert_cmpint (flow_test_request_count (f, "/1.1/oauth/invalidate_token"), ==, 0);
  g_assert_cmpuint (count_invalidated_tokens (f, "1001", &n_alice), ==, 0);
}

static void
test_fail_verifying (FlowFixture   *f,
                     gconstpointer  data)
{
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) pin = NULL;
  guint n_alice;

  g_object_set (flow, "open-browser", FALSE, NULL);
  flow_test_start (BH_FLOW (flow), &result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_PIN);
  pin = flow_test_pin_for_url (f, bh_pin_flow_get_authorize_url (flow), "alice");

  /* The token was issued, but the flow cannot tell whose it is. */
  bh_fake_server_fault (f->server, "/1.1/account/verify_credentials.json", "500", 1);
  g_assert_true (bh_pin_flow_submit_pin (flow, pin));
  g_assert_false (flow_test_finish (BH_FLOW (flow), &result, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_SERVER);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_FAILED);
  assert_nothing_stored (f);

  /* Failing to learn whose token it is is no reason to kill it at X. */
  g_assert_cmpint (flow_test_request_count (f, "/1.1/oauth/invalidate_token"), ==, 0);
  g_assert_cmpuint (count_invalidated_tokens (f, "1001", &n_alice), ==, 0);
  g_assert_cmpuint (n_alice, ==, 0);
}

static void
test_wrong_pin (FlowFixture   *f,
                gconstpointer  data)
{
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) pin = NULL;
  g_autoptr(BhSecret) wrong = NULL;

  g_object_set (flow, "open-browser", FALSE, NULL);
  flow_test_start (BH_FLOW (flow), &result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_PIN);
  pin = flow_test_pin_for_url (f, bh_pin_flow_get_authorize_url (flow), "alice");

  /* Not even tried. */
  g_assert_false (bh_pin_flow_submit_pin (flow, "12a4567"));
  g_assert_false (bh_pin_flow_submit_pin (flow, ""));
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_WAITING_FOR_PIN);

  /* A typo in the first digit. */
  wrong = bh_secret_dup (pin);
  wrong[0] = wrong[0] == '9' ? '0' : wrong[0] + 1;
  g_assert_true (bh_pin_flow_submit_pin (flow, wrong));
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_EXCHANGING);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_PIN);
  g_assert_error (bh_flow_get_error (BH_FLOW (flow)), BH_X_ERROR, BH_X_ERROR_INVALID_PIN);
  g_assert_null (result);

  /* The same flow takes the right one, pasted with spaces. */
  {
    g_autoptr(BhSecret) spaced = g_strdup_printf (" %.3s %s ", pin, pin + 3);

    g_assert_true (bh_pin_flow_submit_pin (flow, spaced));
  }
  g_assert_null (bh_flow_get_error (BH_FLOW (flow)));
  flow_assert_ok (flow_test_finish (BH_FLOW (flow), &result, &error), error);
  assert_alice (bh_pin_flow_get_account (flow), "read-write");
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 1);
}

/* A refused PIN in each style a server may answer it (X's plain text, JSON
 * code 32, a v2 problem, HTML, an empty body): the flow waits for another
 * PIN every time, which is what makes the dialog and `birdhouse
 * authorize` ask again. */
static const char *pin_refusal_styles[] = { "text", "json", "problem", "html", "empty" };

static void
test_wrong_pin_style (FlowFixture   *f,
                      gconstpointer  data)
{
  const char *style = data;
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) pin = NULL;
  g_autoptr(BhSecret) wrong = NULL;

  bh_fake_server_control (f->server, "/_fake/pin-refusal", "style", style, NULL);
  g_object_set (flow, "open-browser", FALSE, NULL);
  flow_test_start (BH_FLOW (flow), &result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_PIN);
  pin = flow_test_pin_for_url (f, bh_pin_flow_get_authorize_url (flow), "alice");

  wrong = bh_secret_dup (pin);
  wrong[0] = wrong[0] == '9' ? '0' : wrong[0] + 1;
  g_assert_true (bh_pin_flow_submit_pin (flow, wrong));
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_PIN);
  g_assert_error (bh_flow_get_error (BH_FLOW (flow)), BH_X_ERROR, BH_X_ERROR_INVALID_PIN);
  g_assert_true (g_str_has_prefix (bh_flow_get_error (BH_FLOW (flow))->message, "X did not accept the PIN"));
  g_assert_null (result);
  /* The same request token: no new one was asked for. */
  g_assert_cmpint (flow_test_request_count (f, "/oauth/request_token"), ==, 1);

  g_assert_true (bh_pin_flow_submit_pin (flow, pin));
  flow_assert_ok (flow_test_finish (BH_FLOW (flow), &result, &error), error);
  assert_alice (bh_pin_flow_get_account (flow), "read-write");
}

static void
test_expired_request_token (FlowFixture   *f,
                            gconstpointer  data)
{
  g_auto(BrowserFiles) b = { 0, };
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) pin = NULL;
  g_autoptr(BhSecret) new_pin = NULL;
  g_autofree char *first_url = NULL;
  g_auto(GStrv) urls = NULL;
  gint64 deadline;

  /* The browser only opens the page; the test plays the person. */
  setup_browser (f, &b, "none", NULL);
  flow_test_start (BH_FLOW (flow), &result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_PIN);
  first_url = g_strdup (bh_pin_flow_get_authorize_url (flow));
  pin = flow_test_pin_for_url (f, first_url, "alice");
  g_strfreev (wait_for_browser_log (b.log_file, 1));

  bh_fake_server_control (f->server, "/_fake/expire-request-tokens", NULL, NULL);
  g_assert_true (bh_pin_flow_submit_pin (flow, pin));

  /* Back to a new request token, and waiting again. */
  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while ((bh_flow_get_state (BH_FLOW (flow)) != BH_FLOW_STATE_WAITING_FOR_PIN ||
          g_strcmp0 (bh_pin_flow_get_authorize_url (flow), first_url) == 0) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_WAITING_FOR_PIN);
  g_assert_nonnull (bh_pin_flow_get_authorize_url (flow));
  g_assert_cmpstr (bh_pin_flow_get_authorize_url (flow), !=, first_url);
  g_assert_error (bh_flow_get_error (BH_FLOW (flow)), BH_X_ERROR, BH_X_ERROR_INVALID_REQUEST_TOKEN);
  g_assert_null (result);
  g_assert_cmpint (flow_test_request_count (f, "/oauth/request_token"), ==, 2);

  /* The browser was opened again, on the new page. */
  urls = wait_for_browser_log (b.log_file, 2);
  g_assert_cmpstr (urls[1], ==, bh_pin_flow_get_authorize_url (flow));

  new_pin = flow_test_pin_for_url (f, bh_pin_flow_get_authorize_url (flow), "alice");
  g_assert_true (bh_pin_flow_submit_pin (flow, new_pin));
  flow_assert_ok (flow_test_finish (BH_FLOW (flow), &result, &error), error);
  assert_alice (bh_pin_flow_get_account (flow), "read-write");
}

typedef struct
{
  const char *fault;
  BhXError    code;
} RequestTokenError;

static const RequestTokenError request_token_errors[] = {
  { "401", BH_X_ERROR_COULD_NOT_AUTHENTICATE },
  { "429", BH_X_ERROR_RATE_LIMITED },
  { "500", BH_X_ERROR_SERVER },
  { "503", BH_X_ERROR_SERVER },
  { "malformed", BH_X_ERROR_MALFORMED },
  { "no-callback-confirmed", BH_X_ERROR_CALLBACK_NOT_CONFIRMED },
  { "no-token", BH_X_ERROR_MALFORMED },
  { "416", BH_X_ERROR_APP_SUSPENDED },
  { "drop", BH_X_ERROR_CONNECTION },
};

static void
test_request_token_error (FlowFixture   *f,
                          gconstpointer  data)
{
  const RequestTokenError *e = data;
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GError) error = NULL;

  bh_fake_server_fault (f->server, "/oauth/request_token", e->fault, 1);
  g_object_set (flow, "open-browser", FALSE, NULL);

  g_assert_false (flow_test_run (BH_FLOW (flow), &error));
  g_assert_error (error, BH_X_ERROR, e->code);
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_FAILED);
  g_assert_error (bh_flow_get_error (BH_FLOW (flow)), BH_X_ERROR, e->code);
  g_assert_null (bh_pin_flow_get_authorize_url (flow));
  assert_nothing_stored (f);
}

static void
test_clock_skew (FlowFixture   *f,
                 gconstpointer  data)
{
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) pin = NULL;
  gint64 skew;

  bh_fake_server_control (f->server, "/_fake/clock", "offset", "3600", NULL);

  g_object_set (flow, "open-browser", FALSE, NULL);
  flow_test_start (BH_FLOW (flow), &result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_PIN);
  /* The first request_token was refused (135), the retry went through. */
  g_assert_cmpint (flow_test_request_count (f, "/oauth/request_token"), ==, 2);
  g_assert_null (bh_flow_get_error (BH_FLOW (flow)));

  pin = flow_test_pin_for_url (f, bh_pin_flow_get_authorize_url (flow), "alice");
  g_assert_true (bh_pin_flow_submit_pin (flow, pin));
  flow_assert_ok (flow_test_finish (BH_FLOW (flow), &result, &error), error);
  assert_alice (bh_pin_flow_get_account (flow), "read-write");

  skew = bh_flow_get_clock_skew (BH_FLOW (flow));
  g_test_message ("measured clock skew: %" G_GINT64_FORMAT " s", skew);
  g_assert_cmpint (skew, >=, 3600 - 5);
  g_assert_cmpint (skew, <=, 3600 + 5);
}

static void
test_pin_plausible (void)
{
  g_assert_true (bh_pin_is_plausible ("0123456"));
  g_assert_true (bh_pin_is_plausible (" 012 3456 "));
  g_assert_true (bh_pin_is_plausible ("1234"));
  g_assert_true (bh_pin_is_plausible ("123456789012"));
  g_assert_false (bh_pin_is_plausible ("123"));
  g_assert_false (bh_pin_is_plausible ("1234567890123"));
  g_assert_false (bh_pin_is_plausible ("12a4567"));
  g_assert_false (bh_pin_is_plausible ("-1234567"));
  g_assert_false (bh_pin_is_plausible (""));
  g_assert_false (bh_pin_is_plausible ("   "));
  g_assert_false (bh_pin_is_plausible (NULL));
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

  g_test_add_func ("/pin-flow/pin-plausible", test_pin_plausible);
  ADD ("/pin-flow/full", test_full);
  ADD ("/pin-flow/read-only", test_read_only);
  ADD ("/pin-flow/force-login", test_force_login);
  ADD ("/pin-flow/reauthorize", test_reauthorize);
  ADD ("/pin-flow/cancel/requesting-token", test_cancel_requesting_token);
  ADD ("/pin-flow/cancel/waiting-for-pin", test_cancel_waiting);
  ADD ("/pin-flow/cancel/waiting-after-wrong-pin", test_cancel_waiting_again);
  ADD ("/pin-flow/cancel/exchanging", test_cancel_exchanging);
  ADD ("/pin-flow/cancel/verifying", test_cancel_verifying);
  ADD ("/pin-flow/cancel/verifying-stored-user", test_cancel_verifying_stored_user);
  ADD ("/pin-flow/fail-verifying", test_fail_verifying);
  ADD ("/pin-flow/wrong-pin", test_wrong_pin);
  for (guint i = 0; i < G_N_ELEMENTS (pin_refusal_styles); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pin-flow/wrong-pin-as/%s", pin_refusal_styles[i]);

      g_test_add (path, FlowFixture, pin_refusal_styles[i],
                  flow_fixture_setup, test_wrong_pin_style, flow_fixture_teardown);
    }
  ADD ("/pin-flow/expired-request-token", test_expired_request_token);
  ADD ("/pin-flow/clock-skew", test_clock_skew);

  for (guint i = 0; i < G_N_ELEMENTS (request_token_errors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pin-flow/request-token-error/%s",
                                               request_token_errors[i].fault);

      g_test_add (path, FlowFixture, &request_token_errors[i],
                  flow_fixture_setup, test_request_token_error, flow_fixture_teardown);
    }

  ret = g_test_run ();
  flow_test_shutdown ();

  return ret;
}
