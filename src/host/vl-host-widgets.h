/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the Host page and its parts show alike: wrapped labels, the helper's log, the helper's argv. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A left-aligned, wrapping, shown label with style class STYLE (may be NULL). */
GtkWidget *vl_host_label_new (const char *text, const char *style, gboolean selectable);
/* LINE added at the end of VIEW, which follows the newest line. */
void vl_host_log_append (GtkTextView *view, const char *line);
/* How the privileged helper is started: through pkexec (unless root), with --root SYSROOT when the
 * system set up is not "/" (a chroot, a test's tree). */
GStrv vl_host_helper_argv (const char *sysroot);

G_END_DECLS
