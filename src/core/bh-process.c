/* bh-process.c
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

#include "bh-process.h"

#include <locale.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/**
 * bh_process_keep_memory_private:
 *
 * Keeps the secrets that pass through this process out of core files and
 * away from the user's other processes (debuggers, /proc/PID/mem).
 * bh_process_start() calls it first thing in every program: the window's
 * as well as the command line's, since execve() makes a process dumpable
 * again.
 */
/* The soft core limit this process was started with, for the programs
 * it starts (`birdhouse exec`). */
static rlim_t saved_core_limit;
static gboolean saved_core_limit_set;

void
bh_process_keep_memory_private (void)
{
  struct rlimit core;

  /* No core file, also where a crash handler (systemd-coredump) honours
   * the limit. Only the soft limit: a program we start may raise it. */
  if (getrlimit (RLIMIT_CORE, &core) == 0)
    {
      saved_core_limit = core.rlim_cur;
      saved_core_limit_set = TRUE;
      core.rlim_cur = 0;
      setrlimit (RLIMIT_CORE, &core);
    }

#ifdef __linux__
  /* Not inside Flatpak: xdg-desktop-portal tells which app calls it by
   * reading /proc/PID/root, which a non-dumpable process closes to it, and
   * then refuses every portal, the Secret portal that holds the keyring
   * there included. The sandbox keeps other apps away already. */
  if (access ("/.flatpak-info", F_OK) != 0)
    prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

/**
 * bh_process_restore_for_child:
 *
 * Gives back, in a child between fork() and exec(), the core file limit
 * that bh_process_keep_memory_private() lowered: a program run by
 * `birdhouse exec` behaves as if started directly. (Dumpability comes
 * back by itself with execve().) Async-signal-safe.
 */
void
bh_process_restore_for_child (void)
{
  struct rlimit core;

  if (saved_core_limit_set && getrlimit (RLIMIT_CORE, &core) == 0)
    {
      core.rlim_cur = saved_core_limit;
      setrlimit (RLIMIT_CORE, &core);
    }
}

/**
 * bh_process_find_program:
 * @name: the file name of one of Birdhouse's programs, such as
 *   "birdhouse-window"
 *
 * Finds the program `birdhouse` hands over to: beside the running
 * executable in a build tree, else where it is installed (libexecdir).
 * Looking beside the running executable (not PATH, not the working
 * folder) trusts nothing this program does not already.
 *
 * Returns: (transfer full): the program's path
 */
char *
bh_process_find_program (const char *name)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *beside = g_build_filename (dir, name, NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
    }

  return g_build_filename (LIBEXECDIR, name, NULL);
}

/**
 * bh_process_start:
 *
 * What each of Birdhouse's programs (birdhouse, birdhouse-cli,
 * birdhouse-window) does first in main(): keeps its memory private
 * (bh_process_keep_memory_private(), again in each, since execve() makes a
 * process dumpable), then takes the user's locale and Birdhouse's
 * translations.
 */
void
bh_process_start (void)
{
  bh_process_keep_memory_private ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
