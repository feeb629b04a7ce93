/* test-window-failures.c
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

/* The real main window when what it stands on fails: a records file
 * damaged before start (the window says so, naming the file and where the
 * damaged one was kept, and restores what the keyring holds), and a
 * locked keyring (a banner says what still works, everything recorded is
 * listed, an action that needs a secret ends in a sentence). */

#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "bh-app-page.h"
#include "bh-app-row.h"
#include "bh-secret.h"
#include "bh-store.h"
#include "bh-test-utils.h"
#include "bh-ui-test.h"

#define WAIT_SECONDS 20

/* Garbage with a NUL, invalid UTF-8 and a line GKeyFile cannot parse:
 * kept aside, it must come back byte for byte. */
static const char garbage[] = "[App 1\n\377\376name=\0half\nnot a key file at all\n";

static char *
records_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "birdhouse", "records.ini", NULL);
}

static BhStore *
load_store (void)
{
  g_autoptr(BhStore) store = bh_store_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bh_store_load_async (store, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  g_assert_true (bh_store_load_finish (store, result, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&store);
}

/* An App with one account, written through a store of the test's own
 * (the window under test starts later and reads them back). */
static void
record_app (const char *name)
{
  g_autoptr(BhStore) store = load_store ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhApp) app = NULL;
  g_autoptr(BhAccount) account = NULL;

  bh_store_add_app_async (store, name, "key-0123456789", "secret-0123456789abcdef",
                          NULL, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  app = bh_store_add_app_finish (store, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  bh_store_save_account_async (store, app, "1001", "alice", "Alice Example", "read-write",
                               "1001-token-0123456789", "token-secret-0123456789abcdef",
                               NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, WAIT_SECONDS);
  account = bh_store_save_account_finish (store, result, &error);
  g_assert_no_error (error);
}

static gboolean
app_listed (gpointer data)
{
  gpointer *args = data;

  return bh_store_find_app (args[0], args[1]) != NULL;
}

/* On screen: the window has one banner per page of its stack, and only
 * the page shown counts. */
static gboolean
shown_label_starts_with (GtkWidget     *widget,
                         gconstpointer  prefix)
{
  return g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix) &&
         gtk_widget_get_mapped (widget);
}

static gboolean
banner_shown (gpointer data)
{
  return bh_ui_find (data, GTK_TYPE_LABEL, shown_label_starts_with, "The keyring is locked") != NULL;
}

/* The one file kept aside next to @path. */
static char *
find_aside (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *prefix = g_strconcat (strrchr (path, '/') + 1, ".damaged-", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  char *found = NULL;
  const char *entry;

  g_assert_nonnull (d);
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      if (g_str_has_prefix (entry, prefix))
        {
          g_assert_null (found);
          found = g_build_filename (dir, entry, NULL);
        }
    }

  return found;
}

static void
test_damaged_records (void)
{
  g_autofree char *path = records_path ();
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  BhWindow *window = NULL;
  BhApplication *app;
  AdwMessageDialog *dialog;
  const char *body;
  gpointer args[2];
  gsize len = 0;

  /* An App whose secrets are in the keyring, then its records damaged. */
  record_app ("Damaged Bot");
  g_assert_true (g_file_set_contents (path, garbage, sizeof garbage - 1, NULL));

  app = bh_ui_start_app (&window);
  bh_ui_wait (bh_ui_message_dialog_shown, NULL, WAIT_SECONDS);
  dialog = ADW_MESSAGE_DIALOG (bh_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));

  /* It names the file, says it was kept and where. */
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Birdhouse Could Not Read Its Records");
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("damaged records: %s", body);
  aside = find_aside (path);
  g_assert_nonnull (aside);
  g_assert_nonnull (strstr (body, path));
  g_assert_nonnull (strstr (body, aside));
  g_assert_nonnull (strstr (body, "kept"));
  bh_ui_wait (bh_ui_widget_mapped, dialog, 5);
  bh_ui_screenshot (GTK_WIDGET (dialog), "failures-damaged-records.png");

  /* Byte for byte. */
  g_assert_true (g_file_get_contents (aside, &kept, &len, NULL));
  g_assert_cmpmem (kept, len, garbage, sizeof garbage - 1);

  /* The App comes back from the keyring, with its account. */
  args[0] = bh_window_get_store (window);
  args[1] = (gpointer) "Damaged Bot";
  bh_ui_wait (app_listed, args, WAIT_SECONDS);
  adw_message_dialog_response (dialog, "close");
  bh_ui_get (GTK_WIDGET (window), BH_TYPE_APP_ROW, NULL, NULL);
  bh_ui_wait (bh_ui_widget_mapped, bh_ui_get (GTK_WIDGET (window), ADW_TYPE_ACTION_ROW,
                                        bh_ui_row_title_is, "@alice"), 5);
  bh_ui_screenshot (GTK_WIDGET (window), "failures-damaged-restored.png");

  /* The kept copy is left alone by the rewrite. */
  g_clear_pointer (&kept, g_free);
  g_assert_true (g_file_get_contents (aside, &kept, &len, NULL));
  g_assert_cmpmem (kept, len, garbage, sizeof garbage - 1);

  bh_ui_stop_app (app);
}

/* A locked keyring ---------------------------------------------------------- */

/* libsecret 0.20.5 (Debian 12) sometimes emits this critical inside its
 * prompt code when gnome-keyring's prompter fails to start, as it does
 * here on purpose; it is not ours. Only that exact message is let
 * through (see test-store.c). */
static gboolean
allow_libsecret_prompt_critical (const char     *log_domain,
                                 GLogLevelFlags  log_level,
                                 const char     *message,
                                 gpointer        user_data)
{
  return !(g_strcmp0 (log_domain, "GLib-GIO") == 0 &&
           strstr (message, "g_task_return_error: assertion 'error != NULL' failed") != NULL);
}

static gboolean
keyring_locked (gpointer data)
{
  return bh_store_get_keyring_status (data) == BH_KEYRING_STATUS_LOCKED;
}

typedef struct
{
  BhAppPage *page;
  GtkWidget *button;
} SecretWait;

/* The lookup is over: the copy button is back, or a dialog says why. */
static gboolean
secret_lookup_over (gpointer data)
{
  SecretWait *wait = data;

  return bh_ui_message_dialog_shown (NULL) ||
         (gtk_widget_get_sensitive (wait->button) &&
          gdk_clipboard_get_content (gtk_widget_get_clipboard (wait->button)) != NULL);
}

static void
test_locked_keyring (void)
{
  BhWindow *window = NULL;
  BhApplication *app;
  BhStore *store;
  GtkWidget *banner_label;
  GtkWidget *page;
  GtkWidget *copy_secret;
  AdwMessageDialog *dialog;
  SecretWait wait;
  gboolean loaded = FALSE;

  g_test_log_set_fatal_handler (allow_libsecret_prompt_critical, NULL);
  /* GTest reports a fatal message as "Bail out!" even when the handler
   * lets it through, so criticals must not be fatal at all here;
   * warnings (ours included) still are. */
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_WARNING);
  g_log_set_fatal_mask ("GLib-GIO", G_LOG_LEVEL_ERROR | G_LOG_LEVEL_WARNING);

  record_app ("Locked Bot");
  bh_test_lock_keyring ();

  app = bh_ui_start_app (&window);
  store = bh_window_get_store (window);
  bh_ui_wait (keyring_locked, store, WAIT_SECONDS);
  g_object_get (store, "loaded", &loaded, NULL);
  g_assert_true (loaded);

  /* The banner says the keyring is locked and what still works. */
  bh_ui_wait (banner_shown, window, 5);
  banner_label = bh_ui_get (GTK_WIDGET (window), GTK_TYPE_LABEL, shown_label_starts_with, "The keyring is locked");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (banner_label)), "Apps and accounts are listed"));
  bh_ui_get (gtk_widget_get_parent (banner_label), GTK_TYPE_BUTTON, bh_ui_button_label_is, "_Retry");

  /* Everything recorded is listed, nothing marked missing. */
  g_assert_nonnull (bh_store_find_app (store, "Damaged Bot"));
  g_assert_nonnull (bh_store_find_app (store, "Locked Bot"));
  bh_window_select_app (window, bh_store_find_app (store, "Locked Bot"));
  page = bh_ui_get (GTK_WIDGET (window), BH_TYPE_APP_PAGE, NULL, NULL);
  g_assert_cmpstr (bh_app_get_name (bh_app_page_get_app (BH_APP_PAGE (page))), ==, "Locked Bot");
  bh_ui_wait (bh_ui_widget_mapped, bh_ui_get (page, ADW_TYPE_ACTION_ROW, bh_ui_row_title_is, "@alice"), 5);
  g_assert_null (bh_ui_find (page, GTK_TYPE_LABEL, bh_ui_label_is, "Tokens missing"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (bh_ui_get (page, ADW_TYPE_ACTION_ROW,
                                                                          bh_ui_row_title_is,
                                                                          "API Key Secret"))),
                   !=, "Missing from the keyring");
  /* Storing new tokens needs the keyring: not offered. */
  g_assert_false (gtk_widget_get_sensitive (bh_ui_get (page, GTK_TYPE_BUTTON, bh_ui_button_label_is,
                                                       "_Authorize Account…")));
  bh_ui_screenshot (GTK_WIDGET (window), "failures-locked.png");

  /* Copying the API key secret needs the keyring: a sentence, not a
   * hang and not a secret. */
  copy_secret = bh_ui_get (page, GTK_TYPE_BUTTON, bh_ui_tooltip_is, "Copy API Key Secret");
  gdk_clipboard_set_content (gtk_widget_get_clipboard (copy_secret), NULL);
  bh_ui_click (copy_secret);
  wait.page = BH_APP_PAGE (page);
  wait.button = copy_secret;
  bh_ui_wait (secret_lookup_over, &wait, WAIT_SECONDS);
  g_assert_null (gdk_clipboard_get_content (gtk_widget_get_clipboard (copy_secret)));
  dialog = ADW_MESSAGE_DIALOG (bh_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The API Key Secret Could Not Be Read");
  g_test_message ("locked: %s", adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "locked"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Unlock it"));
  bh_ui_wait (bh_ui_widget_mapped, dialog, 5);
  bh_ui_screenshot (GTK_WIDGET (dialog), "failures-locked-copy.png");
  adw_message_dialog_response (dialog, "close");

  /* And the button works again afterwards. */
  bh_ui_spin (200);
  g_assert_true (gtk_widget_get_sensitive (copy_secret));
  g_assert_cmpint (bh_store_get_keyring_status (store), ==, BH_KEYRING_STATUS_LOCKED);

  bh_ui_stop_app (app);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/window-failures/damaged-records", test_damaged_records);
  /* Last: it leaves the keyring locked. */
  if (!bh_test_file_backend ())
    g_test_add_func ("/window-failures/zz-locked-keyring", test_locked_keyring);
  else
    g_test_add_data_func ("/window-failures/zz-locked-keyring", BH_TEST_FILE_BACKEND_NO_LOCK, bh_test_skip);

  return g_test_run ();
}
