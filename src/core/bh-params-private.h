/* bh-params-private.h
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

/* The encoders that bh-params.c and the OAuth 1.0a signer share. They are
 * inline on purpose: signing runs once per API request, and
 * tests/bench-oauth1.c holds it close to the bare HMAC. The tables are
 * computed by the compiler, once, in bh-params.c. */

/* RFC 3986 §2.3 unreserved: ALPHA DIGIT - . _ ~ */
#define BH_UNRESERVED(c) (((c) >= 'A' && (c) <= 'Z') || ((c) >= 'a' && (c) <= 'z') || \
                          ((c) >= '0' && (c) <= '9') || (c) == '-' || (c) == '.' || \
                          (c) == '_' || (c) == '~')
#define BH_HEX_DIGIT(n)  ((char) ((n) < 10 ? '0' + (n) : 'A' + (n) - 10))

/* The encoding of every byte: three characters (the first one only for an
 * unreserved byte) and, last, how many of them count. Encoding a byte is
 * then one 4-byte store and one add, with no branch to mispredict; writers
 * leave BH_ENC_SLACK bytes after their output for the store's unused tail. */
extern const char _bh_enc_table[256][4];

/* 1 for an unreserved byte, else 0. */
extern const guint8 _bh_unreserved_table[256];

#define BH_ENC_SLACK 3

static inline gsize
_bh_enc_len (const char *text,
             gsize       len)
{
  const guchar *p = (const guchar *) text;
  gsize out_len = 0;

  for (gsize i = 0; i < len; i++)
    out_len += (guchar) _bh_enc_table[p[i]][3];

  return out_len;
}

/* Most of what is signed is unreserved text (keys, tokens, nonces, words):
 * copy eight such bytes at once and look at bytes one by one only around
 * the ones that need encoding. */
static inline gboolean
_bh_all_unreserved8 (const guchar *p)
{
  return _bh_unreserved_table[p[0]] & _bh_unreserved_table[p[1]] &
         _bh_unreserved_table[p[2]] & _bh_unreserved_table[p[3]] &
         _bh_unreserved_table[p[4]] & _bh_unreserved_table[p[5]] &
         _bh_unreserved_table[p[6]] & _bh_unreserved_table[p[7]];
}

/* Writes @text at @out through @table, whose rows are @width bytes: the
 * encoding of one byte, padded, with the count of bytes that count last.
 * @out has room for @width - 1 more bytes than the encoding. Always
 * inlined, so @width is a constant and each row one store. */
G_ALWAYS_INLINE static inline char *
_bh_table_write (char       *out,
                 const char *text,
                 gsize       len,
                 const char *table,
                 gsize       width)
{
  const guchar *p = (const guchar *) text;
  gsize i = 0;

  while (i + 8 <= len)
    {
      if (_bh_all_unreserved8 (p + i))
        {
          memcpy (out, p + i, 8);
          out += 8;
          i += 8;
          continue;
        }
      for (gsize end = i + 8; i < end; i++)
        {
          memcpy (out, table + p[i] * width, width);
          out += table[p[i] * width + width - 1];
        }
    }

  for (; i < len; i++)
    {
      memcpy (out, table + p[i] * width, width);
      out += table[p[i] * width + width - 1];
    }

  return out;
}

/* Writes the encoding of @text at @out, which has room for BH_ENC_SLACK
 * more bytes than the encoding; returns the end of what it wrote. */
static inline char *
_bh_enc_write (char       *out,
               const char *text,
               gsize       len)
{
  return _bh_table_write (out, text, len, &_bh_enc_table[0][0], 4);
}

/* x-www-form-urlencoded decoding of @len bytes into @out (at least @len
 * bytes). Returns the decoded length, or -1 for a bad escape or a NUL,
 * which a C string could not carry. */
gssize _bh_form_decode (const char *in,
                        gsize       len,
                        char       *out);

G_END_DECLS
