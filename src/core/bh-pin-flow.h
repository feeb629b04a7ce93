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

/**
 * bh_pin_flow_new:
 *
 * The OAuth 1.0a PIN flow: request token → authorize URL in the system
 * browser → WAITING_FOR_PIN → bh_pin_flow_submit_pin() → access token →
 * verify_credentials → stored account. Options as properties, set before
 * running: "read-only", "force-login", "screen-name", "open-browser"
 * (default TRUE). Read-only properties: "authorize-url" (set on entering
 * WAITING_FOR_PIN), "browser-error" (GError boxed: the browser could not
 * be opened; the URL is still there to copy), "account" (the stored
 * BhAccount once DONE).
 *
 * A refused PIN sets "error" (BH_X_ERROR_INVALID_PIN) and goes back to
 * WAITING_FOR_PIN so another PIN can be submitted; when X has dropped the
 * request token the flow starts over with a new one (and opens the browser
 * again).
 */
BhPinFlow   *bh_pin_flow_new                (BhStore    *store,
                                             BhApp      *app);
const char  *bh_pin_flow_get_authorize_url  (BhPinFlow  *self);
const GError *bh_pin_flow_get_browser_error (BhPinFlow  *self);
BhAccount   *bh_pin_flow_get_account        (BhPinFlow  *self);
/* Spaces are trimmed. Only valid in WAITING_FOR_PIN; returns FALSE (and
 * does nothing) otherwise or when the PIN is not plausible (digits only). */
gboolean     bh_pin_flow_submit_pin         (BhPinFlow  *self,
                                             const char *pin);
/* Opens the authorize URL in the browser again. */
void         bh_pin_flow_open_browser       (BhPinFlow  *self);
/* Digits only after trimming spaces, 4 to 12 of them. */
gboolean     bh_pin_is_plausible            (const char *pin);

G_END_DECLS
