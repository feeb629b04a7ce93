/* fuzz-x-error.c: X's error answers, as X, a proxy or an attacker may send them
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

#include <string.h>

#include "bh-x-error.h"
#include "fuzz-common.h"

/* The first two bytes choose the status (400–599), the rest is the body. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 400;

  if (size >= 2)
    {
      status = 400 + ((data[0] << 8 | data[1]) % 200);
      data += 2;
      size -= 2;
    }

  body = g_bytes_new (data, size);
  error = bh_x_error_from_response (status, body, size > 0 ? data[0] : 0, (gint64) size - 300, size % 2);
  g_assert_nonnull (error);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  /* What reaches a terminal holds no escape or other C0/C1 control. */
  for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_true (c == '\n' || (c >= 0x20 && c != 0x7f && (c < 0x80 || c > 0x9f)));
      /* Nor a bidirectional override or isolate that reorders the line. */
      g_assert_false ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
    }

  return 0;
}
