/* bh-ui-test.h
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

#include <adwaita.h>

#include "bh-app-page.h"
#include "bh-application.h"
#include "bh-window.h"

G_BEGIN_DECLS

typedef gboolean (*BhWidgetMatch) (GtkWidget *widget, gconstpointer data);

/* The first widget of @type under @root (depth first, @root included) that
 * @match accepts (any when @match is NULL). */
GtkWidget *bh_ui_find              (GtkWidget     *root,
                                    GType          type,
                                    BhWidgetMatch  match,
                                    gconstpointer  data);
/* Matchers: a GtkButton's label (as written, mnemonic included), its
 * text (what shows: "_Save" is "Save"), an AdwPreferencesRow's title, a
 * GtkLabel's text, an AdwStatusPage's title, a CSS class, a GtkWidget's
 * tooltip, and its accessible label (what a screen reader reads, not the
 * tooltip). */
gboolean   bh_ui_button_label_is   (GtkWidget *widget, gconstpointer label);
gboolean   bh_ui_button_text_is    (GtkWidget *widget, gconstpointer text);
gboolean   bh_ui_row_title_is      (GtkWidget *widget, gconstpointer title);
gboolean   bh_ui_label_is          (GtkWidget *widget, gconstpointer text);
gboolean   bh_ui_status_title_is   (GtkWidget *widget, gconstpointer title);
gboolean   bh_ui_has_class         (GtkWidget *widget, gconstpointer css_class);
gboolean   bh_ui_tooltip_is        (GtkWidget *widget, gconstpointer tooltip);
gboolean   bh_ui_accessible_label_is (GtkWidget *widget, gconstpointer label);

/* Finds a required widget or fails the test naming what was missing. */
GtkWidget *bh_ui_get               (GtkWidget     *root,
                                    GType          type,
                                    BhWidgetMatch  match,
                                    gconstpointer  data);

/* The button under @root that shows @name (bh_ui_button_text_is) or, for
 * an icon button, is named @name for screen readers; fails the test when
 * there is none. */
GtkWidget *bh_ui_get_button        (GtkWidget     *root,
                                    const char    *name);

/* Types @text into the entry row titled @title under @root. */
void       bh_ui_set_row_text      (GtkWidget     *root,
                                    const char    *title,
                                    const char    *text);
/* The subtitle of the action row titled @title under @root. */
const char *bh_ui_row_subtitle     (GtkWidget     *root,
                                    const char    *title);

/* The main window's App page. */
BhAppPage *bh_ui_get_app_page      (BhWindow      *window);

/* The text on @clipboard (newly allocated; it may be a secret: free it
 * with bh_secret_clear()), or NULL. */
char      *bh_ui_read_clipboard    (GdkClipboard  *clipboard);

/* Clicks a visible, sensitive button: "clicked" at once. */
void       bh_ui_click             (GtkWidget     *button);
/* Activates a mapped, sensitive button as the keyboard does, and waits for
 * its "clicked" (GTK shows the press for a moment first). */
void       bh_ui_activate          (GtkWidget     *button);

/* The first toplevel of @type (a dialog), or NULL. */
GtkWindow *bh_ui_find_toplevel     (GType          type);

/* Iterates the main loop until @condition (@data) is TRUE; fails the test
 * after @timeout_s seconds. */
void       bh_ui_wait              (gboolean     (*condition) (gpointer data),
                                    gpointer       data,
                                    guint          timeout_s);
/* Iterates the main loop for about @ms milliseconds. */
void       bh_ui_spin              (guint          ms);
/* Dispatches what is pending on the main loop, without waiting. */
void       bh_ui_flush             (void);

/* Iterates the main loop until @expr holds, polling; fails the test naming
 * @expr after @timeout_s seconds. For conditions no event announces
 * (bh_ui_wait() sleeps until one comes). */
#define BH_UI_WAIT_UNTIL(expr, timeout_s) G_STMT_START {                     \
    gint64 bh_deadline_ = g_get_monotonic_time () + (timeout_s) * G_USEC_PER_SEC; \
    while (!(expr))                                                          \
      {                                                                      \
        if (g_get_monotonic_time () > bh_deadline_)                          \
          g_error ("Timed out waiting for: %s", #expr);                      \
        g_main_context_iteration (NULL, FALSE);                              \
        g_usleep (2000);                                                     \
      }                                                                      \
  } G_STMT_END

/* Conditions for bh_ui_wait(): @widget is mapped; the store (a GListModel)
 * is empty; an AdwMessageDialog is shown; a BhAppPage is not busy; a
 * GdkClipboard holds something, or nothing (no text either). */
gboolean   bh_ui_widget_mapped     (gpointer       widget);
gboolean   bh_ui_model_is_empty    (gpointer       model);
gboolean   bh_ui_message_dialog_shown (gpointer    unused);
gboolean   bh_ui_app_page_idle     (gpointer       page);
gboolean   bh_ui_clipboard_has_content (gpointer   clipboard);
gboolean   bh_ui_clipboard_is_empty (gpointer      clipboard);

/* Iterates the main loop until bh_ui_find() finds a widget, and returns
 * it; fails the test after @timeout_s seconds. */
GtkWidget *bh_ui_wait_for          (GtkWidget     *root,
                                    GType          type,
                                    BhWidgetMatch  match,
                                    gconstpointer  data,
                                    guint          timeout_s);

/* Iterates the main loop until the window of @widget is mapped and has
 * drawn a frame. */
void       bh_ui_wait_for_paint    (GtkWidget     *widget);

/* Starts a BhApplication and its window; waits until the window is mapped
 * and the store is loaded. */
BhApplication *bh_ui_start_app     (BhWindow     **window);
void       bh_ui_stop_app          (BhApplication *app);

/* Destroys every toplevel but @window (the dialogs a test left open),
 * then removes every App of @store with its accounts and secrets, and
 * waits until it is empty: the next test starts from nothing. */
void       bh_ui_clean_up          (BhWindow      *window,
                                    BhStore       *store);

/* Paints @widget's window into $BH_SCREENSHOT_DIR/@name. */
void       bh_ui_screenshot        (GtkWidget     *widget,
                                    const char    *name);

/* Runs tests/check-atspi.py on this process: what a screen reader meets
 * over AT-SPI. Every button named (and not by its class name), and none
 * of @secrets (NULL-terminated; given on stdin, never in argv) in a name
 * or description. Fails the test on a finding. */
void       bh_ui_check_atspi       (const char * const *secrets);

G_END_DECLS
