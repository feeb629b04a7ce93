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

static gboolean
check_app_fields (BhStore     *self,
                  BhApp       *except,
                  const char  *name,
                  const char  *consumer_key,
                  const char  *consumer_secret,
                  gboolean     need_secret,
                  const char  *api_host,
                  GError     **error)
{
  if (!_bh_store_check_text (name, BH_STORE_FIELD_APP_NAME, TRUE, error) ||
      !_bh_store_check_name_length (name, error) ||
      !_bh_store_check_text (consumer_key, BH_STORE_FIELD_API_KEY, FALSE, error) ||
      ((need_secret || consumer_secret != NULL) &&
       !_bh_store_check_text (consumer_secret, BH_STORE_FIELD_API_KEY_SECRET, FALSE, error)) ||
      !_bh_store_check_api_host (api_host, error))
    return FALSE;

  if (_bh_store_find_app_by_name_casefold (self, name, except) != NULL)
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_EXISTS,
                   _("An App named “%s” already exists. Choose another name."), name);
      return FALSE;
    }

  return TRUE;
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

static void
add_app_stored (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  BhStoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!_bh_store_store_secret_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The model takes the App once it is in the file. */
  bh_app_set_has_secret (op->proposed, TRUE);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    bh_app_set_time (op->proposed, BH_APP_TIME_SECRET_CREATED, now);
  }
  _bh_store_queue_change (self, _bh_store_change_put_app (op->proposed, TRUE));
  _bh_store_records_write_async (self, add_app_written, g_steal_pointer (&task));
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
 * Stores the secret in the keyring, then records the App.
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
  g_autoptr(GTask) task = NULL;
  g_autofree char *nfc = normalize_name (name);
  GError *error = NULL;
  BhStoreOp *op;

  g_return_if_fail (BH_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_add_app_async);

  if (nfc != NULL)
    name = nfc;

  if (!check_app_fields (self, NULL, name, consumer_key, consumer_secret, TRUE, api_host, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  op = _bh_store_op_new (task);
  op->proposed = bh_app_new (NULL, name, consumer_key, api_host);
  _bh_store_op_set_busy (op, self, bh_app_get_id (op->proposed));
  _bh_store_store_secret_async (self, KIND_APP, op->proposed, NULL, NULL, consumer_secret,
                                cancellable, add_app_stored, g_steal_pointer (&task));
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
  if (op->secret != NULL)
    bh_app_set_has_secret (op->app, TRUE);
  g_task_return_boolean (task, TRUE);
}

static void
update_app_apply (BhStore *self,
                  GTask   *task)
{
  BhStoreOp *op = g_task_get_task_data (task);

  _bh_store_queue_change (self, _bh_store_change_put_app (op->proposed, FALSE));
  _bh_store_records_write_async (self, update_app_written, g_object_ref (task));
}

static void
update_app_stored (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!_bh_store_store_secret_finish (BH_STORE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  update_app_apply (BH_STORE (source), task);
}

static void
update_app_retagged (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  BhStoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!_bh_store_retag_app_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The app item now has the new attributes, so storing a new secret
   * replaces it rather than adding a second one. */
  if (op->secret != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* Read before the task is handed over: argument order is unspecified. */
      _bh_store_store_secret_async (self, KIND_APP, op->proposed, NULL, NULL, op->secret,
                                    cancellable, update_app_stored, g_steal_pointer (&task));
    }
  else
    update_app_apply (self, task);
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
 * Updates the keyring items (attributes, labels, the secret), then the
 * record.
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
  g_autoptr(GTask) task = NULL;
  g_autofree char *nfc = normalize_name (name);
  GError *error = NULL;
  BhStoreOp *op;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_update_app_async);

  if (nfc != NULL)
    name = nfc;

  if (_bh_store_find_app_by_id (self, bh_app_get_id (app)) != app)
    {
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                               /* Translators: %s is the App's name. */
                               _("The App “%s” is no longer in Birdhouse."), bh_app_get_name (app));
      return;
    }

  if (!check_app_fields (self, app, name, consumer_key, consumer_secret, FALSE, api_host, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  op = _bh_store_op_new (task);
  op->app = g_object_ref (app);
  op->proposed = bh_app_new (bh_app_get_id (app), name, consumer_key, api_host);
  _bh_store_op_set_busy (op, self, bh_app_get_id (app));
  op->secret = bh_secret_dup (consumer_secret);
  _bh_store_retag_app_async (self, op->proposed, cancellable, update_app_retagged, g_steal_pointer (&task));
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
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
remove_app_cleared (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  BhStoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!_bh_store_clear_secrets_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The model drops the App once the file did. */
  _bh_store_queue_change (self, _bh_store_change_new (BH_STORE_CHANGE_REMOVE_APP, bh_app_get_id (op->app), NULL, bh_app_get_name (op->app)));
  _bh_store_records_write_async (self, _bh_store_op_written_boolean, g_steal_pointer (&task));
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
  BhStoreOp *op;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_remove_app_async);
  op = _bh_store_op_new (task);
  op->app = g_object_ref (app);
  _bh_store_op_set_busy (op, self, bh_app_get_id (app));

  ident = _bh_store_ident_attributes (NULL, bh_app_get_id (app), NULL);
  _bh_store_clear_secrets_async (self, ident, cancellable, remove_app_cleared, g_steal_pointer (&task));
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

/* Looking up one secret of an App: a secret that is not there updates the
 * flag the UI shows, and says what to do. */

static void
lookup_app_secret_found (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  BhStoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  BhSecret *secret;
  gboolean bearer = g_task_get_source_tag (task) == bh_store_lookup_bearer_async;

  secret = _bh_store_find_secret_finish (self, result, &error);
  if (secret == NULL)
    {
      if (g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          if (bearer)
            {
              bh_app_set_has_bearer (op->app, FALSE);
              g_set_error (&error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                           /* Translators: %s is the App's name. */
                           _("The App “%s” has no bearer token in the keyring. Generate one."),
                           bh_app_get_name (op->app));
            }
          else
            {
              bh_app_set_has_secret (op->app, FALSE);
              g_set_error (&error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                           /* Translators: %s is the App's name. */
                           _("The API key secret of “%s” is not in the keyring. Enter it again in the "
                             "App’s settings."),
                           bh_app_get_name (op->app));
            }
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (bearer)
    bh_app_set_has_bearer (op->app, TRUE);
  else
    bh_app_set_has_secret (op->app, TRUE);

  g_task_return_pointer (task, secret, (GDestroyNotify) bh_secret_free);
}

static void
lookup_app_secret (BhStore             *self,
                   BhApp               *app,
                   const char          *kind,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GHashTable) ident = _bh_store_ident_attributes (kind, bh_app_get_id (app), NULL);
  BhStoreOp *op;

  g_task_set_source_tag (task, source_tag);
  op = _bh_store_op_new (task);
  op->app = g_object_ref (app);
  _bh_store_find_secret_async (self, ident, cancellable, lookup_app_secret_found, g_steal_pointer (&task));
}

/**
 * bh_store_lookup_consumer_secret_async:
 * @self: a #BhStore
 * @app: an App
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads the API key secret from the keyring; this may raise the keyring's
 * unlock prompt.
 */
void
bh_store_lookup_consumer_secret_async (BhStore             *self,
                                       BhApp               *app,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));

  lookup_app_secret (self, app, KIND_APP, bh_store_lookup_consumer_secret_async,
                     cancellable, callback, user_data);
}

/**
 * bh_store_lookup_consumer_secret_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR (NOT_FOUND, KEYRING_LOCKED, …)
 *
 * Returns: (transfer full) (nullable): the secret; free with bh_secret_free()
 */
char *
bh_store_lookup_consumer_secret_finish (BhStore       *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bh_store_lookup_bearer_async:
 * @self: a #BhStore
 * @app: an App
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads the App's bearer token from the keyring.
 */
void
bh_store_lookup_bearer_async (BhStore             *self,
                              BhApp               *app,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));

  lookup_app_secret (self, app, KIND_BEARER, bh_store_lookup_bearer_async,
                     cancellable, callback, user_data);
}

/**
 * bh_store_lookup_bearer_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: (transfer full) (nullable): the token; free with bh_secret_free()
 */
char *
bh_store_lookup_bearer_finish (BhStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_bearer_written (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStoreOp *op = g_task_get_task_data (task);

  if (_bh_store_op_write_finish (BH_STORE (source), result, &task, bh_app_get_id (op->app), NULL))
    g_task_return_boolean (task, TRUE);
}

static void
set_bearer_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  BhStoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  BhStoreChange *change;
  gboolean ok;

  if (op->secret != NULL)
    ok = _bh_store_store_secret_finish (self, result, &error);
  else
    ok = _bh_store_clear_secrets_finish (self, result, &error);

  if (!ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Only the one field: whatever else another process changed stays. */
  change = _bh_store_change_new (BH_STORE_CHANGE_PUT_APP, bh_app_get_id (op->app), NULL, bh_app_get_name (op->app));
  _bh_store_change_set_boolean (change, "has-bearer", op->secret != NULL);
  /* A new token is as old as now; a removed one has no age. A rotation
   * says so afterwards (bh_store_mark_rotated_async()). */
  {
    g_autoptr(GDateTime) now = op->secret != NULL ? g_date_time_new_now_utc () : NULL;

    _bh_store_change_set_date (change, bh_app_time_key (BH_APP_TIME_BEARER_CREATED), now);
    _bh_store_change_set_date (change, bh_app_time_key (BH_APP_TIME_BEARER_ROTATED), NULL);
  }
  _bh_store_queue_change (self, change);
  _bh_store_records_write_async (self, set_bearer_written, g_steal_pointer (&task));
}

/**
 * bh_store_set_bearer_async:
 * @self: a #BhStore
 * @app: an App
 * @bearer: (nullable): the bearer token, or %NULL to remove it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Keeps (or removes) the App's bearer token in the keyring.
 */
void
bh_store_set_bearer_async (BhStore             *self,
                           BhApp               *app,
                           const char          *bearer,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  BhStoreOp *op;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_set_bearer_async);

  if (bearer != NULL && !_bh_store_check_text (bearer, BH_STORE_FIELD_BEARER_TOKEN, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  op = _bh_store_op_new (task);
  op->app = g_object_ref (app);
  op->secret = bh_secret_dup (bearer);
  _bh_store_op_set_busy (op, self, bh_app_get_id (app));

  if (bearer != NULL)
    {
      _bh_store_store_secret_async (self, KIND_BEARER, app, NULL, NULL, bearer,
                                    cancellable, set_bearer_done, g_steal_pointer (&task));
    }
  else
    {
      g_autoptr(GHashTable) ident = _bh_store_ident_attributes (KIND_BEARER, bh_app_get_id (app), NULL);

      _bh_store_clear_secrets_async (self, ident, cancellable, set_bearer_done, g_steal_pointer (&task));
    }
}

/**
 * bh_store_set_bearer_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the keyring and the record were updated
 */
gboolean
bh_store_set_bearer_finish (BhStore       *self,
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
 * secret): "secret-rotated-at", "bearer-rotated-at" or the account's
 * "rotated-at". The record must still be there.
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
  g_return_if_fail ((kind == BH_CREDENTIAL_KIND_ACCOUNT_TOKENS) == (account != NULL));

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
