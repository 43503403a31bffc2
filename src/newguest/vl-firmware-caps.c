/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reads a host's firmware and TPM offer from libvirt's domain capabilities. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-error.h"
#include "vl-firmware-caps.h"
#include "vl-libvirt-xml.h"

VlFirmwareCaps *
vl_firmware_caps_new_unknown (void)
{
  return g_new0 (VlFirmwareCaps, 1);
}

void
vl_firmware_caps_free (VlFirmwareCaps *caps)
{
  if (caps == NULL)
    return;
  g_free (caps->driver);
  g_free (caps->machine);
  g_strfreev (caps->loaders);
  g_free (caps);
}

VlFirmwareCaps *
vl_firmware_caps_copy (const VlFirmwareCaps *caps)
{
  VlFirmwareCaps *copy;

  if (caps == NULL)
    return vl_firmware_caps_new_unknown ();
  copy = g_memdup2 (caps, sizeof *caps);
  copy->driver = g_strdup (caps->driver);
  copy->machine = g_strdup (caps->machine);
  copy->loaders = g_strdupv (caps->loaders);
  return copy;
}

static gboolean
has_value (xmlNode *parent, const char *enum_name, const char *value)
{
  for (xmlNode *e = parent != NULL ? parent->children : NULL; e != NULL; e = e->next)
    {
      g_autofree char *name = NULL;

      if (!vl_libvirt_xml_is (e, "enum"))
        continue;
      name = vl_libvirt_xml_prop (e, "name");
      if (g_strcmp0 (name, enum_name) != 0)
        continue;
      for (xmlNode *v = e->children; v != NULL; v = v->next)
        {
          g_autofree char *text = vl_libvirt_xml_is (v, "value") ? vl_libvirt_xml_text (v) : NULL;

          if (text != NULL && g_strcmp0 (g_strstrip (text), value) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
is_supported (xmlNode *node)
{
  g_autofree char *supported = node != NULL ? vl_libvirt_xml_prop (node, "supported") : NULL;

  return g_strcmp0 (supported, "yes") == 0;
}

/* OVMF's file names: Debian's OVMF_CODE*.fd, Fedora's edk2 ovmf, Xen's ovmf.bin. */
static gboolean
is_ovmf (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *lower = g_ascii_strdown (base, -1);

  return strstr (lower, "ovmf") != NULL || strstr (lower, "edk2") != NULL;
}

VlFirmwareCaps *
vl_firmware_caps_parse (const char *xml, GError **error)
{
  g_autoptr(VlFirmwareCaps) caps = vl_firmware_caps_new_unknown ();
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(GPtrArray) loaders = g_ptr_array_new_with_free_func (g_free);
  xmlNode *root, *os, *loader, *devices, *tpm;
  gboolean ovmf_loader = FALSE;

  doc = vl_libvirt_xml_parse (xml, _("host’s domain capabilities"), VL_LIBVIRT_XML_NONE, error);
  if (doc == NULL)
    return NULL;
  root = vl_libvirt_xml_root (doc, "domainCapabilities");
  if (root == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, "%s",
                   _("The host’s domain capabilities could not be read: the document is not libvirt’s "
                      "<domainCapabilities>."));
      return NULL;
    }
  caps->known = TRUE;
  caps->driver = vl_libvirt_xml_child_text (root, "domain");
  caps->machine = vl_libvirt_xml_child_text (root, "machine");
  os = vl_libvirt_xml_child (root, "os");
  loader = vl_libvirt_xml_child (os, "loader");
  for (xmlNode *v = is_supported (loader) ? loader->children : NULL; v != NULL; v = v->next)
    {
      char *path = vl_libvirt_xml_is (v, "value") ? vl_libvirt_xml_text (v) : NULL;

      if (path == NULL)
        continue;
      g_strstrip (path);
      ovmf_loader |= is_ovmf (path);
      g_ptr_array_add (loaders, path);
    }
  g_ptr_array_add (loaders, NULL);
  caps->loaders = (char **) g_ptr_array_steal (loaders, NULL);
  /* QEMU lists efi only when a firmware descriptor of the ovmf package matches the machine; libxl has no
   * auto-selection list but names Xen's own OVMF among its loaders when Xen was built with it. */
  caps->autoselect = is_supported (os) && has_value (os, "firmware", "efi");
  caps->efi = caps->autoselect || (is_supported (os) && ovmf_loader);
  caps->secure_boot = caps->efi && is_supported (loader) && has_value (loader, "secure", "yes");
  devices = vl_libvirt_xml_child (root, "devices");
  tpm = vl_libvirt_xml_child (devices, "tpm");
  caps->tpm_emulator = is_supported (tpm) && has_value (tpm, "backendModel", "emulator") &&
                       (has_value (tpm, "backendVersion", "2.0") ||
                        !has_value (tpm, "backendVersion", "1.2"));
  return g_steal_pointer (&caps);
}

static gboolean
is_xen (const VlFirmwareCaps *caps)
{
  return g_strcmp0 (caps->driver, "xen") == 0;
}

char *
vl_firmware_caps_why_no_efi (const VlFirmwareCaps *caps, const char *host)
{
  if (caps == NULL || !caps->known || caps->efi)
    return NULL;
  if (is_xen (caps))
    return g_strdup_printf (_("UEFI is not offered: Xen on %s was built without OVMF (libvirt lists no "
                               "ovmf.bin "
                               "among its loaders)."),
                            host);
  return g_strdup_printf (_("UEFI needs the ovmf package on %s."), host);
}

char *
vl_firmware_caps_why_no_secure_boot (const VlFirmwareCaps *caps, const char *host)
{
  if (caps == NULL || !caps->known || caps->secure_boot)
    return NULL;
  if (is_xen (caps))
    return g_strdup (_("Secure Boot is not supported on Xen."));
  if (!caps->efi)
    return vl_firmware_caps_why_no_efi (caps, host);
  return g_strdup_printf (_("Secure Boot needs OVMF’s Secure Boot firmware (ovmf package) and a q35 machine "
                             "on %s."),
                          host);
}

char *
vl_firmware_caps_why_no_tpm (const VlFirmwareCaps *caps, const char *host)
{
  if (caps == NULL || !caps->known || caps->tpm_emulator)
    return NULL;
  if (is_xen (caps))
    return g_strdup (_("libvirt’s Xen driver offers no TPM."));
  return g_strdup_printf (_("An emulated TPM 2.0 needs the swtpm and swtpm-tools packages on %s."), host);
}

char *
vl_firmware_describe_domain (const char *domain_xml)
{
  g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (domain_xml, "domain", VL_LIBVIRT_XML_NONE, NULL);
  g_autofree char *efi = NULL;
  g_autofree char *secure = NULL;
  g_autofree char *tpm = NULL;
  g_autofree char *tpm_model = NULL;
  const char *firmware;

  if (vl_libvirt_xml_root (doc, "domain") == NULL)
    return NULL;
  efi = vl_libvirt_xml_xpath_string (doc, "string(count(/domain/os[@firmware='efi'] | "
                                          "/domain/os/loader[@type='pflash']) > 0)");
  secure = vl_libvirt_xml_xpath_string (doc,
                                        "string(count(/domain/os/loader[@secure='yes'] | /domain/os/firmware/"
                                        "feature[@name='secure-boot'][@enabled='yes']) > 0)");
  tpm = vl_libvirt_xml_xpath_string (doc, "string(/domain/devices/tpm/backend/@version)");
  tpm_model = vl_libvirt_xml_xpath_string (doc, "string(/domain/devices/tpm/@model)");
  if (g_strcmp0 (efi, "true") != 0)
    firmware = _("BIOS");
  else if (g_strcmp0 (secure, "true") == 0)
    firmware = _("UEFI with Secure Boot");
  else
    firmware = _("UEFI");
  if (tpm_model == NULL || *tpm_model == '\0')
    return g_strdup (firmware);
  /* TRANSLATORS: the guest's firmware, and its TPM's version ("2.0"). */
  return g_strdup_printf (_("%s, TPM %s"), firmware, tpm != NULL && *tpm != '\0' ? tpm : "");
}
