/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Results page: loaded runs and systems on the side, a summary card and one chart per result. */
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

G_DEFINE_FINAL_TYPE_WITH_CODE (VlResultsPage, vl_results_page, GTK_TYPE_BOX,
                               G_IMPLEMENT_INTERFACE (VL_TYPE_BUSY, NULL))

enum {
  PROP_0,
  PROP_BUSY,
};

/* ---- busy and messages ------------------------------------------------------------------------ */

/* Loads and exports in flight: +1 when one starts, -1 when it ends. */
void
vl_results_page_set_pending (VlResultsPage *self, int delta)
{
  for (; delta > 0; delta--)
    vl_busy_begin (VL_BUSY (self));
  for (; delta < 0; delta++)
    vl_busy_end (VL_BUSY (self));
}

static gboolean
message_settled (gpointer user_data)
{
  vl_results_page_set_pending (user_data, -1);
  return G_SOURCE_REMOVE;
}

/* Messages pile up until the user closes the bar: three bad files give three lines. */
void
vl_results_page_show_message (VlResultsPage *self, GtkMessageType type, const char *text)
{
  if (!gtk_info_bar_get_revealed (self->info_bar))
    {
      g_string_truncate (self->messages, 0);
      /* The bar slides in: the page is not settled (nor worth a screenshot) until it is there. */
      vl_results_page_set_pending (self, +1);
      g_timeout_add_full (G_PRIORITY_DEFAULT, 400, message_settled, g_object_ref (self), g_object_unref);
    }
  if (self->messages->len > 0)
    g_string_append_c (self->messages, '\n');
  g_string_append (self->messages, text);
  self->status_at = -1;
  gtk_label_set_text (self->info_label, self->messages->str);
  /* A warning is not downgraded by a later success message. */
  if (!gtk_info_bar_get_revealed (self->info_bar) || type == GTK_MESSAGE_WARNING || type == GTK_MESSAGE_ERROR)
    gtk_info_bar_set_message_type (self->info_bar, type);
  gtk_info_bar_set_revealed (self->info_bar, TRUE);
}

/* The result of an export replaces the previous one instead of piling up under it; warnings
 * stay until the user closes the bar. */
void
vl_results_page_show_status (VlResultsPage *self, const char *text)
{
  gssize at = self->status_at;

  if (at >= 0 && gtk_info_bar_get_revealed (self->info_bar))
    {
      g_string_truncate (self->messages, at);
      if (at == 0)
        gtk_info_bar_set_message_type (self->info_bar, GTK_MESSAGE_INFO);
    }
  else
    at = gtk_info_bar_get_revealed (self->info_bar) ? (gssize) self->messages->len : 0;
  vl_results_page_show_message (self, GTK_MESSAGE_INFO, text);
  self->status_at = at;
}

static void
info_bar_response (VlResultsPage *self, int response)
{
  gtk_info_bar_set_revealed (self->info_bar, FALSE);
  g_string_truncate (self->messages, 0);
  self->status_at = -1;
}

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
static void
update_system_order (VlResultsPage *self)
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

static void
ensure_baseline (VlResultsPage *self)
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
static void
sync_system_checks (VlResultsPage *self)
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

/* Lists, the summary and the tables name at most this many systems: a file of 5,000 systems (a
 * fuzzer's, or a cluster's) made 30,000 widgets, and mapping them froze the window for minutes.
 * The charts still draw every system. */
#define MAX_LISTED_SYSTEMS 100

static GtkWidget *
more_systems_label (guint more)
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

static void
fill_system_list (VlResultsPage *self)
{
  vl_container_destroy_children (GTK_CONTAINER (self->system_list));
  for (guint i = 0; i < self->system_order->len; i++)
    {
      const char *id = g_ptr_array_index (self->system_order, i);

      if (i == MAX_LISTED_SYSTEMS)
        {
          gtk_container_add (GTK_CONTAINER (self->system_list),
                             more_systems_label (self->system_order->len - MAX_LISTED_SYSTEMS));
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

static void
fill_run_list (VlResultsPage *self)
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

static void
fill_baseline_combo (VlResultsPage *self)
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

static void
baseline_combo_changed (VlResultsPage *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->baseline_combo));

  if (!self->updating && id != NULL)
    g_action_group_change_action_state (G_ACTION_GROUP (self->actions), "baseline", g_variant_new_string (id));
}

/* ---- summary and tables --------------------------------------------------------------------- */

static GtkWidget *
grid_label (const char *text, gboolean heading, float xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (heading)
    gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  gtk_widget_show (label);
  return label;
}

/* Systems down, categories across: ten systems stay readable. The rankings follow in sentences. */
static void
fill_summary (VlResultsPage *self)
{
  static const VlCategory order[] = { VL_CATEGORY_CPU, VL_CATEGORY_MEMORY, VL_CATEGORY_DISK,
                                      VL_CATEGORY_OTHER, VL_CATEGORY_ALL };
  g_auto(GStrv) visible = vl_results_page_visible_systems (self);
  guint n = g_strv_length (visible), column = 1;
  g_autofree char *title = NULL;

  vl_container_destroy_children (GTK_CONTAINER (self->summary_grid));
  vl_container_destroy_children (GTK_CONTAINER (self->ranking_box));
  if (self->baseline == NULL || n == 0)
    {
      gtk_label_set_text (self->summary_title, _("Summary: no system is shown"));
      return;
    }
  title = g_strdup_printf (_("Summary against %s"), self->baseline);
  gtk_label_set_text (self->summary_title, title);
  if (n == 1)
    {
      GtkWidget *alone = grid_label (_("Only one system is shown: open or show another run to compare "
                                       "systems."), FALSE, 0);

      gtk_label_set_line_wrap (GTK_LABEL (alone), TRUE);
      gtk_container_add (GTK_CONTAINER (self->ranking_box), alone);
      return;
    }

  for (guint s = 0; s < MIN (n, MAX_LISTED_SYSTEMS); s++)
    {
      GtkWidget *name = grid_label (visible[s], FALSE, 0);

      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_max_width_chars (GTK_LABEL (name), 28);
      gtk_widget_set_tooltip_text (name, visible[s]);
      gtk_grid_attach (self->summary_grid, name, 0, 1 + s, 1, 1);
    }

  if (n > MAX_LISTED_SYSTEMS)
    gtk_grid_attach (self->summary_grid, more_systems_label (n - MAX_LISTED_SYSTEMS), 0, 1 + MAX_LISTED_SYSTEMS,
                     G_N_ELEMENTS (order) + 1, 1);
  for (guint c = 0; c < G_N_ELEMENTS (order); c++)
    {
      g_autoptr(VlCategorySummary) summary = vl_stats_summarize (self->merged, order[c], self->baseline,
                                                                 (const char * const *) visible);
      g_autofree char *name = NULL;
      GtkWidget *line, *category, *ranking;

      /* "All" says nothing new when only one category has results. */
      if (summary->n_results == 0 || (order[c] == VL_CATEGORY_ALL && column == 2))
        continue;
      name = g_strdup_printf (_("%s (results: %u)"), vl_category_get_label (order[c]), summary->n_results);
      gtk_grid_attach (self->summary_grid, grid_label (name, TRUE, 1), column, 0, 1, 1);
      for (guint i = 0; i < summary->scores->len; i++)
        {
          VlSystemScore *score = g_ptr_array_index (summary->scores, i);
          g_autofree char *percent = g_strdup_printf ("%.1f %%", 100 * score->geometric_mean);
          guint row = 0;

          while (row < n && !g_str_equal (visible[row], score->system))
            row++;
          if (row >= MAX_LISTED_SYSTEMS)
            continue;
          gtk_grid_attach (self->summary_grid, grid_label (percent, FALSE, 1), column, 1 + row, 1, 1);
        }
      column++;

      line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      category = grid_label (vl_category_get_label (order[c]), TRUE, 0);
      gtk_widget_set_size_request (category, 80, -1);
      gtk_widget_set_valign (category, GTK_ALIGN_START);
      ranking = grid_label (summary->ranking, FALSE, 0);
      gtk_label_set_line_wrap (GTK_LABEL (ranking), TRUE);
      gtk_widget_set_hexpand (ranking, TRUE);
      gtk_widget_set_name (ranking, vl_category_get_id (order[c]));
      gtk_style_context_add_class (gtk_widget_get_style_context (ranking), "vl-ranking");
      gtk_container_add (GTK_CONTAINER (line), category);
      gtk_container_add (GTK_CONTAINER (line), ranking);
      gtk_widget_show (line);
      gtk_container_add (GTK_CONTAINER (self->ranking_box), line);
    }
  if (column == 1)
    {
      GtkWidget *none;

      /* Names without numbers next to them would only puzzle. */
      vl_container_destroy_children (GTK_CONTAINER (self->summary_grid));
      none = grid_label (_("No result has a value for every shown system, so there is nothing to rank."),
                         FALSE, 0);
      gtk_label_set_line_wrap (GTK_LABEL (none), TRUE);
      gtk_container_add (GTK_CONTAINER (self->ranking_box), none);
    }
}

/* What PTS recorded about each system, as its own result viewer shows it above the charts. */
static void
fill_details (VlResultsPage *self)
{
  static const char *const heads[] = { N_("System"), N_("Hardware"), N_("Software"), N_("Run") };

  vl_container_destroy_children (GTK_CONTAINER (self->details_grid));
  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    gtk_grid_attach (self->details_grid, grid_label (_(heads[c]), TRUE, 0), c, 0, 1, 1);
  for (guint i = 0; i < self->system_order->len; i++)
    {
      VlResultSystem *system = vl_result_set_find_system (self->merged, g_ptr_array_index (self->system_order, i));

      if (i == MAX_LISTED_SYSTEMS)
        {
          gtk_grid_attach (self->details_grid, more_systems_label (self->system_order->len - i), 0, 1 + i, 4, 1);
          break;
        }
    {
      const char *texts[] = { system->identifier, system->hardware, system->software, system->source };

      for (guint c = 0; c < G_N_ELEMENTS (texts); c++)
        {
          GtkWidget *label = grid_label (texts[c] != NULL ? texts[c] : "", FALSE, 0);

          gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_line_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
          gtk_label_set_max_width_chars (GTK_LABEL (label), c == 1 || c == 2 ? 45 : 20);
          gtk_widget_set_valign (label, GTK_ALIGN_START);
          gtk_grid_attach (self->details_grid, label, c, 1 + i, 1, 1);
        }
    }
    }
}

/* Line graphs, pass/fail and the like have no bar to draw: they are listed, not dropped. */
static void
fill_table (VlResultsPage *self)
{
  g_auto(GStrv) visible = vl_results_page_visible_systems (self);
  GtkWidget *grid, *box, *heading;
  guint row = 1, n = MIN (g_strv_length (visible), MAX_LISTED_SYSTEMS), n_tables = 0;

  g_clear_pointer (&self->table_card, gtk_widget_destroy);
  for (guint r = 0; r < self->merged->results->len; r++)
    {
      VlResult *result = g_ptr_array_index (self->merged->results, r);

      n_tables += !vl_result_is_bar_graph (result) && vl_category_includes (self->category, result);
    }
  if (n_tables == 0)
    return;

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_attach (GTK_GRID (grid), grid_label (_("Result"), TRUE, 0), 0, 0, 1, 1);
  for (guint s = 0; s < n; s++)
    gtk_grid_attach (GTK_GRID (grid), grid_label (visible[s], TRUE, 0), 1 + s, 0, 1, 1);
  for (guint r = 0; r < self->merged->results->len; r++)
    {
      VlResult *result = g_ptr_array_index (self->merged->results, r);
      g_autofree char *name = NULL;

      if (vl_result_is_bar_graph (result) || !vl_category_includes (self->category, result))
        continue;
      name = g_strdup_printf ("%s\n%s · %s", result->title, vl_result_get_subtitle (result),
                              result->display_format);
      gtk_grid_attach (GTK_GRID (grid), grid_label (name, FALSE, 0), 0, row, 1, 1);
      for (guint s = 0; s < n; s++)
        {
          VlResultEntry *entry = vl_result_find_entry (result, visible[s]);
          g_autofree char *value = entry == NULL ? g_strdup ("—") :
                                   entry->failed && entry->error != NULL ?
                                     g_strdup_printf (_("Failed: %s"), entry->error) :
                                   entry->failed ? g_strdup (_("Failed")) :
                                   g_strdup_printf ("%s %s", entry->value_text, result->scale);

          gtk_grid_attach (GTK_GRID (grid), grid_label (value, FALSE, 0), 1 + s, row, 1, 1);
        }
      row++;
    }

  heading = gtk_label_new (_("Results shown as a table"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (heading), "vl-heading");
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  g_object_set (box, "margin", 12, NULL);
  gtk_container_add (GTK_CONTAINER (box), heading);
  gtk_container_add (GTK_CONTAINER (box), grid);
  self->table_card = gtk_frame_new (NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->table_card), "vl-card");
  gtk_container_add (GTK_CONTAINER (self->table_card), box);
  gtk_widget_show_all (self->table_card);
  gtk_container_add (GTK_CONTAINER (self->chart_column), self->table_card);
}

/* ---- charts ----------------------------------------------------------------------------------- */

/* Systems shown, order, baseline or category changed: charts stay, their content follows. */
void
vl_results_page_refresh (VlResultsPage *self)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->chart_column));
  g_auto(GStrv) visible = NULL;
  guint n_empty = 0;

  if (self->merged == NULL)
    return;
  ensure_baseline (self);
  visible = vl_results_page_visible_systems (self);
  for (GList *l = children; l != NULL; l = l->next)
    {
      VlChartView *view;
      const VlResult *result;

      if (!VL_IS_CHART_VIEW (l->data))
        continue;
      view = l->data;
      result = vl_chart_view_get_result (view);
      vl_chart_view_set_result (view, self->merged, result, (const char * const *) visible, self->baseline);
      if (!vl_category_includes (self->category, result))
        gtk_widget_hide (GTK_WIDGET (view));
      /* A chart of no shown system would be an empty frame: it is counted below instead. */
      else if (!vl_result_has_shown_entry (result, (const char * const *) visible))
        {
          gtk_widget_hide (GTK_WIDGET (view));
          n_empty++;
        }
      else
        gtk_widget_show (GTK_WIDGET (view));
    }
  if (n_empty > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u result is not drawn: none of the shown "
                                                         "systems ran it. Show its systems in the list "
                                                         "on the left to see it.",
                                                         "%u results are not drawn: none of the shown "
                                                         "systems ran them. Show their systems in the "
                                                         "list on the left to see them.", n_empty),
                                               n_empty);

      gtk_label_set_text (self->left_out_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->left_out_label), n_empty > 0);
  sync_system_checks (self);
  fill_baseline_combo (self);
  fill_summary (self);
  fill_table (self);
}

/* Systems moved or shown again: the side list follows, charts keep their place (and the scroll). */
void
vl_results_page_update_systems (VlResultsPage *self)
{
  if (self->merged == NULL)
    return;
  fill_system_list (self);
  fill_details (self);
  vl_results_page_refresh (self);
}

/* The runs changed: merge them again and make one chart per bar-graph result. */
void
vl_results_page_rebuild (VlResultsPage *self)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->chart_column));
  VlResultSet *merged = vl_result_set_new ();

  for (guint i = 0; i < self->runs->len; i++)
    vl_result_set_merge (merged, ((VlLoadedRun *) g_ptr_array_index (self->runs, i))->set);
  g_clear_pointer (&self->merged, vl_result_set_unref);
  self->merged = merged;

  for (GList *l = children; l != NULL; l = l->next)
    if (VL_IS_CHART_VIEW (l->data))
      gtk_widget_destroy (l->data);

  update_system_order (self);
  for (guint r = 0; r < merged->results->len; r++)
    {
      VlResult *result = g_ptr_array_index (merged->results, r);
      GtkWidget *view;

      if (!vl_result_is_bar_graph (result))
        continue;
      view = vl_chart_view_new ();
      /* Content comes in refresh(); here only the result it shows. */
      vl_chart_view_set_result (VL_CHART_VIEW (view), merged, result, NULL, NULL);
      gtk_style_context_add_class (gtk_widget_get_style_context (view), "vl-card");
      gtk_container_add (GTK_CONTAINER (self->chart_column), view);
    }
  fill_run_list (self);
  fill_system_list (self);
  fill_details (self);
  vl_results_page_refresh (self);
  gtk_stack_set_visible_child_name (self->state_stack, self->runs->len > 0 ? "results" : "empty");
}

/* ---- loading ---------------------------------------------------------------------------------- */

/* The files the settings would remember (not the bundled study, not discovered PTS runs). */
static gboolean
is_remembered (const char *uri)
{
  /* The study too (it is a resource), so it comes back after a restart; not runs that discovery finds. */
  return g_str_equal (uri, VL_RESULT_STUDY_URI) ||
         (!g_str_has_prefix (uri, "resource://") && !vl_result_is_discovered_run (uri, g_get_home_dir ()));
}

static void
mark_opening (VlResultsPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) files = NULL;

  for (guint i = 0; i < self->runs->len; i++)
    {
      const char *uri = ((VlLoadedRun *) g_ptr_array_index (self->runs, i))->uri;

      if (is_remembered (uri))
        g_strv_builder_add (builder, uri);
    }
  files = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "result-files-opening", (const char * const *) files);
  /* On disk before the first chart is drawn, or a crash would lose the mark with the app. */
  g_settings_sync ();
}

/* Every chart once, off screen, at the page's width: what the screen will do, done before the files
 * are remembered. (Charts scrolled out of view would otherwise be drawn only much later.) */
static void
paint_all_charts (VlResultsPage *self)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->chart_column));
  int width = MAX (400, gtk_widget_get_allocated_width (GTK_WIDGET (self->chart_column)));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);

  for (GList *l = children; l != NULL; l = l->next)
    if (VL_IS_CHART_VIEW (l->data))
      vl_chart_view_paint_offscreen (l->data, cr, width);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
runs_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlResultsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = vl_result_runs_load_finish (result, &error);

  if (loaded == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vl_results_page_show_message (self, GTK_MESSAGE_ERROR, error->message);
      vl_results_page_set_pending (self, -1);
      return;
    }
  for (guint i = 0; i < loaded->len; i++)
    {
      VlLoadedRun *run = g_ptr_array_index (loaded, i);
      guint index;

      if (run->set == NULL)
        {
          vl_results_page_show_message (self, GTK_MESSAGE_WARNING, run->error->message);
          continue;
        }
      /* Opening a file again reloads it in place. */
      for (index = 0; index < self->runs->len; index++)
        if (g_str_equal (((VlLoadedRun *) g_ptr_array_index (self->runs, index))->uri, run->uri))
          break;
      g_ptr_array_index (loaded, i) = NULL;
      if (index < self->runs->len)
        {
          vl_loaded_run_free (g_ptr_array_index (self->runs, index));
          g_ptr_array_index (self->runs, index) = run;
        }
      else
        {
          g_ptr_array_add (self->runs, run);
        }
    }
  /* Should drawing these charts ever crash or hang the app, the next start must not open the
   * same files again by itself (and crash again): they are marked as being opened, and the mark
   * is cleared only once each chart was laid out and painted. */
  mark_opening (self);
  vl_results_page_rebuild (self);
  paint_all_charts (self);
  vl_results_page_save_files (self);
  g_settings_set_strv (self->settings, "result-files-opening", NULL);
  g_settings_sync ();
  vl_results_page_set_pending (self, -1);
}

static void
load_uris (VlResultsPage *self, const char * const *uris, const char *discover_home)
{
  vl_results_page_set_pending (self, +1);
  vl_result_runs_load_async (uris, discover_home, self->cancellable, runs_loaded, g_object_ref (self));
}

/* Remember what the user has open, the bundled study included (it stays until the user closes
 * it); discovered runs come back by themselves. */
void
vl_results_page_save_files (VlResultsPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) files = NULL;

  for (guint i = 0; i < self->runs->len; i++)
    {
      const char *uri = ((VlLoadedRun *) g_ptr_array_index (self->runs, i))->uri;

      if (is_remembered (uri))
        g_strv_builder_add (builder, uri);
    }
  files = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "result-files", (const char * const *) files);
}

/* First start, or nothing opened before: the 2010 study, so the page is never a blank wall. */
static gboolean
load_defaults (gpointer user_data)
{
  VlResultsPage *self = user_data;
  g_auto(GStrv) saved = g_settings_get_strv (self->settings, "result-files");
  g_auto(GStrv) opening = g_settings_get_strv (self->settings, "result-files-opening");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) again = NULL;
  const char *study[] = { VL_RESULT_STUDY_URI, NULL };

  self->defaults_source = 0;
  /* Files whose charts were being drawn when Virtlab last stopped are named, not reopened. */
  for (guint i = 0; saved[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) opening, saved[i]))
      g_strv_builder_add (builder, saved[i]);
  for (guint i = 0; opening[i] != NULL; i++)
    {
      g_autofree char *name = g_filename_display_name (opening[i]);
      g_autofree char *msg = g_strdup_printf (_("Virtlab stopped while drawing the charts of “%s” last time, "
                                                "so it was not opened again. Open it yourself to try again."),
                                              name);

      vl_results_page_show_message (self, GTK_MESSAGE_WARNING, msg);
    }
  again = g_strv_builder_end (builder);
  if (opening[0] != NULL)
    {
      g_settings_set_strv (self->settings, "result-files", (const char * const *) again);
      g_settings_set_strv (self->settings, "result-files-opening", NULL);
    }
  load_uris (self, again[0] != NULL ? (const char * const *) again : study, g_get_home_dir ());
  vl_results_page_set_pending (self, -1);
  return G_SOURCE_REMOVE;
}

/* The 2010 study again, after the user closed it (or it was left out by an older version). */
void
vl_results_page_open_study (VlResultsPage *self)
{
  const char *study[] = { VL_RESULT_STUDY_URI, NULL };

  g_return_if_fail (VL_IS_RESULTS_PAGE (self));

  if (self->defaults_source != 0)
    {
      g_clear_handle_id (&self->defaults_source, g_source_remove);
      vl_results_page_set_pending (self, -1);
    }
  load_uris (self, study, NULL);
}

void
vl_results_page_open_files (VlResultsPage *self, GFile **files, guint n_files)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) uris = NULL;

  g_return_if_fail (VL_IS_RESULTS_PAGE (self));

  /* Files named on the command line replace the first-start content. */
  if (self->defaults_source != 0)
    {
      g_clear_handle_id (&self->defaults_source, g_source_remove);
      vl_results_page_set_pending (self, -1);
    }
  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);

      if (path != NULL)
        g_strv_builder_add (builder, path);
      else
        {
          g_autofree char *uri = g_file_get_uri (files[i]);
          g_autofree char *msg = g_strdup_printf (_("“%s” is not a local file and cannot be opened"), uri);

          vl_results_page_show_message (self, GTK_MESSAGE_WARNING, msg);
        }
    }
  uris = g_strv_builder_end (builder);
  if (uris[0] != NULL)
    load_uris (self, (const char * const *) uris, NULL);
}

/* ---- life cycle ------------------------------------------------------------------------------- */

static void
vl_results_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VlResultsPage *self = VL_RESULTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, vl_busy_get (VL_BUSY (self)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vl_results_page_dispose (GObject *object)
{
  VlResultsPage *self = VL_RESULTS_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->defaults_source, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  g_clear_object (&self->actions);
  /* Destroyed with the other children. */
  self->table_card = NULL;
  g_clear_object (&self->settings);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->merged, vl_result_set_unref);
  g_clear_pointer (&self->system_order, g_ptr_array_unref);
  g_clear_pointer (&self->hidden, g_hash_table_unref);
  G_OBJECT_CLASS (vl_results_page_parent_class)->dispose (object);
}

static void
vl_results_page_finalize (GObject *object)
{
  VlResultsPage *self = VL_RESULTS_PAGE (object);

  g_free (self->baseline);
  g_string_free (self->messages, TRUE);
  G_OBJECT_CLASS (vl_results_page_parent_class)->finalize (object);
}

static void
vl_results_page_class_init (VlResultsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = vl_results_page_get_property;
  object_class->dispose = vl_results_page_dispose;
  object_class->finalize = vl_results_page_finalize;

  vl_busy_class_install (object_class, PROP_BUSY);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-results-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VlResultsPage, info_bar);
  gtk_widget_class_bind_template_child (widget_class, VlResultsPage, info_label);
  gtk_widget_class_bind_template_child (widget_class, VlResultsPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, VlResultsPage, run_list);
  gtk_widget_class_bind_template_child (widget_class, VlResultsPage, system_list);
  gtk_widget_class_bind_template_child (widget_class, VlResultsPage, baseline_combo);
  gtk_widget_class_bind_template_child (widget_class, VlResultsPage, chart_column);
  gtk_widget_class_bind_template_child (widget_class, VlResultsPage, summary_title);
  gtk_widget_class_bind_template_child (widget_class, VlResultsPage, summary_grid);
  gtk_widget_class_bind_template_child (widget_class, VlResultsPage, ranking_box);
  gtk_widget_class_bind_template_child (widget_class, VlResultsPage, details_grid);
  gtk_widget_class_bind_template_child (widget_class, VlResultsPage, left_out_label);
  gtk_widget_class_bind_template_child (widget_class, VlResultsPage, export_button);
  gtk_widget_class_bind_template_callback (widget_class, info_bar_response);
  gtk_widget_class_bind_template_callback (widget_class, baseline_combo_changed);
}

static void
vl_results_page_init (VlResultsPage *self)
{
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) vl_loaded_run_free);
  self->system_order = g_ptr_array_new_with_free_func (g_free);
  self->hidden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->messages = g_string_new (NULL);
  self->status_at = -1;
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  self->category = VL_CATEGORY_ALL;

  gtk_widget_init_template (GTK_WIDGET (self));
  vl_menu_button_quiet_tooltip (self->export_button);
  vl_results_page_install_actions (self);

  /* Busy from the start: a screenshot waits for the first content. */
  vl_results_page_set_pending (self, +1);
  self->defaults_source = g_idle_add (load_defaults, self);
}
