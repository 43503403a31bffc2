/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmark job. Everything that talks to libvirt or waits runs in one worker thread, one
 * configuration after the other (so they do not disturb each other); progress goes back to the
 * caller's main context, which must run (libvirt's events, and the embedded driver's own work). The
 * checks and the image are in vl-bench-job-checks.c, one guest's run in vl-bench-job-guest.c. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vl-bench-job-private.h"
#include "vl-bench-results.h"
#include "vl-main-context.h"
#include "vl-result-writer.h"

static void
host_disks_free (HostDisks *host)
{
  if (host->store != NULL)
    vl_bench_store_close (host->store, NULL);
  g_free (host->root);
  g_free (host->kernel);
  g_free (host->initrd);
  g_free (host->upload_error);
  g_free (host);
}

static void
job_data_free (JobData *data)
{
  /* The worker closed the stores; this frees what is left of them, each once. */
  for (guint i = 0; data->hosts != NULL && i < data->hosts->len; i++)
    {
      gboolean first = TRUE;

      for (guint j = 0; j < i && first; j++)
        first = g_ptr_array_index (data->hosts, j) != g_ptr_array_index (data->hosts, i);
      if (first)
        host_disks_free (g_ptr_array_index (data->hosts, i));
    }
  g_clear_pointer (&data->hosts, g_ptr_array_unref);
  if (data->work_dir != NULL)
    g_rmdir (data->work_dir);
  g_free (data->work_dir);
  for (guint i = 0; data->connections != NULL && i < data->connections->len; i++)
    gvir_connection_close (g_ptr_array_index (data->connections, i));
  g_clear_pointer (&data->connections, g_ptr_array_unref);
  g_main_context_unref (data->context);
  g_free (data->image_dir);
  g_free (data);
}

void
vl_bench_outcome_free (VlBenchOutcome *outcome)
{
  g_clear_pointer (&outcome->set, vl_result_set_unref);
  g_clear_pointer (&outcome->reports, g_ptr_array_unref);
  g_free (outcome->image_dir);
  g_free (outcome);
}

static void
report_free (VlBenchReport *report)
{
  g_free (report->name);
  g_free (report->error);
  g_free (report->storage);
  g_free (report);
}

char *
vl_bench_data_dir (void)
{
  const char *dir = g_getenv ("VL_BENCH_DATA_DIR");

  if (dir != NULL && dir[0] != '\0')
    return g_strdup (dir);
  return g_build_filename (PKGDATADIR, "bench", NULL);
}

/* ---- progress, on the caller's context ------------------------------------------------------- */

typedef struct {
  JobData *data;
  char    *line;
} ProgressLine;

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressLine *item = user_data;

  item->data->progress (item->line, item->data->progress_data);
  return G_SOURCE_REMOVE;
}

static void
progress_line_free (gpointer user_data)
{
  ProgressLine *item = user_data;

  g_free (item->line);
  g_free (item);
}

void
vl_bench_job_say (JobData *data, const char *format, ...)
{
  ProgressLine *item;
  va_list args;

  if (data->progress == NULL)
    return;
  item = g_new0 (ProgressLine, 1);
  item->data = data;
  va_start (args, format);
  item->line = g_strdup_vprintf (format, args);
  va_end (args);
  vl_main_context_post (data->context, deliver_progress, item, progress_line_free);
}

/* Every disk goes, whatever happened; what could not be deleted is said, and makes the outcome
 * incomplete. */
static void
close_stores (JobData *data, gboolean *incomplete)
{
  for (guint i = 0; data->hosts != NULL && i < data->hosts->len; i++)
    {
      HostDisks *host = g_ptr_array_index (data->hosts, i);
      g_autoptr(GString) problems = g_string_new (NULL);
      gboolean first = TRUE;

      for (guint j = 0; j < i && first; j++)
        first = g_ptr_array_index (data->hosts, j) != host;
      if (!first || host->store == NULL)
        continue;
      if (vl_bench_store_close (g_steal_pointer (&host->store), problems) > 0)
        {
          vl_bench_job_say (data, _("Some disks of the benchmark guests could not be deleted: %s"),
                            problems->str);
          *incomplete = TRUE;
        }
    }
  /* Empty now, unless a disk could not be deleted. */
  if (data->work_dir != NULL)
    g_rmdir (data->work_dir);
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  JobData *data = task_data;
  const VlBenchPlan *plan = data->plan;
  g_autoptr(VlBenchOutcome) outcome = g_new0 (VlBenchOutcome, 1);
  g_autoptr(VlResultSet) set = vl_result_set_new ();
  g_autoptr(GString) names = g_string_new (NULL);
  GError *error = NULL;
  gint64 image_started;
  gboolean any = FALSE;

  if (!vl_bench_job_check_configs (data, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  image_started = g_get_monotonic_time ();
  if (!vl_bench_job_ensure_image (data, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  outcome->image_seconds = (g_get_monotonic_time () - image_started) / 1e6;
  outcome->image_dir = g_strdup (data->image_dir);
  vl_bench_job_say (data, _("Guest image: %s (%.1f s)"), data->image_dir, outcome->image_seconds);

  if (!vl_bench_job_open_stores (data, &error))
    {
      gboolean ignored = FALSE;

      close_stores (data, &ignored);
      g_task_return_error (task, error);
      return;
    }

  outcome->reports = g_ptr_array_new_with_free_func ((GDestroyNotify) report_free);
  for (guint i = 0; i < plan->configs->len; i++)
    {
      VlBenchReport *report = g_new0 (VlBenchReport, 1);
      VlBenchConfig *config = g_ptr_array_index (plan->configs, i);

      g_ptr_array_add (outcome->reports, report);
      g_string_append_printf (names, "%s%s", i > 0 ? " vs " : "", config->name);
      if (g_cancellable_is_cancelled (cancellable))
        {
          report->name = g_strdup (config->name);
          report->error = g_strdup (_("The run was cancelled before this configuration started."));
          continue;
        }
      vl_bench_job_run_config (data, i, set, report, cancellable);
      if (report->error != NULL)
        vl_bench_job_say (data, _("%s: error: %s"), config->name, report->error);
    }
  close_stores (data, &outcome->incomplete);
  /* A configuration with no records at all still shows, with the reason, in every result. */
  for (guint i = 0; i < plan->configs->len; i++)
    {
      VlBenchConfig *config = g_ptr_array_index (plan->configs, i);

      /* A guest stopped before it defined any test gave facts but no result. */
      if (vl_result_set_find_system (set, config->name) != NULL && set->results->len > 0)
        any = TRUE;
    }
  for (guint i = 0; any && i < plan->configs->len; i++)
    {
      VlBenchReport *report = g_ptr_array_index (outcome->reports, i);
      VlBenchConfig *config = g_ptr_array_index (plan->configs, i);

      if (report->error != NULL)
        outcome->incomplete = TRUE;
      if (vl_result_set_find_system (set, config->name) == NULL)
        vl_bench_add_failed_system (set, config->name, vl_bench_mode_layer (config->mode), "", report->error);
    }
  if (any)
    {
      set->title = g_strdup (plan->title != NULL ? plan->title : names->str);
      set->description = g_strdup_printf (_("Virtlab benchmarks, %s profile, %u runs per test, %u vCPUs and %u MiB "
                                            "per guest. Debian 12 tools stand in for the 2010 study’s PTS tests; "
                                            "each result’s description names the test it replaces."),
                                          vl_bench_profile_id (plan->profile), plan->runs, plan->vcpus,
                                          plan->memory_mib);
      if (outcome->incomplete)
        set->notes = g_strdup (_("Incomplete: at least one configuration did not give all its results."));
      outcome->set = g_steal_pointer (&set);
    }
  g_task_return_pointer (task, g_steal_pointer (&outcome), (GDestroyNotify) vl_bench_outcome_free);
}

void
vl_bench_job_run_async (const VlBenchPlan *plan, VlBenchProgressFunc progress, gpointer progress_data,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  JobData *data = g_new0 (JobData, 1);

  data->plan = plan;
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, vl_bench_job_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) job_data_free);
  /* The result of a cancelled run is still returned: what was gathered is kept. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, run_thread);
}

VlBenchOutcome *
vl_bench_job_run_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}