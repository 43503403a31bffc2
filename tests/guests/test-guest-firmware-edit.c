/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Changing an existing guest's firmware and TPM (issue 17, guest details): the definition's change checked
 * against captured domain capabilities (pure), and on real QEMU (TCG) through a private qemu:///embed root:
 * a shut-off BIOS guest becomes UEFI + TPM 2.0; a running one is refused and left as it was; a Secure
 * Boot switch makes the UEFI variables anew at the next start; and the host's offer and the change
 * through a private libvirtd (a real connection, as root). */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "vl-error.h"
#include "vl-firmware-caps.h"
#include "vl-guest-firmware-edit.h"
#include "vl-guest-lifecycle.h"
#include "vl-gvir-autoptr.h"
#include "vl-libvirt-xml.h"
#include "vl-test-xpath.h"
#include "vl-libvirt-handle.h"
#include "vl-test-daemon.h"
#include "vl-test-guest.h"

#define FIXTURES VL_FIXTURES_DIR "/guests/firmware"

static VlTestHost *host;

static VlFirmwareCaps *
load_domcaps (const char *file)
{
  g_autofree char *path = g_build_filename (FIXTURES, file, NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  VlFirmwareCaps *caps;

  g_file_get_contents (path, &xml, NULL, &error);
  g_assert_no_error (error);
  caps = vl_firmware_caps_parse (xml, &error);
  g_assert_no_error (error);
  return caps;
}

/* A guest's definition built with libvirt-gconfig: KIND (qemu or xen), MACHINE, no disk, no NIC. */
static char *
guest_xml (GVirConfigDomainVirtType kind, const char *machine)
{
  g_autoptr(GVirConfigDomain) config = gvir_config_domain_new ();
  g_autoptr(GVirConfigDomainOs) os = gvir_config_domain_os_new ();

  gvir_config_domain_set_virt_type (config, kind);
  gvir_config_domain_set_name (config, "fw");
  gvir_config_domain_set_memory (config, 64 * 1024);
  gvir_config_domain_os_set_os_type (os, GVIR_CONFIG_DOMAIN_OS_TYPE_HVM);
  gvir_config_domain_os_set_arch (os, "x86_64");
  gvir_config_domain_os_set_machine (os, machine);
  gvir_config_domain_set_os (config, os);
  return gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
}

static void
test_bios_to_uefi_tpm (void)
{
  g_autoptr(VlFirmwareCaps) caps = load_domcaps ("domcaps-qemu-pc.xml");
  g_autofree char *xml = guest_xml (GVIR_CONFIG_DOMAIN_VIRT_QEMU, "pc");
  VlFirmwareChoice want = { TRUE, FALSE, TRUE }, read;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = vl_guest_firmware_edit_xml (xml, &want, caps, "host1", &error);

  g_assert_no_error (error);
  vl_test_assert_xpath (out, "string(/domain/os/@firmware)", "efi");
  vl_test_assert_xpath (out, "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "no");
  vl_test_assert_xpath (out, "string(/domain/os/type/@machine)", "pc");
  /* libvirt refuses UEFI without ACPI on x86_64: the guest gets it. */
  vl_test_assert_xpath (out, "string(count(/domain/features/acpi))", "1");
  vl_test_assert_xpath (out, "string(/domain/devices/tpm/@model)", "tpm-crb");
  vl_test_assert_xpath (out,
                        "concat(/domain/devices/tpm/backend/@type, ' ', "
                        "/domain/devices/tpm/backend/@version)",
                        "emulator 2.0");
  g_assert_true (vl_guest_firmware_read (out, &read));
  g_assert_true (read.uefi && !read.secure_boot && read.tpm);
}

static void
test_uefi_to_bios (void)
{
  g_autoptr(VlFirmwareCaps) caps = load_domcaps ("domcaps-qemu-q35.xml");
  g_autofree char *bios = guest_xml (GVIR_CONFIG_DOMAIN_VIRT_QEMU, "pc-q35-7.2");
  VlFirmwareChoice secure = { TRUE, TRUE, TRUE }, none = { FALSE, FALSE, FALSE }, read;
  g_autoptr(GError) error = NULL;
  g_autofree char *uefi = vl_guest_firmware_edit_xml (bios, &secure, caps, "host1", &error);
  g_autofree char *back = NULL;
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  vl_test_assert_xpath (uefi, "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "yes");
  vl_test_assert_xpath (uefi, "string(/domain/features/smm/@state)", "on");
  /* Secure Boot on again: still one <smm>, one <tpm>. */
  again = vl_guest_firmware_edit_xml (uefi, &secure, caps, "host1", &error);
  g_assert_no_error (error);
  vl_test_assert_xpath (again, "string(count(/domain/features/smm))", "1");
  vl_test_assert_xpath (again, "string(count(/domain/devices/tpm))", "1");

  back = vl_guest_firmware_edit_xml (uefi, &none, caps, "host1", &error);
  g_assert_no_error (error);
  vl_test_assert_xpath (back, "string(/domain/os/@firmware)", "");
  vl_test_assert_xpath (back, "string(count(/domain/os/firmware))", "0");
  vl_test_assert_xpath (back, "string(count(/domain/devices/tpm))", "0");
  g_assert_true (vl_guest_firmware_read (back, &read));
  g_assert_true (!read.uefi && !read.secure_boot && !read.tpm);
}

static void
test_refusals (void)
{
  g_autoptr(VlFirmwareCaps) bare = load_domcaps ("domcaps-qemu-bare.xml");
  g_autoptr(VlFirmwareCaps) pc = load_domcaps ("domcaps-qemu-pc.xml");
  g_autoptr(VlFirmwareCaps) xen = load_domcaps ("domcaps-libxl-xenfv.xml");
  g_autofree char *i440fx = guest_xml (GVIR_CONFIG_DOMAIN_VIRT_QEMU, "pc-i440fx-7.2");
  g_autofree char *xenfv = guest_xml (GVIR_CONFIG_DOMAIN_VIRT_XEN, "xenfv");
  VlFirmwareChoice uefi = { TRUE, FALSE, FALSE }, secure = { TRUE, TRUE, FALSE },
                   tpm = { FALSE, FALSE, TRUE };
  VlFirmwareChoice secure_bios = { FALSE, TRUE, FALSE };
  g_autoptr(GError) error = NULL;

  /* No OVMF on the host: the package is named, and the host. */
  g_assert_null (vl_guest_firmware_edit_xml (i440fx, &uefi, bare, "host1", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "ovmf package on host1"));
  g_clear_error (&error);
  /* Secure Boot on an i440fx machine: the machine is not changed behind the user's back. */
  g_assert_null (vl_guest_firmware_edit_xml (i440fx, &secure, NULL, "host1", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "pc-i440fx-7.2"));
  g_assert_nonnull (strstr (error->message, "q35"));
  g_clear_error (&error);
  /* The pc capabilities list no Secure Boot firmware. */
  g_assert_null (vl_guest_firmware_edit_xml (i440fx, &secure, pc, "host1", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Secure Boot"));
  g_clear_error (&error);
  g_assert_null (vl_guest_firmware_edit_xml (i440fx, &secure_bios, NULL, "host1", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "needs UEFI"));
  g_clear_error (&error);
  /* Xen: no TPM, no Secure Boot. */
  g_assert_null (vl_guest_firmware_edit_xml (xenfv, &tpm, xen, "host1", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "TPM"));
  g_clear_error (&error);
  g_assert_null (vl_guest_firmware_edit_xml (xenfv, &secure, xen, "host1", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (vl_guest_firmware_edit_xml ("<network/>", &uefi, NULL, "host1", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
}

static void
edit_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  if (!vl_guest_firmware_edit_finish (GVIR_DOMAIN (source), result, error) && *error == NULL)
    g_set_error_literal (error, VL_ERROR, VL_ERROR_FAILED, "failed without a reason");
  if (*error == NULL)
    g_set_error_literal (error, VL_ERROR, VL_ERROR_CANCELLED, "done"); /* a marker: it finished */
}

/* Runs the change to its end; TRUE when it succeeded, else ERROR says why. */
static gboolean
edit (GVirDomain *domain, const VlFirmwareChoice *choice, GError **error)
{
  vl_guest_firmware_edit_async (domain, choice, NULL, NULL, edit_done, error);
  while (*error == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (g_error_matches (*error, VL_ERROR, VL_ERROR_CANCELLED) && g_str_equal ((*error)->message, "done"))
    {
      g_clear_error (error);
      return TRUE;
    }
  return FALSE;
}

static char *
inactive_xml (GVirDomain *domain)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) config = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, &error);

  g_assert_no_error (error);
  return gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
}

static void
test_qemu_shut_off (void)
{
  g_autoptr(GVirDomain) domain = vl_test_host_define (host, "fw-change", NULL, NULL);
  VlFirmwareChoice want = { TRUE, FALSE, TRUE };
  g_autoptr(GError) error = NULL;
  g_autofree char *before = inactive_xml (domain);
  g_autofree char *after = NULL;
  g_autofree char *machine = vl_test_xpath (before, "string(/domain/os/type/@machine)");

  vl_test_assert_xpath (before, "string(/domain/os/@firmware)", "");
  g_assert_true (edit (domain, &want, &error));
  g_assert_no_error (error);
  after = inactive_xml (domain);
  g_test_message ("after: %s", after);
  vl_test_assert_xpath (after, "string(/domain/os/@firmware)", "efi");
  vl_test_assert_xpath (after, "string(/domain/devices/tpm/@model)", "tpm-crb");
  vl_test_assert_xpath (after, "string(/domain/devices/tpm/backend/@type)", "emulator");
  vl_test_assert_xpath (after, "string(/domain/os/type/@machine)", machine);
  gvir_domain_delete (domain, GVIR_DOMAIN_DELETE_KEEP_NVRAM, NULL);
}

/* A q35 guest: Secure Boot (SMM, the secure-boot feature), then back to BIOS; libvirt accepts each. */
static void
test_qemu_q35_secure_boot (void)
{
  g_autofree char *xml = guest_xml (GVIR_CONFIG_DOMAIN_VIRT_QEMU, "q35");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) config = gvir_config_domain_new_from_xml (xml, &error);
  g_autoptr(GVirDomain) domain = NULL;
  VlFirmwareChoice secure = { TRUE, TRUE, FALSE }, bios = { FALSE, FALSE, FALSE };
  g_autofree char *after = NULL;
  g_autofree char *back = NULL;

  g_assert_no_error (error);
  gvir_config_domain_set_name (config, "fw-q35");
  domain = gvir_connection_create_domain (host->connection, config, &error);
  g_assert_no_error (error);
  g_assert_true (edit (domain, &secure, &error));
  after = inactive_xml (domain);
  vl_test_assert_xpath (after, "string(/domain/os/@firmware)", "efi");
  vl_test_assert_xpath (after, "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "yes");
  vl_test_assert_xpath (after, "string(/domain/features/smm/@state)", "on");
  /* It starts: libvirt picks OVMF's Secure Boot build for it. */
  vl_test_host_start (host, domain);
  {
    g_autoptr(GVirConfigDomain) live = gvir_domain_get_config (domain, 0, &error);
    g_autofree char *live_xml = NULL;

    g_assert_no_error (error);
    live_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (live));
    vl_test_assert_xpath (live_xml, "string(/domain/os/loader/@secure)", "yes");
  }
  vl_test_host_destroy (host, domain);
  g_assert_true (edit (domain, &bios, &error));
  back = inactive_xml (domain);
  vl_test_assert_xpath (back, "string(/domain/os/@firmware)", "");
  vl_test_assert_xpath (back, "string(count(/domain/os/firmware))", "0");
  gvir_domain_delete (domain, 0, NULL);
}

/* The guest's UEFI variables file, read while it runs (libvirt names it in the live definition). */
static char *
running_nvram (GVirDomain *domain, gsize *length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) live = gvir_domain_get_config (domain, 0, &error);
  g_autofree char *xml = NULL;
  g_autofree char *path = NULL;
  char *contents = NULL;

  g_assert_no_error (error);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (live));
  path = vl_test_xpath (xml, "string(/domain/os/nvram)");
  g_assert_cmpstr (path, !=, "");
  g_assert_true (g_file_get_contents (path, &contents, length, NULL));
  return contents;
}

/* Secure Boot switched on an existing UEFI guest: the variables file made from the plain template
 * (no keys) is made anew from the Secure Boot one (Microsoft's keys enrolled) at the next start, and
 * only that once. */
static void
test_qemu_secure_boot_resets_nvram (void)
{
  g_autofree char *xml = guest_xml (GVIR_CONFIG_DOMAIN_VIRT_QEMU, "q35");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) config = gvir_config_domain_new_from_xml (xml, &error);
  g_autoptr(GVirDomain) domain = NULL;
  VlFirmwareChoice uefi = { TRUE, FALSE, FALSE }, secure = { TRUE, TRUE, FALSE };
  g_autofree char *vars = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GVirConfigDomain) inactive = NULL;
  gsize length = 0;

  g_assert_no_error (error);
  gvir_config_domain_set_name (config, "fw-vars");
  domain = gvir_connection_create_domain (host->connection, config, &error);
  g_assert_no_error (error);
  g_assert_true (edit (domain, &uefi, &error));
  g_assert_true (vl_guest_lifecycle_start (domain, &error));
  g_assert_no_error (error);
  vars = running_nvram (domain, &length);
  g_assert_null (memmem (vars, length, "Microsoft Corporation", 21));
  vl_test_host_destroy (host, domain);
  g_clear_pointer (&vars, g_free);

  g_assert_true (edit (domain, &secure, &error));
  inactive = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, &error);
  g_assert_true (vl_guest_lifecycle_nvram_reset_pending (inactive));
  g_clear_object (&inactive);
  g_assert_true (vl_guest_lifecycle_start (domain, &error));
  g_assert_no_error (error);
  vars = running_nvram (domain, &length);
  g_assert_nonnull (memmem (vars, length, "Microsoft Corporation", 21));
  vl_test_host_destroy (host, domain);
  /* The note is gone: the next start keeps the variables. */
  inactive = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, &error);
  g_assert_false (vl_guest_lifecycle_nvram_reset_pending (inactive));
  after = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (inactive));
  g_assert_null (strstr (after, VL_RESET_NVRAM_NS_URI));
  gvir_domain_delete (domain, GVIR_DOMAIN_DELETE_REMOVE_NVRAM, &error);
  g_assert_no_error (error);
}

static void
test_qemu_running_refused (void)
{
  g_autoptr(GVirDomain) domain = vl_test_host_define (host, "fw-running", NULL, NULL);
  VlFirmwareChoice want = { TRUE, FALSE, TRUE };
  g_autoptr(GError) error = NULL;
  g_autofree char *before = inactive_xml (domain);
  g_autofree char *after = NULL;

  vl_test_host_start (host, domain);
  g_assert_false (edit (domain, &want, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "“fw-running” is running"));
  after = inactive_xml (domain);
  g_assert_cmpstr (after, ==, before);
  vl_test_host_destroy (host, domain);
  gvir_domain_delete (domain, 0, NULL);
}

/* ---- through a private libvirtd: the same query and edit over a real connection ------------------ */

static void
offer_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VlFirmwareOffer **offer = user_data;
  g_autoptr(GError) error = NULL;

  *offer = vl_guest_firmware_offer_finish (GVIR_DOMAIN (source), result, &error);
  g_assert_no_error (error);
}

static void
over_daemon (const char *dir)
{
  g_autofree char *daemon_dir = g_build_filename (dir, "daemon", NULL);
  g_autofree char *xml = guest_xml (GVIR_CONFIG_DOMAIN_VIRT_QEMU, "q35");
  g_autoptr(GVirConnection) conn = NULL;
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VlFirmwareOffer) offer = NULL;
  g_autofree char *after = NULL;
  g_autofree char *live_xml = NULL;
  VlFirmwareChoice secure = { TRUE, TRUE, FALSE };
  VlTestDaemon daemon;

  g_mkdir_with_parents (daemon_dir, 0755);
  vl_test_daemon_init (&daemon, daemon_dir);
  vl_test_daemon_start (&daemon);
  conn = gvir_connection_new (daemon.uri);
  g_assert_true (gvir_connection_open (conn, NULL, &error));
  g_assert_no_error (error);
  config = gvir_config_domain_new_from_xml (xml, &error);
  g_assert_no_error (error);
  gvir_config_domain_set_name (config, "fw-remote");
  domain = gvir_connection_create_domain (conn, config, &error);
  g_assert_no_error (error);

  /* The host's offer, read from the daemon's domain capabilities. */
  vl_guest_firmware_offer_async (domain, NULL, offer_done, &offer);
  while (offer == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (offer->caps);
  g_assert_true (offer->caps->known);
  g_assert_true (offer->caps->efi);
  g_assert_true (offer->caps->secure_boot);
  g_assert_false (offer->running);
  g_assert_false (offer->now.uefi);
  g_assert_cmpstr (offer->name, ==, "fw-remote");

  /* The change, saved by the daemon; the guest starts with OVMF's Secure Boot build. */
  g_assert_true (edit (domain, &secure, &error));
  g_assert_no_error (error);
  after = inactive_xml (domain);
  vl_test_assert_xpath (after, "string(/domain/os/@firmware)", "efi");
  vl_test_assert_xpath (after, "string(/domain/os/firmware/feature[@name='secure-boot']/@enabled)", "yes");
  g_assert_true (vl_guest_lifecycle_start (domain, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GVirConfigDomain) live = gvir_domain_get_config (domain, 0, &error);

    g_assert_no_error (error);
    live_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (live));
  }
  vl_test_assert_xpath (live_xml, "string(/domain/os/loader/@secure)", "yes");
  vl_test_assert_xpath (live_xml, "string(/domain/os/nvram/@template)", "/usr/share/OVMF/OVMF_VARS_4M.ms.fd");
  gvir_domain_stop (domain, 0, &error);
  g_assert_no_error (error);
  gvir_domain_delete (domain, GVIR_DOMAIN_DELETE_REMOVE_NVRAM, &error);
  g_assert_no_error (error);
  g_clear_object (&domain);
  gvir_connection_close (conn);
  vl_test_daemon_stop_all (&daemon);
  vl_test_daemon_clear (&daemon);
}

static void
test_over_daemon (void)
{
  if (getuid () != 0)
    {
      g_test_skip ("a private libvirtd needs root");
      return;
    }
  vl_test_run_isolated ("virtlab-fw-daemon-XXXXXX", over_daemon);
}

int
main (int argc, char **argv)
{
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  gvir_init_object (NULL, NULL);
  g_test_add_func ("/firmware-edit/xml/bios-to-uefi-tpm", test_bios_to_uefi_tpm);
  g_test_add_func ("/firmware-edit/xml/uefi-to-bios", test_uefi_to_bios);
  g_test_add_func ("/firmware-edit/xml/refusals", test_refusals);
  g_test_add_func ("/firmware-edit/qemu/shut-off", test_qemu_shut_off);
  g_test_add_func ("/firmware-edit/qemu/q35-secure-boot", test_qemu_q35_secure_boot);
  g_test_add_func ("/firmware-edit/qemu/running-refused", test_qemu_running_refused);
  g_test_add_func ("/firmware-edit/qemu/secure-boot-resets-nvram", test_qemu_secure_boot_resets_nvram);
  g_test_add_func ("/firmware-edit/daemon/offer-and-edit", test_over_daemon);
  /* The isolated child talks to a private libvirtd: the embedded driver, once loaded, would take its
   * qemu:///system URI. */
  if (!g_test_subprocess ())
    host = vl_test_host_new ();
  ret = g_test_run ();
  if (host != NULL)
    vl_test_host_free (host);
  return ret;
}
