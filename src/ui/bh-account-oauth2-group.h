/* bh-account-oauth2-group.h
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

#include "bh-store.h"

G_BEGIN_DECLS

/* The "Authorization" group of the account details: the method, the
 * OAuth 2.0 scopes and when the access token is renewed, and Copy of
 * that token (refreshed first when it is about to expire). Authorize
 * Again is the details' own, beside the account's state. */
#define BH_TYPE_ACCOUNT_OAUTH2_GROUP (bh_account_oauth2_group_get_type ())
G_DECLARE_FINAL_TYPE (BhAccountOAuth2Group, bh_account_oauth2_group, BH, ACCOUNT_OAUTH2_GROUP, AdwPreferencesGroup)

void bh_account_oauth2_group_set_account (BhAccountOAuth2Group *self,
                                          BhStore              *store,
                                          BhAccount            *account);
/* TRUE while a Copy is in flight. */
gboolean bh_account_oauth2_group_get_busy (BhAccountOAuth2Group *self);

G_END_DECLS
