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
 * (never secret): "kind" ("app" | "user" | "bearer"), "app-id",
 * "consumer-key", "app-name", "api-host", "user-id", "screen-name". A "user"
 * item's value holds token and token secret together (one atomic store). */
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

/* @consumer_secret NULL keeps the stored one. */
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

/* Writes the health records of the given Apps and accounts (see
 * bh-store-health.c); a record removed meanwhile is skipped. */
void               bh_store_record_health_async  (BhStore             *self,
                                                  GPtrArray           *checked,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean           bh_store_record_health_finish (BhStore             *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* The App an account belongs to. */
BhApp             *bh_store_get_account_app  (BhStore    *self,
                                              BhAccount  *account);

G_END_DECLS
