/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One benchmark chart: its layout as plain numbers, and its painting on any cairo surface. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "vl-error.h"
#include "vl-chart.h"
#include "vl-result-stats.h"

/* ---- style ---------------------------------------------------------------------------------- */

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0, 1.0 }

/* Distinct on white and on print, the first three far apart (most runs compare two or three). */
static const VlChartColor default_series[] = {
  RGB (0x3584e4), RGB (0xe66100), RGB (0x26a269), RGB (0x9141ac), RGB (0xc01c28),
  RGB (0x986a44), RGB (0xd4a600), RGB (0x0d9eaa), RGB (0xc061cb), RGB (0x5e5c64),
};

static const VlChartStyle default_style = {
  .background = RGB (0xffffff),
  .foreground = RGB (0x241f31),
  .dim = RGB (0x5e5c64),
  .grid = { 0.0, 0.0, 0.0, 0.12 },
  .error_bar = RGB (0x241f31),
  .series = default_series,
  .n_series = G_N_ELEMENTS (default_series),
  .font_family = "Sans",
  .font_size = 12,
};

const VlChartStyle *
vl_chart_style_default (void)
{
  return &default_style;
}

/* ---- text: one pango context per thread, sizes cached because labels repeat across charts ---- */

typedef struct
{
  PangoContext *context;
  PangoLayout  *layouts[4];
  char         *family;
  double        size;
  GHashTable   *sizes;
} TextCache;

static void
text_cache_free (gpointer data)
{
  TextCache *cache = data;

  for (guint i = 0; i < G_N_ELEMENTS (cache->layouts); i++)
    g_clear_object (&cache->layouts[i]);
  g_clear_object (&cache->context);
  g_clear_pointer (&cache->sizes, g_hash_table_unref);
  g_free (cache->family);
  g_free (cache);
}

static GPrivate text_cache_key = G_PRIVATE_INIT (text_cache_free);

static TextCache *
text_cache_get (const VlChartStyle *style)
{
  TextCache *cache = g_private_get (&text_cache_key);
  static const double scales[] = { 1.2, 1.0, 1.0, 0.85 };

  if (cache != NULL && cache->size == style->font_size && g_strcmp0 (cache->family, style->font_family) == 0)
    return cache;

  cache = g_new0 (TextCache, 1);
  g_private_replace (&text_cache_key, cache);
  cache->family = g_strdup (style->font_family);
  cache->size = style->font_size;
  cache->sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  cache->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  {
    /* Unhinted metrics: the same layout on screen, at 2x and in a PDF. */
    cairo_font_options_t *options = cairo_font_options_create ();

    cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options (cache->context, options);
    cairo_font_options_destroy (options);
  }
  for (guint i = 0; i < G_N_ELEMENTS (cache->layouts); i++)
    {
      PangoFontDescription *desc = pango_font_description_from_string (style->font_family);

      pango_font_description_set_absolute_size (desc, style->font_size * scales[i] * PANGO_SCALE);
      if (i == VL_CHART_FONT_TITLE)
        pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
      cache->layouts[i] = pango_layout_new (cache->context);
      pango_layout_set_font_description (cache->layouts[i], desc);
      pango_font_description_free (desc);
    }
  return cache;
}

/* The default measuring function: pango with the style's font. `user_data` is the VlChartStyle. */
void
vl_chart_measure_text (const char *text, VlChartFont font, double *width, double *height, gpointer user_data)
{
  const VlChartStyle *style = user_data != NULL ? user_data : &default_style;
  TextCache *cache = text_cache_get (style);
  g_autofree char *key = g_strdup_printf ("%d\x1f%s", font, text);
  double *size = g_hash_table_lookup (cache->sizes, key);

  if (size == NULL)
    {
      int w, h;

      pango_layout_set_width (cache->layouts[font], -1);
      pango_layout_set_text (cache->layouts[font], text, -1);
      pango_layout_get_size (cache->layouts[font], &w, &h);
      size = g_new (double, 2);
      size[0] = (double) w / PANGO_SCALE;
      size[1] = (double) h / PANGO_SCALE;
      /* Value labels rarely repeat: keep the cache from growing without end. */
      if (g_hash_table_size (cache->sizes) > 20000)
        g_hash_table_remove_all (cache->sizes);
      g_hash_table_insert (cache->sizes, g_steal_pointer (&key), size);
    }
  *width = size[0];
  *height = size[1];
}

/* ---- layout ---------------------------------------------------------------------------------- */

/* 1, 2, 2.5 or 5 times a power of ten, at least `raw` (finite and > 0: the axis is in units that
 * keep its values between 1e-6 and 1e9, see axis_exponent()). */
static double
nice_step (double raw, int *decimals)
{
  double magnitude = pow (10, floor (log10 (raw)));
  double fraction = raw / magnitude;
  double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  double step = nice * magnitude;

  *decimals = CLAMP ((int) -floor (log10 (step) + 1e-9) + (nice == 2.5 ? 1 : 0), 0, 17);
  return step;
}

/* Values as large as a double can hold (1.7e308) or tiny ones (1e-300) are laid out in units of
 * 10^exponent, so that neither end of the axis overflows and tick labels stay short ("1.5e308").
 * Everyday values (1e-6 up to 1e9) keep exponent 0: the axis is in their own units. */
static int
axis_exponent (double largest)
{
  if (!(largest > 0) || (largest >= 1e-6 && largest < 1e9))
    return 0;
  return CLAMP ((int) floor (log10 (largest)), -324, 308);
}

/* `value` in units of 10^exponent. Below 1e-300 in two steps: 10^-324 itself is no double. */
static double
to_axis_units (double value, int exponent)
{
  if (exponent < -300)
    return value * 1e300 / pow (10, exponent + 300);
  return value / pow (10, exponent);
}

/* A value too long to read beside its bar (1.1e308 written out in full has 309 digits) is shown
 * in short form; the table and the tooltip keep it as stored. */
#define VALUE_LABEL_MAX_CHARS 24

static char *
format_value (double value)
{
  if (fabs (value) >= 1e15 || (value != 0 && fabs (value) < 1e-4))
    return g_strdup_printf ("%.6g", value);
  return g_strdup_printf ("%.2f", value);
}

static char *
value_label (const VlChartBar *bar)
{
  if (bar->value_text != NULL && g_utf8_strlen (bar->value_text, -1) <= VALUE_LABEL_MAX_CHARS)
    return g_strdup (bar->value_text);
  return format_value (bar->value);
}

/* At most this many ticks: the step is chosen for about ten, so more means the numbers went wrong. */
#define MAX_TICKS 64

static void
clear_tick (gpointer data)
{
  g_free (((VlChartTick *) data)->label);
}

static void
clear_bar (gpointer data)
{
  VlChartBarLayout *bar = data;

  g_free (bar->label);
  g_free (bar->value_label);
}

void
vl_chart_layout_free (VlChartLayout *layout)
{
  if (layout == NULL)
    return;
  g_free (layout->title);
  g_free (layout->subtitle);
  g_free (layout->caption);
  g_array_unref (layout->ticks);
  g_array_unref (layout->bars);
  g_free (layout);
}

static char *
make_caption (const VlChartData *data)
{
  const char *direction = data->proportion == VL_PROPORTION_HIB ? _("More is better") :
                          data->proportion == VL_PROPORTION_LIB ? _("Fewer is better") : NULL;
  gboolean has_unit = data->unit != NULL && data->unit[0] != '\0';

  if (has_unit && direction != NULL)
    return g_strdup_printf ("%s · %s", data->unit, direction);
  return g_strdup (has_unit ? data->unit : direction != NULL ? direction : "");
}

/* A bar is this many label heights apart from the next. */
#define BAR_PITCH_LINES 1.9

double
vl_chart_preferred_height (const VlChartData *data, const VlChartStyle *style)
{
  double w, title_h, label_h, small_h;
  double pad = round (style->font_size * 0.75);

  vl_chart_measure_text ("Hg", VL_CHART_FONT_TITLE, &w, &title_h, (gpointer) style);
  vl_chart_measure_text ("Hg", VL_CHART_FONT_LABEL, &w, &label_h, (gpointer) style);
  vl_chart_measure_text ("Hg", VL_CHART_FONT_SMALL, &w, &small_h, (gpointer) style);
  return ceil (pad + title_h + 2 * (label_h + 2) + pad / 2 + MAX (1, data->n_bars) * label_h * BAR_PITCH_LINES +
               4 + small_h + pad);
}

VlChartLayout *
vl_chart_layout_compute (const VlChartData *data, const VlChartStyle *style, double width, double height,
                         VlChartMeasureFunc measure, gpointer measure_data)
{
  VlChartLayout *layout = g_new0 (VlChartLayout, 1);
  double pad = round (style->font_size * 0.75);
  double w, h, label_h, small_h, y, value_w = 0, max_v = 0, min_v = 0, range, pitch, bar_h, plot_right;
  double target_ticks, n_steps;
  int decimals;
  guint n = data->n_bars;

  /* A size that is no size (NaN, negative, beyond any screen or page) is taken as the nearest one
   * that is: the layout's numbers stay finite whatever a caller passes. */
  width = isfinite (width) ? CLAMP (width, 0, 1e6) : 0;
  height = isfinite (height) ? CLAMP (height, 0, 1e7) : 0;
  layout->width = width;
  layout->height = height;
  layout->padding = pad;
  layout->ticks = g_array_new (FALSE, TRUE, sizeof (VlChartTick));
  g_array_set_clear_func (layout->ticks, clear_tick);
  layout->bars = g_array_sized_new (FALSE, TRUE, sizeof (VlChartBarLayout), n);
  g_array_set_clear_func (layout->bars, clear_bar);
  g_array_set_size (layout->bars, n);

  /* Header: title, variant, then unit and direction. */
  y = pad;
  layout->title = g_strdup (data->title != NULL ? data->title : "");
  layout->title_y = y;
  measure (layout->title[0] != '\0' ? layout->title : "Hg", VL_CHART_FONT_TITLE, &w, &h, measure_data);
  y += h;
  if (data->subtitle != NULL && data->subtitle[0] != '\0')
    {
      layout->subtitle = g_strdup (data->subtitle);
      layout->subtitle_y = y + 2;
      measure (layout->subtitle, VL_CHART_FONT_SUBTITLE, &w, &h, measure_data);
      y += h + 2;
    }
  layout->caption = make_caption (data);
  layout->caption_y = y + 2;
  measure ("Hg", VL_CHART_FONT_SMALL, &w, &small_h, measure_data);
  y += small_h + 2 + pad / 2;
  measure ("Hg", VL_CHART_FONT_LABEL, &w, &label_h, measure_data);

  layout->plot.y = y;
  layout->tick_label_y = height - pad - small_h;
  layout->plot.height = MAX (1, layout->tick_label_y - 4 - y);

  /* System names on the left, at most a third of the width; value labels right of the bars. */
  for (guint i = 0; i < n; i++)
    {
      const VlChartBar *bar = &data->bars[i];
      VlChartBarLayout *out = &g_array_index (layout->bars, VlChartBarLayout, i);
      double v = bar->value;

      out->series = bar->series;
      out->failed = !isfinite (v);
      out->label = g_strdup (bar->label != NULL ? bar->label : "");
      out->value_label = out->failed ? g_strdup (_("Failed")) : value_label (bar);
      out->mean = vl_stats_mean (bar->raw, bar->n_raw);
      out->standard_error = vl_stats_standard_error (bar->raw, bar->n_raw);
      out->has_error = !out->failed && bar->n_raw >= 2 && isfinite (out->standard_error);

      measure (out->label, VL_CHART_FONT_LABEL, &w, &h, measure_data);
      layout->label_width = MAX (layout->label_width, w);
      measure (out->value_label, VL_CHART_FONT_LABEL, &w, &h, measure_data);
      value_w = MAX (value_w, w);
      if (out->failed)
        continue;
      /* The error bar is drawn around the bar's end, the stored value; one whose ends are beyond
       * what a double holds (values near 1.7e308) is left out rather than stretch the axis to inf. */
      if (out->has_error && !(isfinite (v + out->standard_error) && isfinite (v - out->standard_error)))
        out->has_error = FALSE;
      max_v = MAX (max_v, out->has_error ? v + out->standard_error : v);
      min_v = MIN (min_v, out->has_error ? v - out->standard_error : v);
    }
  layout->label_width = ceil (MIN (layout->label_width, width / 3));
  layout->plot.x = pad + layout->label_width + pad;
  plot_right = width - pad - ceil (value_w) - 6;
  layout->plot.width = MAX (10, plot_right - layout->plot.x);

  /* Axis: from zero (or below, for negative values) to a round number past the longest bar, in
   * units of 10^axis_exponent (so that -1.7e308 to 1.7e308 is -2 to 2, not -inf to inf). */
  layout->axis_exponent = axis_exponent (MAX (fabs (min_v), fabs (max_v)));
  min_v = to_axis_units (min_v, layout->axis_exponent);
  max_v = to_axis_units (max_v, layout->axis_exponent);
  if (max_v <= min_v)
    max_v = min_v + 1;
  measure ("0000.0", VL_CHART_FONT_SMALL, &w, &h, measure_data);
  target_ticks = floor (layout->plot.width / (w + 3 * pad));
  target_ticks = isfinite (target_ticks) ? CLAMP (target_ticks, 2, 10) : 2;
  layout->tick_step = nice_step ((max_v - min_v) / target_ticks, &decimals);
  layout->axis_min = floor (min_v / layout->tick_step) * layout->tick_step;
  layout->axis_max = ceil (max_v / layout->tick_step - 1e-9) * layout->tick_step;
  range = layout->axis_max - layout->axis_min;
  /* Counted, not stepped until past the end: a step too small to change the sum cannot loop. */
  n_steps = round (range / layout->tick_step);
  if (!(isfinite (range) && range > 0 && n_steps >= 1 && n_steps <= MAX_TICKS))
    {
      /* Cannot happen with finite values (the units keep them between 1e-6 and 1e9); should it,
       * an axis of 0 to 1 draws rather than the app hanging. */
      g_warning ("Chart “%s”: no axis for %g..%g (×10^%d)", layout->title, min_v, max_v, layout->axis_exponent);
      layout->axis_min = 0, layout->axis_max = 1, layout->tick_step = 1, range = 1, n_steps = 1, decimals = 0;
    }
#define X_OF(v) (layout->plot.x + (to_axis_units (v, layout->axis_exponent) - layout->axis_min) / range * layout->plot.width)
  layout->zero_x = X_OF (0);
  for (int i = 0; i <= (int) n_steps; i++)
    {
      double t = layout->axis_min + i * layout->tick_step;
      VlChartTick tick = { .value = fabs (t) < layout->tick_step / 1e6 ? 0 : t };

      tick.x = layout->plot.x + (tick.value - layout->axis_min) / range * layout->plot.width;
      if (layout->axis_exponent == 0 || tick.value == 0)
        tick.label = g_strdup_printf ("%.*f", layout->axis_exponent == 0 ? decimals : 0, tick.value);
      else
        tick.label = g_strdup_printf ("%.*fe%d", decimals, tick.value, layout->axis_exponent);
      g_array_append_val (layout->ticks, tick);
    }

  /* Bars: evenly spaced rows; thick enough to see, never fatter than two lines of text. */
  pitch = layout->plot.height / MAX (1, n);
  bar_h = MIN (pitch * 0.72, label_h * 1.6);
  layout->show_labels = pitch >= label_h * 0.95;
  for (guint i = 0; i < n; i++)
    {
      VlChartBarLayout *out = &g_array_index (layout->bars, VlChartBarLayout, i);
      double row_y = layout->plot.y + i * pitch;
      double end;

      out->rect.y = row_y + (pitch - bar_h) / 2;
      out->rect.height = bar_h;
      out->label_y = row_y + (pitch - label_h) / 2;
      out->value_y = out->label_y;
      if (out->failed)
        {
          out->rect.x = layout->zero_x;
          out->rect.width = 0;
          out->value_x = layout->zero_x + 4;
          continue;
        }
      end = X_OF (data->bars[i].value);
      out->rect.x = MIN (end, layout->zero_x);
      out->rect.width = fabs (end - layout->zero_x);
      if (out->has_error)
        {
          out->error_low_x = X_OF (data->bars[i].value - out->standard_error);
          out->error_high_x = X_OF (data->bars[i].value + out->standard_error);
        }
      out->value_x = MAX (end, out->has_error ? out->error_high_x : end) + 4;
    }
#undef X_OF
  return layout;
}

/* The bar whose row holds the point, or -1: the whole row counts, so thin bars are easy to hover. */
int
vl_chart_layout_bar_at (const VlChartLayout *layout, double x, double y)
{
  double pitch;

  if (layout->bars->len == 0 || x < layout->padding || x > layout->width ||
      y < layout->plot.y || y >= layout->plot.y + layout->plot.height)
    return -1;
  pitch = layout->plot.height / layout->bars->len;
  return MIN ((int) ((y - layout->plot.y) / pitch), (int) layout->bars->len - 1);
}

/* ---- rendering ------------------------------------------------------------------------------ */

static void
set_color (cairo_t *cr, const VlChartColor *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

static void
draw_text (cairo_t *cr, TextCache *cache, VlChartFont font, const char *text, double x, double y,
           double width, PangoAlignment alignment)
{
  PangoLayout *pl = cache->layouts[font];

  pango_layout_set_text (pl, text, -1);
  pango_layout_set_width (pl, width > 0 ? (int) (width * PANGO_SCALE) : -1);
  pango_layout_set_ellipsize (pl, width > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  pango_layout_set_alignment (pl, alignment);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, pl);
}

void
vl_chart_render (const VlChartLayout *layout, const VlChartStyle *style, cairo_t *cr)
{
  TextCache *cache = text_cache_get (style);
  double pad = layout->padding;
  double text_w = layout->width - 2 * pad;

  cairo_save (cr);
  pango_cairo_update_context (cr, cache->context);
  for (guint i = 0; i < G_N_ELEMENTS (cache->layouts); i++)
    pango_layout_context_changed (cache->layouts[i]);

  set_color (cr, &style->background);
  cairo_paint (cr);

  set_color (cr, &style->foreground);
  draw_text (cr, cache, VL_CHART_FONT_TITLE, layout->title, pad, layout->title_y, text_w, PANGO_ALIGN_LEFT);
  set_color (cr, &style->dim);
  if (layout->subtitle != NULL)
    draw_text (cr, cache, VL_CHART_FONT_SUBTITLE, layout->subtitle, pad, layout->subtitle_y, text_w,
               PANGO_ALIGN_LEFT);
  draw_text (cr, cache, VL_CHART_FONT_SMALL, layout->caption, pad, layout->caption_y, text_w, PANGO_ALIGN_LEFT);

  /* Grid and tick labels. */
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < layout->ticks->len; i++)
    {
      const VlChartTick *tick = &g_array_index (layout->ticks, VlChartTick, i);
      double w, h, x = round (tick->x) + 0.5;

      set_color (cr, &style->grid);
      cairo_move_to (cr, x, layout->plot.y);
      cairo_line_to (cr, x, layout->plot.y + layout->plot.height);
      cairo_stroke (cr);
      set_color (cr, &style->dim);
      vl_chart_measure_text (tick->label, VL_CHART_FONT_SMALL, &w, &h, (gpointer) style);
      draw_text (cr, cache, VL_CHART_FONT_SMALL, tick->label,
                 CLAMP (tick->x - w / 2, 0, layout->width - w), layout->tick_label_y, -1, PANGO_ALIGN_LEFT);
    }

  /* Bars, error bars, labels. */
  for (guint i = 0; i < layout->bars->len; i++)
    {
      const VlChartBarLayout *bar = &g_array_index (layout->bars, VlChartBarLayout, i);
      const VlChartColor *color = &style->series[bar->series % style->n_series];

      set_color (cr, color);
      cairo_rectangle (cr, bar->rect.x, bar->rect.y, bar->rect.width, bar->rect.height);
      cairo_fill (cr);
      if (bar->has_error)
        {
          double cy = bar->rect.y + bar->rect.height / 2;
          double cap = MIN (bar->rect.height / 2, 6);

          set_color (cr, &style->error_bar);
          cairo_set_line_width (cr, 1.5);
          cairo_move_to (cr, bar->error_low_x, cy);
          cairo_line_to (cr, bar->error_high_x, cy);
          cairo_move_to (cr, bar->error_low_x, cy - cap / 2);
          cairo_line_to (cr, bar->error_low_x, cy + cap / 2);
          cairo_move_to (cr, bar->error_high_x, cy - cap / 2);
          cairo_line_to (cr, bar->error_high_x, cy + cap / 2);
          cairo_stroke (cr);
        }
      if (!layout->show_labels)
        continue;
      set_color (cr, &style->foreground);
      draw_text (cr, cache, VL_CHART_FONT_LABEL, bar->label, pad, bar->label_y, layout->label_width,
                 PANGO_ALIGN_RIGHT);
      if (bar->failed)
        set_color (cr, &style->dim);
      draw_text (cr, cache, VL_CHART_FONT_LABEL, bar->value_label, bar->value_x, bar->value_y, -1,
                 PANGO_ALIGN_LEFT);
    }

  /* The zero line over the bars' start. */
  set_color (cr, &style->foreground);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, round (layout->zero_x) + 0.5, layout->plot.y);
  cairo_line_to (cr, round (layout->zero_x) + 0.5, layout->plot.y + layout->plot.height);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* ---- export --------------------------------------------------------------------------------- */

static const char *const format_names[] = { "png", "svg", "pdf" };

gboolean
vl_chart_format_from_name (const char *name, VlChartFormat *format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (name, format_names[i]) == 0)
      {
        *format = i;
        return TRUE;
      }
  return FALSE;
}

const char *
vl_chart_format_extension (VlChartFormat format)
{
  return format_names[format];
}

gboolean
vl_chart_export (const VlChartData *data, const VlChartStyle *style, VlChartFormat format, double width,
                 const char *path, GError **error)
{
  double height = vl_chart_preferred_height (data, style);
  g_autoptr(VlChartLayout) layout = vl_chart_layout_compute (data, style, width, height,
                                                             vl_chart_measure_text, (gpointer) style);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  switch (format)
    {
    case VL_CHART_FORMAT_SVG:
      surface = cairo_svg_surface_create (path, width, height);
      break;
    case VL_CHART_FORMAT_PDF:
      surface = cairo_pdf_surface_create (path, width, height);
      break;
    case VL_CHART_FORMAT_PNG:
    default:
      if (width > VL_CHART_PNG_MAX_SIZE || height > VL_CHART_PNG_MAX_SIZE)
        {
          g_autofree char *name = g_filename_display_name (path);

          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("The chart “%s” would be %.0f × %.0f pixels, more than a PNG image can be (%d pixels "
                         "each way); “%s” was not written. Export as SVG or PDF, or show fewer systems"),
                       data->title != NULL ? data->title : "", width, height, VL_CHART_PNG_MAX_SIZE, name);
          return FALSE;
        }
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width), (int) ceil (height));
      break;
    }
  cr = cairo_create (surface);
  vl_chart_render (layout, style, cr);
  cairo_destroy (cr);
  status = cairo_surface_status (surface);
  if (status == CAIRO_STATUS_SUCCESS && format == VL_CHART_FORMAT_PNG)
    status = cairo_surface_write_to_png (surface, path);
  /* SVG and PDF are written out when the surface is finished. */
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("The chart could not be written to “%s”: %s"), name,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
