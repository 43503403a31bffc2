/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window, the hall: a header bar with the page switcher and the pages Host, Guests, Results. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-window.h"
#include "vl-bench-assistant.h"
#include "vl-busy.h"
#include "vl-host-page.h"
#include "vl-guests-page.h"
#include "vl-results-page.h"
#include "vl-widgets.h"

/* A screenshot waits until no page says it is busy, but never longer than this. */
#define SCREENSHOT_MAX_WAIT_US (15 * G_USEC_PER_SEC)
#define SCREENSHOT_RECHECK_MS  50

struct _VlWindow
{
  GtkApplicationWindow parent_instance;

  GSettings     *settings;

  GtkStack      *stack;
  GtkRevealer   *error_revealer;
  GtkLabel      *error_title;
  GtkLabel      *error_detail;
  VlHostPage    *host_page;
  VlGuestsPage  *guests_page;
  VlResultsPage *results_page;
  GtkMenuButton *primary_menu_button;
};

G_DEFINE_FINAL_TYPE (VlWindow, vl_window, GTK_TYPE_APPLICATION_WINDOW)

static void vl_window_setup (VlWindow *self, VlApplication *app);

VlWindow *
vl_window_new (VlApplication *app)
{
  VlWindow *self = g_object_new (VL_TYPE_WINDOW, "application", app, NULL);

  vl_window_setup (self, app);
  return self;
}

void
vl_window_show_page (VlWindow *self, const char *name)
{
  g_return_if_fail (VL_IS_WINDOW (self));

  if (gtk_stack_get_child_by_name (self->stack, name) != NULL)
    gtk_stack_set_visible_child_name (self->stack, name);
}

const char *
vl_window_get_visible_page (VlWindow *self)
{
  g_return_val_if_fail (VL_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
vl_window_open_connections (VlWindow *self, const char * const *uris)
{
  g_return_if_fail (VL_IS_WINDOW (self));

  vl_guests_page_open_connections (self->guests_page, uris);
}

void
vl_window_open_result_files (VlWindow *self, GFile **files, guint n_files)
{
  g_return_if_fail (VL_IS_WINDOW (self));

  vl_results_page_open_files (self->results_page, files, n_files);
}

void
vl_window_open_study (VlWindow *self)
{
  g_return_if_fail (VL_IS_WINDOW (self));

  vl_results_page_open_study (self->results_page);
  vl_window_show_page (self, "results");
}

static void
bench_result_saved (VlBenchAssistant *assistant, const char *path, VlWindow *self)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  vl_results_page_open_file_alone (self->results_page, file);
  vl_window_show_page (self, "results");
}

/* Run Benchmarks…, from the Results page and the Guests page: the result opens on the Results page. */
void
vl_window_run_benchmarks (VlWindow *self)
{
  VlBenchAssistant *assistant;

  g_return_if_fail (VL_IS_WINDOW (self));

  assistant = vl_bench_assistant_new (GTK_WINDOW (self),
                                      vl_guests_page_get_connection_model (self->guests_page));
  g_signal_connect_object (assistant, "result-saved", G_CALLBACK (bench_result_saved), self, 0);
  gtk_window_present (GTK_WINDOW (assistant));
}

void
vl_window_show_error (VlWindow *self, const char *title, const char *detail)
{
  g_return_if_fail (VL_IS_WINDOW (self));

  gtk_label_set_text (self->error_title, title);
  gtk_label_set_text (self->error_detail, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_detail), detail != NULL && *detail != '\0');
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

static void
error_close_clicked (VlWindow *self)
{
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
}

static void
visible_page_changed (VlWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-page");

  if (name == NULL)
    return;
  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (name));
  g_settings_set_string (self->settings, "last-page", name);
}

/* ---- screenshot ---------------------------------------------------------------------------- */

typedef struct
{
  GFile         *file;
  gint64         started;
  GdkFrameClock *clock;
  gulong         paint_handler;
} ScreenshotData;

static void
screenshot_data_free (ScreenshotData *data)
{
  if (data->paint_handler != 0)
    g_clear_signal_handler (&data->paint_handler, data->clock);
  g_clear_object (&data->clock);
  g_clear_object (&data->file);
  g_free (data);
}

static gboolean
window_is_busy (VlWindow *self)
{
  GtkWidget *pages[] = { GTK_WIDGET (self->host_page), GTK_WIDGET (self->guests_page),
                         GTK_WIDGET (self->results_page) };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      if (VL_IS_BUSY (pages[i]) && vl_busy_get (VL_BUSY (pages[i])))
        return TRUE;
    }
  return FALSE;
}

/* Prefer the pixels on the X server: gtk_widget_draw() leaves out widgets with windows of their
 * own, such as a tree view's column headers. Off screen, drawing the widget is all there is. */
static gboolean
write_screenshot (VlWindow *self, GFile *file, GError **error)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkWindow *gdk_window = gtk_widget_get_window (widget);
  int width = gtk_widget_get_allocated_width (widget);
  int height = gtk_widget_get_allocated_height (widget);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (gdk_window != NULL && gdk_window_is_viewable (gdk_window))
    {
      /* The last frame's drawing must have reached the server before it is read back. */
      gdk_display_sync (gtk_widget_get_display (widget));
      pixbuf = gdk_pixbuf_get_from_window (gdk_window, 0, 0, gdk_window_get_width (gdk_window),
                                         gdk_window_get_height (gdk_window));
    }
  if (pixbuf != NULL)
    return gdk_pixbuf_save (pixbuf, path, "png", error, NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  gtk_widget_draw (widget, cr);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("“%s” could not be written: %s"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

static void
screenshot_finish_now (GTask *task)
{
  ScreenshotData *data = g_task_get_task_data (task);
  VlWindow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (data->paint_handler != 0)
    g_clear_signal_handler (&data->paint_handler, data->clock);
  g_clear_object (&data->clock);

  if (g_task_return_error_if_cancelled (task))
    ;
  else if (!write_screenshot (self, data->file, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_file_get_path (data->file), g_free);
  g_object_unref (task);
}

/* Runs after each painted frame: once a frame is on screen and no page is loading, draw it
 * again into an image. Layout is done by then, so the picture is the one on the screen. */
static void
screenshot_after_paint (GdkFrameClock *clock, gpointer user_data)
{
  GTask *task = user_data;
  ScreenshotData *data = g_task_get_task_data (task);
  VlWindow *self = g_task_get_source_object (task);

  if (window_is_busy (self) && g_get_monotonic_time () - data->started < SCREENSHOT_MAX_WAIT_US)
    {
      /* Look again a little later rather than repainting the whole window on every frame while a
       * page loads; the task keeps the window alive until then. */
      g_timeout_add_once (SCREENSHOT_RECHECK_MS, (GSourceOnceFunc) gtk_widget_queue_draw, self);
      return;
    }
  g_clear_signal_handler (&data->paint_handler, data->clock);
  g_idle_add_once ((GSourceOnceFunc) screenshot_finish_now, task);
}

static void
screenshot_window_realized (GtkWidget *widget, GTask *task)
{
  ScreenshotData *data = g_task_get_task_data (task);

  if (data->clock != NULL)
    return;
  g_signal_handlers_disconnect_by_func (widget, screenshot_window_realized, task);
  data->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  data->paint_handler = g_signal_connect (data->clock, "after-paint",
                                          G_CALLBACK (screenshot_after_paint), task);
  gtk_widget_queue_draw (widget);
}

void
vl_window_save_screenshot_async (VlWindow            *self,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  ScreenshotData *data;

  g_return_if_fail (VL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vl_window_save_screenshot_async);
  data = g_new0 (ScreenshotData, 1);
  data->file = g_object_ref (file);
  data->started = g_get_monotonic_time ();
  g_task_set_task_data (task, data, (GDestroyNotify) screenshot_data_free);

  /* The task's own reference is dropped in screenshot_finish_now(). */
  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    screenshot_window_realized (GTK_WIDGET (self), task);
  else
    g_signal_connect (self, "realize", G_CALLBACK (screenshot_window_realized), task);
}

char *
vl_window_save_screenshot_finish (VlWindow *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- life cycle ---------------------------------------------------------------------------- */

/* "application" is not a construct property, so this runs once it is set. */
static void
vl_window_setup (VlWindow *self, VlApplication *app)
{
  g_autofree char *page = NULL;

  self->settings = g_object_ref (vl_application_get_settings (app));
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_GET_NO_CHANGES);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_GET_NO_CHANGES);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  vl_window_install_actions (self);

  page = g_settings_get_string (self->settings, "last-page");
  vl_window_show_page (self, page);
  g_signal_connect_object (self->stack, "notify::visible-child", G_CALLBACK (visible_page_changed),
                           self, G_CONNECT_SWAPPED);
  visible_page_changed (self);
}

static gboolean
vl_window_delete_event (GtkWidget *widget, GdkEventAny *event)
{
  VlWindow *self = VL_WINDOW (widget);
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));

  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  if (!maximized)
    {
      int width, height;

      gtk_window_get_size (GTK_WINDOW (self), &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  return GTK_WIDGET_CLASS (vl_window_parent_class)->delete_event (widget, event);
}

static void
vl_window_dispose (GObject *object)
{
  VlWindow *self = VL_WINDOW (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (vl_window_parent_class)->dispose (object);
}

static void
vl_window_class_init (VlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vl_window_dispose;
  widget_class->delete_event = vl_window_delete_event;

  g_type_ensure (VL_TYPE_HOST_PAGE);
  g_type_ensure (VL_TYPE_GUESTS_PAGE);
  g_type_ensure (VL_TYPE_RESULTS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, error_title);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, error_detail);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, host_page);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, guests_page);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, results_page);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, primary_menu_button);
  gtk_widget_class_bind_template_callback (widget_class, error_close_clicked);
}

static void
vl_window_init (VlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_menu_button_quiet_tooltip (self->primary_menu_button);
}
