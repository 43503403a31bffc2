/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmark guest's results disk: its records, and what they become in a VlResultSet. */
#pragma once

#include <glib.h>

#include "vl-result-set.h"

G_BEGIN_DECLS

#define VL_BENCH_RESULTS_MAGIC "VLBENCH1"
/* The size of the raw results disk the guest writes (and the most Virtlab reads back). */
#define VL_BENCH_RESULTS_DISK_SIZE (16 * 1024 * 1024)

typedef struct _VlBenchRecords VlBenchRecords;

/* Parses what the runner wrote at offset 0 of the disk: header "VLBENCH1 LENGTH SHA256\n", then
 * records "NAME SIZE\n" SIZE bytes "\n". NAME may repeat: the last one counts. */
VlBenchRecords *vl_bench_records_parse      (const guint8          *data,
                                             gsize                  length,
                                             GError               **error);
VlBenchRecords *vl_bench_records_load       (const char            *path,
                                             GError               **error);
void            vl_bench_records_free       (VlBenchRecords        *records);
const char     *vl_bench_records_get        (const VlBenchRecords  *records,
                                             const char            *name);
gboolean        vl_bench_records_complete   (const VlBenchRecords  *records);
/* The test identifiers the runner defined, in its order. */
GPtrArray      *vl_bench_records_tests      (const VlBenchRecords  *records);
guint           vl_bench_records_runs       (const VlBenchRecords  *records);

/* One System named SYSTEM_NAME, and one Entry per test, added to SET (a Result made when SET has
 * none for the test yet). LAYER names the hypervisor for the Software string ("KVM", "Xen PV"…);
 * NOTES go to the System's Notes (the host). When the records are not complete, tests that have
 * no run get a failed entry saying STOPPED_REASON. */
void            vl_bench_add_system         (VlResultSet           *set,
                                             const VlBenchRecords  *records,
                                             const char            *system_name,
                                             const char            *layer,
                                             const char            *notes,
                                             const char            *stopped_reason);
/* A failed entry for every result of SET, for a configuration that produced no records at all. */
void            vl_bench_add_failed_system  (VlResultSet           *set,
                                             const char            *system_name,
                                             const char            *layer,
                                             const char            *notes,
                                             const char            *reason);

/* The runner's progress in one console LINE ("VLBENCH start …" → "start …"), or NULL. The marker is
 * looked for anywhere in the line: the firmware shares the serial console (SeaBIOS on Xen HVM) and
 * what it prints last may have no newline, so the runner's first line can come after other bytes. */
const char     *vl_bench_console_progress   (const char            *line);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlBenchRecords, vl_bench_records_free)

G_END_DECLS
