/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vl_natural_compare: the OS list in version order (issue 15 item 15). */
#include "config.h"

#include <locale.h>

#include "vl-natural-compare.h"

static int
by_natural (gconstpointer a, gconstpointer b)
{
  return vl_natural_compare (*(const char * const *) a, *(const char * const *) b);
}

/* The list the user saw ("Debian 10, 11, 6.0, 7…"), shuffled, comes out in version order. */
static void
test_debian_versions (void)
{
  const char *expected[] = { "Debian 6.0", "Debian 7", "Debian 8", "Debian 9", "Debian 10", "Debian 11",
                             "Debian 12", "Debian testing" };
  const char *shuffled[] = { "Debian 10", "Debian 11", "Debian testing", "Debian 6.0", "Debian 7", "Debian 12",
                             "Debian 9", "Debian 8" };

  qsort (shuffled, G_N_ELEMENTS (shuffled), sizeof shuffled[0], (GCompareFunc) by_natural);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (shuffled[i], ==, expected[i]);
}

static void
test_cases (void)
{
  g_assert_cmpint (vl_natural_compare ("Ubuntu 9.10", "Ubuntu 22.04 LTS"), <, 0);
  g_assert_cmpint (vl_natural_compare ("Ubuntu 22.04 LTS", "Ubuntu 22.10"), <, 0);
  g_assert_cmpint (vl_natural_compare ("Fedora 9", "Fedora 38"), <, 0);
  g_assert_cmpint (vl_natural_compare ("Windows 7", "Windows 10"), <, 0);
  g_assert_cmpint (vl_natural_compare ("Debian 10", "Debian 10"), ==, 0);
  g_assert_cmpint (vl_natural_compare ("Debian 007", "Debian 7"), ==, 0);
  g_assert_cmpint (vl_natural_compare ("Debian 7", "Debian 7.1"), <, 0);
  g_assert_cmpint (vl_natural_compare ("CentOS 7", "Debian 6"), <, 0);
  g_assert_cmpint (vl_natural_compare ("", "a"), <, 0);
  g_assert_cmpint (vl_natural_compare (NULL, "a"), <, 0);
  g_assert_cmpint (vl_natural_compare ("Debian 99999999999999999999", "Debian 100000000000000000000"), <, 0);
  /* Antisymmetric. */
  g_assert_cmpint (vl_natural_compare ("Debian 11", "Debian 6.0"), >, 0);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/natural-compare/debian-versions", test_debian_versions);
  g_test_add_func ("/natural-compare/cases", test_cases);
  return g_test_run ();
}
