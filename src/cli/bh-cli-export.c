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
#include "bh-account.h"
#include "bh-app.h"
#include "bh-store.h"

/* `birdhouse export APP [SCREEN_NAME]`: the credentials a script needs,
 * under the names and in the formats of bh-export.c, which the window
 * uses too. Printing secrets is what this subcommand is for; every copy
 * made on the way is wiped. */

/**
 * _bh_cli_lookup_credentials:
 * @target: the App and, when one was named, the account
 * @credentials: (out caller-allocates): filled, to clear with
 *   _bh_cli_credentials_clear()
 * @error: return location for a #GError
 *
 * Reads from the keyring everything `export` and `exec` hand to a script
 * for @target: the App's API key secret (when it has an API key), the
 * account's OAuth 1.0a tokens (when it has them), the App's Client Secret
 * and the account's OAuth 2.0 access token, refreshed first when needed
 * (bh_export_lookup_oauth2_async()), the App's bearer token when it has
 * one.
 */
gboolean
_bh_cli_lookup_credentials (BhCliTarget      *target,
                            BhCliCredentials *credentials,
                            GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  BhApp *app = target->app;

  memset (credentials, 0, sizeof *credentials);

  if (bh_app_get_consumer_key (app) != NULL &&
      (credentials->consumer_secret = _bh_cli_lookup_consumer_secret (target->store, app, error)) == NULL)
    goto fail;

  if (target->account != NULL &&
      bh_account_has_credentials (target->account, BH_ACCOUNT_CREDENTIALS_OAUTH1) &&
      !_bh_cli_lookup_tokens (target->store, target->account,
                              &credentials->token, &credentials->token_secret, error))
    goto fail;

  bh_export_lookup_oauth2_async (target->store, app, target->account, NULL, _bh_cli_store_result, &result);
  if (!bh_export_lookup_oauth2_finish (target->store, _bh_cli_wait (&result), &credentials->oauth2, error))
    goto fail;

  if (bh_app_get_has_bearer (app) &&
      (credentials->bearer = _bh_cli_lookup_bearer (target->store, app, error)) == NULL)
    goto fail;

  credentials->values.consumer_key = bh_app_get_consumer_key (app);
  credentials->values.consumer_secret = credentials->consumer_secret;
  credentials->values.token = credentials->token;
  credentials->values.token_secret = credentials->token_secret;
  credentials->values.bearer = credentials->bearer;
  credentials->values.api_host = bh_app_get_api_host (app);
  credentials->values.client_id = bh_app_get_client_id (app);
  credentials->values.client_secret = credentials->oauth2.client_secret;
  credentials->values.oauth2_access_token = credentials->oauth2.oauth2_access_token;

  return TRUE;

fail:
  _bh_cli_credentials_clear (credentials);
  return FALSE;
}

void
_bh_cli_credentials_clear (BhCliCredentials *credentials)
{
  bh_secret_clear (&credentials->consumer_secret);
  bh_secret_clear (&credentials->token);
  bh_secret_clear (&credentials->token_secret);
  bh_secret_clear (&credentials->bearer);
  bh_export_oauth2_clear (&credentials->oauth2);
  memset (&credentials->values, 0, sizeof credentials->values);
}

int
_bh_cli_export (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(BhSecret) out = NULL;
  g_auto(BhCliCredentials) credentials = { 0 };
  g_autofree char *format_name = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      N_("env (shell “export” lines, the default), dotenv (a .env file) or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  BhExportFormat format = BH_EXPORT_FORMAT_ENV;
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
  if (!_bh_cli_lookup_credentials (&target, &credentials, &error))
    return _bh_cli_fail_error (error);

  values = bh_export_variables (&credentials.values, NULL);
  out = bh_export_format (values, format, &error);
  if (out == NULL)
    return _bh_cli_fail_error (error);

  fwrite (out, 1, strlen (out), stdout);
  fflush (stdout);

  return BH_CLI_EXIT_OK;
}
