/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Results as charts and CSV: the chart data of a result, and writing them all to a directory. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vl-error.h"
#include "vl-result-export.h"

/* Default width of exported charts: legible in an A4 report at 100 %. */
#define EXPORT_WIDTH 800

static guint
system_index (const VlResultSet *set, const char *identifier)
{
  for (guint i = 0; i < set->systems->len; i++)
    if (g_strcmp0 (((VlResultSystem *) g_ptr_array_index (set->systems, i))->identifier, identifier) == 0)
      return i;
  return 0;
}

/* The identifiers of the systems to show, in the order to show them: `systems` as the user chose
 * them, or (NULL) every system in the set's order. The strings are borrowed. */
static GPtrArray *
system_order (const VlResultSet *set, const char * const *systems)
{
  GPtrArray *order = g_ptr_array_new ();

  if (systems != NULL)
    for (guint i = 0; systems[i] != NULL; i++)
      g_ptr_array_add (order, (gpointer) systems[i]);
  else
    for (guint i = 0; i < set->systems->len; i++)
      g_ptr_array_add (order, ((VlResultSystem *) g_ptr_array_index (set->systems, i))->identifier);
  return order;
}

/* TRUE when one of the shown systems (NULL: all) has a value or a failure in `result`: a chart
 * without any would be an empty frame with an axis from 0 to 1. */
gboolean
vl_result_has_shown_entry (const VlResult *result, const char * const *systems)
{
  if (systems == NULL)
    return result->entries->len > 0;
  for (guint s = 0; systems[s] != NULL; s++)
    if (vl_result_find_entry (result, systems[s]) != NULL)
      return TRUE;
  return FALSE;
}

/* Bars in the order of `systems` (NULL: the set's order); a system that ran a test twice gets two
 * bars, as PTS draws them. The colour follows the system's place in the set, not on screen, so a
 * system keeps its colour when others are hidden or moved. */
VlResultChart *
vl_result_chart_new (const VlResultSet *set, const VlResult *result, const char * const *systems)
{
  VlResultChart *chart = g_new0 (VlResultChart, 1);
  g_autoptr(GPtrArray) order = system_order (set, systems);
  guint n = 0;

  chart->bars = g_new0 (VlChartBar, result->entries->len);
  for (guint s = 0; s < order->len; s++)
    for (guint e = 0; e < result->entries->len; e++)
      {
        const VlResultEntry *entry = g_ptr_array_index (result->entries, e);
        VlChartBar *bar;

        if (g_strcmp0 (entry->system, order->pdata[s]) != 0)
          continue;
        bar = &chart->bars[n++];
        bar->label = entry->system;
        bar->value = entry->failed ? NAN : entry->value;
        bar->value_text = entry->value_text;
        bar->raw = (const double *) entry->raw->data;
        bar->n_raw = entry->raw->len;
        bar->series = system_index (set, entry->system);
        bar->error = entry->error;
      }
  chart->data.title = result->title;
  chart->data.subtitle = vl_result_get_subtitle (result);
  chart->data.unit = result->scale;
  chart->data.proportion = result->proportion;
  chart->data.bars = chart->bars;
  chart->data.n_bars = n;
  return chart;
}

void
vl_result_chart_free (VlResultChart *chart)
{
  if (chart == NULL)
    return;
  g_free (chart->bars);
  g_free (chart);
}

/* "007-iozone-record-size-1mb-file-size-4gb-write.svg": sorted as in the page, readable in a shell. */
char *
vl_result_chart_file_name (guint number, const VlResult *result, const char *extension)
{
  g_autofree char *text = g_strdup_printf ("%s %s", result->title, vl_result_get_subtitle (result));
  g_autoptr(GString) slug = g_string_new (NULL);

  for (const char *p = text; *p != '\0' && slug->len < 60; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, g_ascii_tolower (*p));
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  if (slug->len == 0)
    g_string_append (slug, "result");
  return g_strdup_printf ("%03u-%s.%s", number, slug->str, extension);
}

/* A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return first) is
 * written with a ' before it, as spreadsheet-safe CSV writers do (OWASP "CSV injection"); a number
 * such as -1.5 or +2 stays a number. */
static gboolean
csv_needs_neutralising (const char *text)
{
  char *end = NULL;
  double value;

  if (strchr ("=+-@\t\r", text[0]) == NULL || text[0] == '\0')
    return FALSE;
  errno = 0;
  value = g_ascii_strtod (text, &end);
  /* "-1.5" and "-1e-3" are numbers; "-inf", "+nan" or "-0x1p3" are not what a result stores. */
  return !(end != text && *end == '\0' && isfinite (value) && g_ascii_isdigit (text[strspn (text, "+-.")]) &&
           strpbrk (text, "xXnNiI") == NULL);
}

static void
append_csv_field (GString *out, const char *text)
{
  gboolean neutralise;

  if (text == NULL)
    text = "";
  neutralise = csv_needs_neutralising (text);
  if (strpbrk (text, ",\"\n\r") == NULL)
    {
      if (neutralise)
        g_string_append_c (out, '\'');
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  if (neutralise)
    g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The n-th (from 0) entry of `system` in `result`, or NULL. */
static const VlResultEntry *
nth_entry (const VlResult *result, const char *system, guint n)
{
  for (guint i = 0; i < result->entries->len; i++)
    {
      const VlResultEntry *entry = g_ptr_array_index (result->entries, i);

      if (g_strcmp0 (entry->system, system) == 0 && n-- == 0)
        return entry;
    }
  return NULL;
}

/* How many entries a system has in the result that has most of them: PTS keeps several for one
 * system at times (install sizes measured twice), and each gets a column of its own. */
static guint
max_entries (const VlResultSet *set, const char *system, VlCategory filter)
{
  guint most = 1;

  for (guint r = 0; r < set->results->len; r++)
    {
      const VlResult *result = g_ptr_array_index (set->results, r);
      guint n = 0;

      if (!vl_category_includes (filter, result))
        continue;
      for (guint e = 0; e < result->entries->len; e++)
        n += g_strcmp0 (((VlResultEntry *) g_ptr_array_index (result->entries, e))->system, system) == 0;
      most = MAX (most, n);
    }
  return most;
}

static void
append_column_head (GString *out, const char *system, guint n, const char *suffix)
{
  g_autofree char *head = n == 0 ? g_strdup_printf ("%s%s", system, suffix)
                                 : g_strdup_printf ("%s (%u)%s", system, n + 1, suffix);

  g_string_append_c (out, ',');
  append_csv_field (out, head);
}

/* One row per result, one column per system, values as stored; a failed run says so. Then the
 * standard error of each value, where there are single runs to compute it from. A system with
 * several entries in one result has as many columns ("host", "host (2)"), so none is dropped. */
char *
vl_result_set_to_csv (const VlResultSet *set, const char * const *systems, VlCategory filter)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) order = system_order (set, systems);
  g_autofree guint *columns = g_new0 (guint, order->len + 1);

  for (guint s = 0; s < order->len; s++)
    columns[s] = max_entries (set, order->pdata[s], filter);
  g_string_append (out, "Result,Variant,Unit,Direction,Category");
  for (guint s = 0; s < order->len; s++)
    for (guint n = 0; n < columns[s]; n++)
      append_column_head (out, order->pdata[s], n, "");
  for (guint s = 0; s < order->len; s++)
    for (guint n = 0; n < columns[s]; n++)
      append_column_head (out, order->pdata[s], n, " SE");
  g_string_append (out, "\r\n");

  for (guint r = 0; r < set->results->len; r++)
    {
      const VlResult *result = g_ptr_array_index (set->results, r);

      /* A row of empty cells says nothing: results none of the shown systems ran are left out. */
      if (!vl_category_includes (filter, result) || !vl_result_has_shown_entry (result, systems))
        continue;
      append_csv_field (out, result->title);
      g_string_append_c (out, ',');
      append_csv_field (out, vl_result_get_subtitle (result));
      g_string_append_c (out, ',');
      append_csv_field (out, result->scale);
      g_string_append (out, result->proportion == VL_PROPORTION_HIB ? ",HIB," :
                            result->proportion == VL_PROPORTION_LIB ? ",LIB," : ",,");
      g_string_append (out, vl_category_get_id (vl_result_category (result)));
      for (guint s = 0; s < order->len; s++)
        for (guint n = 0; n < columns[s]; n++)
          {
            const VlResultEntry *entry = nth_entry (result, order->pdata[s], n);

            g_string_append_c (out, ',');
            if (entry != NULL)
              {
                g_autofree char *failed = entry->error != NULL ? g_strdup_printf ("FAILED: %s", entry->error)
                                                               : g_strdup ("FAILED");

                /* "FAILED" first, so that a script can still tell; then PTS's own reason. */
                append_csv_field (out, entry->failed ? failed : entry->value_text);
              }
          }
      for (guint s = 0; s < order->len; s++)
        for (guint n = 0; n < columns[s]; n++)
          {
            const VlResultEntry *entry = nth_entry (result, order->pdata[s], n);

            g_string_append_c (out, ',');
            if (entry != NULL && entry->raw->len >= 2)
              {
                char buf[G_ASCII_DTOSTR_BUF_SIZE];

                g_ascii_formatd (buf, sizeof buf, "%.4g",
                                 vl_stats_standard_error ((double *) entry->raw->data, entry->raw->len));
                g_string_append (out, buf);
              }
          }
      g_string_append (out, "\r\n");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
ensure_directory (const char *directory, GError **error)
{
  if (g_mkdir_with_parents (directory, 0755) == 0 && g_file_test (directory, G_FILE_TEST_IS_DIR))
    return TRUE;
  {
    int saved = errno;
    g_autofree char *name = g_filename_display_name (directory);

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                 _("The folder “%s” could not be created: %s"), name, g_strerror (saved));
  }
  return FALSE;
}

/* Writes one file per bar chart (or one CSV of every value) into `directory`; returns their paths.
 * Results of the category that none of `systems` ran are not written (an empty chart, an empty
 * row): their number goes to `n_left_out` (may be NULL). */
GPtrArray *
vl_result_set_export (const VlResultSet *set, const char * const *systems, VlCategory filter,
                      const char *format, double width, const char *directory, guint *n_left_out,
                      GError **error)
{
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  VlChartFormat chart_format;
  guint number = 0, left_out = 0;

  for (guint r = 0; r < set->results->len; r++)
    {
      const VlResult *result = g_ptr_array_index (set->results, r);

      if ((g_strcmp0 (format, "csv") == 0 || vl_result_is_bar_graph (result)) &&
          vl_category_includes (filter, result) && !vl_result_has_shown_entry (result, systems))
        left_out++;
    }
  if (n_left_out != NULL)
    *n_left_out = left_out;

  if (g_strcmp0 (format, "csv") != 0 && !vl_chart_format_from_name (format, &chart_format))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("Unknown export format “%s”: use png, svg, pdf or csv"), format);
      return NULL;
    }
  if (!ensure_directory (directory, error))
    return NULL;

  if (g_strcmp0 (format, "csv") == 0)
    {
      g_autofree char *csv = vl_result_set_to_csv (set, systems, filter);
      g_autofree char *path = g_build_filename (directory, "results.csv", NULL);

      if (!g_file_set_contents (path, csv, -1, error))
        return NULL;
      g_ptr_array_add (written, g_steal_pointer (&path));
      return g_steal_pointer (&written);
    }

  /* PNG has a size limit (cairo's image surfaces end at 32,767 px): every chart is checked before
   * the first file is written, so a refusal leaves nothing half done. */
  if (chart_format == VL_CHART_FORMAT_PNG)
    for (guint r = 0; r < set->results->len; r++)
      {
        const VlResult *result = g_ptr_array_index (set->results, r);
        g_autoptr(VlResultChart) chart = NULL;
        double height;

        if (!vl_result_is_bar_graph (result) || !vl_category_includes (filter, result))
          continue;
        chart = vl_result_chart_new (set, result, systems);
        height = vl_chart_preferred_height (&chart->data, vl_chart_style_default ());
        if (height > VL_CHART_PNG_MAX_SIZE || width > VL_CHART_PNG_MAX_SIZE)
          {
            g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                         _("The chart “%s” has %u bars and would be %.0f pixels tall, more than a PNG image "
                           "can be (%d pixels); nothing was written. Export as SVG or PDF, or show fewer systems"),
                         result->title != NULL ? result->title : "", chart->data.n_bars, height,
                         VL_CHART_PNG_MAX_SIZE);
            return NULL;
          }
      }

  for (guint r = 0; r < set->results->len; r++)
    {
      const VlResult *result = g_ptr_array_index (set->results, r);
      g_autoptr(VlResultChart) chart = NULL;
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      if (!vl_result_is_bar_graph (result) || !vl_category_includes (filter, result) ||
          !vl_result_has_shown_entry (result, systems))
        continue;
      chart = vl_result_chart_new (set, result, systems);
      name = vl_result_chart_file_name (++number, result, vl_chart_format_extension (chart_format));
      path = g_build_filename (directory, name, NULL);
      if (!vl_chart_export (&chart->data, vl_chart_style_default (), chart_format, width, path, error))
        {
          /* All or nothing: the charts written so far (and the broken one) are removed. */
          g_unlink (path);
          for (guint i = 0; i < written->len; i++)
            g_unlink (g_ptr_array_index (written, i));
          return NULL;
        }
      g_ptr_array_add (written, g_steal_pointer (&path));
    }
  return g_steal_pointer (&written);
}

/* The command line's export: every file must load (a report with a silently missing run would be
 * wrong), then they are merged by system as on the page. */
GPtrArray *
vl_result_files_export (const char * const *paths, const char *format, const char *directory, GError **error)
{
  g_autoptr(VlResultSet) merged = vl_result_set_new ();
  VlChartFormat chart_format;

  if (g_strcmp0 (format, "csv") != 0 && !vl_chart_format_from_name (format, &chart_format))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("Unknown export format “%s”: use png, svg, pdf or csv"), format);
      return NULL;
    }
  if (paths == NULL || paths[0] == NULL)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                           _("No result file given: name one or more composite.xml files"));
      return NULL;
    }
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(VlResultSet) set = vl_result_file_load (paths[i], error);

      if (set == NULL)
        return NULL;
      vl_result_set_merge (merged, set);
    }
  return vl_result_set_export (merged, NULL, VL_CATEGORY_ALL, format, EXPORT_WIDTH, directory, NULL, error);
}
