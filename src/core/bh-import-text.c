/* bh-import-text.c
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

#include <glib/gi18n.h>

/* What a person reads about an import, the same in the terminal and the
 * window: what each item is, and what became of it, as a whole sentence
 * (with X's own sentence after it when X refused it). */

/**
 * bh_import_item_what:
 * @item: an item of a file
 *
 * Returns: (transfer full): what @item is, such as "Account @alice"; no
 *   secret
 */
char *
bh_import_item_what (const BhImportItem *item)
{
  switch (item->kind)
    {
    case BH_IMPORT_KIND_APP:
      /* Translators: %s is an API key (not secret) */
      return g_strdup_printf (_("App with API key %s"), item->consumer_key);
    case BH_IMPORT_KIND_ACCOUNT:
      if (item->screen_name != NULL)
        /* Translators: %s is an X screen name */
        return g_strdup_printf (_("Account @%s"), item->screen_name);
      /* Translators: %s is how the file names the App the account belongs to */
      return g_strdup_printf (_("Account of “%s”"), item->label);
    case BH_IMPORT_KIND_BEARER:
      /* Translators: %s names the App in the file (an xurl App's name, or an API key) */
      return g_strdup_printf (_("Bearer token of “%s”"), item->label);
    case BH_IMPORT_KIND_OAUTH2_CLIENT:
      /* Translators: %s is an xurl App's name */
      return g_strdup_printf (_("OAuth 2.0 Client ID of “%s”"), item->label);
    case BH_IMPORT_KIND_OAUTH2_TOKEN:
      /* Translators: %s is an X screen name */
      return g_strdup_printf (_("OAuth 2.0 tokens of @%s"), item->screen_name);
    case BH_IMPORT_KIND_DEFAULT:
    default:
      if (item->screen_name != NULL)
        /* Translators: the first %s is a screen name, the second names an App in the file */
        return g_strdup_printf (_("Default: @%s with “%s”"), item->screen_name, item->label);
      /* Translators: %s is an xurl App's name */
      return g_strdup_printf (_("Default App: “%s”"), item->label);
    }
}

static char *
outcome_sentence (const BhImportItem *item)
{
  const char *app = item->kind != BH_IMPORT_KIND_DEFAULT ? item->app_name : NULL;

  switch (item->state)
    {
    case BH_IMPORT_STATE_PENDING:
      return g_strdup (_("Not checked yet."));
    case BH_IMPORT_STATE_VALID:
      return g_strdup (_("Accepted by X, not stored yet."));
    case BH_IMPORT_STATE_REJECTED:
      return g_strdup (_("Rejected by X, not imported."));
    case BH_IMPORT_STATE_PRESENT:
      if (app != NULL)
        /* Translators: %s is the name of an App in Birdhouse */
        return g_strdup_printf (_("Already in Birdhouse, in “%s”."), app);
      return g_strdup (_("Already in Birdhouse."));
    case BH_IMPORT_STATE_IMPORTED:
      if (app != NULL)
        /* Translators: %s is the name of an App in Birdhouse */
        return g_strdup_printf (_("Imported into “%s”."), app);
      return g_strdup (_("Imported."));
    case BH_IMPORT_STATE_IMPORTED_REJECTED:
      if (app != NULL)
        /* Translators: %s is the name of an App in Birdhouse */
        return g_strdup_printf (_("Rejected by X, imported into “%s” anyway, as asked."), app);
      return g_strdup (_("Rejected by X, imported anyway, as asked."));
    case BH_IMPORT_STATE_UNSUPPORTED:
      return g_strdup (_("Not imported."));
    case BH_IMPORT_STATE_NOTED:
      return g_strdup (_("Noted only: Birdhouse has no default; name the App and the account instead."));
    case BH_IMPORT_STATE_FAILED:
    default:
      return g_strdup (_("Not imported: storing it failed."));
    }
}

/**
 * bh_import_item_outcome:
 * @item: an item of a file
 *
 * Returns: (transfer full): what became of @item, in whole sentences; no
 *   secret
 */
char *
bh_import_item_outcome (const BhImportItem *item)
{
  g_autofree char *outcome = outcome_sentence (item);

  if (item->detail == NULL)
    return g_steal_pointer (&outcome);

  /* Translators: two sentences in a row: what became of a credential,
   * then why */
  return g_strdup_printf (C_("two sentences", "%s %s"), outcome, item->detail);
}

/**
 * bh_import_item_describe:
 * @item: an item of a file
 *
 * Returns: (transfer full): the command line's report line for @item:
 *   where it is in the file, what it is, what became of it
 */
char *
bh_import_item_describe (const BhImportItem *item)
{
  g_autofree char *what = bh_import_item_what (item);
  g_autofree char *outcome = bh_import_item_outcome (item);

  /* Translators: one line of a report, fields separated by colons: %u is a
   * line number of the file, the first %s what the line holds ("Account
   * @alice"), the second what became of it, in sentences */
  return g_strdup_printf (C_("import report", "line %u: %s: %s"), item->line, what, outcome);
}
