/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlConsole's insides, shared by vl-console.c (connection) and vl-console-actions.c (user verbs). */
#pragma once

#include "vl-console.h"
#include "vl-console-session.h"

struct _VlConsole
{
  GtkBox          parent_instance;

  GVirConnection *connection;
  GVirDomain     *domain;
  gulong          started_handler;
  gulong          stopped_handler;
  gulong          suspended_handler, resumed_handler;
  GCancellable   *cancellable;       /* lookups and libvirt calls of the current guest */
  VncDisplay     *display;           /* a fresh one per connection attempt */
  VlConsoleSession *session;        /* retry, power state, log-in: what the widget shows and does */
  VlConsoleState  state;             /* the session's state as last shown */
  char           *shown_text;
  char           *via;               /* how the connection was made */
  gpointer        pending_target;    /* VlConsoleTarget waiting for the display to be realized */
  guint           retry_source;
  guint           refresh_source;   /* Xen: has QEMU redraw the screen every second */
  gboolean        standalone;        /* inside its own VlConsoleWindow */
  gboolean        fullscreen;
  gboolean        disposing;         /* template children may be gone: touch no widget */
  gboolean        keyboard_grabbed;
  gboolean        pointer_grabbed;
  /* Ctrl+Alt, watched here rather than by gtk-vnc (whose grab keys also grab): both down primes,
   * the first release then lets go of mouse and keyboard. */
  gboolean        ctrl_down, alt_down, release_primed;
  gboolean        grab_let_go;   /* released by Ctrl+Alt: the keyboard is grabbed again on re-entry */
  gboolean        left_after_let_go;
  GtkWidget      *password_dialog;
  GSimpleActionGroup *actions;
  gulong          window_state_handler;
  GtkWidget      *watched_toplevel;

  /* template children */
  GtkWidget      *toolbar;
  GtkLabel       *status_label;
  GtkLabel       *grab_label;
  GtkLabel       *off_label;
  GtkLabel       *reason_label;
  GtkStack       *stack;
  GtkScrolledWindow *scroller;
  GtkSpinner     *spinner;
  GtkWidget      *leave_fullscreen_button;
  GtkWidget      *open_window_button;
  GtkWidget      *send_key_button;
  GMenu          *send_key_function_menu;
};

/* vl-console.c */
const char *vl_console_guest_name (VlConsole *self);

void        vl_console_credentials_answered (VlConsole *self,
                                             gboolean   given);

/* vl-console-password.c */
void vl_console_ask_credentials (VlConsole *self,
                                 gboolean   need_username,
                                 gboolean   need_password);

/* vl-console-actions.c */
void vl_console_install_actions (VlConsole *self);
void vl_console_update_actions  (VlConsole *self);
void vl_console_track_toplevel  (VlConsole *self);
void vl_console_start_guest     (VlConsole *self);
void vl_console_reconnect       (VlConsole *self);
