/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plan that prepares the benchmark guest image as root: one bench-image step for the helper. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-bench-image-plan.h"

VlInstallPlan *
vl_bench_image_plan_new (const VlHelperSystem *system)
{
  /* The target does not matter to this plan: the image serves KVM and Xen guests alike. */
  VlInstallPlan *plan = vl_install_plan_new_empty (VL_TARGET_KVM, system);
  g_autofree char *why = g_strdup_printf (
    _("Debian 12’s packages (its kernel and the benchmark tools) are installed with mmdebstrap into "
       "a new root for the benchmark guest, as root, in the shared cache %s, where every user’s "
       "benchmark runs find it. It takes a few minutes once and needs the distribution’s mirror."),
    VL_BENCH_IMAGE_ROOT_CACHE);

  g_ptr_array_add (plan->steps, vl_install_step_new (VL_STEP_BENCH_IMAGE, NULL,
                                                     _("Build the benchmark guest image"), why, system));
  return plan;
}
