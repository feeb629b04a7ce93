/* bh-cli-exec.c
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
#include <signal.h>
#include <string.h>
#include <pthread.h>
#include <sys/wait.h>
#include <glib/gi18n.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-cli-private.h"
#include "bh-export.h"
#include "bh-params.h"
#include "bh-process.h"
#include "bh-store.h"

/* `birdhouse exec APP [SCREEN_NAME] -- COMMAND [ARG…]`: COMMAND runs with
 * the variables of `export` in its environment and nowhere else — not in
 * this process's environment, not in an argument, not in a file. It is a
 * child, not an execve() of this process, so that the copies made here
 * are wiped as soon as it has started; this process then only waits,
 * passes on the signals sent to it, and exits as COMMAND did. */

/* Exit statuses of a command that could not be run, as a shell gives. */
#define EXIT_CANNOT_RUN 126
#define EXIT_NOT_FOUND  127

static const int forwarded_signals[] = {
  SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
};

static volatile sig_atomic_t child_pid;
static volatile sig_atomic_t pending_signal;

static void
forward_signal (int        signum,
                siginfo_t *info,
                void      *context)
{
  int saved_errno = errno;

  /* The terminal (Ctrl+C, Ctrl+\, a hang-up) signals its whole foreground
   * process group, COMMAND included: passing it on would deliver it
   * twice. Only what a process sent to this one alone is passed on. */
  if (info != NULL && info->si_code == SI_KERNEL)
    {
      errno = saved_errno;
      return;
    }

  if (child_pid > 0)
    kill (child_pid, signum);
  else
    pending_signal = signum;

  errno = saved_errno;
}

static void
forwarded_set (sigset_t *set)
{
  sigemptyset (set);
  for (gsize i = 0; i < G_N_ELEMENTS (forwarded_signals); i++)
    sigaddset (set, forwarded_signals[i]);
}

static void
set_forwarding (gboolean on)
{
  struct sigaction action = { 0 };

  if (on)
    {
      action.sa_sigaction = forward_signal;
      action.sa_flags = SA_SIGINFO | SA_RESTART;
      forwarded_set (&action.sa_mask);
    }
  else
    action.sa_handler = SIG_DFL;

  for (gsize i = 0; i < G_N_ELEMENTS (forwarded_signals); i++)
    sigaction (forwarded_signals[i], &action, NULL);
}

/* In the child, before exec: what this process changed for itself goes
 * back to what COMMAND would have had if started directly.
 * Async-signal-safe only. */
static void
child_setup (gpointer user_data)
{
  sigset_t none;

  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  bh_process_restore_for_child ();
}

/* "NAME=value" in a block of its exact size, so that bh_secret_free()
 * wipes all of it; no printf, whose buffers would keep copies. */
static BhSecret *
environment_entry (const char *name,
                   const char *value)
{
  gsize name_len = strlen (name), value_len = strlen (value);
  BhSecret *entry = g_malloc (name_len + 1 + value_len + 1);

  memcpy (entry, name, name_len);
  entry[name_len] = '=';
  memcpy (entry + name_len + 1, value, value_len + 1);

  return entry;
}

/* This process's environment without any variable `export` could write
 * under @prefix, then @variables. The entries holding secrets are also
 * put in @secrets (which frees them wiped); the rest belongs to the
 * returned array (free it with g_free() after @secrets). */
static char **
child_environment (GPtrArray  *variables,
                   const char *prefix,
                   GPtrArray  *secrets,
                   GPtrArray  *others)
{
  g_auto(GStrv) parent = g_get_environ ();
  const char * const *names = bh_export_names ();
  GPtrArray *env = g_ptr_array_new ();

  for (gsize i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = g_strconcat (prefix, names[i], NULL);

      parent = g_environ_unsetenv (parent, name);
    }

  for (gsize i = 0; parent[i] != NULL; i++)
    {
      g_ptr_array_add (others, parent[i]);
      g_ptr_array_add (env, parent[i]);
    }
  /* The strings now belong to @others. */
  g_clear_pointer (&parent, g_free);

  for (guint i = 0; i < variables->len; i++)
    {
      const BhParam *variable = g_ptr_array_index (variables, i);
      BhSecret *entry = environment_entry (variable->name, variable->value);

      g_ptr_array_add (secrets, entry);
      g_ptr_array_add (env, entry);
    }

  g_ptr_array_add (env, NULL);

  return (char **) g_ptr_array_free (env, FALSE);
}

static int
spawn_failed (const char   *command,
              const GError *error)
{
  if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
    {
      /* Translators: %s is the command given after “--” */
      _bh_cli_fail (_("“%s”: command not found (check its name and PATH)."), command);
      return EXIT_NOT_FOUND;
    }

  /* Translators: the first %s is the command given after “--”, the
   * second why it could not be run */
  _bh_cli_fail (_("“%s” could not be run: %s"), command, error->message);
  return EXIT_CANNOT_RUN;
}

/* Runs @command with @envp, passing on signals; returns its exit status,
 * or 128 + the signal that ended it. @envp's secrets are wiped (by
 * clearing @secrets) as soon as the child has started. */
static int
run_child (char      **command,
           char      **envp,
           GPtrArray **secrets)
{
  g_autoptr(GError) error = NULL;
  sigset_t forwarded, old_mask;
  GPid pid;
  int status;

  /* Until the child's pid is known, the signals wait (in this thread;
   * one another thread takes is kept in pending_signal). */
  forwarded_set (&forwarded);
  pthread_sigmask (SIG_BLOCK, &forwarded, &old_mask);
  set_forwarding (TRUE);

  /* Descriptors stay open as they are for any program a shell starts:
   * this process opens its own with close-on-exec. */
  if (!g_spawn_async (NULL, command, envp,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                      G_SPAWN_CHILD_INHERITS_STDIN | G_SPAWN_LEAVE_DESCRIPTORS_OPEN,
                      child_setup, NULL, &pid, &error))
    {
      g_clear_pointer (secrets, g_ptr_array_unref);
      set_forwarding (FALSE);
      pthread_sigmask (SIG_SETMASK, &old_mask, NULL);
      return spawn_failed (command[0], error);
    }

  g_clear_pointer (secrets, g_ptr_array_unref);

  child_pid = pid;
  pthread_sigmask (SIG_SETMASK, &old_mask, NULL);
  if (pending_signal != 0)
    kill (pid, pending_signal);

  g_debug ("exec: started process %d", (int) pid);

  while (waitpid (pid, &status, 0) < 0)
    {
      if (errno != EINTR)
        {
          int saved_errno = errno;

          /* Translators: %s says why (a system error) */
          return _bh_cli_fail (_("Waiting for the command failed: %s"), g_strerror (saved_errno));
        }
    }

  child_pid = 0;
  set_forwarding (FALSE);

  if (WIFSIGNALED (status))
    return 128 + WTERMSIG (status);

  return WEXITSTATUS (status);
}

int
_bh_cli_exec (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_auto(BhCliCredentials) credentials = { 0 };
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GPtrArray) secrets = NULL;
  g_autoptr(GPtrArray) others = NULL;
  g_autofree char **envp = NULL;
  g_autofree char **options = NULL;
  g_autofree char *prefix = NULL;
  gboolean oauth2 = FALSE;
  const GOptionEntry entries[] = {
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &prefix,
      N_("What the variable names start with instead of X_ (\"\" for none)"), N_("PREFIX") },
    { "oauth2", 0, 0, G_OPTION_ARG_NONE, &oauth2,
      N_("Fail unless the account has an OAuth 2.0 access token to hand over"), NULL },
    G_OPTION_ENTRY_NULL
  };
  int n_options = 0, status;
  char **command;

  /* What follows “--” is COMMAND's, never an option of ours. */
  while (n_options < argc && g_strcmp0 (argv[n_options], "--") != 0)
    n_options++;
  options = g_new0 (char *, n_options + 1);
  memcpy (options, argv, n_options * sizeof (char *));
  command = n_options < argc ? argv + n_options + 1 : NULL;

  context = _bh_cli_option_context ("exec", _("APP [SCREEN_NAME] -- COMMAND [ARG…]"),
                                    _("Run COMMAND with the credentials in its environment only, under the\n"
                                      "names of “birdhouse export”: X_API_KEY, X_API_SECRET, with SCREEN_NAME\n"
                                      "X_ACCESS_TOKEN and X_ACCESS_TOKEN_SECRET, X_BEARER_TOKEN when the App\n"
                                      "has one, X_CLIENT_ID and X_CLIENT_SECRET for OAuth 2.0, with\n"
                                      "SCREEN_NAME X_OAUTH2_ACCESS_TOKEN (refreshed first when needed), and\n"
                                      "X_API_HOST. Nothing is written to a file or shown to the shell.\n"
                                      "Standard input, output, error and the terminal are COMMAND’s;\n"
                                      "SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1 and SIGUSR2 sent to birdhouse\n"
                                      "are passed on. The exit status is COMMAND’s, 128 + N when signal N\n"
                                      "ended it, 127 when COMMAND is not found, 126 when it cannot be run."),
                                    "birdhouse exec MyBot alice -- python3 bot.py",
                                    entries);
  status = _bh_cli_parse (context, "exec", 1, 2, _("Give the App’s name."),
                          &n_options, &options);
  if (status >= 0)
    return status;
  if (command == NULL)
    return _bh_cli_usage ("exec", "%s", _("Put “--” between the App (and account) and the command to run."));
  if (command[0] == NULL)
    return _bh_cli_usage ("exec", "%s", _("Give the command to run after “--”."));
  if (prefix != NULL && !bh_export_prefix_is_valid (prefix))
    /* Translators: %s is the prefix given with --prefix */
    return _bh_cli_usage ("exec", _("“%s” cannot begin a variable name: use letters, digits and _, "
                                    "not a digit first."), prefix);
  if (oauth2 && n_options < 3)
    return _bh_cli_usage ("exec", "%s", _("--oauth2 needs the account’s screen name."));

  if (!_bh_cli_open_target (options[1], n_options == 3 ? options[2] : NULL, &target, &error))
    return _bh_cli_fail_error (error);
  /* Without --oauth2 the token is handed over when there is one; with it,
   * COMMAND needs it and does not start without. */
  if (oauth2 && !bh_account_has_credentials (target.account, BH_ACCOUNT_CREDENTIALS_OAUTH2))
    /* Translators: the first %s is an X screen name, the second the App's name */
    return _bh_cli_fail (_("@%s has no OAuth 2.0 authorization; “birdhouse authorize %s --oauth2” makes one."),
                         bh_account_get_screen_name (target.account), bh_app_get_name (target.app));
  if (!_bh_cli_lookup_credentials (&target, &credentials, &error))
    return _bh_cli_fail_error (error);

  variables = bh_export_variables (&credentials.values, prefix);
  secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_secret_free);
  others = g_ptr_array_new_with_free_func (g_free);
  envp = child_environment (variables, prefix != NULL ? prefix : "X_", secrets, others);

  /* Only the child's copies are needed from here on. */
  g_clear_pointer (&variables, g_ptr_array_unref);
  _bh_cli_credentials_clear (&credentials);

  return run_child (command, envp, &secrets);
}
