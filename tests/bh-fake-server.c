/* bh-fake-server.c
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

#include "bh-fake-server.h"

#include <stdarg.h>
#include <string.h>
#include <libsoup/soup.h>

struct _BhFakeServer
{
  GSubprocess *process;
  char        *url;
  /* A session of its own, used synchronously: control calls must not
   * share connections, timeouts or a main context with the code under
   * test. */
  SoupSession *session;
};

static const char *
fake_server_script (void)
{
  const char *script = g_getenv ("BH_FAKE_X_SERVER");

  g_assert_nonnull (script);
  return script;
}

BhFakeServer *
bh_fake_server_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  BhFakeServer *server;
  guint64 port = 0;

  server = g_new0 (BhFakeServer, 1);

  /* stdin is a pipe we hold: the server exits when it closes, which also
   * happens when this test process dies. stderr is inherited so that the
   * server's request log (no secrets) shows next to the test's. */
  server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                      &error,
                                      "/usr/bin/python3",
                                      fake_server_script (),
                                      NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "PORT="));
  g_assert_true (g_ascii_string_to_unsigned (line + strlen ("PORT="), 10,
                                             1, G_MAXUINT16, &port, &error));
  g_assert_no_error (error);

  server->url = g_strdup_printf ("http://127.0.0.1:%u", (guint) port);
  server->session = soup_session_new_with_options ("timeout", 60, NULL);

  return server;
}

const char *
bh_fake_server_get_url (BhFakeServer *server)
{
  g_assert_nonnull (server);
  return server->url;
}

static GBytes *
fake_server_send (BhFakeServer *server,
                  SoupMessage  *msg,
                  guint        *status)
{
  g_autoptr(GError) error = NULL;
  GBytes *body;

  body = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);

  return body;
}

void
bh_fake_server_control (BhFakeServer *server,
                        const char   *path,
                        const char   *first_name,
                        ...)
{
  g_autofree char *url = NULL;
  g_autofree char *form = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) request = NULL;
  guint status = 0;
  gsize len;
  va_list args;

  g_assert_nonnull (server);
  g_assert_true (g_str_has_prefix (path, "/_fake/"));

  if (first_name != NULL)
    {
      va_start (args, first_name);
      form = soup_form_encode_valist (first_name, args);
      va_end (args);
    }
  else
    {
      form = g_strdup ("");
    }

  url = g_strconcat (server->url, path, NULL);
  msg = soup_message_new ("POST", url);
  g_assert_nonnull (msg);
  len = strlen (form);
  request = g_bytes_new_take (g_steal_pointer (&form), len);
  soup_message_set_request_body_from_bytes (msg,
                                            "application/x-www-form-urlencoded",
                                            request);
  body = fake_server_send (server, msg, &status);
  if (status != 200)
    g_test_message ("fake server %s answered %u: %.*s", path, status,
                    (int) g_bytes_get_size (body),
                    (const char *) g_bytes_get_data (body, NULL));
  g_assert_cmpuint (status, ==, 200);
}

void
bh_fake_server_fault (BhFakeServer *server,
                      const char   *path,
                      const char   *kind,
                      int           count)
{
  g_autofree char *count_str = g_strdup_printf ("%d", count);

  bh_fake_server_control (server, "/_fake/fault",
                          "path", path,
                          "kind", kind,
                          "count", count_str,
                          NULL);
}

char *
bh_fake_server_get_status (BhFakeServer *server,
                           const char   *path_and_query,
                           guint        *status)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  guint st = 0;
  gsize len = 0;
  const char *data;

  g_assert_nonnull (server);
  g_assert_true (path_and_query[0] == '/');

  url = g_strconcat (server->url, path_and_query, NULL);
  msg = soup_message_new ("GET", url);
  g_assert_nonnull (msg);
  body = fake_server_send (server, msg, &st);
  if (status != NULL)
    *status = st;

  data = g_bytes_get_data (body, &len);
  return g_strndup (data != NULL ? data : "", len);
}

char *
bh_fake_server_get (BhFakeServer *server,
                    const char   *path_and_query)
{
  return bh_fake_server_get_status (server, path_and_query, NULL);
}

JsonNode *
bh_fake_server_get_json (BhFakeServer *server,
                         const char   *path_and_query)
{
  g_autofree char *body = bh_fake_server_get (server, path_and_query);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = json_from_string (body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

void
bh_fake_server_add_oauth2_client (BhFakeServer *server,
                                  const char   *client_id,
                                  const char   *client_secret,
                                  const char   *redirect_uri)
{
  g_assert_nonnull (client_id);
  g_assert_nonnull (redirect_uri);

  if (client_secret != NULL)
    bh_fake_server_control (server, "/_fake/oauth2-client",
                            "client_id", client_id,
                            "client_secret", client_secret,
                            "redirect_uri", redirect_uri,
                            NULL);
  else
    bh_fake_server_control (server, "/_fake/oauth2-client",
                            "client_id", client_id,
                            "redirect_uri", redirect_uri,
                            NULL);
}

void
bh_fake_server_set_oauth2_lifetime (BhFakeServer *server,
                                    guint         seconds)
{
  g_autofree char *value = g_strdup_printf ("%u", seconds);

  g_assert_cmpuint (seconds, >, 0);
  bh_fake_server_control (server, "/_fake/oauth2-lifetime",
                          "seconds", value,
                          NULL);
}

void
bh_fake_server_advance_oauth2_clock (BhFakeServer *server,
                                     double        seconds)
{
  char value[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (value, sizeof value, seconds);
  bh_fake_server_control (server, "/_fake/oauth2-clock",
                          "advance", value,
                          NULL);
}

JsonNode *
bh_fake_server_get_oauth2_state (BhFakeServer *server)
{
  JsonNode *node = bh_fake_server_get_json (server, "/_fake/oauth2-state");

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_true (json_object_get_boolean_member_with_default (json_node_get_object (node),
                                                              "ok", FALSE));
  return node;
}

guint
bh_fake_server_oauth2_token_calls (BhFakeServer *server,
                                   const char   *grant_type)
{
  g_autoptr(JsonNode) node = bh_fake_server_get_oauth2_state (server);
  JsonObject *calls = json_object_get_object_member (json_node_get_object (node),
                                                     "token_calls");

  g_assert_nonnull (calls);
  return (guint) json_object_get_int_member_with_default (calls, grant_type, 0);
}

gboolean
bh_fake_server_oauth2_reuse_detected (BhFakeServer *server)
{
  g_autoptr(JsonNode) node = bh_fake_server_get_oauth2_state (server);

  return json_object_get_boolean_member_with_default (json_node_get_object (node),
                                                      "reuse_detected", FALSE);
}

static gboolean
wake_up_cb (gpointer user_data)
{
  /* Nothing to do: returning makes g_main_context_iteration() come back
   * so that the file is looked at again. */
  return G_SOURCE_CONTINUE;
}

char *
bh_fake_server_wait_for_pin_file (const char *pin_file,
                                  guint       timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  guint id = g_timeout_add (50, wake_up_cb, NULL);
  char *pin = NULL;

  g_assert_nonnull (pin_file);

  while (pin == NULL)
    {
      g_autofree char *contents = NULL;

      /* The fake browser may be halfway through writing: only a line
       * with something on it counts. */
      if (g_file_get_contents (pin_file, &contents, NULL, NULL) &&
          strchr (contents, '\n') != NULL &&
          *g_strstrip (contents) != '\0')
        {
          pin = g_steal_pointer (&contents);
          break;
        }

      if (g_get_monotonic_time () > deadline)
        break;

      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (id);

  if (pin == NULL)
    g_test_message ("no PIN appeared in %s within %u s", pin_file, timeout_s);
  g_assert_nonnull (pin);

  return pin;
}

void
bh_fake_server_stop (BhFakeServer *server)
{
  g_autoptr(GError) error = NULL;
  GOutputStream *in;

  if (server == NULL)
    return;

  in = g_subprocess_get_stdin_pipe (server->process);
  g_output_stream_close (in, NULL, NULL);

  /* EOF on stdin makes the server exit at once (its contract). */
  if (!g_subprocess_wait (server->process, NULL, &error))
    {
      g_test_message ("waiting for the fake server: %s", error->message);
      g_subprocess_force_exit (server->process);
    }

  g_clear_object (&server->session);
  g_clear_object (&server->process);
  g_free (server->url);
  g_free (server);
}

/* TRUE when @needle occurs in @haystack; a needle of digits only (a PIN)
 * must stand alone, not inside a longer number such as a timestamp. */
static gboolean
occurs_in (const char *haystack,
           const char *needle)
{
  gboolean digits = TRUE;
  size_t len = strlen (needle);

  for (const char *c = needle; *c != '\0'; c++)
    digits &= g_ascii_isdigit (*c);

  for (const char *at = strstr (haystack, needle); at != NULL; at = strstr (at + 1, needle))
    {
      if (!digits ||
          ((at == haystack || !g_ascii_isdigit (at[-1])) && !g_ascii_isdigit (at[len])))
        return TRUE;
    }

  return FALSE;
}

void
bh_fake_server_assert_no_secret_in (BhFakeServer *server,
                                    const char   *logs)
{
  g_autoptr(JsonNode) node = bh_fake_server_get_json (server, "/_fake/issued-secrets");
  JsonArray *issued = json_object_get_array_member (json_node_get_object (node), "secrets");
  guint n;

  g_assert_nonnull (issued);
  n = json_array_get_length (issued);
  /* At least the default App's consumer secret. */
  g_assert_cmpuint (n, >, 0);

  for (guint i = 0; i < n; i++)
    {
      const char *secret = json_array_get_string_element (issued, i);

      if (occurs_in (logs, secret))
        g_error ("The log holds secret #%u of %u the fake X server issued since its reset", i + 1, n);
    }
}
