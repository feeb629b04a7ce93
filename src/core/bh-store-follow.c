/* bh-store-follow.c: the model follows what other processes write to the records
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
#include <glib/gstdio.h>

#include "bh-app-private.h"

static void
sync_account (BhAccount *account,
              BhAccount *disk)
{
  GDateTime *authorized_at = bh_account_get_authorized_at (account);
  GDateTime *disk_authorized_at = bh_account_get_authorized_at (disk);
  gboolean reauthorized;

  reauthorized = (authorized_at == NULL) != (disk_authorized_at == NULL) ||
                 (authorized_at != NULL && !g_date_time_equal (authorized_at, disk_authorized_at));

  g_object_freeze_notify (G_OBJECT (account));
  bh_account_set_screen_name (account, bh_account_get_screen_name (disk));
  bh_account_set_name (account, bh_account_get_name (disk));
  bh_account_set_access_level (account, bh_account_get_access_level (disk));
  bh_account_set_authorized_at (account, disk_authorized_at);
  bh_account_set_rotated_at (account, bh_account_get_rotated_at (disk));
  bh_account_set_verified_at (account, bh_account_get_verified_at (disk));
  bh_account_set_restored (account, bh_account_get_restored (disk));
  bh_account_copy_credentials (account, disk);
  /* A missing secret is what the keyring said, which the file does not
   * always record; new tokens (a new authorization) end it. */
  if (bh_account_get_state (account) != BH_ACCOUNT_STATE_SECRET_MISSING || reauthorized)
    bh_account_set_state (account, bh_account_get_state (disk));
  g_object_thaw_notify (G_OBJECT (account));
}

/* Returns TRUE when anything changed. */
static gboolean
sync_app (BhApp *app,
          BhApp *disk)
{
  GListModel *accounts = bh_app_get_accounts (app);
  GListModel *disk_accounts = bh_app_get_accounts (disk);
  g_autoptr(GHashTable) on_disk = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (disk_accounts);
  gboolean changed = FALSE;

  changed |= g_strcmp0 (bh_app_get_name (app), bh_app_get_name (disk)) != 0 ||
             g_strcmp0 (bh_app_get_consumer_key (app), bh_app_get_consumer_key (disk)) != 0 ||
             g_strcmp0 (bh_app_get_api_host (app), bh_app_get_api_host (disk)) != 0 ||
             g_strcmp0 (bh_app_get_client_id (app), bh_app_get_client_id (disk)) != 0 ||
             g_strcmp0 (bh_app_get_redirect_uri (app), bh_app_get_redirect_uri (disk)) != 0 ||
             bh_app_get_has_bearer (app) != bh_app_get_has_bearer (disk) ||
             bh_app_get_has_client_secret (app) != bh_app_get_has_client_secret (disk);

  g_object_freeze_notify (G_OBJECT (app));
  /* An API key another process added came with its secret. */
  if (bh_app_get_consumer_key (app) == NULL)
    bh_app_set_has_secret (app, bh_app_get_has_secret (disk));
  bh_app_set_name (app, bh_app_get_name (disk));
  bh_app_set_consumer_key (app, bh_app_get_consumer_key (disk));
  bh_app_set_api_host (app, bh_app_get_api_host (disk));
  bh_app_set_has_bearer (app, bh_app_get_has_bearer (disk));
  bh_app_set_client_id (app, bh_app_get_client_id (disk));
  bh_app_set_redirect_uri (app, bh_app_get_redirect_uri (disk));
  bh_app_set_has_client_secret (app, bh_app_get_has_client_secret (disk));
  bh_app_set_restored (app, bh_app_get_restored (disk));
  for (guint i = 0; i < BH_APP_N_TIMES; i++)
    bh_app_set_time (app, i, bh_app_get_time (disk, i));
  g_object_thaw_notify (G_OBJECT (app));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhAccount) disk_account = g_list_model_get_item (disk_accounts, i);
      BhAccount *account = _bh_store_find_account_by_user_id (app, bh_account_get_user_id (disk_account));

      g_hash_table_add (on_disk, (gpointer) bh_account_get_user_id (disk_account));
      if (account != NULL)
        sync_account (account, disk_account);
      else
        {
          _bh_app_add_account (app, disk_account);
          changed = TRUE;
        }
    }

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (accounts, i);

      if (!g_hash_table_contains (on_disk, bh_account_get_user_id (account)))
        g_ptr_array_add (gone, g_steal_pointer (&account));
    }
  for (guint i = 0; i < gone->len; i++)
    _bh_app_remove_account (app, g_ptr_array_index (gone, i));

  return changed || gone->len > 0;
}

/* Brings the model in line with @disk_apps (what the file holds), by id:
 * the objects already in the model are kept and updated, so that views
 * and selections survive. The keyring's word (has-secret, a missing
 * account secret) stays as the model has it. */
void
_bh_store_sync_model (BhStore   *self,
                      GPtrArray *disk_apps)
{
  g_autoptr(GHashTable) on_disk = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) in_model = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->apps));

  for (guint i = 0; i < disk_apps->len; i++)
    g_hash_table_insert (on_disk, (gpointer) bh_app_get_id (disk_apps->pdata[i]), disk_apps->pdata[i]);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (self->apps), i);

      if (!g_hash_table_contains (on_disk, bh_app_get_id (app)))
        g_ptr_array_add (gone, g_steal_pointer (&app));
      else
        g_hash_table_insert (in_model, (gpointer) bh_app_get_id (app), app);
    }

  for (guint i = 0; i < gone->len; i++)
    {
      _bh_store_note_touched (self, bh_app_get_id (gone->pdata[i]));
      _bh_store_remove_app (self, gone->pdata[i]);
    }

  for (guint i = 0; i < disk_apps->len; i++)
    {
      BhApp *disk = disk_apps->pdata[i];
      BhApp *app = g_hash_table_lookup (in_model, bh_app_get_id (disk));

      if (app == NULL)
        {
          _bh_store_note_touched (self, bh_app_get_id (disk));
          _bh_store_insert_app (self, disk);
        }
      else if (sync_app (app, disk))
        _bh_store_note_touched (self, bh_app_get_id (app));
    }
}

/* The model takes the objects an operation created, before it follows the
 * file: the caller gets back the very object that is in the list. */
void
_bh_store_take_created (BhStore   *self,
                        GPtrArray *changes)
{
  for (guint i = 0; i < changes->len; i++)
    {
      BhStoreChange *change = g_ptr_array_index (changes, i);
      BhApp *app;

      _bh_store_note_touched (self, change->app_id);

      if (change->object == NULL)
        continue;

      app = _bh_store_find_app_by_id (self, change->app_id);
      if (change->kind == BH_STORE_CHANGE_PUT_APP && app == NULL)
        _bh_store_insert_app (self, BH_APP (change->object));
      else if (change->kind == BH_STORE_CHANGE_PUT_ACCOUNT && app != NULL &&
               _bh_store_find_account_by_user_id (app, change->user_id) == NULL)
        _bh_app_add_account (app, BH_ACCOUNT (change->object));
    }
}

/* A re-read holds the store weakly: following the file must not keep a
 * store alive that everyone else let go. */
void
_bh_store_reread_done (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(BhStore) self = g_weak_ref_get (weak);
  BhRecordsJob *job = g_task_get_task_data (G_TASK (result));

  g_weak_ref_clear (weak);
  g_free (weak);
  g_task_propagate_boolean (G_TASK (result), NULL);

  if (self == NULL)
    return;

  if (job->apps != NULL && self->apps != NULL)
    {
      g_debug ("The records file was changed by another process; following it");
      _bh_store_sync_model (self, job->apps);
    }
  if (job->checksum != NULL)
    {
      g_free (self->checksum);
      self->checksum = g_strdup (job->checksum);
    }

  _bh_store_job_finished (self);
}

static gboolean
reread_timeout_cb (gpointer user_data)
{
  BhStore *self = user_data;

  self->reread_id = 0;
  if (self->reread_queued)
    return G_SOURCE_REMOVE;

  /* Its task is made when it starts (run_next_job()). */
  self->reread_queued = TRUE;
  _bh_store_queue_job (self, NULL, _bh_store_reread_thread);

  return G_SOURCE_REMOVE;
}

static void
records_dir_changed (GFileMonitor      *monitor,
                     GFile             *file,
                     GFile             *other_file,
                     GFileMonitorEvent  event,
                     BhStore           *self)
{
  g_autofree char *name = g_path_get_basename (self->records_path);
  g_autofree char *file_name = g_file_get_basename (file);
  g_autofree char *other_name = other_file != NULL ? g_file_get_basename (other_file) : NULL;

  /* The file is replaced by a rename from a temporary one. */
  if (g_strcmp0 (file_name, name) != 0 && g_strcmp0 (other_name, name) != 0)
    return;

  /* A short pause gathers the events of one write into one read. */
  if (self->reread_id == 0)
    self->reread_id = g_timeout_add (50, reread_timeout_cb, self);
}

/* Watches the folder (the file itself is replaced, not written to). */
void
_bh_store_start_monitor (BhStore *self)
{
  g_autofree char *dir_path = g_path_get_dirname (self->records_path);
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;

  if (self->monitor != NULL)
    return;

  /* A folder that does not exist yet is watched by polling; create it so
   * that the first App another process adds shows at once. */
  if (g_mkdir_with_parents (dir_path, 0700) != 0)
    g_debug ("The folder %s could not be created: %s", dir_path, g_strerror (errno));

  dir = g_file_new_for_path (dir_path);
  self->monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->monitor == NULL)
    {
      g_debug ("Changes to the records by other processes will not show: %s", error->message);
      return;
    }

  g_signal_connect (self->monitor, "changed", G_CALLBACK (records_dir_changed), self);
}
