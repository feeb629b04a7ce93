/* bh-store-secrets.c: finding, clearing and storing one credential in the keyring
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

#include <glib/gi18n.h>

#include "bh-keyring-gate.h"

/* See bh-store-scan.c: libsecret 0.20 does not include it from secret.h. */
#ifndef SECRET_TYPE_BACKEND
# define __SECRET_INSIDE_HEADER__
# include <libsecret/secret-backend.h>
# undef __SECRET_INSIDE_HEADER__
#endif

/* secret_service_get_secret_for_dbus_path(): part of libsecret's API for
 * D-Bus object paths, unchanged since 0.18, which libsecret still labels
 * "subject to change"; only the short way below uses it. */
#define __SECRET_INSIDE_HEADER__
#include <libsecret/secret-paths.h>
#undef __SECRET_INSIDE_HEADER__

/* Finding and clearing both start with one search of the attributes,
 * through the keyring gate (@start: search_first_start(), or a shorter way
 * that falls back to it), and go on in @searched. */

typedef struct
{
  GHashTable          *attributes;
  GAsyncReadyCallback  searched;
  SecretService       *service;   /* the short way to one secret */
} SearchFirst;

static void
search_first_free (SearchFirst *data)
{
  g_clear_pointer (&data->attributes, g_hash_table_unref);
  g_clear_object (&data->service);
  g_free (data);
}

static void
search_first_start (GTask *task)
{
  SearchFirst *data = g_task_get_task_data (task);

  _bh_store_keyring_search_async (g_task_get_source_object (task), data->attributes,
                                  g_task_get_cancellable (task), data->searched, g_object_ref (task));
}

static void
search_first (BhStore             *self,
              GHashTable          *attributes,
              gpointer             source_tag,
              GAsyncReadyCallback  searched,
              BhKeyringGateFunc    start,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SearchFirst *data = g_new0 (SearchFirst, 1);

  g_task_set_source_tag (task, source_tag);
  data->attributes = g_hash_table_ref (attributes);
  data->searched = searched;
  g_task_set_task_data (task, data, (GDestroyNotify) search_first_free);
  bh_keyring_gate_run (task, start);
}

/* Finding one secret: one search that may raise the unlock prompt, then
 * the newest unlocked item's value. A dismissed prompt leaves the items
 * locked; that is reported as locked, never as "not found". */

static void
return_secret_value (GTask       *task,
                     SecretValue *value)
{
  const char *bytes;
  gsize len = 0;

  _bh_store_note_keyring_available (g_task_get_source_object (task));

  /* The SecretValue is in libsecret's wiped memory; our copy is a
   * BhSecret, wiped when the caller frees it. */
  bytes = secret_value_get (value, &len);
  g_task_return_pointer (task, bh_secret_dup_len (bytes, len), (GDestroyNotify) bh_secret_free);
}

static void
find_secret_retrieved (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = g_task_get_source_object (task);
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) error = NULL;

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (value == NULL)
    {
      /* The item exists (the search found it): no value and no error
       * means the keyring would not hand it over, that is, it is locked. */
      if (error != NULL)
        g_task_return_error (task, _bh_store_map_keyring_error (self, error, g_task_get_cancellable (task)));
      else
        {
          _bh_store_note_keyring_locked (self);
          g_task_return_error (task, _bh_store_keyring_locked_error ());
        }
      return;
    }

  return_secret_value (task, value);
}

static void
find_secret_searched (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  GList *items;
  SecretRetrievable *newest = NULL;
  gboolean any_locked = FALSE;

  items = _bh_store_keyring_search_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, _bh_store_map_keyring_error (self, error, g_task_get_cancellable (task)));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretRetrievable *item = l->data;

      if (_bh_store_retrievable_is_locked (item))
        {
          any_locked = TRUE;
          continue;
        }

      if (newest == NULL || secret_retrievable_get_modified (item) > secret_retrievable_get_modified (newest))
        newest = item;
    }

  if (newest != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      secret_retrievable_retrieve_secret (newest, cancellable,
                                          find_secret_retrieved, g_steal_pointer (&task));
    }
  else if (any_locked)
    {
      _bh_store_note_keyring_locked (self);
      g_task_return_error (task, _bh_store_keyring_locked_error ());
    }
  else
    {
      _bh_store_note_keyring_available (self);
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                               _("The secret is not in the keyring."));
    }

  g_list_free_full (items, g_object_unref);
}

/* The short way to one secret, on the Secret Service only. libsecret's
 * search builds a SecretItem proxy per item it finds (a property fetch and
 * signal subscriptions: seven round trips on the bus) before the secret
 * can be read, and a command such as `birdhouse sign` reads two secrets.
 * So the items are first searched on the bus directly, as the scan does
 * (bh-store-scan.c): when exactly one matches and it is unlocked, it is
 * the newest there is, and its secret is read by its object path, with no
 * proxy and no second search. Anything else (several items, a locked one,
 * none, an error, the file backend a Flatpak has) takes the full way
 * above, which decides and reports as before. */

#define SECRET_BUS_SERVICE_INTERFACE "org.freedesktop.Secret.Service"

static void
find_secret_read_by_path (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SecretValue) value = NULL;

  value = secret_service_get_secret_for_dbus_path_finish (SECRET_SERVICE (source), result, NULL);
  if (value == NULL)
    {
      /* Gone or locked meanwhile: the full way says which. */
      search_first_start (task);
      return;
    }

  return_secret_value (task, value);
}

static void
find_secret_bus_searched (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchFirst *data = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) unlocked = NULL;
  g_autoptr(GVariant) locked = NULL;
  const char *path;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(@ao@ao)", &unlocked, &locked);

  if (reply == NULL || g_variant_n_children (unlocked) != 1 || g_variant_n_children (locked) != 0)
    {
      search_first_start (task);
      return;
    }

  g_variant_get_child (unlocked, 0, "&o", &path);
  secret_service_get_secret_for_dbus_path (data->service, path, g_task_get_cancellable (task),
                                           find_secret_read_by_path, g_object_ref (task));
}

static void
find_secret_got_backend (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchFirst *data = g_task_get_task_data (task);
  /* Not released: see scan_got_backend() in bh-store-scan.c. */
  SecretBackend *backend = secret_backend_get_finish (result, NULL);
  g_autoptr(GVariantBuilder) attributes = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (backend == NULL || !SECRET_IS_SERVICE (backend))
    {
      search_first_start (task);
      return;
    }
  g_set_object (&data->service, SECRET_SERVICE (backend));

  /* What secret_password_searchv() sends: the attributes and the schema. */
  attributes = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_hash_table_iter_init (&iter, data->attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_variant_builder_add (attributes, "{ss}", key, value);
  g_variant_builder_add (attributes, "{ss}", "xdg:schema", bh_store_get_schema ()->name);

  g_dbus_connection_call (g_dbus_proxy_get_connection (G_DBUS_PROXY (backend)),
                          g_dbus_proxy_get_name (G_DBUS_PROXY (backend)),
                          g_dbus_proxy_get_object_path (G_DBUS_PROXY (backend)),
                          SECRET_BUS_SERVICE_INTERFACE, "SearchItems",
                          g_variant_new ("(a{ss})", attributes),
                          G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), find_secret_bus_searched,
                          g_object_ref (task));
}

static void
find_secret_start (GTask *task)
{
  secret_backend_get (SECRET_BACKEND_NONE, g_task_get_cancellable (task),
                      find_secret_got_backend, g_object_ref (task));
}

void
_bh_store_find_secret_async (BhStore             *self,
                             GHashTable          *attributes,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  search_first (self, attributes, _bh_store_find_secret_async, find_secret_searched,
                find_secret_start, cancellable, callback, user_data);
}

BhSecret *
_bh_store_find_secret_finish (BhStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Clearing secrets: unlock first (a locked item cannot be deleted), and
 * refuse rather than half-remove when the keyring stays locked. */

static void
clear_secrets_cleared (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_task_return_error (task, _bh_store_map_keyring_error (self, error, g_task_get_cancellable (task)));
      return;
    }

  _bh_store_note_keyring_available (self);
  g_task_return_boolean (task, TRUE);
}

static void
clear_secrets_searched (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  GList *items;
  gboolean any_locked = FALSE;
  guint n_items;
  GHashTable *attributes;
  GCancellable *cancellable;

  items = _bh_store_keyring_search_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, _bh_store_map_keyring_error (self, error, g_task_get_cancellable (task)));
      return;
    }

  n_items = g_list_length (items);
  for (GList *l = items; l != NULL; l = l->next)
    any_locked |= _bh_store_retrievable_is_locked (l->data);
  g_list_free_full (items, g_object_unref);

  if (any_locked)
    {
      _bh_store_note_keyring_locked (self);
      g_task_return_error (task, _bh_store_keyring_locked_error ());
      return;
    }

  _bh_store_note_keyring_available (self);
  if (n_items == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  attributes = ((SearchFirst *) g_task_get_task_data (task))->attributes;
  cancellable = g_task_get_cancellable (task);
  secret_password_clearv (bh_store_get_schema (), attributes, cancellable,
                          clear_secrets_cleared, g_steal_pointer (&task));
}

void
_bh_store_clear_secrets_async (BhStore             *self,
                               GHashTable          *attributes,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  search_first (self, attributes, _bh_store_clear_secrets_async, clear_secrets_searched,
                search_first_start, cancellable, callback, user_data);
}

gboolean
_bh_store_clear_secrets_finish (BhStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Storing a secret: the item with all its attributes (the Secret Service
 * replaces an item with the same attributes), then older items of the same
 * credential whose attributes differ (a renamed screen name) are deleted,
 * so that one credential is one item. They are deleted one after the
 * other: on libsecret's file backend each deletion rewrites the whole file,
 * and two at once would each write from the same old copy (the second is
 * then refused as "externally modified"). */

typedef struct
{
  GHashTable *attributes;
  GHashTable *ident;
  char       *label;
  BhSecret   *secret;
  GList      *outdated;   /* SecretRetrievable, still to delete */
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_clear_pointer (&data->attributes, g_hash_table_unref);
  g_clear_pointer (&data->ident, g_hash_table_unref);
  g_free (data->label);
  bh_secret_clear (&data->secret);
  g_list_free_full (data->outdated, g_object_unref);
  g_free (data);
}

static void store_secret_next_outdated (GTask *task);

static void
store_secret_stale_deleted (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Not fatal: the new item is stored, and load picks the newest. */
  if (!_bh_store_item_remove_outdated_finish (result, &error))
    g_debug ("An outdated keyring item could not be deleted: %s", error->message);

  store_secret_next_outdated (task);
}

static void
store_secret_next_outdated (GTask *task)
{
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(SecretRetrievable) item = NULL;

  if (data->outdated == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  item = data->outdated->data;
  data->outdated = g_list_delete_link (data->outdated, data->outdated);
  _bh_store_item_remove_outdated_async (item, data->attributes, NULL,
                                        store_secret_stale_deleted, g_object_ref (task));
}

static void
store_secret_searched (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_debug ("Outdated keyring items could not be searched: %s", error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) have = secret_retrievable_get_attributes (l->data);

      if (!_bh_store_attributes_match (have, data->attributes))
        data->outdated = g_list_prepend (data->outdated, g_object_ref (l->data));
    }
  g_list_free_full (items, g_object_unref);

  store_secret_next_outdated (task);
}

static void
store_secret_stored (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = g_task_get_source_object (task);
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, _bh_store_map_keyring_error (self, error, g_task_get_cancellable (task)));
      return;
    }

  _bh_store_note_keyring_available (self);
  secret_password_searchv (bh_store_get_schema (), data->ident, SECRET_SEARCH_ALL,
                           NULL, store_secret_searched, g_steal_pointer (&task));
}

static void
store_secret_start (GTask *task)
{
  StoreData *data = g_task_get_task_data (task);

  secret_password_storev (bh_store_get_schema (), data->attributes, SECRET_COLLECTION_DEFAULT,
                          data->label, data->secret, g_task_get_cancellable (task),
                          store_secret_stored, g_object_ref (task));
  /* libsecret holds its own copy now. */
  bh_secret_clear (&data->secret);
}

void
_bh_store_store_secret_async (BhStore             *self,
                              const char          *kind,
                              BhApp               *app,
                              const char          *user_id,
                              const char          *screen_name,
                              const char          *secret,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  StoreData *data = g_new0 (StoreData, 1);

  g_task_set_source_tag (task, _bh_store_store_secret_async);
  data->attributes = _bh_store_item_attributes (kind, app, user_id, screen_name);
  data->ident = _bh_store_ident_attributes (kind, bh_app_get_id (app), user_id);
  data->label = _bh_store_item_label (kind, app, screen_name);
  data->secret = bh_secret_dup (secret);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);

  bh_keyring_gate_run (task, store_secret_start);
}

gboolean
_bh_store_store_secret_finish (BhStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
