/* bh-script-group.c
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

#include "bh-script-group.h"

#include <glib/gi18n.h>

#include "bh-exec-line.h"

/* "Use in a Script": the `birdhouse exec` line for a credential, and the
 * one a script on the host runs when Birdhouse is a Flatpak, each with a
 * Copy button. They hold names only: the secrets stay in the keyring
 * until the command runs. */

struct _BhScriptGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwActionRow        *exec_row;
  AdwActionRow        *flatpak_row;
};

G_DEFINE_FINAL_TYPE (BhScriptGroup, bh_script_group, ADW_TYPE_PREFERENCES_GROUP)

static void
copy_subtitle (BhScriptGroup *self,
               AdwActionRow  *row)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  gdk_clipboard_set_text (clipboard, adw_action_row_get_subtitle (row));
}

static void
on_copy_exec_clicked (BhScriptGroup *self)
{
  copy_subtitle (self, self->exec_row);
}

static void
on_copy_flatpak_clicked (BhScriptGroup *self)
{
  copy_subtitle (self, self->flatpak_row);
}

static void
bh_script_group_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BH_TYPE_SCRIPT_GROUP);

  G_OBJECT_CLASS (bh_script_group_parent_class)->dispose (object);
}

static void
bh_script_group_class_init (BhScriptGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_script_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/birdhouse/Birdhouse/bh-script-group.ui");
  gtk_widget_class_bind_template_child (widget_class, BhScriptGroup, exec_row);
  gtk_widget_class_bind_template_child (widget_class, BhScriptGroup, flatpak_row);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_exec_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_flatpak_clicked);
}

static void
bh_script_group_init (BhScriptGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * bh_script_group_set_credential:
 * @self: a #BhScriptGroup
 * @app_name: the App's name
 * @screen_name: (nullable): one of its accounts
 *
 * Shows the command lines for @app_name and @screen_name.
 */
void
bh_script_group_set_credential (BhScriptGroup *self,
                                const char    *app_name,
                                const char    *screen_name)
{
  g_autofree char *exec_line = NULL;
  g_autofree char *flatpak_line = NULL;

  g_return_if_fail (BH_IS_SCRIPT_GROUP (self));

  exec_line = bh_exec_line (app_name, screen_name, NULL);
  flatpak_line = bh_exec_line (app_name, screen_name, APP_ID);
  adw_action_row_set_subtitle (self->exec_row, exec_line);
  adw_action_row_set_subtitle (self->flatpak_row, flatpak_line);
}
