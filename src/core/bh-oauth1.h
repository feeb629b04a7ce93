/* bh-oauth1.h
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

#include "bh-params.h"

G_BEGIN_DECLS

/*
 * OAuth 1.0a request signing (RFC 5849, HMAC-SHA1) as X documents it in
 * "Creating a signature". Pure functions: no I/O, no global state.
 * The parameters it signs are BhParam arrays (bh-params.h).
 */

typedef struct
{
  const char *consumer_key;
  const char *consumer_secret;
  const char *token;          /* NULL for consumer-only requests */
  const char *token_secret;   /* NULL for consumer-only requests */
} BhOAuth1Credentials;

typedef struct
{
  const char *method;         /* "GET", "POST", ... (upper-cased when signing) */
  const char *url;            /* absolute; its query is decoded and signed */
  GPtrArray  *body;           /* decoded form-body BhParams, or NULL */
  GPtrArray  *oauth_extra;    /* extra oauth_* protocol parameters such as
                               * oauth_callback or oauth_verifier, or NULL;
                               * they are signed and go in the header */
  const char *nonce;          /* NULL: a fresh one from gnutls_rnd() */
  gint64      timestamp;      /* seconds since the epoch; 0: now */
} BhOAuth1Request;

/* The base string URI: lower-case scheme and host, default port dropped,
 * no query or fragment. NULL and an error for a URL that is not absolute
 * http(s). */
char       *bh_oauth1_base_uri     (const char  *url,
                                    GError     **error);

/* A new nonce: 32 bytes from gnutls_rnd(GNUTLS_RND_NONCE), as 43 URL-safe
 * base64 characters with only ALPHA and DIGIT kept (at least 32 chars). */
char       *bh_oauth1_nonce        (void);

/* base64 (HMAC-SHA1 (key = enc(consumer_secret) "&" enc(token_secret),
 * base_string)). @token_secret may be NULL (consumer-only). */
char       *bh_oauth1_hmac_sha1    (const char  *base_string,
                                    const char  *consumer_secret,
                                    const char  *token_secret);

/**
 * bh_oauth1_sign:
 * @request: what is sent
 * @credentials: who signs
 * @param_string: (out) (optional): the normalized parameter string
 * @base_string: (out) (optional): the signature base string
 * @error: a G_IO_ERROR_INVALID_ARGUMENT for a bad URL or missing key
 *
 * Signs @request. @param_string and @base_string hold no secret (only the
 * consumer key and token, which travel in clear in the header anyway), so
 * they may be shown to a person debugging a 401.
 *
 * Returns: (transfer full): the value of the Authorization header,
 *   `OAuth oauth_consumer_key="…", oauth_nonce="…", …, oauth_version="1.0"`
 */
char       *bh_oauth1_sign         (const BhOAuth1Request      *request,
                                    const BhOAuth1Credentials  *credentials,
                                    char                      **param_string,
                                    char                      **base_string,
                                    GError                    **error);

G_END_DECLS
