/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One benchmark chart: its layout as plain numbers, and its painting on any cairo surface. */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "vl-result-file.h"

G_BEGIN_DECLS

typedef struct {
  double red, green, blue, alpha;
} VlChartColor;

typedef struct {
  VlChartColor        background;
  VlChartColor        foreground;
  VlChartColor        dim;         /* subtitle, caption, tick labels */
  VlChartColor        grid;
  VlChartColor        error_bar;
  const VlChartColor *series;      /* one colour per system, the same in every chart */
  guint               n_series;
  const char         *font_family;
  double              font_size;   /* of labels, in user units (px at scale 1) */
} VlChartStyle;

typedef enum {
  VL_CHART_FONT_TITLE,
  VL_CHART_FONT_SUBTITLE,
  VL_CHART_FONT_LABEL,
  VL_CHART_FONT_SMALL,
} VlChartFont;

/* The largest width or height of a PNG chart: cairo's image surfaces end there. */
#define VL_CHART_PNG_MAX_SIZE 32767

typedef enum {
  VL_CHART_FORMAT_PNG,
  VL_CHART_FORMAT_SVG,
  VL_CHART_FORMAT_PDF,
} VlChartFormat;

typedef struct {
  const char   *label;       /* the system */
  double        value;       /* NAN: the run failed */
  const char   *value_text;  /* the value as stored; NULL to format `value` */
  const double *raw;         /* the single runs, for the error bar */
  guint         n_raw;
  guint         series;      /* index into VlChartStyle.series */
  const char   *error;       /* a failed run: why, as PTS stored it; NULL when it did not say */
} VlChartBar;

typedef struct {
  const char       *title;
  const char       *subtitle;
  const char       *unit;
  VlProportion      proportion;
  const VlChartBar *bars;
  guint             n_bars;
} VlChartData;

typedef void (*VlChartMeasureFunc) (const char  *text,
                                    VlChartFont  font,
                                    double      *width,
                                    double      *height,
                                    gpointer     user_data);

typedef struct {
  double x, y, width, height;
} VlChartRect;

typedef struct {
  double  value;             /* in axis units: the value is value * 10^axis_exponent */
  double  x;
  char   *label;
} VlChartTick;

typedef struct {
  VlChartRect rect;          /* zero width for a failed run */
  guint       series;
  gboolean    failed;
  gboolean    has_error;     /* two or more single runs */
  double      mean;          /* of the single runs */
  double      standard_error;
  double      error_low_x;   /* mean - SE, mean + SE on the axis */
  double      error_high_x;
  char       *label;
  double      label_y;       /* top of the system label, right-aligned in the label column */
  char       *value_label;
  double      value_x;       /* top-left of the value label */
  double      value_y;
} VlChartBarLayout;

typedef struct {
  double       width, height;
  double       padding;
  char        *title;
  double       title_y;
  char        *subtitle;     /* NULL when the result has no variant */
  double       subtitle_y;
  char        *caption;      /* "MB/s · More is better" */
  double       caption_y;
  VlChartRect  plot;         /* where the bars are */
  double       label_width;  /* the column left of the plot holding the system names */
  gboolean     show_labels;  /* FALSE when bars are too thin for text */
  double       axis_min, axis_max, tick_step;  /* in axis units, 10^axis_exponent each */
  int          axis_exponent;                /* 0 unless values reach 1e9 or stay below 1e-6 */
  double       zero_x;
  double       tick_label_y;
  GArray      *ticks;        /* VlChartTick */
  GArray      *bars;         /* VlChartBarLayout, in the order of the data */
} VlChartLayout;

const VlChartStyle *vl_chart_style_default     (void);
double              vl_chart_preferred_height  (const VlChartData  *data,
                                                const VlChartStyle *style);
void                vl_chart_measure_text      (const char         *text,
                                                VlChartFont         font,
                                                double             *width,
                                                double             *height,
                                                gpointer            style);
VlChartLayout      *vl_chart_layout_compute    (const VlChartData  *data,
                                                const VlChartStyle *style,
                                                double              width,
                                                double              height,
                                                VlChartMeasureFunc  measure,
                                                gpointer            measure_data);
void                vl_chart_layout_free       (VlChartLayout      *layout);
int                 vl_chart_layout_bar_at     (const VlChartLayout *layout,
                                                double              x,
                                                double              y);
void                vl_chart_render            (const VlChartLayout *layout,
                                                const VlChartStyle *style,
                                                cairo_t            *cr);
gboolean            vl_chart_format_from_name  (const char         *name,
                                                VlChartFormat      *format);
const char         *vl_chart_format_extension  (VlChartFormat       format);
gboolean            vl_chart_export            (const VlChartData  *data,
                                                const VlChartStyle *style,
                                                VlChartFormat       format,
                                                double              width,
                                                const char         *path,
                                                GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlChartLayout, vl_chart_layout_free)

G_END_DECLS
