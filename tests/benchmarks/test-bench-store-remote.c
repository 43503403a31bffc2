/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A benchmark run's storage on another host with no pool "default": the store makes a transient pool
 * in that host's /var/tmp and, when it is closed, leaves nothing there: no pool, no volume and no
 * folder (issue 12). The other host is a private libvirtd whose /var/tmp is a folder of the test's
 * (tests/guests/private-libvirtd.sh); the store is told a URI with a host name, as for qemu+ssh. */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <libvirt-gobject/libvirt-gobject.h>
#include <unistd.h>

#include "vl-bench-store.h"
#include "vl-gvir-autoptr.h"
#include "vl-libvirt-handle.h"
#include "guests/vl-test-daemon.h"

/* In a child process with a fresh folder WORK: a failed assertion leaves no daemon behind. */
static void
transient_pool_leaves_nothing (const char *work)
{
  g_autofree char *var_tmp = NULL, *local = NULL, *folder = NULL;
  g_autoptr(GVirConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  VlTestDaemon daemon;
  VlBenchStore *store;
  virConnectPtr handle;
  virStoragePoolPtr pool;
  g_autofree char *tag = NULL;

  var_tmp = g_build_filename (work, "var-tmp", NULL);
  local = g_build_filename (work, "local", NULL);
  g_assert_cmpint (g_mkdir_with_parents (var_tmp, 01777), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (local, 0700), ==, 0);
  vl_test_daemon_init (&daemon, work);
  vl_test_daemon_start (&daemon);

  conn = gvir_connection_new (daemon.uri);
  g_assert_true (gvir_connection_open (conn, NULL, &error));
  g_assert_no_error (error);
  tag = g_strdup_printf ("t%d", (int) getpid ());
  store = vl_bench_store_open (conn, "qemu+ssh://bench-host.invalid/system", NULL, local, tag, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_test_message ("%s", vl_bench_store_describe (store));
  g_assert_nonnull (strstr (vl_bench_store_describe (store), "/var/tmp/virtlab-bench-"));

  /* The pool's folder is on the other host: in its /var/tmp, which is the test's folder here. */
  folder = g_strdup_printf ("%s/virtlab-bench-%s", var_tmp, tag);
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  handle = vl_libvirt_handle_get (conn, NULL);
  pool = virStoragePoolLookupByName (handle, strrchr (folder, '/') + 1);
  g_assert_nonnull (pool);
  g_assert_cmpint (virStoragePoolIsActive (pool), ==, 1);
  virStoragePoolFree (pool);

  g_assert_cmpuint (vl_bench_store_close (store, NULL), ==, 0);
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  {
    /* No pool of Virtlab's is left, defined or running. */
    virStoragePoolPtr *pools = NULL;
    int n = virConnectListAllStoragePools (handle, &pools, 0);

    g_assert_cmpint (n, >=, 0);
    for (int i = 0; i < n; i++)
      {
        g_assert_false (g_str_has_prefix (virStoragePoolGetName (pools[i]), "virtlab-bench-"));
        virStoragePoolFree (pools[i]);
      }
    free (pools);
  }
  virConnectClose (handle);
  g_clear_object (&conn);
  vl_test_daemon_stop_all (&daemon);
  vl_test_daemon_clear (&daemon);
}

static void
test_transient_pool_leaves_nothing (void)
{
  if (geteuid () != 0)
    {
      g_test_skip ("a private libvirtd in its own mount namespace needs root");
      return;
    }
  vl_test_run_isolated ("vl-bench-store-XXXXXX", transient_pool_leaves_nothing);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bench-store/remote/transient-pool-leaves-nothing", test_transient_pool_leaves_nothing);
  return g_test_run ();
}
