/* bh-account-dialog-copy.c
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

#include <glib/gi18n.h>
#include <string.h>

#include "bh-account-dialog-private.h"

#include "bh-account.h"
#include "bh-app.h"
#include "bh-clipboard.h"
#include "bh-export.h"
#include "bh-oauth1.h"
#include "bh-secret.h"
#include "bh-window.h"

/*
 * The account dialog's Copy and Export actions: the tokens, or the
 * account's credentials as shell variables, a .env snippet or a curl
 * command, read from the keyring only when asked for and put on the
 * clipboard (which forgets them after a while).
 */

typedef enum
{
  COPY_TOKEN,
  COPY_TOKEN_SECRET,
  EXPORT_SHELL,
  EXPORT_ENV,
  EXPORT_CURL,
} CopyKind;


typedef struct
{
  GWeakRef  self;
  CopyKind  kind;
  BhSecret *consumer_secret;
} CopyData;

static void
copy_data_free (CopyData *data)
{
  g_weak_ref_clear (&data->self);
  bh_secret_clear (&data->consumer_secret);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CopyData, copy_data_free)

static BhSecret *
build_export (BhAccountDialog  *self,
              CopyKind          kind,
              const char       *consumer_secret,
              const char       *token,
              const char       *token_secret,
              GError          **error)
{
  const char *consumer_key = bh_app_get_consumer_key (self->app);
  GString *out;
  BhSecret *result;

  /* The same variables and quoting as `birdhouse export`. */
  if (kind == EXPORT_SHELL || kind == EXPORT_ENV)
    {
      BhExportCredentials credentials = {
        .consumer_key = consumer_key,
        .consumer_secret = consumer_secret,
        .token = token,
        .token_secret = token_secret,
        .api_host = bh_app_get_api_host (self->app),
      };
      g_autoptr(GPtrArray) variables = bh_export_variables (&credentials, NULL);

      return bh_export_format (variables,
                               kind == EXPORT_SHELL ? BH_EXPORT_FORMAT_ENV : BH_EXPORT_FORMAT_DOTENV,
                               error);
    }

  /* EXPORT_CURL: a ready curl command, signed now. */
  out = g_string_new (NULL);
    {
      const char *host = bh_app_get_api_host (self->app);
      g_autofree char *url = NULL;
      g_autoptr(BhSecret) header = NULL;
      g_autoptr(BhSecret) quoted_header = NULL;
      g_autofree char *quoted_url = NULL;
      BhOAuth1Credentials credentials = { consumer_key, consumer_secret, token, token_secret };
      BhOAuth1Request request = { "GET", NULL, NULL, NULL, NULL, 0 };

      if (host == NULL || *host == '\0')
        host = BH_DEFAULT_API_HOST;

      url = g_strconcat (host, g_str_has_suffix (host, "/") ? "" : "/", "2/users/me", NULL);
      request.url = url;
      header = bh_oauth1_sign (&request, &credentials, NULL, NULL, error);
      if (header == NULL)
        {
          bh_secret_wipe (out->str, out->len);
          g_string_free (out, TRUE);
          return NULL;
        }

      {
        g_autofree char *line = g_strconcat ("Authorization: ", header, NULL);

        quoted_header = g_shell_quote (line);
        bh_secret_wipe (line, strlen (line));
      }
      quoted_url = g_shell_quote (url);
      /* The signature holds a timestamp: X accepts it for a few minutes. */
      g_string_append_printf (out, "curl --request GET %s --header %s\n",
                              quoted_url, quoted_header);
    }

  result = bh_secret_dup_len (out->str, out->len);
  bh_secret_wipe (out->str, out->len);
  g_string_free (out, TRUE);

  return result;
}

static void
lookup_tokens_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CopyData) data = user_data;
  g_autoptr(BhAccountDialog) self = g_weak_ref_get (&data->self);
  g_autoptr(BhSecret) token = NULL;
  g_autoptr(BhSecret) token_secret = NULL;
  g_autoptr(BhSecret) text = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = bh_store_lookup_account_tokens_finish (BH_STORE (source), result,
                                              &token, &token_secret, &error);

  /* Closed meanwhile: the secrets are wiped on the way out. */
  if (self == NULL || self->account == NULL)
    return;

  _bh_account_dialog_set_busy (self, FALSE);

  if (!ok)
    {
      bh_window_show_error (GTK_WIDGET (self), _("Could Not Read the Tokens"), error);
      return;
    }

  switch (data->kind)
    {
    case COPY_TOKEN:
      bh_clipboard_copy_secret (GTK_WIDGET (self), token, _("Access token copied."));
      break;

    case COPY_TOKEN_SECRET:
      bh_clipboard_copy_secret (GTK_WIDGET (self), token_secret, _("Access token secret copied."));
      break;

    case EXPORT_SHELL:
    case EXPORT_ENV:
    case EXPORT_CURL:
    default:
      text = build_export (self, data->kind, data->consumer_secret, token, token_secret, &error);
      if (text == NULL)
        {
          bh_window_show_error (GTK_WIDGET (self), _("Could Not Export the Tokens"), error);
          return;
        }
      bh_clipboard_copy_secret (GTK_WIDGET (self), text,
                                data->kind == EXPORT_SHELL ? _("Shell variables copied.") :
                                data->kind == EXPORT_ENV ? _(".env snippet copied.") :
                                _("curl command copied."));
      break;
    }
}

static void
lookup_consumer_secret_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(CopyData) data = user_data;
  g_autoptr(BhAccountDialog) self = g_weak_ref_get (&data->self);
  g_autoptr(GError) error = NULL;

  data->consumer_secret = bh_store_lookup_consumer_secret_finish (BH_STORE (source), result, &error);

  if (self == NULL || self->account == NULL)
    return;

  if (data->consumer_secret == NULL)
    {
      _bh_account_dialog_set_busy (self, FALSE);
      bh_window_show_error (GTK_WIDGET (self), _("Could Not Read the App's Secret"), error);
      return;
    }

  bh_store_lookup_account_tokens_async (self->store, self->account, self->cancellable,
                                        lookup_tokens_cb, g_steal_pointer (&data));
}

void
_bh_account_dialog_copy_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  BhAccountDialog *self = BH_ACCOUNT_DIALOG (widget);
  CopyData *data;

  if (self->busy > 0)
    return;

  data = g_new0 (CopyData, 1);
  g_weak_ref_init (&data->self, self);

  if (g_str_equal (action_name, "account.copy-token"))
    data->kind = COPY_TOKEN;
  else if (g_str_equal (action_name, "account.copy-secret"))
    data->kind = COPY_TOKEN_SECRET;
  else if (g_str_equal (action_name, "account.export-shell"))
    data->kind = EXPORT_SHELL;
  else if (g_str_equal (action_name, "account.export-env"))
    data->kind = EXPORT_ENV;
  else
    data->kind = EXPORT_CURL;

  _bh_account_dialog_set_busy (self, TRUE);

  /* Exports carry the App's keys too, so that a script can sign. */
  if (data->kind == COPY_TOKEN || data->kind == COPY_TOKEN_SECRET)
    bh_store_lookup_account_tokens_async (self->store, self->account, self->cancellable,
                                          lookup_tokens_cb, data);
  else
    bh_store_lookup_consumer_secret_async (self->store, self->app, self->cancellable,
                                           lookup_consumer_secret_cb, data);
}
