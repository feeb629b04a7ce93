/* bh-oauth2-flow.c
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

#include "bh-oauth2-flow.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bh-flow-private.h"
#include "bh-loopback-listener.h"
#include "bh-oauth2.h"
#include "bh-oauth2-token.h"
#include "bh-secret.h"
#include "bh-store.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

/*
 * OAuth 2.0 Authorization Code with PKCE (see bh-oauth2-flow.h):
 *
 *   IDLE                 the Client Secret from the keyring (confidential
 *                        clients only)
 *   WAITING_FOR_BROWSER  the listener bound to the redirect URI's port, the
 *                        authorize URL in the system browser; waits for
 *                        the listener or submit_redirect(), first wins
 *   EXCHANGING           2/oauth2/token with the code and the verifier
 *   VERIFYING            2/users/me with the new access token
 *   STORING              the grant in one keyring item, then the record
 *   DONE                 "account"
 *
 * The wait has its own cancellable: a pasted redirect ends it (its code
 * is kept first), and so does a cancel of the flow. Either way the wait's
 * callback is the one place the run goes on from.
 *
 * As in the PIN flow, a run that ends before STORING stores nothing and
 * says nothing to X: the tokens X issued are wiped from memory. Unlike
 * OAuth 1.0a tokens they are this authorization's own, but revoking them
 * needs a round trip that a cancel should not wait for; they expire.
 */

#define DEFAULT_TIMEOUT_SECONDS 600
#define OFFLINE_ACCESS "offline.access"

struct _BhOAuth2Flow
{
  BhFlow        parent_instance;

  /* options */
  GStrv         scopes;
  gboolean      offline_access;
  gboolean      open_browser;
  guint         timeout;

  char         *authorize_url;
  char         *redirect_uri;
  GError       *browser_error;
  BhAccount    *account;
  BhAccount    *renews;    /* nullable: see bh_oauth2_flow_new_renewal() */

  struct _OAuth2Run *run;  /* the run in flight, for submit_redirect() */
};

G_DEFINE_FINAL_TYPE (BhOAuth2Flow, bh_oauth2_flow, BH_TYPE_FLOW)

enum {
  PROP_0,
  PROP_SCOPES,
  PROP_OFFLINE_ACCESS,
  PROP_OPEN_BROWSER,
  PROP_TIMEOUT,
  PROP_AUTHORIZE_URL,
  PROP_REDIRECT_URI,
  PROP_BROWSER_ERROR,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct _OAuth2Run
{
  BhOAuth2Flow       *flow;            /* a reference: GTask may drop its own first */
  BhSecret           *client_secret;   /* NULL: a public client */
  BhSecret           *verifier;
  char               *state;
  BhLoopbackListener *listener;
  GCancellable       *wait_cancellable;
  GCancellable       *flow_cancellable;
  gulong              cancelled_id;
  BhSecret           *code;            /* from the listener or pasted */
  GError             *pasted_error;    /* a pasted access_denied */
  BhOAuth2Grant      *grant;
  BhXIdentity        *identity;
} OAuth2Run;

static void
oauth2_run_free (OAuth2Run *run)
{
  if (run->flow->run == run)
    run->flow->run = NULL;
  g_clear_object (&run->flow);
  if (run->cancelled_id != 0)
    g_cancellable_disconnect (run->flow_cancellable, run->cancelled_id);
  g_clear_object (&run->flow_cancellable);
  bh_secret_clear (&run->client_secret);
  bh_secret_clear (&run->verifier);
  g_free (run->state);
  g_clear_object (&run->listener);
  g_clear_object (&run->wait_cancellable);
  bh_secret_clear (&run->code);
  g_clear_error (&run->pasted_error);
  g_clear_pointer (&run->grant, bh_oauth2_grant_free);
  g_clear_pointer (&run->identity, bh_x_identity_free);
  g_free (run);
}

static void
bh_oauth2_flow_dispose (GObject *object)
{
  BhOAuth2Flow *self = BH_OAUTH2_FLOW (object);

  g_clear_object (&self->account);
  g_clear_object (&self->renews);

  G_OBJECT_CLASS (bh_oauth2_flow_parent_class)->dispose (object);
}

static void
bh_oauth2_flow_finalize (GObject *object)
{
  BhOAuth2Flow *self = BH_OAUTH2_FLOW (object);

  g_clear_pointer (&self->scopes, g_strfreev);
  g_clear_pointer (&self->authorize_url, g_free);
  g_clear_pointer (&self->redirect_uri, g_free);
  g_clear_error (&self->browser_error);

  G_OBJECT_CLASS (bh_oauth2_flow_parent_class)->finalize (object);
}

static void
bh_oauth2_flow_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BhOAuth2Flow *self = BH_OAUTH2_FLOW (object);

  switch (prop_id)
    {
    case PROP_SCOPES:
      g_value_set_boxed (value, self->scopes);
      break;

    case PROP_OFFLINE_ACCESS:
      g_value_set_boolean (value, self->offline_access);
      break;

    case PROP_OPEN_BROWSER:
      g_value_set_boolean (value, self->open_browser);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    case PROP_AUTHORIZE_URL:
      g_value_set_string (value, self->authorize_url);
      break;

    case PROP_REDIRECT_URI:
      g_value_set_string (value, self->redirect_uri);
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
bh_oauth2_flow_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BhOAuth2Flow *self = BH_OAUTH2_FLOW (object);

  switch (prop_id)
    {
    case PROP_SCOPES:
      bh_oauth2_flow_set_scopes (self, g_value_get_boxed (value));
      break;

    case PROP_OFFLINE_ACCESS:
      if (self->offline_access != g_value_get_boolean (value))
        {
          self->offline_access = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_OPEN_BROWSER:
      if (self->open_browser != g_value_get_boolean (value))
        {
          self->open_browser = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_TIMEOUT:
      if (self->timeout != g_value_get_uint (value))
        {
          self->timeout = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_string_property (BhOAuth2Flow  *self,
                     char         **field,
                     const char    *value,
                     guint          prop_id)
{
  if (_bh_flow_set_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_browser_error (BhFlow       *flow,
                   const GError *error)
{
  BhOAuth2Flow *self = BH_OAUTH2_FLOW (flow);

  _bh_flow_set_browser_error (flow, &self->browser_error, error, properties[PROP_BROWSER_ERROR]);
}

/* The scopes asked for: the chosen ones, with offline.access when wanted. */
static GStrv
effective_scopes (BhOAuth2Flow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (self->scopes != NULL)
    g_strv_builder_addv (builder, (const char **) self->scopes);
  if (self->offline_access && (self->scopes == NULL || !g_strv_contains ((const char * const *) self->scopes, OFFLINE_ACCESS)))
    g_strv_builder_add (builder, OFFLINE_ACCESS);

  return g_strv_builder_end (builder);
}

/* Every step below gets the run's GTask as user data, takes it back with
 * g_autoptr and passes it on; the last one completes it. */

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhOAuth2Flow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhAccount) account = NULL;

  account = _bh_flow_store_account_finish (BH_FLOW (object), result, &error);
  if (account == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_set_object (&self->account, account);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
  g_task_return_boolean (task, TRUE);
}

static void
users_me_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhFlow *flow = g_task_get_source_object (task);
  OAuth2Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->identity = bh_x_client_users_me_finish (BH_X_CLIENT (object), result, &error);
  if (run->identity == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!_bh_flow_check_renewal (BH_OAUTH2_FLOW (flow)->renews, run->identity, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The last moment a cancel leaves the keyring untouched. */
  if (g_task_return_error_if_cancelled (task))
    return;

  _bh_flow_store_account_async (flow, run->identity, NULL, run->grant,
                                BH_OAUTH2_FLOW (flow)->renews != NULL,
                                stored_cb, g_steal_pointer (&task));
}

static void
exchanged_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhFlow *flow = g_task_get_source_object (task);
  OAuth2Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  BhAuth auth = { .mode = BH_AUTH_BEARER };
  GCancellable *cancellable;

  run->grant = bh_x_client_oauth2_exchange_code_finish (BH_X_CLIENT (object), result, &error);
  bh_secret_clear (&run->code);
  if (run->grant == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _bh_flow_set_state (flow, BH_FLOW_STATE_VERIFYING);
  auth.bearer = run->grant->access_token;
  cancellable = g_task_get_cancellable (task);
  bh_x_client_users_me_async (BH_X_CLIENT (object), &auth, cancellable, users_me_cb, g_steal_pointer (&task));
}

static void
waited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhOAuth2Flow *self = g_task_get_source_object (task);
  BhFlow *flow = BH_FLOW (self);
  OAuth2Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) code = NULL;
  BhApp *app = bh_flow_get_app (flow);
  GCancellable *cancellable;

  code = bh_loopback_listener_wait_finish (BH_LOOPBACK_LISTENER (object), result, &error);
  /* The port closes now, whoever won. */
  g_clear_object (&run->listener);

  if (run->pasted_error != NULL && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_error (task, g_steal_pointer (&run->pasted_error));
      return;
    }

  if (code != NULL)
    {
      bh_secret_clear (&run->code);
      run->code = g_steal_pointer (&code);
    }
  else if (run->code == NULL || g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _bh_flow_set_state (flow, BH_FLOW_STATE_EXCHANGING);
  cancellable = g_task_get_cancellable (task);
  bh_x_client_oauth2_exchange_code_async (bh_flow_get_client (flow),
                                          bh_app_get_client_id (app),
                                          run->client_secret,
                                          run->code,
                                          self->redirect_uri,
                                          run->verifier,
                                          cancellable,
                                          exchanged_cb,
                                          g_steal_pointer (&task));
}

static void
flow_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  /* The listener's own handler moves to an idle: safe from here. */
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* Takes over @task: binds the listener, shows the authorize URL and
 * waits for the browser. */
static void
wait_for_browser (GTask *task)
{
  BhOAuth2Flow *self = g_task_get_source_object (task);
  BhFlow *flow = BH_FLOW (self);
  OAuth2Run *run = g_task_get_task_data (task);
  BhApp *app = bh_flow_get_app (flow);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *url = NULL;
  g_auto(GStrv) scopes = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint16 port = 0;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  set_string_property (self, &self->redirect_uri, bh_app_get_redirect_uri (app), PROP_REDIRECT_URI);
  if (!bh_oauth2_check_redirect_uri (self->redirect_uri, &port, &path, &error) ||
      (run->listener = bh_loopback_listener_new (port, path, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  run->verifier = bh_oauth2_pkce_verifier ();
  run->state = bh_oauth2_new_state ();
  challenge = bh_oauth2_pkce_challenge (run->verifier);
  scopes = effective_scopes (self);
  url = bh_oauth2_authorize_url (bh_app_get_api_host (app), bh_app_get_client_id (app), self->redirect_uri,
                                 (const char * const *) scopes, run->state, challenge);
  set_string_property (self, &self->authorize_url, url, PROP_AUTHORIZE_URL);

  run->wait_cancellable = g_cancellable_new ();
  run->flow_cancellable = g_object_ref (cancellable);
  run->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (flow_cancelled_cb),
                                             run->wait_cancellable, NULL);

  _bh_flow_set_state (flow, BH_FLOW_STATE_WAITING_FOR_BROWSER);
  if (self->open_browser)
    _bh_flow_launch_browser (flow, self->authorize_url, set_browser_error);

  bh_loopback_listener_wait_async (run->listener, run->state, self->timeout, run->wait_cancellable,
                                   waited_cb, task);
}

static void
client_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OAuth2Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->client_secret = bh_store_lookup_client_secret_finish (BH_STORE (object), result, &error);
  if (run->client_secret == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  wait_for_browser (g_steal_pointer (&task));
}

static void
bh_oauth2_flow_run (BhFlow *flow,
                    GTask  *task)
{
  BhApp *app = bh_flow_get_app (flow);
  OAuth2Run *run = g_new0 (OAuth2Run, 1);
  g_autoptr(GError) error = NULL;

  run->flow = g_object_ref (BH_OAUTH2_FLOW (flow));
  run->flow->run = run;
  g_task_set_task_data (task, run, (GDestroyNotify) oauth2_run_free);

  if (!bh_oauth2_check_client (app, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (!bh_app_get_has_client_secret (app))
    {
      wait_for_browser (task);
      return;
    }

  bh_store_lookup_client_secret_async (bh_flow_get_store (flow), app, g_task_get_cancellable (task),
                                       client_secret_cb, task);
}

static void
bh_oauth2_flow_class_init (BhOAuth2FlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BhFlowClass *flow_class = BH_FLOW_CLASS (klass);

  object_class->dispose = bh_oauth2_flow_dispose;
  object_class->finalize = bh_oauth2_flow_finalize;
  object_class->get_property = bh_oauth2_flow_get_property;
  object_class->set_property = bh_oauth2_flow_set_property;

  flow_class->run = bh_oauth2_flow_run;

  properties[PROP_SCOPES] =
    g_param_spec_boxed ("scopes", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_OFFLINE_ACCESS] =
    g_param_spec_boolean ("offline-access", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_OPEN_BROWSER] =
    g_param_spec_boolean ("open-browser", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_TIMEOUT_SECONDS,
                       (G_PARAM_READWRITE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_AUTHORIZE_URL] =
    g_param_spec_string ("authorize-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_REDIRECT_URI] =
    g_param_spec_string ("redirect-uri", NULL, NULL,
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
bh_oauth2_flow_init (BhOAuth2Flow *self)
{
  self->scopes = g_strsplit (BH_OAUTH2_DEFAULT_SCOPES, " ", -1);
  self->offline_access = TRUE;
  self->open_browser = TRUE;
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
}

/**
 * bh_oauth2_flow_new:
 * @store: the store the account goes to
 * @app: an App with a Client ID (and, for a confidential client, its
 *   Client Secret in the keyring)
 *
 * See bh-oauth2-flow.h for the states, options and errors.
 *
 * Returns: (transfer full): a new flow; set the options, then run it with
 *   bh_flow_run_async()
 */
BhOAuth2Flow *
bh_oauth2_flow_new (BhStore *store,
                    BhApp   *app)
{
  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_APP (app), NULL);

  return g_object_new (BH_TYPE_OAUTH2_FLOW,
                       "store", store,
                       "app", app,
                       NULL);
}

/**
 * bh_oauth2_flow_new_renewal:
 * @store: the store
 * @account: a stored account of one of @store's Apps
 *
 * The OAuth 2.0 flow that gives @account a new grant, with the scopes of
 * its last one: the second half of a rotation (after
 * bh_revoke_flow_new_for_grant_rotation()), or Authorize Again. The new
 * grant must be that user's, or nothing is stored; it replaces the old
 * one in the account's place, and the records say it was rotated.
 *
 * Returns: (transfer full): a new flow, to run with bh_flow_run_async()
 */
BhOAuth2Flow *
bh_oauth2_flow_new_renewal (BhStore   *store,
                            BhAccount *account)
{
  BhOAuth2Flow *self;
  const char *scopes;

  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (BH_IS_ACCOUNT (account), NULL);

  self = bh_oauth2_flow_new (store, bh_store_get_account_app (store, account));
  self->renews = g_object_ref (account);
  scopes = bh_account_get_oauth2_scopes (account);
  if (scopes != NULL && *scopes != '\0')
    {
      g_auto(GStrv) list = g_strsplit (scopes, " ", -1);

      bh_oauth2_flow_set_scopes (self, (const char * const *) list);
    }

  return self;
}

/**
 * bh_oauth2_flow_set_scopes:
 * @scopes: (nullable): the scopes to ask for; %NULL: the default ones
 */
void
bh_oauth2_flow_set_scopes (BhOAuth2Flow       *self,
                           const char * const *scopes)
{
  g_return_if_fail (BH_IS_OAUTH2_FLOW (self));

  g_strfreev (self->scopes);
  self->scopes = scopes != NULL ? g_strdupv ((char **) scopes) : g_strsplit (BH_OAUTH2_DEFAULT_SCOPES, " ", -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCOPES]);
}

/**
 * bh_oauth2_flow_get_scopes:
 *
 * Returns: (transfer none): the scopes chosen (without the offline.access
 *   that "offline-access" adds)
 */
const char * const *
bh_oauth2_flow_get_scopes (BhOAuth2Flow *self)
{
  g_return_val_if_fail (BH_IS_OAUTH2_FLOW (self), NULL);

  return (const char * const *) self->scopes;
}

/**
 * bh_oauth2_flow_get_authorize_url:
 *
 * Returns: (nullable): the authorize page, once WAITING_FOR_BROWSER
 */
const char *
bh_oauth2_flow_get_authorize_url (BhOAuth2Flow *self)
{
  g_return_val_if_fail (BH_IS_OAUTH2_FLOW (self), NULL);

  return self->authorize_url;
}

/**
 * bh_oauth2_flow_get_redirect_uri:
 *
 * Returns: (nullable): where X sends the browser back, once the run began
 */
const char *
bh_oauth2_flow_get_redirect_uri (BhOAuth2Flow *self)
{
  g_return_val_if_fail (BH_IS_OAUTH2_FLOW (self), NULL);

  return self->redirect_uri;
}

/**
 * bh_oauth2_flow_get_browser_error:
 *
 * Returns: (nullable): why the browser could not be opened
 */
const GError *
bh_oauth2_flow_get_browser_error (BhOAuth2Flow *self)
{
  g_return_val_if_fail (BH_IS_OAUTH2_FLOW (self), NULL);

  return self->browser_error;
}

/**
 * bh_oauth2_flow_get_account:
 *
 * Returns: (transfer none) (nullable): the stored account once DONE
 */
BhAccount *
bh_oauth2_flow_get_account (BhOAuth2Flow *self)
{
  g_return_val_if_fail (BH_IS_OAUTH2_FLOW (self), NULL);

  return self->account;
}

/**
 * bh_oauth2_flow_submit_redirect:
 * @redirect: the address the browser was sent to (pasted by the person)
 * @error: why it was not taken
 *
 * For a browser on another machine: continues a flow in
 * WAITING_FOR_BROWSER with the code in @redirect, as if the browser had
 * come back to the listener. A redirect with X's error=access_denied ends
 * the run with BH_OAUTH2_ERROR_ACCESS_DENIED.
 *
 * Returns: %TRUE when taken; %FALSE with @error when the flow is not
 *   waiting, or @redirect is not this authorization's
 *   (BH_OAUTH2_ERROR_STATE_MISMATCH: keep waiting) or not a redirect
 */
gboolean
bh_oauth2_flow_submit_redirect (BhOAuth2Flow  *self,
                                const char    *redirect,
                                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BhSecret) code = NULL;
  OAuth2Run *run;

  g_return_val_if_fail (BH_IS_OAUTH2_FLOW (self), FALSE);
  g_return_val_if_fail (redirect != NULL, FALSE);

  run = self->run;
  if (run == NULL || bh_flow_get_state (BH_FLOW (self)) != BH_FLOW_STATE_WAITING_FOR_BROWSER || run->listener == NULL || run->code != NULL || run->pasted_error != NULL ||
      g_cancellable_is_cancelled (run->wait_cancellable))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("Birdhouse is not waiting for an authorization. Start it again."));
      return FALSE;
    }

  code = bh_oauth2_parse_redirect (redirect, run->state, &local_error);
  if (code == NULL)
    {
      if (!g_error_matches (local_error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_ACCESS_DENIED) &&
          !g_error_matches (local_error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_REFUSED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* X's answer for this authorization: it ends the run. */
      run->pasted_error = g_steal_pointer (&local_error);
    }
  else
    run->code = g_steal_pointer (&code);

  g_cancellable_cancel (run->wait_cancellable);
  return TRUE;
}

/**
 * bh_oauth2_flow_open_browser:
 *
 * Opens the authorize page in the system browser again. Failures land in
 * "browser-error".
 */
void
bh_oauth2_flow_open_browser (BhOAuth2Flow *self)
{
  g_return_if_fail (BH_IS_OAUTH2_FLOW (self));

  _bh_flow_launch_browser (BH_FLOW (self), self->authorize_url, set_browser_error);
}
