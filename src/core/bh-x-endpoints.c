/* bh-x-endpoints.c
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

#include "bh-x-client.h"

#include "bh-oauth1.h"
#include "bh-oauth2.h"
#include "bh-secret.h"
#include "bh-x-client-private.h"
#include "bh-x-error.h"

/* Endpoints: each sends one request with bh_x_client_request_async(),
 * checks the status and reads the answer; the outer task carries the
 * endpoint's own result. */

typedef gpointer (*ParseFunc) (const BhXResponse  *response,
                               GError            **error);

typedef struct
{
  ParseFunc      parse;        /* NULL: any 2xx answer is success */
  GDestroyNotify free_result;
  BhXStep        step;
} Endpoint;

static void
endpoint_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const Endpoint *endpoint = g_task_get_task_data (task);
  g_autoptr(BhXResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  gpointer value;

  response = bh_x_client_request_finish (BH_X_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (response->status < 200 || response->status >= 300)
    {
      g_task_return_error (task,
                           bh_x_error_from_step_response (endpoint->step,
                                                          response->status,
                                                          response->body,
                                                          response->rate_limit_reset,
                                                          response->clock_skew,
                                                          response->have_clock_skew));
      return;
    }

  if (endpoint->parse == NULL)
    {
      g_task_return_pointer (task, GINT_TO_POINTER (TRUE), NULL);
      return;
    }

  value = endpoint->parse (response, &error);
  if (value == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, value, endpoint->free_result);
}

static void
endpoint_call (BhXClient           *self,
               gpointer             source_tag,
               const Endpoint      *endpoint,
               const char          *method,
               const char          *url,
               GPtrArray           *params,
               GPtrArray           *oauth_extra,
               const BhAuth        *auth,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) endpoint, NULL);
  g_task_set_check_cancellable (task, FALSE);

  bh_x_client_request_async (self, method, url, params, oauth_extra, auth,
                             cancellable, endpoint_cb, g_steal_pointer (&task));
}

static gpointer
endpoint_finish (BhXClient     *self,
                 GAsyncResult  *result,
                 gpointer       source_tag,
                 GError       **error)
{
  g_return_val_if_fail (BH_IS_X_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* oauth/request_token */

static const Endpoint request_token_endpoint = {
  (ParseFunc) _bh_x_parse_request_token, (GDestroyNotify) bh_x_token_pair_free,
  BH_X_STEP_REQUEST_TOKEN,
};

/**
 * bh_x_client_request_token_async:
 * @self: a client
 * @consumer_key: the API key
 * @consumer_secret: the API key secret
 * @access_type: (nullable): NULL, "read" or "write" (x_auth_access_type)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * POST oauth/request_token with oauth_callback=oob.
 */
void
bh_x_client_request_token_async (BhXClient           *self,
                                 const char          *consumer_key,
                                 const char          *consumer_secret,
                                 const char          *access_type,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GPtrArray) extra = bh_params_new ();
  g_autofree char *url = NULL;
  BhAuth auth = {
    .mode = BH_AUTH_OAUTH1_CONSUMER,
    .consumer_key = consumer_key,
    .consumer_secret = consumer_secret,
  };

  g_return_if_fail (BH_IS_X_CLIENT (self));

  bh_params_add (extra, "oauth_callback", "oob");

  /* X reads x_auth_access_type from the query of the signed request. */
  if (access_type != NULL)
    {
      g_autofree char *encoded = bh_oauth1_percent_encode (access_type);

      url = g_strconcat ("oauth/request_token?x_auth_access_type=", encoded, NULL);
    }
  else
    {
      url = g_strdup ("oauth/request_token");
    }

  endpoint_call (self, bh_x_client_request_token_async, &request_token_endpoint,
                 "POST", url, NULL, extra, &auth,
                 cancellable, callback, user_data);
}

/**
 * bh_x_client_request_token_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: BH_X_ERROR_CALLBACK_NOT_CONFIRMED when oauth_callback_confirmed
 *   is not "true", BH_X_ERROR_MALFORMED without a token, or any error of
 *   the request
 *
 * Returns: (transfer full) (nullable): the request token
 */
BhXTokenPair *
bh_x_client_request_token_finish (BhXClient     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_request_token_async, error);
}

/**
 * bh_x_client_authorize_url:
 * @self: a client
 * @request_token: the request token (not a secret: X puts it in this URL
 *   itself)
 * @force_login: ask X to sign in again, as any account
 * @screen_name: (nullable): the account to prefill, with or without '@'
 *
 * The authorize page for a request token; no I/O.
 *
 * Returns: (transfer full): `<api host>/oauth/authorize?oauth_token=…`
 */
char *
bh_x_client_authorize_url (BhXClient  *self,
                           const char *request_token,
                           gboolean    force_login,
                           const char *screen_name)
{
  g_autofree char *token = NULL;
  GString *url;

  g_return_val_if_fail (BH_IS_X_CLIENT (self), NULL);
  g_return_val_if_fail (request_token != NULL, NULL);

  token = bh_oauth1_percent_encode (request_token);
  url = g_string_new (bh_x_client_get_api_host (self));
  g_string_append (url, "/oauth/authorize?oauth_token=");
  g_string_append (url, token);

  if (force_login)
    g_string_append (url, "&force_login=true");

  if (screen_name != NULL && *screen_name != '\0')
    {
      g_autofree char *name = NULL;

      if (screen_name[0] == '@')
        screen_name++;
      name = bh_oauth1_percent_encode (screen_name);
      g_string_append (url, "&screen_name=");
      g_string_append (url, name);
    }

  return g_string_free (url, FALSE);
}

/* oauth/access_token */

static const Endpoint access_token_endpoint = {
  (ParseFunc) _bh_x_parse_access_token, (GDestroyNotify) bh_x_token_pair_free,
  BH_X_STEP_ACCESS_TOKEN,
};

/**
 * bh_x_client_access_token_async:
 * @self: a client
 * @consumer_key: the API key
 * @consumer_secret: the API key secret
 * @request_token: the request token the PIN was given for
 * @pin: (nullable): the PIN (oauth_verifier)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * POST oauth/access_token with oauth_verifier = @pin.
 */
void
bh_x_client_access_token_async (BhXClient           *self,
                                const char          *consumer_key,
                                const char          *consumer_secret,
                                const BhXTokenPair  *request_token,
                                const char          *pin,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GPtrArray) extra = bh_params_new ();
  BhAuth auth = {
    .mode = BH_AUTH_OAUTH1_USER,
    .consumer_key = consumer_key,
    .consumer_secret = consumer_secret,
  };

  g_return_if_fail (BH_IS_X_CLIENT (self));
  g_return_if_fail (request_token != NULL);

  auth.token = request_token->token;
  auth.token_secret = request_token->token_secret != NULL ? request_token->token_secret : "";
  bh_params_add (extra, "oauth_verifier", pin != NULL ? pin : "");

  endpoint_call (self, bh_x_client_access_token_async, &access_token_endpoint,
                 "POST", "oauth/access_token", NULL, extra, &auth,
                 cancellable, callback, user_data);
}

/**
 * bh_x_client_access_token_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: any 401 is the PIN, whatever the body: BH_X_ERROR_INVALID_PIN
 *   (refused or expired), or BH_X_ERROR_INVALID_REQUEST_TOKEN when X says
 *   the request token is unknown, used or expired (its plain-text answer,
 *   or code 89)
 *
 * Returns: (transfer full) (nullable): the access token
 */
BhXTokenPair *
bh_x_client_access_token_finish (BhXClient     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_access_token_async, error);
}

static const Endpoint verify_credentials_endpoint = {
  (ParseFunc) _bh_x_parse_verify_credentials, (GDestroyNotify) bh_x_identity_free,
  BH_X_STEP_VERIFY,
};

/**
 * bh_x_client_verify_credentials_async:
 * @self: a client
 * @auth: a user's OAuth 1.0a credentials
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * GET 1.1/account/verify_credentials.json.
 */
void
bh_x_client_verify_credentials_async (BhXClient           *self,
                                      const BhAuth        *auth,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GPtrArray) params = bh_params_new ();

  g_return_if_fail (BH_IS_X_CLIENT (self));

  /* Only the identity is wanted, not the latest post. */
  bh_params_add (params, "skip_status", "true");

  endpoint_call (self, bh_x_client_verify_credentials_async, &verify_credentials_endpoint,
                 "GET", "1.1/account/verify_credentials.json", params, NULL, auth,
                 cancellable, callback, user_data);
}

/**
 * bh_x_client_verify_credentials_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: a BH_X_ERROR
 *
 * Returns: (transfer full) (nullable): who the token belongs to
 */
BhXIdentity *
bh_x_client_verify_credentials_finish (BhXClient     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_verify_credentials_async, error);
}

static const Endpoint users_me_endpoint = {
  (ParseFunc) _bh_x_parse_users_me, (GDestroyNotify) bh_x_identity_free, BH_X_STEP_VERIFY,
};

/**
 * bh_x_client_users_me_async:
 * @self: a client
 * @auth: a user's OAuth 1.0a credentials
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * GET 2/users/me.
 */
void
bh_x_client_users_me_async (BhXClient           *self,
                            const BhAuth        *auth,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BH_IS_X_CLIENT (self));

  endpoint_call (self, bh_x_client_users_me_async, &users_me_endpoint,
                 "GET", "2/users/me", NULL, NULL, auth,
                 cancellable, callback, user_data);
}

/**
 * bh_x_client_users_me_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: a BH_X_ERROR
 *
 * Returns: (transfer full) (nullable): who the token belongs to
 */
BhXIdentity *
bh_x_client_users_me_finish (BhXClient     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_users_me_async, error);
}

/* oauth2/token */

static const Endpoint bearer_token_endpoint = {
  (ParseFunc) _bh_x_parse_bearer_token, (GDestroyNotify) bh_secret_free, BH_X_STEP_BEARER_TOKEN,
};

/**
 * bh_x_client_bearer_token_async:
 * @self: a client
 * @consumer_key: the API key
 * @consumer_secret: the API key secret
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * POST oauth2/token, grant_type=client_credentials, with HTTP Basic.
 */
void
bh_x_client_bearer_token_async (BhXClient           *self,
                                const char          *consumer_key,
                                const char          *consumer_secret,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GPtrArray) params = bh_params_new ();
  BhAuth auth = {
    .mode = BH_AUTH_BASIC,
    .consumer_key = consumer_key,
    .consumer_secret = consumer_secret,
  };

  g_return_if_fail (BH_IS_X_CLIENT (self));

  bh_params_add (params, "grant_type", "client_credentials");

  endpoint_call (self, bh_x_client_bearer_token_async, &bearer_token_endpoint,
                 "POST", "oauth2/token", params, NULL, &auth,
                 cancellable, callback, user_data);
}

/**
 * bh_x_client_bearer_token_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: a BH_X_ERROR
 *
 * Returns: (transfer full) (nullable): the bearer token, to free with
 *   bh_secret_free()
 */
char *
bh_x_client_bearer_token_finish (BhXClient     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_bearer_token_async, error);
}

/* Invalidation: any 2xx answer is success. */

static const Endpoint invalidate_bearer_endpoint = {
  NULL, NULL, BH_X_STEP_INVALIDATE_BEARER,
};

static const Endpoint invalidate_token_endpoint = {
  NULL, NULL, BH_X_STEP_INVALIDATE_TOKEN,
};

/**
 * bh_x_client_invalidate_bearer_async:
 * @self: a client
 * @auth: %BH_AUTH_OAUTH1_USER (what X documents today: the App's keys and
 *   an account's token) or %BH_AUTH_BASIC (the older documented form)
 * @bearer: the bearer token to invalidate
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * POST oauth2/invalidate_token with access_token=@bearer in the form body
 * and, as X's older documents show it, in the query too.
 */
void
bh_x_client_invalidate_bearer_async (BhXClient           *self,
                                     const BhAuth        *auth,
                                     const char          *bearer,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(BhSecret) encoded = NULL;
  g_autoptr(BhSecret) url = NULL;
  g_autoptr(GPtrArray) params = bh_params_new ();

  g_return_if_fail (BH_IS_X_CLIENT (self));
  g_return_if_fail (bearer != NULL);

  /* X's documents show access_token both in the form body and in the
   * query; a server may read only one of them, so it goes in both (and is
   * signed in both). X's bearers already contain %2B and %3D, which must
   * stay literal, so the '%' itself is encoded. The path alone is ever
   * logged. */
  encoded = bh_oauth1_percent_encode (bearer);
  url = g_strconcat ("oauth2/invalidate_token?access_token=", encoded, NULL);
  bh_params_add (params, "access_token", bearer);

  endpoint_call (self, bh_x_client_invalidate_bearer_async, &invalidate_bearer_endpoint,
                 "POST", url, params, NULL, auth,
                 cancellable, callback, user_data);
}

/**
 * bh_x_client_invalidate_bearer_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: a BH_X_ERROR
 *
 * Returns: %TRUE when X answered 2xx
 */
gboolean
bh_x_client_invalidate_bearer_finish (BhXClient     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_invalidate_bearer_async, error) != NULL;
}

/**
 * bh_x_client_invalidate_token_async:
 * @self: a client
 * @auth: the user token to invalidate, with the App's keys
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * POST 1.1/oauth/invalidate_token.
 */
void
bh_x_client_invalidate_token_async (BhXClient           *self,
                                    const BhAuth        *auth,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (BH_IS_X_CLIENT (self));

  endpoint_call (self, bh_x_client_invalidate_token_async, &invalidate_token_endpoint,
                 "POST", "1.1/oauth/invalidate_token", NULL, NULL, auth,
                 cancellable, callback, user_data);
}

/**
 * bh_x_client_invalidate_token_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: a BH_X_ERROR
 *
 * Returns: %TRUE when X answered 2xx
 */
gboolean
bh_x_client_invalidate_token_finish (BhXClient     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_invalidate_token_async, error) != NULL;
}

/* OAuth 2.0 user context: 2/oauth2/token and 2/oauth2/revoke. A
 * confidential client (with a Client Secret) authenticates with HTTP
 * Basic, as X requires; a public one names itself in the body (RFC 6749
 * §2.3.1, §3.2.1). */

static const Endpoint oauth2_code_endpoint = {
  (ParseFunc) _bh_x_parse_oauth2_grant, (GDestroyNotify) bh_oauth2_grant_free, BH_X_STEP_OAUTH2_CODE,
};

static const Endpoint oauth2_refresh_endpoint = {
  (ParseFunc) _bh_x_parse_oauth2_grant, (GDestroyNotify) bh_oauth2_grant_free, BH_X_STEP_OAUTH2_REFRESH,
};

static const Endpoint oauth2_revoke_endpoint = {
  NULL, NULL, BH_X_STEP_OAUTH2_REVOKE,
};

static void
oauth2_call (BhXClient           *self,
             gpointer             source_tag,
             const Endpoint      *endpoint,
             const char          *path,
             const char          *client_id,
             const char          *client_secret,
             GPtrArray           *params,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  BhAuth auth = { .mode = BH_AUTH_NONE };

  if (client_secret != NULL && *client_secret != '\0')
    {
      auth.mode = BH_AUTH_BASIC;
      auth.consumer_key = client_id;
      auth.consumer_secret = client_secret;
    }
  else
    bh_params_add (params, "client_id", client_id);

  endpoint_call (self, source_tag, endpoint, "POST", path, params, NULL, &auth,
                 cancellable, callback, user_data);
}

/**
 * bh_x_client_oauth2_exchange_code_async:
 * @self: a client
 * @client_id: the App's OAuth 2.0 Client ID
 * @client_secret: (nullable): its Client Secret, %NULL for a public client
 * @code: the authorization code from the redirect
 * @redirect_uri: the redirect URI sent to the authorize page
 * @code_verifier: the PKCE verifier whose challenge was sent
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * POST 2/oauth2/token, grant_type=authorization_code.
 */
void
bh_x_client_oauth2_exchange_code_async (BhXClient           *self,
                                        const char          *client_id,
                                        const char          *client_secret,
                                        const char          *code,
                                        const char          *redirect_uri,
                                        const char          *code_verifier,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GPtrArray) params = bh_params_new ();

  g_return_if_fail (BH_IS_X_CLIENT (self));
  g_return_if_fail (client_id != NULL && code != NULL && redirect_uri != NULL && code_verifier != NULL);

  bh_params_add (params, "grant_type", "authorization_code");
  bh_params_add (params, "code", code);
  bh_params_add (params, "redirect_uri", redirect_uri);
  bh_params_add (params, "code_verifier", code_verifier);
  oauth2_call (self, bh_x_client_oauth2_exchange_code_async, &oauth2_code_endpoint, "2/oauth2/token",
               client_id, client_secret, params, cancellable, callback, user_data);
}

/**
 * bh_x_client_oauth2_exchange_code_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: a BH_X_ERROR: BH_X_ERROR_OAUTH2_GRANT_REFUSED for a code X
 *   refused, BH_X_ERROR_OAUTH2_CLIENT for the client's credentials
 *
 * Returns: (transfer full) (nullable): the grant
 */
BhOAuth2Grant *
bh_x_client_oauth2_exchange_code_finish (BhXClient     *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_oauth2_exchange_code_async, error);
}

/**
 * bh_x_client_oauth2_refresh_async:
 * @self: a client
 * @client_id: the App's OAuth 2.0 Client ID
 * @client_secret: (nullable): its Client Secret, %NULL for a public client
 * @refresh_token: the grant's refresh token, spent by this call
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * POST 2/oauth2/token, grant_type=refresh_token. X rotates refresh
 * tokens: store the answer's before forgetting this one.
 */
void
bh_x_client_oauth2_refresh_async (BhXClient           *self,
                                  const char          *client_id,
                                  const char          *client_secret,
                                  const char          *refresh_token,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GPtrArray) params = bh_params_new ();

  g_return_if_fail (BH_IS_X_CLIENT (self));
  g_return_if_fail (client_id != NULL && refresh_token != NULL);

  bh_params_add (params, "grant_type", "refresh_token");
  bh_params_add (params, "refresh_token", refresh_token);
  oauth2_call (self, bh_x_client_oauth2_refresh_async, &oauth2_refresh_endpoint, "2/oauth2/token",
               client_id, client_secret, params, cancellable, callback, user_data);
}

/**
 * bh_x_client_oauth2_refresh_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: a BH_X_ERROR: BH_X_ERROR_OAUTH2_GRANT_REFUSED when X no longer
 *   accepts the grant (revoked, or its refresh token already spent)
 *
 * Returns: (transfer full) (nullable): the new grant
 */
BhOAuth2Grant *
bh_x_client_oauth2_refresh_finish (BhXClient     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_oauth2_refresh_async, error);
}

/**
 * bh_x_client_oauth2_revoke_async:
 * @self: a client
 * @client_id: the App's OAuth 2.0 Client ID
 * @client_secret: (nullable): its Client Secret, %NULL for a public client
 * @token: an access or refresh token
 * @token_type_hint: (nullable): "access_token" or "refresh_token"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * POST 2/oauth2/revoke (RFC 7009): X answers 200 also for a token it no
 * longer knows.
 */
void
bh_x_client_oauth2_revoke_async (BhXClient           *self,
                                 const char          *client_id,
                                 const char          *client_secret,
                                 const char          *token,
                                 const char          *token_type_hint,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GPtrArray) params = bh_params_new ();

  g_return_if_fail (BH_IS_X_CLIENT (self));
  g_return_if_fail (client_id != NULL && token != NULL);

  bh_params_add (params, "token", token);
  if (token_type_hint != NULL)
    bh_params_add (params, "token_type_hint", token_type_hint);
  oauth2_call (self, bh_x_client_oauth2_revoke_async, &oauth2_revoke_endpoint, "2/oauth2/revoke",
               client_id, client_secret, params, cancellable, callback, user_data);
}

/**
 * bh_x_client_oauth2_revoke_finish:
 * @self: a client
 * @result: the result given to the callback
 * @error: a BH_X_ERROR
 *
 * Returns: %TRUE when X revoked the token (or no longer knew it)
 */
gboolean
bh_x_client_oauth2_revoke_finish (BhXClient     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_oauth2_revoke_async, error) != NULL;
}

/**
 * bh_x_client_oauth2_check_client_async:
 * @self: a client
 * @client_id: the App's OAuth 2.0 Client ID
 * @client_secret: its Client Secret (a confidential client)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Proves a Client ID and Client Secret with X without changing anything
 * there: revokes a token that does not exist. X answers 200 for an
 * unknown token and 401 for a client it refuses (RFC 7009 §2.2).
 */
void
bh_x_client_oauth2_check_client_async (BhXClient           *self,
                                       const char          *client_id,
                                       const char          *client_secret,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (client_secret != NULL);

  bh_x_client_oauth2_revoke_async (self, client_id, client_secret, "birdhouse-client-check", "access_token",
                                   cancellable, callback, user_data);
}

/**
 * bh_x_client_oauth2_check_client_finish:
 * @error: a BH_X_ERROR: BH_X_ERROR_OAUTH2_CLIENT when X refused the client
 *
 * Returns: %TRUE when X accepted the Client ID and Client Secret
 */
gboolean
bh_x_client_oauth2_check_client_finish (BhXClient     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return bh_x_client_oauth2_revoke_finish (self, result, error);
}
