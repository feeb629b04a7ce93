/* bh-cli-account.c
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
#include <json-glib/json-glib.h>

#include "bh-cli-private.h"
#include "bh-credential-age.h"
#include "bh-revoke-flow.h"
#include "bh-store.h"
#include "bh-tokens-flow.h"
#include "bh-verify-flow.h"

/* `birdhouse account add|list|verify|revoke|remove`: authorized users. */

/* Parses a subcommand that takes exactly @n_args positional arguments. */
static int
parse_fixed (const char  *command,
             const char  *parameter_string,
             const char  *summary,
             const char  *example,
             int          n_args,
             int         *argc,
             char      ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *missing = NULL;

  context = _bh_cli_option_context (command, parameter_string, summary, example, NULL);
  /* Translators: %s is the list of arguments, such as "APP SCREEN_NAME" */
  missing = g_strdup_printf (_("Give %s."), parameter_string);

  return _bh_cli_parse (context, command, n_args, n_args, missing, argc, argv);
}

static int
account_add (int    argc,
             char **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) token_secret = NULL;
  g_autoptr(BhTokensFlow) flow = NULL;
  g_autofree char *description = NULL;
  int status;

  status = parse_fixed ("account add", _("APP"),
                        _("Add an account from an access token and token secret you already have\n"
                          "(the developer portal’s “Generate”). Both are read from standard input,\n"
                          "one per line, and checked with X before they are stored."),
                        "printf '%s\\n%s\\n' \"$TOKEN\" \"$TOKEN_SECRET\" | birdhouse account add MyBot",
                        1, &argc, &argv);
  if (status >= 0)
    return status;

  if (!_bh_cli_open_target (argv[1], NULL, &target, &error))
    return _bh_cli_fail_error (error);

  token = _bh_cli_read_secret (_("Access token: "), _("the access token"), &error);
  if (token == NULL)
    return _bh_cli_fail_error (error);
  token_secret = _bh_cli_read_secret (_("Access token secret: "), _("the access token secret"), &error);
  if (token_secret == NULL)
    return _bh_cli_fail_error (error);

  flow = bh_tokens_flow_new (target.store, target.app, token, token_secret);
  if (!_bh_cli_run_flow (BH_FLOW (flow), &error))
    return _bh_cli_fail_error (error);

  description = _bh_cli_describe_account (bh_tokens_flow_get_account (flow));
  _bh_cli_print_line (description);

  return BH_CLI_EXIT_OK;
}

static const char *
state_text (BhAccountState state)
{
  switch (state)
    {
    case BH_ACCOUNT_STATE_NEEDS_REAUTH:
      return "needs-reauthorization";
    case BH_ACCOUNT_STATE_SECRET_MISSING:
      return "tokens-missing";
    case BH_ACCOUNT_STATE_OK:
    default:
      return "ok";
    }
}

/* "credentials": ["oauth1", "oauth2"], "oauth2_scopes": [...] or null,
 * "oauth2_expires_at": ISO 8601 or null. */
static void
add_credentials_members (JsonBuilder *builder,
                         BhAccount   *account)
{
  const char *scopes = bh_account_get_oauth2_scopes (account);
  gint64 expires_at = bh_account_get_oauth2_expires_at (account);
  g_autoptr(GDateTime) expires = expires_at > 0 ? g_date_time_new_from_unix_utc (expires_at) : NULL;

  json_builder_set_member_name (builder, "credentials");
  json_builder_begin_array (builder);
  if (bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH1))
    json_builder_add_string_value (builder, "oauth1");
  if (bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH2))
    json_builder_add_string_value (builder, "oauth2");
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "oauth2_scopes");
  if (scopes != NULL)
    {
      g_auto(GStrv) words = g_strsplit (scopes, " ", -1);

      json_builder_begin_array (builder);
      for (guint i = 0; words[i] != NULL; i++)
        if (*words[i] != '\0')
          json_builder_add_string_value (builder, words[i]);
      json_builder_end_array (builder);
    }
  else
    json_builder_add_null_value (builder);

  _bh_cli_add_time_member (builder, "oauth2_expires_at", expires);
}

static int
account_list (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(JsonBuilder) builder = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print a JSON array, for scripts"), NULL },
    G_OPTION_ENTRY_NULL
  };
  GListModel *apps;
  guint reminder_days = bh_rotation_reminder_days ();
  int status;

  context = _bh_cli_option_context ("account list", _("[APP]"),
                                    _("List the accounts of one App, or of all of them: App, screen name,\n"
                                      "name, access level, state and when each was last verified. No\n"
                                      "secret is printed."),
                                    "birdhouse account list MyBot --json",
                                    entries);
  status = _bh_cli_parse (context, "account list", 0, 1, NULL,
                          &argc, &argv);
  if (status >= 0)
    return status;

  if (!_bh_cli_open_target_full (argc == 2 ? argv[1] : NULL, &target, &error))
    return _bh_cli_fail_error (error);
  apps = G_LIST_MODEL (target.store);

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }

  for (guint i = 0; i < g_list_model_get_n_items (apps); i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (apps, i);
      GListModel *accounts = bh_app_get_accounts (app);

      if (target.app != NULL && app != target.app)
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (accounts); j++)
        {
          g_autoptr(BhAccount) account = g_list_model_get_item (accounts, j);
          const char *name = bh_account_get_name (account);
          GDateTime *verified = bh_account_get_verified_at (account);
          g_autoptr(BhCredentialAge) age = bh_credential_age_for_account (app, account, reminder_days, NULL);

          if (builder != NULL)
            {
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "app");
              json_builder_add_string_value (builder, bh_app_get_name (app));
              json_builder_set_member_name (builder, "user_id");
              json_builder_add_string_value (builder, bh_account_get_user_id (account));
              json_builder_set_member_name (builder, "screen_name");
              json_builder_add_string_value (builder, bh_account_get_screen_name (account));
              json_builder_set_member_name (builder, "name");
              json_builder_add_string_value (builder, name);
              json_builder_set_member_name (builder, "access_level");
              json_builder_add_string_value (builder, bh_account_get_access_level (account));
              json_builder_set_member_name (builder, "state");
              json_builder_add_string_value (builder, state_text (bh_account_get_state (account)));
              _bh_cli_add_time_member (builder, "authorized_at", bh_account_get_authorized_at (account));
              _bh_cli_add_time_member (builder, "verified_at", verified);
              _bh_cli_add_time_member (builder, "rotated_at", bh_account_get_rotated_at (account));
              json_builder_set_member_name (builder, "due_for_rotation");
              json_builder_add_boolean_value (builder, age->due);
              add_credentials_members (builder, account);
              json_builder_end_object (builder);
            }
          else
            {
              g_autofree char *verified_text = NULL;

              if (verified != NULL)
                verified_text = g_date_time_format_iso8601 (verified);

              /* Tab-separated, one account a line; a last column only
               * for one due for rotation. */
              g_print ("%s\t@%s\t%s\t%s\t%s\t%s%s%s\n",
                       bh_app_get_name (app),
                       bh_account_get_screen_name (account),
                       name != NULL ? name : "",
                       _bh_cli_access_level_text (bh_account_get_access_level (account)),
                       state_text (bh_account_get_state (account)),
                       verified_text != NULL ? verified_text : _("never verified"),
                       age->due ? "\t" : "", age->due ? _("due for rotation") : "");
            }
        }
    }

  if (builder != NULL)
    {
      json_builder_end_array (builder);
      _bh_cli_print_json (builder);
    }

  return BH_CLI_EXIT_OK;
}

static int
account_verify (int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(BhVerifyFlow) flow = NULL;
  g_autofree char *description = NULL;
  gint64 limit, remaining, reset;
  int status;

  status = parse_fixed ("account verify", _("APP SCREEN_NAME"),
                        _("Ask X who the account’s token belongs to, with its access level and\n"
                          "rate-limit figures, and remember when it was verified."),
                        "birdhouse account verify MyBot @alice",
                        2, &argc, &argv);
  if (status >= 0)
    return status;
  if (!_bh_cli_open_target (argv[1], argv[2], &target, &error))
    return _bh_cli_fail_error (error);

  flow = bh_verify_flow_new (target.store, target.account);
  if (!_bh_cli_run_flow (BH_FLOW (flow), &error))
    return _bh_cli_fail_error (error);

  description = _bh_cli_describe_account (bh_verify_flow_get_account (flow));
  _bh_cli_print_line (description);

  bh_account_get_rate_limit (bh_verify_flow_get_account (flow), &limit, &remaining, &reset);
  if (limit >= 0 && remaining >= 0)
    {
      g_autoptr(GDateTime) when = reset > 0 ? g_date_time_new_from_unix_local (reset) : NULL;
      g_autofree char *when_text = when != NULL ? g_date_time_format (when, "%X") : NULL;
      /* The numbers are formatted first: xgettext cannot read a string
       * that G_GINT64_FORMAT continues. */
      g_autofree char *remaining_text = g_strdup_printf ("%" G_GINT64_FORMAT, remaining);
      g_autofree char *limit_text = g_strdup_printf ("%" G_GINT64_FORMAT, limit);
      gulong n = (gulong) MIN (limit, G_MAXLONG);

      if (when_text != NULL)
        /* Translators: "Rate limit: 74 of 75 requests left until 14:05:00": the requests left, the limit (which the plural follows), a time */
        g_print (ngettext ("Rate limit: %s of %s request left until %s\n",
                           "Rate limit: %s of %s requests left until %s\n", n),
                 remaining_text, limit_text, when_text);
      else
        /* Translators: "Rate limit: 74 of 75 requests left": the requests left, then the limit, which the plural follows */
        g_print (ngettext ("Rate limit: %s of %s request left\n",
                           "Rate limit: %s of %s requests left\n", n),
                 remaining_text, limit_text);
    }

  return BH_CLI_EXIT_OK;
}

static int
account_revoke (int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(BhRevokeFlow) flow = NULL;
  g_autofree char *screen_name = NULL;
  int status;

  status = parse_fixed ("account revoke", _("APP SCREEN_NAME"),
                        _("Invalidate the account’s token at X, then remove the account from this\n"
                          "computer. When X cannot be reached, the account is kept."),
                        "birdhouse account revoke MyBot @alice",
                        2, &argc, &argv);
  if (status >= 0)
    return status;
  if (!_bh_cli_open_target (argv[1], argv[2], &target, &error))
    return _bh_cli_fail_error (error);

  screen_name = g_strdup (bh_account_get_screen_name (target.account));
  flow = bh_revoke_flow_new (target.store, target.account);
  if (!_bh_cli_run_flow (BH_FLOW (flow), &error))
    return _bh_cli_fail_error (error);

  if (bh_revoke_flow_get_already_invalid (flow))
    /* Translators: %s is a screen name, without its @ */
    g_print (_("X no longer accepted the token of @%s; the account was removed.\n"), screen_name);
  else
    /* Translators: %s is a screen name, without its @ */
    g_print (_("Revoked the token of @%s and removed the account.\n"), screen_name);

  return BH_CLI_EXIT_OK;
}

static int
account_remove (int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(GAsyncResult) result = NULL;
  int status;

  status = parse_fixed ("account remove", _("APP SCREEN_NAME"),
                        _("Remove the account and its tokens from this computer. The token stays\n"
                          "valid at X: use “birdhouse account revoke” to invalidate it."),
                        "birdhouse account remove MyBot alice",
                        2, &argc, &argv);
  if (status >= 0)
    return status;
  if (!_bh_cli_open_target (argv[1], argv[2], &target, &error))
    return _bh_cli_fail_error (error);

  bh_store_remove_account_async (target.store, target.account, NULL, _bh_cli_store_result, &result);
  if (!bh_store_remove_account_finish (target.store, _bh_cli_wait (&result), &error))
    return _bh_cli_fail_error (error);

  /* Translators: %s is a screen name, without its @ */
  g_print (_("Removed @%s.\n"), bh_account_get_screen_name (target.account));

  return BH_CLI_EXIT_OK;
}

static const BhCliCommand account_commands[] = {
  { "add", account_add },
  { "list", account_list },
  { "verify", account_verify },
  { "revoke", account_revoke },
  { "remove", account_remove },
};

int
_bh_cli_account (int    argc,
                 char **argv)
{
  return _bh_cli_dispatch ("account", account_commands, G_N_ELEMENTS (account_commands),
                           "  birdhouse account add APP\n  birdhouse account list [APP] [--json]\n"
                           "  birdhouse account verify APP SCREEN_NAME\n  birdhouse account revoke APP SCREEN_NAME\n"
                           "  birdhouse account remove APP SCREEN_NAME\n",
                           argc, argv);
}
