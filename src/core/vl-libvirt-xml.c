/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One reader of the XML libvirt writes: see vl-libvirt-xml.h. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "vl-error.h"
#include "vl-libvirt-xml.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlParserCtxt, xmlFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathContext, xmlXPathFreeContext)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlXPathObject, xmlXPathFreeObject)

/* xmlInitParser is not safe to race: once, before the first parse of any thread. */
void
vl_libvirt_xml_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      xmlInitParser ();
      g_once_init_leave (&done, 1);
    }
}

/* libvirt never writes a DOCTYPE: a document that declares one (and with it entities, internal or
 * external) is refused as soon as the parser meets it, before any entity is defined or expanded. */
static void
refuse_doctype (void *user_data, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
  xmlParserCtxt *ctxt = user_data;

  ctxt->_private = GINT_TO_POINTER (TRUE);
  xmlStopParser (ctxt);
}

static void
refuse_entity (void *user_data, const xmlChar *name, int type, const xmlChar *public_id,
               const xmlChar *system_id, xmlChar *content)
{
  refuse_doctype (user_data, name, public_id, system_id);
}

xmlDoc *
vl_libvirt_xml_parse (const char *xml, const char *what, VlLibvirtXmlFlags flags, GError **error)
{
  g_autoptr(xmlParserCtxt) ctxt = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  size_t len;

  g_return_val_if_fail (what != NULL, NULL);
  len = xml != NULL ? strlen (xml) : 0;
  if (len == 0)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_PARSE, _("The %s is empty."), what);
      return NULL;
    }
  if (len > G_MAXINT)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_PARSE, _("The %s is too large to read."), what);
      return NULL;
    }
  if (flags & VL_LIBVIRT_XML_DROP_BLANKS)
    options |= XML_PARSE_NOBLANKS;

  vl_libvirt_xml_init ();
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("The %s cannot be read: out of memory."), what);
      return NULL;
    }
  ctxt->sax->internalSubset = refuse_doctype;
  ctxt->sax->externalSubset = refuse_doctype;
  ctxt->sax->entityDecl = refuse_entity;
  doc = xmlCtxtReadMemory (ctxt, xml, (int) len, what, NULL, options);
  if (ctxt->_private != NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_PARSE,
                   _("The %s declares a document type or entities; libvirt’s XML has none, so it is not "
                      "read."),
                   what);
      return NULL;
    }
  if (doc == NULL || !ctxt->wellFormed || xmlDocGetRootElement (doc) == NULL)
    {
      const xmlError *err = xmlCtxtGetLastError (ctxt);
      const char *message = err != NULL && err->message != NULL ? err->message : "";
      g_autofree char *detail = g_strstrip (g_strdup (message));

      if (err != NULL && err->line > 0)
        g_set_error (error, VL_ERROR, VL_ERROR_PARSE, _("The %s is not well-formed XML (line %d: %s)."),
                     what, err->line, detail);
      else
        g_set_error (error, VL_ERROR, VL_ERROR_PARSE, _("The %s is not well-formed XML."), what);
      return NULL;
    }
  return g_steal_pointer (&doc);
}

/* The document's root element, if it is NAME (or any, when NAME is NULL). */
xmlNode *
vl_libvirt_xml_root (xmlDoc *doc, const char *name)
{
  xmlNode *root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;

  if (root == NULL || (name != NULL && !vl_libvirt_xml_is (root, name)))
    return NULL;
  return root;
}

gboolean
vl_libvirt_xml_is (xmlNode *node, const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE && xmlStrEqual (node->name, BAD_CAST name);
}

/* The first child element named NAME; NULL when there is none or PARENT is NULL, so calls chain. */
xmlNode *
vl_libvirt_xml_child (xmlNode *parent, const char *name)
{
  for (xmlNode *node = parent != NULL ? parent->children : NULL; node != NULL; node = node->next)
    if (vl_libvirt_xml_is (node, name))
      return node;
  return NULL;
}

/* The same, in the namespace NS_URI (whatever prefix the document gave it). */
xmlNode *
vl_libvirt_xml_child_ns (xmlNode *parent, const char *ns_uri, const char *name)
{
  for (xmlNode *node = parent != NULL ? parent->children : NULL; node != NULL; node = node->next)
    if (vl_libvirt_xml_is (node, name) && node->ns != NULL && xmlStrEqual (node->ns->href, BAD_CAST ns_uri))
      return node;
  return NULL;
}

/* The text inside NODE; NULL for no node. */
char *
vl_libvirt_xml_text (xmlNode *node)
{
  xmlChar *text;
  char *copy;

  if (node == NULL)
    return NULL;
  text = xmlNodeGetContent (node);
  copy = g_strdup ((const char *) text);
  xmlFree (text);
  return copy;
}

char *
vl_libvirt_xml_child_text (xmlNode *parent, const char *name)
{
  return vl_libvirt_xml_text (vl_libvirt_xml_child (parent, name));
}

/* The attribute NAME (without namespace); NULL when it is not there. */
char *
vl_libvirt_xml_prop (xmlNode *node, const char *name)
{
  xmlChar *value;
  char *copy;

  if (node == NULL || node->type != XML_ELEMENT_NODE)
    return NULL;
  value = xmlGetNoNsProp (node, BAD_CAST name);
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

/* The string value of an XPath expression, e.g. "string(/domain/os/type)"; NULL when the expression
 * is invalid or selects nothing. */
char *
vl_libvirt_xml_xpath_string (xmlDoc *doc, const char *expr)
{
  g_autoptr(xmlXPathContext) ctx = NULL;
  g_autoptr(xmlXPathObject) obj = NULL;
  xmlChar *value;
  char *copy;

  if (doc == NULL)
    return NULL;
  ctx = xmlXPathNewContext (doc);
  if (ctx == NULL)
    return NULL;
  obj = xmlXPathEvalExpression (BAD_CAST expr, ctx);
  if (obj == NULL || (obj->type == XPATH_NODESET && xmlXPathNodeSetIsEmpty (obj->nodesetval)))
    return NULL;
  value = xmlXPathCastToString (obj);
  copy = g_strdup ((const char *) value);
  xmlFree (value);
  return copy;
}

static gboolean
parse_uint64 (xmlNode *node, const char *text, guint64 *value, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autoptr(GError) local = NULL;

  if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXUINT64, value, &local))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_PARSE, _("<%s> holds “%s”, not a whole number (line %ld)."),
                   (const char *) node->name, trimmed, xmlGetLineNo (node));
      return FALSE;
    }
  return TRUE;
}

/* NODE's text as a non-negative integer. */
gboolean
vl_libvirt_xml_uint64 (xmlNode *node, guint64 *value, GError **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (value != NULL, FALSE);
  if (node == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("A number is missing from the XML."));
      return FALSE;
    }
  text = vl_libvirt_xml_text (node);
  return parse_uint64 (node, text, value, error);
}

/* libvirt's scaled sizes (<memory unit='KiB'>, <capacity unit='bytes'>): "b"/"bytes"; k, M, G, T, P, E
 * alone or with "iB" are powers of 1024, with "B" powers of 1000 (virScaleInteger's rules). */
static gboolean
unit_scale (const char *unit, guint64 *scale)
{
  static const char prefixes[] = "kmgtpe";
  g_autofree char *lower = g_ascii_strdown (unit, -1);
  const char *p;
  guint64 base;

  if (g_str_equal (lower, "b") || g_str_equal (lower, "byte") || g_str_equal (lower, "bytes"))
    {
      *scale = 1;
      return TRUE;
    }
  p = lower[0] != '\0' ? strchr (prefixes, lower[0]) : NULL;
  if (p == NULL)
    return FALSE;
  if (lower[1] == '\0' || g_str_equal (lower + 1, "ib"))
    base = 1024;
  else if (g_str_equal (lower + 1, "b"))
    base = 1000;
  else
    return FALSE;
  *scale = 1;
  for (const char *q = prefixes; q <= p; q++)
    *scale *= base;
  return TRUE;
}

/* NODE's text scaled by its unit attribute (DEFAULT_UNIT when it has none) into bytes. */
gboolean
vl_libvirt_xml_size (xmlNode *node, const char *default_unit, guint64 *bytes, GError **error)
{
  g_autofree char *unit = NULL;
  guint64 value, scale;

  g_return_val_if_fail (bytes != NULL && default_unit != NULL, FALSE);
  if (!vl_libvirt_xml_uint64 (node, &value, error))
    return FALSE;
  unit = vl_libvirt_xml_prop (node, "unit");
  if (!unit_scale (unit != NULL ? unit : default_unit, &scale))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_PARSE, _("<%s> has the unknown unit “%s” (line %ld)."),
                   (const char *) node->name, unit != NULL ? unit : default_unit, xmlGetLineNo (node));
      return FALSE;
    }
  if (value > G_MAXUINT64 / scale)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, value);

      g_set_error (error, VL_ERROR, VL_ERROR_PARSE, _("<%s> is too large: %s %s (line %ld)."),
                   (const char *) node->name, number, unit != NULL ? unit : default_unit,
                   xmlGetLineNo (node));
      return FALSE;
    }
  *bytes = value * scale;
  return TRUE;
}

/* The document written out again, as a GLib string. */
char *
vl_libvirt_xml_dump (xmlDoc *doc)
{
  xmlChar *out = NULL;
  int len = 0;
  char *copy;

  if (doc == NULL)
    return NULL;
  xmlDocDumpMemory (doc, &out, &len);
  copy = g_strndup ((const char *) out, len);
  xmlFree (out);
  return copy;
}
