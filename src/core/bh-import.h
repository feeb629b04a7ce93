/* bh-import.h
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

#include <gio/gio.h>

#include "bh-secret.h"
#include "bh-types.h"

G_BEGIN_DECLS

/*
 * Moving credentials out of the plaintext files of twurl (~/.twurlrc) and
 * xurl (~/.xurl) into the keyring: parse the whole file (libyaml), check
 * every credential with X, store, read back, and only then, when asked,
 * overwrite and remove the file. Nothing is stored before the whole file
 * was parsed and checked.
 */

#define BH_IMPORT_ERROR (bh_import_error_quark ())

typedef enum
{
  BH_IMPORT_ERROR_DAMAGED,     /* not YAML, or not the tool's format; the message names the line */
  BH_IMPORT_ERROR_EMPTY,       /* no credential in the file */
  BH_IMPORT_ERROR_NOT_STORED,  /* removal refused: not every credential is in the keyring */
  BH_IMPORT_ERROR_FAILED,
  BH_IMPORT_ERROR_WRONG_TOOL,  /* YAML, but not the tool's file (no “profiles”, no “apps”) */
} BhImportError;

typedef enum
{
  BH_IMPORT_SOURCE_TWURL,
  BH_IMPORT_SOURCE_XURL,
} BhImportSource;

typedef enum
{
  BH_IMPORT_KIND_APP,            /* API key and its secret */
  BH_IMPORT_KIND_ACCOUNT,        /* an OAuth 1.0a access token and its secret */
  BH_IMPORT_KIND_BEARER,         /* an App's bearer token */
  BH_IMPORT_KIND_OAUTH2_CLIENT,  /* an OAuth 2.0 Client ID and secret */
  BH_IMPORT_KIND_OAUTH2_TOKEN,   /* an account's OAuth 2.0 tokens */
  BH_IMPORT_KIND_DEFAULT,        /* which profile, App or user the tool used by default */
} BhImportKind;

typedef enum
{
  BH_IMPORT_STATE_PENDING,            /* read, not checked yet */
  BH_IMPORT_STATE_VALID,              /* X accepted it; not stored yet */
  BH_IMPORT_STATE_REJECTED,           /* X refused it; not stored */
  BH_IMPORT_STATE_PRESENT,            /* Birdhouse holds it already */
  BH_IMPORT_STATE_IMPORTED,
  BH_IMPORT_STATE_IMPORTED_REJECTED,  /* stored although X refused it, as asked */
  BH_IMPORT_STATE_UNSUPPORTED,        /* cannot be imported (see detail) */
  BH_IMPORT_STATE_NOTED,              /* a default: nothing to store */
  BH_IMPORT_STATE_FAILED,             /* storing it failed (see detail) */
} BhImportState;

/* One thing the file holds. No secret is in a field that is not a
 * BhSecret. */
typedef struct
{
  BhImportKind   kind;
  guint          line;          /* where it is in the file, from 1 */
  char          *label;         /* how the file names it: a twurl user, an xurl App */
  char          *consumer_key;  /* the API key it belongs to, when known */
  char          *client_id;     /* the OAuth 2.0 Client ID it belongs to, when known */
  gint64         expires_at;    /* OAuth 2.0 tokens: when the access token expires (Unix time), or 0 */
  char          *screen_name;   /* the account the file names, if any */
  BhSecret      *secret;        /* API key secret, bearer token, client secret, OAuth 2.0 access token */
  BhSecret      *token;         /* OAuth 1.0a access token; OAuth 2.0 refresh token */
  BhSecret      *token_secret;

  BhImportState  state;
  char          *detail;        /* why it was refused or is not imported */
  char          *app_name;      /* the Birdhouse App it went to */
  char          *user_id;       /* from X */
  char          *name;
  char          *access_level;
  gboolean       read_back;     /* found in the keyring, equal, after storing */
  gboolean       refreshed;     /* OAuth 2.0: X renewed the tokens while they were checked */
  char          *scopes;        /* OAuth 2.0: the scopes X granted, when known */
} BhImportItem;

GQuark      bh_import_error_quark   (void);

void        bh_import_item_free     (BhImportItem   *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhImportItem, bh_import_item_free)

/* What @item is, what became of it, and both on one line; no secret. */
char       *bh_import_item_what     (const BhImportItem *item);
char       *bh_import_item_outcome  (const BhImportItem *item);
char       *bh_import_item_describe (const BhImportItem *item);

/* ~/.twurlrc or ~/.xurl */
char       *bh_import_default_path  (BhImportSource  source);
const char *bh_import_source_name   (BhImportSource  source);

/* Parses a whole file; a #BhImportItem array, or %NULL and a
 * %BH_IMPORT_ERROR_DAMAGED sentence naming the line. Pure. */
GPtrArray  *bh_import_parse         (BhImportSource  source,
                                     const char     *data,
                                     gsize           length,
                                     GError        **error);

#define BH_TYPE_IMPORT (bh_import_get_type ())
G_DECLARE_FINAL_TYPE (BhImport, bh_import, BH, IMPORT, GObject)

BhImport   *bh_import_new           (BhStore        *store,
                                     BhImportSource  source,
                                     GFile          *file,
                                     const char     *api_host);
GFile      *bh_import_get_file      (BhImport       *self);
/* Where to check the credentials and what new Apps get (%NULL: X's);
 * before bh_import_check_async(). */
void        bh_import_set_api_host  (BhImport       *self,
                                     const char     *api_host);
BhImportSource bh_import_get_source (BhImport       *self);
/* (element-type BhImportItem) */
GPtrArray  *bh_import_get_items     (BhImport       *self);
/* How many credentials (not defaults) the file holds that Birdhouse does
 * not: known after bh_import_load_async() alone (by API key and screen
 * name), exactly after bh_import_check_async(). */
guint       bh_import_count_new     (BhImport       *self);

void        bh_import_load_async    (BhImport            *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean    bh_import_load_finish   (BhImport            *self,
                                     GAsyncResult        *result,
                                     GError             **error);
void        bh_import_check_async   (BhImport            *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean    bh_import_check_finish  (BhImport            *self,
                                     GAsyncResult        *result,
                                     GError             **error);
void        bh_import_store_async   (BhImport            *self,
                                     gboolean             keep_rejected,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean    bh_import_store_finish  (BhImport            *self,
                                     GAsyncResult        *result,
                                     GError             **error);
/* TRUE when every credential of the file is in the keyring, read back. */
gboolean    bh_import_all_stored    (BhImport       *self);
void        bh_import_remove_plaintext_async  (BhImport            *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean    bh_import_remove_plaintext_finish (BhImport            *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
