/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper shared by the guests and Xen tests: run the main loop until a condition holds. */
#include "vl-test-wait.h"

/* Async results arrive through the main loop; poll it instead of blocking so that a test which
 * never sees its condition fails after `timeout_ms` instead of hanging until meson kills it.
 * `done` is asked once per turn and its first TRUE is the answer: some conditions remember
 * what they saw last (the console's OCR only reads a frame that changed) and would say FALSE
 * if asked again. */
gboolean
vl_test_wait_until (VlTestCondition done, gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () >= end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}
