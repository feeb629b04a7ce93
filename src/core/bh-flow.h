/* bh-flow.h
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

#include "bh-types.h"

G_BEGIN_DECLS

/**
 * BhFlowState:
 *
 * Where a flow is. Not every flow passes through every state; a UI binds
 * to the "state" property.
 */
typedef enum
{
  BH_FLOW_STATE_IDLE,
  BH_FLOW_STATE_REQUESTING_TOKEN,  /* PIN: oauth/request_token */
  BH_FLOW_STATE_WAITING_FOR_PIN,   /* PIN: the browser is open, waiting for bh_pin_flow_submit_pin() */
  BH_FLOW_STATE_WAITING_FOR_BROWSER, /* OAuth 2.0: the browser is open, waiting for its redirect to the
                                      * loopback listener or bh_oauth2_flow_submit_redirect() */
  BH_FLOW_STATE_EXCHANGING,        /* PIN: oauth/access_token; bearer: oauth2/token; OAuth 2.0: 2/oauth2/token;
                                    * revoke: invalidate */
  BH_FLOW_STATE_VERIFYING,         /* verify_credentials */
  BH_FLOW_STATE_STORING,           /* writing to the keyring and the records */
  BH_FLOW_STATE_DONE,
  BH_FLOW_STATE_FAILED,
  BH_FLOW_STATE_CANCELLED,
} BhFlowState;

#define BH_TYPE_FLOW (bh_flow_get_type ())
G_DECLARE_DERIVABLE_TYPE (BhFlow, bh_flow, BH, FLOW, GObject)

struct _BhFlowClass
{
  GObjectClass parent_class;

  /* Does the work and completes @task (a GTask whose source object is the
   * flow and whose cancellable is the flow's) exactly once. The vfunc owns
   * the reference to @task; what the run keeps between its steps belongs
   * in @task's task data. */
  void (*run) (BhFlow *self,
               GTask  *task);

  gpointer padding[8];
};

BhStore       *bh_flow_get_store       (BhFlow              *self);
BhApp         *bh_flow_get_app         (BhFlow              *self);
BhXClient     *bh_flow_get_client      (BhFlow              *self);
BhFlowState    bh_flow_get_state       (BhFlow              *self);
const GError  *bh_flow_get_error       (BhFlow              *self);
GCancellable  *bh_flow_get_cancellable (BhFlow              *self);
gint64         bh_flow_get_clock_skew  (BhFlow              *self);
void           bh_flow_cancel          (BhFlow              *self);

void           bh_flow_run_async       (BhFlow              *self,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean       bh_flow_run_finish      (BhFlow              *self,
                                        GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
