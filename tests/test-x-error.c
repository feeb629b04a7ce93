/* test-x-error.c
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

#include <string.h>
#include <locale.h>
#include <libsoup/soup.h>

#include "bh-test-utils.h"
#include "bh-x-error.h"
#include "bh-core-enums.h"

/* The mapping of synthetic X answers and transport errors onto BH_X_ERROR,
 * without any network. */

static GError *
from_body (guint       status,
           const char *body)
{
  g_autoptr(GBytes) bytes = NULL;

  if (body != NULL)
    bytes = g_bytes_new (body, strlen (body));

  return bh_x_error_from_response (status, bytes, 0, 0, FALSE);
}

static char *
x_errors_body (int         code,
               const char *message)
{
  return g_strdup_printf ("{\"errors\":[{\"code\":%d,\"message\":\"%s\"}]}",
                          code, message);
}

/* A sentence: starts with an upper-case letter, ends with a full stop,
 * and has no leftover format directive. */
static void
assert_sentence (const GError *error)
{
  gunichar first;

  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  first = g_utf8_get_char (error->message);
  g_assert_true (g_unichar_isupper (first));
  g_assert_true (g_str_has_suffix (error->message, ".") ||
                 g_str_has_suffix (error->message, "”"));
  g_assert_null (strstr (error->message, "%"));
}

static void
test_x_codes (void)
{
  const struct {
    guint       status;
    int         x_code;
    BhXError    expected;
    const char *needle;
  } cases[] = {
    { 401, 32, BH_X_ERROR_COULD_NOT_AUTHENTICATE, "API key" },
    { 429, 88, BH_X_ERROR_RATE_LIMITED, "rate limit" },
    { 401, 89, BH_X_ERROR_INVALID_TOKEN, "The access token is invalid or has been revoked. Authorize the account again." },
    { 403, 99, BH_X_ERROR_BEARER_CREDENTIALS, "bearer" },
    { 401, 135, BH_X_ERROR_TIMESTAMP, "clock" },
    { 400, 215, BH_X_ERROR_BAD_AUTH_DATA, "authentication data" },
    { 403, 415, BH_X_ERROR_CALLBACK_NOT_APPROVED, "callback" },
    { 403, 416, BH_X_ERROR_APP_SUSPENDED, "suspended" },
    { 403, 417, BH_X_ERROR_OOB_REQUIRED, "PIN" },
    { 404, 34, BH_X_ERROR_NOT_FOUND, "API host" },
    { 500, 131, BH_X_ERROR_SERVER, "HTTP 500" },
    { 503, 130, BH_X_ERROR_SERVER, "HTTP 503" },
    /* The code wins over the status. */
    { 400, 89, BH_X_ERROR_INVALID_TOKEN, "Authorize the account again" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = x_errors_body (cases[i].x_code, "Some server text.");
      g_autoptr(GError) error = from_body (cases[i].status, body);

      g_assert_error (error, BH_X_ERROR, (int) cases[i].expected);
      g_assert_cmpint (bh_x_error_get_x_code (error), ==, cases[i].x_code);
      g_assert_cmpuint (bh_x_error_get_http_status (error), ==, cases[i].status);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
      /* Well-known codes need no server text. */
      g_assert_null (strstr (error->message, "Some server text"));
      assert_sentence (error);
    }
}

static void
test_http_status_fallbacks (void)
{
  const struct {
    guint       status;
    const char *body;
    BhXError    expected;
  } cases[] = {
    { 401, NULL, BH_X_ERROR_UNAUTHORIZED },
    { 401, "", BH_X_ERROR_UNAUTHORIZED },
    { 403, "<html>Forbidden</html>", BH_X_ERROR_FORBIDDEN },
    { 404, "{}", BH_X_ERROR_NOT_FOUND },
    { 429, NULL, BH_X_ERROR_RATE_LIMITED },
    { 500, "oops", BH_X_ERROR_SERVER },
    { 502, NULL, BH_X_ERROR_SERVER },
    { 503, "{\"errors\":[]}", BH_X_ERROR_SERVER },
    { 400, "{\"errors\":[{\"code\":\"x\"}]}", BH_X_ERROR_FAILED },
    { 418, NULL, BH_X_ERROR_FAILED },
    /* A code of no interest falls back to the status. */
    { 403, "{\"errors\":[{\"code\":261,\"message\":\"Application cannot perform write actions.\"}]}", BH_X_ERROR_FORBIDDEN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = from_body (cases[i].status, cases[i].body);

      g_assert_error (error, BH_X_ERROR, (int) cases[i].expected);
      g_assert_cmpuint (bh_x_error_get_http_status (error), ==, cases[i].status);
      assert_sentence (error);
    }
}

static void
test_v2_problem (void)
{
  g_autoptr(GError) unauthorized = NULL;
  g_autoptr(GError) forbidden = NULL;
  g_autoptr(GError) limited = NULL;

  unauthorized = from_body (401, "{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"}");
  g_assert_error (unauthorized, BH_X_ERROR, BH_X_ERROR_UNAUTHORIZED);
  g_assert_cmpint (bh_x_error_get_x_code (unauthorized), ==, 0);
  assert_sentence (unauthorized);

  /* A helpful detail is kept as extra information. */
  forbidden = from_body (403, "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.\",\"type\":\"https://api.twitter.com/2/problems/client-forbidden\",\"reason\":\"client-not-enrolled\"}");
  g_assert_error (forbidden, BH_X_ERROR, BH_X_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (forbidden->message, "attached to a Project"));
  assert_sentence (forbidden);

  limited = from_body (429, "{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"type\":\"about:blank\",\"status\":429}");
  g_assert_error (limited, BH_X_ERROR, BH_X_ERROR_RATE_LIMITED);
  assert_sentence (limited);
}

static void
test_oauth_plain_text (void)
{
  g_autoptr(GError) pin = NULL;
  g_autoptr(GError) token = NULL;
  g_autoptr(GError) xml = NULL;

  pin = from_body (401, "Error processing your OAuth request: Invalid oauth_verifier parameter");
  g_assert_error (pin, BH_X_ERROR, BH_X_ERROR_INVALID_PIN);
  g_assert_null (strstr (pin->message, "oauth_verifier"));
  assert_sentence (pin);

  token = from_body (401, "Invalid request token.");
  g_assert_error (token, BH_X_ERROR, BH_X_ERROR_INVALID_REQUEST_TOKEN);
  assert_sentence (token);

  /* The XML shape of older oauth/ answers. */
  xml = from_body (401, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><errors><error code=\"32\">Could not authenticate you.</error></errors>");
  g_assert_error (xml, BH_X_ERROR, BH_X_ERROR_COULD_NOT_AUTHENTICATE);
  g_assert_cmpint (bh_x_error_get_x_code (xml), ==, 32);
}

static void
test_rate_limit_reset (void)
{
  g_autofree char *body = x_errors_body (88, "Rate limit exceeded");
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  /* A minute from now, at a whole second: usually today. */
  gint64 reset = g_date_time_to_unix (now) + 60;
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (reset);
  g_autofree char *time_only = g_date_time_format (when, "%X");
  g_autoptr(GError) error = NULL;

  error = bh_x_error_from_response (429, bytes, reset, 0, FALSE);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_RATE_LIMITED);
  g_assert_cmpint (bh_x_error_get_rate_limit_reset (error), ==, reset);
  g_assert_true (g_str_has_prefix (error->message, "X’s rate limit was reached. Try again after "));
  g_assert_nonnull (strstr (error->message, time_only));
  assert_sentence (error);
}

static void
check_skew (gint64      skew,
            const char *words)
{
  g_autofree char *body = x_errors_body (135, "Timestamp out of bounds.");
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  gint64 measured = 0;

  error = bh_x_error_from_response (401, bytes, 0, skew, TRUE);
  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_TIMESTAMP);
  g_assert_true (bh_x_error_get_clock_skew (error, &measured));
  g_assert_cmpint (measured, ==, skew);

  expected = g_strdup_printf ("Your computer’s clock differs from X’s by %s. "
                              "Correct the clock or try again; Birdhouse will adjust.",
                              words);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_clock_skew_words (void)
{
  g_autoptr(GError) unmeasured = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *body = x_errors_body (135, "Timestamp out of bounds.");

  check_skew (3720, "1 hour 2 minutes");
  check_skew (-3720, "1 hour 2 minutes");
  check_skew (3600, "1 hour");
  check_skew (1, "1 second");
  check_skew (45, "45 seconds");
  check_skew (302, "5 minutes 2 seconds");
  check_skew (90061, "1 day 1 hour");
  check_skew (-2 * 86400, "2 days");

  /* Without a Date header there is no figure to give. */
  bytes = g_bytes_new (body, strlen (body));
  unmeasured = bh_x_error_from_response (401, bytes, 0, 0, FALSE);
  g_assert_error (unmeasured, BH_X_ERROR, BH_X_ERROR_TIMESTAMP);
  g_assert_false (bh_x_error_get_clock_skew (unmeasured, NULL));
  g_assert_null (strstr (unmeasured->message, " by "));
  assert_sentence (unmeasured);
}

static void
test_detail_never_echoes_secrets (void)
{
  /* A server that quotes a token back: the message must not carry it. */
  const char *token = "1001-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
  g_autofree char *body = g_strdup_printf ("{\"errors\":[{\"code\":326,\"message\":\"Token %s is locked.\"}]}", token);
  g_autoptr(GError) error = from_body (403, body);
  g_autoptr(GError) plain = NULL;
  g_autoptr(GError) helpful = NULL;

  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_FORBIDDEN);
  g_assert_null (strstr (error->message, token));
  g_assert_null (strstr (error->message, "locked"));

  /* Plain-text bodies are never shown either. */
  plain = from_body (400, "oauth_token=secret-looking&oauth_token_secret=x");
  g_assert_error (plain, BH_X_ERROR, BH_X_ERROR_FAILED);
  g_assert_null (strstr (plain->message, "oauth_token"));

  /* A short canned message on an unknown code is kept. */
  helpful = from_body (403, "{\"errors\":[{\"code\":261,\"message\":\"Application cannot perform write actions.\"}]}");
  g_assert_nonnull (strstr (helpful->message, "Application cannot perform write actions."));
  g_assert_cmpint (bh_x_error_get_x_code (helpful), ==, 261);
}

static void
test_transport (void)
{
  const struct {
    GQuark   domain;
    int      code;
    BhXError expected;
  } cases[] = {
    { 0 /* G_IO_ERROR */, G_IO_ERROR_CANCELLED, BH_X_ERROR_CANCELLED },
    { 0, G_IO_ERROR_TIMED_OUT, BH_X_ERROR_TIMEOUT },
    { 0, G_IO_ERROR_CONNECTION_REFUSED, BH_X_ERROR_CONNECTION },
    { 0, G_IO_ERROR_HOST_NOT_FOUND, BH_X_ERROR_CONNECTION },
    { 0, G_IO_ERROR_HOST_UNREACHABLE, BH_X_ERROR_CONNECTION },
    { 0, G_IO_ERROR_NETWORK_UNREACHABLE, BH_X_ERROR_CONNECTION },
    { 0, G_IO_ERROR_CONNECTION_CLOSED, BH_X_ERROR_CONNECTION },
    { 0, G_IO_ERROR_PARTIAL_INPUT, BH_X_ERROR_CONNECTION },
    { 0, G_IO_ERROR_PROXY_FAILED, BH_X_ERROR_CONNECTION },
    { 1 /* G_RESOLVER_ERROR */, G_RESOLVER_ERROR_NOT_FOUND, BH_X_ERROR_CONNECTION },
    { 1, G_RESOLVER_ERROR_TEMPORARY_FAILURE, BH_X_ERROR_CONNECTION },
    { 2 /* G_TLS_ERROR */, G_TLS_ERROR_BAD_CERTIFICATE, BH_X_ERROR_TLS },
    { 2, G_TLS_ERROR_HANDSHAKE, BH_X_ERROR_TLS },
    { 2, G_TLS_ERROR_NOT_TLS, BH_X_ERROR_TLS },
    { 3 /* SOUP_SESSION_ERROR */, SOUP_SESSION_ERROR_PARSING, BH_X_ERROR_MALFORMED },
    { 3, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS, BH_X_ERROR_FAILED },
  };
  GQuark domains[4] = { G_IO_ERROR, G_RESOLVER_ERROR, G_TLS_ERROR, SOUP_SESSION_ERROR };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) source = g_error_new_literal (domains[cases[i].domain],
                                                      cases[i].code,
                                                      "Transport text with https://host/?access_token=x");
      g_autoptr(GError) error = bh_x_error_from_transport (source);

      g_assert_error (error, BH_X_ERROR, (int) cases[i].expected);
      g_assert_null (strstr (error->message, "access_token"));
      g_assert_cmpint (bh_x_error_get_x_code (error), ==, 0);
      assert_sentence (error);
    }
}

static void
test_cancelled_and_copy (void)
{
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  g_autoptr(GError) mapped = bh_x_error_from_transport (io);
  g_autofree char *body = x_errors_body (135, "Timestamp out of bounds.");
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GError) original = bh_x_error_from_response (401, bytes, 0, -75, TRUE);
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) again = NULL;
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
  gint64 skew = 0;

  g_assert_true (bh_error_is_cancelled (io));
  g_assert_true (bh_error_is_cancelled (mapped));
  g_assert_false (bh_error_is_cancelled (other));
  g_assert_false (bh_error_is_cancelled (original));
  g_assert_error (mapped, BH_X_ERROR, BH_X_ERROR_CANCELLED);

  /* The extended data survives g_error_copy() and a second mapping. */
  copy = g_error_copy (original);
  g_assert_cmpint (bh_x_error_get_x_code (copy), ==, 135);
  g_assert_true (bh_x_error_get_clock_skew (copy, &skew));
  g_assert_cmpint (skew, ==, -75);
  again = bh_x_error_from_transport (copy);
  g_assert_cmpint (bh_x_error_get_x_code (again), ==, 135);
  g_assert_cmpstr (again->message, ==, original->message);

  /* Other domains have no X code. */
  g_assert_cmpint (bh_x_error_get_x_code (other), ==, 0);
  g_assert_cmpint (bh_x_error_get_x_code (NULL), ==, 0);
}

static void
test_every_code_has_a_sentence (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (BH_TYPE_XERROR);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < klass->n_values; i++)
    {
      g_autoptr(GError) error = bh_x_error_new (klass->values[i].value);

      g_assert_error (error, BH_X_ERROR, klass->values[i].value);
      assert_sentence (error);
      /* Each code says something of its own. */
      g_assert_false (g_hash_table_contains (seen, error->message));
      g_hash_table_add (seen, g_strdup (error->message));
    }
}

static GError *
from_step (BhXStep     step,
           guint       status,
           const char *body)
{
  g_autoptr(GBytes) bytes = NULL;

  if (body != NULL)
    bytes = g_bytes_new (body, strlen (body));

  return bh_x_error_from_step_response (step, status, bytes, 0, 0, FALSE);
}

/* Bodies a 401 comes with from servers other than X. */
static const char *refusal_bodies[] = {
  "{\"errors\":[{\"code\":32,\"message\":\"Could not authenticate you.\"}]}",
  "{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"}",
  "Unauthorized",
  "<!DOCTYPE html><html><body><h1>401 Authorization Required</h1></body></html>",
  "",
  " \r\n\t ",
  NULL, /* no body at all */
};

static void
test_access_token_step (void)
{
  /* A 401 at oauth/access_token is the PIN, whatever the body. */
  for (guint i = 0; i < G_N_ELEMENTS (refusal_bodies); i++)
    {
      g_autoptr(GError) error = from_step (BH_X_STEP_ACCESS_TOKEN, 401, refusal_bodies[i]);

      g_test_message ("body %u", i);
      g_assert_error (error, BH_X_ERROR, BH_X_ERROR_INVALID_PIN);
      g_assert_cmpint (bh_x_error_get_step (error), ==, BH_X_STEP_ACCESS_TOKEN);
      g_assert_nonnull (strstr (error->message, "new PIN"));
      assert_sentence (error);
    }

  /* X's own words still tell a dropped request token; so does 89. */
  {
    g_autoptr(GError) dropped = from_step (BH_X_STEP_ACCESS_TOKEN, 401, "Invalid request token.");
    g_autoptr(GError) expired = from_step (BH_X_STEP_ACCESS_TOKEN, 401, "{\"errors\":[{\"code\":89,\"message\":\"Invalid or expired token.\"}]}");
    g_autoptr(GError) clock = from_step (BH_X_STEP_ACCESS_TOKEN, 401, "{\"errors\":[{\"code\":135,\"message\":\"Timestamp out of bounds.\"}]}");
    g_autoptr(GError) server = from_step (BH_X_STEP_ACCESS_TOKEN, 503, "Service Unavailable");

    g_assert_error (dropped, BH_X_ERROR, BH_X_ERROR_INVALID_REQUEST_TOKEN);
    g_assert_error (expired, BH_X_ERROR, BH_X_ERROR_INVALID_REQUEST_TOKEN);
    /* The clock keeps its meaning: the flow corrects it and tries again. */
    g_assert_error (clock, BH_X_ERROR, BH_X_ERROR_TIMESTAMP);
    g_assert_error (server, BH_X_ERROR, BH_X_ERROR_SERVER);
  }

  /* Elsewhere a plain 401 is not a PIN. */
  {
    g_autoptr(GError) other = from_step (BH_X_STEP_REQUEST_TOKEN, 401, "Unauthorized");

    g_assert_error (other, BH_X_ERROR, BH_X_ERROR_UNAUTHORIZED);
  }
}

static void
test_bearer_steps (void)
{
  const struct {
    guint       status;
    const char *body;
  } refused[] = {
    { 401, "{\"errors\":[{\"code\":89,\"message\":\"Invalid or expired token.\"}]}" },
    { 403, "{\"errors\":[{\"code\":99,\"label\":\"authenticity_token_error\",\"message\":\"Unable to verify your credentials\"}]}" },
    { 403, "{\"errors\":[{\"code\":348,\"message\":\"Client application is not permitted to to invalidate this token.\"}]}" },
    { 401, "" },
    { 401, "<html>no</html>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) invalidate = from_step (BH_X_STEP_INVALIDATE_BEARER, refused[i].status, refused[i].body);

      g_test_message ("invalidate refusal %u", i);
      g_assert_error (invalidate, BH_X_ERROR, BH_X_ERROR_BEARER_INVALID);
      g_assert_nonnull (strstr (invalidate->message, "bearer token"));
      g_assert_null (strstr (invalidate->message, "API key and secret"));
      assert_sentence (invalidate);
    }

  /* A request made with the stored bearer token. */
  for (guint i = 0; i < G_N_ELEMENTS (refusal_bodies); i++)
    {
      g_autoptr(GError) request = from_step (BH_X_STEP_BEARER_REQUEST, 401, refusal_bodies[i]);

      g_test_message ("bearer request refusal %u", i);
      g_assert_error (request, BH_X_ERROR, BH_X_ERROR_BEARER_INVALID);
      g_assert_true (g_str_has_prefix (request->message, "The bearer token is no longer valid"));
      g_assert_nonnull (strstr (request->message, "birdhouse bearer APP"));
      assert_sentence (request);
    }

  /* The rate limit and a 403 about the endpoint are not the token. */
  {
    g_autoptr(GError) limited = from_step (BH_X_STEP_BEARER_REQUEST, 429, "{\"errors\":[{\"code\":88,\"message\":\"Rate limit exceeded\"}]}");
    g_autoptr(GError) endpoint = from_step (BH_X_STEP_BEARER_REQUEST, 403, "{\"title\":\"Unsupported Authentication\",\"status\":403,\"detail\":\"Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.\"}");
    g_autoptr(GError) keys = from_step (BH_X_STEP_BEARER_TOKEN, 403, "{\"errors\":[{\"code\":99,\"message\":\"Unable to verify your credentials\"}]}");
    g_autoptr(GError) keys_plain = from_step (BH_X_STEP_BEARER_TOKEN, 401, "");

    g_assert_error (limited, BH_X_ERROR, BH_X_ERROR_RATE_LIMITED);
    g_assert_error (endpoint, BH_X_ERROR, BH_X_ERROR_FORBIDDEN);
    g_assert_error (keys, BH_X_ERROR, BH_X_ERROR_BEARER_CREDENTIALS);
    g_assert_error (keys_plain, BH_X_ERROR, BH_X_ERROR_BEARER_CREDENTIALS);
  }
}

static void
test_step_named (void)
{
  g_autoptr(GError) verify = from_step (BH_X_STEP_VERIFY, 401, "");
  g_autoptr(GError) revoke = from_step (BH_X_STEP_INVALIDATE_TOKEN, 418, NULL);
  g_autoptr(GError) other = from_step (BH_X_STEP_OTHER, 401, "");

  g_assert_error (verify, BH_X_ERROR, BH_X_ERROR_UNAUTHORIZED);
  g_assert_true (g_str_has_prefix (verify->message, "Verifying the account failed. "));
  assert_sentence (verify);
  g_assert_true (g_str_has_prefix (revoke->message, "Revoking the account’s token failed. "));
  assert_sentence (revoke);
  g_assert_true (g_str_has_prefix (other->message, "X refused the credentials."));
}

static void
test_hostile_bodies (void)
{
  g_autofree char *deep = g_strnfill (100000, '[');
  g_autofree char *deep_object = NULL;
  GString *nested = g_string_new (NULL);

  /* 100,000 levels: json-glib would recurse until the stack ends. */
  {
    g_autoptr(GError) error = from_body (401, deep);

    g_assert_error (error, BH_X_ERROR, BH_X_ERROR_UNAUTHORIZED);
    g_assert_cmpint (bh_x_error_get_x_code (error), ==, 0);
  }

  for (guint i = 0; i < 50000; i++)
    g_string_append (nested, "{\"errors\":");
  deep_object = g_string_free (nested, FALSE);
  {
    g_autoptr(GError) error = from_body (403, deep_object);

    g_assert_error (error, BH_X_ERROR, BH_X_ERROR_FORBIDDEN);
  }

  /* Blanks only, and every field of the wrong type: no critical. */
  {
    g_autoptr(GError) blanks = from_body (401, " \r\n\t \n ");
    g_autoptr(GError) types = from_body (401, "{\"errors\":[{\"code\":\"32\",\"message\":{\"text\":\"x\"}}],\"title\":[\"Unauthorized\"],\"detail\":{\"d\":1},\"status\":\"401\"}");
    g_autoptr(GError) types2 = from_body (403, "{\"errors\":{\"code\":32},\"detail\":7,\"title\":null}");
    g_autoptr(GError) types3 = from_body (403, "{\"errors\":[[32],null,\"x\"],\"detail\":true}");
    g_autoptr(GError) types4 = from_body (401, "{\"errors\":[{\"code\":32.5,\"message\":null}]}");
    g_autoptr(GError) array = from_body (401, "[1,2,3]");

    g_assert_error (blanks, BH_X_ERROR, BH_X_ERROR_UNAUTHORIZED);
    g_assert_error (types, BH_X_ERROR, BH_X_ERROR_UNAUTHORIZED);
    g_assert_cmpint (bh_x_error_get_x_code (types), ==, 0);
    g_assert_error (types2, BH_X_ERROR, BH_X_ERROR_FORBIDDEN);
    g_assert_error (types3, BH_X_ERROR, BH_X_ERROR_FORBIDDEN);
    g_assert_error (types4, BH_X_ERROR, BH_X_ERROR_UNAUTHORIZED);
    g_assert_error (array, BH_X_ERROR, BH_X_ERROR_UNAUTHORIZED);
    assert_sentence (types);
  }

  /* 2^32 + 32 is not 32; neither is a negative code. */
  {
    g_autoptr(GError) big = from_body (401, "{\"errors\":[{\"code\":4294967328,\"message\":\"Something else\"}]}");
    g_autoptr(GError) negative = from_body (401, "{\"errors\":[{\"code\":-4294967264,\"message\":\"Something else\"}]}");

    g_assert_error (big, BH_X_ERROR, BH_X_ERROR_UNAUTHORIZED);
    g_assert_cmpint (bh_x_error_get_x_code (big), ==, 0);
    g_assert_error (negative, BH_X_ERROR, BH_X_ERROR_UNAUTHORIZED);
    g_assert_cmpint (bh_x_error_get_x_code (negative), ==, 0);
  }
}

static void
test_controls_stripped (void)
{
  /* An 8-bit CSI, an OSC with BEL, an RLO override, an isolate, an ALM. */
  const char *hostile = "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"Blocked: Evil\\u009b31m\\u009d0;title\\u0007 \\u202eemanlaer\\u202c\\u2066x\\u2069\\u061c\\u200f! \\u001b[2J\"}";
  g_autoptr(GError) error = from_body (403, hostile);
  g_autofree char *stripped = NULL;
  g_autofree char *invalid = NULL;

  g_assert_error (error, BH_X_ERROR, BH_X_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "Blocked: Evil31m0;title emanlaerx!"));
  bh_test_assert_no_controls (error->message);

  stripped = bh_x_strip_controls ("A\xc2\x9b" "B\xe2\x80\xae" "C\tD\xe2\x81\xa6" "E\xe2\x80\xa8" "F");
  g_assert_cmpstr (stripped, ==, "ABC DE F");
  invalid = bh_x_strip_controls ("ok\xff\xfe");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_true (g_str_has_prefix (invalid, "ok"));
  g_assert_null (bh_x_strip_controls (NULL));
  /* Letters of every script stay. */
  {
    g_autofree char *name = bh_x_strip_controls ("Carol Ü Ñ 日本 عربي");

    g_assert_cmpstr (name, ==, "Carol Ü Ñ 日本 عربي");
  }
}

static void
test_json_depth (void)
{
  g_autofree char *deep = g_strnfill (100000, '[');
  const char *in_strings = "{\"a\":\"[[[[[[[[[[[[[[[[[[[[\",\"b\":\"\\\"[[[[[[[[[[\\\\\",\"c\":[[1]]}";

  g_assert_false (bh_x_json_depth_ok (deep, strlen (deep), BH_X_JSON_MAX_DEPTH));
  g_assert_true (bh_x_json_depth_ok (deep, BH_X_JSON_MAX_DEPTH, BH_X_JSON_MAX_DEPTH));
  g_assert_false (bh_x_json_depth_ok (deep, BH_X_JSON_MAX_DEPTH + 1, BH_X_JSON_MAX_DEPTH));
  /* Brackets in strings, escaped quotes and backslashes do not count. */
  g_assert_true (bh_x_json_depth_ok (in_strings, strlen (in_strings), 3));
  g_assert_false (bh_x_json_depth_ok (in_strings, strlen (in_strings), 2));
  /* Closing brackets bring the depth down again. */
  g_assert_true (bh_x_json_depth_ok ("[[]][[]][[]]", 12, 2));
  g_assert_true (bh_x_json_depth_ok ("", 0, 1));
}

int
main (int   argc,
      char *argv[])
{
  /* Formats of the reset time follow the locale: keep it the C one. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  /* Whatever the server sends, json-glib must not be misused: criticals
   * and warnings end the test, also without G_DEBUG. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  g_test_add_func ("/x-error/x-codes", test_x_codes);
  g_test_add_func ("/x-error/http-status", test_http_status_fallbacks);
  g_test_add_func ("/x-error/v2-problem", test_v2_problem);
  g_test_add_func ("/x-error/oauth-plain-text", test_oauth_plain_text);
  g_test_add_func ("/x-error/rate-limit-reset", test_rate_limit_reset);
  g_test_add_func ("/x-error/clock-skew-words", test_clock_skew_words);
  g_test_add_func ("/x-error/detail-never-echoes-secrets", test_detail_never_echoes_secrets);
  g_test_add_func ("/x-error/transport", test_transport);
  g_test_add_func ("/x-error/cancelled-and-copy", test_cancelled_and_copy);
  g_test_add_func ("/x-error/every-code-has-a-sentence", test_every_code_has_a_sentence);
  g_test_add_func ("/x-error/access-token-step", test_access_token_step);
  g_test_add_func ("/x-error/bearer-steps", test_bearer_steps);
  g_test_add_func ("/x-error/step-named", test_step_named);
  g_test_add_func ("/x-error/hostile-bodies", test_hostile_bodies);
  g_test_add_func ("/x-error/controls-stripped", test_controls_stripped);
  g_test_add_func ("/x-error/json-depth", test_json_depth);

  return g_test_run ();
}
