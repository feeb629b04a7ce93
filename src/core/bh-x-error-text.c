/* bh-x-error-text.c
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
#include <json-glib/json-glib.h>

#include "bh-x-error-private.h"

/* Text that came from a server, made fit to show, and the small JSON
 * checks every reader of X's answers shares. */

/* Server messages longer than this are cut: they are extra detail only. */
#define MAX_DETAIL_CHARS 200

/* A run of this many token-like characters in a server message could be
 * a token or a key echoed back: such a message is never shown. */
#define SECRET_LIKE_RUN 20

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
 * bh_x_token_is_clean:
 *
 * See the header.
 */
gboolean
bh_x_token_is_clean (const char *token)
{
  if (token == NULL || *token == '\0')
    return FALSE;

  for (const char *p = token; *p != '\0'; p++)
    if (*p <= ' ' || *p >= 0x7f)
      return FALSE;

  return TRUE;
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

char *
_bh_x_sanitize_detail (const char *text)
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
