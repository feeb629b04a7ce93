/* bh-cli-sign.c
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

#include <string.h>
#include <glib/gi18n.h>

#include "bh-cli-sign-private.h"
#include "bh-oauth1.h"
#include "bh-params.h"
#include "bh-store.h"
#include "bh-x-url.h"

/* `birdhouse sign`, and the steps `birdhouse request` (bh-cli-request.c)
 * shares with it. This file is part of birdhouse itself, which links no
 * network library: nothing here may call X. */

void
_bh_cli_sign_options_clear (BhCliSignOptions *options)
{
  g_clear_pointer (&options->method, g_free);
  g_clear_pointer (&options->data, g_strfreev);
  g_clear_pointer (&options->app, g_free);
  g_clear_pointer (&options->account, g_free);
  g_clear_pointer (&options->consumer_key, g_free);
  g_clear_pointer (&options->token, g_free);
  g_clear_pointer (&options->nonce, g_free);
}

void
_bh_cli_signer_clear (BhCliSigner *signer)
{
  g_clear_pointer (&signer->consumer_key, g_free);
  bh_secret_clear (&signer->consumer_secret);
  bh_secret_clear (&signer->token);
  bh_secret_clear (&signer->token_secret);
  bh_secret_clear (&signer->bearer);
}

static void
add_common_entries (GOptionContext *context,
                    BhCliSignOptions    *options,
                    gboolean        for_sign)
{
  const GOptionEntry common[] = {
    { "request", 'X', 0, G_OPTION_ARG_STRING, &options->method,
      N_("HTTP method (default GET)"), N_("METHOD") },
    { "data", 'd', 0, G_OPTION_ARG_STRING_ARRAY, &options->data,
      N_("A parameter, as literal text: the form body for POST and PUT, the query otherwise (repeatable)"),
      N_("NAME=VALUE") },
    { "app", 0, 0, G_OPTION_ARG_STRING, &options->app,
      N_("Sign with this App’s keys from the keyring"), N_("APP") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &options->account,
      N_("With --app: sign as this account (user context)"), N_("SCREEN_NAME") },
    { "bearer", 0, 0, G_OPTION_ARG_NONE, &options->bearer,
      N_("With --app: use the App’s bearer token (app-only)"), NULL },
    { "oauth2", 0, 0, G_OPTION_ARG_NONE, &options->oauth2,
      N_("With --account: use the account’s OAuth 2.0 access token, refreshed when needed (the default for an account without OAuth 1.0a tokens)"),
      NULL },
    { "consumer-key", 0, 0, G_OPTION_ARG_STRING, &options->consumer_key,
      N_("Sign with this API key; its secret, then the token secret, are read from standard input"),
      N_("KEY") },
    { "token", 0, 0, G_OPTION_ARG_STRING, &options->token,
      N_("With --consumer-key: the access token"), N_("TOKEN") },
    { "timestamp", 0, 0, G_OPTION_ARG_INT64, &options->timestamp,
      N_("Use this oauth_timestamp (seconds since 1970) instead of now"), N_("T") },
    { "nonce", 0, 0, G_OPTION_ARG_STRING, &options->nonce,
      N_("Use this oauth_nonce instead of a random one"), N_("N") },
    G_OPTION_ENTRY_NULL
  };
  const GOptionEntry sign_only[] = {
    { "explain", 0, 0, G_OPTION_ARG_NONE, &options->explain,
      N_("Also print the parameter string and the signature base string"), NULL },
    G_OPTION_ENTRY_NULL
  };
  /* --explain goes to stderr for `request`: stdout is the body, which a
   * script may pipe into a JSON parser. */
  const GOptionEntry request_only[] = {
    { "include", 'i', 0, G_OPTION_ARG_NONE, &options->include,
      N_("Print the status line and the response headers (rate limits included) before the body"),
      NULL },
    { "explain", 0, 0, G_OPTION_ARG_NONE, &options->explain,
      N_("Also print the parameter string and the signature base string used, on standard error"),
      NULL },
    { "wait", 0, 0, G_OPTION_ARG_NONE, &options->wait,
      N_("On a rate limit (429), wait until X’s reset time and send the request once more"),
      NULL },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, for_sign ? sign_only : request_only,
                                     GETTEXT_PACKAGE);
}

/* Checks what can be checked without the keyring or the network. Returns
 * -1 to go on, else an exit status. */
static int
check_options (const char  *command,
               BhCliSignOptions *options)
{
  if ((options->app == NULL) == (options->consumer_key == NULL))
    return _bh_cli_usage (command, _("Give either --app or --consumer-key."));
  if (options->app == NULL && (options->account != NULL || options->bearer))
    return _bh_cli_usage (command, _("--account and --bearer need --app."));
  if (options->account != NULL && options->bearer)
    return _bh_cli_usage (command, _("Give either --account or --bearer, not both."));
  if (options->oauth2 && options->account == NULL)
    return _bh_cli_usage (command, _("--oauth2 needs --app and --account."));
  if (options->token != NULL && options->consumer_key == NULL)
    return _bh_cli_usage (command, _("--token needs --consumer-key."));
  if (options->consumer_key != NULL && options->consumer_key[0] == '\0')
    return _bh_cli_usage (command, _("The API key given with --consumer-key is empty."));
  if (options->token != NULL && options->token[0] == '\0')
    return _bh_cli_usage (command, _("The token given with --token is empty."));
  if (options->timestamp < 0)
    return _bh_cli_usage (command, _("The timestamp must be a positive number of seconds."));
  if (options->nonce != NULL && options->nonce[0] == '\0')
    return _bh_cli_usage (command, _("The nonce must not be empty."));
  if ((options->bearer || options->oauth2) && (options->nonce != NULL || options->timestamp != 0))
    return _bh_cli_usage (command, _("--nonce and --timestamp sign OAuth 1.0a requests; a bearer token is not signed."));

  if (options->method == NULL)
    options->method = g_strdup ("GET");
  else
    {
      char *upper;

      if (options->method[0] == '\0')
        return _bh_cli_usage (command, _("The method is empty."));
      for (const char *p = options->method; *p != '\0'; p++)
        if (!g_ascii_isalpha (*p))
          /* Translators: %s is the method given with -X */
          return _bh_cli_usage (command, _("“%s” is not an HTTP method."), options->method);

      upper = g_ascii_strup (options->method, -1);
      g_free (options->method);
      options->method = upper;
    }

  return -1;
}

/* A usage error for a URL the program cannot send anywhere; exit status 1
 * when it is well formed but refused (plain http to another host). */
static int
check_url (const char *command,
           const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) query = NULL;
  const char *scheme;

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &error);
  if (uri == NULL)
    /* Translators: the URL given, then why it cannot be read */
    return _bh_cli_usage (command, _("“%s” is not a valid URL: %s."), url, error->message);

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    return _bh_cli_usage (command, _("The URL must start with https:// (or http:// for a server on this computer)."));
  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    /* Translators: %s is the URL given */
    return _bh_cli_usage (command, _("The URL “%s” names no host."), url);

  query = bh_params_new ();
  if (g_uri_get_query (uri) != NULL &&
      !bh_params_parse_form (query, g_uri_get_query (uri), -1, &error))
    /* Translators: %s says why the query cannot be read */
    return _bh_cli_usage (command, _("The query of the URL cannot be read: %s"), error->message);

  if (!bh_x_check_url (url, &error))
    return _bh_cli_fail_error (error);

  return -1;
}

/* A fragment is never sent: without it, -d parameters land in the query
 * rather than after the '#' where nobody would sign or send them. */
static char *
drop_fragment (const char *url)
{
  const char *hash = strchr (url, '#');

  return hash != NULL ? g_strndup (url, hash - url) : g_strdup (url);
}

static int
parse_data (const char  *command,
            char       **data,
            GPtrArray   *params)
{
  for (guint i = 0; data != NULL && data[i] != NULL; i++)
    {
      const char *eq = strchr (data[i], '=');
      g_autofree char *name = NULL;

      if (eq == NULL || eq == data[i])
        /* Translators: %s is what was given after -d */
        return _bh_cli_usage (command, _("-d takes NAME=VALUE, not “%s”."), data[i]);

      name = g_strndup (data[i], eq - data[i]);
      bh_params_add (params, name, eq + 1);
    }

  return -1;
}

static gboolean
method_has_body (const char *method)
{
  return g_str_equal (method, "POST") || g_str_equal (method, "PUT");
}

char *
_bh_cli_sign_place_params (const char  *method,
                           const char  *url,
                           GPtrArray   *params,
                           GPtrArray  **body)
{
  g_autofree char *form = NULL;

  if (params->len == 0 || method_has_body (method))
    {
      *body = params->len > 0 ? params : NULL;
      return g_strdup (url);
    }

  *body = NULL;
  form = bh_params_to_form (params);
  return g_strconcat (url, strchr (url, '?') != NULL ? "&" : "?", form, NULL);
}

void
_bh_cli_sign_print_explanation (gboolean     to_stderr,
                                const char  *method,
                                const char  *url,
                                GPtrArray   *body,
                                const char  *param_string,
                                const char  *base_string)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "%s %s\n", _("Method:"), method);
  g_string_append_printf (text, "%s %s\n", _("URL:"), url);
  if (body != NULL)
    {
      g_autofree char *form = bh_params_to_form (body);

      g_string_append_printf (text, "%s %s\n", _("Form body:"), form);
    }
  g_string_append_printf (text, "%s %s\n", _("Parameter string:"), param_string);
  g_string_append_printf (text, "%s %s\n", _("Signature base string:"), base_string);

  if (to_stderr)
    g_printerr ("%s", text->str);
  else
    g_print ("%s", text->str);
}

static gboolean
get_credentials (BhCliSignOptions  *options,
                 BhCliSigner       *credentials,
                 GError      **error)
{
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };

  if (options->consumer_key != NULL)
    {
      credentials->consumer_key = g_strdup (options->consumer_key);
      credentials->consumer_secret = _bh_cli_read_secret (_("API key secret: "),
                                                          _("the API key secret"),
                                                          error);
      if (credentials->consumer_secret == NULL)
        return FALSE;

      if (options->token != NULL)
        {
          credentials->token = bh_secret_dup (options->token);
          credentials->token_secret = _bh_cli_read_secret (_("Access token secret: "),
                                                           _("the access token secret"),
                                                           error);
          if (credentials->token_secret == NULL)
            return FALSE;
          credentials->mode = BH_AUTH_OAUTH1_USER;
        }
      else
        credentials->mode = BH_AUTH_OAUTH1_CONSUMER;

      return TRUE;
    }

  if (!_bh_cli_open_target (options->app, options->account, &target, error))
    return FALSE;

  credentials->consumer_key = g_strdup (bh_app_get_consumer_key (target.app));

  if (options->bearer)
    {
      credentials->bearer = _bh_cli_lookup_bearer (target.store, target.app, error);
      if (credentials->bearer == NULL)
        return FALSE;
      credentials->mode = BH_AUTH_BEARER;
      return TRUE;
    }

  /* An account with only an OAuth 2.0 grant uses it without being told. */
  if (target.account != NULL &&
      (options->oauth2 || !bh_account_has_credentials (target.account, BH_ACCOUNT_CREDENTIALS_OAUTH1)))
    {
      credentials->bearer = _bh_cli_lookup_oauth2_token (target.store, target.account, error);
      if (credentials->bearer == NULL)
        return FALSE;
      credentials->mode = BH_AUTH_BEARER;
      return TRUE;
    }

  credentials->consumer_secret = _bh_cli_lookup_consumer_secret (target.store, target.app, error);
  if (credentials->consumer_secret == NULL)
    return FALSE;

  if (target.account != NULL)
    {
      if (!_bh_cli_lookup_tokens (target.store, target.account, &credentials->token,
                                  &credentials->token_secret, error))
        return FALSE;
      credentials->mode = BH_AUTH_OAUTH1_USER;
    }
  else
    credentials->mode = BH_AUTH_OAUTH1_CONSUMER;

  return TRUE;
}

int
_bh_cli_sign_prepare (const char        *command,
                      GOptionContext    *context,
                      gboolean           for_sign,
                      int                argc,
                      char             **argv,
                      BhCliSignOptions  *options,
                      char             **url,
                      GPtrArray         *params,
                      BhCliSigner       *credentials)
{
  g_autoptr(GError) error = NULL;
  const char *given_url;
  int status;

  add_common_entries (context, options, for_sign);
  status = _bh_cli_parse (context, command, 1, 1, _("Give the URL of the request."),
                          &argc, &argv);
  if (status >= 0)
    return status;

  given_url = argv[1];
  status = check_options (command, options);
  if (status >= 0)
    return status;
  status = check_url (command, given_url);
  if (status >= 0)
    return status;
  *url = drop_fragment (given_url);
  status = parse_data (command, options->data, params);
  if (status >= 0)
    return status;

  if (!get_credentials (options, credentials, &error))
    return _bh_cli_fail_error (error);

  return -1;
}

int
_bh_cli_sign (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(BhCliSignOptions) options = { 0 };
  g_auto(BhCliSigner) credentials = { 0 };
  g_autoptr(GPtrArray) params = bh_params_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *signed_url = NULL;
  g_autofree char *header = NULL;
  g_autofree char *param_string = NULL;
  g_autofree char *base_string = NULL;
  g_autofree char *url = NULL;
  BhOAuth1Request request = { 0 };
  BhOAuth1Credentials oauth = { 0 };
  int status;

  context = _bh_cli_option_context ("sign", _("URL"),
                                    _("Print the Authorization header value for a request to URL, without sending it.\n"
                                      "Query parameters in URL are signed as they are; -d parameters are\n"
                                      "literal text that birdhouse encodes. With --consumer-key, the API key\n"
                                      "secret and then (with --token) the token secret are read from standard\n"
                                      "input, one per line. With --bearer the header is the bearer token itself."),
                                    "birdhouse sign --app MyBot --account alice -X POST -d 'text=Hello' https://api.x.com/2/tweets",
                                    NULL);
  status = _bh_cli_sign_prepare ("sign", context, TRUE, argc, argv, &options, &url, params, &credentials);
  if (status >= 0)
    return status;

  if (credentials.mode == BH_AUTH_BEARER)
    {
      g_autoptr(BhSecret) value = g_strconcat ("Bearer ", credentials.bearer, NULL);

      _bh_cli_print_line (value);
      return BH_CLI_EXIT_OK;
    }

  signed_url = _bh_cli_sign_place_params (options.method, url, params, &request.body);

  request.method = options.method;
  request.url = signed_url;
  request.nonce = options.nonce;
  request.timestamp = options.timestamp;
  oauth.consumer_key = credentials.consumer_key;
  oauth.consumer_secret = credentials.consumer_secret;
  oauth.token = credentials.token;
  oauth.token_secret = credentials.token_secret;

  header = bh_oauth1_sign (&request, &oauth,
                           options.explain ? &param_string : NULL,
                           options.explain ? &base_string : NULL,
                           &error);
  if (header == NULL)
    return _bh_cli_fail_error (error);

  _bh_cli_print_line (header);
  if (options.explain)
    _bh_cli_sign_print_explanation (FALSE, options.method, signed_url, request.body,
                       param_string, base_string);

  return BH_CLI_EXIT_OK;
}
