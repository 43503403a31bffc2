/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Statistics over results: mean, standard error, relative performance, per-category summaries. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "vl-result-stats.h"

double
vl_stats_mean (const double *values, guint n)
{
  double sum = 0;

  if (n == 0)
    return NAN;
  for (guint i = 0; i < n; i++)
    sum += values[i];
  return sum / n;
}

/* The sample standard deviation (n - 1) over √n, as PTS computes it for its error bars. */
double
vl_stats_standard_error (const double *values, guint n)
{
  double mean, sum = 0;

  if (n < 2)
    return NAN;
  mean = vl_stats_mean (values, n);
  for (guint i = 0; i < n; i++)
    sum += (values[i] - mean) * (values[i] - mean);
  return sqrt (sum / (n - 1)) / sqrt (n);
}

/* How much better than the baseline, as a ratio: 1.25 = 25 % better. Fewer-is-better results are
 * inverted so that above 1 always means better. */
double
vl_stats_relative (double value, double baseline, VlProportion proportion)
{
  if (!isfinite (value) || !isfinite (baseline) || value <= 0 || baseline <= 0)
    return NAN;
  switch (proportion)
    {
    case VL_PROPORTION_HIB:
      return value / baseline;
    case VL_PROPORTION_LIB:
      return baseline / value;
    case VL_PROPORTION_NONE:
    default:
      return NAN;
    }
}

double
vl_stats_geometric_mean (const double *values, guint n)
{
  double log_sum = 0;

  if (n == 0)
    return NAN;
  for (guint i = 0; i < n; i++)
    {
      if (!(values[i] > 0))
        return NAN;
      log_sum += log (values[i]);
    }
  return exp (log_sum / n);
}

/* Test profile -> category. A name ending in '*' is a prefix. Extend here when a profile shows up
 * in the wrong place; the first match wins, so put exceptions before prefixes. */
static const struct { const char *profile; VlCategory category; } profile_categories[] = {
  /* memory */
  { "cachebench", VL_CATEGORY_MEMORY },
  { "ramspeed", VL_CATEGORY_MEMORY },
  { "stream", VL_CATEGORY_MEMORY },
  { "mbw", VL_CATEGORY_MEMORY },
  { "sysbench-memory", VL_CATEGORY_MEMORY },   /* Virtlab's benchmark guest (data/bench/runner.sh) */
  { "tinymembench", VL_CATEGORY_MEMORY },
  { "t-test1", VL_CATEGORY_MEMORY },
  { "intel-mlc", VL_CATEGORY_MEMORY },
  { "pmbench", VL_CATEGORY_MEMORY },
  /* disk */
  { "dbench", VL_CATEGORY_DISK },
  { "iozone", VL_CATEGORY_DISK },
  { "tiobench", VL_CATEGORY_DISK },
  { "fio", VL_CATEGORY_DISK },
  { "fs-mark", VL_CATEGORY_DISK },
  { "aio-stress", VL_CATEGORY_DISK },
  { "bonnie", VL_CATEGORY_DISK },
  { "postmark", VL_CATEGORY_DISK },
  { "compilebench", VL_CATEGORY_DISK },
  { "blogbench", VL_CATEGORY_DISK },
  { "sqlite", VL_CATEGORY_DISK },
  { "unpack-linux", VL_CATEGORY_DISK },
  { "ior", VL_CATEGORY_DISK },
  /* processor */
  { "build-*", VL_CATEGORY_CPU },
  { "compress-*", VL_CATEGORY_CPU },
  { "encode-*", VL_CATEGORY_CPU },
  { "ffmpeg", VL_CATEGORY_CPU },
  { "sysbench-cpu", VL_CATEGORY_CPU },        /* Virtlab's benchmark guest */
  { "wavpack", VL_CATEGORY_CPU },
  { "x264", VL_CATEGORY_CPU },
  { "x265", VL_CATEGORY_CPU },
  { "john-the-ripper", VL_CATEGORY_CPU },
  { "npb", VL_CATEGORY_CPU },
  { "openssl", VL_CATEGORY_CPU },
  { "botan", VL_CATEGORY_CPU },
  { "gcrypt", VL_CATEGORY_CPU },
  { "aircrack-ng", VL_CATEGORY_CPU },
  { "fftw", VL_CATEGORY_CPU },
  { "scimark2", VL_CATEGORY_CPU },
  { "c-ray", VL_CATEGORY_CPU },
  { "povray", VL_CATEGORY_CPU },
  { "blender", VL_CATEGORY_CPU },
  { "smallpt", VL_CATEGORY_CPU },
  { "himeno", VL_CATEGORY_CPU },
  { "primesieve", VL_CATEGORY_CPU },
  { "coremark", VL_CATEGORY_CPU },
  { "crafty", VL_CATEGORY_CPU },
  { "stockfish", VL_CATEGORY_CPU },
  { "tscp", VL_CATEGORY_CPU },
  { "luajit", VL_CATEGORY_CPU },
  { "mafft", VL_CATEGORY_CPU },
  { "hmmer", VL_CATEGORY_CPU },
  { "ngspice", VL_CATEGORY_CPU },
  { "z3", VL_CATEGORY_CPU },
  { "draco", VL_CATEGORY_CPU },
  { "espeak", VL_CATEGORY_CPU },
  { "rnnoise", VL_CATEGORY_CPU },
  { "simdjson", VL_CATEGORY_CPU },
  { "tjbench", VL_CATEGORY_CPU },
  { "graphics-magick", VL_CATEGORY_CPU },
  { "gzip", VL_CATEGORY_CPU },
  { "7zip", VL_CATEGORY_CPU },
  { "pbzip2", VL_CATEGORY_CPU },
};

/* "pts/iozone-1.9.6" -> "iozone"; a 2.x TestName has neither repository nor version. */
static char *
profile_name (const char *identifier)
{
  const char *slash = strrchr (identifier, '/');
  char *name = g_strdup (slash != NULL ? slash + 1 : identifier);
  char *dash = strrchr (name, '-');

  if (dash != NULL && g_ascii_isdigit (dash[1]) && strspn (dash + 1, "0123456789.") == strlen (dash + 1))
    *dash = '\0';
  return name;
}

VlCategory
vl_category_for_profile (const char *test_identifier)
{
  g_autofree char *name = NULL;

  if (test_identifier == NULL || test_identifier[0] == '\0')
    return VL_CATEGORY_OTHER;
  name = profile_name (test_identifier);
  for (guint i = 0; i < G_N_ELEMENTS (profile_categories); i++)
    {
      const char *profile = profile_categories[i].profile;
      gsize len = strlen (profile);

      if (profile[len - 1] == '*' ? strncmp (name, profile, len - 1) == 0 : strcmp (name, profile) == 0)
        return profile_categories[i].category;
    }
  return VL_CATEGORY_OTHER;
}

/* "Test Install Time/Size" pseudo-results carry no identifier: they measure PTS, not the system. */
VlCategory
vl_result_category (const VlResult *result)
{
  return vl_category_for_profile (result->identifier);
}

static const struct { const char *id; const char *label; } categories[] = {
  [VL_CATEGORY_ALL] = { "all", N_("All") },
  [VL_CATEGORY_CPU] = { "cpu", N_("CPU") },
  [VL_CATEGORY_MEMORY] = { "memory", N_("Memory") },
  [VL_CATEGORY_DISK] = { "disk", N_("Disk") },
  [VL_CATEGORY_OTHER] = { "other", N_("Other") },
};

const char *
vl_category_get_label (VlCategory category)
{
  g_return_val_if_fail (category <= VL_CATEGORY_OTHER, NULL);
  return _(categories[category].label);
}

const char *
vl_category_get_id (VlCategory category)
{
  g_return_val_if_fail (category <= VL_CATEGORY_OTHER, NULL);
  return categories[category].id;
}

gboolean
vl_category_from_id (const char *id, VlCategory *category)
{
  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (g_strcmp0 (categories[i].id, id) == 0)
      {
        *category = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
vl_category_includes (VlCategory filter, const VlResult *result)
{
  return filter == VL_CATEGORY_ALL || vl_result_category (result) == filter;
}

/* The value a system scored in a result: its first run that produced one, as PTS's CSV export. */
double
vl_result_entry_value (const VlResult *result, const char *system)
{
  for (guint i = 0; i < result->entries->len; i++)
    {
      VlResultEntry *entry = g_ptr_array_index (result->entries, i);

      if (!entry->failed && g_strcmp0 (entry->system, system) == 0)
        return entry->value;
    }
  return NAN;
}

static void
vl_system_score_free (VlSystemScore *score)
{
  g_free (score->system);
  g_free (score);
}

void
vl_category_summary_free (VlCategorySummary *summary)
{
  if (summary == NULL)
    return;
  g_ptr_array_unref (summary->scores);
  g_free (summary->ranking);
  g_free (summary);
}

static int
compare_scores (gconstpointer a, gconstpointer b)
{
  const VlSystemScore *x = *(VlSystemScore * const *) a;
  const VlSystemScore *y = *(VlSystemScore * const *) b;

  return (x->geometric_mean < y->geometric_mean) - (x->geometric_mean > y->geometric_mean);
}

/* Each system's geometric mean of its performance relative to the baseline, over the results of
 * the category that every system (baseline included) has a value for: a system missing a result
 * would otherwise be compared on other ground than the rest. */
VlCategorySummary *
vl_stats_summarize (const VlResultSet *set, VlCategory category, const char *baseline,
                    const char * const *systems)
{
  VlCategorySummary *summary = g_new0 (VlCategorySummary, 1);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) logs = NULL;
  g_autoptr(GString) ranking = g_string_new (NULL);
  guint n;

  summary->category = category;
  summary->scores = g_ptr_array_new_with_free_func ((GDestroyNotify) vl_system_score_free);
  if (systems != NULL)
    for (guint i = 0; systems[i] != NULL; i++)
      g_ptr_array_add (names, (gpointer) systems[i]);
  else
    for (guint i = 0; i < set->systems->len; i++)
      g_ptr_array_add (names, ((VlResultSystem *) g_ptr_array_index (set->systems, i))->identifier);
  n = names->len;
  logs = g_array_new (FALSE, TRUE, sizeof (double));
  g_array_set_size (logs, n);
  if (n == 0 || baseline == NULL)
    return summary;

  for (guint r = 0; r < set->results->len; r++)
    {
      const VlResult *result = g_ptr_array_index (set->results, r);
      g_autofree double *rel = NULL;
      double base;
      gboolean complete = TRUE;

      /* No identifier: PTS's own "Test Install Time/Size", which says nothing about the system. */
      if (!vl_result_is_bar_graph (result) || result->proportion == VL_PROPORTION_NONE ||
          result->identifier == NULL || result->identifier[0] == '\0' ||
          !vl_category_includes (category, result))
        continue;
      base = vl_result_entry_value (result, baseline);
      rel = g_new (double, n);
      for (guint s = 0; s < n && complete; s++)
        {
          rel[s] = vl_stats_relative (vl_result_entry_value (result, names->pdata[s]), base,
                                      result->proportion);
          complete = isfinite (rel[s]);
        }
      if (!complete)
        continue;
      for (guint s = 0; s < n; s++)
        g_array_index (logs, double, s) += log (rel[s]);
      summary->n_results++;
    }
  if (summary->n_results == 0)
    return summary;

  for (guint s = 0; s < n; s++)
    {
      VlSystemScore *score = g_new0 (VlSystemScore, 1);

      score->system = g_strdup (names->pdata[s]);
      score->geometric_mean = exp (g_array_index (logs, double, s) / summary->n_results);
      g_ptr_array_add (summary->scores, score);
    }
  /* Stable: systems that score the same keep the user's order. */
  g_ptr_array_sort (summary->scores, compare_scores);
  for (guint s = 0; s < n; s++)
    {
      VlSystemScore *score = g_ptr_array_index (summary->scores, s);

      if (s > 0)
        {
          VlSystemScore *prev = g_ptr_array_index (summary->scores, s - 1);
          gboolean same = fabs (prev->geometric_mean - score->geometric_mean) <
                          0.0005 * prev->geometric_mean;

          g_string_append (ranking, same ? " = " : " > ");
        }
      g_string_append (ranking, score->system);
    }
  summary->ranking = g_string_free (g_steal_pointer (&ranking), FALSE);
  return summary;
}
