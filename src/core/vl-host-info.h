/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a connection's host is, like the study's `xm info`: read in a thread from libvirt. */
#pragma once

#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

typedef struct
{
  char    *hostname;
  char    *hypervisor;        /* "QEMU", "Xen", "TEST" */
  char    *hypervisor_version;
  char    *libvirt_version;
  char    *cpu_model;
  char    *arch;
  guint    cpus, sockets, cores, threads, mhz, numa_cells;
  guint64  memory_kib;
  guint64  free_memory_kib;
  char    *guest_types;       /* "hvm (x86_64: kvm, qemu), xen (x86_64: xen)" */
} VlHostInfo;

void        vl_host_info_free         (VlHostInfo         *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlHostInfo, vl_host_info_free)

char       *vl_host_info_describe_guests (GVirConfigCapabilities *caps);
char       *vl_host_info_format_version  (gulong              version);
void        vl_host_info_fetch_async  (GVirConnection     *conn,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
VlHostInfo *vl_host_info_fetch_finish (GVirConnection     *conn,
                                       GAsyncResult       *result,
                                       GError            **error);
void        vl_host_info_fetch_uri_async  (const char         *uri,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
VlHostInfo *vl_host_info_fetch_uri_finish (GAsyncResult       *result,
                                           GError            **error);

G_END_DECLS
