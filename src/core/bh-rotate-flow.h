/* bh-rotate-flow.h
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

/**
 * BhRotateCheckResult:
 * @BH_ROTATE_CHECK_OK: X accepts it with the new secret
 * @BH_ROTATE_CHECK_RENEWED: X had invalidated it; a new one is stored
 * @BH_ROTATE_CHECK_NEEDS_REAUTH: X refuses the account's tokens: authorize it again
 * @BH_ROTATE_CHECK_FAILED: it could not be checked (the network, X, the keyring)
 * @BH_ROTATE_CHECK_SKIPPED: not checked (the rotation was cancelled after the
 *   secret was stored, or the account has no tokens in the keyring)
 */
typedef enum
{
  BH_ROTATE_CHECK_OK,
  BH_ROTATE_CHECK_RENEWED,
  BH_ROTATE_CHECK_NEEDS_REAUTH,
  BH_ROTATE_CHECK_FAILED,
  BH_ROTATE_CHECK_SKIPPED,
} BhRotateCheckResult;

/**
 * BhRotateCheck:
 * @kind: %BH_CREDENTIAL_KIND_BEARER_TOKEN, %BH_CREDENTIAL_KIND_ACCOUNT_TOKENS
 *   or %BH_CREDENTIAL_KIND_OAUTH2_GRANT
 * @account: (nullable): the account, for ACCOUNT_TOKENS and OAUTH2_GRANT
 * @result: what the check found
 * @message: (nullable): why, when FAILED or NEEDS_REAUTH (no secret in it)
 *
 * What still works after the App's secret was replaced.
 */
typedef struct
{
  BhCredentialKind     kind;
  BhAccount           *account;
  BhRotateCheckResult  result;
  char                *message;
} BhRotateCheck;

BhRotateCheck *bh_rotate_check_new  (BhCredentialKind     kind,
                                     BhAccount           *account,
                                     BhRotateCheckResult  result,
                                     const char          *message);
void           bh_rotate_check_free (BhRotateCheck       *check);

#define BH_TYPE_ROTATE_FLOW (bh_rotate_flow_get_type ())
G_DECLARE_FINAL_TYPE (BhRotateFlow, bh_rotate_flow, BH, ROTATE_FLOW, BhFlow)

BhRotateFlow *bh_rotate_flow_new        (BhStore      *store,
                                         BhApp        *app,
                                         const char   *consumer_key,
                                         const char   *consumer_secret);
GPtrArray    *bh_rotate_flow_get_checks (BhRotateFlow *self);
gboolean      bh_rotate_flow_get_stored (BhRotateFlow *self);

G_END_DECLS
