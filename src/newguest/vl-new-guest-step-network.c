/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The assistant's "Network" step: none, one of the host's virtual networks, or a host bridge; a MAC. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-new-guest-steps.h"

struct _VlNewGuestStepNetwork
{
  VlNewGuestStep parent_instance;

  GtkToggleButton *net_none_radio, *net_virtual_radio, *net_bridge_radio;
  GtkComboBoxText *network_combo;
  GtkEntry *bridge_entry, *mac_entry;
  GtkButton *mac_generate;
  GtkLabel *network_error;
};

G_DEFINE_FINAL_TYPE (VlNewGuestStepNetwork, vl_new_guest_step_network, VL_TYPE_NEW_GUEST_STEP)

static void
vl_new_guest_step_network_apply (VlNewGuestStep *step, VlGuestSpec *spec)
{
  VlNewGuestStepNetwork *self = VL_NEW_GUEST_STEP_NETWORK (step);

  if (gtk_toggle_button_get_active (self->net_virtual_radio))
    vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_VIRTUAL,
                               gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->network_combo)),
                               gtk_entry_get_text (self->mac_entry));
  else if (gtk_toggle_button_get_active (self->net_bridge_radio))
    vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_BRIDGE, gtk_entry_get_text (self->bridge_entry),
                               gtk_entry_get_text (self->mac_entry));
  else
    vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_NONE, NULL, NULL);
}

void
vl_new_guest_step_network_show_networks (VlNewGuestStepNetwork *self, const char *const *networks)
{
  gboolean any = networks != NULL && networks[0] != NULL;

  g_return_if_fail (VL_IS_NEW_GUEST_STEP_NETWORK (self));
  gtk_combo_box_text_remove_all (self->network_combo);
  /* Another host is being read: its list comes later, the choice stays until then. */
  if (networks == NULL)
    return;
  for (guint i = 0; any && networks[i] != NULL; i++)
    gtk_combo_box_text_append (self->network_combo, networks[i], networks[i]);
  gtk_combo_box_set_active (GTK_COMBO_BOX (self->network_combo), 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->net_virtual_radio), any);
  /* A virtual network of the host chosen before does not exist here. */
  if (!any && gtk_toggle_button_get_active (self->net_virtual_radio))
    gtk_toggle_button_set_active (self->net_none_radio, TRUE);
}

static void
on_mac_generate_clicked (VlNewGuestStepNetwork *self)
{
  VlGuestSpec *spec = vl_new_guest_step_get_spec (VL_NEW_GUEST_STEP (self));
  g_autofree char *mac = vl_guest_generate_mac (spec != NULL ? vl_guest_spec_get_mode (spec)
                                                             : VL_GUEST_MODE_KVM_HVM);

  gtk_entry_set_text (self->mac_entry, mac);
}

/* Typing a bridge's name chooses the bridge: the user need not click the radio button too. */
static void
on_bridge_changed (VlNewGuestStepNetwork *self)
{
  vl_new_guest_step_show_error (VL_NEW_GUEST_STEP (self), NULL);
  gtk_toggle_button_set_active (self->net_bridge_radio, TRUE);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VlNewGuestStepNetwork, name)

static void
vl_new_guest_step_network_class_init (VlNewGuestStepNetworkClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VlNewGuestStepClass *step_class = VL_NEW_GUEST_STEP_CLASS (klass);

  step_class->id = VL_ASSISTANT_STEP_NETWORK;
  step_class->apply = vl_new_guest_step_network_apply;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/virtlab/Virtlab/vl-new-guest-step-network.ui");
  BIND (net_none_radio);
  BIND (net_virtual_radio);
  BIND (net_bridge_radio);
  BIND (network_combo);
  BIND (bridge_entry);
  BIND (mac_entry);
  BIND (mac_generate);
  BIND (network_error);
}

static void
vl_new_guest_step_network_init (VlNewGuestStepNetwork *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_new_guest_step_set_error_label (VL_NEW_GUEST_STEP (self), self->network_error);
  g_signal_connect_swapped (self->mac_generate, "clicked", G_CALLBACK (on_mac_generate_clicked), self);
  g_signal_connect_swapped (self->bridge_entry, "changed", G_CALLBACK (on_bridge_changed), self);
}
