/* bh-oauth2-token.h
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
#include "bh-types.h"

G_BEGIN_DECLS

/* A token expiring within this many seconds is refreshed before use. */
#define BH_OAUTH2_REFRESH_MARGIN 60

void      bh_oauth2_token_async  (BhStore             *store,
                                  BhAccount           *account,
                                  gboolean             force_refresh,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
BhSecret *bh_oauth2_token_finish (BhStore             *store,
                                  GAsyncResult        *result,
                                  GError             **error);

char     *bh_oauth2_refresh_lock_path (BhAccount *account);
gboolean  bh_oauth2_check_client      (BhApp     *app,
                                       GError   **error);

G_END_DECLS
