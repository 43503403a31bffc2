/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The assistant's first step, "Connection": which libvirt connection, and what its host offers. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-new-guest-steps.h"

struct _VlNewGuestStepConnection
{
  VlNewGuestStep parent_instance;

  gboolean filling;
  GtkComboBoxText *conn_combo;
  GtkLabel *conn_summary_label, *connection_error;
  GtkSpinner *conn_spinner;
};

G_DEFINE_FINAL_TYPE (VlNewGuestStepConnection, vl_new_guest_step_connection, VL_TYPE_NEW_GUEST_STEP)

enum { CONNECTION_CHOSEN, N_SIGNALS };
static guint signals[N_SIGNALS];

void
vl_new_guest_step_connection_begin_choices (VlNewGuestStepConnection *self)
{
  g_return_if_fail (VL_IS_NEW_GUEST_STEP_CONNECTION (self));
  self->filling = TRUE;
  gtk_combo_box_text_remove_all (self->conn_combo);
}

void
vl_new_guest_step_connection_add_choice (VlNewGuestStepConnection *self, const char *uri, const char *text,
                                         gboolean first)
{
  g_return_if_fail (VL_IS_NEW_GUEST_STEP_CONNECTION (self));
  if (first)
    gtk_combo_box_text_prepend (self->conn_combo, uri, text);
  else
    gtk_combo_box_text_append (self->conn_combo, uri, text);
}

void
vl_new_guest_step_connection_end_choices (VlNewGuestStepConnection *self, const char *current)
{
  GtkComboBox *combo = GTK_COMBO_BOX (self->conn_combo);

  g_return_if_fail (VL_IS_NEW_GUEST_STEP_CONNECTION (self));
  gtk_combo_box_set_active_id (combo, current);
  /* One connection only: nothing to choose, but it is still shown the same way. */
  gtk_widget_set_sensitive (GTK_WIDGET (combo),
                            gtk_tree_model_iter_n_children (gtk_combo_box_get_model (combo), NULL) > 1);
  self->filling = FALSE;
}

void
vl_new_guest_step_connection_show_host (VlNewGuestStepConnection *self, const char *summary, gboolean reading)
{
  g_return_if_fail (VL_IS_NEW_GUEST_STEP_CONNECTION (self));
  if (summary != NULL)
    gtk_label_set_text (self->conn_summary_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->conn_spinner), reading);
}

static void
on_combo_changed (VlNewGuestStepConnection *self)
{
  const char *uri = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->conn_combo));

  if (!self->filling && uri != NULL)
    g_signal_emit (self, signals[CONNECTION_CHOSEN], 0, uri);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VlNewGuestStepConnection, name)

static void
vl_new_guest_step_connection_class_init (VlNewGuestStepConnectionClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VlNewGuestStepClass *step_class = VL_NEW_GUEST_STEP_CLASS (klass);

  step_class->id = VL_ASSISTANT_STEP_CONNECTION;
  /* The user chose the connection with this URI (not emitted while the list is filled). */
  signals[CONNECTION_CHOSEN] = g_signal_new ("connection-chosen", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                             G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/virtlab/Virtlab/vl-new-guest-step-connection.ui");
  BIND (conn_combo);
  BIND (conn_summary_label);
  BIND (conn_spinner);
  BIND (connection_error);
}

static void
vl_new_guest_step_connection_init (VlNewGuestStepConnection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_new_guest_step_set_error_label (VL_NEW_GUEST_STEP (self), self->connection_error);
  g_signal_connect_swapped (self->conn_combo, "changed", G_CALLBACK (on_combo_changed), self);
}
