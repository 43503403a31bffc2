/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading one string member of the small JSON objects PTS stores in result entries ("error"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The decoded value of the top-level string member `member` of the JSON object `json`, or NULL
 * when there is none, it is not a string, or the text is not a well-formed JSON object. */
char *vl_pts_json_get_string (const char *json,
                              const char *member);

G_END_DECLS
