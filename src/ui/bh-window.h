/* bh-window.h
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

#include "bh-application.h"
#include "bh-store.h"

G_BEGIN_DECLS

#define BH_TYPE_WINDOW (bh_window_get_type ())
G_DECLARE_FINAL_TYPE (BhWindow, bh_window, BH, WINDOW, AdwApplicationWindow)

BhWindow *bh_window_new             (BhApplication *application);
BhStore  *bh_window_get_store       (BhWindow      *self);
/* Takes ownership of a floating or full reference of @toast. */
void      bh_window_add_toast       (BhWindow      *self,
                                     AdwToast      *toast);
/* Selects @app in the sidebar and shows its page (NULL: the first App). */
void      bh_window_select_app      (BhWindow      *self,
                                     BhApp         *app);
BhApp    *bh_window_get_selected_app (BhWindow     *self);

/* The BhWindow that @widget is in, directly or through the transient-for
 * chain of the dialog it is in; NULL when there is none. */
BhWindow *bh_window_get_for_widget  (GtkWidget     *widget);

/* A dialog over @any_widget_in_window's window with @heading and the
 * sentence of @error, for failures the user must act on. Cancellations are
 * not shown. */
void      bh_window_show_error      (GtkWidget     *any_widget_in_window,
                                     const char    *heading,
                                     const GError  *error);

/* A question before something that cannot be undone: Cancel (the
 * default, also on Escape) and @response_label with the id @response_id,
 * shown as destructive. Connect to "response", then present it. */
AdwMessageDialog *bh_window_confirm_dialog (GtkWindow   *parent,
                                            const char  *heading,
                                            const char  *body,
                                            const char  *response_id,
                                            const char  *response_label);

/* For BhApplication: how loading the store failed. */
void      bh_window_show_load_error (BhWindow      *self,
                                     const GError  *error);

G_END_DECLS
