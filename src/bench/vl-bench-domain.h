/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmark guest's definition, made with libvirt-gconfig: direct kernel boot into the runner. */
#pragma once

#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vl-bench-config.h"

G_BEGIN_DECLS

typedef struct {
  const char     *name;
  VlBenchMode     mode;
  guint           vcpus;
  guint           memory_mib;
  const char     *kernel;
  const char     *initrd;
  const char     *root_path;     /* the cached root.ext4, attached read-only */
  const char     *scratch_path;
  const char     *results_path;
  gboolean        direct_io;     /* cache='none' io='native' on the scratch disk */
  VlBenchProfile  profile;
  guint           runs;
  const char * const *tests;     /* NULL: all */
  const char     *extra_cmdline; /* appended (tests: a later init= replaces the runner) */
} VlBenchDomainSpec;

/* The guest's disk names for MODE: vda… (virtio) or xvda… (Xen). */
const char       *vl_bench_domain_disk_name (VlBenchMode              mode,
                                             guint                    index);
char             *vl_bench_domain_cmdline   (const VlBenchDomainSpec *spec);
GVirConfigDomain *vl_bench_domain_config    (const VlBenchDomainSpec *spec);

G_END_DECLS
