/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A live line graph of one or two series (CPU, disk, network), scrolled as samples arrive. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VL_PERF_GRAPH_POINTS 60

#define VL_TYPE_PERF_GRAPH (vl_perf_graph_get_type ())
G_DECLARE_FINAL_TYPE (VlPerfGraph, vl_perf_graph, VL, PERF_GRAPH, GtkDrawingArea)

void   vl_perf_graph_push        (VlPerfGraph *self,
                                  double       first,
                                  double       second);
void   vl_perf_graph_clear       (VlPerfGraph *self);
void   vl_perf_graph_set_fixed_max (VlPerfGraph *self,
                                    double       max);
guint  vl_perf_graph_get_n_points (VlPerfGraph *self);
double vl_perf_graph_get_point   (VlPerfGraph *self,
                                  guint        series,
                                  guint        index);

G_END_DECLS
