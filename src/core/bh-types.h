/* bh-types.h
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

typedef struct _BhAccount     BhAccount;
typedef struct _BhApp         BhApp;
typedef struct _BhStore       BhStore;
typedef struct _BhXClient     BhXClient;
typedef struct _BhFlow        BhFlow;
typedef struct _BhPinFlow     BhPinFlow;
typedef struct _BhOAuth2Flow  BhOAuth2Flow;
typedef struct _BhBearerFlow  BhBearerFlow;
typedef struct _BhTokensFlow  BhTokensFlow;
typedef struct _BhVerifyFlow  BhVerifyFlow;
typedef struct _BhRevokeFlow  BhRevokeFlow;
typedef struct _BhRotateFlow  BhRotateFlow;

/* The credentials Birdhouse holds: what a health check asks about, what
 * ages and is rotated. */
typedef enum
{
  BH_CREDENTIAL_KIND_API_KEY_SECRET,   /* an App's API key secret */
  BH_CREDENTIAL_KIND_BEARER_TOKEN,     /* an App's bearer token */
  BH_CREDENTIAL_KIND_ACCOUNT_TOKENS,   /* an account's OAuth 1.0a tokens */
  BH_CREDENTIAL_KIND_OAUTH2_GRANT,    /* an account's OAuth 2.0 grant */
  BH_CREDENTIAL_KIND_CLIENT_SECRET,   /* an App's OAuth 2.0 Client Secret */
} BhCredentialKind;

/* The API host used when an App does not name one. */
#define BH_DEFAULT_API_HOST "https://api.x.com"

G_END_DECLS
