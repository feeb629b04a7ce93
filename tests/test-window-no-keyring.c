/* test-window-no-keyring.c
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

/* The window with no Secret Service at all (BH_TEST_NO_KEYRING=1): it
 * still comes up and lists what the records file holds, a banner says what
 * does not work, and saving an App says why it failed instead of losing
 * the secret silently. */

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "bh-app-dialog.h"
#include "bh-store.h"
#include "bh-test-utils.h"
#include "bh-ui-test.h"

static gboolean
keyring_unavailable (gpointer data)
{
  return bh_store_get_keyring_status (data) == BH_KEYRING_STATUS_UNAVAILABLE;
}

static gboolean
label_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_child_visible (data);
}

static gboolean
label_starts_with (GtkWidget     *widget,
                   gconstpointer  prefix)
{
  return g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix) &&
         gtk_widget_is_drawable (widget);
}

static gboolean
error_shown (gpointer data)
{
  GtkWidget *label = data;

  return gtk_widget_get_visible (label) && *gtk_label_get_text (GTK_LABEL (label)) != '\0';
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static gboolean
load_done (gpointer data)
{
  return !bh_application_get_loading (data);
}

static void
test_banner (void)
{
  BhWindow *window = NULL;
  g_autoptr(BhApplication) app = bh_ui_start_app (&window);
  BhStore *store = bh_window_get_store (window);
  GtkWidget *banner_label;
  GtkWidget *dialog;
  GtkWidget *save;
  GtkWidget *error_label;
  gboolean loaded = FALSE;

  g_assert_null (g_getenv ("GNOME_KEYRING_CONTROL"));
  bh_ui_wait (keyring_unavailable, store, 20);

  /* The window works: it shows the empty state, not a spinner forever. */
  g_object_get (store, "loaded", &loaded, NULL);
  g_assert_true (loaded);
  bh_ui_get (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, bh_ui_status_title_is, "Add a Developer App");

  /* The banner says what still works, with a Retry. */
  banner_label = bh_ui_wait_for (GTK_WIDGET (window), GTK_TYPE_LABEL, label_starts_with,
                                 "No keyring is available", 20);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (banner_label)), "Apps and accounts are listed"));
  bh_ui_wait (label_mapped, banner_label, 5);
  bh_ui_get (gtk_widget_get_parent (banner_label), GTK_TYPE_BUTTON, bh_ui_button_label_is, "_Retry");
  bh_ui_screenshot (GTK_WIDGET (window), "window-no-keyring.png");

  /* Retry asks again (a new load starts, and it ends), and the answer is
   * the same. */
  {
    guint loading_changes = 0;
    gulong id;

    bh_ui_wait (load_done, app, 20);
    id = g_signal_connect (app, "notify::loading", G_CALLBACK (count_cb), &loading_changes);
    bh_ui_click (bh_ui_get (gtk_widget_get_parent (banner_label), GTK_TYPE_BUTTON,
                            bh_ui_button_label_is, "_Retry"));
    g_assert_true (bh_application_get_loading (app));
    g_assert_cmpuint (loading_changes, ==, 1);
    bh_ui_wait (load_done, app, 20);
    g_assert_cmpuint (loading_changes, ==, 2);
    g_signal_handler_disconnect (app, id);
  }
  g_assert_cmpint (bh_store_get_keyring_status (store), ==, BH_KEYRING_STATUS_UNAVAILABLE);
  bh_ui_wait (label_mapped, banner_label, 5);

  /* Saving an App fails in words, in the dialog. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-app", NULL));
  dialog = GTK_WIDGET (bh_ui_find_toplevel (BH_TYPE_APP_DIALOG));
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (bh_ui_get (dialog, ADW_TYPE_ENTRY_ROW, bh_ui_row_title_is, "Name")), "MyBot");
  gtk_editable_set_text (GTK_EDITABLE (bh_ui_get (dialog, ADW_TYPE_ENTRY_ROW, bh_ui_row_title_is, "API Key")), "key");
  gtk_editable_set_text (GTK_EDITABLE (bh_ui_get (dialog, ADW_TYPE_ENTRY_ROW, bh_ui_row_title_is, "API Key Secret")), "not-really-a-secret");
  save = bh_ui_get (dialog, GTK_TYPE_BUTTON, bh_ui_button_label_is, "_Save");
  error_label = bh_ui_get (dialog, GTK_TYPE_LABEL, bh_ui_has_class, "error");
  g_assert_true (gtk_widget_get_sensitive (save));
  bh_ui_click (save);
  bh_ui_wait (error_shown, error_label, 30);
  g_assert_true (gtk_widget_get_sensitive (save));
  g_assert_null (bh_store_find_app (store, "MyBot"));
  g_test_message ("error shown: %s", gtk_label_get_text (GTK_LABEL (error_label)));
  bh_ui_screenshot (dialog, "app-dialog-no-keyring.png");

  gtk_window_destroy (GTK_WINDOW (dialog));
  bh_ui_stop_app (g_steal_pointer (&app));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/window/no-keyring", test_banner);

  return g_test_run ();
}
