/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the PTS result file loader: both formats, the eight real samples, merging, bad input. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "vl-error.h"
#include "vl-result-file.h"
#include "vl-result-loader.h"
#include "vl-result-export.h"
#include "vl-pts-json.h"


static char *
fixture (const char *name)
{
  return g_build_filename (g_getenv ("G_TEST_SRCDIR"), "results", "fixtures", name, NULL);
}

static VlResultSet *
load_fixture (const char *name)
{
  g_autofree char *path = fixture (name);
  g_autoptr(GError) error = NULL;
  VlResultSet *set = vl_result_file_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (set);
  return set;
}

static VlResult *
find_result (VlResultSet *set, const char *title, const char *description)
{
  for (guint i = 0; i < set->results->len; i++)
    {
      VlResult *result = g_ptr_array_index (set->results, i);

      if (g_str_equal (result->title, title) && g_str_equal (result->description, description))
        return result;
    }
  g_assert_not_reached ();
}

static void
test_format3 (void)
{
  g_autoptr(VlResultSet) set = load_fixture ("pts3-two-systems.xml");
  VlResultSystem *a, *b;
  VlResult *stream, *kernel, *sqlite, *install;
  VlResultEntry *entry;

  g_assert_cmpstr (set->title, ==, "Two guests");
  g_assert_cmpstr (set->last_modified, ==, "2024-05-01 10:00:00");
  g_assert_cmpstr (set->test_client, ==, "Phoronix Test Suite v10.8.4");
  g_assert_cmpuint (set->systems->len, ==, 2);
  g_assert_cmpuint (set->results->len, ==, 4);

  a = g_ptr_array_index (set->systems, 0);
  b = g_ptr_array_index (set->systems, 1);
  g_assert_cmpstr (a->identifier, ==, "guest-a");
  g_assert_cmpstr (a->hardware, ==, "Processor: QEMU Virtual CPU (2 Cores), Memory: 2048MB");
  g_assert_cmpstr (a->user, ==, "tester");
  g_assert_cmpstr (a->client_version, ==, "10.8.4");
  g_assert_cmpstr (a->notes, ==, "Disk Scheduler: NONE.");
  g_assert_cmpstr (a->json, ==, "{\"cpu-microcode\":\"0x1\"}");
  g_assert_cmpstr (b->identifier, ==, "guest-b & co");
  g_assert_cmpstr (b->user, ==, "");

  stream = find_result (set, "Stream", "Type: Copy");
  g_assert_cmpstr (stream->identifier, ==, "pts/stream-1.3.4");
  g_assert_cmpstr (stream->scale, ==, "MB/s");
  g_assert_cmpint (stream->proportion, ==, VL_PROPORTION_HIB);
  g_assert_true (vl_result_is_bar_graph (stream));
  g_assert_cmpstr (vl_result_get_subtitle (stream), ==, "Type: Copy");
  entry = vl_result_find_entry (stream, "guest-a");
  g_assert_cmpstr (entry->value_text, ==, "10000.5");
  g_assert_cmpfloat (entry->value, ==, 10000.5);
  g_assert_cmpuint (entry->raw->len, ==, 3);
  g_assert_cmpfloat (g_array_index (entry->raw, double, 2), ==, 11001.5);
  g_assert_cmpstr (entry->json, ==, "{\"test-run-times\":\"1.0:1.0:1.0\"}");

  kernel = find_result (set, "Timed Linux Kernel Compilation", "Build: defconfig");
  g_assert_cmpint (kernel->proportion, ==, VL_PROPORTION_LIB);
  /* Value as stored, trailing zero included. */
  g_assert_cmpstr (vl_result_find_entry (kernel, "guest-a")->value_text, ==, "58.850");
  entry = vl_result_find_entry (kernel, "guest-b & co");
  g_assert_true (entry->failed);
  g_assert_true (isnan (entry->value));
  g_assert_cmpuint (entry->raw->len, ==, 0);
  /* Why it failed, as PTS stored it in the entry's JSON. */
  g_assert_cmpstr (entry->error, ==, "The test run did not produce a result.");
  g_assert_null (vl_result_find_entry (kernel, "guest-a")->error);

  /* A line graph is kept, its value as text. */
  sqlite = find_result (set, "SQLite", "Threads / Copies: 1");
  g_assert_false (vl_result_is_bar_graph (sqlite));
  g_assert_cmpstr (vl_result_find_entry (sqlite, "guest-a")->value_text, ==, "1.5,1.7,1.6");

  /* Empty identifier, two entries for the same system: both kept, in order. */
  install = find_result (set, "SQLite", "Test Install Size");
  g_assert_cmpstr (install->identifier, ==, "");
  g_assert_cmpuint (install->entries->len, ==, 2);
  g_assert_cmpstr (((VlResultEntry *) g_ptr_array_index (install->entries, 1))->value_text, ==, "1004");
}

static void
test_format2 (void)
{
  g_autoptr(VlResultSet) set = load_fixture ("pts2-suite.xml");
  VlResultSystem *pv;
  VlResult *dbench, *kernel;
  VlResultEntry *entry;

  g_assert_cmpstr (set->title, ==, "Old format");
  g_assert_cmpstr (set->description, ==, "Hand-written fixture in the PTS 2.x layout.");
  g_assert_cmpuint (set->systems->len, ==, 2);
  pv = vl_result_set_find_system (set, "pv-guest");
  g_assert_nonnull (pv);
  g_assert_cmpstr (pv->user, ==, "tester");
  g_assert_cmpstr (pv->timestamp, ==, "2010-10-01");
  g_assert_cmpstr (pv->notes, ==, "Xen paravirtualized guest.");
  g_assert_cmpstr (pv->client_version, ==, "2.8.1");
  g_assert_cmpstr (pv->software, ==, "OS: Debian 5.0.5, Kernel: 2.6.26-2-xen-amd64 (x86_64)");

  g_assert_cmpuint (set->results->len, ==, 2);
  dbench = find_result (set, "Dbench", "Client Count: 128");
  g_assert_cmpstr (dbench->identifier, ==, "dbench");
  g_assert_cmpstr (dbench->app_version, ==, "4.0");
  g_assert_cmpstr (dbench->arguments, ==, "128");
  g_assert_cmpstr (dbench->scale, ==, "MB/s");
  g_assert_cmpint (dbench->proportion, ==, VL_PROPORTION_HIB);
  g_assert_cmpstr (dbench->display_format, ==, "BAR_GRAPH");
  entry = vl_result_find_entry (dbench, "pv-guest");
  g_assert_cmpfloat (entry->value, ==, 19.84);
  g_assert_cmpuint (entry->raw->len, ==, 2);
  g_assert_cmpfloat (vl_result_find_entry (dbench, "kvm-guest")->value, ==, 4.09);

  kernel = find_result (set, "Timed Linux Kernel Compilation", "");
  g_assert_cmpint (kernel->proportion, ==, VL_PROPORTION_LIB);
  g_assert_cmpstr (vl_result_get_subtitle (kernel), ==, "");
  g_assert_cmpfloat (vl_result_find_entry (kernel, "kvm-guest")->value, ==, 3228.48);
}

/* The eight real files: every one loads, with the counts real PTS reports (SOURCES.md). */
static const struct { const char *file; guint systems, results, entries, failed; } samples[] = {
  { "01-kvm-guest-john-pts521.xml", 1, 1, 1, 0 },
  { "02-docker-npb-pts1083.xml", 1, 10, 10, 0 },
  { "03-docker-kernel-build-lib-pts1083.xml", 1, 1, 1, 0 },
  { "04-ec2-xen-stream-10runs-pts560.xml", 10, 4, 40, 0 },
  { "05-ec2-xen-threaded-64results-pts560.xml", 1, 64, 64, 0 },
  { "06-ec2-xen-gzip-lib-pts560.xml", 10, 1, 10, 0 },
  { "07-gvn-o2-142results-pts1084.xml", 1, 142, 147, 7 },
  { "08-zstd-install-metrics-pts1084.xml", 1, 16, 17, 0 },
};

static void
test_real_samples (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *path = g_build_filename (VL_PTS_SAMPLES_DIR, samples[i].file, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(VlResultSet) set = NULL;
      guint entries = 0, failed = 0;

      set = vl_result_file_load (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (set->systems->len, ==, samples[i].systems);
      g_assert_cmpuint (set->results->len, ==, samples[i].results);
      for (guint r = 0; r < set->results->len; r++)
        {
          VlResult *result = g_ptr_array_index (set->results, r);

          entries += result->entries->len;
          for (guint e = 0; e < result->entries->len; e++)
            {
              VlResultEntry *entry = g_ptr_array_index (result->entries, e);

              failed += entry->failed;
              g_assert_nonnull (vl_result_set_find_system (set, entry->system));
              /* Every failed run of the samples says why; "\/" in PTS's JSON is a plain "/". */
              if (entry->failed)
                {
                  g_assert_true (g_str_equal (entry->error, "The test run did not produce a result.") ||
                                 g_str_equal (entry->error, "The test quit with a non-zero exit status. E: "
                                              "taskset: failed to execute ./z3-z3-4.12.1/build/z3: No such "
                                              "file or directory"));
                }
              else
                g_assert_null (entry->error);
              if (!entry->failed)
                g_assert_false (isnan (entry->value));
            }
        }
      g_assert_cmpuint (entries, ==, samples[i].entries);
      g_assert_cmpuint (failed, ==, samples[i].failed);
    }
}

static void
test_real_sample_values (void)
{
  g_autofree char *path = g_build_filename (VL_PTS_SAMPLES_DIR,
                                            "08-zstd-install-metrics-pts1084.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VlResultSet) set = vl_result_file_load (path, &error);
  guint with_two = 0;

  g_assert_no_error (error);
  for (guint r = 0; r < set->results->len; r++)
    {
      VlResult *result = g_ptr_array_index (set->results, r);

      if (result->entries->len == 2)
        {
          with_two++;
          g_assert_cmpstr (result->identifier, ==, "");
          g_assert_cmpstr (((VlResultEntry *) g_ptr_array_index (result->entries, 0))->value_text, ==, "229036");
          g_assert_cmpstr (((VlResultEntry *) g_ptr_array_index (result->entries, 1))->value_text, ==, "229040");
        }
    }
  g_assert_cmpuint (with_two, ==, 1);
}

static void
test_merge (void)
{
  g_autoptr(VlResultSet) a = load_fixture ("merge-a.xml");
  g_autoptr(VlResultSet) b = load_fixture ("merge-b.xml");
  g_autoptr(VlResultSet) merged = vl_result_set_new ();
  VlResult *gzip, *dbench;

  vl_result_set_merge (merged, a);
  vl_result_set_merge (merged, b);
  g_assert_cmpstr (merged->title, ==, "Run A");
  g_assert_cmpuint (merged->sources->len, ==, 2);
  /* host-1 appears in both files: one system, described by the first file. */
  g_assert_cmpuint (merged->systems->len, ==, 2);
  g_assert_cmpstr (((VlResultSystem *) g_ptr_array_index (merged->systems, 0))->hardware, ==, "Processor: A");
  g_assert_cmpstr (((VlResultSystem *) g_ptr_array_index (merged->systems, 1))->identifier, ==, "host-2");
  g_assert_cmpuint (merged->results->len, ==, 3);
  gzip = find_result (merged, "Gzip Compression", "");
  g_assert_cmpuint (gzip->entries->len, ==, 2);
  g_assert_cmpfloat (vl_result_find_entry (gzip, "host-1")->value, ==, 10.5);
  g_assert_cmpfloat (vl_result_find_entry (gzip, "host-2")->value, ==, 21);
  dbench = find_result (merged, "Dbench", "Client Count: 128");
  g_assert_cmpuint (dbench->entries->len, ==, 2);
  /* The sources are untouched. */
  g_assert_cmpuint (a->results->len, ==, 2);
  g_assert_cmpuint (((VlResult *) g_ptr_array_index (a->results, 0))->entries->len, ==, 1);
}

/* Each bad input: the message names the file and the line and says what is wrong. */
static const struct { const char *file; int line; const char *words; } bad_inputs[] = {
  { "bad-not-xml.txt", 1, "not well-formed XML" },
  { "bad-truncated.xml", 17, "Premature end" },
  { "bad-wrong-root.xml", 2, "<html>" },
  { "bad-non-numeric.xml", 47, "“fast”" },
  { "bad-missing-value.xml", 45, "no value" },
  { "bad-raw.xml", 42, "9000:oops:11001.5" },
  { "bad-billion-laughs.xml", 2, "DOCTYPE" },
  { "bad-external-entity.xml", 2, "DOCTYPE" },
  { "bad-no-results.xml", 2, "no test results" },
};

static void
test_bad_inputs (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *path = fixture (bad_inputs[i].file);
      g_autofree char *where = g_strdup_printf ("“%s”, line %d: ", path, bad_inputs[i].line);
      g_autoptr(GError) error = NULL;
      g_autoptr(VlResultSet) set = vl_result_file_load (path, &error);

      g_assert_null (set);
      g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
      if (!g_str_has_prefix (error->message, where) || strstr (error->message, bad_inputs[i].words) == NULL)
        g_error ("%s: unexpected message: %s", bad_inputs[i].file, error->message);
      /* Something beyond the location is said. */
      g_assert_cmpuint (strlen (error->message), >, strlen (where) + 5);
    }
}


/* Issue 14, item 2 and 3: a FIFO hung the loader forever, /dev/zero was read until memory ran out,
 * and an empty file was "out of memory". Each is refused at once with a message naming the file. */
static void
test_not_regular (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vl-not-regular-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pipe.xml", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.xml", NULL);
  const struct { const char *path; const char *words; } cases[] = {
    { fifo, "named pipe" },
    { "/dev/zero", "character device" },
    { "/dev/null", "character device" },
    { dir, "folder" },
    { empty, "empty" },
  };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(VlResultSet) set = vl_result_file_load (cases[i].path, &error);

      g_test_message ("%s: %s", cases[i].path, error != NULL ? error->message : "(loaded)");
      g_assert_null (set);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, cases[i].path));
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_null (strstr (error->message, "memory"));
      /* At once: nothing was waited for or read to the end of a stream. */
      g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
    }
  /* The same bytes from memory (the fuzzer's entry point) say "empty" too. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (vl_result_file_load_data ("", 0, "nothing.xml", &error));
    g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
    g_assert_nonnull (strstr (error->message, "nothing.xml"));
  }
  g_assert_cmpint (g_unlink (fifo), ==, 0);
  g_assert_cmpint (g_unlink (empty), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Issue 14, item 5: merging a file without a title, then one with, leaked the first one's header
 * copies (the sanitizer run, build-aux/test.sh, reports the leak). Each field comes from the first
 * file that has it. */
static void
test_merge_untitled_first (void)
{
  static const char untitled[] = "<PhoronixTestSuite><Generated><Description>first</Description>"
    "<LastModified>2010-01-01</LastModified></Generated><Result><Title>T</Title><Data><Entry>"
    "<Identifier>a</Identifier><Value>1</Value></Entry></Data></Result></PhoronixTestSuite>";
  static const char titled[] = "<PhoronixTestSuite><Generated><Title>Second</Title><Description>second"
    "</Description><TestClient>PTS</TestClient></Generated><Result><Title>T</Title><Data><Entry>"
    "<Identifier>b</Identifier><Value>2</Value></Entry></Data></Result></PhoronixTestSuite>";
  g_autoptr(VlResultSet) a = vl_result_file_load_data (untitled, sizeof untitled - 1, "a.xml", NULL);
  g_autoptr(VlResultSet) b = vl_result_file_load_data (titled, sizeof titled - 1, "b.xml", NULL);
  g_autoptr(VlResultSet) merged = vl_result_set_new ();

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_null (a->title);
  vl_result_set_merge (merged, a);
  vl_result_set_merge (merged, b);
  vl_result_set_merge (merged, a);
  g_assert_cmpstr (merged->title, ==, "Second");
  g_assert_cmpstr (merged->description, ==, "first");
  g_assert_cmpstr (merged->last_modified, ==, "2010-01-01");
  g_assert_cmpuint (merged->systems->len, ==, 2);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VlResultSet) set = vl_result_file_load ("/nonexistent/composite.xml", &error);

  g_assert_null (set);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "/nonexistent/composite.xml"));
}

/* 100 MB, made here and removed at once: refused from its size, before it is read. */
static void
test_too_big (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vl-result-big-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "composite.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VlResultSet) set = NULL;
  static const char head[] = "<?xml version=\"1.0\"?>\n<PhoronixTestSuite>\n<!--";
  gsize size = 100 * 1000 * 1000;
  char *data = g_malloc (size);
  FILE *f;

  memset (data, ' ', size);
  memcpy (data, head, strlen (head));
  f = g_fopen (path, "wb");
  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (data, 1, size, f), ==, size);
  fclose (f);

  set = vl_result_file_load (path, &error);
  g_unlink (path);
  g_rmdir (dir);
  g_assert_null (set);
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "too big"));

  /* The in-memory entry point (the fuzzer's) has the same limit. */
  g_clear_error (&error);
  g_assert_null (vl_result_file_load_data (data, size, "big.xml", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_free (data);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = vl_result_runs_load_finish (result, &error);
  g_assert_no_error (error);
}

/* ~/.phoronix-test-suite/test-results/NAME/composite.xml is found; loading goes on past bad files. */
static void
test_discover_and_load (void)
{
  g_autofree char *home = g_dir_make_tmp ("vl-pts-home-XXXXXX", NULL);
  g_autofree char *good = fixture ("merge-a.xml");
  g_autofree char *bad = fixture ("bad-truncated.xml");
  const char *names[] = { "b-run", "a-run", "no-composite" };
  g_auto(GStrv) found = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  const char *uris[] = { bad, good, NULL };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *dir = g_build_filename (home, ".phoronix-test-suite", "test-results", names[i], NULL);
      g_autofree char *file = g_build_filename (dir, i < 2 ? "composite.xml" : "other.xml", NULL);
      g_autofree char *data = NULL;
      gsize len;

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_assert_true (g_file_get_contents (i == 0 ? good : bad, &data, &len, NULL));
      g_assert_true (g_file_set_contents (file, data, len, NULL));
    }
  found = vl_result_discover_pts_runs (home);
  g_assert_cmpuint (g_strv_length (found), ==, 2);
  g_assert_true (g_str_has_suffix (found[0], "/a-run/composite.xml"));
  g_assert_true (g_str_has_suffix (found[1], "/b-run/composite.xml"));

  vl_result_runs_load_async (uris, home, NULL, loaded_cb, &runs);
  while (runs == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* bad, good, then the two discovered (a-run is bad too); named by their folder. */
  g_assert_cmpuint (runs->len, ==, 4);
  g_assert_null (((VlLoadedRun *) runs->pdata[0])->set);
  g_assert_nonnull (strstr (((VlLoadedRun *) runs->pdata[0])->error->message, "bad-truncated.xml"));
  g_assert_nonnull (((VlLoadedRun *) runs->pdata[1])->set);
  g_assert_cmpstr (((VlLoadedRun *) runs->pdata[2])->name, ==, "a-run");
  g_assert_null (((VlLoadedRun *) runs->pdata[2])->set);
  g_assert_cmpstr (((VlLoadedRun *) runs->pdata[3])->name, ==, "b-run");
  g_assert_cmpuint (((VlLoadedRun *) runs->pdata[3])->set->results->len, ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *dir = g_build_filename (home, ".phoronix-test-suite", "test-results", names[i], NULL);
      g_autofree char *f1 = g_build_filename (dir, "composite.xml", NULL);
      g_autofree char *f2 = g_build_filename (dir, "other.xml", NULL);

      g_unlink (f1);
      g_unlink (f2);
      g_rmdir (dir);
    }
  {
    g_autofree char *a = g_build_filename (home, ".phoronix-test-suite", "test-results", NULL);
    g_autofree char *b = g_build_filename (home, ".phoronix-test-suite", NULL);

    g_rmdir (a);
    g_rmdir (b);
    g_rmdir (home);
  }
}

/* The one JSON member Virtlab reads: table of real and hostile objects. */
static void
test_pts_json (void)
{
  static const struct { const char *json; const char *expected; } cases[] = {
    { "{\"test-run-times\":\"180.02:180.02:180.02\",\"error\":\"The test run did not produce a result.\"}",
      "The test run did not produce a result." },
    { " { \"error\" : \"a \\\"quoted\\\" word\\nand a line\" } ", "a \"quoted\" word\nand a line" },
    { "{\"error\":\"caf\\u00e9 \\ud83d\\ude00 \\/ ok\"}", "café 😀 / ok" },
    { "{\"n\":[1,{\"error\":\"nested\"},true,null,-1.5e3],\"error\":\"top\"}", "top" },
    { "{\"error\":\"first\",\"error\":\"last\"}", "last" },
    { "{\"compiler\":{\"error\":\"not at the top\"}}", NULL },
    { "{\"error\":42}", NULL },
    { "{\"error\":null}", NULL },
    { "{}", NULL },
    { "", NULL },
    { "[\"error\",\"x\"]", NULL },
    { "{\"error\":\"unterminated}", NULL },
    { "{\"error\":\"bad escape \\q\"}", NULL },
    { "{\"error\":\"lone surrogate \\udc00\"}", NULL },
    { "{\"error\":\"ok\"", NULL },
    { "{\"error\":\"ok\" \"x\":1}", NULL },
    { "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],\"error\":\"deep\"}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = vl_pts_json_get_string (cases[i].json, "error");

      if (g_strcmp0 (got, cases[i].expected) != 0)
        g_error ("case %u (%s): got “%s”, want “%s”", i, cases[i].json, got ? got : "(null)",
                 cases[i].expected ? cases[i].expected : "(null)");
    }
  g_assert_null (vl_pts_json_get_string (NULL, "error"));
}

/* The CSV export says why a run failed, after FAILED. */
static void
test_csv_failed_reason (void)
{
  g_autofree char *path = fixture ("pts3-two-systems.xml");
  g_autoptr(GError) error = NULL;
  g_autoptr(VlResultSet) set = vl_result_file_load (path, &error);
  g_autofree char *csv = NULL;
  g_autofree char *sample_path = g_build_filename (VL_PTS_SAMPLES_DIR,
                                                   "07-gvn-o2-142results-pts1084.xml", NULL);
  g_autoptr(VlResultSet) sample = vl_result_file_load (sample_path, &error);
  g_autofree char *sample_csv = NULL;

  g_assert_no_error (error);
  csv = vl_result_set_to_csv (set, NULL, VL_CATEGORY_ALL);
  g_assert_nonnull (strstr (csv, ",FAILED: The test run did not produce a result.,"));
  sample_csv = vl_result_set_to_csv (sample, NULL, VL_CATEGORY_ALL);
  g_assert_nonnull (strstr (sample_csv, ",FAILED: The test run did not produce a result."));
}


/* Issue 14, item 4: cells starting with = + - @ went out as they were (a spreadsheet runs them as
 * formulas), and the second entry of a system in one result was dropped. */
static void
test_csv_hostile_cells (void)
{
  static const char xml[] = "<PhoronixTestSuite><Generated><Title>t</Title></Generated>"
    "<System><Identifier>@host</Identifier></System><System><Identifier>plain</Identifier></System>"
    "<Result><Title>=HYPERLINK(\"http://x\",\"y\")</Title><Description>+cmd|' /C calc'!A0</Description>"
    "<Scale>-units</Scale><Proportion>HIB</Proportion><DisplayFormat>BAR_GRAPH</DisplayFormat><Data>"
    "<Entry><Identifier>@host</Identifier><Value>-1.5</Value><RawString>-1:-2</RawString></Entry>"
    "<Entry><Identifier>@host</Identifier><Value>+2</Value></Entry>"
    "<Entry><Identifier>@host</Identifier><Value>3e2</Value></Entry>"
    "<Entry><Identifier>plain</Identifier><Value>7</Value></Entry>"
    "</Data></Result></PhoronixTestSuite>";
  g_autoptr(GError) error = NULL;
  g_autoptr(VlResultSet) set = vl_result_file_load_data (xml, sizeof xml - 1, "hostile.xml", &error);
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_no_error (error);
  csv = vl_result_set_to_csv (set, NULL, VL_CATEGORY_ALL);
  g_test_message ("%s", csv);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "Result,Variant,Unit,Direction,Category,'@host,'@host (2),'@host (3),plain,"
                                 "'@host SE,'@host (2) SE,'@host (3) SE,plain SE");
  /* Numbers stay numbers; text that starts a formula gets its '. */
  g_assert_true (g_str_has_prefix (lines[1], "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+cmd|' /C calc'!A0,'-units,HIB,"));
  g_assert_true (g_str_has_suffix (lines[1], ",-1.5,+2,3e2,7,0.5,,,"));
  g_assert_cmpstr (lines[2], ==, "");
  g_assert_null (lines[3]);
}

/* Real PTS data with one system entered twice in one result (08: GVNO3, 229036 and 229040): both. */
static void
test_csv_every_entry (void)
{
  g_autofree char *path = g_build_filename (VL_PTS_SAMPLES_DIR, "08-zstd-install-metrics-pts1084.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VlResultSet) set = vl_result_file_load (path, &error);
  g_autofree char *csv = NULL;

  g_assert_no_error (error);
  csv = vl_result_set_to_csv (set, NULL, VL_CATEGORY_ALL);
  g_assert_nonnull (strstr (csv, ",GVNO3 (2),"));
  g_assert_nonnull (strstr (csv, ",229036,229040,"));
}

/* Run as root, PTS saves under /var/lib/phoronix-test-suite: those runs are found too, after
 * the user's own, and are not remembered as opened files. */
static void
test_discover_system_runs (void)
{
  g_autofree char *home = g_dir_make_tmp ("vl-pts-home-XXXXXX", NULL);
  g_autofree char *system = g_dir_make_tmp ("vl-pts-var-lib-XXXXXX", NULL);
  g_autofree char *good = fixture ("merge-a.xml");
  g_autofree char *data = NULL;
  g_autofree char *user_dir = g_build_filename (home, ".phoronix-test-suite", "test-results", "mine", NULL);
  g_autofree char *root_dir = g_build_filename (system, "as-root", NULL);
  g_autofree char *root_dir2 = g_build_filename (system, "another-root-run", NULL);
  g_autofree char *user_file = g_build_filename (user_dir, "composite.xml", NULL);
  g_autofree char *root_file = g_build_filename (root_dir, "composite.xml", NULL);
  g_autofree char *root_file2 = g_build_filename (root_dir2, "composite.xml", NULL);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s' '%s'", home, system);
  g_auto(GStrv) found = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  const char *none[] = { NULL };
  gsize len;

  g_assert_true (g_file_get_contents (good, &data, &len, NULL));
  g_assert_cmpint (g_mkdir_with_parents (user_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (root_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (root_dir2, 0700), ==, 0);
  g_assert_true (g_file_set_contents (user_file, data, len, NULL));
  g_assert_true (g_file_set_contents (root_file, data, len, NULL));
  g_assert_true (g_file_set_contents (root_file2, data, len, NULL));

  g_assert_cmpstr (vl_result_pts_system_results_dir (), ==, VL_PTS_SYSTEM_RESULTS_DIR);
  g_assert_cmpstr (VL_PTS_SYSTEM_RESULTS_DIR, ==, "/var/lib/phoronix-test-suite/test-results");
  g_setenv ("VIRTLAB_PTS_SYSTEM_RESULTS", system, TRUE);
  found = vl_result_discover_pts_runs (home);
  g_assert_cmpuint (g_strv_length (found), ==, 3);
  g_assert_cmpstr (found[0], ==, user_file);
  g_assert_cmpstr (found[1], ==, root_file2);
  g_assert_cmpstr (found[2], ==, root_file);
  g_assert_true (vl_result_is_discovered_run (user_file, home));
  g_assert_true (vl_result_is_discovered_run (root_file, home));
  g_assert_false (vl_result_is_discovered_run (good, home));
  {
    /* A sibling folder whose name only starts like the system one is not inside it. */
    g_autofree char *sibling = g_strconcat (system, "-other/x/composite.xml", NULL);

    g_assert_false (vl_result_is_discovered_run (sibling, home));
  }

  vl_result_runs_load_async (none, home, NULL, loaded_cb, &runs);
  while (runs == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (runs->len, ==, 3);
  g_assert_cmpstr (((VlLoadedRun *) runs->pdata[2])->name, ==, "as-root");
  g_assert_nonnull (((VlLoadedRun *) runs->pdata[2])->set);

  g_unsetenv ("VIRTLAB_PTS_SYSTEM_RESULTS");
  g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/results/file/format3", test_format3);
  g_test_add_func ("/results/file/format2", test_format2);
  g_test_add_func ("/results/file/real-samples", test_real_samples);
  g_test_add_func ("/results/file/real-sample-values", test_real_sample_values);
  g_test_add_func ("/results/file/merge", test_merge);
  g_test_add_func ("/results/file/bad-inputs", test_bad_inputs);
  g_test_add_func ("/results/file/missing-file", test_missing_file);
  g_test_add_func ("/results/file/too-big", test_too_big);
  g_test_add_func ("/results/file/not-regular", test_not_regular);
  g_test_add_func ("/results/file/merge-untitled-first", test_merge_untitled_first);
  g_test_add_func ("/results/file/discover-and-load", test_discover_and_load);
  g_test_add_func ("/results/file/discover-system-runs", test_discover_system_runs);
  g_test_add_func ("/results/file/pts-json", test_pts_json);
  g_test_add_func ("/results/file/csv-failed-reason", test_csv_failed_reason);
  g_test_add_func ("/results/file/csv-hostile-cells", test_csv_hostile_cells);
  g_test_add_func ("/results/file/csv-every-entry", test_csv_every_entry);
  return g_test_run ();
}
