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
#include "bh-x-client.h"

G_BEGIN_DECLS

/* Shared by the flows in src/core only. */

/* TRUE when @error is X refusing our timestamp (135) and the client has
 * adopted the server's clock: the caller should retry the failed step,
 * which is allowed once per run. Updates "clock-skew". */
gboolean  _bh_flow_retry_on_clock_skew  (BhFlow        *self,
                                         const GError  *error);

/* Fills @auth for OAuth 1.0a user context (pointers are borrowed). */
void      _bh_flow_user_auth            (BhAuth        *auth,
                                         const char    *consumer_key,
                                         const char    *consumer_secret,
                                         const char    *token,
                                         const char    *token_secret);

/* Copies what a verify_credentials answer says about the user onto
 * @account, with verified-at = now and state OK. */
void      _bh_flow_apply_identity       (BhAccount         *account,
                                         const BhXIdentity *identity);

/* Enters STORING and stores the account @identity describes with its
 * tokens, then records what the verify learned (verified-at, rate limit).
 * Not cancellable: once the keyring write began it is let finish, so the
 * account is not lost. @identity is borrowed until the callback. */
void       _bh_flow_store_account_async  (BhFlow              *self,
                                          const BhXIdentity   *identity,
                                          const char          *token,
                                          const char          *token_secret,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
BhAccount *_bh_flow_store_account_finish (BhFlow              *self,
                                          GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
