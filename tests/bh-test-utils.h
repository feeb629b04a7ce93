/* bh-test-utils.h
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

G_BEGIN_DECLS

/* Iterates the default main context until *flag is TRUE, failing the test
 * after @timeout_seconds. */
void      bh_test_wait_for_flag    (const gboolean *flag,
                                    guint           timeout_seconds);

/* Iterates the default main context until @result is set (by
 * bh_test_store_result used as the GAsyncReadyCallback). */
void      bh_test_store_result     (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data);
GAsyncResult *bh_test_wait_for_result (GAsyncResult **result,
                                       guint          timeout_seconds);

/* Where screenshots go ($BH_SCREENSHOT_DIR), created on demand. */
char     *bh_test_screenshot_path  (const char *name);

/* TRUE when any regular file under @dir (recursively) contains @needle,
 * skipping paths that contain @skip_substring (nullable). */
/* Fails unless @text is valid UTF-8 without C0/C1 controls or the
 * bidirectional marks that would reorder a terminal line or a label. */
void      bh_test_assert_no_controls (const char *text);

/* TRUE when the session gives libsecret its file backend, as a Flatpak
 * has (`meson test --setup flatpak`): no Secret Service, no collections,
 * nothing that can be locked. */
gboolean  bh_test_file_backend     (void);

#define BH_TEST_FILE_BACKEND_NO_LOCK \
  "libsecret's file backend (a Flatpak's keyring) has no locked state: it is unlocked through the Secret portal or not opened at all"

/* A test function that skips with @reason (a string), so that a test that
 * makes no sense on one keyring backend says why in the TAP output. */
void      bh_test_skip             (gconstpointer reason);

/* Locks the session's default keyring collection, and makes the unlock
 * prompt fail (gnome-keyring's prompter gets a display it cannot open)
 * rather than wait for a person. */
void      bh_test_lock_keyring     (void);

/* Keeps a copy of every message logged from now on, debug messages
 * included (they are enabled), and still prints them, on standard error
 * (standard output is the TAP stream). Call it
 * first in main(), before g_test_init(): a log writer can only be set
 * before anything is logged. */
void      bh_test_capture_logs     (void);

/* What was logged since the last call (or since bh_test_capture_logs()),
 * one message a line; the capture starts over. */
char     *bh_test_take_logs        (void);

gboolean  bh_test_dir_contains     (const char *dir,
                                    const char *needle,
                                    const char *skip_substring,
                                    char      **found_path);

G_END_DECLS
