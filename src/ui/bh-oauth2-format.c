/* bh-oauth2-format.c
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

#include "bh-oauth2-format.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bh-oauth2-token.h"

const char *
bh_format_credentials (BhAccountCredentials credentials)
{
  gboolean oauth1 = (credentials & BH_ACCOUNT_CREDENTIALS_OAUTH1) != 0;
  gboolean oauth2 = (credentials & BH_ACCOUNT_CREDENTIALS_OAUTH2) != 0;

  if (oauth1 && oauth2)
    /* Translators: an account holds tokens of both methods. */
    return _("OAuth 1.0a and OAuth 2.0");
  if (oauth2)
    return "OAuth 2.0";
  return "OAuth 1.0a";
}

/* "1 hour 12 minutes", "5 minutes"; at least one minute. */
static char *
format_duration (gint64 seconds)
{
  gint64 minutes = (seconds + 59) / 60;
  gint64 hours = minutes / 60;
  g_autofree char *hours_text = NULL;
  g_autofree char *minutes_text = NULL;

  minutes %= 60;
  /* Translators: %d is a number of hours, part of “1 hour 12 minutes”. */
  hours_text = g_strdup_printf (ngettext ("%d hour", "%d hours", hours), (int) hours);
  /* Translators: %d is a number of minutes, part of “1 hour 12 minutes”. */
  minutes_text = g_strdup_printf (ngettext ("%d minute", "%d minutes", minutes), (int) minutes);

  if (hours == 0)
    return g_steal_pointer (&minutes_text);
  if (minutes == 0)
    return g_steal_pointer (&hours_text);
  /* Translators: a duration: the first %s is a number of hours (“1
   * hour”), the second a number of minutes (“12 minutes”). */
  return g_strdup_printf (C_("duration", "%s %s"), hours_text, minutes_text);
}

char *
bh_format_renewal (BhAccount *account,
                   gint64     now)
{
  gint64 expires_at = bh_account_get_oauth2_expires_at (account);
  const char *scopes = bh_account_get_oauth2_scopes (account);
  gboolean renews = scopes != NULL && strstr (scopes, "offline.access") != NULL;
  g_autofree char *duration = NULL;
  /* A token is renewed this long before it expires. */
  gint64 at = expires_at - (renews ? BH_OAUTH2_REFRESH_MARGIN : 0);

  if (!bh_account_has_credentials (account, BH_ACCOUNT_CREDENTIALS_OAUTH2) || expires_at <= 0)
    return NULL;

  if (at <= now)
    return g_strdup (renews ? _("Expired; renews on next use")
                            : _("Expired; authorize again to use it"));

  duration = format_duration (at - now);
  if (renews)
    /* Translators: %s is a duration, such as “1 hour 12 minutes”. */
    return g_strdup_printf (_("Renews in %s"), duration);
  /* Translators: %s is a duration, such as “1 hour 12 minutes”. */
  return g_strdup_printf (_("Expires in %s"), duration);
}
