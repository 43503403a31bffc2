/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The guests. action group: connections (add, remove, reconnect) and guest lifecycle. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vl-guests-page-private.h"
#include "vl-add-connection-dialog.h"
#include "vl-credentials-dialog.h"
#include "vl-guest-lifecycle.h"
#include "vl-new-guest-assistant.h"
#include "vl-console-window.h"

static gboolean
is_running (int state)
{
  return state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_BLOCKED || state == VIR_DOMAIN_PAUSED
         || state == VIR_DOMAIN_SHUTDOWN || state == VIR_DOMAIN_PMSUSPENDED;
}

static void
set_enabled (VlGuestsPage *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
vl_guests_page_update_actions (VlGuestsPage *self)
{
  GVirDomain *domain = vl_guest_list_get_selected (self->guest_list);
  const VlGuestInfo *info = vl_guest_list_get_info (self->guest_list, domain);
  int state = info != NULL ? info->state : VIR_DOMAIN_NOSTATE;
  gboolean have = info != NULL;
  VlConnectionState conn_state = self->selected != NULL ? vl_connection_get_state (self->selected)
                                                        : VL_CONNECTION_STATE_DISCONNECTED;

  if (self->actions == NULL)
    return;  /* disposed: the list still says goodbye while it is torn down */

  set_enabled (self, "remove-connection", self->selected != NULL);
  set_enabled (self, "log-in", conn_state == VL_CONNECTION_STATE_NEEDS_CREDENTIALS);
  set_enabled (self, "reconnect", self->selected != NULL && conn_state != VL_CONNECTION_STATE_CONNECTING
                                  && conn_state != VL_CONNECTION_STATE_CONNECTED);
  set_enabled (self, "start", have && state == VIR_DOMAIN_SHUTOFF);
  set_enabled (self, "shutdown", have && (state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_BLOCKED));
  set_enabled (self, "reboot", have && (state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_BLOCKED));
  set_enabled (self, "force-off", have && is_running (state));
  set_enabled (self, "pause", have && (state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_BLOCKED));
  set_enabled (self, "resume", have && state == VIR_DOMAIN_PAUSED);
  set_enabled (self, "delete", have);
  set_enabled (self, "new-guest", conn_state == VL_CONNECTION_STATE_CONNECTED);
  set_enabled (self, "open-console", have && self->selected != NULL);
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

static void
op_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlGuestsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  VlGuestOp op = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));

  /* Success shows through libvirt's events in the list, not here. */
  if (!vl_guest_lifecycle_run_finish (GVIR_DOMAIN (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *title = vl_guest_lifecycle_failure (op, gvir_domain_get_name (GVIR_DOMAIN (source)));

      vl_guests_page_show_error (self, title, error->message);
    }
}

static void
run_op (VlGuestsPage *self, VlGuestOp op)
{
  GVirDomain *domain = vl_guest_list_get_selected (self->guest_list);

  if (domain != NULL)
    vl_guest_lifecycle_run_async (domain, op, self->cancellable, op_done, g_object_ref (self));
}

static void start_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, VL_GUEST_OP_START); }
static void shutdown_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, VL_GUEST_OP_SHUTDOWN); }
static void reboot_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, VL_GUEST_OP_REBOOT); }
static void force_off_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, VL_GUEST_OP_FORCE_OFF); }
static void pause_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, VL_GUEST_OP_PAUSE); }
static void resume_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, VL_GUEST_OP_RESUME); }

/* ---- delete, after asking --------------------------------------------------------------- */

static void
delete_response (GtkDialog *dialog, int response, gpointer user_data)
{
  g_autoptr(VlGuestsPage) self = user_data;
  GtkToggleButton *storage = g_object_get_data (G_OBJECT (dialog), "storage-check");

  if (response == GTK_RESPONSE_ACCEPT)
    run_op (self, gtk_toggle_button_get_active (storage) ? VL_GUEST_OP_DELETE_WITH_STORAGE : VL_GUEST_OP_DELETE);
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
delete_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlGuestsPage *self = user_data;
  GVirDomain *domain = vl_guest_list_get_selected (self->guest_list);
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *check;
  GtkWidget *area;

  if (domain == NULL)
    return;
  dialog = gtk_message_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                   _("Delete “%s”?"), gvir_domain_get_name (domain));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
    _("The guest is forced off if it runs, and its configuration is removed. This cannot be undone."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Delete"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (
    gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT)), "destructive-action");
  check = gtk_check_button_new_with_mnemonic (_("Also delete its _storage volumes"));
  area = gtk_message_dialog_get_message_area (GTK_MESSAGE_DIALOG (dialog));
  gtk_container_add (GTK_CONTAINER (area), check);
  gtk_widget_show (check);
  g_object_set_data (G_OBJECT (dialog), "storage-check", check);
  g_object_set_data (G_OBJECT (dialog), "guest-name", (gpointer) gvir_domain_get_name (domain));
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response), g_object_ref (self));
  gtk_widget_show (dialog);
}

/* ---- connections --------------------------------------------------------------------------- */

static void
add_connection_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlGuestsPage *self = user_data;
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  VlAddConnectionDialog *dialog;

  dialog = vl_add_connection_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                         self->connections);
  gtk_widget_show (GTK_WIDGET (dialog));
}

static void
remove_connection_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlGuestsPage *self = user_data;

  if (self->selected != NULL)
    vl_connections_remove (self->connections, vl_connection_get_uri (self->selected));
}

static void
reconnect_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlGuestsPage *self = user_data;

  if (self->selected != NULL)
    vl_connection_open (self->selected);
}

/* The log-in dialog of the selected connection, when libvirt asked for a user name and password. */
void
vl_guests_page_ask_credentials (VlGuestsPage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  VlCredentialsDialog *dialog;

  if (self->selected == NULL
      || vl_connection_get_state (self->selected) != VL_CONNECTION_STATE_NEEDS_CREDENTIALS)
    return;
  dialog = vl_credentials_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL, self->selected);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
log_in_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  vl_guests_page_ask_credentials (user_data);
}

/* ---- new guest ---------------------------------------------------------------------------- */

static void
new_guest_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlGuestsPage *self = user_data;
  GVirConnection *connection = vl_guests_page_get_selected_connection (self);
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  /* The new guest shows up in the list through libvirt's "defined" event, like any other. */
  if (connection != NULL)
    vl_new_guest_assistant_present (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                    vl_connections_get_model (self->connections), connection);
}

/* ---- console ------------------------------------------------------------------------------ */

/* The selected guest's console in a window of its own, next to the main window. */
static void
open_console_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlGuestsPage *self = user_data;
  GVirDomain *domain = vl_guests_page_get_selected_domain (self);
  GVirConnection *connection = vl_guests_page_get_selected_connection (self);
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  VlConsoleWindow *window;

  if (domain == NULL || connection == NULL)
    return;
  window = vl_console_window_new (connection, domain);
  if (GTK_IS_APPLICATION_WINDOW (toplevel))
    gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (GTK_WINDOW (toplevel)));
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry entries[] = {
  { "new-guest", new_guest_activated },
  { "add-connection", add_connection_activated },
  { "remove-connection", remove_connection_activated },
  { "reconnect", reconnect_activated },
  { "log-in", log_in_activated },
  { "start", start_activated },
  { "shutdown", shutdown_activated },
  { "reboot", reboot_activated },
  { "force-off", force_off_activated },
  { "pause", pause_activated },
  { "resume", resume_activated },
  { "delete", delete_activated },
  { "open-console", open_console_activated },
};

void
vl_guests_page_install_actions (VlGuestsPage *self)
{
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "guests", G_ACTION_GROUP (self->actions));
}
