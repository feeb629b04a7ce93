/* bh-store-writer.c: reading, locking and writing the records file, one job at a time
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
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

char *
_bh_store_records_checksum (const char *data,
                            gsize       len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

static GError *
too_large_error (const char *path)
{
  return g_error_new (BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                      /* Translators: %s is the path of the records file; %d is its largest size,
                       * in MiB. */
                      _("The list of Apps and accounts in “%s” is larger than %d MiB, more than Birdhouse "
                        "reads. It was left as it is: move it away, or make it smaller, and start "
                        "Birdhouse again."),
                      path, BH_STORE_MAX_RECORDS_SIZE / (1024 * 1024));
}

/* Reads the records file, refusing one over the size limit before reading
 * it. A missing file is not an error: *@contents is NULL. */
gboolean
_bh_store_records_read_file (const char  *path,
                             char       **contents,
                             gsize       *len,
                             GError     **error)
{
  g_autofree char *data = NULL;
  struct stat st;
  gsize done = 0, capacity;
  int fd;

  *contents = NULL;
  *len = 0;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return TRUE;

      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                   /* Translators: %s is the system's reason. */
                   _("The list of Apps could not be read: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) != 0 || st.st_size > BH_STORE_MAX_RECORDS_SIZE)
    {
      close (fd);
      g_propagate_error (error, too_large_error (path));
      return FALSE;
    }

  /* As large as the file, grown if it grows meanwhile, up to one byte
   * over the limit. */
  capacity = (gsize) st.st_size + 1;
  data = g_malloc (capacity + 1);
  for (;;)
    {
      gssize n;

      if (done == capacity)
        {
          capacity = MIN (capacity * 2, (gsize) BH_STORE_MAX_RECORDS_SIZE + 1);
          data = g_realloc (data, capacity + 1);
        }

      n = read (fd, data + done, capacity - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                       /* Translators: %s is the system's reason. */
                       _("The list of Apps could not be read: %s"), g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)
        break;
      done += n;
      if (done > BH_STORE_MAX_RECORDS_SIZE)
        {
          close (fd);
          g_propagate_error (error, too_large_error (path));
          return FALSE;
        }
    }
  close (fd);

  data[done] = '\0';
  *contents = g_steal_pointer (&data);
  *len = done;

  return TRUE;
}

/* The lock every process takes around a read-modify-write of the records:
 * flock() on a file of its own beside them (the records file itself is
 * replaced by a rename, which would leave a lock on the old one). Taken in
 * a worker thread, never on the main loop. Returns the descriptor to
 * close, or -1. */
int
_bh_store_records_lock (const char  *path,
                        GError     **error)
{
  g_autofree char *lock_path = g_strconcat (path, ".lock", NULL);
  int fd;

  fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                   /* Translators: The first %s is the path of the lock file, the second the
                    * system's reason. */
                   _("The list of Apps could not be locked (“%s”): %s"),
                   lock_path, g_strerror (saved_errno));
      return -1;
    }

  while (flock (fd, LOCK_EX) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;

      close (fd);
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                   /* Translators: The first %s is the path of the lock file, the second the
                    * system's reason. */
                   _("The list of Apps could not be locked (“%s”): %s"),
                   lock_path, g_strerror (saved_errno));
      return -1;
    }

  return fd;
}

void
_bh_store_records_unlock (int fd)
{
  if (fd >= 0)
    close (fd);
}

static void
records_job_free (BhRecordsJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->changes, g_ptr_array_unref);
  g_free (job->fallback);
  g_free (job->known);
  g_clear_pointer (&job->apps, g_ptr_array_unref);
  g_free (job->checksum);
  g_free (job);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BhRecordsJob *job = task_data;
  g_autofree char *dir = g_path_get_dirname (job->path);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  gboolean from_fallback = FALSE;
  gsize len = 0, out_len = 0;
  int lock_fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                               /* Translators: The first %s is the path of a folder, the second
                                * the system's reason. */
                               _("The folder “%s” could not be created: %s"),
                               dir, g_strerror (saved_errno));
      return;
    }

  lock_fd = _bh_store_records_lock (job->path, &error);
  if (lock_fd < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!_bh_store_records_read_file (job->path, &contents, &len, &error))
    {
      _bh_store_records_unlock (lock_fd);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (contents == NULL)
    {
      /* Gone: nobody else removes the file, so this is the first write,
       * or a user removed it; the model is the best there is. */
      from_fallback = TRUE;
    }
  else if (len > 0)
    {
      g_autoptr(GPtrArray) apps = _bh_store_records_parse (contents, len, &error);

      if (apps == NULL && g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT))
        {
          g_autofree char *message = g_strdup (error->message);

          _bh_store_records_unlock (lock_fd);
          g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                                   /* Translators: The first %s is the path of the records file;
                                    * the second says which limit, such as “it has more than 1000
                                    * Apps”. */
                                   _("The list of Apps and accounts in “%s” is over a limit of "
                                     "Birdhouse (%s); it was left as it is."),
                                   job->path, message);
          return;
        }

      if (apps == NULL)
        {
          g_autofree char *aside = NULL;
          int saved_errno = 0;

          /* Damaged since it was read: kept as it is, as at load. */
          if (!_bh_store_records_move_aside (job->path, &aside, &saved_errno))
            {
              _bh_store_records_unlock (lock_fd);
              g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                                       /* Translators: The first %s is the path of the records
                                        * file, the second what is wrong with it, the third why it
                                        * could not be moved. */
                                       _("The list of Apps and accounts in “%s” is damaged (%s), and "
                                         "it could not be moved aside: %s."),
                                       job->path, error->message, g_strerror (saved_errno));
              return;
            }
          g_debug ("The records file is damaged (%s); kept as %s", error->message, aside);
          g_clear_error (&error);
          from_fallback = TRUE;
        }
      else if (!g_key_file_load_from_data (key_file, contents, len, G_KEY_FILE_KEEP_COMMENTS, &error))
        g_assert_not_reached ();  /* _bh_store_records_parse() loaded it already */
    }

  if (from_fallback && job->fallback != NULL &&
      !g_key_file_load_from_data (key_file, job->fallback, job->fallback_len, G_KEY_FILE_KEEP_COMMENTS, NULL))
    g_clear_pointer (&key_file, g_key_file_unref);

  if (key_file == NULL)
    key_file = g_key_file_new ();
  if (!g_key_file_has_group (key_file, GROUP_BIRDHOUSE))
    _bh_store_records_init (key_file);

  if (!_bh_store_records_apply (key_file, job->changes, &error))
    {
      _bh_store_records_unlock (lock_fd);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  out = g_key_file_to_data (key_file, &out_len, NULL);
  if (out_len > BH_STORE_MAX_RECORDS_SIZE)
    {
      _bh_store_records_unlock (lock_fd);
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                               /* Translators: %d is the largest size of the records file, in MiB. */
                               _("The list of Apps and accounts would grow over %d MiB, more than Birdhouse "
                                 "keeps. Nothing was changed."),
                               BH_STORE_MAX_RECORDS_SIZE / (1024 * 1024));
      return;
    }

  /* What the model follows, and a last check that what is written reads
   * back. */
  job->apps = _bh_store_records_parse (out, out_len, &error);
  if (job->apps == NULL)
    {
      _bh_store_records_unlock (lock_fd);
      g_task_return_new_error (task, BH_STORE_ERROR, error->code,
                               /* Translators: %s is the reason. */
                               _("The list of Apps could not be saved: %s"), error->message);
      return;
    }

  /* CONSISTENT: a temporary file, fsync, then rename; a crash leaves the
   * old file or the new one, never half of one. */
  if ((contents == NULL || len != out_len || memcmp (contents, out, len) != 0) &&
      !g_file_set_contents_full (job->path, out, out_len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      _bh_store_records_unlock (lock_fd);
      g_clear_pointer (&job->apps, g_ptr_array_unref);
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                               /* Translators: %s is the reason. */
                               _("The list of Apps could not be saved: %s"), error->message);
      return;
    }

  _bh_store_records_unlock (lock_fd);
  job->checksum = _bh_store_records_checksum (out, out_len);
  g_task_return_boolean (task, TRUE);
}

/* Another process changed the file: read it again (no lock: the file is
 * only ever replaced whole). Nothing to follow when it is gone, damaged
 * or unchanged; the next load or write deals with those. */
void
_bh_store_reread_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  BhRecordsJob *job = task_data;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  if (!_bh_store_records_read_file (job->path, &contents, &len, &error) || contents == NULL)
    {
      g_debug ("The records file was not read again: %s", error ? error->message : "it is gone");
      g_task_return_boolean (task, TRUE);
      return;
    }

  job->checksum = _bh_store_records_checksum (contents, len);
  if (g_strcmp0 (job->checksum, job->known) == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (len == 0)
    job->apps = g_ptr_array_new_with_free_func (g_object_unref);
  else
    job->apps = _bh_store_records_parse (contents, len, &error);

  if (job->apps == NULL)
    g_debug ("The records file changed, and is damaged: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

/* The jobs: one at a time, in the order asked. */

typedef struct
{
  GTask           *task;  /* NULL for a re-read, made when it starts */
  GTaskThreadFunc  func;
} QueuedJob;

void
_bh_store_queued_job_free (gpointer data)
{
  QueuedJob *queued = data;

  /* Only re-reads, which hold no reference, can be left at finalize. */
  g_clear_object (&queued->task);
  g_free (queued);
}

static void
run_next_job (BhStore *self)
{
  QueuedJob *queued;

  if (self->job_running || (queued = g_queue_pop_head (self->jobs)) == NULL)
    return;

  self->job_running = TRUE;

  if (queued->task == NULL)
    {
      GWeakRef *weak = g_new0 (GWeakRef, 1);
      BhRecordsJob *job = g_new0 (BhRecordsJob, 1);

      g_weak_ref_init (weak, self);
      job->path = g_strdup (self->records_path);
      queued->task = g_task_new (NULL, NULL, _bh_store_reread_done, weak);
      g_task_set_source_tag (queued->task, _bh_store_reread_done);
      g_task_set_task_data (queued->task, job, (GDestroyNotify) records_job_free);
    }

  if (queued->func == write_thread)
    {
      BhRecordsJob *job = g_task_get_task_data (queued->task);
      g_autoptr(GPtrArray) apps = _bh_store_dup_apps (self);

      /* Taken now, after every earlier job reached the model. */
      job->fallback = _bh_store_records_serialize (apps, &job->fallback_len);
    }
  else if (queued->func == _bh_store_reread_thread)
    {
      BhRecordsJob *job = g_task_get_task_data (queued->task);

      self->reread_queued = FALSE;
      job->known = g_strdup (self->checksum);
    }

  g_task_run_in_thread (queued->task, queued->func);
  _bh_store_queued_job_free (queued);
}

void
_bh_store_queue_job (BhStore         *self,
                     GTask           *task,
                     GTaskThreadFunc  func)
{
  QueuedJob *queued = g_new0 (QueuedJob, 1);

  queued->task = task;
  queued->func = func;
  g_queue_push_tail (self->jobs, queued);
  run_next_job (self);
}

void
_bh_store_job_finished (BhStore *self)
{
  self->job_running = FALSE;
  run_next_job (self);
}

void
_bh_store_note_touched (BhStore    *self,
                        const char *app_id)
{
  if (self->touched != NULL && app_id != NULL)
    g_hash_table_add (self->touched, g_strdup (app_id));
}

/* Writing ----------------------------------------------------------------------- */

static void
write_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) caller = user_data;
  BhStore *self = g_task_get_source_object (caller);
  BhRecordsJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error) && self->apps != NULL)
    {
      _bh_store_take_created (self, job->changes);
      _bh_store_sync_model (self, job->apps);
      g_free (self->checksum);
      self->checksum = g_strdup (job->checksum);
    }

  /* The next job starts after this one reached the model, and before the
   * caller goes on. */
  _bh_store_job_finished (self);

  if (error != NULL)
    g_task_return_error (caller, g_steal_pointer (&error));
  else
    g_task_return_boolean (caller, TRUE);
}

/* Merges the changes queued with _bh_store_queue_change() into the records file
 * (a read-modify-write under the lock), then brings the model in line
 * with the file. Not cancellable: the file must follow the keyring once
 * the keyring changed. */
void
_bh_store_records_write_async (BhStore             *self,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) caller = g_task_new (self, NULL, callback, user_data);
  g_autoptr(GTask) task = NULL;
  BhRecordsJob *job;

  g_task_set_source_tag (caller, _bh_store_records_write_async);

  job = g_new0 (BhRecordsJob, 1);
  job->path = g_strdup (self->records_path);
  job->changes = g_steal_pointer (&self->pending_changes);
  self->pending_changes = g_ptr_array_new_with_free_func ((GDestroyNotify) _bh_store_change_free);

  /* No source object: the worker thread may drop its reference to the
   * task after write_done() ran. */
  task = g_task_new (NULL, NULL, write_done, g_steal_pointer (&caller));
  g_task_set_source_tag (task, _bh_store_records_write_async);
  g_task_set_task_data (task, job, (GDestroyNotify) records_job_free);
  _bh_store_queue_job (self, g_steal_pointer (&task), write_thread);
}

gboolean
_bh_store_records_write_finish (BhStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static char *
aside_path (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  char *aside = g_strdup_printf ("%s.damaged-%s", path, stamp);

  /* Never overwrite an earlier copy kept aside in the same second. */
  for (guint i = 2; g_file_test (aside, G_FILE_TEST_EXISTS); i++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.damaged-%s-%u", path, stamp, i);
    }

  return aside;
}

/* Keeps a damaged records file as it is, for the user (or a bug report),
 * beside it: *@aside is where, also when the move fails (then with the
 * reason in *@saved_errno). Called under the lock. */
gboolean
_bh_store_records_move_aside (const char  *path,
                              char       **aside,
                              int         *saved_errno)
{
  *aside = aside_path (path);
  if (g_rename (path, *aside) == 0)
    return TRUE;

  *saved_errno = errno;
  return FALSE;
}
