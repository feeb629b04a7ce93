/* test-x-url.c
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

/* One rule for where credentials may go: what the X client refuses as an
 * API host, the store refuses to keep, with the same sentence. Runs in a
 * private session with a keyring, so that an accepted host really makes
 * an App. */

#include "config.h"

#include "bh-store.h"
#include "bh-test-utils.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

#define TIMEOUT 30

#define KEY    "test-consumer-key-0123456789"
#define SECRET "test-consumer-secret-abcdefghijklmnopqrstuvwxyz0123"

static void
test_loopback_host (void)
{
  const struct {
    const char *host;
    gboolean    loopback;
  } cases[] = {
    { "localhost", TRUE },
    { "LocalHost", TRUE },
    { "127.0.0.1", TRUE },
    { "127.1.2.3", TRUE },
    { "::1", TRUE },
    { "128.0.0.1", FALSE },
    { "10.0.0.1", FALSE },
    { "::ffff:127.0.0.1", FALSE },
    { "127.0.0.1.example.com", FALSE },
    { "localhost.example.com", FALSE },
    { "[::1]", FALSE },
    { "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].host);
      g_assert_cmpint (bh_x_url_is_loopback_host (cases[i].host), ==, cases[i].loopback);
    }
}

static BhStore *
load_store (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  BhStore *store;

  g_assert_nonnull (g_getenv ("BH_TEST_TMPDIR"));
  path = g_build_filename (g_getenv ("BH_TEST_TMPDIR"), "data", "birdhouse-tests",
                           "x-url", "records.ini", NULL);
  store = bh_store_new (path);
  bh_store_load_async (store, NULL, bh_test_store_result, &result);
  bh_test_wait_for_result (&result, TIMEOUT);
  g_assert_true (bh_store_load_finish (store, result, &error));
  g_assert_no_error (error);

  return store;
}

/* Each host goes through bh_x_client_new() and bh_store_add_app_async();
 * both take it or both refuse it. Where the store's own text checks
 * (empty, spaces, controls) pass, it says what the client says. */
static void
test_store_refuses_what_client_refuses (void)
{
  const struct {
    const char *host;
    int         code;        /* BH_X_ERROR_*, or -1 when accepted */
    gboolean    text_ok;     /* passes the store's own text checks */
  } cases[] = {
    { "https://api.x.com", -1, TRUE },
    { "https://api.twitter.com/", -1, TRUE },
    { "HTTPS://API.X.COM", -1, TRUE },
    { "https://api.x.com:8443", -1, TRUE },
    { "http://127.0.0.1:8080", -1, TRUE },
    { "http://[::1]:9000", -1, TRUE },
    { "http://localhost:1234", -1, TRUE },
    { "http://LocalHost", -1, TRUE },
    { "http://api.x.com", BH_X_ERROR_INSECURE_URL, TRUE },
    { "http://10.0.0.1", BH_X_ERROR_INSECURE_URL, TRUE },
    { "http://128.0.0.1", BH_X_ERROR_INSECURE_URL, TRUE },
    { "http://127.0.0.1.example.com", BH_X_ERROR_INSECURE_URL, TRUE },
    { "http://localhost.example.com", BH_X_ERROR_INSECURE_URL, TRUE },
    { "http://[::ffff:127.0.0.1]", BH_X_ERROR_INSECURE_URL, TRUE },
    { "ftp://127.0.0.1", BH_X_ERROR_INVALID_URL, TRUE },
    { "gopher://api.x.com", BH_X_ERROR_INVALID_URL, TRUE },
    { "file:///etc/passwd", BH_X_ERROR_INVALID_URL, TRUE },
    { "api.x.com", BH_X_ERROR_INVALID_URL, TRUE },
    { "https://", BH_X_ERROR_INVALID_URL, TRUE },
    { "https://user:pass@api.x.com", BH_X_ERROR_INVALID_URL, TRUE },
    { "https://api.x.com/1.1", BH_X_ERROR_INVALID_URL, TRUE },
    { "https://api.x.com/1.1?x=1", BH_X_ERROR_INVALID_URL, TRUE },
    { "https://api.x.com?x=1", BH_X_ERROR_INVALID_URL, TRUE },
    { "https://api.x.com#top", BH_X_ERROR_INVALID_URL, TRUE },
    { "https://api.x.com%2F@evil.example", BH_X_ERROR_INVALID_URL, TRUE },
    /* GUri decodes a host: both see these as api.x.com and localhost. */
    { "https://api%2Ex.com", -1, TRUE },
    { "http://%6C%6Fcalhost:8080", -1, TRUE },
    /* Once kept by the store: hosts GUri lets through, decoded or not,
     * that no name server knows. */
    { "https://exa\"mple.com", BH_X_ERROR_INVALID_URL, TRUE },
    { "https://a'b.com", BH_X_ERROR_INVALID_URL, TRUE },
    { "https://exa%20mple.com", BH_X_ERROR_INVALID_URL, TRUE },
    { "https://api.x.com%0A", BH_X_ERROR_INVALID_URL, TRUE },
    { "https://a%3Cb%3E.com", BH_X_ERROR_INVALID_URL, TRUE },
    { "https://api.x.com%2F.evil.example", BH_X_ERROR_INVALID_URL, TRUE },
    /* Refused by the store's text checks first. */
    { "", BH_X_ERROR_INVALID_URL, FALSE },
    { "https://exa mple.com", BH_X_ERROR_INVALID_URL, FALSE },
    { " https://api.x.com", BH_X_ERROR_INVALID_URL, FALSE },
    { "https://api.x.com\n", BH_X_ERROR_INVALID_URL, FALSE },
  };
  g_autoptr(BhStore) store = load_store ();
  guint accepted = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) client_error = NULL;
      g_autoptr(GError) check_error = NULL;
      g_autoptr(GError) store_error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(BhXClient) client = NULL;
      g_autoptr(BhApp) app = NULL;
      g_autofree char *name = g_strdup_printf ("Host %u", i);
      gboolean checked;

      g_test_message ("“%s”", cases[i].host);

      client = bh_x_client_new (cases[i].host, &client_error);
      checked = bh_x_check_api_host (cases[i].host, &check_error);
      bh_store_add_app_async (store, name, KEY, SECRET, cases[i].host, NULL,
                              bh_test_store_result, &result);
      app = bh_store_add_app_finish (store, bh_test_wait_for_result (&result, TIMEOUT), &store_error);

      if (cases[i].code < 0)
        {
          g_assert_no_error (client_error);
          g_assert_no_error (check_error);
          g_assert_no_error (store_error);
          g_assert_nonnull (client);
          g_assert_true (checked);
          g_assert_nonnull (app);
          accepted++;
          continue;
        }

      g_assert_error (client_error, BH_X_ERROR, cases[i].code);
      g_assert_error (check_error, BH_X_ERROR, cases[i].code);
      g_assert_error (store_error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID);
      g_assert_null (client);
      g_assert_false (checked);
      g_assert_null (app);

      g_assert_cmpstr (client_error->message, ==, check_error->message);
      if (cases[i].text_ok)
        g_assert_cmpstr (store_error->message, ==, client_error->message);
    }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, accepted);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* Any URL the client may send a request to: an API host it accepts,
 * with any path after it. */
static void
test_check_url_follows_api_host (void)
{
  const char *hosts[] = {
    "https://api.x.com", "http://127.0.0.1:8080", "http://[::1]:9000", "http://localhost",
  };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *url = g_strconcat (hosts[i], "/1.1/account/verify_credentials.json?skip_status=true", NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (bh_x_check_api_host (hosts[i], &error));
      g_assert_no_error (error);
      g_assert_true (bh_x_check_url (url, &error));
      g_assert_no_error (error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/x-url/loopback-host", test_loopback_host);
  g_test_add_func ("/x-url/check-url-follows-api-host", test_check_url_follows_api_host);
  if (g_getenv ("BH_TEST_NO_KEYRING") == NULL)
    g_test_add_func ("/x-url/store-refuses-what-client-refuses", test_store_refuses_what_client_refuses);

  return g_test_run ();
}
