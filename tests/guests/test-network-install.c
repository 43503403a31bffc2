/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A network install as virt-install does it: the definition boots the disk, the installer runs once. */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>

#include "vl-error.h"
#include "vl-guest-lifecycle.h"
#include "vl-pending-install.h"
#include "vl-test-creator.h"

static char *tmp_root;

static gboolean
domain_is_running (GVirDomain *domain)
{
  g_autoptr(GError) error = NULL;
  GVirDomainInfo *info = gvir_domain_get_info (domain, &error);
  gboolean running;

  g_assert_no_error (error);
  running = info->state == GVIR_DOMAIN_STATE_RUNNING;
  g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info);
  return running;
}

/* The definition boots the installed disk and no installer is pending. */
static void
assert_persistent_boots_disk (GVirDomain *domain)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) config = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, &error);
  g_autofree char *xml = NULL;

  g_assert_no_error (error);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  g_assert_null (strstr (xml, "<kernel>"));
  g_assert_nonnull (strstr (xml, "<boot dev=\"hd\"/>"));
  g_assert_false (vl_pending_install_is_pending (config));
}

/* Running from its disk: neither the live nor the next configuration has the installer. */
static void
assert_boots_disk (GVirDomain *domain)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) live = gvir_domain_get_config (domain, 0, &error);
  g_autofree char *xml = NULL;

  g_assert_no_error (error);
  g_assert_true (domain_is_running (domain));
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (live));
  g_assert_null (strstr (xml, "<kernel>"));
  assert_persistent_boots_disk (domain);
}

static void
test_network_install (void)
{
  g_autofree char *www = g_build_filename (tmp_root, "www", NULL);
  g_autofree char *boot = g_build_filename (tmp_root, "boot", NULL);
  g_autofree char *pool_dir = g_build_filename (tmp_root, "pool", NULL);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(OsinfoDb) db = vl_guest_os_db_load (NULL);
  g_autoptr(GVirConnection) conn = vl_test_open_connection ("test:///default");
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  g_autoptr(VlGuestSpec) unknown = vl_guest_spec_new ();
  g_autoptr(VlGuestSpec) broken = vl_guest_spec_new ();
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GVirConfigDomain) live = NULL;
  g_autoptr(GVirConfigDomain) next = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *empty_url = NULL;
  g_autofree char *kernel = g_build_filename (boot, "deb-net-kernel", NULL);
  g_autofree char *initrd = g_build_filename (boot, "deb-net-initrd", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *live_xml = NULL;
  g_autofree char *next_xml = NULL;
  int port = 0;

  /* Where osinfo-db says Debian 11's netboot installer lives in its tree (the test driver is i686). */
  vl_test_write_file (www, "tree/current/images/netboot/debian-installer/i386/linux", "the installer kernel", -1);
  vl_test_write_file (www, "tree/current/images/netboot/debian-installer/i386/initrd.gz", "the installer initrd", -1);
  vl_test_write_file (www, "empty/README", "no installer here", -1);
  server = vl_test_start_http_server (www, &port);
  url = g_strdup_printf ("http://127.0.0.1:%d/tree/", port);
  empty_url = g_strdup_printf ("http://127.0.0.1:%d/empty/", port);

  vl_guest_creator_set_default_pool_dir (creator, pool_dir);
  vl_test_describe (creator, spec);
  vl_guest_spec_set_boot_dir (spec, boot);
  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_URL, url);
  vl_guest_spec_set_os (spec, osinfo_db_get_os (db, "http://debian.org/debian/11"));
  vl_guest_spec_set_memory_mib (spec, 256);
  vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 1, NULL);
  vl_guest_spec_set_name (spec, "deb-net");
  domain = vl_test_create (creator, spec, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (kernel, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the installer kernel");
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (initrd, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "the installer initrd");

  /* Running: the installer. Next start: the disk it installed to. */
  live = gvir_domain_get_config (domain, 0, &error);
  g_assert_no_error (error);
  live_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (live));
  g_assert_nonnull (strstr (live_xml, kernel));
  next = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, &error);
  g_assert_no_error (error);
  next_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (next));
  g_assert_null (strstr (next_xml, "<kernel>"));
  g_assert_nonnull (strstr (next_xml, "<boot dev=\"hd\"/>"));
  g_assert_null (strstr (next_xml, VL_PENDING_INSTALL_NS_URI));
  g_assert_false (vl_pending_install_is_pending (next));
  gvir_domain_stop (domain, 0, NULL);
  /* Started again, it boots its disk: the installer ran once. */
  g_assert_true (vl_guest_lifecycle_start (domain, &error));
  g_assert_no_error (error);
  assert_boots_disk (domain);
  gvir_domain_stop (domain, 0, NULL);
  gvir_domain_delete (domain, 0, NULL);

  /* Plain "Create": defined, not running, already the installed guest, with the installer noted ... */
  vl_guest_spec_set_name (spec, "deb-later");
  g_clear_object (&domain);
  domain = vl_test_create (creator, spec, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (domain_is_running (domain));
  g_clear_object (&next);
  g_clear_pointer (&next_xml, g_free);
  next = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, &error);
  g_assert_no_error (error);
  next_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (next));
  g_assert_null (strstr (next_xml, "<kernel>"));
  g_assert_nonnull (strstr (next_xml, "<boot dev=\"hd\"/>"));
  g_assert_true (vl_pending_install_is_pending (next));
  /* ... the first start runs the installer and drops the note, the next one boots the disk. */
  g_assert_true (vl_guest_lifecycle_start (domain, &error));
  g_assert_no_error (error);
  g_clear_object (&live);
  g_clear_pointer (&live_xml, g_free);
  live = gvir_domain_get_config (domain, 0, &error);
  g_assert_no_error (error);
  live_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (live));
  g_assert_nonnull (strstr (live_xml, "-kernel</kernel>"));
  g_assert_nonnull (strstr (live_xml, "<on_reboot>destroy</on_reboot>"));
  g_assert_null (strstr (live_xml, VL_PENDING_INSTALL_NS_URI));
  assert_persistent_boots_disk (domain);
  gvir_domain_stop (domain, 0, NULL);
  g_assert_true (vl_guest_lifecycle_start (domain, &error));
  g_assert_no_error (error);
  assert_boots_disk (domain);
  gvir_domain_stop (domain, 0, NULL);
  gvir_domain_delete (domain, 0, NULL);

  /* No OS chosen and no .treeinfo: nobody knows where the kernel is; nothing is made. */
  vl_test_describe (creator, unknown);
  vl_guest_spec_set_boot_dir (unknown, boot);
  vl_guest_spec_set_source (unknown, VL_INSTALL_SOURCE_URL, empty_url);
  vl_guest_spec_set_storage (unknown, VL_GUEST_STORAGE_NEW_VOLUME, 1, NULL);
  vl_guest_spec_set_name (unknown, "deb-unknown");
  g_assert_null (vl_test_create (creator, unknown, TRUE, NULL, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, empty_url));
  g_clear_error (&error);

  /* Debian 11 chosen, but the tree lacks its installer: the 404 is reported, nothing is left. */
  vl_test_describe (creator, broken);
  vl_guest_spec_set_boot_dir (broken, boot);
  vl_guest_spec_set_source (broken, VL_INSTALL_SOURCE_URL, empty_url);
  vl_guest_spec_set_os (broken, osinfo_db_get_os (db, "http://debian.org/debian/11"));
  vl_guest_spec_set_storage (broken, VL_GUEST_STORAGE_NEW_VOLUME, 1, NULL);
  vl_guest_spec_set_name (broken, "deb-broken");
  g_assert_null (vl_test_create (creator, broken, TRUE, NULL, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "404"));
  {
    g_autofree char *left = g_build_filename (boot, "deb-broken-kernel", NULL);
    g_autoptr(GVirStoragePool) pool = gvir_connection_find_storage_pool_by_name (conn, "default");
    g_autoptr(GVirStorageVol) vol = NULL;

    g_assert_false (g_file_test (left, G_FILE_TEST_EXISTS));
    g_assert_true (gvir_connection_fetch_domains (conn, NULL, NULL));
    g_assert_null (gvir_connection_find_domain_by_name (conn, "deb-broken"));
    if (pool != NULL)
      {
        gvir_storage_pool_refresh (pool, NULL, NULL);
        vol = gvir_storage_pool_get_volume (pool, "deb-broken.qcow2");
        g_assert_null (vol);
      }
  }
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
}

/* ---- real QEMU (TCG) on an embedded root ------------------------------------------------------ */

/* Enough of a Linux boot image for QEMU to load it with an initrd (boot protocol 2.12 header) whose
 * real-mode entry spins forever: the guest runs, and nothing needs downloading. */
static GBytes *
spinning_kernel (void)
{
  guint8 *image = g_malloc0 (3 * 512);

  image[0x1f1] = 1;                       /* setup sectors */
  image[0x1fe] = 0x55; image[0x1ff] = 0xaa;
  image[0x200] = 0xeb; image[0x201] = 0xfe;   /* jmp $ */
  memcpy (image + 0x202, "HdrS", 4);
  image[0x206] = 0x0c; image[0x207] = 0x02;   /* protocol 2.12 */
  image[0x211] = 0x01;                    /* loaded high */
  image[0x22c] = 0xff; image[0x22d] = 0xff; image[0x22e] = 0xff; image[0x22f] = 0x37;  /* initrd below 896 MiB */
  return g_bytes_new_take (image, 3 * 512);
}

/* What QEMU itself was told: its command line, from the pid file libvirt keeps under the root. */
static char *
qemu_command_line (const char *root, const char *name)
{
  g_autofree char *file = g_strconcat (name, ".pid", NULL);
  g_autofree char *pid_path = g_build_filename (root, "run", "qemu", file, NULL);
  g_autofree char *pid = NULL;
  g_autofree char *cmdline_path = NULL;
  char *cmdline = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (pid_path, &pid, NULL, NULL));
  cmdline_path = g_strdup_printf ("/proc/%d/cmdline", atoi (pid));
  g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &len, NULL));
  for (gsize i = 0; i + 1 < len; i++)
    {
      if (cmdline[i] == '\0')
        cmdline[i] = ' ';
    }
  return cmdline;
}

static void
test_embed_qemu_installer_once (void)
{
  const char *env_root = g_getenv ("VL_TEST_EMBED_ROOT");
  g_autofree char *root = env_root != NULL ? g_strdup (env_root) : g_build_filename (tmp_root, "embed", NULL);
  g_autofree char *uri = g_strdup_printf ("qemu:///embed?root=%s", root);
  g_autofree char *www = g_build_filename (tmp_root, "www", NULL);
  g_autofree char *url = NULL;
  g_autofree char *image = g_build_filename (root, "images", "net-tcg.qcow2", NULL);
  g_autofree char *conf_dir = g_build_filename (root, "etc", NULL);
  g_autofree char *conf = g_build_filename (conf_dir, "qemu.conf", NULL);
  g_autoptr(GBytes) kernel = spinning_kernel ();
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(OsinfoDb) db = vl_guest_os_db_load (NULL);
  g_autoptr(GVirConnection) conn = NULL;
  g_autoptr(VlGuestCreator) creator = NULL;
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GVirConfigDomain) live = NULL;
  g_autoptr(GVirConfigDomain) next = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *live_xml = NULL;
  g_autofree char *next_xml = NULL;
  g_autofree char *cmdline = NULL;
  int port = 0;

  /* Without virtlogd QEMU writes its log itself; as root it runs as root (see vl-connections.c). */
  g_mkdir_with_parents (conf_dir, 0755);
  g_chmod (root, 0755);
  g_assert_true (g_file_set_contents (conf, geteuid () == 0 ? "stdio_handler = \"file\"\ncgroup_controllers = [ ]\n"
                                                             "user = \"root\"\ngroup = \"root\"\n"
                                                           : "stdio_handler = \"file\"\ncgroup_controllers = [ ]\n",
                                      -1, NULL));
  vl_test_write_file (www, "tree/current/images/netboot/debian-installer/amd64/linux",
                      g_bytes_get_data (kernel, NULL), (gssize) g_bytes_get_size (kernel));
  vl_test_write_file (www, "tree/current/images/netboot/debian-installer/amd64/initrd.gz", "an initrd", -1);
  server = vl_test_start_http_server (www, &port);
  url = g_strdup_printf ("http://127.0.0.1:%d/tree/", port);

  conn = vl_test_open_connection (uri);
  creator = vl_guest_creator_new (conn);
  vl_test_describe (creator, spec);
  g_assert_cmpstr (vl_guest_spec_get_arch (spec), ==, "x86_64");
  vl_guest_spec_set_use_kvm (spec, FALSE);
  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_URL, url);
  vl_guest_spec_set_os (spec, osinfo_db_get_os (db, "http://debian.org/debian/11"));
  vl_guest_spec_set_memory_mib (spec, 64);
  vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 1, NULL);
  vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_NONE, NULL, NULL);
  vl_guest_spec_set_name (spec, "net-tcg");

  /* "Create and Start": QEMU boots the installer, the definition already boots the disk. */
  domain = vl_test_create (creator, spec, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (domain_is_running (domain));
  live = gvir_domain_get_config (domain, 0, &error);
  g_assert_no_error (error);
  live_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (live));
  g_assert_nonnull (strstr (live_xml, "net-tcg-kernel</kernel>"));
  g_assert_nonnull (strstr (live_xml, "<on_reboot>destroy</on_reboot>"));
  next = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, &error);
  g_assert_no_error (error);
  next_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (next));
  g_assert_null (strstr (next_xml, "<kernel>"));
  g_assert_nonnull (strstr (next_xml, "<boot dev=\"hd\"/>"));
  g_assert_nonnull (strstr (next_xml, "<on_reboot>restart</on_reboot>"));
  g_assert_nonnull (strstr (next_xml, image));
  g_assert_false (vl_pending_install_is_pending (next));
  cmdline = qemu_command_line (root, "net-tcg");
  g_assert_nonnull (strstr (cmdline, "-kernel "));
  g_clear_pointer (&cmdline, g_free);

  /* The next start boots the disk: QEMU gets no kernel. */
  g_assert_true (gvir_domain_stop (domain, 0, &error));
  g_assert_no_error (error);
  g_assert_true (vl_guest_lifecycle_start (domain, &error));
  g_assert_no_error (error);
  assert_boots_disk (domain);
  cmdline = qemu_command_line (root, "net-tcg");
  g_assert_null (strstr (cmdline, "-kernel "));

  g_assert_true (gvir_domain_stop (domain, 0, &error));
  g_assert_true (gvir_domain_delete (domain, 0, &error));
  g_assert_no_error (error);
  g_unlink (image);
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
}

int
main (int argc, char **argv)
{
  const char *argv_rm[] = { "rm", "-rf", NULL, NULL };
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  gvir_init_object (NULL, NULL);
  tmp_root = g_dir_make_tmp ("vl-netinst-XXXXXX", NULL);
  g_chmod (tmp_root, 0755);

  g_test_add_func ("/network-install/test-driver/create-or-create-and-start", test_network_install);
  g_test_add_func ("/network-install/embed-qemu/installer-runs-once", test_embed_qemu_installer_once);
  ret = g_test_run ();

  argv_rm[2] = tmp_root;
  g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_free (tmp_root);
  return ret;
}
