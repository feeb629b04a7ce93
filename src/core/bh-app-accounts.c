/* bh-app-accounts.c
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

#include "bh-app-private.h"

#include "bh-account.h"

/*
 * An App's accounts: the "accounts" list model, kept sorted by screen name
 * (case-insensitive, then by user id) also when an account is renamed,
 * and found by user id or screen name. Only the store adds and removes
 * accounts.
 */

/**
 * bh_app_find_account:
 * @self: a #BhApp
 * @user_id_or_screen_name: a user id, or a screen name with or without '@'
 *
 * Returns: (transfer none) (nullable): the account, or %NULL
 */
BhAccount *
bh_app_find_account (BhApp      *self,
                     const char *user_id_or_screen_name)
{
  GListModel *model;
  const char *handle;
  guint n;

  g_return_val_if_fail (BH_IS_APP (self), NULL);

  if (user_id_or_screen_name == NULL)
    return NULL;

  model = bh_app_get_accounts (self);
  n = g_list_model_get_n_items (model);
  handle = user_id_or_screen_name;
  if (*handle == '@')
    handle++;

  /* The user id wins: a screen name can be all digits too. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (model, i);

      if (g_strcmp0 (bh_account_get_user_id (account), user_id_or_screen_name) == 0)
        return account;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (model, i);
      const char *screen_name = bh_account_get_screen_name (account);

      if (screen_name != NULL && g_ascii_strcasecmp (screen_name, handle) == 0)
        return account;
    }

  return NULL;
}

static int
compare_accounts (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  BhAccount *account_a = (BhAccount *) a;
  BhAccount *account_b = (BhAccount *) b;
  const char *name_a = bh_account_get_screen_name (account_a);
  const char *name_b = bh_account_get_screen_name (account_b);
  int cmp;

  /* X screen names are ASCII; the user id breaks ties so the order is
   * stable. */
  cmp = g_ascii_strcasecmp (name_a ? name_a : "", name_b ? name_b : "");
  if (cmp != 0)
    return cmp;

  return g_strcmp0 (bh_account_get_user_id (account_a),
                    bh_account_get_user_id (account_b));
}

static void
account_screen_name_changed (BhAccount  *account,
                             GParamSpec *pspec,
                             BhApp      *self)
{
  GListStore *accounts = G_LIST_STORE (bh_app_get_accounts (self));
  g_autoptr(BhAccount) hold = g_object_ref (account);
  guint position;

  /* A rename can move the account: take it out and put it back in its
   * place, so the list stays sorted for the views bound to it. */
  if (!g_list_store_find (accounts, account, &position))
    return;

  g_list_store_remove (accounts, position);
  g_list_store_insert_sorted (accounts, account, compare_accounts, NULL);
}

/**
 * _bh_app_add_account:
 * @self: a #BhApp
 * @account: an account of this App
 *
 * For #BhStore: inserts @account in order (the list emits
 * items-changed).
 */
void
_bh_app_add_account (BhApp     *self,
                     BhAccount *account)
{
  GListStore *accounts;

  g_return_if_fail (BH_IS_APP (self));
  g_return_if_fail (BH_IS_ACCOUNT (account));

  accounts = G_LIST_STORE (bh_app_get_accounts (self));
  if (g_list_store_find (accounts, account, NULL))
    return;

  g_list_store_insert_sorted (accounts, account, compare_accounts, NULL);
  g_signal_connect_object (account, "notify::screen-name",
                           G_CALLBACK (account_screen_name_changed), self, 0);
}

/**
 * _bh_app_remove_account:
 * @self: a #BhApp
 * @account: an account of this App
 *
 * For #BhStore: takes @account out of the list.
 */
void
_bh_app_remove_account (BhApp     *self,
                        BhAccount *account)
{
  GListStore *accounts;
  guint position;

  g_return_if_fail (BH_IS_APP (self));
  g_return_if_fail (BH_IS_ACCOUNT (account));

  accounts = G_LIST_STORE (bh_app_get_accounts (self));
  if (!g_list_store_find (accounts, account, &position))
    return;

  g_signal_handlers_disconnect_by_func (account, account_screen_name_changed, self);
  g_list_store_remove (accounts, position);
}

/**
 * _bh_app_release_accounts:
 * @self: a #BhApp being disposed
 * @accounts: its list of accounts
 *
 * Stops following the screen names of @self's accounts: an account may
 * outlive its App.
 */
void
_bh_app_release_accounts (BhApp      *self,
                          GListStore *accounts)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (accounts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BhAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);

      g_signal_handlers_disconnect_by_func (account, account_screen_name_changed, self);
    }
}
