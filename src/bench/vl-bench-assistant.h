/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Run Benchmarks…: the configurations to compare (connection × mode, each named), equal resources,
 * the profile and runs, a summary with the estimated time, then the job's progress. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VL_TYPE_BENCH_ASSISTANT (vl_bench_assistant_get_type ())
G_DECLARE_FINAL_TYPE (VlBenchAssistant, vl_bench_assistant, VL, BENCH_ASSISTANT, GtkAssistant)

/* CONNECTIONS: the window's list of VlConnection; the connected ones offer the modes their
 * capabilities allow. Emits "result-saved" (const char *path) when the result file is written:
 * PATH is the copy to open (where the Phoronix Test Suite looks, which the Results page discovers). */
VlBenchAssistant *vl_bench_assistant_new        (GtkWindow          *parent,
                                                 GListModel         *connections);
/* Only these tests (runner ids), or NULL: all of the profile (tests keep a run short). */
void              vl_bench_assistant_set_tests  (VlBenchAssistant   *self,
                                                 const char * const *tests);
/* The connections' hosts have been read (the first step is filled). */
gboolean          vl_bench_assistant_is_ready   (VlBenchAssistant   *self);
/* A job is running. */
gboolean          vl_bench_assistant_is_running (VlBenchAssistant   *self);
/* Adds a configuration row on the first step (as its "Add" button does) and returns it. */
GtkWidget        *vl_bench_assistant_add_row    (VlBenchAssistant   *self);

G_END_DECLS
