/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Firmware and TPM on real QEMU (issue 17): guests made by the creator on a private qemu:///embed root
 * (TCG), with UEFI (OVMF's screen read by OCR), with Secure Boot and an emulated TPM 2.0 (swtpm; the live
 * XML and QEMU's command line show them), and what libvirt 9.0 does with snapshots of a UEFI guest. */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>
#include <locale.h>
#include <unistd.h>

#include "vl-connections.h"
#include "vl-guest-snapshots.h"
#include "vl-guest-snapshots.h"
#include "vl-guest-spec-firmware.h"
#include "vl-error.h"
#include "vl-libvirt-handle.h"
#include "vl-libvirt-xml.h"
#include "vl-test-xpath.h"
#include "vl-test-creator.h"
#include "vl-test-guest.h"

#define OCR_TIMEOUT_S 240

static char *root;
static char *uri;
static GVirConnection *conn;
static OsinfoDb *os_db;

typedef struct
{
  GVirDomain *domain;
  GdkPixbuf *pixbuf;
  int done;
} Shot;

/* What QEMU shows now, through libvirt's screenshot stream (PPM). In a thread: the embedded driver's
 * monitor replies arrive through the main loop, which must keep running meanwhile. */
static gpointer
screenshot_thread (gpointer data)
{
  Shot *shot = data;
  g_autoptr(virDomain) vdom = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  virStreamPtr stream;
  char *mime;

  g_object_get (shot->domain, "handle", &vdom, NULL);
  stream = virStreamNew (virDomainGetConnect (vdom), 0);
  mime = stream != NULL ? virDomainScreenshot (vdom, stream, 0, 0) : NULL;
  /* QEMU 7.2 writes PNG: read up to its IEND chunk (the stream of a file does not always say it ended). */
  while (mime != NULL && bytes->len < 16 * 1024 * 1024)
    {
      char buffer[65536];
      int n = virStreamRecv (stream, buffer, sizeof buffer);

      if (n <= 0)
        break;
      g_byte_array_append (bytes, (const guint8 *) buffer, (guint) n);
      if (bytes->len >= 8 && memcmp (bytes->data + bytes->len - 8, "IEND\xae\x42\x60\x82", 8) == 0)
        break;
    }
  if (stream != NULL)
    {
      virStreamAbort (stream);
      virStreamFree (stream);
    }
  if (mime != NULL && gdk_pixbuf_loader_write (loader, bytes->data, bytes->len, NULL) &&
      gdk_pixbuf_loader_close (loader, NULL))
    shot->pixbuf = g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
  free (mime);
  g_atomic_int_set (&shot->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

static GdkPixbuf *
screenshot (GVirDomain *domain)
{
  Shot shot = { domain, NULL, 0 };
  GThread *thread = g_thread_new ("screenshot", screenshot_thread, &shot);

  while (!g_atomic_int_get (&shot.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  if (shot.pixbuf == NULL)
    g_error ("libvirt took no screenshot: %s", virGetLastErrorMessage ());
  return shot.pixbuf;
}

/* Reads the screen until one of WORDS shows (OVMF's boot manager and shell print these). */
static char *
wait_for_text (GVirDomain *domain, const char *const *words)
{
  gint64 end = g_get_monotonic_time () + OCR_TIMEOUT_S * G_USEC_PER_SEC;
  g_autofree char *text = NULL;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GdkPixbuf) shot = screenshot (domain);

      g_free (text);
      text = vl_test_ocr (shot);
      for (guint i = 0; words[i] != NULL; i++)
        {
          if (text != NULL && strstr (text, words[i]) != NULL)
            return g_steal_pointer (&text);
        }
      g_usleep (2 * G_USEC_PER_SEC);
    }
  g_error ("OVMF's screen did not show up; last read: %s", text);
  return NULL;
}

static VlGuestSpec *
firmware_spec (VlGuestCreator *creator, const char *name, const char *disk)
{
  VlGuestSpec *spec = vl_guest_spec_new ();

  vl_test_describe (creator, spec);
  vl_guest_spec_set_use_kvm (spec, FALSE);
  /* An empty disk: OVMF finds nothing to boot on it and says so on its screen. */
  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_DISK, disk);
  vl_guest_spec_set_memory_mib (spec, 256);
  vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_NONE, NULL, NULL);
  vl_guest_spec_set_name (spec, name);
  return spec;
}

static char *
empty_disk (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".img", NULL);
  char *path = g_build_filename (root, file, NULL);
  const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", path, "16M", NULL };

  vl_test_run (argv, NULL);
  return path;
}

static char *
live_xpath (GVirDomain *domain, const char *expr)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) config = gvir_domain_get_config (domain, 0, &error);
  g_autofree char *xml = NULL;

  g_assert_no_error (error);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  return vl_test_xpath (xml, expr);
}

/* A UEFI guest NAME on an empty disk DISK_NAME.img, made by the creator and started. */
static GVirDomain *
start_uefi_guest (const char *name, const char *disk_name, gboolean secure_boot, gboolean tpm)
{
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autofree char *disk = empty_disk (disk_name);
  g_autoptr(VlGuestSpec) spec = firmware_spec (creator, name, disk);
  g_autoptr(GError) error = NULL;
  GVirDomain *domain;

  vl_guest_spec_set_firmware (spec, VL_GUEST_FIRMWARE_UEFI);
  vl_guest_spec_set_secure_boot (spec, secure_boot);
  vl_guest_spec_set_tpm (spec, tpm);
  domain = vl_test_create (creator, spec, TRUE, NULL, &error);
  g_assert_no_error (error);
  return domain;
}

static char *
qemu_log (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".log", NULL);
  g_autofree char *path = g_build_filename (root, "log", "qemu", file, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* What this host offers, read from its domain capabilities: ovmf and swtpm are installed here. */
static void
test_host_offer (void)
{
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  const VlFirmwareCaps *caps;

  vl_test_describe (creator, spec);
  caps = vl_guest_spec_get_firmware_caps (spec);
  g_assert_nonnull (caps);
  g_assert_true (caps->efi);
  g_assert_true (caps->secure_boot);
  g_assert_true (caps->tpm_emulator);
  g_assert_cmpstr (vl_guest_spec_get_firmware_host (spec), ==, "this computer");
  /* Windows 11 gets what it needs from libosinfo. */
  vl_guest_spec_set_os (spec, osinfo_db_get_os (os_db, "http://microsoft.com/win/11"));
  g_assert_cmpint (vl_guest_spec_get_firmware (spec), ==, VL_GUEST_FIRMWARE_UEFI);
  g_assert_true (vl_guest_spec_get_secure_boot (spec));
  g_assert_true (vl_guest_spec_get_tpm (spec));
}

/* UEFI without Secure Boot: OVMF boots and shows its screen; no TPM. */
static void
test_uefi_boots_ovmf (void)
{
  g_autoptr(GVirDomain) domain = NULL;
  g_autofree char *text = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *secure = NULL;
  g_autofree char *tpms = NULL;
  const char *words[] = { "BdsDxe", "UEFI", "Shell", "TianoCore", "Boot Manager", NULL };
  gint64 start = g_get_monotonic_time ();

  domain = start_uefi_guest ("fw-uefi", "uefi", FALSE, FALSE);
  loader = live_xpath (domain, "string(/domain/os/loader)");
  secure = live_xpath (domain, "string(/domain/os/loader/@secure)");
  tpms = live_xpath (domain, "count(/domain/devices/tpm)");
  g_assert_nonnull (strstr (loader, "OVMF_CODE"));
  g_assert_cmpstr (secure, !=, "yes");
  g_assert_cmpstr (tpms, ==, "0");
  text = wait_for_text (domain, words);
  g_test_message ("OVMF's screen after %.1f s: %s", (g_get_monotonic_time () - start) / 1e6, text);
  gvir_domain_stop (domain, 0, NULL);
}

/* Secure Boot and TPM 2.0: loader secure='yes', the TPM in the live XML, and QEMU's command line with
 * OVMF's Secure Boot code file and -tpmdev emulator (swtpm running as root, see qemu.conf). */
static void
test_secure_boot_tpm (void)
{
  g_autoptr(GVirDomain) domain = NULL;
  g_autofree char *secure = NULL;
  g_autofree char *loader = NULL;
  g_autofree char *model = NULL;
  g_autofree char *backend = NULL;
  g_autofree char *machine = NULL;
  g_autofree char *log = NULL;
  g_autofree char *text = NULL;
  /* Secure Boot refuses OVMF's own unsigned EFI shell: proof that it is on. */
  const char *words[] = { "Security Violation", NULL };

  domain = start_uefi_guest ("fw-secure", "secure", TRUE, TRUE);
  secure = live_xpath (domain, "string(/domain/os/loader/@secure)");
  loader = live_xpath (domain, "string(/domain/os/loader)");
  model = live_xpath (domain, "string(/domain/devices/tpm/@model)");
  backend = live_xpath (domain, "concat(/domain/devices/tpm/backend/@type, ' ', "
                                "/domain/devices/tpm/backend/@version)");
  machine = live_xpath (domain, "string(/domain/os/type/@machine)");
  g_assert_cmpstr (secure, ==, "yes");
  g_assert_cmpstr (model, ==, "tpm-crb");
  g_assert_cmpstr (backend, ==, "emulator 2.0");
  g_assert_true (g_str_has_prefix (machine, "pc-q35"));
  log = qemu_log ("fw-secure");
  g_assert_nonnull (strstr (log, "-tpmdev emulator"));
  g_assert_nonnull (strstr (log, loader));
  /* Debian's ovmf: the Secure Boot builds are OVMF_CODE_4M.secboot.fd and .ms.fd (with Microsoft's keys). */
  g_assert_true (strstr (loader, ".ms.fd") != NULL || strstr (loader, "secboot") != NULL);
  g_assert_nonnull (strstr (log, "-machine pc-q35"));
  g_assert_nonnull (strstr (log, "smm=on"));
  text = wait_for_text (domain, words);
  g_test_message ("OVMF (Secure Boot) screen: %s", text);
  gvir_domain_stop (domain, 0, NULL);
}

static GAsyncResult *snapshot_result;

static void
snapshot_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  snapshot_result = g_object_ref (result);
}

static gboolean
snapshot_finished (gpointer data)
{
  return snapshot_result != NULL;
}

/* Waits for a take/revert/delete of the snapshots module and returns its outcome. */
static gboolean
snapshot_op_wait (GVirDomain *domain, GError **error)
{
  gboolean ok;

  g_assert_true (vl_test_wait_until (snapshot_finished, NULL, 120000));
  ok = vl_guest_snapshot_op_finish (domain, snapshot_result, error);
  g_clear_object (&snapshot_result);
  return ok;
}

/* libvirt 9.0 and a UEFI guest's snapshots, tried: shut off, internal snapshots of its qcow2 disk are
 * taken, gone back to and deleted; running, libvirt refuses them (VIR_ERR_OPERATION_UNSUPPORTED), which
 * the Snapshots tab says beforehand. */
static void
test_uefi_snapshots (void)
{
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autofree char *disk = empty_disk ("snap");
  g_autoptr(VlGuestSpec) spec = firmware_spec (creator, "fw-snap", disk);
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(VlSnapshotSupport) off = NULL;
  g_autoptr(VlSnapshotSupport) on = NULL;

  vl_guest_spec_set_firmware (spec, VL_GUEST_FIRMWARE_UEFI);
  domain = vl_test_create (creator, spec, FALSE, NULL, &error);
  g_assert_no_error (error);
  config = gvir_domain_get_config (domain, 0, &error);
  g_assert_no_error (error);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  off = vl_snapshot_support_for ("QEMU", xml, FALSE);
  on = vl_snapshot_support_for ("QEMU", xml, TRUE);
  g_assert_true (off->can_take && off->can_revert);
  g_assert_false (on->can_take);

  vl_guest_snapshot_take_async (domain, "before", NULL, FALSE, NULL, snapshot_done, NULL);
  g_assert_true (snapshot_op_wait (domain, &error));
  g_assert_no_error (error);
  vl_guest_snapshot_revert_async (domain, "before", NULL, snapshot_done, NULL);
  g_assert_true (snapshot_op_wait (domain, &error));
  g_assert_no_error (error);
  vl_guest_snapshot_delete_async (domain, "before", NULL, snapshot_done, NULL);
  g_assert_true (snapshot_op_wait (domain, &error));
  g_assert_no_error (error);

  /* Running: what the tab does not offer is what libvirt refuses, recognised by its code. */
  gvir_domain_start (domain, 0, &error);
  g_assert_no_error (error);
  vl_guest_snapshot_take_async (domain, "running", NULL, TRUE, NULL, snapshot_done, NULL);
  g_assert_false (snapshot_op_wait (domain, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED);
  g_test_message ("libvirt 9.0 on a running UEFI guest: %s", error->message);
  gvir_domain_stop (domain, 0, NULL);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  /* libvirt-glib 4.0 warns "code should not be reached" on the events of going back to a snapshot (see
   * test-guest-snapshots.c): warnings are reported, criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  gvir_init_object (NULL, NULL);
  os_db = vl_guest_os_db_load (&error);
  g_assert_no_error (error);
  root = g_strdup (g_getenv ("VL_TEST_EMBED_ROOT"));
  if (root == NULL)
    root = g_dir_make_tmp ("virtlab-firmware-XXXXXX", NULL);
  /* The app's own embed root set-up: QEMU and swtpm run as root when we are root. */
  g_assert_true (vl_connections_prepare_embed_root (root, &error));
  g_assert_no_error (error);
  uri = g_strdup_printf ("qemu:///embed?root=%s", root);
  conn = vl_test_open_connection (uri);

  g_test_add_func ("/firmware-qemu/host-offer", test_host_offer);
  g_test_add_func ("/firmware-qemu/uefi-boots-ovmf", test_uefi_boots_ovmf);
  g_test_add_func ("/firmware-qemu/secure-boot-tpm", test_secure_boot_tpm);
  g_test_add_func ("/firmware-qemu/uefi-snapshots", test_uefi_snapshots);
  ret = g_test_run ();

  {
    GList *domains = gvir_connection_get_domains (conn);

    for (GList *l = domains; l != NULL; l = l->next)
      gvir_domain_stop (l->data, 0, NULL);
    g_list_free_full (domains, g_object_unref);
  }
  gvir_connection_close (conn);
  g_object_unref (conn);
  g_object_unref (os_db);
  return ret;
}
