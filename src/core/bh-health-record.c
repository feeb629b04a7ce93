/* bh-health-record.c
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

#include "bh-health-record.h"

#include <glib/gi18n.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-health.h"

/* What a health check found, per credential: the records kept beside each
 * App and account (pure: no I/O), the results of a run, and what the App
 * list's badge says. The check itself is in bh-health.c. */

G_DEFINE_BOXED_TYPE (BhHealthRecord, bh_health_record, bh_health_record_copy, bh_health_record_free)

/* In the order of BhHealthState: the records file's words. */
static const char * const state_names[] = {
  "unknown",
  "healthy",
  "needs-reauth",
  "keys-rejected",
  "bearer-invalid",
  "secret-missing",
  "unreachable",
  "rate-limited",
  "error",
};

G_STATIC_ASSERT (G_N_ELEMENTS (state_names) == BH_HEALTH_ERROR + 1);

BhHealthRecord *
bh_health_record_new (void)
{
  return g_new0 (BhHealthRecord, 1);
}

BhHealthRecord *
bh_health_record_copy (const BhHealthRecord *record)
{
  BhHealthRecord *copy;

  if (record == NULL)
    return NULL;

  copy = g_memdup2 (record, sizeof *record);
  if (copy->checked_at != NULL)
    g_date_time_ref (copy->checked_at);

  return copy;
}

void
bh_health_record_free (BhHealthRecord *record)
{
  if (record == NULL)
    return;

  g_clear_pointer (&record->checked_at, g_date_time_unref);
  g_free (record);
}

/**
 * bh_health_record_equal:
 *
 * Returns: %TRUE when @a and @b (either may be %NULL) say the same
 */
gboolean
bh_health_record_equal (const BhHealthRecord *a,
                        const BhHealthRecord *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  if ((a->checked_at == NULL) != (b->checked_at == NULL) ||
      (a->checked_at != NULL && !g_date_time_equal (a->checked_at, b->checked_at)))
    return FALSE;

  return a->state == b->state && a->verdict == b->verdict &&
         a->checked_by == b->checked_by && a->retry_at == b->retry_at;
}

/* A failure of the credential itself: something the person must act on. */
gboolean
bh_health_state_is_failure (BhHealthState state)
{
  return state == BH_HEALTH_NEEDS_REAUTH || state == BH_HEALTH_KEYS_REJECTED ||
         state == BH_HEALTH_BEARER_INVALID || state == BH_HEALTH_SECRET_MISSING;
}

/* An answer about the credential (as opposed to no answer at all). */
gboolean
bh_health_state_is_definite (BhHealthState state)
{
  return state == BH_HEALTH_HEALTHY || bh_health_state_is_failure (state);
}

const char *
bh_health_state_to_string (BhHealthState state)
{
  if ((guint) state >= G_N_ELEMENTS (state_names))
    return state_names[BH_HEALTH_UNKNOWN];

  return state_names[state];
}

gboolean
bh_health_state_from_string (const char    *text,
                             BhHealthState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_strcmp0 (text, state_names[i]) == 0)
        {
          *state = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* A short phrase for people, translated. */
const char *
bh_health_state_to_label (BhHealthState state)
{
  switch (state)
    {
    case BH_HEALTH_HEALTHY:
      return C_("health", "Healthy");
    case BH_HEALTH_NEEDS_REAUTH:
      return C_("health", "Needs re-authorization");
    case BH_HEALTH_KEYS_REJECTED:
      return C_("health", "App keys rejected");
    case BH_HEALTH_BEARER_INVALID:
      return C_("health", "Bearer token invalid");
    case BH_HEALTH_SECRET_MISSING:
      return C_("health", "Missing from the keyring");
    case BH_HEALTH_UNREACHABLE:
      return C_("health", "X unreachable");
    case BH_HEALTH_RATE_LIMITED:
      return C_("health", "Rate-limited, checked later");
    case BH_HEALTH_ERROR:
      return C_("health", "Could not be checked");
    case BH_HEALTH_UNKNOWN:
    default:
      return C_("health", "Not checked yet");
    }
}

const char *
bh_health_checker_to_string (BhHealthChecker checker)
{
  return checker == BH_HEALTH_BY_COMMAND_LINE ? "command-line" : "window";
}

static char *
key_name (const char *prefix,
          const char *key)
{
  return *prefix != '\0' ? g_strconcat (prefix, "-", key, NULL) : g_strdup (key);
}

static void
add_field (GPtrArray  *fields,
           const char *prefix,
           const char *key,
           char       *value)
{
  g_ptr_array_add (fields, key_name (prefix, key));
  g_ptr_array_add (fields, value);
}

void
_bh_health_record_to_fields (const BhHealthRecord *record,
                             const char           *prefix,
                             GPtrArray            *fields)
{
  add_field (fields, prefix, "health", g_strdup (bh_health_state_to_string (record->state)));
  add_field (fields, prefix, "health-verdict",
             record->verdict != BH_HEALTH_UNKNOWN ? g_strdup (bh_health_state_to_string (record->verdict)) : NULL);
  add_field (fields, prefix, "health-checked-at",
             record->checked_at != NULL ? g_date_time_format_iso8601 (record->checked_at) : NULL);
  add_field (fields, prefix, "health-checked-by", g_strdup (bh_health_checker_to_string (record->checked_by)));
  add_field (fields, prefix, "health-retry-at",
             record->retry_at > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, record->retry_at) : NULL);
}

static char *
get_string (GKeyFile   *key_file,
            const char *group,
            const char *prefix,
            const char *key)
{
  g_autofree char *name = key_name (prefix, key);

  return g_key_file_get_string (key_file, group, name, NULL);
}

BhHealthRecord *
_bh_health_record_from_key_file (GKeyFile   *key_file,
                                 const char *group,
                                 const char *prefix)
{
  g_autoptr(BhHealthRecord) record = NULL;
  g_autofree char *state = get_string (key_file, group, prefix, "health");
  g_autofree char *verdict = NULL;
  g_autofree char *checked_at = NULL;
  g_autofree char *checked_by = NULL;
  g_autofree char *retry_at = NULL;

  record = bh_health_record_new ();
  if (state == NULL || !bh_health_state_from_string (state, &record->state))
    return NULL;

  verdict = get_string (key_file, group, prefix, "health-verdict");
  if (verdict == NULL || !bh_health_state_from_string (verdict, &record->verdict) ||
      !bh_health_state_is_definite (record->verdict))
    record->verdict = BH_HEALTH_UNKNOWN;

  checked_at = get_string (key_file, group, prefix, "health-checked-at");
  if (checked_at != NULL)
    record->checked_at = g_date_time_new_from_iso8601 (checked_at, NULL);

  checked_by = get_string (key_file, group, prefix, "health-checked-by");
  record->checked_by = g_strcmp0 (checked_by, "command-line") == 0 ? BH_HEALTH_BY_COMMAND_LINE
                                                                   : BH_HEALTH_BY_WINDOW;

  retry_at = get_string (key_file, group, prefix, "health-retry-at");
  if (retry_at != NULL)
    record->retry_at = MAX (0, g_ascii_strtoll (retry_at, NULL, 10));

  return g_steal_pointer (&record);
}

/* Results of a run */

void
bh_health_result_free (BhHealthResult *result)
{
  if (result == NULL)
    return;

  g_clear_object (&result->app);
  g_clear_object (&result->account);
  g_free (result->message);
  g_free (result);
}

const char *
bh_credential_kind_to_string (BhCredentialKind kind)
{
  switch (kind)
    {
    case BH_CREDENTIAL_KIND_API_KEY_SECRET:
      return "app-keys";
    case BH_CREDENTIAL_KIND_BEARER_TOKEN:
      return "bearer";
    case BH_CREDENTIAL_KIND_OAUTH2_GRANT:
      return "oauth2-grant";
    case BH_CREDENTIAL_KIND_CLIENT_SECRET:
      return "client-secret";
    case BH_CREDENTIAL_KIND_ACCOUNT_TOKENS:
    default:
      return "account";
    }
}

static gboolean
record_failed (const BhHealthRecord *record)
{
  return record != NULL && bh_health_state_is_failure (record->verdict);
}

/**
 * bh_app_needs_attention:
 * @app: an App
 *
 * What the App list's badge says: X's last definite answer about one of
 * the App's credentials (its keys, its bearer token, an account) was a
 * failure, or an account needs authorizing again.
 *
 * Returns: %TRUE when something of @app needs the person
 */
gboolean
bh_app_needs_attention (BhApp *app)
{
  GListModel *accounts = bh_app_get_accounts (app);
  guint n = g_list_model_get_n_items (accounts);

  if (record_failed (bh_app_get_keys_health (app)) ||
      (bh_app_get_has_bearer (app) && record_failed (bh_app_get_bearer_health (app))))
    return TRUE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (accounts, i);

      if (record_failed (bh_account_get_health (account)) ||
          bh_account_get_state (account) == BH_ACCOUNT_STATE_NEEDS_REAUTH)
        return TRUE;
    }

  return FALSE;
}

/**
 * bh_health_result_is_reserved:
 *
 * Returns: %TRUE when @result's credential was healthy last time and was
 *   left alone this time, to keep the last requests of X's window
 */
gboolean
bh_health_result_is_reserved (const BhHealthResult *result)
{
  return result->state == BH_HEALTH_RATE_LIMITED && !result->asked &&
         result->previous == BH_HEALTH_HEALTHY;
}

/**
 * bh_health_results_all_healthy:
 * @results: (element-type BhHealthResult): what a run found
 *
 * A credential counts as healthy when X accepted it now, or when it was
 * not asked (its rate-limit window is kept for the person's scripts) and
 * X accepted it last time. A 429 this time is not healthy: the check
 * could not do its work.
 *
 * Returns: %TRUE when every credential is healthy
 */
gboolean
bh_health_results_all_healthy (GPtrArray *results)
{
  for (guint i = 0; i < results->len; i++)
    {
      BhHealthResult *result = g_ptr_array_index (results, i);

      if (result->state == BH_HEALTH_HEALTHY)
        continue;
      if (bh_health_result_is_reserved (result))
        continue;
      return FALSE;
    }

  return TRUE;
}
