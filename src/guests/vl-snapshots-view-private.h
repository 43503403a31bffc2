/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the tests of the Snapshots tab look at and drive. */
#pragma once

#include "vl-guest-snapshots.h"
#include "vl-snapshots-view.h"

G_BEGIN_DECLS

GtkWidget  *vl_snapshots_view_get_dialog            (VlSnapshotsView *self);
GtkEntry   *vl_snapshots_view_get_name_entry        (VlSnapshotsView *self);
GtkEntry   *vl_snapshots_view_get_description_entry (VlSnapshotsView *self);
const char *vl_snapshots_view_get_name_error        (VlSnapshotsView *self);
guint       vl_snapshots_view_get_loads             (VlSnapshotsView *self);
gboolean    vl_snapshots_view_is_busy               (VlSnapshotsView *self);
gboolean    vl_snapshots_view_select                (VlSnapshotsView *self,
                                                     const char      *name);

G_END_DECLS
