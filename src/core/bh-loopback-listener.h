/* bh-loopback-listener.h
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

#include "bh-secret.h"

G_BEGIN_DECLS

#define BH_TYPE_LOOPBACK_LISTENER (bh_loopback_listener_get_type ())

G_DECLARE_FINAL_TYPE (BhLoopbackListener, bh_loopback_listener, BH, LOOPBACK_LISTENER, GObject)

BhLoopbackListener *bh_loopback_listener_new         (guint16              port,
                                                      const char          *path,
                                                      GError             **error);
guint16             bh_loopback_listener_get_port    (BhLoopbackListener  *self);
void                bh_loopback_listener_wait_async  (BhLoopbackListener  *self,
                                                      const char          *state,
                                                      guint                timeout_seconds,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
BhSecret           *bh_loopback_listener_wait_finish (BhLoopbackListener  *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
