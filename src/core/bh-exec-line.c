/* bh-exec-line.c
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

#include "bh-exec-line.h"

#include <string.h>

/* A word as a POSIX shell reads it back: as it is when it is made of
 * characters no shell treats specially, else quoted. */
static char *
shell_word (const char *word)
{
  gboolean plain = word[0] != '\0';

  for (const char *p = word; *p != '\0' && plain; p++)
    plain = g_ascii_isalnum (*p) || strchr ("_-.,/:@%+=", *p) != NULL;

  return plain ? g_strdup (word) : g_shell_quote (word);
}

/**
 * bh_exec_line:
 * @app_name: the App's name
 * @screen_name: (nullable): an account of it
 * @flatpak_app_id: (nullable): for the line a script on the host runs
 *   when Birdhouse is a Flatpak
 *
 * The `birdhouse exec` command line for a credential, as the window
 * offers it for copying: it holds names only, never a secret. COMMAND
 * stands for the program to run.
 *
 * Returns: (transfer full): the line
 */
char *
bh_exec_line (const char *app_name,
              const char *screen_name,
              const char *flatpak_app_id)
{
  g_autofree char *app = shell_word (app_name);
  g_autofree char *account = screen_name != NULL ? shell_word (screen_name) : NULL;
  g_autofree char *command = flatpak_app_id != NULL
                             ? g_strdup_printf ("flatpak run %s", flatpak_app_id)
                             : g_strdup ("birdhouse");

  return g_strdup_printf ("%s exec %s%s%s -- COMMAND", command, app,
                          account != NULL ? " " : "", account != NULL ? account : "");
}
