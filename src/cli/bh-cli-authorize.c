/* bh-cli-authorize.c
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

#include "bh-cli-private.h"
#include "bh-pin-flow.h"
#include "bh-store.h"
#include "bh-x-error.h"

/* `birdhouse authorize APP`: the PIN flow in a terminal. The authorize URL
 * goes to stdout on a line of its own (a script can pass it on), the PIN
 * comes from stdin; a refused PIN is reported and another line is read for
 * as long as the flow waits for one. */

typedef struct
{
  BhPinFlow    *flow;
  char         *shown_url;
  gboolean      submitted;
  gboolean      reading;
  gboolean      input_ended;
  GError       *input_error;
} Authorize;

static void read_pin (Authorize *self);

static void
on_pin_line (BhSecret     *line,
             const GError *error,
             gpointer      user_data)
{
  Authorize *self = user_data;

  self->reading = FALSE;

  if (error != NULL)
    {
      /* A line too long or unreadable: no PIN will come from here. */
      self->input_ended = TRUE;
      self->input_error = g_error_copy (error);
      bh_flow_cancel (BH_FLOW (self->flow));
      return;
    }

  if (line == NULL)
    {
      /* Nobody is left to type a PIN: stop rather than wait forever. */
      self->input_ended = TRUE;
      bh_flow_cancel (BH_FLOW (self->flow));
      return;
    }

  if (bh_flow_get_state (BH_FLOW (self->flow)) != BH_FLOW_STATE_WAITING_FOR_PIN)
    {
      bh_secret_free (line);
      return;
    }

  if (line[0] == '\0')
    {
      bh_secret_free (line);
      read_pin (self);
      return;
    }

  if (!bh_pin_is_plausible (line))
    {
      bh_secret_free (line);
      _bh_cli_fail (_("That is not a PIN: type the digits X shows after “Authorize app”."));
      read_pin (self);
      return;
    }

  self->submitted = TRUE;
  if (!bh_pin_flow_submit_pin (self->flow, line))
    read_pin (self);
  bh_secret_free (line);
}

static void
read_pin (Authorize *self)
{
  if (self->reading || self->input_ended)
    return;

  self->reading = TRUE;
  _bh_cli_read_line_async (_("PIN: "), TRUE, on_pin_line, self);
}

static void
on_state_changed (BhFlow     *flow,
                  GParamSpec *pspec,
                  Authorize  *self)
{
  const char *url;

  if (bh_flow_get_state (flow) != BH_FLOW_STATE_WAITING_FOR_PIN)
    return;

  /* Back here after a submitted PIN: X refused it, or dropped the request
   * token and the flow started over with a new one. */
  if (self->submitted && bh_flow_get_error (flow) != NULL)
    _bh_cli_fail_error (bh_flow_get_error (flow));
  self->submitted = FALSE;

  url = bh_pin_flow_get_authorize_url (self->flow);
  if (url != NULL && g_strcmp0 (url, self->shown_url) != 0)
    {
      if (self->shown_url == NULL && _bh_cli_stdin_is_terminal ())
        g_printerr (_("Open this page, sign in to X, press “Authorize app”, then type the PIN X shows:\n"));
      _bh_cli_print_line (url);
      g_free (self->shown_url);
      self->shown_url = g_strdup (url);
    }

  read_pin (self);
}

/* The flow's message already says what to do with the URL printed
 * above. */
static void
on_browser_error (GObject    *flow,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  g_autoptr(GError) error = NULL;

  g_object_get (flow, "browser-error", &error, NULL);
  if (error != NULL)
    _bh_cli_fail_error (error);
}

gboolean
_bh_cli_run_flow (BhFlow  *flow,
                  GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_flow_run_async (flow, _bh_cli_store_result, &result);

  return bh_flow_run_finish (flow, _bh_cli_wait (&result), error);
}

/**
 * _bh_cli_run_browser_flow:
 * @flow: a PIN or OAuth 2.0 flow, its options set, not yet run
 * @state_handler: a "notify::state" handler, given @data
 * @data: what the handlers get; they are disconnected before this returns
 *
 * Runs @flow to its end in the terminal, printing why the browser could
 * not be opened when it could not. A line still being read from standard
 * input when the flow ends (failed, or X unreachable) is no longer wanted
 * and is dropped.
 *
 * Returns: %TRUE when the flow stored the account; %FALSE with @error
 */
gboolean
_bh_cli_run_browser_flow (BhFlow     *flow,
                          GCallback   state_handler,
                          gpointer    data,
                          GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_signal_connect (flow, "notify::state", state_handler, data);
  g_signal_connect (flow, "notify::browser-error", G_CALLBACK (on_browser_error), data);

  bh_flow_run_async (flow, _bh_cli_store_result, &result);
  _bh_cli_wait (&result);
  _bh_cli_cancel_read ();

  g_signal_handlers_disconnect_by_data (flow, data);

  return bh_flow_run_finish (flow, result, error);
}

/**
 * _bh_cli_run_pin_flow:
 * @flow: a PIN flow, its options set, not yet run
 *
 * Runs @flow in the terminal: the authorize URL on stdout, the PIN from
 * stdin (again after a refused one), the account on stdout at the end.
 *
 * Returns: the exit status
 */
int
_bh_cli_run_pin_flow (BhPinFlow *flow)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  Authorize self = { 0 };
  int status;

  self.flow = flow;
  if (!_bh_cli_run_browser_flow (BH_FLOW (flow), G_CALLBACK (on_state_changed), &self, &error))
    {
      g_clear_pointer (&self.shown_url, g_free);
      if (self.input_error != NULL)
        {
          status = _bh_cli_fail_error (self.input_error);
          g_clear_error (&self.input_error);
          return status;
        }
      if (self.input_ended)
        return _bh_cli_fail (_("Standard input ended before X accepted a PIN."));
      return _bh_cli_fail_error (error);
    }

  g_clear_pointer (&self.shown_url, g_free);

  description = _bh_cli_describe_account (bh_pin_flow_get_account (flow));
  _bh_cli_print_line (description);

  return BH_CLI_EXIT_OK;
}

int
_bh_cli_authorize (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(BhPinFlow) flow = NULL;
  g_autofree char *screen_name = NULL;
  gboolean read_only = FALSE;
  gboolean force_login = FALSE;
  gboolean no_browser = FALSE;
  gboolean oauth2 = FALSE;
  g_auto(GStrv) scopes = NULL;
  const GOptionEntry entries[] = {
    { "oauth2", 0, 0, G_OPTION_ARG_NONE, &oauth2,
      N_("Use OAuth 2.0 with PKCE (the App needs a Client ID) instead of the PIN flow"), NULL },
    { "scope", 0, 0, G_OPTION_ARG_STRING_ARRAY, &scopes,
      N_("With --oauth2: ask for this scope (repeat it; default: tweet.read users.read; offline.access is always added)"),
      N_("SCOPE") },
    { "read-only", 0, 0, G_OPTION_ARG_NONE, &read_only,
      N_("Ask for read-only access"), NULL },
    { "force-login", 0, 0, G_OPTION_ARG_NONE, &force_login,
      N_("Let X ask which account to sign in as, even when the browser is signed in"), NULL },
    { "screen-name", 0, 0, G_OPTION_ARG_STRING, &screen_name,
      N_("Prefill this account on X’s sign-in page"), N_("NAME") },
    { "no-browser", 0, 0, G_OPTION_ARG_NONE, &no_browser,
      N_("Do not open the browser; only print the URL"), NULL },
    G_OPTION_ENTRY_NULL
  };
  int status;

  context = _bh_cli_option_context ("authorize", _("APP"),
                                    _("Authorize an X account for APP with the PIN flow. The authorize URL is\n"
                                      "printed on standard output on a line of its own and opened in the\n"
                                      "browser; the PIN X shows is read from standard input. When X refuses\n"
                                      "a PIN, its reason goes to standard error and another line is read.\n"
                                      "With --oauth2, X sends the browser back to Birdhouse by itself; the\n"
                                      "address it was sent to may also be pasted on standard input."),
                                    "birdhouse authorize MyBot --force-login --screen-name alice",
                                    entries);
  status = _bh_cli_parse (context, "authorize", 1, 1, _("Give the App’s name."),
                          &argc, &argv);
  if (status >= 0)
    return status;
  if (screen_name != NULL && screen_name[0] == '@')
    memmove (screen_name, screen_name + 1, strlen (screen_name));

  if (scopes != NULL && !oauth2)
    return _bh_cli_usage ("authorize", _("--scope goes with --oauth2."));

  if (!_bh_cli_open_target (argv[1], NULL, &target, &error))
    return _bh_cli_fail_error (error);

  if (oauth2)
    return _bh_cli_authorize_oauth2 (&target, (const char * const *) scopes, !no_browser);

  flow = bh_pin_flow_new (target.store, target.app);
  g_object_set (flow,
                "read-only", read_only,
                "force-login", force_login,
                "screen-name", screen_name,
                "open-browser", !no_browser,
                NULL);
  return _bh_cli_run_pin_flow (flow);
}
