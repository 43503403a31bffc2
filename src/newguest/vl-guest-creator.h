/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Creates a guest from a VlGuestSpec on a libvirt connection: disk, definition, start; all or nothing. */
#pragma once

#include <libvirt-gobject/libvirt-gobject.h>

#include "vl-guest-spec.h"

G_BEGIN_DECLS

#define VL_TYPE_GUEST_CREATOR (vl_guest_creator_get_type ())
G_DECLARE_FINAL_TYPE (VlGuestCreator, vl_guest_creator, VL, GUEST_CREATOR, GObject)

VlGuestCreator *vl_guest_creator_new                  (GVirConnection *connection);
GVirConnection *vl_guest_creator_get_connection       (VlGuestCreator *self);

/* Where the "default" directory pool is made when the connection has none. */
void            vl_guest_creator_set_default_pool_dir (VlGuestCreator *self,
                                                       const char     *dir);
const char     *vl_guest_creator_get_default_pool_dir (VlGuestCreator *self);

/* Reads what the connection offers in a worker thread: capabilities, host memory and CPUs, guest names
 * in use, the pool a new disk goes to and its free space, the virtual networks. The thread writes into
 * nothing shared: _finish, on the caller's thread, fills the spec and the creator's lists. */
void            vl_guest_creator_describe_host_async  (VlGuestCreator      *self,
                                                       VlGuestSpec         *spec,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean        vl_guest_creator_describe_host_finish (VlGuestCreator  *self,
                                                       GAsyncResult    *result,
                                                       GError         **error);
const char * const *vl_guest_creator_get_networks     (VlGuestCreator *self);

/* A place a new disk can go: a directory-like storage pool, or "default" still to be made. */
typedef struct {
  char    *name;
  char    *dir;
  guint64  available;   /* G_MAXUINT64 when unknown */
  gboolean exists;      /* FALSE: made on "Create" */
} VlGuestPool;

/* The pools found by describe_host, "default" first (element type VlGuestPool, transfer none). */
GPtrArray          *vl_guest_creator_get_pools        (VlGuestCreator *self);
gboolean        vl_guest_creator_has_storage_pools    (VlGuestCreator *self);

/* The steps of making a guest, reported as each begins by the signal "step" (VlCreateStep step,
 * guint number, guint total), emitted in the main context that called create_async. */
typedef enum {
  VL_CREATE_STEP_INSTALLER,   /* fetching a network install's kernel and initrd */
  VL_CREATE_STEP_DISK,        /* making the disk (a volume in a pool, or a qcow2 file) */
  VL_CREATE_STEP_DEFINE,      /* libvirt defining the guest */
  VL_CREATE_STEP_START,       /* starting it */
} VlCreateStep;

/* Creates the disk, defines the guest and, if asked, starts it. On any failure (or cancellation)
 * whatever this call created is removed again and the error says why in the user's words. The worker
 * thread gets a copy of the spec taken by this call: changing the spec afterwards changes nothing. */
void            vl_guest_creator_create_async         (VlGuestCreator      *self,
                                                       VlGuestSpec         *spec,
                                                       gboolean             start,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GVirDomain     *vl_guest_creator_create_finish        (VlGuestCreator  *self,
                                                       GAsyncResult    *result,
                                                       GError         **error);

/* Where disks go on an embedded QEMU connection (ROOT/images), which has no storage pools; NULL for
 * any other URI. */
char           *vl_guest_creator_embed_image_dir      (const char      *uri);

G_END_DECLS
