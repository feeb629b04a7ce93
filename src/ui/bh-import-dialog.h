/* bh-import-dialog.h
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

#include "bh-types.h"

G_BEGIN_DECLS

#define BH_TYPE_IMPORT_DIALOG (bh_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BhImportDialog, bh_import_dialog, BH, IMPORT_DIALOG, AdwWindow)

GtkWidget *bh_import_dialog_new         (GtkWindow *parent,
                                         GPtrArray *imports);
void       bh_import_dialog_choose_file (GtkWindow *parent,
                                         BhStore   *store);

G_END_DECLS
