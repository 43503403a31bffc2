/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A guest's snapshots: what the connection's driver can take for this guest, and list, take, revert
 * and delete them off the main loop. GTK-free. */
#pragma once

#include <libvirt-gobject/libvirt-gobject.h>

G_BEGIN_DECLS

typedef struct {
  char     *name;
  char     *description;
  char     *parent;        /* NULL for a root */
  gint64    created;       /* seconds since 1970 */
  int       state;         /* GVirConfigDomainSnapshotDomainState the guest was in */
  gboolean  has_memory;    /* the running state was saved with it */
  gboolean  external;      /* disks in files of their own (libvirt 9.0 cannot revert to these) */
  gboolean  is_current;
} VlSnapshot;

/* One snapshot from its libvirt XML (<domainsnapshot>), or NULL when it is not one. */
VlSnapshot *vl_snapshot_new_from_xml        (const char *xml);
void        vl_snapshot_free                (VlSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlSnapshot, vl_snapshot_free)

/* What can be done for one guest on one driver. */
typedef struct {
  gboolean  can_take;        /* a snapshot of the disks */
  gboolean  can_take_memory; /* with the running state (the guest must be running) */
  gboolean  can_take_without_memory_while_running;
  gboolean  can_revert;
  char     *reason;          /* translated: why something above is not offered, or NULL */
} VlSnapshotSupport;

void        vl_snapshot_support_free        (VlSnapshotSupport *support);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlSnapshotSupport, vl_snapshot_support_free)

/* DRIVER is gvir_connection_get_hypervisor_name()'s answer ("QEMU", "Xen", "Test"); DOMAIN_XML the
 * guest's definition; RUNNING whether it runs (or is paused) now. Pure. */
VlSnapshotSupport *vl_snapshot_support_for  (const char        *driver,
                                             const char        *domain_xml,
                                             gboolean           running);

/* A name a new snapshot may have: not empty, no '/' or control characters, at most 100 characters,
 * not one of EXISTING (VlSnapshot). The error names what is wrong. */
gboolean    vl_snapshot_check_name          (const char        *name,
                                             GPtrArray         *existing,
                                             GError           **error);

/* A name for the next snapshot, like "snapshot-3", not among EXISTING. */
char       *vl_snapshot_suggest_name        (GPtrArray         *existing);

/* What the Snapshots tab shows of one guest, read in one worker thread. */
typedef struct {
  GPtrArray         *snapshots;  /* VlSnapshot, oldest first */
  VlSnapshotSupport *support;    /* for this guest on its driver, in its current state */
  gboolean           running;    /* running or paused */
  char              *driver;     /* virConnectGetType(): "QEMU", "Xen", "TEST", … */
} VlSnapshotsState;

void        vl_snapshots_state_free         (VlSnapshotsState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlSnapshotsState, vl_snapshots_state_free)

void        vl_guest_snapshots_list_async   (GVirDomain        *domain,
                                             GCancellable      *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer           user_data);
VlSnapshotsState *vl_guest_snapshots_list_finish (GVirDomain   *domain,
                                             GAsyncResult      *result,
                                             GError           **error);

/* Takes a snapshot; WITH_MEMORY saves the running state of a running guest too (the guest pauses
 * while its memory is written). */
void        vl_guest_snapshot_take_async    (GVirDomain        *domain,
                                             const char        *name,
                                             const char        *description,
                                             gboolean           with_memory,
                                             GCancellable      *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer           user_data);
/* Goes back to the snapshot NAME: the guest's disks, and its running state if it was saved. */
void        vl_guest_snapshot_revert_async  (GVirDomain        *domain,
                                             const char        *name,
                                             GCancellable      *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer           user_data);
void        vl_guest_snapshot_delete_async  (GVirDomain        *domain,
                                             const char        *name,
                                             GCancellable      *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer           user_data);
/* The finish of take, revert and delete. */
gboolean    vl_guest_snapshot_op_finish     (GVirDomain        *domain,
                                             GAsyncResult      *result,
                                             GError           **error);

G_END_DECLS
