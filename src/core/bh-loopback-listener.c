/* bh-loopback-listener.c
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

/* Where the browser lands after the person authorized the App at X
 * (RFC 8252 §7.3): an HTTP listener on 127.0.0.1 only, at the port and
 * path of the App's redirect URI, alive only while an authorization
 * waits. It reads one request line per connection (a few kilobytes at
 * most), answers every request with a short page, and finishes the wait
 * on the first redirect whose state is this authorization's. */

#include "config.h"

#include "bh-loopback-listener.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bh-oauth2.h"

#define REQUEST_MAX      8192
#define CONNECTION_TIMEOUT 10

struct _BhLoopbackListener
{
  GObject         parent_instance;

  GSocketService *service;
  guint16         port;
  char           *path;

  /* The one authorization waited for. */
  GTask          *wait;
  char           *state;
  GSource        *timeout;
  guint           timeout_seconds;
  gulong          cancelled_id;
};

G_DEFINE_FINAL_TYPE (BhLoopbackListener, bh_loopback_listener, G_TYPE_OBJECT)

typedef struct
{
  BhLoopbackListener *listener;
  GSocketConnection  *connection;
  char                buffer[REQUEST_MAX];
  gsize               length;
  char               *response;
} Connection;

static void
connection_free (Connection *conn)
{
  bh_secret_wipe (conn->buffer, sizeof conn->buffer);
  g_clear_object (&conn->listener);
  g_clear_object (&conn->connection);
  g_free (conn->response);
  g_free (conn);
}

static void
stop_listening (BhLoopbackListener *self)
{
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }
}

/* Ends the wait (if any) with @code or @error, and closes the port. */
static void
finish_wait (BhLoopbackListener *self,
             BhSecret           *code,
             GError             *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->wait);

  if (self->timeout != NULL)
    {
      g_source_destroy (self->timeout);
      g_clear_pointer (&self->timeout, g_source_unref);
    }
  if (task != NULL && self->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_pointer (&self->state, g_free);
  stop_listening (self);

  if (task == NULL)
    {
      bh_secret_free (code);
      g_clear_error (&error);
      return;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, code, (GDestroyNotify) bh_secret_free);
}

static char *
page (guint       status,
      const char *reason,
      const char *title,
      const char *text)
{
  g_autofree char *title_html = g_markup_escape_text (title, -1);
  g_autofree char *text_html = g_markup_escape_text (text, -1);
  g_autofree char *body = NULL;

  body = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                          "<meta name=\"viewport\" content=\"width=device-width\">"
                          "<title>%s</title></head>\n<body style=\"font-family: sans-serif; "
                          "max-width: 36em; margin: 4em auto; padding: 0 1em\">"
                          "<h1>%s</h1><p>%s</p></body></html>\n",
                          title_html, title_html, text_html);

  /* no-store and no-referrer: the address held a code. */
  return g_strdup_printf ("HTTP/1.1 %u %s\r\nContent-Type: text/html; charset=utf-8\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nCache-Control: no-store\r\n"
                          "Referrer-Policy: no-referrer\r\nConnection: close\r\n\r\n%s",
                          status, reason, strlen (body), body);
}

static void
connection_closed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Connection *conn = user_data;

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  connection_free (conn);
}

static void
response_written (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Connection *conn = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    g_debug ("The browser did not take the page: %s", error->message);

  g_io_stream_close_async (G_IO_STREAM (conn->connection), G_PRIORITY_DEFAULT, NULL,
                           connection_closed, conn);
}

static void
respond (Connection *conn,
         char       *response)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn->connection));

  conn->response = response;
  g_output_stream_write_all_async (out, conn->response, strlen (conn->response), G_PRIORITY_DEFAULT,
                                   NULL, response_written, conn);
}

/* The request line is in: decide, answer, and maybe end the wait. */
static void
handle_request (Connection *conn)
{
  BhLoopbackListener *self = conn->listener;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) code = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *line = NULL;
  const char *target;
  gsize path_len;
  char *eol;

  eol = memchr (conn->buffer, '\n', conn->length);
  line = g_strndup (conn->buffer, eol != NULL ? (gsize) (eol - conn->buffer) : conn->length);
  g_strchomp (line);
  words = g_strsplit (line, " ", 4);
  bh_secret_wipe (line, strlen (line));

  /* The pages below are what the browser shows when X sends it back:
   * each a title and a line of text. */
  if (g_strv_length (words) != 3 || !g_str_has_prefix (words[2], "HTTP/1."))
    {
      /* Translators: the title of a web page the browser shows. */
      respond (conn, page (400, "Bad Request", _("Not a Request Birdhouse Understands"),
                           /* Translators: the text of a web page the browser shows. */
                           _("This page is only for your browser’s return from X.")));
      goto wipe;
    }
  if (!g_str_equal (words[0], "GET"))
    {
      respond (conn, page (405, "Method Not Allowed", _("Not a Request Birdhouse Understands"),
                           _("This page is only for your browser’s return from X.")));
      goto wipe;
    }

  target = words[1];
  path_len = strcspn (target, "?#");
  if (path_len != strlen (self->path) || strncmp (target, self->path, path_len) != 0)
    {
      respond (conn, page (404, "Not Found", _("Nothing Here"),
                           _("This page is only for your browser’s return from X.")));
      goto wipe;
    }

  if (self->wait == NULL)
    {
      respond (conn, page (410, "Gone", _("Birdhouse Is Not Waiting for This"),
                           _("No authorization is in progress. Start it again in Birdhouse.")));
      goto wipe;
    }

  code = bh_oauth2_parse_redirect (target, self->state, &error);
  if (g_error_matches (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_STATE_MISMATCH))
    {
      /* Another attempt's redirect, or someone else's: keep waiting. */
      g_debug ("A redirect for another authorization arrived; still waiting");
      respond (conn, page (400, "Bad Request", _("This Is Not the Authorization Birdhouse Waits For"),
                           _("This page belongs to an earlier or another authorization. Use the browser "
                             "window Birdhouse opened last, or start again in Birdhouse.")));
      goto wipe;
    }

  if (error != NULL)
    {
      respond (conn, page (200, "OK", g_error_matches (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_ACCESS_DENIED)
                                      ? _("Authorization Cancelled") : _("Authorization Failed"),
                           _("Nothing was stored. You can close this page and return to Birdhouse.")));
      finish_wait (self, NULL, g_steal_pointer (&error));
      goto wipe;
    }

  respond (conn, page (200, "OK", _("Birdhouse Has Your Authorization"),
                       _("You can close this page and return to Birdhouse.")));
  finish_wait (self, g_steal_pointer (&code), NULL);

wipe:
  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    bh_secret_wipe (words[i], strlen (words[i]));
}

static void read_more (Connection *conn);

static void
request_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Connection *conn = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n <= 0)
    {
      if (error != NULL)
        g_debug ("A connection to the redirect listener ended: %s", error->message);
      g_io_stream_close_async (G_IO_STREAM (conn->connection), G_PRIORITY_DEFAULT, NULL,
                               connection_closed, conn);
      return;
    }

  conn->length += n;
  /* The request line is all that matters. */
  if (memchr (conn->buffer, '\n', conn->length) != NULL)
    {
      handle_request (conn);
      return;
    }

  if (conn->length == sizeof conn->buffer)
    {
      respond (conn, page (414, "URI Too Long", _("Not a Request Birdhouse Understands"),
                           _("This page is only for your browser’s return from X.")));
      return;
    }

  read_more (conn);
}

static void
read_more (Connection *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn->connection));

  g_input_stream_read_async (in, conn->buffer + conn->length, sizeof conn->buffer - conn->length,
                             G_PRIORITY_DEFAULT, NULL, request_read, conn);
}

static gboolean
incoming_cb (GSocketService     *service,
             GSocketConnection  *connection,
             GObject            *source_object,
             BhLoopbackListener *self)
{
  Connection *conn = g_new0 (Connection, 1);

  conn->listener = g_object_ref (self);
  conn->connection = g_object_ref (connection);
  /* A client that connects and says nothing is dropped. */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), CONNECTION_TIMEOUT);
  read_more (conn);

  return TRUE;
}

static void
bh_loopback_listener_dispose (GObject *object)
{
  BhLoopbackListener *self = BH_LOOPBACK_LISTENER (object);

  finish_wait (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                _("The authorization was cancelled.")));
  if (self->service != NULL)
    g_signal_handlers_disconnect_by_func (self->service, incoming_cb, self);
  g_clear_object (&self->service);

  G_OBJECT_CLASS (bh_loopback_listener_parent_class)->dispose (object);
}

static void
bh_loopback_listener_finalize (GObject *object)
{
  BhLoopbackListener *self = BH_LOOPBACK_LISTENER (object);

  g_free (self->path);

  G_OBJECT_CLASS (bh_loopback_listener_parent_class)->finalize (object);
}

static void
bh_loopback_listener_class_init (BhLoopbackListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bh_loopback_listener_dispose;
  object_class->finalize = bh_loopback_listener_finalize;
}

static void
bh_loopback_listener_init (BhLoopbackListener *self)
{
}

/**
 * bh_loopback_listener_new:
 * @port: the redirect URI's port (0: any free one, for tests)
 * @path: the redirect URI's path
 * @error: a G_IO_ERROR_ADDRESS_IN_USE naming the port and what to do
 *
 * Binds 127.0.0.1:@port now, so that a port in use is known before the
 * browser opens; nothing is answered until bh_loopback_listener_wait_async().
 *
 * Returns: (transfer full): the listener, or %NULL
 */
BhLoopbackListener *
bh_loopback_listener_new (guint16      port,
                          const char  *path,
                          GError     **error)
{
  g_autoptr(BhLoopbackListener) self = g_object_new (BH_TYPE_LOOPBACK_LISTENER, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL && *path == '/', NULL);

  self->path = g_strdup (path);
  self->service = g_socket_service_new ();
  g_socket_service_stop (self->service);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                     /* Translators: %u is a port number such as 8477. */
                     _("Another program on this computer uses port %u, where X sends the browser back. "
                       "Close that program, or give the App a redirect URI with another port (for "
                       "example http://127.0.0.1:8478/callback) and register the same URI in the X "
                       "developer portal."), (guint) port);
      else
        g_set_error (error, G_IO_ERROR, g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED)
                     ? G_IO_ERROR_PERMISSION_DENIED : G_IO_ERROR_FAILED,
                     /* Translators: %u is a port number, %s the system's reason. */
                     _("Birdhouse cannot listen on port %u of this computer for the browser’s return: %s"),
                     (guint) port, local_error->message);
      return NULL;
    }

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);

  return g_steal_pointer (&self);
}

/**
 * bh_loopback_listener_get_port:
 * @self: a #BhLoopbackListener
 *
 * Returns: the port it listens on
 */
guint16
bh_loopback_listener_get_port (BhLoopbackListener *self)
{
  g_return_val_if_fail (BH_IS_LOOPBACK_LISTENER (self), 0);

  return self->port;
}

static gboolean
wait_timed_out (gpointer user_data)
{
  BhLoopbackListener *self = user_data;
  guint seconds = self->timeout_seconds;

  g_clear_pointer (&self->timeout, g_source_unref);
  finish_wait (self, NULL,
               g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                            g_dngettext (GETTEXT_PACKAGE,
                                         /* Translators: %u is a number of minutes. */
                                         "The browser did not come back from X within %u minute. Authorize again "
                                         "when you are ready, or paste the address the browser shows.",
                                         "The browser did not come back from X within %u minutes. Authorize again "
                                         "when you are ready, or paste the address the browser shows.",
                                         seconds / 60),
                            seconds / 60));
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_in_idle (gpointer user_data)
{
  BhLoopbackListener *self = user_data;

  if (self->wait != NULL && g_cancellable_is_cancelled (g_task_get_cancellable (self->wait)))
    finish_wait (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                  _("The authorization was cancelled.")));
  return G_SOURCE_REMOVE;
}

static void
wait_cancelled (GCancellable *cancellable,
                gpointer      user_data)
{
  /* Not here: finish_wait() disconnects, which would deadlock inside the
   * handler. */
  g_idle_add_full (G_PRIORITY_DEFAULT, cancel_in_idle, g_object_ref (user_data), g_object_unref);
}

/**
 * bh_loopback_listener_wait_async:
 * @self: a #BhLoopbackListener
 * @state: this authorization's state
 * @timeout_seconds: how long the person has at X (0: no limit)
 * @cancellable: (nullable): cancels the wait and closes the port
 * @callback: called with the code, or the reason there is none
 * @user_data: for @callback
 *
 * Listens until the browser comes back with @state, then closes the port.
 */
void
bh_loopback_listener_wait_async (BhLoopbackListener  *self,
                                 const char          *state,
                                 guint                timeout_seconds,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BH_IS_LOOPBACK_LISTENER (self));
  g_return_if_fail (state != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_loopback_listener_wait_async);

  if (self->wait != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("Birdhouse is already waiting for the browser."));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  self->wait = g_steal_pointer (&task);
  self->state = g_strdup (state);
  if (cancellable != NULL)
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (wait_cancelled),
                                                g_object_ref (self), g_object_unref);
  self->timeout_seconds = timeout_seconds;
  if (timeout_seconds > 0)
    {
      self->timeout = g_timeout_source_new_seconds (timeout_seconds);
      g_source_set_callback (self->timeout, wait_timed_out, self, NULL);
      g_source_attach (self->timeout, g_main_context_get_thread_default ());
    }
  g_socket_service_start (self->service);
}

/**
 * bh_loopback_listener_wait_finish:
 * @self: a #BhLoopbackListener
 * @result: the result
 * @error: why there is no code: a BH_OAUTH2_ERROR (cancelled at X,
 *   refused), G_IO_ERROR_TIMED_OUT, or a cancellation
 *
 * Returns: (transfer full): the authorization code, a secret
 */
BhSecret *
bh_loopback_listener_wait_finish (BhLoopbackListener  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
