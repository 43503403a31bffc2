/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a host offers for a guest's firmware and TPM, read from libvirt's domain capabilities
 * (virConnectGetDomainCapabilities): UEFI (OVMF) and its Secure Boot variant, an emulated TPM 2.0. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean known;        /* the capabilities were read; FALSE: the driver has none (test driver) */
  char    *driver;       /* <domain>: "kvm", "qemu", "xen" */
  char    *machine;      /* <machine>, such as pc-q35-7.2 or xenfv */
  gboolean efi;          /* UEFI can be chosen: firmware auto-selection lists efi, or (libxl) an OVMF loader */
  gboolean autoselect;   /* <os firmware='efi'> is filled in by libvirt from the host's firmware descriptors */
  gboolean secure_boot;  /* a loader with secure='yes' exists (QEMU: q35 machines with SMM) */
  gboolean tpm_emulator; /* <tpm supported='yes'> with the emulator backend (swtpm) and version 2.0 */
  char   **loaders;      /* the firmware files libvirt knows, NULL-terminated */
} VlFirmwareCaps;

/* Parses domain capabilities XML; NULL and an error naming the document when it is not one. */
VlFirmwareCaps *vl_firmware_caps_parse   (const char  *xml,
                                          GError     **error);
/* Nothing known: what a driver without domain capabilities (libvirt's test driver) gives. */
VlFirmwareCaps *vl_firmware_caps_new_unknown (void);
VlFirmwareCaps *vl_firmware_caps_copy    (const VlFirmwareCaps *caps);
void            vl_firmware_caps_free    (VlFirmwareCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlFirmwareCaps, vl_firmware_caps_free)

/* Why UEFI, Secure Boot or a TPM is not offered, in the user's words naming HOST and the package
 * that brings it; NULL when it is offered (or nothing is known). */
char           *vl_firmware_caps_why_no_efi         (const VlFirmwareCaps *caps,
                                                     const char           *host);
char           *vl_firmware_caps_why_no_secure_boot (const VlFirmwareCaps *caps,
                                                     const char           *host);
char           *vl_firmware_caps_why_no_tpm         (const VlFirmwareCaps *caps,
                                                     const char           *host);

/* A guest's firmware in words from its domain XML: "BIOS", "UEFI", "UEFI with Secure Boot", with ", TPM 2.0"
 * when it has one; NULL when the XML is not a domain. */
char           *vl_firmware_describe_domain         (const char *domain_xml);

G_END_DECLS
