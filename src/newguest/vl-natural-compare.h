/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Names compared as a person reads them: "Debian 6.0" < "Debian 10", "Ubuntu 9.10" < "Ubuntu 22.04". */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs of digits compare as numbers, the text between them as g_utf8_collate() orders it. */
int vl_natural_compare (const char *a,
                        const char *b);

G_END_DECLS
