/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helper: ms from opening a VlConsole on a running TCG guest to its first frame. */
#include "config.h"

#include <gtk/gtk.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vl-console.h"
#include "vl-console-target.h"
#include "vl-test-guest.h"

typedef struct
{
  VlConsole *console;
  gint64     opened;
  gint64     initialized;
  gint64     painted;   /* first non-blank framebuffer */
  gint64     on_screen; /* first guest text read back from the X server, as for the peer */
  gint64     next_read;
} Round;

static gboolean
screen_is_blank (GdkPixbuf *pixbuf)
{
  const guchar *pixels = gdk_pixbuf_read_pixels (pixbuf);

  for (gsize i = 0; i < gdk_pixbuf_get_byte_length (pixbuf); i++)
    if (pixels[i] > 64)
      return FALSE;
  return TRUE;
}

/* VGA light grey pixels (#a8a8a8 from the 6-bit DAC, give or take) of the display as the X server shows them: the same test the
 * benchmark script applies to the peer's window. */
static int
text_pixels_on_screen (VlConsole *console)
{
  GtkWidget *display = GTK_WIDGET (vl_console_get_display (console));
  g_autoptr(GdkPixbuf) shot = NULL;
  GtkAllocation allocation;
  const guchar *pixels;
  int count = 0;

  if (display == NULL || !gtk_widget_get_mapped (display))
    return 0;
  gtk_widget_get_allocation (display, &allocation);
  if (gtk_widget_get_has_window (display))
    allocation.x = allocation.y = 0;
  gdk_display_sync (gtk_widget_get_display (display));
  shot = gdk_pixbuf_get_from_window (gtk_widget_get_window (display), allocation.x, allocation.y,
                                     allocation.width, allocation.height);
  if (shot == NULL)
    return 0;
  pixels = gdk_pixbuf_read_pixels (shot);
  for (int y = 0; y < gdk_pixbuf_get_height (shot); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (shot); x++)
      {
        const guchar *p = pixels + y * gdk_pixbuf_get_rowstride (shot) + x * gdk_pixbuf_get_n_channels (shot);
        if (p[0] == p[1] && p[1] == p[2] && p[0] >= 0xa0 && p[0] <= 0xb0)
          count++;
      }
  return count;
}

/* Polled from the main loop: the handshake is done once the console says connected; the first
 * frame is there once the framebuffer the display paints from holds the guest's picture. */
static gboolean
round_done (gpointer data)
{
  Round *round = data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  if (round->initialized == 0 && vl_console_get_state (round->console) == VL_CONSOLE_STATE_CONNECTED)
    round->initialized = g_get_monotonic_time ();
  if (round->initialized == 0)
    return FALSE;
  pixbuf = vl_console_get_screen_pixbuf (round->console);
  if (round->painted == 0 && pixbuf != NULL && !screen_is_blank (pixbuf))
    round->painted = g_get_monotonic_time ();
  /* Reading the screen back costs ~10 ms a time on this machine: only every 20 ms. */
  if (round->painted != 0 && round->on_screen == 0 && g_get_monotonic_time () >= round->next_read)
    {
      if (text_pixels_on_screen (round->console) >= 300)
        round->on_screen = g_get_monotonic_time ();
      round->next_read = g_get_monotonic_time () + 20000;
    }
  return round->on_screen != 0;
}

static gboolean
is_connected (gpointer data)
{
  return vl_console_get_state (data) == VL_CONSOLE_STATE_CONNECTED;
}

static void
time_round (GVirConnection *connection, GVirDomain *guest, int i, const char *label)
{
  Round round = { 0 };
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);

  gtk_window_set_default_size (GTK_WINDOW (window), 820, 560);
  round.console = vl_console_new ();
  /* 1:1, as remote-viewer shows it, so text keeps the guest's exact colour on screen. */
  g_action_group_change_action_state (gtk_widget_get_action_group (GTK_WIDGET (round.console), "console"),
                                      "scale", g_variant_new_boolean (FALSE));
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (round.console));
  gtk_widget_show_all (window);
  while (gtk_events_pending ())
    gtk_main_iteration ();
  round.opened = g_get_monotonic_time ();
  vl_console_set_domain (round.console, connection, guest);
  if (!vl_test_wait_until (round_done, &round, 30000))
    g_error ("round %d: no frame within 30 s", i);
  g_print ("%s %.1f %.1f %.1f\n", label, (round.initialized - round.opened) / 1000.0,
           (round.painted - round.opened) / 1000.0, (round.on_screen - round.opened) / 1000.0);
  gtk_widget_destroy (window);
}

int
main (int argc, char **argv)
{
  int rounds = argc > 1 ? atoi (argv[1]) : 5;
  VlTestHost *host;
  GVirDomain *guest;
  g_autoptr(GError) error = NULL;
  GVirConfigDomain *config;
  g_autoptr(VlConsoleTarget) target = NULL;

  gtk_init (&argc, &argv);
  gvir_init_object (&argc, &argv);
  host = vl_test_host_new ();
  guest = vl_test_host_define (host, "vl-bench", NULL, NULL);
  vl_test_host_start (host, guest);

  /* A first console, not counted: the guest's VNC server is up and SeaBIOS has drawn. */
  {
    GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
    VlConsole *console = vl_console_new ();

    gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (console));
    gtk_widget_show_all (window);
    vl_console_set_domain (console, host->connection, guest);
    if (!vl_test_wait_until (is_connected, console, 30000))
      g_error ("the warm-up console never connected");
    gtk_widget_destroy (window);
  }

  /* Through libvirt's graphics socket (the normal way), then through a read-only connection,
   * which may not hand out the socket, so the console uses the TCP address like the peer does. */
  {
    GVirConnection *read_only = gvir_connection_new (host->uri);
    GVirDomain *ro_guest;

    gvir_connection_open_read_only (read_only, NULL, &error);
    g_assert_no_error (error);
    gvir_connection_fetch_domains (read_only, NULL, &error);
    g_assert_no_error (error);
    ro_guest = gvir_connection_find_domain_by_name (read_only, "vl-bench");
    for (int i = 0; i < 2 * rounds; i++)
      {
        gboolean tcp = i >= rounds;

        time_round (tcp ? read_only : host->connection, tcp ? ro_guest : guest, i, tcp ? "virtlab-tcp" : "virtlab");
      }
    g_object_unref (ro_guest);
    gvir_connection_close (read_only);
    g_object_unref (read_only);
  }

  /* The address for the peer, which connects over TCP (it cannot share the embedded driver). */
  config = gvir_domain_get_config (guest, 0, &error);
  g_assert_no_error (error);
  target = vl_console_target_from_config (config, "qemu:///system", &error);
  g_assert_no_error (error);
  g_print ("port %s\n", target->port);
  g_object_unref (config);

  /* Keep the guest running while the script times the peer; end on EOF of stdin. */
  {
    char line[16];
    if (fgets (line, sizeof line, stdin) == NULL)
      {
        /* stdin closed: nothing more to wait for */
      }
  }
  g_object_unref (guest);
  vl_test_host_free (host);
  return 0;
}
