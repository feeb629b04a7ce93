/* bh-x-client-private.h
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

/* Shared between the files of the X client and open to its tests and
 * fuzzers, never to src/ui or src/cli:
 *
 *   bh-x-client.c     the object: session, properties, clock
 *   bh-x-request.c    the request pipeline
 *   bh-x-endpoints.c  one _async/_finish pair for each X endpoint
 *   bh-x-answers.c    each endpoint's reading of its answer (pure)
 *   bh-x-response.c   an answer: body as form or JSON, headers
 *   bh-x-url.c        where credentials may go, and through which proxy
 *   bh-x-auth.c       the Authorization header
 */

#include <libsoup/soup.h>

#include "bh-x-client.h"

G_BEGIN_DECLS

struct _BhXClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *api_host;     /* without a trailing slash */
  guint        timeout;
  guint        deadline;
  gint64       clock_offset;
  gint64       clock_skew;
  gboolean     have_clock_skew;
};

/* bh-x-client.c */
void            _bh_x_client_adopt_clock          (BhXClient           *self,
                                                   const BhXResponse   *response);

/* bh-x-auth.c */
gboolean        _bh_x_authorization               (const BhAuth        *auth,
                                                   const char          *method,
                                                   const char          *url,
                                                   GPtrArray           *body,
                                                   GPtrArray           *oauth_extra,
                                                   gint64               clock_offset,
                                                   char               **value,
                                                   char               **param_string,
                                                   char               **base_string,
                                                   GError             **error);

/* bh-x-url.c */
GError         *_bh_x_redirect_error              (GUri                *base,
                                                   guint                status,
                                                   const char          *location);
GProxyResolver *_bh_x_loopback_proxy_resolver_new (void);

/* bh-x-response.c */
BhXResponse    *_bh_x_response_new                (guint                status,
                                                   const char          *reason,
                                                   SoupMessageHeaders  *headers,
                                                   GBytes              *body);

/* bh-x-answers.c: each endpoint's reading of a 2xx answer. Pure: they
 * look at @response only, so a fuzzer can call them without a network. */
BhXTokenPair   *_bh_x_parse_request_token         (const BhXResponse   *response,
                                                   GError             **error);
BhXTokenPair   *_bh_x_parse_access_token          (const BhXResponse   *response,
                                                   GError             **error);
BhXIdentity    *_bh_x_parse_verify_credentials    (const BhXResponse   *response,
                                                   GError             **error);
BhXIdentity    *_bh_x_parse_users_me              (const BhXResponse   *response,
                                                   GError             **error);
char           *_bh_x_parse_bearer_token          (const BhXResponse   *response,
                                                   GError             **error);

G_END_DECLS
