/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The headless export's command line, one code path for `virtlab --export-charts` and `virtlab-export`. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int vl_result_export_cli (const char         *directory,
                          const char         *format,
                          const char * const *files);

G_END_DECLS
