/* bh-credential-age.h
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

/* The GSettings key of the rotation reminder, in days; 0 is never. */
#define BH_ROTATION_REMINDER_KEY "rotation-reminder-days"

/**
 * BhCredentialAge:
 * @kind: which credential
 * @app: its App (a reference)
 * @account: (nullable): with %BH_CREDENTIAL_KIND_ACCOUNT_TOKENS, the
 *   account (a reference)
 * @since: (nullable): when it was created or last rotated; %NULL when
 *   unknown (records written before Birdhouse kept it)
 * @rotated: %TRUE when @since is a rotation, %FALSE when a creation
 * @due: older than the reminder: time to rotate it
 *
 * How old one credential is. Nothing secret in it.
 */
typedef struct
{
  BhCredentialKind  kind;
  BhApp            *app;
  BhAccount        *account;
  GDateTime        *since;
  gboolean          rotated;
  gboolean          due;
} BhCredentialAge;

void             bh_credential_age_free        (BhCredentialAge  *age);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhCredentialAge, bh_credential_age_free)

guint            bh_rotation_reminder_days     (void);
gboolean         bh_credential_is_due          (GDateTime        *since,
                                                guint             reminder_days,
                                                GDateTime        *now);
BhCredentialAge *bh_credential_age_for_app     (BhApp            *app,
                                                BhCredentialKind  kind,
                                                guint             reminder_days,
                                                GDateTime        *now);
BhCredentialAge *bh_credential_age_for_account (BhApp            *app,
                                                BhAccount        *account,
                                                guint             reminder_days,
                                                GDateTime        *now);
GPtrArray       *bh_credential_ages_list       (BhStore          *store,
                                                BhApp            *app,
                                                guint             reminder_days,
                                                GDateTime        *now);

G_END_DECLS
