/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Firmware and TPM (issue 17): the host's offer read from captured domain capabilities, the defaults
 * from libosinfo, the checks (bad input named) and the domain XML (schema-checked). */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <unistd.h>

#include "vl-error.h"
#include "vl-firmware-caps.h"
#include "vl-guest-spec-firmware.h"
#include "vl-gvir-autoptr.h"
#include "vl-libvirt-xml.h"
#include "vl-test-xpath.h"

#define FIXTURES VL_FIXTURES_DIR "/guests"

static OsinfoDb *os_db;

static char *
read_fixture (const char *dir, const char *file)
{
  g_autofree char *path = g_build_filename (FIXTURES, dir, file, NULL);
  g_autoptr(GError) error = NULL;
  char *xml = NULL;

  g_file_get_contents (path, &xml, NULL, &error);
  g_assert_no_error (error);
  return xml;
}

static VlFirmwareCaps *
load_domcaps (const char *file)
{
  g_autofree char *xml = read_fixture ("firmware", file);
  g_autoptr(GError) error = NULL;
  VlFirmwareCaps *caps = vl_firmware_caps_parse (xml, &error);

  g_assert_no_error (error);
  g_assert_nonnull (caps);
  g_assert_true (caps->known);
  return caps;
}

static void
test_caps_qemu_q35 (void)
{
  g_autoptr(VlFirmwareCaps) caps = load_domcaps ("domcaps-qemu-q35.xml");

  g_assert_cmpstr (caps->driver, ==, "qemu");
  g_assert_cmpstr (caps->machine, ==, "pc-q35-7.2");
  g_assert_true (caps->efi);
  g_assert_true (caps->autoselect);
  g_assert_true (caps->secure_boot);
  g_assert_true (caps->tpm_emulator);
  g_assert_cmpuint (g_strv_length (caps->loaders), ==, 3);
  g_assert_true (
    g_strv_contains ((const char *const *) caps->loaders, "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd"));
  g_assert_null (vl_firmware_caps_why_no_efi (caps, "vm"));
  g_assert_null (vl_firmware_caps_why_no_secure_boot (caps, "vm"));
  g_assert_null (vl_firmware_caps_why_no_tpm (caps, "vm"));
}

/* The i440fx machine: UEFI yes, Secure Boot no (no SMM there). */
static void
test_caps_qemu_pc (void)
{
  g_autoptr(VlFirmwareCaps) caps = load_domcaps ("domcaps-qemu-pc.xml");
  g_autofree char *why = NULL;

  g_assert_true (caps->efi);
  g_assert_false (caps->secure_boot);
  g_assert_true (caps->tpm_emulator);
  why = vl_firmware_caps_why_no_secure_boot (caps, "vm");
  g_assert_nonnull (strstr (why, "q35"));
}

/* A host without ovmf and swtpm: each reason names the host and the package. */
static void
test_caps_qemu_bare (void)
{
  g_autoptr(VlFirmwareCaps) caps = load_domcaps ("domcaps-qemu-bare.xml");
  g_autofree char *efi = NULL;
  g_autofree char *sb = NULL;
  g_autofree char *tpm = NULL;

  g_assert_false (caps->efi);
  g_assert_false (caps->secure_boot);
  g_assert_false (caps->tpm_emulator);
  g_assert_cmpuint (g_strv_length (caps->loaders), ==, 0);
  efi = vl_firmware_caps_why_no_efi (caps, "lab-7");
  sb = vl_firmware_caps_why_no_secure_boot (caps, "lab-7");
  tpm = vl_firmware_caps_why_no_tpm (caps, "lab-7");
  g_assert_cmpstr (efi, ==, "UEFI needs the ovmf package on lab-7.");
  g_assert_cmpstr (sb, ==, efi);
  g_assert_cmpstr (tpm, ==, "An emulated TPM 2.0 needs the swtpm and swtpm-tools packages on lab-7.");
}

static void
test_caps_xen (void)
{
  g_autoptr(VlFirmwareCaps) caps = load_domcaps ("domcaps-libxl-xenfv.xml");
  g_autoptr(VlFirmwareCaps) bare = load_domcaps ("domcaps-libxl-xenfv-no-ovmf.xml");
  g_autofree char *sb = NULL;
  g_autofree char *tpm = NULL;
  g_autofree char *efi = NULL;

  g_assert_cmpstr (caps->driver, ==, "xen");
  g_assert_true (caps->efi);
  g_assert_false (caps->autoselect);
  g_assert_false (caps->secure_boot);
  g_assert_false (caps->tpm_emulator);
  sb = vl_firmware_caps_why_no_secure_boot (caps, "dom0");
  g_assert_cmpstr (sb, ==, "Secure Boot is not supported on Xen.");
  tpm = vl_firmware_caps_why_no_tpm (caps, "dom0");
  g_assert_cmpstr (tpm, ==, "libvirt’s Xen driver offers no TPM.");
  g_assert_false (bare->efi);
  efi = vl_firmware_caps_why_no_efi (bare, "dom0");
  g_assert_nonnull (strstr (efi, "dom0"));
  g_assert_nonnull (strstr (efi, "OVMF"));
}

static void
test_caps_bad (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VlFirmwareCaps) unknown = vl_firmware_caps_new_unknown ();

  g_assert_null (vl_firmware_caps_parse ("<domainCapabilities><os", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_null (vl_firmware_caps_parse ("<capabilities/>", &error));
  g_assert_nonnull (strstr (error->message, "domainCapabilities"));
  /* Nothing known: nothing is refused for want of support. */
  g_assert_null (vl_firmware_caps_why_no_efi (unknown, "x"));
  g_assert_null (vl_firmware_caps_why_no_tpm (unknown, "x"));
}

static OsinfoOs *
os_by_short_id (const char *short_id)
{
  g_autoptr(OsinfoOsList) list = osinfo_db_get_os_list (os_db);
  gint n = osinfo_list_get_length (OSINFO_LIST (list));

  for (gint i = 0; i < n; i++)
    {
      OsinfoOs *os = OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (list), i));

      if (g_strcmp0 (osinfo_product_get_short_id (OSINFO_PRODUCT (os)), short_id) == 0)
        return os;
    }
  g_assert_not_reached ();
  return NULL;
}

static VlGuestSpec *
make_spec (const char *host_caps, const char *domcaps, VlGuestMode mode)
{
  VlGuestSpec *spec = vl_guest_spec_new ();
  g_autofree char *caps_xml = read_fixture ("new-guest", host_caps);
  g_autoptr(GVirConfigCapabilities) caps = gvir_config_capabilities_new_from_xml (caps_xml, NULL);
  g_autoptr(VlFirmwareCaps) fw = domcaps != NULL ? load_domcaps (domcaps) : NULL;

  g_assert_nonnull (caps);
  vl_guest_spec_set_host_capabilities (spec, caps);
  vl_guest_spec_set_host_limits (spec, 8 * 1024 * 1024, 4, FALSE);
  vl_guest_spec_set_mode (spec, mode);
  vl_guest_spec_set_firmware_caps (spec, fw, "lab-7");
  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, "/srv/iso/install.iso");
  vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 8, NULL);
  vl_guest_spec_set_pool (spec, "default", "/var/lib/libvirt/images", G_GUINT64_CONSTANT (100) << 30);
  vl_guest_spec_set_name (spec, "fw");
  return spec;
}

static void
assert_schema_valid (const char *xml)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  int fd = g_file_open_tmp ("vl-fw-XXXXXX.xml", &path, &error);
  int status = 0;
  const char *argv[] = { "virt-xml-validate", NULL, "domain", NULL };

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, xml, -1, &error);
  g_assert_no_error (error);
  argv[1] = path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_unlink (path);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("virt-xml-validate failed on %s: %s", xml, out);
}

static char *
domain_xml (VlGuestSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) domain = vl_guest_spec_to_domain (spec, &error);
  char *xml;

  g_assert_no_error (error);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
  assert_schema_valid (xml);
  return xml;
}

/* UEFI with Secure Boot and a TPM on KVM: libvirt's firmware auto-selection, q35 with SMM, CRB TPM. */
static void
test_xml_secure_boot_tpm (void)
{
  static const char *const want[][2] = {
    { "string(/domain/os/@firmware)", "efi" },
    { "string(/domain/os/type/@machine)", "q35" },
    { "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "yes" },
    { "string(/domain/os/firmware/feature[@name='enrolled-keys']/@enabled)", "yes" },
    { "string(/domain/features/smm/@state)", "on" },
    { "string(/domain/devices/tpm/@model)", "tpm-crb" },
    { "string(/domain/devices/tpm/backend/@type)", "emulator" },
    { "string(/domain/devices/tpm/backend/@version)", "2.0" },
    /* q35 has no IDE: the install disc is on SATA. */
    { "string(/domain/devices/disk[@device='cdrom']/target/@bus)", "sata" },
  };
  g_autoptr(VlGuestSpec) spec = make_spec ("caps-kvm.xml", "domcaps-qemu-q35.xml", VL_GUEST_MODE_KVM_HVM);
  g_autofree char *xml = NULL;

  vl_guest_spec_set_firmware (spec, VL_GUEST_FIRMWARE_UEFI);
  vl_guest_spec_set_secure_boot (spec, TRUE);
  vl_guest_spec_set_tpm (spec, TRUE);
  xml = domain_xml (spec);
  vl_test_assert_xpaths (xml, want, G_N_ELEMENTS (want));
}

/* UEFI without Secure Boot keeps the default machine and says Secure Boot is off. */
static void
test_xml_uefi_plain (void)
{
  static const char *const want[][2] = {
    { "string(/domain/os/@firmware)", "efi" },
    { "string(/domain/os/type/@machine)", "" },
    { "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "no" },
    { "count(/domain/features/smm)", "0" },
    { "count(/domain/devices/tpm)", "0" },
    { "string(/domain/devices/disk[@device='cdrom']/target/@bus)", "ide" },
  };
  g_autoptr(VlGuestSpec) spec = make_spec ("caps-kvm.xml", "domcaps-qemu-pc.xml", VL_GUEST_MODE_KVM_HVM);
  g_autofree char *xml = NULL;

  vl_guest_spec_set_firmware (spec, VL_GUEST_FIRMWARE_UEFI);
  xml = domain_xml (spec);
  vl_test_assert_xpaths (xml, want, G_N_ELEMENTS (want));
}

/* BIOS: nothing of this is written (the study's guests stay as they were). */
static void
test_xml_bios (void)
{
  g_autoptr(VlGuestSpec) spec = make_spec ("caps-kvm.xml", "domcaps-qemu-q35.xml", VL_GUEST_MODE_KVM_HVM);
  g_autofree char *xml = domain_xml (spec);

  vl_test_assert_xpath (xml, "count(/domain/os/@firmware)", "0");
  vl_test_assert_xpath (xml, "count(/domain/os/firmware)", "0");
  vl_test_assert_xpath (xml, "count(/domain/devices/tpm)", "0");
}

/* Xen HVM with Xen's OVMF: firmware='efi' (libxl picks ovmf.bin), no Secure Boot features. */
static void
test_xml_xen_hvm_uefi (void)
{
  g_autoptr(VlGuestSpec) spec = make_spec ("caps-xen.xml", "domcaps-libxl-xenfv.xml", VL_GUEST_MODE_XEN_HVM);
  g_autofree char *xml = NULL;

  vl_guest_spec_set_firmware (spec, VL_GUEST_FIRMWARE_UEFI);
  xml = domain_xml (spec);
  vl_test_assert_xpath (xml, "string(/domain/@type)", "xen");
  vl_test_assert_xpath (xml, "string(/domain/os/@firmware)", "efi");
  vl_test_assert_xpath (xml, "count(/domain/os/firmware)", "0");
}

typedef struct
{
  const char *name;
  const char *host_caps, *domcaps;
  VlGuestMode mode;
  VlGuestFirmware firmware;
  gboolean secure_boot, tpm;
  const char *message; /* a part of the message that names the field */
} BadCase;

static const BadCase bad_cases[] = {
  { "secure-boot-with-bios", "caps-kvm.xml", "domcaps-qemu-q35.xml", VL_GUEST_MODE_KVM_HVM,
    VL_GUEST_FIRMWARE_BIOS, TRUE, FALSE, "Secure Boot needs UEFI firmware" },
  { "tpm-on-xen-hvm", "caps-xen.xml", "domcaps-libxl-xenfv.xml", VL_GUEST_MODE_XEN_HVM,
    VL_GUEST_FIRMWARE_BIOS, FALSE, TRUE, "TPM 2.0 is offered for KVM/QEMU guests only" },
  { "tpm-on-xen-pv", "caps-xen.xml", "domcaps-libxl-xenfv.xml", VL_GUEST_MODE_XEN_PV, VL_GUEST_FIRMWARE_BIOS,
    FALSE, TRUE, "TPM 2.0: a Xen paravirtualized guest has no TPM" },
  { "uefi-on-xen-pv", "caps-xen.xml", "domcaps-libxl-xenfv.xml", VL_GUEST_MODE_XEN_PV, VL_GUEST_FIRMWARE_UEFI,
    FALSE, FALSE, "Firmware: a Xen paravirtualized guest" },
  { "secure-boot-on-xen", "caps-xen.xml", "domcaps-libxl-xenfv.xml", VL_GUEST_MODE_XEN_HVM,
    VL_GUEST_FIRMWARE_UEFI, TRUE, FALSE, "Secure Boot is not supported on Xen" },
  { "uefi-xen-without-ovmf", "caps-xen.xml", "domcaps-libxl-xenfv-no-ovmf.xml", VL_GUEST_MODE_XEN_HVM,
    VL_GUEST_FIRMWARE_UEFI, FALSE, FALSE, "Firmware: UEFI is not offered: Xen on lab-7" },
  { "uefi-without-ovmf", "caps-kvm.xml", "domcaps-qemu-bare.xml", VL_GUEST_MODE_KVM_HVM,
    VL_GUEST_FIRMWARE_UEFI, FALSE, FALSE, "Firmware: UEFI needs the ovmf package on lab-7. Choose BIOS." },
  { "secure-boot-on-i440fx-only", "caps-kvm.xml", "domcaps-qemu-pc.xml", VL_GUEST_MODE_KVM_HVM,
    VL_GUEST_FIRMWARE_UEFI, TRUE, FALSE, "Secure Boot: Secure Boot needs OVMF’s Secure Boot firmware" },
  { "tpm-without-swtpm", "caps-kvm.xml", "domcaps-qemu-bare.xml", VL_GUEST_MODE_KVM_HVM,
    VL_GUEST_FIRMWARE_BIOS, FALSE, TRUE,
    "TPM 2.0: An emulated TPM 2.0 needs the swtpm and swtpm-tools packages on lab-7" },
};

static void
test_bad_input (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(VlGuestSpec) spec = make_spec (c->host_caps, c->domcaps, c->mode);
  g_autoptr(GError) error = NULL;
  VlGuestStep step = VL_GUEST_STEP_NAME;

  if (c->mode == VL_GUEST_MODE_XEN_PV)
    {
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_DISK, "/srv/pv.img");
    }
  vl_guest_spec_set_firmware (spec, c->firmware);
  vl_guest_spec_set_secure_boot (spec, c->secure_boot);
  vl_guest_spec_set_tpm (spec, c->tpm);
  g_assert_false (vl_guest_spec_validate (spec, &step, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_cmpint (step, ==, VL_GUEST_STEP_MODE);
  if (strstr (error->message, c->message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, c->message);
  /* Nothing is built from it either. */
  g_clear_error (&error);
  g_assert_null (vl_guest_spec_to_domain (spec, &error));
  g_assert_nonnull (error);
}

/* libosinfo: Windows 11 needs UEFI (BIOS unsupported) and TPM 2.0; Debian 11 boots with BIOS. */
static void
test_defaults_from_osinfo (void)
{
  g_autoptr(VlGuestSpec) kvm = make_spec ("caps-kvm.xml", "domcaps-qemu-q35.xml", VL_GUEST_MODE_KVM_HVM);
  g_autoptr(VlGuestSpec) bare = make_spec ("caps-kvm.xml", "domcaps-qemu-bare.xml", VL_GUEST_MODE_KVM_HVM);
  g_autoptr(VlGuestSpec) unknown = make_spec ("caps-kvm.xml", NULL, VL_GUEST_MODE_KVM_HVM);

  vl_guest_spec_set_os (kvm, os_by_short_id ("win11"));
  g_assert_true (vl_guest_spec_os_needs_uefi (kvm));
  g_assert_true (vl_guest_spec_os_wants_tpm (kvm));
  g_assert_cmpint (vl_guest_spec_get_firmware (kvm), ==, VL_GUEST_FIRMWARE_UEFI);
  g_assert_true (vl_guest_spec_get_secure_boot (kvm));
  g_assert_true (vl_guest_spec_get_tpm (kvm));
  g_assert_true (vl_guest_spec_validate (kvm, NULL, NULL));

  vl_guest_spec_set_os (kvm, os_by_short_id ("debian11"));
  g_assert_false (vl_guest_spec_os_needs_uefi (kvm));
  g_assert_cmpint (vl_guest_spec_get_firmware (kvm), ==, VL_GUEST_FIRMWARE_BIOS);
  g_assert_false (vl_guest_spec_get_secure_boot (kvm));
  g_assert_false (vl_guest_spec_get_tpm (kvm));

  /* A host without OVMF or swtpm: the defaults stay what it can run, the check says the rest. */
  vl_guest_spec_set_os (bare, os_by_short_id ("win11"));
  g_assert_cmpint (vl_guest_spec_get_firmware (bare), ==, VL_GUEST_FIRMWARE_BIOS);
  g_assert_false (vl_guest_spec_get_tpm (bare));

  /* Nothing known (libvirt's test driver): what the OS needs. */
  vl_guest_spec_set_os (unknown, os_by_short_id ("win11"));
  g_assert_cmpint (vl_guest_spec_get_firmware (unknown), ==, VL_GUEST_FIRMWARE_UEFI);
  g_assert_true (vl_guest_spec_get_tpm (unknown));
}

/* The Guests page's overview line, from the XML libvirt gives back (as in test firmware-qemu). */
static void
test_describe_domain (void)
{
  g_autofree char *bios = vl_firmware_describe_domain ("<domain><os><type>hvm</type></os></domain>");
  g_autofree char *uefi = vl_firmware_describe_domain (
    "<domain><os firmware='efi'><type>hvm</type><loader "
    "type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>"
    "</os></domain>");
  g_autofree char *secure = vl_firmware_describe_domain (
    "<domain><os><type>hvm</type><loader type='pflash' "
    "secure='yes'>/usr/share/OVMF/OVMF_CODE_4M.ms.fd</loader>"
    "</os><devices><tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm></devices></domain>");

  g_assert_cmpstr (bios, ==, "BIOS");
  g_assert_cmpstr (uefi, ==, "UEFI");
  g_assert_cmpstr (secure, ==, "UEFI with Secure Boot, TPM 2.0");
  g_assert_null (vl_firmware_describe_domain ("<network/>"));
}

/* A worker's copy keeps every choice. */
static void
test_copy (void)
{
  g_autoptr(VlGuestSpec) spec = make_spec ("caps-kvm.xml", "domcaps-qemu-q35.xml", VL_GUEST_MODE_KVM_HVM);
  g_autoptr(VlGuestSpec) copy = NULL;

  vl_guest_spec_set_firmware (spec, VL_GUEST_FIRMWARE_UEFI);
  vl_guest_spec_set_secure_boot (spec, TRUE);
  vl_guest_spec_set_tpm (spec, TRUE);
  copy = vl_guest_spec_copy (spec);
  g_assert_cmpint (vl_guest_spec_get_firmware (copy), ==, VL_GUEST_FIRMWARE_UEFI);
  g_assert_true (vl_guest_spec_get_secure_boot (copy));
  g_assert_true (vl_guest_spec_get_tpm (copy));
  g_assert_true (vl_guest_spec_get_firmware_caps (copy)->secure_boot);
  g_assert_cmpstr (vl_guest_spec_get_firmware_host (copy), ==, "lab-7");
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  gvir_config_init (NULL, NULL);
  os_db = vl_guest_os_db_load (&error);
  g_assert_no_error (error);

  g_test_add_func ("/firmware/caps/qemu-q35", test_caps_qemu_q35);
  g_test_add_func ("/firmware/caps/qemu-pc", test_caps_qemu_pc);
  g_test_add_func ("/firmware/caps/qemu-without-ovmf-swtpm", test_caps_qemu_bare);
  g_test_add_func ("/firmware/caps/xen", test_caps_xen);
  g_test_add_func ("/firmware/caps/bad", test_caps_bad);
  g_test_add_func ("/firmware/xml/secure-boot-tpm", test_xml_secure_boot_tpm);
  g_test_add_func ("/firmware/xml/uefi", test_xml_uefi_plain);
  g_test_add_func ("/firmware/xml/bios", test_xml_bios);
  g_test_add_func ("/firmware/xml/xen-hvm-uefi", test_xml_xen_hvm_uefi);
  g_test_add_func ("/firmware/defaults-from-osinfo", test_defaults_from_osinfo);
  g_test_add_func ("/firmware/copy", test_copy);
  g_test_add_func ("/firmware/describe-domain", test_describe_domain);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/firmware/bad-input/", bad_cases[i].name, NULL);

      g_test_add_data_func (path, &bad_cases[i], test_bad_input);
    }
  ret = g_test_run ();
  g_object_unref (os_db);
  return ret;
}
