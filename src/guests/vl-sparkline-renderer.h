/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A cell renderer that draws a guest's recent CPU usage as a small line chart. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VL_CPU_HISTORY_POINTS 30

/* Usage points kept scaled 0..1, newest last: the renderer only maps them to pixels. */
typedef struct
{
  guint64 last_cpu_ns;
  gint64  last_sample_us;
  float   points[VL_CPU_HISTORY_POINTS];
  guint   n_points;
} VlCpuHistory;

void vl_cpu_history_push (VlCpuHistory *history,
                          float         usage);

#define VL_TYPE_SPARKLINE_RENDERER (vl_sparkline_renderer_get_type ())
G_DECLARE_FINAL_TYPE (VlSparklineRenderer, vl_sparkline_renderer, VL, SPARKLINE_RENDERER, GtkCellRenderer)

GtkCellRenderer *vl_sparkline_renderer_new (void);

G_END_DECLS
