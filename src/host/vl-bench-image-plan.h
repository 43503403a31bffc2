/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plan that prepares the benchmark guest image as root: one bench-image step for the helper. */
#pragma once

#include "vl-install-plan.h"

G_BEGIN_DECLS

/* A plan of one step: the helper runs Virtlab's image script as root into root's shared cache
 * (VL_BENCH_IMAGE_ROOT_CACHE), where every user's benchmark run finds the image. */
VlInstallPlan *vl_bench_image_plan_new (const VlHelperSystem *system);

G_END_DECLS
