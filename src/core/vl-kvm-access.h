/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whether the QEMU processes of a local libvirt connection can use /dev/kvm: libvirt lists the kvm
 * domain type when the device exists and its own probe (as root) could open it, which says nothing
 * about the user QEMU then runs as (qemu:///system's DAC label, or the caller for session/embed). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VL_KVM_ACCESS_UNKNOWN,   /* not local, or who QEMU runs as is not known */
  VL_KVM_ACCESS_USABLE,
  VL_KVM_ACCESS_MISSING,   /* no such device */
  VL_KVM_ACCESS_DENIED,    /* there, but QEMU's user may not open it for reading and writing */
} VlKvmAccess;

/* The user and group libvirt runs QEMU as for kvm guests, from the capabilities' DAC security model
 * (<baselabel type='kvm'>+64055:+64055</baselabel>); FALSE when the capabilities do not say. */
gboolean    vl_kvm_access_qemu_user (const char *capabilities_xml,
                                     guint      *uid,
                                     guint      *gid);

/* device: "/dev/kvm" (tests pass a file of their own). as_caller: QEMU runs as this process's user
 * (qemu:///session, qemu:///embed); otherwise as uid:gid. reason: set to a sentence for the user when
 * the answer is MISSING or DENIED. */
VlKvmAccess vl_kvm_access_check     (const char *device,
                                     gboolean    as_caller,
                                     guint       uid,
                                     guint       gid,
                                     char      **reason);

/* A KVM that cannot run an ordinary guest: an x86 processor that shows neither VT-x (vmx) nor AMD-V
 * (svm), with /dev/kvm from another module (kvm_pvm runs only guests made for it; a BIOS or an ISO stops
 * with "KVM internal error … emulation failure"). root: "/" (tests pass a folder holding proc/cpuinfo
 * and sys/module/). Returns the reason for the user, or NULL when KVM looks ordinary or it is not known. */
char       *vl_kvm_access_without_extensions (const char *root);

/* Why a connection cannot run KVM guests although libvirt may list kvm, or NULL when it can or it is
 * not known: only a local QEMU connection (URI without a host) whose capabilities (CAPS_XML) list kvm
 * is checked. QEMU runs as the caller for qemu:///session and qemu:///embed, as the capabilities' DAC
 * user for qemu:///system. device and root as above ("/dev/kvm" and "/"). */
char       *vl_kvm_access_unusable (const char *uri,
                                    const char *caps_xml,
                                    const char *device,
                                    const char *root);

G_END_DECLS
