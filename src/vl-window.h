/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window, the hall: a header bar with the page switcher and the pages Host, Guests, Results. */
#pragma once

#include <gtk/gtk.h>

#include "vl-application.h"

G_BEGIN_DECLS

#define VL_TYPE_WINDOW (vl_window_get_type ())
G_DECLARE_FINAL_TYPE (VlWindow, vl_window, VL, WINDOW, GtkApplicationWindow)

VlWindow   *vl_window_new                    (VlApplication       *app);
void        vl_window_show_page              (VlWindow            *self,
                                              const char          *name);
const char *vl_window_get_visible_page       (VlWindow            *self);
void        vl_window_open_connections       (VlWindow            *self,
                                              const char * const  *uris);
void        vl_window_open_result_files      (VlWindow            *self,
                                              GFile              **files,
                                              guint                n_files);
void        vl_window_show_error             (VlWindow            *self,
                                              const char          *title,
                                              const char          *detail);
void        vl_window_save_screenshot_async  (VlWindow            *self,
                                              GFile               *file,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char       *vl_window_save_screenshot_finish (VlWindow            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* vl-window-actions.c */
void        vl_window_install_actions        (VlWindow            *self);
void        vl_window_open_study             (VlWindow            *self);
void        vl_window_run_benchmarks         (VlWindow            *self);

G_END_DECLS
