/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target of the chart layout: any values (the bits of a double: huge, tiny, subnormal,
 * inf, NaN), any number of bars and single runs, any width, height and font size, any value text.
 * The layout must end (no endless tick loop), never crash, and give a usable axis: a few ticks at
 * finite places, bars inside the plot whenever the size itself is sane. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "vl-chart.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct {
  const uint8_t *p;
  size_t         left;
} Input;

static uint8_t
take_byte (Input *in)
{
  if (in->left == 0)
    return 0;
  in->left--;
  return *in->p++;
}

static double
take_double (Input *in)
{
  double value = 0;
  uint8_t bytes[sizeof value] = { 0 };

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = take_byte (in);
  memcpy (&value, bytes, sizeof value);
  return value;
}

/* Text of a fixed size per character, the size itself from the input (0 to 25.5 px). */
static void
measure (const char *text, VlChartFont font, double *width, double *height, gpointer user_data)
{
  double em = *(double *) user_data;

  *width = em * 0.6 * g_utf8_strlen (text, -1);
  *height = em * (font == VL_CHART_FONT_TITLE ? 1.4 : 1.15);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  Input in = { data, size };
  guint n_bars = take_byte (&in) % 65;
  uint8_t shape = take_byte (&in);
  double width, height, em = take_byte (&in) / 10.0;
  VlChartStyle style = *vl_chart_style_default ();
  VlChartBar *bars = g_new0 (VlChartBar, MAX (1, n_bars));
  GPtrArray *owned = g_ptr_array_new_with_free_func (g_free);
  VlChartData chart = { "Fuzz", shape & 1 ? "Variant" : NULL, shape & 2 ? "MB/s" : NULL, shape % 3, bars, n_bars };
  VlChartLayout *layout;
  gboolean sane;

  /* Width: everyday sizes mostly, the raw bits of a double now and then. */
  width = shape & 4 ? take_double (&in) : take_byte (&in) * 16.0;
  style.font_size = MAX (em, 1);
  for (guint i = 0; i < n_bars; i++)
    {
      uint8_t kind = take_byte (&in);
      guint n_raw = kind & 7;
      double *raw = g_new0 (double, MAX (1, n_raw));

      bars[i].label = kind & 8 ? "a system with a rather long name that needs ellipsizing" : "sys";
      bars[i].value = take_double (&in);
      bars[i].series = kind >> 4;
      for (guint r = 0; r < n_raw; r++)
        raw[r] = take_double (&in);
      bars[i].raw = raw;
      bars[i].n_raw = n_raw;
      g_ptr_array_add (owned, raw);
      if (kind & 0x80)
        {
          /* The value as stored: up to 400 digits, as a file may write 1.1e308 out in full. */
          guint len = take_byte (&in) * 2 % 400;
          char *text = g_malloc (len + 1);

          for (guint c = 0; c < len; c++)
            text[c] = '0' + take_byte (&in) % 10;
          text[len] = '\0';
          bars[i].value_text = text;
          g_ptr_array_add (owned, text);
        }
    }
  height = shape & 8 ? take_double (&in) : (in.left > 0 ? take_byte (&in) * 8.0 : 0);
  /* The page and the export ask for the height the chart wants: about two lines per bar.
   * (vl_chart_preferred_height itself measures with pango, whose font caches live for the
   * process and would be reported as leaks of each input.) */
  if (shape & 16)
    height = 4 * em + MAX (1, n_bars) * em * 1.15 * 1.9;

  layout = vl_chart_layout_compute (&chart, &style, width, height, measure, &em);
  g_assert (layout->ticks->len >= 2 && layout->ticks->len <= 65);
  g_assert (isfinite (layout->axis_min) && isfinite (layout->axis_max) && isfinite (layout->tick_step));
  g_assert (layout->axis_max > layout->axis_min && layout->tick_step > 0);
  g_assert_cmpuint (layout->bars->len, ==, n_bars);
  sane = isfinite (width) && fabs (width) < 1e7 && isfinite (height) && fabs (height) < 1e7;
  for (guint i = 0; sane && i < layout->ticks->len; i++)
    g_assert (isfinite (g_array_index (layout->ticks, VlChartTick, i).x));
  for (guint i = 0; sane && i < layout->bars->len; i++)
    {
      const VlChartBarLayout *bar = &g_array_index (layout->bars, VlChartBarLayout, i);

      g_assert (isfinite (bar->rect.x) && isfinite (bar->rect.width) && isfinite (bar->value_x));
      g_assert (bar->rect.x >= layout->plot.x - 1e-6 * layout->plot.width - 1e-6);
      g_assert (bar->rect.x + bar->rect.width <= layout->plot.x + layout->plot.width * (1 + 1e-6) + 1e-6);
      g_assert (bar->failed == !isfinite (bars[i].value));
      g_assert (g_utf8_strlen (bar->value_label, -1) <= 32);
      /* Pointer position to bar: never out of range. */
      (void) vl_chart_layout_bar_at (layout, bar->rect.x + 1, bar->rect.y + 1);
    }
  vl_chart_layout_free (layout);
  g_ptr_array_unref (owned);
  g_free (bars);
  return 0;
}
