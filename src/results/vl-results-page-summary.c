/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Results page's summary card (ranking per category), the systems' hardware and software, and the
 * table of results that are not bar graphs. */
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
void
vl_results_page_fill_summary (VlResultsPage *self)
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
    gtk_grid_attach (self->summary_grid, vl_results_page_more_systems_label (n - MAX_LISTED_SYSTEMS), 0, 1 + MAX_LISTED_SYSTEMS,
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
void
vl_results_page_fill_details (VlResultsPage *self)
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
          gtk_grid_attach (self->details_grid, vl_results_page_more_systems_label (self->system_order->len - i), 0, 1 + i, 4, 1);
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
void
vl_results_page_fill_table (VlResultsPage *self)
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
