/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Results page of the main window: stored benchmark runs, their charts and a summary. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define VL_TYPE_RESULTS_PAGE (vl_results_page_get_type ())
G_DECLARE_FINAL_TYPE (VlResultsPage, vl_results_page, VL, RESULTS_PAGE, GtkBox)

void vl_results_page_open_files (VlResultsPage  *self,
                                 GFile         **files,
                                 guint           n_files);
void vl_results_page_open_study (VlResultsPage  *self);
/* Opens FILE (a new benchmark result) and shows its systems only: the other open files' systems
 * are hidden, not closed. */
void vl_results_page_open_file_alone (VlResultsPage *self,
                                      GFile         *file);
void vl_results_page_export_to  (VlResultsPage  *self,
                                 const char     *format,
                                 GFile          *directory);

G_END_DECLS
