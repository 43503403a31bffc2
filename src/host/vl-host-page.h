/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Host page of the main window. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VL_TYPE_HOST_PAGE (vl_host_page_get_type ())
G_DECLARE_FINAL_TYPE (VlHostPage, vl_host_page, VL, HOST_PAGE, GtkBox)

G_END_DECLS
