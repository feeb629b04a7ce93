/* main.c
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
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "bh-cli.h"
#include "bh-process.h"

/* `birdhouse` is the one command users and the Flatpak run, and the
 * smallest of Birdhouse's three programs:
 *
 *  - without a subcommand it becomes the window, birdhouse-window, the only
 *    program that loads GTK and libadwaita;
 *  - `birdhouse sign`, which scripts run once per request, it runs itself,
 *    with GLib, GnuTLS, libsecret and json-glib only;
 *  - any other subcommand it hands to birdhouse-cli, which also loads
 *    libsoup to talk to X (bh-cli-lean.c). */
int
main (int    argc,
      char **argv)
{
  g_autofree char *window = NULL;

  bh_process_start ();

  if (bh_cli_wants_terminal (argc, argv))
    return bh_cli_lean_main (argc, argv);

  window = bh_process_find_program ("birdhouse-window");
  argv[0] = window;
  bh_process_restore_for_child ();
  execv (window, argv);

  /* Translators: the first %s is the path of the window program, the
   * second why it could not be started. */
  g_printerr (_("birdhouse: the window could not be started (%s: %s).\n"), window, g_strerror (errno));
  return 1;
}
