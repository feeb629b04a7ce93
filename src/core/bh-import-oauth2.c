/* bh-import-oauth2.c
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

#include "bh-account.h"
#include "bh-app.h"
#include "bh-import-private.h"
#include "bh-oauth2.h"
#include "bh-store.h"

/* xurl's OAuth 2.0 entries, checked with X like the rest: a confidential
 * client with bh_x_client_oauth2_check_client_async(), an
 * account's tokens with 2/users/me — after a refresh when the access
 * token has expired, which xurl's usually has: it lasts two hours. */

/* The access token is taken as expired this long before X would. */
#define EXPIRY_MARGIN_S 60

static void
revoke_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (bh_x_client_oauth2_check_client_finish (BH_X_CLIENT (source), result, &error))
    _bh_import_current_item (task)->state = BH_IMPORT_STATE_VALID;
  else if (!_bh_import_item_failed (task, error))
    return;

  _bh_import_next (task);
}

static void
users_me_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhImport *self = g_task_get_source_object (task);
  BhImportItem *item = _bh_import_current_item (task);
  GError *error = NULL;
  BhXIdentity *identity = bh_x_client_users_me_finish (BH_X_CLIENT (source), result, &error);

  if (item->refreshed)
    _bh_import_set_detail (item, _("X renewed its tokens while Birdhouse checked them: the ones in the file no longer work."));
  _bh_import_identity_checked (task, identity, error,
                               _bh_import_store_app_by_client_id (self, item->client_id),
                               BH_ACCOUNT_CREDENTIALS_OAUTH2);
}

static void
check_access_token (GTask        *task,
                    BhImportItem *item)
{
  BhImport *self = g_task_get_source_object (task);
  BhAuth auth = { 0 };

  auth.mode = BH_AUTH_BEARER;
  auth.bearer = item->secret;
  bh_x_client_users_me_async (self->client, &auth, g_task_get_cancellable (task),
                              users_me_cb, g_object_ref (task));
}

static void
refresh_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhImportItem *item = _bh_import_current_item (task);
  BhOAuth2Grant *grant;
  GError *error = NULL;

  grant = bh_x_client_oauth2_refresh_finish (BH_X_CLIENT (source), result, &error);
  if (grant == NULL)
    {
      if (_bh_import_item_failed (task, error))
        _bh_import_next (task);
      return;
    }

  /* X rotates refresh tokens: from now on only these work. */
  bh_secret_replace (&item->secret, grant->access_token);
  if (grant->refresh_token != NULL)
    bh_secret_replace (&item->token, grant->refresh_token);
  item->expires_at = grant->expires_at;
  g_free (item->scopes);
  item->scopes = g_strdup (grant->scopes);
  item->refreshed = TRUE;
  bh_oauth2_grant_free (grant);

  check_access_token (task, item);
}

/**
 * _bh_import_check_oauth2_step:
 * @task: the check's walk
 * @item: an OAuth 2.0 Client ID or an account's OAuth 2.0 tokens
 *
 * Returns: %TRUE when a request to X was started
 */
gboolean
_bh_import_check_oauth2_step (GTask        *task,
                              BhImportItem *item)
{
  BhImport *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  BhImportItem *client = _bh_import_file_item (self, BH_IMPORT_KIND_OAUTH2_CLIENT, NULL, item->client_id);
  BhApp *app = _bh_import_store_app_by_client_id (self, item->client_id);

  if (item->kind == BH_IMPORT_KIND_OAUTH2_CLIENT)
    {
      if (app != NULL)
        {
          item->state = BH_IMPORT_STATE_PRESENT;
          _bh_import_set_app_name (item, app);
          return FALSE;
        }
      if (item->secret == NULL)
        {
          /* A public client has nothing secret to check. */
          item->state = BH_IMPORT_STATE_VALID;
          return FALSE;
        }
      bh_x_client_oauth2_check_client_async (self->client, item->client_id, item->secret,
                                             cancellable, revoke_cb, g_object_ref (task));
      return TRUE;
    }

  if (item->client_id == NULL)
    {
      item->state = BH_IMPORT_STATE_UNSUPPORTED;
      _bh_import_set_detail (item, _("The file names no Client ID for these tokens, and Birdhouse "
                                     "keeps OAuth 2.0 tokens only with their App’s Client ID."));
      return FALSE;
    }

  if (item->expires_at != 0 && item->token != NULL &&
      item->expires_at <= g_get_real_time () / G_USEC_PER_SEC + EXPIRY_MARGIN_S)
    {
      bh_x_client_oauth2_refresh_async (self->client, item->client_id,
                                        client != NULL ? client->secret : NULL,
                                        item->token, cancellable, refresh_cb, g_object_ref (task));
      return TRUE;
    }

  check_access_token (task, item);
  return TRUE;
}
