/* bh-export.c
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

#include "bh-export.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-oauth1.h"
#include "bh-oauth2-token.h"
#include "bh-store.h"

/* Output that holds secrets. It grows by allocating anew, copying and
 * wiping the old block: realloc() would leave the old block, secrets and
 * all, to the allocator unwiped. */
typedef struct
{
  char  *data;
  gsize  len;
  gsize  size;
} SecretBuffer;

static void
secret_buffer_init (SecretBuffer *buf)
{
  buf->size = 256;
  buf->len = 0;
  buf->data = g_malloc (buf->size);
  buf->data[0] = '\0';
}

static void
secret_buffer_reserve (SecretBuffer *buf,
                       gsize         more)
{
  gsize size = buf->size;
  char *data;

  if (buf->len + more + 1 <= buf->size)
    return;

  while (buf->len + more + 1 > size)
    size *= 2;

  data = g_malloc (size);
  memcpy (data, buf->data, buf->len + 1);
  bh_secret_wipe (buf->data, buf->size);
  g_free (buf->data);
  buf->data = data;
  buf->size = size;
}

static void
secret_buffer_append_len (SecretBuffer *buf,
                          const char   *text,
                          gsize         len)
{
  secret_buffer_reserve (buf, len);
  memcpy (buf->data + buf->len, text, len);
  buf->len += len;
  buf->data[buf->len] = '\0';
}

static void
secret_buffer_append (SecretBuffer *buf,
                      const char   *text)
{
  secret_buffer_append_len (buf, text, strlen (text));
}

static void
secret_buffer_append_c (SecretBuffer *buf,
                        char          c)
{
  secret_buffer_append_len (buf, &c, 1);
}

static void
secret_buffer_clear (SecretBuffer *buf)
{
  bh_secret_wipe (buf->data, buf->size);
  g_clear_pointer (&buf->data, g_free);
  buf->len = buf->size = 0;
}

/* The text, in a block of its own size, so that bh_secret_free() wipes
 * all of it. */
static BhSecret *
secret_buffer_steal (SecretBuffer *buf)
{
  BhSecret *text = bh_secret_dup_len (buf->data, buf->len);

  secret_buffer_clear (buf);

  return text;
}

/**
 * bh_export_format_from_string:
 * @name: "env", "dotenv" or "json"
 * @format: (out): the format
 *
 * Returns: %FALSE for any other name
 */
gboolean
bh_export_format_from_string (const char     *name,
                              BhExportFormat *format)
{
  if (g_strcmp0 (name, "env") == 0)
    *format = BH_EXPORT_FORMAT_ENV;
  else if (g_strcmp0 (name, "dotenv") == 0)
    *format = BH_EXPORT_FORMAT_DOTENV;
  else if (g_strcmp0 (name, "json") == 0)
    *format = BH_EXPORT_FORMAT_JSON;
  else
    return FALSE;

  return TRUE;
}

/**
 * bh_export_prefix_is_valid:
 * @prefix: what variable names start with
 *
 * Returns: %TRUE when every name made with @prefix is a valid shell
 *   variable name
 */
gboolean
bh_export_prefix_is_valid (const char *prefix)
{
  g_return_val_if_fail (prefix != NULL, FALSE);

  if (prefix[0] != '\0' && g_ascii_isdigit (prefix[0]))
    return FALSE;

  for (const char *p = prefix; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

/**
 * bh_export_names:
 *
 * Every name bh_export_variables() may write, after the prefix: what
 * `birdhouse exec` removes from the environment it passes on, so that a
 * child never sees one credential's values beside another's left over.
 *
 * Returns: (transfer none): a %NULL-terminated array
 */
const char * const *
bh_export_names (void)
{
  static const char * const names[] = {
    BH_EXPORT_API_KEY,
    BH_EXPORT_API_SECRET,
    BH_EXPORT_ACCESS_TOKEN,
    BH_EXPORT_ACCESS_TOKEN_SECRET,
    BH_EXPORT_BEARER_TOKEN,
    BH_EXPORT_CLIENT_ID,
    BH_EXPORT_CLIENT_SECRET,
    BH_EXPORT_OAUTH2_ACCESS_TOKEN,
    BH_EXPORT_API_HOST,
    NULL
  };

  return names;
}

static void
add_variable (GPtrArray  *variables,
              const char *prefix,
              const char *name,
              const char *value)
{
  g_autofree char *full_name = NULL;

  if (value == NULL)
    return;

  full_name = g_strconcat (prefix, name, NULL);
  bh_params_add (variables, full_name, value);
}

/**
 * bh_export_variables:
 * @credentials: what to export; %NULL members are left out
 * @prefix: (nullable): what the names start with; %NULL for "X_"
 *
 * Names the values of @credentials as X's own examples do:
 * X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_TOKEN_SECRET (only
 * both or neither), X_BEARER_TOKEN, X_CLIENT_ID, X_CLIENT_SECRET,
 * X_OAUTH2_ACCESS_TOKEN, X_API_HOST, in this order.
 *
 * Returns: (transfer full): a #BhParam array (name, value) that wipes the
 *   values when freed
 */
GPtrArray *
bh_export_variables (const BhExportCredentials *credentials,
                     const char                *prefix)
{
  GPtrArray *variables;

  g_return_val_if_fail (credentials != NULL, NULL);
  g_return_val_if_fail (credentials->consumer_key != NULL || credentials->client_id != NULL, NULL);
  g_return_val_if_fail (prefix == NULL || bh_export_prefix_is_valid (prefix), NULL);

  if (prefix == NULL)
    prefix = "X_";

  variables = bh_params_new ();
  add_variable (variables, prefix, BH_EXPORT_API_KEY, credentials->consumer_key);
  add_variable (variables, prefix, BH_EXPORT_API_SECRET, credentials->consumer_secret);
  /* A token without its secret cannot sign anything. */
  if (credentials->token != NULL && credentials->token_secret != NULL)
    {
      add_variable (variables, prefix, BH_EXPORT_ACCESS_TOKEN, credentials->token);
      add_variable (variables, prefix, BH_EXPORT_ACCESS_TOKEN_SECRET, credentials->token_secret);
    }
  add_variable (variables, prefix, BH_EXPORT_BEARER_TOKEN, credentials->bearer);
  add_variable (variables, prefix, BH_EXPORT_CLIENT_ID, credentials->client_id);
  add_variable (variables, prefix, BH_EXPORT_CLIENT_SECRET, credentials->client_secret);
  add_variable (variables, prefix, BH_EXPORT_OAUTH2_ACCESS_TOKEN, credentials->oauth2_access_token);
  add_variable (variables, prefix, BH_EXPORT_API_HOST, credentials->api_host);

  return variables;
}

/* env: single quotes, inside which a POSIX shell takes every byte as it
 * is; a ' ends the quote, is written escaped, and a new quote begins. */
static void
append_shell_quoted (SecretBuffer *out,
                     const char   *value)
{
  secret_buffer_append_c (out, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\'')
        secret_buffer_append (out, "'\\''");
      else
        secret_buffer_append_c (out, *p);
    }
  secret_buffer_append_c (out, '\'');
}

/* Bytes that every reader of .env files takes as they are without
 * quotes: a POSIX shell's `. file` (no ~, no $, no globbing or word
 * splitting), python-dotenv, systemd's EnvironmentFile= and docker's
 * --env-file. API keys, tokens and hosts are made of these. */
static gboolean
dotenv_plain (const char *value)
{
  if (value[0] == '\0')
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_-./+=@,%:", *p) == NULL)
      return FALSE;

  return TRUE;
}

/* dotenv: the one spelling that a POSIX shell (`set -a; . file`),
 * python-dotenv and systemd's EnvironmentFile= all read back as the
 * exact value, or FALSE when there is none:
 *
 *  - single quotes: the shell and systemd take everything up to the next
 *    ' as it is; python-dotenv too, but for \\ and \' — so no ' and no \;
 *  - else double quotes, which all three end at " and in which all three
 *    treat \ specially and the shell also $ and `: for a value with a '
 *    but none of " \ $ `;
 *  - never a control character (line ends differ) nor "${": python-dotenv
 *    expands ${NAME} inside either quotes and has no escape for it. */
static gboolean
append_dotenv_quoted (SecretBuffer *out,
                      const char   *value)
{
  gboolean has_single = FALSE, has_double_special = FALSE;

  if (dotenv_plain (value))
    {
      secret_buffer_append (out, value);
      return TRUE;
    }

  if (strstr (value, "${") != NULL || strchr (value, '\\') != NULL)
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return FALSE;
      has_single |= *p == '\'';
      has_double_special |= strchr ("\"$`", *p) != NULL;
    }

  if (!has_single)
    {
      secret_buffer_append_c (out, '\'');
      secret_buffer_append (out, value);
      secret_buffer_append_c (out, '\'');
      return TRUE;
    }

  if (!has_double_special)
    {
      secret_buffer_append_c (out, '"');
      secret_buffer_append (out, value);
      secret_buffer_append_c (out, '"');
      return TRUE;
    }

  return FALSE;
}

static void
append_json_string (SecretBuffer *out,
                    const char   *value)
{
  secret_buffer_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          secret_buffer_append_c (out, '\\');
          secret_buffer_append_c (out, c);
        }
      else if (c < 0x20)
        {
          char escape[8];

          g_snprintf (escape, sizeof escape, "\\u%04x", c);
          secret_buffer_append (out, escape);
        }
      else
        secret_buffer_append_c (out, c);
    }
  secret_buffer_append_c (out, '"');
}

/**
 * bh_export_format:
 * @variables: (element-type BhParam): from bh_export_variables()
 * @format: how to write them
 * @error: return location for a #GError
 *
 * Writes @variables for a script: %BH_EXPORT_FORMAT_ENV for a POSIX
 * shell's `eval`, %BH_EXPORT_FORMAT_DOTENV for `.env` readers (see
 * append_dotenv_quoted() for which ones read it back exactly),
 * %BH_EXPORT_FORMAT_JSON for anything else. Every copy made on the way is
 * wiped.
 *
 * Returns: (transfer full) (nullable): the text, one variable a line, to
 *   free with bh_secret_free(); %NULL and G_IO_ERROR_INVALID_DATA for a
 *   value that the dotenv format cannot hold
 */
BhSecret *
bh_export_format (GPtrArray       *variables,
                  BhExportFormat   format,
                  GError         **error)
{
  SecretBuffer out;

  g_return_val_if_fail (variables != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  secret_buffer_init (&out);

  if (format == BH_EXPORT_FORMAT_JSON)
    secret_buffer_append (&out, "{\n");

  for (guint i = 0; i < variables->len; i++)
    {
      const BhParam *variable = g_ptr_array_index (variables, i);

      switch (format)
        {
        case BH_EXPORT_FORMAT_ENV:
          secret_buffer_append (&out, "export ");
          secret_buffer_append (&out, variable->name);
          secret_buffer_append_c (&out, '=');
          append_shell_quoted (&out, variable->value);
          secret_buffer_append_c (&out, '\n');
          break;

        case BH_EXPORT_FORMAT_DOTENV:
          secret_buffer_append (&out, variable->name);
          secret_buffer_append_c (&out, '=');
          if (!append_dotenv_quoted (&out, variable->value))
            {
              secret_buffer_clear (&out);
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           /* Translators: %s is a variable name such as
                            * X_API_SECRET; env, dotenv and json are format
                            * names, not to be translated. */
                           _("The value of %s cannot be written so that every .env reader "
                             "reads it back the same (it holds a backslash, a control character, "
                             "“${”, or a ' together with \", $ or `); use the env or json format."),
                           variable->name);
              return NULL;
            }
          secret_buffer_append_c (&out, '\n');
          break;

        case BH_EXPORT_FORMAT_JSON:
          secret_buffer_append (&out, i > 0 ? ",\n  " : "  ");
          append_json_string (&out, variable->name);
          secret_buffer_append (&out, ": ");
          append_json_string (&out, variable->value);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (format == BH_EXPORT_FORMAT_JSON)
    secret_buffer_append (&out, variables->len > 0 ? "\n}\n" : "}\n");

  return secret_buffer_steal (&out);
}

/**
 * bh_export_oauth2_clear:
 * @secrets: what bh_export_lookup_oauth2_finish() filled
 *
 * Wipes and frees the secrets (the struct itself is the caller's).
 */
void
bh_export_oauth2_clear (BhExportOAuth2 *secrets)
{
  bh_secret_clear (&secrets->client_secret);
  bh_secret_clear (&secrets->oauth2_access_token);
}

typedef struct
{
  BhAccount      *account;  /* nullable */
  BhExportOAuth2  secrets;
} LookupOAuth2;

static void
lookup_oauth2_free (LookupOAuth2 *lookup)
{
  g_clear_object (&lookup->account);
  bh_export_oauth2_clear (&lookup->secrets);
  g_free (lookup);
}

static void
oauth2_token_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupOAuth2 *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  lookup->secrets.oauth2_access_token = bh_oauth2_token_finish (BH_STORE (object), result, &error);
  if (lookup->secrets.oauth2_access_token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Takes over @task. */
static void
lookup_oauth2_token (GTask *task)
{
  LookupOAuth2 *lookup = g_task_get_task_data (task);

  if (lookup->account == NULL || !bh_account_has_credentials (lookup->account, BH_ACCOUNT_CREDENTIALS_OAUTH2))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  bh_oauth2_token_async (g_task_get_source_object (task), lookup->account, FALSE,
                         g_task_get_cancellable (task), oauth2_token_cb, task);
}

static void
client_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupOAuth2 *lookup = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  lookup->secrets.client_secret = bh_store_lookup_client_secret_finish (BH_STORE (object), result, &error);
  if (lookup->secrets.client_secret == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  lookup_oauth2_token (g_steal_pointer (&task));
}

/**
 * bh_export_lookup_oauth2_async:
 * @store: a #BhStore
 * @app: the App
 * @account: (nullable): one of its accounts
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Reads what an export adds for OAuth 2.0: the App's Client Secret (a
 * confidential client) and @account's access token, refreshed first when
 * it is about to expire (bh_oauth2_token_async()). Either is left out
 * when the App or account has none.
 */
void
bh_export_lookup_oauth2_async (BhStore             *store,
                               BhApp               *app,
                               BhAccount           *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LookupOAuth2 *lookup;

  g_return_if_fail (BH_IS_STORE (store));
  g_return_if_fail (BH_IS_APP (app));
  g_return_if_fail (account == NULL || BH_IS_ACCOUNT (account));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_export_lookup_oauth2_async);
  lookup = g_new0 (LookupOAuth2, 1);
  lookup->account = account != NULL ? g_object_ref (account) : NULL;
  g_task_set_task_data (task, lookup, (GDestroyNotify) lookup_oauth2_free);

  if (!bh_app_get_has_client_secret (app))
    {
      lookup_oauth2_token (g_steal_pointer (&task));
      return;
    }

  bh_store_lookup_client_secret_async (store, app, cancellable, client_secret_cb, g_steal_pointer (&task));
}

/**
 * bh_export_lookup_oauth2_finish:
 * @store: a #BhStore
 * @result: the result
 * @secrets: (out caller-allocates): filled on success; clear it with
 *   bh_export_oauth2_clear()
 * @error: a BH_STORE_ERROR or BH_X_ERROR
 *
 * Returns: %TRUE when @secrets holds what there is
 */
gboolean
bh_export_lookup_oauth2_finish (BhStore         *store,
                                GAsyncResult    *result,
                                BhExportOAuth2  *secrets,
                                GError         **error)
{
  LookupOAuth2 *lookup;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  memset (secrets, 0, sizeof *secrets);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  lookup = g_task_get_task_data (G_TASK (result));
  secrets->client_secret = g_steal_pointer (&lookup->secrets.client_secret);
  secrets->oauth2_access_token = g_steal_pointer (&lookup->secrets.oauth2_access_token);

  return TRUE;
}
