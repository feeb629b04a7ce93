/* bh-cli-oauth2.c
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

#include <glib/gi18n.h>

#include "bh-account.h"
#include "bh-cli-private.h"
#include "bh-oauth2.h"
#include "bh-oauth2-flow.h"
#include "bh-oauth2-token.h"
#include "bh-store.h"

/* `birdhouse authorize APP --oauth2`: the OAuth 2.0 flow in a terminal.
 * The authorize URL goes to stdout on a line of its own; the flow waits
 * for the browser's redirect to its listener and, at the same time, reads
 * standard input for a pasted redirect URL (a browser on another machine).
 * Whichever comes first wins. The end of standard input does not stop the
 * wait: the browser may still come back. */

typedef struct
{
  BhOAuth2Flow *flow;
  gboolean      shown;
  gboolean      reading;
} AuthorizeOAuth2;

static void read_redirect (AuthorizeOAuth2 *self);

static void
on_redirect_line (BhSecret     *line,
                  const GError *error,
                  gpointer      user_data)
{
  AuthorizeOAuth2 *self = user_data;
  g_autoptr(GError) submit_error = NULL;
  g_autoptr(BhSecret) owned = line;

  self->reading = FALSE;

  /* The end of input, or a line too long: only the listener is left. */
  if (error != NULL)
    _bh_cli_fail_error (error);
  if (owned == NULL)
    return;

  if (owned[0] == '\0')
    {
      read_redirect (self);
      return;
    }

  if (!bh_oauth2_flow_submit_redirect (self->flow, owned, &submit_error))
    {
      _bh_cli_fail_error (submit_error);
      read_redirect (self);
    }
}

static void
read_redirect (AuthorizeOAuth2 *self)
{
  if (self->reading || bh_flow_get_state (BH_FLOW (self->flow)) != BH_FLOW_STATE_WAITING_FOR_BROWSER)
    return;

  self->reading = TRUE;
  /* The pasted URL holds the authorization code: not echoed. */
  _bh_cli_read_line_async (_("Redirect URL: "), TRUE, on_redirect_line, self);
}

static void
on_state_changed (BhFlow          *flow,
                  GParamSpec      *pspec,
                  AuthorizeOAuth2 *self)
{
  if (bh_flow_get_state (flow) != BH_FLOW_STATE_WAITING_FOR_BROWSER || self->shown)
    return;

  self->shown = TRUE;
  if (_bh_cli_stdin_is_terminal ())
    g_printerr (_("Open this page, sign in to X and press “Authorize app”. When the browser runs on "
                  "another computer, paste the address it was sent to here:\n"));
  _bh_cli_print_line (bh_oauth2_flow_get_authorize_url (self->flow));
  read_redirect (self);
}

/**
 * _bh_cli_authorize_oauth2:
 * @target: the store and the App
 * @scopes: (nullable): the scopes given with --scope; %NULL: the default
 * @open_browser: whether to open the authorize URL in the browser
 *
 * Returns: the exit status
 */
/* Runs @flow: prints the authorize URL, takes a pasted redirect URL on
 * standard input, prints the account. */
int
_bh_cli_run_oauth2_flow (BhOAuth2Flow *flow,
                         gboolean      open_browser)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  AuthorizeOAuth2 self = { 0 };

  g_object_set (flow, "open-browser", open_browser, NULL);
  self.flow = flow;
  if (!_bh_cli_run_browser_flow (BH_FLOW (flow), G_CALLBACK (on_state_changed), &self, &error))
    return _bh_cli_fail_error (error);

  description = _bh_cli_describe_account (bh_oauth2_flow_get_account (flow));
  _bh_cli_print_line (description);

  return BH_CLI_EXIT_OK;
}

int
_bh_cli_authorize_oauth2 (BhCliTarget        *target,
                          const char * const *scopes,
                          gboolean            open_browser)
{
  g_autoptr(BhOAuth2Flow) flow = bh_oauth2_flow_new (target->store, target->app);

  if (scopes != NULL && scopes[0] != NULL)
    bh_oauth2_flow_set_scopes (flow, scopes);

  return _bh_cli_run_oauth2_flow (flow, open_browser);
}

/**
 * _bh_cli_lookup_oauth2_token:
 *
 * A valid access token of @account, refreshed first when needed.
 *
 * Returns: (transfer full) (nullable): a secret; free with bh_secret_free()
 */
BhSecret *
_bh_cli_lookup_oauth2_token (BhStore    *store,
                             BhAccount  *account,
                             GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (!bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH2))
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND,
                   /* Translators: %s is the account's screen name, without “@”. */
                   _("@%s has no OAuth 2.0 authorization; “birdhouse authorize APP --oauth2” makes one."),
                   bh_account_get_screen_name (account));
      return NULL;
    }

  bh_oauth2_token_async (store, account, FALSE, NULL, _bh_cli_store_result, &result);
  return bh_oauth2_token_finish (store, _bh_cli_wait (&result), error);
}

int
_bh_cli_token (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(BhSecret) token = NULL;
  int status;

  context = _bh_cli_option_context ("token", _("APP SCREEN_NAME"),
                                    _("Print a valid OAuth 2.0 access token of the account, and nothing\n"
                                      "else, on standard output. A token that expires within a minute is\n"
                                      "refreshed first (and the new one kept in the keyring)."),
                                    "curl -H \"Authorization: Bearer $(birdhouse token MyBot alice)\" "
                                    "https://api.x.com/2/users/me",
                                    NULL);
  status = _bh_cli_parse (context, "token", 2, 2, _("Give the App’s name and the account’s screen name."),
                          &argc, &argv);
  if (status >= 0)
    return status;

  if (!_bh_cli_open_target (argv[1], argv[2], &target, &error))
    return _bh_cli_fail_error (error);

  token = _bh_cli_lookup_oauth2_token (target.store, target.account, &error);
  if (token == NULL)
    return _bh_cli_fail_error (error);

  _bh_cli_print_line (token);
  return BH_CLI_EXIT_OK;
}
