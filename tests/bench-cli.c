/* bench-cli.c
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

/* bench-cli: what a script pays for `birdhouse sign` (the App's secret and
 * an account's tokens read from the keyring, a request signed) against
 * `secret-tool lookup` of one secret, both as whole processes, in the same
 * run and the same keyring. Not a test: it prints figures and ratios.
 *
 *   bench-cli BIRDHOUSE [RUNS]
 *
 * Run it in a session with a keyring: `meson test --benchmark bench-cli -v`
 * does, through bh-test-session.sh. */

#include "config.h"

#include <stdlib.h>
#include <gio/gio.h>

#include "bench-seed.h"

/* Milliseconds from spawn to exit; the command must succeed. */
static double
run_once (const char *const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  if (process == NULL || !g_subprocess_wait_check (process, NULL, &error))
    g_error ("%s failed: %s", argv[0], error->message);

  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

int
main (int    argc,
      char **argv)
{
  const char *birdhouse;
  guint runs = 31;
  g_autofree char *records = NULL;
  struct {
    const char *name;
    const char *argv[12];
    GArray     *ms;
  } commands[] = {
    { "sign", { NULL, "sign", "--app", "Bench App 0", "--account", "bench_user_0",
                "https://api.x.com/2/users/me", NULL } },
    { "secret_tool_lookup", { "secret-tool", "lookup", "kind", "user", "app-name", "Bench App 0",
                              "screen-name", "bench_user_0", NULL } },
    { "help", { NULL, "--help", NULL } },
    { "secret_tool_help", { "sh", "-c", "secret-tool --help 2>/dev/null; true", NULL } },
  };

  if (argc < 2)
    {
      g_printerr ("Usage: bench-cli BIRDHOUSE [RUNS]\n");
      return 2;
    }
  birdhouse = argv[1];
  if (argc > 2)
    runs = MAX (3, atoi (argv[2]));

  records = bench_seed_records (g_get_user_data_dir (), 1, 1);
  bench_seed_keyring (1, 1);
  commands[0].argv[0] = birdhouse;
  commands[2].argv[0] = birdhouse;

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      commands[c].ms = g_array_new (FALSE, FALSE, sizeof (double));
      /* Warm the page cache and the keyring first. */
      run_once (commands[c].argv);
    }

  /* Interleaved, so that whatever else the machine does weighs on each. */
  for (guint i = 0; i < runs; i++)
    for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
      {
        double ms = run_once (commands[c].argv);

        g_array_append_val (commands[c].ms, ms);
      }

  g_print ("bench-cli: %u runs each, medians\n", runs);
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    g_print ("%s_ms=%.2f\n", commands[c].name, median (commands[c].ms));
  g_print ("sign_over_secret_tool_lookup=%.2f (target <= 1.5)\n",
           median (commands[0].ms) / median (commands[1].ms));
  g_print ("help_over_secret_tool_help=%.2f\n",
           median (commands[2].ms) / median (commands[3].ms));

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    g_array_unref (commands[c].ms);

  return 0;
}
