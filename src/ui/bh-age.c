/* bh-age.c
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

#include "bh-age.h"

#include <glib/gi18n.h>

/* How old a credential is, in words for the window: "Created 3 months
 * ago", "Rotated today", "Age unknown", and whether it is due. Whole
 * sentences, one for each case, so that every language can say them. */

/**
 * bh_format_date_time:
 * @when: (nullable): a time
 *
 * Returns: (transfer full) (nullable): @when in the user's time zone as a
 *   date and time of day, or %NULL for %NULL
 */
char *
bh_format_date_time (GDateTime *when)
{
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return NULL;

  local = g_date_time_to_local (when);
  /* Translators: a date and time, in g_date_time_format() syntax (see
   * strftime): %B the month's name, %-d the day, %Y the year, %H:%M the
   * time of day; use %I:%M %p for a 12-hour clock. */
  return g_date_time_format (local, _("%B %-d, %Y at %H:%M"));
}

/**
 * bh_format_verified:
 * @verified_at: (nullable): when X last accepted an account's tokens
 *
 * Returns: (transfer full): "Verified 5 minutes ago" and the like
 */
char *
bh_format_verified (GDateTime *verified_at)
{
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan span;
  gint64 n;

  if (verified_at == NULL)
    return g_strdup (_("Never verified"));

  now = g_date_time_new_now_utc ();
  span = g_date_time_difference (now, verified_at);

  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Verified just now"));

  if (span < G_TIME_SPAN_HOUR)
    {
      n = span / G_TIME_SPAN_MINUTE;
      /* Translators: %d is a number of minutes. */
      return g_strdup_printf (ngettext ("Verified %d minute ago", "Verified %d minutes ago", n), (int) n);
    }

  if (span < G_TIME_SPAN_DAY)
    {
      n = span / G_TIME_SPAN_HOUR;
      /* Translators: %d is a number of hours. */
      return g_strdup_printf (ngettext ("Verified %d hour ago", "Verified %d hours ago", n), (int) n);
    }

  if (span < 30 * G_TIME_SPAN_DAY)
    {
      n = span / G_TIME_SPAN_DAY;
      /* Translators: %d is a number of days. */
      return g_strdup_printf (ngettext ("Verified %d day ago", "Verified %d days ago", n), (int) n);
    }

  {
    g_autoptr(GDateTime) local = g_date_time_to_local (verified_at);
    /* Translators: a date, in g_date_time_format() syntax (see strftime):
     * %B the month's name, %-d the day, %Y the year. */
    g_autofree char *date = g_date_time_format (local, _("%B %-d, %Y"));

    /* Translators: %s is a date. */
    return g_strdup_printf (_("Verified on %s"), date);
  }
}

static char *
format_since (GDateTime *since,
              gboolean   rotated)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan span = g_date_time_difference (now, since);
  gint64 days = MAX (span, 0) / G_TIME_SPAN_DAY;
  gulong n;

  if (days < 1)
    return g_strdup (rotated ? _("Rotated today") : _("Created today"));

  if (days < 60)
    {
      n = (gulong) days;
      if (rotated)
        /* Translators: %lu is a number of days. */
        return g_strdup_printf (ngettext ("Rotated %lu day ago", "Rotated %lu days ago", n), n);
      /* Translators: %lu is a number of days. */
      return g_strdup_printf (ngettext ("Created %lu day ago", "Created %lu days ago", n), n);
    }

  if (days < 730)
    {
      n = (gulong) (days / 30);
      if (rotated)
        /* Translators: %lu is a number of months. */
        return g_strdup_printf (ngettext ("Rotated %lu month ago", "Rotated %lu months ago", n), n);
      /* Translators: %lu is a number of months. */
      return g_strdup_printf (ngettext ("Created %lu month ago", "Created %lu months ago", n), n);
    }

  n = (gulong) (days / 365);
  if (rotated)
    /* Translators: %lu is a number of years. */
    return g_strdup_printf (ngettext ("Rotated %lu year ago", "Rotated %lu years ago", n), n);
  /* Translators: %lu is a number of years. */
  return g_strdup_printf (ngettext ("Created %lu year ago", "Created %lu years ago", n), n);
}

/**
 * bh_format_age:
 * @age: a credential's age
 *
 * Returns: (transfer full): its age in words, with "Due for rotation" on
 *   a second line when it is due
 */
char *
bh_format_age (const BhCredentialAge *age)
{
  g_autofree char *text = NULL;

  if (age->since == NULL)
    /* Translators: when a credential was created is not recorded (it was
     * added by an older Birdhouse). */
    text = g_strdup (_("Age unknown"));
  else
    text = format_since (age->since, age->rotated);

  if (!age->due)
    return g_steal_pointer (&text);

  return g_strdup_printf ("%s\n%s", text, _("Due for rotation"));
}

/**
 * bh_format_app_age:
 * @app: an App
 * @kind: one of its own credentials (see bh_credential_age_for_app())
 *
 * Returns: (transfer full): the credential's age as bh_format_age() says
 *   it, with the reminder of the Preferences
 */
char *
bh_format_app_age (BhApp            *app,
                   BhCredentialKind  kind)
{
  g_autoptr(BhCredentialAge) age = bh_credential_age_for_app (app, kind, bh_rotation_reminder_days (), NULL);

  return bh_format_age (age);
}
