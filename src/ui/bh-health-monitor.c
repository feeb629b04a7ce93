/* bh-health-monitor.c
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

#include "bh-health-monitor.h"

#include <glib/gi18n.h>

#include "bh-health.h"
#include "bh-store.h"
#include "bh-x-error.h"

/* The check waits this long after the window opens, so that it never
 * competes with the first frames and the keyring's first answers. */
#define OPENING_DELAY_SECONDS 2

struct _BhHealthMonitor
{
  GObject        parent_instance;

  GApplication  *application;   /* weak: it owns the monitor */
  BhStore       *store;
  GSettings     *settings;
  GCancellable  *cancellable;
  guint          timeout_id;
  gboolean       started;
  gboolean       running;
};

G_DEFINE_FINAL_TYPE (BhHealthMonitor, bh_health_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

enum {
  CHECKED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void schedule (BhHealthMonitor *self,
                      guint            seconds);

/* Seconds between two checks, 0 when they are off. */
static guint
interval_seconds (BhHealthMonitor *self)
{
  g_autofree char *interval = g_settings_get_string (self->settings, "health-check-interval");

  if (g_strcmp0 (interval, "hourly") == 0)
    return 60 * 60;
  if (g_strcmp0 (interval, "daily") == 0)
    return 24 * 60 * 60;

  return 0;
}

static void
set_running (BhHealthMonitor *self,
             gboolean         running)
{
  if (self->running == running)
    return;

  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* One notification per credential, replaced (not repeated) by its id. */
static void
notify_unhealthy (BhHealthMonitor *self,
                  BhHealthResult  *result)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;
  const char *app_name = bh_app_get_name (result->app);
  const char *user_id = result->account != NULL ? bh_account_get_user_id (result->account) : "";

  if (self->application == NULL)
    return;

  switch (result->kind)
    {
    case BH_CREDENTIAL_KIND_API_KEY_SECRET:
      /* Translators: %s is the App's name. */
      body = g_strdup_printf (_("X refused the API key and secret of “%s”. Enter the current secret from the developer portal."),
                              app_name);
      break;
    case BH_CREDENTIAL_KIND_BEARER_TOKEN:
      /* Translators: %s is the App's name. */
      body = g_strdup_printf (_("X refused the bearer token of “%s”. Generate a new one."), app_name);
      break;
    case BH_CREDENTIAL_KIND_CLIENT_SECRET:
      /* Translators: %s is the App's name. */
      body = g_strdup_printf (_("X refused the Client ID and Client Secret of “%s”. Enter the current Client Secret from the developer portal."),
                              app_name);
      break;
    case BH_CREDENTIAL_KIND_ACCOUNT_TOKENS:
    case BH_CREDENTIAL_KIND_OAUTH2_GRANT:
    default:
      body = result->state == BH_HEALTH_SECRET_MISSING
        /* Translators: the first %s is an account name without “@”, the second the App's name. */
        ? g_strdup_printf (_("The tokens of @%s (%s) are missing from the keyring. Authorize the account again."),
                           bh_account_get_screen_name (result->account), app_name)
        /* Translators: the first %s is an account name without “@”, the second the App's name. */
        : g_strdup_printf (_("X no longer accepts the tokens of @%s (%s). Authorize the account again."),
                           bh_account_get_screen_name (result->account), app_name);
      break;
    }

  notification = g_notification_new (_("A Credential Stopped Working"));
  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-account", "(ss)",
                                                bh_app_get_id (result->app), user_id);
  id = g_strdup_printf ("health-%s-%s-%s", bh_credential_kind_to_string (result->kind),
                        bh_app_get_id (result->app), user_id);
  g_application_send_notification (self->application, id, notification);
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BhHealthMonitor) self = user_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = bh_health_check_run_finish (BH_HEALTH_CHECK (object), result, &error);
  if (results == NULL && bh_error_is_cancelled (error))
    return;

  set_running (self, FALSE);
  if (results == NULL)
    g_debug ("The health check could not run: %s", error->message);
  else
    for (guint i = 0; i < results->len; i++)
      {
        BhHealthResult *health = g_ptr_array_index (results, i);

        if (health->became_unhealthy)
          notify_unhealthy (self, health);
      }

  g_signal_emit (self, signals[CHECKED], 0);
  schedule (self, interval_seconds (self));
}

/**
 * bh_health_monitor_check_now:
 *
 * Runs the check now, unless one is running; in the background.
 */
void
bh_health_monitor_check_now (BhHealthMonitor *self)
{
  g_autoptr(BhHealthCheck) check = NULL;

  g_return_if_fail (BH_IS_HEALTH_MONITOR (self));

  if (self->running)
    return;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  set_running (self, TRUE);
  check = bh_health_check_new (self->store, BH_HEALTH_BY_WINDOW);
  bh_health_check_run_async (check, self->cancellable, checked_cb, g_object_ref (self));
}

static gboolean
timeout_cb (gpointer user_data)
{
  BhHealthMonitor *self = user_data;
  gboolean loaded = FALSE;

  self->timeout_id = 0;
  g_object_get (self->store, "loaded", &loaded, NULL);
  if (!loaded)
    schedule (self, OPENING_DELAY_SECONDS);
  else if (bh_store_get_keyring_status (self->store) == BH_KEYRING_STATUS_LOCKED ||
           bh_store_get_keyring_status (self->store) == BH_KEYRING_STATUS_UNAVAILABLE)
    /* A check on its own never raises the keyring's unlock prompt: it
     * waits for the next time (Check Now may ask). */
    schedule (self, interval_seconds (self));
  else
    bh_health_monitor_check_now (self);

  return G_SOURCE_REMOVE;
}

static void
schedule (BhHealthMonitor *self,
          guint            seconds)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (seconds > 0 && interval_seconds (self) > 0)
    self->timeout_id = g_timeout_add_seconds (seconds, timeout_cb, self);
}

static void
interval_changed_cb (BhHealthMonitor *self)
{
  if (self->started && !self->running && !g_cancellable_is_cancelled (self->cancellable))
    schedule (self, interval_seconds (self));
}

/**
 * bh_health_monitor_start:
 *
 * The window opened: the first check runs shortly, then on the schedule.
 * With the checks off, nothing runs until they are turned on.
 */
void
bh_health_monitor_start (BhHealthMonitor *self)
{
  g_return_if_fail (BH_IS_HEALTH_MONITOR (self));

  if (self->started)
    return;

  self->started = TRUE;
  schedule (self, OPENING_DELAY_SECONDS);
}

/**
 * bh_health_monitor_stop:
 *
 * The application ends: the check in flight is cancelled (nothing of it
 * is recorded) and none is scheduled.
 */
void
bh_health_monitor_stop (BhHealthMonitor *self)
{
  g_return_if_fail (BH_IS_HEALTH_MONITOR (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->started = FALSE;
}

gboolean
bh_health_monitor_get_running (BhHealthMonitor *self)
{
  g_return_val_if_fail (BH_IS_HEALTH_MONITOR (self), FALSE);

  return self->running;
}

static void
bh_health_monitor_dispose (GObject *object)
{
  BhHealthMonitor *self = BH_HEALTH_MONITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bh_health_monitor_parent_class)->dispose (object);
}

static void
bh_health_monitor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BhHealthMonitor *self = BH_HEALTH_MONITOR (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_health_monitor_class_init (BhHealthMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bh_health_monitor_dispose;
  object_class->get_property = bh_health_monitor_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHECKED] = g_signal_new ("checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bh_health_monitor_init (BhHealthMonitor *self)
{
  self->cancellable = g_cancellable_new ();
}

BhHealthMonitor *
bh_health_monitor_new (GApplication *application,
                       BhStore      *store,
                       GSettings    *settings)
{
  BhHealthMonitor *self = g_object_new (BH_TYPE_HEALTH_MONITOR, NULL);

  g_set_weak_pointer (&self->application, application);
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  g_signal_connect_object (settings, "changed::health-check-interval",
                           G_CALLBACK (interval_changed_cb), self, G_CONNECT_SWAPPED);

  return self;
}
