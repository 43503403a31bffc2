/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A GtkDrawingArea showing one result as a chart, with a tooltip per bar. */
#pragma once

#include <gtk/gtk.h>

#include "vl-chart.h"
#include "vl-result-file.h"

G_BEGIN_DECLS

#define VL_TYPE_CHART_VIEW (vl_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (VlChartView, vl_chart_view, VL, CHART_VIEW, GtkDrawingArea)

GtkWidget      *vl_chart_view_new           (void);
void            vl_chart_view_set_result    (VlChartView        *self,
                                             VlResultSet        *set,
                                             const VlResult     *result,
                                             const char * const *systems,
                                             const char         *baseline);
const VlResult *vl_chart_view_get_result    (VlChartView        *self);
guint           vl_chart_view_get_n_bars    (VlChartView        *self);
const char     *vl_chart_view_get_bar_label (VlChartView        *self,
                                             guint               index);
char           *vl_chart_view_describe_bar  (VlChartView        *self,
                                             guint               index);
void            vl_chart_view_paint_offscreen (VlChartView      *self,
                                               cairo_t          *cr,
                                               int               width);
void            vl_chart_view_save          (VlChartView        *self,
                                             VlChartFormat       format,
                                             const char         *path);

G_END_DECLS
