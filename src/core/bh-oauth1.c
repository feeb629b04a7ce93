/* bh-oauth1.c
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

#include "bh-oauth1.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "bh-oauth1-private.h"
#include "bh-params-private.h"
#include "bh-secret.h"

/* Signing runs once per API request, and tests/bench-oauth1.c compares it
 * with the bare HMAC it cannot avoid. So parameters are sorted as raw
 * (pointer, length) records, never copied or encoded twice; the base
 * string is written once, into one buffer sized for the worst case,
 * through encoding tables that the compiler computes. */

#define SHA1_LEN        20
#define SHA1_B64_LEN    28

/* Nonce and HMAC */

/**
 * bh_oauth1_nonce:
 *
 * Returns: (transfer full): a fresh nonce of 32 to 43 ALPHA / DIGIT
 *   characters
 */
char *
bh_oauth1_nonce (void)
{
  char *nonce = g_malloc (44);
  gsize n = 0;

  /* Dropping '-' and '_' usually leaves 41 or 42 characters; in the
   * unlikely case that it leaves too few, draw again. */
  while (n < 32)
    {
      guint8 bytes[32];
      char b64[48];
      gint state = 0, save = 0;
      gsize b64_len;

      if (gnutls_rnd (GNUTLS_RND_NONCE, bytes, sizeof bytes) != 0)
        g_error ("The system random number generator failed");

      b64_len = g_base64_encode_step (bytes, sizeof bytes, FALSE, b64, &state, &save);
      b64_len += g_base64_encode_close (FALSE, b64 + b64_len, &state, &save);

      for (gsize i = 0; i < b64_len && n < 43; i++)
        if (g_ascii_isalnum (b64[i]))
          nonce[n++] = b64[i];
    }
  nonce[n] = '\0';

  return nonce;
}

/* Writes base64 (HMAC-SHA1) of @data into @out (SHA1_B64_LEN + 1 bytes). */
static void
hmac_sha1_b64 (const char *consumer_secret,
               const char *token_secret,
               const char *data,
               gsize       data_len,
               char        out[SHA1_B64_LEN + 1])
{
  char stack_key[256];
  char *key = stack_key;
  gsize cs_len = strlen (consumer_secret);
  gsize ts_len = token_secret ? strlen (token_secret) : 0;
  gsize key_len, key_size;
  guint8 digest[SHA1_LEN];
  gint state = 0, save = 0;
  gsize n;
  char *k;

  key_size = 3 * (cs_len + ts_len) + 1 + BH_ENC_SLACK;
  if (key_size > sizeof stack_key)
    key = g_malloc (key_size);

  k = _bh_enc_write (key, consumer_secret, cs_len);
  *k++ = '&';
  k = _bh_enc_write (k, token_secret ? token_secret : "", ts_len);
  key_len = k - key;

  if (gnutls_hmac_fast (GNUTLS_MAC_SHA1, key, key_len, data, data_len, digest) != 0)
    g_error ("GnuTLS could not compute an HMAC-SHA1");

  bh_secret_wipe (key, key_len);
  if (key != stack_key)
    g_free (key);

  n = g_base64_encode_step (digest, SHA1_LEN, FALSE, out, &state, &save);
  n += g_base64_encode_close (FALSE, out + n, &state, &save);
  out[n] = '\0';
}

/**
 * bh_oauth1_hmac_sha1:
 * @base_string: the signature base string
 * @consumer_secret: the consumer secret
 * @token_secret: (nullable): the token secret, %NULL for consumer-only
 *
 * Returns: (transfer full): the base64 signature
 */
char *
bh_oauth1_hmac_sha1 (const char *base_string,
                     const char *consumer_secret,
                     const char *token_secret)
{
  char sig[SHA1_B64_LEN + 1];

  g_return_val_if_fail (base_string != NULL, NULL);
  g_return_val_if_fail (consumer_secret != NULL, NULL);

  hmac_sha1_b64 (consumer_secret, token_secret, base_string, strlen (base_string), sig);

  return g_strdup (sig);
}

/* Signing */

/* RFC 5849 sorts the ENCODED names and values by byte. Encoding keeps an
 * unreserved byte and turns any other into "%XY" (upper-case hex keeps
 * numeric order, and '%' sorts below every unreserved byte), so sorting
 * the raw bytes by this key gives the same order without encoding first. */
#define SORT_KEY(c)    ((guint16) (BH_UNRESERVED (c) ? 0x100 + (c) : (c)))
#define SORT_KEY4(c)   SORT_KEY (c), SORT_KEY ((c) + 1), SORT_KEY ((c) + 2), SORT_KEY ((c) + 3)
#define SORT_KEY16(c)  SORT_KEY4 (c), SORT_KEY4 ((c) + 4), SORT_KEY4 ((c) + 8), SORT_KEY4 ((c) + 12)
#define SORT_KEY64(c)  SORT_KEY16 (c), SORT_KEY16 ((c) + 16), SORT_KEY16 ((c) + 32), SORT_KEY16 ((c) + 48)

static const guint16 sort_key[256] = {
  SORT_KEY64 (0x00), SORT_KEY64 (0x40), SORT_KEY64 (0x80), SORT_KEY64 (0xc0),
};

/* The parameter string is encoded once more inside the base string, so a
 * parameter byte lands there encoded twice: unreserved bytes stay, the
 * others become "%25XY". Last byte: how many count. */
#define ENC2(c)    { BH_UNRESERVED (c) ? (char) (c) : '%', '2', '5', \
                     BH_HEX_DIGIT ((c) >> 4), BH_HEX_DIGIT ((c) & 0xf), 0, 0, \
                     BH_UNRESERVED (c) ? 1 : 5 }
#define ENC2_4(c)  ENC2 (c), ENC2 ((c) + 1), ENC2 ((c) + 2), ENC2 ((c) + 3)
#define ENC2_16(c) ENC2_4 (c), ENC2_4 ((c) + 4), ENC2_4 ((c) + 8), ENC2_4 ((c) + 12)
#define ENC2_64(c) ENC2_16 (c), ENC2_16 ((c) + 16), ENC2_16 ((c) + 32), ENC2_16 ((c) + 48)

static const char enc2_table[256][8] = {
  ENC2_64 (0x00), ENC2_64 (0x40), ENC2_64 (0x80), ENC2_64 (0xc0),
};

#define ENC2_SLACK 7

static inline char *
enc2_write (char       *out,
            const char *text,
            gsize       len)
{
  return _bh_table_write (out, text, len, &enc2_table[0][0], 8);
}

typedef struct
{
  const char *name;   /* raw (decoded) bytes, not NUL-terminated */
  const char *value;
  gsize       name_len;
  gsize       value_len;
  gboolean    header; /* a protocol parameter, sent in the header */
} Entry;

static inline int
raw_compare (const char *a,
             gsize       a_len,
             const char *b,
             gsize       b_len)
{
  gsize n = MIN (a_len, b_len);

  for (gsize i = 0; i < n; i++)
    if (a[i] != b[i])
      return (int) sort_key[(guchar) a[i]] - (int) sort_key[(guchar) b[i]];

  return (a_len > b_len) - (a_len < b_len);
}

static inline int
entry_compare (const Entry *a,
               const Entry *b)
{
  int r = raw_compare (a->name, a->name_len, b->name, b->name_len);

  return r != 0 ? r : raw_compare (a->value, a->value_len, b->value, b->value_len);
}

static int
entry_compare_qsort (const void *a,
                     const void *b)
{
  return entry_compare (a, b);
}

static inline gboolean
is_signature_name (const char *name,
                   gsize       name_len)
{
  return name_len == 15 && memcmp (name, "oauth_signature", 15) == 0;
}

static gboolean
is_builtin_protocol_param (const char *name)
{
  static const char * const builtin[] = {
    "oauth_consumer_key", "oauth_nonce", "oauth_signature",
    "oauth_signature_method", "oauth_timestamp", "oauth_token",
    "oauth_version",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (builtin); i++)
    if (strcmp (name, builtin[i]) == 0)
      return TRUE;

  return FALSE;
}

/* Writes @t in decimal at the end of @buf; returns where it starts. */
static char *
format_timestamp (gint64  t,
                  char    buf[24])
{
  char *p = buf + 23;
  guint64 u = (guint64) t;

  *p = '\0';
  do
    {
      *--p = (char) ('0' + u % 10);
      u /= 10;
    }
  while (u != 0);

  return p;
}

/* One signature's working memory. A usual request fits in the inline
 * arrays, so signing allocates only what it returns; a bigger request
 * moves to the heap. Nothing here is zeroed up front (that would cost as
 * much as the sorting): signing_init() sets what signing_clear() reads. */
#define INLINE_ENTRIES  32
#define INLINE_QUERY    512
#define INLINE_BASE     2048

typedef struct
{
  BhUrlParts     url;
  const char  *nonce;
  char        *own_nonce;
  const char  *timestamp;

  Entry       *entries;
  gsize        n_entries;
  gsize        raw_len;       /* all names and values, unencoded */

  char        *query;         /* the query's decoded pairs, back to back */
  gsize        query_len;

  char        *base;          /* the signature base string */
  gsize        base_len;
  gsize        base_size;

  char         timestamp_buf[24];
  Entry        inline_entries[INLINE_ENTRIES];
  char         inline_query[INLINE_QUERY];
  char         inline_base[INLINE_BASE];
} Signing;

static void
signing_init (Signing *s)
{
  s->url = (BhUrlParts) { 0 };
  s->nonce = NULL;
  s->own_nonce = NULL;
  s->timestamp = NULL;
  s->entries = s->inline_entries;
  s->n_entries = 0;
  s->raw_len = 0;
  s->query = s->inline_query;
  s->query_len = 0;
  s->base = NULL;
  s->base_len = 0;
  s->base_size = 0;
}

static void
signing_clear (Signing *s)
{
  /* The query and the body may carry a token (invalidate_token), and the
   * base string holds them both: leave no copy behind. */
  bh_secret_wipe (s->query, s->query_len);
  if (s->query != s->inline_query)
    g_free (s->query);
  if (s->base != NULL)
    {
      bh_secret_wipe (s->base, MIN (s->base_len + 1 + ENC2_SLACK, s->base_size));
      if (s->base != s->inline_base)
        g_free (s->base);
    }
  if (s->entries != s->inline_entries)
    g_free (s->entries);
  g_free (s->own_nonce);
  _bh_url_parts_clear (&s->url);
}

static inline void
add_entry (Signing    *s,
           const char *name,
           gsize       name_len,
           const char *value,
           gsize       value_len,
           gboolean    header)
{
  Entry *e = &s->entries[s->n_entries++];

  e->name = name;
  e->name_len = name_len;
  e->value = value;
  e->value_len = value_len;
  e->header = header;
  s->raw_len += name_len + value_len;
}

static inline void
add_param (Signing       *s,
           const BhParam *param,
           gboolean       header)
{
  add_entry (s, param->name, strlen (param->name),
             param->value, strlen (param->value), header);
}

static inline void
add_protocol (Signing    *s,
              const char *name,
              const char *value)
{
  add_entry (s, name, strlen (name), value, strlen (value), TRUE);
}

static gboolean
check_extra_params (GPtrArray  *extra,
                    GError    **error)
{
  for (guint i = 0; extra != NULL && i < extra->len; i++)
    {
      BhParam *param = g_ptr_array_index (extra, i);

      /* Only protocol parameters go in the header, and the ones the
       * signer sets itself must not be signed twice. */
      if (!g_str_has_prefix (param->name, "oauth_") ||
          is_builtin_protocol_param (param->name))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: %s is a parameter name such as oauth_callback. */
                       _("“%s” cannot be added as an extra OAuth parameter."),
                       param->name);
          return FALSE;
        }
    }

  return TRUE;
}

/* Makes room for every parameter the request can have: six protocol
 * parameters, the body, the extras and one per query pair. */
static void
reserve_entries (Signing *s,
                 gsize    n_params)
{
  gsize max_entries = 6 + n_params;

  if (s->url.query != NULL)
    {
      s->query_len = strlen (s->url.query);
      for (gsize i = 0; i < s->query_len; i++)
        max_entries += s->url.query[i] == '&';
      max_entries++;
      /* A query byte decodes to at most one byte. */
      if (s->query_len > sizeof s->inline_query)
        s->query = g_malloc (s->query_len);
    }

  if (max_entries > INLINE_ENTRIES)
    s->entries = g_new (Entry, max_entries);
}

/* Decodes the query's pairs into s->query and adds them. */
static gboolean
collect_query (Signing  *s,
               GError  **error)
{
  const char *p = s->url.query;
  const char *end = p + s->query_len;
  char *scratch = s->query;

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *pair_end = amp ? amp : end;

      if (pair_end > p)
        {
          const char *eq = memchr (p, '=', pair_end - p);
          const char *name_end = eq ? eq : pair_end;
          gssize name_len, value_len = 0;

          name_len = _bh_form_decode (p, name_end - p, scratch);
          if (name_len >= 0 && eq != NULL)
            value_len = _bh_form_decode (eq + 1, pair_end - eq - 1, scratch + name_len);

          if (name_len < 0 || value_len < 0 ||
              !g_utf8_validate (scratch, name_len, NULL) ||
              !g_utf8_validate (scratch + name_len, value_len, NULL))
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                   _("The query of the request address is malformed."));
              return FALSE;
            }

          /* RFC 5849 §3.4.1.3.1: an oauth_signature in the query is
           * never signed (and never sent in the header). */
          if (!is_signature_name (scratch, name_len))
            {
              add_entry (s, scratch, name_len, scratch + name_len, value_len, FALSE);
              scratch += name_len + value_len;
            }
        }

      p = pair_end + 1;
    }

  return TRUE;
}

/* Gathers every signed parameter, unencoded and uncopied: the query, the
 * form body, the extra protocol parameters and the signer's own. */
static gboolean
collect (Signing                    *s,
         const BhOAuth1Request      *request,
         const BhOAuth1Credentials  *credentials,
         GError                    **error)
{
  gsize n_body = request->body != NULL ? request->body->len : 0;
  gsize n_extra = request->oauth_extra != NULL ? request->oauth_extra->len : 0;

  if (!_bh_url_parts_init (&s->url, request->url, error) ||
      !check_extra_params (request->oauth_extra, error))
    return FALSE;

  s->nonce = request->nonce;
  if (s->nonce == NULL)
    s->nonce = s->own_nonce = bh_oauth1_nonce ();
  s->timestamp = format_timestamp (request->timestamp != 0 ? request->timestamp
                                                           : g_get_real_time () / G_USEC_PER_SEC,
                                   s->timestamp_buf);

  reserve_entries (s, n_body + n_extra);

  if (s->url.query != NULL && !collect_query (s, error))
    return FALSE;

  for (gsize i = 0; i < n_body; i++)
    {
      BhParam *param = g_ptr_array_index (request->body, i);

      /* Excluded from the base string wherever it comes from. */
      if (!is_signature_name (param->name, strlen (param->name)))
        add_param (s, param, FALSE);
    }
  for (gsize i = 0; i < n_extra; i++)
    add_param (s, g_ptr_array_index (request->oauth_extra, i), TRUE);

  add_protocol (s, "oauth_consumer_key", credentials->consumer_key);
  add_protocol (s, "oauth_nonce", s->nonce);
  add_protocol (s, "oauth_signature_method", "HMAC-SHA1");
  add_protocol (s, "oauth_timestamp", s->timestamp);
  if (credentials->token != NULL)
    add_protocol (s, "oauth_token", credentials->token);
  add_protocol (s, "oauth_version", "1.0");

  return TRUE;
}

static void
sort (Signing *s)
{
  /* A request has a handful of parameters: insertion sort beats qsort's
   * call overhead there. */
  if (s->n_entries > 24)
    {
      qsort (s->entries, s->n_entries, sizeof *s->entries, entry_compare_qsort);
      return;
    }

  for (gsize i = 1; i < s->n_entries; i++)
    {
      Entry tmp = s->entries[i];
      gsize j = i;

      while (j > 0 && entry_compare (&s->entries[j - 1], &tmp) > 0)
        {
          s->entries[j] = s->entries[j - 1];
          j--;
        }
      s->entries[j] = tmp;
    }
}

static char *
write_method (char       *b,
              const char *method)
{
  for (const char *m = method; *m != '\0'; m++)
    {
      char upper = g_ascii_islower (*m) ? *m - 'a' + 'A' : *m;

      b = _bh_enc_write (b, &upper, 1);
    }

  return b;
}

static char *
write_base_uri (char           *b,
                const BhUrlParts *url)
{
  char inline_uri[256];
  gsize uri_size = _bh_base_uri_size (url);
  char *uri = uri_size <= sizeof inline_uri ? inline_uri : g_malloc (uri_size);
  gsize uri_len = _bh_base_uri_write (url, uri);

  b = _bh_enc_write (b, uri, uri_len);
  if (uri != inline_uri)
    g_free (uri);

  return b;
}

/* METHOD & enc(base URI) & enc(parameter string), written once into a
 * buffer big enough for the worst case; on the heap when @keep, since the
 * caller takes it. */
static void
base_string (Signing    *s,
             const char *method,
             gboolean    keep)
{
  char *b;

  s->base_size = 3 * strlen (method) + 1 + 3 * _bh_base_uri_size (&s->url) + 1 +
                 5 * s->raw_len + 3 * (2 * s->n_entries) + 1 + ENC2_SLACK;
  if (s->base_size > sizeof s->inline_base || keep)
    s->base = g_malloc (s->base_size);
  else
    s->base = s->inline_base;

  b = write_method (s->base, method);
  *b++ = '&';
  b = write_base_uri (b, &s->url);
  *b++ = '&';
  for (gsize i = 0; i < s->n_entries; i++)
    {
      const Entry *e = &s->entries[i];

      if (i > 0)
        {
          memcpy (b, "%26", 3);
          b += 3;
        }
      b = enc2_write (b, e->name, e->name_len);
      memcpy (b, "%3D", 3);
      b += 3;
      b = enc2_write (b, e->value, e->value_len);
    }
  *b = '\0';
  s->base_len = b - s->base;
}

static char *
param_string (const Signing *s)
{
  char *out = g_malloc (3 * s->raw_len + 2 * s->n_entries + 1 + BH_ENC_SLACK);
  char *q = out;

  for (gsize i = 0; i < s->n_entries; i++)
    {
      const Entry *e = &s->entries[i];

      if (i > 0)
        *q++ = '&';
      q = _bh_enc_write (q, e->name, e->name_len);
      *q++ = '=';
      q = _bh_enc_write (q, e->value, e->value_len);
    }
  *q = '\0';

  return out;
}

/* Writes `, name="value"` (no comma for the first) at @h. */
static char *
write_header_param (char       *h,
                    gboolean    first,
                    const char *name,
                    gsize       name_len,
                    const char *value,
                    gsize       value_len)
{
  if (!first)
    {
      memcpy (h, ", ", 2);
      h += 2;
    }
  h = _bh_enc_write (h, name, name_len);
  memcpy (h, "=\"", 2);
  h = _bh_enc_write (h + 2, value, value_len);
  *h++ = '"';

  return h;
}

/* The Authorization header: the protocol parameters in sorted order, with
 * oauth_signature in its place among them. */
static char *
header (const Signing *s,
        const char    *signature)
{
  gsize size = strlen ("OAuth ") + strlen (", oauth_signature=\"\"") + 3 * SHA1_B64_LEN;
  gboolean signature_written = FALSE;
  char *out, *h, *start;

  for (gsize i = 0; i < s->n_entries; i++)
    if (s->entries[i].header)
      size += 2 + 3 * s->entries[i].name_len + 3 + 3 * s->entries[i].value_len;
  size += 1 + BH_ENC_SLACK;

  out = g_malloc (size);
  memcpy (out, "OAuth ", 6);
  h = start = out + 6;

  for (gsize i = 0; i < s->n_entries; i++)
    {
      const Entry *e = &s->entries[i];

      if (!e->header)
        continue;

      if (!signature_written &&
          raw_compare (e->name, e->name_len, "oauth_signature", 15) > 0)
        {
          h = write_header_param (h, h == start, "oauth_signature", 15,
                                  signature, SHA1_B64_LEN);
          signature_written = TRUE;
        }
      h = write_header_param (h, h == start, e->name, e->name_len, e->value, e->value_len);
    }
  if (!signature_written)
    h = write_header_param (h, h == start, "oauth_signature", 15, signature, SHA1_B64_LEN);
  *h = '\0';

  return out;
}

static char *
sign (Signing                    *s,
      const BhOAuth1Request      *request,
      const BhOAuth1Credentials  *credentials,
      char                      **param_string_out,
      char                      **base_string_out,
      GError                    **error)
{
  char signature[SHA1_B64_LEN + 1];
  char *out;

  if (!collect (s, request, credentials, error))
    return NULL;

  sort (s);

  base_string (s, request->method, base_string_out != NULL);
  if (param_string_out != NULL)
    *param_string_out = param_string (s);

  hmac_sha1_b64 (credentials->consumer_secret, credentials->token_secret,
                 s->base, s->base_len, signature);
  out = header (s, signature);

  if (base_string_out != NULL)
    *base_string_out = g_steal_pointer (&s->base);

  return out;
}

/**
 * bh_oauth1_sign:
 * @request: what is sent
 * @credentials: who signs
 * @param_string: (out) (optional): the normalized parameter string
 * @base_string: (out) (optional): the signature base string
 * @error: return location for a #GError
 *
 * Signs @request with HMAC-SHA1 as RFC 5849 and X describe it.
 *
 * Returns: (transfer full) (nullable): the value of the Authorization
 *   header
 */
char *
bh_oauth1_sign (const BhOAuth1Request      *request,
                const BhOAuth1Credentials  *credentials,
                char                      **param_string,
                char                      **base_string,
                GError                    **error)
{
  Signing s;
  char *out;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (credentials != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (request->method == NULL || request->method[0] == '\0' ||
      credentials->consumer_key == NULL || credentials->consumer_key[0] == '\0' ||
      credentials->consumer_secret == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The request cannot be signed without a method, an API key and an API key secret."));
      return NULL;
    }

  signing_init (&s);
  out = sign (&s, request, credentials, param_string, base_string, error);
  signing_clear (&s);

  return out;
}
