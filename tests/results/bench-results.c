/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helper for tests/bench/results.sh: load a result file, or render all its charts. */
#include "config.h"

#include <stdlib.h>

#include <libxml/parser.h>

#include "vl-chart.h"
#include "vl-result-export.h"

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  if (argc >= 4 && g_str_equal (argv[1], "load"))
    {
      int n = atoi (argv[3]);
      double best = G_MAXDOUBLE;

      for (int i = 0; i < n; i++)
        {
          double start = now_ms ();
          g_autoptr(VlResultSet) set = vl_result_file_load (argv[2], &error);

          if (set == NULL)
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          best = MIN (best, now_ms () - start);
          if (i == n - 1)
            g_print ("%.1f ms (best of %d), %u systems, %u results\n", best, n, set->systems->len,
                     set->results->len);
        }
      return 0;
    }
  /* Against the floor in the same process, turn about so both see the same machine load:
   * libxml2 parsing the file into a tree (as xmllint --noout does), then the loader. */
  if (argc >= 4 && g_str_equal (argv[1], "compare"))
    {
      int n = atoi (argv[3]);
      double best_xml = G_MAXDOUBLE, best_vl = G_MAXDOUBLE;

      for (int i = 0; i < n; i++)
        {
          double start = now_ms ();
          xmlDoc *doc = xmlReadFile (argv[2], NULL, XML_PARSE_NONET);

          if (doc == NULL)
            return 1;
          xmlFreeDoc (doc);
          best_xml = MIN (best_xml, now_ms () - start);
          start = now_ms ();
          {
            g_autoptr(VlResultSet) set = vl_result_file_load (argv[2], &error);

            if (set == NULL)
              return 1;
          }
          best_vl = MIN (best_vl, now_ms () - start);
        }
      g_print ("%.1f %.1f\n", best_xml, best_vl);
      return 0;
    }
  if (argc >= 5 && g_str_equal (argv[1], "render"))
    {
      g_autoptr(VlResultSet) set = vl_result_file_load (argv[2], &error);
      const VlChartStyle *style = vl_chart_style_default ();
      int width = atoi (argv[3]), height = atoi (argv[4]);
      int repeat = argc >= 6 ? MAX (1, atoi (argv[5])) : 1;
      guint n = 0;
      double start;

      if (set == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      start = now_ms ();
      for (guint i = 0; i < set->results->len * repeat; i++)
        {
          guint r = i % set->results->len;
          g_autoptr(VlResultChart) chart = vl_result_chart_new (set, g_ptr_array_index (set->results, r), NULL);
          g_autoptr(VlChartLayout) layout = vl_chart_layout_compute (&chart->data, style, width, height,
                                                                     vl_chart_measure_text, (gpointer) style);
          cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
          cairo_t *cr = cairo_create (surface);

          vl_chart_render (layout, style, cr);
          cairo_destroy (cr);
          cairo_surface_flush (surface);
          cairo_surface_destroy (surface);
          n++;
        }
      {
        double ms = now_ms () - start;

        g_print ("%u charts of %u bars at %dx%d in %.0f ms: %.0f charts/s\n", n,
                 set->systems->len, width, height, ms, n / (ms / 1000));
      }
      return 0;
    }
  g_printerr ("usage: %s load FILE N | compare FILE N | render FILE WIDTH HEIGHT [REPEAT]\n", argv[0]);
  return 2;
}
