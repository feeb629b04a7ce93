/* bh-x-answers.c
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

#include "bh-x-client.h"

#include "bh-oauth1.h"
#include "bh-secret.h"
#include "bh-x-client-private.h"
#include "bh-x-error.h"

/* What each endpoint makes of a 2xx answer. Nothing here does I/O or
 * looks at anything but the response, so a fuzzer can drive it with
 * bh_x_response_new_for_body(). Text meant for people is stripped of
 * controls; tokens are secrets, copied with bh_secret_dup(). */

static gpointer
malformed (GError **error)
{
  g_propagate_error (error, bh_x_error_new (BH_X_ERROR_MALFORMED));
  return NULL;
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/* A token cannot be cleaned up as a name is without becoming another
 * token, and one with a control character or a bidirectional mark is
 * none that X issues: it would reach a terminal through `birdhouse
 * export`. Such an answer is refused whole. The comparison copy is wiped:
 * it is the secret. */
static gboolean
is_clean_secret (const char *text)
{
  g_autoptr(BhSecret) clean = bh_x_strip_controls (text);

  return g_strcmp0 (clean, text) == 0;
}

/**
 * bh_x_token_pair_free:
 * @pair: (nullable): a token pair
 *
 * Frees @pair, wiping the token and its secret.
 */
void
bh_x_token_pair_free (BhXTokenPair *pair)
{
  if (pair == NULL)
    return;

  bh_secret_free (pair->token);
  bh_secret_free (pair->token_secret);
  g_free (pair->user_id);
  g_free (pair->screen_name);
  g_free (pair);
}

/**
 * _bh_x_parse_request_token:
 * @response: a 2xx answer of oauth/request_token
 * @error: BH_X_ERROR_MALFORMED without a token, or with a control
 *   character or bidirectional mark in it or its secret;
 *   BH_X_ERROR_CALLBACK_NOT_CONFIRMED
 *
 * Returns: (transfer full) (nullable): the request token and its secret
 */
BhXTokenPair *
_bh_x_parse_request_token (const BhXResponse  *response,
                           GError            **error)
{
  BhXTokenPair *pair;
  const char *token, *secret, *confirmed;

  if (response->form == NULL)
    return malformed (error);

  token = bh_params_get (response->form, "oauth_token");
  secret = bh_params_get (response->form, "oauth_token_secret");
  if (!has_text (token) || secret == NULL ||
      !is_clean_secret (token) || !is_clean_secret (secret))
    return malformed (error);

  /* Without it, X did not take oauth_callback=oob: the PIN page would
   * never come. */
  confirmed = bh_params_get (response->form, "oauth_callback_confirmed");
  if (g_strcmp0 (confirmed, "true") != 0)
    {
      g_propagate_error (error, bh_x_error_new (BH_X_ERROR_CALLBACK_NOT_CONFIRMED));
      return NULL;
    }

  pair = g_new0 (BhXTokenPair, 1);
  pair->token = bh_secret_dup (token);
  pair->token_secret = bh_secret_dup (secret);

  return pair;
}

/**
 * _bh_x_parse_access_token:
 * @response: a 2xx answer of oauth/access_token
 * @error: BH_X_ERROR_MALFORMED without a token and its secret, or with a
 *   control character or bidirectional mark in either
 *
 * Returns: (transfer full) (nullable): the access token, its secret, and
 *   the user id and screen name X sent with them
 */
BhXTokenPair *
_bh_x_parse_access_token (const BhXResponse  *response,
                          GError            **error)
{
  BhXTokenPair *pair;
  const char *token, *secret;

  if (response->form == NULL)
    return malformed (error);

  token = bh_params_get (response->form, "oauth_token");
  secret = bh_params_get (response->form, "oauth_token_secret");
  if (!has_text (token) || !has_text (secret) ||
      !is_clean_secret (token) || !is_clean_secret (secret))
    return malformed (error);

  pair = g_new0 (BhXTokenPair, 1);
  pair->token = bh_secret_dup (token);
  pair->token_secret = bh_secret_dup (secret);
  pair->user_id = bh_x_strip_controls (bh_params_get (response->form, "user_id"));
  pair->screen_name = bh_x_strip_controls (bh_params_get (response->form, "screen_name"));

  return pair;
}

/* Identities */

/**
 * bh_x_identity_free:
 * @identity: (nullable): an identity
 *
 * Frees @identity.
 */
void
bh_x_identity_free (BhXIdentity *identity)
{
  if (identity == NULL)
    return;

  g_free (identity->user_id);
  g_free (identity->screen_name);
  g_free (identity->name);
  g_free (identity->access_level);
  g_free (identity);
}

/* Who the account is, or MALFORMED when there is nobody left once the id
 * and the name are cleaned: a screen name of only controls or bidi marks
 * would be an account without a name in the window and the store. */
static BhXIdentity *
identity_new (const BhXResponse  *response,
              const char         *user_id,
              const char         *screen_name,
              const char         *name,
              GError            **error)
{
  g_autoptr(BhXIdentity) identity = g_new0 (BhXIdentity, 1);

  /* Shown in the window and the terminal: no controls, no bidi tricks. */
  identity->user_id = bh_x_strip_controls (user_id);
  identity->screen_name = bh_x_strip_controls (screen_name);
  if (!has_text (identity->user_id) || !has_text (identity->screen_name))
    return malformed (error);

  identity->name = bh_x_strip_controls (name);
  identity->access_level = bh_x_strip_controls (response->access_level);
  identity->rate_limit_limit = response->rate_limit_limit;
  identity->rate_limit_remaining = response->rate_limit_remaining;
  identity->rate_limit_reset = response->rate_limit_reset;

  return g_steal_pointer (&identity);
}

/**
 * _bh_x_parse_verify_credentials:
 * @response: a 2xx answer of 1.1/account/verify_credentials.json
 * @error: BH_X_ERROR_MALFORMED without id_str and screen_name (once
 *   cleaned of controls)
 *
 * Returns: (transfer full) (nullable): the identity
 */
BhXIdentity *
_bh_x_parse_verify_credentials (const BhXResponse  *response,
                                GError            **error)
{
  JsonObject *user;
  const char *id, *screen_name;

  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return malformed (error);

  user = json_node_get_object (response->json);
  id = bh_x_json_string_member (user, "id_str");
  screen_name = bh_x_json_string_member (user, "screen_name");

  return identity_new (response, id, screen_name, bh_x_json_string_member (user, "name"), error);
}

/**
 * _bh_x_parse_users_me:
 * @response: a 2xx answer of 2/users/me
 * @error: BH_X_ERROR_MALFORMED without data.id and data.username (once
 *   cleaned of controls)
 *
 * Returns: (transfer full) (nullable): the identity
 */
BhXIdentity *
_bh_x_parse_users_me (const BhXResponse  *response,
                      GError            **error)
{
  JsonObject *root, *data;
  JsonNode *data_node;
  const char *id, *username;

  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return malformed (error);

  root = json_node_get_object (response->json);
  data_node = json_object_get_member (root, "data");
  if (data_node == NULL || !JSON_NODE_HOLDS_OBJECT (data_node))
    return malformed (error);

  data = json_node_get_object (data_node);
  id = bh_x_json_string_member (data, "id");
  username = bh_x_json_string_member (data, "username");

  return identity_new (response, id, username, bh_x_json_string_member (data, "name"), error);
}

/**
 * _bh_x_parse_bearer_token:
 * @response: a 2xx answer of oauth2/token
 * @error: BH_X_ERROR_NOT_BEARER unless token_type is "bearer",
 *   BH_X_ERROR_MALFORMED without an access_token, or with a control
 *   character or bidirectional mark in it
 *
 * Returns: (transfer full) (nullable): the bearer token, to free with
 *   bh_secret_free()
 */
char *
_bh_x_parse_bearer_token (const BhXResponse  *response,
                          GError            **error)
{
  JsonObject *object;
  const char *token_type, *token;

  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    return malformed (error);

  object = json_node_get_object (response->json);
  token_type = bh_x_json_string_member (object, "token_type");
  if (token_type == NULL || g_ascii_strcasecmp (token_type, "bearer") != 0)
    {
      g_propagate_error (error, bh_x_error_new (BH_X_ERROR_NOT_BEARER));
      return NULL;
    }

  token = bh_x_json_string_member (object, "access_token");
  if (!has_text (token) || !is_clean_secret (token))
    return malformed (error);

  return bh_secret_dup (token);
}
