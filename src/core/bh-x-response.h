/* bh-x-response.h
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

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "bh-x-auth.h"

G_BEGIN_DECLS

/**
 * BhXResponse:
 *
 * What X answered. The body may hold secrets (a token endpoint's answer):
 * it is wiped when the response is freed.
 */
typedef struct
{
  guint        status;
  char        *reason;
  char        *content_type;   /* nullable, without parameters */
  GBytes      *body;           /* never NULL (maybe empty) */
  GPtrArray   *headers;        /* BhParam (name, value) in order received */
  GPtrArray   *form;           /* BhParams when the body parses as a form, else NULL */
  JsonNode    *json;           /* when the body parses as JSON, else NULL */
  gint64       rate_limit_limit;      /* -1 when absent */
  gint64       rate_limit_remaining;  /* -1 when absent */
  gint64       rate_limit_reset;      /* seconds since the epoch, 0 when absent */
  char        *access_level;          /* x-access-level, or NULL */
  gboolean     have_clock_skew;
  gint64       clock_skew;            /* server Date minus local clock, seconds */
  /* Added after the first contract (backward compatible). With
   * BhAuth.explain and an OAuth 1.0a mode: the normalized parameter string
   * and the signature base string this request was signed with; else NULL.
   * They hold no secret (only the consumer key and token, which travel in
   * clear in the header), so they may be shown to a person. */
  char        *signed_param_string;
  char        *signed_base_string;
  /* Added after the first contract (backward compatible): how the request
   * was authenticated, so that bh_x_response_check() can tell a refused
   * bearer token from other refusals. */
  BhAuthMode   auth_mode;
} BhXResponse;

GType        bh_x_response_get_type      (void) G_GNUC_CONST;
BhXResponse *bh_x_response_new_for_body  (guint              status,
                                          const char        *content_type,
                                          const char        *data,
                                          gsize              length);
BhXResponse *bh_x_response_copy          (const BhXResponse *response);
void         bh_x_response_free          (BhXResponse       *response);
gboolean     bh_x_response_check         (const BhXResponse *response,
                                          GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BhXResponse, bh_x_response_free)

G_END_DECLS
