/* bh-app.h
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

#pragma once

#include <gio/gio.h>

#include "bh-health-record.h"
#include "bh-types.h"

G_BEGIN_DECLS

/**
 * BhAppTime:
 *
 * When the App's API key secret, bearer token and OAuth 2.0 Client Secret
 * were created (stored for
 * the first time) and last rotated. Kept in the records; unknown (%NULL)
 * in records written before Birdhouse kept them.
 */
typedef enum
{
  BH_APP_TIME_SECRET_CREATED,
  BH_APP_TIME_SECRET_ROTATED,
  BH_APP_TIME_BEARER_CREATED,
  BH_APP_TIME_BEARER_ROTATED,
  BH_APP_TIME_CLIENT_SECRET_CREATED,
  BH_APP_TIME_CLIENT_SECRET_ROTATED,
  BH_APP_N_TIMES
} BhAppTime;

#define BH_TYPE_APP (bh_app_get_type ())
G_DECLARE_FINAL_TYPE (BhApp, bh_app, BH, APP, GObject)

BhApp       *bh_app_new                 (const char *id,
                                         const char *name,
                                         const char *consumer_key,
                                         const char *api_host);
const char  *bh_app_get_id              (BhApp      *self);
const char  *bh_app_get_name            (BhApp      *self);
void         bh_app_set_name            (BhApp      *self,
                                         const char *name);
const char  *bh_app_get_consumer_key    (BhApp      *self);
void         bh_app_set_consumer_key    (BhApp      *self,
                                         const char *consumer_key);
const char  *bh_app_get_api_host        (BhApp      *self);
void         bh_app_set_api_host        (BhApp      *self,
                                         const char *api_host);
gboolean     bh_app_get_has_bearer      (BhApp      *self);
void         bh_app_set_has_bearer      (BhApp      *self,
                                         gboolean    has_bearer);
gboolean     bh_app_get_has_secret      (BhApp      *self);
void         bh_app_set_has_secret      (BhApp      *self,
                                         gboolean    has_secret);
const char  *bh_app_get_client_id       (BhApp      *self);
void         bh_app_set_client_id       (BhApp      *self,
                                         const char *client_id);
const char  *bh_app_get_redirect_uri    (BhApp      *self);
void         bh_app_set_redirect_uri    (BhApp      *self,
                                         const char *redirect_uri);
gboolean     bh_app_get_has_client_secret (BhApp    *self);
void         bh_app_set_has_client_secret (BhApp    *self,
                                           gboolean  has_client_secret);
gboolean     bh_app_get_restored        (BhApp      *self);
void         bh_app_set_restored        (BhApp      *self,
                                         gboolean    restored);
GDateTime   *bh_app_get_time            (BhApp      *self,
                                         BhAppTime   which);
void         bh_app_set_time            (BhApp      *self,
                                         BhAppTime   which,
                                         GDateTime  *when);
const char  *bh_app_time_key            (BhAppTime   which);
const BhHealthRecord *bh_app_get_keys_health   (BhApp                *self);
void         bh_app_set_keys_health     (BhApp                *self,
                                         const BhHealthRecord *health);
const BhHealthRecord *bh_app_get_bearer_health (BhApp                *self);
void         bh_app_set_bearer_health   (BhApp                *self,
                                         const BhHealthRecord *health);
GListModel  *bh_app_get_accounts        (BhApp      *self);
BhAccount   *bh_app_find_account        (BhApp      *self,
                                         const char *user_id_or_screen_name);

G_END_DECLS
