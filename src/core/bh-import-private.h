/* bh-import-private.h
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

#include "bh-account.h"
#include "bh-import.h"
#include "bh-x-client.h"

G_BEGIN_DECLS

/* What bh-import.c (loading, checking, the walk over the items) and
 * bh-import-store.c (storing, reading back, removing) share. */

struct _BhImport
{
  GObject         parent_instance;

  BhStore        *store;
  BhImportSource  source;
  GFile          *file;
  char           *api_host;
  BhXClient      *client;
  GPtrArray      *items;
};

/* A walk over the items, as a GTask's data: one step function per kind
 * of walk starts each item's async work or decides it at once. */
typedef struct
{
  guint    index;
  gboolean keep_rejected;
  gboolean reading_back;
} Walk;

BhApp        *_bh_import_store_app_by_key (BhImport           *self,
                                          const char         *consumer_key);
BhAccount    *_bh_import_store_account    (BhApp              *app,
                                          const char         *user_id,
                                          const char         *screen_name);
void          _bh_import_set_app_name     (BhImportItem       *item,
                                          BhApp              *app);
void          _bh_import_set_detail       (BhImportItem       *item,
                                          const char         *detail);
gboolean      _bh_import_is_credential    (const BhImportItem *item);

BhApp        *_bh_import_store_app_by_client_id (BhImport     *self,
                                                const char   *client_id);
/* The first item of the file of @kind with this API key and Client ID
 * (either %NULL: any). */
BhImportItem *_bh_import_file_item        (BhImport           *self,
                                          BhImportKind        kind,
                                          const char         *consumer_key,
                                          const char         *client_id);
/* Records @error on the current item when X refused it; FALSE (and the
 * task returned) when it is any other failure, which stops the walk. */
gboolean      _bh_import_item_failed      (GTask              *task,
                                          GError             *error);

BhImportItem *_bh_import_current_item     (GTask              *task);
void          _bh_import_identity_checked (GTask                *task,
                                           BhXIdentity          *identity,
                                           GError               *error,
                                           BhApp                *app,
                                           BhAccountCredentials  needed);
/* Goes on with the item after the current one. */
void          _bh_import_next             (GTask              *task);
/* TRUE when work for @item was started (it calls _bh_import_next()). */
gboolean      _bh_import_store_step       (GTask              *task,
                                          BhImportItem       *item);
gboolean      _bh_import_read_back_step   (GTask              *task,
                                          BhImportItem       *item);
/* bh-import-oauth2.c: checking a Client ID and an account's OAuth 2.0
 * tokens. */
gboolean      _bh_import_check_oauth2_step (GTask             *task,
                                           BhImportItem      *item);

G_END_DECLS
