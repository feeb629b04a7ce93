/* bh-cli-app.c
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
#include <json-glib/json-glib.h>

#include "bh-cli-private.h"
#include "bh-credential-age.h"
#include "bh-store.h"
#include "bh-x-client.h"

/* `birdhouse app add|list|remove`: developer Apps. The API key secret
 * comes from standard input and goes to the keyring only. */

static int
app_add (int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(BhSecret) secret = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BhApp) app = NULL;
  g_autofree char *consumer_key = NULL;
  g_autofree char *api_host = NULL;
  const GOptionEntry entries[] = {
    { "consumer-key", 0, 0, G_OPTION_ARG_STRING, &consumer_key,
      N_("The App’s API key (consumer key)"), N_("KEY") },
    { "api-host", 0, 0, G_OPTION_ARG_STRING, &api_host,
      N_("The API host (default https://api.x.com)"), N_("URL") },
    G_OPTION_ENTRY_NULL
  };
  int status;

  context = _bh_cli_option_context ("app add", _("NAME"),
                                    _("Register a developer App. Its API key secret is read from standard\n"
                                      "input (one line, not echoed on a terminal) and kept in the keyring."),
                                    "printf '%s\\n' \"$SECRET\" | birdhouse app add MyBot --consumer-key xvz1evFS4wEEPTGEFPHBog",
                                    entries);
  status = _bh_cli_parse (context, "app add", 1, 1, _("Give the App’s name."),
                          &argc, &argv);
  if (status >= 0)
    return status;
  if (consumer_key == NULL || consumer_key[0] == '\0')
    return _bh_cli_usage ("app add", _("Give the App’s API key with --consumer-key."));
  if (api_host != NULL)
    {
      if (!bh_x_check_url (api_host, &error))
        return _bh_cli_fail_error (error);
    }

  if (!_bh_cli_open_target (NULL, NULL, &target, &error))
    return _bh_cli_fail_error (error);
  if (bh_store_find_app (target.store, argv[1]) != NULL)
    /* Translators: %s is the name given to the new App */
    return _bh_cli_fail (_("An App named “%s” already exists."), argv[1]);

  secret = _bh_cli_read_secret (_("API key secret: "), _("the API key secret"), &error);
  if (secret == NULL)
    return _bh_cli_fail_error (error);

  bh_store_add_app_async (target.store, argv[1], consumer_key, secret,
                          api_host != NULL ? api_host : BH_DEFAULT_API_HOST,
                          NULL, _bh_cli_store_result, &result);
  app = bh_store_add_app_finish (target.store, _bh_cli_wait (&result), &error);
  if (app == NULL)
    return _bh_cli_fail_error (error);

  /* Translators: the App's name and its API host, “MyBot” (https://api.x.com) */
  g_print (_("Added the App “%s” (%s).\n"), bh_app_get_name (app), bh_app_get_api_host (app));

  return BH_CLI_EXIT_OK;
}

static int
app_list (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print a JSON array, for scripts"), NULL },
    G_OPTION_ENTRY_NULL
  };
  GListModel *apps;
  guint n_apps;
  guint reminder_days = bh_rotation_reminder_days ();
  int status;

  context = _bh_cli_option_context ("app list", NULL,
                                    _("List the registered Apps: name, API key, API host, whether the\n"
                                      "secret and a bearer token are in the keyring, and the accounts.\n"
                                      "No secret is printed."),
                                    "birdhouse app list --json",
                                    entries);
  status = _bh_cli_parse (context, "app list", 0, 0, NULL,
                          &argc, &argv);
  if (status >= 0)
    return status;

  if (!_bh_cli_open_target (NULL, NULL, &target, &error))
    return _bh_cli_fail_error (error);

  apps = G_LIST_MODEL (target.store);
  n_apps = g_list_model_get_n_items (apps);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < n_apps; i++)
        {
          g_autoptr(BhApp) app = g_list_model_get_item (apps, i);
          GListModel *accounts = bh_app_get_accounts (app);
          g_autoptr(BhCredentialAge) secret_age =
            bh_credential_age_for_app (app, BH_CREDENTIAL_KIND_API_KEY_SECRET, reminder_days, NULL);
          g_autoptr(BhCredentialAge) bearer_age =
            bh_credential_age_for_app (app, BH_CREDENTIAL_KIND_BEARER_TOKEN, reminder_days, NULL);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, bh_app_get_name (app));
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, bh_app_get_id (app));
          json_builder_set_member_name (builder, "consumer_key");
          json_builder_add_string_value (builder, bh_app_get_consumer_key (app));
          json_builder_set_member_name (builder, "api_host");
          json_builder_add_string_value (builder, bh_app_get_api_host (app));
          json_builder_set_member_name (builder, "has_secret");
          json_builder_add_boolean_value (builder, bh_app_get_has_secret (app));
          json_builder_set_member_name (builder, "has_bearer");
          json_builder_add_boolean_value (builder, bh_app_get_has_bearer (app));
          _bh_cli_add_age_members (builder, "secret_",
                                   bh_app_get_time (app, BH_APP_TIME_SECRET_CREATED),
                                   bh_app_get_time (app, BH_APP_TIME_SECRET_ROTATED),
                                   secret_age->due);
          _bh_cli_add_age_members (builder, "bearer_",
                                   bh_app_get_time (app, BH_APP_TIME_BEARER_CREATED),
                                   bh_app_get_time (app, BH_APP_TIME_BEARER_ROTATED),
                                   bh_app_get_has_bearer (app) && bearer_age->due);
          json_builder_set_member_name (builder, "accounts");
          json_builder_begin_array (builder);
          for (guint j = 0; j < g_list_model_get_n_items (accounts); j++)
            {
              g_autoptr(BhAccount) account = g_list_model_get_item (accounts, j);

              json_builder_add_string_value (builder, bh_account_get_screen_name (account));
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      _bh_cli_print_json (builder);

      return BH_CLI_EXIT_OK;
    }

  for (guint i = 0; i < n_apps; i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (apps, i);
      GListModel *accounts = bh_app_get_accounts (app);
      guint n_accounts = g_list_model_get_n_items (accounts);
      g_autoptr(BhCredentialAge) secret_age =
        bh_credential_age_for_app (app, BH_CREDENTIAL_KIND_API_KEY_SECRET, reminder_days, NULL);
      g_autoptr(BhCredentialAge) bearer_age =
        bh_credential_age_for_app (app, BH_CREDENTIAL_KIND_BEARER_TOKEN, reminder_days, NULL);

      /* Tab-separated: name, API key, host, number of accounts, notes. */
      g_print ("%s\t%s\t%s\t", bh_app_get_name (app), bh_app_get_consumer_key (app),
               bh_app_get_api_host (app));
      /* Translators: the number of accounts of an App */
      g_print (ngettext ("%u account", "%u accounts", n_accounts), n_accounts);
      if (bh_app_get_has_bearer (app))
        g_print ("\t%s", _("bearer token"));
      if (!bh_app_get_has_secret (app))
        g_print ("\t%s", _("API key secret missing from the keyring"));
      else if (secret_age->due)
        g_print ("\t%s", _("API key secret due for rotation"));
      if (bh_app_get_has_bearer (app) && bearer_age->due)
        g_print ("\t%s", _("bearer token due for rotation"));
      g_print ("\n");
    }

  return BH_CLI_EXIT_OK;
}

static int
app_remove (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(GAsyncResult) result = NULL;
  int status;

  context = _bh_cli_option_context ("app remove", _("NAME"),
                                    _("Remove an App, its accounts and every secret it holds from this\n"
                                      "computer. Nothing is revoked at X: use “birdhouse account revoke”\n"
                                      "and “birdhouse bearer APP --invalidate” first for that."),
                                    "birdhouse app remove MyBot",
                                    NULL);
  status = _bh_cli_parse (context, "app remove", 1, 1, _("Give the App’s name."),
                          &argc, &argv);
  if (status >= 0)
    return status;

  if (!_bh_cli_open_target (argv[1], NULL, &target, &error))
    return _bh_cli_fail_error (error);

  bh_store_remove_app_async (target.store, target.app, NULL, _bh_cli_store_result, &result);
  if (!bh_store_remove_app_finish (target.store, _bh_cli_wait (&result), &error))
    return _bh_cli_fail_error (error);

  /* Translators: %s is the name of the App */
  g_print (_("Removed the App “%s”.\n"), bh_app_get_name (target.app));

  return BH_CLI_EXIT_OK;
}

static const BhCliCommand app_commands[] = {
  { "add", app_add },
  { "list", app_list },
  { "remove", app_remove },
};

int
_bh_cli_app (int    argc,
             char **argv)
{
  return _bh_cli_dispatch ("app", app_commands, G_N_ELEMENTS (app_commands),
                           "  birdhouse app add NAME --consumer-key KEY [--api-host URL]\n"
                           "  birdhouse app list [--json]\n  birdhouse app remove NAME\n",
                           argc, argv);
}
