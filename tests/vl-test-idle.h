/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: run the main loop until a widget with a "busy" property (VlBusy) is idle. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Iterates the default main context until WIDGET's "busy" is FALSE (failing the test after
 * TIMEOUT_S seconds), then until nothing more is pending. */
static inline void
vl_test_wait_until_idle (GtkWidget *widget, guint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  gboolean busy = TRUE;

  while (busy && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_object_get (widget, "busy", &busy, NULL);
      if (busy)
        g_usleep (2000);
    }
  g_assert_false (busy);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

G_END_DECLS
