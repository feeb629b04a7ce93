/* bh-revoke-flow.c
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

#include "bh-revoke-flow.h"

#include "bh-account.h"
#include "bh-flow-private.h"
#include "bh-store.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

/*
 * Revokes an account: its OAuth 1.0a tokens from the keyring →
 * 1.1/oauth/invalidate_token, and its OAuth 2.0 grant → 2/oauth2/revoke
 * for the refresh token, then the access token (EXCHANGING) → the account
 * removed locally with every credential it held (STORING). The local copy
 * goes only once X has confirmed, or said the token was already dead (89;
 * 2/oauth2/revoke answers 200 for a token it no longer knows, RFC 7009
 * §2.2): when X cannot be reached the account stays, or the person would
 * believe a token revoked that still works.
 *
 * With "keep-account" (the first half of a rotation) the account is not
 * removed: it stays in its place with its settings, marked needs
 * re-authorization, until the PIN flow brings its new tokens.
 */

#include "bh-oauth2.h"

struct _BhRevokeFlow
{
  BhFlow     parent_instance;

  BhAccount *account;
  gboolean   already_invalid;
  gboolean   keep_account;
  gboolean   grant_only;   /* a grant's rotation: the OAuth 1.0a tokens stay */
};

G_DEFINE_FINAL_TYPE (BhRevokeFlow, bh_revoke_flow, BH_TYPE_FLOW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_ALREADY_INVALID,
  PROP_KEEP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bh_revoke_flow_dispose (GObject *object)
{
  BhRevokeFlow *self = BH_REVOKE_FLOW (object);

  g_clear_object (&self->account);

  G_OBJECT_CLASS (bh_revoke_flow_parent_class)->dispose (object);
}

static void
bh_revoke_flow_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BhRevokeFlow *self = BH_REVOKE_FLOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    case PROP_ALREADY_INVALID:
      g_value_set_boolean (value, self->already_invalid);
      break;

    case PROP_KEEP_ACCOUNT:
      g_value_set_boolean (value, self->keep_account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_revoke_flow_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BhRevokeFlow *self = BH_REVOKE_FLOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;

    case PROP_KEEP_ACCOUNT:
      self->keep_account = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The run's task data is its BhFlowCredentials (OAuth 1.0a), then its
 * OAuth2Revoke. */

typedef struct
{
  BhSecret      *client_secret;
  BhOAuth2Grant *grant;
  gboolean       refresh_done;
} OAuth2Revoke;

static void
oauth2_revoke_free (OAuth2Revoke *revoke)
{
  bh_secret_clear (&revoke->client_secret);
  g_clear_pointer (&revoke->grant, bh_oauth2_grant_free);
  g_free (revoke);
}

static void
settled_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhRevokeFlow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* Kept and marked for a rotation, or removed. */
  if (self->keep_account)
    ok = bh_store_update_account_finish (BH_STORE (object), result, &error);
  else
    ok = bh_store_remove_account_finish (BH_STORE (object), result, &error);

  if (!ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Takes over @task. */
static void
remove_account (GTask *task)
{
  BhRevokeFlow *self = g_task_get_source_object (task);
  BhFlow *flow = BH_FLOW (self);

  if (self->keep_account)
    {
      /* Its tokens stay in the keyring until new ones replace them: dead
       * at X, but nothing is deleted on the way. */
      _bh_flow_set_state (flow, BH_FLOW_STATE_STORING);
      bh_account_set_state (self->account, BH_ACCOUNT_STATE_NEEDS_REAUTH);
      bh_store_update_account_async (bh_flow_get_store (flow), self->account, NULL,
                                     settled_cb, task);
      return;
    }

  /* The token is dead at X by now; a cancel here would only leave a
   * useless account behind, so the removal is let finish. */
  _bh_flow_set_state (flow, BH_FLOW_STATE_STORING);
  bh_store_remove_account_async (bh_flow_get_store (flow),
                                 self->account,
                                 NULL,
                                 settled_cb,
                                 task);
}

static void revoke_oauth2 (GTask *task);

static void revoke_next_token (GTask *task);

static void
oauth2_revoked_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OAuth2Revoke *revoke = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!bh_x_client_oauth2_revoke_finish (BH_X_CLIENT (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!revoke->refresh_done)
    {
      revoke->refresh_done = TRUE;
      revoke_next_token (g_steal_pointer (&task));
      return;
    }

  remove_account (g_steal_pointer (&task));
}

/* Takes over @task: the refresh token first (which ends the whole grant
 * at X), then the access token. */
static void
revoke_next_token (GTask *task)
{
  BhFlow *flow = g_task_get_source_object (task);
  OAuth2Revoke *revoke = g_task_get_task_data (task);
  gboolean refresh = !revoke->refresh_done && revoke->grant->refresh_token != NULL;

  revoke->refresh_done = revoke->refresh_done || revoke->grant->refresh_token == NULL;
  bh_x_client_oauth2_revoke_async (bh_flow_get_client (flow),
                                   bh_app_get_client_id (bh_flow_get_app (flow)),
                                   revoke->client_secret,
                                   refresh ? revoke->grant->refresh_token : revoke->grant->access_token,
                                   refresh ? "refresh_token" : "access_token",
                                   g_task_get_cancellable (task),
                                   oauth2_revoked_cb,
                                   task);
}

static void
grant_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OAuth2Revoke *revoke = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  revoke->grant = bh_store_lookup_oauth2_grant_finish (BH_STORE (object), result, &error);
  if (revoke->grant == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  revoke_next_token (g_steal_pointer (&task));
}

static void
lookup_grant (GTask *task)
{
  BhRevokeFlow *self = g_task_get_source_object (task);
  BhFlow *flow = BH_FLOW (self);

  bh_store_lookup_oauth2_grant_async (bh_flow_get_store (flow), self->account,
                                      g_task_get_cancellable (task), grant_cb, task);
}

static void
client_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OAuth2Revoke *revoke = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  revoke->client_secret = bh_store_lookup_client_secret_finish (BH_STORE (object), result, &error);
  if (revoke->client_secret == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  lookup_grant (g_steal_pointer (&task));
}

/* Takes over @task: the OAuth 2.0 grant, when the account holds one. */
static void
revoke_oauth2 (GTask *task)
{
  BhRevokeFlow *self = g_task_get_source_object (task);
  BhFlow *flow = BH_FLOW (self);
  BhApp *app = bh_flow_get_app (flow);

  /* A rotation renews one kind of credentials: the OAuth 1.0a tokens
   * (the grant stays), or the grant (grant_only). */
  if ((self->keep_account && !self->grant_only) ||
      !bh_account_has_credentials (self->account, BH_ACCOUNT_CREDENTIALS_OAUTH2))
    {
      remove_account (task);
      return;
    }

  g_task_set_task_data (task, g_new0 (OAuth2Revoke, 1), (GDestroyNotify) oauth2_revoke_free);
  if (!bh_app_get_has_client_secret (app))
    {
      lookup_grant (task);
      return;
    }

  bh_store_lookup_client_secret_async (bh_flow_get_store (flow), app, g_task_get_cancellable (task),
                                       client_secret_cb, task);
}

static void invalidate (GTask *task);

static void
invalidate_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhRevokeFlow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (bh_x_client_invalidate_token_finish (BH_X_CLIENT (object), result, &error))
    {
      revoke_oauth2 (g_steal_pointer (&task));
      return;
    }

  if (g_error_matches (error, BH_X_ERROR, BH_X_ERROR_INVALID_TOKEN))
    {
      self->already_invalid = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALREADY_INVALID]);
      revoke_oauth2 (g_steal_pointer (&task));
      return;
    }

  _bh_flow_retry_or_fail (g_steal_pointer (&task), g_steal_pointer (&error), invalidate);
}

/* Takes over @task. */
static void
invalidate (GTask *task)
{
  BhFlow *flow = g_task_get_source_object (task);
  BhAuth auth;

  _bh_flow_user_auth (flow, g_task_get_task_data (task), &auth);
  bh_x_client_invalidate_token_async (bh_flow_get_client (flow),
                                      &auth,
                                      g_task_get_cancellable (task),
                                      invalidate_cb,
                                      task);
}

static void
credentials_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  BhFlowCredentials *credentials;

  credentials = _bh_flow_lookup_credentials_finish (BH_FLOW (object), result, &error);
  if (credentials == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_set_task_data (task, credentials, (GDestroyNotify) _bh_flow_credentials_free);
  invalidate (g_steal_pointer (&task));
}

static void
bh_revoke_flow_run (BhFlow *flow,
                    GTask  *task)
{
  BhRevokeFlow *self = BH_REVOKE_FLOW (flow);

  _bh_flow_set_state (flow, BH_FLOW_STATE_EXCHANGING);
  if (self->grant_only || !bh_account_has_credentials (self->account, BH_ACCOUNT_CREDENTIALS_OAUTH1))
    {
      revoke_oauth2 (task);
      return;
    }
  _bh_flow_lookup_credentials_async (flow, self->account, credentials_cb, task);
}

static void
bh_revoke_flow_class_init (BhRevokeFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BhFlowClass *flow_class = BH_FLOW_CLASS (klass);

  object_class->dispose = bh_revoke_flow_dispose;
  object_class->get_property = bh_revoke_flow_get_property;
  object_class->set_property = bh_revoke_flow_set_property;

  flow_class->run = bh_revoke_flow_run;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         BH_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_ALREADY_INVALID] =
    g_param_spec_boolean ("already-invalid", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /* Keep the account, marked needs re-authorization, instead of
   * removing it: the first half of a rotation. */
  properties[PROP_KEEP_ACCOUNT] =
    g_param_spec_boolean ("keep-account", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_CONSTRUCT_ONLY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_revoke_flow_init (BhRevokeFlow *self)
{
}

static BhRevokeFlow *
revoke_flow_new (BhStore   *store,
                 BhAccount *account,
                 gboolean   keep_account)
{
  return g_object_new (BH_TYPE_REVOKE_FLOW,
                       "store", store,
                       "app", bh_store_get_account_app (store, account),
                       "account", account,
                       "keep-account", keep_account,
                       NULL);
}

/**
 * bh_revoke_flow_new:
 * @account: a stored account of one of @store's Apps
 *
 * Invalidates the OAuth 1.0a token at X (1.1/oauth/invalidate_token) and
 * revokes the OAuth 2.0 grant (2/oauth2/revoke), whichever the account
 * holds, then removes the account locally. When X says the token is already invalid (89) it is
 * removed all the same and "already-invalid" is %TRUE; when X cannot be
 * reached the account is kept and the run fails.
 *
 * Returns: (transfer full): a new flow, to run with bh_flow_run_async()
 */
BhRevokeFlow *
bh_revoke_flow_new (BhStore   *store,
                    BhAccount *account)
{
  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_ACCOUNT (account), NULL);

  return revoke_flow_new (store, account, FALSE);
}

/**
 * bh_revoke_flow_new_for_rotation:
 * @account: a stored account of one of @store's Apps
 *
 * The first half of rotating an account's tokens: invalidates them at X
 * (an already invalid token counts as done), then keeps the account where
 * it is, marked %BH_ACCOUNT_STATE_NEEDS_REAUTH, for a PIN flow that
 * renews it (bh_pin_flow_new_renewal()). When X refuses or cannot be
 * reached, nothing changes and the run fails.
 *
 * Returns: (transfer full): a new flow, to run with bh_flow_run_async()
 */
BhRevokeFlow *
bh_revoke_flow_new_for_rotation (BhStore   *store,
                                 BhAccount *account)
{
  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_ACCOUNT (account), NULL);

  return revoke_flow_new (store, account, TRUE);
}

/**
 * bh_revoke_flow_get_already_invalid:
 *
 * Returns: %TRUE when X no longer knew the token (it was removed locally
 *   all the same)
 */
gboolean
bh_revoke_flow_get_already_invalid (BhRevokeFlow *self)
{
  g_return_val_if_fail (BH_IS_REVOKE_FLOW (self), FALSE);

  return self->already_invalid;
}

/**
 * bh_revoke_flow_new_for_grant_rotation:
 * @account: a stored account holding an OAuth 2.0 grant
 *
 * The first half of rotating an account's OAuth 2.0 grant: revokes it at
 * X (2/oauth2/revoke: the refresh token, then the access token), then
 * keeps the account, marked needs re-authorization, its grant still in
 * the keyring until bh_oauth2_flow_new_renewal() stores a new one. Its
 * OAuth 1.0a tokens, if any, are left alone. When X cannot be reached
 * nothing changes and the run fails.
 *
 * Returns: (transfer full): a new flow, to run with bh_flow_run_async()
 */
BhRevokeFlow *
bh_revoke_flow_new_for_grant_rotation (BhStore   *store,
                                       BhAccount *account)
{
  BhRevokeFlow *self;

  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_ACCOUNT (account), NULL);

  self = revoke_flow_new (store, account, TRUE);
  self->grant_only = TRUE;

  return self;
}
