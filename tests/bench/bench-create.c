/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helper: creates and starts one guest through VlGuestCreator, as virt-install would. */
#include "config.h"

#include <stdio.h>

#include "bench-lib.h"
#include "vl-guest-creator.h"
#include "vl-gvir-autoptr.h"

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConnection) conn = NULL;
  g_autoptr(VlGuestCreator) creator = NULL;
  g_autoptr(VlGuestSpec) spec = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GAsyncResult) described = NULL;
  g_autoptr(GAsyncResult) created = NULL;
  BenchWait wait;
  gint64 start;

  if (!bench_start (argc, argv, 3, "URI NAME ISO"))
    return 2;
  conn = bench_open (argv[1], FALSE, &error);
  if (conn == NULL)
    return bench_fail (error);
  bench_wait_init (&wait);
  creator = vl_guest_creator_new (conn);
  spec = vl_guest_spec_new ();
  vl_guest_creator_describe_host_async (creator, spec, NULL, bench_wait_done, &wait);
  described = bench_wait_run (&wait);
  if (!vl_guest_creator_describe_host_finish (creator, described, &error))
    return bench_fail (error);

  /* The same guest as the virt-install command line in create.sh. */
  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, argv[3]);
  vl_guest_spec_set_use_kvm (spec, FALSE);
  vl_guest_spec_set_memory_mib (spec, 128);
  vl_guest_spec_set_vcpus (spec, 1);
  vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 1, NULL);
  vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_NONE, NULL, NULL);
  vl_guest_spec_set_name (spec, argv[2]);

  start = g_get_monotonic_time ();
  vl_guest_creator_create_async (creator, spec, TRUE, NULL, bench_wait_done, &wait);
  created = bench_wait_run (&wait);
  domain = vl_guest_creator_create_finish (creator, created, &error);
  bench_wait_clear (&wait);
  if (domain == NULL)
    return bench_fail (error);
  printf ("create+start %.0f ms\n", (g_get_monotonic_time () - start) / 1000.0);
  return 0;
}
