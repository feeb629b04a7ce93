/* bh-account-oauth2-group.c
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

#include "bh-account-oauth2-group.h"

#include <glib/gi18n.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-clipboard.h"
#include "bh-oauth2-format.h"
#include "bh-oauth2-token.h"
#include "bh-secret.h"
#include "bh-weak-ref.h"
#include "bh-window.h"
#include "bh-x-error.h"

struct _BhAccountOAuth2Group
{
  AdwPreferencesGroup parent_instance;

  BhStore      *store;
  BhAccount    *account;
  /* Copy in flight; cancelled with Cancel or when the group goes. */
  GCancellable *cancellable;
  guint         tick;

  /* Template children */
  AdwActionRow *method_row;
  AdwActionRow *scopes_row;
  AdwActionRow *token_row;
  GtkSpinner   *copy_spinner;
  GtkButton    *copy_button;
  GtkButton    *cancel_copy_button;
};

G_DEFINE_FINAL_TYPE (BhAccountOAuth2Group, bh_account_oauth2_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sync_rows (BhAccountOAuth2Group *self)
{
  BhAccount *account = self->account;
  gboolean oauth2, needs_reauth, busy = self->cancellable != NULL;
  g_autofree char *renewal = NULL;
  const char *scopes;

  if (account == NULL)
    return;

  oauth2 = bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH2);
  needs_reauth = bh_account_get_state (account) == BH_ACCOUNT_STATE_NEEDS_REAUTH;
  scopes = bh_account_get_oauth2_scopes (account);
  renewal = bh_format_renewal (account, g_get_real_time () / G_USEC_PER_SEC);

  adw_action_row_set_subtitle (self->method_row,
                               bh_format_credentials (bh_account_get_credentials (account)));
  gtk_widget_set_visible (GTK_WIDGET (self->scopes_row), oauth2);
  adw_action_row_set_subtitle (self->scopes_row,
                               /* Translators: the account's OAuth 2.0 scopes are not known. */
                               scopes != NULL ? scopes : C_("scopes", "Unknown"));
  gtk_widget_set_visible (GTK_WIDGET (self->token_row), oauth2);
  adw_action_row_set_subtitle (self->token_row,
                               needs_reauth ? _("X refused to renew it")
                               : renewal != NULL ? renewal : _("Kept in the keyring"));

  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), !busy && !needs_reauth);
  gtk_widget_set_visible (GTK_WIDGET (self->copy_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_copy_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->copy_spinner), busy);
  gtk_spinner_set_spinning (self->copy_spinner, busy);
}

static gboolean
tick_cb (gpointer user_data)
{
  sync_rows (user_data);
  return G_SOURCE_CONTINUE;
}

static void
set_busy (BhAccountOAuth2Group *self,
          GCancellable         *cancellable)
{
  g_clear_object (&self->cancellable);
  self->cancellable = cancellable;
  sync_rows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BhAccountOAuth2Group) self = bh_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) token = NULL;

  token = bh_oauth2_token_finish (BH_STORE (source), result, &error);

  /* Gone meanwhile: the token is wiped on the way out. */
  if (self == NULL || self->account == NULL)
    return;

  set_busy (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->copy_button));

  if (token == NULL)
    {
      /* A refused refresh already marked the account: Authorize Again
       * shows. */
      if (!bh_error_is_cancelled (error))
        bh_window_show_error (GTK_WIDGET (self), _("Could Not Get the Access Token"), error);
      return;
    }

  bh_clipboard_copy_secret (GTK_WIDGET (self), token, _("OAuth 2.0 access token copied."));
}

static void
on_copy_clicked (BhAccountOAuth2Group *self)
{
  if (self->cancellable != NULL || self->account == NULL)
    return;

  set_busy (self, g_cancellable_new ());
  gtk_widget_grab_focus (GTK_WIDGET (self->cancel_copy_button));
  /* Refreshed first when it expires within a minute, as for scripts. */
  bh_oauth2_token_async (self->store, self->account, FALSE, self->cancellable,
                         token_cb, bh_weak_ref_new (self));
}

static void
on_cancel_copy_clicked (BhAccountOAuth2Group *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

void
bh_account_oauth2_group_set_account (BhAccountOAuth2Group *self,
                                     BhStore              *store,
                                     BhAccount            *account)
{
  g_return_if_fail (BH_IS_ACCOUNT_OAUTH2_GROUP (self));
  g_return_if_fail (BH_IS_STORE (store));
  g_return_if_fail (BH_IS_ACCOUNT (account));

  g_set_object (&self->store, store);
  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_set_object (&self->account, account);
  g_signal_connect_object (account, "notify", G_CALLBACK (sync_rows), self, G_CONNECT_SWAPPED);
  sync_rows (self);
}

gboolean
bh_account_oauth2_group_get_busy (BhAccountOAuth2Group *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT_OAUTH2_GROUP (self), FALSE);

  return self->cancellable != NULL;
}

static void
bh_account_oauth2_group_map (GtkWidget *widget)
{
  BhAccountOAuth2Group *self = BH_ACCOUNT_OAUTH2_GROUP (widget);

  GTK_WIDGET_CLASS (bh_account_oauth2_group_parent_class)->map (widget);

  /* "Renews in …" counts down while it shows. */
  if (self->tick == 0)
    self->tick = g_timeout_add_seconds (30, tick_cb, self);
  sync_rows (self);
}

static void
bh_account_oauth2_group_unmap (GtkWidget *widget)
{
  BhAccountOAuth2Group *self = BH_ACCOUNT_OAUTH2_GROUP (widget);

  g_clear_handle_id (&self->tick, g_source_remove);

  GTK_WIDGET_CLASS (bh_account_oauth2_group_parent_class)->unmap (widget);
}

static void
bh_account_oauth2_group_dispose (GObject *object)
{
  BhAccountOAuth2Group *self = BH_ACCOUNT_OAUTH2_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick, g_source_remove);
  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
  g_clear_object (&self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_ACCOUNT_OAUTH2_GROUP);

  G_OBJECT_CLASS (bh_account_oauth2_group_parent_class)->dispose (object);
}

static void
bh_account_oauth2_group_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BhAccountOAuth2Group *self = BH_ACCOUNT_OAUTH2_GROUP (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_account_oauth2_group_class_init (BhAccountOAuth2GroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_account_oauth2_group_dispose;
  object_class->get_property = bh_account_oauth2_group_get_property;
  widget_class->map = bh_account_oauth2_group_map;
  widget_class->unmap = bh_account_oauth2_group_unmap;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/birdhouse/Birdhouse/bh-account-oauth2-group.ui");
  gtk_widget_class_bind_template_child (widget_class, BhAccountOAuth2Group, method_row);
  gtk_widget_class_bind_template_child (widget_class, BhAccountOAuth2Group, scopes_row);
  gtk_widget_class_bind_template_child (widget_class, BhAccountOAuth2Group, token_row);
  gtk_widget_class_bind_template_child (widget_class, BhAccountOAuth2Group, copy_spinner);
  gtk_widget_class_bind_template_child (widget_class, BhAccountOAuth2Group, copy_button);
  gtk_widget_class_bind_template_child (widget_class, BhAccountOAuth2Group, cancel_copy_button);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_copy_clicked);
}

static void
bh_account_oauth2_group_init (BhAccountOAuth2Group *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
