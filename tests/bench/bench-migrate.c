/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helper: moves one running guest live to another host through vl_guest_migrate (its checks,
 * the disks pre-created and copied, libvirt's move) and prints the seconds it took. */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "vl-guest-migrate.h"
#include "vl-gvir-autoptr.h"

typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
} Wait;

static void
done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GVirConnection *
open_uri (const char *uri, GError **error)
{
  GVirConnection *conn = gvir_connection_new (uri);

  if (!gvir_connection_open (conn, NULL, error) || !gvir_connection_fetch_domains (conn, NULL, error))
    g_clear_object (&conn);
  return conn;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConnection) from = NULL;
  g_autoptr(GVirConnection) to = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  Wait wait = { NULL, NULL };
  gint64 start;

  setlocale (LC_ALL, "");
  if (argc != 4)
    {
      g_printerr ("usage: %s FROM_URI TO_URI NAME\n", argv[0]);
      return 2;
    }
  gvir_init_object (NULL, NULL);
  wait.loop = g_main_loop_new (NULL, FALSE);
  from = open_uri (argv[1], &error);
  if (from != NULL)
    to = open_uri (argv[2], &error);
  if (to == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  domain = gvir_connection_find_domain_by_name (from, argv[3]);
  if (domain == NULL)
    {
      g_printerr ("no guest %s on %s\n", argv[3], argv[1]);
      return 1;
    }
  start = g_get_monotonic_time ();
  vl_guest_migrate_async (domain, to, argv[2], VL_MIGRATE_LIVE, NULL, NULL, NULL, done, &wait);
  g_main_loop_run (wait.loop);
  if (!vl_guest_migrate_finish (domain, wait.result, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("%.3f\n", (g_get_monotonic_time () - start) / 1e6);
  g_object_unref (wait.result);
  g_main_loop_unref (wait.loop);
  return 0;
}
