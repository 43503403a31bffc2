/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One benchmark guest's run: the image uploaded to its host once, its scratch and results disks,
 * the transient guest started, its console followed to the end or the time budget, its results
 * disk read back, and its disks deleted. Run in the job's worker thread. */
/* O_DIRECT */
#define _GNU_SOURCE
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vl-bench-domain.h"
#include "vl-bench-job-private.h"
#include "vl-bench-results.h"
#include "vl-libvirt-handle.h"
#include "vl-result-writer.h"

/* ---- one configuration ------------------------------------------------------------------------- */

typedef struct
{
  GVirDomain *domain;
  gboolean timed_out;
  gint *stopped_event; /* atomic, shared with libvirt's callback: its lifecycle event came */
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
typedef struct
{
  char *name;
  gint stopped;
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
          vl_bench_job_say (data,
                            _("%s: the host still holds the stopped guest after 60 s; deleting its disks "
                               "anyway"),
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

      if (eq != NULL && strncmp (items[i], name, eq - items[i]) == 0 &&
          strlen (name) == (gsize) (eq - items[i]))
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

/* For diagnosis: with VL_BENCH_CONSOLE_LOG=DIR every line of a guest's console goes to
 * DIR/NAME.console, after the seconds since the guest was started (control bytes escaped). */
static FILE *
console_log_open (const char *name)
{
  const char *dir = g_getenv ("VL_BENCH_CONSOLE_LOG");
  g_autofree char *file = NULL, *path = NULL;

  if (dir == NULL || *dir == '\0')
    return NULL;
  file = g_strdup_printf ("%s.console", name);
  path = g_build_filename (dir, file, NULL);
  return g_fopen (path, "w");
}

/* The console's bytes, split into lines: the runner's are passed on, the rest kept for errors. */
static void
console_bytes (JobData *data, const char *buf, gssize n, GString *line, GString *tail, const char *name,
               gint64 started, gint64 *runner_started, FILE *log)
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
      if (log != NULL)
        {
          g_autofree char *escaped = g_strescape (line->str, NULL);

          fprintf (log, "[%8.1f] %s\n", (g_get_monotonic_time () - started) / 1e6, escaped);
          fflush (log);
        }
      if (vl_bench_console_progress (line->str) != NULL)
        {
          g_autofree char *valid = g_utf8_make_valid (vl_bench_console_progress (line->str), -1);

          if (*runner_started == 0 && g_str_has_prefix (valid, "start "))
            *runner_started = g_get_monotonic_time ();
          vl_bench_job_say (data, "%s: %s (%.0f s)", name, valid, (g_get_monotonic_time () - started) / 1e6);
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
  FILE *log = console_log_open (name);

  for (guint idle = 0;;)
    {
      n = gvir_stream_receive (stream, buf, sizeof buf, NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_clear_error (&error);
          if (g_cancellable_is_cancelled (stop) || (++idle % 10 == 0 && domain_gone_or_off (domain)))
            break;
          g_usleep (G_USEC_PER_SEC / 10);
          continue;
        }
      if (n <= 0)
        break;
      idle = 0;
      console_bytes (data, buf, n, line, tail, name, started, runner_started, log);
    }
  if (log != NULL)
    {
      g_autofree char *escaped = g_strescape (line->str, NULL);

      if (line->len > 0)
        fprintf (log, "[%8.1f] %s (no newline at the end)\n", (g_get_monotonic_time () - started) / 1e6,
                 escaped);
      fclose (log);
    }
  if (n < 0 && error != NULL)
    vl_bench_job_say (data, _("%s: the console stopped: %s"), name, error->message);
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
        g_autofree char *seconds = g_strdup_printf ("run.%s.%u.seconds",
                                                    (char *) g_ptr_array_index (tests, i), r);
        g_autofree char *value = g_strdup_printf ("run.%s.%u.value", (char *) g_ptr_array_index (tests, i),
                                                  r);
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
            ? g_strdup_printf ("Host: %s (%s, %u CPUs, %" G_GUINT64_FORMAT
                               " MB), connection %s, by Virtlab %s",
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
    vl_bench_job_say (data, _("%s: uploading the guest image to %s on %s…"), config->name,
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
      vl_bench_job_say (data, _("%s: the guest image (%s) was uploaded in %.1f s (%.1f MB/s)"), config->name,
                        size, report->seconds_upload,
                        report->seconds_upload > 0 ? bytes / 1e6 / report->seconds_upload : 0);
    }
  return TRUE;
}

void
vl_bench_job_run_config (JobData *data, guint index, VlResultSet *set, VlBenchReport *report,
                         GCancellable *cancellable)
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
  spec.tests = (const char *const *) plan->tests;
  spec.extra_cmdline = extra_cmdline;
  conf = vl_bench_domain_config (&spec);

  vl_bench_job_say (data, _("%s: starting the guest on %s (%s, %u vCPUs, %u MiB, time budget %u s)"),
                    config->name, config->uri, vl_bench_mode_layer (config->mode), plan->vcpus,
                    plan->memory_mib, budget_seconds);
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
                                                                VIR_DOMAIN_EVENT_CALLBACK (on_lifecycle),
                                                                watch, lifecycle_watch_free)
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
    follow_console (data, stream, state.domain, config_cancel, config->name, started, &runner_started, tail);
  else
    {
      vl_bench_job_say (data, _("%s: the console could not be opened (%s); waiting for the guest to stop"),
                        config->name, error->message);
      g_clear_error (&error);
    }
  /* The console closes when QEMU ends; libvirt's lifecycle event says the same. Wait for the state. */
  for (int i = 0; !domain_gone_or_off (state.domain); i++)
    {
      if (i > 0 && i % 50 == 0)
        vl_bench_job_say (data, _("%s: waiting for the guest to stop (%d s)"), config->name, i / 5);
      if (g_cancellable_is_cancelled (config_cancel) && i % 25 == 0)
        {
          g_autoptr(GError) stop_error = NULL;

          if (!gvir_domain_stop (state.domain, 0, &stop_error))
            vl_bench_job_say (data, _("%s: the guest could not be stopped yet: %s"), config->name,
                              stop_error->message);
        }
      g_usleep (G_USEC_PER_SEC / 5);
    }
  state.timed_out = g_cancellable_is_cancelled (config_cancel) &&
                    (cancellable == NULL || !g_cancellable_is_cancelled (cancellable));
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
    stopped_reason = g_strdup_printf (_("The guest did not finish within its time budget of %u s and was "
                                         "stopped "
                                         "before this test ran."),
                                      budget_seconds);
  if (records == NULL)
    {
      g_autofree char *console = g_strstrip (g_strdup (tail->str));
      const char *last_line = strrchr (console, '\n');

      report->error = g_strdup_printf ("%s%s%s%s%s", stopped_reason != NULL ? stopped_reason : "",
                                       stopped_reason != NULL ? " " : "", error->message,
                                       console[0] != '\0' ? _("; the console’s last line: ") : "",
                                       console[0] != '\0' ? (last_line != NULL ? last_line + 1 : console)
                                                          : "");
      goto cleanup;
    }
  report->seconds_tests = tests_seconds (records, &report->figures);
  report->timed_out = state.timed_out;
  vl_bench_add_system (set, records, config->name, vl_bench_mode_layer (config->mode), notes,
                       stopped_reason != NULL ? stopped_reason
                                              : _("The guest stopped before this test ran."));
  if (!vl_bench_records_complete (records))
    report->error = g_strdup_printf ("%s %s",
                                     stopped_reason != NULL ? stopped_reason
                                                            : _("The guest stopped before it finished."),
                                     _("What it had measured is kept."));
  vl_bench_job_say (data, _("%s: %u figures in %.0f s (%.0f s of it inside the tests, %s)"), config->name,
                    report->figures, report->seconds_total, report->seconds_tests,
                    state.stopped_event != NULL && g_atomic_int_get (state.stopped_event)
                      ? _("libvirt reported the stop")
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
        vl_bench_job_say (data, "%s: %s", config->name, delete_error->message);
    }
  g_free (stopped_reason);
}
