/* window-main.c: birdhouse-window, the GUI that `birdhouse` runs
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

#include "bh-application.h"
#include "bh-process.h"

/* Only this program links GTK and libadwaita, so that `birdhouse
 * SUBCOMMAND` loads no more than a script needs. */
int
main (int    argc,
      char **argv)
{
  g_autoptr(BhApplication) app = NULL;

  bh_process_start ();

  g_set_prgname ("birdhouse");
  g_set_application_name (_("Birdhouse"));
  app = bh_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
