/* bh-bearer-flow.c
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

#include "bh-bearer-flow.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bh-core-enums.h"
#include "bh-flow-private.h"
#include "bh-secret.h"
#include "bh-store.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

/*
 * GENERATE: consumer secret → oauth2/token (EXCHANGING) → keyring
 * (STORING). INVALIDATE: consumer secret, bearer and, when the App has an
 * account, that account's tokens → oauth2/invalidate_token (EXCHANGING) →
 * removed from the keyring (STORING). ROTATE: as INVALIDATE up to X's
 * answer, then oauth2/token and the new token replaces the old one in the
 * keyring, and the records say it was rotated. When X refuses the
 * invalidation the run fails before anything changed: the old token stays
 * stored (and working). When it was invalidated but X then issues no new
 * one, the run fails saying so; the old token stays stored, dead, and a
 * second rotation goes on from X's "already invalid".
 *
 * X answers 89 to invalidate_token both when the bearer is already invalid
 * and when the account token that signed the request is; so an 89 under
 * user context is asked again with HTTP Basic, and only an 89 there means
 * "already invalid".
 */

struct _BhBearerFlow
{
  BhFlow            parent_instance;

  BhBearerFlowMode  mode;
  BhSecret         *token;            /* the result of GENERATE, once DONE */
  gboolean          already_invalid;
  gboolean          invalidated;      /* ROTATE: X no longer knows the old token */
};

G_DEFINE_FINAL_TYPE (BhBearerFlow, bh_bearer_flow, BH_TYPE_FLOW)

enum {
  PROP_0,
  PROP_MODE,
  PROP_ALREADY_INVALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bh_bearer_flow_finalize (GObject *object)
{
  BhBearerFlow *self = BH_BEARER_FLOW (object);

  bh_secret_clear (&self->token);

  G_OBJECT_CLASS (bh_bearer_flow_parent_class)->finalize (object);
}

static void
bh_bearer_flow_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BhBearerFlow *self = BH_BEARER_FLOW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    case PROP_ALREADY_INVALID:
      g_value_set_boolean (value, self->already_invalid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_bearer_flow_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BhBearerFlow *self = BH_BEARER_FLOW (object);

  switch (prop_id)
    {
    case PROP_MODE:
      self->mode = g_value_get_enum (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

typedef struct
{
  /* token and token_secret: an account's, to sign an invalidation */
  BhFlowCredentials *credentials;
  /* GENERATE: the token X issued, not yet stored; INVALIDATE: the stored
   * one to invalidate */
  BhSecret          *bearer;
  gboolean           use_basic;
} BearerRun;

static void
bearer_run_free (BearerRun *run)
{
  g_clear_pointer (&run->credentials, _bh_flow_credentials_free);
  bh_secret_clear (&run->bearer);
  g_free (run);
}

/* Every step below gets the run's GTask as user data, takes it back with
 * g_autoptr and passes it on; the last one completes it. */

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhBearerFlow *self = g_task_get_source_object (task);
  BearerRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!bh_store_set_bearer_finish (BH_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->mode != BH_BEARER_FLOW_INVALIDATE)
    {
      bh_secret_clear (&self->token);
      self->token = g_steal_pointer (&run->bearer);
    }

  if (self->mode != BH_BEARER_FLOW_ROTATE)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  _bh_flow_record_rotation (g_steal_pointer (&task), BH_CREDENTIAL_KIND_BEARER_TOKEN, NULL);
}

/* Takes over @task. Stores the bearer X issued (GENERATE) or removes the
 * stored one (INVALIDATE). The write is not cancellable: once begun it is
 * let finish, so the keyring and "has-bearer" agree. */
static void
store_bearer (GTask *task)
{
  g_autoptr(GTask) owned = task;
  BhBearerFlow *self = g_task_get_source_object (owned);
  BearerRun *run = g_task_get_task_data (owned);
  BhFlow *flow = BH_FLOW (self);

  if (g_task_return_error_if_cancelled (owned))
    return;

  _bh_flow_set_state (flow, BH_FLOW_STATE_STORING);
  bh_store_set_bearer_async (bh_flow_get_store (flow),
                             bh_flow_get_app (flow),
                             self->mode != BH_BEARER_FLOW_INVALIDATE ? run->bearer : NULL,
                             NULL,
                             stored_cb,
                             g_steal_pointer (&owned));
}

static void request_token (GTask *task);

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BearerRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->bearer = bh_x_client_bearer_token_finish (BH_X_CLIENT (object), result, &error);
  if (run->bearer != NULL)
    {
      store_bearer (g_steal_pointer (&task));
      return;
    }

  if (BH_BEARER_FLOW (g_task_get_source_object (task))->invalidated &&
      !g_error_matches (error, BH_X_ERROR, BH_X_ERROR_TIMESTAMP) &&
      !bh_error_is_cancelled (error))
    {
      g_autoptr(GError) wrapped = NULL;

      wrapped = g_error_new (error->domain, error->code,
                             /* Translators: %s is X's or the network's reason, a sentence. */
                             _("The old bearer token was invalidated, but X did not issue a new one: %s Rotate it again to get a new one."),
                             error->message);
      g_task_return_error (task, g_steal_pointer (&wrapped));
      return;
    }

  _bh_flow_retry_or_fail (g_steal_pointer (&task), g_steal_pointer (&error), request_token);
}

/* Takes over @task. */
static void
request_token (GTask *task)
{
  BhFlow *flow = g_task_get_source_object (task);
  BearerRun *run = g_task_get_task_data (task);

  bh_x_client_bearer_token_async (bh_flow_get_client (flow),
                                  bh_app_get_consumer_key (bh_flow_get_app (flow)),
                                  run->credentials->consumer_secret,
                                  g_task_get_cancellable (task),
                                  token_cb,
                                  task);
}

static void invalidate (GTask *task);

/* Takes over @task: X no longer knows the old token. INVALIDATE removes
 * it; ROTATE asks for the new one. */
static void
after_invalidate (GTask *task)
{
  BhBearerFlow *self = g_task_get_source_object (task);
  BearerRun *run = g_task_get_task_data (task);

  if (self->mode != BH_BEARER_FLOW_ROTATE)
    {
      store_bearer (task);
      return;
    }

  self->invalidated = TRUE;
  bh_secret_clear (&run->bearer);
  request_token (task);
}

static void
invalidate_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhBearerFlow *self = g_task_get_source_object (task);
  BearerRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (bh_x_client_invalidate_bearer_finish (BH_X_CLIENT (object), result, &error))
    {
      after_invalidate (g_steal_pointer (&task));
      return;
    }

  /* Classified by the step: X refused the bearer token (89, 99, 348 or a
   * bare 401/403 at oauth2/invalidate_token). */
  if (g_error_matches (error, BH_X_ERROR, BH_X_ERROR_BEARER_INVALID) && !run->use_basic)
    {
      /* Was it the bearer or the account's token? Ask again without the
       * account. */
      g_debug ("Bearer invalidation refused in user context (HTTP %u, X code %d); asking with the App's keys",
               bh_x_error_get_http_status (error), bh_x_error_get_x_code (error));
      run->use_basic = TRUE;
      invalidate (g_steal_pointer (&task));
      return;
    }

  if (g_error_matches (error, BH_X_ERROR, BH_X_ERROR_BEARER_INVALID))
    {
      /* X does not know the bearer any more: the keyring copy is dead
       * weight, remove it all the same. */
      self->already_invalid = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALREADY_INVALID]);
      after_invalidate (g_steal_pointer (&task));
      return;
    }

  _bh_flow_retry_or_fail (g_steal_pointer (&task), g_steal_pointer (&error), invalidate);
}

/* Takes over @task. */
static void
invalidate (GTask *task)
{
  BhFlow *flow = g_task_get_source_object (task);
  BearerRun *run = g_task_get_task_data (task);
  BhAuth auth;

  if (run->use_basic || run->credentials->token == NULL)
    {
      memset (&auth, 0, sizeof auth);
      auth.mode = BH_AUTH_BASIC;
      auth.consumer_key = bh_app_get_consumer_key (bh_flow_get_app (flow));
      auth.consumer_secret = run->credentials->consumer_secret;
      run->use_basic = TRUE;
    }
  else
    {
      _bh_flow_user_auth (flow, run->credentials, &auth);
    }

  bh_x_client_invalidate_bearer_async (bh_flow_get_client (flow),
                                       &auth,
                                       run->bearer,
                                       g_task_get_cancellable (task),
                                       invalidate_cb,
                                       task);
}

static void
account_tokens_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BearerRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!bh_store_lookup_account_tokens_finish (BH_STORE (object), result,
                                              &run->credentials->token,
                                              &run->credentials->token_secret,
                                              &error))
    {
      if (bh_error_is_cancelled (error) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      /* The account cannot sign; the App's own keys can. */
      g_debug ("Account tokens unavailable (%s); invalidating with HTTP Basic",
               error->message);
      run->use_basic = TRUE;
    }

  invalidate (g_steal_pointer (&task));
}

static BhAccount *
first_usable_account (BhApp *app)
{
  GListModel *accounts = bh_app_get_accounts (app);
  guint n = accounts != NULL ? g_list_model_get_n_items (accounts) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (accounts, i);

      if (bh_account_get_state (account) == BH_ACCOUNT_STATE_OK)
        return g_steal_pointer (&account);
    }

  return NULL;
}

static void
bearer_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhFlow *flow = g_task_get_source_object (task);
  BearerRun *run = g_task_get_task_data (task);
  g_autoptr(BhAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  run->bearer = bh_store_lookup_bearer_finish (BH_STORE (object), result, &error);
  if (run->bearer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  account = first_usable_account (bh_flow_get_app (flow));
  if (account == NULL)
    {
      run->use_basic = TRUE;
      invalidate (g_steal_pointer (&task));
      return;
    }

  bh_store_lookup_account_tokens_async (bh_flow_get_store (flow),
                                        account,
                                        bh_flow_get_cancellable (flow),
                                        account_tokens_cb,
                                        g_steal_pointer (&task));
}

static void
credentials_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhBearerFlow *self = g_task_get_source_object (task);
  BhFlow *flow = BH_FLOW (self);
  BearerRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->credentials = _bh_flow_lookup_credentials_finish (flow, result, &error);
  if (run->credentials == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (self->mode == BH_BEARER_FLOW_GENERATE)
    {
      request_token (g_steal_pointer (&task));
      return;
    }

  bh_store_lookup_bearer_async (bh_flow_get_store (flow),
                                bh_flow_get_app (flow),
                                bh_flow_get_cancellable (flow),
                                bearer_cb,
                                g_steal_pointer (&task));
}

static void
bh_bearer_flow_run (BhFlow *flow,
                    GTask  *task)
{
  g_task_set_task_data (task, g_new0 (BearerRun, 1), (GDestroyNotify) bearer_run_free);
  _bh_flow_set_state (flow, BH_FLOW_STATE_EXCHANGING);
  _bh_flow_lookup_credentials_async (flow, NULL, credentials_cb, task);
}

static void
bh_bearer_flow_class_init (BhBearerFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BhFlowClass *flow_class = BH_FLOW_CLASS (klass);

  object_class->finalize = bh_bearer_flow_finalize;
  object_class->get_property = bh_bearer_flow_get_property;
  object_class->set_property = bh_bearer_flow_set_property;

  flow_class->run = bh_bearer_flow_run;

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       BH_TYPE_BEARER_FLOW_MODE,
                       BH_BEARER_FLOW_GENERATE,
                       (G_PARAM_READWRITE |
                        G_PARAM_CONSTRUCT_ONLY |
                        G_PARAM_STATIC_STRINGS));

  /* INVALIDATE: X no longer knew the token; it was removed locally. */
  properties[PROP_ALREADY_INVALID] =
    g_param_spec_boolean ("already-invalid", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_bearer_flow_init (BhBearerFlow *self)
{
}

/**
 * bh_bearer_flow_new:
 * @mode: generate, invalidate or rotate
 *
 * Generating returns what X gives (the same token until invalidated) and
 * stores it. Invalidating signs with the App's first account (OAuth 1.0a
 * user context, as X documents) or, with no account, HTTP Basic; when X
 * says the token is already invalid it is removed locally all the same
 * ("already-invalid").
 *
 * Returns: (transfer full): a new flow, to run with bh_flow_run_async()
 */
BhBearerFlow *
bh_bearer_flow_new (BhStore          *store,
                    BhApp            *app,
                    BhBearerFlowMode  mode)
{
  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_APP (app), NULL);

  return g_object_new (BH_TYPE_BEARER_FLOW,
                       "store", store,
                       "app", app,
                       "mode", mode,
                       NULL);
}

/**
 * bh_bearer_flow_get_token:
 *
 * Returns: (nullable): after a successful GENERATE run, the bearer token (a
 *   secret owned by the flow and wiped when it is finalized); else %NULL
 */
const char *
bh_bearer_flow_get_token (BhBearerFlow *self)
{
  g_return_val_if_fail (BH_IS_BEARER_FLOW (self), NULL);

  return self->token;
}

/**
 * bh_bearer_flow_get_invalidated:
 *
 * Returns: %TRUE when a ROTATE run got as far as X no longer knowing the
 *   old token (a failure after that left a dead token stored)
 */
gboolean
bh_bearer_flow_get_invalidated (BhBearerFlow *self)
{
  g_return_val_if_fail (BH_IS_BEARER_FLOW (self), FALSE);

  return self->invalidated;
}

/**
 * bh_bearer_flow_get_already_invalid:
 *
 * Returns: %TRUE when an INVALIDATE run found that X no longer knew the
 *   token (it was removed locally all the same)
 */
gboolean
bh_bearer_flow_get_already_invalid (BhBearerFlow *self)
{
  g_return_val_if_fail (BH_IS_BEARER_FLOW (self), FALSE);

  return self->already_invalid;
}
