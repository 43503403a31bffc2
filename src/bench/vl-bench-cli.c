/* SPDX-License-Identifier: GPL-3.0-or-later */
/* virtlab --run-benchmarks: the benchmark job without a display, for servers and scripts. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <libvirt/virterror.h>
#include <libvirt-gobject/libvirt-gobject.h>

#include "vl-bench-cli.h"
#include "vl-bench-job.h"
#include "vl-bench-prepare.h"
#include "vl-error.h"
#include "vl-result-writer.h"

typedef struct {
  GMainLoop      *loop;
  VlBenchOutcome *outcome;
  GError         *error;
  GCancellable   *cancellable;
  int             signals;
} CliRun;

static void
print_progress (const char *line, gpointer user_data)
{
  g_print ("%s\n", line);
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CliRun *run = user_data;

  run->outcome = vl_bench_job_run_finish (result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
quiet_libvirt_errors (void *user_data, virErrorPtr error)
{
}

/* Ctrl+C or SIGTERM: cancel, which stops the guest and cleans up; a second one is not needed. */
static gboolean
on_signal (gpointer user_data)
{
  CliRun *run = user_data;

  if (run->signals++ == 0)
    g_printerr (_("Cancelling: stopping the benchmark guest and cleaning up…\n"));
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

/* --NAME N: *NUMBER is N (0 included), or -1 when the option was not given. */
static gboolean
lookup_number (GVariantDict *options, const char *name, gint32 *number, GError **error)
{
  const char *text;
  guint64 value;

  *number = -1;
  if (!g_variant_dict_lookup (options, name, "&s", &text))
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &value, NULL))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("--%s must be a whole number, not “%s”"), name,
                   text);
      return FALSE;
    }
  *number = (gint32) value;
  return TRUE;
}

static gboolean
parse_options (GVariantDict *options, VlBenchPlan *plan, GError **error)
{
  g_autofree const char **configs = NULL;
  const char *profile = NULL, *tests = NULL, *title = NULL, *pool = NULL;
  const char *output = NULL;
  gboolean memory_given, scratch_given;
  guint min_memory, min_scratch;
  gint32 number;

  if (!g_variant_dict_lookup (options, "config", "^a&s", &configs) || configs[0] == NULL)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                           _("--run-benchmarks needs one or more --config URI,MODE[,NAME] "
                             "(MODE: kvm-hvm, qemu-tcg, xen-pv or xen-hvm)"));
      return FALSE;
    }
  for (guint i = 0; configs[i] != NULL; i++)
    {
      VlBenchConfig *config = vl_bench_config_parse (configs[i], error);

      if (config == NULL)
        return FALSE;
      g_ptr_array_add (plan->configs, config);
    }
  if (g_variant_dict_lookup (options, "profile", "&s", &profile)
      && !vl_bench_profile_from_string (profile, &plan->profile))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("Unknown profile “%s”: use quick or study"), profile);
      return FALSE;
    }
  if (!lookup_number (options, "runs", &number, error))
    return FALSE;
  if (number >= 0)
    {
      if (number < 1 || number > 100)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("--runs must be from 1 to 100, not %d"), number);
          return FALSE;
        }
      plan->runs = number;
    }
  if (!lookup_number (options, "vcpus", &number, error))
    return FALSE;
  if (number >= 0)
    plan->vcpus = number;
  if (!lookup_number (options, "memory", &number, error))
    return FALSE;
  if ((memory_given = number >= 0))
    plan->memory_mib = number;
  if (!lookup_number (options, "scratch-size", &number, error))
    return FALSE;
  if ((scratch_given = number >= 0))
    plan->scratch_mib = number;
  if (!lookup_number (options, "time-budget", &number, error))
    return FALSE;
  if (number >= 0)
    {
      if (number < 10)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("--time-budget must be at least 10 seconds, not %d"), number);
          return FALSE;
        }
      plan->budget_seconds = number;
    }
  if (g_variant_dict_lookup (options, "tests", "&s", &tests))
    plan->tests = g_strsplit (tests, ",", -1);
  if (g_variant_dict_lookup (options, "title", "&s", &title))
    plan->title = g_strdup (title);
  if (g_variant_dict_lookup (options, "pool", "&s", &pool))
    {
      if (pool[0] == '\0')
        {
          g_set_error_literal (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                               _("--pool needs the name of a storage pool"));
          return FALSE;
        }
      plan->pool = g_strdup (pool);
    }
  if (g_variant_dict_lookup (options, "output", "^&ay", &output))
    plan->output = g_strdup (output);
  /* The study's sizes need bigger guests than the defaults: raised unless given (a size given too
   * small is refused by the check, with the least it needs). */
  vl_bench_plan_minimums (plan, &min_memory, &min_scratch);
  if (!memory_given)
    plan->memory_mib = MAX (plan->memory_mib, min_memory);
  if (!scratch_given)
    plan->scratch_mib = MAX (plan->scratch_mib, min_scratch);
  return vl_bench_plan_check (plan, error);
}

static gboolean
write_output (const VlBenchPlan *plan, const VlResultSet *set, GError **error)
{
  g_autofree char *data_dir = vl_result_benchmarks_dir ();
  g_autofree char *pts_dir = vl_result_pts_user_results_dir ();
  g_autofree char *saved = NULL, *pts = NULL;

  if (plan->output != NULL)
    {
      g_autofree char *xml = vl_result_set_to_pts_xml (set, error);

      if (xml == NULL || !g_file_set_contents (plan->output, xml, -1, error))
        return FALSE;
      g_print (_("Result file: %s\n"), plan->output);
      return TRUE;
    }
  if (!vl_result_set_save_pts (set, set->title, data_dir, pts_dir, &saved, &pts, error))
    return FALSE;
  g_print (_("Result file: %s\n"), saved);
  g_print (_("For the Phoronix Test Suite: %s\n"), pts);
  return TRUE;
}

int
vl_bench_cli_run (GVariantDict *options)
{
  g_autoptr(VlBenchPlan) plan = vl_bench_plan_new ();
  g_autoptr(GError) error = NULL;
  CliRun run = { 0 };
  guint sigint, sigterm;
  int status = 0;

  if (!parse_options (options, plan, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 2;
    }
  /* The embedded driver logs its warnings ("tainted: high-privileges"…) on stderr, between our
   * lines; errors still show. The user's own setting wins. */
  g_setenv ("LIBVIRT_LOG_OUTPUTS", "4:stderr", FALSE);
  gvir_init_object (NULL, NULL);
  virSetErrorFunc (NULL, quiet_libvirt_errors);

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  sigint = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, &run);
  vl_bench_job_run_async (plan, print_progress, NULL, run.cancellable, run_done, &run);
  g_main_loop_run (run.loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  if (run.error != NULL)
    {
      /* Nothing was created: bad input, a connection that fails, no way to build the image. */
      g_printerr ("%s: %s\n", g_get_prgname (), run.error->message);
      status = g_error_matches (run.error, VL_ERROR, VL_ERROR_FAILED) ? 1 : 2;
      goto out;
    }
  for (guint i = 0; i < run.outcome->reports->len; i++)
    {
      VlBenchReport *report = g_ptr_array_index (run.outcome->reports, i);

      if (report->error != NULL)
        {
          g_printerr (_("%s: configuration “%s” failed: %s\n"), g_get_prgname (), report->name, report->error);
          status = 1;
        }
      g_print (_("Timing %s: %.1f s from start to results, %.1f s booting, %.1f s inside the tests, "
                 "%.1f s overhead, %u figures\n"),
               report->name, report->seconds_total, report->seconds_boot, report->seconds_tests,
               report->seconds_total - report->seconds_tests, report->figures);
    }
  if (run.outcome->image_dir != NULL)
    {
      g_autofree char *cache_root = vl_bench_image_own_cache (run.outcome->image_dir);
      guint removed = cache_root != NULL
                        ? vl_bench_image_prune (cache_root, run.outcome->image_dir, VL_BENCH_IMAGES_KEPT)
                        : 0;

      if (removed > 0)
        g_print (_("Removed %u old copies of the benchmark image from %s\n"), removed, cache_root);
    }
  if (run.outcome->set == NULL)
    {
      g_printerr (_("%s: no configuration gave any result: no result file was written\n"), g_get_prgname ());
      status = 1;
      goto out;
    }
  if (!write_output (plan, run.outcome->set, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      status = 1;
    }
  if (g_cancellable_is_cancelled (run.cancellable))
    status = status != 0 ? status : 1;

out:
  g_clear_pointer (&run.outcome, vl_bench_outcome_free);
  g_clear_error (&run.error);
  g_clear_object (&run.cancellable);
  g_main_loop_unref (run.loop);
  return status;
}
