/* bh-cli-wait.c
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

#include <signal.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "bh-cli-private.h"

/* `birdhouse request --wait`: waiting out X's rate-limit window, in the
 * main loop, so that Ctrl+C ends the wait (and the command) at once. */

typedef struct
{
  gboolean over;
  gboolean interrupted;
} Waiting;

static gboolean
wait_over (gpointer user_data)
{
  Waiting *waiting = user_data;

  waiting->over = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_interrupted (gpointer user_data)
{
  Waiting *waiting = user_data;

  waiting->over = waiting->interrupted = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * _bh_cli_wait_for_reset:
 * @reset: X's x-rate-limit-reset, seconds since the epoch
 *
 * Says on standard error how long the wait is, then waits until @reset
 * (and a second more: X's clock and ours may differ a little).
 *
 * Returns: %FALSE when Ctrl+C (SIGINT) ended the wait
 */
gboolean
_bh_cli_wait_for_reset (gint64 reset)
{
  Waiting waiting = { FALSE, FALSE };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 seconds = MAX (reset - now, 0) + 1;
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (reset);
  /* Translators: a time of day, with seconds, in the local time zone (14:05:09). */
  g_autofree char *time = g_date_time_format (when, _("%H:%M:%S"));
  guint timeout_id, signal_id;

  /* Listening for Ctrl+C before saying it works. */
  signal_id = g_unix_signal_add (SIGINT, wait_interrupted, &waiting);
  g_printerr (g_dngettext (GETTEXT_PACKAGE,
                           /* Translators: %s is a time of day, %d the number of seconds until then. */
                           "X’s rate limit is reached: waiting until %s (%d second) to send the request once more. Ctrl+C stops.\n",
                           "X’s rate limit is reached: waiting until %s (%d seconds) to send the request once more. Ctrl+C stops.\n",
                           (gulong) seconds),
              time, (int) seconds);

  timeout_id = g_timeout_add_seconds (seconds, wait_over, &waiting);
  while (!waiting.over)
    g_main_context_iteration (NULL, TRUE);

  if (waiting.interrupted)
    g_source_remove (timeout_id);
  else
    g_source_remove (signal_id);

  return !waiting.interrupted;
}
