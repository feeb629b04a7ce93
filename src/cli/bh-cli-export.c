/* bh-cli-export.c
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
#include <string.h>
#include <glib/gi18n.h>

#include "bh-cli-private.h"
#include "bh-oauth1.h"
#include "bh-store.h"

/* `birdhouse export APP [SCREEN_NAME]`: the credentials a script needs,
 * under the names X's own examples use. Printing secrets is what this
 * subcommand is for; every copy made on the way is wiped. */

typedef enum
{
  FORMAT_ENV,
  FORMAT_DOTENV,
  FORMAT_JSON,
} Format;

/* Characters a .env reader takes as they are. */
static gboolean
dotenv_plain (const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_.~%+/=:@,", *p) == NULL)
      return FALSE;

  return TRUE;
}

static void
append_json_string (GString    *out,
                    const char *value)
{
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

static void
append_value (GString    *out,
              Format      format,
              const char *name,
              const char *value)
{
  switch (format)
    {
    case FORMAT_ENV:
      {
        /* g_shell_quote: single quotes, a ' inside becomes '\'' */
        g_autoptr(BhSecret) quoted = g_shell_quote (value);

        g_string_append_printf (out, "export %s=%s\n", name, quoted);
      }
      break;

    case FORMAT_DOTENV:
      g_string_append_printf (out, "%s=", name);
      if (dotenv_plain (value))
        g_string_append (out, value);
      else if (strchr (value, '\'') == NULL)
        g_string_append_printf (out, "'%s'", value);
      else
        append_json_string (out, value);
      g_string_append_c (out, '\n');
      break;

    case FORMAT_JSON:
      g_string_append (out, out->len > 2 ? ",\n  " : "  ");
      append_json_string (out, name);
      g_string_append (out, ": ");
      append_json_string (out, value);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* A GString of secrets: wiped, then freed. */
typedef GString SecretString;

static void
secret_string_free (SecretString *out)
{
  bh_secret_wipe (out->str, out->allocated_len);
  g_string_free (out, TRUE);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretString, secret_string_free)

int
_bh_cli_export (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = NULL;
  g_autoptr(GPtrArray) values = bh_params_new ();
  g_autoptr(SecretString) out = NULL;
  g_autofree char *format_name = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      N_("env (shell “export” lines, the default), dotenv (a .env file) or json"), N_("FORMAT") },
    G_OPTION_ENTRY_NULL
  };
  Format format = FORMAT_ENV;
  BhApp *app;
  int status;

  context = _bh_cli_option_context ("export", _("APP [SCREEN_NAME]"),
                                    _("Print the credentials a script needs: X_API_KEY, X_API_SECRET,\n"
                                      "with SCREEN_NAME X_ACCESS_TOKEN and X_ACCESS_TOKEN_SECRET, X_BEARER_TOKEN\n"
                                      "when the App has one, and X_API_HOST. They are secrets: keep the\n"
                                      "output out of files others can read and out of version control."),
                                    "eval \"$(birdhouse export MyBot alice)\"",
                                    entries);
  status = _bh_cli_parse (context, "export", &argc, &argv);
  if (status >= 0)
    return status;
  if (argc < 2)
    return _bh_cli_usage ("export", _("Give the App’s name."));
  if (argc > 3)
    return _bh_cli_usage ("export", _("Unexpected argument “%s”."), argv[3]);
  if (format_name == NULL || g_str_equal (format_name, "env"))
    format = FORMAT_ENV;
  else if (g_str_equal (format_name, "dotenv"))
    format = FORMAT_DOTENV;
  else if (g_str_equal (format_name, "json"))
    format = FORMAT_JSON;
  else
    return _bh_cli_usage ("export", _("Unknown format “%s”: use env, dotenv or json."), format_name);

  store = _bh_cli_open_store (&error);
  if (store == NULL)
    return _bh_cli_fail_error (error);
  app = _bh_cli_find_app (store, argv[1], &error);
  if (app == NULL)
    return _bh_cli_fail_error (error);

  {
    g_autoptr(BhSecret) secret = _bh_cli_lookup_consumer_secret (store, app, &error);

    if (secret == NULL)
      return _bh_cli_fail_error (error);
    bh_params_add (values, "X_API_KEY", bh_app_get_consumer_key (app));
    bh_params_add (values, "X_API_SECRET", secret);
  }

  if (argc == 3)
    {
      g_autoptr(BhSecret) token = NULL;
      g_autoptr(BhSecret) token_secret = NULL;
      BhAccount *account = _bh_cli_find_account (app, argv[2], &error);

      if (account == NULL)
        return _bh_cli_fail_error (error);
      if (!_bh_cli_lookup_tokens (store, account, &token, &token_secret, &error))
        return _bh_cli_fail_error (error);
      bh_params_add (values, "X_ACCESS_TOKEN", token);
      bh_params_add (values, "X_ACCESS_TOKEN_SECRET", token_secret);
    }

  if (bh_app_get_has_bearer (app))
    {
      g_autoptr(BhSecret) bearer = _bh_cli_lookup_bearer (store, app, &error);

      if (bearer == NULL)
        return _bh_cli_fail_error (error);
      bh_params_add (values, "X_BEARER_TOKEN", bearer);
    }

  bh_params_add (values, "X_API_HOST", bh_app_get_api_host (app));

  /* Sized up front so that no secret is left behind by a reallocation. */
  out = g_string_sized_new (8192);
  if (format == FORMAT_JSON)
    g_string_append (out, "{\n");
  for (guint i = 0; i < values->len; i++)
    {
      const BhParam *value = g_ptr_array_index (values, i);

      append_value (out, format, value->name, value->value);
    }
  if (format == FORMAT_JSON)
    g_string_append (out, "\n}\n");

  fwrite (out->str, 1, out->len, stdout);
  fflush (stdout);

  return BH_CLI_EXIT_OK;
}
