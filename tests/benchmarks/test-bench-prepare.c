/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of what the Run Benchmarks assistant checks and shows without GTK: the estimate, names,
 * a host's resources against a plan, the job's progress lines read back, and a real host probed
 * through libvirt's test driver. */
#include "config.h"

#include <string.h>
#include <time.h>
#include <utime.h>
#include <glib/gstdio.h>
#include <libvirt-gobject/libvirt-gobject.h>

#include "vl-bench-prepare.h"
#include "vl-error.h"

static void
test_estimate (void)
{
  const char *const cpu_only[] = { "sysbench_cpu", NULL };
  const char *const kernel_only[] = { "kernel_build", NULL };
  guint quick = vl_bench_estimate_seconds (VL_BENCH_PROFILE_QUICK, 2, NULL, 1, TRUE);
  guint kernel = vl_bench_estimate_seconds (VL_BENCH_PROFILE_QUICK, 1, kernel_only, 1, TRUE) - 30;

  /* The quick profile took ~125 s per configuration with 2 runs on this machine before the kernel
   * build, whose quick part took 41 s a run under TCG with 2 vCPUs (34 s of it timed). */
  g_assert_cmpuint (kernel, >=, 30);
  g_assert_cmpuint (kernel, <=, 90);
  g_assert_cmpuint (quick, >=, 100 + 2 * kernel);
  g_assert_cmpuint (quick, <=, 150 + 2 * kernel);
  g_assert_cmpuint (vl_bench_estimate_seconds (VL_BENCH_PROFILE_QUICK, 2, NULL, 2, TRUE), ==, 2 * quick);
  g_assert_cmpuint (vl_bench_estimate_seconds (VL_BENCH_PROFILE_QUICK, 4, NULL, 1, TRUE), >, quick);
  g_assert_cmpuint (vl_bench_estimate_seconds (VL_BENCH_PROFILE_QUICK, 2, cpu_only, 1, TRUE), <, quick / 2);
  g_assert_cmpuint (vl_bench_estimate_seconds (VL_BENCH_PROFILE_QUICK, 2, NULL, 1, FALSE), >, quick + 60);
  /* The study's sizes (60 s of CPU, 4 GiB files, the whole kernel…) take many times longer. */
  g_assert_cmpuint (vl_bench_estimate_seconds (VL_BENCH_PROFILE_STUDY, 2, NULL, 1, TRUE), >, 5 * quick);
  g_assert_cmpuint (vl_bench_estimate_seconds (VL_BENCH_PROFILE_STUDY, 1, kernel_only, 1, TRUE), >,
                    20 * kernel);
}

static void
test_estimate_running (void)
{
  /* Before any configuration has finished: the profile's estimate, or the time spent if longer. */
  g_assert_cmpuint (vl_bench_estimate_running (130, 5, 60, 0, 2), ==, 130);
  g_assert_cmpuint (vl_bench_estimate_running (130, 5, 170, 0, 2), ==, 170);
  /* The first of 2 took 100 s from its start at 5 s: the second will take as long. */
  g_assert_cmpuint (vl_bench_estimate_running (130, 5, 105, 1, 2), ==, 205);
  /* 3 of 4 done in 300 s after an image of 200 s. */
  g_assert_cmpuint (vl_bench_estimate_running (130, 200, 500, 3, 4), ==, 600);
}

static void
test_names (void)
{
  const char *const good[] = { "Xen-PV", "KVM-HVM", "虛擬機器", NULL };
  const char *const same[] = { "KVM-HVM", "QEMU", " KVM-HVM ", NULL };
  const char *const empty[] = { "KVM-HVM", "  ", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (vl_bench_names_check (good, &error));
  g_assert_no_error (error);
  g_assert_false (vl_bench_names_check (same, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "“KVM-HVM”"));
  g_clear_error (&error);
  g_assert_false (vl_bench_names_check (empty, &error));
  g_assert_nonnull (strstr (error->message, "2"));
}

static void
test_host_check (void)
{
  g_autoptr(VlBenchPlan) plan = vl_bench_plan_new ();
  VlBenchHost host = { .uri = (char *) "qemu:///embed?root=/tmp/x",
                       .cpus = 2,
                       .memory_kib = 4 << 20,
                       .free_memory_kib = 2 << 20,
                       .free_disk_bytes = (guint64) 10 << 30 };
  g_autoptr(GError) error = NULL;

  plan->vcpus = 2;
  plan->memory_mib = 1024;
  plan->scratch_mib = 512;
  g_assert_true (vl_bench_host_check (&host, plan, &error));
  g_assert_no_error (error);

  plan->memory_mib = 4096;
  g_assert_false (vl_bench_host_check (&host, plan, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, host.uri));
  g_assert_nonnull (strstr (error->message, "4096 MiB"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  plan->memory_mib = 1024;
  plan->vcpus = 8;
  g_assert_false (vl_bench_host_check (&host, plan, &error));
  g_assert_nonnull (strstr (error->message, host.uri));
  g_clear_error (&error);

  plan->vcpus = 1;
  plan->scratch_mib = 20 * 1024;
  g_assert_false (vl_bench_host_check (&host, plan, &error));
  g_assert_nonnull (strstr (error->message, host.uri));
  g_assert_nonnull (strstr (error->message, "20480 MiB"));
  g_clear_error (&error);

  /* Unknown figures (0) refuse nothing. */
  host.free_memory_kib = host.free_disk_bytes = 0;
  plan->scratch_mib = 512;
  g_assert_true (vl_bench_host_check (&host, plan, NULL));
}

static void
test_progress (void)
{
  const char *const names[] = { "TCG", "TCG-B", NULL };
  VlBenchProgress progress = { .config = -1 };

  g_assert_false (vl_bench_progress_read (&progress, "vl-bench-image: cached: /x", names));
  g_assert_cmpint (progress.config, ==, -1);
  g_assert_cmpuint (progress.image_steps, ==, 0);
  /* A cold cache: the image script's steps are the run's first phase. */
  g_assert_true (vl_bench_progress_read (&progress,
                                         "vl-bench-image: building the base /c/base-1 (root mode, "
                                         "mirror http://deb.debian.org/debian)",
                                         names));
  g_assert_cmpuint (progress.image_step, ==, 1);
  g_assert_cmpuint (progress.image_steps, ==, 2);
  g_assert_nonnull (strstr (vl_bench_image_step_title (&progress), "Debian"));
  g_assert_false (vl_bench_progress_read (&progress, "I: running apt-get update...", names));
  g_assert_true (vl_bench_progress_read (&progress, "vl-bench-image: base built in 203 s: /c/base-1", names));
  g_assert_cmpuint (progress.image_step, ==, 2);
  g_assert_nonnull (strstr (vl_bench_image_step_title (&progress), "runner"));
  g_assert_true (vl_bench_progress_read (&progress, "vl-bench-image: runner written into /c/2", names));
  g_assert_cmpuint (progress.image_steps, ==, 0);
  /* Only the runner is new: one step. */
  g_assert_true (vl_bench_progress_read (&progress, "vl-bench-image: base cached: /c/base-1", names));
  g_assert_cmpuint (progress.image_step, ==, 1);
  g_assert_cmpuint (progress.image_steps, ==, 1);
  g_assert_true (vl_bench_progress_read (&progress, "vl-bench-image: runner written into /c/3", names));
  g_assert_cmpint (progress.config, ==, -1);
  g_assert_true (vl_bench_progress_read (&progress, "TCG: starting the guest on qemu:///embed", names));
  g_assert_cmpint (progress.config, ==, 0);
  g_assert_null (progress.test);
  g_assert_false (vl_bench_progress_read (&progress, "TCG: start profile=quick runs=2 (14 s)", names));
  g_assert_true (vl_bench_progress_read (&progress, "TCG: run sysbench_cpu 2/3 (20 s)", names));
  g_assert_cmpstr (progress.test, ==, "sysbench_cpu");
  g_assert_cmpuint (progress.run, ==, 2);
  g_assert_cmpuint (progress.runs, ==, 3);
  /* The longer name wins: "TCG-B: …" is the second configuration, not the first's "-B: …". */
  g_assert_true (vl_bench_progress_read (&progress, "TCG-B: run fio_seq_read 1/1 (9 s)", names));
  g_assert_cmpint (progress.config, ==, 1);
  g_assert_cmpstr (progress.test, ==, "fio_seq_read");
  g_assert_true (vl_bench_progress_read (&progress, "TCG: error: cancelled", names));
  g_assert_cmpint (progress.config, ==, 0);
  g_assert_null (progress.test);
  vl_bench_progress_clear (&progress);
}

static void
make_cached (const char *root, const char *name, const char *base_key, time_t when)
{
  g_autofree char *dir = g_build_filename (root, name, NULL);
  g_autofree char *manifest = g_build_filename (dir, "manifest", NULL);
  g_autofree char *disk = g_build_filename (dir, "root.ext4", NULL);
  g_autofree char *text = base_key != NULL ? g_strdup_printf ("base_key=%s\nkey=%s\n", base_key, name)
                                           : g_strdup ("built=now\n");
  struct utimbuf times = { when, when };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (disk, "x", 1, NULL));
  g_assert_true (g_file_set_contents (manifest, text, -1, NULL));
  g_assert_cmpint (utime (manifest, &times), ==, 0);
}

static gboolean
cached (const char *root, const char *name)
{
  g_autofree char *dir = g_build_filename (root, name, NULL);

  return g_file_test (dir, G_FILE_TEST_IS_DIR);
}

static void
test_image_prune (void)
{
  g_autofree char *root = g_dir_make_tmp ("vl-bench-cache-XXXXXX", NULL);
  g_autofree char *in_use = g_build_filename (root, "00000000000000aa", NULL);
  g_autofree char *building = g_build_filename (root, "build.Xy12", NULL);
  time_t now = time (NULL);

  /* Four images from two bases; the oldest is the one in use. A base nothing kept was made from
   * goes; a folder being built and anything else stay. */
  make_cached (root, "base-1111111111111111", NULL, now - 500);
  make_cached (root, "base-2222222222222222", NULL, now - 400);
  make_cached (root, "00000000000000aa", "1111111111111111", now - 300);
  make_cached (root, "00000000000000bb", "2222222222222222", now - 200);
  make_cached (root, "00000000000000cc", "2222222222222222", now - 100);
  make_cached (root, "00000000000000dd", "1111111111111111", now);
  g_assert_cmpint (g_mkdir (building, 0700), ==, 0);

  g_assert_cmpuint (vl_bench_image_prune (root, in_use, 1), ==, 3);
  g_assert_true (cached (root, "00000000000000aa")); /* in use */
  g_assert_true (cached (root, "00000000000000dd")); /* the newest */
  g_assert_false (cached (root, "00000000000000bb"));
  g_assert_false (cached (root, "00000000000000cc"));
  g_assert_true (cached (root, "base-1111111111111111"));
  g_assert_false (cached (root, "base-2222222222222222"));
  g_assert_true (cached (root, "build.Xy12"));

  /* Nothing more to remove; a missing cache is no error. */
  g_assert_cmpuint (vl_bench_image_prune (root, in_use, 1), ==, 0);
  g_assert_cmpuint (vl_bench_image_prune ("/nonexistent/virtlab", NULL, 1), ==, 0);

  {
    const char *argv[] = { "rm", "-rf", root, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
}

static void
probe_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VlBenchHost **host = user_data;
  g_autoptr(GError) error = NULL;

  *host = vl_bench_host_probe_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_probe (void)
{
  g_autoptr(GVirConnection) conn = gvir_connection_new ("test:///default");
  g_autoptr(GError) error = NULL;
  VlBenchHost *host = NULL;

  g_assert_true (gvir_connection_open (conn, NULL, &error));
  vl_bench_host_probe_async (conn, "test:///default", NULL, probe_done, &host);
  while (host == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (host->uri, ==, "test:///default");
  /* The test driver's host: 16 CPUs, 8 GiB; it runs no real guest, so it offers none of the modes. */
  g_assert_cmpuint (host->cpus, ==, 16);
  g_assert_cmpuint (host->memory_kib, >, 0);
  g_assert_false (host->modes[VL_BENCH_MODE_KVM_HVM]);
  g_assert_false (host->modes[VL_BENCH_MODE_XEN_PV]);
  g_assert_cmpuint (host->free_disk_bytes, >, 0);
  vl_bench_host_free (host);
  gvir_connection_close (conn);
}

/* Fills pool POOL of CONN with a volume of SIZE bytes (the test driver counts its allocation). */
static void
fill_pool (GVirConnection *conn, const char *pool_name, guint64 size)
{
  g_autoptr(GVirStoragePool) pool = NULL;
  g_autoptr(GVirConfigStorageVol) conf = gvir_config_storage_vol_new ();
  g_autoptr(GVirStorageVol) vol = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gvir_connection_fetch_storage_pools (conn, NULL, &error));
  pool = gvir_connection_find_storage_pool_by_name (conn, pool_name);
  g_assert_nonnull (pool);
  g_assert_true (gvir_storage_pool_refresh (pool, NULL, &error));
  gvir_config_storage_vol_set_name (conf, "someone-elses.img");
  gvir_config_storage_vol_set_capacity (conf, size);
  gvir_config_storage_vol_set_allocation (conf, size);
  vol = gvir_storage_pool_create_volume (pool, conf, &error);
  g_assert_no_error (error);
}

/* The pool the disks go to is read through libvirt (the test driver's pools: 100 GiB each): its
 * available bytes against the scratch and results disks and the image; a pool that is missing is
 * named; a host whose "default" pool is nearly full is refused naming the pool and the sizes. */
static void
test_pool_room (void)
{
  g_autoptr(GVirConnection) conn = gvir_connection_new ("test:///default");
  g_autoptr(VlBenchPlan) plan = vl_bench_plan_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL, *dir = NULL, *file = NULL, *uri = NULL;
  guint64 available = 0;
  VlBenchHost *host = NULL;
  g_autoptr(GVirConnection) custom = NULL;

  g_assert_true (gvir_connection_open (conn, NULL, &error));
  g_assert_true (vl_bench_pool_room (conn, "test:///default", "default-pool", &name, &available, &error));
  g_assert_cmpstr (name, ==, "default-pool");
  g_assert_cmpuint (available, >, (guint64) 50 << 30);
  g_clear_pointer (&name, g_free);
  /* No pool named: "default", and test:///default has none; the job makes its own. */
  g_assert_true (vl_bench_pool_room (conn, "test:///default", NULL, &name, &available, &error));
  g_assert_null (name);
  g_assert_false (vl_bench_pool_room (conn, "test:///default", "nosuch", &name, &available, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“nosuch”"));
  g_clear_error (&error);

  plan->scratch_mib = 1024;
  g_assert_true (vl_bench_pool_check ("test:///default", "default-pool", (guint64) 4 << 30, plan,
                                      VL_BENCH_IMAGE_BYTES_ESTIMATE, &error));
  plan->scratch_mib = 3 * 1024;
  g_assert_false (vl_bench_pool_check ("test:///default", "default-pool", (guint64) 4 << 30, plan,
                                       VL_BENCH_IMAGE_BYTES_ESTIMATE, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "“default-pool”"));
  g_assert_nonnull (strstr (error->message, "test:///default"));
  g_assert_nonnull (strstr (error->message, "has 4.3\u00a0GB free")); /* free */
  g_assert_nonnull (strstr (error->message, "need 5.4\u00a0GB"));     /* needed: 3 GiB + 16 MiB + 2150 MB */
  g_clear_error (&error);
  gvir_connection_close (conn);

  /* A host whose pool "default" holds someone else's 99.5 GiB: the probe reads its 512 MiB left. */
  dir = g_dir_make_tmp ("vl-bench-pool-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_build_filename (dir, "node.xml", NULL);
  g_assert_true (g_file_set_contents (file,
                                      "<node><pool type='dir'><name>default</name>"
                                      "<uuid>35bb2ad9-388a-cdfe-461a-b8907f6e53fe</uuid>"
                                      "<target><path>/var/lib/libvirt/images</path></target></pool></node>",
                                      -1, &error));
  uri = g_strdup_printf ("test://%s", file);
  custom = gvir_connection_new (uri);
  g_assert_true (gvir_connection_open (custom, NULL, &error));
  fill_pool (custom, "default", ((guint64) 100 << 30) - ((guint64) 512 << 20));
  vl_bench_host_probe_async (custom, uri, NULL, probe_done, &host);
  while (host == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (host->pool_name, ==, "default");
  g_assert_cmpuint (host->pool_available, ==, (guint64) 512 << 20);
  plan->vcpus = 1;
  plan->memory_mib = 256;
  plan->scratch_mib = 256;
  g_assert_false (vl_bench_host_check (host, plan, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "“default”"));
  g_assert_nonnull (strstr (error->message, "has 536.9\u00a0MB free")); /* free */
  g_clear_error (&error);
  /* Without the pool (local files) the same plan fits the host's file system. */
  g_clear_pointer (&host->pool_name, g_free);
  g_assert_true (vl_bench_host_check (host, plan, &error));
  vl_bench_host_free (host);
  gvir_connection_close (custom);
  g_unlink (file);
  g_rmdir (dir);
}

/* A KVM that libvirt lists but QEMU cannot use (vl-kvm-access) is kept in the list with its reason
 * and not chosen by default: QEMU is. Where it can be used, KVM stays the default. */
static void
test_kvm_unusable (void)
{
  const char *caps = "<capabilities><host><cpu><arch>x86_64</arch></cpu></host>"
                     "<guest><os_type>hvm</os_type><arch name='x86_64'><domain type='qemu'/>"
                     "<domain type='kvm'/></arch></guest></capabilities>";
  g_autofree char *dir = g_dir_make_tmp ("vl-bench-kvm-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-kvm", NULL);
  g_autofree char *device = g_build_filename (dir, "kvm", NULL);
  g_autofree char *proc = g_build_filename (dir, "proc", NULL);
  g_autofree char *cpuinfo = g_build_filename (proc, "cpuinfo", NULL);
  const char *argv[] = { "rm", "-rf", dir, NULL };
  g_autoptr(VlBenchHost) host = g_new0 (VlBenchHost, 1);

  host->uri = g_strdup ("qemu:///session");
  vl_bench_host_read_modes (host, caps, missing, dir);
  g_assert_true (host->modes[VL_BENCH_MODE_KVM_HVM]);
  g_assert_true (host->modes[VL_BENCH_MODE_QEMU_TCG]);
  g_assert_nonnull (host->kvm_unusable);
  g_assert_nonnull (strstr (host->kvm_unusable, missing));
  g_assert_false (vl_bench_host_mode_default (host, VL_BENCH_MODE_KVM_HVM));
  g_assert_true (vl_bench_host_mode_default (host, VL_BENCH_MODE_QEMU_TCG));
  g_assert_false (vl_bench_host_mode_default (host, VL_BENCH_MODE_XEN_PV));

  /* A device QEMU (the caller, on a session connection) may open, on a processor with VT-x. */
  g_assert_true (g_file_set_contents (device, "", -1, NULL));
  g_assert_cmpint (g_chmod (device, 0600), ==, 0);
  g_assert_cmpint (g_mkdir (proc, 0755), ==, 0);
  g_assert_true (g_file_set_contents (cpuinfo, "processor\t: 0\nflags\t\t: fpu vmx sse2\n", -1, NULL));
  vl_bench_host_read_modes (host, caps, device, dir);
  g_assert_null (host->kvm_unusable);
  g_assert_true (vl_bench_host_mode_default (host, VL_BENCH_MODE_KVM_HVM));
  g_assert_true (vl_bench_host_mode_default (host, VL_BENCH_MODE_QEMU_TCG));

  /* A remote host's /dev/kvm is not this one's: not judged from here. */
  g_free (host->uri);
  host->uri = g_strdup ("qemu+ssh://far.example/system");
  vl_bench_host_read_modes (host, caps, missing, dir);
  g_assert_null (host->kvm_unusable);
  g_assert_true (vl_bench_host_mode_default (host, VL_BENCH_MODE_KVM_HVM));

  /* Only KVM offered: it stays the default even when it looks unusable (the check names why). */
  g_free (host->uri);
  host->uri = g_strdup ("qemu:///session");
  vl_bench_host_read_modes (host, caps, missing, dir);
  host->modes[VL_BENCH_MODE_QEMU_TCG] = FALSE;
  g_assert_true (vl_bench_host_mode_default (host, VL_BENCH_MODE_KVM_HVM));
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

/* The progress shows a test by the title the runner gives it in the results: every test runner.sh
 * defines has the same title here; an unknown id stays as it is. */
static void
test_titles (void)
{
  g_autofree char *runner = g_build_filename (g_getenv ("VL_TOP_SRCDIR"), "data", "bench", "runner.sh", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GRegex) define = g_regex_new ("^define (\\S+) \\S+ \\S+ \\S+ \"[^\"]*\" \"([^\"]*)\"",
                                           G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (runner, &contents, NULL, NULL));
  for (g_regex_match (define, contents, 0, &match); g_match_info_matches (match);
       g_match_info_next (match, NULL))
    {
      g_autofree char *id = g_match_info_fetch (match, 1);
      g_autofree char *title = g_match_info_fetch (match, 2);

      g_assert_cmpstr (vl_bench_test_title (id), ==, title);
      n++;
    }
  g_assert_cmpuint (n, ==, 13);
  g_assert_cmpstr (vl_bench_test_title ("kernel_build"), ==, "Linux kernel build");
  g_assert_cmpstr (vl_bench_test_title ("sysbench_cpu"), ==, "sysbench CPU");
  g_assert_cmpstr (vl_bench_test_title ("not_a_test"), ==, "not_a_test");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gvir_init_object (NULL, NULL);
  g_test_add_func ("/bench/prepare/estimate", test_estimate);
  g_test_add_func ("/bench/prepare/estimate-running", test_estimate_running);
  g_test_add_func ("/bench/prepare/names", test_names);
  g_test_add_func ("/bench/prepare/host-check", test_host_check);
  g_test_add_func ("/bench/prepare/progress", test_progress);
  g_test_add_func ("/bench/prepare/image-prune", test_image_prune);
  g_test_add_func ("/bench/prepare/probe", test_probe);
  g_test_add_func ("/bench/prepare/pool-room", test_pool_room);
  g_test_add_func ("/bench/prepare/kvm-unusable", test_kvm_unusable);
  g_test_add_func ("/bench/prepare/titles", test_titles);
  return g_test_run ();
}
