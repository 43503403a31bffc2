/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Host page replayed with a real run of the Xen plan: what the helper said in the install
 * tier's Debian 12 machine (tests/host/fixtures/install-vm/, see its README) goes, line by line,
 * through the page's own runner and parser (tests/host/replay-helper.py stands in for the helper
 * and answers only the requests the real run had, word for word). Checked: the plan the page shows
 * for that machine, each step's state while it runs, the progress bar, the log, and at the end the
 * restart bar. Screenshots in the test's directory (English; LANGUAGE=zh_TW for the other). */
#include "vl-test-idle.h"
#include "vl-test-text.h"
#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <unistd.h>

#include "vl-host-page.h"

#define FIXTURES VL_HOST_FIXTURE_DIR "/install-vm"

/* ---- the page ------------------------------------------------------------------------------ */

static void
assert_contains (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” is not in:\n%s", part, text);
}

static void
find_all (GtkWidget *widget, GType type, const char *name, GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (name == NULL || g_strcmp0 (gtk_widget_get_name (widget), name) == 0))
    g_ptr_array_add (found, widget);
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        find_all (l->data, type, name, found);
    }
}

static GtkWidget *
find_one (GtkWidget *root, GType type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  find_all (root, type, NULL, found);
  g_assert_cmpuint (found->len, >=, 1);
  return g_ptr_array_index (found, 0);
}

/* The steps' states as the user sees them, one letter each: "-" nothing yet, ">" running,
 * "v" done, "x" failed: the mark's icon; a mark always has a name for screen readers. */
static char *
step_marks (GtkWidget *page)
{
  g_autoptr(GPtrArray) marks = g_ptr_array_new ();
  GString *letters = g_string_new (NULL);

  find_all (page, GTK_TYPE_IMAGE, "step-mark", marks);
  for (guint i = 0; i < marks->len; i++)
    {
      GtkImage *image = g_ptr_array_index (marks, i);
      const char *icon = NULL;
      const char *name = atk_object_get_name (gtk_widget_get_accessible (GTK_WIDGET (image)));

      g_assert_true (name != NULL && name[0] != '\0');
      if (gtk_image_get_storage_type (image) == GTK_IMAGE_ICON_NAME)
        gtk_image_get_icon_name (image, &icon, NULL);
      g_string_append_c (letters, g_strcmp0 (icon, "media-playback-start-symbolic") == 0 ? '>'
                                  : g_strcmp0 (icon, "emblem-ok-symbolic") == 0          ? 'v'
                                  : g_strcmp0 (icon, "dialog-error-symbolic") == 0       ? 'x'
                                                                                         : '-');
    }
  return g_string_free (letters, FALSE);
}

static void
activate (GtkWidget *page, const char *action, GVariant *param)
{
  GActionGroup *group = gtk_widget_get_action_group (page, "host");

  g_assert_true (g_action_group_get_action_enabled (group, action));
  g_action_group_activate_action (group, action, param);
}

static gboolean
enabled (GtkWidget *page, const char *action)
{
  return g_action_group_get_action_enabled (gtk_widget_get_action_group (page, "host"), action);
}

static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* The window as drawn now (the layout current first), into G_TEST_BUILDDIR/host/NAME[-LANGUAGE].png. */
static void
save_screenshot (GtkWidget *window, const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "host", NULL);
  const char *lang = g_getenv ("LANGUAGE");
  g_autofree char *file = g_strdup_printf ("%s%s%s.png", name, lang != NULL ? "-" : "",
                                           lang != NULL ? lang : "");
  g_autofree char *path = g_build_filename (dir, file, NULL);
  cairo_surface_t *surface;
  cairo_t *cr;

  settle (400);
  gtk_container_check_resize (GTK_CONTAINER (window));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gtk_widget_get_allocated_width (window),
                                        gtk_widget_get_allocated_height (window));
  cr = cairo_create (surface);
  gtk_widget_draw (window, cr);
  cairo_destroy (cr);
  g_mkdir_with_parents (dir, 0755);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  g_test_message ("screenshot: %s", path);
}

/* The page's words in the language the test runs in (LANGUAGE=zh_TW for the other screenshots). */
static char *
step_heading (guint n, guint of, const char *title)
{
  return g_strdup_printf (_("Step %u of %u: %s"), n, of, _(title));
}

static char *
row_title (guint n, const char *title)
{
  return g_strdup_printf ("%u. %s", n, _(title));
}

static void
assert_row (const char *text, guint n, const char *title)
{
  g_autofree char *row = row_title (n, title);

  assert_contains (text, row);
}

/* MARKS|PERCENT|the heading of step N of OF */
static void assert_seen_step (gpointer w, const char *marks, const char *percent, guint n, guint of,
                              const char *title);

/* ---- the fixture ---------------------------------------------------------------------------- */

/* The machine's state as the probe reads it (tests/install/snapshot-root.sh), unpacked. */
static char *
unpack_root (const char *tarball)
{
  g_autofree char *root = g_dir_make_tmp ("virtlab-replay-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (FIXTURES, tarball, NULL);
  const char *argv[] = { "tar", "-C", root, "-xzf", path, NULL };
  int status = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&root);
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

typedef struct
{
  GtkWidget *page;
  GPtrArray *seen; /* "MARKS|PERCENT|TEXT" each time the progress bar changed */
} Watch;

static void
snapshot (Watch *w)
{
  GtkProgressBar *bar = GTK_PROGRESS_BAR (find_one (w->page, GTK_TYPE_PROGRESS_BAR));
  g_autofree char *marks = step_marks (w->page);
  char *entry = g_strdup_printf ("%s|%d|%s", marks, (int) (gtk_progress_bar_get_fraction (bar) * 100 + 0.5),
                                 gtk_progress_bar_get_text (bar) ?: "");
  const char *last = w->seen->len ? g_ptr_array_index (w->seen, w->seen->len - 1) : "";

  if (g_str_equal (last, entry))
    g_free (entry);
  else
    g_ptr_array_add (w->seen, entry);
}

static void
changed (GObject *object, GParamSpec *pspec, Watch *w)
{
  snapshot (w);
}

/* A picture of the steps and the bar each time one of them changes. */
static void
watch (Watch *w, GtkWidget *page)
{
  g_autoptr(GPtrArray) marks = g_ptr_array_new ();

  w->page = page;
  w->seen = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (find_one (page, GTK_TYPE_PROGRESS_BAR), "notify::fraction", G_CALLBACK (changed), w);
  g_signal_connect (find_one (page, GTK_TYPE_PROGRESS_BAR), "notify::text", G_CALLBACK (changed), w);
  find_all (page, GTK_TYPE_IMAGE, "step-mark", marks);
  for (guint i = 0; i < marks->len; i++)
    g_signal_connect (g_ptr_array_index (marks, i), "notify::storage-type", G_CALLBACK (changed), w);
  for (guint i = 0; i < marks->len; i++)
    g_signal_connect (g_ptr_array_index (marks, i), "notify::icon-name", G_CALLBACK (changed), w);
}

static gboolean
seen_matching (Watch *w, const char *pattern)
{
  for (guint i = 0; i < w->seen->len; i++)
    if (g_pattern_match_simple (pattern, g_ptr_array_index (w->seen, i)))
      return TRUE;
  return FALSE;
}

static void
assert_seen (Watch *w, const char *pattern)
{
  if (!seen_matching (w, pattern))
    {
      g_autoptr(GString) all = g_string_new (NULL);

      for (guint i = 0; i < w->seen->len; i++)
        g_string_append_printf (all, "%s\n", (char *) g_ptr_array_index (w->seen, i));
      g_error ("the page never showed “%s”; it showed (steps|percent|text):\n%s", pattern, all->str);
    }
}

static void
assert_seen_step (gpointer w, const char *marks, const char *percent, guint n, guint of, const char *title)
{
  g_autofree char *heading = step_heading (n, of, title);
  g_autofree char *pattern = g_strdup_printf ("%s|%s|%s", marks, percent, heading);

  assert_seen (w, pattern);
}

static char *
replay_log (const char *path)
{
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

/* Starts the page on ROOT with the Xen target, the helper's answers from TRANSCRIPTS. */
static GtkWidget *
open_page (const char *root, const char *transcripts, const char *log, GtkWidget **page)
{
  GtkWidget *window = gtk_offscreen_window_new ();
  g_auto(GStrv) names = g_strsplit (transcripts, ":", -1);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (paths, g_build_filename (FIXTURES, names[i], NULL));
  g_ptr_array_add (paths, NULL);
  {
    g_autofree char *joined = g_strjoinv (":", (char **) paths->pdata);

    g_setenv ("VL_REPLAY_TRANSCRIPTS", joined, TRUE);
  }
  g_setenv ("VL_REPLAY_LOG", log, TRUE);
  *page = g_object_new (VL_TYPE_HOST_PAGE, "sysroot", root, NULL);
  gtk_widget_set_size_request (window, 1000, 2100);
  gtk_container_add (GTK_CONTAINER (window), *page);
  gtk_widget_show_all (window);
  activate (*page, "target", g_variant_new_string ("xen"));
  vl_test_wait_until_idle (*page, 30);
  return window;
}

/* Not root, the page starts the helper through pkexec, and the plan adds this user to the
 * libvirt group: the recorded run (root, user "tester") has neither. */
static gboolean
skip_unless_root (void)
{
  if (geteuid () == 0)
    return FALSE;
  g_test_skip ("the recorded run is replayed as root (no pkexec, no group step)");
  return TRUE;
}

/* ---- the remaining steps after the package step, to the restart bar ------------------------ */

static void
test_replay_xen_rest (void)
{
  g_autofree char *root = NULL;
  g_autofree char *log = NULL;
  g_autofree char *asked = NULL;
  g_autofree char *text = NULL;
  g_autofree char *marks = NULL;
  GtkWidget *page, *window;
  Watch w = { 0 };
  gint64 deadline;

  if (skip_unless_root ())
    return;
  root = unpack_root ("xen-root-after-packages.tar.gz");
  log = g_build_filename (root, "replay.log", NULL);
  window = open_page (root, "xen-rest.helper.txt", log, &page);

  /* The machine after the package step: the plan the page shows is what the VM's runner ran. */
  text = vl_test_widget_text (page);
  {
    g_autofree char *heading = g_strdup_printf (_("The plan that makes this computer %s (steps: %u)"),
                                                _("a Xen dom0"), 3);

    assert_contains (text, heading);
  }
  assert_row (text, 1, "Make Xen the default boot entry");
  assert_row (text, 2, "Write the new boot menu");
  assert_row (text, 3, "Restart the computer into Xen");
  assert_contains (text, "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1024M,max:1024M\"");
  marks = step_marks (page);
  g_assert_cmpstr (marks, ==, "---");
  save_screenshot (window, "host-replay-xen-plan");

  watch (&w, page);
  activate (page, "install", NULL);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while ((enabled (page, "cancel") || !enabled (page, "check")) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (enabled (page, "cancel"));

  /* The page asked for exactly the recorded requests, in order. */
  asked = replay_log (log);
  g_assert_cmpstr (asked, ==, "write-grub-config\nupdate-grub\n");
  /* Each step's state while it ran, with the bar: half way after the GRUB file, full at the end. */
  assert_seen_step (&w, ">--", "0", 1, 2, "Make Xen the default boot entry");
  assert_seen_step (&w, "v>-", "50", 2, 2, "Write the new boot menu");
  {
    g_autofree char *done = g_strdup_printf ("vv-|100|%s", _("Done: restart to start Xen"));

    assert_seen (&w, done);
  }
  g_assert_false (seen_matching (&w, "*x*"));

  vl_test_wait_until_idle (page, 30);
  settle (700); /* the restart bar slides in */
  g_clear_pointer (&text, g_free);
  text = vl_test_widget_text (page);
  /* The helper's real words from the machine, as the log shows them. */
  {
    g_autofree char *heading = step_heading (1, 2, "Make Xen the default boot entry");

    assert_contains (text, heading);
  }
  assert_contains (text, "Wrote /etc/default/grub.d/virtlab-xen.cfg");
  assert_contains (text, "$ update-grub");
  assert_contains (text, "Generating grub configuration file ...");
  assert_contains (text, "Found linux image: /boot/vmlinuz-6.1.0-");
  assert_contains (text, _("All steps are done."));
  /* The restart bar. */
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (find_one (page, GTK_TYPE_INFO_BAR))));
  save_screenshot (window, "host-replay-xen-done");
  gtk_widget_destroy (window);
  g_ptr_array_unref (w.seen);
  remove_tree (root);
}

/* ---- the package step, then cancelled where the recording ends ----------------------------- */

static void
test_replay_xen_packages (void)
{
  g_autofree char *root = NULL;
  g_autofree char *log = NULL;
  g_autofree char *asked = NULL;
  g_autofree char *text = NULL;
  GtkWidget *page, *window;
  Watch w = { 0 };
  gint64 deadline;
  gboolean cancelled = FALSE;

  if (skip_unless_root ())
    return;
  root = unpack_root ("xen-root-before.tar.gz");
  log = g_build_filename (root, "replay.log", NULL);
  window = open_page (root, "xen-packages.helper.txt", log, &page);
  text = vl_test_widget_text (page);
  assert_row (text, 1, "Refresh the package lists");
  assert_row (text, 2, "Install the virtualization packages");
  assert_contains (text, "# apt-get install --yes xen-system-amd64 qemu-system-xen qemu-utils "
                         "libvirt-daemon-driver-xen libvirt-daemon-system libvirt-clients");

  watch (&w, page);
  activate (page, "install", NULL);
  /* The recording ends after the package step (the tier keeps the machine there): when the page
   * goes on to the boot settings, the user cancels. */
  deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  while ((enabled (page, "cancel") || !enabled (page, "check")) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      if (!cancelled && seen_matching (&w, "vv>*"))
        {
          save_screenshot (window, "host-replay-xen-packages");
          activate (page, "cancel", NULL);
          cancelled = TRUE;
        }
    }
  g_assert_true (cancelled);
  asked = replay_log (log);
  g_assert_true (g_str_has_prefix (asked, "refresh-packages\ninstall-packages\nunrecorded "));
  assert_seen_step (&w, ">-------", "0", 1, 7, "Refresh the package lists");
  assert_seen_step (&w, "v>------", "14", 2, 7, "Install the virtualization packages");
  /* apt's own progress, through the helper, moves the bar within the step (of 7: 14 % to 28 %):
   * downloading, then installing. */
  assert_seen (&w, "v>*|1?|Retrieving file 1 of *");
  assert_seen (&w, "v>*|2?|Installed *");
  assert_seen (&w, "v>*|2?|Configuring *");
  {
    g_autofree char *cancelled_text = g_strdup_printf ("vv------|*|%s", _("Cancelled"));

    assert_seen (&w, cancelled_text);
  }
  vl_test_wait_until_idle (page, 30);
  g_clear_pointer (&text, g_free);
  text = vl_test_widget_text (page);
  assert_contains (text, "$ apt-get update");
  assert_contains (text, "Setting up xen-system-amd64");
  assert_contains (text, "Setting up libvirt-daemon-system");
  assert_contains (text, _("Cancelled."));
  gtk_widget_destroy (window);
  g_ptr_array_unref (w.seen);
  remove_tree (root);
}

/* ---- the undo of the boot settings, from the state the run left -------------------------- */

static void
test_replay_xen_undo (void)
{
  g_autofree char *root = NULL;
  g_autofree char *log = NULL;
  g_autofree char *asked = NULL;
  g_autofree char *text = NULL;
  GtkWidget *page, *window;
  gint64 deadline;

  if (skip_unless_root ())
    return;
  root = unpack_root ("xen-root-after-run.tar.gz");
  log = g_build_filename (root, "replay.log", NULL);
  window = open_page (root, "xen-undo.helper.txt", log, &page);
  /* The machine after the plan, before the restart: only the restart is left, and the page asks
   * for it; the boot settings can be undone. */
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (find_one (page, GTK_TYPE_INFO_BAR))));
  g_assert_false (enabled (page, "install"));
  activate (page, "undo-boot", NULL);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while ((enabled (page, "cancel") || !enabled (page, "check")) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  vl_test_wait_until_idle (page, 30);
  asked = replay_log (log);
  g_assert_cmpstr (asked, ==, "restore-grub-config\nupdate-grub\n");
  text = vl_test_widget_text (page);
  assert_contains (text, "Put back the earlier /etc/default/grub.d/virtlab-xen.cfg (it was kept as "
                         "virtlab-xen.cfg~)");
  /* The earlier file does not set XEN_OVERRIDE_GRUB_DEFAULT: the helper leaves Virtlab's file that
   * sets it to "0", and the real update-grub then no longer makes Xen the default (session 5's run
   * showed Debian's "GRUB_DEFAULT changed to boot into Xen by default!" here, and booted Xen). */
  assert_contains (text,
                   "Wrote /etc/default/grub.d/virtlab-no-xen-default.cfg: the computer starts without Xen "
                   "by default; the Xen entry stays in the boot menu");
  assert_contains (text, "$ update-grub");
  assert_contains (text, "Including Xen overrides from /etc/default/grub.d/xen.cfg");
  g_assert_null (strstr (text, "GRUB_DEFAULT changed to boot into Xen"));
  assert_contains (text, _("All steps are done."));
  save_screenshot (window, "host-replay-xen-undone");
  gtk_widget_destroy (window);
  remove_tree (root);
}

int
main (int argc, char **argv)
{
  g_autofree char *cache = g_dir_make_tmp ("virtlab-replay-cache-XXXXXX", NULL);
  int status;

  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("VIRTLAB_HOST_HELPER", VL_REPLAY_HELPER, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* The app's catalogue from the build: LANGUAGE=zh_TW shows (and checks) the page in Chinese. */
  if (setlocale (LC_ALL, "") == NULL)
    setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, VL_BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/virtlab/Virtlab/style.css");
    gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (css),
                                               GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  g_test_add_func ("/host/replay/xen-rest", test_replay_xen_rest);
  g_test_add_func ("/host/replay/xen-packages", test_replay_xen_packages);
  g_test_add_func ("/host/replay/xen-undo", test_replay_xen_undo);
  status = g_test_run ();
  remove_tree (cache);
  return status;
}
