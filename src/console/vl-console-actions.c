/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The console's verbs in the console. action group: start, send keys, scale, fullscreen, screenshot. */
#include "config.h"

#include <glib/gi18n.h>
#include <gdk/gdkkeysyms.h>

#include "vl-console-private.h"
#include "vl-console-window.h"
#include "vl-guest-lifecycle.h"

typedef struct
{
  const char *name;
  const char *label;
  guint       keyvals[3];
} KeyCombo;

/* Combinations the user's own desktop would catch before the guest sees them. */
static const KeyCombo key_combos[] = {
  { "ctrl-alt-delete",    N_("Ctrl+Alt+Del"),       { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_Delete } },
  { "ctrl-alt-backspace", N_("Ctrl+Alt+Backspace"), { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_BackSpace } },
  { "ctrl-alt-f1",  "Ctrl+Alt+F1",  { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F1 } },
  { "ctrl-alt-f2",  "Ctrl+Alt+F2",  { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F2 } },
  { "ctrl-alt-f3",  "Ctrl+Alt+F3",  { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F3 } },
  { "ctrl-alt-f4",  "Ctrl+Alt+F4",  { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F4 } },
  { "ctrl-alt-f5",  "Ctrl+Alt+F5",  { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F5 } },
  { "ctrl-alt-f6",  "Ctrl+Alt+F6",  { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F6 } },
  { "ctrl-alt-f7",  "Ctrl+Alt+F7",  { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F7 } },
  { "ctrl-alt-f8",  "Ctrl+Alt+F8",  { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F8 } },
  { "ctrl-alt-f9",  "Ctrl+Alt+F9",  { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F9 } },
  { "ctrl-alt-f10", "Ctrl+Alt+F10", { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F10 } },
  { "ctrl-alt-f11", "Ctrl+Alt+F11", { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F11 } },
  { "ctrl-alt-f12", "Ctrl+Alt+F12", { GDK_KEY_Control_L, GDK_KEY_Alt_L, GDK_KEY_F12 } },
  { "print",        N_("Print Screen"), { GDK_KEY_Print } },
};

static const KeyCombo *
find_combo (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (key_combos); i++)
    if (g_str_equal (key_combos[i].name, name))
      return &key_combos[i];
  return NULL;
}

/* The menu label of a combination, or NULL for an unknown name. */
const char *
vl_console_key_combo_label (const char *combo)
{
  const KeyCombo *found = find_combo (combo);

  return found != NULL ? _(found->label) : NULL;
}

#define KEY_HOLD_MS 400

typedef struct
{
  VncDisplay     *display;
  const KeyCombo *combo;
  int             n_keys;
} KeyRelease;

static gboolean
release_keys (gpointer user_data)
{
  KeyRelease *release = user_data;

  if (vnc_display_is_open (release->display))
    vnc_display_send_keys_ex (release->display, release->combo->keyvals, release->n_keys,
                              VNC_DISPLAY_KEY_EVENT_RELEASE);
  g_object_unref (release->display);
  g_free (release);
  return G_SOURCE_REMOVE;
}

/* Sends one combination (press in order, release in reverse); FALSE if unknown or not connected.
 * The keys stay down a moment, like a person's: firmware keyboard handlers such as SeaBIOS's,
 * polling under software emulation, miss a Ctrl+Alt+Del released within 100 ms (seen in tests). */
gboolean
vl_console_send_key_combo (VlConsole *self, const char *combo)
{
  const KeyCombo *found = find_combo (combo);
  KeyRelease *release;
  int n = 0;

  g_return_val_if_fail (VL_IS_CONSOLE (self), FALSE);

  if (found == NULL || self->display == NULL || self->state != VL_CONSOLE_STATE_CONNECTED)
    return FALSE;
  while (n < (int) G_N_ELEMENTS (found->keyvals) && found->keyvals[n] != 0)
    n++;
  vnc_display_send_keys_ex (self->display, found->keyvals, n, VNC_DISPLAY_KEY_EVENT_PRESS);
  release = g_new0 (KeyRelease, 1);
  release->display = g_object_ref (self->display);
  release->combo = found;
  release->n_keys = n;
  g_timeout_add (KEY_HOLD_MS, release_keys, release);
  return TRUE;
}

/* ---- screenshot ----------------------------------------------------------------------------- */

GdkPixbuf *
vl_console_get_screen_pixbuf (VlConsole *self)
{
  g_return_val_if_fail (VL_IS_CONSOLE (self), NULL);

  if (self->display == NULL || self->state != VL_CONSOLE_STATE_CONNECTED)
    return NULL;
  return vnc_display_get_pixbuf (self->display);
}

static void
save_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GdkPixbuf *pixbuf = task_data;
  GFile *file = g_object_get_data (G_OBJECT (task), "vl-file");
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, &error);
  if (stream == NULL ||
      !gdk_pixbuf_save_to_stream (pixbuf, G_OUTPUT_STREAM (stream), "png", cancellable, &error, NULL) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The screenshot “%s” could not be saved: %s"), name, error->message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Saves the guest's framebuffer, at the guest's own resolution, as PNG. */
void
vl_console_save_screenshot_async (VlConsole           *self,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GdkPixbuf *pixbuf;

  g_return_if_fail (VL_IS_CONSOLE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vl_console_save_screenshot_async);
  pixbuf = vl_console_get_screen_pixbuf (self);
  if (pixbuf == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("There is no screen to save: the console is not connected."));
      return;
    }
  g_task_set_task_data (task, pixbuf, g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "vl-file", g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, save_thread);
}

gboolean
vl_console_save_screenshot_finish (VlConsole *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
screenshot_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  VlConsole *self = VL_CONSOLE (source);
  g_autoptr(GError) error = NULL;

  if (!vl_console_save_screenshot_finish (self, result, &error))
    gtk_label_set_text (self->status_label, error->message);
}

static void
screenshot_chosen (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  g_autoptr(VlConsole) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      vl_console_save_screenshot_async (self, file, self->cancellable, screenshot_saved, NULL);
    }
  g_object_unref (chooser);
}

static void
screenshot_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlConsole *self = user_data;
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H-%M-%S");
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Save Screenshot"),
                                         GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  /* Translators: the file name of a screenshot: guest name, date and time. */
  name = g_strdup_printf (_("%s %s.png"), gvir_domain_get_name (self->domain), stamp);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PNG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* Modal on the window that opened it, as every chooser of the app: a modal window there would
   * otherwise keep its input. */
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (screenshot_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- start ---------------------------------------------------------------------------------- */

static void
start_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlConsole) self = user_data;
  g_autoptr(GError) error = NULL;

  if (vl_guest_lifecycle_run_finish (GVIR_DOMAIN (source), result, &error))
    {
      /* The "started" event reconnects; this covers connections that deliver no events. */
      if (self->state == VL_CONSOLE_STATE_OFF)
        vl_console_reconnect (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->domain != GVIR_DOMAIN (source))
    return;
  {
    g_autofree char *message = g_strdup_printf (_("Guest “%s” could not start: %s"),
                                                gvir_domain_get_name (GVIR_DOMAIN (source)), error->message);
    gtk_label_set_text (self->off_label, message);
    g_free (self->shown_text);
    self->shown_text = g_steal_pointer (&message);
  }
}

void
vl_console_start_guest (VlConsole *self)
{
  if (self->domain == NULL || self->state != VL_CONSOLE_STATE_OFF)
    return;
  /* The same start as the guest list's: a pending network install runs its installer once. */
  vl_guest_lifecycle_run_async (self->domain, VL_GUEST_OP_START, self->cancellable, start_ready, g_object_ref (self));
}

/* ---- fullscreen ----------------------------------------------------------------------------- */

static void
show_fullscreen_chrome (VlConsole *self, gboolean fullscreen)
{
  self->fullscreen = fullscreen;
  gtk_widget_set_visible (self->toolbar, !fullscreen);
  gtk_widget_set_visible (self->leave_fullscreen_button, fullscreen);
}

static gboolean
toplevel_state_changed (GtkWidget *toplevel, GdkEventWindowState *event, VlConsole *self)
{
  if (event->changed_mask & GDK_WINDOW_STATE_FULLSCREEN)
    show_fullscreen_chrome (self, self->standalone &&
                                  (event->new_window_state & GDK_WINDOW_STATE_FULLSCREEN) != 0);
  return GDK_EVENT_PROPAGATE;
}

void
vl_console_track_toplevel (VlConsole *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  if (!GTK_IS_WINDOW (toplevel))
    toplevel = NULL;
  if (toplevel == self->watched_toplevel)
    return;
  if (self->watched_toplevel != NULL)
    {
      g_clear_signal_handler (&self->window_state_handler, self->watched_toplevel);
      g_clear_weak_pointer (&self->watched_toplevel);
    }
  if (toplevel != NULL)
    {
      g_set_weak_pointer (&self->watched_toplevel, toplevel);
      self->window_state_handler = g_signal_connect (toplevel, "window-state-event",
                                                     G_CALLBACK (toplevel_state_changed), self);
    }
}

static VlConsoleWindow *
open_own_window (VlConsole *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  VlConsoleWindow *window = vl_console_window_new (self->connection, self->domain);

  if (GTK_IS_APPLICATION_WINDOW (toplevel))
    gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (GTK_WINDOW (toplevel)));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
fullscreen_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlConsole *self = user_data;
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  if (self->standalone && GTK_IS_WINDOW (toplevel))
    {
      if (self->fullscreen)
        gtk_window_unfullscreen (GTK_WINDOW (toplevel));
      else
        gtk_window_fullscreen (GTK_WINDOW (toplevel));
      return;
    }
  /* Embedded in the main window, the screen gets a window of its own to fill the monitor. */
  if (self->domain != NULL)
    gtk_window_fullscreen (GTK_WINDOW (open_own_window (self)));
}

gboolean
vl_console_get_fullscreen (VlConsole *self)
{
  g_return_val_if_fail (VL_IS_CONSOLE (self), FALSE);
  return self->fullscreen;
}

void
vl_console_set_standalone (VlConsole *self, gboolean standalone)
{
  g_return_if_fail (VL_IS_CONSOLE (self));

  self->standalone = standalone;
  gtk_widget_set_visible (self->open_window_button, !standalone);
  vl_console_update_actions (self);
}

/* ---- the action group ----------------------------------------------------------------------- */

static void
start_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  vl_console_start_guest (VL_CONSOLE (user_data));
}

static void
reconnect_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  vl_console_reconnect (VL_CONSOLE (user_data));
}

static void
send_key_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  vl_console_send_key_combo (VL_CONSOLE (user_data), g_variant_get_string (param, NULL));
}

static void
scale_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  VlConsole *self = user_data;

  g_simple_action_set_state (action, value);
  if (self->display != NULL && gtk_widget_get_realized (GTK_WIDGET (self->display)))
    {
      vnc_display_set_scaling (self->display, g_variant_get_boolean (value));
      gtk_widget_queue_resize (GTK_WIDGET (self->display));
    }
}

static void
open_window_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlConsole *self = user_data;

  if (self->domain != NULL)
    open_own_window (self);
}

static const GActionEntry console_entries[] = {
  { "start", start_activated },
  { "reconnect", reconnect_activated },
  { "send-key", send_key_activated, "s" },
  { "scale", NULL, NULL, "true", scale_changed },
  { "fullscreen", fullscreen_activated },
  { "screenshot", screenshot_activated },
  { "open-window", open_window_activated },
};

static void
set_enabled (VlConsole *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

void
vl_console_update_actions (VlConsole *self)
{
  gboolean connected = self->state == VL_CONSOLE_STATE_CONNECTED;

  if (self->actions == NULL)
    return;
  set_enabled (self, "start", self->state == VL_CONSOLE_STATE_OFF);
  set_enabled (self, "reconnect", self->state == VL_CONSOLE_STATE_DISCONNECTED);
  set_enabled (self, "send-key", connected);
  /* A menu button stays clickable when its items are all disabled: grey it out itself. */
  gtk_widget_set_sensitive (self->send_key_button, connected);
  set_enabled (self, "screenshot", connected);
  set_enabled (self, "fullscreen", self->domain != NULL);
  set_enabled (self, "open-window", self->domain != NULL && !self->standalone);
}

void
vl_console_install_actions (VlConsole *self)
{
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), console_entries,
                                   G_N_ELEMENTS (console_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "console", G_ACTION_GROUP (self->actions));

  for (guint i = 0; i < G_N_ELEMENTS (key_combos); i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (!g_str_has_prefix (key_combos[i].name, "ctrl-alt-f"))
        continue;
      item = g_menu_item_new (key_combos[i].label, NULL);
      g_menu_item_set_action_and_target (item, "console.send-key", "s", key_combos[i].name);
      g_menu_append_item (self->send_key_function_menu, item);
    }
  vl_console_update_actions (self);
}
