/* bh-rotate-flow.c
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

#include "bh-rotate-flow.h"


#include "bh-flow-private.h"
#include "bh-secret.h"
#include "bh-store.h"
#include "bh-verify-flow.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

/*
 * Rotating the App's API key secret. The person regenerated it in X's
 * developer portal (which may also give the App a new API key); Birdhouse
 * cannot do that part. What it does:
 *
 *   EXCHANGING  proves the new key and secret with X (oauth/request_token:
 *               nothing lasting is created at X); refused → the run fails
 *               and the stored secret is kept
 *   STORING     the new secret (and key) replace the old ones, and the
 *               records say it was rotated
 *   VERIFYING   what else the regeneration touched: the bearer token
 *               (oauth2/token with the new keys gives the App's current
 *               one; a different token means the stored one was
 *               invalidated, and the new one is stored), then each account
 *               with a verify flow (89 marks it needs re-authorization)
 *   DONE        "checks" says what still works
 *
 * A check that fails is reported, never a reason to fail the run: the
 * secret is stored by then. A cancel after STORING skips the checks left.
 */

struct _BhRotateFlow
{
  BhFlow     parent_instance;

  char      *consumer_key;
  BhSecret  *consumer_secret;
  GPtrArray *checks;
  gboolean   stored;
};

G_DEFINE_FINAL_TYPE (BhRotateFlow, bh_rotate_flow, BH_TYPE_FLOW)

/**
 * bh_rotate_check_new:
 * @message: (nullable): why, when the result is not OK (no secret in it)
 *
 * Returns: (transfer full): a check, to free with bh_rotate_check_free()
 */
BhRotateCheck *
bh_rotate_check_new (BhCredentialKind     kind,
                     BhAccount           *account,
                     BhRotateCheckResult  result,
                     const char          *message)
{
  BhRotateCheck *check = g_new0 (BhRotateCheck, 1);

  check->kind = kind;
  check->account = account != NULL ? g_object_ref (account) : NULL;
  check->result = result;
  check->message = g_strdup (message);

  return check;
}

void
bh_rotate_check_free (BhRotateCheck *check)
{
  g_clear_object (&check->account);
  g_free (check->message);
  g_free (check);
}

static void
add_check (BhRotateFlow        *self,
           BhCredentialKind     kind,
           BhAccount           *account,
           BhRotateCheckResult  result,
           const GError        *error)
{
  g_ptr_array_add (self->checks, bh_rotate_check_new (kind, account, result,
                                                      error != NULL ? error->message : NULL));
}

static void
bh_rotate_flow_finalize (GObject *object)
{
  BhRotateFlow *self = BH_ROTATE_FLOW (object);

  g_free (self->consumer_key);
  bh_secret_clear (&self->consumer_secret);
  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (bh_rotate_flow_parent_class)->finalize (object);
}

typedef struct
{
  GPtrArray *accounts;     /* BhAccount, as they were when the checks began */
  guint      next;
  BhSecret  *bearer;       /* the stored bearer token */
  BhSecret  *issued;       /* the one X gives for the new keys */
  gulong     cancel_id;    /* passes a cancel on to the verify in flight */
} RotateRun;

static void
rotate_run_free (RotateRun *run)
{
  g_clear_pointer (&run->accounts, g_ptr_array_unref);
  bh_secret_clear (&run->bearer);
  bh_secret_clear (&run->issued);
  g_free (run);
}

/* Every step below gets the run's GTask as user data, takes it back with
 * g_autoptr and passes it on; the last one completes it. */

static void check_next_account (GTask *task);

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhRotateFlow *self = g_task_get_source_object (task);
  BhVerifyFlow *verify = BH_VERIFY_FLOW (object);
  BhAccount *account = bh_verify_flow_get_account (verify);
  RotateRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_cancellable_disconnect (bh_flow_get_cancellable (BH_FLOW (self)), run->cancel_id);
  run->cancel_id = 0;

  if (bh_flow_run_finish (BH_FLOW (verify), result, &error))
    add_check (self, BH_CREDENTIAL_KIND_ACCOUNT_TOKENS, account, BH_ROTATE_CHECK_OK, NULL);
  else if (g_error_matches (error, BH_X_ERROR, BH_X_ERROR_CANCELLED))
    add_check (self, BH_CREDENTIAL_KIND_ACCOUNT_TOKENS, account, BH_ROTATE_CHECK_SKIPPED, NULL);
  else if (bh_account_get_state (account) == BH_ACCOUNT_STATE_NEEDS_REAUTH)
    add_check (self, BH_CREDENTIAL_KIND_ACCOUNT_TOKENS, account, BH_ROTATE_CHECK_NEEDS_REAUTH, error);
  else
    add_check (self, BH_CREDENTIAL_KIND_ACCOUNT_TOKENS, account, BH_ROTATE_CHECK_FAILED, error);

  check_next_account (g_steal_pointer (&task));
}

static void
cancel_verify (GCancellable *cancellable,
               BhFlow       *verify)
{
  bh_flow_cancel (verify);
}

/* Takes over @task: one account after the other, then DONE. */
static void
check_next_account (GTask *task)
{
  g_autoptr(GTask) owned = task;
  BhRotateFlow *self = g_task_get_source_object (owned);
  BhFlow *flow = BH_FLOW (self);
  RotateRun *run = g_task_get_task_data (owned);
  g_autoptr(BhVerifyFlow) verify = NULL;
  BhAccount *account;

  while (run->next < run->accounts->len)
    {
      account = g_ptr_array_index (run->accounts, run->next++);

      if (g_cancellable_is_cancelled (bh_flow_get_cancellable (flow)) ||
          bh_account_get_state (account) == BH_ACCOUNT_STATE_SECRET_MISSING)
        {
          add_check (self, BH_CREDENTIAL_KIND_ACCOUNT_TOKENS, account, BH_ROTATE_CHECK_SKIPPED, NULL);
          continue;
        }

      verify = bh_verify_flow_new (bh_flow_get_store (flow), account);
      /* Connected while the verify runs; its callback disconnects. */
      run->cancel_id = g_cancellable_connect (bh_flow_get_cancellable (flow), G_CALLBACK (cancel_verify),
                                              g_object_ref (verify), g_object_unref);
      bh_flow_run_async (BH_FLOW (verify), verified_cb, g_steal_pointer (&owned));
      return;
    }

  /* The secret is stored; a cancel only skipped what was left to check. */
  g_task_return_boolean (owned, TRUE);
}

static void
check_accounts (GTask *task)
{
  BhFlow *flow = g_task_get_source_object (task);
  RotateRun *run = g_task_get_task_data (task);
  GListModel *accounts = bh_app_get_accounts (bh_flow_get_app (flow));

  run->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    g_ptr_array_add (run->accounts, g_list_model_get_item (accounts, i));

  check_next_account (task);
}

/* Takes over @task: the bearer token could not be checked, because of
 * @error (failed) or of a cancel (skipped; @error is then a cancel or
 * NULL); the accounts come next all the same. */
static void
bearer_not_checked (GTask        *task,
                    const GError *error)
{
  BhRotateFlow *self = g_task_get_source_object (task);
  gboolean failed = error != NULL && !bh_error_is_cancelled (error);

  add_check (self, BH_CREDENTIAL_KIND_BEARER_TOKEN, NULL,
             failed ? BH_ROTATE_CHECK_FAILED : BH_ROTATE_CHECK_SKIPPED,
             failed ? error : NULL);
  check_accounts (task);
}

static void
bearer_renewed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhRotateFlow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (bh_store_set_bearer_finish (BH_STORE (object), result, &error))
    add_check (self, BH_CREDENTIAL_KIND_BEARER_TOKEN, NULL, BH_ROTATE_CHECK_RENEWED, NULL);
  else
    add_check (self, BH_CREDENTIAL_KIND_BEARER_TOKEN, NULL, BH_ROTATE_CHECK_FAILED, error);

  check_accounts (g_steal_pointer (&task));
}

static void
bearer_issued_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhRotateFlow *self = g_task_get_source_object (task);
  BhFlow *flow = BH_FLOW (self);
  RotateRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->issued = bh_x_client_bearer_token_finish (BH_X_CLIENT (object), result, &error);
  if (run->issued == NULL)
    {
      bearer_not_checked (g_steal_pointer (&task), error);
      return;
    }

  /* X gives an App the same bearer token until it is invalidated. */
  if (g_strcmp0 (run->issued, run->bearer) == 0)
    {
      add_check (self, BH_CREDENTIAL_KIND_BEARER_TOKEN, NULL, BH_ROTATE_CHECK_OK, NULL);
      check_accounts (g_steal_pointer (&task));
      return;
    }

  g_debug ("The bearer token was invalidated with the old keys; storing the App's new one");
  bh_store_set_bearer_async (bh_flow_get_store (flow), bh_flow_get_app (flow), run->issued,
                             NULL, bearer_renewed_cb, g_steal_pointer (&task));
}

static void
bearer_looked_up_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhRotateFlow *self = g_task_get_source_object (task);
  BhFlow *flow = BH_FLOW (self);
  RotateRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->bearer = bh_store_lookup_bearer_finish (BH_STORE (object), result, &error);
  if (run->bearer == NULL || g_cancellable_is_cancelled (bh_flow_get_cancellable (flow)))
    {
      bearer_not_checked (g_steal_pointer (&task), error);
      return;
    }

  bh_x_client_bearer_token_async (bh_flow_get_client (flow),
                                  self->consumer_key,
                                  self->consumer_secret,
                                  bh_flow_get_cancellable (flow),
                                  bearer_issued_cb,
                                  g_steal_pointer (&task));
}

/* Takes over @task. */
static void
check_bearer (GTask *task)
{
  BhFlow *flow = g_task_get_source_object (task);

  _bh_flow_set_state (flow, BH_FLOW_STATE_VERIFYING);

  if (!bh_app_get_has_bearer (bh_flow_get_app (flow)))
    {
      check_accounts (task);
      return;
    }

  bh_store_lookup_bearer_async (bh_flow_get_store (flow), bh_flow_get_app (flow),
                                bh_flow_get_cancellable (flow),
                                bearer_looked_up_cb, task);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhRotateFlow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!bh_store_update_app_finish (BH_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->stored = TRUE;
  _bh_flow_record_rotation (g_steal_pointer (&task), BH_CREDENTIAL_KIND_API_KEY_SECRET, check_bearer);
}

static void prove (GTask *task);

static void
proved_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhRotateFlow *self = g_task_get_source_object (task);
  BhFlow *flow = BH_FLOW (self);
  BhApp *app = bh_flow_get_app (flow);
  g_autoptr(BhXTokenPair) request_token = NULL;
  g_autoptr(GError) error = NULL;

  request_token = bh_x_client_request_token_finish (BH_X_CLIENT (object), result, &error);
  if (request_token == NULL)
    {
      _bh_flow_retry_or_fail (g_steal_pointer (&task), g_steal_pointer (&error), prove);
      return;
    }

  /* The last moment a cancel leaves the stored secret as it was. */
  if (g_task_return_error_if_cancelled (task))
    return;

  /* Not cancellable: once the keyring write began it is let finish. */
  _bh_flow_set_state (flow, BH_FLOW_STATE_STORING);
  bh_store_update_app_async (bh_flow_get_store (flow), app,
                             bh_app_get_name (app),
                             self->consumer_key,
                             self->consumer_secret,
                             bh_app_get_api_host (app),
                             NULL,
                             stored_cb,
                             g_steal_pointer (&task));
}

/* Takes over @task. */
static void
prove (GTask *task)
{
  BhRotateFlow *self = g_task_get_source_object (task);

  bh_x_client_request_token_async (bh_flow_get_client (BH_FLOW (self)),
                                   self->consumer_key,
                                   self->consumer_secret,
                                   NULL,
                                   g_task_get_cancellable (task),
                                   proved_cb,
                                   task);
}

static void
bh_rotate_flow_run (BhFlow *flow,
                    GTask  *task)
{
  g_task_set_task_data (task, g_new0 (RotateRun, 1), (GDestroyNotify) rotate_run_free);
  _bh_flow_set_state (flow, BH_FLOW_STATE_EXCHANGING);
  prove (task);
}

static void
bh_rotate_flow_class_init (BhRotateFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BhFlowClass *flow_class = BH_FLOW_CLASS (klass);

  object_class->finalize = bh_rotate_flow_finalize;

  flow_class->run = bh_rotate_flow_run;
}

static void
bh_rotate_flow_init (BhRotateFlow *self)
{
  self->checks = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_rotate_check_free);
}

/**
 * bh_rotate_flow_new:
 * @app: the App whose API key secret the person regenerated
 * @consumer_key: (nullable): the App's API key when the portal gave a new
 *   one too; %NULL keeps the App's
 * @consumer_secret: the new API key secret (copied, and wiped when the flow
 *   is finalized)
 *
 * Proves the new secret with X, stores it in place of the old one, then
 * checks the App's bearer token and accounts (see bh_rotate_flow_get_checks()).
 * When X refuses the new secret, the old one stays stored and the run
 * fails with X's reason.
 *
 * Returns: (transfer full): a new flow, to run with bh_flow_run_async()
 */
BhRotateFlow *
bh_rotate_flow_new (BhStore    *store,
                    BhApp      *app,
                    const char *consumer_key,
                    const char *consumer_secret)
{
  BhRotateFlow *self;

  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_APP (app), NULL);
  g_return_val_if_fail (consumer_secret != NULL, NULL);

  self = g_object_new (BH_TYPE_ROTATE_FLOW,
                       "store", store,
                       "app", app,
                       NULL);
  self->consumer_key = g_strdup (consumer_key != NULL && *consumer_key != '\0'
                                   ? consumer_key : bh_app_get_consumer_key (app));
  self->consumer_secret = bh_secret_dup (consumer_secret);

  return self;
}

/**
 * bh_rotate_flow_get_checks:
 *
 * Returns: (transfer none) (element-type BhRotateCheck): once DONE, what
 *   was checked after the new secret was stored: the bearer token first
 *   (when the App has one), then each account
 */
GPtrArray *
bh_rotate_flow_get_checks (BhRotateFlow *self)
{
  g_return_val_if_fail (BH_IS_ROTATE_FLOW (self), NULL);

  return self->checks;
}

/**
 * bh_rotate_flow_get_stored:
 *
 * Returns: %TRUE once the new secret replaced the old one; a run that
 *   fails without it left the stored secret as it was
 */
gboolean
bh_rotate_flow_get_stored (BhRotateFlow *self)
{
  g_return_val_if_fail (BH_IS_ROTATE_FLOW (self), FALSE);

  return self->stored;
}
