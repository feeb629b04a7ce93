/* bh-app-page-bearer.c
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

#include "bh-app-page-private.h"

#include "bh-age.h"
#include "bh-bearer-flow.h"
#include "bh-clipboard.h"
#include "bh-secret.h"
#include "bh-window.h"
#include "bh-x-error.h"

/*
 * The App page's bearer token group: its state (with the token's age), and
 * generating, copying, invalidating and rotating the token through
 * BhBearerFlow, one flow at a time (the page is busy meanwhile).
 */

static BhBearerFlowMode
flow_mode (BhFlow *flow)
{
  BhBearerFlowMode mode = BH_BEARER_FLOW_GENERATE;

  g_object_get (flow, "mode", &mode, NULL);
  return mode;
}


void
_bh_app_page_update_bearer (BhAppPage *self)
{
  gboolean busy = self->bearer_flow != NULL;
  gboolean has_bearer = self->app != NULL && bh_app_get_has_bearer (self->app);
  g_autofree char *subtitle = NULL;

  if (busy && flow_mode (self->bearer_flow) == BH_BEARER_FLOW_INVALIDATE)
    /* Translators: the state of the App’s bearer token while X invalidates it. */
    subtitle = g_strdup (C_("bearer token", "Invalidating…"));
  else if (busy && flow_mode (self->bearer_flow) == BH_BEARER_FLOW_ROTATE)
    /* Translators: the state of the App’s bearer token while X replaces it. */
    subtitle = g_strdup (C_("bearer token", "Rotating…"));
  else if (busy)
    subtitle = g_strdup (_("Asking X for the bearer token…"));
  else if (has_bearer)
    {
      g_autofree char *age_text = bh_format_app_age (self->app, BH_CREDENTIAL_KIND_BEARER_TOKEN);

      /* Translators: the state of the App’s bearer token; %s is its age, such as “Created today”. */
      subtitle = g_strdup_printf (C_("bearer token", "In the keyring\n%s"), age_text);
    }
  else
    /* Translators: the state of the App’s bearer token. */
    subtitle = g_strdup (C_("bearer token", "Not generated yet"));

  adw_action_row_set_subtitle (self->bearer_row, subtitle);

  gtk_widget_set_visible (GTK_WIDGET (self->bearer_spinner), busy);
  gtk_spinner_set_spinning (self->bearer_spinner, busy);
  gtk_widget_set_visible (self->bearer_cancel_button, busy);
  gtk_widget_set_visible (self->bearer_generate_button, !busy && !has_bearer);
  gtk_widget_set_visible (self->bearer_copy_button, !busy && has_bearer);
  gtk_widget_set_visible (self->bearer_invalidate_button, !busy && has_bearer);
  gtk_widget_set_visible (self->bearer_rotate_button, !busy && has_bearer);
  /* Generating needs the API key secret, and a keyring to keep the token. */
  gtk_widget_set_sensitive (self->bearer_generate_button,
                            self->app != NULL && bh_app_get_has_secret (self->app) &&
                            !_bh_app_page_keyring_locked (self));
}

static void
bearer_flow_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(BhAppPage) self = user_data;
  g_autoptr(GError) error = NULL;
  BhBearerFlowMode mode = flow_mode (BH_FLOW (object));
  gboolean ok;

  ok = bh_flow_run_finish (BH_FLOW (object), result, &error);

  /* Only forget the flow if it is still the current one (the page may
   * have moved to another App and started another). */
  if (self->bearer_flow == BH_FLOW (object))
    {
      g_clear_object (&self->bearer_flow);
      _bh_app_page_notify_busy (self);
    }
  _bh_app_page_update_bearer (self);

  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;

  if (ok)
    {
      BhWindow *window = bh_window_get_for_widget (GTK_WIDGET (self));

      if (window != NULL)
        bh_window_add_toast (window, adw_toast_new (mode == BH_BEARER_FLOW_INVALIDATE ? _("Bearer token invalidated")
                                                    : mode == BH_BEARER_FLOW_ROTATE ? _("Bearer token rotated")
                                                    : _("Bearer token generated")));
    }
  else if (mode == BH_BEARER_FLOW_ROTATE && !bh_error_is_cancelled (error))
    {
      g_autoptr(GError) kept = NULL;

      /* Before X invalidated it, nothing changed: say so. */
      if (!bh_bearer_flow_get_invalidated (BH_BEARER_FLOW (object)))
        /* Translators: %s is X's or the network's reason, a sentence. */
        kept = g_error_new (error->domain, error->code, _("%s The old bearer token is kept and still works."),
                            error->message);
      bh_window_show_error (GTK_WIDGET (self), _("The Bearer Token Could Not Be Rotated"),
                            kept != NULL ? kept : error);
    }
  else if (!bh_error_is_cancelled (error))
    {
      bh_window_show_error (GTK_WIDGET (self),
                            mode == BH_BEARER_FLOW_INVALIDATE ? _("The Bearer Token Could Not Be Invalidated")
                                                              : _("The Bearer Token Could Not Be Generated"),
                            error);
    }
}

static void
run_bearer_flow (BhAppPage        *self,
                 BhBearerFlowMode  mode)
{
  if (self->app == NULL || self->store == NULL || self->bearer_flow != NULL)
    return;

  self->bearer_flow = BH_FLOW (bh_bearer_flow_new (self->store, self->app, mode));

  bh_flow_run_async (self->bearer_flow, bearer_flow_done_cb, g_object_ref (self));
  _bh_app_page_notify_busy (self);
  _bh_app_page_update_bearer (self);
  gtk_widget_grab_focus (self->bearer_cancel_button);
}

static void
bearer_generate_clicked_cb (BhAppPage *self)
{
  run_bearer_flow (self, BH_BEARER_FLOW_GENERATE);
}

static void
bearer_cancel_clicked_cb (BhAppPage *self)
{
  if (self->bearer_flow != NULL)
    bh_flow_cancel (self->bearer_flow);
}

static void
bearer_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    BhAppPage        *self)
{
  if (g_strcmp0 (response, "invalidate") == 0)
    run_bearer_flow (self, BH_BEARER_FLOW_INVALIDATE);
  else if (g_strcmp0 (response, "rotate") == 0)
    run_bearer_flow (self, BH_BEARER_FLOW_ROTATE);
}

/* Asks before the bearer token stops working: @response is "invalidate"
 * or "rotate", @label its button. */
static void
confirm_bearer (BhAppPage  *self,
                const char *heading,
                const char *body,
                const char *response,
                const char *label)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (bearer_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bearer_invalidate_clicked_cb (BhAppPage *self)
{
  confirm_bearer (self, _("Invalidate the Bearer Token?"),
                  _("X will stop accepting it, and scripts that use it will fail. You can generate a new one afterwards."),
                  /* Translators: a button: invalidate the App’s bearer token at X. */
                  "invalidate", _("_Invalidate"));
}

static void
bearer_rotate_clicked_cb (BhAppPage *self)
{
  confirm_bearer (self, _("Rotate the Bearer Token?"),
                  _("X invalidates the current bearer token and Birdhouse keeps a new one in its place. Scripts that use the old token stop working until they use the new one."),
                  /* Translators: a button: replace the App’s bearer token with a new one. */
                  "rotate", _("_Rotate"));
}

static void
lookup_bearer_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BhAppPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) bearer = NULL;

  bearer = bh_store_lookup_bearer_finish (BH_STORE (object), result, &error);
  gtk_widget_set_sensitive (self->bearer_copy_button, TRUE);

  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;

  if (bearer == NULL)
    bh_window_show_error (GTK_WIDGET (self), _("The Bearer Token Could Not Be Read"), error);
  else
    bh_clipboard_copy_secret (GTK_WIDGET (self), bearer, _("Bearer token copied."));
}

static void
bearer_copy_clicked_cb (BhAppPage *self)
{
  if (self->app == NULL || self->store == NULL)
    return;

  gtk_widget_set_sensitive (self->bearer_copy_button, FALSE);
  bh_store_lookup_bearer_async (self->store, self->app, self->cancellable,
                                lookup_bearer_cb, g_object_ref (self));
}

void
_bh_app_page_bearer_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, bearer_group);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, bearer_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, bearer_spinner);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, bearer_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, bearer_generate_button);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, bearer_copy_button);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, bearer_invalidate_button);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, bearer_rotate_button);

  gtk_widget_class_bind_template_callback (widget_class, bearer_generate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, bearer_cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, bearer_copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, bearer_invalidate_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, bearer_rotate_clicked_cb);
}
