/* test-export.c
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
#include <sys/wait.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bh-export.h"
#include "bh-oauth1.h"
#include "bh-test-utils.h"

/* Made-up credentials. */
#define KEY          "fake-export-key-0123456789"
#define SECRET       "fake-export-secret-0123456789abcdef"
#define TOKEN        "1001-fakeExportToken0123456789"
#define TOKEN_SECRET "fakeExportTokenSecret0123456789"
#define BEARER       "AAAAAAAAAAAAAAAAAAAAAfakeBearer%2Fexport%3D0123"
#define HOST         "https://api.x.com"

static const BhExportCredentials every = {
  KEY, SECRET, TOKEN, TOKEN_SECRET, BEARER, HOST,
};

/* Values a secret typed by a person may hold, each of which one .env
 * spelling or another used to change on the way back. */
static const char * const awkward_values[] = {
  "plain-value_0.9/+=@,%:",
  "dollar$HOME and $(id)",
  "back`id`tick",
  "it's",
  "say \"hi\"",
  "  spaces at both ends  ",
  "#not a comment",
  "a;b&c|d>e<f*g?h[i]j!k~l",
  "ü日本🐦",
  "",
  "~user",
  "=leading equals",
  "trailing = # hash",
};

static void
assert_names (GPtrArray          *variables,
              const char * const *names)
{
  guint n = g_strv_length ((char **) names);

  g_assert_cmpuint (variables->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      const BhParam *variable = g_ptr_array_index (variables, i);

      g_assert_cmpstr (variable->name, ==, names[i]);
    }
}

static void
test_variables (void)
{
  const char * const all[] = {
    "X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET",
    "X_BEARER_TOKEN", "X_API_HOST", NULL,
  };
  const char * const app_only[] = { "MYBOT_API_KEY", "MYBOT_API_SECRET", NULL };
  const char * const bare[] = { "API_KEY", "API_HOST", NULL };
  BhExportCredentials half = { KEY, SECRET, TOKEN, NULL, NULL, NULL };
  BhExportCredentials key_host = { KEY, NULL, NULL, NULL, NULL, HOST };
  g_autoptr(GPtrArray) variables = NULL;

  /* The names the README documents, in its order. */
  variables = bh_export_variables (&every, NULL);
  assert_names (variables, all);
  g_assert_cmpstr (bh_params_get (variables, "X_API_KEY"), ==, KEY);
  g_assert_cmpstr (bh_params_get (variables, "X_API_SECRET"), ==, SECRET);
  g_assert_cmpstr (bh_params_get (variables, "X_ACCESS_TOKEN"), ==, TOKEN);
  g_assert_cmpstr (bh_params_get (variables, "X_ACCESS_TOKEN_SECRET"), ==, TOKEN_SECRET);
  g_assert_cmpstr (bh_params_get (variables, "X_BEARER_TOKEN"), ==, BEARER);
  g_assert_cmpstr (bh_params_get (variables, "X_API_HOST"), ==, HOST);
  g_clear_pointer (&variables, g_ptr_array_unref);

  /* A token without its secret signs nothing: neither is exported. */
  variables = bh_export_variables (&half, "MYBOT_");
  assert_names (variables, app_only);
  g_clear_pointer (&variables, g_ptr_array_unref);

  variables = bh_export_variables (&key_host, "");
  assert_names (variables, bare);
}

/* OAuth 2.0: the Client ID and secret, an account's access token; an App
 * without an API key exports none of the OAuth 1.0a names. */
static void
test_variables_oauth2 (void)
{
  const char * const oauth2_only[] = {
    "X_CLIENT_ID", "X_CLIENT_SECRET", "X_OAUTH2_ACCESS_TOKEN", "X_API_HOST", NULL,
  };
  const char * const both[] = {
    "X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET",
    "X_BEARER_TOKEN", "X_CLIENT_ID", "X_API_HOST", NULL,
  };
  BhExportCredentials oauth2 = { 0 };
  BhExportCredentials with_client = every;
  g_autoptr(GPtrArray) variables = NULL;

  oauth2.client_id = "client-id";
  oauth2.client_secret = "client-secret";
  oauth2.oauth2_access_token = "oauth2-access-token";
  oauth2.api_host = HOST;
  variables = bh_export_variables (&oauth2, NULL);
  assert_names (variables, oauth2_only);
  g_assert_cmpstr (bh_params_get (variables, "X_CLIENT_SECRET"), ==, "client-secret");
  g_assert_cmpstr (bh_params_get (variables, "X_OAUTH2_ACCESS_TOKEN"), ==, "oauth2-access-token");
  g_clear_pointer (&variables, g_ptr_array_unref);

  /* A public client has no secret to export. */
  with_client.client_id = "client-id";
  variables = bh_export_variables (&with_client, NULL);
  assert_names (variables, both);
}

static void
test_prefix (void)
{
  g_assert_true (bh_export_prefix_is_valid ("X_"));
  g_assert_true (bh_export_prefix_is_valid (""));
  g_assert_true (bh_export_prefix_is_valid ("_my_bot2_"));
  g_assert_false (bh_export_prefix_is_valid ("2X_"));
  g_assert_false (bh_export_prefix_is_valid ("MY-BOT_"));
  g_assert_false (bh_export_prefix_is_valid ("X "));
  g_assert_false (bh_export_prefix_is_valid ("X$"));
}

static void
test_format_names (void)
{
  BhExportFormat format = BH_EXPORT_FORMAT_JSON;

  g_assert_true (bh_export_format_from_string ("env", &format));
  g_assert_cmpint (format, ==, BH_EXPORT_FORMAT_ENV);
  g_assert_true (bh_export_format_from_string ("dotenv", &format));
  g_assert_cmpint (format, ==, BH_EXPORT_FORMAT_DOTENV);
  g_assert_true (bh_export_format_from_string ("json", &format));
  g_assert_cmpint (format, ==, BH_EXPORT_FORMAT_JSON);
  g_assert_false (bh_export_format_from_string ("yaml", &format));
  g_assert_false (bh_export_format_from_string (NULL, &format));
}

static BhSecret *
format_ok (GPtrArray      *variables,
           BhExportFormat  format)
{
  g_autoptr(GError) error = NULL;
  BhSecret *text = bh_export_format (variables, format, &error);

  g_assert_no_error (error);
  g_assert_nonnull (text);

  return text;
}

/* Plain values go unquoted: docker's --env-file, which keeps quotes as
 * part of the value, reads them too. */
static void
test_plain_values (void)
{
  g_autoptr(GPtrArray) variables = bh_export_variables (&every, NULL);
  g_autoptr(BhSecret) dotenv = format_ok (variables, BH_EXPORT_FORMAT_DOTENV);
  g_autoptr(BhSecret) env = format_ok (variables, BH_EXPORT_FORMAT_ENV);

  g_assert_cmpstr (dotenv, ==,
                   "X_API_KEY=" KEY "\n"
                   "X_API_SECRET=" SECRET "\n"
                   "X_ACCESS_TOKEN=" TOKEN "\n"
                   "X_ACCESS_TOKEN_SECRET=" TOKEN_SECRET "\n"
                   "X_BEARER_TOKEN=" BEARER "\n"
                   "X_API_HOST=" HOST "\n");
  g_assert_cmpstr (env, ==,
                   "export X_API_KEY='" KEY "'\n"
                   "export X_API_SECRET='" SECRET "'\n"
                   "export X_ACCESS_TOKEN='" TOKEN "'\n"
                   "export X_ACCESS_TOKEN_SECRET='" TOKEN_SECRET "'\n"
                   "export X_BEARER_TOKEN='" BEARER "'\n"
                   "export X_API_HOST='" HOST "'\n");
}

/* One variable per awkward value, named BHTEST_n. */
static GPtrArray *
awkward_variables (void)
{
  GPtrArray *variables = bh_params_new ();

  for (guint i = 0; i < G_N_ELEMENTS (awkward_values); i++)
    {
      g_autofree char *name = g_strdup_printf ("BHTEST_%u", i);

      bh_params_add (variables, name, awkward_values[i]);
    }

  return variables;
}

/* Writes @text to a file, has @loader read it with tests/read-env-file.py
 * and checks that every variable came back exactly. */
static void
assert_loader_reads_back (const char *loader,
                          const char *text,
                          GPtrArray  *variables)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bh-export-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "read-env-file.py", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *argv[] = { "/usr/bin/python3", script, loader, NULL, "BHTEST_", NULL };
  JsonObject *object;
  int status = 0;

  g_assert_no_error (error);
  path = g_build_filename (dir, "test.env", NULL);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  argv[3] = path;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_unlink (path);
  g_rmdir (dir);

  if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
    {
      g_autofree char *reason = g_strdup_printf ("%s: %s", loader, g_strstrip (err));

      g_test_skip (reason);
      return;
    }
  if (!g_spawn_check_wait_status (status, &error))
    g_test_message ("%s failed: %s", loader, err);
  g_assert_no_error (error);

  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (object), ==, variables->len);

  for (guint i = 0; i < variables->len; i++)
    {
      const BhParam *variable = g_ptr_array_index (variables, i);

      g_test_message ("%s reads %s", loader, variable->name);
      g_assert_true (json_object_has_member (object, variable->name));
      g_assert_cmpstr (json_object_get_string_member (object, variable->name), ==,
                       variable->value);
    }
}

static void
test_env_shell (void)
{
  g_autoptr(GPtrArray) variables = awkward_variables ();
  g_autoptr(BhSecret) text = format_ok (variables, BH_EXPORT_FORMAT_ENV);

  /* `eval "$(birdhouse export …)"` is `. file` of the same text. */
  assert_loader_reads_back ("sh", text, variables);
}

static void
test_dotenv_loader (gconstpointer data)
{
  const char *loader = data;
  g_autoptr(GPtrArray) variables = awkward_variables ();
  g_autoptr(BhSecret) text = format_ok (variables, BH_EXPORT_FORMAT_DOTENV);

  assert_loader_reads_back (loader, text, variables);
}

/* Values no .env spelling gives back the same to every loader are
 * refused with a sentence that names the variable, not the value. */
static void
test_dotenv_refused (void)
{
  const char * const refused[] = {
    "back\\slash",
    "trailing\\",
    "brace ${HOME}",
    "line\nbreak",
    "carriage\rreturn",
    "tab\there",
    "it's $5",
    "it's `id`",
    "it's \"quoted\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GPtrArray) variables = bh_params_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(BhSecret) text = NULL;

      bh_params_add (variables, "X_API_KEY", KEY);
      bh_params_add (variables, "X_API_SECRET", refused[i]);
      text = bh_export_format (variables, BH_EXPORT_FORMAT_DOTENV, &error);
      g_assert_null (text);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "X_API_SECRET"));
      g_assert_null (strstr (error->message, refused[i]));

      /* The shell and JSON formats hold anything. */
      g_clear_error (&error);
      g_clear_pointer (&text, bh_secret_free);
      text = format_ok (variables, BH_EXPORT_FORMAT_ENV);
      g_clear_pointer (&text, bh_secret_free);
      text = format_ok (variables, BH_EXPORT_FORMAT_JSON);
    }
}

static void
test_json (void)
{
  g_autoptr(GPtrArray) variables = awkward_variables ();
  g_autoptr(BhSecret) text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  bh_params_add (variables, "BHTEST_CONTROL", "line\nbreak\\ \"q\" \x01");
  text = format_ok (variables, BH_EXPORT_FORMAT_JSON);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (object), ==, variables->len);
  for (guint i = 0; i < variables->len; i++)
    {
      const BhParam *variable = g_ptr_array_index (variables, i);

      g_assert_cmpstr (json_object_get_string_member (object, variable->name), ==,
                       variable->value);
    }
}

/* Output far larger than the first block: the buffer grows many times,
 * and what it held must still come out whole. */
static void
test_long_values (void)
{
  g_autoptr(GPtrArray) variables = bh_params_new ();
  g_autofree char *long_value = g_strnfill (5000, 'a');
  g_autoptr(BhSecret) text = NULL;
  g_autofree char *expected = NULL;

  bh_params_add (variables, "X_ONE", long_value);
  bh_params_add (variables, "X_TWO", long_value);
  text = format_ok (variables, BH_EXPORT_FORMAT_DOTENV);
  expected = g_strdup_printf ("X_ONE=%s\nX_TWO=%s\n", long_value, long_value);
  g_assert_cmpstr (text, ==, expected);
}

/* Debug messages captured by bh_test_capture_logs() stay off standard
 * output, where meson reads the TAP stream. */
static void
test_captured_logs_stay_off_stdout (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *logs = NULL;

      g_debug ("captured-debug-canary");
      logs = bh_test_take_logs ();
      g_assert_nonnull (strstr (logs, "captured-debug-canary"));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout_unmatched ("*captured-debug-canary*");
  g_test_trap_assert_stderr ("*captured-debug-canary*");
}

int
main (int   argc,
      char *argv[])
{
  bh_test_capture_logs ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/variables", test_variables);
  g_test_add_func ("/export/variables-oauth2", test_variables_oauth2);
  g_test_add_func ("/export/prefix", test_prefix);
  g_test_add_func ("/export/format-names", test_format_names);
  g_test_add_func ("/export/plain-values", test_plain_values);
  g_test_add_func ("/export/env/sh", test_env_shell);
  g_test_add_data_func ("/export/dotenv/sh", "sh", test_dotenv_loader);
  g_test_add_data_func ("/export/dotenv/python-dotenv", "python-dotenv", test_dotenv_loader);
  g_test_add_data_func ("/export/dotenv/systemd", "systemd", test_dotenv_loader);
  g_test_add_func ("/export/dotenv/refused", test_dotenv_refused);
  g_test_add_func ("/export/json", test_json);
  g_test_add_func ("/export/long-values", test_long_values);
  g_test_add_func ("/test-utils/captured-logs-stay-off-stdout", test_captured_logs_stay_off_stdout);

  return g_test_run ();
}
