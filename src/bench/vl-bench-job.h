/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A benchmark run: check every configuration, build (or reuse) the image, run one guest per
 * configuration in turn, gather its results disk into one VlResultSet, and leave nothing behind. */
#pragma once

#include <gio/gio.h>

#include "vl-bench-config.h"
#include "vl-result-set.h"

G_BEGIN_DECLS

/* One line for the user, on the thread-default main context of vl_bench_job_run_async's caller. */
typedef void (*VlBenchProgressFunc) (const char *line,
                                     gpointer    user_data);

typedef struct {
  char    *name;
  char    *error;           /* NULL when the configuration gave its results */
  gboolean timed_out;
  double   seconds_total;   /* from starting the guest to its results read */
  double   seconds_boot;    /* from starting the guest to the runner's first line */
  double   seconds_tests;   /* inside the tests (the runner's own timing of every run) */
  guint    figures;         /* runs that produced a figure */
  char    *storage;         /* where its disks were: a storage pool of its host, or local files */
  double   seconds_upload;  /* uploading the image to its host (0: done for an earlier one) */
  double   seconds_download; /* reading its results disk back */
} VlBenchReport;

typedef struct {
  VlResultSet *set;         /* NULL when no configuration gave any result */
  GPtrArray   *reports;     /* VlBenchReport, one per configuration */
  char        *image_dir;
  double       image_seconds;
  gboolean     incomplete;
} VlBenchOutcome;

void            vl_bench_outcome_free      (VlBenchOutcome      *outcome);

/* Where the image script is: $VL_BENCH_DATA_DIR (uninstalled runs, tests), else PKGDATADIR/bench. */
char           *vl_bench_data_dir          (void);

/* PLAN must stay alive and unchanged until the callback. Errors of the plan or of a connection
 * (bad input: nothing was created) fail the task; a configuration that fails is in its report. */
void            vl_bench_job_run_async     (const VlBenchPlan   *plan,
                                            VlBenchProgressFunc  progress,
                                            gpointer             progress_data,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
VlBenchOutcome *vl_bench_job_run_finish    (GAsyncResult        *result,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlBenchOutcome, vl_bench_outcome_free)

G_END_DECLS
