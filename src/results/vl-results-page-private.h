/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the parts of the Results page: vl-results-page.c (the page, its charts), -systems.c
 * (the side pane), -summary.c (summary, details, table), -files.c (opening and remembering files) and
 * -actions.c (its actions and exports). */
#pragma once

#include "vl-results-page.h"
#include "vl-result-file.h"
#include "vl-result-stats.h"

struct _VlResultsPage
{
  GtkBox                parent_instance;

  GtkInfoBar           *info_bar;
  GtkLabel             *info_label;
  GtkStack             *state_stack;
  GtkListBox           *run_list;
  GtkListBox           *system_list;
  GtkComboBoxText      *baseline_combo;
  GtkBox               *chart_column;
  GtkLabel             *summary_title;
  GtkGrid              *summary_grid;
  GtkBox               *ranking_box;     /* one sentence per category */
  GtkGrid              *details_grid;    /* hardware and software of each system */
  GtkMenuButton        *export_button;
  GtkWidget            *table_card;      /* results that are not bar graphs */

  GSimpleActionGroup   *actions;
  GSettings            *settings;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;

  GPtrArray            *runs;            /* VlLoadedRun, each with a set */
  VlResultSet          *merged;
  GPtrArray            *system_order;    /* char *: the user's order */
  GHashTable           *hidden;          /* systems the user hid */
  char                 *baseline;
  VlCategory            category;
  GString              *messages;        /* what the info bar says */
  gssize                status_at;       /* where the last export's line starts in it, or -1 */
  GtkLabel             *left_out_label;  /* results no shown system ran */
  guint                 pending;         /* loads and exports in flight */
  guint                 defaults_source;
  gboolean              updating;        /* filling the combo box: not the user */
  char                 *alone_path;      /* a file opened alone: the other files' systems get hidden */
};

/* vl-results-page.c */
void   vl_results_page_set_pending      (VlResultsPage *self,
                                         int            delta);
void   vl_results_page_rebuild          (VlResultsPage *self);
void   vl_results_page_refresh          (VlResultsPage *self);
void   vl_results_page_update_systems   (VlResultsPage *self);
void   vl_results_page_show_message     (VlResultsPage *self,
                                         GtkMessageType type,
                                         const char    *text);
char **vl_results_page_visible_systems  (VlResultsPage *self);
char **vl_results_page_hidden_systems   (VlResultsPage *self);
void   vl_results_page_show_status      (VlResultsPage *self,
                                         const char    *text);
void   vl_results_page_save_files       (VlResultsPage *self);

/* Lists, the summary and the tables name at most this many systems: a file of 5,000 systems (a
 * fuzzer's, or a cluster's) made 30,000 widgets, and mapping them froze the window for minutes.
 * The charts still draw every system. */
#define MAX_LISTED_SYSTEMS 100

/* vl-results-page-systems.c */
GtkWidget *vl_results_page_more_systems_label (guint more);
void   vl_results_page_update_system_order (VlResultsPage *self);
void   vl_results_page_ensure_baseline     (VlResultsPage *self);
void   vl_results_page_sync_system_checks  (VlResultsPage *self);
void   vl_results_page_fill_run_list       (VlResultsPage *self);
void   vl_results_page_fill_system_list    (VlResultsPage *self);
void   vl_results_page_fill_baseline_combo (VlResultsPage *self);
void   vl_results_page_baseline_combo_changed (VlResultsPage *self);

/* vl-results-page-summary.c */
void   vl_results_page_fill_summary     (VlResultsPage *self);
void   vl_results_page_fill_details     (VlResultsPage *self);
void   vl_results_page_fill_table       (VlResultsPage *self);

/* vl-results-page-files.c */
gboolean vl_results_page_load_defaults  (gpointer       user_data);

/* vl-results-page-actions.c */
void   vl_results_page_install_actions  (VlResultsPage *self);
