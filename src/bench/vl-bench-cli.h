/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The headless benchmark command: virtlab --run-benchmarks --config URI,MODE[,NAME] … */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs the benchmarks the options ask for, printing progress; returns the exit status:
 * 0 all configurations gave their results, 1 some failed or were cancelled (the file holds
 * what was gathered), 2 bad input (nothing was created). */
int vl_bench_cli_run (GVariantDict *options);

G_END_DECLS
