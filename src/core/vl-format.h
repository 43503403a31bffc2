/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pure text formatting of host and guest facts, shared by the rooms (no GTK: part of vl-core). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *vl_format_kib (guint64 kib);

G_END_DECLS
