/* bh-x-error-private.h
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

#include "bh-x-error.h"

G_BEGIN_DECLS

/* What bh-x-error.c (the codes), bh-x-error-transport.c (failures with
 * no answer), bh-x-error-message.c (the sentences) and bh-x-error-text.c
 * (server text) share. */

/* What a BH_X_ERROR carries besides its code and sentence. */
typedef struct
{
  BhXStep   step;
  int       x_code;
  guint     http_status;
  gint64    rate_limit_reset;
  gint64    clock_skew;
  gboolean  have_clock_skew;
} BhXErrorPrivate;

/* A BH_X_ERROR for @code, its sentence worded from @info and @detail,
 * carrying @info for whoever shows it or retries. */
GError *_bh_x_error_new_full     (BhXError               code,
                                   const BhXErrorPrivate *info,
                                   const char            *detail);

/* The sentence for @code, told from @info. @detail (nullable, already
 * sanitized) is added only where our own sentence is generic. */
char   *_bh_x_error_build_message (BhXError               code,
                                   const BhXErrorPrivate *info,
                                   const char            *detail);

/* A server message fit to show as extra detail, or NULL: printable, short,
 * and without anything that looks like an echoed token or key. */
char   *_bh_x_sanitize_detail     (const char            *text);

G_END_DECLS
