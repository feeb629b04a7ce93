/* bh-app.c
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

#include "bh-app.h"
#include "bh-app-private.h"

#include "bh-account.h"
#include "bh-oauth2.h"

/*
 * A developer App. Properties (notify only on a real change): "id" (local,
 * construct only, a UUID), "name", "consumer-key" (the OAuth 1.0a API
 * key; NULL for an App with OAuth 2.0 credentials only), "api-host",
 * "has-bearer" (a bearer token is in the keyring), "has-secret" (the
 * consumer secret is in the keyring), "client-id" (the OAuth 2.0 Client
 * ID, or NULL), "redirect-uri" (never NULL: BH_OAUTH2_DEFAULT_REDIRECT_URI
 * unless set), "has-client-secret" (a confidential client's secret is in
 * the keyring), "restored" (rebuilt from keyring items that had no
 * record), "accounts" (a GListModel of BhAccount, read only, sorted by
 * screen name), and the ages of its credentials (GDateTime, nullable:
 * unknown in records older than them): "secret-created-at",
 * "secret-rotated-at", "bearer-created-at", "bearer-rotated-at",
 * "client-secret-created-at", "client-secret-rotated-at". Secrets
 * are never properties.
 */

struct _BhApp
{
  GObject     parent_instance;

  char       *id;
  char       *name;
  char       *consumer_key;
  char       *api_host;
  gboolean    has_bearer;
  gboolean    has_secret;
  char       *client_id;
  char       *redirect_uri;
  gboolean    has_client_secret;
  gboolean    restored;
  GListStore *accounts;
  GDateTime  *times[BH_APP_N_TIMES];
  BhHealthRecord *keys_health;
  BhHealthRecord *bearer_health;
};

G_DEFINE_FINAL_TYPE (BhApp, bh_app, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_CONSUMER_KEY,
  PROP_API_HOST,
  PROP_HAS_BEARER,
  PROP_HAS_SECRET,
  PROP_CLIENT_ID,
  PROP_REDIRECT_URI,
  PROP_HAS_CLIENT_SECRET,
  PROP_RESTORED,
  PROP_ACCOUNTS,
  PROP_SECRET_CREATED_AT,
  PROP_SECRET_ROTATED_AT,
  PROP_BEARER_CREATED_AT,
  PROP_BEARER_ROTATED_AT,
  PROP_KEYS_HEALTH,
  PROP_BEARER_HEALTH,
  N_PROPS
};

/* The time properties follow BhAppTime's order. */
#define PROP_TIME(which) (PROP_SECRET_CREATED_AT + (which))

static GParamSpec *properties[N_PROPS];

static void
bh_app_dispose (GObject *object)
{
  BhApp *self = BH_APP (object);

  if (self->accounts != NULL)
    _bh_app_release_accounts (self, self->accounts);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (bh_app_parent_class)->dispose (object);
}

static void
bh_app_finalize (GObject *object)
{
  BhApp *self = BH_APP (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->consumer_key, g_free);
  g_clear_pointer (&self->api_host, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->redirect_uri, g_free);
  for (guint i = 0; i < BH_APP_N_TIMES; i++)
    g_clear_pointer (&self->times[i], g_date_time_unref);
  g_clear_pointer (&self->keys_health, bh_health_record_free);
  g_clear_pointer (&self->bearer_health, bh_health_record_free);

  G_OBJECT_CLASS (bh_app_parent_class)->finalize (object);
}

static void
bh_app_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  BhApp *self = BH_APP (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_CONSUMER_KEY:
      g_value_set_string (value, self->consumer_key);
      break;
    case PROP_API_HOST:
      g_value_set_string (value, self->api_host);
      break;
    case PROP_HAS_BEARER:
      g_value_set_boolean (value, self->has_bearer);
      break;
    case PROP_HAS_SECRET:
      g_value_set_boolean (value, self->has_secret);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_REDIRECT_URI:
      g_value_set_string (value, self->redirect_uri);
      break;
    case PROP_HAS_CLIENT_SECRET:
      g_value_set_boolean (value, self->has_client_secret);
      break;
    case PROP_RESTORED:
      g_value_set_boolean (value, self->restored);
      break;
    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;
    case PROP_SECRET_CREATED_AT:
    case PROP_SECRET_ROTATED_AT:
    case PROP_BEARER_CREATED_AT:
    case PROP_BEARER_ROTATED_AT:
      g_value_set_boxed (value, self->times[prop_id - PROP_SECRET_CREATED_AT]);
      break;
    case PROP_KEYS_HEALTH:
      g_value_set_boxed (value, self->keys_health);
      break;
    case PROP_BEARER_HEALTH:
      g_value_set_boxed (value, self->bearer_health);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_app_set_property (GObject      *object,
                     guint         prop_id,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  BhApp *self = BH_APP (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      bh_app_set_name (self, g_value_get_string (value));
      break;
    case PROP_CONSUMER_KEY:
      bh_app_set_consumer_key (self, g_value_get_string (value));
      break;
    case PROP_API_HOST:
      bh_app_set_api_host (self, g_value_get_string (value));
      break;
    case PROP_HAS_BEARER:
      bh_app_set_has_bearer (self, g_value_get_boolean (value));
      break;
    case PROP_HAS_SECRET:
      bh_app_set_has_secret (self, g_value_get_boolean (value));
      break;
    case PROP_CLIENT_ID:
      bh_app_set_client_id (self, g_value_get_string (value));
      break;
    case PROP_REDIRECT_URI:
      bh_app_set_redirect_uri (self, g_value_get_string (value));
      break;
    case PROP_HAS_CLIENT_SECRET:
      bh_app_set_has_client_secret (self, g_value_get_boolean (value));
      break;
    case PROP_RESTORED:
      bh_app_set_restored (self, g_value_get_boolean (value));
      break;
    case PROP_SECRET_CREATED_AT:
    case PROP_SECRET_ROTATED_AT:
    case PROP_BEARER_CREATED_AT:
    case PROP_BEARER_ROTATED_AT:
      bh_app_set_time (self, prop_id - PROP_SECRET_CREATED_AT, g_value_get_boxed (value));
      break;
    case PROP_KEYS_HEALTH:
      bh_app_set_keys_health (self, g_value_get_boxed (value));
      break;
    case PROP_BEARER_HEALTH:
      bh_app_set_bearer_health (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_app_constructed (GObject *object)
{
  BhApp *self = BH_APP (object);

  G_OBJECT_CLASS (bh_app_parent_class)->constructed (object);

  /* Every App has an id, also one built from properties alone. */
  if (self->id == NULL)
    self->id = g_uuid_string_random ();
}

static void
bh_app_class_init (BhAppClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = bh_app_dispose;
  object_class->finalize = bh_app_finalize;
  object_class->get_property = bh_app_get_property;
  object_class->set_property = bh_app_set_property;
  object_class->constructed = bh_app_constructed;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_CONSUMER_KEY] =
    g_param_spec_string ("consumer-key", NULL, NULL, NULL, rw);
  properties[PROP_API_HOST] =
    g_param_spec_string ("api-host", NULL, NULL, BH_DEFAULT_API_HOST, rw);
  properties[PROP_HAS_BEARER] =
    g_param_spec_boolean ("has-bearer", NULL, NULL, FALSE, rw);
  properties[PROP_HAS_SECRET] =
    g_param_spec_boolean ("has-secret", NULL, NULL, FALSE, rw);
  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL, rw);
  properties[PROP_REDIRECT_URI] =
    g_param_spec_string ("redirect-uri", NULL, NULL, BH_OAUTH2_DEFAULT_REDIRECT_URI, rw);
  properties[PROP_HAS_CLIENT_SECRET] =
    g_param_spec_boolean ("has-client-secret", NULL, NULL, FALSE, rw);
  properties[PROP_RESTORED] =
    g_param_spec_boolean ("restored", NULL, NULL, FALSE, rw);
  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  for (guint i = 0; i < BH_APP_N_TIMES; i++)
    properties[PROP_TIME (i)] =
      g_param_spec_boxed (bh_app_time_key (i), NULL, NULL, G_TYPE_DATE_TIME, rw);
  /* What the last health check found for the API key and secret, and
   * for the bearer token. */
  properties[PROP_KEYS_HEALTH] =
    g_param_spec_boxed ("keys-health", NULL, NULL, BH_TYPE_HEALTH_RECORD, rw);
  properties[PROP_BEARER_HEALTH] =
    g_param_spec_boxed ("bearer-health", NULL, NULL, BH_TYPE_HEALTH_RECORD, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_app_init (BhApp *self)
{
  self->accounts = g_list_store_new (BH_TYPE_ACCOUNT);
  self->api_host = g_strdup (BH_DEFAULT_API_HOST);
  self->redirect_uri = g_strdup (BH_OAUTH2_DEFAULT_REDIRECT_URI);
}

/**
 * bh_app_new:
 * @id: (nullable): the local id; %NULL makes a new UUID
 * @name: the name the user gave the App
 * @consumer_key: (nullable): the API key; %NULL for an App with OAuth 2.0
 *   credentials only (set them with bh_app_set_client_id())
 * @api_host: (nullable): the API host; %NULL for %BH_DEFAULT_API_HOST
 *
 * Returns: (transfer full): a new App, with no accounts
 */
BhApp *
bh_app_new (const char *id,
            const char *name,
            const char *consumer_key,
            const char *api_host)
{
  return g_object_new (BH_TYPE_APP,
                       "id", id,
                       "name", name,
                       "consumer-key", consumer_key,
                       "api-host", api_host,
                       NULL);
}

static gboolean
set_string (BhApp       *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  return TRUE;
}

static void
set_boolean (BhApp    *self,
             gboolean *field,
             gboolean  value,
             guint     prop_id)
{
  value = !!value;
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/**
 * bh_app_get_id:
 * @self: a #BhApp
 *
 * Returns: the local id (a UUID), which never changes
 */
const char *
bh_app_get_id (BhApp *self)
{
  g_return_val_if_fail (BH_IS_APP (self), NULL);

  return self->id;
}

/**
 * bh_app_get_name:
 * @self: a #BhApp
 *
 * Returns: the name the user gave the App
 */
const char *
bh_app_get_name (BhApp *self)
{
  g_return_val_if_fail (BH_IS_APP (self), NULL);

  return self->name;
}

/**
 * bh_app_set_name:
 * @self: a #BhApp
 * @name: the new name
 */
void
bh_app_set_name (BhApp      *self,
                 const char *name)
{
  g_return_if_fail (BH_IS_APP (self));

  set_string (self, &self->name, name, PROP_NAME);
}

/**
 * bh_app_get_consumer_key:
 * @self: a #BhApp
 *
 * Returns: (nullable): the API key (not a secret), or %NULL when the App
 *   has no OAuth 1.0a keys
 */
const char *
bh_app_get_consumer_key (BhApp *self)
{
  g_return_val_if_fail (BH_IS_APP (self), NULL);

  return self->consumer_key;
}

/**
 * bh_app_set_consumer_key:
 * @self: a #BhApp
 * @consumer_key: (nullable): the new API key; %NULL or empty for none
 */
void
bh_app_set_consumer_key (BhApp      *self,
                         const char *consumer_key)
{
  g_return_if_fail (BH_IS_APP (self));

  if (consumer_key != NULL && *consumer_key == '\0')
    consumer_key = NULL;

  set_string (self, &self->consumer_key, consumer_key, PROP_CONSUMER_KEY);
}

/**
 * bh_app_get_api_host:
 * @self: a #BhApp
 *
 * Returns: the API host, such as "https://api.x.com"
 */
const char *
bh_app_get_api_host (BhApp *self)
{
  g_return_val_if_fail (BH_IS_APP (self), NULL);

  return self->api_host;
}

/**
 * bh_app_set_api_host:
 * @self: a #BhApp
 * @api_host: (nullable): the new API host; %NULL for %BH_DEFAULT_API_HOST
 */
void
bh_app_set_api_host (BhApp      *self,
                     const char *api_host)
{
  g_return_if_fail (BH_IS_APP (self));

  if (api_host == NULL || *api_host == '\0')
    api_host = BH_DEFAULT_API_HOST;

  set_string (self, &self->api_host, api_host, PROP_API_HOST);
}

/**
 * bh_app_get_has_bearer:
 * @self: a #BhApp
 *
 * Returns: whether a bearer token is in the keyring
 */
gboolean
bh_app_get_has_bearer (BhApp *self)
{
  g_return_val_if_fail (BH_IS_APP (self), FALSE);

  return self->has_bearer;
}

/**
 * bh_app_set_has_bearer:
 * @self: a #BhApp
 * @has_bearer: whether a bearer token is in the keyring
 */
void
bh_app_set_has_bearer (BhApp    *self,
                       gboolean  has_bearer)
{
  g_return_if_fail (BH_IS_APP (self));

  set_boolean (self, &self->has_bearer, has_bearer, PROP_HAS_BEARER);
}

/**
 * bh_app_get_has_secret:
 * @self: a #BhApp
 *
 * Returns: whether the API key secret is in the keyring
 */
gboolean
bh_app_get_has_secret (BhApp *self)
{
  g_return_val_if_fail (BH_IS_APP (self), FALSE);

  return self->has_secret;
}

/**
 * bh_app_set_has_secret:
 * @self: a #BhApp
 * @has_secret: whether the API key secret is in the keyring
 */
void
bh_app_set_has_secret (BhApp    *self,
                       gboolean  has_secret)
{
  g_return_if_fail (BH_IS_APP (self));

  set_boolean (self, &self->has_secret, has_secret, PROP_HAS_SECRET);
}

/**
 * bh_app_get_client_id:
 * @self: a #BhApp
 *
 * Returns: (nullable): the OAuth 2.0 Client ID (not a secret), or %NULL
 *   when the App has no OAuth 2.0 credentials
 */
const char *
bh_app_get_client_id (BhApp *self)
{
  g_return_val_if_fail (BH_IS_APP (self), NULL);

  return self->client_id;
}

/**
 * bh_app_set_client_id:
 * @self: a #BhApp
 * @client_id: (nullable): the new Client ID; %NULL or empty for none
 */
void
bh_app_set_client_id (BhApp      *self,
                      const char *client_id)
{
  g_return_if_fail (BH_IS_APP (self));

  if (client_id != NULL && *client_id == '\0')
    client_id = NULL;

  set_string (self, &self->client_id, client_id, PROP_CLIENT_ID);
}

/**
 * bh_app_get_redirect_uri:
 * @self: a #BhApp
 *
 * Returns: the OAuth 2.0 redirect URI to register at X (exactly, port and
 *   path included); %BH_OAUTH2_DEFAULT_REDIRECT_URI unless another was set
 */
const char *
bh_app_get_redirect_uri (BhApp *self)
{
  g_return_val_if_fail (BH_IS_APP (self), NULL);

  return self->redirect_uri;
}

/**
 * bh_app_set_redirect_uri:
 * @self: a #BhApp
 * @redirect_uri: (nullable): the new redirect URI; %NULL or empty for
 *   %BH_OAUTH2_DEFAULT_REDIRECT_URI. Not checked here: the store checks it
 *   with bh_oauth2_check_redirect_uri().
 */
void
bh_app_set_redirect_uri (BhApp      *self,
                         const char *redirect_uri)
{
  g_return_if_fail (BH_IS_APP (self));

  if (redirect_uri == NULL || *redirect_uri == '\0')
    redirect_uri = BH_OAUTH2_DEFAULT_REDIRECT_URI;

  set_string (self, &self->redirect_uri, redirect_uri, PROP_REDIRECT_URI);
}

/**
 * bh_app_get_has_client_secret:
 * @self: a #BhApp
 *
 * Returns: whether the OAuth 2.0 Client Secret is in the keyring (a
 *   confidential client); %FALSE for a public client
 */
gboolean
bh_app_get_has_client_secret (BhApp *self)
{
  g_return_val_if_fail (BH_IS_APP (self), FALSE);

  return self->has_client_secret;
}

/**
 * bh_app_set_has_client_secret:
 * @self: a #BhApp
 * @has_client_secret: whether the Client Secret is in the keyring
 */
void
bh_app_set_has_client_secret (BhApp    *self,
                              gboolean  has_client_secret)
{
  g_return_if_fail (BH_IS_APP (self));

  set_boolean (self, &self->has_client_secret, has_client_secret, PROP_HAS_CLIENT_SECRET);
}

/**
 * bh_app_get_restored:
 * @self: a #BhApp
 *
 * Returns: %TRUE when the App was rebuilt from keyring items that had no
 *   record
 */
gboolean
bh_app_get_restored (BhApp *self)
{
  g_return_val_if_fail (BH_IS_APP (self), FALSE);

  return self->restored;
}

/**
 * bh_app_set_restored:
 * @self: a #BhApp
 * @restored: whether to show the App as restored
 */
void
bh_app_set_restored (BhApp    *self,
                     gboolean  restored)
{
  g_return_if_fail (BH_IS_APP (self));

  set_boolean (self, &self->restored, restored, PROP_RESTORED);
}

static void
set_health (BhApp                 *self,
            BhHealthRecord       **field,
            const BhHealthRecord  *health,
            guint                  prop_id)
{
  if (bh_health_record_equal (*field, health))
    return;

  g_clear_pointer (field, bh_health_record_free);
  *field = bh_health_record_copy (health);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/**
 * bh_app_get_keys_health:
 *
 * Returns: (transfer none) (nullable): what the last health check found
 *   for the API key and secret, %NULL when never checked
 */
const BhHealthRecord *
bh_app_get_keys_health (BhApp *self)
{
  g_return_val_if_fail (BH_IS_APP (self), NULL);

  return self->keys_health;
}

void
bh_app_set_keys_health (BhApp                *self,
                        const BhHealthRecord *health)
{
  g_return_if_fail (BH_IS_APP (self));

  set_health (self, &self->keys_health, health, PROP_KEYS_HEALTH);
}

/**
 * bh_app_get_bearer_health:
 *
 * Returns: (transfer none) (nullable): what the last health check found
 *   for the bearer token, %NULL when never checked
 */
const BhHealthRecord *
bh_app_get_bearer_health (BhApp *self)
{
  g_return_val_if_fail (BH_IS_APP (self), NULL);

  return self->bearer_health;
}

void
bh_app_set_bearer_health (BhApp                *self,
                          const BhHealthRecord *health)
{
  g_return_if_fail (BH_IS_APP (self));

  set_health (self, &self->bearer_health, health, PROP_BEARER_HEALTH);
}

/**
 * bh_app_get_accounts:
 * @self: a #BhApp
 *
 * Returns: (transfer none): a #GListModel of #BhAccount, sorted by screen
 *   name (case-insensitive)
 */
GListModel *
bh_app_get_accounts (BhApp *self)
{
  g_return_val_if_fail (BH_IS_APP (self), NULL);

  return G_LIST_MODEL (self->accounts);
}

/**
 * bh_app_time_key:
 * @which: which time
 *
 * Returns: the name of the property, which is also the records file's key
 */
const char *
bh_app_time_key (BhAppTime which)
{
  static const char * const keys[BH_APP_N_TIMES] = {
    "secret-created-at", "secret-rotated-at", "bearer-created-at", "bearer-rotated-at",
    "client-secret-created-at", "client-secret-rotated-at",
  };

  g_return_val_if_fail (which < BH_APP_N_TIMES, NULL);

  return keys[which];
}

/**
 * bh_app_get_time:
 * @self: a #BhApp
 * @which: which time
 *
 * Returns: (nullable) (transfer none): when one of the App's credentials
 *   was created or rotated; %NULL when unknown or never
 */
GDateTime *
bh_app_get_time (BhApp     *self,
                 BhAppTime  which)
{
  g_return_val_if_fail (BH_IS_APP (self), NULL);
  g_return_val_if_fail (which < BH_APP_N_TIMES, NULL);

  return self->times[which];
}

/**
 * bh_app_set_time:
 * @self: a #BhApp
 * @which: which time
 * @when: (nullable): the time, or %NULL for unknown
 */
void
bh_app_set_time (BhApp     *self,
                 BhAppTime  which,
                 GDateTime *when)
{
  GDateTime **field;

  g_return_if_fail (BH_IS_APP (self));
  g_return_if_fail (which < BH_APP_N_TIMES);

  field = &self->times[which];
  if (*field == when || (*field != NULL && when != NULL && g_date_time_equal (*field, when)))
    return;

  g_clear_pointer (field, g_date_time_unref);
  if (when != NULL)
    *field = g_date_time_ref (when);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME (which)]);
}
