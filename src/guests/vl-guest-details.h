/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The details of the selected guest: overview, live performance graphs and its XML, in tabs. */
#pragma once

#include <gtk/gtk.h>

#include "vl-gvir-autoptr.h"
#include "vl-guest-info.h"

G_BEGIN_DECLS

#define VL_TYPE_GUEST_DETAILS (vl_guest_details_get_type ())
G_DECLARE_FINAL_TYPE (VlGuestDetails, vl_guest_details, VL, GUEST_DETAILS, GtkBox)

void         vl_guest_details_set_domain   (VlGuestDetails    *self,
                                            GVirDomain        *domain,
                                            const VlGuestInfo *info);
void         vl_guest_details_update_info  (VlGuestDetails    *self,
                                            const VlGuestInfo *info);
GtkNotebook *vl_guest_details_get_notebook (VlGuestDetails    *self);
const char  *vl_guest_details_get_xml      (VlGuestDetails    *self);
const char  *vl_guest_details_get_field    (VlGuestDetails    *self,
                                            const char        *field);

G_END_DECLS
