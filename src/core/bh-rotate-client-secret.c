/* bh-rotate-client-secret.c
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

#include "bh-rotate-client-secret.h"

#include <glib/gi18n.h>

#include "bh-app.h"
#include "bh-secret.h"
#include "bh-store.h"
#include "bh-x-client.h"

/*
 * Rotating an App's OAuth 2.0 Client Secret: the person regenerated it in
 * the developer portal; the new one is proved with X (the health check's
 * client check: revoking a token that does not exist, which changes
 * nothing at X) before it replaces the stored one, in one keyring write;
 * then the records say it was rotated. A secret X refuses is not stored.
 */

typedef struct
{
  BhApp     *app;
  BhSecret  *secret;
  BhXClient *client;
  gboolean   stored;
} RotateClient;

static void
rotate_client_free (RotateClient *data)
{
  g_clear_object (&data->app);
  g_clear_object (&data->client);
  bh_secret_clear (&data->secret);
  g_free (data);
}

static void
marked_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The new secret is stored; only its rotation time could be missing. */
  if (!bh_store_mark_rotated_finish (BH_STORE (object), result, &error))
    g_debug ("Could not record the rotation of a Client Secret: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RotateClient *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!bh_store_update_app_full_finish (BH_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->stored = TRUE;
  bh_store_mark_rotated_async (BH_STORE (object), data->app, NULL, BH_CREDENTIAL_KIND_CLIENT_SECRET, NULL,
                               marked_cb, g_steal_pointer (&task));
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RotateClient *data = g_task_get_task_data (task);
  BhStore *store = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  BhStoreAppFields fields = { NULL, };

  if (!bh_x_client_oauth2_check_client_finish (BH_X_CLIENT (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Not cancellable from here: the keyring write is let finish. */
  fields.name = bh_app_get_name (data->app);
  fields.consumer_key = bh_app_get_consumer_key (data->app);
  fields.api_host = bh_app_get_api_host (data->app);
  fields.client_id = bh_app_get_client_id (data->app);
  fields.client_secret = data->secret;
  fields.redirect_uri = bh_app_get_redirect_uri (data->app);
  bh_store_update_app_full_async (store, data->app, &fields, NULL,
                                  updated_cb, g_steal_pointer (&task));
}

/**
 * bh_rotate_client_secret_async:
 * @store: a loaded store
 * @app: a confidential client (with a Client ID and a Client Secret)
 * @secret: the new Client Secret
 * @cancellable: (nullable): cancels while X is asked
 * @callback: called when done
 * @user_data: for @callback
 *
 * Proves @secret with X, then stores it in place of @app's Client
 * Secret and records the rotation. Errors: BH_X_ERROR_OAUTH2_CLIENT when
 * X refuses it, other BH_X_ERROR codes when X cannot be reached (nothing
 * stored in both cases), BH_STORE_ERROR codes.
 */
void
bh_rotate_client_secret_async (BhStore             *store,
                               BhApp               *app,
                               const char          *secret,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RotateClient *data;

  g_return_if_fail (BH_IS_STORE (store));
  g_return_if_fail (BH_IS_APP (app));
  g_return_if_fail (secret != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_rotate_client_secret_async);

  if (bh_app_get_client_id (app) == NULL || !bh_app_get_has_client_secret (app))
    {
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                               /* Translators: %s is the name of the App */
                               _("The App “%s” has no Client Secret to rotate: it is not a confidential OAuth 2.0 client. `birdhouse app edit APP --client-id ID --client-secret` adds one."),
                               bh_app_get_name (app));
      return;
    }

  data = g_new0 (RotateClient, 1);
  data->app = g_object_ref (app);
  data->secret = bh_secret_dup (secret);
  g_task_set_task_data (task, data, (GDestroyNotify) rotate_client_free);

  data->client = bh_x_client_new (bh_app_get_api_host (app), &error);
  if (data->client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  bh_x_client_oauth2_check_client_async (data->client, bh_app_get_client_id (app), data->secret,
                                         cancellable, checked_cb, g_steal_pointer (&task));
}

/**
 * bh_rotate_client_secret_finish:
 * @stored: (out) (optional): whether the new secret was stored (it can be
 *   when the run still fails afterwards)
 *
 * Returns: %TRUE when the new secret is stored
 */
gboolean
bh_rotate_client_secret_finish (BhStore       *store,
                                GAsyncResult  *result,
                                gboolean      *stored,
                                GError       **error)
{
  RotateClient *data;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (stored != NULL)
    *stored = data != NULL && data->stored;

  return g_task_propagate_boolean (G_TASK (result), error);
}
