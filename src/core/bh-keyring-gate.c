/* bh-keyring-gate.c
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

/* One keyring operation at a time, on fresh data, on libsecret's file
 * backend.
 *
 * Inside Flatpak libsecret has no Secret Service: it keeps the items in an
 * encrypted file (unlocked with a key from the Secret portal), read once
 * into memory by the first operation of a process and written back whole
 * after each change. Two facts of libsecret 0.20–0.21 follow:
 *
 *  - two operations started before the first has opened the file each open
 *    their own copy, and the second's change never reaches the first;
 *  - libsecret 0.20 never reads the file again, so the window, open for
 *    hours, neither sees what `flatpak run … birdhouse app add` stored
 *    meanwhile nor can it store anything after that: its next write is
 *    refused ("The file was externally modified").
 *
 * So on that backend every keyring operation of the store passes through
 * here: one at a time in the process, under an advisory lock shared with
 * every other Birdhouse process, and with libsecret's copy dropped
 * (secret_service_disconnect() forgets the cached backend too) whenever
 * the file changed since this process last used it. On the Secret
 * Service, where the daemon holds the one copy, only the first operation
 * waits, until libsecret knows its backend.
 */

#include "config.h"

#include "bh-keyring-gate.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

/* See bh-store.c: libsecret 0.20 does not include it from secret.h. */
#ifndef SECRET_TYPE_BACKEND
# define __SECRET_INSIDE_HEADER__
# include <libsecret/secret-backend.h>
# undef __SECRET_INSIDE_HEADER__
#endif

typedef enum
{
  BACKEND_UNKNOWN,
  BACKEND_SERVICE,
  BACKEND_FILE,
} Backend;

typedef struct
{
  GTask             *task;
  BhKeyringGateFunc  start;
} Waiter;

typedef struct
{
  dev_t    dev;
  ino_t    ino;
  off_t    size;
  gint64   mtime_ns;
  gboolean exists;
} FileStamp;

/* The main thread's: every store operation starts there. */
static Backend   backend = BACKEND_UNKNOWN;
static GQueue    waiters = G_QUEUE_INIT;
static gboolean  busy;
static int       lock_fd = -1;
static FileStamp last_seen;
static gboolean  last_seen_valid;
/* Copies libsecret let go of when told to read the file again. Its own
 * calls keep references to them that they never drop, so they stay in
 * memory anyway; held here, they stay reachable rather than leaked. */
static GPtrArray *retired;

static void gate_next (void);

/* Where libsecret's file backend keeps its items (secret-file-backend.c):
 * the test variable, or the user data folder, which inside Flatpak is the
 * App's own. */
char *
bh_keyring_gate_get_file_path (void)
{
  const char *path = g_getenv ("SECRET_FILE_TEST_PATH");

  if (path != NULL && *path != '\0')
    return g_strdup (path);

  return g_build_filename (g_get_user_data_dir (), "keyrings", "default.keyring", NULL);
}

/**
 * bh_keyring_gate_is_file_backend:
 *
 * Returns: %TRUE once an operation learned that libsecret uses its file
 *   backend (inside Flatpak)
 */
gboolean
bh_keyring_gate_is_file_backend (void)
{
  return backend == BACKEND_FILE;
}

static FileStamp
stamp_file (void)
{
  g_autofree char *path = bh_keyring_gate_get_file_path ();
  FileStamp stamp = { 0 };
  struct stat st;

  if (stat (path, &st) == 0)
    {
      stamp.exists = TRUE;
      stamp.dev = st.st_dev;
      stamp.ino = st.st_ino;
      stamp.size = st.st_size;
      stamp.mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
    }

  return stamp;
}

static gboolean
stamp_equal (const FileStamp *a,
             const FileStamp *b)
{
  return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino &&
         a->size == b->size && a->mtime_ns == b->mtime_ns;
}

static void
waiter_free (Waiter *waiter)
{
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static void
gate_release (GTask *task)
{
  g_signal_handlers_disconnect_matched (task, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, gate_release, NULL);

  if (lock_fd >= 0)
    {
      /* What this process wrote is what it holds now. */
      last_seen = stamp_file ();
      last_seen_valid = TRUE;
      if (flock (lock_fd, LOCK_UN) != 0)
        g_debug ("The keyring lock could not be released: %s", g_strerror (errno));
    }

  busy = FALSE;
  gate_next ();
}

static void
gate_start (Waiter *waiter)
{
  GTask *task = waiter->task;

  /* Held until the task has run its callback. */
  g_signal_connect (task, "notify::completed", G_CALLBACK (gate_release), NULL);
  waiter->start (task);
  waiter_free (waiter);
}

/* Takes the lock, in a thread: flock() waits for other processes. Then
 * notes how the keyring file looks, there too rather than on the main
 * loop. */
static void
lock_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  int fd = GPOINTER_TO_INT (task_data);
  FileStamp *stamp;

  while (flock (fd, LOCK_EX) != 0)
    {
      if (errno != EINTR)
        {
          int saved_errno = errno;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                   "%s", g_strerror (saved_errno));
          return;
        }
    }

  stamp = g_new (FileStamp, 1);
  *stamp = stamp_file ();
  g_task_return_pointer (task, stamp, g_free);
}

static void
current_backend_retired (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Waiter *waiter = user_data;
  g_autoptr(GError) error = NULL;
  SecretBackend *current = secret_backend_get_finish (result, &error);

  if (current != NULL)
    {
      if (retired == NULL)
        retired = g_ptr_array_new ();
      g_ptr_array_add (retired, current);
    }

  /* Forgets the cached backend too: the next call reads the file. */
  secret_service_disconnect ();
  gate_start (waiter);
}

static void
lock_taken (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Waiter *waiter = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree FileStamp *now = g_task_propagate_pointer (G_TASK (result), &error);

  if (now == NULL)
    {
      /* Unlocked is still one at a time in this process. */
      g_debug ("The keyring lock could not be taken: %s", error->message);
      gate_start (waiter);
      return;
    }

  if (!last_seen_valid || !stamp_equal (now, &last_seen))
    {
      /* Another process (or this one before it held the lock) changed the
       * file: let libsecret read it again. */
      g_debug ("The keyring file changed: reading it again");
      secret_backend_get (SECRET_BACKEND_NONE, NULL, current_backend_retired, waiter);
      return;
    }

  gate_start (waiter);
}

/* The lock lives beside the keyring file it guards (not in the records'
 * folder, which every Birdhouse process watches for changes). */
static int
open_lock_file (void)
{
  g_autofree char *keyring = bh_keyring_gate_get_file_path ();
  g_autofree char *dir = g_path_get_dirname (keyring);
  g_autofree char *path = g_strconcat (keyring, ".birdhouse-lock", NULL);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return -1;

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    g_debug ("The keyring lock file could not be opened: %s", g_strerror (errno));

  return fd;
}

static void
gate_enter_file (Waiter *waiter)
{
  g_autoptr(GTask) lock = NULL;

  if (lock_fd < 0)
    lock_fd = open_lock_file ();
  if (lock_fd < 0)
    {
      gate_start (waiter);
      return;
    }

  lock = g_task_new (NULL, NULL, lock_taken, waiter);
  g_task_set_source_tag (lock, gate_enter_file);
  g_task_set_task_data (lock, GINT_TO_POINTER (lock_fd), NULL);
  g_task_run_in_thread (lock, lock_thread);
}

static void
backend_known (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Waiter *waiter = user_data;
  /* Not released: libsecret caches the backend without a reference of its
   * own (and never releases those it takes), so the first caller's
   * reference is what keeps its cache valid. */
  SecretBackend *instance;
  g_autoptr(GError) error = NULL;

  instance = secret_backend_get_finish (result, &error);
  if (instance == NULL)
    {
      /* The operation itself meets and reports the same failure. */
      g_debug ("libsecret has no backend: %s", error->message);
      gate_start (waiter);
      return;
    }

  backend = SECRET_IS_SERVICE (instance) ? BACKEND_SERVICE : BACKEND_FILE;
  g_debug ("libsecret uses its %s backend", backend == BACKEND_FILE ? "file" : "Secret Service");
  if (backend == BACKEND_FILE)
    gate_enter_file (waiter);
  else
    gate_start (waiter);
}

static void
gate_next (void)
{
  Waiter *waiter;

  if (busy)
    return;

  /* On the Secret Service the daemon serializes: once the backend is
   * known, everything runs at once. */
  while (backend == BACKEND_SERVICE && (waiter = g_queue_pop_head (&waiters)) != NULL)
    {
      waiter->start (waiter->task);
      waiter_free (waiter);
    }

  waiter = g_queue_pop_head (&waiters);
  if (waiter == NULL)
    return;

  busy = TRUE;
  if (backend == BACKEND_FILE)
    gate_enter_file (waiter);
  else
    secret_backend_get (SECRET_BACKEND_NONE, NULL, backend_known, waiter);
}

/**
 * bh_keyring_gate_run:
 * @task: the operation's task
 * @start: starts its keyring work
 *
 * Calls @start now or once the keyring is free (see above). Every
 * operation that calls libsecret goes through here, except work that a
 * gated operation does on its behalf.
 */
void
bh_keyring_gate_run (GTask             *task,
                     BhKeyringGateFunc  start)
{
  Waiter *waiter;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (start != NULL);

  if (backend == BACKEND_SERVICE && !busy)
    {
      start (task);
      return;
    }

  waiter = g_new0 (Waiter, 1);
  waiter->task = g_object_ref (task);
  waiter->start = start;
  g_queue_push_tail (&waiters, waiter);
  gate_next ();
}
