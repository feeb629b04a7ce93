/* bh-oauth2-flow.h
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

#include "bh-flow.h"

G_BEGIN_DECLS

/*
 * BhOAuth2Flow: OAuth 2.0 Authorization Code with PKCE for one App with a
 * Client ID, ending with a stored account that holds an OAuth 2.0 grant.
 *
 * Options (properties, set before bh_flow_run_async()):
 *   "scopes"         GStrv, the scopes to ask for (default
 *                    BH_OAUTH2_DEFAULT_SCOPES)
 *   "offline-access" gboolean, default TRUE: adds "offline.access" to the
 *                    scopes when missing, so that X hands out a refresh
 *                    token
 *   "open-browser"   gboolean, default TRUE: open the authorize URL in
 *                    the system browser
 *   "timeout"        guint seconds the person has at X (default 600;
 *                    0: no limit)
 *
 * What a UI follows ("notify::" signals; the base class's "state" and
 * "error" too):
 *   "state"          IDLE (reading the Client Secret) →
 *                    WAITING_FOR_BROWSER (the listener is up and
 *                    "authorize-url" is set: show it, with Open Again,
 *                    a field for a pasted redirect URL and Cancel) →
 *                    EXCHANGING (2/oauth2/token) → VERIFYING (2/users/me)
 *                    → STORING → DONE ("account" set); FAILED or
 *                    CANCELLED otherwise
 *   "authorize-url"  the page where the person authorizes the App (holds
 *                    the state and the PKCE challenge, no secret)
 *   "redirect-uri"   where X sends the browser back (the App's)
 *   "browser-error"  GError: the browser could not be opened; the URL is
 *                    still there to copy
 *   "account"        the stored BhAccount once DONE
 *
 * The redirect comes back to a listener on 127.0.0.1 at the port and path
 * of the App's redirect URI, or as a URL the person pastes
 * (bh_oauth2_flow_submit_redirect()); whichever comes first wins. A
 * redirect with another state is ignored and the flow keeps waiting.
 * Errors of the run: BH_OAUTH2_ERROR_ACCESS_DENIED (Cancel at X),
 * G_IO_ERROR_ADDRESS_IN_USE (the port is taken: the message names it and
 * says how to change the redirect URI), G_IO_ERROR_TIMED_OUT,
 * BH_X_ERROR_* from X, BH_STORE_ERROR_* from the keyring; a cancel in any
 * state ends it CANCELLED with nothing stored (once STORING began the
 * write is let finish, as in the PIN flow).
 */

#define BH_TYPE_OAUTH2_FLOW (bh_oauth2_flow_get_type ())
G_DECLARE_FINAL_TYPE (BhOAuth2Flow, bh_oauth2_flow, BH, OAUTH2_FLOW, BhFlow)

BhOAuth2Flow *bh_oauth2_flow_new                (BhStore             *store,
                                                 BhApp               *app);
BhOAuth2Flow *bh_oauth2_flow_new_renewal (BhStore   *store,
                                          BhAccount *account);
void          bh_oauth2_flow_set_scopes         (BhOAuth2Flow        *self,
                                                 const char * const  *scopes);
const char * const *bh_oauth2_flow_get_scopes   (BhOAuth2Flow        *self);
const char   *bh_oauth2_flow_get_authorize_url  (BhOAuth2Flow        *self);
const char   *bh_oauth2_flow_get_redirect_uri   (BhOAuth2Flow        *self);
const GError *bh_oauth2_flow_get_browser_error  (BhOAuth2Flow        *self);
BhAccount    *bh_oauth2_flow_get_account        (BhOAuth2Flow        *self);
gboolean      bh_oauth2_flow_submit_redirect    (BhOAuth2Flow        *self,
                                                 const char          *redirect,
                                                 GError             **error);
void          bh_oauth2_flow_open_browser       (BhOAuth2Flow        *self);

G_END_DECLS
