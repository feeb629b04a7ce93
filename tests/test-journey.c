/* test-journey.c
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

/* One journey through the real main window, as a person would take it:
 * every dialog is opened by the window's own buttons and actions, never
 * constructed here. Add an App, authorize @alice through the PIN dialog
 * (a failed start and Try Again, a wrong PIN, then the right one),
 * authorize @bob read-only as a different account, generate the bearer
 * token, open alice's details: verify, copy the access token and watch the
 * clipboard being cleared, revoke; finally remove the App. X is the fake
 * server, the browser the fake browser, the keyring the session's real
 * gnome-keyring.
 *
 * Each main screen is saved in $BH_SCREENSHOT_DIR. With
 * BH_METAINFO_SCREENSHOTS=DIR the journey also writes the screenshots of
 * the AppStream metainfo to DIR (main-window.png, authorize-dialog.png,
 * account-details.png): the App's API host shown as https://api.x.com, no
 * development stripes, and no secret or loopback address anywhere in the
 * window (checked on the widget tree before each is taken). */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "bh-account-dialog.h"
#include "bh-app-dialog.h"
#include "bh-app-page.h"
#include "bh-authorize-dialog.h"
#include "bh-fake-server.h"
#include "bh-pin-flow.h"
#include "bh-secret.h"
#include "bh-store.h"
#include "bh-test-utils.h"
#include "bh-ui-test.h"

#define WAIT_SECONDS 20
#define CLEAR_TIMEOUT 5

/* The public example key of X's documentation: what the metainfo
 * screenshots show instead of the fake server's key. */
#define SHOWN_CONSUMER_KEY "xvz1evFS4wEEPTGEFPHBog"
#define SHOWN_API_HOST "https://api.x.com"

typedef struct
{
  BhFakeServer  *server;
  BhApplication *app;
  BhWindow      *window;
  BhStore       *store;
  char          *pin_file;
  const char    *metainfo_dir;
  /* Every token and secret issued so far (BhSecret), which no screenshot
   * may show. */
  GPtrArray     *secrets;
} Journey;

/* Conditions for bh_ui_wait */

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
app_dialog_shown (gpointer data)
{
  return bh_ui_find_toplevel (BH_TYPE_APP_DIALOG) != NULL;
}

static gboolean
authorize_dialog_shown (gpointer data)
{
  return bh_ui_find_toplevel (BH_TYPE_AUTHORIZE_DIALOG) != NULL;
}

static gboolean
account_dialog_shown (gpointer data)
{
  return bh_ui_find_toplevel (BH_TYPE_ACCOUNT_DIALOG) != NULL;
}

static gboolean
dialog_idle (gpointer data)
{
  gboolean busy = TRUE;

  g_object_get (data, "busy", &busy, NULL);
  return !busy;
}

static gboolean
css_name_is (GtkWidget     *widget,
             gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_css_name (widget), name) == 0;
}

static gboolean
no_toast (gpointer data)
{
  /* A toast would cover the accounts in a screenshot. */
  return bh_ui_find (data, GTK_TYPE_WIDGET, css_name_is, "toast") == NULL;
}

/* The authorize dialog's steps are the pages of its stack. */
static const char *
visible_step (GtkWidget *dialog)
{
  GtkWidget *stack = bh_ui_get (dialog, GTK_TYPE_STACK, NULL, NULL);

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

typedef struct
{
  GtkWidget  *dialog;
  const char *step;
} StepWait;

static gboolean
step_shown (gpointer data)
{
  StepWait *wait = data;

  return g_strcmp0 (visible_step (wait->dialog), wait->step) == 0;
}

static gboolean
step_not_shown (gpointer data)
{
  return !step_shown (data);
}

static void
wait_for_step (GtkWidget  *dialog,
               const char *step)
{
  StepWait wait = { dialog, step };

  bh_ui_wait (step_shown, &wait, WAIT_SECONDS);
}

/* Looking at the window */

static GtkWidget *
button (GtkWidget  *root,
        const char *label)
{
  return bh_ui_get (root, GTK_TYPE_BUTTON, bh_ui_button_label_is, label);
}

static GtkWidget *
button_with_tooltip (GtkWidget  *root,
                     const char *tooltip)
{
  return bh_ui_get (root, GTK_TYPE_BUTTON, bh_ui_tooltip_is, tooltip);
}

static BhAppPage *
get_page (Journey *j)
{
  return bh_ui_get_app_page (j->window);
}

static GtkWidget *
find_account_row (Journey    *j,
                  const char *title)
{
  return bh_ui_find (GTK_WIDGET (get_page (j)), ADW_TYPE_ACTION_ROW, bh_ui_row_title_is, title);
}

static gboolean
no_alice_row (gpointer data)
{
  return find_account_row (data, "@alice") == NULL;
}

static gboolean
label_contains (GtkWidget     *widget,
                gconstpointer  text)
{
  return strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

/* TRUE when any text of the widget tree under @root (labels, entries
 * that show their text, tooltips) contains @needle. Never prints what it found: @needle may be
 * a secret. */
static gboolean
tree_shows (GtkWidget  *root,
            const char *needle)
{
  const char *tooltip = gtk_widget_get_tooltip_text (root);

  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), needle) != NULL)
    return TRUE;
  /* A password entry holds the text but shows bullets. */
  if (GTK_IS_TEXT (root) && gtk_text_get_visibility (GTK_TEXT (root)) &&
      strstr (gtk_editable_get_text (GTK_EDITABLE (root)), needle) != NULL)
    return TRUE;
  if (tooltip != NULL && strstr (tooltip, needle) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (tree_shows (child, needle))
        return TRUE;
    }

  return FALSE;
}

/* The clipboard */

/* Screenshots */

static void
save_png (GtkWidget  *widget,
          const char *path)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkWidget *native = GTK_WIDGET (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (native);
  int height = gtk_widget_get_height (native);

  paintable = gtk_widget_paintable_new (native);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (native)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("metainfo screenshot: %s (%dx%d)", path, width, height);
}

/* A screenshot for the metainfo: only with BH_METAINFO_SCREENSHOTS, and
 * only of a window that shows no secret and no loopback address. */
static void
metainfo_screenshot (Journey    *j,
                     GtkWidget  *widget,
                     const char *name)
{
  static const char *secrets[] = {
    BH_FAKE_CONSUMER_SECRET, BH_FAKE_CONSUMER_KEY, "127.0.0.1", "localhost",
  };
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_native (widget));
  g_autofree char *path = NULL;

  /* Also in the ordinary run: the check is the point, the file is the
   * by-product. */
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    g_assert_false (tree_shows (root, secrets[i]));
  for (guint i = 0; i < j->secrets->len; i++)
    g_assert_false (tree_shows (root, g_ptr_array_index (j->secrets, i)));

  bh_ui_wait (no_toast, GTK_WIDGET (j->window), WAIT_SECONDS);
  bh_ui_spin (400);

  if (j->metainfo_dir == NULL)
    return;

  g_assert_cmpint (g_mkdir_with_parents (j->metainfo_dir, 0755), ==, 0);
  path = g_build_filename (j->metainfo_dir, name, NULL);
  save_png (widget, path);
}

/* The keyring and the fake server */

typedef struct
{
  char *token;
  char *token_secret;
} Tokens;

static void
tokens_clear (Tokens *tokens)
{
  g_clear_pointer (&tokens->token, bh_secret_free);
  g_clear_pointer (&tokens->token_secret, bh_secret_free);
}

static void
lookup_tokens (Journey   *j,
               BhAccount *account,
               Tokens    *tokens)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Through the store, which the window under test also uses, but only
   * to learn what X issued: the comparisons are against X's side. */
  bh_store_lookup_account_tokens_async (j->store, account, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  g_assert_true (bh_store_lookup_account_tokens_finish (j->store, result, &tokens->token,
                                                        &tokens->token_secret, &error));
  g_assert_no_error (error);
  g_assert_nonnull (tokens->token);
}

/* Collects the bearer token and every account's tokens of @app into
 * j->secrets. */
static void
remember_issued_secrets (Journey *j,
                         BhApp   *app)
{
  GListModel *accounts = bh_app_get_accounts (app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *bearer;

  bh_store_lookup_bearer_async (j->store, app, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  bearer = bh_store_lookup_bearer_finish (j->store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bearer);
  g_ptr_array_add (j->secrets, bearer);

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (accounts, i);
      Tokens tokens = { NULL, NULL };

      lookup_tokens (j, account, &tokens);
      g_ptr_array_add (j->secrets, g_steal_pointer (&tokens.token));
      g_ptr_array_add (j->secrets, g_steal_pointer (&tokens.token_secret));
    }
}

static JsonObject *
fake_state (Journey   *j,
            JsonNode **node)
{
  *node = bh_fake_server_get_json (j->server, "/_fake/state");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*node));
  return json_node_get_object (*node);
}

static gint64
fake_count (Journey    *j,
            const char *path)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *counts = json_object_get_object_member (fake_state (j, &node), "counts");

  return json_object_get_int_member_with_default (counts, path, 0);
}

static gboolean
fake_invalidated (Journey    *j,
                  const char *token)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *tokens = json_object_get_array_member (fake_state (j, &node), "invalidated_access_tokens");

  for (guint i = 0; i < json_array_get_length (tokens); i++)
    {
      if (bh_secret_equal (json_array_get_string_element (tokens, i), token))
        return TRUE;
    }

  return FALSE;
}

static void
update_app_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bh_store_update_app_finish (BH_STORE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* What the window shows of the App's key and host; nothing is sent. */
static void
show_app_as (Journey    *j,
             BhApp      *app,
             const char *consumer_key,
             const char *api_host)
{
  gboolean done = FALSE;
  g_autofree char *name = g_strdup (bh_app_get_name (app));

  bh_store_update_app_async (j->store, app, name, consumer_key, NULL, api_host,
                             NULL, update_app_cb, &done);
  bh_test_wait_for_flag (&done, WAIT_SECONDS);
  g_assert_cmpstr (bh_app_get_api_host (app), ==, api_host);
}

/* The steps */

static BhApp *
add_app_through_window (Journey *j)
{
  GtkWidget *empty;
  GtkWidget *dialog;
  GtkWidget *save;
  GtkWidget *advanced;
  gpointer dialog_weak;
  BhApp *app;

  empty = bh_ui_get (GTK_WIDGET (j->window), ADW_TYPE_STATUS_PAGE,
                     bh_ui_status_title_is, "Add a Developer App");
  bh_ui_wait (bh_ui_widget_mapped, empty, 5);
  bh_ui_screenshot (GTK_WIDGET (j->window), "journey-01-empty.png");

  bh_ui_click (button (empty, "_Add App…"));
  bh_ui_wait (app_dialog_shown, NULL, 5);
  dialog = GTK_WIDGET (bh_ui_find_toplevel (BH_TYPE_APP_DIALOG));
  bh_ui_wait (bh_ui_widget_mapped, dialog, 5);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (j->window));

  save = button (dialog, "_Save");
  g_assert_false (gtk_widget_get_sensitive (save));
  bh_ui_set_row_text (dialog, "Name", "Newsroom Bot");
  bh_ui_set_row_text (dialog, "API Key", BH_FAKE_CONSUMER_KEY);
  bh_ui_set_row_text (dialog, "API Key Secret", BH_FAKE_CONSUMER_SECRET);
  /* The API host is under Advanced, as a person finds it. */
  advanced = bh_ui_get (dialog, ADW_TYPE_EXPANDER_ROW, bh_ui_row_title_is, "Advanced");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (advanced), TRUE);
  bh_ui_set_row_text (dialog, "API Host", bh_fake_server_get_url (j->server));
  g_assert_true (gtk_widget_get_sensitive (save));
  /* The secret typed is never shown in clear. */
  g_assert_false (tree_shows (dialog, BH_FAKE_CONSUMER_SECRET));
  bh_ui_screenshot (dialog, "journey-02-app-dialog.png");

  dialog_weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &dialog_weak);
  bh_ui_click (save);
  bh_ui_wait (is_null, &dialog_weak, WAIT_SECONDS);

  app = bh_store_find_app (j->store, "Newsroom Bot");
  g_assert_nonnull (app);
  g_assert_true (bh_window_get_selected_app (j->window) == app);
  g_assert_true (bh_app_page_get_app (get_page (j)) == app);
  bh_ui_wait (bh_ui_widget_mapped, get_page (j), 5);
  bh_ui_get (GTK_WIDGET (get_page (j)), GTK_TYPE_LABEL, bh_ui_label_is, "No Accounts Yet");
  bh_ui_screenshot (GTK_WIDGET (j->window), "journey-03-app.png");

  return app;
}

static GtkWidget *
open_authorize_dialog (Journey *j)
{
  GtkWidget *dialog;

  g_assert_cmpint (g_unlink (j->pin_file) == 0 || errno == ENOENT, ==, TRUE);
  bh_ui_click (button (GTK_WIDGET (get_page (j)), "_Authorize Account…"));
  bh_ui_wait (authorize_dialog_shown, NULL, 5);
  dialog = GTK_WIDGET (bh_ui_find_toplevel (BH_TYPE_AUTHORIZE_DIALOG));
  bh_ui_wait (bh_ui_widget_mapped, dialog, 5);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_cmpstr (visible_step (dialog), ==, "options");

  return dialog;
}

static void
close_authorize_dialog (GtkWidget *dialog)
{
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  bh_ui_click (button (dialog, "_Done"));
  bh_ui_wait (is_null, &weak, WAIT_SECONDS);
}

static void
authorize_alice (Journey *j,
                 BhApp   *app)
{
  GtkWidget *dialog = open_authorize_dialog (j);
  GtkWidget *entry = bh_ui_get (dialog, GTK_TYPE_ENTRY, NULL, NULL);
  GtkWidget *error_label;
  GtkWidget *success;
  g_autoptr(BhSecret) pin = NULL;
  const char *wrong;
  StepWait left_pin = { dialog, "pin" };

  g_setenv ("BH_FAKE_BROWSER_ACTION", "authorize", TRUE);
  g_unsetenv ("BH_FAKE_BROWSER_USER");
  bh_ui_screenshot (dialog, "journey-04-authorize-options.png");

  /* X fails once: the sentence, and Try Again starts over. */
  bh_fake_server_fault (j->server, "/oauth/request_token", "503", 1);
  bh_ui_click (button (dialog, "_Open Browser"));
  wait_for_step (dialog, "error");
  error_label = bh_ui_get (dialog, ADW_TYPE_STATUS_PAGE, bh_ui_status_title_is, "Authorization Failed");
  g_assert_cmpuint (strlen (adw_status_page_get_description (ADW_STATUS_PAGE (error_label))), >, 20);
  g_test_message ("failed start: %s", adw_status_page_get_description (ADW_STATUS_PAGE (error_label)));
  bh_ui_screenshot (dialog, "journey-05-authorize-failed.png");
  bh_ui_click (button (dialog, "_Try Again"));
  wait_for_step (dialog, "pin");

  /* The browser was opened on X's authorize page (the fake browser
   * authorizes and leaves the PIN X showed it). */
  pin = bh_fake_server_wait_for_pin_file (j->pin_file, WAIT_SECONDS);
  g_assert_true (bh_pin_is_plausible (pin));
  bh_ui_get (dialog, GTK_TYPE_LABEL, label_contains, "Your browser was opened");
  g_assert_false (gtk_widget_get_sensitive (button (dialog, "_Authorize")));
  bh_ui_screenshot (dialog, "journey-06-authorize-pin.png");

  /* A wrong PIN: X's sentence under the entry, the entry cleared. */
  wrong = g_str_equal (pin, "1111111") ? "2222222" : "1111111";
  gtk_editable_set_text (GTK_EDITABLE (entry), wrong);
  bh_ui_click (button (dialog, "_Authorize"));
  bh_ui_wait (step_not_shown, &left_pin, WAIT_SECONDS);
  wait_for_step (dialog, "pin");
  error_label = gtk_widget_get_next_sibling (entry);
  g_assert_true (GTK_IS_LABEL (error_label));
  g_assert_true (gtk_widget_has_css_class (error_label, "error"));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpuint (strlen (gtk_label_get_text (GTK_LABEL (error_label))), >, 10);
  g_test_message ("wrong PIN: %s", gtk_label_get_text (GTK_LABEL (error_label)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_null (bh_app_find_account (app, "alice"));
  bh_ui_screenshot (dialog, "journey-07-authorize-wrong-pin.png");

  /* The right one. */
  gtk_editable_set_text (GTK_EDITABLE (entry), pin);
  bh_ui_click (button (dialog, "_Authorize"));
  wait_for_step (dialog, "success");
  success = bh_ui_get (dialog, ADW_TYPE_STATUS_PAGE, bh_ui_status_title_is, "@alice is authorized");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (success)), "Read and write"));
  g_assert_false (tree_shows (dialog, pin));
  bh_ui_screenshot (dialog, "journey-08-authorize-success.png");
  close_authorize_dialog (dialog);
}

static void
authorize_bob (Journey *j,
               BhApp   *app)
{
  GtkWidget *dialog = open_authorize_dialog (j);
  GtkWidget *entry = bh_ui_get (dialog, GTK_TYPE_ENTRY, NULL, NULL);
  GtkWidget *url_label;
  GtkWidget *success;
  g_autoptr(BhSecret) pin = NULL;
  g_autofree char *url = NULL;
  g_autofree char *log = NULL;
  g_autofree char *shown_url = NULL;

  /* Someone else signs in: a different X account, read-only. */
  g_setenv ("BH_FAKE_BROWSER_USER", "bob", TRUE);
  gtk_switch_set_active (GTK_SWITCH (bh_ui_get (bh_ui_get (dialog, ADW_TYPE_ACTION_ROW, bh_ui_row_title_is,
                                                           "_Read-only access"),
                                                GTK_TYPE_SWITCH, NULL, NULL)),
                         TRUE);
  gtk_switch_set_active (GTK_SWITCH (bh_ui_get (bh_ui_get (dialog, ADW_TYPE_ACTION_ROW, bh_ui_row_title_is,
                                                           "Use a _different X account"),
                                                GTK_TYPE_SWITCH, NULL, NULL)),
                         TRUE);
  bh_ui_set_row_text (dialog, "Account name (optional), such as @alice", "@bob");
  bh_ui_click (button (dialog, "_Open Browser"));
  wait_for_step (dialog, "pin");
  pin = bh_fake_server_wait_for_pin_file (j->pin_file, WAIT_SECONDS);

  /* X was asked to show its sign-in page for bob. */
  url_label = bh_ui_get (dialog, GTK_TYPE_LABEL, label_contains, "/oauth/authorize?");
  url = g_strdup (gtk_label_get_text (GTK_LABEL (url_label)));
  g_assert_nonnull (strstr (url, "force_login=true"));
  g_assert_nonnull (strstr (url, "screen_name=bob"));

  /* The metainfo shows X's address, not the fake server's: the link is
   * the same but for the host, and holds only X's request token, which
   * is not a secret. */
  g_assert_true (g_str_has_prefix (url, bh_fake_server_get_url (j->server)));
  shown_url = g_strconcat (SHOWN_API_HOST, url + strlen (bh_fake_server_get_url (j->server)), NULL);
  gtk_label_set_label (GTK_LABEL (url_label), shown_url);
  gtk_widget_set_tooltip_text (url_label, shown_url);
  metainfo_screenshot (j, dialog, "authorize-dialog.png");
  gtk_label_set_label (GTK_LABEL (url_label), url);
  gtk_widget_set_tooltip_text (url_label, url);

  gtk_editable_set_text (GTK_EDITABLE (entry), pin);
  bh_ui_click (button (dialog, "_Authorize"));
  wait_for_step (dialog, "success");
  success = bh_ui_get (dialog, ADW_TYPE_STATUS_PAGE, bh_ui_status_title_is, "@bob is authorized");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (success)), "Read only"));
  close_authorize_dialog (dialog);

  g_assert_cmpstr (bh_account_get_access_level (bh_app_find_account (app, "bob")), ==, "read");
  g_unsetenv ("BH_FAKE_BROWSER_USER");
}

static void
check_account_row (Journey    *j,
                   const char *title,
                   const char *level)
{
  GtkWidget *row = find_account_row (j, title);
  GtkWidget *badge;

  g_assert_nonnull (row);
  bh_ui_wait (bh_ui_widget_mapped, row, 5);
  badge = bh_ui_get (row, GTK_TYPE_LABEL, bh_ui_label_is, level);
  g_assert_true (gtk_widget_has_css_class (badge, "bh-badge"));
  g_assert_true (gtk_widget_get_visible (badge));
}

static void
generate_bearer (Journey *j,
                 BhApp   *app)
{
  BhAppPage *page = get_page (j);
  GtkWidget *generate = button (GTK_WIDGET (page), "_Generate");

  g_assert_false (bh_app_get_has_bearer (app));
  bh_ui_click (generate);
  bh_ui_wait (bh_ui_app_page_idle, page, WAIT_SECONDS);
  g_assert_true (bh_app_get_has_bearer (app));
  g_assert_cmpstr (bh_ui_row_subtitle (GTK_WIDGET (page), "Bearer Token"), ==, "In the keyring\nCreated today");
  g_assert_true (gtk_widget_get_visible (button_with_tooltip (GTK_WIDGET (page), "Copy Bearer Token")));
  g_assert_false (gtk_widget_get_visible (generate));
  g_assert_cmpint (fake_count (j, "/oauth2/token"), ==, 1);
}

static GtkWidget *
open_account (Journey    *j,
              const char *title)
{
  GtkWidget *dialog;

  g_signal_emit_by_name (find_account_row (j, title), "activate");
  bh_ui_wait (account_dialog_shown, NULL, 5);
  dialog = GTK_WIDGET (bh_ui_find_toplevel (BH_TYPE_ACCOUNT_DIALOG));
  bh_ui_wait (bh_ui_widget_mapped, dialog, 5);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (j->window));

  return dialog;
}

static void
verify_alice (Journey   *j,
              GtkWidget *dialog)
{
  gint64 before = fake_count (j, "/1.1/account/verify_credentials.json");

  bh_ui_get (dialog, GTK_TYPE_LABEL, bh_ui_label_is, "@alice");
  bh_ui_get (dialog, GTK_TYPE_LABEL, bh_ui_label_is, "1001");
  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "Access Level"), ==, "Read and write");

  bh_ui_click (button (dialog, "_Verify"));
  bh_ui_wait (dialog_idle, dialog, WAIT_SECONDS);
  g_assert_cmpint (fake_count (j, "/1.1/account/verify_credentials.json"), ==, before + 1);

  /* The rows show what X answered. */
  g_assert_nonnull (strstr (bh_ui_row_subtitle (dialog, "Rate Limit"), "requests left"));
  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "Last Verified"), !=, "Never");
  g_assert_cmpstr (bh_ui_row_subtitle (dialog, "Access Level"), ==, "Read and write");
  bh_ui_screenshot (dialog, "journey-10-account.png");
}

static void
copy_token (Journey      *j,
            GtkWidget    *dialog,
            const Tokens *tokens)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (dialog);
  g_autoptr(BhSecret) copied = NULL;

  gdk_clipboard_set_content (clipboard, NULL);
  bh_ui_click (button_with_tooltip (dialog, "Copy Access Token"));
  bh_ui_wait (bh_ui_clipboard_has_content, clipboard, WAIT_SECONDS);
  /* Marked for clipboard managers as a password. */
  g_assert_true (gdk_content_formats_contain_mime_type (gdk_clipboard_get_formats (clipboard),
                                                        "x-kde-passwordManagerHint"));
  copied = bh_ui_read_clipboard (clipboard);
  g_assert_nonnull (copied);
  g_assert_true (bh_secret_equal (copied, tokens->token));
  g_assert_false (bh_secret_equal (copied, tokens->token_secret));

  /* Cleared after the short timeout set for the test. */
  bh_ui_wait (bh_ui_clipboard_is_empty, clipboard, CLEAR_TIMEOUT + 10);
}

static void
revoke_alice (Journey      *j,
              GtkWidget    *dialog,
              BhApp        *app,
              const Tokens *tokens)
{
  AdwMessageDialog *confirm;
  gpointer weak = dialog;

  g_assert_false (fake_invalidated (j, tokens->token));

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  bh_ui_click (button (dialog, "_Revoke…"));
  bh_ui_wait (bh_ui_message_dialog_shown, NULL, 5);
  confirm = ADW_MESSAGE_DIALOG (bh_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (confirm), ==, "Revoke Access of @alice?");
  bh_ui_screenshot (GTK_WIDGET (confirm), "journey-11-revoke.png");
  adw_message_dialog_response (confirm, "revoke");

  bh_ui_wait (is_null, &weak, WAIT_SECONDS);
  bh_ui_wait (no_alice_row, j, 5);
  g_assert_null (bh_app_find_account (app, "alice"));
  g_assert_nonnull (find_account_row (j, "@bob"));

  /* X's side: the token is invalidated. */
  g_assert_true (fake_invalidated (j, tokens->token));
  bh_ui_screenshot (GTK_WIDGET (j->window), "journey-12-revoked.png");
}

static void
remove_app (Journey *j,
            BhApp   *app)
{
  AdwMessageDialog *confirm;
  GtkWidget *empty;

  /* What the App menu's "Remove App…" item does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (j->window), "win.remove-app", NULL));
  bh_ui_wait (bh_ui_message_dialog_shown, NULL, 5);
  confirm = ADW_MESSAGE_DIALOG (bh_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (confirm), ==, "Remove Newsroom Bot?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), "its 1 account, its bearer token"));
  adw_message_dialog_response (confirm, "remove");

  bh_ui_wait (bh_ui_model_is_empty, j->store, WAIT_SECONDS);
  empty = bh_ui_get (GTK_WIDGET (j->window), ADW_TYPE_STATUS_PAGE,
                     bh_ui_status_title_is, "Add a Developer App");
  bh_ui_wait (bh_ui_widget_mapped, empty, 5);
  bh_ui_screenshot (GTK_WIDGET (j->window), "journey-13-removed.png");
}

static void
test_journey (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  Journey journey = { NULL, };
  Journey *j = &journey;
  Tokens tokens = { NULL, NULL };
  GtkWidget *dialog;
  BhApp *app;

  /* Short enough to watch the clipboard being cleared; the window at the
   * size of the metainfo screenshots. */
  g_settings_set_uint (settings, "clipboard-clear-timeout", CLEAR_TIMEOUT);
  g_settings_set_int (settings, "window-width", 1000);
  g_settings_set_int (settings, "window-height", 700);

  j->metainfo_dir = g_getenv ("BH_METAINFO_SCREENSHOTS");
  j->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_secret_free);
  j->pin_file = g_build_filename (g_getenv ("BH_TEST_TMPDIR"), "journey-pin", NULL);
  g_setenv ("BH_FAKE_BROWSER_PIN", j->pin_file, TRUE);
  j->server = bh_fake_server_start ();
  j->app = bh_ui_start_app (&j->window);
  j->store = bh_window_get_store (j->window);

  /* The metainfo shows the app as people get it. */
  if (j->metainfo_dir != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (j->window), "devel");

  app = add_app_through_window (j);
  authorize_alice (j, app);

  /* Listed on the App page with its screen name and access level. */
  check_account_row (j, "@alice", "Read and write");
  bh_ui_screenshot (GTK_WIDGET (j->window), "journey-09-alice.png");

  generate_bearer (j, app);
  authorize_bob (j, app);
  check_account_row (j, "@bob", "Read only");
  check_account_row (j, "@alice", "Read and write");
  remember_issued_secrets (j, app);

  /* The metainfo's main window: X's host and the documentation's example
   * key on display (nothing is sent meanwhile). */
  show_app_as (j, app, SHOWN_CONSUMER_KEY, SHOWN_API_HOST);
  g_assert_cmpstr (bh_ui_row_subtitle (GTK_WIDGET (get_page (j)), "API Key"), ==, SHOWN_CONSUMER_KEY);
  metainfo_screenshot (j, GTK_WIDGET (j->window), "main-window.png");

  dialog = open_account (j, "@alice");
  show_app_as (j, app, BH_FAKE_CONSUMER_KEY, bh_fake_server_get_url (j->server));
  verify_alice (j, dialog);
  show_app_as (j, app, SHOWN_CONSUMER_KEY, SHOWN_API_HOST);
  metainfo_screenshot (j, dialog, "account-details.png");
  show_app_as (j, app, BH_FAKE_CONSUMER_KEY, bh_fake_server_get_url (j->server));

  lookup_tokens (j, bh_app_find_account (app, "alice"), &tokens);
  copy_token (j, dialog, &tokens);
  revoke_alice (j, dialog, app, &tokens);
  tokens_clear (&tokens);

  remove_app (j, app);

  bh_ui_stop_app (g_steal_pointer (&j->app));

  /* The whole journey's log, debug messages included, could be pasted
   * into a bug report: it holds none of the secrets X handed out. */
  {
    g_autofree char *logs = bh_test_take_logs ();

    bh_fake_server_assert_no_secret_in (j->server, logs);
  }
  g_clear_pointer (&j->server, bh_fake_server_stop);
  g_unsetenv ("BH_FAKE_BROWSER_PIN");
  g_free (j->pin_file);
  g_ptr_array_unref (j->secrets);
}

int
main (int    argc,
      char **argv)
{
  bh_test_capture_logs ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/journey/main-window", test_journey);

  return g_test_run ();
}
