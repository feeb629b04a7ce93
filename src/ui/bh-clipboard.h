/* bh-clipboard.h
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

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Puts @secret on @widget's clipboard, marked with the
 * x-kde-passwordManagerHint "secret" so that clipboard managers which honour
 * it do not keep it, tells the user in a toast (@copied_sentence, a whole
 * translated sentence such as "Access token copied.", followed by when the
 * clipboard is cleared) and clears the clipboard after the GSettings
 * "clipboard-clear-timeout" — only if it still holds what Birdhouse put
 * there. The copy held by the clipboard is wiped when it is released. */
void     bh_clipboard_copy_secret      (GtkWidget  *widget,
                                        const char *secret,
                                        const char *copied_sentence);

/* Puts @text (not a secret) on the clipboard, with @toast (a whole
 * translated text such as "Link copied") when it is not NULL; never
 * cleared. */
void     bh_clipboard_copy_text        (GtkWidget  *widget,
                                        const char *text,
                                        const char *toast);

/* Seconds after which a copied secret is cleared (from GSettings). */
guint    bh_clipboard_get_clear_timeout (void);

G_END_DECLS
