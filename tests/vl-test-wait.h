/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper shared by the guests and Xen tests: run the main loop until a condition holds. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gboolean (*VlTestCondition) (gpointer data);

gboolean vl_test_wait_until (VlTestCondition done,
                             gpointer        data,
                             guint           timeout_ms);

G_END_DECLS
