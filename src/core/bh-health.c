/* bh-health.c
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

#include "bh-health.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bh-flow-private.h"
#include "bh-health-private.h"
#include "bh-params.h"
#include "bh-secret.h"
#include "bh-store.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

/*
 * The health check asks X about every credential Birdhouse holds, changes
 * nothing at X, and deletes nothing here. In two rounds:
 *
 * 1. each App's API key and secret: POST oauth/request_token (oob), signed
 *    with the key and secret alone. A request token X hands out proves
 *    them; it grants nothing and X forgets it unused. POST oauth2/token
 *    would prove them too, and returns the same bearer token while one is
 *    valid — but when the App has none (never made, or invalidated on
 *    purpose) it makes a new valid one at X: a check must not bring back
 *    a bearer token someone invalidated. An App whose keys X refused has
 *    its accounts left unchecked (their answer could only be the same
 *    refusal); one X could not be reached for is not asked further.
 * 2. each App's bearer token: GET 1.1/application/rate_limit_status.json
 *    (app-only; it reads no data and costs one of 180 requests a window),
 *    and each account's tokens: GET 1.1/account/verify_credentials.json
 *    (75 a window per user).
 *
 * Rate limits: at most MAX_IN_FLIGHT requests at once and, with many
 * credentials, one started every spacing milliseconds, so that a check of
 * hundreds of accounts is a trickle, not a burst. X's x-rate-limit-*
 * answer is read: when no more than BH_HEALTH_RESERVE requests remain, or
 * on a 429, the credential is not asked again before the reset X gave
 * (retry_at, kept in the records, so the next run — window or command
 * line — honours it). Unreachable or rate-limited is never a verdict:
 * the account's state changes only on X's definite answer.
 */

#define MAX_IN_FLIGHT  4
#define SPREAD_FROM    16    /* credentials; fewer go without spacing */
#define SPACING_MS     50    /* between two starts, with many credentials */

G_DEFINE_FINAL_TYPE (BhHealthCheck, bh_health_check, G_TYPE_OBJECT)

static void pump      (GTask *task);
static void item_skip (Item  *item);

static void
item_free (Item *item)
{
  g_clear_object (&item->task);
  g_clear_object (&item->app);
  g_clear_object (&item->account);
  bh_secret_clear (&item->token);
  bh_secret_clear (&item->token_secret);
  g_free (item);
}

static void
run_free (Run *run)
{
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  g_queue_clear_full (&run->queue, (GDestroyNotify) item_free);
  g_clear_pointer (&run->clients, g_hash_table_unref);
  g_clear_pointer (&run->secrets, g_hash_table_unref);
  g_clear_pointer (&run->keys_state, g_hash_table_unref);
  g_clear_pointer (&run->results, g_ptr_array_unref);
  g_clear_pointer (&run->checked, g_ptr_array_unref);
  g_clear_error (&run->fatal);
  g_free (run);
}

static Item *
item_new (GTask            *task,
          BhCredentialKind  kind,
          BhApp            *app,
          BhAccount        *account)
{
  Item *item = g_new0 (Item, 1);

  item->task = g_object_ref (task);
  item->kind = kind;
  item->app = g_object_ref (app);
  item->account = account != NULL ? g_object_ref (account) : NULL;

  return item;
}

static const BhHealthRecord *
item_record (Item *item)
{
  switch (item->kind)
    {
    case BH_CREDENTIAL_KIND_API_KEY_SECRET:
    case BH_CREDENTIAL_KIND_CLIENT_SECRET:
      return bh_app_get_keys_health (item->app);
    case BH_CREDENTIAL_KIND_BEARER_TOKEN:
      return bh_app_get_bearer_health (item->app);
    case BH_CREDENTIAL_KIND_ACCOUNT_TOKENS:
    case BH_CREDENTIAL_KIND_OAUTH2_GRANT:
    default:
      return bh_account_get_health (item->account);
    }
}

BhXClient *
_bh_health_run_client (Run     *run,
                       BhApp   *app,
                       GError **error)
{
  const char *host = bh_app_get_api_host (app);
  BhXClient *client = g_hash_table_lookup (run->clients, host);

  if (client == NULL)
    {
      client = bh_x_client_new (host, error);
      if (client == NULL)
        return NULL;
      g_hash_table_insert (run->clients, g_strdup (host), client);
    }

  return client;
}

static void
note_checked (Run     *run,
              GObject *object)
{
  if (!g_ptr_array_find (run->checked, object, NULL))
    g_ptr_array_add (run->checked, g_object_ref (object));
}

/* What X's rate-limit figures say about the next request: the reset time
 * when the window is spent down to the reserve, else 0. */
gint64
_bh_health_reserve_retry_at (gint64 remaining,
                             gint64 reset)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (remaining >= 0 && remaining <= BH_HEALTH_RESERVE && reset > now)
    return reset;

  return 0;
}

/* Records what @item's check found, and ends the item. */
void
_bh_health_item_done (Item              *item,
                      BhHealthState      state,
                      const char        *message,
                      gint64             retry_at,
                      const BhXIdentity *identity)
{
  BhHealthCheck *self = g_task_get_source_object (item->task);
  Run *run = g_task_get_task_data (item->task);
  const BhHealthRecord *old = item_record (item);
  g_autoptr(BhHealthRecord) record = bh_health_record_new ();
  BhHealthResult *result = g_new0 (BhHealthResult, 1);

  record->state = state;
  record->verdict = bh_health_state_is_definite (state) ? state
                    : (old != NULL ? old->verdict : BH_HEALTH_UNKNOWN);
  record->checked_at = g_date_time_new_now_utc ();
  record->checked_by = self->checker;
  record->retry_at = retry_at;

  result->kind = item->kind;
  result->app = g_object_ref (item->app);
  result->account = item->account != NULL ? g_object_ref (item->account) : NULL;
  result->state = state;
  result->previous = old != NULL ? old->verdict : BH_HEALTH_UNKNOWN;
  result->became_unhealthy = bh_health_state_is_failure (state) && result->previous != state;
  result->asked = item->asked;
  result->retry_at = retry_at;
  result->message = g_strdup (message);
  g_ptr_array_add (run->results, result);

  switch (item->kind)
    {
    case BH_CREDENTIAL_KIND_API_KEY_SECRET:
      g_hash_table_insert (run->keys_state, g_strdup (bh_app_get_id (item->app)), GINT_TO_POINTER (state));
      bh_app_set_keys_health (item->app, record);
      note_checked (run, G_OBJECT (item->app));
      break;
    case BH_CREDENTIAL_KIND_BEARER_TOKEN:
      bh_app_set_bearer_health (item->app, record);
      note_checked (run, G_OBJECT (item->app));
      break;
    case BH_CREDENTIAL_KIND_CLIENT_SECRET:
      /* The App's keys record holds its API key's verdict and its Client
       * Secret's: a refused API key (round 1) is not hidden by a good
       * Client Secret. */
      if (!bh_health_state_is_failure (GPOINTER_TO_INT (g_hash_table_lookup (run->keys_state,
                                                                             bh_app_get_id (item->app)))))
        {
          bh_app_set_keys_health (item->app, record);
          note_checked (run, G_OBJECT (item->app));
        }
      break;
    case BH_CREDENTIAL_KIND_ACCOUNT_TOKENS:
    case BH_CREDENTIAL_KIND_OAUTH2_GRANT:
    default:
      /* The account's state follows X's definite answer only. */
      if (identity != NULL)
        _bh_flow_apply_identity (item->account, identity);
      else if (state == BH_HEALTH_NEEDS_REAUTH)
        bh_account_set_state (item->account, BH_ACCOUNT_STATE_NEEDS_REAUTH);
      bh_account_set_health (item->account, record);
      note_checked (run, G_OBJECT (item->account));
      break;
    }

  g_debug ("Health: %s of App %s%s%s: %s", bh_credential_kind_to_string (item->kind),
           bh_app_get_id (item->app), item->account != NULL ? ", user " : "",
           item->account != NULL ? bh_account_get_user_id (item->account) : "",
           bh_health_state_to_string (state));

  item_skip (item);
}

/* Ends @item without a result. */
static void
item_skip (Item *item)
{
  g_autoptr(GTask) task = g_object_ref (item->task);
  Run *run = g_task_get_task_data (task);

  run->in_flight--;
  item_free (item);
  pump (task);
}

void
_bh_health_item_failed (Item         *item,
                        const GError *error)
{
  Run *run = g_task_get_task_data (item->task);
  BhHealthState state;
  gint64 retry_at;

  if (bh_error_is_cancelled (error) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (run->fatal == NULL)
        run->fatal = g_error_copy (error);
      item_skip (item);
      return;
    }

  if (error->domain == BH_STORE_ERROR &&
      (error->code == BH_STORE_ERROR_KEYRING_LOCKED || error->code == BH_STORE_ERROR_KEYRING_UNAVAILABLE))
    {
      /* Nothing can be checked: the run fails with the keyring's word,
       * and no credential is marked. */
      if (run->fatal == NULL)
        run->fatal = g_error_copy (error);
      g_queue_clear_full (&run->queue, (GDestroyNotify) item_free);
      g_queue_init (&run->queue);
      item_skip (item);
      return;
    }

  state = _bh_health_classify (item->kind, error, &retry_at);
  _bh_health_item_done (item, state, error->message, retry_at, NULL);
}

/* Ends @item without asking X when the last answer said to wait until
 * a reset still to come (a window spent down to the reserve, or a 429). */
gboolean
_bh_health_item_kept_for_scripts (Item *item)
{
  const BhHealthRecord *old = item_record (item);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *time = NULL;
  g_autofree char *message = NULL;

  if (old == NULL || old->retry_at <= now)
    return FALSE;

  when = g_date_time_new_from_unix_local (old->retry_at);
  /* Translators: a time of day in the local time zone, as 14:05. */
  time = g_date_time_format (when, _("%H:%M"));
  /* Translators: %s is a time of day. X counts requests in windows of 15 minutes. */
  message = g_strdup_printf (_("Not asked, so as not to spend the last requests of X’s window for it; checked again after %s."),
                             time);
  _bh_health_item_done (item, BH_HEALTH_RATE_LIMITED, message, old->retry_at, NULL);

  return TRUE;
}

/* Round 1: the App's key and secret */

static void
request_token_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Item *item = user_data;
  g_autoptr(BhXTokenPair) pair = NULL;
  g_autoptr(GError) error = NULL;

  pair = bh_x_client_request_token_finish (BH_X_CLIENT (object), result, &error);
  if (pair == NULL)
    {
      _bh_health_item_failed (item, error);
      return;
    }

  _bh_health_item_done (item, BH_HEALTH_HEALTHY, NULL, 0, NULL);
}

static void
consumer_secret_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Item *item = user_data;
  Run *run = g_task_get_task_data (item->task);
  g_autoptr(BhSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  BhXClient *client;

  secret = bh_store_lookup_consumer_secret_finish (BH_STORE (object), result, &error);
  if (secret == NULL)
    {
      _bh_health_item_failed (item, error);
      return;
    }

  g_hash_table_insert (run->secrets, g_strdup (bh_app_get_id (item->app)), g_steal_pointer (&secret));
  if (_bh_health_item_kept_for_scripts (item))
    return;

  if ((client = _bh_health_run_client (run, item->app, &error)) == NULL)
    {
      _bh_health_item_failed (item, error);
      return;
    }

  item->asked = TRUE;
  bh_x_client_request_token_async (client, bh_app_get_consumer_key (item->app),
                                   g_hash_table_lookup (run->secrets, bh_app_get_id (item->app)), NULL,
                                   g_task_get_cancellable (item->task), request_token_cb, item);
}

/* Round 2: the bearer token */

static void
bearer_request_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Item *item = user_data;
  g_autoptr(BhXResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = bh_x_client_request_finish (BH_X_CLIENT (object), result, &error);
  if (response == NULL || !bh_x_response_check (response, &error))
    {
      _bh_health_item_failed (item, error);
      return;
    }

  _bh_health_item_done (item, BH_HEALTH_HEALTHY, NULL,
                        _bh_health_reserve_retry_at (response->rate_limit_remaining, response->rate_limit_reset), NULL);
}

static void
bearer_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Item *item = user_data;
  Run *run = g_task_get_task_data (item->task);
  g_autoptr(BhSecret) bearer = NULL;
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(GError) error = NULL;
  BhAuth auth = { .mode = BH_AUTH_BEARER };
  BhXClient *client;

  bearer = bh_store_lookup_bearer_finish (BH_STORE (object), result, &error);
  if (bearer == NULL || (client = _bh_health_run_client (run, item->app, &error)) == NULL)
    {
      _bh_health_item_failed (item, error);
      return;
    }

  auth.bearer = bearer;
  params = bh_params_new ();
  bh_params_add (params, "resources", "application");
  /* Signed (here: the header built) before the call returns: @bearer may go. */
  item->asked = TRUE;
  bh_x_client_request_async (client, "GET", "1.1/application/rate_limit_status.json", params, NULL, &auth,
                             g_task_get_cancellable (item->task), bearer_request_cb, item);
}

/* Round 2: an account's tokens */

/* X's answer about an account's credential (verify_credentials for its
 * OAuth 1.0a tokens, 2/users/me for its OAuth 2.0 grant): healthy when
 * it is the account's own. */
void
_bh_health_identity_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Item *item = user_data;
  g_autoptr(BhXIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  if (item->kind == BH_CREDENTIAL_KIND_OAUTH2_GRANT)
    identity = bh_x_client_users_me_finish (BH_X_CLIENT (object), result, &error);
  else
    identity = bh_x_client_verify_credentials_finish (BH_X_CLIENT (object), result, &error);
  if (identity == NULL)
    {
      _bh_health_item_failed (item, error);
      return;
    }

  if (g_strcmp0 (identity->user_id, bh_account_get_user_id (item->account)) != 0)
    {
      /* Tokens of someone else under this account: X accepts them, but they
       * are not this account's. Said, never applied. */
      g_autofree char *message =
        g_strdup_printf (/* Translators: %s is an X account name, without its leading “@”. */
                         _("The stored tokens of @%s belong to another account. Remove the account and authorize it again."),
                         bh_account_get_screen_name (item->account));

      _bh_health_item_done (item, BH_HEALTH_NEEDS_REAUTH, message, 0, NULL);
      return;
    }

  _bh_health_item_done (item, BH_HEALTH_HEALTHY, NULL,
                        _bh_health_reserve_retry_at (identity->rate_limit_remaining, identity->rate_limit_reset), identity);
}

static void
tokens_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Item *item = user_data;
  Run *run = g_task_get_task_data (item->task);
  g_autoptr(GError) error = NULL;
  BhAuth auth = { .mode = BH_AUTH_OAUTH1_USER };
  BhXClient *client;

  if (!bh_store_lookup_account_tokens_finish (BH_STORE (object), result, &item->token, &item->token_secret, &error) ||
      (client = _bh_health_run_client (run, item->app, &error)) == NULL)
    {
      _bh_health_item_failed (item, error);
      return;
    }

  auth.consumer_key = bh_app_get_consumer_key (item->app);
  auth.consumer_secret = g_hash_table_lookup (run->secrets, bh_app_get_id (item->app));
  auth.token = item->token;
  auth.token_secret = item->token_secret;
  item->asked = TRUE;
  bh_x_client_verify_credentials_async (client, &auth, g_task_get_cancellable (item->task),
                                        _bh_health_identity_cb, item);
}

/* Starts @item, or ends it at once when there is nothing to ask. */
static void
item_start (Item *item)
{
  BhHealthCheck *self = g_task_get_source_object (item->task);
  Run *run = g_task_get_task_data (item->task);
  GCancellable *cancellable = g_task_get_cancellable (item->task);

  /* The App's secret is read even when its keys are not asked about now:
   * the accounts are signed with it. */
  if (item->kind == BH_CREDENTIAL_KIND_API_KEY_SECRET)
    {
      bh_store_lookup_consumer_secret_async (self->store, item->app, cancellable, consumer_secret_cb, item);
      return;
    }

  if (_bh_health_item_kept_for_scripts (item))
    return;

  if (item->kind == BH_CREDENTIAL_KIND_BEARER_TOKEN)
    {
      bh_store_lookup_bearer_async (self->store, item->app, cancellable, bearer_cb, item);
      return;
    }

  if (item->kind == BH_CREDENTIAL_KIND_OAUTH2_GRANT)
    {
      _bh_health_start_grant (item);
      return;
    }

  if (item->kind == BH_CREDENTIAL_KIND_CLIENT_SECRET)
    {
      _bh_health_start_client_secret (item);
      return;
    }

  switch (GPOINTER_TO_INT (g_hash_table_lookup (run->keys_state, bh_app_get_id (item->app))))
    {
    case BH_HEALTH_HEALTHY:
    case BH_HEALTH_RATE_LIMITED:
    case BH_HEALTH_ERROR:
    case BH_HEALTH_UNKNOWN:
      if (g_hash_table_contains (run->secrets, bh_app_get_id (item->app)))
        {
          bh_store_lookup_account_tokens_async (self->store, item->account, cancellable, tokens_cb, item);
          return;
        }
      break;

    case BH_HEALTH_UNREACHABLE:
      _bh_health_item_done (item, BH_HEALTH_UNREACHABLE,
                 _("X could not be reached. Check the network connection; the credential was not judged."),
                 0, NULL);
      return;

    default:
      break;
    }

  /* The App's keys were refused or are missing: the account cannot be
   * asked about; it keeps what it had. */
  item_skip (item);
}

/* Rounds */

static void
queue_round (GTask *task)
{
  BhHealthCheck *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GListModel *apps = G_LIST_MODEL (self->store);
  guint n = g_list_model_get_n_items (apps);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (apps, i);
      GListModel *accounts;
      guint n_accounts;

      if (self->app != NULL && app != self->app)
        continue;

      if (run->round == 1)
        {
          /* An App with OAuth 2.0 only has no API key to prove. */
          if (bh_app_get_consumer_key (app) != NULL)
            g_queue_push_tail (&run->queue, item_new (task, BH_CREDENTIAL_KIND_API_KEY_SECRET, app, NULL));
          continue;
        }

      if (bh_app_get_has_bearer (app))
        g_queue_push_tail (&run->queue, item_new (task, BH_CREDENTIAL_KIND_BEARER_TOKEN, app, NULL));
      if (bh_app_get_client_id (app) != NULL && bh_app_get_has_client_secret (app))
        g_queue_push_tail (&run->queue, item_new (task, BH_CREDENTIAL_KIND_CLIENT_SECRET, app, NULL));

      accounts = bh_app_get_accounts (app);
      n_accounts = g_list_model_get_n_items (accounts);
      for (guint j = 0; j < n_accounts; j++)
        {
          g_autoptr(BhAccount) account = g_list_model_get_item (accounts, j);

          /* An account may hold OAuth 1.0a tokens, an OAuth 2.0 grant, or
           * both; each is asked about with its own request. */
          if (bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH1))
            g_queue_push_tail (&run->queue, item_new (task, BH_CREDENTIAL_KIND_ACCOUNT_TOKENS, app, account));
          if (bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH2))
            g_queue_push_tail (&run->queue, item_new (task, BH_CREDENTIAL_KIND_OAUTH2_GRANT, app, account));
        }
    }

  run->spacing_ms = run->queue.length >= SPREAD_FROM ? SPACING_MS : 0;
}

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The results stand even when the records could not be written: the
   * next check finds the same, and the caller shows them. */
  if (!bh_store_record_health_finish (BH_STORE (object), result, &error))
    g_debug ("Could not record the health check: %s", error->message);

  g_task_return_pointer (task, g_steal_pointer (&run->results), (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
pump_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);

  run->timeout_id = 0;
  pump (task);

  return G_SOURCE_REMOVE;
}

/* Whether starting @item sends a request (spaced from the others): not
 * when its window is kept for the person's scripts. The App's keys are
 * read from the keyring all the same (see item_start()). */
static gboolean
item_will_ask (Item *item)
{
  const BhHealthRecord *old = item_record (item);

  return item->kind == BH_CREDENTIAL_KIND_API_KEY_SECRET || old == NULL ||
         old->retry_at <= g_get_real_time () / G_USEC_PER_SEC;
}

static void
pump_once (GTask *task)
{
  BhHealthCheck *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (run->fatal != NULL && run->in_flight == 0)
    {
      g_queue_clear_full (&run->queue, (GDestroyNotify) item_free);
      g_queue_init (&run->queue);
      if (!g_task_had_error (task) && !g_task_get_completed (task) && run->timeout_id == 0)
        {
          run->round = 3;
          g_task_return_error (task, g_steal_pointer (&run->fatal));
        }
      return;
    }

  while (run->fatal == NULL && run->in_flight < MAX_IN_FLIGHT && !g_queue_is_empty (&run->queue))
    {
      gint64 now = g_get_monotonic_time ();
      gboolean asks = item_will_ask (g_queue_peek_head (&run->queue));

      if (asks && now < run->next_start)
        {
          if (run->timeout_id == 0)
            run->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                                  (run->next_start - now) / 1000 + 1,
                                                  pump_timeout, g_object_ref (task), g_object_unref);
          return;
        }

      run->in_flight++;
      if (asks)
        run->next_start = now + (gint64) run->spacing_ms * 1000;
      item_start (g_queue_pop_head (&run->queue));
    }

  if (run->in_flight > 0 || !g_queue_is_empty (&run->queue) || run->round > 2)
    return;

  if (run->round == 1)
    {
      run->round = 2;
      queue_round (task);
      run->pump_again = TRUE;
      return;
    }

  run->round = 3;
  bh_store_record_health_async (self->store, run->checked, NULL, recorded_cb, g_object_ref (task));
}

/* Starts what may start now; ends a round, and the run, when all is done.
 * An item that ends at once (nothing to ask) calls back in here: that is
 * turned into one more turn of the outer call, not a deeper stack, so a
 * thousand such items cost no stack. */
static void
pump (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  if (run->pumping)
    {
      run->pump_again = TRUE;
      return;
    }

  run->pumping = TRUE;
  do
    {
      run->pump_again = FALSE;
      pump_once (task);
    }
  while (run->pump_again);
  run->pumping = FALSE;
}

/**
 * bh_health_check_run_async:
 * @self: a #BhHealthCheck
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Checks every credential of the store (or of one App, see
 * bh_health_check_set_app()), sets each one's health record (and an
 * account's state on X's definite answer), and writes them to the
 * records, in one write at the end. Fails only when nothing could be
 * checked (the keyring is locked or missing) or when cancelled; then no
 * record is written.
 */
void
bh_health_check_run_async (BhHealthCheck       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (BH_IS_HEALTH_CHECK (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_health_check_run_async);

  run = g_new0 (Run, 1);
  run->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  run->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) bh_secret_free);
  run->keys_state = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->results = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_health_result_free);
  run->checked = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&run->queue);
  run->round = 1;
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  queue_round (task);
  pump (task);
}

/**
 * bh_health_check_run_finish:
 *
 * Returns: (transfer container) (element-type BhHealthResult): one result
 *   per credential asked about, in the order they were checked
 */
GPtrArray *
bh_health_check_run_finish (BhHealthCheck  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
bh_health_check_dispose (GObject *object)
{
  BhHealthCheck *self = BH_HEALTH_CHECK (object);

  g_clear_object (&self->store);
  g_clear_object (&self->app);

  G_OBJECT_CLASS (bh_health_check_parent_class)->dispose (object);
}

static void
bh_health_check_class_init (BhHealthCheckClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bh_health_check_dispose;
}

static void
bh_health_check_init (BhHealthCheck *self)
{
}

/**
 * bh_health_check_new:
 * @store: a loaded store
 * @checker: who runs it (kept in each record)
 *
 * Returns: (transfer full): a check, to run with bh_health_check_run_async()
 */
BhHealthCheck *
bh_health_check_new (BhStore         *store,
                     BhHealthChecker  checker)
{
  BhHealthCheck *self;

  g_return_val_if_fail (BH_IS_STORE (store), NULL);

  self = g_object_new (BH_TYPE_HEALTH_CHECK, NULL);
  self->store = g_object_ref (store);
  self->checker = checker;

  return self;
}

/**
 * bh_health_check_set_app:
 * @app: (nullable): check only this App's credentials; %NULL for all
 */
void
bh_health_check_set_app (BhHealthCheck *self,
                         BhApp         *app)
{
  g_return_if_fail (BH_IS_HEALTH_CHECK (self));

  g_set_object (&self->app, app);
}
