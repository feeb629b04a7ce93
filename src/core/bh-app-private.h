/* bh-app-private.h
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

#include "bh-app.h"

G_BEGIN_DECLS

void _bh_app_add_account    (BhApp     *self,
                             BhAccount *account);
void _bh_app_remove_account (BhApp     *self,
                             BhAccount *account);

/* bh-app-accounts.c, for bh-app.c's dispose */
void _bh_app_release_accounts (BhApp      *self,
                               GListStore *accounts);

G_END_DECLS
