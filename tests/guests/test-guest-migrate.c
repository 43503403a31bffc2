/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Moving a guest to another host: what a definition needs (pure), then two private libvirtd (two
 * "hosts": distinct host UUIDs, each with its own /var/lib/libvirt) and real QEMU (TCG): a live move
 * with storage copy, an offline move with its volume copied, and the faults: the name taken there,
 * a pool or network missing there, the same host, Cancel, and the destination daemon killed
 * half-way; and, without starting any guest, the destination's network or pool defined but not
 * started, and its pool without room for the copy. */
#define _GNU_SOURCE /* unshare */
#include "config.h"

#include <glib/gstdio.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vl-error.h"
#include "vl-gvir-autoptr.h"
#include "vl-guest-migrate.h"
#include "vl-libvirt-handle.h"
#include "vl-test-daemon.h"

#define POOL_XML "<pool type='dir'><name>%s</name><target><path>/var/lib/libvirt/%s</path></target></pool>"
#define MARKER   "0x5a"

/* ---- pure ------------------------------------------------------------------------------------ */

static void
test_needs (void)
{
  const char *xml =
    "<domain type='kvm'><name>web</name><os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>"
    "<cpu mode='custom' match='exact'><model fallback='forbid'>Skylake-Client</model></cpu><devices>"
    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
    "<source file='/var/lib/libvirt/images/web.qcow2'/><target dev='vda'/></disk>"
    "<disk type='volume' device='disk'><source pool='data' volume='web-data.raw'/><target dev='vdb'/></disk>"
    "<disk type='file' device='cdrom'><source file='/isos/debian.iso'/><target dev='sda'/><readonly/></disk>"
    "<disk type='file' device='disk'><source file='/shared/quorum.img'/><target "
    "dev='vdc'/><shareable/></disk>"
    "<interface type='network'><source network='lab'/></interface>"
    "<interface type='network'><source network='lab'/></interface>"
    "<interface type='network'><source network='backup'/></interface>"
    "<interface type='user'/></devices></domain>";
  g_autoptr(GError) error = NULL;
  g_autoptr(VlMigrateNeeds) needs = vl_migrate_needs_read (xml, &error);
  VlMigrateDisk *d;

  g_assert_no_error (error);
  g_assert_cmpuint (needs->disks->len, ==, 2); /* the CD and the shared disk are not copied */
  d = g_ptr_array_index (needs->disks, 0);
  g_assert_cmpstr (d->target, ==, "vda");
  g_assert_cmpstr (d->path, ==, "/var/lib/libvirt/images/web.qcow2");
  g_assert_cmpstr (d->format, ==, "qcow2");
  d = g_ptr_array_index (needs->disks, 1);
  g_assert_cmpstr (d->pool, ==, "data");
  g_assert_cmpstr (d->volume, ==, "web-data.raw");
  g_assert_cmpstr (d->format, ==, "raw");
  g_assert_cmpuint (needs->networks->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (needs->networks, 0), ==, "lab");
  g_assert_cmpstr (g_ptr_array_index (needs->networks, 1), ==, "backup");
  g_assert_cmpstr (needs->cpu_mode, ==, "custom");
  g_assert_cmpstr (needs->cpu_model, ==, "Skylake-Client");
  g_assert_nonnull (strstr (needs->cpu_xml, "<model fallback=\"forbid\">Skylake-Client</model>"));
  g_assert_cmpstr (needs->virt_type, ==, "kvm");
  g_assert_cmpstr (needs->arch, ==, "x86_64");
  g_assert_cmpstr (needs->machine, ==, "pc-q35-7.2");

  g_assert_null (vl_migrate_needs_read ("<network/>", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
}

static void
test_flags (void)
{
  unsigned int live = vl_migrate_flags (VL_MIGRATE_LIVE, FALSE);
  unsigned int copy = vl_migrate_flags (VL_MIGRATE_LIVE, TRUE);
  unsigned int offline = vl_migrate_flags (VL_MIGRATE_OFFLINE, TRUE);

  g_assert_cmpuint (live, ==, VIR_MIGRATE_LIVE | VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE);
  g_assert_cmpuint (copy, ==, live | VIR_MIGRATE_NON_SHARED_DISK);
  /* libvirt refuses storage copy offline ("offline migration cannot handle non-shared storage"):
   * the volumes are copied before, by us. */
  g_assert_cmpuint (offline, ==,
                    VIR_MIGRATE_OFFLINE | VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE);
}

/* ---- two hosts ------------------------------------------------------------------------------- */

typedef struct
{
  VlTestDaemon daemon;
  GVirConnection *conn;
  virConnectPtr raw;
} Host;

static void
host_open (Host *host)
{
  g_autoptr(GError) error = NULL;

  host->conn = gvir_connection_new (host->daemon.uri);
  g_assert_true (gvir_connection_open (host->conn, NULL, &error));
  g_assert_no_error (error);
  host->raw = vl_libvirt_handle_get (host->conn, &error);
  g_assert_nonnull (host->raw);
}

static void
host_start (Host *host, const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *uuid_file = g_build_filename (path, "host-uuid", NULL);
  g_autofree char *uuid = g_uuid_string_random ();

  g_mkdir_with_parents (path, 0755);
  g_assert_true (g_file_set_contents (uuid_file, uuid, -1, NULL));
  vl_test_daemon_init (&host->daemon, path);
  vl_test_daemon_start (&host->daemon);
  host_open (host);
}

static void
host_close (Host *host)
{
  if (host->raw != NULL)
    virConnectClose (host->raw);
  host->raw = NULL;
  if (host->conn != NULL)
    gvir_connection_close (host->conn);
  g_clear_object (&host->conn);
}

static void
add_pool (Host *host, const char *name, const char *dir)
{
  g_autofree char *xml = g_strdup_printf (POOL_XML, name, dir);
  virStoragePoolPtr pool = virStoragePoolDefineXML (host->raw, xml, 0);

  g_assert_nonnull (pool);
  g_assert_cmpint (virStoragePoolBuild (pool, 0), ==, 0);
  g_assert_cmpint (virStoragePoolCreate (pool, 0), ==, 0);
  virStoragePoolFree (pool);
}

/* The file a volume of HOST is, seen from here (outside the daemon's mount namespace). */
static char *
host_file (Host *host, const char *dir, const char *name)
{
  return g_build_filename (host->daemon.dir, "lib", dir, name, NULL);
}

static void
run (const char *const *argv, char **out)
{
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

/* A qcow2 volume in the pool "vlpool" of HOST, its first MIB mebibytes written with the marker. */
static void
make_disk (Host *host, const char *name, guint mib)
{
  g_autofree char *xml = g_strdup_printf ("<volume><name>%s</name><capacity unit='MiB'>64</capacity>"
                                          "<target><format type='qcow2'/></target></volume>",
                                          name);
  virStoragePoolPtr pool = virStoragePoolLookupByName (host->raw, "vlpool");
  virStorageVolPtr vol = virStorageVolCreateXML (pool, xml, 0);
  g_autofree char *file = host_file (host, "images", name);
  g_autofree char *cmd = g_strdup_printf ("write -P " MARKER " 0 %uM", mib);
  const char *argv[] = { "qemu-io", "-f", "qcow2", "-c", cmd, file, NULL };

  g_assert_nonnull (vol);
  run (argv, NULL);
  virStoragePoolRefresh (pool, 0);
  virStorageVolFree (vol);
  virStoragePoolFree (pool);
}

static void
assert_marker (Host *host, const char *name, guint mib)
{
  g_autofree char *file = host_file (host, "images", name);
  g_autofree char *cmd = g_strdup_printf ("read -P " MARKER " 0 %uM", mib);
  /* -U: the guest may run on it. */
  const char *argv[] = { "qemu-io", "-r", "-U", "-f", "qcow2", "-c", cmd, file, NULL };
  g_autofree char *out = NULL;

  run (argv, &out);
  g_assert_null (strstr (out, "Pattern verification failed"));
  g_assert_nonnull (strstr (out, "read "));
}

static GVirDomain *
define_guest (Host *host, const char *name, const char *disk_xml, const char *extra)
{
  g_autofree char *xml =
    g_strdup_printf ("<domain type='qemu'><name>%s</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>"
                     "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>%s%s</devices></domain>",
                     name, disk_xml != NULL ? disk_xml : "", extra != NULL ? extra : "");
  virDomainPtr dom = virDomainDefineXML (host->raw, xml);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (dom);
  virDomainFree (dom);
  g_assert_true (gvir_connection_fetch_domains (host->conn, NULL, &error));
  return gvir_connection_find_domain_by_name (host->conn, name);
}

static char *
file_disk (const char *name)
{
  return g_strdup_printf ("<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                          "<source file='/var/lib/libvirt/images/%s'/><target dev='vda' "
                          "bus='virtio'/></disk>",
                          name);
}

/* "running", "shut off", or NULL when HOST has no such guest. */
static const char *
state_of (Host *host, const char *name)
{
  virDomainPtr dom = virDomainLookupByName (host->raw, name);
  virDomainInfo info;
  const char *state;

  if (dom == NULL)
    return NULL;
  if (virDomainGetInfo (dom, &info) != 0)
    {
      /* Gone between the two calls (a restarted daemon ending a half-received guest): no guest. */
      g_assert_cmpint (virGetLastErrorCode (), ==, VIR_ERR_NO_DOMAIN);
      virDomainFree (dom);
      return NULL;
    }
  state = info.state == VIR_DOMAIN_RUNNING   ? "running"
          : info.state == VIR_DOMAIN_SHUTOFF ? "shut off"
          : info.state == VIR_DOMAIN_PAUSED  ? "paused"
                                             : "other";
  if (virDomainIsPersistent (dom) != 1)
    state = "transient";
  virDomainFree (dom);
  return state;
}

static gboolean
has_volume (Host *host, const char *name)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName (host->raw, "vlpool");
  virStorageVolPtr vol;

  g_assert_nonnull (pool);
  virStoragePoolRefresh (pool, 0);
  vol = virStorageVolLookupByName (pool, name);
  virStoragePoolFree (pool);
  if (vol == NULL)
    return FALSE;
  virStorageVolFree (vol);
  return TRUE;
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
  double fraction;
  guint reports;
} Move;

static void
moved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Move *move = user_data;

  move->ok = vl_guest_migrate_finish (GVIR_DOMAIN (source), result, &move->error);
  move->done = TRUE;
}

static void
progressed (double fraction, const char *text, gpointer user_data)
{
  Move *move = user_data;

  g_assert_nonnull (text);
  move->fraction = fraction;
  move->reports++;
}

static gboolean
move_done (gpointer data)
{
  return ((Move *) data)->done;
}

static gboolean
move_sending (gpointer data)
{
  Move *move = data;

  return move->done || move->fraction > 0.02;
}

static void
start_move (GVirDomain *guest, Host *to, VlMigrateMode mode, GCancellable *cancellable, Move *move)
{
  vl_guest_migrate_async (guest, to->conn, "host B", mode, cancellable, progressed, move, moved, move);
}

/* Starts the move and waits for its end. */
static void
do_move (GVirDomain *guest, Host *to, VlMigrateMode mode, Move *move)
{
  start_move (guest, to, mode, NULL, move);
  g_assert_true (vl_test_wait_until (move_done, move, 120000));
}

static void
assert_refused (GVirDomain *guest, Host *to, VlMigrateMode mode, const char *named)
{
  Move move = { 0 };

  do_move (guest, to, mode, &move);
  g_assert_false (move.ok);
  g_assert_nonnull (move.error);
  g_printerr ("# refused: %s\n", move.error->message);
  g_assert_nonnull (strstr (move.error->message, named));
  g_clear_error (&move.error);
}

static gboolean
killed_gone (gpointer data)
{
  return state_of (data, "killed") == NULL;
}

static void
two_hosts (const char *dir)
{
  Host a = { 0 }, b = { 0 };
  g_autofree char *disk = file_disk ("live.qcow2");
  g_autoptr(GVirDomain) live = NULL;
  g_autoptr(GVirDomain) off = NULL;
  g_autoptr(GVirDomain) dup = NULL;
  g_autoptr(GVirDomain) pooled = NULL;
  g_autoptr(GVirDomain) netted = NULL;
  g_autoptr(GVirDomain) cpuful = NULL;
  g_autoptr(GVirDomain) killed = NULL;
  g_autoptr(GError) error = NULL;
  Move move = { 0 };
  gint64 start;
  virDomainPtr dom;

  host_start (&a, dir, "a");
  host_start (&b, dir, "b");
  add_pool (&a, "vlpool", "images");
  add_pool (&b, "vlpool", "images");

  /* A live move of a running guest with its disk copied (the hosts share no storage). */
  make_disk (&a, "live.qcow2", 4);
  live = define_guest (&a, "live", disk, NULL);
  g_assert_true (gvir_domain_start (live, 0, &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  do_move (live, &b, VL_MIGRATE_LIVE, &move);
  g_assert_no_error (move.error);
  g_assert_true (move.ok);
  g_printerr ("# live move of a 128 MiB TCG guest with a 64 MiB qcow2 disk (4 MiB written): %.2f s\n",
              (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (move.reports, >, 0);
  g_assert_cmpstr (state_of (&b, "live"), ==, "running");
  g_assert_null (state_of (&a, "live"));
  assert_marker (&b, "live.qcow2", 4);

  /* An offline move of a shut-off guest: its definition, and its volume copied. */
  {
    g_autofree char *off_disk = file_disk ("off.qcow2");

    make_disk (&a, "off.qcow2", 2);
    off = define_guest (&a, "off", off_disk, NULL);
    memset (&move, 0, sizeof move);
    do_move (off, &b, VL_MIGRATE_OFFLINE, &move);
    g_assert_no_error (move.error);
    g_assert_true (move.ok);
    g_assert_cmpstr (state_of (&b, "off"), ==, "shut off");
    g_assert_null (state_of (&a, "off"));
    assert_marker (&b, "off.qcow2", 2);
  }

  /* Refused before anything changes: a live move of a shut-off guest, an offline one of a running
   * guest, the same host, the name taken there, a pool or a network missing there, a processor it
   * cannot give. */
  {
    g_autofree char *dup_disk = file_disk ("dup.qcow2");
    g_autofree char *pooled_disk = g_strdup (
      "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
      "<source file='/var/lib/libvirt/other/pooled.qcow2'/><target dev='vda' bus='virtio'/></disk>");
    g_autofree char *other = NULL;
    virNetworkPtr net;
    Host a2 = { 0 };

    make_disk (&a, "dup.qcow2", 1);
    dup = define_guest (&a, "dup", dup_disk, NULL);
    g_clear_object (&off);
    assert_refused (dup, &b, VL_MIGRATE_LIVE, "“dup” is not running");

    vl_test_daemon_init (&a2.daemon, a.daemon.dir);
    host_open (&a2);
    assert_refused (dup, &a2, VL_MIGRATE_OFFLINE, "same host");
    host_close (&a2);
    vl_test_daemon_clear (&a2.daemon);

    g_object_unref (define_guest (&b, "dup", NULL, NULL));
    assert_refused (dup, &b, VL_MIGRATE_OFFLINE, "“dup”");
    g_assert_cmpstr (state_of (&a, "dup"), ==, "shut off");
    g_assert_false (has_volume (&b, "dup.qcow2"));

    add_pool (&a, "other", "other");
    pooled = define_guest (&a, "pooled", pooled_disk, NULL);
    other = g_build_filename (a.daemon.dir, "lib", "other", "pooled.qcow2", NULL);
    {
      const char *argv[] = { "qemu-img", "create", "-q", "-f", "qcow2", other, "16M", NULL };

      virStoragePoolPtr pool = virStoragePoolLookupByName (a.raw, "other");

      run (argv, NULL);
      virStoragePoolRefresh (pool, 0);
      virStoragePoolFree (pool);
    }
    assert_refused (pooled, &b, VL_MIGRATE_OFFLINE, "pool “other”");
    g_assert_cmpstr (state_of (&a, "pooled"), ==, "shut off");
    g_assert_null (state_of (&b, "pooled"));

    /* An isolated network (no forward, no address): defined, never started. */
    net = virNetworkDefineXML (a.raw, "<network><name>vl-isolated</name></network>");
    g_assert_nonnull (net);
    virNetworkFree (net);
    netted = define_guest (&a, "netted", NULL,
                           "<interface type='network'><source network='vl-isolated'/><model type='virtio'/>"
                           "</interface>");
    assert_refused (netted, &b, VL_MIGRATE_OFFLINE, "network “vl-isolated”");
    g_assert_cmpstr (state_of (&a, "netted"), ==, "shut off");
    g_assert_null (state_of (&b, "netted"));

    /* A processor the destination cannot give: qemu64 with AVX-512 required (TCG has none). */
    {
      virDomainPtr dom = virDomainDefineXML (
        a.raw, "<domain type='qemu'><name>cpuful</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>"
               "<os><type arch='x86_64' machine='pc'>hvm</type></os><cpu mode='custom' match='exact'>"
               "<model fallback='forbid'>qemu64</model><feature policy='require' name='avx512f'/></cpu>"
               "</domain>");
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (dom);
      virDomainFree (dom);
      g_assert_true (gvir_connection_fetch_domains (a.conn, NULL, &error));
      cpuful = gvir_connection_find_domain_by_name (a.conn, "cpuful");
    }
    assert_refused (cpuful, &b, VL_MIGRATE_OFFLINE, "processor “qemu64”");
    g_assert_cmpstr (state_of (&a, "cpuful"), ==, "shut off");
    g_assert_null (state_of (&b, "cpuful"));
  }

  /* Cancel half-way: the source guest runs on, nothing is left on the destination. */
  {
    g_autofree char *cdisk = file_disk ("cancel.qcow2");
    g_autoptr(GVirDomain) cancel = NULL;
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    make_disk (&a, "cancel.qcow2", 24);
    cancel = define_guest (&a, "cancel", cdisk, NULL);
    g_assert_true (gvir_domain_start (cancel, 0, &error));
    dom = virDomainLookupByName (a.raw, "cancel");
    g_assert_cmpint (virDomainMigrateSetMaxSpeed (dom, 1, 0), ==, 0); /* MiB/s: slow enough to cancel */
    virDomainFree (dom);
    memset (&move, 0, sizeof move);
    start_move (cancel, &b, VL_MIGRATE_LIVE, cancellable, &move);
    g_assert_true (vl_test_wait_until (move_sending, &move, 60000));
    g_assert_false (move.done);
    g_cancellable_cancel (cancellable);
    g_assert_true (vl_test_wait_until (move_done, &move, 60000));
    g_assert_false (move.ok);
    g_assert_error (move.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&move.error);
    g_assert_cmpstr (state_of (&a, "cancel"), ==, "running");
    g_assert_null (state_of (&b, "cancel"));
    g_assert_false (has_volume (&b, "cancel.qcow2"));
    gvir_domain_stop (cancel, 0, NULL);
  }

  /* The destination's daemon killed during a live move: the source guest runs on as it was. */
  {
    g_autofree char *kdisk = file_disk ("killed.qcow2");
    g_autofree char *left = host_file (&b, "images", "killed.qcow2");

    make_disk (&a, "killed.qcow2", 24);
    killed = define_guest (&a, "killed", kdisk, NULL);
    g_assert_true (gvir_domain_start (killed, 0, &error));
    dom = virDomainLookupByName (a.raw, "killed");
    g_assert_cmpint (virDomainMigrateSetMaxSpeed (dom, 1, 0), ==, 0);
    virDomainFree (dom);
    memset (&move, 0, sizeof move);
    start_move (killed, &b, VL_MIGRATE_LIVE, NULL, &move);
    g_assert_true (vl_test_wait_until (move_sending, &move, 60000));
    g_assert_false (move.done);
    vl_test_daemon_kill (&b.daemon);
    g_assert_true (vl_test_wait_until (move_done, &move, 90000));
    g_assert_false (move.ok);
    g_assert_nonnull (move.error);
    g_printerr ("# destination killed: %s\n", move.error->message);
    g_assert_cmpstr (state_of (&a, "killed"), ==, "running");
    /* The copy made there could not be removed while its daemon was down: the message names it. */
    g_assert_nonnull (strstr (move.error->message, "/var/lib/libvirt/images/killed.qcow2"));
    g_clear_error (&move.error);

    /* The destination comes back: libvirt ends the half-received guest; no guest of that name. */
    host_close (&b);
    vl_test_daemon_start (&b.daemon);
    host_open (&b);
    g_assert_true (vl_test_wait_until (killed_gone, &b, 60000));
    g_assert_true (g_file_test (left, G_FILE_TEST_EXISTS));
    gvir_domain_stop (killed, 0, NULL);
    /* That copy is in a local pool there: an offline move does not take it for the guest's disk. */
    assert_refused (killed, &b, VL_MIGRATE_OFFLINE, "/var/lib/libvirt/images/killed.qcow2");
    g_assert_cmpstr (state_of (&a, "killed"), ==, "shut off");
    g_assert_null (state_of (&b, "killed"));
  }

  host_close (&a);
  host_close (&b);
  vl_test_daemon_stop_all (&a.daemon);
  vl_test_daemon_stop_all (&b.daemon);
  vl_test_daemon_clear (&a.daemon);
  vl_test_daemon_clear (&b.daemon);
}

static void
test_two_hosts (void)
{
  vl_test_run_isolated ("virtlab-migrate-XXXXXX", two_hosts);
}

/* The destination's faults, each refused before anything changes; no guest runs. B's pool "room" is
 * an 8 MiB tmpfs, mounted in this process's own mount namespace, which both daemons inherit (their
 * /var/lib/libvirt is a plain bind mount, without what is mounted below it). */
static void
destination_faults (const char *dir)
{
  Host a = { 0 }, b = { 0 };
  g_autofree char *small = g_build_filename (dir, "small", NULL);
  g_autofree char
    *room_xml = g_strdup_printf ("<pool type='dir'><name>room</name><target><path>%s</path></target></pool>",
                                 small);
  g_autofree char *pooled_file = NULL;
  g_autofree char *room_file = NULL;
  g_autoptr(GVirDomain) netted = NULL;
  g_autoptr(GVirDomain) pooled = NULL;
  g_autoptr(GVirDomain) roomy = NULL;
  const char *create[] = { "qemu-img", "create", "-q", "-f", "qcow2", NULL, "16M", NULL };
  const char *fill[] = { "qemu-io", "-f", "qcow2", "-c", "write -P " MARKER " 0 24M", NULL, NULL };
  virStoragePoolPtr there, here;
  virStorageVolPtr vol;
  virNetworkPtr net;

  g_assert_cmpint (unshare (CLONE_NEWNS), ==, 0);
  g_assert_cmpint (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (small, 0755), ==, 0);
  g_assert_cmpint (mount ("tmpfs", small, "tmpfs", 0, "size=8m"), ==, 0);
  host_start (&a, dir, "a");
  host_start (&b, dir, "b");

  /* An isolated network (no forward, no address), defined on both hosts and never started (starting
   * it would make a bridge): missing on B, then there but not started. */
  net = virNetworkDefineXML (a.raw, "<network><name>vl-isolated</name></network>");
  g_assert_nonnull (net);
  virNetworkFree (net);
  netted = define_guest (&a, "netted", NULL,
                         "<interface type='network'><source network='vl-isolated'/><model type='virtio'/>"
                         "</interface>");
  assert_refused (netted, &b, VL_MIGRATE_OFFLINE, "no network “vl-isolated”");
  net = virNetworkDefineXML (b.raw, "<network><name>vl-isolated</name></network>");
  g_assert_nonnull (net);
  virNetworkFree (net);
  assert_refused (netted, &b, VL_MIGRATE_OFFLINE, "network “vl-isolated” on “host B” is not started");
  g_assert_cmpstr (state_of (&a, "netted"), ==, "shut off");
  g_assert_null (state_of (&b, "netted"));

  /* The guest's pool (a file disk in pool "other" here): missing on B, then there at the same folder
   * but not started. */
  add_pool (&a, "other", "other");
  pooled = define_guest (&a, "pooled",
                         "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                         "<source file='/var/lib/libvirt/other/pooled.qcow2'/><target dev='vda' "
                         "bus='virtio'/>"
                         "</disk>",
                         NULL);
  pooled_file = host_file (&a, "other", "pooled.qcow2");
  create[5] = pooled_file;
  run (create, NULL);
  here = virStoragePoolLookupByName (a.raw, "other");
  virStoragePoolRefresh (here, 0);
  virStoragePoolFree (here);
  assert_refused (pooled, &b, VL_MIGRATE_OFFLINE, "no storage pool at “/var/lib/libvirt/other”");
  {
    g_autofree char *xml = g_strdup_printf (POOL_XML, "other", "other");

    there = virStoragePoolDefineXML (b.raw, xml, 0);
    g_assert_nonnull (there);
    g_assert_cmpint (virStoragePoolBuild (there, 0), ==, 0);
    virStoragePoolFree (there);
  }
  assert_refused (pooled, &b, VL_MIGRATE_OFFLINE, "storage pool “other” on “host B” is not started");
  g_assert_cmpstr (state_of (&a, "pooled"), ==, "shut off");
  g_assert_null (state_of (&b, "pooled"));

  /* Not enough room on B's pool "room" (the 8 MiB tmpfs) for the disk, a volume of pool "room" here
   * that takes 24 MiB. */
  there = virStoragePoolDefineXML (b.raw, room_xml, 0);
  g_assert_nonnull (there);
  g_assert_cmpint (virStoragePoolCreate (there, 0), ==, 0);
  add_pool (&a, "room", "room");
  here = virStoragePoolLookupByName (a.raw, "room");
  vol = virStorageVolCreateXML (here,
                                "<volume><name>roomy.qcow2</name><capacity unit='MiB'>64</capacity>"
                                "<target><format type='qcow2'/></target></volume>",
                                0);
  g_assert_nonnull (vol);
  room_file = host_file (&a, "room", "roomy.qcow2");
  fill[5] = room_file;
  run (fill, NULL);
  virStoragePoolRefresh (here, 0);
  roomy = define_guest (&a, "roomy",
                        "<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>"
                        "<source pool='room' volume='roomy.qcow2'/><target dev='vda' bus='virtio'/></disk>",
                        NULL);
  assert_refused (roomy, &b, VL_MIGRATE_OFFLINE, "storage pool “room” on “host B” has 8.0");
  g_assert_cmpstr (state_of (&a, "roomy"), ==, "shut off");
  g_assert_null (state_of (&b, "roomy"));
  virStoragePoolRefresh (there, 0);
  g_assert_cmpint (virStoragePoolNumOfVolumes (there), ==, 0);
  g_assert_cmpint (virStoragePoolNumOfVolumes (here), ==, 1);
  {
    const char *check[] = {
      "qemu-io", "-r", "-f", "qcow2", "-c", "read -P " MARKER " 0 24M", room_file, NULL
    };
    g_autofree char *out = NULL;

    run (check, &out);
    g_assert_null (strstr (out, "Pattern verification failed"));
  }
  virStorageVolFree (vol);
  virStoragePoolFree (here);
  virStoragePoolFree (there);

  g_clear_object (&netted);
  g_clear_object (&pooled);
  g_clear_object (&roomy);
  host_close (&a);
  host_close (&b);
  vl_test_daemon_stop_all (&a.daemon);
  vl_test_daemon_stop_all (&b.daemon);
  vl_test_daemon_clear (&a.daemon);
  vl_test_daemon_clear (&b.daemon);
  umount (small);
}

static void
test_destination_faults (void)
{
  vl_test_run_isolated ("virtlab-migrate-faults-XXXXXX", destination_faults);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gvir_init_object (NULL, NULL);
  g_test_add_func ("/guest-migrate/needs", test_needs);
  g_test_add_func ("/guest-migrate/flags", test_flags);
  if (getuid () == 0)
    {
      g_test_add_func ("/guest-migrate/destination-faults", test_destination_faults);
      g_test_add_func ("/guest-migrate/two-hosts", test_two_hosts);
    }
  return g_test_run ();
}
