/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The console's session (src/console/vl-console-session.c) without VNC or a window: events in,
 * actions, delays and texts out. */
#include "config.h"

#include <string.h>

#include "vl-console-session.h"

static VlConsoleStep
feed (VlConsoleSession *session, VlConsoleEventKind kind)
{
  VlConsoleEvent event = { .kind = kind };

  return vl_console_session_handle (session, &event);
}

static VlConsoleStep
power (VlConsoleSession *session, gboolean running, gboolean paused)
{
  VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_POWER, .ok = TRUE, .running = running, .paused = paused };

  return vl_console_session_handle (session, &event);
}

static VlConsoleSession *
session_for (const char *guest, gboolean xen)
{
  VlConsoleSession *session = vl_console_session_new ();
  VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_GUEST_SET, .guest_name = guest, .xen = xen };
  VlConsoleStep step = vl_console_session_handle (session, &event);

  g_assert_true (step.actions & VL_CONSOLE_DO_CHECK_POWER);
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_CONNECTING);
  return session;
}

/* A running guest: power, target, open, initialized; then a disconnect while it runs retries. */
static void
test_connect_and_reconnect (void)
{
  g_autoptr(VlConsoleSession) session = session_for ("web", FALSE);
  VlConsoleStep step;

  step = power (session, TRUE, FALSE);
  g_assert_true (step.actions & VL_CONSOLE_DO_LOOKUP_TARGET);
  g_assert_true (step.actions & VL_CONSOLE_DO_CANCEL);
  g_assert_false (step.actions & VL_CONSOLE_DO_RETRY);

  step = feed (session, VL_CONSOLE_EVENT_TARGET_FOUND);
  g_assert_cmpint (step.actions, ==, VL_CONSOLE_DO_DROP_DISPLAY | VL_CONSOLE_DO_OPEN_DISPLAY);
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_CONNECTING);

  step = feed (session, VL_CONSOLE_EVENT_INITIALIZED);
  g_assert_true (step.show_state);
  g_assert_true (step.actions & VL_CONSOLE_DO_GRAB_FOCUS);
  g_assert_false (step.actions & VL_CONSOLE_DO_START_REFRESH); /* not Xen */
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_CONNECTED);
  g_assert_cmpstr (vl_console_session_get_shown_text (session), ==, "The screen of guest “web”");

  /* The screen closes; libvirt says the guest still runs: a hiccup, retried after 250 ms. */
  step = feed (session, VL_CONSOLE_EVENT_DISCONNECTED);
  g_assert_cmpint (step.actions, ==, VL_CONSOLE_DO_DROP_DISPLAY | VL_CONSOLE_DO_CHECK_POWER);
  step = power (session, TRUE, FALSE);
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_DISCONNECTED);
  g_assert_true (step.actions & VL_CONSOLE_DO_RETRY);
  g_assert_cmpuint (step.retry_ms, ==, VL_CONSOLE_RETRY_FIRST_MS);
  g_assert_nonnull (strstr (vl_console_session_get_shown_text (session), "Reconnecting"));

  /* The retry is due: the power state is asked again, not after a disconnect this time. */
  step = feed (session, VL_CONSOLE_EVENT_RETRY_DUE);
  g_assert_cmpint (step.actions, ==, VL_CONSOLE_DO_CHECK_POWER);
  step = power (session, TRUE, FALSE);
  g_assert_true (step.actions & VL_CONSOLE_DO_LOOKUP_TARGET);
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_CONNECTING);
}

/* A screen that keeps failing is tried again after 250, 500, 1000 … ms, never more than 8 s apart;
 * a successful connection starts the back-off over. */
static void
test_back_off (void)
{
  g_autoptr(VlConsoleSession) session = session_for ("db", FALSE);
  const guint expected[] = { 250, 500, 1000, 2000, 4000, 8000, 8000, 8000 };
  VlConsoleStep step;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      VlConsoleEvent failed = { .kind = VL_CONSOLE_EVENT_TARGET_FAILED,
                                .message = "no answer",
                                .retryable = TRUE };

      step = power (session, TRUE, FALSE);
      g_assert_true (step.actions & VL_CONSOLE_DO_LOOKUP_TARGET);
      step = vl_console_session_handle (session, &failed);
      g_assert_true (step.actions & VL_CONSOLE_DO_RETRY);
      g_assert_cmpuint (step.retry_ms, ==, expected[i]);
      g_assert_cmpstr (vl_console_session_get_shown_text (session), ==, "no answer");
      g_assert_cmpstr (vl_console_session_get_reason (session), ==, "no answer");
      step = feed (session, VL_CONSOLE_EVENT_RETRY_DUE);
      g_assert_cmpint (step.actions, ==, VL_CONSOLE_DO_CHECK_POWER);
    }

  /* Opening fails too: retried, and the reason names the guest. */
  power (session, TRUE, FALSE);
  feed (session, VL_CONSOLE_EVENT_TARGET_FOUND);
  step = feed (session, VL_CONSOLE_EVENT_OPEN_FAILED);
  g_assert_true (step.actions & VL_CONSOLE_DO_DROP_DISPLAY);
  g_assert_cmpuint (step.retry_ms, ==, 8000);
  g_assert_nonnull (strstr (vl_console_session_get_reason (session), "“db”"));

  feed (session, VL_CONSOLE_EVENT_RETRY_DUE);
  power (session, TRUE, FALSE);
  feed (session, VL_CONSOLE_EVENT_TARGET_FOUND);
  feed (session, VL_CONSOLE_EVENT_INITIALIZED);
  g_assert_cmpuint (vl_console_session_get_retry_ms (session), ==, 0);
  feed (session, VL_CONSOLE_EVENT_DISCONNECTED);
  step = power (session, TRUE, FALSE);
  g_assert_cmpuint (step.retry_ms, ==, VL_CONSOLE_RETRY_FIRST_MS);

  /* libvirt itself fails to answer: said, and retried. */
  feed (session, VL_CONSOLE_EVENT_RETRY_DUE);
  {
    VlConsoleEvent gone = { .kind = VL_CONSOLE_EVENT_POWER, .ok = FALSE, .message = "connection closed" };

    step = vl_console_session_handle (session, &gone);
  }
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_DISCONNECTED);
  g_assert_cmpstr (vl_console_session_get_shown_text (session), ==, "connection closed");
  g_assert_cmpuint (step.retry_ms, ==, 500);
}

/* A guest without a VNC screen will not grow one by waiting: no retry. */
static void
test_no_screen (void)
{
  g_autoptr(VlConsoleSession) session = session_for ("plain", FALSE);
  VlConsoleEvent none = { .kind = VL_CONSOLE_EVENT_TARGET_FAILED,
                          .message = "Guest “plain” has no VNC screen." };
  VlConsoleStep step;

  power (session, TRUE, FALSE);
  step = vl_console_session_handle (session, &none);
  g_assert_false (step.actions & VL_CONSOLE_DO_RETRY);
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_DISCONNECTED);
  g_assert_cmpstr (vl_console_session_get_shown_text (session), ==, "Guest “plain” has no VNC screen.");

  /* The user asks again: cancel what is in flight and look at the power state now. */
  step = feed (session, VL_CONSOLE_EVENT_RECONNECT);
  g_assert_cmpint (step.actions, ==, VL_CONSOLE_DO_CANCEL | VL_CONSOLE_DO_CHECK_POWER);
}

/* The guest's power: off shows "is off" without retrying; started connects; stopped drops the
 * screen; paused and resumed change only the status. */
static void
test_power_state (void)
{
  g_autoptr(VlConsoleSession) session = session_for ("mail", FALSE);
  VlConsoleStep step;

  step = power (session, FALSE, FALSE);
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_OFF);
  g_assert_cmpstr (vl_console_session_get_shown_text (session), ==, "Guest “mail” is off");
  g_assert_false (step.actions & (VL_CONSOLE_DO_RETRY | VL_CONSOLE_DO_LOOKUP_TARGET));

  step = feed (session, VL_CONSOLE_EVENT_STARTED);
  g_assert_true (step.actions & VL_CONSOLE_DO_LOOKUP_TARGET);
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_CONNECTING);
  /* A second "started" while connecting does not start over. */
  step = feed (session, VL_CONSOLE_EVENT_STARTED);
  g_assert_cmpint (step.actions, ==, VL_CONSOLE_DO_NOTHING);

  feed (session, VL_CONSOLE_EVENT_TARGET_FOUND);
  feed (session, VL_CONSOLE_EVENT_INITIALIZED);
  step = feed (session, VL_CONSOLE_EVENT_SUSPENDED);
  g_assert_false (step.show_state);
  g_assert_true (vl_console_session_get_paused (session));
  feed (session, VL_CONSOLE_EVENT_RESUMED);
  g_assert_false (vl_console_session_get_paused (session));

  /* Paused on arrival: the power state says so. */
  feed (session, VL_CONSOLE_EVENT_DISCONNECTED);
  power (session, TRUE, TRUE);
  g_assert_true (vl_console_session_get_paused (session));

  step = feed (session, VL_CONSOLE_EVENT_STOPPED);
  g_assert_true (step.actions & VL_CONSOLE_DO_CANCEL);
  g_assert_true (step.actions & VL_CONSOLE_DO_DROP_DISPLAY);
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_OFF);
  g_assert_false (vl_console_session_get_paused (session));
  g_assert_cmpuint (vl_console_session_get_retry_ms (session), ==, 0);

  /* A disconnect that the power check finds is the guest going down: off, no retry. */
  feed (session, VL_CONSOLE_EVENT_STARTED);
  feed (session, VL_CONSOLE_EVENT_TARGET_FOUND);
  feed (session, VL_CONSOLE_EVENT_INITIALIZED);
  feed (session, VL_CONSOLE_EVENT_DISCONNECTED);
  step = power (session, FALSE, FALSE);
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_OFF);
  g_assert_false (step.actions & VL_CONSOLE_DO_RETRY);
}

/* Log-in: the screen asks, the user answers or refuses; a refused or failed log-in is never retried
 * behind the user's back, until the user reconnects. */
static void
test_log_in (void)
{
  g_autoptr(VlConsoleSession) session = session_for ("locked", FALSE);
  VlConsoleEvent wants = { .kind = VL_CONSOLE_EVENT_CREDENTIALS_WANTED, .need_password = TRUE };
  VlConsoleEvent wants_nothing = { .kind = VL_CONSOLE_EVENT_CREDENTIALS_WANTED };
  VlConsoleEvent refused = { .kind = VL_CONSOLE_EVENT_AUTH_FAILURE, .message = "Authentication failed" };
  VlConsoleStep step;

  power (session, TRUE, FALSE);
  feed (session, VL_CONSOLE_EVENT_TARGET_FOUND);
  step = vl_console_session_handle (session, &wants_nothing);
  g_assert_false (step.actions & VL_CONSOLE_DO_ASK_CREDENTIALS);
  step = vl_console_session_handle (session, &wants);
  g_assert_true (step.actions & VL_CONSOLE_DO_ASK_CREDENTIALS);
  g_assert_true (vl_console_session_wants_password (session));
  g_assert_false (vl_console_session_wants_username (session));

  /* A wrong password: the display closes; the view says why and stays. */
  feed (session, VL_CONSOLE_EVENT_CREDENTIALS_GIVEN);
  vl_console_session_handle (session, &refused);
  g_assert_true (vl_console_session_get_auth_failed (session));
  step = feed (session, VL_CONSOLE_EVENT_DISCONNECTED);
  g_assert_false (step.actions & (VL_CONSOLE_DO_RETRY | VL_CONSOLE_DO_CHECK_POWER));
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_DISCONNECTED);
  g_assert_cmpstr (vl_console_session_get_shown_text (session), ==,
                   "The password was not accepted: Authentication failed");

  /* The user reconnects, and cancels the dialog this time. */
  step = feed (session, VL_CONSOLE_EVENT_RECONNECT);
  g_assert_false (vl_console_session_get_auth_failed (session));
  power (session, TRUE, FALSE);
  feed (session, VL_CONSOLE_EVENT_TARGET_FOUND);
  vl_console_session_handle (session, &wants);
  step = feed (session, VL_CONSOLE_EVENT_CREDENTIALS_REFUSED);
  g_assert_cmpint (step.actions, ==, VL_CONSOLE_DO_CLOSE_DISPLAY);
  step = feed (session, VL_CONSOLE_EVENT_DISCONNECTED);
  g_assert_false (step.actions & VL_CONSOLE_DO_RETRY);
  g_assert_cmpstr (vl_console_session_get_shown_text (session), ==,
                   "The screen of guest “locked” needs a password.");

  /* An authentication gtk-vnc does not know: said, with its number. */
  feed (session, VL_CONSOLE_EVENT_RECONNECT);
  power (session, TRUE, FALSE);
  feed (session, VL_CONSOLE_EVENT_TARGET_FOUND);
  {
    VlConsoleEvent unsupported = { .kind = VL_CONSOLE_EVENT_AUTH_UNSUPPORTED, .auth_type = 19 };

    vl_console_session_handle (session, &unsupported);
  }
  feed (session, VL_CONSOLE_EVENT_DISCONNECTED);
  g_assert_nonnull (strstr (vl_console_session_get_shown_text (session), "(type 19)"));
}

/* A VNC error is kept as the reason of the next disconnect, which is retried. */
static void
test_vnc_error_reason (void)
{
  g_autoptr(VlConsoleSession) session = session_for ("xen1", TRUE);
  VlConsoleEvent error = { .kind = VL_CONSOLE_EVENT_VNC_ERROR, .message = "bad frame" };
  VlConsoleStep step;

  power (session, TRUE, FALSE);
  feed (session, VL_CONSOLE_EVENT_TARGET_FOUND);
  step = feed (session, VL_CONSOLE_EVENT_INITIALIZED);
  g_assert_true (step.actions & VL_CONSOLE_DO_START_REFRESH); /* Xen */
  vl_console_session_handle (session, &error);
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_CONNECTED);
  feed (session, VL_CONSOLE_EVENT_DISCONNECTED);
  step = power (session, TRUE, FALSE);
  g_assert_true (step.actions & VL_CONSOLE_DO_RETRY);
  g_assert_cmpstr (vl_console_session_get_shown_text (session), ==,
                   "The guest's screen reported an error: bad frame");
}

/* No guest: nothing to show, and late answers about the last guest change nothing. */
static void
test_no_guest (void)
{
  g_autoptr(VlConsoleSession) session = session_for ("old", FALSE);
  VlConsoleEvent none = { .kind = VL_CONSOLE_EVENT_GUEST_SET };
  VlConsoleStep step;

  step = vl_console_session_handle (session, &none);
  g_assert_cmpint (step.actions, ==, VL_CONSOLE_DO_CANCEL | VL_CONSOLE_DO_DROP_DISPLAY);
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_NONE);
  g_assert_cmpstr (vl_console_session_get_shown_text (session), ==, "No guest selected");
  g_assert_cmpstr (vl_console_session_get_guest_name (session), ==, "");

  step = power (session, TRUE, FALSE);
  g_assert_cmpint (step.actions, ==, VL_CONSOLE_DO_NOTHING);
  step = feed (session, VL_CONSOLE_EVENT_RETRY_DUE);
  g_assert_cmpint (step.actions, ==, VL_CONSOLE_DO_NOTHING);
  g_assert_cmpint (vl_console_session_get_state (session), ==, VL_CONSOLE_SESSION_NONE);
}

int
main (int argc, char *argv[])
{
  /* The texts compared here are the untranslated ones. */
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/console-session/connect-and-reconnect", test_connect_and_reconnect);
  g_test_add_func ("/console-session/back-off", test_back_off);
  g_test_add_func ("/console-session/no-screen", test_no_screen);
  g_test_add_func ("/console-session/power-state", test_power_state);
  g_test_add_func ("/console-session/log-in", test_log_in);
  g_test_add_func ("/console-session/vnc-error-reason", test_vnc_error_reason);
  g_test_add_func ("/console-session/no-guest", test_no_guest);
  return g_test_run ();
}
