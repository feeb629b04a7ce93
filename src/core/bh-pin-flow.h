/* bh-pin-flow.h
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

#define BH_TYPE_PIN_FLOW (bh_pin_flow_get_type ())
G_DECLARE_FINAL_TYPE (BhPinFlow, bh_pin_flow, BH, PIN_FLOW, BhFlow)

BhPinFlow    *bh_pin_flow_new               (BhStore    *store,
                                             BhApp      *app);
BhPinFlow    *bh_pin_flow_new_renewal       (BhStore    *store,
                                             BhAccount  *account);
BhAccount    *bh_pin_flow_get_renews        (BhPinFlow  *self);
const char   *bh_pin_flow_get_authorize_url (BhPinFlow  *self);
const GError *bh_pin_flow_get_browser_error (BhPinFlow  *self);
BhAccount    *bh_pin_flow_get_account       (BhPinFlow  *self);
gboolean      bh_pin_flow_submit_pin        (BhPinFlow  *self,
                                             const char *pin);
void          bh_pin_flow_open_browser      (BhPinFlow  *self);
gboolean      bh_pin_is_plausible           (const char *pin);

G_END_DECLS
