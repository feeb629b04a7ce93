/* bh-x-error.c
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

#include "bh-x-error.h"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bh-x-error-private.h"

/* This file and bh-x-error-transport.c are the one place where X's
 * answers and transport failures become a BH_X_ERROR: this one reads the
 * status, the X code and the body, and bh-x-error-message.c words the
 * sentence. Everything else in Birdhouse passes the GError on. */

static void
bh_x_error_private_init (BhXErrorPrivate *priv)
{
  memset (priv, 0, sizeof *priv);
}

static void
bh_x_error_private_copy (const BhXErrorPrivate *src,
                         BhXErrorPrivate       *dest)
{
  *dest = *src;
}

static void
bh_x_error_private_clear (BhXErrorPrivate *priv)
{
}

/* Extended, so that the X code, HTTP status, reset time and clock skew
 * travel with the error to whoever shows it or retries. */
G_DEFINE_EXTENDED_ERROR (BhXError, bh_x_error)

GError *
_bh_x_error_new_full (BhXError               code,
                      const BhXErrorPrivate *info,
                      const char            *detail)
{
  g_autofree char *message = NULL;
  GError *error;

  message = _bh_x_error_build_message (code, info, detail);
  error = g_error_new_literal (BH_X_ERROR, code, message);
  *bh_x_error_get_private (error) = *info;

  return error;
}

/**
 * bh_x_error_new:
 * @code: what went wrong
 *
 * Returns: (transfer full): a new BH_X_ERROR with the standard sentence
 */
GError *
bh_x_error_new (BhXError code)
{
  const BhXErrorPrivate info = { .step = BH_X_STEP_OTHER };

  return _bh_x_error_new_full (code, &info, NULL);
}

/* X error codes that have a code of their own in BH_X_ERROR. */
static gboolean
code_from_x_code (int       x_code,
                  BhXError *code)
{
  switch (x_code)
    {
    case 32:
      *code = BH_X_ERROR_COULD_NOT_AUTHENTICATE;
      return TRUE;
    case 88:
      *code = BH_X_ERROR_RATE_LIMITED;
      return TRUE;
    case 89:
      *code = BH_X_ERROR_INVALID_TOKEN;
      return TRUE;
    case 99:
      *code = BH_X_ERROR_BEARER_CREDENTIALS;
      return TRUE;
    case 135:
      *code = BH_X_ERROR_TIMESTAMP;
      return TRUE;
    case 215:
      *code = BH_X_ERROR_BAD_AUTH_DATA;
      return TRUE;
    case 415:
      *code = BH_X_ERROR_CALLBACK_NOT_APPROVED;
      return TRUE;
    case 416:
      *code = BH_X_ERROR_APP_SUSPENDED;
      return TRUE;
    case 417:
      *code = BH_X_ERROR_OOB_REQUIRED;
      return TRUE;
    case 34:
      *code = BH_X_ERROR_NOT_FOUND;
      return TRUE;
    case 130: /* over capacity */
    case 131: /* internal error */
      *code = BH_X_ERROR_SERVER;
      return TRUE;
    default:
      return FALSE;
    }
}

static BhXError
code_from_status (guint status)
{
  if (status == 401)
    return BH_X_ERROR_UNAUTHORIZED;
  if (status == 403)
    return BH_X_ERROR_FORBIDDEN;
  if (status == 404)
    return BH_X_ERROR_NOT_FOUND;
  if (status == 429)
    return BH_X_ERROR_RATE_LIMITED;
  if (status >= 500 && status < 600)
    return BH_X_ERROR_SERVER;
  return BH_X_ERROR_FAILED;
}

/* The first X error of a JSON body: v1.1 `{"errors":[{"code":N,
 * "message":…}]}` or the v2 problem `{"title":…,"detail":…}` (whose
 * "errors" entries have no code). Any member may have any type, and a
 * code that does not fit X's range is no code at all (4294967328 must not
 * become 32). */
static gboolean
parse_json_error (GBytes  *body,
                  int     *x_code,
                  char   **message)
{
  g_autoptr(JsonParser) parser = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root_node;
  JsonNode *errors_node;
  JsonObject *root;

  if (len == 0 || !bh_x_json_depth_ok (data, len, BH_X_JSON_MAX_DEPTH))
    return FALSE;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, NULL))
    return FALSE;

  root_node = json_parser_get_root (parser);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    return FALSE;

  root = json_node_get_object (root_node);
  errors_node = json_object_get_member (root, "errors");

  if (errors_node != NULL && JSON_NODE_HOLDS_ARRAY (errors_node))
    {
      JsonArray *errors = json_node_get_array (errors_node);
      JsonNode *first_node = json_array_get_length (errors) > 0 ? json_array_get_element (errors, 0) : NULL;

      if (first_node != NULL && JSON_NODE_HOLDS_OBJECT (first_node))
        {
          JsonObject *first = json_node_get_object (first_node);
          JsonNode *code_node = json_object_get_member (first, "code");

          if (code_node != NULL && JSON_NODE_HOLDS_VALUE (code_node) &&
              json_node_get_value_type (code_node) == G_TYPE_INT64)
            {
              gint64 code = json_node_get_int (code_node);

              if (code > 0 && code <= 100000)
                *x_code = (int) code;
            }

          if (*message == NULL)
            *message = g_strdup (bh_x_json_string_member (first, "message"));
        }
    }

  /* v2 problem: "detail" says the most, "title" is the fallback. */
  if (*message == NULL)
    *message = g_strdup (bh_x_json_string_member (root, "detail"));
  if (*message == NULL)
    *message = g_strdup (bh_x_json_string_member (root, "title"));

  return TRUE;
}

/* The XML error shape the oauth/ endpoints used to send:
 * `<errors><error code="32">Could not authenticate you.</error></errors>`. */
static int
parse_xml_error_code (const char *text)
{
  const char *p = strstr (text, "<error code=\"");
  guint64 code = 0;

  if (p == NULL)
    return 0;

  p += strlen ("<error code=\"");
  if (!g_ascii_isdigit (*p))
    return 0;

  code = g_ascii_strtoull (p, NULL, 10);
  return code <= 100000 ? (int) code : 0;
}

/* What an answer means at @step, from its status (and the X code where a
 * status alone is ambiguous); FALSE when the step says nothing more than
 * any request would. */
static gboolean
code_from_step (BhXStep   step,
                guint     status,
                int       x_code,
                BhXError *code)
{
  /* Codes that mean the same at every step: the request was not signed
   * right, the clock is off, the App is suspended, the rate limit. */
  gboolean general = x_code == 32 || x_code == 88 || x_code == 135 ||
                     x_code == 215 || x_code == 416 || status == 429;

  switch (step)
    {
    case BH_X_STEP_ACCESS_TOKEN:
      /* request_token already accepted the consumer key, and the request
       * token signs this one: a 401 is the PIN, refused or expired,
       * whatever the body says (X's own answer is plain text; others
       * send JSON, a problem, HTML or nothing). Even code 32 here. Only
       * the clock keeps its own meaning, because the flow corrects it. */
      if (status == 401 && x_code != 135)
        {
          *code = x_code == 89 ? BH_X_ERROR_INVALID_REQUEST_TOKEN : BH_X_ERROR_INVALID_PIN;
          return TRUE;
        }
      break;

    case BH_X_STEP_INVALIDATE_BEARER:
      /* The bearer token in the request was refused: 89, 99 ("check that
       * the token is still valid"), 348 (not this App's), or a bare
       * 401/403. */
      if ((status == 401 || status == 403) && !general)
        {
          *code = BH_X_ERROR_BEARER_INVALID;
          return TRUE;
        }
      break;

    case BH_X_STEP_BEARER_REQUEST:
      /* Nothing but the bearer token authenticates the request, and it
       * is not signed: any 401 (even "could not authenticate", 32) is the
       * token. A 403 without a code is about the endpoint (app-only not
       * allowed), not the token. */
      if (status == 401 || x_code == 89 || x_code == 99)
        {
          *code = BH_X_ERROR_BEARER_INVALID;
          return TRUE;
        }
      break;

    case BH_X_STEP_BEARER_TOKEN:
      /* Only the API key and secret (HTTP Basic) authenticate oauth2/token. */
      if ((status == 401 || status == 403) && !general && (x_code == 0 || x_code == 99 || x_code == 32))
        {
          *code = BH_X_ERROR_BEARER_CREDENTIALS;
          return TRUE;
        }
      break;

    case BH_X_STEP_OAUTH2_CODE:
    case BH_X_STEP_OAUTH2_REFRESH:
    case BH_X_STEP_OAUTH2_REVOKE:
      /* RFC 6749 §5.2: a 401 is the client (invalid_client, and X's
       * unauthorized_client without Basic); a 400 at the token endpoint
       * is the grant (invalid_grant, and X's invalid_request for a code
       * or refresh token it does not know). */
      if (status == 401)
        {
          *code = BH_X_ERROR_OAUTH2_CLIENT;
          return TRUE;
        }
      if (status == 400 && step != BH_X_STEP_OAUTH2_REVOKE)
        {
          *code = BH_X_ERROR_OAUTH2_GRANT_REFUSED;
          return TRUE;
        }
      break;

    case BH_X_STEP_REQUEST_TOKEN:
    case BH_X_STEP_VERIFY:
    case BH_X_STEP_INVALIDATE_TOKEN:
    case BH_X_STEP_OTHER:
    default:
      break;
    }

  return FALSE;
}

/**
 * bh_x_error_from_response:
 *
 * See the header: bh_x_error_from_step_response() for an unknown step.
 */
GError *
bh_x_error_from_response (guint        status,
                          GBytes      *body,
                          gint64       rate_limit_reset,
                          gint64       clock_skew,
                          gboolean     have_clock_skew)
{
  return bh_x_error_from_step_response (BH_X_STEP_OTHER, status, body,
                                        rate_limit_reset, clock_skew,
                                        have_clock_skew);
}

/**
 * bh_x_error_from_step_response:
 *
 * See the header. The step and status first, then the X error code, then
 * the plain-text answers of oauth/access_token, then the status alone.
 */
GError *
bh_x_error_from_step_response (BhXStep      step,
                               guint        status,
                               GBytes      *body,
                               gint64       rate_limit_reset,
                               gint64       clock_skew,
                               gboolean     have_clock_skew)
{
  g_autofree char *server_message = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *text = NULL;
  BhXErrorPrivate info;
  BhXError code;
  int x_code = 0;

  if (body != NULL && g_bytes_get_size (body) > 0)
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (body, &len);

      if (!parse_json_error (body, &x_code, &server_message))
        {
          /* An error body is never a token endpoint's success answer,
           * but it is still not shown: only matched against known text. */
          text = g_strndup (data, MIN (len, 4096));
          x_code = parse_xml_error_code (text);
        }
    }

  if (code_from_step (step, status, x_code, &code))
    {
      /* Text last: X's own words tell a dropped request token from a
       * wrong PIN; without them, the PIN it is. */
      if (code == BH_X_ERROR_INVALID_PIN && text != NULL &&
          strstr (text, "Invalid request token") != NULL)
        code = BH_X_ERROR_INVALID_REQUEST_TOKEN;
    }
  else if (x_code != 0 && code_from_x_code (x_code, &code))
    {
      /* The code says it all. */
    }
  else if (text != NULL && strstr (text, "Invalid oauth_verifier parameter") != NULL)
    {
      code = BH_X_ERROR_INVALID_PIN;
    }
  else if (text != NULL && strstr (text, "Invalid request token") != NULL)
    {
      code = BH_X_ERROR_INVALID_REQUEST_TOKEN;
    }
  else if (text != NULL && strstr (text, "Timestamp out of bounds") != NULL)
    {
      code = BH_X_ERROR_TIMESTAMP;
    }
  else
    {
      code = code_from_status (status);
    }

  /* Only a JSON message is ever shown, never plain text (which, on a
   * misbehaving server, could be anything). */
  detail = _bh_x_sanitize_detail (server_message);

  g_debug ("X answered HTTP %u at step %d, X code %d → BhXError %d", status, step, x_code, code);

  info = (BhXErrorPrivate) {
    .step = step,
    .x_code = x_code,
    .http_status = status,
    .rate_limit_reset = rate_limit_reset,
    .clock_skew = clock_skew,
    .have_clock_skew = have_clock_skew,
  };

  return _bh_x_error_new_full (code, &info, detail);
}

gboolean
bh_error_is_cancelled (const GError *error)
{
  return g_error_matches (error, BH_X_ERROR, BH_X_ERROR_CANCELLED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

BhXStep
bh_x_error_get_step (const GError *error)
{
  if (error == NULL || error->domain != BH_X_ERROR)
    return BH_X_STEP_OTHER;

  return bh_x_error_get_private (error)->step;
}

int
bh_x_error_get_x_code (const GError *error)
{
  if (error == NULL || error->domain != BH_X_ERROR)
    return 0;

  return bh_x_error_get_private (error)->x_code;
}

guint
bh_x_error_get_http_status (const GError *error)
{
  if (error == NULL || error->domain != BH_X_ERROR)
    return 0;

  return bh_x_error_get_private (error)->http_status;
}

gboolean
bh_x_error_get_clock_skew (const GError *error,
                           gint64       *clock_skew)
{
  BhXErrorPrivate *priv;

  if (error == NULL || error->domain != BH_X_ERROR)
    return FALSE;

  priv = bh_x_error_get_private (error);
  if (clock_skew != NULL)
    *clock_skew = priv->clock_skew;

  return priv->have_clock_skew;
}

gint64
bh_x_error_get_rate_limit_reset (const GError *error)
{
  if (error == NULL || error->domain != BH_X_ERROR)
    return 0;

  return bh_x_error_get_private (error)->rate_limit_reset;
}
