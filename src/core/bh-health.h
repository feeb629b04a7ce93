/* bh-health.h
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

#include "bh-health-record.h"
#include "bh-types.h"

G_BEGIN_DECLS


/**
 * BhHealthResult:
 * @kind: which credential
 * @app: its App
 * @account: (nullable): its account (ACCOUNT, GRANT)
 * @state: what this check found
 * @previous: the verdict before this check (BH_HEALTH_UNKNOWN when none)
 * @became_unhealthy: X's answer is a failure and the previous verdict
 *   was not that failure: the one time to tell the person
 * @asked: whether X was asked this time (FALSE when the credential was
 *   left alone to keep its rate-limit reserve, or could not be asked)
 * @retry_at: when RATE_LIMITED, X's reset time (seconds since the epoch)
 * @message: (nullable): a sentence saying what is wrong and what to do;
 *   never a secret
 */
typedef struct
{
  BhCredentialKind  kind;
  BhApp            *app;
  BhAccount        *account;
  BhHealthState     state;
  BhHealthState     previous;
  gboolean          became_unhealthy;
  gboolean          asked;
  gint64            retry_at;
  char             *message;
} BhHealthResult;

void bh_health_result_free (BhHealthResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhHealthResult, bh_health_result_free)

/* Requests of a rate-limit window the check leaves to the person's own
 * scripts: when X says no more than this many remain, the credential is
 * not asked again before the window's reset. */
#define BH_HEALTH_RESERVE 2

#define BH_TYPE_HEALTH_CHECK (bh_health_check_get_type ())
G_DECLARE_FINAL_TYPE (BhHealthCheck, bh_health_check, BH, HEALTH_CHECK, GObject)

BhHealthCheck *bh_health_check_new        (BhStore             *store,
                                           BhHealthChecker      checker);
void           bh_health_check_set_app    (BhHealthCheck       *self,
                                           BhApp               *app);
void           bh_health_check_run_async  (BhHealthCheck       *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray     *bh_health_check_run_finish (BhHealthCheck       *self,
                                           GAsyncResult        *result,
                                           GError             **error);

gboolean       bh_app_needs_attention        (BhApp                *app);
gboolean       bh_health_result_is_reserved  (const BhHealthResult *result);
gboolean       bh_health_results_all_healthy (GPtrArray            *results);
const char    *bh_credential_kind_to_string  (BhCredentialKind kind);

G_END_DECLS
