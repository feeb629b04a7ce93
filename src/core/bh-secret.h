/* bh-secret.h
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
 * A secret (consumer secret, token, token secret, bearer token, PIN) is a
 * plain NUL-terminated string that is wiped before its memory is released.
 * Declare locals as `g_autoptr (BhSecret) s = ...;` so that every path out
 * of a function wipes it.
 */
typedef char BhSecret;

BhSecret *bh_secret_dup      (const char *value);
BhSecret *bh_secret_dup_len  (const char *value,
                              gsize       len);
void      bh_secret_free     (BhSecret   *secret);
void      bh_secret_wipe     (gpointer    data,
                              gsize       len);
gboolean  bh_secret_equal    (const char *a,
                              const char *b);

/* Replaces *secret by value (duplicated), wiping the old one. */
void      bh_secret_replace  (BhSecret  **secret,
                              const char *value);

static inline void
bh_secret_clear (BhSecret **secret)
{
  if (secret != NULL && *secret != NULL)
    {
      bh_secret_free (*secret);
      *secret = NULL;
    }
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhSecret, bh_secret_free)

/* A GBytes whose data is wiped when the last reference goes away. */
GBytes   *bh_secret_bytes_new_take (gpointer data,
                                    gsize    len);

G_END_DECLS
