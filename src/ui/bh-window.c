/* bh-window.c
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

#include <glib/gi18n.h>

#include "bh-window.h"

#include "bh-app-dialog.h"
#include "bh-app-page.h"
#include "bh-import-banner.h"
#include "bh-import-dialog.h"
#include "bh-app-row.h"
#include "bh-x-error.h"

struct _BhWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  BhStore              *store;
  GCancellable         *cancellable;
  GBinding             *title_binding;
  GBinding             *subtitle_binding;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *empty_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  GtkListBox           *app_list;
  AdwWindowTitle       *content_title;
  GtkBox               *empty_banner_slot;
  GtkBox               *content_banner_slot;
  BhAppPage            *app_page;
  GtkMenuButton        *empty_menu_button;
  GtkMenuButton        *sidebar_menu_button;
  GtkMenuButton        *app_menu_button;
  GMenuModel           *primary_menu;
  GMenuModel           *app_menu;

  gboolean              load_failed;
  /* The App last selected: its row is rebuilt when the list moves it (a
   * rename, here or by another process), and it is selected again. */
  BhApp                *last_selected;

  /* One keyring banner per place it can show in (empty state, App page). */
  GtkWidget            *banners[2];
};

G_DEFINE_FINAL_TYPE (BhWindow, bh_window, ADW_TYPE_APPLICATION_WINDOW)

static void set_store (BhWindow *self,
                       BhStore  *store);

BhWindow *
bh_window_new (BhApplication *application)
{
  BhWindow *self;

  g_return_val_if_fail (BH_IS_APPLICATION (application), NULL);

  self = g_object_new (BH_TYPE_WINDOW,
                       "application", application,
                       NULL);
  /* "application" is set after constructed(), so the store comes here. */
  set_store (self, bh_application_get_store (application));

  return self;
}

BhStore *
bh_window_get_store (BhWindow *self)
{
  g_return_val_if_fail (BH_IS_WINDOW (self), NULL);

  return self->store;
}

void
bh_window_add_toast (BhWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (BH_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

BhWindow *
bh_window_get_for_widget (GtkWidget *widget)
{
  GtkRoot *root;
  GtkWindow *window;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  if (!GTK_IS_WINDOW (root))
    return NULL;

  /* Dialogs are transient for the main window, sometimes through another
   * dialog. */
  for (window = GTK_WINDOW (root); window != NULL; window = gtk_window_get_transient_for (window))
    {
      if (BH_IS_WINDOW (window))
        return BH_WINDOW (window);
    }

  return NULL;
}

void
bh_window_show_error (GtkWidget    *any_widget_in_window,
                      const char   *heading,
                      const GError *error)
{
  GtkRoot *root;
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WIDGET (any_widget_in_window));
  g_return_if_fail (heading != NULL);
  g_return_if_fail (error != NULL);

  if (bh_error_is_cancelled (error))
    return;

  root = gtk_widget_get_root (any_widget_in_window);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * bh_window_confirm_dialog:
 * @parent: the window it belongs to
 * @heading: the question
 * @body: what follows if confirmed
 * @response_id: the id of the confirming response
 * @response_label: its button's label, with a mnemonic
 *
 * Returns: (transfer floating): the dialog
 */
AdwMessageDialog *
bh_window_confirm_dialog (GtkWindow  *parent,
                          const char *heading,
                          const char *body,
                          const char *response_id,
                          const char *response_label)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, body));

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    response_id, response_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, response_id, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

static void update_stack (BhWindow *self);

void
bh_window_show_load_error (BhWindow     *self,
                           const GError *error)
{
  g_return_if_fail (BH_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  /* Whatever went wrong, stop showing the loading page. */
  self->load_failed = TRUE;
  update_stack (self);

  /* A damaged file, or one over the limits (left as it is, not read):
   * the user has to know, and to act. */
  if (g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_RECORDS_DAMAGED) ||
      g_error_matches (error, BH_STORE_ERROR, BH_STORE_ERROR_LIMIT))
    bh_window_show_error (GTK_WIDGET (self), _("Birdhouse Could Not Read Its Records"), error);
  else if (!bh_error_is_cancelled (error))
    bh_window_add_toast (self, adw_toast_new (error->message));
}

/* Keyring banner */

static void
retry_clicked_cb (BhWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (BH_IS_APPLICATION (app))
    bh_application_reload_store (BH_APPLICATION (app));
}

static GtkWidget *
create_banner (BhWindow *self)
{
#if ADW_CHECK_VERSION (1, 3, 0)
  /* ADW_VERSION_MAX_ALLOWED (meson.build) marks 1.3 API as unavailable;
   * this block only builds where it is available. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkWidget *banner = adw_banner_new ("");

  adw_banner_set_button_label (ADW_BANNER (banner), _("_Retry"));
  g_signal_connect_object (banner, "button-clicked", G_CALLBACK (retry_clicked_cb), self, G_CONNECT_SWAPPED);
  return banner;
  G_GNUC_END_IGNORE_DEPRECATIONS
#else
  GtkWidget *revealer = gtk_revealer_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Retry"));

  gtk_widget_add_css_class (box, "bh-banner");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_object (button, "clicked", G_CALLBACK (retry_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);
  gtk_revealer_set_child (GTK_REVEALER (revealer), box);
  return revealer;
#endif
}

static void
banner_set (GtkWidget  *banner,
            const char *text)
{
#if ADW_CHECK_VERSION (1, 3, 0)
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (text != NULL)
    adw_banner_set_title (ADW_BANNER (banner), text);
  adw_banner_set_revealed (ADW_BANNER (banner), text != NULL);
  G_GNUC_END_IGNORE_DEPRECATIONS
#else
  GtkWidget *box = gtk_revealer_get_child (GTK_REVEALER (banner));

  if (text != NULL)
    gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)), text);
  gtk_revealer_set_reveal_child (GTK_REVEALER (banner), text != NULL);
#endif
}

static void
update_banners (BhWindow *self)
{
  const char *text = NULL;

  switch (bh_store_get_keyring_status (self->store))
    {
    case BH_KEYRING_STATUS_LOCKED:
      text = _("The keyring is locked: Apps and accounts are listed, but secrets can’t be read or stored until it is unlocked.");
      break;

    case BH_KEYRING_STATUS_UNAVAILABLE:
      text = _("No keyring is available: Apps and accounts are listed, but secrets can’t be read or stored until the desktop keyring can be opened.");
      break;

    case BH_KEYRING_STATUS_UNKNOWN:
    case BH_KEYRING_STATUS_AVAILABLE:
    default:
      break;
    }

  for (guint i = 0; i < G_N_ELEMENTS (self->banners); i++)
    banner_set (self->banners[i], text);
}

/* The App list */

static GtkWidget *
create_app_row (gpointer item,
                gpointer user_data)
{
  return bh_app_row_new (BH_APP (item));
}

BhApp *
bh_window_get_selected_app (BhWindow *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (BH_IS_WINDOW (self), NULL);

  row = gtk_list_box_get_selected_row (self->app_list);
  return row != NULL ? bh_app_row_get_app (BH_APP_ROW (row)) : NULL;
}

static void
update_actions (BhWindow *self)
{
  gboolean have_app = bh_window_get_selected_app (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-app", have_app);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-app", have_app);
}

static void
app_list_row_selected_cb (BhWindow      *self,
                          GtkListBoxRow *row)
{
  BhApp *app = row != NULL ? bh_app_row_get_app (BH_APP_ROW (row)) : NULL;

  if (app != NULL)
    g_set_weak_pointer (&self->last_selected, app);

  g_clear_pointer (&self->title_binding, g_binding_unbind);
  g_clear_pointer (&self->subtitle_binding, g_binding_unbind);

  if (app != NULL)
    {
      self->title_binding = g_object_bind_property (app, "name", self->content_title, "title",
                                                    G_BINDING_SYNC_CREATE);
      self->subtitle_binding = g_object_bind_property (app, "api-host", self->content_title, "subtitle",
                                                       G_BINDING_SYNC_CREATE);
    }
  else
    {
      adw_window_title_set_title (self->content_title, "");
      adw_window_title_set_subtitle (self->content_title, "");
    }

  bh_app_page_set_app (self->app_page, app);
  update_actions (self);
}

static void
app_list_row_activated_cb (BhWindow      *self,
                           GtkListBoxRow *row)
{
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
back_clicked_cb (BhWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static int
find_app_index (BhWindow *self,
                BhApp    *app)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhApp) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (item == app)
        return i;
    }

  return -1;
}

void
bh_window_select_app (BhWindow *self,
                      BhApp    *app)
{
  GtkListBoxRow *row;
  int index = 0;

  g_return_if_fail (BH_IS_WINDOW (self));
  g_return_if_fail (app == NULL || BH_IS_APP (app));

  if (app != NULL)
    index = find_app_index (self, app);

  row = index >= 0 ? gtk_list_box_get_row_at_index (self->app_list, index) : NULL;
  if (row != NULL)
    gtk_list_box_select_row (self->app_list, row);
}

static void
update_stack (BhWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  gboolean loaded = FALSE;
  const char *page;

  g_object_get (self->store, "loaded", &loaded, NULL);

  /* Until the records are read, show neither the empty state nor an empty
   * sidebar: either would be a lie for a moment. */
  if (n > 0)
    page = "apps";
  else if (loaded || self->load_failed)
    page = "empty";
  else
    page = "loading";

  /* The empty state's icon is an SVG: set it only when that page shows,
   * since the stack measures every page and looking the icon up would
   * load librsvg (megabytes) into a window that has Apps to show. */
  if (g_str_equal (page, "empty") && adw_status_page_get_icon_name (self->empty_page) == NULL)
    adw_status_page_set_icon_name (self->empty_page, "io.github.birdhouse.Birdhouse-symbolic");

  /* Leaving the loading page (a bare header bar shown for the moment the
   * records take to read) does not fade: the window's first frames would
   * show it fading into the Apps, and render both pages to do so. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "loading") == 0)
    gtk_stack_set_visible_child_full (self->main_stack, page, GTK_STACK_TRANSITION_TYPE_NONE);
  else
    gtk_stack_set_visible_child_name (self->main_stack, page);
}

static void
store_items_changed_cb (BhWindow   *self,
                        guint       position,
                        guint       removed,
                        guint       added,
                        GListModel *model)
{
  update_stack (self);

  /* The list box has already rebuilt its rows (it connected first). Keep a
   * selection so that the page always shows an App: the one selected
   * before when it is still there (moved by a rename), else a neighbour. */
  if (gtk_list_box_get_selected_row (self->app_list) == NULL &&
      g_list_model_get_n_items (model) > 0)
    {
      int index = self->last_selected != NULL ? find_app_index (self, self->last_selected) : -1;
      GtkListBoxRow *row;

      if (index < 0)
        index = MIN (position, g_list_model_get_n_items (model) - 1);
      row = gtk_list_box_get_row_at_index (self->app_list, index);
      gtk_list_box_select_row (self->app_list, row);
    }

  update_actions (self);
}

/* Actions */

static void
app_saved_cb (BhWindow    *self,
              BhApp       *app,
              BhAppDialog *dialog)
{
  bh_window_select_app (self, app);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
new_app_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  BhWindow *self = BH_WINDOW (widget);
  GtkWidget *dialog = bh_app_dialog_new (GTK_WINDOW (self), self->store, NULL);

  g_signal_connect_object (dialog, "app-saved", G_CALLBACK (app_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BhWindow *self = BH_WINDOW (widget);

  bh_import_dialog_choose_file (GTK_WINDOW (self), self->store);
}

static void
edit_app_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  BhWindow *self = BH_WINDOW (widget);
  BhApp *app = bh_window_get_selected_app (self);
  GtkWidget *dialog;

  if (app == NULL)
    return;

  dialog = bh_app_dialog_new (GTK_WINDOW (self), self->store, app);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_app_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BhWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bh_store_remove_app_finish (BH_STORE (object), result, &error))
    {
      bh_window_show_error (GTK_WIDGET (self), _("The App Could Not Be Removed"), error);
      return;
    }

  bh_window_add_toast (self, adw_toast_new (_("App removed")));
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  BhWindow *self = BH_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  BhApp *app = user_data;

  if (g_strcmp0 (response, "remove") != 0)
    return;

  bh_store_remove_app_async (self->store, app, self->cancellable,
                             remove_app_cb, g_object_ref (self));
}

static char *
describe_removal (BhApp *app)
{
  const char *name = bh_app_get_name (app);
  guint n_accounts = g_list_model_get_n_items (bh_app_get_accounts (app));
  gboolean has_bearer = bh_app_get_has_bearer (app);

  /* Whole sentences for each case, so that translators never have to glue
   * pieces together. */
  if (n_accounts > 0 && has_bearer)
    /* Translators: %s is the name of a developer App, %u its number of
     * accounts. */
    return g_strdup_printf (ngettext ("%s, its %u account, its bearer token and its API key secret will be removed from this computer’s keyring. This can’t be undone.",
                                      "%s, its %u accounts, its bearer token and its API key secret will be removed from this computer’s keyring. This can’t be undone.",
                                      n_accounts),
                            name, n_accounts);
  else if (n_accounts > 0)
    /* Translators: %s is the name of a developer App, %u its number of
     * accounts. */
    return g_strdup_printf (ngettext ("%s, its %u account and its API key secret will be removed from this computer’s keyring. This can’t be undone.",
                                      "%s, its %u accounts and its API key secret will be removed from this computer’s keyring. This can’t be undone.",
                                      n_accounts),
                            name, n_accounts);
  else if (has_bearer)
    /* Translators: %s is the name of a developer App. */
    return g_strdup_printf (_("%s, its bearer token and its API key secret will be removed from this computer’s keyring. This can’t be undone."),
                            name);
  else
    /* Translators: %s is the name of a developer App. */
    return g_strdup_printf (_("%s and its API key secret will be removed from this computer’s keyring. This can’t be undone."),
                            name);
}

static void
remove_app_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BhWindow *self = BH_WINDOW (widget);
  BhApp *app = bh_window_get_selected_app (self);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (app == NULL)
    return;

  /* Translators: %s is the name of a developer App. */
  heading = g_strdup_printf (_("Remove %s?"), bh_app_get_name (app));
  body = describe_removal (app);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    /* Translators: a button: remove the App from Birdhouse. */
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb),
                         g_object_ref (app), (GClosureNotify) g_object_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Menus */

/* A menu button given its model builds the whole popover and its items at
 * once; three of them did so before the window's first frame. They get
 * their model when first opened instead (by pointer, keyboard or F10). */
static void
create_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, G_MENU_MODEL (user_data));
}

/* Life cycle */

static void
set_store (BhWindow *self,
           BhStore  *store)
{
  self->store = g_object_ref (store);

  bh_app_page_set_store (self->app_page, self->store);

  gtk_list_box_bind_model (self->app_list, G_LIST_MODEL (self->store),
                           create_app_row, self, NULL);
  g_signal_connect_object (self->store, "items-changed",
                           G_CALLBACK (store_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "notify::loaded",
                           G_CALLBACK (update_stack), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "notify::keyring-status",
                           G_CALLBACK (update_banners), self, G_CONNECT_SWAPPED);

  self->banners[0] = create_banner (self);
  gtk_box_append (self->empty_banner_slot, self->banners[0]);
  self->banners[1] = create_banner (self);
  gtk_box_append (self->content_banner_slot, self->banners[1]);

  update_banners (self);
  gtk_box_append (self->empty_banner_slot, bh_import_banner_new (self->store));
  gtk_box_append (self->content_banner_slot, bh_import_banner_new (self->store));
  update_stack (self);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0)
    bh_window_select_app (self, NULL);
  update_actions (self);
}


static void
bh_window_constructed (GObject *object)
{
  BhWindow *self = BH_WINDOW (object);

  G_OBJECT_CLASS (bh_window_parent_class)->constructed (object);

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

}

static void
bh_window_dispose (GObject *object)
{
  BhWindow *self = BH_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->title_binding, g_binding_unbind);
  g_clear_pointer (&self->subtitle_binding, g_binding_unbind);
  g_clear_weak_pointer (&self->last_selected);

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);

  /* Disposing the list unselects its row, and the handler would then set
   * the title of an AdwWindowTitle already disposed. */
  if (self->app_list != NULL)
    g_signal_handlers_disconnect_by_func (self->app_list, app_list_row_selected_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), BH_TYPE_WINDOW);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bh_window_parent_class)->dispose (object);
}

static void
bh_window_class_init (BhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bh_window_constructed;
  object_class->dispose = bh_window_dispose;

  g_type_ensure (BH_TYPE_APP_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/birdhouse/Birdhouse/bh-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BhWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, content);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, app_list);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, empty_banner_slot);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, content_banner_slot);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, app_page);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, empty_menu_button);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, sidebar_menu_button);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, app_menu_button);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, BhWindow, app_menu);
  gtk_widget_class_bind_template_callback (widget_class, app_list_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, app_list_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.new-app", NULL, new_app_action);
  gtk_widget_class_install_action (widget_class, "win.import-file", NULL, import_file_action);
  gtk_widget_class_install_action (widget_class, "win.edit-app", NULL, edit_app_action);
  gtk_widget_class_install_action (widget_class, "win.remove-app", NULL, remove_app_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-app", NULL);
}

static void
bh_window_init (BhWindow *self)
{
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_menu_button_set_create_popup_func (self->empty_menu_button, create_popup_cb, self->primary_menu, NULL);
  gtk_menu_button_set_create_popup_func (self->sidebar_menu_button, create_popup_cb, self->primary_menu, NULL);
  gtk_menu_button_set_create_popup_func (self->app_menu_button, create_popup_cb, self->app_menu, NULL);
}
