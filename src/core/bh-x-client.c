/* bh-x-client.c
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

#include "bh-x-client.h"

#include <string.h>
#include <libsoup/soup.h>

#include "bh-x-client-private.h"
#include "bh-x-error.h"

#define DEFAULT_TIMEOUT_SECONDS 30

/* The idle timeout above does not end a request whose answer trickles in
 * a byte every few seconds; this deadline does. */
#define DEFAULT_DEADLINE_SECONDS 60

/* X allows five minutes between its clock and oauth_timestamp; beyond
 * that the client signs with the server's time instead of ours. */
#define MAX_CLOCK_SKEW_SECONDS 300

G_DEFINE_FINAL_TYPE (BhXClient, bh_x_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_API_HOST,
  PROP_TIMEOUT,
  PROP_DEADLINE,
  PROP_CLOCK_OFFSET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bh_x_client_finalize (GObject *object)
{
  BhXClient *self = (BhXClient *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->api_host, g_free);

  G_OBJECT_CLASS (bh_x_client_parent_class)->finalize (object);
}

static void
bh_x_client_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BhXClient *self = BH_X_CLIENT (object);

  switch (prop_id)
    {
    case PROP_API_HOST:
      g_value_set_string (value, self->api_host);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_DEADLINE:
      g_value_set_uint (value, self->deadline);
      break;
    case PROP_CLOCK_OFFSET:
      g_value_set_int64 (value, self->clock_offset);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_x_client_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  BhXClient *self = BH_X_CLIENT (object);

  switch (prop_id)
    {
    case PROP_API_HOST:
      {
        const char *host = g_value_get_string (value);
        gsize len;

        if (host == NULL)
          host = BH_DEFAULT_API_HOST;
        len = strlen (host);
        while (len > 0 && host[len - 1] == '/')
          len--;
        self->api_host = g_strndup (host, len);
      }
      break;
    case PROP_TIMEOUT:
      bh_x_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_DEADLINE:
      bh_x_client_set_deadline (self, g_value_get_uint (value));
      break;
    case PROP_CLOCK_OFFSET:
      bh_x_client_set_clock_offset (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_x_client_class_init (BhXClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bh_x_client_finalize;
  object_class->get_property = bh_x_client_get_property;
  object_class->set_property = bh_x_client_set_property;

  properties[PROP_API_HOST] =
    g_param_spec_string ("api-host", NULL, NULL,
                         BH_DEFAULT_API_HOST,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_TIMEOUT_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_DEADLINE] =
    g_param_spec_uint ("deadline", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_DEADLINE_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_CLOCK_OFFSET] =
    g_param_spec_int64 ("clock-offset", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_x_client_init (BhXClient *self)
{
  g_autoptr(GProxyResolver) resolver = _bh_x_loopback_proxy_resolver_new ();

  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  self->deadline = DEFAULT_DEADLINE_SECONDS;

  /* One session for everything: connection reuse, one user agent, one
   * timeout. TLS uses the system's certificate database; there is no
   * accept-certificate handler anywhere, and no SoupLogger: bodies hold
   * tokens. */
  self->session = soup_session_new_with_options ("user-agent", "Birdhouse/" PACKAGE_VERSION,
                                                 "timeout", self->timeout,
                                                 "proxy-resolver", resolver,
                                                 NULL);
}

/**
 * bh_x_client_new:
 * @api_host: (nullable): e.g. "https://api.x.com" (the default); checked
 *   with bh_x_check_api_host()
 * @error: BH_X_ERROR_INVALID_URL or BH_X_ERROR_INSECURE_URL
 *
 * One SoupSession with a user agent and a timeout; TLS certificate checks
 * are never disabled.
 *
 * Returns: (transfer full) (nullable): a new client
 */
BhXClient *
bh_x_client_new (const char  *api_host,
                 GError     **error)
{
  if (api_host == NULL)
    api_host = BH_DEFAULT_API_HOST;

  if (!bh_x_check_api_host (api_host, error))
    return NULL;

  return g_object_new (BH_TYPE_X_CLIENT, "api-host", api_host, NULL);
}

/**
 * bh_x_client_get_api_host:
 * @self: a client
 *
 * Returns: the API host, without a trailing slash
 */
const char *
bh_x_client_get_api_host (BhXClient *self)
{
  g_return_val_if_fail (BH_IS_X_CLIENT (self), NULL);

  return self->api_host;
}

/**
 * bh_x_client_set_timeout:
 * @self: a client
 * @seconds: the I/O timeout; 0 waits forever (default 30)
 *
 * Applies to connections opened from now on. Property "timeout".
 */
void
bh_x_client_set_timeout (BhXClient *self,
                         guint      seconds)
{
  g_return_if_fail (BH_IS_X_CLIENT (self));

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  g_object_set (self->session, "timeout", seconds, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * bh_x_client_set_deadline:
 * @self: a client
 * @seconds: the most one request may take, from start to the last byte
 *   of the answer however slowly the bytes come; 0 for no limit (default
 *   60)
 *
 * Applies to requests started from now on. Property "deadline".
 */
void
bh_x_client_set_deadline (BhXClient *self,
                          guint      seconds)
{
  g_return_if_fail (BH_IS_X_CLIENT (self));

  if (self->deadline == seconds)
    return;

  self->deadline = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEADLINE]);
}

/**
 * bh_x_client_get_deadline:
 * @self: a client
 *
 * Returns: the deadline of a request in seconds, 0 for none
 */
guint
bh_x_client_get_deadline (BhXClient *self)
{
  g_return_val_if_fail (BH_IS_X_CLIENT (self), 0);

  return self->deadline;
}

/**
 * bh_x_client_get_clock_offset:
 * @self: a client
 *
 * Seconds added to the local clock when signing. The client sets it by
 * itself from the server's Date header when X answers 135, or when the
 * difference exceeds five minutes; property "clock-offset" notifies.
 *
 * Returns: the offset in seconds
 */
gint64
bh_x_client_get_clock_offset (BhXClient *self)
{
  g_return_val_if_fail (BH_IS_X_CLIENT (self), 0);

  return self->clock_offset;
}

/**
 * bh_x_client_set_clock_offset:
 * @self: a client
 * @seconds: seconds added to the local clock when signing
 */
void
bh_x_client_set_clock_offset (BhXClient *self,
                              gint64     seconds)
{
  g_return_if_fail (BH_IS_X_CLIENT (self));

  if (self->clock_offset == seconds)
    return;

  self->clock_offset = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_OFFSET]);
}

/**
 * bh_x_client_get_clock_skew:
 * @self: a client
 * @skew: (out) (optional): the last measured server-minus-local
 *   difference in seconds, 0 when none
 *
 * Returns: whether a difference was measured
 */
gboolean
bh_x_client_get_clock_skew (BhXClient *self,
                            gint64    *skew)
{
  g_return_val_if_fail (BH_IS_X_CLIENT (self), FALSE);

  if (skew != NULL)
    *skew = self->have_clock_skew ? self->clock_skew : 0;

  return self->have_clock_skew;
}

/**
 * _bh_x_client_adopt_clock:
 * @self: a client
 * @response: an answer it received
 *
 * Records the clock difference measured with @response, and signs with
 * X's time from now on when X refused our timestamp, or when the time we
 * sign with is further from X's than X allows.
 */
void
_bh_x_client_adopt_clock (BhXClient         *self,
                          const BhXResponse *response)
{
  g_autoptr(GError) error = NULL;
  gboolean timestamp_refused = FALSE;

  if (!response->have_clock_skew)
    return;

  self->clock_skew = response->clock_skew;
  self->have_clock_skew = TRUE;

  if (response->status >= 400)
    {
      error = bh_x_error_from_response (response->status, response->body,
                                        response->rate_limit_reset,
                                        response->clock_skew, TRUE);
      timestamp_refused = g_error_matches (error, BH_X_ERROR, BH_X_ERROR_TIMESTAMP);
    }

  if (timestamp_refused ||
      ABS (response->clock_skew - self->clock_offset) > MAX_CLOCK_SKEW_SECONDS)
    {
      g_debug ("Clock differs from the server's by %" G_GINT64_FORMAT " s; signing with that offset",
               response->clock_skew);
      bh_x_client_set_clock_offset (self, response->clock_skew);
    }
}
