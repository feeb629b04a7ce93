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
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "bh-oauth1.h"
#include "bh-secret.h"
#include "bh-x-error.h"

#define DEFAULT_TIMEOUT_SECONDS 30

/* The idle timeout above does not end a request whose answer trickles in
 * a byte every few seconds; this deadline does. */
#define DEFAULT_DEADLINE_SECONDS 60

/* X allows five minutes between its clock and oauth_timestamp; beyond
 * that the client signs with the server's time instead of ours. */
#define MAX_CLOCK_SKEW_SECONDS 300

/* No X answer Birdhouse asks for comes near this. */
#define MAX_BODY_SIZE (8 * 1024 * 1024)
#define READ_CHUNK 8192

struct _BhXClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *api_host;     /* without a trailing slash */
  guint        timeout;
  guint        deadline;
  gint64       clock_offset;
  gint64       clock_skew;
  gboolean     have_clock_skew;
};

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

G_DEFINE_BOXED_TYPE (BhXResponse, bh_x_response, bh_x_response_copy, bh_x_response_free)

/* Responses, identities, token pairs */

void
bh_x_response_free (BhXResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->reason);
  g_free (response->content_type);
  /* The body's GBytes wipes its buffer when the last reference goes. */
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, g_ptr_array_unref);
  g_clear_pointer (&response->form, g_ptr_array_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response->access_level);
  g_free (response->signed_param_string);
  g_free (response->signed_base_string);
  g_free (response);
}

static GPtrArray *
params_copy (GPtrArray *params)
{
  GPtrArray *copy;

  if (params == NULL)
    return NULL;

  copy = bh_params_new ();
  for (guint i = 0; i < params->len; i++)
    {
      BhParam *param = g_ptr_array_index (params, i);

      bh_params_add (copy, param->name, param->value);
    }

  return copy;
}

BhXResponse *
bh_x_response_copy (const BhXResponse *response)
{
  BhXResponse *copy;

  g_return_val_if_fail (response != NULL, NULL);

  copy = g_new0 (BhXResponse, 1);
  *copy = *response;
  copy->reason = g_strdup (response->reason);
  copy->content_type = g_strdup (response->content_type);
  copy->body = g_bytes_ref (response->body);
  copy->headers = params_copy (response->headers);
  copy->form = params_copy (response->form);
  copy->json = response->json != NULL ? json_node_copy (response->json) : NULL;
  copy->access_level = g_strdup (response->access_level);
  copy->signed_param_string = g_strdup (response->signed_param_string);
  copy->signed_base_string = g_strdup (response->signed_base_string);

  return copy;
}

/**
 * bh_x_response_check:
 * @response: an answer
 * @error: a BH_X_ERROR unless the status is 2xx
 *
 * Returns: %TRUE for a 2xx answer
 */
gboolean
bh_x_response_check (const BhXResponse  *response,
                     GError            **error)
{
  g_return_val_if_fail (response != NULL, FALSE);

  if (response->status >= 200 && response->status < 300)
    return TRUE;

  g_propagate_error (error,
                     bh_x_error_from_step_response (response->auth_mode == BH_AUTH_BEARER
                                                    ? BH_X_STEP_BEARER_REQUEST
                                                    : BH_X_STEP_OTHER,
                                                    response->status,
                                                    response->body,
                                                    response->rate_limit_reset,
                                                    response->clock_skew,
                                                    response->have_clock_skew));
  return FALSE;
}

void
bh_x_identity_free (BhXIdentity *identity)
{
  if (identity == NULL)
    return;

  g_free (identity->user_id);
  g_free (identity->screen_name);
  g_free (identity->name);
  g_free (identity->access_level);
  g_free (identity);
}

void
bh_x_token_pair_free (BhXTokenPair *pair)
{
  if (pair == NULL)
    return;

  bh_secret_free (pair->token);
  bh_secret_free (pair->token_secret);
  g_free (pair->user_id);
  g_free (pair->screen_name);
  g_free (pair);
}

/* URLs */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  /* GUri gives IPv6 literals without brackets. Only 127.0.0.0/8 and ::1
   * count: an IPv4-mapped address or a name that merely resolves to
   * loopback does not. */
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

/**
 * bh_x_check_url:
 * @url: an absolute URL
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
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_propagate_error (error, bh_x_error_new (BH_X_ERROR_INVALID_URL));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      g_propagate_error (error, bh_x_error_new (BH_X_ERROR_INVALID_URL));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  /* User info in the URL would be a credential in clear text. */
  if (host == NULL || *host == '\0' || !host_is_valid (host) ||
      g_uri_get_userinfo (uri) != NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 &&
       g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_propagate_error (error, bh_x_error_new (BH_X_ERROR_INVALID_URL));
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !host_is_loopback (host))
    {
      g_propagate_error (error, bh_x_error_new (BH_X_ERROR_INSECURE_URL));
      return FALSE;
    }

  return TRUE;
}

/* RFC 6749 §2.3.1: "The client identifier is encoded using the
 * application/x-www-form-urlencoded encoding algorithm […] and the encoded
 * value is used as the username; the client password is encoded using the
 * same algorithm and used as the password." X's documentation instead
 * says "URL encode the consumer key and the consumer secret according to
 * RFC 1738".
 *
 * Birdhouse sends the form encoding of RFC 6749 (the HTML/WHATWG
 * urlencoded serializer: ALPHA DIGIT * - . _ kept, space as '+', every
 * other byte of the UTF-8 text as %XX), because that is what OAuth 2.0
 * servers decode: they form-decode each half (unquote_plus in our fake
 * server), and a literal '+' in a key sent RFC 1738-style would come back
 * as a space. For the keys X actually issues (letters and digits) the two
 * encodings give the same bytes, so nothing changes against X. */
static char *
form_encode_component (const char *text)
{
  static const char hex[] = "0123456789ABCDEF";
  gsize len = strlen (text);
  char *out = g_malloc (len * 3 + 1);
  char *o = out;

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '*' || *p == '-' || *p == '.' || *p == '_')
        {
          *o++ = (char) *p;
        }
      else if (*p == ' ')
        {
          *o++ = '+';
        }
      else
        {
          *o++ = '%';
          *o++ = hex[*p >> 4];
          *o++ = hex[*p & 0xf];
        }
    }
  *o = '\0';

  return out;
}

/**
 * bh_x_basic_authorization:
 * @consumer_key: the API key
 * @consumer_secret: the API key secret
 *
 * Returns: (transfer full): "Basic …", to free with bh_secret_free()
 */
char *
bh_x_basic_authorization (const char *consumer_key,
                          const char *consumer_secret)
{
  g_autoptr(BhSecret) key = NULL;
  g_autoptr(BhSecret) secret = NULL;
  g_autoptr(BhSecret) joined = NULL;
  g_autoptr(BhSecret) encoded = NULL;

  g_return_val_if_fail (consumer_key != NULL, NULL);
  g_return_val_if_fail (consumer_secret != NULL, NULL);

  key = form_encode_component (consumer_key);
  secret = form_encode_component (consumer_secret);
  joined = g_strconcat (key, ":", secret, NULL);
  encoded = g_base64_encode ((const guchar *) joined, strlen (joined));

  return g_strconcat ("Basic ", encoded, NULL);
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

  return host != NULL && host_is_loopback (host);
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

/* The client */

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
  g_autoptr(GProxyResolver) resolver = g_object_new (BH_TYPE_LOOPBACK_PROXY_RESOLVER, NULL);

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
 *
 * See the header.
 *
 * Returns: (transfer full) (nullable): a new client
 */
BhXClient *
bh_x_client_new (const char  *api_host,
                 GError     **error)
{
  if (api_host == NULL)
    api_host = BH_DEFAULT_API_HOST;

  if (!bh_x_check_url (api_host, error))
    return NULL;

  return g_object_new (BH_TYPE_X_CLIENT, "api-host", api_host, NULL);
}

const char *
bh_x_client_get_api_host (BhXClient *self)
{
  g_return_val_if_fail (BH_IS_X_CLIENT (self), NULL);

  return self->api_host;
}

/**
 * bh_x_client_set_timeout:
 * @self: a client
 * @seconds: the I/O timeout; 0 waits forever
 *
 * Applies to connections opened from now on.
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
 * @seconds: the most one request may take; 0 for no limit
 *
 * Applies to requests started from now on.
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

guint
bh_x_client_get_deadline (BhXClient *self)
{
  g_return_val_if_fail (BH_IS_X_CLIENT (self), 0);

  return self->deadline;
}

gint64
bh_x_client_get_clock_offset (BhXClient *self)
{
  g_return_val_if_fail (BH_IS_X_CLIENT (self), 0);

  return self->clock_offset;
}

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

gboolean
bh_x_client_get_clock_skew (BhXClient *self,
                            gint64    *skew)
{
  g_return_val_if_fail (BH_IS_X_CLIENT (self), FALSE);

  if (skew != NULL)
    *skew = self->have_clock_skew ? self->clock_skew : 0;

  return self->have_clock_skew;
}

/* Requests */

typedef struct
{
  SoupMessage  *message;
  GInputStream *stream;
  guint8       *buffer;   /* owned, wiped: token answers are secrets */
  gsize         length;
  gsize         capacity;
  char         *log_path; /* "POST /oauth/request_token": never a query */
  char         *param_string;  /* with BhAuth.explain, for the response */
  char         *base_string;
  BhAuthMode    auth_mode;
  /* Cancelled by the caller's cancellable or by the deadline, whichever
   * comes first. */
  GCancellable *cancellable;
  GCancellable *outer;
  gulong        outer_id;
  GSource      *deadline_source;
  guint         deadline;
  gboolean      deadline_hit;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  if (request->deadline_source != NULL)
    {
      g_source_destroy (request->deadline_source);
      g_clear_pointer (&request->deadline_source, g_source_unref);
    }
  if (request->outer != NULL)
    {
      g_cancellable_disconnect (request->outer, request->outer_id);
      g_clear_object (&request->outer);
    }
  g_clear_object (&request->cancellable);
  g_clear_object (&request->stream);
  g_clear_object (&request->message);
  if (request->buffer != NULL)
    {
      bh_secret_wipe (request->buffer, request->capacity);
      g_free (request->buffer);
    }
  g_free (request->log_path);
  g_free (request->param_string);
  g_free (request->base_string);
  g_free (request);
}

static gboolean
method_has_body (const char *method)
{
  return g_ascii_strcasecmp (method, "POST") == 0 ||
         g_ascii_strcasecmp (method, "PUT") == 0;
}

/* @url made absolute against the API host, with @params as the query when
 * the method has no body. */
static char *
build_url (BhXClient  *self,
           const char *method,
           const char *url,
           GPtrArray  *params)
{
  g_autofree char *absolute = NULL;
  g_autoptr(BhSecret) query = NULL;

  if (g_uri_peek_scheme (url) != NULL)
    {
      absolute = g_strdup (url);
    }
  else
    {
      while (*url == '/')
        url++;
      absolute = g_strconcat (self->api_host, "/", url, NULL);
    }

  if (params == NULL || params->len == 0 || method_has_body (method))
    return g_steal_pointer (&absolute);

  query = bh_params_to_form (params);
  return g_strconcat (absolute, strchr (absolute, '?') != NULL ? "&" : "?", query, NULL);
}

/* "GET /1.1/x.json": the path only, because a query may hold a token
 * (oauth2/invalidate_token takes the bearer there). */
static char *
log_path_for (const char  *method,
              SoupMessage *message)
{
  GUri *uri = soup_message_get_uri (message);

  return g_strdup_printf ("%s %s", method, g_uri_get_path (uri));
}

/* Sets the Authorization header of @request's message; for an OAuth 1.0a
 * mode with auth->explain, keeps what was signed in @request. */
static gboolean
set_authorization (BhXClient     *self,
                   Request       *request,
                   const char    *method,
                   const char    *url,
                   GPtrArray     *body,
                   GPtrArray     *oauth_extra,
                   const BhAuth  *auth,
                   GError       **error)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (request->message);
  g_autoptr(BhSecret) value = NULL;

  if (auth == NULL || auth->mode == BH_AUTH_NONE)
    return TRUE;

  switch (auth->mode)
    {
    case BH_AUTH_OAUTH1_CONSUMER:
    case BH_AUTH_OAUTH1_USER:
      {
        BhOAuth1Request oauth_request = { 0, };
        BhOAuth1Credentials credentials = { 0, };
        g_autoptr(GError) local_error = NULL;
        gboolean user = auth->mode == BH_AUTH_OAUTH1_USER;

        if (auth->consumer_key == NULL || *auth->consumer_key == '\0' ||
            auth->consumer_secret == NULL || *auth->consumer_secret == '\0' ||
            (user && (auth->token == NULL || *auth->token == '\0' ||
                      auth->token_secret == NULL)))
          {
            g_propagate_error (error, bh_x_error_new (BH_X_ERROR_BAD_AUTH_DATA));
            return FALSE;
          }

        oauth_request.method = method;
        oauth_request.url = url;
        oauth_request.body = body;
        oauth_request.oauth_extra = oauth_extra;
        oauth_request.nonce = auth->nonce;
        /* A caller's timestamp is used as is (to reproduce a signature, or
         * to test X's replay and clock checks); otherwise signed with X's
         * time when our clock is known to be off. */
        if (auth->timestamp != 0)
          oauth_request.timestamp = auth->timestamp;
        else
          oauth_request.timestamp = g_get_real_time () / G_USEC_PER_SEC + self->clock_offset;

        credentials.consumer_key = auth->consumer_key;
        credentials.consumer_secret = auth->consumer_secret;
        credentials.token = user ? auth->token : NULL;
        credentials.token_secret = user ? auth->token_secret : NULL;

        value = bh_oauth1_sign (&oauth_request, &credentials,
                                auth->explain ? &request->param_string : NULL,
                                auth->explain ? &request->base_string : NULL,
                                &local_error);
        if (value == NULL)
          {
            g_propagate_error (error, bh_x_error_from_transport (local_error));
            return FALSE;
          }
      }
      break;

    case BH_AUTH_BEARER:
      if (auth->bearer == NULL || *auth->bearer == '\0')
        {
          g_propagate_error (error, bh_x_error_new (BH_X_ERROR_BAD_AUTH_DATA));
          return FALSE;
        }
      value = g_strconcat ("Bearer ", auth->bearer, NULL);
      break;

    case BH_AUTH_BASIC:
      if (auth->consumer_key == NULL || *auth->consumer_key == '\0' ||
          auth->consumer_secret == NULL || *auth->consumer_secret == '\0')
        {
          g_propagate_error (error, bh_x_error_new (BH_X_ERROR_BAD_AUTH_DATA));
          return FALSE;
        }
      value = bh_x_basic_authorization (auth->consumer_key, auth->consumer_secret);
      break;

    case BH_AUTH_NONE:
    default:
      break;
    }

  if (value != NULL)
    soup_message_headers_replace (headers, "Authorization", value);

  return TRUE;
}

static gint64
header_int (SoupMessageHeaders *headers,
            const char         *name,
            gint64              fallback)
{
  const char *text = soup_message_headers_get_one (headers, name);
  g_autofree char *trimmed = NULL;
  gint64 value;

  if (text == NULL)
    return fallback;

  trimmed = g_strstrip (g_strdup (text));
  if (!g_ascii_string_to_signed (trimmed, 10, G_MININT64, G_MAXINT64, &value, NULL))
    return fallback;

  return value;
}

/* A form body: not JSON, at least one "=", and every pair decodes. X
 * sends the form answers of oauth/ as text/html, so the content type is
 * no guide. */
static GPtrArray *
parse_form_body (const char *data,
                 gsize       length)
{
  g_autoptr(GPtrArray) form = NULL;

  if (length == 0 || memchr (data, '=', length) == NULL ||
      memchr (data, '<', length) != NULL || memchr (data, '{', length) != NULL)
    return NULL;

  for (gsize i = 0; i < length; i++)
    if (g_ascii_isspace (data[i]) && !(i == length - 1 && data[i] == '\n'))
      return NULL;

  form = bh_params_new ();
  if (!bh_params_parse_form (form, data, length, NULL) || form->len == 0)
    return NULL;

  return g_steal_pointer (&form);
}

static JsonNode *
parse_json_body (const char *data,
                 gsize       length)
{
  g_autoptr(JsonParser) parser = NULL;

  if (length == 0)
    return NULL;

  /* json-glib recurses once per level, on the stack. */
  if (!bh_x_json_depth_ok (data, length, BH_X_JSON_MAX_DEPTH))
    {
      g_debug ("Answer nests JSON deeper than %d levels; not parsed", BH_X_JSON_MAX_DEPTH);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, NULL))
    return NULL;

  if (json_parser_get_root (parser) == NULL)
    return NULL;

  return json_node_ref (json_parser_get_root (parser));
}

static void
adopt_clock (BhXClient   *self,
             BhXResponse *response)
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

  /* Sign with X's time from now on when X refused our timestamp, or when
   * the time we sign with is further from X's than X allows. */
  if (timestamp_refused ||
      ABS (response->clock_skew - self->clock_offset) > MAX_CLOCK_SKEW_SECONDS)
    {
      g_debug ("Clock differs from the server's by %" G_GINT64_FORMAT " s; signing with that offset",
               response->clock_skew);
      bh_x_client_set_clock_offset (self, response->clock_skew);
    }
}

static BhXResponse *
response_new (Request *request)
{
  SoupMessage *message = request->message;
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  BhXResponse *response = g_new0 (BhXResponse, 1);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  const char *data;
  gsize length = request->length;

  response->status = soup_message_get_status (message);
  response->reason = g_strdup (soup_message_get_reason_phrase (message));
  response->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));

  /* Hand the buffer over to a GBytes that wipes it when freed. */
  if (request->buffer == NULL)
    {
      response->body = g_bytes_new (NULL, 0);
    }
  else
    {
      g_autoptr(GBytes) whole = bh_secret_bytes_new_take (g_steal_pointer (&request->buffer),
                                                          request->capacity);

      response->body = g_bytes_new_from_bytes (whole, 0, length);
    }
  data = g_bytes_get_data (response->body, NULL);

  response->headers = bh_params_new ();
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    bh_params_add (response->headers, name, value);

  response->json = parse_json_body (data, length);
  if (response->json == NULL)
    response->form = parse_form_body (data, length);

  response->rate_limit_limit = header_int (headers, "x-rate-limit-limit", -1);
  response->rate_limit_remaining = header_int (headers, "x-rate-limit-remaining", -1);
  response->rate_limit_reset = header_int (headers, "x-rate-limit-reset", 0);
  response->access_level = g_strdup (soup_message_headers_get_one (headers, "x-access-level"));
  response->signed_param_string = g_steal_pointer (&request->param_string);
  response->signed_base_string = g_steal_pointer (&request->base_string);
  response->auth_mode = request->auth_mode;

  value = soup_message_headers_get_one (headers, "Date");
  if (value != NULL)
    {
      g_autoptr(GDateTime) date = soup_date_time_new_from_http_string (value);

      if (date != NULL)
        {
          response->clock_skew = g_date_time_to_unix (date) - g_get_real_time () / G_USEC_PER_SEC;
          response->have_clock_skew = TRUE;
        }
    }

  return response;
}

static void
request_return_error (GTask  *task,
                      GError *error)
{
  Request *request = g_task_get_task_data (task);
  GError *mapped;

  if (request->deadline_hit && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      mapped = bh_x_error_new (BH_X_ERROR_TIMEOUT);
      g_free (mapped->message);
      mapped->message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                      "X did not finish answering within %u second. Check the network connection and try again.",
                                                      "X did not finish answering within %u seconds. Check the network connection and try again.",
                                                      request->deadline),
                                         request->deadline);
    }
  else
    {
      mapped = bh_x_error_from_transport (error);
    }

  g_debug ("%s failed: %s", request->log_path, mapped->message);
  g_task_return_error (task, mapped);
}

static void read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
read_more (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  if (request->capacity - request->length < READ_CHUNK)
    {
      gsize capacity = MAX (request->capacity * 2, READ_CHUNK * 2);
      guint8 *buffer = g_malloc (capacity);

      /* Grow by copying so that no unwiped copy is left behind. */
      if (request->buffer != NULL)
        {
          memcpy (buffer, request->buffer, request->length);
          bh_secret_wipe (request->buffer, request->capacity);
          g_free (request->buffer);
        }
      request->buffer = buffer;
      request->capacity = capacity;
    }

  g_input_stream_read_async (request->stream,
                             request->buffer + request->length,
                             request->capacity - request->length,
                             G_PRIORITY_DEFAULT,
                             request->cancellable,
                             read_cb,
                             task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  BhXClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  BhXResponse *response;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n < 0)
    {
      request_return_error (task, error);
      return;
    }

  if (n > 0)
    {
      request->length += n;
      if (request->length > MAX_BODY_SIZE)
        {
          g_debug ("%s: answer larger than %d bytes; not read", request->log_path, MAX_BODY_SIZE);
          g_task_return_error (task, bh_x_error_new (BH_X_ERROR_MALFORMED));
          return;
        }
      read_more (g_steal_pointer (&task));
      return;
    }

  response = response_new (request);
  g_debug ("%s → %u", request->log_path, response->status);
  adopt_clock (self, response);
  g_task_return_pointer (task, response, (GDestroyNotify) bh_x_response_free);
}

/* Where a redirect pointed: its host only (the path and query may hold
 * anything, a token included), and whether it left https. */
static GError *
redirect_error (SoupMessage *message)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *location = soup_message_headers_get_one (headers, "Location");
  GUri *base = soup_message_get_uri (message);
  g_autoptr(GUri) target = NULL;
  g_autofree char *host = NULL;
  GError *error = bh_x_error_new (BH_X_ERROR_REDIRECTED);
  guint status = soup_message_get_status (message);
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
    error->message = g_strdup_printf (_("X answered with a redirect (HTTP %u) to %s over plain http. Birdhouse does not follow redirects with credentials; check the App’s API host."),
                                      status, host);
  else
    error->message = g_strdup_printf (_("X answered with a redirect (HTTP %u) to %s. Birdhouse does not follow redirects with credentials; check the App’s API host."),
                                      status, host);

  return error;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  guint status;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->stream == NULL)
    {
      request_return_error (task, error);
      return;
    }

  status = soup_message_get_status (request->message);
  if (SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED)
    {
      GError *redirected = redirect_error (request->message);

      g_debug ("%s → %u, not followed", request->log_path, status);
      g_task_return_error (task, redirected);
      return;
    }

  read_more (g_steal_pointer (&task));
}

static void
outer_cancelled_cb (GCancellable *outer,
                    GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

/* The request's source is destroyed with it, so @data is alive here. */
static gboolean
deadline_cb (gpointer data)
{
  Request *request = data;

  g_debug ("%s: no complete answer within %u s; giving up", request->log_path, request->deadline);
  request->deadline_hit = TRUE;
  g_clear_pointer (&request->deadline_source, g_source_unref);
  g_cancellable_cancel (request->cancellable);

  return G_SOURCE_REMOVE;
}

/**
 * bh_x_client_request_async:
 *
 * See the header. The request is signed here, before this function
 * returns, so @params, @oauth_extra and @auth may be freed right after.
 */
void
bh_x_client_request_async (BhXClient           *self,
                           const char          *method,
                           const char          *url,
                           GPtrArray           *params,
                           GPtrArray           *oauth_extra,
                           const BhAuth        *auth,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *full_url = NULL;
  g_autofree char *upper_method = NULL;
  Request *request;

  g_return_if_fail (BH_IS_X_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_x_client_request_async);
  /* A cancelled request finishes with BH_X_ERROR_CANCELLED (mapped from
   * libsoup's error), not GTask's own G_IO_ERROR_CANCELLED. */
  g_task_set_check_cancellable (task, FALSE);

  request = g_new0 (Request, 1);
  g_task_set_task_data (task, request, request_free);
  request->auth_mode = auth != NULL ? auth->mode : BH_AUTH_NONE;
  request->cancellable = g_cancellable_new ();

  upper_method = g_ascii_strup (method, -1);
  full_url = build_url (self, upper_method, url, params);

  /* Checked before anything else: nothing is resolved, connected or sent
   * for a refused URL. */
  if (!bh_x_check_url (full_url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  request->message = soup_message_new (upper_method, full_url);
  if (request->message == NULL)
    {
      g_task_return_error (task, bh_x_error_new (BH_X_ERROR_INVALID_URL));
      return;
    }
  request->log_path = log_path_for (upper_method, request->message);
  /* Credentials go where the caller said and nowhere else. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  if (method_has_body (upper_method) && params != NULL && params->len > 0)
    {
      char *form = bh_params_to_form (params);
      g_autoptr(GBytes) body = bh_secret_bytes_new_take (form, strlen (form));

      soup_message_set_request_body_from_bytes (request->message,
                                                "application/x-www-form-urlencoded",
                                                body);
    }

  if (!set_authorization (self, request, upper_method, full_url,
                          method_has_body (upper_method) ? params : NULL,
                          oauth_extra, auth, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("%s", request->log_path);

  if (cancellable != NULL)
    {
      request->outer = g_object_ref (cancellable);
      request->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                                 g_object_ref (request->cancellable),
                                                 g_object_unref);
    }

  if (self->deadline > 0)
    {
      request->deadline = self->deadline;
      request->deadline_source = g_timeout_source_new_seconds (self->deadline);
      g_source_set_callback (request->deadline_source, deadline_cb, request, NULL);
      g_source_set_static_name (request->deadline_source, "[birdhouse] request deadline");
      g_source_attach (request->deadline_source, g_main_context_get_thread_default ());
    }

  soup_session_send_async (self->session,
                           request->message,
                           G_PRIORITY_DEFAULT,
                           request->cancellable,
                           send_cb,
                           g_steal_pointer (&task));
}

/**
 * bh_x_client_request_finish:
 *
 * Returns: (transfer full): the answer, whatever its HTTP status
 */
BhXResponse *
bh_x_client_request_finish (BhXClient     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (BH_IS_X_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bh_x_client_request_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Endpoints: each sends one request, checks the status and reads the
 * answer; the outer task carries the endpoint's own result. */

typedef gpointer (*ParseFunc) (BhXResponse  *response,
                               GError      **error);

typedef struct
{
  ParseFunc      parse;
  GDestroyNotify free_result;
  BhXStep        step;
} Endpoint;

static void
endpoint_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const Endpoint *endpoint = g_task_get_task_data (task);
  g_autoptr(BhXResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  gpointer value;

  response = bh_x_client_request_finish (BH_X_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (response->status < 200 || response->status >= 300)
    {
      g_task_return_error (task,
                           bh_x_error_from_step_response (endpoint->step,
                                                          response->status,
                                                          response->body,
                                                          response->rate_limit_reset,
                                                          response->clock_skew,
                                                          response->have_clock_skew));
      return;
    }

  value = endpoint->parse (response, &error);
  if (value == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, value, endpoint->free_result);
}

static void
endpoint_call (BhXClient           *self,
               gpointer             source_tag,
               const Endpoint      *endpoint,
               const char          *method,
               const char          *url,
               GPtrArray           *params,
               GPtrArray           *oauth_extra,
               const BhAuth        *auth,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) endpoint, NULL);
  g_task_set_check_cancellable (task, FALSE);

  bh_x_client_request_async (self, method, url, params, oauth_extra, auth,
                             cancellable, endpoint_cb, task);
}

static gpointer
endpoint_finish (BhXClient     *self,
                 GAsyncResult  *result,
                 gpointer       source_tag,
                 GError       **error)
{
  g_return_val_if_fail (BH_IS_X_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
malformed (GError **error)
{
  g_propagate_error (error, bh_x_error_new (BH_X_ERROR_MALFORMED));
  return NULL;
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/* oauth/request_token */

static gpointer
parse_request_token (BhXResponse  *response,
                     GError      **error)
{
  BhXTokenPair *pair;
  const char *token, *secret, *confirmed;

  if (response->form == NULL)
    return malformed (error);

  token = bh_params_get (response->form, "oauth_token");
  secret = bh_params_get (response->form, "oauth_token_secret");
  if (!has_text (token) || secret == NULL)
    return malformed (error);

  /* Without it, X did not take oauth_callback=oob: the PIN page would
   * never come. */
  confirmed = bh_params_get (response->form, "oauth_callback_confirmed");
  if (g_strcmp0 (confirmed, "true") != 0)
    {
      g_propagate_error (error, bh_x_error_new (BH_X_ERROR_CALLBACK_NOT_CONFIRMED));
      return NULL;
    }

  pair = g_new0 (BhXTokenPair, 1);
  pair->token = bh_secret_dup (token);
  pair->token_secret = bh_secret_dup (secret);

  return pair;
}

static const Endpoint request_token_endpoint = {
  parse_request_token, (GDestroyNotify) bh_x_token_pair_free, BH_X_STEP_REQUEST_TOKEN,
};

void
bh_x_client_request_token_async (BhXClient           *self,
                                 const char          *consumer_key,
                                 const char          *consumer_secret,
                                 const char          *access_type,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GPtrArray) extra = bh_params_new ();
  g_autofree char *url = NULL;
  BhAuth auth = {
    .mode = BH_AUTH_OAUTH1_CONSUMER,
    .consumer_key = consumer_key,
    .consumer_secret = consumer_secret,
  };

  g_return_if_fail (BH_IS_X_CLIENT (self));

  bh_params_add (extra, "oauth_callback", "oob");

  /* X reads x_auth_access_type from the query of the signed request. */
  if (access_type != NULL)
    {
      g_autofree char *encoded = bh_oauth1_percent_encode (access_type);

      url = g_strconcat ("oauth/request_token?x_auth_access_type=", encoded, NULL);
    }
  else
    {
      url = g_strdup ("oauth/request_token");
    }

  endpoint_call (self, bh_x_client_request_token_async, &request_token_endpoint,
                 "POST", url, NULL, extra, &auth,
                 cancellable, callback, user_data);
}

BhXTokenPair *
bh_x_client_request_token_finish (BhXClient     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_request_token_async, error);
}

/**
 * bh_x_client_authorize_url:
 *
 * Returns: (transfer full): `<api host>/oauth/authorize?oauth_token=…`.
 *   The request token is not a secret (X puts it in this URL itself).
 */
char *
bh_x_client_authorize_url (BhXClient  *self,
                           const char *request_token,
                           gboolean    force_login,
                           const char *screen_name)
{
  g_autofree char *token = NULL;
  GString *url;

  g_return_val_if_fail (BH_IS_X_CLIENT (self), NULL);
  g_return_val_if_fail (request_token != NULL, NULL);

  token = bh_oauth1_percent_encode (request_token);
  url = g_string_new (self->api_host);
  g_string_append (url, "/oauth/authorize?oauth_token=");
  g_string_append (url, token);

  if (force_login)
    g_string_append (url, "&force_login=true");

  if (has_text (screen_name))
    {
      g_autofree char *name = NULL;

      if (screen_name[0] == '@')
        screen_name++;
      name = bh_oauth1_percent_encode (screen_name);
      g_string_append (url, "&screen_name=");
      g_string_append (url, name);
    }

  return g_string_free (url, FALSE);
}

/* oauth/access_token */

static gpointer
parse_access_token (BhXResponse  *response,
                    GError      **error)
{
  BhXTokenPair *pair;
  const char *token, *secret;

  if (response->form == NULL)
    return malformed (error);

  token = bh_params_get (response->form, "oauth_token");
  secret = bh_params_get (response->form, "oauth_token_secret");
  if (!has_text (token) || !has_text (secret))
    return malformed (error);

  pair = g_new0 (BhXTokenPair, 1);
  pair->token = bh_secret_dup (token);
  pair->token_secret = bh_secret_dup (secret);
  pair->user_id = bh_x_strip_controls (bh_params_get (response->form, "user_id"));
  pair->screen_name = bh_x_strip_controls (bh_params_get (response->form, "screen_name"));

  return pair;
}

static const Endpoint access_token_endpoint = {
  parse_access_token, (GDestroyNotify) bh_x_token_pair_free, BH_X_STEP_ACCESS_TOKEN,
};

void
bh_x_client_access_token_async (BhXClient           *self,
                                const char          *consumer_key,
                                const char          *consumer_secret,
                                const BhXTokenPair  *request_token,
                                const char          *pin,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GPtrArray) extra = bh_params_new ();
  BhAuth auth = {
    .mode = BH_AUTH_OAUTH1_USER,
    .consumer_key = consumer_key,
    .consumer_secret = consumer_secret,
  };

  g_return_if_fail (BH_IS_X_CLIENT (self));
  g_return_if_fail (request_token != NULL);

  auth.token = request_token->token;
  auth.token_secret = request_token->token_secret != NULL ? request_token->token_secret : "";
  bh_params_add (extra, "oauth_verifier", pin != NULL ? pin : "");

  endpoint_call (self, bh_x_client_access_token_async, &access_token_endpoint,
                 "POST", "oauth/access_token", NULL, extra, &auth,
                 cancellable, callback, user_data);
}

BhXTokenPair *
bh_x_client_access_token_finish (BhXClient     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_access_token_async, error);
}

/* Identities */

static BhXIdentity *
identity_new (BhXResponse *response,
              const char  *user_id,
              const char  *screen_name,
              const char  *name)
{
  BhXIdentity *identity = g_new0 (BhXIdentity, 1);

  /* Shown in the window and the terminal: no controls, no bidi tricks. */
  identity->user_id = bh_x_strip_controls (user_id);
  identity->screen_name = bh_x_strip_controls (screen_name);
  identity->name = bh_x_strip_controls (name);
  identity->access_level = bh_x_strip_controls (response->access_level);
  identity->rate_limit_limit = response->rate_limit_limit;
  identity->rate_limit_remaining = response->rate_limit_remaining;
  identity->rate_limit_reset = response->rate_limit_reset;

  return identity;
}

static gpointer
parse_verify_credentials (BhXResponse  *response,
                          GError      **error)
{
  JsonObject *user;
  const char *id, *screen_name;

  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return malformed (error);

  user = json_node_get_object (response->json);
  id = bh_x_json_string_member (user, "id_str");
  screen_name = bh_x_json_string_member (user, "screen_name");
  if (!has_text (id) || !has_text (screen_name))
    return malformed (error);

  return identity_new (response, id, screen_name, bh_x_json_string_member (user, "name"));
}

static const Endpoint verify_credentials_endpoint = {
  parse_verify_credentials, (GDestroyNotify) bh_x_identity_free, BH_X_STEP_VERIFY,
};

void
bh_x_client_verify_credentials_async (BhXClient           *self,
                                      const BhAuth        *auth,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GPtrArray) params = bh_params_new ();

  g_return_if_fail (BH_IS_X_CLIENT (self));

  /* Only the identity is wanted, not the latest post. */
  bh_params_add (params, "skip_status", "true");

  endpoint_call (self, bh_x_client_verify_credentials_async, &verify_credentials_endpoint,
                 "GET", "1.1/account/verify_credentials.json", params, NULL, auth,
                 cancellable, callback, user_data);
}

BhXIdentity *
bh_x_client_verify_credentials_finish (BhXClient     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_verify_credentials_async, error);
}

static gpointer
parse_users_me (BhXResponse  *response,
                GError      **error)
{
  JsonObject *root, *data;
  JsonNode *data_node;
  const char *id, *username;

  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return malformed (error);

  root = json_node_get_object (response->json);
  data_node = json_object_get_member (root, "data");
  if (data_node == NULL || !JSON_NODE_HOLDS_OBJECT (data_node))
    return malformed (error);

  data = json_node_get_object (data_node);
  id = bh_x_json_string_member (data, "id");
  username = bh_x_json_string_member (data, "username");
  if (!has_text (id) || !has_text (username))
    return malformed (error);

  return identity_new (response, id, username, bh_x_json_string_member (data, "name"));
}

static const Endpoint users_me_endpoint = {
  parse_users_me, (GDestroyNotify) bh_x_identity_free, BH_X_STEP_VERIFY,
};

void
bh_x_client_users_me_async (BhXClient           *self,
                            const BhAuth        *auth,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BH_IS_X_CLIENT (self));

  endpoint_call (self, bh_x_client_users_me_async, &users_me_endpoint,
                 "GET", "2/users/me", NULL, NULL, auth,
                 cancellable, callback, user_data);
}

BhXIdentity *
bh_x_client_users_me_finish (BhXClient     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_users_me_async, error);
}

/* oauth2/token */

static gpointer
parse_bearer_token (BhXResponse  *response,
                    GError      **error)
{
  JsonObject *object;
  const char *token_type, *token;

  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return malformed (error);

  object = json_node_get_object (response->json);
  token_type = bh_x_json_string_member (object, "token_type");
  if (token_type == NULL || g_ascii_strcasecmp (token_type, "bearer") != 0)
    {
      g_propagate_error (error, bh_x_error_new (BH_X_ERROR_NOT_BEARER));
      return NULL;
    }

  token = bh_x_json_string_member (object, "access_token");
  if (!has_text (token))
    return malformed (error);

  return bh_secret_dup (token);
}

static const Endpoint bearer_token_endpoint = {
  parse_bearer_token, (GDestroyNotify) bh_secret_free, BH_X_STEP_BEARER_TOKEN,
};

void
bh_x_client_bearer_token_async (BhXClient           *self,
                                const char          *consumer_key,
                                const char          *consumer_secret,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GPtrArray) params = bh_params_new ();
  BhAuth auth = {
    .mode = BH_AUTH_BASIC,
    .consumer_key = consumer_key,
    .consumer_secret = consumer_secret,
  };

  g_return_if_fail (BH_IS_X_CLIENT (self));

  bh_params_add (params, "grant_type", "client_credentials");

  endpoint_call (self, bh_x_client_bearer_token_async, &bearer_token_endpoint,
                 "POST", "oauth2/token", params, NULL, &auth,
                 cancellable, callback, user_data);
}

/**
 * bh_x_client_bearer_token_finish:
 *
 * Returns: (transfer full): the bearer token, to free with bh_secret_free()
 */
char *
bh_x_client_bearer_token_finish (BhXClient     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_bearer_token_async, error);
}

/* Invalidation: any 2xx answer is success. */

static gpointer
parse_success (BhXResponse  *response,
               GError      **error)
{
  return GINT_TO_POINTER (TRUE);
}

static const Endpoint invalidate_bearer_endpoint = {
  parse_success, NULL, BH_X_STEP_INVALIDATE_BEARER,
};

static const Endpoint invalidate_token_endpoint = {
  parse_success, NULL, BH_X_STEP_INVALIDATE_TOKEN,
};

void
bh_x_client_invalidate_bearer_async (BhXClient           *self,
                                     const BhAuth        *auth,
                                     const char          *bearer,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(BhSecret) encoded = NULL;
  g_autoptr(BhSecret) url = NULL;
  g_autoptr(GPtrArray) params = bh_params_new ();

  g_return_if_fail (BH_IS_X_CLIENT (self));
  g_return_if_fail (bearer != NULL);

  /* X's documents show access_token both in the form body and in the
   * query; a server may read only one of them, so it goes in both (and is
   * signed in both). X's bearers already contain %2B and %3D, which must
   * stay literal, so the '%' itself is encoded. The path alone is ever
   * logged. */
  encoded = bh_oauth1_percent_encode (bearer);
  url = g_strconcat ("oauth2/invalidate_token?access_token=", encoded, NULL);
  bh_params_add (params, "access_token", bearer);

  endpoint_call (self, bh_x_client_invalidate_bearer_async, &invalidate_bearer_endpoint,
                 "POST", url, params, NULL, auth,
                 cancellable, callback, user_data);
}

gboolean
bh_x_client_invalidate_bearer_finish (BhXClient     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_invalidate_bearer_async, error) != NULL;
}

void
bh_x_client_invalidate_token_async (BhXClient           *self,
                                    const BhAuth        *auth,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (BH_IS_X_CLIENT (self));

  endpoint_call (self, bh_x_client_invalidate_token_async, &invalidate_token_endpoint,
                 "POST", "1.1/oauth/invalidate_token", NULL, NULL, auth,
                 cancellable, callback, user_data);
}

gboolean
bh_x_client_invalidate_token_finish (BhXClient     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return endpoint_finish (self, result, bh_x_client_invalidate_token_async, error) != NULL;
}
