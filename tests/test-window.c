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

#include "config.h"

#include <adwaita.h>

#include "bh-application.h"
#include "bh-window.h"
#include "bh-test-utils.h"

/* Finds the first widget of @type under @root (depth first) for which
 * @match returns TRUE. */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type,
             gboolean (*match) (GtkWidget *widget, gconstpointer data),
             gconstpointer data)
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

static gboolean
status_page_has_title (GtkWidget     *widget,
                       gconstpointer  data)
{
  return g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), data) == 0;
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = bh_test_screenshot_path (name);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static gboolean activated;

static void
on_activate (GApplication *app,
             gpointer      user_data)
{
  activated = TRUE;
}

static void
test_window_empty_state (void)
{
  g_autoptr(BhApplication) app = bh_application_new ();
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  GtkWidget *empty;
  gboolean mapped = FALSE;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  bh_test_wait_for_flag (&activated, 10);

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (BH_IS_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (window), ==, "Birdhouse");

  while (!(mapped = gtk_widget_get_mapped (GTK_WIDGET (window))))
    g_main_context_iteration (NULL, TRUE);

  empty = find_widget (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE,
                       status_page_has_title, "Add a Developer App");
  g_assert_nonnull (empty);
  g_assert_true (gtk_widget_get_mapped (empty));

  /* Let the first frame be laid out before painting it. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  save_screenshot (GTK_WIDGET (window), "window-empty.png");

  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/window/empty-state", test_window_empty_state);

  return g_test_run ();
}
