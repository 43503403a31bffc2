/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fields of VlGuestSpec, shared by its source files (choices, host, OS defaults, checks, XML, firmware). */
#pragma once

#include "vl-guest-spec.h"
#include "vl-guest-spec-firmware.h"
#include "vl-gvir-autoptr.h"

#define MIN_MEMORY_MIB 32
#define MAX_NAME_CHARS 64
#define FALLBACK_MEMORY_MIB 1024  /* where the OS says nothing */
#define FALLBACK_DISK_GIB 10

struct _VlGuestSpec
{
  GObject parent_instance;

  /* host */
  gboolean caps_known;
  gboolean has_kvm, has_qemu, has_xen_hvm, has_xen_pv, has_xen_pvh;
  gboolean test_driver;   /* libvirt's test driver: any shape, domain type 'test' */
  gboolean no_kvm;        /* software emulation asked for even where KVM exists */
  char *kvm_unusable;     /* why QEMU cannot use /dev/kvm on this host, where that is known */
  char *host_arch;
  guint64 host_memory_kib;
  guint host_cpus;
  gboolean is_local;
  char **existing_names;

  VlInstallSource source_kind;
  char *source;
  char *kernel, *initrd, *cmdline;
  char *bootloader;
  char *boot_dir;      /* where a network install's kernel and initrd are kept */

  OsinfoOs *os;
  VlGuestMode mode;
  gboolean pvh;           /* Xen PV devices on a hardware-assisted guest: os type xenpvh */
  gboolean virtio;
  guint64 memory_mib;
  guint vcpus;

  VlGuestStorage storage_kind;
  guint64 disk_gib;
  char *existing_disk;
  char *pool_name, *pool_dir;
  guint64 pool_available;

  VlGuestNetwork network_kind;
  char *network_source;
  char *mac;

  char *name;
  char *emulator, *loader;

  /* firmware (vl-guest-spec-firmware.c) */
  VlFirmwareCaps *fw_caps;   /* NULL: not known */
  char *fw_host;
  VlGuestFirmware firmware;
  gboolean secure_boot, tpm;
};
