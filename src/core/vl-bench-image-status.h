/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the benchmark guest image is (the user's cache, root's shared cache) or whether it can be
 * built here: the image script's --check, asked in a worker thread. Shared by the Host page (which
 * offers the privileged build) and the bench room (whose runs use the image). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Where root builds the image for everyone (the privileged helper's bench-image step). */
#define VL_BENCH_IMAGE_DEFAULT_SHARED_CACHE "/var/cache/virtlab/bench-image"

typedef enum {
  VL_BENCH_IMAGE_OWN_CACHE,    /* ready, in this user's cache */
  VL_BENCH_IMAGE_SHARED_CACHE, /* ready, in root's shared cache */
  VL_BENCH_IMAGE_BUILDABLE,    /* not built; a benchmark run builds it first, as this user */
  VL_BENCH_IMAGE_UNBUILDABLE,  /* not built, and this user cannot build it here */
} VlBenchImageState;

typedef struct {
  VlBenchImageState state;
  char *dir;    /* ready: the image's folder */
  char *mode;   /* buildable: how a run would build it ("unshare" or "root") */
  char *reason; /* unbuildable: the script's own words for what is missing */
} VlBenchImageStatus;

/* The image script: $VL_BENCH_DATA_DIR/vl-bench-image.sh, else the installed one. */
char *vl_bench_image_script_path (void);
/* Root's shared cache: $VL_BENCH_SHARED_CACHE, else VL_BENCH_IMAGE_DEFAULT_SHARED_CACHE. */
char *vl_bench_image_shared_root (void);

/* Reads the script's --check answer: its exit status (0 or 2; anything else is an error) and what
 * it said on stderr. SHARED_ROOT tells an image in root's cache from one in the user's own. */
VlBenchImageStatus *vl_bench_image_status_parse (int exit_status, const char *err, const char *shared_root,
                                                 GError **error);
void vl_bench_image_status_free (VlBenchImageStatus *status);
gboolean vl_bench_image_status_is_ready (const VlBenchImageStatus *status);

/* Runs "vl-bench-image.sh --check [--shared SHARED_ROOT]" in a worker thread; SHARED_ROOT NULL:
 * vl_bench_image_shared_root (). */
void vl_bench_image_status_async (const char *shared_root, GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data);
VlBenchImageStatus *vl_bench_image_status_finish (GAsyncResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlBenchImageStatus, vl_bench_image_status_free)

G_END_DECLS
