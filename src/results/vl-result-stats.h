/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Statistics over results: mean, standard error, relative performance, per-category summaries. */
#pragma once

#include <glib.h>

#include "vl-result-file.h"

G_BEGIN_DECLS

typedef enum {
  VL_CATEGORY_ALL,
  VL_CATEGORY_CPU,
  VL_CATEGORY_MEMORY,
  VL_CATEGORY_DISK,
  VL_CATEGORY_OTHER,
} VlCategory;

typedef struct {
  char   *system;
  double  geometric_mean;  /* of value relative to the baseline, LIB results inverted */
} VlSystemScore;

typedef struct {
  VlCategory  category;
  guint       n_results;   /* results every ranked system has a value for */
  GPtrArray  *scores;      /* VlSystemScore, best first */
  char       *ranking;     /* "Xen-PV > Xen-HVM > KVM-HVM" */
} VlCategorySummary;

double             vl_stats_mean              (const double *values,
                                               guint         n);
double             vl_stats_standard_error    (const double *values,
                                               guint         n);
double             vl_stats_relative          (double        value,
                                               double        baseline,
                                               VlProportion  proportion);
double             vl_stats_geometric_mean    (const double *values,
                                               guint         n);

VlCategory         vl_category_for_profile    (const char   *test_identifier);
VlCategory         vl_result_category         (const VlResult *result);
const char        *vl_category_get_label      (VlCategory    category);
const char        *vl_category_get_id         (VlCategory    category);
gboolean           vl_category_from_id        (const char   *id,
                                               VlCategory   *category);
gboolean           vl_category_includes       (VlCategory    filter,
                                               const VlResult *result);

double             vl_result_entry_value      (const VlResult *result,
                                               const char   *system);
VlCategorySummary *vl_stats_summarize         (const VlResultSet  *set,
                                               VlCategory          category,
                                               const char         *baseline,
                                               const char * const *systems);
void               vl_category_summary_free   (VlCategorySummary  *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlCategorySummary, vl_category_summary_free)

G_END_DECLS
