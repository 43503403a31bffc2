/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writing a VlResultSet as a Phoronix Test Suite result file (composite.xml) that PTS reads. */
#pragma once

#include <glib.h>

#include "vl-result-set.h"

G_BEGIN_DECLS

/* The limits of PTS's result-file.xsd (types.xsd), in characters. */
#define VL_PTS_SET_TITLE_MAX      126
#define VL_PTS_RESULT_TITLE_MIN   2
#define VL_PTS_RESULT_TITLE_MAX   50
#define VL_PTS_SYSTEM_ID_MAX      128
#define VL_PTS_DESCRIPTION_MAX    2048

/* "YYYY-MM-DD HH:MM:SS" in local time, as PTS's date('Y-m-d H:i:s'). */
char     *vl_pts_timestamp              (GDateTime          *when);
gboolean  vl_pts_timestamp_is_valid     (const char         *text);
/* {"error":"REASON"}, the way PTS keeps why a run produced no value. */
char     *vl_pts_error_json             (const char         *reason);
/* A name PTS accepts for a folder under test-results: lower case, digits and '-'. */
char     *vl_pts_result_name            (const char         *title);

/* The whole file, or NULL and an error naming the field that PTS's schema would refuse. */
char     *vl_result_set_to_pts_xml      (const VlResultSet  *set,
                                         GError            **error);

/* Saves SET twice, never replacing an earlier comparison: as DATA_DIR/NAME.xml (NAME-2.xml, …) and
 * as PTS_RESULTS_DIR/NAME/composite.xml (NAME-2/, …), each written atomically. Either directory
 * may be NULL to skip it. The paths written come back in *saved_path and *pts_path. */
gboolean  vl_result_set_save_pts        (const VlResultSet  *set,
                                         const char         *name,
                                         const char         *data_dir,
                                         const char         *pts_results_dir,
                                         char              **saved_path,
                                         char              **pts_path,
                                         GError            **error);
/* DATA_HOME/virtlab/benchmarks and HOME/.phoronix-test-suite/test-results. */
char     *vl_result_benchmarks_dir      (void);
char     *vl_result_pts_user_results_dir (void);

G_END_DECLS
