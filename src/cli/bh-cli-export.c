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

/**
 * _bh_cli_lookup_credentials:
 * @target: the App and, when one was named, the account
 * @credentials: (out caller-allocates): filled, to clear with
 *   _bh_cli_credentials_clear()
 * @error: return location for a #GError
 *
 * Reads from the keyring everything `export` and `exec` hand to a script
 * for @target: the App's secret, the account's tokens, the App's bearer
 * token when it has one.
 */
gboolean
_bh_cli_lookup_credentials (BhCliTarget     *target,
                            BhCliCredentials *credentials,
                            GError         **error)
{
  BhApp *app = target->app;

  memset (credentials, 0, sizeof *credentials);

  credentials->consumer_secret = _bh_cli_lookup_consumer_secret (target->store, app, error);
  if (credentials->consumer_secret == NULL)
    return FALSE;

  if (target->account != NULL &&
      !_bh_cli_lookup_tokens (target->store, target->account,
                              &credentials->token, &credentials->token_secret, error))
    {
      _bh_cli_credentials_clear (credentials);
      return FALSE;
    }

  if (bh_app_get_has_bearer (app))
    {
      credentials->bearer = _bh_cli_lookup_bearer (target->store, app, error);
      if (credentials->bearer == NULL)
        {
          _bh_cli_credentials_clear (credentials);
          return FALSE;
        }
    }

  credentials->values.consumer_key = bh_app_get_consumer_key (app);
  credentials->values.consumer_secret = credentials->consumer_secret;
  credentials->values.token = credentials->token;
  credentials->values.token_secret = credentials->token_secret;
  credentials->values.bearer = credentials->bearer;
  credentials->values.api_host = bh_app_get_api_host (app);

  return TRUE;
}

void
_bh_cli_credentials_clear (BhCliCredentials *credentials)
{
  bh_secret_clear (&credentials->consumer_secret);
  bh_secret_clear (&credentials->token);
  bh_secret_clear (&credentials->token_secret);
  bh_secret_clear (&credentials->bearer);
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
                                      "when the App has one, and X_API_HOST. They are secrets: keep the\n"
                                      "output out of files others can read and out of version control."),
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
