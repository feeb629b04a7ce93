/* cli-main.c
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

#include <glib.h>

#include "bh-cli.h"
#include "bh-process.h"

/* birdhouse-cli: the subcommands `birdhouse` does not run itself (main.c).
 * It is started by `birdhouse` with the command line as the user gave it;
 * its messages name `birdhouse`, the command the user typed. */
int
main (int    argc,
      char **argv)
{
  bh_process_start ();
  g_set_prgname ("birdhouse");

  return bh_cli_main (argc, argv);
}
