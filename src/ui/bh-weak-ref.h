/* bh-weak-ref.h
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

#include <glib-object.h>

G_BEGIN_DECLS

/* Callbacks of work in flight hold a dialog weakly: a strong reference
 * would keep a closed dialog from being disposed, and disposing is what
 * cancels the work. bh_weak_ref_new() makes the heap-allocated reference
 * to pass as user data; bh_weak_ref_steal() frees it and returns a new
 * strong reference to the object, or %NULL when it is gone. */
GWeakRef *bh_weak_ref_new   (gpointer  object);
gpointer  bh_weak_ref_steal (GWeakRef *ref);

G_END_DECLS
