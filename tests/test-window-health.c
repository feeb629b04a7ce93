/* test-window-health.c
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

/* The window's health check against the fake X server: it runs when the
 * window opens, a credential that became unhealthy raises one desktop
 * notification (seen by a notification server of this test on the
 * private session bus), the App list shows a badge, and the
 * notification's action opens the account. */

#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "bh-account-dialog.h"
#include "bh-fake-server.h"
#include "bh-health-monitor.h"
#include "bh-preferences-window.h"
#include "bh-store.h"
#include "bh-test-utils.h"
#include "bh-ui-test.h"

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

/* What the desktop was told. */
static guint notified;
static char *last_summary;
static char *last_body;
static gboolean name_acquired;

static void
notifications_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      const char *summary, *body;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 4, "&s", &body);
      g_free (last_summary);
      g_free (last_body);
      last_summary = g_strdup (summary);
      last_body = g_strdup (body);
      notified++;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notified));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "birdhouse", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable notifications_vtable = { notifications_call, NULL, NULL, { 0 } };

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  name_acquired = TRUE;
}

static guint
serve_notifications (void)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GError) error = NULL;
  guint owner;

  g_assert_nonnull (bus);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &notifications_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                        name_acquired_cb, NULL, NULL, NULL);
  bh_test_wait_for_flag (&name_acquired, 10);

  return owner;
}

typedef struct
{
  guint checked;
  guint want;
} Watch;

static void
checked_cb (BhHealthMonitor *monitor,
            Watch           *watch)
{
  watch->checked++;
}

static gboolean
enough_checks (gpointer data)
{
  Watch *watch = data;

  return watch->checked >= watch->want;
}

static void
wait_checked (Watch *watch,
              guint  n)
{
  watch->want = n;
  bh_ui_wait (enough_checks, watch, 30);
}

static gboolean
notified_once (gpointer data)
{
  return notified >= 1;
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
test_notify_once_and_badge (void)
{
  g_autoptr(BhFakeServer) server = bh_fake_server_start ();
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhApp) app = NULL;
  g_autoptr(BhAccount) account = NULL;
  BhWindow *window = NULL;
  g_autoptr(BhApplication) application = NULL;
  BhHealthMonitor *monitor;
  BhStore *store;
  GtkWidget *badge;
  Watch watch = { 0 };
  guint owner;

  owner = serve_notifications ();
  g_settings_set_string (settings, "health-check-interval", "hourly");
  application = bh_ui_start_app (&window);
  store = bh_window_get_store (window);
  monitor = bh_application_get_health_monitor (application);
  g_signal_connect (monitor, "checked", G_CALLBACK (checked_cb), &watch);

  /* The check runs on its own once the window is open. */
  wait_checked (&watch, 1);
  g_assert_cmpuint (notified, ==, 0);

  bh_store_add_app_async (store, "Watched", BH_FAKE_CONSUMER_KEY, BH_FAKE_CONSUMER_SECRET,
                          bh_fake_server_get_url (server), NULL, bh_test_store_result, &result);
  app = bh_store_add_app_finish (store, bh_test_wait_for_result (&result, 20), &error);
  g_assert_no_error (error);
  g_object_ref (app);
  g_clear_object (&result);
  /* Tokens X never issued (or revoked long ago). */
  bh_store_save_account_async (store, app, "1001", "alice", "Alice Example", "read-write",
                               "1001-NotATokenXIssued0123456789abcdefghijkl",
                               "NotASecretXIssued0123456789abcdefghijklmnopq",
                               NULL, bh_test_store_result, &result);
  account = bh_store_save_account_finish (store, bh_test_wait_for_result (&result, 20), &error);
  g_assert_no_error (error);
  g_object_ref (account);
  g_clear_object (&result);

  g_action_group_activate_action (G_ACTION_GROUP (application), "check-health", NULL);
  wait_checked (&watch, 2);
  bh_ui_wait (notified_once, NULL, 20);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (last_summary, ==, "A Credential Stopped Working");
  g_assert_nonnull (strstr (last_body, "@alice"));
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_NEEDS_REAUTH);
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (app)), ==, 1);

  /* The App list says it, to eyes and to screen readers. */
  badge = bh_ui_get (GTK_WIDGET (window), GTK_TYPE_IMAGE, bh_ui_accessible_label_is, "Needs attention");
  bh_ui_wait (widget_visible, badge, 10);
  bh_ui_screenshot (GTK_WIDGET (window), "window-health-badge.png");

  /* Once, not at every check. */
  g_action_group_activate_action (G_ACTION_GROUP (application), "check-health", NULL);
  wait_checked (&watch, 3);
  bh_ui_spin (500);
  g_assert_cmpuint (notified, ==, 1);

  /* The notification's action opens the account. */
  g_action_group_activate_action (G_ACTION_GROUP (application), "show-account",
                                  g_variant_new ("(ss)", bh_app_get_id (app), "1001"));
  bh_ui_spin (200);
  g_assert_nonnull (bh_ui_find_toplevel (BH_TYPE_ACCOUNT_DIALOG));

  /* Preferences show the schedule chosen. */
  {
    g_autofree char *interval = NULL;
    GtkWindow *preferences;
    GtkWidget *row;

    g_action_group_activate_action (G_ACTION_GROUP (application), "preferences", NULL);
    bh_ui_spin (200);
    preferences = bh_ui_find_toplevel (BH_TYPE_PREFERENCES_WINDOW);
    g_assert_nonnull (preferences);
    row = bh_ui_get (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW, bh_ui_row_title_is,
                     "Check Credentials Automatically");
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 2);
    bh_ui_screenshot (GTK_WIDGET (preferences), "preferences-health.png");
    adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
    interval = g_settings_get_string (settings, "health-check-interval");
    g_assert_cmpstr (interval, ==, "off");
    gtk_window_destroy (preferences);
  }

  /* The debug log says what was checked, and holds no secret. */
  {
    g_autofree char *logs = bh_test_take_logs ();

    g_assert_nonnull (strstr (logs, "Health: account of App"));
    g_assert_null (strstr (logs, "NotASecretXIssued"));
    g_assert_null (strstr (logs, "NotATokenXIssued"));
    bh_fake_server_assert_no_secret_in (server, logs);
  }

  g_settings_reset (settings, "health-check-interval");
  bh_ui_stop_app (g_steal_pointer (&application));
  g_bus_unown_name (owner);
}

int
main (int   argc,
      char *argv[])
{
  bh_test_capture_logs ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/window-health/notify-once-and-badge", test_notify_once_and_badge);

  return g_test_run ();
}
