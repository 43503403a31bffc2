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
  vl_results_page_ensure_baseline (self);
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
  vl_results_page_sync_system_checks (self);
  vl_results_page_fill_baseline_combo (self);
  vl_results_page_fill_summary (self);
  vl_results_page_fill_table (self);
}

/* Systems moved or shown again: the side list follows, charts keep their place (and the scroll). */
void
vl_results_page_update_systems (VlResultsPage *self)
{
  if (self->merged == NULL)
    return;
  vl_results_page_fill_system_list (self);
  vl_results_page_fill_details (self);
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

  vl_results_page_update_system_order (self);
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
  vl_results_page_fill_run_list (self);
  vl_results_page_fill_system_list (self);
  vl_results_page_fill_details (self);
  vl_results_page_refresh (self);
  gtk_stack_set_visible_child_name (self->state_stack, self->runs->len > 0 ? "results" : "empty");
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
  g_clear_pointer (&self->alone_path, g_free);
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
  gtk_widget_class_bind_template_callback_full (widget_class, "baseline_combo_changed",
                                                G_CALLBACK (vl_results_page_baseline_combo_changed));
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
  self->defaults_source = g_idle_add (vl_results_page_load_defaults, self);
}
