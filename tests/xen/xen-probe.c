/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's host probe as a small program: run inside the live dom0, or on the sysroot harvested from it. */
#include "config.h"

#include "vl-host-probe.h"

/* Usage: xen-probe [SYSROOT [PACKAGE...]]. Prints what the probe found, one "key: value" a line.
 * tests/xen/test-dom0-probe.sh runs it in dom0 (from a disk the host attaches) and then on the
 * sysroot it copied out of dom0, which tests/xen/fixtures/dom0-sysroot/ keeps for the fast tests. */
static const char *
role_text (VlXenRole role)
{
  switch (role)
    {
    case VL_XEN_DOM0:
      return "Xen dom0";
    case VL_XEN_DOMU:
      return "Xen domU";
    case VL_XEN_NONE:
    default:
      return "no Xen";
    }
}

int
main (int argc, char **argv)
{
  const char *sysroot = argc > 1 ? argv[1] : "/";
  g_autoptr(VlHostUser) user = vl_host_user_new_current ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHostReport) report = vl_host_probe (sysroot, user, &error);
  g_autofree char *sockets = NULL;

  if (report == NULL)
    {
      g_printerr ("xen-probe: %s\n", error->message);
      return 1;
    }
  sockets = report->libvirt_sockets != NULL ? g_strjoinv (" ", report->libvirt_sockets) : g_strdup ("");
  g_print ("role: %s\n", role_text (report->xen_role));
  g_print ("hypervisor-type: %s\n", report->hypervisor_type ? report->hypervisor_type : "");
  g_print ("cpu-vendor: %s\n", report->cpu_vendor_id ? report->cpu_vendor_id : "");
  g_print ("cpus: %u\n", report->cpu_count);
  g_print ("svm: %s\nvmx: %s\n", report->has_svm ? "yes" : "no", report->has_vmx ? "yes" : "no");
  g_print ("mem-total-kib: %" G_GUINT64_FORMAT "\n", report->mem_total_kib);
  g_print ("kernel: %s\n", report->kernel_release ? report->kernel_release : "");
  g_print ("kvm: %s\n", vl_module_state_to_string (report->kvm));
  g_print ("distribution: %s %s\n", vl_distribution_to_string (report->distribution),
           report->os_version_id ? report->os_version_id : "");
  g_print ("systemd: %s\n", report->has_systemd ? "yes" : "no");
  g_print ("libvirt-sockets: %s\n", sockets);
  for (int i = 2; i < argc; i++)
    g_print ("package %s: %s\n", argv[i],
             vl_host_report_has_package (report, argv[i]) ? "installed" : "absent");
  return 0;
}
