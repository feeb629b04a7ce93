/* bh-cli-bearer.c
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

#include "bh-bearer-flow.h"
#include "bh-cli-private.h"
#include "bh-store.h"

/* `birdhouse bearer APP [--invalidate]`: the App's OAuth 2.0 bearer token
 * (app-only). Printing it is what this subcommand is for. */

int
_bh_cli_bearer (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(BhBearerFlow) flow = NULL;
  g_autoptr(BhSecret) bearer = NULL;
  gboolean invalidate = FALSE;
  const GOptionEntry entries[] = {
    { "invalidate", 0, 0, G_OPTION_ARG_NONE, &invalidate,
      N_("Invalidate the bearer token at X and remove it from the keyring"), NULL },
    G_OPTION_ENTRY_NULL
  };
  BhApp *app;
  int status;

  context = _bh_cli_option_context ("bearer", _("APP"),
                                    _("Print the App’s bearer token (app-only authentication), asking X for\n"
                                      "it and keeping it in the keyring when there is none yet. X gives the\n"
                                      "same token until it is invalidated."),
                                    "curl -H \"Authorization: Bearer $(birdhouse bearer MyBot)\" https://api.x.com/2/tweets/20",
                                    entries);
  status = _bh_cli_parse (context, "bearer", 1, 1, _("Give the App’s name."),
                          &argc, &argv);
  if (status >= 0)
    return status;

  if (!_bh_cli_open_target (argv[1], NULL, &target, &error))
    return _bh_cli_fail_error (error);
  app = target.app;

  if (invalidate)
    {
      if (!bh_app_get_has_bearer (app))
        /* Translators: %s is the name of the App */
        return _bh_cli_fail (_("The App “%s” has no bearer token to invalidate."), bh_app_get_name (app));

      flow = bh_bearer_flow_new (target.store, app, BH_BEARER_FLOW_INVALIDATE);
      if (!_bh_cli_run_flow (BH_FLOW (flow), &error))
        return _bh_cli_fail_error (error);

      if (bh_bearer_flow_get_already_invalid (flow))
        /* Translators: %s is the name of the App */
        g_print (_("X no longer knew the bearer token of “%s”; it was removed.\n"), bh_app_get_name (app));
      else
        /* Translators: %s is the name of the App */
        g_print (_("Invalidated the bearer token of “%s”.\n"), bh_app_get_name (app));

      return BH_CLI_EXIT_OK;
    }

  if (bh_app_get_has_bearer (app))
    {
      bearer = _bh_cli_lookup_bearer (target.store, app, &error);
      if (bearer == NULL)
        return _bh_cli_fail_error (error);
    }
  else
    {
      flow = bh_bearer_flow_new (target.store, app, BH_BEARER_FLOW_GENERATE);
      if (!_bh_cli_run_flow (BH_FLOW (flow), &error))
        return _bh_cli_fail_error (error);
      bearer = bh_secret_dup (bh_bearer_flow_get_token (flow));
    }

  _bh_cli_print_line (bearer);

  return BH_CLI_EXIT_OK;
}
