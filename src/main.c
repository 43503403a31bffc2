/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Entry point: create the application and run it. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "vl-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr(VlApplication) app = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = vl_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : vl_application_get_exit_status (app);
}
