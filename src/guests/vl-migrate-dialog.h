/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Move to Another Host dialog: a connected destination, live or offline, what is copied (checked
 * as the choice changes, before anything is moved), progress and Cancel. The work is
 * vl-guest-migrate.c's, in a worker thread. */
#pragma once

#include <gtk/gtk.h>

#include "vl-connection.h"
#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

#define VL_TYPE_MIGRATE_DIALOG (vl_migrate_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VlMigrateDialog, vl_migrate_dialog, VL, MIGRATE_DIALOG, GtkDialog)

/* SOURCE on the connection FROM; CONNECTIONS: the list of VlConnection the destinations come from
 * (the connected ones other than FROM). */
VlMigrateDialog *vl_migrate_dialog_new          (GtkWindow       *parent,
                                                 GVirDomain      *source,
                                                 VlConnection    *from,
                                                 GListModel      *connections);
/* For tests: the destination chooser (ids are URIs), the Live and Offline buttons, the message
 * naming what stops the move (NULL when none), what the check found ("Copied: …"), whether a check
 * or a move runs, and whether the guest was moved. */
GtkComboBox     *vl_migrate_dialog_get_destinations (VlMigrateDialog *self);
GtkToggleButton *vl_migrate_dialog_get_live     (VlMigrateDialog *self);
GtkToggleButton *vl_migrate_dialog_get_offline  (VlMigrateDialog *self);
const char      *vl_migrate_dialog_get_message  (VlMigrateDialog *self);
const char      *vl_migrate_dialog_get_plan     (VlMigrateDialog *self);
gboolean         vl_migrate_dialog_is_busy      (VlMigrateDialog *self);
gboolean         vl_migrate_dialog_is_running   (VlMigrateDialog *self);
gboolean         vl_migrate_dialog_get_moved    (VlMigrateDialog *self);

G_END_DECLS
