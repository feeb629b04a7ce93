/* bh-oauth1-uri.c
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

#include "bh-oauth1.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n.h>

#include "bh-oauth1-private.h"

/* The base string URI of RFC 5849 §3.4.1.2: the request URL without its
 * query, scheme and host in lower case, a default port dropped. */
void
_bh_url_parts_clear (BhUrlParts *parts)
{
  g_clear_pointer (&parts->scheme, g_free);
  g_clear_pointer (&parts->host, g_free);
  g_clear_pointer (&parts->path, g_free);
  g_clear_pointer (&parts->query, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BhUrlParts, _bh_url_parts_clear)

gboolean
_bh_url_parts_init (BhUrlParts  *parts,
                    const char  *url,
                    GError     **error)
{
  parts->port = -1;

  /* ENCODED: the path and query come back as they were sent, which is
   * what the base string and the signed parameters must be built from. */
  if (url == NULL ||
      !g_uri_split (url, G_URI_FLAGS_ENCODED,
                    &parts->scheme, NULL, &parts->host, &parts->port,
                    &parts->path, &parts->query, NULL, NULL) ||
      parts->scheme == NULL || parts->host == NULL || parts->host[0] == '\0' ||
      (g_ascii_strcasecmp (parts->scheme, "http") != 0 &&
       g_ascii_strcasecmp (parts->scheme, "https") != 0))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The address of the request is not an absolute http or https URL."));
      return FALSE;
    }

  parts->https = g_ascii_strcasecmp (parts->scheme, "https") == 0;

  return TRUE;
}

static inline char
ascii_lower (char c)
{
  return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

gsize
_bh_base_uri_write (const BhUrlParts *parts,
                    char             *out)
{
  char *o = out;
  gboolean ipv6 = strchr (parts->host, ':') != NULL;
  const char *path = (parts->path != NULL && parts->path[0] != '\0') ? parts->path : "/";
  gsize path_len = strlen (path);

  if (parts->https)
    {
      memcpy (o, "https://", 8);
      o += 8;
    }
  else
    {
      memcpy (o, "http://", 7);
      o += 7;
    }

  /* GUri hands an IPv6 literal back without its brackets. */
  if (ipv6)
    *o++ = '[';
  for (const char *h = parts->host; *h != '\0'; h++)
    *o++ = ascii_lower (*h);
  if (ipv6)
    *o++ = ']';

  if (parts->port > 0 &&
      !(parts->port == 80 && !parts->https) &&
      !(parts->port == 443 && parts->https))
    {
      char digits[8];
      int n = 0;

      for (int p = parts->port; p > 0 && n < (int) sizeof digits; p /= 10)
        digits[n++] = (char) ('0' + p % 10);
      *o++ = ':';
      while (n > 0)
        *o++ = digits[--n];
    }

  memcpy (o, path, path_len);
  o += path_len;
  *o = '\0';

  return o - out;
}

/**
 * bh_oauth1_base_uri:
 * @url: an absolute http or https URL
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the base string URI of RFC 5849
 *   §3.4.1.2
 */
char *
bh_oauth1_base_uri (const char  *url,
                    GError     **error)
{
  g_auto(BhUrlParts) parts = { 0 };
  char *out;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_bh_url_parts_init (&parts, url, error))
    return NULL;

  out = g_malloc (_bh_base_uri_size (&parts));
  _bh_base_uri_write (&parts, out);

  return out;
}
