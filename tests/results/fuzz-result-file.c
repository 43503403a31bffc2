/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: any bytes given to the result file loader (and what follows a load) never crash. */
#include "config.h"

#include <stdint.h>
#include <libxml/parser.h>

#include "vl-result-file.h"
#include "vl-result-stats.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  static const char warm[] = "<PhoronixTestSuite><Result><Data/></Result></PhoronixTestSuite>";
  g_autoptr(VlResultSet) set = NULL;

  /* One-time globals of libxml2 and GLib are made here, not counted as leaks of an input. */
  xmlInitParser ();
  set = vl_result_file_load_data (warm, sizeof warm - 1, "warm-up", NULL);
  g_quark_from_static_string ("vl-error-quark");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VlResultSet) set = vl_result_file_load_data ((const char *) data, size, "fuzz.xml", &error);
  g_autoptr(VlResultSet) merged = NULL;

  if (set == NULL)
    {
      g_assert (error != NULL && error->message != NULL);
      return 0;
    }
  /* What the page does next with a loaded file: merge it twice, summarize it. */
  merged = vl_result_set_new ();
  vl_result_set_merge (merged, set);
  vl_result_set_merge (merged, set);
  if (merged->systems->len > 0)
    {
      const char *baseline = ((VlResultSystem *) g_ptr_array_index (merged->systems, 0))->identifier;
      g_autoptr(VlCategorySummary) summary = vl_stats_summarize (merged, VL_CATEGORY_ALL, baseline, NULL);

      g_assert (summary->scores->len == 0 || summary->ranking != NULL);
    }
  for (guint r = 0; r < merged->results->len; r++)
    {
      VlResult *result = g_ptr_array_index (merged->results, r);

      (void) vl_result_category (result);
      for (guint e = 0; e < result->entries->len; e++)
        {
          VlResultEntry *entry = g_ptr_array_index (result->entries, e);

          (void) vl_stats_standard_error ((double *) entry->raw->data, entry->raw->len);
        }
    }
  return 0;
}
