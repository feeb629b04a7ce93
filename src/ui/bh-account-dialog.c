/* bh-account-dialog.c
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

#include "bh-account-dialog-private.h"

#include <glib/gi18n.h>

#include "bh-account.h"
#include "bh-account-oauth2-group.h"
#include "bh-age.h"
#include "bh-app.h"
#include "bh-authorize-dialog.h"
#include "bh-revoke-flow.h"
#include "bh-rotate-dialog.h"
#include "bh-script-group.h"
#include "bh-verify-flow.h"
#include "bh-weak-ref.h"
#include "bh-window.h"
#include "bh-x-error.h"

/*
 * An authorized account: what X last said about it, its tokens to copy or
 * export (fetched from the keyring only when asked for), and the ways to
 * end it — revoke at X, or forget locally. The rows follow the account's
 * properties, so a verify (here or elsewhere) shows at once.
 */

G_DEFINE_FINAL_TYPE (BhAccountDialog, bh_account_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_ACCOUNT,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sync_actions (BhAccountDialog *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean idle = self->busy == 0;
  gboolean has_tokens = bh_account_get_state (self->account) != BH_ACCOUNT_STATE_SECRET_MISSING;

  gtk_widget_action_set_enabled (widget, "account.verify", idle && has_tokens);
  gtk_widget_action_set_enabled (widget, "account.cancel", self->verify_flow != NULL);
  gtk_widget_action_set_enabled (widget, "account.copy-token", idle && has_tokens);
  gtk_widget_action_set_enabled (widget, "account.copy-secret", idle && has_tokens);
  gtk_widget_action_set_enabled (widget, "account.export-shell", idle && has_tokens);
  gtk_widget_action_set_enabled (widget, "account.export-env", idle && has_tokens);
  gtk_widget_action_set_enabled (widget, "account.export-curl", idle && has_tokens);
  gtk_widget_action_set_enabled (widget, "account.revoke", idle && has_tokens);
  gtk_widget_action_set_enabled (widget, "account.rotate", idle && has_tokens);
  gtk_widget_action_set_enabled (widget, "account.authorize-again", idle);
  gtk_widget_action_set_enabled (widget, "account.remove", idle);

  gtk_widget_set_visible (GTK_WIDGET (self->verify_button), self->verify_flow == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_verify_button), self->verify_flow != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->verify_spinner), !idle);
  gtk_spinner_set_spinning (self->verify_spinner, !idle);
}

void
_bh_account_dialog_set_busy (BhAccountDialog *self,
                             gboolean         busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;

  sync_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
sync_account (BhAccountDialog *self)
{
  BhAccount *account = self->account;
  const char *screen_name = bh_account_get_screen_name (account);
  const char *name = bh_account_get_name (account);
  const char *level = bh_account_get_access_level (account);
  g_autofree char *at_name = g_strdup_printf ("@%s", screen_name != NULL ? screen_name : "");
  g_autofree char *authorized = bh_format_date_time (bh_account_get_authorized_at (account));
  g_autofree char *verified = bh_format_date_time (bh_account_get_verified_at (account));
  gint64 limit = -1, remaining = -1, reset = 0;

  adw_avatar_set_text (self->avatar, name != NULL && *name != '\0' ? name : screen_name);
  gtk_label_set_label (self->screen_name_label, at_name);
  gtk_label_set_label (self->name_label, name != NULL ? name : "");
  gtk_widget_set_visible (GTK_WIDGET (self->name_label), name != NULL && *name != '\0');
  gtk_label_set_label (self->user_id_label, bh_account_get_user_id (account));
  adw_window_title_set_subtitle (self->window_title, at_name);

  if (level == NULL)
    {
      adw_action_row_set_subtitle (self->access_row,
                                   _("Unknown. Verify the account to find out."));
    }
  else if (g_strcmp0 (level, "read") == 0)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf ("%s\n%s", bh_access_level_to_label (level),
                              _("This token can't post. Authorize again without “Read-only access” to get one that can, and check that the App has read and write permission in the developer portal."));
      adw_action_row_set_subtitle (self->access_row, text);
    }
  else
    {
      adw_action_row_set_subtitle (self->access_row, bh_access_level_to_label (level));
    }

  adw_action_row_set_subtitle (self->authorized_row,
                               /* Translators: when the account was authorized is not known. */
                               authorized != NULL ? authorized : C_("authorized at", "Unknown"));
  {
    g_autoptr(BhCredentialAge) age = bh_credential_age_for_account (self->app, account, bh_rotation_reminder_days (), NULL);
    g_autofree char *age_text = bh_format_age (age);

    adw_action_row_set_subtitle (self->age_row, age_text);
  }
  adw_action_row_set_subtitle (self->verified_row,
                               /* Translators: the account was never verified. */
                               verified != NULL ? verified : C_("last verified", "Never"));

  bh_account_get_rate_limit (account, &limit, &remaining, &reset);
  if (limit > 0 && remaining >= 0)
    {
      g_autofree char *limit_text = g_strdup_printf ("%" G_GINT64_FORMAT, limit);
      g_autofree char *remaining_text = g_strdup_printf ("%" G_GINT64_FORMAT, remaining);
      g_autofree char *text = NULL;

      /* The noun goes with the limit: "1 of 75 requests left". */
      gulong n = (gulong) MIN (limit, G_MAXLONG);

      if (reset > 0)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (reset);
          /* Translators: a time of day, in g_date_time_format() syntax
           * (see strftime); use %I:%M %p for a 12-hour clock. */
          g_autofree char *time_text = g_date_time_format (when, C_("time of day", "%H:%M"));

          /* Translators: "74 of 75 requests left, resets at 14:05": the
           * first %s is the requests left, the second the limit (the
           * plural form follows it), the third a time of day. */
          text = g_strdup_printf (ngettext ("%s of %s request left, resets at %s",
                                            "%s of %s requests left, resets at %s", n),
                                  remaining_text, limit_text, time_text);
        }
      else
        {
          /* Translators: "74 of 75 requests left": the first %s is the
           * requests left, the second the limit (the plural form follows
           * it). */
          text = g_strdup_printf (ngettext ("%s of %s request left",
                                            "%s of %s requests left", n),
                                  remaining_text, limit_text);
        }
      adw_action_row_set_subtitle (self->rate_row, text);
    }
  else
    {
      adw_action_row_set_subtitle (self->rate_row, _("Unknown until the account is verified"));
    }

  switch (bh_account_get_state (account))
    {
    case BH_ACCOUNT_STATE_NEEDS_REAUTH:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row),
                                     _("Needs Re-authorization"));
      adw_action_row_set_subtitle (self->state_row,
                                   _("X no longer accepts these tokens. Press Authorize Again to sign in to X and get new ones; the account keeps its place and settings."));
      gtk_widget_set_visible (GTK_WIDGET (self->state_row), TRUE);
      break;

    case BH_ACCOUNT_STATE_SECRET_MISSING:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row),
                                     _("Tokens Missing"));
      adw_action_row_set_subtitle (self->state_row,
                                   _("The keyring has no tokens for this account. Use “Authorize Account…” on the App page, or add the tokens again."));
      gtk_widget_set_visible (GTK_WIDGET (self->state_row), TRUE);
      break;

    case BH_ACCOUNT_STATE_OK:
    default:
      gtk_widget_set_visible (GTK_WIDGET (self->state_row), FALSE);
      break;
    }

  /* OAuth 1.0a tokens, their access level and exports; an OAuth 2.0
   * grant has scopes instead, in oauth2_group. */
  gtk_widget_set_visible (GTK_WIDGET (self->use_group),
                          bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH1));
  gtk_widget_set_visible (GTK_WIDGET (self->access_row),
                          bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH1));

  sync_actions (self);

  if (self->app != NULL)
    bh_script_group_set_credential (self->script_group, bh_app_get_name (self->app),
                                    bh_account_get_screen_name (self->account));
}

static void
on_account_notify (BhAccountDialog *self)
{
  sync_account (self);
}

static void
add_toast_to_window (BhAccountDialog *self,
                     const char      *text)
{
  BhWindow *window = bh_window_get_for_widget (GTK_WIDGET (self));

  if (window != NULL)
    bh_window_add_toast (window, adw_toast_new (text));
}

/* Verify */

static void
verify_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BhAccountDialog) self = bh_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  gboolean ok = bh_flow_run_finish (BH_FLOW (source), result, &error);

  if (self == NULL || self->verify_flow != BH_VERIFY_FLOW (source))
    return;

  g_clear_object (&self->verify_flow);
  _bh_account_dialog_set_busy (self, FALSE);
  /* The Cancel button that had the focus is gone. */
  gtk_widget_grab_focus (GTK_WIDGET (self->verify_button));

  /* The rows already follow the account; only a failure needs words. */
  if (!ok && !bh_error_is_cancelled (error))
    bh_window_show_error (GTK_WIDGET (self), _("Verification Failed"), error);
}

static void
verify_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BhAccountDialog *self = BH_ACCOUNT_DIALOG (widget);

  if (self->busy > 0)
    return;

  self->verify_flow = bh_verify_flow_new (self->store, self->account);
  _bh_account_dialog_set_busy (self, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->cancel_verify_button));
  bh_flow_run_async (BH_FLOW (self->verify_flow), verify_cb, bh_weak_ref_new (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BhAccountDialog *self = BH_ACCOUNT_DIALOG (widget);

  if (self->verify_flow != NULL)
    bh_flow_cancel (BH_FLOW (self->verify_flow));
}

/* Revoke */

static void
revoke_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BhAccountDialog) self = bh_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *screen_name;
  gboolean ok;

  ok = bh_flow_run_finish (BH_FLOW (source), result, &error);

  /* Closed meanwhile: the flow finished on its own, nothing to show. */
  if (self == NULL || self->revoke_flow != BH_REVOKE_FLOW (source))
    return;

  g_clear_object (&self->revoke_flow);

  if (!ok)
    {
      _bh_account_dialog_set_busy (self, FALSE);
      /* X could not be reached, or refused: the account is kept. */
      if (!bh_error_is_cancelled (error))
        bh_window_show_error (GTK_WIDGET (self), _("Could Not Revoke Access"), error);
      return;
    }

  screen_name = bh_account_get_screen_name (self->account);
  if (bh_revoke_flow_get_already_invalid (BH_REVOKE_FLOW (source)))
    /* Translators: %s is an X account name, without its leading “@”. */
    text = g_strdup_printf (_("The tokens of @%s were already invalid; the account was removed"),
                            screen_name);
  else
    /* Translators: %s is an X account name, without its leading “@”. */
    text = g_strdup_printf (_("Access of @%s revoked and the account removed"), screen_name);
  add_toast_to_window (self, text);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_revoke_response (AdwMessageDialog *dialog,
                    const char       *response,
                    BhAccountDialog  *self)
{
  if (g_strcmp0 (response, "revoke") != 0 || self->busy > 0 || self->account == NULL)
    return;

  self->revoke_flow = bh_revoke_flow_new (self->store, self->account);
  _bh_account_dialog_set_busy (self, TRUE);
  bh_flow_run_async (BH_FLOW (self->revoke_flow), revoke_cb, bh_weak_ref_new (self));
}

static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BhAccountDialog *self = BH_ACCOUNT_DIALOG (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL);
  /* Translators: %s is an X account name, without its leading “@”. */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Revoke Access of @%s?"),
                                     bh_account_get_screen_name (self->account));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("X invalidates the tokens, so every script that uses them stops working, and the account is removed from Birdhouse."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    /* Translators: a button: revoke the account’s access at X. */
                                    "revoke", _("_Revoke"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revoke",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_revoke_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Rotate, and authorize again */

static void
rotate_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BhAccountDialog *self = BH_ACCOUNT_DIALOG (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  /* The rotation's own dialogs take over; these details would be stale. */
  if (g_str_equal (action_name, "account.rotate"))
    gtk_window_present (GTK_WINDOW (bh_rotate_dialog_new_for_account (parent, self->store, self->account)));
  else
    gtk_window_present (GTK_WINDOW (bh_authorize_dialog_new_renewal (parent, self->store, self->account)));
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Remove */

static void
remove_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BhAccountDialog) self = bh_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  ok = bh_store_remove_account_finish (BH_STORE (source), result, &error);

  /* Closed meanwhile. */
  if (self == NULL || self->account == NULL)
    return;

  if (!ok)
    {
      _bh_account_dialog_set_busy (self, FALSE);
      bh_window_show_error (GTK_WIDGET (self), _("Could Not Remove the Account"), error);
      return;
    }

  /* Translators: %s is an X account name, without its leading “@”. */
  text = g_strdup_printf (_("@%s removed from Birdhouse"),
                          bh_account_get_screen_name (self->account));
  add_toast_to_window (self, text);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    BhAccountDialog  *self)
{
  if (g_strcmp0 (response, "remove") != 0 || self->busy > 0)
    return;

  _bh_account_dialog_set_busy (self, TRUE);
  bh_store_remove_account_async (self->store, self->account, self->cancellable,
                                 remove_cb, bh_weak_ref_new (self));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BhAccountDialog *self = BH_ACCOUNT_DIALOG (widget);
  /* Translators: %s is an X account name, without its leading “@”. */
  g_autofree char *heading = g_strdup_printf (_("Remove @%s?"), bh_account_get_screen_name (self->account));
  AdwMessageDialog *dialog;

  dialog = bh_window_confirm_dialog (GTK_WINDOW (self), heading,
                                     _("Birdhouse forgets the tokens on this computer. The tokens stay valid at X; revoke them instead if they may have leaked."),
                                     /* Translators: a button: remove the account from Birdhouse. */
                                     "remove", _("_Remove"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject */

static void
bh_account_dialog_constructed (GObject *object)
{
  BhAccountDialog *self = BH_ACCOUNT_DIALOG (object);

  G_OBJECT_CLASS (bh_account_dialog_parent_class)->constructed (object);

  g_assert (self->account != NULL);

  self->app = bh_store_get_account_app (self->store, self->account);
  if (self->app != NULL)
    g_object_ref (self->app);

  g_signal_connect_object (self->account, "notify",
                           G_CALLBACK (on_account_notify), self, G_CONNECT_SWAPPED);
  bh_account_oauth2_group_set_account (self->oauth2_group, self->store, self->account);
  sync_account (self);
}

static void
bh_account_dialog_dispose (GObject *object)
{
  BhAccountDialog *self = BH_ACCOUNT_DIALOG (object);

  /* Closing the dialog cancels what it started. A revoke already sent
   * finishes on its own in the flow; only its report is dropped. */
  g_cancellable_cancel (self->cancellable);
  if (self->verify_flow != NULL)
    bh_flow_cancel (BH_FLOW (self->verify_flow));
  if (self->revoke_flow != NULL)
    bh_flow_cancel (BH_FLOW (self->revoke_flow));
  g_clear_object (&self->verify_flow);
  g_clear_object (&self->revoke_flow);

  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_ACCOUNT_DIALOG);

  g_clear_object (&self->store);
  g_clear_object (&self->account);
  g_clear_object (&self->app);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bh_account_dialog_parent_class)->dispose (object);
}

static void
bh_account_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BhAccountDialog *self = BH_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_account_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BhAccountDialog *self = BH_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_account_dialog_class_init (BhAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bh_account_dialog_constructed;
  object_class->dispose = bh_account_dialog_dispose;
  object_class->get_property = bh_account_dialog_get_property;
  object_class->set_property = bh_account_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BH_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         BH_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* TRUE while network or keyring work started here is in flight. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BH_TYPE_ACCOUNT_OAUTH2_GROUP);
  g_type_ensure (BH_TYPE_SCRIPT_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/birdhouse/Birdhouse/bh-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, avatar);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, screen_name_label);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, name_label);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, verify_spinner);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, verify_button);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, cancel_verify_button);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, state_row);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, user_id_label);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, access_row);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, authorized_row);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, age_row);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, verified_row);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, rate_row);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, oauth2_group);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, use_group);
  gtk_widget_class_bind_template_child (widget_class, BhAccountDialog, script_group);

  gtk_widget_class_install_action (widget_class, "account.verify", NULL, verify_action);
  gtk_widget_class_install_action (widget_class, "account.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "account.copy-token", NULL, _bh_account_dialog_copy_action);
  gtk_widget_class_install_action (widget_class, "account.copy-secret", NULL, _bh_account_dialog_copy_action);
  gtk_widget_class_install_action (widget_class, "account.export-shell", NULL, _bh_account_dialog_copy_action);
  gtk_widget_class_install_action (widget_class, "account.export-env", NULL, _bh_account_dialog_copy_action);
  gtk_widget_class_install_action (widget_class, "account.export-curl", NULL, _bh_account_dialog_copy_action);
  gtk_widget_class_install_action (widget_class, "account.revoke", NULL, revoke_action);
  gtk_widget_class_install_action (widget_class, "account.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "account.rotate", NULL, rotate_action);
  gtk_widget_class_install_action (widget_class, "account.authorize-again", NULL, rotate_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "account.verify", NULL);
}

static void
bh_account_dialog_init (BhAccountDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * bh_account_dialog_new:
 * @parent: the window the dialog is modal for
 * @store: the store @account is in
 * @account: the account to show
 *
 * Returns: (transfer none): a new dialog; present it with gtk_window_present()
 */
GtkWidget *
bh_account_dialog_new (GtkWindow *parent,
                       BhStore   *store,
                       BhAccount *account)
{
  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_ACCOUNT (account), NULL);

  return g_object_new (BH_TYPE_ACCOUNT_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       "account", account,
                       NULL);
}
