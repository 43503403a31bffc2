/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the move's two halves share inside the guests room: the worker's data, the disks it copies, and
 * the checks made before anything changes (vl-guest-migrate-checks.c) for the move itself
 * (vl-guest-migrate.c). */
#include <libvirt/libvirt.h>

#include "vl-guest-migrate.h"

G_BEGIN_DECLS

/* A disk that is copied: its volume on the source (NULL when it is in no pool there), the pool on
 * the destination it goes to, and the volume made there (deleted when the move fails). */
typedef struct
{
  VlMigrateDisk *disk; /* borrowed from the needs */
  virStorageVolPtr source;
  virStoragePoolPtr pool;
  char *name;      /* the volume's name in both pools */
  char *made_path; /* where the volume made on the destination is */
  guint64 capacity;
  guint64 allocation;
  virStorageVolPtr made;
} Copy;

typedef struct
{
  GVirConnection *destination;
  char *dest_name;
  VlMigrateMode mode;
  VlMigrateProgress progress;
  gpointer progress_data;
  GMainContext *context;
  /* the worker's own */
  virDomainPtr domain;
  virConnectPtr sconn;
  virConnectPtr dconn;
  VlMigrateNeeds *needs;
  GPtrArray *copies; /* of Copy */
  char uuid[VIR_UUID_STRING_BUFLEN];
  int state;
} MoveData;

/* Checks before anything changes (another host, the name, networks, processor, pools and room), and
 * the plan of what is copied; fills data->copies. */
VlMigratePlan *vl_migrate_check_move (MoveData *data, GVirDomain *source, GError **error);

G_END_DECLS
