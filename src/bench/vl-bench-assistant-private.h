/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the Run Benchmarks assistant's three parts share inside the bench room: the assistant's
 * fields, and the functions one part calls in another. */
#include <gtk/gtk.h>

#include "vl-bench-assistant.h"
#include "vl-bench-job.h"
#include "vl-bench-prepare.h"
#include "vl-connection.h"
#include "vl-result-writer.h"

G_BEGIN_DECLS

struct _VlBenchAssistant
{
  GtkAssistant parent_instance;

  GListModel *connections;
  GHashTable *hosts; /* URI → VlBenchHost, the connected ones read */
  guint probing;
  GCancellable *cancellable; /* the probes and the image check */
  char **tests;
  gboolean image_checked, image_ok, image_cached;
  char *image_error;

  GtkWidget *config_page, *vl_bench_assistant_config_rows, *config_error, *disconnected_label;
  GtkWidget *resources_page, *vcpus, *memory, *scratch, *profile, *runs, *resources_error;
  GtkWidget *summary_page, *summary_label, *image_label;
  GtkWidget *image_button; /* to the Host page's Benchmark Image part, while the image is missing */
  gboolean image_rechecking; /* a look-up since the window came back to the front */
  GtkWidget *progress_page, *phase_label, *test_label, *time_label, *bar, *console;
  GtkWidget *done_page, *done_label;
  GtkWidget *confirm;

  VlBenchPlan *plan; /* the running job's: alive and unchanged until its callback */
  GCancellable *job_cancel;
  gboolean running;
  gint64 started;
  guint estimate;       /* from the profile */
  double first_started; /* seconds from the start to the first guest's, or -1 */
  guint timer;
  char **names;
  VlBenchProgress progress;
};

/* vl-bench-assistant.c: shared widgets and helpers, steps 2 and 3 */
VlBenchPlan *vl_bench_assistant_build_plan (VlBenchAssistant *self, GError **error);
char *vl_bench_assistant_format_duration (guint seconds);
GtkWidget *vl_bench_assistant_grid_label (const char *text);
GtkWidget *vl_bench_assistant_intro (const char *text);
GtkWidget *vl_bench_assistant_message_label (void);
const char *vl_bench_assistant_mode_label (VlBenchMode mode);
const char *vl_bench_assistant_mode_name (VlBenchMode mode);
GtkWidget *vl_bench_assistant_page_box (void);
void vl_bench_assistant_set_error (GtkWidget *label, const char *text);
GtkWidget *vl_bench_assistant_spin (double min, double max, double step, double value, GCallback changed,
                                    gpointer self);
void vl_bench_assistant_update_summary (VlBenchAssistant *self);
void vl_bench_assistant_validate_resources (VlBenchAssistant *self);
void vl_bench_assistant_emit_result_saved (VlBenchAssistant *self, const char *path);

/* vl-bench-assistant-configs.c: step 1 */
void vl_bench_assistant_build_config_page (VlBenchAssistant *self);
gboolean vl_bench_assistant_collect_configs (VlBenchAssistant *self, VlBenchPlan *plan, GError **error);
GList *vl_bench_assistant_config_rows (VlBenchAssistant *self);
void vl_bench_assistant_probe_connections (VlBenchAssistant *self);
void vl_bench_assistant_validate_configs (VlBenchAssistant *self);

/* vl-bench-assistant-run.c: the run, cancel and the end */
void vl_bench_assistant_vfunc_cancel (GtkAssistant *assistant);
void vl_bench_assistant_vfunc_close (GtkAssistant *assistant);
gboolean vl_bench_assistant_vfunc_delete_event (GtkWidget *widget, GdkEventAny *event);
void vl_bench_assistant_vfunc_prepare (GtkAssistant *assistant, GtkWidget *page);
void vl_bench_assistant_build_progress_page (VlBenchAssistant *self);

G_END_DECLS
