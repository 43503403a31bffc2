/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "Log In" dialog: the user name and password a libvirt connection asks for. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-credentials-dialog.h"
#include "vl-widgets.h"

struct _VlCredentialsDialog
{
  GtkDialog parent_instance;

  GtkLabel     *title_label;
  GtkLabel     *reason_label;
  GtkEntry     *username_entry;
  GtkEntry     *password_entry;
  GtkLabel     *message_label;
  GtkWidget    *log_in_button;

  VlConnection *connection;
  gboolean      waiting;       /* the log-in is on its way: the dialog waits for the answer */
};

G_DEFINE_FINAL_TYPE (VlCredentialsDialog, vl_credentials_dialog, GTK_TYPE_DIALOG)

const char *
vl_credentials_dialog_get_message (VlCredentialsDialog *self)
{
  g_return_val_if_fail (VL_IS_CREDENTIALS_DIALOG (self), NULL);
  return gtk_label_get_text (self->message_label);
}

/* Log In needs a user name, and waits while the host is answering. */
static void
username_changed (VlCredentialsDialog *self)
{
  gtk_widget_set_sensitive (self->log_in_button, !self->waiting && *gtk_entry_get_text (self->username_entry) != '\0');
}

static void
set_waiting (VlCredentialsDialog *self, gboolean waiting)
{
  self->waiting = waiting;
  gtk_widget_set_sensitive (GTK_WIDGET (self->username_entry), !waiting);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_entry), !waiting);
  username_changed (self);
}

static void
vl_credentials_dialog_response (GtkDialog *dialog, int response)
{
  VlCredentialsDialog *self = VL_CREDENTIALS_DIALOG (dialog);
  g_autoptr(GError) error = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    {
      gtk_widget_destroy (GTK_WIDGET (dialog));
      return;
    }
  if (!vl_connection_log_in (self->connection, gtk_entry_get_text (self->username_entry),
                             gtk_entry_get_text (self->password_entry), &error))
    {
      /* What was typed stays, so the user can correct it. */
      gtk_label_set_text (self->message_label, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
      return;
    }
  gtk_label_set_text (self->message_label, "");
  set_waiting (self, TRUE);
}

/* The dialog stays until the host has answered: it closes once connected, and a refusal is shown
 * in it with what was typed kept, ready for another try. */
static void
connection_state_changed (VlCredentialsDialog *self)
{
  VlConnectionState state = vl_connection_get_state (self->connection);

  if (state == VL_CONNECTION_STATE_CONNECTED)
    {
      gtk_widget_destroy (GTK_WIDGET (self));
      return;
    }
  if (!self->waiting || state == VL_CONNECTION_STATE_CONNECTING)
    return;
  set_waiting (self, FALSE);
  gtk_label_set_text (self->message_label, vl_connection_get_message (self->connection));
  gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
}

VlCredentialsDialog *
vl_credentials_dialog_new (GtkWindow *parent, VlConnection *connection)
{
  VlCredentialsDialog *self = g_object_new (VL_TYPE_CREDENTIALS_DIALOG,
                                            "transient-for", parent, "use-header-bar", TRUE, NULL);
  g_autofree char *title = vl_connection_dup_title (connection);
  g_autofree char *heading = g_strdup_printf (_("Log in to %s"), title);
  g_autofree char *username = vl_connection_dup_username (connection);

  self->connection = g_object_ref (connection);
  gtk_label_set_text (self->title_label, heading);
  gtk_label_set_text (self->reason_label, vl_connection_get_message (connection) != NULL
                                          ? vl_connection_get_message (connection)
                                          : vl_connection_get_uri (connection));
  if (username != NULL)
    {
      gtk_entry_set_text (self->username_entry, username);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
    }
  username_changed (self);
  g_signal_connect_object (connection, "notify::state", G_CALLBACK (connection_state_changed), self,
                           G_CONNECT_SWAPPED);
  return self;
}

static void
vl_credentials_dialog_dispose (GObject *object)
{
  VlCredentialsDialog *self = VL_CREDENTIALS_DIALOG (object);

  g_clear_object (&self->connection);
  G_OBJECT_CLASS (vl_credentials_dialog_parent_class)->dispose (object);
}

static void
vl_credentials_dialog_class_init (VlCredentialsDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vl_credentials_dialog_dispose;
  GTK_DIALOG_CLASS (klass)->response = vl_credentials_dialog_response;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-credentials-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VlCredentialsDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, VlCredentialsDialog, reason_label);
  gtk_widget_class_bind_template_child (widget_class, VlCredentialsDialog, username_entry);
  gtk_widget_class_bind_template_child (widget_class, VlCredentialsDialog, password_entry);
  gtk_widget_class_bind_template_child (widget_class, VlCredentialsDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, VlCredentialsDialog, log_in_button);
  gtk_widget_class_bind_template_callback (widget_class, username_changed);
}

static void
vl_credentials_dialog_init (VlCredentialsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_accessible_name_entries (GTK_WIDGET (self));
}
