/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window under Xvfb: pages switch through the actions, and settings follow. */
#include "config.h"

#include <gtk/gtk.h>

#include "vl-application.h"
#include "vl-guests-page-private.h"
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

static GtkWidget *
find_type (GtkWidget *widget, GType type)
{
  g_autoptr(GList) children = NULL;

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  if (!GTK_IS_CONTAINER (widget))
    return NULL;
  children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l != NULL; l = l->next)
    {
      GtkWidget *found = find_type (l->data, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_error_notification (void)
{
  VlWindow *window = new_window ();
  GtkWidget *page;

  /* Shown in the window itself, without a dialog: the title and the detail are what the user reads. */
  vl_window_show_error (window, "Disk “a.qcow2” cannot be read", "Permission denied");
  iterate ();
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Disk “a.qcow2” cannot be read"));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Permission denied"));

  /* A room reports through win.show-error without knowing the window (src/README.md). */
  page = find_type (GTK_WIDGET (window), VL_TYPE_GUESTS_PAGE);
  g_assert_nonnull (page);
  vl_guests_page_show_error (VL_GUESTS_PAGE (page), "Guest “web” cannot start", "No space left on device");
  iterate ();
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Guest “web” cannot start"));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "No space left on device"));
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

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
