/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cloning: the clone's definition (pure), a clone through a pool on libvirt's test driver, and on real
 * QEMU (TCG) in an embedded root: the disk copied with its content, a new UUID and MAC, read-only media
 * shared, the clone boots as its own guest; refusals and a failure half-way that leaves nothing. */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>
#include <locale.h>

#include "vl-error.h"
#include "vl-gvir-autoptr.h"
#include "vl-guest-clone.h"
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
  return g_test_run ();
}
