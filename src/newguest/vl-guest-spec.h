/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the user chose in the new-guest assistant, checked, and turned into libvirt-gconfig objects. */
#pragma once

#include <libvirt-gconfig/libvirt-gconfig.h>
#include <osinfo/osinfo.h>

G_BEGIN_DECLS

typedef enum {
  VL_INSTALL_SOURCE_ISO,
  VL_INSTALL_SOURCE_CDROM_DEVICE,
  VL_INSTALL_SOURCE_URL,
  VL_INSTALL_SOURCE_KERNEL,
  VL_INSTALL_SOURCE_DISK,
  VL_INSTALL_SOURCE_PXE,
} VlInstallSource;

typedef enum {
  VL_GUEST_MODE_KVM_HVM,
  VL_GUEST_MODE_XEN_HVM,
  VL_GUEST_MODE_XEN_PV,
} VlGuestMode;

typedef enum {
  VL_GUEST_STORAGE_NEW_VOLUME,
  VL_GUEST_STORAGE_EXISTING_FILE,
  VL_GUEST_STORAGE_NONE,
} VlGuestStorage;

typedef enum {
  VL_GUEST_NETWORK_NONE,
  VL_GUEST_NETWORK_VIRTUAL,
  VL_GUEST_NETWORK_BRIDGE,
} VlGuestNetwork;

/* The assistant's steps, so an error can be shown on the step that caused it. */
typedef enum {
  VL_GUEST_STEP_SOURCE,
  VL_GUEST_STEP_OS,
  VL_GUEST_STEP_MODE,
  VL_GUEST_STEP_RESOURCES,
  VL_GUEST_STEP_STORAGE,
  VL_GUEST_STEP_NETWORK,
  VL_GUEST_STEP_NAME,
} VlGuestStep;

#define VL_TYPE_GUEST_SPEC (vl_guest_spec_get_type ())
G_DECLARE_FINAL_TYPE (VlGuestSpec, vl_guest_spec, VL, GUEST_SPEC, GObject)

VlGuestSpec   *vl_guest_spec_new                 (void);
/* A deep copy, independent of the original (what a worker thread is given). */
VlGuestSpec   *vl_guest_spec_copy                (VlGuestSpec *self);

/* The host: what the connection can run, and its limits. */
void           vl_guest_spec_set_host_capabilities (VlGuestSpec            *self,
                                                    GVirConfigCapabilities *caps);
void           vl_guest_spec_set_host_limits     (VlGuestSpec *self,
                                                  guint64      memory_kib,
                                                  guint        cpus,
                                                  gboolean     is_local);
gboolean       vl_guest_spec_host_supports       (VlGuestSpec *self,
                                                  VlGuestMode  mode);
gboolean       vl_guest_spec_host_has_kvm        (VlGuestSpec *self);
gboolean       vl_guest_spec_host_is_test_driver (VlGuestSpec *self);
/* The host in one line for the Connection and Memory steps: the kinds of guest it runs (not a KVM
 * that cannot be used here, which the line then says), its CPUs and memory. */
char          *vl_guest_spec_describe_host       (VlGuestSpec *self);
/* KVM is used where the host offers it; FALSE asks for software emulation (domain type qemu). */
void           vl_guest_spec_set_use_kvm         (VlGuestSpec *self,
                                                  gboolean     use_kvm);
gboolean       vl_guest_spec_get_use_kvm         (VlGuestSpec *self);
guint64        vl_guest_spec_get_host_memory_kib (VlGuestSpec *self);
guint          vl_guest_spec_get_host_cpus       (VlGuestSpec *self);
void           vl_guest_spec_set_existing_names  (VlGuestSpec        *self,
                                                  const char * const *names);

/* The kinds of virtualization the assistant offers, one per kind the host's capabilities list. */
typedef enum {
  VL_VIRT_KVM,        /* full virtualization with KVM (domain type kvm) */
  VL_VIRT_QEMU_TCG,   /* QEMU without acceleration: software emulation (domain type qemu) */
  VL_VIRT_XEN_HVM,
  VL_VIRT_XEN_PV,
  VL_VIRT_XEN_PVH,    /* Xen PVH: PV devices, hardware-assisted, boots a given kernel (os type xenpvh) */
  VL_N_VIRT
} VlVirtKind;

/* What the host lists, fastest first (KVM, Xen PVH, Xen HVM, Xen PV, QEMU without acceleration); fills
 * @kinds (VL_N_VIRT long) and returns how many. Until the capabilities are known, and on libvirt's
 * test driver (which takes every shape), the guest shapes KVM, Xen HVM and Xen PV. */
guint          vl_guest_spec_list_virt_kinds     (VlGuestSpec *self,
                                                  VlVirtKind  *kinds);
/* The first listed kind that can boot the chosen install source (Xen PV and PVH boot no disc). */
VlVirtKind     vl_guest_spec_fastest_virt_kind   (VlGuestSpec *self);
/* Why QEMU cannot use /dev/kvm although libvirt lists kvm (NULL: it can, or it is not known); KVM is then
 * not the fastest kind that works, software emulation is. */
void           vl_guest_spec_set_kvm_unusable    (VlGuestSpec *self,
                                                  const char  *reason);
const char    *vl_guest_spec_get_kvm_unusable    (VlGuestSpec *self);
/* Sets the mode and the domain type together. */
void           vl_guest_spec_set_virt_kind       (VlGuestSpec *self,
                                                  VlVirtKind   kind);
VlVirtKind     vl_guest_spec_get_virt_kind       (VlGuestSpec *self);
const char    *vl_virt_kind_label                (VlVirtKind kind);
/* One sentence on what the kind means for the user. */
const char    *vl_virt_kind_description          (VlVirtKind kind);

/* Install source. */
void           vl_guest_spec_set_source          (VlGuestSpec     *self,
                                                  VlInstallSource  kind,
                                                  const char      *path_or_url);
VlInstallSource vl_guest_spec_get_source_kind    (VlGuestSpec *self);
const char    *vl_guest_spec_get_source          (VlGuestSpec *self);
void           vl_guest_spec_set_kernel          (VlGuestSpec *self,
                                                  const char  *kernel,
                                                  const char  *initrd,
                                                  const char  *cmdline);
void           vl_guest_spec_set_bootloader      (VlGuestSpec *self,
                                                  const char  *bootloader);
/* A network install (VL_INSTALL_SOURCE_URL) boots the tree's installer kernel and initrd, fetched
 * into this folder on the host as NAME-kernel and NAME-initrd. */
void           vl_guest_spec_set_boot_dir        (VlGuestSpec *self,
                                                  const char  *dir);
char          *vl_guest_spec_get_install_kernel  (VlGuestSpec *self);
char          *vl_guest_spec_get_install_initrd  (VlGuestSpec *self);
const char    *vl_guest_spec_get_arch            (VlGuestSpec *self);

/* Operating system and the defaults libosinfo recommends for it. */
void           vl_guest_spec_set_os              (VlGuestSpec *self,
                                                  OsinfoOs    *os);
OsinfoOs      *vl_guest_spec_get_os              (VlGuestSpec *self);
gboolean       vl_guest_spec_os_is_windows       (VlGuestSpec *self);
gboolean       vl_guest_spec_os_supports_virtio  (VlGuestSpec *self);

void           vl_guest_spec_set_mode            (VlGuestSpec *self,
                                                  VlGuestMode  mode);
VlGuestMode    vl_guest_spec_get_mode            (VlGuestSpec *self);
void           vl_guest_spec_set_virtio          (VlGuestSpec *self,
                                                  gboolean     virtio);
gboolean       vl_guest_spec_get_virtio          (VlGuestSpec *self);

void           vl_guest_spec_set_memory_mib      (VlGuestSpec *self,
                                                  guint64      mib);
guint64        vl_guest_spec_get_memory_mib      (VlGuestSpec *self);
void           vl_guest_spec_set_vcpus           (VlGuestSpec *self,
                                                  guint        vcpus);
guint          vl_guest_spec_get_vcpus           (VlGuestSpec *self);

/* Storage: a new sparse qcow2 volume in a pool (or directory), an existing file, or none. */
void           vl_guest_spec_set_storage         (VlGuestSpec    *self,
                                                  VlGuestStorage  kind,
                                                  guint64         size_gib,
                                                  const char     *existing_path);
VlGuestStorage vl_guest_spec_get_storage_kind    (VlGuestSpec *self);
guint64        vl_guest_spec_get_disk_gib        (VlGuestSpec *self);
void           vl_guest_spec_set_pool            (VlGuestSpec *self,
                                                  const char  *name,
                                                  const char  *target_dir,
                                                  guint64      available_bytes);
const char    *vl_guest_spec_get_pool_name       (VlGuestSpec *self);
const char    *vl_guest_spec_get_pool_dir        (VlGuestSpec *self);
/* G_MAXUINT64 when unknown (a remote folder, a pool not made yet on a remote host). */
guint64        vl_guest_spec_get_pool_available  (VlGuestSpec *self);
char          *vl_guest_spec_get_volume_name     (VlGuestSpec *self);
char          *vl_guest_spec_get_disk_path       (VlGuestSpec *self);

void           vl_guest_spec_set_network         (VlGuestSpec    *self,
                                                  VlGuestNetwork  kind,
                                                  const char     *source,
                                                  const char     *mac);
VlGuestNetwork vl_guest_spec_get_network_kind    (VlGuestSpec *self);
const char    *vl_guest_spec_get_mac             (VlGuestSpec *self);

void           vl_guest_spec_set_name            (VlGuestSpec *self,
                                                  const char  *name);
const char    *vl_guest_spec_get_name            (VlGuestSpec *self);

/* Paths the user set by hand; left out of the XML otherwise so the hypervisor's defaults apply. */
void           vl_guest_spec_set_emulator        (VlGuestSpec *self,
                                                  const char  *emulator);
void           vl_guest_spec_set_loader          (VlGuestSpec *self,
                                                  const char  *loader);

/* Checks, one per assistant step; each names what is wrong in a translated message. */
gboolean       vl_guest_spec_check_step          (VlGuestSpec  *self,
                                                  VlGuestStep   step,
                                                  GError      **error);
gboolean       vl_guest_spec_validate            (VlGuestSpec  *self,
                                                  VlGuestStep  *failed_step,
                                                  GError      **error);
gboolean       vl_guest_check_name               (const char  *name,
                                                  GError     **error);
char          *vl_guest_generate_mac             (VlGuestMode mode);

GVirConfigDomain     *vl_guest_spec_to_domain    (VlGuestSpec  *self,
                                                  GError      **error);
GVirConfigStorageVol *vl_guest_spec_to_volume    (VlGuestSpec *self);
/* The definition is the installed guest (booting its disk; pygrub for Xen PV). A network install
 * (VL_INSTALL_SOURCE_URL) adds a pending-install note to it, and this is the configuration of the one
 * start that runs the installer; NULL without an error for every other source. */
GVirConfigDomain     *vl_guest_spec_to_install_domain (VlGuestSpec  *self,
                                                       GError      **error);

/* libosinfo helpers: the database, and OS detection from install media. */
OsinfoDb      *vl_guest_os_db_load               (GError **error);
OsinfoOs      *vl_guest_os_detect_from_media     (OsinfoDb    *db,
                                                  const char  *iso_path,
                                                  GError     **error);

G_END_DECLS
