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
 * window. */

/**
 * bh_import_item_describe:
 * @item: a checked (or stored) item
 *
 * One line for a person about one thing the file held and what became of
 * it; no secret. The window shows the same lines.
 *
 * Returns: (transfer full): the line
 */
char *
bh_import_item_describe (const BhImportItem *item)
{
  g_autofree char *what = NULL;
  const char *state = NULL;

  switch (item->kind)
    {
    case BH_IMPORT_KIND_APP:
      /* Translators: %s is an API key (not secret) */
      what = g_strdup_printf (_("App with API key %s"), item->consumer_key);
      break;
    case BH_IMPORT_KIND_ACCOUNT:
      if (item->screen_name != NULL)
        /* Translators: %s is an X screen name */
        what = g_strdup_printf (_("Account @%s"), item->screen_name);
      else
        /* Translators: %s is how the file names the App the account belongs to */
        what = g_strdup_printf (_("Account of “%s”"), item->label);
      break;
    case BH_IMPORT_KIND_BEARER:
      /* Translators: %s names the App in the file (an xurl App's name, or an API key) */
      what = g_strdup_printf (_("Bearer token of “%s”"), item->label);
      break;
    case BH_IMPORT_KIND_OAUTH2_CLIENT:
      /* Translators: %s is an xurl App's name */
      what = g_strdup_printf (_("OAuth 2.0 Client ID of “%s”"), item->label);
      break;
    case BH_IMPORT_KIND_OAUTH2_TOKEN:
      /* Translators: %s is an X screen name */
      what = g_strdup_printf (_("OAuth 2.0 tokens of @%s"), item->screen_name);
      break;
    case BH_IMPORT_KIND_DEFAULT:
    default:
      if (item->screen_name != NULL)
        /* Translators: the first %s is a screen name, the second names an App in the file */
        what = g_strdup_printf (_("Default: @%s with “%s”"), item->screen_name, item->label);
      else
        /* Translators: %s is an xurl App's name */
        what = g_strdup_printf (_("Default App: “%s”"), item->label);
      break;
    }

  if (item->state == BH_IMPORT_STATE_PENDING)
    /* Translators: line %u of the file; %s is what it holds */
    return g_strdup_printf (_("line %u: %s"), item->line, what);

  switch (item->state)
    {
    case BH_IMPORT_STATE_VALID:
      state = _("accepted by X, not stored yet");
      break;
    case BH_IMPORT_STATE_REJECTED:
      state = _("rejected by X, not imported");
      break;
    case BH_IMPORT_STATE_PRESENT:
      state = _("already in Birdhouse");
      break;
    case BH_IMPORT_STATE_IMPORTED:
      state = _("imported");
      break;
    case BH_IMPORT_STATE_IMPORTED_REJECTED:
      state = _("rejected by X, imported anyway as asked");
      break;
    case BH_IMPORT_STATE_UNSUPPORTED:
      state = _("not imported");
      break;
    case BH_IMPORT_STATE_NOTED:
      state = _("noted only: Birdhouse has no default, name the App and account instead");
      break;
    case BH_IMPORT_STATE_FAILED:
    default:
      state = _("failed");
      break;
    }

  if (item->app_name != NULL && item->kind != BH_IMPORT_KIND_DEFAULT)
    /* Translators: line %u of the file; the first %s is what it held, the
     * second what became of it, the third the Birdhouse App it is in */
    return g_strdup_printf (_("line %u: %s: %s → “%s”"), item->line, what, state, item->app_name);

  /* Translators: line %u of the file; the first %s is what it held, the
   * second what became of it */
  return g_strdup_printf (_("line %u: %s: %s"), item->line, what, state);
}
