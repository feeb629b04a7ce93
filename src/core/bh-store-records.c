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
#include "bh-oauth2.h"

/* The records file is a GKeyFile, nothing secret in it:
 *
 *   [Birdhouse]               version=1
 *   [App APP_ID]              name, api-host, and consumer-key (OAuth
 *                             1.0a), client-id (OAuth 2.0) or both;
 *                             optionally redirect-uri (when not the
 *                             default), has-bearer, has-client-secret,
 *                             restored, secret-created-at,
 *                             secret-rotated-at, bearer-created-at,
 *                             bearer-rotated-at (ISO 8601)
 *   [Account APP_ID USER_ID]  screen-name, state, and optionally name,
 *                             access-level, authorized-at, rotated-at,
 *                             verified-at (ISO 8601), restored, credentials
 *                             ("oauth1", "oauth2" or both, space-
 *                             separated; absent: "oauth1"), oauth2-scopes,
 *                             oauth2-expires-at (ISO 8601)
 *
 * Parsing and serializing are pure: text in, Apps out, and back; the
 * writer and the load run them in worker threads. */

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

/* The "credentials" key: the kinds of keyring item the account holds. */
char *
_bh_store_credentials_to_string (BhAccountCredentials credentials)
{
  GString *text = g_string_new (NULL);

  if (credentials & BH_ACCOUNT_CREDENTIALS_OAUTH1)
    g_string_append (text, "oauth1");
  if (credentials & BH_ACCOUNT_CREDENTIALS_OAUTH2)
    g_string_append (text, text->len > 0 ? " oauth2" : "oauth2");

  return g_string_free (text, FALSE);
}

static gboolean
credentials_from_string (const char           *text,
                         BhAccountCredentials *credentials)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);

  *credentials = BH_ACCOUNT_CREDENTIALS_NONE;
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (g_str_equal (words[i], "oauth1"))
        *credentials |= BH_ACCOUNT_CREDENTIALS_OAUTH1;
      else if (g_str_equal (words[i], "oauth2"))
        *credentials |= BH_ACCOUNT_CREDENTIALS_OAUTH2;
      else if (*words[i] != '\0')
        return FALSE;
    }

  return TRUE;
}

/* "oauth2-expires-at" as ISO 8601, like the other dates; NULL for 0. */
char *
_bh_store_expiry_to_string (gint64 expires_at)
{
  g_autoptr(GDateTime) when = NULL;

  if (expires_at <= 0)
    return NULL;

  when = g_date_time_new_from_unix_utc (expires_at);
  return when != NULL ? g_date_time_format_iso8601 (when) : NULL;
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

char *
_bh_store_app_group (const char *app_id)
{
  return g_strconcat (GROUP_APP_PREFIX, app_id, NULL);
}

char *
_bh_store_account_group (const char *app_id,
                         const char *user_id)
{
  return g_strconcat (GROUP_ACCOUNT_PREFIX, app_id, " ", user_id, NULL);
}

/* The redirect URI as the records keep it: only when it is not the
 * default, so that the default can follow the program. */
const char *
_bh_store_app_redirect_uri_record (BhApp *app)
{
  const char *redirect_uri = bh_app_get_redirect_uri (app);

  return g_strcmp0 (redirect_uri, BH_OAUTH2_DEFAULT_REDIRECT_URI) != 0 ? redirect_uri : NULL;
}

/* What every records file starts with. */
void
_bh_store_records_init (GKeyFile *key_file)
{
  g_key_file_set_comment (key_file, NULL, NULL,
                          " Birdhouse: Apps and accounts, nothing secret (the keys and tokens are in the keyring).",
                          NULL);
  g_key_file_set_integer (key_file, GROUP_BIRDHOUSE, "version", RECORDS_VERSION);
}

static void
serialize_account (GKeyFile  *key_file,
                   BhApp     *app,
                   BhAccount *account)
{
  g_autofree char *group = _bh_store_account_group (bh_app_get_id (app), bh_account_get_user_id (account));
  const char *screen_name = bh_account_get_screen_name (account);

  g_key_file_set_string (key_file, group, "screen-name", screen_name != NULL ? screen_name : "");
  set_optional_string (key_file, group, "name", bh_account_get_name (account));
  set_optional_string (key_file, group, "access-level", bh_account_get_access_level (account));
  set_optional_date (key_file, group, "authorized-at", bh_account_get_authorized_at (account));
  set_optional_date (key_file, group, "rotated-at", bh_account_get_rotated_at (account));
  set_optional_date (key_file, group, "verified-at", bh_account_get_verified_at (account));
  g_key_file_set_string (key_file, group, "state", _bh_store_state_to_string (bh_account_get_state (account)));
  if (bh_account_get_restored (account))
    g_key_file_set_boolean (key_file, group, "restored", TRUE);
  {
    g_autofree char *credentials = _bh_store_credentials_to_string (bh_account_get_credentials (account));
    g_autofree char *expires = _bh_store_expiry_to_string (bh_account_get_oauth2_expires_at (account));

    g_key_file_set_string (key_file, group, "credentials", credentials);
    set_optional_string (key_file, group, "oauth2-scopes", bh_account_get_oauth2_scopes (account));
    set_optional_string (key_file, group, "oauth2-expires-at", expires);
  }
}

static void
serialize_app (GKeyFile *key_file,
               BhApp    *app)
{
  g_autofree char *group = _bh_store_app_group (bh_app_get_id (app));
  GListModel *accounts = bh_app_get_accounts (app);
  guint n_accounts = g_list_model_get_n_items (accounts);

  g_key_file_set_string (key_file, group, "name", bh_app_get_name (app));
  set_optional_string (key_file, group, "consumer-key", bh_app_get_consumer_key (app));
  g_key_file_set_string (key_file, group, "api-host", bh_app_get_api_host (app));
  set_optional_string (key_file, group, "client-id", bh_app_get_client_id (app));
  set_optional_string (key_file, group, "redirect-uri", _bh_store_app_redirect_uri_record (app));
  g_key_file_set_boolean (key_file, group, "has-bearer", bh_app_get_has_bearer (app));
  if (bh_app_get_has_client_secret (app))
    g_key_file_set_boolean (key_file, group, "has-client-secret", TRUE);
  if (bh_app_get_restored (app))
    g_key_file_set_boolean (key_file, group, "restored", TRUE);
  for (guint i = 0; i < BH_APP_N_TIMES; i++)
    set_optional_date (key_file, group, bh_app_time_key (i), bh_app_get_time (app, i));

  for (guint j = 0; j < n_accounts; j++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (accounts, j);

      serialize_account (key_file, app, account);
    }
}

/**
 * _bh_store_records_serialize:
 * @apps: (element-type BhApp): the Apps, with their accounts
 * @len: (out) (optional): the length of the text
 *
 * The records of @apps, nothing secret in them: what a write starts from
 * when the file is gone or damaged. Pure: touches no store and no file.
 *
 * Returns: (transfer full): the text of a records file
 */
char *
_bh_store_records_serialize (GPtrArray *apps,
                             gsize     *len)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  _bh_store_records_init (key_file);
  for (guint i = 0; i < apps->len; i++)
    serialize_app (key_file, g_ptr_array_index (apps, i));

  return g_key_file_to_data (key_file, len, NULL);
}

/* What is wrong with a section of the records, said with its name made
 * safe: the file may hold anything. */
typedef enum
{
  DAMAGE_KEY_MISSING,
  DAMAGE_NOT_A_DATE,
  DAMAGE_NOT_A_BOOLEAN,
  DAMAGE_UNKNOWN_SECTION,
  DAMAGE_NO_SUCH_APP,
  DAMAGE_UNKNOWN_STATE,
  DAMAGE_UNKNOWN_CREDENTIALS,
} Damage;

static void
set_damaged (GError     **error,
             Damage       damage,
             const char  *group,
             const char  *key)
{
  g_autofree char *safe_group = _bh_store_safe_text (group, -1);

  switch (damage)
    {
    case DAMAGE_KEY_MISSING:
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   /* Translators: Says what is wrong with the records file, inside a longer
                    * sentence; the first %s is a key such as “name”, the second a section such as
                    * “App 1234”. Keep the brackets. */
                   _("the key “%s” is missing from [%s]"), key, safe_group);
      break;
    case DAMAGE_NOT_A_DATE:
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   /* Translators: Says what is wrong with the records file, inside a longer
                    * sentence; the first %s is a key such as “verified-at”, the second a section
                    * such as “Account 1234 5678”. Keep the brackets. */
                   _("“%s” in [%s] is not a date"), key, safe_group);
      break;
    case DAMAGE_NOT_A_BOOLEAN:
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   /* Translators: Says what is wrong with the records file, inside a longer
                    * sentence; the first %s is a key such as “has-bearer”, the second a section
                    * such as “App 1234”. Keep the brackets. */
                   _("“%s” in [%s] is neither true nor false"), key, safe_group);
      break;
    case DAMAGE_UNKNOWN_SECTION:
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   /* Translators: Says what is wrong with the records file, inside a longer
                    * sentence; %s is the section's name. */
                   _("it has an unknown section [%s]"), safe_group);
      break;
    case DAMAGE_NO_SUCH_APP:
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   /* Translators: Says what is wrong with the records file, inside a longer
                    * sentence; %s is the section's name. */
                   _("the section [%s] names no App of the file"), safe_group);
      break;
    case DAMAGE_UNKNOWN_STATE:
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   /* Translators: Says what is wrong with the records file, inside a longer
                    * sentence; %s is the section's name. “state”, “ok”, “needs-reauth” and
                    * “secret-missing” are what the file contains: keep them. */
                   _("“state” in [%s] is not ok, needs-reauth or secret-missing"), safe_group);
      break;
    case DAMAGE_UNKNOWN_CREDENTIALS:
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   /* Translators: Says what is wrong with the records file, inside a longer
                    * sentence; %s is the section's name. “credentials”, “oauth1” and
                    * “oauth2” are what the file contains: keep them. */
                   _("“credentials” in [%s] holds something else than oauth1 and oauth2"), safe_group);
      break;
    default:
      g_assert_not_reached ();
    }
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
      set_damaged (error, DAMAGE_KEY_MISSING, group, key);
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
      set_damaged (error, DAMAGE_NOT_A_DATE, group, key);
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
      set_damaged (error, DAMAGE_NOT_A_BOOLEAN, group, key);
      return FALSE;
    }

  return TRUE;
}

/* What a field check said, with the section it was in. The message quotes
 * the file, which may hold anything: made safe first. */
static void
set_section_error (GError       **error,
                   BhStoreError   code,
                   const char    *group,
                   const GError  *check_error)
{
  g_autofree char *safe_group = _bh_store_safe_text (group, -1);
  g_autofree char *safe_message = _bh_store_safe_text (check_error->message, -1);

  /* Translators: Says what is wrong with the records file, inside a longer sentence; the first %s
   * is a section such as “App 1234”, the second what is wrong with one of its fields. */
  g_set_error (error, BH_STORE_ERROR, code, _("[%s]: %s"), safe_group, safe_message);
}

static GKeyFile *
load_key_file (const char  *data,
               gsize        len,
               GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_data (key_file, data, len, G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      /* The message quotes the file, which may hold anything. */
      g_autofree char *detail = _bh_store_safe_text (local_error->message, -1);

      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   /* Translators: Says what is wrong with the records file, inside a longer
                    * sentence; %s is the parser's reason. */
                   _("it is not a key file: %s"), detail);
      return NULL;
    }

  return g_steal_pointer (&key_file);
}

static gboolean
check_version (GKeyFile  *key_file,
               GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  int version;

  version = g_key_file_get_integer (key_file, GROUP_BIRDHOUSE, "version", &local_error);
  if (local_error != NULL || version != RECORDS_VERSION)
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED,
                   /* Translators: Says what is wrong with the records file, inside a longer
                    * sentence; %s is the section “Birdhouse”, %d the version. Keep “[%s]
                    * version=%d” as it is: it is what the file must contain. */
                   _("it has no [%s] version=%d"), GROUP_BIRDHOUSE, RECORDS_VERSION);
      return FALSE;
    }

  return TRUE;
}

/* One [App …] section. */
static BhApp *
parse_app (GKeyFile    *key_file,
           const char  *group,
           GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *consumer_key = NULL;
  g_autofree char *api_host = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *redirect_uri = NULL;
  g_autoptr(GError) check_error = NULL;
  const char *id = group + strlen (GROUP_APP_PREFIX);
  GDateTime *times[BH_APP_N_TIMES] = { NULL, };
  gboolean has_bearer, has_client_secret, restored, ok = TRUE;
  BhApp *app;

  /* The id names the App's accounts and keyring items: one word of text,
   * as the keyring's reconcile requires of an app-id too. */
  if (!_bh_store_check_text (id, BH_STORE_FIELD_APP_ID, FALSE, &check_error))
    {
      set_section_error (error, BH_STORE_ERROR_RECORDS_DAMAGED, group, check_error);
      return NULL;
    }

  consumer_key = g_key_file_get_string (key_file, group, "consumer-key", NULL);
  client_id = g_key_file_get_string (key_file, group, "client-id", NULL);
  redirect_uri = g_key_file_get_string (key_file, group, "redirect-uri", NULL);

  /* An App has an API key, a Client ID or both: with neither, the
   * message names the key older files always had. */
  if (!get_required (key_file, group, "name", &name, error) ||
      (consumer_key == NULL && client_id == NULL &&
       !get_required (key_file, group, "consumer-key", &consumer_key, error)) ||
      !get_required (key_file, group, "api-host", &api_host, error) ||
      !get_optional_boolean (key_file, group, "has-bearer", &has_bearer, error) ||
      !get_optional_boolean (key_file, group, "has-client-secret", &has_client_secret, error) ||
      !get_optional_boolean (key_file, group, "restored", &restored, error))
    return NULL;

  for (guint i = 0; ok && i < BH_APP_N_TIMES; i++)
    ok = get_optional_date (key_file, group, bh_app_time_key (i), &times[i], error);
  if (!ok)
    {
      for (guint i = 0; i < BH_APP_N_TIMES; i++)
        g_clear_pointer (&times[i], g_date_time_unref);
      return NULL;
    }

  if (!_bh_store_check_text (name, BH_STORE_FIELD_APP_NAME, TRUE, &check_error) ||
      (consumer_key != NULL && !_bh_store_check_text (consumer_key, BH_STORE_FIELD_API_KEY, FALSE, &check_error)) ||
      (client_id != NULL && !_bh_store_check_text (client_id, BH_STORE_FIELD_CLIENT_ID, FALSE, &check_error)) ||
      !_bh_store_check_redirect_uri (redirect_uri, &check_error) ||
      !_bh_store_check_api_host (api_host, &check_error) ||
      !_bh_store_check_name_length (name, &check_error))
    {
      set_section_error (error,
                         check_error->code == BH_STORE_ERROR_LIMIT ? BH_STORE_ERROR_LIMIT
                                                                   : BH_STORE_ERROR_RECORDS_DAMAGED,
                         group, check_error);
      for (guint i = 0; i < BH_APP_N_TIMES; i++)
        g_clear_pointer (&times[i], g_date_time_unref);
      return NULL;
    }

  app = bh_app_new (id, name, consumer_key, api_host);
  bh_app_set_client_id (app, client_id);
  bh_app_set_redirect_uri (app, redirect_uri);
  for (guint i = 0; i < BH_APP_N_TIMES; i++)
    {
      bh_app_set_time (app, i, times[i]);
      g_clear_pointer (&times[i], g_date_time_unref);
    }
  /* Adding writes the keyring first, so an API key on record implies its
   * secret; the keyring reconcile corrects this when it says otherwise. */
  bh_app_set_has_secret (app, consumer_key != NULL);
  bh_app_set_has_bearer (app, has_bearer);
  bh_app_set_has_client_secret (app, has_client_secret);
  bh_app_set_restored (app, restored);

  return app;
}

/* Every [App …] section, first, so that accounts can name any App of the
 * file; @by_id finds them by id. */
static gboolean
parse_apps (GKeyFile    *key_file,
            GStrv        groups,
            GPtrArray   *apps,
            GHashTable  *by_id,
            GError     **error)
{
  for (guint i = 0; groups[i] != NULL; i++)
    {
      BhApp *app;

      if (!g_str_has_prefix (groups[i], GROUP_APP_PREFIX))
        continue;

      if ((app = parse_app (key_file, groups[i], error)) == NULL)
        return FALSE;

      if (apps->len >= BH_STORE_MAX_APPS)
        {
          g_object_unref (app);
          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                       /* Translators: Says what is wrong with the records file, inside a longer
                        * sentence; %d is the most Apps Birdhouse keeps. */
                       _("it has more than %d Apps"), BH_STORE_MAX_APPS);
          return FALSE;
        }

      g_ptr_array_add (apps, app);
      g_hash_table_insert (by_id, (gpointer) bh_app_get_id (app), app);
    }

  return TRUE;
}

/* The App an [Account APP_ID USER_ID] section belongs to, and the user id;
 * NULL when it names none. */
static BhApp *
account_section_app (const char  *group,
                     GHashTable  *by_id,
                     char       **user_id,
                     GError     **error)
{
  g_auto(GStrv) parts = NULL;
  BhApp *app = NULL;

  if (!g_str_has_prefix (group, GROUP_ACCOUNT_PREFIX))
    {
      set_damaged (error, DAMAGE_UNKNOWN_SECTION, group, NULL);
      return NULL;
    }

  parts = g_strsplit (group + strlen (GROUP_ACCOUNT_PREFIX), " ", -1);
  if (g_strv_length (parts) != 2 || *parts[1] == '\0' ||
      (app = g_hash_table_lookup (by_id, parts[0])) == NULL)
    {
      set_damaged (error, DAMAGE_NO_SUCH_APP, group, NULL);
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

  *user_id = g_strdup (parts[1]);
  return app;
}

/* One [Account …] section, added to its App. */
static gboolean
parse_account (GKeyFile    *key_file,
               const char  *group,
               GHashTable  *by_id,
               GError     **error)
{
  g_autofree char *user_id = NULL;
  g_autofree char *screen_name = NULL;
  g_autofree char *state_text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *access_level = NULL;
  g_autoptr(GDateTime) authorized_at = NULL;
  g_autoptr(GDateTime) rotated_at = NULL;
  g_autoptr(GDateTime) verified_at = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autofree char *credentials_text = NULL;
  g_autofree char *scopes = NULL;
  BhAccountCredentials credentials = BH_ACCOUNT_CREDENTIALS_OAUTH1;
  g_autoptr(BhAccount) account = NULL;
  g_autoptr(GError) check_error = NULL;
  BhAccountState state;
  gboolean restored;
  BhApp *app;

  if ((app = account_section_app (group, by_id, &user_id, error)) == NULL)
    return FALSE;

  if (!get_required (key_file, group, "screen-name", &screen_name, error) ||
      !get_required (key_file, group, "state", &state_text, error) ||
      !get_optional_date (key_file, group, "authorized-at", &authorized_at, error) ||
      !get_optional_date (key_file, group, "rotated-at", &rotated_at, error) ||
      !get_optional_date (key_file, group, "verified-at", &verified_at, error) ||
      !get_optional_date (key_file, group, "oauth2-expires-at", &expires_at, error) ||
      !get_optional_boolean (key_file, group, "restored", &restored, error))
    return FALSE;

  credentials_text = g_key_file_get_string (key_file, group, "credentials", NULL);
  if (credentials_text != NULL && !credentials_from_string (credentials_text, &credentials))
    {
      set_damaged (error, DAMAGE_UNKNOWN_CREDENTIALS, group, NULL);
      return FALSE;
    }

  if (!state_from_string (state_text, &state))
    {
      set_damaged (error, DAMAGE_UNKNOWN_STATE, group, NULL);
      return FALSE;
    }

  name = g_key_file_get_string (key_file, group, "name", NULL);
  access_level = g_key_file_get_string (key_file, group, "access-level", NULL);
  scopes = g_key_file_get_string (key_file, group, "oauth2-scopes", NULL);

  /* They reach sentences ("The tokens of @%s…"): valid text only. */
  if ((*screen_name != '\0' && !_bh_store_check_text (screen_name, BH_STORE_FIELD_SCREEN_NAME, TRUE, &check_error)) ||
      (name != NULL && *name != '\0' && !_bh_store_check_text (name, BH_STORE_FIELD_ACCOUNT_NAME, TRUE, &check_error)) ||
      (access_level != NULL && *access_level != '\0' &&
       !_bh_store_check_text (access_level, BH_STORE_FIELD_ACCESS_LEVEL, FALSE, &check_error)) ||
      (scopes != NULL && *scopes != '\0' &&
       !_bh_store_check_text (scopes, BH_STORE_FIELD_OAUTH2_SCOPES, TRUE, &check_error)) ||
      !_bh_store_check_text (user_id, BH_STORE_FIELD_USER_ID, FALSE, &check_error))
    {
      set_section_error (error, BH_STORE_ERROR_RECORDS_DAMAGED, group, check_error);
      return FALSE;
    }

  account = bh_account_new (bh_app_get_id (app), user_id, screen_name);
  bh_account_set_name (account, name);
  bh_account_set_access_level (account, access_level);
  bh_account_set_authorized_at (account, authorized_at);
  bh_account_set_rotated_at (account, rotated_at);
  bh_account_set_verified_at (account, verified_at);
  bh_account_set_state (account, state);
  bh_account_set_restored (account, restored);
  bh_account_set_credentials (account, credentials);
  bh_account_set_oauth2_scopes (account, scopes);
  bh_account_set_oauth2_expires_at (account, expires_at != NULL ? g_date_time_to_unix (expires_at) : 0);
  _bh_app_add_account (app, account);

  return TRUE;
}

/* Every other section: an account of an App of the file. */
static gboolean
parse_accounts (GKeyFile    *key_file,
                GStrv        groups,
                GHashTable  *by_id,
                GError     **error)
{
  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (g_str_equal (groups[i], GROUP_BIRDHOUSE) || g_str_has_prefix (groups[i], GROUP_APP_PREFIX))
        continue;

      if (!parse_account (key_file, groups[i], by_id, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * _bh_store_records_parse:
 * @data: the text of a records file
 * @len: its length
 * @error: BH_STORE_ERROR_RECORDS_DAMAGED, or BH_STORE_ERROR_LIMIT for a file
 *   over a limit of Birdhouse
 *
 * Parses the records into Apps (with their accounts), refusing anything a
 * hand edit could have broken rather than guessing: a guess could attach
 * tokens to the wrong account. Pure: touches no store and no file, and may
 * run in any thread; the objects are handed to the main thread afterwards.
 *
 * Returns: (transfer container) (element-type BhApp) (nullable): the Apps,
 *   in the order of the file
 */
GPtrArray *
_bh_store_records_parse (const char  *data,
                         gsize        len,
                         GError     **error)
{
  g_autoptr(GKeyFile) key_file = NULL;
  g_autoptr(GPtrArray) apps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) groups = NULL;

  if ((key_file = load_key_file (data, len, error)) == NULL ||
      !check_version (key_file, error))
    return NULL;

  groups = g_key_file_get_groups (key_file, NULL);
  if (!parse_apps (key_file, groups, apps, by_id, error) ||
      !parse_accounts (key_file, groups, by_id, error))
    return NULL;

  return g_steal_pointer (&apps);
}
