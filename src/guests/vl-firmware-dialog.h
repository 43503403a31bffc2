/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Change Firmware dialog of guest details (issue 17): the assistant's firmware, Secure Boot and TPM 2.0
 * rows for an existing guest, filled from its definition and the host's offer; Apply redefines the guest
 * (vl-guest-firmware-edit.c, in a worker thread). Nothing can be changed while the guest runs. */
#pragma once

#include <gtk/gtk.h>

#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

#define VL_TYPE_FIRMWARE_DIALOG (vl_firmware_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VlFirmwareDialog, vl_firmware_dialog, VL, FIRMWARE_DIALOG, GtkDialog)

/* Emits "changed" after the guest was redefined, then closes itself. */
VlFirmwareDialog *vl_firmware_dialog_new         (GtkWindow        *parent,
                                                  GVirDomain       *domain);
/* For tests: the message shown (NULL when there is none), whether a read or change runs. */
const char       *vl_firmware_dialog_get_message (VlFirmwareDialog *self);
gboolean          vl_firmware_dialog_is_busy     (VlFirmwareDialog *self);

G_END_DECLS
