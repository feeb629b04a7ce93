/* test-records-format.c
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

/* The records format alone: the parser and the serializer are pure
 * functions, tested here without a store, a file or a keyring. */

#include "config.h"

#include <string.h>

#include "bh-store-private.h"
#include "bh-app-private.h"
#include "bh-credential-age.h"
#include "bh-oauth2.h"

#define HEADER "[Birdhouse]\nversion=1\n"

static GPtrArray *
parse (const char  *text,
       GError     **error)
{
  return _bh_store_records_parse (text, strlen (text), error);
}

static void
assert_damaged (const char *text,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) apps = parse (text, &error);

  g_assert_null (apps);
  g_assert_error (error, BH_STORE_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) apps = parse (HEADER, &error);
  g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) again = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (apps->len, ==, 0);

  text = _bh_store_records_serialize (none, NULL);
  again = parse (text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 0);
  /* Nothing secret, and it says so. */
  g_assert_nonnull (strstr (text, "nothing secret"));
}

static void
test_every_field (void)
{
  const char *text =
    HEADER
    "[App a1]\nname=Röbin\nconsumer-key=KEY1\napi-host=https://api.x.com\nhas-bearer=true\nrestored=true\n"
    "[App a2]\nname=Two\nconsumer-key=KEY2\napi-host=https://api.twitter.com\n"
    "[Account a1 42]\nscreen-name=jack\nname=Jack D\naccess-level=read-write\n"
    "authorized-at=2026-01-02T03:04:05Z\nverified-at=2026-02-03T04:05:06Z\nstate=needs-reauth\nrestored=true\n"
    "[Account a1 43]\nscreen-name=\nstate=secret-missing\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) apps = parse (text, &error);
  BhApp *a1, *a2;
  g_autoptr(BhAccount) jack = NULL;
  g_autoptr(BhAccount) other = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);

  g_assert_no_error (error);
  g_assert_cmpuint (apps->len, ==, 2);
  a1 = apps->pdata[0];
  a2 = apps->pdata[1];

  g_assert_cmpstr (bh_app_get_id (a1), ==, "a1");
  g_assert_cmpstr (bh_app_get_name (a1), ==, "Röbin");
  g_assert_cmpstr (bh_app_get_consumer_key (a1), ==, "KEY1");
  g_assert_cmpstr (bh_app_get_api_host (a1), ==, "https://api.x.com");
  g_assert_true (bh_app_get_has_bearer (a1));
  g_assert_true (bh_app_get_restored (a1));
  /* A record implies a secret until the keyring says otherwise. */
  g_assert_true (bh_app_get_has_secret (a1));

  g_assert_cmpstr (bh_app_get_api_host (a2), ==, "https://api.twitter.com");
  g_assert_false (bh_app_get_has_bearer (a2));
  g_assert_false (bh_app_get_restored (a2));
  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (a2)), ==, 0);

  g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (a1)), ==, 2);
  jack = g_object_ref (bh_app_find_account (a1, "42"));
  g_assert_cmpstr (bh_account_get_app_id (jack), ==, "a1");
  g_assert_cmpstr (bh_account_get_screen_name (jack), ==, "jack");
  g_assert_cmpstr (bh_account_get_name (jack), ==, "Jack D");
  g_assert_cmpstr (bh_account_get_access_level (jack), ==, "read-write");
  g_assert_true (g_date_time_equal (bh_account_get_authorized_at (jack), when));
  g_assert_nonnull (bh_account_get_verified_at (jack));
  g_assert_cmpint (bh_account_get_state (jack), ==, BH_ACCOUNT_STATE_NEEDS_REAUTH);
  g_assert_true (bh_account_get_restored (jack));

  other = g_object_ref (bh_app_find_account (a1, "43"));
  g_assert_cmpstr (bh_account_get_screen_name (other), ==, "");
  g_assert_null (bh_account_get_name (other));
  g_assert_null (bh_account_get_access_level (other));
  g_assert_null (bh_account_get_authorized_at (other));
  g_assert_null (bh_account_get_verified_at (other));
  g_assert_cmpint (bh_account_get_state (other), ==, BH_ACCOUNT_STATE_SECRET_MISSING);
  g_assert_false (bh_account_get_restored (other));
}

/* What the model holds comes back the same from its text. */
static void
test_round_trip (void)
{
  g_autoptr(GPtrArray) apps = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2025, 12, 31, 23, 59, 58);
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("App [%u] = “quoted” ; # not a comment", i);
      BhApp *app = bh_app_new (NULL, name, "KEY", i == 0 ? "https://api.x.com" : "https://api.twitter.com");

      bh_app_set_has_bearer (app, i == 1);
      bh_app_set_restored (app, i == 2);
      for (guint j = 0; j < i; j++)
        {
          g_autofree char *user_id = g_strdup_printf ("%u", 1000 + j);
          g_autoptr(BhAccount) account = bh_account_new (bh_app_get_id (app), user_id, "screen_name");

          bh_account_set_name (account, j == 0 ? "Ünïcode name 🐦" : NULL);
          bh_account_set_access_level (account, "read");
          bh_account_set_authorized_at (account, when);
          bh_account_set_state (account, j == 0 ? BH_ACCOUNT_STATE_OK : BH_ACCOUNT_STATE_NEEDS_REAUTH);
          _bh_app_add_account (app, account);
        }
      g_ptr_array_add (apps, app);
    }

  text = _bh_store_records_serialize (apps, &len);
  g_assert_cmpuint (len, ==, strlen (text));
  back = _bh_store_records_parse (text, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, apps->len);

  for (guint i = 0; i < apps->len; i++)
    {
      BhApp *a = apps->pdata[i];
      BhApp *b = back->pdata[i];

      g_assert_cmpstr (bh_app_get_id (a), ==, bh_app_get_id (b));
      g_assert_cmpstr (bh_app_get_name (a), ==, bh_app_get_name (b));
      g_assert_cmpstr (bh_app_get_consumer_key (a), ==, bh_app_get_consumer_key (b));
      g_assert_cmpstr (bh_app_get_api_host (a), ==, bh_app_get_api_host (b));
      g_assert_cmpint (bh_app_get_has_bearer (a), ==, bh_app_get_has_bearer (b));
      g_assert_cmpint (bh_app_get_restored (a), ==, bh_app_get_restored (b));
      g_assert_cmpuint (g_list_model_get_n_items (bh_app_get_accounts (b)), ==, i);
      for (guint j = 0; j < i; j++)
        {
          g_autoptr(BhAccount) x = g_list_model_get_item (bh_app_get_accounts (a), j);
          BhAccount *y = bh_app_find_account (b, bh_account_get_user_id (x));

          g_assert_nonnull (y);
          g_assert_cmpstr (bh_account_get_screen_name (x), ==, bh_account_get_screen_name (y));
          g_assert_cmpstr (bh_account_get_name (x), ==, bh_account_get_name (y));
          g_assert_cmpstr (bh_account_get_access_level (x), ==, bh_account_get_access_level (y));
          g_assert_true (g_date_time_equal (bh_account_get_authorized_at (x), bh_account_get_authorized_at (y)));
          g_assert_cmpint (bh_account_get_state (x), ==, bh_account_get_state (y));
        }
    }

  /* And the text is stable. */
  text2 = _bh_store_records_serialize (back, NULL);
  g_assert_cmpstr (text, ==, text2);
}

/* An App's OAuth 2.0 client: a Client ID alone is an App; the redirect
 * URI is kept only when it is not the default; one with neither key, or a
 * redirect URI Birdhouse cannot listen on, is a damaged record. */
static void
test_oauth2_client (void)
{
  const char *text =
    HEADER
    "[App c1]\nname=Client\nclient-id=CID1\napi-host=https://api.x.com\nhas-client-secret=true\n"
    "redirect-uri=http://127.0.0.1:9000/cb\n"
    "[App c2]\nname=Both\nconsumer-key=KEY2\nclient-id=CID2\napi-host=https://api.x.com\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) apps = parse (text, &error);
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *out = NULL;
  BhApp *c1, *c2;

  g_assert_no_error (error);
  c1 = apps->pdata[0];
  c2 = apps->pdata[1];
  g_assert_null (bh_app_get_consumer_key (c1));
  g_assert_false (bh_app_get_has_secret (c1));
  g_assert_cmpstr (bh_app_get_client_id (c1), ==, "CID1");
  g_assert_true (bh_app_get_has_client_secret (c1));
  g_assert_cmpstr (bh_app_get_redirect_uri (c1), ==, "http://127.0.0.1:9000/cb");
  g_assert_cmpstr (bh_app_get_consumer_key (c2), ==, "KEY2");
  g_assert_true (bh_app_get_has_secret (c2));
  g_assert_false (bh_app_get_has_client_secret (c2));
  g_assert_cmpstr (bh_app_get_redirect_uri (c2), ==, BH_OAUTH2_DEFAULT_REDIRECT_URI);

  out = _bh_store_records_serialize (apps, NULL);
  g_assert_nonnull (strstr (out, "redirect-uri=http://127.0.0.1:9000/cb\n"));
  g_assert_null (strstr (out, "redirect-uri=" BH_OAUTH2_DEFAULT_REDIRECT_URI));
  {
    g_autofree char *c1_section = g_strdup (strstr (out, "[App c1]"));

    *strstr (c1_section + 1, "\n[") = '\0';
    g_assert_null (strstr (c1_section, "consumer-key"));
  }
  again = parse (out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bh_app_get_client_id (again->pdata[0]), ==, "CID1");
  g_assert_true (bh_app_get_has_client_secret (again->pdata[0]));

  assert_damaged (HEADER "[App n]\nname=Neither\napi-host=https://api.x.com\n", BH_STORE_ERROR_RECORDS_DAMAGED);
  assert_damaged (HEADER "[App n]\nname=Local\nclient-id=C\napi-host=https://api.x.com\n"
                  "redirect-uri=http://localhost:8477/callback\n", BH_STORE_ERROR_RECORDS_DAMAGED);
  assert_damaged (HEADER "[App n]\nname=Spaced\nclient-id=C D\napi-host=https://api.x.com\n",
                  BH_STORE_ERROR_RECORDS_DAMAGED);
  assert_damaged (HEADER "[App n]\nname=Flag\nclient-id=C\napi-host=https://api.x.com\nhas-client-secret=maybe\n",
                  BH_STORE_ERROR_RECORDS_DAMAGED);
}

static void
test_damaged (void)
{
  const struct {
    const char *text;
    int         code;
  } cases[] = {
    { "", BH_STORE_ERROR_RECORDS_DAMAGED },
    { "not a key file\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { "[Birdhouse]\nversion=2\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { "[Birdhouse]\nversion=one\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nconsumer-key=K\napi-host=https://api.x.com\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=A\napi-host=https://api.x.com\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=A\nconsumer-key=K\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\nhas-bearer=maybe\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=A\nconsumer-key=K K\napi-host=https://api.x.com\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=\\sA\nconsumer-key=K\napi-host=https://api.x.com\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=A\\tB\nconsumer-key=K\napi-host=https://api.x.com\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=A\nconsumer-key=K\napi-host=ftp://api.x.com\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[Other]\nx=y\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[Account nope 1]\nscreen-name=x\nstate=ok\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\n[Account a]\nscreen-name=x\nstate=ok\n",
      BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\n[Account a 1 2]\nscreen-name=x\nstate=ok\n",
      BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\n[Account a 1]\nstate=ok\n",
      BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\n[Account a 1]\nscreen-name=x\nstate=fine\n",
      BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\n[Account a 1]\nscreen-name=x\nstate=ok\n"
      "authorized-at=yesterday\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\n[Account a 1]\nscreen-name=x\\ny\nstate=ok\n",
      BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\n[Account a 1]\nscreen-name=x\nstate=ok\n"
      "access-level=read write\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a]\nname=\xff\nconsumer-key=K\napi-host=https://api.x.com\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    /* An App id that is not one word of text (found by fuzz-records). */
    { HEADER "[App a\xff]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\n", BH_STORE_ERROR_RECORDS_DAMAGED },
    { HEADER "[App a b]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\n", BH_STORE_ERROR_RECORDS_DAMAGED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      assert_damaged (cases[i].text, cases[i].code);
    }
}

/* What a damaged file puts in a sentence is made safe. */
static void
test_damaged_text_is_safe (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) apps = parse (HEADER "[\x1b[31mred \xe2\x80\xae]\nx=y\n", &error);

  g_assert_null (apps);
  g_assert_error (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_null (strchr (error->message, '\x1b'));
  g_assert_null (strstr (error->message, "\xe2\x80\xae"));
}

static void
test_limits (void)
{
  g_autoptr(GString) text = g_string_new (HEADER);
  g_autoptr(GString) accounts = g_string_new (HEADER "[App a]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\n");
  g_autofree char *long_name = NULL;
  g_autofree char *long_key = NULL;
  g_autofree char *name_file = NULL;
  g_autofree char *key_file = NULL;
  g_autoptr(GPtrArray) apps = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i <= BH_STORE_MAX_APPS; i++)
    g_string_append_printf (text, "[App a%u]\nname=App %u\nconsumer-key=K\napi-host=https://api.x.com\n", i, i);
  assert_damaged (text->str, BH_STORE_ERROR_LIMIT);

  /* Exactly the limit is fine. */
  g_string_assign (text, HEADER);
  for (guint i = 0; i < BH_STORE_MAX_APPS; i++)
    g_string_append_printf (text, "[App a%u]\nname=App %u\nconsumer-key=K\napi-host=https://api.x.com\n", i, i);
  apps = parse (text->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (apps->len, ==, BH_STORE_MAX_APPS);

  for (guint i = 0; i <= BH_STORE_MAX_ACCOUNTS_PER_APP; i++)
    g_string_append_printf (accounts, "[Account a %u]\nscreen-name=u%u\nstate=ok\n", i, i);
  assert_damaged (accounts->str, BH_STORE_ERROR_LIMIT);

  long_name = g_strnfill (BH_STORE_MAX_NAME_LENGTH + 1, 'n');
  name_file = g_strdup_printf (HEADER "[App a]\nname=%s\nconsumer-key=K\napi-host=https://api.x.com\n", long_name);
  assert_damaged (name_file, BH_STORE_ERROR_LIMIT);

  long_key = g_strnfill (BH_STORE_MAX_TEXT_LENGTH + 1, 'k');
  key_file = g_strdup_printf (HEADER "[App a]\nname=A\nconsumer-key=%s\napi-host=https://api.x.com\n", long_key);
  assert_damaged (key_file, BH_STORE_ERROR_LIMIT);
}

/* The credentials' times survive a round trip; a record without them is
 * unknown (never "now", never due); the newer of creation and rotation
 * counts; a malformed time is damage. */
static void
test_credential_ages (void)
{
  const char *text =
    HEADER
    "[App a]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\nhas-bearer=true\n"
    "secret-created-at=2024-01-01T00:00:00Z\nsecret-rotated-at=2025-06-01T00:00:00Z\n"
    "bearer-created-at=2025-07-01T00:00:00Z\nbearer-rotated-at=2025-01-01T00:00:00Z\n"
    "client-id=CID\nhas-client-secret=true\n"
    "client-secret-created-at=2025-02-01T00:00:00Z\nclient-secret-rotated-at=2025-08-15T00:00:00Z\n"
    "[Account a 1001]\nscreen-name=alice\nstate=ok\nauthorized-at=2025-05-01T00:00:00Z\n"
    "rotated-at=2025-08-01T00:00:00Z\n"
    "[Account a 1002]\nscreen-name=bob\nstate=ok\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) apps = parse (text, &error);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2025, 9, 1, 0, 0, 0);
  g_autofree char *serialized = NULL;
  BhApp *app;
  BhAccount *alice, *bob;

  g_assert_no_error (error);
  app = g_ptr_array_index (apps, 0);
  alice = bh_app_find_account (app, "alice");
  bob = bh_app_find_account (app, "bob");

  {
    g_autoptr(BhCredentialAge) secret = bh_credential_age_for_app (app, BH_CREDENTIAL_KIND_API_KEY_SECRET, 90, now);
    g_autoptr(BhCredentialAge) bearer = bh_credential_age_for_app (app, BH_CREDENTIAL_KIND_BEARER_TOKEN, 90, now);
    g_autoptr(BhCredentialAge) a = bh_credential_age_for_account (app, alice, 90, now);
    g_autoptr(BhCredentialAge) b = bh_credential_age_for_account (app, bob, 90, now);
    g_autoptr(BhCredentialAge) never = bh_credential_age_for_app (app, BH_CREDENTIAL_KIND_API_KEY_SECRET, 0, now);
    g_autoptr(BhCredentialAge) client = bh_credential_age_for_app (app, BH_CREDENTIAL_KIND_CLIENT_SECRET, 90, now);

    /* Rotated June 1st: three months before "now", due at 90 days. */
    g_assert_true (secret->rotated);
    g_assert_true (secret->due);
    /* Generated again after its last rotation: the creation counts. */
    g_assert_false (bearer->rotated);
    g_assert_cmpint (g_date_time_get_month (bearer->since), ==, 7);
    g_assert_false (bearer->due);
    g_assert_true (a->rotated);
    g_assert_false (a->due);
    /* Unknown: shown as such, never due. */
    g_assert_null (b->since);
    g_assert_false (b->due);
    g_assert_false (never->due);
    /* The Client Secret's own times: rotated in August, not due. */
    g_assert_true (client->rotated);
    g_assert_cmpint (g_date_time_get_month (client->since), ==, 8);
    g_assert_false (client->due);
  }

  g_assert_false (bh_credential_is_due (NULL, 30, now));
  g_assert_true (bh_credential_is_due (bh_app_get_time (app, BH_APP_TIME_SECRET_CREATED), 30, now));
  g_assert_false (bh_credential_is_due (bh_app_get_time (app, BH_APP_TIME_SECRET_CREATED), 0, now));

  serialized = _bh_store_records_serialize (apps, NULL);
  again = parse (serialized, &error);
  g_assert_no_error (error);
  app = g_ptr_array_index (again, 0);
  for (guint i = 0; i < BH_APP_N_TIMES; i++)
    g_assert_true (g_date_time_equal (bh_app_get_time (app, i),
                                      bh_app_get_time (g_ptr_array_index (apps, 0), i)));
  g_assert_nonnull (bh_account_get_rotated_at (bh_app_find_account (app, "alice")));
  g_assert_null (bh_account_get_rotated_at (bh_app_find_account (app, "bob")));
  g_assert_null (bh_account_get_authorized_at (bh_app_find_account (app, "bob")));

  assert_damaged (HEADER "[App a]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\nsecret-rotated-at=soon\n",
                  BH_STORE_ERROR_RECORDS_DAMAGED);
  assert_damaged (HEADER "[App a]\nname=A\nconsumer-key=K\napi-host=https://api.x.com\n"
                  "[Account a 1]\nscreen-name=x\nstate=ok\nrotated-at=2025-13-01\n",
                  BH_STORE_ERROR_RECORDS_DAMAGED);
}

/* The health check's records: read back as written, on an account and on
 * an App's keys and bearer token; a value this version cannot read is left
 * out, not a damaged file (the next check rewrites it). */
static void
test_health (void)
{
  const char *text =
    HEADER
    "[App a1]\nname=MyBot\nconsumer-key=k\napi-host=https://api.x.com\nhas-bearer=true\n"
    "keys-health=healthy\nkeys-health-verdict=healthy\nkeys-health-checked-at=2026-11-30T13:00:00Z\n"
    "keys-health-checked-by=command-line\n"
    "bearer-health=rate-limited\nbearer-health-verdict=bearer-invalid\nbearer-health-retry-at=1900000000\n"
    "[Account a1 1001]\nscreen-name=alice\nstate=needs-reauth\n"
    "health=unreachable\nhealth-verdict=needs-reauth\nhealth-checked-by=window\n"
    "[Account a1 1002]\nscreen-name=bob\nstate=ok\nhealth=from-the-future\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) apps = parse (text, &error);
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *written = NULL;
  const BhHealthRecord *record;
  BhAccount *alice, *bob;
  BhApp *app;

  g_assert_no_error (error);
  app = g_ptr_array_index (apps, 0);
  record = bh_app_get_keys_health (app);
  g_assert_nonnull (record);
  g_assert_cmpint (record->state, ==, BH_HEALTH_HEALTHY);
  g_assert_cmpint (record->checked_by, ==, BH_HEALTH_BY_COMMAND_LINE);
  g_assert_nonnull (record->checked_at);
  record = bh_app_get_bearer_health (app);
  g_assert_cmpint (record->state, ==, BH_HEALTH_RATE_LIMITED);
  g_assert_cmpint (record->verdict, ==, BH_HEALTH_BEARER_INVALID);
  g_assert_cmpint (record->retry_at, ==, 1900000000);
  alice = bh_app_find_account (app, "1001");
  g_assert_cmpint (bh_account_get_health (alice)->state, ==, BH_HEALTH_UNREACHABLE);
  g_assert_cmpint (bh_account_get_health (alice)->verdict, ==, BH_HEALTH_NEEDS_REAUTH);
  g_assert_cmpint (bh_account_get_state (alice), ==, BH_ACCOUNT_STATE_NEEDS_REAUTH);
  bob = bh_app_find_account (app, "1002");
  g_assert_null (bh_account_get_health (bob));

  written = _bh_store_records_serialize (apps, NULL);
  again = parse (written, &error);
  g_assert_no_error (error);
  app = g_ptr_array_index (again, 0);
  g_assert_true (bh_health_record_equal (bh_app_get_bearer_health (app),
                                         bh_app_get_bearer_health (g_ptr_array_index (apps, 0))));
  g_assert_true (bh_health_record_equal (bh_account_get_health (bh_app_find_account (app, "1001")),
                                         bh_account_get_health (alice)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/records-format/empty", test_empty);
  g_test_add_func ("/records-format/every-field", test_every_field);
  g_test_add_func ("/records-format/round-trip", test_round_trip);
  g_test_add_func ("/records-format/oauth2-client", test_oauth2_client);
  g_test_add_func ("/records-format/damaged", test_damaged);
  g_test_add_func ("/records-format/damaged-text-is-safe", test_damaged_text_is_safe);
  g_test_add_func ("/records-format/limits", test_limits);
  g_test_add_func ("/records-format/credential-ages", test_credential_ages);
  g_test_add_func ("/records-format/health", test_health);

  return g_test_run ();
}
