/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "Add Connection" dialog: a URI from presets or typed, checked before it is added. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-add-connection-dialog.h"
#include "vl-widgets.h"

static const struct { const char *name; const char *uri; } presets[] = {
  { N_("QEMU/KVM on this computer"), "qemu:///system" },
  { N_("QEMU/KVM user session"), "qemu:///session" },
  { N_("Xen on this computer"), "xen:///system" },
  { N_("QEMU/KVM on another host (SSH)"), "qemu+ssh://user@host/system" },
  { N_("Xen on another host (SSH)"), "xen+ssh://user@host/system" },
  { N_("libvirt test driver"), "test:///default" },
  { N_("Custom URI"), "" },
};

struct _VlAddConnectionDialog
{
  GtkDialog parent_instance;

  GtkComboBoxText *preset_combo;
  GtkEntry        *uri_entry;
  GtkLabel        *message_label;

  VlConnections   *connections;
};

G_DEFINE_FINAL_TYPE (VlAddConnectionDialog, vl_add_connection_dialog, GTK_TYPE_DIALOG)

static void
show_message (VlAddConnectionDialog *self, const char *message, gboolean is_error)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self->message_label));

  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  if (is_error)
    gtk_style_context_add_class (style, "error");
  else
    gtk_style_context_remove_class (style, "error");
}

const char *
vl_add_connection_dialog_get_message (VlAddConnectionDialog *self)
{
  g_return_val_if_fail (VL_IS_ADD_CONNECTION_DIALOG (self), NULL);
  return gtk_label_get_text (self->message_label);
}

void
vl_add_connection_dialog_set_uri (VlAddConnectionDialog *self, const char *uri)
{
  g_return_if_fail (VL_IS_ADD_CONNECTION_DIALOG (self));
  gtk_entry_set_text (self->uri_entry, uri);
}

static void
preset_changed (VlAddConnectionDialog *self)
{
  int active = gtk_combo_box_get_active (GTK_COMBO_BOX (self->preset_combo));

  if (active < 0 || active >= (int) G_N_ELEMENTS (presets))
    return;
  gtk_entry_set_text (self->uri_entry, presets[active].uri);
  /* Remote presets hold placeholders: put the cursor where the user must type. */
  if (strstr (presets[active].uri, "user@host") != NULL)
    {
      const char *at = strstr (presets[active].uri, "user@host");
      int start = g_utf8_pointer_to_offset (presets[active].uri, at);

      gtk_widget_grab_focus (GTK_WIDGET (self->uri_entry));
      gtk_editable_select_region (GTK_EDITABLE (self->uri_entry), start, start + strlen ("user@host"));
    }
  else if (*presets[active].uri == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->uri_entry));
    }
}

static void
uri_changed (VlAddConnectionDialog *self)
{
  g_autoptr(GError) error = NULL;
  const char *uri = gtk_entry_get_text (self->uri_entry);

  if (*uri == '\0' || vl_connection_uri_validate (uri, &error))
    show_message (self, NULL, FALSE);
  else
    show_message (self, error->message, TRUE);
}

static void
vl_add_connection_dialog_response (GtkDialog *dialog, int response)
{
  VlAddConnectionDialog *self = VL_ADD_CONNECTION_DIALOG (dialog);
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      /* A bad URI keeps the dialog open with what the user typed, and says what is wrong. */
      if (vl_connections_add (self->connections, gtk_entry_get_text (self->uri_entry), &error) == NULL)
        {
          show_message (self, error->message, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (self->uri_entry));
          return;
        }
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

VlAddConnectionDialog *
vl_add_connection_dialog_new (GtkWindow *parent, VlConnections *connections)
{
  VlAddConnectionDialog *self = g_object_new (VL_TYPE_ADD_CONNECTION_DIALOG,
                                              "transient-for", parent, "use-header-bar", TRUE, NULL);

  self->connections = g_object_ref (connections);
  return self;
}

static void
vl_add_connection_dialog_dispose (GObject *object)
{
  VlAddConnectionDialog *self = VL_ADD_CONNECTION_DIALOG (object);

  g_clear_object (&self->connections);
  G_OBJECT_CLASS (vl_add_connection_dialog_parent_class)->dispose (object);
}

static void
vl_add_connection_dialog_class_init (VlAddConnectionDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vl_add_connection_dialog_dispose;
  GTK_DIALOG_CLASS (klass)->response = vl_add_connection_dialog_response;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-add-connection-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VlAddConnectionDialog, preset_combo);
  gtk_widget_class_bind_template_child (widget_class, VlAddConnectionDialog, uri_entry);
  gtk_widget_class_bind_template_child (widget_class, VlAddConnectionDialog, message_label);
  gtk_widget_class_bind_template_callback (widget_class, preset_changed);
  gtk_widget_class_bind_template_callback (widget_class, uri_changed);
}

static void
vl_add_connection_dialog_init (VlAddConnectionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_accessible_name_entries (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    gtk_combo_box_text_append_text (self->preset_combo, _(presets[i].name));
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->preset_combo), 0);
}
