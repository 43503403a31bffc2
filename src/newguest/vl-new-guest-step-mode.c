/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The assistant's "Virtualization" step: exactly the kinds the host's capabilities list, each with a
 * sentence on what it means; the fastest that can boot the chosen source is preselected once. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-new-guest-steps.h"

struct _VlNewGuestStepMode
{
  VlNewGuestStep parent_instance;

  gboolean host_ready;  /* the capabilities are read: the choices are the host's */
  gboolean preselected; /* the fastest kind was chosen for this host once; later the user's stays */
  GtkToggleButton *mode_kvm_radio, *mode_xen_hvm_radio, *mode_xen_pv_radio, *mode_xen_pvh_radio,
    *mode_qemu_radio;
  GtkLabel *mode_kvm_description, *mode_xen_hvm_description, *mode_xen_pv_description,
    *mode_xen_pvh_description;
  GtkLabel *mode_qemu_description;
  GtkToggleButton *virtio_check;
  GtkLabel *mode_hint_label, *mode_error;
};

G_DEFINE_FINAL_TYPE (VlNewGuestStepMode, vl_new_guest_step_mode, VL_TYPE_NEW_GUEST_STEP)

/* The radio button and description of each kind of virtualization, in VlVirtKind order. */
static GtkToggleButton *
kind_radio (VlNewGuestStepMode *self, VlVirtKind kind)
{
  GtkToggleButton *radios[] = { self->mode_kvm_radio, self->mode_qemu_radio, self->mode_xen_hvm_radio,
                                self->mode_xen_pv_radio, self->mode_xen_pvh_radio };

  G_STATIC_ASSERT (G_N_ELEMENTS (radios) == VL_N_VIRT);

  return radios[kind];
}

static GtkLabel *
kind_description (VlNewGuestStepMode *self, VlVirtKind kind)
{
  GtkLabel *labels[] = { self->mode_kvm_description, self->mode_qemu_description,
                         self->mode_xen_hvm_description, self->mode_xen_pv_description,
                         self->mode_xen_pvh_description };

  G_STATIC_ASSERT (G_N_ELEMENTS (labels) == VL_N_VIRT);

  return labels[kind];
}

static VlVirtKind
chosen_kind (VlNewGuestStepMode *self)
{
  for (guint kind = 0; kind < VL_N_VIRT; kind++)
    {
      if (gtk_toggle_button_get_active (kind_radio (self, kind)))
        return kind;
    }
  return VL_VIRT_KVM;
}

static void
vl_new_guest_step_mode_apply (VlNewGuestStep *step, VlGuestSpec *spec)
{
  VlNewGuestStepMode *self = VL_NEW_GUEST_STEP_MODE (step);
  VlVirtKind kind = chosen_kind (self);

  vl_guest_spec_set_virt_kind (spec, kind);
  vl_guest_spec_set_virtio (spec, (kind == VL_VIRT_KVM || kind == VL_VIRT_QEMU_TCG) &&
                                    gtk_toggle_button_get_active (self->virtio_check));
}

static void
vl_new_guest_step_mode_load (VlNewGuestStep *step, VlGuestSpec *spec)
{
  VlNewGuestStepMode *self = VL_NEW_GUEST_STEP_MODE (step);

  gtk_toggle_button_set_active (self->virtio_check, vl_guest_spec_get_virtio (spec));
}

static void
update_choices (VlNewGuestStepMode *self)
{
  VlGuestSpec *spec = vl_new_guest_step_get_spec (VL_NEW_GUEST_STEP (self));
  VlVirtKind kinds[VL_N_VIRT];
  guint n;
  gboolean chosen_listed = FALSE;
  gboolean hvm;

  if (spec == NULL)
    return;
  n = vl_guest_spec_list_virt_kinds (spec, kinds);
  for (guint kind = 0; kind < VL_N_VIRT; kind++)
    {
      gboolean listed = FALSE;

      for (guint i = 0; i < n; i++)
        listed |= kinds[i] == kind;
      gtk_widget_set_visible (GTK_WIDGET (kind_radio (self, kind)), listed);
      gtk_widget_set_visible (GTK_WIDGET (kind_description (self, kind)), listed);
      gtk_label_set_text (kind_description (self, kind), vl_virt_kind_description (kind));
      /* libvirt lists kvm, yet QEMU could not use it: say why software emulation is the one chosen. */
      if (kind == VL_VIRT_QEMU_TCG && vl_guest_spec_get_kvm_unusable (spec) != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("%s Chosen because KVM cannot be used here: %s."),
                                                   vl_virt_kind_description (kind),
                                                   vl_guest_spec_get_kvm_unusable (spec));

          gtk_label_set_text (kind_description (self, kind), text);
        }
      chosen_listed |= listed && gtk_toggle_button_get_active (kind_radio (self, kind));
    }
  if (self->host_ready && (!self->preselected || !chosen_listed))
    {
      self->preselected = TRUE;
      gtk_toggle_button_set_active (kind_radio (self, vl_guest_spec_fastest_virt_kind (spec)), TRUE);
    }
  hvm = chosen_kind (self) == VL_VIRT_KVM || chosen_kind (self) == VL_VIRT_QEMU_TCG;
  gtk_widget_set_sensitive (GTK_WIDGET (self->virtio_check), hvm);
  if (vl_guest_spec_host_is_test_driver (spec))
    gtk_label_set_text (self->mode_hint_label,
                        _("libvirt’s test driver takes every kind of guest and runs none "
                           "of them."));
  else if (vl_guest_spec_get_kvm_unusable (spec) != NULL && n > 1)
    gtk_label_set_text (self->mode_hint_label,
                        _("The kinds this host offers; KVM cannot be used here, so the "
                           "fastest that works is chosen."));
  else
    gtk_label_set_text (self->mode_hint_label, n > 1 ? _("The kinds this host offers, the fastest chosen.")
                                                     : _("The one kind this host offers."));
}

static void
vl_new_guest_step_mode_enter (VlNewGuestStep *step, VlGuestSpec *spec)
{
  update_choices (VL_NEW_GUEST_STEP_MODE (step));
}

void
vl_new_guest_step_mode_set_host_ready (VlNewGuestStepMode *self, gboolean ready)
{
  g_return_if_fail (VL_IS_NEW_GUEST_STEP_MODE (self));
  self->host_ready = ready;
  /* Another host: its fastest kind is chosen anew once it is read. */
  if (!ready)
    self->preselected = FALSE;
  update_choices (self);
}

void
vl_new_guest_step_mode_choose (VlNewGuestStepMode *self, VlVirtKind kind)
{
  g_return_if_fail (VL_IS_NEW_GUEST_STEP_MODE (self));
  gtk_toggle_button_set_active (kind_radio (self, kind), TRUE);
  self->preselected = TRUE;
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VlNewGuestStepMode, name)

static void
vl_new_guest_step_mode_class_init (VlNewGuestStepModeClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VlNewGuestStepClass *step_class = VL_NEW_GUEST_STEP_CLASS (klass);

  step_class->id = VL_ASSISTANT_STEP_MODE;
  step_class->apply = vl_new_guest_step_mode_apply;
  step_class->load = vl_new_guest_step_mode_load;
  step_class->enter = vl_new_guest_step_mode_enter;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/virtlab/Virtlab/vl-new-guest-step-mode.ui");
  BIND (mode_kvm_radio);
  BIND (mode_xen_hvm_radio);
  BIND (mode_xen_pv_radio);
  BIND (mode_xen_pvh_radio);
  BIND (mode_qemu_radio);
  BIND (mode_kvm_description);
  BIND (mode_xen_hvm_description);
  BIND (mode_xen_pv_description);
  BIND (mode_xen_pvh_description);
  BIND (mode_qemu_description);
  BIND (virtio_check);
  BIND (mode_hint_label);
  BIND (mode_error);
}

static void
vl_new_guest_step_mode_init (VlNewGuestStepMode *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_new_guest_step_set_error_label (VL_NEW_GUEST_STEP (self), self->mode_error);
  g_signal_connect_swapped (self->mode_kvm_radio, "toggled", G_CALLBACK (update_choices), self);
  g_signal_connect_swapped (self->mode_qemu_radio, "toggled", G_CALLBACK (update_choices), self);
}
