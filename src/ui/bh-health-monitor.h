/* bh-health-monitor.h
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

#include <gio/gio.h>

#include "bh-types.h"

G_BEGIN_DECLS

#define BH_TYPE_HEALTH_MONITOR (bh_health_monitor_get_type ())
G_DECLARE_FINAL_TYPE (BhHealthMonitor, bh_health_monitor, BH, HEALTH_MONITOR, GObject)

/* The window's side of the health check: runs it when the window opens
 * and then on the schedule of the "health-check-interval" setting, and
 * tells the desktop (a GNotification of @application) about each
 * credential that became unhealthy. Property "running"; signal
 * "checked" after each run. */
BhHealthMonitor *bh_health_monitor_new         (GApplication    *application,
                                                BhStore         *store,
                                                GSettings       *settings);
void             bh_health_monitor_start       (BhHealthMonitor *self);
void             bh_health_monitor_stop        (BhHealthMonitor *self);
void             bh_health_monitor_check_now   (BhHealthMonitor *self);
gboolean         bh_health_monitor_get_running (BhHealthMonitor *self);

G_END_DECLS
