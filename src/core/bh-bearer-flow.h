/* bh-bearer-flow.h
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

typedef enum
{
  BH_BEARER_FLOW_GENERATE,    /* oauth2/token, then store it */
  BH_BEARER_FLOW_INVALIDATE,  /* oauth2/invalidate_token, then remove it */
  BH_BEARER_FLOW_ROTATE,      /* oauth2/invalidate_token, oauth2/token, then replace it */
} BhBearerFlowMode;

#define BH_TYPE_BEARER_FLOW (bh_bearer_flow_get_type ())
G_DECLARE_FINAL_TYPE (BhBearerFlow, bh_bearer_flow, BH, BEARER_FLOW, BhFlow)

BhBearerFlow *bh_bearer_flow_new                 (BhStore          *store,
                                                  BhApp            *app,
                                                  BhBearerFlowMode  mode);
const char   *bh_bearer_flow_get_token           (BhBearerFlow     *self);
gboolean      bh_bearer_flow_get_already_invalid (BhBearerFlow     *self);
gboolean      bh_bearer_flow_get_invalidated     (BhBearerFlow     *self);

G_END_DECLS
