/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Snapshots tab of a guest: its snapshots as a tree, and Take, Revert and Delete. */
#pragma once

#include <gtk/gtk.h>

#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

#define VL_TYPE_SNAPSHOTS_VIEW (vl_snapshots_view_get_type ())
G_DECLARE_FINAL_TYPE (VlSnapshotsView, vl_snapshots_view, VL, SNAPSHOTS_VIEW, GtkBox)

VlSnapshotsView *vl_snapshots_view_new        (void);
/* Shows DOMAIN's snapshots (read again when called for the same guest: its state may have changed). */
void             vl_snapshots_view_set_domain (VlSnapshotsView *self,
                                               GVirDomain      *domain);

G_END_DECLS
