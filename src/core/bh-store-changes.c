/* bh-store-changes.c: changes to the records, applied by id to what the file holds
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

void
_bh_store_change_free (BhStoreChange *change)
{
  g_free (change->app_id);
  g_free (change->user_id);
  g_free (change->name);
  g_free (change->label);
  g_clear_pointer (&change->fields, g_ptr_array_unref);
  g_clear_object (&change->object);
  g_free (change);
}

BhStoreChange *
_bh_store_change_new (BhStoreChangeKind  kind,
                      const char        *app_id,
                      const char        *user_id,
                      const char        *label)
{
  BhStoreChange *change = g_new0 (BhStoreChange, 1);

  change->kind = kind;
  change->app_id = g_strdup (app_id);
  change->user_id = g_strdup (user_id);
  change->label = g_strdup (label);
  change->fields = g_ptr_array_new_with_free_func (g_free);

  return change;
}

static void
change_set (BhStoreChange *change,
            const char    *key,
            const char    *value)
{
  g_ptr_array_add (change->fields, g_strdup (key));
  g_ptr_array_add (change->fields, g_strdup (value));
}

void
_bh_store_change_set_boolean (BhStoreChange *change,
                              const char    *key,
                              gboolean       value)
{
  change_set (change, key, value ? "true" : "false");
}

void
_bh_store_change_set_date (BhStoreChange *change,
                 const char    *key,
                 GDateTime     *value)
{
  g_autofree char *text = value != NULL ? g_date_time_format_iso8601 (value) : NULL;

  change_set (change, key, text);
}

/* The App's name, keys, host and redirect URI (a NULL value removes a key
 * of the file: an App with no API key, or the default redirect URI); with
 * @create every field, and the model takes @app once it is in the file. */
BhStoreChange *
_bh_store_change_put_app (BhApp    *app,
                          gboolean  create)
{
  BhStoreChange *change = _bh_store_change_new (BH_STORE_CHANGE_PUT_APP, bh_app_get_id (app), NULL, bh_app_get_name (app));

  change->create = create;
  change->name = g_strdup (bh_app_get_name (app));
  change_set (change, "name", bh_app_get_name (app));
  change_set (change, "consumer-key", bh_app_get_consumer_key (app));
  change_set (change, "api-host", bh_app_get_api_host (app));
  change_set (change, "client-id", bh_app_get_client_id (app));
  change_set (change, "redirect-uri", _bh_store_app_redirect_uri_record (app));
  if (create)
    {
      _bh_store_change_set_boolean (change, "has-bearer", bh_app_get_has_bearer (app));
      change_set (change, "has-client-secret", bh_app_get_has_client_secret (app) ? "true" : NULL);
      change_set (change, "restored", bh_app_get_restored (app) ? "true" : NULL);
      for (guint i = 0; i < BH_APP_N_TIMES; i++)
        _bh_store_change_set_date (change, bh_app_time_key (i), bh_app_get_time (app, i));
      change->object = g_object_ref (G_OBJECT (app));
    }

  return change;
}

/* With @create every field of @account: the record may be added (and the
 * model takes @account). Otherwise what a verification changes, and the
 * record must still be there: when it was authorized stays as the file
 * says (another process may have authorized it again meanwhile). */
BhStoreChange *
_bh_store_change_put_account (BhAccount *account,
                              gboolean   create)
{
  BhStoreChange *change = _bh_store_change_new (BH_STORE_CHANGE_PUT_ACCOUNT, bh_account_get_app_id (account),
                                                bh_account_get_user_id (account),
                                                bh_account_get_screen_name (account));
  const char *screen_name = bh_account_get_screen_name (account);

  change->create = create;
  change_set (change, "screen-name", screen_name != NULL ? screen_name : "");
  change_set (change, "name", bh_account_get_name (account));
  change_set (change, "access-level", bh_account_get_access_level (account));
  _bh_store_change_set_date (change, "verified-at", bh_account_get_verified_at (account));
  /* A rotation is only ever added: a record's own stays otherwise. */
  if (bh_account_get_rotated_at (account) != NULL)
    _bh_store_change_set_date (change, "rotated-at", bh_account_get_rotated_at (account));
  change_set (change, "state", _bh_store_state_to_string (bh_account_get_state (account)));
  {
    g_autofree char *credentials = _bh_store_credentials_to_string (bh_account_get_credentials (account));
    g_autofree char *expires = _bh_store_expiry_to_string (bh_account_get_oauth2_expires_at (account));

    change_set (change, "credentials", credentials);
    change_set (change, "oauth2-scopes", bh_account_get_oauth2_scopes (account));
    change_set (change, "oauth2-expires-at", expires);
  }
  if (create)
    {
      _bh_store_change_set_date (change, "authorized-at", bh_account_get_authorized_at (account));
      change_set (change, "restored", bh_account_get_restored (account) ? "true" : NULL);
      change->object = g_object_ref (G_OBJECT (account));
    }

  return change;
}

/* Queues @change for the next _bh_store_records_write_async(). */
void
_bh_store_queue_change (BhStore       *self,
                        BhStoreChange *change)
{
  g_ptr_array_add (self->pending_changes, change);
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
gboolean
_bh_store_records_apply (GKeyFile   *key_file,
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
            g_hash_table_replace (names, _bh_store_name_key (name), g_strdup (groups[i] + strlen (GROUP_APP_PREFIX)));
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
      BhStoreChange *change = g_ptr_array_index (changes, i);
      g_autofree char *group = _bh_store_app_group (change->app_id);
      gboolean app_exists = g_key_file_has_group (key_file, group);

      switch (change->kind)
        {
        case BH_STORE_CHANGE_PUT_APP:
          /* A secret with no record may be another process's add between
           * its keyring write and its record: its record wins. */
          if (change->restore && app_exists)
            break;

          if (change->restore && change->name != NULL)
            {
              g_autofree char *base = g_strdup (change->name);

              for (guint n = 2; ; n++)
                {
                  g_autofree char *key = _bh_store_name_key (change->name);

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
              g_autofree char *key = _bh_store_name_key (change->name);
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
                      g_autofree char *old_key = _bh_store_name_key (old);

                      g_hash_table_remove (names, old_key);
                    }
                }
              g_hash_table_replace (names, g_steal_pointer (&key), g_strdup (change->app_id));
            }

          if (!app_exists)
            n_apps++;
          set_fields (key_file, group, change->fields);
          break;

        case BH_STORE_CHANGE_REMOVE_APP:
          if (app_exists)
            {
              g_autofree char *old = g_key_file_get_string (key_file, group, "name", NULL);
              g_autofree char *prefix = g_strconcat (GROUP_ACCOUNT_PREFIX, change->app_id, " ", NULL);
              g_auto(GStrv) now = g_key_file_get_groups (key_file, NULL);

              if (old != NULL)
                {
                  g_autofree char *old_key = _bh_store_name_key (old);
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

        case BH_STORE_CHANGE_PUT_ACCOUNT:
          {
            g_autofree char *agroup = _bh_store_account_group (change->app_id, change->user_id);
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

        case BH_STORE_CHANGE_REMOVE_ACCOUNT:
          {
            g_autofree char *agroup = _bh_store_account_group (change->app_id, change->user_id);

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
