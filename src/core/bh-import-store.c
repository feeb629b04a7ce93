/* bh-import-store.c
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

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-import-private.h"
#include "bh-oauth2.h"
#include "bh-store.h"

/* The last steps of an import: storing what may be stored, reading every
 * credential back from the keyring, and removing the plaintext file once
 * all of it is there. */

/* Storing ------------------------------------------------------------------- */

static gboolean
wanted (Walk               *w,
        const BhImportItem *item)
{
  return item->state == BH_IMPORT_STATE_VALID ||
         (w->keep_rejected && item->state == BH_IMPORT_STATE_REJECTED);
}

static void
stored (GTask    *task,
        gboolean  ok,
        GError   *error)
{
  BhImportItem *item = _bh_import_current_item (task);

  if (ok)
    item->state = item->state == BH_IMPORT_STATE_REJECTED ? BH_IMPORT_STATE_IMPORTED_REJECTED
                                                          : BH_IMPORT_STATE_IMPORTED;
  else
    {
      item->state = BH_IMPORT_STATE_FAILED;
      _bh_import_set_detail (item, error->message);
      g_error_free (error);
    }
  _bh_import_next (task);
}

static void
store_app_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(BhApp) app = NULL;
  GError *error = NULL;

  app = bh_store_add_app_finish (BH_STORE (source), result, &error);
  if (app != NULL)
    _bh_import_set_app_name (_bh_import_current_item (task), app);
  stored (task, app != NULL, error);
}

static void
update_account_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok = bh_store_update_account_finish (BH_STORE (source), result, &error);

  /* The state was REJECTED until now: stored() marks it kept. */
  _bh_import_current_item (task)->state = BH_IMPORT_STATE_REJECTED;
  stored (task, ok, error);
}

static void
store_account_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhImportItem *item = _bh_import_current_item (task);
  g_autoptr(BhAccount) account = NULL;
  GError *error = NULL;

  account = bh_store_save_account_finish (BH_STORE (source), result, &error);
  if (account != NULL && item->state == BH_IMPORT_STATE_REJECTED)
    {
      /* Kept although X refused it: shown as needing a new authorization. */
      bh_account_set_state (account, BH_ACCOUNT_STATE_NEEDS_REAUTH);
      bh_store_update_account_async (BH_STORE (source), account, g_task_get_cancellable (task),
                                     update_account_cb, g_object_ref (task));
      return;
    }
  stored (task, account != NULL, error);
}

static void
store_bearer_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok = bh_store_set_bearer_finish (BH_STORE (source), result, &error);

  stored (task, ok, error);
}

/* A name for a new App: xurl's own, or for twurl (which names none)
 * “twurl” and the start of the API key; never one already taken. */
static char *
new_app_name (BhImport           *self,
              const BhImportItem *item)
{
  g_autofree char *base = NULL;

  if (self->source == BH_IMPORT_SOURCE_TWURL)
    base = g_strdup_printf ("twurl %.8s", item->consumer_key);
  else
    base = g_strdup (item->label);

  for (guint n = 1; ; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup (base) : g_strdup_printf ("%s (%u)", base, n);

      if (bh_store_find_app (self->store, name) == NULL)
        return g_steal_pointer (&name);
    }
}

/* X's access tokens begin with the user's id: what a kept, refused
 * token is filed under, since X did not say whose it is. */
static char *
user_id_from_token (const char *token)
{
  const char *dash = strchr (token, '-');

  if (dash == NULL || dash == token)
    return NULL;
  for (const char *p = token; p < dash; p++)
    if (!g_ascii_isdigit (*p))
      return NULL;
  return g_strndup (token, dash - token);
}

static void
store_client_added_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(BhApp) app = NULL;
  GError *error = NULL;

  app = bh_store_add_app_full_finish (BH_STORE (source), result, &error);
  if (app != NULL)
    _bh_import_set_app_name (_bh_import_current_item (task), app);
  stored (task, app != NULL, error);
}

static void
store_client_updated_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok = bh_store_update_app_full_finish (BH_STORE (source), result, &error);

  stored (task, ok, error);
}

/* A Client ID joins the App made from the same xurl App's API key, or
 * makes an App of its own; tokens go to an account of the App with their
 * Client ID. */
static gboolean
store_oauth2_step (GTask        *task,
                   BhImportItem *item)
{
  BhImport *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  BhStoreAppFields fields = { 0 };
  BhOAuth2Grant grant = { 0 };
  BhApp *app;

  if (item->kind == BH_IMPORT_KIND_OAUTH2_CLIENT)
    {
      g_autofree char *name = NULL;

      fields.client_id = item->client_id;
      fields.client_secret = item->secret;
      app = _bh_import_store_app_by_key (self, item->consumer_key);
      if (app != NULL)
        {
          _bh_import_set_app_name (item, app);
          fields.name = bh_app_get_name (app);
          fields.consumer_key = bh_app_get_consumer_key (app);
          fields.api_host = bh_app_get_api_host (app);
          fields.redirect_uri = bh_app_get_redirect_uri (app);
          bh_store_update_app_full_async (self->store, app, &fields, cancellable,
                                          store_client_updated_cb, g_object_ref (task));
          return TRUE;
        }
      name = new_app_name (self, item);
      fields.name = name;
      fields.api_host = self->api_host;
      bh_store_add_app_full_async (self->store, &fields, cancellable,
                                   store_client_added_cb, g_object_ref (task));
      return TRUE;
    }

  app = _bh_import_store_app_by_client_id (self, item->client_id);
  if (app == NULL || item->user_id == NULL)
    {
      item->state = BH_IMPORT_STATE_FAILED;
      _bh_import_set_detail (item, app == NULL ? _("Its App was not imported.")
                                               : _("X did not say whose token this is, so it cannot be kept."));
      return FALSE;
    }
  _bh_import_set_app_name (item, app);

  grant.access_token = item->secret;
  grant.refresh_token = item->token;
  grant.expires_at = item->expires_at;
  grant.scopes = item->scopes;
  bh_store_save_oauth2_account_async (self->store, app, item->user_id, item->screen_name, item->name,
                                      &grant, cancellable, store_account_cb, g_object_ref (task));
  return TRUE;
}

gboolean
_bh_import_store_step (GTask        *task,
            BhImportItem *item)
{
  BhImport *self = g_task_get_source_object (task);
  Walk *w = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  BhApp *app;

  if (!wanted (w, item))
    return FALSE;

  if (item->kind == BH_IMPORT_KIND_OAUTH2_CLIENT || item->kind == BH_IMPORT_KIND_OAUTH2_TOKEN)
    return store_oauth2_step (task, item);

  app = _bh_import_store_app_by_key (self, item->consumer_key);

  if (item->kind == BH_IMPORT_KIND_APP)
    {
      g_autofree char *name = new_app_name (self, item);

      bh_store_add_app_async (self->store, name, item->consumer_key, item->secret,
                              self->api_host, cancellable, store_app_cb, g_object_ref (task));
      return TRUE;
    }

  if (app == NULL)
    {
      item->state = BH_IMPORT_STATE_FAILED;
      _bh_import_set_detail (item, _("Its App was not imported."));
      return FALSE;
    }
  _bh_import_set_app_name (item, app);

  if (item->kind == BH_IMPORT_KIND_ACCOUNT)
    {
      if (item->user_id == NULL)
        item->user_id = user_id_from_token (item->token);
      if (item->user_id == NULL || (item->screen_name == NULL && item->label == NULL))
        {
          item->state = BH_IMPORT_STATE_FAILED;
          _bh_import_set_detail (item, _("X did not say whose token this is, so it cannot be kept."));
          return FALSE;
        }
      bh_store_save_account_async (self->store, app, item->user_id,
                                   item->screen_name != NULL ? item->screen_name : item->label,
                                   item->name, item->access_level, item->token, item->token_secret,
                                   cancellable, store_account_cb, g_object_ref (task));
      return TRUE;
    }

  if (item->kind == BH_IMPORT_KIND_BEARER)
    {
      bh_store_set_bearer_async (self->store, app, item->secret, cancellable,
                                 store_bearer_cb, g_object_ref (task));
      return TRUE;
    }

  return FALSE;
}

/* Reading back ----------------------------------------------------------------- */

static void
read_back_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhImportItem *item = _bh_import_current_item (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) value = NULL;
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) token_secret = NULL;
  g_autoptr(BhOAuth2Grant) grant = NULL;

  switch (item->kind)
    {
    case BH_IMPORT_KIND_APP:
      value = bh_store_lookup_consumer_secret_finish (BH_STORE (source), result, &error);
      item->read_back = value != NULL && bh_secret_equal (value, item->secret);
      break;
    case BH_IMPORT_KIND_BEARER:
      value = bh_store_lookup_bearer_finish (BH_STORE (source), result, &error);
      item->read_back = value != NULL && bh_secret_equal (value, item->secret);
      break;
    case BH_IMPORT_KIND_ACCOUNT:
      item->read_back = bh_store_lookup_account_tokens_finish (BH_STORE (source), result,
                                                               &token, &token_secret, &error) &&
                        bh_secret_equal (token, item->token) &&
                        bh_secret_equal (token_secret, item->token_secret);
      break;
    case BH_IMPORT_KIND_OAUTH2_CLIENT:
      value = bh_store_lookup_client_secret_finish (BH_STORE (source), result, &error);
      item->read_back = value != NULL && bh_secret_equal (value, item->secret);
      break;
    case BH_IMPORT_KIND_OAUTH2_TOKEN:
      grant = bh_store_lookup_oauth2_grant_finish (BH_STORE (source), result, &error);
      item->read_back = grant != NULL && bh_secret_equal (grant->access_token, item->secret);
      break;
    default:
      break;
    }

  if (error != NULL)
    g_debug ("import: reading back line %u: %s", item->line, error->message);

  _bh_import_next (task);
}

gboolean
_bh_import_read_back_step (GTask        *task,
                BhImportItem *item)
{
  BhImport *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  gboolean oauth2 = item->kind == BH_IMPORT_KIND_OAUTH2_CLIENT || item->kind == BH_IMPORT_KIND_OAUTH2_TOKEN;
  BhApp *app = oauth2 ? _bh_import_store_app_by_client_id (self, item->client_id)
                      : _bh_import_store_app_by_key (self, item->consumer_key);
  BhAccount *account;

  item->read_back = FALSE;
  if (app == NULL || (item->state != BH_IMPORT_STATE_IMPORTED &&
                      item->state != BH_IMPORT_STATE_IMPORTED_REJECTED &&
                      item->state != BH_IMPORT_STATE_PRESENT))
    return FALSE;

  switch (item->kind)
    {
    case BH_IMPORT_KIND_APP:
      bh_store_lookup_consumer_secret_async (self->store, app, cancellable, read_back_cb, g_object_ref (task));
      return TRUE;
    case BH_IMPORT_KIND_BEARER:
      bh_store_lookup_bearer_async (self->store, app, cancellable, read_back_cb, g_object_ref (task));
      return TRUE;
    case BH_IMPORT_KIND_ACCOUNT:
      account = _bh_import_store_account (app, item->user_id, NULL);
      if (account == NULL)
        return FALSE;
      bh_store_lookup_account_tokens_async (self->store, account, cancellable, read_back_cb,
                                            g_object_ref (task));
      return TRUE;
    case BH_IMPORT_KIND_OAUTH2_CLIENT:
      if (item->secret == NULL)
        {
          /* A public client: its Client ID is all there is. */
          item->read_back = TRUE;
          return FALSE;
        }
      bh_store_lookup_client_secret_async (self->store, app, cancellable, read_back_cb, g_object_ref (task));
      return TRUE;
    case BH_IMPORT_KIND_OAUTH2_TOKEN:
      account = _bh_import_store_account (app, item->user_id, NULL);
      if (account == NULL)
        return FALSE;
      bh_store_lookup_oauth2_grant_async (self->store, account, cancellable, read_back_cb,
                                          g_object_ref (task));
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
bh_import_all_stored (BhImport *self)
{
  g_return_val_if_fail (BH_IS_IMPORT (self), FALSE);

  if (self->items == NULL)
    return FALSE;

  for (guint i = 0; i < self->items->len; i++)
    {
      BhImportItem *item = g_ptr_array_index (self->items, i);

      if (_bh_import_is_credential (item) && !item->read_back)
        return FALSE;
    }
  return TRUE;
}

/* Removing the plaintext -------------------------------------------------------- */

/* Overwrites the file in place (same length, synced) and unlinks it: no
 * copy, no temporary file. A link is refused: what it points to is the
 * user's to decide about. */
static gboolean
overwrite_and_unlink (const char  *path,
                      GError     **error)
{
  char zeros[4096] = { 0 };
  struct stat st;
  off_t left;
  int fd, saved_errno;

  fd = open (path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    goto fail;
  if (fstat (fd, &st) != 0)
    goto fail_close;
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, BH_IMPORT_ERROR, BH_IMPORT_ERROR_FAILED,
                   /* Translators: %s is a file's path */
                   _("%s is not a regular file: it was left as it is."), path);
      return FALSE;
    }

  for (left = st.st_size; left > 0; )
    {
      ssize_t n = write (fd, zeros, MIN ((off_t) sizeof zeros, left));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        goto fail_close;
      left -= n;
    }
  if (fsync (fd) != 0)
    goto fail_close;
  if (close (fd) != 0)
    goto fail;
  if (g_unlink (path) != 0)
    goto fail;
  return TRUE;

fail_close:
  saved_errno = errno;
  close (fd);
  errno = saved_errno;
fail:
  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               /* Translators: the first %s is a file's path, the second why it failed */
               _("%s could not be overwritten and removed: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (overwrite_and_unlink (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * bh_import_remove_plaintext_async:
 * @self: an import whose credentials were all stored
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Overwrites the file with zeros (same length, synced to disk) and
 * removes it; refused with %BH_IMPORT_ERROR_NOT_STORED unless
 * bh_import_all_stored().
 */
void
bh_import_remove_plaintext_async (BhImport            *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  char *path;

  g_return_if_fail (BH_IS_IMPORT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_import_remove_plaintext_async);

  path = g_file_get_path (self->file);
  if (!bh_import_all_stored (self) || path == NULL)
    {
      g_free (path);
      g_task_return_new_error (task, BH_IMPORT_ERROR, BH_IMPORT_ERROR_NOT_STORED, "%s",
                               _("The file was kept: not every credential in it is in the keyring."));
      return;
    }

  g_task_set_task_data (task, path, g_free);
  g_task_run_in_thread (task, remove_thread);
}

gboolean
bh_import_remove_plaintext_finish (BhImport      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
