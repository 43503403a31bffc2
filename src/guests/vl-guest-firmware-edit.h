/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Changing an existing guest's firmware (BIOS or UEFI), Secure Boot and emulated TPM 2.0 (issue 17): only
 * while it is shut off, only what the host's domain capabilities offer, and never its machine type.
 * GTK-free; the change runs in a worker thread. */
#pragma once

#include <libvirt-gobject/libvirt-gobject.h>

#include "vl-firmware-caps.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean uefi;
  gboolean secure_boot;
  gboolean tpm;
} VlFirmwareChoice;

/* What a definition has now (from its XML; FALSE when it is not a domain). */
gboolean  vl_guest_firmware_read      (const char        *domain_xml,
                                       VlFirmwareChoice  *choice);

/* Pure: the definition INACTIVE_XML changed to CHOICE, or NULL and an error (VL_ERROR_INVALID_INPUT or
 * VL_ERROR_UNSUPPORTED) naming what is wrong. CAPS: the host's offer (NULL: not known, nothing refused
 * for want of it); HOST names the host in messages. */
char     *vl_guest_firmware_edit_xml  (const char              *inactive_xml,
                                       const VlFirmwareChoice  *choice,
                                       const VlFirmwareCaps    *caps,
                                       const char              *host,
                                       GError                 **error);

/* Reads DOMAIN's inactive definition and the host's offer for it, refuses while the guest is not shut
 * off, changes and redefines it. HOST names the host in messages ("this computer" when NULL). */
void      vl_guest_firmware_edit_async  (GVirDomain              *domain,
                                         const VlFirmwareChoice  *choice,
                                         const char              *host,
                                         GCancellable            *cancellable,
                                         GAsyncReadyCallback      callback,
                                         gpointer                 user_data);
gboolean  vl_guest_firmware_edit_finish (GVirDomain              *domain,
                                         GAsyncResult            *result,
                                         GError                 **error);

/* What the change dialog shows: the guest's firmware now, its kind, and the host's offer for it. */
typedef struct
{
  char            *name;
  VlFirmwareChoice now;
  gboolean         xen;      /* a Xen guest (no TPM, no Secure Boot) */
  gboolean         running;  /* not shut off: nothing can be changed */
  char            *machine;
  VlFirmwareCaps  *caps;     /* NULL: the driver lists none (libvirt's test driver) */
  char            *host;     /* the host in messages: "this computer" or the connection's host name */
} VlFirmwareOffer;

void             vl_firmware_offer_free           (VlFirmwareOffer *offer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlFirmwareOffer, vl_firmware_offer_free)

void             vl_guest_firmware_offer_async    (GVirDomain          *domain,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
VlFirmwareOffer *vl_guest_firmware_offer_finish   (GVirDomain          *domain,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
