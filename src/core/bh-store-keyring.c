/* bh-store-keyring.c: the schema, attributes, status and searches of the keyring
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

/* Schema ------------------------------------------------------------------ */

/**
 * bh_store_get_schema:
 *
 * Returns: the libsecret schema of every item Birdhouse keeps
 */
const SecretSchema *
bh_store_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.birdhouse.Birdhouse.Credential", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "app-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "consumer-key", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "app-name", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "api-host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "screen-name", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "client-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

GHashTable *
_bh_store_new_attributes (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* The kinds of item that belong to the App's OAuth 2.0 client: they carry
 * its Client ID, the others (OAuth 1.0a) its API key. */
static const char * const oauth2_kinds[] = {
  KIND_CLIENT_SECRET,
  KIND_OAUTH2_GRANT,
  NULL
};

gboolean
_bh_store_kind_is_oauth2 (const char *kind)
{
  return kind != NULL && g_strv_contains (oauth2_kinds, kind);
}

/* The full attributes of an item: what identifies it plus what rebuilds
 * its record. An item carries the key of its own protocol only (the API
 * key, or the Client ID): adding the other one to an App later then
 * changes no attribute set, which libsecret's file backend could not
 * tell apart from the old one when it rewrites an item. */
GHashTable *
_bh_store_item_attributes (const char *kind,
                           BhApp      *app,
                           const char *user_id,
                           const char *screen_name)
{
  GHashTable *attributes = _bh_store_new_attributes ();
  const char *client_key = _bh_store_kind_is_oauth2 (kind) ? "client-id" : "consumer-key";
  const char *client_value = _bh_store_kind_is_oauth2 (kind) ? bh_app_get_client_id (app)
                                                              : bh_app_get_consumer_key (app);

  g_hash_table_insert (attributes, g_strdup ("kind"), g_strdup (kind));
  g_hash_table_insert (attributes, g_strdup ("app-id"), g_strdup (bh_app_get_id (app)));
  if (client_value != NULL)
    g_hash_table_insert (attributes, g_strdup (client_key), g_strdup (client_value));
  g_hash_table_insert (attributes, g_strdup ("app-name"), g_strdup (bh_app_get_name (app)));
  g_hash_table_insert (attributes, g_strdup ("api-host"), g_strdup (bh_app_get_api_host (app)));
  if (user_id != NULL)
    {
      g_hash_table_insert (attributes, g_strdup ("user-id"), g_strdup (user_id));
      g_hash_table_insert (attributes, g_strdup ("screen-name"), g_strdup (screen_name ? screen_name : ""));
    }

  return attributes;
}

/* Only what identifies an item (or, with @kind NULL, all items of an App):
 * used to find and remove items whatever their other attributes say. */
GHashTable *
_bh_store_ident_attributes (const char *kind,
                            const char *app_id,
                            const char *user_id)
{
  GHashTable *attributes = _bh_store_new_attributes ();

  if (kind != NULL)
    g_hash_table_insert (attributes, g_strdup ("kind"), g_strdup (kind));
  g_hash_table_insert (attributes, g_strdup ("app-id"), g_strdup (app_id));
  if (user_id != NULL)
    g_hash_table_insert (attributes, g_strdup ("user-id"), g_strdup (user_id));

  return attributes;
}

char *
_bh_store_item_label (const char *kind,
                      BhApp      *app,
                      const char *screen_name)
{
  if (g_str_equal (kind, KIND_USER))
    /* Translators: the label of a keyring item; @%s is the account's
     * screen name, the second %s the App's name. */
    return g_strdup_printf (_("Birdhouse: @%s — %s"), screen_name, bh_app_get_name (app));
  if (g_str_equal (kind, KIND_OAUTH2_GRANT))
    /* Translators: the label of a keyring item; @%s is the account's
     * screen name, the second %s the App's name. */
    return g_strdup_printf (_("Birdhouse: @%s — %s (OAuth 2.0)"), screen_name, bh_app_get_name (app));
  if (g_str_equal (kind, KIND_BEARER))
    /* Translators: the label of a keyring item; %s is the App's name. */
    return g_strdup_printf (_("Birdhouse: %s bearer token"), bh_app_get_name (app));
  if (g_str_equal (kind, KIND_CLIENT_SECRET))
    /* Translators: the label of a keyring item; %s is the App's name. "Client Secret" is
     * what X's developer portal calls it. */
    return g_strdup_printf (_("Birdhouse: %s Client Secret"), bh_app_get_name (app));

  /* Translators: the label of a keyring item; %s is the App's name. */
  return g_strdup_printf (_("Birdhouse: %s API key secret"), bh_app_get_name (app));
}

/* Keyring status and errors ------------------------------------------------ */

GError *
_bh_store_keyring_locked_error (void)
{
  return g_error_new_literal (BH_STORE_ERROR, BH_STORE_ERROR_KEYRING_LOCKED,
                              _("The keyring is locked. Unlock it (it is usually unlocked when you log in; "
                                "Passwords and Keys can unlock it) and try again."));
}

void
_bh_store_note_keyring_locked (BhStore *self)
{
  g_autoptr(GError) error = _bh_store_keyring_locked_error ();

  _bh_store_set_keyring_status (self, BH_KEYRING_STATUS_LOCKED, error);
}

void
_bh_store_note_keyring_available (BhStore *self)
{
  _bh_store_set_keyring_status (self, BH_KEYRING_STATUS_AVAILABLE, NULL);
}

/* Turns what libsecret and D-Bus report into a sentence of our domain and
 * remembers what it says about the keyring. A cancellation asked for by the
 * caller stays a cancellation; one nobody asked for is a dismissed unlock
 * prompt. */
GError *
_bh_store_map_keyring_error (BhStore      *self,
                             GError       *error,
                             GCancellable *cancellable)
{
  GError *mapped;

  if (error->domain == BH_STORE_ERROR)
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (cancellable))
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      mapped = _bh_store_keyring_locked_error ();
      _bh_store_set_keyring_status (self, BH_KEYRING_STATUS_LOCKED, mapped);
      return mapped;
    }

  /* A backend libsecret could not open at all (no Secret Service on the
   * bus; inside Flatpak, no Secret portal to unlock the file) is no
   * keyring, whatever the error says. */
  if (self->backend_unusable ||
      error->domain == G_DBUS_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_DBUS_ERROR) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) ||
      g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    {
      g_debug ("No usable keyring (%s, %d): %s",
               g_quark_to_string (error->domain), error->code, error->message);
      mapped = g_error_new_literal (BH_STORE_ERROR, BH_STORE_ERROR_KEYRING_UNAVAILABLE,
                                    _("No keyring is available. Birdhouse keeps keys and tokens in the desktop "
                                      "keyring: GNOME Keyring or another Secret Service, or inside Flatpak an "
                                      "encrypted file that the desktop’s Secret portal unlocks. Log in to a "
                                      "desktop session that has one, and try again."));
      _bh_store_set_keyring_status (self, BH_KEYRING_STATUS_UNAVAILABLE, mapped);
      return mapped;
    }

  return g_error_new (BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                      /* Translators: %s is what the keyring (libsecret, D-Bus) said, often in
                       * English. */
                      _("The keyring could not be used: %s"), error->message);
}

/* Searching with an unlock: the items are searched without unlocking, and
 * locked ones are then unlocked with secret_service_unlock(), which raises
 * the keyring's prompt. libsecret's own SECRET_SEARCH_UNLOCK is not used:
 * in libsecret 0.20 a prompt that fails to start (no prompter) makes it
 * emit a critical. Whatever the prompt's outcome, the items are searched
 * again, and callers report the ones still locked as a locked keyring. */

typedef struct
{
  GHashTable *attributes;
  GList      *locked;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_clear_pointer (&data->attributes, g_hash_table_unref);
  g_list_free_full (data->locked, g_object_unref);
  g_free (data);
}

static void
search_list_free (gpointer items)
{
  g_list_free_full (items, g_object_unref);
}

static void
keyring_search_again (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, items, search_list_free);
}

/* The unlock is waited for through this holder rather than the task: with
 * libsecret 0.20.5 a prompt that fails to start can leave the unlock
 * pending forever, and the caller's cancellable must still end the
 * operation (and release the store). Two references: libsecret's callback
 * and the cancellable's handler. */
typedef struct
{
  gint   ref_count;
  GTask *task;
  gulong cancelled_id;
} UnlockWait;

static void
unlock_wait_unref (gpointer data)
{
  UnlockWait *wait = data;

  if (g_atomic_int_dec_and_test (&wait->ref_count))
    {
      g_clear_object (&wait->task);
      g_free (wait);
    }
}

static GTask *
unlock_wait_take_task (UnlockWait *wait)
{
  GTask *task = g_steal_pointer (&wait->task);

  if (task != NULL && wait->cancelled_id != 0)
    {
      /* Not g_cancellable_disconnect(): this may run inside the handler. */
      g_signal_handler_disconnect (g_task_get_cancellable (task), wait->cancelled_id);
      wait->cancelled_id = 0;
    }

  return task;
}

static void
keyring_search_cancelled (GCancellable *cancellable,
                          gpointer      user_data)
{
  UnlockWait *wait = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&wait->task);

  wait->cancelled_id = 0;
  if (task != NULL)
    g_task_return_error_if_cancelled (task);
}

static void
keyring_search_unlocked (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  UnlockWait *wait = user_data;
  g_autoptr(GTask) task = unlock_wait_take_task (wait);
  g_autoptr(GError) error = NULL;
  SearchData *data;
  GCancellable *cancellable;

  if (secret_service_unlock_finish (SECRET_SERVICE (source), result, NULL, &error) <= 0)
    g_debug ("The keyring was not unlocked: %s", error ? error->message : "dismissed");

  unlock_wait_unref (wait);

  /* Already ended by the cancellable. */
  if (task == NULL)
    return;

  if (g_task_return_error_if_cancelled (task))
    return;

  data = g_task_get_task_data (task);
  cancellable = g_task_get_cancellable (task);
  secret_password_searchv (bh_store_get_schema (), data->attributes, SECRET_SEARCH_ALL,
                           cancellable, keyring_search_again, g_steal_pointer (&task));
}

static void
keyring_search_got_service (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GError) error = NULL;
  UnlockWait *wait;

  service = secret_service_get_finish (result, &error);
  if (service == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  wait = g_new0 (UnlockWait, 1);
  wait->ref_count = 1;
  wait->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      g_atomic_int_inc (&wait->ref_count);
      wait->cancelled_id = g_signal_connect_data (cancellable, "cancelled",
                                                  G_CALLBACK (keyring_search_cancelled), wait,
                                                  (GClosureNotify) (void (*) (void)) unlock_wait_unref, 0);
    }

  /* libsecret gets no cancellable: its prompt ignores it anyway, and ours
   * ends the operation by itself. */
  secret_service_unlock (service, data->locked, NULL, keyring_search_unlocked, wait);
}

static void
keyring_search_first (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      if (_bh_store_retrievable_is_locked (l->data))
        data->locked = g_list_prepend (data->locked, g_object_ref (l->data));
    }

  if (data->locked == NULL)
    {
      g_task_return_pointer (task, items, search_list_free);
      return;
    }

  /* A fact already, whatever the prompt does next. */
  _bh_store_note_keyring_locked (g_task_get_source_object (task));
  g_list_free_full (items, g_object_unref);
  secret_service_get (SECRET_SERVICE_NONE, cancellable,
                      keyring_search_got_service, g_steal_pointer (&task));
}

void
_bh_store_keyring_search_async (BhStore             *self,
                                GHashTable          *attributes,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SearchData *data = g_new0 (SearchData, 1);

  g_task_set_source_tag (task, _bh_store_keyring_search_async);
  data->attributes = g_hash_table_ref (attributes);
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  secret_password_searchv (bh_store_get_schema (), attributes, SECRET_SEARCH_ALL,
                           cancellable, keyring_search_first, g_steal_pointer (&task));
}

/* Returns the items (transfer full); a NULL list with no error is "none".
 * While the keyring is known to be locked, "none" is not trusted: after a
 * failed unlock prompt gnome-keyring may list nothing at all, and acting
 * on that would mark secrets missing or remove records. */
GList *
_bh_store_keyring_search_finish (BhStore       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  GList *items = g_task_propagate_pointer (G_TASK (result), error);

  if (items == NULL && (error == NULL || *error == NULL) &&
      self->keyring_status == BH_KEYRING_STATUS_LOCKED)
    g_propagate_error (error, _bh_store_keyring_locked_error ());

  return items;
}
