/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reads the benchmark guest's results disk (see data/bench/runner.sh) and turns it into PTS results. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "vl-bench-results.h"
#include "vl-error.h"
#include "vl-result-writer.h"

struct _VlBenchRecords
{
  GHashTable *values;   /* name -> char* (last one wins) */
  GPtrArray  *tests;    /* char*: test ids, in the order the runner defined them */
};

void
vl_bench_records_free (VlBenchRecords *records)
{
  g_clear_pointer (&records->values, g_hash_table_unref);
  g_clear_pointer (&records->tests, g_ptr_array_unref);
  g_free (records);
}

static gboolean
all_zero (const guint8 *data, gsize length)
{
  for (gsize i = 0; i < length; i++)
    if (data[i] != 0)
      return FALSE;
  return TRUE;
}

static gboolean
parse_size (const char *text, gsize len, guint64 *value)
{
  char buf[24];

  if (len == 0 || len >= sizeof buf)
    return FALSE;
  memcpy (buf, text, len);
  buf[len] = '\0';
  return g_ascii_string_to_unsigned (buf, 10, 0, G_MAXUINT32, value, NULL);
}

VlBenchRecords *
vl_bench_records_parse (const guint8 *data, gsize length, GError **error)
{
  g_autoptr(VlBenchRecords) records = g_new0 (VlBenchRecords, 1);
  g_autofree char *sum = NULL;
  const char *p = (const char *) data, *end, *line_end, *space1, *space2;
  guint64 payload_len;
  gsize header_len;

  if (length == 0 || all_zero (data, MIN (length, 4096)))
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_PARSE,
                           _("The guest wrote nothing to its results disk: the runner did not start"));
      return NULL;
    }
  line_end = memchr (p, '\n', MIN (length, 128));
  if (length < strlen (VL_BENCH_RESULTS_MAGIC) + 1 || memcmp (p, VL_BENCH_RESULTS_MAGIC " ", strlen (VL_BENCH_RESULTS_MAGIC) + 1) != 0
      || line_end == NULL)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_PARSE,
                           _("The results disk does not hold Virtlab benchmark results (its first bytes are not "
                             "the runner’s header)"));
      return NULL;
    }
  space1 = p + strlen (VL_BENCH_RESULTS_MAGIC);
  space2 = memchr (space1 + 1, ' ', line_end - space1 - 1);
  if (space2 == NULL || !parse_size (space1 + 1, space2 - space1 - 1, &payload_len)
      || line_end - space2 - 1 != 64)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_PARSE, _("The header of the results disk is damaged"));
      return NULL;
    }
  header_len = line_end - p + 1;
  if (payload_len > length - header_len)
    {
      g_autofree char *announced = g_strdup_printf ("%" G_GUINT64_FORMAT, payload_len);
      g_autofree char *follow = g_strdup_printf ("%" G_GSIZE_FORMAT, length - header_len);

      g_set_error (error, VL_ERROR, VL_ERROR_PARSE,
                   _("The results disk is cut short: its header announces %s bytes, %s follow"), announced, follow);
      return NULL;
    }
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data + header_len, payload_len);
  if (g_ascii_strncasecmp (sum, space2 + 1, 64) != 0)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_PARSE,
                           _("The results disk is damaged: its checksum does not match what it holds"));
      return NULL;
    }

  records->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  records->tests = g_ptr_array_new_with_free_func (g_free);
  p = (const char *) data + header_len;
  end = p + payload_len;
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p), *space;
      guint64 size;
      g_autofree char *name = NULL;

      space = nl != NULL ? memchr (p, ' ', nl - p) : NULL;
      if (nl == NULL || space == NULL || space == p || !parse_size (space + 1, nl - space - 1, &size)
          || size + 1 > (guint64) (end - nl - 1) || nl[1 + size] != '\n')
        {
          g_autofree char *offset = g_strdup_printf ("%" G_GSIZE_FORMAT, (gsize) (p - (const char *) data));

          g_set_error (error, VL_ERROR, VL_ERROR_PARSE,
                       _("The results disk is damaged at byte %s: a record cannot be read"), offset);
          return NULL;
        }
      name = g_strndup (p, space - p);
      if (g_str_has_prefix (name, "test.") && g_str_has_suffix (name, ".title"))
        {
          g_autofree char *id = g_strndup (name + 5, strlen (name) - 5 - strlen (".title"));

          if (!g_ptr_array_find_with_equal_func (records->tests, id, g_str_equal, NULL))
            g_ptr_array_add (records->tests, g_steal_pointer (&id));
        }
      g_hash_table_replace (records->values, g_steal_pointer (&name),
                            g_utf8_make_valid (nl + 1, (gssize) size));
      p = nl + 1 + size + 1;
    }
  if (g_strcmp0 (vl_bench_records_get (records, "format"), "1") != 0)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED,
                   _("The results disk is in format “%s”, which this version of Virtlab does not read"),
                   vl_bench_records_get (records, "format") ? vl_bench_records_get (records, "format") : "?");
      return NULL;
    }
  return g_steal_pointer (&records);
}

VlBenchRecords *
vl_bench_records_load (const char *path, GError **error)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, error);

  if (file == NULL)
    return NULL;
  return vl_bench_records_parse ((const guint8 *) g_mapped_file_get_contents (file),
                                 MIN (g_mapped_file_get_length (file), VL_BENCH_RESULTS_DISK_SIZE), error);
}

const char *
vl_bench_records_get (const VlBenchRecords *records, const char *name)
{
  return g_hash_table_lookup (records->values, name);
}

gboolean
vl_bench_records_complete (const VlBenchRecords *records)
{
  return g_strcmp0 (vl_bench_records_get (records, "status"), "complete") == 0;
}

GPtrArray *
vl_bench_records_tests (const VlBenchRecords *records)
{
  return records->tests;
}

guint
vl_bench_records_runs (const VlBenchRecords *records)
{
  guint64 runs = 0;

  if (!g_ascii_string_to_unsigned (vl_bench_records_get (records, "fact.runs") ?: "", 10, 1, 1000, &runs, NULL))
    return 0;
  return (guint) runs;
}

static const char *
get_or (const VlBenchRecords *records, const char *empty, const char *format, ...) G_GNUC_PRINTF (3, 4);

static const char *
get_or (const VlBenchRecords *records, const char *empty, const char *format, ...)
{
  g_autofree char *name = NULL;
  const char *value;
  va_list args;

  va_start (args, format);
  name = g_strdup_vprintf (format, args);
  va_end (args);
  value = vl_bench_records_get (records, name);
  return value != NULL && value[0] != '\0' ? value : empty;
}

static VlResult *
find_or_add_result (VlResultSet *set, const VlBenchRecords *records, const char *test)
{
  g_autofree char *identifier = g_strdup_printf ("virtlab/%s", get_or (records, test, "test.%s.profile", test));
  const char *arguments = get_or (records, "", "test.%s.arguments", test);
  const char *proportion = get_or (records, "", "test.%s.proportion", test);
  VlResult *result;

  for (guint i = 0; i < set->results->len; i++)
    {
      result = g_ptr_array_index (set->results, i);
      if (g_strcmp0 (result->identifier, identifier) == 0 && g_strcmp0 (result->arguments, arguments) == 0)
        return result;
    }
  result = vl_result_new ();
  result->identifier = g_steal_pointer (&identifier);
  result->title = g_strdup (get_or (records, test, "test.%s.title", test));
  /* PTS's AppVersion: the Debian package version of the tool, as the guest has it. */
  result->app_version = g_strdup (get_or (records, "", "test.%s.version", test));
  result->arguments = g_strdup (arguments);
  result->description = g_strdup (get_or (records, "", "test.%s.description", test));
  result->scale = g_strdup (get_or (records, "", "test.%s.unit", test));
  result->proportion = g_str_equal (proportion, "LIB") ? VL_PROPORTION_LIB
                       : g_str_equal (proportion, "HIB") ? VL_PROPORTION_HIB : VL_PROPORTION_NONE;
  result->display_format = g_strdup ("BAR_GRAPH");
  g_ptr_array_add (set->results, result);
  return result;
}

static void
json_member (GString *json, const char *name, const char *value)
{
  g_autofree char *quoted = vl_pts_error_json (value);   /* {"error":"…"}: reuse its escaping */

  g_string_append_printf (json, "%s\"%s\":%.*s", json->len > 1 ? "," : "", name,
                          (int) (strlen (quoted) - strlen ("{\"error\":") - 1), quoted + strlen ("{\"error\":"));
}

/* One entry from a test's runs: the mean of the runs that gave a figure, every run kept. */
static VlResultEntry *
make_entry (const VlBenchRecords *records, const char *test, const char *system_name, guint runs,
            const char *stopped_reason)
{
  VlResultEntry *entry = g_new0 (VlResultEntry, 1);
  g_autoptr(GString) times = g_string_new (NULL);
  g_autoptr(GString) errors = g_string_new (NULL);
  GString *json = g_string_new ("{");
  double sum = 0;
  guint ran = 0;

  entry->system = g_strdup (system_name);
  entry->raw = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 1; i <= runs; i++)
    {
      const char *value = get_or (records, NULL, "run.%s.%u.value", test, i);
      const char *error = get_or (records, NULL, "run.%s.%u.error", test, i);
      const char *seconds = get_or (records, NULL, "run.%s.%u.seconds", test, i);
      double number;
      char *end = NULL;

      if (seconds != NULL)
        g_string_append_printf (times, "%s%s", times->len > 0 ? ":" : "", seconds);
      if (value == NULL && error == NULL && seconds == NULL)
        continue;
      ran++;
      if (value != NULL)
        {
          number = g_ascii_strtod (value, &end);
          if (end != NULL && *end == '\0' && isfinite (number) && number > 0)
            {
              g_array_append_val (entry->raw, number);
              sum += number;
              continue;
            }
          error = "the figure is not a positive number";
        }
      g_string_append_printf (errors, "%srun %u: %s", errors->len > 0 ? "; " : "", i,
                              error != NULL ? error : "no figure");
    }
  if (times->len > 0)
    json_member (json, "test-run-times", times->str);
  if (entry->raw->len > 0)
    {
      entry->value = sum / entry->raw->len;
      entry->value_text = g_strdup_printf ("%.3f", entry->value);
      if (errors->len > 0)
        json_member (json, "failed-runs", errors->str);
    }
  else
    {
      entry->failed = TRUE;
      entry->value = NAN;
      entry->error = g_strdup (errors->len > 0 ? errors->str
                               : ran == 0 && stopped_reason != NULL ? stopped_reason
                               : "The test run did not produce a result.");
      json_member (json, "error", entry->error);
    }
  g_string_append_c (json, '}');
  entry->json = g_string_free (json, FALSE);
  return entry;
}

static VlResultSystem *
make_system (const char *name, const char *hardware, const char *software, const char *notes, const char *json)
{
  VlResultSystem *system = g_new0 (VlResultSystem, 1);

  system->identifier = g_strdup (name);
  system->hardware = g_strdup (hardware);
  system->software = g_strdup (software);
  system->user = g_strdup (g_get_user_name ());
  system->timestamp = vl_pts_timestamp (NULL);
  system->client_version = g_strdup (PACKAGE_VERSION);
  system->notes = g_strdup (notes != NULL ? notes : "");
  system->json = g_strdup (json);
  return system;
}

void
vl_bench_add_system (VlResultSet *set, const VlBenchRecords *records, const char *system_name,
                     const char *layer, const char *notes, const char *stopped_reason)
{
  guint64 memory_kib = 0;
  g_autofree char *hardware = NULL, *software = NULL;
  GString *json = g_string_new ("{");
  const char *facts[] = { "cpu_model", "vcpus", "memory_kib", "kernel", "hypervisor_sys", "xen_guest_type",
                          "hypervisor_cpuid", "cpuid_hypervisor_flag", "profile", "runs", "scratch_error" };
  guint runs = vl_bench_records_runs (records);

  g_ascii_string_to_unsigned (get_or (records, "0", "fact.memory_kib"), 10, 0, G_MAXUINT64, &memory_kib, NULL);
  hardware = g_strdup_printf ("Processor: %s (%s vCPUs), Memory: %" G_GUINT64_FORMAT "MB",
                              get_or (records, "?", "fact.cpu_model"), get_or (records, "?", "fact.vcpus"),
                              memory_kib / 1024);
  software = g_strdup_printf ("OS: %s, Kernel: %s (%s), System Layer: %s%s%s",
                              get_or (records, "?", "fact.os"), get_or (records, "?", "fact.kernel"),
                              get_or (records, "?", "fact.arch"), layer,
                              get_or (records, NULL, "fact.hypervisor_cpuid") != NULL ? ", CPUID: " : "",
                              get_or (records, "", "fact.hypervisor_cpuid"));
  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    {
      const char *value = get_or (records, NULL, "fact.%s", facts[i]);

      if (value != NULL)
        json_member (json, facts[i], value);
    }
  g_string_append_c (json, '}');
  g_ptr_array_add (set->systems, make_system (system_name, hardware, software, notes, json->str));
  g_string_free (json, TRUE);

  for (guint i = 0; i < records->tests->len; i++)
    {
      const char *test = g_ptr_array_index (records->tests, i);
      gboolean selected = get_or (records, NULL, "test.%s.selected", test) != NULL;
      VlResult *result;

      /* A test the profile left out is no result; one the guest never reached is a failed one. */
      if (!selected)
        continue;
      result = find_or_add_result (set, records, test);
      g_ptr_array_add (result->entries, make_entry (records, test, system_name, runs, stopped_reason));
    }
}

void
vl_bench_add_failed_system (VlResultSet *set, const char *system_name, const char *layer, const char *notes,
                            const char *reason)
{
  g_autofree char *software = g_strdup_printf ("System Layer: %s", layer);

  g_ptr_array_add (set->systems, make_system (system_name, "", software, notes, NULL));
  for (guint i = 0; i < set->results->len; i++)
    {
      VlResult *result = g_ptr_array_index (set->results, i);
      VlResultEntry *entry;

      if (vl_result_find_entry (result, system_name) != NULL)
        continue;
      entry = g_new0 (VlResultEntry, 1);
      entry->system = g_strdup (system_name);
      entry->raw = g_array_new (FALSE, FALSE, sizeof (double));
      entry->failed = TRUE;
      entry->value = NAN;
      entry->error = g_strdup (reason);
      g_ptr_array_add (result->entries, entry);
    }
}

const char *
vl_bench_console_progress (const char *line)
{
  const char *marker = strstr (line, "VLBENCH ");

  return marker != NULL ? marker + strlen ("VLBENCH ") : NULL;
}
