/* bh-x-error-transport.c: a request that got no answer, as a BH_X_ERROR
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

#include "bh-x-error.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "bh-x-error-private.h"

/* Apart from bh-x-error.c because it knows libsoup's errors: the signing
 * side of the core (and `birdhouse sign`, which links no libsoup) uses
 * BH_X_ERROR without the transport. */

/**
 * bh_x_error_from_transport:
 *
 * See the header. Errors already in BH_X_ERROR are copied.
 */
GError *
bh_x_error_from_transport (const GError *error)
{
  BhXError code = BH_X_ERROR_FAILED;
  const char *sentence = NULL;
  GError *mapped;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == BH_X_ERROR)
    return g_error_copy (error);

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CANCELLED:
          code = BH_X_ERROR_CANCELLED;
          break;
        case G_IO_ERROR_TIMED_OUT:
          code = BH_X_ERROR_TIMEOUT;
          break;
        case G_IO_ERROR_CONNECTION_REFUSED:
          code = BH_X_ERROR_CONNECTION;
          sentence = _("The server refused the connection. Check the App’s API host and try again later.");
          break;
        case G_IO_ERROR_HOST_NOT_FOUND:
          code = BH_X_ERROR_CONNECTION;
          sentence = _("The server could not be found. Check the network connection and the App’s API host.");
          break;
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
          code = BH_X_ERROR_CONNECTION;
          sentence = _("The network cannot reach the server. Check the network connection and try again.");
          break;
        case G_IO_ERROR_PROXY_FAILED:
        case G_IO_ERROR_PROXY_AUTH_FAILED:
        case G_IO_ERROR_PROXY_NEED_AUTH:
        case G_IO_ERROR_PROXY_NOT_ALLOWED:
          code = BH_X_ERROR_CONNECTION;
          sentence = _("The network proxy did not let the connection through. Check the proxy settings and try again.");
          break;
        case G_IO_ERROR_CONNECTION_CLOSED: /* also BROKEN_PIPE and resets */
        case G_IO_ERROR_PARTIAL_INPUT:
        case G_IO_ERROR_NOT_CONNECTED:
          code = BH_X_ERROR_CONNECTION;
          sentence = _("The connection to the server was lost before it answered. Check the network connection and try again.");
          break;
        case G_IO_ERROR_INVALID_ARGUMENT:
        case G_IO_ERROR_NOT_SUPPORTED:
          code = BH_X_ERROR_FAILED;
          break;
        default:
          code = BH_X_ERROR_CONNECTION;
          break;
        }
    }
  else if (error->domain == G_RESOLVER_ERROR)
    {
      code = BH_X_ERROR_CONNECTION;
      sentence = _("The server could not be found. Check the network connection and the App’s API host.");
    }
  else if (error->domain == G_TLS_ERROR)
    {
      code = BH_X_ERROR_TLS;
      if (error->code == G_TLS_ERROR_BAD_CERTIFICATE)
        sentence = _("The server’s certificate is not valid for this address or not trusted, so nothing was sent. Check the App’s API host, the computer’s date and time, and any network proxy.");
    }
  else if (error->domain == SOUP_SESSION_ERROR)
    {
      switch (error->code)
        {
        case SOUP_SESSION_ERROR_PARSING:
        case SOUP_SESSION_ERROR_ENCODING:
          code = BH_X_ERROR_MALFORMED;
          break;
        default:
          code = BH_X_ERROR_FAILED;
          break;
        }
    }

  /* The transport's own message names the failure but not a way out, and
   * may quote an address: only the domain and code go to the log. */
  g_debug ("Transport error %s %d → BhXError %d",
           g_quark_to_string (error->domain), error->code, code);

  mapped = _bh_x_error_new_full (code, &(const BhXErrorPrivate) { .step = BH_X_STEP_OTHER }, NULL);
  if (sentence != NULL)
    {
      g_free (mapped->message);
      mapped->message = g_strdup (sentence);
    }

  return mapped;
}
