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

#include "bh-secret.h"

/* Signing runs once per API request, and the benchmark compares it with
 * the bare HMAC: so the whole base string is measured first and written
 * once into one buffer, every parameter is encoded once into one arena,
 * and the parameters are sorted as (pointer, length) records. */

#define SHA1_LEN        20
#define SHA1_B64_LEN    28
#define N_STACK_ENTRIES 32

/* RFC 3986 §2.3 unreserved: ALPHA DIGIT - . _ ~ */
static const guint8 unreserved[256] = {
  /* 0x00 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x10 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  /* 0x20 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0,
  /* 0x30 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
  /* 0x40 */ 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  /* 0x50 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
  /* 0x60 */ 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  /* 0x70 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0,
  /* 0x80 and above are UTF-8 bytes: always encoded */
};

static const char hex_upper[] = "0123456789ABCDEF";

static inline gsize
enc_len (const char *text,
         gsize       len,
         gsize      *n_escapes)
{
  const guchar *p = (const guchar *) text;
  gsize escapes = 0;

  for (gsize i = 0; i < len; i++)
    escapes += !unreserved[p[i]];

  if (n_escapes != NULL)
    *n_escapes += escapes;

  return len + 2 * escapes;
}

/* Writes the encoding of @text at @out; returns the end of what it wrote. */
static inline char *
enc_write (char       *out,
           const char *text,
           gsize       len)
{
  const guchar *p = (const guchar *) text;

  for (gsize i = 0; i < len; i++)
    {
      guchar c = p[i];

      if (unreserved[c])
        {
          *out++ = (char) c;
        }
      else
        {
          out[0] = '%';
          out[1] = hex_upper[c >> 4];
          out[2] = hex_upper[c & 0xf];
          out += 3;
        }
    }

  return out;
}

static inline int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* x-www-form-urlencoded decoding of @len bytes into @out (at least @len
 * bytes). Returns the decoded length, or -1 for a bad escape or a NUL,
 * which a C string could not carry. */
static gssize
form_decode (const char *in,
             gsize       len,
             char       *out)
{
  char *o = out;

  for (gsize i = 0; i < len; i++)
    {
      char c = in[i];

      if (c == '+')
        {
          *o++ = ' ';
        }
      else if (c == '%')
        {
          int hi, lo;

          if (len - i < 3)
            return -1;
          hi = hex_value (in[i + 1]);
          lo = hex_value (in[i + 2]);
          if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            return -1;
          *o++ = (char) (hi << 4 | lo);
          i += 2;
        }
      else if (c == '\0')
        {
          return -1;
        }
      else
        {
          *o++ = c;
        }
    }

  return o - out;
}

/* Params */

static void
bh_param_free (gpointer data)
{
  BhParam *param = data;

  /* Form bodies carry tokens (invalidate_token) and PINs (verifier). */
  bh_secret_free (param->name);
  bh_secret_free (param->value);
  g_free (param);
}

/**
 * bh_params_new:
 *
 * Returns: (transfer full): an empty array of #BhParam
 */
GPtrArray *
bh_params_new (void)
{
  return g_ptr_array_new_with_free_func (bh_param_free);
}

static void
params_add_take (GPtrArray *params,
                 char      *name,
                 char      *value)
{
  BhParam *param = g_new (BhParam, 1);

  param->name = name;
  param->value = value;
  g_ptr_array_add (params, param);
}

/**
 * bh_params_add:
 * @params: an array from bh_params_new()
 * @name: a decoded name
 * @value: (nullable): a decoded value; %NULL is the empty value
 *
 * Appends a parameter; a name may repeat.
 */
void
bh_params_add (GPtrArray  *params,
               const char *name,
               const char *value)
{
  g_return_if_fail (params != NULL);
  g_return_if_fail (name != NULL);

  params_add_take (params, bh_secret_dup (name), bh_secret_dup (value ? value : ""));
}

/**
 * bh_params_get:
 * @params: an array of #BhParam
 * @name: a decoded name
 *
 * Returns: (nullable): the first value for @name
 */
const char *
bh_params_get (GPtrArray  *params,
               const char *name)
{
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < params->len; i++)
    {
      BhParam *param = g_ptr_array_index (params, i);

      if (strcmp (param->name, name) == 0)
        return param->value;
    }

  return NULL;
}

static char *
decode_component (const char  *in,
                  gsize        len,
                  GError     **error)
{
  char *out = g_malloc (len + 1);
  gssize out_len;
  const char *message = NULL;

  out_len = form_decode (in, len, out);
  if (out_len < 0)
    message = _("The form data has a malformed percent-escape.");
  else if (!g_utf8_validate (out, out_len, NULL))
    message = _("The form data is not valid UTF-8 text.");

  if (message != NULL)
    {
      /* Whatever was decoded may be part of a token. */
      bh_secret_wipe (out, len + 1);
      g_free (out);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
      return NULL;
    }
  out[out_len] = '\0';

  return out;
}

/**
 * bh_params_parse_form:
 * @params: an array of #BhParam
 * @form: an application/x-www-form-urlencoded string
 * @len: its length, or -1 when it is NUL-terminated
 * @error: return location for a #GError
 *
 * Appends the pairs of @form to @params. Empty pairs ("a=1&&b=2") are
 * skipped; a pair without "=" has the empty value. On error @params keeps
 * the pairs before the bad one.
 *
 * Returns: %TRUE on success
 */
gboolean
bh_params_parse_form (GPtrArray   *params,
                      const char  *form,
                      gssize       len,
                      GError     **error)
{
  const char *p, *end;

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (form != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len < 0)
    len = strlen (form);

  p = form;
  end = form + len;

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *pair_end = amp ? amp : end;
      const char *eq;
      g_autoptr(BhSecret) name = NULL;
      g_autoptr(BhSecret) value = NULL;

      if (pair_end > p)
        {
          eq = memchr (p, '=', pair_end - p);
          name = decode_component (p, (eq ? eq : pair_end) - p, error);
          if (name == NULL)
            return FALSE;
          if (eq != NULL)
            value = decode_component (eq + 1, pair_end - eq - 1, error);
          else
            value = g_strdup ("");
          if (value == NULL)
            return FALSE;

          params_add_take (params, g_steal_pointer (&name), g_steal_pointer (&value));
        }

      p = pair_end + 1;
    }

  return TRUE;
}

/**
 * bh_params_to_form:
 * @params: an array of #BhParam
 *
 * Returns: (transfer full): `name=value&…`, both sides percent-encoded
 */
char *
bh_params_to_form (GPtrArray *params)
{
  gsize total = 0;
  char *out, *o;

  g_return_val_if_fail (params != NULL, NULL);

  for (guint i = 0; i < params->len; i++)
    {
      BhParam *param = g_ptr_array_index (params, i);

      total += enc_len (param->name, strlen (param->name), NULL) + 1
             + enc_len (param->value, strlen (param->value), NULL) + 1;
    }

  o = out = g_malloc (total + 1);
  for (guint i = 0; i < params->len; i++)
    {
      BhParam *param = g_ptr_array_index (params, i);

      if (i > 0)
        *o++ = '&';
      o = enc_write (o, param->name, strlen (param->name));
      *o++ = '=';
      o = enc_write (o, param->value, strlen (param->value));
    }
  *o = '\0';

  return out;
}

/**
 * bh_oauth1_percent_encode:
 * @text: UTF-8 text
 *
 * Returns: (transfer full): @text with everything but ALPHA DIGIT - . _ ~
 *   percent-encoded with upper-case hex
 */
char *
bh_oauth1_percent_encode (const char *text)
{
  gsize len, out_len;
  char *out;

  g_return_val_if_fail (text != NULL, NULL);

  len = strlen (text);
  out_len = enc_len (text, len, NULL);
  out = g_malloc (out_len + 1);
  *enc_write (out, text, len) = '\0';

  return out;
}

/* Base string URI */

/* Splits @url once: the base string URI in @base_uri and the raw (still
 * encoded) query in @query. */
static gboolean
split_url (const char  *url,
           char       **base_uri,
           char       **query,
           GError     **error)
{
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  gboolean https;
  int port = -1;
  GString *out;

  if (url == NULL ||
      !g_uri_split (url, G_URI_FLAGS_ENCODED,
                    &scheme, NULL, &host, &port, &path, query, NULL, NULL) ||
      scheme == NULL || host == NULL || host[0] == '\0' ||
      (g_ascii_strcasecmp (scheme, "http") != 0 &&
       g_ascii_strcasecmp (scheme, "https") != 0))
    {
      if (query != NULL)
        g_clear_pointer (query, g_free);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The address of the request is not an absolute http or https URL."));
      return FALSE;
    }

  https = g_ascii_strcasecmp (scheme, "https") == 0;

  out = g_string_sized_new (strlen (url));
  g_string_append (out, https ? "https://" : "http://");
  if (strchr (host, ':') != NULL)
    {
      /* An IPv6 literal: GUri hands it back without its brackets. */
      g_string_append_c (out, '[');
      g_string_append (out, host);
      g_string_append_c (out, ']');
    }
  else
    {
      g_string_append (out, host);
    }
  for (gsize i = 0; i < out->len; i++)
    out->str[i] = g_ascii_tolower (out->str[i]);

  if (port > 0 && !(port == 80 && !https) && !(port == 443 && https))
    g_string_append_printf (out, ":%d", port);

  g_string_append (out, (path != NULL && path[0] != '\0') ? path : "/");

  *base_uri = g_string_free (out, FALSE);

  return TRUE;
}

/**
 * bh_oauth1_base_uri:
 * @url: an absolute http or https URL
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the base string URI of RFC 5849
 *   §3.4.1.2
 */
char *
bh_oauth1_base_uri (const char  *url,
                    GError     **error)
{
  char *base_uri = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!split_url (url, &base_uri, NULL, error))
    return NULL;

  return base_uri;
}

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

  key_size = 3 * (cs_len + ts_len) + 1;
  if (key_size > sizeof stack_key)
    key = g_malloc (key_size);

  k = enc_write (key, consumer_secret, cs_len);
  *k++ = '&';
  k = enc_write (k, token_secret ? token_secret : "", ts_len);
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

typedef struct
{
  const char *name;   /* encoded, NUL-terminated, in the arena */
  const char *value;  /* encoded, NUL-terminated, in the arena */
  gsize       name_len;
  gsize       value_len;
  gboolean    header; /* a protocol parameter, sent in the header */
} Entry;

static inline int
entry_compare (const Entry *a,
               const Entry *b)
{
  /* strcmp compares as unsigned char: byte order, as RFC 5849 asks. */
  int r = strcmp (a->name, b->name);

  return r != 0 ? r : strcmp (a->value, b->value);
}

static int
entry_compare_qsort (const void *a,
                     const void *b)
{
  return entry_compare (a, b);
}

static void
sort_entries (Entry *entries,
              gsize  n)
{
  /* A request has a handful of parameters: insertion sort beats qsort's
   * call overhead there. */
  if (n > 24)
    {
      qsort (entries, n, sizeof *entries, entry_compare_qsort);
      return;
    }

  for (gsize i = 1; i < n; i++)
    {
      Entry tmp = entries[i];
      gsize j = i;

      while (j > 0 && entry_compare (&entries[j - 1], &tmp) > 0)
        {
          entries[j] = entries[j - 1];
          j--;
        }
      entries[j] = tmp;
    }
}

typedef struct
{
  Entry *entries;
  gsize  n_entries;
  char  *arena;       /* the encoded names and values */
  char  *pos;         /* where the next one goes */
  gsize  n_escapes;   /* '%' in the arena, for the base string's length */
} Collector;

static void
collect_encoded (Collector  *c,
                 const char *name,
                 gsize       name_len,
                 const char *value,
                 gsize       value_len,
                 gboolean    header)
{
  Entry *e = &c->entries[c->n_entries++];
  const char *start;

  start = c->pos;
  c->pos = enc_write (c->pos, name, name_len);
  e->name = start;
  e->name_len = c->pos - start;
  *c->pos++ = '\0';

  start = c->pos;
  c->pos = enc_write (c->pos, value, value_len);
  e->value = start;
  e->value_len = c->pos - start;
  *c->pos++ = '\0';

  e->header = header;
}

static inline void
collect (Collector  *c,
         const char *name,
         const char *value,
         gboolean    header)
{
  collect_encoded (c, name, strlen (name), value, strlen (value), header);
}

/* Decodes the query's pairs (into @scratch) and collects them encoded. */
static gboolean
collect_query (Collector   *c,
               const char  *query,
               gsize        len,
               char        *scratch,
               GError     **error)
{
  const char *p = query;
  const char *end = query + len;

  while (p < end)
    {
      const char *amp = memchr (p, '&', end - p);
      const char *pair_end = amp ? amp : end;

      if (pair_end > p)
        {
          const char *eq = memchr (p, '=', pair_end - p);
          const char *name_end = eq ? eq : pair_end;
          gssize name_len, value_len = 0;
          char *value = scratch;

          name_len = form_decode (p, name_end - p, scratch);
          if (name_len >= 0)
            {
              value = scratch + name_len;
              if (eq != NULL)
                value_len = form_decode (eq + 1, pair_end - eq - 1, value);
            }

          if (name_len < 0 || value_len < 0 ||
              !g_utf8_validate (scratch, name_len + value_len, NULL))
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                   _("The query of the request address is malformed."));
              return FALSE;
            }

          collect_encoded (c, scratch, name_len, value, value_len, FALSE);
        }

      p = pair_end + 1;
    }

  return TRUE;
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
  g_autofree char *base_uri = NULL;
  g_autofree char *query = NULL;
  g_autofree char *own_nonce = NULL;
  Entry stack_entries[N_STACK_ENTRIES];
  g_autofree Entry *heap_entries = NULL;
  Collector c = { 0 };
  char ts_buf[24];
  const char *timestamp, *nonce;
  gsize query_len = 0, bound, max_entries, n_body = 0, n_extra = 0;
  gsize method_len, base_uri_enc_len, params_len, base_len, header_len;
  char *arena_block = NULL;
  gsize arena_size;
  char *base = NULL, *b;
  char *header = NULL, *h;
  char sig[SHA1_B64_LEN + 1];
  gsize sig_enc_len;
  gboolean sig_written = FALSE;
  gboolean ok = FALSE;

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

  if (!split_url (request->url, &base_uri, &query, error))
    return NULL;

  if (request->body != NULL)
    n_body = request->body->len;
  if (request->oauth_extra != NULL)
    n_extra = request->oauth_extra->len;

  nonce = request->nonce;
  if (nonce == NULL)
    nonce = own_nonce = bh_oauth1_nonce ();
  timestamp = format_timestamp (request->timestamp != 0 ? request->timestamp
                                                       : g_get_real_time () / G_USEC_PER_SEC,
                                ts_buf);

  /* Measure: every byte encodes to at most three, and a query byte
   * decodes to at most one. */
  max_entries = 6 + n_body + n_extra;
  bound = 0;
  if (query != NULL)
    {
      query_len = strlen (query);
      bound += 3 * query_len + query_len + 2;
      for (gsize i = 0; i < query_len; i++)
        max_entries += query[i] == '&';
      max_entries++;
    }
  for (gsize i = 0; i < n_body; i++)
    {
      BhParam *param = g_ptr_array_index (request->body, i);

      bound += 3 * (strlen (param->name) + strlen (param->value)) + 2;
    }
  for (gsize i = 0; i < n_extra; i++)
    {
      BhParam *param = g_ptr_array_index (request->oauth_extra, i);

      if (!g_str_has_prefix (param->name, "oauth_") ||
          is_builtin_protocol_param (param->name))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” cannot be added as an extra OAuth parameter."),
                       param->name);
          return NULL;
        }
      bound += 3 * (strlen (param->name) + strlen (param->value)) + 2;
    }
  bound += 3 * (strlen (credentials->consumer_key) + strlen (nonce) +
                (credentials->token ? strlen (credentials->token) : 0)) +
           128 + 6 * 2;

  if (max_entries <= N_STACK_ENTRIES)
    c.entries = stack_entries;
  else
    c.entries = heap_entries = g_new (Entry, max_entries);

  /* The query's decoded bytes go in a scratch area after the arena. */
  arena_size = bound + query_len + 1;
  arena_block = g_malloc (arena_size);
  c.arena = c.pos = arena_block;

  if (query != NULL &&
      !collect_query (&c, query, query_len, arena_block + bound, error))
    goto out;

  for (gsize i = 0; i < n_body; i++)
    {
      BhParam *param = g_ptr_array_index (request->body, i);

      collect (&c, param->name, param->value, FALSE);
    }
  for (gsize i = 0; i < n_extra; i++)
    {
      BhParam *param = g_ptr_array_index (request->oauth_extra, i);

      collect (&c, param->name, param->value, TRUE);
    }
  collect (&c, "oauth_consumer_key", credentials->consumer_key, TRUE);
  collect (&c, "oauth_nonce", nonce, TRUE);
  collect (&c, "oauth_signature_method", "HMAC-SHA1", TRUE);
  collect (&c, "oauth_timestamp", timestamp, TRUE);
  if (credentials->token != NULL)
    collect (&c, "oauth_token", credentials->token, TRUE);
  collect (&c, "oauth_version", "1.0", TRUE);

  g_assert (c.n_entries <= max_entries);
  g_assert ((gsize) (c.pos - c.arena) <= bound);

  /* Count escapes in the arena: each '%' becomes "%25" in the base string. */
  for (const char *p = c.arena; p < c.pos; p++)
    c.n_escapes += *p == '%';

  sort_entries (c.entries, c.n_entries);

  /* Measure the base string exactly, then write it once. */
  method_len = strlen (request->method);
  base_uri_enc_len = enc_len (base_uri, strlen (base_uri), NULL);
  params_len = 0;
  for (gsize i = 0; i < c.n_entries; i++)
    params_len += c.entries[i].name_len + 1 + c.entries[i].value_len;
  params_len += c.n_entries - 1;
  /* '=' and '&' become %3D and %26, '%' becomes %25 */
  base_len = 3 * method_len + 1 + base_uri_enc_len + 1 +
             params_len + 2 * (c.n_entries + c.n_entries - 1) + 2 * c.n_escapes;

  b = base = g_malloc (base_len + 1);
  for (gsize i = 0; i < method_len; i++)
    {
      char m = g_ascii_toupper (request->method[i]);

      b = enc_write (b, &m, 1);
    }
  *b++ = '&';
  b = enc_write (b, base_uri, strlen (base_uri));
  *b++ = '&';
  for (gsize i = 0; i < c.n_entries; i++)
    {
      const Entry *e = &c.entries[i];

      if (i > 0)
        {
          memcpy (b, "%26", 3);
          b += 3;
        }
      /* The parameter string is encoded once more in the base string. */
      b = enc_write (b, e->name, e->name_len);
      memcpy (b, "%3D", 3);
      b += 3;
      b = enc_write (b, e->value, e->value_len);
    }
  *b = '\0';
  base_len = b - base;

  if (param_string != NULL)
    {
      char *ps = g_malloc (params_len + 1), *q = ps;

      for (gsize i = 0; i < c.n_entries; i++)
        {
          const Entry *e = &c.entries[i];

          if (i > 0)
            *q++ = '&';
          memcpy (q, e->name, e->name_len);
          q += e->name_len;
          *q++ = '=';
          memcpy (q, e->value, e->value_len);
          q += e->value_len;
        }
      *q = '\0';
      *param_string = ps;
    }

  hmac_sha1_b64 (credentials->consumer_secret, credentials->token_secret,
                 base, base_len, sig);

  /* The header: the protocol parameters in sorted order, with
   * oauth_signature in its place among them. */
  sig_enc_len = enc_len (sig, SHA1_B64_LEN, NULL);
  header_len = strlen ("OAuth ") + strlen ("oauth_signature=\"\"") + sig_enc_len;
  for (gsize i = 0; i < c.n_entries; i++)
    if (c.entries[i].header)
      header_len += 2 + c.entries[i].name_len + 3 + c.entries[i].value_len;

  h = header = g_malloc (header_len + 1);
  memcpy (h, "OAuth ", 6);
  h += 6;
  for (gsize i = 0; i <= c.n_entries; i++)
    {
      const Entry *e = i < c.n_entries ? &c.entries[i] : NULL;

      if (e != NULL && !e->header)
        continue;

      if (!sig_written && (e == NULL || strcmp (e->name, "oauth_signature") > 0))
        {
          if (h != header + 6)
            {
              memcpy (h, ", ", 2);
              h += 2;
            }
          memcpy (h, "oauth_signature=\"", 17);
          h = enc_write (h + 17, sig, SHA1_B64_LEN);
          *h++ = '"';
          sig_written = TRUE;
        }

      if (e == NULL)
        break;

      if (h != header + 6)
        {
          memcpy (h, ", ", 2);
          h += 2;
        }
      memcpy (h, e->name, e->name_len);
      h += e->name_len;
      memcpy (h, "=\"", 2);
      h += 2;
      memcpy (h, e->value, e->value_len);
      h += e->value_len;
      *h++ = '"';
    }
  *h = '\0';
  g_assert ((gsize) (h - header) == header_len);

  if (base_string != NULL)
    *base_string = g_steal_pointer (&base);

  ok = TRUE;

out:
  /* The body may carry a token (invalidate_token): leave no copy behind. */
  bh_secret_wipe (arena_block, arena_size);
  g_free (arena_block);
  if (base != NULL)
    {
      bh_secret_wipe (base, base_len);
      g_free (base);
    }

  return ok ? header : NULL;
}
