/* bh-authorize-dialog.c
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

#include "bh-authorize-dialog-private.h"

#include <glib/gi18n.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-clipboard.h"
#include "bh-weak-ref.h"
#include "bh-x-error.h"

/*
 * Authorizing an account in one modal window: options (the method, when
 * the App allows both, and its choices) → the browser is open: type the
 * PIN (OAuth 1.0a) or wait for the browser's return (OAuth 2.0) → the
 * network work → success, or an error with Try Again. The steps are
 * pages of a GtkStack; the header bar shows the one action that makes
 * sense on each page. Closing the window, Escape or Cancel cancels the
 * work in flight.
 */

G_DEFINE_FINAL_TYPE (BhAuthorizeDialog, bh_authorize_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_APP,
  PROP_RENEWS,
  PROP_FLOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_continue_sensitive (BhAuthorizeDialog *self)
{
  gboolean ok = !_bh_authorize_dialog_uses_oauth2 (self) ||
                _bh_authorize_dialog_oauth2_options_ok (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->continue_button), ok);
}

void
_bh_authorize_dialog_show_page (BhAuthorizeDialog *self,
                                const char        *name)
{
  const char *current = gtk_stack_get_visible_child_name (self->stack);
  gboolean options = g_str_equal (name, "options");
  gboolean pin = g_str_equal (name, "pin");
  gboolean browser = g_str_equal (name, "browser");
  gboolean success = g_str_equal (name, "success");
  gboolean error = g_str_equal (name, "error");
  gboolean progress = g_str_equal (name, "progress");

  gtk_widget_set_visible (GTK_WIDGET (self->continue_button), options);
  gtk_widget_set_visible (GTK_WIDGET (self->authorize_button), pin);
  gtk_widget_set_visible (GTK_WIDGET (self->done_button), success);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), error);
  /* Once the account is stored there is nothing left to cancel. */
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), !success);

  if (progress)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);

  if (g_strcmp0 (current, name) == 0)
    return;

  gtk_stack_set_visible_child_name (self->stack, name);

  if (pin)
    gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
  else if (browser)
    gtk_widget_grab_focus (GTK_WIDGET (self->paste_row));
  else if (success)
    gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
  else if (error)
    gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
  else if (progress)
    gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
}

void
_bh_authorize_dialog_show_progress (BhAuthorizeDialog *self,
                                    const char        *text)
{
  gtk_label_set_label (self->progress_label, text);
  _bh_authorize_dialog_show_page (self, "progress");
}

gboolean
_bh_authorize_dialog_uses_oauth2 (BhAuthorizeDialog *self)
{
  return gtk_check_button_get_active (self->oauth2_check);
}

/* The page for the flow's state; the end of a run is handled in run_cb,
 * which has the error. */
void
_bh_authorize_dialog_sync_state (BhAuthorizeDialog *self)
{
  gboolean oauth2 = BH_IS_OAUTH2_FLOW (self->flow);

  switch (bh_flow_get_state (self->flow))
    {
    case BH_FLOW_STATE_IDLE:
    case BH_FLOW_STATE_REQUESTING_TOKEN:
      _bh_authorize_dialog_show_progress (self, oauth2 ? _("Getting ready…")
                                                       : _("Asking X for a request token…"));
      break;

    case BH_FLOW_STATE_WAITING_FOR_PIN:
      _bh_authorize_dialog_pin_show_page (self);
      break;

    case BH_FLOW_STATE_WAITING_FOR_BROWSER:
      _bh_authorize_dialog_oauth2_show_waiting (self);
      break;

    case BH_FLOW_STATE_EXCHANGING:
      _bh_authorize_dialog_show_progress (self, oauth2 ? _("Getting the tokens from X…")
                                                       : _("Exchanging the PIN…"));
      break;

    case BH_FLOW_STATE_VERIFYING:
      _bh_authorize_dialog_show_progress (self, _("Verifying the account…"));
      break;

    case BH_FLOW_STATE_STORING:
      _bh_authorize_dialog_show_progress (self, _("Saving the tokens in the keyring…"));
      break;

    case BH_FLOW_STATE_DONE:
    case BH_FLOW_STATE_FAILED:
    case BH_FLOW_STATE_CANCELLED:
    default:
      break;
    }
}

static void
show_error (BhAuthorizeDialog *self,
            const GError      *error)
{
  /* The common case; the OAuth 2.0 part may say more. */
  adw_status_page_set_title (self->error_page, _("Authorization Failed"));
  adw_status_page_set_description (self->error_page, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->edit_app_button), FALSE);

  if (BH_IS_OAUTH2_FLOW (self->flow))
    _bh_authorize_dialog_oauth2_show_error (self, error);

  _bh_authorize_dialog_show_page (self, "error");
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(BhAuthorizeDialog) self = bh_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = bh_flow_run_finish (BH_FLOW (source), result, &error);

  /* The dialog was closed, or a new flow replaced this one. */
  if (self == NULL || self->flow != BH_FLOW (source))
    return;

  if (ok && BH_IS_OAUTH2_FLOW (source))
    _bh_authorize_dialog_oauth2_show_success (self);
  else if (ok)
    _bh_authorize_dialog_pin_show_success (self);
  else if (bh_error_is_cancelled (error))
    gtk_window_destroy (GTK_WINDOW (self));
  else
    show_error (self, error);
}

static void
drop_flow (BhAuthorizeDialog *self)
{
  if (self->flow == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->flow, self);
  bh_flow_cancel (self->flow);
  g_clear_object (&self->flow);
}

/* Takes @flow (its signals connected by the caller afterwards) and
 * forgets the one before, cancelling it. */
void
_bh_authorize_dialog_set_flow (BhAuthorizeDialog *self,
                               BhFlow            *flow)
{
  drop_flow (self);
  self->flow = flow;
  gtk_widget_set_visible (GTK_WIDGET (self->pin_error_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->paste_error_label), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLOW]);
}

/* Runs the flow set with _bh_authorize_dialog_set_flow(). */
static void
run_flow (BhAuthorizeDialog *self)
{
  bh_flow_run_async (self->flow, run_cb, bh_weak_ref_new (self));
}

static void
start_flow (BhAuthorizeDialog *self)
{
  if (_bh_authorize_dialog_uses_oauth2 (self))
    _bh_authorize_dialog_oauth2_start (self);
  else
    _bh_authorize_dialog_pin_start (self);

  if (self->flow != NULL)
    {
      _bh_authorize_dialog_sync_state (self);
      run_flow (self);
    }
}

static void
sync_method (BhAuthorizeDialog *self)
{
  gboolean oauth2 = _bh_authorize_dialog_uses_oauth2 (self);

  gtk_widget_set_visible (GTK_WIDGET (self->scopes_group), oauth2);
  gtk_widget_set_visible (GTK_WIDGET (self->pin_options_group), !oauth2);
  if (self->renews != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is an X account name, without its leading “@”. */
      text = g_strdup_printf (_("Birdhouse opens X in your browser. Sign in as @%s and authorize the App again."),
                              bh_account_get_screen_name (self->renews));
      gtk_label_set_label (self->intro_label, text);
    }
  else
    {
      gtk_label_set_label (self->intro_label,
                           oauth2
                           ? _("Birdhouse opens X in your browser. Sign in and authorize the App; X then sends your browser back to Birdhouse.")
                           : _("Birdhouse opens X in your browser. Sign in, authorize the App, and X shows a PIN to type here."));
    }
  update_continue_sensitive (self);
}

static void
on_method_toggled (BhAuthorizeDialog *self)
{
  sync_method (self);
}

static void
on_options_changed (BhAuthorizeDialog *self)
{
  update_continue_sensitive (self);
}

static void
on_continue_clicked (BhAuthorizeDialog *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "options") == 0 &&
      gtk_widget_get_sensitive (GTK_WIDGET (self->continue_button)))
    start_flow (self);
}

static void
on_retry_clicked (BhAuthorizeDialog *self)
{
  start_flow (self);
}

static void
on_cancel_clicked (BhAuthorizeDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_done_clicked (BhAuthorizeDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static const char *
get_authorize_url (BhAuthorizeDialog *self)
{
  if (BH_IS_OAUTH2_FLOW (self->flow))
    return bh_oauth2_flow_get_authorize_url (BH_OAUTH2_FLOW (self->flow));
  if (BH_IS_PIN_FLOW (self->flow))
    return bh_pin_flow_get_authorize_url (BH_PIN_FLOW (self->flow));
  return NULL;
}

static void
on_copy_link_clicked (BhAuthorizeDialog *self)
{
  const char *url = get_authorize_url (self);

  if (url == NULL)
    return;

  /* The URL carries X's request token, or the OAuth 2.0 state and PKCE
   * challenge: none of them is a secret. */
  bh_clipboard_copy_text (GTK_WIDGET (self), url, _("Link copied"));
}

static void
on_open_again_clicked (BhAuthorizeDialog *self)
{
  if (BH_IS_OAUTH2_FLOW (self->flow))
    bh_oauth2_flow_open_browser (BH_OAUTH2_FLOW (self->flow));
  else if (BH_IS_PIN_FLOW (self->flow))
    bh_pin_flow_open_browser (BH_PIN_FLOW (self->flow));
}

static void
on_edit_app_clicked (BhAuthorizeDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  /* The App dialog is where the redirect URI changes; this one is done. */
  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.edit-app", NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
bh_authorize_dialog_constructed (GObject *object)
{
  BhAuthorizeDialog *self = BH_AUTHORIZE_DIALOG (object);
  gboolean has_key, has_client;

  G_OBJECT_CLASS (bh_authorize_dialog_parent_class)->constructed (object);

  has_key = bh_app_get_consumer_key (self->app) != NULL;
  has_client = bh_app_get_client_id (self->app) != NULL;

  /* OAuth 2.0 is X's way forward: the default when the App has a
   * Client ID. The choice shows only when both are possible. */
  if (self->renews != NULL)
    has_key = has_key && !bh_account_has_credentials (self->renews, BH_ACCOUNT_CREDENTIALS_OAUTH2);
  gtk_check_button_set_active (has_client ? self->oauth2_check : self->pin_check, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->method_group), has_key && has_client);

  if (self->renews != NULL)
    {
      g_autofree char *at_name = g_strdup_printf ("@%s", bh_account_get_screen_name (self->renews));

      adw_window_title_set_title (self->window_title, _("Authorize Again"));
      adw_window_title_set_subtitle (self->window_title, at_name);
    }
  else
    {
      adw_window_title_set_subtitle (self->window_title, bh_app_get_name (self->app));
    }

  _bh_authorize_dialog_pin_init (self);
  _bh_authorize_dialog_oauth2_init (self);
  sync_method (self);
}

static void
bh_authorize_dialog_dispose (GObject *object)
{
  BhAuthorizeDialog *self = BH_AUTHORIZE_DIALOG (object);

  /* Closing the dialog cancels the network work in flight. */
  drop_flow (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_AUTHORIZE_DIALOG);

  g_clear_object (&self->store);
  g_clear_object (&self->app);
  g_clear_object (&self->renews);

  G_OBJECT_CLASS (bh_authorize_dialog_parent_class)->dispose (object);
}

static void
bh_authorize_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BhAuthorizeDialog *self = BH_AUTHORIZE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_APP:
      g_value_set_object (value, self->app);
      break;

    case PROP_RENEWS:
      g_value_set_object (value, self->renews);
      break;

    case PROP_FLOW:
      g_value_set_object (value, self->flow);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_authorize_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BhAuthorizeDialog *self = BH_AUTHORIZE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_APP:
      self->app = g_value_dup_object (value);
      break;

    case PROP_RENEWS:
      self->renews = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_authorize_dialog_class_init (BhAuthorizeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bh_authorize_dialog_constructed;
  object_class->dispose = bh_authorize_dialog_dispose;
  object_class->get_property = bh_authorize_dialog_get_property;
  object_class->set_property = bh_authorize_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BH_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_APP] =
    g_param_spec_object ("app", NULL, NULL,
                         BH_TYPE_APP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The account to give new tokens, in its place (nullable): Authorize
   * Again, or the end of a rotation. */
  properties[PROP_RENEWS] =
    g_param_spec_object ("renews", NULL, NULL,
                         BH_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The running flow (a BhPinFlow or a BhOAuth2Flow), for tests and for
   * whoever wants to follow it. */
  properties[PROP_FLOW] =
    g_param_spec_object ("flow", NULL, NULL,
                         BH_TYPE_FLOW,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/birdhouse/Birdhouse/bh-authorize-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, continue_button);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, authorize_button);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, method_group);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, oauth2_check);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, pin_check);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, pin_options_group);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, read_only_switch);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, force_login_switch);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, screen_name_row);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, scopes_group);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, preset_row);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, scopes_row);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, offline_switch);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, scopes_error_label);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, pin_body_label);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, url_label);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, pin_error_label);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, oauth2_body_label);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, oauth2_url_label);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, paste_group);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, paste_row);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, paste_error_label);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, success_page);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, edit_app_button);
  gtk_widget_class_bind_template_callback (widget_class, on_continue_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_done_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_link_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_open_again_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_app_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_method_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_options_changed);
  _bh_authorize_dialog_pin_class_init (widget_class);
  _bh_authorize_dialog_oauth2_class_init (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bh_authorize_dialog_init (BhAuthorizeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _bh_authorize_dialog_show_page (self, "options");
}

/**
 * bh_authorize_dialog_new:
 * @parent: the window the dialog is modal for
 * @store: where the new account is stored
 * @app: the App the account is authorized for
 *
 * Returns: (transfer none): a new dialog; present it with gtk_window_present()
 */
GtkWidget *
bh_authorize_dialog_new (GtkWindow *parent,
                         BhStore   *store,
                         BhApp     *app)
{
  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_APP (app), NULL);

  return g_object_new (BH_TYPE_AUTHORIZE_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       "app", app,
                       NULL);
}

/**
 * bh_authorize_dialog_new_renewal:
 * @parent: the window the dialog is modal for
 * @store: the store @account is in
 * @account: the account to give new tokens (Authorize Again, or the end
 *   of a rotation)
 *
 * The same dialog for the account's App and method: OAuth 2.0 with the
 * scopes it had when it holds a grant, else the PIN with X's sign-in
 * forced and its screen name filled in. The new tokens replace the
 * account's in its place (the store keeps the account object).
 *
 * Returns: (transfer none): a new dialog; present it with gtk_window_present()
 */
GtkWidget *
bh_authorize_dialog_new_renewal (GtkWindow *parent,
                                 BhStore   *store,
                                 BhAccount *account)
{
  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_ACCOUNT (account), NULL);

  return g_object_new (BH_TYPE_AUTHORIZE_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       "app", bh_store_get_account_app (store, account),
                       "renews", account,
                       NULL);
}
