/* bh-cli-sign-private.h: what `birdhouse sign` and `birdhouse request` share
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

#include "bh-cli-private.h"
#include "bh-secret.h"
#include "bh-x-auth.h"

G_BEGIN_DECLS

/* `birdhouse sign` and `birdhouse request` share their options: what to
 * send (method, URL, -d parameters) and who signs it (an App of the
 * keyring and maybe one of its accounts or its bearer token, or keys given
 * on the command line with their secrets on stdin). */
typedef struct
{
  char      *method;
  char     **data;
  char      *app;
  char      *account;
  gboolean   bearer;
  gboolean   oauth2;
  char      *consumer_key;
  char      *token;
  gint64     timestamp;
  char      *nonce;
  gboolean   explain;
  gboolean   include;   /* request only */
  gboolean   wait;      /* request only */
} BhCliSignOptions;

void _bh_cli_sign_options_clear (BhCliSignOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BhCliSignOptions, _bh_cli_sign_options_clear)

/* Who signs, with the secrets fetched from the keyring or stdin. */
typedef struct
{
  BhAuthMode  mode;
  char       *consumer_key;
  BhSecret   *consumer_secret;
  char       *token;   /* travels in clear in the header, still wiped */
  BhSecret   *token_secret;
  BhSecret   *bearer;
} BhCliSigner;

void _bh_cli_signer_clear (BhCliSigner *signer);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BhCliSigner, _bh_cli_signer_clear)

/* What both do before their own work: parse and check the options
 * (@context holds the subcommand's own; @for_sign picks sign's or
 * request's), the URL without its fragment in @url, the -d parameters
 * added to @params, and who signs in @signer. Returns -1 to go on, else
 * the exit status. */
int   _bh_cli_sign_prepare           (const char        *command,
                                      GOptionContext    *context,
                                      gboolean           for_sign,
                                      int                argc,
                                      char             **argv,
                                      BhCliSignOptions  *options,
                                      char             **url,
                                      GPtrArray         *params,
                                      BhCliSigner       *signer);

/* -d parameters go where they will be sent: in the body of a POST or PUT
 * (returned in @body, or NULL), in the query of anything else (appended
 * to the returned URL). BhXClient places them the same way. */
char *_bh_cli_sign_place_params      (const char        *method,
                                      const char        *url,
                                      GPtrArray         *params,
                                      GPtrArray        **body);

/* What --explain prints, on stderr or stdout. None of it is a secret: the
 * strings that were signed hold only the consumer key and the token,
 * which the header carries in clear anyway. */
void  _bh_cli_sign_print_explanation (gboolean           to_stderr,
                                      const char        *method,
                                      const char        *url,
                                      GPtrArray         *body,
                                      const char        *param_string,
                                      const char        *base_string);

G_END_DECLS
