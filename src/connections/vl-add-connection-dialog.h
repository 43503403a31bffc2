/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "Add Connection" dialog: a URI from presets or typed, checked before it is added. */
#pragma once

#include <gtk/gtk.h>

#include "vl-connections.h"

G_BEGIN_DECLS

#define VL_TYPE_ADD_CONNECTION_DIALOG (vl_add_connection_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VlAddConnectionDialog, vl_add_connection_dialog, VL, ADD_CONNECTION_DIALOG, GtkDialog)

VlAddConnectionDialog *vl_add_connection_dialog_new         (GtkWindow             *parent,
                                                             VlConnections         *connections);
void                   vl_add_connection_dialog_set_uri     (VlAddConnectionDialog *self,
                                                             const char            *uri);
const char            *vl_add_connection_dialog_get_message (VlAddConnectionDialog *self);

G_END_DECLS
