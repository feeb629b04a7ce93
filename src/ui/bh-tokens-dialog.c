/* bh-tokens-dialog.c
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

#include "bh-tokens-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bh-a11y.h"
#include "bh-account.h"
#include "bh-app.h"
#include "bh-secret.h"
#include "bh-tokens-flow.h"
#include "bh-weak-ref.h"
#include "bh-window.h"
#include "bh-x-error.h"

/*
 * Adds an account from tokens generated in the developer portal. The
 * tokens are checked with X (BhTokensFlow) before anything is stored, so
 * a mistyped token never reaches the keyring.
 */

struct _BhTokensDialog
{
  AdwWindow            parent_instance;

  BhStore             *store;
  BhApp               *app;
  BhTokensFlow        *flow;

  /* Template children */
  AdwWindowTitle      *window_title;
  GtkButton           *cancel_button;
  GtkButton           *add_button;
  GtkSpinner          *spinner;
  AdwPreferencesGroup *form_group;
  AdwPasswordEntryRow *token_row;
  AdwPasswordEntryRow *secret_row;
  GtkLabel            *status_label;
};

G_DEFINE_FINAL_TYPE (BhTokensDialog, bh_tokens_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_APP,
  PROP_FLOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  TOKEN_EMPTY,
  TOKEN_OK,
  TOKEN_INNER_SPACE,
} TokenCheck;

/* Pasted tokens often carry a stray space or newline at either end, which
 * is trimmed; one in the middle means a broken paste. */
static TokenCheck
check_token (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (*start != '\0' && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  if (start == end)
    return TOKEN_EMPTY;

  for (const char *p = start; p < end; p++)
    if (g_ascii_isspace (*p))
      return TOKEN_INNER_SPACE;

  return TOKEN_OK;
}

static BhSecret *
dup_trimmed (const char *text)
{
  const char *start = text;
  const char *end = text + strlen (text);

  while (*start != '\0' && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  return bh_secret_dup_len (start, end - start);
}

static void
show_status (BhTokensDialog *self,
             const char     *text,
             gboolean        is_error)
{
  gtk_label_set_label (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);

  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
set_row_invalid (AdwPasswordEntryRow *row,
                 gboolean             invalid)
{
  if (invalid)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
update_form (BhTokensDialog *self)
{
  TokenCheck token = check_token (gtk_editable_get_text (GTK_EDITABLE (self->token_row)));
  TokenCheck secret = check_token (gtk_editable_get_text (GTK_EDITABLE (self->secret_row)));
  gboolean running = self->flow != NULL;

  set_row_invalid (self->token_row, token == TOKEN_INNER_SPACE);
  set_row_invalid (self->secret_row, secret == TOKEN_INNER_SPACE);

  if (!running)
    {
      if (token == TOKEN_INNER_SPACE || secret == TOKEN_INNER_SPACE)
        show_status (self, _("A token has a space in the middle: paste it again in one piece."), TRUE);
      else
        show_status (self, NULL, FALSE);
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button),
                            !running && token == TOKEN_OK && secret == TOKEN_OK);
  gtk_widget_set_sensitive (GTK_WIDGET (self->form_group), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_spinner_set_spinning (self->spinner, running);
}

static void
on_entry_changed (BhTokensDialog *self)
{
  update_form (self);
}

static void
on_token_activated (BhTokensDialog *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->secret_row));
}

static void
drop_flow (BhTokensDialog *self)
{
  if (self->flow == NULL)
    return;

  bh_flow_cancel (BH_FLOW (self->flow));
  g_clear_object (&self->flow);
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(BhTokensDialog) self = bh_weak_ref_steal (user_data);
  g_autoptr(GError) error = NULL;
  BhWindow *window;
  gboolean ok;

  ok = bh_flow_run_finish (BH_FLOW (source), result, &error);

  /* Closed meanwhile: nothing to show. */
  if (self == NULL || self->flow != BH_TOKENS_FLOW (source))
    return;

  if (!ok)
    {
      g_clear_object (&self->flow);
      update_form (self);
      show_status (self, error->message, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLOW]);
      return;
    }

  window = bh_window_get_for_widget (GTK_WIDGET (self));
  if (window != NULL)
    {
      BhAccount *account = bh_tokens_flow_get_account (BH_TOKENS_FLOW (source));
      g_autofree char *title = NULL;

      /* Translators: %s is an X account name, without its leading “@”. */
      title = g_strdup_printf (_("@%s added"),
                               account != NULL ? bh_account_get_screen_name (account) : "");
      bh_window_add_toast (window, adw_toast_new (title));
    }

  g_clear_object (&self->flow);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_add_clicked (BhTokensDialog *self)
{
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) secret = NULL;

  if (self->flow != NULL || !gtk_widget_get_sensitive (GTK_WIDGET (self->add_button)))
    return;

  token = dup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->token_row)));
  secret = dup_trimmed (gtk_editable_get_text (GTK_EDITABLE (self->secret_row)));

  self->flow = bh_tokens_flow_new (self->store, self->app, token, secret);
  update_form (self);
  show_status (self, _("Checking the tokens with X…"), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->cancel_button));

  bh_flow_run_async (BH_FLOW (self->flow), run_cb, bh_weak_ref_new (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLOW]);
}

static void
on_cancel_clicked (BhTokensDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
bh_tokens_dialog_constructed (GObject *object)
{
  BhTokensDialog *self = BH_TOKENS_DIALOG (object);

  G_OBJECT_CLASS (bh_tokens_dialog_parent_class)->constructed (object);

  if (self->app != NULL)
    adw_window_title_set_subtitle (self->window_title, bh_app_get_name (self->app));
}

static void
bh_tokens_dialog_dispose (GObject *object)
{
  BhTokensDialog *self = BH_TOKENS_DIALOG (object);

  drop_flow (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_TOKENS_DIALOG);

  g_clear_object (&self->store);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (bh_tokens_dialog_parent_class)->dispose (object);
}

static void
bh_tokens_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BhTokensDialog *self = BH_TOKENS_DIALOG (object);

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
bh_tokens_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BhTokensDialog *self = BH_TOKENS_DIALOG (object);

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
bh_tokens_dialog_class_init (BhTokensDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bh_tokens_dialog_constructed;
  object_class->dispose = bh_tokens_dialog_dispose;
  object_class->get_property = bh_tokens_dialog_get_property;
  object_class->set_property = bh_tokens_dialog_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BH_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_APP] =
    g_param_spec_object ("app", NULL, NULL,
                         BH_TYPE_APP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The running flow (NULL when idle), for tests. */
  properties[PROP_FLOW] =
    g_param_spec_object ("flow", NULL, NULL,
                         BH_TYPE_TOKENS_FLOW,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/birdhouse/Birdhouse/bh-tokens-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BhTokensDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, BhTokensDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BhTokensDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, BhTokensDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, BhTokensDialog, form_group);
  gtk_widget_class_bind_template_child (widget_class, BhTokensDialog, token_row);
  gtk_widget_class_bind_template_child (widget_class, BhTokensDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, BhTokensDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_token_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bh_tokens_dialog_init (BhTokensDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  bh_a11y_name_buttons_by_tooltip (GTK_WIDGET (self->token_row));
  bh_a11y_name_buttons_by_tooltip (GTK_WIDGET (self->secret_row));
}

/**
 * bh_tokens_dialog_new:
 * @parent: the window the dialog is modal for; a BhWindow gets the
 *   "added" toast
 * @store: where the account is stored
 * @app: the App the tokens were generated for
 *
 * Returns: (transfer none): a new dialog; present it with gtk_window_present()
 */
GtkWidget *
bh_tokens_dialog_new (GtkWindow *parent,
                      BhStore   *store,
                      BhApp     *app)
{
  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_APP (app), NULL);

  return g_object_new (BH_TYPE_TOKENS_DIALOG,
                       "transient-for", parent,
                       "store", store,
                       "app", app,
                       NULL);
}
