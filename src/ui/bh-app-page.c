/* bh-app-page.c
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

#include "bh-account-dialog.h"
#include "bh-account-row.h"
#include "bh-age.h"
#include "bh-authorize-dialog.h"
#include "bh-clipboard.h"
#include "bh-rotate-dialog.h"
#include "bh-secret.h"
#include "bh-tokens-dialog.h"
#include "bh-window.h"
#include "bh-x-error.h"

G_DEFINE_FINAL_TYPE (BhAppPage, bh_app_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_APP,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
bh_app_page_new (void)
{
  return g_object_new (BH_TYPE_APP_PAGE, NULL);
}


BhStore *
bh_app_page_get_store (BhAppPage *self)
{
  g_return_val_if_fail (BH_IS_APP_PAGE (self), NULL);

  return self->store;
}

static void update_accounts (BhAppPage *self);

gboolean
_bh_app_page_keyring_locked (BhAppPage *self)
{
  return self->store != NULL &&
         bh_store_get_keyring_status (self->store) == BH_KEYRING_STATUS_LOCKED;
}

static void
keyring_status_changed_cb (BhAppPage *self)
{
  _bh_app_page_update_bearer (self);
  update_accounts (self);
}

void
bh_app_page_set_store (BhAppPage *self,
                       BhStore   *store)
{
  g_return_if_fail (BH_IS_APP_PAGE (self));
  g_return_if_fail (store == NULL || BH_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, keyring_status_changed_cb, self);

  g_set_object (&self->store, store);

  /* The keyring can lock (or be unlocked and Retry pressed) while an App
   * is shown: what needs it follows. */
  if (store != NULL)
    g_signal_connect_object (store, "notify::keyring-status",
                             G_CALLBACK (keyring_status_changed_cb), self, G_CONNECT_SWAPPED);

  keyring_status_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

BhApp *
bh_app_page_get_app (BhAppPage *self)
{
  g_return_val_if_fail (BH_IS_APP_PAGE (self), NULL);

  return self->app;
}

gboolean
bh_app_page_get_busy (BhAppPage *self)
{
  g_return_val_if_fail (BH_IS_APP_PAGE (self), FALSE);

  return self->bearer_flow != NULL;
}

void
_bh_app_page_notify_busy (BhAppPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Keys */

static void
update_keys (BhAppPage *self)
{
  gboolean has_secret;

  if (self->app == NULL)
    return;

  /* Each protocol's rows only when the App has its key. */
  gtk_widget_set_visible (GTK_WIDGET (self->key_row), bh_app_get_consumer_key (self->app) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), bh_app_get_consumer_key (self->app) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->client_id_row), bh_app_get_client_id (self->app) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->client_secret_row), bh_app_get_client_id (self->app) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->redirect_row), bh_app_get_client_id (self->app) != NULL);
  /* X makes a bearer token from the API key and secret only. */
  gtk_widget_set_visible (self->bearer_group,
                          bh_app_get_consumer_key (self->app) != NULL || bh_app_get_has_bearer (self->app));

  adw_action_row_set_subtitle (self->key_row, bh_app_get_consumer_key (self->app));
  adw_action_row_set_subtitle (self->client_id_row, bh_app_get_client_id (self->app));
  /* Hidden rows hold nothing either: what the tree holds is what a
   * screen reader may read. */
  adw_action_row_set_subtitle (self->redirect_row,
                               bh_app_get_client_id (self->app) != NULL ? bh_app_get_redirect_uri (self->app) : "");
  if (bh_app_get_has_client_secret (self->app))
    {
      g_autofree char *age_text = bh_format_app_age (self->app, BH_CREDENTIAL_KIND_CLIENT_SECRET);
      /* Translators: the state of the App’s OAuth 2.0 Client Secret; %s is its age, such as “Created today”. */
      g_autofree char *subtitle = g_strdup_printf (C_("client secret", "In the keyring\n%s"), age_text);

      adw_action_row_set_subtitle (self->client_secret_row, subtitle);
    }
  else
    /* Translators: the App has no OAuth 2.0 Client Secret. */
    adw_action_row_set_subtitle (self->client_secret_row, _("None: a public client (Native App)"));

  has_secret = bh_app_get_has_secret (self->app);
  /* Never the secret itself: it is read from the keyring only to copy it. */
  if (has_secret)
    {
      g_autofree char *age_text = bh_format_app_age (self->app, BH_CREDENTIAL_KIND_API_KEY_SECRET);
      g_autofree char *subtitle = g_strdup_printf ("••••••••••••\n%s", age_text);

      adw_action_row_set_subtitle (self->secret_row, subtitle);
    }
  else
    /* Translators: the state of the App’s API key secret. */
    adw_action_row_set_subtitle (self->secret_row, _("Missing from the keyring"));
  gtk_widget_set_sensitive (self->copy_secret_button, has_secret && self->secret_lookups == 0);
  gtk_widget_set_sensitive (self->rotate_secret_button, !_bh_app_page_keyring_locked (self));
  gtk_widget_set_visible (self->rotate_client_secret_button, bh_app_get_has_client_secret (self->app));
  gtk_widget_set_sensitive (self->rotate_client_secret_button, !_bh_app_page_keyring_locked (self));
}

static void
copy_key_clicked_cb (BhAppPage *self)
{
  if (self->app != NULL)
    bh_clipboard_copy_text (GTK_WIDGET (self), bh_app_get_consumer_key (self->app), _("API key copied"));
}

static void
copy_client_id_clicked_cb (BhAppPage *self)
{
  if (self->app != NULL)
    bh_clipboard_copy_text (GTK_WIDGET (self), bh_app_get_client_id (self->app), _("Client ID copied"));
}

static void
copy_redirect_clicked_cb (BhAppPage *self)
{
  if (self->app != NULL)
    bh_clipboard_copy_text (GTK_WIDGET (self), bh_app_get_redirect_uri (self->app), _("Callback URI copied"));
}

static void
set_secret_busy (BhAppPage *self,
                 gboolean   busy)
{
  if (busy)
    self->secret_lookups++;
  else
    self->secret_lookups--;

  gtk_widget_set_visible (GTK_WIDGET (self->secret_spinner), self->secret_lookups > 0);
  gtk_spinner_set_spinning (self->secret_spinner, self->secret_lookups > 0);
  update_keys (self);
}

static void
lookup_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BhAppPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) secret = NULL;

  secret = bh_store_lookup_consumer_secret_finish (BH_STORE (object), result, &error);
  set_secret_busy (self, FALSE);

  if (secret == NULL)
    {
      if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
        bh_window_show_error (GTK_WIDGET (self), _("The API Key Secret Could Not Be Read"), error);
      return;
    }

  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    bh_clipboard_copy_secret (GTK_WIDGET (self), secret, _("API key secret copied."));
}

static void
copy_secret_clicked_cb (BhAppPage *self)
{
  if (self->app == NULL || self->store == NULL)
    return;

  set_secret_busy (self, TRUE);
  bh_store_lookup_consumer_secret_async (self->store, self->app, self->cancellable,
                                         lookup_secret_cb, g_object_ref (self));
}

/* Accounts */

static GtkWidget *
create_account_row (gpointer item,
                    gpointer user_data)
{
  return bh_account_row_new (BH_ACCOUNT (item));
}

/* Rows built before the page's first frame: those the default window size
 * shows. Each row costs a few milliseconds (widgets, styles, text,
 * accessibility objects); the rest are built right after that frame. */
#define FIRST_ROWS 3

static void
stop_filling (BhAppPage *self)
{
  if (self->clock != NULL)
    {
      g_clear_signal_handler (&self->after_paint_id, self->clock);
      g_clear_object (&self->clock);
    }
}

static gboolean
add_remaining_rows_cb (gpointer user_data)
{
  BhAppPage *self = user_data;

  self->rest_idle_id = 0;
  if (self->account_slice != NULL)
    gtk_slice_list_model_set_size (self->account_slice, G_MAXUINT);

  return G_SOURCE_REMOVE;
}

static void
clock_after_paint_cb (BhAppPage *self)
{
  /* What shows is painted; the rows below it come now, without holding
   * up that frame. */
  stop_filling (self);
  if (self->rest_idle_id == 0)
    self->rest_idle_id = g_idle_add (add_remaining_rows_cb, self);
}

static void
start_filling (BhAppPage *self)
{
  GdkFrameClock *clock;

  if (self->clock != NULL || self->account_slice == NULL ||
      gtk_slice_list_model_get_size (self->account_slice) >= G_MAXUINT ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (clock == NULL)
    return;

  self->clock = g_object_ref (clock);
  self->after_paint_id = g_signal_connect_swapped (clock, "after-paint",
                                                   G_CALLBACK (clock_after_paint_cb), self);
}

static void
bh_app_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (bh_app_page_parent_class)->map (widget);

  start_filling (BH_APP_PAGE (widget));
}

static void
bh_app_page_unmap (GtkWidget *widget)
{
  stop_filling (BH_APP_PAGE (widget));

  GTK_WIDGET_CLASS (bh_app_page_parent_class)->unmap (widget);
}

static void
update_accounts (BhAppPage *self)
{
  guint n = self->app != NULL ? g_list_model_get_n_items (bh_app_get_accounts (self->app)) : 0;
  gboolean keyring_ok = !_bh_app_page_keyring_locked (self);

  gtk_widget_set_visible (GTK_WIDGET (self->account_list), n > 0);
  gtk_widget_set_visible (self->accounts_empty, n == 0);
  gtk_widget_set_sensitive (self->authorize_button, keyring_ok);
  gtk_widget_set_sensitive (self->add_tokens_button, keyring_ok);
}

static void
refresh_relative_times (BhAppPage *self)
{
  /* The credentials' ages too, and the reminder may have changed. */
  update_keys (self);
  _bh_app_page_update_bearer (self);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->account_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (BH_IS_ACCOUNT_ROW (row))
        bh_account_row_refresh_verified (BH_ACCOUNT_ROW (row));
    }
}

static gboolean
relative_time_cb (gpointer user_data)
{
  refresh_relative_times (user_data);
  return G_SOURCE_CONTINUE;
}

static GtkWindow *
get_parent_window (BhAppPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
account_activated_cb (BhAppPage     *self,
                      GtkListBoxRow *row)
{
  BhAccount *account = BH_IS_ACCOUNT_ROW (row) ? bh_account_row_get_account (BH_ACCOUNT_ROW (row)) : NULL;

  if (account == NULL || self->store == NULL)
    return;

  gtk_window_present (GTK_WINDOW (bh_account_dialog_new (get_parent_window (self), self->store, account)));
}

static void
rotate_secret_clicked_cb (BhAppPage *self)
{
  if (self->app != NULL && self->store != NULL)
    gtk_window_present (GTK_WINDOW (bh_rotate_dialog_new_for_app_secret (get_parent_window (self),
                                                                         self->store, self->app)));
}

static void
rotate_client_secret_clicked_cb (BhAppPage *self)
{
  if (self->app != NULL && self->store != NULL)
    gtk_window_present (GTK_WINDOW (bh_rotate_dialog_new_for_client_secret (get_parent_window (self),
                                                                            self->store, self->app)));
}

static void
authorize_clicked_cb (BhAppPage *self)
{
  if (self->app == NULL || self->store == NULL)
    return;

  gtk_window_present (GTK_WINDOW (bh_authorize_dialog_new (get_parent_window (self), self->store, self->app)));
}

static void
add_tokens_clicked_cb (BhAppPage *self)
{
  if (self->app == NULL || self->store == NULL)
    return;

  gtk_window_present (GTK_WINDOW (bh_tokens_dialog_new (get_parent_window (self), self->store, self->app)));
}

/* The App */

void
bh_app_page_set_app (BhAppPage *self,
                     BhApp     *app)
{
  g_return_if_fail (BH_IS_APP_PAGE (self));
  g_return_if_fail (app == NULL || BH_IS_APP (app));

  if (self->app == app)
    return;

  /* Work for the previous App ends with it. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->bearer_flow != NULL)
    {
      bh_flow_cancel (self->bearer_flow);
      g_clear_object (&self->bearer_flow);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }

  if (self->app != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->app, self);
      g_signal_handlers_disconnect_by_data (bh_app_get_accounts (self->app), self);
    }

  g_set_object (&self->app, app);

  if (app != NULL)
    {
      g_signal_connect_object (app, "notify::consumer-key", G_CALLBACK (update_keys), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::has-secret", G_CALLBACK (update_keys), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::client-id", G_CALLBACK (update_keys), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::redirect-uri", G_CALLBACK (update_keys), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::has-client-secret", G_CALLBACK (update_keys), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::has-secret", G_CALLBACK (_bh_app_page_update_bearer), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::has-bearer", G_CALLBACK (_bh_app_page_update_bearer), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::secret-created-at", G_CALLBACK (update_keys), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::secret-rotated-at", G_CALLBACK (update_keys), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::client-secret-rotated-at", G_CALLBACK (update_keys), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::bearer-created-at", G_CALLBACK (_bh_app_page_update_bearer), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (app, "notify::bearer-rotated-at", G_CALLBACK (_bh_app_page_update_bearer), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (bh_app_get_accounts (app), "items-changed",
                               G_CALLBACK (update_accounts), self, G_CONNECT_SWAPPED);
    }

  stop_filling (self);
  g_clear_handle_id (&self->rest_idle_id, g_source_remove);
  if (app != NULL)
    {
      g_autoptr(GtkSliceListModel) slice = NULL;

      /* Only the rows the page shows before its first frame; the rest
       * come right after it (start_filling()). */
      slice = gtk_slice_list_model_new (g_object_ref (bh_app_get_accounts (app)), 0, FIRST_ROWS);
      gtk_list_box_bind_model (self->account_list, G_LIST_MODEL (slice),
                               create_account_row, self, NULL);
      g_set_object (&self->account_slice, slice);
      start_filling (self);
    }
  else
    {
      gtk_list_box_bind_model (self->account_list, NULL, NULL, NULL, NULL);
      g_clear_object (&self->account_slice);
    }

  update_keys (self);
  _bh_app_page_update_bearer (self);
  update_accounts (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APP]);
}

static void
bh_app_page_dispose (GObject *object)
{
  BhAppPage *self = BH_APP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->bearer_flow != NULL)
    bh_flow_cancel (self->bearer_flow);
  g_clear_object (&self->bearer_flow);
  g_clear_handle_id (&self->relative_time_id, g_source_remove);
  g_clear_handle_id (&self->rest_idle_id, g_source_remove);
  stop_filling (self);

  if (self->app != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->app, self);
      g_signal_handlers_disconnect_by_data (bh_app_get_accounts (self->app), self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_APP_PAGE);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, keyring_status_changed_cb, self);

  g_clear_object (&self->app);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->account_slice);

  G_OBJECT_CLASS (bh_app_page_parent_class)->dispose (object);
}

static void
bh_app_page_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BhAppPage *self = BH_APP_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_APP:
      g_value_set_object (value, self->app);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, bh_app_page_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_app_page_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  BhAppPage *self = BH_APP_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      bh_app_page_set_store (self, g_value_get_object (value));
      break;

    case PROP_APP:
      bh_app_page_set_app (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_app_page_class_init (BhAppPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_app_page_dispose;
  object_class->get_property = bh_app_page_get_property;
  object_class->set_property = bh_app_page_set_property;

  widget_class->map = bh_app_page_map;
  widget_class->unmap = bh_app_page_unmap;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BH_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_APP] =
    g_param_spec_object ("app", NULL, NULL,
                         BH_TYPE_APP,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/birdhouse/Birdhouse/bh-app-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, secret_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, secret_spinner);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, copy_key_button);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, redirect_row);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, copy_secret_button);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, rotate_secret_button);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, rotate_client_secret_button);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, account_list);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, accounts_empty);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, authorize_button);
  gtk_widget_class_bind_template_child (widget_class, BhAppPage, add_tokens_button);
  gtk_widget_class_bind_template_callback (widget_class, copy_key_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_client_id_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_redirect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_secret_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, rotate_secret_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, rotate_client_secret_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, authorize_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_tokens_clicked_cb);
  _bh_app_page_bearer_class_init (widget_class);
}

static void
bh_app_page_init (BhAppPage *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

#if ADW_CHECK_VERSION (1, 3, 0)
  /* Newer than ADW_VERSION_MAX_ALLOWED, hence guarded. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  adw_action_row_set_subtitle_selectable (self->key_row, TRUE);
  G_GNUC_END_IGNORE_DEPRECATIONS
#endif

  /* "3 minutes ago" goes stale; a minute is the finest step shown. */
  self->relative_time_id = g_timeout_add_seconds (60, relative_time_cb, self);

  _bh_app_page_update_bearer (self);
  update_accounts (self);
}
