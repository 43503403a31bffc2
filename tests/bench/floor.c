/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The floor of start-up figures: the plainest GTK 3 window with a header bar, so a benchmark can
 * show what any GTK 3 program pays on this machine before its own work starts.
 * Build: gcc -O2 -o floor floor.c $(pkg-config --cflags --libs gtk+-3.0) */
#include <gtk/gtk.h>

int
main (int argc, char **argv)
{
  GtkWidget *window, *header;

  gtk_init (&argc, &argv);
  window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_title (GTK_WINDOW (window), "Floor");
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  header = gtk_header_bar_new ();
  gtk_header_bar_set_title (GTK_HEADER_BAR (header), "Floor");
  gtk_header_bar_set_show_close_button (GTK_HEADER_BAR (header), TRUE);
  gtk_window_set_titlebar (GTK_WINDOW (window), header);
  gtk_container_add (GTK_CONTAINER (window), gtk_label_new ("Floor"));
  g_signal_connect (window, "destroy", G_CALLBACK (gtk_main_quit), NULL);
  gtk_widget_show_all (window);
  gtk_main ();
  return 0;
}
