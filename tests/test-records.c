/* test-records.c
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

/* The records file shared by several processes (stores in this process
 * and `birdhouse` commands at once), its limits, how names match, what a
 * damaged file's text may put in a sentence, and changes made while the
 * first load is still reading the keyring. Against the real gnome-keyring
 * of the private session. */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "bh-store.h"
#include "bh-secret.h"
#include "bh-test-utils.h"

#define TIMEOUT 30

#define KEY      "test-consumer-key-0123456789"
#define SECRET   "test-consumer-secret-abcdefghijklmnopqrstuvwxyz0123"
#define TOKEN    "1001-testaccesstokenABCDEFGHIJKLMNOPQRSTU"
#define TSECRET  "testtokensecretabcdefghijklmnopqrstuvwxyz012"
#define BEARER   "AAAAAAAAAAAAAAAAAAAAAtestbearertokenxyz%2Fabc"

/* Helpers ------------------------------------------------------------------ */

static void
reset_keyring (void)
{
  g_autoptr(GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  secret_password_clearv_sync (bh_store_get_schema (), none, NULL, &error);
  g_assert_no_error (error);
}

/* A records file of the test's own, in a folder of its own; the keyring
 * starts with no Birdhouse item. */
static char *
test_records_path (const char *name)
{
  const char *tmp = g_getenv ("BH_TEST_TMPDIR");

  reset_keyring ();
  g_assert_nonnull (tmp);
  return g_build_filename (tmp, "data", "records-tests", name, "records.ini", NULL);
}

static BhStore *
load_store (const char  *path,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  BhStore *store = bh_store_new (path);

  bh_store_load_async (store, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  bh_store_load_finish (store, result, error);

  return store;
}

static BhApp *
add_app (BhStore     *store,
         const char  *name,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_add_app_async (store, name, KEY, SECRET, NULL, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  return bh_store_add_app_finish (store, result, error);
}

static gboolean
update_app (BhStore     *store,
            BhApp       *app,
            const char  *name,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_update_app_async (store, app, name, bh_app_get_consumer_key (app), NULL,
                             bh_app_get_api_host (app), NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  return bh_store_update_app_finish (store, result, error);
}

static gboolean
remove_app (BhStore  *store,
            BhApp    *app,
            GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_remove_app_async (store, app, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  return bh_store_remove_app_finish (store, result, error);
}

static gboolean
set_bearer (BhStore     *store,
            BhApp       *app,
            const char  *bearer,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_set_bearer_async (store, app, bearer, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  return bh_store_set_bearer_finish (store, result, error);
}

static BhAccount *
save_account (BhStore     *store,
              BhApp       *app,
              const char  *user_id,
              const char  *screen_name,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_save_account_async (store, app, user_id, screen_name, NULL, "read-write",
                               TOKEN, TSECRET, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  return bh_store_save_account_finish (store, result, error);
}

/* How many Birdhouse keyring items have this attribute. */
static guint
count_items (const char *name,
             const char *value)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  g_hash_table_insert (attributes, (gpointer) name, (gpointer) value);
  items = secret_password_searchv_sync (bh_store_get_schema (), attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

static void
write_file (const char *path,
            const char *contents,
            gssize      len)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static gboolean
has_aside (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;

  while (d != NULL && (entry = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (entry, "records.ini.damaged-"))
      return TRUE;

  return FALSE;
}

typedef gboolean (*Condition) (gpointer data);

/* Iterates the main loop until @condition holds; returns how long that
 * took in milliseconds, failing the test after @timeout_ms. */
static gint64
wait_until (Condition condition,
            gpointer  data,
            gint64    timeout_ms)
{
  gint64 start = g_get_monotonic_time ();

  while (!condition (data))
    {
      if (g_get_monotonic_time () - start > timeout_ms * 1000)
        g_error ("Not within %" G_GINT64_FORMAT " ms", timeout_ms);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return (g_get_monotonic_time () - start) / 1000;
}

static gboolean
store_has (gpointer data)
{
  gpointer *args = data;

  return bh_store_find_app (args[0], args[1]) != NULL;
}

static gboolean
store_lacks (gpointer data)
{
  return !store_has (data);
}

static gboolean
app_named (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (bh_app_get_name (args[0]), args[1]) == 0;
}

static gboolean
app_has_bearer (gpointer data)
{
  return bh_app_get_has_bearer (data);
}

static BhStore *
reload (const char *path)
{
  g_autoptr(GError) error = NULL;
  BhStore *store = load_store (path, &error);

  g_assert_no_error (error);
  return store;
}

/* Runs `birdhouse ARGS…` with @input on standard input; returns its exit
 * status. */
static int
run_birdhouse (const char  *input,
               char       **err,
               const char  *first_arg,
               ...) G_GNUC_NULL_TERMINATED;

static int
run_birdhouse (const char  *input,
               char       **err,
               const char  *first_arg,
               ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *errors = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("BH_BIRDHOUSE"));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_nonnull (argv->pdata[0]);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, &errors, &error);
  g_assert_no_error (error);
  if (err != NULL)
    *err = g_steal_pointer (&errors);

  return g_subprocess_get_exit_status (process);
}

/* Several processes ----------------------------------------------------------- */

/* Two stores on one file stand for two processes: each has its own lock
 * descriptor, and flock() excludes them from each other as it would two
 * processes. */
static void
test_merge (void)
{
  g_autofree char *path = test_records_path ("merge");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) a = reload (path);
  g_autoptr(BhStore) b = reload (path);
  g_autoptr(BhStore) check = NULL;
  g_autoptr(BhApp) from_a = NULL;
  g_autoptr(BhApp) from_b = NULL;
  g_autoptr(BhApp) stale = NULL;
  g_autofree char *from_a_id = NULL;
  gpointer a_has_b[2] = { a, (gpointer) "From B" };
  gpointer b_has_a[2] = { b, (gpointer) "From A" };
  gpointer b_lacks_a[2] = { b, (gpointer) "From A" };
  gpointer renamed[2] = { NULL, (gpointer) "From B, renamed" };
  BhApp *b_in_a;
  gint64 ms;

  from_a = add_app (a, "From A", &error);
  g_assert_no_error (error);
  from_b = add_app (b, "From B", &error);
  g_assert_no_error (error);
  from_a_id = g_strdup (bh_app_get_id (from_a));

  /* Neither write undid the other (the file itself: a load would
   * restore a lost record from the keyring, and hide the loss). */
  {
    g_autofree char *contents = read_file (path);

    g_assert_nonnull (strstr (contents, "name=From A\n"));
    g_assert_nonnull (strstr (contents, "name=From B\n"));
  }

  /* Each store follows the other's change, within a second. */
  ms = wait_until (store_has, a_has_b, 1000);
  g_test_message ("A saw B's App after %" G_GINT64_FORMAT " ms", ms);
  wait_until (store_has, b_has_a, 1000);

  /* A change by B updates A's object in place: a selection survives. */
  b_in_a = bh_store_find_app (a, "From B");
  g_assert_true (update_app (b, from_b, "From B, renamed", &error));
  g_assert_no_error (error);
  renamed[0] = b_in_a;
  wait_until (app_named, renamed, 1000);
  g_assert_true (bh_store_find_app (a, "From B, renamed") == b_in_a);

  /* A removes its App while B still holds it: B's next changes never
   * bring it back, in the file, the keyring or B's list. */
  stale = g_object_ref (bh_store_find_app (b, "From A"));
  g_assert_true (remove_app (a, from_a, &error));
  g_assert_no_error (error);
  g_assert_false (set_bearer (b, stale, BEARER, &error));
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (set_bearer (b, from_b, BEARER, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items ("app-id", from_a_id), ==, 0);
  wait_until (store_lacks, b_lacks_a, 1000);

  check = reload (path);
  g_assert_null (bh_store_find_app (check, "From A"));
  g_assert_null (bh_store_find_app (check, from_a_id));
  g_assert_true (bh_app_get_has_bearer (bh_store_find_app (check, "From B, renamed")));
  wait_until (app_has_bearer, b_in_a, 1000);

  g_assert_finalize_object (g_steal_pointer (&check));
  g_clear_object (&stale);
  g_clear_object (&from_a);
  g_clear_object (&from_b);
  g_assert_finalize_object (g_steal_pointer (&b));
  g_assert_finalize_object (g_steal_pointer (&a));
}

/* The same with real processes: `birdhouse app add` and `app remove` while
 * this store is open. */
static void
test_follow_other_process (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = NULL;
  g_autoptr(BhApp) mine = NULL;
  g_autofree char *err = NULL;
  gpointer has_outside[2] = { NULL, (gpointer) "outside" };
  gpointer lacks_outside[2] = { NULL, (gpointer) "Outside" };
  BhApp *outside;
  gint64 ms;

  /* The command line uses $XDG_DATA_HOME/birdhouse/records.ini. */
  reset_keyring ();
  path = g_build_filename (g_get_user_data_dir (), "birdhouse", "records.ini", NULL);
  store = reload (path);
  has_outside[0] = lacks_outside[0] = store;
  mine = add_app (store, "Mine", &error);
  g_assert_no_error (error);

  g_assert_cmpint (run_birdhouse (SECRET "\n", &err, "app", "add", "Outside", "--consumer-key", KEY, NULL),
                   ==, 0);
  ms = wait_until (store_has, has_outside, 1000);
  g_test_message ("The store showed the App added by `birdhouse app add` after %" G_GINT64_FORMAT " ms", ms);
  outside = bh_store_find_app (store, "Outside");
  g_assert_true (bh_app_get_has_secret (outside));
  g_assert_true (bh_store_find_app (store, "Mine") == mine);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_birdhouse (NULL, &err, "app", "remove", "outside", NULL), ==, 0);
  wait_until (store_lacks, lacks_outside, 1000);
  g_assert_true (bh_store_find_app (store, "Mine") == mine);

  g_assert_true (remove_app (store, mine, &error));
  g_clear_object (&mine);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Loading again (the keyring banner's Retry) keeps the objects, so that
 * the window keeps its selection and pages. */
static void
test_load_again_keeps_objects (void)
{
  g_autofree char *path = test_records_path ("load-again");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = reload (path);
  g_autoptr(BhStore) other = reload (path);
  g_autoptr(BhApp) kept = add_app (store, "Kept", &error);
  g_autoptr(BhApp) added = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BhAccount) account = save_account (store, kept, "1001", "alice", &error);

  g_assert_no_error (error);
  added = add_app (other, "Added Elsewhere", &error);
  g_assert_no_error (error);

  bh_store_load_async (store, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  g_assert_true (bh_store_load_finish (store, result, &error));
  g_assert_no_error (error);

  g_assert_true (bh_store_find_app (store, "Kept") == kept);
  g_assert_true (bh_app_find_account (kept, "alice") == account);
  g_assert_nonnull (bh_store_find_app (store, "Added Elsewhere"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  g_clear_object (&added);
  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&other));
  g_clear_object (&account);
  g_clear_object (&kept);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static gboolean
wake_cb (gpointer user_data)
{
  guint *id = user_data;

  *id = 0;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop, blocking, until @ms passed: the last source
 * dispatched is the first one due after that (here, the pause before a
 * re-read of the file). On a loaded machine the re-read may have run
 * already, leaving nothing due: a second later the loop wakes anyway
 * (it used to block until the test timed out). */
static void
spin_until_due (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  guint wake_id = 0;

  wake_id = g_timeout_add (ms + 1000, wake_cb, &wake_id);
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_clear_handle_id (&wake_id, g_source_remove);
}

/* A store following the file does not keep itself alive: let go while it
 * re-reads the file (or is about to), it is finalized at once. */
static void
test_let_go_while_following (void)
{
  g_autofree char *path = test_records_path ("let-go");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) writer = reload (path);

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(BhStore) watcher = reload (path);
      g_autofree char *name = g_strdup_printf ("Written %u", i);
      g_autoptr(BhApp) app = add_app (writer, name, &error);

      g_assert_no_error (error);
      /* Right after the re-read started, or before it is due. */
      if (i > 0)
        spin_until_due (40);
      g_assert_finalize_object (g_steal_pointer (&watcher));
    }

  /* The re-reads in flight end without a store to report to. */
  spin (200);
  g_assert_finalize_object (g_steal_pointer (&writer));
}

/* Names ------------------------------------------------------------------------ */

#define CAFE_NFC "Caf\xc3\xa9"
#define CAFE_NFD "Cafe\xcc\x81"
#define EBENE_NFD "E\xcc\x81" "be\xcc\x80" "ne"
#define EBENE_NFC "\xc3\x89" "b\xc3\xa8" "ne"

static void
test_names (void)
{
  g_autofree char *path = test_records_path ("names");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = reload (path);
  g_autoptr(BhApp) cafe = NULL;
  g_autoptr(BhApp) other = NULL;
  g_autoptr(BhApp) ebene = NULL;

  cafe = add_app (store, CAFE_NFC, &error);
  g_assert_no_error (error);

  /* The same name in another normalization, or case, is the same App. */
  other = add_app (store, CAFE_NFD, &error);
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_EXISTS);
  g_assert_null (other);
  g_clear_error (&error);
  other = add_app (store, "CAF\xc3\x89", &error);
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  /* One rule finds it, whatever was typed. */
  g_assert_true (bh_store_find_app (store, CAFE_NFC) == cafe);
  g_assert_true (bh_store_find_app (store, CAFE_NFD) == cafe);
  g_assert_true (bh_store_find_app (store, "cafe\xcc\x81") == cafe);
  g_assert_true (bh_store_find_app (store, "CAF\xc3\x89") == cafe);
  g_assert_null (bh_store_find_app (store, "Cafe"));

  /* Kept in NFC, whatever was typed. */
  ebene = add_app (store, EBENE_NFD, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bh_app_get_name (ebene), ==, EBENE_NFC);
  g_assert_true (update_app (store, ebene, CAFE_NFD " 2", &error));
  g_assert_cmpstr (bh_app_get_name (ebene), ==, CAFE_NFC " 2");
  g_assert_false (update_app (store, ebene, "caf\xc3\xa9", &error));
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (remove_app (store, cafe, &error));
  g_assert_true (remove_app (store, ebene, &error));
  g_clear_object (&cafe);
  g_clear_object (&ebene);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *count)
{
  (*count)++;
}

/* A rename moves the App in the sorted list with one items-changed, never
 * a removal first: a view would lose its row (and its selection). */
static void
test_rename_moves_once (void)
{
  g_autofree char *path = test_records_path ("rename");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = reload (path);
  const char *names[] = { "Bravo", "Charlie", "Delta", "Echo" };
  const char *expected[] = { "Alpha", "Bravo", "Charlie", "Echo" };
  g_autoptr(BhApp) delta = NULL;
  guint changes = 0;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(BhApp) app = add_app (store, names[i], &error);

      g_assert_no_error (error);
      if (g_str_equal (names[i], "Delta"))
        delta = g_object_ref (app);
    }

  g_signal_connect (store, "items-changed", G_CALLBACK (count_changes), &changes);
  g_assert_true (update_app (store, delta, "Alpha", &error));
  g_assert_cmpuint (changes, ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_assert_cmpstr (bh_app_get_name (app), ==, expected[i]);
    }
  g_signal_handlers_disconnect_by_func (store, count_changes, &changes);

  g_clear_object (&delta);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* Limits ------------------------------------------------------------------------ */

static char *
records_with_apps (guint n_apps,
                   guint n_accounts)
{
  GString *text = g_string_new ("[Birdhouse]\nversion=1\n");

  for (guint i = 0; i < n_apps; i++)
    {
      g_string_append_printf (text,
                              "\n[App 0000bbbb-0000-4000-8000-%012u]\nname=Bulk %u\nconsumer-key=" KEY "\n"
                              "api-host=https://api.x.com\n",
                              i, i);
      for (guint j = 0; i == 0 && j < n_accounts; j++)
        g_string_append_printf (text,
                                "\n[Account 0000bbbb-0000-4000-8000-%012u %u]\nscreen-name=user%u\n"
                                "state=ok\n",
                                i, 5000 + j, j);
    }

  return g_string_free (text, FALSE);
}

static void
assert_refused_untouched (const char *path,
                          const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = load_store (path, &error);
  g_autoptr(BhApp) added = NULL;
  g_autofree char *after = NULL;
  gboolean loaded = TRUE;

  /* Refused with a sentence naming the file, neither read nor moved. */
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT);
  g_assert_nonnull (strstr (error->message, path));
  g_test_message ("%s", error->message);
  g_object_get (store, "loaded", &loaded, NULL);
  g_assert_false (loaded);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_clear_error (&error);

  /* Nor written over by an add, whose secret does not stay behind. */
  added = add_app (store, "Over The Limit", &error);
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT);
  g_assert_null (added);
  g_assert_cmpuint (count_items ("app-name", "Over The Limit"), ==, 0);

  after = read_file (path);
  g_assert_true (g_str_equal (after, contents));
  g_assert_false (has_aside (path));

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_limits (void)
{
  g_autofree char *path = test_records_path ("limits");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = reload (path);
  g_autoptr(BhApp) app = NULL;
  g_autoptr(BhAccount) account = NULL;
  g_autofree char *long_name = g_strnfill (BH_STORE_MAX_NAME_LENGTH + 1, 'x');
  g_autofree char *huge_name = g_strnfill (100000, 'y');
  g_autofree char *huge = NULL;
  g_autofree char *many = NULL;
  g_autofree char *full = NULL;
  g_autofree char *crowded = NULL;

  /* Names: at most 100 characters (not bytes). */
  app = add_app (store, long_name, &error);
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT);
  g_assert_nonnull (strstr (error->message, "100"));
  g_clear_error (&error);
  app = add_app (store, huge_name, &error);
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT);
  g_clear_error (&error);
  long_name[BH_STORE_MAX_NAME_LENGTH] = '\0';
  app = add_app (store, long_name, &error);
  g_assert_no_error (error);
  g_clear_object (&app);
  {
    GString *accented = g_string_new (NULL);

    for (guint i = 0; i < BH_STORE_MAX_NAME_LENGTH; i++)
      g_string_append (accented, "\xc3\xa9");
    app = add_app (store, accented->str, &error);
    g_assert_no_error (error);
    g_assert_true (update_app (store, app, "Short Again", &error));
    g_assert_false (update_app (store, app, huge_name, &error));
    g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT);
    g_assert_cmpstr (bh_app_get_name (app), ==, "Short Again");
    g_clear_error (&error);
    g_string_free (accented, TRUE);
  }
  g_assert_finalize_object (g_steal_pointer (&store));
  g_clear_object (&app);

  /* A records file over 4 MiB is refused at load, and left as it is. */
  g_free (path);
  path = test_records_path ("limits-size");
  huge = g_strnfill (BH_STORE_MAX_RECORDS_SIZE + 1, '#');
  memcpy (huge, "[Birdhouse]\nversion=1\n", strlen ("[Birdhouse]\nversion=1\n"));
  huge[strlen ("[Birdhouse]\nversion=1\n")] = '#';
  write_file (path, huge, -1);
  assert_refused_untouched (path, huge);

  /* More Apps than 1,000, or accounts to an App, the same. */
  g_free (path);
  path = test_records_path ("limits-apps");
  many = records_with_apps (BH_STORE_MAX_APPS + 1, 0);
  write_file (path, many, -1);
  assert_refused_untouched (path, many);

  g_free (path);
  path = test_records_path ("limits-accounts");
  crowded = records_with_apps (1, BH_STORE_MAX_ACCOUNTS_PER_APP + 1);
  write_file (path, crowded, -1);
  assert_refused_untouched (path, crowded);

  /* At the limits: read, but nothing more is added, and the secrets of
   * what was refused do not stay behind. */
  g_free (path);
  path = test_records_path ("limits-full");
  full = records_with_apps (BH_STORE_MAX_APPS, BH_STORE_MAX_ACCOUNTS_PER_APP);
  write_file (path, full, -1);
  store = reload (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, BH_STORE_MAX_APPS);
  app = add_app (store, "One Too Many", &error);
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT);
  g_assert_nonnull (strstr (error->message, "1000"));
  g_clear_error (&error);
  g_assert_cmpuint (count_items ("app-name", "One Too Many"), ==, 0);
  account = save_account (store, bh_store_find_app (store, "Bulk 0"), "999999", "newcomer", &error);
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT);
  g_assert_null (account);
  g_clear_error (&error);
  g_assert_cmpuint (count_items ("user-id", "999999"), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (bh_store_find_app (store, "Bulk 0"))),
                    ==, BH_STORE_MAX_ACCOUNTS_PER_APP);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* Messages --------------------------------------------------------------------- */

static void
assert_safe_message (const char *message)
{
  g_assert_true (g_utf8_validate (message, -1, NULL));
  for (const char *p = message; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        g_error ("U+%04X in the message: %s", c, message);
    }
}

static void
test_damaged_text (void)
{
  static const char *damaged[] = {
    /* Not a key file; the line is quoted, with an escape sequence. */
    "[Birdhouse]\nversion=1\nrm -rf \x1b[31mred\x1b[0m \x07\n",
    /* An unknown section whose name has a C1 CSI and a bidi override. */
    "[Birdhouse]\nversion=1\n[Bogus \xc2\x9b" "31m \xe2\x80\xae" "evil]\nx=1\n",
    /* Not UTF-8. */
    "[Birdhouse]\nversion=1\n[Bogus \xff\xfe\x80]\nx=1\n",
    /* An API host with a bidi override, quoted by the check. */
    "[Birdhouse]\nversion=1\n[App 1]\nname=x\nconsumer-key=" KEY "\napi-host=ftp://\xe2\x80\xae" "evil\n",
    /* A record of an account with a control character. */
    "[Birdhouse]\nversion=1\n[App 1]\nname=x\nconsumer-key=" KEY "\napi-host=https://api.x.com\n"
    "[Account 1 \xc2\x85" "2]\nscreen-name=x\nstate=ok\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      g_autofree char *name = g_strdup_printf ("damaged-text-%u", i);
      g_autofree char *path = test_records_path (name);
      g_autoptr(GError) error = NULL;
      g_autoptr(BhStore) store = NULL;

      write_file (path, damaged[i], -1);
      store = load_store (path, &error);
      g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED);
      g_test_message ("%s", error->message);
      assert_safe_message (error->message);
      g_assert_finalize_object (g_steal_pointer (&store));
    }
}

/* Changes while the first load is in flight ---------------------------------- */

/* On the Secret Service the scan of 600 items lasts long enough for the
 * changes to race it. libsecret's file backend (Flatpak) scans in memory
 * and rewrites the whole file at every write, so there fewer items give
 * the same races in a sane time (under ASan too). */
#define N_BULK (bh_test_file_backend () ? 100u : 600u)

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (bh_store_load_finish (BH_STORE (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

typedef struct
{
  guint     pending;
  GPtrArray *apps;
} Batch;

static void
batch_added_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(GError) error = NULL;
  BhApp *app = bh_store_add_app_finish (BH_STORE (source), result, &error);

  g_assert_no_error (error);
  g_ptr_array_add (batch->apps, app);
  batch->pending--;
}

static void
batch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(GError) error = NULL;

  /* Each _finish of a boolean operation is a g_task_propagate_boolean. */
  g_assert_true (g_task_propagate_boolean (G_TASK (result), &error));
  g_assert_no_error (error);
  batch->pending--;
}

static void
batch_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Batch *batch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhAccount) account = bh_store_save_account_finish (BH_STORE (source), result, &error);

  g_assert_no_error (error);
  g_assert_nonnull (account);
  batch->pending--;
}

static void
batch_wait (Batch *batch)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT * G_USEC_PER_SEC;

  while (batch->pending > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The window lets a person add, edit and remove Apps as soon as the
 * records are listed, while the load is still reading the keyring (which
 * takes seconds with thousands of items). The reconcile that follows must
 * neither bring back what was removed, nor say that what was added has no
 * secret, nor mark the accounts it read; and nothing may log a critical
 * (fatal here). Several changes are in flight at once, as they are when
 * a person clicks while a script runs. */
static void
changes_during_load (const char *path,
                     guint       iteration)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) removed_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BhStore) store = NULL;
  g_autoptr(BhStore) again = NULL;
  g_autofree char *early_name = NULL;
  Batch early = { 1, g_ptr_array_new_with_free_func (g_object_unref) };
  gboolean done = FALSE;
  gboolean loaded = FALSE;
  guint rounds = 0, during = 0;
  BhApp *bulk;

  store = bh_store_new (path);
  bh_store_load_async (store, NULL, load_done_cb, &done);

  /* Even before the records are read (a window presented on a slow disk
   * shows its loading page, and its Add button): queued after the read. */
  early_name = g_strdup_printf ("Early %u", iteration);
  bh_store_add_app_async (store, early_name, KEY, SECRET, NULL, NULL, batch_added_cb, &early);

  while (!done || rounds < 2)
    {
      Batch batch = { 0, g_ptr_array_new_with_free_func (g_object_unref) };
      g_autofree char *race = g_strdup_printf ("Race %u-%u", iteration, rounds);
      g_autofree char *renamed = g_strdup_printf ("Race %u-%u renamed", iteration, rounds);
      g_autofree char *keep = g_strdup_printf ("Keep %u-%u", iteration, rounds);
      BhApp *app, *keeper;

      g_object_get (store, "loaded", &loaded, NULL);
      if (!loaded)
        {
          g_main_context_iteration (NULL, TRUE);
          g_ptr_array_unref (batch.apps);
          continue;
        }

      if (!done)
        during++;

      batch.pending = 2;
      bh_store_add_app_async (store, race, KEY, SECRET, NULL, NULL, batch_added_cb, &batch);
      bh_store_add_app_async (store, keep, KEY, SECRET, NULL, NULL, batch_added_cb, &batch);
      batch_wait (&batch);
      app = bh_store_find_app (store, race);
      keeper = bh_store_find_app (store, keep);
      g_assert_nonnull (app);
      g_assert_nonnull (keeper);

      batch.pending = 4;
      bh_store_update_app_async (store, app, renamed, KEY, NULL, NULL, NULL, batch_done_cb, &batch);
      bh_store_set_bearer_async (store, keeper, BEARER, NULL, batch_done_cb, &batch);
      bh_store_save_account_async (store, keeper, "1001", "alice", NULL, "read", TOKEN, TSECRET,
                                   NULL, batch_saved_cb, &batch);
      bh_store_save_account_async (store, app, "1002", "bob", NULL, "read", TOKEN, TSECRET,
                                   NULL, batch_saved_cb, &batch);
      batch_wait (&batch);

      g_ptr_array_add (removed_ids, g_strdup (bh_app_get_id (app)));
      g_ptr_array_add (kept, g_object_ref (keeper));
      batch.pending = 1;
      bh_store_remove_app_async (store, app, NULL, batch_done_cb, &batch);
      batch_wait (&batch);

      g_ptr_array_unref (batch.apps);
      rounds++;
    }

  g_test_message ("%u rounds of changes, %u of them while the load was in flight", rounds, during);
  g_assert_cmpuint (during, >, 0);

  batch_wait (&early);
  g_assert_true (bh_store_find_app (store, early_name) == early.apps->pdata[0]);
  g_ptr_array_add (kept, g_object_ref (early.apps->pdata[0]));
  g_ptr_array_unref (early.apps);

  for (guint i = 0; i < kept->len; i++)
    {
      BhApp *keeper = kept->pdata[i];

      g_assert_true (bh_store_find_app (store, bh_app_get_id (keeper)) == keeper);
      g_assert_true (bh_app_get_has_secret (keeper));
      g_assert_true (bh_app_get_has_bearer (keeper) == g_str_has_prefix (bh_app_get_name (keeper), "Keep"));
      if (g_str_has_prefix (bh_app_get_name (keeper), "Keep"))
        {
          BhAccount *alice = bh_app_find_account (keeper, "alice");

          g_assert_nonnull (alice);
          g_assert_cmpint (bh_account_get_state (alice), ==, BH_ACCOUNT_STATE_OK);
          g_assert_false (bh_account_get_restored (alice));
        }
      g_assert_false (bh_app_get_restored (keeper));
    }
  for (guint i = 0; i < removed_ids->len; i++)
    {
      g_assert_null (bh_store_find_app (store, removed_ids->pdata[i]));
      g_assert_cmpuint (count_items ("app-id", removed_ids->pdata[i]), ==, 0);
    }
  bulk = bh_store_find_app (store, "Bulk 0");
  g_assert_nonnull (bulk);
  for (guint j = 0; j < N_BULK; j++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (bh_app_get_accounts (bulk), j);

      g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_OK);
    }

  /* And so says the file. */
  again = reload (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (store)));
  for (guint i = 0; i < removed_ids->len; i++)
    g_assert_null (bh_store_find_app (again, removed_ids->pdata[i]));
  for (guint i = 0; i < kept->len; i++)
    g_assert_nonnull (bh_store_find_app (again, bh_app_get_id (kept->pdata[i])));

  g_assert_finalize_object (g_steal_pointer (&again));
  g_ptr_array_set_size (kept, 0);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_changes_during_load (void)
{
  g_autofree char *path = test_records_path ("during-load");
  g_autofree char *records = records_with_apps (1, N_BULK);
  g_autoptr(GError) error = NULL;

  /* Many keyring items make the first load slow. */
  for (guint j = 0; j < N_BULK; j++)
    {
      g_autoptr(GHashTable) attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

      g_hash_table_insert (attributes, (gpointer) "kind", g_strdup ("user"));
      g_hash_table_insert (attributes, (gpointer) "app-id", g_strdup ("0000bbbb-0000-4000-8000-000000000000"));
      g_hash_table_insert (attributes, (gpointer) "user-id", g_strdup_printf ("%u", 5000 + j));
      g_hash_table_insert (attributes, (gpointer) "screen-name", g_strdup_printf ("user%u", j));
      secret_password_storev_sync (bh_store_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                                   "bulk", TOKEN "\n" TSECRET, NULL, &error);
      g_assert_no_error (error);
    }
  write_file (path, records, -1);

  /* A race shows once in many runs: many loads. */
  for (guint i = 0; i < 5; i++)
    changes_during_load (path, i);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/records/merge", test_merge);
  g_test_add_func ("/records/follow-other-process", test_follow_other_process);
  g_test_add_func ("/records/let-go-while-following", test_let_go_while_following);
  g_test_add_func ("/records/load-again-keeps-objects", test_load_again_keeps_objects);
  g_test_add_func ("/records/names", test_names);
  g_test_add_func ("/records/rename-moves-once", test_rename_moves_once);
  g_test_add_func ("/records/limits", test_limits);
  g_test_add_func ("/records/damaged-text", test_damaged_text);
  g_test_add_func ("/records/changes-during-load", test_changes_during_load);

  return g_test_run ();
}
