/* SPDX-License-Identifier: GPL-3.0-or-later */
/* virtlab-export: the headless chart export alone, `virtlab --export-charts` without the rest of the
 * application. It links only the results room's GTK-free part and core (GLib, libxml2, cairo, pango),
 * so a script pays for no GTK, libvirt or libosinfo it does not use. */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "vl-result-export-cli.h"

int
main (int argc, char *argv[])
{
  g_autofree char *directory = NULL;
  g_autofree char *format = NULL;
  g_auto(GStrv) files = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &directory,
      N_("Write one chart per result of the given result files into DIR"), N_("DIR") },
    /* The same option as the application's, so a script can use either command. */
    { "export-charts", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &directory, NULL, NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("Format of --export-charts: png, svg, pdf or csv (all values in one file)"), N_("FORMAT") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("[RESULT-FILE…]") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Write the charts of Phoronix Test Suite result files, without a "
                                            "display."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 2;
    }
  if (directory == NULL)
    {
      g_printerr (_("%s: name the folder to write into: --output DIR\n"), g_get_prgname ());
      return 2;
    }
  return vl_result_export_cli (directory, format, (const char *const *) files);
}
