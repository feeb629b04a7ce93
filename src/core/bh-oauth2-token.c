/* bh-oauth2-token.c
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

#include "bh-oauth2-token.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-oauth2.h"
#include "bh-store.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

/*
 * A valid OAuth 2.0 access token for an account, refreshed first when it
 * expires within BH_OAUTH2_REFRESH_MARGIN seconds.
 *
 * X's refresh tokens are single-use: presenting a spent one ends the whole
 * grant. So a refresh happens only under an exclusive lock shared by every
 * process of the user (the window, any number of `birdhouse token`), one
 * lock file per account in $XDG_RUNTIME_DIR/birdhouse. Under the lock the
 * grant is read from the keyring AGAIN (another process may have refreshed
 * it while this one waited; on libsecret's file backend the keyring gate
 * reads the file again when another process changed it), and only when it
 * still needs it is it refreshed. The new access token, refresh token and
 * expiry are stored in ONE keyring write before the lock is let go, and
 * the old grant is forgotten only then.
 *
 *   lookup ─ fresh? ─────────────────────────────────────────→ token
 *      └ stale → lock (thread) → lookup again ─ fresh? → unlock → token
 *                                   └ stale → [client secret] → refresh
 *                                             → store (one write) → unlock
 *
 * A refresh X refuses (revoked, spent, expired grant) marks the account
 * NEEDS_REAUTH and deletes nothing. Nothing here blocks the calling
 * thread: waiting for the lock happens in a worker thread.
 */

typedef struct
{
  BhAccount     *account;
  BhApp         *app;
  BhXClient     *client;
  gboolean       force_refresh;
  BhOAuth2Grant *grant;
  BhSecret      *client_secret;
  int            lock_fd;
  char          *lock_path;
} TokenData;

/* The main thread's: per lock file, the runs of this process waiting for
 * the one that holds (or is taking) its lock. A process takes the file
 * lock once and hands it on from run to run, so that its waiters hold no
 * worker thread (the store's own jobs need those). */
static GHashTable *holders;  /* lock path → GQueue of GTask */

static void lock_acquired (GTask *task,
                           int    fd);

static void
release_lock (TokenData *data)
{
  GQueue *waiting;
  GTask *next;
  int fd = data->lock_fd;

  if (fd < 0)
    return;
  data->lock_fd = -1;

  waiting = holders != NULL ? g_hash_table_lookup (holders, data->lock_path) : NULL;
  next = waiting != NULL ? g_queue_pop_head (waiting) : NULL;
  if (next != NULL)
    {
      g_debug ("OAuth 2.0 refresh lock handed on within this process");
      lock_acquired (next, fd);
      return;
    }

  if (waiting != NULL)
    g_hash_table_remove (holders, data->lock_path);
  /* Closing the last descriptor releases the flock. */
  g_debug ("OAuth 2.0 refresh lock released");
  close (fd);
}

static void
token_data_free (TokenData *data)
{
  release_lock (data);
  g_clear_object (&data->account);
  g_clear_object (&data->app);
  g_clear_object (&data->client);
  g_clear_pointer (&data->grant, bh_oauth2_grant_free);
  bh_secret_clear (&data->client_secret);
  g_free (data->lock_path);
  g_free (data);
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * bh_oauth2_refresh_lock_path:
 * @account: an account
 *
 * Returns: (transfer full): the lock file that serializes refreshes of
 *   @account's grant across processes
 */
char *
bh_oauth2_refresh_lock_path (BhAccount *account)
{
  g_autofree char *ident = g_strconcat (bh_account_get_app_id (account), "\n", bh_account_get_user_id (account), NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ident, -1);
  g_autofree char *name = g_strconcat ("oauth2-refresh-", digest, ".lock", NULL);

  return g_build_filename (g_get_user_runtime_dir (), "birdhouse", name, NULL);
}

/* Return the access token of data->grant. */
static void
return_token (GTask *task)
{
  TokenData *data = g_task_get_task_data (task);

  release_lock (data);
  g_task_return_pointer (task, g_steal_pointer (&data->grant->access_token), (GDestroyNotify) bh_secret_free);
}

static void
return_refused (GTask *task)
{
  TokenData *data = g_task_get_task_data (task);

  g_task_return_new_error (task, BH_X_ERROR, BH_X_ERROR_OAUTH2_GRANT_REFUSED,
                           /* Translators: %s is the account's screen name, without “@”. */
                           _("X no longer accepts the OAuth 2.0 authorization of @%s (it was revoked, or it "
                             "expired). Authorize the account again."),
                           bh_account_get_screen_name (data->account));
}

static void
needs_reauth_recorded (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!bh_store_update_account_finish (BH_STORE (object), result, &error))
    g_debug ("Could not record that an account needs authorizing again: %s", error->message);

  return_refused (task);
}

/* X refused the grant: the person must authorize again. Nothing is
 * deleted; the grant stays in the keyring for them to revoke or replace. */
static void
fail_needs_reauth (GTask  *owned_task,
                   GError *cause)
{
  g_autoptr(GTask) task = owned_task;
  BhStore *store = g_task_get_source_object (task);
  TokenData *data = g_task_get_task_data (task);
  g_autoptr(GError) owned = cause;

  release_lock (data);
  g_debug ("The OAuth 2.0 grant was refused: %s", owned != NULL ? owned->message : "no refresh token");

  if (bh_account_get_state (data->account) == BH_ACCOUNT_STATE_NEEDS_REAUTH)
    {
      return_refused (task);
      return;
    }

  /* The records say so before the caller hears of it (a command line
   * process exits right after). */
  bh_account_set_state (data->account, BH_ACCOUNT_STATE_NEEDS_REAUTH);
  bh_store_update_account_async (store, data->account, NULL, needs_reauth_recorded, g_object_ref (task));
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* The keyring refused the new grant: the old refresh token is spent,
   * so the next refresh will be refused and ask for a new authorization.
   * Say so now rather than hand out a token that outlives its grant. */
  if (!bh_store_replace_oauth2_grant_finish (BH_STORE (object), result, &error))
    {
      release_lock (g_task_get_task_data (task));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  return_token (g_steal_pointer (&task));
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *store = g_task_get_source_object (task);
  TokenData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhOAuth2Grant) grant = NULL;

  grant = bh_x_client_oauth2_refresh_finish (BH_X_CLIENT (object), result, &error);
  if (grant == NULL)
    {
      if (g_error_matches (error, BH_X_ERROR, BH_X_ERROR_OAUTH2_GRANT_REFUSED))
        fail_needs_reauth (g_steal_pointer (&task), g_steal_pointer (&error));
      else
        {
          release_lock (data);
          g_task_return_error (task, g_steal_pointer (&error));
        }
      return;
    }

  /* X may leave out the scopes or a new refresh token: keep what was. */
  if (grant->scopes == NULL)
    grant->scopes = g_strdup (data->grant->scopes);
  if (grant->refresh_token == NULL)
    grant->refresh_token = g_steal_pointer (&data->grant->refresh_token);

  g_debug ("OAuth 2.0 access token refreshed; storing the new grant");
  g_clear_pointer (&data->grant, bh_oauth2_grant_free);
  data->grant = g_steal_pointer (&grant);
  /* Not cancellable: the old refresh token is spent, the new one must
   * reach the keyring. */
  bh_store_replace_oauth2_grant_async (store, data->account, data->grant, NULL,
                                       stored_cb, g_steal_pointer (&task));
}

static void
refresh (GTask *task)
{
  TokenData *data = g_task_get_task_data (task);

  bh_x_client_oauth2_refresh_async (data->client,
                                    bh_app_get_client_id (data->app),
                                    data->client_secret,
                                    data->grant->refresh_token,
                                    g_task_get_cancellable (task),
                                    refreshed_cb,
                                    task);
}

static void
client_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->client_secret = bh_store_lookup_client_secret_finish (BH_STORE (object), result, &error);
  if (data->client_secret == NULL)
    {
      release_lock (data);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  refresh (g_steal_pointer (&task));
}

static gboolean
needs_refresh (TokenData *data)
{
  return data->force_refresh ||
         bh_oauth2_grant_needs_refresh (data->grant, now_seconds (), BH_OAUTH2_REFRESH_MARGIN);
}

static void
locked_lookup_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhOAuth2Grant) grant = NULL;
  GCancellable *cancellable;

  grant = bh_store_lookup_oauth2_grant_finish (BH_STORE (object), result, &error);
  if (grant == NULL)
    {
      release_lock (data);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Another process refreshed while this one waited: its token is good,
   * and this one's refresh token is spent. */
  if (data->force_refresh && !bh_secret_equal (grant->access_token, data->grant->access_token))
    data->force_refresh = FALSE;
  g_clear_pointer (&data->grant, bh_oauth2_grant_free);
  data->grant = g_steal_pointer (&grant);

  if (!needs_refresh (data))
    {
      g_debug ("Another process refreshed the OAuth 2.0 grant meanwhile");
      return_token (g_steal_pointer (&task));
      return;
    }

  if (data->grant->refresh_token == NULL)
    {
      fail_needs_reauth (g_steal_pointer (&task), NULL);
      return;
    }

  if (!bh_app_get_has_client_secret (data->app))
    {
      refresh (g_steal_pointer (&task));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  bh_store_lookup_client_secret_async (BH_STORE (object), data->app, cancellable,
                                       client_secret_cb, g_steal_pointer (&task));
}

/* In a worker thread: waits for the account's refresh lock, a little at a
 * time so that a cancel is noticed. */
static void
lock_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      (fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               /* Translators: %s is a file name, the second %s the system's reason. */
                               _("Birdhouse could not open its lock file %s: %s"), path, g_strerror (saved_errno));
      return;
    }

  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno != EWOULDBLOCK && errno != EINTR)
        {
          int saved_errno = errno;

          close (fd);
          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                   /* Translators: %s is a file name, the second %s the system's reason. */
                                   _("Birdhouse could not lock its lock file %s: %s"), path, g_strerror (saved_errno));
          return;
        }
      if (g_cancellable_is_cancelled (cancellable))
        {
          close (fd);
          g_task_return_error_if_cancelled (task);
          return;
        }
      g_usleep (10 * 1000);
    }

  g_task_return_int (task, fd);
}

static void take_lock (GTask *task);

static void
locked_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize fd;

  fd = g_task_propagate_int (G_TASK (result), &error);
  if (fd < 0)
    {
      GQueue *waiting = NULL;
      GTask *next;

      /* The runs that waited behind this one try for themselves. */
      g_hash_table_steal_extended (holders, data->lock_path, NULL, (gpointer *) &waiting);
      while (waiting != NULL && (next = g_queue_pop_head (waiting)) != NULL)
        take_lock (next);
      g_clear_pointer (&waiting, g_queue_free);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  lock_acquired (g_steal_pointer (&task), (int) fd);
}

/* Takes over @owned_task, which now holds the lock @fd. */
static void
lock_acquired (GTask *owned_task,
               int    fd)
{
  g_autoptr(GTask) task = owned_task;
  BhStore *store = g_task_get_source_object (task);
  TokenData *data = g_task_get_task_data (task);
  GCancellable *cancellable;

  data->lock_fd = fd;
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      release_lock (data);
      g_task_return_error_if_cancelled (task);
      return;
    }

  g_debug ("OAuth 2.0 refresh lock taken; reading the grant again");
  cancellable = g_task_get_cancellable (task);
  bh_store_lookup_oauth2_grant_async (store, data->account, cancellable, locked_lookup_cb, g_steal_pointer (&task));
}

static void
first_lookup_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->grant = bh_store_lookup_oauth2_grant_finish (BH_STORE (object), result, &error);
  if (data->grant == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!needs_refresh (data))
    {
      return_token (g_steal_pointer (&task));
      return;
    }

  take_lock (g_steal_pointer (&task));
}

/* Takes over @owned_task: waits behind a run of this process that has the
 * account's lock, or takes it from the file in a worker thread. */
static void
take_lock (GTask *owned_task)
{
  g_autoptr(GTask) task = owned_task;
  TokenData *data = g_task_get_task_data (task);
  g_autoptr(GTask) lock = NULL;
  GQueue *waiting;

  if (holders == NULL)
    holders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_queue_free);

  waiting = g_hash_table_lookup (holders, data->lock_path);
  if (waiting != NULL)
    {
      g_queue_push_tail (waiting, g_steal_pointer (&task));
      return;
    }
  g_hash_table_insert (holders, g_strdup (data->lock_path), g_queue_new ());

  lock = g_task_new (g_task_get_source_object (task), g_task_get_cancellable (task), locked_cb,
                     g_object_ref (task));
  g_task_set_source_tag (lock, lock_thread);
  /* The descriptor must come back to be closed, cancelled or not. */
  g_task_set_check_cancellable (lock, FALSE);
  g_task_set_task_data (lock, g_strdup (data->lock_path), g_free);
  g_task_run_in_thread (lock, lock_thread);
}

/**
 * bh_oauth2_check_client:
 * @app: an App
 * @error: a BH_STORE_ERROR_NOT_FOUND saying what to do
 *
 * Returns: %TRUE when @app has the OAuth 2.0 Client ID that authorizing
 *   and refreshing need
 */
gboolean
bh_oauth2_check_client (BhApp   *app,
                        GError **error)
{
  if (bh_app_get_client_id (app) != NULL)
    return TRUE;

  g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
               /* Translators: %s is the App's name. */
               _("The App “%s” has no OAuth 2.0 Client ID. Add the one from the X developer "
                 "portal to the App, then authorize again."),
               bh_app_get_name (app));
  return FALSE;
}

/**
 * bh_oauth2_token_async:
 * @store: a #BhStore
 * @account: an account of @store with an OAuth 2.0 grant
 * @force_refresh: refresh even when the token is still valid (unless
 *   another process refreshed it meanwhile)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Gets a valid access token for @account: the stored one, or, when it
 * expires within BH_OAUTH2_REFRESH_MARGIN seconds, a refreshed one (see
 * the top of bh-oauth2-token.c for how refreshes across processes never
 * spend a refresh token twice). A refresh X refuses fails with
 * BH_X_ERROR_OAUTH2_GRANT_REFUSED and marks @account NEEDS_REAUTH.
 */
void
bh_oauth2_token_async (BhStore             *store,
                       BhAccount           *account,
                       gboolean             force_refresh,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  TokenData *data;
  BhApp *app;

  g_return_if_fail (BH_IS_STORE (store));
  g_return_if_fail (BH_IS_ACCOUNT (account));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_oauth2_token_async);

  app = bh_store_get_account_app (store, account);
  if (app == NULL)
    {
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                               /* Translators: %s is the account's screen name, without “@”. */
                               _("The App of @%s is no longer in Birdhouse."),
                               bh_account_get_screen_name (account));
      return;
    }
  if (!bh_oauth2_check_client (app, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (TokenData, 1);
  data->lock_fd = -1;
  data->account = g_object_ref (account);
  data->app = g_object_ref (app);
  data->force_refresh = force_refresh;
  data->lock_path = bh_oauth2_refresh_lock_path (account);
  g_task_set_task_data (task, data, (GDestroyNotify) token_data_free);

  data->client = bh_x_client_new (bh_app_get_api_host (app), &error);
  if (data->client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  bh_store_lookup_oauth2_grant_async (store, account, cancellable, first_lookup_cb, g_steal_pointer (&task));
}

/**
 * bh_oauth2_token_finish:
 * @store: a #BhStore
 * @result: the result
 * @error: a BH_STORE_ERROR, BH_X_ERROR or G_IO_ERROR
 *
 * Returns: (transfer full): the access token, a secret: free with
 *   bh_secret_free()
 */
BhSecret *
bh_oauth2_token_finish (BhStore       *store,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
