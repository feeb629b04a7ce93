/* bh-preferences-window.c
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

#include "bh-preferences-window.h"

#include "bh-credential-age.h"
#include "bh-x-client.h"

struct _BhPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkSpinButton        *timeout_spin;
  AdwEntryRow          *host_row;
  GtkLabel             *host_error;
  AdwComboRow          *reminder_row;
};

/* The reminder's choices, in the order of the row's list; the setting
 * takes any number of days, the row shows the nearest choice. */
static const guint reminder_days[] = { 0, 30, 90, 180 };

G_DEFINE_FINAL_TYPE (BhPreferencesWindow, bh_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

GtkWidget *
bh_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (BH_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
}

static gboolean
check_host (BhPreferencesWindow *self)
{
  const char *host = gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = bh_x_check_url (host, &error);

  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->host_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->host_row), "error");

  gtk_label_set_label (self->host_error, ok ? "" : error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->host_error), !ok);

  return ok;
}

static void
host_changed_cb (BhPreferencesWindow *self)
{
  check_host (self);
}

static void
host_apply_cb (BhPreferencesWindow *self)
{
  /* Only a host that works is stored: every new App starts from it. */
  if (check_host (self))
    g_settings_set_string (self->settings, "default-api-host",
                           gtk_editable_get_text (GTK_EDITABLE (self->host_row)));
}

static gboolean
reminder_to_row (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  guint days = g_variant_get_uint32 (variant);
  guint best = 0;

  for (guint i = 1; i < G_N_ELEMENTS (reminder_days); i++)
    if (days != 0 && (best == 0 || ABS ((int) reminder_days[i] - (int) days) < ABS ((int) reminder_days[best] - (int) days)))
      best = i;

  g_value_set_uint (value, best);
  return TRUE;
}

static GVariant *
row_to_reminder (const GValue       *value,
                 const GVariantType *type,
                 gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return g_variant_new_uint32 (reminder_days[MIN (i, G_N_ELEMENTS (reminder_days) - 1)]);
}

static void
bh_preferences_window_dispose (GObject *object)
{
  BhPreferencesWindow *self = BH_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bh_preferences_window_parent_class)->dispose (object);
}

static void
bh_preferences_window_class_init (BhPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/birdhouse/Birdhouse/bh-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BhPreferencesWindow, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, BhPreferencesWindow, host_row);
  gtk_widget_class_bind_template_child (widget_class, BhPreferencesWindow, host_error);
  gtk_widget_class_bind_template_child (widget_class, BhPreferencesWindow, reminder_row);
  gtk_widget_class_bind_template_callback (widget_class, host_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, host_apply_cb);
}

static void
bh_preferences_window_init (BhPreferencesWindow *self)
{
  g_autofree char *host = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "clipboard-clear-timeout",
                   gtk_spin_button_get_adjustment (self->timeout_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);

  g_settings_bind_with_mapping (self->settings, BH_ROTATION_REMINDER_KEY,
                                self->reminder_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                reminder_to_row, row_to_reminder, NULL, NULL);

  host = g_settings_get_string (self->settings, "default-api-host");
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), host);
  check_host (self);
}
