/* bh-store-items.c: changing keyring items: removal, rewrite and retagging
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

gboolean
_bh_store_attributes_match (GHashTable *have,
                            GHashTable *want)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, want);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_strcmp0 (g_hash_table_lookup (have, key), value) != 0)
        return FALSE;
    }

  return TRUE;
}

gboolean
_bh_store_retrievable_is_locked (SecretRetrievable *retrievable)
{
  return SECRET_IS_ITEM (retrievable) && secret_item_get_locked (SECRET_ITEM (retrievable));
}

/* Changing or deleting one item. On the Secret Service an item is a
 * SecretItem with its own D-Bus object. The file backend a Flatpak uses
 * has no such object: there an item is found and removed by its
 * attributes, and changed by storing it anew. Removing by attributes is
 * safe only when they tell the item apart from its replacement: a value
 * that differs, not only an attribute the old item lacks. */

static gboolean
attributes_distinguish (GHashTable *old,
                        GHashTable *replacement)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, replacement);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *had = g_hash_table_lookup (old, key);

      if (had != NULL && g_strcmp0 (had, value) != 0)
        return TRUE;
    }

  return FALSE;
}

/* The attributes libsecret matches with our schema, without its own
 * "xdg:schema", which secret_password_*v() add themselves. */
static GHashTable *
retrievable_schema_attributes (SecretRetrievable *retrievable)
{
  g_autoptr(GHashTable) have = secret_retrievable_get_attributes (retrievable);
  GHashTable *attributes = _bh_store_new_attributes ();
  GHashTableIter iter;
  gpointer key, value;

  if (have == NULL)
    return attributes;

  g_hash_table_iter_init (&iter, have);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_str_has_prefix (key, "xdg:"))
        g_hash_table_insert (attributes, g_strdup (key), g_strdup (value));
    }

  return attributes;
}

static void
item_removed_by_attributes (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
item_deleted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_item_delete_finish (SECRET_ITEM (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Removes @retrievable, an outdated copy of an item now stored with
 * @replacement: removing it by its attributes must not take the new one. */
void
_bh_store_item_remove_outdated_async (SecretRetrievable   *retrievable,
                                      GHashTable          *replacement,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (retrievable, cancellable, callback, user_data);
  g_autoptr(GHashTable) old = NULL;

  g_task_set_source_tag (task, _bh_store_item_remove_outdated_async);
  if (SECRET_IS_ITEM (retrievable))
    {
      secret_item_delete (SECRET_ITEM (retrievable), cancellable, item_deleted, g_steal_pointer (&task));
      return;
    }

  old = retrievable_schema_attributes (retrievable);
  if (!attributes_distinguish (old, replacement))
    {
      g_task_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS,
                                                      /* Translators: Why an outdated keyring item was left. */
                                                      _("the outdated keyring item cannot be told apart "
                                                        "from its replacement")));
      return;
    }

  secret_password_clearv (bh_store_get_schema (), old, cancellable,
                          item_removed_by_attributes, g_steal_pointer (&task));
}

gboolean
_bh_store_item_remove_outdated_finish (GAsyncResult  *result,
                                       GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Gives an item new attributes and a new label. Without a SecretItem (the
 * file backend), the secret is read and stored with the new attributes
 * first, and only then the old item removed: a failure in between leaves
 * two copies (load takes the newest), never none. */

typedef struct
{
  GHashTable *want;
  char       *label;
  guint       pending;
  GError     *error;
} RewriteData;

static void
rewrite_data_free (RewriteData *data)
{
  g_clear_pointer (&data->want, g_hash_table_unref);
  g_free (data->label);
  g_clear_error (&data->error);
  g_free (data);
}

static void
rewrite_step_done (GTask  *task,
                   GError *error)
{
  RewriteData *data = g_task_get_task_data (task);

  if (error != NULL && data->error == NULL)
    data->error = g_error_copy (error);

  if (--data->pending > 0)
    return;

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
rewrite_attributes_set (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  secret_item_set_attributes_finish (SECRET_ITEM (source), result, &error);
  rewrite_step_done (task, error);
}

static void
rewrite_label_set (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  secret_item_set_label_finish (SECRET_ITEM (source), result, &error);
  rewrite_step_done (task, error);
}

static void
rewrite_old_removed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* Not fatal: the item is stored with its new attributes. */
  if (!_bh_store_item_remove_outdated_finish (result, &error))
    g_debug ("An outdated keyring item could not be removed: %s", error->message);
  rewrite_step_done (task, NULL);
}

static void
rewrite_stored (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RewriteData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      rewrite_step_done (task, error);
      return;
    }

  _bh_store_item_remove_outdated_async (g_task_get_source_object (task), data->want,
                                        g_task_get_cancellable (task), rewrite_old_removed, g_object_ref (task));
}

static void
rewrite_retrieved (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RewriteData *data = g_task_get_task_data (task);
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) error = NULL;

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (value == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT,
                                     /* Translators: Follows “The keyring could not be used:”. */
                                     _("the keyring item has no secret"));
      rewrite_step_done (task, error);
      return;
    }

  secret_password_storev_binary (bh_store_get_schema (), data->want, SECRET_COLLECTION_DEFAULT,
                                 data->label, value, g_task_get_cancellable (task),
                                 rewrite_stored, g_object_ref (task));
}

static void
item_rewrite_async (SecretRetrievable   *retrievable,
                    GHashTable          *want,
                    const char          *label,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (retrievable, cancellable, callback, user_data);
  RewriteData *data = g_new0 (RewriteData, 1);

  g_task_set_source_tag (task, item_rewrite_async);
  data->want = g_hash_table_ref (want);
  data->label = g_strdup (label);
  g_task_set_task_data (task, data, (GDestroyNotify) rewrite_data_free);

  if (SECRET_IS_ITEM (retrievable))
    {
      data->pending = 2;
      secret_item_set_attributes (SECRET_ITEM (retrievable), bh_store_get_schema (), want,
                                  cancellable, rewrite_attributes_set, g_object_ref (task));
      secret_item_set_label (SECRET_ITEM (retrievable), label,
                             cancellable, rewrite_label_set, g_object_ref (task));
      return;
    }

  data->pending = 1;
  secret_retrievable_retrieve_secret (retrievable, cancellable, rewrite_retrieved, g_object_ref (task));
}

static gboolean
item_rewrite_finish (GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Retagging: after an App is renamed (or its key or host changed), the
 * attributes and labels of its items follow, so that secret-tool finds
 * them by the new name. Locked items cannot be changed: refuse, so the
 * record is not changed either. One item after the other: on libsecret's
 * file backend each change rewrites the whole file, and two at once would
 * each write from the same old copy. */

typedef struct
{
  SecretRetrievable *item;
  GHashTable        *want;
  char              *label;
} Retag;

static void
retag_free (Retag *retag)
{
  g_clear_object (&retag->item);
  g_clear_pointer (&retag->want, g_hash_table_unref);
  g_free (retag->label);
  g_free (retag);
}

typedef struct
{
  BhApp  *proposed;
  GQueue  todo;   /* Retag */
  GError *error;
} RetagData;

static void
retag_data_free (RetagData *data)
{
  g_clear_object (&data->proposed);
  g_queue_clear_full (&data->todo, (GDestroyNotify) retag_free);
  g_clear_error (&data->error);
  g_free (data);
}

static void retag_item_rewritten (GObject      *source,
                                  GAsyncResult *result,
                                  gpointer      user_data);

static void
retag_step_done (GTask *task)
{
  RetagData *data = g_task_get_task_data (task);
  BhStore *self = g_task_get_source_object (task);
  Retag *next = g_queue_pop_head (&data->todo);

  if (next != NULL)
    {
      item_rewrite_async (next->item, next->want, next->label, g_task_get_cancellable (task),
                          retag_item_rewritten, g_object_ref (task));
      retag_free (next);
      return;
    }

  if (data->error != NULL)
    g_task_return_error (task, _bh_store_map_keyring_error (self, data->error, g_task_get_cancellable (task)));
  else
    g_task_return_boolean (task, TRUE);
}

static void
retag_item_rewritten (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RetagData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!item_rewrite_finish (result, &error) && data->error == NULL)
    data->error = g_steal_pointer (&error);

  retag_step_done (task);
}

static void
retag_searched (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = g_task_get_source_object (task);
  RetagData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = _bh_store_keyring_search_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, _bh_store_map_keyring_error (self, error, g_task_get_cancellable (task)));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      if (_bh_store_retrievable_is_locked (l->data))
        {
          g_list_free_full (items, g_object_unref);
          _bh_store_note_keyring_locked (self);
          g_task_return_error (task, _bh_store_keyring_locked_error ());
          return;
        }
    }

  _bh_store_note_keyring_available (self);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) have = secret_retrievable_get_attributes (l->data);
      const char *kind = g_hash_table_lookup (have, "kind");
      const char *user_id = g_hash_table_lookup (have, "user-id");
      const char *screen_name = g_hash_table_lookup (have, "screen-name");
      g_autoptr(GHashTable) want = NULL;
      g_autofree char *label = NULL;

      if (kind == NULL)
        continue;

      want = _bh_store_item_attributes (kind, data->proposed,
                                        KIND_IS_ACCOUNT_ITEM (kind) ? user_id : NULL, screen_name);
      if (_bh_store_attributes_match (have, want))
        continue;

      label = _bh_store_item_label (kind, data->proposed, screen_name);
      {
        Retag *retag = g_new0 (Retag, 1);

        retag->item = g_object_ref (l->data);
        retag->want = g_steal_pointer (&want);
        retag->label = g_steal_pointer (&label);
        g_queue_push_tail (&data->todo, retag);
      }
    }
  g_list_free_full (items, g_object_unref);

  retag_step_done (task);
}

static void
retag_app_start (GTask *task)
{
  RetagData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) ident = _bh_store_ident_attributes (NULL, bh_app_get_id (data->proposed), NULL);

  _bh_store_keyring_search_async (g_task_get_source_object (task), ident, g_task_get_cancellable (task),
                                  retag_searched, g_object_ref (task));
}

void
_bh_store_retag_app_async (BhStore             *self,
                           BhApp               *proposed,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  RetagData *data = g_new0 (RetagData, 1);

  g_task_set_source_tag (task, _bh_store_retag_app_async);
  data->proposed = g_object_ref (proposed);
  g_task_set_task_data (task, data, (GDestroyNotify) retag_data_free);
  bh_keyring_gate_run (task, retag_app_start);
}

gboolean
_bh_store_retag_app_finish (BhStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
