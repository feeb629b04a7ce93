/* bh-revoke-flow.h
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

#include "bh-flow.h"

G_BEGIN_DECLS

#define BH_TYPE_REVOKE_FLOW (bh_revoke_flow_get_type ())
G_DECLARE_FINAL_TYPE (BhRevokeFlow, bh_revoke_flow, BH, REVOKE_FLOW, BhFlow)

BhRevokeFlow *bh_revoke_flow_new                 (BhStore      *store,
                                                  BhAccount    *account);
BhRevokeFlow *bh_revoke_flow_new_for_rotation    (BhStore      *store,
                                                  BhAccount    *account);
BhRevokeFlow *bh_revoke_flow_new_for_grant_rotation (BhStore   *store,
                                                     BhAccount *account);
gboolean      bh_revoke_flow_get_already_invalid (BhRevokeFlow *self);

G_END_DECLS
