/* bh-cli-export.c
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

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "bh-cli-private.h"
#include "bh-export.h"
#include "bh-store.h"

/* `birdhouse export APP [SCREEN_NAME]`: the credentials a script needs,
 * under the names and in the formats of bh-export.c, which the window
 * uses too. Printing secrets is what this subcommand is for; every copy
 * made on the way is wiped. */

int
_bh_cli_export (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(BhSecret) out = NULL;
  g_autoptr(BhSecret) consumer_secret = NULL;
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) token_secret = NULL;
  g_autoptr(BhSecret) bearer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_auto(BhExportOAuth2) oauth2 = { NULL, NULL };
  g_autofree char *format_name = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      N_("env (shell “export” lines, the default), dotenv (a .env file) or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  BhExportFormat format = BH_EXPORT_FORMAT_ENV;
  BhExportCredentials credentials = { 0 };
  BhApp *app;
  int status;

  context = _bh_cli_option_context ("export", _("APP [SCREEN_NAME]"),
                                    _("Print the credentials a script needs: X_API_KEY, X_API_SECRET,\n"
                                      "with SCREEN_NAME X_ACCESS_TOKEN and X_ACCESS_TOKEN_SECRET, X_BEARER_TOKEN\n"
                                      "when the App has one, X_CLIENT_ID and X_CLIENT_SECRET for OAuth 2.0,\n"
                                      "with SCREEN_NAME X_OAUTH2_ACCESS_TOKEN (refreshed when needed), and\n"
                                      "X_API_HOST. They are secrets: keep the output out of files others can\n"
                                      "read and out of version control."),
                                    "eval \"$(birdhouse export MyBot alice)\"",
                                    entries);
  status = _bh_cli_parse (context, "export", 1, 2, _("Give the App’s name."),
                          &argc, &argv);
  if (status >= 0)
    return status;
  if (format_name != NULL && !bh_export_format_from_string (format_name, &format))
    /* Translators: %s is the format given with --format */
    return _bh_cli_usage ("export", _("Unknown format “%s”: use env, dotenv or json."), format_name);

  if (!_bh_cli_open_target (argv[1], argc == 3 ? argv[2] : NULL, &target, &error))
    return _bh_cli_fail_error (error);
  app = target.app;

  if (bh_app_get_consumer_key (app) != NULL &&
      (consumer_secret = _bh_cli_lookup_consumer_secret (target.store, app, &error)) == NULL)
    return _bh_cli_fail_error (error);

  if (target.account != NULL && bh_account_has_credentials (target.account, BH_ACCOUNT_CREDENTIALS_OAUTH1) &&
      !_bh_cli_lookup_tokens (target.store, target.account, &token, &token_secret, &error))
    return _bh_cli_fail_error (error);

  bh_export_lookup_oauth2_async (target.store, app, target.account, NULL, _bh_cli_store_result, &result);
  if (!bh_export_lookup_oauth2_finish (target.store, _bh_cli_wait (&result), &oauth2, &error))
    return _bh_cli_fail_error (error);

  if (bh_app_get_has_bearer (app))
    {
      bearer = _bh_cli_lookup_bearer (target.store, app, &error);
      if (bearer == NULL)
        return _bh_cli_fail_error (error);
    }

  credentials.consumer_key = bh_app_get_consumer_key (app);
  credentials.consumer_secret = consumer_secret;
  credentials.token = token;
  credentials.token_secret = token_secret;
  credentials.bearer = bearer;
  credentials.api_host = bh_app_get_api_host (app);
  credentials.client_id = bh_app_get_client_id (app);
  credentials.client_secret = oauth2.client_secret;
  credentials.oauth2_access_token = oauth2.oauth2_access_token;

  values = bh_export_variables (&credentials, NULL);
  out = bh_export_format (values, format, &error);
  if (out == NULL)
    return _bh_cli_fail_error (error);

  fwrite (out, 1, strlen (out), stdout);
  fflush (stdout);

  return BH_CLI_EXIT_OK;
}
