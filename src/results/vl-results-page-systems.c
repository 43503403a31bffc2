/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Results page's side pane: the runs loaded, the systems with their colours, which are shown, in
 * which order, and the baseline the others are compared with. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "vl-chart.h"
#include "vl-chart-view.h"
#include "vl-result-export.h"
#include "vl-result-loader.h"
#include "vl-results-page-private.h"
#include "vl-busy.h"
#include "vl-widgets.h"


/* ---- systems ---------------------------------------------------------------------------------- */

char **
vl_results_page_visible_systems (VlResultsPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->system_order->len; i++)
    if (!g_hash_table_contains (self->hidden, g_ptr_array_index (self->system_order, i)))
      g_strv_builder_add (builder, g_ptr_array_index (self->system_order, i));
  return g_strv_builder_end (builder);
}

static guint
series_of (VlResultsPage *self, const char *system)
{
  for (guint i = 0; self->merged != NULL && i < self->merged->systems->len; i++)
    if (g_str_equal (((VlResultSystem *) g_ptr_array_index (self->merged->systems, i))->identifier, system))
      return i;
  return 0;
}

char **
vl_results_page_hidden_systems (VlResultsPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->system_order->len; i++)
    if (g_hash_table_contains (self->hidden, g_ptr_array_index (self->system_order, i)))
      g_strv_builder_add (builder, g_ptr_array_index (self->system_order, i));
  return g_strv_builder_end (builder);
}

/* Keep the user's order and choices; new systems go last, vanished ones are forgotten. */
void
vl_results_page_update_system_order (VlResultsPage *self)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < self->system_order->len; i++)
    {
      const char *id = g_ptr_array_index (self->system_order, i);

      if (vl_result_set_find_system (self->merged, id) != NULL)
        g_ptr_array_add (order, g_strdup (id));
    }
  for (guint i = 0; i < self->merged->systems->len; i++)
    {
      const char *id = ((VlResultSystem *) g_ptr_array_index (self->merged->systems, i))->identifier;

      if (!g_ptr_array_find_with_equal_func (order, id, g_str_equal, NULL))
        g_ptr_array_add (order, g_strdup (id));
    }
  g_ptr_array_unref (self->system_order);
  self->system_order = g_steal_pointer (&order);

  g_hash_table_iter_init (&iter, self->hidden);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (vl_result_set_find_system (self->merged, key) == NULL)
      g_hash_table_iter_remove (&iter);
}

void
vl_results_page_ensure_baseline (VlResultsPage *self)
{
  g_auto(GStrv) visible = vl_results_page_visible_systems (self);

  if (self->baseline != NULL && g_strv_contains ((const char * const *) visible, self->baseline))
    return;
  g_clear_pointer (&self->baseline, g_free);
  if (visible[0] != NULL)
    self->baseline = g_strdup (visible[0]);
  g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "baseline")),
                             g_variant_new_string (self->baseline != NULL ? self->baseline : ""));
}

/* ---- side pane ------------------------------------------------------------------------------ */

static gboolean
draw_swatch (GtkWidget *widget, cairo_t *cr, gpointer user_data)
{
  const VlChartStyle *style = vl_chart_style_default ();
  const VlChartColor *color = &style->series[GPOINTER_TO_UINT (user_data) % style->n_series];
  double w = gtk_widget_get_allocated_width (widget), h = gtk_widget_get_allocated_height (widget);

  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
  cairo_rectangle (cr, 0, (h - 12) / 2, MIN (w, 12), 12);
  cairo_fill (cr);
  return FALSE;
}

static GtkWidget *
icon_button (const char *icon, const char *tooltip, const char *action, const char *target)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon, GTK_ICON_SIZE_BUTTON);

  gtk_button_set_relief (GTK_BUTTON (button), GTK_RELIEF_NONE);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (target));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static void
system_toggled (GtkToggleButton *check, VlResultsPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (check), "system");
  gboolean shown = gtk_toggle_button_get_active (check);

  if (shown != !g_hash_table_contains (self->hidden, id))
    g_action_group_activate_action (G_ACTION_GROUP (self->actions), "toggle-system", g_variant_new_string (id));
}

/* The boxes follow the model when a system is shown or hidden through the action. */
void
vl_results_page_sync_system_checks (VlResultsPage *self)
{
  g_autoptr(GList) rows = gtk_container_get_children (GTK_CONTAINER (self->system_list));

  for (GList *l = rows; l != NULL; l = l->next)
    {
      GtkWidget *row = gtk_bin_get_child (GTK_BIN (l->data));
      g_autoptr(GList) parts = NULL;
      const char *id;

      /* The last row may be the "more systems" note. */
      if (!GTK_IS_CONTAINER (row))
        continue;
      parts = gtk_container_get_children (GTK_CONTAINER (row));
      id = g_object_get_data (G_OBJECT (parts->data), "system");

      if (id != NULL)
        gtk_toggle_button_set_active (parts->data, !g_hash_table_contains (self->hidden, id));
    }
}


GtkWidget *
vl_results_page_more_systems_label (guint more)
{
  g_autofree char *text = g_strdup_printf (_("Systems not listed here: %u more (the charts show every system)"),
                                           more);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  gtk_widget_show (label);
  return label;
}

void
vl_results_page_fill_system_list (VlResultsPage *self)
{
  vl_container_destroy_children (GTK_CONTAINER (self->system_list));
  for (guint i = 0; i < self->system_order->len; i++)
    {
      const char *id = g_ptr_array_index (self->system_order, i);

      if (i == MAX_LISTED_SYSTEMS)
        {
          gtk_container_add (GTK_CONTAINER (self->system_list),
                             vl_results_page_more_systems_label (self->system_order->len - MAX_LISTED_SYSTEMS));
          break;
        }
    {
      VlResultSystem *system = vl_result_set_find_system (self->merged, id);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *swatch = gtk_drawing_area_new ();
      GtkWidget *label = gtk_label_new (id[0] != '\0' ? id : _("(unnamed)"));
      g_autofree char *tip = g_strdup_printf ("%s\n%s\n%s", id, system->hardware ? system->hardware : "",
                                              system->software ? system->software : "");

      gtk_widget_set_margin_start (row, 6);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (check), !g_hash_table_contains (self->hidden, id));
      gtk_widget_set_tooltip_text (check, _("Show this system in the charts and the summary"));
      /* A box without a label: a screen reader says the system's name. */
      vl_accessible_set_name (check, id[0] != '\0' ? id : _("(unnamed)"));
      g_object_set_data_full (G_OBJECT (check), "system", g_strdup (id), g_free);
      g_signal_connect (check, "toggled", G_CALLBACK (system_toggled), self);
      gtk_widget_set_size_request (swatch, 12, 12);
      g_signal_connect (swatch, "draw", G_CALLBACK (draw_swatch), GUINT_TO_POINTER (series_of (self, id)));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_tooltip_text (label, tip);
      gtk_container_add (GTK_CONTAINER (row), check);
      gtk_container_add (GTK_CONTAINER (row), swatch);
      gtk_container_add (GTK_CONTAINER (row), label);
      gtk_container_add (GTK_CONTAINER (row), icon_button ("go-up-symbolic", _("Move up"), "results.move-system-up", id));
      gtk_container_add (GTK_CONTAINER (row), icon_button ("go-down-symbolic", _("Move down"), "results.move-system-down", id));
      gtk_widget_show_all (row);
      gtk_container_add (GTK_CONTAINER (self->system_list), row);
    }
    }
}

void
vl_results_page_fill_run_list (VlResultsPage *self)
{
  vl_container_destroy_children (GTK_CONTAINER (self->run_list));
  for (guint i = 0; i < self->runs->len; i++)
    {
      VlLoadedRun *run = g_ptr_array_index (self->runs, i);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *name = gtk_label_new (run->set->title != NULL && run->set->title[0] != '\0' &&
                                       !g_str_has_prefix (run->set->title, "$") ? run->set->title : run->name);
      g_autofree char *line = g_strdup_printf (_("Systems: %u · Results: %u"), run->set->systems->len,
                                               run->set->results->len);
      GtkWidget *detail = gtk_label_new (line);

      gtk_widget_set_margin_start (row, 6);
      gtk_widget_set_margin_top (row, 4);
      gtk_widget_set_margin_bottom (row, 4);
      /* Long run titles wrap onto a second line before they are cut; the tooltip has them whole. */
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_line_wrap (GTK_LABEL (name), TRUE);
      gtk_label_set_line_wrap_mode (GTK_LABEL (name), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (GTK_LABEL (name), 2);
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (detail), 0);
      gtk_style_context_add_class (gtk_widget_get_style_context (detail), "dim-label");
      {
        g_autofree char *tip = g_strdup_printf ("%s\n%s", gtk_label_get_text (GTK_LABEL (name)), run->uri);

        gtk_widget_set_tooltip_text (text, tip);
      }
      gtk_widget_set_hexpand (text, TRUE);
      gtk_container_add (GTK_CONTAINER (text), name);
      gtk_container_add (GTK_CONTAINER (text), detail);
      gtk_container_add (GTK_CONTAINER (row), text);
      gtk_container_add (GTK_CONTAINER (row), icon_button ("window-close-symbolic", _("Close this run"),
                                                           "results.remove-run", run->uri));
      gtk_widget_show_all (row);
      gtk_container_add (GTK_CONTAINER (self->run_list), row);
    }
}

void
vl_results_page_fill_baseline_combo (VlResultsPage *self)
{
  g_auto(GStrv) visible = vl_results_page_visible_systems (self);

  /* Filled apart, then handed over whole: appending to the combo's own model rebuilds its menu at
   * every row, which took minutes for 5,000 systems. (GtkComboBoxText: text in 0, id in 1.) */
  g_autoptr(GtkListStore) store = gtk_list_store_new (2, G_TYPE_STRING, G_TYPE_STRING);

  for (guint i = 0; visible[i] != NULL; i++)
    /* Its menu is as slow to build as the lists: the first systems, and the baseline wherever it is. */
    if (i < MAX_LISTED_SYSTEMS || g_strcmp0 (visible[i], self->baseline) == 0)
      gtk_list_store_insert_with_values (store, NULL, -1, 0, visible[i], 1, visible[i], -1);
  self->updating = TRUE;
  gtk_combo_box_set_model (GTK_COMBO_BOX (self->baseline_combo), GTK_TREE_MODEL (store));
  if (self->baseline != NULL)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->baseline_combo), self->baseline);
  self->updating = FALSE;
}

void
vl_results_page_baseline_combo_changed (VlResultsPage *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->baseline_combo));

  if (!self->updating && id != NULL)
    g_action_group_change_action_state (G_ACTION_GROUP (self->actions), "baseline", g_variant_new_string (id));
}
