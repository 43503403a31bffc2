/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GtkApplication: app-wide actions, command-line options and settings. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VL_TYPE_APPLICATION (vl_application_get_type ())
G_DECLARE_FINAL_TYPE (VlApplication, vl_application, VL, APPLICATION, GtkApplication)

VlApplication *vl_application_new          (void);
GSettings     *vl_application_get_settings    (VlApplication *self);
int            vl_application_get_exit_status (VlApplication *self);
gboolean       vl_application_is_uninstalled  (void);
const char    *vl_application_get_locale_dir  (void);

G_END_DECLS
