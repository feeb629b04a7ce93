/* bh-keyring-gate.h
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

G_BEGIN_DECLS

/**
 * BhKeyringGateFunc:
 * @task: the task given to bh_keyring_gate_run()
 *
 * Starts the keyring work of @task. The gate is held until @task has
 * returned its result and run its callback.
 */
typedef void (*BhKeyringGateFunc) (GTask *task);

void     bh_keyring_gate_run             (GTask             *task,
                                          BhKeyringGateFunc  start);

gboolean bh_keyring_gate_is_file_backend (void);

char    *bh_keyring_gate_get_file_path   (void);

G_END_DECLS
