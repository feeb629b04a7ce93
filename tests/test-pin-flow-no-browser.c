/* test-pin-flow-no-browser.c
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

/* The PIN flow when the desktop has no working browser: the failure to
 * open it is reported in "browser-error", the URL stays available, and
 * the person can still finish by opening the URL by hand. A program of its
 * own because it changes the desktop's URL handlers for the whole
 * process. */

#include "config.h"

#include "bh-flow-test.h"
#include "bh-pin-flow.h"
#include "bh-secret.h"
#include "bh-test-utils.h"
#include "bh-x-error.h"

#define WAIT_SECONDS 30

/* Makes http/https point at a handler that does not exist, and takes the
 * fake browser out of the associations so that GIO finds nothing to fall
 * back on. Done before anything in this process asks GIO. */
static void
break_the_browser (void)
{
  const char *config = g_getenv ("XDG_CONFIG_HOME");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  static const char mimeapps[] =
    "[Default Applications]\n"
    "x-scheme-handler/http=birdhouse-no-such-browser.desktop\n"
    "x-scheme-handler/https=birdhouse-no-such-browser.desktop\n"
    "[Removed Associations]\n"
    "x-scheme-handler/http=birdhouse-fake-browser.desktop;\n"
    "x-scheme-handler/https=birdhouse-fake-browser.desktop;\n";

  g_assert_nonnull (config);
  path = g_build_filename (config, "mimeapps.list", NULL);
  g_file_set_contents (path, mimeapps, -1, &error);
  g_assert_no_error (error);
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* What a person does with the copied URL: opens it in some browser and
 * presses "Authorize app". Here the fake browser script, run directly. */
static char *
authorize_by_hand (FlowFixture *f,
                   const char  *url)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) browser = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pin_file = g_build_filename (f->dir, "pin", NULL);
  const char *script = g_getenv ("BH_FAKE_BROWSER");

  g_assert_nonnull (script);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "BH_FAKE_BROWSER_PIN", pin_file, TRUE);
  g_subprocess_launcher_setenv (launcher, "BH_FAKE_BROWSER_ACTION", "authorize", TRUE);
  browser = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", script, url, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (browser, NULL, &error);
  g_assert_no_error (error);

  return bh_fake_server_wait_for_pin_file (pin_file, WAIT_SECONDS);
}

static void
test_no_browser (FlowFixture   *f,
                 gconstpointer  data)
{
  g_autoptr(BhPinFlow) flow = bh_pin_flow_new (f->store, f->app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) pin = NULL;
  const GError *browser_error;
  gint64 deadline;
  guint id;

  g_assert_true (bh_pin_flow_get_browser_error (flow) == NULL);
  flow_test_start (BH_FLOW (flow), &result);
  flow_test_wait_for_state (BH_FLOW (flow), BH_FLOW_STATE_WAITING_FOR_PIN);

  /* Opening the browser is asynchronous: its failure comes a little later. */
  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  id = g_timeout_add (20, tick_cb, NULL);
  while (bh_pin_flow_get_browser_error (flow) == NULL &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  browser_error = bh_pin_flow_get_browser_error (flow);
  g_assert_nonnull (browser_error);
  g_test_message ("browser error: %s", browser_error->message);
  /* A sentence a person can act on; GIO's own text ("Operation not
   * supported", a .desktop file name) is for the debug log only. */
  g_assert_true (browser_error->domain == G_IO_ERROR);
  g_assert_cmpstr (browser_error->message, ==,
                   "No web browser could be opened. Copy the link and open it in a browser yourself.");

  /* Not fatal: still waiting, with the URL to copy. */
  g_assert_cmpint (bh_flow_get_state (BH_FLOW (flow)), ==, BH_FLOW_STATE_WAITING_FOR_PIN);
  g_assert_null (bh_flow_get_error (BH_FLOW (flow)));
  g_assert_nonnull (bh_pin_flow_get_authorize_url (flow));
  g_assert_null (result);

  pin = authorize_by_hand (f, bh_pin_flow_get_authorize_url (flow));
  g_assert_true (bh_pin_flow_submit_pin (flow, pin));
  flow_assert_ok (flow_test_finish (BH_FLOW (flow), &result, &error), error);
  g_assert_cmpstr (bh_account_get_screen_name (bh_pin_flow_get_account (flow)), ==, "alice");
  g_assert_cmpuint (flow_test_count_secrets (f, "user"), ==, 1);
  g_assert_cmpuint (flow_test_reload_count_accounts (f), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  break_the_browser ();
  bh_test_capture_logs ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/pin-flow/no-browser", FlowFixture, NULL,
              flow_fixture_setup, test_no_browser, flow_fixture_teardown);

  ret = g_test_run ();
  flow_test_shutdown ();

  return ret;
}
