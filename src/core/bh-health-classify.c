/* bh-health-classify.c: what an answer, or its absence, says of a credential
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

#include "config.h"

#include "bh-health-private.h"

#include "bh-x-error.h"

/* The one table from a failed check (X's answer, the transport's failure,
 * the keyring's) to a credential's health: which refusal means new keys,
 * which a new authorization, and which is no verdict at all. */

#define RATE_WINDOW_SECONDS 900  /* when a 429 gives no reset time */

BhHealthState
_bh_health_classify (BhCredentialKind  kind,
                     const GError     *error,
                     gint64           *retry_at)
{
  *retry_at = 0;

  if (error->domain == BH_STORE_ERROR)
    return error->code == BH_STORE_ERROR_NOT_FOUND ? BH_HEALTH_SECRET_MISSING : BH_HEALTH_ERROR;

  if (error->domain != BH_X_ERROR)
    return BH_HEALTH_ERROR;

  /* An OAuth 2.0 grant X no longer honours: refused at refresh, or its
   * access token refused at 2/users/me. */
  if (kind == BH_CREDENTIAL_KIND_OAUTH2_GRANT &&
      (error->code == BH_X_ERROR_OAUTH2_GRANT_REFUSED || error->code == BH_X_ERROR_INVALID_TOKEN ||
       error->code == BH_X_ERROR_UNAUTHORIZED))
    return BH_HEALTH_NEEDS_REAUTH;

  if (kind == BH_CREDENTIAL_KIND_CLIENT_SECRET && error->code == BH_X_ERROR_OAUTH2_CLIENT)
    return BH_HEALTH_KEYS_REJECTED;

  switch ((BhXError) error->code)
    {
    case BH_X_ERROR_RATE_LIMITED:
      *retry_at = bh_x_error_get_rate_limit_reset (error);
      if (*retry_at <= 0)
        *retry_at = g_get_real_time () / G_USEC_PER_SEC + RATE_WINDOW_SECONDS;
      return BH_HEALTH_RATE_LIMITED;

    case BH_X_ERROR_TIMEOUT:
    case BH_X_ERROR_CONNECTION:
    case BH_X_ERROR_TLS:
    case BH_X_ERROR_SERVER:
    case BH_X_ERROR_REDIRECTED:
    case BH_X_ERROR_MALFORMED:
      return BH_HEALTH_UNREACHABLE;

    case BH_X_ERROR_INVALID_TOKEN:
      if (kind == BH_CREDENTIAL_KIND_ACCOUNT_TOKENS)
        return BH_HEALTH_NEEDS_REAUTH;
      if (kind == BH_CREDENTIAL_KIND_BEARER_TOKEN)
        return BH_HEALTH_BEARER_INVALID;
      return BH_HEALTH_ERROR;

    case BH_X_ERROR_BEARER_INVALID:
    case BH_X_ERROR_BEARER_CREDENTIALS:
      return kind == BH_CREDENTIAL_KIND_BEARER_TOKEN ? BH_HEALTH_BEARER_INVALID : BH_HEALTH_ERROR;

    case BH_X_ERROR_COULD_NOT_AUTHENTICATE:
    case BH_X_ERROR_UNAUTHORIZED:
    case BH_X_ERROR_APP_SUSPENDED:
      /* Signed with the key and secret alone, a refusal can only be them. */
      return kind == BH_CREDENTIAL_KIND_API_KEY_SECRET ? BH_HEALTH_KEYS_REJECTED : BH_HEALTH_ERROR;

    default:
      return BH_HEALTH_ERROR;
    }
}
