/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Results as charts and CSV: the chart data of a result, and writing them all to a directory. */
#pragma once

#include <glib.h>

#include "vl-chart.h"
#include "vl-result-file.h"
#include "vl-result-stats.h"

G_BEGIN_DECLS

typedef struct {
  VlChartData  data;
  VlChartBar  *bars;
} VlResultChart;

VlResultChart *vl_result_chart_new        (const VlResultSet  *set,
                                           const VlResult     *result,
                                           const char * const *systems);
void           vl_result_chart_free       (VlResultChart      *chart);
char          *vl_result_chart_file_name  (guint               number,
                                           const VlResult     *result,
                                           const char         *extension);
char          *vl_result_set_to_csv       (const VlResultSet  *set,
                                           const char * const *systems,
                                           VlCategory          filter);
GPtrArray     *vl_result_set_export       (const VlResultSet  *set,
                                           const char * const *systems,
                                           VlCategory          filter,
                                           const char         *format,
                                           double              width,
                                           const char         *directory,
                                           guint              *n_left_out,
                                           GError            **error);
gboolean       vl_result_has_shown_entry  (const VlResult     *result,
                                           const char * const *systems);
GPtrArray     *vl_result_files_export     (const char * const *paths,
                                           const char         *format,
                                           const char         *directory,
                                           GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlResultChart, vl_result_chart_free)

G_END_DECLS
