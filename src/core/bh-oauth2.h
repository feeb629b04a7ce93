/* bh-oauth2.h
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

#include <glib.h>

#include "bh-secret.h"

G_BEGIN_DECLS

/*
 * OAuth 2.0 user context as X runs it: the Authorization Code grant with
 * PKCE (RFC 6749 §4.1, RFC 7636) for a native App with a loopback redirect
 * (RFC 8252 §7.3). Pure functions: no I/O; randomness from gnutls_rnd().
 */

#define BH_OAUTH2_ERROR (bh_oauth2_error_quark ())

/**
 * BhOAuth2Error:
 * @BH_OAUTH2_ERROR_ACCESS_DENIED: the person pressed Cancel at X
 * @BH_OAUTH2_ERROR_STATE_MISMATCH: a redirect for another attempt (or a
 *   forgery): ignore it and keep waiting
 * @BH_OAUTH2_ERROR_INVALID_REDIRECT: not a redirect Birdhouse can use
 * @BH_OAUTH2_ERROR_REFUSED: X refused the request (another `error=`)
 * @BH_OAUTH2_ERROR_MALFORMED: an answer or stored grant that cannot be read
 */
typedef enum
{
  BH_OAUTH2_ERROR_ACCESS_DENIED,
  BH_OAUTH2_ERROR_STATE_MISMATCH,
  BH_OAUTH2_ERROR_INVALID_REDIRECT,
  BH_OAUTH2_ERROR_REFUSED,
  BH_OAUTH2_ERROR_MALFORMED,
} BhOAuth2Error;

GQuark    bh_oauth2_error_quark      (void);

/* The redirect URI X must have registered, port and path included. */
#define BH_OAUTH2_DEFAULT_REDIRECT_URI "http://127.0.0.1:8477/callback"

/* The scopes asked for when the person chooses nothing else. */
#define BH_OAUTH2_DEFAULT_SCOPES "tweet.read users.read offline.access"

BhSecret *bh_oauth2_pkce_verifier    (void);
char     *bh_oauth2_pkce_challenge   (const char  *verifier);
char     *bh_oauth2_new_state        (void);

char     *bh_oauth2_authorize_url    (const char         *api_host,
                                      const char         *client_id,
                                      const char         *redirect_uri,
                                      const char * const *scopes,
                                      const char         *state,
                                      const char         *code_challenge);

gboolean  bh_oauth2_check_redirect_uri (const char  *redirect_uri,
                                        guint16     *port,
                                        char       **path,
                                        GError     **error);

BhSecret *bh_oauth2_parse_redirect   (const char  *redirect,
                                      const char  *expected_state,
                                      GError     **error);

/**
 * BhOAuth2Grant:
 * @access_token: the bearer token for user-context requests
 * @refresh_token: (nullable): single-use; rotates at every refresh
 * @expires_at: when @access_token expires (seconds since the epoch), or 0
 *   when X did not say
 * @scopes: the scopes X granted, space-separated
 *
 * What one authorization holds; kept in one keyring item so that a
 * refresh replaces all of it in one write.
 */
typedef struct
{
  BhSecret *access_token;
  BhSecret *refresh_token;
  gint64    expires_at;
  char     *scopes;
} BhOAuth2Grant;

void           bh_oauth2_grant_free          (BhOAuth2Grant *grant);
BhOAuth2Grant *bh_oauth2_grant_from_token_response (const char  *body,
                                                    gsize        length,
                                                    gint64       now,
                                                    GError     **error);
BhSecret      *bh_oauth2_grant_serialize     (const BhOAuth2Grant *grant);
BhOAuth2Grant *bh_oauth2_grant_deserialize   (const char          *value,
                                              GError             **error);
gboolean       bh_oauth2_grant_needs_refresh (const BhOAuth2Grant *grant,
                                              gint64               now,
                                              gint64               margin);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhOAuth2Grant, bh_oauth2_grant_free)

G_END_DECLS
