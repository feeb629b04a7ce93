/* bh-authorize-dialog-oauth2.c
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

#include "bh-authorize-dialog-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bh-account.h"
#include "bh-app.h"
#include "bh-oauth2.h"
#include "bh-secret.h"

/*
 * OAuth 2.0 in the authorize dialog: the scopes to ask for (a preset, or
 * a list of one's own, and "Stay signed in" for offline.access), the
 * page that waits for the browser's return (the link to copy, Open
 * Again, a field for the address a browser elsewhere was sent to), the
 * success and the errors worth a word of their own.
 */

/* X's scopes (developer documentation, "OAuth 2.0 scopes"), except
 * offline.access, which is the "Stay signed in" switch. */
static const char * const x_scopes[] = {
  "tweet.read", "tweet.write", "tweet.moderate.write", "users.read", "users.email",
  "follows.read", "follows.write", "space.read", "mute.read", "mute.write",
  "like.read", "like.write", "list.read", "list.write", "block.read", "block.write",
  "bookmark.read", "bookmark.write", "dm.read", "dm.write", "media.write",
  NULL
};

/* Birdhouse asks 2/users/me who authorized: X wants these two for it. */
static const char * const needed_scopes[] = { "tweet.read", "users.read", NULL };

typedef struct
{
  const char *label;   /* N_() */
  const char *scopes;
} Preset;

static const Preset presets[] = {
  /* Translators: a choice of OAuth 2.0 scopes: the token can only read. */
  { N_("Read"), "tweet.read users.read" },
  /* Translators: a choice of OAuth 2.0 scopes: read, post, like, follow. */
  { N_("Read and write"),
    "tweet.read tweet.write users.read follows.read follows.write like.read like.write "
    "list.read list.write bookmark.read bookmark.write media.write" },
  /* Translators: a choice of OAuth 2.0 scopes: every scope X has. */
  { N_("Everything"),
    "tweet.read tweet.write tweet.moderate.write users.read users.email follows.read "
    "follows.write space.read mute.read mute.write like.read like.write list.read list.write "
    "block.read block.write bookmark.read bookmark.write dm.read dm.write media.write" },
};
#define CUSTOM_PRESET G_N_ELEMENTS (presets)

static BhOAuth2Flow *
oauth2_flow (BhAuthorizeDialog *self)
{
  return BH_IS_OAUTH2_FLOW (self->flow) ? BH_OAUTH2_FLOW (self->flow) : NULL;
}

/* The scopes typed in the row (offline.access aside), or NULL with
 * @unknown set to the first one X does not have. */
static GStrv
parse_scopes (const char  *text,
              char       **unknown,
              gboolean    *offline)
{
  g_auto(GStrv) words = g_strsplit_set (text, " ,\t\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  *unknown = NULL;
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];

      if (*word == '\0')
        continue;
      if (g_str_equal (word, "offline.access"))
        {
          if (offline != NULL)
            *offline = TRUE;
          continue;
        }
      if (!g_strv_contains (x_scopes, word))
        {
          *unknown = g_strdup (word);
          return NULL;
        }
      if (!g_ptr_array_find_with_equal_func (seen, word, g_str_equal, NULL))
        {
          g_ptr_array_add (seen, (gpointer) word);
          g_strv_builder_add (builder, word);
        }
    }

  return g_strv_builder_end (builder);
}

static gboolean
same_scopes (const char * const *a,
             const char * const *b)
{
  if (g_strv_length ((GStrv) a) != g_strv_length ((GStrv) b))
    return FALSE;
  for (guint i = 0; a[i] != NULL; i++)
    if (!g_strv_contains (b, a[i]))
      return FALSE;
  return TRUE;
}

static void
set_scopes_text (BhAuthorizeDialog *self,
                 const char        *text)
{
  self->setting_scopes = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->scopes_row), text);
  self->setting_scopes = FALSE;
}

gboolean
_bh_authorize_dialog_oauth2_options_ok (BhAuthorizeDialog *self)
{
  g_autofree char *unknown = NULL;
  g_auto(GStrv) scopes = parse_scopes (gtk_editable_get_text (GTK_EDITABLE (self->scopes_row)),
                                       &unknown, NULL);

  return scopes != NULL && scopes[0] != NULL;
}

static void
validate_scopes (BhAuthorizeDialog *self)
{
  g_autofree char *unknown = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) scopes = parse_scopes (gtk_editable_get_text (GTK_EDITABLE (self->scopes_row)),
                                       &unknown, NULL);

  if (unknown != NULL)
    /* Translators: %s is what the person typed as an OAuth 2.0 scope. */
    text = g_strdup_printf (_("X has no scope “%s”. Separate scopes with spaces, such as “tweet.read users.read”."),
                            unknown);
  else if (scopes[0] == NULL)
    text = g_strdup (_("Choose at least one scope."));

  gtk_label_set_label (self->scopes_error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->scopes_error_label), text != NULL);
  if (text != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->scopes_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->scopes_row), "error");
}

static void
on_preset_selected (BhAuthorizeDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->preset_row);

  if (selected < CUSTOM_PRESET)
    set_scopes_text (self, presets[selected].scopes);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->scopes_row));
  validate_scopes (self);
}

/* The row follows what is typed: a list equal to a preset selects it,
 * any other is "Custom". */
static void
on_scopes_changed (BhAuthorizeDialog *self)
{
  g_autofree char *unknown = NULL;
  g_auto(GStrv) scopes = NULL;
  guint match = CUSTOM_PRESET;

  validate_scopes (self);
  if (self->setting_scopes)
    return;

  scopes = parse_scopes (gtk_editable_get_text (GTK_EDITABLE (self->scopes_row)), &unknown, NULL);
  for (guint i = 0; scopes != NULL && i < CUSTOM_PRESET; i++)
    {
      g_auto(GStrv) preset = g_strsplit (presets[i].scopes, " ", -1);

      if (same_scopes ((const char * const *) scopes, (const char * const *) preset))
        match = i;
    }

  g_signal_handlers_block_by_func (self->preset_row, on_preset_selected, self);
  adw_combo_row_set_selected (self->preset_row, match);
  g_signal_handlers_unblock_by_func (self->preset_row, on_preset_selected, self);
}

void
_bh_authorize_dialog_oauth2_show_waiting (BhAuthorizeDialog *self)
{
  BhOAuth2Flow *flow = oauth2_flow (self);
  const char *url = bh_oauth2_flow_get_authorize_url (flow);
  const GError *browser_error = bh_oauth2_flow_get_browser_error (flow);
  g_autofree char *body = NULL;

  gtk_label_set_label (self->oauth2_url_label, url != NULL ? url : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->oauth2_url_label), url);

  if (browser_error != NULL)
    /* Translators: %s is a sentence saying that no web browser could be
     * opened and to copy the link. */
    body = g_strdup_printf (_("%s Then authorize the App; X sends the browser back to Birdhouse."),
                            browser_error->message);
  else
    body = g_strdup (_("Authorize the App in your browser. X then sends the browser back to Birdhouse, and this window goes on by itself."));
  gtk_label_set_label (self->oauth2_body_label, body);

  {
    g_autofree char *hint = NULL;

    /* Translators: %s is the App's redirect URI, such as
     * http://127.0.0.1:8477/callback. */
    hint = g_strdup_printf (_("Browser on another computer? Paste the whole address it was sent to; it starts with %s."),
                            bh_oauth2_flow_get_redirect_uri (flow));
    adw_preferences_group_set_description (self->paste_group, hint);
  }

  _bh_authorize_dialog_show_page (self, "browser");
}

/* Creates the OAuth 2.0 flow from the options; the dialog runs it. */
void
_bh_authorize_dialog_oauth2_start (BhAuthorizeDialog *self)
{
  g_autofree char *unknown = NULL;
  g_auto(GStrv) scopes = parse_scopes (gtk_editable_get_text (GTK_EDITABLE (self->scopes_row)),
                                       &unknown, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) asked = NULL;
  BhOAuth2Flow *flow;

  if (scopes == NULL || scopes[0] == NULL)
    return;

  for (guint i = 0; needed_scopes[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) scopes, needed_scopes[i]))
      g_strv_builder_add (builder, needed_scopes[i]);
  g_strv_builder_addv (builder, (const char **) scopes);
  asked = g_strv_builder_end (builder);

  /* Authorize Again (and a rotation's second half) renews one account:
   * the grant must be that user's, and its rotation is recorded. */
  flow = self->renews != NULL ? bh_oauth2_flow_new_renewal (self->store, self->renews)
                              : bh_oauth2_flow_new (self->store, self->app);
  bh_oauth2_flow_set_scopes (flow, (const char * const *) asked);
  g_object_set (flow, "offline-access", gtk_switch_get_active (self->offline_switch), NULL);

  _bh_authorize_dialog_set_flow (self, BH_FLOW (flow));
  gtk_editable_set_text (GTK_EDITABLE (self->paste_row), "");

  g_signal_connect_swapped (flow, "notify::state", G_CALLBACK (_bh_authorize_dialog_sync_state), self);
  g_signal_connect_swapped (flow, "notify::authorize-url", G_CALLBACK (_bh_authorize_dialog_sync_state), self);
  g_signal_connect_swapped (flow, "notify::browser-error", G_CALLBACK (_bh_authorize_dialog_sync_state), self);
}

static void
on_paste_apply (BhAuthorizeDialog *self)
{
  g_autoptr(BhSecret) pasted = NULL;
  g_autoptr(GError) error = NULL;
  const char *message;

  if (oauth2_flow (self) == NULL)
    return;

  /* The address holds the authorization code: wiped once handed over. */
  pasted = bh_secret_dup (gtk_editable_get_text (GTK_EDITABLE (self->paste_row)));
  g_strstrip (pasted);
  if (*pasted == '\0')
    return;

  if (bh_oauth2_flow_submit_redirect (oauth2_flow (self), pasted, &error))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->paste_row), "");
      gtk_widget_set_visible (GTK_WIDGET (self->paste_error_label), FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->paste_row), "error");
      return;
    }

  if (g_error_matches (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_STATE_MISMATCH))
    message = _("This address belongs to another authorization attempt. Paste the address from the browser window this one opened; Birdhouse keeps waiting.");
  else
    message = error->message;

  gtk_label_set_label (self->paste_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->paste_error_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->paste_row), "error");
}

void
_bh_authorize_dialog_oauth2_show_success (BhAuthorizeDialog *self)
{
  BhAccount *account = bh_oauth2_flow_get_account (oauth2_flow (self));
  const char *granted = account != NULL ? bh_account_get_oauth2_scopes (account) : NULL;
  gboolean renews = granted != NULL && strstr (granted, "offline.access") != NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  /* Translators: %s is an X account name, without its leading “@”. */
  title = g_strdup_printf (_("@%s is authorized"),
                           account != NULL ? bh_account_get_screen_name (account) : "");

  if (self->renews != NULL && account != NULL && account != self->renews)
    /* Translators: %s is an X account name, without its leading “@”. */
    description = g_strdup_printf (_("This is another account than @%s, which still needs re-authorization: sign in to X as that account to renew it."),
                                   bh_account_get_screen_name (self->renews));
  else if (renews)
    /* Translators: %s is a list of OAuth 2.0 scopes, such as “tweet.read users.read”. */
    description = g_strdup_printf (_("Scopes: %s. The tokens are in your keyring, and Birdhouse renews the access token when it expires."),
                                   granted);
  else
    /* Translators: %s is a list of OAuth 2.0 scopes, such as “tweet.read users.read”. */
    description = g_strdup_printf (_("Scopes: %s. The access token is in your keyring and works for two hours; then authorize again."),
                                   granted != NULL ? granted : "");

  adw_status_page_set_title (self->success_page, title);
  adw_status_page_set_description (self->success_page, description);
  _bh_authorize_dialog_show_page (self, "success");
}

void
_bh_authorize_dialog_oauth2_show_error (BhAuthorizeDialog *self,
                                        const GError      *error)
{
  /* The sentences come from the core; the titles say which way out. */
  if (g_error_matches (error, BH_OAUTH2_ERROR, BH_OAUTH2_ERROR_ACCESS_DENIED))
    {
      adw_status_page_set_title (self->error_page, _("Access Denied at X"));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
    {
      g_autofree char *text = NULL;

      adw_status_page_set_title (self->error_page, _("The Port Is in Use"));
      /* Translators: %s is a sentence naming the port that is in use. */
      text = g_strdup_printf (_("%s Change the redirect URI with “Edit App…”."), error->message);
      adw_status_page_set_description (self->error_page, text);
      gtk_widget_set_visible (GTK_WIDGET (self->edit_app_button), TRUE);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      adw_status_page_set_title (self->error_page, _("The Browser Did Not Come Back"));
    }
}

void
_bh_authorize_dialog_oauth2_init (BhAuthorizeDialog *self)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  const char *scopes = NULL;
  guint selected = 0;

  for (guint i = 0; i < CUSTOM_PRESET; i++)
    gtk_string_list_append (model, _(presets[i].label));
  /* Translators: a choice of OAuth 2.0 scopes: the ones typed below. */
  gtk_string_list_append (model, C_("scopes", "Custom"));
  adw_combo_row_set_model (self->preset_row, G_LIST_MODEL (model));

  /* Authorize Again asks for what the account had. */
  if (self->renews != NULL)
    scopes = bh_account_get_oauth2_scopes (self->renews);

  if (scopes != NULL)
    {
      g_autofree char *unknown = NULL;
      gboolean offline = FALSE;
      g_auto(GStrv) parsed = parse_scopes (scopes, &unknown, &offline);

      /* Shown without offline.access, which is the switch. */
      if (parsed != NULL && parsed[0] != NULL)
        {
          g_autofree char *text = g_strjoinv (" ", parsed);

          gtk_switch_set_active (self->offline_switch, offline);
          set_scopes_text (self, text);
          on_scopes_changed (self);
          return;
        }
    }

  adw_combo_row_set_selected (self->preset_row, selected);
  set_scopes_text (self, presets[selected].scopes);
  validate_scopes (self);
}

void
_bh_authorize_dialog_oauth2_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_preset_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_scopes_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_paste_apply);
}
