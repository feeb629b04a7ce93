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
#include <locale.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "bh-cli.h"
#include "bh-process.h"

#define WINDOW_PROGRAM "birdhouse-window"

/* The window's program: beside this one in a build tree, else where it is
 * installed. Looking beside the running executable (not PATH, not the
 * working directory) trusts nothing this program does not already. */
static char *
find_window_program (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *beside = g_build_filename (dir, WINDOW_PROGRAM, NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
    }

  return g_build_filename (LIBEXECDIR, WINDOW_PROGRAM, NULL);
}

/* `birdhouse` is the one command users and the Flatpak run. With a
 * subcommand it works in the terminal and links only GLib, libsoup,
 * GnuTLS, libsecret and json-glib; without one it becomes the window,
 * whose program alone loads GTK and libadwaita. */
int
main (int    argc,
      char **argv)
{
  g_autofree char *window = NULL;

  bh_process_keep_memory_private ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (bh_cli_wants_terminal (argc, argv))
    return bh_cli_main (argc, argv);

  window = find_window_program ();
  argv[0] = window;
  execv (window, argv);

  /* Translators: the first %s is the path of the window program, the
   * second why it could not be started. */
  g_printerr (_("birdhouse: the window could not be started (%s: %s).\n"), window, g_strerror (errno));
  return 1;
}
