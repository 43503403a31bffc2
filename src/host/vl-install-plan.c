/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The install plan: a probe report and a target (KVM or Xen) give the ordered steps still to do. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-error.h"
#include "vl-install-plan.h"

/* Today's equivalents of the study's "kvm qemu-kvm bridge-utils libvirt-bin" (and, for UEFI guests and
 * their TPM 2.0, OVMF and swtpm with swtpm_setup from swtpm-tools) and
 * "xen-linux-system-2.6.32-5-xen-amd64": QEMU and libvirt split into smaller packages, the
 * Debian kernel runs as dom0 without a patched "-xen" flavour, and xl replaced xm/xend. */
static const char *const kvm_debian[] = { "qemu-system-x86", "qemu-utils",  "libvirt-daemon-system",
                                          "libvirt-clients", "virtinst",    "ovmf",
                                          "swtpm",           "swtpm-tools", NULL };
static const char *const kvm_fedora[] = { "qemu-kvm",    "libvirt", "virt-install", "edk2-ovmf", "swtpm",
                                          "swtpm-tools", NULL };
/* qemu-utils (qemu-img): libvirt makes and reads qcow2 volumes with it; without it a Xen host's
 * new guest disks fail. Nothing in the Xen packages pulls it in. */
static const char *const xen_debian[] = {
  "xen-system-amd64", "qemu-system-xen", "qemu-utils", "libvirt-daemon-driver-xen",
  "libvirt-daemon-system", "libvirt-clients", NULL
};
static const char *const xen_fedora[] = {
  "xen", "xen-hypervisor", "qemu-img", "libvirt-daemon-driver-libxl", "libvirt-client", NULL
};

const char *
vl_hypervisor_target_to_string (VlHypervisorTarget target)
{
  return target == VL_TARGET_XEN ? "xen" : "kvm";
}

gboolean
vl_hypervisor_target_from_string (const char *name, VlHypervisorTarget *target)
{
  if (g_strcmp0 (name, "kvm") == 0)
    *target = VL_TARGET_KVM;
  else if (g_strcmp0 (name, "xen") == 0)
    *target = VL_TARGET_XEN;
  else
    return FALSE;
  return TRUE;
}

const char *const *
vl_install_plan_packages (VlHypervisorTarget target, VlDistribution distribution)
{
  gboolean fedora = distribution == VL_DISTRIBUTION_FEDORA;

  if (target == VL_TARGET_XEN)
    return fedora ? xen_fedora : xen_debian;
  return fedora ? kvm_fedora : kvm_debian;
}

/* Xen's advice: a fixed dom0 size, so that ballooning never starves dom0. A quarter of the memory,
 * at least 1 GiB and at most 4 GiB, in steps of 256 MiB. */
guint
vl_dom0_memory_mib (const VlHostReport *report)
{
  guint64 quarter = report->mem_total_kib / 1024 / 4;

  if (report->mem_total_kib == 0)
    return 2048;
  return (guint) CLAMP (quarter / VL_DOM0_MIB_STEP * VL_DOM0_MIB_STEP, VL_DOM0_MIB_MIN, VL_DOM0_MIB_MAX);
}

VlInstallStep *
vl_install_step_new (VlStepKind kind, const char *const *args, const char *title, const char *why,
                     const VlHelperSystem *system)
{
  VlInstallStep *step = g_new0 (VlInstallStep, 1);

  step->request = vl_helper_request_new (kind, args);
  step->title = g_strdup (title);
  step->why = g_strdup (why);
  step->commands = vl_helper_request_commands (step->request, system);
  step->needs_root = kind != VL_STEP_REBOOT;
  if (kind == VL_STEP_WRITE_GRUB_CONFIG && args != NULL && args[0] != NULL)
    step->file_path = g_build_filename (VL_GRUB_CONFIG_DIR, args[0], NULL);
  return step;
}

void
vl_install_step_free (VlInstallStep *step)
{
  if (step == NULL)
    return;
  vl_helper_request_free (step->request);
  g_free (step->title);
  g_free (step->why);
  g_clear_pointer (&step->commands, g_ptr_array_unref);
  g_free (step->file_path);
  g_free (step);
}

static gboolean
is_libvirt_service (const char *name)
{
  return g_str_equal (name, "libvirtd") || g_str_equal (name, "virtqemud") || g_str_equal (name, "virtxend");
}

static char *
dom0_memory_option (const VlHostReport *report)
{
  guint mib = vl_dom0_memory_mib (report);

  return g_strdup_printf ("dom0_mem=%uM,max:%uM", mib, mib);
}

gboolean
vl_install_step_is_done (const VlInstallStep *step, const VlHostReport *report)
{
  const char *const *args = (const char *const *) step->request->args;

  switch (step->request->kind)
    {
    case VL_STEP_INSTALL_PACKAGES:
      for (guint i = 0; args[i] != NULL; i++)
        if (!vl_host_report_has_package (report, args[i]))
          return FALSE;
      return TRUE;

    case VL_STEP_LOAD_MODULE:
      {
        VlModuleState state = g_str_equal (args[0], "kvm_intel") ? report->kvm_intel :
                              g_str_equal (args[0], "kvm_amd") ? report->kvm_amd : report->kvm;

        /* A working /dev/kvm means some module already provides KVM. */
        return state == VL_MODULE_LOADED || state == VL_MODULE_BUILTIN || vl_host_report_kvm_ready (report);
      }

    case VL_STEP_WRITE_GRUB_CONFIG:
      return g_strcmp0 (report->grub_xen_config, args[1]) == 0;

    case VL_STEP_UPDATE_GRUB:
      {
        g_autofree char *option = dom0_memory_option (report);

        /* The generated menu carries the dom0 setting once update-grub has run. */
        if (report->grub_cfg != NULL)
          return strstr (report->grub_cfg, option) != NULL;
        /* Debian 12's grub-mkconfig leaves grub.cfg readable by root only (CVE-2021-3981), and the
         * page probes as the user: seen in a real Debian 12 dom0 (tests/install/), where the user's
         * plan kept this step after the restart into Xen. Then the menu counts as written when it
         * is newer than Virtlab's GRUB file and that file holds the plan's setting. */
        return report->grub_cfg_mtime > 0 && report->grub_xen_config != NULL &&
               report->grub_cfg_mtime >= report->grub_xen_config_mtime &&
               strstr (report->grub_xen_config, option) != NULL;
      }

    case VL_STEP_ENABLE_SERVICE:
      /* Without an init system nothing is "enabled": a daemon is done while it runs. */
      if (report->init_system == VL_INIT_NONE)
        return is_libvirt_service (args[0]) && vl_host_report_libvirt_running (report);
      if (!vl_host_report_service_enabled (report, args[0]))
        return FALSE;
      return !is_libvirt_service (args[0]) || vl_host_report_libvirt_running (report);

    case VL_STEP_ADD_USER_TO_GROUP:
      return g_strcmp0 (report->user_name, args[0]) == 0 && vl_host_report_user_in_group (report, args[1]);

    case VL_STEP_DEFINE_STORAGE_POOL:
      return report->default_pool_defined;

    case VL_STEP_REBOOT:
      return report->xen_role == VL_XEN_DOM0;

    case VL_STEP_REFRESH_PACKAGES:
    default:
      return FALSE;
    }
}

typedef struct {
  const VlHostReport *report;
  VlHelperSystem      system;
  VlPlanFlags         flags;
  GPtrArray          *steps;
} PlanBuilder;

static void
add_step (PlanBuilder *b, VlStepKind kind, const char *const *args, const char *title, const char *why)
{
  g_autoptr(VlInstallStep) step = vl_install_step_new (kind, args, title, why, &b->system);

  step->done = vl_install_step_is_done (step, b->report);
  if (!step->done || (b->flags & VL_PLAN_ALL_STEPS))
    g_ptr_array_add (b->steps, g_steal_pointer (&step));
}

static void
add_packages (PlanBuilder *b, const char *const *packages, const char *why)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();

  for (guint i = 0; packages[i] != NULL; i++)
    if ((b->flags & VL_PLAN_ALL_STEPS) || !vl_host_report_has_package (b->report, packages[i]))
      g_ptr_array_add (missing, (gpointer) packages[i]);
  g_ptr_array_add (missing, NULL);

  /* Only what is missing is installed; the package lists are refreshed only when that is needed. */
  if (missing->len > 1)
    {
      g_autoptr(VlInstallStep) refresh = vl_install_step_new (
        VL_STEP_REFRESH_PACKAGES, NULL, _("Refresh the package lists"),
        _("The package manager learns the newest versions in the distribution’s repositories "
          "before it installs anything."), &b->system);
      gboolean all_present = TRUE;

      for (guint i = 0; packages[i] != NULL; i++)
        all_present = all_present && vl_host_report_has_package (b->report, packages[i]);
      refresh->done = all_present;
      if (!all_present || (b->flags & VL_PLAN_ALL_STEPS))
        g_ptr_array_add (b->steps, g_steal_pointer (&refresh));
      add_step (b, VL_STEP_INSTALL_PACKAGES, (const char *const *) missing->pdata,
                _("Install the virtualization packages"), why);
    }
}

static void
add_user_groups (PlanBuilder *b, const char *const *groups)
{
  const char *user = b->report->user_name;

  /* root needs no group; an unknown user cannot be named. */
  if (user == NULL || g_str_equal (user, "root"))
    return;
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *args[] = { user, groups[i], NULL };
      g_autofree char *title = g_strdup_printf (_("Add %s to the group “%s”"), user, groups[i]);
      const char *why = g_str_equal (groups[i], "kvm")
        ? _("Members of the kvm group may use /dev/kvm, the processor’s virtualization extensions.")
        : _("Members of the libvirt group manage guests without typing a password; the change "
            "counts from the next login.");

      add_step (b, VL_STEP_ADD_USER_TO_GROUP, args, title, why);
    }
}

static void
add_service (PlanBuilder *b, const char *service, const char *title, const char *why)
{
  const char *args[] = { service, NULL };

  add_step (b, VL_STEP_ENABLE_SERVICE, args, title, why);
}

static void
build_kvm (PlanBuilder *b, VlDistribution distribution)
{
  const char *module = b->report->cpu_vendor == VL_CPU_VENDOR_INTEL ? "kvm_intel" :
                       b->report->cpu_vendor == VL_CPU_VENDOR_AMD ? "kvm_amd" : NULL;
  const char *groups[] = { "libvirt", "kvm", NULL };

  add_packages (b, vl_install_plan_packages (VL_TARGET_KVM, distribution),
                _("QEMU runs the guests, libvirt manages them and virt-install creates them. The "
                  "study installed kvm, qemu-kvm, bridge-utils and libvirt-bin; these packages "
                  "replace them today."));
  if (module != NULL)
    {
      const char *args[] = { module, NULL };
      g_autofree char *title = g_strdup_printf (_("Load the kernel module %s"), module);
      g_autofree char *why = g_strdup_printf (
        _("%s switches on the processor’s %s extensions for KVM and creates /dev/kvm."), module,
        b->report->cpu_vendor == VL_CPU_VENDOR_INTEL ? "VT-x" : "AMD-V");

      add_step (b, VL_STEP_LOAD_MODULE, args, title, why);
    }
  if (b->system.init_system == VL_INIT_NONE)
    {
      const char *daemon = distribution == VL_DISTRIBUTION_FEDORA ? "virtqemud" : "libvirtd";
      g_autofree char *why = g_strdup_printf (
        _("The libvirt daemon creates, starts and watches the guests. No init system runs here "
          "(process 1 is “%s”, as in a container), so nothing can start the daemon at boot: this "
          "step starts it now, and after a restart it must be started again with “service %s "
          "start”."), b->report->init_name, daemon);

      add_service (b, daemon, _("Start the libvirt daemon now"), why);
    }
  else
    add_service (b, distribution == VL_DISTRIBUTION_FEDORA ? "virtqemud" : "libvirtd",
                 _("Start the libvirt daemon now and at every boot"),
                 _("The libvirt daemon creates, starts and watches the guests."));
  add_user_groups (b, groups);
  add_step (b, VL_STEP_DEFINE_STORAGE_POOL, NULL, _("Define the default storage pool"),
            _("New guests keep their disks in /var/lib/libvirt/images, the pool named “default”."));
}

static void
build_xen (PlanBuilder *b, VlDistribution distribution)
{
  const char *groups[] = { "libvirt", NULL };
  guint mib = vl_dom0_memory_mib (b->report);
  g_autofree char *contents = vl_xen_grub_config_new (mib);
  const char *grub_args[] = { VL_XEN_GRUB_FILE, contents, NULL };
  g_autofree char *grub_why = g_strdup_printf (
    _("Makes the Xen hypervisor the default boot entry and gives dom0 a fixed %u MiB of memory, "
      "so that the guests get the rest."), mib);
  /* Fedora's Xen ships systemd units. Debian's and Ubuntu's xen-utils-common ship only the SysV
   * scripts /etc/init.d/xen and xendomains, also under systemd (there is no xen-init-dom0.service:
   * "systemctl enable" of it failed in a real Debian 12, tests/install/); systemctl enables a SysV
   * script through systemd-sysv-install, and the script does nothing until Xen runs. */
  const char *xen_services_fedora[] = { "xen-init-dom0", "xenconsoled", "xendomains", NULL };
  const char *xen_services_debian[] = { "xen", "xendomains", NULL };
  const char *const *services = distribution == VL_DISTRIBUTION_FEDORA ? xen_services_fedora : xen_services_debian;

  add_packages (b, vl_install_plan_packages (VL_TARGET_XEN, distribution),
                _("The Xen hypervisor starts first and runs this system as dom0; libvirt’s Xen driver "
                  "manages the guests. The study installed xen-linux-system and used xm; "
                  "xen-system-amd64 and xl replace them today."));
  add_step (b, VL_STEP_WRITE_GRUB_CONFIG, grub_args, _("Make Xen the default boot entry"), grub_why);
  add_step (b, VL_STEP_UPDATE_GRUB, NULL, _("Write the new boot menu"),
            _("The boot loader reads its menu from a generated file; it is generated again with the "
              "Xen entry first."));
  for (guint i = 0; services[i] != NULL; i++)
    {
      g_autofree char *title = g_strdup_printf (_("Enable the Xen service %s"), services[i]);

      add_service (b, services[i], title,
                   _("The Xen toolstack (xenstored, the consoles, guests started at boot) runs in "
                     "dom0 after the reboot."));
    }
  add_service (b, distribution == VL_DISTRIBUTION_FEDORA ? "virtxend" : "libvirtd",
               _("Start the libvirt daemon now and at every boot"),
               _("The libvirt daemon creates, starts and watches the guests; after the reboot it "
                 "answers on xen:///system."));
  add_user_groups (b, groups);
  add_step (b, VL_STEP_REBOOT, NULL, _("Restart the computer into Xen"),
            _("Xen is installed but runs only after a restart; then this page shows the Xen host "
              "information, like the study’s “xm info”."));
}

VlInstallPlan *
vl_install_plan_new_empty (VlHypervisorTarget target, const VlHelperSystem *system)
{
  VlInstallPlan *plan = g_new0 (VlInstallPlan, 1);

  plan->target = target;
  plan->system = *system;
  plan->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) vl_install_step_free);
  return plan;
}

VlInstallPlan *
vl_install_plan_new (VlHypervisorTarget target, const VlHostReport *report, VlDistribution distribution,
                     VlPlanFlags flags, GError **error)
{
  VlHelperSystem system = { distribution, report->has_systemd, report->init_system };
  g_autoptr(VlInstallPlan) plan = NULL;
  PlanBuilder b;

  if (distribution == VL_DISTRIBUTION_UNKNOWN)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED,
                   _("Virtlab knows how to set up Debian, Ubuntu and Fedora, and “%s” is none of them"),
                   report->os_pretty_name ?: report->os_id ?: _("this system"));
      return NULL;
    }
  /* Fedora always boots with systemd; the plan must not depend on where it is previewed. */
  if (distribution == VL_DISTRIBUTION_FEDORA)
    {
      system.has_systemd = TRUE;
      system.init_system = VL_INIT_SYSTEMD;
    }
  /* A Xen dom0 boots into the hypervisor, and its init system starts the Xen toolstack: a
   * system without one (a container) can do neither. */
  if (target == VL_TARGET_XEN && system.init_system == VL_INIT_NONE)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED,
                   _("This system cannot become a Xen dom0: no init system runs here (process 1 is "
                     "“%s”, not systemd or SysV init, as in a container), so nothing would start "
                     "the Xen services, and a container cannot restart into the Xen hypervisor. "
                     "Choose KVM, or set up Xen on the computer itself."), report->init_name);
      return NULL;
    }

  plan = vl_install_plan_new_empty (target, &system);
  b.report = report;
  b.system = system;
  b.flags = flags;
  b.steps = plan->steps;
  if (target == VL_TARGET_XEN)
    build_xen (&b, distribution);
  else
    build_kvm (&b, distribution);
  return g_steal_pointer (&plan);
}

/* The undo of the Xen plan's boot settings: its GRUB file goes back to what was there before (the
 * helper kept it as NAME~) or away, and the menu is generated again. Its promise: the computer
 * starts as before Virtlab set up Xen, without Xen by default. Debian's and Ubuntu's Xen packages
 * would keep Xen the default (their xen.cfg, when nothing sets XEN_OVERRIDE_GRUB_DEFAULT: seen in
 * the install tier's Debian 12), so unless the earlier settings set it the helper's
 * restore-grub-config leaves VL_XEN_UNDO_GRUB_FILE setting it to "0". The packages, the services and
 * the Xen entry in the boot menu stay: they do nothing while the computer boots without Xen. */
VlInstallPlan *
vl_install_plan_new_undo (VlHypervisorTarget target, const VlHostReport *report, VlDistribution distribution,
                          GError **error)
{
  VlHelperSystem system = { distribution, report->has_systemd, report->init_system };
  const char *args[] = { VL_XEN_GRUB_FILE, NULL };
  g_autoptr(VlInstallPlan) plan = NULL;

  if (target != VL_TARGET_XEN)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED,
                   _("Only the Xen plan changes how the computer starts; the KVM plan has no boot "
                      "settings to undo"));
      return NULL;
    }
  if (distribution == VL_DISTRIBUTION_UNKNOWN)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED,
                   _("Virtlab knows how to set up Debian, Ubuntu and Fedora, and “%s” is none of them"),
                   report->os_pretty_name ?: report->os_id ?: _("this system"));
      return NULL;
    }
  plan = vl_install_plan_new_empty (target, &system);
  g_ptr_array_add (plan->steps,
                   vl_install_step_new (VL_STEP_RESTORE_GRUB_CONFIG, args,
                                        _("Put back the earlier boot settings"),
                                        _("The boot settings Virtlab wrote for Xen are replaced by the ones "
                                           "that were there before (kept with a “~” at the end of the name), "
                                           "or removed when there were none. So that the computer starts "
                                           "without Xen, as it did before, Virtlab leaves a small file "
                                           "(virtlab-no-xen-default.cfg) that stops the Xen packages from "
                                           "making Xen the default, unless the earlier settings choose "
                                           "the default themselves. The Xen packages stay installed."),
                                        &system));
  g_ptr_array_add (plan->steps,
                   vl_install_step_new (VL_STEP_UPDATE_GRUB, NULL, _("Write the boot menu again"),
                                        _("The boot loader’s menu is generated again from these settings: "
                                           "after the next restart the computer starts without Xen. Xen "
                                           "stays in the boot menu, to be chosen by hand."),
                                        &system));
  return g_steal_pointer (&plan);
}

VlInstallPlan *
vl_install_plan_for_kvm (const VlHostReport *report, VlDistribution distribution, GError **error)
{
  return vl_install_plan_new (VL_TARGET_KVM, report, distribution, VL_PLAN_PENDING_ONLY, error);
}

VlInstallPlan *
vl_install_plan_for_xen (const VlHostReport *report, VlDistribution distribution, GError **error)
{
  return vl_install_plan_new (VL_TARGET_XEN, report, distribution, VL_PLAN_PENDING_ONLY, error);
}

void
vl_install_plan_free (VlInstallPlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_pointer (&plan->steps, g_ptr_array_unref);
  g_free (plan);
}

guint
vl_install_plan_count_pending (const VlInstallPlan *plan)
{
  guint n = 0;

  for (guint i = 0; i < plan->steps->len; i++)
    n += !((VlInstallStep *) g_ptr_array_index (plan->steps, i))->done;
  return n;
}

gboolean
vl_install_plan_needs_reboot (const VlInstallPlan *plan)
{
  for (guint i = 0; i < plan->steps->len; i++)
    {
      VlInstallStep *step = g_ptr_array_index (plan->steps, i);

      if (step->request->kind == VL_STEP_REBOOT && !step->done)
        return TRUE;
    }
  return FALSE;
}

/* One "key: value" line per fact, so that scripts (and the golden files) can read a plan. */
char *
vl_install_plan_to_text (const VlInstallPlan *plan)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, "target: %s\ndistribution: %s\nsteps: %u\n",
                          vl_hypervisor_target_to_string (plan->target),
                          vl_distribution_to_string (plan->system.distribution), plan->steps->len);
  for (guint i = 0; i < plan->steps->len; i++)
    {
      VlInstallStep *step = g_ptr_array_index (plan->steps, i);

      g_string_append_printf (text, "\nstep %u: %s\n", i + 1, step->title);
      g_string_append_printf (text, "kind: %s\n", vl_step_kind_to_string (step->request->kind));
      g_string_append_printf (text, "status: %s\n", step->done ? "done" : "todo");
      g_string_append_printf (text, "root: %s\n", step->needs_root ? "yes" : "no");
      g_string_append_printf (text, "why: %s\n", step->why);
      if (step->request->kind == VL_STEP_INSTALL_PACKAGES)
        {
          g_autofree char *packages = g_strjoinv (" ", step->request->args);
          g_string_append_printf (text, "packages: %s\n", packages);
        }
      for (guint j = 0; j < step->commands->len; j++)
        {
          g_autofree char *command = vl_command_to_string (g_ptr_array_index (step->commands, j));
          g_string_append_printf (text, "command: %s\n", command);
        }
      if (step->request->kind == VL_STEP_RESTORE_GRUB_CONFIG)
        g_string_append_printf (text, "restores: %s/%s from %s~\n", VL_GRUB_CONFIG_DIR,
                                step->request->args[0], step->request->args[0]);
      if (step->file_path != NULL)
        {
          g_auto(GStrv) lines = g_strsplit (step->request->args[1], "\n", -1);

          g_string_append_printf (text, "file: %s\n", step->file_path);
          for (guint j = 0; lines[j] != NULL && !(lines[j][0] == '\0' && lines[j + 1] == NULL); j++)
            g_string_append_printf (text, "| %s\n", lines[j]);
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}
