/* bh-test-utils.c
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

#include <string.h>
#include <libsecret/secret.h>

#include "bh-test-utils.h"

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
bh_test_wait_for_flag (const gboolean *flag,
                       guint           timeout_seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_seconds, timeout_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  g_assert_false (timed_out);
}

void
bh_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

GAsyncResult *
bh_test_wait_for_result (GAsyncResult **result,
                         guint          timeout_seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_seconds, timeout_cb, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  g_assert_false (timed_out);
  return *result;
}

char *
bh_test_screenshot_path (const char *name)
{
  const char *dir = g_getenv ("BH_SCREENSHOT_DIR");

  if (dir == NULL)
    dir = g_get_tmp_dir ();

  g_mkdir_with_parents (dir, 0755);
  return g_build_filename (dir, name, NULL);
}

gboolean
bh_test_dir_contains (const char *dir,
                      const char *needle,
                      const char *skip_substring,
                      char      **found_path)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;

  if (d == NULL)
    return FALSE;

  while ((entry = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, entry, NULL);

      if (skip_substring != NULL && strstr (path, skip_substring) != NULL)
        continue;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (bh_test_dir_contains (path, needle, skip_substring, found_path))
            return TRUE;
        }
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *contents = NULL;
          gsize len = 0;

          if (g_file_get_contents (path, &contents, &len, NULL) &&
              memmem (contents, len, needle, strlen (needle)) != NULL)
            {
              if (found_path != NULL)
                *found_path = g_steal_pointer (&path);
              return TRUE;
            }
        }
    }

  return FALSE;
}

/* Log capture */

G_LOCK_DEFINE_STATIC (captured);
static GString *captured;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  G_LOCK (captured);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") != 0 &&
          g_strcmp0 (fields[i].key, "MESSAGE") != 0)
        continue;

      if (fields[i].length < 0)
        g_string_append (captured, fields[i].value);
      else
        g_string_append_len (captured, fields[i].value, fields[i].length);
      g_string_append_c (captured, ' ');
    }
  g_string_append_c (captured, '\n');
  G_UNLOCK (captured);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
bh_test_capture_logs (void)
{
  g_assert_null (captured);

  captured = g_string_new (NULL);
  /* As G_MESSAGES_DEBUG=all would: what a person pastes into a bug
   * report is what must hold no secret. */
  g_log_set_debug_enabled (TRUE);
  /* Standard output is the TAP stream meson reads: the messages printed
   * as usual go to standard error, next to the test's own diagnostics. */
  g_log_writer_default_set_use_stderr (TRUE);
  g_log_set_writer_func (capture_writer, NULL, NULL);
}

char *
bh_test_take_logs (void)
{
  char *text;

  g_assert_nonnull (captured);

  G_LOCK (captured);
  text = g_string_free (captured, FALSE);
  captured = g_string_new (NULL);
  G_UNLOCK (captured);

  return text;
}

void
bh_test_assert_no_controls (const char *text)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f));
      g_assert_false (c == 0x061c || c == 0x200e || c == 0x200f);
      g_assert_false (c >= 0x202a && c <= 0x202e);
      g_assert_false (c >= 0x2066 && c <= 0x2069);
    }
}

gboolean
bh_test_file_backend (void)
{
  return g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0;
}

void
bh_test_skip (gconstpointer reason)
{
  g_test_skip (reason);
}

void
bh_test_lock_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  GList *objects;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "UpdateActivationEnvironment",
                                       g_variant_new_parsed ("({'DISPLAY': ':4242', 'WAYLAND_DISPLAY': 'none-4242'},)"),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  objects = g_list_append (NULL, collection);
  g_assert_cmpint (secret_service_lock_sync (service, objects, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_list_free (objects);
  g_assert_true (secret_collection_get_locked (collection));
}
