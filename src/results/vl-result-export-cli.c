/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The headless export's command line, one code path for `virtlab --export-charts` and `virtlab-export`. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-result-export.h"
#include "vl-result-export-cli.h"

/* Writes the charts (or the CSV) of FILES into DIRECTORY and prints each file written. Returns the exit
 * status: 0, 1 when a file cannot be read or written, 2 for a usage error (told apart so scripts can). */
int
vl_result_export_cli (const char *directory, const char *format, const char *const *files)
{
  VlChartFormat chart_format;
  g_autoptr(GPtrArray) written = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (directory != NULL, 2);
  if (format == NULL)
    format = "png";
  if (files == NULL || files[0] == NULL)
    {
      g_printerr (_("%s: --export-charts needs one or more result files (composite.xml)\n"),
                  g_get_prgname ());
      return 2;
    }
  if (!g_str_equal (format, "csv") && !vl_chart_format_from_name (format, &chart_format))
    {
      g_printerr (_("%s: unknown format “%s”: use png, svg, pdf or csv\n"), g_get_prgname (), format);
      return 2;
    }
  written = vl_result_files_export (files, format, directory, &error);
  if (written == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }
  for (guint i = 0; i < written->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (written, i));
  return 0;
}
