/* bh-flow.c
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

#include "bh-flow.h"
#include "bh-flow-private.h"

#include <glib/gi18n.h>

#include "bh-app.h"
#include "bh-core-enums.h"
#include "bh-store.h"
#include "bh-x-client.h"
#include "bh-x-error.h"

/*
 * The base class owns what every flow needs: the store and the App it
 * works on, one BhXClient for the App's API host, a GCancellable, the
 * state and the error. bh_flow_run_async() hands the subclass an inner
 * GTask whose completion comes back here, so that the state (DONE, FAILED,
 * CANCELLED) and "error" are set in one place, before the caller's task
 * completes, and exactly once.
 *
 * Properties: "store" (BhStore, construct only), "app" (BhApp, construct
 * only), "client" (BhXClient for the App's API host, created on demand),
 * "state" (BhFlowState), "error" (GError boxed: the error of a failed run,
 * or a recoverable error such as a refused PIN while still running),
 * "clock-skew" (gint64, read only: X's clock minus ours in seconds when
 * the client had to adopt X's clock, else 0).
 *
 * The steps several flows share are in bh-flow-steps.c.
 */

typedef struct
{
  BhStore      *store;
  BhApp        *app;
  BhXClient    *client;
  GCancellable *cancellable;
  GError       *error;
  GTask        *parked;            /* a run waiting for the person */
  gulong        cancelled_id;
  guint         cancel_parked_id;
  BhFlowState   state;
  gint64        clock_skew;
  guint         started : 1;
  guint         skew_retried : 1;
} BhFlowPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (BhFlow, bh_flow, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_APP,
  PROP_CLIENT,
  PROP_STATE,
  PROP_ERROR,
  PROP_CLOCK_SKEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bh_flow_dispose (GObject *object)
{
  BhFlow *self = BH_FLOW (object);
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  if (priv->cancelled_id != 0)
    {
      g_cancellable_disconnect (priv->cancellable, priv->cancelled_id);
      priv->cancelled_id = 0;
    }

  g_clear_handle_id (&priv->cancel_parked_id, g_source_remove);
  g_clear_object (&priv->parked);
  g_clear_object (&priv->client);
  g_clear_object (&priv->app);
  g_clear_object (&priv->store);

  G_OBJECT_CLASS (bh_flow_parent_class)->dispose (object);
}

static void
bh_flow_finalize (GObject *object)
{
  BhFlow *self = BH_FLOW (object);
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  g_clear_object (&priv->cancellable);
  g_clear_error (&priv->error);

  G_OBJECT_CLASS (bh_flow_parent_class)->finalize (object);
}

static void
bh_flow_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  BhFlow *self = BH_FLOW (object);
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, priv->store);
      break;

    case PROP_APP:
      g_value_set_object (value, priv->app);
      break;

    case PROP_CLIENT:
      g_value_set_object (value, bh_flow_get_client (self));
      break;

    case PROP_STATE:
      g_value_set_enum (value, priv->state);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, priv->error);
      break;

    case PROP_CLOCK_SKEW:
      g_value_set_int64 (value, priv->clock_skew);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_flow_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  BhFlow *self = BH_FLOW (object);
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STORE:
      priv->store = g_value_dup_object (value);
      break;

    case PROP_APP:
      priv->app = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bh_flow_class_init (BhFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bh_flow_dispose;
  object_class->finalize = bh_flow_finalize;
  object_class->get_property = bh_flow_get_property;
  object_class->set_property = bh_flow_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         BH_TYPE_STORE,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_APP] =
    g_param_spec_object ("app", NULL, NULL,
                         BH_TYPE_APP,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BH_TYPE_X_CLIENT,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       BH_TYPE_FLOW_STATE,
                       BH_FLOW_STATE_IDLE,
                       (G_PARAM_READABLE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  properties[PROP_CLOCK_SKEW] =
    g_param_spec_int64 ("clock-skew", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        (G_PARAM_READABLE |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bh_flow_init (BhFlow *self)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  priv->cancellable = g_cancellable_new ();
  priv->state = BH_FLOW_STATE_IDLE;
}

/**
 * bh_flow_get_store:
 *
 * Returns: (transfer none): the store the flow reads and writes
 */
BhStore *
bh_flow_get_store (BhFlow *self)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  g_return_val_if_fail (BH_IS_FLOW (self), NULL);

  return priv->store;
}

/**
 * bh_flow_get_app:
 *
 * Returns: (transfer none): the App the flow works for
 */
BhApp *
bh_flow_get_app (BhFlow *self)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  g_return_val_if_fail (BH_IS_FLOW (self), NULL);

  return priv->app;
}

static gboolean
ensure_client (BhFlow  *self,
               GError **error)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);
  const char *api_host;

  if (priv->client != NULL)
    return TRUE;

  api_host = bh_app_get_api_host (priv->app);
  if (api_host == NULL || *api_host == '\0')
    api_host = BH_DEFAULT_API_HOST;

  priv->client = bh_x_client_new (api_host, error);
  if (priv->client == NULL)
    return FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);

  return TRUE;
}

/**
 * bh_flow_get_client:
 *
 * The client for the App's API host, created on first use.
 *
 * Returns: (transfer none) (nullable): the client, or %NULL when the App's
 *   API host is not a usable URL (running the flow then fails with that
 *   error)
 */
BhXClient *
bh_flow_get_client (BhFlow *self)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  g_return_val_if_fail (BH_IS_FLOW (self), NULL);

  if (priv->client == NULL && priv->app != NULL)
    ensure_client (self, NULL);

  return priv->client;
}

/**
 * bh_flow_get_state:
 *
 * Returns: where the flow is
 */
BhFlowState
bh_flow_get_state (BhFlow *self)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  g_return_val_if_fail (BH_IS_FLOW (self), BH_FLOW_STATE_IDLE);

  return priv->state;
}

/**
 * bh_flow_get_error:
 *
 * Returns: (nullable): the error of a failed or cancelled run, or a
 *   recoverable error the user should see while the flow goes on
 */
const GError *
bh_flow_get_error (BhFlow *self)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  g_return_val_if_fail (BH_IS_FLOW (self), NULL);

  return priv->error;
}

/**
 * bh_flow_get_cancellable:
 *
 * Returns: (transfer none): the cancellable every step of the flow uses
 */
GCancellable *
bh_flow_get_cancellable (BhFlow *self)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  g_return_val_if_fail (BH_IS_FLOW (self), NULL);

  return priv->cancellable;
}

/**
 * bh_flow_get_clock_skew:
 *
 * Returns: X's clock minus the local clock in seconds, as measured when the
 *   client had to adopt X's clock during this flow; 0 when it did not
 */
gint64
bh_flow_get_clock_skew (BhFlow *self)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  g_return_val_if_fail (BH_IS_FLOW (self), 0);

  return priv->clock_skew;
}

/**
 * bh_flow_cancel:
 *
 * Cancels the work in flight. The run finishes with BH_X_ERROR_CANCELLED
 * and state CANCELLED, and nothing is stored — unless the final write to
 * the store had already begun: that one write is let finish (a keyring
 * write cannot be interrupted half-way without risking a half-added
 * account) and the run then ends DONE, because the account really exists.
 */
void
bh_flow_cancel (BhFlow *self)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  g_return_if_fail (BH_IS_FLOW (self));

  g_cancellable_cancel (priv->cancellable);
}

/**
 * _bh_flow_set_state:
 *
 * For subclasses: moves the flow to @state, notifying only on a change.
 */
void
_bh_flow_set_state (BhFlow      *self,
                    BhFlowState  state)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  g_return_if_fail (BH_IS_FLOW (self));

  if (priv->state == state)
    return;

  priv->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/**
 * _bh_flow_set_error:
 * @error: (nullable): the error, or %NULL to clear it
 *
 * For subclasses: sets "error" without ending the run (a refused PIN).
 */
void
_bh_flow_set_error (BhFlow       *self,
                    const GError *error)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  g_return_if_fail (BH_IS_FLOW (self));

  if (priv->error == NULL && error == NULL)
    return;

  g_clear_error (&priv->error);
  if (error != NULL)
    priv->error = g_error_copy (error);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_clock_skew (BhFlow *self,
                gint64  clock_skew)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  if (priv->clock_skew == clock_skew)
    return;

  priv->clock_skew = clock_skew;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_SKEW]);
}

/* The client adopts X's clock by itself (on 135, or when Date is more than
 * five minutes off); the flow only reports what was adopted. */
static void
sync_clock_skew (BhFlow *self)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);
  gint64 offset;

  if (priv->client == NULL)
    return;

  offset = bh_x_client_get_clock_offset (priv->client);
  if (offset != 0)
    set_clock_skew (self, offset);
}

/* TRUE when @error is X refusing our timestamp (135) and the client has
 * adopted the server's clock: the failed step is worth one more try,
 * which is allowed once per run. Updates "clock-skew". */
static gboolean
retry_on_clock_skew (BhFlow       *self,
                     const GError *error)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);
  gint64 offset;

  if (!g_error_matches (error, BH_X_ERROR, BH_X_ERROR_TIMESTAMP))
    return FALSE;

  if (priv->skew_retried || priv->client == NULL ||
      g_cancellable_is_cancelled (priv->cancellable))
    return FALSE;

  /* Without a measured offset a second try would fail the same way. */
  offset = bh_x_client_get_clock_offset (priv->client);
  if (offset == 0)
    return FALSE;

  priv->skew_retried = TRUE;
  set_clock_skew (self, offset);

  g_debug ("%s: X's clock differs from ours by %" G_GINT64_FORMAT " s; "
           "retrying the step once with X's time",
           G_OBJECT_TYPE_NAME (self), offset);

  return TRUE;
}

/**
 * _bh_flow_retry_or_fail:
 * @task: (transfer full): the task of the step that failed, whose source
 *   object is the flow
 * @error: (transfer full): why it failed
 * @step: starts the step again; it takes over the task
 *
 * Where every step that signs a request ends when X refused it: when X
 * refused our timestamp (135) and the client has adopted X's clock, the
 * step runs once more (once per run, and not after a cancel), updating
 * "clock-skew"; otherwise @task returns @error.
 */
void
_bh_flow_retry_or_fail (GTask       *task,
                        GError      *error,
                        BhFlowStep   step)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(GError) owned_error = error;

  if (retry_on_clock_skew (g_task_get_source_object (owned), owned_error))
    {
      step (g_steal_pointer (&owned));
      return;
    }

  g_task_return_error (owned, g_steal_pointer (&owned_error));
}

static gboolean
cancel_parked_cb (gpointer user_data)
{
  BhFlow *self = user_data;
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);
  g_autoptr(GTask) task = g_steal_pointer (&priv->parked);

  priv->cancel_parked_id = 0;

  if (task != NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The authorization was cancelled."));

  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  BhFlow *self = user_data;
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  /* Work in flight sees the cancel by itself; only a parked run needs
   * ending, and that is done from the main loop, never from inside this
   * handler, where the cancellable's lock is held. */
  if (priv->cancel_parked_id == 0)
    priv->cancel_parked_id = g_idle_add_full (G_PRIORITY_DEFAULT,
                                              cancel_parked_cb,
                                              g_object_ref (self),
                                              g_object_unref);
}

/**
 * _bh_flow_park:
 * @task: (transfer full): the run's task
 * @state: the state to wait in, such as WAITING_FOR_PIN
 *
 * For subclasses: holds the run while it waits for the person, with
 * nothing in flight that would notice a cancel. A cancel, before or while
 * it waits, ends the run. _bh_flow_unpark() takes it back.
 */
void
_bh_flow_park (BhFlow      *self,
               GTask       *task,
               BhFlowState  state)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);
  g_autoptr(GTask) owned = task;

  g_return_if_fail (BH_IS_FLOW (self));
  g_return_if_fail (priv->parked == NULL);

  if (g_task_return_error_if_cancelled (owned))
    return;

  if (priv->cancelled_id == 0)
    priv->cancelled_id = g_cancellable_connect (priv->cancellable,
                                                G_CALLBACK (cancelled_cb),
                                                self, NULL);

  priv->parked = g_steal_pointer (&owned);
  _bh_flow_set_state (self, state);
}

/**
 * _bh_flow_get_parked:
 *
 * Returns: (transfer none) (nullable): the parked run, if any
 */
GTask *
_bh_flow_get_parked (BhFlow *self)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  g_return_val_if_fail (BH_IS_FLOW (self), NULL);

  return priv->parked;
}

/**
 * _bh_flow_unpark:
 *
 * Returns: (transfer full) (nullable): the parked run, to go on with
 */
GTask *
_bh_flow_unpark (BhFlow *self)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  g_return_val_if_fail (BH_IS_FLOW (self), NULL);

  return g_steal_pointer (&priv->parked);
}

static void
finish_run (BhFlow *self,
            GTask  *task,
            GError *error)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);

  sync_clock_skew (self);

  if (error == NULL)
    {
      _bh_flow_set_error (self, NULL);
      _bh_flow_set_state (self, BH_FLOW_STATE_DONE);
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Whatever a step reported after a cancel (a dropped connection, a
   * store error), the person asked to stop: say so. */
  if (g_cancellable_is_cancelled (priv->cancellable) ||
      bh_error_is_cancelled (error))
    {
      g_clear_error (&error);
      error = bh_x_error_new (BH_X_ERROR_CANCELLED);
      _bh_flow_set_error (self, error);
      _bh_flow_set_state (self, BH_FLOW_STATE_CANCELLED);
    }
  else
    {
      g_debug ("%s failed: %s", G_OBJECT_TYPE_NAME (self), error->message);
      _bh_flow_set_error (self, error);
      _bh_flow_set_state (self, BH_FLOW_STATE_FAILED);
    }

  g_task_return_error (task, error);
}

static void
bh_flow_run_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BhFlow *self = BH_FLOW (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    finish_run (self, task, NULL);
  else
    finish_run (self, task, error);
}

/**
 * bh_flow_run_async:
 * @callback: called once, when the flow is DONE, FAILED or CANCELLED
 *
 * Runs the flow. A flow runs once: a second call fails with
 * BH_X_ERROR_FAILED and leaves the flow alone.
 */
void
bh_flow_run_async (BhFlow              *self,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  BhFlowPrivate *priv = bh_flow_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) inner = NULL;
  GError *error = NULL;

  g_return_if_fail (BH_IS_FLOW (self));
  g_return_if_fail (BH_FLOW_GET_CLASS (self)->run != NULL);

  /* The run's result must not turn into G_IO_ERROR_CANCELLED when the
   * cancel came after the last write had completed: finish_run decides. */
  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, bh_flow_run_async);

  if (priv->started)
    {
      g_task_return_new_error (task, BH_X_ERROR, BH_X_ERROR_FAILED,
                               _("This authorization has already run; start a new one."));
      return;
    }

  priv->started = TRUE;

  if (priv->store == NULL || priv->app == NULL)
    {
      error = g_error_new_literal (BH_X_ERROR, BH_X_ERROR_FAILED,
                                   _("The App for this authorization no longer exists."));
      finish_run (self, task, error);
      return;
    }

  if (!ensure_client (self, &error))
    {
      finish_run (self, task, error);
      return;
    }

  inner = g_task_new (self, priv->cancellable, bh_flow_run_cb, g_steal_pointer (&task));
  g_task_set_source_tag (inner, BH_FLOW_GET_CLASS (self)->run);
  g_task_set_check_cancellable (inner, FALSE);

  BH_FLOW_GET_CLASS (self)->run (self, g_steal_pointer (&inner));
}

/**
 * bh_flow_run_finish:
 *
 * Returns: %TRUE when the flow is DONE; otherwise %FALSE with the error
 *   (BH_X_ERROR_CANCELLED when it was cancelled)
 */
gboolean
bh_flow_run_finish (BhFlow        *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (BH_IS_FLOW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bh_flow_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
