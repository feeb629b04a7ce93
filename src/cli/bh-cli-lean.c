/* bh-cli-lean.c
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

#include <errno.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "bh-cli.h"
#include "bh-cli-private.h"
#include "bh-process.h"

/* What `birdhouse SUBCOMMAND` runs itself: `sign`, which scripts call once
 * per request and which needs no network, and the overview. This process
 * links no network library (no libsoup and what it brings: Kerberos,
 * SQLite, HTTP/2, Brotli, the public suffix list), which is a quarter of
 * what a `sign` costs (bench-cli). Every other subcommand, and a `sign`
 * that turns out to need an OAuth 2.0 token (a refresh talks to X), is
 * handed to birdhouse-cli with the command line as it was given. */

#define CLI_PROGRAM "birdhouse-cli"

/* The command line as given, before option parsing rearranged it. */
static char **given_argv;

/* Executes birdhouse-cli with the command line as given; returns only
 * when it could not be started, with @error saying why. */
static void
exec_cli (GError **error)
{
  g_autofree char *program = bh_process_find_program (CLI_PROGRAM);
  int saved_errno;

  g_free (given_argv[0]);
  given_argv[0] = g_strdup (program);
  /* birdhouse-cli keeps its memory private again itself. */
  bh_process_restore_for_child ();
  execv (program, given_argv);
  saved_errno = errno;

  bh_process_keep_memory_private ();
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               /* Translators: the first %s is the path of the program that
                * runs the subcommands, the second why it could not be started. */
               _("The command line program could not be started (%s: %s)."),
               program, g_strerror (saved_errno));
}

static int
hand_over (int    argc,
           char **argv)
{
  g_autoptr(GError) error = NULL;

  exec_cli (&error);
  return _bh_cli_fail_error (error);
}

BhSecret *
_bh_cli_lookup_oauth2_token (BhStore    *store,
                             BhAccount  *account,
                             GError    **error)
{
  exec_cli (error);
  return NULL;
}

static BhCliCommandFunc
find_command (const char *name)
{
  return g_str_equal (name, "sign") ? _bh_cli_sign : hand_over;
}

int
bh_cli_lean_main (int    argc,
                  char **argv)
{
  given_argv = g_strdupv (argv);

  return _bh_cli_main (argc, argv, find_command);
}
