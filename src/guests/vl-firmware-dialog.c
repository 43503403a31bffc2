/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Change Firmware dialog: VlFirmwareOptions on a spec made from the guest's definition. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-firmware-dialog.h"
#include "vl-firmware-options.h"
#include "vl-guest-firmware-edit.h"
#include "vl-guest-spec-firmware.h"

struct _VlFirmwareDialog
{
  GtkDialog parent_instance;

  GVirDomain *domain;
  GCancellable *cancellable;
  VlGuestSpec *spec;
  VlFirmwareOffer *offer;
  GtkWidget *options;
  GtkLabel *message;
  GtkWidget *apply;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (VlFirmwareDialog, vl_firmware_dialog, GTK_TYPE_DIALOG)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
show_message (VlFirmwareDialog *self, const char *text)
{
  gtk_label_set_text (self->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL);
}

static void
update_sensitivity (VlFirmwareDialog *self)
{
  gboolean can = !self->busy && self->offer != NULL && !self->offer->running;

  gtk_widget_set_sensitive (self->options, can);
  gtk_widget_set_sensitive (self->apply, can);
  gtk_widget_set_tooltip_text (self->apply, self->offer != NULL && self->offer->running
                                              ? _("Shut the guest down to change its firmware or TPM.")
                                              : NULL);
}

static void
offer_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlFirmwareDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  VlFirmwareOffer *offer = vl_guest_firmware_offer_finish (GVIR_DOMAIN (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  if (offer == NULL)
    {
      show_message (self, error->message);
      update_sensitivity (self);
      return;
    }
  self->offer = offer;
  self->spec = vl_guest_spec_new ();
  vl_guest_spec_set_mode (self->spec, offer->xen ? VL_GUEST_MODE_XEN_HVM : VL_GUEST_MODE_KVM_HVM);
  vl_guest_spec_set_firmware_caps (self->spec, offer->caps, offer->host);
  vl_guest_spec_set_firmware (self->spec, offer->now.uefi ? VL_GUEST_FIRMWARE_UEFI : VL_GUEST_FIRMWARE_BIOS);
  vl_guest_spec_set_secure_boot (self->spec, offer->now.secure_boot);
  vl_guest_spec_set_tpm (self->spec, offer->now.tpm);
  vl_firmware_options_set_spec (VL_FIRMWARE_OPTIONS (self->options), self->spec);
  if (offer->running)
    {
      g_autofree char
        *text = g_strdup_printf (_("“%s” is running: shut it down before changing its firmware or TPM."),
                                 offer->name);
      show_message (self, text);
    }
  update_sensitivity (self);
}

static void
edit_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlFirmwareDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vl_guest_firmware_edit_finish (GVIR_DOMAIN (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->busy = FALSE;
      /* The choice stays as it is, so the user can correct it. */
      show_message (self, error->message);
      update_sensitivity (self);
      return;
    }
  self->busy = FALSE;
  g_signal_emit (self, signals[CHANGED], 0);
  gtk_widget_destroy (GTK_WIDGET (self));
}

static void
on_response (VlFirmwareDialog *self, int response)
{
  VlFirmwareChoice choice;

  if (response != GTK_RESPONSE_APPLY)
    {
      g_cancellable_cancel (self->cancellable);
      gtk_widget_destroy (GTK_WIDGET (self));
      return;
    }
  if (self->spec == NULL || self->busy)
    return;
  choice.uefi = vl_guest_spec_get_firmware (self->spec) == VL_GUEST_FIRMWARE_UEFI;
  choice.secure_boot = vl_guest_spec_get_secure_boot (self->spec);
  choice.tpm = vl_guest_spec_get_tpm (self->spec);
  self->busy = TRUE;
  show_message (self, NULL);
  update_sensitivity (self);
  vl_guest_firmware_edit_async (self->domain, &choice, self->offer->host, self->cancellable, edit_done,
                                g_object_ref (self));
}

const char *
vl_firmware_dialog_get_message (VlFirmwareDialog *self)
{
  g_return_val_if_fail (VL_IS_FIRMWARE_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->message)) ? gtk_label_get_text (self->message) : NULL;
}

gboolean
vl_firmware_dialog_is_busy (VlFirmwareDialog *self)
{
  g_return_val_if_fail (VL_IS_FIRMWARE_DIALOG (self), FALSE);
  return self->busy;
}

VlFirmwareDialog *
vl_firmware_dialog_new (GtkWindow *parent, GVirDomain *domain)
{
  VlFirmwareDialog *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (GVIR_IS_DOMAIN (domain), NULL);
  title = g_strdup_printf (_("Firmware of “%s”"), gvir_domain_get_name (domain));
  self = g_object_new (VL_TYPE_FIRMWARE_DIALOG, "transient-for", parent, "modal", TRUE, "title", title,
                       "use-header-bar", FALSE, NULL);
  self->domain = g_object_ref (domain);
  self->busy = TRUE;
  update_sensitivity (self);
  vl_guest_firmware_offer_async (domain, self->cancellable, offer_done, g_object_ref (self));
  return self;
}

static void
vl_firmware_dialog_dispose (GObject *object)
{
  VlFirmwareDialog *self = VL_FIRMWARE_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->domain);
  g_clear_object (&self->spec);
  g_clear_pointer (&self->offer, vl_firmware_offer_free);
  G_OBJECT_CLASS (vl_firmware_dialog_parent_class)->dispose (object);
}

static void
vl_firmware_dialog_class_init (VlFirmwareDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vl_firmware_dialog_dispose;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                   NULL, G_TYPE_NONE, 0);
}

static void
vl_firmware_dialog_init (VlFirmwareDialog *self)
{
  GtkBox *content = GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (self)));
  GtkWidget *note;

  self->cancellable = g_cancellable_new ();
  gtk_container_set_border_width (GTK_CONTAINER (content), 12);
  gtk_box_set_spacing (content, 12);
  note = gtk_label_new (_("The change takes effect at the guest’s next start. Its machine type, disks and "
                           "devices stay as they are."));
  gtk_label_set_line_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (note), 60);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_box_pack_start (content, note, FALSE, FALSE, 0);
  /* libvirt keeps the old UEFI variables file unless told to make it anew (see the firmware edit). */
  note = gtk_label_new (
    _("When UEFI or Secure Boot is switched, the guest’s UEFI variables (its boot entries "
       "and Secure Boot keys) are made anew from the new firmware’s template the next time "
       "Virtlab starts it."));
  gtk_label_set_line_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (note), 60);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (note), "dim-label");
  gtk_box_pack_start (content, note, FALSE, FALSE, 0);
  self->options = vl_firmware_options_new ();
  gtk_box_pack_start (content, self->options, FALSE, FALSE, 0);
  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_line_wrap (self->message, TRUE);
  gtk_label_set_max_width_chars (self->message, 60);
  gtk_label_set_xalign (self->message, 0);
  gtk_label_set_selectable (self->message, TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->message)), "error");
  gtk_box_pack_start (content, GTK_WIDGET (self->message), FALSE, FALSE, 0);
  gtk_widget_show_all (GTK_WIDGET (content));
  gtk_widget_hide (GTK_WIDGET (self->message));
  gtk_dialog_add_button (GTK_DIALOG (self), _("_Cancel"), GTK_RESPONSE_CANCEL);
  self->apply = gtk_dialog_add_button (GTK_DIALOG (self), _("_Apply"), GTK_RESPONSE_APPLY);
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_APPLY);
  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
}
