/* bh-window.c
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

#include "bh-window.h"

struct _BhWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *empty_page;
};

G_DEFINE_FINAL_TYPE (BhWindow, bh_window, ADW_TYPE_APPLICATION_WINDOW)

BhWindow *
bh_window_new (BhApplication *application)
{
  return g_object_new (BH_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
new_app_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  BhWindow *self = BH_WINDOW (widget);

  /* The Add App dialog arrives with the store; until then say so. */
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Adding Apps is not available yet")));
}

static void
bh_window_constructed (GObject *object)
{
  BhWindow *self = BH_WINDOW (object);

  G_OBJECT_CLASS (bh_window_parent_class)->constructed (object);

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

static void
bh_window_dispose (GObject *object)
{
  BhWindow *self = BH_WINDOW (object);

  g_clear_object (&self->settings);

#if GTK_CHECK_VERSION (4, 8, 0)
  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_WINDOW);
#endif

  G_OBJECT_CLASS (bh_window_parent_class)->dispose (object);
}

static void
bh_window_class_init (BhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bh_window_constructed;
  object_class->dispose = bh_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/birdhouse/Birdhouse/bh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BhWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, empty_page);

  gtk_widget_class_install_action (widget_class, "win.new-app", NULL, new_app_action);
}

static void
bh_window_init (BhWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
