/* bh-account-row.h
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

#include <adwaita.h>

#include "bh-account.h"

G_BEGIN_DECLS

#define BH_TYPE_ACCOUNT_ROW (bh_account_row_get_type ())
G_DECLARE_FINAL_TYPE (BhAccountRow, bh_account_row, BH, ACCOUNT_ROW, AdwActionRow)

/* A row of the App page's account list: avatar, @screen name, name and
 * when it was last verified, access level and trouble badges. It follows
 * its account (property "account"). */
GtkWidget *bh_account_row_new             (BhAccount    *account);
BhAccount *bh_account_row_get_account     (BhAccountRow *self);
void       bh_account_row_set_account     (BhAccountRow *self,
                                           BhAccount    *account);
/* "Verified 3 minutes ago" goes stale with no change to the account. */
void       bh_account_row_refresh_verified (BhAccountRow *self);

G_END_DECLS
