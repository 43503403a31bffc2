/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The console of one guest: its VNC screen inside Virtlab, reconnecting by itself. */
#pragma once

#include <gtk/gtk.h>
#include <libvirt-gobject/libvirt-gobject.h>
#include <vncdisplay.h>

G_BEGIN_DECLS

typedef enum {
  VL_CONSOLE_STATE_NONE,          /* no guest given */
  VL_CONSOLE_STATE_OFF,           /* the guest is not running */
  VL_CONSOLE_STATE_CONNECTING,
  VL_CONSOLE_STATE_CONNECTED,
  VL_CONSOLE_STATE_DISCONNECTED,  /* the guest runs but its screen cannot be shown; see the reason */
} VlConsoleState;

#define VL_TYPE_CONSOLE_STATE (vl_console_state_get_type ())
GType vl_console_state_get_type (void);

#define VL_TYPE_CONSOLE (vl_console_get_type ())
G_DECLARE_FINAL_TYPE (VlConsole, vl_console, VL, CONSOLE, GtkBox)

VlConsole      *vl_console_new                   (void);
void            vl_console_set_domain            (VlConsole           *self,
                                                  GVirConnection      *connection,
                                                  GVirDomain          *domain);
GVirDomain     *vl_console_get_domain            (VlConsole           *self);
GVirConnection *vl_console_get_connection        (VlConsole           *self);
VlConsoleState  vl_console_get_state             (VlConsole           *self);
const char     *vl_console_get_reason            (VlConsole           *self);
const char     *vl_console_get_shown_text        (VlConsole           *self);
const char     *vl_console_get_route             (VlConsole           *self);
VncDisplay     *vl_console_get_display           (VlConsole           *self);
void            vl_console_set_standalone        (VlConsole           *self,
                                                  gboolean             standalone);
gboolean        vl_console_get_fullscreen        (VlConsole           *self);
gboolean        vl_console_get_keyboard_grabbed  (VlConsole           *self);

gboolean        vl_console_send_key_combo        (VlConsole           *self,
                                                  const char          *combo);
const char     *vl_console_key_combo_label       (const char          *combo);

GdkPixbuf      *vl_console_get_screen_pixbuf     (VlConsole           *self);
void            vl_console_save_screenshot_async (VlConsole           *self,
                                                  GFile               *file,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        vl_console_save_screenshot_finish (VlConsole          *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);

G_END_DECLS
