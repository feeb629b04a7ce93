/* bh-cli-rotate.c
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

#include "bh-bearer-flow.h"
#include "bh-cli-private.h"
#include "bh-oauth2-flow.h"
#include "bh-pin-flow.h"
#include "bh-revoke-flow.h"
#include "bh-rotate-client-secret.h"
#include "bh-rotate-flow.h"
#include "bh-store.h"
#include "bh-x-error.h"

/* `birdhouse rotate bearer|account|app-secret|client-secret …`: replace a credential
 * with a new one in one step. Rotating a bearer token or an account's
 * tokens invalidates the old one at X first, which breaks every script
 * still using it: that is said on stderr before anything happens, and a
 * terminal is asked to confirm; without a terminal (a script) --yes says
 * it was meant, or nothing happens (a usage error). */

static gboolean assume_yes = FALSE;

static const GOptionEntry confirm_entries[] = {
  { "yes", 'y', 0, G_OPTION_ARG_NONE, &assume_yes,
    N_("Do not ask; needed when standard input is not a terminal"), NULL },
  G_OPTION_ENTRY_NULL
};

/* After @warning (on stderr): -1 to go on, else the exit status. */
static int
confirm (const char *command,
         const char *warning)
{
  g_printerr ("%s\n", warning);

  if (assume_yes)
    return -1;

  if (!_bh_cli_stdin_is_terminal ())
    return _bh_cli_usage (command, "%s",
                          _("Standard input is not a terminal: add --yes to rotate without being asked."));

  if (!_bh_cli_confirm (_("Rotate now? [y/N] ")))
    return _bh_cli_fail (_("Nothing was rotated."));

  return -1;
}

static int
rotate_bearer (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(BhBearerFlow) flow = NULL;
  g_autofree char *warning = NULL;
  int status;

  context = _bh_cli_option_context ("rotate bearer", _("APP"),
                                    _("Invalidate the App’s bearer token at X, then generate a new one and\n"
                                      "keep it in its place. When X refuses the invalidation, the old token\n"
                                      "is kept. `birdhouse bearer APP` prints the new one."),
                                    "birdhouse rotate bearer MyBot --yes",
                                    confirm_entries);
  status = _bh_cli_parse (context, "rotate bearer", 1, 1, _("Give the App’s name."),
                          &argc, &argv);
  if (status >= 0)
    return status;

  if (!_bh_cli_open_target (argv[1], NULL, &target, &error))
    return _bh_cli_fail_error (error);

  if (!bh_app_get_has_bearer (target.app))
    /* Translators: %s is the name of the App */
    return _bh_cli_fail (_("The App “%s” has no bearer token to rotate; `birdhouse bearer` generates one."),
                         bh_app_get_name (target.app));

  /* Translators: %s is the name of the App */
  warning = g_strdup_printf (_("Rotating invalidates the bearer token of “%s” at X: scripts using it stop working until they use the new one."),
                             bh_app_get_name (target.app));
  if ((status = confirm ("rotate bearer", warning)) >= 0)
    return status;

  flow = bh_bearer_flow_new (target.store, target.app, BH_BEARER_FLOW_ROTATE);
  if (!_bh_cli_run_flow (BH_FLOW (flow), &error))
    {
      if (bh_bearer_flow_get_invalidated (flow))
        return _bh_cli_fail_error (error);
      /* Translators: %s is X's or the network's reason, a sentence. */
      return _bh_cli_fail (_("%s The old bearer token is kept and still works."), error->message);
    }

  /* Translators: %s is the name of the App */
  g_print (_("Rotated the bearer token of “%s”.\n"), bh_app_get_name (target.app));

  return BH_CLI_EXIT_OK;
}

/* `rotate account --oauth2`: revoke the grant, then authorize again. */
static int
rotate_grant (BhCliTarget *target,
              gboolean     no_browser)
{
  g_autoptr(BhRevokeFlow) revoke = NULL;
  g_autoptr(BhOAuth2Flow) flow = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  const char *screen_name = bh_account_get_screen_name (target->account);
  int status;

  if (!bh_account_has_credentials (target->account, BH_ACCOUNT_CREDENTIALS_OAUTH2))
    /* Translators: %s is an X account name, without its leading “@”. */
    return _bh_cli_fail (_("@%s has no OAuth 2.0 authorization to rotate; “birdhouse authorize APP --oauth2” makes one."),
                         screen_name);

  /* Translators: %s is an X account name, without its leading “@”. */
  warning = g_strdup_printf (_("Rotating revokes the OAuth 2.0 authorization of @%s at X: scripts using its tokens stop working until they use the new ones."),
                             screen_name);
  if ((status = confirm ("rotate account", warning)) >= 0)
    return status;

  revoke = bh_revoke_flow_new_for_grant_rotation (target->store, target->account);
  if (!_bh_cli_run_flow (BH_FLOW (revoke), &error))
    /* Translators: %s is X's or the network's reason, a sentence. */
    return _bh_cli_fail (_("%s The old OAuth 2.0 tokens are kept and still work."), error->message);

  flow = bh_oauth2_flow_new_renewal (target->store, target->account);
  status = _bh_cli_run_oauth2_flow (flow, !no_browser);
  if (status != BH_CLI_EXIT_OK)
    /* Translators: %s is an X account name, without its leading “@”. */
    _bh_cli_fail (_("The old OAuth 2.0 authorization of @%s no longer works and the account now needs re-authorization; nothing was removed. Run the rotation again to finish it."),
                  screen_name);

  return status;
}

static int
rotate_account (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(BhRevokeFlow) revoke = NULL;
  g_autoptr(BhPinFlow) pin = NULL;
  g_autofree char *warning = NULL;
  gboolean no_browser = FALSE;
  gboolean oauth2 = FALSE;
  const GOptionEntry entries[] = {
    { "oauth2", 0, 0, G_OPTION_ARG_NONE, &oauth2,
      N_("Rotate the account’s OAuth 2.0 grant instead of its OAuth 1.0a tokens"), NULL },
    { "no-browser", 0, 0, G_OPTION_ARG_NONE, &no_browser,
      N_("Do not open the browser; only print the URL"), NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &assume_yes,
      N_("Do not ask; needed when standard input is not a terminal"), NULL },
    G_OPTION_ENTRY_NULL
  };
  const char *screen_name;
  int status;

  context = _bh_cli_option_context ("rotate account", _("APP SCREEN_NAME"),
                                    _("Give an account new tokens: invalidate its tokens at X, then authorize\n"
                                      "it again with the PIN flow (X asks to sign in, the screen name filled\n"
                                      "in) and keep the new tokens in its place. The authorize URL and the PIN\n"
                                      "are as with `birdhouse authorize`. When X refuses the invalidation,\n"
                                      "the old tokens are kept; when the authorization does not finish, the\n"
                                      "account stays, marked needs re-authorization: run this again.\n"
                                      "With --oauth2: revoke the account’s OAuth 2.0 grant at X, then\n"
                                      "authorize it again as with `birdhouse authorize APP --oauth2` (same\n"
                                      "scopes; signing in as somebody else stores nothing)."),
                                    "birdhouse rotate account MyBot alice",
                                    entries);
  status = _bh_cli_parse (context, "rotate account", 2, 2, _("Give the App’s name and the account’s screen name."),
                          &argc, &argv);
  if (status >= 0)
    return status;

  if (!_bh_cli_open_target (argv[1], argv[2], &target, &error))
    return _bh_cli_fail_error (error);
  screen_name = bh_account_get_screen_name (target.account);

  if (oauth2)
    return rotate_grant (&target, no_browser);

  /* Translators: %s is an X account name, without its leading “@”. */
  warning = g_strdup_printf (_("Rotating invalidates the tokens of @%s at X: scripts using them stop working until they use the new ones."),
                             screen_name);
  if ((status = confirm ("rotate account", warning)) >= 0)
    return status;

  revoke = bh_revoke_flow_new_for_rotation (target.store, target.account);
  if (!_bh_cli_run_flow (BH_FLOW (revoke), &error))
    /* Translators: %s is X's or the network's reason, a sentence. */
    return _bh_cli_fail (_("%s The old tokens are kept and still work."), error->message);

  pin = bh_pin_flow_new_renewal (target.store, target.account);
  g_object_set (pin, "open-browser", !no_browser, NULL);
  status = _bh_cli_run_pin_flow (pin);
  if (status != BH_CLI_EXIT_OK)
    /* Translators: %s is an X account name, without its leading “@”. */
    _bh_cli_fail (_("The old tokens of @%s no longer work and the account now needs re-authorization; nothing was removed. Run the rotation again to finish it."),
                  screen_name);

  return status;
}

static const char *
check_subject (const BhRotateCheck *check,
               char               **owned)
{
  if (check->account == NULL)
    return _("bearer token");

  *owned = g_strconcat ("@", bh_account_get_screen_name (check->account), NULL);
  return *owned;
}

/* One line a check; returns TRUE when it still works. */
static gboolean
print_check (const BhRotateCheck *check)
{
  g_autofree char *owned = NULL;
  const char *subject = check_subject (check, &owned);

  switch (check->result)
    {
    case BH_ROTATE_CHECK_OK:
      /* Translators: %s is “bearer token” or an X account such as “@alice”. */
      g_print (_("%s: works\n"), subject);
      return TRUE;
    case BH_ROTATE_CHECK_RENEWED:
      /* Translators: %s is “bearer token”. */
      g_print (_("%s: renewed (X had invalidated the old one)\n"), subject);
      return TRUE;
    case BH_ROTATE_CHECK_NEEDS_REAUTH:
      /* Translators: %s is an X account such as “@alice”. */
      g_print (_("%s: needs re-authorization\n"), subject);
      return FALSE;
    case BH_ROTATE_CHECK_SKIPPED:
      /* Translators: %s is “bearer token” or an X account such as “@alice”. */
      g_print (_("%s: not checked\n"), subject);
      return FALSE;
    case BH_ROTATE_CHECK_FAILED:
    default:
      /* Translators: the first %s is “bearer token” or an X account such as “@alice”, the
       * second the reason, a sentence. */
      g_print (_("%s: could not be checked: %s\n"), subject, check->message != NULL ? check->message : "");
      return FALSE;
    }
}

static int
rotate_app_secret (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(BhRotateFlow) flow = NULL;
  g_autoptr(BhSecret) secret = NULL;
  g_autofree char *consumer_key = NULL;
  const GOptionEntry entries[] = {
    { "consumer-key", 0, 0, G_OPTION_ARG_STRING, &consumer_key,
      N_("The new API key, when the developer portal gave one with the secret"), N_("KEY") },
    G_OPTION_ENTRY_NULL
  };
  GPtrArray *checks;
  gboolean all_work = TRUE;
  int status;

  context = _bh_cli_option_context ("rotate app-secret", _("APP"),
                                    _("Take the API key secret you regenerated in X’s developer portal (from\n"
                                      "standard input; with --consumer-key also a new API key), prove it with\n"
                                      "X, and only then keep it in place of the old one. Then check the App’s\n"
                                      "bearer token (a new one is stored when X invalidated it) and its\n"
                                      "accounts, one line each. Exit status 1 when X refuses the new secret\n"
                                      "(the old one is kept) or when something no longer works."),
                                    "printf '%s\\n' \"$NEW_SECRET\" | birdhouse rotate app-secret MyBot",
                                    entries);
  status = _bh_cli_parse (context, "rotate app-secret", 1, 1, _("Give the App’s name."),
                          &argc, &argv);
  if (status >= 0)
    return status;

  if (!_bh_cli_open_target (argv[1], NULL, &target, &error))
    return _bh_cli_fail_error (error);

  secret = _bh_cli_read_secret (_("New API key secret: "), _("the new API key secret"), &error);
  if (secret == NULL)
    return _bh_cli_fail_error (error);

  flow = bh_rotate_flow_new (target.store, target.app, consumer_key, secret);
  if (!_bh_cli_run_flow (BH_FLOW (flow), &error))
    {
      if (bh_rotate_flow_get_stored (flow))
        return _bh_cli_fail_error (error);
      /* Translators: %s is X's or the network's reason, a sentence. */
      return _bh_cli_fail (_("%s The new API key secret was not stored; the old one is kept."), error->message);
    }

  /* Translators: %s is the name of the App */
  g_print (_("Stored the new API key secret of “%s”.\n"), bh_app_get_name (target.app));

  checks = bh_rotate_flow_get_checks (flow);
  for (guint i = 0; i < checks->len; i++)
    all_work &= print_check (g_ptr_array_index (checks, i));

  if (!all_work)
    /* Translators: %s is the name of the App */
    return _bh_cli_fail (_("Some credentials of “%s” no longer work with the new secret; see above."),
                         bh_app_get_name (target.app));

  return BH_CLI_EXIT_OK;
}

static int
rotate_client_secret (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(BhSecret) secret = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean stored = FALSE;
  int status;

  context = _bh_cli_option_context ("rotate client-secret", _("APP"),
                                    _("Take the OAuth 2.0 Client Secret you regenerated in X’s developer\n"
                                      "portal (from standard input), prove it with X, and only then keep it\n"
                                      "in place of the old one. Exit status 1 when X refuses it (the old one\n"
                                      "is kept)."),
                                    "printf '%s\\n' \"$NEW_SECRET\" | birdhouse rotate client-secret MyBot",
                                    NULL);
  status = _bh_cli_parse (context, "rotate client-secret", 1, 1, _("Give the App’s name."),
                          &argc, &argv);
  if (status >= 0)
    return status;

  if (!_bh_cli_open_target (argv[1], NULL, &target, &error))
    return _bh_cli_fail_error (error);

  secret = _bh_cli_read_secret (_("New Client Secret: "), _("the new Client Secret"), &error);
  if (secret == NULL)
    return _bh_cli_fail_error (error);

  bh_rotate_client_secret_async (target.store, target.app, secret, NULL, _bh_cli_store_result, &result);
  if (!bh_rotate_client_secret_finish (target.store, _bh_cli_wait (&result), &stored, &error))
    {
      if (stored || error->domain == BH_STORE_ERROR)
        return _bh_cli_fail_error (error);
      /* Translators: %s is X's or the network's reason, a sentence. */
      return _bh_cli_fail (_("%s The new Client Secret was not stored; the old one is kept."), error->message);
    }

  /* Translators: %s is the name of the App */
  g_print (_("Stored the new Client Secret of “%s”.\n"), bh_app_get_name (target.app));

  return BH_CLI_EXIT_OK;
}

static const BhCliCommand rotate_commands[] = {
  { "bearer", rotate_bearer },
  { "account", rotate_account },
  { "app-secret", rotate_app_secret },
  { "client-secret", rotate_client_secret },
};

int
_bh_cli_rotate (int    argc,
                char **argv)
{
  return _bh_cli_dispatch ("rotate", rotate_commands, G_N_ELEMENTS (rotate_commands),
                           "birdhouse rotate bearer APP [--yes]\n"
                           "birdhouse rotate account APP SCREEN_NAME [--oauth2] [--no-browser] [--yes]\n"
                           "birdhouse rotate app-secret APP [--consumer-key KEY]\n"
                           "birdhouse rotate client-secret APP",
                           argc, argv);
}
