/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of chart layout (numbers), rendering (pixel probes) and export (PNG, SVG, PDF, CSV). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "vl-error.h"
#include "vl-chart.h"
#include "vl-result-export.h"

/* Text of fixed size, so layout numbers do not depend on the fonts of the machine. */
static void
fixed_measure (const char *text, VlChartFont font, double *width, double *height, gpointer user_data)
{
  *width = 7.0 * g_utf8_strlen (text, -1);
  *height = font == VL_CHART_FONT_TITLE ? 17 : 14;
}

static const double raw_a[] = { 90, 100, 110 };

static VlChartBar three_bars[] = {
  { "alpha", 100, "100.00", raw_a, 3, 0 },
  { "beta", 50, NULL, NULL, 0, 1 },
  { "gamma", 25, "25", NULL, 0, 2 },
};

static VlChartData three = { "Stream", "Type: Copy", "MB/s", VL_PROPORTION_HIB, three_bars, 3 };

static gboolean
is_nice (double step)
{
  double m = step / pow (10, floor (log10 (step) + 1e-9));

  return fabs (m - 1) < 1e-9 || fabs (m - 2) < 1e-9 || fabs (m - 2.5) < 1e-9 || fabs (m - 5) < 1e-9;
}

static void
test_layout_numbers (void)
{
  static const double widths[] = { 400, 640, 800, 1200 };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_autoptr(VlChartLayout) layout = vl_chart_layout_compute (&three, vl_chart_style_default (), widths[w],
                                                                 260, fixed_measure, NULL);
      const VlChartBarLayout *a = &g_array_index (layout->bars, VlChartBarLayout, 0);
      const VlChartBarLayout *b = &g_array_index (layout->bars, VlChartBarLayout, 1);
      const VlChartBarLayout *c = &g_array_index (layout->bars, VlChartBarLayout, 2);
      double per_unit = layout->plot.width / (layout->axis_max - layout->axis_min);

      g_assert_cmpuint (layout->bars->len, ==, 3);
      /* Bars start at zero, their lengths proportional to the values within a pixel. */
      g_assert_cmpfloat (layout->axis_min, ==, 0);
      g_assert_cmpfloat (fabs (a->rect.x - layout->plot.x), <, 1e-9);
      g_assert_cmpfloat (fabs (a->rect.width - 100 * per_unit), <=, 1);
      g_assert_cmpfloat (fabs (b->rect.width - 50 * per_unit), <=, 1);
      g_assert_cmpfloat (fabs (c->rect.width - 25 * per_unit), <=, 1);
      g_assert_cmpfloat (fabs (a->rect.width - 2 * b->rect.width), <=, 1);
      g_assert_cmpfloat (fabs (b->rect.width - 2 * c->rect.width), <=, 1);
      /* In the data's order, top to bottom, not overlapping. */
      g_assert_cmpfloat (a->rect.y + a->rect.height, <=, b->rect.y);
      g_assert_cmpfloat (b->rect.y + b->rect.height, <=, c->rect.y);
      g_assert_cmpfloat (c->rect.y + c->rect.height, <=, layout->plot.y + layout->plot.height);
      /* Round ticks from zero to past the longest bar (and its error bar). */
      g_assert_true (is_nice (layout->tick_step));
      g_assert_cmpfloat (layout->axis_max, >=, 100 + 10 / sqrt (3));
      g_assert_cmpfloat (layout->axis_max - layout->tick_step, <, 100 + 10 / sqrt (3));
      g_assert_cmpuint (layout->ticks->len, >=, 3);
      g_assert_cmpuint (layout->ticks->len, <=, 11);
      for (guint i = 0; i < layout->ticks->len; i++)
        {
          const VlChartTick *tick = &g_array_index (layout->ticks, VlChartTick, i);

          g_assert_cmpfloat (fabs (tick->value - i * layout->tick_step), <, 1e-9);
          g_assert_cmpfloat (fabs (tick->x - (layout->plot.x + tick->value * per_unit)), <, 1e-6);
          g_assert_cmpfloat (g_ascii_strtod (tick->label, NULL), ==, tick->value);
        }
      /* Error bar: SE of 90, 100, 110 is 10/√3 around the stored value. */
      g_assert_true (a->has_error);
      g_assert_false (b->has_error);
      g_assert_cmpfloat_with_epsilon (a->standard_error, 10 / sqrt (3), 1e-9);
      g_assert_cmpfloat (fabs ((a->error_high_x - a->error_low_x) - 2 * 10 / sqrt (3) * per_unit), <, 1e-6);
      g_assert_cmpfloat (a->value_x, >, a->error_high_x);
      /* Labels: value as stored, else formatted; everything inside the chart. */
      g_assert_cmpstr (a->value_label, ==, "100.00");
      g_assert_cmpstr (b->value_label, ==, "50.00");
      g_assert_cmpstr (c->value_label, ==, "25");
      g_assert_true (layout->show_labels);
      g_assert_cmpfloat (a->value_x + 7 * strlen (a->value_label), <=, widths[w]);
      g_assert_cmpfloat (layout->label_width, <=, widths[w] / 3);
      g_assert_cmpstr (layout->title, ==, "Stream");
      g_assert_cmpstr (layout->subtitle, ==, "Type: Copy");
      g_assert_cmpstr (layout->caption, ==, "MB/s · More is better");
      /* Hovering: rows map back to bars. */
      g_assert_cmpint (vl_chart_layout_bar_at (layout, a->rect.x + 1, b->rect.y + 1), ==, 1);
      g_assert_cmpint (vl_chart_layout_bar_at (layout, a->rect.x + 1, layout->title_y), ==, -1);
    }
}

static void
test_layout_failed_and_lib (void)
{
  VlChartBar bars[] = { { "ok", 58.85, "58.850", NULL, 0, 0 }, { "broken", NAN, "", NULL, 0, 1 } };
  VlChartData data = { "Timed Linux Kernel Compilation", "", "Seconds", VL_PROPORTION_LIB, bars, 2 };
  g_autoptr(VlChartLayout) layout = vl_chart_layout_compute (&data, vl_chart_style_default (), 500, 200,
                                                             fixed_measure, NULL);
  const VlChartBarLayout *broken = &g_array_index (layout->bars, VlChartBarLayout, 1);

  g_assert_null (layout->subtitle);
  g_assert_cmpstr (layout->caption, ==, "Seconds · Fewer is better");
  g_assert_true (broken->failed);
  g_assert_cmpfloat (broken->rect.width, ==, 0);
  g_assert_cmpstr (broken->value_label, ==, "Failed");
  g_assert_cmpfloat (layout->axis_max, >=, 58.85);
}

/* Many systems in little room: no text over text, bars still proportional. */
static void
test_layout_crowded (void)
{
  VlChartBar bars[50];
  VlChartData data = { "Crowded", "", "ops", VL_PROPORTION_HIB, bars, 50 };
  g_autoptr(VlChartLayout) layout = NULL;

  for (guint i = 0; i < 50; i++)
    bars[i] = (VlChartBar) { "system", 10 + i, NULL, NULL, 0, i };
  layout = vl_chart_layout_compute (&data, vl_chart_style_default (), 800, 300, fixed_measure, NULL);
  g_assert_false (layout->show_labels);
  for (guint i = 1; i < 50; i++)
    {
      const VlChartBarLayout *prev = &g_array_index (layout->bars, VlChartBarLayout, i - 1);
      const VlChartBarLayout *bar = &g_array_index (layout->bars, VlChartBarLayout, i);

      g_assert_cmpfloat (bar->rect.y, >=, prev->rect.y + prev->rect.height);
      g_assert_cmpfloat (bar->rect.width, >, prev->rect.width);
    }
}

static void
probe (cairo_surface_t *surface, double x, double y, double scale, guint8 rgb[3])
{
  int stride = cairo_image_surface_get_stride (surface);
  guint32 *row = (guint32 *) (cairo_image_surface_get_data (surface) + (int) (y * scale) * stride);
  guint32 px = row[(int) (x * scale)];

  rgb[0] = px >> 16 & 0xff;
  rgb[1] = px >> 8 & 0xff;
  rgb[2] = px & 0xff;
}

static void
assert_color (cairo_surface_t *surface, double x, double y, double scale, const VlChartColor *want)
{
  guint8 rgb[3];

  probe (surface, x, y, scale, rgb);
  g_assert_cmpint (abs (rgb[0] - (int) round (want->red * 255)), <=, 2);
  g_assert_cmpint (abs (rgb[1] - (int) round (want->green * 255)), <=, 2);
  g_assert_cmpint (abs (rgb[2] - (int) round (want->blue * 255)), <=, 2);
}

/* Rendered with real fonts at 400 px and at 2x (HiDPI): every bar has its system's colour. */
static void
test_render_pixels (void)
{
  const VlChartStyle *style = vl_chart_style_default ();
  static const double scales[] = { 1, 2 };

  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    {
      double scale = scales[s], width = 400, height = vl_chart_preferred_height (&three, style);
      g_autoptr(VlChartLayout) layout = vl_chart_layout_compute (&three, style, width, height,
                                                                 vl_chart_measure_text, (gpointer) style);
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width * scale, height * scale);
      cairo_t *cr;

      cairo_surface_set_device_scale (surface, scale, scale);
      cr = cairo_create (surface);
      vl_chart_render (layout, style, cr);
      cairo_destroy (cr);
      cairo_surface_flush (surface);

      g_assert_true (layout->show_labels);
      for (guint i = 0; i < 3; i++)
        {
          const VlChartBarLayout *bar = &g_array_index (layout->bars, VlChartBarLayout, i);

          /* A quarter into the bar, a quarter down: clear of the zero line and the error bar. */
          assert_color (surface, bar->rect.x + bar->rect.width * 0.25 + 2, bar->rect.y + bar->rect.height * 0.25,
                        scale, &style->series[bar->series]);
          /* Past the value label, at the bar's height: background. */
          assert_color (surface, width - 3, bar->rect.y + 2, scale, &style->background);
        }
      /* The error bar's line crosses the first bar's end. */
      {
        const VlChartBarLayout *a = &g_array_index (layout->bars, VlChartBarLayout, 0);
        guint8 rgb[3];

        probe (surface, a->error_high_x - 1, a->rect.y + a->rect.height / 2, scale, rgb);
        g_assert_cmpint (rgb[0] + rgb[1] + rgb[2], <, 200);
      }
      cairo_surface_destroy (surface);
    }
}

static VlResultSet *
load_study (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("VL_TOP_SRCDIR"), "data", "results", "xen-kvm-2010.xml", NULL);
  g_autoptr(GError) error = NULL;
  VlResultSet *set = vl_result_file_load (path, &error);

  g_assert_no_error (error);
  return set;
}

/* A system keeps its colour in every chart, whatever order the user puts systems in. */
static void
test_series_per_system (void)
{
  g_autoptr(VlResultSet) set = load_study ();
  static const char *const reordered[] = { "KVM-HVM", "Xen-PV", NULL };

  for (guint r = 0; r < set->results->len; r++)
    {
      g_autoptr(VlResultChart) all = vl_result_chart_new (set, g_ptr_array_index (set->results, r), NULL);
      g_autoptr(VlResultChart) some = vl_result_chart_new (set, g_ptr_array_index (set->results, r), reordered);

      g_assert_cmpuint (all->data.n_bars, ==, 3);
      g_assert_cmpstr (all->bars[1].label, ==, "Xen-HVM");
      g_assert_cmpuint (all->bars[1].series, ==, 1);
      g_assert_cmpuint (some->data.n_bars, ==, 2);
      g_assert_cmpstr (some->bars[0].label, ==, "KVM-HVM");
      g_assert_cmpuint (some->bars[0].series, ==, 2);
      g_assert_cmpuint (some->bars[1].series, ==, 0);
    }
}

static char *
read_all (const char *path, gsize *length)
{
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, length, NULL));
  return data;
}

static void
test_export (void)
{
  g_autoptr(VlResultSet) set = load_study ();
  g_autofree char *dir = g_dir_make_tmp ("vl-chart-export-XXXXXX", NULL);
  static const char *const formats[] = { "png", "svg", "pdf", "csv" };
  g_autoptr(GError) error = NULL;

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *sub = g_build_filename (dir, formats[f], NULL);
      g_autoptr(GPtrArray) files = vl_result_set_export (set, NULL, VL_CATEGORY_ALL, formats[f], 640, sub, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (files->len, ==, g_str_equal (formats[f], "csv") ? 1 : 12);
      for (guint i = 0; i < files->len; i++)
        {
          const char *path = g_ptr_array_index (files, i);
          gsize length;
          g_autofree char *data = read_all (path, &length);

          g_assert_true (g_str_has_suffix (path, formats[f]));
          if (g_str_equal (formats[f], "png"))
            {
              cairo_surface_t *png = cairo_image_surface_create_from_png (path);

              g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
              g_assert_cmpint (cairo_image_surface_get_width (png), ==, 640);
              g_assert_cmpint (cairo_image_surface_get_height (png), >=, 120);
              cairo_surface_destroy (png);
            }
          else if (g_str_equal (formats[f], "svg"))
            {
              g_assert_nonnull (strstr (data, "<svg"));
              g_assert_nonnull (strstr (data, "</svg>"));
              g_assert_nonnull (strstr (data, "width=\"640\""));
            }
          else if (g_str_equal (formats[f], "pdf"))
            {
              g_assert_true (g_str_has_prefix (data, "%PDF-"));
              g_assert_nonnull (g_strrstr (data + length - 32, "%%EOF"));
            }
          else
            {
              static const char *const numbers[] = {
                "2304.17", "2885.10", "3228.48", "20.87", "20.96", "21.79", "17.34", "18.16", "18.78",
                "2026.32", "2020.17", "2008.86", "7995.89", "8338.78", "7940.70", "16612.87", "16564.89",
                "16436.59", "3934.79", "3663.37", "3872.83", "3961.87", "3688.82", "3910.84", "19.84",
                "11.56", "4.09", "14.27", "9.77", "8.22", "13.14", "27.24", "8.06", "0.43", "0.17", "0.24",
              };
              g_auto(GStrv) lines = g_strsplit (data, "\r\n", -1);

              g_assert_cmpstr (lines[0], ==, "Result,Variant,Unit,Direction,Category,Xen-PV,Xen-HVM,KVM-HVM,"
                                             "Xen-PV SE,Xen-HVM SE,KVM-HVM SE");
              g_assert_cmpstr (lines[1], ==, "Timed Linux Kernel Compilation,,secs,LIB,cpu,2304.17,2885.10,3228.48,,,");
              g_assert_cmpuint (g_strv_length (lines), ==, 14);
              for (guint n = 0; n < G_N_ELEMENTS (numbers); n++)
                g_assert_nonnull (strstr (data, numbers[n]));
            }
          g_unlink (path);
        }
      g_rmdir (sub);
    }
  g_rmdir (dir);
}

/* Pixels of one series colour in a PNG: how much of a system's bars was drawn. */
static guint
count_colour (const char *png_path, guint rgb)
{
  cairo_surface_t *png = cairo_image_surface_create_from_png (png_path);
  const unsigned char *data;
  int stride, w, h;
  guint n = 0;

  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (png);
  data = cairo_image_surface_get_data (png);
  stride = cairo_image_surface_get_stride (png);
  w = cairo_image_surface_get_width (png);
  h = cairo_image_surface_get_height (png);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      n += (*(const guint32 *) (data + y * stride + 4 * x) & 0xffffff) == rgb;
  cairo_surface_destroy (png);
  return n;
}

/* Issue 15, item 7: with systems hidden, the export is what the page shows. The study's three
 * systems plus host-1 of merge-a.xml; host-1 hidden as on the page: the study's twelve charts,
 * each with bars scaled to their values (not an empty 0-1 axis), and merge-a's two results, which
 * no shown system ran, counted as left out rather than written as empty frames. */
static void
test_export_shown_systems (void)
{
  g_autoptr(VlResultSet) set = load_study ();
  g_autofree char *merge = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "results", "fixtures", "merge-a.xml", NULL);
  g_autoptr(VlResultSet) extra = vl_result_file_load (merge, NULL);
  g_autofree char *dir = g_dir_make_tmp ("vl-chart-shown-XXXXXX", NULL);
  static const char *const shown[] = { "KVM-HVM", "Xen-PV", NULL };
  static const char *const only_host[] = { "host-1", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pngs = NULL;
  g_autoptr(GPtrArray) csvs = NULL;
  g_autoptr(GPtrArray) host = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *png_dir = g_build_filename (dir, "png", NULL);
  g_autofree char *csv_dir = g_build_filename (dir, "csv", NULL);
  g_autofree char *host_dir = g_build_filename (dir, "host", NULL);
  guint left_out = 99;

  g_assert_nonnull (extra);
  vl_result_set_merge (set, extra);

  pngs = vl_result_set_export (set, shown, VL_CATEGORY_ALL, "png", 640, png_dir, &left_out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pngs->len, ==, 12);
  g_assert_cmpuint (left_out, ==, 2);
  for (guint i = 0; i < pngs->len; i++)
    {
      /* KVM-HVM keeps its colour (series 2, green) and Xen-PV its blue; Xen-HVM's orange is gone.
       * A bar of a tenth of the plot is at least 40 x 10 pixels. */
      g_assert_cmpuint (count_colour (pngs->pdata[i], 0x26a269), >, 400);
      g_assert_cmpuint (count_colour (pngs->pdata[i], 0x3584e4), >, 400);
      g_assert_cmpuint (count_colour (pngs->pdata[i], 0xe66100), ==, 0);
      g_unlink (pngs->pdata[i]);
    }

  /* The CSV has the shown systems' columns, and no row of empty cells for merge-a's results. */
  csvs = vl_result_set_export (set, shown, VL_CATEGORY_ALL, "csv", 640, csv_dir, &left_out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left_out, ==, 2);
  g_assert_true (g_file_get_contents (csvs->pdata[0], &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "Result,Variant,Unit,Direction,Category,KVM-HVM,Xen-PV,KVM-HVM SE,Xen-PV SE\r\n"));
  g_assert_null (strstr (csv, "Xen-HVM"));
  g_assert_null (strstr (csv, "Gzip"));
  g_unlink (csvs->pdata[0]);

  /* Only host-1 shown: its two charts, the study's twelve left out. */
  host = vl_result_set_export (set, only_host, VL_CATEGORY_ALL, "svg", 640, host_dir, &left_out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (host->len, ==, 2);
  g_assert_cmpuint (left_out, ==, 12);
  for (guint i = 0; i < host->len; i++)
    g_unlink (host->pdata[i]);
  g_rmdir (png_dir);
  g_rmdir (csv_dir);
  g_rmdir (host_dir);
  g_rmdir (dir);
}

static void
test_export_errors (void)
{
  g_autofree char *bad = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "results", "fixtures", "bad-truncated.xml", NULL);
  g_autofree char *good = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "results", "fixtures", "merge-a.xml", NULL);
  const char *paths[] = { good, bad, NULL };
  const char *none[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;

  files = vl_result_files_export (paths, "svg", "/nonexistent-never-made", &error);
  g_assert_null (files);
  g_assert_nonnull (strstr (error->message, "bad-truncated.xml"));
  g_clear_error (&error);
  files = vl_result_files_export (paths, "bmp", "/tmp", &error);
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "bmp"));
  g_clear_error (&error);
  files = vl_result_files_export (none, "png", "/tmp", &error);
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  paths[1] = NULL;
  files = vl_result_files_export (paths, "png", "/proc/version/x", &error);
  g_assert_null (files);
  g_assert_nonnull (strstr (error->message, "/proc/version/x"));
}

/* Degenerate data: all values equal, a single system, zero, negative, tiny and huge values,
 * only a failed run. The axis must still start at zero (or below), end on a round tick past the
 * longest bar, label every tick differently without overlapping, and the bars must keep their
 * proportions and a sensible size. */
static const double raw_equal[] = { 99, 100, 101 };

static VlChartBar equal_bars[] = {
  { "alpha", 100, "100", NULL, 0, 0 }, { "beta", 100, "100", NULL, 0, 1 }, { "gamma", 100, "100", NULL, 0, 2 },
};
static VlChartBar equal_se_bars[] = {
  { "alpha", 100, "100", raw_equal, 3, 0 }, { "beta", 100, "100", raw_equal, 3, 1 },
};
static VlChartBar single_bar[] = { { "only", 58.85, "58.850", NULL, 0, 0 } };
static VlChartBar single_zero[] = { { "only", 0, "0", NULL, 0, 0 } };
static VlChartBar zero_bars[] = { { "a", 0, "0", NULL, 0, 0 }, { "b", 0, "0", NULL, 0, 1 } };
static VlChartBar negative_bars[] = { { "a", -5, "-5", NULL, 0, 0 }, { "b", -5, "-5", NULL, 0, 1 } };
static VlChartBar tiny_bar[] = { { "only", 0.0004, "0.0004", NULL, 0, 0 } };
static VlChartBar huge_bars[] = { { "a", 123456789, "123456789", NULL, 0, 0 }, { "b", 123456789, "123456789", NULL, 0, 1 } };
static VlChartBar failed_bar[] = { { "only", NAN, "", NULL, 0, 0, "The test run did not produce a result." } };

static const struct { const char *name; VlChartBar *bars; guint n; } degenerate[] = {
  { "equal", equal_bars, 3 }, { "equal-with-se", equal_se_bars, 2 }, { "single", single_bar, 1 },
  { "single-zero", single_zero, 1 }, { "all-zero", zero_bars, 2 }, { "equal-negative", negative_bars, 2 },
  { "single-tiny", tiny_bar, 1 }, { "equal-huge", huge_bars, 2 }, { "single-failed", failed_bar, 1 },
};

static double
text_width (VlChartMeasureFunc measure, const char *text)
{
  double w, h;

  measure (text, VL_CHART_FONT_SMALL, &w, &h, (gpointer) vl_chart_style_default ());
  return w;
}

static void
check_layout_degenerate (VlChartMeasureFunc measure)
{
  static const double widths[] = { 400, 800 };
  double label_h, unused;

  measure ("Hg", VL_CHART_FONT_LABEL, &unused, &label_h, (gpointer) vl_chart_style_default ());
  for (guint c = 0; c < G_N_ELEMENTS (degenerate); c++)
    for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
      {
        VlChartData data = { "Test", NULL, "Units", VL_PROPORTION_HIB, degenerate[c].bars, degenerate[c].n };
        double height = vl_chart_preferred_height (&data, vl_chart_style_default ());
        g_autoptr(VlChartLayout) layout = vl_chart_layout_compute (&data, vl_chart_style_default (), widths[w],
                                                                   height, measure,
                                                                   (gpointer) vl_chart_style_default ());
        double per_unit = layout->plot.width / (layout->axis_max - layout->axis_min);
        double lo = 0, hi = 0;
        g_autofree char *where = g_strdup_printf ("%s at %g px", degenerate[c].name, widths[w]);

        g_test_message ("%s: axis %g..%g step %g, %u ticks", where, layout->axis_min, layout->axis_max,
                        layout->tick_step, layout->ticks->len);
        /* Ticks: round, at least two, each labelled differently, labels apart. */
        if (!is_nice (layout->tick_step))
          g_error ("%s: the tick step %g is not round", where, layout->tick_step);
        if (layout->ticks->len < 2 || layout->ticks->len > 11)
          g_error ("%s: %u ticks", where, layout->ticks->len);
        for (guint i = 1; i < layout->ticks->len; i++)
          {
            const VlChartTick *prev = &g_array_index (layout->ticks, VlChartTick, i - 1);
            const VlChartTick *tick = &g_array_index (layout->ticks, VlChartTick, i);
            double room = (text_width (measure, prev->label) + text_width (measure, tick->label)) / 2 + 4;

            if (g_str_equal (prev->label, tick->label))
              g_error ("%s: two ticks read “%s”", where, tick->label);
            if (tick->x - prev->x < room)
              g_error ("%s: ticks “%s” and “%s” are %g px apart, their labels need %g", where,
                       prev->label, tick->label, tick->x - prev->x, room);
            g_assert_cmpfloat (fabs (g_ascii_strtod (tick->label, NULL) - tick->value), <=, layout->tick_step / 100);
          }
        /* Zero is on the axis; the axis covers every value and its error bar. */
        for (guint i = 0; i < data.n_bars; i++)
          if (isfinite (data.bars[i].value))
            {
              const VlChartBarLayout *bar = &g_array_index (layout->bars, VlChartBarLayout, i);

              lo = MIN (lo, data.bars[i].value - (bar->has_error ? bar->standard_error : 0));
              hi = MAX (hi, data.bars[i].value + (bar->has_error ? bar->standard_error : 0));
            }
        g_assert_cmpfloat (layout->axis_min, <=, lo);
        g_assert_cmpfloat (layout->axis_max, >=, hi);
        g_assert_cmpfloat (layout->axis_min, <=, 0);
        g_assert_cmpfloat (layout->axis_max, >=, 0);
        /* The longest bar fills most of the axis: the axis ends on the first tick past it. */
        if (hi - lo > 0)
          {
            double span = MAX (hi, 0) - MIN (lo, 0);

            if (span < 0.5 * (layout->axis_max - layout->axis_min))
              g_error ("%s: the values span %g of an axis of %g", where, span,
                       layout->axis_max - layout->axis_min);
          }
        for (guint i = 0; i < data.n_bars; i++)
          {
            const VlChartBarLayout *bar = &g_array_index (layout->bars, VlChartBarLayout, i);
            const VlChartBarLayout *first = &g_array_index (layout->bars, VlChartBarLayout, 0);

            /* Proportional, equal values equally long, inside the plot. */
            if (bar->failed)
              g_assert_cmpfloat (bar->rect.width, ==, 0);
            else
              g_assert_cmpfloat (fabs (bar->rect.width - fabs (data.bars[i].value) * per_unit), <=, 1);
            g_assert_cmpfloat (fabs (bar->rect.width - first->rect.width), <=, 1e-9);
            g_assert_cmpfloat (bar->rect.x, >=, layout->plot.x - 1e-9);
            g_assert_cmpfloat (bar->rect.x + bar->rect.width, <=, layout->plot.x + layout->plot.width + 1e-9);
            /* A lone bar is a bar, not a slab: at most 1.6 text lines thick, and visible. */
            g_assert_cmpfloat (bar->rect.height, <=, label_h * 1.6 + 1e-9);
            g_assert_cmpfloat (bar->rect.height, >=, 8);
            g_assert_cmpfloat (bar->rect.y, >=, layout->plot.y);
            g_assert_cmpfloat (bar->rect.y + bar->rect.height, <=, layout->plot.y + layout->plot.height);
            {
              double vw, vh;

              measure (bar->value_label, VL_CHART_FONT_LABEL, &vw, &vh, (gpointer) vl_chart_style_default ());
              g_assert_cmpfloat (bar->value_x + vw, <=, widths[w]);
            }
          }
      }
}

/* With text of a fixed size, and with the real fonts (pango), which are wider. */
static void
test_layout_degenerate (void)
{
  check_layout_degenerate (fixed_measure);
  check_layout_degenerate (vl_chart_measure_text);
}


/* Issue 14, item 1: values as large as a double holds (±1.7e308, 1.1e308 written out in full, ±1e308
 * together) sent the tick loop past infinity until memory ran out, and ±inf reached an int cast.
 * Every finite value must give a finite axis with a few short tick labels and bars inside the plot. */
static const double huge_raw[] = { 1.7e308, -1.7e308, 1.7e308 };
static const double tiny_raw[] = { 4.9e-324, 1e-320 };

typedef struct {
  const char *name;
  VlChartBar  bars[4];
  guint       n;
} ExtremeCase;

static ExtremeCase extremes[] = {
  { "+1.7e308", { { "a", 1.7e308, "1.7e308" } }, 1 },
  { "-1.7e308", { { "a", -1.7e308, "-1.7e308" } }, 1 },
  { "±1.7e308", { { "a", 1.7e308, NULL }, { "b", -1.7e308, NULL } }, 2 },
  { "DBL_MAX and -DBL_MAX", { { "a", G_MAXDOUBLE, NULL }, { "b", -G_MAXDOUBLE, NULL } }, 2 },
  { "±1e308", { { "a", 1e308, "1e308" }, { "b", -1e308, "-1e308" } }, 2 },
  { "1.1e308 written out", { { "a", 1.1e308, NULL }, { "b", 1, "1" } }, 2 },
  { "1.7e308 with a huge error bar", { { "a", 1.7e308, NULL, huge_raw, 3 }, { "b", 2, NULL } }, 2 },
  { "1e308 beside 1e-308", { { "a", 1e308, NULL }, { "b", 1e-308, NULL } }, 2 },
  { "subnormal", { { "a", 4.9e-324, NULL, tiny_raw, 2 } }, 1 },
  { "1e-300 and -1e-300", { { "a", 1e-300, NULL }, { "b", -1e-300, NULL } }, 2 },
  { "1e15 and 1", { { "a", 1e15, NULL }, { "b", 1, NULL } }, 2 },
  { "+inf, -inf, NaN and 5", { { "a", INFINITY, NULL }, { "b", -INFINITY, NULL }, { "c", NAN, NULL },
                               { "d", 5, NULL } }, 4 },
  { "only +inf and -inf", { { "a", INFINITY, NULL }, { "b", -INFINITY, NULL } }, 2 },
};

static void
check_extreme_layout (const VlChartData *data, double width, VlChartMeasureFunc measure, const char *where)
{
  double height = vl_chart_preferred_height (data, vl_chart_style_default ());
  g_autoptr(VlChartLayout) layout = vl_chart_layout_compute (data, vl_chart_style_default (), width, height,
                                                             measure, (gpointer) vl_chart_style_default ());
  g_test_message ("%s: axis %g..%g ×10^%d, step %g, %u ticks", where, layout->axis_min, layout->axis_max,
                  layout->axis_exponent, layout->tick_step, layout->ticks->len);
  g_assert_true (isfinite (layout->axis_min) && isfinite (layout->axis_max) && isfinite (layout->tick_step));
  g_assert_cmpfloat (layout->axis_max, >, layout->axis_min);
  g_assert_true (is_nice (layout->tick_step));
  g_assert_cmpuint (layout->ticks->len, >=, 2);
  g_assert_cmpuint (layout->ticks->len, <=, 11);
  g_assert_true (isfinite (layout->zero_x));
  for (guint i = 0; i < layout->ticks->len; i++)
    {
      const VlChartTick *tick = &g_array_index (layout->ticks, VlChartTick, i);

      g_assert_true (isfinite (tick->x));
      g_assert_cmpfloat (tick->x, >=, layout->plot.x - 1e-6);
      g_assert_cmpfloat (tick->x, <=, layout->plot.x + layout->plot.width + 1e-6);
      /* Short: "-1.5e308", not 309 digits. */
      g_assert_cmpuint (strlen (tick->label), <=, 24);
      /* The label reads as the tick's value: "2e308" is 2 in units of 10^308 (which as a
       * number would be beyond a double). */
      if (tick->value != 0)
        {
          g_auto(GStrv) parts = g_strsplit (tick->label, "e", 2);

          g_assert_cmpint (parts[1] != NULL ? atoi (parts[1]) : 0, ==, layout->axis_exponent);
          g_assert_cmpfloat (fabs (g_ascii_strtod (parts[0], NULL) - tick->value), <=, layout->tick_step / 100);
        }
    }
  for (guint i = 0; i < data->n_bars; i++)
    {
      const VlChartBarLayout *bar = &g_array_index (layout->bars, VlChartBarLayout, i);

      g_assert_true (isfinite (bar->rect.x) && isfinite (bar->rect.width) && isfinite (bar->value_x));
      g_assert_cmpfloat (bar->rect.x, >=, layout->plot.x - 1e-6);
      g_assert_cmpfloat (bar->rect.x + bar->rect.width, <=, layout->plot.x + layout->plot.width + 1e-6);
      g_assert_cmpuint (g_utf8_strlen (bar->value_label, -1), <=, 24);
      g_assert_cmpint (bar->failed, ==, !isfinite (data->bars[i].value));
      if (bar->has_error)
        g_assert_true (isfinite (bar->error_low_x) && isfinite (bar->error_high_x));
      /* The longest bar is drawn, not an empty chart. */
      if (!bar->failed && fabs (data->bars[i].value) >= 1e307)
        g_assert_cmpfloat (bar->rect.width, >, layout->plot.width / 4);
    }
}

static void
test_layout_extreme (void)
{
  static const double widths[] = { 1, 120, 400, 800, 4000 };
  g_autofree char *digits = g_strdup_printf ("%.0f", 1.1e308);
  g_autofree char *dir = g_dir_make_tmp ("vl-chart-extreme-XXXXXX", NULL);

  g_assert_cmpuint (strlen (digits), ==, 309);
  extremes[5].bars[0].value_text = digits;
  for (guint c = 0; c < G_N_ELEMENTS (extremes); c++)
    {
      VlChartData data = { "Extreme", NULL, "Units", VL_PROPORTION_HIB, extremes[c].bars, extremes[c].n };

      for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
        {
          g_autofree char *where = g_strdup_printf ("%s at %g px", extremes[c].name, widths[w]);

          check_extreme_layout (&data, widths[w], fixed_measure, where);
          check_extreme_layout (&data, widths[w], vl_chart_measure_text, where);
        }
      /* And it is written out, as the export does. */
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *path = g_strdup_printf ("%s/extreme-%u.png", dir, c);

        g_assert_true (vl_chart_export (&data, vl_chart_style_default (), VL_CHART_FORMAT_PNG, 800, path, &error));
        g_assert_no_error (error);
        g_assert_cmpint (g_unlink (path), ==, 0);
      }
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Issue 14, item 3: a PNG taller than 32,767 px (1,400 systems in one result) stopped the export
 * half way, files left behind, with a message that named the PNG and not the cause. Now it is
 * refused before anything is written, saying why; SVG still takes it. */
static void
test_export_tall_png (void)
{
  g_autoptr(GString) xml = g_string_new ("<PhoronixTestSuite><Result><Title>Small</Title>"
                                         "<DisplayFormat>BAR_GRAPH</DisplayFormat><Data><Entry>"
                                         "<Identifier>s0</Identifier><Value>1</Value></Entry></Data></Result>"
                                         "<Result><Title>Crowded</Title><DisplayFormat>BAR_GRAPH</DisplayFormat><Data>");
  g_autofree char *dir = g_dir_make_tmp ("vl-tall-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VlResultSet) set = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GDir) listing = NULL;

  for (guint i = 0; i < 1400; i++)
    g_string_append_printf (xml, "<Entry><Identifier>s%u</Identifier><Value>%u</Value></Entry>", i, i + 1);
  g_string_append (xml, "</Data></Result></PhoronixTestSuite>");
  set = vl_result_file_load_data (xml->str, xml->len, "tall.xml", &error);
  g_assert_no_error (error);

  files = vl_result_set_export (set, NULL, VL_CATEGORY_ALL, "png", 800, dir, NULL, &error);
  g_assert_null (files);
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Crowded"));
  g_assert_nonnull (strstr (error->message, "1400"));
  g_assert_nonnull (strstr (error->message, "32767"));
  g_assert_nonnull (strstr (error->message, "SVG"));
  /* Nothing half done: not even the small chart before it. */
  listing = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));
  g_clear_error (&error);

  files = vl_result_set_export (set, NULL, VL_CATEGORY_ALL, "svg", 800, dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 2);
  for (guint i = 0; i < files->len; i++)
    g_assert_cmpint (g_unlink (files->pdata[i]), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/results/chart/layout-numbers", test_layout_numbers);
  g_test_add_func ("/results/chart/layout-failed-lib", test_layout_failed_and_lib);
  g_test_add_func ("/results/chart/layout-degenerate", test_layout_degenerate);
  g_test_add_func ("/results/chart/layout-crowded", test_layout_crowded);
  g_test_add_func ("/results/chart/layout-extreme", test_layout_extreme);
  g_test_add_func ("/results/chart/render-pixels", test_render_pixels);
  g_test_add_func ("/results/chart/series-per-system", test_series_per_system);
  g_test_add_func ("/results/chart/export", test_export);
  g_test_add_func ("/results/chart/export-errors", test_export_errors);
  g_test_add_func ("/results/chart/export-tall-png", test_export_tall_png);
  g_test_add_func ("/results/chart/export-shown-systems", test_export_shown_systems);
  return g_test_run ();
}
