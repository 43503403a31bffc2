/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The console's states a user sees, driven through its actions, on libvirt's test driver (fast). */
#include "config.h"

#include <gtk/gtk.h>

#include "vl-console.h"

static GVirConnection *connection;

static gboolean
wait_for_state (VlConsole *console, VlConsoleState state)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (vl_console_get_state (console) != state)
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

/* The window as on screen, saved in the build directory to look at (docs, reviews). */
static void
save_window (GtkWidget *window, const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  gint64 until = g_get_monotonic_time () + 300 * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  gdk_display_sync (gtk_widget_get_display (window));
  pixbuf = gdk_pixbuf_get_from_window (gtk_widget_get_window (window), 0, 0,
                                       gtk_widget_get_allocated_width (window),
                                       gtk_widget_get_allocated_height (window));
  g_assert_nonnull (pixbuf);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
}

static GVirDomainState
domain_state (GVirDomain *domain)
{
  g_autoptr(GError) error = NULL;
  GVirDomainInfo *info = gvir_domain_get_info (domain, &error);
  GVirDomainState state;

  g_assert_no_error (error);
  state = info->state;
  g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info);
  return state;
}

static void
screenshot_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  g_assert_false (vl_console_save_screenshot_finish (VL_CONSOLE (source), result, error));
}

static void
test_guest_without_vnc_off_and_start (void)
{
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  VlConsole *console = vl_console_new ();
  GVirDomain *domain = gvir_connection_find_domain_by_name (connection, "test");
  GActionGroup *actions = gtk_widget_get_action_group (GTK_WIDGET (console), "console");
  g_autoptr(GFile) file = g_file_new_for_path ("/tmp/never-written.png");
  g_autoptr(GError) error = NULL;

  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (console));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 400);
  gtk_widget_show_all (window);

  /* Nothing selected. */
  g_assert_cmpint (vl_console_get_state (console), ==, VL_CONSOLE_STATE_NONE);
  g_assert_cmpstr (vl_console_get_shown_text (console), ==, "No guest selected");
  g_assert_false (g_action_group_get_action_enabled (actions, "start"));
  g_assert_false (g_action_group_get_action_enabled (actions, "open-window"));

  /* A running guest without a VNC screen: the view says why, and does not retry forever. */
  vl_console_set_domain (console, connection, domain);
  g_assert_true (wait_for_state (console, VL_CONSOLE_STATE_DISCONNECTED));
  g_assert_nonnull (strstr (vl_console_get_shown_text (console), "no VNC screen"));
  g_assert_nonnull (strstr (vl_console_get_shown_text (console), "“test”"));
  g_assert_true (g_action_group_get_action_enabled (actions, "reconnect"));
  g_assert_false (g_action_group_get_action_enabled (actions, "start"));
  g_assert_false (g_action_group_get_action_enabled (actions, "send-key"));
  g_assert_false (g_action_group_get_action_enabled (actions, "screenshot"));
  g_assert_true (g_action_group_get_action_enabled (actions, "open-window"));
  g_assert_false (vl_console_send_key_combo (console, "ctrl-alt-delete"));
  save_window (window, "console-disconnected.png");
  g_assert_null (vl_console_get_screen_pixbuf (console));
  vl_console_save_screenshot_async (console, file, NULL, screenshot_done, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
  g_assert_false (g_file_query_exists (file, NULL));
  g_clear_error (&error);

  /* Stopped by someone else: the view shows it is off, with Start. */
  gvir_domain_stop (domain, 0, &error);
  g_assert_no_error (error);
  g_assert_true (wait_for_state (console, VL_CONSOLE_STATE_OFF));
  g_assert_cmpstr (vl_console_get_shown_text (console), ==, "Guest “test” is off");
  g_assert_true (g_action_group_get_action_enabled (actions, "start"));
  g_assert_false (g_action_group_get_action_enabled (actions, "reconnect"));
  save_window (window, "console-off.png");

  /* Start from the view: the guest runs and the console tries its screen again. */
  g_action_group_activate_action (actions, "start", NULL);
  g_assert_true (wait_for_state (console, VL_CONSOLE_STATE_DISCONNECTED));
  g_assert_cmpint (domain_state (domain), ==, GVIR_DOMAIN_STATE_RUNNING);

  /* Back to nothing. */
  vl_console_set_domain (console, NULL, NULL);
  g_assert_cmpint (vl_console_get_state (console), ==, VL_CONSOLE_STATE_NONE);
  g_assert_false (g_action_group_get_action_enabled (actions, "reconnect"));

  gtk_widget_destroy (window);
  g_object_unref (domain);
}

static void
count_items (GMenuModel *model, guint *n)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (model, i, G_MENU_LINK_SUBMENU);

      if (section != NULL)
        count_items (section, n);
      else if (submenu != NULL)
        count_items (submenu, n);
      else
        (*n)++;
    }
}

static void
find_menu_button (GtkWidget *widget, gpointer data)
{
  GtkWidget **found = data;

  if (GTK_IS_MENU_BUTTON (widget))
    *found = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), find_menu_button, data);
}

static void
test_send_key_menu (void)
{
  VlConsole *console = g_object_ref_sink (vl_console_new ());
  GtkWidget *button = NULL;
  guint n = 0;

  g_assert_cmpstr (vl_console_key_combo_label ("ctrl-alt-delete"), ==, "Ctrl+Alt+Del");
  g_assert_cmpstr (vl_console_key_combo_label ("ctrl-alt-backspace"), ==, "Ctrl+Alt+Backspace");
  g_assert_cmpstr (vl_console_key_combo_label ("ctrl-alt-f7"), ==, "Ctrl+Alt+F7");
  g_assert_cmpstr (vl_console_key_combo_label ("print"), ==, "Print Screen");
  g_assert_null (vl_console_key_combo_label ("ctrl-alt-f13"));
  g_assert_null (vl_console_key_combo_label (NULL));
  g_assert_false (vl_console_send_key_combo (console, "no-such-key"));

  /* Ctrl+Alt+Del, Ctrl+Alt+Backspace, Print Screen and Ctrl+Alt+F1…F12. */
  find_menu_button (GTK_WIDGET (console), &button);
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_sensitive (button));  /* nothing to send keys to */
  count_items (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)), &n);
  g_assert_cmpuint (n, ==, 15);
  gtk_widget_destroy (GTK_WIDGET (console));
  g_object_unref (console);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  gvir_init_object (&argc, &argv);
  connection = gvir_connection_new ("test:///default");
  gvir_connection_open (connection, NULL, &error);
  g_assert_no_error (error);
  gvir_connection_fetch_domains (connection, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/console/states/guest-without-vnc-off-and-start", test_guest_without_vnc_off_and_start);
  g_test_add_func ("/console/states/send-key-menu", test_send_key_menu);
  status = g_test_run ();
  g_object_unref (connection);
  return status;
}
