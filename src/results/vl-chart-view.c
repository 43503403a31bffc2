/* A GtkDrawingArea showing one result as a chart, with a tooltip per bar. */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "vl-chart.h"
#include "vl-chart-view.h"
#include "vl-result-export.h"
#include "vl-result-stats.h"

struct _VlChartView
{
  GtkDrawingArea  parent_instance;

  VlResultSet    *set;
  const VlResult *result;    /* owned by set */
  VlResultChart  *chart;
  char           *baseline;
  VlChartLayout  *layout;    /* of the last draw: what the pointer is over */
  VlChartStyle    style;
};

G_DEFINE_FINAL_TYPE (VlChartView, vl_chart_view, GTK_TYPE_DRAWING_AREA)

GtkWidget *
vl_chart_view_new (void)
{
  return g_object_new (VL_TYPE_CHART_VIEW, NULL);
}

static void
update_height (VlChartView *self)
{
  double height = self->chart != NULL ? vl_chart_preferred_height (&self->chart->data, &self->style) : 0;

  gtk_widget_set_size_request (GTK_WIDGET (self), 360, (int) height);
}

void
vl_chart_view_set_result (VlChartView *self, VlResultSet *set, const VlResult *result,
                          const char * const *systems, const char *baseline)
{
  g_return_if_fail (VL_IS_CHART_VIEW (self));

  vl_result_set_ref (set);
  g_clear_pointer (&self->chart, vl_result_chart_free);
  g_clear_pointer (&self->layout, vl_chart_layout_free);
  g_clear_pointer (&self->set, vl_result_set_unref);
  self->set = set;
  self->result = result;
  self->chart = vl_result_chart_new (set, result, systems);
  g_free (self->baseline);
  self->baseline = g_strdup (baseline);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), result->title);
  update_height (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const VlResult *
vl_chart_view_get_result (VlChartView *self)
{
  g_return_val_if_fail (VL_IS_CHART_VIEW (self), NULL);
  return self->result;
}

guint
vl_chart_view_get_n_bars (VlChartView *self)
{
  g_return_val_if_fail (VL_IS_CHART_VIEW (self), 0);
  return self->chart != NULL ? self->chart->data.n_bars : 0;
}

const char *
vl_chart_view_get_bar_label (VlChartView *self, guint index)
{
  g_return_val_if_fail (VL_IS_CHART_VIEW (self) && self->chart != NULL, NULL);
  g_return_val_if_fail (index < self->chart->data.n_bars, NULL);
  return self->chart->bars[index].label;
}

/* What the tooltip of a bar says: value, single runs, standard error and % against the baseline. */
char *
vl_chart_view_describe_bar (VlChartView *self, guint index)
{
  const VlChartBar *bar;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *system = NULL;
  const char *unit;

  g_return_val_if_fail (VL_IS_CHART_VIEW (self) && self->chart != NULL, NULL);
  g_return_val_if_fail (index < self->chart->data.n_bars, NULL);
  bar = &self->chart->bars[index];
  unit = self->result->scale != NULL ? self->result->scale : "";
  system = g_markup_escape_text (bar->label, -1);
  g_string_append_printf (text, "<b>%s</b>\n", system);
  if (!isfinite (bar->value))
    {
      g_string_append (text, _("The test run failed: it produced no value."));
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  {
    g_autofree char *value = g_markup_printf_escaped ("%s %s", bar->value_text, unit);

    g_string_append_printf (text, _("Value: %s"), value);
  }
  if (bar->n_raw > 0)
    {
      g_autoptr(GString) runs = g_string_new (NULL);

      for (guint i = 0; i < bar->n_raw; i++)
        g_string_append_printf (runs, "%s%g", i > 0 ? ", " : "", bar->raw[i]);
      g_string_append (text, "\n");
      g_string_append_printf (text, _("Single runs: %s"), runs->str);
    }
  if (bar->n_raw >= 2)
    {
      double se = vl_stats_standard_error (bar->raw, bar->n_raw);

      g_string_append (text, "\n");
      g_string_append_printf (text, _("Standard error: ±%.3g (%.2f %%)"), se,
                              100 * se / fabs (vl_stats_mean (bar->raw, bar->n_raw)));
    }
  if (self->baseline != NULL)
    {
      double base = vl_result_entry_value (self->result, self->baseline);
      double rel = vl_stats_relative (bar->value, base, self->result->proportion);
      g_autofree char *base_name = g_markup_escape_text (self->baseline, -1);

      g_string_append (text, "\n");
      if (g_str_equal (bar->label, self->baseline))
        g_string_append (text, _("This is the baseline"));
      else if (isfinite (rel))
        g_string_append_printf (text, _("%+.1f %% vs %s (baseline)"), 100 * (rel - 1), base_name);
      else
        g_string_append_printf (text, _("No comparison with %s (baseline)"), base_name);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The theme decides text and background, so the chart fits light and dark themes alike. */
static void
update_style (VlChartView *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  GdkRGBA fg, bg;

  gtk_style_context_get_color (context, gtk_style_context_get_state (context), &fg);
  if (!gtk_style_context_lookup_color (context, "theme_base_color", &bg))
    bg = (GdkRGBA) { 1, 1, 1, 1 };
  self->style.foreground = (VlChartColor) { fg.red, fg.green, fg.blue, 1 };
  self->style.error_bar = self->style.foreground;
  self->style.dim = (VlChartColor) { fg.red, fg.green, fg.blue, 0.7 };
  self->style.grid = (VlChartColor) { fg.red, fg.green, fg.blue, 0.12 };
  self->style.background = (VlChartColor) { bg.red, bg.green, bg.blue, 1 };
}

static gboolean
vl_chart_view_draw (GtkWidget *widget, cairo_t *cr)
{
  VlChartView *self = VL_CHART_VIEW (widget);

  if (self->chart == NULL)
    return FALSE;
  update_style (self);
  g_clear_pointer (&self->layout, vl_chart_layout_free);
  self->layout = vl_chart_layout_compute (&self->chart->data, &self->style,
                                          gtk_widget_get_allocated_width (widget),
                                          gtk_widget_get_allocated_height (widget),
                                          vl_chart_measure_text, &self->style);
  vl_chart_render (self->layout, &self->style, cr);
  return FALSE;
}

static gboolean
vl_chart_view_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip)
{
  VlChartView *self = VL_CHART_VIEW (widget);
  g_autofree char *markup = NULL;
  const VlChartBarLayout *bar;
  GdkRectangle area;
  int index;

  if (self->layout == NULL || keyboard)
    return FALSE;
  index = vl_chart_layout_bar_at (self->layout, x, y);
  if (index < 0)
    return FALSE;
  bar = &g_array_index (self->layout->bars, VlChartBarLayout, index);
  markup = vl_chart_view_describe_bar (self, index);
  gtk_tooltip_set_markup (tooltip, markup);
  /* One tip per row: moving to the next bar asks again. */
  area.x = 0;
  area.width = (int) self->layout->width;
  area.y = (int) floor (bar->label_y - (self->layout->plot.height / self->layout->bars->len) / 4);
  area.height = (int) ceil (self->layout->plot.height / self->layout->bars->len);
  gtk_tooltip_set_tip_area (tooltip, &area);
  return TRUE;
}

static void
vl_chart_view_dispose (GObject *object)
{
  VlChartView *self = VL_CHART_VIEW (object);

  g_clear_pointer (&self->chart, vl_result_chart_free);
  g_clear_pointer (&self->layout, vl_chart_layout_free);
  g_clear_pointer (&self->set, vl_result_set_unref);
  self->result = NULL;
  G_OBJECT_CLASS (vl_chart_view_parent_class)->dispose (object);
}

static void
vl_chart_view_finalize (GObject *object)
{
  g_free (VL_CHART_VIEW (object)->baseline);
  G_OBJECT_CLASS (vl_chart_view_parent_class)->finalize (object);
}

static void
vl_chart_view_class_init (VlChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vl_chart_view_dispose;
  object_class->finalize = vl_chart_view_finalize;
  widget_class->draw = vl_chart_view_draw;
  widget_class->query_tooltip = vl_chart_view_query_tooltip;
  gtk_widget_class_set_css_name (widget_class, "vl-chart");
}

static void
vl_chart_view_init (VlChartView *self)
{
  const VlChartStyle *base = vl_chart_style_default ();

  self->style = *base;
  /* The font of the desktop, so charts read like the rest of the window. */
  {
    GtkSettings *settings = gtk_settings_get_default ();
    g_autofree char *font = NULL;

    if (settings != NULL)
      g_object_get (settings, "gtk-font-name", &font, NULL);
    if (font != NULL)
      {
        PangoFontDescription *desc = pango_font_description_from_string (font);

        if (pango_font_description_get_family (desc) != NULL)
          self->style.font_family = g_intern_string (pango_font_description_get_family (desc));
        if (pango_font_description_get_size (desc) > 0)
          self->style.font_size = round (pango_font_description_get_size (desc) / (double) PANGO_SCALE * 96 / 72);
        pango_font_description_free (desc);
      }
  }
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}
