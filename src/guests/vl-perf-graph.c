/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A live line graph of one or two series (CPU, disk, network), scrolled as samples arrive. */
#include "config.h"

#include <math.h>

#include "vl-perf-graph.h"

struct _VlPerfGraph
{
  GtkDrawingArea parent_instance;

  double raw[2][VL_PERF_GRAPH_POINTS];
  double scaled[2][VL_PERF_GRAPH_POINTS];  /* 0..1, what the draw handler maps to pixels */
  guint  n_points;
  double fixed_max;                        /* 0: scale to the largest value shown */
};

G_DEFINE_FINAL_TYPE (VlPerfGraph, vl_perf_graph, GTK_TYPE_DRAWING_AREA)

/* Scaling happens when a sample arrives, so drawing does no arithmetic on the data. */
static void
rescale (VlPerfGraph *self)
{
  double max = self->fixed_max;

  if (max <= 0)
    {
      for (guint s = 0; s < 2; s++)
        for (guint i = 0; i < self->n_points; i++)
          max = MAX (max, self->raw[s][i]);
      max = max > 0 ? max * 1.1 : 1.0;
    }
  for (guint s = 0; s < 2; s++)
    for (guint i = 0; i < self->n_points; i++)
      self->scaled[s][i] = CLAMP (self->raw[s][i] / max, 0.0, 1.0);
}

void
vl_perf_graph_push (VlPerfGraph *self, double first, double second)
{
  g_return_if_fail (VL_IS_PERF_GRAPH (self));

  if (self->n_points == VL_PERF_GRAPH_POINTS)
    {
      for (guint s = 0; s < 2; s++)
        memmove (self->raw[s], self->raw[s] + 1, sizeof (double) * (VL_PERF_GRAPH_POINTS - 1));
      self->n_points--;
    }
  self->raw[0][self->n_points] = MAX (first, 0);
  self->raw[1][self->n_points] = MAX (second, 0);
  self->n_points++;
  rescale (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
vl_perf_graph_clear (VlPerfGraph *self)
{
  g_return_if_fail (VL_IS_PERF_GRAPH (self));
  self->n_points = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
vl_perf_graph_set_fixed_max (VlPerfGraph *self, double max)
{
  g_return_if_fail (VL_IS_PERF_GRAPH (self));
  self->fixed_max = max;
  rescale (self);
}

guint
vl_perf_graph_get_n_points (VlPerfGraph *self)
{
  g_return_val_if_fail (VL_IS_PERF_GRAPH (self), 0);
  return self->n_points;
}

double
vl_perf_graph_get_point (VlPerfGraph *self, guint series, guint index)
{
  g_return_val_if_fail (VL_IS_PERF_GRAPH (self) && series < 2 && index < self->n_points, 0);
  return self->scaled[series][index];
}

static gboolean
vl_perf_graph_draw (GtkWidget *widget, cairo_t *cr)
{
  VlPerfGraph *self = VL_PERF_GRAPH (widget);
  static const double colors[2][3] = { { 0.21, 0.52, 0.89 }, { 0.90, 0.38, 0.0 } };
  double width = gtk_widget_get_allocated_width (widget);
  double height = gtk_widget_get_allocated_height (widget);
  double step = width / (VL_PERF_GRAPH_POINTS - 1);

  cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.08);
  cairo_paint (cr);
  cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.3);
  cairo_set_line_width (cr, 1);
  for (int i = 1; i < 4; i++)
    {
      cairo_move_to (cr, 0, floor (height * i / 4) + 0.5);
      cairo_line_to (cr, width, floor (height * i / 4) + 0.5);
    }
  cairo_stroke (cr);

  for (guint s = 0; s < 2 && self->n_points >= 2; s++)
    {
      cairo_set_source_rgb (cr, colors[s][0], colors[s][1], colors[s][2]);
      cairo_set_line_width (cr, 1.5);
      for (guint i = 0; i < self->n_points; i++)
        {
          double x = width - step * (self->n_points - 1 - i);
          double y = 1 + (height - 2) * (1.0 - self->scaled[s][i]);

          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);
    }
  return FALSE;
}

static void
vl_perf_graph_class_init (VlPerfGraphClass *klass)
{
  GTK_WIDGET_CLASS (klass)->draw = vl_perf_graph_draw;
}

static void
vl_perf_graph_init (VlPerfGraph *self)
{
  gtk_widget_set_size_request (GTK_WIDGET (self), 200, 90);
}
