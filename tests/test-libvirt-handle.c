/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the libvirt cleanup helpers (src/core/vl-libvirt-handle.h, vl-gvir-autoptr.h) on libvirt's
 * test driver: everything a scope took is released when it ends. A connection counts the references
 * its domains, networks and pools hold, so virConnectClose() returning 0 proves they were all freed. */
#include <locale.h>
#include <libvirt/virterror.h>

#include "vl-gvir-autoptr.h"
#include "vl-libvirt-handle.h"

static void
quiet_errors (void *data, virErrorPtr error)
{
}

/* The measuring stick first: a domain still held keeps the connection alive. */
static void
test_leak_is_seen (void)
{
  virConnectPtr conn = virConnectOpen ("test:///default");
  virDomainPtr held;

  g_assert_nonnull (conn);
  held = virDomainLookupByName (conn, "test");
  g_assert_nonnull (held);
  g_assert_cmpint (virConnectClose (conn), >, 0);
  virDomainFree (held);
}

static int
use_everything (virConnectPtr conn)
{
  g_autoptr(VlDomainList) doms = NULL;
  g_autoptr(VlNetworkList) nets = NULL;
  g_autoptr(VlStoragePoolList) pools = NULL;
  g_autoptr(VlDomainStatsList) stats = NULL;
  g_autoptr(virDomain) dom = virDomainLookupByName (conn, "test");
  g_autoptr(virNetwork) net = virNetworkLookupByName (conn, "default");
  g_autoptr(virStoragePool) pool = virStoragePoolLookupByName (conn, "default-pool");
  g_autoptr(virDomain) missing = virDomainLookupByName (conn, "no-such-guest"); /* NULL is fine too */
  g_auto(VlTypedParams) params = VL_TYPED_PARAMS_INIT;
  int n;

  g_assert_nonnull (dom);
  g_assert_nonnull (net);
  g_assert_nonnull (pool);
  g_assert_null (missing);
  n = virConnectListAllDomains (conn, &doms, 0);
  g_assert_cmpint (n, ==, 1);
  g_assert_null (doms[n]); /* the lists are NULL-terminated */
  n = virConnectListAllNetworks (conn, &nets, 0);
  g_assert_cmpint (n, >=, 1);
  g_assert_null (nets[n]);
  n = virConnectListAllStoragePools (conn, &pools, 0);
  g_assert_cmpint (n, >=, 1);
  g_assert_null (pools[n]);
  n = virConnectGetAllDomainStats (conn, VIR_DOMAIN_STATS_STATE, &stats, 0);
  g_assert_cmpint (n, ==, 1);
  g_assert_nonnull (stats[0]->dom);
  g_assert_null (stats[n]);
  g_assert_cmpint (virTypedParamsAddInt (&params.params, &params.n, &params.max, "weight", 500), ==, 0);
  g_assert_cmpint (virTypedParamsAddString (&params.params, &params.n, &params.max, "name", "x"), ==, 0);
  g_assert_cmpint (params.n, ==, 2);
  /* An early return, as an error path takes: nothing to free by hand. */
  return n;
}

static void
test_scope_releases_all (void)
{
  virConnectPtr conn = virConnectOpen ("test:///default");

  g_assert_nonnull (conn);
  g_assert_cmpint (use_everything (conn), ==, 1);
  g_assert_cmpint (virConnectClose (conn), ==, 0);
}

static void
test_connection_autoptr (void)
{
  virConnectPtr conn = virConnectOpen ("test:///default");

  g_assert_nonnull (conn);
  g_assert_cmpint (virConnectRef (conn), ==, 0);
  {
    g_autoptr(virConnect) extra = conn; /* releases the reference taken above */
  }
  g_assert_cmpint (virConnectClose (conn), ==, 0);
}

/* libvirt-gobject's boxed infos, and a GVirConnection's raw handle taken and released. */
static void
test_gvir_infos (void)
{
  g_autoptr(GVirConnection) gconn = gvir_connection_new ("test:///default");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirNodeInfo) node = NULL;

  g_assert_true (gvir_connection_open (gconn, NULL, &error));
  g_assert_no_error (error);
  node = gvir_connection_get_node_info (gconn, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (node->cpus, ==, 16);
  g_assert_true (gvir_connection_fetch_domains (gconn, NULL, &error));
  {
    g_autoptr(GVirDomain) dom = gvir_connection_find_domain_by_name (gconn, "test");
    g_autoptr(GVirDomainInfo) info = gvir_domain_get_info (dom, &error);
    g_autoptr(virConnect) vconn = vl_libvirt_handle_get (gconn, &error);

    g_assert_no_error (error);
    g_assert_cmpint (info->state, ==, GVIR_DOMAIN_STATE_RUNNING);
    g_assert_nonnull (vconn);
  }
  gvir_connection_close (gconn);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  virSetErrorFunc (NULL, quiet_errors);
  gvir_init_object (NULL, NULL);
  g_test_add_func ("/libvirt-handle/leak-is-seen", test_leak_is_seen);
  g_test_add_func ("/libvirt-handle/scope-releases-all", test_scope_releases_all);
  g_test_add_func ("/libvirt-handle/connection", test_connection_autoptr);
  g_test_add_func ("/libvirt-handle/gvir-infos", test_gvir_infos);
  return g_test_run ();
}
