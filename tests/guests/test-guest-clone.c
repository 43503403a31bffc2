/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cloning: the clone's definition (pure), a clone through a pool on libvirt's test driver, and on real
 * QEMU (TCG) in an embedded root: the disk copied with its content, a new UUID and MAC, read-only media
 * shared, the clone boots as its own guest; refusals and a failure half-way that leaves nothing; and
 * a pool that fills up during the copy, through a private libvirtd (as root). */
#define _GNU_SOURCE /* unshare */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>
#include <locale.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include "vl-error.h"
#include "vl-gvir-autoptr.h"
#include "vl-guest-clone.h"
#include "vl-libvirt-handle.h"
#include "vl-test-daemon.h"
#include "vl-test-guest.h"
#include "vl-test-wait.h"

static const char source_xml[] =
  "<domain type='kvm'>\n"
  "  <name>web</name>\n"
  "  <uuid>0b3e1d9a-7f55-4a0e-9e5e-2f7c1f0d1a11</uuid>\n"
  "  <memory unit='KiB'>1048576</memory>\n"
  "  <os firmware='efi'><type arch='x86_64' machine='q35'>hvm</type>"
  "<nvram>/var/lib/libvirt/qemu/nvram/web_VARS.fd</nvram></os>\n"
  "  <devices>\n"
  "    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
  "<source file='/var/lib/libvirt/images/web.qcow2'/><target dev='vda' bus='virtio'/></disk>\n"
  "    <disk type='volume' device='disk'><driver name='qemu' type='raw'/>"
  "<source pool='data' volume='web-data.img'/><target dev='vdb' bus='virtio'/></disk>\n"
  "    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/>"
  "<source file='/isos/debian.iso'/><target dev='sda' bus='sata'/><readonly/></disk>\n"
  "    <interface type='network'><mac address='52:54:00:12:34:56'/><source network='isolated'/></interface>\n"
  "    <interface type='network'><mac address='52:54:00:12:34:57'/><source network='isolated'/></interface>\n"
  "  </devices>\n"
  "</domain>\n";

static void
test_xml (void)
{
  g_autoptr(GHashTable) sources = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *bad = NULL;

  g_hash_table_insert (sources, "vda", "/var/lib/libvirt/images/web & co.qcow2");
  g_hash_table_insert (sources, "vdb", "web-clone-vdb.img");
  xml = vl_guest_clone_xml (source_xml, "web <clone>", sources, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (xml, "<name>web &lt;clone&gt;</name>"));
  g_assert_null (strstr (xml, "<uuid>"));
  g_assert_null (strstr (xml, "<mac "));
  g_assert_null (strstr (xml, "nvram"));
  g_assert_nonnull (strstr (xml, "firmware=\"efi\""));   /* the firmware stays; only its variables go */
  g_assert_nonnull (strstr (xml, "file=\"/var/lib/libvirt/images/web &amp; co.qcow2\""));
  g_assert_nonnull (strstr (xml, "volume=\"web-clone-vdb.img\""));
  g_assert_nonnull (strstr (xml, "pool=\"data\""));
  g_assert_nonnull (strstr (xml, "file=\"/isos/debian.iso\""));  /* the CD is shared */
  g_assert_cmpint (g_strstr_len (xml, -1, "<interface") != NULL, ==, TRUE);

  bad = vl_guest_clone_xml ("<network/>", "x", sources, &error);
  g_assert_null (bad);
  g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
}

static void
test_disk_names (void)
{
  g_autofree char *a = vl_guest_clone_disk_name ("web-clone", "/images/web.qcow2", "vda", TRUE);
  g_autofree char *b = vl_guest_clone_disk_name ("web-clone", "/images/web-data.img", "vdb", FALSE);
  g_autofree char *c = vl_guest_clone_disk_name ("web-clone", "/dev/disk", "vdc", FALSE);
  g_autofree char *d = vl_guest_clone_disk_name ("web-clone", "archive.tar.gz", "vda", TRUE);

  g_assert_cmpstr (a, ==, "web-clone.qcow2");
  g_assert_cmpstr (b, ==, "web-clone-vdb.img");
  g_assert_cmpstr (c, ==, "web-clone-vdc");
  g_assert_cmpstr (d, ==, "web-clone.gz");
}

/* ---- running a clone ---------------------------------------------------------------------------- */

typedef struct {
  gboolean  done;
  char     *name;
  GError   *error;
  guint     progress_calls;
  double    last_fraction;
  char     *last_text;
} Wait;

static void
progress (double fraction, const char *text, gpointer user_data)
{
  Wait *w = user_data;

  g_assert_cmpfloat (fraction, >=, w->last_fraction - 1e-9);  /* never goes back */
  g_assert_cmpfloat (fraction, <=, 1.0);
  w->progress_calls++;
  w->last_fraction = fraction;
  g_free (w->last_text);
  w->last_text = g_strdup (text);
}

static void
clone_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->name = vl_guest_clone_finish (GVIR_DOMAIN (source), result, &w->error);
  w->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static char *
run_clone (GVirDomain *source, const char *name, GError **error, guint *progress_calls)
{
  Wait w = { 0 };

  vl_guest_clone_async (source, name, NULL, progress, &w, clone_done, &w);
  g_assert_true (vl_test_wait_until (is_done, &w, 120000));
  /* progress calls still queued are delivered before the test looks at them */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (progress_calls != NULL)
    *progress_calls = w.progress_calls;
  g_free (w.last_text);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.name;
}

static void
test_test_driver (void)
{
  g_autoptr(GVirConnection) conn = gvir_connection_new ("test:///default");
  g_autoptr(GError) error = NULL;
  virConnectPtr raw;
  virStoragePoolPtr pool;
  virStorageVolPtr vol, copy;
  virDomainPtr src, made;
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GVirDomain) running = NULL;
  g_autofree char *name = NULL;
  char src_uuid[VIR_UUID_STRING_BUFLEN], made_uuid[VIR_UUID_STRING_BUFLEN];
  g_autofree char *made_xml = NULL;
  guint calls = 0;

  g_assert_true (gvir_connection_open (conn, NULL, &error));
  g_object_get (conn, "handle", &raw, NULL);
  pool = virStoragePoolLookupByName (raw, "default-pool");
  g_assert_nonnull (pool);
  vol = virStorageVolCreateXML (pool, "<volume><name>src.img</name><capacity unit='MiB'>64</capacity>"
                                      "<target><format type='raw'/></target></volume>", 0);
  g_assert_nonnull (vol);
  src = virDomainDefineXML (raw, "<domain type='test'><name>src</name><memory>65536</memory>"
                                 "<os><type>hvm</type></os><devices>"
                                 "<disk type='volume' device='disk'><driver name='qemu' type='raw'/>"
                                 "<source pool='default-pool' volume='src.img'/><target dev='vda'/></disk>"
                                 "</devices></domain>");
  g_assert_nonnull (src);
  g_assert_true (gvir_connection_fetch_domains (conn, NULL, &error));
  domain = gvir_connection_find_domain_by_name (conn, "src");
  running = gvir_connection_find_domain_by_name (conn, "test");

  /* A running guest is refused, naming it. */
  g_assert_null (run_clone (running, "test-clone", &error, NULL));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "“test”"));
  g_clear_error (&error);
  /* A name in use, and a name that cannot be. */
  g_assert_null (run_clone (domain, "test", &error, NULL));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (run_clone (domain, "a/b", &error, NULL));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  name = run_clone (domain, "src-clone", &error, &calls);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "src-clone");
  g_assert_cmpuint (calls, >=, 2);
  copy = virStorageVolLookupByName (pool, "src-clone.img");
  g_assert_nonnull (copy);
  made = virDomainLookupByName (raw, "src-clone");
  g_assert_nonnull (made);
  virDomainGetUUIDString (src, src_uuid);
  virDomainGetUUIDString (made, made_uuid);
  g_assert_cmpstr (src_uuid, !=, made_uuid);
  made_xml = virDomainGetXMLDesc (made, 0);
  g_assert_nonnull (strstr (made_xml, "volume='src-clone.img'"));

  /* A pool without room for the copy (the test driver's pool holds 100 GiB; the disk takes 60 GiB): refused
   * before anything is made, naming the pool, the disk and both sizes. */
  {
    virStorageVolPtr
      big = virStorageVolCreateXML (pool,
                                    "<volume><name>big.img</name><capacity "
                                    "unit='GiB'>60</capacity><target><format type='raw'/></target></volume>",
                                    0);
    virDomainPtr big_src = virDomainDefineXML (
      raw, "<domain type='test'><name>big</name><memory>65536</memory><os><type>hvm</type></os><devices>"
           "<disk type='volume' device='disk'><driver name='qemu' type='raw'/>"
           "<source pool='default-pool' volume='big.img'/><target dev='vda'/></disk></devices></domain>");
    g_autoptr(GVirDomain) big_domain = NULL;
    g_autofree char *big_name = NULL;
    virStorageVolPtr none;

    g_assert_nonnull (big);
    g_assert_nonnull (big_src);
    g_assert_true (gvir_connection_fetch_domains (conn, NULL, &error));
    big_domain = gvir_connection_find_domain_by_name (conn, "big");
    big_name = run_clone (big_domain, "big-clone", &error, NULL);
    g_assert_null (big_name);
    g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, "“default-pool”"));
    g_assert_nonnull (strstr (error->message, "“vda”"));
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "60.0")); /* GLib puts a no-break space before the unit */
    g_clear_error (&error);
    none = virStorageVolLookupByName (pool, "big-clone.img");
    g_assert_null (none);
    g_assert_null (virDomainLookupByName (raw, "big-clone"));
    virResetLastError ();
    virDomainUndefine (big_src);
    virDomainFree (big_src);
    virStorageVolDelete (big, 0);
    virStorageVolFree (big);
  }

  virDomainUndefine (made);
  virDomainUndefine (src);
  virStorageVolDelete (copy, 0);
  virStorageVolDelete (vol, 0);
  virDomainFree (made);
  virDomainFree (src);
  virStorageVolFree (copy);
  virStorageVolFree (vol);
  virStoragePoolFree (pool);
}

/* ---- real QEMU ---------------------------------------------------------------------------------- */

static char *
domain_xml (GVirDomain *domain)
{
  g_autoptr(GVirConfigDomain) config = gvir_domain_get_config (domain, 0, NULL);

  return gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
}

static void
test_qemu (void)
{
  VlTestHost *host = vl_test_host_new ();
  g_autofree char *iso = vl_test_host_make_iso (host, "CLONE TEST", "help");
  g_autofree char *image = g_build_filename (host->root, "web.qcow2", NULL);
  g_autofree char *clone_image = g_build_filename (host->root, "web-clone.qcow2", NULL);
  g_autofree char *missing = g_build_filename (host->root, "gone.qcow2", NULL);
  g_autofree char *half_image = g_build_filename (host->root, "half.qcow2", NULL);
  g_autoptr(GVirDomain) web = vl_test_host_define (host, "web", iso, NULL);
  g_autoptr(GVirDomain) broken = vl_test_host_define (host, "broken", NULL, NULL);
  g_autoptr(GVirDomain) clone = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *web_xml = NULL;
  g_autofree char *clone_xml = NULL;
  g_autofree char *out = NULL;
  g_autofree char *cmd = g_strdup ("read -P 0xc5 0 64k");
  const char *create[] = { "qemu-img", "create", "-q", "-f", "qcow2", image, "32M", NULL };
  const char *create_half[] = { "qemu-img", "create", "-q", "-f", "qcow2", half_image, "16M", NULL };
  const char *mark[] = { "qemu-io", "-f", "qcow2", "-c", "write -P 0xc5 0 64k", image, NULL };
  const char *check[] = { "qemu-io", "-f", "qcow2", "-c", cmd, clone_image, NULL };
  g_autofree char *half_copy = g_build_filename (host->root, "half-clone.qcow2", NULL);
  gint64 t0;

  vl_test_run (create, NULL);
  vl_test_run (mark, NULL);
  vl_test_add_disk (web, image, "vda", "qcow2");

  /* Refused while running. */
  vl_test_host_start (host, web);
  g_assert_null (run_clone (web, "web-clone", &error, NULL));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  vl_test_host_destroy (host, web);

  t0 = g_get_monotonic_time ();
  name = run_clone (web, "web-clone", &error, NULL);
  g_assert_no_error (error);
  g_test_message ("clone of a 32 MiB qcow2 guest on the embedded driver: %.2f s",
                  (g_get_monotonic_time () - t0) / 1e6);
  g_assert_true (gvir_connection_fetch_domains (host->connection, NULL, &error));
  clone = gvir_connection_find_domain_by_name (host->connection, "web-clone");
  g_assert_nonnull (clone);
  g_assert_cmpstr (gvir_domain_get_uuid (clone), !=, gvir_domain_get_uuid (web));

  /* The copy has the source's content; the CD is the same file; the source is untouched. */
  vl_test_run (check, &out);
  g_assert_null (strstr (out, "Pattern verification failed"));
  web_xml = domain_xml (web);
  clone_xml = domain_xml (clone);
  g_assert_nonnull (strstr (clone_xml, clone_image));
  g_assert_null (strstr (clone_xml, image));
  g_assert_nonnull (strstr (clone_xml, iso));
  g_assert_nonnull (strstr (web_xml, image));

  /* The clone boots as its own guest, beside the source. */
  vl_test_host_start (host, clone);
  vl_test_host_start (host, web);
  g_assert_true (vl_test_domain_is_running (clone));
  g_assert_true (vl_test_domain_is_running (web));
  vl_test_host_destroy (host, clone);
  vl_test_host_destroy (host, web);

  /* A failure half-way: the second disk cannot be read; the first one's copy is removed and no
   * guest is defined. */
  vl_test_run (create_half, NULL);
  vl_test_add_disk (broken, half_image, "vda", "qcow2");
  vl_test_add_disk (broken, missing, "vdb", "qcow2");
  g_assert_null (run_clone (broken, "half-clone", &error, NULL));
  g_assert_error (error, VL_ERROR, VL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "“vdb”"));
  g_test_message ("half-way failure: %s", error->message);
  g_clear_error (&error);
  g_assert_false (g_file_test (half_copy, G_FILE_TEST_EXISTS));
  g_assert_true (gvir_connection_fetch_domains (host->connection, NULL, &error));
  g_assert_null (gvir_connection_find_domain_by_name (host->connection, "half-clone"));

  g_clear_object (&clone);
  g_clear_object (&web);
  g_clear_object (&broken);
  vl_test_host_free (host);
}

/* ---- a pool that fills up during the copy (private libvirtd, as root) ----------------------------- */

static void
run_argv (const char *const *argv)
{
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

/* The names of the volumes of POOL, sorted and joined by spaces, after a refresh. */
static char *
volume_names (virStoragePoolPtr pool)
{
  char *names[16];
  int n;
  GString *all = g_string_new (NULL);

  g_assert_cmpint (virStoragePoolRefresh (pool, 0), ==, 0);
  n = virStoragePoolListVolumes (pool, names, G_N_ELEMENTS (names));
  g_assert_cmpint (n, >=, 0);
  qsort (names, n, sizeof names[0], (int (*) (const void *, const void *)) g_strcmp0);
  for (int i = 0; i < n; i++)
    {
      g_string_append_printf (all, "%s%s", i > 0 ? " " : "", names[i]);
      free (names[i]);
    }
  return g_string_free (all, FALSE);
}

/* The pool is a 16 MiB tmpfs; the guest's disk is a qcow2 of 40 MiB of text stored compressed
 * (384 KiB): the check before the copy counts what the disk takes (its allocation) and passes, and
 * libvirt's copy (qemu-img convert, uncompressed) runs out of room half-way. */
static void
pool_fills (const char *dir)
{
  g_autofree char *tiny = g_build_filename (dir, "tiny", NULL);
  g_autofree char *daemon_dir = g_build_filename (dir, "daemon", NULL);
  g_autofree char *raw = g_build_filename (dir, "text.img", NULL);
  g_autofree char *disk = g_build_filename (tiny, "fill.qcow2", NULL);
  g_autofree char *copy = g_build_filename (tiny, "fill-clone.qcow2", NULL);
  g_autofree char *pool_xml = NULL;
  g_autofree char *dom_xml = NULL;
  g_autofree char *before_xml = NULL;
  g_autofree char *after_xml = NULL;
  g_autofree char *before_vols = NULL;
  g_autofree char *after_vols = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GVirConnection) conn = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GError) error = NULL;
  VlTestDaemon daemon;
  virConnectPtr raw_conn;
  virStoragePoolPtr pool;
  virStoragePoolInfo pool_info;
  virStorageVolInfo vol_info;
  virStorageVolPtr vol;
  virDomainPtr dom;
  virDomainInfo info;
  const char *compress[] = { "qemu-img", "convert", "-q", "-c", "-f", "raw", "-O", "qcow2", raw, disk, NULL };
  const char *compare[] = { "qemu-img", "compare", "-q", "-f", "raw", "-F", "qcow2", raw, disk, NULL };
  GString *lines = g_string_new (NULL);

  /* The tmpfs is mounted in this process's own mount namespace, which the daemon inherits. */
  g_assert_cmpint (unshare (CLONE_NEWNS), ==, 0);
  g_assert_cmpint (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (tiny, 0755), ==, 0);
  g_assert_cmpint (mount ("tmpfs", tiny, "tmpfs", 0, "size=16m"), ==, 0);
  while (lines->len < 40 * 1024 * 1024)
    g_string_append (lines, "Virtlab clone: a line of text that compresses well.\n");
  g_string_truncate (lines, 40 * 1024 * 1024);
  g_assert_true (g_file_set_contents (raw, lines->str, lines->len, NULL));
  g_string_free (lines, TRUE);
  run_argv (compress);

  g_mkdir_with_parents (daemon_dir, 0755);
  vl_test_daemon_init (&daemon, daemon_dir);
  vl_test_daemon_start (&daemon);
  conn = gvir_connection_new (daemon.uri);
  g_assert_true (gvir_connection_open (conn, NULL, &error));
  g_assert_no_error (error);
  raw_conn = vl_libvirt_handle_get (conn, &error);
  g_assert_nonnull (raw_conn);
  pool_xml = g_strdup_printf ("<pool type='dir'><name>tiny</name><target><path>%s</path></target></pool>",
                              tiny);
  pool = virStoragePoolDefineXML (raw_conn, pool_xml, 0);
  g_assert_nonnull (pool);
  g_assert_cmpint (virStoragePoolCreate (pool, 0), ==, 0);
  vol = virStorageVolLookupByPath (raw_conn, disk);
  g_assert_nonnull (vol);
  g_assert_cmpint (virStorageVolGetInfo (vol, &vol_info), ==, 0);
  g_assert_cmpint (virStoragePoolGetInfo (pool, &pool_info), ==, 0);
  g_printerr ("# pool “tiny”: %llu KiB free; the disk takes %llu KiB, holds %llu KiB\n",
              pool_info.available / 1024, vol_info.allocation / 1024, vol_info.capacity / 1024);
  g_assert_cmpuint (vol_info.allocation, <, pool_info.available); /* the check before passes */
  g_assert_cmpuint (vol_info.capacity, >, pool_info.available);   /* the copy cannot fit */
  virStorageVolFree (vol);

  dom_xml = g_strdup_printf ("<domain type='qemu'><name>fill</name><memory "
                             "unit='MiB'>64</memory><vcpu>1</vcpu>"
                             "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                             "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                             "<source file='%s'/><target dev='vda' bus='virtio'/></disk></devices></domain>",
                             disk);
  dom = virDomainDefineXML (raw_conn, dom_xml);
  g_assert_nonnull (dom);
  before_xml = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE);
  before_vols = volume_names (pool);
  g_assert_cmpstr (before_vols, ==, "fill.qcow2");
  g_assert_true (gvir_connection_fetch_domains (conn, NULL, &error));
  domain = gvir_connection_find_domain_by_name (conn, "fill");
  g_assert_nonnull (domain);

  g_assert_null (run_clone (domain, "fill-clone", &error, NULL));
  g_assert_error (error, VL_ERROR, VL_ERROR_FAILED);
  g_printerr ("# pool filled half-way: %s\n", error->message);
  g_assert_nonnull (strstr (error->message, "“tiny”"));
  g_assert_nonnull (strstr (error->message, "“vda”"));
  g_clear_error (&error);

  /* Nothing of the clone is left; the source is as it was. */
  after_vols = volume_names (pool);
  g_assert_cmpstr (after_vols, ==, before_vols);
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
  g_assert_null (virDomainLookupByName (raw_conn, "fill-clone"));
  virResetLastError ();
  after_xml = virDomainGetXMLDesc (dom, VIR_DOMAIN_XML_INACTIVE);
  g_assert_cmpstr (after_xml, ==, before_xml);
  g_assert_cmpint (virDomainGetInfo (dom, &info), ==, 0);
  g_assert_cmpint (info.state, ==, VIR_DOMAIN_SHUTOFF);
  run_argv (compare);
  g_assert_cmpint (virStoragePoolGetInfo (pool, &pool_info), ==, 0);
  g_assert_cmpuint (pool_info.available, >, 15 * 1024 * 1024); /* the half copy's room is back */

  virDomainUndefine (dom);
  virDomainFree (dom);
  virStoragePoolDestroy (pool);
  virStoragePoolFree (pool);
  g_clear_object (&domain);
  gvir_connection_close (conn);
  vl_test_daemon_stop_all (&daemon);
  vl_test_daemon_clear (&daemon);
  umount (tiny);
}

static void
test_pool_fills (void)
{
  if (getuid () != 0)
    {
      g_test_skip ("a tmpfs for the pool and a private libvirtd need root");
      return;
    }
  vl_test_run_isolated ("virtlab-clone-fill-XXXXXX", pool_fills);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  gvir_init_object (NULL, NULL);

  g_test_add_func ("/clone/xml", test_xml);
  g_test_add_func ("/clone/disk-names", test_disk_names);
  g_test_add_func ("/clone/test-driver", test_test_driver);
  g_test_add_func ("/clone/qemu", test_qemu);
  g_test_add_func ("/clone/pool-fills", test_pool_fills);
  return g_test_run ();
}
