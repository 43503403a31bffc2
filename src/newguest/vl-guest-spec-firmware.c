/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A new guest's firmware, Secure Boot and TPM: defaults, check and domain XML. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-error.h"
#include "vl-guest-spec-private.h"
#include "vl-libvirt-xml.h"

void
vl_guest_spec_set_firmware_caps (VlGuestSpec *self, const VlFirmwareCaps *caps, const char *host)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  g_clear_pointer (&self->fw_caps, vl_firmware_caps_free);
  if (caps != NULL)
    self->fw_caps = vl_firmware_caps_copy (caps);
  g_free (self->fw_host);
  self->fw_host = g_strdup (host);
  vl_guest_spec_apply_firmware_defaults (self);
}

const VlFirmwareCaps *
vl_guest_spec_get_firmware_caps (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  return self->fw_caps;
}

const char *
vl_guest_spec_get_firmware_host (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  return self->fw_host != NULL ? self->fw_host : _("this host");
}

void
vl_guest_spec_set_firmware (VlGuestSpec *self, VlGuestFirmware firmware)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->firmware = firmware;
}

VlGuestFirmware
vl_guest_spec_get_firmware (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), VL_GUEST_FIRMWARE_BIOS);
  return self->firmware;
}

void
vl_guest_spec_set_secure_boot (VlGuestSpec *self, gboolean secure_boot)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->secure_boot = secure_boot;
}

gboolean
vl_guest_spec_get_secure_boot (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);
  return self->secure_boot;
}

void
vl_guest_spec_set_tpm (VlGuestSpec *self, gboolean tpm)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->tpm = tpm;
}

gboolean
vl_guest_spec_get_tpm (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);
  return self->tpm;
}

/* The OS's firmware entries for the host's architecture: which types it lists as supported or not. */
static void
os_firmware (VlGuestSpec *self, gboolean *efi_yes, gboolean *bios_no)
{
  g_autoptr(OsinfoFirmwareList) list = NULL;
  g_autoptr(GList) items = NULL;

  *efi_yes = *bios_no = FALSE;
  if (self->os == NULL)
    return;
  list = osinfo_os_get_complete_firmware_list (self->os, NULL);
  items = osinfo_list_get_elements (OSINFO_LIST (list));
  for (GList *l = items; l != NULL; l = l->next)
    {
      OsinfoFirmware *fw = l->data;
      const char *arch = osinfo_firmware_get_architecture (fw);
      const char *type = osinfo_firmware_get_firmware_type (fw);

      if (arch != NULL && g_strcmp0 (arch, self->host_arch) != 0 && g_strcmp0 (arch, "all") != 0)
        continue;
      if (g_strcmp0 (type, "efi") == 0 && osinfo_firmware_is_supported (fw))
        *efi_yes = TRUE;
      if (g_strcmp0 (type, "bios") == 0 && !osinfo_firmware_is_supported (fw))
        *bios_no = TRUE;
    }
}

gboolean
vl_guest_spec_os_needs_uefi (VlGuestSpec *self)
{
  gboolean efi_yes, bios_no;

  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);
  os_firmware (self, &efi_yes, &bios_no);
  return bios_no;
}

gboolean
vl_guest_spec_os_supports_uefi (VlGuestSpec *self)
{
  gboolean efi_yes, bios_no;

  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);
  os_firmware (self, &efi_yes, &bios_no);
  return efi_yes || bios_no;
}

gboolean
vl_guest_spec_os_wants_tpm (VlGuestSpec *self)
{
  g_autoptr(OsinfoDeviceList) devices = NULL;
  gboolean listed = FALSE;

  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);
  if (self->os == NULL)
    return FALSE;
  devices = osinfo_os_get_all_devices (self->os, NULL);
  for (gint i = 0; i < osinfo_list_get_length (OSINFO_LIST (devices)); i++)
    {
      OsinfoDevice *dev = OSINFO_DEVICE (osinfo_list_get_nth (OSINFO_LIST (devices), i));

      listed |= g_strcmp0 (osinfo_device_get_class (dev), "tpm") == 0;
    }
  return listed || (vl_guest_spec_os_is_windows (self) && vl_guest_spec_os_needs_uefi (self));
}

static gboolean
mode_has_firmware (VlGuestSpec *self)
{
  return self->mode != VL_GUEST_MODE_XEN_PV && self->source_kind != VL_INSTALL_SOURCE_KERNEL;
}

/* The host's offer for the chosen mode: Xen's for Xen HVM, QEMU's for KVM/QEMU; NULL when not known. */
static const VlFirmwareCaps *
caps_for_mode (VlGuestSpec *self)
{
  gboolean xen_caps = self->fw_caps != NULL && g_strcmp0 (self->fw_caps->driver, "xen") == 0;

  if (self->fw_caps == NULL || !self->fw_caps->known || xen_caps != (self->mode != VL_GUEST_MODE_KVM_HVM))
    return NULL;
  return self->fw_caps;
}

/* Known and offered, or not known at all (then libvirt decides on define). */
#define offered(self, field) (caps_for_mode (self) == NULL || caps_for_mode (self)->field)

void
vl_guest_spec_apply_firmware_defaults (VlGuestSpec *self)
{
  gboolean kvm = self->mode == VL_GUEST_MODE_KVM_HVM;

  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->firmware = VL_GUEST_FIRMWARE_BIOS;
  self->secure_boot = FALSE;
  self->tpm = FALSE;
  if (!mode_has_firmware (self))
    return;
  if (vl_guest_spec_os_needs_uefi (self) && offered (self, efi))
    {
      self->firmware = VL_GUEST_FIRMWARE_UEFI;
      /* An OS that needs UEFI is one that boots signed (Windows 11): Secure Boot where the host has it. */
      self->secure_boot = kvm && caps_for_mode (self) != NULL && caps_for_mode (self)->secure_boot;
    }
  self->tpm = kvm && vl_guest_spec_os_wants_tpm (self) && offered (self, tpm_emulator);
}

static gboolean
fail (GError **error, const char *message)
{
  g_set_error_literal (error, VL_ERROR, VL_ERROR_INVALID_INPUT, message);
  return FALSE;
}

gboolean
vl_guest_spec_check_firmware (VlGuestSpec *self, GError **error)
{
  const char *host = vl_guest_spec_get_firmware_host (self);
  gboolean xen = self->mode != VL_GUEST_MODE_KVM_HVM;
  g_autofree char *why = NULL;

  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);
  if (self->firmware == VL_GUEST_FIRMWARE_BIOS && !self->secure_boot && !self->tpm)
    return TRUE;
  if (self->secure_boot && self->firmware != VL_GUEST_FIRMWARE_UEFI)
    return fail (error,
                 _("Secure Boot needs UEFI firmware: choose UEFI under Firmware, or turn Secure Boot off."));
  if (self->mode == VL_GUEST_MODE_XEN_PV)
    return fail (error, self->tpm
                          ? _("TPM 2.0: a Xen paravirtualized guest has no TPM; turn TPM 2.0 off.")
                          : _("Firmware: a Xen paravirtualized guest has no BIOS or UEFI; choose BIOS, "
                               "or choose Xen HVM."));
  if (self->source_kind == VL_INSTALL_SOURCE_KERNEL && self->firmware == VL_GUEST_FIRMWARE_UEFI)
    return fail (error, _("Firmware: a guest that boots a given kernel does not run UEFI; choose BIOS."));
  if (xen && self->tpm)
    return fail (error, _("TPM 2.0 is offered for KVM/QEMU guests only: libvirt’s Xen driver has no TPM. "
                           "Turn TPM 2.0 off."));
  if (xen && self->secure_boot)
    return fail (error, _("Secure Boot is not supported on Xen: turn Secure Boot off."));
  if (self->firmware == VL_GUEST_FIRMWARE_UEFI &&
      (why = vl_firmware_caps_why_no_efi (caps_for_mode (self), host)) != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Firmware: %s Choose BIOS."), why);
      return fail (error, message);
    }
  if (self->secure_boot && (why = vl_firmware_caps_why_no_secure_boot (caps_for_mode (self), host)) != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Secure Boot: %s Turn Secure Boot off."), why);
      return fail (error, message);
    }
  if (self->tpm && (why = vl_firmware_caps_why_no_tpm (caps_for_mode (self), host)) != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("TPM 2.0: %s Turn TPM 2.0 off."), why);
      return fail (error, message);
    }
  return TRUE;
}

static xmlNode *
child_or_new (xmlNode *parent, const char *name)
{
  xmlNode *node = vl_libvirt_xml_child (parent, name);

  return node != NULL ? node : xmlNewChild (parent, NULL, BAD_CAST name, NULL);
}

static void
add_feature (xmlNode *firmware, const char *name, gboolean enabled)
{
  xmlNode *feature = xmlNewChild (firmware, NULL, BAD_CAST "feature", NULL);

  xmlSetProp (feature, BAD_CAST "enabled", BAD_CAST (enabled ? "yes" : "no"));
  xmlSetProp (feature, BAD_CAST "name", BAD_CAST name);
}

/* q35 has no IDE controller: its discs and disks go on SATA. */
static void
ide_to_sata (xmlNode *devices)
{
  for (xmlNode *disk = devices->children; disk != NULL; disk = disk->next)
    {
      xmlNode *target = vl_libvirt_xml_is (disk, "disk") ? vl_libvirt_xml_child (disk, "target") : NULL;
      g_autofree char *bus = target != NULL ? vl_libvirt_xml_prop (target, "bus") : NULL;

      if (g_strcmp0 (bus, "ide") == 0)
        xmlSetProp (target, BAD_CAST "bus", BAD_CAST "sata");
    }
}

void
vl_guest_spec_set_os_firmware (VlGuestSpec *self, GVirConfigDomainOs *os)
{
  if (self->firmware != VL_GUEST_FIRMWARE_UEFI || !mode_has_firmware (self))
    return;
  gvir_config_domain_os_set_firmware (os, GVIR_CONFIG_DOMAIN_OS_FIRMWARE_EFI);
  /* OVMF's Secure Boot build needs SMM, which QEMU has on q35 machines only. */
  if (self->secure_boot && self->mode == VL_GUEST_MODE_KVM_HVM)
    gvir_config_domain_os_set_machine (os, "q35");
}

/* libvirt-gconfig sets <os firmware='efi'> and the machine (above); it has no setter for <firmware> features,
 * <smm> or <tpm>: those are added to the parsed document with libxml2 and handed back to it. */
GVirConfigDomain *
vl_guest_spec_add_firmware_config (VlGuestSpec *self, GVirConfigDomain *domain, GError **error)
{
  g_autofree char *xml = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *out = NULL;
  xmlNode *root;
  gboolean efi = self->firmware == VL_GUEST_FIRMWARE_UEFI && mode_has_firmware (self);

  if (!efi && !self->tpm)
    return domain;
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
  g_object_unref (domain);
  doc = vl_libvirt_xml_parse (xml, _("guest’s configuration"), VL_LIBVIRT_XML_NONE, error);
  if (doc == NULL)
    return NULL;
  root = vl_libvirt_xml_root (doc, "domain");
  if (root == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, "%s",
                   _("The guest’s configuration could not be built."));
      return NULL;
    }
  if (efi && self->mode == VL_GUEST_MODE_KVM_HVM)
    {
      xmlNode *firmware = xmlNewChild (child_or_new (root, "os"), NULL, BAD_CAST "firmware", NULL);

      /* Enrolled keys: Microsoft's, as in OVMF's *.ms.fd variables; without Secure Boot none. */
      add_feature (firmware, "enrolled-keys", self->secure_boot);
      add_feature (firmware, "secure-boot", self->secure_boot);
      if (self->secure_boot)
        {
          xmlNode *smm = xmlNewChild (child_or_new (root, "features"), NULL, BAD_CAST "smm", NULL);

          xmlSetProp (smm, BAD_CAST "state", BAD_CAST "on");
          ide_to_sata (child_or_new (root, "devices"));
        }
    }
  if (self->tpm)
    {
      xmlNode *tpm = xmlNewChild (child_or_new (root, "devices"), NULL, BAD_CAST "tpm", NULL);
      xmlNode *backend = xmlNewChild (tpm, NULL, BAD_CAST "backend", NULL);

      /* CRB is the TPM 2.0 interface Windows 11 and Linux expect; TIS is TPM 1.2's. */
      xmlSetProp (tpm, BAD_CAST "model", BAD_CAST "tpm-crb");
      xmlSetProp (backend, BAD_CAST "type", BAD_CAST "emulator");
      xmlSetProp (backend, BAD_CAST "version", BAD_CAST "2.0");
    }
  out = vl_libvirt_xml_dump (doc);
  return gvir_config_domain_new_from_xml (out, error);
}

char *
vl_guest_spec_firmware_offer (VlGuestSpec *self, gboolean *efi, gboolean *secure_boot, gboolean *tpm)
{
  const VlFirmwareCaps *caps;
  const char *host;
  gboolean kvm;
  g_autoptr(GPtrArray) why = g_ptr_array_new_with_free_func (g_free);
  char *text;

  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  caps = caps_for_mode (self);
  host = vl_guest_spec_get_firmware_host (self);
  kvm = self->mode == VL_GUEST_MODE_KVM_HVM;
  *efi = *secure_boot = *tpm = FALSE;
  if (self->mode == VL_GUEST_MODE_XEN_PV)
    return g_strdup (
      _("A Xen paravirtualized guest has no BIOS, UEFI or TPM: its kernel is started by Xen."));
  if (self->source_kind == VL_INSTALL_SOURCE_KERNEL)
    return g_strdup (
      _("A guest that boots a given kernel starts without BIOS or UEFI menus: firmware stays BIOS."));
  *efi = caps == NULL || caps->efi;
  *secure_boot = kvm && (caps == NULL || caps->secure_boot);
  *tpm = kvm && (caps == NULL || caps->tpm_emulator);
  if (!kvm)
    {
      g_ptr_array_add (why, g_strdup (_("Secure Boot is not supported on Xen.")));
      g_ptr_array_add (why, g_strdup (_("libvirt’s Xen driver offers no TPM.")));
    }
  if (!*efi)
    g_ptr_array_add (why, vl_firmware_caps_why_no_efi (caps, host));
  else if (kvm && !*secure_boot)
    g_ptr_array_add (why, vl_firmware_caps_why_no_secure_boot (caps, host));
  if (kvm && !*tpm)
    g_ptr_array_add (why, vl_firmware_caps_why_no_tpm (caps, host));
  if (why->len == 0 && caps == NULL && self->test_driver)
    g_ptr_array_add (why, g_strdup (
                            _("libvirt’s test driver lists no firmware: every choice is taken as it is.")));
  g_ptr_array_add (why, NULL);
  text = g_strjoinv (" ", (char **) why->pdata);
  return text;
}
