/* bh-authorize-dialog-private.h
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

#include "bh-authorize-dialog.h"

#include "bh-flow.h"
#include "bh-oauth2-flow.h"
#include "bh-pin-flow.h"

G_BEGIN_DECLS

/*
 * The dialog is split by method: bh-authorize-dialog.c holds the pages
 * both methods share (options, progress, the browser page, success,
 * error) and the choice between them; bh-authorize-dialog-pin.c runs the
 * OAuth 1.0a PIN flow and bh-authorize-dialog-oauth2.c the OAuth 2.0 one.
 */

struct _BhAuthorizeDialog
{
  AdwWindow       parent_instance;

  BhStore        *store;
  BhApp          *app;
  /* Authorize Again (or the end of a rotation): the account to give new
   * tokens in its place, or NULL. */
  BhAccount      *renews;
  BhFlow         *flow;

  /* A refused PIN arrived; show it (and clear the entry) on the PIN page. */
  gboolean        pin_error_pending;
  /* The code writes the scopes row: not the person choosing a list of
   * their own. */
  gboolean        setting_scopes;

  /* Template children */
  AdwWindowTitle *window_title;
  GtkButton      *cancel_button;
  GtkButton      *continue_button;
  GtkButton      *authorize_button;
  GtkButton      *done_button;
  GtkButton      *retry_button;
  GtkStack       *stack;
  GtkLabel       *intro_label;
  AdwPreferencesGroup *method_group;
  GtkCheckButton *oauth2_check;
  GtkCheckButton *pin_check;
  AdwPreferencesGroup *pin_options_group;
  GtkSwitch      *read_only_switch;
  GtkSwitch      *force_login_switch;
  AdwEntryRow    *screen_name_row;
  AdwPreferencesGroup *scopes_group;
  AdwComboRow    *preset_row;
  AdwEntryRow    *scopes_row;
  GtkSwitch      *offline_switch;
  GtkLabel       *scopes_error_label;
  GtkSpinner     *spinner;
  GtkLabel       *progress_label;
  GtkLabel       *pin_body_label;
  GtkLabel       *url_label;
  GtkEntry       *pin_entry;
  GtkLabel       *pin_error_label;
  GtkLabel       *oauth2_body_label;
  GtkLabel       *oauth2_url_label;
  AdwPreferencesGroup *paste_group;
  AdwEntryRow    *paste_row;
  GtkLabel       *paste_error_label;
  AdwStatusPage  *success_page;
  AdwStatusPage  *error_page;
  GtkButton      *edit_app_button;
};

/* bh-authorize-dialog.c */
void     _bh_authorize_dialog_show_page      (BhAuthorizeDialog *self,
                                              const char        *name);
void     _bh_authorize_dialog_show_progress  (BhAuthorizeDialog *self,
                                              const char        *text);
void     _bh_authorize_dialog_set_flow       (BhAuthorizeDialog *self,
                                              BhFlow            *flow);
gboolean _bh_authorize_dialog_uses_oauth2    (BhAuthorizeDialog *self);
void     _bh_authorize_dialog_sync_state     (BhAuthorizeDialog *self);

/* bh-authorize-dialog-pin.c */
void     _bh_authorize_dialog_pin_init       (BhAuthorizeDialog *self);
void     _bh_authorize_dialog_pin_start      (BhAuthorizeDialog *self);
void     _bh_authorize_dialog_pin_class_init (GtkWidgetClass    *widget_class);
void     _bh_authorize_dialog_pin_show_success (BhAuthorizeDialog *self);
void     _bh_authorize_dialog_pin_show_page  (BhAuthorizeDialog *self);

/* bh-authorize-dialog-oauth2.c */
void     _bh_authorize_dialog_oauth2_init    (BhAuthorizeDialog *self);
void     _bh_authorize_dialog_oauth2_start   (BhAuthorizeDialog *self);
void     _bh_authorize_dialog_oauth2_class_init (GtkWidgetClass *widget_class);
void     _bh_authorize_dialog_oauth2_show_success (BhAuthorizeDialog *self);
void     _bh_authorize_dialog_oauth2_show_waiting (BhAuthorizeDialog *self);
void     _bh_authorize_dialog_oauth2_show_error (BhAuthorizeDialog *self,
                                                 const GError      *error);
gboolean _bh_authorize_dialog_oauth2_options_ok (BhAuthorizeDialog *self);

G_END_DECLS
