/* bh-account-row.c
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

#include "bh-account-row.h"
#include "bh-age.h"

#include "bh-app-page.h"
#include "bh-oauth2-format.h"

struct _BhAccountRow
{
  AdwActionRow  parent_instance;

  BhAccount    *account;

  /* Template widgets */
  AdwAvatar    *avatar;
  GtkLabel     *badge;
  GtkLabel     *method_badge;
  GtkLabel     *state_label;
};

G_DEFINE_FINAL_TYPE (BhAccountRow, bh_account_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
bh_account_row_new (BhAccount *account)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (account), NULL);

  return g_object_new (BH_TYPE_ACCOUNT_ROW, "account", account, NULL);
}

BhAccount *
bh_account_row_get_account (BhAccountRow *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT_ROW (self), NULL);

  return self->account;
}

void
bh_account_row_refresh_verified (BhAccountRow *self)
{
  const char *name;
  g_autofree char *verified = NULL;
  g_autofree char *renewal = NULL;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (BH_IS_ACCOUNT_ROW (self));

  if (self->account == NULL)
    return;

  name = bh_account_get_name (self->account);
  verified = bh_format_verified (bh_account_get_verified_at (self->account));
  /* Called every minute by the page: the renewal counts down with it. */
  renewal = bh_format_renewal (self->account, g_get_real_time () / G_USEC_PER_SEC);

  if (renewal != NULL)
    {
      g_autofree char *lines = g_strdup_printf ("%s\n%s", verified, renewal);

      g_free (verified);
      verified = g_steal_pointer (&lines);
    }

  if (name != NULL && *name != '\0')
    subtitle = g_strdup_printf ("%s\n%s", name, verified);
  else
    subtitle = g_steal_pointer (&verified);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
}

/* The whole handle, and what the last health check found, when and from
 * where (the window or `birdhouse check`). */
static void
update_tooltip (BhAccountRow *self)
{
  const BhHealthRecord *health = bh_account_get_health (self->account);
  const char *screen_name = bh_account_get_screen_name (self->account);
  g_autofree char *handle = g_strdup_printf ("@%s", screen_name != NULL ? screen_name : "");
  g_autofree char *tooltip = NULL;

  if (health != NULL && health->checked_at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (health->checked_at);
      /* Translators: when an account was last checked, a g_date_time_format() format. */
      g_autofree char *when = g_date_time_format (local, C_("health check time", "%Y-%m-%d %H:%M"));

      if (health->checked_by == BH_HEALTH_BY_COMMAND_LINE)
        /* Translators: the account's handle (“@alice”), a date and time, and what X said (“Healthy”). */
        tooltip = g_strdup_printf (_("%s\nChecked %s by “birdhouse check”: %s"), handle, when,
                                   bh_health_state_to_label (health->state));
      else
        /* Translators: the account's handle (“@alice”), a date and time, and what X said (“Healthy”). */
        tooltip = g_strdup_printf (_("%s\nChecked %s by the window: %s"), handle, when,
                                   bh_health_state_to_label (health->state));
    }

  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip != NULL ? tooltip : handle);
}

static void
update_title (BhAccountRow *self)
{
  const char *screen_name = bh_account_get_screen_name (self->account);
  const char *name = bh_account_get_name (self->account);
  g_autofree char *title = g_strdup_printf ("@%s", screen_name != NULL ? screen_name : "");

  /* One line, ellipsized (the template's title-lines): a handle is never
   * broken or hyphenated, and the tooltip shows it whole. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  update_tooltip (self);
  adw_avatar_set_text (self->avatar, (name != NULL && *name != '\0') ? name : screen_name);
}

static void
update_badges (BhAccountRow *self)
{
  const char *level = bh_account_get_access_level (self->account);
  const char *level_label = level != NULL ? bh_access_level_to_label (level) : NULL;
  const char *state = NULL;

  /* The badge is ellipsized past a few words (the template's
   * max-width-chars) so that the names keep their room. */
  gtk_label_set_label (self->badge, level_label != NULL ? level_label : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->badge), level_label);
  gtk_widget_set_visible (GTK_WIDGET (self->badge), level != NULL);

  {
    const char *method = bh_format_credentials (bh_account_get_credentials (self->account));
    const char *scopes = bh_account_get_oauth2_scopes (self->account);
    g_autofree char *tooltip = NULL;

    /* The method, with the OAuth 2.0 scopes in its tooltip. */
    gtk_label_set_label (self->method_badge, method);
    if (scopes != NULL && bh_account_has_credentials (self->account, BH_ACCOUNT_CREDENTIALS_OAUTH2))
      /* Translators: a tooltip: the first %s is a method such as “OAuth
       * 2.0”, the second the scopes, such as “tweet.read users.read”. */
      tooltip = g_strdup_printf (_("%s, scopes: %s"), method, scopes);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->method_badge), tooltip != NULL ? tooltip : method);
  }

  switch (bh_account_get_state (self->account))
    {
    case BH_ACCOUNT_STATE_NEEDS_REAUTH:
      /* Translators: the state of an account, in its row. */
      state = C_("account state", "Needs re-authorization");
      break;

    case BH_ACCOUNT_STATE_SECRET_MISSING:
      /* Translators: the state of an account, in its row. */
      state = C_("account state", "Tokens missing");
      break;

    case BH_ACCOUNT_STATE_OK:
    default:
      break;
    }

  gtk_label_set_label (self->state_label, state != NULL ? state : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_label), state);
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), state != NULL);
}

static void
account_notify_cb (BhAccountRow *self,
                   GParamSpec   *pspec)
{
  const char *name = pspec != NULL ? g_param_spec_get_name (pspec) : NULL;

  if (name == NULL || g_str_equal (name, "screen-name") || g_str_equal (name, "name"))
    update_title (self);
  if (name == NULL || g_str_equal (name, "name") || g_str_equal (name, "verified-at") ||
      g_str_equal (name, "oauth2-expires-at") || g_str_equal (name, "oauth2-scopes") ||
      g_str_equal (name, "credentials"))
    bh_account_row_refresh_verified (self);
  if (name == NULL || g_str_equal (name, "access-level") || g_str_equal (name, "state") ||
      g_str_equal (name, "credentials") || g_str_equal (name, "oauth2-scopes"))
    update_badges (self);
  if (name != NULL && g_str_equal (name, "health"))
    update_tooltip (self);
}

void
bh_account_row_set_account (BhAccountRow *self,
                            BhAccount    *account)
{
  g_return_if_fail (BH_IS_ACCOUNT_ROW (self));
  g_return_if_fail (account == NULL || BH_IS_ACCOUNT (account));

  if (self->account == account)
    return;

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_func (self->account, account_notify_cb, self);

  g_set_object (&self->account, account);

  if (account != NULL)
    {
      g_signal_connect_object (account, "notify", G_CALLBACK (account_notify_cb), self, G_CONNECT_SWAPPED);
      account_notify_cb (self, NULL);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

static void
bh_account_row_dispose (GObject *object)
{
  BhAccountRow *self = BH_ACCOUNT_ROW (object);

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_func (self->account, account_notify_cb, self);
  g_clear_object (&self->account);

  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_ACCOUNT_ROW);

  G_OBJECT_CLASS (bh_account_row_parent_class)->dispose (object);
}

static void
bh_account_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BhAccountRow *self = BH_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_account_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BhAccountRow *self = BH_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      bh_account_row_set_account (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_account_row_class_init (BhAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_account_row_dispose;
  object_class->get_property = bh_account_row_get_property;
  object_class->set_property = bh_account_row_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         BH_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/birdhouse/Birdhouse/bh-account-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BhAccountRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, BhAccountRow, badge);
  gtk_widget_class_bind_template_child (widget_class, BhAccountRow, method_badge);
  gtk_widget_class_bind_template_child (widget_class, BhAccountRow, state_label);
}

static void
bh_account_row_init (BhAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
