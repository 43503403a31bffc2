/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The firmware, Secure Boot and TPM 2.0 rows of the New Guest assistant. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-firmware-options.h"
#include "vl-guest-spec-firmware.h"

struct _VlFirmwareOptions
{
  GtkBox parent_instance;

  VlGuestSpec *spec;
  gboolean syncing;
  GtkComboBoxText *firmware_combo;
  GtkSwitch *secure_boot_switch, *tpm_switch;
  GtkLabel *reason_label;
};

G_DEFINE_TYPE (VlFirmwareOptions, vl_firmware_options, GTK_TYPE_BOX)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
sync_from_spec (VlFirmwareOptions *self)
{
  gboolean efi = FALSE, secure_boot = FALSE, tpm = FALSE;
  g_autofree char *why = NULL;
  gboolean uefi;

  if (self->spec == NULL)
    return;
  why = vl_guest_spec_firmware_offer (self->spec, &efi, &secure_boot, &tpm);
  uefi = vl_guest_spec_get_firmware (self->spec) == VL_GUEST_FIRMWARE_UEFI;
  self->syncing = TRUE;
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->firmware_combo), uefi ? "uefi" : "bios");
  gtk_switch_set_active (self->secure_boot_switch, vl_guest_spec_get_secure_boot (self->spec));
  gtk_switch_set_active (self->tpm_switch, vl_guest_spec_get_tpm (self->spec));
  /* What is chosen stays changeable back, even where the host does not offer it (the check then says why). */
  gtk_widget_set_sensitive (GTK_WIDGET (self->firmware_combo), efi || uefi);
  gtk_widget_set_sensitive (GTK_WIDGET (self->secure_boot_switch),
                            (secure_boot && uefi) || vl_guest_spec_get_secure_boot (self->spec));
  gtk_widget_set_sensitive (GTK_WIDGET (self->tpm_switch), tpm || vl_guest_spec_get_tpm (self->spec));
  gtk_label_set_text (self->reason_label, why);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), why != NULL && *why != '\0');
  self->syncing = FALSE;
}

static void
on_user_change (VlFirmwareOptions *self)
{
  gboolean uefi;

  if (self->syncing || self->spec == NULL)
    return;
  uefi = g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->firmware_combo)), "uefi") == 0;
  vl_guest_spec_set_firmware (self->spec, uefi ? VL_GUEST_FIRMWARE_UEFI : VL_GUEST_FIRMWARE_BIOS);
  /* Secure Boot is a kind of UEFI: back to BIOS turns it off rather than leaving a refused choice. */
  vl_guest_spec_set_secure_boot (self->spec, uefi && gtk_switch_get_active (self->secure_boot_switch));
  vl_guest_spec_set_tpm (self->spec, gtk_switch_get_active (self->tpm_switch));
  sync_from_spec (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
vl_firmware_options_set_spec (VlFirmwareOptions *self, VlGuestSpec *spec)
{
  g_return_if_fail (VL_IS_FIRMWARE_OPTIONS (self));
  g_set_object (&self->spec, spec);
  sync_from_spec (self);
}

GtkWidget *
vl_firmware_options_new (void)
{
  return g_object_new (VL_TYPE_FIRMWARE_OPTIONS, NULL);
}

static void
vl_firmware_options_dispose (GObject *object)
{
  g_clear_object (&VL_FIRMWARE_OPTIONS (object)->spec);
  G_OBJECT_CLASS (vl_firmware_options_parent_class)->dispose (object);
}

static void
vl_firmware_options_class_init (VlFirmwareOptionsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vl_firmware_options_dispose;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                   NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-firmware-options.ui");
  gtk_widget_class_bind_template_child (widget_class, VlFirmwareOptions, firmware_combo);
  gtk_widget_class_bind_template_child (widget_class, VlFirmwareOptions, secure_boot_switch);
  gtk_widget_class_bind_template_child (widget_class, VlFirmwareOptions, tpm_switch);
  gtk_widget_class_bind_template_child (widget_class, VlFirmwareOptions, reason_label);
}

static void
vl_firmware_options_init (VlFirmwareOptions *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->firmware_combo, "changed", G_CALLBACK (on_user_change), self);
  g_signal_connect_swapped (self->secure_boot_switch, "notify::active", G_CALLBACK (on_user_change), self);
  g_signal_connect_swapped (self->tpm_switch, "notify::active", G_CALLBACK (on_user_change), self);
}
