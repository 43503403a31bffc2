/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A cell renderer that draws a guest's recent CPU usage as a small line chart. */
#include "config.h"

#include "vl-sparkline-renderer.h"

struct _VlSparklineRenderer
{
  GtkCellRenderer parent_instance;

  VlCpuHistory *history;
};

G_DEFINE_FINAL_TYPE (VlSparklineRenderer, vl_sparkline_renderer, GTK_TYPE_CELL_RENDERER)

enum { PROP_0, PROP_HISTORY };

void
vl_cpu_history_push (VlCpuHistory *history, float usage)
{
  if (history->n_points == VL_CPU_HISTORY_POINTS)
    {
      memmove (history->points, history->points + 1, sizeof (float) * (VL_CPU_HISTORY_POINTS - 1));
      history->n_points--;
    }
  history->points[history->n_points++] = CLAMP (usage, 0.0f, 1.0f);
}

GtkCellRenderer *
vl_sparkline_renderer_new (void)
{
  return g_object_new (VL_TYPE_SPARKLINE_RENDERER, NULL);
}

static void
vl_sparkline_renderer_get_preferred_width (GtkCellRenderer *cell, GtkWidget *widget,
                                           int *minimum, int *natural)
{
  *minimum = *natural = 90;
}

static void
vl_sparkline_renderer_get_preferred_height (GtkCellRenderer *cell, GtkWidget *widget,
                                            int *minimum, int *natural)
{
  *minimum = *natural = 18;
}

static void
vl_sparkline_renderer_render (GtkCellRenderer *cell, cairo_t *cr, GtkWidget *widget,
                              const GdkRectangle *background, const GdkRectangle *area,
                              GtkCellRendererState flags)
{
  VlSparklineRenderer *self = VL_SPARKLINE_RENDERER (cell);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  const VlCpuHistory *history = self->history;
  GdkRGBA color;
  double x0 = area->x + 2, y0 = area->y + 2;
  double width = area->width - 4, height = area->height - 4;
  double step;

  if (history == NULL || history->n_points < 2 || width <= 0 || height <= 0)
    return;

  gtk_style_context_get_color (style, gtk_style_context_get_state (style), &color);
  step = width / (VL_CPU_HISTORY_POINTS - 1);

  /* Right-aligned, so the newest point is always at the right edge. */
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, x0 + width - step * (history->n_points - 1), y0 + height);
  for (guint i = 0; i < history->n_points; i++)
    cairo_line_to (cr, x0 + width - step * (history->n_points - 1 - i),
                   y0 + height * (1.0 - history->points[i]));
  cairo_line_to (cr, x0 + width, y0 + height);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.35);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1.0);
  cairo_stroke (cr);

  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.25);
  cairo_rectangle (cr, x0 + 0.5, y0 + 0.5, width - 1, height - 1);
  cairo_stroke (cr);
}

static void
vl_sparkline_renderer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VlSparklineRenderer *self = VL_SPARKLINE_RENDERER (object);

  if (prop_id == PROP_HISTORY)
    g_value_set_pointer (value, self->history);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
vl_sparkline_renderer_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  VlSparklineRenderer *self = VL_SPARKLINE_RENDERER (object);

  if (prop_id == PROP_HISTORY)
    self->history = g_value_get_pointer (value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
vl_sparkline_renderer_class_init (VlSparklineRendererClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkCellRendererClass *cell_class = GTK_CELL_RENDERER_CLASS (klass);

  object_class->get_property = vl_sparkline_renderer_get_property;
  object_class->set_property = vl_sparkline_renderer_set_property;
  cell_class->get_preferred_width = vl_sparkline_renderer_get_preferred_width;
  cell_class->get_preferred_height = vl_sparkline_renderer_get_preferred_height;
  cell_class->render = vl_sparkline_renderer_render;

  g_object_class_install_property (object_class, PROP_HISTORY,
    g_param_spec_pointer ("history", NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
vl_sparkline_renderer_init (VlSparklineRenderer *self)
{
}
