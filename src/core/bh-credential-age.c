/* bh-credential-age.c
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

#include "bh-credential-age.h"

#include <gio/gio.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-store.h"

/*
 * How old each credential is, from what the records say: when it was
 * created (an App's secret stored, a bearer token generated, an account
 * authorized) and when it was last rotated. The newer of the two is the
 * credential's age; a rotation older than the creation (the account was
 * authorized again since, the bearer generated again) no longer counts.
 * Pure functions over the loaded model: the window, `birdhouse check`
 * and `account list` all use them.
 */

/**
 * bh_credential_age_free:
 * @age: (nullable): an age
 */
void
bh_credential_age_free (BhCredentialAge *age)
{
  if (age == NULL)
    return;

  g_clear_object (&age->app);
  g_clear_object (&age->account);
  g_clear_pointer (&age->since, g_date_time_unref);
  g_free (age);
}

/**
 * bh_rotation_reminder_days:
 *
 * The reminder the user chose in Preferences (GSettings
 * "rotation-reminder-days"). Read only when the schema is installed, so
 * that a command line without it works.
 *
 * Returns: the days after which a credential is due for rotation; 0 for
 *   never
 */
guint
bh_rotation_reminder_days (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source == NULL)
    return 0;

  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, BH_ROTATION_REMINDER_KEY))
    return 0;

  settings = g_settings_new_full (schema, NULL, NULL);
  return g_settings_get_uint (settings, BH_ROTATION_REMINDER_KEY);
}

/**
 * bh_credential_is_due:
 * @since: (nullable): when the credential was created or last rotated
 * @reminder_days: the reminder; 0 for never
 * @now: (nullable): the time to judge at; %NULL for now
 *
 * Returns: %TRUE when @since is known and more than @reminder_days days
 *   before @now. An unknown age is never due: Birdhouse does not guess.
 */
gboolean
bh_credential_is_due (GDateTime *since,
                      guint      reminder_days,
                      GDateTime *now)
{
  g_autoptr(GDateTime) owned_now = NULL;

  if (since == NULL || reminder_days == 0)
    return FALSE;

  if (now == NULL)
    now = owned_now = g_date_time_new_now_utc ();

  return g_date_time_difference (now, since) >= (GTimeSpan) reminder_days * G_TIME_SPAN_DAY;
}

static BhCredentialAge *
age_new (BhCredentialKind  kind,
         BhApp            *app,
         BhAccount        *account,
         GDateTime        *created,
         GDateTime        *rotated,
         guint             reminder_days,
         GDateTime        *now)
{
  BhCredentialAge *age = g_new0 (BhCredentialAge, 1);

  age->kind = kind;
  age->app = g_object_ref (app);
  age->account = account != NULL ? g_object_ref (account) : NULL;
  age->rotated = rotated != NULL && (created == NULL || g_date_time_compare (rotated, created) >= 0);
  age->since = age->rotated ? g_date_time_ref (rotated)
                            : created != NULL ? g_date_time_ref (created) : NULL;
  age->due = bh_credential_is_due (age->since, reminder_days, now);

  return age;
}

/**
 * bh_credential_age_for_app:
 * @app: an App
 * @kind: %BH_CREDENTIAL_KIND_API_KEY_SECRET, %BH_CREDENTIAL_KIND_BEARER_TOKEN
 *   or %BH_CREDENTIAL_KIND_CLIENT_SECRET
 * @reminder_days: the reminder; 0 for never
 * @now: (nullable): the time to judge at; %NULL for now
 *
 * Returns: (transfer full): the age of the App's secret, bearer token or
 *   Client Secret
 */
BhCredentialAge *
bh_credential_age_for_app (BhApp            *app,
                           BhCredentialKind  kind,
                           guint             reminder_days,
                           GDateTime        *now)
{
  BhAppTime created = BH_APP_TIME_SECRET_CREATED;

  g_return_val_if_fail (BH_IS_APP (app), NULL);
  g_return_val_if_fail (kind != BH_CREDENTIAL_KIND_ACCOUNT_TOKENS && kind != BH_CREDENTIAL_KIND_OAUTH2_GRANT, NULL);

  if (kind == BH_CREDENTIAL_KIND_BEARER_TOKEN)
    created = BH_APP_TIME_BEARER_CREATED;
  else if (kind == BH_CREDENTIAL_KIND_CLIENT_SECRET)
    created = BH_APP_TIME_CLIENT_SECRET_CREATED;

  /* Each credential's rotated time follows its created time. */
  return age_new (kind, app, NULL, bh_app_get_time (app, created), bh_app_get_time (app, created + 1),
                  reminder_days, now);
}

/**
 * bh_credential_age_for_account:
 * @app: the account's App
 * @account: an account
 * @reminder_days: the reminder; 0 for never
 * @now: (nullable): the time to judge at; %NULL for now
 *
 * Returns: (transfer full): the age of the account's tokens (its OAuth 2.0
 *   grant, kind %BH_CREDENTIAL_KIND_OAUTH2_GRANT, when it holds no OAuth
 *   1.0a tokens: an account keeps one authorized and rotated time)
 */
BhCredentialAge *
bh_credential_age_for_account (BhApp     *app,
                               BhAccount *account,
                               guint      reminder_days,
                               GDateTime *now)
{
  g_return_val_if_fail (BH_IS_APP (app), NULL);
  g_return_val_if_fail (BH_IS_ACCOUNT (account), NULL);

  return age_new (bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH1)
                  ? BH_CREDENTIAL_KIND_ACCOUNT_TOKENS : BH_CREDENTIAL_KIND_OAUTH2_GRANT, app, account,
                  bh_account_get_authorized_at (account),
                  bh_account_get_rotated_at (account),
                  reminder_days, now);
}

static void
add_app_ages (GPtrArray *ages,
              BhApp     *app,
              guint      reminder_days,
              GDateTime *now)
{
  GListModel *accounts = bh_app_get_accounts (app);
  guint n = g_list_model_get_n_items (accounts);

  if (bh_app_get_has_secret (app))
    g_ptr_array_add (ages, bh_credential_age_for_app (app, BH_CREDENTIAL_KIND_API_KEY_SECRET, reminder_days, now));
  if (bh_app_get_has_bearer (app))
    g_ptr_array_add (ages, bh_credential_age_for_app (app, BH_CREDENTIAL_KIND_BEARER_TOKEN, reminder_days, now));
  if (bh_app_get_has_client_secret (app))
    g_ptr_array_add (ages, bh_credential_age_for_app (app, BH_CREDENTIAL_KIND_CLIENT_SECRET, reminder_days, now));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (accounts, i);

      g_ptr_array_add (ages, bh_credential_age_for_account (app, account, reminder_days, now));
    }
}

/**
 * bh_credential_ages_list:
 * @store: a loaded store
 * @app: (nullable): one App, or %NULL for all of them
 * @reminder_days: the reminder; 0 for never
 * @now: (nullable): the time to judge at; %NULL for now
 *
 * Every credential of @app (or of every App): its API key secret, its
 * bearer token when it has one, each account's tokens.
 *
 * Returns: (transfer container) (element-type BhCredentialAge): the ages
 */
GPtrArray *
bh_credential_ages_list (BhStore   *store,
                         BhApp     *app,
                         guint      reminder_days,
                         GDateTime *now)
{
  GPtrArray *ages = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_credential_age_free);
  g_autoptr(GDateTime) owned_now = NULL;

  g_return_val_if_fail (BH_IS_STORE (store), ages);

  /* One "now" for the whole list, so that it agrees with itself. */
  if (now == NULL)
    now = owned_now = g_date_time_new_now_utc ();

  if (app != NULL)
    {
      add_app_ages (ages, app, reminder_days, now);
      return ages;
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(BhApp) each = g_list_model_get_item (G_LIST_MODEL (store), i);

      add_app_ages (ages, each, reminder_days, now);
    }

  return ages;
}
