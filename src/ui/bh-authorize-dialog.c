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

#include "bh-authorize-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-clipboard.h"
#include "bh-pin-flow.h"
#include "bh-secret.h"
#include "bh-weak-ref.h"
#include "bh-x-error.h"

/*
 * The PIN flow in one modal window: options → (request token) → the
 * browser is open, type the PIN → (exchange, verify, store) → success, or
 * an error with Try Again. The steps are pages of a GtkStack; the header
 * bar shows the one action that makes sense on each page. Closing the
 * window, Escape or Cancel cancels the work in flight.
 */

struct _BhAuthorizeDialog
{
  AdwWindow       parent_instance;

  BhStore        *store;
  BhApp          *app;
  BhPinFlow      *flow;

  /* A refused PIN arrived; show it (and clear the entry) on the PIN page. */
  gboolean        pin_error_pending;

  /* Template children */
  AdwWindowTitle *window_title;
  GtkButton      *cancel_button;
  GtkButton      *continue_button;
  GtkButton      *authorize_button;
  GtkButton      *done_button;
  GtkButton      *retry_button;
  GtkStack       *stack;
  GtkSwitch      *read_only_switch;
  GtkSwitch      *force_login_switch;
  AdwEntryRow    *screen_name_row;
  GtkSpinner     *spinner;
  GtkLabel       *progress_label;
  GtkLabel       *pin_body_label;
  GtkLabel       *url_label;
  GtkEntry       *pin_entry;
  GtkLabel       *pin_error_label;
  AdwStatusPage  *success_page;
  AdwStatusPage  *error_page;
};

G_DEFINE_FINAL_TYPE (BhAuthorizeDialog, bh_authorize_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_APP,
  PROP_FLOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_page (BhAuthorizeDialog *self,
           const char        *name)
{
  const char *current = gtk_stack_get_visible_child_name (self->stack);
  gboolean options = g_str_equal (name, "options");
  gboolean pin = g_str_equal (name, "pin");
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
  else if (success)
    gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
  else if (error)
    gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
  else if (progress)
    gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));
}

static void
show_progress (BhAuthorizeDialog *self,
               const char        *text)
{
  gtk_label_set_label (self->progress_label, text);
  show_page (self, "progress");
}

static void
update_authorize_sensitive (BhAuthorizeDialog *self)
{
  gboolean ok = FALSE;

  if (self->flow != NULL &&
      bh_flow_get_state (BH_FLOW (self->flow)) == BH_FLOW_STATE_WAITING_FOR_PIN)
    ok = bh_pin_is_plausible (gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)));

  gtk_widget_set_sensitive (GTK_WIDGET (self->authorize_button), ok);
}

static void
clear_pin_entry (BhAuthorizeDialog *self)
{
  /* GtkEntry keeps its own buffer; setting "" is the best we can do. */
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
}

static void
show_pin_page (BhAuthorizeDialog *self)
{
  const char *url = bh_pin_flow_get_authorize_url (self->flow);
  const GError *browser_error = bh_pin_flow_get_browser_error (self->flow);

  gtk_label_set_label (self->url_label, url != NULL ? url : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->url_label), url);

  if (browser_error != NULL)
    {
      g_autofree char *text = NULL;

      /* The flow's sentence already says to copy the link (below it). */
      /* Translators: %s is a sentence saying that no web browser could
       * be opened and to copy the link. */
      text = g_strdup_printf (_("%s Then authorize the App and type the PIN X shows you."),
                              browser_error->message);
      gtk_label_set_label (self->pin_body_label, text);
    }
  else
    {
      gtk_label_set_label (self->pin_body_label,
                           _("Your browser was opened. Authorize the App in your browser, then type the PIN X shows you."));
    }

  if (self->pin_error_pending)
    {
      const GError *error = bh_flow_get_error (BH_FLOW (self->flow));

      self->pin_error_pending = FALSE;
      gtk_label_set_label (self->pin_error_label,
                           error != NULL ? error->message : _("X refused the PIN. Check it and type it again."));
      gtk_widget_set_visible (GTK_WIDGET (self->pin_error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->pin_entry), "error");
      clear_pin_entry (self);
    }

  show_page (self, "pin");
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
  update_authorize_sensitive (self);
}

static void
sync_state (BhAuthorizeDialog *self)
{
  switch (bh_flow_get_state (BH_FLOW (self->flow)))
    {
    case BH_FLOW_STATE_IDLE:
    case BH_FLOW_STATE_REQUESTING_TOKEN:
      show_progress (self, _("Asking X for a request token…"));
      break;

    case BH_FLOW_STATE_WAITING_FOR_PIN:
      show_pin_page (self);
      break;

    case BH_FLOW_STATE_EXCHANGING:
      show_progress (self, _("Exchanging the PIN…"));
      break;

    case BH_FLOW_STATE_VERIFYING:
      show_progress (self, _("Verifying the account…"));
      break;

    case BH_FLOW_STATE_STORING:
      show_progress (self, _("Saving the tokens in the keyring…"));
      break;

    case BH_FLOW_STATE_DONE:
    case BH_FLOW_STATE_FAILED:
    case BH_FLOW_STATE_CANCELLED:
    default:
      /* The end of the run is handled in run_cb, which has the error. */
      break;
    }
}

static void
on_flow_state_changed (BhAuthorizeDialog *self)
{
  sync_state (self);
}

static void
on_flow_error_changed (BhAuthorizeDialog *self)
{
  const GError *error = bh_flow_get_error (BH_FLOW (self->flow));
  BhFlowState state = bh_flow_get_state (BH_FLOW (self->flow));

  /* While the flow still runs, an error means X refused the PIN (or
   * dropped the request token): it is shown on the PIN page, which the
   * flow returns to. */
  if (error == NULL || state == BH_FLOW_STATE_FAILED ||
      state == BH_FLOW_STATE_CANCELLED || state == BH_FLOW_STATE_DONE)
    return;

  self->pin_error_pending = TRUE;
  if (state == BH_FLOW_STATE_WAITING_FOR_PIN)
    show_pin_page (self);
}

static void
show_success (BhAuthorizeDialog *self)
{
  BhAccount *account = bh_pin_flow_get_account (self->flow);
  const char *level = account != NULL ? bh_account_get_access_level (account) : NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  /* Translators: %s is an X account name, without its leading “@”. */
  title = g_strdup_printf (_("@%s is authorized"),
                           account != NULL ? bh_account_get_screen_name (account) : "");

  if (g_strcmp0 (level, "read") == 0)
    /* Translators: %s is an access level, such as “Read only”. */
    description = g_strdup_printf (_("Access: %s. The tokens are in your keyring; they can read but not post."),
                                   bh_access_level_to_label (level));
  else
    /* Translators: %s is an access level, such as “Read and write”. */
    description = g_strdup_printf (_("Access: %s. The tokens are in your keyring."),
                                   bh_access_level_to_label (level));

  adw_status_page_set_title (self->success_page, title);
  adw_status_page_set_description (self->success_page, description);
  show_page (self, "success");
}

static void
show_error (BhAuthorizeDialog *self,
            const GError      *error)
{
  adw_status_page_set_description (self->error_page, error->message);
  show_page (self, "error");
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
  if (self == NULL || self->flow != BH_PIN_FLOW (source))
    return;

  if (ok)
    show_success (self);
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
  bh_flow_cancel (BH_FLOW (self->flow));
  g_clear_object (&self->flow);
}

static void
start_flow (BhAuthorizeDialog *self)
{
  const char *screen_name = NULL;
  gboolean force_login = gtk_switch_get_active (self->force_login_switch);

  drop_flow (self);

  if (force_login)
    {
      screen_name = gtk_editable_get_text (GTK_EDITABLE (self->screen_name_row));
      while (*screen_name == ' ' || *screen_name == '@')
        screen_name++;
      if (*screen_name == '\0')
        screen_name = NULL;
    }

  self->flow = bh_pin_flow_new (self->store, self->app);
  g_object_set (self->flow,
                "read-only", gtk_switch_get_active (self->read_only_switch),
                "force-login", force_login,
                NULL);
  if (screen_name != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (screen_name));

      g_object_set (self->flow, "screen-name", stripped, NULL);
    }

  self->pin_error_pending = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->pin_error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->pin_entry), "error");
  clear_pin_entry (self);

  g_signal_connect_swapped (self->flow, "notify::state",
                            G_CALLBACK (on_flow_state_changed), self);
  g_signal_connect_swapped (self->flow, "notify::error",
                            G_CALLBACK (on_flow_error_changed), self);
  g_signal_connect_swapped (self->flow, "notify::authorize-url",
                            G_CALLBACK (on_flow_state_changed), self);
  g_signal_connect_swapped (self->flow, "notify::browser-error",
                            G_CALLBACK (on_flow_state_changed), self);

  show_progress (self, _("Asking X for a request token…"));
  bh_flow_run_async (BH_FLOW (self->flow), run_cb, bh_weak_ref_new (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLOW]);
}

static void
on_continue_clicked (BhAuthorizeDialog *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "options") == 0)
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

static void
on_authorize_clicked (BhAuthorizeDialog *self)
{
  g_autoptr(BhSecret) pin = NULL;

  if (self->flow == NULL ||
      !gtk_widget_get_sensitive (GTK_WIDGET (self->authorize_button)))
    return;

  pin = bh_secret_dup (gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)));
  gtk_widget_set_visible (GTK_WIDGET (self->pin_error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->pin_entry), "error");

  if (bh_pin_flow_submit_pin (self->flow, pin))
    clear_pin_entry (self);
}

static void
on_copy_link_clicked (BhAuthorizeDialog *self)
{
  const char *url;

  if (self->flow == NULL || (url = bh_pin_flow_get_authorize_url (self->flow)) == NULL)
    return;

  /* The URL carries only X's request token, which is not a secret. */
  bh_clipboard_copy_text (GTK_WIDGET (self), url, _("Link copied"));
}

static void
on_open_again_clicked (BhAuthorizeDialog *self)
{
  if (self->flow != NULL)
    bh_pin_flow_open_browser (self->flow);
}

static void
on_pin_changed (BhAuthorizeDialog *self)
{
  update_authorize_sensitive (self);
}

/* Only digits go into the PIN entry: typed letters are dropped, and a
 * pasted " 1234 567 " becomes "1234567". */
static void
on_pin_insert_text (GtkEditable *editable,
                    const char  *text,
                    int          length,
                    int         *position,
                    gpointer     user_data)
{
  gsize len = length < 0 ? strlen (text) : (gsize) length;
  g_autofree char *digits = g_malloc (len + 1);
  gsize n = 0;

  for (gsize i = 0; i < len; i++)
    if (g_ascii_isdigit (text[i]))
      digits[n++] = text[i];
  digits[n] = '\0';

  if (n == len)
    {
      bh_secret_wipe (digits, len + 1);
      return;
    }

  g_signal_handlers_block_by_func (editable, on_pin_insert_text, user_data);
  if (n > 0)
    gtk_editable_insert_text (editable, digits, n, position);
  g_signal_handlers_unblock_by_func (editable, on_pin_insert_text, user_data);
  g_signal_stop_emission_by_name (editable, "insert-text");

  bh_secret_wipe (digits, len + 1);
}

static void
bh_authorize_dialog_constructed (GObject *object)
{
  BhAuthorizeDialog *self = BH_AUTHORIZE_DIALOG (object);

  G_OBJECT_CLASS (bh_authorize_dialog_parent_class)->constructed (object);

  if (self->app != NULL)
    adw_window_title_set_subtitle (self->window_title, bh_app_get_name (self->app));
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
  /* The running flow, for tests and for whoever wants to follow it. */
  properties[PROP_FLOW] =
    g_param_spec_object ("flow", NULL, NULL,
                         BH_TYPE_PIN_FLOW,
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
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, read_only_switch);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, force_login_switch);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, screen_name_row);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, pin_body_label);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, url_label);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, pin_entry);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, pin_error_label);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, success_page);
  gtk_widget_class_bind_template_child (widget_class, BhAuthorizeDialog, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_continue_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_done_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_authorize_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_link_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_open_again_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_pin_changed);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bh_authorize_dialog_init (BhAuthorizeDialog *self)
{
  PangoAttrList *attrs;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* A PIN is read aloud and compared digit by digit: large monospace. */
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_family_new ("monospace"));
  pango_attr_list_insert (attrs, pango_attr_scale_new (1.8));
  pango_attr_list_insert (attrs, pango_attr_letter_spacing_new (3 * PANGO_SCALE));
  gtk_entry_set_attributes (self->pin_entry, attrs);
  pango_attr_list_unref (attrs);

  g_signal_connect (gtk_editable_get_delegate (GTK_EDITABLE (self->pin_entry)),
                    "insert-text", G_CALLBACK (on_pin_insert_text), self);

  show_page (self, "options");
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
