/* bh-a11y.h
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

G_BEGIN_DECLS

/* Names, for screen readers, the icon buttons under @root that have a
 * tooltip, after their tooltip (and keeps the name following it). For
 * buttons our templates cannot reach: libadwaita 1.2's AdwPasswordEntryRow
 * shows its "Show Text" button with a tooltip only, and GTK 4.8 reads it
 * as "GtkImage". */
void bh_a11y_name_buttons_by_tooltip (GtkWidget *root);

G_END_DECLS
