/* bh-health-oauth2.c
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

#include "bh-health-private.h"
#include "bh-oauth2-token.h"

/*
 * The health check's OAuth 2.0 items (round 2, see bh-health.c):
 *
 * - an account's grant: its access token, refreshed first when it is
 *   about to expire (bh_oauth2_token_async(), under the cross-process
 *   lock; a refresh X refuses marks the account needs-reauth there), then
 *   GET 2/users/me with it (75 a window per user, like verify_credentials);
 * - an App's Client Secret (confidential clients): revoking a token that
 *   does not exist, which changes nothing at X
 *   (bh_x_client_oauth2_check_client_async(), as the import does).
 */

static void
access_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Item *item = user_data;
  Run *run = g_task_get_task_data (item->task);
  g_autoptr(GError) error = NULL;
  BhAuth auth = { .mode = BH_AUTH_BEARER };
  BhXClient *client;

  item->token = bh_oauth2_token_finish (BH_STORE (object), result, &error);
  if (item->token == NULL || (client = _bh_health_run_client (run, item->app, &error)) == NULL)
    {
      _bh_health_item_failed (item, error);
      return;
    }

  auth.bearer = item->token;
  item->asked = TRUE;
  bh_x_client_users_me_async (client, &auth, g_task_get_cancellable (item->task), _bh_health_identity_cb, item);
}

/* Starts the check of @item's account's OAuth 2.0 grant. */
void
_bh_health_start_grant (Item *item)
{
  BhHealthCheck *self = g_task_get_source_object (item->task);

  bh_oauth2_token_async (self->store, item->account, FALSE, g_task_get_cancellable (item->task),
                         access_token_cb, item);
}

static void
check_client_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Item *item = user_data;
  g_autoptr(GError) error = NULL;

  if (!bh_x_client_oauth2_check_client_finish (BH_X_CLIENT (object), result, &error))
    {
      _bh_health_item_failed (item, error);
      return;
    }

  _bh_health_item_done (item, BH_HEALTH_HEALTHY, NULL, 0, NULL);
}

static void
client_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Item *item = user_data;
  Run *run = g_task_get_task_data (item->task);
  g_autoptr(GError) error = NULL;
  BhXClient *client;

  item->token = bh_store_lookup_client_secret_finish (BH_STORE (object), result, &error);
  if (item->token == NULL || (client = _bh_health_run_client (run, item->app, &error)) == NULL)
    {
      _bh_health_item_failed (item, error);
      return;
    }

  item->asked = TRUE;
  bh_x_client_oauth2_check_client_async (client, bh_app_get_client_id (item->app), item->token,
                                         g_task_get_cancellable (item->task), check_client_cb, item);
}

/* Starts the check of @item's App's Client ID and Client Secret. */
void
_bh_health_start_client_secret (Item *item)
{
  BhHealthCheck *self = g_task_get_source_object (item->task);

  bh_store_lookup_client_secret_async (self->store, item->app, g_task_get_cancellable (item->task),
                                       client_secret_cb, item);
}
