/* bh-store-op.c: what the App and account operations share
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

static void
op_free (BhStoreOp *op)
{
  g_clear_object (&op->app);
  g_clear_object (&op->proposed);
  g_clear_object (&op->account);
  g_free (op->user_id);
  g_free (op->screen_name);
  g_free (op->name);
  g_free (op->access_level);
  g_free (op->scopes);
  bh_secret_clear (&op->secret);
  bh_secret_clear (&op->client_secret);
  g_clear_error (&op->error);
  if (op->busy_id != NULL)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (op->store->busy, op->busy_id));

      if (n > 1)
        g_hash_table_insert (op->store->busy, g_strdup (op->busy_id), GUINT_TO_POINTER (n - 1));
      else
        g_hash_table_remove (op->store->busy, op->busy_id);
      g_free (op->busy_id);
    }
  g_clear_object (&op->store);
  g_free (op);
}

BhStoreOp *
_bh_store_op_new (GTask *task)
{
  BhStoreOp *op = g_new0 (BhStoreOp, 1);

  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  return op;
}

/* A task for an operation on @app and/or @account (both nullable, both
 * kept in its BhStoreOp). */
GTask *
_bh_store_op_task_new (BhStore             *self,
                       gpointer             source_tag,
                       BhApp               *app,
                       BhAccount           *account,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  BhStoreOp *op;

  g_task_set_source_tag (task, source_tag);
  op = _bh_store_op_new (task);
  g_set_object (&op->app, app);
  g_set_object (&op->account, account);

  return task;
}

/* Finishes a keyring step: _bh_store_store_secret_async() or
 * _bh_store_clear_secrets_async(), whichever @result is of. */
gboolean
_bh_store_keyring_step_finish (BhStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  if (g_async_result_is_tagged (result, _bh_store_clear_secrets_async))
    return _bh_store_clear_secrets_finish (self, result, error);

  return _bh_store_store_secret_finish (self, result, error);
}

static void
keyring_step_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  BhStoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The keyring refused: the records stay as they are. */
  if (!_bh_store_keyring_step_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _bh_store_queue_change (self, op->record (self, op));
  _bh_store_records_write_async (self, op->written != NULL ? op->written : _bh_store_op_written_boolean,
                                 g_steal_pointer (&task));
}

/* Takes over @task: writes @secret as the keyring item of @kind, then,
 * only when the keyring took it, the change @record makes to the records;
 * @written (NULL: _bh_store_op_written_boolean()) ends the task. The order
 * is the store's rule: a secret first, its record after. */
void
_bh_store_op_store_secret (BhStore             *self,
                           GTask               *task,
                           const char          *kind,
                           BhApp               *app,
                           const char          *user_id,
                           const char          *screen_name,
                           const char          *secret,
                           GCancellable        *cancellable,
                           BhStoreOpRecordFunc  record,
                           GAsyncReadyCallback  written)
{
  BhStoreOp *op = g_task_get_task_data (task);

  op->record = record;
  op->written = written;
  _bh_store_store_secret_async (self, kind, app, user_id, screen_name, secret,
                                cancellable, keyring_step_done, task);
}

/* Takes over @task: as _bh_store_op_store_secret(), with the removal of
 * the keyring items @ident names as the keyring step. */
void
_bh_store_op_clear_secrets (BhStore             *self,
                            GTask               *task,
                            GHashTable          *ident,
                            GCancellable        *cancellable,
                            BhStoreOpRecordFunc  record,
                            GAsyncReadyCallback  written)
{
  BhStoreOp *op = g_task_get_task_data (task);

  op->record = record;
  op->written = written;
  _bh_store_clear_secrets_async (self, ident, cancellable, keyring_step_done, task);
}

/* Takes over @task: looks up the one keyring item @ident names; @found
 * gets it with _bh_store_op_find_secret_finish(). */
void
_bh_store_op_find_secret (BhStore              *self,
                          GTask                *task,
                          GHashTable           *ident,
                          GCancellable         *cancellable,
                          BhStoreOpMissingFunc  missing,
                          GAsyncReadyCallback   found)
{
  BhStoreOp *op = g_task_get_task_data (task);

  op->missing = missing;
  _bh_store_find_secret_async (self, ident, cancellable, found, task);
}

/* Returns the secret, or NULL with *@task done with: failed with the
 * keyring's error, or with the op's own sentence when the item is not
 * there. */
BhSecret *
_bh_store_op_find_secret_finish (BhStore       *self,
                                 GAsyncResult  *result,
                                 GTask        **task)
{
  BhStoreOp *op = g_task_get_task_data (*task);
  g_autoptr(GError) error = NULL;
  BhSecret *secret;

  secret = _bh_store_find_secret_finish (self, result, &error);
  if (secret != NULL)
    return secret;

  if (g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      error = op->missing (*task);
    }
  g_task_return_error (*task, g_steal_pointer (&error));
  return NULL;
}

/* From the keyring write to the record's, a change is in flight: a load's
 * reconcile in between would take the secret for one whose record was
 * lost (or mark the App's secrets missing). */
void
_bh_store_op_set_busy (BhStoreOp  *op,
                       BhStore    *self,
                       const char *app_id)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->busy, app_id));

  g_hash_table_insert (self->busy, g_strdup (app_id), GUINT_TO_POINTER (n + 1));
  op->store = g_object_ref (self);
  op->busy_id = g_strdup (app_id);
}

static void
undo_cleared (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!_bh_store_clear_secrets_finish (BH_STORE (source), result, &error))
    g_debug ("The keyring items of a refused change could not be removed: %s", error->message);

  g_task_return_error (task, g_steal_pointer (&op->error));
}

/* Removes the items (@kind NULL: all) of @app_id, then fails @task with
 * @error. */
void
_bh_store_undo_secrets (BhStore    *self,
                        GTask      *task,
                        GError     *error,
                        const char *kind,
                        const char *app_id,
                        const char *user_id)
{
  BhStoreOp *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) ident = _bh_store_ident_attributes (kind, app_id, user_id);

  g_clear_error (&op->error);
  op->error = error;
  _bh_store_clear_secrets_async (self, ident, NULL, undo_cleared, task);
}

/* Ends the write of the records that follows a keyring write. When the
 * App was removed meanwhile, what the keyring got goes too, or the next
 * load would bring the App back; with @user_id, so do the tokens of an
 * account the records had no room for. Returns TRUE when written;
 * otherwise *@task is done with (failed, or handed to the undo). */
gboolean
_bh_store_op_write_finish (BhStore       *self,
                           GAsyncResult  *result,
                           GTask        **task,
                           const char    *app_id,
                           const char    *user_id)
{
  g_autoptr(GError) error = NULL;

  if (_bh_store_records_write_finish (self, result, &error))
    return TRUE;

  if (g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND))
    _bh_store_undo_secrets (self, g_steal_pointer (task), g_steal_pointer (&error), NULL, app_id, NULL);
  else if (user_id != NULL && g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT))
    _bh_store_undo_secrets (self, g_steal_pointer (task), g_steal_pointer (&error), NULL, app_id, user_id);
  else
    g_task_return_error (*task, g_steal_pointer (&error));

  return FALSE;
}

/* Every operation ends with the records; a failure to write them is
 * reported, while the keyring keeps what it got (the next load restores
 * the record from the keyring's attributes). */
void
_bh_store_op_written_boolean (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!_bh_store_records_write_finish (BH_STORE (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}
