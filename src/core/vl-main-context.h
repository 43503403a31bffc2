/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Hands FUNC (DATA) to the loop that runs CONTEXT, from any thread: always as a source dispatched by
 * that loop (priority G_PRIORITY_DEFAULT, in the order posted). Unlike g_main_context_invoke(), it
 * never runs FUNC at once in the calling worker when the worker happens to be able to acquire the
 * context, so widget code never runs in a worker. NOTIFY frees DATA after FUNC ran (may be NULL). */
void vl_main_context_post (GMainContext *context, GSourceFunc func, gpointer data, GDestroyNotify notify);

/* A worker's progress: a fraction from 0 to 1 and what it is doing. */
typedef void (*VlProgressFunc) (double fraction, const char *text, gpointer user_data);

/* Calls FUNC (FRACTION, TEXT, USER_DATA) as vl_main_context_post() does, with a copy of TEXT;
 * nothing when FUNC is NULL. */
void vl_main_context_post_progress (GMainContext  *context,
                                    VlProgressFunc func,
                                    double         fraction,
                                    const char    *text,
                                    gpointer       user_data);

G_END_DECLS
