/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the benchmark job's three parts share inside the bench room: the worker's data, the disks of
 * each host, and the progress lines. The checks before anything is created and the image
 * (vl-bench-job-checks.c), one guest's run (vl-bench-job-guest.c), and the job that runs them in
 * turn and gathers the results (vl-bench-job.c). */
#include "vl-bench-job.h"
#include "vl-bench-store.h"
#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

/* The disks of one connection's host: where they go, and the image's files once uploaded there
 * (shared by every configuration on that connection, deleted at the end of the job). */
typedef struct
{
  VlBenchStore *store;
  char *root;
  char *kernel;
  char *initrd;
  char *upload_error;
  gboolean uploaded;
} HostDisks;

typedef struct
{
  const VlBenchPlan *plan;
  VlBenchProgressFunc progress;
  gpointer progress_data;
  GMainContext *context;  /* the caller's */
  GPtrArray *connections; /* GVirConnection, one per configuration */
  char *image_dir;
  char *work_dir;   /* this job's local folder */
  GPtrArray *hosts; /* HostDisks, one per configuration (shared ones repeated) */
} JobData;

/* One line for the user, posted to the caller's context. */
void vl_bench_job_say (JobData *data, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* The folder under which each job makes its own work folder. */
char *vl_bench_job_work_root (void);

/* Checks before anything is created: the plan, every connection (it is opened into
 * data->connections), its mode and free memory, and the local folder's room. */
gboolean vl_bench_job_check_configs (JobData *data, GCancellable *cancellable, GError **error);
/* Builds or reuses the image (the image script); sets data->image_dir. */
gboolean vl_bench_job_ensure_image (JobData *data, GCancellable *cancellable, GError **error);
/* One store per connection, checked for room for the guest's disks; fills data->hosts. */
gboolean vl_bench_job_open_stores (JobData *data, GError **error);

/* Runs configuration INDEX's guest, adds its results to SET and says what happened in REPORT. */
void vl_bench_job_run_config (JobData *data, guint index, VlResultSet *set, VlBenchReport *report,
                              GCancellable *cancellable);

G_END_DECLS
