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
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-store.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

/* The steps after parsing: check each item with the store and with X
 * (bh_import_check_async), store what may be stored and read it all back
 * (bh_import_store_async), and only when everything is in the keyring,
 * overwrite and remove the file (bh_import_remove_plaintext_async). Each
 * step walks the items in order, one request at a time. */

struct _BhImport
{
  GObject         parent_instance;

  BhStore        *store;
  BhImportSource  source;
  GFile          *file;
  char           *api_host;
  BhXClient      *client;
  GPtrArray      *items;
};

G_DEFINE_TYPE (BhImport, bh_import, G_TYPE_OBJECT)

G_DEFINE_QUARK (bh-import-error-quark, bh_import_error)

void
bh_import_item_free (BhImportItem *item)
{
  if (item == NULL)
    return;

  g_free (item->label);
  g_free (item->consumer_key);
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

static BhApp *
store_app_by_key (BhImport   *self,
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
static BhAccount *
store_account (BhApp      *app,
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

static void
set_app_name (BhImportItem *item,
              BhApp        *app)
{
  g_free (item->app_name);
  item->app_name = app != NULL ? g_strdup (bh_app_get_name (app)) : NULL;
}

static void
set_detail (BhImportItem *item,
            const char   *detail)
{
  g_free (item->detail);
  item->detail = g_strdup (detail);
}

static gboolean
is_credential (const BhImportItem *item)
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
      BhApp *app = store_app_by_key (self, item->consumer_key);

      if (item->state != BH_IMPORT_STATE_PENDING)
        n += item->state == BH_IMPORT_STATE_VALID || item->state == BH_IMPORT_STATE_REJECTED ||
             item->state == BH_IMPORT_STATE_UNSUPPORTED;
      else if (item->kind == BH_IMPORT_KIND_APP)
        n += app == NULL;
      else if (item->kind == BH_IMPORT_KIND_ACCOUNT)
        n += store_account (app, NULL, item->screen_name) == NULL;
      else if (item->kind == BH_IMPORT_KIND_BEARER)
        n += app == NULL || !bh_app_get_has_bearer (app);
      else
        n += is_credential (item);
    }

  return n;
}

/* Loading ------------------------------------------------------------------- */

static void
load_contents_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhImport *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_parse_name (self->file);
  char *contents = NULL;
  gsize length = 0;
  GPtrArray *items;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  items = bh_import_parse (self->source, contents, length, &error);
  bh_secret_wipe (contents, length);
  g_free (contents);

  if (items == NULL)
    {
      /* Translators: the first %s is a file's path, the second what is wrong in it (with its line) */
      g_task_return_new_error (task, BH_IMPORT_ERROR, error->code, _("%s: %s"), path, error->message);
      return;
    }

  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = items;
  g_task_return_boolean (task, TRUE);
}

void
bh_import_load_async (BhImport            *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (BH_IS_IMPORT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_import_load_async);
  g_file_load_contents_async (self->file, cancellable, load_contents_cb, task);
}

gboolean
bh_import_load_finish (BhImport      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Walking the items ----------------------------------------------------------- */

typedef struct
{
  guint    index;
  gboolean keep_rejected;
  gboolean reading_back;
} Walk;

typedef gboolean (*StepFunc) (GTask *task, BhImportItem *item);

static void walk (GTask *task);

static BhImportItem *
current_item (GTask *task)
{
  BhImport *self = g_task_get_source_object (task);
  Walk *w = g_task_get_task_data (task);

  return g_ptr_array_index (self->items, w->index);
}

static void
next (GTask *task)
{
  Walk *w = g_task_get_task_data (task);

  w->index++;
  walk (task);
}

static BhImportItem *
file_app (BhImport   *self,
          const char *consumer_key)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      BhImportItem *item = g_ptr_array_index (self->items, i);

      if (item->kind == BH_IMPORT_KIND_APP && g_strcmp0 (item->consumer_key, consumer_key) == 0)
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
    BH_X_ERROR_FORBIDDEN, BH_X_ERROR_BEARER_INVALID,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
    if (g_error_matches (error, BH_X_ERROR, codes[i]))
      return TRUE;
  return FALSE;
}

/* Records @error on the current item when X refused it; FALSE (and the
 * task returned) when it is any other failure, which stops the walk. */
static gboolean
item_failed (GTask  *task,
             GError *error)
{
  BhImportItem *item = current_item (task);

  if (!is_rejection (error))
    {
      g_task_return_error (task, error);
      return FALSE;
    }

  item->state = BH_IMPORT_STATE_REJECTED;
  set_detail (item, error->message);
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
    current_item (task)->state = BH_IMPORT_STATE_VALID;
  else if (!item_failed (task, error))
    return;

  next (task);
}

static void
check_account_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhImport *self = g_task_get_source_object (task);
  BhImportItem *item = current_item (task);
  g_autoptr(BhXIdentity) identity = NULL;
  GError *error = NULL;
  BhApp *app;

  identity = bh_x_client_verify_credentials_finish (BH_X_CLIENT (source), result, &error);
  if (identity == NULL)
    {
      if (!item_failed (task, error))
        return;
      next (task);
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

  app = store_app_by_key (self, item->consumer_key);
  item->state = store_account (app, item->user_id, NULL) != NULL ? BH_IMPORT_STATE_PRESENT
                                                                : BH_IMPORT_STATE_VALID;
  set_app_name (item, app);

  next (task);
}

static void
check_bearer_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhImport *self = g_task_get_source_object (task);
  BhImportItem *item = current_item (task);
  g_autoptr(BhSecret) current = NULL;
  GError *error = NULL;
  BhApp *app;

  current = bh_x_client_bearer_token_finish (BH_X_CLIENT (source), result, &error);
  if (current == NULL)
    {
      if (!item_failed (task, error))
        return;
    }
  else if (!bh_secret_equal (current, item->secret))
    {
      /* X hands out one bearer token per App at a time: another one
       * means this one was invalidated. */
      item->state = BH_IMPORT_STATE_REJECTED;
      set_detail (item, _("X gives this App another bearer token now: this one was invalidated."));
    }
  else
    {
      app = store_app_by_key (self, item->consumer_key);
      item->state = app != NULL && bh_app_get_has_bearer (app) ? BH_IMPORT_STATE_PRESENT
                                                              : BH_IMPORT_STATE_VALID;
      set_app_name (item, app);
    }

  next (task);
}

/* Starts checking @item, or decides without X; FALSE when nothing was
 * started (the walk goes on). */
static gboolean
check_step (GTask        *task,
            BhImportItem *item)
{
  BhImport *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  BhImportItem *app_item = file_app (self, item->consumer_key);
  BhApp *app = store_app_by_key (self, item->consumer_key);
  BhAuth auth = { 0 };

  /* Checked anew: nothing said the last time stays. */
  set_detail (item, NULL);

  switch (item->kind)
    {
    case BH_IMPORT_KIND_APP:
      if (app != NULL)
        {
          item->state = BH_IMPORT_STATE_PRESENT;
          set_app_name (item, app);
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
          set_detail (item, _("The file holds no API key and secret for it, and Birdhouse "
                                     "keeps a bearer token only with its App."));
          return FALSE;
        }
      bh_x_client_bearer_token_async (self->client, item->consumer_key, app_item->secret,
                                      cancellable, check_bearer_cb, g_object_ref (task));
      return TRUE;

    case BH_IMPORT_KIND_OAUTH2_CLIENT:
    case BH_IMPORT_KIND_OAUTH2_TOKEN:
      /* The hook for OAuth 2.0: once the store keeps Client IDs and
       * grants, these are checked and stored like the others. */
      item->state = BH_IMPORT_STATE_UNSUPPORTED;
      set_detail (item, _("OAuth 2.0 is not supported yet."));
      return FALSE;

    case BH_IMPORT_KIND_DEFAULT:
    default:
      item->state = BH_IMPORT_STATE_NOTED;
      return FALSE;
    }
}

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
  BhImportItem *item = current_item (task);

  if (ok)
    item->state = item->state == BH_IMPORT_STATE_REJECTED ? BH_IMPORT_STATE_IMPORTED_REJECTED
                                                          : BH_IMPORT_STATE_IMPORTED;
  else
    {
      item->state = BH_IMPORT_STATE_FAILED;
      set_detail (item, error->message);
      g_error_free (error);
    }
  next (task);
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
    set_app_name (current_item (task), app);
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
  current_item (task)->state = BH_IMPORT_STATE_REJECTED;
  stored (task, ok, error);
}

static void
store_account_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhImportItem *item = current_item (task);
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

static gboolean
store_step (GTask        *task,
            BhImportItem *item)
{
  BhImport *self = g_task_get_source_object (task);
  Walk *w = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  BhApp *app;

  if (!wanted (w, item))
    return FALSE;

  app = store_app_by_key (self, item->consumer_key);

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
      set_detail (item, _("Its App was not imported."));
      return FALSE;
    }
  set_app_name (item, app);

  if (item->kind == BH_IMPORT_KIND_ACCOUNT)
    {
      if (item->user_id == NULL)
        item->user_id = user_id_from_token (item->token);
      if (item->user_id == NULL || (item->screen_name == NULL && item->label == NULL))
        {
          item->state = BH_IMPORT_STATE_FAILED;
          set_detail (item, _("X did not say whose token this is, so it cannot be kept."));
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
  BhImportItem *item = current_item (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) value = NULL;
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) token_secret = NULL;

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
    default:
      break;
    }

  if (error != NULL)
    g_debug ("import: reading back line %u: %s", item->line, error->message);

  next (task);
}

static gboolean
read_back_step (GTask        *task,
                BhImportItem *item)
{
  BhImport *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  BhApp *app = store_app_by_key (self, item->consumer_key);
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
      account = store_account (app, item->user_id, NULL);
      if (account == NULL)
        return FALSE;
      bh_store_lookup_account_tokens_async (self->store, account, cancellable, read_back_cb,
                                            g_object_ref (task));
      return TRUE;
    default:
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
    step = w->reading_back ? read_back_step : store_step;

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

gboolean
bh_import_all_stored (BhImport *self)
{
  g_return_val_if_fail (BH_IS_IMPORT (self), FALSE);

  if (self->items == NULL)
    return FALSE;

  for (guint i = 0; i < self->items->len; i++)
    {
      BhImportItem *item = g_ptr_array_index (self->items, i);

      if (is_credential (item) && !item->read_back)
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
