/* bench-store.c
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

/* What the first window waits for (reading the records and listing every
 * App and account) against the keyring reconcile that follows it, with
 * 1,000 Apps of 10 accounts each. Run it inside a keyring session:
 *
 *   tests/bh-test-session.sh _build/tests/bench-store
 *
 * The records file is written directly; the 11,000 keyring items go to the
 * session collection (in memory), because gnome-keyring rewrites the whole
 * login keyring file on every store, which would make creating them take
 * quadratic time. The store's one search covers every collection, so the
 * reconcile sees and matches them all.
 *
 * An argument sets another number of Apps (for a quick run). */

#include "config.h"

#include <libsecret/secret.h>

#include "bh-store.h"

#define N_APPS     1000
#define N_ACCOUNTS 10
#define BATCH      16

typedef struct
{
  GPtrArray *pending;  /* attribute tables still to store */
  guint      in_flight;
  guint      stored;
  GError    *error;
} Filler;

static void fill_next (Filler *filler);

static void
item_stored (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Filler *filler = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error) && filler->error == NULL)
    filler->error = g_steal_pointer (&error);

  filler->in_flight--;
  filler->stored++;
  fill_next (filler);
}

static void
fill_next (Filler *filler)
{
  while (filler->in_flight < BATCH && filler->pending->len > 0)
    {
      g_autoptr(GHashTable) attributes = g_ptr_array_steal_index_fast (filler->pending, filler->pending->len - 1);

      filler->in_flight++;
      secret_password_storev (bh_store_get_schema (), attributes, SECRET_COLLECTION_SESSION,
                              "Birdhouse benchmark item", "bench-not-a-real-secret",
                              NULL, item_stored, filler);
    }
}

static GHashTable *
attributes_new (const char *kind,
                const char *app_id,
                const char *app_name,
                const char *user_id,
                const char *screen_name)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "kind", g_strdup (kind));
  g_hash_table_insert (attributes, (gpointer) "app-id", g_strdup (app_id));
  g_hash_table_insert (attributes, (gpointer) "consumer-key", g_strdup ("bench-consumer-key"));
  g_hash_table_insert (attributes, (gpointer) "app-name", g_strdup (app_name));
  g_hash_table_insert (attributes, (gpointer) "api-host", g_strdup (BH_DEFAULT_API_HOST));
  if (user_id != NULL)
    {
      g_hash_table_insert (attributes, (gpointer) "user-id", g_strdup (user_id));
      g_hash_table_insert (attributes, (gpointer) "screen-name", g_strdup (screen_name));
    }

  return attributes;
}

static void
loaded_changed (GObject    *object,
                GParamSpec *pspec,
                gint64     *when)
{
  *when = g_get_monotonic_time ();
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

int
main (int   argc,
      char *argv[])
{
  const char *tmp = g_getenv ("BH_TEST_TMPDIR");
  g_autofree char *dir = g_build_filename (tmp ? tmp : g_get_tmp_dir (), "bench-store", NULL);
  g_autofree char *path = g_build_filename (dir, "records.ini", NULL);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *data = NULL;
  Filler filler = { 0 };
  gint64 start, loaded_at = 0, status_at = 0, listed_at, done_at;
  guint n_apps = 0, n_accounts = 0, n_ok = 0;
  guint n_wanted = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : N_APPS;
  gsize len;

  filler.pending = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  g_key_file_set_integer (key_file, "Birdhouse", "version", 1);

  for (guint i = 0; i < n_wanted; i++)
    {
      g_autofree char *app_id = g_uuid_string_random ();
      g_autofree char *name = g_strdup_printf ("Bench App %04u", i);
      g_autofree char *group = g_strconcat ("App ", app_id, NULL);

      g_key_file_set_string (key_file, group, "name", name);
      g_key_file_set_string (key_file, group, "consumer-key", "bench-consumer-key");
      g_key_file_set_string (key_file, group, "api-host", BH_DEFAULT_API_HOST);
      g_key_file_set_boolean (key_file, group, "has-bearer", FALSE);
      g_ptr_array_add (filler.pending, attributes_new ("app", app_id, name, NULL, NULL));

      for (guint j = 0; j < N_ACCOUNTS; j++)
        {
          g_autofree char *user_id = g_strdup_printf ("%u", 100000 + i * N_ACCOUNTS + j);
          g_autofree char *screen_name = g_strdup_printf ("user_%u_%u", i, j);
          g_autofree char *account_group = g_strconcat ("Account ", app_id, " ", user_id, NULL);

          g_key_file_set_string (key_file, account_group, "screen-name", screen_name);
          g_key_file_set_string (key_file, account_group, "name", "Bench User");
          g_key_file_set_string (key_file, account_group, "access-level", "read-write");
          g_key_file_set_string (key_file, account_group, "authorized-at", "2026-01-02T10:00:00Z");
          g_key_file_set_string (key_file, account_group, "state", "ok");
          g_ptr_array_add (filler.pending, attributes_new ("user", app_id, name, user_id, screen_name));
        }
    }

  g_mkdir_with_parents (dir, 0700);
  data = g_key_file_to_data (key_file, &len, NULL);
  if (!g_file_set_contents (path, data, len, &error))
    g_error ("%s", error->message);

  g_print ("# storing %u keyring items in batches of %u...\n", filler.pending->len, BATCH);
  start = g_get_monotonic_time ();
  fill_next (&filler);
  while (filler.in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  if (filler.error != NULL)
    g_error ("Storing the benchmark items failed: %s", filler.error->message);
  g_print ("# stored %u items in %.1f s\n", filler.stored, (g_get_monotonic_time () - start) / 1e6);

  store = bh_store_new (path);
  g_signal_connect (store, "notify::loaded", G_CALLBACK (loaded_changed), &loaded_at);
  g_signal_connect (store, "notify::keyring-status", G_CALLBACK (loaded_changed), &status_at);

  start = g_get_monotonic_time ();
  bh_store_load_async (store, NULL, load_done, &result);
  while (loaded_at == 0)
    g_main_context_iteration (NULL, TRUE);

  /* What a first window does with the list: read every row. */
  n_apps = g_list_model_get_n_items (G_LIST_MODEL (store));
  for (guint i = 0; i < n_apps; i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (store), i);
      GListModel *accounts = bh_app_get_accounts (app);
      guint n = g_list_model_get_n_items (accounts);

      g_assert_nonnull (bh_app_get_name (app));
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(BhAccount) account = g_list_model_get_item (accounts, j);

          g_assert_nonnull (bh_account_get_screen_name (account));
          n_accounts++;
        }
    }
  listed_at = g_get_monotonic_time ();

  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  done_at = g_get_monotonic_time ();
  if (!bh_store_load_finish (store, result, &error))
    g_error ("Loading failed: %s", error->message);

  for (guint i = 0; i < n_apps; i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (store), i);
      GListModel *accounts = bh_app_get_accounts (app);

      for (guint j = 0; j < g_list_model_get_n_items (accounts); j++)
        {
          g_autoptr(BhAccount) account = g_list_model_get_item (accounts, j);

          n_ok += bh_account_get_state (account) == BH_ACCOUNT_STATE_OK;
        }
    }

  g_print ("apps=%u accounts=%u\n", n_apps, n_accounts);
  g_print ("records_load_ms=%.1f\n", (loaded_at - start) / 1e3);
  g_print ("list_ms=%.1f\n", (listed_at - loaded_at) / 1e3);
  g_print ("keyring_status_known_ms=%.1f\n", (status_at - listed_at) / 1e3);
  g_print ("keyring_reconcile_ms=%.1f\n", (done_at - listed_at) / 1e3);
  g_print ("# keyring status %d, accounts matched to their tokens: %u\n",
           bh_store_get_keyring_status (store), n_ok);

  g_ptr_array_unref (filler.pending);
  return 0;
}
