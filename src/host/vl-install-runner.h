/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs an install plan through the privileged helper: progress, output, log, cancel and retry. */
#pragma once

#include <gio/gio.h>

#include "vl-install-plan.h"

G_BEGIN_DECLS

typedef enum {
  VL_RUNNER_IDLE,
  VL_RUNNER_RUNNING,
  VL_RUNNER_SUCCEEDED,
  VL_RUNNER_FAILED,
  VL_RUNNER_CANCELLED,
} VlRunnerState;

#define VL_TYPE_INSTALL_RUNNER (vl_install_runner_get_type ())
G_DECLARE_FINAL_TYPE (VlInstallRunner, vl_install_runner, VL, INSTALL_RUNNER, GObject)

VlInstallRunner     *vl_install_runner_new        (VlInstallPlan      *plan,
                                                   const char *const  *helper_argv,
                                                   const char         *log_path);
const VlInstallPlan *vl_install_runner_get_plan   (VlInstallRunner *self);
VlRunnerState        vl_install_runner_get_state  (VlInstallRunner *self);
const char          *vl_install_runner_get_error  (VlInstallRunner *self);
guint                vl_install_runner_get_current_step (VlInstallRunner *self);
const char          *vl_install_runner_get_output (VlInstallRunner *self);
const char          *vl_install_runner_get_log_path (VlInstallRunner *self);

void                 vl_install_runner_start      (VlInstallRunner *self);
void                 vl_install_runner_retry      (VlInstallRunner *self);
void                 vl_install_runner_cancel     (VlInstallRunner *self);

GStrv                vl_install_runner_default_helper_argv (void);
char                *vl_install_runner_default_log_path    (void);

G_END_DECLS
