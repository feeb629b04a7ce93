/* bh-store-app-secrets.c: looking up an App's secrets, and its bearer token
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

/* Looking up one secret of an App: a secret that is not there updates the
 * flag the UI shows, and says what to do. */

/* What the App's flag says, and the sentence for a secret that is not
 * there. */
static void
note_app_secret (BhApp      *app,
                 gpointer    source_tag,
                 gboolean    present,
                 GError    **error)
{
  if (source_tag == bh_store_lookup_bearer_async)
    {
      bh_app_set_has_bearer (app, present);
      if (!present)
        g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                     /* Translators: %s is the App's name. */
                     _("The App “%s” has no bearer token in the keyring. Generate one."),
                     bh_app_get_name (app));
    }
  else if (source_tag == bh_store_lookup_client_secret_async)
    {
      bh_app_set_has_client_secret (app, present);
      if (!present)
        g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                     /* Translators: %s is the App's name. */
                     _("The Client Secret of “%s” is not in the keyring. Enter it again in the App’s "
                       "settings."),
                     bh_app_get_name (app));
    }
  else
    {
      bh_app_set_has_secret (app, present);
      if (!present)
        g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                     /* Translators: %s is the App's name. */
                     _("The API key secret of “%s” is not in the keyring. Enter it again in the "
                       "App’s settings."),
                     bh_app_get_name (app));
    }
}

static GError *
app_secret_missing (GTask *task)
{
  BhStoreOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  note_app_secret (op->app, g_task_get_source_tag (task), FALSE, &error);
  return error;
}

static void
lookup_app_secret_found (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStoreOp *op = g_task_get_task_data (task);
  BhSecret *secret;

  secret = _bh_store_op_find_secret_finish (BH_STORE (source), result, &task);
  if (secret == NULL)
    return;

  note_app_secret (op->app, g_task_get_source_tag (task), TRUE, NULL);
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
  g_autoptr(GHashTable) ident = _bh_store_ident_attributes (kind, bh_app_get_id (app), NULL);
  GTask *task = _bh_store_op_task_new (self, source_tag, app, NULL, cancellable, callback, user_data);

  _bh_store_op_find_secret (self, task, ident, cancellable, app_secret_missing, lookup_app_secret_found);
}

/**
 * bh_store_lookup_client_secret_async:
 * @self: a #BhStore
 * @app: an App with a Client ID
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads the OAuth 2.0 Client Secret from the keyring (a confidential
 * client's); this may raise the keyring's unlock prompt. Check
 * "has-client-secret" first: a public client has none, and the lookup
 * then fails with BH_STORE_ERROR_NOT_FOUND.
 */
void
bh_store_lookup_client_secret_async (BhStore             *self,
                                     BhApp               *app,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));

  lookup_app_secret (self, app, KIND_CLIENT_SECRET, bh_store_lookup_client_secret_async,
                     cancellable, callback, user_data);
}

/**
 * bh_store_lookup_client_secret_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR (NOT_FOUND, KEYRING_LOCKED, …)
 *
 * Returns: (transfer full) (nullable): the secret; free with bh_secret_free()
 */
char *
bh_store_lookup_client_secret_finish (BhStore       *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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
 * unlock prompt. An App without an API key fails with
 * BH_STORE_ERROR_NOT_FOUND.
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

  /* Every OAuth 1.0a flow starts here: an App with a Client ID only is
   * told so, rather than signing with no key. */
  if (bh_app_get_consumer_key (app) == NULL)
    {
      g_task_report_new_error (self, callback, user_data, bh_store_lookup_consumer_secret_async,
                               BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                               /* Translators: %s is the App's name. */
                               _("The App “%s” has no API key for OAuth 1.0a. Add its API key and secret "
                                 "in the App’s settings."),
                               bh_app_get_name (app));
      return;
    }

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

static BhStoreChange *
set_bearer_record (BhStore   *self,
                   BhStoreOp *op)
{
  g_autoptr(GDateTime) now = NULL;
  BhStoreChange *change;

  /* Only the one field: whatever else another process changed stays. */
  change = _bh_store_change_new (BH_STORE_CHANGE_PUT_APP, bh_app_get_id (op->app), NULL, bh_app_get_name (op->app));
  _bh_store_change_set_boolean (change, "has-bearer", op->secret != NULL);
  /* A new token is as old as now; a removed one has no age. A rotation
   * says so afterwards (bh_store_mark_rotated_async()). */
  if (op->secret != NULL)
    now = g_date_time_new_now_utc ();
  _bh_store_change_set_date (change, bh_app_time_key (BH_APP_TIME_BEARER_CREATED), now);
  _bh_store_change_set_date (change, bh_app_time_key (BH_APP_TIME_BEARER_ROTATED), NULL);
  return change;
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

  task = _bh_store_op_task_new (self, bh_store_set_bearer_async, app, NULL,
                                cancellable, callback, user_data);
  if (bearer != NULL && !_bh_store_check_text (bearer, BH_STORE_FIELD_BEARER_TOKEN, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  op = g_task_get_task_data (task);
  op->secret = bh_secret_dup (bearer);
  _bh_store_op_set_busy (op, self, bh_app_get_id (app));

  if (bearer != NULL)
    {
      _bh_store_op_store_secret (self, g_steal_pointer (&task), KIND_BEARER, app, NULL, NULL, bearer,
                                 cancellable, set_bearer_record, set_bearer_written);
    }
  else
    {
      g_autoptr(GHashTable) ident = _bh_store_ident_attributes (KIND_BEARER, bh_app_get_id (app), NULL);

      _bh_store_op_clear_secrets (self, g_steal_pointer (&task), ident, cancellable,
                                  set_bearer_record, set_bearer_written);
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
