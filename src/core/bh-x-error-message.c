/* bh-x-error-message.c
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

#include "bh-x-error.h"

#include <glib/gi18n.h>

#include "bh-x-error-private.h"

/* The sentences a BH_X_ERROR carries: what went wrong, at which step, and
 * what to do. bh-x-error.c decides the code; this file words it. */

static char *
unit_text (guint  kind,
           gint64 n)
{
  gulong count = (gulong) n;

  switch (kind)
    {
    case 0:
      /* Translators: a part of a duration such as “1 hour 2 minutes”. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", count), (int) n);
    case 1:
      /* Translators: a part of a duration such as “1 hour 2 minutes”. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", count), (int) n);
    case 2:
      /* Translators: a part of a duration such as “1 hour 2 minutes”. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", count), (int) n);
    default:
      /* Translators: a part of a duration such as “1 hour 2 minutes”. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second", "%d seconds", count), (int) n);
    }
}

/* "1 hour 2 minutes": the two largest units of @seconds, down to the
 * first zero one ("1 hour", not "1 hour 0 minutes"). */
static char *
format_duration (gint64 seconds)
{
  static const gint64 unit_size[] = { 86400, 3600, 60, 1 };
  char *parts[2] = { NULL, NULL };
  char *text;
  guint shown = 0;

  seconds = ABS (seconds);

  for (guint i = 0; i < G_N_ELEMENTS (unit_size) && shown < 2; i++)
    {
      gint64 n = seconds / unit_size[i];

      if (n == 0)
        {
          if (shown > 0)
            break;
          continue;
        }

      seconds -= n * unit_size[i];
      parts[shown++] = unit_text (i, n);
    }

  if (shown == 0)
    return unit_text (3, 0);
  if (shown == 1)
    return parts[0];

  /* Translators: a duration in two parts, the larger unit first, such as
   * “1 hour” and “2 minutes”. Change the order or add a word if your
   * language needs it. */
  text = g_strdup_printf (C_("duration", "%s %s"), parts[0], parts[1]);
  g_free (parts[0]);
  g_free (parts[1]);
  return text;
}

/* The local time of @reset: the time alone when it is today, else date
 * and time. */
static char *
format_reset_time (gint64 reset)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (reset);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (when == NULL)
    return NULL;

  if (g_date_time_get_year (when) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    return g_date_time_format (when, "%X");

  return g_date_time_format (when, "%x %X");
}

/* The sentence saying which step failed, for sentences that are
 * otherwise generic. Whole sentences, one per step: translators cannot
 * fit a phrase into a "%s failed." of theirs. */
static const char *
step_failed_sentence (BhXStep step)
{
  switch (step)
    {
    case BH_X_STEP_REQUEST_TOKEN:
      return _("Asking X for a request token failed.");
    case BH_X_STEP_ACCESS_TOKEN:
      return _("Exchanging the PIN for an access token failed.");
    case BH_X_STEP_VERIFY:
      return _("Verifying the account failed.");
    case BH_X_STEP_BEARER_TOKEN:
      return _("Getting the bearer token failed.");
    case BH_X_STEP_INVALIDATE_BEARER:
      return _("Invalidating the bearer token failed.");
    case BH_X_STEP_INVALIDATE_TOKEN:
      return _("Revoking the account’s token failed.");
    case BH_X_STEP_BEARER_REQUEST:
      return _("The request with the bearer token failed.");
    case BH_X_STEP_OAUTH2_CODE:
      return _("Exchanging the authorization code for a token failed.");
    case BH_X_STEP_OAUTH2_REFRESH:
      return _("Refreshing the account’s OAuth 2.0 token failed.");
    case BH_X_STEP_OAUTH2_REVOKE:
      return _("Revoking the account’s OAuth 2.0 tokens failed.");
    case BH_X_STEP_OTHER:
    default:
      return NULL;
    }
}

char *
_bh_x_error_build_message (BhXError               code,
                           const BhXErrorPrivate *info,
                           const char            *detail)
{
  BhXStep step = info->step;
  guint status = info->http_status;
  gint64 rate_limit_reset = info->rate_limit_reset;
  gint64 clock_skew = info->clock_skew;
  gboolean have_clock_skew = info->have_clock_skew;
  g_autofree char *sentence = NULL;
  gboolean use_detail = FALSE;
  gboolean name_step = FALSE;

  switch (code)
    {
    case BH_X_ERROR_COULD_NOT_AUTHENTICATE:
      sentence = g_strdup (_("X could not authenticate the request. Check that the API key and secret, and the account’s access token, are correct and belong to the same App."));
      break;

    case BH_X_ERROR_RATE_LIMITED:
      {
        g_autofree char *when = rate_limit_reset > 0 ? format_reset_time (rate_limit_reset) : NULL;

        if (when != NULL)
          /* Translators: %s is a time, or a date and a time, in the
           * locale’s format. */
          sentence = g_strdup_printf (_("X’s rate limit was reached. Try again after %s."), when);
        else
          sentence = g_strdup (_("X’s rate limit was reached. Wait a few minutes and try again."));
      }
      break;

    case BH_X_ERROR_INVALID_TOKEN:
      sentence = g_strdup (_("The access token is invalid or has been revoked. Authorize the account again."));
      break;

    case BH_X_ERROR_BEARER_CREDENTIALS:
      sentence = g_strdup (_("X could not verify the App’s API key and secret for a bearer token. Check both in the developer portal and enter them again."));
      break;

    case BH_X_ERROR_TIMESTAMP:
      /* Below a second the Date header cannot tell: say it without a figure. */
      if (have_clock_skew && ABS (clock_skew) >= 1)
        {
          g_autofree char *difference = format_duration (clock_skew);

          /* Translators: %s is a duration such as “1 hour 2 minutes”. */
          sentence = g_strdup_printf (_("Your computer’s clock differs from X’s by %s. Correct the clock or try again; Birdhouse will adjust."), difference);
        }
      else
        {
          sentence = g_strdup (_("Your computer’s clock differs from X’s. Correct the clock or try again; Birdhouse will adjust."));
        }
      break;

    case BH_X_ERROR_BAD_AUTH_DATA:
      sentence = g_strdup (_("X received incomplete authentication data. Check that the API key and secret were copied completely, without extra spaces."));
      break;

    case BH_X_ERROR_CALLBACK_NOT_APPROVED:
      sentence = g_strdup (_("X has not approved the callback for this App. Check the App’s callback settings in the developer portal."));
      break;

    case BH_X_ERROR_APP_SUSPENDED:
      sentence = g_strdup (_("X says this App is suspended or its API key is not valid. Check the App in the developer portal."));
      break;

    case BH_X_ERROR_OOB_REQUIRED:
      sentence = g_strdup (_("X accepts only the PIN method for this App. Check that the App is set up as a desktop (PIN-based) App in the developer portal."));
      break;

    case BH_X_ERROR_INVALID_PIN:
      sentence = g_strdup (_("X did not accept the PIN, or it has expired. Check the digits and type it again, or authorize again in the browser for a new PIN."));
      break;

    case BH_X_ERROR_INVALID_REQUEST_TOKEN:
      sentence = g_strdup (_("This authorization has expired or was already used. Start the authorization again."));
      break;

    case BH_X_ERROR_UNAUTHORIZED:
      sentence = g_strdup (_("X refused the credentials. Check the API key and secret and the account’s access token."));
      use_detail = TRUE;
      name_step = TRUE;
      break;

    case BH_X_ERROR_FORBIDDEN:
      sentence = g_strdup (_("X does not allow this request for this App or account. Check the App’s permissions and access level in the developer portal."));
      use_detail = TRUE;
      name_step = TRUE;
      break;

    case BH_X_ERROR_NOT_FOUND:
      sentence = g_strdup (_("X does not know this address. Check the App’s API host."));
      name_step = TRUE;
      break;

    case BH_X_ERROR_BEARER_INVALID:
      if (step == BH_X_STEP_INVALIDATE_BEARER)
        sentence = g_strdup (_("X refused to invalidate the bearer token: it does not know it, because it was already invalidated or belongs to another App."));
      else
        sentence = g_strdup (_("The bearer token is no longer valid: it was invalidated, maybe elsewhere. Generate a new one: invalidate it and get it again in the window, or with “birdhouse bearer APP --invalidate” and then “birdhouse bearer APP”."));
      break;

    case BH_X_ERROR_REDIRECTED:
      sentence = g_strdup (_("X answered with a redirect, which Birdhouse does not follow with credentials. Check the App’s API host."));
      break;

    case BH_X_ERROR_OAUTH2_GRANT_REFUSED:
      if (step == BH_X_STEP_OAUTH2_REFRESH)
        sentence = g_strdup (_("X no longer accepts this account’s authorization: it was revoked, or its refresh token was already used. Authorize the account again."));
      else
        sentence = g_strdup (_("X did not accept the authorization: the code expired or was already used, or the redirect URI differs from the one registered. Authorize again."));
      break;

    case BH_X_ERROR_OAUTH2_CLIENT:
      sentence = g_strdup (_("X did not accept the App’s Client ID or Client Secret. Copy them again from the App’s “Keys and tokens” page in the developer portal."));
      break;

    case BH_X_ERROR_SERVER:
      if (status >= 500)
        /* Translators: %u is an HTTP status such as 503. */
        sentence = g_strdup_printf (_("X is having trouble right now (HTTP %u). Try again in a few minutes."), status);
      else
        sentence = g_strdup (_("X is having trouble right now. Try again in a few minutes."));
      break;

    case BH_X_ERROR_MALFORMED:
      sentence = g_strdup (_("X sent an answer Birdhouse cannot read. Try again later; if it keeps happening, check the App’s API host."));
      break;

    case BH_X_ERROR_NOT_BEARER:
      sentence = g_strdup (_("X returned a token that is not a bearer token, which Birdhouse cannot use. Try again later."));
      break;

    case BH_X_ERROR_CALLBACK_NOT_CONFIRMED:
      sentence = g_strdup (_("X did not confirm the PIN method for this authorization. Check the App’s settings in the developer portal and try again."));
      break;

    case BH_X_ERROR_TIMEOUT:
      sentence = g_strdup (_("The server did not answer in time. Check the network connection and try again."));
      break;

    case BH_X_ERROR_CONNECTION:
      sentence = g_strdup (_("Birdhouse could not reach the server. Check the network connection and the App’s API host."));
      break;

    case BH_X_ERROR_TLS:
      sentence = g_strdup (_("A secure connection to the server could not be established, so nothing was sent. Check the App’s API host, the computer’s date and time, and any network proxy."));
      break;

    case BH_X_ERROR_INSECURE_URL:
      sentence = g_strdup (_("Birdhouse talks to X only over https; plain http is allowed only to this computer. Use an https:// address."));
      break;

    case BH_X_ERROR_INVALID_URL:
      sentence = g_strdup (_("The address is not a valid web address. Use a full address such as https://api.x.com."));
      break;

    case BH_X_ERROR_CANCELLED:
      sentence = g_strdup (_("The operation was cancelled."));
      break;

    case BH_X_ERROR_FAILED:
    default:
      if (status > 0)
        /* Translators: %u is an HTTP status such as 400. */
        sentence = g_strdup_printf (_("X refused the request (HTTP %u). Try again later, or check the App and account in the developer portal."), status);
      else
        sentence = g_strdup (_("Something went wrong talking to X. Try again later."));
      use_detail = TRUE;
      name_step = TRUE;
      break;
    }

  if (name_step && step_failed_sentence (step) != NULL)
    {
      /* Translators: two sentences in a row: the first says which step
       * failed (“Verifying the account failed.”), the second what went
       * wrong and what to do. Change the order or the space between them
       * if your language needs it. */
      g_autofree char *with_step = g_strdup_printf (C_("two sentences", "%s %s"),
                                                    step_failed_sentence (step), sentence);

      g_free (sentence);
      sentence = g_steal_pointer (&with_step);
    }

  if (use_detail && detail != NULL)
    /* Translators: the first %s is a sentence, the second what X said (in English). */
    return g_strdup_printf (_("%s X said: “%s”"), sentence, detail);

  return g_steal_pointer (&sentence);
}
