/* bh-cli.c
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

#include "bh-cli.h"
#include "bh-cli-private.h"

/* `birdhouse SUBCOMMAND`: the same core as the window, for scripts and
 * terminals. Inside Flatpak this is the only way a script reaches the
 * secrets in the app's own keyring, so everything a script needs is here.
 * GTK is never initialised: this runs without a display.
 *
 * This file is shared by the two programs that run subcommands: birdhouse
 * (bh-cli-lean.c) and birdhouse-cli (bh-cli-commands.c). It knows every
 * subcommand by name, for the overview, but runs none itself. */

typedef struct
{
  const char *name;
  const char *synopsis;
  const char *summary;
} Command;

static const Command commands[] = {
  { "app", "app add|list|remove ...",
    N_("Register, list and remove developer Apps") },
  { "authorize", "authorize APP [--oauth2]",
    N_("Authorize an account with the PIN flow, or with OAuth 2.0") },
  { "token", "token APP SCREEN_NAME",
    N_("Print a valid OAuth 2.0 access token, refreshed when needed") },
  { "account", "account add|list|verify|revoke|remove ...",
    N_("Add existing tokens, list, verify, revoke and remove accounts") },
  { "bearer", "bearer APP",
    N_("Print (and make when needed) or invalidate the App’s bearer token") },
  { "rotate", "rotate bearer|account|app-secret ...",
    N_("Replace a bearer token, an account’s tokens or the API key secret") },
  { "export", "export APP [SCREEN_NAME]",
    N_("Print the credentials a script needs as shell variables, .env or JSON") },
  { "exec", "exec APP [SCREEN_NAME] -- COMMAND",
    N_("Run a command with the credentials in its environment only") },
  { "import", "import twurl|xurl [FILE]",
    N_("Move twurl’s or xurl’s credentials into the keyring") },
  { "sign", "sign URL",
    N_("Print the OAuth 1.0a Authorization header for a request") },
  { "request", "request URL",
    N_("Send a signed request and print the response") },
  { "check", "check [APP]",
    N_("Ask X whether every credential still works") },
};

gboolean
bh_cli_wants_terminal (int    argc,
                       char **argv)
{
  if (argc < 2)
    return FALSE;

  /* GApplication's own options (--gapplication-service…) go to the GUI;
   * plain --help lists the subcommands, which is what people look for. */
  return argv[1][0] != '-' || g_strcmp0 (argv[1], "--help") == 0 ||
         g_strcmp0 (argv[1], "-h") == 0;
}

static void
print_overview (void)
{
  g_print ("%s\n  birdhouse\n  birdhouse %s\n\n", _("Usage:"), _("SUBCOMMAND [OPTION…]"));
  g_print ("%s\n\n", _("Without a subcommand, Birdhouse opens its window. With one, it works in\n"
                       "the terminal, never opens a window, and uses the same keyring. Secrets\n"
                       "are read from standard input, one per line, never from the command line."));
  g_print ("%s\n", _("Subcommands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-42s %s\n", commands[i].synopsis, _(commands[i].summary));
  g_print ("\n%s\n", _("“birdhouse SUBCOMMAND --help” describes each one. Exit status: 0 on\n"
                       "success, 1 on failure (one line on standard error), 2 on a usage error."));
}

/* Runs argv[1] with the function @find gives for its name. */
int
_bh_cli_main (int                argc,
              char             **argv,
              BhCliCommandFunc (*find) (const char *name))
{
  /* Standard output is for what scripts read (a header, a token, JSON):
   * debug and info messages (G_MESSAGES_DEBUG) go to standard error. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2 || _bh_cli_is_help (argv[1]))
    {
      print_overview ();
      return BH_CLI_EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        {
          /* Each subcommand parses argv[1..]: argv[0] is its own name. */
          return find (argv[1]) (argc - 1, argv + 1);
        }
    }

  /* Translators: %s is the word after “birdhouse” that names no subcommand */
  return _bh_cli_usage (NULL, _("Unknown subcommand “%s”."), argv[1]);
}
