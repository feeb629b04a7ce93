/* bench-oauth1.c
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

/* How much slower is a full bh_oauth1_sign() than the HMAC-SHA1 it cannot
 * avoid? Both run on X's "Creating a signature" example in the same
 * process, so the ratio means something on any machine:
 *
 *   signatures_per_s=N
 *   hmac_floor_per_s=M
 *   floor_over_signer=M/N
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "bh-oauth1.h"

/* Each side runs for about a second in all, in ROUNDS alternating slices,
 * so that a change in the machine's load during the run (other builds,
 * other tests) weighs on both sides alike and the ratio stays meaningful. */
#define ROUNDS      20
#define SLICE_USEC  (G_USEC_PER_SEC / ROUNDS)
#define BATCH       200

typedef struct
{
  guint64 n;
  gint64  usec;
} Tally;

/* X's published sample credentials. */
static const BhOAuth1Credentials credentials = {
  "xvz1evFS4wEEPTGEFPHBog",
  "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
  "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
  "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
};

static volatile guint8 sink;

static void
run_signer (const BhOAuth1Request *request,
            Tally                 *tally)
{
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;
  guint64 n = 0;

  do
    {
      for (guint i = 0; i < BATCH; i++)
        {
          char *header = bh_oauth1_sign (request, &credentials, NULL, NULL, NULL);

          sink ^= (guint8) header[6];
          g_free (header);
        }
      n += BATCH;
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < SLICE_USEC);

  tally->n += n;
  tally->usec += elapsed;
}

static void
run_floor (const char *key,
           const char *base_string,
           Tally      *tally)
{
  gsize key_len = strlen (key);
  gsize base_len = strlen (base_string);
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;
  guint64 n = 0;

  do
    {
      for (guint i = 0; i < BATCH; i++)
        {
          guint8 digest[20];

          if (gnutls_hmac_fast (GNUTLS_MAC_SHA1, key, key_len,
                                base_string, base_len, digest) != 0)
            g_error ("gnutls_hmac_fast failed");
          sink ^= digest[0];
        }
      n += BATCH;
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < SLICE_USEC);

  tally->n += n;
  tally->usec += elapsed;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) body = bh_params_new ();
  BhOAuth1Request request = {
    .method = "POST",
    .url = "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
    .body = body,
    .nonce = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
    .timestamp = 1318622958,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *base_string = NULL;
  g_autofree char *header = NULL;
  g_autofree char *enc_cs = bh_oauth1_percent_encode (credentials.consumer_secret);
  g_autofree char *enc_ts = bh_oauth1_percent_encode (credentials.token_secret);
  g_autofree char *key = NULL;
  Tally signer_tally = { 0 }, floor_tally = { 0 };
  double signer, floor;

  bh_params_add (body, "status", "Hello Ladies + Gentlemen, a signed OAuth request!");

  header = bh_oauth1_sign (&request, &credentials, NULL, &base_string, &error);
  if (header == NULL)
    g_error ("Could not sign: %s", error->message);
  if (strstr (header, "oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\"") == NULL)
    g_error ("The signer does not produce X's example signature");

  key = g_strconcat (enc_cs, "&", enc_ts, NULL);

  /* Warm up caches and the allocator before measuring either. */
  for (guint i = 0; i < BATCH; i++)
    g_free (bh_oauth1_sign (&request, &credentials, NULL, NULL, NULL));

  for (guint round = 0; round < ROUNDS; round++)
    {
      run_signer (&request, &signer_tally);
      run_floor (key, base_string, &floor_tally);
    }
  signer = signer_tally.n * (double) G_USEC_PER_SEC / signer_tally.usec;
  floor = floor_tally.n * (double) G_USEC_PER_SEC / floor_tally.usec;

  printf ("signatures_per_s=%.0f\n", signer);
  printf ("hmac_floor_per_s=%.0f\n", floor);
  printf ("floor_over_signer=%.2f\n", floor / signer);

  return 0;
}
