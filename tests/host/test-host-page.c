/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Host page under Xvfb: check, checklist, plan preview, target switch, and a real install run. */
#include "vl-test-text.h"
#include "config.h"

#include <gtk/gtk.h>
#include <unistd.h>

#include "host-test-root.h"
#include "vl-test-idle.h"
#include "vl-host-page.h"

/* The page checks its system by itself when it is first shown. */
static GtkWidget *
new_page_window_full (const char *sysroot, const char *host_uri, GtkWidget **page)
{
  GtkWidget *window = gtk_offscreen_window_new ();

  *page = g_object_new (VL_TYPE_HOST_PAGE, "sysroot", sysroot, "host-uri", host_uri, NULL);
  gtk_widget_set_size_request (window, 1000, 1500);
  gtk_container_add (GTK_CONTAINER (window), *page);
  gtk_widget_show_all (window);
  return window;
}

static GtkWidget *
new_page_window (const char *sysroot, GtkWidget **page)
{
  return new_page_window_full (sysroot, NULL, page);
}

static void
activate (GtkWidget *page, const char *action, GVariant *param)
{
  GActionGroup *group = gtk_widget_get_action_group (page, "host");

  g_assert_nonnull (group);
  g_assert_true (g_action_group_get_action_enabled (group, action));
  g_action_group_activate_action (group, action, param);
}

static gboolean
enabled (GtkWidget *page, const char *action)
{
  return g_action_group_get_action_enabled (gtk_widget_get_action_group (page, "host"), action);
}

static void
painted (GdkFrameClock *clock, gboolean *done)
{
  *done = TRUE;
}

/* The window as drawn now, after a painted frame and the end of style transitions. */
static cairo_surface_t *
draw_window_now (GtkWidget *window)
{
  cairo_surface_t *surface;
  cairo_t *cr;

  /* Draw the widgets as they are now, rather than the last frame the offscreen window painted;
   * the layout must be current first. */
  gtk_container_check_resize (GTK_CONTAINER (window));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gtk_widget_get_allocated_width (window),
                                        gtk_widget_get_allocated_height (window));
  cr = cairo_create (surface);
  gtk_widget_draw (window, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static cairo_surface_t *
draw_window (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  gint64 settled;
  gboolean done = FALSE;
  gulong handler;

  /* Styles and sensitivity settle in a frame: wait for one to be painted. */
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (painted), &done);
  gtk_widget_queue_draw (window);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
  /* A radio button that was just chosen fades its mark in (Adwaita: 200 ms); a picture taken
   * earlier shows no hypervisor chosen at all. */
  settled = g_get_monotonic_time () + 400 * 1000;
  while (g_get_monotonic_time () < settled)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
  return draw_window_now (window);
}

static void
write_png (cairo_surface_t *surface, const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "host", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_mkdir_with_parents (dir, 0755);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("screenshot: %s", path);
}

static void
save_screenshot (GtkWidget *window, const char *name)
{
  cairo_surface_t *surface = draw_window (window);

  write_png (surface, name);
  cairo_surface_destroy (surface);
}

/* The radio buttons of the page, in order: KVM, then Xen. */
static void
collect_radios (GtkWidget *widget, GPtrArray *radios)
{
  if (GTK_IS_RADIO_BUTTON (widget))
    g_ptr_array_add (radios, widget);
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        collect_radios (l->data, radios);
    }
}

static GtkToggleButton *
radio (GtkWidget *page, guint index)
{
  g_autoptr(GPtrArray) radios = g_ptr_array_new ();

  collect_radios (page, radios);
  g_assert_cmpuint (radios->len, ==, 2);
  return g_ptr_array_index (radios, index);
}

/* Pixels of the accent colour (a chosen radio's blue dot) in the mark at the left of a radio
 * button, as drawn on the window's picture. */
static guint
drawn_accent_pixels (cairo_surface_t *surface, GtkWidget *window, GtkToggleButton *button)
{
  int x0, y0;
  int height = gtk_widget_get_allocated_height (GTK_WIDGET (button));
  int stride = cairo_image_surface_get_stride (surface);
  const guchar *data = cairo_image_surface_get_data (surface);
  guint n = 0;

  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (button), window, 0, 0, &x0, &y0));
  for (int y = y0; y < y0 + height; y++)
    for (int x = x0; x < x0 + 24; x++)
      {
        guint32 pixel = *(const guint32 *) (data + y * stride + x * 4);
        int r = (pixel >> 16) & 0xff, b = pixel & 0xff;

        n += b > 150 && b - r > 100;
      }
  return n;
}

/* The picture shows exactly one hypervisor chosen: the one the plan is for. */
static void
assert_drawn_choice (GtkWidget *window, GtkWidget *page, guint chosen, const char *png)
{
  cairo_surface_t *surface = draw_window (window);
  guint on = drawn_accent_pixels (surface, window, radio (page, chosen));
  guint off = drawn_accent_pixels (surface, window, radio (page, 1 - chosen));

  write_png (surface, png);
  cairo_surface_destroy (surface);
  g_assert_true (gtk_toggle_button_get_active (radio (page, chosen)));
  g_assert_false (gtk_toggle_button_get_active (radio (page, 1 - chosen)));
  if (on < 20 || off > 0)
    g_error ("%s: the chosen radio shows %u accent pixels (want 20 or more), the other %u (want 0)",
             png, on, off);
}

static void
assert_contains (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("the page does not show “%s”:\n%s", part, text);
}

/* What the page must say about this machine's distribution, worked out here from its os-release
 * by the rules of os-release(5) (ID, then ID_LIKE; /usr/lib/os-release when /etc has none), so the
 * test holds on any machine the README supports (Debian, Ubuntu, Fedora and their derivatives),
 * and on others the page must say "not supported". */
static char *
expected_distribution_line (void)
{
  static const char *const known[] = { "debian", "ubuntu", "fedora", NULL };
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *id = NULL, *like = NULL, *pretty = NULL;
  gboolean supported;

  if (!g_file_get_contents ("/etc/os-release", &contents, NULL, NULL) &&
      !g_file_get_contents ("/usr/lib/os-release", &contents, NULL, NULL))
    return g_strdup ("This system is not supported");
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *eq = strchr (lines[i], '=');
      g_autofree char *value = NULL;

      if (eq == NULL || lines[i][0] == '#')
        continue;
      *eq = '\0';
      value = g_shell_unquote (eq + 1, NULL);
      if (value == NULL)
        continue;
      if (g_str_equal (lines[i], "ID"))
        { g_free (id); id = g_steal_pointer (&value); }
      else if (g_str_equal (lines[i], "ID_LIKE"))
        { g_free (like); like = g_steal_pointer (&value); }
      else if (g_str_equal (lines[i], "PRETTY_NAME"))
        { g_free (pretty); pretty = g_steal_pointer (&value); }
    }
  supported = id != NULL && g_strv_contains (known, id);
  if (!supported && like != NULL)
    {
      g_auto(GStrv) parents = g_strsplit (like, " ", -1);

      for (guint i = 0; parents[i] != NULL && !supported; i++)
        supported = g_strv_contains (known, parents[i]);
    }
  return g_strdup_printf (supported ? "%s is supported" : "%s is not supported",
                          pretty != NULL ? pretty : id != NULL ? id : "This system");
}

static void
test_page_this_machine (void)
{
  GtkWidget *page;
  GtkWidget *window = new_page_window ("/", &page);
  g_autofree char *text = NULL;
  g_autofree char *cpuinfo = NULL;

  vl_test_wait_until_idle (page, 20);
  text = vl_test_widget_text (page);
  g_assert_true (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL));
  /* The page tells the truth about this machine's processor and /dev/kvm. */
  if (strstr (cpuinfo, " vmx") == NULL && strstr (cpuinfo, " svm") == NULL)
    {
      /* No flag: "not offered" without /dev/kvm, "not shown, but /dev/kvm is there" with it, and
       * never a promise of full speed next to either. */
      if (strstr (text, "does not offer") == NULL && strstr (text, "neither") == NULL)
        assert_contains (text, "does not show");
      g_assert_null (strstr (text, "full speed."));
    }
  else
    assert_contains (text, "The processor has");
  assert_contains (text, g_file_test ("/dev/kvm", G_FILE_TEST_EXISTS) ? "/dev/kvm exists" : "/dev/kvm does not exist");
  {
    g_autofree char *distribution = expected_distribution_line ();

    g_test_message ("this machine: %s", distribution);
    assert_contains (text, distribution);
  }
  save_screenshot (window, "host-page-this-machine.png");

  /* Xen on this machine: a plan, or, where no init system runs (a container), the reason why not. */
  activate (page, "target", g_variant_new_string ("xen"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (text);
  text = vl_test_widget_text (page);
  {
    g_autofree char *comm = NULL;
    gboolean no_init = !g_file_test ("/run/systemd/system", G_FILE_TEST_IS_DIR) &&
                       g_file_get_contents ("/proc/1/comm", &comm, NULL, NULL) &&
                       !g_str_equal (g_strstrip (comm), "init") && !g_str_equal (comm, "systemd");

    if (no_init)
      {
        assert_contains (text, "This system cannot become a Xen dom0: no init system runs here");
        assert_contains (text, "cannot restart into Xen.");
        g_assert_false (enabled (page, "install"));
      }
    else
      assert_contains (text, "The plan that makes this computer a Xen dom0");
  }
  save_screenshot (window, "host-page-this-machine-xen.png");
  activate (page, "target", g_variant_new_string ("kvm"));

  /* Check Again keeps the report on screen while it checks. */
  activate (page, "check", NULL);
  g_assert_false (enabled (page, "check"));
  vl_test_wait_until_idle (page, 20);
  g_free (text);
  text = vl_test_widget_text (page);
  assert_contains (text, "This Computer");
  g_assert_true (enabled (page, "check"));
  gtk_widget_destroy (window);
}

/* Opening the page is enough: it checks by itself and says what it checks meanwhile. */
static void
test_page_checks_when_shown (void)
{
  g_autofree char *root = g_build_filename (VL_FIXTURES_DIR, "sysroots", "amd-svm-kvm-not-loaded", NULL);
  GtkWidget *window = gtk_offscreen_window_new ();
  GtkWidget *page = g_object_new (VL_TYPE_HOST_PAGE, "sysroot", root, NULL);
  g_autofree char *before = NULL;
  g_autofree char *during = NULL;
  g_autofree char *after = NULL;
  gboolean busy = TRUE;

  gtk_widget_set_size_request (window, 1000, 800);
  gtk_container_add (GTK_CONTAINER (window), page);
  /* Not shown yet: nothing is checked, so a page that is never opened costs nothing. */
  g_object_get (page, "busy", &busy, NULL);
  g_assert_false (busy);
  before = vl_test_widget_text (page);
  gtk_widget_show_all (window);
  g_object_get (page, "busy", &busy, NULL);
  g_assert_true (busy);
  g_assert_false (enabled (page, "check"));
  g_assert_false (enabled (page, "install"));
  during = vl_test_widget_text (page);
  assert_contains (during, "Checking the processor’s virtualization extensions, the KVM modules");
  g_assert_null (strstr (during, "Check This Computer"));
  {
    /* At once, while the check runs in its thread. */
    cairo_surface_t *surface = draw_window_now (window);

    write_png (surface, "host-page-checking.png");
    cairo_surface_destroy (surface);
  }
  vl_test_wait_until_idle (page, 20);
  after = vl_test_widget_text (page);
  assert_contains (after, "AMD Ryzen 7 5800X 8-Core Processor");
  assert_contains (after, "The plan that makes this computer a KVM host");
  g_assert_null (strstr (after, "Checking the processor’s"));
  g_assert_true (enabled (page, "check"));
  gtk_widget_destroy (window);
}

/* While an install runs the target cannot change: the radio buttons must not pretend it did. */
static void
test_page_target_locked (void)
{
  g_autofree char *root = g_build_filename (VL_FIXTURES_DIR, "sysroots", "amd-svm-kvm-not-loaded", NULL);
  GtkWidget *page;
  GtkWidget *window = new_page_window (root, &page);
  GActionGroup *group = gtk_widget_get_action_group (page, "host");
  GAction *target;
  g_autoptr(GVariant) state = NULL;
  g_autofree char *text = NULL;

  vl_test_wait_until_idle (page, 20);
  /* What update_actions() does while the runner runs. */
  target = g_action_map_lookup_action (G_ACTION_MAP (group), "target");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (target), FALSE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* Insensitive: a click cannot reach them. */
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (radio (page, 0))));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (radio (page, 1))));
  state = g_action_group_get_action_state (group, "target");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "kvm");
  g_assert_true (gtk_toggle_button_get_active (radio (page, 0)));
  g_assert_false (gtk_toggle_button_get_active (radio (page, 1)));
  text = vl_test_widget_text (page);
  assert_contains (text, "The plan that makes this computer a KVM host");

  /* Enabled again, a click on Xen switches the plan, and a click on KVM switches it back. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (target), TRUE);
  gtk_button_clicked (GTK_BUTTON (radio (page, 1)));
  g_clear_pointer (&state, g_variant_unref);
  state = g_action_group_get_action_state (group, "target");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "xen");
  g_assert_true (gtk_toggle_button_get_active (radio (page, 1)));
  g_assert_false (gtk_toggle_button_get_active (radio (page, 0)));
  g_clear_pointer (&text, g_free);
  text = vl_test_widget_text (page);
  assert_contains (text, "The plan that makes this computer a Xen dom0");
  gtk_button_clicked (GTK_BUTTON (radio (page, 0)));
  g_clear_pointer (&state, g_variant_unref);
  state = g_action_group_get_action_state (group, "target");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "kvm");
  g_assert_true (gtk_toggle_button_get_active (radio (page, 0)));
  g_assert_false (gtk_toggle_button_get_active (radio (page, 1)));
  gtk_widget_destroy (window);
}

static void
test_page_fixture_plans (void)
{
  g_autofree char *root = g_build_filename (VL_FIXTURES_DIR, "sysroots", "amd-svm-kvm-not-loaded", NULL);
  GtkWidget *page;
  GtkWidget *window = new_page_window (root, &page);
  g_autofree char *kvm_text = NULL;
  g_autofree char *xen_text = NULL;

  vl_test_wait_until_idle (page, 20);
  kvm_text = vl_test_widget_text (page);
  assert_contains (kvm_text, "AMD Ryzen 7 5800X 8-Core Processor");
  assert_contains (kvm_text, "kvm_amd is not loaded");
  assert_contains (kvm_text, "# apt-get install --yes qemu-system-x86 qemu-utils");
  /* The helper's internal status descriptor is not part of what the user would type. */
  g_assert_null (strstr (kvm_text, "Status-Fd"));
  assert_contains (kvm_text, "# modprobe kvm_amd");
  assert_contains (kvm_text, "The plan that makes this computer a KVM host (steps: ");
  g_assert_true (enabled (page, "install"));
  g_assert_false (enabled (page, "cancel"));
  g_assert_false (enabled (page, "retry"));
  assert_drawn_choice (window, page, 0, "host-page-kvm-plan.png");

  activate (page, "target", g_variant_new_string ("xen"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  xen_text = vl_test_widget_text (page);
  assert_contains (xen_text, "The plan that makes this computer a Xen dom0 (steps: ");
  assert_contains (xen_text, "# apt-get install --yes xen-system-amd64");
  g_assert_null (strstr (xen_text, "Status-Fd"));
  assert_contains (xen_text, "Writes /etc/default/grub.d/virtlab-xen.cfg:");
  assert_contains (xen_text, "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=4096M,max:4096M\"");
  assert_contains (xen_text, "Restart the computer into Xen");
  g_assert_null (strstr (xen_text, "# modprobe kvm_amd"));
  assert_drawn_choice (window, page, 1, "host-page-xen-plan.png");
  gtk_widget_destroy (window);
}

static void
test_page_nothing_to_do (void)
{
  g_autofree char *root = g_build_filename (VL_FIXTURES_DIR, "sysroots", "xen-dom0-debian12", NULL);
  GtkWidget *page;
  GtkWidget *window = new_page_window (root, &page);
  g_autofree char *text = NULL;

  activate (page, "target", g_variant_new_string ("xen"));
  vl_test_wait_until_idle (page, 20);
  text = vl_test_widget_text (page);
  assert_contains (text, "This system runs as Xen dom0");
  assert_contains (text, "Nothing to do: this computer is already a Xen dom0.");
  g_assert_false (enabled (page, "install"));
  gtk_widget_destroy (window);
}

/* A host whose libvirt daemon runs shows what the hypervisor says about itself. */
static void
find_label_in (GtkWidget *widget, gpointer data)
{
  gpointer *search = data;

  if (search[1] != NULL)
    return;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), search[0]) == 0)
    search[1] = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_label_in, data);
}

/* The label that reads exactly text, anywhere under widget. */
static GtkWidget *
find_label (GtkWidget *widget, const char *text)
{
  gpointer search[2] = { (gpointer) text, NULL };

  find_label_in (widget, search);
  return search[1];
}

static void
find_stack_in (GtkWidget *widget, gpointer data)
{
  GtkWidget **found = data;

  if (*found != NULL)
    return;
  if (GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "report") != NULL)
    *found = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_stack_in, data);
}

/* The page's stack whose "report" child is the checklist and the plan. */
static GtkWidget *
find_stack (GtkWidget *page)
{
  GtkWidget *found = NULL;

  find_stack_in (page, &found);
  return found;
}

typedef struct {
  GtkWidget *window;
  GtkWidget *heading;
  gboolean   seen;
  gboolean   info_visible;
  int        y;
} ReportShown;

static void
on_report_shown (GtkStack *stack, GParamSpec *pspec, ReportShown *shown)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (stack), VL_TYPE_HOST_PAGE);
  GtkWidget *info_heading;
  gboolean busy = FALSE;

  if (shown->seen || g_strcmp0 (gtk_stack_get_visible_child_name (stack), "report") != 0)
    return;
  shown->seen = TRUE;
  g_object_get (page, "busy", &busy, NULL);
  g_assert_true (busy);   /* the answer has not come: it needs the main loop */
  info_heading = find_label (page, "Host Information");
  shown->heading = find_label (page, "This Computer");
  g_assert_nonnull (info_heading);
  g_assert_nonnull (shown->heading);
  shown->info_visible = gtk_widget_get_visible (gtk_widget_get_parent (info_heading));
  /* Lay the window out now, as it would be drawn before the answer. */
  gtk_container_check_resize (GTK_CONTAINER (shown->window));
  g_assert_true (gtk_widget_translate_coordinates (shown->heading, shown->window, 0, 0, NULL, &shown->y));
}

static void
test_page_host_information (void)
{
  g_autofree char *root = g_build_filename (VL_FIXTURES_DIR, "sysroots", "intel-vtx-kvm-loaded", NULL);
  GtkWidget *page;
  GtkWidget *window = new_page_window_full (root, "test:///default", &page);
  g_autofree char *text = NULL;
  ReportShown shown = { window, NULL, FALSE, FALSE, -1 };
  GtkWidget *stack = find_stack (page);
  int y_after = -1;

  /* The moment the report replaces the spinner, while the hypervisor is still being asked (its
   * answer needs the main loop, which is inside this handler): the Host Information section
   * already holds its place, so "This Computer" stays where it is when the answer comes. */
  g_assert_nonnull (stack);
  g_signal_connect (stack, "notify::visible-child-name", G_CALLBACK (on_report_shown), &shown);
  vl_test_wait_until_idle (page, 20);
  g_signal_handlers_disconnect_by_data (stack, &shown);
  g_assert_true (shown.seen);
  g_assert_true (shown.info_visible);
  while (gtk_events_pending ())
    gtk_main_iteration ();
  g_assert_true (gtk_widget_translate_coordinates (shown.heading, window, 0, 0, NULL, &y_after));
  g_test_message ("“This Computer” at y = %d px while asking, %d px after the answer", shown.y, y_after);
  g_assert_cmpint (shown.y, ==, y_after);
  text = vl_test_widget_text (page);
  assert_contains (text, "Host Information");
  /* Read by core's vl-host-info, as the Guests page's Host Details are: name, version, node. */
  assert_contains (text, "TEST 0.0.2 through libvirt (test:///default)");
  assert_contains (text, "16 processors at 1400 MHz");
  assert_contains (text, "Nothing to do: this computer is already a KVM host.");
  save_screenshot (window, "host-page-host-information.png");
  gtk_widget_destroy (window);
}

static void
test_page_check_fails (void)
{
  GtkWidget *page;
  GtkWidget *window = new_page_window ("/nonexistent/virtlab-root", &page);
  g_autofree char *text = NULL;

  vl_test_wait_until_idle (page, 20);
  text = vl_test_widget_text (page);
  assert_contains (text, "This computer could not be checked");
  assert_contains (text, "Check Again");
  assert_contains (text, "/nonexistent/virtlab-root");
  gtk_widget_destroy (window);
}

/* Install for real into a tiny system: the page starts the helper with --root on it. */
static void
test_page_install_run (void)
{
  g_autofree char *root = NULL;
  GtkWidget *page;
  GtkWidget *window;
  g_autofree char *text = NULL;
  gint64 deadline;

  if (geteuid () != 0)
    {
      g_test_skip ("the helper's --root mode runs commands through chroot, which needs root");
      return;
    }
  root = make_test_root ();
  window = new_page_window (root, &page);
  vl_test_wait_until_idle (page, 20);
  activate (page, "install", NULL);
  g_assert_true (enabled (page, "cancel"));
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((enabled (page, "cancel") || !enabled (page, "check")) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  vl_test_wait_until_idle (page, 20);
  text = vl_test_widget_text (page);
  assert_contains (text, "$ apt-get update");
  assert_contains (text, "Setting up qemu-utils");
  assert_contains (text, "$ virsh --connect qemu:///system pool-start default");
  assert_contains (text, "All steps are done.");
  assert_contains (text, "\nDone\n");
  g_assert_null (strstr (text, "Bad file descriptor"));
  assert_contains (text, "A copy of this log is kept in");
  g_assert_true (root_has (root, "ran-apt-get"));
  g_assert_true (root_has (root, "ran-virsh"));
  g_assert_false (enabled (page, "cancel"));
  g_assert_true (enabled (page, "install"));
  save_screenshot (window, "host-page-install-done.png");
  gtk_widget_destroy (window);
  remove_tree (root);
}

/* The Xen plan for real into a tiny system: the boot settings are written, then the page asks
 * for the restart, and checking again still asks for it until Xen runs. */
static void
test_page_install_xen (void)
{
  g_autofree char *root = NULL;
  g_autofree char *cfg = NULL;
  g_autofree char *text = NULL;
  GtkWidget *page;
  GtkWidget *window;
  gint64 deadline;

  if (geteuid () != 0)
    {
      g_test_skip ("the helper's --root mode runs commands through chroot, which needs root");
      return;
    }
  root = make_test_root ();
  window = new_page_window (root, &page);
  activate (page, "target", g_variant_new_string ("xen"));
  vl_test_wait_until_idle (page, 20);
  text = vl_test_widget_text (page);
  g_assert_null (strstr (text, "Restart the computer and choose the Xen entry"));
  assert_contains (text, "Writes /etc/default/grub.d/virtlab-xen.cfg:\n# Written by Virtlab: boot the Xen hypervisor");
  g_clear_pointer (&text, g_free);

  activate (page, "install", NULL);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((enabled (page, "cancel") || !enabled (page, "check")) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  vl_test_wait_until_idle (page, 20);
  text = vl_test_widget_text (page);
  assert_contains (text, "Wrote /etc/default/grub.d/virtlab-xen.cfg");
  assert_contains (text, "$ update-grub");
  assert_contains (text, "$ update-rc.d xendomains defaults");
  assert_contains (text, "Done: restart to start Xen");
  assert_contains (text, "Restart the computer and choose the Xen entry");
  assert_contains (text, "Xen is set up to start with the next boot.");
  /* Checked again: the boot settings are written, so that step left the plan. */
  g_assert_null (strstr (text, "Writes /etc/default/grub.d/virtlab-xen.cfg:"));
  assert_contains (text, "The plan that makes this computer a Xen dom0 (steps: 7)");
  g_assert_true (g_file_get_contents (g_build_filename (root, "etc/default/grub.d/virtlab-xen.cfg", NULL),
                                      &cfg, NULL, NULL));
  assert_contains (cfg, "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=");
  {
    /* The restart bar slides in: let its animation finish before the picture. */
    gint64 until = g_get_monotonic_time () + 600 * 1000;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  save_screenshot (window, "host-page-xen-done.png");

  /* The boot settings undone from the page: Virtlab's file had no earlier version, so it goes;
   * the menu is written again; the plan has its GRUB step again and the button is gone. */
  g_assert_true (enabled (page, "undo-boot"));
  g_clear_pointer (&text, g_free);
  activate (page, "undo-boot", NULL);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((enabled (page, "cancel") || !enabled (page, "check")) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  vl_test_wait_until_idle (page, 20);
  text = vl_test_widget_text (page);
  assert_contains (text, "Put back the earlier boot settings");
  assert_contains (text, "Removed /etc/default/grub.d/virtlab-xen.cfg (there was no earlier version)");
  /* The undo's promise: the computer starts without Xen (Debian's Xen packages would keep it the
   * default), the Xen entry stays; said in the helper's line in the log. */
  assert_contains (text,
                   "Wrote /etc/default/grub.d/virtlab-no-xen-default.cfg: the computer starts without Xen "
                   "by default; the Xen entry stays in the boot menu");
  g_assert_true (root_has (root, "etc/default/grub.d/virtlab-no-xen-default.cfg"));
  assert_contains (text, "$ update-grub");
  assert_contains (text, "Writes /etc/default/grub.d/virtlab-xen.cfg:");
  g_assert_false (root_has (root, "etc/default/grub.d/virtlab-xen.cfg"));
  g_assert_false (enabled (page, "undo-boot"));
  save_screenshot (window, "host-page-xen-undone.png");
  gtk_widget_destroy (window);
  remove_tree (root);
}

int
main (int argc, char **argv)
{
  g_autofree char *cache = g_dir_make_tmp ("virtlab-page-cache-XXXXXX", NULL);
  int status;

  /* The install log goes to the cache folder: keep it out of the real one. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("VIRTLAB_HOST_HELPER", VL_HOST_HELPER, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  {
    /* The app's own styling, so that the screenshots look like the app. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/virtlab/Virtlab/style.css");
    gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (css),
                                               GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  g_test_add_func ("/host/page/this-machine", test_page_this_machine);
  g_test_add_func ("/host/page/checks-when-shown", test_page_checks_when_shown);
  g_test_add_func ("/host/page/fixture-plans", test_page_fixture_plans);
  g_test_add_func ("/host/page/target-locked", test_page_target_locked);
  g_test_add_func ("/host/page/nothing-to-do", test_page_nothing_to_do);
  g_test_add_func ("/host/page/host-information", test_page_host_information);
  g_test_add_func ("/host/page/check-fails", test_page_check_fails);
  g_test_add_func ("/host/page/install-run", test_page_install_run);
  g_test_add_func ("/host/page/install-xen", test_page_install_xen);
  status = g_test_run ();
  remove_tree (cache);
  return status;
}
