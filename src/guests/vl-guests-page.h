/* The Guests page of the main window. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VL_TYPE_GUESTS_PAGE (vl_guests_page_get_type ())
G_DECLARE_FINAL_TYPE (VlGuestsPage, vl_guests_page, VL, GUESTS_PAGE, GtkBox)

void vl_guests_page_open_connections (VlGuestsPage       *self,
                                      const char * const *uris);

G_END_DECLS
