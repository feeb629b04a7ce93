/* test-x-answers.c
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

/* Each endpoint's reading of X's answer, without a network: the answer is
 * built from bytes with bh_x_response_new_for_body(), as the fuzzer
 * (tests/fuzz/fuzz-response.c) builds it. */

#include "config.h"

#include <string.h>

#include "bh-secret.h"
#include "bh-x-client-private.h"
#include "bh-x-error.h"

static BhXResponse *
answer (const char *body)
{
  return bh_x_response_new_for_body (200, "text/html", body, strlen (body));
}

static void
test_request_token (void)
{
  g_autoptr(BhXResponse) response = answer ("oauth_token=Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik"
                                            "&oauth_token_secret=Kd75W4OQfb2oJTV0vzGzeXftVAwgMnEK9MumzYcM"
                                            "&oauth_callback_confirmed=true");
  g_autoptr(BhXResponse) unconfirmed = answer ("oauth_token=abc&oauth_token_secret=def");
  g_autoptr(BhXTokenPair) pair = NULL;
  g_autoptr(GError) error = NULL;

  pair = _bh_x_parse_request_token (response, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pair->token, ==, "Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik");
  g_assert_cmpstr (pair->token_secret, ==, "Kd75W4OQfb2oJTV0vzGzeXftVAwgMnEK9MumzYcM");
  g_assert_null (pair->user_id);

  g_assert_null (_bh_x_parse_request_token (unconfirmed, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_CALLBACK_NOT_CONFIRMED);
}

static void
test_access_token (void)
{
  g_autoptr(BhXResponse) response = answer ("oauth_token=6253282-eWudHldSbIaelX7swmsiHImEL4KinwaGloHANdrY"
                                            "&oauth_token_secret=2EEfA6BG3ly3sR3RjE0IBSnlQu4ZrUzPiYKmrkVU"
                                            "&user_id=6253282&screen_name=%E2%80%AEtwitterapi%1B%5B2J");
  g_autoptr(BhXTokenPair) pair = NULL;
  g_autoptr(GError) error = NULL;

  pair = _bh_x_parse_access_token (response, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pair->token, ==, "6253282-eWudHldSbIaelX7swmsiHImEL4KinwaGloHANdrY");
  g_assert_cmpstr (pair->user_id, ==, "6253282");
  /* A name is shown: cleaned of the override and the escape. */
  g_assert_cmpstr (pair->screen_name, ==, "twitterapi[2J");
}

/* A token is a secret and cannot be cleaned without becoming another
 * one: an answer with a control or a bidirectional mark in one is
 * refused (found by fuzz-response). */
static void
test_token_with_controls (void)
{
  const char *bodies[] = {
    "oauth_token=abc%1Bdef&oauth_token_secret=ghi&oauth_callback_confirmed=true",
    "oauth_token=abc&oauth_token_secret=g%0Ahi&oauth_callback_confirmed=true",
    "oauth_token=abc%E2%80%AEdef&oauth_token_secret=ghi&oauth_callback_confirmed=true",
    "oauth_token=abc\x1c" "def&oauth_token_secret=ghi&oauth_callback_confirmed=true",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(BhXResponse) response = answer (bodies[i]);
      g_autoptr(GError) request_error = NULL;
      g_autoptr(GError) access_error = NULL;

      g_test_message ("%u", i);
      g_assert_null (_bh_x_parse_request_token (response, &request_error));
      g_assert_error (request_error, BH_X_ERROR, BH_X_ERROR_MALFORMED);
      g_assert_null (_bh_x_parse_access_token (response, &access_error));
      g_assert_error (access_error, BH_X_ERROR, BH_X_ERROR_MALFORMED);
    }
}

static void
test_identities (void)
{
  g_autoptr(BhXResponse) verify = answer ("{\"id\":6253282,\"id_str\":\"6253282\",\"name\":\"X \\u202eAPI\","
                                          "\"screen_name\":\"XAPI\"}");
  g_autoptr(BhXResponse) me = answer ("{\"data\":{\"id\":\"2244994945\",\"name\":\"X Dev\","
                                      "\"username\":\"XDevelopers\"}}");
  g_autoptr(BhXIdentity) from_verify = NULL;
  g_autoptr(BhXIdentity) from_me = NULL;
  g_autoptr(GError) error = NULL;

  from_verify = _bh_x_parse_verify_credentials (verify, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_verify->user_id, ==, "6253282");
  g_assert_cmpstr (from_verify->screen_name, ==, "XAPI");
  g_assert_cmpstr (from_verify->name, ==, "X API");
  g_assert_cmpint (from_verify->rate_limit_limit, ==, -1);

  from_me = _bh_x_parse_users_me (me, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_me->user_id, ==, "2244994945");
  g_assert_cmpstr (from_me->screen_name, ==, "XDevelopers");
}

/* Nobody is left once the name is cleaned: refused, not an account with
 * an empty name (found by fuzz-response). */
static void
test_identity_of_controls_only (void)
{
  const char *verify_bodies[] = {
    "{\"id_str\":\"1\",\"screen_name\":\"\\u202e\"}",
    "{\"id_str\":\"\\u0007\",\"screen_name\":\"XAPI\"}",
    "{\"id_str\":1,\"screen_name\":\"XAPI\"}",
  };
  g_autoptr(BhXResponse) me = answer ("{\"data\":{\"id\":\"1\",\"username\":\"\\u2066\\u2069\"}}");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (verify_bodies); i++)
    {
      g_autoptr(BhXResponse) response = answer (verify_bodies[i]);
      g_autoptr(GError) verify_error = NULL;

      g_test_message ("%s", verify_bodies[i]);
      g_assert_null (_bh_x_parse_verify_credentials (response, &verify_error));
      g_assert_error (verify_error, BH_X_ERROR, BH_X_ERROR_MALFORMED);
    }

  g_assert_null (_bh_x_parse_users_me (me, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_MALFORMED);
}

static void
test_bearer_token (void)
{
  g_autoptr(BhXResponse) response = answer ("{\"token_type\":\"bearer\",\"access_token\":"
                                            "\"AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3D\"}");
  g_autoptr(BhXResponse) mac = answer ("{\"token_type\":\"mac\",\"access_token\":\"x\"}");
  g_autoptr(BhXResponse) control = answer ("{\"token_type\":\"bearer\",\"access_token\":\"AAA\\u001bBBB\"}");
  g_autoptr(BhSecret) bearer = NULL;
  g_autoptr(GError) error = NULL;

  bearer = _bh_x_parse_bearer_token (response, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bearer, ==, "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3D");

  g_assert_null (_bh_x_parse_bearer_token (mac, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_NOT_BEARER);
  g_clear_error (&error);

  g_assert_null (_bh_x_parse_bearer_token (control, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_MALFORMED);
}

/* The body alone decides form or JSON (X sends its oauth/ forms as
 * text/html); an answer nested deeper than json-glib's stack allows is
 * neither. */
static void
test_new_for_body (void)
{
  g_autoptr(BhXResponse) empty = bh_x_response_new_for_body (204, NULL, NULL, 0);
  g_autoptr(BhXResponse) json = bh_x_response_new_for_body (200, "text/html", "{\"a\":1}", 7);
  g_autoptr(BhXResponse) form = bh_x_response_new_for_body (200, "application/json; charset=utf-8",
                                                            "a=1&b=2", 7);
  g_autofree char *deep = g_strnfill (100000, '[');
  g_autoptr(BhXResponse) nested = bh_x_response_new_for_body (200, NULL, deep, strlen (deep));
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_bytes_get_size (empty->body), ==, 0);
  g_assert_null (empty->json);
  g_assert_null (empty->form);
  g_assert_null (empty->content_type);
  g_assert_cmpint (empty->rate_limit_remaining, ==, -1);
  g_assert_true (bh_x_response_check (empty, NULL));

  g_assert_nonnull (json->json);
  g_assert_null (json->form);
  g_assert_cmpstr (json->content_type, ==, "text/html");

  g_assert_nonnull (form->form);
  g_assert_null (form->json);
  g_assert_cmpstr (form->content_type, ==, "application/json");

  g_assert_null (nested->json);
  g_assert_null (nested->form);
  g_assert_null (_bh_x_parse_verify_credentials (nested, &error));
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_MALFORMED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/x-answers/request-token", test_request_token);
  g_test_add_func ("/x-answers/access-token", test_access_token);
  g_test_add_func ("/x-answers/token-with-controls", test_token_with_controls);
  g_test_add_func ("/x-answers/identities", test_identities);
  g_test_add_func ("/x-answers/identity-of-controls-only", test_identity_of_controls_only);
  g_test_add_func ("/x-answers/bearer-token", test_bearer_token);
  g_test_add_func ("/x-answers/new-for-body", test_new_for_body);

  return g_test_run ();
}
