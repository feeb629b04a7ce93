/* bh-startup-probe.h
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

#include <gtk/gtk.h>

#include "bh-store.h"

G_BEGIN_DECLS

/* A debug facility for tests/bench-startup, on when BH_STARTUP_PROBE is
 * set in the environment (README, "Develop"): prints on stdout
 *
 *   BH_STARTUP_PROBE mapped=<µs>                     the first frame is painted
 *   BH_STARTUP_PROBE listed=<µs> apps=<n> accounts=<n>  the records are listed
 *
 * with g_get_monotonic_time() stamps. Nothing is watched otherwise. */
gboolean bh_startup_probe_enabled (void);
void     bh_startup_probe_watch   (GtkWindow *window,
                                   BhStore   *store);

G_END_DECLS
