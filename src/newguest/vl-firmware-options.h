/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Firmware (BIOS or UEFI), Secure Boot and TPM 2.0 for a new guest, with the reason line when the host
 * or the kind of guest offers less. Writes the choice into the spec it shows and says "changed". */
#pragma once

#include <gtk/gtk.h>

#include "vl-guest-spec.h"

G_BEGIN_DECLS

#define VL_TYPE_FIRMWARE_OPTIONS (vl_firmware_options_get_type ())
G_DECLARE_FINAL_TYPE (VlFirmwareOptions, vl_firmware_options, VL, FIRMWARE_OPTIONS, GtkBox)

GtkWidget *vl_firmware_options_new      (void);
/* Shows SPEC's choices and what its host offers; later changes by the user go into SPEC. */
void       vl_firmware_options_set_spec (VlFirmwareOptions *self,
                                         VlGuestSpec       *spec);

G_END_DECLS
