/* The main window under Xvfb: pages switch through the actions, and settings follow. */
#include "config.h"

#include <gtk/gtk.h>

#include "vl-application.h"
#include "vl-window.h"

static VlApplication *app;

static void
iterate (void)
{
  while (gtk_events_pending ())
    gtk_main_iteration ();
}

static VlWindow *
new_window (void)
{
  VlWindow *window = vl_window_new (app);

  gtk_widget_show (GTK_WIDGET (window));
  iterate ();
  return window;
}

static void
test_pages_switch_through_actions (void)
{
  static const char *const pages[] = { "guests", "results", "host", "results" };
  VlWindow *window = new_window ();
  GSettings *settings = vl_application_get_settings (app);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(GVariant) state = NULL;
      g_autofree char *saved = NULL;

      g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                      g_variant_new_string (pages[i]));
      iterate ();
      g_assert_cmpstr (vl_window_get_visible_page (window), ==, pages[i]);
      state = g_action_group_get_action_state (G_ACTION_GROUP (window), "show-page");
      g_assert_cmpstr (g_variant_get_string (state, NULL), ==, pages[i]);
      saved = g_settings_get_string (settings, "last-page");
      g_assert_cmpstr (saved, ==, pages[i]);
    }

  /* An unknown page changes nothing. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page", g_variant_new_string ("nope"));
  iterate ();
  g_assert_cmpstr (vl_window_get_visible_page (window), ==, "results");

  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
test_window_restores_last_page (void)
{
  GSettings *settings = vl_application_get_settings (app);
  VlWindow *window;

  g_settings_set_string (settings, "last-page", "guests");
  window = new_window ();
  g_assert_cmpstr (vl_window_get_visible_page (window), ==, "guests");
  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
test_app_actions_and_accels (void)
{
  static const struct { const char *action; const char *accel; } expected[] = {
    { "app.quit", "<Primary>q" },
    { "app.help", "F1" },
    { "app.shortcuts", "<Primary>question" },
    { "win.show-page('guests')", "<Alt>2" },
  };
  static const char *const actions[] = { "quit", "about", "help", "shortcuts" };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), actions[i]));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    expected[i].action);
      g_assert_nonnull (accels);
      g_assert_true (g_strv_contains ((const char * const *) accels, expected[i].accel));
    }
}

static void
test_error_notification (void)
{
  VlWindow *window = new_window ();

  /* Must not crash and must be shown without a dialog; the text is what the user reads. */
  vl_window_show_error (window, "Title", "Detail");
  iterate ();
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Issue 15, item 16: run from the build folder, the app's icon (window, About) is found. */
static void
test_icon_found_uninstalled (void)
{
  g_assert_true (vl_application_is_uninstalled ());
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_default (), APP_ID));
}

/* Issue 15, item 6: the main menu's "Open the 2010 Study" shows the Results page. */
static void
test_open_study_from_menu (void)
{
  VlWindow *window = new_window ();

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page", g_variant_new_string ("host"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "open-study"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "open-study", NULL);
  iterate ();
  g_assert_cmpstr (vl_window_get_visible_page (window), ==, "results");
  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
collect_menu_buttons (GtkWidget *widget, gpointer data)
{
  if (GTK_IS_MENU_BUTTON (widget))
    g_ptr_array_add (data, widget);
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), collect_menu_buttons, data);
}

/* Issue 15, item 11: every menu button of the window (main menu, Export, the console's Send Key)
 * has no tooltip while its menu is open, so none sits over the first item; it comes back after. */
static void
test_menu_buttons_quiet_tooltips (void)
{
  VlWindow *window = new_window ();
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  guint with_tooltip = 0;

  collect_menu_buttons (GTK_WIDGET (window), buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = buttons->pdata[i];

      if (gtk_widget_get_tooltip_text (button) == NULL)
        continue;
      with_tooltip++;
      g_assert_true (gtk_widget_get_has_tooltip (button));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
      iterate ();
      g_assert_false (gtk_widget_get_has_tooltip (button));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), FALSE);
      iterate ();
      g_assert_true (gtk_widget_get_has_tooltip (button));
    }
  /* Main Menu, Export, Send Key. */
  g_assert_cmpuint (with_tooltip, >=, 3);
  gtk_widget_destroy (GTK_WIDGET (window));
}

int
main (int argc, char *argv[])
{
  int ret;

  gtk_test_init (&argc, &argv, NULL);

  app = vl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/window/pages-switch-through-actions", test_pages_switch_through_actions);
  g_test_add_func ("/window/restores-last-page", test_window_restores_last_page);
  g_test_add_func ("/window/app-actions-and-accels", test_app_actions_and_accels);
  g_test_add_func ("/window/error-notification", test_error_notification);
  g_test_add_func ("/window/icon-found-uninstalled", test_icon_found_uninstalled);
  g_test_add_func ("/window/open-study-from-menu", test_open_study_from_menu);
  g_test_add_func ("/window/menu-buttons-quiet-tooltips", test_menu_buttons_quiet_tooltips);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
