/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The assistant's "Memory and processors" step, bounded by what the host has. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-new-guest-steps.h"

struct _VlNewGuestStepResources
{
  VlNewGuestStep parent_instance;

  GtkAdjustment *memory_adj, *vcpus_adj;
  GtkSpinButton *memory_spin, *vcpus_spin;
  GtkLabel *resources_hint_label, *resources_error;
};

G_DEFINE_FINAL_TYPE (VlNewGuestStepResources, vl_new_guest_step_resources, VL_TYPE_NEW_GUEST_STEP)

static void
vl_new_guest_step_resources_apply (VlNewGuestStep *step, VlGuestSpec *spec)
{
  VlNewGuestStepResources *self = VL_NEW_GUEST_STEP_RESOURCES (step);

  gtk_spin_button_update (self->memory_spin);
  gtk_spin_button_update (self->vcpus_spin);
  vl_guest_spec_set_memory_mib (spec, (guint64) gtk_adjustment_get_value (self->memory_adj));
  vl_guest_spec_set_vcpus (spec, (guint) gtk_adjustment_get_value (self->vcpus_adj));
}

static void
vl_new_guest_step_resources_load (VlNewGuestStep *step, VlGuestSpec *spec)
{
  VlNewGuestStepResources *self = VL_NEW_GUEST_STEP_RESOURCES (step);

  gtk_adjustment_set_value (self->memory_adj, (double) vl_guest_spec_get_memory_mib (spec));
  gtk_adjustment_set_value (self->vcpus_adj, vl_guest_spec_get_vcpus (spec));
}

/* The spin buttons cannot go past the host: "above the host" is not even typeable. */
static void
bound_by_host (GtkAdjustment *adjustment, double upper)
{
  if (upper <= 0)
    return;
  gtk_adjustment_set_upper (adjustment, upper);
  if (gtk_adjustment_get_value (adjustment) > upper)
    gtk_adjustment_set_value (adjustment, upper);
}

void
vl_new_guest_step_resources_set_host (VlNewGuestStepResources *self, const char *summary, guint64 host_mib,
                                      guint cpus)
{
  g_return_if_fail (VL_IS_NEW_GUEST_STEP_RESOURCES (self));
  gtk_label_set_text (self->resources_hint_label, summary);
  bound_by_host (self->memory_adj, (double) host_mib);
  bound_by_host (self->vcpus_adj, cpus);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VlNewGuestStepResources, name)

static void
vl_new_guest_step_resources_class_init (VlNewGuestStepResourcesClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VlNewGuestStepClass *step_class = VL_NEW_GUEST_STEP_CLASS (klass);

  step_class->id = VL_ASSISTANT_STEP_RESOURCES;
  step_class->apply = vl_new_guest_step_resources_apply;
  step_class->load = vl_new_guest_step_resources_load;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/virtlab/Virtlab/vl-new-guest-step-resources.ui");
  BIND (memory_adj);
  BIND (vcpus_adj);
  BIND (memory_spin);
  BIND (vcpus_spin);
  BIND (resources_hint_label);
  BIND (resources_error);
}

static void
vl_new_guest_step_resources_init (VlNewGuestStepResources *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_new_guest_step_set_error_label (VL_NEW_GUEST_STEP (self), self->resources_error);
}
