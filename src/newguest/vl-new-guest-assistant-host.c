/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The new-guest assistant's connection step: which connection, what its host offers, and switching hosts. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-connection.h"
#include "vl-guest-creator.h"
#include "vl-gvir-autoptr.h"
#include "vl-new-guest-assistant-private.h"

static VlNewGuestStepConnection *
connection_step (VlNewGuestAssistant *self)
{
  return VL_NEW_GUEST_STEP_CONNECTION (self->steps[VL_ASSISTANT_STEP_CONNECTION]);
}

static void
host_described_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlNewGuestAssistant) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  guint64 host_mib;
  guint cpus;

  if (!vl_guest_creator_describe_host_finish (VL_GUEST_CREATOR (source), result, &error))
    {
      /* Cancelled: the assistant closed, or the user chose another connection meanwhile. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || VL_GUEST_CREATOR (source) != self->creator)
        return;
      vl_new_guest_step_connection_show_host (connection_step (self), NULL, FALSE);
      vl_new_guest_assistant_show_error (self, VL_ASSISTANT_STEP_CONNECTION, error->message);
      return;
    }
  if (VL_GUEST_CREATOR (source) != self->creator)
    return;
  self->host_ready = TRUE;

  host_mib = vl_guest_spec_get_host_memory_kib (self->spec) / 1024;
  cpus = vl_guest_spec_get_host_cpus (self->spec);
  summary = vl_guest_spec_describe_host (self->spec);
  vl_new_guest_step_connection_show_host (connection_step (self), summary, FALSE);
  vl_new_guest_step_resources_set_host (VL_NEW_GUEST_STEP_RESOURCES (
                                          self->steps[VL_ASSISTANT_STEP_RESOURCES]),
                                        summary, host_mib, cpus);

  vl_new_guest_step_network_show_networks (VL_NEW_GUEST_STEP_NETWORK (self->steps[VL_ASSISTANT_STEP_NETWORK]),
                                           vl_guest_creator_get_networks (self->creator));
  vl_new_guest_step_storage_show_pools (VL_NEW_GUEST_STEP_STORAGE (self->steps[VL_ASSISTANT_STEP_STORAGE]),
                                        self->creator);
  vl_new_guest_step_mode_set_host_ready (VL_NEW_GUEST_STEP_MODE (self->steps[VL_ASSISTANT_STEP_MODE]), TRUE);
  vl_new_guest_assistant_update_buttons (self);
}

void
vl_new_guest_assistant_describe_host (VlNewGuestAssistant *self)
{
  vl_new_guest_step_connection_show_host (connection_step (self), NULL, TRUE);
  vl_guest_creator_describe_host_async (self->creator, self->spec, self->host_cancellable, host_described_cb,
                                        g_object_ref (self));
}

/* ---- choosing the connection --------------------------------------------------------------- */

static char *
connection_text (VlConnection *connection)
{
  g_autofree char *title = vl_connection_dup_title (connection);

  /* Two connections of one kind (two test files, two remote hosts) differ only by their address. */
  return g_strdup_printf ("%s — %s", title, vl_connection_get_uri (connection));
}

/* Lists the connections that are connected now; the one in use stays listed even if it has dropped. */
void
vl_new_guest_assistant_fill_connections (VlNewGuestAssistant *self)
{
  const char *current = gvir_connection_get_uri (self->connection);
  gboolean current_listed = FALSE;
  guint n = self->connections != NULL ? g_list_model_get_n_items (self->connections) : 0;

  vl_new_guest_step_connection_begin_choices (connection_step (self));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VlConnection) connection = g_list_model_get_item (self->connections, i);
      const char *uri = vl_connection_get_uri (connection);
      g_autofree char *text = NULL;

      if (g_strcmp0 (uri, current) != 0
          && (vl_connection_get_state (connection) != VL_CONNECTION_STATE_CONNECTED
              || vl_connection_get_connection (connection) == NULL))
        continue;
      text = connection_text (connection);
      vl_new_guest_step_connection_add_choice (connection_step (self), uri, text, FALSE);
      current_listed |= g_strcmp0 (uri, current) == 0;
    }
  if (!current_listed)
    vl_new_guest_step_connection_add_choice (connection_step (self), current, current, TRUE);
  vl_new_guest_step_connection_end_choices (connection_step (self), current);
}

static GVirConnection *
find_connected (VlNewGuestAssistant *self, const char *uri)
{
  guint n = self->connections != NULL ? g_list_model_get_n_items (self->connections) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VlConnection) connection = g_list_model_get_item (self->connections, i);

      if (g_strcmp0 (vl_connection_get_uri (connection), uri) == 0
          && vl_connection_get_state (connection) == VL_CONNECTION_STATE_CONNECTED)
        return vl_connection_get_connection (connection);
    }
  return NULL;
}

/* Another host: its capabilities, limits, pools, networks and the OS defaults that depend on them are
 * read again, and every choice made from the old host's lists is reset. What the user typed stays. */
static void
switch_connection (VlNewGuestAssistant *self, GVirConnection *connection)
{
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();

  g_cancellable_cancel (self->host_cancellable);
  g_clear_object (&self->host_cancellable);
  self->host_cancellable = g_cancellable_new ();
  g_set_object (&self->connection, connection);
  g_clear_object (&self->creator);
  self->creator = vl_guest_creator_new (connection);
  if (self->default_pool_dir != NULL)
    vl_guest_creator_set_default_pool_dir (self->creator, self->default_pool_dir);
  vl_guest_spec_set_use_kvm (spec, vl_guest_spec_get_use_kvm (self->spec));
  g_set_object (&self->spec, spec);
  vl_new_guest_assistant_set_step_specs (self);
  self->host_ready = FALSE;
  vl_new_guest_step_mode_set_host_ready (VL_NEW_GUEST_STEP_MODE (self->steps[VL_ASSISTANT_STEP_MODE]), FALSE);
  vl_new_guest_step_connection_show_host (connection_step (self), _("Reading what this host offers…"), TRUE);
  vl_new_guest_assistant_show_error (self, VL_ASSISTANT_STEP_CONNECTION, NULL);
  vl_new_guest_step_network_show_networks (VL_NEW_GUEST_STEP_NETWORK (self->steps[VL_ASSISTANT_STEP_NETWORK]),
                                           NULL);
  vl_new_guest_step_storage_show_pools (VL_NEW_GUEST_STEP_STORAGE (self->steps[VL_ASSISTANT_STEP_STORAGE]),
                                        NULL);
  vl_new_guest_assistant_update_buttons (self);
  vl_new_guest_assistant_describe_host (self);
}

static void
on_connection_chosen (VlNewGuestAssistant *self, const char *uri)
{
  GVirConnection *connection;

  if (g_strcmp0 (uri, gvir_connection_get_uri (self->connection)) == 0)
    return;
  connection = find_connected (self, uri);
  if (connection == NULL)
    {
      /* It dropped between listing and choosing: say so, and stay on the one in use. */
      g_autofree char *message = g_strdup_printf (_("The connection “%s” is not connected any more."), uri);

      vl_new_guest_assistant_fill_connections (self);
      vl_new_guest_assistant_show_error (self, VL_ASSISTANT_STEP_CONNECTION, message);
      return;
    }
  switch_connection (self, connection);
}

static void
watch_connections (VlNewGuestAssistant *self, guint position, guint added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(VlConnection) connection = g_list_model_get_item (self->connections, i);

      g_signal_connect_object (connection, "notify::state", G_CALLBACK (vl_new_guest_assistant_fill_connections),
                               self, G_CONNECT_SWAPPED);
    }
}

static void
connections_changed (GListModel *model, guint position, guint removed, guint added, VlNewGuestAssistant *self)
{
  watch_connections (self, position, added);
  vl_new_guest_assistant_fill_connections (self);
}

void
vl_new_guest_assistant_set_connections (VlNewGuestAssistant *self, GListModel *connections)
{
  g_return_if_fail (VL_IS_NEW_GUEST_ASSISTANT (self));
  g_return_if_fail (connections == NULL || G_IS_LIST_MODEL (connections));
  if (self->connections != NULL)
    g_signal_handlers_disconnect_by_data (self->connections, self);
  g_set_object (&self->connections, connections);
  if (connections != NULL)
    {
      g_signal_connect_object (connections, "items-changed", G_CALLBACK (connections_changed), self, 0);
      watch_connections (self, 0, g_list_model_get_n_items (connections));
    }
  vl_new_guest_assistant_fill_connections (self);
}

void
vl_new_guest_assistant_watch_connection_step (VlNewGuestAssistant *self)
{
  g_signal_connect_object (connection_step (self), "connection-chosen", G_CALLBACK (on_connection_chosen),
                           self, G_CONNECT_SWAPPED);
}
