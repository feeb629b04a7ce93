/* bench-seed.c
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

/* The benchmarks' Apps and accounts: "Bench App N" with accounts
 * "bench_user_M", in a records file and in the keyring, as a person who
 * uses Birdhouse has them. The secrets are filler. */

#include "config.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "bench-seed.h"

/* bh_store_get_schema()'s; this program links only GLib and libsecret. */
static const SecretSchema bench_schema = {
  "io.github.birdhouse.Birdhouse.Credential", SECRET_SCHEMA_NONE,
  {
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "app-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "consumer-key", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "app-name", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "api-host", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "screen-name", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

char *
bench_seed_records (const char *data_home,
                    guint       n_apps,
                    guint       accounts_per_app)
{
  g_autoptr(GString) s = g_string_new ("[Birdhouse]\nversion=1\n\n");
  g_autofree char *dir = g_build_filename (data_home, "birdhouse", NULL);
  g_autofree char *path = g_build_filename (dir, "records.ini", NULL);
  g_autoptr(GError) error = NULL;

  for (guint a = 0; a < n_apps; a++)
    {
      g_autofree char *app_id = g_strdup_printf ("00000000-0000-4000-8000-%012u", a);

      g_string_append_printf (s,
                              "[App %s]\nname=Bench App %u\nconsumer-key=benchconsumerkey%04u\n"
                              "api-host=https://api.x.com\nhas-bearer=false\n\n",
                              app_id, a, a);

      for (guint u = 0; u < accounts_per_app; u++)
        {
          guint user = a * accounts_per_app + u;

          g_string_append_printf (s,
                                  "[Account %s %u]\nscreen-name=bench_user_%u\nname=Bench User %u\n"
                                  "access-level=read-write\nauthorized-at=2026-01-02T03:04:05Z\n"
                                  "verified-at=2026-01-02T03:04:05Z\nstate=ok\n\n",
                                  app_id, 100000 + user, user, user);
        }
    }

  g_mkdir_with_parents (dir, 0700);
  if (!g_file_set_contents (path, s->str, s->len, &error))
    g_error ("%s", error->message);

  return g_steal_pointer (&path);
}

static void
store_item (const char *kind,
            guint       app,
            guint       user)
{
  g_autofree char *app_id = g_strdup_printf ("00000000-0000-4000-8000-%012u", app);
  g_autofree char *app_name = g_strdup_printf ("Bench App %u", app);
  g_autofree char *consumer_key = g_strdup_printf ("benchconsumerkey%04u", app);
  g_autofree char *user_id = g_strdup_printf ("%u", 100000 + user);
  g_autofree char *screen_name = g_strdup_printf ("bench_user_%u", user);
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) kind);
  g_hash_table_insert (attributes, (gpointer) "app-id", app_id);
  g_hash_table_insert (attributes, (gpointer) "consumer-key", consumer_key);
  g_hash_table_insert (attributes, (gpointer) "app-name", app_name);
  g_hash_table_insert (attributes, (gpointer) "api-host", (gpointer) "https://api.x.com");
  if (g_str_equal (kind, "user"))
    {
      g_hash_table_insert (attributes, (gpointer) "user-id", user_id);
      g_hash_table_insert (attributes, (gpointer) "screen-name", screen_name);
    }

  /* Not real secrets: benchmark filler. */
  if (!secret_password_storev_sync (&bench_schema, attributes, SECRET_COLLECTION_SESSION,
                                    "Birdhouse benchmark item",
                                    g_str_equal (kind, "user") ? "bench-token\nbench-token-secret" : "bench-secret",
                                    NULL, &error))
    g_error ("Could not store the benchmark's credentials in the keyring: %s", error->message);
}

/* What the records list, in the keyring (the store's schema and
 * attributes, README "Where your credentials are kept"). */
void
bench_seed_keyring (guint n_apps,
                    guint accounts_per_app)
{
  for (guint a = 0; a < n_apps; a++)
    {
      store_item ("app", a, 0);
      for (guint u = 0; u < accounts_per_app; u++)
        store_item ("user", a, a * accounts_per_app + u);
    }
}

