/* bh-params.c
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

#include "bh-params.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n.h>

#include "bh-params-private.h"
#include "bh-secret.h"

#define ENC(c)        { BH_UNRESERVED (c) ? (char) (c) : '%', \
                        BH_UNRESERVED (c) ? '\0' : BH_HEX_DIGIT ((c) >> 4), \
                        BH_UNRESERVED (c) ? '\0' : BH_HEX_DIGIT ((c) & 0xf), \
                        BH_UNRESERVED (c) ? 1 : 3 }
#define ENC4(c)       ENC (c), ENC ((c) + 1), ENC ((c) + 2), ENC ((c) + 3)
#define ENC16(c)      ENC4 (c), ENC4 ((c) + 4), ENC4 ((c) + 8), ENC4 ((c) + 12)
#define ENC64(c)      ENC16 (c), ENC16 ((c) + 16), ENC16 ((c) + 32), ENC16 ((c) + 48)

const char _bh_enc_table[256][4] = {
  ENC64 (0x00), ENC64 (0x40), ENC64 (0x80), ENC64 (0xc0),
};

const guint8 _bh_unreserved_table[256] = {
#define U(c)   BH_UNRESERVED (c)
#define U4(c)  U (c), U ((c) + 1), U ((c) + 2), U ((c) + 3)
#define U16(c) U4 (c), U4 ((c) + 4), U4 ((c) + 8), U4 ((c) + 12)
#define U64(c) U16 (c), U16 ((c) + 16), U16 ((c) + 32), U16 ((c) + 48)
  U64 (0x00), U64 (0x40), U64 (0x80), U64 (0xc0),
#undef U64
#undef U16
#undef U4
#undef U
};

static inline int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

gssize
_bh_form_decode (const char *in,
                 gsize       len,
                 char       *out)
{
  char *o = out;

  for (gsize i = 0; i < len; i++)
    {
      char c = in[i];

      if (c == '+')
        {
          *o++ = ' ';
        }
      else if (c == '%')
        {
          int hi, lo;

          if (len - i < 3)
            return -1;
          hi = hex_value (in[i + 1]);
          lo = hex_value (in[i + 2]);
          if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            return -1;
          *o++ = (char) (hi << 4 | lo);
          i += 2;
        }
      else if (c == '\0')
        {
          return -1;
        }
      else
        {
          *o++ = c;
        }
    }

  return o - out;
}

/* Params */

static void
bh_param_free (gpointer data)
{
  BhParam *param = data;

  /* Form bodies carry tokens (invalidate_token) and PINs (verifier). */
  bh_secret_free (param->name);
  bh_secret_free (param->value);
  g_free (param);
}

/**
 * bh_params_new:
 *
 * Returns: (transfer full): an empty array of #BhParam
 */
GPtrArray *
bh_params_new (void)
{
  return g_ptr_array_new_with_free_func (bh_param_free);
}

static void
params_add_take (GPtrArray *params,
                 char      *name,
                 char      *value)
{
  BhParam *param = g_new (BhParam, 1);

  param->name = name;
  param->value = value;
  g_ptr_array_add (params, param);
}

/**
 * bh_params_add:
 * @params: an array from bh_params_new()
 * @name: a decoded name
 * @value: (nullable): a decoded value; %NULL is the empty value
 *
 * Appends a parameter; a name may repeat.
 */
void
bh_params_add (GPtrArray  *params,
               const char *name,
               const char *value)
{
  g_return_if_fail (params != NULL);
  g_return_if_fail (name != NULL);

  params_add_take (params, bh_secret_dup (name), bh_secret_dup (value ? value : ""));
}

/**
 * bh_params_get:
 * @params: an array of #BhParam
 * @name: a decoded name
 *
 * Returns: (nullable): the first value for @name
 */
const char *
bh_params_get (GPtrArray  *params,
               const char *name)
{
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < params->len; i++)
    {
      BhParam *param = g_ptr_array_index (params, i);

      if (strcmp (param->name, name) == 0)
        return param->value;
    }

  return NULL;
}

static char *
decode_component (const char  *in,
                  gsize        len,
                  GError     **error)
{
  char *out = g_malloc (len + 1);
  gssize out_len;
  const char *message = NULL;

  out_len = _bh_form_decode (in, len, out);
  if (out_len < 0)
    message = _("The form data has a malformed percent-escape.");
  else if (!g_utf8_validate (out, out_len, NULL))
    message = _("The form data is not valid UTF-8 text.");

  if (message != NULL)
    {
      /* Whatever was decoded may be part of a token. */
      bh_secret_wipe (out, len + 1);
      g_free (out);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
      return NULL;
    }
  out[out_len] = '\0';

  return out;
}

/**
 * bh_params_parse_form:
 * @params: an array of #BhParam
 * @form: an application/x-www-form-urlencoded string
 * @len: its length, or -1 when it is NUL-terminated
 * @error: return location for a #GError
 *
 * Appends the pairs of @form to @params. Empty pairs ("a=1&&b=2") are
 * skipped; a pair without "=" has the empty value. On error @params keeps
 * the pairs before the bad one.
 *
 * Returns: %TRUE on success
 */
gboolean
bh_params_parse_form (GPtrArray   *params,
                      const char  *form,
                      gssize       len,
                      GError     **error)
{
  const char *p, *end;

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (form != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len < 0)
    len = strlen (form);

  p = form;
  end = form + len;

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *pair_end = amp ? amp : end;
      const char *eq;
      g_autoptr(BhSecret) name = NULL;
      g_autoptr(BhSecret) value = NULL;

      if (pair_end > p)
        {
          eq = memchr (p, '=', pair_end - p);
          name = decode_component (p, (eq ? eq : pair_end) - p, error);
          if (name == NULL)
            return FALSE;
          if (eq != NULL)
            value = decode_component (eq + 1, pair_end - eq - 1, error);
          else
            value = g_strdup ("");
          if (value == NULL)
            return FALSE;

          params_add_take (params, g_steal_pointer (&name), g_steal_pointer (&value));
        }

      p = pair_end + 1;
    }

  return TRUE;
}

/**
 * bh_params_to_form:
 * @params: an array of #BhParam
 *
 * Returns: (transfer full): `name=value&…`, both sides percent-encoded
 */
char *
bh_params_to_form (GPtrArray *params)
{
  gsize total = 0;
  char *out, *o;

  g_return_val_if_fail (params != NULL, NULL);

  for (guint i = 0; i < params->len; i++)
    {
      BhParam *param = g_ptr_array_index (params, i);

      total += _bh_enc_len (param->name, strlen (param->name)) + 1
             + _bh_enc_len (param->value, strlen (param->value)) + 1;
    }

  o = out = g_malloc (total + 1 + BH_ENC_SLACK);
  for (guint i = 0; i < params->len; i++)
    {
      BhParam *param = g_ptr_array_index (params, i);

      if (i > 0)
        *o++ = '&';
      o = _bh_enc_write (o, param->name, strlen (param->name));
      *o++ = '=';
      o = _bh_enc_write (o, param->value, strlen (param->value));
    }
  *o = '\0';

  return out;
}

/**
 * bh_oauth1_percent_encode:
 * @text: UTF-8 text
 *
 * Returns: (transfer full): @text with everything but ALPHA DIGIT - . _ ~
 *   percent-encoded with upper-case hex
 */
char *
bh_oauth1_percent_encode (const char *text)
{
  gsize len, out_len;
  char *out;

  g_return_val_if_fail (text != NULL, NULL);

  len = strlen (text);
  out_len = _bh_enc_len (text, len);
  out = g_malloc (out_len + 1 + BH_ENC_SLACK);
  *_bh_enc_write (out, text, len) = '\0';

  return out;
}
