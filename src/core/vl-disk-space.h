/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The free space, in bytes, of the file system that will hold PATH: PATH's own when it exists, else
 * that of its nearest existing parent (a folder not made yet lands there). FALSE when no file system
 * on the way says (FREE_BYTES untouched): each caller decides what "unknown" means for it. */
gboolean vl_disk_space_free_for (const char *path, guint64 *free_bytes);

G_END_DECLS
