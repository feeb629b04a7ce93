/* bh-cli-private.h
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

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bh-export.h"
#include "bh-secret.h"
#include "bh-types.h"

G_BEGIN_DECLS

/* Exit statuses of every subcommand. */
#define BH_CLI_EXIT_OK    0
#define BH_CLI_EXIT_FAIL  1
#define BH_CLI_EXIT_USAGE 2

/* A subcommand: argv[0] is its own name ("add" for `birdhouse app add`),
 * the rest its arguments. Returns an exit status. */
typedef int (*BhCliCommandFunc) (int    argc,
                                 char **argv);

/* A subcommand of a group such as `birdhouse app`. */
typedef struct
{
  const char       *name;
  BhCliCommandFunc  func;
} BhCliCommand;

/* bh-cli.c: runs `birdhouse SUBCOMMAND …` with the function @find gives
 * for a known subcommand's name; the overview and unknown names itself. */
int        _bh_cli_main         (int                argc,
                                 char             **argv,
                                 BhCliCommandFunc (*find) (const char *name));

/* TRUE for --help, -h and help. */
gboolean   _bh_cli_is_help      (const char *arg);

/* `birdhouse @group SUBCOMMAND …`: runs the one of @commands that argv[1]
 * names. With --help it prints @synopsis (the group's usage lines); with
 * no subcommand or an unknown one it is a usage error. */
int        _bh_cli_dispatch     (const char         *group,
                                 const BhCliCommand *commands,
                                 gsize               n_commands,
                                 const char         *synopsis,
                                 int                 argc,
                                 char              **argv);

int        _bh_cli_app          (int    argc,
                                 char **argv);
int        _bh_cli_account      (int    argc,
                                 char **argv);
int        _bh_cli_authorize    (int    argc,
                                 char **argv);
int        _bh_cli_rotate       (int    argc,
                                 char **argv);
int        _bh_cli_bearer       (int    argc,
                                 char **argv);
int        _bh_cli_export       (int    argc,
                                 char **argv);
int        _bh_cli_exec         (int    argc,
                                 char **argv);
int        _bh_cli_import       (int    argc,
                                 char **argv);
int        _bh_cli_sign         (int    argc,
                                 char **argv);
int        _bh_cli_request      (int    argc,
                                 char **argv);
int        _bh_cli_token        (int    argc,
                                 char **argv);
int        _bh_cli_check        (int    argc,
                                 char **argv);

/* One line on stderr, "birdhouse: <sentence>"; returns BH_CLI_EXIT_FAIL. */
int        _bh_cli_fail         (const char   *format,
                                 ...) G_GNUC_PRINTF (1, 2);
int        _bh_cli_fail_error   (const GError *error);
/* The message and a hint to --help of @command ("app add"); returns
 * BH_CLI_EXIT_USAGE. */
int        _bh_cli_usage        (const char   *command,
                                 const char   *format,
                                 ...) G_GNUC_PRINTF (2, 3);

/* A GOptionContext for `birdhouse @command`, with the translation domain,
 * @parameter_string ("NAME"), a summary and an example. */
GOptionContext *_bh_cli_option_context (const char         *command,
                                        const char         *parameter_string,
                                        const char         *summary,
                                        const char         *example,
                                        const GOptionEntry *entries);
/* Parses; on --help prints it on stdout. Then from @n_min to @n_max
 * arguments must follow the subcommand's name, else it is a usage error,
 * with the sentence @missing when there are too few. Returns -1 to go on,
 * else the exit status (0 after --help, 2 on a usage error). */
int        _bh_cli_parse        (GOptionContext *context,
                                 const char     *command,
                                 int             n_min,
                                 int             n_max,
                                 const char     *missing,
                                 int            *argc,
                                 char         ***argv);

/* The longest line read from standard input, in bytes, without its end
 * of line: keys, tokens and PINs are far shorter. A longer line is an
 * error. */
#define BH_CLI_MAX_LINE 4096

/* Reading standard input. A line without its end of line; whitespace at
 * both ends is dropped. Nothing past the line's end is read, so the rest
 * is left to the next reader. When stdin is a terminal, @prompt is written
 * on stderr and, with @hide, echo is off. */
typedef void (*BhCliLineFunc) (BhSecret     *line,      /* NULL at end of input or on error; owned by the callee */
                               const GError *error,     /* a line over BH_CLI_MAX_LINE, a read error */
                               gpointer      user_data);
void       _bh_cli_read_line_async (const char    *prompt,
                                    gboolean       hide,
                                    BhCliLineFunc  callback,
                                    gpointer       user_data);
/* Stops reading without calling back. */
void       _bh_cli_cancel_read     (void);
/* Runs the main context until a line is read. NULL and an error naming
 * @what ("the API key secret") at the end of input or on an empty line;
 * the reader's error for a line too long. */
BhSecret  *_bh_cli_read_secret     (const char    *prompt,
                                    const char    *what,
                                    GError       **error);
gboolean   _bh_cli_stdin_is_terminal (void);
gboolean   _bh_cli_confirm         (const char    *question);

/* Running the core's async calls: pass _bh_cli_store_result and &result,
 * then _bh_cli_wait (&result). */
void          _bh_cli_store_result (GObject       *source,
                                    GAsyncResult  *result,
                                    gpointer       user_data);
GAsyncResult *_bh_cli_wait         (GAsyncResult **result);

/* What a subcommand works on: the store, loaded, and in it the App and
 * the account named on the command line. Each holds a reference. */
typedef struct
{
  BhStore   *store;
  BhApp     *app;       /* NULL when no App was named */
  BhAccount *account;   /* NULL when no screen name was given */
} BhCliTarget;

/* Loads the store, then finds @app_name (when not NULL) and in it
 * @screen_name (when not NULL; it needs @app_name). FALSE and a sentence
 * for the user when the store cannot be loaded or there is no such App
 * or account; @target is then left alone. */
gboolean   _bh_cli_open_target  (const char   *app_name,
                                 const char   *screen_name,
                                 BhCliTarget  *target,
                                 GError      **error);
gboolean     _bh_cli_open_target_full (const char   *app_name,
                                       BhCliTarget  *target,
                                       GError      **error);
void       _bh_cli_target_clear (BhCliTarget  *target);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BhCliTarget, _bh_cli_target_clear)

char      *_bh_cli_lookup_consumer_secret (BhStore    *store,
                                           BhApp      *app,
                                           GError    **error);
gboolean   _bh_cli_lookup_tokens (BhStore     *store,
                                  BhAccount   *account,
                                  char       **token,
                                  char       **token_secret,
                                  GError     **error);
char      *_bh_cli_lookup_bearer (BhStore     *store,
                                  BhApp       *app,
                                  GError     **error);

/* What `export` and `exec` hand to a script: the secrets, wiped by
 * _bh_cli_credentials_clear(), and @values naming them and the rest. */
typedef struct
{
  BhExportCredentials  values;
  BhSecret            *consumer_secret;
  BhSecret            *token;
  BhSecret            *token_secret;
  BhSecret            *bearer;
  BhExportOAuth2       oauth2;
} BhCliCredentials;

gboolean   _bh_cli_lookup_credentials (BhCliTarget      *target,
                                       BhCliCredentials *credentials,
                                       GError          **error);
void       _bh_cli_credentials_clear  (BhCliCredentials *credentials);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BhCliCredentials, _bh_cli_credentials_clear)

/* bh-cli-authorize.c: running a flow to its end, and one that opens the
 * browser, in the terminal */
gboolean   _bh_cli_run_flow            (BhFlow             *flow,
                                        GError            **error);
gboolean   _bh_cli_run_browser_flow    (BhFlow             *flow,
                                        GCallback           state_handler,
                                        gpointer            data,
                                        GError            **error);

/* bh-cli-oauth2.c */
int        _bh_cli_run_oauth2_flow     (BhOAuth2Flow       *flow,
                                        gboolean            open_browser);
int        _bh_cli_authorize_oauth2    (BhCliTarget        *target,
                                        const char * const *scopes,
                                        gboolean            open_browser);
/* A fresh OAuth 2.0 access token of @account, refreshed over the network
 * when it is about to expire. In birdhouse, which links no network
 * library, bh-cli-lean.c defines it instead: it hands the whole command
 * over to birdhouse-cli and does not return. */
BhSecret  *_bh_cli_lookup_oauth2_token (BhStore            *store,
                                        BhAccount          *account,
                                        GError            **error);

/* Runs a PIN flow in the terminal (bh-cli-authorize.c): the URL on
 * stdout, PINs from stdin, the account printed at the end. */
int        _bh_cli_run_pin_flow (BhPinFlow   *flow);

/* A member @name: @when in ISO 8601, or null. */
void       _bh_cli_add_time_member (JsonBuilder *builder,
                                    const char  *name,
                                    GDateTime   *when);
/* The members @prefix"created_at", @prefix"rotated_at" and
 * @prefix"due_for_rotation" of a credential. */
void       _bh_cli_add_age_members (JsonBuilder *builder,
                                    const char  *prefix,
                                    GDateTime   *created,
                                    GDateTime   *rotated,
                                    gboolean     due);
/* Waits until X's rate-limit @reset (seconds since the epoch), saying so
 * on stderr; FALSE when Ctrl+C ended the wait. */
gboolean   _bh_cli_wait_for_reset (gint64 reset);

/* The exit status after Ctrl+C, as a shell reports SIGINT. */
#define BH_CLI_EXIT_INTERRUPTED 130

/* "@alice (Alice Example), read and write" */
char      *_bh_cli_describe_account (BhAccount *account);
const char *_bh_cli_access_level_text (const char *access_level);

/* Writes @text and a newline on stdout and flushes. */
void       _bh_cli_print_line   (const char  *text);
/* Writes what @builder built, pretty, the same way: for --json. */
void       _bh_cli_print_json   (JsonBuilder *builder);

G_END_DECLS
