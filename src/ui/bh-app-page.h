/* bh-app-page.h
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

#define BH_TYPE_APP_PAGE (bh_app_page_get_type ())
G_DECLARE_FINAL_TYPE (BhAppPage, bh_app_page, BH, APP_PAGE, AdwBin)

/* One App's keys, bearer token and accounts. Properties "store", "app". */
GtkWidget *bh_app_page_new       (void);
BhStore   *bh_app_page_get_store (BhAppPage *self);
void       bh_app_page_set_store (BhAppPage *self,
                                  BhStore   *store);
BhApp     *bh_app_page_get_app   (BhAppPage *self);
void       bh_app_page_set_app   (BhAppPage *self,
                                  BhApp     *app);
/* TRUE while a bearer token is being generated or invalidated. */
gboolean   bh_app_page_get_busy  (BhAppPage *self);

G_END_DECLS
