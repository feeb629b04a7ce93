/* bh-x-client.h
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

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bh-types.h"

G_BEGIN_DECLS

/**
 * BhAuthMode:
 * @BH_AUTH_NONE: no Authorization header
 * @BH_AUTH_OAUTH1_CONSUMER: OAuth 1.0a signed with the consumer key only
 * @BH_AUTH_OAUTH1_USER: OAuth 1.0a with consumer key and access token
 * @BH_AUTH_BEARER: `Authorization: Bearer <bearer>`
 * @BH_AUTH_BASIC: HTTP Basic with the consumer key and secret (client
 *   credentials, for oauth2/token)
 */
typedef enum
{
  BH_AUTH_NONE,
  BH_AUTH_OAUTH1_CONSUMER,
  BH_AUTH_OAUTH1_USER,
  BH_AUTH_BEARER,
  BH_AUTH_BASIC,
} BhAuthMode;

/* Credentials for one request. The client copies what it needs (and wipes
 * its copies), so these may be freed once the _async call returns.
 *
 * @nonce, @timestamp and @explain were added after the first contract, at
 * the end (backward compatible: a zeroed or designated-initialized BhAuth
 * behaves as before). They apply to the OAuth 1.0a modes only; the other
 * modes sign nothing and ignore them. */
typedef struct
{
  BhAuthMode  mode;
  const char *consumer_key;
  const char *consumer_secret;
  const char *token;
  const char *token_secret;
  const char *bearer;
  const char *nonce;      /* this oauth_nonce; NULL: a fresh random one */
  gint64      timestamp;  /* this oauth_timestamp, used as is (seconds since
                           * the epoch); 0: now plus the client's clock offset */
  gboolean    explain;    /* fill the response's signed_param_string and
                           * signed_base_string */
} BhAuth;

/**
 * BhXResponse:
 *
 * What X answered. The body may hold secrets (a token endpoint's answer):
 * it is wiped when the response is freed.
 */
typedef struct
{
  guint        status;
  char        *reason;
  char        *content_type;   /* nullable, without parameters */
  GBytes      *body;           /* never NULL (maybe empty) */
  GPtrArray   *headers;        /* BhParam (name, value) in order received */
  GPtrArray   *form;           /* BhParams when the body parses as a form, else NULL */
  JsonNode    *json;           /* when the body parses as JSON, else NULL */
  gint64       rate_limit_limit;      /* -1 when absent */
  gint64       rate_limit_remaining;  /* -1 when absent */
  gint64       rate_limit_reset;      /* seconds since the epoch, 0 when absent */
  char        *access_level;          /* x-access-level, or NULL */
  gboolean     have_clock_skew;
  gint64       clock_skew;            /* server Date minus local clock, seconds */
  /* Added after the first contract (backward compatible). With
   * BhAuth.explain and an OAuth 1.0a mode: the normalized parameter string
   * and the signature base string this request was signed with; else NULL.
   * They hold no secret (only the consumer key and token, which travel in
   * clear in the header), so they may be shown to a person. */
  char        *signed_param_string;
  char        *signed_base_string;
  /* Added after the first contract (backward compatible): how the request
   * was authenticated, so that bh_x_response_check() can tell a refused
   * bearer token from other refusals. */
  BhAuthMode   auth_mode;
} BhXResponse;

void         bh_x_response_free      (BhXResponse *response);
BhXResponse *bh_x_response_copy      (const BhXResponse *response);
GType        bh_x_response_get_type  (void) G_GNUC_CONST;
/* FALSE and a BH_X_ERROR unless 2xx (bh_x_error_from_step_response; a
 * request made with a bearer token is BH_X_STEP_BEARER_REQUEST). */
gboolean     bh_x_response_check     (const BhXResponse *response,
                                      GError           **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhXResponse, bh_x_response_free)

/**
 * BhXIdentity:
 *
 * Who an access token belongs to, from verify_credentials or 2/users/me,
 * with the access level and rate-limit figures of that answer.
 */
typedef struct
{
  char   *user_id;
  char   *screen_name;
  char   *name;
  char   *access_level;          /* "read", "read-write", "read-write-directmessages" or NULL */
  gint64  rate_limit_limit;
  gint64  rate_limit_remaining;
  gint64  rate_limit_reset;
} BhXIdentity;

void         bh_x_identity_free      (BhXIdentity *identity);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhXIdentity, bh_x_identity_free)

/**
 * BhXTokenPair:
 *
 * A token and its secret (request token or access token). For an access
 * token, @user_id and @screen_name are what X returned with it. Both
 * secrets are wiped when freed.
 */
typedef struct
{
  char *token;
  char *token_secret;
  char *user_id;
  char *screen_name;
} BhXTokenPair;

void          bh_x_token_pair_free   (BhXTokenPair *pair);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhXTokenPair, bh_x_token_pair_free)

#define BH_TYPE_X_CLIENT (bh_x_client_get_type ())
G_DECLARE_FINAL_TYPE (BhXClient, bh_x_client, BH, X_CLIENT, GObject)

/**
 * bh_x_client_new:
 * @api_host: e.g. "https://api.x.com"; `http://` only for loopback hosts
 * @error: BH_X_ERROR_INVALID_URL or BH_X_ERROR_INSECURE_URL
 *
 * One SoupSession with a user agent and a timeout; TLS certificate checks
 * are never disabled.
 */
BhXClient   *bh_x_client_new              (const char   *api_host,
                                           GError      **error);
const char  *bh_x_client_get_api_host     (BhXClient    *self);
/* Seconds; default 30. */
void         bh_x_client_set_timeout      (BhXClient    *self,
                                           guint         seconds);
/* Seconds one request may take from start to the last byte of the
 * answer, however slowly the bytes come; 0 for no limit; default 60.
 * Property "deadline". */
void         bh_x_client_set_deadline     (BhXClient    *self,
                                           guint         seconds);
guint        bh_x_client_get_deadline     (BhXClient    *self);
/* Seconds added to the local clock when signing. The client sets it by
 * itself from the server's Date header when X answers 135, or when the
 * difference exceeds five minutes; property "clock-offset" notifies. */
gint64       bh_x_client_get_clock_offset (BhXClient    *self);
void         bh_x_client_set_clock_offset (BhXClient    *self,
                                           gint64        seconds);
/* The last measured server-minus-local difference, and whether there is one. */
gboolean     bh_x_client_get_clock_skew   (BhXClient    *self,
                                           gint64       *skew);

/* Checks that @url is absolute https, or http to a loopback address. */
gboolean     bh_x_check_url               (const char   *url,
                                           GError      **error);

/* Added after the first contract (backward compatible): the value of the
 * Authorization header for HTTP Basic client credentials,
 * "Basic base64(enc(key):enc(secret))" (see bh-x-client.c for the
 * encoding). A secret: free with bh_secret_free(). */
char        *bh_x_basic_authorization     (const char   *consumer_key,
                                           const char   *consumer_secret);

/**
 * bh_x_client_request_async:
 * @url: absolute, or a path relative to the API host ("1.1/…")
 * @params: (nullable): decoded BhParams: query for GET/DELETE, form body
 *   for POST/PUT
 * @oauth_extra: (nullable): extra oauth_* parameters to sign
 * @auth: (nullable): who signs; its nonce, timestamp and explain fields
 *   fix the signature and report it in the response
 *
 * Performs one request. Finishes with a response for any HTTP status but
 * a redirect; errors are for transport failures, refused URLs,
 * cancellation, the deadline (BH_X_ERROR_TIMEOUT) and redirects
 * (BH_X_ERROR_REDIRECTED: credentials never follow one, and the message
 * names the host X pointed to, never its path or query).
 *
 * Requests to loopback addresses never go through a proxy; other hosts
 * use the desktop's proxy settings (g_proxy_resolver_get_default()).
 */
void         bh_x_client_request_async    (BhXClient           *self,
                                           const char          *method,
                                           const char          *url,
                                           GPtrArray           *params,
                                           GPtrArray           *oauth_extra,
                                           const BhAuth        *auth,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
BhXResponse *bh_x_client_request_finish   (BhXClient           *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* POST oauth/request_token, oauth_callback=oob; @access_type NULL, "read"
 * or "write" (x_auth_access_type). Fails with CALLBACK_NOT_CONFIRMED when
 * oauth_callback_confirmed is not "true", MALFORMED without a token. */
void          bh_x_client_request_token_async   (BhXClient           *self,
                                                 const char          *consumer_key,
                                                 const char          *consumer_secret,
                                                 const char          *access_type,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
BhXTokenPair *bh_x_client_request_token_finish  (BhXClient           *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* The authorize page URL for a request token (no I/O). */
char         *bh_x_client_authorize_url         (BhXClient           *self,
                                                 const char          *request_token,
                                                 gboolean             force_login,
                                                 const char          *screen_name);

/* POST oauth/access_token with oauth_verifier = @pin. Any 401 is the PIN,
 * whatever the body: BH_X_ERROR_INVALID_PIN (refused or expired), or
 * BH_X_ERROR_INVALID_REQUEST_TOKEN when X says the request token is
 * unknown, used or expired (its plain-text answer, or code 89). */
void          bh_x_client_access_token_async    (BhXClient           *self,
                                                 const char          *consumer_key,
                                                 const char          *consumer_secret,
                                                 const BhXTokenPair  *request_token,
                                                 const char          *pin,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
BhXTokenPair *bh_x_client_access_token_finish   (BhXClient           *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* GET 1.1/account/verify_credentials.json (user OAuth 1.0a). */
void          bh_x_client_verify_credentials_async  (BhXClient           *self,
                                                     const BhAuth        *auth,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
BhXIdentity  *bh_x_client_verify_credentials_finish (BhXClient           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* GET 2/users/me (user OAuth 1.0a). */
void          bh_x_client_users_me_async        (BhXClient           *self,
                                                 const BhAuth        *auth,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
BhXIdentity  *bh_x_client_users_me_finish       (BhXClient           *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* POST oauth2/token, grant_type=client_credentials, HTTP Basic. Returns
 * the bearer token (a secret: free with bh_secret_free()). */
void          bh_x_client_bearer_token_async    (BhXClient           *self,
                                                 const char          *consumer_key,
                                                 const char          *consumer_secret,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
char         *bh_x_client_bearer_token_finish   (BhXClient           *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* POST oauth2/invalidate_token with access_token=@bearer in the form body
 * and, as X's older documents show it, in the query too. @auth is
 * BH_AUTH_OAUTH1_USER (what X documents today: the App's keys and an
 * account's token) or BH_AUTH_BASIC (the older documented form). */
void          bh_x_client_invalidate_bearer_async  (BhXClient           *self,
                                                    const BhAuth        *auth,
                                                    const char          *bearer,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean      bh_x_client_invalidate_bearer_finish (BhXClient           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* POST 1.1/oauth/invalidate_token for the user token in @auth. */
void          bh_x_client_invalidate_token_async   (BhXClient           *self,
                                                    const BhAuth        *auth,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean      bh_x_client_invalidate_token_finish  (BhXClient           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
