/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Phoronix Test Suite result files (composite.xml, PTS 2.x and 3.0+) read into a VlResultSet. */
#pragma once

#include <glib.h>

#include "vl-result-set.h"

G_BEGIN_DECLS

/* Files bigger than this are refused before parsing: the biggest real runs are a few MB. */
#define VL_RESULT_FILE_MAX_SIZE (64 * 1024 * 1024)

VlResultSet    *vl_result_file_load          (const char         *path,
                                              GError            **error);
VlResultSet    *vl_result_file_load_data     (const char         *data,
                                              gsize               length,
                                              const char         *name,
                                              GError            **error);

G_END_DECLS
