/* bh-fake-server.h
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

G_BEGIN_DECLS

/* The App the fake server knows from the start. */
#define BH_FAKE_CONSUMER_KEY    "fake-consumer-key-01234567890"
#define BH_FAKE_CONSUMER_SECRET "fake-consumer-secret-0123456789abcdefghijklmnopqrstu"

/* The OAuth 2.0 clients it knows from the start, both with every X scope
 * and the redirect URI http://127.0.0.1:8477/callback: a confidential one
 * (HTTP Basic at the token endpoint) and a public one (client_id in the
 * body). A test listening on another port registers its URI with
 * bh_fake_server_add_oauth2_client(). Like X's, the ids are base64 of
 * "…:1:ci" and "…:1:na". */
#define BH_FAKE_CLIENT_ID        "ZmFrZS1vYXV0aDItY2xpZW50LTAxMjM0NTY6MTpjaQ"
#define BH_FAKE_CLIENT_SECRET    "fake-oauth2-secret_0123456789-abcdefghijklmnopqrst"
#define BH_FAKE_PUBLIC_CLIENT_ID "ZmFrZS1vYXV0aDItcHVibGljLTAxMjM0NTY6MTpuYQ"

/*
 * A running tests/fake-x-server.py ($BH_FAKE_X_SERVER), on 127.0.0.1 and
 * an ephemeral port. The server exits when its stdin closes, so it also
 * ends when the test process dies.
 */
typedef struct _BhFakeServer BhFakeServer;

/* Starts the server and waits for its port; fails the test if it cannot. */
BhFakeServer *bh_fake_server_start            (void);

/* "http://127.0.0.1:PORT" (no trailing slash). */
const char   *bh_fake_server_get_url          (BhFakeServer *server);

/* POSTs the NULL-terminated name/value pairs as a form to @path and
 * asserts a 200 answer. With no pairs, pass NULL as @first_name:
 * bh_fake_server_control (server, "/_fake/reset", NULL). (No sentinel
 * attribute, which would refuse exactly that call.) */
void          bh_fake_server_control          (BhFakeServer *server,
                                               const char   *path,
                                               const char   *first_name,
                                               ...);

/* Arms a fault of @kind ("500", "slow", "drop", …) for the next @count
 * requests to @path (0: until reset). */
void          bh_fake_server_fault            (BhFakeServer *server,
                                               const char   *path,
                                               const char   *kind,
                                               int           count);

/* GETs @path_and_query and returns the body (any status; see
 * bh_fake_server_get_status for the status). */
char         *bh_fake_server_get              (BhFakeServer *server,
                                               const char   *path_and_query);

/* Like bh_fake_server_get(), also returning the HTTP status. */
char         *bh_fake_server_get_status       (BhFakeServer *server,
                                               const char   *path_and_query,
                                               guint        *status);

/* GETs @path_and_query and parses the body as JSON (asserts it parses). */
JsonNode     *bh_fake_server_get_json         (BhFakeServer *server,
                                               const char   *path_and_query);

/* OAuth 2.0 (see tests/fake-x-server.py for the endpoints). */

/* Registers (or replaces) an OAuth 2.0 client: confidential with
 * @client_secret, public when it is %NULL; @redirect_uri is matched
 * exactly (port and path) by the authorize and token endpoints. Every
 * scope of X's is allowed. */
void          bh_fake_server_add_oauth2_client (BhFakeServer *server,
                                                const char   *client_id,
                                                const char   *client_secret,
                                                const char   *redirect_uri);

/* Access tokens issued from now on last @seconds (X: 7200). */
void          bh_fake_server_set_oauth2_lifetime (BhFakeServer *server,
                                                  guint         seconds);

/* The fake server's OAuth 2.0 clock jumps @seconds ahead: its access
 * tokens and codes age at once (the client's own clock does not move). */
void          bh_fake_server_advance_oauth2_clock (BhFakeServer *server,
                                                   double        seconds);

/* GET /_fake/oauth2-state: token endpoint calls per grant type, spent
 * refresh tokens, grants and how each ended, … (transfer full). */
JsonNode     *bh_fake_server_get_oauth2_state (BhFakeServer *server);

/* Calls of /2/oauth2/token with grant_type @grant_type
 * ("authorization_code", "refresh_token", or "other") since the reset. */
guint         bh_fake_server_oauth2_token_calls (BhFakeServer *server,
                                                 const char   *grant_type);

/* TRUE when some grant was ended because a spent refresh token was
 * presented again (RFC 9700 reuse detection). */
gboolean      bh_fake_server_oauth2_reuse_detected (BhFakeServer *server);

/* Iterates the default main context until @pin_file exists and is not
 * empty, then returns its content without surrounding white space. Fails
 * the test after @timeout_s seconds. */
char         *bh_fake_server_wait_for_pin_file (const char  *pin_file,
                                                guint        timeout_s);

/* Closes the server's stdin, waits for it to exit and frees @server. */
/* Fails the test when @logs holds a secret the server handed out (or was
 * given) since its last reset: a consumer secret, an access token or its
 * secret, a request token secret, a PIN, a bearer token, an OAuth 2.0
 * client secret, authorization code, access or refresh token. Says which
 * one by number, never the secret. */
void          bh_fake_server_assert_no_secret_in (BhFakeServer *server,
                                                  const char   *logs);

void          bh_fake_server_stop             (BhFakeServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhFakeServer, bh_fake_server_stop)

G_END_DECLS
