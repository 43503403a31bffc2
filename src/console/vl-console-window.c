/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A guest's console in a window of its own (also the way to fullscreen). */
#include "config.h"

#include <glib/gi18n.h>
#include <gdk/gdkkeysyms.h>

#include "vl-console-window.h"

struct _VlConsoleWindow
{
  GtkApplicationWindow parent_instance;

  GtkHeaderBar *header_bar;
  VlConsole    *console;
};

G_DEFINE_FINAL_TYPE (VlConsoleWindow, vl_console_window, GTK_TYPE_APPLICATION_WINDOW)

VlConsoleWindow *
vl_console_window_new (GVirConnection *connection, GVirDomain *domain)
{
  VlConsoleWindow *self = g_object_new (VL_TYPE_CONSOLE_WINDOW, NULL);
  g_autofree char *title = g_strdup_printf (_("%s — Console"), gvir_domain_get_name (domain));

  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_header_bar_set_title (self->header_bar, title);
  vl_console_set_domain (self->console, connection, domain);
  return self;
}

VlConsole *
vl_console_window_get_console (VlConsoleWindow *self)
{
  g_return_val_if_fail (VL_IS_CONSOLE_WINDOW (self), NULL);
  return self->console;
}

/* F11 reaches the window before the guest, even while the keyboard is grabbed: the way out of
 * fullscreen that always works. */
static gboolean
key_pressed (GtkWidget *widget, GdkEventKey *event, VlConsoleWindow *self)
{
  if (event->keyval == GDK_KEY_F11 && (event->state & gtk_accelerator_get_default_mod_mask ()) == 0)
    {
      GActionGroup *actions = gtk_widget_get_action_group (GTK_WIDGET (self->console), "console");
      g_action_group_activate_action (actions, "fullscreen", NULL);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static gboolean
window_state_changed (GtkWidget *widget, GdkEventWindowState *event, VlConsoleWindow *self)
{
  if (event->changed_mask & GDK_WINDOW_STATE_FULLSCREEN)
    gtk_widget_set_visible (GTK_WIDGET (self->header_bar),
                            (event->new_window_state & GDK_WINDOW_STATE_FULLSCREEN) == 0);
  return GDK_EVENT_PROPAGATE;
}

static void
vl_console_window_class_init (VlConsoleWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (VL_TYPE_CONSOLE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-console-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VlConsoleWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, VlConsoleWindow, console);
}

static void
vl_console_window_init (VlConsoleWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_console_set_standalone (self->console, TRUE);
  g_signal_connect (self, "key-press-event", G_CALLBACK (key_pressed), self);
  g_signal_connect (self, "window-state-event", G_CALLBACK (window_state_changed), self);
}
