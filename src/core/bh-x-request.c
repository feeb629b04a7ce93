/* bh-x-request.c
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
#include "bh-x-client-private.h"
#include "bh-x-error.h"

/* No X answer Birdhouse asks for comes near this. */
#define MAX_BODY_SIZE (8 * 1024 * 1024)
#define READ_CHUNK 8192

/* The request pipeline: build the URL, sign, send with no redirect
 * and a deadline, read the whole answer into wiped memory. */

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

  if (!_bh_x_authorization (auth, method, url, body, oauth_extra, self->clock_offset,
                            &value, &request->param_string, &request->base_string, error))
    return FALSE;

  if (value != NULL)
    soup_message_headers_replace (headers, "Authorization", value);

  return TRUE;
}

static BhXResponse *
response_new (Request *request)
{
  SoupMessage *message = request->message;
  g_autoptr(GBytes) body = NULL;
  BhXResponse *response;

  /* Hand the buffer over to a GBytes that wipes it when freed. */
  if (request->buffer == NULL)
    {
      body = g_bytes_new (NULL, 0);
    }
  else
    {
      g_autoptr(GBytes) whole = bh_secret_bytes_new_take (g_steal_pointer (&request->buffer),
                                                          request->capacity);

      body = g_bytes_new_from_bytes (whole, 0, request->length);
    }

  response = _bh_x_response_new (soup_message_get_status (message),
                                 soup_message_get_reason_phrase (message),
                                 soup_message_get_response_headers (message),
                                 body);
  response->signed_param_string = g_steal_pointer (&request->param_string);
  response->signed_base_string = g_steal_pointer (&request->base_string);
  response->auth_mode = request->auth_mode;

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
                                                      /* Translators: %u is a number of seconds. */
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
  _bh_x_client_adopt_clock (self, response);
  g_task_return_pointer (task, response, (GDestroyNotify) bh_x_response_free);
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
      SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
      GError *redirected = _bh_x_redirect_error (soup_message_get_uri (request->message), status,
                                                 soup_message_headers_get_one (headers, "Location"));

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
 * @self: a client
 * @method: "GET", "POST", … (any case)
 * @url: absolute, or a path relative to the API host ("1.1/…")
 * @params: (nullable): decoded BhParams: query for GET/DELETE, form body
 *   for POST/PUT
 * @oauth_extra: (nullable): extra oauth_* parameters to sign
 * @auth: (nullable): who signs; its nonce, timestamp and explain fields
 *   fix the signature and report it in the response
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Performs one request. The request is signed here, before this function
 * returns, so @params, @oauth_extra and @auth may be freed right after.
 *
 * Requests to loopback addresses never go through a proxy; other hosts
 * use the desktop's proxy settings (g_proxy_resolver_get_default()).
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
  g_autoptr(BhSecret) full_url = NULL;  /* its query may hold a token */
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
 * @self: a client
 * @result: the result given to the callback
 * @error: for transport failures, refused URLs, cancellation
 *   (BH_X_ERROR_CANCELLED), the deadline (BH_X_ERROR_TIMEOUT) and
 *   redirects (BH_X_ERROR_REDIRECTED: credentials never follow one, and
 *   the message names the host X pointed to, never its path or query)
 *
 * Finishes with a response for any HTTP status but a redirect.
 *
 * Returns: (transfer full) (nullable): the answer, whatever its HTTP status
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
