/* bh-import-banner.c
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

#include "bh-import-banner.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bh-import.h"
#include "bh-import-dialog.h"
#include "bh-store.h"

/*
 * "Move these credentials into the keyring": shown at start when
 * ~/.twurlrc or ~/.xurl holds credentials Birdhouse does not keep yet,
 * with the button to the import dialog. Inside Flatpak the home folder is
 * not visible and the banner never shows; the window's menu offers to
 * pick the file instead.
 */

struct _BhImportBanner
{
  AdwBin        parent_instance;

  BhStore      *store;
  GCancellable *cancellable;
  GPtrArray    *found;      /* BhImport with credentials Birdhouse lacks */
  guint         pending;    /* files still being read */

  GtkRevealer  *revealer;
  GtkLabel     *label;
};

G_DEFINE_FINAL_TYPE (BhImportBanner, bh_import_banner, ADW_TYPE_BIN)

static void scan (BhImportBanner *self);

/* ~/.twurlrc rather than /home/someone/.twurlrc */
static char *
display_path (BhImport *import)
{
  g_autofree char *path = g_file_get_path (bh_import_get_file (import));
  const char *home = g_get_home_dir ();

  if (path != NULL && g_str_has_prefix (path, home) && path[strlen (home)] == '/')
    return g_strconcat ("~", path + strlen (home), NULL);
  return g_file_get_parse_name (bh_import_get_file (import));
}

static void
update (BhImportBanner *self)
{
  g_autoptr(GString) files = g_string_new (NULL);
  g_autofree char *text = NULL;
  guint n = 0;

  for (guint i = 0; i < self->found->len; i++)
    {
      BhImport *import = g_ptr_array_index (self->found, i);
      g_autofree char *path = display_path (import);

      n += bh_import_count_new (import);
      g_string_append_printf (files, "%s%s", i > 0 ? ", " : "", path);
    }

  if (n > 0)
    {
      /* Translators: %u is how many credentials Birdhouse does not keep
       * yet, %s one or more file names such as ~/.twurlrc */
      text = g_strdup_printf (ngettext ("Move these credentials into the keyring: %u credential that Birdhouse does not keep yet is in plain text in %s.",
                                        "Move these credentials into the keyring: %u credentials that Birdhouse does not keep yet are in plain text in %s.",
                                        n),
                              n, files->str);
      gtk_label_set_label (self->label, text);
    }
  gtk_revealer_set_reveal_child (self->revealer, n > 0);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BhImportBanner) self = user_data;
  g_autoptr(GError) error = NULL;

  if (bh_import_load_finish (BH_IMPORT (source), result, &error))
    {
      if (bh_import_count_new (BH_IMPORT (source)) > 0)
        g_ptr_array_add (self->found, g_object_ref (source));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
           !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("import banner: %s", error->message);

  if (--self->pending == 0)
    update (self);
}

static void
dialog_destroyed_cb (BhImportBanner *self)
{
  scan (self);
}

static void
import_clicked_cb (BhImportBanner *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = bh_import_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->found);

  /* Once the dialog closes, the files are looked at again. */
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_destroyed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
scan (BhImportBanner *self)
{
  static const BhImportSource sources[] = { BH_IMPORT_SOURCE_TWURL, BH_IMPORT_SOURCE_XURL };
  gboolean loaded = FALSE;

  /* The window has a banner on each of its pages; only the one shown
   * reads the files, and the other reads them when its page is shown. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  g_object_get (self->store, "loaded", &loaded, NULL);
  if (!loaded || self->pending > 0)
    return;

  /* A new list: an open dialog may hold the old one. */
  g_clear_pointer (&self->found, g_ptr_array_unref);
  self->found = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending = G_N_ELEMENTS (sources);
  for (gsize i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autofree char *path = bh_import_default_path (sources[i]);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(BhImport) import = bh_import_new (self->store, sources[i], file, NULL);

      bh_import_load_async (import, self->cancellable, loaded_cb, g_object_ref (self));
    }
}

static void
bh_import_banner_dispose (GObject *object)
{
  BhImportBanner *self = BH_IMPORT_BANNER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);

  G_OBJECT_CLASS (bh_import_banner_parent_class)->dispose (object);
}

static void
bh_import_banner_finalize (GObject *object)
{
  BhImportBanner *self = BH_IMPORT_BANNER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->found, g_ptr_array_unref);

  G_OBJECT_CLASS (bh_import_banner_parent_class)->finalize (object);
}

static void
bh_import_banner_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (bh_import_banner_parent_class)->map (widget);

  scan (BH_IMPORT_BANNER (widget));
}

static void
bh_import_banner_class_init (BhImportBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_import_banner_dispose;
  object_class->finalize = bh_import_banner_finalize;
  widget_class->map = bh_import_banner_map;
}

static void
bh_import_banner_init (BhImportBanner *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Import…"));

  self->cancellable = g_cancellable_new ();
  self->found = g_ptr_array_new_with_free_func (g_object_unref);

  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (box, "bh-banner");
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_xalign (self->label, 0.0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Import the credentials of twurl or xurl"), -1);
  g_signal_connect_object (button, "clicked", G_CALLBACK (import_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  gtk_box_append (GTK_BOX (box), button);
  gtk_revealer_set_child (self->revealer, box);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->revealer));
}

/**
 * bh_import_banner_new:
 * @store: the store; the files are looked at once it is loaded and
 *   the banner is shown
 *
 * Returns: (transfer floating): the banner
 */
GtkWidget *
bh_import_banner_new (BhStore *store)
{
  BhImportBanner *self = g_object_new (BH_TYPE_IMPORT_BANNER, NULL);

  self->store = g_object_ref (store);
  g_signal_connect_object (store, "notify::loaded", G_CALLBACK (scan), self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}
