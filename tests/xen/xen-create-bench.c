/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helper: time the app's creator making and starting a Xen PV guest on the live dom0. */
#include "config.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vl-gvir-autoptr.h"
#include "vl-guest-creator.h"
#include "vl-guest-spec.h"

/* Usage: xen-create-bench URI OUT.xml. Describes the host, creates "vl-xen-pv" (the Debian kernel and
 * busybox initrd of dom0's image, no disk, no NIC) and starts it; prints the seconds the create call
 * took, and writes the guest's XML to OUT.xml so tests/bench/xen.sh can time virsh on the same XML. */
static void
quiet_libvirt (void *data, virErrorPtr err)
{
}

static void
store_result (GObject *source, GAsyncResult *res, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

static GAsyncResult *
wait_result (GAsyncResult **res)
{
  while (*res == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *res;
}

int
main (int argc, char **argv)
{
  g_autoptr(GVirConnection) conn = NULL;
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  g_autoptr(VlGuestCreator) creator = NULL;
  g_autoptr(GAsyncResult) described = NULL;
  g_autoptr(GAsyncResult) created = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  VlGuestStep step;
  gint64 t0;

  if (argc != 3)
    {
      g_printerr ("usage: xen-create-bench URI OUT.xml\n");
      return 2;
    }
  gvir_init_object (NULL, NULL);
  virSetErrorFunc (NULL, quiet_libvirt);
  conn = gvir_connection_new (argv[1]);
  if (!gvir_connection_open (conn, NULL, &error) || !gvir_connection_fetch_domains (conn, NULL, &error))
    {
      g_printerr ("xen-create-bench: %s\n", error->message);
      return 1;
    }
  creator = vl_guest_creator_new (conn);
  vl_guest_creator_describe_host_async (creator, spec, NULL, store_result, &described);
  if (!vl_guest_creator_describe_host_finish (creator, wait_result (&described), &error))
    {
      g_printerr ("xen-create-bench: %s\n", error->message);
      return 1;
    }
  vl_guest_spec_set_mode (spec, VL_GUEST_MODE_XEN_PV);
  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_KERNEL, NULL);
  vl_guest_spec_set_kernel (spec, "/var/lib/virtlab/vmlinuz", "/var/lib/virtlab/pv-initrd.img", "console=hvc0 quiet");
  vl_guest_spec_set_memory_mib (spec, 192);
  vl_guest_spec_set_vcpus (spec, 1);
  vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NONE, 0, NULL);
  vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_NONE, NULL, NULL);
  vl_guest_spec_set_name (spec, "vl-xen-pv");
  if (!vl_guest_spec_validate (spec, &step, &error))
    {
      g_printerr ("xen-create-bench: %s\n", error->message);
      return 1;
    }
  t0 = g_get_monotonic_time ();
  vl_guest_creator_create_async (creator, spec, TRUE, NULL, store_result, &created);
  domain = vl_guest_creator_create_finish (creator, wait_result (&created), &error);
  if (domain == NULL)
    {
      g_printerr ("xen-create-bench: %s\n", error->message);
      return 1;
    }
  g_print ("%.1f\n", (g_get_monotonic_time () - t0) / 1e6);
  config = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, &error);
  xml = config != NULL ? gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config)) : NULL;
  if (xml == NULL || !g_file_set_contents (argv[2], xml, -1, &error))
    {
      g_printerr ("xen-create-bench: the guest's XML: %s\n", error ? error->message : "none");
      return 1;
    }
  return 0;
}
