/* bh-flow-test.h
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

#include "bh-account.h"
#include "bh-app.h"
#include "bh-fake-server.h"
#include "bh-flow.h"
#include "bh-store.h"

G_BEGIN_DECLS

/*
 * What the flow tests share: one fake X server per test program, and per
 * test a fresh store (records file in its own folder under
 * $BH_TEST_TMPDIR), an empty keyring and one App pointing at the server.
 */
typedef struct
{
  BhFakeServer *server;   /* borrowed: one per program */
  char         *dir;
  char         *records_path;
  BhStore      *store;
  BhApp        *app;
  char         *app_id;
} FlowFixture;

/* Asserts that @expr succeeded, printing @error's message first if not. */
#define flow_assert_ok(expr, error) \
  G_STMT_START { \
    gboolean ok_ = (expr); \
    g_assert_no_error (error); \
    g_assert_true (ok_); \
  } G_STMT_END

BhFakeServer *flow_test_server            (void);
void          flow_test_shutdown          (void);

void          flow_fixture_setup          (FlowFixture   *f,
                                           gconstpointer  data);
void          flow_fixture_teardown       (FlowFixture   *f,
                                           gconstpointer  data);

/* Runs @flow to its end; returns bh_flow_run_finish(). */
gboolean      flow_test_run               (BhFlow        *flow,
                                           GError       **error);
/* Starts @flow; poll *@result with flow_test_finish(). */
void          flow_test_start             (BhFlow        *flow,
                                           GAsyncResult **result);
gboolean      flow_test_finish            (BhFlow        *flow,
                                           GAsyncResult **result,
                                           GError       **error);
void          flow_test_wait_for_state    (BhFlow        *flow,
                                           BhFlowState    state);
/* Waits until the fake server has seen @n requests to @path in total. */
void          flow_test_wait_for_requests (FlowFixture   *f,
                                           const char    *path,
                                           gint64         n);
gint64        flow_test_request_count     (FlowFixture   *f,
                                           const char    *path);

/* Keyring items of the fixture's App of @kind ("user", "bearer", "app"). */
guint         flow_test_count_secrets     (FlowFixture   *f,
                                           const char    *kind);
/* Accounts of the App after loading the records again in a new store. */
guint         flow_test_reload_count_accounts (FlowFixture *f);

/* The PIN for the request token in @authorize_url, authorizing it as
 * @screen_name when nobody did yet (no browser involved). */
char         *flow_test_pin_for_url       (FlowFixture   *f,
                                           const char    *authorize_url,
                                           const char    *screen_name);

/* An account for @screen_name stored through a PIN flow without browser. */
BhAccount    *flow_test_authorize         (FlowFixture   *f,
                                           const char    *screen_name);

/* Access token and secret for @screen_name, obtained with the client
 * directly (nothing stored). Free with bh_secret_free(). */
void          flow_test_get_tokens        (FlowFixture   *f,
                                           const char    *screen_name,
                                           char         **token,
                                           char         **token_secret);

/* TRUE if the JSON array /_fake/state member @member holds @value. */
gboolean      flow_test_state_lists       (FlowFixture   *f,
                                           const char    *member,
                                           const char    *value);

G_END_DECLS
