/* bh-store.c
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

/*
 * Where things are kept, and in which order they are written.
 *
 * Secrets live only in the keyring, one item per secret, schema
 * io.github.birdhouse.Birdhouse.Credential (bh_store_get_schema()):
 *
 *   kind=app     the API key secret        (value: the secret)
 *   kind=bearer  the App's bearer token    (value: the token)
 *   kind=user    an account's tokens       (value: "TOKEN\nTOKEN_SECRET":
 *                the access token, one newline, the token secret; neither
 *                may contain whitespace, so the split is unambiguous and one
 *                store replaces both at once)
 *
 * Every item carries the attributes app-id, consumer-key, app-name and
 * api-host; user items also user-id and screen-name. They are enough to
 * rebuild the records of an item, which is how a lost or damaged records
 * file is repaired.
 *
 * The records (everything not secret) are a GKeyFile written atomically
 * (write to a temporary file, fsync, rename) with mode 0600, so the window
 * can list Apps and accounts at once, without D-Bus, also while the keyring
 * is locked. Several processes share it (the window, scripts running
 * `birdhouse`): a write re-reads it under a lock and applies only its own
 * changes, by App and account id; a GFileMonitor has the model follow what
 * other processes write.
 *
 * Order of writes, so that a crash between two writes never half-adds an
 * account and never loses a credential:
 *
 *  - add or update: the keyring first, then the record. A crash in between
 *    leaves a secret with no record, which the next load restores from its
 *    attributes (marked "restored").
 *  - remove: the secrets first, then the record. When the keyring refuses
 *    (locked, absent) nothing is removed at all; a crash in between leaves a
 *    record with no secret, which the next load shows as such
 *    (SECRET_MISSING / has-secret FALSE) and which can be removed without
 *    the keyring. A removed credential is never brought back.
 *
 * Load reads the records first and lists them, then asks the keyring once
 * (one search, no prompt, no secret transferred) and reconciles.
 *
 * The files of BhStore, sharing bh-store-private.h:
 *
 *   bh-store.c           the GObject, its list model, finding Apps
 *   bh-store-validate.c  what text, names and API hosts the store accepts
 *   bh-store-records.c   the records format: parse and serialize (pure)
 *   bh-store-changes.c   changes to the records, applied by id
 *   bh-store-writer.c    reading, locking and writing the file, as jobs
 *   bh-store-follow.c    the model follows what other processes write
 *   bh-store-keyring.c   schema, attributes, status, search with unlock
 *   bh-store-secrets.c   finding, clearing and storing one credential
 *   bh-store-items.c     removing, rewriting and retagging items
 *   bh-store-scan.c      every Birdhouse item, for the reconcile
 *   bh-store-load.c      load and reconcile
 *   bh-store-op.c        what the operations share
 *   bh-store-apps.c      App operations
 *   bh-store-accounts.c  account operations
 */

#include "config.h"

#include "bh-store.h"
#include "bh-store-private.h"

#include <glib/gi18n.h>

#include "bh-app-private.h"
#include "bh-core-enums.h"

static void bh_store_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BhStore, bh_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bh_store_list_model_iface_init))

G_DEFINE_QUARK (bh-store-error-quark, bh_store_error)

enum {
  PROP_0,
  PROP_RECORDS_PATH,
  PROP_KEYRING_STATUS,
  PROP_KEYRING_ERROR,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void app_name_changed (BhApp      *app,
                              GParamSpec *pspec,
                              BhStore    *self);

/* GListModel ----------------------------------------------------------------- */

static GType
bh_store_get_item_type (GListModel *model)
{
  return BH_TYPE_APP;
}

static guint
bh_store_get_n_items (GListModel *model)
{
  BhStore *self = BH_STORE (model);

  return g_list_model_get_n_items (G_LIST_MODEL (self->apps));
}

static gpointer
bh_store_get_item (GListModel *model,
                   guint       position)
{
  BhStore *self = BH_STORE (model);

  return g_list_model_get_item (G_LIST_MODEL (self->apps), position);
}

static void
bh_store_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = bh_store_get_item_type;
  iface->get_n_items = bh_store_get_n_items;
  iface->get_item = bh_store_get_item;
}

static void
apps_items_changed (GListModel *apps,
                    guint       position,
                    guint       removed,
                    guint       added,
                    BhStore    *self)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static int
compare_apps (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  BhApp *app_a = (BhApp *) a;
  BhApp *app_b = (BhApp *) b;
  g_autofree char *name_a = g_utf8_casefold (bh_app_get_name (app_a) ? bh_app_get_name (app_a) : "", -1);
  g_autofree char *name_b = g_utf8_casefold (bh_app_get_name (app_b) ? bh_app_get_name (app_b) : "", -1);
  int cmp = g_utf8_collate (name_a, name_b);

  if (cmp != 0)
    return cmp;

  return g_strcmp0 (bh_app_get_id (app_a), bh_app_get_id (app_b));
}

static int
compare_apps_ptr (gconstpointer a,
                  gconstpointer b)
{
  return compare_apps (*(BhApp **) a, *(BhApp **) b, NULL);
}

void
_bh_store_insert_app (BhStore *self,
                      BhApp   *app)
{
  g_list_store_insert_sorted (self->apps, app, compare_apps, NULL);
  g_signal_connect_object (app, "notify::name", G_CALLBACK (app_name_changed), self, 0);
}

void
_bh_store_remove_app (BhStore *self,
                      BhApp   *app)
{
  guint position;

  if (!g_list_store_find (self->apps, app, &position))
    return;

  g_signal_handlers_disconnect_by_func (app, app_name_changed, self);
  g_list_store_remove (self->apps, position);
}

static void
app_name_changed (BhApp      *app,
                  GParamSpec *pspec,
                  BhStore    *self)
{
  g_autoptr(GPtrArray) moved = NULL;
  GListModel *apps = G_LIST_MODEL (self->apps);
  guint n = g_list_model_get_n_items (apps);
  guint position, target = 0, first, last;

  /* Keep the list sorted after a rename. */
  if (!g_list_store_find (self->apps, app, &position))
    return;

  /* Where it goes among the others. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhApp) other = g_list_model_get_item (apps, i);

      if (other != app && compare_apps (other, app, NULL) < 0)
        target++;
    }

  if (target == position)
    return;

  /* One items-changed over the rows between its old and new place (not
   * a removal, then an insertion), so that a view keeping its selection
   * by object finds it again at once. */
  first = MIN (position, target);
  last = MAX (position, target);
  moved = g_ptr_array_new_with_free_func (g_object_unref);
  if (target < position)
    g_ptr_array_add (moved, g_object_ref (app));
  for (guint i = first; i <= last; i++)
    {
      if (i != position)
        g_ptr_array_add (moved, g_list_model_get_item (apps, i));
    }
  if (target > position)
    g_ptr_array_add (moved, g_object_ref (app));

  g_list_store_splice (self->apps, first, last - first + 1, moved->pdata, moved->len);
}

/* Puts the Apps of a first load into the empty list, sorted, with one
 * items-changed for the whole list: a thousand Apps appear at once. */
void
_bh_store_insert_apps (BhStore   *self,
                       GPtrArray *apps)
{
  g_ptr_array_sort (apps, compare_apps_ptr);
  g_list_store_splice (self->apps, 0, 0, apps->pdata, apps->len);
  for (guint i = 0; i < apps->len; i++)
    g_signal_connect_object (apps->pdata[i], "notify::name", G_CALLBACK (app_name_changed), self, 0);
}

/* The Apps of the model, in its order: a snapshot to serialize. */
GPtrArray *
_bh_store_dup_apps (BhStore *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->apps));
  GPtrArray *apps = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (apps, g_list_model_get_item (G_LIST_MODEL (self->apps), i));

  return apps;
}

/* TRUE once the records are listed; the keyring is reconciled after. */
void
_bh_store_set_loaded (BhStore *self)
{
  if (self->loaded)
    return;

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

BhApp *
_bh_store_find_app_by_id (BhStore    *self,
                          const char *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->apps));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (self->apps), i);

      if (g_strcmp0 (bh_app_get_id (app), id) == 0)
        return app;
    }

  return NULL;
}

/* The one rule by which a name finds an App (see _bh_store_name_key()). */
BhApp *
_bh_store_find_app_by_name_casefold (BhStore    *self,
                                     const char *name,
                                     BhApp      *except)
{
  g_autofree char *key = _bh_store_name_key (name);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->apps));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (self->apps), i);
      g_autofree char *other = _bh_store_name_key (bh_app_get_name (app));

      if (app != except && g_str_equal (key, other))
        return app;
    }

  return NULL;
}

/* GObject ------------------------------------------------------------------- */

static void
bh_store_dispose (GObject *object)
{
  BhStore *self = BH_STORE (object);

  if (self->apps != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->apps));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (self->apps), i);

          g_signal_handlers_disconnect_by_func (app, app_name_changed, self);
        }
      g_signal_handlers_disconnect_by_func (self->apps, apps_items_changed, self);
    }
  g_clear_object (&self->apps);

  g_clear_handle_id (&self->reread_id, g_source_remove);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }

  G_OBJECT_CLASS (bh_store_parent_class)->dispose (object);
}

static void
bh_store_finalize (GObject *object)
{
  BhStore *self = BH_STORE (object);

  /* A job in flight or queued holds a reference to the store, so there
   * are none. */
  if (self->jobs != NULL)
    g_queue_free_full (g_steal_pointer (&self->jobs), _bh_store_queued_job_free);
  g_clear_pointer (&self->pending_changes, g_ptr_array_unref);
  g_clear_pointer (&self->checksum, g_free);
  g_clear_pointer (&self->touched, g_hash_table_unref);
  g_clear_pointer (&self->busy, g_hash_table_unref);
  g_clear_pointer (&self->records_path, g_free);
  g_clear_error (&self->keyring_error);

  G_OBJECT_CLASS (bh_store_parent_class)->finalize (object);
}

static void
bh_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  BhStore *self = BH_STORE (object);

  switch (prop_id)
    {
    case PROP_RECORDS_PATH:
      g_value_set_string (value, self->records_path);
      break;
    case PROP_KEYRING_STATUS:
      g_value_set_enum (value, self->keyring_status);
      break;
    case PROP_KEYRING_ERROR:
      g_value_set_boxed (value, self->keyring_error);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_store_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  BhStore *self = BH_STORE (object);

  switch (prop_id)
    {
    case PROP_RECORDS_PATH:
      self->records_path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_store_constructed (GObject *object)
{
  BhStore *self = BH_STORE (object);

  G_OBJECT_CLASS (bh_store_parent_class)->constructed (object);

  if (self->records_path == NULL)
    self->records_path = g_build_filename (g_get_user_data_dir (), "birdhouse", "records.ini", NULL);
}

static void
bh_store_class_init (BhStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bh_store_dispose;
  object_class->finalize = bh_store_finalize;
  object_class->get_property = bh_store_get_property;
  object_class->set_property = bh_store_set_property;
  object_class->constructed = bh_store_constructed;

  properties[PROP_RECORDS_PATH] =
    g_param_spec_string ("records-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEYRING_STATUS] =
    g_param_spec_enum ("keyring-status", NULL, NULL,
                       BH_TYPE_KEYRING_STATUS, BH_KEYRING_STATUS_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_KEYRING_ERROR] =
    g_param_spec_boxed ("keyring-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* TRUE once the records are listed; the keyring is reconciled after. */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_store_init (BhStore *self)
{
  self->apps = g_list_store_new (BH_TYPE_APP);
  g_signal_connect (self->apps, "items-changed", G_CALLBACK (apps_items_changed), self);
  self->jobs = g_queue_new ();
  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending_changes = g_ptr_array_new_with_free_func ((GDestroyNotify) _bh_store_change_free);
}

/**
 * bh_store_new:
 * @records_path: (nullable): the records file; %NULL for the default
 *
 * Returns: (transfer full): a store with nothing in it until
 *   bh_store_load_async() is called
 */
BhStore *
bh_store_new (const char *records_path)
{
  return g_object_new (BH_TYPE_STORE, "records-path", records_path, NULL);
}

/**
 * bh_store_get_records_path:
 * @self: a #BhStore
 *
 * Returns: the path of the records file
 */
const char *
bh_store_get_records_path (BhStore *self)
{
  g_return_val_if_fail (BH_IS_STORE (self), NULL);

  return self->records_path;
}

/**
 * bh_store_get_keyring_status:
 * @self: a #BhStore
 *
 * Returns: what the last keyring operation said about the keyring
 */
BhKeyringStatus
bh_store_get_keyring_status (BhStore *self)
{
  g_return_val_if_fail (BH_IS_STORE (self), BH_KEYRING_STATUS_UNKNOWN);

  return self->keyring_status;
}

/**
 * bh_store_get_keyring_error:
 * @self: a #BhStore
 *
 * Returns: (nullable): why the keyring is locked or unavailable
 */
const GError *
bh_store_get_keyring_error (BhStore *self)
{
  g_return_val_if_fail (BH_IS_STORE (self), NULL);

  return self->keyring_error;
}

/**
 * bh_store_find_app:
 * @self: a #BhStore
 * @id_or_name: a local id or an App name (whatever its case and Unicode
 *   normalization)
 *
 * Returns: (transfer none) (nullable): the App
 */
BhApp *
bh_store_find_app (BhStore    *self,
                   const char *id_or_name)
{
  BhApp *app;

  g_return_val_if_fail (BH_IS_STORE (self), NULL);

  if (id_or_name == NULL)
    return NULL;

  if ((app = _bh_store_find_app_by_id (self, id_or_name)) != NULL)
    return app;

  return _bh_store_find_app_by_name_casefold (self, id_or_name, NULL);
}

/**
 * bh_store_get_account_app:
 * @self: a #BhStore
 * @account: an account
 *
 * Returns: (transfer none) (nullable): the App @account belongs to
 */
BhApp *
bh_store_get_account_app (BhStore   *self,
                          BhAccount *account)
{
  g_return_val_if_fail (BH_IS_STORE (self), NULL);
  g_return_val_if_fail (BH_IS_ACCOUNT (account), NULL);

  return _bh_store_find_app_by_id (self, bh_account_get_app_id (account));
}

BhAccount *
_bh_store_find_account_by_user_id (BhApp      *app,
                                   const char *user_id)
{
  GListModel *accounts = bh_app_get_accounts (app);
  guint n = g_list_model_get_n_items (accounts);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (accounts, i);

      if (g_strcmp0 (bh_account_get_user_id (account), user_id) == 0)
        return account;
    }

  return NULL;
}

void
_bh_store_set_keyring_status (BhStore         *self,
                              BhKeyringStatus  status,
                              const GError    *error)
{
  gboolean error_changed;

  error_changed = (self->keyring_error == NULL) != (error == NULL) ||
                  (error != NULL && !g_error_matches (self->keyring_error, error->domain, error->code));
  if (error_changed)
    {
      g_clear_error (&self->keyring_error);
      if (error != NULL)
        self->keyring_error = g_error_copy (error);
    }

  if (self->keyring_status != status)
    {
      self->keyring_status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_STATUS]);
    }
  if (error_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_ERROR]);
}
