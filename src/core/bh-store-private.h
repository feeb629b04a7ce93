/* bh-store-private.h: what the files of BhStore share
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

#include "bh-store.h"
#include "bh-secret.h"

G_BEGIN_DECLS

#define RECORDS_VERSION 1
#define GROUP_BIRDHOUSE "Birdhouse"
#define GROUP_APP_PREFIX "App "
#define GROUP_ACCOUNT_PREFIX "Account "

#define KIND_APP    "app"
#define KIND_USER   "user"
#define KIND_BEARER "bearer"
#define KIND_CLIENT_SECRET "client-secret"
/* An account's OAuth 2.0 grant: bh_oauth2_grant_serialize()'s text. */
#define KIND_OAUTH2_GRANT "oauth2-grant"

/* The kinds of item that belong to one account (user-id attribute). */
#define KIND_IS_ACCOUNT_ITEM(kind) \
  (g_strcmp0 ((kind), KIND_USER) == 0 || g_strcmp0 ((kind), KIND_OAUTH2_GRANT) == 0)

/* The fields _bh_store_check_text() checks, each with its own sentences. */
typedef enum
{
  BH_STORE_FIELD_APP_ID,
  BH_STORE_FIELD_APP_NAME,
  BH_STORE_FIELD_API_KEY,
  BH_STORE_FIELD_API_KEY_SECRET,
  BH_STORE_FIELD_API_HOST,
  BH_STORE_FIELD_BEARER_TOKEN,
  BH_STORE_FIELD_USER_ID,
  BH_STORE_FIELD_SCREEN_NAME,
  BH_STORE_FIELD_ACCOUNT_NAME,
  BH_STORE_FIELD_ACCESS_LEVEL,
  BH_STORE_FIELD_ACCESS_TOKEN,
  BH_STORE_FIELD_ACCESS_TOKEN_SECRET,
  BH_STORE_FIELD_CLIENT_ID,
  BH_STORE_FIELD_CLIENT_SECRET,
  BH_STORE_FIELD_REDIRECT_URI,
  BH_STORE_FIELD_OAUTH2_SCOPES,
  BH_STORE_N_FIELDS
} BhStoreField;

struct _BhStore
{
  GObject          parent_instance;

  GListStore      *apps;
  char            *records_path;
  BhKeyringStatus  keyring_status;
  GError          *keyring_error;
  gboolean         loaded;
  /* Which libsecret backend this process uses, once asked: the Secret
   * Service on D-Bus, or the encrypted file a Flatpak gets. */
  gboolean         file_backend;
  /* libsecret could not open its backend at all. */
  gboolean         backend_unusable;
  /* Loads skip the keyring reconcile when the records were read whole
   * (bh_store_set_quick_load()); reconciled says whether the last load
   * did it. */
  gboolean         quick_load;
  gboolean         reconciled;

  /* Every read and write of the records file is a job run in a worker
   * thread, one at a time and in order, so that what the model follows
   * is always the newest state of the file. A write re-reads the file
   * under a lock shared with other processes and applies only its own
   * changes (pending_changes, taken by the next write) to it. */
  GQueue          *jobs;
  gboolean         job_running;
  GPtrArray       *pending_changes;
  char            *checksum;       /* of the contents last read or written */

  /* Following the file when another process changes it. */
  GFileMonitor    *monitor;
  guint            reread_id;
  gboolean         reread_queued;

  /* App ids changed in the model since the keyring scan of the load
   * started: that scan is older than them, so the reconcile leaves them
   * alone (NULL when no load is in flight). */
  GHashTable      *touched;
  /* App ids with a change in flight (id → count): its keyring item may
   * already be there, its record not yet; the reconcile leaves them
   * alone too. */
  GHashTable      *busy;
};

/* One change to the records, by id: what an operation did, applied to
 * whatever the file holds when it is written, so that a long-lived process
 * (the window, an `authorize` waiting for its PIN) never undoes what
 * another process did meanwhile. */

typedef enum
{
  BH_STORE_CHANGE_PUT_APP,
  BH_STORE_CHANGE_REMOVE_APP,
  BH_STORE_CHANGE_PUT_ACCOUNT,
  BH_STORE_CHANGE_REMOVE_ACCOUNT,
} BhStoreChangeKind;

typedef struct _BhStoreChange BhStoreChange;

struct _BhStoreChange
{
  BhStoreChangeKind  kind;
  gboolean    create;   /* PUT: may add the record; otherwise it must be there */
  gboolean    restore;  /* PUT: only when there is no record (see reconcile()) */
  gboolean    if_present; /* PUT: skipped, not an error, when the record is gone (health) */
  char       *app_id;
  char       *user_id;  /* bh-store-accounts.c */
  char       *name;     /* PUT_APP: a name to keep unique among the file's Apps */
  char       *label;    /* what the sentences call it: an App name, a screen name */
  GPtrArray  *fields;   /* PUT: key, value, key, value… (a NULL value removes the key) */
  GObject    *object;   /* create: the BhApp or BhAccount the model takes */
};

typedef struct
{
  char      *path;
  GPtrArray *changes;     /* BhStoreChange */
  char      *fallback;    /* the model, for a file gone or damaged */
  gsize      fallback_len;
  char      *known;       /* reread: the checksum last seen */
  GPtrArray *apps;        /* out: what the file holds now; NULL: nothing new */
  char      *checksum;    /* out */
} BhRecordsJob;

typedef struct
{
  GHashTable *attributes;
  guint64     created;
} BhScannedItem;


typedef struct _BhStoreOp BhStoreOp;

/* What an operation writes to the records once its keyring step is done
 * (see _bh_store_op_store_secret()). */
typedef BhStoreChange *(*BhStoreOpRecordFunc) (BhStore   *self,
                                               BhStoreOp *op);

/* The error a lookup ends with when the item is not in the keyring (see
 * _bh_store_op_find_secret()); it may also note the absence. */
typedef GError *(*BhStoreOpMissingFunc) (GTask *task);

struct _BhStoreOp
{
  BhApp     *app;       /* the App in the store */
  BhApp     *proposed;  /* add / update: the App as it will be */
  BhAccount *account;
  char      *user_id;
  char      *screen_name;
  char      *name;
  char      *access_level;
  const char *kind;     /* save: KIND_USER or KIND_OAUTH2_GRANT */
  char      *scopes;    /* save, KIND_OAUTH2_GRANT: what the record says */
  gint64     expires_at;
  BhSecret  *secret;
  /* add / update: the Client Secret to store; or, with
   * clear_client_secret, remove it. stored_secrets: whether this
   * operation stored a secret already (a failure then undoes it). */
  BhSecret  *client_secret;
  gboolean   clear_client_secret;
  gboolean   stored_secrets;
  const char *secret_kind; /* the kind of the secret being written */
  GError    *error;     /* a refused write, returned once its secrets are gone */
  BhStore   *store;     /* with busy_id: the change in flight, until freed */
  char      *busy_id;
  /* _bh_store_op_store_secret() / _bh_store_op_clear_secrets() */
  BhStoreOpRecordFunc  record;
  GAsyncReadyCallback  written;
  /* _bh_store_op_find_secret() */
  BhStoreOpMissingFunc missing;
};

/* bh-store-keyring.c */
GHashTable *_bh_store_new_attributes (void);
GHashTable *_bh_store_item_attributes (const char *kind,
                                       BhApp      *app,
                                       const char *user_id,
                                       const char *screen_name);
GHashTable *_bh_store_ident_attributes (const char *kind,
                                        const char *app_id,
                                        const char *user_id);
gboolean _bh_store_kind_is_oauth2 (const char *kind);
char *_bh_store_item_label (const char *kind,
                            BhApp      *app,
                            const char *screen_name);
GError *_bh_store_keyring_locked_error (void);
void _bh_store_note_keyring_locked (BhStore *self);
void _bh_store_note_keyring_available (BhStore *self);
GError *_bh_store_map_keyring_error (BhStore      *self,
                                     GError       *error,
                                     GCancellable *cancellable);
void _bh_store_keyring_search_async (BhStore             *self,
                                     GHashTable          *attributes,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
GList *_bh_store_keyring_search_finish (BhStore       *self,
                                        GAsyncResult  *result,
                                        GError       **error);

/* bh-store.c */
void _bh_store_insert_apps (BhStore   *self,
                            GPtrArray *apps);
void _bh_store_set_loaded (BhStore *self);
GPtrArray *_bh_store_dup_apps (BhStore *self);
void _bh_store_set_keyring_status (BhStore         *self,
                                   BhKeyringStatus  status,
                                   const GError    *error);
void _bh_store_insert_app (BhStore *self,
                           BhApp   *app);
void _bh_store_remove_app (BhStore *self,
                           BhApp   *app);
BhApp *_bh_store_find_app_by_id (BhStore    *self,
                                 const char *id);
BhApp *_bh_store_find_app_by_name_casefold (BhStore    *self,
                                            const char *name,
                                            BhApp      *except);
BhAccount *_bh_store_find_account_by_user_id (BhApp      *app,
                                              const char *user_id);

/* bh-store-validate.c */
gboolean _bh_store_check_text (const char    *value,
                               BhStoreField   field,
                               gboolean       allow_spaces,
                               GError       **error);
gboolean _bh_store_check_name_length (const char  *name,
                                      GError     **error);
char *_bh_store_name_key (const char *name);
char *_bh_store_safe_text (const char *text,
                           gssize      len);
gboolean _bh_store_check_api_host (const char  *api_host,
                                   GError     **error);
gboolean _bh_store_check_redirect_uri (const char  *redirect_uri,
                                       GError     **error);

/* bh-store-records.c */
const char *_bh_store_state_to_string (BhAccountState state);
char *_bh_store_credentials_to_string (BhAccountCredentials credentials);
char *_bh_store_expiry_to_string (gint64 expires_at);
char *_bh_store_app_group (const char *app_id);
char *_bh_store_account_group (const char *app_id,
                               const char *user_id);
void _bh_store_records_init (GKeyFile *key_file);
const char *_bh_store_app_redirect_uri_record (BhApp *app);
char *_bh_store_records_serialize (GPtrArray *apps,
                                   gsize     *len);
GPtrArray *_bh_store_records_parse (const char  *data,
                                    gsize        len,
                                    GError     **error);

/* bh-store-changes.c */
void _bh_store_change_free (BhStoreChange *change);
BhStoreChange *_bh_store_change_new (BhStoreChangeKind  kind,
                                     const char        *app_id,
                                     const char        *user_id,
                                     const char        *label);
void _bh_store_change_set_date (BhStoreChange *change,
                                const char    *key,
                                GDateTime     *value);
void _bh_store_change_set_boolean (BhStoreChange *change,
                                   const char    *key,
                                   gboolean       value);
BhStoreChange *_bh_store_change_put_app (BhApp    *app,
                                         gboolean  create);
BhStoreChange *_bh_store_change_put_account (BhAccount *account,
                                             gboolean   create);
void _bh_store_queue_change (BhStore       *self,
                             BhStoreChange *change);
gboolean _bh_store_records_apply (GKeyFile   *key_file,
                                  GPtrArray  *changes,
                                  GError    **error);

/* bh-store-writer.c */
char *_bh_store_records_checksum (const char *data,
                                  gsize       len);
gboolean _bh_store_records_read_file (const char  *path,
                                      char       **contents,
                                      gsize       *len,
                                      GError     **error);
int _bh_store_records_lock (const char  *path,
                            GError     **error);
void _bh_store_records_unlock (int fd);
void _bh_store_reread_thread (GTask        *task,
                              gpointer      source_object,
                              gpointer      task_data,
                              GCancellable *cancellable);
void _bh_store_queued_job_free (gpointer data);
void _bh_store_queue_job (BhStore         *self,
                          GTask           *task,
                          GTaskThreadFunc  func);
void _bh_store_job_finished (BhStore *self);
void _bh_store_note_touched (BhStore    *self,
                             const char *app_id);
void _bh_store_records_write_async (BhStore             *self,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean _bh_store_records_write_finish (BhStore       *self,
                                         GAsyncResult  *result,
                                         GError       **error);
gboolean _bh_store_records_move_aside (const char  *path,
                                       char       **aside,
                                       int         *saved_errno);

/* bh-store-health.c */
BhStoreChange *_bh_store_change_put_app_health     (BhApp     *app);
BhStoreChange *_bh_store_change_put_account_health (BhAccount *account);

/* bh-store-follow.c */
void _bh_store_sync_model (BhStore   *self,
                           GPtrArray *disk_apps);
void _bh_store_take_created (BhStore   *self,
                             GPtrArray *changes);
void _bh_store_reread_done (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data);
void _bh_store_start_monitor (BhStore *self);

/* bh-store-items.c */
gboolean _bh_store_attributes_match (GHashTable *have,
                                     GHashTable *want);
gboolean _bh_store_retrievable_is_locked (SecretRetrievable *retrievable);
void _bh_store_item_remove_outdated_async (SecretRetrievable   *retrievable,
                                           GHashTable          *replacement,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean _bh_store_item_remove_outdated_finish (GAsyncResult  *result,
                                                GError       **error);
void _bh_store_retag_app_async (BhStore             *self,
                                BhApp               *proposed,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
gboolean _bh_store_retag_app_finish (BhStore       *self,
                                     GAsyncResult  *result,
                                     GError       **error);

/* bh-store-secrets.c */
void _bh_store_find_secret_async (BhStore             *self,
                                  GHashTable          *attributes,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
BhSecret *_bh_store_find_secret_finish (BhStore       *self,
                                        GAsyncResult  *result,
                                        GError       **error);
void _bh_store_clear_secrets_async (BhStore             *self,
                                    GHashTable          *attributes,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean _bh_store_clear_secrets_finish (BhStore       *self,
                                         GAsyncResult  *result,
                                         GError       **error);
void _bh_store_store_secret_async (BhStore             *self,
                                   const char          *kind,
                                   BhApp               *app,
                                   const char          *user_id,
                                   const char          *screen_name,
                                   const char          *secret,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean _bh_store_store_secret_finish (BhStore       *self,
                                        GAsyncResult  *result,
                                        GError       **error);


/* bh-store-scan.c */
void _bh_store_scanned_item_free (BhScannedItem *item);
void _bh_store_keyring_scan_async (BhStore             *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
GPtrArray *_bh_store_keyring_scan_finish (BhStore       *self,
                                          GAsyncResult  *result,
                                          gboolean      *any_locked,
                                          GError       **error);

/* bh-store-accounts.c */
GError *_bh_store_account_gone_error (BhAccount *account);
void _bh_store_save_account_start (BhStore    *self,
                                   GTask      *task,
                                   BhApp      *app,
                                   const char *user_id,
                                   const char *screen_name,
                                   const char *name,
                                   const char *access_level);

/* bh-store-op.c */
BhStoreOp *_bh_store_op_new (GTask *task);
gboolean _bh_store_keyring_step_finish (BhStore       *self,
                                        GAsyncResult  *result,
                                        GError       **error);
GTask *_bh_store_op_task_new (BhStore             *self,
                              gpointer             source_tag,
                              BhApp               *app,
                              BhAccount           *account,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
void _bh_store_op_store_secret (BhStore             *self,
                                GTask               *task,
                                const char          *kind,
                                BhApp               *app,
                                const char          *user_id,
                                const char          *screen_name,
                                const char          *secret,
                                GCancellable        *cancellable,
                                BhStoreOpRecordFunc  record,
                                GAsyncReadyCallback  written);
void _bh_store_op_clear_secrets (BhStore             *self,
                                 GTask               *task,
                                 GHashTable          *ident,
                                 GCancellable        *cancellable,
                                 BhStoreOpRecordFunc  record,
                                 GAsyncReadyCallback  written);
void _bh_store_op_find_secret (BhStore              *self,
                               GTask                *task,
                               GHashTable           *ident,
                               GCancellable         *cancellable,
                               BhStoreOpMissingFunc  missing,
                               GAsyncReadyCallback   found);
BhSecret *_bh_store_op_find_secret_finish (BhStore       *self,
                                           GAsyncResult  *result,
                                           GTask        **task);
void _bh_store_op_set_busy (BhStoreOp  *op,
                            BhStore    *self,
                            const char *app_id);
void _bh_store_undo_secrets (BhStore    *self,
                             GTask      *task,
                             GError     *error,
                             const char *kind,
                             const char *app_id,
                             const char *user_id);
gboolean _bh_store_op_write_finish (BhStore       *self,
                                    GAsyncResult  *result,
                                    GTask        **task,
                                    const char    *app_id,
                                    const char    *user_id);
void _bh_store_op_written_boolean (GObject      *source,
                                   GAsyncResult *result,
                                   gpointer      user_data);

G_END_DECLS
