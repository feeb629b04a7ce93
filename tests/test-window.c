/* test-window.c
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

/* Drives the real main window in-process, as a person would: widgets are
 * found in the widget tree by type and label, entries typed into, buttons
 * activated, and the main loop iterated until the expected state. The
 * store is the real one (records file in the private XDG folders, the real
 * gnome-keyring of the test session) and X is the fake server. */

#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "bh-app-dialog.h"
#include "bh-app-page.h"
#include "bh-account-row.h"
#include "bh-app-row.h"
#include "bh-authorize-dialog.h"
#include "bh-fake-server.h"
#include "bh-oauth2.h"
#include "bh-secret.h"
#include "bh-store.h"
#include "bh-test-utils.h"
#include "bh-ui-test.h"

typedef struct
{
  BhFakeServer  *server;
  BhApplication *app;
  BhWindow      *window;
  BhStore       *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  /* Short enough to watch the clipboard being cleared. */
  g_settings_set_uint (settings, "clipboard-clear-timeout", 5);
  g_settings_set_int (settings, "window-width", 960);
  g_settings_set_int (settings, "window-height", 640);

  fixture->server = bh_fake_server_start ();
  fixture->app = bh_ui_start_app (&fixture->window);
  fixture->store = bh_window_get_store (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Leave an empty store (and keyring) for the next test. */
  bh_ui_clean_up (fixture->window, fixture->store);

  bh_ui_stop_app (fixture->app);
  g_clear_pointer (&fixture->server, bh_fake_server_stop);
}

static BhApp *
add_app (Fixture    *fixture,
         const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BhApp *app;

  bh_store_add_app_async (fixture->store, name, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                          bh_fake_server_get_url (fixture->server), NULL,
                          bh_test_store_result, &result);
  bh_test_wait_for_result (&result, 20);
  app = bh_store_add_app_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (app);
  g_object_unref (app);

  return app;
}

static char *
keyring_lookup (const char *kind,
                BhApp      *app)
{
  g_autoptr(GError) error = NULL;
  char *value;

  /* Straight to the Secret Service, not through the store under test. */
  value = secret_password_lookup_sync (bh_store_get_schema (), NULL, &error,
                                       "kind", kind,
                                       "app-id", bh_app_get_id (app),
                                       NULL);
  g_assert_no_error (error);
  return value;
}

static BhAppPage *
get_page (Fixture *fixture)
{
  return bh_ui_get_app_page (fixture->window);
}

static gboolean
keyring_known (gpointer data)
{
  return bh_store_get_keyring_status (data) != BH_KEYRING_STATUS_UNKNOWN;
}

static gboolean
keyring_banner_shown (GtkWidget     *widget,
                      gconstpointer  data)
{
  const char *text = gtk_label_get_text (GTK_LABEL (widget));

  return gtk_widget_get_mapped (widget) &&
         (g_str_has_prefix (text, "No keyring") || g_str_has_prefix (text, "The keyring is locked"));
}

/* Tests */

static void
test_empty_state (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *empty;
  GtkWidget *button;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "Birdhouse");

  /* The keyring works, on the Secret Service and (meson test --setup
   * flatpak) on the file backend a Flatpak has: the window says nothing
   * about it. */
  bh_ui_wait (keyring_known, fixture->store, 20);
  g_assert_cmpint (bh_store_get_keyring_status (fixture->store), ==, BH_KEYRING_STATUS_AVAILABLE);
  bh_ui_spin (300);
  g_assert_null (bh_ui_find (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL, keyring_banner_shown, NULL));

  empty = bh_ui_get (GTK_WIDGET (fixture->window), ADW_TYPE_STATUS_PAGE,
                     bh_ui_status_title_is, "Add a Developer App");
  bh_ui_wait (bh_ui_widget_mapped, empty, 5);

  button = bh_ui_get (empty, GTK_TYPE_BUTTON, bh_ui_button_label_is, "_Add App…");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.new-app");

  /* Nothing to edit or remove. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.remove-app", NULL) &&
                  bh_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL);

  bh_ui_screenshot (GTK_WIDGET (fixture->window), "window-empty.png");
}

static gboolean
app_named (gpointer data)
{
  gpointer *args = data;

  return bh_store_find_app (args[0], args[1]) != NULL;
}

static gboolean
no_app_dialog (gpointer data)
{
  return bh_ui_find_toplevel (BH_TYPE_APP_DIALOG) == NULL;
}

static void
test_add_app (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWidget *dialog;
  GtkWidget *save;
  GtkWidget *error_label;
  GtkWidget *row;
  g_autofree char *secret = NULL;
  gpointer args[2] = { fixture->store, (gpointer) "MyBot" };
  BhApp *app;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-app", NULL));
  dialog = GTK_WIDGET (bh_ui_find_toplevel (BH_TYPE_APP_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Add App");
  bh_ui_wait (bh_ui_widget_mapped, dialog, 5);

  save = bh_ui_get (dialog, GTK_TYPE_BUTTON, bh_ui_button_label_is, "_Save");
  error_label = bh_ui_get (dialog, GTK_TYPE_LABEL, bh_ui_has_class, "error");
  g_assert_false (gtk_widget_get_sensitive (save));

  /* The host comes from GSettings. */
  row = bh_ui_get (dialog, ADW_TYPE_ENTRY_ROW, bh_ui_row_title_is, "API Host");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "https://api.x.com");

  bh_ui_set_row_text (dialog, "Name", "MyBot");
  bh_ui_set_row_text (dialog, "API Key", BH_FAKE_CONSUMER_KEY " ");
  bh_ui_set_row_text (dialog, "API Key Secret", BH_FAKE_CONSUMER_SECRET);
  bh_ui_screenshot (dialog, "app-dialog-error.png");

  /* Stray whitespace: said in words, naming the field, and no Save. */
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "API key"));
  g_assert_true (gtk_widget_has_css_class (bh_ui_get (dialog, ADW_TYPE_ENTRY_ROW, bh_ui_row_title_is, "API Key"),
                                           "error"));

  bh_ui_set_row_text (dialog, "API Key", BH_FAKE_CONSUMER_KEY);
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_true (gtk_widget_get_sensitive (save));

  /* Plain http is refused except to loopback. */
  bh_ui_set_row_text (dialog, "API Host", "http://api.example.com");
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_true (gtk_widget_get_visible (error_label));

  bh_ui_set_row_text (dialog, "API Host", bh_fake_server_get_url (fixture->server));
  g_assert_true (gtk_widget_get_sensitive (save));
  bh_ui_screenshot (dialog, "app-dialog.png");

  bh_ui_click (save);
  bh_ui_wait (app_named, args, 20);
  bh_ui_wait (no_app_dialog, NULL, 10);

  app = bh_store_find_app (fixture->store, "MyBot");
  g_assert_cmpstr (bh_app_get_consumer_key (app), ==, BH_FAKE_CONSUMER_KEY);
  g_assert_cmpstr (bh_app_get_api_host (app), ==, bh_fake_server_get_url (fixture->server));

  /* In the sidebar, selected, and its page shown. */
  g_assert_true (bh_window_get_selected_app (fixture->window) == app);
  g_assert_true (bh_app_page_get_app (get_page (fixture)) == app);
  bh_ui_wait (bh_ui_widget_mapped, get_page (fixture), 5);
  g_assert_nonnull (bh_ui_find (GTK_WIDGET (fixture->window), BH_TYPE_APP_ROW, NULL, NULL));

  /* The secret is in the keyring, and only there. */
  secret = keyring_lookup ("app", app);
  g_assert_nonnull (secret);
  g_assert_true (bh_secret_equal (secret, BH_FAKE_CONSUMER_SECRET));
  g_assert_false (bh_test_dir_contains (g_get_user_data_dir (), BH_FAKE_CONSUMER_SECRET, "keyrings", NULL));
  g_assert_false (bh_test_dir_contains (g_get_user_config_dir (), BH_FAKE_CONSUMER_SECRET, NULL, NULL));
  bh_secret_wipe (secret, strlen (secret));

  /* The accounts group says how to add one. */
  bh_ui_get (GTK_WIDGET (get_page (fixture)), GTK_TYPE_LABEL, bh_ui_label_is, "No Accounts Yet");

  bh_ui_screenshot (GTK_WIDGET (fixture->window), "window-app.png");
}

static gboolean
app_name_is (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (bh_app_get_name (args[0]), args[1]) == 0;
}

static void
test_edit_app (Fixture       *fixture,
               gconstpointer  data)
{
  BhApp *app = add_app (fixture, "Editable");
  GtkWidget *dialog;
  GtkWidget *save;
  GtkWidget *secret_row;
  gpointer args[2] = { app, (gpointer) "Renamed" };
  g_autofree char *secret = NULL;

  bh_window_select_app (fixture->window, app);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.edit-app", NULL));
  dialog = GTK_WIDGET (bh_ui_find_toplevel (BH_TYPE_APP_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Edit App");

  /* The secret is never shown; empty means "unchanged". */
  secret_row = bh_ui_get (dialog, ADW_TYPE_ENTRY_ROW, bh_ui_row_title_is, "API Key Secret");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret_row)), ==, "");

  save = bh_ui_get (dialog, GTK_TYPE_BUTTON, bh_ui_button_label_is, "_Save");
  g_assert_true (gtk_widget_get_sensitive (save));
  bh_ui_set_row_text (dialog, "Name", "");
  g_assert_false (gtk_widget_get_sensitive (save));
  bh_ui_set_row_text (dialog, "Name", "Renamed");
  g_assert_true (gtk_widget_get_sensitive (save));

  bh_ui_click (save);
  bh_ui_wait (app_name_is, args, 20);
  bh_ui_wait (no_app_dialog, NULL, 10);

  g_assert_true (bh_store_find_app (fixture->store, "Renamed") == app);
  secret = keyring_lookup ("app", app);
  g_assert_true (bh_secret_equal (secret, BH_FAKE_CONSUMER_SECRET));
  bh_secret_wipe (secret, strlen (secret));

  /* The sidebar row follows. */
  bh_ui_get (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL, bh_ui_label_is, "Renamed");
}

static gboolean
app_has_client_id (gpointer data)
{
  gpointer *args = data;
  BhApp *app = bh_store_find_app (args[0], args[1]);

  return app != NULL && bh_app_get_client_id (app) != NULL;
}

/* The OAuth 2.0 group: an App with a Client ID only, the Client Secret of
 * a confidential client, the exact Callback URI to register (copied), a
 * redirect URI X would not accept refused in words. */
static void
test_add_app_oauth2 (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *dialog;
  GtkWidget *save;
  GtkWidget *error_label;
  GtkWidget *copy;
  GtkWidget *page;
  GdkClipboard *clipboard;
  g_autofree char *copied = NULL;
  g_autofree char *secret = NULL;
  gpointer args[2] = { fixture->store, (gpointer) "Client Bot" };
  BhApp *app;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-app", NULL));
  dialog = GTK_WIDGET (bh_ui_find_toplevel (BH_TYPE_APP_DIALOG));
  g_assert_nonnull (dialog);
  bh_ui_wait (bh_ui_widget_mapped, dialog, 5);
  save = bh_ui_get (dialog, GTK_TYPE_BUTTON, bh_ui_button_label_is, "_Save");
  error_label = bh_ui_get (dialog, GTK_TYPE_LABEL, bh_ui_has_class, "error");
  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "Callback URI to register at X"), ==, BH_OAUTH2_DEFAULT_REDIRECT_URI);

  /* A Client ID is enough: the API key is optional with it. */
  bh_ui_set_row_text (dialog, "Name", "Client Bot");
  g_assert_false (gtk_widget_get_sensitive (save));
  bh_ui_set_row_text (dialog, "Client ID", BH_FAKE_CLIENT_ID);
  g_assert_true (gtk_widget_get_sensitive (save));

  /* A Client Secret with a space around it: said, and no Save. */
  bh_ui_set_row_text (dialog, "Client Secret (optional)", " " BH_FAKE_CLIENT_SECRET);
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "Client Secret"));
  bh_ui_set_row_text (dialog, "Client Secret (optional)", BH_FAKE_CLIENT_SECRET);
  g_assert_true (gtk_widget_get_sensitive (save));

  /* localhost is refused with X's reason; the URI to register follows
   * what is typed. */
  bh_ui_set_row_text (dialog, "Redirect URI (OAuth 2.0)", "http://localhost:9000/cb");
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "127.0.0.1"));
  bh_ui_set_row_text (dialog, "Redirect URI (OAuth 2.0)", "http://127.0.0.1:9000/cb");
  g_assert_true (gtk_widget_get_sensitive (save));
  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "Callback URI to register at X"), ==, "http://127.0.0.1:9000/cb");

  /* What a screen reader meets (before any toast, whose close button
   * libadwaita 1.2 leaves unnamed): every button named, the Client
   * Secret nowhere in a name or description. */
  {
    const char *secrets[] = { BH_FAKE_CLIENT_SECRET, NULL };

    bh_ui_check_atspi (secrets);
  }

  /* The Copy button is named for screen readers, and copies it exactly. */
  copy = bh_ui_get_button (dialog, "Copy Callback URI");
  clipboard = gtk_widget_get_clipboard (copy);
  bh_ui_click (copy);
  bh_ui_wait (bh_ui_clipboard_has_content, clipboard, 5);
  copied = bh_ui_read_clipboard (clipboard);
  g_assert_cmpstr (copied, ==, "http://127.0.0.1:9000/cb");
  bh_ui_screenshot (dialog, "app-dialog-oauth2.png");

  bh_ui_click (save);
  bh_ui_wait (app_has_client_id, args, 20);
  bh_ui_wait (no_app_dialog, NULL, 10);

  app = bh_store_find_app (fixture->store, "Client Bot");
  g_assert_null (bh_app_get_consumer_key (app));
  g_assert_cmpstr (bh_app_get_client_id (app), ==, BH_FAKE_CLIENT_ID);
  g_assert_cmpstr (bh_app_get_redirect_uri (app), ==, "http://127.0.0.1:9000/cb");
  g_assert_true (bh_app_get_has_client_secret (app));
  secret = keyring_lookup ("client-secret", app);
  g_assert_true (bh_secret_equal (secret, BH_FAKE_CLIENT_SECRET));
  bh_secret_wipe (secret, strlen (secret));
  g_assert_false (bh_test_dir_contains (g_get_user_data_dir (), BH_FAKE_CLIENT_SECRET, "keyrings", NULL));

  /* The page shows the OAuth 2.0 client where the API key would be. */
  page = GTK_WIDGET (get_page (fixture));
  bh_ui_wait (bh_ui_widget_mapped, page, 5);
  g_assert_cmpstr (bh_ui_row_subtitle (page, "Client ID (OAuth 2.0)"), ==, BH_FAKE_CLIENT_ID);
  g_assert_cmpstr (bh_ui_row_subtitle (page, "Callback URI"), ==, "http://127.0.0.1:9000/cb");
  g_assert_false (gtk_widget_get_visible (bh_ui_get (page, ADW_TYPE_ACTION_ROW, bh_ui_row_title_is, "API Key")));
  /* No API key, no bearer token to generate. */
  g_assert_false (gtk_widget_is_visible (bh_ui_get (page, ADW_TYPE_ACTION_ROW, bh_ui_row_title_is, "Bearer Token")));
  bh_ui_screenshot (GTK_WIDGET (fixture->window), "window-app-oauth2.png");
}

static gboolean
app_is_public_client (gpointer data)
{
  return !bh_app_get_has_client_secret (data);
}

/* A confidential client turned public in the dialog: its Client Secret
 * leaves the keyring. */
static void
test_edit_app_public_client (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhApp) app = NULL;
  BhStoreAppFields fields = { .name = "Turning Bot", .client_id = BH_FAKE_CLIENT_ID,
                              .client_secret = BH_FAKE_CLIENT_SECRET };
  GtkWidget *dialog;
  GtkWidget *row;
  GtkWidget *secret_row;
  g_autofree char *secret = NULL;

  bh_store_add_app_full_async (fixture->store, &fields, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, 20);
  app = bh_store_add_app_full_finish (fixture->store, result, &error);
  g_assert_no_error (error);

  bh_window_select_app (fixture->window, app);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.edit-app", NULL));
  dialog = GTK_WIDGET (bh_ui_find_toplevel (BH_TYPE_APP_DIALOG));
  g_assert_nonnull (dialog);
  bh_ui_wait (bh_ui_widget_mapped, dialog, 5);
  row = bh_ui_get (dialog, ADW_TYPE_ACTION_ROW, bh_ui_row_title_is, "Public Client");
  secret_row = bh_ui_get (dialog, ADW_TYPE_ENTRY_ROW, bh_ui_row_title_is, "Client Secret (optional)");
  g_assert_true (gtk_widget_get_visible (row));
  g_assert_true (gtk_widget_get_sensitive (secret_row));

  /* The switch, as Space on it would; named for screen readers. */
  g_assert_true (bh_ui_accessible_label_is (bh_ui_get (row, GTK_TYPE_SWITCH, NULL, NULL), "Public Client"));
  g_assert_true (gtk_widget_activate (bh_ui_get (row, GTK_TYPE_SWITCH, NULL, NULL)));
  /* The switch turns at the end of its animation. */
  BH_UI_WAIT_UNTIL (!gtk_widget_get_sensitive (secret_row), 5);
  bh_ui_screenshot (dialog, "app-dialog-public-client.png");
  bh_ui_click (bh_ui_get (dialog, GTK_TYPE_BUTTON, bh_ui_button_label_is, "_Save"));
  bh_ui_wait (app_is_public_client, app, 20);
  bh_ui_wait (no_app_dialog, NULL, 10);

  g_assert_cmpstr (bh_app_get_client_id (app), ==, BH_FAKE_CLIENT_ID);
  g_assert_null (secret = keyring_lookup ("client-secret", app));
  g_assert_cmpstr (bh_ui_row_subtitle (GTK_WIDGET (get_page (fixture)), "Client Secret"), ==,
                   "None: a public client (Native App)");
}

/* An App with OAuth 1.0a keys gains a Client ID (a public client). */
static void
test_edit_app_oauth2 (Fixture       *fixture,
                      gconstpointer  data)
{
  BhApp *app = add_app (fixture, "Both Bot");
  GtkWidget *dialog;
  GtkWidget *page;
  gpointer args[2] = { fixture->store, (gpointer) "Both Bot" };

  bh_window_select_app (fixture->window, app);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.edit-app", NULL));
  dialog = GTK_WIDGET (bh_ui_find_toplevel (BH_TYPE_APP_DIALOG));
  g_assert_nonnull (dialog);
  bh_ui_set_row_text (dialog, "Client ID", BH_FAKE_PUBLIC_CLIENT_ID);
  bh_ui_click (bh_ui_get (dialog, GTK_TYPE_BUTTON, bh_ui_button_label_is, "_Save"));
  bh_ui_wait (app_has_client_id, args, 20);
  bh_ui_wait (no_app_dialog, NULL, 10);

  g_assert_cmpstr (bh_app_get_consumer_key (app), ==, BH_FAKE_CONSUMER_KEY);
  g_assert_true (bh_app_get_has_secret (app));
  g_assert_false (bh_app_get_has_client_secret (app));
  g_assert_cmpstr (bh_app_get_redirect_uri (app), ==, BH_OAUTH2_DEFAULT_REDIRECT_URI);

  page = GTK_WIDGET (get_page (fixture));
  g_assert_cmpstr (bh_ui_row_subtitle (page, "Client ID (OAuth 2.0)"), ==, BH_FAKE_PUBLIC_CLIENT_ID);
  g_assert_cmpstr (bh_ui_row_subtitle (page, "Client Secret"), ==, "None: a public client (Native App)");
  g_assert_true (gtk_widget_get_visible (bh_ui_get (page, ADW_TYPE_ACTION_ROW, bh_ui_row_title_is, "API Key")));
  g_assert_true (gtk_widget_is_visible (bh_ui_get (page, ADW_TYPE_ACTION_ROW, bh_ui_row_title_is, "Bearer Token")));
}

static void
lookup_bearer (BhStore  *store,
               BhApp    *app,
               char    **bearer)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bh_store_lookup_bearer_async (store, app, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, 20);
  *bearer = bh_store_lookup_bearer_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*bearer);
}

static void
test_bearer_and_clipboard (Fixture       *fixture,
                           gconstpointer  data)
{
  BhApp *app = add_app (fixture, "Bearer Bot");
  BhAppPage *page;
  GtkWidget *generate;
  GtkWidget *copy;
  GtkWidget *spinner;
  GdkClipboard *clipboard;
  g_autoptr(BhSecret) bearer = NULL;
  g_autoptr(BhSecret) copied = NULL;
  g_autofree char *other = NULL;

  bh_window_select_app (fixture->window, app);
  page = get_page (fixture);
  g_assert_true (bh_app_page_get_app (page) == app);
  g_assert_false (bh_app_get_has_bearer (app));

  generate = bh_ui_get (GTK_WIDGET (page), GTK_TYPE_BUTTON, bh_ui_button_label_is, "_Generate");
  copy = bh_ui_get (GTK_WIDGET (page), GTK_TYPE_BUTTON, bh_ui_tooltip_is, "Copy Bearer Token");
  spinner = gtk_widget_get_prev_sibling (bh_ui_get (GTK_WIDGET (page), GTK_TYPE_BUTTON, bh_ui_button_label_is, "_Cancel"));
  g_assert_true (bh_app_get_has_secret (app));
  g_assert_true (gtk_widget_get_visible (generate));
  g_assert_true (gtk_widget_get_sensitive (generate));
  g_assert_false (gtk_widget_get_visible (copy));

  /* Slow answers so that the working state can be seen. */
  bh_fake_server_control (fixture->server, "/_fake/fault",
                          "path", "/oauth2/token", "kind", "slow", "count", "1", "seconds", "1", NULL);
  bh_ui_click (generate);
  g_assert_true (bh_app_page_get_busy (page));
  g_assert_true (GTK_IS_SPINNER (spinner));
  g_assert_true (gtk_widget_get_visible (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_false (gtk_widget_get_visible (generate));
  bh_ui_screenshot (GTK_WIDGET (fixture->window), "window-bearer-busy.png");

  bh_ui_wait (bh_ui_app_page_idle, page, 20);
  g_assert_true (bh_app_get_has_bearer (app));
  g_assert_false (gtk_widget_get_visible (spinner));
  g_assert_true (gtk_widget_get_visible (copy));
  g_assert_false (gtk_widget_get_visible (generate));

  /* Copy: the clipboard holds exactly the stored token. */
  lookup_bearer (fixture->store, app, &bearer);
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->window));
  gdk_clipboard_set_content (clipboard, NULL);
  bh_ui_click (copy);
  bh_ui_wait (bh_ui_clipboard_has_content, clipboard, 20);
  g_assert_true (gdk_content_formats_contain_mime_type (gdk_clipboard_get_formats (clipboard),
                                                        "x-kde-passwordManagerHint"));
  copied = bh_ui_read_clipboard (clipboard);
  g_assert_nonnull (copied);
  g_assert_true (bh_secret_equal (copied, bearer));
  bh_ui_screenshot (GTK_WIDGET (fixture->window), "window-copied.png");

  /* …and it is cleared after the timeout (5 s here). */
  bh_ui_wait (bh_ui_clipboard_is_empty, clipboard, 20);

  /* But not when something else was copied meanwhile. */
  bh_ui_click (copy);
  bh_ui_wait (bh_ui_clipboard_has_content, clipboard, 20);
  gdk_clipboard_set_text (clipboard, "something else");
  bh_ui_spin ((5 + 2) * 1000);
  /* Still this process's own copy: read back without asking the X server.
   * (Were GDK to take it for another program's, the read below would wait
   * for an answer that never comes: say so rather than hang.) */
  g_assert_true (gdk_clipboard_is_local (clipboard));
  g_assert_nonnull (gdk_clipboard_get_content (clipboard));
  g_test_message ("reading the clipboard back");
  other = bh_ui_read_clipboard (clipboard);
  g_assert_cmpstr (other, ==, "something else");
}

static void
test_remove_app (Fixture       *fixture,
                 gconstpointer  data)
{
  BhApp *app = add_app (fixture, "Doomed");
  g_autoptr(BhApp) keep = g_object_ref (app);
  g_autofree char *secret = NULL;
  g_autofree char *gone = NULL;
  AdwMessageDialog *dialog;
  const char *body;

  secret = keyring_lookup ("app", app);
  g_assert_nonnull (secret);
  bh_secret_wipe (secret, strlen (secret));

  bh_window_select_app (fixture->window, app);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.remove-app", NULL));
  bh_ui_wait (bh_ui_message_dialog_shown, NULL, 5);
  dialog = ADW_MESSAGE_DIALOG (bh_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  /* It names what goes. */
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove Doomed?");
  body = adw_message_dialog_get_body (dialog);
  g_assert_nonnull (strstr (body, "Doomed"));
  g_assert_nonnull (strstr (body, "API key secret"));
  g_assert_nonnull (strstr (body, "can’t be undone"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "remove"), ==, ADW_RESPONSE_DESTRUCTIVE);
  bh_ui_screenshot (GTK_WIDGET (dialog), "remove-app.png");

  adw_message_dialog_response (dialog, "remove");
  bh_ui_wait (bh_ui_model_is_empty, fixture->store, 20);
  g_assert_null (bh_store_find_app (fixture->store, "Doomed"));

  gone = keyring_lookup ("app", keep);
  g_assert_null (gone);

  /* Back to the empty state. */
  bh_ui_wait (bh_ui_widget_mapped,
              bh_ui_get (GTK_WIDGET (fixture->window), ADW_TYPE_STATUS_PAGE,
                         bh_ui_status_title_is, "Add a Developer App"),
              5);
}

static gboolean
leaflet_folded (gpointer data)
{
  return adw_leaflet_get_folded (data);
}

static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  BhApp *app = add_app (fixture, "Narrow Bot");
  AdwLeaflet *leaflet;
  GtkWidget *row;
  GtkWidget *back;

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 640);
  leaflet = ADW_LEAFLET (bh_ui_get (GTK_WIDGET (fixture->window), ADW_TYPE_LEAFLET, NULL, NULL));
  bh_ui_wait (leaflet_folded, leaflet, 10);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 400);

  /* The sidebar first; choosing an App shows its page, Back returns. */
  row = bh_ui_get (GTK_WIDGET (fixture->window), BH_TYPE_APP_ROW, NULL, NULL);
  g_assert_true (bh_app_row_get_app (BH_APP_ROW (row)) == app);
  bh_ui_wait (bh_ui_widget_mapped, row, 5);
  bh_ui_screenshot (GTK_WIDGET (fixture->window), "window-narrow-sidebar.png");

  g_signal_emit_by_name (row, "activate");
  bh_ui_wait (bh_ui_widget_mapped, get_page (fixture), 5);
  back = bh_ui_get (GTK_WIDGET (fixture->window), GTK_TYPE_BUTTON, bh_ui_tooltip_is, "Back");
  g_assert_true (gtk_widget_get_visible (back));
  bh_ui_screenshot (GTK_WIDGET (fixture->window), "window-narrow-page.png");

  bh_ui_click (back);
  bh_ui_wait (bh_ui_widget_mapped, row, 5);
}

static void
save_account (Fixture    *fixture,
              BhApp      *app,
              const char *user_id,
              const char *screen_name,
              const char *name,
              const char *access_level)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhAccount) account = NULL;
  g_autofree char *token = g_strdup_printf ("%s-fake-token-0123456789", user_id);

  bh_store_save_account_async (fixture->store, app, user_id, screen_name, name, access_level,
                               token, "fake-token-secret-0123456789abcdef", NULL,
                               bh_test_store_result, &result);
  bh_test_wait_for_result (&result, 20);
  account = bh_store_save_account_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
}

static gboolean
stack_shows (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (args[0]), args[1]) == 0;
}

/* The screenshots of data/screenshots (copied from BH_SCREENSHOT_DIR by
 * hand): made-up people on the fake X server, never a real account. */
static void
test_store_screenshots (Fixture       *fixture,
                        gconstpointer  data)
{
  BhApp *app = add_app (fixture, "Newsroom Bot");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) earlier = g_date_time_add_minutes (now, -3);
  GtkWidget *dialog;
  GtkStack *stack;
  gpointer args[2];
  BhAccount *account;

  add_app (fixture, "Support Dashboard");
  save_account (fixture, app, "1001", "alice", "Alice Example", "read-write");
  save_account (fixture, app, "1002", "bob", "Bob Example", "read");
  account = bh_app_find_account (app, "alice");
  bh_account_set_verified_at (account, earlier);

  bh_window_select_app (fixture->window, app);
  bh_ui_wait (bh_ui_widget_mapped, get_page (fixture), 5);
  bh_ui_get (GTK_WIDGET (get_page (fixture)), ADW_TYPE_ACTION_ROW, bh_ui_row_title_is, "@alice");
  bh_ui_get (GTK_WIDGET (get_page (fixture)), ADW_TYPE_ACTION_ROW, bh_ui_row_title_is, "@bob");
  bh_ui_screenshot (GTK_WIDGET (fixture->window), "main-window.png");

  /* The browser is left alone: the dialog waits for the PIN. */
  g_setenv ("BH_FAKE_BROWSER_ACTION", "none", TRUE);
  dialog = bh_authorize_dialog_new (GTK_WINDOW (fixture->window), fixture->store, app);
  gtk_window_present (GTK_WINDOW (dialog));
  bh_ui_wait (bh_ui_widget_mapped, dialog, 5);
  stack = GTK_STACK (bh_ui_get (dialog, GTK_TYPE_STACK, NULL, NULL));
  bh_ui_click (bh_ui_get (dialog, GTK_TYPE_BUTTON, bh_ui_button_label_is, "_Open Browser"));
  args[0] = stack;
  args[1] = (gpointer) "pin";
  bh_ui_wait (stack_shows, args, 20);
  bh_ui_screenshot (dialog, "authorize-dialog.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
row_of_app_named (GtkWidget     *widget,
                  gconstpointer  name)
{
  return g_strcmp0 (bh_app_get_name (bh_app_row_get_app (BH_APP_ROW (widget))), name) == 0;
}

static gboolean
sidebar_has (gpointer data)
{
  gpointer *args = data;

  return bh_ui_find (args[0], BH_TYPE_APP_ROW, row_of_app_named, args[1]) != NULL;
}

static gboolean
sidebar_lacks (gpointer data)
{
  return !sidebar_has (data);
}

/* `birdhouse ARGS…` with @input on stdin, as a script next to the window. */
static void
run_birdhouse (const char         *input,
               const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("BH_BIRDHOUSE"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("birdhouse %s failed: %s", args[0], err);
}

/* The window follows the records file while scripts change it: an App
 * added by `birdhouse app add` shows within a second, one removed goes,
 * and the selection stays on its App. */
static void
test_follows_other_processes (Fixture       *fixture,
                              gconstpointer  data)
{
  BhApp *app = add_app (fixture, "Selected");
  const char *add_args[] = { "app", "add", "From A Script", "--consumer-key", BH_FAKE_CONSUMER_KEY, NULL };
  const char *remove_args[] = { "app", "remove", "From A Script", NULL };
  gpointer args[2] = { fixture->window, (gpointer) "From A Script" };
  gint64 start, ms;

  bh_window_select_app (fixture->window, app);
  bh_ui_wait (bh_ui_widget_mapped, get_page (fixture), 5);

  run_birdhouse (BH_FAKE_CONSUMER_SECRET "\n", add_args);
  start = g_get_monotonic_time ();
  bh_ui_wait (sidebar_has, args, 5);
  ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("The window showed the App after %" G_GINT64_FORMAT " ms", ms);
  g_assert_cmpint (ms, <=, 1000);

  g_assert_true (bh_window_get_selected_app (fixture->window) == app);
  g_assert_true (bh_app_page_get_app (get_page (fixture)) == app);
  g_assert_true (bh_app_get_has_secret (bh_store_find_app (fixture->store, "From A Script")));

  run_birdhouse (NULL, remove_args);
  bh_ui_wait (sidebar_lacks, args, 5);
  g_assert_null (bh_store_find_app (fixture->store, "From A Script"));
  g_assert_true (bh_window_get_selected_app (fixture->window) == app);

  /* Another process renames the selected App, which moves it to the top
   * of the sorted list: the same object, renamed in place, stays selected
   * with its page. */
  add_app (fixture, "Alpha");
  add_app (fixture, "Zulu");
  bh_window_select_app (fixture->window, app);
  {
    g_autoptr(BhStore) other = bh_store_new (bh_store_get_records_path (fixture->store));
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    gpointer renamed[2] = { fixture->window, (gpointer) "Aardvark" };

    bh_store_load_async (other, NULL, bh_test_store_result, &result);
    bh_test_wait_for_result (&result, 20);
    bh_store_load_finish (other, result, &error);
    g_assert_no_error (error);
    g_clear_object (&result);
    bh_store_update_app_async (other, bh_store_find_app (other, "Selected"), "Aardvark",
                               BH_FAKE_CONSUMER_KEY, NULL, bh_app_get_api_host (app), NULL,
                               bh_test_store_result, &result);
    bh_test_wait_for_result (&result, 20);
    g_assert_true (bh_store_update_app_finish (other, result, &error));

    bh_ui_wait (sidebar_has, renamed, 5);
    g_assert_cmpstr (bh_app_get_name (app), ==, "Aardvark");
    g_assert_true (bh_window_get_selected_app (fixture->window) == app);
    g_assert_true (bh_app_page_get_app (get_page (fixture)) == app);
  }
}

static gboolean
label_text_is_drawn (GtkWidget     *widget,
                     gconstpointer  text)
{
  return bh_ui_label_is (widget, text) && gtk_widget_is_drawable (widget);
}

/* A long handle is cut at its end, on one line (never wrapped, which
 * Pango does with an inserted hyphen: "…long-" / "_handle"), and shown
 * whole in the tooltip; a long access level is cut too, so that it does
 * not squeeze the names. */
static void
test_long_names (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *handle = "@support_team_with_a_long_handle";
  const char *level = "Read and write and Direct Messages";
  BhApp *app = add_app (fixture, "Support Desk");
  GtkWidget *row;
  GtkWidget *title;
  GtkWidget *badge;
  PangoLayout *layout;

  save_account (fixture, app, "1001", handle + 1, "Support Team", "read-write-directmessages");
  save_account (fixture, app, "1002", "bob", "Bob Example", "read");
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 720, 640);
  bh_window_select_app (fixture->window, app);
  bh_ui_wait (bh_ui_widget_mapped, get_page (fixture), 5);

  row = bh_ui_get (GTK_WIDGET (get_page (fixture)), BH_TYPE_ACCOUNT_ROW, bh_ui_row_title_is, handle);
  g_assert_true (bh_account_row_get_account (BH_ACCOUNT_ROW (row)) == bh_app_find_account (app, handle + 1));
  bh_ui_wait_for_paint (row);
  title = bh_ui_wait_for (row, GTK_TYPE_LABEL, label_text_is_drawn, handle, 5);
  badge = bh_ui_get (row, GTK_TYPE_LABEL, bh_ui_label_is, level);
  bh_ui_screenshot (GTK_WIDGET (fixture->window), "window-long-names.png");

  /* The handle: one line, cut at the end, whole in the tooltip. */
  g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (title)), ==, PANGO_ELLIPSIZE_END);
  g_assert_cmpint (gtk_label_get_lines (GTK_LABEL (title)), ==, 1);
  layout = gtk_label_get_layout (GTK_LABEL (title));
  g_assert_cmpint (pango_layout_get_line_count (layout), ==, 1);
  g_assert_true (pango_layout_is_ellipsized (layout));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==, handle);

  /* The badge: cut past a few words, whole in its tooltip, and narrower
   * than the name beside it. */
  g_assert_true (gtk_widget_has_css_class (badge, "bh-badge"));
  g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (badge)), ==, PANGO_ELLIPSIZE_END);
  g_assert_false (gtk_label_get_wrap (GTK_LABEL (badge)));
  g_assert_cmpint (gtk_label_get_max_width_chars (GTK_LABEL (badge)), >, 0);
  g_assert_true (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (badge))));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (badge), ==, level);
  g_assert_cmpint (gtk_widget_get_width (badge), <, gtk_widget_get_width (title));

  /* A short handle is left alone. */
  row = bh_ui_get (GTK_WIDGET (get_page (fixture)), BH_TYPE_ACCOUNT_ROW, bh_ui_row_title_is, "@bob");
  title = bh_ui_get (row, GTK_TYPE_LABEL, bh_ui_label_is, "@bob");
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (title))));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==, "@bob");
}

/* What a screen reader meets in the main window with an App shown,
 * checked over AT-SPI: the menu buttons (icons only) are named too. */
static void
test_a11y_atspi (Fixture       *fixture,
                 gconstpointer  data)
{
  BhApp *app = add_app (fixture, "Spoken Bot");
  const char *secrets[] = { BH_FAKE_CONSUMER_SECRET, NULL };
  GtkWidget *menu_button;

  bh_window_select_app (fixture->window, app);
  bh_ui_wait (bh_ui_widget_mapped, get_page (fixture), 5);

  menu_button = bh_ui_get (GTK_WIDGET (fixture->window), GTK_TYPE_MENU_BUTTON,
                           bh_ui_tooltip_is, "App Menu");
  g_assert_true (bh_ui_accessible_label_is (menu_button, "App Menu"));
  g_assert_false (bh_ui_accessible_label_is (menu_button, "Main Menu"));
  menu_button = bh_ui_get (GTK_WIDGET (fixture->window), GTK_TYPE_MENU_BUTTON,
                           bh_ui_tooltip_is, "Main Menu");
  g_assert_true (bh_ui_accessible_label_is (menu_button, "Main Menu"));

  bh_ui_check_atspi (secrets);
}

/* ~/.twurlrc at start: the banner offers to move its credentials. */
static void
set_up_with_twurlrc (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_home_dir (), ".twurlrc", NULL);
  g_autoptr(GError) error = NULL;

  /* As twurl writes it; the values are never sent anywhere by the banner. */
  g_file_set_contents_full (path,
                            "---\nprofiles:\n  alice:\n    banner-key:\n      username: alice\n"
                            "      consumer_key: banner-key\n      consumer_secret: banner-secret\n"
                            "      token: 1001-bannertoken\n      secret: banner-token-secret\n"
                            "configuration:\n  default_profile:\n  - alice\n  - banner-key\n",
                            -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  fixture_set_up (fixture, data);
}

static gboolean
import_banner_shown (GtkWidget     *widget,
                     gconstpointer  data)
{
  const char *text = gtk_label_get_label (GTK_LABEL (widget));

  return g_str_has_prefix (text, "Move these credentials into the keyring") && gtk_widget_get_mapped (widget);
}

static void
test_import_banner (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_home_dir (), ".twurlrc", NULL);
  GtkWidget *label;

  label = bh_ui_wait_for (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL, import_banner_shown, NULL, 20);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)),
                            "2 credentials that Birdhouse does not keep yet are in plain text in ~/.twurlrc."));
  bh_ui_screenshot (GTK_WIDGET (fixture->window), "window-import-banner.png");

  g_assert_cmpint (g_unlink (path), ==, 0);
}

/* The shortcuts window is built when first asked for (menu, Ctrl+?), not
 * with the window, and once. */
static void
test_shortcuts (Fixture       *fixture,
                gconstpointer  data)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (fixture->window);
  g_auto(GStrv) accels = NULL;
  GtkShortcutsWindow *shortcuts;

  g_assert_null (gtk_application_window_get_help_overlay (window));

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app), "app.shortcuts");
  g_assert_cmpstr (accels[0], ==, "<Control>question");

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "shortcuts", NULL);
  shortcuts = gtk_application_window_get_help_overlay (window);
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (shortcuts)) == GTK_WINDOW (window));
  bh_ui_wait (bh_ui_widget_mapped, shortcuts, 5);
  gtk_window_close (GTK_WINDOW (shortcuts));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "shortcuts", NULL);
  g_assert_true (gtk_application_window_get_help_overlay (window) == shortcuts);
  bh_ui_wait (bh_ui_widget_mapped, shortcuts, 5);
  gtk_window_close (GTK_WINDOW (shortcuts));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/window/empty-state", test_empty_state);
  ADD ("/window/add-app", test_add_app);
  ADD ("/window/edit-app", test_edit_app);
  ADD ("/window/add-app-oauth2", test_add_app_oauth2);
  ADD ("/window/edit-app-oauth2", test_edit_app_oauth2);
  ADD ("/window/edit-app-public-client", test_edit_app_public_client);
  ADD ("/window/bearer-and-clipboard", test_bearer_and_clipboard);
  ADD ("/window/remove-app", test_remove_app);
  ADD ("/window/narrow", test_narrow);
  ADD ("/window/store-screenshots", test_store_screenshots);
  ADD ("/window/follows-other-processes", test_follows_other_processes);
  ADD ("/window/long-names", test_long_names);
  ADD ("/window/a11y/atspi", test_a11y_atspi);
  ADD ("/window/shortcuts", test_shortcuts);
  g_test_add ("/window/import-banner", Fixture, NULL, set_up_with_twurlrc, test_import_banner, fixture_tear_down);
#undef ADD

  return g_test_run ();
}
