/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One reader of the XML libvirt writes (domains, capabilities, our metadata notes): libxml2 with no
 * network, no DTD and no entities, and small helpers that return what they read as GLib strings. */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

typedef enum
{
  VL_LIBVIRT_XML_NONE        = 0,
  VL_LIBVIRT_XML_DROP_BLANKS = 1 << 0,  /* whitespace-only text between elements is left out */
} VlLibvirtXmlFlags;

void      vl_libvirt_xml_init        (void);
xmlDoc   *vl_libvirt_xml_parse       (const char        *xml,
                                      const char        *what,
                                      VlLibvirtXmlFlags  flags,
                                      GError           **error);
xmlNode  *vl_libvirt_xml_root        (xmlDoc            *doc,
                                      const char        *name);
gboolean  vl_libvirt_xml_is          (xmlNode           *node,
                                      const char        *name);
xmlNode  *vl_libvirt_xml_child       (xmlNode           *parent,
                                      const char        *name);
xmlNode  *vl_libvirt_xml_child_ns    (xmlNode           *parent,
                                      const char        *ns_uri,
                                      const char        *name);
char     *vl_libvirt_xml_text        (xmlNode           *node);
char     *vl_libvirt_xml_child_text  (xmlNode           *parent,
                                      const char        *name);
char     *vl_libvirt_xml_prop        (xmlNode           *node,
                                      const char        *name);
char     *vl_libvirt_xml_xpath_string (xmlDoc           *doc,
                                      const char        *expr);
gboolean  vl_libvirt_xml_uint64      (xmlNode           *node,
                                      guint64           *value,
                                      GError           **error);
gboolean  vl_libvirt_xml_size        (xmlNode           *node,
                                      const char        *default_unit,
                                      guint64           *bytes,
                                      GError           **error);
char     *vl_libvirt_xml_dump        (xmlDoc            *doc);

G_END_DECLS
