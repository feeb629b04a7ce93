/* test-store.c
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

/* BhStore against a real gnome-keyring in a private session: round trips,
 * restarts, the in-between states a crash leaves, damaged records, a
 * locked keyring, and (with BH_TEST_NO_KEYRING=1) no Secret Service. */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "bh-app-private.h"
#include "bh-oauth2.h"
#include "bh-store.h"
#include "bh-secret.h"
#include "bh-test-utils.h"

#define TIMEOUT 30

#define KEY      "test-consumer-key-0123456789"
#define SECRET   "test-consumer-secret-abcdefghijklmnopqrstuvwxyz0123"
#define TOKEN    "1001-testaccesstokenABCDEFGHIJKLMNOPQRSTU"
#define TSECRET  "testtokensecretabcdefghijklmnopqrstuvwxyz012"
#define TOKEN2   "1001-secondaccesstokenZYXWVUTSRQPONMLKJIH"
#define TSECRET2 "secondtokensecretzyxwvutsrqponmlkjihgfedcba98"
#define BEARER   "AAAAAAAAAAAAAAAAAAAAAtestbearertokenxyz%2Fabc"
#define CLIENT_ID  "dGVzdC1jbGllbnQtaWQtMDEyMzQ1NjoxOmNp"
#define CLIENT_ID2 "c2Vjb25kLWNsaWVudC1pZC03NjU0MzoxOmNp"
#define CSECRET    "test-client-secret_abcdefghijklmnopqrstuvwxyz-0123"
#define CSECRET2   "second-client-secret_zyxwvutsrqponmlkjihgfedcba-98"

/* Helpers ------------------------------------------------------------------ */

/* Each test starts from a keyring with no Birdhouse item: the store
 * restores whatever it finds there, including other tests' items. */
static void
reset_keyring (void)
{
  g_autoptr(GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  secret_password_clearv_sync (bh_store_get_schema (), none, NULL, &error);
  g_assert_no_error (error);
}

/* A records file of the test's own; called first by every test, it also
 * empties the keyring of Birdhouse items. */
static char *
test_records_path (const char *name)
{
  const char *tmp = g_getenv ("BH_TEST_TMPDIR");

  if (g_getenv ("BH_TEST_NO_KEYRING") == NULL)
    reset_keyring ();

  g_assert_nonnull (tmp);
  return g_build_filename (tmp, "data", "birdhouse-tests", name, "records.ini", NULL);
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
         const char  *key,
         const char  *secret,
         const char  *host,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_add_app_async (store, name, key, secret, host, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  return bh_store_add_app_finish (store, result, error);
}

static BhAccount *
save_account (BhStore    *store,
              BhApp      *app,
              const char *user_id,
              const char *screen_name,
              const char *token,
              const char *token_secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BhAccount *account;

  bh_store_save_account_async (store, app, user_id, screen_name, "Display Name", "read-write",
                               token, token_secret, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  account = bh_store_save_account_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);

  return account;
}

static void
set_bearer (BhStore    *store,
            BhApp      *app,
            const char *bearer)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bh_store_set_bearer_async (store, app, bearer, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  g_assert_true (bh_store_set_bearer_finish (store, result, &error));
  g_assert_no_error (error);
}

static BhSecret *
lookup_consumer_secret (BhStore  *store,
                        BhApp    *app,
                        GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_lookup_consumer_secret_async (store, app, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  return bh_store_lookup_consumer_secret_finish (store, result, error);
}

static BhSecret *
lookup_bearer (BhStore  *store,
               BhApp    *app,
               GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_lookup_bearer_async (store, app, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  return bh_store_lookup_bearer_finish (store, result, error);
}

static gboolean
lookup_tokens (BhStore    *store,
               BhAccount  *account,
               BhSecret  **token,
               BhSecret  **token_secret,
               GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_lookup_account_tokens_async (store, account, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  return bh_store_lookup_account_tokens_finish (store, result, token, token_secret, error);
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

static guint
count_items (const char *first_name,
             ...) G_GNUC_NULL_TERMINATED;

/* How many keyring items have these attributes (the test may use the sync
 * API: it has no window to keep responsive). */
static guint
count_items (const char *first_name,
             ...)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    g_hash_table_insert (attributes, (gpointer) name, va_arg (args, char *));
  va_end (args);

  items = secret_password_searchv_sync (bh_store_get_schema (), attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

static guint
count_accounts (BhStore *store)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (store), i);

      n += g_list_model_get_n_items (bh_app_get_accounts (app));
    }

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
find_aside (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;

  while (d != NULL && (entry = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (entry, "records.ini.damaged-"))
      return g_build_filename (dir, entry, NULL);

  return NULL;
}

/* Model notifications ------------------------------------------------------- */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *count)
{
  (*count)++;
}

static void
test_model_notify (void)
{
  g_autoptr(BhAccount) account = bh_account_new ("app-1", "1001", "alice");
  g_autoptr(BhApp) app = bh_app_new (NULL, "MyBot", KEY, NULL);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) plus2 = g_time_zone_new_offset (7200);
  g_autoptr(GDateTime) when = g_date_time_new (utc, 2026, 1, 2, 10, 0, 0);
  g_autoptr(GDateTime) same = g_date_time_new (plus2, 2026, 1, 2, 12, 0, 0);
  g_autoptr(GDateTime) later = g_date_time_add_seconds (when, 1);
  guint n_account = 0, n_app = 0, n_items = 0;

  g_signal_connect (account, "notify", G_CALLBACK (count_notify), &n_account);
  g_signal_connect (app, "notify", G_CALLBACK (count_notify), &n_app);

  bh_account_set_screen_name (account, "alice");
  bh_account_set_state (account, BH_ACCOUNT_STATE_OK);
  bh_account_set_rate_limit (account, -1, -1, 0);
  bh_account_set_access_level (account, NULL);
  g_assert_cmpuint (n_account, ==, 0);

  bh_account_set_authorized_at (account, when);
  g_assert_cmpuint (n_account, ==, 1);
  bh_account_set_authorized_at (account, same);  /* the same instant elsewhere */
  g_assert_cmpuint (n_account, ==, 1);
  bh_account_set_authorized_at (account, later);
  g_assert_cmpuint (n_account, ==, 2);
  bh_account_set_rate_limit (account, 75, 74, 1700000000);
  g_assert_cmpuint (n_account, ==, 5);
  bh_account_set_rate_limit (account, 75, 73, 1700000000);
  g_assert_cmpuint (n_account, ==, 6);
  bh_account_set_state (account, BH_ACCOUNT_STATE_NEEDS_REAUTH);
  g_object_set (account, "state", BH_ACCOUNT_STATE_NEEDS_REAUTH, "name", NULL, NULL);
  g_assert_cmpuint (n_account, ==, 7);

  g_assert_cmpstr (bh_app_get_api_host (app), ==, BH_DEFAULT_API_HOST);
  g_assert_nonnull (bh_app_get_id (app));
  bh_app_set_name (app, "MyBot");
  bh_app_set_api_host (app, NULL);
  bh_app_set_has_bearer (app, FALSE);
  g_assert_cmpuint (n_app, ==, 0);
  bh_app_set_name (app, "Other");
  bh_app_set_has_secret (app, TRUE);
  bh_app_set_has_secret (app, TRUE);
  g_assert_cmpuint (n_app, ==, 2);

  /* Accounts stay sorted by screen name, also after a rename. */
  g_signal_connect (bh_app_get_accounts (app), "items-changed", G_CALLBACK (count_items_changed), &n_items);
  {
    g_autoptr(BhAccount) bob = bh_account_new (bh_app_get_id (app), "1002", "Bob");
    g_autoptr(BhAccount) carol = bh_account_new (bh_app_get_id (app), "1003", "carol");
    g_autoptr(BhAccount) first = NULL;

    _bh_app_add_account (app, carol);
    _bh_app_add_account (app, account);
    _bh_app_add_account (app, bob);
    first = g_list_model_get_item (bh_app_get_accounts (app), 0);
    g_assert_true (first == account);
    g_assert_true (bh_app_find_account (app, "@BOB") == bob);
    g_assert_true (bh_app_find_account (app, "1003") == carol);
    g_assert_null (bh_app_find_account (app, "dave"));

    bh_account_set_screen_name (account, "zed");
    g_clear_object (&first);
    first = g_list_model_get_item (bh_app_get_accounts (app), 2);
    g_assert_true (first == account);
    g_assert_cmpstr (bh_access_level_to_label ("read"), ==, "Read only");

    _bh_app_remove_account (app, carol);
    _bh_app_remove_account (app, bob);
    g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (app)), ==, 1);
  }
  g_assert_cmpuint (n_items, >, 0);

  g_assert_finalize_object (g_steal_pointer (&app));
  g_assert_finalize_object (g_steal_pointer (&account));
}

/* Round trips and a restart ------------------------------------------------- */

static void
test_round_trip (void)
{
  g_autofree char *path = test_records_path ("round-trip");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = load_store (path, &error);
  g_autoptr(BhStore) again = NULL;
  g_autoptr(BhApp) app = NULL;
  g_autoptr(BhAccount) account = NULL;
  g_autoptr(BhSecret) secret = NULL;
  g_autoptr(BhSecret) bearer = NULL;
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) token_secret = NULL;
  BhApp *app2;
  BhAccount *account2;
  struct stat st;

  g_assert_no_error (error);
  g_assert_cmpint (bh_store_get_keyring_status (store), ==, BH_KEYRING_STATUS_AVAILABLE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  app = add_app (store, "Round Trip Bot", KEY, SECRET, "http://127.0.0.1:8080", &error);
  g_assert_no_error (error);
  g_assert_true (bh_app_get_has_secret (app));
  g_assert_true (bh_store_find_app (store, "Round Trip Bot") == app);
  g_assert_true (bh_store_find_app (store, bh_app_get_id (app)) == app);

  set_bearer (store, app, BEARER);
  g_assert_true (bh_app_get_has_bearer (app));
  account = save_account (store, app, "1001", "alice", TOKEN, TSECRET);
  g_assert_true (bh_store_get_account_app (store, account) == app);
  g_assert_nonnull (bh_account_get_authorized_at (account));

  secret = lookup_consumer_secret (store, app, &error);
  g_assert_no_error (error);
  g_assert_true (bh_secret_equal (secret, SECRET));
  bearer = lookup_bearer (store, app, &error);
  g_assert_no_error (error);
  g_assert_true (bh_secret_equal (bearer, BEARER));
  g_assert_true (lookup_tokens (store, account, &token, &token_secret, &error));
  g_assert_no_error (error);
  g_assert_true (bh_secret_equal (token, TOKEN));
  g_assert_true (bh_secret_equal (token_secret, TSECRET));

  /* The records file is private. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* A restart: a second store on the same file sees everything. */
  again = load_store (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  app2 = bh_store_find_app (again, bh_app_get_id (app));
  g_assert_nonnull (app2);
  g_assert_cmpstr (bh_app_get_name (app2), ==, "Round Trip Bot");
  g_assert_cmpstr (bh_app_get_consumer_key (app2), ==, KEY);
  g_assert_cmpstr (bh_app_get_api_host (app2), ==, "http://127.0.0.1:8080");
  g_assert_true (bh_app_get_has_secret (app2));
  g_assert_true (bh_app_get_has_bearer (app2));
  g_assert_false (bh_app_get_restored (app2));
  account2 = bh_app_find_account (app2, "alice");
  g_assert_nonnull (account2);
  g_assert_cmpstr (bh_account_get_user_id (account2), ==, "1001");
  g_assert_cmpstr (bh_account_get_name (account2), ==, "Display Name");
  g_assert_cmpstr (bh_account_get_access_level (account2), ==, "read-write");
  g_assert_cmpint (bh_account_get_state (account2), ==, BH_ACCOUNT_STATE_OK);
  g_assert_true (g_date_time_equal (bh_account_get_authorized_at (account2),
                                    bh_account_get_authorized_at (account)));

  g_clear_pointer (&token, bh_secret_free);
  g_clear_pointer (&token_secret, bh_secret_free);
  g_assert_true (lookup_tokens (again, account2, &token, &token_secret, &error));
  g_assert_true (bh_secret_equal (token_secret, TSECRET));

  /* Removing the bearer removes it from the keyring. */
  set_bearer (store, app, NULL);
  g_assert_false (bh_app_get_has_bearer (app));
  g_clear_pointer (&bearer, bh_secret_free);
  bearer = lookup_bearer (store, app, &error);
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND);
  g_assert_null (bearer);

  g_clear_object (&app);
  g_clear_object (&account);
  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_update_in_place (void)
{
  g_autofree char *path = test_records_path ("update-in-place");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = load_store (path, &error);
  g_autoptr(BhStore) again = NULL;
  g_autoptr(BhApp) app = NULL;
  g_autoptr(BhAccount) first = NULL;
  g_autoptr(BhAccount) second = NULL;
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) token_secret = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  BhApp *app2;

  app = add_app (store, "In Place Bot", KEY, SECRET, NULL, &error);
  g_assert_no_error (error);
  first = save_account (store, app, "1001", "alice", TOKEN, TSECRET);
  bh_account_set_state (first, BH_ACCOUNT_STATE_NEEDS_REAUTH);
  second = save_account (store, app, "1001", "alice_renamed", TOKEN2, TSECRET2);

  g_assert_true (first == second);
  g_assert_cmpint (bh_account_get_state (second), ==, BH_ACCOUNT_STATE_OK);
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (app)), ==, 1);
  g_assert_cmpstr (bh_account_get_screen_name (second), ==, "alice_renamed");
  /* One credential, one item: the one with the old screen name is gone. */
  g_assert_cmpuint (count_items ("kind", "user", "app-id", bh_app_get_id (app), NULL), ==, 1);
  g_assert_cmpuint (count_items ("app-id", bh_app_get_id (app), "screen-name", "alice_renamed", NULL), ==, 1);

  g_assert_true (lookup_tokens (store, second, &token, &token_secret, &error));
  g_assert_true (bh_secret_equal (token, TOKEN2));
  g_assert_true (bh_secret_equal (token_secret, TSECRET2));

  /* Renaming the App retags its items, so secret-tool finds them by the
   * new name; the secret is kept. */
  bh_store_update_app_async (store, app, "In Place Bot 2", KEY, NULL, NULL, NULL,
                             bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  g_assert_true (bh_store_update_app_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bh_app_get_name (app), ==, "In Place Bot 2");
  g_assert_cmpuint (count_items ("app-id", bh_app_get_id (app), "app-name", "In Place Bot 2", NULL), ==, 2);
  g_assert_cmpuint (count_items ("app-id", bh_app_get_id (app), NULL), ==, 2);

  /* verify changed a field: written, and seen after a restart. */
  bh_account_set_access_level (second, "read");
  g_clear_object (&result);
  bh_store_update_account_async (store, second, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  g_assert_true (bh_store_update_account_finish (store, result, &error));

  again = load_store (path, &error);
  g_assert_no_error (error);
  app2 = bh_store_find_app (again, "In Place Bot 2");
  g_assert_nonnull (app2);
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (app2)), ==, 1);
  g_assert_cmpstr (bh_account_get_access_level (bh_app_find_account (app2, "1001")), ==, "read");
  {
    g_autoptr(BhSecret) secret = lookup_consumer_secret (again, app2, &error);

    g_assert_no_error (error);
    g_assert_true (bh_secret_equal (secret, SECRET));
  }

  g_clear_object (&result);  /* a GTask holds its source object */
  g_clear_object (&app);
  g_clear_object (&first);
  g_clear_object (&second);
  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_validation (void)
{
  g_autofree char *path = test_records_path ("validation");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = load_store (path, &error);
  g_autoptr(BhApp) app = NULL;
  struct { const char *name, *key, *secret, *host; int code; } cases[] = {
    { "", KEY, SECRET, NULL, BH_STORE_ERROR_INVALID },
    { " Bot", KEY, SECRET, NULL, BH_STORE_ERROR_INVALID },
    { "Bot", KEY " ", SECRET, NULL, BH_STORE_ERROR_INVALID },
    { "Bot", KEY, "", NULL, BH_STORE_ERROR_INVALID },
    { "Bot", KEY, "two words", NULL, BH_STORE_ERROR_INVALID },
    { "Bot", KEY, SECRET, "http://api.x.com", BH_STORE_ERROR_INVALID },
    { "Bot", KEY, SECRET, "ftp://127.0.0.1", BH_STORE_ERROR_INVALID },
    { "Bot", KEY, SECRET, "https://api.x.com/1.1?x=1", BH_STORE_ERROR_INVALID },
    { "validation bot", KEY, SECRET, NULL, BH_STORE_ERROR_EXISTS },
  };

  app = add_app (store, "Validation Bot", KEY, SECRET, "https://api.twitter.com", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BhApp) bad = add_app (store, cases[i].name, cases[i].key, cases[i].secret, cases[i].host, &error);

      g_assert_error (error, BH_STORE_ERROR, cases[i].code);
      g_assert_null (bad);
      g_clear_error (&error);
    }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_clear_object (&app);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* The in-between states ------------------------------------------------------ */

static void
store_item (const char *label,
            const char *value,
            ...) G_GNUC_NULL_TERMINATED;

static void
store_item (const char *label,
            const char *value,
            ...)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, value);
  for (const char *name = va_arg (args, const char *); name != NULL; name = va_arg (args, const char *))
    g_hash_table_insert (attributes, (gpointer) name, va_arg (args, char *));
  va_end (args);

  secret_password_storev_sync (bh_store_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                               label, value, NULL, &error);
  g_assert_no_error (error);
}

static void
test_restore_from_keyring (void)
{
  g_autofree char *path = test_records_path ("restore");
  g_autofree char *app_id = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = NULL;
  g_autoptr(BhStore) again = NULL;
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) token_secret = NULL;
  BhApp *app;
  BhAccount *account;

  /* A crash after the keyring write, before the record. */
  store_item ("x", SECRET, "kind", "app", "app-id", app_id, "consumer-key", KEY,
              "app-name", "Crashed Bot", "api-host", "https://api.x.com", NULL);
  store_item ("x", TOKEN "\n" TSECRET, "kind", "user", "app-id", app_id, "consumer-key", KEY,
              "app-name", "Crashed Bot", "api-host", "https://api.x.com",
              "user-id", "1002", "screen-name", "bob", NULL);

  store = load_store (path, &error);
  g_assert_no_error (error);
  app = bh_store_find_app (store, app_id);
  g_assert_nonnull (app);
  g_assert_cmpstr (bh_app_get_name (app), ==, "Crashed Bot");
  g_assert_cmpstr (bh_app_get_consumer_key (app), ==, KEY);
  g_assert_true (bh_app_get_restored (app));
  g_assert_true (bh_app_get_has_secret (app));
  account = bh_app_find_account (app, "bob");
  g_assert_nonnull (account);
  g_assert_true (bh_account_get_restored (account));
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_OK);
  /* Authorized when its keyring item was created: within this test. */
  g_assert_nonnull (bh_account_get_authorized_at (account));
  g_assert_cmpint (g_get_real_time () / G_USEC_PER_SEC - g_date_time_to_unix (bh_account_get_authorized_at (account)),
                   <, 600);
  g_assert_true (lookup_tokens (store, account, &token, &token_secret, &error));
  g_assert_true (bh_secret_equal (token, TOKEN));

  /* The repair was written: a restart lists it from the records. */
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  again = load_store (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bh_store_find_app (again, "Crashed Bot"));

  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&store));
}

static const char *records_without_secrets =
  "[Birdhouse]\nversion=1\n\n"
  "[App 0000aaaa-0000-4000-8000-000000000001]\nname=Lost Secrets Bot\nconsumer-key=" KEY "\n"
  "api-host=https://api.x.com\nhas-bearer=true\n\n"
  "[Account 0000aaaa-0000-4000-8000-000000000001 1003]\nscreen-name=carol\nname=Carol\n"
  "access-level=read\nauthorized-at=2026-01-02T10:00:00Z\nstate=ok\n";

static void
test_secret_missing (void)
{
  g_autofree char *path = test_records_path ("secret-missing");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = NULL;
  g_autoptr(BhSecret) token = NULL;
  BhApp *app;
  BhAccount *account;

  /* A crash after the keyring removal, before the record's. */
  write_file (path, records_without_secrets, -1);
  store = load_store (path, &error);
  g_assert_no_error (error);

  app = bh_store_find_app (store, "Lost Secrets Bot");
  g_assert_nonnull (app);
  g_assert_false (bh_app_get_has_secret (app));
  g_assert_false (bh_app_get_has_bearer (app));
  account = bh_app_find_account (app, "carol");
  g_assert_nonnull (account);
  g_assert_cmpint (bh_account_get_state (account), ==, BH_ACCOUNT_STATE_SECRET_MISSING);

  g_assert_false (lookup_tokens (store, account, &token, NULL, &error));
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* It can be removed without any secret. */
  g_assert_true (remove_app (store, app, &error));
  g_assert_no_error (error);
  g_assert_null (bh_store_find_app (store, "Lost Secrets Bot"));

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
check_damaged (const char *name,
               const char *contents,
               gsize       len)
{
  g_autofree char *path = test_records_path (name);
  g_autofree char *app_id = g_uuid_string_random ();
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = NULL;
  g_autoptr(BhApp) added = NULL;
  g_autofree char *restored_name = g_strdup_printf ("Survivor %s", name);
  gsize kept_len = 0;

  store_item ("x", SECRET, "kind", "app", "app-id", app_id, "consumer-key", KEY,
              "app-name", restored_name, "api-host", "https://api.x.com", NULL);
  write_file (path, contents, len);

  store = load_store (path, &error);
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED);
  g_assert_nonnull (strstr (error->message, path));
  aside = find_aside (path);
  g_assert_nonnull (aside);
  g_assert_nonnull (strstr (error->message, aside));
  g_test_message ("%s", error->message);

  /* Kept aside byte for byte. */
  g_assert_true (g_file_get_contents (aside, &kept, &kept_len, NULL));
  g_assert_cmpmem (kept, kept_len, contents, len);

  /* The keyring was not touched, and repaired the list. */
  g_assert_cmpuint (count_items ("app-id", app_id, NULL), ==, 1);
  g_assert_nonnull (bh_store_find_app (store, restored_name));
  {
    gboolean loaded = FALSE;

    g_object_get (store, "loaded", &loaded, NULL);
    g_assert_true (loaded);
  }

  /* The store still works. */
  g_clear_error (&error);
  added = add_app (store, restored_name, KEY, SECRET, NULL, &error);
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  added = add_app (store, "After Damage Bot", KEY, SECRET, NULL, &error);
  g_assert_no_error (error);

  g_clear_object (&added);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_damaged_garbage (void)
{
  static const char garbage[] = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe[unterminated\x01\x02";

  check_damaged ("damaged-garbage", garbage, sizeof garbage - 1);
}

static void
test_damaged_missing_key (void)
{
  g_autofree char *edited = NULL;
  g_auto(GStrv) lines = g_strsplit (records_without_secrets, "\n", -1);
  g_autoptr(GString) text = g_string_new (NULL);

  /* A hand edit that lost the API key of an App. */
  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "consumer-key="))
      g_string_append_printf (text, "%s\n", lines[i]);

  check_damaged ("damaged-missing-key", text->str, text->len);
}

/* Removing ------------------------------------------------------------------- */

static void
test_remove_app (void)
{
  g_autofree char *path = test_records_path ("remove-app");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = load_store (path, &error);
  g_autoptr(BhStore) again = NULL;
  g_autoptr(BhApp) gone = NULL;
  g_autoptr(BhApp) kept = NULL;
  g_autoptr(BhAccount) account = NULL;
  g_autoptr(BhAccount) other = NULL;
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *gone_id = NULL;

  gone = add_app (store, "Gone Bot", KEY, SECRET, NULL, &error);
  kept = add_app (store, "Kept Bot", KEY, SECRET, NULL, &error);
  g_assert_no_error (error);
  set_bearer (store, gone, BEARER);
  set_bearer (store, kept, BEARER);
  g_clear_object (&account);
  account = save_account (store, gone, "1001", "alice", TOKEN, TSECRET);
  other = save_account (store, kept, "1001", "alice", TOKEN2, TSECRET2);
  g_clear_object (&account);
  account = save_account (store, gone, "1002", "bob", TOKEN, TSECRET);
  gone_id = g_strdup (bh_app_get_id (gone));
  g_assert_cmpuint (count_items ("app-id", gone_id, NULL), ==, 4);

  g_assert_true (remove_app (store, gone, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items ("app-id", gone_id, NULL), ==, 0);
  g_assert_cmpuint (count_items ("app-id", bh_app_get_id (kept), NULL), ==, 3);
  g_assert_null (bh_store_find_app (store, "Gone Bot"));
  g_assert_true (lookup_tokens (store, other, &token, NULL, &error));
  g_assert_true (bh_secret_equal (token, TOKEN2));

  /* Removing one account leaves the App's other items. */
  bh_store_remove_account_async (store, other, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  g_assert_true (bh_store_remove_account_finish (store, result, &error));
  g_assert_cmpuint (count_items ("app-id", bh_app_get_id (kept), NULL), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (kept)), ==, 0);

  again = load_store (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  g_assert_cmpuint (count_accounts (again), ==, 0);
  g_assert_nonnull (bh_store_find_app (again, "Kept Bot"));

  g_assert_finalize_object (g_steal_pointer (&again));
  g_clear_object (&result);
  g_clear_object (&gone);
  g_clear_object (&kept);
  g_clear_object (&account);
  g_clear_object (&other);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* secret-tool, as documented in the README ------------------------------------ */

static char *
run_secret_tool (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));

  return out;
}

static void
test_secret_tool (void)
{
  g_autofree char *path = test_records_path ("secret-tool");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = load_store (path, &error);
  g_autoptr(BhApp) app = add_app (store, "Tool Bot", KEY, SECRET, NULL, &error);
  g_autoptr(BhAccount) account = save_account (store, app, "1001", "alice", TOKEN, TSECRET);
  g_autofree char *value = NULL;
  g_autofree char *listing = NULL;
  g_auto(GStrv) parts = NULL;
  const char *lookup_user[] = { "secret-tool", "lookup", "kind", "user", "app-name", "Tool Bot",
                                "screen-name", "alice", NULL };
  const char *lookup_app[] = { "secret-tool", "lookup", "kind", "app", "app-name", "Tool Bot", NULL };
  const char *search[] = { "secret-tool", "search", "--all", "app-name", "Tool Bot", NULL };

  set_bearer (store, app, BEARER);

  value = run_secret_tool (lookup_user);
  parts = g_strsplit (value, "\n", -1);
  g_assert_cmpuint (g_strv_length (parts), >=, 2);
  g_assert_true (bh_secret_equal (parts[0], TOKEN));
  g_assert_true (bh_secret_equal (parts[1], TSECRET));
  bh_secret_wipe (value, strlen (value));
  g_clear_pointer (&value, g_free);

  value = run_secret_tool (lookup_app);
  g_strchomp (value);
  g_assert_true (bh_secret_equal (value, SECRET));
  bh_secret_wipe (value, strlen (value));

  /* The listing shows secrets too: only look for the documented labels
   * and attributes, and never print it. */
  listing = run_secret_tool (search);
  g_assert_nonnull (strstr (listing, "label = Birdhouse: Tool Bot API key secret"));
  g_assert_nonnull (strstr (listing, "label = Birdhouse: @alice — Tool Bot"));
  g_assert_nonnull (strstr (listing, "label = Birdhouse: Tool Bot bearer token"));
  g_assert_nonnull (strstr (listing, "attribute.consumer-key = " KEY));
  g_assert_nonnull (strstr (listing, "attribute.user-id = 1001"));
  g_assert_nonnull (strstr (listing, "attribute.api-host = https://api.x.com"));
  /* secret-tool prints the schema of Secret Service items only. */
  if (!bh_test_file_backend ())
    g_assert_nonnull (strstr (listing, "schema = io.github.birdhouse.Birdhouse.Credential"));
  bh_secret_wipe (listing, strlen (listing));

  g_clear_object (&app);
  g_clear_object (&account);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* Two processes on one keyring ------------------------------------------------ */

/* The window stays open while scripts run the command line. On the Secret
 * Service the daemon holds the one copy of the keyring; on libsecret's
 * file backend (Flatpak; meson test --setup flatpak) each process reads
 * the file into memory, and one that wrote back its old copy would drop
 * what the other stored meanwhile. */
static void
test_other_process (void)
{
  g_autofree char *path = test_records_path ("other-process");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = load_store (path, &error);
  g_autoptr(BhStore) again = NULL;
  g_autoptr(BhApp) app = add_app (store, "Window Bot", KEY, SECRET, NULL, &error);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *secret = NULL;
  const char *birdhouse = g_getenv ("BH_BIRDHOUSE");
  const char *lookup[] = { "secret-tool", "lookup", "kind", "app", "app-name", "Script Bot", NULL };
  BhApp *script_app;

  g_assert_no_error (error);
  g_assert_nonnull (birdhouse);

  /* Another process stores an App while this one holds the keyring open. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              birdhouse, "app", "add", "Script Bot", "--consumer-key", "script-key", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, TSECRET2 "\n", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));

  /* This one writes to the keyring again: the other's item stays. */
  set_bearer (store, app, BEARER);
  secret = run_secret_tool (lookup);
  g_strchomp (secret);
  g_assert_true (bh_secret_equal (secret, TSECRET2));
  bh_secret_wipe (secret, strlen (secret));

  /* And this process reads it, restoring the App its records lack. */
  again = load_store (path, &error);
  g_assert_no_error (error);
  script_app = bh_store_find_app (again, "Script Bot");
  g_assert_nonnull (script_app);
  {
    g_autoptr(BhSecret) script_secret = lookup_consumer_secret (again, script_app, &error);

    g_assert_no_error (error);
    g_assert_true (bh_secret_equal (script_secret, TSECRET2));
  }
  {
    g_autoptr(BhSecret) bearer = NULL;
    g_autoptr(GAsyncResult) result = NULL;

    bh_store_lookup_bearer_async (again, bh_store_find_app (again, "Window Bot"), NULL,
                                  bh_test_store_result, &result);
    bh_test_wait_for_result (&result, TIMEOUT);
    bearer = bh_store_lookup_bearer_finish (again, result, &error);
    g_assert_no_error (error);
    g_assert_true (bh_secret_equal (bearer, BEARER));
  }

  g_clear_object (&app);
  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* Runs after the others: no file but the keyring's own holds a secret. */
static void
test_no_secret_in_files (void)
{
  const char *tmp = g_getenv ("BH_TEST_TMPDIR");
  const char *secrets[] = { SECRET, TOKEN, TSECRET, TOKEN2, TSECRET2, BEARER };
  g_autofree char *keyrings = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);

  g_assert_nonnull (tmp);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_autofree char *found = NULL;

      if (bh_test_dir_contains (tmp, secrets[i], keyrings, &found))
        g_error ("A secret was written to %s", found);
    }
}

/* A locked keyring ----------------------------------------------------------- */

/* libsecret 0.20.5 (Debian 12) sometimes emits this critical inside its
 * prompt code when gnome-keyring's prompter fails to start, as it does
 * here on purpose; it is not ours, and the operation still completes. Only
 * that exact message is let through. */
static gboolean
allow_libsecret_prompt_critical (const char     *log_domain,
                                 GLogLevelFlags  log_level,
                                 const char     *message,
                                 gpointer        user_data)
{
  return !(g_strcmp0 (log_domain, "GLib-GIO") == 0 &&
           strstr (message, "g_task_return_error: assertion 'error != NULL' failed") != NULL);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* A cancellable that fires after @seconds, standing in for the person who
 * closes the window while the keyring prompt would be up. */
static GCancellable *
cancel_after (guint seconds)
{
  GCancellable *cancellable = g_cancellable_new ();

  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, seconds, cancel_cb,
                              g_object_ref (cancellable), g_object_unref);
  return cancellable;
}

/* With the keyring locked and its prompter unable to start, an operation
 * that needs a secret either reports the locked keyring (the prompt failed
 * cleanly) or, with libsecret 0.20.5 whose failed prompt sometimes never
 * completes, ends when its cancellable fires. Never a secret, never "not
 * found". */
static void
assert_locked_or_cancelled (BhStore *store,
                            GError  *error)
{
  g_assert_nonnull (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_KEYRING_LOCKED);
  g_assert_cmpint (bh_store_get_keyring_status (store), ==, BH_KEYRING_STATUS_LOCKED);
  g_assert_error (bh_store_get_keyring_error (store), BH_STORE_ERROR, BH_STORE_ERROR_KEYRING_LOCKED);
}

static void
test_locked (void)
{
  g_autofree char *path = test_records_path ("locked");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = load_store (path, &error);
  g_autoptr(BhStore) again = NULL;
  g_autoptr(BhApp) app = add_app (store, "Locked Bot", KEY, SECRET, NULL, &error);
  g_autoptr(BhAccount) account = save_account (store, app, "1001", "alice", TOKEN, TSECRET);
  BhApp *app2;

  g_test_log_set_fatal_handler (allow_libsecret_prompt_critical, NULL);
  /* GTest reports a fatal message as "Bail out!" even when the handler
   * lets it through, so the libsecret critical must not be fatal at all;
   * warnings from anything else still are. */
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_WARNING);
  g_log_set_fatal_mask ("GLib-GIO", G_LOG_LEVEL_ERROR | G_LOG_LEVEL_WARNING);

  bh_test_lock_keyring ();

  /* A restart (no prompt at start-up) lists everything, says the keyring
   * is locked, and marks nothing missing. */
  again = load_store (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bh_store_get_keyring_status (again), ==, BH_KEYRING_STATUS_LOCKED);
  g_assert_error (bh_store_get_keyring_error (again), BH_STORE_ERROR, BH_STORE_ERROR_KEYRING_LOCKED);
  app2 = bh_store_find_app (again, "Locked Bot");
  g_assert_nonnull (app2);
  g_assert_true (bh_app_get_has_secret (app2));
  g_assert_cmpint (bh_account_get_state (bh_app_find_account (app2, "alice")), ==, BH_ACCOUNT_STATE_OK);

  /* Nothing is removed when the secrets cannot be. */
  {
    g_autoptr(GCancellable) cancellable = cancel_after (8);
    g_autoptr(GAsyncResult) result = NULL;

    bh_store_remove_app_async (store, app, cancellable, bh_test_store_result, &result);
    bh_test_wait_for_result (&result, TIMEOUT);
    g_assert_false (bh_store_remove_app_finish (store, result, &error));
    assert_locked_or_cancelled (store, error);
    g_clear_error (&error);
    g_assert_nonnull (bh_store_find_app (store, "Locked Bot"));
    /* The items cannot be counted here: after the failed prompt this
     * gnome-keyring/libsecret pair lists no items at all until unlocked. */
  }

  /* Secrets: the unlock is attempted (not bypassed), and its failure is a
   * locked keyring. */
  {
    g_autoptr(GCancellable) cancellable = cancel_after (8);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(BhSecret) secret = NULL;

    bh_store_lookup_consumer_secret_async (store, app, cancellable, bh_test_store_result, &result);
    bh_test_wait_for_result (&result, TIMEOUT);
    secret = bh_store_lookup_consumer_secret_finish (store, result, &error);
    g_assert_null (secret);
    assert_locked_or_cancelled (store, error);
    g_clear_error (&error);
    g_assert_true (bh_app_get_has_secret (app));
  }

  g_clear_object (&app);
  g_clear_object (&account);
  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* No Secret Service at all ---------------------------------------------------- */

/* The session (bh-test-session.sh with BH_TEST_NO_KEYRING) offers no
 * Secret Service and cannot start one on demand. */

static void
test_no_keyring (void)
{
  g_autofree char *path = test_records_path ("no-keyring");
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = NULL;
  g_autoptr(BhApp) added = NULL;
  g_autoptr(BhSecret) secret = NULL;
  BhApp *app;

  write_file (path, records_without_secrets, -1);
  store = load_store (path, &error);
  g_assert_no_error (error);

  g_assert_cmpint (bh_store_get_keyring_status (store), ==, BH_KEYRING_STATUS_UNAVAILABLE);
  g_assert_error (bh_store_get_keyring_error (store), BH_STORE_ERROR, BH_STORE_ERROR_KEYRING_UNAVAILABLE);
  g_test_message ("%s", bh_store_get_keyring_error (store)->message);

  /* Everything recorded is listed, nothing is marked missing. */
  app = bh_store_find_app (store, "Lost Secrets Bot");
  g_assert_nonnull (app);
  g_assert_true (bh_app_get_has_secret (app));
  g_assert_cmpint (bh_account_get_state (bh_app_find_account (app, "carol")), ==, BH_ACCOUNT_STATE_OK);

  secret = lookup_consumer_secret (store, app, &error);
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  added = add_app (store, "No Keyring Bot", KEY, SECRET, NULL, &error);
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_null (bh_store_find_app (store, "No Keyring Bot"));

  g_assert_false (remove_app (store, app, &error));
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  /* Nothing deleted or rewritten. */
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, records_without_secrets);

  g_assert_finalize_object (g_steal_pointer (&store));
}

/* OAuth 2.0 client credentials ------------------------------------------------ */

static BhApp *
add_app_full (BhStore                 *store,
              const BhStoreAppFields  *fields,
              GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_add_app_full_async (store, fields, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  return bh_store_add_app_full_finish (store, result, error);
}

static gboolean
update_app_full (BhStore                 *store,
                 BhApp                   *app,
                 const BhStoreAppFields  *fields,
                 GError                 **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_update_app_full_async (store, app, fields, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  return bh_store_update_app_full_finish (store, result, error);
}

static BhSecret *
lookup_client_secret (BhStore  *store,
                      BhApp    *app,
                      GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bh_store_lookup_client_secret_async (store, app, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  return bh_store_lookup_client_secret_finish (store, result, error);
}

/* An App with both protocols and one with a Client ID only: the fields and
 * the Client Secret's own item survive a restart; a public client has no
 * secret to look up, and no API key to sign with. */
static void
test_oauth2_round_trip (void)
{
  g_autofree char *path = test_records_path ("oauth2-round-trip");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = load_store (path, &error);
  g_autoptr(BhStore) again = NULL;
  g_autoptr(BhApp) both = NULL;
  g_autoptr(BhApp) native = NULL;
  g_autoptr(BhSecret) secret = NULL;
  g_autofree char *records = NULL;
  BhStoreAppFields fields = {
    .name = "Both Bot", .consumer_key = KEY, .consumer_secret = SECRET,
    .client_id = CLIENT_ID, .client_secret = CSECRET, .redirect_uri = "http://127.0.0.1:9000/cb",
  };
  BhStoreAppFields public_fields = { .name = "Native Bot", .client_id = CLIENT_ID2 };
  BhApp *app;

  both = add_app_full (store, &fields, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bh_app_get_client_id (both), ==, CLIENT_ID);
  g_assert_true (bh_app_get_has_client_secret (both));
  g_assert_true (bh_app_get_has_secret (both));
  native = add_app_full (store, &public_fields, &error);
  g_assert_no_error (error);
  g_assert_null (bh_app_get_consumer_key (native));
  g_assert_false (bh_app_get_has_secret (native));
  g_assert_false (bh_app_get_has_client_secret (native));
  g_assert_cmpstr (bh_app_get_redirect_uri (native), ==, BH_OAUTH2_DEFAULT_REDIRECT_URI);

  /* One item each: the Client Secret carries the Client ID, not the API
   * key; the API key secret the API key, not the Client ID. */
  g_assert_cmpuint (count_items ("kind", "client-secret", "app-id", bh_app_get_id (both),
                                 "client-id", CLIENT_ID, NULL), ==, 1);
  g_assert_cmpuint (count_items ("kind", "client-secret", "consumer-key", KEY, NULL), ==, 0);
  g_assert_cmpuint (count_items ("kind", "app", "client-id", CLIENT_ID, NULL), ==, 0);
  g_assert_cmpuint (count_items ("app-id", bh_app_get_id (native), NULL), ==, 0);

  secret = lookup_client_secret (store, both, &error);
  g_assert_no_error (error);
  g_assert_true (bh_secret_equal (secret, CSECRET));
  g_clear_pointer (&secret, bh_secret_free);

  g_assert_null (lookup_client_secret (store, native, &error));
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (lookup_consumer_secret (store, native, &error));
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Native Bot"));
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (path, &records, NULL, NULL));
  g_assert_nonnull (strstr (records, "client-id=" CLIENT_ID "\n"));
  g_assert_nonnull (strstr (records, "redirect-uri=http://127.0.0.1:9000/cb\n"));
  g_assert_null (strstr (records, CSECRET));

  again = load_store (path, &error);
  g_assert_no_error (error);
  app = bh_store_find_app (again, "Both Bot");
  g_assert_cmpstr (bh_app_get_consumer_key (app), ==, KEY);
  g_assert_cmpstr (bh_app_get_client_id (app), ==, CLIENT_ID);
  g_assert_cmpstr (bh_app_get_redirect_uri (app), ==, "http://127.0.0.1:9000/cb");
  g_assert_true (bh_app_get_has_client_secret (app));
  g_assert_false (bh_app_get_restored (app));
  app = bh_store_find_app (again, "Native Bot");
  g_assert_null (bh_app_get_consumer_key (app));
  g_assert_cmpstr (bh_app_get_client_id (app), ==, CLIENT_ID2);
  g_assert_false (bh_app_get_has_client_secret (app));
  g_assert_false (bh_app_get_has_secret (app));

  /* Removing an App takes its Client Secret too, and only its own. */
  {
    g_autoptr(BhApp) gone = add_app_full (store, &(BhStoreAppFields) { .name = "Gone Bot", .client_id = CLIENT_ID2,
                                                                       .client_secret = CSECRET2 }, &error);
    g_autofree char *gone_id = g_strdup (bh_app_get_id (gone));

    g_assert_no_error (error);
    g_assert_cmpuint (count_items ("kind", "client-secret", NULL), ==, 2);
    g_assert_true (remove_app (store, gone, &error));
    g_assert_cmpuint (count_items ("app-id", gone_id, NULL), ==, 0);
    g_assert_cmpuint (count_items ("kind", "client-secret", NULL), ==, 1);
  }

  /* A Client Secret gone from the keyring (deleted by hand): the next load
   * says so, and the lookup says what to do, naming the App. */
  {
    g_autoptr(BhStore) third = NULL;

    g_assert_true (secret_password_clear_sync (bh_store_get_schema (), NULL, &error,
                                               "kind", "client-secret", "app-id", bh_app_get_id (both), NULL));
    third = load_store (path, &error);
    g_assert_no_error (error);
    app = bh_store_find_app (third, "Both Bot");
    g_assert_false (bh_app_get_has_client_secret (app));
    g_assert_true (bh_app_get_has_secret (app));
    g_assert_null (lookup_client_secret (third, app, &error));
    g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "Both Bot"));
    g_assert_nonnull (strstr (error->message, "Client Secret"));
    g_clear_error (&error);
    g_assert_finalize_object (g_steal_pointer (&third));
  }


  g_assert_finalize_object (g_steal_pointer (&again));
  g_clear_object (&both);
  g_clear_object (&native);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* What an add or update refuses, before anything is stored. */
static void
test_oauth2_validation (void)
{
  g_autofree char *path = test_records_path ("oauth2-validation");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = load_store (path, &error);
  g_autoptr(BhApp) app = NULL;
  const BhStoreAppFields refused[] = {
    { .name = "Neither" },
    { .name = "Secret Only", .client_secret = CSECRET, .consumer_key = KEY, .consumer_secret = SECRET },
    { .name = "Localhost", .client_id = CLIENT_ID, .redirect_uri = "http://localhost:8477/callback" },
    { .name = "No Port", .client_id = CLIENT_ID, .redirect_uri = "http://127.0.0.1/callback" },
    { .name = "Spaced", .client_id = CLIENT_ID " " },
    { .name = "Key Without Secret", .consumer_key = KEY },
    { .name = "Spaced Secret", .client_id = CLIENT_ID, .client_secret = " " CSECRET },
  };
  BhStoreAppFields fields = { .name = "Kept", .consumer_key = KEY, .client_id = CLIENT_ID };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_null (add_app_full (store, &refused[i], &error));
      g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_cmpuint (count_items ("kind", "client-secret", NULL), ==, 0);

  /* Once given, a key can be changed but not removed. */
  app = add_app_full (store, &(BhStoreAppFields) { .name = "Kept", .consumer_key = KEY, .consumer_secret = SECRET,
                                                   .client_id = CLIENT_ID }, &error);
  g_assert_no_error (error);
  fields.client_id = NULL;
  g_assert_false (update_app_full (store, app, &fields, &error));
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID);
  g_clear_error (&error);
  fields.client_id = CLIENT_ID;
  fields.redirect_uri = "https://127.0.0.1:8477/callback";
  g_assert_false (update_app_full (store, app, &fields, &error));
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID);
  g_assert_cmpstr (bh_app_get_redirect_uri (app), ==, BH_OAUTH2_DEFAULT_REDIRECT_URI);

  g_clear_object (&app);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* An OAuth 1.0a App gains a Client ID and Secret, is renamed (the Client
 * Secret's item follows), gets a new Client Secret (one item still), and
 * becomes a public client. */
static void
test_oauth2_update (void)
{
  g_autofree char *path = test_records_path ("oauth2-update");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = load_store (path, &error);
  g_autoptr(BhStore) again = NULL;
  g_autoptr(BhApp) app = add_app (store, "Classic Bot", KEY, SECRET, NULL, &error);
  g_autoptr(BhSecret) secret = NULL;
  BhStoreAppFields fields = { .name = "Classic Bot", .consumer_key = KEY, .client_id = CLIENT_ID,
                              .client_secret = CSECRET };
  const char *app_id = bh_app_get_id (app);

  g_assert_no_error (error);
  g_assert_true (update_app_full (store, app, &fields, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bh_app_get_client_id (app), ==, CLIENT_ID);
  g_assert_true (bh_app_get_has_client_secret (app));
  g_assert_true (bh_app_get_has_secret (app));

  /* A rename (and a new Client ID) retags every item. */
  fields.name = "Renamed Bot";
  fields.client_id = CLIENT_ID2;
  fields.client_secret = NULL;
  g_assert_true (update_app_full (store, app, &fields, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_items ("app-id", app_id, NULL), ==, 2);
  g_assert_cmpuint (count_items ("kind", "client-secret", "app-name", "Renamed Bot", "client-id", CLIENT_ID2, NULL), ==, 1);
  g_assert_cmpuint (count_items ("kind", "app", "app-name", "Renamed Bot", "consumer-key", KEY, NULL), ==, 1);
  secret = lookup_client_secret (store, app, &error);
  g_assert_true (bh_secret_equal (secret, CSECRET));
  g_clear_pointer (&secret, bh_secret_free);

  /* A new Client Secret replaces the old one. */
  fields.client_secret = CSECRET2;
  g_assert_true (update_app_full (store, app, &fields, &error));
  g_assert_cmpuint (count_items ("kind", "client-secret", "app-id", app_id, NULL), ==, 1);
  secret = lookup_client_secret (store, app, &error);
  g_assert_true (bh_secret_equal (secret, CSECRET2));
  g_clear_pointer (&secret, bh_secret_free);

  /* The old call keeps the OAuth 2.0 fields. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    bh_store_update_app_async (store, app, "Renamed Bot", KEY, NULL, NULL, NULL, bh_test_store_result, &result);
    bh_test_wait_for_result (&result, TIMEOUT);
    g_assert_true (bh_store_update_app_finish (store, result, &error));
    g_assert_cmpstr (bh_app_get_client_id (app), ==, CLIENT_ID2);
    g_assert_true (bh_app_get_has_client_secret (app));
  }

  /* A public client now. */
  fields.client_secret = NULL;
  fields.remove_client_secret = TRUE;
  g_assert_true (update_app_full (store, app, &fields, &error));
  g_assert_false (bh_app_get_has_client_secret (app));
  g_assert_cmpuint (count_items ("kind", "client-secret", "app-id", app_id, NULL), ==, 0);
  g_assert_cmpuint (count_items ("kind", "app", "app-id", app_id, NULL), ==, 1);

  again = load_store (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bh_app_get_client_id (bh_store_find_app (again, "Renamed Bot")), ==, CLIENT_ID2);
  g_assert_false (bh_app_get_has_client_secret (bh_store_find_app (again, "Renamed Bot")));

  g_assert_finalize_object (g_steal_pointer (&again));
  g_clear_object (&app);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* The records lost: each App comes back from its items, its API key from
 * an OAuth 1.0a item and its Client ID from the Client Secret's. */
static void
test_oauth2_restore (void)
{
  g_autofree char *path = test_records_path ("oauth2-restore");
  g_autoptr(GError) error = NULL;
  g_autoptr(BhStore) store = load_store (path, &error);
  g_autoptr(BhStore) again = NULL;
  g_autoptr(BhApp) both = NULL;
  g_autoptr(BhApp) client = NULL;
  g_autoptr(BhSecret) secret = NULL;
  g_autofree char *both_id = NULL;
  BhApp *app;

  both = add_app_full (store, &(BhStoreAppFields) { .name = "Both Bot", .consumer_key = KEY,
                                                    .consumer_secret = SECRET, .client_id = CLIENT_ID,
                                                    .client_secret = CSECRET }, &error);
  g_assert_no_error (error);
  client = add_app_full (store, &(BhStoreAppFields) { .name = "Client Bot", .client_id = CLIENT_ID2,
                                                      .client_secret = CSECRET2 }, &error);
  g_assert_no_error (error);
  both_id = g_strdup (bh_app_get_id (both));
  g_assert_cmpint (g_unlink (path), ==, 0);

  again = load_store (path, &error);
  g_assert_no_error (error);
  app = bh_store_find_app (again, both_id);
  g_assert_nonnull (app);
  g_assert_true (bh_app_get_restored (app));
  g_assert_cmpstr (bh_app_get_name (app), ==, "Both Bot");
  g_assert_cmpstr (bh_app_get_consumer_key (app), ==, KEY);
  g_assert_cmpstr (bh_app_get_client_id (app), ==, CLIENT_ID);
  g_assert_true (bh_app_get_has_secret (app));
  g_assert_true (bh_app_get_has_client_secret (app));
  app = bh_store_find_app (again, "Client Bot");
  g_assert_nonnull (app);
  g_assert_null (bh_app_get_consumer_key (app));
  g_assert_cmpstr (bh_app_get_client_id (app), ==, CLIENT_ID2);
  g_assert_true (bh_app_get_has_client_secret (app));
  secret = lookup_client_secret (again, app, &error);
  g_assert_true (bh_secret_equal (secret, CSECRET2));
  g_assert_finalize_object (g_steal_pointer (&again));

  /* The repair was written whole: has-client-secret too. */
  again = load_store (path, &error);
  g_assert_true (bh_app_get_has_client_secret (bh_store_find_app (again, "Client Bot")));

  g_assert_finalize_object (g_steal_pointer (&again));
  g_clear_object (&both);
  g_clear_object (&client);
  g_assert_finalize_object (g_steal_pointer (&store));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("BH_TEST_NO_KEYRING") != NULL)
    g_test_add_func ("/store/no-keyring", test_no_keyring);
  else
    {
      g_test_add_func ("/store/model-notify", test_model_notify);
      g_test_add_func ("/store/round-trip", test_round_trip);
      g_test_add_func ("/store/update-in-place", test_update_in_place);
      g_test_add_func ("/store/validation", test_validation);
      g_test_add_func ("/store/restore-from-keyring", test_restore_from_keyring);
      g_test_add_func ("/store/secret-missing", test_secret_missing);
      g_test_add_func ("/store/damaged-garbage", test_damaged_garbage);
      g_test_add_func ("/store/damaged-missing-key", test_damaged_missing_key);
      g_test_add_func ("/store/remove-app", test_remove_app);
      g_test_add_func ("/store/secret-tool", test_secret_tool);
      g_test_add_func ("/store/other-process", test_other_process);
      g_test_add_func ("/store/no-secret-in-files", test_no_secret_in_files);
      g_test_add_func ("/store/oauth2-round-trip", test_oauth2_round_trip);
      g_test_add_func ("/store/oauth2-validation", test_oauth2_validation);
      g_test_add_func ("/store/oauth2-update", test_oauth2_update);
      g_test_add_func ("/store/oauth2-restore", test_oauth2_restore);
      /* Last: it leaves the keyring locked. */
      if (!bh_test_file_backend ())
        g_test_add_func ("/store/zz-locked", test_locked);
      else
        g_test_add_data_func ("/store/zz-locked", BH_TEST_FILE_BACKEND_NO_LOCK, bh_test_skip);
    }

  return g_test_run ();
}
