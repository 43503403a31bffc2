/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A console's connection logic, GTK-free: retry with back-off, the guest's power state, log-in. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-console-session.h"

struct _VlConsoleSession
{
  VlConsoleSessionState state;
  char *guest_name; /* NULL: no guest */
  gboolean xen;
  char *reason;     /* why the screen is not shown, for the user */
  char *shown_text; /* the main message of the view */
  gboolean paused;
  gboolean auth_failed;            /* a refused log-in: do not retry behind the user's back */
  gboolean check_after_disconnect; /* the power check asked for follows a disconnect */
  guint retry_ms;                  /* the last delay asked for; 0: the next is the first */
  gboolean want_username, want_password;
};

VlConsoleSession *
vl_console_session_new (void)
{
  VlConsoleSession *session = g_new0 (VlConsoleSession, 1);

  session->shown_text = g_strdup (_("No guest selected"));
  return session;
}

void
vl_console_session_free (VlConsoleSession *session)
{
  if (session == NULL)
    return;
  g_free (session->guest_name);
  g_free (session->reason);
  g_free (session->shown_text);
  g_free (session);
}

static void
set_reason (VlConsoleSession *session, char *reason)
{
  g_free (session->reason);
  session->reason = reason;
}

/* As the widget always did: a new state forgets the reason, except a disconnect without one. */
static void
set_state (VlConsoleSession *session, VlConsoleStep *step, VlConsoleSessionState state, const char *reason)
{
  char *shown;

  if (reason != NULL || state != VL_CONSOLE_SESSION_DISCONNECTED)
    set_reason (session, g_strdup (reason));
  switch (state)
    {
    case VL_CONSOLE_SESSION_NONE:
      shown = g_strdup (_("No guest selected"));
      break;
    case VL_CONSOLE_SESSION_OFF:
      shown = g_strdup_printf (_("Guest “%s” is off"), session->guest_name);
      break;
    case VL_CONSOLE_SESSION_CONNECTING:
      shown = g_strdup (_("Connecting to the guest's screen…"));
      break;
    case VL_CONSOLE_SESSION_CONNECTED:
      shown = g_strdup_printf (_("The screen of guest “%s”"), session->guest_name);
      break;
    case VL_CONSOLE_SESSION_DISCONNECTED:
    default:
      shown = g_strdup (session->reason != NULL ? session->reason
                                                : _("The connection to the guest's screen was closed."));
      break;
    }
  g_free (session->shown_text);
  session->shown_text = shown;
  session->state = state;
  step->show_state = TRUE;
}

static void
retry (VlConsoleSession *session, VlConsoleStep *step)
{
  session->retry_ms = session->retry_ms == 0 ? VL_CONSOLE_RETRY_FIRST_MS
                                             : MIN (session->retry_ms * 2, VL_CONSOLE_RETRY_MAX_MS);
  step->actions |= VL_CONSOLE_DO_RETRY;
  step->retry_ms = session->retry_ms;
}

static void
check_power (VlConsoleSession *session, VlConsoleStep *step, gboolean after_disconnect)
{
  session->check_after_disconnect = after_disconnect;
  step->actions |= VL_CONSOLE_DO_CHECK_POWER;
}

static void
connect_now (VlConsoleSession *session, VlConsoleStep *step)
{
  step->actions |= VL_CONSOLE_DO_CANCEL | VL_CONSOLE_DO_DROP_DISPLAY | VL_CONSOLE_DO_LOOKUP_TARGET;
  set_state (session, step, VL_CONSOLE_SESSION_CONNECTING, NULL);
}

static void
power_known (VlConsoleSession *session, VlConsoleStep *step, const VlConsoleEvent *event)
{
  if (!event->ok)
    {
      /* libvirt itself is gone (connection closed): say so, and try again later. */
      set_state (session, step, VL_CONSOLE_SESSION_DISCONNECTED,
                 event->message != NULL ? event->message : _("The guest's state could not be read."));
      retry (session, step);
      return;
    }
  session->paused = event->paused;
  if (!event->running)
    {
      session->retry_ms = 0;
      set_state (session, step, VL_CONSOLE_SESSION_OFF, NULL);
    }
  else if (session->check_after_disconnect)
    {
      g_autofree char *reason = g_steal_pointer (&session->reason);

      /* Closed while the guest keeps running: a hiccup, so try again. */
      set_state (session, step, VL_CONSOLE_SESSION_DISCONNECTED,
                 reason != NULL ? reason
                                : _("The connection to the guest's screen was closed. Reconnecting…"));
      retry (session, step);
    }
  else
    connect_now (session, step);
}

VlConsoleStep
vl_console_session_handle (VlConsoleSession *session, const VlConsoleEvent *event)
{
  VlConsoleStep step = { VL_CONSOLE_DO_NOTHING, 0, FALSE };

  g_return_val_if_fail (session != NULL && event != NULL, step);

  /* Without a guest only choosing one means anything; late answers about the last are dropped. */
  if (session->guest_name == NULL && event->kind != VL_CONSOLE_EVENT_GUEST_SET)
    return step;

  switch (event->kind)
    {
    case VL_CONSOLE_EVENT_GUEST_SET:
      step.actions |= VL_CONSOLE_DO_CANCEL | VL_CONSOLE_DO_DROP_DISPLAY;
      g_free (session->guest_name);
      session->guest_name = g_strdup (event->guest_name);
      session->xen = event->xen;
      session->paused = FALSE;
      session->retry_ms = 0;
      session->auth_failed = FALSE;
      session->want_username = session->want_password = FALSE;
      if (event->guest_name == NULL)
        {
          set_state (session, &step, VL_CONSOLE_SESSION_NONE, NULL);
          break;
        }
      set_state (session, &step, VL_CONSOLE_SESSION_CONNECTING, NULL);
      check_power (session, &step, FALSE);
      break;

    case VL_CONSOLE_EVENT_POWER:
      power_known (session, &step, event);
      break;

    case VL_CONSOLE_EVENT_TARGET_FAILED:
      set_state (session, &step, VL_CONSOLE_SESSION_DISCONNECTED,
                 event->message != NULL ? event->message : _("The guest's screen could not be found."));
      /* A guest without a VNC screen will not grow one by waiting. */
      if (event->retryable)
        retry (session, &step);
      break;

    case VL_CONSOLE_EVENT_TARGET_FOUND:
      /* Still connecting: the display shows (black) until the screen answers. */
      step.actions |= VL_CONSOLE_DO_DROP_DISPLAY | VL_CONSOLE_DO_OPEN_DISPLAY;
      session->auth_failed = FALSE;
      set_reason (session, NULL);
      break;

    case VL_CONSOLE_EVENT_OPEN_FAILED:
      {
        g_autofree char *reason = g_strdup_printf (_("The screen of guest “%s” could not be opened."),
                                                   session->guest_name);

        step.actions |= VL_CONSOLE_DO_DROP_DISPLAY;
        set_state (session, &step, VL_CONSOLE_SESSION_DISCONNECTED, reason);
        retry (session, &step);
      }
      break;

    case VL_CONSOLE_EVENT_INITIALIZED:
      session->retry_ms = 0;
      session->auth_failed = FALSE;
      set_state (session, &step, VL_CONSOLE_SESSION_CONNECTED, NULL);
      step.actions |= VL_CONSOLE_DO_GRAB_FOCUS;
      if (session->xen)
        step.actions |= VL_CONSOLE_DO_START_REFRESH;
      break;

    case VL_CONSOLE_EVENT_VNC_ERROR:
      set_reason (session, g_strdup_printf (_("The guest's screen reported an error: %s"), event->message));
      break;

    case VL_CONSOLE_EVENT_AUTH_FAILURE:
      session->auth_failed = TRUE;
      set_reason (session, g_strdup_printf (_("The password was not accepted: %s"), event->message));
      break;

    case VL_CONSOLE_EVENT_AUTH_UNSUPPORTED:
      session->auth_failed = TRUE;
      set_reason (session, g_strdup_printf (_("The guest's screen asks for an authentication Virtlab does "
                                               "not know (type %u)."),
                                            event->auth_type));
      break;

    case VL_CONSOLE_EVENT_CREDENTIALS_WANTED:
      session->want_username = event->need_username;
      session->want_password = event->need_password;
      if (event->need_username || event->need_password)
        step.actions |= VL_CONSOLE_DO_ASK_CREDENTIALS;
      break;

    case VL_CONSOLE_EVENT_CREDENTIALS_GIVEN:
      session->want_username = session->want_password = FALSE;
      break;

    case VL_CONSOLE_EVENT_CREDENTIALS_REFUSED:
      session->want_username = session->want_password = FALSE;
      session->auth_failed = TRUE;
      set_reason (session,
                  g_strdup_printf (_("The screen of guest “%s” needs a password."), session->guest_name));
      step.actions |= VL_CONSOLE_DO_CLOSE_DISPLAY;
      break;

    case VL_CONSOLE_EVENT_DISCONNECTED:
      step.actions |= VL_CONSOLE_DO_DROP_DISPLAY;
      session->want_username = session->want_password = FALSE;
      if (session->auth_failed)
        {
          g_autofree char *reason = g_steal_pointer (&session->reason);

          set_state (session, &step, VL_CONSOLE_SESSION_DISCONNECTED, reason);
          break;
        }
      /* Closed because the guest went down, or a hiccup while it keeps running? libvirt knows. */
      check_power (session, &step, TRUE);
      break;

    case VL_CONSOLE_EVENT_STARTED:
      session->retry_ms = 0;
      session->auth_failed = FALSE;
      if (session->state != VL_CONSOLE_SESSION_CONNECTED && session->state != VL_CONSOLE_SESSION_CONNECTING)
        connect_now (session, &step);
      break;

    case VL_CONSOLE_EVENT_STOPPED:
      session->paused = FALSE;
      session->retry_ms = 0;
      step.actions |= VL_CONSOLE_DO_CANCEL | VL_CONSOLE_DO_DROP_DISPLAY;
      set_state (session, &step, VL_CONSOLE_SESSION_OFF, NULL);
      break;

    case VL_CONSOLE_EVENT_SUSPENDED:
      session->paused = TRUE;
      break;

    case VL_CONSOLE_EVENT_RESUMED:
      session->paused = FALSE;
      break;

    case VL_CONSOLE_EVENT_RECONNECT:
      /* The user asked for it: forget the back-off and any refused log-in, and try now. */
      session->retry_ms = 0;
      session->auth_failed = FALSE;
      step.actions |= VL_CONSOLE_DO_CANCEL;
      check_power (session, &step, FALSE);
      break;

    case VL_CONSOLE_EVENT_RETRY_DUE:
      check_power (session, &step, FALSE);
      break;

    default:
      g_return_val_if_reached (step);
    }
  return step;
}

VlConsoleSessionState
vl_console_session_get_state (const VlConsoleSession *session)
{
  return session->state;
}

const char *
vl_console_session_get_reason (const VlConsoleSession *session)
{
  return session->reason;
}

const char *
vl_console_session_get_shown_text (const VlConsoleSession *session)
{
  return session->shown_text;
}

const char *
vl_console_session_get_guest_name (const VlConsoleSession *session)
{
  return session->guest_name != NULL ? session->guest_name : "";
}

gboolean
vl_console_session_get_paused (const VlConsoleSession *session)
{
  return session->paused;
}

gboolean
vl_console_session_get_auth_failed (const VlConsoleSession *session)
{
  return session->auth_failed;
}

guint
vl_console_session_get_retry_ms (const VlConsoleSession *session)
{
  return session->retry_ms;
}

gboolean
vl_console_session_wants_username (const VlConsoleSession *session)
{
  return session->want_username;
}

gboolean
vl_console_session_wants_password (const VlConsoleSession *session)
{
  return session->want_password;
}
