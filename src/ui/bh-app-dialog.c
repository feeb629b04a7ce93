/* bh-app-dialog.c
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

#include <string.h>
#include <glib/gi18n.h>

#include "bh-app-dialog.h"

#include "bh-a11y.h"
#include "bh-clipboard.h"
#include "bh-oauth2.h"
#include "bh-window.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

struct _BhAppDialog
{
  AdwWindow      parent_instance;

  BhStore       *store;
  BhApp         *app;          /* NULL when adding */
  GCancellable  *cancellable;
  gboolean       saving;

  /* Template widgets */
  GtkWidget     *cancel_button;
  GtkWidget     *save_button;
  GtkSpinner    *spinner;
  AdwPreferencesGroup *fields_group;
  AdwEntryRow   *name_row;
  AdwEntryRow   *key_row;
  AdwEntryRow   *secret_row;
  AdwPreferencesGroup *oauth2_group;
  AdwEntryRow   *client_id_row;
  AdwEntryRow   *client_secret_row;
  AdwActionRow  *register_row;
  GtkWidget     *public_row;
  GtkSwitch     *public_switch;
  AdwExpanderRow *advanced_row;
  AdwEntryRow   *host_row;
  AdwEntryRow   *redirect_row;
  GtkWidget     *copy_redirect_button;
  GtkLabel      *error_label;
};

G_DEFINE_FINAL_TYPE (BhAppDialog, bh_app_dialog, ADW_TYPE_WINDOW)

enum {
  APP_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
has_stray_whitespace (const char *text)
{
  size_t len = strlen (text);

  return len > 0 && (g_ascii_isspace (text[0]) || g_ascii_isspace (text[len - 1]));
}

static void
set_error (BhAppDialog *self,
           const char  *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
mark_row (AdwEntryRow *row,
          gboolean     bad)
{
  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* The redirect URI as typed; empty is the default. */
static const char *
redirect_uri (BhAppDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->redirect_row));

  return *text != '\0' ? text : BH_OAUTH2_DEFAULT_REDIRECT_URI;
}

/* The first field of @rows (name, API key, API key secret, Client ID,
 * Client Secret) with a space around it, or -1. */
static int
first_stray_whitespace (AdwEntryRow **rows,
                        guint         n_rows)
{
  for (guint i = 0; i < n_rows; i++)
    {
      gboolean bad = has_stray_whitespace (gtk_editable_get_text (GTK_EDITABLE (rows[i])));

      mark_row (rows[i], bad);
      if (bad)
        return (int) i;
    }

  return -1;
}

/* Checks the fields; returns TRUE when they can be saved and says in
 * words what is wrong otherwise. Empty fields only keep Save insensitive:
 * a fresh form is not an error. */
static gboolean
validate (BhAppDialog *self)
{
  AdwEntryRow *rows[] = { self->name_row, self->key_row, self->secret_row,
                          self->client_id_row, self->client_secret_row };
  static const char *stray[] = {
    N_("The name starts or ends with a space. Remove it."),
    N_("The API key starts or ends with a space. Remove it: keys never contain spaces."),
    N_("The API key secret starts or ends with a space. Remove it: secrets never contain spaces."),
    N_("The Client ID starts or ends with a space. Remove it: Client IDs never contain spaces."),
    N_("The Client Secret starts or ends with a space. Remove it: secrets never contain spaces."),
  };
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  const char *client_id = gtk_editable_get_text (GTK_EDITABLE (self->client_id_row));
  const char *client_secret = gtk_editable_get_text (GTK_EDITABLE (self->client_secret_row));
  const char *host = gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  g_autoptr(GError) url_error = NULL;
  g_autoptr(GError) redirect_error = NULL;
  const char *message = NULL;
  gboolean complete, had_key;
  int bad_field = first_stray_whitespace (rows, G_N_ELEMENTS (rows));
  gboolean bad_host = FALSE;
  gboolean bad_redirect;

  if (*host == '\0' || has_stray_whitespace (host))
    bad_host = *host != '\0';
  if (!bad_host && *host != '\0' && !bh_x_check_url (host, &url_error))
    bad_host = TRUE;
  bad_redirect = !bh_oauth2_check_redirect_uri (redirect_uri (self), NULL, NULL, &redirect_error);

  if (bad_field >= 0)
    message = _(stray[bad_field]);
  else if (bad_host && url_error != NULL)
    message = url_error->message;
  else if (bad_host)
    message = _("The API host starts or ends with a space. Remove it.");
  else if (bad_redirect)
    message = redirect_error->message;

  mark_row (self->host_row, bad_host);
  mark_row (self->redirect_row, bad_redirect);

  /* The exact URI to register, as it will be saved. */
  adw_action_row_set_subtitle (self->register_row, bad_redirect ? "" : redirect_uri (self));
  gtk_widget_set_sensitive (self->copy_redirect_button, !bad_redirect);

  /* Point at the hidden field when it is the one at fault. */
  if (bad_host || bad_redirect)
    adw_expander_row_set_expanded (self->advanced_row, TRUE);

  set_error (self, message);

  /* Turning public: no Client Secret to type. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->client_secret_row), !gtk_switch_get_active (self->public_switch));

  /* An API key, a Client ID or both. A new API key needs its secret
   * (when editing, an empty secret keeps the stored one); a Client
   * Secret needs its Client ID. */
  had_key = self->app != NULL && bh_app_get_consumer_key (self->app) != NULL;
  complete = *name != '\0' && *host != '\0' &&
             (*key != '\0' || *client_id != '\0') &&
             (*key == '\0' || had_key || *secret != '\0') &&
             (*secret == '\0' || *key != '\0') &&
             (*client_secret == '\0' || *client_id != '\0');

  return message == NULL && complete;
}

static void
update_save (BhAppDialog *self)
{
  gboolean valid = validate (self);

  gtk_widget_set_sensitive (self->save_button, valid && !self->saving);
}

static void
field_changed_cb (BhAppDialog *self)
{
  if (!self->saving)
    update_save (self);
}

static void
set_saving (BhAppDialog *self,
            gboolean     saving)
{
  self->saving = saving;

  /* Take focus out of the entry before it turns insensitive: GTK 4.8
   * otherwise keeps its cursor blinking with no focus-out. */
  if (saving)
    gtk_widget_grab_focus (self->cancel_button);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), saving);
  gtk_spinner_set_spinning (self->spinner, saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->fields_group), !saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->oauth2_group), !saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->advanced_row), !saving);
  update_save (self);
}

static void
saved (BhAppDialog *self,
       BhApp       *app,
       const char  *toast)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  g_signal_emit (self, signals[APP_SAVED], 0, app);

  if (BH_IS_WINDOW (parent))
    bh_window_add_toast (BH_WINDOW (parent), adw_toast_new (toast));

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_failed (BhAppDialog  *self,
             const GError *error)
{
  set_saving (self, FALSE);
  set_error (self, error->message);

  if (g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_EXISTS))
    {
      mark_row (self->name_row, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
    }
}

static void
add_app_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BhAppDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhApp) app = NULL;

  app = bh_store_add_app_full_finish (BH_STORE (object), result, &error);

  if (app == NULL)
    {
      if (!bh_error_is_cancelled (error))
        save_failed (self, error);
      return;
    }

  saved (self, app, _("App added"));
}

static void
update_app_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BhAppDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bh_store_update_app_full_finish (BH_STORE (object), result, &error))
    {
      if (!bh_error_is_cancelled (error))
        save_failed (self, error);
      return;
    }

  saved (self, self->app, _("App saved"));
}

static const char *
text_or_null (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return *text != '\0' ? text : NULL;
}

static void
save_clicked_cb (BhAppDialog *self)
{
  BhStoreAppFields fields = { NULL, };

  if (self->saving || !validate (self))
    return;

  fields.name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  fields.consumer_key = text_or_null (self->key_row);
  /* When editing, an empty secret keeps the stored one. */
  fields.consumer_secret = text_or_null (self->secret_row);
  fields.api_host = gtk_editable_get_text (GTK_EDITABLE (self->host_row));
  fields.client_id = text_or_null (self->client_id_row);
  fields.remove_client_secret = gtk_switch_get_active (self->public_switch);
  fields.client_secret = fields.remove_client_secret ? NULL : text_or_null (self->client_secret_row);
  fields.redirect_uri = redirect_uri (self);

  set_saving (self, TRUE);

  if (self->app == NULL)
    bh_store_add_app_full_async (self->store, &fields,
                                 self->cancellable, add_app_cb, g_object_ref (self));
  else
    bh_store_update_app_full_async (self->store, self->app, &fields,
                                    self->cancellable, update_app_cb, g_object_ref (self));
}

static void
copy_redirect_clicked_cb (BhAppDialog *self)
{
  bh_clipboard_copy_text (GTK_WIDGET (self), redirect_uri (self), _("Callback URI copied"));
}

static void
entry_activated_cb (BhAppDialog *self)
{
  if (gtk_widget_get_sensitive (self->save_button))
    save_clicked_cb (self);
}

static void
cancel_clicked_cb (BhAppDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

GtkWidget *
bh_app_dialog_new (GtkWindow *parent,
                   BhStore   *store,
                   BhApp     *app)
{
  BhAppDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (app == NULL || BH_IS_APP (app), NULL);

  self = g_object_new (BH_TYPE_APP_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  self->app = app != NULL ? g_object_ref (app) : NULL;

  if (app != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit App"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), bh_app_get_name (app));
      if (bh_app_get_consumer_key (app) != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->key_row), bh_app_get_consumer_key (app));
      if (bh_app_get_client_id (app) != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->client_id_row), bh_app_get_client_id (app));
      gtk_editable_set_text (GTK_EDITABLE (self->host_row), bh_app_get_api_host (app));
      gtk_editable_set_text (GTK_EDITABLE (self->redirect_row), bh_app_get_redirect_uri (app));
      if (bh_app_get_consumer_key (app) != NULL)
        adw_preferences_group_set_description (self->fields_group,
                                               _("Leave the API key secret empty to keep the one in the keyring."));
      if (bh_app_get_has_client_secret (app))
        {
          adw_preferences_group_set_description (self->oauth2_group,
                                                 _("Leave the Client Secret empty to keep the one in the "
                                                   "keyring."));
          gtk_widget_set_visible (self->public_row, TRUE);
        }
    }
  else
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);
      g_autofree char *host = g_settings_get_string (settings, "default-api-host");

      gtk_window_set_title (GTK_WINDOW (self), _("Add App"));
      gtk_editable_set_text (GTK_EDITABLE (self->host_row), host);
      gtk_editable_set_text (GTK_EDITABLE (self->redirect_row), BH_OAUTH2_DEFAULT_REDIRECT_URI);
    }

  update_save (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));

  return GTK_WIDGET (self);
}

static void
bh_app_dialog_dispose (GObject *object)
{
  BhAppDialog *self = BH_APP_DIALOG (object);

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_APP_DIALOG);

  g_clear_object (&self->store);
  g_clear_object (&self->app);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bh_app_dialog_parent_class)->dispose (object);
}

static void
bh_app_dialog_class_init (BhAppDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_app_dialog_dispose;

  signals[APP_SAVED] =
    g_signal_new ("app-saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BH_TYPE_APP);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/birdhouse/Birdhouse/bh-app-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, fields_group);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, key_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, oauth2_group);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, register_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, public_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, public_switch);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, copy_redirect_button);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, redirect_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_redirect_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bh_app_dialog_init (BhAppDialog *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  bh_a11y_name_buttons_by_tooltip (GTK_WIDGET (self->secret_row));
  bh_a11y_name_buttons_by_tooltip (GTK_WIDGET (self->client_secret_row));
}
