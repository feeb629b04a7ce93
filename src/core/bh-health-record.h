/* bh-health-record.h
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

G_BEGIN_DECLS

/**
 * BhHealthState:
 * @BH_HEALTH_UNKNOWN: never checked (or not checkable this time, see below)
 * @BH_HEALTH_HEALTHY: X accepted the credential
 * @BH_HEALTH_NEEDS_REAUTH: X said the account's tokens are invalid or revoked
 * @BH_HEALTH_KEYS_REJECTED: X refused the App's API key and secret
 * @BH_HEALTH_BEARER_INVALID: X refused the App's bearer token
 * @BH_HEALTH_SECRET_MISSING: the keyring holds nothing to check
 * @BH_HEALTH_UNREACHABLE: X could not be reached: says nothing of the credential
 * @BH_HEALTH_RATE_LIMITED: not asked, so as not to spend the last requests
 *   of X's window (or X answered 429): says nothing of the credential
 * @BH_HEALTH_ERROR: X answered, but with something else than a verdict on
 *   the credential (a clock too far off, a request X found malformed): the
 *   message says what to do
 *
 * What the last health check found for one credential. The numbers and
 * the texts of the records file are stable: new states go at the end.
 */
typedef enum
{
  BH_HEALTH_UNKNOWN,
  BH_HEALTH_HEALTHY,
  BH_HEALTH_NEEDS_REAUTH,
  BH_HEALTH_KEYS_REJECTED,
  BH_HEALTH_BEARER_INVALID,
  BH_HEALTH_SECRET_MISSING,
  BH_HEALTH_UNREACHABLE,
  BH_HEALTH_RATE_LIMITED,
  BH_HEALTH_ERROR,
} BhHealthState;

/**
 * BhHealthChecker:
 *
 * Who ran the check: the window or `birdhouse check`.
 */
typedef enum
{
  BH_HEALTH_BY_WINDOW,
  BH_HEALTH_BY_COMMAND_LINE,
} BhHealthChecker;

/**
 * BhHealthRecord:
 * @state: what the last check found
 * @verdict: the last definite answer of X (HEALTHY or a failure of the
 *   credential); UNREACHABLE and RATE_LIMITED never replace it, so that a
 *   credential that was already failing is not announced again after X
 *   was unreachable for a while
 * @checked_at: (nullable): when, UTC
 * @checked_by: by whom
 * @retry_at: seconds since the epoch before which the credential is not
 *   asked again (X's x-rate-limit-reset after a spent window), or 0
 *
 * Nothing secret: it is kept in the records file, so that the window and
 * `birdhouse check` show the same thing.
 */
typedef struct
{
  BhHealthState    state;
  BhHealthState    verdict;
  GDateTime       *checked_at;
  BhHealthChecker  checked_by;
  gint64           retry_at;
} BhHealthRecord;

#define BH_TYPE_HEALTH_RECORD (bh_health_record_get_type ())

GType           bh_health_record_get_type     (void) G_GNUC_CONST;
BhHealthRecord *bh_health_record_new          (void);
BhHealthRecord *bh_health_record_copy         (const BhHealthRecord *record);
void            bh_health_record_free         (BhHealthRecord       *record);
gboolean        bh_health_record_equal        (const BhHealthRecord *a,
                                               const BhHealthRecord *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhHealthRecord, bh_health_record_free)

gboolean        bh_health_state_is_failure    (BhHealthState         state);
gboolean        bh_health_state_is_definite   (BhHealthState         state);
const char     *bh_health_state_to_string     (BhHealthState         state);
gboolean        bh_health_state_from_string   (const char           *text,
                                               BhHealthState        *state);
const char     *bh_health_state_to_label      (BhHealthState         state);
const char     *bh_health_checker_to_string   (BhHealthChecker       checker);

/* The records file's keys of a record, "PREFIX-health" and so on
 * (@prefix "" for an account, "keys" or "bearer" for an App): as
 * key, value pairs appended to @fields (a NULL value removes the key). */
void            _bh_health_record_to_fields   (const BhHealthRecord *record,
                                               const char           *prefix,
                                               GPtrArray            *fields);
/* The record under @prefix in @group, or NULL when there is none. A value
 * this version cannot read is left out rather than refused: the record is
 * a cache the next check rewrites, unlike the names and keys beside it. */
BhHealthRecord *_bh_health_record_from_key_file (GKeyFile           *key_file,
                                                 const char         *group,
                                                 const char         *prefix);

G_END_DECLS
