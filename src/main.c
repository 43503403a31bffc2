/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Entry point: create the application and run it. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "vl-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr(VlApplication) app = NULL;
  int status;

  /* LANG=zh_TW.UTF-8 on a machine where that locale was never generated: the C library falls
   * back to "C", where gettext ignores every language. Keep UTF-8 and ask gettext for the
   * language the user named, so the interface is still translated. */
  if (setlocale (LC_ALL, "") == NULL && setlocale (LC_ALL, "C.UTF-8") != NULL &&
      (g_getenv ("LANGUAGE") == NULL || g_getenv ("LANGUAGE")[0] == '\0'))
    {
      const char *names[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          const char *value = g_getenv (names[i]);

          if (value != NULL && value[0] != '\0')
            {
              g_autofree char *language = g_strndup (value, strcspn (value, ".@"));

              if (!g_str_equal (language, "C") && !g_str_equal (language, "POSIX"))
                g_setenv ("LANGUAGE", language, TRUE);
              break;
            }
        }
    }
  /* The locale is chosen above; GTK would call setlocale (LC_ALL, "") again and warn. */
  gtk_disable_setlocale ();
  bindtextdomain (GETTEXT_PACKAGE, vl_application_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = vl_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : vl_application_get_exit_status (app);
}
