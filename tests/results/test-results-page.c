/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Results page under Xvfb, driven through its `results.` actions: what the user sees changes. */
#include "config.h"

#include <string.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "vl-chart-view.h"
#include "vl-result-loader.h"
#include "vl-result-stats.h"
#include "vl-results-page.h"

static GtkWidget *window;
static VlResultsPage *page;

static void
iterate (void)
{
  while (gtk_events_pending ())
    gtk_main_iteration ();
}

static gboolean
is_busy (void)
{
  gboolean busy;

  g_object_get (page, "busy", &busy, NULL);
  return busy;
}

static void
wait_idle (void)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  iterate ();
  while (is_busy () && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, TRUE);
      iterate ();
    }
  g_assert_false (is_busy ());
  iterate ();
}

static void
collect (GtkWidget *widget, gpointer data)
{
  GPtrArray *found = data;
  GType type = GPOINTER_TO_SIZE (g_ptr_array_index (found, 0));

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), collect, found);
}

/* Widgets of a type in the page, in tree order; only those the user can see when `visible`. */
static GPtrArray *
find_all (GType type, gboolean visible)
{
  GPtrArray *found = g_ptr_array_new ();
  GPtrArray *out = g_ptr_array_new ();

  g_ptr_array_add (found, GSIZE_TO_POINTER (type));
  gtk_container_forall (GTK_CONTAINER (page), collect, found);
  for (guint i = 1; i < found->len; i++)
    if (!visible || gtk_widget_is_visible (found->pdata[i]))
      g_ptr_array_add (out, found->pdata[i]);
  g_ptr_array_unref (found);
  return out;
}

/* The systems' show/hide boxes (radio buttons are check buttons too). */
static guint
n_system_checks (void)
{
  g_autoptr(GPtrArray) checks = find_all (GTK_TYPE_CHECK_BUTTON, TRUE);
  guint n = 0;

  for (guint i = 0; i < checks->len; i++)
    n += G_OBJECT_TYPE (checks->pdata[i]) == GTK_TYPE_CHECK_BUTTON;
  return n;
}

static guint
n_system_checks_active (void)
{
  g_autoptr(GPtrArray) checks = find_all (GTK_TYPE_CHECK_BUTTON, TRUE);
  guint n = 0;

  for (guint i = 0; i < checks->len; i++)
    n += G_OBJECT_TYPE (checks->pdata[i]) == GTK_TYPE_CHECK_BUTTON &&
         gtk_toggle_button_get_active (checks->pdata[i]);
  return n;
}

/* The user unticks a box: the same as the action. */
static void
untick (const char *system)
{
  g_autoptr(GPtrArray) checks = find_all (GTK_TYPE_CHECK_BUTTON, TRUE);

  for (guint i = 0; i < checks->len; i++)
    if (g_strcmp0 (g_object_get_data (checks->pdata[i], "system"), system) == 0)
      gtk_toggle_button_set_active (checks->pdata[i], FALSE);
  iterate ();
}

static guint
n_charts (void)
{
  g_autoptr(GPtrArray) charts = find_all (VL_TYPE_CHART_VIEW, TRUE);

  return charts->len;
}

static VlChartView *
chart_titled (const char *title)
{
  g_autoptr(GPtrArray) charts = find_all (VL_TYPE_CHART_VIEW, FALSE);

  for (guint i = 0; i < charts->len; i++)
    if (g_str_equal (vl_chart_view_get_result (charts->pdata[i])->title, title))
      return charts->pdata[i];
  g_error ("no chart titled %s", title);
}

static const char *
ranking (const char *category)
{
  g_autoptr(GPtrArray) labels = find_all (GTK_TYPE_LABEL, TRUE);

  for (guint i = 0; i < labels->len; i++)
    if (g_str_equal (gtk_widget_get_name (labels->pdata[i]), category))
      return gtk_label_get_text (labels->pdata[i]);
  return NULL;
}

static gboolean
some_label_contains (const char *text)
{
  g_autoptr(GPtrArray) labels = find_all (GTK_TYPE_LABEL, TRUE);

  for (guint i = 0; i < labels->len; i++)
    if (strstr (gtk_label_get_text (labels->pdata[i]), text) != NULL)
      return TRUE;
  return FALSE;
}

static void
activate (const char *action, const char *target)
{
  GActionGroup *group = gtk_widget_get_action_group (GTK_WIDGET (page), "results");

  g_assert_true (g_str_has_prefix (action, "results."));
  g_action_group_activate_action (group, action + strlen ("results."), g_variant_new_string (target));
  iterate ();
}

/* Clicks the button bound to an action and target, as a user does. */
static void
click_button (const char *action, const char *target)
{
  g_autoptr(GPtrArray) buttons = find_all (GTK_TYPE_BUTTON, TRUE);

  for (guint i = 0; i < buttons->len; i++)
    {
      GVariant *value = gtk_actionable_get_action_target_value (buttons->pdata[i]);

      if (g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), action) == 0 && value != NULL &&
          g_str_equal (g_variant_get_string (value, NULL), target))
        {
          gtk_button_clicked (buttons->pdata[i]);
          iterate ();
          return;
        }
    }
  g_error ("no button for %s(%s)", action, target);
}

static char *
fixture (const char *name)
{
  return g_build_filename (g_getenv ("G_TEST_SRCDIR"), "results", "fixtures", name, NULL);
}

static void
open_fixtures (const char *const *names)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = fixture (names[i]);

      g_ptr_array_add (files, g_file_new_for_path (path));
    }
  vl_results_page_open_files (page, (GFile **) files->pdata, files->len);
  wait_idle ();
}

static GtkInfoBar *
info_bar (void)
{
  g_autoptr(GPtrArray) bars = find_all (GTK_TYPE_INFO_BAR, FALSE);

  return bars->pdata[0];
}

/* First start: the bundled study, twelve charts, and the study's conclusion in the summary. */
static void
test_first_start (void)
{

  wait_idle ();
  g_assert_cmpuint (n_charts (), ==, 12);
  g_assert_cmpuint (n_system_checks (), ==, 3);
  g_assert_cmpstr (ranking ("cpu"), ==, "Xen-PV > Xen-HVM > KVM-HVM");
  g_assert_cmpstr (ranking ("disk"), ==, "Xen-PV > Xen-HVM > KVM-HVM");
  g_assert_cmpstr (ranking ("memory"), ==, "Xen-PV > KVM-HVM > Xen-HVM");
  g_assert_true (some_label_contains ("91.2 %"));
  /* Hardware and software as the study describes them, under "System details". */
  g_assert_true (some_label_contains ("Core 2 Quad Q6600"));
  g_assert_true (some_label_contains ("Xen: 3.2.1, KVM: 72"));
  g_assert_cmpuint (vl_chart_view_get_n_bars (chart_titled ("Dbench")), ==, 3);
  g_assert_false (gtk_info_bar_get_revealed (info_bar ()));
}

static void
test_category_filter (void)
{
  static const struct { const char *id; guint charts; VlCategory category; } cases[] = {
    { "cpu", 3, VL_CATEGORY_CPU }, { "memory", 5, VL_CATEGORY_MEMORY }, { "disk", 4, VL_CATEGORY_DISK },
    { "all", 12, VL_CATEGORY_ALL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) charts = NULL;

      activate ("results.category", cases[i].id);
      charts = find_all (VL_TYPE_CHART_VIEW, TRUE);
      g_assert_cmpuint (charts->len, ==, cases[i].charts);
      for (guint c = 0; c < charts->len; c++)
        g_assert_true (vl_category_includes (cases[i].category, vl_chart_view_get_result (charts->pdata[c])));
    }
}

static void
test_systems_hide_and_reorder (void)
{
  VlChartView *kernel;

  activate ("results.toggle-system", "Xen-HVM");
  kernel = chart_titled ("Timed Linux Kernel Compilation");
  g_assert_cmpuint (vl_chart_view_get_n_bars (kernel), ==, 2);
  g_assert_cmpuint (n_system_checks_active (), ==, 2);
  g_assert_cmpstr (ranking ("cpu"), ==, "Xen-PV > KVM-HVM");
  activate ("results.toggle-system", "Xen-HVM");
  g_assert_cmpuint (vl_chart_view_get_n_bars (kernel), ==, 3);
  g_assert_cmpuint (n_system_checks_active (), ==, 3);
  untick ("KVM-HVM");
  g_assert_cmpuint (vl_chart_view_get_n_bars (kernel), ==, 2);
  g_assert_cmpstr (ranking ("disk"), ==, "Xen-PV > Xen-HVM");
  activate ("results.toggle-system", "KVM-HVM");
  g_assert_cmpuint (n_system_checks_active (), ==, 3);

  activate ("results.move-system-up", "KVM-HVM");
  kernel = chart_titled ("Timed Linux Kernel Compilation");
  g_assert_cmpstr (vl_chart_view_get_bar_label (kernel, 0), ==, "Xen-PV");
  g_assert_cmpstr (vl_chart_view_get_bar_label (kernel, 1), ==, "KVM-HVM");
  g_assert_cmpstr (vl_chart_view_get_bar_label (kernel, 2), ==, "Xen-HVM");
  activate ("results.move-system-down", "KVM-HVM");
  kernel = chart_titled ("Timed Linux Kernel Compilation");
  g_assert_cmpstr (vl_chart_view_get_bar_label (kernel, 2), ==, "KVM-HVM");

  /* The row's own arrow button, as the user clicks it (the row is rebuilt under it). */
  click_button ("results.move-system-down", "Xen-PV");
  kernel = chart_titled ("Timed Linux Kernel Compilation");
  g_assert_cmpstr (vl_chart_view_get_bar_label (kernel, 0), ==, "Xen-HVM");
  g_assert_cmpstr (vl_chart_view_get_bar_label (kernel, 1), ==, "Xen-PV");
  click_button ("results.move-system-up", "Xen-PV");
  kernel = chart_titled ("Timed Linux Kernel Compilation");
  g_assert_cmpstr (vl_chart_view_get_bar_label (kernel, 0), ==, "Xen-PV");
}

static void
test_baseline_and_tooltip (void)
{
  g_autoptr(GPtrArray) combos = NULL;
  g_autofree char *tip = NULL;
  g_autofree char *base_tip = NULL;

  activate ("results.baseline", "KVM-HVM");
  combos = find_all (GTK_TYPE_COMBO_BOX, TRUE);
  g_assert_cmpstr (gtk_combo_box_get_active_id (combos->pdata[0]), ==, "KVM-HVM");
  g_assert_true (some_label_contains ("Summary against KVM-HVM"));
  /* Xen-PV compiles in 2304.17 s against 3228.48 s: 3228.48 / 2304.17 = +40.1 %. */
  tip = vl_chart_view_describe_bar (chart_titled ("Timed Linux Kernel Compilation"), 0);
  g_assert_nonnull (strstr (tip, "<b>Xen-PV</b>"));
  g_assert_nonnull (strstr (tip, "2304.17 secs"));
  g_assert_nonnull (strstr (tip, "+40.1 % vs KVM-HVM"));
  base_tip = vl_chart_view_describe_bar (chart_titled ("Timed Linux Kernel Compilation"), 2);
  g_assert_nonnull (strstr (base_tip, "baseline"));
  /* The ranking does not depend on the baseline. */
  g_assert_cmpstr (ranking ("cpu"), ==, "Xen-PV > Xen-HVM > KVM-HVM");
  activate ("results.baseline", "Xen-PV");
}

/* Bad files are named in the info bar; the good one is merged in and nothing is lost. */
static void
test_open_good_and_bad (void)
{
  static const char *const names[] = { "bad-non-numeric.xml", "merge-a.xml", "bad-billion-laughs.xml", NULL };
  g_autofree char *tip = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  const char *text = NULL;

  open_fixtures (names);
  g_assert_true (gtk_info_bar_get_revealed (info_bar ()));
  g_assert_cmpint (gtk_info_bar_get_message_type (info_bar ()), ==, GTK_MESSAGE_WARNING);
  labels = find_all (GTK_TYPE_LABEL, TRUE);
  for (guint i = 0; i < labels->len && text == NULL; i++)
    if (strstr (gtk_label_get_text (labels->pdata[i]), "bad-non-numeric.xml") != NULL)
      text = gtk_label_get_text (labels->pdata[i]);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "line 47"));
  g_assert_nonnull (strstr (text, "bad-billion-laughs.xml"));
  g_assert_nonnull (strstr (text, "DOCTYPE"));

  g_assert_cmpuint (n_charts (), ==, 14);
  g_assert_cmpuint (n_system_checks (), ==, 4);
  tip = vl_chart_view_describe_bar (chart_titled ("Gzip Compression"), 0);
  g_assert_nonnull (strstr (tip, "Single runs: 10.4, 10.6"));
  g_assert_nonnull (strstr (tip, "Standard error: ±0.1"));
  /* host-1 shares no result with the study's systems. */
  g_assert_true (some_label_contains ("nothing to rank"));
}

/* Issue 15, item 6: after another file was opened, the study is still there after a restart: a
 * new page (as at the next start, same settings) opens the study and the file. */
static void
test_study_survives_restart (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.virtlab.Virtlab");
  g_auto(GStrv) saved = g_settings_get_strv (settings, "result-files");
  GtkWidget *window2 = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  VlResultsPage *first = page;

  g_assert_true (g_strv_contains ((const char * const *) saved, VL_RESULT_STUDY_URI));
  page = g_object_new (VL_TYPE_RESULTS_PAGE, NULL);
  gtk_container_add (GTK_CONTAINER (window2), GTK_WIDGET (page));
  gtk_widget_show_all (window2);
  g_assert_true (is_busy ());
  wait_idle ();
  g_assert_cmpuint (n_charts (), ==, 14);
  g_assert_nonnull (chart_titled ("Dbench"));
  g_assert_nonnull (chart_titled ("Gzip Compression"));
  gtk_widget_destroy (window2);
  page = first;
}

static void
test_table_and_failed (void)
{
  static const char *const names[] = { "pts3-two-systems.xml", NULL };
  g_autofree char *tip = NULL;
  VlChartView *kernel = NULL;
  g_autoptr(GPtrArray) charts = NULL;

  open_fixtures (names);
  g_assert_true (some_label_contains ("Results shown as a table"));
  g_assert_true (some_label_contains ("LINE_GRAPH"));
  g_assert_true (some_label_contains ("1.5,1.7,1.6 Seconds"));
  charts = find_all (VL_TYPE_CHART_VIEW, FALSE);
  for (guint i = 0; i < charts->len; i++)
    if (g_str_equal (vl_chart_view_get_result (charts->pdata[i])->description, "Build: defconfig"))
      kernel = charts->pdata[i];
  g_assert_nonnull (kernel);
  for (guint b = 0; b < vl_chart_view_get_n_bars (kernel); b++)
    if (g_str_equal (vl_chart_view_get_bar_label (kernel, b), "guest-b & co"))
      tip = vl_chart_view_describe_bar (kernel, b);
  g_assert_nonnull (strstr (tip, "guest-b &amp; co"));
  /* PTS's own reason, not only "failed". */
  g_assert_nonnull (strstr (tip, "The test run failed: The test run did not produce a result."));
}

static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vl-page-export-XXXXXX", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autofree char *csv_path = g_build_filename (dir, "results.csv", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  guint n = 0;

  vl_results_page_export_to (page, "csv", file);
  g_assert_true (is_busy ());
  wait_idle ();
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_nonnull (strstr (csv, "2304.17"));
  g_assert_nonnull (strstr (csv, "host-1"));
  g_assert_true (some_label_contains ("Saved 1 file in"));
  g_assert_false (some_label_contains ("1 files"));
  g_unlink (csv_path);
  /* A second export replaces the line instead of piling up under it. */
  vl_results_page_export_to (page, "csv", file);
  wait_idle ();
  {
    g_autoptr(GPtrArray) labels = find_all (GTK_TYPE_LABEL, TRUE);

    for (guint i = 0; i < labels->len; i++)
      {
        const char *text = gtk_label_get_text (labels->pdata[i]);
        const char *first = strstr (text, "Saved ");

        if (first != NULL)
          g_assert_null (strstr (first + 1, "Saved "));
      }
  }
  g_unlink (csv_path);

  /* Charts of the CPU category only: the study's three, plus the fixtures' CPU results. */
  activate ("results.category", "cpu");
  vl_results_page_export_to (page, "svg", file);
  wait_idle ();
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_true (g_str_has_suffix (name, ".svg"));
      n++;
      g_unlink (path);
    }
  g_assert_cmpuint (n, ==, n_charts ());
  g_assert_cmpuint (n, >=, 3);
  g_rmdir (dir);
  activate ("results.category", "all");
}

static const char *
info_text (void)
{
  g_autoptr(GPtrArray) labels = find_all (GTK_TYPE_LABEL, FALSE);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_ancestor (labels->pdata[i], GTK_TYPE_INFO_BAR) != NULL)
      return gtk_label_get_text (labels->pdata[i]);
  return NULL;
}

/* Issue 15, item 7: with systems hidden (unticked in the list, as the user does), the export is
 * what the page shows: drawn charts only, the shown systems' columns, and a message naming what
 * was left out. Charts none of the shown systems ran are not drawn as empty frames on the page
 * either; a line says how many there are. */
static void
test_export_hidden_systems (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vl-page-hidden-XXXXXX", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autofree char *csv_path = g_build_filename (dir, "results.csv", NULL);
  g_autofree char *csv = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GPtrArray) views = NULL;
  const char *name;
  guint n = 0, shown = 0;

  untick ("Xen-PV");
  untick ("Xen-HVM");
  untick ("KVM-HVM");
  /* No study chart is drawn empty: each chart still shown has a bar. */
  views = find_all (VL_TYPE_CHART_VIEW, TRUE);
  for (guint i = 0; i < views->len; i++)
    g_assert_cmpuint (vl_chart_view_get_n_bars (views->pdata[i]), >, 0);
  shown = views->len;
  g_assert_true (some_label_contains ("12 results are not drawn"));

  vl_results_page_export_to (page, "png", file);
  wait_idle ();
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GdkPixbuf) png = gdk_pixbuf_new_from_file (path, NULL);
      guint coloured = 0;

      /* Drawn bars, not an empty 0-1 frame: pixels of a system's (saturated) colour. */
      g_assert_nonnull (png);
      for (int y = 0; y < gdk_pixbuf_get_height (png); y++)
        for (int x = 0; x < gdk_pixbuf_get_width (png); x++)
          {
            const guchar *p = gdk_pixbuf_get_pixels (png) + y * gdk_pixbuf_get_rowstride (png) +
                              x * gdk_pixbuf_get_n_channels (png);

            coloured += ABS (p[0] - p[1]) + ABS (p[1] - p[2]) > 80;
          }
      g_assert_cmpuint (coloured, >, 400);
      n++;
      g_unlink (path);
    }
  g_assert_cmpuint (n, ==, shown);
  g_assert_nonnull (strstr (info_text (), "Left out: the hidden systems Xen-PV, Xen-HVM, KVM-HVM (3)."));
  g_assert_nonnull (strstr (info_text (), "12 results that no shown system ran are not exported."));

  vl_results_page_export_to (page, "csv", file);
  wait_idle ();
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_null (strstr (csv, "KVM-HVM"));
  g_assert_nonnull (strstr (csv, "host-1"));
  g_assert_nonnull (strstr (info_text (), "Left out: the hidden systems"));
  g_unlink (csv_path);
  g_rmdir (dir);

  activate ("results.toggle-system", "Xen-PV");
  activate ("results.toggle-system", "Xen-HVM");
  activate ("results.toggle-system", "KVM-HVM");
  g_assert_false (some_label_contains ("not drawn"));
}

static GtkFileChooser *
export_chooser (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (GTK_IS_FILE_CHOOSER_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* Issue 15, item 12: Export to Folder opens in a real folder (Documents the first time, never
 * "Recent"), Export accepts it, and the next export opens where the last one went. */
static void
test_export_folder_remembered (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vl-page-folder-XXXXXX", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "results.csv", NULL);
  g_autoptr(GSettings) settings = g_settings_new ("org.virtlab.Virtlab");
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  GtkFileChooser *chooser;
  g_autofree char *start = NULL;
  g_autofree char *again = NULL;

  g_settings_reset (settings, "export-folder");
  activate ("results.export", "csv");
  chooser = export_chooser ();
  g_assert_nonnull (chooser);
  start = gtk_file_chooser_get_current_folder (chooser);
  g_assert_nonnull (start);
  g_assert_cmpstr (start, ==, documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR) ?
                              documents : g_get_home_dir ());
  /* The user goes to a folder and presses Export. */
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, dir));
  /* The chooser changes folder asynchronously: the user presses Export once it shows it. */
  {
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (g_get_monotonic_time () < end)
      {
        g_autofree char *now = gtk_file_chooser_get_current_folder (chooser);

        if (g_strcmp0 (now, dir) == 0)
          break;
        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
      }
    iterate ();
  }
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  wait_idle ();
  g_assert_true (g_file_test (csv_path, G_FILE_TEST_EXISTS));
  g_assert_true (some_label_contains ("Saved 1 file in"));
  g_assert_null (export_chooser ());

  activate ("results.export", "svg");
  chooser = export_chooser ();
  g_assert_nonnull (chooser);
  again = gtk_file_chooser_get_current_folder (chooser);
  g_assert_cmpstr (again, ==, dir);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  iterate ();
  g_assert_null (export_chooser ());
  g_unlink (csv_path);
  g_rmdir (dir);
}

/* One chart saved from its context menu's action: what the view shows, as an SVG file. */
static void
test_save_one_chart (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vl-chart-save-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "dbench.svg", NULL);
  g_autofree char *svg = NULL;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  vl_chart_view_save (chart_titled ("Dbench"), VL_CHART_FORMAT_SVG, path);
  while (g_get_monotonic_time () < end)
    {
      g_clear_pointer (&svg, g_free);
      if (g_file_get_contents (path, &svg, NULL, NULL) && strstr (svg, "</svg>") != NULL)
        break;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_nonnull (svg);
  g_assert_nonnull (strstr (svg, "</svg>"));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_remove_runs (void)
{
  g_autoptr(GPtrArray) stacks = NULL;
  g_autofree char *a = fixture ("merge-a.xml");
  g_autofree char *b = fixture ("pts3-two-systems.xml");

  activate ("results.remove-run", VL_RESULT_STUDY_URI);
  g_assert_cmpuint (n_charts (), ==, 2 + 3);
  activate ("results.remove-run", b);
  /* host-1 alone: nothing to compare it with. */
  g_assert_true (some_label_contains ("Only one system is shown"));
  g_assert_null (ranking ("all"));
  click_button ("results.remove-run", a);
  activate ("results.remove-run", b);
  stacks = find_all (GTK_TYPE_STACK, TRUE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stacks->pdata[0]), ==, "empty");

  /* Item 6: the empty state offers the study back; its button brings the twelve charts. */
  {
    g_autoptr(GPtrArray) buttons = find_all (GTK_TYPE_BUTTON, TRUE);
    GtkWidget *study = NULL;

    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), "results.open-study") == 0)
        study = buttons->pdata[i];
    g_assert_nonnull (study);
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (study)), ==, "Open the 2010 _Study");
    gtk_button_clicked (GTK_BUTTON (study));
    wait_idle ();
    g_assert_cmpstr (gtk_stack_get_visible_child_name (stacks->pdata[0]), ==, "results");
    g_assert_cmpuint (n_charts (), ==, 12);
  }
}


/* A small result file of its own, whose one chart is titled `title`. */
static char *
write_result (const char *dir, const char *name, const char *title)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *xml = g_strdup_printf ("<PhoronixTestSuite><Result><Title>%s</Title>"
                                          "<DisplayFormat>BAR_GRAPH</DisplayFormat><Data><Entry>"
                                          "<Identifier>guard-host</Identifier><Value>1</Value></Entry></Data>"
                                          "</Result></PhoronixTestSuite>", title);

  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  return g_steal_pointer (&path);
}

static char **opening_when_saved;

static void
result_files_changed (GSettings *settings, const char *key, gpointer data)
{
  g_strfreev (opening_when_saved);
  opening_when_saved = g_settings_get_strv (settings, "result-files-opening");
}

/* Issue 14, item 1: the file list was saved before the charts were drawn, so a file whose chart
 * hung the app came back, and hung it again, at every start. Now a file is remembered only while
 * marked "being opened"; the mark goes once every chart of it was painted. */
static void
test_remembered_after_painting (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vl-guard-XXXXXX", NULL);
  g_autofree char *path = write_result (dir, "painted.xml", "Painted Once");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_auto(GStrv) saved = NULL;
  g_auto(GStrv) opening = NULL;
  gulong id = g_signal_connect (settings, "changed::result-files", G_CALLBACK (result_files_changed), NULL);

  (void) g_settings_get_strv (settings, "result-files");  /* "changed" is emitted once a key was read */
  vl_results_page_open_files (page, &file, 1);
  wait_idle ();
  g_signal_handler_disconnect (settings, id);
  chart_titled ("Painted Once");
  /* When the list with the new file was written, the file was marked as being opened... */
  g_assert_nonnull (opening_when_saved);
  g_assert_true (g_strv_contains ((const char * const *) opening_when_saved, path));
  /* ...and once all was painted, the mark is gone and the file remembered. */
  saved = g_settings_get_strv (settings, "result-files");
  opening = g_settings_get_strv (settings, "result-files-opening");
  g_assert_true (g_strv_contains ((const char * const *) saved, path));
  g_assert_cmpuint (g_strv_length (opening), ==, 0);
  g_clear_pointer (&opening_when_saved, g_strfreev);
  activate ("results.remove-run", path);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The next start after such a stop: the marked file is named in the bar, not opened; the others are. */
static void
test_not_reopened_after_stop (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vl-guard-XXXXXX", NULL);
  g_autofree char *good = write_result (dir, "good.xml", "Opened Again");
  g_autofree char *bad = write_result (dir, "stopped-the-app.xml", "Never Again");
  const char *saved[] = { good, bad, NULL };
  const char *marked[] = { bad, NULL };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  VlResultsPage *first = page;
  GtkWidget *second_window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  g_autoptr(GPtrArray) labels = NULL;
  g_auto(GStrv) now_saved = NULL;
  g_auto(GStrv) now_opening = NULL;
  gboolean named = FALSE;

  g_settings_set_strv (settings, "result-files", saved);
  g_settings_set_strv (settings, "result-files-opening", marked);
  /* A new start of the page. */
  page = g_object_new (VL_TYPE_RESULTS_PAGE, NULL);
  gtk_window_set_default_size (GTK_WINDOW (second_window), 1000, 700);
  gtk_container_add (GTK_CONTAINER (second_window), GTK_WIDGET (page));
  gtk_widget_show_all (second_window);
  wait_idle ();

  chart_titled ("Opened Again");
  g_assert_false (some_label_contains ("Never Again"));
  g_assert_true (gtk_info_bar_get_revealed (info_bar ()));
  labels = find_all (GTK_TYPE_LABEL, TRUE);
  for (guint i = 0; i < labels->len; i++)
    named |= strstr (gtk_label_get_text (labels->pdata[i]), bad) != NULL;
  g_assert_true (named);
  now_saved = g_settings_get_strv (settings, "result-files");
  now_opening = g_settings_get_strv (settings, "result-files-opening");
  g_assert_true (g_strv_contains ((const char * const *) now_saved, good));
  g_assert_false (g_strv_contains ((const char * const *) now_saved, bad));
  g_assert_cmpuint (g_strv_length (now_opening), ==, 0);

  gtk_widget_destroy (second_window);
  page = first;
  g_settings_reset (settings, "result-files");
  g_assert_cmpint (g_unlink (good), ==, 0);
  g_assert_cmpint (g_unlink (bad), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_autofree char *home = g_dir_make_tmp ("vl-home-XXXXXX", NULL);
  int status;

  /* An empty home: no PTS runs of whoever runs the tests. */
  g_setenv ("HOME", home, TRUE);
  gtk_test_init (&argc, &argv, NULL);

  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  page = g_object_new (VL_TYPE_RESULTS_PAGE, NULL);
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (page));
  gtk_widget_show_all (window);

  g_test_add_func ("/results/page/first-start", test_first_start);
  g_test_add_func ("/results/page/category-filter", test_category_filter);
  g_test_add_func ("/results/page/systems", test_systems_hide_and_reorder);
  g_test_add_func ("/results/page/baseline-tooltip", test_baseline_and_tooltip);
  g_test_add_func ("/results/page/open-good-and-bad", test_open_good_and_bad);
  g_test_add_func ("/results/page/study-survives-restart", test_study_survives_restart);
  g_test_add_func ("/results/page/table-and-failed", test_table_and_failed);
  g_test_add_func ("/results/page/export", test_export);
  g_test_add_func ("/results/page/export-hidden-systems", test_export_hidden_systems);
  g_test_add_func ("/results/page/export-folder", test_export_folder_remembered);
  g_test_add_func ("/results/page/save-one-chart", test_save_one_chart);
  g_test_add_func ("/results/page/remove-runs", test_remove_runs);
  g_test_add_func ("/results/page/remembered-after-painting", test_remembered_after_painting);
  g_test_add_func ("/results/page/not-reopened-after-stop", test_not_reopened_after_stop);
  status = g_test_run ();
  gtk_widget_destroy (window);
  g_rmdir (home);
  return status;
}
