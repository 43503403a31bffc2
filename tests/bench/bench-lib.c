/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the benchmark helpers that drive Virtlab's own code share (bench-lib.h). */
#include "config.h"

#include <locale.h>

#include "bench-lib.h"

void
bench_wait_init (BenchWait *wait)
{
  wait->loop = g_main_loop_new (NULL, FALSE);
  wait->result = NULL;
}

void
bench_wait_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  BenchWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

GAsyncResult *
bench_wait_run (BenchWait *wait)
{
  g_main_loop_run (wait->loop);
  return g_steal_pointer (&wait->result);
}

void
bench_wait_clear (BenchWait *wait)
{
  g_clear_object (&wait->result);
  g_clear_pointer (&wait->loop, g_main_loop_unref);
}

gboolean
bench_start (int argc, char **argv, int n_args, const char *usage)
{
  setlocale (LC_ALL, "");
  if (argc != n_args + 1)
    {
      g_printerr ("usage: %s %s\n", argv[0], usage);
      return FALSE;
    }
  gvir_init_object (NULL, NULL);
  return TRUE;
}

GVirConnection *
bench_open (const char *uri, gboolean fetch_domains, GError **error)
{
  GVirConnection *conn = gvir_connection_new (uri);

  if (!gvir_connection_open (conn, NULL, error) ||
      (fetch_domains && !gvir_connection_fetch_domains (conn, NULL, error)))
    g_clear_object (&conn);
  return conn;
}

int
bench_fail (const GError *error)
{
  g_printerr ("%s\n", error->message);
  return 1;
}
