/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Changing an existing guest's firmware, Secure Boot and TPM: check against the host's offer, edit the
 * inactive definition (libvirt-gconfig, libxml2 for what it has no setter for), redefine. */
#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vl-error.h"
#include "vl-guest-firmware-edit.h"
#include "vl-guest-lifecycle.h"
#include "vl-guest-spec-firmware.h"
#include "vl-guest-spec.h"
#include "vl-gvir-autoptr.h"
#include "vl-libvirt-handle.h"
#include "vl-libvirt-xml.h"

/* ---- pure ----------------------------------------------------------------------------------- */

static gboolean
has_ovmf_loader (xmlNode *os)
{
  xmlNode *loader = vl_libvirt_xml_child (os, "loader");
  g_autofree char *type = vl_libvirt_xml_prop (loader, "type");
  g_autofree char *path = loader != NULL ? vl_libvirt_xml_text (loader) : NULL;
  g_autofree char *lower = path != NULL ? g_ascii_strdown (path, -1) : NULL;

  return g_strcmp0 (type, "pflash") == 0 ||
         (lower != NULL && (strstr (lower, "ovmf") != NULL || strstr (lower, "edk2") != NULL));
}

static void
read_choice (xmlNode *root, VlFirmwareChoice *choice)
{
  xmlNode *os = vl_libvirt_xml_child (root, "os");
  xmlNode *devices = vl_libvirt_xml_child (root, "devices");
  xmlNode *firmware = vl_libvirt_xml_child (os, "firmware");
  g_autofree char *attr = vl_libvirt_xml_prop (os, "firmware");
  g_autofree char *secure = vl_libvirt_xml_prop (vl_libvirt_xml_child (os, "loader"), "secure");

  choice->uefi = g_strcmp0 (attr, "efi") == 0 || has_ovmf_loader (os);
  choice->secure_boot = choice->uefi && g_strcmp0 (secure, "yes") == 0;
  for (xmlNode *f = firmware != NULL ? firmware->children : NULL; f != NULL; f = f->next)
    {
      g_autofree char *name = vl_libvirt_xml_prop (f, "name");
      g_autofree char *enabled = vl_libvirt_xml_prop (f, "enabled");

      if (vl_libvirt_xml_is (f, "feature") && g_strcmp0 (name, "secure-boot") == 0)
        choice->secure_boot = choice->uefi && g_strcmp0 (enabled, "yes") == 0;
    }
  choice->tpm = vl_libvirt_xml_child (devices, "tpm") != NULL;
}

gboolean
vl_guest_firmware_read (const char *domain_xml, VlFirmwareChoice *choice)
{
  g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (domain_xml, "guest definition", VL_LIBVIRT_XML_NONE, NULL);
  xmlNode *root = vl_libvirt_xml_root (doc, "domain");

  *choice = (VlFirmwareChoice){ FALSE, FALSE, FALSE };
  if (root == NULL)
    return FALSE;
  read_choice (root, choice);
  return TRUE;
}

/* Every element NAME right under PARENT, removed. */
static void
remove_children (xmlNode *parent, const char *name)
{
  xmlNode *node = parent != NULL ? parent->children : NULL;

  while (node != NULL)
    {
      xmlNode *next = node->next;

      if (vl_libvirt_xml_is (node, name))
        {
          xmlUnlinkNode (node);
          xmlFreeNode (node);
        }
      node = next;
    }
}

static gpointer
fail (GError **error, int code, const char *message)
{
  g_set_error_literal (error, VL_ERROR, code, message);
  return NULL;
}

char *
vl_guest_firmware_edit_xml (const char *inactive_xml, const VlFirmwareChoice *choice,
                            const VlFirmwareCaps *caps, const char *host, GError **error)
{
  g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (inactive_xml, "guest definition", VL_LIBVIRT_XML_NONE, NULL);
  xmlNode *root = vl_libvirt_xml_root (doc, "domain");
  xmlNode *os;
  g_autoptr(VlGuestSpec) spec = NULL;
  g_autoptr(GVirConfigDomain) domain = NULL;
  g_autofree char *virt = NULL, *os_type = NULL, *machine = NULL, *stripped = NULL;
  VlFirmwareChoice now;
  gboolean firmware_changed, add_tpm;

  if (root == NULL)
    return fail (error, VL_ERROR_PARSE, _("The guest’s definition could not be read."));
  os = vl_libvirt_xml_child (root, "os");
  virt = vl_libvirt_xml_prop (root, "type");
  os_type = vl_libvirt_xml_child_text (os, "type");
  machine = vl_libvirt_xml_prop (vl_libvirt_xml_child (os, "type"), "machine");
  read_choice (root, &now);

  /* The check the assistant makes, for this guest's kind and the host's offer. */
  spec = vl_guest_spec_new ();
  vl_guest_spec_set_mode (spec, g_strcmp0 (virt, "xen") != 0      ? VL_GUEST_MODE_KVM_HVM
                                : g_strcmp0 (os_type, "hvm") == 0 ? VL_GUEST_MODE_XEN_HVM
                                                                  : VL_GUEST_MODE_XEN_PV);
  vl_guest_spec_set_firmware_caps (spec, caps, host != NULL ? host : _("this computer"));
  vl_guest_spec_set_firmware (spec, choice->uefi ? VL_GUEST_FIRMWARE_UEFI : VL_GUEST_FIRMWARE_BIOS);
  vl_guest_spec_set_secure_boot (spec, choice->secure_boot);
  vl_guest_spec_set_tpm (spec, choice->tpm);
  if (!vl_guest_spec_check_firmware (spec, error))
    return NULL;
  /* OVMF's Secure Boot build needs SMM, which QEMU has on q35 only; a guest's machine is not changed
   * behind the user's back (its disks and devices would move to other buses). */
  if (choice->secure_boot && !(now.uefi && now.secure_boot) &&
      (machine == NULL || strstr (machine, "q35") == NULL))
    {
      g_autofree char *message = g_strdup_printf (_("Secure Boot needs the q35 machine type, and this guest "
                                                     "has “%s”. Virtlab does not change a "
                                                     "guest’s machine type: turn Secure Boot off."),
                                                  machine != NULL ? machine : "pc");
      return fail (error, VL_ERROR_UNSUPPORTED, message);
    }

  firmware_changed = now.uefi != choice->uefi || (choice->uefi && now.secure_boot != choice->secure_boot);
  add_tpm = choice->tpm && !now.tpm;
  if (!firmware_changed && add_tpm == FALSE && now.tpm == choice->tpm)
    return vl_libvirt_xml_dump (doc);

  if (firmware_changed)
    {
      /* The old firmware's files go: libvirt picks new ones (and a new variables store) for the choice. */
      xmlUnsetProp (os, BAD_CAST "firmware");
      if (has_ovmf_loader (os))
        remove_children (os, "loader");
      remove_children (os, "nvram");
      remove_children (os, "firmware");
      if (choice->secure_boot)
        remove_children (vl_libvirt_xml_child (root, "features"), "smm");
      /* libvirt: "UEFI requires ACPI on this architecture" (x86_64, aarch64); a guest made without it
       * gets it, as every guest the assistant makes has it. */
      if (choice->uefi)
        {
          xmlNode *features = vl_libvirt_xml_child (root, "features");

          if (features == NULL)
            features = xmlNewChild (root, NULL, BAD_CAST "features", NULL);
          if (vl_libvirt_xml_child (features, "acpi") == NULL)
            xmlNewChild (features, NULL, BAD_CAST "acpi", NULL);
        }
    }
  if (!choice->tpm)
    remove_children (vl_libvirt_xml_child (root, "devices"), "tpm");
  stripped = vl_libvirt_xml_dump (doc);

  domain = gvir_config_domain_new_from_xml (stripped, error);
  if (domain == NULL)
    return NULL;
  if (firmware_changed && choice->uefi)
    {
      g_autoptr(GVirConfigDomainOs) config_os = gvir_config_domain_get_os (domain);

      /* CONFIG_OS is the domain's own <os> node: set in place (gvir_config_domain_set_os would free it). */
      gvir_config_domain_os_set_firmware (config_os, GVIR_CONFIG_DOMAIN_OS_FIRMWARE_EFI);
    }
  /* The firmware features, <smm> and the TPM device, as the assistant writes them. */
  vl_guest_spec_set_firmware (spec, firmware_changed && choice->uefi ? VL_GUEST_FIRMWARE_UEFI
                                                                     : VL_GUEST_FIRMWARE_BIOS);
  vl_guest_spec_set_tpm (spec, add_tpm);
  domain = vl_guest_spec_add_firmware_config (spec, g_steal_pointer (&domain), error);
  if (domain == NULL)
    return NULL;
  /* libvirt keeps a guest's UEFI variables file when its firmware changes, and makes one from the new
   * template only when there is none: after a Secure Boot switch the old file (without or with the
   * enrolled keys) would stay. It is made anew at the guest's next start. */
  if (firmware_changed && choice->uefi && !vl_guest_lifecycle_note_nvram_reset (domain, error))
    return NULL;
  return gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
}

/* ---- in a worker thread --------------------------------------------------------------------- */

typedef struct
{
  VlFirmwareChoice choice;
  char *host;
} EditData;

static void
edit_data_free (EditData *data)
{
  g_free (data->host);
  g_free (data);
}

/* The host's offer for this guest's emulator, architecture, machine and kind; NULL when the driver
 * has no domain capabilities (libvirt's test driver): then nothing is refused for want of support. */
static gboolean
read_caps (virConnectPtr conn, const char *xml, VlFirmwareCaps **caps, GError **error)
{
  g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (xml, "guest definition", VL_LIBVIRT_XML_NONE, NULL);
  g_autofree char *virt = vl_libvirt_xml_xpath_string (doc, "string(/domain/@type)");
  g_autofree char *emulator = vl_libvirt_xml_xpath_string (doc, "string(/domain/devices/emulator)");
  g_autofree char *arch = vl_libvirt_xml_xpath_string (doc, "string(/domain/os/type/@arch)");
  g_autofree char *machine = vl_libvirt_xml_xpath_string (doc, "string(/domain/os/type/@machine)");
  char *text;

#define OR_NULL(s) ((s) != NULL && *(s) != '\0' ? (s) : NULL)
  text = virConnectGetDomainCapabilities (conn, OR_NULL (emulator), OR_NULL (arch), OR_NULL (machine),
                                          OR_NULL (virt), 0);
#undef OR_NULL
  *caps = NULL;
  if (text == NULL)
    {
      if (vl_libvirt_last_error ().code == VIR_ERR_NO_SUPPORT)
        return TRUE;
      vl_libvirt_set_last_error (error,
                                 _("What this host offers for the guest’s firmware could not be read:"),
                                 NULL);
      return FALSE;
    }
  *caps = vl_firmware_caps_parse (text, error);
  free (text);
  return *caps != NULL;
}

/* The host in messages: the connection's host name for a remote one, else "this computer". */
static char *
host_words (virConnectPtr conn)
{
  char *text = virConnectGetURI (conn);
  g_autoptr(GUri) uri = text != NULL ? g_uri_parse (text, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *name = uri != NULL ? g_uri_get_host (uri) : NULL;
  char *words = name != NULL && *name != '\0' ? g_strdup (name) : g_strdup (_("this computer"));

  free (text);
  return words;
}

static void
edit_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GVirDomain *domain = source;
  EditData *data = task_data;
  g_autoptr(virDomain) vdom = NULL;
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autoptr(VlFirmwareCaps) caps = NULL;
  g_autoptr(virDomain) defined = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *changed = NULL;
  int state = VIR_DOMAIN_NOSTATE, reason = 0;

  g_object_get (domain, "handle", &vdom, NULL);
  if (virDomainGetState (vdom, &state, &reason, 0) < 0)
    {
      vl_libvirt_set_last_error (&error, _("The guest’s state could not be read:"), NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (state != VIR_DOMAIN_SHUTOFF)
    {
      g_task_return_new_error (task, VL_ERROR, VL_ERROR_INVALID_INPUT,
                               _("“%s” is running: shut it down before changing its firmware or TPM."),
                               gvir_domain_get_name (domain));
      return;
    }
  config = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, &error);
  if (config == NULL)
    {
      g_clear_error (&error);
      vl_libvirt_set_last_error (&error, _("The guest’s definition could not be read:"), NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  if (!read_caps (virDomainGetConnect (vdom), xml, &caps, &error) ||
      (changed = vl_guest_firmware_edit_xml (xml, &data->choice, caps,
                                             data->host != NULL
                                               ? data->host
                                               : (data->host = host_words (virDomainGetConnect (vdom))),
                                             &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  defined = virDomainDefineXML (virDomainGetConnect (vdom), changed);
  if (defined == NULL)
    {
      vl_libvirt_set_last_error (&error, _("The guest’s new firmware could not be saved:"), NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
vl_guest_firmware_edit_async (GVirDomain *domain, const VlFirmwareChoice *choice, const char *host,
                              GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  EditData *data;

  g_return_if_fail (GVIR_IS_DOMAIN (domain));
  g_return_if_fail (choice != NULL);
  task = g_task_new (domain, cancellable, callback, user_data);
  g_task_set_source_tag (task, vl_guest_firmware_edit_async);
  data = g_new0 (EditData, 1);
  data->choice = *choice;
  data->host = g_strdup (host);
  g_task_set_task_data (task, data, (GDestroyNotify) edit_data_free);
  g_task_run_in_thread (task, edit_thread);
}

gboolean
vl_guest_firmware_edit_finish (GVirDomain *domain, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, domain), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- what the dialog shows ------------------------------------------------------------------ */

void
vl_firmware_offer_free (VlFirmwareOffer *offer)
{
  if (offer == NULL)
    return;
  g_free (offer->name);
  g_free (offer->machine);
  g_free (offer->host);
  g_clear_pointer (&offer->caps, vl_firmware_caps_free);
  g_free (offer);
}

static void
offer_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GVirDomain *domain = source;
  g_autoptr(virDomain) vdom = NULL;
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autoptr(VlFirmwareOffer) offer = g_new0 (VlFirmwareOffer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *virt = NULL;
  int state = VIR_DOMAIN_NOSTATE, reason = 0;

  g_object_get (domain, "handle", &vdom, NULL);
  if (virDomainGetState (vdom, &state, &reason, 0) < 0)
    {
      vl_libvirt_set_last_error (&error, _("The guest’s state could not be read:"), NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  config = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, &error);
  if (config == NULL)
    {
      g_clear_error (&error);
      vl_libvirt_set_last_error (&error, _("The guest’s definition could not be read:"), NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  if (!read_caps (virDomainGetConnect (vdom), xml, &offer->caps, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  doc = vl_libvirt_xml_parse (xml, "guest definition", VL_LIBVIRT_XML_NONE, NULL);
  virt = vl_libvirt_xml_xpath_string (doc, "string(/domain/@type)");
  offer->name = g_strdup (gvir_domain_get_name (domain));
  offer->running = state != VIR_DOMAIN_SHUTOFF;
  offer->xen = g_strcmp0 (virt, "xen") == 0;
  offer->machine = vl_libvirt_xml_xpath_string (doc, "string(/domain/os/type/@machine)");
  offer->host = host_words (virDomainGetConnect (vdom));
  vl_guest_firmware_read (xml, &offer->now);
  g_task_return_pointer (task, g_steal_pointer (&offer), (GDestroyNotify) vl_firmware_offer_free);
}

void
vl_guest_firmware_offer_async (GVirDomain *domain, GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GVIR_IS_DOMAIN (domain));
  task = g_task_new (domain, cancellable, callback, user_data);
  g_task_set_source_tag (task, vl_guest_firmware_offer_async);
  g_task_run_in_thread (task, offer_thread);
}

VlFirmwareOffer *
vl_guest_firmware_offer_finish (GVirDomain *domain, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, domain), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
