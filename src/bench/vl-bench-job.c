/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmark job. Everything that talks to libvirt or waits runs in one worker thread, one
 * configuration after the other (so they do not disturb each other); progress goes back to the
 * caller's main context, which must run (libvirt's events, and the embedded driver's own work). */
/* O_DIRECT */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vl-main-context.h"
#include "vl-bench-domain.h"
#include "vl-bench-job.h"
#include "vl-bench-results.h"
#include "vl-bench-store.h"
#include "vl-connections.h"
#include "vl-error.h"
#include "vl-gvir-autoptr.h"
#include "vl-libvirt-handle.h"
#include "vl-result-writer.h"

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

typedef struct {
  const VlBenchPlan   *plan;
  VlBenchProgressFunc  progress;
  gpointer             progress_data;
  GMainContext        *context;      /* the caller's */
  GPtrArray           *connections;  /* GVirConnection, one per configuration */
  char                *image_dir;
  char *work_dir;   /* this job's local folder */
  GPtrArray *hosts; /* HostDisks, one per configuration (shared ones repeated) */
} JobData;

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

static void say (JobData *data, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
say (JobData *data, const char *format, ...)
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
           ? g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
  root = params != NULL ? g_hash_table_lookup (params, "root") : NULL;
  if (root == NULL || root[0] != '/')
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” names no root folder: use qemu:///embed?root=/absolute/folder"), uri);
      return FALSE;
    }
  return vl_connections_prepare_embed_root (root, error);
}

static char *
work_root (void)
{
  return g_build_filename (g_get_user_data_dir (), "virtlab", "bench-work", NULL);
}

static gboolean
check_configs (JobData *data, GCancellable *cancellable, GError **error)
{
  const VlBenchPlan *plan = data->plan;
  g_autofree char *root = work_root ();
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

      /* The same connection serves every configuration on it: the embedded driver allows one. */
      for (guint j = 0; j < i && conn == NULL; j++)
        if (g_str_equal (((VlBenchConfig *) g_ptr_array_index (plan->configs, j))->uri, config->uri))
          conn = g_object_ref (g_ptr_array_index (data->connections, j));
      if (conn == NULL)
        {
          if (!prepare_embed_root (config->uri, error))
            return FALSE;
          say (data, _("Connecting to %s…"), config->uri);
          conn = gvir_connection_new (config->uri);
          if (!gvir_connection_open (conn, cancellable, &local))
            {
              g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("“%s”: cannot connect to %s: %s"),
                           config->name, config->uri, local->message);
              return FALSE;
            }
        }
      g_ptr_array_add (data->connections, g_object_ref (conn));

      caps = gvir_connection_get_capabilities (conn, &local);
      caps_xml = caps != NULL ? gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (caps)) : NULL;
      if (!vl_bench_mode_supported (config->mode, caps_xml, &local))
        {
          g_set_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED, _("“%s” (%s, %s): %s"), config->name, config->uri,
                       vl_bench_mode_id (config->mode), local->message);
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
      g_autofree char *have = g_format_size (g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE));
      g_autofree char *need = g_format_size (need_disk);

      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” has %s free, and the benchmark guest’s disks need %s"), root, have, need);
      return FALSE;
    }
  return TRUE;
}

/* ---- the image --------------------------------------------------------------------------------- */

static gboolean
ensure_image (JobData *data, GCancellable *cancellable, GError **error)
{
  g_autofree char *dir = vl_bench_data_dir ();
  g_autofree char *script = g_build_filename (dir, "vl-bench-image.sh", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) err_lines = NULL;
  g_autoptr(GString) last = g_string_new (NULL);
  g_autofree char *out = NULL;
  char *line;

  if (!g_file_test (script, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND,
                   _("The benchmark image script “%s” is missing: Virtlab is not installed completely"), script);
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
      say (data, "%s", line);
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
  if (!g_subprocess_get_successful (process) || out == NULL)
    {
      g_set_error (error, VL_ERROR, g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) == 2
                                    ? VL_ERROR_UNSUPPORTED : VL_ERROR_FAILED,
                   _("The benchmark guest image could not be built: %s"),
                   last->len > 0 ? last->str : _("the script ended without saying why"));
      return FALSE;
    }
  data->image_dir = g_steal_pointer (&out);
  return TRUE;
}

/* ---- one configuration ------------------------------------------------------------------------- */

typedef struct {
  GVirDomain *domain;
  gboolean    timed_out;
  gint       *stopped_event;   /* atomic, shared with libvirt's callback: its lifecycle event came */
} RunState;

static void
cancel_config (GCancellable *parent, gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
budget_over (gpointer user_data)
{
  GCancellable *config_cancel = user_data;

  g_cancellable_cancel (config_cancel);
  return G_SOURCE_REMOVE;
}

/* libvirt's lifecycle event, on the main loop: the guest named NAME stopped (shut down, destroyed,
 * crashed). Registered on the connection's handle itself: libvirt-gobject's "stopped" signal was
 * not seen for these transient guests. */
typedef struct {
  char *name;
  gint  stopped;
} LifecycleWatch;

static void
lifecycle_watch_free (void *opaque)
{
  LifecycleWatch *watch = opaque;

  g_free (watch->name);
  g_free (watch);
}

static int
on_lifecycle (virConnectPtr conn, virDomainPtr dom, int event, int detail, void *opaque)
{
  LifecycleWatch *watch = opaque;

  if (event == VIR_DOMAIN_EVENT_STOPPED && g_strcmp0 (virDomainGetName (dom), watch->name) == 0)
    g_atomic_int_set (&watch->stopped, 1);
  return 0;
}

typedef enum {
  GUEST_RUNS,
  GUEST_OFF,     /* stopped, but the driver may still hold it (and its disks) */
  GUEST_GONE,    /* a transient guest the driver has let go of */
  GUEST_UNKNOWN, /* the question failed for another reason (a slow host), the connection lives */
} GuestState;

static GuestState
guest_state (GVirDomain *domain)
{
  g_autoptr(virDomain) handle = NULL;
  virDomainInfo info;

  g_object_get (domain, "handle", &handle, NULL);
  if (virDomainGetInfo (handle, &info) == 0)
    return info.state == VIR_DOMAIN_SHUTOFF || info.state == VIR_DOMAIN_CRASHED ? GUEST_OFF : GUEST_RUNS;
  /* A transient guest that stopped no longer exists: that is what "off" looks like for it. Any other
   * failure is not "off" (a busy remote host may fail a call while the guest runs on; taken as off,
   * the job would stop it mid-test). A closed connection tells nothing more: taken as gone. */
  if (virGetLastErrorCode () == VIR_ERR_NO_DOMAIN || virConnectIsAlive (virDomainGetConnect (handle)) != 1)
    return GUEST_GONE;
  return GUEST_UNKNOWN;
}

static gboolean
domain_gone_or_off (GVirDomain *domain)
{
  GuestState state = guest_state (domain);

  return state == GUEST_OFF || state == GUEST_GONE;
}

/* libxl tears a stopped guest down after it reports it off: its hotplug script then detaches the
 * loop device of each file disk, and only when the file still exists (Xen's block script takes a
 * missing file for a block device and does nothing). Deleting the volumes before leaves the loop
 * devices, and the deleted files' space, held in dom0. So wait until the driver let go of the
 * (transient) guest, up to a minute. */
static void
wait_until_released (JobData *data, GVirDomain *domain, const char *name)
{
  for (int i = 0; guest_state (domain) != GUEST_GONE; i++)
    {
      if (i == 5 * 60)
        {
          say (data, _("%s: the host still holds the stopped guest after 60 s; deleting its disks anyway"),
               name);
          return;
        }
      g_usleep (G_USEC_PER_SEC / 5);
    }
}

static gboolean
supports_direct_io (const char *path)
{
  int fd = open (path, O_RDWR | O_DIRECT);

  if (fd < 0)
    return FALSE;
  close (fd);
  return TRUE;
}

/* For the tests only: VL_BENCH_TEST_CMDLINE="NAME=ARGS;…" appends ARGS to the guest NAME's
 * kernel command line, e.g. an init= that writes garbage to the results disk or never ends, so
 * those failures come from a real guest. */
static char *
test_cmdline (const char *name)
{
  const char *env = g_getenv ("VL_BENCH_TEST_CMDLINE");
  g_auto(GStrv) items = env != NULL ? g_strsplit (env, ";", -1) : NULL;

  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      const char *eq = strchr (items[i], '=');

      if (eq != NULL && strncmp (items[i], name, eq - items[i]) == 0 && strlen (name) == (gsize) (eq - items[i]))
        return g_strdup (eq + 1);
    }
  return NULL;
}

static char *
safe_name (const char *name)
{
  g_autofree char *lower = vl_pts_result_name (name);

  return g_strdup_printf ("virtlab-bench-%s-%d", lower, (int) getpid ());
}

/* The console's bytes, split into lines: the runner's are passed on, the rest kept for errors. */
static void
console_bytes (JobData *data, const char *buf, gssize n, GString *line, GString *tail, const char *name,
               gint64 started, gint64 *runner_started)
{
  for (gssize i = 0; i < n; i++)
    {
      if (buf[i] == '\r')
        continue;
      if (buf[i] != '\n')
        {
          if (line->len < 4096)
            g_string_append_c (line, buf[i]);
          continue;
        }
      if (g_str_has_prefix (line->str, "VLBENCH "))
        {
          g_autofree char *valid = g_utf8_make_valid (line->str + strlen ("VLBENCH "), -1);

          if (*runner_started == 0 && g_str_has_prefix (valid, "start "))
            *runner_started = g_get_monotonic_time ();
          say (data, "%s: %s (%.0f s)", name, valid, (g_get_monotonic_time () - started) / 1e6);
        }
      g_string_append_len (tail, line->str, line->len);
      g_string_append_c (tail, '\n');
      if (tail->len > 8192)
        g_string_erase (tail, 0, tail->len - 8192);
      g_string_truncate (line, 0);
    }
}

/* Follows the console until the guest is off. GVirInputStream has no synchronous read, and the
 * console's stream does not block (the embedded driver's at least): it is polled, ten times a
 * second, and about once a second the guest's state is looked at. */
static void
follow_console (JobData *data, GVirStream *stream, GVirDomain *domain, GCancellable *stop, const char *name,
                gint64 started, gint64 *runner_started, GString *tail)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char buf[4096];
  gssize n;

  for (guint idle = 0;; )
    {
      n = gvir_stream_receive (stream, buf, sizeof buf, NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_clear_error (&error);
          if (g_cancellable_is_cancelled (stop) || (++idle % 10 == 0 && domain_gone_or_off (domain)))
            return;
          g_usleep (G_USEC_PER_SEC / 10);
          continue;
        }
      if (n <= 0)
        break;
      idle = 0;
      console_bytes (data, buf, n, line, tail, name, started, runner_started);
    }
  if (n < 0)
    say (data, _("%s: the console stopped: %s"), name, error->message);
}

static double
tests_seconds (const VlBenchRecords *records, guint *figures)
{
  GPtrArray *tests = vl_bench_records_tests (records);
  guint runs = vl_bench_records_runs (records);
  double total = 0;

  for (guint i = 0; i < tests->len; i++)
    for (guint r = 1; r <= runs; r++)
      {
        g_autofree char *seconds = g_strdup_printf ("run.%s.%u.seconds", (char *) g_ptr_array_index (tests, i), r);
        g_autofree char *value = g_strdup_printf ("run.%s.%u.value", (char *) g_ptr_array_index (tests, i), r);
        const char *text = vl_bench_records_get (records, seconds);

        if (text != NULL)
          total += g_ascii_strtod (text, NULL);
        if (vl_bench_records_get (records, value) != NULL)
          (*figures)++;
      }
  return total;
}

static char *
host_notes (GVirConnection *conn, const char *uri)
{
  g_autoptr(GError) error = NULL;
  GVirNodeInfo *node = gvir_connection_get_node_info (conn, &error);
  g_autofree char *hostname = g_strdup (g_get_host_name ());
  char *notes;

  notes = node != NULL
          ? g_strdup_printf ("Host: %s (%s, %u CPUs, %" G_GUINT64_FORMAT " MB), connection %s, by Virtlab %s",
                             hostname, node->model, node->cpus, node->memory / 1024, uri, PACKAGE_VERSION)
          : g_strdup_printf ("Host: %s, connection %s, by Virtlab %s", hostname, uri, PACKAGE_VERSION);
  if (node != NULL)
    g_boxed_free (gvir_node_info_get_type (), node);
  return notes;
}

/* The image's three files go to the configuration's host once, for every configuration there. */
static gboolean
upload_image (JobData *data, HostDisks *host, const VlBenchConfig *config, VlBenchReport *report,
              GCancellable *cancellable)
{
  static const char *const files[] = { "vmlinuz", "initrd.img", "root.ext4" };
  char **targets[] = { &host->kernel, &host->initrd, &host->root };
  gint64 started = g_get_monotonic_time ();
  guint64 bytes = 0;

  if (host->uploaded)
    return TRUE;
  g_clear_pointer (&host->upload_error, g_free);
  if (!vl_bench_store_is_local (host->store))
    say (data, _("%s: uploading the guest image to %s on %s…"), config->name,
         vl_bench_store_describe (host->store), config->uri);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *source = g_build_filename (data->image_dir, files[i], NULL);
      g_autoptr(GError) error = NULL;
      GStatBuf st;

      if (g_stat (source, &st) == 0)
        bytes += st.st_size;
      *targets[i] = vl_bench_store_upload (host->store, files[i], source, cancellable, &error);
      if (*targets[i] == NULL)
        {
          host->upload_error = g_strdup (error->message);
          return FALSE;
        }
    }
  host->uploaded = TRUE;
  if (!vl_bench_store_is_local (host->store))
    {
      g_autofree char *size = g_format_size (bytes);

      report->seconds_upload = (g_get_monotonic_time () - started) / 1e6;
      say (data, _("%s: the guest image (%s) was uploaded in %.1f s (%.1f MB/s)"), config->name, size,
           report->seconds_upload, report->seconds_upload > 0 ? bytes / 1e6 / report->seconds_upload : 0);
    }
  return TRUE;
}

static void
run_config (JobData *data, guint index, VlResultSet *set, VlBenchReport *report, GCancellable *cancellable)
{
  const VlBenchPlan *plan = data->plan;
  VlBenchConfig *config = g_ptr_array_index (plan->configs, index);
  GVirConnection *conn = g_ptr_array_index (data->connections, index);
  HostDisks *host = g_ptr_array_index (data->hosts, index);
  g_autofree char *scratch = NULL, *results = NULL;
  g_autofree char *domain_name = safe_name (config->name);
  g_autofree char *disk_prefix = vl_pts_result_name (config->name);
  g_autofree char *scratch_name = g_strdup_printf ("%s-scratch.img", disk_prefix);
  g_autofree char *results_name = g_strdup_printf ("%s-results.img", disk_prefix);
  g_autoptr(GBytes) results_data = NULL;
  gint64 download_started;
  g_autofree char *notes = host_notes (conn, config->uri);
  g_autofree char *extra_cmdline = test_cmdline (config->name);
  g_autoptr(GVirConfigDomain) conf = NULL;
  GVirStream *stream = NULL;
  g_autoptr(GCancellable) config_cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VlBenchRecords) records = NULL;
  g_autoptr(GString) tail = g_string_new (NULL);
  g_autoptr(GSource) budget = NULL;
  RunState state = { 0 };
  VlBenchDomainSpec spec = { 0 };
  guint budget_seconds = plan->budget_seconds > 0 ? plan->budget_seconds
                                                  : vl_bench_profile_budget (plan->profile, plan->runs);
  gulong parent_handler = 0;
  LifecycleWatch *watch = NULL;
  virConnectPtr handle = NULL;
  int watch_id = -1;
  gint64 started, runner_started = 0;
  char *stopped_reason = NULL;

  report->name = g_strdup (config->name);
  report->storage = g_strdup (vl_bench_store_describe (host->store));
  if (!upload_image (data, host, config, report, cancellable))
    {
      report->error = g_strdup (host->upload_error);
      goto cleanup;
    }
  scratch = vl_bench_store_create (host->store, scratch_name, (guint64) plan->scratch_mib << 20, &error);
  if (scratch != NULL)
    results = vl_bench_store_create (host->store, results_name, VL_BENCH_RESULTS_DISK_SIZE, &error);
  if (scratch == NULL || results == NULL)
    {
      report->error = g_strdup (error->message);
      goto cleanup;
    }

  spec.name = domain_name;
  spec.mode = config->mode;
  spec.vcpus = plan->vcpus;
  spec.memory_mib = plan->memory_mib;
  spec.kernel = host->kernel;
  spec.initrd = host->initrd;
  spec.root_path = host->root;
  spec.scratch_path = scratch;
  spec.results_path = results;
  /* Known only for a disk this computer can open; libxl takes no cache mode. */
  spec.direct_io = vl_bench_store_is_local (host->store) && config->mode != VL_BENCH_MODE_XEN_PV &&
                   config->mode != VL_BENCH_MODE_XEN_HVM && supports_direct_io (scratch);
  spec.profile = plan->profile;
  spec.runs = plan->runs;
  spec.tests = (const char * const *) plan->tests;
  spec.extra_cmdline = extra_cmdline;
  conf = vl_bench_domain_config (&spec);

  say (data, _("%s: starting the guest on %s (%s, %u vCPUs, %u MiB, time budget %u s)"), config->name, config->uri,
       vl_bench_mode_layer (config->mode), plan->vcpus, plan->memory_mib, budget_seconds);
  started = g_get_monotonic_time ();
  /* Transient: it exists while it runs, and nothing is left defined whatever happens. */
  state.domain = gvir_connection_start_domain (conn, conf, 0, &error);
  if (state.domain == NULL)
    {
      report->error = g_strdup_printf (_("the guest could not be started: %s"), error->message);
      goto cleanup;
    }
  handle = vl_libvirt_handle_get (conn, NULL);
  watch = g_new0 (LifecycleWatch, 1);
  watch->name = g_strdup (domain_name);
  state.stopped_event = &watch->stopped;
  watch_id = handle != NULL ? virConnectDomainEventRegisterAny (handle, NULL, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                                VIR_DOMAIN_EVENT_CALLBACK (on_lifecycle), watch,
                                                                lifecycle_watch_free)
                            : -1;
  if (watch_id < 0)
    {
      /* Not registered: libvirt does not own it, nothing will call it. */
      state.stopped_event = NULL;
      lifecycle_watch_free (watch);
    }
  /* Cancel and the time budget both cancel config_cancel; this thread then ends the guest. (Not
   * the main thread: the embedded driver needs its loop free to see QEMU go.) */
  if (cancellable != NULL)
    parent_handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_config), config_cancel, NULL);
  budget = g_timeout_source_new_seconds (budget_seconds);
  g_source_set_callback (budget, budget_over, g_object_ref (config_cancel), g_object_unref);
  g_source_attach (budget, data->context);

  stream = gvir_connection_get_stream (conn, 0);
  if (gvir_domain_open_console (state.domain, stream, NULL, 0, &error))
    follow_console (data, stream, state.domain, config_cancel, config->name, started,
                    &runner_started, tail);
  else
    {
      say (data, _("%s: the console could not be opened (%s); waiting for the guest to stop"), config->name,
           error->message);
      g_clear_error (&error);
    }
  /* The console closes when QEMU ends; libvirt's lifecycle event says the same. Wait for the state. */
  for (int i = 0; !domain_gone_or_off (state.domain); i++)
    {
      if (i > 0 && i % 50 == 0)
        say (data, _("%s: waiting for the guest to stop (%d s)"), config->name, i / 5);
      if (g_cancellable_is_cancelled (config_cancel) && i % 25 == 0)
        {
          g_autoptr(GError) stop_error = NULL;

          if (!gvir_domain_stop (state.domain, 0, &stop_error))
            say (data, _("%s: the guest could not be stopped yet: %s"), config->name, stop_error->message);
        }
      g_usleep (G_USEC_PER_SEC / 5);
    }
  state.timed_out = g_cancellable_is_cancelled (config_cancel)
                    && (cancellable == NULL || !g_cancellable_is_cancelled (cancellable));
  g_source_destroy (budget);
  wait_until_released (data, state.domain, config->name);
  report->seconds_boot = runner_started > 0 ? (runner_started - started) / 1e6 : 0;

  download_started = g_get_monotonic_time ();
  results_data = vl_bench_store_download (host->store, results_name, VL_BENCH_RESULTS_DISK_SIZE, NULL,
                                          &error);
  report->seconds_download = (g_get_monotonic_time () - download_started) / 1e6;
  if (results_data != NULL)
    records = vl_bench_records_parse (g_bytes_get_data (results_data, NULL), g_bytes_get_size (results_data),
                                      &error);
  report->seconds_total = (g_get_monotonic_time () - started) / 1e6;
  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    stopped_reason = g_strdup (_("The run was cancelled before this test ran."));
  else if (state.timed_out)
    stopped_reason = g_strdup_printf (_("The guest did not finish within its time budget of %u s and was stopped "
                                        "before this test ran."), budget_seconds);
  if (records == NULL)
    {
      g_autofree char *console = g_strstrip (g_strdup (tail->str));
      const char *last_line = strrchr (console, '\n');

      report->error = g_strdup_printf ("%s%s%s%s%s", stopped_reason != NULL ? stopped_reason : "",
                                       stopped_reason != NULL ? " " : "", error->message,
                                       console[0] != '\0' ? _("; the console’s last line: ") : "",
                                       console[0] != '\0' ? (last_line != NULL ? last_line + 1 : console) : "");
      goto cleanup;
    }
  report->seconds_tests = tests_seconds (records, &report->figures);
  report->timed_out = state.timed_out;
  vl_bench_add_system (set, records, config->name, vl_bench_mode_layer (config->mode), notes,
                       stopped_reason != NULL ? stopped_reason : _("The guest stopped before this test ran."));
  if (!vl_bench_records_complete (records))
    report->error = g_strdup_printf ("%s %s", stopped_reason != NULL ? stopped_reason
                                                                     : _("The guest stopped before it finished."),
                                     _("What it had measured is kept."));
  say (data, _("%s: %u figures in %.0f s (%.0f s of it inside the tests, %s)"), config->name, report->figures,
       report->seconds_total, report->seconds_tests,
       state.stopped_event != NULL && g_atomic_int_get (state.stopped_event) ? _("libvirt reported the stop")
                                                                              : _("seen stopped"));

cleanup:
  if (parent_handler != 0)
    g_cancellable_disconnect (cancellable, parent_handler);
  /* libvirt frees the watch once no callback can run any more. */
  if (watch_id >= 0)
    virConnectDomainEventDeregisterAny (handle, watch_id);
  if (handle != NULL)
    virConnectClose (handle);
  if (state.domain != NULL)
    {
      if (!domain_gone_or_off (state.domain))
        gvir_domain_stop (state.domain, 0, NULL);
      /* A transient guest is gone once stopped; one left defined (it should not be) goes too. */
      gvir_domain_delete (state.domain, 0, NULL);
      wait_until_released (data, state.domain, config->name);
      g_clear_object (&state.domain);
    }
  g_clear_object (&stream);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) delete_error = NULL;

      if (!vl_bench_store_delete (host->store, i == 0 ? scratch_name : results_name, &delete_error))
        say (data, "%s: %s", config->name, delete_error->message);
    }
  g_free (stopped_reason);
}

/* One store per connection (configurations on the same connection share it), in this job's own
 * folder for local files. A pool that cannot be used fails the job: nothing was made yet. */
static gboolean
open_stores (JobData *data, GError **error)
{
  const VlBenchPlan *plan = data->plan;
  g_autofree char *root = work_root ();
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
      say (data, _("%s: the guest’s disks go to %s"), config->name, vl_bench_store_describe (host->store));
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
          say (data, _("Some disks of the benchmark guests could not be deleted: %s"), problems->str);
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

  if (!check_configs (data, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  image_started = g_get_monotonic_time ();
  if (!ensure_image (data, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  outcome->image_seconds = (g_get_monotonic_time () - image_started) / 1e6;
  outcome->image_dir = g_strdup (data->image_dir);
  say (data, _("Guest image: %s (%.1f s)"), data->image_dir, outcome->image_seconds);

  if (!open_stores (data, &error))
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
      run_config (data, i, set, report, cancellable);
      if (report->error != NULL)
        say (data, _("%s: error: %s"), config->name, report->error);
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
