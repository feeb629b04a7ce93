/* bh-params.h
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

#include <glib.h>

G_BEGIN_DECLS

/*
 * Request parameters and their encodings: the decoded pairs of a query
 * string or form body, and RFC 3986 percent-encoding as OAuth 1.0a signs
 * and X expects it.
 *
 * Parameters are kept in a GPtrArray of BhParam, never a hash table: a
 * request may repeat a name, and every occurrence is signed.
 */

typedef struct
{
  char *name;   /* decoded (raw) text, UTF-8 */
  char *value;  /* decoded (raw) text, UTF-8; "" for an empty value */
} BhParam;

/* Returns: (transfer full): an empty array of BhParam that frees (and
 * wipes) its elements */
GPtrArray  *bh_params_new          (void);
void        bh_params_add          (GPtrArray   *params,
                                    const char  *name,
                                    const char  *value);
/* The first value for @name, or NULL. */
const char *bh_params_get          (GPtrArray   *params,
                                    const char  *name);
/* Appends the pairs of an application/x-www-form-urlencoded string
 * (a query string or a form body): '+' is a space, %XX is decoded.
 * Fails with G_IO_ERROR_INVALID_DATA on a bad escape or invalid UTF-8. */
gboolean    bh_params_parse_form   (GPtrArray   *params,
                                    const char  *form,
                                    gssize       len,
                                    GError     **error);
/* name=value&... with bh_oauth1_percent_encode() on both sides, in the
 * array's order: what Birdhouse sends as a query string or form body. */
char       *bh_params_to_form      (GPtrArray   *params);

/* RFC 3986 percent-encoding: everything but ALPHA DIGIT - . _ ~ becomes
 * %XX with upper-case hex over the UTF-8 bytes. */
char       *bh_oauth1_percent_encode (const char *text);

G_END_DECLS
