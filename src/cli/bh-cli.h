/* bh-cli.h
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

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether argv asks for a subcommand (the terminal) rather than the GUI. */
gboolean bh_cli_wants_terminal (int    argc,
                                char **argv);
/* Runs `birdhouse SUBCOMMAND …`: 0 on success, 1 on failure, 2 on a usage
 * error. Never opens a window. bh_cli_main() (birdhouse-cli) runs every
 * subcommand; bh_cli_lean_main() (birdhouse) runs `sign` and the overview
 * itself and hands the rest to birdhouse-cli. */
int      bh_cli_main           (int    argc,
                                char **argv);
int      bh_cli_lean_main      (int    argc,
                                char **argv);

G_END_DECLS
