/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window under Xvfb: pages switch through the actions, and settings follow. */
#include "config.h"

#include <gtk/gtk.h>

#include "vl-test-find.h"
#include "vl-application.h"
#include "vl-guests-page-private.h"
#include "vl-host-page.h"
#include "vl-results-page.h"
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

/* The shortcuts window is built when it is first asked for, not by GtkApplication as every window
 * is added (it costs start-up time), and once. */
static void
test_shortcuts_built_when_asked (void)
{
  VlWindow *window = new_window ();
  GtkApplicationWindow *app_window = GTK_APPLICATION_WINDOW (window);
  GtkShortcutsWindow *overlay;
  GError *error = NULL;

  g_assert_null (gtk_application_window_get_help_overlay (app_window));
  g_assert_null (g_resources_lookup_data ("/org/virtlab/Virtlab/gtk/help-overlay.ui", 0, &error));
  g_assert_error (error, G_RESOURCE_ERROR, G_RESOURCE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  iterate ();
  overlay = gtk_application_window_get_help_overlay (app_window);
  g_assert_nonnull (overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (window));

  gtk_widget_hide (GTK_WIDGET (overlay));
  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  iterate ();
  g_assert_true (gtk_application_window_get_help_overlay (app_window) == overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* The first visible label under WIDGET whose text is TEXT, or NULL. */
static GtkWidget *
find_label (GtkWidget *widget, const char *text)
{
  g_autoptr(GList) children = NULL;

  if (GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;
  if (!GTK_IS_CONTAINER (widget))
    return NULL;
  children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l != NULL; l = l->next)
    {
      GtkWidget *found = find_label (l->data, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_widgets (GtkWidget *widget, gpointer data)
{
  g_ptr_array_add (data, widget);
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), collect_widgets, data);
}

/* The in-window notification: the revealer that holds a label reading `title`, or NULL. */
static GtkRevealer *
find_notification (GtkWidget *root, const char *title, GtkLabel **title_label, GtkLabel **detail_label,
                   GtkButton **close)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  collect_widgets (root, all);
  for (guint i = 0; i < all->len; i++)
    {
      g_autoptr(GPtrArray) inside = g_ptr_array_new ();
      GtkLabel *found = NULL, *other = NULL;
      GtkButton *button = NULL;

      if (!GTK_IS_REVEALER (all->pdata[i]))
        continue;
      collect_widgets (all->pdata[i], inside);
      for (guint j = 0; j < inside->len; j++)
        {
          if (GTK_IS_LABEL (inside->pdata[j]) && found == NULL &&
              g_strcmp0 (gtk_label_get_text (inside->pdata[j]), title) == 0)
            found = inside->pdata[j];
          else if (GTK_IS_LABEL (inside->pdata[j]) && found != NULL && other == NULL)
            other = inside->pdata[j];
          else if (GTK_IS_BUTTON (inside->pdata[j]) && button == NULL)
            button = inside->pdata[j];
        }
      if (found != NULL)
        {
          *title_label = found;
          *detail_label = other;
          *close = button;
          return all->pdata[i];
        }
    }
  return NULL;
}

static void
wait_revealed (GtkRevealer *revealer, gboolean revealed)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (gtk_revealer_get_child_revealed (revealer) != revealed && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_cmpint (gtk_revealer_get_child_revealed (revealer), ==, revealed);
}

/* An error is shown inside the window, not as a dialog: its title and detail are there for the
 * user to read, the detail is hidden when there is none, and the close button takes it away. */
static void
test_error_notification (void)
{
  VlWindow *window = new_window ();
  g_autoptr(GList) before = gtk_window_list_toplevels ();
  g_autoptr(GList) after = NULL;
  GtkLabel *title = NULL, *detail = NULL;
  GtkButton *close = NULL;
  GtkRevealer *revealer;

  g_assert_null (find_notification (GTK_WIDGET (window), "Could not start the guest", &title, &detail, &close));
  vl_window_show_error (window, "Could not start the guest", "Domain “x” has no disk");
  iterate ();
  revealer = find_notification (GTK_WIDGET (window), "Could not start the guest", &title, &detail, &close);
  g_assert_nonnull (revealer);
  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  wait_revealed (revealer, TRUE);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (title)));
  g_assert_nonnull (detail);
  g_assert_cmpstr (gtk_label_get_text (detail), ==, "Domain “x” has no disk");
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (detail)));
  /* No dialog: the same top-level windows as before. */
  after = gtk_window_list_toplevels ();
  g_assert_cmpuint (g_list_length (after), ==, g_list_length (before));

  /* A second error replaces the text; without a detail, no empty line is shown. */
  vl_window_show_error (window, "Could not connect", NULL);
  iterate ();
  g_assert_cmpstr (gtk_label_get_text (title), ==, "Could not connect");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (detail)));

  /* The close button hides it. */
  g_assert_nonnull (close);
  gtk_button_clicked (close);
  iterate ();
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  wait_revealed (revealer, FALSE);
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* A room reports through win.show-error without knowing the window (src/README.md). */
static void
test_error_from_a_room (void)
{
  VlWindow *window = new_window ();
  GtkWidget *page = vl_test_find_type (GTK_WIDGET (window), VL_TYPE_GUESTS_PAGE);

  g_assert_nonnull (page);
  vl_guests_page_show_error (VL_GUESTS_PAGE (page), "Guest “web” cannot start", "No space left on device");
  iterate ();
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Guest “web” cannot start"));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "No space left on device"));
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Issue 15, item 16: run from the build folder, the app's icon (window, About) is found. */
static void
test_icon_found_uninstalled (void)
{
  g_assert_true (vl_application_is_uninstalled ());
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_default (), APP_ID));
}

/* Issue 13, speed: start-up pays only for the page it shows. A window not shown yet has no page;
 * shown, it has the visible one before it maps (and the others not, even after its first frame);
 * a page shown later, through the switcher's action or by name, is built then. */
static void
test_pages_built_when_needed (void)
{
  GSettings *settings = vl_application_get_settings (app);
  VlWindow *window;
  VlWindow *asked;
  gboolean host_when_mapped = FALSE;

  g_settings_set_string (settings, "last-page", "host");
  window = vl_window_new (app);
  g_assert_null (vl_test_find_type (GTK_WIDGET (window), VL_TYPE_HOST_PAGE));
  g_assert_null (vl_test_find_type (GTK_WIDGET (window), VL_TYPE_GUESTS_PAGE));
  g_assert_null (vl_test_find_type (GTK_WIDGET (window), VL_TYPE_RESULTS_PAGE));

  gtk_widget_show (GTK_WIDGET (window));
  host_when_mapped = gtk_widget_get_mapped (GTK_WIDGET (window)) &&
                     vl_test_find_type (GTK_WIDGET (window), VL_TYPE_HOST_PAGE) != NULL;
  g_assert_true (host_when_mapped);
  /* The first frame is drawn: the window has its icon, and still only the page it shows. */
  for (int i = 0; i < 200 && gtk_window_get_icon_name (GTK_WINDOW (window)) == NULL; i++)
    {
      iterate ();
      g_usleep (10000);
    }
  g_assert_cmpstr (gtk_window_get_icon_name (GTK_WINDOW (window)), ==, APP_ID);
  iterate ();
  g_assert_null (vl_test_find_type (GTK_WIDGET (window), VL_TYPE_GUESTS_PAGE));
  g_assert_null (vl_test_find_type (GTK_WIDGET (window), VL_TYPE_RESULTS_PAGE));

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page", g_variant_new_string ("guests"));
  iterate ();
  g_assert_nonnull (vl_test_find_type (GTK_WIDGET (window), VL_TYPE_GUESTS_PAGE));
  g_assert_null (vl_test_find_type (GTK_WIDGET (window), VL_TYPE_RESULTS_PAGE));
  g_assert_cmpstr (vl_window_get_visible_page (window), ==, "guests");
  gtk_widget_destroy (GTK_WIDGET (window));

  /* Never shown: asking for a page by name builds it, and only it. */
  asked = vl_window_new (app);
  vl_window_show_page (asked, "results");
  g_assert_nonnull (vl_test_find_type (GTK_WIDGET (asked), VL_TYPE_RESULTS_PAGE));
  g_assert_null (vl_test_find_type (GTK_WIDGET (asked), VL_TYPE_GUESTS_PAGE));
  g_assert_cmpstr (vl_window_get_visible_page (asked), ==, "results");
  gtk_widget_destroy (GTK_WIDGET (asked));
  g_settings_set_string (settings, "last-page", "host");
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

  /* A page is built when first shown: visit them all. */
  vl_window_show_page (window, "guests");
  vl_window_show_page (window, "results");
  iterate ();
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
  g_test_add_func ("/window/shortcuts-built-when-asked", test_shortcuts_built_when_asked);
  g_test_add_func ("/window/error-notification", test_error_notification);
  g_test_add_func ("/window/error-from-a-room", test_error_from_a_room);
  g_test_add_func ("/window/icon-found-uninstalled", test_icon_found_uninstalled);
  g_test_add_func ("/window/open-study-from-menu", test_open_study_from_menu);
  g_test_add_func ("/window/pages-built-when-needed", test_pages_built_when_needed);
  g_test_add_func ("/window/menu-buttons-quiet-tooltips", test_menu_buttons_quiet_tooltips);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
