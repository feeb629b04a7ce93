/* bh-import.c
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

#include "bh-import.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-import-private.h"
#include "bh-store.h"
#include "bh-x-error.h"

/* The steps after parsing: check each item with the store and with X
 * (bh_import_check_async), store what may be stored and read it all back
 * (bh_import_store_async), and only when everything is in the keyring,
 * overwrite and remove the file (bh_import_remove_plaintext_async). Each
 * step walks the items in order, one request at a time. */

G_DEFINE_TYPE (BhImport, bh_import, G_TYPE_OBJECT)

G_DEFINE_QUARK (bh-import-error-quark, bh_import_error)

void
bh_import_item_free (BhImportItem *item)
{
  if (item == NULL)
    return;

  g_free (item->label);
  g_free (item->consumer_key);
  g_free (item->client_id);
  g_free (item->scopes);
  g_free (item->screen_name);
  bh_secret_free (item->secret);
  bh_secret_free (item->token);
  bh_secret_free (item->token_secret);
  g_free (item->detail);
  g_free (item->app_name);
  g_free (item->user_id);
  g_free (item->name);
  g_free (item->access_level);
  g_free (item);
}

const char *
bh_import_source_name (BhImportSource source)
{
  return source == BH_IMPORT_SOURCE_TWURL ? "twurl" : "xurl";
}

char *
bh_import_default_path (BhImportSource source)
{
  return g_build_filename (g_get_home_dir (),
                           source == BH_IMPORT_SOURCE_TWURL ? ".twurlrc" : ".xurl", NULL);
}

static void
bh_import_finalize (GObject *object)
{
  BhImport *self = BH_IMPORT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_object (&self->client);
  g_clear_pointer (&self->api_host, g_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (bh_import_parent_class)->finalize (object);
}

static void
bh_import_class_init (BhImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bh_import_finalize;
}

static void
bh_import_init (BhImport *self)
{
}

/**
 * bh_import_new:
 * @store: a loaded store
 * @source: twurl or xurl
 * @file: the file to read
 * @api_host: (nullable): where to check the credentials and what new
 *   Apps get; %NULL for X's
 *
 * Returns: (transfer full): a new import, to load next
 */
BhImport *
bh_import_new (BhStore        *store,
               BhImportSource  source,
               GFile          *file,
               const char     *api_host)
{
  BhImport *self;

  g_return_val_if_fail (BH_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (BH_TYPE_IMPORT, NULL);
  self->store = g_object_ref (store);
  self->source = source;
  self->file = g_object_ref (file);
  self->api_host = g_strdup (api_host);

  return self;
}

GFile *
bh_import_get_file (BhImport *self)
{
  g_return_val_if_fail (BH_IS_IMPORT (self), NULL);
  return self->file;
}

void
bh_import_set_api_host (BhImport   *self,
                        const char *api_host)
{
  g_return_if_fail (BH_IS_IMPORT (self));

  if (g_strcmp0 (self->api_host, api_host) == 0)
    return;
  g_free (self->api_host);
  self->api_host = g_strdup (api_host);
  g_clear_object (&self->client);
}

BhImportSource
bh_import_get_source (BhImport *self)
{
  g_return_val_if_fail (BH_IS_IMPORT (self), BH_IMPORT_SOURCE_TWURL);
  return self->source;
}

GPtrArray *
bh_import_get_items (BhImport *self)
{
  g_return_val_if_fail (BH_IS_IMPORT (self), NULL);
  return self->items;
}

/* Looking in the store ---------------------------------------------------- */

BhApp *
_bh_import_store_app_by_key (BhImport   *self,
                  const char *consumer_key)
{
  GListModel *apps = G_LIST_MODEL (self->store);

  if (consumer_key == NULL)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (apps); i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (apps, i);

      if (g_strcmp0 (bh_app_get_consumer_key (app), consumer_key) == 0)
        return app;
    }
  return NULL;
}

/* By user id when known, else by screen name. */
BhApp *
_bh_import_store_app_by_client_id (BhImport   *self,
                                   const char *client_id)
{
  GListModel *apps = G_LIST_MODEL (self->store);

  if (client_id == NULL)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (apps); i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (apps, i);

      if (g_strcmp0 (bh_app_get_client_id (app), client_id) == 0)
        return app;
    }
  return NULL;
}

BhAccount *
_bh_import_store_account (BhApp      *app,
               const char *user_id,
               const char *screen_name)
{
  GListModel *accounts;

  if (app == NULL)
    return NULL;

  accounts = bh_app_get_accounts (app);
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (accounts, i);

      if (user_id != NULL ? g_strcmp0 (bh_account_get_user_id (account), user_id) == 0
                          : (screen_name != NULL &&
                             g_ascii_strcasecmp (bh_account_get_screen_name (account), screen_name) == 0))
        return account;
    }
  return NULL;
}

void
_bh_import_set_app_name (BhImportItem *item,
              BhApp        *app)
{
  g_free (item->app_name);
  item->app_name = app != NULL ? g_strdup (bh_app_get_name (app)) : NULL;
}

void
_bh_import_set_detail (BhImportItem *item,
            const char   *detail)
{
  g_free (item->detail);
  item->detail = g_strdup (detail);
}

gboolean
_bh_import_is_credential (const BhImportItem *item)
{
  return item->kind != BH_IMPORT_KIND_DEFAULT;
}

/**
 * bh_import_count_new:
 * @self: a loaded import
 *
 * Returns: how many credentials of the file Birdhouse does not hold
 */
guint
bh_import_count_new (BhImport *self)
{
  guint n = 0;

  g_return_val_if_fail (BH_IS_IMPORT (self), 0);

  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    {
      BhImportItem *item = g_ptr_array_index (self->items, i);
      BhApp *app = _bh_import_store_app_by_key (self, item->consumer_key);

      if (item->state != BH_IMPORT_STATE_PENDING)
        n += item->state == BH_IMPORT_STATE_VALID || item->state == BH_IMPORT_STATE_REJECTED ||
             item->state == BH_IMPORT_STATE_UNSUPPORTED;
      else if (item->kind == BH_IMPORT_KIND_APP)
        n += app == NULL;
      else if (item->kind == BH_IMPORT_KIND_ACCOUNT)
        n += _bh_import_store_account (app, NULL, item->screen_name) == NULL;
      else if (item->kind == BH_IMPORT_KIND_BEARER)
        n += app == NULL || !bh_app_get_has_bearer (app);
      else if (item->kind == BH_IMPORT_KIND_OAUTH2_CLIENT)
        n += _bh_import_store_app_by_client_id (self, item->client_id) == NULL;
      else if (item->kind == BH_IMPORT_KIND_OAUTH2_TOKEN)
        {
          BhAccount *account = _bh_import_store_account (_bh_import_store_app_by_client_id (self, item->client_id),
                                                         NULL, item->screen_name);

          n += account == NULL || !bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH2);
        }
    }

  return n;
}

/* Loading ------------------------------------------------------------------- */

/* No twurl or xurl file comes near this; a bigger one is not theirs. */
#define MAX_FILE_SIZE (1024 * 1024)

typedef struct
{
  BhImportSource  source;
  char           *path;
} Load;

static void
load_free (Load *load)
{
  g_free (load->path);
  g_free (load);
}

/* The whole file in one block of its own size, wiped once parsed: no
 * buffer grown by reallocation leaves a copy behind. */
static char *
read_whole (const char  *path,
            gsize       *length,
            GError     **error)
{
  struct stat st;
  char *contents;
  gsize done = 0;
  int fd, saved_errno;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fstat (fd, &st) != 0)
    goto fail;

  if (!S_ISREG (st.st_mode) || st.st_size > MAX_FILE_SIZE)
    {
      close (fd);
      g_set_error (error, BH_IMPORT_ERROR, BH_IMPORT_ERROR_DAMAGED,
                   /* Translators: %s is a file's path */
                   _("%s is not a file of twurl or xurl (it is not a regular file, or larger than 1 MiB)."),
                   path);
      return NULL;
    }

  contents = g_malloc (st.st_size + 1);
  while (done < (gsize) st.st_size)
    {
      ssize_t n = read (fd, contents + done, st.st_size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          saved_errno = errno;
          bh_secret_wipe (contents, st.st_size + 1);
          g_free (contents);
          close (fd);
          fd = -1;
          errno = saved_errno;
          goto fail;
        }
      if (n == 0)
        break;
      done += n;
    }
  close (fd);

  contents[done] = '\0';
  *length = done;
  return contents;

fail:
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               /* Translators: the first %s is a file's path, the second why it could not be read */
               _("%s could not be read: %s"), path, g_strerror (saved_errno));
  return NULL;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Load *load = task_data;
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length = 0;
  GPtrArray *items;

  contents = read_whole (load->path, &length, &error);
  if (contents == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  items = bh_import_parse (load->source, contents, length, &error);
  bh_secret_wipe (contents, length + 1);
  g_free (contents);

  if (items == NULL)
    {
      /* Translators: the first %s is a file's path, the second what is wrong in it (with its line) */
      g_task_return_new_error (task, BH_IMPORT_ERROR, error->code, _("%s: %s"), load->path, error->message);
      return;
    }

  g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * bh_import_load_async:
 * @self: a new import
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file was read and parsed
 * @user_data: for @callback
 *
 * Reads and parses the whole file, in a thread.
 */
void
bh_import_load_async (BhImport            *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Load *load;

  g_return_if_fail (BH_IS_IMPORT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_import_load_async);

  load = g_new0 (Load, 1);
  load->source = self->source;
  load->path = g_file_get_path (self->file);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);

  if (load->path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               _("Only a local file can be imported."));
      return;
    }

  g_task_run_in_thread (task, load_thread);
}

gboolean
bh_import_load_finish (BhImport      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  GPtrArray *items;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  items = g_task_propagate_pointer (G_TASK (result), error);
  if (items == NULL)
    return FALSE;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = items;
  return TRUE;
}

/* Walking the items ----------------------------------------------------------- */

typedef gboolean (*StepFunc) (GTask *task, BhImportItem *item);

static void walk (GTask *task);

BhImportItem *
_bh_import_current_item (GTask *task)
{
  BhImport *self = g_task_get_source_object (task);
  Walk *w = g_task_get_task_data (task);

  return g_ptr_array_index (self->items, w->index);
}

void
_bh_import_next (GTask *task)
{
  Walk *w = g_task_get_task_data (task);

  w->index++;
  walk (task);
}

BhImportItem *
_bh_import_file_item (BhImport     *self,
                      BhImportKind  kind,
                      const char   *consumer_key,
                      const char   *client_id)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      BhImportItem *item = g_ptr_array_index (self->items, i);

      if (item->kind == kind &&
          (consumer_key == NULL || g_strcmp0 (item->consumer_key, consumer_key) == 0) &&
          (client_id == NULL || g_strcmp0 (item->client_id, client_id) == 0))
        return item;
    }
  return NULL;
}

/* X refused the credential itself (as opposed to the network failing). */
static gboolean
is_rejection (const GError *error)
{
  static const BhXError codes[] = {
    BH_X_ERROR_COULD_NOT_AUTHENTICATE, BH_X_ERROR_INVALID_TOKEN, BH_X_ERROR_BEARER_CREDENTIALS,
    BH_X_ERROR_BAD_AUTH_DATA, BH_X_ERROR_APP_SUSPENDED, BH_X_ERROR_UNAUTHORIZED,
    BH_X_ERROR_FORBIDDEN, BH_X_ERROR_BEARER_INVALID, BH_X_ERROR_OAUTH2_CLIENT,
    BH_X_ERROR_OAUTH2_GRANT_REFUSED,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
    if (g_error_matches (error, BH_X_ERROR, codes[i]))
      return TRUE;
  return FALSE;
}

/* Records @error on the current item when X refused it; FALSE (and the
 * task returned) when it is any other failure, which stops the walk. */
gboolean
_bh_import_item_failed (GTask  *task,
                        GError *error)
{
  BhImportItem *item = _bh_import_current_item (task);

  if (!is_rejection (error))
    {
      g_task_return_error (task, error);
      return FALSE;
    }

  item->state = BH_IMPORT_STATE_REJECTED;
  _bh_import_set_detail (item, error->message);
  g_error_free (error);
  return TRUE;
}

/* Checking ------------------------------------------------------------------- */

static void
check_app_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(BhXTokenPair) pair = NULL;
  GError *error = NULL;

  pair = bh_x_client_request_token_finish (BH_X_CLIENT (source), result, &error);
  if (pair != NULL)
    _bh_import_current_item (task)->state = BH_IMPORT_STATE_VALID;
  else if (!_bh_import_item_failed (task, error))
    return;

  _bh_import_next (task);
}

/**
 * _bh_import_identity_checked:
 * @task: the check's walk
 * @identity: (nullable) (transfer full): whose token X said it is
 * @error: (nullable) (transfer full): why X refused it, when it did
 * @app: (nullable): the Birdhouse App the token belongs with
 * @needed: what an account of @app must hold to hold this token already
 *
 * Records what X said about the current item's token, and goes on.
 */
void
_bh_import_identity_checked (GTask                *task,
                             BhXIdentity          *identity,
                             GError               *error,
                             BhApp                *app,
                             BhAccountCredentials  needed)
{
  g_autoptr(BhXIdentity) owned = identity;
  BhImportItem *item = _bh_import_current_item (task);
  BhAccount *account;

  if (identity == NULL)
    {
      if (_bh_import_item_failed (task, error))
        _bh_import_next (task);
      return;
    }

  g_free (item->user_id);
  item->user_id = g_strdup (identity->user_id);
  g_free (item->screen_name);
  item->screen_name = g_strdup (identity->screen_name);
  g_free (item->name);
  item->name = g_strdup (identity->name);
  g_free (item->access_level);
  item->access_level = g_strdup (identity->access_level);

  account = _bh_import_store_account (app, item->user_id, NULL);
  item->state = account != NULL && bh_account_has_credentials (account, needed)
                ? BH_IMPORT_STATE_PRESENT : BH_IMPORT_STATE_VALID;
  _bh_import_set_app_name (item, app);

  _bh_import_next (task);
}

static void
check_account_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhImport *self = g_task_get_source_object (task);
  GError *error = NULL;
  BhXIdentity *identity = bh_x_client_verify_credentials_finish (BH_X_CLIENT (source), result, &error);

  _bh_import_identity_checked (task, identity, error,
                               _bh_import_store_app_by_key (self, _bh_import_current_item (task)->consumer_key),
                               BH_ACCOUNT_CREDENTIALS_OAUTH1);
}

static void
check_bearer_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhImport *self = g_task_get_source_object (task);
  BhImportItem *item = _bh_import_current_item (task);
  g_autoptr(BhSecret) current = NULL;
  GError *error = NULL;
  BhApp *app;

  current = bh_x_client_bearer_token_finish (BH_X_CLIENT (source), result, &error);
  if (current == NULL)
    {
      if (!_bh_import_item_failed (task, error))
        return;
    }
  else if (!bh_secret_equal (current, item->secret))
    {
      /* X hands out one bearer token per App at a time: another one
       * means this one was invalidated. */
      item->state = BH_IMPORT_STATE_REJECTED;
      _bh_import_set_detail (item, _("X gives this App another bearer token now: this one was invalidated."));
    }
  else
    {
      app = _bh_import_store_app_by_key (self, item->consumer_key);
      item->state = app != NULL && bh_app_get_has_bearer (app) ? BH_IMPORT_STATE_PRESENT
                                                              : BH_IMPORT_STATE_VALID;
      _bh_import_set_app_name (item, app);
    }

  _bh_import_next (task);
}

/* Starts checking @item, or decides without X; FALSE when nothing was
 * started (the walk goes on). */
static gboolean
check_step (GTask        *task,
            BhImportItem *item)
{
  BhImport *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  BhImportItem *app_item = _bh_import_file_item (self, BH_IMPORT_KIND_APP, item->consumer_key, NULL);
  BhApp *app = _bh_import_store_app_by_key (self, item->consumer_key);
  BhAuth auth = { 0 };

  /* Checked anew: nothing said the last time stays. */
  _bh_import_set_detail (item, NULL);

  switch (item->kind)
    {
    case BH_IMPORT_KIND_APP:
      if (app != NULL)
        {
          item->state = BH_IMPORT_STATE_PRESENT;
          _bh_import_set_app_name (item, app);
          return FALSE;
        }
      bh_x_client_request_token_async (self->client, item->consumer_key, item->secret, NULL,
                                       cancellable, check_app_cb, g_object_ref (task));
      return TRUE;

    case BH_IMPORT_KIND_ACCOUNT:
      auth.mode = BH_AUTH_OAUTH1_USER;
      auth.consumer_key = item->consumer_key;
      auth.consumer_secret = app_item->secret;
      auth.token = item->token;
      auth.token_secret = item->token_secret;
      bh_x_client_verify_credentials_async (self->client, &auth, cancellable,
                                            check_account_cb, g_object_ref (task));
      return TRUE;

    case BH_IMPORT_KIND_BEARER:
      if (item->consumer_key == NULL || app_item == NULL)
        {
          item->state = BH_IMPORT_STATE_UNSUPPORTED;
          _bh_import_set_detail (item, _("The file holds no API key and secret for it, and Birdhouse "
                                     "keeps a bearer token only with its App."));
          return FALSE;
        }
      bh_x_client_bearer_token_async (self->client, item->consumer_key, app_item->secret,
                                      cancellable, check_bearer_cb, g_object_ref (task));
      return TRUE;

    case BH_IMPORT_KIND_OAUTH2_CLIENT:
    case BH_IMPORT_KIND_OAUTH2_TOKEN:
      return _bh_import_check_oauth2_step (task, item);

    case BH_IMPORT_KIND_DEFAULT:
    default:
      item->state = BH_IMPORT_STATE_NOTED;
      return FALSE;
    }
}

/* The walk itself -------------------------------------------------------------- */

static void
walk (GTask *task)
{
  BhImport *self = g_task_get_source_object (task);
  Walk *w = g_task_get_task_data (task);
  StepFunc step;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (g_task_get_source_tag (task) == bh_import_check_async)
    step = check_step;
  else
    step = w->reading_back ? _bh_import_read_back_step : _bh_import_store_step;

  for (; w->index < self->items->len; w->index++)
    if (step (task, g_ptr_array_index (self->items, w->index)))
      return;

  if (g_task_get_source_tag (task) == bh_import_store_async && !w->reading_back)
    {
      w->reading_back = TRUE;
      w->index = 0;
      walk (task);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
start_walk (BhImport            *self,
            gpointer             tag,
            gboolean             keep_rejected,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  Walk *w = g_new0 (Walk, 1);

  g_task_set_source_tag (task, tag);
  w->keep_rejected = keep_rejected;
  g_task_set_task_data (task, w, g_free);

  if (self->items == NULL)
    {
      g_task_return_new_error (task, BH_IMPORT_ERROR, BH_IMPORT_ERROR_FAILED, "%s",
                               _("The file was not read yet."));
      return;
    }

  if (self->client == NULL && (self->client = bh_x_client_new (self->api_host, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  walk (task);
}

/**
 * bh_import_check_async:
 * @self: a loaded import
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when every item was checked
 * @user_data: for @callback
 *
 * Decides each item's state: present in Birdhouse, accepted or refused by
 * X, not supported, or a default. Stores nothing. Fails (with nothing
 * decided for the rest) only when X cannot be reached.
 */
void
bh_import_check_async (BhImport            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (BH_IS_IMPORT (self));
  start_walk (self, bh_import_check_async, FALSE, cancellable, callback, user_data);
}

gboolean
bh_import_check_finish (BhImport      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * bh_import_store_async:
 * @self: a checked import
 * @keep_rejected: store what X refused too (accounts are then marked as
 *   needing a new authorization)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Stores what X accepted, then reads every credential back from the
 * keyring (see bh_import_all_stored()).
 */
void
bh_import_store_async (BhImport            *self,
                       gboolean             keep_rejected,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (BH_IS_IMPORT (self));
  start_walk (self, bh_import_store_async, keep_rejected, cancellable, callback, user_data);
}

gboolean
bh_import_store_finish (BhImport      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}


