/* bh-store-validate.c: what the store accepts as text, names and API hosts
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

#include "bh-store-private.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bh-oauth2.h"
#include "bh-x-url.h"

/* One whole sentence per field and problem, so that each translates as
 * a sentence: "The %s is empty" filled with a field's name would not.
 * "control" is for fields that may hold spaces, "space" for those that
 * may not (keys, tokens, ids). */
static const struct
{
  const char *empty;
  const char *not_text;
  const char *too_long;
  const char *space_around;
  const char *control;
  const char *space;
} sentences[BH_STORE_N_FIELDS] = {
  [BH_STORE_FIELD_APP_ID] = {
    N_("The App id is empty. Enter it and try again."),
    N_("The App id is not valid text."),
    /* Translators: %d is the most characters the App id may have. */
    N_("The App id is longer than %d characters."),
    N_("The App id starts or ends with a space. Check that it was copied whole, without spaces around it."),
    NULL,
    N_("The App id contains a space or a line break. Check that it was copied whole, and only it."),
  },
  [BH_STORE_FIELD_APP_NAME] = {
    N_("The App name is empty. Enter it and try again."),
    N_("The App name is not valid text."),
    /* Translators: %d is the most characters the App name may have. */
    N_("The App name is longer than %d characters."),
    N_("The App name starts or ends with a space. Check that it was copied whole, without spaces around it."),
    N_("The App name contains a line break or a control character."),
    NULL,
  },
  [BH_STORE_FIELD_API_KEY] = {
    N_("The API key is empty. Enter it and try again."),
    N_("The API key is not valid text."),
    /* Translators: %d is the most characters the API key may have. */
    N_("The API key is longer than %d characters."),
    N_("The API key starts or ends with a space. Check that it was copied whole, without spaces around it."),
    NULL,
    N_("The API key contains a space or a line break. Check that it was copied whole, and only it."),
  },
  [BH_STORE_FIELD_API_KEY_SECRET] = {
    N_("The API key secret is empty. Enter it and try again."),
    N_("The API key secret is not valid text."),
    /* Translators: %d is the most characters the API key secret may have. */
    N_("The API key secret is longer than %d characters."),
    N_("The API key secret starts or ends with a space. Check that it was copied whole, without spaces around it."),
    NULL,
    N_("The API key secret contains a space or a line break. Check that it was copied whole, and only it."),
  },
  [BH_STORE_FIELD_API_HOST] = {
    N_("The API host is empty. Enter it and try again."),
    N_("The API host is not valid text."),
    /* Translators: %d is the most characters the API host may have. */
    N_("The API host is longer than %d characters."),
    N_("The API host starts or ends with a space. Check that it was copied whole, without spaces around it."),
    NULL,
    N_("The API host contains a space or a line break. Check that it was copied whole, and only it."),
  },
  [BH_STORE_FIELD_BEARER_TOKEN] = {
    N_("The bearer token is empty. Enter it and try again."),
    N_("The bearer token is not valid text."),
    /* Translators: %d is the most characters the bearer token may have. */
    N_("The bearer token is longer than %d characters."),
    N_("The bearer token starts or ends with a space. Check that it was copied whole, without spaces around it."),
    NULL,
    N_("The bearer token contains a space or a line break. Check that it was copied whole, and only it."),
  },
  [BH_STORE_FIELD_USER_ID] = {
    N_("The user id is empty. Enter it and try again."),
    N_("The user id is not valid text."),
    /* Translators: %d is the most characters the user id may have. */
    N_("The user id is longer than %d characters."),
    N_("The user id starts or ends with a space. Check that it was copied whole, without spaces around it."),
    NULL,
    N_("The user id contains a space or a line break. Check that it was copied whole, and only it."),
  },
  [BH_STORE_FIELD_SCREEN_NAME] = {
    N_("The screen name is empty. Enter it and try again."),
    N_("The screen name is not valid text."),
    /* Translators: %d is the most characters the screen name may have. */
    N_("The screen name is longer than %d characters."),
    N_("The screen name starts or ends with a space. Check that it was copied whole, without spaces around it."),
    N_("The screen name contains a line break or a control character."),
    N_("The screen name contains a space or a line break. Check that it was copied whole, and only it."),
  },
  [BH_STORE_FIELD_ACCOUNT_NAME] = {
    N_("The account name is empty. Enter it and try again."),
    N_("The account name is not valid text."),
    /* Translators: %d is the most characters the account name may have. */
    N_("The account name is longer than %d characters."),
    N_("The account name starts or ends with a space. Check that it was copied whole, without spaces around it."),
    N_("The account name contains a line break or a control character."),
    NULL,
  },
  [BH_STORE_FIELD_ACCESS_LEVEL] = {
    N_("The access level is empty. Enter it and try again."),
    N_("The access level is not valid text."),
    /* Translators: %d is the most characters the access level may have. */
    N_("The access level is longer than %d characters."),
    N_("The access level starts or ends with a space. Check that it was copied whole, without spaces around it."),
    NULL,
    N_("The access level contains a space or a line break. Check that it was copied whole, and only it."),
  },
  [BH_STORE_FIELD_ACCESS_TOKEN] = {
    N_("The access token is empty. Enter it and try again."),
    N_("The access token is not valid text."),
    /* Translators: %d is the most characters the access token may have. */
    N_("The access token is longer than %d characters."),
    N_("The access token starts or ends with a space. Check that it was copied whole, without spaces around it."),
    NULL,
    N_("The access token contains a space or a line break. Check that it was copied whole, and only it."),
  },
  [BH_STORE_FIELD_ACCESS_TOKEN_SECRET] = {
    N_("The access token secret is empty. Enter it and try again."),
    N_("The access token secret is not valid text."),
    /* Translators: %d is the most characters the access token secret may have. */
    N_("The access token secret is longer than %d characters."),
    N_("The access token secret starts or ends with a space. Check that it was copied whole, without spaces around it."),
    NULL,
    N_("The access token secret contains a space or a line break. Check that it was copied whole, and only it."),
  },
  [BH_STORE_FIELD_CLIENT_ID] = {
    N_("The Client ID is empty. Enter it and try again."),
    N_("The Client ID is not valid text."),
    /* Translators: %d is the most characters the Client ID may have. */
    N_("The Client ID is longer than %d characters."),
    N_("The Client ID starts or ends with a space. Check that it was copied whole, without spaces around it."),
    NULL,
    N_("The Client ID contains a space or a line break. Check that it was copied whole, and only it."),
  },
  [BH_STORE_FIELD_CLIENT_SECRET] = {
    N_("The Client Secret is empty. Enter it and try again."),
    N_("The Client Secret is not valid text."),
    /* Translators: %d is the most characters the Client Secret may have. */
    N_("The Client Secret is longer than %d characters."),
    N_("The Client Secret starts or ends with a space. Check that it was copied whole, without spaces around it."),
    NULL,
    N_("The Client Secret contains a space or a line break. Check that it was copied whole, and only it."),
  },
  [BH_STORE_FIELD_REDIRECT_URI] = {
    N_("The redirect URI is empty. Enter it and try again."),
    N_("The redirect URI is not valid text."),
    /* Translators: %d is the most characters the redirect URI may have. */
    N_("The redirect URI is longer than %d characters."),
    N_("The redirect URI starts or ends with a space. Check that it was copied whole, without spaces around it."),
    NULL,
    N_("The redirect URI contains a space or a line break. Check that it was copied whole, and only it."),
  },
  [BH_STORE_FIELD_OAUTH2_SCOPES] = {
    N_("The OAuth 2.0 scopes are empty. Choose at least one and try again."),
    N_("The OAuth 2.0 scopes are not valid text."),
    /* Translators: %d is the most characters the list of scopes may have. */
    N_("The OAuth 2.0 scopes are longer than %d characters."),
    N_("The OAuth 2.0 scopes start or end with a space."),
    N_("The OAuth 2.0 scopes contain a line break or a control character."),
    NULL,
  },
};

/**
 * _bh_store_check_text:
 * @value: (nullable): the text
 * @field: which field it is, for the sentence
 * @allow_spaces: whether spaces may be inside it (never around it)
 * @error: (nullable): BH_STORE_ERROR_INVALID or BH_STORE_ERROR_LIMIT
 *
 * Returns: %TRUE when @value is text the store keeps: not empty, valid
 *   UTF-8, not too long, no space around it, no control character
 */
gboolean
_bh_store_check_text (const char    *value,
                      BhStoreField   field,
                      gboolean       allow_spaces,
                      GError       **error)
{
  g_assert (field < BH_STORE_N_FIELDS);

  if (value == NULL || *value == '\0')
    {
      g_set_error_literal (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID, _(sentences[field].empty));
      return FALSE;
    }

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error_literal (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID, _(sentences[field].not_text));
      return FALSE;
    }

  /* The byte length first: no need to count a megabyte of characters. */
  if (strlen (value) > 4 * BH_STORE_MAX_TEXT_LENGTH ||
      g_utf8_strlen (value, -1) > BH_STORE_MAX_TEXT_LENGTH)
    {
      /* The format is one of the table's, each with one %d. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                   _(sentences[field].too_long), BH_STORE_MAX_TEXT_LENGTH);
#pragma GCC diagnostic pop
      return FALSE;
    }

  if (g_unichar_isspace (g_utf8_get_char (value)) ||
      g_unichar_isspace (g_utf8_get_char (g_utf8_find_prev_char (value, value + strlen (value)))))
    {
      g_set_error_literal (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID, _(sentences[field].space_around));
      return FALSE;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || (!allow_spaces && g_unichar_isspace (c)))
        {
          const char *sentence = allow_spaces ? sentences[field].control : sentences[field].space;

          g_assert (sentence != NULL);
          g_set_error_literal (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID, _(sentence));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
_bh_store_check_name_length (const char  *name,
                             GError     **error)
{
  if (g_utf8_strlen (name, -1) > BH_STORE_MAX_NAME_LENGTH)
    {
      g_set_error (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT,
                   /* Translators: %d is the most characters an App name may have. */
                   _("The App name is longer than %d characters. Choose a shorter one."),
                   BH_STORE_MAX_NAME_LENGTH);
      return FALSE;
    }

  return TRUE;
}

/* What two names are compared by: the same name whatever its case and
 * Unicode normalization ("É" typed as one character or as "E" and an
 * accent). NFD, case folding, then NFC: the canonical caseless match of
 * Unicode (D145). */
char *
_bh_store_name_key (const char *name)
{
  g_autofree char *nfd = g_utf8_normalize (name != NULL ? name : "", -1, G_NORMALIZE_NFD);
  g_autofree char *folded = NULL;

  if (nfd == NULL)
    return g_strdup ("");

  folded = g_utf8_casefold (nfd, -1);
  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
}

static gboolean
is_unsafe_char (gunichar c)
{
  /* Controls (C0, DEL, C1: a terminal obeys some of them) and the format
   * characters that reorder or hide text (bidirectional overrides,
   * zero-width characters). */
  return g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT;
}

/* Text from the records file (or the keyring's attributes) made fit for a
 * message: valid UTF-8, no control or format characters, and not longer
 * than a sentence can carry. */
char *
_bh_store_safe_text (const char *text,
                     gssize      len)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", len);
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_unsafe_char (c))
        continue;

      if (++n > 200)
        {
          g_string_append (out, "…");
          break;
        }

      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

typedef gboolean (*TextRule) (const char  *value,
                              GError     **error);

/* A text field (NULL: unset, fine) that must also follow another part's
 * rule, whose sentence becomes ours. */
static gboolean
check_text_by_rule (const char    *value,
                    BhStoreField   field,
                    TextRule       rule,
                    GError       **error)
{
  g_autoptr(GError) rule_error = NULL;

  if (value == NULL)
    return TRUE;

  if (!_bh_store_check_text (value, field, FALSE, error))
    return FALSE;

  if (!rule (value, &rule_error))
    {
      g_set_error_literal (error, BH_STORE_ERROR, BH_STORE_ERROR_INVALID, rule_error->message);
      return FALSE;
    }

  return TRUE;
}

/* The API host rule is the X client's (bh-x-url.c): one rule for both, so
 * that the store never keeps a host the client would refuse. */
gboolean
_bh_store_check_api_host (const char  *api_host,
                          GError     **error)
{
  return check_text_by_rule (api_host, BH_STORE_FIELD_API_HOST, bh_x_check_api_host, error);
}

static gboolean
redirect_uri_rule (const char  *redirect_uri,
                   GError     **error)
{
  return bh_oauth2_check_redirect_uri (redirect_uri, NULL, NULL, error);
}

/* The redirect URI rule is the OAuth 2.0 flow's (bh-oauth2.c): the store
 * never keeps one the loopback listener could not receive. NULL is "the
 * default". */
gboolean
_bh_store_check_redirect_uri (const char  *redirect_uri,
                              GError     **error)
{
  return check_text_by_rule (redirect_uri, BH_STORE_FIELD_REDIRECT_URI, redirect_uri_rule, error);
}
