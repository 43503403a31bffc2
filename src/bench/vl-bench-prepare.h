/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the Run Benchmarks assistant needs before and while a job runs, without GTK: each host's
 * modes and resources (read in a thread), whether the image can be built, the checks of a plan
 * against the hosts, the estimated time, and the job's progress lines read back. */
#pragma once

#include <gio/gio.h>

#include "vl-bench-config.h"
#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

#define VL_BENCH_N_MODES 4

/* One connection's host as the assistant shows it. */
typedef struct {
  char    *uri;
  char    *hostname;
  gboolean modes[VL_BENCH_N_MODES];  /* by VlBenchMode: the capabilities offer it */
  guint    cpus;
  guint64  memory_kib;
  guint64  free_memory_kib;          /* 0: unknown */
  guint64  free_disk_bytes;          /* of the folder the guests' disks go to; 0: unknown */
  char    *kvm_unusable;             /* why KVM cannot run guests here although listed; NULL: it can */
  char    *pool_name;                /* the storage pool the guests' disks go to; NULL: none (local files
                                      * or a transient pool of the job's) */
  guint64  pool_available;           /* what that pool can still hold, in bytes */
} VlBenchHost;

void         vl_bench_host_free          (VlBenchHost        *host);
/* Fills HOST's modes from CAPS_XML, and kvm_unusable (vl-kvm-access) for a local QEMU connection:
 * DEVICE is "/dev/kvm" and ROOT "/" (tests pass their own). */
void         vl_bench_host_read_modes    (VlBenchHost        *host,
                                          const char         *caps_xml,
                                          const char         *device,
                                          const char         *root);
/* Whether MODE is offered and chosen by default (a row of its own, a new row's mode): not a KVM
 * that cannot run guests here while QEMU can. */
gboolean     vl_bench_host_mode_default  (const VlBenchHost  *host,
                                          VlBenchMode         mode);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlBenchHost, vl_bench_host_free)

/* Reads CONN's capabilities, node and free memory in a worker thread; an error names URI. */
void         vl_bench_host_probe_async   (GVirConnection     *conn,
                                          const char         *uri,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
VlBenchHost *vl_bench_host_probe_finish  (GAsyncResult       *result,
                                          GError            **error);

/* Whether HOST (named by its URI in the message) can hold one guest of PLAN's resources at a time. */
gboolean     vl_bench_host_check         (const VlBenchHost  *host,
                                          const VlBenchPlan  *plan,
                                          GError            **error);

/* About what the image takes in a storage pool it is uploaded to, before it is built and its size
 * known: kernel 8.2 MB, initramfs 6.5 MB and root 2104 MB measured (905 MB before the kernel_build
 * test's linux-source-6.1 tree and compiler), and a margin. */
#define VL_BENCH_IMAGE_BYTES_ESTIMATE ((guint64) 2150 * 1000 * 1000)

/* The storage pool the benchmark guests' disks of CONN (named URI) go to, as vl-bench-store chooses
 * it: POOL_NAME, else an active pool "default"; and what it can still hold (virStoragePoolGetInfo's
 * available, refreshed). TRUE with *NAME NULL when there is no such pool (the embedded driver's
 * local files, or a transient pool of the job's); FALSE when the pool named is missing or inactive.
 * Call it in a worker thread. */
gboolean     vl_bench_pool_room          (GVirConnection     *conn,
                                          const char         *uri,
                                          const char         *pool_name,
                                          char              **name,
                                          guint64            *available,
                                          GError            **error);
/* Whether pool POOL of URI with AVAILABLE bytes holds PLAN's scratch and results disks and the image
 * (IMAGE_BYTES); the error names the pool and the sizes. */
gboolean     vl_bench_pool_check         (const char         *uri,
                                          const char         *pool,
                                          guint64             available,
                                          const VlBenchPlan  *plan,
                                          guint64             image_bytes,
                                          GError            **error);

/* The guests' names: none empty, no two the same (names the duplicate). */
gboolean     vl_bench_names_check        (const char * const *names,
                                          GError            **error);

/* Where root builds the image for everyone (the privileged helper's bench-image step); the image
 * script finds an image there with its key, readable, without the tools of a build. */
#define VL_BENCH_IMAGE_SHARED_CACHE "/var/cache/virtlab/bench-image"

/* The message when no image is cached and none can be built here: REASON (the script's last line)
 * and how to get one: root builds it once with the image script SCRIPT into the shared cache. */
char        *vl_bench_image_missing_message (const char     *reason,
                                             const char     *script);

/* Runs the image script's --check in a worker thread: TRUE when the image is cached or can be
 * built here; *CACHED says which. The error names what is missing (mmdebstrap, the mirror…). */
void         vl_bench_image_check_async  (GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
gboolean     vl_bench_image_check_finish (GAsyncResult       *result,
                                          gboolean           *cached,
                                          GError            **error);

/* The estimated wall time of a run in seconds: per configuration the guest's start and stop, and
 * each test's time in PROFILE for every run; N_TESTS 0 means all tests of the profile. Building
 * the image comes first when it is not cached. */
guint        vl_bench_estimate_seconds   (VlBenchProfile      profile,
                                          guint               runs,
                                          const char * const *tests,
                                          guint               n_configs,
                                          gboolean            image_cached);

/* The estimate while a run goes on, in seconds from its start: ESTIMATE (from the profile) until a
 * configuration has finished; then FIRST_STARTED (when the first guest was started) plus, for each
 * of the N_CONFIGS, the mean time of the DONE ones. Never less than ELAPSED. */
guint        vl_bench_estimate_running   (guint               estimate,
                                          double              first_started,
                                          double              elapsed,
                                          guint               done,
                                          guint               n_configs);

/* The readable title of a test by its runner id ("sysbench_cpu" → "sysbench CPU"), as the runner
 * (data/bench/runner.sh) writes it into the results; an unknown id is returned as it is. */
const char  *vl_bench_test_title         (const char         *id);

/* A progress line of the job read back: which configuration (index into NAMES, or -1 before any,
 * while the image is prepared), and when the runner starts a test run, its test and run. */
typedef struct {
  int   config;
  char *test;     /* NULL unless the line starts a run */
  guint run;
  guint runs;
  guint image_step;   /* while the image is built (its script's lines): step IMAGE_STEP of IMAGE_STEPS */
  guint image_steps;  /* 0: the image is not being built */
} VlBenchProgress;

void         vl_bench_progress_clear     (VlBenchProgress    *progress);
/* What the image build's current step does, for the user (PROGRESS->image_steps > 0). */
const char  *vl_bench_image_step_title   (const VlBenchProgress *progress);
/* Updates PROGRESS from LINE; returns TRUE when it changed. */
gboolean     vl_bench_progress_read      (VlBenchProgress    *progress,
                                          const char         *line,
                                          const char * const *names);

/* Removes old copies of the benchmark image from CACHE_ROOT (the image script's cache): keeps KEEP
 * (the image in use, may be NULL) and the N newest others by their manifest's time, and the bases
 * the kept ones were made from; a base no kept image uses goes when it is older than them. Folders
 * being built and anything else are left alone. Returns how many folders it removed. */
/* The folder of IMAGE_DIR when it is in this user's own image cache (what vl_bench_image_prune may
 * tidy), NULL for an image elsewhere: root's shared cache is never pruned by a user's run. */
char        *vl_bench_image_own_cache    (const char         *image_dir);
/* How many copies besides the one in use the app and the command keep. */
#define VL_BENCH_IMAGES_KEPT 2
guint        vl_bench_image_prune        (const char         *cache_root,
                                          const char         *keep,
                                          guint               n);

G_END_DECLS
