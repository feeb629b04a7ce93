/* test-window-oauth2.c
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

/* OAuth 2.0 from the main window, as a person does it: Authorize Account
 * with the fake browser following X's redirect to the listener, a pasted
 * address, access denied, Cancel while waiting, the rows and details
 * showing the method, scopes and renewal, Copy refreshing an expired
 * token, and Authorize Again keeping a refused account's place. The
 * store and keyring are real; X is the fake server. */

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "bh-account.h"
#include "bh-account-dialog.h"
#include "bh-account-row.h"
#include "bh-authorize-dialog.h"
#include "bh-fake-server.h"
#include "bh-oauth2.h"
#include "bh-oauth2-flow.h"
#include "bh-pin-flow.h"
#include "bh-rotate-dialog.h"
#include "bh-oauth2-token.h"
#include "bh-secret.h"
#include "bh-store.h"
#include "bh-test-utils.h"
#include "bh-ui-test.h"

#define WAIT_SECONDS 30

typedef struct
{
  BhFakeServer  *server;
  BhApplication *application;
  BhWindow      *window;
  BhStore       *store;
  BhApp         *app;
  guint16        port;
  char          *dir;
} Fixture;

/* A port nobody listens on now, for this test's redirect URI. */
static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* TRUE when @port on 127.0.0.1 can be listened on (nobody holds it). */
static gboolean
port_is_free (guint16 port)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  return g_socket_bind (socket, address, TRUE, NULL) && g_socket_listen (socket, NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static guint counter;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redirect_uri = NULL;
  BhStoreAppFields fields = { 0 };

  g_settings_set_uint (settings, "clipboard-clear-timeout", 30);
  g_settings_set_int (settings, "window-width", 960);
  g_settings_set_int (settings, "window-height", 700);

  f->server = bh_fake_server_start ();
  g_free (bh_test_take_logs ());
  f->application = bh_ui_start_app (&f->window);
  f->store = bh_window_get_store (f->window);
  f->dir = g_strdup_printf ("%s/window-oauth2-%u", g_getenv ("BH_TEST_TMPDIR"), ++counter);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);

  /* A redirect URI of this test's own, registered at the fake X. */
  f->port = free_port ();
  redirect_uri = g_strdup_printf ("http://127.0.0.1:%u/callback", f->port);
  bh_fake_server_add_oauth2_client (f->server, BH_FAKE_CLIENT_ID, BH_FAKE_CLIENT_SECRET, redirect_uri);

  fields.name = "Newsroom Bot";
  fields.consumer_key = BH_FAKE_CONSUMER_KEY;
  fields.consumer_secret = BH_FAKE_CONSUMER_SECRET;
  fields.api_host = bh_fake_server_get_url (f->server);
  fields.client_id = BH_FAKE_CLIENT_ID;
  fields.client_secret = BH_FAKE_CLIENT_SECRET;
  fields.redirect_uri = redirect_uri;
  bh_store_add_app_full_async (f->store, &fields, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  f->app = bh_store_add_app_full_finish (f->store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->app);

  g_setenv ("BH_FAKE_BROWSER_ACTION", "authorize", TRUE);
  g_setenv ("BH_FAKE_BROWSER_FOLLOW", "1", TRUE);
  g_unsetenv ("BH_FAKE_BROWSER_USER");
  g_unsetenv ("BH_FAKE_BROWSER_RESULT");

  bh_window_select_app (f->window, f->app);
  bh_ui_wait (bh_ui_widget_mapped, bh_ui_get_app_page (f->window), 5);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  bh_ui_clean_up (f->window, f->store);

  /* No client secret, code, access or refresh token in the debug log
   * (G_MESSAGES_DEBUG=all), whatever the test did. */
  {
    g_autofree char *logs = bh_test_take_logs ();

    g_assert_nonnull (strstr (logs, "Birdhouse items"));
    bh_fake_server_assert_no_secret_in (f->server, logs);
  }
  g_clear_object (&f->app);
  bh_ui_stop_app (f->application);
  g_clear_pointer (&f->server, bh_fake_server_stop);
  g_clear_pointer (&f->dir, g_free);
}

static const char *
visible_page (GtkWidget *dialog)
{
  GtkStack *stack = GTK_STACK (bh_ui_get (dialog, GTK_TYPE_STACK, NULL, NULL));

  return gtk_stack_get_visible_child_name (stack);
}

static gboolean
is_page (GtkWidget  *dialog,
         const char *name)
{
  return g_strcmp0 (visible_page (dialog), name) == 0;
}

/* The dialog's page named @name. */
static GtkWidget *
page (GtkWidget  *dialog,
      const char *name)
{
  GtkStack *stack = GTK_STACK (bh_ui_get (dialog, GTK_TYPE_STACK, NULL, NULL));

  return gtk_stack_get_child_by_name (stack, name);
}

/* Authorize Account… on the App page, as a person clicks it. */
static GtkWidget *
open_authorize (Fixture *f)
{
  GtkWindow *dialog;

  bh_ui_activate (bh_ui_get_button (GTK_WIDGET (bh_ui_get_app_page (f->window)), "Authorize Account…"));
  BH_UI_WAIT_UNTIL ((dialog = bh_ui_find_toplevel (BH_TYPE_AUTHORIZE_DIALOG)) != NULL, WAIT_SECONDS);
  bh_ui_wait (bh_ui_widget_mapped, dialog, WAIT_SECONDS);
  g_assert_cmpstr (visible_page (GTK_WIDGET (dialog)), ==, "options");

  return GTK_WIDGET (dialog);
}

static BhFlow *
dialog_flow (GtkWidget *dialog)
{
  BhFlow *flow = NULL;

  g_object_get (dialog, "flow", &flow, NULL);
  g_object_unref (flow);   /* the dialog keeps it */
  return flow;
}

static guint
n_accounts (Fixture *f)
{
  return g_list_model_get_n_items (bh_app_get_accounts (f->app));
}

static BhAccount *
authorize_through_browser (Fixture    *f,
                           const char *preset)
{
  GtkWidget *dialog = open_authorize (f);
  GtkWidget *combo;

  /* OAuth 2.0 is the default for an App with a Client ID. */
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (
    bh_ui_get (dialog, GTK_TYPE_CHECK_BUTTON, bh_ui_accessible_label_is, "OAuth 2.0"))));

  if (preset != NULL)
    {
      GListModel *model;

      combo = bh_ui_get (dialog, ADW_TYPE_COMBO_ROW, bh_ui_row_title_is, "_Access");
      model = adw_combo_row_get_model (ADW_COMBO_ROW (combo));
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), preset))
          adw_combo_row_set_selected (ADW_COMBO_ROW (combo), i);
    }

  bh_ui_activate (bh_ui_get_button (dialog, "Open Browser"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "success") || is_page (dialog, "error"), WAIT_SECONDS);
  if (is_page (dialog, "error"))
    g_error ("Authorization failed: %s",
             adw_status_page_get_description (ADW_STATUS_PAGE (page (dialog, "error"))));

  {
    const char *user = g_getenv ("BH_FAKE_BROWSER_USER");
    g_autofree char *title = g_strdup_printf ("@%s is authorized", user != NULL ? user : "alice");

    bh_ui_get (dialog, ADW_TYPE_STATUS_PAGE, bh_ui_status_title_is, title);
  }
  {
    BhAccount *account = bh_oauth2_flow_get_account (BH_OAUTH2_FLOW (dialog_flow (dialog)));

    bh_ui_activate (bh_ui_get_button (dialog, "Done"));
    return account;
  }
}

/* The whole authorization: the browser follows X's redirect to the
 * listener; the account shows with its method and renewal; the listener
 * is gone. */
static void
test_authorize_in_browser (Fixture       *f,
                           gconstpointer  data)
{
  BhAccount *account;
  GtkWidget *row;
  const char *subtitle;

  account = authorize_through_browser (f, "Read and write");
  g_assert_nonnull (account);
  g_assert_cmpuint (n_accounts (f), ==, 1);
  g_assert_true (bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH2));
  g_assert_nonnull (strstr (bh_account_get_oauth2_scopes (account), "tweet.write"));
  g_assert_nonnull (strstr (bh_account_get_oauth2_scopes (account), "offline.access"));
  g_assert_cmpuint (bh_fake_server_oauth2_token_calls (f->server, "authorization_code"), ==, 1);
  BH_UI_WAIT_UNTIL (port_is_free (f->port), WAIT_SECONDS);

  /* The row: the method as a badge, scopes in its tooltip, renewal. */
  row = bh_ui_wait_for (GTK_WIDGET (bh_ui_get_app_page (f->window)), BH_TYPE_ACCOUNT_ROW,
                        bh_ui_row_title_is, "@alice", WAIT_SECONDS);
  {
    GtkWidget *badge = bh_ui_get (row, GTK_TYPE_LABEL, bh_ui_label_is, "OAuth 2.0");
    const char *tooltip = gtk_widget_get_tooltip_text (badge);

    g_assert_nonnull (strstr (tooltip, "tweet.write"));
  }
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_test_message ("row subtitle: %s", subtitle);
  /* Two hours at X, renewed a minute early. */
  g_assert_nonnull (strstr (subtitle, "Renews in 1 hour 5"));
  bh_ui_screenshot (GTK_WIDGET (f->window), "window-oauth2-account.png");
}

static char *
read_result_redirect (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  BH_UI_WAIT_UNTIL (g_file_test (path, G_FILE_TEST_EXISTS), WAIT_SECONDS);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_true (json_parser_load_from_data (parser, contents, -1, &error));
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "redirect"));
}

/* A browser elsewhere: the person pastes the address X sent it to. One
 * from another attempt is refused with a sentence and the wait goes
 * on; the right one finishes. */
static void
test_pasted_address (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *result_path = g_build_filename (f->dir, "browser.json", NULL);
  g_autofree char *redirect = NULL;
  g_autofree char *forged = NULL;
  GtkWidget *dialog, *waiting, *paste, *error_label;
  const char *state;

  g_setenv ("BH_FAKE_BROWSER_FOLLOW", "0", TRUE);
  g_setenv ("BH_FAKE_BROWSER_RESULT", result_path, TRUE);
  dialog = open_authorize (f);
  bh_ui_screenshot (dialog, "authorize-oauth2-options.png");
  bh_ui_activate (bh_ui_get_button (dialog, "Open Browser"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "browser"), WAIT_SECONDS);
  waiting = page (dialog, "browser");
  bh_ui_get (waiting, GTK_TYPE_LABEL, bh_ui_label_is, "Waiting for Your Browser…");
  g_assert_true (gtk_widget_get_mapped (bh_ui_get_button (waiting, "Copy Link")));
  g_assert_true (gtk_widget_get_mapped (bh_ui_get_button (waiting, "Open Again")));
  g_assert_true (gtk_widget_get_mapped (bh_ui_get_button (dialog, "Cancel")));

  redirect = read_result_redirect (result_path);
  g_assert_nonnull (redirect);
  g_assert_true (g_str_has_prefix (redirect, "http://127.0.0.1:"));

  /* Another attempt's address: its state differs. */
  state = strstr (redirect, "state=");
  g_assert_nonnull (state);
  forged = g_strdup (redirect);
  forged[state - redirect + 6] = forged[state - redirect + 6] == 'A' ? 'B' : 'A';
  paste = bh_ui_get (waiting, ADW_TYPE_ENTRY_ROW, bh_ui_row_title_is, "_Address from the browser");
  gtk_editable_set_text (GTK_EDITABLE (paste), forged);
  g_signal_emit_by_name (paste, "apply");
  bh_ui_flush ();
  error_label = bh_ui_get (waiting, GTK_TYPE_LABEL, bh_ui_has_class, "error");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "another authorization attempt"));
  g_assert_true (is_page (dialog, "browser"));
  bh_ui_screenshot (dialog, "authorize-oauth2-waiting.png");

  gtk_editable_set_text (GTK_EDITABLE (paste), redirect);
  g_signal_emit_by_name (paste, "apply");
  BH_UI_WAIT_UNTIL (is_page (dialog, "success") || is_page (dialog, "error"), WAIT_SECONDS);
  g_assert_cmpstr (visible_page (dialog), ==, "success");
  /* The field is emptied once its code was handed over. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (paste)), ==, "");
  bh_ui_screenshot (dialog, "authorize-oauth2-success.png");
  g_assert_cmpuint (n_accounts (f), ==, 1);
  BH_UI_WAIT_UNTIL (port_is_free (f->port), WAIT_SECONDS);
}

/* Cancel at X: an error page that says so, Try Again, nothing stored. */
static void
test_access_denied (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *dialog;

  g_setenv ("BH_FAKE_BROWSER_ACTION", "cancel", TRUE);
  dialog = open_authorize (f);
  bh_ui_activate (bh_ui_get_button (dialog, "Open Browser"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "error") || is_page (dialog, "success"), WAIT_SECONDS);
  g_assert_cmpstr (visible_page (dialog), ==, "error");
  bh_ui_get (dialog, ADW_TYPE_STATUS_PAGE, bh_ui_status_title_is, "Access Denied at X");
  g_assert_true (gtk_widget_get_mapped (bh_ui_get_button (dialog, "Try Again")));
  bh_ui_screenshot (dialog, "authorize-oauth2-denied.png");
  g_assert_cmpuint (n_accounts (f), ==, 0);
  g_assert_cmpuint (bh_fake_server_oauth2_token_calls (f->server, "authorization_code"), ==, 0);
  BH_UI_WAIT_UNTIL (port_is_free (f->port), WAIT_SECONDS);

  /* Try Again, authorizing this time. */
  g_setenv ("BH_FAKE_BROWSER_ACTION", "authorize", TRUE);
  bh_ui_activate (bh_ui_get_button (dialog, "Try Again"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "success") || is_page (dialog, "error"), WAIT_SECONDS);
  if (is_page (dialog, "error"))
    g_error ("Try Again failed: %s",
             adw_status_page_get_description (ADW_STATUS_PAGE (page (dialog, "error"))));
  g_assert_cmpuint (n_accounts (f), ==, 1);
}

/* Another program holds the port: the error names it and leads to the
 * App dialog, where the redirect URI changes. */
static void
test_port_in_use (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSocketService) squatter = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, f->port);
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = g_strdup_printf ("%u", f->port);
  GtkWidget *dialog, *status;

  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (squatter), address,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, NULL, &error));
  g_assert_no_error (error);

  g_setenv ("BH_FAKE_BROWSER_ACTION", "none", TRUE);
  dialog = open_authorize (f);
  bh_ui_activate (bh_ui_get_button (dialog, "Open Browser"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "error"), WAIT_SECONDS);
  status = bh_ui_get (dialog, ADW_TYPE_STATUS_PAGE, bh_ui_status_title_is, "The Port Is in Use");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (status)), port_text));
  g_assert_true (gtk_widget_get_mapped (bh_ui_get_button (dialog, "Edit App…")));
  bh_ui_screenshot (dialog, "authorize-oauth2-port-in-use.png");
  g_socket_service_stop (squatter);
  g_socket_listener_close (G_SOCKET_LISTENER (squatter));
}

/* Cancel while waiting for the browser: the dialog goes, nothing is
 * stored, and the listener is closed (the port can be bound again). */
static void
test_cancel_waiting (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *dialog;
  GtkWidget *weak;

  g_setenv ("BH_FAKE_BROWSER_ACTION", "none", TRUE);
  dialog = open_authorize (f);
  bh_ui_activate (bh_ui_get_button (dialog, "Open Browser"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "browser"), WAIT_SECONDS);
  g_assert_false (port_is_free (f->port));

  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  bh_ui_activate (bh_ui_get_button (dialog, "Cancel"));
  BH_UI_WAIT_UNTIL (weak == NULL, WAIT_SECONDS);
  BH_UI_WAIT_UNTIL (port_is_free (f->port), WAIT_SECONDS);
  g_assert_cmpuint (n_accounts (f), ==, 0);
  g_assert_cmpuint (bh_fake_server_oauth2_token_calls (f->server, "authorization_code"), ==, 0);
}

static GtkWidget *
open_details (Fixture    *f,
              const char *title)
{
  GtkWidget *row = bh_ui_wait_for (GTK_WIDGET (bh_ui_get_app_page (f->window)), BH_TYPE_ACCOUNT_ROW,
                                   bh_ui_row_title_is, title, WAIT_SECONDS);
  GtkWindow *dialog;

  g_signal_emit_by_name (row, "activate");
  BH_UI_WAIT_UNTIL ((dialog = bh_ui_find_toplevel (BH_TYPE_ACCOUNT_DIALOG)) != NULL, WAIT_SECONDS);
  bh_ui_wait (bh_ui_widget_mapped, dialog, WAIT_SECONDS);
  return GTK_WIDGET (dialog);
}

static GdkClipboard *
clipboard (Fixture *f)
{
  return gtk_widget_get_clipboard (GTK_WIDGET (f->window));
}

/* Copies the OAuth 2.0 access token from the details and returns it. */
static char *
copy_token (Fixture   *f,
            GtkWidget *details)
{
  gdk_clipboard_set_text (clipboard (f), "");
  bh_ui_activate (bh_ui_get_button (details, "Copy OAuth 2.0 Access Token"));
  BH_UI_WAIT_UNTIL (gtk_widget_get_visible (bh_ui_get_button (details, "Copy OAuth 2.0 Access Token")),
                    WAIT_SECONDS);
  BH_UI_WAIT_UNTIL (bh_ui_clipboard_has_content (clipboard (f)), WAIT_SECONDS);
  {
    g_autofree char *text = NULL;

    BH_UI_WAIT_UNTIL ((g_free (text), text = bh_ui_read_clipboard (clipboard (f))) != NULL && *text != '\0',
                      WAIT_SECONDS);
    return g_steal_pointer (&text);
  }
}

/* The details show method, scopes and renewal; Copy of an expired token
 * refreshes it first (one refresh at X) and copies the new one. */
static void
test_details_copy_refreshes (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  BhAccount *account;
  GtkWidget *details;
  gint64 expires_at;

  /* Tokens that live 30 seconds: within the refresh margin at once. */
  bh_fake_server_set_oauth2_lifetime (f->server, 30);
  account = authorize_through_browser (f, "Read");
  expires_at = bh_account_get_oauth2_expires_at (account);

  details = open_details (f, "@alice");
  g_assert_cmpstr (bh_ui_row_subtitle (details, "Method"), ==, "OAuth 2.0");
  g_assert_nonnull (strstr (bh_ui_row_subtitle (details, "Scopes"), "users.read"));
  g_assert_cmpstr (bh_ui_row_subtitle (details, "OAuth 2.0 Access Token"), ==, "Expired; renews on next use");
  /* No OAuth 1.0a tokens: their group is hidden. */
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (
    bh_ui_get_button (details, "Copy Access Token"), ADW_TYPE_PREFERENCES_GROUP)));
  gtk_window_set_default_size (GTK_WINDOW (details), 500, 1000);
  BH_UI_WAIT_UNTIL (gtk_widget_get_height (details) > 720, WAIT_SECONDS);
  bh_ui_wait_for_paint (details);
  bh_ui_screenshot (details, "account-details-oauth2.png");
  {
    const char *secrets[] = { BH_FAKE_CLIENT_SECRET, BH_FAKE_CONSUMER_SECRET, NULL };

    bh_ui_check_atspi (secrets);
  }

  first = copy_token (f, details);
  g_assert_cmpuint (bh_fake_server_oauth2_token_calls (f->server, "refresh_token"), ==, 1);
  g_assert_cmpint (bh_account_get_oauth2_expires_at (account), >=, expires_at);

  /* And again, a fresh one each time (the last was spent at once). */
  second = copy_token (f, details);
  g_assert_cmpuint (bh_fake_server_oauth2_token_calls (f->server, "refresh_token"), ==, 2);
  g_assert_false (bh_secret_equal (first, second));
  g_assert_false (bh_fake_server_oauth2_reuse_detected (f->server));
  bh_secret_clear (&first);
  bh_secret_clear (&second);
  gdk_clipboard_set_text (clipboard (f), "");
}

static void
grant_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  BhOAuth2Grant **grant = user_data;
  g_autoptr(GError) error = NULL;

  *grant = bh_store_lookup_oauth2_grant_finish (BH_STORE (object), result, &error);
  g_assert_no_error (error);
}

static void
replace_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (bh_store_replace_oauth2_grant_finish (BH_STORE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* An account X refuses (its grant ended) offers Authorize Again, which
 * renews the same account object at the same place. */
static void
test_authorize_again (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BhOAuth2Grant) stale = NULL;
  g_autofree char *token = NULL;
  BhAccount *alice, *bob;
  GtkWidget *details, *dialog;
  GtkWindow *window;
  gboolean done = FALSE;

  bh_fake_server_set_oauth2_lifetime (f->server, 30);
  g_setenv ("BH_FAKE_BROWSER_USER", "bob", TRUE);
  bob = authorize_through_browser (f, NULL);
  g_assert_cmpstr (bh_account_get_screen_name (bob), ==, "bob");
  g_unsetenv ("BH_FAKE_BROWSER_USER");
  alice = authorize_through_browser (f, "Everything");
  g_assert_cmpuint (n_accounts (f), ==, 2);

  /* A copy of the grant from before a refresh, written back: its
   * refresh token is spent, and X ends the grant when it comes again. */
  bh_store_lookup_oauth2_grant_async (f->store, alice, NULL, grant_cb, &stale);
  BH_UI_WAIT_UNTIL (stale != NULL, WAIT_SECONDS);
  details = open_details (f, "@alice");
  token = copy_token (f, details);
  bh_secret_clear (&token);
  gdk_clipboard_set_text (clipboard (f), "");
  bh_store_replace_oauth2_grant_async (f->store, alice, stale, NULL, replace_cb, &done);
  BH_UI_WAIT_UNTIL (done, WAIT_SECONDS);

  bh_ui_activate (bh_ui_get_button (details, "Copy OAuth 2.0 Access Token"));
  BH_UI_WAIT_UNTIL (bh_account_get_state (alice) == BH_ACCOUNT_STATE_NEEDS_REAUTH, WAIT_SECONDS);
  g_assert_true (bh_fake_server_oauth2_reuse_detected (f->server));
  /* The error said so; close it. */
  BH_UI_WAIT_UNTIL (bh_ui_message_dialog_shown (NULL), WAIT_SECONDS);
  {
    GtkWindow *message = bh_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

    gtk_window_destroy (message);
    BH_UI_WAIT_UNTIL (bh_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL, WAIT_SECONDS);
  }
  g_assert_true (gtk_widget_get_mapped (bh_ui_get_button (details, "Authorize Again…")));
  g_assert_cmpstr (bh_ui_row_subtitle (details, "OAuth 2.0 Access Token"), ==, "X refused to renew it");
  gtk_window_set_default_size (GTK_WINDOW (details), 500, 1000);
  /* Resized and drawn again before the picture (slow sanitizer builds). */
  BH_UI_WAIT_UNTIL (gtk_widget_get_height (details) > 720, WAIT_SECONDS);
  bh_ui_wait_for_paint (details);
  bh_ui_screenshot (details, "account-details-needs-reauth.png");

  bh_ui_activate (bh_ui_get_button (details, "Authorize Again…"));
  BH_UI_WAIT_UNTIL ((window = bh_ui_find_toplevel (BH_TYPE_AUTHORIZE_DIALOG)) != NULL, WAIT_SECONDS);
  dialog = GTK_WIDGET (window);
  bh_ui_wait (bh_ui_widget_mapped, dialog, WAIT_SECONDS);
  BH_UI_WAIT_UNTIL (bh_ui_find_toplevel (BH_TYPE_ACCOUNT_DIALOG) == NULL, WAIT_SECONDS);
  /* The same method and scopes as before; no method to choose. */
  g_assert_false (gtk_widget_get_mapped (bh_ui_get (dialog, GTK_TYPE_CHECK_BUTTON,
                                                    bh_ui_accessible_label_is, "OAuth 2.0")));
  g_assert_nonnull (strstr (gtk_editable_get_text (GTK_EDITABLE (bh_ui_get (dialog, ADW_TYPE_ENTRY_ROW,
                                                                             bh_ui_row_title_is, "_Scopes"))),
                            "dm.write"));
  bh_ui_screenshot (dialog, "authorize-again.png");

  bh_ui_activate (bh_ui_get_button (dialog, "Open Browser"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "success") || is_page (dialog, "error"), WAIT_SECONDS);
  g_assert_cmpstr (visible_page (dialog), ==, "success");
  g_assert_true (bh_oauth2_flow_get_account (BH_OAUTH2_FLOW (dialog_flow (dialog))) == alice);

  /* The same object, in the same place, working again. */
  g_assert_cmpuint (n_accounts (f), ==, 2);
  g_assert_true (bh_app_find_account (f->app, "alice") == alice);
  g_assert_true (bh_app_find_account (f->app, "bob") == bob);
  {
    g_autoptr(BhAccount) first = g_list_model_get_item (bh_app_get_accounts (f->app), 0);
    g_autoptr(BhAccount) second = g_list_model_get_item (bh_app_get_accounts (f->app), 1);

    g_assert_true ((first == bob && second == alice) || (first == alice && second == bob));
  }
  g_assert_cmpint (bh_account_get_state (alice), ==, BH_ACCOUNT_STATE_OK);
  g_assert_nonnull (strstr (bh_account_get_oauth2_scopes (alice), "dm.write"));
}

static gint64
oauth2_revoke_calls (Fixture *f)
{
  g_autoptr(JsonNode) state = bh_fake_server_get_oauth2_state (f->server);

  return json_object_get_int_member (json_node_get_object (state), "revoke_calls");
}

/* Rotate… of an account holding an OAuth 2.0 grant only: the grant is
 * revoked at X, the account waits marked, then the authorize dialog
 * renews it with OAuth 2.0, in place, the rotation recorded. */
static void
test_rotate_grant (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BhOAuth2Grant) old = NULL;
  g_autoptr(BhOAuth2Grant) fresh = NULL;
  BhAccount *alice = authorize_through_browser (f, NULL);
  GtkWidget *details, *dialog;
  GtkWindow *rotate, *window;
  gint64 revoked = oauth2_revoke_calls (f);

  bh_store_lookup_oauth2_grant_async (f->store, alice, NULL, grant_cb, &old);
  BH_UI_WAIT_UNTIL (old != NULL, WAIT_SECONDS);
  g_assert_null (bh_account_get_rotated_at (alice));

  details = open_details (f, "@alice");
  bh_ui_activate (bh_ui_get_button (details, "Rotate…"));
  BH_UI_WAIT_UNTIL ((rotate = bh_ui_find_toplevel (BH_TYPE_ROTATE_DIALOG)) != NULL, WAIT_SECONDS);
  bh_ui_wait (bh_ui_widget_mapped, rotate, WAIT_SECONDS);
  bh_ui_activate (bh_ui_get_button (GTK_WIDGET (rotate), "Rotate"));
  BH_UI_WAIT_UNTIL ((window = bh_ui_find_toplevel (BH_TYPE_AUTHORIZE_DIALOG)) != NULL, WAIT_SECONDS);
  dialog = GTK_WIDGET (window);
  bh_ui_wait (bh_ui_widget_mapped, dialog, WAIT_SECONDS);

  /* The refresh token and the access token, revoked at X. */
  g_assert_cmpint (oauth2_revoke_calls (f), ==, revoked + 2);
  g_assert_cmpint (bh_account_get_state (alice), ==, BH_ACCOUNT_STATE_NEEDS_REAUTH);

  bh_ui_activate (bh_ui_get_button (dialog, "Open Browser"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "success") || is_page (dialog, "error"), WAIT_SECONDS);
  g_assert_cmpstr (visible_page (dialog), ==, "success");
  g_assert_true (bh_oauth2_flow_get_account (BH_OAUTH2_FLOW (dialog_flow (dialog))) == alice);
  g_assert_cmpuint (n_accounts (f), ==, 1);
  g_assert_cmpint (bh_account_get_state (alice), ==, BH_ACCOUNT_STATE_OK);
  g_assert_nonnull (bh_account_get_rotated_at (alice));

  bh_store_lookup_oauth2_grant_async (f->store, alice, NULL, grant_cb, &fresh);
  BH_UI_WAIT_UNTIL (fresh != NULL, WAIT_SECONDS);
  g_assert_cmpstr (fresh->refresh_token, !=, old->refresh_token);
  bh_ui_activate (bh_ui_get_button (dialog, "Done"));
}

/* Verify asks 2/users/me with the OAuth 2.0 token; Revoke ends the grant
 * at X (2/oauth2/revoke) and removes the account with its grant. */
static void
test_verify_and_revoke (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) state = NULL;
  AdwMessageDialog *confirm;
  GtkWidget *details;
  GtkWidget *weak;
  JsonArray *grants;
  BhAccount *account;

  account = authorize_through_browser (f, NULL);
  details = open_details (f, "@alice");
  bh_account_set_verified_at (account, NULL);
  bh_ui_activate (bh_ui_get_button (details, "Verify"));
  BH_UI_WAIT_UNTIL (bh_account_get_verified_at (account) != NULL || bh_ui_message_dialog_shown (NULL),
                    WAIT_SECONDS);
  g_assert_false (bh_ui_message_dialog_shown (NULL));
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_OK);

  weak = details;
  g_object_add_weak_pointer (G_OBJECT (details), (gpointer *) &weak);
  BH_UI_WAIT_UNTIL (gtk_widget_get_sensitive (bh_ui_get_button (details, "Revoke…")), WAIT_SECONDS);
  bh_ui_activate (bh_ui_get_button (details, "Revoke…"));
  BH_UI_WAIT_UNTIL ((confirm = ADW_MESSAGE_DIALOG (bh_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG))) != NULL,
                    WAIT_SECONDS);
  BH_UI_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (confirm)), WAIT_SECONDS);
  bh_ui_activate (bh_ui_get_button (GTK_WIDGET (confirm), "Revoke"));
  BH_UI_WAIT_UNTIL (weak == NULL, WAIT_SECONDS);

  g_assert_cmpuint (n_accounts (f), ==, 0);
  state = bh_fake_server_get_oauth2_state (f->server);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (state), "revoke_calls"), >=, 1);
  grants = json_object_get_array_member (json_node_get_object (state), "grants");
  g_assert_cmpuint (json_array_get_length (grants), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (grants, 0), "ended"),
                   ==, "revoked");
}

/* The options: a scope X does not have is named and keeps Open Browser
 * insensitive; a list of one's own selects "Custom" and is what X is
 * asked for (with the two Birdhouse needs, and offline.access only when
 * Stay signed in is on); OAuth 1.0a with a PIN runs the PIN flow. */
static void
test_options (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *dialog = open_authorize (f);
  GtkWidget *scopes = bh_ui_get (dialog, ADW_TYPE_ENTRY_ROW, bh_ui_row_title_is, "_Scopes");
  GtkWidget *preset = bh_ui_get (dialog, ADW_TYPE_COMBO_ROW, bh_ui_row_title_is, "_Access");
  GtkWidget *open = bh_ui_get_button (dialog, "Open Browser");
  GtkWidget *error_label;
  GtkWidget *offline;
  const char * const *asked;

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (scopes)), ==, "tweet.read users.read");
  gtk_editable_set_text (GTK_EDITABLE (scopes), "tweet.read tweet.rite");
  error_label = bh_ui_get (dialog, GTK_TYPE_LABEL, bh_ui_has_class, "error");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "“tweet.rite”"));
  g_assert_false (gtk_widget_get_sensitive (open));

  gtk_editable_set_text (GTK_EDITABLE (scopes), "like.read, bookmark.read");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_true (gtk_widget_get_sensitive (open));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (preset)), ==, 3);   /* Custom */
  /* Stay signed in: the first switch, on by default. */
  offline = bh_ui_get (dialog, GTK_TYPE_SWITCH, NULL, NULL);
  g_assert_true (gtk_widget_get_mapped (offline));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (offline)));
  gtk_switch_set_active (GTK_SWITCH (offline), FALSE);

  g_setenv ("BH_FAKE_BROWSER_ACTION", "none", TRUE);
  /* Enter in the scopes row starts, as Open Browser does. */
  g_signal_emit_by_name (scopes, "entry-activated");
  BH_UI_WAIT_UNTIL (is_page (dialog, "browser"), WAIT_SECONDS);
  g_assert_true (BH_IS_OAUTH2_FLOW (dialog_flow (dialog)));
  asked = bh_oauth2_flow_get_scopes (BH_OAUTH2_FLOW (dialog_flow (dialog)));
  g_assert_true (g_strv_contains (asked, "tweet.read"));
  g_assert_true (g_strv_contains (asked, "users.read"));
  g_assert_true (g_strv_contains (asked, "like.read"));
  g_assert_true (g_strv_contains (asked, "bookmark.read"));
  g_assert_false (g_strv_contains (asked, "offline.access"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  BH_UI_WAIT_UNTIL (port_is_free (f->port), WAIT_SECONDS);

  /* The other method. */
  dialog = open_authorize (f);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (bh_ui_get (dialog, GTK_TYPE_CHECK_BUTTON, bh_ui_accessible_label_is,
                                                            "OAuth 1.0a with a PIN")), TRUE);
  g_assert_false (gtk_widget_get_mapped (bh_ui_get (dialog, ADW_TYPE_ENTRY_ROW, bh_ui_row_title_is, "_Scopes")));
  bh_ui_activate (bh_ui_get_button (dialog, "Open Browser"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "pin"), WAIT_SECONDS);
  g_assert_true (BH_IS_PIN_FLOW (dialog_flow (dialog)));
}

/* What a screen reader meets on the OAuth 2.0 pages. */
static void
test_a11y_atspi (Fixture       *f,
                 gconstpointer  data)
{
  const char *secrets[] = { BH_FAKE_CLIENT_SECRET, BH_FAKE_CONSUMER_SECRET, NULL };
  GtkWidget *dialog;

  g_setenv ("BH_FAKE_BROWSER_ACTION", "none", TRUE);
  dialog = open_authorize (f);
  bh_ui_check_atspi (secrets);
  bh_ui_activate (bh_ui_get_button (dialog, "Open Browser"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "browser"), WAIT_SECONDS);
  bh_ui_check_atspi (secrets);
}

int
main (int    argc,
      char **argv)
{
  /* Every debug message of the window, checked for secrets below. */
  bh_test_capture_logs ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/window-oauth2/authorize-in-browser", test_authorize_in_browser);
  ADD ("/window-oauth2/options", test_options);
  ADD ("/window-oauth2/pasted-address", test_pasted_address);
  ADD ("/window-oauth2/access-denied", test_access_denied);
  ADD ("/window-oauth2/port-in-use", test_port_in_use);
  ADD ("/window-oauth2/cancel-waiting", test_cancel_waiting);
  ADD ("/window-oauth2/details-copy-refreshes", test_details_copy_refreshes);
  ADD ("/window-oauth2/authorize-again", test_authorize_again);
  ADD ("/window-oauth2/verify-and-revoke", test_verify_and_revoke);
  ADD ("/window-oauth2/rotate-grant", test_rotate_grant);
  ADD ("/window-oauth2/a11y/atspi", test_a11y_atspi);
#undef ADD

  return g_test_run ();
}
