/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of vl-libvirt-xml: the one reader of libvirt's XML (src/core/vl-libvirt-xml.c). */
#include <locale.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>

#include "vl-error.h"
#include "vl-libvirt-xml.h"

static const char domain_xml[] =
  "<domain type='qemu' xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>\n"
  "  <name>web &amp; db</name>\n"
  "  <memory unit='KiB'>1048576</memory>\n"
  "  <currentMemory>524288</currentMemory>\n"
  "  <vcpu>2</vcpu>\n"
  "  <os><type arch='x86_64'>hvm</type></os>\n"
  "  <metadata><libosinfo:libosinfo><libosinfo:os id='http://debian.org/debian/12'/></libosinfo:libosinfo>"
  "<other:os xmlns:other='urn:other' id='no'/></metadata>\n"
  "</domain>\n";

static void
test_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (domain_xml, "guest’s XML", VL_LIBVIRT_XML_NONE, &error);
  xmlNode *root, *metadata;
  g_autofree char *name = NULL, *type = NULL, *arch = NULL, *none = NULL, *id = NULL, *xpath = NULL;
  g_autofree char *xpath_none = NULL, *bad_xpath = NULL, *dumped = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  g_assert_null (vl_libvirt_xml_root (doc, "capabilities"));
  root = vl_libvirt_xml_root (doc, "domain");
  g_assert_nonnull (root);
  g_assert_true (vl_libvirt_xml_root (doc, NULL) == root);

  name = vl_libvirt_xml_child_text (root, "name");
  g_assert_cmpstr (name, ==, "web & db");
  type = vl_libvirt_xml_child_text (vl_libvirt_xml_child (root, "os"), "type");
  g_assert_cmpstr (type, ==, "hvm");
  arch = vl_libvirt_xml_prop (vl_libvirt_xml_child (vl_libvirt_xml_child (root, "os"), "type"), "arch");
  g_assert_cmpstr (arch, ==, "x86_64");
  /* Missing pieces chain to NULL instead of crashing. */
  none = vl_libvirt_xml_child_text (vl_libvirt_xml_child (root, "devices"), "emulator");
  g_assert_null (none);
  g_assert_null (vl_libvirt_xml_prop (root, "missing"));
  g_assert_null (vl_libvirt_xml_text (NULL));

  /* A namespaced child is found by its URI, not its prefix; another namespace's "os" is not it. */
  metadata = vl_libvirt_xml_child (root, "metadata");
  g_assert_null (vl_libvirt_xml_child_ns (metadata, "urn:nothing", "libosinfo"));
  id = vl_libvirt_xml_prop (vl_libvirt_xml_child_ns (vl_libvirt_xml_child_ns (metadata,
                                                                              "http://libosinfo.org/xmlns/"
                                                                              "libvirt/domain/1.0",
                                                                              "libosinfo"),
                                                     "http://libosinfo.org/xmlns/libvirt/domain/1.0", "os"),
                            "id");
  g_assert_cmpstr (id, ==, "http://debian.org/debian/12");

  xpath = vl_libvirt_xml_xpath_string (doc, "/domain/os/type");
  g_assert_cmpstr (xpath, ==, "hvm");
  xpath_none = vl_libvirt_xml_xpath_string (doc, "/domain/devices");
  g_assert_null (xpath_none);
  bad_xpath = vl_libvirt_xml_xpath_string (doc, "/domain/[");
  g_assert_null (bad_xpath);

  dumped = vl_libvirt_xml_dump (doc);
  g_assert_nonnull (strstr (dumped, "<name>web &amp; db</name>"));
}

static void
test_units (void)
{
  static const char
    xml[] = "<sizes><a unit='KiB'>2</a><b>3</b><c unit='bytes'>7</c><d unit='MB'>5</d><e unit='G'>1</e>"
            "<f unit='gib'>2</f><g unit='parsecs'>1</g><h>12x</h><i unit='EiB'>16</i><j> 42 </j><k>-1</k>"
            "<l unit='TB'>3</l></sizes>";
  static const struct
  {
    const char *name;
    guint64 bytes;
  } good[] = {
    { "a", 2048 },
    { "b", 3 * 1024 }, /* the default unit: KiB */
    { "c", 7 },
    { "d", 5000000 },
    { "e", G_GUINT64_CONSTANT (1) << 30 },
    { "f", G_GUINT64_CONSTANT (2) << 30 }, /* units are read without regard to case */
    { "j", 42 * 1024 },                    /* blanks around the number are fine */
    { "l", G_GUINT64_CONSTANT (3000000000000) },
  };
  static const struct
  {
    const char *name;
    const char *in_message;
  } bad[] = {
    { "g", "parsecs" },
    { "h", "12x" },
    { "i", "too large" }, /* 16 EiB does not fit in 64 bits */
    { "k", "-1" },
  };
  g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (xml, "sizes", VL_LIBVIRT_XML_NONE, NULL);
  xmlNode *root = vl_libvirt_xml_root (doc, "sizes");
  guint64 value = 0;
  g_autoptr(GError) missing = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      guint64 bytes = 0;

      g_assert_true (vl_libvirt_xml_size (vl_libvirt_xml_child (root, good[i].name), "KiB", &bytes, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (bytes, ==, good[i].bytes);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      guint64 bytes = 99;

      g_assert_false (vl_libvirt_xml_size (vl_libvirt_xml_child (root, bad[i].name), "KiB", &bytes, &error));
      g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
      g_test_message ("%s: %s", bad[i].name, error->message);
      /* The message names the element and what was wrong with it. */
      g_assert_nonnull (strstr (error->message, bad[i].name));
      g_assert_nonnull (strstr (error->message, bad[i].in_message));
      g_assert_cmpuint (bytes, ==, 99);
    }
  g_assert_true (vl_libvirt_xml_uint64 (vl_libvirt_xml_child (root, "c"), &value, NULL));
  g_assert_cmpuint (value, ==, 7);
  g_assert_false (vl_libvirt_xml_uint64 (vl_libvirt_xml_child (root, "nothing"), &value, &missing));
  g_assert_error (missing, VL_ERROR, VL_ERROR_NOT_FOUND);
}

static void
test_malformed (void)
{
  static const char *const inputs[] = {
    "<domain><name>x</domain>",     "<domain>", "not xml at all", "<domain/><domain/>",
    "<domain>&undefined;</domain>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (inputs[i], "guest’s XML", VL_LIBVIRT_XML_NONE, &error);

      g_assert_null (doc);
      g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
      g_test_message ("%s → %s", inputs[i], error->message);
      g_assert_nonnull (strstr (error->message, "guest’s XML"));
      g_assert_nonnull (strstr (error->message, "line 1"));
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (vl_libvirt_xml_parse (i == 0 ? NULL : "", "capabilities", 0, &error));
      g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
      g_assert_nonnull (strstr (error->message, "capabilities"));
    }
}

/* Entities are refused: an internal one (a billion laughs would start this way), an external file
 * (the parser must not read it) and an external DTD. */
static void
test_entities_refused (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *external = NULL;
  g_autofree char *dtd = NULL;
  g_autoptr(GError) write_error = NULL;
  int fd = g_file_open_tmp ("vl-xml-secret-XXXXXX", &secret, &write_error);
  const char *inputs[3];

  g_assert_no_error (write_error);
  close (fd);
  g_assert_true (g_file_set_contents (secret, "SECRET", -1, NULL));
  external = g_strdup_printf (
    "<!DOCTYPE domain [<!ENTITY x SYSTEM 'file://%s'>]><domain><name>&x;</name></domain>", secret);
  dtd = g_strdup_printf ("<!DOCTYPE domain SYSTEM 'file://%s'><domain><name>n</name></domain>", secret);
  inputs[0] = "<!DOCTYPE domain [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]>"
              "<domain><name>&b;</name></domain>";
  inputs[1] = external;
  inputs[2] = dtd;
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (inputs[i], "guest’s XML", VL_LIBVIRT_XML_NONE, &error);

      g_assert_null (doc);
      g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "guest’s XML"));
      g_assert_null (strstr (error->message, "SECRET"));
    }
  g_unlink (secret);
}

static void
test_blanks (void)
{
  static const char xml[] = "<domain>\n  <name>n</name>\n</domain>";
  g_autoptr(xmlDoc) kept = vl_libvirt_xml_parse (xml, "guest’s XML", VL_LIBVIRT_XML_NONE, NULL);
  g_autoptr(xmlDoc) dropped = vl_libvirt_xml_parse (xml, "guest’s XML", VL_LIBVIRT_XML_DROP_BLANKS, NULL);

  g_assert_true (xmlDocGetRootElement (kept)->children->type == XML_TEXT_NODE);
  g_assert_true (vl_libvirt_xml_is (xmlDocGetRootElement (dropped)->children, "name"));
}

/* Several threads parse at once (the guest list reads domains in two). */
static gpointer
parse_many (gpointer data)
{
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (domain_xml, "guest’s XML", VL_LIBVIRT_XML_NONE, NULL);
      g_autofree char *name = vl_libvirt_xml_child_text (vl_libvirt_xml_root (doc, "domain"), "name");

      if (g_strcmp0 (name, "web & db") != 0)
        return GINT_TO_POINTER (FALSE);
    }
  return GINT_TO_POINTER (TRUE);
}

static void
test_threads (void)
{
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("parse", parse_many, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/libvirt-xml/read", test_read);
  g_test_add_func ("/libvirt-xml/units", test_units);
  g_test_add_func ("/libvirt-xml/malformed", test_malformed);
  g_test_add_func ("/libvirt-xml/entities-refused", test_entities_refused);
  g_test_add_func ("/libvirt-xml/blanks", test_blanks);
  g_test_add_func ("/libvirt-xml/threads", test_threads);
  return g_test_run ();
}
