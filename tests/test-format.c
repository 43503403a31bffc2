/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of vl-format: the shared text of host and guest facts. */
#include <locale.h>

#include "vl-format.h"

/* GLib puts a no-break space (U+00A0) between a number and its unit, a plain one in "0 bytes". */
#define NBSP "\u00a0"

static const struct { guint64 kib; const char *text; } kib_cases[] = {
  { 0, "0 bytes" },
  { 1, "1.0" NBSP "KiB" },
  { 1536, "1.5" NBSP "MiB" },
  { 8 * 1024 * 1024, "8.0" NBSP "GiB" },
  /* a host with 4 TiB: the multiplication must not overflow 32 bits */
  { G_GUINT64_CONSTANT (4) << 30, "4.0" NBSP "TiB" },
};

static void
test_kib (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (kib_cases); i++)
    {
      g_autofree char *text = vl_format_kib (kib_cases[i].kib);

      g_assert_cmpstr (text, ==, kib_cases[i].text);
    }
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format/kib", test_kib);
  return g_test_run ();
}
