/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Start, shut down, reboot, force off, pause, resume and delete a guest, off the main loop. */
#pragma once

#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

typedef enum {
  VL_GUEST_OP_START,
  VL_GUEST_OP_SHUTDOWN,
  VL_GUEST_OP_REBOOT,
  VL_GUEST_OP_FORCE_OFF,
  VL_GUEST_OP_PAUSE,
  VL_GUEST_OP_RESUME,
  VL_GUEST_OP_DELETE,
  VL_GUEST_OP_DELETE_WITH_STORAGE,
} VlGuestOp;

void         vl_guest_lifecycle_run_async  (GVirDomain          *domain,
                                            VlGuestOp            op,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean     vl_guest_lifecycle_run_finish (GVirDomain          *domain,
                                            GAsyncResult        *result,
                                            GError             **error);
/* A note in a guest's <metadata> that its UEFI variables are made anew from its firmware's template
 * at its next start (libvirt's VIR_DOMAIN_START_RESET_NVRAM): after a Secure Boot switch, the old
 * variables file was made from the other template (without or with the enrolled keys). */
#define VL_RESET_NVRAM_NS     "virtlab-nvram"
#define VL_RESET_NVRAM_NS_URI "https://virtlab.org/xmlns/libvirt/domain/reset-nvram/1.0"

gboolean     vl_guest_lifecycle_note_nvram_reset (GVirConfigDomain *config,
                                                  GError          **error);
gboolean     vl_guest_lifecycle_nvram_reset_pending (GVirConfigDomain *config);

/* Blocking: starts the guest, running a pending network install once (see vl-pending-install.h), and
 * resetting its UEFI variables once when that is noted. */
gboolean     vl_guest_lifecycle_start      (GVirDomain          *domain,
                                            GError             **error);
char        *vl_guest_lifecycle_failure    (VlGuestOp            op,
                                            const char          *name);

G_END_DECLS
