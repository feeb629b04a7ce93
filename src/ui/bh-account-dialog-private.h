/* bh-account-dialog-private.h
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

#include <adwaita.h>

#include "bh-account-dialog.h"
#include "bh-account-oauth2-group.h"
#include "bh-revoke-flow.h"
#include "bh-script-group.h"
#include "bh-verify-flow.h"

G_BEGIN_DECLS

struct _BhAccountDialog
{
  AdwWindow       parent_instance;

  BhStore        *store;
  BhAccount      *account;
  BhApp          *app;

  /* Keyring lookups and removal; cancelled when the dialog closes. */
  GCancellable   *cancellable;
  BhVerifyFlow   *verify_flow;
  BhRevokeFlow   *revoke_flow;
  guint           busy;

  /* Template children */
  AdwWindowTitle *window_title;
  AdwAvatar      *avatar;
  GtkLabel       *screen_name_label;
  GtkLabel       *name_label;
  GtkSpinner     *verify_spinner;
  GtkButton      *verify_button;
  GtkButton      *cancel_verify_button;
  AdwActionRow   *state_row;
  GtkLabel       *user_id_label;
  AdwActionRow   *access_row;
  AdwActionRow   *authorized_row;
  AdwActionRow   *age_row;
  AdwActionRow   *verified_row;
  AdwActionRow   *rate_row;
  BhAccountOAuth2Group *oauth2_group;
  AdwPreferencesGroup  *use_group;
  BhScriptGroup  *script_group;
};

/* bh-account-dialog.c */
void _bh_account_dialog_set_busy    (BhAccountDialog *self,
                                     gboolean         busy);

/* bh-account-dialog-copy.c: the account.copy-* and account.export-*
 * actions */
void _bh_account_dialog_copy_action (GtkWidget       *widget,
                                     const char      *action_name,
                                     GVariant        *parameter);

G_END_DECLS
