/* bh-tokens-flow.c
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

#include "bh-tokens-flow.h"

#include "bh-flow-private.h"
#include "bh-secret.h"
#include "bh-store.h"

/*
 * Tokens pasted from the developer portal: consumer secret →
 * verify_credentials with them (VERIFYING) → stored (STORING). A token X
 * refuses never reaches the keyring.
 */

struct _BhTokensFlow
{
  BhFlow       parent_instance;

  BhSecret    *token;          /* until the run takes them */
  BhSecret    *token_secret;
  BhAccount   *account;
};

G_DEFINE_FINAL_TYPE (BhTokensFlow, bh_tokens_flow, BH_TYPE_FLOW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bh_tokens_flow_dispose (GObject *object)
{
  BhTokensFlow *self = BH_TOKENS_FLOW (object);

  g_clear_object (&self->account);

  G_OBJECT_CLASS (bh_tokens_flow_parent_class)->dispose (object);
}

static void
bh_tokens_flow_finalize (GObject *object)
{
  BhTokensFlow *self = BH_TOKENS_FLOW (object);

  bh_secret_clear (&self->token);
  bh_secret_clear (&self->token_secret);

  G_OBJECT_CLASS (bh_tokens_flow_parent_class)->finalize (object);
}

static void
bh_tokens_flow_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BhTokensFlow *self = BH_TOKENS_FLOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The run's task data is its BhFlowCredentials. */

static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhTokensFlow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->account = _bh_flow_add_account_finish (BH_FLOW (object), result, &error);
  if (self->account == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
  g_task_return_boolean (task, TRUE);
}

static void
credentials_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhTokensFlow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  BhFlowCredentials *credentials;

  credentials = _bh_flow_lookup_credentials_finish (BH_FLOW (self), result, &error);
  if (credentials == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  credentials->token = g_steal_pointer (&self->token);
  credentials->token_secret = g_steal_pointer (&self->token_secret);
  g_task_set_task_data (task, credentials, (GDestroyNotify) _bh_flow_credentials_free);

  _bh_flow_add_account_async (BH_FLOW (self), credentials, NULL, added_cb, g_steal_pointer (&task));
}

static void
bh_tokens_flow_run (BhFlow *flow,
                    GTask  *task)
{
  _bh_flow_set_state (flow, BH_FLOW_STATE_VERIFYING);
  _bh_flow_lookup_credentials_async (flow, NULL, credentials_cb, task);
}

static void
bh_tokens_flow_class_init (BhTokensFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BhFlowClass *flow_class = BH_FLOW_CLASS (klass);

  object_class->dispose = bh_tokens_flow_dispose;
  object_class->finalize = bh_tokens_flow_finalize;
  object_class->get_property = bh_tokens_flow_get_property;

  flow_class->run = bh_tokens_flow_run;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         BH_TYPE_ACCOUNT,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_tokens_flow_init (BhTokensFlow *self)
{
}

/**
 * bh_tokens_flow_new:
 * @token: an access token (copied; the copy is wiped)
 * @token_secret: its secret (copied; the copy is wiped)
 *
 * Existing tokens (from the developer portal): verify_credentials with
 * them (VERIFYING), then the account stored (STORING). Tokens X refuses
 * are never stored.
 *
 * Returns: (transfer full): a new flow, to run with bh_flow_run_async()
 */
BhTokensFlow *
bh_tokens_flow_new (BhStore    *store,
                    BhApp      *app,
                    const char *token,
                    const char *token_secret)
{
  BhTokensFlow *self;

  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_APP (app), NULL);
  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (token_secret != NULL, NULL);

  self = g_object_new (BH_TYPE_TOKENS_FLOW,
                       "store", store,
                       "app", app,
                       NULL);
  self->token = bh_secret_dup (token);
  self->token_secret = bh_secret_dup (token_secret);

  return self;
}

/**
 * bh_tokens_flow_get_account:
 *
 * Returns: (transfer none) (nullable): the stored account once DONE
 */
BhAccount *
bh_tokens_flow_get_account (BhTokensFlow *self)
{
  g_return_val_if_fail (BH_IS_TOKENS_FLOW (self), NULL);

  return self->account;
}
