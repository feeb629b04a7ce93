/* bh-secret.c
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

#include "config.h"

#include "bh-secret.h"

#include <string.h>
#include <gnutls/gnutls.h>

/**
 * bh_secret_wipe:
 * @data: memory that held a secret
 * @len: its size
 *
 * Overwrites @data with zeros in a way the compiler may not optimise away.
 */
void
bh_secret_wipe (gpointer data,
                gsize    len)
{
  if (data != NULL && len > 0)
    gnutls_memset (data, 0, len);
}

/**
 * bh_secret_dup:
 * @value: (nullable): a secret
 *
 * Returns: (transfer full) (nullable): a copy of @value, to free with
 *   bh_secret_free()
 */
BhSecret *
bh_secret_dup (const char *value)
{
  if (value == NULL)
    return NULL;

  return bh_secret_dup_len (value, strlen (value));
}

/**
 * bh_secret_dup_len:
 * @value: the bytes of a secret, not necessarily NUL-terminated
 * @len: how many
 *
 * Returns: (transfer full): a NUL-terminated copy of @value
 */
BhSecret *
bh_secret_dup_len (const char *value,
                   gsize       len)
{
  char *copy = g_malloc (len + 1);

  memcpy (copy, value, len);
  copy[len] = '\0';

  return copy;
}

/**
 * bh_secret_free:
 * @secret: (nullable): a secret
 *
 * Wipes and frees @secret.
 */
void
bh_secret_free (BhSecret *secret)
{
  if (secret == NULL)
    return;

  bh_secret_wipe (secret, strlen (secret));
  g_free (secret);
}

/**
 * bh_secret_replace:
 * @secret: where a secret is kept
 * @value: (nullable): the new value
 *
 * Replaces the secret in @secret with a copy of @value, wiping the old one.
 */
void
bh_secret_replace (BhSecret  **secret,
                   const char *value)
{
  BhSecret *old = *secret;

  *secret = bh_secret_dup (value);
  bh_secret_free (old);
}

/**
 * bh_secret_equal:
 * @a: (nullable): a secret
 * @b: (nullable): another
 *
 * Compares two secrets in time that does not depend on where they differ.
 *
 * Returns: %TRUE when both are %NULL or both hold the same text
 */
gboolean
bh_secret_equal (const char *a,
                 const char *b)
{
  gsize len_a, len_b;
  guchar diff = 0;

  if (a == NULL || b == NULL)
    return a == b;

  len_a = strlen (a);
  len_b = strlen (b);
  if (len_a != len_b)
    return FALSE;

  for (gsize i = 0; i < len_a; i++)
    diff |= (guchar) a[i] ^ (guchar) b[i];

  return diff == 0;
}

typedef struct
{
  gpointer data;
  gsize    len;
} WipeData;

static void
wipe_and_free (gpointer user_data)
{
  WipeData *wd = user_data;

  bh_secret_wipe (wd->data, wd->len);
  g_free (wd->data);
  g_free (wd);
}

/**
 * bh_secret_bytes_new_take:
 * @data: (transfer full): memory allocated with g_malloc()
 * @len: its size
 *
 * Returns: (transfer full): a #GBytes over @data that wipes it when freed
 */
GBytes *
bh_secret_bytes_new_take (gpointer data,
                          gsize    len)
{
  WipeData *wd = g_new (WipeData, 1);

  wd->data = data;
  wd->len = len;

  return g_bytes_new_with_free_func (data, len, wipe_and_free, wd);
}
