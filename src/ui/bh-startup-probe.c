/* bh-startup-probe.c
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

#include "bh-startup-probe.h"

gboolean
bh_startup_probe_enabled (void)
{
  return g_getenv ("BH_STARTUP_PROBE") != NULL;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, user_data);
  g_print ("BH_STARTUP_PROBE mapped=%" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
}

static gboolean
store_loaded (BhStore *store)
{
  gboolean loaded = FALSE;

  g_object_get (store, "loaded", &loaded, NULL);
  return loaded;
}

static void
store_loaded_cb (BhStore *store)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
  guint n_accounts = 0;

  if (!store_loaded (store))
    return;

  g_signal_handlers_disconnect_by_func (store, store_loaded_cb, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhApp) app = g_list_model_get_item (G_LIST_MODEL (store), i);

      n_accounts += g_list_model_get_n_items (bh_app_get_accounts (app));
    }

  g_print ("BH_STARTUP_PROBE listed=%" G_GINT64_FORMAT " apps=%u accounts=%u\n",
           g_get_monotonic_time (), n, n_accounts);
}

static void
window_map_cb (GtkWidget *window,
               BhStore   *store)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_handlers_disconnect_by_func (window, window_map_cb, store);

  if (store_loaded (store))
    store_loaded_cb (store);
  else
    g_signal_connect (store, "notify::loaded", G_CALLBACK (store_loaded_cb), NULL);

  if (clock != NULL)
    g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
}

/**
 * bh_startup_probe_watch:
 * @window: the main window, not mapped yet
 * @store: the store it lists
 *
 * Prints when @window first paints and when @store has listed its
 * records (see bh-startup-probe.h). Does nothing unless
 * bh_startup_probe_enabled().
 */
void
bh_startup_probe_watch (GtkWindow *window,
                        BhStore   *store)
{
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (BH_IS_STORE (store));

  if (!bh_startup_probe_enabled ())
    return;

  /* The store lives as long as the application, past the window. */
  g_signal_connect_object (window, "map", G_CALLBACK (window_map_cb), store, 0);
}
