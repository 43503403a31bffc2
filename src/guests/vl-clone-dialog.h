/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Clone dialog: a name for the copy (checked as it is typed), progress while the disks are copied,
 * and Cancel. The work is vl-guest-clone.c's, in a worker thread. */
#pragma once

#include <gtk/gtk.h>

#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

#define VL_TYPE_CLONE_DIALOG (vl_clone_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VlCloneDialog, vl_clone_dialog, VL, CLONE_DIALOG, GtkDialog)

/* EXISTING: the names of the guests on the source's connection (refused as the clone's name). */
VlCloneDialog *vl_clone_dialog_new          (GtkWindow          *parent,
                                             GVirDomain         *source,
                                             const char * const *existing);
/* For tests: the name entry, the message under it (NULL when the name is fine), whether a clone runs,
 * and the name of the clone made (NULL until then). */
GtkEntry      *vl_clone_dialog_get_entry    (VlCloneDialog      *self);
const char    *vl_clone_dialog_get_message  (VlCloneDialog      *self);
gboolean       vl_clone_dialog_is_running   (VlCloneDialog      *self);
const char    *vl_clone_dialog_get_made     (VlCloneDialog      *self);

G_END_DECLS
