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
#include <libsecret/secret.h>
#include <string.h>
#include <unistd.h>

#include "bh-account-dialog.h"
#include "bh-authorize-dialog.h"
#include "bh-fake-server.h"
#include "bh-pin-flow.h"
#include "bh-secret.h"
#include "bh-store.h"
#include "bh-test-utils.h"
#include "bh-tokens-dialog.h"
#include "bh-tokens-flow.h"
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

typedef gboolean (*MatchFunc) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget     *root,
             GType          type,
             MatchFunc      match,
             gconstpointer  data)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type) && (match == NULL || match (root, data)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A button's label without its mnemonic underscore. */
static gboolean
button_has_label (GtkWidget     *widget,
                  gconstpointer  data)
{
  const char *label = gtk_button_get_label (GTK_BUTTON (widget));
  g_autoptr(GString) plain = NULL;

  if (label == NULL)
    return FALSE;

  plain = g_string_new (label);
  g_string_replace (plain, "_", "", 0);
  return g_str_equal (plain->str, data);
}

static gboolean
row_has_title (GtkWidget     *widget,
               gconstpointer  data)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
has_accessible_label (GtkWidget     *widget,
                      gconstpointer  data)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  return g_strcmp0 (tooltip, data) == 0;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  GtkWidget *button = find_widget (root, GTK_TYPE_BUTTON, button_has_label, label);

  if (button == NULL)
    button = find_widget (root, GTK_TYPE_BUTTON, has_accessible_label, label);
  g_assert_nonnull (button);
  return button;
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  GtkWidget *row = find_widget (root, ADW_TYPE_PREFERENCES_ROW, row_has_title, title);

  g_assert_nonnull (row);
  return row;
}

static void
on_clicked (GtkButton *button,
            gboolean  *clicked)
{
  *clicked = TRUE;
}

/* As a keyboard user would: GTK shows the press for a moment and emits
 * "clicked" after it, so wait for that. */
static void
click (GtkWidget *button)
{
  gboolean clicked = FALSE;
  gulong id;

  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_mapped (button));

  g_object_ref (button);
  id = g_signal_connect (button, "clicked", G_CALLBACK (on_clicked), &clicked);
  gtk_widget_activate (button);
  bh_test_wait_for_flag (&clicked, 10);
  g_signal_handler_disconnect (button, id);
  g_object_unref (button);
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Iterates the main loop until @check holds; fails after WAIT_SECONDS. */
#define WAIT_UNTIL(check) G_STMT_START {                                  \
    gint64 _deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC; \
    while (!(check))                                                      \
      {                                                                   \
        if (g_get_monotonic_time () > _deadline)                          \
          g_error ("timed out waiting for: %s", #check);                   \
        g_main_context_iteration (NULL, FALSE);                           \
        g_usleep (2000);                                                  \
      }                                                                   \
  } G_STMT_END

static void
pause_seconds (guint seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = bh_test_screenshot_path (name);
  GskRenderer *renderer;
  int width, height;

  /* Let the page be laid out and drawn first, and a crossfade end. */
  for (guint i = 0; i < 30; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  {
    GtkWidget *stack = find_widget (widget, GTK_TYPE_STACK, NULL, NULL);

    if (stack != NULL)
      WAIT_UNTIL (!gtk_stack_get_transition_running (GTK_STACK (stack)));
  }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static const char *
visible_page (GtkWidget *dialog)
{
  GtkWidget *stack = find_widget (dialog, GTK_TYPE_STACK, NULL, NULL);

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
  iterate ();
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
  WAIT_UNTIL (gtk_widget_get_mapped (dialog));
}

static void
wait_destroyed (GtkWidget **weak)
{
  WAIT_UNTIL (*weak == NULL);
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
    save_screenshot (dialog, "authorize-options.png");

  click (find_button (dialog, "Open Browser"));
  WAIT_UNTIL (is_page (dialog, "pin"));

  /* The link to copy, in case the browser did not open. */
  {
    GtkWidget *copy = find_button (dialog, "Copy Link");
    GtkWidget *again = find_button (dialog, "Open Again");

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
    save_screenshot (dialog, "authorize-pin.png");

  return dialog;
}

static GtkWidget *
pin_entry (GtkWidget *dialog)
{
  GtkWidget *entry = find_widget (dialog, GTK_TYPE_ENTRY, NULL, NULL);

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
  g_assert_false (gtk_widget_get_visible (find_button (dialog, "Authorize")));

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
  GtkWidget *authorize = find_button (dialog, "Authorize");
  BhAccount *account;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);

  g_assert_false (gtk_widget_is_sensitive (authorize));
  gtk_editable_set_text (GTK_EDITABLE (pin_entry (dialog)), "12");
  g_assert_false (gtk_widget_is_sensitive (authorize));
  gtk_editable_set_text (GTK_EDITABLE (pin_entry (dialog)), pin);
  g_assert_true (gtk_widget_is_sensitive (authorize));

  /* Enter in the entry authorizes. */
  g_signal_emit_by_name (pin_entry (dialog), "activate");
  WAIT_UNTIL (is_page (dialog, "success"));

  {
    GtkWidget *stack = find_widget (dialog, GTK_TYPE_STACK, NULL, NULL);
    AdwStatusPage *status = ADW_STATUS_PAGE (gtk_stack_get_visible_child (GTK_STACK (stack)));

    g_assert_cmpstr (adw_status_page_get_title (status), ==, "@alice is authorized");
    g_assert_nonnull (strstr (adw_status_page_get_description (status), "Read and write"));
  }
  save_screenshot (dialog, "authorize-success.png");

  account = bh_app_find_account (f->app, "alice");
  g_assert_nonnull (account);
  g_assert_cmpstr (bh_account_get_user_id (account), ==, "1001");
  g_assert_cmpuint (count_user_secrets (), ==, 1);

  click (find_button (dialog, "Done"));
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
  click (find_button (dialog, "Authorize"));
  WAIT_UNTIL (!is_page (dialog, "pin"));
  WAIT_UNTIL (is_page (dialog, "pin") || is_page (dialog, "error"));
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
  save_screenshot (dialog, "authorize-wrong-pin.png");

  /* Try again with the right one. */
  gtk_editable_set_text (GTK_EDITABLE (entry), pin);
  click (find_button (dialog, "Authorize"));
  WAIT_UNTIL (is_page (dialog, "success"));
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
  click (find_button (dialog, "Authorize"));
  g_object_get (dialog, "flow", &flow, NULL);
  WAIT_UNTIL (bh_flow_get_state (BH_FLOW (flow)) == BH_FLOW_STATE_EXCHANGING);
  g_assert_cmpstr (visible_page (dialog), ==, "progress");
  save_screenshot (dialog, "authorize-exchanging.png");

  click (find_button (dialog, "Cancel"));
  wait_destroyed (&weak);
  WAIT_UNTIL (bh_flow_get_state (BH_FLOW (flow)) == BH_FLOW_STATE_CANCELLED);

  /* Even once X's slow answer arrives, nothing is stored. */
  pause_seconds (5);
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
  click (find_button (dialog, "Open Browser"));
  WAIT_UNTIL (is_page (dialog, "error"));

  stack = find_widget (dialog, GTK_TYPE_STACK, NULL, NULL);
  status = ADW_STATUS_PAGE (gtk_stack_get_visible_child (GTK_STACK (stack)));
  g_assert_cmpuint (strlen (adw_status_page_get_description (status)), >, 10);
  g_test_message ("error page: %s", adw_status_page_get_description (status));
  save_screenshot (dialog, "authorize-error.png");

  /* Try Again starts a new flow, which now gets as far as the PIN. */
  click (find_button (dialog, "Try Again"));
  WAIT_UNTIL (is_page (dialog, "pin"));

  click (find_button (dialog, "Cancel"));
  wait_destroyed (&weak);
}

/* The tokens dialog */

static void
set_row_text (GtkWidget  *dialog,
              const char *title,
              const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find_row (dialog, title)), text);
}

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

  add = find_button (dialog, "Verify and Add");
  g_assert_false (gtk_widget_is_sensitive (add));

  /* A space in the middle is a broken paste. */
  set_row_text (dialog, "Access _Token", "abc def");
  set_row_text (dialog, "Access Token _Secret", "secret");
  g_assert_false (gtk_widget_is_sensitive (add));
  g_assert_true (gtk_widget_has_css_class (find_row (dialog, "Access _Token"), "error"));

  /* Stray white space around a pasted token is trimmed. */
  padded = g_strdup_printf ("  %s\n", token);
  set_row_text (dialog, "Access _Token", padded);
  bh_secret_wipe (padded, strlen (padded));
  set_row_text (dialog, "Access Token _Secret", token_secret);
  g_assert_true (gtk_widget_is_sensitive (add));
  save_screenshot (dialog, "tokens-form.png");

  click (add);
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

  set_row_text (dialog, "Access _Token", "1001-notarealtokenatall");
  set_row_text (dialog, "Access Token _Secret", "notarealsecreteither");
  click (find_button (dialog, "Verify and Add"));
  WAIT_UNTIL (!tokens_flow_running (dialog));

  /* X's sentence inline; the dialog stays open; nothing stored. */
  {
    GtkWidget *group = find_widget (dialog, ADW_TYPE_PREFERENCES_GROUP, NULL, NULL);

    status = gtk_widget_get_next_sibling (group);
  }
  g_assert_true (GTK_IS_LABEL (status));
  g_assert_true (gtk_widget_get_visible (status));
  g_assert_true (gtk_widget_has_css_class (status, "error"));
  g_test_message ("invalid tokens: %s", gtk_label_get_label (GTK_LABEL (status)));
  g_assert_cmpuint (strlen (gtk_label_get_label (GTK_LABEL (status))), >, 10);
  save_screenshot (dialog, "tokens-error.png");

  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (f->app)), ==, 0);
  g_assert_cmpuint (count_user_secrets (), ==, 0);

  click (find_button (dialog, "Cancel"));
  wait_destroyed (&weak);
}

/* The account dialog */

static const char *
row_subtitle (GtkWidget  *dialog,
              const char *title)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (dialog, title)));
}

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

  g_assert_cmpstr (row_subtitle (dialog, "Last Verified"), ==, "Never");
  g_assert_null (strstr (row_subtitle (dialog, "Rate Limit"), "requests left"));
  g_assert_null (strstr (row_subtitle (dialog, "Access Level"), "Read and write"));

  click (find_button (dialog, "Verify"));
  g_assert_true (dialog_busy (dialog));
  WAIT_UNTIL (!dialog_busy (dialog));

  /* The rows follow the account. */
  g_assert_cmpstr (row_subtitle (dialog, "Last Verified"), !=, "Never");
  g_assert_nonnull (strstr (row_subtitle (dialog, "Rate Limit"), "requests left, resets at"));
  g_assert_nonnull (strstr (row_subtitle (dialog, "Access Level"), "Read and write"));
  g_assert_nonnull (bh_account_get_verified_at (account));
  save_screenshot (dialog, "account-details.png");

  /* A read-only token gets a hint. */
  bh_account_set_access_level (account, "read");
  g_assert_nonnull (strstr (row_subtitle (dialog, "Access Level"), "can't post"));
  bh_account_set_state (account, BH_ACCOUNT_STATE_NEEDS_REAUTH);
  g_assert_true (gtk_widget_get_visible (find_row (dialog, "Needs Re-authorization")));
  save_screenshot (dialog, "account-needs-reauth.png");

  gtk_widget_activate_action (dialog, "window.close", NULL);
  wait_destroyed (&weak);
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_holds (GtkWidget  *widget,
                 const char *expected)
{
  ClipboardRead read = { NULL, FALSE };
  gboolean same;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL,
                                 clipboard_read_cb, &read);
  WAIT_UNTIL (read.done);
  same = read.text != NULL && bh_secret_equal (read.text, expected);
  bh_secret_clear (&read.text);
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
  click (find_button (dialog, "Copy Access Token"));
  WAIT_UNTIL (!dialog_busy (dialog));
  WAIT_UNTIL (clipboard_holds (dialog, token));

  /* The exports hold the token too, and the App's key. */
  gtk_widget_activate_action (dialog, "account.export-env", NULL);
  WAIT_UNTIL (!dialog_busy (dialog));
  {
    ClipboardRead read = { NULL, FALSE };

    gdk_clipboard_read_text_async (gtk_widget_get_clipboard (dialog), NULL,
                                   clipboard_read_cb, &read);
    WAIT_UNTIL (read.done);
    g_assert_nonnull (read.text);
    g_assert_true (strstr (read.text, "X_API_KEY=" BH_FAKE_CONSUMER_KEY "\n") != NULL);
    /* The names of `birdhouse export` and the README. */
    g_assert_true (strstr (read.text, "X_API_SECRET=" BH_FAKE_CONSUMER_SECRET "\n") != NULL);
    g_assert_true (strstr (read.text, token) != NULL);
    g_assert_true (strstr (read.text, BH_FAKE_CONSUMER_SECRET) != NULL);
    bh_secret_clear (&read.text);
  }

  gtk_widget_activate_action (dialog, "account.export-curl", NULL);
  WAIT_UNTIL (!dialog_busy (dialog));
  {
    ClipboardRead read = { NULL, FALSE };

    gdk_clipboard_read_text_async (gtk_widget_get_clipboard (dialog), NULL,
                                   clipboard_read_cb, &read);
    WAIT_UNTIL (read.done);
    g_assert_nonnull (read.text);
    g_assert_true (g_str_has_prefix (read.text, "curl --request GET "));
    g_assert_true (strstr (read.text, "/2/users/me") != NULL);
    g_assert_true (strstr (read.text, "Authorization: OAuth oauth_consumer_key=") != NULL);
    /* The signature is there, the secrets that made it are not. */
    g_assert_true (strstr (read.text, BH_FAKE_CONSUMER_SECRET) == NULL);
    bh_secret_clear (&read.text);
  }

  gtk_window_close (GTK_WINDOW (dialog));
  wait_destroyed (&weak);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
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

  click (find_button (dialog, "Revoke…"));
  WAIT_UNTIL ((confirm = find_message_dialog ()) != NULL);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (confirm)));
  g_assert_cmpstr (adw_message_dialog_get_heading (confirm), ==, "Revoke Access of @alice?");
  save_screenshot (GTK_WIDGET (confirm), "account-revoke-confirm.png");

  click (find_button (GTK_WIDGET (confirm), "Revoke"));
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
  click (find_button (dialog, "Remove…"));
  WAIT_UNTIL ((confirm = find_message_dialog ()) != NULL);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), "stay valid at X"));
  click (find_button (GTK_WIDGET (confirm), "Cancel"));
  WAIT_UNTIL (find_message_dialog () == NULL);
  g_assert_nonnull (bh_app_find_account (f->app, "carol"));

  click (find_button (dialog, "Remove…"));
  WAIT_UNTIL ((confirm = find_message_dialog ()) != NULL);
  click (find_button (GTK_WIDGET (confirm), "Remove"));
  wait_destroyed (&weak);

  g_assert_null (bh_app_find_account (f->app, "carol"));
  g_assert_cmpuint (count_user_secrets (), ==, 0);
  /* Local only: X was not asked to invalidate anything. */
  g_assert_false (server_lists_invalidated (token));
}

/* Accessibility: what a screen reader meets, seen over AT-SPI */

typedef struct
{
  char     *out;
  gboolean  done;
  GError   *error;
} Communicate;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Communicate *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, NULL, &c->error);
  c->done = TRUE;
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
  g_autoptr(BhSecret) input = NULL;
  g_autoptr(BhAccount) account = add_account (f, "alice", "1001", &token);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "check-atspi.py", NULL);
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  Communicate c = { NULL, FALSE, NULL };
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
  set_row_text (tokens_dialog, "Access _Token", other_token);
  set_row_text (tokens_dialog, "Access Token _Secret", other_secret);

  account_dialog = bh_account_dialog_new (f->parent, f->store, account);
  present (account_dialog);
  click (find_button (account_dialog, "Copy Access Token"));
  WAIT_UNTIL (!dialog_busy (account_dialog));

  /* The secrets go to the checker on stdin, never in argv. */
  input = g_strjoin ("\n", token, stored_secret, other_token, other_secret, pin,
                     BH_FAKE_CONSUMER_SECRET, "", NULL);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                              &error, "/usr/bin/python3", script, pid, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input, NULL, communicate_cb, &c);
  WAIT_UNTIL (c.done);
  g_assert_no_error (c.error);
  g_test_message ("%s", c.out);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_free (c.out);

  gtk_window_destroy (GTK_WINDOW (account_dialog));
  gtk_window_destroy (GTK_WINDOW (tokens_dialog));
  gtk_window_destroy (GTK_WINDOW (authorize_dialog));
  iterate ();
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
  ADD ("/dialogs/a11y/atspi", test_a11y_atspi);

#undef ADD

  ret = g_test_run ();

  bh_fake_server_stop (server);
  return ret;
}
