/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A network install still to run: noted in the guest's <metadata>, turned into the first start's configuration. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "vl-error.h"
#include "vl-gvir-autoptr.h"
#include "vl-libvirt-xml.h"
#include "vl-pending-install.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlBuffer, xmlBufferFree)

/* Element names inside <virtlab:install>. */
static const char *const fields[] = { "kernel", "initrd", "cmdline" };

gboolean
vl_pending_install_add (GVirConfigDomain *config, const char *kernel, const char *initrd, const char *cmdline,
                        GError **error)
{
  const char *values[] = { kernel, initrd, cmdline };
  g_autoptr(xmlDoc) doc = xmlNewDoc (BAD_CAST "1.0");
  g_autoptr(xmlBuffer) buffer = xmlBufferCreate ();
  xmlNode *root = xmlNewDocNode (doc, NULL, BAD_CAST "install", NULL);

  g_return_val_if_fail (GVIR_CONFIG_IS_DOMAIN (config), FALSE);
  g_return_val_if_fail (kernel != NULL, FALSE);
  xmlDocSetRootElement (doc, root);
  /* libxml2 escapes the values: a path or command line with '&' or '<' stays what it was. */
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (values[i] != NULL && *values[i] != '\0')
        xmlNewTextChild (root, NULL, BAD_CAST fields[i], BAD_CAST values[i]);
    }
  if (xmlNodeDump (buffer, doc, root, 0, 0) < 0)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("The guest’s configuration could not be built."));
      return FALSE;
    }
  return gvir_config_domain_set_custom_xml_ns_children (config, (const char *) xmlBufferContent (buffer),
                                                        VL_PENDING_INSTALL_NS, VL_PENDING_INSTALL_NS_URI,
                                                        error);
}

gboolean
vl_pending_install_is_pending (GVirConfigDomain *config)
{
  g_autofree char *note = NULL;

  g_return_val_if_fail (GVIR_CONFIG_IS_DOMAIN (config), FALSE);
  note = gvir_config_domain_get_custom_xml (config, VL_PENDING_INSTALL_NS_URI);
  return note != NULL;
}

static gboolean
is_our_note (xmlNode *node)
{
  return node->type == XML_ELEMENT_NODE && node->ns != NULL
         && xmlStrEqual (node->ns->href, BAD_CAST VL_PENDING_INSTALL_NS_URI);
}

static void
read_note (xmlNode *note, char **values)
{
  for (xmlNode *child = note->children; child != NULL; child = child->next)
    {
      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        {
          if (vl_libvirt_xml_is (child, fields[i]) && values[i] == NULL)
            values[i] = vl_libvirt_xml_text (child);
        }
    }
}

/* libvirt-gconfig can neither remove a <metadata> child nor a <bootloader>: take both out of the
 * parsed document with libxml2, reading the note on the way. */
static char *
strip_note_and_bootloader (GVirConfigDomain *config, char **values, GError **error)
{
  g_autofree char *xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  g_autoptr(xmlDoc) doc = NULL;
  xmlNode *root;
  xmlNode *next;

  doc = vl_libvirt_xml_parse (xml, _("guest’s configuration"), VL_LIBVIRT_XML_DROP_BLANKS, error);
  root = vl_libvirt_xml_root (doc, "domain");
  if (doc == NULL)
    return NULL;
  if (root == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("The guest’s configuration could not be read."));
      return NULL;
    }
  for (xmlNode *child = root->children; child != NULL; child = next)
    {
      next = child->next;
      if (vl_libvirt_xml_is (child, "bootloader") || vl_libvirt_xml_is (child, "bootloader_args"))
        {
          xmlUnlinkNode (child);
          xmlFreeNode (child);
        }
      else if (vl_libvirt_xml_is (child, "metadata"))
        {
          xmlNode *inner_next;
          gboolean empty = TRUE;

          for (xmlNode *inner = child->children; inner != NULL; inner = inner_next)
            {
              inner_next = inner->next;
              if (is_our_note (inner))
                {
                  read_note (inner, values);
                  xmlUnlinkNode (inner);
                  xmlFreeNode (inner);
                }
              else if (inner->type == XML_ELEMENT_NODE)
                empty = FALSE;
            }
          if (empty)
            {
              xmlUnlinkNode (child);
              xmlFreeNode (child);
            }
        }
    }
  return vl_libvirt_xml_dump (doc);
}

GVirConfigDomain *
vl_pending_install_boot_config (GVirConfigDomain *config, GError **error)
{
  char *values[G_N_ELEMENTS (fields)] = { NULL, };
  g_autofree char *xml = NULL;
  g_autoptr(GVirConfigDomain) boot = NULL;
  g_autoptr(GVirConfigDomainOs) os = NULL;
  GVirConfigDomain *result = NULL;

  g_return_val_if_fail (GVIR_CONFIG_IS_DOMAIN (config), NULL);
  if (!vl_pending_install_is_pending (config))
    return NULL;
  xml = strip_note_and_bootloader (config, values, error);
  if (xml != NULL && values[0] == NULL)
    g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                 _("The guest’s pending install names no installer kernel (in its metadata “%s”)."),
                 VL_PENDING_INSTALL_NS_URI);
  else if (xml != NULL)
    boot = gvir_config_domain_new_from_xml (xml, error);
  if (boot != NULL)
    {
      /* The <os> of the document itself: changing it changes the domain (set_os would replace it by
       * itself and lose it). */
      os = gvir_config_domain_get_os (boot);
      if (os == NULL)
        {
          os = gvir_config_domain_os_new ();
          gvir_config_domain_set_os (boot, os);
        }
      /* The installer kernel boots directly: no firmware boot order applies. */
      gvir_config_domain_os_set_boot_devices (os, NULL);
      gvir_config_domain_os_set_kernel (os, values[0]);
      if (values[1] != NULL)
        gvir_config_domain_os_set_ramdisk (os, values[1]);
      if (values[2] != NULL)
        gvir_config_domain_os_set_cmdline (os, values[2]);
      /* The installer's closing reboot ends this run; the next start boots the installed disk. */
      gvir_config_domain_set_lifecycle (boot, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_REBOOT,
                                        GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);
      result = g_steal_pointer (&boot);
    }
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_free (values[i]);
  return result;
}
