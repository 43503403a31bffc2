/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The probe's findings in plain words: one checklist item per question, with what to do. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-format.h"
#include "vl-host-checklist.h"

static void
item_free (VlCheckItem *item)
{
  g_free (item->id);
  g_free (item->title);
  g_free (item->detail);
  g_free (item->advice);
  g_free (item);
}

/* Takes ownership of the three strings. */
static void
add (GPtrArray *items, VlCheckStatus status, const char *id, char *title, char *detail, char *advice)
{
  VlCheckItem *item = g_new0 (VlCheckItem, 1);

  item->status = status;
  item->id = g_strdup (id);
  item->title = title;
  item->detail = detail;
  item->advice = advice;
  g_ptr_array_add (items, item);
}

static const char *
extension_name (const VlHostReport *r)
{
  return r->cpu_vendor == VL_CPU_VENDOR_AMD ? "AMD-V" : "Intel VT-x";
}

static const char *
vendor_module (const VlHostReport *r)
{
  return r->cpu_vendor == VL_CPU_VENDOR_AMD ? "kvm_amd" : "kvm_intel";
}

static char *
cpu_detail (const VlHostReport *r)
{
  return g_strdup_printf (_("%s; processors: %u."), r->cpu_model ?: _("Unknown processor"), r->cpu_count);
}

static void
check_cpu (GPtrArray *items, const VlHostReport *r)
{
  g_autofree char *detail = cpu_detail (r);

  if (r->has_vmx || r->has_svm)
    add (items, VL_CHECK_OK, "cpu",
         g_strdup_printf (_("The processor has %s"), r->has_svm ? "AMD-V" : "Intel VT-x"),
         g_steal_pointer (&detail), NULL);
  else if (r->cpu_count == 0)
    add (items, VL_CHECK_PROBLEM, "cpu", g_strdup (_("The processor could not be checked")),
         g_strdup (_("/proc/cpuinfo could not be read.")),
         g_strdup (_("Check that /proc is mounted in this system, then check again.")));
  else if (vl_host_report_kvm_ready (r))
    /* No flag, yet /dev/kvm works: say both, and leave the verdict to the /dev/kvm item. */
    add (items, VL_CHECK_INFO, "cpu",
         g_strdup_printf (_("The processor does not show %s, but /dev/kvm is there"), extension_name (r)),
         g_strdup_printf (r->cpu_is_virtual
                          ? _("%s This computer is itself a virtual machine: the hypervisor beneath it "
                              "does not list the extensions in /proc/cpuinfo (a processor model without "
                              "them, or they are hidden), yet the kernel provides KVM: see /dev/kvm below.")
                          : _("%s The processor’s flags in /proc/cpuinfo do not list the extensions, yet "
                              "the kernel provides KVM: see /dev/kvm below."), detail),
         NULL);
  else if (r->cpu_is_virtual)
    add (items, VL_CHECK_PROBLEM, "cpu",
         g_strdup_printf (_("The processor does not offer %s to this system"), extension_name (r)),
         g_strdup_printf (_("%s This computer is itself a virtual machine: its processor reports a "
                            "hypervisor, and that hypervisor does not pass the extensions on."), detail),
         g_strdup_printf (_("Switch on nested virtualization on the host that runs this machine (on a "
                            "KVM host: the option nested=1 of %s), or use real hardware. Xen "
                            "paravirtualized (PV) guests do not need the extensions."), vendor_module (r)));
  else
    add (items, VL_CHECK_PROBLEM, "cpu",
         g_strdup (_("The processor has neither Intel VT-x nor AMD-V")), g_steal_pointer (&detail),
         g_strdup (_("KVM cannot run on this processor. Xen can still run paravirtualized (PV) guests.")));

  if (r->firmware_disabled_hint)
    add (items, VL_CHECK_PROBLEM, "firmware",
         g_strdup (_("Virtualization is switched off in the firmware")),
         g_strdup_printf (_("The processor has %s, but the kernel module %s could not use it: the "
                            "kvm module is loaded and /dev/kvm is missing."),
                          extension_name (r), vendor_module (r)),
         g_strdup (_("Restart the computer, open its firmware settings (BIOS or UEFI, often with F2 or "
                     "Del while it starts) and switch on “Intel Virtualization Technology” or “SVM "
                     "Mode”. Then check again.")));
}

static const char *
module_words (VlModuleState state)
{
  switch (state)
    {
    case VL_MODULE_LOADED: return _("loaded");
    case VL_MODULE_BUILTIN: return _("built into the kernel");
    case VL_MODULE_AVAILABLE: return _("installed, not loaded");
    case VL_MODULE_ABSENT:
    default: return _("not found");
    }
}

static gboolean
module_active (VlModuleState state)
{
  return state == VL_MODULE_LOADED || state == VL_MODULE_BUILTIN;
}

static void
check_kvm (GPtrArray *items, const VlHostReport *r)
{
  VlModuleState vendor = r->cpu_vendor == VL_CPU_VENDOR_AMD ? r->kvm_amd : r->kvm_intel;
  g_autofree char *others = g_strjoinv (", ", r->other_kvm_modules);
  g_autofree char *detail = g_strdup_printf (_("kvm: %s; %s: %s."), module_words (r->kvm), vendor_module (r),
                                             module_words (vendor));
  const char *user = r->user_name ?: "";

  if (others[0] != '\0')
    {
      g_autofree char *more = g_strdup_printf (_("%s The kernel also has: %s."), detail, others);
      g_free (detail);
      detail = g_steal_pointer (&more);
    }
  if (module_active (r->kvm) && (module_active (vendor) || vl_host_report_kvm_ready (r)))
    add (items, VL_CHECK_OK, "kvm-modules", g_strdup (_("The KVM kernel modules are active")),
         g_steal_pointer (&detail), NULL);
  else if (vendor == VL_MODULE_AVAILABLE && (r->has_vmx || r->has_svm) && !r->firmware_disabled_hint)
    add (items, VL_CHECK_PLANNED, "kvm-modules", g_strdup_printf (_("%s is not loaded"), vendor_module (r)),
         g_steal_pointer (&detail), g_strdup (_("The KVM plan loads it.")));
  else if (r->kernel_release != NULL && vendor == VL_MODULE_ABSENT && r->kvm == VL_MODULE_ABSENT &&
           !vl_host_report_kvm_ready (r))
    add (items, VL_CHECK_PROBLEM, "kvm-modules",
         g_strdup_printf (_("This kernel (%s) has no KVM modules"), r->kernel_release),
         g_steal_pointer (&detail),
         g_strdup (_("Install your distribution’s standard kernel, which has them, and start it.")));
  else
    add (items, VL_CHECK_INFO, "kvm-modules", g_strdup (_("The KVM kernel modules")),
         g_steal_pointer (&detail), NULL);

  if (vl_host_report_kvm_ready (r) && (r->has_vmx || r->has_svm))
    add (items, VL_CHECK_OK, "kvm-device", g_strdup (_("/dev/kvm exists and you may use it")),
         g_strdup (_("KVM guests can run at full speed.")), NULL);
  else if (vl_host_report_kvm_ready (r))
    {
      /* KVM without the processor's extensions in sight: no promise of full speed. */
      g_autofree char *provider = g_strjoinv (", ", r->other_kvm_modules);

      add (items, VL_CHECK_INFO, "kvm-device", g_strdup (_("/dev/kvm exists and you may use it")),
           provider[0] != '\0'
           ? g_strdup_printf (_("The processor does not show %s; /dev/kvm comes from %s, a KVM that works "
                                "without the extensions and runs only guests made for it: an ordinary KVM "
                                "guest may not start, or may run slowly."), extension_name (r), provider)
           : g_strdup_printf (_("The processor does not show %s, so whether KVM guests run at full speed "
                                "shows only when one starts."), extension_name (r)),
           g_strdup (_("If a KVM guest does not start, create it with QEMU without acceleration "
                       "(software emulation: it works everywhere, many times slower).")));
    }
  else if (r->dev_kvm_present)
    add (items, VL_CHECK_PLANNED, "kvm-device", g_strdup (_("/dev/kvm exists, but you may not use it")),
         g_strdup_printf (_("It belongs to the group “%s”, and %s is not a member."),
                          r->dev_kvm_group ?: "kvm", user),
         g_strdup (_("The KVM plan adds you to the kvm group; log out and in again afterwards.")));
  else
    add (items, r->has_vmx || r->has_svm ? VL_CHECK_PLANNED : VL_CHECK_PROBLEM, "kvm-device",
         g_strdup (_("/dev/kvm does not exist")),
         g_strdup (_("Without it, KVM cannot run guests; QEMU would emulate the processor, many times "
                     "slower.")),
         g_strdup (r->has_vmx || r->has_svm
                   ? _("It appears once the KVM module for the processor is loaded.")
                   : _("It needs the processor’s virtualization extensions: see the first item.")));

  if (r->nested != VL_NESTED_UNKNOWN)
    add (items, VL_CHECK_INFO, "nested",
         g_strdup (r->nested == VL_NESTED_ON ? _("Nested virtualization is on")
                                             : _("Nested virtualization is off")),
         g_strdup (r->nested == VL_NESTED_ON ? _("Guests may run KVM themselves.")
                                             : _("Guests cannot run KVM themselves.")), NULL);
}

static void
check_platform (GPtrArray *items, const VlHostReport *r)
{
  if (r->iommu)
    add (items, VL_CHECK_OK, "iommu", g_strdup (_("The IOMMU is on")),
         g_strdup_printf (_("Device groups that can be given to guests: %u."), r->iommu_groups), NULL);
  else
    add (items, VL_CHECK_INFO, "iommu", g_strdup (_("No IOMMU is active")),
         g_strdup (_("Guests work without it; only passing a real device (a graphics card, a network "
                     "card) to a guest needs it.")),
         g_strdup (_("To pass devices, switch on VT-d or AMD-Vi in the firmware settings.")));

  if (r->xen_role == VL_XEN_DOM0)
    add (items, VL_CHECK_OK, "xen", g_strdup (_("This system runs as Xen dom0")),
         g_strdup (_("The Xen hypervisor started first and this system controls it.")), NULL);
  else if (r->xen_role == VL_XEN_DOMU)
    add (items, VL_CHECK_PROBLEM, "xen", g_strdup (_("This system is a Xen guest (domU)")),
         g_strdup (_("A Xen guest cannot host guests of its own.")),
         g_strdup (_("Set up the computer that runs Xen (its dom0) instead.")));
  else
    add (items, VL_CHECK_INFO, "xen", g_strdup (_("Xen is not running")),
         g_strdup (r->grub_xen_config != NULL ? _("Xen is set up to start with the next boot.") :
                   /* The Xen plan refuses a system that nothing boots (a container). */
                   r->init_system == VL_INIT_NONE ? _("No init system runs here (as in a container): this "
                                                      "system cannot restart into Xen.")
                                                  : _("The Xen plan installs it and makes it start at boot.")),
         NULL);

  if (r->distribution != VL_DISTRIBUTION_UNKNOWN)
    add (items, VL_CHECK_OK, "distribution", g_strdup_printf (_("%s is supported"),
                                                             r->os_pretty_name ?: r->os_id),
         g_strdup (_("Virtlab knows its packages and commands.")), NULL);
  else
    add (items, VL_CHECK_PROBLEM, "distribution",
         g_strdup_printf (_("%s is not supported"), r->os_pretty_name ?: r->os_id ?: _("This system")),
         g_strdup (_("Virtlab knows how to set up Debian, Ubuntu and Fedora.")),
         g_strdup (_("Install the packages for QEMU and libvirt with your distribution’s tools.")));
}

static void
check_software (GPtrArray *items, const VlHostReport *r, VlHypervisorTarget target)
{
  const char *const *packages = vl_install_plan_packages (target, r->distribution);
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  const char *name = target == VL_TARGET_XEN ? "Xen" : "KVM";

  for (guint i = 0; packages[i] != NULL; i++)
    if (!vl_host_report_has_package (r, packages[i]))
      g_ptr_array_add (missing, (gpointer) packages[i]);
  g_ptr_array_add (missing, NULL);

  if (r->distribution == VL_DISTRIBUTION_UNKNOWN)
    ;
  else if (r->package_source == VL_PACKAGES_UNKNOWN)
    add (items, VL_CHECK_INFO, "packages", g_strdup (_("The installed packages could not be read")),
         g_strdup (_("Neither the dpkg database nor rpm could be read.")), NULL);
  else if (missing->len == 1)
    add (items, VL_CHECK_OK, "packages", g_strdup_printf (_("The %s packages are installed"), name),
         g_strjoinv (", ", (GStrv) packages), NULL);
  else
    {
      g_autofree char *list = g_strjoinv (", ", (GStrv) missing->pdata);

      /* Without an init system there is no Xen plan (see the Xen item): nothing to promise. */
      gboolean no_plan = target == VL_TARGET_XEN && r->init_system == VL_INIT_NONE;

      add (items, no_plan ? VL_CHECK_INFO : VL_CHECK_PLANNED, "packages",
           g_strdup_printf (_("%s packages missing: %u"), name, missing->len - 1),
           g_strdup_printf (_("Missing: %s."), list), no_plan ? NULL : g_strdup (_("The plan installs them.")));
    }

  if (vl_host_report_libvirt_running (r))
    {
      g_autofree char *sockets = g_strjoinv (", ", r->libvirt_sockets);

      add (items, VL_CHECK_OK, "libvirt", g_strdup (_("The libvirt daemon is running")),
           g_strdup_printf (_("It listens on %s."), sockets), NULL);
    }
  else
    add (items, VL_CHECK_PLANNED, "libvirt", g_strdup (_("The libvirt daemon is not running")),
         g_strdup (_("Virtlab manages guests through it.")), g_strdup (_("The plan installs and starts it.")));

  if (r->user_name != NULL && !g_str_equal (r->user_name, "root") &&
      !vl_host_report_user_in_group (r, "libvirt"))
    add (items, VL_CHECK_PLANNED, "groups",
         g_strdup_printf (_("%s is not in the libvirt group"), r->user_name),
         g_strdup (_("Without it, every guest operation asks for a password.")),
         g_strdup (_("The plan adds you; log out and in again afterwards.")));
}

GPtrArray *
vl_host_checklist_new (const VlHostReport *report, VlHypervisorTarget target)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);

  check_cpu (items, report);
  check_kvm (items, report);
  check_platform (items, report);
  check_software (items, report, target);
  return items;
}

const VlCheckItem *
vl_host_checklist_find (GPtrArray *items, const char *id)
{
  for (guint i = 0; i < items->len; i++)
    {
      const VlCheckItem *item = g_ptr_array_index (items, i);

      if (g_str_equal (item->id, id))
        return item;
    }
  return NULL;
}

/* One line for the page's heading: the system, the processor, the memory. */
char *
vl_host_report_summary (const VlHostReport *r)
{
  g_autofree char *memory = vl_format_kib (r->mem_total_kib);
  const char *os = r->os_pretty_name ?: r->os_id ?: _("Unknown system");
  const char *cpu = r->cpu_model ?: _("Unknown processor");

  if (r->mem_total_kib == 0)
    return g_strdup_printf ("%s · %s", os, cpu);
  return g_strdup_printf ("%s · %s · %s", os, cpu, memory);
}
