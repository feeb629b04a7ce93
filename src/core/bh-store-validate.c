/* bh-store-validate.c: what the store accepts as text, names and API hosts
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

#include "bh-store-private.h"

#include <string.h>
#include <glib/gi18n.h>
#include "bh-x-url.h"

/* Validation ---------------------------------------------------------------- */

gboolean
_bh_store_check_text (const char  *value,
                      const char  *what,
                      gboolean     allow_spaces,
                      GError     **error)
{
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID,
                   _("The %s is empty. Enter it and try again."), what);
      return FALSE;
    }

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID,
                   _("The %s is not valid text."), what);
      return FALSE;
    }

  /* The byte length first: no need to count a megabyte of characters. */
  if (strlen (value) > 4 * BH_STORE_MAX_TEXT_LENGTH ||
      g_utf8_strlen (value, -1) > BH_STORE_MAX_TEXT_LENGTH)
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                   /* Translators: %s names a field, such as “App name”; %d is a number of
                    * characters. */
                   _("The %s is longer than %d characters."), what, BH_STORE_MAX_TEXT_LENGTH);
      return FALSE;
    }

  if (g_unichar_isspace (g_utf8_get_char (value)) ||
      g_unichar_isspace (g_utf8_get_char (g_utf8_find_prev_char (value, value + strlen (value)))))
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID,
                   _("The %s starts or ends with a space. Check that it was copied whole, without "
                     "spaces around it."), what);
      return FALSE;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || (!allow_spaces && g_unichar_isspace (c)))
        {
          g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID,
                       allow_spaces ? _("The %s contains a line break or a control character.")
                                    : _("The %s contains a space or a line break. Check that it was copied "
                                        "whole, and only it."),
                       what);
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
_bh_store_check_name_length (const char  *name,
                             GError     **error)
{
  if (g_utf8_strlen (name, -1) > BH_STORE_MAX_NAME_LENGTH)
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                   /* Translators: %d is the most characters an App name may have. */
                   _("The App name is longer than %d characters. Choose a shorter one."),
                   BH_STORE_MAX_NAME_LENGTH);
      return FALSE;
    }

  return TRUE;
}

/* What two names are compared by: the same name whatever its case and
 * Unicode normalization ("É" typed as one character or as "E" and an
 * accent). NFD, case folding, then NFC: the canonical caseless match of
 * Unicode (D145). */
char *
_bh_store_name_key (const char *name)
{
  g_autofree char *nfd = g_utf8_normalize (name != NULL ? name : "", -1, G_NORMALIZE_NFD);
  g_autofree char *folded = NULL;

  if (nfd == NULL)
    return g_strdup ("");

  folded = g_utf8_casefold (nfd, -1);
  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
}

static gboolean
is_unsafe_char (gunichar c)
{
  /* Controls (C0, DEL, C1: a terminal obeys some of them) and the format
   * characters that reorder or hide text (bidirectional overrides,
   * zero-width characters). */
  return g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT;
}

/* Text from the records file (or the keyring's attributes) made fit for a
 * message: valid UTF-8, no control or format characters, and not longer
 * than a sentence can carry. */
char *
_bh_store_safe_text (const char *text,
                     gssize      len)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", len);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_unsafe_char (c))
        continue;

      if (++n > 200)
        {
          g_string_append (out, "…");
          break;
        }

      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* The API host rule is the X client's (bh-x-url.c): one rule for both, so
 * that the store never keeps a host the client would refuse. */
gboolean
_bh_store_check_api_host (const char  *api_host,
                          GError     **error)
{
  g_autoptr(GError) host_error = NULL;

  if (api_host == NULL)
    return TRUE;

  if (!_bh_store_check_text (api_host, _("API host"), FALSE, error))
    return FALSE;

  if (!bh_x_check_api_host (api_host, &host_error))
    {
      g_set_error_literal (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID, host_error->message);
      return FALSE;
    }

  return TRUE;
}
