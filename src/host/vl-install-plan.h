/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The install plan: the ordered steps that make this computer a KVM host or a Xen dom0. */
#pragma once

#include <glib.h>

#include "vl-helper-request.h"
#include "vl-host-probe.h"

G_BEGIN_DECLS

typedef enum {
  VL_TARGET_KVM,
  VL_TARGET_XEN,
} VlHypervisorTarget;

typedef enum {
  VL_PLAN_PENDING_ONLY = 0,
  VL_PLAN_ALL_STEPS = 1 << 0,   /* keep finished steps (marked done) and list every package */
} VlPlanFlags;

typedef struct {
  VlHelperRequest *request;     /* what the privileged helper is asked to do */
  char            *title;
  char            *why;
  GPtrArray       *commands;    /* of GStrv: the exact argv of each command, in order */
  char            *file_path;   /* for a file written by the step, its absolute path */
  gboolean         needs_root;
  gboolean         done;
} VlInstallStep;

typedef struct {
  VlHypervisorTarget target;
  VlHelperSystem     system;
  GPtrArray         *steps;     /* of VlInstallStep */
} VlInstallPlan;

VlInstallPlan *vl_install_plan_new     (VlHypervisorTarget   target,
                                        const VlHostReport  *report,
                                        VlDistribution       distribution,
                                        VlPlanFlags          flags,
                                        GError             **error);
VlInstallPlan *vl_install_plan_for_kvm (const VlHostReport *report,
                                        VlDistribution      distribution,
                                        GError            **error);
VlInstallPlan *vl_install_plan_for_xen (const VlHostReport *report,
                                        VlDistribution      distribution,
                                        GError            **error);
VlInstallPlan *vl_install_plan_new_undo (VlHypervisorTarget   target,
                                         const VlHostReport  *report,
                                         VlDistribution       distribution,
                                         GError             **error);
VlInstallPlan *vl_install_plan_new_empty (VlHypervisorTarget target, const VlHelperSystem *system);
void           vl_install_plan_free    (VlInstallPlan *plan);
char          *vl_install_plan_to_text (const VlInstallPlan *plan);
guint          vl_install_plan_count_pending (const VlInstallPlan *plan);
gboolean       vl_install_plan_needs_reboot  (const VlInstallPlan *plan);

VlInstallStep *vl_install_step_new     (VlStepKind            kind,
                                        const char *const    *args,
                                        const char           *title,
                                        const char           *why,
                                        const VlHelperSystem *system);
void           vl_install_step_free    (VlInstallStep *step);
gboolean       vl_install_step_is_done (const VlInstallStep *step,
                                        const VlHostReport  *report);

const char    *vl_hypervisor_target_to_string   (VlHypervisorTarget target);
gboolean       vl_hypervisor_target_from_string (const char *name, VlHypervisorTarget *target);
const char *const *vl_install_plan_packages (VlHypervisorTarget target, VlDistribution distribution);
guint          vl_dom0_memory_mib      (const VlHostReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlInstallPlan, vl_install_plan_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlInstallStep, vl_install_step_free)

G_END_DECLS
