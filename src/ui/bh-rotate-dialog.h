/* bh-rotate-dialog.h
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

#include "bh-store.h"

G_BEGIN_DECLS

#define BH_TYPE_ROTATE_DIALOG (bh_rotate_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BhRotateDialog, bh_rotate_dialog, BH, ROTATE_DIALOG, AdwWindow)

GtkWidget *bh_rotate_dialog_new_for_account    (GtkWindow *parent,
                                                BhStore   *store,
                                                BhAccount *account);
GtkWidget *bh_rotate_dialog_new_for_app_secret (GtkWindow *parent,
                                                BhStore   *store,
                                                BhApp     *app);
GtkWidget *bh_rotate_dialog_new_for_client_secret (GtkWindow *parent,
                                                   BhStore   *store,
                                                   BhApp     *app);

G_END_DECLS
