/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window, the hall: a header bar with the page switcher and the pages Host, Guests, Results. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

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
  /* The pages sit in slots of the stack and are built when first shown or asked for (ensure_page):
   * start-up pays only for the page it shows, and a room never visited costs nothing. */
  GtkBox *host_slot, *guests_slot, *results_slot;
  VlHostPage    *host_page;
  VlGuestsPage  *guests_page;
  VlResultsPage *results_page;
  gulong paint_handler; /* the first frame: then the window's icon */
  GdkFrameClock *paint_clock;
  GtkMenuButton *primary_menu_button;
};

G_DEFINE_FINAL_TYPE (VlWindow, vl_window, GTK_TYPE_APPLICATION_WINDOW)

static void vl_window_setup (VlWindow *self, VlApplication *app);

/* ---- the pages, built when first needed ----------------------------------------------------- */

typedef struct
{
  const char *name;
  GType (*get_type) (void);
  const char *accessible_name;
  gsize slot_offset;
  gsize page_offset;
} PageInfo;

static const PageInfo pages[] = {
  { "host", vl_host_page_get_type, N_("Host page"), G_STRUCT_OFFSET (VlWindow, host_slot),
    G_STRUCT_OFFSET (VlWindow, host_page) },
  { "guests", vl_guests_page_get_type, N_("Guests page"), G_STRUCT_OFFSET (VlWindow, guests_slot),
    G_STRUCT_OFFSET (VlWindow, guests_page) },
  { "results", vl_results_page_get_type, N_("Results page"), G_STRUCT_OFFSET (VlWindow, results_slot),
    G_STRUCT_OFFSET (VlWindow, results_page) },
};

static GtkWidget *
ensure_page (VlWindow *self, const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget **page = G_STRUCT_MEMBER_P (self, pages[i].page_offset);
      GtkBox *slot = G_STRUCT_MEMBER (GtkBox *, self, pages[i].slot_offset);

      if (g_strcmp0 (name, pages[i].name) != 0)
        continue;
      if (*page == NULL)
        {
          *page = g_object_new (pages[i].get_type (), "visible", TRUE, NULL);
          atk_object_set_name (gtk_widget_get_accessible (*page), _(pages[i].accessible_name));
          gtk_box_pack_start (slot, *page, TRUE, TRUE, 0);
        }
      return *page;
    }
  return NULL;
}

static void
ensure_visible_page (VlWindow *self)
{
  ensure_page (self, gtk_stack_get_visible_child_name (self->stack));
}

static void
first_frame_drawn (GdkFrameClock *clock, VlWindow *self)
{
  g_clear_signal_handler (&self->paint_handler, self->paint_clock);
  g_clear_object (&self->paint_clock);
  /* The icon is for the window manager and the task switcher, not drawn in the window: rendering
   * its SVG at every size X asks for waits until the first frame is on the screen. */
  gtk_window_set_icon_name (GTK_WINDOW (self), APP_ID);
}

/* The visible page is built before the window shows; the others when they are first shown. */
static void
vl_window_map (GtkWidget *widget)
{
  VlWindow *self = VL_WINDOW (widget);

  ensure_visible_page (self);
  GTK_WIDGET_CLASS (vl_window_parent_class)->map (widget);
}

static void
vl_window_realize (GtkWidget *widget)
{
  VlWindow *self = VL_WINDOW (widget);

  GTK_WIDGET_CLASS (vl_window_parent_class)->realize (widget);
  if (self->paint_clock == NULL && gtk_window_get_icon_name (GTK_WINDOW (self)) == NULL &&
      gtk_widget_get_frame_clock (widget) != NULL)
    {
      self->paint_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
      self->paint_handler = g_signal_connect (self->paint_clock, "after-paint",
                                              G_CALLBACK (first_frame_drawn), self);
    }
}

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
  g_autofree char *page_name = NULL;
  const char *part;

  g_return_if_fail (VL_IS_WINDOW (self));

  page_name = g_strndup (name, strcspn (name, "/"));
  part = name[strlen (page_name)] == '/' ? name + strlen (page_name) + 1 : NULL;

  /* "PAGE/PART": the page, scrolled to one of its parts, which the page's own action group (named
   * like the page) shows with its "show-part" action (the Host page's "bench-image"). */
  if (gtk_stack_get_child_by_name (self->stack, page_name) != NULL)
    {
      GtkWidget *page = ensure_page (self, page_name);
      GActionGroup *group = gtk_widget_get_action_group (page, page_name);

      gtk_stack_set_visible_child_name (self->stack, page_name);
      if (part != NULL && group != NULL && g_action_group_has_action (group, "show-part"))
        g_action_group_activate_action (group, "show-part", g_variant_new_string (part));
    }
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

  vl_guests_page_open_connections (VL_GUESTS_PAGE (ensure_page (self, "guests")), uris);
}

void
vl_window_open_result_files (VlWindow *self, GFile **files, guint n_files)
{
  g_return_if_fail (VL_IS_WINDOW (self));

  vl_results_page_open_files (VL_RESULTS_PAGE (ensure_page (self, "results")), files, n_files);
}

void
vl_window_open_study (VlWindow *self)
{
  g_return_if_fail (VL_IS_WINDOW (self));

  vl_results_page_open_study (VL_RESULTS_PAGE (ensure_page (self, "results")));
  vl_window_show_page (self, "results");
}

static void
bench_result_saved (VlBenchAssistant *assistant, const char *path, VlWindow *self)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  vl_results_page_open_file_alone (VL_RESULTS_PAGE (ensure_page (self, "results")), file);
  vl_window_show_page (self, "results");
}

/* Run Benchmarks…, from the Results page and the Guests page: the result opens on the Results page. */
void
vl_window_run_benchmarks (VlWindow *self)
{
  VlBenchAssistant *assistant;
  VlGuestsPage *guests;

  g_return_if_fail (VL_IS_WINDOW (self));

  /* The connections are the Guests page's: built here if it was never shown (pages are built lazily). */
  guests = VL_GUESTS_PAGE (ensure_page (self, "guests"));
  assistant = vl_bench_assistant_new (GTK_WINDOW (self), vl_guests_page_get_connection_model (guests));
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
  /* Chosen in the page switcher: a page not built yet is built now. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ensure_page (self, name);
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
  GtkWidget *shown[] = { GTK_WIDGET (self->host_page), GTK_WIDGET (self->guests_page),
                         GTK_WIDGET (self->results_page) };

  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      if (shown[i] != NULL && VL_IS_BUSY (shown[i]) && vl_busy_get (VL_BUSY (shown[i])))
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

  /* Built when the window maps, unless the command line asks for another page before. */
  page = g_settings_get_string (self->settings, "last-page");
  if (gtk_stack_get_child_by_name (self->stack, page) != NULL)
    gtk_stack_set_visible_child_name (self->stack, page);
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

  if (self->paint_clock != NULL)
    g_clear_signal_handler (&self->paint_handler, self->paint_clock);
  g_clear_object (&self->paint_clock);
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
  widget_class->map = vl_window_map;
  widget_class->realize = vl_window_realize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, error_title);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, error_detail);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, host_slot);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, guests_slot);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, results_slot);
  gtk_widget_class_bind_template_child (widget_class, VlWindow, primary_menu_button);
  gtk_widget_class_bind_template_callback (widget_class, error_close_clicked);
}

static void
vl_window_init (VlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_menu_button_quiet_tooltip (self->primary_menu_button);
}
