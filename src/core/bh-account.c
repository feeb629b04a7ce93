/* bh-account.c
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

#include "bh-account.h"

#include <glib/gi18n.h>

#include "bh-core-enums.h"

struct _BhAccount
{
  GObject         parent_instance;

  char           *app_id;
  char           *user_id;
  char           *screen_name;
  char           *name;
  char           *access_level;
  GDateTime      *authorized_at;
  GDateTime      *rotated_at;
  GDateTime      *verified_at;
  BhAccountState  state;
  gint64          rate_limit_limit;
  gint64          rate_limit_remaining;
  gint64          rate_limit_reset;
  gboolean        restored;
  BhAccountCredentials credentials;
  char           *oauth2_scopes;
  gint64          oauth2_expires_at;
  BhHealthRecord *health;
};

G_DEFINE_FINAL_TYPE (BhAccount, bh_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_APP_ID,
  PROP_USER_ID,
  PROP_SCREEN_NAME,
  PROP_NAME,
  PROP_ACCESS_LEVEL,
  PROP_AUTHORIZED_AT,
  PROP_ROTATED_AT,
  PROP_VERIFIED_AT,
  PROP_STATE,
  PROP_RATE_LIMIT_LIMIT,
  PROP_RATE_LIMIT_REMAINING,
  PROP_RATE_LIMIT_RESET,
  PROP_RESTORED,
  PROP_CREDENTIALS,
  PROP_OAUTH2_SCOPES,
  PROP_OAUTH2_EXPIRES_AT,
  PROP_HEALTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bh_account_finalize (GObject *object)
{
  BhAccount *self = BH_ACCOUNT (object);

  g_clear_pointer (&self->app_id, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->screen_name, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->access_level, g_free);
  g_clear_pointer (&self->oauth2_scopes, g_free);
  g_clear_pointer (&self->authorized_at, g_date_time_unref);
  g_clear_pointer (&self->rotated_at, g_date_time_unref);
  g_clear_pointer (&self->verified_at, g_date_time_unref);
  g_clear_pointer (&self->health, bh_health_record_free);

  G_OBJECT_CLASS (bh_account_parent_class)->finalize (object);
}

static void
bh_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  BhAccount *self = BH_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_APP_ID:
      g_value_set_string (value, self->app_id);
      break;
    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    case PROP_SCREEN_NAME:
      g_value_set_string (value, self->screen_name);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ACCESS_LEVEL:
      g_value_set_string (value, self->access_level);
      break;
    case PROP_AUTHORIZED_AT:
      g_value_set_boxed (value, self->authorized_at);
      break;
    case PROP_ROTATED_AT:
      g_value_set_boxed (value, self->rotated_at);
      break;
    case PROP_VERIFIED_AT:
      g_value_set_boxed (value, self->verified_at);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_RATE_LIMIT_LIMIT:
      g_value_set_int64 (value, self->rate_limit_limit);
      break;
    case PROP_RATE_LIMIT_REMAINING:
      g_value_set_int64 (value, self->rate_limit_remaining);
      break;
    case PROP_RATE_LIMIT_RESET:
      g_value_set_int64 (value, self->rate_limit_reset);
      break;
    case PROP_RESTORED:
      g_value_set_boolean (value, self->restored);
      break;
    case PROP_CREDENTIALS:
      g_value_set_flags (value, self->credentials);
      break;
    case PROP_OAUTH2_SCOPES:
      g_value_set_string (value, self->oauth2_scopes);
      break;
    case PROP_OAUTH2_EXPIRES_AT:
      g_value_set_int64 (value, self->oauth2_expires_at);
      break;

    case PROP_HEALTH:
      g_value_set_boxed (value, self->health);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  BhAccount *self = BH_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_APP_ID:
      self->app_id = g_value_dup_string (value);
      break;
    case PROP_USER_ID:
      self->user_id = g_value_dup_string (value);
      break;
    case PROP_SCREEN_NAME:
      bh_account_set_screen_name (self, g_value_get_string (value));
      break;
    case PROP_NAME:
      bh_account_set_name (self, g_value_get_string (value));
      break;
    case PROP_ACCESS_LEVEL:
      bh_account_set_access_level (self, g_value_get_string (value));
      break;
    case PROP_AUTHORIZED_AT:
      bh_account_set_authorized_at (self, g_value_get_boxed (value));
      break;
    case PROP_ROTATED_AT:
      bh_account_set_rotated_at (self, g_value_get_boxed (value));
      break;
    case PROP_VERIFIED_AT:
      bh_account_set_verified_at (self, g_value_get_boxed (value));
      break;
    case PROP_STATE:
      bh_account_set_state (self, g_value_get_enum (value));
      break;
    case PROP_RATE_LIMIT_LIMIT:
      bh_account_set_rate_limit (self, g_value_get_int64 (value),
                                 self->rate_limit_remaining, self->rate_limit_reset);
      break;
    case PROP_RATE_LIMIT_REMAINING:
      bh_account_set_rate_limit (self, self->rate_limit_limit,
                                 g_value_get_int64 (value), self->rate_limit_reset);
      break;
    case PROP_RATE_LIMIT_RESET:
      bh_account_set_rate_limit (self, self->rate_limit_limit,
                                 self->rate_limit_remaining, g_value_get_int64 (value));
      break;
    case PROP_RESTORED:
      bh_account_set_restored (self, g_value_get_boolean (value));
      break;
    case PROP_CREDENTIALS:
      bh_account_set_credentials (self, g_value_get_flags (value));
      break;
    case PROP_OAUTH2_SCOPES:
      bh_account_set_oauth2_scopes (self, g_value_get_string (value));
      break;
    case PROP_OAUTH2_EXPIRES_AT:
      bh_account_set_oauth2_expires_at (self, g_value_get_int64 (value));
      break;

    case PROP_HEALTH:
      bh_account_set_health (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_account_class_init (BhAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = bh_account_finalize;
  object_class->get_property = bh_account_get_property;
  object_class->set_property = bh_account_set_property;

  properties[PROP_APP_ID] =
    g_param_spec_string ("app-id", NULL, NULL, NULL, co);
  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL, co);
  properties[PROP_SCREEN_NAME] =
    g_param_spec_string ("screen-name", NULL, NULL, NULL, rw);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_ACCESS_LEVEL] =
    g_param_spec_string ("access-level", NULL, NULL, NULL, rw);
  properties[PROP_AUTHORIZED_AT] =
    g_param_spec_boxed ("authorized-at", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_ROTATED_AT] =
    g_param_spec_boxed ("rotated-at", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_VERIFIED_AT] =
    g_param_spec_boxed ("verified-at", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       BH_TYPE_ACCOUNT_STATE, BH_ACCOUNT_STATE_OK, rw);
  properties[PROP_RATE_LIMIT_LIMIT] =
    g_param_spec_int64 ("rate-limit-limit", NULL, NULL, -1, G_MAXINT64, -1, rw);
  properties[PROP_RATE_LIMIT_REMAINING] =
    g_param_spec_int64 ("rate-limit-remaining", NULL, NULL, -1, G_MAXINT64, -1, rw);
  properties[PROP_RATE_LIMIT_RESET] =
    g_param_spec_int64 ("rate-limit-reset", NULL, NULL, 0, G_MAXINT64, 0, rw);
  /* Set when the account was rebuilt from a keyring item that had no
   * record, so the UI can tell the user instead of showing it silently. */
  properties[PROP_RESTORED] =
    g_param_spec_boolean ("restored", NULL, NULL, FALSE, rw);
  properties[PROP_CREDENTIALS] =
    g_param_spec_flags ("credentials", NULL, NULL,
                        BH_TYPE_ACCOUNT_CREDENTIALS, BH_ACCOUNT_CREDENTIALS_OAUTH1, rw);
  properties[PROP_OAUTH2_SCOPES] =
    g_param_spec_string ("oauth2-scopes", NULL, NULL, NULL, rw);
  properties[PROP_OAUTH2_EXPIRES_AT] =
    g_param_spec_int64 ("oauth2-expires-at", NULL, NULL, 0, G_MAXINT64, 0, rw);
  /* What the last health check found for the account's tokens. */
  properties[PROP_HEALTH] =
    g_param_spec_boxed ("health", NULL, NULL, BH_TYPE_HEALTH_RECORD, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_account_init (BhAccount *self)
{
  self->state = BH_ACCOUNT_STATE_OK;
  self->rate_limit_limit = -1;
  self->rate_limit_remaining = -1;
  self->rate_limit_reset = 0;
  self->credentials = BH_ACCOUNT_CREDENTIALS_OAUTH1;
}

BhAccount *
bh_account_new (const char *app_id,
                const char *user_id,
                const char *screen_name)
{
  g_return_val_if_fail (app_id != NULL, NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  return g_object_new (BH_TYPE_ACCOUNT,
                       "app-id", app_id,
                       "user-id", user_id,
                       "screen-name", screen_name,
                       NULL);
}

const char *
bh_account_get_app_id (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), NULL);

  return self->app_id;
}

const char *
bh_account_get_user_id (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), NULL);

  return self->user_id;
}

/* Sets a string field and notifies only when the text really changed. */
static void
set_string (BhAccount   *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* Same for a GDateTime: two instants are equal whatever their time zone. */
static void
set_date_time (BhAccount  *self,
               GDateTime **field,
               GDateTime  *value,
               guint       prop_id)
{
  if (*field == value)
    return;
  if (*field != NULL && value != NULL && g_date_time_equal (*field, value))
    return;

  g_clear_pointer (field, g_date_time_unref);
  if (value != NULL)
    *field = g_date_time_ref (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

const char *
bh_account_get_screen_name (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), NULL);

  return self->screen_name;
}

void
bh_account_set_screen_name (BhAccount  *self,
                            const char *screen_name)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));

  set_string (self, &self->screen_name, screen_name, PROP_SCREEN_NAME);
}

const char *
bh_account_get_name (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), NULL);

  return self->name;
}

void
bh_account_set_name (BhAccount  *self,
                     const char *name)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));

  set_string (self, &self->name, name, PROP_NAME);
}

const char *
bh_account_get_access_level (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), NULL);

  return self->access_level;
}

void
bh_account_set_access_level (BhAccount  *self,
                             const char *access_level)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));

  set_string (self, &self->access_level, access_level, PROP_ACCESS_LEVEL);
}

GDateTime *
bh_account_get_authorized_at (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), NULL);

  return self->authorized_at;
}

void
bh_account_set_authorized_at (BhAccount *self,
                              GDateTime *when)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));

  set_date_time (self, &self->authorized_at, when, PROP_AUTHORIZED_AT);
}

GDateTime *
bh_account_get_rotated_at (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), NULL);

  return self->rotated_at;
}

void
bh_account_set_rotated_at (BhAccount *self,
                           GDateTime *when)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));

  set_date_time (self, &self->rotated_at, when, PROP_ROTATED_AT);
}

GDateTime *
bh_account_get_verified_at (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), NULL);

  return self->verified_at;
}

void
bh_account_set_verified_at (BhAccount *self,
                            GDateTime *when)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));

  set_date_time (self, &self->verified_at, when, PROP_VERIFIED_AT);
}

BhAccountState
bh_account_get_state (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), BH_ACCOUNT_STATE_OK);

  return self->state;
}

void
bh_account_set_state (BhAccount      *self,
                      BhAccountState  state)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
bh_account_get_rate_limit (BhAccount *self,
                           gint64    *limit,
                           gint64    *remaining,
                           gint64    *reset)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));

  if (limit != NULL)
    *limit = self->rate_limit_limit;
  if (remaining != NULL)
    *remaining = self->rate_limit_remaining;
  if (reset != NULL)
    *reset = self->rate_limit_reset;
}

void
bh_account_set_rate_limit (BhAccount *self,
                           gint64     limit,
                           gint64     remaining,
                           gint64     reset)
{
  GObject *object = (GObject *) self;

  g_return_if_fail (BH_IS_ACCOUNT (self));

  g_object_freeze_notify (object);

  if (self->rate_limit_limit != limit)
    {
      self->rate_limit_limit = limit;
      g_object_notify_by_pspec (object, properties[PROP_RATE_LIMIT_LIMIT]);
    }
  if (self->rate_limit_remaining != remaining)
    {
      self->rate_limit_remaining = remaining;
      g_object_notify_by_pspec (object, properties[PROP_RATE_LIMIT_REMAINING]);
    }
  if (self->rate_limit_reset != reset)
    {
      self->rate_limit_reset = reset;
      g_object_notify_by_pspec (object, properties[PROP_RATE_LIMIT_RESET]);
    }

  g_object_thaw_notify (object);
}

gboolean
bh_account_get_restored (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), FALSE);

  return self->restored;
}

void
bh_account_set_restored (BhAccount *self,
                         gboolean   restored)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));

  restored = !!restored;
  if (self->restored == restored)
    return;

  self->restored = restored;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESTORED]);
}

BhAccountCredentials
bh_account_get_credentials (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), BH_ACCOUNT_CREDENTIALS_NONE);

  return self->credentials;
}

void
bh_account_set_credentials (BhAccount            *self,
                            BhAccountCredentials  credentials)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));

  if (self->credentials == credentials)
    return;

  self->credentials = credentials;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREDENTIALS]);
}

gboolean
bh_account_has_credentials (BhAccount            *self,
                            BhAccountCredentials  credentials)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), FALSE);

  return (self->credentials & credentials) == credentials;
}

const char *
bh_account_get_oauth2_scopes (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), NULL);

  return self->oauth2_scopes;
}

void
bh_account_set_oauth2_scopes (BhAccount  *self,
                              const char *scopes)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));

  if (scopes != NULL && *scopes == '\0')
    scopes = NULL;
  set_string (self, &self->oauth2_scopes, scopes, PROP_OAUTH2_SCOPES);
}

gint64
bh_account_get_oauth2_expires_at (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), 0);

  return self->oauth2_expires_at;
}

void
bh_account_set_oauth2_expires_at (BhAccount *self,
                                  gint64     expires_at)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));

  expires_at = MAX (expires_at, 0);
  if (self->oauth2_expires_at == expires_at)
    return;

  self->oauth2_expires_at = expires_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OAUTH2_EXPIRES_AT]);
}

void
bh_account_copy_credentials (BhAccount *self,
                             BhAccount *from)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));
  g_return_if_fail (BH_IS_ACCOUNT (from));

  g_object_freeze_notify (G_OBJECT (self));
  bh_account_set_credentials (self, from->credentials);
  bh_account_set_oauth2_scopes (self, from->oauth2_scopes);
  bh_account_set_oauth2_expires_at (self, from->oauth2_expires_at);
  g_object_thaw_notify (G_OBJECT (self));
}

const BhHealthRecord *
bh_account_get_health (BhAccount *self)
{
  g_return_val_if_fail (BH_IS_ACCOUNT (self), NULL);

  return self->health;
}

void
bh_account_set_health (BhAccount            *self,
                       const BhHealthRecord *health)
{
  g_return_if_fail (BH_IS_ACCOUNT (self));

  if (bh_health_record_equal (self->health, health))
    return;

  g_clear_pointer (&self->health, bh_health_record_free);
  self->health = bh_health_record_copy (health);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEALTH]);
}

const char *
bh_access_level_to_label (const char *access_level)
{
  if (g_strcmp0 (access_level, "read") == 0)
    /* Translators: what an account's tokens can do. */
    return C_("access level", "Read only");
  if (g_strcmp0 (access_level, "read-write") == 0)
    /* Translators: what an account's tokens can do. */
    return C_("access level", "Read and write");
  if (g_strcmp0 (access_level, "read-write-directmessages") == 0)
    /* Translators: what an account's tokens can do. */
    return C_("access level", "Read and write and Direct Messages");

  /* Translators: what an account's tokens can do is not known. */
  return C_("access level", "Unknown");
}
