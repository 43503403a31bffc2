/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Run Benchmarks assistant in the real window under Xvfb, on the embedded QEMU driver (TCG):
 *   /bench-assistant/no-image: no image and none can be built: the summary says so, Run stays off, and its
 *     button shows the Host page's Benchmark Image part;
 *   /bench-assistant/bad-input: two configurations with the same name, more memory than the host
 *     has, a connection that is not connected: each a message naming the thing, nothing created;
 *   /bench-assistant/run: two configurations, quick profile, 1 run of a few tests, opened from the
 *     Results page's action: the file is saved, opens on the Results page, validates against PTS's
 *     schema, reads back with positive CPU, memory and disk values for both; nothing is left;
 *   /bench-assistant/cancel: Cancel (confirmed) while a test runs: no guest and no disk is left,
 *     the results gathered are kept, marked incomplete.
 * The slow ones need the benchmark image (cached in ~/.cache/virtlab/bench-image) and skip without. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <glib/gstdio.h>

#include "vl-application.h"
#include "vl-bench-assistant.h"
#include "vl-connection.h"
#include "vl-connections.h"
#include "vl-guests-page.h"
#include "vl-result-file.h"
#include "vl-results-page-private.h"
#include "vl-window.h"

/* The interface's text in the language the test runs in (screenshots in zh_TW too). */
#define T(text) g_dgettext (GETTEXT_PACKAGE, text)

static VlApplication *app;
static char *work; /* this run's folder: the embed root and the data folder */
static char *embed_uri;
/* One test of each category (CPU, memory, disk): what the runs prove, at the least cost (CI time). */
static const char *const quick_tests[] = { "sysbench_cpu", "mem_ram_read", "fio_seq_write", NULL };

static void
iterate (void)
{
  while (gtk_events_pending ())
    gtk_main_iteration ();
}

/* Runs the main loop until CONDITION holds or SECONDS pass. */
#define WAIT_UNTIL(condition, seconds)                                              \
  G_STMT_START                                                                      \
  {                                                                                 \
    gint64 deadline = g_get_monotonic_time () + (gint64) (seconds) *G_USEC_PER_SEC; \
    while (!(condition) && g_get_monotonic_time () < deadline)                      \
      g_main_context_iteration (NULL, TRUE);                                        \
    g_assert_true (condition);                                                      \
  }                                                                                 \
  G_STMT_END

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* With VL_SHOT_DIR set, saves WINDOW as VL_SHOT_DIR/NAME.png (to look at every page). */
static void
shot (gpointer window, const char *name)
{
  const char *dir = g_getenv ("VL_SHOT_DIR");
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *file = NULL;
  GdkWindow *gdk_window;
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  if (dir == NULL)
    return;
  while (g_get_monotonic_time () < until)
    {
      while (gtk_events_pending ())
        gtk_main_iteration ();
      g_usleep (20000);
    }
  gdk_window = gtk_widget_get_window (GTK_WIDGET (window));
  pixbuf = gdk_pixbuf_get_from_window (gdk_window, 0, 0, gdk_window_get_width (gdk_window),
                                       gdk_window_get_height (gdk_window));
  file = g_strdup_printf ("%s/%s.png", dir, name);
  if (pixbuf != NULL)
    gdk_pixbuf_save (pixbuf, file, "png", NULL, NULL);
}

static GtkWidget *
find_widget (GtkWidget *widget, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_widget (l->data, type);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

/* The text of every label under WIDGET, one per line. */
static void
collect_text (GtkWidget *widget, GString *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        collect_text (l->data, text);
    }
}

static char *
page_text (GtkAssistant *assistant)
{
  GString *text = g_string_new (NULL);

  collect_text (gtk_assistant_get_nth_page (assistant, gtk_assistant_get_current_page (assistant)), text);
  return g_string_free (text, FALSE);
}

static gboolean
page_has (GtkAssistant *assistant, const char *needle)
{
  g_autofree char *text = page_text (assistant);

  return strstr (text, needle) != NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static VlConnection *
connection_of (GListModel *model, const char *uri)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VlConnection) conn = g_list_model_get_item (model, i);

      if (g_str_equal (vl_connection_get_uri (conn), uri))
        return conn;
    }
  return NULL;
}

/* The window with the embedded connection open, and the assistant opened through win.run-benchmarks. */
static VlBenchAssistant *
open_assistant (VlWindow **window_out, const char *const *uris)
{
  VlWindow *window = vl_window_new (app);
  GListModel *model;
  VlConnection *conn;
  VlBenchAssistant *assistant;

  gtk_widget_show (GTK_WIDGET (window));
  vl_window_open_connections (window, uris);
  model = vl_guests_page_get_connection_model (
    VL_GUESTS_PAGE (find_widget (GTK_WIDGET (window), VL_TYPE_GUESTS_PAGE)));
  WAIT_UNTIL ((conn = connection_of (model, embed_uri)) != NULL &&
                vl_connection_get_state (conn) == VL_CONNECTION_STATE_CONNECTED,
              60);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run-benchmarks", NULL);
  assistant = VL_BENCH_ASSISTANT (find_toplevel (VL_TYPE_BENCH_ASSISTANT));
  g_assert_nonnull (assistant);
  WAIT_UNTIL (vl_bench_assistant_is_ready (assistant), 60);
  iterate ();
  *window_out = window;
  return assistant;
}

static GList *
rows_of (VlBenchAssistant *assistant)
{
  GtkWidget *page = gtk_assistant_get_nth_page (GTK_ASSISTANT (assistant), 0);
  GtkWidget *first = NULL;
  GList *rows;

  /* The rows are the boxes that carry a "name" entry. */
  for (GtkWidget *w = find_widget (page, GTK_TYPE_ENTRY); w != NULL; w = NULL)
    first = gtk_widget_get_parent (w);
  g_assert_nonnull (first);
  rows = gtk_container_get_children (GTK_CONTAINER (gtk_widget_get_parent (first)));
  return rows;
}

static void
set_name (GtkWidget *row, const char *name)
{
  gtk_entry_set_text (GTK_ENTRY (find_widget (row, GTK_TYPE_ENTRY)), name);
}

/* Guests still defined or running on the embedded root, and work folders: none expected. */
static guint
leftovers (VlWindow *window)
{
  GListModel *model = vl_guests_page_get_connection_model (
    VL_GUESTS_PAGE (find_widget (GTK_WIDGET (window), VL_TYPE_GUESTS_PAGE)));
  GVirConnection *conn = vl_connection_get_connection (connection_of (model, embed_uri));
  g_autoptr(GError) error = NULL;
  g_autolist(GVirDomain) domains = NULL;
  g_autofree char *work_root = g_build_filename (g_get_user_data_dir (), "virtlab", "bench-work", NULL);
  g_autoptr(GDir) dir = g_dir_open (work_root, 0, NULL);
  guint n = 0;

  g_assert_true (gvir_connection_fetch_domains (conn, NULL, &error));
  domains = gvir_connection_get_domains (conn);
  for (GList *l = domains; l != NULL; l = l->next, n++)
    g_test_message ("left behind: guest %s", gvir_domain_get_name (l->data));
  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_bad_input (void)
{
  /* A second connection that is never opened. */
  const char *never = "test:///default";
  const char *uris[] = { embed_uri, NULL };
  VlWindow *window;
  VlBenchAssistant *assistant = open_assistant (&window, uris);
  GtkAssistant *ga = GTK_ASSISTANT (assistant);
  g_autoptr(GList) rows = NULL;
  GtkWidget *page0 = gtk_assistant_get_nth_page (ga, 0);
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  GtkWidget *memory;

  (void) never;
  /* The embedded driver offers QEMU without acceleration (no usable /dev/kvm here): one row. */
  rows = rows_of (assistant);
  g_assert_cmpuint (g_list_length (rows), >=, 1);
  g_assert_true (gtk_assistant_get_page_complete (ga, page0));
  shot (assistant, "1-configurations");

  /* Two configurations named the same: refused, naming the name. */
  vl_bench_assistant_add_row (assistant);
  g_list_free (rows);
  rows = rows_of (assistant);
  set_name (g_list_nth_data (rows, 0), "Same");
  set_name (g_list_nth_data (rows, 1), "Same");
  iterate ();
  g_assert_false (gtk_assistant_get_page_complete (ga, page0));
  text = page_text (ga);
  g_test_message ("%s", text);
  expected = g_strdup_printf (T ("Two configurations are named “%s”: give each its own name"), "Same");
  g_assert_nonnull (strstr (text, expected));
  shot (assistant, "1-duplicate-names");
  g_clear_pointer (&text, g_free);
  set_name (g_list_nth_data (rows, 1), "Other");
  iterate ();
  g_assert_true (gtk_assistant_get_page_complete (ga, page0));

  /* More memory than the host has: refused on step 2, naming the host. */
  gtk_assistant_next_page (ga);
  iterate ();
  memory = find_widget (gtk_assistant_get_nth_page (ga, 1), GTK_TYPE_SPIN_BUTTON);
  g_assert_true (gtk_assistant_get_page_complete (ga, gtk_assistant_get_nth_page (ga, 1)));
  /* The first spin button is vCPUs; memory is the next one in the grid. */
  {
    g_autoptr(GList) spins = NULL;
    GtkWidget *grid = gtk_widget_get_parent (memory);
    g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (grid));

    for (GList *l = children; l != NULL; l = l->next)
      if (GTK_IS_SPIN_BUTTON (l->data) && gtk_spin_button_get_value (l->data) == 1024 && l->data != memory)
        memory = l->data;
    (void) spins;
  }
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (memory), 1024 * 1024);
  iterate ();
  g_assert_false (gtk_assistant_get_page_complete (ga, gtk_assistant_get_nth_page (ga, 1)));
  text = page_text (ga);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, embed_uri));
  g_assert_nonnull (strstr (text, "1048576 MiB"));
  shot (assistant, "2-too-much-memory");
  g_clear_pointer (&text, g_free);

  /* The study profile raises the memory and the scratch disk to what its sizes need; a scratch disk
   * set lower again is refused with the least it needs. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (memory), 1024);
  iterate ();
  {
    GtkWidget *page1 = gtk_assistant_get_nth_page (ga, 1);
    GtkWidget *profile = find_widget (page1, GTK_TYPE_COMBO_BOX_TEXT);
    GtkWidget *scratch = NULL;
    g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (gtk_widget_get_parent (memory)));

    for (GList *l = children; l != NULL; l = l->next)
      if (GTK_IS_SPIN_BUTTON (l->data) && gtk_spin_button_get_value (l->data) == 512)
        scratch = l->data;
    g_assert_nonnull (profile);
    g_assert_nonnull (scratch);
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (profile), "study");
    iterate ();
    g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (memory)), ==, 2560);
    g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (scratch)), ==, 7680);
    g_assert_true (gtk_assistant_get_page_complete (ga, page1));
    shot (assistant, "2-study-profile");
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (scratch), 512);
    iterate ();
    g_assert_false (gtk_assistant_get_page_complete (ga, page1));
    text = page_text (ga);
    g_test_message ("%s", text);
    g_clear_pointer (&expected, g_free);
    expected = g_strdup_printf (T ("The study profile writes 4 GiB files and builds the whole kernel on the "
                                   "scratch disk: with these tests it needs at least %u MiB, not %u MiB"),
                                7680, 512);
    g_assert_nonnull (strstr (text, expected));
    shot (assistant, "2-study-scratch-too-small");
    g_clear_pointer (&text, g_free);
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (profile), "quick");
    iterate ();
    g_assert_true (gtk_assistant_get_page_complete (ga, page1));
  }

  /* Nothing was created. */
  g_assert_cmpuint (leftovers (window), ==, 0);
  gtk_widget_destroy (GTK_WIDGET (assistant));
  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
}

static void
test_disconnected (void)
{
  const char *uris[] = { embed_uri, "test:///nothing-here", NULL };
  VlWindow *window;
  VlBenchAssistant *assistant;
  g_autofree char *text = NULL;

  assistant = open_assistant (&window, uris);
  /* test:///nothing-here fails to open: it is named, and offers no row. */
  text = page_text (GTK_ASSISTANT (assistant));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "test:///nothing-here"));
  shot (assistant, "1-disconnected");
  g_assert_cmpuint (leftovers (window), ==, 0);
  gtk_widget_destroy (GTK_WIDGET (assistant));
  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
}

/* A visible button labelled LABEL, looking into internal children too (the assistant's own buttons). */
static void
find_button_in (GtkWidget *widget, gpointer data)
{
  gpointer *search = data;

  if (search[1] != NULL || !gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), search[0]) == 0)
    search[1] = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_button_in, data);
}

static GtkWidget *
find_button (GtkWidget *top, const char *label)
{
  gpointer search[2] = { (gpointer) label, NULL };

  find_button_in (top, search);
  if (search[1] == NULL)
    {
      /* With a header bar, the buttons live in the window's title bar. */
      GtkWidget *titlebar = gtk_window_get_titlebar (GTK_WINDOW (top));

      if (titlebar != NULL)
        find_button_in (titlebar, search);
    }
  return search[1];
}

/* No way to build the image (here: its script is missing, as when Virtlab is not installed
 * completely): the summary says so and Apply stays off; nothing is created. */
static void
test_no_image (void)
{
  const char *uris[] = { embed_uri, NULL };
  g_autofree char *data_dir = g_strdup (g_getenv ("VL_BENCH_DATA_DIR"));
  g_autofree char *missing = g_build_filename (work, "no-such-dir", NULL);
  g_autofree char *text = NULL;
  VlWindow *window;
  VlBenchAssistant *assistant;
  GtkAssistant *ga;

  g_setenv ("VL_BENCH_DATA_DIR", missing, TRUE);
  assistant = open_assistant (&window, uris);
  ga = GTK_ASSISTANT (assistant);
  gtk_assistant_next_page (ga);
  iterate ();
  gtk_assistant_next_page (ga);
  /* The check runs in a thread: the message comes when it is done. */
  WAIT_UNTIL (page_has (ga, missing), 60);
  g_setenv ("VL_BENCH_DATA_DIR", data_dir, TRUE);
  text = page_text (ga);
  g_test_message ("%s", text);
  g_assert_false (gtk_assistant_get_page_complete (ga, gtk_assistant_get_nth_page (ga, 2)));
  /* The summary's button says what it does: Run, not GtkAssistant's Apply. */
  g_assert_nonnull (find_button (GTK_WIDGET (assistant), T ("_Run")));
  g_assert_null (find_button (GTK_WIDGET (assistant), g_dgettext ("gtk30", "_Apply")));
  shot (assistant, "3-no-image");
  g_assert_cmpuint (leftovers (window), ==, 0);
  {
    /* The way to get the image: the Host page, at its Benchmark Image part (win.show-page). */
    GtkWidget *button = find_button (GTK_WIDGET (assistant), T ("_Prepare It on the Host Page"));
    GtkWidget *part;

    g_assert_nonnull (button);
    gtk_button_clicked (GTK_BUTTON (button));
    iterate ();
    g_assert_cmpstr (vl_window_get_visible_page (window), ==, "host");
    part = find_widget (GTK_WIDGET (window), g_type_from_name ("VlHostBenchImage"));
    g_assert_nonnull (part);
    WAIT_UNTIL (gtk_widget_get_mapped (part), 30);
  }
  gtk_widget_destroy (GTK_WIDGET (assistant));
  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
}

static gboolean
image_available (void)
{
  g_autofree char *dir = g_strdup (g_getenv ("VL_BENCH_DATA_DIR"));
  g_autofree char *script = g_build_filename (dir, "vl-bench-image.sh", NULL);
  const char *argv[] = { "/bin/bash", script, "--check", NULL };
  int status = -1;

  return g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, NULL) &&
         g_spawn_check_wait_status (status, NULL);
}

static void
on_saved (VlBenchAssistant *assistant, const char *path, char **saved)
{
  *saved = g_strdup (path);
}

/* Steps 1 to 3 with NAMES on the embedded connection, 1 run, then Run. */
static void
start_run (VlBenchAssistant *assistant, const char *const *names)
{
  GtkAssistant *ga = GTK_ASSISTANT (assistant);
  g_autoptr(GList) rows = rows_of (assistant);
  GtkWidget *grid;
  g_autoptr(GList) children = NULL;

  vl_bench_assistant_set_tests (assistant, quick_tests);
  for (guint i = g_list_length (rows); i < g_strv_length ((char **) names); i++)
    vl_bench_assistant_add_row (assistant);
  /* Rows beyond NAMES go with their Remove button (the last part of a row). */
  for (GList *l = g_list_nth (rows, g_strv_length ((char **) names)); l != NULL; l = l->next)
    {
      g_autoptr(GList) parts = gtk_container_get_children (l->data);

      gtk_button_clicked (g_list_last (parts)->data);
    }
  g_list_free (g_steal_pointer (&rows));
  rows = rows_of (assistant);
  g_assert_cmpuint (g_list_length (rows), ==, g_strv_length ((char **) names));
  for (guint i = 0; names[i] != NULL; i++)
    {
      /* The mode: the second combo box of the row (the capabilities may list KVM, not usable here). */
      g_autoptr(GList) parts = gtk_container_get_children (g_list_nth_data (rows, i));

      g_assert_true (gtk_combo_box_set_active_id (g_list_nth_data (parts, 1), "qemu-tcg"));
      set_name (g_list_nth_data (rows, i), names[i]);
    }
  iterate ();
  g_assert_true (gtk_assistant_get_page_complete (ga, gtk_assistant_get_nth_page (ga, 0)));
  gtk_assistant_next_page (ga);
  iterate ();
  /* Runs: the last spin button of the grid. */
  grid = gtk_widget_get_parent (find_widget (gtk_assistant_get_nth_page (ga, 1), GTK_TYPE_SPIN_BUTTON));
  children = gtk_container_get_children (GTK_CONTAINER (grid));
  for (GList *l = children; l != NULL; l = l->next)
    if (GTK_IS_SPIN_BUTTON (l->data) && gtk_spin_button_get_value (l->data) == 3)
      gtk_spin_button_set_value (l->data, 1);
  iterate ();
  g_assert_true (gtk_assistant_get_page_complete (ga, gtk_assistant_get_nth_page (ga, 1)));
  gtk_assistant_next_page (ga);
  /* The summary waits for the image check. */
  WAIT_UNTIL (gtk_assistant_get_page_complete (ga, gtk_assistant_get_nth_page (ga, 2)), 60);
  {
    g_autofree char *text = page_text (ga);

    g_test_message ("%s", text);
    g_assert_nonnull (strstr (text, T ("Estimated time")));
  }
  shot (assistant, "3-summary");
  gtk_assistant_next_page (ga);
  iterate ();
  g_assert_true (vl_bench_assistant_is_running (assistant));
}

static gboolean
all_positive (const VlResultSet *set, const char *system, const char *profile)
{
  guint n = 0;

  for (guint i = 0; i < set->results->len; i++)
    {
      VlResult *result = g_ptr_array_index (set->results, i);
      VlResultEntry *entry;

      if (strstr (result->identifier, profile) == NULL)
        continue;
      entry = vl_result_find_entry (result, system);
      if (entry == NULL || entry->failed || !(entry->value > 0))
        return FALSE;
      n++;
    }
  return n > 0;
}

static void
test_run (void)
{
  const char *uris[] = { embed_uri, NULL };
  const char *const names[] = { "TCG-A", "TCG-B", NULL };
  g_autofree char *schema = g_build_filename (g_getenv ("VL_TOP_SRCDIR"), "tests", "results", "schema",
                                              "pts-result-file.xsd", NULL);
  g_autofree char *saved = NULL, *ranking = NULL;
  g_autoptr(VlResultSet) set = NULL;
  g_autoptr(GError) error = NULL;
  VlWindow *window;
  VlBenchAssistant *assistant;
  int status = -1;

  if (!image_available ())
    {
      g_test_skip ("the benchmark image cannot be built here");
      return;
    }
  assistant = open_assistant (&window, uris);
  g_signal_connect (assistant, "result-saved", G_CALLBACK (on_saved), &saved);
  start_run (assistant, names);
  WAIT_UNTIL (vl_bench_assistant_is_running (assistant) &&
                strstr (gtk_label_get_text (
                          GTK_LABEL (find_widget (gtk_assistant_get_nth_page (GTK_ASSISTANT (assistant), 3),
                                                  GTK_TYPE_LABEL))),
                        "TCG-B") != NULL,
              900);
  shot (assistant, "4-progress");
  WAIT_UNTIL (!vl_bench_assistant_is_running (assistant), 900);
  shot (assistant, "5-finished");
  {
    g_autofree char *text = page_text (GTK_ASSISTANT (assistant));

    g_test_message ("%s", text);
  }
  g_assert_nonnull (saved);
  /* The copy where PTS (and the Results page's discovery) finds it: opened once, not twice. */
  g_assert_true (g_str_has_prefix (saved, g_get_home_dir ()));
  g_assert_true (g_str_has_suffix (saved, "/composite.xml"));
  /* It opened on the Results page. */
  iterate ();
  g_assert_cmpstr (vl_window_get_visible_page (window), ==, "results");
  {
    GString *text = g_string_new (NULL);

    collect_text (gtk_stack_get_visible_child (GTK_STACK (find_widget (GTK_WIDGET (window), GTK_TYPE_STACK))),
                  text);
    ranking = g_string_free (text, FALSE);
  }
  g_assert_nonnull (strstr (ranking, "TCG-A"));
  g_assert_nonnull (strstr (ranking, "TCG-B"));
  /* Shown alone: the systems of other open files (the study) are hidden. */
  {
    g_auto(GStrv) shown = vl_results_page_visible_systems (
      VL_RESULTS_PAGE (find_widget (GTK_WIDGET (window), VL_TYPE_RESULTS_PAGE)));
    g_autofree char *list = g_strjoinv (", ", shown);

    g_assert_cmpstr (list, ==, "TCG-A, TCG-B");
  }
  /* The file validates against PTS's schema. */
  {
    const char *argv[] = { "xmllint", "--noout", "--nonet", "--schema", schema, saved, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  set = vl_result_file_load (saved, &error);
  g_assert_no_error (error);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_assert_true (all_positive (set, names[i], "sysbench-cpu")); /* CPU */
      g_assert_true (all_positive (set, names[i], "sysbench-memory")); /* memory */
      g_assert_true (all_positive (set, names[i], "fio"));             /* disk */
    }
  g_assert_null (set->notes);
  g_assert_cmpuint (leftovers (window), ==, 0);
  gtk_widget_destroy (GTK_WIDGET (assistant));
  shot (window, "6-results-page");
  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
}

static char *
label_text (GtkWidget *page)
{
  return g_strdup (gtk_label_get_text (GTK_LABEL (find_widget (page, GTK_TYPE_LABEL))));
}

static gboolean
console_has (GtkWidget *page, const char *what)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find_widget (page, GTK_TYPE_TEXT_VIEW)));
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return strstr (text, what) != NULL;
}

/* A cold cache that is fast to satisfy: the tests' cached base linked into a fresh cache, so only the
 * runner is written into a copy (seconds). Building the image is the run's first phase, shown with
 * its step; the run is then cancelled, and nothing is left. Skipped without the tests' base. */
static void
test_image_phase (void)
{
  const char *uris[] = { embed_uri, NULL };
  const char *const names[] = { "Phase", NULL };
  g_autofree char *own_cache = g_strdup (g_getenv ("XDG_CACHE_HOME"));
  g_autofree char *script = g_build_filename (g_getenv ("VL_BENCH_DATA_DIR"), "vl-bench-image.sh", NULL);
  const char *argv[] = { "/bin/bash", script, "--print-key", NULL };
  g_autofree char *key = NULL, *manifest_path = NULL, *manifest = NULL, *base_name = NULL;
  g_autofree char *cold = g_build_filename (work, "cold-cache", NULL);
  g_autofree char *cold_images = g_build_filename (cold, "virtlab", "bench-image", NULL);
  g_autofree char *saw_phase = NULL, *saw_step = NULL;
  const char *base_key;
  GtkWidget *page;
  VlWindow *window;
  VlBenchAssistant *assistant;
  GtkWindow *confirm;
  guint source;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &key, NULL,
                               &status, NULL));
  g_strstrip (key);
  manifest_path = g_build_filename (own_cache, "virtlab", "bench-image", key, "manifest", NULL);
  base_key = g_file_get_contents (manifest_path, &manifest, NULL, NULL) ? strstr (manifest, "base_key=")
                                                                        : NULL;
  if (base_key == NULL)
    {
      g_test_skip ("the tests' cache has no benchmark image yet (bench-embed builds it)");
      return;
    }
  base_name = g_strdup_printf ("base-%.*s", (int) strcspn (base_key + 9, "\n"), base_key + 9);
  {
    g_autofree char *from = g_build_filename (own_cache, "virtlab", "bench-image", base_name, NULL);
    g_autofree char *to = g_build_filename (cold_images, base_name, NULL);
    static const char *const files[] = { "vmlinuz", "initrd.img", "root.ext4", "manifest" };

    g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_autofree char *a = g_build_filename (from, files[i], NULL);
        g_autofree char *b = g_build_filename (to, files[i], NULL);

        g_assert_cmpint (link (a, b), ==, 0);
      }
  }
  g_setenv ("XDG_CACHE_HOME", cold, TRUE);
  assistant = open_assistant (&window, uris);
  start_run (assistant, names);
  page = gtk_assistant_get_nth_page (GTK_ASSISTANT (assistant), 3);
  source = g_timeout_add (100, wake, NULL);
  /* The phase and its step, caught while the runner is written (they pass in seconds). */
  {
    gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

    while (saw_step == NULL && g_get_monotonic_time () < deadline &&
           vl_bench_assistant_is_running (assistant))
      {
        g_autofree char *phase = NULL;

        g_main_context_iteration (NULL, TRUE);
        phase = label_text (page);
        if (g_str_equal (phase, T ("Building the benchmark image")))
          {
            g_autofree char *text = page_text (GTK_ASSISTANT (assistant));

            saw_phase = g_steal_pointer (&phase);
            if (strstr (text, T ("Virtlab’s runner is written into a copy of the root")) != NULL)
              {
                saw_step = g_steal_pointer (&text);
                shot (assistant, "4-building-image");
              }
          }
      }
  }
  g_test_message ("%s", saw_step != NULL ? saw_step : "(the phase was not seen)");
  g_assert_nonnull (saw_phase);
  g_assert_nonnull (saw_step);
  g_assert_nonnull (strstr (saw_step, "1"));
  /* Then the image is there, in the (cold) cache, and the run goes on to the guest: Cancel. */
  WAIT_UNTIL (console_has (page, "vl-bench-image: runner written into "), 120);
  g_signal_emit_by_name (assistant, "cancel");
  iterate ();
  confirm = find_toplevel (GTK_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  gtk_dialog_response (GTK_DIALOG (confirm), GTK_RESPONSE_ACCEPT);
  WAIT_UNTIL (!vl_bench_assistant_is_running (assistant), 120);
  g_source_remove (source);
  {
    g_autofree char *image = g_build_filename (cold_images, key, "manifest", NULL);

    g_assert_true (g_file_test (image, G_FILE_TEST_IS_REGULAR));
  }
  g_assert_cmpuint (leftovers (window), ==, 0);
  gtk_widget_destroy (GTK_WIDGET (assistant));
  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
  g_setenv ("XDG_CACHE_HOME", own_cache, TRUE);
}

static void
test_cancel (void)
{
  const char *uris[] = { embed_uri, NULL };
  const char *const names[] = { "Cancelled", NULL };
  g_autofree char *saved = NULL;
  g_autoptr(VlResultSet) set = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextView *console;
  VlWindow *window;
  VlBenchAssistant *assistant;
  GtkWindow *confirm;
  guint source;

  if (!image_available ())
    {
      g_test_skip ("the benchmark image cannot be built here");
      return;
    }
  assistant = open_assistant (&window, uris);
  g_signal_connect (assistant, "result-saved", G_CALLBACK (on_saved), &saved);
  start_run (assistant, names);
  console = GTK_TEXT_VIEW (
    find_widget (gtk_assistant_get_nth_page (GTK_ASSISTANT (assistant), 3), GTK_TYPE_TEXT_VIEW));
  /* Wait for the first test's figure (what is gathered), then Cancel during the second. */
  source = g_timeout_add (200, wake, NULL);
  {
    gboolean seen = FALSE;
    gint64 deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;

    while (!seen && g_get_monotonic_time () < deadline)
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (console);
        GtkTextIter start, end;
        g_autofree char *text = NULL;

        g_main_context_iteration (NULL, TRUE);
        gtk_text_buffer_get_bounds (buffer, &start, &end);
        text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        seen = strstr (text, "Cancelled: run mem_ram_read 1/1") != NULL;
      }
    g_assert_true (seen);
  }
  g_signal_emit_by_name (assistant, "cancel");
  iterate ();
  confirm = find_toplevel (GTK_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  shot (confirm, "7-cancel-confirm");
  gtk_dialog_response (GTK_DIALOG (confirm), GTK_RESPONSE_ACCEPT);
  WAIT_UNTIL (!vl_bench_assistant_is_running (assistant), 300);
  g_source_remove (source);
  {
    g_autofree char *text = page_text (GTK_ASSISTANT (assistant));

    g_test_message ("%s", text);
    g_assert_nonnull (
      strstr (text, T ("Cancelled: the benchmark guests were stopped and their disks deleted.")));
  }
  shot (assistant, "8-cancelled");
  g_assert_cmpuint (leftovers (window), ==, 0);
  /* What was gathered is kept, marked incomplete. */
  g_assert_nonnull (saved);
  set = vl_result_file_load (saved, &error);
  g_assert_no_error (error);
  g_assert_true (all_positive (set, "Cancelled", "sysbench-cpu"));
  g_assert_nonnull (set->notes);
  g_assert_cmpstr (set->notes, ==,
                   T ("Incomplete: at least one configuration did not give all its results."));
  gtk_widget_destroy (GTK_WIDGET (assistant));
  gtk_widget_destroy (GTK_WIDGET (window));
  iterate ();
}

int
main (int argc, char *argv[])
{
  g_autofree char *root = NULL;
  gboolean slow = FALSE;
  int ret;

  /* --slow: the runs with real guests (meson runs them as their own test, alone). */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--slow"))
      {
        slow = TRUE;
        memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
        argc--;
        break;
      }

  work = g_dir_make_tmp ("vl-bench-assistant-XXXXXX", NULL);
  root = g_build_filename (work, "embed", NULL);
  embed_uri = g_strdup_printf ("qemu:///embed?root=%s", root);
  /* The image cache stays the user's (the expensive part); the results go to this run's folder. */
  /* Not g_get_home_dir (): it keeps the first answer, and HOME changes below. */
  if (g_getenv ("XDG_CACHE_HOME") == NULL)
    {
      g_autofree char *cache = g_build_filename (g_getenv ("HOME"), ".cache", NULL);

      g_setenv ("XDG_CACHE_HOME", cache, TRUE);
    }
  {
    g_autofree char *data = g_build_filename (work, "data", NULL);
    g_autofree char *home = g_build_filename (work, "home", NULL);

    g_setenv ("XDG_DATA_HOME", data, TRUE);
    g_mkdir_with_parents (home, 0700);
    g_setenv ("HOME", home, TRUE);
  }
  if (g_getenv ("VL_BENCH_DATA_DIR") == NULL)
    {
      g_autofree char *data_dir = g_build_filename (g_getenv ("VL_TOP_SRCDIR"), "data", "bench", NULL);

      g_setenv ("VL_BENCH_DATA_DIR", data_dir, TRUE);
    }
  g_setenv ("LIBVIRT_LOG_OUTPUTS", "4:stderr", FALSE);
  /* The app prepares its own embedded root so (QEMU's output in files, no virtlogd); one the user
   * adds with --connect is not, so the test prepares it before the window opens it. */
  g_assert_true (vl_connections_prepare_embed_root (root, NULL));
  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init chose en_US.UTF-8; as main.c, the user's language instead (for screenshots), and
   * LANG=zh_TW.UTF-8 where that locale was never generated still shows zh_TW. */
  if (setlocale (LC_ALL, "") == NULL)
    setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, vl_application_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gvir_init_object (NULL, NULL);

  app = vl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  if (!slow)
    {
      g_test_add_func ("/bench-assistant/bad-input", test_bad_input);
      g_test_add_func ("/bench-assistant/disconnected", test_disconnected);
      g_test_add_func ("/bench-assistant/no-image", test_no_image);
      g_test_add_func ("/bench-assistant/image-phase", test_image_phase);
    }
  else
    {
      g_test_add_func ("/bench-assistant/run", test_run);
      g_test_add_func ("/bench-assistant/cancel", test_cancel);
    }

  ret = g_test_run ();
  g_clear_object (&app);
  if (g_getenv ("VL_KEEP_WORK") == NULL)
    {
      const char *argv_rm[] = { "rm", "-rf", work, NULL };

      g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
    }
  return ret;
}
