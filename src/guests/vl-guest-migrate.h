/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Move a guest to another host (as virt-manager's Migrate): live (the guest keeps running) or offline
 * (a shut-off guest's definition), its disks copied when the destination does not share them. Checked
 * before anything changes (another host, the name free there, its pools and networks there, its CPU);
 * the destination keeps the guest and the source lets it go only when libvirt reports success; what
 * was made on the destination for a move that failed or was cancelled is removed. GTK-free. */
#pragma once

#include <libvirt-gobject/libvirt-gobject.h>

G_BEGIN_DECLS

typedef enum
{
  VL_MIGRATE_LIVE,     /* a running (or paused) guest moves as it runs */
  VL_MIGRATE_OFFLINE,  /* a shut-off guest: its definition, and its disks copied by us */
} VlMigrateMode;

/* One disk of the guest as a move sees it. */
typedef struct
{
  char    *target;   /* vda */
  char    *path;     /* the file, or NULL for a pool/volume disk */
  char    *pool;     /* type volume: pool and volume name */
  char    *volume;
  char    *format;   /* qcow2, raw */
} VlMigrateDisk;

/* Pure: what a guest's definition needs on the destination: its writable disks (VlMigrateDisk),
 * and the names of the libvirt networks its interfaces use. */
typedef struct
{
  GPtrArray *disks;     /* of VlMigrateDisk */
  GPtrArray *networks;  /* of char *, each once */
  char      *cpu_mode;  /* <cpu mode>, NULL without <cpu>; "custom" when only a model is given */
  char      *cpu_model; /* <cpu><model>, or NULL */
  char      *cpu_xml;   /* the <cpu> element as it is, or NULL */
  char      *virt_type; /* <domain type>: qemu, kvm, xen */
  char      *arch;      /* <os><type arch machine> */
  char      *machine;
} VlMigrateNeeds;

VlMigrateNeeds *vl_migrate_needs_read  (const char      *domain_xml,
                                        GError         **error);
void            vl_migrate_needs_free  (VlMigrateNeeds  *needs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlMigrateNeeds, vl_migrate_needs_free)

/* Pure: libvirt's migration flags for MODE, with the disks copied by QEMU (live) when COPY_STORAGE. */
unsigned int    vl_migrate_flags       (VlMigrateMode    mode,
                                        gboolean         copy_storage);

/* What a move would do, found out without changing anything. */
typedef struct
{
  VlMigrateMode mode;         /* what the guest's state allows */
  GPtrArray    *copied;       /* of char *: the targets of the disks that must be copied (vda) */
  guint64       copy_bytes;   /* their size on the source (allocation, bytes) */
} VlMigratePlan;

void            vl_migrate_plan_free   (VlMigratePlan   *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlMigratePlan, vl_migrate_plan_free)

/* DESTINATION_NAME: how the user knows the destination (its connection's title), in messages.
 * The checks alone, in a worker thread: the plan, or the first thing that stops the move, named. */
void            vl_guest_migrate_check_async  (GVirDomain          *source,
                                               GVirConnection      *destination,
                                               const char          *destination_name,
                                               VlMigrateMode        mode,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
VlMigratePlan  *vl_guest_migrate_check_finish (GVirDomain          *source,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Progress, called in the caller's main context: FRACTION done (0..1) and what is being done. */
typedef void (*VlMigrateProgress) (double      fraction,
                                   const char *text,
                                   gpointer    user_data);

/* The move: checks again, copies, migrates. Cancel aborts libvirt's job and removes what was made. */
void            vl_guest_migrate_async  (GVirDomain          *source,
                                         GVirConnection      *destination,
                                         const char          *destination_name,
                                         VlMigrateMode        mode,
                                         GCancellable        *cancellable,
                                         VlMigrateProgress    progress,
                                         gpointer             progress_data,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean        vl_guest_migrate_finish (GVirDomain          *source,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
