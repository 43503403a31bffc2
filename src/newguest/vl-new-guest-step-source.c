/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The assistant's "Install source" step: an ISO, a device, an install tree, a kernel, a disk or PXE. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-new-guest-steps.h"

struct _VlNewGuestStepSource
{
  VlNewGuestStep parent_instance;

  GtkToggleButton *src_iso_radio, *src_url_radio, *src_cdrom_radio, *src_kernel_radio, *src_disk_radio,
    *src_pxe_radio;
  GtkEntry *iso_entry, *url_entry, *cdrom_entry, *kernel_entry, *initrd_entry, *cmdline_entry, *disk_entry;
  GtkButton *iso_browse, *kernel_browse, *initrd_browse, *disk_browse;
  GtkLabel *source_error;
};

G_DEFINE_FINAL_TYPE (VlNewGuestStepSource, vl_new_guest_step_source, VL_TYPE_NEW_GUEST_STEP)

static gboolean
active (GtkToggleButton *button)
{
  return gtk_toggle_button_get_active (button);
}

static const char *
text_of (GtkEntry *entry)
{
  return gtk_entry_get_text (entry);
}

static void
vl_new_guest_step_source_apply (VlNewGuestStep *step, VlGuestSpec *spec)
{
  VlNewGuestStepSource *self = VL_NEW_GUEST_STEP_SOURCE (step);

  if (active (self->src_cdrom_radio))
    vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_CDROM_DEVICE, text_of (self->cdrom_entry));
  else if (active (self->src_url_radio))
    {
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_URL, text_of (self->url_entry));
      vl_guest_spec_set_kernel (spec, NULL, NULL, text_of (self->cmdline_entry));
    }
  else if (active (self->src_kernel_radio))
    {
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_KERNEL, NULL);
      vl_guest_spec_set_kernel (spec, text_of (self->kernel_entry), text_of (self->initrd_entry),
                                text_of (self->cmdline_entry));
    }
  else if (active (self->src_disk_radio))
    vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_DISK, text_of (self->disk_entry));
  else if (active (self->src_pxe_radio))
    vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_PXE, NULL);
  else
    vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, text_of (self->iso_entry));
}

/* Typing into a field chooses its option: the user need not click the radio button too. */
static void
on_entry_changed (GtkEntry *entry, VlNewGuestStepSource *self)
{
  /* A refusal is about what was there before: once it changes, the old reason no longer holds. */
  vl_new_guest_step_show_error (VL_NEW_GUEST_STEP (self), NULL);
  if (entry == self->iso_entry)
    gtk_toggle_button_set_active (self->src_iso_radio, TRUE);
  else if (entry == self->cdrom_entry)
    gtk_toggle_button_set_active (self->src_cdrom_radio, TRUE);
  else if (entry == self->url_entry)
    gtk_toggle_button_set_active (self->src_url_radio, TRUE);
  else if (entry == self->kernel_entry || entry == self->initrd_entry ||
           (entry == self->cmdline_entry && !active (self->src_url_radio)))
    gtk_toggle_button_set_active (self->src_kernel_radio, TRUE);
  else if (entry == self->disk_entry)
    gtk_toggle_button_set_active (self->src_disk_radio, TRUE);
}

static void
on_browse_clicked (GtkButton *button, VlNewGuestStepSource *self)
{
  GtkWidget *from = GTK_WIDGET (self);

  if (button == self->iso_browse)
    {
      gtk_toggle_button_set_active (self->src_iso_radio, TRUE);
      vl_new_guest_step_browse_into (from, self->iso_entry, _("Choose an ISO image"), TRUE);
    }
  else if (button == self->kernel_browse)
    vl_new_guest_step_browse_into (from, self->kernel_entry, _("Choose a kernel"), FALSE);
  else if (button == self->initrd_browse)
    vl_new_guest_step_browse_into (from, self->initrd_entry, _("Choose an initrd"), FALSE);
  else if (button == self->disk_browse)
    vl_new_guest_step_browse_into (from, self->disk_entry, _("Choose a disk image"), FALSE);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VlNewGuestStepSource, name)

static void
vl_new_guest_step_source_class_init (VlNewGuestStepSourceClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VlNewGuestStepClass *step_class = VL_NEW_GUEST_STEP_CLASS (klass);

  step_class->id = VL_ASSISTANT_STEP_SOURCE;
  step_class->apply = vl_new_guest_step_source_apply;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/virtlab/Virtlab/vl-new-guest-step-source.ui");
  BIND (src_iso_radio);
  BIND (src_url_radio);
  BIND (src_cdrom_radio);
  BIND (src_kernel_radio);
  BIND (src_disk_radio);
  BIND (src_pxe_radio);
  BIND (iso_entry);
  BIND (url_entry);
  BIND (cdrom_entry);
  BIND (kernel_entry);
  BIND (initrd_entry);
  BIND (cmdline_entry);
  BIND (disk_entry);
  BIND (iso_browse);
  BIND (kernel_browse);
  BIND (initrd_browse);
  BIND (disk_browse);
  BIND (source_error);
}

static void
connect_signals (VlNewGuestStepSource *self)
{
  GtkEntry *entries[] = { self->iso_entry,    self->url_entry,     self->cdrom_entry, self->kernel_entry,
                          self->initrd_entry, self->cmdline_entry, self->disk_entry };
  GtkButton *browse[] = { self->iso_browse, self->kernel_browse, self->initrd_browse, self->disk_browse };

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_signal_connect (entries[i], "changed", G_CALLBACK (on_entry_changed), self);
  for (guint i = 0; i < G_N_ELEMENTS (browse); i++)
    g_signal_connect (browse[i], "clicked", G_CALLBACK (on_browse_clicked), self);
}

static void
vl_new_guest_step_source_init (VlNewGuestStepSource *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_new_guest_step_set_error_label (VL_NEW_GUEST_STEP (self), self->source_error);
  gtk_entry_set_text (self->cdrom_entry, "/dev/sr0");
  gtk_toggle_button_set_active (self->src_iso_radio, TRUE);
  connect_signals (self);
}
