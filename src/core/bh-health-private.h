/* bh-health-private.h
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

#include "bh-health.h"
#include "bh-secret.h"
#include "bh-store.h"
#include "bh-x-client.h"

G_BEGIN_DECLS

/* What bh-health.c shares with the OAuth 2.0 checks (bh-health-oauth2.c). */

struct _BhHealthCheck
{
  GObject          parent_instance;

  BhStore         *store;
  BhApp           *app;
  BhHealthChecker  checker;
};

/* One run */

typedef struct
{
  GHashTable *clients;     /* API host → BhXClient */
  GHashTable *secrets;     /* App id → BhSecret (consumer secret) */
  GHashTable *keys_state;  /* App id → BhHealthState of round 1 */
  GQueue      queue;       /* Item, to start */
  guint       in_flight;
  guint       spacing_ms;
  gint64      next_start;  /* monotonic µs */
  guint       timeout_id;
  guint       round;
  GPtrArray  *results;     /* BhHealthResult */
  GPtrArray  *checked;     /* BhApp and BhAccount to record */
  GError     *fatal;       /* the keyring could not be read at all */
  gboolean    pumping;     /* in pump(): an item ended at once asks again */
  gboolean    pump_again;
} Run;

typedef struct
{
  GTask            *task;
  BhCredentialKind  kind;
  BhApp            *app;
  BhAccount        *account;
  BhSecret         *token;
  BhSecret         *token_secret;
  gboolean          asked;       /* a request went to X */
} Item;

/* bh-health-classify.c: the state @error says the credential @kind is
 * in; *@retry_at is when to ask again (seconds since 1970), or 0. */
BhHealthState _bh_health_classify (BhCredentialKind  kind,
                                   const GError     *error,
                                   gint64           *retry_at);

BhXClient *_bh_health_run_client                (Run               *run,
                                                BhApp             *app,
                                                GError           **error);
gint64     _bh_health_reserve_retry_at          (gint64             remaining,
                                                gint64             reset);
void       _bh_health_item_done                 (Item              *item,
                                                BhHealthState      state,
                                                const char        *message,
                                                gint64             retry_at,
                                                const BhXIdentity *identity);
void       _bh_health_item_failed               (Item              *item,
                                                const GError      *error);
gboolean   _bh_health_item_kept_for_scripts     (Item              *item);
void       _bh_health_identity_cb               (GObject           *object,
                                                GAsyncResult      *result,
                                                gpointer           user_data);

void       _bh_health_start_grant               (Item              *item);
void       _bh_health_start_client_secret       (Item              *item);

G_END_DECLS
