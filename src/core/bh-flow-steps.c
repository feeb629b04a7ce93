/* bh-flow-steps.c
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

#include "bh-flow-private.h"

#include <glib/gi18n.h>
#include <string.h>
#include <glib/gi18n.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-store.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

/*
 * The steps several flows share: the secrets from the keyring, a
 * verify_credentials retried once on clock skew, a verified account
 * stored. Each is an _async/_finish pair with its own GTask; none of them
 * touches the run's task, so a flow chains them like any other call.
 */

/**
 * _bh_flow_user_auth:
 * @credentials: the consumer secret, token and token secret (borrowed)
 * @auth: (out caller-allocates): filled for OAuth 1.0a user context with
 *   the App's consumer key; its pointers are borrowed
 */
void
_bh_flow_user_auth (BhFlow                  *self,
                    const BhFlowCredentials *credentials,
                    BhAuth                  *auth)
{
  memset (auth, 0, sizeof *auth);
  auth->mode = BH_AUTH_OAUTH1_USER;
  auth->consumer_key = bh_app_get_consumer_key (bh_flow_get_app (self));
  auth->consumer_secret = credentials->consumer_secret;
  auth->token = credentials->token;
  auth->token_secret = credentials->token_secret;
}

typedef struct
{
  BhFlow                 *flow;
  BhFlowBrowserErrorFunc  set_error;
} LaunchData;

static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LaunchData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(GError) shown = NULL;

      /* Not fatal: the URL stays there to be copied by hand. GIO's text
       * ("Operation not supported", a .desktop file name) tells a person
       * nothing they can act on, so it only goes to the debug log; the
       * code is kept for callers that want to tell the cases apart. */
      g_debug ("Could not open the authorize page in a browser: %s", error->message);
      shown = g_error_new_literal (G_IO_ERROR,
                                   error->domain == G_IO_ERROR ? error->code : G_IO_ERROR_FAILED,
                                   _("No web browser could be opened. Copy the link and open it in a browser yourself."));
      data->set_error (data->flow, shown);
    }

  g_object_unref (data->flow);
  g_free (data);
}

/**
 * _bh_flow_set_browser_error:
 * @field: the flow's "browser-error" field
 * @error: (nullable): the new value, copied; %NULL clears it
 * @pspec: the flow's "browser-error" property, notified on a change
 *
 * The body of a BhFlowBrowserErrorFunc: the PIN and OAuth 2.0 flows keep
 * why the browser could not be opened in the same way.
 */
void
_bh_flow_set_browser_error (BhFlow        *self,
                            GError       **field,
                            const GError  *error,
                            GParamSpec    *pspec)
{
  if (*field == NULL && error == NULL)
    return;

  g_clear_error (field);
  if (error != NULL)
    *field = g_error_copy (error);

  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/**
 * _bh_flow_set_str:
 *
 * g_set_str() for the flows' string fields (g_set_str() is GLib 2.76; the
 * floor is 2.74).
 *
 * Returns: %TRUE when *@field changed and wants a notification
 */
gboolean
_bh_flow_set_str (char       **field,
                  const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/**
 * _bh_flow_launch_browser:
 * @url: (nullable): the authorize page; nothing happens when %NULL
 * @set_error: where a failure to open a browser goes (cleared first)
 *
 * Opens @url in the system browser, as the PIN and OAuth 2.0 flows do.
 */
void
_bh_flow_launch_browser (BhFlow                 *self,
                         const char             *url,
                         BhFlowBrowserErrorFunc  set_error)
{
  LaunchData *data;

  if (url == NULL)
    return;

  set_error (self, NULL);
  data = g_new0 (LaunchData, 1);
  data->flow = g_object_ref (self);
  data->set_error = set_error;
  g_app_info_launch_default_for_uri_async (url, NULL, bh_flow_get_cancellable (self), launch_cb, data);
}

/**
 * _bh_flow_apply_identity:
 *
 * Copies what a verify_credentials answer says about the user onto
 * @account, with verified-at = now and state OK.
 */
void
_bh_flow_apply_identity (BhAccount         *account,
                         const BhXIdentity *identity)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (identity->screen_name != NULL)
    bh_account_set_screen_name (account, identity->screen_name);
  if (identity->name != NULL)
    bh_account_set_name (account, identity->name);
  if (identity->access_level != NULL)
    bh_account_set_access_level (account, identity->access_level);
  bh_account_set_rate_limit (account,
                             identity->rate_limit_limit,
                             identity->rate_limit_remaining,
                             identity->rate_limit_reset);
  bh_account_set_verified_at (account, now);
  bh_account_set_state (account, BH_ACCOUNT_STATE_OK);
}

/**
 * _bh_flow_credentials_free:
 *
 * Wipes and frees the secrets and the struct.
 */
void
_bh_flow_credentials_free (BhFlowCredentials *credentials)
{
  if (credentials == NULL)
    return;

  bh_secret_clear (&credentials->consumer_secret);
  bh_secret_clear (&credentials->token);
  bh_secret_clear (&credentials->token_secret);
  g_free (credentials);
}

/* Every step below gets its own GTask as user data, takes it back with
 * g_autoptr and either passes it on or completes it. Their tasks carry the
 * flow's cancellable but do not check it: what a step returns after a
 * cancel is for finish_run() to judge. */
static GTask *
step_task_new (BhFlow              *self,
               gpointer             source_tag,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, bh_flow_get_cancellable (self), callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);

  return task;
}

typedef struct
{
  BhAccount         *account;      /* nullable */
  BhFlowCredentials *credentials;
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_clear_object (&data->account);
  g_clear_pointer (&data->credentials, _bh_flow_credentials_free);
  g_free (data);
}

static void
lookup_account_tokens_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!bh_store_lookup_account_tokens_finish (BH_STORE (object), result,
                                              &data->credentials->token,
                                              &data->credentials->token_secret,
                                              &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&data->credentials),
                         (GDestroyNotify) _bh_flow_credentials_free);
}

static void
lookup_consumer_secret_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhFlow *self = g_task_get_source_object (task);
  LookupData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->credentials->consumer_secret =
    bh_store_lookup_consumer_secret_finish (BH_STORE (object), result, &error);
  if (data->credentials->consumer_secret == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->account == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->credentials),
                             (GDestroyNotify) _bh_flow_credentials_free);
      return;
    }

  bh_store_lookup_account_tokens_async (BH_STORE (object),
                                        data->account,
                                        bh_flow_get_cancellable (self),
                                        lookup_account_tokens_cb,
                                        g_steal_pointer (&task));
}

/**
 * _bh_flow_lookup_credentials_async:
 * @account: (nullable): the account whose tokens to look up as well
 *
 * Reads the App's consumer secret from the keyring and, with @account,
 * that account's token and token secret.
 */
void
_bh_flow_lookup_credentials_async (BhFlow              *self,
                                   BhAccount           *account,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LookupData *data;

  g_return_if_fail (BH_IS_FLOW (self));
  g_return_if_fail (account == NULL || BH_IS_ACCOUNT (account));

  task = step_task_new (self, _bh_flow_lookup_credentials_async, callback, user_data);
  data = g_new0 (LookupData, 1);
  data->account = account != NULL ? g_object_ref (account) : NULL;
  data->credentials = g_new0 (BhFlowCredentials, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);

  bh_store_lookup_consumer_secret_async (bh_flow_get_store (self),
                                         bh_flow_get_app (self),
                                         bh_flow_get_cancellable (self),
                                         lookup_consumer_secret_cb,
                                         g_steal_pointer (&task));
}

/**
 * _bh_flow_lookup_credentials_finish:
 *
 * Returns: (transfer full): the secrets; token and token secret are %NULL
 *   unless an account was given
 */
BhFlowCredentials *
_bh_flow_lookup_credentials_finish (BhFlow        *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _bh_flow_lookup_credentials_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void verify_request (GTask *task);

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  BhXIdentity *identity;

  identity = bh_x_client_verify_credentials_finish (BH_X_CLIENT (object), result, &error);
  if (identity != NULL)
    {
      g_task_return_pointer (task, identity, (GDestroyNotify) bh_x_identity_free);
      return;
    }

  _bh_flow_retry_or_fail (g_steal_pointer (&task), g_steal_pointer (&error), verify_request);
}

/* Takes over @task. */
static void
verify_request (GTask *task)
{
  BhFlow *self = g_task_get_source_object (task);
  BhAuth auth;

  _bh_flow_user_auth (self, g_task_get_task_data (task), &auth);
  bh_x_client_verify_credentials_async (bh_flow_get_client (self),
                                        &auth,
                                        g_task_get_cancellable (task),
                                        verify_cb,
                                        task);
}

/**
 * _bh_flow_verify_async:
 * @credentials: consumer secret, token and token secret; borrowed until
 *   the callback
 *
 * Asks X's verify_credentials who the token belongs to, once more when X
 * refused our clock (see _bh_flow_retry_or_fail()).
 */
void
_bh_flow_verify_async (BhFlow                  *self,
                       const BhFlowCredentials *credentials,
                       GAsyncReadyCallback      callback,
                       gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BH_IS_FLOW (self));
  g_return_if_fail (credentials != NULL);

  task = step_task_new (self, _bh_flow_verify_async, callback, user_data);
  g_task_set_task_data (task, (gpointer) credentials, NULL);
  verify_request (g_steal_pointer (&task));
}

/**
 * _bh_flow_verify_finish:
 *
 * Returns: (transfer full): who the token belongs to
 */
BhXIdentity *
_bh_flow_verify_finish (BhFlow        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _bh_flow_verify_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const BhFlowCredentials *credentials;  /* borrowed */
  BhXIdentity             *identity;
  BhAccount               *renews;       /* nullable */
} AddAccountData;

static void
add_account_data_free (AddAccountData *data)
{
  g_clear_pointer (&data->identity, bh_x_identity_free);
  g_clear_object (&data->renews);
  g_free (data);
}

typedef struct
{
  const BhXIdentity *identity;  /* borrowed until the callback */
  gboolean           rotated;
  BhAccount         *account;
} StoreAccountData;

static void
store_account_data_free (StoreAccountData *data)
{
  g_clear_object (&data->account);
  g_free (data);
}

static void
store_account_updated_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreAccountData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The account and its credentials are stored; only verified-at and the
   * rate limit figures could be missing from the records, and the next
   * verify writes them again. Not worth failing the run. */
  if (!bh_store_update_account_finish (BH_STORE (object), result, &error))
    g_debug ("Could not record the verification of a new account: %s", error->message);

  g_task_return_pointer (task, g_steal_pointer (&data->account), g_object_unref);
}

static void
store_account_saved_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreAccountData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->account = bh_store_save_account_finish (BH_STORE (object), result, &error);
  if (data->account == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _bh_flow_apply_identity (data->account, data->identity);
  if (data->rotated)
    {
      /* Its new credentials are stored; the rotation is recorded with the
       * verification below (one write). */
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      bh_account_set_rotated_at (data->account, now);
    }
  bh_store_update_account_async (BH_STORE (object), data->account, NULL,
                                 store_account_updated_cb, g_steal_pointer (&task));
}

/**
 * _bh_flow_store_account_async:
 * @identity: who X says the credentials belong to; borrowed until the
 *   callback
 * @credentials: (nullable): an OAuth 1.0a token pair to store
 * @grant: (nullable): an OAuth 2.0 grant to store (exactly one of
 *   @credentials and @grant)
 * @rotated: whether the account is recorded as rotated
 *
 * The STORING step both authorization flows end with: enters STORING,
 * stores the account of @identity with its credentials, then records what
 * the verify learned (verified-at, rate limit). Not cancellable: once the
 * keyring write began it is let finish, so the account is not lost; the
 * caller checks for a cancel before.
 */
void
_bh_flow_store_account_async (BhFlow                  *self,
                              const BhXIdentity       *identity,
                              const BhFlowCredentials *credentials,
                              const BhOAuth2Grant     *grant,
                              gboolean                 rotated,
                              GAsyncReadyCallback      callback,
                              gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  StoreAccountData *data;

  g_return_if_fail (BH_IS_FLOW (self));
  g_return_if_fail (identity != NULL);
  g_return_if_fail ((credentials == NULL) != (grant == NULL));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, _bh_flow_store_account_async);
  data = g_new0 (StoreAccountData, 1);
  data->identity = identity;
  data->rotated = rotated;
  g_task_set_task_data (task, data, (GDestroyNotify) store_account_data_free);

  _bh_flow_set_state (self, BH_FLOW_STATE_STORING);
  if (grant != NULL)
    bh_store_save_oauth2_account_async (bh_flow_get_store (self),
                                        bh_flow_get_app (self),
                                        identity->user_id,
                                        identity->screen_name,
                                        identity->name,
                                        grant,
                                        NULL,
                                        store_account_saved_cb,
                                        g_steal_pointer (&task));
  else
    bh_store_save_account_async (bh_flow_get_store (self),
                                 bh_flow_get_app (self),
                                 identity->user_id,
                                 identity->screen_name,
                                 identity->name,
                                 identity->access_level,
                                 credentials->token,
                                 credentials->token_secret,
                                 NULL,
                                 store_account_saved_cb,
                                 g_steal_pointer (&task));
}

/**
 * _bh_flow_store_account_finish:
 *
 * Returns: (transfer full): the stored account, or %NULL with @error
 */
BhAccount *
_bh_flow_store_account_finish (BhFlow        *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
add_account_stored_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  BhAccount *account;

  account = _bh_flow_store_account_finish (BH_FLOW (object), result, &error);
  if (account == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, account, g_object_unref);
}

/**
 * _bh_flow_check_renewal:
 * @renews: (nullable): the account an authorization renews
 * @identity: whom X says the new credentials belong to
 *
 * Returns: %TRUE when there is nothing to renew or the new credentials
 *   are @renews' user's; else %FALSE with a sentence: nothing is stored
 */
gboolean
_bh_flow_check_renewal (BhAccount          *renews,
                        const BhXIdentity  *identity,
                        GError            **error)
{
  if (renews == NULL || g_strcmp0 (identity->user_id, bh_account_get_user_id (renews)) == 0)
    return TRUE;

  g_set_error (error, BH_X_ERROR, BH_X_ERROR_FAILED,
               /* Translators: the first %s is the account the person signed in
                * as, the second and third the account being renewed; both
                * without “@”. */
               _("You signed in to X as @%s, not as @%s, so nothing was stored. Authorize again and sign in as @%s."),
               identity->screen_name != NULL ? identity->screen_name : "?",
               bh_account_get_screen_name (renews),
               bh_account_get_screen_name (renews));
  return FALSE;
}

static void
add_account_verified_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhFlow *self = BH_FLOW (object);
  AddAccountData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->identity = _bh_flow_verify_finish (self, result, &error);
  if (data->identity == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Renewing one account: tokens of anyone else must not replace its
   * own (nor be added beside it). */
  if (!_bh_flow_check_renewal (data->renews, data->identity, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The last moment a cancel leaves the keyring untouched. */
  if (g_task_return_error_if_cancelled (task))
    return;

  _bh_flow_store_account_async (self, data->identity, data->credentials, NULL,
                                data->renews != NULL, add_account_stored_cb,
                                g_steal_pointer (&task));
}

/**
 * _bh_flow_add_account_async:
 * @credentials: consumer secret, token and token secret; borrowed until
 *   the callback
 * @renews: (nullable): the account these tokens renew: the tokens must
 *   be its user's (else the run fails, storing nothing), and the account
 *   is recorded as rotated
 *
 * Verifies the token (_bh_flow_verify_async()), then enters STORING and
 * stores the account it belongs to with its tokens, and records what the
 * verify learned (verified-at, rate limit). A cancel before STORING ends
 * it with nothing stored; the store write itself is let finish.
 */
void
_bh_flow_add_account_async (BhFlow                  *self,
                            const BhFlowCredentials *credentials,
                            BhAccount               *renews,
                            GAsyncReadyCallback      callback,
                            gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  AddAccountData *data;

  g_return_if_fail (BH_IS_FLOW (self));
  g_return_if_fail (credentials != NULL);

  task = step_task_new (self, _bh_flow_add_account_async, callback, user_data);
  data = g_new0 (AddAccountData, 1);
  data->credentials = credentials;
  data->renews = renews != NULL ? g_object_ref (renews) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) add_account_data_free);

  _bh_flow_verify_async (self, credentials, add_account_verified_cb, g_steal_pointer (&task));
}

/**
 * _bh_flow_add_account_finish:
 *
 * Returns: (transfer full): the stored account
 */
BhAccount *
_bh_flow_add_account_finish (BhFlow        *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _bh_flow_add_account_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GTask      *task;
  BhFlowStep  next;
} RotationData;

static void
rotation_recorded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  RotationData *data = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&data->task);
  BhFlowStep next = data->next;
  g_autoptr(GError) error = NULL;

  g_free (data);

  /* The new credential is stored and works; only its age could be
   * missing from the records. Not worth failing the run. */
  if (!bh_store_mark_rotated_finish (BH_STORE (object), result, &error))
    g_debug ("Could not record a rotation: %s", error->message);

  if (next != NULL)
    next (g_steal_pointer (&task));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * _bh_flow_record_rotation:
 * @task: (transfer full): the run's task, whose source object is the flow
 * @kind: the App's credential that was rotated (not an account's: the
 *   renewal of an account records it with its verification)
 * @next: (nullable): the step to go on with; %NULL completes @task
 *
 * Records that the App's @kind was rotated just now, then goes on.
 */
void
_bh_flow_record_rotation (GTask            *task,
                          BhCredentialKind  kind,
                          BhFlowStep        next)
{
  BhFlow *self = g_task_get_source_object (task);
  RotationData *data = g_new0 (RotationData, 1);

  data->task = task;
  data->next = next;
  bh_store_mark_rotated_async (bh_flow_get_store (self), bh_flow_get_app (self), NULL, kind,
                               NULL, rotation_recorded_cb, data);
}
