/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The guest list of one connection: a tree view fed by libvirt events, with search and CPU sparklines. */
#pragma once

#include <gtk/gtk.h>

#include "vl-gvir-autoptr.h"
#include "vl-guest-info.h"

G_BEGIN_DECLS

#define VL_TYPE_GUEST_LIST (vl_guest_list_get_type ())
G_DECLARE_FINAL_TYPE (VlGuestList, vl_guest_list, VL, GUEST_LIST, GtkBox)

void         vl_guest_list_set_connection  (VlGuestList    *self,
                                            GVirConnection *conn);
GVirDomain  *vl_guest_list_get_selected    (VlGuestList    *self);
const VlGuestInfo *vl_guest_list_get_info  (VlGuestList    *self,
                                            GVirDomain     *domain);
gboolean     vl_guest_list_select_name     (VlGuestList    *self,
                                            const char     *name);
void         vl_guest_list_set_filter      (VlGuestList    *self,
                                            const char     *text);
guint        vl_guest_list_get_n_guests    (VlGuestList    *self);
guint        vl_guest_list_get_n_shown     (VlGuestList    *self);
gboolean     vl_guest_list_get_busy        (VlGuestList    *self);
/* The menu a right click or the Menu key opens on a guest (its actions resolve from the list up). */
void         vl_guest_list_set_menu        (VlGuestList    *self,
                                            GMenuModel     *menu);
/* Opens it for the selected guest, as the Menu key does; NULL when no guest is selected. */
GtkWidget   *vl_guest_list_popup_menu      (VlGuestList    *self);
guint        vl_guest_list_get_reads_in_flight (VlGuestList *self);

G_END_DECLS
