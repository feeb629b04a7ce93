/* test-oauth2.c
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

/* OAuth 2.0's pure parts: PKCE (RFC 7636), the authorize URL, the loopback
 * redirect (RFC 8252), token answers (RFC 6749 §5) and the grant as the
 * keyring keeps it. */

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "bh-loopback-listener.h"
#include "bh-oauth1.h"
#include "bh-oauth2.h"

static gboolean
all_unreserved (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._~", *p) == NULL)
      return FALSE;
  return TRUE;
}

static void
test_pkce_vector (void)
{
  /* RFC 7636 Appendix B. */
  g_autofree char *challenge = bh_oauth2_pkce_challenge ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

  g_assert_cmpstr (challenge, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_pkce_verifier (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(BhSecret) verifier = bh_oauth2_pkce_verifier ();
      g_autofree char *state = bh_oauth2_new_state ();
      g_autofree char *challenge = bh_oauth2_pkce_challenge (verifier);

      g_assert_cmpuint (strlen (verifier), >=, 43);
      g_assert_cmpuint (strlen (verifier), <=, 128);
      g_assert_true (all_unreserved (verifier));
      g_assert_cmpuint (strlen (state), >=, 32);
      g_assert_true (all_unreserved (state));
      g_assert_cmpuint (strlen (challenge), ==, 43);
      g_assert_true (all_unreserved (challenge));
      g_assert_true (g_hash_table_add (seen, g_strdup (verifier)));
      g_assert_true (g_hash_table_add (seen, g_steal_pointer (&state)));
    }
}

static void
test_authorize_url (void)
{
  const char *scopes[] = { "tweet.read", "users.read", "offline.access", NULL };
  g_autofree char *url = NULL;
  g_autofree char *other = NULL;
  g_autofree char *twitter = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GPtrArray) params = bh_params_new ();

  url = bh_oauth2_authorize_url ("https://api.x.com", "client-id 1", "http://127.0.0.1:8477/callback",
                                 scopes, "st", "ch");
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
  g_assert_cmpstr (g_uri_get_host (uri), ==, "x.com");
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/i/oauth2/authorize");
  g_assert_true (bh_params_parse_form (params, g_uri_get_query (uri), -1, NULL));
  g_assert_cmpstr (bh_params_get (params, "response_type"), ==, "code");
  g_assert_cmpstr (bh_params_get (params, "client_id"), ==, "client-id 1");
  g_assert_cmpstr (bh_params_get (params, "redirect_uri"), ==, "http://127.0.0.1:8477/callback");
  g_assert_cmpstr (bh_params_get (params, "scope"), ==, "tweet.read users.read offline.access");
  g_assert_cmpstr (bh_params_get (params, "state"), ==, "st");
  g_assert_cmpstr (bh_params_get (params, "code_challenge"), ==, "ch");
  g_assert_cmpstr (bh_params_get (params, "code_challenge_method"), ==, "S256");
  /* A space is %20, never '+', which X would read literally. */
  g_assert_nonnull (strstr (url, "scope=tweet.read%20users.read%20offline.access"));

  twitter = bh_oauth2_authorize_url ("https://api.twitter.com", "c", "http://127.0.0.1:8477/callback",
                                     scopes, "st", "ch");
  g_assert_true (g_str_has_prefix (twitter, "https://twitter.com/i/oauth2/authorize?"));
  other = bh_oauth2_authorize_url ("http://127.0.0.1:4242", "c", "http://127.0.0.1:8477/callback",
                                   scopes, "st", "ch");
  g_assert_true (g_str_has_prefix (other, "http://127.0.0.1:4242/i/oauth2/authorize?"));
}

static void
test_redirect_uri (void)
{
  const char *refused[] = {
    "https://127.0.0.1:8477/callback", "http://localhost:8477/callback", "http://192.168.1.2:8477/cb",
    "http://127.0.0.1/callback", "http://127.0.0.1:80/callback", "http://127.0.0.1:8477/cb?x=1",
    "http://127.0.0.1:8477/cb#f", "http://user@127.0.0.1:8477/cb", "127.0.0.1:8477", "", NULL,
  };
  g_autofree char *path = NULL;
  guint16 port = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (bh_oauth2_check_redirect_uri (BH_OAUTH2_DEFAULT_REDIRECT_URI, &port, &path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (port, ==, 8477);
  g_assert_cmpstr (path, ==, "/callback");

  for (guint i = 0; i < G_N_ELEMENTS (refused) - 1; i++)
    {
      g_autoptr(GError) e = NULL;

      g_assert_false (bh_oauth2_check_redirect_uri (refused[i], NULL, NULL, &e));
      g_assert_error (e, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_INVALID_REDIRECT);
      g_test_message ("%s: %s", refused[i], e->message);
    }
}

static void
test_parse_redirect (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhSecret) code = NULL;
  struct {
    const char *redirect;
    int         error_code;  /* -1: the code "abc d" */
  } cases[] = {
    { "http://127.0.0.1:8477/callback?state=S1&code=abc+d", -1 },
    { "/callback?code=abc%20d&state=S1#_=_", -1 },
    { "  http://127.0.0.1:8477/callback?code=abc+d&state=S1\n", -1 },
    { "/callback?code=abc&state=S2", BH_OAUTH2_ERROR_STATE_MISMATCH },
    { "/callback?code=abc", BH_OAUTH2_ERROR_STATE_MISMATCH },
    { "/callback?error=access_denied&state=S1", BH_OAUTH2_ERROR_ACCESS_DENIED },
    { "/callback?error=access_denied&state=other", BH_OAUTH2_ERROR_STATE_MISMATCH },
    { "/callback?error=invalid_scope&error_description=Bad%E2%80%AEscope&state=S1", BH_OAUTH2_ERROR_REFUSED },
    { "/callback?state=S1", BH_OAUTH2_ERROR_INVALID_REDIRECT },
    { "/callback?state=S1&code=", BH_OAUTH2_ERROR_INVALID_REDIRECT },
    { "http://127.0.0.1:8477/callback", BH_OAUTH2_ERROR_INVALID_REDIRECT },
    { "/callback?code=%zz&state=S1", BH_OAUTH2_ERROR_INVALID_REDIRECT },
    { "", BH_OAUTH2_ERROR_INVALID_REDIRECT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(BhSecret) c = bh_oauth2_parse_redirect (cases[i].redirect, "S1", &e);

      if (cases[i].error_code < 0)
        {
          g_assert_no_error (e);
          g_assert_cmpstr (c, ==, "abc d");
        }
      else
        {
          g_assert_null (c);
          g_assert_error (e, BH_OAUTH2_ERROR, cases[i].error_code);
          /* X's words reach a terminal without a bidirectional override. */
          g_assert_null (strstr (e->message, "\u202e"));
        }
    }

  code = bh_oauth2_parse_redirect (NULL, "S1", &error);
  g_assert_null (code);
  g_assert_error (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_INVALID_REDIRECT);
}

static void
test_token_response (void)
{
  const char *full = "{\"token_type\":\"bearer\",\"expires_in\":7200,\"access_token\":\"AT-1\","
                     "\"scope\":\"tweet.read users.read offline.access\",\"refresh_token\":\"RT-1\"}";
  const char *bad[] = {
    "", "   ", "[]", "{}", "not json", "{\"token_type\":\"mac\",\"access_token\":\"a\"}",
    "{\"token_type\":\"bearer\"}", "{\"token_type\":\"bearer\",\"access_token\":7}",
    "{\"token_type\":[\"bearer\"],\"access_token\":\"a\"}",
    "{\"token_type\":\"bearer\",\"access_token\":\"a\\nb\"}",
    "{\"token_type\":\"bearer\",\"access_token\":\"a b\"}",
    "{\"token_type\":\"bearer\",\"access_token\":\"a\",\"refresh_token\":\"r\\u0001\"}",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BhOAuth2Grant) grant = NULL;
  g_autoptr(BhOAuth2Grant) minimal = NULL;
  g_autofree char *deep = NULL;
  const char *small = "{\"token_type\":\"Bearer\",\"access_token\":\"AT\",\"expires_in\":\"7200\",\"scope\":5}";

  grant = bh_oauth2_grant_from_token_response (full, strlen (full), 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (grant->access_token, ==, "AT-1");
  g_assert_cmpstr (grant->refresh_token, ==, "RT-1");
  g_assert_cmpint (grant->expires_at, ==, 8200);
  g_assert_cmpstr (grant->scopes, ==, "tweet.read users.read offline.access");

  /* Without offline.access: no refresh token; types X may vary. */
  minimal = bh_oauth2_grant_from_token_response (small, strlen (small), 1000, &error);
  g_assert_no_error (error);
  g_assert_null (minimal->refresh_token);
  g_assert_cmpint (minimal->expires_at, ==, 0);
  g_assert_cmpstr (minimal->scopes, ==, "");
  g_assert_false (bh_oauth2_grant_needs_refresh (minimal, G_MAXINT64, 60));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(BhOAuth2Grant) g = bh_oauth2_grant_from_token_response (bad[i], strlen (bad[i]), 0, &e);

      g_assert_null (g);
      g_assert_error (e, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_MALFORMED);
    }

  /* Nested far deeper than any answer: refused before json-glib recurses. */
  deep = g_strnfill (100000, '[');
  {
    g_autoptr(GError) e = NULL;

    g_assert_null (bh_oauth2_grant_from_token_response (deep, strlen (deep), 0, &e));
    g_assert_error (e, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_MALFORMED);
  }
}

static void
test_grant_round_trip (void)
{
  BhOAuth2Grant grant = {
    .access_token = (char *) "access token",
    .refresh_token = (char *) "refresh",
    .expires_at = 1790000000,
    .scopes = (char *) "tweet.read offline.access",
  };
  BhOAuth2Grant no_refresh = { .access_token = (char *) "a", .scopes = (char *) "" };
  const char *bad[] = {
    "", "birdhouse-oauth2-grant-1", "birdhouse-oauth2-grant-1\n\nr\n1\ns",
    "birdhouse-oauth2-grant-2\na\nr\n1\ns", "birdhouse-oauth2-grant-1\na\nr\nsoon\ns",
    "birdhouse-oauth2-grant-1\na\nr\n1\ns\nextra", "birdhouse-oauth2-grant-1\na\nr\n-5\ns",
  };
  g_autoptr(BhSecret) value = bh_oauth2_grant_serialize (&grant);
  g_autoptr(BhSecret) value2 = bh_oauth2_grant_serialize (&no_refresh);
  g_autoptr(BhOAuth2Grant) back = NULL;
  g_autoptr(BhOAuth2Grant) back2 = NULL;
  g_autoptr(GError) error = NULL;

  back = bh_oauth2_grant_deserialize (value, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->access_token, ==, "access token");
  g_assert_cmpstr (back->refresh_token, ==, "refresh");
  g_assert_cmpint (back->expires_at, ==, 1790000000);
  g_assert_cmpstr (back->scopes, ==, "tweet.read offline.access");

  back2 = bh_oauth2_grant_deserialize (value2, &error);
  g_assert_no_error (error);
  g_assert_null (back2->refresh_token);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;

      g_assert_null (bh_oauth2_grant_deserialize (bad[i], &e));
      g_assert_error (e, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_MALFORMED);
    }

  /* A refresh is due 60 s before the expiry, not after it. */
  g_assert_false (bh_oauth2_grant_needs_refresh (back, 1790000000 - 61, 60));
  g_assert_true (bh_oauth2_grant_needs_refresh (back, 1790000000 - 60, 60));
  g_assert_true (bh_oauth2_grant_needs_refresh (back, 1790000001, 60));
  g_assert_false (bh_oauth2_grant_needs_refresh (back2, 1790000001, 60));
}


/* The loopback listener ------------------------------------------------------- */

typedef struct
{
  guint16  port;
  char    *request;
  char    *response;
  gboolean connected;
  gint     done;
} Client;

/* A browser, in a thread: the listener answers on the main loop. */
static gpointer
client_thread (gpointer data)
{
  Client *client = data;
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) response = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", client->port, NULL, NULL);
  if (connection != NULL)
    {
      GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
      GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));

      client->connected = TRUE;
      g_output_stream_write_all (out, client->request, strlen (client->request), NULL, NULL, NULL);
      while ((n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL)) > 0)
        g_string_append_len (response, buffer, n);
    }

  client->response = g_string_free (g_steal_pointer (&response), FALSE);
  g_atomic_int_set (&client->done, 1);
  return NULL;
}

/* Sends @request to the listener; returns the whole response ("" when
 * nothing listens). */
static char *
http_request (guint16     port,
              const char *request)
{
  Client client = { .port = port, .request = (char *) request };
  GThread *thread = g_thread_new ("browser", client_thread, &client);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!g_atomic_int_get (&client.done))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_thread_join (thread);

  return client.response;
}

static char *
http_get (guint16     port,
          const char *target)
{
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n", target, port);

  return http_request (port, request);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (*result == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return *result;
}

/* What /proc/net/tcp says listens on @port: "0100007F" is 127.0.0.1. */
static char *
listening_address (guint16 port)
{
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *suffix = g_strdup_printf (":%04X", port);

  g_assert_true (g_file_get_contents ("/proc/net/tcp", &table, NULL, NULL));
  lines = g_strsplit (table, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();

      for (guint j = 0; fields[j] != NULL; j++)
        if (*fields[j] != '\0')
          g_ptr_array_add (words, fields[j]);
      /* local_address, rem_address, st: 0A is LISTEN */
      if (words->len > 3 && g_str_has_suffix (words->pdata[1], suffix) && g_str_equal (words->pdata[3], "0A"))
        return g_strndup (words->pdata[1], 8);
    }
  return NULL;
}

static void
test_listener_redirect (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhLoopbackListener) listener = bh_loopback_listener_new (0, "/callback", &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BhSecret) code = NULL;
  g_autofree char *address = NULL;
  g_autofree char *other_path = NULL;
  g_autofree char *other_state = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *long_target = NULL;
  g_autofree char *post = NULL;
  g_autofree char *ok = NULL;
  g_autofree char *after = NULL;
  guint16 port;

  g_assert_no_error (error);
  port = bh_loopback_listener_get_port (listener);
  g_assert_cmpuint (port, >, 0);

  /* Bound to 127.0.0.1 alone, before anything is waited for. */
  address = listening_address (port);
  g_assert_cmpstr (address, ==, "0100007F");

  bh_loopback_listener_wait_async (listener, "S1", 60, NULL, result_cb, &result);

  /* Other paths, other states, other methods, endless lines: answered,
   * and the wait goes on. */
  other_path = http_get (port, "/favicon.ico");
  g_assert_true (g_str_has_prefix (other_path, "HTTP/1.1 404 "));
  other_state = http_get (port, "/callback?code=stolen&state=S2");
  g_assert_true (g_str_has_prefix (other_state, "HTTP/1.1 400 "));
  g_assert_nonnull (strstr (other_state, "This Is Not the Authorization Birdhouse Waits For"));
  post = http_request (port, "POST /callback?code=abc&state=S1 HTTP/1.1\r\n\r\n");
  g_assert_true (g_str_has_prefix (post, "HTTP/1.1 405 "));
  long_target = g_strnfill (9000, 'a');
  too_long = http_get (port, long_target);
  g_assert_true (g_str_has_prefix (too_long, "HTTP/1.1 414 "));
  g_assert_null (result);

  ok = http_get (port, "/callback?state=S1&code=the-code");
  g_assert_true (g_str_has_prefix (ok, "HTTP/1.1 200 "));
  g_assert_nonnull (strstr (ok, "Cache-Control: no-store"));
  g_assert_nonnull (strstr (ok, "You can close this page"));
  g_assert_null (strstr (ok, "the-code"));

  code = bh_loopback_listener_wait_finish (listener, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "the-code");

  /* Then nothing listens any more. */
  after = http_get (port, "/callback?state=S1&code=again");
  g_assert_cmpstr (after, ==, "");
  g_clear_pointer (&address, g_free);
  address = listening_address (port);
  g_assert_null (address);
}

static void
test_listener_denied (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhLoopbackListener) listener = bh_loopback_listener_new (0, "/cb", &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BhSecret) code = NULL;
  g_autofree char *page = NULL;

  g_assert_no_error (error);
  bh_loopback_listener_wait_async (listener, "S1", 0, NULL, result_cb, &result);
  page = http_get (bh_loopback_listener_get_port (listener), "/cb?error=access_denied&state=S1");
  g_assert_nonnull (strstr (page, "Authorization Cancelled"));
  code = bh_loopback_listener_wait_finish (listener, wait_result (&result), &error);
  g_assert_null (code);
  g_assert_error (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_ACCESS_DENIED);
}

static void
test_listener_port_in_use (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhLoopbackListener) first = bh_loopback_listener_new (0, "/callback", &error);
  g_autoptr(BhLoopbackListener) second = NULL;
  g_autofree char *port = NULL;

  g_assert_no_error (error);
  second = bh_loopback_listener_new (bh_loopback_listener_get_port (first), "/callback", &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  port = g_strdup_printf ("%u", bh_loopback_listener_get_port (first));
  /* The sentence names the port and the way out. */
  g_assert_nonnull (strstr (error->message, port));
  g_assert_nonnull (strstr (error->message, "redirect URI"));
}

static void
test_listener_cancel_and_timeout (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhLoopbackListener) listener = bh_loopback_listener_new (0, "/callback", &error);
  g_autoptr(BhLoopbackListener) slow = bh_loopback_listener_new (0, "/callback", &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) timed_out = NULL;
  g_autofree char *after = NULL;
  guint16 port;

  g_assert_no_error (error);
  port = bh_loopback_listener_get_port (listener);
  bh_loopback_listener_wait_async (listener, "S1", 0, cancellable, result_cb, &result);
  g_cancellable_cancel (cancellable);
  g_assert_null (bh_loopback_listener_wait_finish (listener, wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  after = http_get (port, "/callback?state=S1&code=late");
  g_assert_cmpstr (after, ==, "");

  bh_loopback_listener_wait_async (slow, "S1", 1, NULL, result_cb, &timed_out);
  g_assert_null (bh_loopback_listener_wait_finish (slow, wait_result (&timed_out), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/oauth2/pkce-vector", test_pkce_vector);
  g_test_add_func ("/oauth2/pkce-verifier", test_pkce_verifier);
  g_test_add_func ("/oauth2/authorize-url", test_authorize_url);
  g_test_add_func ("/oauth2/redirect-uri", test_redirect_uri);
  g_test_add_func ("/oauth2/parse-redirect", test_parse_redirect);
  g_test_add_func ("/oauth2/token-response", test_token_response);
  g_test_add_func ("/oauth2/grant-round-trip", test_grant_round_trip);
  g_test_add_func ("/oauth2/listener/redirect", test_listener_redirect);
  g_test_add_func ("/oauth2/listener/denied", test_listener_denied);
  g_test_add_func ("/oauth2/listener/port-in-use", test_listener_port_in_use);
  g_test_add_func ("/oauth2/listener/cancel-and-timeout", test_listener_cancel_and_timeout);

  return g_test_run ();
}
