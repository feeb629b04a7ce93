/* bh-store.h
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
#include <libsecret/secret.h>

#include "bh-types.h"
#include "bh-app.h"
#include "bh-account.h"
#include "bh-oauth2.h"

G_BEGIN_DECLS

#define BH_STORE_ERROR (bh_store_error_quark ())

typedef enum
{
  BH_STORE_ERROR_FAILED,
  BH_STORE_ERROR_KEYRING_LOCKED,      /* locked, or the unlock prompt was dismissed */
  BH_STORE_ERROR_KEYRING_UNAVAILABLE, /* no Secret Service at all */
  BH_STORE_ERROR_RECORDS_DAMAGED,     /* the records file could not be read; kept aside */
  BH_STORE_ERROR_NOT_FOUND,           /* no such App, account or secret */
  BH_STORE_ERROR_EXISTS,              /* an App of that name already exists */
  BH_STORE_ERROR_INVALID,             /* empty name, bad host, stray whitespace… */
  BH_STORE_ERROR_LIMIT,               /* over one of the limits below; nothing changed */
} BhStoreError;

/* Limits, so that a hand-edited or hostile records file, or a script in a
 * loop, cannot make every listing crawl. Checked when an App or account is
 * added or changed, and when the records are read: a records file over a
 * limit is refused with a sentence, and left as it is. */
#define BH_STORE_MAX_NAME_LENGTH      100   /* characters of an App name */
#define BH_STORE_MAX_TEXT_LENGTH      1000  /* characters of any other recorded text */
#define BH_STORE_MAX_APPS             1000
#define BH_STORE_MAX_ACCOUNTS_PER_APP 1000
#define BH_STORE_MAX_RECORDS_SIZE     (4 * 1024 * 1024)  /* bytes of the records file */

typedef enum
{
  BH_KEYRING_STATUS_UNKNOWN,     /* not asked yet */
  BH_KEYRING_STATUS_AVAILABLE,
  BH_KEYRING_STATUS_LOCKED,
  BH_KEYRING_STATUS_UNAVAILABLE,
} BhKeyringStatus;

GQuark             bh_store_error_quark     (void);

/* The libsecret schema io.github.birdhouse.Birdhouse.Credential. Attributes
 * (never secret): "kind" ("app" | "user" | "bearer" | "client-secret"),
 * "app-id", "consumer-key" (OAuth 1.0a kinds, when the App has an API
 * key), "client-id" (OAuth 2.0 kinds: "client-secret"), "app-name",
 * "api-host", "user-id", "screen-name". A "user" item's value holds token
 * and token secret together (one atomic store). */
const SecretSchema *bh_store_get_schema     (void);

#define BH_TYPE_STORE (bh_store_get_type ())
G_DECLARE_FINAL_TYPE (BhStore, bh_store, BH, STORE, GObject)

/**
 * bh_store_new:
 * @records_path: (nullable): the non-secret records file; NULL for
 *   $XDG_DATA_HOME/birdhouse/records.ini
 *
 * A GListModel of BhApp, sorted by name. Properties: "keyring-status"
 * (BhKeyringStatus), "keyring-error" (GError boxed, nullable),
 * "records-path", "loaded".
 *
 * Several processes may use the records file at once (the window and
 * `birdhouse` commands): every change is merged into what the file holds,
 * under a lock, and the store follows the file when another process
 * changes it (the App and account objects of the model are kept and
 * updated in place).
 */
BhStore           *bh_store_new             (const char *records_path);
const char        *bh_store_get_records_path (BhStore   *self);
BhKeyringStatus    bh_store_get_keyring_status (BhStore *self);
const GError      *bh_store_get_keyring_error  (BhStore *self);
/* By local id, or by name. Names match whatever their case and Unicode
 * normalization: the one rule of the store, which also keeps names unique. */
BhApp             *bh_store_find_app        (BhStore    *self,
                                             const char *id_or_name);

/* Reads the records file (Apps and accounts appear at once, without D-Bus),
 * then asks the keyring and reconciles: a secret with no record is
 * restored from its attributes, a record with no secret is marked
 * (BH_ACCOUNT_STATE_SECRET_MISSING / has-secret FALSE). A damaged records
 * file fails with BH_STORE_ERROR_RECORDS_DAMAGED naming the file, which is
 * renamed aside, never overwritten; the keyring is not touched. A records
 * file over a limit fails with BH_STORE_ERROR_LIMIT, and is neither read
 * nor moved. A locked or missing keyring does not fail the load: it sets
 * "keyring-status". */
void               bh_store_load_async      (BhStore             *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean           bh_store_load_finish     (BhStore             *self,
                                             GAsyncResult        *result,
                                             GError             **error);
void               bh_store_set_quick_load  (BhStore             *self,
                                             gboolean             quick);
gboolean           bh_store_get_reconciled  (BhStore             *self);

/**
 * BhStoreAppFields:
 * @name: the App's name, unique among the Apps
 * @consumer_key: (nullable): the OAuth 1.0a API key
 * @consumer_secret: (nullable): its secret; required with a new API key;
 *   when updating, %NULL keeps the stored one
 * @api_host: (nullable): the API host; %NULL for %BH_DEFAULT_API_HOST
 * @client_id: (nullable): the OAuth 2.0 Client ID
 * @client_secret: (nullable): a confidential client's Client Secret;
 *   %NULL for a public client (adding) or to keep the stored one
 *   (updating)
 * @remove_client_secret: updating with a %NULL @client_secret: remove the
 *   stored one (the App is a public client now)
 * @redirect_uri: (nullable): the OAuth 2.0 redirect URI registered at X;
 *   %NULL for %BH_OAUTH2_DEFAULT_REDIRECT_URI. Checked with
 *   bh_oauth2_check_redirect_uri().
 *
 * An App has an API key, a Client ID, or both. The secrets go to the
 * keyring only (kinds "app" and "client-secret").
 */
typedef struct
{
  const char *name;
  const char *consumer_key;
  const char *consumer_secret;
  const char *api_host;
  const char *client_id;
  const char *client_secret;
  gboolean    remove_client_secret;
  const char *redirect_uri;
} BhStoreAppFields;

void               bh_store_add_app_full_async  (BhStore                *self,
                                                 const BhStoreAppFields *fields,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);
BhApp             *bh_store_add_app_full_finish (BhStore                *self,
                                                 GAsyncResult           *result,
                                                 GError                **error);

/* The fields not in @fields' reach stay (accounts, bearer token). */
void               bh_store_update_app_full_async  (BhStore                *self,
                                                    BhApp                  *app,
                                                    const BhStoreAppFields *fields,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
gboolean           bh_store_update_app_full_finish (BhStore                *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

/* An App with OAuth 1.0a keys only (@consumer_key required). */
void               bh_store_add_app_async   (BhStore             *self,
                                             const char          *name,
                                             const char          *consumer_key,
                                             const char          *consumer_secret,
                                             const char          *api_host,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
BhApp             *bh_store_add_app_finish  (BhStore             *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* @consumer_secret NULL keeps the stored one; the OAuth 2.0 fields stay. */
void               bh_store_update_app_async  (BhStore             *self,
                                               BhApp               *app,
                                               const char          *name,
                                               const char          *consumer_key,
                                               const char          *consumer_secret,
                                               const char          *api_host,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean           bh_store_update_app_finish (BhStore             *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Removes the App, its accounts and every secret that belonged to it. */
void               bh_store_remove_app_async  (BhStore             *self,
                                               BhApp               *app,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean           bh_store_remove_app_finish (BhStore             *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Secrets are fetched only when needed; free them with bh_secret_free(). */
void               bh_store_lookup_consumer_secret_async  (BhStore             *self,
                                                           BhApp               *app,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
char              *bh_store_lookup_consumer_secret_finish (BhStore             *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* The OAuth 2.0 Client Secret of a confidential client. Updates
 * "has-client-secret"; BH_STORE_ERROR_NOT_FOUND for a public client. */
void               bh_store_lookup_client_secret_async  (BhStore             *self,
                                                         BhApp               *app,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
char              *bh_store_lookup_client_secret_finish (BhStore             *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* @bearer NULL removes it. Updates "has-bearer". */
void               bh_store_set_bearer_async     (BhStore             *self,
                                                  BhApp               *app,
                                                  const char          *bearer,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean           bh_store_set_bearer_finish    (BhStore             *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void               bh_store_lookup_bearer_async  (BhStore             *self,
                                                  BhApp               *app,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
char              *bh_store_lookup_bearer_finish (BhStore             *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Stores tokens for the user (the keyring first, then the record). When
 * the App already has an account with @user_id it is updated in place
 * (new tokens replace the old ones; state back to OK), never duplicated.
 * authorized-at is set to now. */
void               bh_store_save_account_async   (BhStore             *self,
                                                  BhApp               *app,
                                                  const char          *user_id,
                                                  const char          *screen_name,
                                                  const char          *name,
                                                  const char          *access_level,
                                                  const char          *token,
                                                  const char          *token_secret,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
BhAccount         *bh_store_save_account_finish  (BhStore             *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Writes the non-secret fields of @account (after a verify changed them). */
void               bh_store_update_account_async  (BhStore             *self,
                                                   BhAccount           *account,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean           bh_store_update_account_finish (BhStore             *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

void               bh_store_remove_account_async  (BhStore             *self,
                                                   BhAccount           *account,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean           bh_store_remove_account_finish (BhStore             *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

void               bh_store_lookup_account_tokens_async  (BhStore             *self,
                                                          BhAccount           *account,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
/* Both out values are secrets: free with bh_secret_free(). */
gboolean           bh_store_lookup_account_tokens_finish (BhStore             *self,
                                                          GAsyncResult        *result,
                                                          char               **token,
                                                          char               **token_secret,
                                                          GError             **error);

/* OAuth 2.0 grants (bh-store-grants.c). The grant is one keyring item of
 * kind "oauth2-grant"; the records say only that it exists, its scopes
 * and its expiry. bh_store_save_oauth2_account_async() finishes with
 * bh_store_save_account_finish(). */
void               bh_store_save_oauth2_account_async   (BhStore             *self,
                                                         BhApp               *app,
                                                         const char          *user_id,
                                                         const char          *screen_name,
                                                         const char          *name,
                                                         const BhOAuth2Grant *grant,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
void               bh_store_lookup_oauth2_grant_async   (BhStore             *self,
                                                         BhAccount           *account,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
BhOAuth2Grant     *bh_store_lookup_oauth2_grant_finish  (BhStore             *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void               bh_store_replace_oauth2_grant_async  (BhStore             *self,
                                                         BhAccount           *account,
                                                         const BhOAuth2Grant *grant,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean           bh_store_replace_oauth2_grant_finish (BhStore             *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void               bh_store_remove_oauth2_grant_async   (BhStore             *self,
                                                         BhAccount           *account,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean           bh_store_remove_oauth2_grant_finish  (BhStore             *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* Records that @kind (of @app, or @account's tokens) was rotated now. */
void               bh_store_mark_rotated_async   (BhStore             *self,
                                                  BhApp               *app,
                                                  BhAccount           *account,
                                                  BhCredentialKind     kind,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean           bh_store_mark_rotated_finish  (BhStore             *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* The App an account belongs to. */
BhApp             *bh_store_get_account_app  (BhStore    *self,
                                              BhAccount  *account);

G_END_DECLS
