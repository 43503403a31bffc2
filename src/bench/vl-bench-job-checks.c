/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmark job's checks before anything is created: the plan and every connection (its mode,
 * its free memory), the image (built or reused by the image script), and the stores of the guests'
 * disks with room for them. Run in the job's worker thread. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vl-bench-domain.h"
#include "vl-bench-job-private.h"
#include "vl-bench-prepare.h"
#include "vl-bench-results.h"
#include "vl-connections.h"
#include "vl-error.h"
#include "vl-libvirt-handle.h"
#include "vl-result-writer.h"

/* ---- checks before anything is created ------------------------------------------------------- */

/* qemu:///embed?root=DIR needs QEMU's output in files (no virtlogd), as the app sets it up. */
static gboolean
prepare_embed_root (const char *uri, GError **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *root;

  if (!g_str_has_prefix (uri, "qemu:///embed"))
    return TRUE;
  parsed = g_uri_parse (uri, G_URI_FLAGS_NON_DNS, NULL);
  params = parsed != NULL && g_uri_get_query (parsed) != NULL
             ? g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL)
             : NULL;
  root = params != NULL ? g_hash_table_lookup (params, "root") : NULL;
  if (root == NULL || root[0] != '/')
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” names no root folder: use qemu:///embed?root=/absolute/folder"), uri);
      return FALSE;
    }
  return vl_connections_prepare_embed_root (root, error);
}

char *
vl_bench_job_work_root (void)
{
  return g_build_filename (g_get_user_data_dir (), "virtlab", "bench-work", NULL);
}

gboolean
vl_bench_job_check_configs (JobData *data, GCancellable *cancellable, GError **error)
{
  const VlBenchPlan *plan = data->plan;
  g_autofree char *root = vl_bench_job_work_root ();
  g_autoptr(GFile) root_file = NULL;
  g_autoptr(GFileInfo) fs = NULL;
  guint64 need_disk = (guint64) (plan->scratch_mib + VL_BENCH_RESULTS_DISK_SIZE / (1024 * 1024) + 16) << 20;

  if (!vl_bench_plan_check (plan, error))
    return FALSE;
  data->connections = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < plan->configs->len; i++)
    {
      VlBenchConfig *config = g_ptr_array_index (plan->configs, i);
      g_autoptr(GVirConnection) conn = NULL;
      g_autoptr(GVirConfigCapabilities) caps = NULL;
      g_autofree char *caps_xml = NULL;
      g_autoptr(GError) local = NULL;
      virConnectPtr handle;
      unsigned long long free_bytes;
      gboolean shared;

      /* The same connection serves every configuration on it: the embedded driver allows one. */
      for (guint j = 0; j < i && conn == NULL; j++)
        if (g_str_equal (((VlBenchConfig *) g_ptr_array_index (plan->configs, j))->uri, config->uri))
          conn = g_object_ref (g_ptr_array_index (data->connections, j));
      if (conn == NULL)
        {
          if (!prepare_embed_root (config->uri, error))
            return FALSE;
          vl_bench_job_say (data, _("Connecting to %s…"), config->uri);
          conn = gvir_connection_new (config->uri);
          if (!gvir_connection_open (conn, cancellable, &local))
            {
              g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("“%s”: cannot connect to %s: %s"),
                           config->name, config->uri, local->message);
              return FALSE;
            }
        }
      g_ptr_array_add (data->connections, g_object_ref (conn));
      shared = FALSE;
      for (guint j = 0; j < i && !shared; j++)
        shared = g_ptr_array_index (data->connections, j) == (gpointer) conn;

      caps = gvir_connection_get_capabilities (conn, &local);
      caps_xml = caps != NULL ? gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (caps)) : NULL;
      if (!vl_bench_mode_supported (config->mode, caps_xml, &local))
        {
          g_set_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED, _("“%s” (%s, %s): %s"), config->name,
                       config->uri, vl_bench_mode_id (config->mode), local->message);
          return FALSE;
        }
      handle = vl_libvirt_handle_get (conn, NULL);
      free_bytes = handle != NULL ? virNodeGetFreeMemory (handle) : 0;
      if (handle != NULL)
        virConnectClose (handle);
      /* The guest's memory and QEMU's own (~200 MiB under TCG). */
      if (free_bytes > 0 && free_bytes < ((guint64) plan->memory_mib + 256) << 20)
        {
          g_autofree char *have = g_format_size (free_bytes);

          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("“%s”: the host of %s has %s of free memory, not enough for a guest of %u MiB"),
                       config->name, config->uri, have, plan->memory_mib);
          return FALSE;
        }
      /* The storage pool the disks go to holds them and the image (its size estimated: it may not be
       * built yet), once per host: the guests run one after the other. */
      if (!shared)
        {
          g_autofree char *pool = NULL;
          guint64 available = 0;

          g_clear_error (&local);
          if (!vl_bench_pool_room (conn, config->uri, plan->pool, &pool, &available, &local) ||
              (pool != NULL && !vl_bench_pool_check (config->uri, pool, available, plan,
                                                     VL_BENCH_IMAGE_BYTES_ESTIMATE, &local)))
            {
              g_set_error (error, VL_ERROR, local->code, "“%s”: %s", config->name, local->message);
              return FALSE;
            }
        }
    }

  if (g_mkdir_with_parents (root, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION, _("The folder “%s” could not be made: %s"), root,
                   g_strerror (saved_errno));
      return FALSE;
    }
  root_file = g_file_new_for_path (root);
  fs = g_file_query_filesystem_info (root_file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, cancellable, NULL);
  if (fs != NULL && g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE) < need_disk)
    {
      g_autofree char *have = g_format_size (
        g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE));
      g_autofree char *need = g_format_size (need_disk);

      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” has %s free, and the benchmark guest’s disks need %s"), root, have, need);
      return FALSE;
    }
  return TRUE;
}

/* ---- the image --------------------------------------------------------------------------------- */

gboolean
vl_bench_job_ensure_image (JobData *data, GCancellable *cancellable, GError **error)
{
  g_autofree char *dir = vl_bench_data_dir ();
  g_autofree char *script = g_build_filename (dir, "vl-bench-image.sh", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) err_lines = NULL;
  g_autoptr(GString) last = g_string_new (NULL);
  g_autofree char *out = NULL;
  VlBenchProgress steps = { .config = -1 };
  const char *const no_names[] = { NULL };
  char *line;

  if (!g_file_test (script, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND,
                   _("The benchmark image script “%s” is missing: Virtlab is not installed completely"),
                   script);
      return FALSE;
    }
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error,
                              "/bin/bash", script, NULL);
  if (process == NULL)
    return FALSE;
  /* The script tells what it does on stderr, one line at a time: the user sees each. */
  err_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  while ((line = g_data_input_stream_read_line_utf8 (err_lines, NULL, cancellable, NULL)) != NULL)
    {
      /* The build's steps, said as the first phase of the run (the cache was cold). */
      if (vl_bench_progress_read (&steps, line, no_names) && steps.image_steps > 0)
        vl_bench_job_say (data, _("Building the benchmark image, step %u of %u: %s"), steps.image_step,
                          steps.image_steps, vl_bench_image_step_title (&steps));
      vl_bench_job_say (data, "%s", line);
      g_string_assign (last, line);
      g_free (line);
    }
  {
    g_autoptr(GDataInputStream) out_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

    while ((line = g_data_input_stream_read_line_utf8 (out_lines, NULL, cancellable, NULL)) != NULL)
      {
        g_free (out);
        out = line;
      }
  }
  if (!g_subprocess_wait (process, cancellable, error))
    {
      g_subprocess_force_exit (process);
      return FALSE;
    }
  if (g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 2)
    {
      /* Nothing cached, and nothing can be built here: how to get one. */
      g_autofree char *message = vl_bench_image_missing_message (last->str, script);

      g_set_error_literal (error, VL_ERROR, VL_ERROR_UNSUPPORTED, message);
      return FALSE;
    }
  if (!g_subprocess_get_successful (process) || out == NULL)
    {
      g_set_error (error, VL_ERROR,
                   g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 2
                     ? VL_ERROR_UNSUPPORTED
                     : VL_ERROR_FAILED,
                   _("The benchmark guest image could not be built: %s"),
                   last->len > 0 ? last->str : _("the script ended without saying why"));
      return FALSE;
    }
  data->image_dir = g_steal_pointer (&out);
  return TRUE;
}

/* One store per connection (configurations on the same connection share it), in this job's own
 * folder for local files. A pool that cannot be used fails the job: nothing was made yet. */
gboolean
vl_bench_job_open_stores (JobData *data, GError **error)
{
  const VlBenchPlan *plan = data->plan;
  g_autofree char *root = vl_bench_job_work_root ();
  g_autofree char *template = g_build_filename (root, "run-XXXXXX", NULL);
  guint64 image_bytes = 0;

  data->work_dir = g_mkdtemp (g_strdup (template));
  if (data->work_dir == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION, _("No work folder could be made under “%s”: %s"),
                   root, g_strerror (saved_errno));
      return FALSE;
    }
  for (guint i = 0; i < 3; i++)
    {
      static const char *const files[] = { "vmlinuz", "initrd.img", "root.ext4" };
      g_autofree char *path = g_build_filename (data->image_dir, files[i], NULL);
      GStatBuf st;

      if (g_stat (path, &st) == 0)
        image_bytes += st.st_size;
    }
  data->hosts = g_ptr_array_new ();
  for (guint i = 0; i < plan->configs->len; i++)
    {
      VlBenchConfig *config = g_ptr_array_index (plan->configs, i);
      HostDisks *host = NULL;
      g_autofree char *local_dir = NULL, *tag = NULL;
      g_autoptr(GError) local = NULL;
      guint64 need, available;

      for (guint j = 0; j < i && host == NULL; j++)
        if (g_ptr_array_index (data->connections, j) == g_ptr_array_index (data->connections, i))
          host = g_ptr_array_index (data->hosts, j);
      if (host != NULL)
        {
          g_ptr_array_add (data->hosts, host);
          continue;
        }
      host = g_new0 (HostDisks, 1);
      g_ptr_array_add (data->hosts, host);
      local_dir = g_strdup_printf ("%s/h%u", data->work_dir, i);
      tag = g_strdup_printf ("%d-%s-h%u", (int) getpid (), strrchr (data->work_dir, '-') + 1, i);
      host->store = vl_bench_store_open (g_ptr_array_index (data->connections, i), config->uri, plan->pool,
                                         local_dir, tag, &local);
      if (host->store == NULL)
        {
          g_set_error (error, VL_ERROR, local->domain == VL_ERROR ? local->code : VL_ERROR_FAILED,
                       "“%s” (%s): %s", config->name, config->uri, local->message);
          return FALSE;
        }
      vl_bench_job_say (data, _("%s: the guest’s disks go to %s"), config->name,
                        vl_bench_store_describe (host->store));
      need = ((guint64) plan->scratch_mib << 20) + VL_BENCH_RESULTS_DISK_SIZE +
             (vl_bench_store_is_local (host->store) ? 0 : image_bytes);
      available = vl_bench_store_available (host->store);
      if (available < need)
        {
          g_autofree char *have = g_format_size (available);
          g_autofree char *want = g_format_size (need);

          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("“%s” (%s): %s has %s free, and the benchmark guest’s disks need %s"), config->name,
                       config->uri, vl_bench_store_describe (host->store), have, want);
          return FALSE;
        }
    }
  return TRUE;
}
