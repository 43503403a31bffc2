/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The assistant's last step, "Name and summary": the name, what will be made, the domain XML, room for
 * options that customise the guest, and how creating it goes. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-firmware-options.h"
#include "vl-gvir-autoptr.h"
#include "vl-new-guest-steps.h"

struct _VlNewGuestStepName
{
  VlNewGuestStep parent_instance;

  GtkEntry *name_entry;
  GtkLabel *summary_label, *name_error;
  GtkBox *customize_box;
  GtkWidget *firmware_options; /* VlFirmwareOptions (issue 17): firmware, Secure Boot, TPM 2.0 */
  GtkTextBuffer *xml_buffer;
  GtkWidget *create_progress_box;
  GtkLabel *create_status_label;
  GtkProgressBar *create_progress;
};

G_DEFINE_FINAL_TYPE (VlNewGuestStepName, vl_new_guest_step_name, VL_TYPE_NEW_GUEST_STEP)

static void
vl_new_guest_step_name_apply (VlNewGuestStep *step, VlGuestSpec *spec)
{
  vl_guest_spec_set_name (spec, gtk_entry_get_text (VL_NEW_GUEST_STEP_NAME (step)->name_entry));
}

void
vl_new_guest_step_name_refresh (VlNewGuestStepName *self)
{
  VlGuestSpec *spec = vl_new_guest_step_get_spec (VL_NEW_GUEST_STEP (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) domain = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *text = NULL;
  g_autofree char *disk = NULL;
  OsinfoOs *os;
  const char *name;

  g_return_if_fail (VL_IS_NEW_GUEST_STEP_NAME (self));
  if (spec == NULL)
    return;
  os = vl_guest_spec_get_os (spec);
  name = vl_guest_spec_get_name (spec);
  /* No name yet: the new disk's file name is not known (it was "…/images/.qcow2"). */
  /* Booting an existing disk makes none (the Storage step is passed over): that disk is the one shown. */
  if (vl_guest_spec_get_source_kind (spec) != VL_INSTALL_SOURCE_DISK &&
      vl_guest_spec_get_storage_kind (spec) == VL_GUEST_STORAGE_NEW_VOLUME && (name == NULL || *name == '\0'))
    disk = g_strdup_printf (_("a new file in “%s”, named after the guest"),
                            vl_guest_spec_get_pool_dir (spec) != NULL ? vl_guest_spec_get_pool_dir (spec)
                                                                      : "");
  else
    disk = vl_guest_spec_get_disk_path (spec);
  text = g_strdup_printf (_("%s, %s, %lu MiB of memory, virtual CPUs: %u.\nDisk: %s"),
                          os != NULL ? osinfo_product_get_name (OSINFO_PRODUCT (os))
                                     : _("Unknown operating system"),
                          vl_virt_kind_label (vl_guest_spec_get_virt_kind (spec)),
                          (gulong) vl_guest_spec_get_memory_mib (spec), vl_guest_spec_get_vcpus (spec),
                          disk != NULL ? disk : _("none"));
  if (vl_guest_spec_get_source_kind (spec) == VL_INSTALL_SOURCE_URL)
    {
      /* The XML below boots the disk: say where the installer comes in, or the user looks for it there. */
      g_autofree char
        *with_install = g_strconcat (text, "\n",
                                     _("The installer from the install tree runs on the "
                                        "guest’s first start only: now with “Create and Start”, or the "
                                        "first time it is started from Virtlab after “Create”. It ends "
                                        "with the guest turned off; every later start boots the "
                                        "installed disk, as the configuration below does."),
                                     NULL);

      g_free (text);
      text = g_steal_pointer (&with_install);
    }
  gtk_label_set_text (self->summary_label, text);
  vl_firmware_options_set_spec (VL_FIRMWARE_OPTIONS (self->firmware_options), spec);
  domain = vl_guest_spec_to_domain (spec, &error);
  if (domain != NULL)
    xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
  gtk_text_buffer_set_text (self->xml_buffer, xml != NULL ? xml : "", -1);
}

static void
vl_new_guest_step_name_enter (VlNewGuestStep *step, VlGuestSpec *spec)
{
  /* The name typed earlier counts for a spec made anew since (another connection was chosen). */
  vl_new_guest_step_apply (step);
  vl_new_guest_step_name_refresh (VL_NEW_GUEST_STEP_NAME (step));
}

/* Said at once, not only on "Create": the name is the one thing typed on this step. */
static void
on_name_changed (VlNewGuestStepName *self)
{
  if (vl_new_guest_step_is_complete (VL_NEW_GUEST_STEP (self), NULL))
    vl_new_guest_step_name_refresh (self);
}

GtkBox *
vl_new_guest_step_name_get_customize_box (VlNewGuestStepName *self)
{
  g_return_val_if_fail (VL_IS_NEW_GUEST_STEP_NAME (self), NULL);
  return self->customize_box;
}

void
vl_new_guest_step_name_show_progress (VlNewGuestStepName *self, gboolean busy, const char *text,
                                      double fraction)
{
  g_return_if_fail (VL_IS_NEW_GUEST_STEP_NAME (self));
  /* Only the name can still be typed on this step; the progress below it stays readable. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_entry), !busy);
  gtk_widget_set_visible (self->create_progress_box, busy);
  if (text != NULL)
    gtk_label_set_text (self->create_status_label, text);
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->create_progress, fraction);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VlNewGuestStepName, name)

static void
vl_new_guest_step_name_class_init (VlNewGuestStepNameClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VlNewGuestStepClass *step_class = VL_NEW_GUEST_STEP_CLASS (klass);

  step_class->id = VL_ASSISTANT_STEP_NAME;
  step_class->apply = vl_new_guest_step_name_apply;
  step_class->enter = vl_new_guest_step_name_enter;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/virtlab/Virtlab/vl-new-guest-step-name.ui");
  BIND (name_entry);
  BIND (summary_label);
  BIND (name_error);
  BIND (customize_box);
  BIND (xml_buffer);
  BIND (create_progress_box);
  BIND (create_status_label);
  BIND (create_progress);
}

static void
vl_new_guest_step_name_init (VlNewGuestStepName *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_new_guest_step_set_error_label (VL_NEW_GUEST_STEP (self), self->name_error);
  g_signal_connect_swapped (self->name_entry, "changed", G_CALLBACK (on_name_changed), self);
  /* Firmware, Secure Boot and TPM 2.0 (issue 17): in the customize box, each change shown in the XML. */
  self->firmware_options = vl_firmware_options_new ();
  gtk_box_pack_start (self->customize_box, self->firmware_options, FALSE, FALSE, 0);
  g_signal_connect_swapped (self->firmware_options, "changed", G_CALLBACK (vl_new_guest_step_name_refresh),
                            self);
}
