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
BhAccount      *bh_account_new                  (const char *app_id,
                                                 const char *user_id,
                                                 const char *screen_name);
const char     *bh_account_get_app_id           (BhAccount  *self);
const char     *bh_account_get_user_id          (BhAccount  *self);
const char     *bh_account_get_screen_name      (BhAccount  *self);
void            bh_account_set_screen_name      (BhAccount  *self,
                                                 const char *screen_name);
const char     *bh_account_get_name             (BhAccount  *self);
void            bh_account_set_name             (BhAccount  *self,
                                                 const char *name);
const char     *bh_account_get_access_level     (BhAccount  *self);
void            bh_account_set_access_level     (BhAccount  *self,
                                                 const char *access_level);
GDateTime      *bh_account_get_authorized_at    (BhAccount  *self);
void            bh_account_set_authorized_at    (BhAccount  *self,
                                                 GDateTime  *when);
GDateTime      *bh_account_get_rotated_at       (BhAccount  *self);
void            bh_account_set_rotated_at       (BhAccount  *self,
                                                 GDateTime  *when);
GDateTime      *bh_account_get_verified_at      (BhAccount  *self);
void            bh_account_set_verified_at      (BhAccount  *self,
                                                 GDateTime  *when);
BhAccountState  bh_account_get_state            (BhAccount  *self);
void            bh_account_set_state            (BhAccount  *self,
                                                 BhAccountState state);
void            bh_account_get_rate_limit       (BhAccount  *self,
                                                 gint64     *limit,
                                                 gint64     *remaining,
                                                 gint64     *reset);
void            bh_account_set_rate_limit       (BhAccount  *self,
                                                 gint64      limit,
                                                 gint64      remaining,
                                                 gint64      reset);

/* "restored" (boolean): the account was rebuilt from a keyring item that
 * had no record (after a crash or a lost records file); the UI shows it. */
gboolean        bh_account_get_restored         (BhAccount  *self);
void            bh_account_set_restored         (BhAccount  *self,
                                                 gboolean    restored);

/* "credentials" (BhAccountCredentials flags, default OAUTH1: records
 * older than OAuth 2.0 knew only that kind), "oauth2-scopes" (the scopes
 * X granted, space-separated, or NULL) and "oauth2-expires-at" (when the
 * access token expires, seconds since the epoch; 0 when unknown). None of
 * them is secret: they live in the records. */
BhAccountCredentials bh_account_get_credentials (BhAccount  *self);
void            bh_account_set_credentials      (BhAccount  *self,
                                                 BhAccountCredentials credentials);
gboolean        bh_account_has_credentials      (BhAccount  *self,
                                                 BhAccountCredentials credentials);
const char     *bh_account_get_oauth2_scopes    (BhAccount  *self);
void            bh_account_set_oauth2_scopes    (BhAccount  *self,
                                                 const char *scopes);
gint64          bh_account_get_oauth2_expires_at (BhAccount *self);
void            bh_account_set_oauth2_expires_at (BhAccount *self,
                                                  gint64     expires_at);
void            bh_account_copy_credentials     (BhAccount  *self,
                                                 BhAccount  *from);

/* A sentence for people: "Read only", "Read and write", "Read and write
 * and Direct Messages", or "Unknown" (translated). */
const char     *bh_access_level_to_label        (const char *access_level);

G_END_DECLS
