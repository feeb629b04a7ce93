/* bh-store-load.c: loading the records and reconciling them with the keyring
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

#include "config.h"

#include "bh-store-private.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bh-app-private.h"

typedef struct
{
  char      *path;
  GPtrArray *apps;
  GError    *damaged;
  char      *checksum;
  gboolean   whole;     /* a records file was there and read whole */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data->checksum);
  g_clear_pointer (&data->apps, g_ptr_array_unref);
  g_clear_error (&data->damaged);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autofree char *contents = NULL;
  g_autofree char *aside = NULL;
  int saved_errno = 0;
  g_autofree char *dir = g_path_get_dirname (data->path);
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  int lock_fd = -1;

  /* Under the lock, so that a file another process is writing is never
   * taken for damaged and moved aside; a folder that does not exist yet
   * has nothing to lock. */
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      lock_fd = _bh_store_records_lock (data->path, &error);
      if (lock_fd < 0)
        {
          g_debug ("Reading the records without the lock: %s", error->message);
          g_clear_error (&error);
        }
    }

  if (!_bh_store_records_read_file (data->path, &contents, &len, &error))
    {
      /* Too large: refused as it is, neither read nor moved. */
      _bh_store_records_unlock (lock_fd);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (contents == NULL || len == 0)
    {
      /* The first start: nothing recorded yet. */
      _bh_store_records_unlock (lock_fd);
      data->apps = g_ptr_array_new_with_free_func (g_object_unref);
      if (contents != NULL)
        data->checksum = _bh_store_records_checksum (contents, len);
      g_task_return_boolean (task, TRUE);
      return;
    }

  data->checksum = _bh_store_records_checksum (contents, len);
  data->apps = _bh_store_records_parse (contents, len, &error);
  if (data->apps != NULL)
    {
      _bh_store_records_unlock (lock_fd);
      data->whole = TRUE;
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT))
    {
      _bh_store_records_unlock (lock_fd);
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                               /* Translators: The first %s is the path of the records file; the
                                * second says which limit, such as “it has more than 1000 Apps”. */
                               _("The list of Apps and accounts in “%s” is over a limit of Birdhouse (%s). "
                                 "It was left as it is: make it smaller, or move it away, and start "
                                 "Birdhouse again."),
                               data->path, error->message);
      return;
    }

  /* Keep the damaged file as it is, for the user (or a bug report), and
   * start from an empty list that the keyring repairs. */
  if (!_bh_store_records_move_aside (data->path, &aside, &saved_errno))
    {
      _bh_store_records_unlock (lock_fd);
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                               /* Translators: The first %s is the path of the records file, the
                                * second what is wrong with it (such as “it has an unknown section
                                * [x]”), the third the path it was to be moved to, the fourth why
                                * it could not be moved. */
                               _("The list of Apps and accounts in “%s” is damaged (%s), and it could not "
                                 "be moved aside to “%s”: %s. Move or remove it, then start Birdhouse again."),
                               data->path, error->message, aside, g_strerror (saved_errno));
      return;
    }
  _bh_store_records_unlock (lock_fd);

  g_clear_pointer (&data->checksum, g_free);
  data->apps = g_ptr_array_new_with_free_func (g_object_unref);
  data->damaged = g_error_new (BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                               /* Translators: The first %s is the path of the records file, the
                                * second what is wrong with it (such as “it has an unknown section
                                * [x]”), the third the path it is kept as now. */
                               _("The list of Apps and accounts in “%s” is damaged (%s). It was kept, "
                                 "unchanged, as “%s”. Apps and accounts whose credentials are in the "
                                 "keyring are restored from it."),
                               data->path, error->message, aside);
  g_task_return_boolean (task, TRUE);
}

static char *
unique_app_name (BhStore    *self,
                 const char *wanted)
{
  g_autofree char *safe = NULL;
  char *name;

  /* The keyring's attributes are anyone's to write: made valid, and
   * short enough for a name, as a name typed in would be. */
  safe = _bh_store_safe_text (wanted, -1);
  g_strstrip (safe);
  if (g_utf8_strlen (safe, -1) > BH_STORE_MAX_NAME_LENGTH - 5)
    *g_utf8_offset_to_pointer (safe, BH_STORE_MAX_NAME_LENGTH - 5) = '\0';
  g_strstrip (safe);
  wanted = *safe != '\0' ? safe : _("Restored App");

  if (_bh_store_find_app_by_name_casefold (self, wanted, NULL) == NULL)
    return g_strdup (wanted);

  for (guint i = 2; ; i++)
    {
      /* Translators: the name of an App restored from the keyring when
       * another App already has its name; %s is the name, %u a number. */
      name = g_strdup_printf (_("%s (%u)"), wanted, i);
      if (_bh_store_find_app_by_name_casefold (self, name, NULL) == NULL)
        return name;
      g_free (name);
    }
}

/* The reconcile: what the keyring holds against the records. */

/* What the keyring holds, by id: the Apps with an API key secret, those
 * with a bearer token, those with a Client Secret, and the accounts
 * ("APP_ID USER_ID") with tokens. For restoring an App, the API key and
 * the Client ID its items carry (each item carries its own protocol's
 * key only), borrowed from the scanned items. */
typedef struct
{
  GHashTable *app_secrets;
  GHashTable *bearers;
  GHashTable *client_secrets;
  GHashTable *users;       /* "APP_ID USER_ID" → BhAccountCredentials */
  GHashTable *unrecorded;  /* "APP_ID USER_ID" → the first BhScannedItem */
  GHashTable *consumer_keys;
  GHashTable *client_ids;
} Presence;

static void
presence_init (Presence  *presence,
               GPtrArray *items)
{
  presence->app_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  presence->bearers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  presence->client_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  presence->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  presence->unrecorded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  presence->consumer_keys = g_hash_table_new (g_str_hash, g_str_equal);
  presence->client_ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < items->len; i++)
    {
      GHashTable *attributes = ((BhScannedItem *) g_ptr_array_index (items, i))->attributes;
      const char *kind = g_hash_table_lookup (attributes, "kind");
      const char *app_id = g_hash_table_lookup (attributes, "app-id");
      const char *consumer_key = g_hash_table_lookup (attributes, "consumer-key");
      const char *client_id = g_hash_table_lookup (attributes, "client-id");

      if (app_id == NULL || kind == NULL)
        continue;
      if (g_str_equal (kind, KIND_APP))
        g_hash_table_add (presence->app_secrets, g_strdup (app_id));
      else if (g_str_equal (kind, KIND_BEARER))
        g_hash_table_add (presence->bearers, g_strdup (app_id));
      else if (g_str_equal (kind, KIND_CLIENT_SECRET))
        g_hash_table_add (presence->client_secrets, g_strdup (app_id));

      if (_bh_store_check_text (consumer_key, BH_STORE_FIELD_API_KEY, FALSE, NULL))
        g_hash_table_insert (presence->consumer_keys, (gpointer) app_id, (gpointer) consumer_key);
      if (_bh_store_check_text (client_id, BH_STORE_FIELD_CLIENT_ID, FALSE, NULL))
        g_hash_table_insert (presence->client_ids, (gpointer) app_id, (gpointer) client_id);
    }
}

static void
presence_clear (Presence *presence)
{
  g_clear_pointer (&presence->app_secrets, g_hash_table_unref);
  g_clear_pointer (&presence->bearers, g_hash_table_unref);
  g_clear_pointer (&presence->client_secrets, g_hash_table_unref);
  g_clear_pointer (&presence->users, g_hash_table_unref);
  g_clear_pointer (&presence->unrecorded, g_hash_table_unref);
  g_clear_pointer (&presence->consumer_keys, g_hash_table_unref);
  g_clear_pointer (&presence->client_ids, g_hash_table_unref);
}

/* Changed since the scan began (added, removed, by this process or
 * another), or with a change in flight: the scan is older than the model
 * there, and the reconcile leaves the App alone. */
static gboolean
newer_than_scan (BhStore    *self,
                 const char *app_id)
{
  return (self->touched != NULL && g_hash_table_contains (self->touched, app_id)) ||
         g_hash_table_contains (self->busy, app_id);
}

/* A secret whose record was lost: brings the App back from the item's
 * attributes (and the keys its other items carry), marked so the UI can
 * say so. A redirect URI other than the default is not in the keyring:
 * the restored App has the default. Returns the App, now in the model,
 * or NULL when the attributes cannot make one. */
static BhApp *
restore_app (BhStore    *self,
             const char *app_id,
             GHashTable *attributes,
             Presence   *presence)
{
  g_autofree char *name = NULL;
  const char *consumer_key = g_hash_table_lookup (presence->consumer_keys, app_id);
  const char *client_id = g_hash_table_lookup (presence->client_ids, app_id);
  const char *api_host = g_hash_table_lookup (attributes, "api-host");
  g_autoptr(BhApp) app = NULL;
  BhStoreChange *change;

  if (api_host != NULL && !_bh_store_check_api_host (api_host, NULL))
    api_host = NULL;
  if (consumer_key == NULL && client_id == NULL)
    return NULL;

  name = unique_app_name (self, g_hash_table_lookup (attributes, "app-name"));
  app = bh_app_new (app_id, name, consumer_key, api_host);
  bh_app_set_client_id (app, client_id);
  bh_app_set_has_bearer (app, g_hash_table_contains (presence->bearers, app_id));
  bh_app_set_has_client_secret (app, g_hash_table_contains (presence->client_secrets, app_id));
  bh_app_set_restored (app, TRUE);
  _bh_store_insert_app (self, app);
  change = _bh_store_change_put_app (app, TRUE);
  change->restore = TRUE;
  _bh_store_queue_change (self, change);

  return app;
}

/* Tokens whose record was lost: brings the account back, authorized when
 * its item was created (the best guess there is). */
static void
restore_account (BhStore              *self,
                 BhApp                *app,
                 const char           *user_id,
                 BhScannedItem        *item,
                 BhAccountCredentials  credentials)
{
  g_autofree char *screen_name = _bh_store_safe_text (g_hash_table_lookup (item->attributes, "screen-name"), -1);
  g_autoptr(BhAccount) account = bh_account_new (bh_app_get_id (app), user_id, g_strstrip (screen_name));
  BhStoreChange *change;

  if (item->created > 0)
    {
      g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc ((gint64) item->created);

      bh_account_set_authorized_at (account, created);
    }
  bh_account_set_restored (account, TRUE);
  bh_account_set_credentials (account, credentials);
  _bh_app_add_account (app, account);
  change = _bh_store_change_put_account (account, TRUE);
  change->restore = TRUE;
  _bh_store_queue_change (self, change);
}

/* Notes one keyring item in @presence, restoring the records it has none
 * of. Returns TRUE when a record was restored. */
static gboolean
take_item (BhStore       *self,
           BhScannedItem *item,
           Presence      *presence)
{
  const char *kind = g_hash_table_lookup (item->attributes, "kind");
  const char *app_id = g_hash_table_lookup (item->attributes, "app-id");
  const char *user_id = g_hash_table_lookup (item->attributes, "user-id");
  gboolean restored = FALSE;
  BhApp *app;

  /* An item no record could be made of (written by hand, or by
   * something else) is left alone. */
  if (kind == NULL || app_id == NULL || !_bh_store_check_text (app_id, BH_STORE_FIELD_APP_ID, FALSE, NULL))
    return FALSE;

  if (newer_than_scan (self, app_id))
    return FALSE;

  if ((app = _bh_store_find_app_by_id (self, app_id)) == NULL)
    {
      if ((app = restore_app (self, app_id, item->attributes, presence)) == NULL)
        return FALSE;
      restored = TRUE;
    }

  if (KIND_IS_ACCOUNT_ITEM (kind) && user_id != NULL && _bh_store_check_text (user_id, BH_STORE_FIELD_USER_ID, FALSE, NULL))
    {
      char *key = g_strconcat (app_id, " ", user_id, NULL);
      BhAccountCredentials credentials = GPOINTER_TO_UINT (g_hash_table_lookup (presence->users, key));

      credentials |= g_str_equal (kind, KIND_OAUTH2_GRANT) ? BH_ACCOUNT_CREDENTIALS_OAUTH2
                                                          : BH_ACCOUNT_CREDENTIALS_OAUTH1;
      /* Restored once every item was seen, with all the kinds it has. */
      if (_bh_store_find_account_by_user_id (app, user_id) == NULL &&
          !g_hash_table_contains (presence->unrecorded, key))
        g_hash_table_insert (presence->unrecorded, g_strdup (key), item);
      g_hash_table_insert (presence->users, key, GUINT_TO_POINTER (credentials));
    }

  return restored;
}

/* Brings back the accounts whose items have no record, in the order of
 * the scan. Returns TRUE when one was. */
static gboolean
restore_accounts (BhStore   *self,
                  GPtrArray *items,
                  Presence  *presence)
{
  gboolean restored = FALSE;

  for (guint k = 0; k < items->len; k++)
    {
      BhScannedItem *item = g_ptr_array_index (items, k);
      const char *app_id = g_hash_table_lookup (item->attributes, "app-id");
      const char *user_id = g_hash_table_lookup (item->attributes, "user-id");
      g_autofree char *key = NULL;
      BhApp *app;

      if (app_id == NULL || user_id == NULL)
        continue;

      key = g_strconcat (app_id, " ", user_id, NULL);
      if (g_hash_table_lookup (presence->unrecorded, key) != item ||
          (app = _bh_store_find_app_by_id (self, app_id)) == NULL)
        continue;

      restore_account (self, app, user_id, item, GPOINTER_TO_UINT (g_hash_table_lookup (presence->users, key)));
      restored = TRUE;
    }

  return restored;
}

/* Marks what the keyring lacks (or holds again) on every App and account
 * the scan is not older than. */
static void
mark_model (BhStore  *self,
            Presence *presence)
{
  guint n_apps = g_list_model_get_n_items (G_LIST_MODEL (self->apps));

  for (guint i = 0; i < n_apps; i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (self->apps), i);
      const char *app_id = bh_app_get_id (app);
      GListModel *accounts = bh_app_get_accounts (app);
      guint n = g_list_model_get_n_items (accounts);

      if (newer_than_scan (self, app_id))
        continue;

      bh_app_set_has_secret (app, g_hash_table_contains (presence->app_secrets, app_id));
      bh_app_set_has_bearer (app, g_hash_table_contains (presence->bearers, app_id));
      bh_app_set_has_client_secret (app, g_hash_table_contains (presence->client_secrets, app_id));

      for (guint j = 0; j < n; j++)
        {
          g_autoptr(BhAccount) account = g_list_model_get_item (accounts, j);
          g_autofree char *key = g_strconcat (app_id, " ", bh_account_get_user_id (account), NULL);

          BhAccountCredentials credentials = GPOINTER_TO_UINT (g_hash_table_lookup (presence->users, key));

          if (credentials == BH_ACCOUNT_CREDENTIALS_NONE)
            bh_account_set_state (account, BH_ACCOUNT_STATE_SECRET_MISSING);
          else
            {
              /* The keyring is the truth about which credentials exist. */
              bh_account_set_credentials (account, credentials);
              if (bh_account_get_state (account) == BH_ACCOUNT_STATE_SECRET_MISSING)
                bh_account_set_state (account, BH_ACCOUNT_STATE_OK);
            }
        }
    }
}

/* Matches what the keyring holds against the records. Returns TRUE when a
 * record was added (restored), so the records must be written. */
static gboolean
reconcile (BhStore   *self,
           GPtrArray *items,
           gboolean   any_locked)
{
  Presence presence;
  gboolean changed = FALSE;

  presence_init (&presence, items);
  for (guint k = 0; k < items->len; k++)
    changed |= take_item (self, g_ptr_array_index (items, k), &presence);
  changed |= restore_accounts (self, items, &presence);
  mark_model (self, &presence);
  presence_clear (&presence);

  if (any_locked)
    _bh_store_note_keyring_locked (self);
  else
    _bh_store_note_keyring_available (self);

  g_clear_pointer (&self->touched, g_hash_table_unref);

  return changed;
}

static void
load_finish_task (GTask *task)
{
  LoadData *data = g_task_get_task_data (task);

  if (data->damaged != NULL)
    g_task_return_error (task, g_steal_pointer (&data->damaged));
  else
    g_task_return_boolean (task, TRUE);
}

static void
load_records_written (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!_bh_store_records_write_finish (BH_STORE (source), result, &error) && data->damaged == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  load_finish_task (task);
}

static void
load_keyring_searched (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gboolean any_locked = FALSE;
  gboolean changed;

  items = _bh_store_keyring_scan_finish (self, result, &any_locked, &error);
  if (items == NULL)
    {
      g_autoptr(GError) mapped = _bh_store_map_keyring_error (self, error, g_task_get_cancellable (task));

      /* A locked or absent keyring does not fail the load: the records are
       * listed and "keyring-status" says why secrets cannot be used. */
      if (g_error_matches (mapped, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&mapped));
      else
        {
          if (self->keyring_status == BH_KEYRING_STATUS_UNKNOWN ||
              self->keyring_status == BH_KEYRING_STATUS_AVAILABLE)
            _bh_store_set_keyring_status (self, BH_KEYRING_STATUS_UNAVAILABLE, mapped);
          load_finish_task (task);
        }
      return;
    }

  changed = reconcile (self, items, any_locked);

  if (changed)
    _bh_store_records_write_async (self, load_records_written, g_steal_pointer (&task));
  else
    load_finish_task (task);
}

static void
load_records_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  guint n_old;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      _bh_store_job_finished (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->apps));
  if (n_old == 0)
    _bh_store_insert_apps (self, data->apps);
  else
    {
      /* Loading again (the keyring banner's Retry): the objects stay, so
       * that the window keeps its selection. */
      _bh_store_sync_model (self, data->apps);
    }
  g_clear_pointer (&data->apps, g_ptr_array_unref);
  g_free (self->checksum);
  self->checksum = g_steal_pointer (&data->checksum);

  _bh_store_set_loaded (self);

  _bh_store_start_monitor (self);

  /* From now on, what changes in the model is newer than the keyring
   * scan: the reconcile leaves it alone. */
  g_clear_pointer (&self->touched, g_hash_table_unref);
  self->touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  _bh_store_job_finished (self);

  /* A command that uses one App's credentials needs no reconcile when the
   * records are whole: it reads the secrets it needs, and says so when
   * one is missing. */
  if (self->quick_load && data->whole)
    {
      self->reconciled = FALSE;
      load_finish_task (task);
      return;
    }
  self->reconciled = TRUE;

  /* Presence is all the reconcile needs: no unlock (no prompt at
   * start-up), no secret transferred. */
  cancellable = g_task_get_cancellable (task);
  _bh_store_keyring_scan_async (self, cancellable, load_keyring_searched, g_steal_pointer (&task));
}

/**
 * bh_store_load_async:
 * @self: a #BhStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the records are listed and the keyring reconciled
 * @user_data: for @callback
 *
 * Reads the records (the list is complete when "loaded" turns %TRUE), then
 * reconciles them with the keyring. See bh-store.h for the failures.
 */
void
bh_store_load_async (BhStore             *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GTask *read_task;
  LoadData *data;

  g_return_if_fail (BH_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_load_async);
  data = g_new0 (LoadData, 1);
  data->path = g_strdup (self->records_path);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  /* The thread fills @data; the outer task keeps it alive meanwhile. In
   * the queue of jobs: a write asked for meanwhile comes after it. */
  read_task = g_task_new (NULL, cancellable, load_records_read, g_steal_pointer (&task));
  g_task_set_source_tag (read_task, bh_store_load_async);
  g_task_set_task_data (read_task, data, NULL);
  _bh_store_queue_job (self, g_steal_pointer (&read_task), load_thread);
}

/**
 * bh_store_load_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: BH_STORE_ERROR_RECORDS_DAMAGED (the list still works, restored
 *   from the keyring), BH_STORE_ERROR_FAILED, or a cancellation
 *
 * Returns: %TRUE when the records were read whole
 */
gboolean
bh_store_load_finish (BhStore       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * bh_store_set_quick_load:
 * @self: a #BhStore
 * @quick: whether loads may skip the keyring reconcile
 *
 * With @quick, a load whose records file is read whole lists the records
 * without scanning the keyring: what a command that uses one App's
 * credentials needs, some milliseconds sooner. Nothing is restored or
 * marked missing then (bh_store_get_reconciled() says so); a damaged or
 * missing records file is still reconciled.
 */
void
bh_store_set_quick_load (BhStore  *self,
                         gboolean  quick)
{
  g_return_if_fail (BH_IS_STORE (self));

  self->quick_load = !!quick;
}

/**
 * bh_store_get_reconciled:
 * @self: a #BhStore
 *
 * Returns: whether the last load reconciled the records with the keyring
 */
gboolean
bh_store_get_reconciled (BhStore *self)
{
  g_return_val_if_fail (BH_IS_STORE (self), FALSE);

  return self->reconciled;
}
