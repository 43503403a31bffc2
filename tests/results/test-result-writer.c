/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the PTS result writer: every file written validates against PTS's schema (xmllint) and
 * reads back through Virtlab's own loader with the same numbers; saving never overwrites. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "vl-error.h"
#include "vl-result-file.h"
#include "vl-result-writer.h"

static char *
schema_path (void)
{
  const char *override = g_getenv ("VL_PTS_SCHEMA");

  if (override != NULL && override[0] != '\0')
    return g_strdup (override);
  return g_build_filename (g_getenv ("G_TEST_SRCDIR"), "results", "schema", "pts-result-file.xsd", NULL);
}

static char *
schema_dir_file (const char *name)
{
  return g_build_filename (g_getenv ("G_TEST_SRCDIR"), "results", "schema", name, NULL);
}

/* xmllint --schema: TRUE when valid; its complaint in *message otherwise. */
static gboolean
xmllint_valid (const char *path, char **message)
{
  g_autofree char *schema = schema_path ();
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "xmllint", "--noout", "--nonet", "--schema", schema, path, NULL };
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (message != NULL)
    *message = g_strdup (err);
  return g_spawn_check_wait_status (status, NULL);
}

static void
assert_valid (const char *path)
{
  g_autofree char *message = NULL;

  if (!xmllint_valid (path, &message))
    g_error ("%s does not validate: %s", path, message);
}

static VlResultEntry *
entry_new (const char *system, const double *runs, guint n, const char *error)
{
  VlResultEntry *entry = g_new0 (VlResultEntry, 1);
  double sum = 0;

  entry->system = g_strdup (system);
  entry->raw = g_array_new (FALSE, FALSE, sizeof (double));
  if (error != NULL)
    {
      entry->failed = TRUE;
      entry->value = NAN;
      entry->error = g_strdup (error);
      return entry;
    }
  for (guint i = 0; i < n; i++)
    {
      g_array_append_val (entry->raw, runs[i]);
      sum += runs[i];
    }
  entry->value = sum / n;
  entry->value_text = g_strdup_printf ("%.3f", entry->value);
  return entry;
}

static VlResult *
result_new (const char *id, const char *title, const char *description, const char *scale, VlProportion p)
{
  VlResult *result = vl_result_new ();

  result->identifier = g_strdup (id);
  result->title = g_strdup (title);
  result->app_version = g_strdup ("1.0.20+ds-1");
  result->arguments = g_strdup ("--threads=2");
  result->description = g_strdup (description);
  result->scale = g_strdup (scale);
  result->proportion = p;
  result->display_format = g_strdup ("BAR_GRAPH");
  return result;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static GPtrArray *tmp_dirs;

/* A fresh folder, removed when all tests ran (kept for a look when one fails: it aborts). */
static char *
make_tmp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("vl-writer-XXXXXX", &error);

  g_assert_no_error (error);
  g_ptr_array_add (tmp_dirs, g_strdup (dir));
  return dir;
}

static VlResultSystem *
system_new (const char *name)
{
  VlResultSystem *system = g_new0 (VlResultSystem, 1);

  system->identifier = g_strdup (name);
  system->hardware = g_strdup ("Processor: QEMU Virtual CPU version 2.5+ (2 Cores), Memory: 1024MB");
  system->software = g_strdup ("OS: Debian 12, Kernel: 6.1.0-27-amd64 (x86_64), System Layer: QEMU TCG");
  system->user = g_strdup ("tester");
  system->timestamp = g_strdup ("2026-12-06 01:02:03");
  system->client_version = g_strdup ("Virtlab 0.1");
  system->notes = g_strdup ("Host: test & <bench>");
  return system;
}

/* Two systems, three results: more is better, fewer is better, and one whose run failed in B. */
static VlResultSet *
make_set (void)
{
  static const double cpu_a[] = { 1303.914, 1299.5, 1310.25 };
  static const double cpu_b[] = { 1001.0, 999.125, 1002.75 };
  static const double sec_a[] = { 12.5, 12.75, 12.625 };
  static const double sec_b[] = { 20.0, 21.5, 19.25 };
  static const double io_a[] = { 95.5, 97.0, 96.25 };
  VlResultSet *set = vl_result_set_new ();
  VlResult *result;

  set->title = g_strdup ("Virtlab benchmarks: A vs B");
  set->description = g_strdup ("Quick profile, 3 runs, on “testhost”.");
  set->notes = g_strdup ("Incomplete: B did not finish.");
  g_ptr_array_add (set->systems, system_new ("KVM-HVM"));
  g_ptr_array_add (set->systems, system_new ("QEMU-TCG <2>"));

  result = result_new ("virtlab/sysbench-cpu", "sysbench CPU", "Events per second, 2 threads", "Events/s",
                       VL_PROPORTION_HIB);
  g_ptr_array_add (result->entries, entry_new ("KVM-HVM", cpu_a, 3, NULL));
  g_ptr_array_add (result->entries, entry_new ("QEMU-TCG <2>", cpu_b, 3, NULL));
  g_ptr_array_add (set->results, result);

  result = result_new ("virtlab/wavpack", "WavPack Audio Encoding", "wavpack -hhx3 of 60 s of WAV",
                       "Seconds", VL_PROPORTION_LIB);
  g_ptr_array_add (result->entries, entry_new ("KVM-HVM", sec_a, 3, NULL));
  g_ptr_array_add (result->entries, entry_new ("QEMU-TCG <2>", sec_b, 3, NULL));
  g_ptr_array_add (set->results, result);

  result = result_new ("virtlab/fio-seqread", "fio sequential read", "1 MiB blocks", "MiB/s", VL_PROPORTION_HIB);
  g_ptr_array_add (result->entries, entry_new ("KVM-HVM", io_a, 3, NULL));
  g_ptr_array_add (result->entries, entry_new ("QEMU-TCG <2>", NULL, 0, "fio exited with status 1: \"No space\"\n"));
  g_ptr_array_add (set->results, result);
  return set;
}

static void
assert_same (const VlResultSet *want, const VlResultSet *got)
{
  g_assert_cmpstr (got->title, ==, want->title);
  g_assert_cmpstr (got->description, ==, want->description);
  g_assert_cmpstr (got->notes, ==, want->notes);
  g_assert_true (vl_pts_timestamp_is_valid (got->last_modified));
  g_assert_cmpuint (got->systems->len, ==, want->systems->len);
  for (guint i = 0; i < want->systems->len; i++)
    {
      const VlResultSystem *a = g_ptr_array_index (want->systems, i), *b = g_ptr_array_index (got->systems, i);

      g_assert_cmpstr (b->identifier, ==, a->identifier);
      g_assert_cmpstr (b->hardware, ==, a->hardware);
      g_assert_cmpstr (b->software, ==, a->software);
      g_assert_cmpstr (b->timestamp, ==, a->timestamp);
      g_assert_cmpstr (b->notes, ==, a->notes);
    }
  g_assert_cmpuint (got->results->len, ==, want->results->len);
  for (guint i = 0; i < want->results->len; i++)
    {
      const VlResult *a = g_ptr_array_index (want->results, i), *b = g_ptr_array_index (got->results, i);

      g_assert_cmpstr (b->identifier, ==, a->identifier);
      g_assert_cmpstr (b->title, ==, a->title);
      g_assert_cmpstr (b->app_version, ==, a->app_version);
      g_assert_cmpstr (b->description, ==, a->description);
      g_assert_cmpstr (b->scale, ==, a->scale);
      g_assert_cmpint (b->proportion, ==, a->proportion);
      g_assert_cmpuint (b->entries->len, ==, a->entries->len);
      for (guint j = 0; j < a->entries->len; j++)
        {
          const VlResultEntry *x = g_ptr_array_index (a->entries, j), *y = g_ptr_array_index (b->entries, j);

          g_assert_cmpstr (y->system, ==, x->system);
          g_assert_cmpint (y->failed, ==, x->failed);
          if (x->failed)
            {
              g_assert_true (isnan (y->value));
              g_assert_cmpstr (y->error, ==, x->error);
              continue;
            }
          g_assert_cmpfloat (y->value, ==, g_ascii_strtod (x->value_text, NULL));
          g_assert_cmpuint (y->raw->len, ==, x->raw->len);
          for (guint k = 0; k < x->raw->len; k++)
            g_assert_cmpfloat (g_array_index (y->raw, double, k), ==, g_array_index (x->raw, double, k));
        }
    }
}

static void
test_round_trip (void)
{
  g_autoptr(VlResultSet) set = make_set ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_tmp ();
  g_autofree char *data = g_build_filename (dir, "data", NULL);
  g_autofree char *pts = g_build_filename (dir, "pts", NULL);
  g_autofree char *saved = NULL, *pts_path = NULL, *expected = NULL, *saved_text = NULL, *pts_text = NULL;
  g_autoptr(VlResultSet) back = NULL;

  g_assert_no_error (error);
  g_assert_true (vl_result_set_save_pts (set, "A vs B", data, pts, &saved, &pts_path, &error));
  g_assert_no_error (error);
  expected = g_build_filename (data, "a-vs-b.xml", NULL);
  g_assert_cmpstr (saved, ==, expected);
  g_free (expected);
  expected = g_build_filename (pts, "a-vs-b", "composite.xml", NULL);
  g_assert_cmpstr (pts_path, ==, expected);

  assert_valid (saved);
  assert_valid (pts_path);
  g_assert_true (g_file_get_contents (saved, &saved_text, NULL, NULL));
  g_assert_true (g_file_get_contents (pts_path, &pts_text, NULL, NULL));
  g_assert_cmpstr (saved_text, ==, pts_text);
  /* The failed run, the way PTS stores it: empty Value and RawString, the reason in JSON. */
  g_assert_nonnull (strstr (saved_text, "<Value></Value>\n        <RawString></RawString>\n        "
                                        "<JSON>{\"error\":\"fio exited with status 1: \\\"No space\\\"\\n\"}</JSON>"));
  g_assert_nonnull (strstr (saved_text, "<RawString>1303.914:1299.5:1310.25</RawString>"));

  back = vl_result_file_load (saved, &error);
  g_assert_no_error (error);
  assert_same (set, back);
  g_test_message ("%s", saved_text);
}

static void
test_never_overwrites (void)
{
  g_autoptr(VlResultSet) set = make_set ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_tmp ();
  g_autofree char *first = NULL, *first_pts = NULL, *second = NULL, *second_pts = NULL;
  g_autofree char *first_text = NULL, *after = NULL;

  g_assert_true (vl_result_set_save_pts (set, "same", dir, dir, &first, &first_pts, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (first, &first_text, NULL, NULL));

  g_free (set->title);
  set->title = g_strdup ("The second comparison");
  g_assert_true (vl_result_set_save_pts (set, "same", dir, dir, &second, &second_pts, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (second, !=, first);
  g_assert_true (g_str_has_suffix (second, "same-2.xml"));
  g_assert_true (g_str_has_suffix (second_pts, "same-2/composite.xml"));
  g_assert_true (g_file_get_contents (first, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, first_text);
  assert_valid (second_pts);
}

/* What the schema refuses, the writer refuses first, naming the culprit; nothing is written. */
static void
test_bad_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_tmp ();
  g_autoptr(GDir) listing = NULL;
  struct {
    const char *what, *expect;
  } cases[] = {
    { "long result title", "its length is 55, and from 2 to 50 characters" },
    { "short result title", "its length is 1, and from 2 to 50 characters" },
    { "bad date", "2026/12/06" },
    { "empty system name", "its length is 0, and from 1 to 128 characters" },
    { "no results", "at least one system and one result" },
    { "long set title", "from 1 to 126 characters" },
    { "bad display format", "PIE_CHART" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VlResultSet) set = make_set ();
      VlResult *first = g_ptr_array_index (set->results, 0);
      VlResultSystem *system = g_ptr_array_index (set->systems, 0);
      g_autofree char *xml = NULL;

      switch (i)
        {
        case 0:
          g_free (first->title);
          first->title = g_strdup ("A title that is longer than the fifty characters of PTS");
          break;
        case 1:
          g_free (first->title);
          first->title = g_strdup ("X");
          break;
        case 2:
          g_free (system->timestamp);
          system->timestamp = g_strdup ("2026/12/06 01:02:03");
          break;
        case 3:
          g_free (system->identifier);
          system->identifier = g_strdup ("");
          break;
        case 4:
          g_ptr_array_set_size (set->results, 0);
          break;
        case 5:
          g_free (set->title);
          set->title = g_strnfill (127, 'x');
          break;
        case 6:
          g_free (first->display_format);
          first->display_format = g_strdup ("PIE_CHART");
          break;
        }
      g_clear_error (&error);
      g_assert_false (vl_result_set_save_pts (set, "bad", dir, dir, NULL, NULL, &error));
      g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
      g_test_message ("%s: %s", cases[i].what, error->message);
      g_assert_nonnull (strstr (error->message, cases[i].expect));
      g_clear_error (&error);
      xml = vl_result_set_to_pts_xml (set, &error);
      g_assert_null (xml);
    }
  listing = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));
}

/* Control characters and broken UTF-8 from a tool's output still make a valid file. */
static void
test_unclean_text (void)
{
  g_autoptr(VlResultSet) set = make_set ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_tmp ();
  g_autofree char *path = NULL;
  g_autoptr(VlResultSet) back = NULL;
  VlResultSystem *system = g_ptr_array_index (set->systems, 0);

  g_free (system->notes);
  system->notes = g_strdup ("bell\a, escape\033[0m, bad byte \xff, 中文 fine");
  g_assert_true (vl_result_set_save_pts (set, "unclean", dir, NULL, &path, NULL, &error));
  g_assert_no_error (error);
  assert_valid (path);
  back = vl_result_file_load (path, &error);
  g_assert_no_error (error);
  system = g_ptr_array_index (back->systems, 0);
  g_assert_cmpstr (system->notes, ==, "bell\xef\xbf\xbd, escape\xef\xbf\xbd[0m, bad byte \xef\xbf\xbd, 中文 fine");
}

/* The schema is no stricter than PTS: real PTS files validate; and it can fail. A real file read
 * and written again keeps every number. */
static void
test_schema_and_real_files (void)
{
  static const char *const samples[] = { "03-docker-kernel-build-lib-pts1083.xml",
                                         "07-gvn-o2-142results-pts1084.xml" };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_tmp ();

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *sample = schema_dir_file (samples[i]);
      g_autoptr(VlResultSet) set = NULL, back = NULL;
      g_autofree char *path = NULL;
      guint numbers = 0;

      assert_valid (sample);
      set = vl_result_file_load (sample, &error);
      g_assert_no_error (error);
      g_assert_true (vl_result_set_save_pts (set, samples[i], dir, NULL, &path, NULL, &error));
      g_assert_no_error (error);
      assert_valid (path);
      back = vl_result_file_load (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (back->results->len, ==, set->results->len);
      for (guint r = 0; r < set->results->len; r++)
        {
          VlResult *a = g_ptr_array_index (set->results, r), *b = g_ptr_array_index (back->results, r);

          g_assert_cmpuint (a->entries->len, ==, b->entries->len);
          for (guint e = 0; e < a->entries->len; e++)
            {
              VlResultEntry *x = g_ptr_array_index (a->entries, e), *y = g_ptr_array_index (b->entries, e);

              g_assert_cmpint (x->failed, ==, y->failed);
              g_assert_cmpstr (x->value_text, ==, y->value_text);
              g_assert_cmpstr (x->error, ==, y->error);
              g_assert_cmpuint (x->raw->len, ==, y->raw->len);
              for (guint k = 0; k < x->raw->len; k++, numbers++)
                g_assert_cmpfloat (g_array_index (x->raw, double, k), ==, g_array_index (y->raw, double, k));
            }
        }
      g_test_message ("%s: %u results, %u raw numbers kept", samples[i], set->results->len, numbers);
    }

  /* A result title of 51 characters: the schema must say no. */
  {
    g_autofree char *sample = schema_dir_file ("03-docker-kernel-build-lib-pts1083.xml");
    g_autofree char *text = NULL, *bad = g_build_filename (dir, "bad.xml", NULL);
    g_autofree char *message = NULL;

    g_assert_true (g_file_get_contents (sample, &text, NULL, NULL));
    {
      char *at = strstr (text, "<Title>Timed Linux Kernel Compilation</Title>");
      GString *s = g_string_new_len (text, at - text);

      g_string_append (s, "<Title>Timed Linux Kernel Compilation, far too long a title</Title>");
      g_string_append (s, at + strlen ("<Title>Timed Linux Kernel Compilation</Title>"));
      g_assert_true (g_file_set_contents (bad, s->str, -1, NULL));
      g_string_free (s, TRUE);
    }
    g_assert_false (xmllint_valid (bad, &message));
    g_assert_nonnull (strstr (message, "Title"));
  }
}

static void
test_helpers (void)
{
  g_autoptr(GDateTime) when = g_date_time_new_local (2026, 1, 2, 3, 4, 5);
  g_autofree char *stamp = vl_pts_timestamp (when);
  g_autofree char *name = vl_pts_result_name ("Xen-PV vs KVM-HVM: 中文 (quick)");
  g_autofree char *empty = vl_pts_result_name ("中文");
  g_autofree char *json = vl_pts_error_json ("a \"quoted\"\\ reason\t\x01");

  g_assert_cmpstr (stamp, ==, "2026-01-02 03:04:05");
  g_assert_true (vl_pts_timestamp_is_valid (stamp));
  g_assert_false (vl_pts_timestamp_is_valid ("2026-01-02T03:04:05"));
  g_assert_false (vl_pts_timestamp_is_valid ("2026-01-02 03:04:05 "));
  g_assert_cmpstr (name, ==, "xen-pv-vs-kvm-hvm-quick");
  g_assert_cmpstr (empty, ==, "virtlab-benchmarks");
  g_assert_cmpstr (json, ==, "{\"error\":\"a \\\"quoted\\\"\\\\ reason\\t\\u0001\"}");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/result-writer/helpers", test_helpers);
  g_test_add_func ("/result-writer/round-trip", test_round_trip);
  g_test_add_func ("/result-writer/never-overwrites", test_never_overwrites);
  g_test_add_func ("/result-writer/bad-input", test_bad_input);
  g_test_add_func ("/result-writer/unclean-text", test_unclean_text);
  g_test_add_func ("/result-writer/schema-and-real-files", test_schema_and_real_files);
  tmp_dirs = g_ptr_array_new_with_free_func (g_free);
  status = g_test_run ();
  for (guint i = 0; i < tmp_dirs->len; i++)
    remove_tree (g_ptr_array_index (tmp_dirs, i));
  g_ptr_array_unref (tmp_dirs);
  return status;
}
