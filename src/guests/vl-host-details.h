/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Host view of a connection: what the host is, its virtual networks and storage pools. */
#pragma once

#include <gtk/gtk.h>

#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

#define VL_TYPE_HOST_DETAILS (vl_host_details_get_type ())
G_DECLARE_FINAL_TYPE (VlHostDetails, vl_host_details, VL, HOST_DETAILS, GtkBox)

VlHostDetails *vl_host_details_new            (void);
void           vl_host_details_set_connection (VlHostDetails  *self,
                                               GVirConnection *conn);
gboolean       vl_host_details_get_busy       (VlHostDetails  *self);
const char    *vl_host_details_get_field      (VlHostDetails  *self,
                                               const char     *field);

const char    *vl_host_details_get_message    (VlHostDetails  *self);
const char    *vl_host_details_get_empty_text (VlHostDetails  *self,
                                               gboolean        networks);
void           vl_host_details_get_counts     (VlHostDetails  *self,
                                               guint          *n_networks,
                                               guint          *n_pools);

G_END_DECLS
