/* bh-x-error.h
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

#define BH_X_ERROR (bh_x_error_quark ())

/**
 * BhXError:
 *
 * Everything that can go wrong talking to X, in one domain. The message of
 * each error is a sentence a person can act on (translatable), never a
 * secret.
 */
typedef enum
{
  BH_X_ERROR_FAILED,                 /* anything not listed below */
  BH_X_ERROR_COULD_NOT_AUTHENTICATE, /* X code 32 */
  BH_X_ERROR_RATE_LIMITED,           /* X code 88, HTTP 429 */
  BH_X_ERROR_INVALID_TOKEN,          /* X code 89 */
  BH_X_ERROR_BEARER_CREDENTIALS,     /* X code 99 */
  BH_X_ERROR_TIMESTAMP,              /* X code 135 */
  BH_X_ERROR_BAD_AUTH_DATA,          /* X code 215 */
  BH_X_ERROR_CALLBACK_NOT_APPROVED,  /* X code 415 */
  BH_X_ERROR_APP_SUSPENDED,          /* X code 416 */
  BH_X_ERROR_OOB_REQUIRED,           /* X code 417 */
  BH_X_ERROR_INVALID_PIN,            /* access_token: the PIN (verifier) was refused */
  BH_X_ERROR_INVALID_REQUEST_TOKEN,  /* access_token: request token unknown, used or expired */
  BH_X_ERROR_UNAUTHORIZED,           /* any other HTTP 401 */
  BH_X_ERROR_FORBIDDEN,              /* any other HTTP 403 */
  BH_X_ERROR_NOT_FOUND,              /* HTTP 404 */
  BH_X_ERROR_SERVER,                 /* HTTP 5xx */
  BH_X_ERROR_MALFORMED,              /* a response Birdhouse cannot read */
  BH_X_ERROR_NOT_BEARER,             /* oauth2/token: token_type is not "bearer" */
  BH_X_ERROR_CALLBACK_NOT_CONFIRMED, /* request_token: no oauth_callback_confirmed=true */
  BH_X_ERROR_TIMEOUT,
  BH_X_ERROR_CONNECTION,             /* host not found, refused, dropped */
  BH_X_ERROR_TLS,                    /* certificate or handshake failure */
  BH_X_ERROR_INSECURE_URL,           /* http:// to a host that is not loopback */
  BH_X_ERROR_INVALID_URL,
  BH_X_ERROR_CANCELLED,
  /* The numbers are stable: new codes go at the end. */
  BH_X_ERROR_BEARER_INVALID,         /* the bearer token sent was refused (invalidated, unknown) */
  BH_X_ERROR_REDIRECTED,             /* a 30x: Birdhouse follows no redirect with credentials */
} BhXError;

/**
 * BhXStep:
 * @BH_X_STEP_OTHER: a request Birdhouse knows nothing more about
 * @BH_X_STEP_REQUEST_TOKEN: POST oauth/request_token
 * @BH_X_STEP_ACCESS_TOKEN: POST oauth/access_token (the PIN)
 * @BH_X_STEP_VERIFY: verify_credentials or 2/users/me with a user token
 * @BH_X_STEP_BEARER_TOKEN: POST oauth2/token
 * @BH_X_STEP_INVALIDATE_BEARER: POST oauth2/invalidate_token
 * @BH_X_STEP_INVALIDATE_TOKEN: POST 1.1/oauth/invalidate_token
 * @BH_X_STEP_BEARER_REQUEST: any request made with a stored bearer token
 *
 * Which step of which flow an answer belongs to. An answer is classified
 * by its step and HTTP status first, its X error code next, and its text
 * last: a server other than X words its errors differently, but a 401 at
 * oauth/access_token means the same everywhere.
 */
typedef enum
{
  BH_X_STEP_OTHER,
  BH_X_STEP_REQUEST_TOKEN,
  BH_X_STEP_ACCESS_TOKEN,
  BH_X_STEP_VERIFY,
  BH_X_STEP_BEARER_TOKEN,
  BH_X_STEP_INVALIDATE_BEARER,
  BH_X_STEP_INVALIDATE_TOKEN,
  BH_X_STEP_BEARER_REQUEST,
} BhXStep;

GQuark    bh_x_error_quark          (void);

/**
 * bh_x_error_from_response:
 * @status: the HTTP status (>= 400)
 * @body: (nullable): the response body
 * @rate_limit_reset: x-rate-limit-reset (seconds since the epoch), or 0
 * @clock_skew: server time minus local time in seconds (from `Date`)
 * @have_clock_skew: whether @clock_skew was measured
 *
 * Maps an X error response onto BH_X_ERROR: the X error code in a JSON
 * body (`{"errors":[{"code":N,"message":…}]}`, or the v2 problem shape)
 * wins over the HTTP status. The message names the reset time for 88/429
 * and the measured clock difference for 135.
 *
 * Returns: (transfer full): a new error
 */
GError   *bh_x_error_from_response  (guint        status,
                                     GBytes      *body,
                                     gint64       rate_limit_reset,
                                     gint64       clock_skew,
                                     gboolean     have_clock_skew);

/**
 * bh_x_error_from_step_response:
 * @step: the step the answer belongs to
 *
 * Like bh_x_error_from_response(), classified by @step and @status first
 * (for example any 401 at %BH_X_STEP_ACCESS_TOKEN is a refused or expired
 * PIN, whatever its body says), then the X error code, then the text. The
 * sentence names the step when it is otherwise generic.
 *
 * Returns: (transfer full): a new error
 */
GError   *bh_x_error_from_step_response (BhXStep   step,
                                         guint     status,
                                         GBytes   *body,
                                         gint64    rate_limit_reset,
                                         gint64    clock_skew,
                                         gboolean  have_clock_skew);

/* Maps a transport error from libsoup/GIO/GnuTLS (timeout, connection,
 * TLS, cancellation) onto BH_X_ERROR with a sentence. */
GError   *bh_x_error_from_transport (const GError *error);

/* TRUE for BH_X_ERROR_CANCELLED and G_IO_ERROR_CANCELLED. */
gboolean  bh_error_is_cancelled     (const GError *error);

/* The X error code (32, 89, …) that @error came from, or 0. */
int       bh_x_error_get_x_code     (const GError *error);

/* A new BH_X_ERROR with the standard sentence for @code (for errors the
 * client finds itself: MALFORMED, NOT_BEARER, INSECURE_URL, …). */
GError   *bh_x_error_new            (BhXError      code);

/* The HTTP status that @error came from, or 0. */
guint     bh_x_error_get_http_status (const GError *error);

/* The server-minus-local clock difference measured with the answer that
 * @error came from; FALSE when there was none. */
gboolean  bh_x_error_get_clock_skew (const GError *error,
                                     gint64       *clock_skew);

/* x-rate-limit-reset of the answer (seconds since the epoch), or 0. */
gint64    bh_x_error_get_rate_limit_reset (const GError *error);

/* The step recorded with @error, or BH_X_STEP_OTHER. */
BhXStep   bh_x_error_get_step       (const GError *error);

/**
 * bh_x_strip_controls:
 * @text: (nullable): text a server sent
 *
 * A copy of @text fit for a terminal or a label: invalid UTF-8 replaced,
 * C0 and C1 controls (U+0080–U+009F, which include the 8-bit CSI U+009B),
 * DEL, and the bidirectional marks, embeddings, overrides and isolates
 * (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) removed; line and
 * paragraph separators and tabs become spaces.
 *
 * Returns: (transfer full) (nullable): the clean text, NULL for NULL
 */
char     *bh_x_strip_controls       (const char   *text);

/* The member @member of @object when it is a JSON string, else NULL:
 * the server chooses the types, and json-glib's typed getters raise a
 * critical for a member of another type. */
const char *bh_x_json_string_member (JsonObject *object,
                                     const char *member);

/* No answer Birdhouse reads nests deeper than this. */
#define BH_X_JSON_MAX_DEPTH 64

/**
 * bh_x_json_depth_ok:
 * @data: a JSON text (not necessarily valid)
 * @length: its length in bytes
 * @max_depth: the deepest nesting of arrays and objects allowed
 *
 * json-glib parses recursively on the stack, so a body of 100,000 `[`
 * would crash the process. Call this before json_parser_load_from_data():
 * a scanner that counts brackets outside strings (and their escapes)
 * without recursing.
 *
 * Returns: %TRUE when nothing nests deeper than @max_depth
 */
gboolean  bh_x_json_depth_ok        (const char   *data,
                                     gsize         length,
                                     guint         max_depth);

G_END_DECLS
