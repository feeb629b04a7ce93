/* bh-application.c
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

#include <glib/gi18n.h>

#include "bh-application.h"
#include "bh-preferences-window.h"
#include "bh-startup-probe.h"
#include "bh-account-dialog.h"
#include "bh-health-monitor.h"
#include "bh-store.h"
#include "bh-x-error.h"
#include "bh-window.h"

struct _BhApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  BhStore        *store;
  BhHealthMonitor *health_monitor;
  GCancellable   *cancellable;
  gboolean        loading;

  /* The first window, until it is presented (see activate). */
  GtkWindow      *unpresented;
  gulong          loaded_id;
  guint           present_id;
};

/* How long the first window waits for the records before it shows. */
#define PRESENT_WAIT_MS 300

G_DEFINE_FINAL_TYPE (BhApplication, bh_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

BhApplication *
bh_application_new (void)
{
  return g_object_new (BH_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/birdhouse/Birdhouse",
                       NULL);
}

GSettings *
bh_application_get_settings (BhApplication *self)
{
  g_return_val_if_fail (BH_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * bh_application_get_store:
 *
 * Returns: (transfer none): the one store of the application, created at
 *   startup and loaded in the background
 */
BhStore *
bh_application_get_store (BhApplication *self)
{
  g_return_val_if_fail (BH_IS_APPLICATION (self), NULL);

  return self->store;
}

/**
 * bh_application_get_health_monitor:
 *
 * Returns: (transfer none) (nullable): what runs the health check for the
 *   window (NULL before startup and after shutdown)
 */
BhHealthMonitor *
bh_application_get_health_monitor (BhApplication *self)
{
  g_return_val_if_fail (BH_IS_APPLICATION (self), NULL);

  return self->health_monitor;
}

/**
 * bh_application_get_loading:
 *
 * Returns: %TRUE while the store reads the records and asks the keyring
 *   (at startup, and again on each reload)
 */
gboolean
bh_application_get_loading (BhApplication *self)
{
  g_return_val_if_fail (BH_IS_APPLICATION (self), FALSE);

  return self->loading;
}

static void
set_loading (BhApplication *self,
             gboolean       loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BhApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  set_loading (self, FALSE);

  if (bh_store_load_finish (BH_STORE (object), result, &error))
    return;

  if (bh_error_is_cancelled (error))
    return;

  g_debug ("Loading the store failed: %s", error->message);

  /* The window is up by now (loading never blocks it); a damaged records
   * file needs the user to know, the rest goes in a toast. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (BH_IS_WINDOW (l->data))
        {
          bh_window_show_load_error (BH_WINDOW (l->data), error);
          break;
        }
    }
}

/**
 * bh_application_reload_store:
 *
 * Reads the records again and asks the keyring again (the Retry of the
 * keyring banner). Does nothing while a load is in flight.
 */
void
bh_application_reload_store (BhApplication *self)
{
  g_return_if_fail (BH_IS_APPLICATION (self));

  if (self->loading)
    return;

  set_loading (self, TRUE);
  bh_store_load_async (self->store, self->cancellable, load_cb, g_object_ref (self));
}

static BhWindow *
get_main_window (BhApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (BH_IS_WINDOW (window))
    return BH_WINDOW (window);

  return NULL;
}

static void
present_unpresented (BhApplication *self)
{
  g_clear_signal_handler (&self->loaded_id, self->store);
  g_clear_handle_id (&self->present_id, g_source_remove);

  if (self->unpresented != NULL)
    {
      GtkWindow *window = self->unpresented;

      g_clear_weak_pointer (&self->unpresented);
      gtk_window_present (window);
    }
}

static gboolean
present_timeout_cb (gpointer user_data)
{
  BhApplication *self = user_data;

  self->present_id = 0;
  present_unpresented (self);

  return G_SOURCE_REMOVE;
}

static gboolean
store_loaded (BhStore *store)
{
  gboolean loaded = FALSE;

  g_object_get (store, "loaded", &loaded, NULL);
  return loaded;
}

static BhWindow *
new_main_window (BhApplication *self)
{
  BhWindow *window = bh_window_new (self);

  bh_startup_probe_watch (GTK_WINDOW (window), self->store);
  /* The window opened: the health check runs shortly, in the background. */
  bh_health_monitor_start (self->health_monitor);
  return window;
}

static void
bh_application_activate (GApplication *app)
{
  BhApplication *self = BH_APPLICATION (app);
  BhWindow *window = get_main_window (self);

  if (self->unpresented != NULL)
    return;

  if (window != NULL || store_loaded (self->store))
    {
      if (window == NULL)
        window = new_main_window (self);
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  /* The records are being read in a thread, started at startup; they are
   * usually there a few milliseconds later. The first window shows once
   * they are, so that its first frame has the Apps, rather than a loading
   * page replaced (and laid out again) right after. A slow disk gets the
   * loading page after PRESENT_WAIT_MS. */
  g_set_weak_pointer (&self->unpresented, GTK_WINDOW (new_main_window (self)));
  self->loaded_id = g_signal_connect_swapped (self->store, "notify::loaded",
                                              G_CALLBACK (present_unpresented), self);
  self->present_id = g_timeout_add (PRESENT_WAIT_MS, present_timeout_cb, self);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  BhApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows first lets each cancel its work in flight. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  BhApplication *self = user_data;
  static const char *developers[] = { "The Birdhouse authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-name", _("Birdhouse"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Birdhouse authors"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/birdhouse/birdhouse",
                        "issue-url", "https://github.com/birdhouse/birdhouse/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Birdhouse authors",
                        "developers", developers,
                        /* Translators: Replace "translator-credits" with your name/username, and optionally an email or URL. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BhApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *preferences = bh_preferences_window_new (parent);

  gtk_window_present (GTK_WINDOW (preferences));
}

/* The shortcuts window is built the first time it is asked for, not with
 * the window: GTK would build gtk/help-overlay.ui for each new window,
 * before its first frame (about 3% of the start-up time). */
static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  BhApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (!GTK_IS_APPLICATION_WINDOW (window))
    return;

  if (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/birdhouse/Birdhouse/bh-shortcuts-window.ui");

      gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (window),
                                               GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
    }

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
check_health_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  BhApplication *self = user_data;

  bh_health_monitor_check_now (self->health_monitor);
}

/* A notification's action: the App's page, and the account's details
 * when the credential is an account's. */
static void
show_account_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  BhApplication *self = user_data;
  const char *app_id, *user_id;
  BhAccount *account;
  BhWindow *window;
  BhApp *app;

  g_variant_get (parameter, "(&s&s)", &app_id, &user_id);
  g_application_activate (G_APPLICATION (self));

  window = get_main_window (self);
  app = bh_store_find_app (self->store, app_id);
  if (window == NULL || app == NULL)
    return;

  bh_window_select_app (window, app);
  if (*user_id != '\0' && (account = bh_app_find_account (app, user_id)) != NULL)
    gtk_window_present (GTK_WINDOW (bh_account_dialog_new (GTK_WINDOW (window), self->store, account)));
}

static const GActionEntry app_actions[] = {
  { .name = "check-health", .activate = check_health_action },
  { .name = "show-account", .activate = show_account_action, .parameter_type = "(ss)" },
  { .name = "quit", .activate = quit_action },
  { .name = "about", .activate = about_action },
  { .name = "preferences", .activate = preferences_action },
  { .name = "shortcuts", .activate = shortcuts_action },
};

static void
bh_application_startup (GApplication *app)
{
  BhApplication *self = BH_APPLICATION (app);

  G_APPLICATION_CLASS (bh_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.shortcuts",
                                         (const char *[]) { "<Control>question", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-app",
                                         (const char *[]) { "<Control>n", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close",
                                         (const char *[]) { "<Control>w", NULL });

  /* The window comes up at once with whatever the records file lists; the
   * keyring is asked in the background. */
  self->store = bh_store_new (NULL);
  self->health_monitor = bh_health_monitor_new (G_APPLICATION (self), self->store, self->settings);
  bh_application_reload_store (self);
}

static void
bh_application_shutdown (GApplication *app)
{
  BhApplication *self = BH_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  if (self->health_monitor != NULL)
    bh_health_monitor_stop (self->health_monitor);
  g_clear_object (&self->health_monitor);

  G_APPLICATION_CLASS (bh_application_parent_class)->shutdown (app);
}

static void
bh_application_dispose (GObject *object)
{
  BhApplication *self = BH_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    g_clear_signal_handler (&self->loaded_id, self->store);
  g_clear_handle_id (&self->present_id, g_source_remove);
  g_clear_weak_pointer (&self->unpresented);
  g_clear_object (&self->health_monitor);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bh_application_parent_class)->dispose (object);
}

static void
bh_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BhApplication *self = BH_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_application_class_init (BhApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = bh_application_dispose;
  object_class->get_property = bh_application_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  app_class->activate = bh_application_activate;
  app_class->startup = bh_application_startup;
  app_class->shutdown = bh_application_shutdown;
}

static void
bh_application_init (BhApplication *self)
{
  self->settings = g_settings_new (APP_ID);
  self->cancellable = g_cancellable_new ();
}
