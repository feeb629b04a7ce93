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
 */

#include "config.h"

#include "bh-store.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bh-app-private.h"
#include "bh-core-enums.h"
#include "bh-keyring-gate.h"
#include "bh-secret.h"
#include "bh-x-url.h"

/* libsecret 0.20 (Debian 12) installs secret-backend.h, with
 * secret_backend_get() exported, but <libsecret/secret.h> does not include
 * it yet; later versions do. */
#ifndef SECRET_TYPE_BACKEND
# define __SECRET_INSIDE_HEADER__
# include <libsecret/secret-backend.h>
# undef __SECRET_INSIDE_HEADER__
#endif

#define RECORDS_VERSION 1
#define GROUP_BIRDHOUSE "Birdhouse"
#define GROUP_APP_PREFIX "App "
#define GROUP_ACCOUNT_PREFIX "Account "

struct _BhStore
{
  GObject          parent_instance;

  GListStore      *apps;
  char            *records_path;
  BhKeyringStatus  keyring_status;
  GError          *keyring_error;
  gboolean         loaded;
  /* Which libsecret backend this process uses, once asked: the Secret
   * Service on D-Bus, or the encrypted file a Flatpak gets. */
  gboolean         file_backend;
  /* libsecret could not open its backend at all. */
  gboolean         backend_unusable;

  /* Every read and write of the records file is a job run in a worker
   * thread, one at a time and in order, so that what the model follows
   * is always the newest state of the file. A write re-reads the file
   * under a lock shared with other processes and applies only its own
   * changes (pending_changes, taken by the next write) to it. */
  GQueue          *jobs;
  gboolean         job_running;
  GPtrArray       *pending_changes;
  char            *checksum;       /* of the contents last read or written */

  /* Following the file when another process changes it. */
  GFileMonitor    *monitor;
  guint            reread_id;
  gboolean         reread_queued;

  /* App ids changed in the model since the keyring scan of the load
   * started: that scan is older than them, so the reconcile leaves them
   * alone (NULL when no load is in flight). */
  GHashTable      *touched;
  /* App ids with a change in flight (id → count): its keyring item may
   * already be there, its record not yet; the reconcile leaves them
   * alone too. */
  GHashTable      *busy;
};

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

typedef struct _Change Change;
static void change_free (Change *change);
static void queued_job_free (gpointer data);
static BhAccount *find_account_by_user_id (BhApp      *app,
                                           const char *user_id);

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
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

#define KIND_APP    "app"
#define KIND_USER   "user"
#define KIND_BEARER "bearer"

static GHashTable *
new_attributes (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* The full attributes of an item: what identifies it plus what rebuilds
 * its record. */
static GHashTable *
item_attributes (const char *kind,
                 BhApp      *app,
                 const char *user_id,
                 const char *screen_name)
{
  GHashTable *attributes = new_attributes ();

  g_hash_table_insert (attributes, g_strdup ("kind"), g_strdup (kind));
  g_hash_table_insert (attributes, g_strdup ("app-id"), g_strdup (bh_app_get_id (app)));
  g_hash_table_insert (attributes, g_strdup ("consumer-key"), g_strdup (bh_app_get_consumer_key (app)));
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
static GHashTable *
ident_attributes (const char *kind,
                  const char *app_id,
                  const char *user_id)
{
  GHashTable *attributes = new_attributes ();

  if (kind != NULL)
    g_hash_table_insert (attributes, g_strdup ("kind"), g_strdup (kind));
  g_hash_table_insert (attributes, g_strdup ("app-id"), g_strdup (app_id));
  if (user_id != NULL)
    g_hash_table_insert (attributes, g_strdup ("user-id"), g_strdup (user_id));

  return attributes;
}

static char *
item_label (const char *kind,
            BhApp      *app,
            const char *screen_name)
{
  if (g_str_equal (kind, KIND_USER))
    /* Translators: the label of a keyring item; @%s is the account's
     * screen name, the second %s the App's name. */
    return g_strdup_printf (_("Birdhouse: @%s — %s"), screen_name, bh_app_get_name (app));
  if (g_str_equal (kind, KIND_BEARER))
    /* Translators: the label of a keyring item; %s is the App's name. */
    return g_strdup_printf (_("Birdhouse: %s bearer token"), bh_app_get_name (app));

  /* Translators: the label of a keyring item; %s is the App's name. */
  return g_strdup_printf (_("Birdhouse: %s API key secret"), bh_app_get_name (app));
}

/* Keyring status and errors ------------------------------------------------ */

static void
set_keyring_status (BhStore         *self,
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

static GError *
keyring_locked_error (void)
{
  return g_error_new_literal (BH_STORE_ERROR, BH_STORE_ERROR_KEYRING_LOCKED,
                              _("The keyring is locked. Unlock it (it is usually unlocked when you log in; "
                                "Passwords and Keys can unlock it) and try again."));
}

static void
note_keyring_locked (BhStore *self)
{
  g_autoptr(GError) error = keyring_locked_error ();

  set_keyring_status (self, BH_KEYRING_STATUS_LOCKED, error);
}

static void
note_keyring_available (BhStore *self)
{
  set_keyring_status (self, BH_KEYRING_STATUS_AVAILABLE, NULL);
}

/* Turns what libsecret and D-Bus report into a sentence of our domain and
 * remembers what it says about the keyring. A cancellation asked for by the
 * caller stays a cancellation; one nobody asked for is a dismissed unlock
 * prompt. */
static GError *
map_keyring_error (BhStore      *self,
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
      mapped = keyring_locked_error ();
      set_keyring_status (self, BH_KEYRING_STATUS_LOCKED, mapped);
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
      set_keyring_status (self, BH_KEYRING_STATUS_UNAVAILABLE, mapped);
      return mapped;
    }

  return g_error_new (BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                      _("The keyring could not be used: %s"), error->message);
}

/* Validation ---------------------------------------------------------------- */

static gboolean
check_text (const char  *value,
            const char  *what,
            gboolean     allow_spaces,
            GError     **error)
{
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID,
                   _("The %s is empty. Enter it and try again."), what);
      return FALSE;
    }

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID,
                   _("The %s is not valid text."), what);
      return FALSE;
    }

  /* The byte length first: no need to count a megabyte of characters. */
  if (strlen (value) > 4 * BH_STORE_MAX_TEXT_LENGTH ||
      g_utf8_strlen (value, -1) > BH_STORE_MAX_TEXT_LENGTH)
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                   /* Translators: %s names a field, such as “App name”; %d is a number of
                    * characters. */
                   _("The %s is longer than %d characters."), what, BH_STORE_MAX_TEXT_LENGTH);
      return FALSE;
    }

  if (g_unichar_isspace (g_utf8_get_char (value)) ||
      g_unichar_isspace (g_utf8_get_char (g_utf8_find_prev_char (value, value + strlen (value)))))
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID,
                   _("The %s starts or ends with a space. Check that it was copied whole, without "
                     "spaces around it."), what);
      return FALSE;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || (!allow_spaces && g_unichar_isspace (c)))
        {
          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID,
                       allow_spaces ? _("The %s contains a line break or a control character.")
                                    : _("The %s contains a space or a line break. Check that it was copied "
                                        "whole, and only it."),
                       what);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_name_length (const char  *name,
                   GError     **error)
{
  if (g_utf8_strlen (name, -1) > BH_STORE_MAX_NAME_LENGTH)
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                   /* Translators: %d is the most characters an App name may have. */
                   _("The App name is longer than %d characters. Choose a shorter one."),
                   BH_STORE_MAX_NAME_LENGTH);
      return FALSE;
    }

  return TRUE;
}

/* What two names are compared by: the same name whatever its case and
 * Unicode normalization ("É" typed as one character or as "E" and an
 * accent). NFD, case folding, then NFC: the canonical caseless match of
 * Unicode (D145). */
static char *
name_key (const char *name)
{
  g_autofree char *nfd = g_utf8_normalize (name != NULL ? name : "", -1, G_NORMALIZE_NFD);
  g_autofree char *folded = NULL;

  if (nfd == NULL)
    return g_strdup ("");

  folded = g_utf8_casefold (nfd, -1);
  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
}

static gboolean
is_unsafe_char (gunichar c)
{
  /* Controls (C0, DEL, C1: a terminal obeys some of them) and the format
   * characters that reorder or hide text (bidirectional overrides,
   * zero-width characters). */
  return g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT;
}

/* Text from the records file (or the keyring's attributes) made fit for a
 * message: valid UTF-8, no control or format characters, and not longer
 * than a sentence can carry. */
static char *
safe_text (const char *text,
           gssize      len)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", len);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_unsafe_char (c))
        continue;

      if (++n > 200)
        {
          g_string_append (out, "…");
          break;
        }

      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* The API host rule is the X client's (bh-x-url.c): one rule for both, so
 * that the store never keeps a host the client would refuse. */
static gboolean
check_api_host (const char  *api_host,
                GError     **error)
{
  g_autoptr(GError) host_error = NULL;

  if (api_host == NULL)
    return TRUE;

  if (!check_text (api_host, _("API host"), FALSE, error))
    return FALSE;

  if (!bh_x_check_api_host (api_host, &host_error))
    {
      g_set_error_literal (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID, host_error->message);
      return FALSE;
    }

  return TRUE;
}

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

static void
insert_app (BhStore *self,
            BhApp   *app)
{
  g_list_store_insert_sorted (self->apps, app, compare_apps, NULL);
  g_signal_connect_object (app, "notify::name", G_CALLBACK (app_name_changed), self, 0);
}

static void
remove_app (BhStore *self,
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

static BhApp *
find_app_by_id (BhStore    *self,
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

/* The one rule by which a name finds an App (see name_key()). */
static BhApp *
find_app_by_name_casefold (BhStore    *self,
                           const char *name,
                           BhApp      *except)
{
  g_autofree char *key = name_key (name);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->apps));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (self->apps), i);
      g_autofree char *other = name_key (bh_app_get_name (app));

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
    g_queue_free_full (g_steal_pointer (&self->jobs), queued_job_free);
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
  self->pending_changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
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

  if ((app = find_app_by_id (self, id_or_name)) != NULL)
    return app;

  return find_app_by_name_casefold (self, id_or_name, NULL);
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

  return find_app_by_id (self, bh_account_get_app_id (account));
}

/* Records ------------------------------------------------------------------- */

static const char *
state_to_string (BhAccountState state)
{
  switch (state)
    {
    case BH_ACCOUNT_STATE_NEEDS_REAUTH:
      return "needs-reauth";
    case BH_ACCOUNT_STATE_SECRET_MISSING:
      return "secret-missing";
    case BH_ACCOUNT_STATE_OK:
    default:
      return "ok";
    }
}

static gboolean
state_from_string (const char     *text,
                   BhAccountState *state)
{
  if (g_strcmp0 (text, "ok") == 0)
    *state = BH_ACCOUNT_STATE_OK;
  else if (g_strcmp0 (text, "needs-reauth") == 0)
    *state = BH_ACCOUNT_STATE_NEEDS_REAUTH;
  else if (g_strcmp0 (text, "secret-missing") == 0)
    *state = BH_ACCOUNT_STATE_SECRET_MISSING;
  else
    return FALSE;

  return TRUE;
}

static void
set_optional_string (GKeyFile   *key_file,
                     const char *group,
                     const char *key,
                     const char *value)
{
  if (value != NULL)
    g_key_file_set_string (key_file, group, key, value);
}

static void
set_optional_date (GKeyFile   *key_file,
                   const char *group,
                   const char *key,
                   GDateTime  *value)
{
  g_autofree char *text = NULL;

  if (value == NULL)
    return;

  text = g_date_time_format_iso8601 (value);
  g_key_file_set_string (key_file, group, key, text);
}

/* A snapshot of the whole model, nothing secret in it: what a write
 * starts from when the file is gone or damaged. */
static char *
records_serialize (BhStore *self,
                   gsize   *len)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  GListModel *apps = G_LIST_MODEL (self->apps);
  guint n_apps = g_list_model_get_n_items (apps);

  g_key_file_set_comment (key_file, NULL, NULL,
                          " Birdhouse: Apps and accounts, nothing secret (the keys and tokens are in the keyring).",
                          NULL);
  g_key_file_set_integer (key_file, GROUP_BIRDHOUSE, "version", RECORDS_VERSION);

  for (guint i = 0; i < n_apps; i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (apps, i);
      g_autofree char *group = g_strconcat (GROUP_APP_PREFIX, bh_app_get_id (app), NULL);
      GListModel *accounts = bh_app_get_accounts (app);
      guint n_accounts = g_list_model_get_n_items (accounts);

      g_key_file_set_string (key_file, group, "name", bh_app_get_name (app));
      g_key_file_set_string (key_file, group, "consumer-key", bh_app_get_consumer_key (app));
      g_key_file_set_string (key_file, group, "api-host", bh_app_get_api_host (app));
      g_key_file_set_boolean (key_file, group, "has-bearer", bh_app_get_has_bearer (app));
      if (bh_app_get_restored (app))
        g_key_file_set_boolean (key_file, group, "restored", TRUE);

      for (guint j = 0; j < n_accounts; j++)
        {
          g_autoptr(BhAccount) account = g_list_model_get_item (accounts, j);
          g_autofree char *account_group = g_strconcat (GROUP_ACCOUNT_PREFIX, bh_app_get_id (app), " ",
                                                        bh_account_get_user_id (account), NULL);

          g_key_file_set_string (key_file, account_group, "screen-name",
                                 bh_account_get_screen_name (account) ? bh_account_get_screen_name (account) : "");
          set_optional_string (key_file, account_group, "name", bh_account_get_name (account));
          set_optional_string (key_file, account_group, "access-level", bh_account_get_access_level (account));
          set_optional_date (key_file, account_group, "authorized-at", bh_account_get_authorized_at (account));
          set_optional_date (key_file, account_group, "verified-at", bh_account_get_verified_at (account));
          g_key_file_set_string (key_file, account_group, "state", state_to_string (bh_account_get_state (account)));
          if (bh_account_get_restored (account))
            g_key_file_set_boolean (key_file, account_group, "restored", TRUE);
        }
    }

  return g_key_file_to_data (key_file, len, NULL);
}

static gboolean
get_required (GKeyFile    *key_file,
              const char  *group,
              const char  *key,
              char       **value,
              GError     **error)
{
  *value = g_key_file_get_string (key_file, group, key, NULL);
  if (*value == NULL)
    {
      g_autofree char *safe_group = safe_text (group, -1);

      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   _("the key “%s” is missing from [%s]"), key, safe_group);
      return FALSE;
    }

  return TRUE;
}

static gboolean
get_optional_date (GKeyFile    *key_file,
                   const char  *group,
                   const char  *key,
                   GDateTime  **value,
                   GError     **error)
{
  g_autofree char *text = g_key_file_get_string (key_file, group, key, NULL);

  *value = NULL;
  if (text == NULL)
    return TRUE;

  *value = g_date_time_new_from_iso8601 (text, NULL);
  if (*value == NULL)
    {
      g_autofree char *safe_group = safe_text (group, -1);

      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   _("“%s” in [%s] is not a date"), key, safe_group);
      return FALSE;
    }

  return TRUE;
}

static gboolean
get_optional_boolean (GKeyFile    *key_file,
                      const char  *group,
                      const char  *key,
                      gboolean    *value,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *value = FALSE;
  if (!g_key_file_has_key (key_file, group, key, NULL))
    return TRUE;

  *value = g_key_file_get_boolean (key_file, group, key, &local_error);
  if (local_error != NULL)
    {
      g_autofree char *safe_group = safe_text (group, -1);

      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   _("“%s” in [%s] is neither true nor false"), key, safe_group);
      return FALSE;
    }

  return TRUE;
}

/* Parses the records into Apps (with their accounts), refusing anything a
 * hand edit could have broken rather than guessing: a guess could attach
 * tokens to the wrong account. Runs in a worker thread; the objects are
 * handed to the main thread afterwards. */
static GPtrArray *
records_parse (const char  *data,
               gsize        len,
               GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GPtrArray) apps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  int version;

  if (!g_key_file_load_from_data (key_file, data, len, G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      /* The message quotes the file, which may hold anything. */
      g_autofree char *detail = safe_text (local_error->message, -1);

      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   _("it is not a key file: %s"), detail);
      return NULL;
    }

  version = g_key_file_get_integer (key_file, GROUP_BIRDHOUSE, "version", &local_error);
  if (local_error != NULL || version != RECORDS_VERSION)
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   _("it has no [%s] version=%d"), GROUP_BIRDHOUSE, RECORDS_VERSION);
      return NULL;
    }

  groups = g_key_file_get_groups (key_file, NULL);

  /* Apps first, so that accounts can name any App in the file. */
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];
      g_autofree char *name = NULL;
      g_autofree char *consumer_key = NULL;
      g_autofree char *api_host = NULL;
      g_autoptr(GError) check_error = NULL;
      gboolean has_bearer, restored;
      BhApp *app;

      if (!g_str_has_prefix (group, GROUP_APP_PREFIX))
        continue;

      if (!get_required (key_file, group, "name", &name, error) ||
          !get_required (key_file, group, "consumer-key", &consumer_key, error) ||
          !get_required (key_file, group, "api-host", &api_host, error) ||
          !get_optional_boolean (key_file, group, "has-bearer", &has_bearer, error) ||
          !get_optional_boolean (key_file, group, "restored", &restored, error))
        return NULL;

      if (!check_text (name, "name", TRUE, &check_error) ||
          !check_text (consumer_key, "API key", FALSE, &check_error) ||
          !check_api_host (api_host, &check_error) ||
          !check_name_length (name, &check_error))
        {
          g_autofree char *safe_group = safe_text (group, -1);
          g_autofree char *safe_message = safe_text (check_error->message, -1);

          g_set_error (error, BH_STORE_ERROR,
                       check_error->code == BH_STORE_ERROR_LIMIT ? BH_STORE_ERROR_LIMIT
                                                                 : BH_STORE_ERROR_RECORDS_DAMAGED,
                       _("[%s]: %s"), safe_group, safe_message);
          return NULL;
        }

      if (apps->len >= BH_STORE_MAX_APPS)
        {
          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                       /* Translators: Says what is wrong with the records file, inside a longer
                        * sentence; %d is the most Apps Birdhouse keeps. */
                       _("it has more than %d Apps"), BH_STORE_MAX_APPS);
          return NULL;
        }

      app = bh_app_new (group + strlen (GROUP_APP_PREFIX), name, consumer_key, api_host);
      /* Adding writes the keyring first, so a record implies a secret;
       * the keyring reconcile corrects this when it says otherwise. */
      bh_app_set_has_secret (app, TRUE);
      bh_app_set_has_bearer (app, has_bearer);
      bh_app_set_restored (app, restored);
      g_ptr_array_add (apps, app);
      g_hash_table_insert (by_id, (gpointer) bh_app_get_id (app), app);
    }

  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];
      g_auto(GStrv) parts = NULL;
      g_autofree char *screen_name = NULL;
      g_autofree char *state_text = NULL;
      g_autofree char *name = NULL;
      g_autofree char *access_level = NULL;
      g_autoptr(GDateTime) authorized_at = NULL;
      g_autoptr(GDateTime) verified_at = NULL;
      g_autoptr(BhAccount) account = NULL;
      BhAccountState state;
      gboolean restored;
      BhApp *app;

      if (g_str_equal (group, GROUP_BIRDHOUSE) || g_str_has_prefix (group, GROUP_APP_PREFIX))
        continue;

      if (!g_str_has_prefix (group, GROUP_ACCOUNT_PREFIX))
        {
          g_autofree char *safe_group = safe_text (group, -1);

          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                       _("it has an unknown section [%s]"), safe_group);
          return NULL;
        }

      parts = g_strsplit (group + strlen (GROUP_ACCOUNT_PREFIX), " ", -1);
      if (g_strv_length (parts) != 2 || *parts[1] == '\0' ||
          (app = g_hash_table_lookup (by_id, parts[0])) == NULL)
        {
          g_autofree char *safe_group = safe_text (group, -1);

          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                       _("the section [%s] names no App of the file"), safe_group);
          return NULL;
        }

      if (g_list_model_get_n_items (bh_app_get_accounts (app)) >= BH_STORE_MAX_ACCOUNTS_PER_APP)
        {
          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                       /* Translators: Says what is wrong with the records file, inside a longer
                        * sentence; %d is the most accounts of one App. */
                       _("an App has more than %d accounts"), BH_STORE_MAX_ACCOUNTS_PER_APP);
          return NULL;
        }

      if (!get_required (key_file, group, "screen-name", &screen_name, error) ||
          !get_required (key_file, group, "state", &state_text, error) ||
          !get_optional_date (key_file, group, "authorized-at", &authorized_at, error) ||
          !get_optional_date (key_file, group, "verified-at", &verified_at, error) ||
          !get_optional_boolean (key_file, group, "restored", &restored, error))
        return NULL;

      if (!state_from_string (state_text, &state))
        {
          g_autofree char *safe_group = safe_text (group, -1);

          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                       _("“state” in [%s] is not ok, needs-reauth or secret-missing"), safe_group);
          return NULL;
        }

      name = g_key_file_get_string (key_file, group, "name", NULL);
      access_level = g_key_file_get_string (key_file, group, "access-level", NULL);

      /* They reach sentences ("The tokens of @%s…"): valid text only. */
      {
        g_autoptr(GError) check_error = NULL;

        if ((*screen_name != '\0' && !check_text (screen_name, "screen name", TRUE, &check_error)) ||
            (name != NULL && *name != '\0' && !check_text (name, "name", TRUE, &check_error)) ||
            (access_level != NULL && *access_level != '\0' &&
             !check_text (access_level, "access level", FALSE, &check_error)) ||
            !check_text (parts[1], "user id", FALSE, &check_error))
          {
            g_autofree char *safe_group = safe_text (group, -1);
            g_autofree char *safe_message = safe_text (check_error->message, -1);

            g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                         _("[%s]: %s"), safe_group, safe_message);
            return NULL;
          }
      }

      account = bh_account_new (bh_app_get_id (app), parts[1], screen_name);
      bh_account_set_name (account, name);
      bh_account_set_access_level (account, access_level);
      bh_account_set_authorized_at (account, authorized_at);
      bh_account_set_verified_at (account, verified_at);
      bh_account_set_state (account, state);
      bh_account_set_restored (account, restored);
      _bh_app_add_account (app, account);
    }

  return g_steal_pointer (&apps);
}

/* Records writer ------------------------------------------------------------ */

/* One change to the records, by id: what an operation did, applied to
 * whatever the file holds when it is written, so that a long-lived process
 * (the window, an `authorize` waiting for its PIN) never undoes what
 * another process did meanwhile. */

typedef enum
{
  CHANGE_PUT_APP,
  CHANGE_REMOVE_APP,
  CHANGE_PUT_ACCOUNT,
  CHANGE_REMOVE_ACCOUNT,
} ChangeKind;

struct _Change
{
  ChangeKind  kind;
  gboolean    create;   /* PUT: may add the record; otherwise it must be there */
  gboolean    restore;  /* PUT: only when there is no record (see reconcile()) */
  char       *app_id;
  char       *user_id;  /* accounts */
  char       *name;     /* PUT_APP: a name to keep unique among the file's Apps */
  char       *label;    /* what the sentences call it: an App name, a screen name */
  GPtrArray  *fields;   /* PUT: key, value, key, value… (a NULL value removes the key) */
  GObject    *object;   /* create: the BhApp or BhAccount the model takes */
};

static void
change_free (Change *change)
{
  g_free (change->app_id);
  g_free (change->user_id);
  g_free (change->name);
  g_free (change->label);
  g_clear_pointer (&change->fields, g_ptr_array_unref);
  g_clear_object (&change->object);
  g_free (change);
}

static Change *
change_new (ChangeKind  kind,
            const char *app_id,
            const char *user_id,
            const char *label)
{
  Change *change = g_new0 (Change, 1);

  change->kind = kind;
  change->app_id = g_strdup (app_id);
  change->user_id = g_strdup (user_id);
  change->label = g_strdup (label);
  change->fields = g_ptr_array_new_with_free_func (g_free);

  return change;
}

static void
change_set (Change     *change,
            const char *key,
            const char *value)
{
  g_ptr_array_add (change->fields, g_strdup (key));
  g_ptr_array_add (change->fields, g_strdup (value));
}

static void
change_set_boolean (Change     *change,
                    const char *key,
                    gboolean    value)
{
  change_set (change, key, value ? "true" : "false");
}

static void
change_set_date (Change     *change,
                 const char *key,
                 GDateTime  *value)
{
  g_autofree char *text = value != NULL ? g_date_time_format_iso8601 (value) : NULL;

  change_set (change, key, text);
}

/* The App's name, API key and host; with @create every field, and the
 * model takes @app once it is in the file. */
static Change *
change_put_app (BhApp    *app,
                gboolean  create)
{
  Change *change = change_new (CHANGE_PUT_APP, bh_app_get_id (app), NULL, bh_app_get_name (app));

  change->create = create;
  change->name = g_strdup (bh_app_get_name (app));
  change_set (change, "name", bh_app_get_name (app));
  change_set (change, "consumer-key", bh_app_get_consumer_key (app));
  change_set (change, "api-host", bh_app_get_api_host (app));
  if (create)
    {
      change_set_boolean (change, "has-bearer", bh_app_get_has_bearer (app));
      change_set (change, "restored", bh_app_get_restored (app) ? "true" : NULL);
      change->object = g_object_ref (G_OBJECT (app));
    }

  return change;
}

/* With @create every field of @account: the record may be added (and the
 * model takes @account). Otherwise what a verification changes, and the
 * record must still be there: when it was authorized stays as the file
 * says (another process may have authorized it again meanwhile). */
static Change *
change_put_account (BhAccount *account,
                    gboolean   create)
{
  Change *change = change_new (CHANGE_PUT_ACCOUNT, bh_account_get_app_id (account),
                               bh_account_get_user_id (account),
                               bh_account_get_screen_name (account));
  const char *screen_name = bh_account_get_screen_name (account);

  change->create = create;
  change_set (change, "screen-name", screen_name != NULL ? screen_name : "");
  change_set (change, "name", bh_account_get_name (account));
  change_set (change, "access-level", bh_account_get_access_level (account));
  change_set_date (change, "verified-at", bh_account_get_verified_at (account));
  change_set (change, "state", state_to_string (bh_account_get_state (account)));
  if (create)
    {
      change_set_date (change, "authorized-at", bh_account_get_authorized_at (account));
      change_set (change, "restored", bh_account_get_restored (account) ? "true" : NULL);
      change->object = g_object_ref (G_OBJECT (account));
    }

  return change;
}

/* Queues @change for the next records_write_async(). */
static void
queue_change (BhStore *self,
              Change  *change)
{
  g_ptr_array_add (self->pending_changes, change);
}

static char *
app_group (const char *app_id)
{
  return g_strconcat (GROUP_APP_PREFIX, app_id, NULL);
}

static char *
account_group (const char *app_id,
               const char *user_id)
{
  return g_strconcat (GROUP_ACCOUNT_PREFIX, app_id, " ", user_id, NULL);
}

static void
set_fields (GKeyFile   *key_file,
            const char *group,
            GPtrArray  *fields)
{
  for (guint i = 0; i + 1 < fields->len; i += 2)
    {
      const char *key = g_ptr_array_index (fields, i);
      const char *value = g_ptr_array_index (fields, i + 1);

      if (value != NULL)
        g_key_file_set_string (key_file, group, key, value);
      else
        g_key_file_remove_key (key_file, group, key, NULL);
    }
}

static GError *
app_gone_error (const char *label)
{
  if (label == NULL)
    return g_error_new_literal (BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                                _("The App was removed meanwhile, by another Birdhouse window or command."));

  return g_error_new (BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                      /* Translators: %s is the App's name. */
                      _("The App “%s” was removed meanwhile, by another Birdhouse window or command."),
                      label);
}

/* Applies @changes to @key_file, all or none; the limits and the unique
 * names are checked against what the file holds, not against the model,
 * which may be older. */
static gboolean
records_apply (GKeyFile   *key_file,
               GPtrArray  *changes,
               GError    **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (key_file, NULL);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) n_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_apps = 0;

  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (g_str_has_prefix (groups[i], GROUP_APP_PREFIX))
        {
          g_autofree char *name = g_key_file_get_string (key_file, groups[i], "name", NULL);

          n_apps++;
          if (name != NULL)
            g_hash_table_replace (names, name_key (name), g_strdup (groups[i] + strlen (GROUP_APP_PREFIX)));
        }
      else if (g_str_has_prefix (groups[i], GROUP_ACCOUNT_PREFIX))
        {
          g_auto(GStrv) parts = g_strsplit (groups[i] + strlen (GROUP_ACCOUNT_PREFIX), " ", 2);
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (n_accounts, parts[0]));

          g_hash_table_replace (n_accounts, g_strdup (parts[0]), GUINT_TO_POINTER (n + 1));
        }
    }

  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = g_ptr_array_index (changes, i);
      g_autofree char *group = app_group (change->app_id);
      gboolean app_exists = g_key_file_has_group (key_file, group);

      switch (change->kind)
        {
        case CHANGE_PUT_APP:
          /* A secret with no record may be another process's add between
           * its keyring write and its record: its record wins. */
          if (change->restore && app_exists)
            break;

          if (change->restore && change->name != NULL)
            {
              g_autofree char *base = g_strdup (change->name);

              for (guint n = 2; ; n++)
                {
                  g_autofree char *key = name_key (change->name);

                  if (!g_hash_table_contains (names, key))
                    break;
                  g_free (change->name);
                  /* Translators: The name of an App restored from the keyring when another App
                   * already has its name; %s is the name, %u a number. */
                  change->name = g_strdup_printf (_("%s (%u)"), base, n);
                }
              change_set (change, "name", change->name);
            }

          if (!app_exists && !change->create)
            {
              g_propagate_error (error, app_gone_error (change->label));
              return FALSE;
            }

          if (!app_exists && n_apps >= BH_STORE_MAX_APPS)
            {
              g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                           /* Translators: %d is the most Apps Birdhouse keeps. */
                           _("Birdhouse keeps at most %d Apps. Remove one you no longer use first."),
                           BH_STORE_MAX_APPS);
              return FALSE;
            }

          if (change->name != NULL)
            {
              g_autofree char *key = name_key (change->name);
              const char *holder = g_hash_table_lookup (names, key);

              if (holder != NULL && !g_str_equal (holder, change->app_id))
                {
                  g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_EXISTS,
                               /* Translators: %s is the App's name. */
                               _("An App named “%s” already exists. Choose another name."), change->name);
                  return FALSE;
                }

              if (app_exists)
                {
                  g_autofree char *old = g_key_file_get_string (key_file, group, "name", NULL);

                  if (old != NULL)
                    {
                      g_autofree char *old_key = name_key (old);

                      g_hash_table_remove (names, old_key);
                    }
                }
              g_hash_table_replace (names, g_steal_pointer (&key), g_strdup (change->app_id));
            }

          if (!app_exists)
            n_apps++;
          set_fields (key_file, group, change->fields);
          break;

        case CHANGE_REMOVE_APP:
          if (app_exists)
            {
              g_autofree char *old = g_key_file_get_string (key_file, group, "name", NULL);
              g_autofree char *prefix = g_strconcat (GROUP_ACCOUNT_PREFIX, change->app_id, " ", NULL);
              g_auto(GStrv) now = g_key_file_get_groups (key_file, NULL);

              if (old != NULL)
                {
                  g_autofree char *old_key = name_key (old);
                  const char *holder = g_hash_table_lookup (names, old_key);

                  if (g_strcmp0 (holder, change->app_id) == 0)
                    g_hash_table_remove (names, old_key);
                }

              g_key_file_remove_group (key_file, group, NULL);
              n_apps--;
              for (guint j = 0; now[j] != NULL; j++)
                if (g_str_has_prefix (now[j], prefix))
                  g_key_file_remove_group (key_file, now[j], NULL);
              g_hash_table_remove (n_accounts, change->app_id);
            }
          break;

        case CHANGE_PUT_ACCOUNT:
          {
            g_autofree char *agroup = account_group (change->app_id, change->user_id);
            guint n;

            if (change->restore && (!app_exists || g_key_file_has_group (key_file, agroup)))
              break;

            if (!g_key_file_has_group (key_file, agroup))
              {
                if (!app_exists)
                  {
                    g_propagate_error (error, app_gone_error (NULL));
                    return FALSE;
                  }

                if (!change->create)
                  {
                    g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                                 /* Translators: %s is the account's screen name, without “@”. */
                                 _("The account @%s was removed meanwhile, by another Birdhouse window "
                                   "or command."),
                                 change->label != NULL ? change->label : "");
                    return FALSE;
                  }

                n = GPOINTER_TO_UINT (g_hash_table_lookup (n_accounts, change->app_id));
                if (n >= BH_STORE_MAX_ACCOUNTS_PER_APP)
                  {
                    g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                                 /* Translators: %d is the most accounts of one App. */
                                 _("An App keeps at most %d accounts. Remove one it no longer needs first."),
                                 BH_STORE_MAX_ACCOUNTS_PER_APP);
                    return FALSE;
                  }
                g_hash_table_replace (n_accounts, g_strdup (change->app_id), GUINT_TO_POINTER (n + 1));
              }

            set_fields (key_file, agroup, change->fields);
          }
          break;

        case CHANGE_REMOVE_ACCOUNT:
          {
            g_autofree char *agroup = account_group (change->app_id, change->user_id);

            if (g_key_file_remove_group (key_file, agroup, NULL))
              {
                guint n = GPOINTER_TO_UINT (g_hash_table_lookup (n_accounts, change->app_id));

                if (n > 0)
                  g_hash_table_replace (n_accounts, g_strdup (change->app_id), GUINT_TO_POINTER (n - 1));
              }
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return TRUE;
}

static char *
records_checksum (const char *data,
                  gsize       len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

static GError *
too_large_error (const char *path)
{
  return g_error_new (BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                      /* Translators: %s is the path of the records file; %d is its largest size,
                       * in MiB. */
                      _("The list of Apps and accounts in “%s” is larger than %d MiB, more than Birdhouse "
                        "reads. It was left as it is: move it away, or make it smaller, and start "
                        "Birdhouse again."),
                      path, BH_STORE_MAX_RECORDS_SIZE / (1024 * 1024));
}

/* Reads the records file, refusing one over the size limit before reading
 * it. A missing file is not an error: *@contents is NULL. */
static gboolean
records_read_file (const char  *path,
                   char       **contents,
                   gsize       *len,
                   GError     **error)
{
  g_autofree char *data = NULL;
  struct stat st;
  gsize done = 0, capacity;
  int fd;

  *contents = NULL;
  *len = 0;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return TRUE;

      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                   _("The list of Apps could not be read: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) != 0 || st.st_size > BH_STORE_MAX_RECORDS_SIZE)
    {
      close (fd);
      g_propagate_error (error, too_large_error (path));
      return FALSE;
    }

  /* As large as the file, grown if it grows meanwhile, up to one byte
   * over the limit. */
  capacity = (gsize) st.st_size + 1;
  data = g_malloc (capacity + 1);
  for (;;)
    {
      gssize n;

      if (done == capacity)
        {
          capacity = MIN (capacity * 2, (gsize) BH_STORE_MAX_RECORDS_SIZE + 1);
          data = g_realloc (data, capacity + 1);
        }

      n = read (fd, data + done, capacity - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                       _("The list of Apps could not be read: %s"), g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)
        break;
      done += n;
      if (done > BH_STORE_MAX_RECORDS_SIZE)
        {
          close (fd);
          g_propagate_error (error, too_large_error (path));
          return FALSE;
        }
    }
  close (fd);

  data[done] = '\0';
  *contents = g_steal_pointer (&data);
  *len = done;

  return TRUE;
}

/* The lock every process takes around a read-modify-write of the records:
 * flock() on a file of its own beside them (the records file itself is
 * replaced by a rename, which would leave a lock on the old one). Taken in
 * a worker thread, never on the main loop. Returns the descriptor to
 * close, or -1. */
static int
records_lock (const char  *path,
              GError     **error)
{
  g_autofree char *lock_path = g_strconcat (path, ".lock", NULL);
  int fd;

  fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                   /* Translators: The first %s is the path of the lock file, the second the
                    * system's reason. */
                   _("The list of Apps could not be locked (“%s”): %s"),
                   lock_path, g_strerror (saved_errno));
      return -1;
    }

  while (flock (fd, LOCK_EX) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EINTR)
        continue;

      close (fd);
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                   /* Translators: The first %s is the path of the lock file, the second the
                    * system's reason. */
                   _("The list of Apps could not be locked (“%s”): %s"),
                   lock_path, g_strerror (saved_errno));
      return -1;
    }

  return fd;
}

static void
records_unlock (int fd)
{
  if (fd >= 0)
    close (fd);
}

static char *aside_path (const char *path);

typedef struct
{
  char      *path;
  GPtrArray *changes;     /* Change */
  char      *fallback;    /* the model, for a file gone or damaged */
  gsize      fallback_len;
  char      *known;       /* reread: the checksum last seen */
  GPtrArray *apps;        /* out: what the file holds now; NULL: nothing new */
  char      *checksum;    /* out */
} RecordsJob;

static void
records_job_free (RecordsJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->changes, g_ptr_array_unref);
  g_free (job->fallback);
  g_free (job->known);
  g_clear_pointer (&job->apps, g_ptr_array_unref);
  g_free (job->checksum);
  g_free (job);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  RecordsJob *job = task_data;
  g_autofree char *dir = g_path_get_dirname (job->path);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  gboolean from_fallback = FALSE;
  gsize len = 0, out_len = 0;
  int lock_fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                               _("The folder “%s” could not be created: %s"),
                               dir, g_strerror (saved_errno));
      return;
    }

  lock_fd = records_lock (job->path, &error);
  if (lock_fd < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!records_read_file (job->path, &contents, &len, &error))
    {
      records_unlock (lock_fd);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (contents == NULL)
    {
      /* Gone: nobody else removes the file, so this is the first write,
       * or a user removed it; the model is the best there is. */
      from_fallback = TRUE;
    }
  else if (len > 0)
    {
      g_autoptr(GPtrArray) apps = records_parse (contents, len, &error);

      if (apps == NULL && g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT))
        {
          g_autofree char *message = g_strdup (error->message);

          records_unlock (lock_fd);
          g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                                   /* Translators: The first %s is the path of the records file;
                                    * the second says which limit, such as “it has more than 1000
                                    * Apps”. */
                                   _("The list of Apps and accounts in “%s” is over a limit of "
                                     "Birdhouse (%s); it was left as it is."),
                                   job->path, message);
          return;
        }

      if (apps == NULL)
        {
          g_autofree char *aside = aside_path (job->path);

          /* Damaged since it was read: kept as it is, as at load. */
          g_debug ("The records file is damaged (%s); kept as %s", error->message, aside);
          if (g_rename (job->path, aside) != 0)
            {
              int saved_errno = errno;

              records_unlock (lock_fd);
              g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                                       /* Translators: The first %s is the path of the records
                                        * file, the second what is wrong with it, the third why it
                                        * could not be moved. */
                                       _("The list of Apps and accounts in “%s” is damaged (%s), and "
                                         "it could not be moved aside: %s."),
                                       job->path, error->message, g_strerror (saved_errno));
              return;
            }
          g_clear_error (&error);
          from_fallback = TRUE;
        }
      else if (!g_key_file_load_from_data (key_file, contents, len, G_KEY_FILE_KEEP_COMMENTS, &error))
        g_assert_not_reached ();  /* records_parse() loaded it already */
    }

  if (from_fallback && job->fallback != NULL &&
      !g_key_file_load_from_data (key_file, job->fallback, job->fallback_len, G_KEY_FILE_KEEP_COMMENTS, NULL))
    g_clear_pointer (&key_file, g_key_file_unref);

  if (key_file == NULL)
    key_file = g_key_file_new ();
  if (!g_key_file_has_group (key_file, GROUP_BIRDHOUSE))
    {
      g_key_file_set_comment (key_file, NULL, NULL,
                              " Birdhouse: Apps and accounts, nothing secret (the keys and tokens are in the keyring).",
                              NULL);
      g_key_file_set_integer (key_file, GROUP_BIRDHOUSE, "version", RECORDS_VERSION);
    }

  if (!records_apply (key_file, job->changes, &error))
    {
      records_unlock (lock_fd);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  out = g_key_file_to_data (key_file, &out_len, NULL);
  if (out_len > BH_STORE_MAX_RECORDS_SIZE)
    {
      records_unlock (lock_fd);
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                               /* Translators: %d is the largest size of the records file, in MiB. */
                               _("The list of Apps and accounts would grow over %d MiB, more than Birdhouse "
                                 "keeps. Nothing was changed."),
                               BH_STORE_MAX_RECORDS_SIZE / (1024 * 1024));
      return;
    }

  /* What the model follows, and a last check that what is written reads
   * back. */
  job->apps = records_parse (out, out_len, &error);
  if (job->apps == NULL)
    {
      records_unlock (lock_fd);
      g_task_return_new_error (task, BH_STORE_ERROR, error->code,
                               _("The list of Apps could not be saved: %s"), error->message);
      return;
    }

  /* CONSISTENT: a temporary file, fsync, then rename; a crash leaves the
   * old file or the new one, never half of one. */
  if ((contents == NULL || len != out_len || memcmp (contents, out, len) != 0) &&
      !g_file_set_contents_full (job->path, out, out_len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      records_unlock (lock_fd);
      g_clear_pointer (&job->apps, g_ptr_array_unref);
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                               _("The list of Apps could not be saved: %s"), error->message);
      return;
    }

  records_unlock (lock_fd);
  job->checksum = records_checksum (out, out_len);
  g_task_return_boolean (task, TRUE);
}

/* Another process changed the file: read it again (no lock: the file is
 * only ever replaced whole). Nothing to follow when it is gone, damaged
 * or unchanged; the next load or write deals with those. */
static void
reread_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RecordsJob *job = task_data;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  if (!records_read_file (job->path, &contents, &len, &error) || contents == NULL)
    {
      g_debug ("The records file was not read again: %s", error ? error->message : "it is gone");
      g_task_return_boolean (task, TRUE);
      return;
    }

  job->checksum = records_checksum (contents, len);
  if (g_strcmp0 (job->checksum, job->known) == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (len == 0)
    job->apps = g_ptr_array_new_with_free_func (g_object_unref);
  else
    job->apps = records_parse (contents, len, &error);

  if (job->apps == NULL)
    g_debug ("The records file changed, and is damaged: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

/* The jobs: one at a time, in the order asked. */

typedef struct
{
  GTask           *task;  /* NULL for a re-read, made when it starts */
  GTaskThreadFunc  func;
} QueuedJob;

static void reread_done (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data);

static void
queued_job_free (gpointer data)
{
  QueuedJob *queued = data;

  /* Only re-reads, which hold no reference, can be left at finalize. */
  g_clear_object (&queued->task);
  g_free (queued);
}

static void
run_next_job (BhStore *self)
{
  QueuedJob *queued;

  if (self->job_running || (queued = g_queue_pop_head (self->jobs)) == NULL)
    return;

  self->job_running = TRUE;

  if (queued->task == NULL)
    {
      GWeakRef *weak = g_new0 (GWeakRef, 1);
      RecordsJob *job = g_new0 (RecordsJob, 1);

      g_weak_ref_init (weak, self);
      job->path = g_strdup (self->records_path);
      queued->task = g_task_new (NULL, NULL, reread_done, weak);
      g_task_set_source_tag (queued->task, reread_done);
      g_task_set_task_data (queued->task, job, (GDestroyNotify) records_job_free);
    }

  if (queued->func == write_thread)
    {
      RecordsJob *job = g_task_get_task_data (queued->task);

      /* Taken now, after every earlier job reached the model. */
      job->fallback = records_serialize (self, &job->fallback_len);
    }
  else if (queued->func == reread_thread)
    {
      RecordsJob *job = g_task_get_task_data (queued->task);

      self->reread_queued = FALSE;
      job->known = g_strdup (self->checksum);
    }

  g_task_run_in_thread (queued->task, queued->func);
  queued_job_free (queued);
}

static void
queue_job (BhStore         *self,
           GTask           *task,
           GTaskThreadFunc  func)
{
  QueuedJob *queued = g_new0 (QueuedJob, 1);

  queued->task = task;
  queued->func = func;
  g_queue_push_tail (self->jobs, queued);
  run_next_job (self);
}

static void
job_finished (BhStore *self)
{
  self->job_running = FALSE;
  run_next_job (self);
}

static void
note_touched (BhStore    *self,
              const char *app_id)
{
  if (self->touched != NULL && app_id != NULL)
    g_hash_table_add (self->touched, g_strdup (app_id));
}

/* Following the file ---------------------------------------------------------- */

static void
sync_account (BhAccount *account,
              BhAccount *disk)
{
  GDateTime *authorized_at = bh_account_get_authorized_at (account);
  GDateTime *disk_authorized_at = bh_account_get_authorized_at (disk);
  gboolean reauthorized;

  reauthorized = (authorized_at == NULL) != (disk_authorized_at == NULL) ||
                 (authorized_at != NULL && !g_date_time_equal (authorized_at, disk_authorized_at));

  g_object_freeze_notify (G_OBJECT (account));
  bh_account_set_screen_name (account, bh_account_get_screen_name (disk));
  bh_account_set_name (account, bh_account_get_name (disk));
  bh_account_set_access_level (account, bh_account_get_access_level (disk));
  bh_account_set_authorized_at (account, disk_authorized_at);
  bh_account_set_verified_at (account, bh_account_get_verified_at (disk));
  bh_account_set_restored (account, bh_account_get_restored (disk));
  /* A missing secret is what the keyring said, which the file does not
   * always record; new tokens (a new authorization) end it. */
  if (bh_account_get_state (account) != BH_ACCOUNT_STATE_SECRET_MISSING || reauthorized)
    bh_account_set_state (account, bh_account_get_state (disk));
  g_object_thaw_notify (G_OBJECT (account));
}

/* Returns TRUE when anything changed. */
static gboolean
sync_app (BhApp *app,
          BhApp *disk)
{
  GListModel *accounts = bh_app_get_accounts (app);
  GListModel *disk_accounts = bh_app_get_accounts (disk);
  g_autoptr(GHashTable) on_disk = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (disk_accounts);
  gboolean changed = FALSE;

  changed |= g_strcmp0 (bh_app_get_name (app), bh_app_get_name (disk)) != 0 ||
             g_strcmp0 (bh_app_get_consumer_key (app), bh_app_get_consumer_key (disk)) != 0 ||
             g_strcmp0 (bh_app_get_api_host (app), bh_app_get_api_host (disk)) != 0 ||
             bh_app_get_has_bearer (app) != bh_app_get_has_bearer (disk);

  g_object_freeze_notify (G_OBJECT (app));
  bh_app_set_name (app, bh_app_get_name (disk));
  bh_app_set_consumer_key (app, bh_app_get_consumer_key (disk));
  bh_app_set_api_host (app, bh_app_get_api_host (disk));
  bh_app_set_has_bearer (app, bh_app_get_has_bearer (disk));
  bh_app_set_restored (app, bh_app_get_restored (disk));
  g_object_thaw_notify (G_OBJECT (app));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhAccount) disk_account = g_list_model_get_item (disk_accounts, i);
      BhAccount *account = find_account_by_user_id (app, bh_account_get_user_id (disk_account));

      g_hash_table_add (on_disk, (gpointer) bh_account_get_user_id (disk_account));
      if (account != NULL)
        sync_account (account, disk_account);
      else
        {
          _bh_app_add_account (app, disk_account);
          changed = TRUE;
        }
    }

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (accounts, i);

      if (!g_hash_table_contains (on_disk, bh_account_get_user_id (account)))
        g_ptr_array_add (gone, g_steal_pointer (&account));
    }
  for (guint i = 0; i < gone->len; i++)
    _bh_app_remove_account (app, g_ptr_array_index (gone, i));

  return changed || gone->len > 0;
}

/* Brings the model in line with @disk_apps (what the file holds), by id:
 * the objects already in the model are kept and updated, so that views
 * and selections survive. The keyring's word (has-secret, a missing
 * account secret) stays as the model has it. */
static void
sync_model (BhStore   *self,
            GPtrArray *disk_apps)
{
  g_autoptr(GHashTable) on_disk = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) in_model = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->apps));

  for (guint i = 0; i < disk_apps->len; i++)
    g_hash_table_insert (on_disk, (gpointer) bh_app_get_id (disk_apps->pdata[i]), disk_apps->pdata[i]);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (self->apps), i);

      if (!g_hash_table_contains (on_disk, bh_app_get_id (app)))
        g_ptr_array_add (gone, g_steal_pointer (&app));
      else
        g_hash_table_insert (in_model, (gpointer) bh_app_get_id (app), app);
    }

  for (guint i = 0; i < gone->len; i++)
    {
      note_touched (self, bh_app_get_id (gone->pdata[i]));
      remove_app (self, gone->pdata[i]);
    }

  for (guint i = 0; i < disk_apps->len; i++)
    {
      BhApp *disk = disk_apps->pdata[i];
      BhApp *app = g_hash_table_lookup (in_model, bh_app_get_id (disk));

      if (app == NULL)
        {
          note_touched (self, bh_app_get_id (disk));
          insert_app (self, disk);
        }
      else if (sync_app (app, disk))
        note_touched (self, bh_app_get_id (app));
    }
}

/* The model takes the objects an operation created, before it follows the
 * file: the caller gets back the very object that is in the list. */
static void
take_created (BhStore   *self,
              GPtrArray *changes)
{
  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = g_ptr_array_index (changes, i);
      BhApp *app;

      note_touched (self, change->app_id);

      if (change->object == NULL)
        continue;

      app = find_app_by_id (self, change->app_id);
      if (change->kind == CHANGE_PUT_APP && app == NULL)
        insert_app (self, BH_APP (change->object));
      else if (change->kind == CHANGE_PUT_ACCOUNT && app != NULL &&
               find_account_by_user_id (app, change->user_id) == NULL)
        _bh_app_add_account (app, BH_ACCOUNT (change->object));
    }
}

/* A re-read holds the store weakly: following the file must not keep a
 * store alive that everyone else let go. */
static void
reread_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(BhStore) self = g_weak_ref_get (weak);
  RecordsJob *job = g_task_get_task_data (G_TASK (result));

  g_weak_ref_clear (weak);
  g_free (weak);
  g_task_propagate_boolean (G_TASK (result), NULL);

  if (self == NULL)
    return;

  if (job->apps != NULL && self->apps != NULL)
    {
      g_debug ("The records file was changed by another process; following it");
      sync_model (self, job->apps);
    }
  if (job->checksum != NULL)
    {
      g_free (self->checksum);
      self->checksum = g_strdup (job->checksum);
    }

  job_finished (self);
}

static gboolean
reread_timeout_cb (gpointer user_data)
{
  BhStore *self = user_data;

  self->reread_id = 0;
  if (self->reread_queued)
    return G_SOURCE_REMOVE;

  /* Its task is made when it starts (run_next_job()). */
  self->reread_queued = TRUE;
  queue_job (self, NULL, reread_thread);

  return G_SOURCE_REMOVE;
}

static void
records_dir_changed (GFileMonitor      *monitor,
                     GFile             *file,
                     GFile             *other_file,
                     GFileMonitorEvent  event,
                     BhStore           *self)
{
  g_autofree char *name = g_path_get_basename (self->records_path);
  g_autofree char *file_name = g_file_get_basename (file);
  g_autofree char *other_name = other_file != NULL ? g_file_get_basename (other_file) : NULL;

  /* The file is replaced by a rename from a temporary one. */
  if (g_strcmp0 (file_name, name) != 0 && g_strcmp0 (other_name, name) != 0)
    return;

  /* A short pause gathers the events of one write into one read. */
  if (self->reread_id == 0)
    self->reread_id = g_timeout_add (50, reread_timeout_cb, self);
}

/* Watches the folder (the file itself is replaced, not written to). */
static void
start_monitor (BhStore *self)
{
  g_autofree char *dir_path = g_path_get_dirname (self->records_path);
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;

  if (self->monitor != NULL)
    return;

  /* A folder that does not exist yet is watched by polling; create it so
   * that the first App another process adds shows at once. */
  if (g_mkdir_with_parents (dir_path, 0700) != 0)
    g_debug ("The folder %s could not be created: %s", dir_path, g_strerror (errno));

  dir = g_file_new_for_path (dir_path);
  self->monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->monitor == NULL)
    {
      g_debug ("Changes to the records by other processes will not show: %s", error->message);
      return;
    }

  g_signal_connect (self->monitor, "changed", G_CALLBACK (records_dir_changed), self);
}

/* Writing ----------------------------------------------------------------------- */

static void
write_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) caller = user_data;
  BhStore *self = g_task_get_source_object (caller);
  RecordsJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error) && self->apps != NULL)
    {
      take_created (self, job->changes);
      sync_model (self, job->apps);
      g_free (self->checksum);
      self->checksum = g_strdup (job->checksum);
    }

  /* The next job starts after this one reached the model, and before the
   * caller goes on. */
  job_finished (self);

  if (error != NULL)
    g_task_return_error (caller, g_steal_pointer (&error));
  else
    g_task_return_boolean (caller, TRUE);
}

/* Merges the changes queued with queue_change() into the records file
 * (a read-modify-write under the lock), then brings the model in line
 * with the file. Not cancellable: the file must follow the keyring once
 * the keyring changed. */
static void
records_write_async (BhStore             *self,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) caller = g_task_new (self, NULL, callback, user_data);
  g_autoptr(GTask) task = NULL;
  RecordsJob *job;

  g_task_set_source_tag (caller, records_write_async);

  job = g_new0 (RecordsJob, 1);
  job->path = g_strdup (self->records_path);
  job->changes = g_steal_pointer (&self->pending_changes);
  self->pending_changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);

  /* No source object: the worker thread may drop its reference to the
   * task after write_done() ran. */
  task = g_task_new (NULL, NULL, write_done, g_steal_pointer (&caller));
  g_task_set_source_tag (task, records_write_async);
  g_task_set_task_data (task, job, (GDestroyNotify) records_job_free);
  queue_job (self, g_steal_pointer (&task), write_thread);
}

static gboolean
records_write_finish (BhStore       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Keyring building blocks ---------------------------------------------------- */

static gboolean
attributes_match (GHashTable *have,
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

static gboolean
retrievable_is_locked (SecretRetrievable *retrievable)
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
  GHashTable *attributes = new_attributes ();
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
static void
item_remove_outdated_async (SecretRetrievable   *retrievable,
                            GHashTable          *replacement,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (retrievable, cancellable, callback, user_data);
  g_autoptr(GHashTable) old = NULL;

  g_task_set_source_tag (task, item_remove_outdated_async);
  if (SECRET_IS_ITEM (retrievable))
    {
      secret_item_delete (SECRET_ITEM (retrievable), cancellable, item_deleted, g_steal_pointer (&task));
      return;
    }

  old = retrievable_schema_attributes (retrievable);
  if (!attributes_distinguish (old, replacement))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                               "the outdated item cannot be told apart from its replacement");
      return;
    }

  secret_password_clearv (bh_store_get_schema (), old, cancellable,
                          item_removed_by_attributes, g_steal_pointer (&task));
}

static gboolean
item_remove_outdated_finish (GAsyncResult  *result,
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
rewrite_step_done (GTask   *task,
                   GError  *error)
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
  if (!item_remove_outdated_finish (result, &error))
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

  item_remove_outdated_async (g_task_get_source_object (task), data->want,
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
        error = g_error_new_literal (SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT, "the item has no secret");
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
      if (retrievable_is_locked (l->data))
        data->locked = g_list_prepend (data->locked, g_object_ref (l->data));
    }

  if (data->locked == NULL)
    {
      g_task_return_pointer (task, items, search_list_free);
      return;
    }

  /* A fact already, whatever the prompt does next. */
  note_keyring_locked (g_task_get_source_object (task));
  g_list_free_full (items, g_object_unref);
  secret_service_get (SECRET_SERVICE_NONE, cancellable,
                      keyring_search_got_service, g_steal_pointer (&task));
}

static void
keyring_search_async (BhStore             *self,
                      GHashTable          *attributes,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SearchData *data = g_new0 (SearchData, 1);

  g_task_set_source_tag (task, keyring_search_async);
  data->attributes = g_hash_table_ref (attributes);
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  secret_password_searchv (bh_store_get_schema (), attributes, SECRET_SEARCH_ALL,
                           cancellable, keyring_search_first, g_steal_pointer (&task));
}

/* Returns the items (transfer full); a NULL list with no error is "none".
 * While the keyring is known to be locked, "none" is not trusted: after a
 * failed unlock prompt gnome-keyring may list nothing at all, and acting
 * on that would mark secrets missing or remove records. */
static GList *
keyring_search_finish (BhStore       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  GList *items = g_task_propagate_pointer (G_TASK (result), error);

  if (items == NULL && (error == NULL || *error == NULL) &&
      self->keyring_status == BH_KEYRING_STATUS_LOCKED)
    g_propagate_error (error, keyring_locked_error ());

  return items;
}

/* Finding one secret: one search that may raise the unlock prompt, then
 * the newest unlocked item's value. A dismissed prompt leaves the items
 * locked; that is reported as locked, never as "not found". */

static void
find_secret_retrieved (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = g_task_get_source_object (task);
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) error = NULL;
  const char *bytes;
  gsize len = 0;

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (value == NULL)
    {
      /* The item exists (the search found it): no value and no error
       * means the keyring would not hand it over, that is, it is locked. */
      if (error != NULL)
        g_task_return_error (task, map_keyring_error (self, error, g_task_get_cancellable (task)));
      else
        {
          note_keyring_locked (self);
          g_task_return_error (task, keyring_locked_error ());
        }
      return;
    }

  note_keyring_available (self);

  /* The SecretValue is in libsecret's wiped memory; our copy is a
   * BhSecret, wiped when the caller frees it. */
  bytes = secret_value_get (value, &len);
  g_task_return_pointer (task, bh_secret_dup_len (bytes, len), (GDestroyNotify) bh_secret_free);
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

  items = keyring_search_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, map_keyring_error (self, error, g_task_get_cancellable (task)));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretRetrievable *item = l->data;

      if (retrievable_is_locked (item))
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
      note_keyring_locked (self);
      g_task_return_error (task, keyring_locked_error ());
    }
  else
    {
      note_keyring_available (self);
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                               _("The secret is not in the keyring."));
    }

  g_list_free_full (items, g_object_unref);
}

static void
find_secret_start (GTask *task)
{
  keyring_search_async (g_task_get_source_object (task), g_task_get_task_data (task),
                        g_task_get_cancellable (task), find_secret_searched, g_object_ref (task));
}

static void
find_secret_async (BhStore             *self,
                   GHashTable          *attributes,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, find_secret_async);
  g_task_set_task_data (task, g_hash_table_ref (attributes), (GDestroyNotify) g_hash_table_unref);
  bh_keyring_gate_run (task, find_secret_start);
}

static BhSecret *
find_secret_finish (BhStore       *self,
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
      g_task_return_error (task, map_keyring_error (self, error, g_task_get_cancellable (task)));
      return;
    }

  note_keyring_available (self);
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

  items = keyring_search_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, map_keyring_error (self, error, g_task_get_cancellable (task)));
      return;
    }

  n_items = g_list_length (items);
  for (GList *l = items; l != NULL; l = l->next)
    any_locked |= retrievable_is_locked (l->data);
  g_list_free_full (items, g_object_unref);

  if (any_locked)
    {
      note_keyring_locked (self);
      g_task_return_error (task, keyring_locked_error ());
      return;
    }

  note_keyring_available (self);
  if (n_items == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  attributes = g_task_get_task_data (task);
  cancellable = g_task_get_cancellable (task);
  secret_password_clearv (bh_store_get_schema (), attributes, cancellable,
                          clear_secrets_cleared, g_steal_pointer (&task));
}

static void
clear_secrets_start (GTask *task)
{
  keyring_search_async (g_task_get_source_object (task), g_task_get_task_data (task),
                        g_task_get_cancellable (task), clear_secrets_searched, g_object_ref (task));
}

static void
clear_secrets_async (BhStore             *self,
                     GHashTable          *attributes,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, clear_secrets_async);
  g_task_set_task_data (task, g_hash_table_ref (attributes), (GDestroyNotify) g_hash_table_unref);
  bh_keyring_gate_run (task, clear_secrets_start);
}

static gboolean
clear_secrets_finish (BhStore       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Storing a secret: the item with all its attributes (the Secret Service
 * replaces an item with the same attributes), then older items of the same
 * credential whose attributes differ (a renamed screen name) are deleted,
 * so that one credential is one item. */

typedef struct
{
  GHashTable *attributes;
  GHashTable *ident;
  char       *label;
  BhSecret   *secret;
  guint       pending;
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_clear_pointer (&data->attributes, g_hash_table_unref);
  g_clear_pointer (&data->ident, g_hash_table_unref);
  g_free (data->label);
  bh_secret_clear (&data->secret);
  g_free (data);
}

static void
store_secret_stale_deleted (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Not fatal: the new item is stored, and load picks the newest. */
  if (!item_remove_outdated_finish (result, &error))
    g_debug ("An outdated keyring item could not be deleted: %s", error->message);

  if (--data->pending == 0)
    g_task_return_boolean (task, TRUE);
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

  data->pending = 1;
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) have = secret_retrievable_get_attributes (l->data);

      if (!attributes_match (have, data->attributes))
        {
          data->pending++;
          item_remove_outdated_async (l->data, data->attributes, NULL,
                                      store_secret_stale_deleted, g_object_ref (task));
        }
    }
  g_list_free_full (items, g_object_unref);

  if (--data->pending == 0)
    g_task_return_boolean (task, TRUE);
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
      g_task_return_error (task, map_keyring_error (self, error, g_task_get_cancellable (task)));
      return;
    }

  note_keyring_available (self);
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

static void
store_secret_async (BhStore             *self,
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

  g_task_set_source_tag (task, store_secret_async);
  data->attributes = item_attributes (kind, app, user_id, screen_name);
  data->ident = ident_attributes (kind, bh_app_get_id (app), user_id);
  data->label = item_label (kind, app, screen_name);
  data->secret = bh_secret_dup (secret);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);

  bh_keyring_gate_run (task, store_secret_start);
}

static gboolean
store_secret_finish (BhStore       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Retagging: after an App is renamed (or its key or host changed), the
 * attributes and labels of its items follow, so that secret-tool finds
 * them by the new name. Locked items cannot be changed: refuse, so the
 * record is not changed either. */

typedef struct
{
  BhApp  *proposed;
  guint   pending;
  GError *error;
} RetagData;

static void
retag_data_free (RetagData *data)
{
  g_clear_object (&data->proposed);
  g_clear_error (&data->error);
  g_free (data);
}

static void
retag_step_done (GTask *task)
{
  RetagData *data = g_task_get_task_data (task);
  BhStore *self = g_task_get_source_object (task);

  if (--data->pending > 0)
    return;

  if (data->error != NULL)
    g_task_return_error (task, map_keyring_error (self, data->error, g_task_get_cancellable (task)));
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

  items = keyring_search_finish (self, result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, map_keyring_error (self, error, g_task_get_cancellable (task)));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      if (retrievable_is_locked (l->data))
        {
          g_list_free_full (items, g_object_unref);
          note_keyring_locked (self);
          g_task_return_error (task, keyring_locked_error ());
          return;
        }
    }

  note_keyring_available (self);
  data->pending = 1;
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

      want = item_attributes (kind, data->proposed,
                              g_str_equal (kind, KIND_USER) ? user_id : NULL, screen_name);
      if (attributes_match (have, want))
        continue;

      label = item_label (kind, data->proposed, screen_name);
      data->pending++;
      item_rewrite_async (l->data, want, label, g_task_get_cancellable (task),
                          retag_item_rewritten, g_object_ref (task));
    }
  g_list_free_full (items, g_object_unref);

  retag_step_done (task);
}

static void
retag_app_start (GTask *task)
{
  RetagData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) ident = ident_attributes (NULL, bh_app_get_id (data->proposed), NULL);

  keyring_search_async (g_task_get_source_object (task), ident, g_task_get_cancellable (task),
                        retag_searched, g_object_ref (task));
}

static void
retag_app_async (BhStore             *self,
                 BhApp               *proposed,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  RetagData *data = g_new0 (RetagData, 1);

  g_task_set_source_tag (task, retag_app_async);
  data->proposed = g_object_ref (proposed);
  g_task_set_task_data (task, data, (GDestroyNotify) retag_data_free);
  bh_keyring_gate_run (task, retag_app_start);
}

static gboolean
retag_app_finish (BhStore       *self,
                  GAsyncResult  *result,
                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Keyring scan ---------------------------------------------------------------- */

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

typedef struct
{
  GHashTable *attributes;
  guint64     created;
} ScannedItem;

static void
scanned_item_free (ScannedItem *item)
{
  g_clear_pointer (&item->attributes, g_hash_table_unref);
  g_free (item);
}

typedef struct
{
  GDBusConnection *connection;
  char            *bus_name;
  GPtrArray       *paths;      /* object paths still to read */
  GPtrArray       *items;      /* ScannedItem */
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

static ScannedItem *
scanned_item_new (GVariant *attributes)
{
  ScannedItem *item = g_new0 (ScannedItem, 1);
  GVariantIter iter;
  const char *name, *value;

  item->attributes = new_attributes ();
  g_variant_iter_init (&iter, attributes);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &value))
    g_hash_table_replace (item->attributes, g_strdup (name), g_strdup (value));

  return item;
}

/* A user item the records do not know: the reconcile restores it, and its
 * creation time is the best "authorized at" there is. */
static gboolean
scanned_item_is_unrecorded_user (BhStore     *self,
                                 ScannedItem *item)
{
  const char *kind = g_hash_table_lookup (item->attributes, "kind");
  const char *user_id = g_hash_table_lookup (item->attributes, "user-id");
  BhApp *app;

  if (g_strcmp0 (kind, KIND_USER) != 0 || user_id == NULL)
    return FALSE;

  app = find_app_by_id (self, g_hash_table_lookup (item->attributes, "app-id"));
  return app == NULL || bh_app_find_account (app, user_id) == NULL;
}

typedef struct
{
  GTask       *task;
  ScannedItem *item;  /* owned by the task's items */
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
    note_keyring_locked (g_task_get_source_object (task));
  else
    note_keyring_available (g_task_get_source_object (task));
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
      ScannedItem *item = g_new0 (ScannedItem, 1);
      GHashTableIter iter;
      gpointer key, value;

      item->attributes = new_attributes ();
      if (attributes != NULL)
        {
          g_hash_table_iter_init (&iter, attributes);
          while (g_hash_table_iter_next (&iter, &key, &value))
            g_hash_table_replace (item->attributes, g_strdup (key), g_strdup (value));
        }
      item->created = secret_retrievable_get_created (retrievable);
      if (retrievable_is_locked (retrievable))
        n_locked++;
      g_ptr_array_add (data->items, item);
    }

  data->any_locked = n_locked > 0;
  if (data->any_locked)
    note_keyring_locked (self);
  else
    note_keyring_available (self);
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
      g_autoptr(GHashTable) none = new_attributes ();

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
static void
keyring_scan_async (BhStore             *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ScanData *data = g_new0 (ScanData, 1);

  g_task_set_source_tag (task, keyring_scan_async);
  data->paths = g_ptr_array_new_with_free_func (g_free);
  data->items = g_ptr_array_new_with_free_func ((GDestroyNotify) scanned_item_free);
  g_task_set_task_data (task, data, (GDestroyNotify) scan_data_free);

  bh_keyring_gate_run (task, keyring_scan_start);
}

/* Returns the ScannedItems; @any_locked says whether one was locked. */
static GPtrArray *
keyring_scan_finish (BhStore       *self,
                     GAsyncResult  *result,
                     gboolean      *any_locked,
                     GError       **error)
{
  ScanData *data = g_task_get_task_data (G_TASK (result));

  *any_locked = data->any_locked;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Load ----------------------------------------------------------------------- */

typedef struct
{
  char      *path;
  GPtrArray *apps;
  GError    *damaged;
  char      *checksum;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data->checksum);
  g_clear_pointer (&data->apps, g_ptr_array_unref);
  g_clear_error (&data->damaged);
  g_free (data);
}

static char *
aside_path (const char *path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  char *aside = g_strdup_printf ("%s.damaged-%s", path, stamp);

  /* Never overwrite an earlier copy kept aside in the same second. */
  for (guint i = 2; g_file_test (aside, G_FILE_TEST_EXISTS); i++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.damaged-%s-%u", path, stamp, i);
    }

  return aside;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autofree char *contents = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *dir = g_path_get_dirname (data->path);
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  int lock_fd = -1;

  /* Under the lock, so that a file another process is writing is never
   * taken for damaged and moved aside; a folder that does not exist yet
   * has nothing to lock. */
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      lock_fd = records_lock (data->path, &error);
      if (lock_fd < 0)
        {
          g_debug ("Reading the records without the lock: %s", error->message);
          g_clear_error (&error);
        }
    }

  if (!records_read_file (data->path, &contents, &len, &error))
    {
      /* Too large: refused as it is, neither read nor moved. */
      records_unlock (lock_fd);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (contents == NULL || len == 0)
    {
      /* The first start: nothing recorded yet. */
      records_unlock (lock_fd);
      data->apps = g_ptr_array_new_with_free_func (g_object_unref);
      if (contents != NULL)
        data->checksum = records_checksum (contents, len);
      g_task_return_boolean (task, TRUE);
      return;
    }

  data->checksum = records_checksum (contents, len);
  data->apps = records_parse (contents, len, &error);
  if (data->apps != NULL)
    {
      records_unlock (lock_fd);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT))
    {
      records_unlock (lock_fd);
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                               /* Translators: The first %s is the path of the records file; the
                                * second says which limit, such as “it has more than 1000 Apps”. */
                               _("The list of Apps and accounts in “%s” is over a limit of Birdhouse (%s). "
                                 "It was left as it is: make it smaller, or move it away, and start "
                                 "Birdhouse again."),
                               data->path, error->message);
      return;
    }

  /* Keep the damaged file as it is, for the user (or a bug report), and
   * start from an empty list that the keyring repairs. */
  aside = aside_path (data->path);
  if (g_rename (data->path, aside) != 0)
    {
      int saved_errno = errno;

      records_unlock (lock_fd);
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                               _("The list of Apps and accounts in “%s” is damaged (%s), and it could not "
                                 "be moved aside to “%s”: %s. Move or remove it, then start Birdhouse again."),
                               data->path, error->message, aside, g_strerror (saved_errno));
      return;
    }
  records_unlock (lock_fd);

  g_clear_pointer (&data->checksum, g_free);
  data->apps = g_ptr_array_new_with_free_func (g_object_unref);
  data->damaged = g_error_new (BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                               _("The list of Apps and accounts in “%s” is damaged (%s). It was kept, "
                                 "unchanged, as “%s”. Apps and accounts whose credentials are in the "
                                 "keyring are restored from it."),
                               data->path, error->message, aside);
  g_task_return_boolean (task, TRUE);
}

static char *
unique_app_name (BhStore    *self,
                 const char *wanted)
{
  g_autofree char *safe = NULL;
  char *name;

  /* The keyring's attributes are anyone's to write: made valid, and
   * short enough for a name, as a name typed in would be. */
  safe = safe_text (wanted, -1);
  g_strstrip (safe);
  if (g_utf8_strlen (safe, -1) > BH_STORE_MAX_NAME_LENGTH - 5)
    *g_utf8_offset_to_pointer (safe, BH_STORE_MAX_NAME_LENGTH - 5) = '\0';
  g_strstrip (safe);
  wanted = *safe != '\0' ? safe : _("Restored App");

  if (find_app_by_name_casefold (self, wanted, NULL) == NULL)
    return g_strdup (wanted);

  for (guint i = 2; ; i++)
    {
      /* Translators: the name of an App restored from the keyring when
       * another App already has its name; %s is the name, %u a number. */
      name = g_strdup_printf (_("%s (%u)"), wanted, i);
      if (find_app_by_name_casefold (self, name, NULL) == NULL)
        return name;
      g_free (name);
    }
}

/* Matches what the keyring holds against the records. Returns TRUE when a
 * record was added (restored), so the records must be written. */
static gboolean
reconcile (BhStore   *self,
           GPtrArray *items,
           gboolean   any_locked)
{
  g_autoptr(GHashTable) app_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) bearers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) new_apps = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean changed = FALSE;
  Change *change;
  guint n_apps;

  for (guint k = 0; k < items->len; k++)
    {
      ScannedItem *item = g_ptr_array_index (items, k);
      GHashTable *attributes = item->attributes;
      const char *kind = g_hash_table_lookup (attributes, "kind");
      const char *app_id = g_hash_table_lookup (attributes, "app-id");
      const char *user_id = g_hash_table_lookup (attributes, "user-id");
      BhApp *app;

      /* An item no record could be made of (written by hand, or by
       * something else) is left alone. */
      if (kind == NULL || app_id == NULL || !check_text (app_id, "", FALSE, NULL))
        continue;

      /* Changed since the scan began (added, removed, by this process or
       * another): the scan is older than the model there. */
      if ((self->touched != NULL && g_hash_table_contains (self->touched, app_id)) ||
          g_hash_table_contains (self->busy, app_id))
        continue;

      app = find_app_by_id (self, app_id);
      if (app == NULL)
        {
          g_autofree char *name = unique_app_name (self, g_hash_table_lookup (attributes, "app-name"));
          const char *api_host = g_hash_table_lookup (attributes, "api-host");

          /* A secret whose record was lost: bring the App back from the
           * attributes, marked so the UI can say so. */
          if (api_host != NULL && !check_api_host (api_host, NULL))
            api_host = NULL;
          if (!check_text (g_hash_table_lookup (attributes, "consumer-key"), "", FALSE, NULL))
            continue;
          app = bh_app_new (app_id, name, g_hash_table_lookup (attributes, "consumer-key"), api_host);
          bh_app_set_restored (app, TRUE);
          insert_app (self, app);
          change = change_put_app (app, TRUE);
          change->restore = TRUE;
          queue_change (self, change);
          g_ptr_array_add (new_apps, app);
          changed = TRUE;
        }

      if (g_str_equal (kind, KIND_APP))
        g_hash_table_add (app_secrets, g_strdup (app_id));
      else if (g_str_equal (kind, KIND_BEARER))
        g_hash_table_add (bearers, g_strdup (app_id));
      else if (g_str_equal (kind, KIND_USER) && user_id != NULL && check_text (user_id, "", FALSE, NULL))
        {
          g_autoptr(BhAccount) account = NULL;
          GListModel *accounts = bh_app_get_accounts (app);
          guint n = g_list_model_get_n_items (accounts);
          gboolean found = FALSE;

          g_hash_table_add (users, g_strconcat (app_id, " ", user_id, NULL));

          for (guint i = 0; i < n && !found; i++)
            {
              g_autoptr(BhAccount) candidate = g_list_model_get_item (accounts, i);

              found = g_strcmp0 (bh_account_get_user_id (candidate), user_id) == 0;
            }

          if (!found)
            {
              g_autoptr(GDateTime) created = NULL;
              guint64 when = item->created;

              g_autofree char *screen_name = safe_text (g_hash_table_lookup (attributes, "screen-name"), -1);

              account = bh_account_new (app_id, user_id, g_strstrip (screen_name));
              if (when > 0)
                {
                  created = g_date_time_new_from_unix_utc ((gint64) when);
                  bh_account_set_authorized_at (account, created);
                }
              bh_account_set_restored (account, TRUE);
              _bh_app_add_account (app, account);
              change = change_put_account (account, TRUE);
              change->restore = TRUE;
              queue_change (self, change);
              changed = TRUE;
            }
        }
    }

  n_apps = g_list_model_get_n_items (G_LIST_MODEL (self->apps));
  for (guint i = 0; i < n_apps; i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (self->apps), i);
      const char *app_id = bh_app_get_id (app);
      GListModel *accounts = bh_app_get_accounts (app);
      guint n = g_list_model_get_n_items (accounts);

      if ((self->touched != NULL && g_hash_table_contains (self->touched, app_id)) ||
          g_hash_table_contains (self->busy, app_id))
        continue;

      bh_app_set_has_secret (app, g_hash_table_contains (app_secrets, app_id));
      bh_app_set_has_bearer (app, g_hash_table_contains (bearers, app_id));

      for (guint j = 0; j < n; j++)
        {
          g_autoptr(BhAccount) account = g_list_model_get_item (accounts, j);
          g_autofree char *key = g_strconcat (app_id, " ", bh_account_get_user_id (account), NULL);

          if (!g_hash_table_contains (users, key))
            bh_account_set_state (account, BH_ACCOUNT_STATE_SECRET_MISSING);
          else if (bh_account_get_state (account) == BH_ACCOUNT_STATE_SECRET_MISSING)
            bh_account_set_state (account, BH_ACCOUNT_STATE_OK);
        }
    }

  if (any_locked)
    note_keyring_locked (self);
  else
    note_keyring_available (self);

  g_clear_pointer (&self->touched, g_hash_table_unref);

  return changed;
}

static void
load_finish_task (GTask *task)
{
  LoadData *data = g_task_get_task_data (task);

  if (data->damaged != NULL)
    g_task_return_error (task, g_steal_pointer (&data->damaged));
  else
    g_task_return_boolean (task, TRUE);
}

static void
load_records_written (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!records_write_finish (BH_STORE (source), result, &error) && data->damaged == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  load_finish_task (task);
}

static void
load_keyring_searched (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gboolean any_locked = FALSE;
  gboolean changed;

  items = keyring_scan_finish (self, result, &any_locked, &error);
  if (items == NULL)
    {
      g_autoptr(GError) mapped = map_keyring_error (self, error, g_task_get_cancellable (task));

      /* A locked or absent keyring does not fail the load: the records are
       * listed and "keyring-status" says why secrets cannot be used. */
      if (g_error_matches (mapped, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&mapped));
      else
        {
          if (self->keyring_status == BH_KEYRING_STATUS_UNKNOWN ||
              self->keyring_status == BH_KEYRING_STATUS_AVAILABLE)
            set_keyring_status (self, BH_KEYRING_STATUS_UNAVAILABLE, mapped);
          load_finish_task (task);
        }
      return;
    }

  changed = reconcile (self, items, any_locked);

  if (changed)
    records_write_async (self, load_records_written, g_steal_pointer (&task));
  else
    load_finish_task (task);
}

static void
load_records_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  guint n_old;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      job_finished (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->apps));
  if (n_old == 0)
    {
      /* One items-changed for the whole list: a thousand Apps appear at
       * once. */
      g_ptr_array_sort (data->apps, compare_apps_ptr);
      g_list_store_splice (self->apps, 0, 0, data->apps->pdata, data->apps->len);
      for (guint i = 0; i < data->apps->len; i++)
        g_signal_connect_object (data->apps->pdata[i], "notify::name", G_CALLBACK (app_name_changed), self, 0);
    }
  else
    {
      /* Loading again (the keyring banner's Retry): the objects stay, so
       * that the window keeps its selection. */
      sync_model (self, data->apps);
    }
  g_clear_pointer (&data->apps, g_ptr_array_unref);
  g_free (self->checksum);
  self->checksum = g_steal_pointer (&data->checksum);

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  start_monitor (self);

  /* From now on, what changes in the model is newer than the keyring
   * scan: the reconcile leaves it alone. */
  g_clear_pointer (&self->touched, g_hash_table_unref);
  self->touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  job_finished (self);

  /* Presence is all the reconcile needs: no unlock (no prompt at
   * start-up), no secret transferred. */
  cancellable = g_task_get_cancellable (task);
  keyring_scan_async (self, cancellable, load_keyring_searched, g_steal_pointer (&task));
}

/**
 * bh_store_load_async:
 * @self: a #BhStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the records are listed and the keyring reconciled
 * @user_data: for @callback
 *
 * Reads the records (the list is complete when "loaded" turns %TRUE), then
 * reconciles them with the keyring. See bh-store.h for the failures.
 */
void
bh_store_load_async (BhStore             *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GTask *read_task;
  LoadData *data;

  g_return_if_fail (BH_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_load_async);
  data = g_new0 (LoadData, 1);
  data->path = g_strdup (self->records_path);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  /* The thread fills @data; the outer task keeps it alive meanwhile. In
   * the queue of jobs: a write asked for meanwhile comes after it. */
  read_task = g_task_new (NULL, cancellable, load_records_read, g_steal_pointer (&task));
  g_task_set_source_tag (read_task, bh_store_load_async);
  g_task_set_task_data (read_task, data, NULL);
  queue_job (self, g_steal_pointer (&read_task), load_thread);
}

/**
 * bh_store_load_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: BH_STORE_ERROR_RECORDS_DAMAGED (the list still works, restored
 *   from the keyring), BH_STORE_ERROR_FAILED, or a cancellation
 *
 * Returns: %TRUE when the records were read whole
 */
gboolean
bh_store_load_finish (BhStore       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Operations ------------------------------------------------------------------ */

typedef struct
{
  BhApp     *app;       /* the App in the store */
  BhApp     *proposed;  /* add / update: the App as it will be */
  BhAccount *account;
  char      *user_id;
  char      *screen_name;
  char      *name;
  char      *access_level;
  BhSecret  *secret;
  GError    *error;     /* a refused write, returned once its secrets are gone */
  BhStore   *store;     /* with busy_id: the change in flight, until freed */
  char      *busy_id;
} Op;

static void
op_free (Op *op)
{
  g_clear_object (&op->app);
  g_clear_object (&op->proposed);
  g_clear_object (&op->account);
  g_free (op->user_id);
  g_free (op->screen_name);
  g_free (op->name);
  g_free (op->access_level);
  bh_secret_clear (&op->secret);
  g_clear_error (&op->error);
  if (op->busy_id != NULL)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (op->store->busy, op->busy_id));

      if (n > 1)
        g_hash_table_insert (op->store->busy, g_strdup (op->busy_id), GUINT_TO_POINTER (n - 1));
      else
        g_hash_table_remove (op->store->busy, op->busy_id);
      g_free (op->busy_id);
    }
  g_clear_object (&op->store);
  g_free (op);
}

static Op *
op_new (GTask *task)
{
  Op *op = g_new0 (Op, 1);

  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  return op;
}

/* From the keyring write to the record's, a change is in flight: a load's
 * reconcile in between would take the secret for one whose record was
 * lost (or mark the App's secrets missing). */
static void
op_set_busy (Op         *op,
             BhStore    *self,
             const char *app_id)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->busy, app_id));

  g_hash_table_insert (self->busy, g_strdup (app_id), GUINT_TO_POINTER (n + 1));
  op->store = g_object_ref (self);
  op->busy_id = g_strdup (app_id);
}

static gboolean
check_app_fields (BhStore     *self,
                  BhApp       *except,
                  const char  *name,
                  const char  *consumer_key,
                  const char  *consumer_secret,
                  gboolean     need_secret,
                  const char  *api_host,
                  GError     **error)
{
  if (!check_text (name, _("App name"), TRUE, error) ||
      !check_name_length (name, error) ||
      !check_text (consumer_key, _("API key"), FALSE, error) ||
      ((need_secret || consumer_secret != NULL) &&
       !check_text (consumer_secret, _("API key secret"), FALSE, error)) ||
      !check_api_host (api_host, error))
    return FALSE;

  if (find_app_by_name_casefold (self, name, except) != NULL)
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_EXISTS,
                   _("An App named “%s” already exists. Choose another name."), name);
      return FALSE;
    }

  return TRUE;
}

/* A name as typed, in one Unicode normalization (NFC): "É" typed as one
 * character or as "E" and an accent is one name. NULL when not text. */
static char *
normalize_name (const char *name)
{
  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return NULL;

  return g_utf8_normalize (name, -1, G_NORMALIZE_NFC);
}

/* A write the records refused (a name another process took meanwhile, a
 * limit, the App removed meanwhile) after the keyring was written: what
 * the keyring got must go too, or the next load would bring it back. */
static gboolean
write_refused (const GError *error)
{
  return g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_EXISTS) ||
         g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT) ||
         g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND);
}

static void
undo_cleared (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!clear_secrets_finish (BH_STORE (source), result, &error))
    g_debug ("The keyring items of a refused change could not be removed: %s", error->message);

  g_task_return_error (task, g_steal_pointer (&op->error));
}

/* Removes the items (@kind NULL: all) of @app_id, then fails @task with
 * @error. */
static void
undo_secrets (BhStore    *self,
              GTask      *task,
              GError     *error,
              const char *kind,
              const char *app_id,
              const char *user_id)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) ident = ident_attributes (kind, app_id, user_id);

  g_clear_error (&op->error);
  op->error = error;
  clear_secrets_async (self, ident, NULL, undo_cleared, task);
}

/* Every operation ends with the records; a failure to write them is
 * reported, while the keyring keeps what it got (the next load restores
 * the record from the keyring's attributes). */
static void
op_written_boolean (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!records_write_finish (BH_STORE (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
add_app_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!records_write_finish (BH_STORE (source), result, &error))
    {
      if (write_refused (error))
        undo_secrets (BH_STORE (source), g_steal_pointer (&task), g_steal_pointer (&error),
                      NULL, bh_app_get_id (op->proposed), NULL);
      else
        g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, g_object_ref (op->proposed), g_object_unref);
}

static void
add_app_stored (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!store_secret_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The model takes the App once it is in the file. */
  bh_app_set_has_secret (op->proposed, TRUE);
  queue_change (self, change_put_app (op->proposed, TRUE));
  records_write_async (self, add_app_written, g_steal_pointer (&task));
}

/**
 * bh_store_add_app_async:
 * @self: a #BhStore
 * @name: a name, unique among the Apps
 * @consumer_key: the API key
 * @consumer_secret: the API key secret (kept in the keyring only)
 * @api_host: (nullable): the API host; %NULL for %BH_DEFAULT_API_HOST
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Stores the secret in the keyring, then records the App.
 */
void
bh_store_add_app_async (BhStore             *self,
                        const char          *name,
                        const char          *consumer_key,
                        const char          *consumer_secret,
                        const char          *api_host,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *nfc = normalize_name (name);
  GError *error = NULL;
  Op *op;

  g_return_if_fail (BH_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_add_app_async);

  if (nfc != NULL)
    name = nfc;

  if (!check_app_fields (self, NULL, name, consumer_key, consumer_secret, TRUE, api_host, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  op = op_new (task);
  op->proposed = bh_app_new (NULL, name, consumer_key, api_host);
  op_set_busy (op, self, bh_app_get_id (op->proposed));
  store_secret_async (self, KIND_APP, op->proposed, NULL, NULL, consumer_secret,
                      cancellable, add_app_stored, g_steal_pointer (&task));
}

/**
 * bh_store_add_app_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: (transfer full) (nullable): the new App, now in the store
 */
BhApp *
bh_store_add_app_finish (BhStore       *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
update_app_written (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!records_write_finish (BH_STORE (source), result, &error))
    {
      /* Removed meanwhile: a new secret stored for it must not bring it
       * back. */
      if (g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND))
        undo_secrets (BH_STORE (source), g_steal_pointer (&task), g_steal_pointer (&error),
                      NULL, bh_app_get_id (op->app), NULL);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The fields followed the file; the keyring's word is ours. */
  if (op->secret != NULL)
    bh_app_set_has_secret (op->app, TRUE);
  g_task_return_boolean (task, TRUE);
}

static void
update_app_apply (BhStore *self,
                  GTask   *task)
{
  Op *op = g_task_get_task_data (task);

  queue_change (self, change_put_app (op->proposed, FALSE));
  records_write_async (self, update_app_written, g_object_ref (task));
}

static void
update_app_stored (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!store_secret_finish (BH_STORE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  update_app_apply (BH_STORE (source), task);
}

static void
update_app_retagged (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!retag_app_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The app item now has the new attributes, so storing a new secret
   * replaces it rather than adding a second one. */
  if (op->secret != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* Read before the task is handed over: argument order is unspecified. */
      store_secret_async (self, KIND_APP, op->proposed, NULL, NULL, op->secret,
                          cancellable, update_app_stored, g_steal_pointer (&task));
    }
  else
    update_app_apply (self, task);
}

/**
 * bh_store_update_app_async:
 * @self: a #BhStore
 * @app: an App of the store
 * @name: the new name
 * @consumer_key: the new API key
 * @consumer_secret: (nullable): a new API key secret, or %NULL to keep it
 * @api_host: (nullable): the new API host
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Updates the keyring items (attributes, labels, the secret), then the
 * record.
 */
void
bh_store_update_app_async (BhStore             *self,
                           BhApp               *app,
                           const char          *name,
                           const char          *consumer_key,
                           const char          *consumer_secret,
                           const char          *api_host,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *nfc = normalize_name (name);
  GError *error = NULL;
  Op *op;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_update_app_async);

  if (nfc != NULL)
    name = nfc;

  if (find_app_by_id (self, bh_app_get_id (app)) != app)
    {
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                               _("The App “%s” is no longer in Birdhouse."), bh_app_get_name (app));
      return;
    }

  if (!check_app_fields (self, app, name, consumer_key, consumer_secret, FALSE, api_host, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  op = op_new (task);
  op->app = g_object_ref (app);
  op->proposed = bh_app_new (bh_app_get_id (app), name, consumer_key, api_host);
  op_set_busy (op, self, bh_app_get_id (app));
  op->secret = bh_secret_dup (consumer_secret);
  retag_app_async (self, op->proposed, cancellable, update_app_retagged, g_steal_pointer (&task));
}

/**
 * bh_store_update_app_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the App was updated
 */
gboolean
bh_store_update_app_finish (BhStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
remove_app_cleared (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!clear_secrets_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The model drops the App once the file did. */
  queue_change (self, change_new (CHANGE_REMOVE_APP, bh_app_get_id (op->app), NULL, bh_app_get_name (op->app)));
  records_write_async (self, op_written_boolean, g_steal_pointer (&task));
}

/**
 * bh_store_remove_app_async:
 * @self: a #BhStore
 * @app: an App of the store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Removes every keyring item of @app (found by its app-id, so nothing of
 * another App), then its record and its accounts' records. When the
 * keyring refuses, nothing is removed.
 */
void
bh_store_remove_app_async (BhStore             *self,
                           BhApp               *app,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) ident = NULL;
  Op *op;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_remove_app_async);
  op = op_new (task);
  op->app = g_object_ref (app);
  op_set_busy (op, self, bh_app_get_id (app));

  ident = ident_attributes (NULL, bh_app_get_id (app), NULL);
  clear_secrets_async (self, ident, cancellable, remove_app_cleared, g_steal_pointer (&task));
}

/**
 * bh_store_remove_app_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the App and its secrets are gone
 */
gboolean
bh_store_remove_app_finish (BhStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Looking up one secret of an App: a secret that is not there updates the
 * flag the UI shows, and says what to do. */

static void
lookup_app_secret_found (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  BhSecret *secret;
  gboolean bearer = g_task_get_source_tag (task) == bh_store_lookup_bearer_async;

  secret = find_secret_finish (self, result, &error);
  if (secret == NULL)
    {
      if (g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          if (bearer)
            {
              bh_app_set_has_bearer (op->app, FALSE);
              g_set_error (&error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                           _("The App “%s” has no bearer token in the keyring. Generate one."),
                           bh_app_get_name (op->app));
            }
          else
            {
              bh_app_set_has_secret (op->app, FALSE);
              g_set_error (&error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                           _("The API key secret of “%s” is not in the keyring. Enter it again in the "
                             "App’s settings."),
                           bh_app_get_name (op->app));
            }
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (bearer)
    bh_app_set_has_bearer (op->app, TRUE);
  else
    bh_app_set_has_secret (op->app, TRUE);

  g_task_return_pointer (task, secret, (GDestroyNotify) bh_secret_free);
}

static void
lookup_app_secret (BhStore             *self,
                   BhApp               *app,
                   const char          *kind,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GHashTable) ident = ident_attributes (kind, bh_app_get_id (app), NULL);
  Op *op;

  g_task_set_source_tag (task, source_tag);
  op = op_new (task);
  op->app = g_object_ref (app);
  find_secret_async (self, ident, cancellable, lookup_app_secret_found, g_steal_pointer (&task));
}

/**
 * bh_store_lookup_consumer_secret_async:
 * @self: a #BhStore
 * @app: an App
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads the API key secret from the keyring; this may raise the keyring's
 * unlock prompt.
 */
void
bh_store_lookup_consumer_secret_async (BhStore             *self,
                                       BhApp               *app,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));

  lookup_app_secret (self, app, KIND_APP, bh_store_lookup_consumer_secret_async,
                     cancellable, callback, user_data);
}

/**
 * bh_store_lookup_consumer_secret_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR (NOT_FOUND, KEYRING_LOCKED, …)
 *
 * Returns: (transfer full) (nullable): the secret; free with bh_secret_free()
 */
char *
bh_store_lookup_consumer_secret_finish (BhStore       *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bh_store_lookup_bearer_async:
 * @self: a #BhStore
 * @app: an App
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads the App's bearer token from the keyring.
 */
void
bh_store_lookup_bearer_async (BhStore             *self,
                              BhApp               *app,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));

  lookup_app_secret (self, app, KIND_BEARER, bh_store_lookup_bearer_async,
                     cancellable, callback, user_data);
}

/**
 * bh_store_lookup_bearer_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: (transfer full) (nullable): the token; free with bh_secret_free()
 */
char *
bh_store_lookup_bearer_finish (BhStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_bearer_written (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!records_write_finish (BH_STORE (source), result, &error))
    {
      if (g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND))
        undo_secrets (BH_STORE (source), g_steal_pointer (&task), g_steal_pointer (&error),
                      NULL, bh_app_get_id (op->app), NULL);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
set_bearer_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  Change *change;
  gboolean ok;

  if (op->secret != NULL)
    ok = store_secret_finish (self, result, &error);
  else
    ok = clear_secrets_finish (self, result, &error);

  if (!ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Only the one field: whatever else another process changed stays. */
  change = change_new (CHANGE_PUT_APP, bh_app_get_id (op->app), NULL, bh_app_get_name (op->app));
  change_set_boolean (change, "has-bearer", op->secret != NULL);
  queue_change (self, change);
  records_write_async (self, set_bearer_written, g_steal_pointer (&task));
}

/**
 * bh_store_set_bearer_async:
 * @self: a #BhStore
 * @app: an App
 * @bearer: (nullable): the bearer token, or %NULL to remove it
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Keeps (or removes) the App's bearer token in the keyring.
 */
void
bh_store_set_bearer_async (BhStore             *self,
                           BhApp               *app,
                           const char          *bearer,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Op *op;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_set_bearer_async);

  if (bearer != NULL && !check_text (bearer, _("bearer token"), FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  op = op_new (task);
  op->app = g_object_ref (app);
  op->secret = bh_secret_dup (bearer);
  op_set_busy (op, self, bh_app_get_id (app));

  if (bearer != NULL)
    {
      store_secret_async (self, KIND_BEARER, app, NULL, NULL, bearer,
                          cancellable, set_bearer_done, g_steal_pointer (&task));
    }
  else
    {
      g_autoptr(GHashTable) ident = ident_attributes (KIND_BEARER, bh_app_get_id (app), NULL);

      clear_secrets_async (self, ident, cancellable, set_bearer_done, g_steal_pointer (&task));
    }
}

/**
 * bh_store_set_bearer_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the keyring and the record were updated
 */
gboolean
bh_store_set_bearer_finish (BhStore       *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static BhAccount *
find_account_by_user_id (BhApp      *app,
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

static void
save_account_written (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!records_write_finish (BH_STORE (source), result, &error))
    {
      /* The App removed meanwhile: its new tokens go too. Too many
       * accounts: this one's do. */
      if (g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND))
        undo_secrets (BH_STORE (source), g_steal_pointer (&task), g_steal_pointer (&error),
                      NULL, bh_app_get_id (op->app), NULL);
      else if (g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT))
        undo_secrets (BH_STORE (source), g_steal_pointer (&task), g_steal_pointer (&error),
                      KIND_USER, bh_app_get_id (op->app), op->user_id);
      else
        g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, g_object_ref (op->account), g_object_unref);
}

static void
save_account_stored (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(BhAccount) proposed = NULL;
  BhAccount *existing;

  if (!store_secret_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The account as it will be; the model takes it (or updates the one
   * it has) once it is in the file. */
  now = g_date_time_new_now_utc ();
  proposed = bh_account_new (bh_app_get_id (op->app), op->user_id, op->screen_name);
  bh_account_set_name (proposed, op->name);
  bh_account_set_access_level (proposed, op->access_level);
  bh_account_set_authorized_at (proposed, now);
  bh_account_set_state (proposed, BH_ACCOUNT_STATE_OK);

  /* Looked up now, not before the store: the same user may have been
   * saved meanwhile, and must stay one account. */
  existing = find_account_by_user_id (op->app, op->user_id);
  op->account = g_object_ref (existing != NULL ? existing : proposed);

  queue_change (self, change_put_account (proposed, TRUE));
  records_write_async (self, save_account_written, g_steal_pointer (&task));
}

/**
 * bh_store_save_account_async:
 * @self: a #BhStore
 * @app: the App the tokens were issued for
 * @user_id: X's user id
 * @screen_name: the @handle, without '@'
 * @name: (nullable): the display name
 * @access_level: (nullable): X's x-access-level
 * @token: the access token
 * @token_secret: the access token secret
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Stores the tokens (one keyring item, "TOKEN\nTOKEN_SECRET"), then the
 * record; an account with the same user id is updated in place.
 */
void
bh_store_save_account_async (BhStore             *self,
                             BhApp               *app,
                             const char          *user_id,
                             const char          *screen_name,
                             const char          *name,
                             const char          *access_level,
                             const char          *token,
                             const char          *token_secret,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Op *op;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_APP (app));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_save_account_async);

  if (!check_text (user_id, _("user id"), FALSE, &error) ||
      !check_text (screen_name, _("screen name"), FALSE, &error) ||
      (name != NULL && *name != '\0' && !check_text (name, _("name"), TRUE, &error)) ||
      !check_text (token, _("access token"), FALSE, &error) ||
      !check_text (token_secret, _("access token secret"), FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (find_app_by_id (self, bh_app_get_id (app)) != app)
    {
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                               _("The App “%s” is no longer in Birdhouse."), bh_app_get_name (app));
      return;
    }

  op = op_new (task);
  op->app = g_object_ref (app);
  op->user_id = g_strdup (user_id);
  op_set_busy (op, self, bh_app_get_id (app));
  op->screen_name = g_strdup (*screen_name == '@' ? screen_name + 1 : screen_name);
  op->name = g_strdup (name);
  op->access_level = g_strdup (access_level);
  op->secret = g_strconcat (token, "\n", token_secret, NULL);

  store_secret_async (self, KIND_USER, app, op->user_id, op->screen_name, op->secret,
                      cancellable, save_account_stored, g_steal_pointer (&task));
}

/**
 * bh_store_save_account_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: (transfer full) (nullable): the account, now in its App
 */
BhAccount *
bh_store_save_account_finish (BhStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bh_store_update_account_async:
 * @self: a #BhStore
 * @account: an account of the store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Saves the non-secret fields of @account; the keyring is not involved.
 */
void
bh_store_update_account_async (BhStore             *self,
                               BhAccount           *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BhApp *app;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_update_account_async);

  app = bh_store_get_account_app (self, account);
  if (app == NULL || find_account_by_user_id (app, bh_account_get_user_id (account)) != account)
    {
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                               _("The account @%s is no longer in Birdhouse."),
                               bh_account_get_screen_name (account));
      return;
    }

  /* Never adds it back: another process may have removed it. */
  queue_change (self, change_put_account (account, FALSE));
  records_write_async (self, op_written_boolean, g_steal_pointer (&task));
}

/**
 * bh_store_update_account_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the record was written
 */
gboolean
bh_store_update_account_finish (BhStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
remove_account_cleared (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!clear_secrets_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The model drops the account once the file did. */
  queue_change (self, change_new (CHANGE_REMOVE_ACCOUNT, bh_account_get_app_id (op->account),
                                  bh_account_get_user_id (op->account),
                                  bh_account_get_screen_name (op->account)));
  records_write_async (self, op_written_boolean, g_steal_pointer (&task));
}

/**
 * bh_store_remove_account_async:
 * @self: a #BhStore
 * @account: an account of the store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Removes the account's tokens from the keyring, then its record. When the
 * keyring refuses, nothing is removed.
 */
void
bh_store_remove_account_async (BhStore             *self,
                               BhAccount           *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) ident = NULL;
  Op *op;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_remove_account_async);
  op = op_new (task);
  op->account = g_object_ref (account);
  op_set_busy (op, self, bh_account_get_app_id (account));

  ident = ident_attributes (KIND_USER, bh_account_get_app_id (account), bh_account_get_user_id (account));
  clear_secrets_async (self, ident, cancellable, remove_account_cleared, g_steal_pointer (&task));
}

/**
 * bh_store_remove_account_finish:
 * @self: a #BhStore
 * @result: the result
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when the account and its tokens are gone
 */
gboolean
bh_store_remove_account_finish (BhStore       *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  BhSecret *token;
  BhSecret *token_secret;
} Tokens;

static void
tokens_free (Tokens *tokens)
{
  bh_secret_clear (&tokens->token);
  bh_secret_clear (&tokens->token_secret);
  g_free (tokens);
}

static void
lookup_tokens_found (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BhStore *self = BH_STORE (source);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) value = NULL;
  const char *newline;
  Tokens *tokens;

  value = find_secret_finish (self, result, &error);
  if (value == NULL)
    {
      if (g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND))
        {
          bh_account_set_state (op->account, BH_ACCOUNT_STATE_SECRET_MISSING);
          g_clear_error (&error);
          g_set_error (&error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                       _("The tokens of @%s are not in the keyring. Authorize the account again."),
                       bh_account_get_screen_name (op->account));
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  newline = strchr (value, '\n');
  if (newline == NULL || newline == value || newline[1] == '\0')
    {
      g_task_return_new_error (task, BH_STORE_ERROR, BH_STORE_ERROR_FAILED,
                               _("The keyring item of @%s does not hold a token and a token secret. "
                                 "Authorize the account again."),
                               bh_account_get_screen_name (op->account));
      return;
    }

  tokens = g_new0 (Tokens, 1);
  tokens->token = bh_secret_dup_len (value, newline - value);
  tokens->token_secret = bh_secret_dup (newline + 1);
  if (bh_account_get_state (op->account) == BH_ACCOUNT_STATE_SECRET_MISSING)
    bh_account_set_state (op->account, BH_ACCOUNT_STATE_OK);
  g_task_return_pointer (task, tokens, (GDestroyNotify) tokens_free);
}

/**
 * bh_store_lookup_account_tokens_async:
 * @self: a #BhStore
 * @account: an account
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads the account's access token and token secret from the keyring.
 */
void
bh_store_lookup_account_tokens_async (BhStore             *self,
                                      BhAccount           *account,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) ident = NULL;
  Op *op;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (BH_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_lookup_account_tokens_async);
  op = op_new (task);
  op->account = g_object_ref (account);

  ident = ident_attributes (KIND_USER, bh_account_get_app_id (account), bh_account_get_user_id (account));
  find_secret_async (self, ident, cancellable, lookup_tokens_found, g_steal_pointer (&task));
}

/**
 * bh_store_lookup_account_tokens_finish:
 * @self: a #BhStore
 * @result: the result
 * @token: (out) (optional): the access token; free with bh_secret_free()
 * @token_secret: (out) (optional): the token secret; free with bh_secret_free()
 * @error: a #BH_STORE_ERROR
 *
 * Returns: %TRUE when both were read
 */
gboolean
bh_store_lookup_account_tokens_finish (BhStore       *self,
                                       GAsyncResult  *result,
                                       char         **token,
                                       char         **token_secret,
                                       GError       **error)
{
  Tokens *tokens;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  tokens = g_task_propagate_pointer (G_TASK (result), error);
  if (tokens == NULL)
    return FALSE;

  if (token != NULL)
    *token = g_steal_pointer (&tokens->token);
  if (token_secret != NULL)
    *token_secret = g_steal_pointer (&tokens->token_secret);
  tokens_free (tokens);

  return TRUE;
}
