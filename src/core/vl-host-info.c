/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a connection's host is, like the study's `xm info`: read in a thread from libvirt. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vl-host-info.h"
#include "vl-error.h"
#include "vl-libvirt-handle.h"
#include "vl-libvirt-xml.h"

void
vl_host_info_free (VlHostInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->hostname);
  g_free (info->hypervisor);
  g_free (info->hypervisor_version);
  g_free (info->libvirt_version);
  g_free (info->cpu_model);
  g_free (info->arch);
  g_free (info->guest_types);
  g_free (info);
}

/* libvirt encodes versions as major * 1000000 + minor * 1000 + release. */
char *
vl_host_info_format_version (gulong version)
{
  return g_strdup_printf ("%lu.%lu.%lu", version / 1000000, (version / 1000) % 1000, version % 1000);
}

/* The os type as libvirt wrote it. gvir_config_capabilities_guest_get_os_type() knows only hvm,
 * linux, exe and xen: a Xen host's "xenpvh" made it fail with a critical, and it would be shown
 * as "hvm" (seen on the Xen tier's dom0, tests/xen/). */
static char *
guest_os_type (GVirConfigCapabilitiesGuest *guest)
{
  g_autofree char *xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (guest));
  g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (xml, _("host’s capabilities"), VL_LIBVIRT_XML_NONE, NULL);
  char *os_type = vl_libvirt_xml_xpath_string (doc, "/guest/os_type");

  return os_type != NULL ? os_type : g_strdup ("?");
}

/* One entry per os type, each with the architectures and domain types it offers, e.g.
 * "hvm: x86_64 (kvm, qemu); xen: x86_64 (xen)". */
char *
vl_host_info_describe_guests (GVirConfigCapabilities *caps)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GList *guests = gvir_config_capabilities_get_guests (caps);

  for (GList *l = guests; l != NULL; l = l->next)
    {
      GVirConfigCapabilitiesGuest *guest = l->data;
      g_autoptr(GVirConfigCapabilitiesGuestArch) arch = gvir_config_capabilities_guest_get_arch (guest);
      g_autofree char *os_type = guest_os_type (guest);
      GList *domains = arch != NULL ? gvir_config_capabilities_guest_arch_get_domains (arch) : NULL;

      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, "%s: %s (", os_type,
                              arch != NULL ? gvir_config_capabilities_guest_arch_get_name (arch) : "?");
      for (GList *d = domains; d != NULL; d = d->next)
        {
          GVirConfigDomainVirtType type = gvir_config_capabilities_guest_domain_get_virt_type (d->data);
          g_autofree char *nick = NULL;
          GEnumClass *klass = g_type_class_ref (GVIR_CONFIG_TYPE_DOMAIN_VIRT_TYPE);
          GEnumValue *value = g_enum_get_value (klass, type);

          nick = g_strdup (value != NULL ? value->value_nick : "?");
          g_type_class_unref (klass);
          g_string_append_printf (text, "%s%s", d == domains ? "" : ", ", nick);
        }
      g_string_append_c (text, ')');
      g_list_free_full (domains, g_object_unref);
    }
  g_list_free_full (guests, g_object_unref);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* In a worker thread: everything the host says about itself, through our own reference VCONN. */
static VlHostInfo *
read_host (virConnectPtr vconn, GError **error)
{
  g_autoptr(VlHostInfo) info = g_new0 (VlHostInfo, 1);
  g_autoptr(GVirConfigCapabilities) caps = NULL;
  virNodeInfo node;
  unsigned long version = 0;
  unsigned long long free_bytes;
  g_autofree char *caps_xml = NULL;
  g_autofree char *hostname = NULL;

  if (virNodeGetInfo (vconn, &node) < 0)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("The host cannot be described: %s"),
                   vl_libvirt_last_error_message ());
      return NULL;
    }
  info->cpu_model = g_strdup (node.model);
  info->cpus = node.cpus;
  info->mhz = node.mhz;
  info->numa_cells = node.nodes;
  info->sockets = node.sockets * MAX (node.nodes, 1);
  info->cores = node.cores;
  info->threads = node.threads;
  info->memory_kib = node.memory;

  hostname = virConnectGetHostname (vconn);
  info->hostname = g_steal_pointer (&hostname);
  info->hypervisor = g_strdup (virConnectGetType (vconn));
  if (virConnectGetVersion (vconn, &version) == 0 && version > 0)
    info->hypervisor_version = vl_host_info_format_version (version);
  if (virConnectGetLibVersion (vconn, &version) == 0)
    info->libvirt_version = vl_host_info_format_version (version);
  free_bytes = virNodeGetFreeMemory (vconn);
  info->free_memory_kib = free_bytes / 1024;

  /* Through our own reference: the GVirConnection may be closed meanwhile if the host goes away. */
  caps_xml = virConnectGetCapabilities (vconn);
  if (caps_xml != NULL)
    caps = gvir_config_capabilities_new_from_xml (caps_xml, NULL);
  if (caps != NULL)
    {
      g_autoptr(GVirConfigCapabilitiesHost) host = gvir_config_capabilities_get_host (caps);
      g_autoptr(GVirConfigCapabilitiesCpu) cpu = host != NULL ? gvir_config_capabilities_host_get_cpu (host) : NULL;

      if (cpu != NULL)
        {
          g_autoptr(GVirConfigCapabilitiesCpuModel) model = gvir_config_capabilities_cpu_get_model (cpu);

          info->arch = g_strdup (gvir_config_capabilities_cpu_get_arch (cpu));
          /* Capabilities name the CPU model ("Skylake-Client"); node info only says "x86_64". */
          if (model != NULL && gvir_config_capabilities_cpu_model_get_name (model) != NULL)
            {
              g_free (info->cpu_model);
              info->cpu_model = g_strdup (gvir_config_capabilities_cpu_model_get_name (model));
            }
        }
      info->guest_types = vl_host_info_describe_guests (caps);
    }
  virResetLastError ();
  return g_steal_pointer (&info);
}

static void
fetch_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GVirConnection *conn = source;
  GError *error = NULL;
  g_autoptr(virConnect) vconn = vl_libvirt_handle_get (conn, &error);
  VlHostInfo *info = vconn != NULL ? read_host (vconn, &error) : NULL;

  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) vl_host_info_free);
}

void
vl_host_info_fetch_async (GVirConnection *conn, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, vl_host_info_fetch_async);
  g_task_run_in_thread (task, fetch_thread);
}

VlHostInfo *
vl_host_info_fetch_finish (GVirConnection *conn, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* For a page that has no connection of its own (the Host page): open URI, read, close, all in the
 * worker thread, since libvirt's calls block on its socket. */
static void
fetch_uri_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *uri = task_data;
  g_autoptr(GVirConnection) conn = gvir_connection_new (uri);
  GError *error = NULL;
  VlHostInfo *info = NULL;

  if (gvir_connection_open (conn, cancellable, &error))
    {
      g_autoptr(virConnect) vconn = vl_libvirt_handle_get (conn, &error);

      info = vconn != NULL ? read_host (vconn, &error) : NULL;
    }
  gvir_connection_close (conn);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) vl_host_info_free);
}

void
vl_host_info_fetch_uri_async (const char *uri, GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_return_if_fail (uri != NULL);
  g_task_set_source_tag (task, vl_host_info_fetch_uri_async);
  g_task_set_task_data (task, g_strdup (uri), g_free);
  g_task_run_in_thread (task, fetch_uri_thread);
}

VlHostInfo *
vl_host_info_fetch_uri_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
