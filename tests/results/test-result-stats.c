/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the statistics (against values computed by hand) and of the bundled 2010 study. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vl-result-file.h"
#include "vl-result-stats.h"

#define CLOSE(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-6)

static void
test_mean_se (void)
{
  static const double values[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
  static const double one[] = { 42 };

  CLOSE (vl_stats_mean (values, 8), 5.0);
  /* Σ(x - 5)² = 32, s² = 32/7, SE = s/√8 = √(4/7). */
  CLOSE (vl_stats_standard_error (values, 8), sqrt (4.0 / 7.0));
  CLOSE (vl_stats_mean (one, 1), 42);
  g_assert_true (isnan (vl_stats_standard_error (one, 1)));
  g_assert_true (isnan (vl_stats_mean (NULL, 0)));
}

static void
test_relative (void)
{
  CLOSE (vl_stats_relative (150, 100, VL_PROPORTION_HIB), 1.5);
  /* Fewer is better: half the time is twice as good. */
  CLOSE (vl_stats_relative (50, 100, VL_PROPORTION_LIB), 2.0);
  CLOSE (vl_stats_relative (2885.10, 2304.17, VL_PROPORTION_LIB), 2304.17 / 2885.10);
  g_assert_true (isnan (vl_stats_relative (NAN, 100, VL_PROPORTION_HIB)));
  g_assert_true (isnan (vl_stats_relative (10, 0, VL_PROPORTION_HIB)));
  g_assert_true (isnan (vl_stats_relative (10, 10, VL_PROPORTION_NONE)));
}

static void
test_geometric_mean (void)
{
  static const double a[] = { 1, 2, 4 };
  static const double b[] = { 0.5, 2 };
  static const double c[] = { 3, 0 };

  CLOSE (vl_stats_geometric_mean (a, 3), 2.0);
  CLOSE (vl_stats_geometric_mean (b, 2), 1.0);
  g_assert_true (isnan (vl_stats_geometric_mean (c, 2)));
}

static void
test_categories (void)
{
  static const struct { const char *id; VlCategory category; } cases[] = {
    { "pts/build-linux-kernel-1.16.0", VL_CATEGORY_CPU },
    { "build-linux-kernel", VL_CATEGORY_CPU },
    { "pts/ffmpeg-2.8.0", VL_CATEGORY_CPU },
    { "encode-wavpack", VL_CATEGORY_CPU },
    { "pts/compress-zstd-1.6.0", VL_CATEGORY_CPU },
    { "pts/cachebench-1.1.2", VL_CATEGORY_MEMORY },
    { "pts/ramspeed-1.4.3", VL_CATEGORY_MEMORY },
    { "pts/stream-1.3.4", VL_CATEGORY_MEMORY },
    { "pts/dbench-1.0.2", VL_CATEGORY_DISK },
    { "pts/iozone-1.9.6", VL_CATEGORY_DISK },
    { "tiobench", VL_CATEGORY_DISK },
    { "pts/fio-2.1.0", VL_CATEGORY_DISK },
    { "pts/sqlite-speedtest-1.0.1", VL_CATEGORY_OTHER },
    { "pts/glmark2-1.3.0", VL_CATEGORY_OTHER },
    { "", VL_CATEGORY_OTHER },
    { NULL, VL_CATEGORY_OTHER },
  };
  VlCategory category;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (vl_category_for_profile (cases[i].id), ==, cases[i].category);
  g_assert_true (vl_category_from_id ("memory", &category));
  g_assert_cmpint (category, ==, VL_CATEGORY_MEMORY);
  g_assert_false (vl_category_from_id ("gpu", &category));
  g_assert_cmpstr (vl_category_get_id (VL_CATEGORY_DISK), ==, "disk");
}

static VlResultSet *
load (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv (dir), name, NULL);
  g_autoptr(GError) error = NULL;
  VlResultSet *set = vl_result_file_load (path, &error);

  g_assert_no_error (error);
  return set;
}

static void
test_summary_merged (void)
{
  g_autoptr(VlResultSet) a = load ("G_TEST_SRCDIR", "results/fixtures/merge-a.xml");
  g_autoptr(VlResultSet) b = load ("G_TEST_SRCDIR", "results/fixtures/merge-b.xml");
  g_autoptr(VlResultSet) set = vl_result_set_new ();
  g_autoptr(VlCategorySummary) all = NULL;
  g_autoptr(VlCategorySummary) memory = NULL;
  VlSystemScore *first, *second;

  vl_result_set_merge (set, a);
  vl_result_set_merge (set, b);
  all = vl_stats_summarize (set, VL_CATEGORY_ALL, "host-1", NULL);
  /* RAMspeed has no host-2 value: only Gzip (LIB) and Dbench (HIB) count. */
  g_assert_cmpuint (all->n_results, ==, 2);
  first = g_ptr_array_index (all->scores, 0);
  second = g_ptr_array_index (all->scores, 1);
  g_assert_cmpstr (first->system, ==, "host-1");
  CLOSE (first->geometric_mean, 1.0);
  g_assert_cmpstr (second->system, ==, "host-2");
  /* √((10.5 / 21) × (4.09 / 19.84)) */
  CLOSE (second->geometric_mean, sqrt (0.5 * 4.09 / 19.84));
  g_assert_cmpstr (all->ranking, ==, "host-1 > host-2");

  memory = vl_stats_summarize (set, VL_CATEGORY_MEMORY, "host-1", NULL);
  g_assert_cmpuint (memory->n_results, ==, 0);
  g_assert_null (memory->ranking);
}

static const char *const study_systems[] = { "Xen-PV", "Xen-HVM", "KVM-HVM", NULL };

/* The study's three tables, as printed (Chapter 4). */
static const struct {
  const char *test, *title, *variant, *unit;
  VlProportion proportion;
  VlCategory category;
  const char *values[3];
} study[] = {
  { "build-linux-kernel", "Timed Linux Kernel Compilation", "", "secs", VL_PROPORTION_LIB, VL_CATEGORY_CPU, { "2304.17", "2885.10", "3228.48" } },
  { "ffmpeg", "FFmpeg", "", "secs", VL_PROPORTION_LIB, VL_CATEGORY_CPU, { "20.87", "20.96", "21.79" } },
  { "encode-wavpack", "WavPack Audio Encoding", "", "secs", VL_PROPORTION_LIB, VL_CATEGORY_CPU, { "17.34", "18.16", "18.78" } },
  { "cachebench", "CacheBench", "Test: Read", "MB/s", VL_PROPORTION_HIB, VL_CATEGORY_MEMORY, { "2026.32", "2020.17", "2008.86" } },
  { "cachebench", "CacheBench", "Test: Write", "MB/s", VL_PROPORTION_HIB, VL_CATEGORY_MEMORY, { "7995.89", "8338.78", "7940.70" } },
  { "cachebench", "CacheBench", "Test: Read / Modify / Write", "MB/s", VL_PROPORTION_HIB, VL_CATEGORY_MEMORY, { "16612.87", "16564.89", "16436.59" } },
  { "ramspeed", "RAMspeed", "Benchmark: Integer", "MB/s", VL_PROPORTION_HIB, VL_CATEGORY_MEMORY, { "3934.79", "3663.37", "3872.83" } },
  { "ramspeed", "RAMspeed", "Benchmark: Floating Point", "MB/s", VL_PROPORTION_HIB, VL_CATEGORY_MEMORY, { "3961.87", "3688.82", "3910.84" } },
  { "dbench", "Dbench", "Client Count: 128", "MB/s", VL_PROPORTION_HIB, VL_CATEGORY_DISK, { "19.84", "11.56", "4.09" } },
  { "iozone", "IOzone", "Record Size: 1MB - File Size: 4GB - Write Performance", "MB/s", VL_PROPORTION_HIB, VL_CATEGORY_DISK, { "14.27", "9.77", "8.22" } },
  { "iozone", "IOzone", "Record Size: 1MB - File Size: 4GB - Read Performance", "MB/s", VL_PROPORTION_HIB, VL_CATEGORY_DISK, { "13.14", "27.24", "8.06" } },
  { "tiobench", "Threaded I/O Tester", "Test: Random Read - Size: 256MB - Thread Count: 32", "MB/s", VL_PROPORTION_HIB, VL_CATEGORY_DISK, { "0.43", "0.17", "0.24" } },
};

static void
test_study_numbers (void)
{
  g_autoptr(VlResultSet) set = load ("VL_TOP_SRCDIR", "data/results/xen-kvm-2010.xml");
  g_autoptr(GHashTable) tests = g_hash_table_new (g_str_hash, g_str_equal);
  guint values = 0;

  g_assert_cmpuint (set->systems->len, ==, 3);
  for (guint s = 0; s < 3; s++)
    {
      VlResultSystem *system = g_ptr_array_index (set->systems, s);

      g_assert_cmpstr (system->identifier, ==, study_systems[s]);
      g_assert_nonnull (strstr (system->hardware, "Core 2 Quad Q6600"));
      g_assert_nonnull (strstr (system->hardware, "Host Memory: 4096MB"));
      g_assert_nonnull (strstr (system->hardware, "Guest: 1 CPU"));
      g_assert_nonnull (strstr (system->hardware, "Guest Memory: 1024MB"));
      g_assert_nonnull (strstr (system->hardware, "Guest Disk: 10GB"));
      g_assert_nonnull (strstr (system->hardware, "Guest Swap: 500MB"));
      g_assert_nonnull (strstr (system->software, "Debian Lenny 5.0.5"));
      g_assert_nonnull (strstr (system->software, "Kernel: 2.6.26-2"));
      g_assert_nonnull (strstr (system->software, "Xen: 3.2.1"));
      g_assert_nonnull (strstr (system->software, "KVM: 72"));
      g_assert_cmpstr (system->client_version, ==, "2.8");
    }

  /* 12 results, one per figure, in the figures' order. */
  g_assert_cmpuint (set->results->len, ==, G_N_ELEMENTS (study));
  for (guint r = 0; r < G_N_ELEMENTS (study); r++)
    {
      VlResult *result = g_ptr_array_index (set->results, r);

      g_assert_cmpstr (result->identifier, ==, study[r].test);
      g_assert_cmpstr (result->title, ==, study[r].title);
      g_assert_cmpstr (result->description, ==, study[r].variant);
      g_assert_cmpstr (result->scale, ==, study[r].unit);
      g_assert_cmpint (result->proportion, ==, study[r].proportion);
      g_assert_cmpint (vl_result_category (result), ==, study[r].category);
      g_assert_true (vl_result_is_bar_graph (result));
      g_assert_cmpuint (result->entries->len, ==, 3);
      for (guint s = 0; s < 3; s++)
        {
          VlResultEntry *entry = vl_result_find_entry (result, study_systems[s]);

          g_assert_cmpstr (entry->value_text, ==, study[r].values[s]);
          g_assert_cmpfloat (entry->value, ==, g_ascii_strtod (study[r].values[s], NULL));
          values++;
        }
      g_hash_table_add (tests, result->identifier);
    }
  g_assert_cmpuint (values, ==, 36);
  g_assert_cmpuint (g_hash_table_size (tests), ==, 8);
}

/* The study concludes Xen-PV > Xen-HVM > KVM-HVM for CPU and disk; for memory Xen-PV leads, and
 * in its data KVM-HVM beats Xen-HVM on RAMspeed (integer and floating point), which outweighs
 * Xen-HVM's CacheBench lead in the geometric mean. */
static void
test_study_ranking (void)
{
  g_autoptr(VlResultSet) set = load ("VL_TOP_SRCDIR", "data/results/xen-kvm-2010.xml");
  static const struct { VlCategory category; const char *ranking; guint n; double hvm, kvm; } expect[] = {
    { VL_CATEGORY_CPU, "Xen-PV > Xen-HVM > KVM-HVM", 3, 0.9123035306, 0.8577848677 },
    { VL_CATEGORY_MEMORY, "Xen-PV > KVM-HVM > Xen-HVM", 5, 0.9788613705, 0.9890436869 },
    { VL_CATEGORY_DISK, "Xen-PV > Xen-HVM > KVM-HVM", 4, 0.7561705168, 0.4490327186 },
    { VL_CATEGORY_ALL, "Xen-PV > Xen-HVM > KVM-HVM", 12, 0.8824875384, 0.7335736202 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      g_autoptr(VlCategorySummary) summary = vl_stats_summarize (set, expect[i].category, "Xen-PV",
                                                                 study_systems);
      g_autoptr(VlCategorySummary) other_base = vl_stats_summarize (set, expect[i].category, "KVM-HVM",
                                                                    NULL);

      g_assert_cmpstr (summary->ranking, ==, expect[i].ranking);
      g_assert_cmpuint (summary->n_results, ==, expect[i].n);
      for (guint s = 0; s < 3; s++)
        {
          VlSystemScore *score = g_ptr_array_index (summary->scores, s);
          double want = g_str_equal (score->system, "Xen-PV") ? 1.0 :
                        g_str_equal (score->system, "Xen-HVM") ? expect[i].hvm : expect[i].kvm;

          g_assert_cmpfloat_with_epsilon (score->geometric_mean, want, 1e-9);
        }
      /* The order does not depend on the baseline. */
      g_assert_cmpstr (other_base->ranking, ==, expect[i].ranking);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/results/stats/mean-se", test_mean_se);
  g_test_add_func ("/results/stats/relative", test_relative);
  g_test_add_func ("/results/stats/geometric-mean", test_geometric_mean);
  g_test_add_func ("/results/stats/categories", test_categories);
  g_test_add_func ("/results/stats/summary-merged", test_summary_merged);
  g_test_add_func ("/results/study/numbers", test_study_numbers);
  g_test_add_func ("/results/study/ranking", test_study_ranking);
  return g_test_run ();
}
