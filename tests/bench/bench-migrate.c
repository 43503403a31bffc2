/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helper: moves one running guest live to another host through vl_guest_migrate (its checks,
 * the disks pre-created and copied, libvirt's move) and prints the seconds it took. */
#include "config.h"

#include <stdio.h>

#include "bench-lib.h"
#include "vl-guest-migrate.h"
#include "vl-gvir-autoptr.h"

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConnection) from = NULL;
  g_autoptr(GVirConnection) to = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GAsyncResult) moved = NULL;
  BenchWait wait;
  gint64 start;

  if (!bench_start (argc, argv, 3, "FROM_URI TO_URI NAME"))
    return 2;
  from = bench_open (argv[1], TRUE, &error);
  if (from != NULL)
    to = bench_open (argv[2], TRUE, &error);
  if (to == NULL)
    return bench_fail (error);
  domain = gvir_connection_find_domain_by_name (from, argv[3]);
  if (domain == NULL)
    {
      g_printerr ("no guest %s on %s\n", argv[3], argv[1]);
      return 1;
    }
  bench_wait_init (&wait);
  start = g_get_monotonic_time ();
  vl_guest_migrate_async (domain, to, argv[2], VL_MIGRATE_LIVE, NULL, NULL, NULL, bench_wait_done, &wait);
  moved = bench_wait_run (&wait);
  bench_wait_clear (&wait);
  if (!vl_guest_migrate_finish (domain, moved, &error))
    return bench_fail (error);
  printf ("%.3f\n", (g_get_monotonic_time () - start) / 1e6);
  return 0;
}
