/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The hostile-input table of the results room: more than 40 kinds of bad, odd or extreme result file,
 * a FIFO, /dev/zero, a PNG too tall to exist and CSV cells that a spreadsheet would run, each through
 * the loader, the `--export-charts` command and the Results page. Nothing may crash or hang, and
 * nothing may be refused silently: every refusal has a message naming the file (issue 14, item 3). */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "vl-chart-view.h"
#include "vl-result-file.h"
#include "vl-results-page.h"

typedef enum {
  LOADS,    /* must load, and export */
  REFUSED,  /* must be refused, with a message naming it */
  EITHER,   /* may go either way (a matter of taste), but the same rules hold */
} Expect;

typedef struct {
  const char *name;      /* also the file's name */
  Expect      expect;
  char       *path;      /* made by make_files() */
  const char *csv_has;   /* for LOADS: text the CSV export must hold, or NULL */
  const char *csv_lacks; /* and must not */
  const char *cli_says;  /* for a file that loads but cannot be exported as PNG: what the message says */
} Case;

static char *dir;
static GPtrArray *cases;  /* Case */

/* ---- the files --------------------------------------------------------------------------------- */

#define HEAD "<?xml version=\"1.0\"?>\n<PhoronixTestSuite>\n"
#define TAIL "</PhoronixTestSuite>\n"

/* A result of one bar graph with the given entries (already XML). */
static char *
result_with (const char *title, const char *entries)
{
  return g_strdup_printf ("<Result><Identifier>pts/x</Identifier><Title>%s</Title><Scale>MB/s</Scale>"
                          "<Proportion>HIB</Proportion><DisplayFormat>BAR_GRAPH</DisplayFormat>"
                          "<Data>%s</Data></Result>\n", title, entries);
}

static char *
entry (const char *system, const char *value)
{
  return g_strdup_printf ("<Entry><Identifier>%s</Identifier><Value>%s</Value><RawString>%s</RawString></Entry>",
                          system, value, value);
}

/* A whole file: one result "T" with one entry of system "s" holding `value`. */
static char *
file_with_value (const char *value)
{
  g_autofree char *e = entry ("s", value);
  g_autofree char *r = result_with ("T", e);

  return g_strconcat (HEAD, r, TAIL, NULL);
}

static Case *
add_case (const char *name, Expect expect)
{
  Case *c = g_new0 (Case, 1);

  c->name = name;
  c->expect = expect;
  c->path = g_build_filename (dir, name, NULL);
  g_ptr_array_add (cases, c);
  return c;
}

static Case *
add_bytes (const char *name, Expect expect, const char *data, gssize length)
{
  Case *c = add_case (name, expect);

  g_assert_true (g_file_set_contents (c->path, data, length, NULL));
  return c;
}

static Case *
add_text (const char *name, Expect expect, char *owned_text)
{
  g_autofree char *text = owned_text;

  return add_bytes (name, expect, text, -1);
}

static char *
repeat (const char *unit, guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void
make_files (void)
{
  g_autofree char *max_digits = g_strdup_printf ("%.0f", 1.1e308);
  Case *c;

  /* Not XML, or not a result file. */
  add_bytes ("01-empty.xml", REFUSED, "", 0);
  add_bytes ("02-whitespace.xml", REFUSED, " \n\t\n ", -1);
  add_bytes ("03-binary.xml", REFUSED, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", 16);
  add_bytes ("04-utf16-bom.xml", EITHER, "\xff\xfe<\0P\0h\0o\0", 10);
  add_text ("05-truncated.xml", REFUSED, g_strdup (HEAD "<Result><Title>Cut off in the mid"));
  add_text ("06-wrong-root.xml", REFUSED, g_strdup ("<?xml version=\"1.0\"?><html><body>no</body></html>"));
  add_text ("07-no-results.xml", REFUSED, g_strdup (HEAD "<Generated><Title>x</Title></Generated>" TAIL));
  add_text ("08-billion-laughs.xml", REFUSED,
            g_strdup ("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;"
                      "&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><PhoronixTestSuite>"
                      "<Result><Title>&c;</Title></Result></PhoronixTestSuite>"));
  add_text ("09-external-entity.xml", REFUSED,
            g_strdup ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                      "<PhoronixTestSuite><Result><Title>&x;</Title></Result></PhoronixTestSuite>"));
  add_text ("10-undefined-entity.xml", REFUSED, g_strdup (HEAD "<Result><Title>&nothing;</Title></Result>" TAIL));
  add_bytes ("11-nul-byte.xml", REFUSED, HEAD "<Result><Title>a\0b</Title></Result>" TAIL,
             sizeof (HEAD "<Result><Title>a\0b</Title></Result>" TAIL) - 1);
  add_bytes ("12-invalid-utf8.xml", REFUSED, HEAD "<Result><Title>\xc3\x28\xff</Title></Result>" TAIL, -1);
  add_text ("13-unknown-encoding.xml", REFUSED,
            g_strdup ("<?xml version=\"1.0\" encoding=\"X-NO-SUCH-CODE\"?><PhoronixTestSuite/>"));
  {
    /* 10,000 levels of elements we do not read: libxml2's depth limit, or our skipping, copes. */
    g_autofree char *open = repeat ("<a>", 10000);
    g_autofree char *close = repeat ("</a>", 10000);

    add_text ("14-deep-nesting.xml", EITHER, g_strconcat (HEAD, open, close, TAIL, NULL));
  }

  /* Values. */
  add_text ("15-value-words.xml", REFUSED, file_with_value ("fast"));
  add_text ("16-value-empty-failed-run.xml", EITHER, file_with_value (""));
  add_text ("17-value-inf.xml", REFUSED, file_with_value ("inf"));
  add_text ("18-value-nan.xml", REFUSED, file_with_value ("nan"));
  add_text ("19-value-1e309.xml", REFUSED, file_with_value ("1e309"));
  add_text ("20-value-comma-decimal.xml", REFUSED, file_with_value ("1,5"));
  add_text ("21-value-1.7e308.xml", LOADS, file_with_value ("1.7e308"));
  {
    g_autofree char *a = entry ("plus", "1.7e308");
    g_autofree char *b = entry ("minus", "-1.7e308");
    g_autofree char *both = g_strconcat (a, b, NULL);
    g_autofree char *r = result_with ("Both ends", both);

    add_text ("22-value-plus-minus-1.7e308.xml", LOADS, g_strconcat (HEAD, r, TAIL, NULL));
  }
  add_text ("23-value-1.1e308-written-out.xml", LOADS, file_with_value (max_digits));
  {
    g_autofree char *a = entry ("plus", "1e308");
    g_autofree char *b = entry ("minus", "-1e308");
    g_autofree char *ab = g_strconcat (a, b, NULL);
    g_autofree char *r = result_with ("Plus minus 1e308", ab);

    add_text ("24-value-plus-minus-1e308.xml", LOADS, g_strconcat (HEAD, r, TAIL, NULL));
  }
  add_text ("25-value-subnormal.xml", LOADS, file_with_value ("4.9e-324"));
  add_text ("26-value-negative-zero.xml", LOADS, file_with_value ("-0"));
  add_text ("27-value-spaces.xml", LOADS, file_with_value ("  12.5 \n"));
  add_text ("28-value-hex.xml", EITHER, file_with_value ("0x10"));
  add_text ("29-value-char-refs.xml", LOADS, file_with_value ("&#49;&#50;.&#53;"));
  add_text ("30-value-cdata.xml", LOADS, file_with_value ("<![CDATA[42]]>"));
  add_text ("31-value-200-digits.xml", LOADS, file_with_value ("1234567890123456789012345678901234567890123456789012"
                                                              "3456789012345678901234567890123456789012345678901234"
                                                              "5678901234567890123456789012345678901234567890123456"
                                                              "78901234567890123456789012345678901234"));
  {
    /* Single runs whose standard error overflows. */
    g_autofree char *r = result_with ("Raw extremes", "<Entry><Identifier>s</Identifier><Value>1</Value>"
                                      "<RawString>1.7e308:-1.7e308:1.7e308</RawString></Entry>");

    add_text ("32-raw-overflowing-error.xml", LOADS, g_strconcat (HEAD, r, TAIL, NULL));
  }
  {
    g_autofree char *r = result_with ("Raw junk", "<Entry><Identifier>s</Identifier><Value>1</Value>"
                                      "<RawString>1:two:3</RawString></Entry>");

    add_text ("33-raw-junk.xml", REFUSED, g_strconcat (HEAD, r, TAIL, NULL));
  }
  {
    g_autofree char *runs = repeat ("1.5:", 20000);
    g_autofree char *body = g_strdup_printf ("<Entry><Identifier>s</Identifier><Value>1.5</Value>"
                                             "<RawString>%s1.5</RawString></Entry>", runs);
    g_autofree char *r = result_with ("Many runs", body);

    add_text ("34-raw-20000-runs.xml", LOADS, g_strconcat (HEAD, r, TAIL, NULL));
  }

  /* Structure. */
  add_text ("35-entry-without-system.xml", REFUSED,
            g_strconcat (HEAD, "<Result><Title>T</Title><Data><Entry><Value>1</Value></Entry></Data></Result>", TAIL,
                         NULL));
  add_text ("36-values-as-attributes.xml", REFUSED,
            g_strconcat (HEAD, "<Result Title=\"T\"><Data><Entry Identifier=\"s\" Value=\"1\"/></Data></Result>", TAIL,
                         NULL));
  {
    GString *s = g_string_new (HEAD "<Result><Title>Five thousand systems</Title>"
                               "<DisplayFormat>BAR_GRAPH</DisplayFormat><Data>");

    for (guint i = 0; i < 5000; i++)
      g_string_append_printf (s, "<Entry><Identifier>system-%04u</Identifier><Value>%u.5</Value></Entry>", i, i);
    g_string_append (s, "</Data></Result>" TAIL);
    c = add_text ("37-5000-systems.xml", LOADS, g_string_free (s, FALSE));
    /* Its chart cannot be a PNG: the export says why, and the page still draws it. */
    c->cli_says = "32767";
  }
  {
    GString *s = g_string_new (HEAD);

    for (guint i = 0; i < 300; i++)
      g_string_append_printf (s, "<Result><Title>Result %u</Title><DisplayFormat>BAR_GRAPH</DisplayFormat><Data>"
                                 "<Entry><Identifier>a</Identifier><Value>%u</Value></Entry></Data></Result>", i, i);
    g_string_append (s, TAIL);
    add_text ("38-300-results.xml", LOADS, g_string_free (s, FALSE));
  }
  {
    g_autofree char *title = repeat ("Long title ", 10000);
    g_autofree char *e = entry ("s", "1");
    g_autofree char *r = result_with (title, e);

    add_text ("39-100k-title.xml", LOADS, g_strconcat (HEAD, r, TAIL, NULL));
  }
  {
    g_autofree char *e = entry ("系統 ‮evil‬ 🚀", "3");
    g_autofree char *r = result_with ("標題 – ünïcödé 🚀 עברית", e);

    add_text ("40-unicode-names.xml", LOADS, g_strconcat (HEAD, r, TAIL, NULL));
  }
  {
    g_autofree char *e = entry ("../../../etc/passwd", "3");
    g_autofree char *r = result_with ("../../../tmp/evil/..", e);

    add_text ("41-path-like-names.xml", LOADS, g_strconcat (HEAD, r, TAIL, NULL));
  }
  {
    g_autofree char *e1 = entry ("=cmd|' /C calc'!A0", "-1.5");
    g_autofree char *e2 = entry ("@SUM(1+1)", "+2");
    g_autofree char *es = g_strconcat (e1, e2, NULL);
    g_autofree char *r = result_with ("=HYPERLINK(&quot;http://example.invalid&quot;)", es);

    c = add_text ("42-formula-cells.xml", LOADS, g_strconcat (HEAD, r, TAIL, NULL));
    c->csv_has = "'=HYPERLINK";
    c->csv_lacks = ",=";
  }
  {
    g_autofree char *e1 = entry ("twice", "111");
    g_autofree char *e2 = entry ("twice", "222");
    g_autofree char *es = g_strconcat (e1, e2, NULL);
    g_autofree char *r = result_with ("Two entries", es);

    c = add_text ("43-same-system-twice.xml", LOADS, g_strconcat (HEAD, r, TAIL, NULL));
    c->csv_has = ",111,222,";
  }
  add_text ("44-pts2-format.xml", LOADS,
            g_strdup ("<?xml version=\"1.0\"?><PhoronixTestSuite><Suite><Title>Old</Title></Suite>"
                      "<Benchmark><Name>Old test</Name><Scale>MB/s</Scale><Proportion>HIB</Proportion>"
                      "<Results><Group><Entry><Identifier>old</Identifier><Value>7</Value></Entry></Group></Results>"
                      "</Benchmark></PhoronixTestSuite>"));
  add_text ("45-utf8-bom.xml", LOADS, g_strconcat ("\xef\xbb\xbf", file_with_value ("5"), NULL));
  add_text ("46-latin1.xml", LOADS,
            g_strdup ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><PhoronixTestSuite><Result><Title>Caf\xe9"
                      "</Title><DisplayFormat>BAR_GRAPH</DisplayFormat><Data><Entry><Identifier>s</Identifier>"
                      "<Value>1</Value></Entry></Data></Result></PhoronixTestSuite>"));
  add_text ("47-stylesheet-pi.xml", LOADS,
            g_strconcat ("<?xml version=\"1.0\"?><?xml-stylesheet type=\"text/xsl\" href=\"pts-results-viewer.xsl\"?>",
                         file_with_value ("9") + strlen ("<?xml version=\"1.0\"?>"), NULL));
  add_text ("48-line-graph-only.xml", EITHER,
            g_strconcat (HEAD, "<Result><Title>Line</Title><DisplayFormat>LINE_GRAPH</DisplayFormat><Data><Entry>"
                         "<Identifier>s</Identifier><Value>1,2,3</Value></Entry></Data></Result>", TAIL, NULL));
  {
    /* 100 MB, sparse: refused from its size. */
    Case *big = add_case ("49-100mb.xml", REFUSED);
    FILE *f = fopen (big->path, "w");

    g_assert_nonnull (f);
    g_assert_cmpint (ftruncate (fileno (f), 100 * 1024 * 1024), ==, 0);
    fclose (f);
  }
  /* Not regular files. */
  c = add_case ("50-fifo.xml", REFUSED);
  g_assert_cmpint (mkfifo (c->path, 0600), ==, 0);
  c = add_case ("51-symlink-to-dev-zero.xml", REFUSED);
  g_assert_cmpint (symlink ("/dev/zero", c->path), ==, 0);
  c = add_case ("52-folder.xml", REFUSED);
  g_assert_cmpint (g_mkdir (c->path, 0700), ==, 0);
  c = add_case ("53-dangling-symlink.xml", REFUSED);
  g_assert_cmpint (symlink ("/nonexistent/composite.xml", c->path), ==, 0);
  /* /dev/zero itself, by its own name. */
  c = g_new0 (Case, 1);
  c->name = "/dev/zero";
  c->expect = REFUSED;
  c->path = g_strdup ("/dev/zero");
  g_ptr_array_add (cases, c);
}

/* ---- loader ------------------------------------------------------------------------------------- */

static void
test_loader (void)
{
  gint64 total = 0, slowest = 0;
  const char *slowest_name = NULL;

  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = cases->pdata[i];
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(VlResultSet) set = vl_result_file_load (c->path, &error);
      gint64 took = g_get_monotonic_time () - start;
      g_autofree char *shown = g_filename_display_name (c->path);

      total += took;
      if (took > slowest)
        slowest = took, slowest_name = c->name;
      g_test_message ("%s: %s (%.1f ms)", c->name, set != NULL ? "loaded" : error->message, took / 1000.0);
      if (c->expect == LOADS && set == NULL)
        g_error ("%s should load: %s", c->name, error->message);
      if (c->expect == REFUSED && set != NULL)
        g_error ("%s should be refused", c->name);
      if (set == NULL && (error == NULL || strstr (error->message, shown) == NULL))
        g_error ("%s: refused without naming the file: %s", c->name, error != NULL ? error->message : "(no message)");
      if (set != NULL)
        g_assert_cmpuint (set->results->len, >, 0);
    }
  g_test_message ("loader: %u files in %.0f ms, slowest %s %.0f ms", cases->len, total / 1000.0, slowest_name,
                  slowest / 1000.0);
}

/* ---- the command line ---------------------------------------------------------------------------- */

/* `virtlab --export-charts OUT --format FORMAT FILE` without a display, at most 60 s. */
static int
run_export (const char *file, const char *format, const char *out, char **stdout_text, char **stderr_text)
{
  const char *argv[] = { "timeout", "-k", "5", "60", g_getenv ("VIRTLAB"), "--export-charts", out, "--format",
                         format, file, NULL };
  g_auto(GStrv) env = g_environ_unsetenv (g_get_environ (), "DISPLAY");
  g_autoptr(GError) error = NULL;
  int status;

  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, stdout_text,
                               stderr_text, &status, &error));
  g_assert_no_error (error);
  if (WIFSIGNALED (status))
    g_error ("%s (%s): virtlab died of signal %d:\n%s", file, format, WTERMSIG (status), *stderr_text);
  g_assert_true (WIFEXITED (status));
  if (WEXITSTATUS (status) == 124 || WEXITSTATUS (status) == 137)
    g_error ("%s (%s): virtlab hung (stopped after 60 s)", file, format);
  return WEXITSTATUS (status);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_rmdir (path);
}

static guint
count_files (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_export_command (void)
{
  gint64 start = g_get_monotonic_time ();
  guint runs = 0;

  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = cases->pdata[i];
      g_autofree char *shown = g_filename_display_name (c->path);
      static const char *const formats[] = { "png", "csv" };

      for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
        {
          g_autofree char *out = g_build_filename (dir, "export", NULL);
          g_autofree char *so = NULL, *se = NULL;
          int rc = run_export (c->path, formats[f], out, &so, &se);

          runs++;
          g_test_message ("%s (%s): status %d %s", c->name, formats[f], rc, rc == 0 ? "" : se);
          g_assert_true (rc == 0 || rc == 1);
          if (rc == 1)
            {
              /* Refused: said why and named the file (or, for a chart PNG cannot hold, the cause),
               * and left nothing half done. */
              if (c->cli_says != NULL && g_str_equal (formats[f], "png"))
                g_assert_nonnull (strstr (se, c->cli_says));
              else if (strstr (se, shown) == NULL)
                g_error ("%s (%s): refused without naming the file: %s", c->name, formats[f], se);
              g_assert_true (c->expect != LOADS || (c->cli_says != NULL && g_str_equal (formats[f], "png")));
              g_assert_cmpuint (count_files (out), ==, 0);
            }
          else
            {
              g_assert_true (c->expect != REFUSED);
              g_assert_true (c->cli_says == NULL || !g_str_equal (formats[f], "png"));
              /* Every file it printed exists, and nothing else was written. */
              {
                g_auto(GStrv) lines = g_strsplit (g_strstrip (so), "\n", -1);

                g_assert_cmpuint (g_strv_length (lines), ==, count_files (out));
                for (guint l = 0; lines[l] != NULL && lines[l][0] != '\0'; l++)
                  g_assert_true (g_file_test (lines[l], G_FILE_TEST_IS_REGULAR));
              }
              if (g_str_equal (formats[f], "csv"))
                {
                  g_autofree char *csv_path = g_build_filename (out, "results.csv", NULL);
                  g_autofree char *csv = NULL;

                  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
                  if (c->csv_has != NULL && strstr (csv, c->csv_has) == NULL)
                    g_error ("%s: the CSV lacks “%s”:\n%s", c->name, c->csv_has, csv);
                  if (c->csv_lacks != NULL && strstr (csv, c->csv_lacks) != NULL)
                    g_error ("%s: the CSV holds “%s”:\n%s", c->name, c->csv_lacks, csv);
                }
            }
          remove_tree (out);
        }
    }
  g_test_message ("export command: %u runs in %.1f s", runs, (g_get_monotonic_time () - start) / 1e6);
}

/* ---- the Results page ---------------------------------------------------------------------------- */

static void
collect (GtkWidget *widget, gpointer data)
{
  g_ptr_array_add (data, widget);
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), collect, data);
}

static gboolean
page_busy (VlResultsPage *page)
{
  gboolean busy;

  g_object_get (page, "busy", &busy, NULL);
  return busy;
}

/* Every file at once, as a user dropping a folder's worth on the page. */
static void
test_page (void)
{
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  VlResultsPage *page = g_object_new (VL_TYPE_RESULTS_PAGE, NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();
  g_autoptr(GString) messages = g_string_new (NULL);
  g_autoptr(GHashTable) titles = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 start, end;
  guint charts = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (page));
  gtk_widget_show_all (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < cases->len; i++)
    g_ptr_array_add (files, g_file_new_for_path (((Case *) cases->pdata[i])->path));
  start = g_get_monotonic_time ();
  end = start + 120 * G_USEC_PER_SEC;
  vl_results_page_open_files (page, (GFile **) files->pdata, files->len);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  while (page_busy (page) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (page_busy (page));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_test_message ("page: %u files opened and drawn in %.1f s", cases->len, (g_get_monotonic_time () - start) / 1e6);

  collect (GTK_WIDGET (page), widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      if (GTK_IS_INFO_BAR (widgets->pdata[i]))
        {
          g_autoptr(GPtrArray) inside = g_ptr_array_new ();

          collect (widgets->pdata[i], inside);
          for (guint j = 0; j < inside->len; j++)
            if (GTK_IS_LABEL (inside->pdata[j]))
              g_string_append_printf (messages, "%s\n", gtk_label_get_text (inside->pdata[j]));
        }
      if (VL_IS_CHART_VIEW (widgets->pdata[i]))
        {
          charts++;
          g_hash_table_add (titles, (gpointer) vl_chart_view_get_result (widgets->pdata[i])->title);
        }
    }
  g_test_message ("page: %u charts; the info bar says:\n%s", charts, messages->str);
  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = cases->pdata[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(VlResultSet) set = vl_result_file_load (c->path, &error);
      g_autofree char *shown = g_filename_display_name (c->path);

      /* What the loader refuses, the page names; what it loads, the page draws. */
      if (set == NULL && strstr (messages->str, shown) == NULL)
        g_error ("the page refused %s without naming it", c->name);
      if (set != NULL && vl_result_is_bar_graph (g_ptr_array_index (set->results, 0)) &&
          !g_hash_table_contains (titles, ((VlResult *) g_ptr_array_index (set->results, 0))->title))
        g_error ("the page shows no chart of %s", c->name);
    }
  /* And the window is still there to use: draw it once more. */
  gtk_widget_queue_draw (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gtk_widget_destroy (window);
}

/* ---- set-up --------------------------------------------------------------------------------------- */

static void
case_free (gpointer data)
{
  Case *c = data;

  if (g_str_has_prefix (c->path, dir))
    {
      if (g_file_test (c->path, G_FILE_TEST_IS_DIR) && !g_file_test (c->path, G_FILE_TEST_IS_SYMLINK))
        g_rmdir (c->path);
      else
        g_unlink (c->path);
    }
  g_free (c->path);
  g_free (c);
}

int
main (int argc, char **argv)
{
  g_autofree char *home = g_dir_make_tmp ("vl-hostile-home-XXXXXX", NULL);
  int status;

  /* An empty home: no PTS runs of whoever runs the tests. */
  g_setenv ("HOME", home, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("vl-hostile-XXXXXX", NULL);
  cases = g_ptr_array_new_with_free_func (case_free);
  make_files ();
  g_test_message ("%u hostile inputs", cases->len);

  g_test_add_func ("/results/hostile/loader", test_loader);
  g_test_add_func ("/results/hostile/export-command", test_export_command);
  g_test_add_func ("/results/hostile/page", test_page);
  status = g_test_run ();

  g_ptr_array_unref (cases);
  g_rmdir (dir);
  g_rmdir (home);
  g_free (dir);
  return status;
}
