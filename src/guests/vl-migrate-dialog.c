/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Move to Another Host dialog. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>

#include "vl-guest-migrate.h"
#include "vl-migrate-dialog.h"

struct _VlMigrateDialog
{
  GtkDialog parent_instance;

  GVirDomain *source;
  VlConnection *from;
  GListModel *connections;
  GtkComboBoxText *destinations;
  GtkToggleButton *live;
  GtkToggleButton *offline;
  GtkLabel *message;
  GtkLabel *plan;
  GtkProgressBar *progress;
  GtkLabel *status;
  GtkWidget *move_button;
  GCancellable *checking;    /* non-NULL while the choice is checked */
  GCancellable *cancellable; /* non-NULL while a move runs */
  gboolean plan_ok;
  gboolean moved;
  char *failed; /* why the last move failed, shown until the choice changes */
};

G_DEFINE_TYPE (VlMigrateDialog, vl_migrate_dialog, GTK_TYPE_DIALOG)

static void check (VlMigrateDialog *self);
static void choice_changed (VlMigrateDialog *self);

static VlConnection *
chosen (VlMigrateDialog *self)
{
  const char *uri = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->destinations));
  guint n = g_list_model_get_n_items (self->connections);

  for (guint i = 0; uri != NULL && i < n; i++)
    {
      g_autoptr(VlConnection) conn = g_list_model_get_item (self->connections, i);

      if (g_str_equal (vl_connection_get_uri (conn), uri))
        return conn; /* the model keeps its reference */
    }
  return NULL;
}

static void
show_message (VlMigrateDialog *self, const char *text)
{
  gtk_label_set_text (self->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL);
}

static void
update_button (VlMigrateDialog *self)
{
  gtk_widget_set_sensitive (self->move_button,
                            self->plan_ok && self->checking == NULL && self->cancellable == NULL);
}

/* The connected connections other than the source's, by their titles (with the URI when two
 * connections have the same title, as two daemons on one computer do). */
static void
fill_destinations (VlMigrateDialog *self)
{
  g_autofree char *was = g_strdup (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->destinations)));
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (self->connections);
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VlConnection) conn = g_list_model_get_item (self->connections, i);

      g_ptr_array_add (titles, vl_connection_dup_title (conn));
    }
  g_signal_handlers_block_by_func (self->destinations, choice_changed, self);
  gtk_combo_box_text_remove_all (self->destinations);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VlConnection) conn = g_list_model_get_item (self->connections, i);
      const char *title = g_ptr_array_index (titles, i);
      gboolean twice = FALSE;
      g_autofree char *label = NULL;

      if (conn == self->from ||
          g_str_equal (vl_connection_get_uri (conn), vl_connection_get_uri (self->from)) ||
          vl_connection_get_state (conn) != VL_CONNECTION_STATE_CONNECTED)
        continue;
      for (guint j = 0; j < n; j++)
        twice |= j != i && g_str_equal (title, g_ptr_array_index (titles, j));
      label = twice ? g_strdup_printf ("%s — %s", title, vl_connection_get_uri (conn)) : g_strdup (title);
      gtk_combo_box_text_append (self->destinations, vl_connection_get_uri (conn), label);
      count++;
    }
  if (was == NULL || !gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->destinations), was))
    gtk_combo_box_set_active (GTK_COMBO_BOX (self->destinations), count > 0 ? 0 : -1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->destinations), count > 0 && self->cancellable == NULL);
  g_signal_handlers_unblock_by_func (self->destinations, choice_changed, self);
  check (self);
}

static void
checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlMigrateDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VlMigratePlan) plan = vl_guest_migrate_check_finish (GVIR_DOMAIN (source), result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* a newer check runs */
  g_clear_object (&self->checking);
  self->plan_ok = plan != NULL;
  show_message (self, plan == NULL ? error->message : self->failed);
  if (plan != NULL && plan->copied->len > 0)
    {
      g_autofree char *size = g_format_size_full (plan->copy_bytes, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *disks = NULL;

      g_ptr_array_add (plan->copied, NULL);
      disks = g_strjoinv (", ", (char **) plan->copied->pdata);

      /* Translators: "vda, vdb (1.2 GiB)": the disks copied to the destination, and how much. */
      text = g_strdup_printf (_("Storage copy: the destination does not have the guest’s disks %s (%s); "
                                 "they are "
                                 "copied there, and the originals stay on this host."),
                              disks, size);
    }
  else if (plan != NULL)
    text = g_strdup (
      _("The destination has every disk of the guest already (shared storage): nothing is copied."));
  gtk_label_set_text (self->plan, text != NULL ? text : "");
  update_button (self);
}

/* Each change of destination or mode is checked at once, in a worker: what stops it is named before
 * anything is moved. */
static void
check (VlMigrateDialog *self)
{
  VlConnection *dest;
  g_autofree char *title = NULL;

  if (self->checking != NULL)
    {
      g_cancellable_cancel (self->checking);
      g_clear_object (&self->checking);
    }
  self->plan_ok = FALSE;
  gtk_label_set_text (self->plan, "");
  if (self->cancellable != NULL)
    return;
  dest = chosen (self);
  if (dest == NULL)
    {
      show_message (self, _("No other host is connected. Add a connection to the destination host in the "
                             "Guests page’s list first; it must be connected."));
      update_button (self);
      return;
    }
  show_message (self, self->failed);
  gtk_label_set_text (self->plan, _("Checking the destination…"));
  title = vl_connection_dup_title (dest);
  self->checking = g_cancellable_new ();
  vl_guest_migrate_check_async (self->source, vl_connection_get_connection (dest), title,
                                gtk_toggle_button_get_active (self->live) ? VL_MIGRATE_LIVE
                                                                          : VL_MIGRATE_OFFLINE,
                                self->checking, checked, g_object_ref (self));
  update_button (self);
}

/* The user chose again: an earlier failure is no longer the news. */
static void
choice_changed (VlMigrateDialog *self)
{
  g_clear_pointer (&self->failed, g_free);
  check (self);
}

static void
progress (double fraction, const char *text, gpointer user_data)
{
  VlMigrateDialog *self = user_data;

  gtk_progress_bar_set_fraction (self->progress, fraction);
  gtk_label_set_text (self->status, text);
}

static void
set_choosing (VlMigrateDialog *self, gboolean choosing)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->destinations), choosing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->live), choosing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->offline), choosing);
}

static void
move_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlMigrateDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = vl_guest_migrate_finish (GVIR_DOMAIN (source), result, &error);

  g_clear_object (&self->cancellable);
  set_choosing (self, TRUE);
  if (ok)
    {
      self->moved = TRUE;
      gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_OK);
      return;
    }
  gtk_widget_hide (GTK_WIDGET (self->progress));
  gtk_label_set_text (self->status, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                      ? _("Cancelled: the guest stays on this host, and nothing of the move "
                                           "was kept on the destination.")
                                      : "");
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    self->failed = g_strdup (error->message);
  check (self);
}

static void
response (VlMigrateDialog *self, int response_id)
{
  if (response_id == GTK_RESPONSE_ACCEPT)
    {
      VlConnection *dest = chosen (self);
      g_autofree char *title = NULL;

      g_signal_stop_emission_by_name (self, "response");
      if (dest == NULL || !self->plan_ok || self->checking != NULL || self->cancellable != NULL)
        return;
      title = vl_connection_dup_title (dest);
      self->cancellable = g_cancellable_new ();
      set_choosing (self, FALSE);
      update_button (self);
      g_clear_pointer (&self->failed, g_free);
      show_message (self, NULL);
      gtk_progress_bar_set_fraction (self->progress, 0);
      gtk_widget_show (GTK_WIDGET (self->progress));
      gtk_label_set_text (self->status, _("Checking the destination…"));
      vl_guest_migrate_async (self->source, vl_connection_get_connection (dest), title,
                              gtk_toggle_button_get_active (self->live) ? VL_MIGRATE_LIVE
                                                                        : VL_MIGRATE_OFFLINE,
                              self->cancellable, progress, self, move_done, g_object_ref (self));
    }
  else if (response_id == GTK_RESPONSE_CANCEL || response_id == GTK_RESPONSE_DELETE_EVENT)
    {
      if (self->cancellable != NULL)
        {
          /* Cancel the move first; the dialog stays until libvirt has ended it and the copies are gone. */
          g_signal_stop_emission_by_name (self, "response");
          g_cancellable_cancel (self->cancellable);
          gtk_label_set_text (self->status, _("Cancelling: the guest stays on this host…"));
        }
    }
}

static gboolean
delete_event (GtkWidget *widget, GdkEventAny *event)
{
  VlMigrateDialog *self = VL_MIGRATE_DIALOG (widget);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      return TRUE;
    }
  return FALSE;
}

GtkComboBox *
vl_migrate_dialog_get_destinations (VlMigrateDialog *self)
{
  return GTK_COMBO_BOX (self->destinations);
}

GtkToggleButton *
vl_migrate_dialog_get_live (VlMigrateDialog *self)
{
  return self->live;
}

GtkToggleButton *
vl_migrate_dialog_get_offline (VlMigrateDialog *self)
{
  return self->offline;
}

const char *
vl_migrate_dialog_get_message (VlMigrateDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->message)) ? gtk_label_get_text (self->message) : NULL;
}

const char *
vl_migrate_dialog_get_plan (VlMigrateDialog *self)
{
  return gtk_label_get_text (self->plan);
}

gboolean
vl_migrate_dialog_is_busy (VlMigrateDialog *self)
{
  return self->checking != NULL || self->cancellable != NULL;
}

gboolean
vl_migrate_dialog_is_running (VlMigrateDialog *self)
{
  return self->cancellable != NULL;
}

gboolean
vl_migrate_dialog_get_moved (VlMigrateDialog *self)
{
  return self->moved;
}

static void
vl_migrate_dialog_dispose (GObject *object)
{
  VlMigrateDialog *self = VL_MIGRATE_DIALOG (object);

  if (self->checking != NULL)
    g_cancellable_cancel (self->checking);
  if (self->connections != NULL)
    g_signal_handlers_disconnect_by_data (self->connections, self);
  G_OBJECT_CLASS (vl_migrate_dialog_parent_class)->dispose (object);
}

static void
vl_migrate_dialog_finalize (GObject *object)
{
  VlMigrateDialog *self = VL_MIGRATE_DIALOG (object);

  g_clear_object (&self->source);
  g_clear_object (&self->from);
  g_clear_object (&self->connections);
  g_clear_object (&self->checking);
  g_clear_object (&self->cancellable);
  g_free (self->failed);
  G_OBJECT_CLASS (vl_migrate_dialog_parent_class)->finalize (object);
}

static void
vl_migrate_dialog_class_init (VlMigrateDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vl_migrate_dialog_dispose;
  G_OBJECT_CLASS (klass)->finalize = vl_migrate_dialog_finalize;
  GTK_WIDGET_CLASS (klass)->delete_event = delete_event;
}

static void
vl_migrate_dialog_init (VlMigrateDialog *self)
{
}

static GtkWidget *
dim_label (const char *text, gboolean mnemonic)
{
  GtkWidget *label = mnemonic ? gtk_label_new_with_mnemonic (text) : gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), mnemonic ? 1 : 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  return label;
}

VlMigrateDialog *
vl_migrate_dialog_new (GtkWindow *parent, GVirDomain *source, VlConnection *from, GListModel *connections)
{
  VlMigrateDialog *self = g_object_new (VL_TYPE_MIGRATE_DIALOG, "use-header-bar", TRUE, "modal", TRUE,
                                        "resizable", FALSE, "transient-for", parent, "destroy-with-parent",
                                        TRUE, NULL);
  g_autofree char *title = g_strdup_printf (_("Move “%s” to Another Host"), gvir_domain_get_name (source));
  g_autoptr(GVirDomainInfo) info = gvir_domain_get_info (source, NULL);
  gboolean running = info != NULL &&
                     (info->state == GVIR_DOMAIN_STATE_RUNNING || info->state == GVIR_DOMAIN_STATE_BLOCKED ||
                      info->state == GVIR_DOMAIN_STATE_PAUSED);
  GtkWidget *grid, *label, *modes;

  self->source = g_object_ref (source);
  self->from = g_object_ref (from);
  self->connections = g_object_ref (connections);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_dialog_add_button (GTK_DIALOG (self), _("_Cancel"), GTK_RESPONSE_CANCEL);
  self->move_button = gtk_dialog_add_button (GTK_DIALOG (self), _("_Move"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->move_button), "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_ACCEPT);

  grid = g_object_new (GTK_TYPE_GRID, "row-spacing", 6, "column-spacing", 12, "border-width", 18, NULL);
  self->destinations = GTK_COMBO_BOX_TEXT (gtk_combo_box_text_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->destinations), TRUE);
  label = dim_label (_("_Destination"), TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->destinations));
  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->destinations), 1, 0, 1, 1);

  self->live = GTK_TOGGLE_BUTTON (
    gtk_radio_button_new_with_mnemonic (NULL, _("_Live: the guest keeps running")));
  self->offline = GTK_TOGGLE_BUTTON (gtk_radio_button_new_with_mnemonic_from_widget (
    GTK_RADIO_BUTTON (self->live), _("_Offline: the definition of a shut-off guest, and its disks")));
  gtk_toggle_button_set_active (running ? self->live : self->offline, TRUE);
  modes = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_container_add (GTK_CONTAINER (modes), GTK_WIDGET (self->live));
  gtk_container_add (GTK_CONTAINER (modes), GTK_WIDGET (self->offline));
  label = dim_label (_("How"), TRUE);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_widget_set_margin_top (label, 2);
  gtk_grid_attach (GTK_GRID (grid), label, 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), modes, 1, 1, 1, 1);

  self->message = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->message, 0);
  gtk_label_set_line_wrap (self->message, TRUE);
  gtk_label_set_max_width_chars (self->message, 48);
  gtk_label_set_selectable (self->message, TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->message)), "error");
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->message), 1, 2, 1, 1);
  self->plan = GTK_LABEL (dim_label ("", FALSE));
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->plan), 1, 3, 1, 1);
  gtk_grid_attach (GTK_GRID (grid),
                   dim_label (_("The guest is defined on the destination and leaves this host only when "
                                 "libvirt "
                                 "reports that the move succeeded."),
                              FALSE),
                   1, 4, 1, 1);

  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  self->status = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_line_wrap (self->status, TRUE);
  gtk_label_set_max_width_chars (self->status, 56);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->progress), 0, 5, 2, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->status), 0, 6, 2, 1);
  gtk_container_add (GTK_CONTAINER (gtk_dialog_get_content_area (GTK_DIALOG (self))), grid);
  gtk_widget_show_all (grid);
  gtk_widget_hide (GTK_WIDGET (self->progress));

  g_signal_connect_swapped (self->destinations, "changed", G_CALLBACK (choice_changed), self);
  g_signal_connect_swapped (self->live, "toggled", G_CALLBACK (choice_changed), self);
  g_signal_connect_swapped (connections, "items-changed", G_CALLBACK (fill_destinations), self);
  g_signal_connect (self, "response", G_CALLBACK (response), NULL);
  fill_destinations (self);
  return self;
}
