/* bench-startup.c
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

/* bench-startup: time from exec to the first frame of the main window, and
 * resident memory once idle, for Birdhouse with 100 accounts in its
 * records file, each as a ratio against the smallest libadwaita window
 * (bench-floor) measured in the same run. Not a test: it prints figures.
 *
 *   bench-startup BIRDHOUSE BENCH_FLOOR [RUNS]
 *
 * Run it in a session with a display and a keyring (meson test --benchmark
 * does, through bh-test-session.sh): the 5 API key secrets and 100 token
 * pairs are stored in the keyring's session collection first, as a person
 * who uses Birdhouse has them, so Birdhouse reconciles them at start like
 * on a desktop. */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <libsecret/secret.h>

#include "bench-seed.h"

#define N_APPS              5
#define IDLE_MS          1500

/* 20 per App (100 in all) unless BH_BENCH_ACCOUNTS_PER_APP says otherwise,
 * to see what the accounts themselves cost. */
static guint accounts_per_app = 20;
#define ACCOUNTS_PER_APP accounts_per_app
static gint64
read_rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return -1;

  line = strstr (status, "VmRSS:");
  return line != NULL ? g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10) : -1;
}

/* Runs @argv once: milliseconds from spawn to the first frame, and the
 * resident set size after IDLE_MS of idling. */
static void
measure (const char *const *argv,
         char              **envp,
         gboolean            expect_listed,
         double             *ms,
         double             *listed_ms,
         gint64             *rss_kib)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GInputStream) raw = NULL;
  gboolean listed = !expect_listed;
  GPid pid;
  int out_fd;
  gint64 start;
  int status;

  *ms = -1;
  *listed_ms = -1;
  *rss_kib = -1;

  start = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                                 NULL, NULL, &pid, NULL, &out_fd, NULL, &error))
    g_error ("Could not start %s: %s", argv[0], error->message);

  raw = g_unix_input_stream_new (out_fd, TRUE);
  in = g_data_input_stream_new (raw);

  while (*ms < 0 || !listed)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
      const char *mark;

      if (line == NULL)
        break;

      if ((mark = strstr (line, "BH_STARTUP_PROBE mapped=")) != NULL)
        {
          gint64 t = g_ascii_strtoll (mark + strlen ("BH_STARTUP_PROBE mapped="), NULL, 10);

          *ms = (t - start) / 1000.0;
        }
      else if ((mark = strstr (line, "BH_STARTUP_PROBE listed=")) != NULL)
        {
          char *end = NULL;
          gint64 t = g_ascii_strtoll (mark + strlen ("BH_STARTUP_PROBE listed="), &end, 10);

          *listed_ms = (t - start) / 1000.0;
          listed = TRUE;
          {
            g_autofree char *expected = g_strdup_printf (" accounts=%u", N_APPS * ACCOUNTS_PER_APP);

            if (strstr (end, expected) == NULL)
              g_error ("Birdhouse listed the wrong records: %s", end);
          }
        }
    }

  g_usleep (IDLE_MS * 1000);
  *rss_kib = read_rss_kib (pid);

  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);

  if (*ms < 0)
    g_error ("%s never reported its first frame", argv[0]);
  if (!listed)
    g_error ("%s never listed its records", argv[0]);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *tmp = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *records = NULL;
  g_auto(GStrv) envp = NULL;
  guint runs;
  double *bh_ms, *bh_listed, *floor_ms, *bh_rss, *floor_rss;
  double bh_ms_m, floor_ms_m, bh_rss_m, floor_rss_m;

  if (argc < 3)
    {
      g_printerr ("Usage: %s BIRDHOUSE BENCH_FLOOR [RUNS]\n", argv[0]);
      return 2;
    }

  if (g_getenv ("BH_BENCH_ACCOUNTS_PER_APP") != NULL)
    accounts_per_app = atoi (g_getenv ("BH_BENCH_ACCOUNTS_PER_APP"));

  runs = argc > 3 ? (guint) atoi (argv[3]) : 7;
  if (runs == 0)
    runs = 7;

  tmp = g_dir_make_tmp ("bench-startup-XXXXXX", NULL);
  data_home = g_build_filename (tmp, "data", NULL);
  records = bench_seed_records (data_home, N_APPS, ACCOUNTS_PER_APP);

  bench_seed_keyring (N_APPS, ACCOUNTS_PER_APP);

  envp = g_get_environ ();
  /* Figures, not checks: a stray warning must not abort a run. */
  envp = g_environ_unsetenv (envp, "G_DEBUG");
  envp = g_environ_unsetenv (envp, "MALLOC_CHECK_");
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", data_home, TRUE);
  envp = g_environ_setenv (envp, "BH_STARTUP_PROBE", "1", TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "memory", TRUE);
  envp = g_environ_unsetenv (envp, "G_MESSAGES_DEBUG");

  bh_ms = g_new0 (double, runs);
  bh_listed = g_new0 (double, runs);
  floor_ms = g_new0 (double, runs);
  bh_rss = g_new0 (double, runs);
  floor_rss = g_new0 (double, runs);

  /* One warm-up of each so that both start from a warm page cache. */
  {
    const char *floor_argv[] = { argv[2], NULL };
    const char *bh_argv[] = { argv[1], NULL };
    double ms, listed;
    gint64 rss;

    measure (floor_argv, envp, FALSE, &ms, &listed, &rss);
    measure (bh_argv, envp, TRUE, &ms, &listed, &rss);
  }

  /* Alternate, so that drift on the machine hits both alike. */
  for (guint i = 0; i < runs; i++)
    {
      const char *floor_argv[] = { argv[2], NULL };
      const char *bh_argv[] = { argv[1], NULL };
      double unused;
      gint64 rss;

      measure (floor_argv, envp, FALSE, &floor_ms[i], &unused, &rss);
      floor_rss[i] = rss;
      measure (bh_argv, envp, TRUE, &bh_ms[i], &bh_listed[i], &rss);
      bh_rss[i] = rss;
      g_print ("# run %u: birdhouse %.1f ms (records listed at %.1f ms) %.0f KiB, floor %.1f ms %.0f KiB\n",
               i + 1, bh_ms[i], bh_listed[i], bh_rss[i], floor_ms[i], floor_rss[i]);
    }

  bh_ms_m = median (bh_ms, runs);
  floor_ms_m = median (floor_ms, runs);
  bh_rss_m = median (bh_rss, runs);
  floor_rss_m = median (floor_rss, runs);

  g_print ("# %u Apps, %u accounts in %s; medians of %u runs\n",
           N_APPS, N_APPS * ACCOUNTS_PER_APP, records, runs);
  g_print ("# records listed (median): %.1f ms after exec\n", median (bh_listed, runs));
  g_print ("birdhouse_ms=%.1f floor_ms=%.1f startup_ratio=%.2f\n",
           bh_ms_m, floor_ms_m, bh_ms_m / floor_ms_m);
  g_print ("birdhouse_rss_kib=%.0f floor_rss_kib=%.0f rss_ratio=%.2f\n",
           bh_rss_m, floor_rss_m, bh_rss_m / floor_rss_m);

  g_unlink (records);
  g_free (bh_ms);
  g_free (bh_listed);
  g_free (floor_ms);
  g_free (bh_rss);
  g_free (floor_rss);

  return 0;
}
