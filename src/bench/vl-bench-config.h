/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a benchmark run compares: configurations (connection × mode × name), profile, runs, resources. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VL_BENCH_MODE_KVM_HVM,
  VL_BENCH_MODE_QEMU_TCG,
  VL_BENCH_MODE_XEN_PV,
  VL_BENCH_MODE_XEN_HVM,
} VlBenchMode;

typedef enum {
  VL_BENCH_PROFILE_QUICK,
  VL_BENCH_PROFILE_STUDY,
} VlBenchProfile;

typedef struct {
  char        *uri;
  VlBenchMode  mode;
  char        *name;   /* the System's identifier in the result file */
} VlBenchConfig;

typedef struct {
  GPtrArray      *configs;        /* VlBenchConfig */
  VlBenchProfile  profile;
  guint           runs;
  guint           vcpus;
  guint           memory_mib;
  guint           scratch_mib;
  guint           budget_seconds; /* per configuration; 0: from the profile */
  char           *output;         /* the result file asked for, or NULL: the data folder */
  char           *title;
  char          **tests;          /* only these tests (runner ids), or NULL: all of the profile */
  char           *pool;           /* the storage pool for the guests' disks on every connection that has
                                   * pools, or NULL: "default", else a transient one in a private folder */
} VlBenchPlan;

const char    *vl_bench_mode_id            (VlBenchMode       mode);   /* "kvm-hvm" */
const char    *vl_bench_mode_default_name  (VlBenchMode       mode);   /* "KVM-HVM" */
const char    *vl_bench_mode_layer         (VlBenchMode       mode);   /* "KVM", "Xen PV"… */
gboolean       vl_bench_mode_from_string   (const char       *text,
                                            VlBenchMode      *mode);
const char    *vl_bench_profile_id         (VlBenchProfile    profile);
gboolean       vl_bench_profile_from_string (const char      *text,
                                            VlBenchProfile   *profile);
/* A generous wall-time budget for one configuration of this profile under software emulation. */
guint          vl_bench_profile_budget     (VlBenchProfile    profile,
                                            guint             runs);

void           vl_bench_config_free        (VlBenchConfig    *config);
/* "URI,MODE[,NAME]" as given to --config. */
VlBenchConfig *vl_bench_config_parse       (const char       *text,
                                            GError          **error);
/* Whether a host with these capabilities (libvirt's XML) can run MODE for x86_64 guests. */
gboolean       vl_bench_mode_supported     (VlBenchMode       mode,
                                            const char       *capabilities_xml,
                                            GError          **error);

VlBenchPlan   *vl_bench_plan_new           (void);
void           vl_bench_plan_free          (VlBenchPlan      *plan);
/* The least memory and scratch disk PLAN's profile and tests need in each guest (MiB): the study's
 * sizes write 4 GiB files and build the whole kernel on the scratch disk, and its mbw copies two
 * 1 GiB arrays; the quick profile fits the smallest guest. */
void           vl_bench_plan_minimums      (const VlBenchPlan *plan,
                                            guint            *memory_mib,
                                            guint            *scratch_mib);
/* Checks that need no connection: at least one configuration, unique names, sane sizes (and the
 * profile's minimums). */
gboolean       vl_bench_plan_check         (const VlBenchPlan *plan,
                                            GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlBenchConfig, vl_bench_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlBenchPlan, vl_bench_plan_free)

G_END_DECLS
