/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A console's connection to a guest's screen as a state machine, without GTK or VNC: the widget
 * (vl-console.c) feeds it what happened (the guest's power state, the screen's target, gtk-vnc's
 * signals, the user's verbs) and carries out the actions it answers with (look the target up, open
 * a display, try again in N ms, ask for credentials). Unit-tested in tests/console/. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the console shows; the widget's VlConsoleState has the same values. */
typedef enum
{
  VL_CONSOLE_SESSION_NONE,
  VL_CONSOLE_SESSION_OFF,
  VL_CONSOLE_SESSION_CONNECTING,
  VL_CONSOLE_SESSION_CONNECTED,
  VL_CONSOLE_SESSION_DISCONNECTED,
} VlConsoleSessionState;

typedef enum
{
  VL_CONSOLE_EVENT_GUEST_SET,        /* a guest was chosen (guest_name), or none (guest_name NULL) */
  VL_CONSOLE_EVENT_POWER,            /* libvirt's answer: running/paused, or failed (message) */
  VL_CONSOLE_EVENT_TARGET_FOUND,     /* where the screen is: a new display should open it */
  VL_CONSOLE_EVENT_TARGET_FAILED,    /* no target (message); retryable FALSE: waiting will not help */
  VL_CONSOLE_EVENT_OPEN_FAILED,      /* the display could not open the target */
  VL_CONSOLE_EVENT_INITIALIZED,      /* the screen answered: it is shown */
  VL_CONSOLE_EVENT_VNC_ERROR,        /* gtk-vnc reported an error (message) */
  VL_CONSOLE_EVENT_AUTH_FAILURE,     /* the credentials were refused (message) */
  VL_CONSOLE_EVENT_AUTH_UNSUPPORTED, /* the screen wants an authentication gtk-vnc lacks (auth_type) */
  VL_CONSOLE_EVENT_CREDENTIALS_WANTED, /* the screen asks for need_username and/or need_password */
  VL_CONSOLE_EVENT_CREDENTIALS_GIVEN,  /* the user answered the log-in */
  VL_CONSOLE_EVENT_CREDENTIALS_REFUSED, /* the user cancelled the log-in */
  VL_CONSOLE_EVENT_DISCONNECTED,     /* the display closed */
  VL_CONSOLE_EVENT_STARTED,          /* libvirt: the guest started */
  VL_CONSOLE_EVENT_STOPPED,          /* libvirt: the guest stopped */
  VL_CONSOLE_EVENT_SUSPENDED,        /* libvirt: the guest was paused */
  VL_CONSOLE_EVENT_RESUMED,          /* libvirt: the guest runs again */
  VL_CONSOLE_EVENT_RECONNECT,        /* the user asked to reconnect now */
  VL_CONSOLE_EVENT_RETRY_DUE,        /* the delay of VL_CONSOLE_DO_RETRY has passed */
} VlConsoleEventKind;

typedef struct
{
  VlConsoleEventKind kind;
  const char        *guest_name;   /* GUEST_SET */
  gboolean           xen;          /* GUEST_SET: a Xen connection (its screens need refreshing) */
  gboolean           ok;           /* POWER: libvirt answered */
  gboolean           running;      /* POWER: running, blocked or paused */
  gboolean           paused;       /* POWER */
  gboolean           retryable;    /* TARGET_FAILED */
  const char        *message;      /* POWER (failed), TARGET_FAILED, VNC_ERROR, AUTH_FAILURE */
  guint              auth_type;    /* AUTH_UNSUPPORTED */
  gboolean           need_username, need_password; /* CREDENTIALS_WANTED */
} VlConsoleEvent;

/* What the widget does, in this order: cancel and drop first, then show the state, then start. */
typedef enum
{
  VL_CONSOLE_DO_NOTHING          = 0,
  VL_CONSOLE_DO_CANCEL           = 1 << 0, /* cancel libvirt calls in flight and the retry timer */
  VL_CONSOLE_DO_DROP_DISPLAY     = 1 << 1, /* close and destroy the VNC display */
  VL_CONSOLE_DO_CLOSE_DISPLAY    = 1 << 2, /* close the display's connection (DISCONNECTED follows) */
  VL_CONSOLE_DO_CHECK_POWER      = 1 << 3, /* ask libvirt for the guest's power state: POWER follows */
  VL_CONSOLE_DO_LOOKUP_TARGET    = 1 << 4, /* look the screen up: TARGET_FOUND or _FAILED follows */
  VL_CONSOLE_DO_OPEN_DISPLAY     = 1 << 5, /* a new display, opened on the target found */
  VL_CONSOLE_DO_RETRY            = 1 << 6, /* after retry_ms, feed RETRY_DUE */
  VL_CONSOLE_DO_ASK_CREDENTIALS  = 1 << 7, /* ask the user for what the screen wants */
  VL_CONSOLE_DO_START_REFRESH    = 1 << 8, /* Xen: have the screen redrawn every REFRESH_MS */
  VL_CONSOLE_DO_GRAB_FOCUS       = 1 << 9, /* give the shown screen the keyboard focus */
} VlConsoleActions;

typedef struct
{
  VlConsoleActions actions;
  guint            retry_ms;      /* VL_CONSOLE_DO_RETRY */
  gboolean         show_state;    /* the state or its text was set: the widget shows them again */
} VlConsoleStep;

/* Retries while the guest runs but its screen does not answer: quick at first, then calmer. */
#define VL_CONSOLE_RETRY_FIRST_MS 250
#define VL_CONSOLE_RETRY_MAX_MS   8000

typedef struct _VlConsoleSession VlConsoleSession;

VlConsoleSession     *vl_console_session_new            (void);
void                  vl_console_session_free           (VlConsoleSession *session);
VlConsoleStep         vl_console_session_handle         (VlConsoleSession     *session,
                                                         const VlConsoleEvent *event);
VlConsoleSessionState vl_console_session_get_state      (const VlConsoleSession *session);
const char           *vl_console_session_get_reason     (const VlConsoleSession *session);
const char           *vl_console_session_get_shown_text (const VlConsoleSession *session);
const char           *vl_console_session_get_guest_name (const VlConsoleSession *session);
gboolean              vl_console_session_get_paused     (const VlConsoleSession *session);
gboolean              vl_console_session_get_auth_failed (const VlConsoleSession *session);
guint                 vl_console_session_get_retry_ms   (const VlConsoleSession *session);
gboolean              vl_console_session_wants_username (const VlConsoleSession *session);
gboolean              vl_console_session_wants_password (const VlConsoleSession *session);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlConsoleSession, vl_console_session_free)

G_END_DECLS
