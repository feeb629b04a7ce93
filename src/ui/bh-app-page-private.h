/* bh-app-page-private.h
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

#include "bh-app-page.h"
#include "bh-flow.h"

G_BEGIN_DECLS

struct _BhAppPage
{
  AdwBin          parent_instance;

  BhStore        *store;
  BhApp          *app;
  /* Cancelled when the page shows another App or goes away. */
  GCancellable   *cancellable;
  BhFlow         *bearer_flow;
  guint           secret_lookups;
  guint           relative_time_id;

  /* The account list shows a slice of the App's accounts: the first
   * FIRST_ROWS rows are built for the frame that shows the page, the
   * others (below the fold) right after that frame is painted. */
  GtkSliceListModel *account_slice;
  GdkFrameClock  *clock;
  gulong          after_paint_id;
  guint           rest_idle_id;

  /* Template widgets */
  AdwActionRow   *key_row;
  AdwActionRow   *secret_row;
  GtkSpinner     *secret_spinner;
  GtkWidget      *copy_key_button;
  AdwActionRow   *client_id_row;
  AdwActionRow   *client_secret_row;
  AdwActionRow   *redirect_row;
  GtkWidget      *copy_secret_button;
  GtkWidget      *bearer_group;
  GtkWidget      *rotate_secret_button;
  GtkWidget      *rotate_client_secret_button;
  AdwActionRow   *bearer_row;
  GtkSpinner     *bearer_spinner;
  GtkWidget      *bearer_cancel_button;
  GtkWidget      *bearer_generate_button;
  GtkWidget      *bearer_copy_button;
  GtkWidget      *bearer_invalidate_button;
  GtkWidget      *bearer_rotate_button;
  GtkListBox     *account_list;
  GtkWidget      *accounts_empty;
  GtkWidget      *authorize_button;
  GtkWidget      *add_tokens_button;
};

/* bh-app-page.c */
gboolean _bh_app_page_keyring_locked    (BhAppPage      *self);
void     _bh_app_page_notify_busy       (BhAppPage      *self);

/* bh-app-page-bearer.c: the bearer token group */
void     _bh_app_page_update_bearer     (BhAppPage      *self);
void     _bh_app_page_bearer_class_init (GtkWidgetClass *widget_class);

G_END_DECLS
