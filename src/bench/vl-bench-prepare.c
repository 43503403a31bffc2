/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Run Benchmarks assistant's GTK-free part: hosts probed in a thread, the checks before a run,
 * the estimated time and the job's progress read back. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vl-bench-job.h"
#include "vl-bench-image-status.h"
#include "vl-bench-prepare.h"
#include "vl-bench-results.h"
#include "vl-disk-space.h"
#include "vl-kvm-access.h"
#include "vl-error.h"
#include "vl-libvirt-handle.h"

void
vl_bench_host_free (VlBenchHost *host)
{
  g_free (host->uri);
  g_free (host->hostname);
  g_free (host->kvm_unusable);
  g_free (host->pool_name);
  g_free (host);
}

void
vl_bench_host_read_modes (VlBenchHost *host, const char *caps_xml, const char *device, const char *root)
{
  for (int mode = 0; mode < VL_BENCH_N_MODES; mode++)
    host->modes[mode] = vl_bench_mode_supported (mode, caps_xml, NULL);
  g_clear_pointer (&host->kvm_unusable, g_free);
  if (host->modes[VL_BENCH_MODE_KVM_HVM])
    host->kvm_unusable = vl_kvm_access_unusable (host->uri, caps_xml, device, root);
}

gboolean
vl_bench_host_mode_default (const VlBenchHost *host, VlBenchMode mode)
{
  if (host == NULL || mode >= VL_BENCH_N_MODES || !host->modes[mode])
    return FALSE;
  return !(mode == VL_BENCH_MODE_KVM_HVM && host->kvm_unusable != NULL &&
           host->modes[VL_BENCH_MODE_QEMU_TCG]);
}

/* ---- a host, in a worker thread ------------------------------------------------------------------ */

/* The folder may not exist yet: its nearest existing parent is on the same file system. */
static guint64
free_disk_of (const char *path)
{
  guint64 bytes;

  return vl_disk_space_free_for (path, &bytes) ? bytes : 0;
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
  vl_bench_host_read_modes (host, caps_xml, "/dev/kvm", "/");
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
  /* A pool that cannot be read is not refused here: the job says so before it creates anything. */
  vl_bench_pool_room (conn, host->uri, NULL, &host->pool_name, &host->pool_available, NULL);
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

/* ---- a host's storage pool ---------------------------------------------------------------------- */

gboolean
vl_bench_pool_room (GVirConnection *conn, const char *uri, const char *pool_name, char **name,
                    guint64 *available, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GVirStoragePool) pool = NULL;
  GVirStoragePoolInfo *info;

  *name = NULL;
  *available = 0;
  if (!gvir_connection_fetch_storage_pools (conn, NULL, &local))
    {
      /* The embedded driver has no pools: its disks are local files (their folder is checked). */
      if (pool_name == NULL)
        return TRUE;
      g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("The storage pool “%s” does not exist on %s"),
                   pool_name, uri);
      return FALSE;
    }
  pool = gvir_connection_find_storage_pool_by_name (conn, pool_name != NULL ? pool_name : "default");
  info = pool != NULL ? gvir_storage_pool_get_info (pool, NULL) : NULL;
  if (info == NULL || info->state != GVIR_STORAGE_POOL_STATE_RUNNING)
    {
      if (info != NULL)
        g_boxed_free (GVIR_TYPE_STORAGE_POOL_INFO, info);
      /* No active "default": the job makes a transient pool of its own. */
      if (pool_name == NULL)
        return TRUE;
      g_set_error (error, VL_ERROR, pool == NULL ? VL_ERROR_NOT_FOUND : VL_ERROR_INVALID_INPUT,
                   pool == NULL ? _("The storage pool “%s” does not exist on %s")
                                : _("The storage pool “%s” on %s is not active: start it first"),
                   pool_name, uri);
      return FALSE;
    }
  g_boxed_free (GVIR_TYPE_STORAGE_POOL_INFO, info);
  /* What other programs wrote into its folder since libvirt last looked counts too. */
  gvir_storage_pool_refresh (pool, NULL, NULL);
  info = gvir_storage_pool_get_info (pool, NULL);
  if (info == NULL)
    return TRUE;
  *name = g_strdup (gvir_storage_pool_get_name (pool));
  *available = info->available;
  g_boxed_free (GVIR_TYPE_STORAGE_POOL_INFO, info);
  return TRUE;
}

gboolean
vl_bench_pool_check (const char *uri, const char *pool, guint64 available, const VlBenchPlan *plan,
                     guint64 image_bytes, GError **error)
{
  guint64 scratch = (guint64) plan->scratch_mib << 20;
  guint64 need = scratch + (guint64) VL_BENCH_RESULTS_DISK_SIZE + image_bytes;
  g_autofree char *have = NULL, *want = NULL, *scratch_text = NULL, *results_text = NULL, *image_text = NULL;

  if (available >= need)
    return TRUE;
  have = g_format_size (available);
  want = g_format_size (need);
  scratch_text = g_format_size (scratch);
  results_text = g_format_size ((guint64) VL_BENCH_RESULTS_DISK_SIZE);
  image_text = g_format_size (image_bytes);
  g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
               _("The storage pool “%s” of %s has %s free, and the benchmark guest’s volumes need %s: a "
                  "scratch disk of %s, a results disk of %s and the guest image of %s. Choose a smaller "
                  "scratch disk or make room in the pool."),
               pool, uri, have, want, scratch_text, results_text, image_text);
  return FALSE;
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
  /* The disks go to a storage pool: its room counts, with the image uploaded there. */
  if (host->pool_name != NULL)
    return vl_bench_pool_check (host->uri, host->pool_name, host->pool_available, plan,
                                VL_BENCH_IMAGE_BYTES_ESTIMATE, error);
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

char *
vl_bench_image_missing_message (const char *reason, const char *script)
{
  g_autofree char *text = g_strdup (reason != NULL && reason[0] != '\0' ? reason : "");

  /* The script's own words after its prefixes: "vl-bench-image: cannot build the benchmark image: …". */
  for (guint i = 0; i < 2; i++)
    {
      static const char *const prefixes[] = { "vl-bench-image: ", "cannot build the benchmark image: " };

      if (g_str_has_prefix (text, prefixes[i]))
        memmove (text, text + strlen (prefixes[i]), strlen (text) - strlen (prefixes[i]) + 1);
    }
  return g_strdup_printf (_("The benchmark guest image is not built yet and cannot be built here (%s). "
                             "Build it "
                             "once as root, as the privileged helper’s bench-image step does: “sudo bash %s "
                             "--cache %s” (needs mmdebstrap); Virtlab then uses that image."),
                          text[0] != '\0' ? text : _("the script ended without saying why"), script,
                          VL_BENCH_IMAGE_SHARED_CACHE);
}

/* The look-up is core's (vl-bench-image-status, which the Host page shows too); a missing image that
 * cannot be built is an error here, with how to get one. */
static void
image_status_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(VlBenchImageStatus) status = NULL;
  GError *error = NULL;

  status = vl_bench_image_status_finish (result, &error);
  if (status == NULL)
    g_task_return_error (task, error);
  else if (status->state == VL_BENCH_IMAGE_UNBUILDABLE)
    {
      g_autofree char *script = vl_bench_image_script_path ();
      g_autofree char *message = vl_bench_image_missing_message (status->reason, script);

      g_task_return_new_error (task, VL_ERROR, VL_ERROR_UNSUPPORTED, "%s", message);
    }
  else
    g_task_return_int (task, vl_bench_image_status_is_ready (status) ? 1 : 0);
}

void
vl_bench_image_check_async (GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, vl_bench_image_check_async);
  vl_bench_image_status_async (NULL, cancellable, image_status_done, task);
}

gboolean
vl_bench_image_check_finish (GAsyncResult *result, gboolean *cached, GError **error)
{
  gssize value = g_task_propagate_int (G_TASK (result), error);

  if (cached != NULL)
    *cached = value == 1;
  return value >= 0;
}

char *
vl_bench_image_own_cache (const char *image_dir)
{
  g_autofree char *own = g_build_filename (g_get_user_cache_dir (), "virtlab", "bench-image", NULL);
  g_autofree char *parent = g_path_get_dirname (image_dir);
  g_autofree char *own_real = realpath (own, NULL);
  g_autofree char *parent_real = realpath (parent, NULL);

  if (own_real == NULL || parent_real == NULL || !g_str_equal (own_real, parent_real))
    return NULL;
  return g_steal_pointer (&parent);
}

/* ---- the estimate -------------------------------------------------------------------------------- */

/* Seconds of one run of each test under software emulation (TCG, 2 vCPUs), from the profiles'
 * sizes in runner.sh (quick: 5 s of sysbench CPU, 3 s per memory test, 64 MiB files…; study: 60 s,
 * 30 s, 4 GiB…) plus each tool's start. A quick run of all tests took ~125 s per configuration with
 * 2 runs on the quiet 2-core test machine: ~30 s of boot, facts and stop, ~48 s per run. (On the
 * same machine under load the boot alone took 60-90 s: while running, the assistant corrects the
 * estimate with the configurations already done, vl_bench_estimate_running.) The kernel build: its
 * quick part (kernel/printk/) took 34.1 s under TCG at load 1.9, 41 s with its untimed copy of the
 * prepared tree (bench-kernel); on a host at load 7 it can take several times that; the whole kernel (study)
 * not measured under TCG, where it takes hours: an hour is about a defconfig vmlinux with 2 vCPUs
 * under KVM or Xen on this kind of machine. */
static const struct
{
  const char *id;
  guint quick, study;
} test_seconds[] = {
  { "kernel_build", 45, 3600 }, { "sysbench_cpu", 6, 61 },   { "ffmpeg", 5, 62 },
  { "wavpack", 4, 60 },         { "mem_cache_read", 4, 31 }, { "mem_cache_write", 4, 31 },
  { "mbw_memcpy", 2, 20 },      { "mem_ram_read", 4, 31 },   { "mem_ram_write", 4, 31 },
  { "dbench", 8, 122 },         { "fio_seq_write", 2, 150 }, { "fio_seq_read", 2, 100 },
  { "fio_rand_read", 3, 61 },
};
#define GUEST_OVERHEAD_SECONDS 30
#define IMAGE_BUILD_SECONDS    340 /* cold, with the kernel tree: 341 s at load 6 (280 s before it) */

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

/* The titles the runner gives its tests (its "define" lines, checked by test-bench-prepare): the
 * results show these, so the progress does too, untranslated like them. */
static const struct
{
  const char *id;
  const char *title;
} test_titles[] = {
  { "kernel_build", "Linux kernel build" },
  { "sysbench_cpu", "sysbench CPU" },
  { "ffmpeg", "FFmpeg transcode" },
  { "wavpack", "WavPack audio encoding" },
  { "mem_cache_read", "sysbench memory 16 KiB read" },
  { "mem_cache_write", "sysbench memory 16 KiB write" },
  { "mbw_memcpy", "mbw memcpy" },
  { "mem_ram_read", "sysbench memory 1 MiB read" },
  { "mem_ram_write", "sysbench memory 1 MiB write" },
  { "dbench", "dbench" },
  { "fio_seq_write", "fio sequential write" },
  { "fio_seq_read", "fio sequential read" },
  { "fio_rand_read", "fio random read, 32 threads" },
};

const char *
vl_bench_test_title (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (test_titles); i++)
    if (g_str_equal (test_titles[i].id, id))
      return test_titles[i].title;
  return id;
}

void
vl_bench_progress_clear (VlBenchProgress *progress)
{
  g_clear_pointer (&progress->test, g_free);
  progress->run = progress->runs = 0;
}

const char *
vl_bench_image_step_title (const VlBenchProgress *progress)
{
  if (progress->image_steps == 2 && progress->image_step == 1)
    return _("Debian’s packages are installed into a new root (a few minutes, once)");
  return _("Virtlab’s runner is written into a copy of the root");
}

/* The image script's own lines (data/bench/vl-bench-image.sh, not translated): its build's steps. */
static gboolean
image_line (VlBenchProgress *progress, const char *text)
{
  guint step = 0, steps = 0;

  if (g_str_has_prefix (text, "building the base "))
    step = 1, steps = 2;
  else if (g_str_has_prefix (text, "base built "))
    step = 2, steps = 2;
  else if (g_str_has_prefix (text, "base cached: "))
    step = 1, steps = 1;
  else if (!g_str_has_prefix (text, "cached: ") && !g_str_has_prefix (text, "runner written "))
    return FALSE;
  if (progress->image_step == step && progress->image_steps == steps)
    return FALSE;
  progress->image_step = step;
  progress->image_steps = steps;
  return TRUE;
}

gboolean
vl_bench_progress_read (VlBenchProgress *progress, const char *line, const char *const *names)
{
  int found = -1;
  gsize found_len = 0;
  const char *rest;
  char test[64];
  guint run, runs;

  if (g_str_has_prefix (line, "vl-bench-image: "))
    return image_line (progress, line + strlen ("vl-bench-image: "));

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

/* ---- old copies of the image --------------------------------------------------------------------- */

typedef struct
{
  char *name;
  char *base_key;
  gint64 time;
} CachedImage;

static void
cached_image_free (CachedImage *image)
{
  g_free (image->name);
  g_free (image->base_key);
  g_free (image);
}

static gboolean
is_key (const char *text)
{
  if (strlen (text) != 16)
    return FALSE;
  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isdigit (*c) && !(*c >= 'a' && *c <= 'f'))
      return FALSE;
  return TRUE;
}

/* The manifest's time and its base_key; FALSE when the folder holds no whole image. */
static gboolean
read_manifest (const char *dir, gint64 *time, char **base_key)
{
  g_autofree char *path = g_build_filename (dir, "manifest", NULL);
  g_autofree char *contents = NULL;
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  *time = st.st_mtime;
  if (base_key != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

      *base_key = NULL;
      for (guint i = 0; lines[i] != NULL && *base_key == NULL; i++)
        if (g_str_has_prefix (lines[i], "base_key="))
          *base_key = g_strdup (lines[i] + strlen ("base_key="));
    }
  return TRUE;
}

/* Removes DIR and the files in it; a folder with a folder inside is not one of ours: left alone. */
static gboolean
remove_image_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (handle == NULL)
    return FALSE;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      char *path = g_build_filename (dir, name, NULL);

      g_ptr_array_add (files, path);
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        return FALSE;
    }
  /* The manifest first: without it the folder no longer counts as a whole image. */
  for (guint i = 0; i < files->len; i++)
    if (g_str_has_suffix (g_ptr_array_index (files, i), G_DIR_SEPARATOR_S "manifest"))
      g_unlink (g_ptr_array_index (files, i));
  for (guint i = 0; i < files->len; i++)
    g_unlink (g_ptr_array_index (files, i));
  return g_rmdir (dir) == 0;
}

static int
newest_first (gconstpointer a, gconstpointer b)
{
  const CachedImage *x = *(CachedImage **) a, *y = *(CachedImage **) b;

  return x->time < y->time ? 1 : x->time > y->time ? -1 : g_strcmp0 (x->name, y->name);
}

guint
vl_bench_image_prune (const char *cache_root, const char *keep, guint n)
{
  g_autoptr(GDir) dir = g_dir_open (cache_root, 0, NULL);
  g_autoptr(GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) cached_image_free);
  g_autoptr(GPtrArray) bases = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *keep_name = keep != NULL ? g_path_get_basename (keep) : NULL;
  const char *name;
  gint64 newest_kept = 0;
  guint others = 0, removed = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (cache_root, name, NULL);
      CachedImage *image = g_new0 (CachedImage, 1);

      if (is_key (name) && read_manifest (path, &image->time, &image->base_key))
        {
          image->name = g_strdup (name);
          g_ptr_array_add (images, image);
          continue;
        }
      cached_image_free (image);
      if (g_str_has_prefix (name, "base-") && is_key (name + strlen ("base-")))
        g_ptr_array_add (bases, g_strdup (name));
    }
  g_ptr_array_sort (images, newest_first);
  for (guint i = 0; i < images->len; i++)
    {
      CachedImage *image = g_ptr_array_index (images, i);
      gboolean in_use = g_strcmp0 (image->name, keep_name) == 0;
      gboolean kept = in_use || others < n;
      g_autofree char *path = g_build_filename (cache_root, image->name, NULL);

      if (kept && !in_use)
        others++;
      if (kept)
        {
          newest_kept = MAX (newest_kept, image->time);
          if (image->base_key != NULL)
            g_hash_table_add (used, image->base_key);
        }
      else if (remove_image_dir (path))
        removed++;
    }
  /* A base no kept image was made from, and older than them (not one whose image is being made). */
  for (guint i = 0; i < bases->len; i++)
    {
      const char *base = g_ptr_array_index (bases, i);
      g_autofree char *path = g_build_filename (cache_root, base, NULL);
      gint64 time;

      if (!g_hash_table_contains (used, base + strlen ("base-")) && read_manifest (path, &time, NULL) &&
          time <= newest_kept && remove_image_dir (path))
        removed++;
    }
  return removed;
}
