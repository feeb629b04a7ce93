/* bh-app-row.c
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

#include "bh-app-row.h"

#include <glib/gi18n.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-health.h"

struct _BhAppRow
{
  GtkListBoxRow  parent_instance;

  BhApp         *app;

  /* Template widgets */
  GtkLabel      *title;
  GtkLabel      *subtitle;
  GtkImage      *attention;
};

G_DEFINE_FINAL_TYPE (BhAppRow, bh_app_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_APP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
bh_app_row_new (BhApp *app)
{
  g_return_val_if_fail (BH_IS_APP (app), NULL);

  return g_object_new (BH_TYPE_APP_ROW, "app", app, NULL);
}

BhApp *
bh_app_row_get_app (BhAppRow *self)
{
  g_return_val_if_fail (BH_IS_APP_ROW (self), NULL);

  return self->app;
}

static void
update_accessible (BhAppRow *self)
{
  g_autofree char *description = NULL;

  /* The name and host are not secrets; the row reads as "MyBot, api.x.com",
   * and says when a credential of the App needs attention. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->attention)))
    /* Translators: how a screen reader describes an App of the list with a problem; %s is its API host. */
    description = g_strdup_printf (_("%s. Needs attention: a credential stopped working"),
                                   bh_app_get_api_host (self->app));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, bh_app_get_name (self->app),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : bh_app_get_api_host (self->app),
                                  -1);
}

static void
update_attention (BhAppRow *self)
{
  gboolean attention = bh_app_needs_attention (self->app);

  if (attention == gtk_widget_get_visible (GTK_WIDGET (self->attention)))
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->attention), attention);
  update_accessible (self);
}

/* Each account's health and state count; an account is watched once. */
static void
accounts_changed_cb (BhAppRow   *self,
                     guint       position,
                     guint       removed,
                     guint       added,
                     GListModel *accounts)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (accounts, i);

      if (g_signal_handler_find (account, G_SIGNAL_MATCH_FUNC | G_SIGNAL_MATCH_DATA,
                                 0, 0, NULL, update_attention, self) != 0)
        continue;
      g_signal_connect_object (account, "notify::health", G_CALLBACK (update_attention), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (account, "notify::state", G_CALLBACK (update_attention), self, G_CONNECT_SWAPPED);
    }

  update_attention (self);
}

static void
bh_app_row_constructed (GObject *object)
{
  BhAppRow *self = BH_APP_ROW (object);

  G_OBJECT_CLASS (bh_app_row_parent_class)->constructed (object);

  g_object_bind_property (self->app, "name", self->title, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->app, "api-host", self->subtitle, "label", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->app, "notify::name", G_CALLBACK (update_accessible), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->app, "notify::api-host", G_CALLBACK (update_accessible), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->app, "notify::keys-health", G_CALLBACK (update_attention), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->app, "notify::bearer-health", G_CALLBACK (update_attention), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->app, "notify::has-bearer", G_CALLBACK (update_attention), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (bh_app_get_accounts (self->app), "items-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  accounts_changed_cb (self, 0, 0, g_list_model_get_n_items (bh_app_get_accounts (self->app)),
                       bh_app_get_accounts (self->app));
  update_accessible (self);
}

static void
bh_app_row_dispose (GObject *object)
{
  BhAppRow *self = BH_APP_ROW (object);

  g_clear_object (&self->app);

  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_APP_ROW);

  G_OBJECT_CLASS (bh_app_row_parent_class)->dispose (object);
}

static void
bh_app_row_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  BhAppRow *self = BH_APP_ROW (object);

  switch (prop_id)
    {
    case PROP_APP:
      g_value_set_object (value, self->app);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_app_row_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  BhAppRow *self = BH_APP_ROW (object);

  switch (prop_id)
    {
    case PROP_APP:
      self->app = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_app_row_class_init (BhAppRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bh_app_row_constructed;
  object_class->dispose = bh_app_row_dispose;
  object_class->get_property = bh_app_row_get_property;
  object_class->set_property = bh_app_row_set_property;

  properties[PROP_APP] =
    g_param_spec_object ("app", NULL, NULL,
                         BH_TYPE_APP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/birdhouse/Birdhouse/bh-app-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BhAppRow, title);
  gtk_widget_class_bind_template_child (widget_class, BhAppRow, subtitle);
  gtk_widget_class_bind_template_child (widget_class, BhAppRow, attention);
}

static void
bh_app_row_init (BhAppRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
