/* bh-oauth1-private.h
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

#include <string.h>
#include <glib.h>

G_BEGIN_DECLS

/* A request URL taken apart for the signature base string
 * (bh-oauth1-uri.c), which bh-oauth1.c signs. */
typedef struct
{
  char     *scheme;
  char     *host;
  char     *path;
  char     *query;   /* still encoded, or NULL */
  int       port;
  gboolean  https;
} BhUrlParts;

/* Fails with G_IO_ERROR_INVALID_ARGUMENT unless @url is absolute http(s). */
gboolean _bh_url_parts_init  (BhUrlParts        *parts,
                              const char        *url,
                              GError           **error);
void     _bh_url_parts_clear (BhUrlParts        *parts);
/* Writes the base string URI, NUL-terminated, at @out, which has
 * _bh_base_uri_size() bytes; returns its length. */
gsize    _bh_base_uri_write  (const BhUrlParts  *parts,
                              char              *out);

/* Room that _bh_base_uri_write() needs. */
static inline gsize
_bh_base_uri_size (const BhUrlParts *parts)
{
  return strlen ("https://[]:65535/") + strlen (parts->host) +
         (parts->path ? strlen (parts->path) : 0) + 1;
}

G_END_DECLS
