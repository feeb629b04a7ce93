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
#include <libsoup/soup.h>

/* This file is the one place where X's answers and transport failures
 * become sentences. Everything else in Birdhouse passes the GError on. */

/* Server messages longer than this are cut: they are extra detail only. */
#define MAX_DETAIL_CHARS 200

/* A run of this many token-like characters in a server message could be
 * a token or a key echoed back: such a message is never shown. */
#define SECRET_LIKE_RUN 20

typedef struct
{
  BhXStep   step;
  int       x_code;
  guint     http_status;
  gint64    rate_limit_reset;
  gint64    clock_skew;
  gboolean  have_clock_skew;
} BhXErrorPrivate;

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

static char *
unit_text (guint  kind,
           gint64 n)
{
  gulong count = (gulong) n;

  switch (kind)
    {
    case 0:
      /* Translators: a part of a duration such as “1 hour 2 minutes”. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", count), (int) n);
    case 1:
      /* Translators: a part of a duration such as “1 hour 2 minutes”. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", count), (int) n);
    case 2:
      /* Translators: a part of a duration such as “1 hour 2 minutes”. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", count), (int) n);
    default:
      /* Translators: a part of a duration such as “1 hour 2 minutes”. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second", "%d seconds", count), (int) n);
    }
}

/* "1 hour 2 minutes": the two largest units of @seconds, down to the
 * first zero one ("1 hour", not "1 hour 0 minutes"). */
static char *
format_duration (gint64 seconds)
{
  static const gint64 unit_size[] = { 86400, 3600, 60, 1 };
  char *parts[2] = { NULL, NULL };
  char *text;
  guint shown = 0;

  seconds = ABS (seconds);

  for (guint i = 0; i < G_N_ELEMENTS (unit_size) && shown < 2; i++)
    {
      gint64 n = seconds / unit_size[i];

      if (n == 0)
        {
          if (shown > 0)
            break;
          continue;
        }

      seconds -= n * unit_size[i];
      parts[shown++] = unit_text (i, n);
    }

  if (shown == 0)
    return unit_text (3, 0);
  if (shown == 1)
    return parts[0];

  /* Translators: a duration in two parts, the larger unit first, such as
   * “1 hour” and “2 minutes”. Change the order or add a word if your
   * language needs it. */
  text = g_strdup_printf (C_("duration", "%s %s"), parts[0], parts[1]);
  g_free (parts[0]);
  g_free (parts[1]);
  return text;
}

/* The local time of @reset: the time alone when it is today, else date
 * and time. */
static char *
format_reset_time (gint64 reset)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (reset);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (when == NULL)
    return NULL;

  if (g_date_time_get_year (when) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    return g_date_time_format (when, "%X");

  return g_date_time_format (when, "%x %X");
}

static gboolean
is_invisible_control (gunichar c)
{
  return c < 0x20 || c == 0x7f ||
         (c >= 0x80 && c <= 0x9f) ||          /* C1: U+009B is an 8-bit CSI */
         c == 0x061c ||                       /* Arabic letter mark */
         c == 0x200e || c == 0x200f ||        /* LRM, RLM */
         (c >= 0x202a && c <= 0x202e) ||      /* embeddings and overrides */
         (c >= 0x2066 && c <= 0x2069);        /* isolates */
}

/**
 * bh_x_strip_controls:
 *
 * See the header. Every text a server sent passes through here before a
 * person sees it: a terminal obeys C1 controls, and bidirectional
 * overrides make a label read differently from what it says.
 */
char *
bh_x_strip_controls (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\t' || c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029)
        g_string_append_c (out, ' ');
      else if (!is_invisible_control (c))
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * bh_x_json_depth_ok:
 *
 * See the header.
 */
gboolean
bh_x_json_depth_ok (const char *data,
                    gsize       length,
                    guint       max_depth)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

/* A server message fit to show as extra detail, or NULL: printable, short,
 * and without anything that looks like an echoed token or key. */
static char *
sanitize_detail (const char *text)
{
  g_autofree char *clean = NULL;
  g_autofree char *copy = NULL;
  guint run = 0;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("%-_=+/", *p) != NULL)
        {
          if (++run >= SECRET_LIKE_RUN)
            return NULL;
        }
      else
        {
          run = 0;
        }
    }

  clean = bh_x_strip_controls (text);

  if (g_utf8_strlen (clean, -1) > MAX_DETAIL_CHARS)
    copy = g_utf8_substring (clean, 0, MAX_DETAIL_CHARS);
  else
    copy = g_strdup (clean);

  g_strstrip (copy);
  if (*copy == '\0')
    return NULL;

  return g_steal_pointer (&copy);
}

/* The sentence saying which step failed, for sentences that are
 * otherwise generic. Whole sentences, one per step: translators cannot
 * fit a phrase into a "%s failed." of theirs. */
static const char *
step_failed_sentence (BhXStep step)
{
  switch (step)
    {
    case BH_X_STEP_REQUEST_TOKEN:
      return _("Asking X for a request token failed.");
    case BH_X_STEP_ACCESS_TOKEN:
      return _("Exchanging the PIN for an access token failed.");
    case BH_X_STEP_VERIFY:
      return _("Verifying the account failed.");
    case BH_X_STEP_BEARER_TOKEN:
      return _("Getting the bearer token failed.");
    case BH_X_STEP_INVALIDATE_BEARER:
      return _("Invalidating the bearer token failed.");
    case BH_X_STEP_INVALIDATE_TOKEN:
      return _("Revoking the account’s token failed.");
    case BH_X_STEP_BEARER_REQUEST:
      return _("The request with the bearer token failed.");
    case BH_X_STEP_OTHER:
    default:
      return NULL;
    }
}

/* The sentence for @code. @detail (nullable, already sanitized) is added
 * only where our own sentence is generic. */
static char *
build_message (BhXError    code,
               BhXStep     step,
               guint       status,
               gint64      rate_limit_reset,
               gint64      clock_skew,
               gboolean    have_clock_skew,
               const char *detail)
{
  g_autofree char *sentence = NULL;
  gboolean use_detail = FALSE;
  gboolean name_step = FALSE;

  switch (code)
    {
    case BH_X_ERROR_COULD_NOT_AUTHENTICATE:
      sentence = g_strdup (_("X could not authenticate the request. Check that the API key and secret, and the account’s access token, are correct and belong to the same App."));
      break;

    case BH_X_ERROR_RATE_LIMITED:
      {
        g_autofree char *when = rate_limit_reset > 0 ? format_reset_time (rate_limit_reset) : NULL;

        if (when != NULL)
          /* Translators: %s is a time, or a date and a time, in the
           * locale’s format. */
          sentence = g_strdup_printf (_("X’s rate limit was reached. Try again after %s."), when);
        else
          sentence = g_strdup (_("X’s rate limit was reached. Wait a few minutes and try again."));
      }
      break;

    case BH_X_ERROR_INVALID_TOKEN:
      sentence = g_strdup (_("The access token is invalid or has been revoked. Authorize the account again."));
      break;

    case BH_X_ERROR_BEARER_CREDENTIALS:
      sentence = g_strdup (_("X could not verify the App’s API key and secret for a bearer token. Check both in the developer portal and enter them again."));
      break;

    case BH_X_ERROR_TIMESTAMP:
      /* Below a second the Date header cannot tell: say it without a figure. */
      if (have_clock_skew && ABS (clock_skew) >= 1)
        {
          g_autofree char *difference = format_duration (clock_skew);

          /* Translators: %s is a duration such as “1 hour 2 minutes”. */
          sentence = g_strdup_printf (_("Your computer’s clock differs from X’s by %s. Correct the clock or try again; Birdhouse will adjust."), difference);
        }
      else
        {
          sentence = g_strdup (_("Your computer’s clock differs from X’s. Correct the clock or try again; Birdhouse will adjust."));
        }
      break;

    case BH_X_ERROR_BAD_AUTH_DATA:
      sentence = g_strdup (_("X received incomplete authentication data. Check that the API key and secret were copied completely, without extra spaces."));
      break;

    case BH_X_ERROR_CALLBACK_NOT_APPROVED:
      sentence = g_strdup (_("X has not approved the callback for this App. Check the App’s callback settings in the developer portal."));
      break;

    case BH_X_ERROR_APP_SUSPENDED:
      sentence = g_strdup (_("X says this App is suspended or its API key is not valid. Check the App in the developer portal."));
      break;

    case BH_X_ERROR_OOB_REQUIRED:
      sentence = g_strdup (_("X accepts only the PIN method for this App. Check that the App is set up as a desktop (PIN-based) App in the developer portal."));
      break;

    case BH_X_ERROR_INVALID_PIN:
      sentence = g_strdup (_("X did not accept the PIN, or it has expired. Check the digits and type it again, or authorize again in the browser for a new PIN."));
      break;

    case BH_X_ERROR_INVALID_REQUEST_TOKEN:
      sentence = g_strdup (_("This authorization has expired or was already used. Start the authorization again."));
      break;

    case BH_X_ERROR_UNAUTHORIZED:
      sentence = g_strdup (_("X refused the credentials. Check the API key and secret and the account’s access token."));
      use_detail = TRUE;
      name_step = TRUE;
      break;

    case BH_X_ERROR_FORBIDDEN:
      sentence = g_strdup (_("X does not allow this request for this App or account. Check the App’s permissions and access level in the developer portal."));
      use_detail = TRUE;
      name_step = TRUE;
      break;

    case BH_X_ERROR_NOT_FOUND:
      sentence = g_strdup (_("X does not know this address. Check the App’s API host."));
      name_step = TRUE;
      break;

    case BH_X_ERROR_BEARER_INVALID:
      if (step == BH_X_STEP_INVALIDATE_BEARER)
        sentence = g_strdup (_("X refused to invalidate the bearer token: it does not know it, because it was already invalidated or belongs to another App."));
      else
        sentence = g_strdup (_("The bearer token is no longer valid: it was invalidated, maybe elsewhere. Generate a new one: invalidate it and get it again in the window, or with “birdhouse bearer APP --invalidate” and then “birdhouse bearer APP”."));
      break;

    case BH_X_ERROR_REDIRECTED:
      sentence = g_strdup (_("X answered with a redirect, which Birdhouse does not follow with credentials. Check the App’s API host."));
      break;

    case BH_X_ERROR_SERVER:
      if (status >= 500)
        /* Translators: %u is an HTTP status such as 503. */
        sentence = g_strdup_printf (_("X is having trouble right now (HTTP %u). Try again in a few minutes."), status);
      else
        sentence = g_strdup (_("X is having trouble right now. Try again in a few minutes."));
      break;

    case BH_X_ERROR_MALFORMED:
      sentence = g_strdup (_("X sent an answer Birdhouse cannot read. Try again later; if it keeps happening, check the App’s API host."));
      break;

    case BH_X_ERROR_NOT_BEARER:
      sentence = g_strdup (_("X returned a token that is not a bearer token, which Birdhouse cannot use. Try again later."));
      break;

    case BH_X_ERROR_CALLBACK_NOT_CONFIRMED:
      sentence = g_strdup (_("X did not confirm the PIN method for this authorization. Check the App’s settings in the developer portal and try again."));
      break;

    case BH_X_ERROR_TIMEOUT:
      sentence = g_strdup (_("The server did not answer in time. Check the network connection and try again."));
      break;

    case BH_X_ERROR_CONNECTION:
      sentence = g_strdup (_("Birdhouse could not reach the server. Check the network connection and the App’s API host."));
      break;

    case BH_X_ERROR_TLS:
      sentence = g_strdup (_("A secure connection to the server could not be established, so nothing was sent. Check the App’s API host, the computer’s date and time, and any network proxy."));
      break;

    case BH_X_ERROR_INSECURE_URL:
      sentence = g_strdup (_("Birdhouse talks to X only over https; plain http is allowed only to this computer. Use an https:// address."));
      break;

    case BH_X_ERROR_INVALID_URL:
      sentence = g_strdup (_("The address is not a valid web address. Use a full address such as https://api.x.com."));
      break;

    case BH_X_ERROR_CANCELLED:
      sentence = g_strdup (_("The operation was cancelled."));
      break;

    case BH_X_ERROR_FAILED:
    default:
      if (status > 0)
        /* Translators: %u is an HTTP status such as 400. */
        sentence = g_strdup_printf (_("X refused the request (HTTP %u). Try again later, or check the App and account in the developer portal."), status);
      else
        sentence = g_strdup (_("Something went wrong talking to X. Try again later."));
      use_detail = TRUE;
      name_step = TRUE;
      break;
    }

  if (name_step && step_failed_sentence (step) != NULL)
    {
      /* Translators: two sentences in a row: the first says which step
       * failed (“Verifying the account failed.”), the second what went
       * wrong and what to do. Change the order or the space between them
       * if your language needs it. */
      g_autofree char *with_step = g_strdup_printf (C_("two sentences", "%s %s"),
                                                    step_failed_sentence (step), sentence);

      g_free (sentence);
      sentence = g_steal_pointer (&with_step);
    }

  if (use_detail && detail != NULL)
    /* Translators: the first %s is a sentence, the second what X said (in English). */
    return g_strdup_printf (_("%s X said: “%s”"), sentence, detail);

  return g_steal_pointer (&sentence);
}

static GError *
new_error (BhXError    code,
           BhXStep     step,
           int         x_code,
           guint       status,
           gint64      rate_limit_reset,
           gint64      clock_skew,
           gboolean    have_clock_skew,
           const char *detail)
{
  g_autofree char *message = NULL;
  BhXErrorPrivate *priv;
  GError *error;

  message = build_message (code, step, status, rate_limit_reset, clock_skew,
                           have_clock_skew, detail);
  error = g_error_new_literal (BH_X_ERROR, code, message);

  priv = bh_x_error_get_private (error);
  priv->step = step;
  priv->x_code = x_code;
  priv->http_status = status;
  priv->rate_limit_reset = rate_limit_reset;
  priv->clock_skew = clock_skew;
  priv->have_clock_skew = have_clock_skew;

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
  return new_error (code, BH_X_STEP_OTHER, 0, 0, 0, 0, FALSE, NULL);
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

/**
 * bh_x_json_string_member:
 *
 * See the header.
 */
const char *
bh_x_json_string_member (JsonObject *object,
                         const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
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
  detail = sanitize_detail (server_message);

  g_debug ("X answered HTTP %u at step %d, X code %d → BhXError %d", status, step, x_code, code);

  return new_error (code, step, x_code, status, rate_limit_reset, clock_skew,
                    have_clock_skew, detail);
}

/**
 * bh_x_error_from_transport:
 *
 * See the header. Errors already in BH_X_ERROR are copied.
 */
GError *
bh_x_error_from_transport (const GError *error)
{
  BhXError code = BH_X_ERROR_FAILED;
  const char *sentence = NULL;
  GError *mapped;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == BH_X_ERROR)
    return g_error_copy (error);

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CANCELLED:
          code = BH_X_ERROR_CANCELLED;
          break;
        case G_IO_ERROR_TIMED_OUT:
          code = BH_X_ERROR_TIMEOUT;
          break;
        case G_IO_ERROR_CONNECTION_REFUSED:
          code = BH_X_ERROR_CONNECTION;
          sentence = _("The server refused the connection. Check the App’s API host and try again later.");
          break;
        case G_IO_ERROR_HOST_NOT_FOUND:
          code = BH_X_ERROR_CONNECTION;
          sentence = _("The server could not be found. Check the network connection and the App’s API host.");
          break;
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
          code = BH_X_ERROR_CONNECTION;
          sentence = _("The network cannot reach the server. Check the network connection and try again.");
          break;
        case G_IO_ERROR_PROXY_FAILED:
        case G_IO_ERROR_PROXY_AUTH_FAILED:
        case G_IO_ERROR_PROXY_NEED_AUTH:
        case G_IO_ERROR_PROXY_NOT_ALLOWED:
          code = BH_X_ERROR_CONNECTION;
          sentence = _("The network proxy did not let the connection through. Check the proxy settings and try again.");
          break;
        case G_IO_ERROR_CONNECTION_CLOSED: /* also BROKEN_PIPE and resets */
        case G_IO_ERROR_PARTIAL_INPUT:
        case G_IO_ERROR_NOT_CONNECTED:
          code = BH_X_ERROR_CONNECTION;
          sentence = _("The connection to the server was lost before it answered. Check the network connection and try again.");
          break;
        case G_IO_ERROR_INVALID_ARGUMENT:
        case G_IO_ERROR_NOT_SUPPORTED:
          code = BH_X_ERROR_FAILED;
          break;
        default:
          code = BH_X_ERROR_CONNECTION;
          break;
        }
    }
  else if (error->domain == G_RESOLVER_ERROR)
    {
      code = BH_X_ERROR_CONNECTION;
      sentence = _("The server could not be found. Check the network connection and the App’s API host.");
    }
  else if (error->domain == G_TLS_ERROR)
    {
      code = BH_X_ERROR_TLS;
      if (error->code == G_TLS_ERROR_BAD_CERTIFICATE)
        sentence = _("The server’s certificate is not valid for this address or not trusted, so nothing was sent. Check the App’s API host, the computer’s date and time, and any network proxy.");
    }
  else if (error->domain == SOUP_SESSION_ERROR)
    {
      switch (error->code)
        {
        case SOUP_SESSION_ERROR_PARSING:
        case SOUP_SESSION_ERROR_ENCODING:
          code = BH_X_ERROR_MALFORMED;
          break;
        default:
          code = BH_X_ERROR_FAILED;
          break;
        }
    }

  /* The transport's own message names the failure but not a way out, and
   * may quote an address: only the domain and code go to the log. */
  g_debug ("Transport error %s %d → BhXError %d",
           g_quark_to_string (error->domain), error->code, code);

  mapped = new_error (code, BH_X_STEP_OTHER, 0, 0, 0, 0, FALSE, NULL);
  if (sentence != NULL)
    {
      g_free (mapped->message);
      mapped->message = g_strdup (sentence);
    }

  return mapped;
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
