/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A GtkDrawingArea showing one result as a chart, with a tooltip per bar. */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "vl-chart.h"
#include "vl-chart-view.h"
#include "vl-result-export.h"
#include "vl-result-stats.h"

struct _VlChartView
{
  GtkDrawingArea  parent_instance;

  VlResultSet    *set;
  const VlResult *result;    /* owned by set */
  VlResultChart  *chart;
  char           *baseline;
  VlChartLayout  *layout;    /* of the last draw: what the pointer is over */
  VlChartStyle    style;
  char          **systems;   /* shown, in order: what a saved chart shows too */
  int             hovered;   /* bar under the pointer, or -1 */
  GCancellable   *cancellable;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (VlChartView, vl_chart_view, GTK_TYPE_DRAWING_AREA)

GtkWidget *
vl_chart_view_new (void)
{
  return g_object_new (VL_TYPE_CHART_VIEW, NULL);
}

static void
update_height (VlChartView *self)
{
  double height = self->chart != NULL ? vl_chart_preferred_height (&self->chart->data, &self->style) : 0;

  gtk_widget_set_size_request (GTK_WIDGET (self), 360, (int) height);
}

void
vl_chart_view_set_result (VlChartView *self, VlResultSet *set, const VlResult *result,
                          const char * const *systems, const char *baseline)
{
  g_return_if_fail (VL_IS_CHART_VIEW (self));

  vl_result_set_ref (set);
  g_clear_pointer (&self->chart, vl_result_chart_free);
  g_clear_pointer (&self->layout, vl_chart_layout_free);
  g_clear_pointer (&self->set, vl_result_set_unref);
  self->set = set;
  self->result = result;
  self->chart = vl_result_chart_new (set, result, systems);
  g_free (self->baseline);
  self->baseline = g_strdup (baseline);
  g_strfreev (self->systems);
  self->systems = g_strdupv ((char **) systems);
  self->hovered = -1;
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), result->title);
  update_height (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const VlResult *
vl_chart_view_get_result (VlChartView *self)
{
  g_return_val_if_fail (VL_IS_CHART_VIEW (self), NULL);
  return self->result;
}

guint
vl_chart_view_get_n_bars (VlChartView *self)
{
  g_return_val_if_fail (VL_IS_CHART_VIEW (self), 0);
  return self->chart != NULL ? self->chart->data.n_bars : 0;
}

const char *
vl_chart_view_get_bar_label (VlChartView *self, guint index)
{
  g_return_val_if_fail (VL_IS_CHART_VIEW (self) && self->chart != NULL, NULL);
  g_return_val_if_fail (index < self->chart->data.n_bars, NULL);
  return self->chart->bars[index].label;
}

/* What the tooltip of a bar says: value, single runs, standard error and % against the baseline. */
char *
vl_chart_view_describe_bar (VlChartView *self, guint index)
{
  const VlChartBar *bar;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *system = NULL;
  const char *unit;

  g_return_val_if_fail (VL_IS_CHART_VIEW (self) && self->chart != NULL, NULL);
  g_return_val_if_fail (index < self->chart->data.n_bars, NULL);
  bar = &self->chart->bars[index];
  unit = self->result->scale != NULL ? self->result->scale : "";
  system = g_markup_escape_text (bar->label, -1);
  g_string_append_printf (text, "<b>%s</b>\n", system);
  if (!isfinite (bar->value))
    {
      if (bar->error != NULL)
        {
          g_autofree char *error = g_markup_escape_text (bar->error, -1);

          /* What PTS stored as the reason, e.g. "The test run did not produce a result." */
          g_string_append_printf (text, _("The test run failed: %s"), error);
        }
      else
        g_string_append (text, _("The test run failed: it produced no value."));
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  {
    g_autofree char *value = g_markup_printf_escaped ("%s %s", bar->value_text, unit);

    g_string_append_printf (text, _("Value: %s"), value);
  }
  if (bar->n_raw > 0)
    {
      g_autoptr(GString) runs = g_string_new (NULL);

      for (guint i = 0; i < bar->n_raw; i++)
        g_string_append_printf (runs, "%s%g", i > 0 ? ", " : "", bar->raw[i]);
      g_string_append (text, "\n");
      g_string_append_printf (text, _("Single runs: %s"), runs->str);
    }
  if (bar->n_raw >= 2)
    {
      double se = vl_stats_standard_error (bar->raw, bar->n_raw);

      g_string_append (text, "\n");
      g_string_append_printf (text, _("Standard error: ±%.3g (%.2f %%)"), se,
                              100 * se / fabs (vl_stats_mean (bar->raw, bar->n_raw)));
    }
  if (self->baseline != NULL)
    {
      double base = vl_result_entry_value (self->result, self->baseline);
      double rel = vl_stats_relative (bar->value, base, self->result->proportion);
      g_autofree char *base_name = g_markup_escape_text (self->baseline, -1);

      g_string_append (text, "\n");
      if (g_str_equal (bar->label, self->baseline))
        g_string_append (text, _("This is the baseline"));
      else if (isfinite (rel))
        g_string_append_printf (text, _("%+.1f %% vs %s (baseline)"), 100 * (rel - 1), base_name);
      else
        g_string_append_printf (text, _("No comparison with %s (baseline)"), base_name);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The theme decides text and background, so the chart fits light and dark themes alike. */
static void
update_style (VlChartView *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  GdkRGBA fg, bg;

  gtk_style_context_get_color (context, gtk_style_context_get_state (context), &fg);
  if (!gtk_style_context_lookup_color (context, "theme_base_color", &bg))
    bg = (GdkRGBA) { 1, 1, 1, 1 };
  self->style.foreground = (VlChartColor) { fg.red, fg.green, fg.blue, 1 };
  self->style.error_bar = self->style.foreground;
  self->style.dim = (VlChartColor) { fg.red, fg.green, fg.blue, 0.7 };
  self->style.grid = (VlChartColor) { fg.red, fg.green, fg.blue, 0.12 };
  self->style.background = (VlChartColor) { bg.red, bg.green, bg.blue, 1 };
}

/* The chart laid out at `width` (its own height) and painted on `cr`, as drawing on screen does:
 * the page does it once for every chart of new files before it remembers them. */
void
vl_chart_view_paint_offscreen (VlChartView *self, cairo_t *cr, int width)
{
  g_autoptr(VlChartLayout) layout = NULL;

  g_return_if_fail (VL_IS_CHART_VIEW (self));
  if (self->chart == NULL)
    return;
  update_style (self);
  layout = vl_chart_layout_compute (&self->chart->data, &self->style, width,
                                    vl_chart_preferred_height (&self->chart->data, &self->style),
                                    vl_chart_measure_text, &self->style);
  vl_chart_render (layout, &self->style, cr);
}

static gboolean
vl_chart_view_draw (GtkWidget *widget, cairo_t *cr)
{
  VlChartView *self = VL_CHART_VIEW (widget);

  if (self->chart == NULL)
    return FALSE;
  update_style (self);
  g_clear_pointer (&self->layout, vl_chart_layout_free);
  self->layout = vl_chart_layout_compute (&self->chart->data, &self->style,
                                          gtk_widget_get_allocated_width (widget),
                                          gtk_widget_get_allocated_height (widget),
                                          vl_chart_measure_text, &self->style);
  vl_chart_render (self->layout, &self->style, cr);
  if (self->hovered >= 0 && (guint) self->hovered < self->layout->bars->len)
    {
      double pitch = self->layout->plot.height / self->layout->bars->len;

      cairo_set_source_rgba (cr, self->style.foreground.red, self->style.foreground.green,
                             self->style.foreground.blue, 0.07);
      cairo_rectangle (cr, 0, self->layout->plot.y + self->hovered * pitch, self->layout->width, pitch);
      cairo_fill (cr);
    }
  return FALSE;
}

static gboolean
vl_chart_view_motion_notify (GtkWidget *widget, GdkEventMotion *event)
{
  VlChartView *self = VL_CHART_VIEW (widget);
  int hovered = self->layout != NULL ? vl_chart_layout_bar_at (self->layout, event->x, event->y) : -1;

  if (hovered != self->hovered)
    {
      self->hovered = hovered;
      gtk_widget_queue_draw (widget);
    }
  return GDK_EVENT_PROPAGATE;
}

static gboolean
vl_chart_view_leave_notify (GtkWidget *widget, GdkEventCrossing *event)
{
  VlChartView *self = VL_CHART_VIEW (widget);

  if (self->hovered != -1)
    {
      self->hovered = -1;
      gtk_widget_queue_draw (widget);
    }
  return GDK_EVENT_PROPAGATE;
}

/* ---- saving one chart ------------------------------------------------------------------------- */

typedef struct
{
  VlResultSet   *set;
  const VlResult *result;
  char         **systems;
  VlChartFormat  format;
  char          *path;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_clear_pointer (&data->set, vl_result_set_unref);
  g_strfreev (data->systems);
  g_free (data->path);
  g_free (data);
}

static void
save_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SaveData *data = task_data;
  g_autoptr(VlResultChart) chart = vl_result_chart_new (data->set, data->result,
                                                        (const char * const *) data->systems);
  GError *error = NULL;

  if (vl_chart_export (&chart->data, vl_chart_style_default (), data->format, 800, data->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
save_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (source));
      GtkWidget *dialog = gtk_message_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                                  GTK_DIALOG_DESTROY_WITH_PARENT | GTK_DIALOG_MODAL,
                                                  GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s",
                                                  _("The chart could not be saved"));

      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
      g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
      gtk_widget_show (dialog);
    }
}

/* Saves what the view shows, in the background. */
void
vl_chart_view_save (VlChartView *self, VlChartFormat format, const char *path)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (VL_IS_CHART_VIEW (self) && self->set != NULL);
  data = g_new0 (SaveData, 1);
  data->set = vl_result_set_ref (self->set);
  data->result = self->result;
  data->systems = g_strdupv (self->systems);
  data->format = format;
  data->path = g_strdup (path);
  task = g_task_new (self, self->cancellable, save_done, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

static void
save_response (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  VlChartView *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dialog));
      VlChartFormat format = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "format"));

      if (path != NULL)
        vl_chart_view_save (self, format, path);
    }
  g_clear_object (&self->chooser);
}

static void
save_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlChartView *self = user_data;
  VlChartFormat format;
  g_autofree char *name = NULL;

  if (self->chooser != NULL || self->result == NULL ||
      !vl_chart_format_from_name (g_variant_get_string (param, NULL), &format))
    return;
  name = vl_result_chart_file_name (1, self->result, vl_chart_format_extension (format));
  self->chooser = gtk_file_chooser_native_new (_("Save Chart"),
                                               GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (self->chooser), TRUE);
  /* Drop the "001-" meant for folders of charts. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name + 4);
  g_object_set_data (G_OBJECT (self->chooser), "format", GUINT_TO_POINTER (format));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);  /* takes input over a modal window too */
  g_signal_connect (self->chooser, "response", G_CALLBACK (save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
vl_chart_view_button_press (GtkWidget *widget, GdkEventButton *event)
{
  if (gdk_event_triggers_context_menu ((GdkEvent *) event))
    {
      g_autoptr(GMenu) menu = g_menu_new ();
      GtkWidget *popup;

      g_menu_append (menu, _("Save Chart as PNG…"), "chart.save('png')");
      g_menu_append (menu, _("Save Chart as SVG…"), "chart.save('svg')");
      g_menu_append (menu, _("Save Chart as PDF…"), "chart.save('pdf')");
      popup = gtk_menu_new_from_model (G_MENU_MODEL (menu));
      gtk_menu_attach_to_widget (GTK_MENU (popup), widget, NULL);
      g_signal_connect (popup, "deactivate", G_CALLBACK (gtk_widget_destroy), NULL);
      gtk_menu_popup_at_pointer (GTK_MENU (popup), (GdkEvent *) event);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static gboolean
vl_chart_view_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip)
{
  VlChartView *self = VL_CHART_VIEW (widget);
  g_autofree char *markup = NULL;
  const VlChartBarLayout *bar;
  GdkRectangle area;
  int index;

  if (self->layout == NULL || keyboard)
    return FALSE;
  index = vl_chart_layout_bar_at (self->layout, x, y);
  if (index < 0)
    return FALSE;
  bar = &g_array_index (self->layout->bars, VlChartBarLayout, index);
  markup = vl_chart_view_describe_bar (self, index);
  gtk_tooltip_set_markup (tooltip, markup);
  /* One tip per row: moving to the next bar asks again. */
  area.x = 0;
  area.width = (int) self->layout->width;
  area.y = (int) floor (bar->label_y - (self->layout->plot.height / self->layout->bars->len) / 4);
  area.height = (int) ceil (self->layout->plot.height / self->layout->bars->len);
  gtk_tooltip_set_tip_area (tooltip, &area);
  return TRUE;
}

static void
vl_chart_view_dispose (GObject *object)
{
  VlChartView *self = VL_CHART_VIEW (object);

  g_clear_pointer (&self->chart, vl_result_chart_free);
  g_clear_pointer (&self->layout, vl_chart_layout_free);
  g_clear_pointer (&self->set, vl_result_set_unref);
  self->result = NULL;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  G_OBJECT_CLASS (vl_chart_view_parent_class)->dispose (object);
}

static void
vl_chart_view_finalize (GObject *object)
{
  g_free (VL_CHART_VIEW (object)->baseline);
  g_strfreev (VL_CHART_VIEW (object)->systems);
  G_OBJECT_CLASS (vl_chart_view_parent_class)->finalize (object);
}

static void
vl_chart_view_class_init (VlChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vl_chart_view_dispose;
  object_class->finalize = vl_chart_view_finalize;
  widget_class->draw = vl_chart_view_draw;
  widget_class->query_tooltip = vl_chart_view_query_tooltip;
  widget_class->motion_notify_event = vl_chart_view_motion_notify;
  widget_class->leave_notify_event = vl_chart_view_leave_notify;
  widget_class->button_press_event = vl_chart_view_button_press;
  gtk_widget_class_set_css_name (widget_class, "vl-chart");
}

static void
vl_chart_view_init (VlChartView *self)
{
  static const GActionEntry entries[] = { { "save", save_activated, "s" } };
  const VlChartStyle *base = vl_chart_style_default ();
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();

  self->style = *base;
  /* The font of the desktop, so charts read like the rest of the window. */
  {
    GtkSettings *settings = gtk_settings_get_default ();
    g_autofree char *font = NULL;

    if (settings != NULL)
      g_object_get (settings, "gtk-font-name", &font, NULL);
    if (font != NULL)
      {
        PangoFontDescription *desc = pango_font_description_from_string (font);

        if (pango_font_description_get_family (desc) != NULL)
          self->style.font_family = g_intern_string (pango_font_description_get_family (desc));
        if (pango_font_description_get_size (desc) > 0)
          self->style.font_size = round (pango_font_description_get_size (desc) / (double) PANGO_SCALE * 96 / 72);
        pango_font_description_free (desc);
      }
  }
  self->hovered = -1;
  self->cancellable = g_cancellable_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (actions), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "chart", G_ACTION_GROUP (actions));
  gtk_widget_add_events (GTK_WIDGET (self), GDK_POINTER_MOTION_MASK | GDK_LEAVE_NOTIFY_MASK |
                                            GDK_BUTTON_PRESS_MASK);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}
