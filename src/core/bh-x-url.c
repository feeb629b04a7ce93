/* bh-x-url.c
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

#include "bh-x-url.h"

#include <glib/gi18n.h>

#include "bh-x-client-private.h"
#include "bh-x-error.h"

/**
 * bh_x_url_is_loopback_host:
 * @host: a host as GUri gives it (an IPv6 literal without brackets)
 *
 * "localhost" or an address in 127.0.0.0/8 or ::1. An IPv4-mapped address
 * or a name that merely resolves to loopback does not count: nothing is
 * resolved here.
 *
 * Returns: %TRUE when @host is this computer
 */
gboolean
bh_x_url_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  g_return_val_if_fail (host != NULL, FALSE);

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return FALSE;

  return g_inet_address_get_is_loopback (address);
}

/* Letters, digits, '-', '.', '_' (and UTF-8 for IDN), or an IP literal:
 * GUri lets a space or a quote through in a host. */
static gboolean
host_is_valid (const char *host)
{
  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (const guchar *p = (const guchar *) host; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '-' || *p == '.' || *p == '_' || *p >= 0x80))
      return FALSE;

  return TRUE;
}

static GUri *
parse_url (const char *url)
{
  if (url == NULL || *url == '\0')
    return NULL;

  return g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
}

/* The rule itself: -1 when credentials may go to @uri, else the BhXError
 * to refuse it with. */
static int
refusal_for (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);
  const char *host = g_uri_get_host (uri);

  /* User info in the URL would be a credential in clear text. */
  if (host == NULL || *host == '\0' || !host_is_valid (host) ||
      g_uri_get_userinfo (uri) != NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 &&
       g_ascii_strcasecmp (scheme, "http") != 0))
    return BH_X_ERROR_INVALID_URL;

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !bh_x_url_is_loopback_host (host))
    return BH_X_ERROR_INSECURE_URL;

  return -1;
}

/**
 * bh_x_check_url:
 * @url: (nullable): an absolute URL
 * @error: BH_X_ERROR_INVALID_URL or BH_X_ERROR_INSECURE_URL
 *
 * Credentials are sent only over https, or over http to this computer
 * (where the tests' fake server lives). Nothing is resolved or
 * connected here.
 *
 * Returns: %TRUE when Birdhouse may send a request to @url
 */
gboolean
bh_x_check_url (const char  *url,
                GError     **error)
{
  g_autoptr(GUri) uri = parse_url (url);
  int refusal = uri != NULL ? refusal_for (uri) : BH_X_ERROR_INVALID_URL;

  if (refusal < 0)
    return TRUE;

  g_propagate_error (error, bh_x_error_new (refusal));
  return FALSE;
}

/**
 * bh_x_check_api_host:
 * @api_host: (nullable): an App's API host, such as "https://api.x.com"
 * @error: BH_X_ERROR_INVALID_URL or BH_X_ERROR_INSECURE_URL, with a
 *   sentence that names @api_host
 *
 * bh_x_check_url(), and only a scheme, a host and a port: no path but
 * "/", no query, fragment or user info, because requests are made by
 * appending paths to it. The X client refuses to be created for a host
 * this refuses, and the store to keep one.
 *
 * Returns: %TRUE when @api_host may be an API host
 */
gboolean
bh_x_check_api_host (const char  *api_host,
                     GError     **error)
{
  g_autoptr(GUri) uri = parse_url (api_host);
  g_autofree char *shown = NULL;
  const char *host, *path;
  int refusal;

  if (api_host == NULL || *api_host == '\0')
    {
      g_propagate_error (error, bh_x_error_new (BH_X_ERROR_INVALID_URL));
      return FALSE;
    }

  /* The sentences name the host as typed, minus what could garble a
   * terminal or a label. */
  shown = bh_x_strip_controls (api_host);
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (host == NULL || *host == '\0' || !host_is_valid (host))
    {
      g_set_error (error, BH_X_ERROR, BH_X_ERROR_INVALID_URL,
                   /* Translators: %s is the API host as the person typed it. */
                   _("The API host “%s” is not an address such as https://api.x.com."), shown);
      return FALSE;
    }

  path = g_uri_get_path (uri);
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL || (*path != '\0' && !g_str_equal (path, "/")))
    {
      g_set_error (error, BH_X_ERROR, BH_X_ERROR_INVALID_URL,
                   /* Translators: %s is the API host as the person typed it. */
                   _("The API host “%s” must be only a scheme and a host, such as https://api.x.com."),
                   shown);
      return FALSE;
    }

  /* What is left to refuse is the scheme. */
  refusal = refusal_for (uri);
  if (refusal >= 0)
    {
      g_set_error (error, BH_X_ERROR, refusal,
                   /* Translators: %s is the API host as the person typed it. */
                   _("The API host “%s” does not use https. Keys are only sent over https "
                     "(plain http is allowed to this computer only)."), shown);
      return FALSE;
    }

  return TRUE;
}

/**
 * _bh_x_redirect_error:
 * @base: the URL that was requested
 * @status: the 30x status
 * @location: (nullable): the Location header
 *
 * Where a redirect pointed: its host only (the path and query may hold
 * anything, a token included), and whether it left https.
 *
 * Returns: (transfer full): a BH_X_ERROR_REDIRECTED
 */
GError *
_bh_x_redirect_error (GUri       *base,
                      guint       status,
                      const char *location)
{
  g_autoptr(GUri) target = NULL;
  g_autofree char *host = NULL;
  GError *error = bh_x_error_new (BH_X_ERROR_REDIRECTED);
  gboolean downgrade = FALSE;

  if (location != NULL)
    target = g_uri_parse_relative (base, location, G_URI_FLAGS_ENCODED, NULL);

  if (target != NULL && g_uri_get_host (target) != NULL && host_is_valid (g_uri_get_host (target)))
    {
      host = bh_x_strip_controls (g_uri_get_host (target));
      downgrade = g_ascii_strcasecmp (g_uri_get_scheme (base), "https") == 0 &&
                  g_ascii_strcasecmp (g_uri_get_scheme (target), "http") == 0;
    }

  if (host == NULL || *host == '\0')
    return error;

  g_free (error->message);
  if (downgrade)
    /* Translators: %u is an HTTP status such as 301, %s a host name. */
    error->message = g_strdup_printf (_("X answered with a redirect (HTTP %u) to %s over plain http. Birdhouse does not follow redirects with credentials; check the App’s API host."),
                                      status, host);
  else
    /* Translators: %u is an HTTP status such as 301, %s a host name. */
    error->message = g_strdup_printf (_("X answered with a redirect (HTTP %u) to %s. Birdhouse does not follow redirects with credentials; check the App’s API host."),
                                      status, host);

  return error;
}

/* Proxies: loopback is always direct */

/* A GProxyResolver that sends nothing for this computer through a proxy
 * (the tests' fake server and any local endpoint: a proxy would see every
 * token sent to it), and asks the desktop's resolver about every other
 * host. */
#define BH_TYPE_LOOPBACK_PROXY_RESOLVER (bh_loopback_proxy_resolver_get_type ())
G_DECLARE_FINAL_TYPE (BhLoopbackProxyResolver, bh_loopback_proxy_resolver, BH, LOOPBACK_PROXY_RESOLVER, GObject)

struct _BhLoopbackProxyResolver
{
  GObject parent_instance;
};

static void bh_loopback_proxy_resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BhLoopbackProxyResolver, bh_loopback_proxy_resolver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      bh_loopback_proxy_resolver_iface_init))

static gboolean
uri_is_loopback (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;

  return host != NULL && bh_x_url_is_loopback_host (host);
}

static char **
direct_only (void)
{
  char **proxies = g_new0 (char *, 2);

  proxies[0] = g_strdup ("direct://");
  return proxies;
}

static gboolean
bh_loopback_proxy_resolver_is_supported (GProxyResolver *resolver)
{
  return TRUE;
}

static char **
bh_loopback_proxy_resolver_lookup (GProxyResolver  *resolver,
                                   const char      *uri,
                                   GCancellable    *cancellable,
                                   GError         **error)
{
  if (uri_is_loopback (uri))
    return direct_only ();

  return g_proxy_resolver_lookup (g_proxy_resolver_get_default (), uri, cancellable, error);
}

static void
default_lookup_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char **proxies;

  proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, &error);
  if (proxies == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, proxies, (GDestroyNotify) g_strfreev);
}

static void
bh_loopback_proxy_resolver_lookup_async (GProxyResolver      *resolver,
                                         const char          *uri,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_set_source_tag (task, bh_loopback_proxy_resolver_lookup_async);

  if (uri_is_loopback (uri))
    {
      g_task_return_pointer (task, direct_only (), (GDestroyNotify) g_strfreev);
      return;
    }

  g_proxy_resolver_lookup_async (g_proxy_resolver_get_default (), uri, cancellable,
                                 default_lookup_cb, g_steal_pointer (&task));
}

static char **
bh_loopback_proxy_resolver_lookup_finish (GProxyResolver  *resolver,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
bh_loopback_proxy_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = bh_loopback_proxy_resolver_is_supported;
  iface->lookup = bh_loopback_proxy_resolver_lookup;
  iface->lookup_async = bh_loopback_proxy_resolver_lookup_async;
  iface->lookup_finish = bh_loopback_proxy_resolver_lookup_finish;
}

static void
bh_loopback_proxy_resolver_class_init (BhLoopbackProxyResolverClass *klass)
{
}

static void
bh_loopback_proxy_resolver_init (BhLoopbackProxyResolver *self)
{
}

/**
 * _bh_x_loopback_proxy_resolver_new:
 *
 * Returns: (transfer full): a proxy resolver that is direct for loopback
 *   and the desktop's for every other host
 */
GProxyResolver *
_bh_x_loopback_proxy_resolver_new (void)
{
  return g_object_new (BH_TYPE_LOOPBACK_PROXY_RESOLVER, NULL);
}
