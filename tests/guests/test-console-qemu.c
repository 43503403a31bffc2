/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The console against real QEMU (TCG) guests on qemu:///embed, in a real window under Xvfb. */
#include "config.h"

#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <gdk/gdkkeysyms.h>

#include "vl-application.h"
#include "vl-window.h"
#include "vl-guests-page-private.h"
#include "vl-console.h"
#include "vl-console-private.h"
#include "vl-console-window.h"
#include "vl-test-guest.h"
#include "vl-test-guests-page.h"

#define BANNER    "OPEN LAB CONSOLE TEST"
#define HELP_PAGE "THIS IS THE HELP PAGE"

static VlTestHost *host;
static char *iso_path;
static GVirDomain *bios_guest;   /* diskless: SeaBIOS only */
static GVirDomain *iso_guest;    /* boots the ISOLINUX CD */

typedef struct
{
  GtkWidget *window;
  VlConsole *console;
} Viewer;

static Viewer *
viewer_open (GVirDomain *domain)
{
  Viewer *viewer = g_new0 (Viewer, 1);

  viewer->window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_default_size (GTK_WINDOW (viewer->window), 820, 560);
  viewer->console = vl_console_new ();
  gtk_container_add (GTK_CONTAINER (viewer->window), GTK_WIDGET (viewer->console));
  gtk_widget_show_all (viewer->window);
  vl_console_set_domain (viewer->console, host->connection, domain);
  return viewer;
}

static void
viewer_close (Viewer *viewer)
{
  gtk_widget_destroy (viewer->window);
  g_free (viewer);
}

static gboolean
is_connected (gpointer data)
{
  return vl_console_get_state (data) == VL_CONSOLE_STATE_CONNECTED;
}

static gboolean
is_off (gpointer data)
{
  return vl_console_get_state (data) == VL_CONSOLE_STATE_OFF;
}

/* What the widget shows on the (Xvfb) screen, read back from its window: the user's picture. */
static GdkPixbuf *
widget_snapshot (VlConsole *console)
{
  GtkWidget *display = GTK_WIDGET (vl_console_get_display (console));
  GtkAllocation allocation;
  int x = 0, y = 0;

  if (display == NULL || !gtk_widget_get_mapped (display))
    return NULL;
  gtk_widget_get_allocation (display, &allocation);
  if (!gtk_widget_get_has_window (display))
    {
      x = allocation.x;
      y = allocation.y;
    }
  gdk_display_sync (gtk_widget_get_display (display));
  return gdk_pixbuf_get_from_window (gtk_widget_get_window (display), x, y,
                                     allocation.width, allocation.height);
}

static gboolean
pixbuf_is_blank (GdkPixbuf *pixbuf)
{
  const guchar *pixels = gdk_pixbuf_read_pixels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);

  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
      {
        const guchar *p = pixels + y * rowstride + x * n_channels;
        if (p[0] > 64 || p[1] > 64 || p[2] > 64)
          return FALSE;
      }
  return TRUE;
}

static gboolean
screen_has_content (gpointer data)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  if (!is_connected (data))
    return FALSE;
  pixbuf = vl_console_get_screen_pixbuf (data);
  return pixbuf != NULL && !pixbuf_is_blank (pixbuf);
}

typedef struct
{
  VlConsole  *console;
  const char *wanted;
  const char *unwanted;
  gint64      next_try;
  char       *last_text;
  char       *last_checksum;
} OcrWait;

static gboolean
screen_shows (gpointer data)
{
  OcrWait *wait = data;
  g_autoptr(GdkPixbuf) snapshot = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *wanted = g_ascii_strdown (wait->wanted, -1);

  if (g_get_monotonic_time () < wait->next_try || !is_connected (wait->console))
    return FALSE;
  wait->next_try = g_get_monotonic_time () + 300 * 1000;
  snapshot = widget_snapshot (wait->console);
  if (snapshot == NULL)
    return FALSE;
  /* tesseract costs a second of CPU the guest needs too: read only a picture that changed. */
  {
    g_autofree char *checksum = g_compute_checksum_for_data (G_CHECKSUM_MD5, gdk_pixbuf_read_pixels (snapshot),
                                                             gdk_pixbuf_get_byte_length (snapshot));
    if (g_strcmp0 (checksum, wait->last_checksum) == 0)
      return FALSE;
    g_free (wait->last_checksum);
    wait->last_checksum = g_steal_pointer (&checksum);
  }
  g_free (wait->last_text);
  wait->last_text = vl_test_ocr (snapshot);
  lower = g_ascii_strdown (wait->last_text, -1);
  if (wait->unwanted != NULL)
    {
      g_autofree char *unwanted = g_ascii_strdown (wait->unwanted, -1);
      if (strstr (lower, unwanted) != NULL)
        return FALSE;
    }
  return strstr (lower, wanted) != NULL;
}

static void
assert_screen_shows (VlConsole *console, const char *wanted, const char *unwanted, guint timeout_ms)
{
  OcrWait wait = { console, wanted, unwanted, 0, NULL, NULL };

  if (!vl_test_wait_until (screen_shows, &wait, timeout_ms))
    g_error ("the console did not show “%s”%s%s within %u ms; OCR read:\n%s", wanted,
             unwanted != NULL ? " without " : "", unwanted != NULL ? unwanted : "", timeout_ms,
             wait.last_text != NULL ? wait.last_text : "(nothing)");
  g_free (wait.last_text);
  g_free (wait.last_checksum);
}

static void
spin_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

/* Types like a person: each key goes down, stays down a moment, and comes up. */
static void
type_keys (VlConsole *console, const guint *keyvals, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      vnc_display_send_keys_ex (vl_console_get_display (console), &keyvals[i], 1, VNC_DISPLAY_KEY_EVENT_PRESS);
      spin_for (60);
      vnc_display_send_keys_ex (vl_console_get_display (console), &keyvals[i], 1, VNC_DISPLAY_KEY_EVENT_RELEASE);
      spin_for (60);
    }
}

static gboolean
status_is_paused (gpointer data)
{
  return g_str_has_prefix (gtk_label_get_text (((VlConsole *) data)->status_label), "Paused · ");
}

static gboolean
status_is_running (gpointer data)
{
  return g_str_has_prefix (gtk_label_get_text (((VlConsole *) data)->status_label), "Running · ");
}

static void
assert_status_size (VlConsole *console)
{
  g_autofree char *size = g_strdup_printf ("%d × %d", vnc_display_get_width (vl_console_get_display (console)),
                                           vnc_display_get_height (vl_console_get_display (console)));

  g_assert_true (g_str_has_suffix (gtk_label_get_text (console->status_label), size));
}

/* Ctrl and Alt as a person presses them: down, down, up, up, sent to the window as key events. */
static void
press_ctrl_alt (Viewer *viewer)
{
  GdkWindow *window = gtk_widget_get_window (viewer->window);

  gtk_widget_grab_focus (GTK_WIDGET (vl_console_get_display (viewer->console)));
  g_assert_true (gdk_test_simulate_key (window, -1, -1, GDK_KEY_Control_L, 0, GDK_KEY_PRESS));
  spin_for (40);
  g_assert_true (gdk_test_simulate_key (window, -1, -1, GDK_KEY_Alt_L, GDK_CONTROL_MASK, GDK_KEY_PRESS));
  spin_for (60);
  g_assert_true (gdk_test_simulate_key (window, -1, -1, GDK_KEY_Alt_L, GDK_CONTROL_MASK | GDK_MOD1_MASK,
                                        GDK_KEY_RELEASE));
  spin_for (40);
  g_assert_true (gdk_test_simulate_key (window, -1, -1, GDK_KEY_Control_L, GDK_CONTROL_MASK, GDK_KEY_RELEASE));
  spin_for (60);
}

static gboolean
is_grabbed (gpointer data)
{
  return vl_console_get_keyboard_grabbed (data);
}

static gboolean
is_not_grabbed (gpointer data)
{
  return !vl_console_get_keyboard_grabbed (data);
}

static void
find_label_cb (GtkWidget *widget, gpointer data)
{
  const char **wanted = data;

  if (*wanted == NULL)
    return;
  if (GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), *wanted) != NULL)
    *wanted = NULL;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_label_cb, data);
}

/* A label showing WANTED is visible on screen inside ROOT. */
static gboolean
find_visible_label (GtkWidget *root, const char *wanted)
{
  const char *left = wanted;

  find_label_cb (root, &left);
  return left == NULL;
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void
test_first_frame (void)
{
  Viewer *viewer;
  gint64 opened;

  vl_test_host_start (host, bios_guest);
  viewer = viewer_open (bios_guest);
  opened = g_get_monotonic_time ();
  g_assert_true (vl_test_wait_until (screen_has_content, viewer->console, 20000));
  g_test_message ("first non-blank frame %.0f ms after opening the console",
                  (g_get_monotonic_time () - opened) / 1000.0);
  assert_screen_shows (viewer->console, "SeaBIOS", NULL, 20000);
  g_assert_cmpstr (vl_console_get_shown_text (viewer->console), ==,
                   "The screen of guest “vl-bios”");
  g_assert_cmpstr (vl_console_get_route (viewer->console), ==, "Connected through libvirt");

  /* When gtk-vnc grabs mouse and keyboard, the console says so and names the release keys. */
  g_assert_false (find_visible_label (GTK_WIDGET (viewer->console), "press Ctrl+Alt"));
  vnc_display_force_grab (vl_console_get_display (viewer->console), TRUE);
  g_assert_true (vl_test_wait_until (is_grabbed, viewer->console, 5000));
  g_assert_true (find_visible_label (GTK_WIDGET (viewer->console), "press Ctrl+Alt to release"));
  vnc_display_force_grab (vl_console_get_display (viewer->console), FALSE);
  g_assert_true (vl_test_wait_until (is_not_grabbed, viewer->console, 5000));
  g_assert_false (find_visible_label (GTK_WIDGET (viewer->console), "press Ctrl+Alt"));

  /* Issue 15 item 13: paused, the header says so (it said "Running · 720 × 400"). */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (g_str_has_prefix (gtk_label_get_text (viewer->console->status_label), "Running · "));
    g_assert_true (gvir_domain_suspend (bios_guest, &error));
    g_assert_no_error (error);
    g_assert_true (vl_test_wait_until (status_is_paused, viewer->console, 10000));
    assert_status_size (viewer->console);
    {
      g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "console-paused.png", NULL);
      g_autoptr(GdkPixbuf) shot = NULL;

      spin_for (300);
      shot = gdk_pixbuf_get_from_window (gtk_widget_get_window (viewer->window), 0, 0,
                                         gtk_widget_get_allocated_width (viewer->window),
                                         gtk_widget_get_allocated_height (viewer->window));
      g_assert_true (gdk_pixbuf_save (shot, path, "png", NULL, NULL));
      g_test_message ("window screenshot: %s", path);
    }
    g_assert_true (gvir_domain_resume (bios_guest, &error));
    g_assert_no_error (error);
    g_assert_true (vl_test_wait_until (status_is_running, viewer->console, 10000));
  }

  /* Issue 15 item 5: what the hint says is what Ctrl+Alt does, pressed as keys on the window. Not
   * grabbed, Ctrl+Alt grabs nothing, however often (gtk-vnc's own grab keys grabbed the mouse). */
  for (guint i = 0; i < 3; i++)
    {
      press_ctrl_alt (viewer);
      spin_for (300);
      g_assert_false (vl_console_get_keyboard_grabbed (viewer->console));
    }
  /* Grabbed (as by a click in the screen), one Ctrl+Alt lets go of mouse and keyboard. */
  vnc_display_force_grab (vl_console_get_display (viewer->console), TRUE);
  g_assert_true (vl_test_wait_until (is_grabbed, viewer->console, 5000));
  g_assert_true (find_visible_label (GTK_WIDGET (viewer->console), "press Ctrl+Alt to release"));
  press_ctrl_alt (viewer);
  g_assert_true (vl_test_wait_until (is_not_grabbed, viewer->console, 5000));
  g_assert_false (find_visible_label (GTK_WIDGET (viewer->console), "press Ctrl+Alt"));
  g_assert_false (vnc_display_get_keyboard_grab (vl_console_get_display (viewer->console)));
  /* A click in the screen takes it back: keyboard grabbing is on again. */
  g_assert_true (gdk_test_simulate_button (gtk_widget_get_window (GTK_WIDGET (vl_console_get_display (viewer->console))),
                                           20, 20, 1, 0, GDK_BUTTON_PRESS));
  g_assert_true (gdk_test_simulate_button (gtk_widget_get_window (GTK_WIDGET (vl_console_get_display (viewer->console))),
                                           20, 20, 1, GDK_BUTTON1_MASK, GDK_BUTTON_RELEASE));
  spin_for (300);
  g_assert_true (vnc_display_get_keyboard_grab (vl_console_get_display (viewer->console)));
  /* And Ctrl+Alt lets go again. */
  vnc_display_force_grab (vl_console_get_display (viewer->console), TRUE);
  g_assert_true (vl_test_wait_until (is_grabbed, viewer->console, 5000));
  press_ctrl_alt (viewer);
  g_assert_true (vl_test_wait_until (is_not_grabbed, viewer->console, 5000));
  viewer_close (viewer);
}

static gboolean
window_is_small (gpointer data)
{
  return gtk_widget_get_allocated_width (data) <= 480;
}

static gboolean
display_is_full_size (gpointer data)
{
  VncDisplay *display = vl_console_get_display (data);

  return gtk_widget_get_allocated_width (GTK_WIDGET (display)) >= vnc_display_get_width (display) &&
         gtk_widget_get_allocated_height (GTK_WIDGET (display)) >= vnc_display_get_height (display);
}

static gboolean
display_fits_window (gpointer data)
{
  VncDisplay *display = vl_console_get_display (data);

  return gtk_widget_get_allocated_width (GTK_WIDGET (display)) <= 480 &&
         gtk_widget_get_allocated_height (GTK_WIDGET (display)) < vnc_display_get_height (display);
}

static void
test_boot_prompt_and_keys (void)
{
  static const guint typed[] = { GDK_KEY_x, GDK_KEY_y, GDK_KEY_z, GDK_KEY_z, GDK_KEY_y, GDK_KEY_Return };
  Viewer *viewer;
  GActionGroup *actions;

  vl_test_host_start (host, iso_guest);
  viewer = viewer_open (iso_guest);
  g_assert_true (vl_test_wait_until (is_connected, viewer->console, 20000));

  /* Pixel for pixel (scale off) for the reading. */
  actions = gtk_widget_get_action_group (GTK_WIDGET (viewer->console), "console");
  g_action_group_change_action_state (actions, "scale", g_variant_new_boolean (FALSE));
  assert_screen_shows (viewer->console, BANNER, NULL, 60000);

  /* Typed keys echo at the prompt; Enter boots that label, which does not exist, so ISOLINUX
   * says it cannot find that kernel. */
  type_keys (viewer->console, typed, G_N_ELEMENTS (typed) - 1);
  assert_screen_shows (viewer->console, "boot: xyzzy", NULL, 15000);
  type_keys (viewer->console, typed + G_N_ELEMENTS (typed) - 1, 1);
  assert_screen_shows (viewer->console, "Loading xyzzy... failed", NULL, 15000);

  /* Ctrl+Alt+Del from the Send Key menu resets the guest: the firmware starts over and the
   * console, still connected, shows the fresh prompt without the old messages. */
  g_assert_true (g_action_group_get_action_enabled (actions, "send-key"));
  g_action_group_activate_action (actions, "send-key", g_variant_new_string ("ctrl-alt-delete"));
  spin_for (1000);  /* let the keys go down and up before OCR blocks the main loop */
  assert_screen_shows (viewer->console, BANNER, "xyzzy", 60000);
  g_assert_cmpint (vl_console_get_state (viewer->console), ==, VL_CONSOLE_STATE_CONNECTED);

  /* In a window smaller than the guest's screen, 1:1 keeps the full size behind scroll bars,
   * and scale-to-fit shrinks it into the window. */
  gtk_window_resize (GTK_WINDOW (viewer->window), 480, 320);
  g_assert_true (vl_test_wait_until (window_is_small, viewer->window, 5000));
  g_assert_true (vl_test_wait_until (display_is_full_size, viewer->console, 5000));
  g_action_group_change_action_state (actions, "scale", g_variant_new_boolean (TRUE));
  g_assert_true (vl_test_wait_until (display_fits_window, viewer->console, 5000));
  viewer_close (viewer);
}

static void
screenshot_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  if (!vl_console_save_screenshot_finish (VL_CONSOLE (source), result, error) && *error == NULL)
    g_assert_not_reached ();
  g_main_context_wakeup (NULL);
  *(gboolean *) g_object_get_data (source, "vl-test-done") = TRUE;
}

static guint
count_differing (GdkPixbuf *a, GdkPixbuf *b)
{
  guint differing = 0;

  for (int y = 0; y < gdk_pixbuf_get_height (a); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (a); x++)
      {
        const guchar *p = gdk_pixbuf_read_pixels (a) + y * gdk_pixbuf_get_rowstride (a)
                          + x * gdk_pixbuf_get_n_channels (a);
        const guchar *q = gdk_pixbuf_read_pixels (b) + y * gdk_pixbuf_get_rowstride (b)
                          + x * gdk_pixbuf_get_n_channels (b);
        if (p[0] != q[0] || p[1] != q[1] || p[2] != q[2])
          differing++;
      }
  return differing;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_screenshot_file (void)
{
  Viewer *viewer = viewer_open (iso_guest);
  g_autofree char *path = g_build_filename (host->root, "shot.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GdkPixbuf) saved = NULL;
  g_autoptr(GdkPixbuf) framebuffer = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  VncDisplay *display;

  /* A settled screen (the boot prompt), so the file and the framebuffer show the same thing. */
  assert_screen_shows (viewer->console, BANNER, NULL, 60000);
  display = vl_console_get_display (viewer->console);
  g_object_set_data (G_OBJECT (viewer->console), "vl-test-done", &done);
  vl_console_save_screenshot_async (viewer->console, file, NULL, screenshot_saved, &error);
  g_assert_true (vl_test_wait_until (flag_set, &done, 10000));
  g_assert_no_error (error);

  saved = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  framebuffer = vnc_display_get_pixbuf (display);
  g_assert_cmpint (gdk_pixbuf_get_width (saved), ==, vnc_display_get_width (display));
  g_assert_cmpint (gdk_pixbuf_get_height (saved), ==, vnc_display_get_height (display));
  g_assert_cmpint (gdk_pixbuf_get_width (saved), ==, gdk_pixbuf_get_width (framebuffer));
  g_assert_cmpint (gdk_pixbuf_get_height (saved), ==, gdk_pixbuf_get_height (framebuffer));

  /* Same pixels, except where the text cursor may have blinked in between. */
  g_assert_cmpuint (count_differing (saved, framebuffer), <, 200);
  g_assert_false (pixbuf_is_blank (saved));

  /* A file that cannot be written gives a message naming it. */
  {
    g_autoptr(GFile) bad = g_file_new_for_path ("/nonexistent-dir/shot.png");
    done = FALSE;
    vl_console_save_screenshot_async (viewer->console, bad, NULL, screenshot_saved, &error);
    g_assert_true (vl_test_wait_until (flag_set, &done, 10000));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
    g_assert_nonnull (strstr (error->message, "/nonexistent-dir/shot.png"));
  }
  viewer_close (viewer);
}

static void
count_disconnects (VlConsole *console, GParamSpec *pspec, guint *count)
{
  if (vl_console_get_state (console) == VL_CONSOLE_STATE_DISCONNECTED)
    (*count)++;
}

static void
test_restart_cycles (void)
{
  Viewer *viewer = viewer_open (bios_guest);
  gint64 started = g_get_monotonic_time ();

  g_assert_true (vl_test_wait_until (screen_has_content, viewer->console, 20000));
  for (int cycle = 0; cycle < 10; cycle++)
    {
      GActionGroup *actions = gtk_widget_get_action_group (GTK_WIDGET (viewer->console), "console");

      vl_test_host_destroy (host, bios_guest);
      g_assert_true (vl_test_wait_until (is_off, viewer->console, 10000));
      g_assert_cmpstr (vl_console_get_shown_text (viewer->console), ==, "Guest “vl-bios” is off");
      g_assert_true (g_action_group_get_action_enabled (actions, "start"));

      /* Odd cycles start the guest from outside (another tool), even ones with the Start button. */
      if (cycle % 2 == 1)
        vl_test_host_start (host, bios_guest);
      else
        g_action_group_activate_action (actions, "start", NULL);
      if (!vl_test_wait_until (screen_has_content, viewer->console, 20000))
        g_error ("cycle %d: no screen after restart; state %d, shown “%s”", cycle,
                 vl_console_get_state (viewer->console), vl_console_get_shown_text (viewer->console));
    }
  g_test_message ("10 stop/start cycles with reconnection took %.1f s",
                  (g_get_monotonic_time () - started) / 1e6);

  /* The VNC link drops while the guest keeps running (network, VNC server): the view says it is
   * disconnected and connects again by itself, without the user. */
  {
    guint disconnects = 0;
    gulong handler = g_signal_connect (viewer->console, "notify::state", G_CALLBACK (count_disconnects),
                                       &disconnects);
    gint64 dropped = g_get_monotonic_time ();

    vnc_display_close (vl_console_get_display (viewer->console));
    g_assert_true (vl_test_wait_until (flag_set, &disconnects, 10000));
    g_assert_true (vl_test_wait_until (screen_has_content, viewer->console, 20000));
    g_test_message ("reconnected %.0f ms after the VNC link dropped", (g_get_monotonic_time () - dropped) / 1000.0);
    g_signal_handler_disconnect (viewer->console, handler);
  }
  viewer_close (viewer);
}

/* A read-only libvirt connection may not hand out the graphics socket: the console falls back to
 * the address in the guest's live <graphics> (the port QEMU picked), as for local guests. */
static void
test_address_fallback (void)
{
  GVirConnection *read_only = gvir_connection_new (host->uri);
  g_autoptr(GError) error = NULL;
  GVirDomain *domain;
  Viewer *viewer;

  gvir_connection_open_read_only (read_only, NULL, &error);
  g_assert_no_error (error);
  gvir_connection_fetch_domains (read_only, NULL, &error);
  g_assert_no_error (error);
  domain = gvir_connection_find_domain_by_name (read_only, "vl-bios");
  g_assert_nonnull (domain);
  g_assert_cmpint (gvir_domain_open_graphics_fd (domain, 0, 0, &error), <, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);

  viewer = g_new0 (Viewer, 1);
  viewer->window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  viewer->console = vl_console_new ();
  gtk_container_add (GTK_CONTAINER (viewer->window), GTK_WIDGET (viewer->console));
  gtk_widget_show_all (viewer->window);
  vl_console_set_domain (viewer->console, read_only, domain);
  g_assert_true (vl_test_wait_until (screen_has_content, viewer->console, 20000));
  g_assert_true (g_str_has_prefix (vl_console_get_route (viewer->console), "Connected to localhost port "));
  viewer_close (viewer);
  g_object_unref (domain);
  gvir_connection_close (read_only);
  g_object_unref (read_only);
}

static gboolean
has_console_window (gpointer data)
{
  VlConsoleWindow **found = data;
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (VL_IS_CONSOLE_WINDOW (l->data))
      *found = l->data;
  return *found != NULL;
}

static gboolean
is_fullscreen (gpointer data)
{
  return vl_console_get_fullscreen (data);
}

static gboolean
is_not_fullscreen (gpointer data)
{
  return !vl_console_get_fullscreen (data);
}

static void
window_state_event (GtkWidget *window, GdkWindowState state)
{
  GdkEvent *event = gdk_event_new (GDK_WINDOW_STATE);

  event->window_state.window = g_object_ref (gtk_widget_get_window (window));
  event->window_state.changed_mask = GDK_WINDOW_STATE_FULLSCREEN;
  event->window_state.new_window_state = state;
  gtk_main_do_event (event);
  gdk_event_free (event);
}

static void
find_button_cb (GtkWidget *widget, gpointer data)
{
  const char **label = data;

  if (*label == NULL)
    return;
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), *label) == 0)
    *label = NULL;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_button_cb, data);
}

static gboolean
find_visible_button (GtkWidget *root, const char *label)
{
  const char *wanted = label;

  find_button_cb (root, &wanted);
  return wanted == NULL;
}

static void
test_own_window_and_fullscreen (void)
{
  Viewer *viewer = viewer_open (bios_guest);
  VlConsoleWindow *window = NULL;
  VlConsole *second;
  GActionGroup *actions;

  g_assert_true (vl_test_wait_until (is_connected, viewer->console, 20000));
  actions = gtk_widget_get_action_group (GTK_WIDGET (viewer->console), "console");
  g_action_group_activate_action (actions, "open-window", NULL);
  g_assert_true (vl_test_wait_until (has_console_window, &window, 5000));
  second = vl_console_window_get_console (window);
  /* Both views share the guest's screen. */
  g_assert_true (vl_test_wait_until (screen_has_content, second, 20000));
  g_assert_true (is_connected (viewer->console));

  actions = gtk_widget_get_action_group (GTK_WIDGET (second), "console");
  g_assert_false (g_action_group_get_action_enabled (actions, "open-window"));
  g_assert_true (g_action_group_get_action_enabled (actions, "fullscreen"));
  g_action_group_activate_action (actions, "fullscreen", NULL);
  /* Xvfb has no window manager to grant fullscreen, so deliver the state change it would send:
   * the console then hides its toolbar and shows the way out. */
  window_state_event (GTK_WIDGET (window), GDK_WINDOW_STATE_FULLSCREEN);
  g_assert_true (vl_test_wait_until (is_fullscreen, second, 5000));
  g_assert_true (find_visible_button (GTK_WIDGET (second), "Leave Fullscreen (F11)"));
  window_state_event (GTK_WIDGET (window), 0);
  g_assert_true (vl_test_wait_until (is_not_fullscreen, second, 5000));
  g_assert_false (find_visible_button (GTK_WIDGET (second), "Leave Fullscreen (F11)"));

  gtk_widget_destroy (GTK_WIDGET (window));
  viewer_close (viewer);
}

typedef struct
{
  GtkDialog *dialog;
  GtkEntry  *password;
} PasswordDialog;

static void
find_password_entry (GtkWidget *widget, gpointer data)
{
  PasswordDialog *found = data;

  if (GTK_IS_ENTRY (widget) && !gtk_entry_get_visibility (GTK_ENTRY (widget)))
    found->password = GTK_ENTRY (widget);
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_password_entry, data);
}

static gboolean
has_password_dialog (gpointer data)
{
  PasswordDialog *found = data;
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  found->dialog = NULL;
  found->password = NULL;
  for (GList *l = windows; l != NULL; l = l->next)
    if (GTK_IS_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      {
        found->dialog = l->data;
        find_password_entry (l->data, found);
      }
  return found->password != NULL;
}

static gboolean
is_disconnected (gpointer data)
{
  return vl_console_get_state (data) == VL_CONSOLE_STATE_DISCONNECTED;
}

/* A guest whose VNC screen has a password: the console asks, a wrong one is refused and not
 * retried behind the user's back, Reconnect asks again, the right one shows the screen. */
static void
test_password (void)
{
  GVirDomain *guest = vl_test_host_define (host, "vl-secret", NULL, "s3cret");
  GActionGroup *actions;
  PasswordDialog found = { NULL, NULL };
  Viewer *viewer;

  vl_test_host_start (host, guest);
  viewer = viewer_open (guest);
  actions = gtk_widget_get_action_group (GTK_WIDGET (viewer->console), "console");
  g_assert_true (vl_test_wait_until (has_password_dialog, &found, 20000));
  gtk_entry_set_text (found.password, "wrong");
  gtk_dialog_response (found.dialog, GTK_RESPONSE_OK);
  g_assert_true (vl_test_wait_until (is_disconnected, viewer->console, 20000));
  g_assert_nonnull (strstr (vl_console_get_shown_text (viewer->console), "password was not accepted"));
  spin_for (1500);
  g_assert_true (is_disconnected (viewer->console));

  g_action_group_activate_action (actions, "reconnect", NULL);
  g_assert_true (vl_test_wait_until (has_password_dialog, &found, 20000));
  gtk_entry_set_text (found.password, "s3cret");
  gtk_dialog_response (found.dialog, GTK_RESPONSE_OK);
  g_assert_true (vl_test_wait_until (screen_has_content, viewer->console, 20000));
  /* The dialog is gone, and with it the typed password. */
  g_assert_false (has_password_dialog (&found));

  viewer_close (viewer);
  vl_test_host_destroy (host, guest);
  g_object_unref (guest);
}

/* ---- inside the app: the Console tab of the guests page --------------------------------------- */

static VlApplication *app;

static gboolean
guest_listed (gpointer data)
{
  VlGuestsPage *page = data;

  return vl_guests_page_get_selected_connection (page) != NULL &&
         vl_guest_list_select_name (page->guest_list, g_object_get_data (data, "vl-test-guest"));
}

/* Selects GUEST on the guests page, shows its Console tab, waits for WANTED on screen and saves
 * the window as NAME.png in the build directory (the picture for the docs). */
static void
console_tab_shows (VlWindow *window, VlGuestsPage *page, const char *guest, const char *wanted, const char *name)
{
  VlConsole *console;
  g_autofree char *file_name = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, file_name, NULL);
  g_autoptr(GdkPixbuf) shot = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set_data (G_OBJECT (page), "vl-test-guest", (gpointer) guest);
  g_assert_true (vl_test_wait_until (guest_listed, page, 20000));
  vl_guests_page_show_console (page);
  console = VL_CONSOLE (vl_guests_page_get_console (page));
  g_assert_true (vl_test_wait_until (is_connected, console, 20000));
  g_assert_true (vl_console_get_domain (console) == vl_guests_page_get_selected_domain (page));
  assert_screen_shows (console, wanted, NULL, 60000);

  /* Read back from the X server: the window as the user sees it. (vl_window_save_screenshot
   * redraws it from an idle, which can find the guest list's live rows waiting for a new size.) */
  gdk_display_sync (gtk_widget_get_display (GTK_WIDGET (window)));
  shot = gdk_pixbuf_get_from_window (gtk_widget_get_window (GTK_WIDGET (window)), 0, 0,
                                     gtk_widget_get_allocated_width (GTK_WIDGET (window)),
                                     gtk_widget_get_allocated_height (GTK_WIDGET (window)));
  g_assert_nonnull (shot);
  gdk_pixbuf_save (shot, path, "png", &error, NULL);
  g_assert_no_error (error);
  g_test_message ("window screenshot: %s", path);
}

static void
test_guests_page_console_tab (void)
{
  VlWindow *window = vl_window_new (app);
  const char *uris[] = { host->uri, NULL };
  VlGuestsPage *page = NULL;
  VlConsole *console;
  GActionGroup *actions;
  VlConsoleWindow *own = NULL;

  gtk_window_resize (GTK_WINDOW (window), 1100, 800);
  vl_window_open_connections (window, uris);
  vl_window_show_page (window, "guests");
  gtk_widget_show (GTK_WIDGET (window));
  page = vl_test_find_guests_page (window);

  console_tab_shows (window, page, "vl-bios", "SeaBIOS", "console-seabios");
  console_tab_shows (window, page, "vl-isolinux", BANNER, "console-isolinux");

  /* Another tab: the console lets go of the guest; back on it, it connects again. */
  console = VL_CONSOLE (vl_guests_page_get_console (page));
  gtk_notebook_set_current_page (vl_guest_details_get_notebook (page->guest_details), 0);
  g_assert_cmpint (vl_console_get_state (console), ==, VL_CONSOLE_STATE_NONE);
  vl_guests_page_show_console (page);
  g_assert_true (vl_test_wait_until (is_connected, console, 20000));

  /* Open Console in New Window. */
  actions = gtk_widget_get_action_group (GTK_WIDGET (page), "guests");
  g_assert_true (g_action_group_get_action_enabled (actions, "open-console"));
  g_action_group_activate_action (actions, "open-console", NULL);
  g_assert_true (vl_test_wait_until (has_console_window, &own, 5000));
  g_assert_true (vl_test_wait_until (is_connected, vl_console_window_get_console (own), 20000));
  g_assert_true (vl_console_get_domain (vl_console_window_get_console (own)) ==
                 vl_guests_page_get_selected_domain (page));
  gtk_widget_destroy (GTK_WIDGET (own));
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* ---- Shut Down that the guest ignores (issue 15 item 8) --------------------------------------- */

static gboolean
force_offered (gpointer data)
{
  VlGuestsPage *page = data;

  return gtk_widget_get_mapped (page->shutdown_force_button);
}

static gboolean
shutdown_enabled (gpointer data)
{
  return g_action_group_get_action_enabled (data, "shutdown");
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static GtkWidget *
message_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (GTK_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_mapped (l->data))
      return l->data;
  return NULL;
}

static gboolean
has_message_dialog (gpointer data)
{
  return message_dialog () != NULL;
}

static gboolean
selected_is_off (gpointer data)
{
  GVirDomain *domain = vl_guests_page_get_selected_domain (data);
  const VlGuestInfo *info = domain != NULL ? vl_guest_list_get_info (VL_GUESTS_PAGE (data)->guest_list, domain) : NULL;

  return info != NULL && info->state == 5 /* VIR_DOMAIN_SHUTOFF */;
}

static void
save_window (VlWindow *window, const char *name)
{
  g_autofree char *file_name = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, file_name, NULL);
  g_autoptr(GdkPixbuf) shot = NULL;

  spin_for (300);
  gdk_display_sync (gtk_widget_get_display (GTK_WIDGET (window)));
  shot = gdk_pixbuf_get_from_window (gtk_widget_get_window (GTK_WIDGET (window)), 0, 0,
                                     gtk_widget_get_allocated_width (GTK_WIDGET (window)),
                                     gtk_widget_get_allocated_height (GTK_WIDGET (window)));
  g_assert_nonnull (shot);
  g_assert_true (gdk_pixbuf_save (shot, path, "png", NULL, NULL));
  g_test_message ("window screenshot: %s", path);
}

/* A TCG guest with no system (SeaBIOS, no boot disk) ignores ACPI: Shut Down says the request was
 * sent, then offers Force Off; Force Off asks, Cancel keeps it running, Force Off turns it off. */
static void
test_shutdown_ignored (void)
{
  VlWindow *window = vl_window_new (app);
  const char *uris[] = { host->uri, NULL };
  VlGuestsPage *page;
  GActionGroup *actions;
  GtkWidget *dialog;
  const char *text;

  {
    GVirDomainInfo *info = gvir_domain_get_info (bios_guest, NULL);

    /* The console tests before may have left it running. */
    if (info == NULL || info->state != GVIR_DOMAIN_STATE_RUNNING)
      vl_test_host_start (host, bios_guest);
    if (info != NULL)
      g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info);
  }
  gtk_window_resize (GTK_WINDOW (window), 1100, 800);
  vl_window_open_connections (window, uris);
  vl_window_show_page (window, "guests");
  gtk_widget_show (GTK_WIDGET (window));
  page = vl_test_find_guests_page (window);
  vl_guests_page_set_shutdown_patience (page, 3000);
  g_object_set_data (G_OBJECT (page), "vl-test-guest", (gpointer) "vl-bios");
  g_assert_true (vl_test_wait_until (guest_listed, page, 20000));
  actions = gtk_widget_get_action_group (GTK_WIDGET (page), "guests");
  g_assert_true (vl_test_wait_until (shutdown_enabled, actions, 20000));

  g_action_group_activate_action (actions, "shutdown", NULL);
  g_assert_true (vl_test_wait_until (widget_mapped, page->shutdown_bar, 10000));
  text = gtk_label_get_text (page->shutdown_label);
  g_assert_nonnull (strstr (text, "Asked “vl-bios” to shut down"));
  g_assert_false (gtk_widget_get_visible (page->shutdown_force_button));
  save_window (window, "shutdown-requested");

  /* SeaBIOS does not listen: after the patience, Force Off is offered, and the guest still runs. */
  g_assert_true (vl_test_wait_until (force_offered, page, 15000));
  text = gtk_label_get_text (page->shutdown_label);
  g_assert_nonnull (strstr (text, "is still running, 3 s after it was asked to shut down"));
  g_assert_false (selected_is_off (page));
  save_window (window, "shutdown-ignored");

  gtk_button_clicked (GTK_BUTTON (page->shutdown_force_button));
  g_assert_true (vl_test_wait_until (has_message_dialog, NULL, 5000));
  dialog = message_dialog ();
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  spin_for (1000);
  g_assert_false (selected_is_off (page));
  g_assert_true (gtk_widget_get_mapped (page->shutdown_force_button));

  gtk_button_clicked (GTK_BUTTON (page->shutdown_force_button));
  g_assert_true (vl_test_wait_until (has_message_dialog, NULL, 5000));
  dialog = message_dialog ();
  save_window (window, "force-off-asks");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (vl_test_wait_until (selected_is_off, page, 20000));
  spin_for (300);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->shutdown_bar)));
  gtk_widget_destroy (GTK_WIDGET (window));
}

int
main (int argc, char **argv)
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  gvir_init_object (&argc, &argv);
  app = vl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  host = vl_test_host_new ();
  iso_path = vl_test_host_make_iso (host, BANNER, HELP_PAGE);
  bios_guest = vl_test_host_define (host, "vl-bios", NULL, NULL);
  iso_guest = vl_test_host_define (host, "vl-isolinux", iso_path, NULL);

  g_test_add_func ("/console/qemu/first-frame", test_first_frame);
  g_test_add_func ("/console/qemu/boot-prompt-and-keys", test_boot_prompt_and_keys);
  g_test_add_func ("/console/qemu/screenshot-file", test_screenshot_file);
  g_test_add_func ("/console/qemu/restart-cycles", test_restart_cycles);
  g_test_add_func ("/console/qemu/address-fallback", test_address_fallback);
  g_test_add_func ("/console/qemu/own-window-and-fullscreen", test_own_window_and_fullscreen);
  g_test_add_func ("/console/qemu/password", test_password);
  g_test_add_func ("/console/qemu/guests-page-console-tab", test_guests_page_console_tab);
  g_test_add_func ("/guests-page/qemu/shutdown-ignored", test_shutdown_ignored);
  status = g_test_run ();

  g_clear_object (&bios_guest);
  g_clear_object (&iso_guest);
  g_free (iso_path);
  vl_test_host_free (host);
  g_clear_object (&app);
  return status;
}
