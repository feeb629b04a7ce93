/* bh-store-health.c
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

#include "bh-store-private.h"

/* A health check writes what it found beside the names and keys of each
 * App and account, in one write for the whole run. The records of a
 * credential removed meanwhile (by another window or command) are skipped:
 * a check never brings back what someone removed. */

BhStoreChange *
_bh_store_change_put_app_health (BhApp *app)
{
  BhStoreChange *change = _bh_store_change_new (BH_STORE_CHANGE_PUT_APP, bh_app_get_id (app), NULL,
                                                bh_app_get_name (app));

  change->if_present = TRUE;
  if (bh_app_get_keys_health (app) != NULL)
    _bh_health_record_to_fields (bh_app_get_keys_health (app), "keys", change->fields);
  if (bh_app_get_bearer_health (app) != NULL)
    _bh_health_record_to_fields (bh_app_get_bearer_health (app), "bearer", change->fields);

  return change;
}

/* With X's definite answer, what the verification refreshed (identity,
 * verified-at, state: ok or needs-reauth, never the keyring's
 * secret-missing) and the health record; otherwise the health record
 * alone, so that nothing else of the record is rewritten from memory. */
BhStoreChange *
_bh_store_change_put_account_health (BhAccount *account)
{
  const BhHealthRecord *health = bh_account_get_health (account);
  BhStoreChange *change;

  if (health != NULL && (health->state == BH_HEALTH_HEALTHY || health->state == BH_HEALTH_NEEDS_REAUTH) &&
      bh_account_get_state (account) != BH_ACCOUNT_STATE_SECRET_MISSING)
    change = _bh_store_change_put_account (account, FALSE);
  else
    change = _bh_store_change_new (BH_STORE_CHANGE_PUT_ACCOUNT, bh_account_get_app_id (account),
                                   bh_account_get_user_id (account), bh_account_get_screen_name (account));

  change->if_present = TRUE;
  if (health != NULL)
    _bh_health_record_to_fields (health, "", change->fields);

  return change;
}

/**
 * bh_store_record_health_async:
 * @self: a #BhStore
 * @checked: (element-type GObject): the #BhApp and #BhAccount objects of
 *   the store whose health records (and, for accounts, what the
 *   verification refreshed) are to be written
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Writes the records of @checked in one write; the keyring is not
 * involved, and nothing is added or removed.
 */
void
bh_store_record_health_async (BhStore             *self,
                              GPtrArray           *checked,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BH_IS_STORE (self));
  g_return_if_fail (checked != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bh_store_record_health_async);

  for (guint i = 0; i < checked->len; i++)
    {
      GObject *object = g_ptr_array_index (checked, i);

      if (BH_IS_APP (object))
        _bh_store_queue_change (self, _bh_store_change_put_app_health (BH_APP (object)));
      else if (BH_IS_ACCOUNT (object))
        _bh_store_queue_change (self, _bh_store_change_put_account_health (BH_ACCOUNT (object)));
    }

  _bh_store_records_write_async (self, _bh_store_op_written_boolean, g_steal_pointer (&task));
}

/**
 * bh_store_record_health_finish:
 *
 * Returns: %TRUE when the records were written
 */
gboolean
bh_store_record_health_finish (BhStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
