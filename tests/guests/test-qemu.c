/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Real QEMU (TCG, domain type qemu): a guest's life through Virtlab's code, on the embedded driver
 * and on a private libvirtd that is killed and restarted. */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <signal.h>

#include "vl-connections.h"
#include "vl-error.h"
#include "vl-guest-info.h"
#include "vl-guest-lifecycle.h"
#include "vl-host-resources.h"
#include "vl-test-daemon.h"

#define GUEST_NAME "vl-guests-test"
#define POOL_NAME "vl-guests-pool"

#define wait_until vl_test_wait_until

static gboolean
is_settled (gpointer data)
{
  VlConnectionState state = vl_connection_get_state (data);

  return state == VL_CONNECTION_STATE_CONNECTED || state == VL_CONNECTION_STATE_FAILED;
}

static gboolean
is_settled_or_refused (gpointer data)
{
  return is_settled (data) || vl_connection_get_state (data) == VL_CONNECTION_STATE_NEEDS_CREDENTIALS;
}

static gboolean
is_connected (gpointer data)
{
  return vl_connection_get_state (data) == VL_CONNECTION_STATE_CONNECTED;
}

static gboolean
is_not_connected (gpointer data)
{
  return !is_connected (data);
}

/* What `virsh -c URI CMD NAME` prints, trimmed; NULL when it fails. */
static char *
virsh (const char *uri, const char *command, const char *arg)
{
  const char *argv[] = { "virsh", "-q", "-c", uri, command, arg, NULL };
  g_autofree char *out = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, NULL) || !g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_strstrip (g_steal_pointer (&out));
}

static void
assert_virsh_state (const char *uri, const char *expected)
{
  g_autofree char *state = NULL;


  if (uri == NULL)
    return;  /* an embedded root admits one process only: we are it */
  state = virsh (uri, "domstate", GUEST_NAME);
  g_assert_cmpstr (state, ==, expected);
}

typedef struct
{
  GVirConnection *conn;
  int             state;
  gboolean        want_absent;
} StateWait;

static gboolean
state_reached (gpointer user_data)
{
  StateWait *wait = user_data;
  g_autoptr(GVirDomain) domain = gvir_connection_find_domain_by_name (wait->conn, GUEST_NAME);
  GVirDomainInfo *info;
  gboolean reached;

  if (domain == NULL)
    return wait->want_absent;
  if (wait->want_absent)
    return FALSE;
  info = gvir_domain_get_info (domain, NULL);
  reached = info != NULL && (int) info->state == wait->state;
  if (info != NULL)
    g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info);
  return reached;
}

static void
wait_state (GVirConnection *conn, int state)
{
  StateWait wait = { conn, state, FALSE };

  g_assert_true (wait_until (state_reached, &wait, 30000));
}

typedef struct
{
  gboolean done;
  GError  *error;
} OpWait;

static void
op_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OpWait *wait = user_data;

  vl_guest_lifecycle_run_finish (GVIR_DOMAIN (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
op_done (gpointer data)
{
  return ((OpWait *) data)->done;
}

static void
run_op (GVirConnection *conn, VlGuestOp op)
{
  g_autoptr(GVirDomain) domain = gvir_connection_find_domain_by_name (conn, GUEST_NAME);
  OpWait wait = { 0 };

  g_assert_nonnull (domain);
  vl_guest_lifecycle_run_async (domain, op, NULL, op_cb, &wait);
  g_assert_true (wait_until (op_done, &wait, 60000));
  g_assert_no_error (wait.error);
}

/* A 1 MiB raw volume in a new directory pool (made by Virtlab's code) under DIR. */
static char *
create_volume (GVirConnection *conn, const char *dir)
{
  g_autofree char *pool_dir = g_build_filename (dir, "pool", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirStoragePool) pool = NULL;
  g_autoptr(GVirConfigStorageVol) vol_config = gvir_config_storage_vol_new ();
  g_autoptr(GVirConfigStorageVolTarget) vol_target = gvir_config_storage_vol_target_new ();
  g_autoptr(GVirStorageVol) vol = NULL;
  char *path;

  g_assert_true (gvir_connection_fetch_storage_pools (conn, NULL, &error));
  pool = gvir_connection_find_storage_pool_by_name (conn, POOL_NAME);
  if (pool == NULL)
    {
      vl_host_resources_create_dir_pool (conn, POOL_NAME, pool_dir, &error);
      g_assert_no_error (error);
    }
  g_assert_true (g_file_test (pool_dir, G_FILE_TEST_IS_DIR));
  g_assert_true (gvir_connection_fetch_storage_pools (conn, NULL, &error));
  g_clear_object (&pool);
  pool = gvir_connection_find_storage_pool_by_name (conn, POOL_NAME);
  g_assert_nonnull (pool);

  gvir_config_storage_vol_set_name (vol_config, "disk.raw");
  gvir_config_storage_vol_set_capacity (vol_config, 1024 * 1024);
  gvir_config_storage_vol_target_set_format (vol_target, "raw");
  gvir_config_storage_vol_set_target (vol_config, vol_target);
  /* libvirt-gobject files the new volume in the pool's list: that list must have been read. */
  g_assert_true (gvir_storage_pool_refresh (pool, NULL, &error));
  vol = gvir_storage_pool_create_volume (pool, vol_config, &error);
  g_assert_no_error (error);
  path = g_strdup (gvir_storage_vol_get_path (vol, &error));
  g_assert_nonnull (path);
  return path;
}

/* A guest with no NIC and no display: it only needs to run under TCG. Where the driver has storage
 * pools, its one disk is a volume of our directory pool, so deleting "with storage" has something to
 * delete; the embedded QEMU driver has no storage driver, so there the guest is diskless. */
static char *
define_guest (GVirConnection *conn, const char *dir, gboolean with_disk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) config = gvir_config_domain_new ();
  g_autoptr(GVirConfigDomainOs) os = gvir_config_domain_os_new ();
  g_autoptr(GVirDomain) domain = NULL;
  char *path = with_disk ? create_volume (conn, dir) : NULL;


  gvir_config_domain_set_virt_type (config, GVIR_CONFIG_DOMAIN_VIRT_QEMU);
  gvir_config_domain_set_name (config, GUEST_NAME);
  gvir_config_domain_set_memory (config, 64 * 1024);
  gvir_config_domain_set_vcpus (config, 1);
  gvir_config_domain_os_set_os_type (os, GVIR_CONFIG_DOMAIN_OS_TYPE_HVM);
  gvir_config_domain_os_set_arch (os, "x86_64");
  gvir_config_domain_set_os (config, os);
  if (path != NULL)
    {
      g_autoptr(GVirConfigDomainDisk) disk = gvir_config_domain_disk_new ();
      g_autoptr(GVirConfigDomainDiskDriver) driver = gvir_config_domain_disk_driver_new ();

      gvir_config_domain_disk_set_type (disk, GVIR_CONFIG_DOMAIN_DISK_FILE);
      gvir_config_domain_disk_set_guest_device_type (disk, GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK);
      gvir_config_domain_disk_set_source (disk, path);
      gvir_config_domain_disk_driver_set_name (driver, "qemu");
      gvir_config_domain_disk_driver_set_format (driver, GVIR_CONFIG_DOMAIN_DISK_FORMAT_RAW);
      gvir_config_domain_disk_set_driver (disk, driver);
      gvir_config_domain_disk_set_target_dev (disk, "hda");
      gvir_config_domain_disk_set_target_bus (disk, GVIR_CONFIG_DOMAIN_DISK_BUS_IDE);
      gvir_config_domain_add_device (config, GVIR_CONFIG_DOMAIN_DEVICE (disk));
    }
  domain = gvir_connection_create_domain (conn, config, &error);
  g_assert_no_error (error);
  return path;
}

static void
remove_pool (GVirConnection *conn)
{
  g_autoptr(GVirStoragePool) pool = NULL;

  gvir_connection_fetch_storage_pools (conn, NULL, NULL);
  pool = gvir_connection_find_storage_pool_by_name (conn, POOL_NAME);
  if (pool == NULL)
    return;
  gvir_storage_pool_stop (pool, NULL);
  gvir_storage_pool_undefine (pool, NULL);
}

/* Define, start, pause, resume, force off, start, shut off, delete with storage: each step through
 * vl_guest_lifecycle, each result seen through libvirt-gobject's events and, if it can, virsh. */
static void
exercise_guest (VlConnection *connection, const char *virsh_uri, const char *dir, gboolean with_disk)
{
  GVirConnection *conn = vl_connection_get_connection (connection);
  g_autofree char *volume = define_guest (conn, dir, with_disk);
  StateWait gone = { conn, 0, TRUE };

  wait_state (conn, VIR_DOMAIN_SHUTOFF);
  assert_virsh_state (virsh_uri, "shut off");

  run_op (conn, VL_GUEST_OP_START);
  wait_state (conn, VIR_DOMAIN_RUNNING);
  assert_virsh_state (virsh_uri, "running");

  run_op (conn, VL_GUEST_OP_PAUSE);
  wait_state (conn, VIR_DOMAIN_PAUSED);
  assert_virsh_state (virsh_uri, "paused");

  run_op (conn, VL_GUEST_OP_RESUME);
  wait_state (conn, VIR_DOMAIN_RUNNING);
  assert_virsh_state (virsh_uri, "running");

  /* No OS answers ACPI here: shut off by force, as a user would after a shutdown is ignored. */
  run_op (conn, VL_GUEST_OP_FORCE_OFF);
  wait_state (conn, VIR_DOMAIN_SHUTOFF);
  assert_virsh_state (virsh_uri, "shut off");

  g_assert_true (volume == NULL || g_file_test (volume, G_FILE_TEST_EXISTS));
  run_op (conn, with_disk ? VL_GUEST_OP_DELETE_WITH_STORAGE : VL_GUEST_OP_DELETE);
  g_assert_true (wait_until (state_reached, &gone, 30000));
  g_assert_true (volume == NULL || !g_file_test (volume, G_FILE_TEST_EXISTS));
  if (virsh_uri != NULL)
    {
      g_autofree char *names = virsh (virsh_uri, "list", "--all");

      g_assert_nonnull (names);
      g_assert_null (strstr (names, GUEST_NAME));
    }
  if (with_disk)
    remove_pool (conn);
}

static void
test_embedded_qemu (const char *dir)
{
  g_autofree char *uri = g_strdup_printf ("qemu:///embed?root=%s", dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(VlConnection) conn = vl_connection_new (uri);

  g_assert_true (vl_connections_prepare_embed_root (dir, &error));
  vl_connection_open (conn);
  g_assert_true (wait_until (is_settled, conn, 60000));
  g_assert_cmpstr (vl_connection_get_message (conn), ==, NULL);
  g_assert_true (vl_connection_is_embedded (conn));

  exercise_guest (conn, NULL, dir, FALSE);
  vl_connection_close (conn);
}

/* ---- the private daemon ------------------------------------------------------------------- */

static void
test_private_daemon_reconnects (const char *dir)
{
  VlTestDaemon daemon;
  g_autoptr(VlConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  GVirConnection *gconn;
  StateWait defined;

  vl_test_daemon_init (&daemon, dir);
  vl_test_daemon_start (&daemon);

  conn = vl_connection_new (daemon.uri);
  vl_connection_set_reconnect_delay (conn, 200, 1000);
  vl_connection_open (conn);
  g_assert_true (wait_until (is_settled, conn, 60000));
  g_assert_cmpstr (vl_connection_get_message (conn), ==, NULL);

  exercise_guest (conn, daemon.uri, daemon.dir, TRUE);

  /* A guest left defined, to be found again after the daemon comes back. */
  g_free (define_guest (vl_connection_get_connection (conn), daemon.dir, TRUE));
  defined = (StateWait) { vl_connection_get_connection (conn), VIR_DOMAIN_SHUTOFF, FALSE };
  g_assert_true (wait_until (state_reached, &defined, 30000));

  vl_test_daemon_kill (&daemon);
  {
    gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (vl_connection_get_state (conn) != VL_CONNECTION_STATE_LOST && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpint (vl_connection_get_state (conn), ==, VL_CONNECTION_STATE_LOST);
  g_assert_nonnull (strstr (vl_connection_get_message (conn), daemon.uri));
  g_assert_null (vl_connection_get_connection (conn));

  vl_test_daemon_start (&daemon);
  g_assert_true (wait_until (is_connected, conn, 60000));
  gconn = vl_connection_get_connection (conn);
  {
    g_autoptr(GVirDomain) again = gvir_connection_find_domain_by_name (gconn, GUEST_NAME);
    g_autofree char *state = virsh (daemon.uri, "domstate", GUEST_NAME);

    g_assert_nonnull (again);
    g_assert_cmpstr (state, ==, "shut off");
    g_assert_true (gvir_domain_delete (again, 0, &error));
    g_assert_no_error (error);
  }
  remove_pool (gconn);
  vl_connection_close (conn);
  vl_test_daemon_stop_all (&daemon);
  vl_test_daemon_clear (&daemon);
}

/* A domain XML file for virsh, written by libvirt-gconfig like everything else. */
static char *
write_domain_xml (const char *dir)
{
  g_autoptr(GVirConfigDomain) config = gvir_config_domain_new ();
  g_autoptr(GVirConfigDomainOs) os = gvir_config_domain_os_new ();
  g_autofree char *xml = NULL;
  char *path = g_build_filename (dir, "guest.xml", NULL);

  gvir_config_domain_set_virt_type (config, GVIR_CONFIG_DOMAIN_VIRT_QEMU);
  gvir_config_domain_set_name (config, GUEST_NAME);
  gvir_config_domain_set_memory (config, 64 * 1024);
  gvir_config_domain_os_set_os_type (os, GVIR_CONFIG_DOMAIN_OS_TYPE_HVM);
  gvir_config_domain_os_set_arch (os, "x86_64");
  gvir_config_domain_set_os (config, os);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  return path;
}

/* A daemon that wants a user name and password: the first open says so, bad input is refused
 * before anything is sent, a wrong password is reported, the right one connects, domain events
 * flow (libvirt-gobject opened the connection itself), and it comes back by itself after a restart. */
static void
credentials_asked (const char *dir)
{
  VlTestDaemon daemon;
  g_autoptr(VlConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *virsh_auth = g_build_filename (dir, "virsh-auth.conf", NULL);
  g_autofree char *virsh_uri = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *out = NULL;
  StateWait wait;

  vl_test_daemon_init (&daemon, dir);
  vl_test_daemon_require_password (&daemon, "alice", "s3cret pass");
  vl_test_daemon_start (&daemon);

  conn = vl_connection_new (daemon.uri);
  vl_connection_set_reconnect_delay (conn, 100, 400);
  vl_connection_open (conn);
  g_assert_true (wait_until (is_settled_or_refused, conn, 30000));
  g_assert_cmpint (vl_connection_get_state (conn), ==, VL_CONNECTION_STATE_NEEDS_CREDENTIALS);
  g_assert_nonnull (strstr (vl_connection_get_message (conn), daemon.uri));
  g_assert_nonnull (strstr (vl_connection_get_message (conn), "user name and password"));
  g_assert_cmpuint (vl_connection_get_attempts (conn), ==, 1);

  /* A line break cannot be passed on: refused at once, nothing opened. */
  g_assert_false (vl_connection_log_in (conn, "alice", "s3cret\npass", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (vl_connection_get_state (conn), ==, VL_CONNECTION_STATE_NEEDS_CREDENTIALS);

  g_assert_true (vl_connection_log_in (conn, "alice", "wrong", &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (is_settled_or_refused, conn, 30000));
  g_assert_cmpint (vl_connection_get_state (conn), ==, VL_CONNECTION_STATE_NEEDS_CREDENTIALS);
  g_assert_nonnull (strstr (vl_connection_get_message (conn), "did not accept"));

  g_assert_true (vl_connection_log_in (conn, "alice", "s3cret pass", &error));
  g_assert_true (wait_until (is_settled_or_refused, conn, 30000));
  g_assert_cmpstr (vl_connection_get_message (conn), ==, NULL);
  g_assert_cmpint (vl_connection_get_state (conn), ==, VL_CONNECTION_STATE_CONNECTED);
  {
    g_autofree char *user = vl_connection_dup_username (conn);
    g_assert_cmpstr (user, ==, "alice");
  }

  /* Another client (virsh, with its own credentials file) defines a guest: the event reaches us. */
  g_assert_true (g_file_set_contents (virsh_auth, "[credentials-t]\nauthname=alice\npassword=s3cret pass\n\n"
                                      "[auth-libvirt-default]\ncredentials=t\n", -1, NULL));
  virsh_uri = g_strdup_printf ("%s&authfile=%s", daemon.uri, virsh_auth);
  xml = write_domain_xml (dir);
  out = virsh (virsh_uri, "define", xml);
  g_assert_nonnull (out);
  g_assert_cmpstr (vl_connection_get_message (conn), ==, NULL);
  wait = (StateWait) { vl_connection_get_connection (conn), VIR_DOMAIN_SHUTOFF, FALSE };
  g_assert_true (wait_until (state_reached, &wait, 30000));

  /* The daemon goes away and comes back: the remembered credentials log in again. */
  vl_test_daemon_kill (&daemon);
  g_assert_true (wait_until (is_not_connected, conn, 20000));
  vl_test_daemon_start (&daemon);
  g_assert_true (wait_until (is_connected, conn, 60000));
  g_clear_pointer (&out, g_free);
  out = virsh (virsh_uri, "undefine", GUEST_NAME);
  g_assert_nonnull (out);
  g_assert_cmpstr (vl_connection_get_message (conn), ==, NULL);
  wait = (StateWait) { vl_connection_get_connection (conn), 0, TRUE };
  g_assert_true (wait_until (state_reached, &wait, 30000));

  vl_connection_close (conn);
  vl_test_daemon_stop_all (&daemon);
  vl_test_daemon_clear (&daemon);
}

static void
test_embedded (void)
{
  vl_test_run_isolated ("vl-embed-XXXXXX", test_embedded_qemu);
}

static void
test_private (void)
{
  vl_test_run_isolated ("vl-libvirtd-XXXXXX", test_private_daemon_reconnects);
}

static void
test_credentials (void)
{
  vl_test_run_isolated ("vl-libvirtd-sasl-XXXXXX", credentials_asked);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/qemu/embedded/guest-lifecycle", test_embedded);
  g_test_add_func ("/qemu/private-libvirtd/guest-lifecycle-and-reconnect", test_private);
  g_test_add_func ("/qemu/private-libvirtd/asks-for-credentials", test_credentials);
  return g_test_run ();
}
