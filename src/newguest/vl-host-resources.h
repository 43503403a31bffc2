/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A host's virtual networks and storage pools: list them, start/stop, autostart, new directory pool. */
#pragma once

#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

typedef enum {
  VL_RESOURCE_NETWORK,
  VL_RESOURCE_POOL,
} VlResourceKind;

typedef struct
{
  VlResourceKind kind;
  char          *name;
  gboolean       active;
  gboolean       autostart;
  char          *detail;     /* bridge of a network; path and free space of a pool */
} VlResource;

void        vl_resource_free             (VlResource *resource);

typedef enum {
  VL_RESOURCE_OP_START,
  VL_RESOURCE_OP_STOP,
  VL_RESOURCE_OP_AUTOSTART_ON,
  VL_RESOURCE_OP_AUTOSTART_OFF,
} VlResourceOp;

void        vl_host_resources_list_async    (GVirConnection      *conn,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
/* networks_unsupported / pools_unsupported (may be NULL): set to libvirt's refusal when the driver has
 * no virtual networks / storage pools at all (the embedded QEMU driver), else to NULL. */
GPtrArray  *vl_host_resources_list_finish   (GVirConnection      *conn,
                                             GAsyncResult        *result,
                                             char               **networks_unsupported,
                                             char               **pools_unsupported,
                                             GError             **error);
void        vl_host_resources_change_async  (GVirConnection      *conn,
                                             VlResourceKind       kind,
                                             const char          *name,
                                             VlResourceOp         op,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean    vl_host_resources_change_finish (GVirConnection      *conn,
                                             GAsyncResult        *result,
                                             GError             **error);
gboolean    vl_host_resources_create_dir_pool (GVirConnection    *conn,
                                               const char        *name,
                                               const char        *path,
                                               GError           **error);
void        vl_host_resources_create_dir_pool_async  (GVirConnection      *conn,
                                                      const char          *name,
                                                      const char          *path,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean    vl_host_resources_create_dir_pool_finish (GVirConnection      *conn,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
