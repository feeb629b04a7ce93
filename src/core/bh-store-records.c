/* bh-store-records.c: the records file: parsing and writing its text
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

#include <string.h>
#include <glib/gi18n.h>
#include "bh-app-private.h"

/* Records ------------------------------------------------------------------- */

const char *
_bh_store_state_to_string (BhAccountState state)
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
char *
_bh_store_records_serialize (BhStore *self,
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
          g_autofree char *_bh_store_account_group = g_strconcat (GROUP_ACCOUNT_PREFIX, bh_app_get_id (app), " ",
                                                                  bh_account_get_user_id (account), NULL);

          g_key_file_set_string (key_file, _bh_store_account_group, "screen-name",
                                 bh_account_get_screen_name (account) ? bh_account_get_screen_name (account) : "");
          set_optional_string (key_file, _bh_store_account_group, "name", bh_account_get_name (account));
          set_optional_string (key_file, _bh_store_account_group, "access-level", bh_account_get_access_level (account));
          set_optional_date (key_file, _bh_store_account_group, "authorized-at", bh_account_get_authorized_at (account));
          set_optional_date (key_file, _bh_store_account_group, "verified-at", bh_account_get_verified_at (account));
          g_key_file_set_string (key_file, _bh_store_account_group, "state", _bh_store_state_to_string (bh_account_get_state (account)));
          if (bh_account_get_restored (account))
            g_key_file_set_boolean (key_file, _bh_store_account_group, "restored", TRUE);
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
      g_autofree char *safe_group = _bh_store_safe_text (group, -1);

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
      g_autofree char *safe_group = _bh_store_safe_text (group, -1);

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
      g_autofree char *safe_group = _bh_store_safe_text (group, -1);

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
GPtrArray *
_bh_store_records_parse (const char  *data,
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
      g_autofree char *detail = _bh_store_safe_text (local_error->message, -1);

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

      if (!_bh_store_check_text (name, "name", TRUE, &check_error) ||
          !_bh_store_check_text (consumer_key, "API key", FALSE, &check_error) ||
          !_bh_store_check_api_host (api_host, &check_error) ||
          !_bh_store_check_name_length (name, &check_error))
        {
          g_autofree char *safe_group = _bh_store_safe_text (group, -1);
          g_autofree char *safe_message = _bh_store_safe_text (check_error->message, -1);

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
          g_autofree char *safe_group = _bh_store_safe_text (group, -1);

          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                       _("it has an unknown section [%s]"), safe_group);
          return NULL;
        }

      parts = g_strsplit (group + strlen (GROUP_ACCOUNT_PREFIX), " ", -1);
      if (g_strv_length (parts) != 2 || *parts[1] == '\0' ||
          (app = g_hash_table_lookup (by_id, parts[0])) == NULL)
        {
          g_autofree char *safe_group = _bh_store_safe_text (group, -1);

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
          g_autofree char *safe_group = _bh_store_safe_text (group, -1);

          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                       _("“state” in [%s] is not ok, needs-reauth or secret-missing"), safe_group);
          return NULL;
        }

      name = g_key_file_get_string (key_file, group, "name", NULL);
      access_level = g_key_file_get_string (key_file, group, "access-level", NULL);

      /* They reach sentences ("The tokens of @%s…"): valid text only. */
      {
        g_autoptr(GError) check_error = NULL;

        if ((*screen_name != '\0' && !_bh_store_check_text (screen_name, "screen name", TRUE, &check_error)) ||
            (name != NULL && *name != '\0' && !_bh_store_check_text (name, "name", TRUE, &check_error)) ||
            (access_level != NULL && *access_level != '\0' &&
             !_bh_store_check_text (access_level, "access level", FALSE, &check_error)) ||
            !_bh_store_check_text (parts[1], "user id", FALSE, &check_error))
          {
            g_autofree char *safe_group = _bh_store_safe_text (group, -1);
            g_autofree char *safe_message = _bh_store_safe_text (check_error->message, -1);

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
