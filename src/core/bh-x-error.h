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
} BhXError;

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

/* Maps a transport error from libsoup/GIO/GnuTLS (timeout, connection,
 * TLS, cancellation) onto BH_X_ERROR with a sentence. */
GError   *bh_x_error_from_transport (const GError *error);

/* TRUE for BH_X_ERROR_CANCELLED and G_IO_ERROR_CANCELLED. */
gboolean  bh_error_is_cancelled     (const GError *error);

/* The X error code (32, 89, …) that @error came from, or 0. */
int       bh_x_error_get_x_code     (const GError *error);

/* Added after the first contract (backward compatible): */

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

G_END_DECLS
