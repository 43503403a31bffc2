/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vl_natural_compare: numbers inside names compare as numbers (operating system versions). */
#include "config.h"

#include "vl-natural-compare.h"

static gsize
digit_run (const char *s)
{
  gsize n = 0;

  while (g_ascii_isdigit (s[n]))
    n++;
  return n;
}

static gsize
text_run (const char *s)
{
  gsize n = 0;

  while (s[n] != '\0' && !g_ascii_isdigit (s[n]))
    n++;
  return n;
}

/* Two runs of digits: without leading zeros the longer is the larger; equal lengths compare as text. */
static int
compare_numbers (const char *a, gsize na, const char *b, gsize nb)
{
  int order;

  while (na > 1 && *a == '0')
    a++, na--;
  while (nb > 1 && *b == '0')
    b++, nb--;
  if (na != nb)
    return na < nb ? -1 : 1;
  order = strncmp (a, b, na);
  return order < 0 ? -1 : order > 0;
}

static int
compare_texts (const char *a, gsize na, const char *b, gsize nb)
{
  g_autofree char *ta = g_strndup (a, na);
  g_autofree char *tb = g_strndup (b, nb);
  int order = g_utf8_collate (ta, tb);

  return order < 0 ? -1 : order > 0;
}

int
vl_natural_compare (const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return a == b ? 0 : (a == NULL ? -1 : 1);
  while (*a != '\0' && *b != '\0')
    {
      gboolean digits_a = g_ascii_isdigit (*a);
      gboolean digits_b = g_ascii_isdigit (*b);
      gsize na = digits_a ? digit_run (a) : text_run (a);
      gsize nb = digits_b ? digit_run (b) : text_run (b);
      int order = digits_a && digits_b ? compare_numbers (a, na, b, nb) : compare_texts (a, na, b, nb);

      if (order != 0)
        return order;
      a += na;
      b += nb;
    }
  return *a == '\0' ? (*b == '\0' ? 0 : -1) : 1;
}
