/* bh-cli-import.c
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

#include "bh-cli-private.h"
#include "bh-import.h"
#include "bh-store.h"
#include "bh-x-url.h"

/* `birdhouse import twurl|xurl [FILE]`: the credentials of twurl's or
 * xurl's plaintext file into the keyring, each checked with X first; the
 * file itself overwritten and removed only with --remove-plaintext and
 * only once everything in it is in the keyring. */

static void
print_items (BhImport *import)
{
  GPtrArray *items = bh_import_get_items (import);

  for (guint i = 0; i < items->len; i++)
    {
      const BhImportItem *item = g_ptr_array_index (items, i);
      g_autofree char *text = bh_import_item_describe (item);

      g_print ("%s\n", text);
    }
}

static gboolean
parse_source (const char     *name,
              BhImportSource *source)
{
  if (g_strcmp0 (name, "twurl") == 0)
    *source = BH_IMPORT_SOURCE_TWURL;
  else if (g_strcmp0 (name, "xurl") == 0)
    *source = BH_IMPORT_SOURCE_XURL;
  else
    return FALSE;
  return TRUE;
}

int
_bh_cli_import (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BhCliTarget) target = { NULL, NULL, NULL };
  g_autoptr(BhImport) import = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *api_host = NULL;
  g_autofree char *path = NULL;
  gboolean keep_rejected = FALSE, remove_plaintext = FALSE;
  const GOptionEntry entries[] = {
    { "keep-rejected", 0, 0, G_OPTION_ARG_NONE, &keep_rejected,
      N_("Store what X rejects too (marked as such)"), NULL },
    { "remove-plaintext", 0, 0, G_OPTION_ARG_NONE, &remove_plaintext,
      N_("Then overwrite and remove FILE, once everything in it is in the keyring"), NULL },
    { "api-host", 0, 0, G_OPTION_ARG_STRING, &api_host,
      N_("The API host to check with and to give new Apps (default https://api.x.com)"), N_("URL") },
    G_OPTION_ENTRY_NULL
  };
  BhImportSource source;
  guint rejected = 0;
  int status;

  context = _bh_cli_option_context ("import", _("twurl|xurl [FILE]"),
                                    _("Move the credentials of twurl (~/.twurlrc) or xurl (~/.xurl) into the\n"
                                      "keyring: every App, account and bearer token, each checked with X\n"
                                      "first. One line per credential says what became of it. Nothing is\n"
                                      "stored when the file cannot be read whole. With --remove-plaintext\n"
                                      "the file is overwritten and removed, but only when everything in it\n"
                                      "is in the keyring and was read back. Exit status 1 when X rejected\n"
                                      "something that was not stored, or the file was kept."),
                                    "birdhouse import twurl --remove-plaintext",
                                    entries);
  status = _bh_cli_parse (context, "import", 1, 2, _("Say which tool’s file to import: twurl or xurl."),
                          &argc, &argv);
  if (status >= 0)
    return status;
  if (!parse_source (argv[1], &source))
    /* Translators: %s is the word given instead of twurl or xurl */
    return _bh_cli_usage ("import", _("“%s” is not a tool Birdhouse imports from: use twurl or xurl."), argv[1]);
  if (api_host != NULL && !bh_x_check_url (api_host, &error))
    return _bh_cli_fail_error (error);

  path = argc == 3 ? g_strdup (argv[2]) : bh_import_default_path (source);
  file = g_file_new_for_commandline_arg (path);

  if (!_bh_cli_open_target (NULL, NULL, &target, &error))
    return _bh_cli_fail_error (error);

  import = bh_import_new (target.store, source, file, api_host);

  bh_import_load_async (import, NULL, _bh_cli_store_result, &result);
  if (!bh_import_load_finish (import, _bh_cli_wait (&result), &error))
    return _bh_cli_fail_error (error);
  g_clear_object (&result);

  bh_import_check_async (import, NULL, _bh_cli_store_result, &result);
  if (!bh_import_check_finish (import, _bh_cli_wait (&result), &error))
    /* Translators: %s says why X could not be asked */
    return _bh_cli_fail (_("Nothing was imported: the credentials could not be checked with X (%s)"),
                         error->message);
  g_clear_object (&result);

  bh_import_store_async (import, keep_rejected, NULL, _bh_cli_store_result, &result);
  if (!bh_import_store_finish (import, _bh_cli_wait (&result), &error))
    return _bh_cli_fail_error (error);
  g_clear_object (&result);

  print_items (import);

  for (guint i = 0; i < bh_import_get_items (import)->len; i++)
    {
      const BhImportItem *item = g_ptr_array_index (bh_import_get_items (import), i);

      rejected += item->state == BH_IMPORT_STATE_REJECTED || item->state == BH_IMPORT_STATE_FAILED;
    }

  if (remove_plaintext)
    {
      bh_import_remove_plaintext_async (import, NULL, _bh_cli_store_result, &result);
      if (!bh_import_remove_plaintext_finish (import, _bh_cli_wait (&result), &error))
        return _bh_cli_fail_error (error);
      /* Translators: %s is the path of the file that was removed */
      g_print (_("Overwrote and removed %s.\n"), path);
    }

  return rejected > 0 ? BH_CLI_EXIT_FAIL : BH_CLI_EXIT_OK;
}
