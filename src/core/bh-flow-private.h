/* bh-flow-private.h
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
#include "bh-secret.h"
#include "bh-x-client.h"

G_BEGIN_DECLS

/* The secrets a run signs with; each one is wiped when freed. */
typedef struct
{
  BhSecret *consumer_secret;
  BhSecret *token;
  BhSecret *token_secret;
} BhFlowCredentials;

/* A step of a run: takes over @task and passes it on or completes it. */
typedef void (*BhFlowStep) (GTask *task);

void               _bh_flow_credentials_free          (BhFlowCredentials       *credentials);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhFlowCredentials, _bh_flow_credentials_free)

void               _bh_flow_set_state                 (BhFlow                  *self,
                                                       BhFlowState              state);
void               _bh_flow_set_error                 (BhFlow                  *self,
                                                       const GError            *error);
void               _bh_flow_park                      (BhFlow                  *self,
                                                       GTask                   *task,
                                                       BhFlowState              state);
GTask             *_bh_flow_get_parked                (BhFlow                  *self);
GTask             *_bh_flow_unpark                    (BhFlow                  *self);
void               _bh_flow_retry_or_fail             (GTask                   *task,
                                                       GError                  *error,
                                                       BhFlowStep               step);
void               _bh_flow_user_auth                 (BhFlow                  *self,
                                                       const BhFlowCredentials *credentials,
                                                       BhAuth                  *auth);
/* Records why the browser could not be opened (NULL: clear it). */
typedef void (*BhFlowBrowserErrorFunc) (BhFlow       *self,
                                        const GError *error);
void               _bh_flow_set_browser_error         (BhFlow                  *self,
                                                       GError                 **field,
                                                       const GError            *error,
                                                       GParamSpec              *pspec);
gboolean           _bh_flow_set_str                   (char                   **field,
                                                       const char              *value);
void               _bh_flow_launch_browser            (BhFlow                  *self,
                                                       const char              *url,
                                                       BhFlowBrowserErrorFunc   set_error);
void               _bh_flow_apply_identity            (BhAccount               *account,
                                                       const BhXIdentity       *identity);

void               _bh_flow_lookup_credentials_async  (BhFlow                  *self,
                                                       BhAccount               *account,
                                                       GAsyncReadyCallback      callback,
                                                       gpointer                 user_data);
BhFlowCredentials *_bh_flow_lookup_credentials_finish (BhFlow                  *self,
                                                       GAsyncResult            *result,
                                                       GError                 **error);

void               _bh_flow_verify_async              (BhFlow                  *self,
                                                       const BhFlowCredentials *credentials,
                                                       GAsyncReadyCallback      callback,
                                                       gpointer                 user_data);
BhXIdentity       *_bh_flow_verify_finish             (BhFlow                  *self,
                                                       GAsyncResult            *result,
                                                       GError                 **error);

void               _bh_flow_add_account_async         (BhFlow                  *self,
                                                       const BhFlowCredentials *credentials,
                                                       BhAccount               *renews,
                                                       GAsyncReadyCallback      callback,
                                                       gpointer                 user_data);
BhAccount         *_bh_flow_add_account_finish        (BhFlow                  *self,
                                                       GAsyncResult            *result,
                                                       GError                 **error);

void               _bh_flow_store_account_async       (BhFlow                  *self,
                                                       const BhXIdentity       *identity,
                                                       const BhFlowCredentials *credentials,
                                                       const BhOAuth2Grant     *grant,
                                                       gboolean                 rotated,
                                                       GAsyncReadyCallback      callback,
                                                       gpointer                 user_data);
BhAccount         *_bh_flow_store_account_finish      (BhFlow                  *self,
                                                       GAsyncResult            *result,
                                                       GError                 **error);

void               _bh_flow_record_rotation           (GTask                   *task,
                                                       BhCredentialKind         kind,
                                                       BhFlowStep               next);

gboolean           _bh_flow_check_renewal             (BhAccount               *renews,
                                                       const BhXIdentity       *identity,
                                                       GError                 **error);

G_END_DECLS
