/* bh-import-dialog.c
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

#include "bh-import-dialog.h"

#include <string.h>
#include <glib/gi18n.h>

#include "bh-import.h"
#include "bh-window.h"

/*
 * Moving twurl's and xurl's credentials into the keyring: the files and
 * what they hold, an Import that checks everything with X and stores it,
 * and — separately confirmed, once every credential of a file is in the
 * keyring — overwriting and removing the plaintext files.
 */

struct _BhImportDialog
{
  AdwWindow     parent_instance;

  GPtrArray    *imports;      /* BhImport, loaded */
  guint         current;      /* the one being worked on */
  GCancellable *cancellable;

  /* Template children */
  GtkButton    *import_button;
  GtkButton    *remove_button;
  GtkSpinner   *spinner;
  AdwEntryRow  *api_host_row;
  GtkSwitch    *keep_switch;
  GtkBox       *files_box;
  GtkLabel     *status_label;
};

G_DEFINE_FINAL_TYPE (BhImportDialog, bh_import_dialog, ADW_TYPE_WINDOW)

/* One group per file: its path, then one row per thing it holds. */
static void
show_files (BhImportDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->files_box))) != NULL)
    gtk_box_remove (self->files_box, child);

  for (guint i = 0; i < self->imports->len; i++)
    {
      BhImport *import = g_ptr_array_index (self->imports, i);
      GPtrArray *items = bh_import_get_items (import);
      g_autofree char *path = g_file_get_parse_name (bh_import_get_file (import));
      GtkWidget *group = adw_preferences_group_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), path);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                             bh_import_get_source (import) == BH_IMPORT_SOURCE_TWURL
                                             ? _("twurl’s credentials") : _("xurl’s credentials"));
      for (guint j = 0; items != NULL && j < items->len; j++)
        {
          const BhImportItem *item = g_ptr_array_index (items, j);
          g_autofree char *what = bh_import_item_what (item);
          g_autofree char *outcome = bh_import_item_outcome (item);
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), what);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), outcome);
          adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        }
      gtk_box_append (self->files_box, group);
    }
}

static void
set_busy (BhImportDialog *self,
          gboolean        busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->import_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->api_host_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->keep_switch), !busy);
}

static void
show_status (BhImportDialog *self,
             const char     *text)
{
  gtk_label_set_label (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static gboolean
all_stored (BhImportDialog *self)
{
  for (guint i = 0; i < self->imports->len; i++)
    if (!bh_import_all_stored (g_ptr_array_index (self->imports, i)))
      return FALSE;
  return TRUE;
}

/* Importing: each file checked, then stored, one after the other. */

static void import_next (BhImportDialog *self);

static void
import_done (BhImportDialog *self,
             const GError   *error)
{
  set_busy (self, FALSE);
  show_files (self);

  if (error != NULL)
    {
      show_status (self, error->message);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->import_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button), all_stored (self));
  show_status (self, all_stored (self)
                     ? _("Everything these files hold is in the keyring now. They can be removed.")
                     : _("Not everything these files hold is in the keyring, so they are kept."));
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BhImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bh_import_store_finish (BH_IMPORT (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        import_done (self, error);
      return;
    }
  self->current++;
  import_next (self);
}

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BhImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bh_import_check_finish (BH_IMPORT (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        import_done (self, error);
      return;
    }
  bh_import_store_async (BH_IMPORT (source), gtk_switch_get_active (self->keep_switch),
                         self->cancellable, store_cb, g_object_ref (self));
}

static void
import_next (BhImportDialog *self)
{
  BhImport *import;

  if (self->current >= self->imports->len)
    {
      import_done (self, NULL);
      return;
    }

  import = g_ptr_array_index (self->imports, self->current);
  bh_import_check_async (import, self->cancellable, check_cb, g_object_ref (self));
}

static void
on_import_clicked (BhImportDialog *self)
{
  g_autofree char *api_host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->api_host_row))));

  for (guint i = 0; i < self->imports->len; i++)
    bh_import_set_api_host (g_ptr_array_index (self->imports, i), api_host[0] != '\0' ? api_host : NULL);

  show_status (self, NULL);
  set_busy (self, TRUE);
  self->current = 0;
  import_next (self);
}

/* Removing the plaintext, confirmed apart. */

static void remove_next (BhImportDialog *self);

static void
remove_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BhImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bh_import_remove_plaintext_finish (BH_IMPORT (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_busy (self, FALSE);
          show_status (self, error->message);
        }
      return;
    }
  self->current++;
  remove_next (self);
}

static void
remove_next (BhImportDialog *self)
{
  if (self->current >= self->imports->len)
    {
      set_busy (self, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->remove_button), FALSE);
      show_status (self, _("The files were overwritten and removed. The credentials are in the keyring."));
      return;
    }

  bh_import_remove_plaintext_async (g_ptr_array_index (self->imports, self->current),
                                    self->cancellable, remove_cb, g_object_ref (self));
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    BhImportDialog   *self)
{
  if (g_strcmp0 (response, "remove") != 0)
    return;

  set_busy (self, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button), FALSE);
  self->current = 0;
  remove_next (self);
}

static void
on_remove_clicked (BhImportDialog *self)
{
  g_autoptr(GString) paths = g_string_new (NULL);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  for (guint i = 0; i < self->imports->len; i++)
    {
      g_autofree char *path = g_file_get_parse_name (bh_import_get_file (g_ptr_array_index (self->imports, i)));

      g_string_append_printf (paths, "%s%s", i > 0 ? "\n" : "", path);
    }

  /* Translators: %s is one or more file paths, one a line */
  body = g_strdup_printf (_("%s\n\nEach file is overwritten and removed; no copy is kept. "
                            "twurl and xurl will need their credentials again, for "
                            "example from “birdhouse exec”."),
                          paths->str);
  dialog = bh_window_confirm_dialog (GTK_WINDOW (self), _("Remove the Plaintext Files?"), body,
                                     "remove", _("_Remove"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_close_clicked (BhImportDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
bh_import_dialog_dispose (GObject *object)
{
  BhImportDialog *self = BH_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (bh_import_dialog_parent_class)->dispose (object);
}

static void
bh_import_dialog_finalize (GObject *object)
{
  BhImportDialog *self = BH_IMPORT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->imports, g_ptr_array_unref);

  G_OBJECT_CLASS (bh_import_dialog_parent_class)->finalize (object);
}

static void
bh_import_dialog_class_init (BhImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bh_import_dialog_dispose;
  object_class->finalize = bh_import_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/birdhouse/Birdhouse/bh-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BhImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, BhImportDialog, remove_button);
  gtk_widget_class_bind_template_child (widget_class, BhImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, BhImportDialog, api_host_row);
  gtk_widget_class_bind_template_child (widget_class, BhImportDialog, keep_switch);
  gtk_widget_class_bind_template_child (widget_class, BhImportDialog, files_box);
  gtk_widget_class_bind_template_child (widget_class, BhImportDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bh_import_dialog_init (BhImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * bh_import_dialog_new:
 * @parent: the window
 * @imports: (element-type BhImport): loaded imports, one per file
 *
 * Returns: (transfer floating): the dialog, to present
 */
GtkWidget *
bh_import_dialog_new (GtkWindow *parent,
                      GPtrArray *imports)
{
  BhImportDialog *self = g_object_new (BH_TYPE_IMPORT_DIALOG,
                                       "transient-for", parent,
                                       NULL);

  self->imports = g_ptr_array_ref (imports);
  show_files (self);
  return GTK_WIDGET (self);
}

/* Choosing a file: what Flatpak users do, whose home the sandbox hides
 * (the file chooser portal hands over the one file picked). */

typedef struct
{
  GtkWindow      *parent;
  BhStore        *store;
  GFile          *file;
  BhImportSource  source;
} Choice;

static void
choice_free (Choice *choice)
{
  g_clear_object (&choice->parent);
  g_clear_object (&choice->store);
  g_clear_object (&choice->file);
  g_free (choice);
}

static void load_chosen (Choice *choice);

static void
chosen_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Choice *choice = user_data;
  g_autoptr(BhImport) import = BH_IMPORT (g_object_ref (source));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imports = NULL;

  if (!bh_import_load_finish (import, result, &error))
    {
      /* Not twurl's? Then perhaps xurl's, whatever the file is called. */
      if (choice->source == BH_IMPORT_SOURCE_TWURL &&
          g_error_matches (error, BH_IMPORT_ERROR, BH_IMPORT_ERROR_WRONG_TOOL))
        {
          choice->source = BH_IMPORT_SOURCE_XURL;
          load_chosen (choice);
          return;
        }
      bh_window_show_error (GTK_WIDGET (choice->parent), _("The File Could Not Be Imported"), error);
      choice_free (choice);
      return;
    }

  imports = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (imports, g_steal_pointer (&import));
  gtk_window_present (GTK_WINDOW (bh_import_dialog_new (choice->parent, imports)));
  choice_free (choice);
}

static void
load_chosen (Choice *choice)
{
  g_autoptr(BhImport) import = bh_import_new (choice->store, choice->source, choice->file, NULL);

  bh_import_load_async (import, NULL, chosen_loaded_cb, choice);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     Choice          *choice)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *name = NULL;

      choice->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      name = g_file_get_basename (choice->file);
      choice->source = strstr (name, "xurl") != NULL ? BH_IMPORT_SOURCE_XURL : BH_IMPORT_SOURCE_TWURL;
      load_chosen (choice);
    }
  else
    choice_free (choice);

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/**
 * bh_import_dialog_choose_file:
 * @parent: the window
 * @store: the store to import into
 *
 * Asks for a twurl or xurl file (through the file chooser portal inside
 * Flatpak), then shows the import dialog for it.
 */
void
bh_import_dialog_choose_file (GtkWindow *parent,
                              BhStore   *store)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());
  Choice *choice = g_new0 (Choice, 1);

  choice->parent = g_object_ref (parent);
  choice->store = g_object_ref (store);

  /* GtkFileDialog replaces this from GTK 4.10; 4.8 is the floor. */
  chooser = gtk_file_chooser_native_new (_("Import from twurl or xurl"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), home, NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), choice);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
