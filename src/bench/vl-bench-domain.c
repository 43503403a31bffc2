/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmark guest: no NIC, no display; root read-only, scratch and results disks; the console
 * (hvc0 on Xen PV, ttyS0 otherwise) carries the runner's progress; <acpi/> lets sysrq power off. */
#include "config.h"

#include "vl-bench-domain.h"
#include "vl-gvir-autoptr.h"

const char *
vl_bench_domain_disk_name (VlBenchMode mode, guint index)
{
  static const char *const virtio[] = { "vda", "vdb", "vdc" };
  static const char *const xen[] = { "xvda", "xvdb", "xvdc" };

  g_return_val_if_fail (index < 3, NULL);
  return mode == VL_BENCH_MODE_XEN_PV || mode == VL_BENCH_MODE_XEN_HVM ? xen[index] : virtio[index];
}

char *
vl_bench_domain_cmdline (const VlBenchDomainSpec *spec)
{
  g_autofree char *tests = spec->tests != NULL ? g_strjoinv (",", (char **) spec->tests) : NULL;

  return g_strdup_printf ("root=/dev/%s ro init=/usr/lib/virtlab/runner console=%s quiet loglevel=3 panic=1 "
                          "vl.profile=%s vl.runs=%u vl.scratch=%s vl.results=%s%s%s%s%s",
                          vl_bench_domain_disk_name (spec->mode, 0),
                          spec->mode == VL_BENCH_MODE_XEN_PV ? "hvc0" : "ttyS0",
                          vl_bench_profile_id (spec->profile), spec->runs,
                          vl_bench_domain_disk_name (spec->mode, 1), vl_bench_domain_disk_name (spec->mode, 2),
                          tests != NULL ? " vl.tests=" : "", tests != NULL ? tests : "",
                          spec->extra_cmdline != NULL ? " " : "",
                          spec->extra_cmdline != NULL ? spec->extra_cmdline : "");
}

static void
add_disk (GVirConfigDomain *domain, const VlBenchDomainSpec *spec, guint index, const char *path,
          gboolean readonly, gboolean direct)
{
  g_autoptr(GVirConfigDomainDisk) disk = gvir_config_domain_disk_new ();
  g_autoptr(GVirConfigDomainDiskDriver) driver = gvir_config_domain_disk_driver_new ();
  gboolean xen = spec->mode == VL_BENCH_MODE_XEN_PV || spec->mode == VL_BENCH_MODE_XEN_HVM;

  gvir_config_domain_disk_set_type (disk, GVIR_CONFIG_DOMAIN_DISK_FILE);
  gvir_config_domain_disk_set_guest_device_type (disk, GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK);
  /* Xen: blkback on a loop device in dom0, so a PV guest needs no device model (QEMU in dom0 was
   * seen to miss libxl's start-up timeout under emulation); QEMU: raw files. */
  gvir_config_domain_disk_driver_set_name (driver, xen ? "phy" : "qemu");
  if (!xen)
    gvir_config_domain_disk_driver_set_format (driver, GVIR_CONFIG_DOMAIN_DISK_FORMAT_RAW);
  if (direct)
    {
      /* Without it fio --direct in the guest still measures the host's page cache. */
      gvir_config_domain_disk_driver_set_cache (driver, GVIR_CONFIG_DOMAIN_DISK_CACHE_NONE);
      gvir_config_domain_disk_driver_set_io_policy (driver, GVIR_CONFIG_DOMAIN_DISK_DRIVER_IO_POLICY_NATIVE);
    }
  gvir_config_domain_disk_set_driver (disk, driver);
  gvir_config_domain_disk_set_source (disk, path);
  gvir_config_domain_disk_set_target_bus (disk, xen ? GVIR_CONFIG_DOMAIN_DISK_BUS_XEN
                                                    : GVIR_CONFIG_DOMAIN_DISK_BUS_VIRTIO);
  gvir_config_domain_disk_set_target_dev (disk, vl_bench_domain_disk_name (spec->mode, index));
  gvir_config_domain_disk_set_readonly (disk, readonly);
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (disk));
}

GVirConfigDomain *
vl_bench_domain_config (const VlBenchDomainSpec *spec)
{
  GVirConfigDomain *domain = gvir_config_domain_new ();
  g_autoptr(GVirConfigDomainOs) os = gvir_config_domain_os_new ();
  g_autoptr(GVirConfigDomainChardevSourcePty) pty = gvir_config_domain_chardev_source_pty_new ();
  g_autofree char *cmdline = vl_bench_domain_cmdline (spec);
  gboolean xen = spec->mode == VL_BENCH_MODE_XEN_PV || spec->mode == VL_BENCH_MODE_XEN_HVM;

  switch (spec->mode)
    {
    case VL_BENCH_MODE_KVM_HVM:
      gvir_config_domain_set_virt_type (domain, GVIR_CONFIG_DOMAIN_VIRT_KVM);
      break;
    case VL_BENCH_MODE_QEMU_TCG:
      gvir_config_domain_set_virt_type (domain, GVIR_CONFIG_DOMAIN_VIRT_QEMU);
      break;
    case VL_BENCH_MODE_XEN_PV:
    case VL_BENCH_MODE_XEN_HVM:
    default:
      gvir_config_domain_set_virt_type (domain, GVIR_CONFIG_DOMAIN_VIRT_XEN);
      break;
    }
  gvir_config_domain_set_name (domain, spec->name);
  gvir_config_domain_set_title (domain, "Virtlab benchmark guest");
  gvir_config_domain_set_memory (domain, (guint64) spec->memory_mib * 1024);
  gvir_config_domain_set_current_memory (domain, (guint64) spec->memory_mib * 1024);
  gvir_config_domain_set_vcpus (domain, spec->vcpus);
  if (spec->mode != VL_BENCH_MODE_XEN_PV)
    {
      const char *features[] = { "acpi", "apic", "pae", NULL };

      gvir_config_domain_set_features (domain, (GStrv) features);
    }
  gvir_config_domain_os_set_os_type (os, spec->mode == VL_BENCH_MODE_XEN_PV ? GVIR_CONFIG_DOMAIN_OS_TYPE_XEN
                                                                            : GVIR_CONFIG_DOMAIN_OS_TYPE_HVM);
  gvir_config_domain_os_set_arch (os, "x86_64");
  gvir_config_domain_os_set_kernel (os, spec->kernel);
  gvir_config_domain_os_set_ramdisk (os, spec->initrd);
  gvir_config_domain_os_set_cmdline (os, cmdline);
  gvir_config_domain_set_os (domain, os);
  /* The runner powers off when done; anything else (a panic reboots) ends the guest too. */
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_POWEROFF,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_REBOOT,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_CRASH,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);

  /* Read-only for QEMU's virtio disk. On Xen the guest alone keeps it read-only (root=… ro): qdisk
   * refused a read-only disk ("Block node is read-only", QEMU 7.2 in Debian 12's dom0), and an HVM
   * guest's emulated twin of the disk cannot be read-only; the volume is this job's own copy anyway. */
  add_disk (domain, spec, 0, spec->root_path, !xen, FALSE);
  add_disk (domain, spec, 1, spec->scratch_path, FALSE, spec->direct_io);
  add_disk (domain, spec, 2, spec->results_path, FALSE, FALSE);

  if (spec->mode == VL_BENCH_MODE_XEN_PV)
    {
      GVirConfigDomainConsole *console = gvir_config_domain_console_new ();

      gvir_config_domain_chardev_set_source (GVIR_CONFIG_DOMAIN_CHARDEV (console),
                                             GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (pty));
      gvir_config_domain_console_set_target_type (console, GVIR_CONFIG_DOMAIN_CONSOLE_TARGET_XEN);
      gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (console));
      g_object_unref (console);
    }
  else
    {
      GVirConfigDomainSerial *serial = gvir_config_domain_serial_new ();

      gvir_config_domain_chardev_set_source (GVIR_CONFIG_DOMAIN_CHARDEV (serial),
                                             GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (pty));
      gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (serial));
      g_object_unref (serial);
    }
  /* libxl cannot leave the balloon out ("balloon device cannot be disabled"). */
  if (!xen)
    {
      GVirConfigDomainMemballoon *balloon = gvir_config_domain_memballoon_new ();

      gvir_config_domain_memballoon_set_model (balloon, GVIR_CONFIG_DOMAIN_MEMBALLOON_MODEL_NONE);
      gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (balloon));
      g_object_unref (balloon);
    }
  return domain;
}
