/* bh-cli-store.c
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

#include <glib/gi18n.h>

#include "bh-cli-private.h"
#include "bh-store.h"

/* What every subcommand that touches the keyring shares: the store, the
 * App and account named on the command line, the secrets. */

static gboolean
load (BhStore  *store,
      GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean loaded = FALSE;

  bh_store_load_async (store, NULL, _bh_cli_store_result, &result);
  if (!bh_store_load_finish (store, _bh_cli_wait (&result), &local_error))
    {
      /* A damaged records file was kept aside and the list restored from
       * the keyring: say so, and carry on with the command. */
      g_object_get (store, "loaded", &loaded, NULL);
      if (!loaded || !g_error_matches (local_error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      _bh_cli_fail_error (local_error);
    }

  return TRUE;
}

/* A command about one App lists the records without reconciling them
 * with the keyring, which a script's every call would pay for; only when
 * what it names is not in the records is the keyring asked (an App or
 * account restored from it is found then). */
static BhStore *
open_store (gboolean   quick,
            GError   **error)
{
  g_autoptr(BhStore) store = bh_store_new (NULL);

  bh_store_set_quick_load (store, quick);
  if (!load (store, error))
    return NULL;

  return g_steal_pointer (&store);
}

static gboolean
reconcile_once (BhStore  *store,
                GError  **error)
{
  if (bh_store_get_reconciled (store))
    return FALSE;

  bh_store_set_quick_load (store, FALSE);
  return load (store, error);
}

static gboolean
open_target (const char   *app_name,
             const char   *screen_name,
             gboolean      full,
             BhCliTarget  *target,
             GError      **error)
{
  g_auto(BhCliTarget) found = { NULL, NULL, NULL };

  g_return_val_if_fail (app_name != NULL || screen_name == NULL, FALSE);

  found.store = open_store (app_name != NULL && !full, error);
  if (found.store == NULL)
    return FALSE;

  if (app_name != NULL)
    {
      BhApp *app = bh_store_find_app (found.store, app_name);

      if (app == NULL && reconcile_once (found.store, error))
        app = bh_store_find_app (found.store, app_name);
      if (error != NULL && *error != NULL)
        return FALSE;
      if (app == NULL)
        {
          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                       /* Translators: %s is the name of an App given on the command line */
                       _("There is no App named “%s”; “birdhouse app list” shows them."), app_name);
          return FALSE;
        }
      found.app = g_object_ref (app);
    }

  if (screen_name != NULL)
    {
      BhAccount *account = bh_app_find_account (found.app, screen_name);

      if (account == NULL && reconcile_once (found.store, error))
        account = bh_app_find_account (found.app, screen_name);
      if (error != NULL && *error != NULL)
        return FALSE;
      if (account == NULL)
        {
          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                       /* Translators: the App's name, then a screen name: “MyBot” and @alice */
                       _("The App “%s” has no account @%s; “birdhouse account list” shows them."),
                       bh_app_get_name (found.app),
                       screen_name[0] == '@' ? screen_name + 1 : screen_name);
          return FALSE;
        }
      found.account = g_object_ref (account);
    }

  *target = found;
  found = (BhCliTarget) { NULL, NULL, NULL };

  return TRUE;
}

gboolean
_bh_cli_open_target (const char   *app_name,
                     const char   *screen_name,
                     BhCliTarget  *target,
                     GError      **error)
{
  return open_target (app_name, screen_name, FALSE, target, error);
}

/* The same, always reconciled with the keyring: for listings, which show
 * what is restored or missing. */
gboolean
_bh_cli_open_target_full (const char   *app_name,
                          BhCliTarget  *target,
                          GError      **error)
{
  return open_target (app_name, NULL, TRUE, target, error);
}

void
_bh_cli_target_clear (BhCliTarget *target)
{
  g_clear_object (&target->account);
  g_clear_object (&target->app);
  g_clear_object (&target->store);
}

char *
_bh_cli_lookup_consumer_secret (BhStore     *store,
                                BhApp       *app,
                                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_lookup_consumer_secret_async (store, app, NULL, _bh_cli_store_result, &result);

  return bh_store_lookup_consumer_secret_finish (store, _bh_cli_wait (&result), error);
}

gboolean
_bh_cli_lookup_tokens (BhStore    *store,
                       BhAccount  *account,
                       char      **token,
                       char      **token_secret,
                       GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_lookup_account_tokens_async (store, account, NULL, _bh_cli_store_result, &result);

  return bh_store_lookup_account_tokens_finish (store, _bh_cli_wait (&result),
                                                token, token_secret, error);
}

char *
_bh_cli_lookup_bearer (BhStore    *store,
                       BhApp      *app,
                       GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (!bh_app_get_has_bearer (app))
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                   /* Translators: the App's name twice, “MyBot” and birdhouse bearer MyBot */
                   _("The App “%s” has no bearer token; “birdhouse bearer %s” makes one."),
                   bh_app_get_name (app), bh_app_get_name (app));
      return NULL;
    }

  bh_store_lookup_bearer_async (store, app, NULL, _bh_cli_store_result, &result);

  return bh_store_lookup_bearer_finish (store, _bh_cli_wait (&result), error);
}

const char *
_bh_cli_access_level_text (const char *access_level)
{
  if (g_strcmp0 (access_level, "read") == 0)
    return _("read only");
  if (g_strcmp0 (access_level, "read-write") == 0)
    return _("read and write");
  if (g_strcmp0 (access_level, "read-write-directmessages") == 0)
    return _("read and write and Direct Messages");

  return _("unknown access level");
}

char *
_bh_cli_describe_account (BhAccount *account)
{
  const char *name = bh_account_get_name (account);
  const char *scopes = bh_account_get_oauth2_scopes (account);
  const char *level = _bh_cli_access_level_text (bh_account_get_access_level (account));
  g_autofree char *oauth2 = NULL;

  /* X says no access level to OAuth 2.0: the scopes say what it may do. */
  if (bh_account_get_access_level (account) == NULL && scopes != NULL)
    /* Translators: what an account authorized with OAuth 2.0 may do; %s is
     * its list of scopes, such as "tweet.read users.read offline.access" */
    level = oauth2 = g_strdup_printf (_("OAuth 2.0: %s"), scopes);

  if (name != NULL && name[0] != '\0')
    /* Translators: "@alice (Alice Example), read and write" */
    return g_strdup_printf (_("@%s (%s), %s"), bh_account_get_screen_name (account), name, level);

  /* Translators: "@alice, read and write" */
  return g_strdup_printf (_("@%s, %s"), bh_account_get_screen_name (account), level);
}
