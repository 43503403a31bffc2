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
#include "vl-clone-dialog.h"
#include "vl-migrate-dialog.h"

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
  /* A clone copies the disks: they must not change meanwhile (as virt-clone asks). */
  set_enabled (self, "clone", have && (state == VIR_DOMAIN_SHUTOFF || state == VIR_DOMAIN_PAUSED));
  /* A move is live for a running or paused guest, offline for a shut-off one (the dialog offers both). */
  set_enabled (self, "migrate",
               have && conn_state == VL_CONNECTION_STATE_CONNECTED &&
                 (state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_BLOCKED || state == VIR_DOMAIN_PAUSED ||
                  state == VIR_DOMAIN_SHUTOFF));
  set_enabled (self, "new-guest", conn_state == VL_CONNECTION_STATE_CONNECTED);
  set_enabled (self, "open-console", have && self->selected != NULL);
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

#define SHUTDOWN_PATIENCE_MS 15000  /* as long as Boxes and virt-manager leave a guest before offering more */

static void run_op_on (VlGuestsPage *self, GVirDomain *domain, VlGuestOp op);
static void confirm_force_off (VlGuestsPage *self, GVirDomain *domain);

void
vl_guests_page_clear_shutdown (VlGuestsPage *self)
{
  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  g_clear_object (&self->shutting_down);
  if (self->shutdown_bar != NULL)
    gtk_widget_hide (GTK_WIDGET (self->shutdown_bar));
}

void
vl_guests_page_set_shutdown_patience (VlGuestsPage *self, guint ms)
{
  g_return_if_fail (VL_IS_GUESTS_PAGE (self));
  self->shutdown_patience_ms = ms;
}

static guint
shutdown_patience (VlGuestsPage *self)
{
  return self->shutdown_patience_ms > 0 ? self->shutdown_patience_ms : SHUTDOWN_PATIENCE_MS;
}

/* The guest did not go: its system may not listen to ACPI (installers, boot menus, a BIOS). */
static gboolean
shutdown_overdue (gpointer user_data)
{
  VlGuestsPage *self = user_data;
  guint seconds = (shutdown_patience (self) + 999) / 1000;
  g_autofree char *text = NULL;

  self->shutdown_timeout_id = 0;
  /* Translators: %u is a number of seconds (15). */
  text = g_strdup_printf (_("“%s” is still running, %u s after it was asked to shut down. Its system may ignore "
                            "the request, as installers and boot menus often do: Force Off turns it off at once."),
                          gvir_domain_get_name (self->shutting_down), seconds);
  gtk_label_set_text (self->shutdown_label, text);
  gtk_info_bar_set_message_type (self->shutdown_bar, GTK_MESSAGE_WARNING);
  gtk_widget_show (self->shutdown_force_button);
  return G_SOURCE_REMOVE;
}

/* Said at once: libvirt only passes the request on, and the guest's system decides. */
static void
shutdown_requested (VlGuestsPage *self, GVirDomain *domain)
{
  const VlGuestInfo *info = vl_guest_list_get_info (self->guest_list, domain);
  g_autofree char *text = NULL;

  if (info != NULL && info->state == VIR_DOMAIN_SHUTOFF)
    return;  /* already off: the event came before the answer */
  vl_guests_page_clear_shutdown (self);
  self->shutting_down = g_object_ref (domain);
  text = g_strdup_printf (_("Asked “%s” to shut down. Its system decides when; this can take a while."),
                          gvir_domain_get_name (domain));
  gtk_label_set_text (self->shutdown_label, text);
  gtk_info_bar_set_message_type (self->shutdown_bar, GTK_MESSAGE_INFO);
  gtk_widget_hide (self->shutdown_force_button);
  gtk_widget_show (GTK_WIDGET (self->shutdown_bar));
  self->shutdown_timeout_id = g_timeout_add (shutdown_patience (self), shutdown_overdue, self);
}

static void
guest_changed (VlGuestList *list, GVirDomain *domain, VlGuestsPage *self)
{
  const VlGuestInfo *info = vl_guest_list_get_info (list, domain);

  if (self->shutting_down == NULL || info == NULL
      || g_strcmp0 (gvir_domain_get_uuid (domain), gvir_domain_get_uuid (self->shutting_down)) != 0)
    return;
  if (info->state == VIR_DOMAIN_SHUTOFF || info->state == VIR_DOMAIN_CRASHED)
    vl_guests_page_clear_shutdown (self);
}

static void
shutdown_bar_response (GtkInfoBar *bar, int response, VlGuestsPage *self)
{
  if (response == GTK_RESPONSE_CLOSE)
    vl_guests_page_clear_shutdown (self);
}

static void
shutdown_force_clicked (VlGuestsPage *self)
{
  if (self->shutting_down != NULL)
    confirm_force_off (self, self->shutting_down);
}

static void
op_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlGuestsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  VlGuestOp op = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));

  /* Success shows through libvirt's events in the list, not here; a shutdown is only a request. */
  if (vl_guest_lifecycle_run_finish (GVIR_DOMAIN (source), result, &error))
    {
      if (op == VL_GUEST_OP_SHUTDOWN && self->shutdown_bar != NULL)
        shutdown_requested (self, GVIR_DOMAIN (source));
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *title = vl_guest_lifecycle_failure (op, gvir_domain_get_name (GVIR_DOMAIN (source)));

      vl_guests_page_show_error (self, title, error->message);
    }
}

static void
run_op_on (VlGuestsPage *self, GVirDomain *domain, VlGuestOp op)
{
  if (domain != NULL)
    vl_guest_lifecycle_run_async (domain, op, self->cancellable, op_done, g_object_ref (self));
}

static void
run_op (VlGuestsPage *self, VlGuestOp op)
{
  run_op_on (self, vl_guest_list_get_selected (self->guest_list), op);
}

/* ---- force off, after asking: like pulling the plug ------------------------------------------ */

static void
force_off_response (GtkDialog *dialog, int response, gpointer user_data)
{
  g_autoptr(VlGuestsPage) self = user_data;
  GVirDomain *domain = g_object_get_data (G_OBJECT (dialog), "domain");

  if (response == GTK_RESPONSE_ACCEPT)
    run_op_on (self, domain, VL_GUEST_OP_FORCE_OFF);
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
confirm_force_off (VlGuestsPage *self, GVirDomain *domain)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                   _("Force “%s” off?"), gvir_domain_get_name (domain));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
    _("This is like pulling the power plug: whatever the guest has not saved is lost, and its disks may "
      "need checking at the next start."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Force Off"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  gtk_style_context_add_class (gtk_widget_get_style_context (
    gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT)), "destructive-action");
  g_object_set_data_full (G_OBJECT (dialog), "domain", g_object_ref (domain), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (force_off_response), g_object_ref (self));
  gtk_widget_show (dialog);
}

static void
force_off_activated (GSimpleAction *a, GVariant *p, gpointer user_data)
{
  VlGuestsPage *self = user_data;
  GVirDomain *domain = vl_guest_list_get_selected (self->guest_list);

  if (domain != NULL)
    confirm_force_off (self, domain);
}

static void start_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, VL_GUEST_OP_START); }
static void shutdown_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, VL_GUEST_OP_SHUTDOWN); }
static void reboot_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, VL_GUEST_OP_REBOOT); }
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

/* ---- clone -------------------------------------------------------------------------------- */

static void
clone_response (GtkDialog *dialog, int response, gpointer user_data)
{
  g_autoptr(VlGuestsPage) self = user_data;

  /* The dialog keeps itself open while a clone runs or is being cancelled. */
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
clone_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlGuestsPage *self = user_data;
  GVirDomain *domain = vl_guest_list_get_selected (self->guest_list);
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  VlCloneDialog *dialog;
  GList *domains;

  if (domain == NULL || self->selected == NULL)
    return;
  /* The names the list knows (libvirt-gobject's cache, no call to libvirt); the clone checks again. */
  domains = gvir_connection_get_domains (vl_connection_get_connection (self->selected));
  for (GList *l = domains; l != NULL; l = l->next)
    g_ptr_array_add (names, g_strdup (gvir_domain_get_name (l->data)));
  g_list_free_full (domains, g_object_unref);
  g_ptr_array_add (names, NULL);
  dialog = vl_clone_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL, domain,
                                (const char * const *) names->pdata);
  g_signal_connect (dialog, "response", G_CALLBACK (clone_response), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- move to another host ------------------------------------------------------------------ */

static void
migrate_response (GtkDialog *dialog, int response, gpointer user_data)
{
  g_autoptr(VlGuestsPage) self = user_data;

  /* The dialog keeps itself open while a move runs or is being cancelled. The guest leaves this
   * list and shows up in the destination's through libvirt's events. */
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
migrate_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlGuestsPage *self = user_data;
  GVirDomain *domain = vl_guest_list_get_selected (self->guest_list);
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  VlMigrateDialog *dialog;

  if (domain == NULL || self->selected == NULL)
    return;
  dialog = vl_migrate_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL, domain,
                                  self->selected, vl_connections_get_model (self->connections));
  g_signal_connect (dialog, "response", G_CALLBACK (migrate_response), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
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
  { "clone", clone_activated },
  { "migrate", migrate_activated },
  { "open-console", open_console_activated },
};

/* Delete on the guest list deletes the selected guest (after the dialog), as in GNOME Boxes and file
 * managers; handled on the list, not as an accelerator, so Delete in the search entry edits text. */
static gboolean
guest_list_key_pressed (GtkWidget *list, GdkEventKey *event, VlGuestsPage *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "delete");

  if ((event->keyval != GDK_KEY_Delete && event->keyval != GDK_KEY_KP_Delete) ||
      (event->state & gtk_accelerator_get_default_mod_mask ()) != 0 || !g_action_get_enabled (action))
    return GDK_EVENT_PROPAGATE;
  g_action_activate (action, NULL);
  return GDK_EVENT_STOP;
}

void
vl_guests_page_install_actions (VlGuestsPage *self)
{
  static const char *const new_guest_accels[] = { "<Primary>n", NULL };
  GApplication *app = g_application_get_default ();

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "guests", G_ACTION_GROUP (self->actions));
  g_signal_connect (self->guest_list, "guest-changed", G_CALLBACK (guest_changed), self);
  g_signal_connect (self->guest_list, "key-press-event", G_CALLBACK (guest_list_key_pressed), self);
  /* Ctrl+N makes a new guest, as in GNOME Boxes, wherever the focus is on this page (GTK looks the
   * action up from the focused widget). */
  if (GTK_IS_APPLICATION (app))
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), "guests.new-guest", new_guest_accels);
  g_signal_connect (self->shutdown_bar, "response", G_CALLBACK (shutdown_bar_response), self);
  g_signal_connect_swapped (self->shutdown_force_button, "clicked", G_CALLBACK (shutdown_force_clicked), self);
}
