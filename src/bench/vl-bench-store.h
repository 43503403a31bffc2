/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a benchmark guest's disks live on the host of one connection: volumes of a storage pool
 * (the one the user named, else "default", else a transient directory pool the store makes), so
 * that a remote host works like this one; the image goes there by volume upload and the results
 * come back by volume download. A connection without storage pools (the embedded QEMU driver) that
 * runs on this computer gets plain files in a local folder instead. Call it from one thread. */
#pragma once

#include <libvirt-gobject/libvirt-gobject.h>

G_BEGIN_DECLS

typedef struct _VlBenchStore VlBenchStore;

/* POOL_NAME: the user's pool (it must exist and be active), or NULL. LOCAL_DIR: the folder for
 * local files (made when needed), for a connection that has no storage pools and is local. TAG
 * makes the store's names its own ("virtlab-bench-TAG-…"). */
VlBenchStore *vl_bench_store_open      (GVirConnection  *conn,
                                        const char      *uri,
                                        const char      *pool_name,
                                        const char      *local_dir,
                                        const char      *tag,
                                        GError         **error);
/* For the user: "pool “default” (/var/lib/libvirt/images)", "local files in …". */
const char   *vl_bench_store_describe  (const VlBenchStore *store);
gboolean      vl_bench_store_is_local  (const VlBenchStore *store);
/* Bytes the pool can still hold (G_MAXUINT64 when unknown). */
guint64       vl_bench_store_available (const VlBenchStore *store);

/* A new disk NAME with the content of the local file SOURCE (uploaded; a local store uses SOURCE
 * itself, read-only). Returns the path of the disk on the connection's host. */
char         *vl_bench_store_upload    (VlBenchStore    *store,
                                        const char      *name,
                                        const char      *source,
                                        GCancellable    *cancellable,
                                        GError         **error);
/* A new empty (sparse) disk NAME of SIZE bytes; returns its path on the connection's host. */
char         *vl_bench_store_create    (VlBenchStore    *store,
                                        const char      *name,
                                        guint64          size,
                                        GError         **error);
/* The first MAX bytes of disk NAME (downloaded). */
GBytes       *vl_bench_store_download  (VlBenchStore    *store,
                                        const char      *name,
                                        gsize            max,
                                        GCancellable    *cancellable,
                                        GError         **error);
/* Deletes disk NAME (one this store made); FALSE with a message when it could not. */
gboolean      vl_bench_store_delete    (VlBenchStore    *store,
                                        const char      *name,
                                        GError         **error);
/* Deletes every disk the store made and still has, and its transient pool; returns how many
 * could not be deleted (each said in *problems when given). */
guint         vl_bench_store_close     (VlBenchStore    *store,
                                        GString         *problems);

G_END_DECLS
