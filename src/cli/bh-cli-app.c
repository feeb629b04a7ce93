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

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bh-cli-private.h"
#include "bh-credential-age.h"
#include "bh-oauth2.h"
#include "bh-store.h"
#include "bh-x-client.h"

/* `birdhouse app add|edit|list|remove`: developer Apps. The secrets (the
 * API key secret, the Client Secret) come from standard input, in that
 * order, and go to the keyring only. */

/* The options add and edit share. */
typedef struct
{
  char     *consumer_key;
  char     *client_id;
  gboolean  client_secret;
  gboolean  no_client_secret;
  char     *redirect_uri;
  char     *api_host;
} AppOptions;

static void
app_options_clear (AppOptions *options)
{
  g_clear_pointer (&options->consumer_key, g_free);
  g_clear_pointer (&options->client_id, g_free);
  g_clear_pointer (&options->redirect_uri, g_free);
  g_clear_pointer (&options->api_host, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AppOptions, app_options_clear)

/* What can be said wrong before the store is opened; -1 to go on. */
static int
app_options_check (const char *command,
                   AppOptions *options)
{
  g_autoptr(GError) error = NULL;

  if (options->consumer_key != NULL && options->consumer_key[0] == '\0')
    return _bh_cli_usage (command, _("The API key given with --consumer-key is empty."));
  if (options->client_id != NULL && options->client_id[0] == '\0')
    return _bh_cli_usage (command, _("The Client ID given with --client-id is empty."));
  if (options->redirect_uri != NULL &&
      !bh_oauth2_check_redirect_uri (options->redirect_uri, NULL, NULL, &error))
    return _bh_cli_usage (command, "%s", error->message);
  if (options->api_host != NULL && !bh_x_check_url (options->api_host, &error))
    return _bh_cli_fail_error (error);

  return -1;
}

/* Parses the options of `birdhouse @command NAME`, and checks what can
 * be said wrong before the store is opened. Returns -1 to go on, else the
 * exit status. */
static int
app_options_parse (const char   *command,
                   const char   *summary,
                   const char   *example,
                   AppOptions   *options,
                   int          *argc,
                   char       ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "consumer-key", 0, 0, G_OPTION_ARG_STRING, &options->consumer_key,
      N_("The App’s API key (consumer key), for OAuth 1.0a; its secret is read from standard input"),
      N_("KEY") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &options->client_id,
      N_("The App’s OAuth 2.0 Client ID"), N_("ID") },
    { "client-secret", 0, 0, G_OPTION_ARG_NONE, &options->client_secret,
      N_("Read the OAuth 2.0 Client Secret from standard input (confidential clients: Web App, Automated "
         "App or Bot)"), NULL },
    { "no-client-secret", 0, 0, G_OPTION_ARG_NONE, &options->no_client_secret,
      N_("With “app edit”: remove the stored Client Secret (the App is a public client, a Native App)"), NULL },
    { "redirect-uri", 0, 0, G_OPTION_ARG_STRING, &options->redirect_uri,
      /* Translators: keep the URI as it is. */
      N_("The OAuth 2.0 redirect URI registered at X (default http://127.0.0.1:8477/callback)"), N_("URI") },
    { "api-host", 0, 0, G_OPTION_ARG_STRING, &options->api_host,
      N_("The API host (default https://api.x.com)"), N_("URL") },
    G_OPTION_ENTRY_NULL
  };

  context = _bh_cli_option_context (command, _("NAME"), summary, example, entries);
  status = _bh_cli_parse (context, command, 1, 1, _("Give the App’s name."), argc, argv);
  if (status >= 0)
    return status;

  return app_options_check (command, options);
}

/* Reads the secrets the options ask for, in their order: the API key
 * secret (with --consumer-key), then the Client Secret (with
 * --client-secret). */
static gboolean
app_options_read_secrets (AppOptions  *options,
                          BhSecret   **consumer_secret,
                          BhSecret   **client_secret,
                          GError     **error)
{
  if (options->consumer_key != NULL &&
      (*consumer_secret = _bh_cli_read_secret (_("API key secret: "), _("the API key secret"), error)) == NULL)
    return FALSE;

  if (options->client_secret &&
      (*client_secret = _bh_cli_read_secret (_("Client Secret: "), _("the Client Secret"), error)) == NULL)
    return FALSE;

  return TRUE;
}

/* The App as the options make it: what they give, else what @app (NULL
 * when adding) has. The secrets are borrowed. */
static void
app_options_fields (AppOptions       *options,
                    BhApp            *app,
                    const char       *name,
                    const char       *consumer_secret,
                    const char       *client_secret,
                    BhStoreAppFields *fields)
{
#define OR_APP(value, getter) ((value) != NULL || app == NULL ? (value) : getter (app))
  memset (fields, 0, sizeof *fields);
  fields->name = name;
  fields->consumer_key = OR_APP (options->consumer_key, bh_app_get_consumer_key);
  fields->consumer_secret = consumer_secret;
  fields->api_host = OR_APP (options->api_host, bh_app_get_api_host);
  fields->client_id = OR_APP (options->client_id, bh_app_get_client_id);
  fields->client_secret = client_secret;
  fields->remove_client_secret = options->no_client_secret;
  fields->redirect_uri = OR_APP (options->redirect_uri, bh_app_get_redirect_uri);
#undef OR_APP
}

static int
app_add (int    argc,
         char **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_auto(AppOptions) options = { NULL, };
  g_autoptr(BhSecret) consumer_secret = NULL;
  g_autoptr(BhSecret) client_secret = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BhApp) app = NULL;
  BhStoreAppFields fields = { NULL, };
  int status;

  status = app_options_parse ("app add",
                              _("Register a developer App: its API key (OAuth 1.0a), its Client ID\n"
                                "(OAuth 2.0), or both. The secrets are read from standard input, one\n"
                                "line each and in this order: the API key secret (with --consumer-key),\n"
                                "then the Client Secret (with --client-secret). They are kept in the\n"
                                "keyring only."),
                              "printf '%s\\n' \"$SECRET\" | birdhouse app add MyBot --consumer-key xvz1evFS4wEEPTGEFPHBog\n"
                              "  printf '%s\\n' \"$CLIENT_SECRET\" | birdhouse app add MyBot --client-id M1M5R3BMVy13QmpScXkzTUt5OE46MTpjaQ --client-secret",
                              &options, &argc, &argv);
  if (status >= 0)
    return status;
  if (options.consumer_key == NULL && options.client_id == NULL)
    return _bh_cli_usage ("app add", _("Give the App’s API key with --consumer-key, its Client ID with "
                                       "--client-id, or both."));
  if (options.client_secret && options.client_id == NULL)
    return _bh_cli_usage ("app add", _("--client-secret needs --client-id."));
  if (options.no_client_secret)
    return _bh_cli_usage ("app add", _("--no-client-secret removes a stored Client Secret: use it with "
                                       "“birdhouse app edit”."));

  if (!_bh_cli_open_target (NULL, NULL, &target, &error))
    return _bh_cli_fail_error (error);
  if (bh_store_find_app (target.store, argv[1]) != NULL)
    /* Translators: %s is the name given to the new App */
    return _bh_cli_fail (_("An App named “%s” already exists."), argv[1]);

  if (!app_options_read_secrets (&options, &consumer_secret, &client_secret, &error))
    return _bh_cli_fail_error (error);

  app_options_fields (&options, NULL, argv[1], consumer_secret, client_secret, &fields);
  bh_store_add_app_full_async (target.store, &fields, NULL, _bh_cli_store_result, &result);
  app = bh_store_add_app_full_finish (target.store, _bh_cli_wait (&result), &error);
  if (app == NULL)
    return _bh_cli_fail_error (error);

  /* Translators: the App's name and its API host, “MyBot” (https://api.x.com) */
  g_print (_("Added the App “%s” (%s).\n"), bh_app_get_name (app), bh_app_get_api_host (app));

  return BH_CLI_EXIT_OK;
}

static int
app_edit (int    argc,
          char **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_auto(AppOptions) options = { NULL, };
  g_autoptr(BhSecret) consumer_secret = NULL;
  g_autoptr(BhSecret) client_secret = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  BhStoreAppFields fields = { NULL, };
  int status;

  status = app_options_parse ("app edit",
                              _("Add or change an App’s API key, Client ID, Client Secret, redirect URI\n"
                                "or API host; what is not given stays. The secrets are read from\n"
                                "standard input as for “birdhouse app add”."),
                              "printf '%s\\n' \"$CLIENT_SECRET\" | birdhouse app edit MyBot --client-id M1M5R3BMVy13QmpScXkzTUt5OE46MTpjaQ --client-secret",
                              &options, &argc, &argv);
  if (status >= 0)
    return status;
  if (options.consumer_key == NULL && options.client_id == NULL && !options.client_secret &&
      !options.no_client_secret && options.redirect_uri == NULL && options.api_host == NULL)
    return _bh_cli_usage ("app edit", _("Give what to change: --consumer-key, --client-id, --client-secret, "
                                        "--no-client-secret, --redirect-uri or --api-host."));
  if (options.client_secret && options.no_client_secret)
    return _bh_cli_usage ("app edit", _("Give either --client-secret or --no-client-secret."));

  if (!_bh_cli_open_target (argv[1], NULL, &target, &error))
    return _bh_cli_fail_error (error);
  if (options.client_secret && options.client_id == NULL && bh_app_get_client_id (target.app) == NULL)
    return _bh_cli_usage ("app edit", _("--client-secret needs --client-id: the App has no Client ID yet."));

  if (!app_options_read_secrets (&options, &consumer_secret, &client_secret, &error))
    return _bh_cli_fail_error (error);

  app_options_fields (&options, target.app, bh_app_get_name (target.app), consumer_secret, client_secret, &fields);
  bh_store_update_app_full_async (target.store, target.app, &fields, NULL, _bh_cli_store_result, &result);
  if (!bh_store_update_app_full_finish (target.store, _bh_cli_wait (&result), &error))
    return _bh_cli_fail_error (error);

  /* Translators: %s is the name of the App */
  g_print (_("Changed the App “%s”.\n"), bh_app_get_name (target.app));

  return BH_CLI_EXIT_OK;
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *value)
{
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
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
                                      "secret and a bearer token are in the keyring, the OAuth 2.0 Client ID\n"
                                      "and redirect URI, whether a Client Secret is in the keyring, and the\n"
                                      "accounts. No secret is printed."),
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
          g_autoptr(BhCredentialAge) client_secret_age =
            bh_credential_age_for_app (app, BH_CREDENTIAL_KIND_CLIENT_SECRET, reminder_days, NULL);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, bh_app_get_name (app));
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, bh_app_get_id (app));
          json_builder_set_member_name (builder, "consumer_key");
          add_string_or_null (builder, bh_app_get_consumer_key (app));
          json_builder_set_member_name (builder, "api_host");
          json_builder_add_string_value (builder, bh_app_get_api_host (app));
          json_builder_set_member_name (builder, "has_secret");
          json_builder_add_boolean_value (builder, bh_app_get_has_secret (app));
          json_builder_set_member_name (builder, "has_bearer");
          json_builder_add_boolean_value (builder, bh_app_get_has_bearer (app));
          json_builder_set_member_name (builder, "client_id");
          add_string_or_null (builder, bh_app_get_client_id (app));
          json_builder_set_member_name (builder, "redirect_uri");
          json_builder_add_string_value (builder, bh_app_get_redirect_uri (app));
          json_builder_set_member_name (builder, "has_client_secret");
          json_builder_add_boolean_value (builder, bh_app_get_has_client_secret (app));
          /* An App with no API key has no API key secret to rotate. */
          _bh_cli_add_age_members (builder, "secret_",
                                   bh_app_get_time (app, BH_APP_TIME_SECRET_CREATED),
                                   bh_app_get_time (app, BH_APP_TIME_SECRET_ROTATED),
                                   bh_app_get_consumer_key (app) != NULL && secret_age->due);
          _bh_cli_add_age_members (builder, "bearer_",
                                   bh_app_get_time (app, BH_APP_TIME_BEARER_CREATED),
                                   bh_app_get_time (app, BH_APP_TIME_BEARER_ROTATED),
                                   bh_app_get_has_bearer (app) && bearer_age->due);
          _bh_cli_add_age_members (builder, "client_secret_",
                                   bh_app_get_time (app, BH_APP_TIME_CLIENT_SECRET_CREATED),
                                   bh_app_get_time (app, BH_APP_TIME_CLIENT_SECRET_ROTATED),
                                   bh_app_get_has_client_secret (app) && client_secret_age->due);
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

      /* Tab-separated: name, API key ("-" for none), host, number of
       * accounts, notes. */
      g_print ("%s\t%s\t%s\t", bh_app_get_name (app),
               bh_app_get_consumer_key (app) != NULL ? bh_app_get_consumer_key (app) : "-",
               bh_app_get_api_host (app));
      /* Translators: the number of accounts of an App */
      g_print (ngettext ("%u account", "%u accounts", n_accounts), n_accounts);
      if (bh_app_get_has_bearer (app))
        g_print ("\t%s", _("bearer token"));
      if (bh_app_get_consumer_key (app) != NULL && !bh_app_get_has_secret (app))
        g_print ("\t%s", _("API key secret missing from the keyring"));
      else if (bh_app_get_consumer_key (app) != NULL && secret_age->due)
        g_print ("\t%s", _("API key secret due for rotation"));
      if (bh_app_get_has_bearer (app) && bearer_age->due)
        g_print ("\t%s", _("bearer token due for rotation"));
      if (bh_app_get_client_id (app) != NULL)
        {
          g_print ("\t");
          /* Translators: %s is the App's OAuth 2.0 Client ID (not a secret) */
          g_print (_("Client ID %s"), bh_app_get_client_id (app));
          g_print ("\t");
          /* Translators: %s is the OAuth 2.0 redirect URI, such as http://127.0.0.1:8477/callback */
          g_print (_("redirect URI %s"), bh_app_get_redirect_uri (app));
          g_print ("\t%s", bh_app_get_has_client_secret (app) ? _("Client Secret in the keyring")
                                                                : _("public client, no Client Secret"));
        }
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
  { "edit", app_edit },
  { "list", app_list },
  { "remove", app_remove },
};

int
_bh_cli_app (int    argc,
             char **argv)
{
  return _bh_cli_dispatch ("app", app_commands, G_N_ELEMENTS (app_commands),
                           "  birdhouse app add NAME [--consumer-key KEY] [--client-id ID [--client-secret]]\n"
                           "                        [--redirect-uri URI] [--api-host URL]\n"
                           "  birdhouse app edit NAME [--consumer-key KEY] [--client-id ID]\n"
                           "                         [--client-secret | --no-client-secret]\n"
                           "                         [--redirect-uri URI] [--api-host URL]\n"
                           "  birdhouse app list [--json]\n  birdhouse app remove NAME\n",
                           argc, argv);
}
