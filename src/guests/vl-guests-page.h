/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Guests page of the main window. */
#pragma once

#include <gtk/gtk.h>

#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

#define VL_TYPE_GUESTS_PAGE (vl_guests_page_get_type ())
G_DECLARE_FINAL_TYPE (VlGuestsPage, vl_guests_page, VL, GUESTS_PAGE, GtkBox)

void            vl_guests_page_open_connections         (VlGuestsPage       *self,
                                                         const char * const *uris);
GVirConnection *vl_guests_page_get_selected_connection  (VlGuestsPage       *self);
GVirDomain     *vl_guests_page_get_selected_domain      (VlGuestsPage       *self);
GtkNotebook    *vl_guests_page_get_details_notebook     (VlGuestsPage       *self);
void            vl_guests_page_show_console             (VlGuestsPage       *self);
GtkWidget      *vl_guests_page_get_console              (VlGuestsPage       *self);
/* The page's connections (VlConnection), for the hall's Run Benchmarks assistant. */
GListModel     *vl_guests_page_get_connection_model     (VlGuestsPage       *self);

G_END_DECLS
