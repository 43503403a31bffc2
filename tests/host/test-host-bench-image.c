/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Host page's "Benchmark Image" part under Xvfb: its states from the real image script (missing and
 * not buildable, ready in root's shared cache, ready in the user's own), and its preparation run for
 * real by the privileged helper (--root on a tiny system: the bench-image step fails, is tried again and
 * succeeds), and the Host page scrolled to it by host.show-part. */
#include "vl-test-text.h"
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>
#include <unistd.h>

#include "host-test-root.h"
#include "vl-test-idle.h"
#include "vl-host-bench-image.h"
#include "vl-host-page.h"
#include "vl-test-bench-image.h"

static void
assert_contains (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” is not in:\n%s", part, text);
}

static gboolean
enabled (GtkWidget *part, const char *action)
{
  return g_action_group_get_action_enabled (gtk_widget_get_action_group (part, "bench-image"), action);
}

/* The button with LABEL (its mnemonic text) under WIDGET. */
static GtkWidget *
find_button (GtkWidget *widget, const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_button (l->data, label);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

/* The widget named NAME under WIDGET. */
static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_named (l->data, name);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

/* What the step's mark says (its tooltip, which is its accessible name too). */
static char *
step_mark (GtkWidget *part)
{
  GtkWidget *mark = find_named (part, "bench-image-step-mark");

  g_assert_nonnull (mark);
  return gtk_widget_get_tooltip_text (mark);
}

static void
activate (GtkWidget *part, const char *action)
{
  g_assert_true (enabled (part, action));
  g_action_group_activate_action (gtk_widget_get_action_group (part, "bench-image"), action, NULL);
}

static void
painted (GdkFrameClock *clock, gboolean *done)
{
  *done = TRUE;
}

static void
save_screenshot (GtkWidget *window, const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "host", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  gboolean done = FALSE;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (painted), &done);
  cairo_surface_t *surface;
  cairo_t *cr;

  gtk_widget_queue_draw (window);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
  /* A button that just became sensitive fades in (Adwaita: 200 ms). */
  deadline = g_get_monotonic_time () + 400 * 1000;
  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
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

static GtkWidget *
new_part_window (const char *sysroot, GtkWidget **part)
{
  GtkWidget *window = gtk_offscreen_window_new ();

  *part = g_object_new (VL_TYPE_HOST_BENCH_IMAGE, "sysroot", sysroot, NULL);
  gtk_container_set_border_width (GTK_CONTAINER (window), 12);
  gtk_widget_set_size_request (window, 900, -1);
  gtk_container_add (GTK_CONTAINER (window), *part);
  gtk_widget_show_all (window);
  return window;
}

/* The part's states, each from the real script's --check with the caches in a test folder. */
static void
test_states (void)
{
  g_autofree char *root = g_dir_make_tmp ("virtlab-bench-image-XXXXXX", NULL);
  g_autofree char *key = vl_test_bench_image_key ();
  g_autofree char *shared = g_build_filename (root, "var/cache/virtlab/bench-image", key, NULL);
  g_autofree char *own = g_build_filename (g_get_user_cache_dir (), "virtlab", "bench-image", key, NULL);
  g_autofree char *text = NULL;
  GtkWidget *part, *window;

  /* Missing, and not buildable by this user (here: the runner it would put in is not there). */
  g_setenv ("VL_BENCH_RUNNER", "/nonexistent/runner.sh", TRUE);
  window = new_part_window (root, &part);
  vl_test_wait_until_idle (part, 60);
  text = vl_test_widget_text (part);
  assert_contains (text, "Benchmark Image\n");
  assert_contains (text, "Not built yet, and you cannot build it here\n");
  assert_contains (text, "/nonexistent/runner.sh");
  assert_contains (text, "Prepare it as root, once for every user of this computer:");
  assert_contains (text, "1. Build the benchmark guest image\n");
  /* The command the helper runs, before it runs. */
  assert_contains (text, "# /bin/bash " PKGDATADIR
                         "/bench/vl-bench-image.sh --cache /var/cache/virtlab/bench-image\n");
  g_assert_true (enabled (part, "prepare"));
  /* The user can press it: the button follows the action. */
  g_assert_true (gtk_widget_is_sensitive (find_button (part, "_Prepare the Benchmark Image")));
  g_assert_false (gtk_widget_is_sensitive (find_button (part, "_Try Again")));
  g_assert_false (enabled (part, "cancel"));
  g_assert_false (enabled (part, "retry"));
  save_screenshot (window, "bench-image-missing.png");
  g_unsetenv ("VL_BENCH_RUNNER");
  g_clear_pointer (&text, g_free);

  /* Root prepared it: ready, nothing to do. */
  vl_test_bench_image_make (shared);
  vl_host_bench_image_check (VL_HOST_BENCH_IMAGE (part));
  vl_test_wait_until_idle (part, 60);
  text = vl_test_widget_text (part);
  assert_contains (text, "Ready, prepared as root for every user\n");
  assert_contains (text, shared);
  g_assert_null (strstr (text, "Build the benchmark guest image"));
  g_assert_false (enabled (part, "prepare"));
  save_screenshot (window, "bench-image-shared.png");
  g_clear_pointer (&text, g_free);

  /* The user's own copy is the one used. */
  vl_test_bench_image_make (own);
  vl_host_bench_image_check (VL_HOST_BENCH_IMAGE (part));
  vl_test_wait_until_idle (part, 60);
  text = vl_test_widget_text (part);
  assert_contains (text, "Ready, in your own cache\n");
  assert_contains (text, own);
  g_assert_false (enabled (part, "prepare"));
  gtk_widget_destroy (window);
  remove_tree (own);
  remove_tree (root);
}

/* The stand-in image script in the tiny system: checks its arguments as the helper gives them, fails
 * while /fail-image is there (as the real one does without mmdebstrap), else writes an image. */
static const char fake_image_script[] =
  "echo \"vl-bench-image: arguments: $*\"\n"
  "[ \"$1 $2\" = \"--cache /var/cache/virtlab/bench-image\" ] || exit 3\n"
  "if [ -e /fail-image ]; then\n"
  "  echo 'vl-bench-image: cannot build the benchmark image: “mmdebstrap” is not installed' >&2; exit 2\n"
  "fi\n"
  "echo 'vl-bench-image: building the root with mmdebstrap' >&2\n"
  "mkdir -p \"$2/@KEY@\"\n"
  "for f in manifest root.ext4 vmlinuz initrd.img; do echo test > \"$2/@KEY@/$f\"; done\n"
  "echo \"$2/@KEY@\"\n";

static void
test_prepare (void)
{
  g_autofree char *root = NULL, *key = NULL, *script = NULL, *text = NULL, *image = NULL;
  g_autofree char *mkdir_link = NULL, *fail = NULL;
  GtkWidget *part, *window;
  gint64 deadline;

  if (geteuid () != 0)
    {
      g_test_skip ("the helper's --root mode runs commands through chroot, which needs root");
      return;
    }
  root = make_test_root ();
  key = vl_test_bench_image_key ();
  {
    GString *text_of_script = g_string_new (fake_image_script);

    g_string_replace (text_of_script, "@KEY@", key, 0);
    script = g_string_free (text_of_script, FALSE);
  }
  /* bash in the tiny system is busybox's sh; the script where the helper's command names it. */
  write_program (root, "bin/bash", "#!/bin/sh\nexec /bin/sh \"$@\"\n");
  write_program (root, PKGDATADIR "/bench/vl-bench-image.sh", script);
  mkdir_link = g_build_filename (root, "bin", "mkdir", NULL);
  g_assert_cmpint (symlink ("busybox", mkdir_link), ==, 0);
  fail = g_build_filename (root, "fail-image", NULL);
  g_assert_true (g_file_set_contents (fail, "", 0, NULL));

  window = new_part_window (root, &part);
  vl_test_wait_until_idle (part, 60);
  text = vl_test_widget_text (part);
  assert_contains (text, "Not built yet");
  g_clear_pointer (&text, g_free);

  /* The first run fails: the script's reason in the log, the helper's message, Try Again. */
  activate (part, "prepare");
  g_assert_true (enabled (part, "cancel"));
  vl_test_wait_until_idle (part, 60);
  text = vl_test_widget_text (part);
  assert_contains (text, "vl-bench-image: arguments: --cache /var/cache/virtlab/bench-image\n");
  assert_contains (text, "“mmdebstrap” is not installed");
  assert_contains (text, "failed with exit status 2");
  assert_contains (text, "\nFailed\n");
  assert_contains (text, "A copy of this log is kept in");
  g_assert_true (enabled (part, "retry"));
  g_assert_false (enabled (part, "cancel"));
  {
    g_autofree char *said = step_mark (part);

    g_assert_cmpstr (said, ==, "Failed");
  }
  save_screenshot (window, "bench-image-failed.png");
  g_clear_pointer (&text, g_free);

  /* Tried again with the tool there: the image in the system's shared cache, the part says ready. */
  g_assert_cmpint (g_unlink (fail), ==, 0);
  activate (part, "retry");
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!enabled (part, "check") && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  vl_test_wait_until_idle (part, 60);
  text = vl_test_widget_text (part);
  assert_contains (text, "building the root with mmdebstrap");
  assert_contains (text, "\nDone\n");
  assert_contains (text, "Ready, prepared as root for every user\n");
  image = g_build_filename ("var/cache/virtlab/bench-image", key, "root.ext4", NULL);
  g_assert_true (root_has (root, image));
  g_assert_false (enabled (part, "prepare"));
  g_assert_false (enabled (part, "retry"));
  {
    g_autofree char *said = step_mark (part);

    g_assert_cmpstr (said, ==, "Done");
  }
  save_screenshot (window, "bench-image-prepared.png");
  gtk_widget_destroy (window);
  remove_tree (root);
}

/* host.show-part('bench-image') (what win.show-page('host/bench-image') asks for): the Host page
 * scrolled down to the part. */
static void
test_page_shows_part (void)
{
  g_autofree char *sysroot = g_build_filename (VL_FIXTURES_DIR, "sysroots", "amd-svm-kvm-not-loaded", NULL);
  GtkWidget *window = gtk_offscreen_window_new ();
  GtkWidget *page = g_object_new (VL_TYPE_HOST_PAGE, "sysroot", sysroot, NULL);
  GtkWidget *scrolled;
  g_autofree char *text = NULL;
  GActionGroup *group;
  double value;
  gint64 deadline;

  if (!g_file_test (sysroot, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the fixture amd-svm-kvm-not-loaded is missing");
      gtk_widget_destroy (window);
      return;
    }
  gtk_widget_set_size_request (window, 1000, 700);
  gtk_container_add (GTK_CONTAINER (window), page);
  gtk_widget_show_all (window);
  vl_test_wait_until_idle (page, 60);
  text = vl_test_widget_text (page);
  assert_contains (text, "Benchmark Image\n");
  group = gtk_widget_get_action_group (page, "host");
  g_assert_true (g_action_group_has_action (group, "show-part"));
  g_action_group_activate_action (group, "show-part", g_variant_new_string ("bench-image"));
  vl_test_wait_until_idle (page, 60);
  {
    /* The report's scrolled window: the one whose child holds the part. */
    GtkWidget *part = NULL;
    g_autoptr(GList) queue = g_list_prepend (NULL, page);

    while (queue != NULL && part == NULL)
      {
        GtkWidget *widget = queue->data;

        queue = g_list_delete_link (queue, queue);
        if (VL_IS_HOST_BENCH_IMAGE (widget))
          part = widget;
        else if (GTK_IS_CONTAINER (widget))
          queue = g_list_concat (queue, gtk_container_get_children (GTK_CONTAINER (widget)));
      }
    g_list_free (queue);
    queue = NULL;
    g_assert_nonnull (part);
    scrolled = gtk_widget_get_ancestor (part, GTK_TYPE_SCROLLED_WINDOW);
  }
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  do
    {
      g_main_context_iteration (NULL, FALSE);
      value = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)));
    }
  while (value <= 0 && g_get_monotonic_time () < deadline);
  g_assert_cmpfloat (value, >, 0);
  save_screenshot (window, "host-page-bench-image.png");
  gtk_widget_destroy (window);
}

int
main (int argc, char **argv)
{
  g_autofree char *cache = g_dir_make_tmp ("virtlab-bench-image-cache-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (g_getenv ("VL_TOP_SRCDIR"), "data", "bench", NULL);
  int status;

  /* The user's image cache and the part's log go to a test folder; the script is the source tree's. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("VL_BENCH_DATA_DIR", data, TRUE);
  g_unsetenv ("VL_BENCH_IMAGE_SMALL");
  g_setenv ("VIRTLAB_HOST_HELPER", VL_HOST_HELPER, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/virtlab/Virtlab/style.css");
    gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (css),
                                               GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  g_test_add_func ("/host/bench-image/states", test_states);
  g_test_add_func ("/host/bench-image/prepare", test_prepare);
  g_test_add_func ("/host/bench-image/page-shows-part", test_page_shows_part);
  status = g_test_run ();
  remove_tree (cache);
  return status;
}
