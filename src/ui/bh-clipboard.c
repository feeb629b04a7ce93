/* bh-clipboard.c
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

#include "bh-clipboard.h"

#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "bh-secret.h"
#include "bh-window.h"

/* KDE's Klipper, GPaste and others skip content offered with this type. */
#define PASSWORD_MANAGER_HINT "x-kde-passwordManagerHint"

typedef struct
{
  GWeakRef clipboard;
  GWeakRef provider;
} ClearData;

static void
clear_data_free (gpointer data)
{
  ClearData *cd = data;

  g_weak_ref_clear (&cd->clipboard);
  g_weak_ref_clear (&cd->provider);
  g_free (cd);
}

static gboolean
clear_timeout_cb (gpointer user_data)
{
  ClearData *cd = user_data;
  g_autoptr(GdkClipboard) clipboard = g_weak_ref_get (&cd->clipboard);
  g_autoptr(GdkContentProvider) provider = g_weak_ref_get (&cd->provider);

  /* Only take back what is still ours: when the user copied something else
   * meanwhile (here or in another program) the clipboard no longer holds
   * our provider, and clearing it would destroy their copy. */
  if (clipboard != NULL && provider != NULL &&
      gdk_clipboard_is_local (clipboard) &&
      gdk_clipboard_get_content (clipboard) == provider)
    {
      g_debug ("Clearing a copied secret from the clipboard");
      gdk_clipboard_set_content (clipboard, NULL);
    }

  return G_SOURCE_REMOVE;
}

guint
bh_clipboard_get_clear_timeout (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  return MAX (1, g_settings_get_uint (settings, "clipboard-clear-timeout"));
}

static void
show_toast (GtkWidget  *widget,
            const char *text)
{
  BhWindow *window = bh_window_get_for_widget (widget);

  if (window != NULL)
    bh_window_add_toast (window, adw_toast_new (text));
}

void
bh_clipboard_copy_secret (GtkWidget  *widget,
                          const char *secret,
                          const char *copied_sentence)
{
  GdkClipboard *clipboard;
  g_autoptr(GBytes) text = NULL;
  g_autoptr(GBytes) hint = NULL;
  g_autoptr(GdkContentProvider) provider = NULL;
  GdkContentProvider *providers[3];
  ClearData *cd;
  guint timeout;
  gsize len;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (secret != NULL);

  clipboard = gtk_widget_get_clipboard (widget);
  len = strlen (secret);

  /* The clipboard keeps its own copy; it is wiped when the clipboard lets
   * go of the provider. */
  text = bh_secret_bytes_new_take (g_memdup2 (secret, len + 1), len);
  hint = g_bytes_new_static ("secret", strlen ("secret"));

  providers[0] = gdk_content_provider_new_for_bytes ("text/plain;charset=utf-8", text);
  providers[1] = gdk_content_provider_new_for_bytes ("text/plain", text);
  providers[2] = gdk_content_provider_new_for_bytes (PASSWORD_MANAGER_HINT, hint);
  provider = gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));

  gdk_clipboard_set_content (clipboard, provider);

  timeout = bh_clipboard_get_clear_timeout ();
  cd = g_new0 (ClearData, 1);
  g_weak_ref_init (&cd->clipboard, clipboard);
  g_weak_ref_init (&cd->provider, provider);
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, timeout,
                              clear_timeout_cb, cd, clear_data_free);

  if (copied_sentence != NULL)
    {
      g_autofree char *cleared = NULL;
      g_autofree char *message = NULL;

      /* Translators: %u is a number of seconds. */
      cleared = g_strdup_printf (ngettext ("The clipboard will be cleared in %u second.",
                                           "The clipboard will be cleared in %u seconds.",
                                           timeout),
                                 timeout);
      /* Translators: two sentences in a row: the first says what was
       * copied (“Access token copied.”), the second when the clipboard is
       * cleared. Change the order or the space between them if your
       * language needs it. */
      message = g_strdup_printf (C_("two sentences", "%s %s"), copied_sentence, cleared);
      show_toast (widget, message);
    }
}

void
bh_clipboard_copy_text (GtkWidget  *widget,
                        const char *text,
                        const char *toast)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (text != NULL);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);

  if (toast != NULL)
    show_toast (widget, toast);
}
