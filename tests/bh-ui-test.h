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
/* Matchers: a GtkButton's label, an AdwPreferencesRow's title, a
 * GtkLabel's text, an AdwStatusPage's title, a GtkWidget's tooltip. */
gboolean   bh_ui_button_label_is   (GtkWidget *widget, gconstpointer label);
gboolean   bh_ui_row_title_is      (GtkWidget *widget, gconstpointer title);
gboolean   bh_ui_label_is          (GtkWidget *widget, gconstpointer text);
gboolean   bh_ui_status_title_is   (GtkWidget *widget, gconstpointer title);
gboolean   bh_ui_has_class         (GtkWidget *widget, gconstpointer css_class);
gboolean   bh_ui_tooltip_is        (GtkWidget *widget, gconstpointer tooltip);

/* Finds a required widget or fails the test naming what was missing. */
GtkWidget *bh_ui_get               (GtkWidget     *root,
                                    GType          type,
                                    BhWidgetMatch  match,
                                    gconstpointer  data);

/* Clicks a visible, sensitive button. */
void       bh_ui_click             (GtkWidget     *button);

/* The first toplevel of @type (a dialog), or NULL. */
GtkWindow *bh_ui_find_toplevel     (GType          type);

/* Iterates the main loop until @condition (@data) is TRUE; fails the test
 * after @timeout_s seconds. */
void       bh_ui_wait              (gboolean     (*condition) (gpointer data),
                                    gpointer       data,
                                    guint          timeout_s);
/* Iterates the main loop for about @ms milliseconds. */
void       bh_ui_spin              (guint          ms);

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

/* Paints @widget's window into $BH_SCREENSHOT_DIR/@name. */
void       bh_ui_screenshot        (GtkWidget     *widget,
                                    const char    *name);

G_END_DECLS
