/* bh-cli-check.c
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
#include "bh-health.h"
#include "bh-store.h"

/* `birdhouse check [APP] [--json]`: the health check of every credential
 * (or of one App's), for people and for monitoring. Exit status 0 when
 * everything is healthy, 1 otherwise. Nothing is deleted; what was found
 * is kept in the records, where the window shows it too. */

static void
add_optional_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static char *
format_epoch (gint64 seconds)
{
  g_autoptr(GDateTime) when = seconds > 0 ? g_date_time_new_from_unix_utc (seconds) : NULL;

  return when != NULL ? g_date_time_format_iso8601 (when) : NULL;
}

static void
print_json (GPtrArray *results)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *checked_at = g_date_time_format_iso8601 (now);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "healthy");
  json_builder_add_boolean_value (builder, bh_health_results_all_healthy (results));
  json_builder_set_member_name (builder, "checked_at");
  json_builder_add_string_value (builder, checked_at);
  json_builder_set_member_name (builder, "credentials");
  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    {
      BhHealthResult *result = g_ptr_array_index (results, i);
      g_autofree char *retry_at = format_epoch (result->retry_at);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "app");
      json_builder_add_string_value (builder, bh_app_get_name (result->app));
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, bh_credential_kind_to_string (result->kind));
      add_optional_string (builder, "screen_name",
                           result->account != NULL ? bh_account_get_screen_name (result->account) : NULL);
      add_optional_string (builder, "user_id",
                           result->account != NULL ? bh_account_get_user_id (result->account) : NULL);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, bh_health_state_to_string (result->state));
      json_builder_set_member_name (builder, "previous");
      json_builder_add_string_value (builder, bh_health_state_to_string (result->previous));
      json_builder_set_member_name (builder, "became_unhealthy");
      json_builder_add_boolean_value (builder, result->became_unhealthy);
      add_optional_string (builder, "retry_at", retry_at);
      add_optional_string (builder, "message", result->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  _bh_cli_print_json (builder);
}

/* "MyBot: @alice: Needs re-authorization. <sentence>" */
static void
print_problems (GPtrArray *results)
{
  for (guint i = 0; i < results->len; i++)
    {
      BhHealthResult *result = g_ptr_array_index (results, i);
      g_autofree char *what = NULL;
      g_autofree char *line = NULL;

      if (result->state == BH_HEALTH_HEALTHY || bh_health_result_is_reserved (result))
        continue;

      switch (result->kind)
        {
        case BH_CREDENTIAL_KIND_API_KEY_SECRET:
          what = g_strdup (_("API key and secret"));
          break;
        case BH_CREDENTIAL_KIND_BEARER_TOKEN:
          what = g_strdup (_("bearer token"));
          break;
        case BH_CREDENTIAL_KIND_CLIENT_SECRET:
          what = g_strdup (_("Client ID and Client Secret"));
          break;
        case BH_CREDENTIAL_KIND_ACCOUNT_TOKENS:
        case BH_CREDENTIAL_KIND_OAUTH2_GRANT:
        default:
          what = g_strconcat ("@", bh_account_get_screen_name (result->account), NULL);
          break;
        }

      /* Translators: one problem found by `birdhouse check`: the App's name, the credential
       * (“API key and secret”, “bearer token”, “Client ID and Client Secret” or an account such as “@alice”), its state
       * (such as “Needs re-authorization”) and a sentence saying what to do. */
      line = g_strdup_printf (_("%s: %s: %s. %s"), bh_app_get_name (result->app), what,
                              bh_health_state_to_label (result->state),
                              result->message != NULL ? result->message : "");
      _bh_cli_print_line (g_strchomp (line));
    }
}

int
_bh_cli_check (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(BhHealthCheck) check = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print every credential’s result as JSON, for monitoring"), NULL },
    G_OPTION_ENTRY_NULL
  };
  int status;

  context = _bh_cli_option_context ("check", _("[APP]"),
                                    _("Ask X whether every credential still works: each App’s API key and\n"
                                      "secret and bearer token, each account’s tokens. One line per problem;\n"
                                      "exit status 0 when everything is healthy, 1 otherwise. Nothing is\n"
                                      "changed at X and nothing is removed; X’s rate limits are respected."),
                                    "birdhouse check --json | jq '.credentials[] | select(.state != \"healthy\")'",
                                    entries);
  status = _bh_cli_parse (context, "check", 0, 1, NULL, &argc, &argv);
  if (status >= 0)
    return status;

  if (!_bh_cli_open_target (argc > 1 ? argv[1] : NULL, NULL, &target, &error))
    return _bh_cli_fail_error (error);

  check = bh_health_check_new (target.store, BH_HEALTH_BY_COMMAND_LINE);
  bh_health_check_set_app (check, target.app);
  bh_health_check_run_async (check, NULL, _bh_cli_store_result, &result);
  results = bh_health_check_run_finish (check, _bh_cli_wait (&result), &error);
  if (results == NULL)
    return _bh_cli_fail_error (error);

  if (json)
    print_json (results);
  else
    print_problems (results);

  return bh_health_results_all_healthy (results) ? BH_CLI_EXIT_OK : BH_CLI_EXIT_FAIL;
}
