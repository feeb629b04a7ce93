/* bh-export.h
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

#include "bh-secret.h"
#include "bh-types.h"

G_BEGIN_DECLS

/*
 * A credential as environment variables, in one place for the window, the
 * command line and whatever else hands credentials to a script (a later
 * `birdhouse exec` builds a child's environment from the same list):
 * bh_export_variables() names the values, the formatters write them.
 */

/* The names, after the prefix ("X_" by default), in this order. */
#define BH_EXPORT_API_KEY             "API_KEY"
#define BH_EXPORT_API_SECRET          "API_SECRET"
#define BH_EXPORT_ACCESS_TOKEN        "ACCESS_TOKEN"
#define BH_EXPORT_ACCESS_TOKEN_SECRET "ACCESS_TOKEN_SECRET"
#define BH_EXPORT_BEARER_TOKEN        "BEARER_TOKEN"
#define BH_EXPORT_CLIENT_ID           "CLIENT_ID"
#define BH_EXPORT_CLIENT_SECRET       "CLIENT_SECRET"
#define BH_EXPORT_OAUTH2_ACCESS_TOKEN "OAUTH2_ACCESS_TOKEN"
#define BH_EXPORT_API_HOST            "API_HOST"

typedef struct
{
  const char *consumer_key;     /* nullable: the App's API key */
  const char *consumer_secret;  /* nullable */
  const char *token;            /* nullable: with token_secret, an account's */
  const char *token_secret;     /* nullable */
  const char *bearer;           /* nullable: the App's bearer token */
  const char *api_host;         /* nullable */
  const char *client_id;        /* nullable: the App's OAuth 2.0 Client ID */
  const char *client_secret;    /* nullable: a confidential client's secret */
  const char *oauth2_access_token; /* nullable: an account's, fresh */
} BhExportCredentials;

typedef enum
{
  BH_EXPORT_FORMAT_ENV,     /* `export NAME='value'` lines for a POSIX shell's eval */
  BH_EXPORT_FORMAT_DOTENV,  /* NAME=value lines for .env and EnvironmentFile= readers */
  BH_EXPORT_FORMAT_JSON,    /* one JSON object */
} BhExportFormat;

/* "env", "dotenv" or "json", as the command line's --format names them. */
gboolean   bh_export_format_from_string (const char      *name,
                                         BhExportFormat  *format);

/* TRUE for "" or a shell name such as "X_" or "MYBOT_" (a letter or _
 * first, then letters, digits and _). */
gboolean   bh_export_prefix_is_valid    (const char      *prefix);

const char * const *bh_export_names (void);

GPtrArray *bh_export_variables          (const BhExportCredentials *credentials,
                                         const char                *prefix);

BhSecret  *bh_export_format             (GPtrArray       *variables,
                                         BhExportFormat   format,
                                         GError         **error);

/* The OAuth 2.0 secrets an export holds, read from the keyring: what
 * `export`, `exec` and the window add to BhExportCredentials. */
typedef struct
{
  BhSecret *client_secret;        /* nullable: a confidential client's */
  BhSecret *oauth2_access_token;  /* nullable: an account's, refreshed when needed */
} BhExportOAuth2;

void       bh_export_oauth2_clear       (BhExportOAuth2  *secrets);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BhExportOAuth2, bh_export_oauth2_clear)
void       bh_export_lookup_oauth2_async  (BhStore             *store,
                                           BhApp               *app,
                                           BhAccount           *account,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean   bh_export_lookup_oauth2_finish (BhStore             *store,
                                           GAsyncResult        *result,
                                           BhExportOAuth2      *secrets,
                                           GError             **error);

G_END_DECLS
