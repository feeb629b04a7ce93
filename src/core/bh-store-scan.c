/* bh-store-scan.c: every Birdhouse item of the keyring, for the reconcile at load
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

#include "bh-keyring-gate.h"

/* libsecret 0.20 (Debian 12) installs secret-backend.h, with
 * secret_backend_get() exported, but <libsecret/secret.h> does not include
 * it yet; later versions do. */
#ifndef SECRET_TYPE_BACKEND
# define __SECRET_INSIDE_HEADER__
# include <libsecret/secret-backend.h>
# undef __SECRET_INSIDE_HEADER__
#endif

/* What the reconcile at load needs of every Birdhouse item: its attributes,
 * when it was created, whether it is locked. It talks the Secret Service
 * D-Bus API (a freedesktop.org specification) directly instead of
 * secret_password_search(): that one builds a SecretItem proxy per item,
 * each with its own property fetch and signal subscription on the bus; at
 * 11,000 items (1,000 Apps of 10 accounts) bench-store saw it fail after
 * 48 s and leave the keyring marked unavailable. Here it
 * is one SearchItems call, then one Properties.Get of "Attributes" per
 * item (a third of the cost of GetAll in gnome-keyring), a bounded number
 * in flight, and no proxy at all. gnome-keyring's cost per call still
 * grows with the number of items it holds (bench-store).
 *
 * That is a fast path for the Secret Service backend only. Inside Flatpak
 * libsecret has no Secret Service: it keeps the items in an encrypted file
 * unlocked through the Secret portal, and its backend-neutral search is
 * the scan there (scan_searched_portable). */

#define SECRET_BUS_ITEM_INTERFACE    "org.freedesktop.Secret.Item"
#define SECRET_BUS_SERVICE_INTERFACE "org.freedesktop.Secret.Service"
#define SCAN_IN_FLIGHT 32

void
_bh_store_scanned_item_free (BhScannedItem *item)
{
  g_clear_pointer (&item->attributes, g_hash_table_unref);
  g_free (item);
}

typedef struct
{
  GDBusConnection *connection;
  char            *bus_name;
  GPtrArray       *paths;      /* object paths still to read */
  GPtrArray       *items;      /* BhScannedItem */
  guint            in_flight;
  gboolean         any_locked;
  GError          *error;
} ScanData;

static void
scan_data_free (ScanData *data)
{
  g_clear_object (&data->connection);
  g_free (data->bus_name);
  g_clear_pointer (&data->paths, g_ptr_array_unref);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_clear_error (&data->error);
  g_free (data);
}

static void scan_next (GTask *task);

static BhScannedItem *
scanned_item_new (GVariant *attributes)
{
  BhScannedItem *item = g_new0 (BhScannedItem, 1);
  GVariantIter iter;
  const char *name, *value;

  item->attributes = _bh_store_new_attributes ();
  g_variant_iter_init (&iter, attributes);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &value))
    g_hash_table_replace (item->attributes, g_strdup (name), g_strdup (value));

  return item;
}

/* A user item the records do not know: the reconcile restores it, and its
 * creation time is the best "authorized at" there is. */
static gboolean
scanned_item_is_unrecorded_user (BhStore       *self,
                                 BhScannedItem *item)
{
  const char *kind = g_hash_table_lookup (item->attributes, "kind");
  const char *user_id = g_hash_table_lookup (item->attributes, "user-id");
  BhApp *app;

  if (!KIND_IS_ACCOUNT_ITEM (kind) || user_id == NULL)
    return FALSE;

  app = _bh_store_find_app_by_id (self, g_hash_table_lookup (item->attributes, "app-id"));
  return app == NULL || bh_app_find_account (app, user_id) == NULL;
}

typedef struct
{
  GTask       *task;
  BhScannedItem *item;  /* owned by the task's items */
  char        *path;
} ScanCall;

static void
scan_call_free (ScanCall *call)
{
  g_clear_object (&call->task);
  g_free (call->path);
  g_free (call);
}

static void
scan_call_failed (ScanData *data,
                  GError   *error)
{
  /* Deleted between the search and now: it is not there. */
  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD))
    return;

  if (data->error == NULL)
    data->error = g_error_copy (error);
}

/* Ends one property read: its value, or NULL with the failure noted. */
static GVariant *
scan_property_finish (ScanCall     *call,
                      GObject      *source,
                      GAsyncResult *result)
{
  ScanData *data = g_task_get_task_data (call->task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *value = NULL;

  data->in_flight--;
  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      scan_call_failed (data, error);
      return NULL;
    }

  g_variant_get (reply, "(v)", &value);
  return value;
}

/* Starts the next reads (or ends the scan) and frees @call. */
static void
scan_call_end (ScanCall *call)
{
  scan_next (call->task);
  scan_call_free (call);
}

static void
scan_got_created (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ScanCall *call = user_data;
  g_autoptr(GVariant) value = scan_property_finish (call, source, result);

  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    call->item->created = g_variant_get_uint64 (value);

  scan_call_end (call);
}

static void
scan_get_property (ScanCall            *call,
                   const char          *name,
                   GAsyncReadyCallback  callback)
{
  ScanData *data = g_task_get_task_data (call->task);

  data->in_flight++;
  g_dbus_connection_call (data->connection, data->bus_name, call->path,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", SECRET_BUS_ITEM_INTERFACE, name),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (call->task),
                          callback, call);
}

static void
scan_got_attributes (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ScanCall *call = user_data;
  g_autoptr(GVariant) value = scan_property_finish (call, source, result);

  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE ("a{ss}")))
    {
      ScanData *data = g_task_get_task_data (call->task);

      call->item = scanned_item_new (value);
      g_ptr_array_add (data->items, call->item);

      if (scanned_item_is_unrecorded_user (g_task_get_source_object (call->task), call->item))
        {
          scan_get_property (call, "Created", scan_got_created);
          return;
        }
    }

  scan_call_end (call);
}

/* Keeps SCAN_IN_FLIGHT property reads going; returns once all came back. */
static void
scan_next (GTask *task)
{
  ScanData *data = g_task_get_task_data (task);

  while (data->error == NULL && data->in_flight < SCAN_IN_FLIGHT && data->paths->len > 0)
    {
      ScanCall *call = g_new0 (ScanCall, 1);

      call->task = g_object_ref (task);
      call->path = g_ptr_array_steal_index_fast (data->paths, data->paths->len - 1);
      scan_get_property (call, "Attributes", scan_got_attributes);
    }

  if (data->in_flight > 0)
    return;

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&data->items), (GDestroyNotify) g_ptr_array_unref);
}

static void
scan_add_paths (ScanData *data,
                GVariant *paths)
{
  GVariantIter iter;
  const char *path;

  g_variant_iter_init (&iter, paths);
  while (g_variant_iter_next (&iter, "&o", &path))
    g_ptr_array_add (data->paths, g_strdup (path));
}

static void
scan_searched (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScanData *data = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) unlocked = NULL;
  g_autoptr(GVariant) locked = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_variant_get (reply, "(@ao@ao)", &unlocked, &locked);
  data->any_locked = g_variant_n_children (locked) > 0;

  /* Whether the keyring is usable is known now; reading every item can
   * take seconds at thousands of items, and the window says it at once. */
  if (data->any_locked)
    _bh_store_note_keyring_locked (g_task_get_source_object (task));
  else
    _bh_store_note_keyring_available (g_task_get_source_object (task));
  scan_add_paths (data, unlocked);
  scan_add_paths (data, locked);
  g_debug ("The keyring holds %u Birdhouse items (%" G_GSIZE_FORMAT " locked)",
           data->paths->len, g_variant_n_children (locked));
  scan_next (task);
}

/* The path that works on every backend: libsecret's own search, without
 * unlocking and without loading secrets. On the Secret Service it costs a
 * proxy per item (see above); on the file backend a Flatpak uses, the
 * items are in memory already and it is cheap. */
static void
scan_searched_portable (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScanData *data = g_task_get_task_data (task);
  BhStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n_locked = 0;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretRetrievable *retrievable = l->data;
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (retrievable);
      BhScannedItem *item = g_new0 (BhScannedItem, 1);
      GHashTableIter iter;
      gpointer key, value;

      item->attributes = _bh_store_new_attributes ();
      if (attributes != NULL)
        {
          g_hash_table_iter_init (&iter, attributes);
          while (g_hash_table_iter_next (&iter, &key, &value))
            g_hash_table_replace (item->attributes, g_strdup (key), g_strdup (value));
        }
      item->created = secret_retrievable_get_created (retrievable);
      if (_bh_store_retrievable_is_locked (retrievable))
        n_locked++;
      g_ptr_array_add (data->items, item);
    }

  data->any_locked = n_locked > 0;
  if (data->any_locked)
    _bh_store_note_keyring_locked (self);
  else
    _bh_store_note_keyring_available (self);
  g_debug ("The keyring holds %u Birdhouse items (%u locked; %s backend)",
           g_list_length (items), n_locked, self->file_backend ? "file" : "Secret Service");
  g_list_free_full (items, g_object_unref);

  g_task_return_pointer (task, g_steal_pointer (&data->items), (GDestroyNotify) g_ptr_array_unref);
}

static void
scan_got_backend (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = g_task_get_source_object (task);
  ScanData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  /* Not released: libsecret 0.20–0.21 caches the backend without a
   * reference of its own and never releases the ones it takes itself, so
   * the first caller's reference is the one that keeps the cache valid. */
  SecretBackend *backend;
  g_autoptr(GVariantBuilder) attributes = NULL;
  g_autoptr(GError) error = NULL;

  backend = secret_backend_get_finish (result, &error);
  if (backend == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->backend_unusable = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->backend_unusable = FALSE;
  self->file_backend = !SECRET_IS_SERVICE (backend);
  if (self->file_backend)
    {
      g_autoptr(GHashTable) none = _bh_store_new_attributes ();

      secret_password_searchv (bh_store_get_schema (), none, SECRET_SEARCH_ALL, cancellable,
                               scan_searched_portable, g_steal_pointer (&task));
      return;
    }

  /* The fast path, only where libsecret itself talks to a Secret Service. */
  data->connection = g_object_ref (g_dbus_proxy_get_connection (G_DBUS_PROXY (backend)));
  data->bus_name = g_strdup (g_dbus_proxy_get_name (G_DBUS_PROXY (backend)));

  /* What libsecret stores with a schema and matches in its searches. */
  attributes = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (attributes, "{ss}", "xdg:schema", bh_store_get_schema ()->name);

  g_dbus_connection_call (data->connection, data->bus_name,
                          g_dbus_proxy_get_object_path (G_DBUS_PROXY (backend)),
                          SECRET_BUS_SERVICE_INTERFACE, "SearchItems",
                          g_variant_new ("(a{ss})", attributes),
                          G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          cancellable, scan_searched, g_steal_pointer (&task));
}

static void
keyring_scan_start (GTask *task)
{
  /* Ask libsecret which backend it uses rather than try D-Bus and fail:
   * inside Flatpak there is no Secret Service, and the file backend is
   * the keyring. */
  secret_backend_get (SECRET_BACKEND_NONE, g_task_get_cancellable (task),
                      scan_got_backend, g_object_ref (task));
}

/* Every Birdhouse item of every collection, unlocked or not. */
void
_bh_store_keyring_scan_async (BhStore             *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ScanData *data = g_new0 (ScanData, 1);

  g_task_set_source_tag (task, _bh_store_keyring_scan_async);
  data->paths = g_ptr_array_new_with_free_func (g_free);
  data->items = g_ptr_array_new_with_free_func ((GDestroyNotify) _bh_store_scanned_item_free);
  g_task_set_task_data (task, data, (GDestroyNotify) scan_data_free);

  bh_keyring_gate_run (task, keyring_scan_start);
}

/* Returns the ScannedItems; @any_locked says whether one was locked. */
GPtrArray *
_bh_store_keyring_scan_finish (BhStore       *self,
                               GAsyncResult  *result,
                               gboolean      *any_locked,
                               GError       **error)
{
  ScanData *data = g_task_get_task_data (G_TASK (result));

  *any_locked = data->any_locked;
  return g_task_propagate_pointer (G_TASK (result), error);
}
