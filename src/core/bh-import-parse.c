/* bh-import-parse.c
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

#include "bh-import.h"

#include <string.h>
#include <yaml.h>
#include <glib/gi18n.h>

#include "bh-store-private.h"
#include "bh-x-error.h"

/* The two files, as their tools write them:
 *
 * twurl (lib/twurl/rcfile.rb, Ruby's to_yaml):
 *   profiles: {USERNAME: {CONSUMER_KEY: {username, consumer_key,
 *              consumer_secret, token, secret}}}
 *   configuration: {default_profile: [USERNAME, CONSUMER_KEY]}
 *   bearer_tokens: {CONSUMER_KEY: BEARER}
 *   aliases: {NAME: PATH}                       (not credentials)
 *
 * xurl (store/tokens.go, yaml.v3):
 *   apps: {NAME: {client_id, client_secret, default_user,
 *                 oauth2_tokens: {USER: TOKEN}, oauth1_token: TOKEN,
 *                 bearer_token: TOKEN}}
 *   default_app: NAME
 *   where TOKEN is {type: oauth1|oauth2|bearer, bearer,
 *                   oauth2: {access_token, refresh_token, expiration_time},
 *                   oauth1: {access_token, token_secret, consumer_key,
 *                            consumer_secret}}
 *   and older xurl wrote JSON (which is YAML) with oauth2_tokens,
 *   oauth1_tokens, bearer_token and file_path at the top.
 *
 * Anything else is refused with its line: a field we do not know may be
 * a credential we would silently leave behind in a file the user then
 * asks us to remove. */

typedef struct
{
  yaml_document_t *doc;
  GPtrArray       *items;
  BhImportSource   source;
} Parse;

static guint
node_line (yaml_node_t *node)
{
  return node->start_mark.line + 1;
}

/* A name from the file, fit to quote in a sentence: a YAML key may hold
 * any character through its escapes ("\e[2J" is a terminal's escape),
 * and any length. Controls go, and a long name is cut. */
#define QUOTED_NAME_MAX 40

static char *
quote_name (const char *name)
{
  g_autofree char *clean = bh_x_strip_controls (name != NULL ? name : "?");

  if (g_utf8_strlen (clean, -1) <= QUOTED_NAME_MAX)
    return g_steal_pointer (&clean);

  *g_utf8_offset_to_pointer (clean, QUOTED_NAME_MAX - 1) = '\0';
  return g_strconcat (clean, "…", NULL);
}

/* A name the file gives (a screen name, the key of a default) that
 * nothing checks before it is shown: without controls. */
static char *
clean_name (const char *name)
{
  return name != NULL ? bh_x_strip_controls (name) : NULL;
}

static gboolean
fail (GError      **error,
      yaml_node_t  *node,
      const char   *sentence)
{
  g_set_error (error, BH_IMPORT_ERROR, BH_IMPORT_ERROR_DAMAGED,
               /* Translators: %u is a line number in the file, %s a sentence saying what is wrong there */
               _("Line %u: %s"), node_line (node), sentence);
  return FALSE;
}

static gboolean
wrong_tool (GError      **error,
            yaml_node_t  *node,
            const char   *sentence)
{
  g_set_error (error, BH_IMPORT_ERROR, BH_IMPORT_ERROR_WRONG_TOOL,
               _("Line %u: %s"), node_line (node), sentence);
  return FALSE;
}

static const char *
scalar (yaml_node_t *node)
{
  return node != NULL && node->type == YAML_SCALAR_NODE ? (const char *) node->data.scalar.value : NULL;
}

static gboolean
is_null (yaml_node_t *node)
{
  const char *text = scalar (node);

  return text != NULL && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
         (text[0] == '\0' || g_str_equal (text, "~") || g_str_equal (text, "null"));
}

/* Whether the mapping @node has the key @name. */
static gboolean
has_key (Parse       *parse,
         yaml_node_t *node,
         const char  *name)
{
  if (node->type != YAML_MAPPING_NODE)
    return FALSE;
  for (yaml_node_pair_t *pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++)
    if (g_strcmp0 (scalar (yaml_document_get_node (parse->doc, pair->key)), name) == 0)
      return TRUE;
  return FALSE;
}

/* A mapping's value for each of @keys (NULL-terminated; the values go to
 * @values in the same order); any other key is an error. @parent is the
 * file's own name for the mapping (the key it is under), NULL at the top
 * of the file. */
static gboolean
read_mapping (Parse        *parse,
              yaml_node_t  *node,
              const char   *parent,
              const char  **keys,
              yaml_node_t **values,
              GError      **error)
{
  if (node->type != YAML_MAPPING_NODE)
    {
      g_autofree char *sentence = NULL;
      g_autofree char *quoted = NULL;

      if (parent == NULL)
        return fail (error, node, _("the file should be a list of fields."));
      quoted = quote_name (parent);
      /* Translators: %s is a name from the file (a field, a user, an API key) */
      sentence = g_strdup_printf (_("“%s” should be a list of fields."), quoted);
      return fail (error, node, sentence);
    }

  for (yaml_node_pair_t *pair = node->data.mapping.pairs.start;
       pair < node->data.mapping.pairs.top; pair++)
    {
      yaml_node_t *key = yaml_document_get_node (parse->doc, pair->key);
      const char *name = scalar (key);
      gsize i;

      for (i = 0; keys[i] != NULL; i++)
        if (g_strcmp0 (name, keys[i]) == 0)
          break;

      if (keys[i] == NULL)
        {
          g_autofree char *fields = g_strjoinv (", ", (char **) keys);
          g_autofree char *quoted = quote_name (name);
          g_autofree char *quoted_parent = parent != NULL ? quote_name (parent) : NULL;
          g_autofree char *sentence = NULL;

          if (parent == NULL)
            /* Translators: the first %s is a field name found in the file,
             * the second the fields expected there */
            sentence = g_strdup_printf (_("unexpected field “%s” at the top of the file (expected: %s)."),
                                        quoted, fields);
          else
            /* Translators: the first %s is a field name found in the file, the
             * second the name it is under, the third the fields expected there */
            sentence = g_strdup_printf (_("unexpected field “%s” under “%s” (expected: %s)."),
                                        quoted, quoted_parent, fields);
          return fail (error, key, sentence);
        }
      values[i] = yaml_document_get_node (parse->doc, pair->value);
    }

  return TRUE;
}

/* The text of @node, or NULL for a missing or null one; an error for
 * anything but text. */
static gboolean
read_text (yaml_node_t  *node,
           const char   *field,
           const char  **text,
           GError      **error)
{
  *text = NULL;
  if (node == NULL || is_null (node))
    return TRUE;
  if (node->type != YAML_SCALAR_NODE)
    {
      g_autofree char *quoted = quote_name (field);
      /* Translators: %s is a field name of the file */
      g_autofree char *sentence = g_strdup_printf (_("“%s” should be text."), quoted);
      return fail (error, node, sentence);
    }
  *text = scalar (node);
  return TRUE;
}

/* A credential the store would refuse (a space, a control character…)
 * is refused here, with its line, before anything is stored. */
static gboolean
check_value (yaml_node_t   *node,
             const char    *value,
             BhStoreField   field,
             GError       **error)
{
  g_autoptr(GError) invalid = NULL;

  if (_bh_store_check_text (value, field, FALSE, &invalid))
    return TRUE;
  return fail (error, node, invalid->message);
}

static BhImportItem *
add_item (Parse        *parse,
          BhImportKind  kind,
          yaml_node_t  *node,
          const char   *label)
{
  BhImportItem *item = g_new0 (BhImportItem, 1);

  item->kind = kind;
  item->line = node_line (node);
  /* Shown in the report and the dialog as the file names it, but without
   * what would drive a terminal or reorder the line. */
  item->label = label != NULL ? bh_x_strip_controls (label) : NULL;
  g_ptr_array_add (parse->items, item);

  return item;
}

static BhImportItem *
find_app (Parse      *parse,
          const char *consumer_key)
{
  for (guint i = 0; i < parse->items->len; i++)
    {
      BhImportItem *item = g_ptr_array_index (parse->items, i);

      if (item->kind == BH_IMPORT_KIND_APP && g_strcmp0 (item->consumer_key, consumer_key) == 0)
        return item;
    }
  return NULL;
}

/* The App of an account, once per API key: the same key with two
 * different secrets cannot both be right. */
static gboolean
add_app (Parse        *parse,
         yaml_node_t  *node,
         const char   *label,
         const char   *consumer_key,
         const char   *consumer_secret,
         GError      **error)
{
  BhImportItem *app = find_app (parse, consumer_key);

  if (app != NULL)
    {
      if (!bh_secret_equal (app->secret, consumer_secret))
        return fail (error, node, _("this API key has another secret than earlier in the file."));
      return TRUE;
    }

  app = add_item (parse, BH_IMPORT_KIND_APP, node, label);
  app->consumer_key = g_strdup (consumer_key);
  app->secret = bh_secret_dup (consumer_secret);
  return TRUE;
}

/* twurl ------------------------------------------------------------------ */

static gboolean
parse_twurl_profile (Parse        *parse,
                     const char   *username,
                     const char   *consumer_key,
                     yaml_node_t  *node,
                     GError      **error)
{
  static const char *keys[] = { "username", "consumer_key", "consumer_secret", "token", "secret", NULL };
  yaml_node_t *values[G_N_ELEMENTS (keys)] = { NULL };
  const char *text[G_N_ELEMENTS (keys) - 1];
  BhImportItem *account;

  if (!read_mapping (parse, node, consumer_key, keys, values, error))
    return FALSE;
  for (gsize i = 0; keys[i] != NULL; i++)
    if (!read_text (values[i], keys[i], &text[i], error))
      return FALSE;

  if (text[1] == NULL || text[2] == NULL)
    return fail (error, node, _("a twurl profile needs consumer_key and consumer_secret."));
  if (!check_value (values[1], text[1], BH_STORE_FIELD_API_KEY, error) ||
      !check_value (values[2], text[2], BH_STORE_FIELD_API_KEY_SECRET, error) ||
      (text[3] != NULL && !check_value (values[3], text[3], BH_STORE_FIELD_ACCESS_TOKEN, error)) ||
      (text[4] != NULL && !check_value (values[4], text[4], BH_STORE_FIELD_ACCESS_TOKEN_SECRET, error)))
    return FALSE;
  if (!g_str_equal (text[1], consumer_key))
    return fail (error, values[1], _("the consumer_key differs from the key the profile is filed under."));
  if (!add_app (parse, node, consumer_key, consumer_key, text[2], error))
    return FALSE;
  if ((text[3] == NULL) != (text[4] == NULL))
    return fail (error, node, _("a twurl profile needs both token and secret, or neither."));
  if (text[3] == NULL)
    return TRUE;

  account = add_item (parse, BH_IMPORT_KIND_ACCOUNT, node, username);
  account->consumer_key = g_strdup (consumer_key);
  account->screen_name = clean_name (text[0] != NULL ? text[0] : username);
  account->token = bh_secret_dup (text[3]);
  account->token_secret = bh_secret_dup (text[4]);
  return TRUE;
}

static gboolean
parse_twurl (Parse        *parse,
             yaml_node_t  *root,
             GError      **error)
{
  static const char *keys[] = { "profiles", "configuration", "bearer_tokens", "aliases", NULL };
  yaml_node_t *values[G_N_ELEMENTS (keys)] = { NULL };

  if (!has_key (parse, root, "profiles"))
    return wrong_tool (error, root, _("this is not a twurl file: it has no “profiles”."));
  if (!read_mapping (parse, root, NULL, keys, values, error))
    return FALSE;
  if (values[0]->type != YAML_MAPPING_NODE && !is_null (values[0]))
    return fail (error, values[0], _("“profiles” should be a list of users."));

  if (values[0]->type == YAML_MAPPING_NODE)
    for (yaml_node_pair_t *user = values[0]->data.mapping.pairs.start;
         user < values[0]->data.mapping.pairs.top; user++)
      {
        yaml_node_t *name = yaml_document_get_node (parse->doc, user->key);
        yaml_node_t *keyed = yaml_document_get_node (parse->doc, user->value);

        if (scalar (name) == NULL || keyed->type != YAML_MAPPING_NODE)
          return fail (error, name, _("each twurl user should hold its profiles by API key."));
        for (yaml_node_pair_t *p = keyed->data.mapping.pairs.start; p < keyed->data.mapping.pairs.top; p++)
          {
            yaml_node_t *key = yaml_document_get_node (parse->doc, p->key);

            if (scalar (key) == NULL)
              return fail (error, key, _("a twurl profile should be filed under its API key."));
            if (!parse_twurl_profile (parse, scalar (name), scalar (key),
                                      yaml_document_get_node (parse->doc, p->value), error))
              return FALSE;
          }
      }

  if (values[2] != NULL && !is_null (values[2]))
    {
      if (values[2]->type != YAML_MAPPING_NODE)
        return fail (error, values[2], _("“bearer_tokens” should map API keys to bearer tokens."));
      for (yaml_node_pair_t *p = values[2]->data.mapping.pairs.start; p < values[2]->data.mapping.pairs.top; p++)
        {
          yaml_node_t *key = yaml_document_get_node (parse->doc, p->key);
          yaml_node_t *value = yaml_document_get_node (parse->doc, p->value);
          BhImportItem *bearer;

          if (scalar (key) == NULL || scalar (value) == NULL || is_null (value))
            return fail (error, key, _("“bearer_tokens” should map API keys to bearer tokens."));
          if (!check_value (key, scalar (key), BH_STORE_FIELD_API_KEY, error) ||
              !check_value (value, scalar (value), BH_STORE_FIELD_BEARER_TOKEN, error))
            return FALSE;
          bearer = add_item (parse, BH_IMPORT_KIND_BEARER, key, scalar (key));
          bearer->consumer_key = g_strdup (scalar (key));
          bearer->secret = bh_secret_dup (scalar (value));
        }
    }

  if (values[1] != NULL && !is_null (values[1]))
    {
      static const char *config_keys[] = { "default_profile", NULL };
      yaml_node_t *config[2] = { NULL };
      yaml_node_t *user, *key;
      BhImportItem *def;

      if (!read_mapping (parse, values[1], "configuration", config_keys, config, error))
        return FALSE;
      if (config[0] != NULL && !is_null (config[0]))
        {
          if (config[0]->type != YAML_SEQUENCE_NODE ||
              config[0]->data.sequence.items.top - config[0]->data.sequence.items.start != 2 ||
              scalar (user = yaml_document_get_node (parse->doc, config[0]->data.sequence.items.start[0])) == NULL ||
              scalar (key = yaml_document_get_node (parse->doc, config[0]->data.sequence.items.start[1])) == NULL)
            return fail (error, config[0], _("“default_profile” should be a user and an API key."));
          def = add_item (parse, BH_IMPORT_KIND_DEFAULT, config[0], scalar (key));
          def->screen_name = clean_name (scalar (user));
          def->consumer_key = clean_name (scalar (key));
        }
    }

  /* aliases (values[3]) name request paths, not credentials. */
  return TRUE;
}

/* xurl -------------------------------------------------------------------- */

/* A TOKEN of @type under @field, its inner fields in @fields
 * (NULL-terminated) read into @text. */
static gboolean
read_xurl_token (Parse        *parse,
                 yaml_node_t  *node,
                 const char   *field,
                 const char   *type,
                 const char  **fields,
                 const char  **text,
                 GError      **error)
{
  static const char *keys[] = { "type", "bearer", "oauth2", "oauth1", NULL };
  yaml_node_t *values[G_N_ELEMENTS (keys)] = { NULL };
  const char *found_type = NULL, *bearer = NULL;
  yaml_node_t *inner;
  yaml_node_t *inner_values[8] = { NULL };

  if (!read_mapping (parse, node, field, keys, values, error) ||
      !read_text (values[0], "type", &found_type, error) ||
      !read_text (values[1], "bearer", &bearer, error))
    return FALSE;
  if (g_strcmp0 (found_type, type) != 0)
    {
      /* Translators: %s is a token type of xurl's file: oauth1, oauth2 or bearer */
      g_autofree char *sentence = g_strdup_printf (_("the token should be of type “%s”."), type);
      return fail (error, node, sentence);
    }

  if (g_str_equal (type, "bearer"))
    {
      if (bearer == NULL)
        return fail (error, node, _("the bearer token is empty."));
      text[0] = bearer;
      return TRUE;
    }

  inner = values[g_str_equal (type, "oauth2") ? 2 : 3];
  if (inner == NULL)
    return fail (error, node, _("the token holds no values."));
  if (!read_mapping (parse, inner, type, fields, inner_values, error))
    return FALSE;
  for (gsize i = 0; fields[i] != NULL; i++)
    if (!read_text (inner_values[i], fields[i], &text[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
parse_xurl_app (Parse        *parse,
                const char   *app_name,
                yaml_node_t  *node,
                gboolean      legacy,
                GError      **error)
{
  static const char *keys[] = { "client_id", "client_secret", "default_user", "oauth2_tokens",
                                "oauth1_token", "bearer_token", NULL };
  static const char *legacy_keys[] = { "oauth2_tokens", "oauth1_tokens", "bearer_token", "file_path", NULL };
  static const char *oauth1_fields[] = { "access_token", "token_secret", "consumer_key", "consumer_secret", NULL };
  static const char *oauth2_fields[] = { "access_token", "refresh_token", "expiration_time", NULL };
  yaml_node_t *v[G_N_ELEMENTS (keys)] = { NULL };
  const char *client_id = NULL, *client_secret = NULL, *default_user = NULL;
  const char *consumer_key = NULL;

  if (legacy)
    {
      yaml_node_t *l[G_N_ELEMENTS (legacy_keys)] = { NULL };

      if (!read_mapping (parse, node, NULL, legacy_keys, l, error))
        return FALSE;
      v[3] = l[0];
      v[4] = l[1];
      v[5] = l[2];
    }
  else if (!read_mapping (parse, node, app_name, keys, v, error) ||
           !read_text (v[0], "client_id", &client_id, error) ||
           !read_text (v[1], "client_secret", &client_secret, error) ||
           !read_text (v[2], "default_user", &default_user, error))
    return FALSE;

  if (v[4] != NULL && !is_null (v[4]))
    {
      const char *t[5] = { NULL };
      BhImportItem *account;

      if (!read_xurl_token (parse, v[4], "oauth1_token", "oauth1", oauth1_fields, t, error))
        return FALSE;
      if (t[0] == NULL || t[1] == NULL || t[2] == NULL || t[3] == NULL)
        return fail (error, v[4], _("an OAuth 1.0a token needs access_token, token_secret, "
                                    "consumer_key and consumer_secret."));
      if (!check_value (v[4], t[0], BH_STORE_FIELD_ACCESS_TOKEN, error) ||
          !check_value (v[4], t[1], BH_STORE_FIELD_ACCESS_TOKEN_SECRET, error) ||
          !check_value (v[4], t[2], BH_STORE_FIELD_API_KEY, error) ||
          !check_value (v[4], t[3], BH_STORE_FIELD_API_KEY_SECRET, error))
        return FALSE;
      consumer_key = t[2];
      if (!add_app (parse, v[4], app_name, t[2], t[3], error))
        return FALSE;
      account = add_item (parse, BH_IMPORT_KIND_ACCOUNT, v[4], app_name);
      account->consumer_key = g_strdup (t[2]);
      account->token = bh_secret_dup (t[0]);
      account->token_secret = bh_secret_dup (t[1]);
    }

  /* xurl writes "" for what an App does not have. */
  if (client_id != NULL && client_id[0] == '\0')
    client_id = NULL;
  if (client_secret != NULL && client_secret[0] == '\0')
    client_secret = NULL;

  if (client_id != NULL)
    {
      BhImportItem *client;

      if (!check_value (v[0], client_id, BH_STORE_FIELD_CLIENT_ID, error) ||
          (client_secret != NULL && !check_value (v[1], client_secret, BH_STORE_FIELD_CLIENT_SECRET, error)))
        return FALSE;
      client = add_item (parse, BH_IMPORT_KIND_OAUTH2_CLIENT, v[0], app_name);
      client->consumer_key = g_strdup (consumer_key);
      client->client_id = g_strdup (client_id);
      client->secret = client_secret != NULL ? bh_secret_dup (client_secret) : NULL;
    }

  if (v[3] != NULL && !is_null (v[3]))
    {
      if (v[3]->type != YAML_MAPPING_NODE)
        return fail (error, v[3], _("“oauth2_tokens” should hold tokens by user."));
      for (yaml_node_pair_t *p = v[3]->data.mapping.pairs.start; p < v[3]->data.mapping.pairs.top; p++)
        {
          yaml_node_t *user = yaml_document_get_node (parse->doc, p->key);
          const char *t[4] = { NULL };
          BhImportItem *grant;

          if (scalar (user) == NULL ||
              !read_xurl_token (parse, yaml_document_get_node (parse->doc, p->value), scalar (user), "oauth2",
                                oauth2_fields, t, error))
            return scalar (user) == NULL ? fail (error, user, _("“oauth2_tokens” should hold tokens by user.")) : FALSE;
          if (t[0] == NULL)
            return fail (error, user, _("an OAuth 2.0 token needs its access_token."));
          grant = add_item (parse, BH_IMPORT_KIND_OAUTH2_TOKEN, user, app_name);
          grant->screen_name = clean_name (scalar (user));
          grant->consumer_key = g_strdup (consumer_key);
          grant->client_id = g_strdup (client_id);
          grant->secret = bh_secret_dup (t[0]);
          grant->token = t[1] != NULL ? bh_secret_dup (t[1]) : NULL;
          grant->expires_at = t[2] != NULL ? g_ascii_strtoll (t[2], NULL, 10) : 0;
        }
    }

  if (v[5] != NULL && !is_null (v[5]))
    {
      const char *t[1] = { NULL };
      BhImportItem *bearer;

      if (!read_xurl_token (parse, v[5], "bearer_token", "bearer", NULL, t, error) ||
          !check_value (v[5], t[0], BH_STORE_FIELD_BEARER_TOKEN, error))
        return FALSE;
      bearer = add_item (parse, BH_IMPORT_KIND_BEARER, v[5], app_name);
      /* xurl keeps no API key with a bearer token: it is the one of the
       * App's OAuth 1.0a token, if there is one. */
      bearer->consumer_key = g_strdup (consumer_key);
      bearer->secret = bh_secret_dup (t[0]);
    }

  if (default_user != NULL)
    {
      BhImportItem *def = add_item (parse, BH_IMPORT_KIND_DEFAULT, v[2], app_name);

      def->screen_name = clean_name (default_user);
    }

  return TRUE;
}

static gboolean
parse_xurl (Parse        *parse,
            yaml_node_t  *root,
            GError      **error)
{
  static const char *keys[] = { "apps", "default_app", NULL };
  yaml_node_t *values[G_N_ELEMENTS (keys)] = { NULL };
  const char *default_app = NULL;

  if (root->type == YAML_MAPPING_NODE)
    {
      for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++)
        {
          const char *name = scalar (yaml_document_get_node (parse->doc, p->key));

          /* xurl before its Apps: one JSON object, read as the App “default”. */
          if (g_strcmp0 (name, "oauth2_tokens") == 0 || g_strcmp0 (name, "oauth1_tokens") == 0)
            return parse_xurl_app (parse, "default", root, TRUE, error);
        }
    }

  if (!has_key (parse, root, "apps"))
    return wrong_tool (error, root, _("this is not an xurl file: it has no “apps”."));
  if (!read_mapping (parse, root, NULL, keys, values, error) ||
      !read_text (values[1], "default_app", &default_app, error))
    return FALSE;
  if (values[0]->type != YAML_MAPPING_NODE)
    return fail (error, values[0], _("“apps” should hold the Apps by name."));

  for (yaml_node_pair_t *p = values[0]->data.mapping.pairs.start; p < values[0]->data.mapping.pairs.top; p++)
    {
      yaml_node_t *name = yaml_document_get_node (parse->doc, p->key);

      if (scalar (name) == NULL)
        return fail (error, name, _("each xurl App should have a name."));
      if (!parse_xurl_app (parse, scalar (name), yaml_document_get_node (parse->doc, p->value), FALSE, error))
        return FALSE;
    }

  if (default_app != NULL)
    add_item (parse, BH_IMPORT_KIND_DEFAULT, values[1], default_app);

  return TRUE;
}

/* The parser's buffers held the whole file, and each node's text a
 * value: wiped before libyaml frees them. */
static void
wipe_document (yaml_document_t *doc)
{
  for (yaml_node_t *node = doc->nodes.start; node < doc->nodes.top; node++)
    if (node->type == YAML_SCALAR_NODE)
      bh_secret_wipe (node->data.scalar.value, node->data.scalar.length);
}

static void
wipe_parser (yaml_parser_t *parser)
{
  if (parser->raw_buffer.start != NULL)
    bh_secret_wipe (parser->raw_buffer.start, parser->raw_buffer.end - parser->raw_buffer.start);
  if (parser->buffer.start != NULL)
    bh_secret_wipe (parser->buffer.start, parser->buffer.end - parser->buffer.start);
}

/**
 * bh_import_parse:
 * @source: whose file it is
 * @data: the file's contents
 * @length: their length
 * @error: return location for a #GError
 *
 * Reads every profile, App, account, bearer token and default of a twurl
 * or xurl file. Stores nothing.
 *
 * Returns: (transfer full) (element-type BhImportItem): the items, in
 *   the file's order but Apps before what needs them; %NULL and a
 *   sentence naming the line when the file is damaged or not the tool's
 */
GPtrArray *
bh_import_parse (BhImportSource   source,
                 const char      *data,
                 gsize            length,
                 GError         **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) bh_import_item_free);
  yaml_parser_t parser;
  yaml_document_t doc;
  yaml_node_t *root;
  Parse parse = { &doc, items, source };
  gboolean ok;

  g_return_val_if_fail (data != NULL, NULL);

  if (!yaml_parser_initialize (&parser))
    g_error ("out of memory");
  yaml_parser_set_input_string (&parser, (const unsigned char *) data, length);

  if (!yaml_parser_load (&parser, &doc))
    {
      /* Where libyaml noticed, and what it was reading then. */
      unsigned long line = (unsigned long) parser.problem_mark.line + 1;
      unsigned long context_line = (unsigned long) parser.context_mark.line + 1;

      if (parser.context != NULL && context_line != line)
        g_set_error (error, BH_IMPORT_ERROR, BH_IMPORT_ERROR_DAMAGED,
                     /* Translators: %lu are line numbers; the first and second %s are
                      * libyaml's own words (English): what is wrong, what it was reading */
                     _("Line %lu: this is not valid YAML (%s, %s from line %lu)."),
                     line, parser.problem != NULL ? parser.problem : "?", parser.context, context_line);
      else
        g_set_error (error, BH_IMPORT_ERROR, BH_IMPORT_ERROR_DAMAGED,
                     /* Translators: %lu is a line number, %s libyaml's own words (English) */
                     _("Line %lu: this is not valid YAML (%s)."),
                     line, parser.problem != NULL ? parser.problem : "?");
      wipe_parser (&parser);
      yaml_parser_delete (&parser);
      return NULL;
    }

  root = yaml_document_get_root_node (&doc);
  if (root == NULL || is_null (root))
    {
      g_set_error_literal (error, BH_IMPORT_ERROR, BH_IMPORT_ERROR_EMPTY, _("The file is empty."));
      ok = FALSE;
    }
  else if (source == BH_IMPORT_SOURCE_TWURL)
    ok = parse_twurl (&parse, root, error);
  else
    ok = parse_xurl (&parse, root, error);

  wipe_document (&doc);
  yaml_document_delete (&doc);
  wipe_parser (&parser);
  yaml_parser_delete (&parser);

  if (!ok)
    return NULL;

  return g_steal_pointer (&items);
}
