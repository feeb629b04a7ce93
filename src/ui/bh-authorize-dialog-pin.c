/* bh-authorize-dialog-pin.c
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
#include <string.h>

#include "bh-account.h"
#include "bh-secret.h"

/*
 * The OAuth 1.0a PIN flow in the authorize dialog: the options
 * (read-only, another account), the PIN page, and its success.
 */

static BhPinFlow *
pin_flow (BhAuthorizeDialog *self)
{
  return BH_IS_PIN_FLOW (self->flow) ? BH_PIN_FLOW (self->flow) : NULL;
}

static void
update_authorize_sensitive (BhAuthorizeDialog *self)
{
  gboolean ok = FALSE;

  if (pin_flow (self) != NULL &&
      bh_flow_get_state (self->flow) == BH_FLOW_STATE_WAITING_FOR_PIN)
    ok = bh_pin_is_plausible (gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)));

  gtk_widget_set_sensitive (GTK_WIDGET (self->authorize_button), ok);
}

static void
clear_pin_entry (BhAuthorizeDialog *self)
{
  /* GtkEntry keeps its own buffer; setting "" is the best we can do. */
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
}

void
_bh_authorize_dialog_pin_show_page (BhAuthorizeDialog *self)
{
  BhPinFlow *flow = pin_flow (self);
  const char *url = bh_pin_flow_get_authorize_url (flow);
  const GError *browser_error = bh_pin_flow_get_browser_error (flow);

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
      const GError *error = bh_flow_get_error (self->flow);

      self->pin_error_pending = FALSE;
      gtk_label_set_label (self->pin_error_label,
                           error != NULL ? error->message : _("X refused the PIN. Check it and type it again."));
      gtk_widget_set_visible (GTK_WIDGET (self->pin_error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->pin_entry), "error");
      clear_pin_entry (self);
    }

  _bh_authorize_dialog_show_page (self, "pin");
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_entry));
  update_authorize_sensitive (self);
}

static void
on_flow_error_changed (BhAuthorizeDialog *self)
{
  const GError *error = bh_flow_get_error (self->flow);
  BhFlowState state = bh_flow_get_state (self->flow);

  /* While the flow still runs, an error means X refused the PIN (or
   * dropped the request token): it is shown on the PIN page, which the
   * flow returns to. */
  if (error == NULL || state == BH_FLOW_STATE_FAILED ||
      state == BH_FLOW_STATE_CANCELLED || state == BH_FLOW_STATE_DONE)
    return;

  self->pin_error_pending = TRUE;
  if (state == BH_FLOW_STATE_WAITING_FOR_PIN)
    _bh_authorize_dialog_pin_show_page (self);
}

void
_bh_authorize_dialog_pin_show_success (BhAuthorizeDialog *self)
{
  BhAccount *account = bh_pin_flow_get_account (pin_flow (self));
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
  _bh_authorize_dialog_show_page (self, "success");
}

/* Creates the PIN flow from the options; the dialog runs it. */
void
_bh_authorize_dialog_pin_start (BhAuthorizeDialog *self)
{
  const char *screen_name = NULL;
  gboolean force_login = gtk_switch_get_active (self->force_login_switch);
  BhPinFlow *flow;

  if (force_login)
    {
      screen_name = gtk_editable_get_text (GTK_EDITABLE (self->screen_name_row));
      while (*screen_name == ' ' || *screen_name == '@')
        screen_name++;
      if (*screen_name == '\0')
        screen_name = NULL;
    }

  if (self->renews != NULL)
    {
      /* Its own sign-in and screen name; only read-only is a choice. */
      flow = bh_pin_flow_new_renewal (self->store, self->renews);
      g_object_set (flow, "read-only", gtk_switch_get_active (self->read_only_switch), NULL);
    }
  else
    {
      flow = bh_pin_flow_new (self->store, self->app);
      g_object_set (flow,
                    "read-only", gtk_switch_get_active (self->read_only_switch),
                    "force-login", force_login,
                    NULL);
    }
  if (screen_name != NULL && self->renews == NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (screen_name));

      g_object_set (flow, "screen-name", stripped, NULL);
    }

  _bh_authorize_dialog_set_flow (self, BH_FLOW (flow));

  self->pin_error_pending = FALSE;
  gtk_widget_remove_css_class (GTK_WIDGET (self->pin_entry), "error");
  clear_pin_entry (self);

  g_signal_connect_swapped (flow, "notify::state",
                            G_CALLBACK (_bh_authorize_dialog_sync_state), self);
  g_signal_connect_swapped (flow, "notify::error",
                            G_CALLBACK (on_flow_error_changed), self);
  g_signal_connect_swapped (flow, "notify::authorize-url",
                            G_CALLBACK (_bh_authorize_dialog_sync_state), self);
  g_signal_connect_swapped (flow, "notify::browser-error",
                            G_CALLBACK (_bh_authorize_dialog_sync_state), self);
}

static void
on_authorize_clicked (BhAuthorizeDialog *self)
{
  g_autoptr(BhSecret) pin = NULL;

  if (pin_flow (self) == NULL ||
      !gtk_widget_get_sensitive (GTK_WIDGET (self->authorize_button)))
    return;

  pin = bh_secret_dup (gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)));
  gtk_widget_set_visible (GTK_WIDGET (self->pin_error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->pin_entry), "error");

  if (bh_pin_flow_submit_pin (pin_flow (self), pin))
    clear_pin_entry (self);
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

void
_bh_authorize_dialog_pin_init (BhAuthorizeDialog *self)
{
  PangoAttrList *attrs;

  /* A PIN is read aloud and compared digit by digit: large monospace. */
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_family_new ("monospace"));
  pango_attr_list_insert (attrs, pango_attr_scale_new (1.8));
  pango_attr_list_insert (attrs, pango_attr_letter_spacing_new (3 * PANGO_SCALE));
  gtk_entry_set_attributes (self->pin_entry, attrs);
  pango_attr_list_unref (attrs);

  g_signal_connect (gtk_editable_get_delegate (GTK_EDITABLE (self->pin_entry)),
                    "insert-text", G_CALLBACK (on_pin_insert_text), self);

  /* Renewing with a PIN: X must ask who signs in, and it must be this
   * account. */
  if (self->renews != NULL)
    {
      gtk_switch_set_active (self->force_login_switch, TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->force_login_switch), FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->screen_name_row),
                             bh_account_get_screen_name (self->renews));
      gtk_widget_set_sensitive (GTK_WIDGET (self->screen_name_row), FALSE);
    }
}

void
_bh_authorize_dialog_pin_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_authorize_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_pin_changed);
}
