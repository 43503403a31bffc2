/* The guests. action group: connections (add, remove, reconnect) and guest lifecycle. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vl-guests-page-private.h"
#include "vl-add-connection-dialog.h"
#include "vl-error.h"

typedef enum {
  OP_START, OP_SHUTDOWN, OP_REBOOT, OP_FORCE_OFF, OP_PAUSE, OP_RESUME, OP_DELETE, OP_DELETE_WITH_STORAGE
} GuestOp;

static const char *const op_failures[] = {
  N_("“%s” could not be started"),
  N_("“%s” could not be shut down"),
  N_("“%s” could not be rebooted"),
  N_("“%s” could not be forced off"),
  N_("“%s” could not be paused"),
  N_("“%s” could not be resumed"),
  N_("“%s” could not be deleted"),
  N_("“%s” could not be deleted"),
};

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

  set_enabled (self, "remove-connection", self->selected != NULL);
  set_enabled (self, "reconnect", self->selected != NULL && conn_state != VL_CONNECTION_STATE_CONNECTING
                                  && conn_state != VL_CONNECTION_STATE_CONNECTED);
  set_enabled (self, "start", have && state == VIR_DOMAIN_SHUTOFF);
  set_enabled (self, "shutdown", have && (state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_BLOCKED));
  set_enabled (self, "reboot", have && (state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_BLOCKED));
  set_enabled (self, "force-off", have && is_running (state));
  set_enabled (self, "pause", have && (state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_BLOCKED));
  set_enabled (self, "resume", have && state == VIR_DOMAIN_PAUSED);
  set_enabled (self, "delete", have);
}

/* ---- lifecycle, run in a thread: libvirt's calls wait on the daemon ------------------------- */

/* Deletes the volumes behind the guest's disks; a disk that is no pool's volume is left alone. */
static gboolean
delete_volumes (virConnectPtr vconn, GVirConfigDomain *config, GError **error)
{
  GList *devices = gvir_config_domain_get_devices (config);
  gboolean ok = TRUE;

  for (GList *l = devices; l != NULL && ok; l = l->next)
    {
      const char *path;
      virStorageVolPtr vol;

      if (!GVIR_CONFIG_IS_DOMAIN_DISK (l->data)
          || gvir_config_domain_disk_get_guest_device_type (l->data) != GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK)
        continue;
      path = gvir_config_domain_disk_get_source (l->data);
      if (path == NULL || (vol = virStorageVolLookupByPath (vconn, path)) == NULL)
        {
          virResetLastError ();
          continue;
        }
      if (virStorageVolDelete (vol, 0) < 0)
        {
          virErrorPtr verr = virGetLastError ();

          g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("Volume “%s” could not be deleted: %s"), path,
                       verr != NULL ? verr->message : _("unknown error"));
          ok = FALSE;
        }
      virStorageVolFree (vol);
    }
  g_list_free_full (devices, g_object_unref);
  return ok;
}

static gboolean
delete_guest (GVirDomain *domain, gboolean with_storage, GError **error)
{
  g_autoptr(GVirConfigDomain) config = NULL;
  GVirDomainInfo *info;
  gboolean running;

  config = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, error);
  if (config == NULL)
    return FALSE;
  info = gvir_domain_get_info (domain, error);
  if (info == NULL)
    return FALSE;
  running = info->state != GVIR_DOMAIN_STATE_SHUTOFF;
  g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info);
  if (running && !gvir_domain_stop (domain, 0, error))
    return FALSE;
  if (with_storage)
    {
      virDomainPtr vdom = NULL;
      virConnectPtr vconn;
      gboolean ok;

      g_object_get (domain, "handle", &vdom, NULL);
      vconn = virDomainGetConnect (vdom);
      ok = delete_volumes (vconn, config, error);
      virDomainFree (vdom);
      if (!ok)
        return FALSE;
    }
  /* Managed save images, snapshot metadata and NVRAM would otherwise keep the name taken. */
  return gvir_domain_delete (domain, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
                                     | VIR_DOMAIN_UNDEFINE_NVRAM, error);
}

static void
op_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GVirDomain *domain = source;
  GuestOp op = GPOINTER_TO_INT (task_data);
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (op)
    {
    case OP_START: ok = gvir_domain_start (domain, 0, &error); break;
    case OP_SHUTDOWN: ok = gvir_domain_shutdown (domain, 0, &error); break;
    case OP_REBOOT: ok = gvir_domain_reboot (domain, 0, &error); break;
    case OP_FORCE_OFF: ok = gvir_domain_stop (domain, 0, &error); break;
    case OP_PAUSE: ok = gvir_domain_suspend (domain, &error); break;
    case OP_RESUME: ok = gvir_domain_resume (domain, &error); break;
    case OP_DELETE: ok = delete_guest (domain, FALSE, &error); break;
    case OP_DELETE_WITH_STORAGE: ok = delete_guest (domain, TRUE, &error); break;
    default: g_assert_not_reached ();
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
op_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlGuestsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GuestOp op = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *title = g_strdup_printf (_(op_failures[op]), gvir_domain_get_name (GVIR_DOMAIN (source)));

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vl_guests_page_show_error (self, title, error->message);
    }
  /* The list changes through libvirt's events, not here. */
}

static void
run_op (VlGuestsPage *self, GuestOp op)
{
  GVirDomain *domain = vl_guest_list_get_selected (self->guest_list);
  g_autoptr(GTask) task = NULL;

  if (domain == NULL)
    return;
  task = g_task_new (domain, self->cancellable, op_done, g_object_ref (self));
  g_task_set_source_tag (task, run_op);
  g_task_set_task_data (task, GINT_TO_POINTER (op), NULL);
  g_task_run_in_thread (task, op_thread);
}

static void start_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, OP_START); }
static void shutdown_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, OP_SHUTDOWN); }
static void reboot_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, OP_REBOOT); }
static void force_off_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, OP_FORCE_OFF); }
static void pause_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, OP_PAUSE); }
static void resume_activated (GSimpleAction *a, GVariant *p, gpointer self) { run_op (self, OP_RESUME); }

/* ---- delete, after asking --------------------------------------------------------------- */

static void
delete_response (GtkDialog *dialog, int response, gpointer user_data)
{
  g_autoptr(VlGuestsPage) self = user_data;
  GtkToggleButton *storage = g_object_get_data (G_OBJECT (dialog), "storage-check");

  if (response == GTK_RESPONSE_ACCEPT)
    run_op (self, gtk_toggle_button_get_active (storage) ? OP_DELETE_WITH_STORAGE : OP_DELETE);
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

static const GActionEntry entries[] = {
  { "add-connection", add_connection_activated },
  { "remove-connection", remove_connection_activated },
  { "reconnect", reconnect_activated },
  { "start", start_activated },
  { "shutdown", shutdown_activated },
  { "reboot", reboot_activated },
  { "force-off", force_off_activated },
  { "pause", pause_activated },
  { "resume", resume_activated },
  { "delete", delete_activated },
};

void
vl_guests_page_install_actions (VlGuestsPage *self)
{
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "guests", G_ACTION_GROUP (self->actions));
}
