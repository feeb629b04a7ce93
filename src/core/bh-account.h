/* bh-account.h
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

#include <glib-object.h>

#include "bh-health-record.h"
#include "bh-types.h"

G_BEGIN_DECLS

/**
 * BhAccountState:
 * @BH_ACCOUNT_STATE_OK: tokens in the keyring, last known good
 * @BH_ACCOUNT_STATE_NEEDS_REAUTH: X said the token is invalid or revoked (89)
 * @BH_ACCOUNT_STATE_SECRET_MISSING: a record with no tokens in the keyring
 */
typedef enum
{
  BH_ACCOUNT_STATE_OK,
  BH_ACCOUNT_STATE_NEEDS_REAUTH,
  BH_ACCOUNT_STATE_SECRET_MISSING,
} BhAccountState;

/**
 * BhAccountCredentials:
 * @BH_ACCOUNT_CREDENTIALS_NONE: none known
 * @BH_ACCOUNT_CREDENTIALS_OAUTH1: OAuth 1.0a access token and secret
 *   (keyring kind "user")
 * @BH_ACCOUNT_CREDENTIALS_OAUTH2: an OAuth 2.0 grant: access token,
 *   refresh token, expiry and scopes (keyring kind "oauth2-grant")
 *
 * Which credentials an account holds; an account may hold both.
 */
typedef enum /*< flags >*/
{
  BH_ACCOUNT_CREDENTIALS_NONE   = 0,
  BH_ACCOUNT_CREDENTIALS_OAUTH1 = 1 << 0,
  BH_ACCOUNT_CREDENTIALS_OAUTH2 = 1 << 1,
} BhAccountCredentials;

#define BH_TYPE_ACCOUNT (bh_account_get_type ())
G_DECLARE_FINAL_TYPE (BhAccount, bh_account, BH, ACCOUNT, GObject)

/* Properties (all notify only on a real change): "user-id" (construct
 * only), "app-id" (construct only), "screen-name", "name", "access-level"
 * (X's x-access-level text or NULL), "authorized-at", "verified-at"
 * (GDateTime, nullable), "rotated-at" (GDateTime, nullable: when the
 * tokens were last rotated), "state" (BhAccountState), rate-limit figures of
 * the last verify: "rate-limit-limit", "rate-limit-remaining",
 * "rate-limit-reset" (gint64, -1/0 when unknown). No secret is a property. */

/**
 * bh_account_new:
 * @app_id: the local id of the App the account is authorized for
 * @user_id: X's numeric user id, as text
 * @screen_name: (nullable): the @handle, without the '@'
 *
 * Returns: (transfer full): a new account
 */
BhAccount      *bh_account_new                  (const char *app_id,
                                                 const char *user_id,
                                                 const char *screen_name);

/**
 * bh_account_get_app_id:
 * @self: a #BhAccount
 *
 * Returns: the local id of the App this account belongs to
 */
const char     *bh_account_get_app_id           (BhAccount  *self);

/**
 * bh_account_get_user_id:
 * @self: a #BhAccount
 *
 * Returns: X's user id
 */
const char     *bh_account_get_user_id          (BhAccount  *self);

/**
 * bh_account_get_screen_name:
 * @self: a #BhAccount
 *
 * Returns: (nullable): the @handle, without the '@'
 */
const char     *bh_account_get_screen_name      (BhAccount  *self);

/**
 * bh_account_set_screen_name:
 * @self: a #BhAccount
 * @screen_name: (nullable): the @handle, without the '@'
 */
void            bh_account_set_screen_name      (BhAccount  *self,
                                                 const char *screen_name);

/**
 * bh_account_get_name:
 * @self: a #BhAccount
 *
 * Returns: (nullable): the display name
 */
const char     *bh_account_get_name             (BhAccount  *self);

/**
 * bh_account_set_name:
 * @self: a #BhAccount
 * @name: (nullable): the display name
 */
void            bh_account_set_name             (BhAccount  *self,
                                                 const char *name);

/**
 * bh_account_get_access_level:
 * @self: a #BhAccount
 *
 * Returns: (nullable): X's x-access-level text ("read", "read-write",
 *   "read-write-directmessages"), or %NULL when unknown
 */
const char     *bh_account_get_access_level     (BhAccount  *self);

/**
 * bh_account_set_access_level:
 * @self: a #BhAccount
 * @access_level: (nullable): X's x-access-level text
 */
void            bh_account_set_access_level     (BhAccount  *self,
                                                 const char *access_level);

/**
 * bh_account_get_authorized_at:
 * @self: a #BhAccount
 *
 * Returns: (nullable) (transfer none): when the tokens were stored
 */
GDateTime      *bh_account_get_authorized_at    (BhAccount  *self);

/**
 * bh_account_set_authorized_at:
 * @self: a #BhAccount
 * @when: (nullable): when the tokens were stored
 */
void            bh_account_set_authorized_at    (BhAccount  *self,
                                                 GDateTime  *when);

/**
 * bh_account_get_rotated_at:
 * @self: a #BhAccount
 *
 * Returns: (nullable) (transfer none): when the tokens were last rotated
 *   (invalidated at X and replaced by new ones); %NULL when never
 */
GDateTime      *bh_account_get_rotated_at       (BhAccount  *self);

/**
 * bh_account_set_rotated_at:
 * @self: a #BhAccount
 * @when: (nullable): when the tokens were last rotated
 */
void            bh_account_set_rotated_at       (BhAccount  *self,
                                                 GDateTime  *when);

/**
 * bh_account_get_verified_at:
 * @self: a #BhAccount
 *
 * Returns: (nullable) (transfer none): when X last accepted the tokens
 */
GDateTime      *bh_account_get_verified_at      (BhAccount  *self);

/**
 * bh_account_set_verified_at:
 * @self: a #BhAccount
 * @when: (nullable): when X last accepted the tokens
 */
void            bh_account_set_verified_at      (BhAccount  *self,
                                                 GDateTime  *when);

/**
 * bh_account_get_state:
 * @self: a #BhAccount
 *
 * Returns: whether the tokens are usable, as far as Birdhouse knows
 */
BhAccountState  bh_account_get_state            (BhAccount  *self);

/**
 * bh_account_set_state:
 * @self: a #BhAccount
 * @state: the new state
 */
void            bh_account_set_state            (BhAccount  *self,
                                                 BhAccountState state);

/**
 * bh_account_get_rate_limit:
 * @self: a #BhAccount
 * @limit: (out) (optional): x-rate-limit-limit of the last verify, or -1
 * @remaining: (out) (optional): x-rate-limit-remaining, or -1
 * @reset: (out) (optional): x-rate-limit-reset (Unix time), or 0
 */
void            bh_account_get_rate_limit       (BhAccount  *self,
                                                 gint64     *limit,
                                                 gint64     *remaining,
                                                 gint64     *reset);

/**
 * bh_account_set_rate_limit:
 * @self: a #BhAccount
 * @limit: x-rate-limit-limit, or -1 when unknown
 * @remaining: x-rate-limit-remaining, or -1 when unknown
 * @reset: x-rate-limit-reset (Unix time), or 0 when unknown
 *
 * The three figures change together; each changed one is notified once
 * all are set, so a listener never sees a mix of old and new.
 */
void            bh_account_set_rate_limit       (BhAccount  *self,
                                                 gint64      limit,
                                                 gint64      remaining,
                                                 gint64      reset);

/**
 * bh_account_get_restored:
 * @self: a #BhAccount
 *
 * Returns: %TRUE when the account was rebuilt from a keyring item that had
 *   no record (after a crash, or a lost or damaged records file)
 */
gboolean        bh_account_get_restored         (BhAccount  *self);

/**
 * bh_account_set_restored:
 * @self: a #BhAccount
 * @restored: whether to show the account as restored
 */
void            bh_account_set_restored         (BhAccount  *self,
                                                 gboolean    restored);

/* "credentials" (BhAccountCredentials flags, default OAUTH1: records
 * older than OAuth 2.0 knew only that kind), "oauth2-scopes" (the scopes
 * X granted, space-separated, or NULL) and "oauth2-expires-at" (when the
 * access token expires, seconds since the epoch; 0 when unknown). None of
 * them is secret: they live in the records. */

/**
 * bh_account_get_credentials:
 * @self: a #BhAccount
 *
 * Returns: which credentials the keyring holds for the account
 */
BhAccountCredentials bh_account_get_credentials (BhAccount  *self);

/**
 * bh_account_set_credentials:
 * @self: a #BhAccount
 * @credentials: which credentials the keyring holds for the account
 */
void            bh_account_set_credentials      (BhAccount  *self,
                                                 BhAccountCredentials credentials);

/**
 * bh_account_has_credentials:
 * @self: a #BhAccount
 * @credentials: one or more #BhAccountCredentials
 *
 * Returns: %TRUE when the account holds all of @credentials
 */
gboolean        bh_account_has_credentials      (BhAccount  *self,
                                                 BhAccountCredentials credentials);

/**
 * bh_account_get_oauth2_scopes:
 * @self: a #BhAccount
 *
 * Returns: (nullable): the scopes of the OAuth 2.0 grant, space-separated
 */
const char     *bh_account_get_oauth2_scopes    (BhAccount  *self);

/**
 * bh_account_set_oauth2_scopes:
 * @self: a #BhAccount
 * @scopes: (nullable): the scopes X granted, space-separated
 */
void            bh_account_set_oauth2_scopes    (BhAccount  *self,
                                                 const char *scopes);

/**
 * bh_account_get_oauth2_expires_at:
 * @self: a #BhAccount
 *
 * Returns: when the OAuth 2.0 access token expires (seconds since the
 *   epoch), or 0 when not known; it is refreshed 60 seconds before
 */
gint64          bh_account_get_oauth2_expires_at (BhAccount *self);

/**
 * bh_account_set_oauth2_expires_at:
 * @self: a #BhAccount
 * @expires_at: seconds since the epoch, or 0
 */
void            bh_account_set_oauth2_expires_at (BhAccount *self,
                                                  gint64     expires_at);

/**
 * bh_account_copy_credentials:
 * @self: a #BhAccount
 * @from: another #BhAccount
 *
 * Copies "credentials", "oauth2-scopes" and "oauth2-expires-at" from
 * @from: the one place that knows which fields describe the credentials.
 */
void            bh_account_copy_credentials     (BhAccount  *self,
                                                 BhAccount  *from);

/**
 * bh_account_get_health:
 * @self: a #BhAccount
 *
 * "health" (BhHealthRecord, nullable).
 *
 * Returns: (transfer none) (nullable): what the last health check found,
 *   or %NULL when the account was never checked
 */
const BhHealthRecord *bh_account_get_health     (BhAccount  *self);
void            bh_account_set_health           (BhAccount  *self,
                                                 const BhHealthRecord *health);


/**
 * bh_access_level_to_label:
 * @access_level: (nullable): X's x-access-level text
 *
 * Returns: a translated label for people: "Read only", "Read and write",
 *   "Read and write and Direct Messages", or "Unknown"
 */
const char     *bh_access_level_to_label        (const char *access_level);

G_END_DECLS
