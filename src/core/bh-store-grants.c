/* bh-store-grants.c: saving, changing and removing accounts, and their tokens
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

#include "bh-oauth2.h"

/*
 * An account's OAuth 2.0 grant: one keyring item of kind "oauth2-grant"
 * whose value is bh_oauth2_grant_serialize()'s text (access token, refresh
 * token, expiry, scopes), so that a refresh replaces all of it in one
 * write. The records carry only what is not secret: that the account has
 * a grant, its scopes and when its access token expires.
 */

static GHashTable *
grant_ident (BhAccount *account)
{
  return _bh_store_ident_attributes (KIND_OAUTH2_GRANT, bh_account_get_app_id (account),
                                     bh_account_get_user_id (account));
}

/* What the records can keep of the scopes X granted: text a later parse
 * accepts, or nothing (the grant in the keyring has them all the same). */
static char *
recordable_scopes (const char *scopes)
{
  if (scopes == NULL || !_bh_store_check_text (scopes, BH_STORE_FIELD_OAUTH2_SCOPES, TRUE, NULL))
    return NULL;

  return g_strdup (scopes);
}

/**
 * bh_store_save_oauth2_account_async:
 * @self: a #BhStore
 * @app: the App (its Client ID) the grant was issued for
 * @user_id: X's user id
 * @screen_name: the @handle, without '@'
 * @name: (nullable): the display name
 * @grant: what X's token endpoint answered
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Stores the grant (one keyring item), then the record, like
 * bh_store_save_account_async(): an account with the same user id is
 * updated in place and keeps its OAuth 1.0a tokens. Finish with
 * bh_store_save_account_finish().
 */
void
bh_store_save_oauth2_account_async (BhStore             *self,
                                    BhApp               *app,
                                    const char          *user_id,
                                    const char          *screen_name,
                                    const char          *name,
                                    const BhOAuth2Grant *grant,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BhStoreOp *op;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));
  g_return_if_fail (grant != NULL && grant->access_token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_save_oauth2_account_async);

  op = _bh_store_op_new (task);
  op->kind = KIND_OAUTH2_GRANT;
  op->secret = bh_oauth2_grant_serialize (grant);
  op->scopes = recordable_scopes (grant->scopes);
  op->expires_at = grant->expires_at;
  _bh_store_save_account_start (self, g_steal_pointer (&task), app, user_id, screen_name, name, NULL);
}

static GError *
grant_missing (GTask *task)
{
  BhStoreOp *op = g_task_get_task_data (task);

  return g_error_new (BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                      /* Translators: %s is the account's screen name, without “@”. */
                      _("The OAuth 2.0 grant of @%s is not in the keyring. Authorize the account again with OAuth 2.0."),
                      bh_account_get_screen_name (op->account));
}

static void
lookup_grant_found (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStoreOp *op = g_task_get_task_data (task);
  BhAccount *account = op->account;
  g_autoptr(BhSecret) value = NULL;
  BhOAuth2Grant *grant;

  value = _bh_store_op_find_secret_finish (BH_STORE (source), result, &task);
  if (value == NULL)
    return;

  grant = bh_oauth2_grant_deserialize (value, NULL);
  if (grant == NULL)
    {
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                               /* Translators: %s is the account's screen name, without “@”. */
                               _("The keyring item of the OAuth 2.0 grant of @%s cannot be read. "
                                 "Authorize the account again with OAuth 2.0."),
                               bh_account_get_screen_name (account));
      return;
    }

  g_task_return_pointer (task, grant, (GDestroyNotify) bh_oauth2_grant_free);
}

/**
 * bh_store_lookup_oauth2_grant_async:
 * @self: a #BhStore
 * @account: an account
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads the account's OAuth 2.0 grant from the keyring, as it is now (on
 * libsecret's file backend, the file is read again when another process
 * changed it). To use the access token, see bh_oauth2_token_async(),
 * which refreshes it first when needed.
 */
void
bh_store_lookup_oauth2_grant_async (BhStore             *self,
                                    BhAccount           *account,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) ident = NULL;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_ACCOUNT (account));

  task = _bh_store_op_task_new (self, bh_store_lookup_oauth2_grant_async, NULL, account,
                                cancellable, callback, user_data);
  ident = grant_ident (account);
  _bh_store_op_find_secret (self, g_steal_pointer (&task), ident, cancellable,
                            grant_missing, lookup_grant_found);
}

/**
 * bh_store_lookup_oauth2_grant_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: (transfer full) (nullable): the grant; free with
 *   bh_oauth2_grant_free(), which wipes its tokens
 */
BhOAuth2Grant *
bh_store_lookup_oauth2_grant_finish (BhStore       *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
replace_grant_recorded (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The grant is safe in the keyring; the record only says when it
   * expires, which the next refresh writes again. */
  if (!_bh_store_records_write_finish (BH_STORE (source), result, &error))
    g_debug ("The refreshed grant's expiry could not be recorded: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

static BhStoreChange *
replace_grant_record (BhStore   *self,
                      BhStoreOp *op)
{
  bh_account_set_oauth2_scopes (op->account, op->scopes);
  bh_account_set_oauth2_expires_at (op->account, op->expires_at);
  if (bh_account_get_state (op->account) != BH_ACCOUNT_STATE_OK)
    bh_account_set_state (op->account, BH_ACCOUNT_STATE_OK);
  return _bh_store_change_put_account (op->account, FALSE);
}

/**
 * bh_store_replace_oauth2_grant_async:
 * @self: a #BhStore
 * @account: an account of the store with an OAuth 2.0 grant
 * @grant: the grant after a refresh
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Replaces the account's grant (access token, refresh token, expiry and
 * scopes) in ONE keyring write, then records the new expiry. Callers hold
 * the refresh lock (see bh_oauth2_token_async()).
 */
void
bh_store_replace_oauth2_grant_async (BhStore             *self,
                                     BhAccount           *account,
                                     const BhOAuth2Grant *grant,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BhStoreOp *op;
  BhApp *app;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_ACCOUNT (account));
  g_return_if_fail (grant != NULL && grant->access_token != NULL);

  task = _bh_store_op_task_new (self, bh_store_replace_oauth2_grant_async, NULL, account,
                                cancellable, callback, user_data);
  app = bh_store_get_account_app (self, account);
  if (app == NULL)
    {
      g_task_return_error (task, _bh_store_account_gone_error (account));
      return;
    }

  op = g_task_get_task_data (task);
  op->scopes = recordable_scopes (grant->scopes);
  op->expires_at = grant->expires_at;
  op->secret = bh_oauth2_grant_serialize (grant);
  _bh_store_op_set_busy (op, self, bh_app_get_id (app));

  _bh_store_op_store_secret (self, g_steal_pointer (&task), KIND_OAUTH2_GRANT, app,
                             bh_account_get_user_id (account), bh_account_get_screen_name (account),
                             op->secret, cancellable, replace_grant_record, replace_grant_recorded);
}

/**
 * bh_store_replace_oauth2_grant_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the new grant is in the keyring (a record that
 *   could not be written is only logged: it holds nothing the grant needs)
 */
gboolean
bh_store_replace_oauth2_grant_finish (BhStore       *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static BhStoreChange *
remove_grant_record (BhStore   *self,
                     BhStoreOp *op)
{
  bh_account_set_credentials (op->account, bh_account_get_credentials (op->account) & ~BH_ACCOUNT_CREDENTIALS_OAUTH2);
  bh_account_set_oauth2_scopes (op->account, NULL);
  bh_account_set_oauth2_expires_at (op->account, 0);
  return _bh_store_change_put_account (op->account, FALSE);
}

/**
 * bh_store_remove_oauth2_grant_async:
 * @self: a #BhStore
 * @account: an account of the store that also holds OAuth 1.0a tokens
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Removes only the account's OAuth 2.0 grant (after a revoke), keeping
 * the account and its OAuth 1.0a tokens. To remove the whole account, use
 * bh_store_remove_account_async().
 */
void
bh_store_remove_oauth2_grant_async (BhStore             *self,
                                    BhAccount           *account,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) ident = NULL;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_ACCOUNT (account));

  task = _bh_store_op_task_new (self, bh_store_remove_oauth2_grant_async, NULL, account,
                                cancellable, callback, user_data);
  _bh_store_op_set_busy (g_task_get_task_data (task), self, bh_account_get_app_id (account));

  ident = grant_ident (account);
  _bh_store_op_clear_secrets (self, g_steal_pointer (&task), ident, cancellable, remove_grant_record, NULL);
}

/**
 * bh_store_remove_oauth2_grant_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the grant is gone
 */
gboolean
bh_store_remove_oauth2_grant_finish (BhStore       *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
