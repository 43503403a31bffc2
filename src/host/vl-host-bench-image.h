/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Host page's "Benchmark Image" part: whether the benchmark guest image is ready (in the user's
 * cache, in root's shared cache) or missing, and, when missing, the plan that prepares it as root
 * through the privileged helper, with its command, progress and log. */
#pragma once

#include <gtk/gtk.h>

#include "vl-helper-request.h"

G_BEGIN_DECLS

#define VL_TYPE_HOST_BENCH_IMAGE (vl_host_bench_image_get_type ())
G_DECLARE_FINAL_TYPE (VlHostBenchImage, vl_host_bench_image, VL, HOST_BENCH_IMAGE, GtkBox)

GtkWidget *vl_host_bench_image_new (void);
/* Looks for the image again (a worker thread); the part also looks when it is first shown. */
void vl_host_bench_image_check (VlHostBenchImage *self);
/* The system the helper's commands are shown for (the Host page's check tells it). */
void vl_host_bench_image_set_system (VlHostBenchImage *self, const VlHelperSystem *system);

G_END_DECLS
