/* bh-store-accounts.c: saving, changing and removing accounts, and their tokens
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

#include <string.h>
#include <glib/gi18n.h>

/* The account was removed (here or by another process). */
GError *
_bh_store_account_gone_error (BhAccount *account)
{
  return g_error_new (BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                      /* Translators: %s is the account's screen name, without “@”. */
                      _("The account @%s is no longer in Birdhouse."),
                      bh_account_get_screen_name (account));
}

/* What identifies the keyring item of @account's secret of @kind (NULL:
 * every item of the account). */
static GHashTable *
account_ident (BhAccount  *account,
               const char *kind)
{
  return _bh_store_ident_attributes (kind, bh_account_get_app_id (account), bh_account_get_user_id (account));
}

static void
save_account_written (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStoreOp *op = g_task_get_task_data (task);

  /* The App removed meanwhile: its new tokens go too. Too many
   * accounts: this one's do. */
  if (!_bh_store_op_write_finish (BH_STORE (source), result, &task, bh_app_get_id (op->app), op->user_id))
    return;

  g_task_return_pointer (task, g_object_ref (op->account), g_object_unref);
}

static void
save_account_stored (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  BhStoreOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(BhAccount) proposed = NULL;
  BhAccount *existing;

  if (!_bh_store_store_secret_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The account as it will be; the model takes it (or updates the one
   * it has) once it is in the file. */
  now = g_date_time_new_now_utc ();
  proposed = bh_account_new (bh_app_get_id (op->app), op->user_id, op->screen_name);
  bh_account_set_name (proposed, op->name);
  bh_account_set_access_level (proposed, op->access_level);
  bh_account_set_authorized_at (proposed, now);
  bh_account_set_state (proposed, BH_ACCOUNT_STATE_OK);

  /* Looked up now, not before the store: the same user may have been
   * saved meanwhile, and must stay one account. It keeps the credentials
   * of the other kind. */
  existing = _bh_store_find_account_by_user_id (op->app, op->user_id);
  if (existing != NULL)
    bh_account_copy_credentials (proposed, existing);
  if (g_str_equal (op->kind, KIND_OAUTH2_GRANT))
    {
      bh_account_set_credentials (proposed, (existing != NULL ? bh_account_get_credentials (existing) & BH_ACCOUNT_CREDENTIALS_OAUTH1 : 0) |
                                            BH_ACCOUNT_CREDENTIALS_OAUTH2);
      bh_account_set_oauth2_scopes (proposed, op->scopes);
      bh_account_set_oauth2_expires_at (proposed, op->expires_at);
      if (op->access_level == NULL && existing != NULL)
        bh_account_set_access_level (proposed, bh_account_get_access_level (existing));
    }
  else
    {
      bh_account_set_credentials (proposed, (existing != NULL ? bh_account_get_credentials (existing) & BH_ACCOUNT_CREDENTIALS_OAUTH2 : 0) |
                                            BH_ACCOUNT_CREDENTIALS_OAUTH1);
    }
  op->account = g_object_ref (existing != NULL ? existing : proposed);

  _bh_store_queue_change (self, _bh_store_change_put_account (proposed, TRUE));
  _bh_store_records_write_async (self, save_account_written, g_steal_pointer (&task));
}

/**
 * bh_store_save_account_async:
 * @self: a #BhStore
 * @app: the App the tokens were issued for
 * @user_id: X's user id
 * @screen_name: the @handle, without '@'
 * @name: (nullable): the display name
 * @access_level: (nullable): X's x-access-level
 * @token: the access token
 * @token_secret: the access token secret
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Stores the tokens (one keyring item, "TOKEN\nTOKEN_SECRET"), then the
 * record; an account with the same user id is updated in place.
 */
void
bh_store_save_account_async (BhStore             *self,
                             BhApp               *app,
                             const char          *user_id,
                             const char          *screen_name,
                             const char          *name,
                             const char          *access_level,
                             const char          *token,
                             const char          *token_secret,
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
  g_task_set_source_tag (task, bh_store_save_account_async);

  if (!_bh_store_check_text (token, BH_STORE_FIELD_ACCESS_TOKEN, FALSE, &error) ||
      !_bh_store_check_text (token_secret, BH_STORE_FIELD_ACCESS_TOKEN_SECRET, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  op = _bh_store_op_new (task);
  op->kind = KIND_USER;
  op->secret = g_strconcat (token, "\n", token_secret, NULL);
  _bh_store_save_account_start (self, g_steal_pointer (&task), app, user_id, screen_name, name, access_level);
}

/* Checks the account's identity, then stores op->secret as an item of
 * op->kind and the record. Takes over @task (its op set up by the
 * caller). */
void
_bh_store_save_account_start (BhStore    *self,
                              GTask      *task,
                              BhApp      *app,
                              const char *user_id,
                              const char *screen_name,
                              const char *name,
                              const char *access_level)
{
  BhStoreOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!_bh_store_check_text (user_id, BH_STORE_FIELD_USER_ID, FALSE, &error) ||
      !_bh_store_check_text (screen_name, BH_STORE_FIELD_SCREEN_NAME, FALSE, &error) ||
      (name != NULL && *name != '\0' && !_bh_store_check_text (name, BH_STORE_FIELD_ACCOUNT_NAME, TRUE, &error)))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (_bh_store_find_app_by_id (self, bh_app_get_id (app)) != app)
    {
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                               /* Translators: %s is the App's name. */
                               _("The App “%s” is no longer in Birdhouse."), bh_app_get_name (app));
      g_object_unref (task);
      return;
    }

  op->app = g_object_ref (app);
  op->user_id = g_strdup (user_id);
  _bh_store_op_set_busy (op, self, bh_app_get_id (app));
  op->screen_name = g_strdup (*screen_name == '@' ? screen_name + 1 : screen_name);
  op->name = g_strdup (name);
  op->access_level = g_strdup (access_level);

  _bh_store_store_secret_async (self, op->kind, app, op->user_id, op->screen_name, op->secret,
                                g_task_get_cancellable (task), save_account_stored, task);
}

/**
 * bh_store_save_account_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: (transfer full) (nullable): the account, now in its App
 */
BhAccount *
bh_store_save_account_finish (BhStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bh_store_update_account_async:
 * @self: a #BhStore
 * @account: an account of the store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Saves the non-secret fields of @account; the keyring is not involved.
 */
void
bh_store_update_account_async (BhStore             *self,
                               BhAccount           *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BhApp *app;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_update_account_async);

  app = bh_store_get_account_app (self, account);
  if (app == NULL || _bh_store_find_account_by_user_id (app, bh_account_get_user_id (account)) != account)
    {
      g_task_return_error (task, _bh_store_account_gone_error (account));
      return;
    }

  /* Never adds it back: another process may have removed it. */
  _bh_store_queue_change (self, _bh_store_change_put_account (account, FALSE));
  _bh_store_records_write_async (self, _bh_store_op_written_boolean, g_steal_pointer (&task));
}

/**
 * bh_store_update_account_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the record was written
 */
gboolean
bh_store_update_account_finish (BhStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static BhStoreChange *
remove_account_record (BhStore   *self,
                       BhStoreOp *op)
{
  /* The model drops the account once the file did. */
  return _bh_store_change_new (BH_STORE_CHANGE_REMOVE_ACCOUNT, bh_account_get_app_id (op->account),
                               bh_account_get_user_id (op->account),
                               bh_account_get_screen_name (op->account));
}

/**
 * bh_store_remove_account_async:
 * @self: a #BhStore
 * @account: an account of the store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Removes the account's tokens and OAuth 2.0 grant from the keyring, then
 * its record (nothing is said to X: see BhRevokeFlow). When the
 * keyring refuses, nothing is removed.
 */
void
bh_store_remove_account_async (BhStore             *self,
                               BhAccount           *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) ident = NULL;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_ACCOUNT (account));

  task = _bh_store_op_task_new (self, bh_store_remove_account_async, NULL, account,
                                cancellable, callback, user_data);
  _bh_store_op_set_busy (g_task_get_task_data (task), self, bh_account_get_app_id (account));

  /* Every kind of credentials the account holds. */
  ident = account_ident (account, NULL);
  _bh_store_op_clear_secrets (self, g_steal_pointer (&task), ident, cancellable, remove_account_record, NULL);
}

/**
 * bh_store_remove_account_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the account and its tokens are gone
 */
gboolean
bh_store_remove_account_finish (BhStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  BhSecret *token;
  BhSecret *token_secret;
} Tokens;

static void
tokens_free (Tokens *tokens)
{
  bh_secret_clear (&tokens->token);
  bh_secret_clear (&tokens->token_secret);
  g_free (tokens);
}

static GError *
tokens_missing (GTask *task)
{
  BhStoreOp *op = g_task_get_task_data (task);

  bh_account_set_state (op->account, BH_ACCOUNT_STATE_SECRET_MISSING);
  return g_error_new (BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                      /* Translators: %s is the account's screen name, without “@”. */
                      _("The tokens of @%s are not in the keyring. Authorize the account again."),
                      bh_account_get_screen_name (op->account));
}

static void
lookup_tokens_found (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStoreOp *op = g_task_get_task_data (task);
  g_autoptr(BhSecret) value = NULL;
  const char *newline;
  Tokens *tokens;

  value = _bh_store_op_find_secret_finish (BH_STORE (source), result, &task);
  if (value == NULL)
    return;

  newline = strchr (value, '\n');
  if (newline == NULL || newline == value || newline[1] == '\0')
    {
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                               /* Translators: %s is the account's screen name, without “@”. */
                               _("The keyring item of @%s does not hold a token and a token secret. "
                                 "Authorize the account again."),
                               bh_account_get_screen_name (op->account));
      return;
    }

  tokens = g_new0 (Tokens, 1);
  tokens->token = bh_secret_dup_len (value, newline - value);
  tokens->token_secret = bh_secret_dup (newline + 1);
  if (bh_account_get_state (op->account) == BH_ACCOUNT_STATE_SECRET_MISSING)
    bh_account_set_state (op->account, BH_ACCOUNT_STATE_OK);
  g_task_return_pointer (task, tokens, (GDestroyNotify) tokens_free);
}

/**
 * bh_store_lookup_account_tokens_async:
 * @self: a #BhStore
 * @account: an account
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads the account's access token and token secret from the keyring.
 */
void
bh_store_lookup_account_tokens_async (BhStore             *self,
                                      BhAccount           *account,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) ident = NULL;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_ACCOUNT (account));

  task = _bh_store_op_task_new (self, bh_store_lookup_account_tokens_async, NULL, account,
                                cancellable, callback, user_data);

  /* Not missing: never there. The account stays as it is. */
  if (!bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH1))
    {
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                               /* Translators: %s is the account's screen name, without “@”. */
                               _("@%s was authorized with OAuth 2.0 only: it has no OAuth 1.0a access token "
                                 "and secret. Use its OAuth 2.0 access token, or authorize it with a PIN too."),
                               bh_account_get_screen_name (account));
      return;
    }

  ident = account_ident (account, KIND_USER);
  _bh_store_op_find_secret (self, g_steal_pointer (&task), ident, cancellable,
                            tokens_missing, lookup_tokens_found);
}

/**
 * bh_store_lookup_account_tokens_finish:
 * @self: a #BhStore
 * @result: the result
 * @token: (out) (optional): the access token; free with bh_secret_free()
 * @token_secret: (out) (optional): the token secret; free with bh_secret_free()
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when both were read
 */
gboolean
bh_store_lookup_account_tokens_finish (BhStore       *self,
                                       GAsyncResult  *result,
                                       char         **token,
                                       char         **token_secret,
                                       GError       **error)
{
  Tokens *tokens;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  tokens = g_task_propagate_pointer (G_TASK (result), error);
  if (tokens == NULL)
    return FALSE;

  if (token != NULL)
    *token = g_steal_pointer (&tokens->token);
  if (token_secret != NULL)
    *token_secret = g_steal_pointer (&tokens->token_secret);
  tokens_free (tokens);

  return TRUE;
}
