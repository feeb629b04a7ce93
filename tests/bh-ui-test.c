/* bh-ui-test.c
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

#include "bh-ui-test.h"

#include <string.h>
#include <unistd.h>

#include "bh-store.h"
#include "bh-test-utils.h"

GtkWidget *
bh_ui_find (GtkWidget     *root,
            GType          type,
            BhWidgetMatch  match,
            gconstpointer  data)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type) && (match == NULL || match (root, data)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bh_ui_find (child, type, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
bh_ui_get (GtkWidget     *root,
           GType          type,
           BhWidgetMatch  match,
           gconstpointer  data)
{
  GtkWidget *found = bh_ui_find (root, type, match, data);

  if (found == NULL)
    g_error ("No %s matching “%s”", g_type_name (type), data != NULL ? (const char *) data : "");

  return found;
}

gboolean
bh_ui_button_label_is (GtkWidget     *widget,
                       gconstpointer  label)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

gboolean
bh_ui_button_text_is (GtkWidget     *widget,
                      gconstpointer  text)
{
  const char *label = gtk_button_get_label (GTK_BUTTON (widget));
  g_autoptr(GString) shown = NULL;

  if (label == NULL)
    return FALSE;

  shown = g_string_new (label);
  if (gtk_button_get_use_underline (GTK_BUTTON (widget)))
    g_string_replace (shown, "_", "", 0);

  return g_str_equal (shown->str, text);
}

gboolean
bh_ui_row_title_is (GtkWidget     *widget,
                    gconstpointer  title)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

gboolean
bh_ui_label_is (GtkWidget     *widget,
                gconstpointer  text)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

gboolean
bh_ui_has_class (GtkWidget     *widget,
                 gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

gboolean
bh_ui_status_title_is (GtkWidget     *widget,
                       gconstpointer  title)
{
  return g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), title) == 0;
}

gboolean
bh_ui_tooltip_is (GtkWidget     *widget,
                  gconstpointer  tooltip)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

gboolean
bh_ui_accessible_label_is (GtkWidget     *widget,
                           gconstpointer  label)
{
  g_autofree char *mismatch = NULL;

  /* NULL when the accessible's label property holds exactly @label. */
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                 label);
  return mismatch == NULL;
}

GtkWidget *
bh_ui_get_button (GtkWidget  *root,
                  const char *name)
{
  GtkWidget *button = bh_ui_find (root, GTK_TYPE_BUTTON, bh_ui_button_text_is, name);

  if (button == NULL)
    button = bh_ui_find (root, GTK_TYPE_BUTTON, bh_ui_accessible_label_is, name);
  if (button == NULL)
    g_error ("No button shows or is named “%s”", name);

  return button;
}

void
bh_ui_set_row_text (GtkWidget  *root,
                    const char *title,
                    const char *text)
{
  GtkWidget *row = bh_ui_get (root, ADW_TYPE_ENTRY_ROW, bh_ui_row_title_is, title);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

const char *
bh_ui_row_subtitle (GtkWidget  *root,
                    const char *title)
{
  GtkWidget *row = bh_ui_get (root, ADW_TYPE_ACTION_ROW, bh_ui_row_title_is, title);

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

BhAppPage *
bh_ui_get_app_page (BhWindow *window)
{
  return BH_APP_PAGE (bh_ui_get (GTK_WIDGET (window), BH_TYPE_APP_PAGE, NULL, NULL));
}

typedef struct
{
  gboolean  done;
  char     *text;
} ReadText;

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadText *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

char *
bh_ui_read_clipboard (GdkClipboard *clipboard)
{
  ReadText read = { FALSE, NULL };

  gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &read);
  bh_test_wait_for_flag (&read.done, 10);
  return read.text;
}

void
bh_ui_click (GtkWidget *button)
{
  /* As a person could: only what is visible and sensitive. "activate"
   * would wait for the press animation; "clicked" is at once. */
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
clicked_cb (GtkButton *button,
            gboolean  *clicked)
{
  *clicked = TRUE;
}

void
bh_ui_activate (GtkWidget *button)
{
  gboolean clicked = FALSE;
  gulong id;

  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_mapped (button));

  g_object_ref (button);
  id = g_signal_connect (button, "clicked", G_CALLBACK (clicked_cb), &clicked);
  gtk_widget_activate (button);
  bh_test_wait_for_flag (&clicked, 10);
  g_signal_handler_disconnect (button, id);
  g_object_unref (button);
}

GtkWindow *
bh_ui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
bh_ui_wait (gboolean (*condition) (gpointer data),
            gpointer  data,
            guint     timeout_s)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  g_assert_false (timed_out);
}

gboolean
bh_ui_widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

gboolean
bh_ui_model_is_empty (gpointer model)
{
  return g_list_model_get_n_items (model) == 0;
}

gboolean
bh_ui_message_dialog_shown (gpointer unused)
{
  return bh_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

gboolean
bh_ui_app_page_idle (gpointer page)
{
  return !bh_app_page_get_busy (page);
}

gboolean
bh_ui_clipboard_has_content (gpointer clipboard)
{
  return gdk_clipboard_get_content (clipboard) != NULL;
}

gboolean
bh_ui_clipboard_is_empty (gpointer clipboard)
{
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  return gdk_clipboard_get_content (clipboard) == NULL &&
         !gdk_content_formats_contain_mime_type (formats, "text/plain;charset=utf-8");
}

static gboolean
flag_set (gpointer flag)
{
  return *(gboolean *) flag;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

void
bh_ui_wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong id;

  widget = GTK_WIDGET (gtk_widget_get_native (widget));
  bh_ui_wait (bh_ui_widget_mapped, widget, 20);
  clock = gtk_widget_get_frame_clock (widget);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  bh_ui_wait (flag_set, &painted, 20);
  g_signal_handler_disconnect (clock, id);
}

typedef struct
{
  GtkWidget     *root;
  GType          type;
  BhWidgetMatch  match;
  gconstpointer  data;
  GtkWidget     *found;
} FindData;

static gboolean
found_cb (gpointer user_data)
{
  FindData *find = user_data;

  find->found = bh_ui_find (find->root, find->type, find->match, find->data);
  return find->found != NULL;
}

GtkWidget *
bh_ui_wait_for (GtkWidget     *root,
                GType          type,
                BhWidgetMatch  match,
                gconstpointer  data,
                guint          timeout_s)
{
  FindData find = { root, type, match, data, NULL };

  bh_ui_wait (found_cb, &find, timeout_s);
  return find.found;
}

void
bh_ui_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
bh_ui_flush (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
window_ready (gpointer data)
{
  BhWindow *window = data;
  gboolean loaded = FALSE;

  g_object_get (bh_window_get_store (window), "loaded", &loaded, NULL);

  return loaded && gtk_widget_get_mapped (GTK_WIDGET (window));
}

BhApplication *
bh_ui_start_app (BhWindow **out_window)
{
  static guint counter;
  BhApplication *app = bh_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = g_strdup_printf ("%s.Test%u", APP_ID, ++counter);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GVariant) interval = g_settings_get_user_value (settings, "health-check-interval");
  GtkWindow *window;

  /* No health check on its own (it would send requests a test does not
   * expect), unless the test chose a schedule itself. */
  if (interval == NULL)
    g_settings_set_string (settings, "health-check-interval", "off");

  /* An application stays exported on the bus while async work still holds
   * it; each test gets a name of its own. */
  g_application_set_application_id (G_APPLICATION (app), app_id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (BH_IS_WINDOW (window));
  bh_ui_wait (window_ready, window, 20);

  *out_window = BH_WINDOW (window);
  return app;
}

void
bh_ui_stop_app (BhApplication *app)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  while (windows != NULL)
    {
      gtk_window_destroy (windows->data);
      windows = gtk_application_get_windows (GTK_APPLICATION (app));
    }

  bh_ui_spin (100);
  g_object_unref (app);
}

void
bh_ui_screenshot (GtkWidget  *widget,
                  const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = bh_test_screenshot_path (name);
  GskRenderer *renderer;
  int width, height;

  /* Let animations (toasts, revealers, leaflet) settle first. */
  bh_ui_spin (400);

  /* Then a frame drawn after them: a widget never drawn has no render
   * node to snapshot (slow machines, sanitizer builds). */
  widget = GTK_WIDGET (gtk_widget_get_native (widget));
  bh_ui_wait_for_paint (widget);

  renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}


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

void
bh_ui_check_atspi (const char * const *secrets)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "check-atspi.py", NULL);
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  Communicate c = { NULL, FALSE, NULL };

  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    g_string_append_printf (input, "%s\n", secrets[i]);

  /* The checker walks this process's tree over D-Bus: the main loop must
   * keep running to answer it. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                              &error, "/usr/bin/python3", script, pid, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input->str, NULL, communicate_cb, &c);
  bh_test_wait_for_flag (&c.done, 60);
  g_assert_no_error (c.error);
  g_test_message ("%s", c.out);
  g_free (c.out);

  /* The secrets were in the input, now wiped. */
  memset (input->str, 0, input->len);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
clean_up_remove_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (bh_store_remove_app_finish (BH_STORE (object), result, NULL));
  *done = TRUE;
}

void
bh_ui_clean_up (BhWindow *window,
                BhStore  *store)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Every dialog, whatever its place among the toplevels. */
  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i - 1);

      if (toplevel != GTK_WINDOW (window))
        gtk_window_destroy (toplevel);
    }

  while (g_list_model_get_n_items (G_LIST_MODEL (store)) > 0)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (store), 0);
      gboolean done = FALSE;

      bh_store_remove_app_async (store, app, NULL, clean_up_remove_cb, &done);
      bh_test_wait_for_flag (&done, 20);
    }
  bh_ui_wait (bh_ui_model_is_empty, store, 5);
}
