/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "Log In" dialog: the user name and password a libvirt connection asks for. */
#pragma once

#include <gtk/gtk.h>

#include "vl-connection.h"

G_BEGIN_DECLS

#define VL_TYPE_CREDENTIALS_DIALOG (vl_credentials_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VlCredentialsDialog, vl_credentials_dialog, VL, CREDENTIALS_DIALOG, GtkDialog)

VlCredentialsDialog *vl_credentials_dialog_new         (GtkWindow           *parent,
                                                        VlConnection        *connection);
const char          *vl_credentials_dialog_get_message (VlCredentialsDialog *self);

G_END_DECLS
