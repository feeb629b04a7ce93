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

#include "bh-oauth2.h"
#include "bh-types.h"
#include "bh-x-auth.h"
#include "bh-x-response.h"
#include "bh-x-url.h"

G_BEGIN_DECLS

/* Each public function is described where it is defined: the object and
 * the request pipeline in bh-x-client.c, the endpoints in
 * bh-x-endpoints.c, answers in bh-x-response.c, URL rules in bh-x-url.c,
 * Authorization headers in bh-x-auth.c. */

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

BhXClient   *bh_x_client_new              (const char   *api_host,
                                           GError      **error);
const char  *bh_x_client_get_api_host     (BhXClient    *self);
void         bh_x_client_set_timeout      (BhXClient    *self,
                                           guint         seconds);
void         bh_x_client_set_deadline     (BhXClient    *self,
                                           guint         seconds);
guint        bh_x_client_get_deadline     (BhXClient    *self);
gint64       bh_x_client_get_clock_offset (BhXClient    *self);
void         bh_x_client_set_clock_offset (BhXClient    *self,
                                           gint64        seconds);
gboolean     bh_x_client_get_clock_skew   (BhXClient    *self,
                                           gint64       *skew);

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

char         *bh_x_client_authorize_url         (BhXClient           *self,
                                                 const char          *request_token,
                                                 gboolean             force_login,
                                                 const char          *screen_name);

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

void          bh_x_client_verify_credentials_async  (BhXClient           *self,
                                                     const BhAuth        *auth,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
BhXIdentity  *bh_x_client_verify_credentials_finish (BhXClient           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

void          bh_x_client_users_me_async        (BhXClient           *self,
                                                 const BhAuth        *auth,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
BhXIdentity  *bh_x_client_users_me_finish       (BhXClient           *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void          bh_x_client_bearer_token_async    (BhXClient           *self,
                                                 const char          *consumer_key,
                                                 const char          *consumer_secret,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
char         *bh_x_client_bearer_token_finish   (BhXClient           *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void          bh_x_client_invalidate_bearer_async  (BhXClient           *self,
                                                    const BhAuth        *auth,
                                                    const char          *bearer,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean      bh_x_client_invalidate_bearer_finish (BhXClient           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void          bh_x_client_invalidate_token_async   (BhXClient           *self,
                                                    const BhAuth        *auth,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean      bh_x_client_invalidate_token_finish  (BhXClient           *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void           bh_x_client_oauth2_exchange_code_async  (BhXClient           *self,
                                                        const char          *client_id,
                                                        const char          *client_secret,
                                                        const char          *code,
                                                        const char          *redirect_uri,
                                                        const char          *code_verifier,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BhOAuth2Grant *bh_x_client_oauth2_exchange_code_finish (BhXClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void           bh_x_client_oauth2_refresh_async        (BhXClient           *self,
                                                        const char          *client_id,
                                                        const char          *client_secret,
                                                        const char          *refresh_token,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BhOAuth2Grant *bh_x_client_oauth2_refresh_finish       (BhXClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void           bh_x_client_oauth2_revoke_async         (BhXClient           *self,
                                                        const char          *client_id,
                                                        const char          *client_secret,
                                                        const char          *token,
                                                        const char          *token_type_hint,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean       bh_x_client_oauth2_revoke_finish        (BhXClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void           bh_x_client_oauth2_check_client_async   (BhXClient           *self,
                                                        const char          *client_id,
                                                        const char          *client_secret,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean       bh_x_client_oauth2_check_client_finish  (BhXClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
