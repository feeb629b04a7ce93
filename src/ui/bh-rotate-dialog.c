/* bh-rotate-dialog.c
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

#include "bh-rotate-dialog.h"

#include <glib/gi18n.h>

#include "bh-authorize-dialog.h"
#include "bh-revoke-flow.h"
#include "bh-rotate-flow.h"
#include "bh-secret.h"
#include "bh-weak-ref.h"
#include "bh-x-error.h"

/*
 * Rotating an account's tokens or the App's API key secret, one guided
 * step each.
 *
 * An account: "confirm" says that scripts using the old tokens stop
 * working → "progress" while X invalidates them (Cancel) → the authorize
 * dialog, X's sign-in forced and the screen name filled in. If that one
 * is cancelled, the account stays in its place, marked needs
 * re-authorization, and its details offer Authorize Again.
 *
 * The API key secret: "secret" takes the new one (and a new API key when
 * the portal gave one) → "progress" while X proves it and the bearer
 * token and accounts are checked (Cancel) → "result", one row each. A
 * secret X refuses is not stored: back to "secret" with X's reason.
 *
 * Closing the dialog cancels the work in flight.
 */

struct _BhRotateDialog
{
  AdwWindow       parent_instance;

  BhStore        *store;
  BhApp          *app;
  BhAccount      *account;   /* NULL: the App's secret */
  BhFlow         *flow;

  AdwWindowTitle *window_title;
  GtkButton      *cancel_button;
  GtkButton      *rotate_button;
  GtkButton      *done_button;
  GtkStack       *stack;
  AdwStatusPage  *confirm_page;
  AdwPasswordEntryRow *secret_row;
  AdwEntryRow    *key_row;
  GtkLabel       *secret_error_label;
  GtkSpinner     *spinner;
  GtkLabel       *progress_label;
  AdwPreferencesGroup *result_group;
  GtkListBox     *check_list;
  AdwStatusPage  *error_page;
};

G_DEFINE_FINAL_TYPE (BhRotateDialog, bh_rotate_dialog, ADW_TYPE_WINDOW)

static void
show_page (BhRotateDialog *self,
           const char     *name)
{
  gboolean progress = g_str_equal (name, "progress");
  gboolean finished = g_str_equal (name, "result") || g_str_equal (name, "error");

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->spinner, progress);
  gtk_widget_set_visible (GTK_WIDGET (self->rotate_button), !progress && !finished);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), !finished);
  gtk_widget_set_visible (GTK_WIDGET (self->done_button), finished);

  if (finished)
    gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
  else if (progress)
    gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
}

static void
show_progress (BhRotateDialog *self,
               const char     *text)
{
  gtk_label_set_label (self->progress_label, text);
  show_page (self, "progress");
}

static void
drop_flow (BhRotateDialog *self)
{
  if (self->flow == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->flow, self);
  bh_flow_cancel (self->flow);
  g_clear_object (&self->flow);
}

static void
show_error (BhRotateDialog *self,
            const char     *title,
            const char     *kept,
            const GError   *error)
{
  g_autofree char *text = g_strdup_printf ("%s %s", error->message, kept);

  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, text);
  show_page (self, "error");
}

/* An account */

static void
invalidated_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BhRotateDialog) self = bh_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  GtkWidget *authorize;
  gboolean ok;

  ok = bh_flow_run_finish (BH_FLOW (source), result, &error);
  if (self == NULL || self->flow != BH_FLOW (source))
    return;

  g_clear_object (&self->flow);

  if (!ok)
    {
      if (bh_error_is_cancelled (error))
        show_page (self, "confirm");
      else
        show_error (self, _("The Tokens Were Not Rotated"),
                    _("The old tokens are kept and still work."), error);
      return;
    }

  /* The old tokens are dead at X; the account waits, marked, for the new
   * ones. Closing the next dialog leaves it so, with Authorize Again. */
  authorize = bh_authorize_dialog_new_renewal (gtk_window_get_transient_for (GTK_WINDOW (self)),
                                               self->store, self->account);
  gtk_window_present (GTK_WINDOW (authorize));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
rotate_account (BhRotateDialog *self)
{
  /* An account with an OAuth 2.0 grant only rotates the grant: revoked,
   * then authorized again with OAuth 2.0 (the renewal dialog's mode). */
  if (!bh_account_has_credentials (self->account, BH_ACCOUNT_CREDENTIALS_OAUTH1))
    self->flow = BH_FLOW (bh_revoke_flow_new_for_grant_rotation (self->store, self->account));
  else
    self->flow = BH_FLOW (bh_revoke_flow_new_for_rotation (self->store, self->account));
  show_progress (self, _("Invalidating the old tokens at X…"));
  bh_flow_run_async (self->flow, invalidated_cb, bh_weak_ref_new (self));
}

/* The App's API key secret */

static GtkWidget *
check_row_new (const BhRotateCheck *check)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  gboolean works = check->result == BH_ROTATE_CHECK_OK || check->result == BH_ROTATE_CHECK_RENEWED;

  if (check->account != NULL)
    title = g_strdup_printf ("@%s", bh_account_get_screen_name (check->account));
  else
    title = g_strdup (_("Bearer Token"));

  switch (check->result)
    {
    case BH_ROTATE_CHECK_OK:
      subtitle = g_strdup (_("Works with the new secret"));
      break;
    case BH_ROTATE_CHECK_RENEWED:
      subtitle = g_strdup (_("Renewed: X had invalidated the old one"));
      break;
    case BH_ROTATE_CHECK_NEEDS_REAUTH:
      subtitle = g_strdup (_("Needs re-authorization: open the account and press Authorize Again"));
      break;
    case BH_ROTATE_CHECK_SKIPPED:
      subtitle = g_strdup (_("Not checked"));
      break;
    case BH_ROTATE_CHECK_FAILED:
    default:
      /* Translators: %s is the reason, a sentence. */
      subtitle = g_strdup_printf (_("Could not be checked: %s"), check->message != NULL ? check->message : "");
      break;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  icon = gtk_image_new_from_icon_name (works ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  works ? _("Works") : _("Needs attention"), -1);
  gtk_widget_add_css_class (icon, works ? "success" : "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  return row;
}

static void
show_checks (BhRotateDialog *self,
             BhRotateFlow   *flow)
{
  GPtrArray *checks = bh_rotate_flow_get_checks (flow);
  gboolean all_work = TRUE;

  for (guint i = 0; i < checks->len; i++)
    {
      const BhRotateCheck *check = g_ptr_array_index (checks, i);

      all_work &= check->result == BH_ROTATE_CHECK_OK || check->result == BH_ROTATE_CHECK_RENEWED;
      gtk_list_box_append (self->check_list, check_row_new (check));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->check_list), checks->len > 0);
  adw_preferences_group_set_title (self->result_group, _("The New Secret Is Stored"));
  adw_preferences_group_set_description (self->result_group,
                                         all_work ? _("Everything the App holds works with it.")
                                                  : _("Some credentials need your attention."));
  show_page (self, "result");
}

static void
rotated_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BhRotateDialog) self = bh_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  BhRotateFlow *flow = BH_ROTATE_FLOW (source);
  gboolean ok;

  ok = bh_flow_run_finish (BH_FLOW (source), result, &error);
  if (self == NULL || self->flow != BH_FLOW (source))
    return;

  if (ok)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
      show_checks (self, flow);
    }
  else if (bh_rotate_flow_get_stored (flow))
    show_error (self, _("The Checks Did Not Finish"), _("The new secret is stored."), error);
  else
    {
      if (!bh_error_is_cancelled (error))
        {
          g_autofree char *text = NULL;

          /* Translators: %s is X's or the network's reason, a sentence. */
          text = g_strdup_printf (_("%s The old secret is kept."), error->message);
          gtk_label_set_label (self->secret_error_label, text);
        }
      gtk_widget_set_visible (GTK_WIDGET (self->secret_error_label), !bh_error_is_cancelled (error));
      show_page (self, "secret");
    }

  g_signal_handlers_disconnect_by_data (source, self);
  g_clear_object (&self->flow);
}

static void
on_rotate_state (BhRotateDialog *self)
{
  switch (bh_flow_get_state (self->flow))
    {
    case BH_FLOW_STATE_STORING:
      show_progress (self, _("Storing the new secret…"));
      break;
    case BH_FLOW_STATE_VERIFYING:
      show_progress (self, _("Checking the bearer token and the accounts with the new secret…"));
      break;
    default:
      break;
    }
}

static void
rotate_app_secret (BhRotateDialog *self)
{
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  g_autofree char *key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_row))));
  g_autoptr(BhSecret) stripped = g_strstrip (bh_secret_dup (secret));

  if (*stripped == '\0')
    return;

  self->flow = BH_FLOW (bh_rotate_flow_new (self->store, self->app, key, stripped));
  g_signal_connect_swapped (self->flow, "notify::state", G_CALLBACK (on_rotate_state), self);
  show_progress (self, _("Checking the new secret with X…"));
  bh_flow_run_async (self->flow, rotated_cb, bh_weak_ref_new (self));
}

static void
on_secret_changed (BhRotateDialog *self)
{
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));

  gtk_widget_set_sensitive (GTK_WIDGET (self->rotate_button), secret != NULL && *secret != '\0');
}

/* Both */

static void
on_rotate_clicked (BhRotateDialog *self)
{
  if (self->flow != NULL)
    return;

  if (self->account != NULL)
    rotate_account (self);
  else if (gtk_widget_get_sensitive (GTK_WIDGET (self->rotate_button)))
    rotate_app_secret (self);
}

static void
on_cancel_clicked (BhRotateDialog *self)
{
  /* Cancel the work in flight first; with none, close. */
  if (self->flow != NULL)
    bh_flow_cancel (self->flow);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
on_done_clicked (BhRotateDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
bh_rotate_dialog_dispose (GObject *object)
{
  BhRotateDialog *self = BH_ROTATE_DIALOG (object);

  drop_flow (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_ROTATE_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->app);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (bh_rotate_dialog_parent_class)->dispose (object);
}

static void
bh_rotate_dialog_class_init (BhRotateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_rotate_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/birdhouse/Birdhouse/bh-rotate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, rotate_button);
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, confirm_page);
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, key_row);
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, secret_error_label);
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, result_group);
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, check_list);
  gtk_widget_class_bind_template_child (widget_class, BhRotateDialog, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_rotate_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_done_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_secret_changed);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bh_rotate_dialog_init (BhRotateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static BhRotateDialog *
dialog_new (GtkWindow *parent,
            BhStore   *store,
            BhApp     *app)
{
  BhRotateDialog *self = g_object_new (BH_TYPE_ROTATE_DIALOG, "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  self->app = g_object_ref (app);

  return self;
}

/**
 * bh_rotate_dialog_new_for_account:
 * @parent: the window the dialog is modal for
 * @store: the store @account is in
 * @account: the account whose tokens to rotate
 *
 * Returns: (transfer none): a new dialog; present it with gtk_window_present()
 */
GtkWidget *
bh_rotate_dialog_new_for_account (GtkWindow *parent,
                                  BhStore   *store,
                                  BhAccount *account)
{
  BhRotateDialog *self;
  g_autofree char *at_name = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  const char *screen_name = bh_account_get_screen_name (account);

  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_ACCOUNT (account), NULL);

  self = dialog_new (parent, store, bh_store_get_account_app (store, account));
  self->account = g_object_ref (account);

  at_name = g_strdup_printf ("@%s", screen_name);
  /* Translators: %s is an X account name, without its leading “@”. */
  heading = g_strdup_printf (_("Rotate the Tokens of @%s?"), screen_name);
  if (!bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH1))
    /* Translators: %s is an X account name, without its leading “@”. */
    body = g_strdup_printf (_("X revokes the current OAuth 2.0 authorization, so every script that uses its tokens stops working until it gets the new ones. Then authorize @%s again with OAuth 2.0 in your browser."),
                            screen_name);
  else
    /* Translators: %s is an X account name, without its leading “@”. */
    body = g_strdup_printf (_("X invalidates the current tokens, so every script that uses them stops working until it gets the new ones. Then X asks you to sign in as @%s and shows a PIN for the new tokens."),
                            screen_name);

  adw_window_title_set_title (self->window_title, _("Rotate Tokens"));
  adw_window_title_set_subtitle (self->window_title, at_name);
  adw_status_page_set_title (self->confirm_page, heading);
  adw_status_page_set_description (self->confirm_page, body);
  show_page (self, "confirm");

  return GTK_WIDGET (self);
}

/**
 * bh_rotate_dialog_new_for_app_secret:
 * @parent: the window the dialog is modal for
 * @store: the store @app is in
 * @app: the App whose API key secret was regenerated
 *
 * Returns: (transfer none): a new dialog; present it with gtk_window_present()
 */
GtkWidget *
bh_rotate_dialog_new_for_app_secret (GtkWindow *parent,
                                     BhStore   *store,
                                     BhApp     *app)
{
  BhRotateDialog *self;

  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_APP (app), NULL);

  self = dialog_new (parent, store, app);

  adw_window_title_set_title (self->window_title, _("Rotate API Key Secret"));
  adw_window_title_set_subtitle (self->window_title, bh_app_get_name (app));
  gtk_widget_remove_css_class (GTK_WIDGET (self->rotate_button), "destructive-action");
  gtk_widget_add_css_class (GTK_WIDGET (self->rotate_button), "suggested-action");
  gtk_widget_set_sensitive (GTK_WIDGET (self->rotate_button), FALSE);
  show_page (self, "secret");

  return GTK_WIDGET (self);
}
