/* bh-x-response.c
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

#include "bh-x-response.h"

#include <string.h>

#include "bh-oauth1.h"
#include "bh-secret.h"
#include "bh-x-client-private.h"
#include "bh-x-error.h"

G_DEFINE_BOXED_TYPE (BhXResponse, bh_x_response, bh_x_response_copy, bh_x_response_free)

/**
 * bh_x_response_free:
 * @response: (nullable): an answer
 *
 * Frees @response; its body is wiped with the last reference to it.
 */
void
bh_x_response_free (BhXResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->reason);
  g_free (response->content_type);
  /* The body's GBytes wipes its buffer when the last reference goes. */
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, g_ptr_array_unref);
  g_clear_pointer (&response->form, g_ptr_array_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response->access_level);
  g_free (response->signed_param_string);
  g_free (response->signed_base_string);
  g_free (response);
}

static GPtrArray *
params_copy (GPtrArray *params)
{
  GPtrArray *copy;

  if (params == NULL)
    return NULL;

  copy = bh_params_new ();
  for (guint i = 0; i < params->len; i++)
    {
      BhParam *param = g_ptr_array_index (params, i);

      bh_params_add (copy, param->name, param->value);
    }

  return copy;
}

/**
 * bh_x_response_copy:
 * @response: an answer
 *
 * Returns: (transfer full): a deep copy that shares the body
 */
BhXResponse *
bh_x_response_copy (const BhXResponse *response)
{
  BhXResponse *copy;

  g_return_val_if_fail (response != NULL, NULL);

  copy = g_new0 (BhXResponse, 1);
  *copy = *response;
  copy->reason = g_strdup (response->reason);
  copy->content_type = g_strdup (response->content_type);
  copy->body = g_bytes_ref (response->body);
  copy->headers = params_copy (response->headers);
  copy->form = params_copy (response->form);
  copy->json = response->json != NULL ? json_node_copy (response->json) : NULL;
  copy->access_level = g_strdup (response->access_level);
  copy->signed_param_string = g_strdup (response->signed_param_string);
  copy->signed_base_string = g_strdup (response->signed_base_string);

  return copy;
}

/**
 * bh_x_response_check:
 * @response: an answer
 * @error: a BH_X_ERROR unless the status is 2xx
 *
 * Classifies a refusal with bh_x_error_from_step_response(): a request
 * made with a bearer token is %BH_X_STEP_BEARER_REQUEST, any other
 * %BH_X_STEP_OTHER.
 *
 * Returns: %TRUE for a 2xx answer
 */
gboolean
bh_x_response_check (const BhXResponse  *response,
                     GError            **error)
{
  g_return_val_if_fail (response != NULL, FALSE);

  if (response->status >= 200 && response->status < 300)
    return TRUE;

  g_propagate_error (error,
                     bh_x_error_from_step_response (response->auth_mode == BH_AUTH_BEARER
                                                    ? BH_X_STEP_BEARER_REQUEST
                                                    : BH_X_STEP_OTHER,
                                                    response->status,
                                                    response->body,
                                                    response->rate_limit_reset,
                                                    response->clock_skew,
                                                    response->have_clock_skew));
  return FALSE;
}

/* Reading the answer */

static gint64
header_int (SoupMessageHeaders *headers,
            const char         *name,
            gint64              fallback)
{
  const char *text = soup_message_headers_get_one (headers, name);
  g_autofree char *trimmed = NULL;
  gint64 value;

  if (text == NULL)
    return fallback;

  trimmed = g_strstrip (g_strdup (text));
  if (!g_ascii_string_to_signed (trimmed, 10, G_MININT64, G_MAXINT64, &value, NULL))
    return fallback;

  return value;
}

/* A form body: not JSON, at least one "=", and every pair decodes. X
 * sends the form answers of oauth/ as text/html, so the content type is
 * no guide. */
static GPtrArray *
parse_form_body (const char *data,
                 gsize       length)
{
  g_autoptr(GPtrArray) form = NULL;

  if (length == 0 || memchr (data, '=', length) == NULL ||
      memchr (data, '<', length) != NULL || memchr (data, '{', length) != NULL)
    return NULL;

  for (gsize i = 0; i < length; i++)
    if (g_ascii_isspace (data[i]) && !(i == length - 1 && data[i] == '\n'))
      return NULL;

  form = bh_params_new ();
  if (!bh_params_parse_form (form, data, length, NULL) || form->len == 0)
    return NULL;

  return g_steal_pointer (&form);
}

static JsonNode *
parse_json_body (const char *data,
                 gsize       length)
{
  g_autoptr(JsonParser) parser = NULL;

  if (length == 0)
    return NULL;

  /* json-glib recurses once per level, on the stack. */
  if (!bh_x_json_depth_ok (data, length, BH_X_JSON_MAX_DEPTH))
    {
      g_debug ("Answer nests JSON deeper than %d levels; not parsed", BH_X_JSON_MAX_DEPTH);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, NULL))
    return NULL;

  if (json_parser_get_root (parser) == NULL)
    return NULL;

  return json_node_ref (json_parser_get_root (parser));
}

/**
 * _bh_x_response_new:
 * @status: the HTTP status
 * @reason: (nullable): the reason phrase
 * @headers: the response headers
 * @body: the whole body (a GBytes that wipes its data, for token answers)
 *
 * Reads everything Birdhouse uses from an answer: the body as JSON or as
 * a form, the rate-limit figures, the access level and the clock skew
 * from `Date`. No I/O: what the network brought is all it needs.
 *
 * Returns: (transfer full): a response with no request details
 *   (signed strings, auth mode) set
 */
BhXResponse *
_bh_x_response_new (guint               status,
                    const char         *reason,
                    SoupMessageHeaders *headers,
                    GBytes             *body)
{
  BhXResponse *response = g_new0 (BhXResponse, 1);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  const char *data;
  gsize length;

  response->status = status;
  response->reason = g_strdup (reason);
  response->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  response->body = g_bytes_ref (body);
  data = g_bytes_get_data (response->body, &length);

  response->headers = bh_params_new ();
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    bh_params_add (response->headers, name, value);

  response->json = parse_json_body (data, length);
  if (response->json == NULL)
    response->form = parse_form_body (data, length);

  response->rate_limit_limit = header_int (headers, "x-rate-limit-limit", -1);
  response->rate_limit_remaining = header_int (headers, "x-rate-limit-remaining", -1);
  response->rate_limit_reset = header_int (headers, "x-rate-limit-reset", 0);
  response->access_level = g_strdup (soup_message_headers_get_one (headers, "x-access-level"));

  value = soup_message_headers_get_one (headers, "Date");
  if (value != NULL)
    {
      g_autoptr(GDateTime) date = soup_date_time_new_from_http_string (value);

      if (date != NULL)
        {
          response->clock_skew = g_date_time_to_unix (date) - g_get_real_time () / G_USEC_PER_SEC;
          response->have_clock_skew = TRUE;
        }
    }

  return response;
}

/**
 * bh_x_response_new_for_body:
 * @status: the HTTP status
 * @content_type: (nullable): the Content-Type header
 * @data: (array length=length) (nullable): the body
 * @length: its length in bytes
 *
 * An answer read from bytes alone, as the client reads one from the
 * network (without its other headers): for tests, tools and fuzzing of
 * the answer parsers. @data is copied and wiped when the response goes.
 *
 * Returns: (transfer full): the response
 */
BhXResponse *
bh_x_response_new_for_body (guint       status,
                            const char *content_type,
                            const char *data,
                            gsize       length)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) body = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (content_type != NULL)
    soup_message_headers_replace (headers, "Content-Type", content_type);

  if (length == 0)
    body = g_bytes_new (NULL, 0);
  else
    body = bh_secret_bytes_new_take (g_memdup2 (data, length), length);

  return _bh_x_response_new (status, NULL, headers, body);
}
