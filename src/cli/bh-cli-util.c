/* bh-cli-util.c
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

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "bh-cli-private.h"

/* "birdhouse: <sentence>" on stderr, the one shape of every error. */
static void G_GNUC_PRINTF (1, 0)
print_error_va (const char *format,
                va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  g_printerr ("birdhouse: %s\n", message);
}

int
_bh_cli_fail (const char *format,
              ...)
{
  va_list args;

  va_start (args, format);
  print_error_va (format, args);
  va_end (args);

  return BH_CLI_EXIT_FAIL;
}

int
_bh_cli_fail_error (const GError *error)
{
  g_autofree char *oneline = NULL;

  /* One line, as scripts read it: a server's message may hold newlines. */
  oneline = g_strdelimit (g_strdup (error->message), "\r\n", ' ');

  return _bh_cli_fail ("%s", oneline);
}

int
_bh_cli_usage (const char *command,
               const char *format,
               ...)
{
  va_list args;

  va_start (args, format);
  print_error_va (format, args);
  va_end (args);

  if (command != NULL)
    /* Translators: %s is a command such as "app add" */
    g_printerr (_("Try “birdhouse %s --help” for more information.\n"), command);
  else
    g_printerr (_("Try “birdhouse --help” for more information.\n"));

  return BH_CLI_EXIT_USAGE;
}

gboolean
_bh_cli_is_help (const char *arg)
{
  return g_strcmp0 (arg, "--help") == 0 ||
         g_strcmp0 (arg, "-h") == 0 ||
         g_strcmp0 (arg, "help") == 0;
}

int
_bh_cli_dispatch (const char         *group,
                  const BhCliCommand *commands,
                  gsize               n_commands,
                  const char         *synopsis,
                  int                 argc,
                  char              **argv)
{
  g_autoptr(GString) names = NULL;

  if (argc >= 2 && _bh_cli_is_help (argv[1]))
    {
      g_print ("%s\n%s\n", _("Usage:"), synopsis);
      /* Translators: %s is a command group such as "app" */
      g_print (_("“birdhouse %s SUBCOMMAND --help” describes each one.\n"), group);
      return BH_CLI_EXIT_OK;
    }

  for (gsize i = 0; argc >= 2 && i < n_commands; i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        return commands[i].func (argc - 1, argv + 1);
    }

  if (argc >= 2)
    /* Translators: “app list”, the group and the word that followed it */
    return _bh_cli_usage (group, _("Unknown subcommand “%s %s”."), group, argv[1]);

  names = g_string_new (NULL);
  for (gsize i = 0; i < n_commands; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", commands[i].name);
  /* Translators: %s lists subcommands, such as "add, list, remove" */
  return _bh_cli_usage (group, _("Give a subcommand: %s."), names->str);
}

GOptionContext *
_bh_cli_option_context (const char         *command,
                        const char         *parameter_string,
                        const char         *summary,
                        const char         *example,
                        const GOptionEntry *entries)
{
  g_autofree char *prgname = g_strdup_printf ("birdhouse %s", command);
  GOptionContext *context;

  /* The usage line of --help reads "birdhouse app add [OPTION…] NAME". */
  g_set_prgname (prgname);

  context = g_option_context_new (parameter_string);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  if (example != NULL)
    {
      g_autofree char *description = g_strdup_printf ("%s\n  %s", _("Example:"), example);

      g_option_context_set_description (context, description);
    }
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  /* --help is handled here rather than by GLib so that it never exits
   * behind the caller's back and is the same for every subcommand. */
  g_option_context_set_help_enabled (context, FALSE);

  return context;
}

int
_bh_cli_parse (GOptionContext   *context,
               const char       *command,
               int               n_min,
               int               n_max,
               const char       *missing,
               int              *argc,
               char           ***argv)
{
  g_autoptr(GError) error = NULL;
  gboolean help = FALSE;
  const GOptionEntry help_entries[] = {
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, N_("Show this help"), NULL },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, help_entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    return _bh_cli_usage (command, "%s", error->message);

  if (help)
    {
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);

      g_print ("%s", text);
      return BH_CLI_EXIT_OK;
    }

  if (*argc - 1 < n_min)
    return _bh_cli_usage (command, "%s", missing);
  if (*argc - 1 > n_max)
    /* Translators: %s is a word on the command line that the subcommand does not take */
    return _bh_cli_usage (command, _("Unexpected argument “%s”."), (*argv)[n_max + 1]);

  return -1;
}

/* Reading standard input ------------------------------------------------ */

/* Room for the longest line, its newline and a NUL: the buffer is never
 * grown, so no copy of a secret is left behind by a reallocation. */
#define LINE_BUFFER_SIZE (BH_CLI_MAX_LINE + 2)

typedef struct
{
  char           *line;
  gsize           len;
  BhCliLineFunc   callback;
  gpointer        user_data;
  guint           watch;
  guint           sigint_watch;
  guint           sigterm_watch;
  gboolean        echo_off;
  struct termios  saved;
} LineReader;

static LineReader *reader;

#ifdef __linux__
/* A pipe of our own into which tee(2) copies what stdin holds without
 * taking it, so that a line can be found before it is read. */
static int peek_pipe[2] = { -1, -1 };
#endif

/* Gives the terminal its echo back, also when the user presses Ctrl+C at
 * a hidden prompt. */
static void
line_reader_restore_terminal (LineReader *self)
{
  g_clear_handle_id (&self->sigint_watch, g_source_remove);
  g_clear_handle_id (&self->sigterm_watch, g_source_remove);

  if (self->echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &self->saved);
      self->echo_off = FALSE;
      /* The newline the user typed was not echoed. */
      g_printerr ("\n");
    }
}

static void
line_reader_free (LineReader *self)
{
  bh_secret_wipe (self->line, LINE_BUFFER_SIZE);
  g_free (self->line);
  g_free (self);
}

static gboolean
on_interrupted (gpointer user_data)
{
  int signum = GPOINTER_TO_INT (user_data);

  if (reader != NULL)
    {
      /* The sources are being dispatched: removing them here is fine. */
      reader->sigint_watch = reader->sigterm_watch = 0;
      line_reader_restore_terminal (reader);
      bh_secret_wipe (reader->line, LINE_BUFFER_SIZE);
    }

  /* The conventional status of a program ended by a signal. */
  exit (128 + signum);

  return G_SOURCE_REMOVE;
}

gboolean
_bh_cli_stdin_is_terminal (void)
{
  return isatty (STDIN_FILENO);
}

/* Reads at most @max bytes of @fd into @buf, but never past the end of a
 * line: whatever follows the newline stays in stdin for the next reader,
 * in this process (a second secret, another PIN) or in the script's next
 * command. Bytes after the newline that had to be read are wiped. Returns
 * as read(2) does. */
static gssize
read_to_line_end (int    fd,
                  char  *buf,
                  gsize  max)
{
  gssize n;
  const char *newline;

  /* A file: read ahead, then seek back to just after the newline. */
  if (lseek (fd, 0, SEEK_CUR) >= 0)
    {
      n = read (fd, buf, max);
      if (n > 0 && (newline = memchr (buf, '\n', n)) != NULL &&
          newline + 1 < buf + n)
        {
          gsize keep = newline + 1 - buf;

          if (lseek (fd, (off_t) keep - n, SEEK_CUR) >= 0)
            {
              bh_secret_wipe (buf + keep, n - keep);
              n = keep;
            }
        }
      return n;
    }

  /* A terminal in canonical mode hands over one line per read. */
  if (isatty (fd))
    return read (fd, buf, max);

#ifdef __linux__
  /* A pipe: look at what it holds without taking it, then take the line. */
  if (peek_pipe[0] >= 0 || pipe2 (peek_pipe, O_CLOEXEC | O_NONBLOCK) == 0)
    {
      n = tee (fd, peek_pipe[1], max, SPLICE_F_NONBLOCK);
      if (n >= 0)
        {
          gssize peeked = n > 0 ? read (peek_pipe[0], buf, n) : 0;

          if (peeked != n)
            {
              bh_secret_wipe (buf, MAX (peeked, 0));
              errno = EIO;
              return -1;
            }
          newline = memchr (buf, '\n', n);
          bh_secret_wipe (buf, n);
          if (n == 0)
            return 0;
          return read (fd, buf, newline != NULL ? (gsize) (newline + 1 - buf) : (gsize) n);
        }
      if (errno == EAGAIN)
        return -1;
      /* EINVAL: not a pipe (a socket, say). */
    }
#endif

  /* Anything else: one byte at a time, the only way not to read ahead. */
  return read (fd, buf, 1);
}

/* The line without whitespace at either end, copied once to a buffer of
 * its own size; the reader's buffer is wiped whole afterwards. (Stripping
 * a copy in place with g_strstrip() would move it and leave the end of
 * the secret behind, past the new NUL.) */
static BhSecret *
line_reader_take_line (LineReader *self)
{
  gsize start = 0, end = self->len;

  while (start < end && g_ascii_isspace (self->line[start]))
    start++;
  while (end > start && g_ascii_isspace (self->line[end - 1]))
    end--;

  return bh_secret_dup_len (self->line + start, end - start);
}

static void
line_reader_finish (gboolean  eof,
                    GError   *error)
{
  LineReader *self = reader;
  BhSecret *line = NULL;

  reader = NULL;
  line_reader_restore_terminal (self);

  if (error == NULL && (!eof || self->len > 0))
    line = line_reader_take_line (self);

  bh_secret_wipe (self->line, LINE_BUFFER_SIZE);

  self->callback (line, error, self->user_data);
  g_clear_error (&error);
  line_reader_free (self);
}

static gboolean
on_stdin_ready (int          fd,
                GIOCondition condition,
                gpointer     user_data)
{
  LineReader *self = reader;
  const char *newline;
  gssize n;

  /* One byte more than a line may hold: a line that long is refused
   * without reading any further. */
  n = read_to_line_end (fd, self->line + self->len, BH_CLI_MAX_LINE + 1 - self->len);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;

  if (n < 0)
    {
      int saved_errno = errno;

      self->watch = 0;
      line_reader_finish (FALSE, g_error_new (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                              /* Translators: %s is the system's reason */
                                              _("Could not read standard input: %s"),
                                              g_strerror (saved_errno)));
      return G_SOURCE_REMOVE;
    }

  if (n == 0)
    {
      self->watch = 0;
      line_reader_finish (TRUE, NULL);
      return G_SOURCE_REMOVE;
    }

  newline = memchr (self->line + self->len, '\n', n);
  self->len += n;

  if (newline != NULL)
    {
      self->len = newline - self->line;
      self->watch = 0;
      line_reader_finish (FALSE, NULL);
      return G_SOURCE_REMOVE;
    }

  if (self->len > BH_CLI_MAX_LINE)
    {
      self->watch = 0;
      line_reader_finish (FALSE, g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                                              /* Translators: %d is a number of bytes, 4096 */
                                              ngettext ("A line of standard input is longer than %d byte; no key, token or PIN is that long.",
                                                        "A line of standard input is longer than %d bytes; no key, token or PIN is that long.",
                                                        BH_CLI_MAX_LINE),
                                              BH_CLI_MAX_LINE));
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

void
_bh_cli_read_line_async (const char    *prompt,
                         gboolean       hide,
                         BhCliLineFunc  callback,
                         gpointer       user_data)
{
  LineReader *self;

  g_return_if_fail (reader == NULL);

  self = g_new0 (LineReader, 1);
  self->line = g_malloc0 (LINE_BUFFER_SIZE);
  self->callback = callback;
  self->user_data = user_data;
  reader = self;

  if (_bh_cli_stdin_is_terminal ())
    {
      if (hide && tcgetattr (STDIN_FILENO, &self->saved) == 0)
        {
          struct termios quiet = self->saved;

          /* Catch Ctrl+C before echo goes off, so that no moment is left
           * where it would leave the terminal silent. */
          self->sigint_watch = g_unix_signal_add (SIGINT, on_interrupted,
                                                  GINT_TO_POINTER (SIGINT));
          self->sigterm_watch = g_unix_signal_add (SIGTERM, on_interrupted,
                                                   GINT_TO_POINTER (SIGTERM));
          quiet.c_lflag &= ~(ECHO);
          if (tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0)
            self->echo_off = TRUE;
        }

      /* The prompt comes last: once it shows, typing is safe. */
      if (prompt != NULL)
        g_printerr ("%s", prompt);
    }

  self->watch = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                               on_stdin_ready, NULL);
}

void
_bh_cli_cancel_read (void)
{
  LineReader *self = reader;

  if (self == NULL)
    return;

  reader = NULL;
  g_clear_handle_id (&self->watch, g_source_remove);
  line_reader_restore_terminal (self);
  line_reader_free (self);
}

typedef struct
{
  gboolean  done;
  BhSecret *line;
  GError   *error;
} SyncLine;

static void
on_sync_line (BhSecret     *line,
              const GError *error,
              gpointer      user_data)
{
  SyncLine *sync = user_data;

  sync->line = line;
  sync->error = error != NULL ? g_error_copy (error) : NULL;
  sync->done = TRUE;
}

BhSecret *
_bh_cli_read_secret (const char  *prompt,
                     const char  *what,
                     GError     **error)
{
  SyncLine sync = { FALSE, NULL, NULL };

  _bh_cli_read_line_async (prompt, TRUE, on_sync_line, &sync);
  while (!sync.done)
    g_main_context_iteration (NULL, TRUE);

  if (sync.error != NULL)
    {
      g_propagate_error (error, sync.error);
      return NULL;
    }

  if (sync.line == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is what was expected, such as "the API key secret" */
                   _("Standard input ended before %s; give it on a line of its own."), what);
      return NULL;
    }

  if (sync.line[0] == '\0')
    {
      bh_secret_free (sync.line);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is what was expected, such as "the API key secret" */
                   _("The line for %s is empty."), what);
      return NULL;
    }

  return sync.line;
}

/**
 * _bh_cli_confirm:
 * @question: the question, ending in a space
 *
 * Asks on the terminal (the answer is shown as typed).
 *
 * Returns: %TRUE when the answer is yes
 */
gboolean
_bh_cli_confirm (const char *question)
{
  SyncLine sync = { FALSE, NULL, NULL };
  gboolean yes;

  _bh_cli_read_line_async (question, FALSE, on_sync_line, &sync);
  while (!sync.done)
    g_main_context_iteration (NULL, TRUE);

  g_clear_error (&sync.error);
  if (sync.line == NULL)
    return FALSE;

  /* Translators: the answers “yes” and its first letter, typed to a
   * question that ends in [y/N]; keep the English ones working too. */
  yes = g_ascii_strcasecmp (sync.line, "y") == 0 || g_ascii_strcasecmp (sync.line, "yes") == 0 ||
        g_utf8_collate (sync.line, C_("answer", "y")) == 0 || g_utf8_collate (sync.line, C_("answer", "yes")) == 0;
  bh_secret_free (sync.line);

  return yes;
}

/* Waiting on the core ---------------------------------------------------- */

void
_bh_cli_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

GAsyncResult *
_bh_cli_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

void
_bh_cli_print_line (const char *text)
{
  g_print ("%s\n", text);
  fflush (stdout);
}

void
_bh_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  _bh_cli_print_line (text);
}

void
_bh_cli_add_time_member (JsonBuilder *builder,
                         const char  *name,
                         GDateTime   *when)
{
  json_builder_set_member_name (builder, name);
  if (when != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (when);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

void
_bh_cli_add_age_members (JsonBuilder *builder,
                         const char  *prefix,
                         GDateTime   *created,
                         GDateTime   *rotated,
                         gboolean     due)
{
  g_autofree char *created_name = g_strconcat (prefix, "created_at", NULL);
  g_autofree char *rotated_name = g_strconcat (prefix, "rotated_at", NULL);
  g_autofree char *due_name = g_strconcat (prefix, "due_for_rotation", NULL);

  _bh_cli_add_time_member (builder, created_name, created);
  _bh_cli_add_time_member (builder, rotated_name, rotated);
  json_builder_set_member_name (builder, due_name);
  json_builder_add_boolean_value (builder, due);
}
