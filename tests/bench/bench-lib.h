/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the benchmark helpers that drive Virtlab's own code (bench-create, bench-migrate) share: their
 * start, opening a connection, and waiting for one async call on a main loop. */
#pragma once

#include <libvirt-gobject/libvirt-gobject.h>

G_BEGIN_DECLS

/* One async call at a time: pass bench_wait_done and the BenchWait as its callback and data, then
 * bench_wait_run returns its result (the caller's reference). */
typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
} BenchWait;

void bench_wait_init (BenchWait *wait);
void bench_wait_done (GObject *source, GAsyncResult *result, gpointer user_data);
GAsyncResult *bench_wait_run (BenchWait *wait);
void bench_wait_clear (BenchWait *wait);

/* The locale, the arguments' count (USAGE on stderr when it is not N_ARGS) and libvirt-gobject's
 * start; FALSE when the command line is wrong. */
gboolean bench_start (int argc, char **argv, int n_args, const char *usage);

/* An open connection to URI, its guests fetched when FETCH_DOMAINS; NULL and ERROR when not. */
GVirConnection *bench_open (const char *uri, gboolean fetch_domains, GError **error);

/* Says ERROR's message on stderr and returns 1, the exit status of a failed run. */
int bench_fail (const GError *error);

G_END_DECLS
