/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loading several result files off the main loop, and finding the user's own PTS runs. */
#pragma once

#include <gio/gio.h>

#include "vl-result-file.h"

G_BEGIN_DECLS

/* The bundled 2010 study, inside the program. */
#define VL_RESULT_STUDY_URI "resource:///org/virtlab/Virtlab/results/xen-kvm-2010.xml"
/* Where PTS saves its runs when it runs as root. */
#define VL_PTS_SYSTEM_RESULTS_DIR "/var/lib/phoronix-test-suite/test-results"

typedef struct {
  char        *uri;     /* what was asked for: a path or a resource:// URI */
  char        *name;    /* for the user */
  VlResultSet *set;     /* NULL when it failed… */
  GError      *error;   /* …and this says why */
} VlLoadedRun;

void        vl_loaded_run_free            (VlLoadedRun          *run);
char      **vl_result_discover_pts_runs   (const char           *home);
const char *vl_result_pts_system_results_dir (void);
gboolean    vl_result_is_discovered_run   (const char           *path,
                                           const char           *home);
VlLoadedRun *vl_result_load_run           (const char           *uri);
void        vl_result_runs_load_async     (const char * const   *uris,
                                           const char           *discover_home,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
GPtrArray  *vl_result_runs_load_finish    (GAsyncResult         *result,
                                           GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlLoadedRun, vl_loaded_run_free)

G_END_DECLS
