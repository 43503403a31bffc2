/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The probe's findings in plain words: one checklist item per question, with what to do. */
#pragma once

#include <glib.h>

#include "vl-host-probe.h"
#include "vl-install-plan.h"

G_BEGIN_DECLS

typedef enum {
  VL_CHECK_OK,       /* green: ready */
  VL_CHECK_INFO,     /* neutral: worth knowing, nothing to do */
  VL_CHECK_PLANNED,     /* the install plan takes care of it */
  VL_CHECK_PROBLEM,  /* red: the user must act, and advice says how */
} VlCheckStatus;

typedef struct {
  VlCheckStatus status;
  char         *id;      /* stable name for tests and accessibility: "cpu", "kvm-device"… */
  char         *title;
  char         *detail;
  char         *advice;  /* what to do; NULL when nothing is needed */
} VlCheckItem;

GPtrArray *vl_host_checklist_new  (const VlHostReport *report, VlHypervisorTarget target);
const VlCheckItem *vl_host_checklist_find (GPtrArray *items, const char *id);
char      *vl_host_report_summary (const VlHostReport *report);

G_END_DECLS
