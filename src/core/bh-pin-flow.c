/* bh-pin-flow.c
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

#include "bh-pin-flow.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bh-flow-private.h"
#include "bh-secret.h"
#include "bh-store.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

/*
 * The OAuth 1.0a PIN flow (3-legged, oauth_callback=oob):
 *
 *   REQUESTING_TOKEN  consumer secret from the keyring, oauth/request_token
 *   WAITING_FOR_PIN   authorize URL in the system browser; the run's task
 *                     is parked (_bh_flow_park) until submit_pin()
 *   EXCHANGING        oauth/access_token with the PIN as oauth_verifier
 *   VERIFYING         verify_credentials: identity and access level
 *   STORING           keyring, then records (bh_store_save_account_async)
 *   DONE              "account"
 *
 * A refused PIN goes back to WAITING_FOR_PIN with "error" set; a request
 * token X has dropped (expired, or too many wrong PINs) starts over from
 * REQUESTING_TOKEN. While waiting, nothing is in flight that would notice
 * a cancel; BhFlow, which holds the parked run, ends it then.
 *
 * Cancelling keeps the keyring untouched up to STORING. Once the store
 * write has begun it is let finish and the run ends DONE: the account
 * exists, and saying CANCELLED would hide it.
 *
 * A run that ends before STORING (cancelled, or failed in VERIFYING) stores
 * nothing and leaves X untouched: the access token X issued is wiped from
 * memory, and never invalidated at X. X hands the SAME token to the same
 * user and App everywhere: another machine running Birdhouse, a script on
 * a server, the token generated in X's developer portal. Birdhouse cannot
 * see those, so invalidating it could kill a token someone relies on
 * elsewhere; a token left valid at X with no local copy harms no one, and
 * the person can revoke the App in X's settings.
 */

struct _BhPinFlow
{
  BhFlow         parent_instance;

  /* options */
  gboolean       read_only;
  gboolean       force_login;
  gboolean       open_browser;
  char          *screen_name;
  BhAccount     *renews;

  char          *authorize_url;
  GError        *browser_error;
  BhAccount     *account;
};

G_DEFINE_FINAL_TYPE (BhPinFlow, bh_pin_flow, BH_TYPE_FLOW)

enum {
  PROP_0,
  PROP_READ_ONLY,
  PROP_FORCE_LOGIN,
  PROP_SCREEN_NAME,
  PROP_OPEN_BROWSER,
  PROP_RENEWS,
  PROP_AUTHORIZE_URL,
  PROP_BROWSER_ERROR,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


static void
bh_pin_flow_dispose (GObject *object)
{
  BhPinFlow *self = BH_PIN_FLOW (object);

  g_clear_object (&self->account);
  g_clear_object (&self->renews);

  G_OBJECT_CLASS (bh_pin_flow_parent_class)->dispose (object);
}

static void
bh_pin_flow_finalize (GObject *object)
{
  BhPinFlow *self = BH_PIN_FLOW (object);

  g_clear_pointer (&self->screen_name, g_free);
  g_clear_pointer (&self->authorize_url, g_free);
  g_clear_error (&self->browser_error);

  G_OBJECT_CLASS (bh_pin_flow_parent_class)->finalize (object);
}

static void
bh_pin_flow_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BhPinFlow *self = BH_PIN_FLOW (object);

  switch (prop_id)
    {
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;

    case PROP_FORCE_LOGIN:
      g_value_set_boolean (value, self->force_login);
      break;

    case PROP_SCREEN_NAME:
      g_value_set_string (value, self->screen_name);
      break;

    case PROP_OPEN_BROWSER:
      g_value_set_boolean (value, self->open_browser);
      break;

    case PROP_RENEWS:
      g_value_set_object (value, self->renews);
      break;

    case PROP_AUTHORIZE_URL:
      g_value_set_string (value, self->authorize_url);
      break;

    case PROP_BROWSER_ERROR:
      g_value_set_boxed (value, self->browser_error);
      break;

    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_boolean (BhPinFlow *self,
             gboolean  *field,
             gboolean   value,
             guint      prop_id)
{
  value = !!value;
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
bh_pin_flow_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  BhPinFlow *self = BH_PIN_FLOW (object);

  switch (prop_id)
    {
    case PROP_READ_ONLY:
      set_boolean (self, &self->read_only, g_value_get_boolean (value), prop_id);
      break;

    case PROP_FORCE_LOGIN:
      set_boolean (self, &self->force_login, g_value_get_boolean (value), prop_id);
      break;

    case PROP_OPEN_BROWSER:
      set_boolean (self, &self->open_browser, g_value_get_boolean (value), prop_id);
      break;

    case PROP_RENEWS:
      self->renews = g_value_dup_object (value);
      break;

    case PROP_SCREEN_NAME:
      {
        const char *name = g_value_get_string (value);

        /* "@bob" and "bob" are the same person to X's login form. */
        if (name != NULL)
          {
            while (g_ascii_isspace (*name))
              name++;
            if (*name == '@')
              name++;
            if (*name == '\0')
              name = NULL;
          }

        if (_bh_flow_set_str (&self->screen_name, name))
          g_object_notify_by_pspec (object, pspec);
      }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_authorize_url (BhPinFlow  *self,
                   const char *url)
{
  if (_bh_flow_set_str (&self->authorize_url, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHORIZE_URL]);
}

static void
set_browser_error (BhFlow       *flow,
                   const GError *error)
{
  BhPinFlow *self = BH_PIN_FLOW (flow);

  _bh_flow_set_browser_error (flow, &self->browser_error, error, properties[PROP_BROWSER_ERROR]);
}

static void
launch_browser (BhPinFlow *self)
{
  _bh_flow_launch_browser (BH_FLOW (self), self->authorize_url, set_browser_error);
}

typedef struct
{
  /* token and token_secret: the access token, once X issued it */
  BhFlowCredentials *credentials;
  BhXTokenPair      *request_token;
  BhSecret          *pin;
} PinRun;

static void
pin_run_free (PinRun *run)
{
  g_clear_pointer (&run->credentials, _bh_flow_credentials_free);
  g_clear_pointer (&run->request_token, bh_x_token_pair_free);
  bh_secret_clear (&run->pin);
  g_free (run);
}

/* Every step below gets the run's GTask as user data, takes it back with
 * g_autoptr and passes it on; the last one completes it. Whatever the run
 * holds (its PinRun) is wiped when the task goes. */

/* A run that fails here, between the access token exchange and STORING,
 * wipes the token with its PinRun; it is not invalidated at X: see the
 * top of the file. */
static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhPinFlow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhAccount) account = NULL;

  account = _bh_flow_add_account_finish (BH_FLOW (object), result, &error);
  if (account == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_set_object (&self->account, account);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
  g_task_return_boolean (task, TRUE);
}

static void request_token (GTask *task);
static void exchange (GTask *task);

/* Takes over @task: X dropped the request token (expired, or too many
 * wrong PINs), so the run asks for a new one and the person authorizes
 * again. */
static void
start_over (GTask *task)
{
  BhPinFlow *self = g_task_get_source_object (task);
  PinRun *run = g_task_get_task_data (task);
  BhFlow *flow = BH_FLOW (self);
  g_autoptr(GError) restarted = NULL;

  g_debug ("X dropped the request token; starting over with a new one");
  restarted = g_error_new_literal (BH_X_ERROR, BH_X_ERROR_INVALID_REQUEST_TOKEN,
                                   _("X no longer accepts that authorization request (it expired, or too many PINs were tried), so a new one was started. Authorize the App again in the browser and enter the new PIN."));
  _bh_flow_set_error (flow, restarted);
  g_clear_pointer (&run->request_token, bh_x_token_pair_free);
  set_authorize_url (self, NULL);
  _bh_flow_set_state (flow, BH_FLOW_STATE_REQUESTING_TOKEN);
  request_token (task);
}

static void
access_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhPinFlow *self = g_task_get_source_object (task);
  PinRun *run = g_task_get_task_data (task);
  BhFlow *flow = BH_FLOW (self);
  g_autoptr(BhXTokenPair) access_token = NULL;
  g_autoptr(GError) error = NULL;

  access_token = bh_x_client_access_token_finish (BH_X_CLIENT (object), result, &error);
  bh_secret_clear (&run->pin);

  if (access_token != NULL)
    {
      g_clear_pointer (&run->request_token, bh_x_token_pair_free);
      run->credentials->token = g_steal_pointer (&access_token->token);
      run->credentials->token_secret = g_steal_pointer (&access_token->token_secret);
      _bh_flow_set_state (flow, BH_FLOW_STATE_VERIFYING);
      _bh_flow_add_account_async (flow, run->credentials, self->renews, added_cb, g_steal_pointer (&task));
      return;
    }

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_error_matches (error, BH_X_ERROR, BH_X_ERROR_INVALID_PIN))
    {
      /* A typo: the same request token takes another PIN. */
      _bh_flow_set_error (flow, error);
      _bh_flow_park (BH_FLOW (self), g_steal_pointer (&task), BH_FLOW_STATE_WAITING_FOR_PIN);
      return;
    }

  if (g_error_matches (error, BH_X_ERROR, BH_X_ERROR_INVALID_REQUEST_TOKEN))
    {
      start_over (g_steal_pointer (&task));
      return;
    }

  _bh_flow_retry_or_fail (g_steal_pointer (&task), g_steal_pointer (&error), exchange);
}

/* Takes over @task. */
static void
exchange (GTask *task)
{
  BhFlow *flow = g_task_get_source_object (task);
  PinRun *run = g_task_get_task_data (task);

  bh_x_client_access_token_async (bh_flow_get_client (flow),
                                  bh_app_get_consumer_key (bh_flow_get_app (flow)),
                                  run->credentials->consumer_secret,
                                  run->request_token,
                                  run->pin,
                                  g_task_get_cancellable (task),
                                  access_token_cb,
                                  task);
}

static void
request_token_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhPinFlow *self = g_task_get_source_object (task);
  PinRun *run = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  run->request_token = bh_x_client_request_token_finish (BH_X_CLIENT (object), result, &error);
  if (run->request_token == NULL)
    {
      _bh_flow_retry_or_fail (g_steal_pointer (&task), g_steal_pointer (&error), request_token);
      return;
    }

  url = bh_x_client_authorize_url (BH_X_CLIENT (object),
                                   run->request_token->token,
                                   self->force_login,
                                   self->screen_name);
  set_authorize_url (self, url);

  if (self->open_browser && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    launch_browser (self);

  _bh_flow_park (BH_FLOW (self), g_steal_pointer (&task), BH_FLOW_STATE_WAITING_FOR_PIN);
}

/* Takes over @task. */
static void
request_token (GTask *task)
{
  BhPinFlow *self = g_task_get_source_object (task);
  PinRun *run = g_task_get_task_data (task);
  BhFlow *flow = BH_FLOW (self);

  bh_x_client_request_token_async (bh_flow_get_client (flow),
                                   bh_app_get_consumer_key (bh_flow_get_app (flow)),
                                   run->credentials->consumer_secret,
                                   self->read_only ? "read" : NULL,
                                   g_task_get_cancellable (task),
                                   request_token_cb,
                                   task);
}

static void
credentials_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PinRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->credentials = _bh_flow_lookup_credentials_finish (BH_FLOW (object), result, &error);
  if (run->credentials == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  request_token (g_steal_pointer (&task));
}

static void
bh_pin_flow_run (BhFlow *flow,
                 GTask  *task)
{
  g_task_set_task_data (task, g_new0 (PinRun, 1), (GDestroyNotify) pin_run_free);
  _bh_flow_set_state (flow, BH_FLOW_STATE_REQUESTING_TOKEN);
  _bh_flow_lookup_credentials_async (flow, NULL, credentials_cb, task);
}

static void
bh_pin_flow_class_init (BhPinFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BhFlowClass *flow_class = BH_FLOW_CLASS (klass);

  object_class->dispose = bh_pin_flow_dispose;
  object_class->finalize = bh_pin_flow_finalize;
  object_class->get_property = bh_pin_flow_get_property;
  object_class->set_property = bh_pin_flow_set_property;

  flow_class->run = bh_pin_flow_run;

  /* Ask X for read-only access (x_auth_access_type=read). */
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /* Make X ask who signs in, even if the browser is logged in. */
  properties[PROP_FORCE_LOGIN] =
    g_param_spec_boolean ("force-login", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /* Prefills X's login form; a leading '@' is dropped. */
  properties[PROP_SCREEN_NAME] =
    g_param_spec_string ("screen-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_OPEN_BROWSER] =
    g_param_spec_boolean ("open-browser", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE |
                           G_PARAM_CONSTRUCT |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /* The account this authorization renews (construct only): see
   * bh_pin_flow_new_renewal(). */
  properties[PROP_RENEWS] =
    g_param_spec_object ("renews", NULL, NULL,
                         BH_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_AUTHORIZE_URL] =
    g_param_spec_string ("authorize-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_BROWSER_ERROR] =
    g_param_spec_boxed ("browser-error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         BH_TYPE_ACCOUNT,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_pin_flow_init (BhPinFlow *self)
{
  self->open_browser = TRUE;
}

/**
 * bh_pin_flow_new:
 *
 * The OAuth 1.0a PIN flow: request token → authorize URL in the system
 * browser → WAITING_FOR_PIN → bh_pin_flow_submit_pin() → access token →
 * verify_credentials → stored account. Options as properties, set before
 * running: "read-only", "force-login", "screen-name", "open-browser"
 * (default %TRUE). Read-only properties: "authorize-url" (set on entering
 * WAITING_FOR_PIN), "browser-error" (GError boxed: the browser could not
 * be opened; the URL is still there to copy), "account" (the stored
 * BhAccount once DONE).
 *
 * A refused PIN sets "error" (BH_X_ERROR_INVALID_PIN) and goes back to
 * WAITING_FOR_PIN so another PIN can be submitted; when X has dropped the
 * request token the flow starts over with a new one (and opens the browser
 * again).
 *
 * Returns: (transfer full): a new PIN flow; set the options, then run it
 *   with bh_flow_run_async()
 */
BhPinFlow *
bh_pin_flow_new (BhStore *store,
                 BhApp   *app)
{
  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_APP (app), NULL);

  return g_object_new (BH_TYPE_PIN_FLOW,
                       "store", store,
                       "app", app,
                       NULL);
}

/**
 * bh_pin_flow_new_renewal:
 * @account: a stored account of one of @store's Apps
 *
 * The PIN flow that gives @account new tokens: the second half of a
 * rotation (after bh_revoke_flow_new_for_rotation()), or Authorize Again
 * for an account that needs it. X is asked to show its sign-in form
 * (force_login) with the account's screen name filled in; the tokens must
 * be that user's, or nothing is stored; they replace the old ones in the
 * account's place, keeping its settings, and the records say it was
 * rotated.
 *
 * Returns: (transfer full): a new PIN flow, to run with bh_flow_run_async()
 */
BhPinFlow *
bh_pin_flow_new_renewal (BhStore   *store,
                         BhAccount *account)
{
  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_ACCOUNT (account), NULL);

  return g_object_new (BH_TYPE_PIN_FLOW,
                       "store", store,
                       "app", bh_store_get_account_app (store, account),
                       "renews", account,
                       "force-login", TRUE,
                       "screen-name", bh_account_get_screen_name (account),
                       NULL);
}

/**
 * bh_pin_flow_get_renews:
 *
 * Returns: (transfer none) (nullable): the account this flow renews
 */
BhAccount *
bh_pin_flow_get_renews (BhPinFlow *self)
{
  g_return_val_if_fail (BH_IS_PIN_FLOW (self), NULL);

  return self->renews;
}

/**
 * bh_pin_flow_get_authorize_url:
 *
 * Returns: (nullable): the page where the person authorizes the App, once
 *   the flow reached WAITING_FOR_PIN (it holds the request token, which is
 *   not a secret)
 */
const char *
bh_pin_flow_get_authorize_url (BhPinFlow *self)
{
  g_return_val_if_fail (BH_IS_PIN_FLOW (self), NULL);

  return self->authorize_url;
}

/**
 * bh_pin_flow_get_browser_error:
 *
 * Returns: (nullable): why the browser could not be opened
 */
const GError *
bh_pin_flow_get_browser_error (BhPinFlow *self)
{
  g_return_val_if_fail (BH_IS_PIN_FLOW (self), NULL);

  return self->browser_error;
}

/**
 * bh_pin_flow_get_account:
 *
 * Returns: (transfer none) (nullable): the stored account once DONE
 */
BhAccount *
bh_pin_flow_get_account (BhPinFlow *self)
{
  g_return_val_if_fail (BH_IS_PIN_FLOW (self), NULL);

  return self->account;
}

/* The PIN without any white space, or NULL when it is not 4 to 12 digits. */
static BhSecret *
normalize_pin (const char *pin)
{
  g_autoptr(BhSecret) digits = NULL;
  gsize n = 0;

  if (pin == NULL)
    return NULL;

  digits = bh_secret_dup (pin);
  for (const char *p = pin; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        continue;
      if (!g_ascii_isdigit (*p))
        return NULL;
      digits[n++] = *p;
    }
  bh_secret_wipe (digits + n, strlen (digits + n));
  digits[n] = '\0';

  if (n < 4 || n > 12)
    return NULL;

  return g_steal_pointer (&digits);
}

/**
 * bh_pin_is_plausible:
 * @pin: (nullable): what the person typed or pasted
 *
 * Returns: %TRUE when @pin, white space removed, is 4 to 12 digits
 */
gboolean
bh_pin_is_plausible (const char *pin)
{
  g_autoptr(BhSecret) digits = normalize_pin (pin);

  return digits != NULL;
}

/**
 * bh_pin_flow_submit_pin:
 * @pin: the PIN X showed (white space is ignored)
 *
 * Continues a flow in WAITING_FOR_PIN with the access-token exchange.
 *
 * Returns: %TRUE when the PIN was taken; %FALSE (and nothing happens) when
 *   the flow is not waiting for a PIN or @pin is not plausible
 */
gboolean
bh_pin_flow_submit_pin (BhPinFlow  *self,
                        const char *pin)
{
  g_autoptr(BhSecret) digits = NULL;
  GTask *parked;
  PinRun *run;

  g_return_val_if_fail (BH_IS_PIN_FLOW (self), FALSE);

  parked = _bh_flow_get_parked (BH_FLOW (self));
  if (parked == NULL ||
      bh_flow_get_state (BH_FLOW (self)) != BH_FLOW_STATE_WAITING_FOR_PIN ||
      g_cancellable_is_cancelled (bh_flow_get_cancellable (BH_FLOW (self))))
    return FALSE;

  digits = normalize_pin (pin);
  if (digits == NULL)
    return FALSE;

  run = g_task_get_task_data (parked);
  bh_secret_clear (&run->pin);
  run->pin = g_steal_pointer (&digits);

  _bh_flow_set_error (BH_FLOW (self), NULL);
  _bh_flow_set_state (BH_FLOW (self), BH_FLOW_STATE_EXCHANGING);
  exchange (_bh_flow_unpark (BH_FLOW (self)));

  return TRUE;
}

/**
 * bh_pin_flow_open_browser:
 *
 * Opens the authorize page in the system browser again (after the person
 * closed it, or when "open-browser" was FALSE). Failures land in
 * "browser-error".
 */
void
bh_pin_flow_open_browser (BhPinFlow *self)
{
  g_return_if_fail (BH_IS_PIN_FLOW (self));

  launch_browser (self);
}
