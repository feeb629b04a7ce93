/* bh-oauth2-format.h
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

#include <glib.h>

#include "bh-account.h"

G_BEGIN_DECLS

/* How an account's credentials are shown, the same in its row and its
 * details: the method ("OAuth 1.0a", "OAuth 2.0", both), and when its
 * OAuth 2.0 access token is next renewed ("Renews in 1 hour 12
 * minutes"), or NULL when it has no grant or no known expiry. */
const char *bh_format_credentials (BhAccountCredentials credentials);
char       *bh_format_renewal     (BhAccount           *account,
                                   gint64               now);

G_END_DECLS
