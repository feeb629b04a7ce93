/* test-languages.c
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

/* The window in one language (LC_ALL, from meson: one test per language in
 * po/LINGUAS): the catalog built from po/ is used, and the translated
 * window, App page and dialogs still fit a narrow screen (360 px, as the
 * English one does) and a laptop's. Screenshots in
 * $BH_SCREENSHOT_DIR/LANG-*.png are for a person to look at. */

#include "config.h"

#include <locale.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "bh-app-dialog.h"
#include "bh-fake-server.h"
#include "bh-store.h"
#include "bh-test-utils.h"
#include "bh-ui-test.h"

static const char *language;

/* The smallest width the content of @window can take (the window adds
 * its shadow and frame around it). */
static int
minimum_width (GtkWidget *window)
{
  int minimum = 0, natural = 0;

  gtk_widget_measure (gtk_window_get_child (GTK_WINDOW (window)), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, &natural, NULL, NULL);
  return minimum;
}

static void
screenshot (GtkWidget  *widget,
            const char *what)
{
  g_autofree char *name = g_strdup_printf ("%s-%s.png", language, what);

  bh_ui_screenshot (widget, name);
}

static void
test_window (void)
{
  BhWindow *window = NULL;
  BhApplication *app = bh_ui_start_app (&window);
  BhStore *store = bh_window_get_store (window);
  BhFakeServer *server = bh_fake_server_start ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhApp) bot = NULL;
  g_autoptr(BhAccount) account = NULL;
  const char *english = "Add a Developer App";
  const char *translated = _(english);
  GtkWidget *dialog;

  /* The catalog is there and used. */
  g_assert_cmpstr (translated, !=, english);
  bh_ui_get (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, bh_ui_status_title_is, translated);
  g_assert_cmpint (minimum_width (GTK_WIDGET (window)), <=, 360);
  screenshot (GTK_WIDGET (window), "empty");

  bh_store_add_app_async (store, "Newsroom Bot", BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                          bh_fake_server_get_url (server), NULL, bh_test_store_result, &result);
  bot = bh_store_add_app_finish (store, bh_test_wait_for_result (&result, 20), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  bh_store_save_account_async (store, bot, "1001", "alice", "Alice Example", "read-write",
                               "1001-fake-token-0123456789", "fake-token-secret-0123456789abcdef", NULL,
                               bh_test_store_result, &result);
  account = bh_store_save_account_finish (store, bh_test_wait_for_result (&result, 20), &error);
  g_assert_no_error (error);

  bh_window_select_app (window, bot);
  bh_ui_wait (bh_ui_widget_mapped, bh_ui_get_app_page (window), 5);
  bh_ui_get (GTK_WIDGET (bh_ui_get_app_page (window)), ADW_TYPE_ACTION_ROW, bh_ui_row_title_is, "@alice");
  /* Translations are often longer: nothing forces the window wider than
   * a narrow screen, where the list and the page show one at a time. */
  g_assert_cmpint (minimum_width (GTK_WIDGET (window)), <=, 360);
  screenshot (GTK_WIDGET (window), "app-page");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-app", NULL));
  dialog = GTK_WIDGET (bh_ui_find_toplevel (BH_TYPE_APP_DIALOG));
  g_assert_nonnull (dialog);
  bh_ui_wait (bh_ui_widget_mapped, dialog, 5);
  g_assert_cmpint (minimum_width (dialog), <=, 360);
  screenshot (dialog, "app-dialog");
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_clear_object (&account);
  g_clear_object (&bot);
  bh_ui_stop_app (app);
  bh_fake_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("BH_TEST_LOCALEDIR");

  /* gtk_test_init() keeps tests in the C locale; this one is about
   * another. */
  setlocale (LC_ALL, "");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  language = g_getenv ("BH_TEST_LANGUAGE");
  g_assert_nonnull (language);
  g_assert_nonnull (localedir);
  /* build-aux/setup.sh generates the locales; without one, gettext would
   * quietly show English. */
  if (setlocale (LC_MESSAGES, NULL) == NULL || g_str_has_prefix (setlocale (LC_MESSAGES, NULL), "C"))
    g_error ("The locale %s is not available; build-aux/setup.sh --tests generates it.",
             g_getenv ("LC_ALL"));
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/languages/window", test_window);

  return g_test_run ();
}
