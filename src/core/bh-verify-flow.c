/* bh-verify-flow.c
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

#include "bh-verify-flow.h"

#include <glib/gi18n.h>

#include "bh-flow-private.h"
#include "bh-oauth2-token.h"
#include "bh-store.h"
#include "bh-x-error.h"

/*
 * Checks a stored account with X: consumer secret and the account's tokens
 * from the keyring → verify_credentials (VERIFYING); for an account with
 * only an OAuth 2.0 grant, its access token (refreshed when about to
 * expire, see bh-oauth2-token.c) → 2/users/me → the refreshed record
 * written (STORING). A token X calls invalid (89) marks the account
 * NEEDS_REAUTH — it is kept so that the person can authorize it again or
 * remove it.
 */

struct _BhVerifyFlow
{
  BhFlow     parent_instance;

  BhAccount *account;
};

G_DEFINE_FINAL_TYPE (BhVerifyFlow, bh_verify_flow, BH_TYPE_FLOW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bh_verify_flow_dispose (GObject *object)
{
  BhVerifyFlow *self = BH_VERIFY_FLOW (object);

  g_clear_object (&self->account);

  G_OBJECT_CLASS (bh_verify_flow_parent_class)->dispose (object);
}

static void
bh_verify_flow_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BhVerifyFlow *self = BH_VERIFY_FLOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_verify_flow_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BhVerifyFlow *self = BH_VERIFY_FLOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

typedef struct
{
  BhFlowCredentials *credentials;
  GError            *refusal;      /* X's 89, returned once the mark is saved */
} VerifyRun;

static void
verify_run_free (VerifyRun *run)
{
  g_clear_pointer (&run->credentials, _bh_flow_credentials_free);
  g_clear_error (&run->refusal);
  g_free (run);
}

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!bh_store_update_account_finish (BH_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
needs_reauth_saved_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VerifyRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The run fails with X's answer either way; a failed write only means
   * the mark will not survive a restart, which the debug log notes. */
  if (!bh_store_update_account_finish (BH_STORE (object), result, &error))
    g_debug ("Could not record that an account needs authorizing again: %s",
             error->message);

  g_task_return_error (task, g_steal_pointer (&run->refusal));
}

/* Takes over @task. */
static void
save_account (GTask               *task,
              GAsyncReadyCallback  callback)
{
  BhVerifyFlow *self = g_task_get_source_object (task);
  BhFlow *flow = BH_FLOW (self);

  _bh_flow_set_state (flow, BH_FLOW_STATE_STORING);
  bh_store_update_account_async (bh_flow_get_store (flow),
                                 self->account,
                                 NULL,
                                 callback,
                                 task);
}

/* Takes over @task, @identity and @error: what X said of the account's
 * credentials, OAuth 1.0a or 2.0. */
static void
verified (GTask       *owned_task,
          BhXIdentity *owned_identity,
          GError      *owned_error)
{
  g_autoptr(GTask) task = owned_task;
  g_autoptr(BhXIdentity) identity = owned_identity;
  g_autoptr(GError) error = owned_error;
  BhVerifyFlow *self = g_task_get_source_object (task);
  VerifyRun *run = g_task_get_task_data (task);

  if (identity == NULL)
    {
      if (g_error_matches (error, BH_X_ERROR, BH_X_ERROR_INVALID_TOKEN) &&
          !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          bh_account_set_state (self->account, BH_ACCOUNT_STATE_NEEDS_REAUTH);
          run->refusal = g_steal_pointer (&error);
          save_account (g_steal_pointer (&task), needs_reauth_saved_cb);
          return;
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_strcmp0 (identity->user_id, bh_account_get_user_id (self->account)) != 0)
    {
      /* The keyring holds tokens of someone else under this account:
       * refreshing the record with that identity would mislabel them. */
      g_task_return_new_error (task, BH_X_ERROR, BH_X_ERROR_FAILED,
                               /* Translators: both %s are X account names,
                                * without their leading “@”: the account as
                                * stored, then the one the tokens belong to. */
                               _("The stored tokens of @%s belong to another account (@%s). Remove the account and authorize it again."),
                               bh_account_get_screen_name (self->account),
                               identity->screen_name != NULL ? identity->screen_name : "?");
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  _bh_flow_apply_identity (self->account, identity);
  save_account (g_steal_pointer (&task), updated_cb);
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError *error = NULL;
  BhXIdentity *identity = _bh_flow_verify_finish (BH_FLOW (object), result, &error);

  verified (user_data, identity, error);
}

static void
users_me_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError *error = NULL;
  BhXIdentity *identity = bh_x_client_users_me_finish (BH_X_CLIENT (object), result, &error);

  verified (user_data, identity, error);
}

static void
oauth2_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhFlow *flow = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) token = NULL;
  BhAuth auth = { .mode = BH_AUTH_BEARER };
  GCancellable *cancellable = g_task_get_cancellable (task);

  token = bh_oauth2_token_finish (BH_STORE (object), result, &error);
  if (token == NULL)
    {
      /* A refused refresh has marked the account already. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  auth.bearer = token;
  bh_x_client_users_me_async (bh_flow_get_client (flow), &auth, cancellable, users_me_cb, g_steal_pointer (&task));
}

static void
credentials_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VerifyRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->credentials = _bh_flow_lookup_credentials_finish (BH_FLOW (object), result, &error);
  if (run->credentials == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _bh_flow_verify_async (BH_FLOW (object), run->credentials, verified_cb, g_steal_pointer (&task));
}

static void
bh_verify_flow_run (BhFlow *flow,
                    GTask  *task)
{
  BhVerifyFlow *self = BH_VERIFY_FLOW (flow);

  g_task_set_task_data (task, g_new0 (VerifyRun, 1), (GDestroyNotify) verify_run_free);
  _bh_flow_set_state (flow, BH_FLOW_STATE_VERIFYING);
  if (!bh_account_has_credentials (self->account, BH_ACCOUNT_CREDENTIALS_OAUTH1))
    {
      /* OAuth 2.0 only: 2/users/me with the access token, refreshed
       * first when it is about to expire. */
      bh_oauth2_token_async (bh_flow_get_store (flow), self->account, FALSE, g_task_get_cancellable (task),
                             oauth2_token_cb, task);
      return;
    }
  _bh_flow_lookup_credentials_async (flow, self->account, credentials_cb, task);
}

static void
bh_verify_flow_class_init (BhVerifyFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BhFlowClass *flow_class = BH_FLOW_CLASS (klass);

  object_class->dispose = bh_verify_flow_dispose;
  object_class->get_property = bh_verify_flow_get_property;
  object_class->set_property = bh_verify_flow_set_property;

  flow_class->run = bh_verify_flow_run;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         BH_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_verify_flow_init (BhVerifyFlow *self)
{
}

/**
 * bh_verify_flow_new:
 * @account: a stored account of one of @store's Apps
 *
 * Refreshes identity, access level, rate-limit figures and verified-at of
 * @account, and saves the record. 89 marks the account NEEDS_REAUTH (and
 * the run fails with that error); it is never deleted.
 *
 * Returns: (transfer full): a new flow, to run with bh_flow_run_async()
 */
BhVerifyFlow *
bh_verify_flow_new (BhStore   *store,
                    BhAccount *account)
{
  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_ACCOUNT (account), NULL);

  return g_object_new (BH_TYPE_VERIFY_FLOW,
                       "store", store,
                       "app", bh_store_get_account_app (store, account),
                       "account", account,
                       NULL);
}

/**
 * bh_verify_flow_get_account:
 *
 * Returns: (transfer none): the account being verified
 */
BhAccount *
bh_verify_flow_get_account (BhVerifyFlow *self)
{
  g_return_val_if_fail (BH_IS_VERIFY_FLOW (self), NULL);

  return self->account;
}
