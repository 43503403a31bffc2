/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A new guest's firmware (BIOS or UEFI), Secure Boot and emulated TPM 2.0: the choice, its defaults from
 * libosinfo and the host's domain capabilities, its check and its part of the domain XML. */
#pragma once

#include "vl-firmware-caps.h"
#include "vl-guest-spec.h"

G_BEGIN_DECLS

typedef enum {
  VL_GUEST_FIRMWARE_BIOS,
  VL_GUEST_FIRMWARE_UEFI,
} VlGuestFirmware;

/* What HOST (a name for messages, such as "this computer" or a remote host's name) offers; NULL caps:
 * nothing known (libvirt's test driver), so nothing is refused for want of support. */
void                  vl_guest_spec_set_firmware_caps (VlGuestSpec          *self,
                                                       const VlFirmwareCaps *caps,
                                                       const char           *host);
const VlFirmwareCaps *vl_guest_spec_get_firmware_caps (VlGuestSpec *self);
const char           *vl_guest_spec_get_firmware_host (VlGuestSpec *self);

void            vl_guest_spec_set_firmware    (VlGuestSpec     *self,
                                               VlGuestFirmware  firmware);
VlGuestFirmware vl_guest_spec_get_firmware    (VlGuestSpec *self);
void            vl_guest_spec_set_secure_boot (VlGuestSpec *self,
                                               gboolean     secure_boot);
gboolean        vl_guest_spec_get_secure_boot (VlGuestSpec *self);
void            vl_guest_spec_set_tpm         (VlGuestSpec *self,
                                               gboolean     tpm);
gboolean        vl_guest_spec_get_tpm         (VlGuestSpec *self);

/* libosinfo: the OS boots only with UEFI (its BIOS entry says supported="false"); it supports UEFI;
 * it wants a TPM (a device of class "tpm" in its osinfo entry, or Windows 11 and later, which refuse to
 * install without TPM 2.0 and which osinfo-db 20221130 describes only by "UEFI only"). */
gboolean        vl_guest_spec_os_needs_uefi     (VlGuestSpec *self);
gboolean        vl_guest_spec_os_supports_uefi  (VlGuestSpec *self);
gboolean        vl_guest_spec_os_wants_tpm      (VlGuestSpec *self);
/* Sets firmware, Secure Boot and TPM to what the OS needs, as far as the host and mode offer it; called
 * when the OS, the mode or the host changes. */
void            vl_guest_spec_apply_firmware_defaults (VlGuestSpec *self);

/* What can be chosen for the spec's mode and host, and why not the rest (one line, "" when all is offered). */
char           *vl_guest_spec_firmware_offer  (VlGuestSpec *self,
                                               gboolean    *efi,
                                               gboolean    *secure_boot,
                                               gboolean    *tpm);

/* The check (part of the mode step): names the field that is wrong. */
gboolean        vl_guest_spec_check_firmware  (VlGuestSpec  *self,
                                               GError      **error);
/* Sets <os firmware='efi'> (and the q35 machine for Secure Boot) on the spec's <os>. */
void              vl_guest_spec_set_os_firmware      (VlGuestSpec        *self,
                                                      GVirConfigDomainOs *os);
/* Adds the firmware, Secure Boot and TPM to a domain built from the spec; takes DOMAIN, returns the
 * domain to use (NULL and an error if it cannot be built). */
GVirConfigDomain *vl_guest_spec_add_firmware_config (VlGuestSpec       *self,
                                                     GVirConfigDomain  *domain,
                                                     GError           **error);

G_END_DECLS
