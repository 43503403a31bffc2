/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helpers: one XPath value of a domain definition, and an assertion on it. */
#pragma once

#include <glib.h>

#include "vl-libvirt-xml.h"

G_BEGIN_DECLS

/* The string value of EXPR (e.g. "string(/domain/os/@firmware)") in the definition XML. */
static inline char *
vl_test_xpath (const char *xml, const char *expr)
{
  g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (xml, "domain", VL_LIBVIRT_XML_NONE, NULL);

  g_assert_nonnull (doc);
  return vl_libvirt_xml_xpath_string (doc, expr);
}

#define vl_test_assert_xpath(xml, expr, want)              \
  G_STMT_START                                             \
  {                                                        \
    g_autofree char *got_ = vl_test_xpath ((xml), (expr)); \
    g_assert_cmpstr (got_, ==, (want));                    \
  }                                                        \
  G_STMT_END

/* Each of the N pairs (an expression, then its wanted value) holds in XML. */
static inline void
vl_test_assert_xpaths (const char *xml, const char *const (*pairs)[2], gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *got = vl_test_xpath (xml, pairs[i][0]);

      if (g_strcmp0 (got, pairs[i][1]) != 0)
        g_error ("%s is “%s”, not “%s”", pairs[i][0], got, pairs[i][1]);
    }
}

G_END_DECLS
