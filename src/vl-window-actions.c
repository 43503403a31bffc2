/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's actions: win.show-page, and win.show-error through which the rooms report errors
 * without knowing the window (a room never includes the hall's headers). */
#include "config.h"

#include "vl-window.h"

static void
show_page_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  vl_window_show_page (VL_WINDOW (user_data), g_variant_get_string (value, NULL));
  /* The stack's notify handler sets the state, so it always names the page really shown. */
}

static void
show_error_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  const char *title, *detail;

  g_variant_get (param, "(&s&s)", &title, &detail);
  vl_window_show_error (VL_WINDOW (user_data), title, detail);
}

/* The main menu's way back to the study: the Results page, with the study open. */
static void
open_study_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  vl_window_open_study (VL_WINDOW (user_data));
}

/* Run Benchmarks…: the Results page's button and the Guests page's menu. */
static void
run_benchmarks_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  vl_window_run_benchmarks (VL_WINDOW (user_data));
}

static const GActionEntry win_entries[] = {
  { "show-page", NULL, "s", "'host'", show_page_changed },
  { "show-error", show_error_activated, "(ss)", NULL, NULL },
  { "open-study", open_study_activated },
  { "run-benchmarks", run_benchmarks_activated },
};

void
vl_window_install_actions (VlWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries, G_N_ELEMENTS (win_entries), self);
}
