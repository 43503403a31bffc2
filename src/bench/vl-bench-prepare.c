/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Run Benchmarks assistant's GTK-free part: hosts probed in a thread, the checks before a run,
 * the estimated time and the job's progress read back. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "vl-bench-job.h"
#include "vl-bench-prepare.h"
#include "vl-error.h"
#include "vl-libvirt-handle.h"

void
vl_bench_host_free (VlBenchHost *host)
{
  g_free (host->uri);
  g_free (host->hostname);
  g_free (host);
}

/* ---- a host, in a worker thread ------------------------------------------------------------------ */

static guint64
free_disk_of (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  /* The folder may not exist yet: its nearest existing parent is on the same file system. */
  while (file != NULL)
    {
      g_autoptr(GFileInfo)
        info = g_file_query_filesystem_info (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
      g_autoptr(GFile) parent = NULL;

      if (info != NULL)
        return g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
      parent = g_file_get_parent (file);
      g_set_object (&file, parent);
    }
  return 0;
}

static void
probe_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GVirConnection *conn = source;
  g_autoptr(VlBenchHost) host = g_new0 (VlBenchHost, 1);
  g_autoptr(GVirConfigCapabilities) caps = NULL;
  g_autofree char *caps_xml = NULL;
  g_autofree char *work = g_build_filename (g_get_user_data_dir (), "virtlab", "bench-work", NULL);
  GVirNodeInfo *node;
  GError *error = NULL;
  virConnectPtr handle;

  host->uri = g_strdup (task_data);
  caps = gvir_connection_get_capabilities (conn, &error);
  if (caps == NULL)
    {
      g_task_return_new_error (task, VL_ERROR, VL_ERROR_FAILED, _("%s: its host could not be read: %s"),
                               host->uri, error->message);
      g_error_free (error);
      return;
    }
  caps_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (caps));
  for (int mode = 0; mode < VL_BENCH_N_MODES; mode++)
    host->modes[mode] = vl_bench_mode_supported (mode, caps_xml, NULL);
  node = gvir_connection_get_node_info (conn, NULL);
  if (node != NULL)
    {
      host->cpus = node->cpus;
      host->memory_kib = node->memory;
      g_boxed_free (gvir_node_info_get_type (), node);
    }
  handle = vl_libvirt_handle_get (conn, NULL);
  if (handle != NULL)
    {
      char *name = virConnectGetHostname (handle);

      host->free_memory_kib = virNodeGetFreeMemory (handle) / 1024;
      host->hostname = g_strdup (name);
      free (name);
      virConnectClose (handle);
    }
  host->free_disk_bytes = free_disk_of (work);
  g_task_return_pointer (task, g_steal_pointer (&host), (GDestroyNotify) vl_bench_host_free);
}

void
vl_bench_host_probe_async (GVirConnection *conn, const char *uri, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, vl_bench_host_probe_async);
  g_task_set_task_data (task, g_strdup (uri), g_free);
  g_task_run_in_thread (task, probe_thread);
}

VlBenchHost *
vl_bench_host_probe_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- checks -------------------------------------------------------------------------------------- */

gboolean
vl_bench_host_check (const VlBenchHost *host, const VlBenchPlan *plan, GError **error)
{
  /* The guest's memory and QEMU's own (~200 MiB under TCG), as the job checks it. */
  guint64 need_memory_kib = ((guint64) plan->memory_mib + 256) * 1024;
  /* The scratch disk, the 16 MiB results disk and a margin. */
  guint64 need_disk = ((guint64) plan->scratch_mib + 32) << 20;

  if (host->cpus > 0 && plan->vcpus > host->cpus)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The host of %s has %u CPUs: a guest of %u vCPUs would not measure it fairly"),
                   host->uri, host->cpus, plan->vcpus);
      return FALSE;
    }
  if (host->free_memory_kib > 0 && host->free_memory_kib < need_memory_kib)
    {
      g_autofree char *have = g_format_size (host->free_memory_kib * 1024);

      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The host of %s has %s of free memory, not enough for a guest of %u MiB"), host->uri,
                   have, plan->memory_mib);
      return FALSE;
    }
  if (host->free_disk_bytes > 0 && host->free_disk_bytes < need_disk)
    {
      g_autofree char *have = g_format_size (host->free_disk_bytes);

      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The host of %s has %s of free disk space, not enough for a scratch disk of %u MiB"),
                   host->uri, have, plan->scratch_mib);
      return FALSE;
    }
  return TRUE;
}

gboolean
vl_bench_names_check (const char *const *names, GError **error)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = g_strstrip (g_strdup (names[i]));

      if (name[0] == '\0')
        {
          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("Configuration %u has no name: give it one"), i + 1);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        {
          g_autofree char *other = g_strstrip (g_strdup (names[j]));

          if (g_utf8_collate (name, other) == 0)
            {
              g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                           _("Two configurations are named “%s”: give each its own name"), name);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* ---- the image ----------------------------------------------------------------------------------- */

static void
image_check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autofree char *dir = vl_bench_data_dir ();
  g_autofree char *script = g_build_filename (dir, "vl-bench-image.sh", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *err = NULL;
  GError *error = NULL;

  if (!g_file_test (script, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_new_error (task, VL_ERROR, VL_ERROR_NOT_FOUND,
                               _("The benchmark image script “%s” is missing: Virtlab is not installed "
                                  "completely"),
                               script);
      return;
    }
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              "/bin/bash", script, "--check", NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, cancellable, NULL, &err, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!g_subprocess_get_successful (process))
    {
      g_auto(GStrv) lines = g_strsplit (g_strstrip (err), "\n", -1);
      guint n = g_strv_length (lines);
      const char *last = n > 0 ? lines[n - 1] : "";

      if (g_str_has_prefix (last, "vl-bench-image: "))
        last += strlen ("vl-bench-image: ");
      g_task_return_new_error (task, VL_ERROR, VL_ERROR_UNSUPPORTED,
                               _("The benchmark guest image is not built yet and cannot be built here: %s"),
                               last[0] != '\0' ? last : _("the script ended without saying why"));
      return;
    }
  /* The script says "cached: DIR" when the image is there. */
  g_task_return_int (task, strstr (err, "cached: ") != NULL ? 1 : 0);
}

void
vl_bench_image_check_async (GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, vl_bench_image_check_async);
  g_task_run_in_thread (task, image_check_thread);
}

gboolean
vl_bench_image_check_finish (GAsyncResult *result, gboolean *cached, GError **error)
{
  gssize value = g_task_propagate_int (G_TASK (result), error);

  if (cached != NULL)
    *cached = value == 1;
  return value >= 0;
}

/* ---- the estimate -------------------------------------------------------------------------------- */

/* Seconds of one run of each test under software emulation (TCG, 2 vCPUs), from the profiles'
 * sizes in runner.sh (quick: 5 s of sysbench CPU, 3 s per memory test, 64 MiB files…; study: 60 s,
 * 30 s, 4 GiB…) plus each tool's start. A quick run of all tests took ~125 s per configuration with
 * 2 runs on the quiet 2-core test machine: ~30 s of boot, facts and stop, ~48 s per run. (On the
 * same machine under load the boot alone took 60-90 s: while running, the assistant corrects the
 * estimate with the configurations already done, vl_bench_estimate_running.) */
static const struct
{
  const char *id;
  guint quick, study;
} test_seconds[] = {
  { "sysbench_cpu", 6, 61 },   { "ffmpeg", 5, 62 },          { "wavpack", 4, 60 },
  { "mem_cache_read", 4, 31 }, { "mem_cache_write", 4, 31 }, { "mbw_memcpy", 2, 20 },
  { "mem_ram_read", 4, 31 },   { "mem_ram_write", 4, 31 },   { "dbench", 8, 122 },
  { "fio_seq_write", 2, 150 }, { "fio_seq_read", 2, 100 },   { "fio_rand_read", 3, 61 },
};
#define GUEST_OVERHEAD_SECONDS 30
#define IMAGE_BUILD_SECONDS    210

guint
vl_bench_estimate_seconds (VlBenchProfile profile, guint runs, const char *const *tests, guint n_configs,
                           gboolean image_cached)
{
  guint per_run = 0;

  for (guint i = 0; i < G_N_ELEMENTS (test_seconds); i++)
    if (tests == NULL || tests[0] == NULL || g_strv_contains (tests, test_seconds[i].id))
      per_run += profile == VL_BENCH_PROFILE_STUDY ? test_seconds[i].study : test_seconds[i].quick;
  return (image_cached ? 0 : IMAGE_BUILD_SECONDS) + n_configs * (GUEST_OVERHEAD_SECONDS + runs * per_run);
}

guint
vl_bench_estimate_running (guint estimate, double first_started, double elapsed, guint done, guint n_configs)
{
  double total = estimate;

  if (done > 0 && n_configs > 0 && elapsed > first_started)
    total = first_started + (elapsed - first_started) / done * n_configs;
  return (guint) MAX (total, elapsed);
}

/* ---- progress read back -------------------------------------------------------------------------- */

void
vl_bench_progress_clear (VlBenchProgress *progress)
{
  g_clear_pointer (&progress->test, g_free);
  progress->run = progress->runs = 0;
}

gboolean
vl_bench_progress_read (VlBenchProgress *progress, const char *line, const char *const *names)
{
  int found = -1;
  gsize found_len = 0;
  const char *rest;
  char test[64];
  guint run, runs;

  /* The job's lines about a configuration start "NAME: "; the longest name that fits wins. */
  for (guint i = 0; names[i] != NULL; i++)
    {
      gsize len = strlen (names[i]);

      if (len > found_len && strncmp (line, names[i], len) == 0 && line[len] == ':' && line[len + 1] == ' ')
        {
          found = i;
          found_len = len;
        }
    }
  if (found < 0)
    return FALSE;
  rest = line + found_len + 2;
  if (found != progress->config)
    {
      progress->config = found;
      vl_bench_progress_clear (progress);
      if (sscanf (rest, "run %63s %u/%u", test, &run, &runs) == 3)
        goto run_line;
      return TRUE;
    }
  /* The runner's "run TEST I/N": a test run starts. */
  if (sscanf (rest, "run %63s %u/%u", test, &run, &runs) != 3)
    return FALSE;
run_line:
  g_free (progress->test);
  progress->test = g_strdup (test);
  progress->run = run;
  progress->runs = runs;
  return TRUE;
}
