/* test-dialogs.c
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

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "bh-account-dialog.h"
#include "bh-app-page.h"
#include "bh-authorize-dialog.h"
#include "bh-bearer-flow.h"
#include "bh-rotate-dialog.h"
#include "bh-fake-server.h"
#include "bh-credential-age.h"
#include "bh-import-banner.h"
#include "bh-import-dialog.h"
#include "bh-pin-flow.h"
#include "bh-preferences-window.h"
#include "bh-secret.h"
#include "bh-store.h"
#include "bh-test-utils.h"
#include "bh-tokens-dialog.h"
#include "bh-tokens-flow.h"
#include "bh-ui-test.h"
#include "bh-x-client.h"

/*
 * The three dialogs driven as a person would, in-process: widgets found
 * by type and label, text typed into entries, buttons activated, the main
 * loop iterated until the expected page shows. Behind them: the real
 * keyring of the test session, the fake X server and the fake browser
 * registered as the https handler.
 */

#define WAIT_SECONDS 30

static BhFakeServer *server;

typedef struct
{
  char      *dir;
  BhStore   *store;
  BhApp     *app;
  GtkWindow *parent;
  char      *pin_file;
} Fixture;

/* Widgets */

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  return bh_ui_get (root, ADW_TYPE_PREFERENCES_ROW, bh_ui_row_title_is, title);
}

static const char *
visible_page (GtkWidget *dialog)
{
  GtkWidget *stack = bh_ui_find (dialog, GTK_TYPE_STACK, NULL, NULL);

  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static gboolean
is_page (GtkWidget  *dialog,
         const char *name)
{
  return g_strcmp0 (visible_page (dialog), name) == 0;
}

/* Store, keyring and server */

static void
clear_keyring (void)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  secret_password_clearv_sync (bh_store_get_schema (), attributes, NULL, &error);
  g_assert_no_error (error);
}

static guint
count_user_secrets (void)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  g_hash_table_insert (attributes, (char *) "kind", (char *) "user");
  items = secret_password_searchv_sync (bh_store_get_schema (), attributes,
                                        SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);
  return n;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  static guint counter;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *records = NULL;

  bh_fake_server_control (server, "/_fake/reset", NULL);
  clear_keyring ();

  f->dir = g_strdup_printf ("%s/dialogs-%u", g_getenv ("BH_TEST_TMPDIR"), ++counter);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
  records = g_build_filename (f->dir, "records.ini", NULL);

  f->store = bh_store_new (records);
  bh_store_load_async (f->store, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  g_assert_true (bh_store_load_finish (f->store, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  bh_store_add_app_async (f->store, "Support Bot",
                          BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                          bh_fake_server_get_url (server),
                          NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  f->app = bh_store_add_app_finish (f->store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->app);

  /* The fake browser (the session's https handler, launched with our
   * environment) presses "Authorize app" and leaves the PIN here. */
  f->pin_file = g_build_filename (f->dir, "pin", NULL);
  g_setenv ("BH_FAKE_BROWSER_PIN", f->pin_file, TRUE);
  g_setenv ("BH_FAKE_BROWSER_ACTION", "authorize", TRUE);
  g_unsetenv ("BH_FAKE_BROWSER_USER");

  f->parent = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (f->parent, 800, 600);
  gtk_window_present (f->parent);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer ((GtkWindow **) &f->parent, gtk_window_destroy);
  bh_ui_flush ();
  g_clear_object (&f->app);
  g_clear_object (&f->store);
  g_clear_pointer (&f->pin_file, g_free);
  g_clear_pointer (&f->dir, g_free);
  g_unsetenv ("BH_FAKE_BROWSER_PIN");
}

static void
present (GtkWidget *dialog)
{
  gtk_window_present (GTK_WINDOW (dialog));
  bh_ui_wait (bh_ui_widget_mapped, dialog, WAIT_SECONDS);
}

static void
wait_destroyed (GtkWidget **weak)
{
  BH_UI_WAIT_UNTIL (*weak == NULL, WAIT_SECONDS);
}

/* Tokens for @screen_name straight from the fake server (nothing stored). */
static void
get_tokens (const char  *screen_name,
            char       **token,
            char       **token_secret)
{
  g_autoptr(BhXClient) client = NULL;
  g_autoptr(BhXTokenPair) request = NULL;
  g_autoptr(BhXTokenPair) access = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  const char *verifier;

  client = bh_x_client_new (bh_fake_server_get_url (server), &error);
  g_assert_no_error (error);

  bh_x_client_request_token_async (client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                                   NULL, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  request = bh_x_client_request_token_finish (client, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  escaped = g_uri_escape_string (request->token, NULL, FALSE);
  path = g_strdup_printf ("/_fake/verifier?oauth_token=%s&screen_name=%s", escaped, screen_name);
  node = bh_fake_server_get_json (server, path);
  verifier = json_object_get_string_member (json_node_get_object (node), "oauth_verifier");
  g_assert_nonnull (verifier);

  bh_x_client_access_token_async (client, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                                  request, verifier, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  access = bh_x_client_access_token_finish (client, result, &error);
  g_assert_no_error (error);

  *token = bh_secret_dup (access->token);
  *token_secret = bh_secret_dup (access->token_secret);
}

/* An account stored with valid tokens, as if authorized long ago and
 * never verified since. */
static BhAccount *
add_account (Fixture     *f,
             const char  *screen_name,
             const char  *user_id,
             char       **token_out)
{
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) token_secret = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BhAccount *account;

  get_tokens (screen_name, &token, &token_secret);
  bh_store_save_account_async (f->store, f->app, user_id, screen_name, NULL, NULL,
                               token, token_secret, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  account = bh_store_save_account_finish (f->store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);

  if (token_out != NULL)
    *token_out = g_steal_pointer (&token);

  return account;
}

static gboolean
server_lists_invalidated (const char *token)
{
  g_autoptr(JsonNode) node = bh_fake_server_get_json (server, "/_fake/state");
  JsonArray *array = json_object_get_array_member (json_node_get_object (node),
                                                   "invalidated_access_tokens");

  for (guint i = 0; i < json_array_get_length (array); i++)
    if (bh_secret_equal (json_array_get_string_element (array, i), token))
      return TRUE;

  return FALSE;
}

/* The PIN dialog */

static GtkWidget *
open_authorize_to_pin_step (Fixture  *f,
                            char    **pin_out,
                            gboolean  screenshot)
{
  GtkWidget *dialog = bh_authorize_dialog_new (f->parent, f->store, f->app);

  present (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == f->parent);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_cmpstr (visible_page (dialog), ==, "options");
  if (screenshot)
    bh_ui_screenshot (dialog, "authorize-options.png");

  bh_ui_activate (bh_ui_get_button (dialog, "Open Browser"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "pin"), WAIT_SECONDS);

  /* The link to copy, in case the browser did not open. */
  {
    GtkWidget *copy = bh_ui_get_button (dialog, "Copy Link");
    GtkWidget *again = bh_ui_get_button (dialog, "Open Again");

    g_assert_true (gtk_widget_get_mapped (copy));
    g_assert_true (gtk_widget_get_mapped (again));
  }
  {
    g_autoptr(BhPinFlow) flow = NULL;
    const char *url;

    g_object_get (dialog, "flow", &flow, NULL);
    url = bh_pin_flow_get_authorize_url (flow);
    g_assert_true (g_str_has_prefix (url, bh_fake_server_get_url (server)));
    g_assert_null (bh_pin_flow_get_browser_error (flow));
  }

  *pin_out = bh_fake_server_wait_for_pin_file (f->pin_file, WAIT_SECONDS);
  g_assert_true (bh_pin_is_plausible (*pin_out));

  if (screenshot)
    bh_ui_screenshot (dialog, "authorize-pin.png");

  return dialog;
}

static GtkWidget *
pin_entry (GtkWidget *dialog)
{
  GtkWidget *entry = bh_ui_find (dialog, GTK_TYPE_ENTRY, NULL, NULL);

  g_assert_nonnull (entry);
  return entry;
}

static void
test_authorize_pin_filter (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *dialog = bh_authorize_dialog_new (f->parent, f->store, f->app);
  GtkWidget *weak = dialog;
  GtkWidget *entry;
  int pos = 0;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  present (dialog);
  entry = pin_entry (dialog);

  /* Typed letters are dropped, digits kept. */
  gtk_editable_insert_text (GTK_EDITABLE (entry), "a", -1, &pos);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  gtk_editable_insert_text (GTK_EDITABLE (entry), "1", -1, &pos);
  gtk_editable_insert_text (GTK_EDITABLE (entry), "x", -1, &pos);
  gtk_editable_insert_text (GTK_EDITABLE (entry), "2", -1, &pos);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "12");

  /* A paste with spaces around and inside. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  pos = 0;
  gtk_editable_insert_text (GTK_EDITABLE (entry), " 1234 567 ", -1, &pos);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "1234567");
  g_assert_cmpint (pos, ==, 7);

  gtk_editable_set_text (GTK_EDITABLE (entry), "PIN: 98-76-54");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "987654");

  /* No flow waits for a PIN yet: Authorize is not offered. */
  g_assert_false (gtk_widget_get_visible (bh_ui_get_button (dialog, "Authorize")));

  /* Escape closes the dialog. */
  gtk_widget_activate_action (dialog, "window.close", NULL);
  wait_destroyed (&weak);
}

static void
test_authorize_success (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BhSecret) pin = NULL;
  GtkWidget *dialog = open_authorize_to_pin_step (f, &pin, TRUE);
  GtkWidget *weak = dialog;
  GtkWidget *authorize = bh_ui_get_button (dialog, "Authorize");
  BhAccount *account;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);

  g_assert_false (gtk_widget_is_sensitive (authorize));
  gtk_editable_set_text (GTK_EDITABLE (pin_entry (dialog)), "12");
  g_assert_false (gtk_widget_is_sensitive (authorize));
  gtk_editable_set_text (GTK_EDITABLE (pin_entry (dialog)), pin);
  g_assert_true (gtk_widget_is_sensitive (authorize));

  /* Enter in the entry authorizes. */
  g_signal_emit_by_name (pin_entry (dialog), "activate");
  BH_UI_WAIT_UNTIL (is_page (dialog, "success"), WAIT_SECONDS);

  {
    GtkWidget *stack = bh_ui_find (dialog, GTK_TYPE_STACK, NULL, NULL);
    AdwStatusPage *status = ADW_STATUS_PAGE (gtk_stack_get_visible_child (GTK_STACK (stack)));

    g_assert_cmpstr (adw_status_page_get_title (status), ==, "@alice is authorized");
    g_assert_nonnull (strstr (adw_status_page_get_description (status), "Read and write"));
  }
  bh_ui_screenshot (dialog, "authorize-success.png");

  account = bh_app_find_account (f->app, "alice");
  g_assert_nonnull (account);
  g_assert_cmpstr (bh_account_get_user_id (account), ==, "1001");
  g_assert_cmpuint (count_user_secrets (), ==, 1);

  bh_ui_activate (bh_ui_get_button (dialog, "Done"));
  wait_destroyed (&weak);
}

static void
test_authorize_wrong_pin (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(BhSecret) pin = NULL;
  GtkWidget *dialog = open_authorize_to_pin_step (f, &pin, FALSE);
  GtkWidget *weak = dialog;
  GtkWidget *entry = pin_entry (dialog);
  GtkWidget *error_label;
  const char *wrong = g_str_equal (pin, "1111111") ? "2222222" : "1111111";

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);

  gtk_editable_set_text (GTK_EDITABLE (entry), wrong);
  bh_ui_activate (bh_ui_get_button (dialog, "Authorize"));
  BH_UI_WAIT_UNTIL (!is_page (dialog, "pin"), WAIT_SECONDS);
  BH_UI_WAIT_UNTIL (is_page (dialog, "pin") || is_page (dialog, "error"), WAIT_SECONDS);
  g_assert_cmpstr (visible_page (dialog), ==, "pin");

  /* X's sentence inline, the entry cleared and focused for the next try. */
  error_label = gtk_widget_get_next_sibling (entry);
  g_assert_true (GTK_IS_LABEL (error_label));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_true (gtk_widget_has_css_class (error_label, "error"));
  g_assert_cmpuint (strlen (gtk_label_get_label (GTK_LABEL (error_label))), >, 10);
  g_test_message ("refused PIN: %s", gtk_label_get_label (GTK_LABEL (error_label)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (entry)))) ||
                 gtk_widget_has_focus (entry));
  g_assert_null (bh_app_find_account (f->app, "alice"));
  bh_ui_screenshot (dialog, "authorize-wrong-pin.png");

  /* Try again with the right one. */
  gtk_editable_set_text (GTK_EDITABLE (entry), pin);
  bh_ui_activate (bh_ui_get_button (dialog, "Authorize"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "success"), WAIT_SECONDS);
  g_assert_nonnull (bh_app_find_account (f->app, "alice"));

  gtk_window_close (GTK_WINDOW (dialog));
  wait_destroyed (&weak);
}

static void
test_authorize_cancel_exchanging (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(BhSecret) pin = NULL;
  g_autoptr(BhPinFlow) flow = NULL;
  GtkWidget *dialog = open_authorize_to_pin_step (f, &pin, FALSE);
  GtkWidget *weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  bh_fake_server_control (server, "/_fake/fault",
                          "path", "/oauth/access_token",
                          "kind", "slow",
                          "count", "1",
                          "seconds", "4",
                          NULL);

  gtk_editable_set_text (GTK_EDITABLE (pin_entry (dialog)), pin);
  bh_ui_activate (bh_ui_get_button (dialog, "Authorize"));
  g_object_get (dialog, "flow", &flow, NULL);
  BH_UI_WAIT_UNTIL (bh_flow_get_state (BH_FLOW (flow)) == BH_FLOW_STATE_EXCHANGING, WAIT_SECONDS);
  g_assert_cmpstr (visible_page (dialog), ==, "progress");
  bh_ui_screenshot (dialog, "authorize-exchanging.png");

  bh_ui_activate (bh_ui_get_button (dialog, "Cancel"));
  wait_destroyed (&weak);
  BH_UI_WAIT_UNTIL (bh_flow_get_state (BH_FLOW (flow)) == BH_FLOW_STATE_CANCELLED, WAIT_SECONDS);

  /* Even once X's slow answer arrives, nothing is stored. */
  bh_ui_spin (5000);
  g_assert_null (bh_app_find_account (f->app, "alice"));
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 0);
  g_assert_cmpuint (count_user_secrets (), ==, 0);
}

static void
test_authorize_fatal_error (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *dialog = bh_authorize_dialog_new (f->parent, f->store, f->app);
  GtkWidget *weak = dialog;
  GtkWidget *stack;
  AdwStatusPage *status;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  bh_fake_server_fault (server, "/oauth/request_token", "416", 1);

  present (dialog);
  bh_ui_activate (bh_ui_get_button (dialog, "Open Browser"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "error"), WAIT_SECONDS);

  stack = bh_ui_find (dialog, GTK_TYPE_STACK, NULL, NULL);
  status = ADW_STATUS_PAGE (gtk_stack_get_visible_child (GTK_STACK (stack)));
  g_assert_cmpuint (strlen (adw_status_page_get_description (status)), >, 10);
  g_test_message ("error page: %s", adw_status_page_get_description (status));
  bh_ui_screenshot (dialog, "authorize-error.png");

  /* Try Again starts a new flow, which now gets as far as the PIN. */
  bh_ui_activate (bh_ui_get_button (dialog, "Try Again"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "pin"), WAIT_SECONDS);

  bh_ui_activate (bh_ui_get_button (dialog, "Cancel"));
  wait_destroyed (&weak);
}

/* The tokens dialog */

static void
test_tokens_valid (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) token_secret = NULL;
  g_autofree char *padded = NULL;
  GtkWidget *dialog = bh_tokens_dialog_new (f->parent, f->store, f->app);
  GtkWidget *weak = dialog;
  GtkWidget *add;
  BhAccount *account;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  get_tokens ("bob", &token, &token_secret);
  present (dialog);

  add = bh_ui_get_button (dialog, "Verify and Add");
  g_assert_false (gtk_widget_is_sensitive (add));

  /* A space in the middle is a broken paste. */
  bh_ui_set_row_text (dialog, "Access _Token", "abc def");
  bh_ui_set_row_text (dialog, "Access Token _Secret", "secret");
  g_assert_false (gtk_widget_is_sensitive (add));
  g_assert_true (gtk_widget_has_css_class (find_row (dialog, "Access _Token"), "error"));

  /* Stray white space around a pasted token is trimmed. */
  padded = g_strdup_printf ("  %s\n", token);
  bh_ui_set_row_text (dialog, "Access _Token", padded);
  bh_secret_wipe (padded, strlen (padded));
  bh_ui_set_row_text (dialog, "Access Token _Secret", token_secret);
  g_assert_true (gtk_widget_is_sensitive (add));
  bh_ui_screenshot (dialog, "tokens-form.png");

  bh_ui_activate (add);
  wait_destroyed (&weak);

  account = bh_app_find_account (f->app, "bob");
  g_assert_nonnull (account);
  g_assert_cmpstr (bh_account_get_user_id (account), ==, "1002");
  g_assert_cmpuint (count_user_secrets (), ==, 1);
}

static gboolean
tokens_flow_running (GtkWidget *dialog)
{
  g_autoptr(BhTokensFlow) flow = NULL;

  g_object_get (dialog, "flow", &flow, NULL);
  return flow != NULL;
}

static void
test_tokens_invalid (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *dialog = bh_tokens_dialog_new (f->parent, f->store, f->app);
  GtkWidget *weak = dialog;
  GtkWidget *status = NULL;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  present (dialog);

  bh_ui_set_row_text (dialog, "Access _Token", "1001-notarealtokenatall");
  bh_ui_set_row_text (dialog, "Access Token _Secret", "notarealsecreteither");
  bh_ui_activate (bh_ui_get_button (dialog, "Verify and Add"));
  BH_UI_WAIT_UNTIL (!tokens_flow_running (dialog), WAIT_SECONDS);

  /* X's sentence inline; the dialog stays open; nothing stored. */
  {
    GtkWidget *group = bh_ui_find (dialog, ADW_TYPE_PREFERENCES_GROUP, NULL, NULL);

    status = gtk_widget_get_next_sibling (group);
  }
  g_assert_true (GTK_IS_LABEL (status));
  g_assert_true (gtk_widget_get_visible (status));
  g_assert_true (gtk_widget_has_css_class (status, "error"));
  g_test_message ("invalid tokens: %s", gtk_label_get_label (GTK_LABEL (status)));
  g_assert_cmpuint (strlen (gtk_label_get_label (GTK_LABEL (status))), >, 10);
  bh_ui_screenshot (dialog, "tokens-error.png");

  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 0);
  g_assert_cmpuint (count_user_secrets (), ==, 0);

  bh_ui_activate (bh_ui_get_button (dialog, "Cancel"));
  wait_destroyed (&weak);
}

/* The account dialog */

static gboolean
dialog_busy (GtkWidget *dialog)
{
  gboolean busy;

  g_object_get (dialog, "busy", &busy, NULL);
  return busy;
}

static void
test_account_verify (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BhAccount) account = add_account (f, "alice", "1001", NULL);
  GtkWidget *dialog = bh_account_dialog_new (f->parent, f->store, account);
  GtkWidget *weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  present (dialog);

  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "Last Verified"), ==, "Never");
  g_assert_null (strstr (bh_ui_row_subtitle (dialog, "Rate Limit"), "requests left"));
  g_assert_null (strstr (bh_ui_row_subtitle (dialog, "Access Level"), "Read and write"));

  bh_ui_activate (bh_ui_get_button (dialog, "Verify"));
  g_assert_true (dialog_busy (dialog));
  BH_UI_WAIT_UNTIL (!dialog_busy (dialog), WAIT_SECONDS);

  /* The rows follow the account. */
  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "Last Verified"), !=, "Never");
  g_assert_nonnull (strstr (bh_ui_row_subtitle (dialog, "Rate Limit"), "requests left, resets at"));
  g_assert_nonnull (strstr (bh_ui_row_subtitle (dialog, "Access Level"), "Read and write"));
  g_assert_nonnull (bh_account_get_verified_at (account));
  bh_ui_screenshot (dialog, "account-details.png");

  /* A read-only token gets a hint. */
  bh_account_set_access_level (account, "read");
  g_assert_nonnull (strstr (bh_ui_row_subtitle (dialog, "Access Level"), "can't post"));
  bh_account_set_state (account, BH_ACCOUNT_STATE_NEEDS_REAUTH);
  g_assert_true (gtk_widget_get_visible (find_row (dialog, "Needs Re-authorization")));
  bh_ui_screenshot (dialog, "account-needs-reauth.png");

  gtk_widget_activate_action (dialog, "window.close", NULL);
  wait_destroyed (&weak);
}

static gboolean
clipboard_holds (GtkWidget  *widget,
                 const char *expected)
{
  char *text = bh_ui_read_clipboard (gtk_widget_get_clipboard (widget));
  gboolean same = text != NULL && bh_secret_equal (text, expected);

  bh_secret_clear (&text);
  return same;
}

static void
test_account_copy (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhAccount) account = add_account (f, "alice", "1001", &token);
  GtkWidget *dialog = bh_account_dialog_new (f->parent, f->store, account);
  GtkWidget *weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  present (dialog);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (dialog), "before");
  bh_ui_activate (bh_ui_get_button (dialog, "Copy Access Token"));
  BH_UI_WAIT_UNTIL (!dialog_busy (dialog), WAIT_SECONDS);
  BH_UI_WAIT_UNTIL (clipboard_holds (dialog, token), WAIT_SECONDS);

  /* The exports hold the token too, and the App's key. */
  gtk_widget_activate_action (dialog, "account.export-env", NULL);
  BH_UI_WAIT_UNTIL (!dialog_busy (dialog), WAIT_SECONDS);
  {
    char *text = bh_ui_read_clipboard (gtk_widget_get_clipboard (dialog));

    g_assert_nonnull (text);
    g_assert_true (strstr (text, "X_API_KEY=" BH_FAKE_CONSUMER_KEY "\n") != NULL);
    /* The names of `birdhouse export` and the README. */
    g_assert_true (strstr (text, "X_API_SECRET=" BH_FAKE_CONSUMER_SECRET "\n") != NULL);
    g_assert_true (strstr (text, token) != NULL);
    g_assert_true (strstr (text, BH_FAKE_CONSUMER_SECRET) != NULL);
    bh_secret_clear (&text);
  }

  gtk_widget_activate_action (dialog, "account.export-curl", NULL);
  BH_UI_WAIT_UNTIL (!dialog_busy (dialog), WAIT_SECONDS);
  {
    char *text = bh_ui_read_clipboard (gtk_widget_get_clipboard (dialog));

    g_assert_nonnull (text);
    g_assert_true (g_str_has_prefix (text, "curl --request GET "));
    g_assert_true (strstr (text, "/2/users/me") != NULL);
    g_assert_true (strstr (text, "Authorization: OAuth oauth_consumer_key=") != NULL);
    /* The signature is there, the secrets that made it are not. */
    g_assert_true (strstr (text, BH_FAKE_CONSUMER_SECRET) == NULL);
    bh_secret_clear (&text);
  }

  gtk_window_close (GTK_WINDOW (dialog));
  wait_destroyed (&weak);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GtkWindow *window = bh_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  return window != NULL ? ADW_MESSAGE_DIALOG (window) : NULL;
}

/* Use in a Script: the exec lines for the account, names only. */
static void
test_account_script_lines (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhAccount) account = add_account (f, "alice", "1001", &token);
  GtkWidget *dialog = bh_account_dialog_new (f->parent, f->store, account);
  GtkWidget *weak = dialog;
  g_autofree char *flatpak_line = g_strdup_printf ("flatpak run %s exec 'Support Bot' alice -- COMMAND", APP_ID);

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  present (dialog);

  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "Command Line"), ==,
                   "birdhouse exec 'Support Bot' alice -- COMMAND");
  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "From the Host (Flatpak)"), ==, flatpak_line);

  bh_ui_activate (bh_ui_get_button (dialog, "Copy Flatpak Command Line"));
  BH_UI_WAIT_UNTIL (clipboard_holds (dialog, flatpak_line), WAIT_SECONDS);
  bh_ui_activate (bh_ui_get_button (dialog, "Copy Command Line"));
  BH_UI_WAIT_UNTIL (clipboard_holds (dialog, "birdhouse exec 'Support Bot' alice -- COMMAND"), WAIT_SECONDS);
  g_assert_null (strstr (bh_ui_row_subtitle (dialog, "Command Line"), token));

  /* The group is below the fold; scroll it into view for the picture. */
  gtk_widget_grab_focus (bh_ui_get_button (dialog, "Copy Flatpak Command Line"));
  bh_ui_screenshot (dialog, "account-script-lines.png");

  gtk_window_close (GTK_WINDOW (dialog));
  wait_destroyed (&weak);
}

/* The banner for ~/.twurlrc, the import dialog, and removing the file. */

static gboolean
banner_revealed (GtkWidget *banner)
{
  GtkWidget *revealer = bh_ui_find (banner, GTK_TYPE_REVEALER, NULL, NULL);

  return gtk_revealer_get_reveal_child (GTK_REVEALER (revealer));
}

static void
test_import_banner_and_dialog (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(BhSecret) bob_token = NULL;
  g_autoptr(BhSecret) bob_secret = NULL;
  g_autoptr(BhSecret) carol_token = NULL;
  g_autoptr(BhSecret) carol_secret = NULL;
  g_autofree char *path = g_build_filename (g_get_home_dir (), ".twurlrc", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *banner, *dialog, *weak, *remove;
  AdwMessageDialog *confirm;

  get_tokens ("bob", &bob_token, &bob_secret);
  get_tokens ("carol", &carol_token, &carol_secret);
  /* As twurl's rcfile.rb writes it (Ruby's to_yaml). */
  text = g_strdup_printf ("---\nprofiles:\n"
                          "  bob:\n    %s:\n      username: bob\n      consumer_key: %s\n"
                          "      consumer_secret: %s\n      token: %s\n      secret: %s\n"
                          "  carol:\n    %s:\n      username: carol\n      consumer_key: %s\n"
                          "      consumer_secret: %s\n      token: %s\n      secret: %s\n"
                          "configuration:\n  default_profile:\n  - bob\n  - %s\n",
                          BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                          bob_token, bob_secret,
                          BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                          carol_token, carol_secret, BH_FAKE_CONSUMER_KEY);
  g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  bh_secret_wipe (text, strlen (text));

  banner = bh_import_banner_new (f->store);
  adw_window_set_content (ADW_WINDOW (f->parent), banner);
  BH_UI_WAIT_UNTIL (banner_revealed (banner), WAIT_SECONDS);
  g_assert_nonnull (bh_ui_find (banner, GTK_TYPE_LABEL, NULL, NULL));
  {
    GtkWidget *label = bh_ui_find (banner, GTK_TYPE_LABEL, NULL, NULL);

    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "Move these credentials into the keyring"));
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "2 credentials that Birdhouse does not keep yet are in plain text in ~/.twurlrc."));
  }
  bh_ui_screenshot (GTK_WIDGET (f->parent), "import-banner.png");

  bh_ui_activate (bh_ui_get_button (banner, "Import the credentials of twurl or xurl"));
  BH_UI_WAIT_UNTIL ((dialog = GTK_WIDGET (bh_ui_find_toplevel (BH_TYPE_IMPORT_DIALOG))) != NULL, WAIT_SECONDS);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  bh_ui_wait (bh_ui_widget_mapped, dialog, WAIT_SECONDS);
  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "Account @bob"), ==, "Not checked yet.");
  bh_ui_screenshot (dialog, "import-dialog.png");

  remove = bh_ui_get_button (dialog, "_Remove the Plaintext Files…");
  g_assert_false (gtk_widget_get_sensitive (remove));
  bh_ui_set_row_text (dialog, "API Host (leave empty for https://api.x.com)", bh_fake_server_get_url (server));
  bh_ui_activate (bh_ui_get_button (dialog, "_Import"));
  BH_UI_WAIT_UNTIL (gtk_widget_get_sensitive (remove), WAIT_SECONDS);
  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "Account @bob"), ==, "Imported into “Support Bot”.");
  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "Account @carol"), ==, "Imported into “Support Bot”.");
  g_assert_cmpuint (count_user_secrets (), ==, 2);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  bh_ui_screenshot (dialog, "import-dialog-done.png");

  /* Removing is a second, separate confirmation. */
  bh_ui_activate (remove);
  BH_UI_WAIT_UNTIL ((confirm = find_message_dialog ()) != NULL, WAIT_SECONDS);
  bh_ui_screenshot (GTK_WIDGET (confirm), "import-remove-confirm.png");
  adw_message_dialog_response (confirm, "remove");
  BH_UI_WAIT_UNTIL (!g_file_test (path, G_FILE_TEST_EXISTS), WAIT_SECONDS);
  BH_UI_WAIT_UNTIL (!gtk_widget_get_visible (remove), WAIT_SECONDS);

  gtk_window_close (GTK_WINDOW (dialog));
  wait_destroyed (&weak);
  /* Looked at again: nothing left to import. */
  BH_UI_WAIT_UNTIL (!banner_revealed (banner), WAIT_SECONDS);
}

static void
test_account_revoke (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhAccount) account = add_account (f, "alice", "1001", &token);
  GtkWidget *dialog = bh_account_dialog_new (f->parent, f->store, account);
  GtkWidget *weak = dialog;
  AdwMessageDialog *confirm;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  present (dialog);

  bh_ui_activate (bh_ui_get_button (dialog, "Revoke…"));
  BH_UI_WAIT_UNTIL ((confirm = find_message_dialog ()) != NULL, WAIT_SECONDS);
  BH_UI_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (confirm)), WAIT_SECONDS);
  g_assert_cmpstr (adw_message_dialog_get_heading (confirm), ==, "Revoke Access of @alice?");
  bh_ui_screenshot (GTK_WIDGET (confirm), "account-revoke-confirm.png");

  bh_ui_activate (bh_ui_get_button (GTK_WIDGET (confirm), "Revoke"));
  wait_destroyed (&weak);

  g_assert_null (bh_app_find_account (f->app, "alice"));
  g_assert_cmpuint (count_user_secrets (), ==, 0);
  g_assert_true (server_lists_invalidated (token));
}

static void
test_account_remove (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhAccount) account = add_account (f, "carol", "1003", &token);
  GtkWidget *dialog = bh_account_dialog_new (f->parent, f->store, account);
  GtkWidget *weak = dialog;
  AdwMessageDialog *confirm;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  present (dialog);

  /* Cancel first: nothing happens. */
  bh_ui_activate (bh_ui_get_button (dialog, "Remove…"));
  BH_UI_WAIT_UNTIL ((confirm = find_message_dialog ()) != NULL, WAIT_SECONDS);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), "stay valid at X"));
  bh_ui_activate (bh_ui_get_button (GTK_WIDGET (confirm), "Cancel"));
  BH_UI_WAIT_UNTIL (find_message_dialog () == NULL, WAIT_SECONDS);
  g_assert_nonnull (bh_app_find_account (f->app, "carol"));

  bh_ui_activate (bh_ui_get_button (dialog, "Remove…"));
  BH_UI_WAIT_UNTIL ((confirm = find_message_dialog ()) != NULL, WAIT_SECONDS);
  bh_ui_activate (bh_ui_get_button (GTK_WIDGET (confirm), "Remove"));
  wait_destroyed (&weak);

  g_assert_null (bh_app_find_account (f->app, "carol"));
  g_assert_cmpuint (count_user_secrets (), ==, 0);
  /* Local only: X was not asked to invalidate anything. */
  g_assert_false (server_lists_invalidated (token));
}

/* Accessibility: what a screen reader meets, seen over AT-SPI */


/* Rotation */

/* The authorize dialog of a renewal: X's sign-in forced, the screen name
 * filled in; runs it to the end with the PIN the fake browser got. */
static void
finish_renewal (Fixture    *f,
                GtkWidget  *dialog,
                const char *screen_name,
                const char *screenshot)
{
  g_autoptr(BhSecret) pin = NULL;
  GtkWidget *weak = dialog;
  GtkWidget *name_row;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  bh_ui_wait (bh_ui_widget_mapped, dialog, WAIT_SECONDS);
  name_row = bh_ui_get (dialog, ADW_TYPE_ENTRY_ROW, bh_ui_row_title_is, "Account name (optional), such as @alice");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, screen_name);
  g_assert_false (gtk_widget_is_sensitive (name_row));
  if (screenshot != NULL)
    bh_ui_screenshot (dialog, screenshot);

  g_unlink (f->pin_file);
  bh_ui_activate (bh_ui_get_button (dialog, "Open Browser"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "pin"), WAIT_SECONDS);
  {
    g_autoptr(BhPinFlow) flow = NULL;

    g_object_get (dialog, "flow", &flow, NULL);
    g_assert_nonnull (strstr (bh_pin_flow_get_authorize_url (flow), "force_login=true"));
  }
  pin = bh_fake_server_wait_for_pin_file (f->pin_file, WAIT_SECONDS);
  gtk_editable_set_text (GTK_EDITABLE (pin_entry (dialog)), pin);
  bh_ui_activate (bh_ui_get_button (dialog, "Authorize"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "success"), WAIT_SECONDS);
  bh_ui_activate (bh_ui_get_button (dialog, "Done"));
  wait_destroyed (&weak);
}

/* Rotate… in the account's details up to the authorize dialog. */
static GtkWidget *
start_account_rotation (Fixture   *f,
                        BhAccount *account)
{
  GtkWidget *details = bh_account_dialog_new (f->parent, f->store, account);
  GtkWidget *weak = details;
  GtkWindow *rotate;
  GtkWindow *authorize;

  g_object_add_weak_pointer (G_OBJECT (details), (gpointer *) &weak);
  present (details);
  g_assert_cmpstr (bh_ui_row_subtitle (details, "Token Age"), ==, "Created today");
  bh_ui_activate (bh_ui_get_button (details, "Rotate…"));
  wait_destroyed (&weak);

  BH_UI_WAIT_UNTIL ((rotate = bh_ui_find_toplevel (BH_TYPE_ROTATE_DIALOG)) != NULL, WAIT_SECONDS);
  bh_ui_wait (bh_ui_widget_mapped, rotate, WAIT_SECONDS);
  g_assert_cmpstr (visible_page (GTK_WIDGET (rotate)), ==, "confirm");
  g_assert_nonnull (bh_ui_find (GTK_WIDGET (rotate), ADW_TYPE_STATUS_PAGE,
                                bh_ui_status_title_is, "Rotate the Tokens of @alice?"));
  bh_ui_screenshot (GTK_WIDGET (rotate), "rotate-account-confirm.png");

  bh_ui_activate (bh_ui_get_button (GTK_WIDGET (rotate), "Rotate"));
  BH_UI_WAIT_UNTIL ((authorize = bh_ui_find_toplevel (BH_TYPE_AUTHORIZE_DIALOG)) != NULL, WAIT_SECONDS);
  BH_UI_WAIT_UNTIL (bh_ui_find_toplevel (BH_TYPE_ROTATE_DIALOG) == NULL, WAIT_SECONDS);
  g_assert_true (gtk_window_get_transient_for (authorize) == f->parent);

  return GTK_WIDGET (authorize);
}

static void
test_rotate_account (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BhSecret) old_token = NULL;
  g_autoptr(BhAccount) account = add_account (f, "alice", "1001", &old_token);
  GtkWidget *authorize = start_account_rotation (f, account);

  /* The old tokens are dead at X, the account waits in its place. */
  g_assert_true (server_lists_invalidated (old_token));
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_NEEDS_REAUTH);
  g_assert_cmpuint (count_user_secrets (), ==, 1);

  finish_renewal (f, authorize, "alice", "rotate-account-authorize.png");

  g_assert_true (bh_app_find_account (f->app, "alice") == account);
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_OK);
  g_assert_nonnull (bh_account_get_rotated_at (account));
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 1);
  g_assert_cmpuint (count_user_secrets (), ==, 1);

  {
    GtkWidget *details = bh_account_dialog_new (f->parent, f->store, account);

    present (details);
    g_assert_cmpstr (bh_ui_row_subtitle (details, "Token Age"), ==, "Rotated today");
    gtk_window_destroy (GTK_WINDOW (details));
  }
}

static void
test_rotate_account_cancelled (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(BhAccount) account = add_account (f, "alice", "1001", NULL);
  GtkWidget *authorize = start_account_rotation (f, account);
  GtkWidget *weak = authorize;
  GtkWidget *details;
  GtkWidget *again;
  GtkWindow *renewal;

  /* The person closes the sign-in: nothing is deleted, the account needs
   * re-authorization and offers Authorize Again. */
  g_object_add_weak_pointer (G_OBJECT (authorize), (gpointer *) &weak);
  bh_ui_wait (bh_ui_widget_mapped, authorize, WAIT_SECONDS);
  bh_ui_activate (bh_ui_get_button (authorize, "Cancel"));
  wait_destroyed (&weak);

  g_assert_true (bh_app_find_account (f->app, "alice") == account);
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_NEEDS_REAUTH);
  g_assert_cmpuint (count_user_secrets (), ==, 1);

  details = bh_account_dialog_new (f->parent, f->store, account);
  present (details);
  g_assert_true (gtk_widget_get_mapped (find_row (details, "Needs Re-authorization")));
  again = bh_ui_get_button (details, "Authorize Again…");
  g_assert_true (gtk_widget_get_mapped (again));
  bh_ui_screenshot (details, "rotate-account-needs-reauth.png");
  bh_ui_activate (again);

  BH_UI_WAIT_UNTIL ((renewal = bh_ui_find_toplevel (BH_TYPE_AUTHORIZE_DIALOG)) != NULL, WAIT_SECONDS);
  finish_renewal (f, GTK_WIDGET (renewal), "alice", NULL);

  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_OK);
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 1);
  g_assert_cmpuint (count_user_secrets (), ==, 1);
}

static char *
stored_consumer_secret (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  bh_store_lookup_consumer_secret_async (f->store, f->app, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  secret = bh_store_lookup_consumer_secret_finish (f->store, result, &error);
  g_assert_no_error (error);
  return secret;
}

static void
run_bearer (Fixture          *f,
            BhBearerFlowMode  mode)
{
  g_autoptr(BhBearerFlow) flow = bh_bearer_flow_new (f->store, f->app, mode);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bh_flow_run_async (BH_FLOW (flow), bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  g_assert_true (bh_flow_run_finish (BH_FLOW (flow), result, &error));
  g_assert_no_error (error);
}

/* Enters @wrong_secret in the row @title of the rotate @dialog and
 * rotates: X refuses it, the dialog says the old secret is kept and asks
 * again. The caller checks that the keyring still holds the old one. */
static void
rotate_refused (GtkWidget  *dialog,
                GtkWidget  *rotate,
                const char *title,
                const char *wrong_secret,
                const char *screenshot)
{
  GtkWidget *error_label;

  bh_ui_set_row_text (dialog, title, wrong_secret);
  g_assert_true (gtk_widget_is_sensitive (rotate));
  bh_ui_activate (rotate);
  BH_UI_WAIT_UNTIL (is_page (dialog, "progress"), WAIT_SECONDS);
  BH_UI_WAIT_UNTIL (is_page (dialog, "secret"), WAIT_SECONDS);
  error_label = bh_ui_find (dialog, GTK_TYPE_LABEL, bh_ui_has_class, "error");
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "The old secret is kept."));
  bh_ui_screenshot (dialog, screenshot);
}

static void
test_rotate_app_secret (Fixture       *f,
                        gconstpointer  data)
{
  static const char *new_secret = "regenerated-consumer-secret-ABCDEFGHIJKLMNOPQRSTUVWXYZ01";
  g_autoptr(BhAccount) account = add_account (f, "alice", "1001", NULL);
  g_autoptr(BhSecret) stored = NULL;
  GtkWidget *dialog = bh_rotate_dialog_new_for_app_secret (f->parent, f->store, f->app);
  GtkWidget *weak = dialog;
  GtkWidget *rotate;

  run_bearer (f, BH_BEARER_FLOW_GENERATE);
  bh_fake_server_control (server, "/_fake/regenerate-app-keys",
                          "consumer_key", BH_FAKE_CONSUMER_KEY,
                          "consumer_secret", new_secret, NULL);

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  present (dialog);
  rotate = bh_ui_get_button (dialog, "Rotate");
  g_assert_false (gtk_widget_is_sensitive (rotate));

  /* A secret X refuses is not stored. */
  rotate_refused (dialog, rotate, "API Key Secret", "wrong-consumer-secret-ABCDEFGHIJKLMNOPQRSTUVWXYZ0",
                  "rotate-secret-refused.png");
  stored = stored_consumer_secret (f);
  g_assert_cmpstr (stored, ==, BH_FAKE_CONSUMER_SECRET);
  g_assert_null (bh_app_get_time (f->app, BH_APP_TIME_SECRET_ROTATED));

  /* The right one: stored, then what still works is listed. */
  bh_ui_set_row_text (dialog, "API Key Secret", new_secret);
  bh_ui_activate (rotate);
  BH_UI_WAIT_UNTIL (is_page (dialog, "result"), WAIT_SECONDS);
  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "Bearer Token"), ==, "Renewed: X had invalidated the old one");
  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "@alice"), ==, "Works with the new secret");
  bh_ui_screenshot (dialog, "rotate-secret-result.png");

  bh_secret_clear (&stored);
  stored = stored_consumer_secret (f);
  g_assert_cmpstr (stored, ==, new_secret);
  g_assert_nonnull (bh_app_get_time (f->app, BH_APP_TIME_SECRET_ROTATED));
  g_assert_true (bh_app_get_has_bearer (f->app));
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_OK);

  bh_ui_activate (bh_ui_get_button (dialog, "Done"));
  wait_destroyed (&weak);
}

static char *
stored_client_secret (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  bh_store_lookup_client_secret_async (f->store, f->app, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  secret = bh_store_lookup_client_secret_finish (f->store, result, &error);
  g_assert_no_error (error);
  return secret;
}

static void
test_rotate_client_secret (Fixture       *f,
                           gconstpointer  data)
{
  static const char *new_secret = "fake-oauth2-secret_regenerated-ABCDEFGHIJKLMNOPQR";
  BhAppPage *page = BH_APP_PAGE (bh_app_page_new ());
  BhStoreAppFields fields = { NULL, };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) stored = NULL;
  GtkWindow *found;
  GtkWidget *dialog;
  GtkWidget *weak;
  GtkWidget *rotate;

  /* A confidential OAuth 2.0 client. */
  fields.name = bh_app_get_name (f->app);
  fields.consumer_key = bh_app_get_consumer_key (f->app);
  fields.api_host = bh_app_get_api_host (f->app);
  fields.client_id = BH_FAKE_CLIENT_ID;
  fields.client_secret = BH_FAKE_CLIENT_SECRET;
  bh_store_update_app_full_async (f->store, f->app, &fields, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  g_assert_true (bh_store_update_app_full_finish (f->store, result, &error));
  g_assert_no_error (error);

  bh_app_page_set_store (page, f->store);
  bh_app_page_set_app (page, f->app);
  adw_window_set_content (ADW_WINDOW (f->parent), GTK_WIDGET (page));
  bh_ui_wait (bh_ui_widget_mapped, page, WAIT_SECONDS);

  /* Regenerated in the developer portal. */
  bh_fake_server_add_oauth2_client (server, BH_FAKE_CLIENT_ID, new_secret, "http://127.0.0.1:8477/callback");

  bh_ui_activate (bh_ui_get_button (GTK_WIDGET (page), "Rotate Client Secret…"));
  BH_UI_WAIT_UNTIL ((found = bh_ui_find_toplevel (BH_TYPE_ROTATE_DIALOG)) != NULL, WAIT_SECONDS);
  dialog = weak = GTK_WIDGET (found);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  bh_ui_wait (bh_ui_widget_mapped, dialog, WAIT_SECONDS);
  g_assert_cmpstr (visible_page (dialog), ==, "secret");
  g_assert_false (gtk_widget_get_visible (find_row (dialog, "API Key, if it changed too")));
  rotate = bh_ui_get_button (dialog, "Rotate");
  g_assert_false (gtk_widget_is_sensitive (rotate));

  /* Cancel while X is asked: back to the secret, nothing stored. */
  bh_ui_set_row_text (dialog, "Client Secret", new_secret);
  bh_fake_server_fault (server, "/2/oauth2/revoke", "slow", 1);
  bh_ui_activate (rotate);
  BH_UI_WAIT_UNTIL (is_page (dialog, "progress"), WAIT_SECONDS);
  bh_ui_activate (bh_ui_get_button (dialog, "Cancel"));
  BH_UI_WAIT_UNTIL (is_page (dialog, "secret"), WAIT_SECONDS);
  g_assert_false (gtk_widget_get_visible (bh_ui_find (dialog, GTK_TYPE_LABEL, bh_ui_has_class, "error")));
  stored = stored_client_secret (f);
  g_assert_cmpstr (stored, ==, BH_FAKE_CLIENT_SECRET);
  bh_secret_clear (&stored);
  bh_fake_server_fault (server, "/2/oauth2/revoke", "none", 0);

  /* A secret X refuses is not stored. */
  rotate_refused (dialog, rotate, "Client Secret", "fake-oauth2-secret_wrong-0123456789-ABCDEFGHIJ",
                  "rotate-client-secret-refused.png");
  stored = stored_client_secret (f);
  g_assert_cmpstr (stored, ==, BH_FAKE_CLIENT_SECRET);
  g_assert_null (bh_app_get_time (f->app, BH_APP_TIME_CLIENT_SECRET_ROTATED));

  /* The right one: stored, and said so. */
  bh_ui_set_row_text (dialog, "Client Secret", new_secret);
  bh_ui_activate (rotate);
  BH_UI_WAIT_UNTIL (is_page (dialog, "result"), WAIT_SECONDS);
  bh_ui_screenshot (dialog, "rotate-client-secret-result.png");
  bh_secret_clear (&stored);
  stored = stored_client_secret (f);
  g_assert_cmpstr (stored, ==, new_secret);
  g_assert_nonnull (bh_app_get_time (f->app, BH_APP_TIME_CLIENT_SECRET_ROTATED));

  bh_ui_activate (bh_ui_get_button (dialog, "Done"));
  wait_destroyed (&weak);
  bh_ui_screenshot (GTK_WIDGET (page), "rotate-client-secret-page.png");
}

static void
test_rotate_bearer (Fixture       *f,
                    gconstpointer  data)
{
  BhAppPage *page = BH_APP_PAGE (bh_app_page_new ());
  AdwMessageDialog *confirm;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *old_bearer = NULL;
  const char *new_bearer;

  run_bearer (f, BH_BEARER_FLOW_GENERATE);
  before = bh_fake_server_get_json (server, "/_fake/state");
  old_bearer = g_strdup (json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (before), "bearers"), BH_FAKE_CONSUMER_KEY));

  bh_app_page_set_store (page, f->store);
  bh_app_page_set_app (page, f->app);
  adw_window_set_content (ADW_WINDOW (f->parent), GTK_WIDGET (page));
  bh_ui_wait (bh_ui_widget_mapped, page, WAIT_SECONDS);
  g_assert_nonnull (strstr (bh_ui_row_subtitle (GTK_WIDGET (page), "Bearer Token"), "Created today"));

  /* A refusal keeps the old one. */
  bh_fake_server_fault (server, "/oauth2/invalidate_token", "503", 1);
  bh_ui_activate (bh_ui_get_button (GTK_WIDGET (page), "Rotate Bearer Token…"));
  BH_UI_WAIT_UNTIL ((confirm = find_message_dialog ()) != NULL, WAIT_SECONDS);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), "stop working"));
  bh_ui_screenshot (GTK_WIDGET (confirm), "rotate-bearer-confirm.png");
  bh_ui_activate (bh_ui_get_button (GTK_WIDGET (confirm), "Rotate"));
  BH_UI_WAIT_UNTIL ((confirm = find_message_dialog ()) != NULL &&
                    g_strcmp0 (adw_message_dialog_get_heading (confirm), "The Bearer Token Could Not Be Rotated") == 0,
                    WAIT_SECONDS);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), "The old bearer token is kept"));
  gtk_window_destroy (GTK_WINDOW (confirm));
  BH_UI_WAIT_UNTIL (find_message_dialog () == NULL, WAIT_SECONDS);
  g_assert_null (bh_app_get_time (f->app, BH_APP_TIME_BEARER_ROTATED));

  bh_ui_activate (bh_ui_get_button (GTK_WIDGET (page), "Rotate Bearer Token…"));
  BH_UI_WAIT_UNTIL ((confirm = find_message_dialog ()) != NULL, WAIT_SECONDS);
  bh_ui_activate (bh_ui_get_button (GTK_WIDGET (confirm), "Rotate"));
  BH_UI_WAIT_UNTIL (bh_app_get_time (f->app, BH_APP_TIME_BEARER_ROTATED) != NULL, WAIT_SECONDS);
  bh_ui_wait (bh_ui_app_page_idle, page, WAIT_SECONDS);

  after = bh_fake_server_get_json (server, "/_fake/state");
  new_bearer = json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (after), "bearers"), BH_FAKE_CONSUMER_KEY);
  g_assert_nonnull (new_bearer);
  g_assert_cmpstr (new_bearer, !=, old_bearer);
  g_assert_true (bh_app_get_has_bearer (f->app));
  BH_UI_WAIT_UNTIL (strstr (bh_ui_row_subtitle (GTK_WIDGET (page), "Bearer Token"), "Rotated today") != NULL,
                    WAIT_SECONDS);
  bh_ui_screenshot (GTK_WIDGET (page), "rotate-bearer-page.png");
}

static void
test_rotation_reminder (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *prefs = bh_preferences_window_new (f->parent);
  GtkWidget *row;

  present (prefs);
  row = bh_ui_get (prefs, ADW_TYPE_COMBO_ROW, bh_ui_row_title_is, "Rotation Reminder");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);
  g_assert_cmpuint (bh_rotation_reminder_days (), ==, 0);

  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 2);
  g_assert_cmpuint (g_settings_get_uint (settings, BH_ROTATION_REMINDER_KEY), ==, 90);
  g_assert_cmpuint (bh_rotation_reminder_days (), ==, 90);

  /* Any number of days shows as the nearest choice. */
  g_settings_set_uint (settings, BH_ROTATION_REMINDER_KEY, 200);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 3);
  bh_ui_screenshot (prefs, "preferences-rotation-reminder.png");

  g_settings_reset (settings, BH_ROTATION_REMINDER_KEY);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (prefs));
}

static void
test_a11y_atspi (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) other_token = NULL;
  g_autoptr(BhSecret) other_secret = NULL;
  g_autoptr(BhSecret) pin = NULL;
  g_autoptr(BhSecret) stored_token = NULL;
  g_autoptr(BhSecret) stored_secret = NULL;
  g_autoptr(BhAccount) account = add_account (f, "alice", "1001", &token);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *account_dialog;
  GtkWidget *tokens_dialog;
  GtkWidget *authorize_dialog;

  bh_store_lookup_account_tokens_async (f->store, account, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  g_assert_true (bh_store_lookup_account_tokens_finish (f->store, result, &stored_token,
                                                        &stored_secret, &error));
  g_assert_no_error (error);

  /* All three dialogs, with secrets in them: typed tokens, a typed PIN,
   * and an account whose tokens were copied. */
  authorize_dialog = open_authorize_to_pin_step (f, &pin, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (pin_entry (authorize_dialog)), pin);

  get_tokens ("bob", &other_token, &other_secret);
  tokens_dialog = bh_tokens_dialog_new (f->parent, f->store, f->app);
  present (tokens_dialog);
  bh_ui_set_row_text (tokens_dialog, "Access _Token", other_token);
  bh_ui_set_row_text (tokens_dialog, "Access Token _Secret", other_secret);

  account_dialog = bh_account_dialog_new (f->parent, f->store, account);
  present (account_dialog);
  bh_ui_activate (bh_ui_get_button (account_dialog, "Copy Access Token"));
  BH_UI_WAIT_UNTIL (!dialog_busy (account_dialog), WAIT_SECONDS);

  /* The secrets go to the checker on stdin, never in argv. */
  {
    const char *secrets[] = { token, stored_secret, other_token, other_secret, pin,
                              BH_FAKE_CONSUMER_SECRET, NULL };

    bh_ui_check_atspi (secrets);
  }

  gtk_window_destroy (GTK_WINDOW (account_dialog));
  gtk_window_destroy (GTK_WINDOW (tokens_dialog));
  gtk_window_destroy (GTK_WINDOW (authorize_dialog));
  bh_ui_flush ();
}

int
main (int    argc,
      char **argv)
{
  int ret;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  server = bh_fake_server_start ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/dialogs/authorize/pin-filter", test_authorize_pin_filter);
  ADD ("/dialogs/authorize/success", test_authorize_success);
  ADD ("/dialogs/authorize/wrong-pin", test_authorize_wrong_pin);
  ADD ("/dialogs/authorize/cancel-exchanging", test_authorize_cancel_exchanging);
  ADD ("/dialogs/authorize/fatal-error", test_authorize_fatal_error);
  ADD ("/dialogs/tokens/valid", test_tokens_valid);
  ADD ("/dialogs/tokens/invalid", test_tokens_invalid);
  ADD ("/dialogs/account/verify", test_account_verify);
  ADD ("/dialogs/account/copy", test_account_copy);
  ADD ("/dialogs/account/revoke", test_account_revoke);
  ADD ("/dialogs/account/remove", test_account_remove);
  ADD ("/dialogs/rotate/account", test_rotate_account);
  ADD ("/dialogs/rotate/account-cancelled", test_rotate_account_cancelled);
  ADD ("/dialogs/rotate/app-secret", test_rotate_app_secret);
  ADD ("/dialogs/rotate/client-secret", test_rotate_client_secret);
  ADD ("/dialogs/rotate/bearer", test_rotate_bearer);
  ADD ("/dialogs/rotate/reminder", test_rotation_reminder);
  ADD ("/dialogs/account/script-lines", test_account_script_lines);
  ADD ("/dialogs/import/banner-and-dialog", test_import_banner_and_dialog);
  ADD ("/dialogs/a11y/atspi", test_a11y_atspi);

#undef ADD

  ret = g_test_run ();

  bh_fake_server_stop (server);
  return ret;
}
