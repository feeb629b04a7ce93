/* bh-cli-request.c
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

#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "bh-cli-sign-private.h"
#include "bh-params.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

/* `birdhouse request`: sign as `birdhouse sign` does, send, print the
 * answer. */

/* On a terminal, what the server sent is shown line by line without
 * controls: a C1 CSI (U+009B) or an ESC would drive the terminal, a bidi
 * override would make the text read otherwise. To a pipe or a file it
 * goes byte for byte, as scripts expect. */
static gboolean
stdout_is_terminal (void)
{
  return isatty (fileno (stdout));
}

static void
print_terminal_text (const char *data,
                     gsize       len)
{
  g_autofree char *text = g_strndup (data, len);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *clean = bh_x_strip_controls (lines[i]);

      if (i > 0)
        fputc ('\n', stdout);
      fputs (clean, stdout);
    }
}

static void
print_response_head (const BhXResponse *response)
{
  gboolean terminal = stdout_is_terminal ();
  g_autofree char *reason = NULL;

  reason = terminal ? bh_x_strip_controls (response->reason) : g_strdup (response->reason);
  g_print ("HTTP/1.1 %u %s\n", response->status, reason != NULL ? reason : "");
  for (guint i = 0; response->headers != NULL && i < response->headers->len; i++)
    {
      const BhParam *header = g_ptr_array_index (response->headers, i);
      g_autofree char *name = terminal ? bh_x_strip_controls (header->name) : g_strdup (header->name);
      g_autofree char *value = terminal ? bh_x_strip_controls (header->value) : g_strdup (header->value);

      g_print ("%s: %s\n", name, value);
    }
  g_print ("\n");
}

static void
print_body (GBytes *body)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  if (len == 0)
    return;

  fflush (stdout);
  if (stdout_is_terminal ())
    print_terminal_text (data, len);
  else
    fwrite (data, 1, len, stdout);
  /* A body without a final newline would run into the shell prompt. */
  if (data[len - 1] != '\n')
    fputc ('\n', stdout);
  fflush (stdout);
}

/* One request, signed now (a retry gets a fresh nonce and timestamp). */
static BhXResponse *
send_request (BhXClient     *client,
              const char    *method,
              const char    *url,
              GPtrArray     *params,
              const BhAuth  *auth,
              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_x_client_request_async (client, method, url, params->len > 0 ? params : NULL, NULL, auth,
                             NULL, _bh_cli_store_result, &result);

  return bh_x_client_request_finish (client, _bh_cli_wait (&result), error);
}

int
_bh_cli_request (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(BhCliSignOptions) options = { 0 };
  g_auto(BhCliSigner) credentials = { 0 };
  g_autoptr(GPtrArray) params = bh_params_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BhXClient) client = NULL;
  g_autoptr(BhXResponse) response = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *url = NULL;
  BhAuth auth = { 0 };
  int status;

  context = _bh_cli_option_context ("request", _("URL"),
                                    _("Send a signed request to URL and print the response body.\n"
                                      "The options are those of “birdhouse sign”. A response that is not\n"
                                      "a success is printed all the same, X’s error on standard error, and\n"
                                      "the exit status is 1. --explain prints what was signed on standard\n"
                                      "error, so that standard output stays the body."),
                                    "birdhouse request -i --app MyBot --account alice https://api.x.com/2/users/me",
                                    NULL);
  status = _bh_cli_sign_prepare ("request", context, FALSE, argc, argv, &options, &url, params, &credentials);
  if (status >= 0)
    return status;
  if (options.wait && (options.nonce != NULL || options.timestamp != 0))
    return _bh_cli_usage ("request", _("--wait sends the request again, which needs a fresh nonce and timestamp: leave out --nonce and --timestamp."));

  /* The client's host is the URL's origin: the request goes where the
   * user said, whatever the App's API host. */
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  origin = g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL,
                       g_uri_get_host (uri), g_uri_get_port (uri), "", NULL, NULL);
  client = bh_x_client_new (origin, &error);
  if (client == NULL)
    return _bh_cli_fail_error (error);

  auth.mode = credentials.mode;
  auth.consumer_key = credentials.consumer_key;
  auth.consumer_secret = credentials.consumer_secret;
  auth.token = credentials.token;
  auth.token_secret = credentials.token_secret;
  auth.bearer = credentials.bearer;
  auth.nonce = options.nonce;
  auth.timestamp = options.timestamp;
  auth.explain = options.explain;

  response = send_request (client, options.method, url, params, &auth, &error);
  if (response == NULL)
    return _bh_cli_fail_error (error);

  /* Once only: a second 429 is reported as it is. The retry is signed
   * afresh (new nonce and timestamp). */
  if (options.wait && response->status == 429 && response->rate_limit_reset > 0)
    {
      if (!_bh_cli_wait_for_reset (response->rate_limit_reset))
        return BH_CLI_EXIT_INTERRUPTED;

      g_clear_pointer (&response, bh_x_response_free);
      response = send_request (client, options.method, url, params, &auth, &error);
      if (response == NULL)
        return _bh_cli_fail_error (error);
    }

  /* Only a signed request has something to explain (not a bearer one). */
  if (options.explain && response->signed_base_string != NULL)
    {
      g_autofree char *sent_url = NULL;
      GPtrArray *body = NULL;

      sent_url = _bh_cli_sign_place_params (options.method, url, params, &body);
      _bh_cli_sign_print_explanation (TRUE, options.method, sent_url, body,
                         response->signed_param_string, response->signed_base_string);
    }

  if (options.include)
    print_response_head (response);
  print_body (response->body);

  if (!bh_x_response_check (response, &error))
    {
      /* X answers a replayed nonce like a wrong key; with a nonce of the
       * user's own, that is the likelier cause. */
      if (options.nonce != NULL &&
          g_error_matches (error, BH_X_ERROR, BH_X_ERROR_COULD_NOT_AUTHENTICATE))
        return _bh_cli_fail ("%s %s", error->message,
                             _("X also refuses a nonce and timestamp it has seen before: give another --nonce."));
      /* The stored bearer token was invalidated (here or elsewhere): say
       * exactly what to type. `birdhouse bearer APP` alone would print
       * the dead token again, so it is removed first. */
      if (options.bearer &&
          g_error_matches (error, BH_X_ERROR, BH_X_ERROR_BEARER_INVALID))
        {
          g_autofree char *quoted = g_shell_quote (options.app);

          /* Translators: the App's name, then twice that name quoted for a shell: “MyBot”, birdhouse bearer MyBot */
          return _bh_cli_fail (_("The bearer token of “%s” is no longer valid: it was invalidated, maybe elsewhere. Generate a new one with “birdhouse bearer %s --invalidate” and then “birdhouse bearer %s”."),
                               options.app, quoted, quoted);
        }
      return _bh_cli_fail_error (error);
    }

  return BH_CLI_EXIT_OK;
}
