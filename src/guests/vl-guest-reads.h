/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The libvirt reads behind the guest details and the guest list's sparklines, off the main loop:
 * read-only inputs in, a result struct out. The widgets only show the results. */
#pragma once

#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

/* A guest's configuration as the details show it. */
typedef struct
{
  char    *xml;           /* the domain's XML */
  char    *disks;         /* one "target: source" line per disk */
  char    *nics;          /* one "MAC model" line per network interface */
  char    *graphics;      /* "VNC (port 5901), SPICE", or "" */
  GStrv    disk_targets;  /* for the block statistics: "vda", … */
  GStrv    nic_targets;   /* for the interface statistics: "vnet0", … */
  gboolean install_pending; /* a network install runs on the next start (vl-pending-install) */
  char    *firmware;      /* "BIOS", "UEFI with Secure Boot, TPM 2.0"… (vl-firmware-caps) */
} VlGuestConfig;

void           vl_guest_config_free        (VlGuestConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlGuestConfig, vl_guest_config_free)

void           vl_guest_config_read_async  (GVirDomain          *domain,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
VlGuestConfig *vl_guest_config_read_finish (GVirDomain          *domain,
                                            GAsyncResult        *result,
                                            GError             **error);

/* One reading of a running guest's counters; rates come from two of them. */
typedef struct
{
  gint64  when_us;        /* monotonic */
  guint64 cpu_ns;
  guint   vcpus;
  guint64 rd, wr;         /* bytes read and written, all disks */
  guint64 rx, tx;         /* bytes received and sent, all interfaces */
} VlGuestCounters;

typedef struct
{
  double cpu;             /* 0 … 1 of the guest's vCPUs */
  double rd, wr, rx, tx;  /* bytes per second */
} VlGuestRates;

void     vl_guest_counters_read_async  (GVirDomain          *domain,
                                        const char * const  *disk_targets,
                                        const char * const  *nic_targets,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean vl_guest_counters_read_finish (GVirDomain          *domain,
                                        GAsyncResult        *result,
                                        VlGuestCounters     *counters,
                                        GError             **error);
void     vl_guest_counters_rates       (const VlGuestCounters *before,
                                        const VlGuestCounters *now,
                                        VlGuestRates          *rates);

/* The CPU time of several guests at once (the guest list's sparklines). */
typedef struct
{
  char    *uuid;
  gboolean ok;            /* FALSE: the guest could not be read (gone, or libvirt failed) */
  guint64  cpu_ns;
  gint64   when_us;
} VlGuestCpuSample;

void       vl_guest_cpu_sample_async  (GPtrArray           *domains,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GPtrArray *vl_guest_cpu_sample_finish (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
