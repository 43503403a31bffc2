/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helpers for the tests that drive the Guests page inside a real window. */
#pragma once

#include "vl-window.h"
#include "vl-guests-page.h"

G_BEGIN_DECLS

VlGuestsPage *vl_test_find_guests_page  (VlWindow *window);
gboolean      vl_test_guests_page_ready (gpointer  page);

G_END_DECLS
