/* bh-store-apps.c: adding, changing and removing Apps, and their secrets
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

#include "bh-store-private.h"

#include <glib/gi18n.h>

/* The fields of an App to add (@except NULL) or of @except as it will
 * be. Keys once given can be changed, not removed: tokens and grants
 * depend on them. */
static gboolean
check_app_fields (BhStore                 *self,
                  BhApp                   *except,
                  const BhStoreAppFields  *fields,
                  GError                 **error)
{
  const char *name = fields->name;
  gboolean need_secret;

  if (!_bh_store_check_text (name, BH_STORE_FIELD_APP_NAME, TRUE, error) ||
      !_bh_store_check_name_length (name, error))
    return FALSE;

  if (fields->consumer_key == NULL && fields->client_id == NULL)
    {
      g_set_error_literal (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID,
                           _("An App needs its API key (OAuth 1.0a), its Client ID (OAuth 2.0), or both. "
                             "Enter one from the developer portal."));
      return FALSE;
    }

  if (except != NULL &&
      ((bh_app_get_consumer_key (except) != NULL && fields->consumer_key == NULL) ||
       (bh_app_get_client_id (except) != NULL && fields->client_id == NULL)))
    {
      g_set_error_literal (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID,
                           _("An App’s API key and Client ID can be changed but not removed. To stop "
                             "using them, remove the App."));
      return FALSE;
    }

  if (fields->consumer_secret != NULL && fields->consumer_key == NULL)
    {
      g_set_error_literal (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID,
                           _("An API key secret needs its API key. Enter the API key too."));
      return FALSE;
    }

  if (fields->client_secret != NULL && fields->client_id == NULL)
    {
      g_set_error_literal (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID,
                           _("A Client Secret needs its Client ID. Enter the Client ID too."));
      return FALSE;
    }

  /* A new API key needs its secret; a Client Secret is optional (public
   * clients have none). */
  need_secret = fields->consumer_key != NULL && (except == NULL || bh_app_get_consumer_key (except) == NULL);
  if ((fields->consumer_key != NULL &&
       !_bh_store_check_text (fields->consumer_key, BH_STORE_FIELD_API_KEY, FALSE, error)) ||
      ((need_secret || fields->consumer_secret != NULL) &&
       !_bh_store_check_text (fields->consumer_secret, BH_STORE_FIELD_API_KEY_SECRET, FALSE, error)) ||
      (fields->client_id != NULL &&
       !_bh_store_check_text (fields->client_id, BH_STORE_FIELD_CLIENT_ID, FALSE, error)) ||
      (fields->client_secret != NULL &&
       !_bh_store_check_text (fields->client_secret, BH_STORE_FIELD_CLIENT_SECRET, FALSE, error)) ||
      !_bh_store_check_api_host (fields->api_host, error) ||
      !_bh_store_check_redirect_uri (fields->redirect_uri, error))
    return FALSE;

  if (_bh_store_find_app_by_name_casefold (self, name, except) != NULL)
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_EXISTS,
                   _("An App named “%s” already exists. Choose another name."), name);
      return FALSE;
    }

  return TRUE;
}

/* The App as @fields make it, with @id (NULL: a new one). */
static BhApp *
proposed_app (const char             *id,
              const BhStoreAppFields *fields)
{
  BhApp *app = bh_app_new (id, fields->name, fields->consumer_key, fields->api_host);

  bh_app_set_client_id (app, fields->client_id);
  bh_app_set_redirect_uri (app, fields->redirect_uri);

  return app;
}

/* A name as typed, in one Unicode normalization (NFC): "É" typed as one
 * character or as "E" and an accent is one name. NULL when not text. */
static char *
normalize_name (const char *name)
{
  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return NULL;

  return g_utf8_normalize (name, -1, G_NORMALIZE_NFC);
}

/* A write the records refused (a name another process took meanwhile, a
 * limit, the App removed meanwhile) after the keyring was written: what
 * the keyring got must go too, or the next load would bring it back. */
static gboolean
write_refused (const GError *error)
{
  return g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_EXISTS) ||
         g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT) ||
         g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND);
}

static void
add_app_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!_bh_store_records_write_finish (BH_STORE (source), result, &error))
    {
      if (write_refused (error))
        _bh_store_undo_secrets (BH_STORE (source), g_steal_pointer (&task), g_steal_pointer (&error),
                                NULL, bh_app_get_id (op->proposed), NULL);
      else
        g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, g_object_ref (op->proposed), g_object_unref);
}

/* The secrets of an add or update, one after the other (libsecret's
 * file backend rewrites its whole file at each): the API key secret, then
 * the Client Secret (or its removal), then the record. */

static void secrets_next (BhStore *self,
                          GTask   *task);

static void
secret_step_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  BhStoreOp *op = g_task_get_task_data (task);
  gboolean clearing = g_async_result_is_tagged (result, _bh_store_clear_secrets_async);
  GError *error = NULL;

  if (!_bh_store_keyring_step_finish (self, result, &error))
    {
      /* An App being added must not come back from a half of its
       * secrets. */
      if (op->app == NULL && op->stored_secrets)
        _bh_store_undo_secrets (self, g_steal_pointer (&task), error, NULL, bh_app_get_id (op->proposed), NULL);
      else
        g_task_return_error (task, error);
      return;
    }

  op->stored_secrets = TRUE;
  if (g_str_equal (op->secret_kind, KIND_APP))
    bh_app_set_has_secret (op->proposed, TRUE);
  else
    bh_app_set_has_client_secret (op->proposed, !clearing);
  secrets_next (self, task);
}

static void add_app_secrets_done    (BhStore *self,
                                     GTask   *task);
static void update_app_secrets_done (BhStore *self,
                                     GTask   *task);

static void
secrets_next (BhStore *self,
              GTask   *task)
{
  BhStoreOp *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  /* The store copies the secret at once: ours is wiped right away. */
  if (op->secret != NULL || op->client_secret != NULL)
    {
      BhSecret **secret = op->secret != NULL ? &op->secret : &op->client_secret;

      op->secret_kind = op->secret != NULL ? KIND_APP : KIND_CLIENT_SECRET;
      _bh_store_store_secret_async (self, op->secret_kind, op->proposed, NULL, NULL, *secret,
                                    cancellable, secret_step_done, g_object_ref (task));
      bh_secret_clear (secret);
    }
  else if (op->clear_client_secret)
    {
      g_autoptr(GHashTable) ident = _bh_store_ident_attributes (KIND_CLIENT_SECRET, bh_app_get_id (op->proposed), NULL);

      op->clear_client_secret = FALSE;
      op->secret_kind = KIND_CLIENT_SECRET;
      _bh_store_clear_secrets_async (self, ident, cancellable, secret_step_done, g_object_ref (task));
    }
  else if (op->app == NULL)
    add_app_secrets_done (self, task);
  else
    update_app_secrets_done (self, task);
}

static void
add_app_secrets_done (BhStore *self,
                      GTask   *task)
{
  BhStoreOp *op = g_task_get_task_data (task);

  /* The model takes the App once it is in the file. */
  if (bh_app_get_has_secret (op->proposed))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      bh_app_set_time (op->proposed, BH_APP_TIME_SECRET_CREATED, now);
    }
  if (bh_app_get_has_client_secret (op->proposed))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      bh_app_set_time (op->proposed, BH_APP_TIME_CLIENT_SECRET_CREATED, now);
    }
  _bh_store_queue_change (self, _bh_store_change_put_app (op->proposed, TRUE));
  _bh_store_records_write_async (self, add_app_written, g_object_ref (task));
}

/* Checks @fields for adding (@app NULL) or changing @app, and makes the
 * operation's data: the App as it will be, its secrets to write. NULL
 * when refused: @task has returned the error. */
static BhStoreOp *
start_app_op (BhStore                *self,
              BhApp                  *app,
              const BhStoreAppFields *fields,
              GTask                  *task)
{
  g_autofree char *nfc = normalize_name (fields->name);
  BhStoreAppFields checked = *fields;
  GError *error = NULL;
  BhStoreOp *op;

  if (nfc != NULL)
    checked.name = nfc;

  if (app != NULL && _bh_store_find_app_by_id (self, bh_app_get_id (app)) != app)
    {
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                               /* Translators: %s is the App's name. */
                               _("The App “%s” is no longer in Birdhouse."), bh_app_get_name (app));
      return NULL;
    }

  if (!check_app_fields (self, app, &checked, &error))
    {
      g_task_return_error (task, error);
      return NULL;
    }

  op = _bh_store_op_new (task);
  op->app = app != NULL ? g_object_ref (app) : NULL;
  op->proposed = proposed_app (app != NULL ? bh_app_get_id (app) : NULL, &checked);
  if (app != NULL)
    bh_app_set_has_client_secret (op->proposed, bh_app_get_has_client_secret (app));
  op->secret = bh_secret_dup (checked.consumer_secret);
  op->client_secret = bh_secret_dup (checked.client_secret);
  op->clear_client_secret = app != NULL && checked.client_secret == NULL && checked.remove_client_secret;
  _bh_store_op_set_busy (op, self, bh_app_get_id (op->proposed));

  return op;
}

static void
add_app_start (BhStore                *self,
               const BhStoreAppFields *fields,
               gpointer                source_tag,
               GCancellable           *cancellable,
               GAsyncReadyCallback     callback,
               gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (start_app_op (self, NULL, fields, task) != NULL)
    secrets_next (self, task);
}

/**
 * bh_store_add_app_full_async:
 * @self: a #BhStore
 * @fields: the App's fields: a name, and an API key with its secret, a
 *   Client ID (with a Client Secret for a confidential client), or both
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Stores the secrets in the keyring, then records the App. When a secret
 * cannot be stored, those already stored are removed again.
 */
void
bh_store_add_app_full_async (BhStore                *self,
                             const BhStoreAppFields *fields,
                             GCancellable           *cancellable,
                             GAsyncReadyCallback     callback,
                             gpointer                user_data)
{
  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (fields != NULL);

  add_app_start (self, fields, bh_store_add_app_full_async, cancellable, callback, user_data);
}

/**
 * bh_store_add_app_full_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: (transfer full) (nullable): the new App, now in the store
 */
BhApp *
bh_store_add_app_full_finish (BhStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bh_store_add_app_async:
 * @self: a #BhStore
 * @name: a name, unique among the Apps
 * @consumer_key: the API key
 * @consumer_secret: the API key secret (kept in the keyring only)
 * @api_host: (nullable): the API host; %NULL for %BH_DEFAULT_API_HOST
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * An App with OAuth 1.0a keys only: see bh_store_add_app_full_async().
 */
void
bh_store_add_app_async (BhStore             *self,
                        const char          *name,
                        const char          *consumer_key,
                        const char          *consumer_secret,
                        const char          *api_host,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  BhStoreAppFields fields = {
    .name = name,
    .consumer_key = consumer_key,
    .consumer_secret = consumer_secret,
    .api_host = api_host,
  };

  g_return_if_fail (BH_IS_STORE (self));

  /* The API key is required here, as it was before Client IDs. */
  if (consumer_key == NULL)
    {
      GError *error = NULL;

      _bh_store_check_text (consumer_key, BH_STORE_FIELD_API_KEY, FALSE, &error);
      g_task_report_error (self, callback, user_data, bh_store_add_app_async, error);
      return;
    }

  add_app_start (self, &fields, bh_store_add_app_async, cancellable, callback, user_data);
}

/**
 * bh_store_add_app_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: (transfer full) (nullable): the new App, now in the store
 */
BhApp *
bh_store_add_app_finish (BhStore       *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
update_app_written (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStoreOp *op = g_task_get_task_data (task);

  /* Removed meanwhile: a new secret stored for it must not bring it
   * back. */
  if (!_bh_store_op_write_finish (BH_STORE (source), result, &task, bh_app_get_id (op->app), NULL))
    return;

  /* The fields followed the file; the keyring's word is ours. */
  g_object_freeze_notify (G_OBJECT (op->app));
  if (bh_app_get_has_secret (op->proposed))
    bh_app_set_has_secret (op->app, TRUE);
  bh_app_set_has_client_secret (op->app, bh_app_get_has_client_secret (op->proposed));
  g_object_thaw_notify (G_OBJECT (op->app));
  g_task_return_boolean (task, TRUE);
}

static void
update_app_secrets_done (BhStore *self,
                         GTask   *task)
{
  BhStoreOp *op = g_task_get_task_data (task);
  BhStoreChange *change;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  /* A secret the App did not have is a new credential: its age starts
   * now, as when the App is added. */
  if (bh_app_get_has_secret (op->proposed) && !bh_app_get_has_secret (op->app))
    bh_app_set_time (op->proposed, BH_APP_TIME_SECRET_CREATED, now);
  if (bh_app_get_has_client_secret (op->proposed) && !bh_app_get_has_client_secret (op->app))
    bh_app_set_time (op->proposed, BH_APP_TIME_CLIENT_SECRET_CREATED, now);

  change = _bh_store_change_put_app (op->proposed, FALSE);
  if (bh_app_get_has_client_secret (op->proposed) != bh_app_get_has_client_secret (op->app))
    _bh_store_change_set_boolean (change, "has-client-secret", bh_app_get_has_client_secret (op->proposed));
  if (bh_app_get_has_secret (op->proposed) && !bh_app_get_has_secret (op->app))
    _bh_store_change_set_date (change, bh_app_time_key (BH_APP_TIME_SECRET_CREATED), now);
  if (bh_app_get_has_client_secret (op->proposed) && !bh_app_get_has_client_secret (op->app))
    _bh_store_change_set_date (change, bh_app_time_key (BH_APP_TIME_CLIENT_SECRET_CREATED), now);
  _bh_store_queue_change (self, change);
  _bh_store_records_write_async (self, update_app_written, g_object_ref (task));
}

static void
update_app_retagged (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  g_autoptr(GError) error = NULL;

  if (!_bh_store_retag_app_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The items now have the new attributes, so storing a new secret
   * replaces one rather than adding a second one. */
  secrets_next (self, task);
}

/**
 * bh_store_update_app_full_async:
 * @self: a #BhStore
 * @app: an App of the store
 * @fields: the App as it will be. The API key and the Client ID can be
 *   added or changed, not removed. A %NULL consumer_secret or
 *   client_secret keeps the stored one; remove_client_secret (with a
 *   %NULL client_secret) removes the Client Secret (a public client).
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Updates the keyring items (attributes, labels, the secrets), then the
 * record. Adding an API key needs its secret.
 */
void
bh_store_update_app_full_async (BhStore                *self,
                                BhApp                  *app,
                                const BhStoreAppFields *fields,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  BhStoreOp *op;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));
  g_return_if_fail (fields != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_update_app_full_async);

  if ((op = start_app_op (self, app, fields, task)) != NULL)
    _bh_store_retag_app_async (self, op->proposed, cancellable, update_app_retagged, g_steal_pointer (&task));
}

/**
 * bh_store_update_app_full_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the App was updated
 */
gboolean
bh_store_update_app_full_finish (BhStore       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * bh_store_update_app_async:
 * @self: a #BhStore
 * @app: an App of the store
 * @name: the new name
 * @consumer_key: the new API key
 * @consumer_secret: (nullable): a new API key secret, or %NULL to keep it
 * @api_host: (nullable): the new API host
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Changes the OAuth 1.0a fields and keeps the OAuth 2.0 ones: see
 * bh_store_update_app_full_async().
 */
void
bh_store_update_app_async (BhStore             *self,
                           BhApp               *app,
                           const char          *name,
                           const char          *consumer_key,
                           const char          *consumer_secret,
                           const char          *api_host,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  BhStoreAppFields fields = {
    .name = name,
    .consumer_key = consumer_key,
    .consumer_secret = consumer_secret,
    .api_host = api_host,
  };

  g_return_if_fail (BH_IS_APP (app));

  fields.client_id = bh_app_get_client_id (app);
  fields.redirect_uri = bh_app_get_redirect_uri (app);
  bh_store_update_app_full_async (self, app, &fields, cancellable, callback, user_data);
}

/**
 * bh_store_update_app_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the App was updated
 */
gboolean
bh_store_update_app_finish (BhStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return bh_store_update_app_full_finish (self, result, error);
}

static BhStoreChange *
remove_app_record (BhStore   *self,
                   BhStoreOp *op)
{
  /* The model drops the App once the file did. */
  return _bh_store_change_new (BH_STORE_CHANGE_REMOVE_APP, bh_app_get_id (op->app), NULL, bh_app_get_name (op->app));
}

/**
 * bh_store_remove_app_async:
 * @self: a #BhStore
 * @app: an App of the store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Removes every keyring item of @app (found by its app-id, so nothing of
 * another App), then its record and its accounts' records. When the
 * keyring refuses, nothing is removed.
 */
void
bh_store_remove_app_async (BhStore             *self,
                           BhApp               *app,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) ident = NULL;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));

  task = _bh_store_op_task_new (self, bh_store_remove_app_async, app, NULL,
                                cancellable, callback, user_data);
  _bh_store_op_set_busy (g_task_get_task_data (task), self, bh_app_get_id (app));

  ident = _bh_store_ident_attributes (NULL, bh_app_get_id (app), NULL);
  _bh_store_op_clear_secrets (self, g_steal_pointer (&task), ident, cancellable, remove_app_record, NULL);
}

/**
 * bh_store_remove_app_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the App and its secrets are gone
 */
gboolean
bh_store_remove_app_finish (BhStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * bh_store_mark_rotated_async:
 * @self: a #BhStore
 * @app: the App
 * @account: (nullable): with %BH_CREDENTIAL_KIND_ACCOUNT_TOKENS, the account
 * @kind: which credential was rotated
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Records that a credential was rotated just now (records only, nothing
 * secret): "secret-rotated-at", "bearer-rotated-at",
 * "client-secret-rotated-at" or the account's "rotated-at". The record must still be there.
 */
void
bh_store_mark_rotated_async (BhStore             *self,
                             BhApp               *app,
                             BhAccount           *account,
                             BhCredentialKind     kind,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  BhStoreChange *change;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));
  g_return_if_fail ((kind == BH_CREDENTIAL_KIND_ACCOUNT_TOKENS || kind == BH_CREDENTIAL_KIND_OAUTH2_GRANT) ==
                    (account != NULL));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_mark_rotated_async);

  if (account != NULL)
    {
      change = _bh_store_change_new (BH_STORE_CHANGE_PUT_ACCOUNT, bh_app_get_id (app),
                                     bh_account_get_user_id (account),
                                     bh_account_get_screen_name (account));
      _bh_store_change_set_date (change, "rotated-at", now);
    }
  else
    {
      BhAppTime which = kind == BH_CREDENTIAL_KIND_BEARER_TOKEN ? BH_APP_TIME_BEARER_ROTATED
                        : kind == BH_CREDENTIAL_KIND_CLIENT_SECRET ? BH_APP_TIME_CLIENT_SECRET_ROTATED
                                                                   : BH_APP_TIME_SECRET_ROTATED;

      change = _bh_store_change_new (BH_STORE_CHANGE_PUT_APP, bh_app_get_id (app), NULL, bh_app_get_name (app));
      _bh_store_change_set_date (change, bh_app_time_key (which), now);
    }

  _bh_store_queue_change (self, change);
  _bh_store_records_write_async (self, _bh_store_op_written_boolean, g_steal_pointer (&task));
}

/**
 * bh_store_mark_rotated_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the records say so
 */
gboolean
bh_store_mark_rotated_finish (BhStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
