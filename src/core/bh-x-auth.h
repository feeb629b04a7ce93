/* bh-x-auth.h
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

char *bh_x_basic_authorization (const char *consumer_key,
                                const char *consumer_secret);

G_END_DECLS
