/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A guest's console in a window of its own (also the way to fullscreen). */
#pragma once

#include <gtk/gtk.h>
#include <libvirt-gobject/libvirt-gobject.h>

#include "vl-console.h"

G_BEGIN_DECLS

#define VL_TYPE_CONSOLE_WINDOW (vl_console_window_get_type ())
G_DECLARE_FINAL_TYPE (VlConsoleWindow, vl_console_window, VL, CONSOLE_WINDOW, GtkApplicationWindow)

VlConsoleWindow *vl_console_window_new         (GVirConnection  *connection,
                                                GVirDomain      *domain);
VlConsole       *vl_console_window_get_console (VlConsoleWindow *self);

G_END_DECLS
