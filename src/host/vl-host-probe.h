/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What this computer (or a sysroot standing for one) offers for virtualization: the probe's report. */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef enum {
  VL_CPU_VENDOR_UNKNOWN,
  VL_CPU_VENDOR_INTEL,
  VL_CPU_VENDOR_AMD,
} VlCpuVendor;

typedef enum {
  VL_MODULE_ABSENT,     /* neither loaded nor found under /lib/modules/RELEASE */
  VL_MODULE_AVAILABLE,  /* a .ko file exists, it can be loaded with modprobe */
  VL_MODULE_LOADED,     /* listed in /proc/modules */
  VL_MODULE_BUILTIN,    /* part of the kernel image: in /sys/module but not in /proc/modules */
} VlModuleState;

typedef enum {
  VL_NESTED_UNKNOWN,
  VL_NESTED_OFF,
  VL_NESTED_ON,
} VlNested;

typedef enum {
  VL_XEN_NONE,
  VL_XEN_DOM0,
  VL_XEN_DOMU,
} VlXenRole;

typedef enum {
  VL_DISTRIBUTION_UNKNOWN,
  VL_DISTRIBUTION_DEBIAN,
  VL_DISTRIBUTION_UBUNTU,
  VL_DISTRIBUTION_FEDORA,
} VlDistribution;

/* What starts services at boot. A tree that is not running (a chroot, a disk image) has no
 * process 1 to ask: UNKNOWN, and its own init starts what its boot links name. */
typedef enum {
  VL_INIT_UNKNOWN,
  VL_INIT_SYSTEMD,      /* run/systemd/system exists */
  VL_INIT_SYSVINIT,     /* process 1 is sysvinit's "init" */
  VL_INIT_NONE,         /* process 1 is something else: a container's first process, a shell */
} VlInitSystem;

typedef enum {
  VL_PACKAGES_UNKNOWN,  /* no package database could be read */
  VL_PACKAGES_DPKG,     /* var/lib/dpkg/status */
  VL_PACKAGES_RPM,      /* the output of rpm -qa, read at run time */
} VlPackageSource;

/* Who the report is for: /dev/kvm and group membership are judged for this user. */
typedef struct {
  uid_t  uid;
  char  *user_name;
  gid_t *groups;
  guint  n_groups;
} VlHostUser;

typedef struct {
  char           *sysroot;

  char           *cpu_vendor_id;      /* "GenuineIntel", as the kernel reports it */
  VlCpuVendor     cpu_vendor;
  char           *cpu_model;
  guint           cpu_count;
  guint64         mem_total_kib;      /* MemTotal of proc/meminfo, 0 when unknown */
  gboolean        has_vmx;
  gboolean        has_svm;
  gboolean        cpu_is_virtual;     /* the "hypervisor" flag: this system is itself a guest */
  VlNested        nested;

  char           *kernel_release;
  VlModuleState   kvm;
  VlModuleState   kvm_intel;
  VlModuleState   kvm_amd;
  GStrv           other_kvm_modules;  /* other kvm* modules in the kernel, e.g. kvm_pvm */

  gboolean        dev_kvm_present;
  gboolean        dev_kvm_usable;
  char           *dev_kvm_group;      /* the group owning /dev/kvm, by name when known */

  gboolean        iommu;
  guint           iommu_groups;

  char           *hypervisor_type;    /* /sys/hypervisor/type, e.g. "xen" */
  VlXenRole       xen_role;

  VlDistribution  distribution;
  char           *os_id;
  char           *os_version_id;
  char           *os_pretty_name;
  gboolean        has_systemd;        /* run/systemd/system exists: systemd is PID 1 */
  VlInitSystem    init_system;
  char           *init_name;          /* the name of process 1 (proc/1/comm), when known */

  VlPackageSource package_source;
  GHashTable     *packages;           /* installed package name -> version */

  GStrv           libvirt_sockets;    /* daemon sockets that exist, as absolute paths */
  GStrv           enabled_services;   /* services enabled in systemd or SysV init */
  gboolean        default_pool_defined;
  char           *grub_xen_config;    /* contents of etc/default/grub.d/virtlab-xen.cfg, if any */
  char           *grub_cfg;           /* the generated boot/grub/grub.cfg (or grub2/), if any */
  gint64          grub_xen_config_mtime; /* modification times (µs since 1970), 0 when missing; */
  gint64          grub_cfg_mtime;        /* grub.cfg's also when only root may read it */

  char           *user_name;
  GStrv           user_groups;        /* supplementary groups of user_name in etc/group */

  /* The processor has the extensions but the kernel cannot use them. */
  gboolean        firmware_disabled_hint;
} VlHostReport;

VlHostReport *vl_host_probe            (const char        *sysroot,
                                        const VlHostUser  *user,
                                        GError           **error);
void          vl_host_report_free      (VlHostReport      *report);

gboolean      vl_host_report_set_rpm_packages (VlHostReport *report,
                                               const char   *rpm_qa_output,
                                               GError      **error);

gboolean      vl_host_report_has_package (const VlHostReport *report,
                                          const char         *name);
gboolean      vl_host_report_user_in_group (const VlHostReport *report,
                                            const char         *group);
gboolean      vl_host_report_service_enabled (const VlHostReport *report,
                                              const char         *service);
gboolean      vl_host_report_kvm_ready (const VlHostReport *report);
gboolean      vl_host_report_libvirt_running (const VlHostReport *report);

/* Parsers the probe uses, public so they can be tested on their own. */
GHashTable   *vl_dpkg_status_parse     (const char *contents);
GHashTable   *vl_os_release_parse      (const char *contents);
gboolean      vl_device_usable         (guint mode, uid_t owner, gid_t group, const VlHostUser *user);

VlHostUser   *vl_host_user_new_current (void);
void          vl_host_user_free        (VlHostUser *user);

const char   *vl_distribution_to_string   (VlDistribution distribution);
const char   *vl_init_system_to_string    (VlInitSystem init);
VlDistribution vl_distribution_from_string (const char *name);
const char   *vl_module_state_to_string   (VlModuleState state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlHostReport, vl_host_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlHostUser, vl_host_user_free)

G_END_DECLS
