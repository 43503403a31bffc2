/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The console of one guest: its VNC screen inside Virtlab, reconnecting by itself. */
#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixsocketaddress.h>

#include "vl-busy.h"
#include "vl-console-private.h"
#include "vl-widgets.h"
#include "vl-console-session.h"
#include "vl-console-target.h"
#include "vl-error.h"
#include "vl-gvir-autoptr.h"

/* How often a Xen guest's screen is redrawn by its VNC server (see refresh_screen). */
#define REFRESH_MS     1000

G_DEFINE_ENUM_TYPE (VlConsoleState, vl_console_state,
  G_DEFINE_ENUM_VALUE (VL_CONSOLE_STATE_NONE, "none"),
  G_DEFINE_ENUM_VALUE (VL_CONSOLE_STATE_OFF, "off"),
  G_DEFINE_ENUM_VALUE (VL_CONSOLE_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (VL_CONSOLE_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (VL_CONSOLE_STATE_DISCONNECTED, "disconnected"))

G_DEFINE_FINAL_TYPE_WITH_CODE (VlConsole, vl_console, GTK_TYPE_BOX,
                               G_IMPLEMENT_INTERFACE (VL_TYPE_BUSY, NULL))

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS,
  PROP_BUSY = N_PROPS, /* VlBusy's */
};

static GParamSpec *properties[N_PROPS];

static void feed (VlConsole *self, const VlConsoleEvent *event);
static void display_credentials (VncDisplay *display, GValueArray *credentials, VlConsole *self);

VlConsole *
vl_console_new (void)
{
  return g_object_new (VL_TYPE_CONSOLE, NULL);
}

const char *
vl_console_guest_name (VlConsole *self)
{
  return vl_console_session_get_guest_name (self->session);
}

static gboolean
is_paused (VlConsole *self)
{
  return vl_console_session_get_paused (self->session);
}

/* ---- what the user sees --------------------------------------------------------------------- */

static void
update_status (VlConsole *self)
{
  g_autofree char *text = NULL;

  switch (self->state)
    {
    case VL_CONSOLE_STATE_CONNECTED:
      if (self->display != NULL && vnc_display_get_width (self->display) > 0)
        text = is_paused (self)
                 ? g_strdup_printf (_("Paused · %d × %d"), vnc_display_get_width (self->display),
                                    vnc_display_get_height (self->display))
                 : g_strdup_printf (_("Running · %d × %d"), vnc_display_get_width (self->display),
                                    vnc_display_get_height (self->display));
      else
        text = g_strdup (is_paused (self) ? _("Paused") : _("Running"));
      break;
    case VL_CONSOLE_STATE_OFF:
      text = g_strdup (_("Off"));
      break;
    case VL_CONSOLE_STATE_CONNECTING:
      text = g_strdup (_("Connecting…"));
      break;
    case VL_CONSOLE_STATE_DISCONNECTED:
      text = g_strdup (_("Disconnected"));
      break;
    case VL_CONSOLE_STATE_NONE:
    default:
      text = g_strdup ("");
      break;
    }
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label),
                               self->state == VL_CONSOLE_STATE_CONNECTED ? self->via : NULL);
}

static void
update_grab_hint (VlConsole *self)
{
  gboolean grabbed = self->keyboard_grabbed || self->pointer_grabbed;

  if (self->pointer_grabbed)
    gtk_label_set_text (self->grab_label, _("Mouse and keyboard grabbed: press Ctrl+Alt to release them"));
  else
    gtk_label_set_text (self->grab_label, _("Keyboard grabbed: press Ctrl+Alt to release it"));
  gtk_widget_set_visible (GTK_WIDGET (self->grab_label),
                          grabbed && self->state == VL_CONSOLE_STATE_CONNECTED);
}

/* Shows the session's state and its text. */
static void
show_state (VlConsole *self)
{
  VlConsoleState state = (VlConsoleState) vl_console_session_get_state (self->session);
  const char *shown = vl_console_session_get_shown_text (self->session);

  switch (state)
    {
    case VL_CONSOLE_STATE_NONE:
      gtk_stack_set_visible_child_name (self->stack, "none");
      break;
    case VL_CONSOLE_STATE_OFF:
      gtk_label_set_text (self->off_label, shown);
      gtk_stack_set_visible_child_name (self->stack, "off");
      break;
    case VL_CONSOLE_STATE_CONNECTING:
      gtk_stack_set_visible_child_name (self->stack, self->display != NULL ? "display" : "connecting");
      break;
    case VL_CONSOLE_STATE_CONNECTED:
      gtk_stack_set_visible_child_name (self->stack, "display");
      break;
    case VL_CONSOLE_STATE_DISCONNECTED:
    default:
      gtk_label_set_text (self->reason_label, shown);
      gtk_stack_set_visible_child_name (self->stack, "disconnected");
      break;
    }
  g_free (self->shown_text);
  self->shown_text = g_strdup (shown);

  if (state == VL_CONSOLE_STATE_CONNECTING)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);

  if (self->state == state)
    {
      update_status (self);
      return;
    }
  self->state = state;
  update_status (self);
  update_grab_hint (self);
  vl_console_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  vl_busy_set (VL_BUSY (self), "connecting", state == VL_CONSOLE_STATE_CONNECTING);
}

/* ---- the VNC display ------------------------------------------------------------------------ */

static void
drop_display (VlConsole *self)
{
  VncDisplay *display = g_steal_pointer (&self->display);

  if (self->password_dialog != NULL)
    gtk_widget_destroy (g_steal_pointer (&self->password_dialog));
  g_clear_pointer (&self->pending_target, vl_console_target_free);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  /* No widget updates here: dispose calls this after the template children are gone. */
  self->keyboard_grabbed = self->pointer_grabbed = FALSE;
  self->ctrl_down = self->alt_down = self->release_primed = self->grab_let_go = self->left_after_let_go = FALSE;
  if (display == NULL)
    return;
  /* Its late signals (disconnected after close) must not touch the next connection. */
  g_signal_handlers_disconnect_by_data (display, self);
  /* gtk-vnc draws every framebuffer update into the display's window; updates still in flight
   * after close would reach a destroyed widget. Nobody will look at them: block them. */
  g_signal_handlers_block_matched (vnc_display_get_connection (display), G_SIGNAL_MATCH_DATA,
                                   0, 0, NULL, NULL, display);
  vnc_display_close (display);
  /* The scrolled window wrapped the display in a viewport: the next display needs it empty. */
  if (!self->disposing && gtk_bin_get_child (GTK_BIN (self->scroller)) != NULL)
    gtk_widget_destroy (gtk_bin_get_child (GTK_BIN (self->scroller)));
  gtk_widget_destroy (GTK_WIDGET (display));
  g_object_unref (display);
}

static void
cancel_pending (VlConsole *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->retry_source, g_source_remove);
}

static gboolean
retry_cb (gpointer user_data)
{
  VlConsole *self = user_data;
  VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_RETRY_DUE };

  self->retry_source = 0;
  feed (self, &event);
  return G_SOURCE_REMOVE;
}

/* Seen with Xen HVM and PV guests (QEMU's VNC server in dom0, under emulation): a connection opened
 * while the guest boots stops showing most changes a few seconds later (the cursor still blinks),
 * while a new connection shows the current screen, and typed keys look lost. Asking for the whole
 * screen does not help: QEMU's own copy is stale, its display device missed the changes. A
 * SetPixelFormat makes QEMU redraw the guest's display (graphic_hw_invalidate) and send what truly
 * changed, so the same format is sent again every second; on a quiet screen nothing more is sent. */
static gboolean
refresh_screen (gpointer user_data)
{
  VlConsole *self = user_data;
  VncConnection *connection;

  if (self->display == NULL || !vnc_display_is_open (self->display))
    return G_SOURCE_CONTINUE;
  connection = vnc_display_get_connection (self->display);
  if (vnc_connection_get_pixel_format (connection) != NULL)
    vnc_connection_set_pixel_format (connection, vnc_connection_get_pixel_format (connection));
  return G_SOURCE_CONTINUE;
}

static gboolean
is_xen_connection (GVirConnection *connection)
{
  const char *uri = connection != NULL ? gvir_connection_get_uri (connection) : NULL;

  return uri != NULL && (g_str_has_prefix (uri, "xen") || g_str_has_prefix (uri, "libxl"));
}

static void
display_initialized (VncDisplay *display, VlConsole *self)
{
  VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_INITIALIZED };

  feed (self, &event);
}

static void
display_resized (VncDisplay *display, int width, int height, VlConsole *self)
{
  /* Scaled, the display fills the view; 1:1, its size request changes and the scroll bars follow. */
  gtk_widget_queue_resize (GTK_WIDGET (display));
  update_status (self);
}

static void
display_error (VncDisplay *display, const char *message, VlConsole *self)
{
  VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_VNC_ERROR, .message = message };

  feed (self, &event);
}

static void
display_auth_failure (VncDisplay *display, const char *message, VlConsole *self)
{
  VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_AUTH_FAILURE, .message = message };

  feed (self, &event);
}

static void
display_auth_unsupported (VncDisplay *display, guint auth_type, VlConsole *self)
{
  VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_AUTH_UNSUPPORTED, .auth_type = auth_type };

  feed (self, &event);
}

static void
display_disconnected (VncDisplay *display, VlConsole *self)
{
  VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_DISCONNECTED };

  feed (self, &event);
}

static void
display_keyboard_grab (VncDisplay *display, VlConsole *self)
{
  self->keyboard_grabbed = TRUE;
  update_grab_hint (self);
}

static void
display_keyboard_ungrab (VncDisplay *display, VlConsole *self)
{
  self->keyboard_grabbed = FALSE;
  update_grab_hint (self);
}

static void
display_pointer_grab (VncDisplay *display, VlConsole *self)
{
  self->pointer_grabbed = TRUE;
  update_grab_hint (self);
}

static void
display_pointer_ungrab (VncDisplay *display, VlConsole *self)
{
  self->pointer_grabbed = FALSE;
  update_grab_hint (self);
}

/* ---- connecting ----------------------------------------------------------------------------- */

/* Scaling needs the display's window (see drop_display): only scale while it has one. */
static void
display_realized (VncDisplay *display, VlConsole *self)
{
  g_autoptr(GVariant) scale = g_action_group_get_action_state (G_ACTION_GROUP (self->actions), "scale");

  vnc_display_set_scaling (display, g_variant_get_boolean (scale));
}

static void
display_unrealized (VncDisplay *display, VlConsole *self)
{
  vnc_display_set_scaling (display, FALSE);
}

/* "Press Ctrl+Alt to release" is made true here. gtk-vnc's own grab keys toggle the mouse grab
 * only: a first Ctrl+Alt grabs the mouse as well, and the keyboard stays grabbed until the pointer
 * leaves. So gtk-vnc gets no grab keys, and Ctrl+Alt (either side, as the hint says) lets go of
 * both; it never grabs. The keys still reach the guest. */
static gboolean
is_ctrl (guint keyval)
{
  return keyval == GDK_KEY_Control_L || keyval == GDK_KEY_Control_R;
}

static gboolean
is_alt (guint keyval)
{
  return keyval == GDK_KEY_Alt_L || keyval == GDK_KEY_Alt_R || keyval == GDK_KEY_Meta_L
         || keyval == GDK_KEY_Meta_R || keyval == GDK_KEY_ISO_Level3_Shift;
}

static void
let_go (VlConsole *self, VncDisplay *display)
{
  if (!self->keyboard_grabbed && !self->pointer_grabbed)
    return;
  vnc_display_force_grab (display, FALSE);
  /* Turning keyboard grabbing off is what ungrabs it; it is turned on again when the pointer
   * comes back into the screen or the user clicks it. */
  vnc_display_set_keyboard_grab (display, FALSE);
  self->grab_let_go = TRUE;
  self->left_after_let_go = FALSE;
}

static gboolean
display_key (VncDisplay *display, GdkEventKey *event, VlConsole *self)
{
  gboolean ctrl = is_ctrl (event->keyval);
  gboolean alt = is_alt (event->keyval);

  if (event->type == GDK_KEY_PRESS)
    {
      self->ctrl_down |= ctrl;
      self->alt_down |= alt;
      /* Another key with them (Ctrl+Alt+Del) is a combination for the guest, not the release. */
      self->release_primed = (ctrl || alt) ? self->ctrl_down && self->alt_down : FALSE;
    }
  else
    {
      gboolean primed = self->release_primed;

      self->release_primed = FALSE;
      if (ctrl)
        self->ctrl_down = FALSE;
      if (alt)
        self->alt_down = FALSE;
      if (primed)
        let_go (self, display);
    }
  return GDK_EVENT_PROPAGATE;  /* gtk-vnc sends the key to the guest */
}

static gboolean
display_reentered (VncDisplay *display, GdkEvent *event, VlConsole *self)
{
  /* Letting go of the mouse makes X (and gtk-vnc's pointer warps) say the pointer "entered"
   * without it having left: only a real return, after leaving, counts, or a click. */
  if (event->type == GDK_ENTER_NOTIFY && (event->crossing.mode != GDK_CROSSING_NORMAL || !self->left_after_let_go))
    return GDK_EVENT_PROPAGATE;
  if (self->grab_let_go)
    {
      self->grab_let_go = self->left_after_let_go = FALSE;
      vnc_display_set_keyboard_grab (display, TRUE);
    }
  return GDK_EVENT_PROPAGATE;  /* gtk-vnc grabs on this very event */
}

static gboolean
display_left (VncDisplay *display, GdkEventCrossing *event, VlConsole *self)
{
  if (self->grab_let_go && event->mode == GDK_CROSSING_NORMAL && event->detail != GDK_NOTIFY_INFERIOR)
    self->left_after_let_go = TRUE;
  return GDK_EVENT_PROPAGATE;
}

static gboolean
display_focus_out (VncDisplay *display, GdkEvent *event, VlConsole *self)
{
  self->ctrl_down = self->alt_down = self->release_primed = FALSE;
  return GDK_EVENT_PROPAGATE;
}

static VncDisplay *
new_display (VlConsole *self)
{
  VncDisplay *display = VNC_DISPLAY (vnc_display_new ());
  VncGrabSequence *keys = vnc_grab_sequence_new (0, NULL);

  g_object_ref_sink (display);
  vnc_display_set_grab_keys (display, keys);
  vnc_grab_sequence_free (keys);
  vnc_display_set_keyboard_grab (display, TRUE);
  vnc_display_set_pointer_grab (display, FALSE);
  vnc_display_set_shared_flag (display, TRUE);
  vnc_display_set_keep_aspect_ratio (display, TRUE);
  vnc_display_set_scaling (display, FALSE);
  gtk_widget_set_halign (GTK_WIDGET (display), GTK_ALIGN_FILL);
  gtk_widget_set_valign (GTK_WIDGET (display), GTK_ALIGN_FILL);
  gtk_widget_set_can_focus (GTK_WIDGET (display), TRUE);

  g_signal_connect_after (display, "realize", G_CALLBACK (display_realized), self);
  g_signal_connect (display, "unrealize", G_CALLBACK (display_unrealized), self);
  g_signal_connect (display, "vnc-initialized", G_CALLBACK (display_initialized), self);
  g_signal_connect (display, "vnc-desktop-resize", G_CALLBACK (display_resized), self);
  g_signal_connect (display, "vnc-disconnected", G_CALLBACK (display_disconnected), self);
  g_signal_connect (display, "vnc-error", G_CALLBACK (display_error), self);
  g_signal_connect (display, "vnc-auth-failure", G_CALLBACK (display_auth_failure), self);
  g_signal_connect (display, "vnc-auth-unsupported", G_CALLBACK (display_auth_unsupported), self);
  g_signal_connect (display, "vnc-auth-credential", G_CALLBACK (display_credentials), self);
  g_signal_connect (display, "vnc-keyboard-grab", G_CALLBACK (display_keyboard_grab), self);
  g_signal_connect (display, "vnc-keyboard-ungrab", G_CALLBACK (display_keyboard_ungrab), self);
  g_signal_connect (display, "vnc-pointer-grab", G_CALLBACK (display_pointer_grab), self);
  g_signal_connect (display, "vnc-pointer-ungrab", G_CALLBACK (display_pointer_ungrab), self);
  g_signal_connect (display, "key-press-event", G_CALLBACK (display_key), self);
  g_signal_connect (display, "key-release-event", G_CALLBACK (display_key), self);
  g_signal_connect (display, "enter-notify-event", G_CALLBACK (display_reentered), self);
  g_signal_connect (display, "leave-notify-event", G_CALLBACK (display_left), self);
  g_signal_connect (display, "button-press-event", G_CALLBACK (display_reentered), self);
  g_signal_connect (display, "focus-out-event", G_CALLBACK (display_focus_out), self);

  gtk_container_add (GTK_CONTAINER (self->scroller), GTK_WIDGET (display));
  gtk_widget_show (GTK_WIDGET (display));
  return display;
}

static void
open_pending_target (VlConsole *self)
{
  g_autoptr(VlConsoleTarget) target = g_steal_pointer (&self->pending_target);
  gboolean opened;

  if (target == NULL || self->display == NULL)
    return;
  g_signal_handlers_disconnect_by_func (self->display, open_pending_target, self);
  if (target->kind == VL_CONSOLE_TARGET_LIBVIRT_FD)
    opened = vnc_display_open_fd (self->display, vl_console_target_steal_fd (target));
  else if (target->socket_path != NULL)
    {
      g_autoptr(GSocketAddress) address = g_unix_socket_address_new (target->socket_path);
      opened = vnc_display_open_addr (self->display, address, NULL);
    }
  else
    opened = vnc_display_open_host (self->display, target->host, target->port);

  if (!opened)
    {
      VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_OPEN_FAILED };

      feed (self, &event);
    }
}

/* VL_CONSOLE_DO_OPEN_DISPLAY: a fresh display for the target found. */
static void
open_display (VlConsole *self, VlConsoleTarget *target)
{
  self->display = new_display (self);
  g_free (self->via);
  self->via = vl_console_target_describe (target);
  self->pending_target = target;
  /* gtk-vnc draws the first update into the display's window: it must exist before any
   * update arrives, so the display page shows (black) and the connection opens once realized. */
  gtk_stack_set_visible_child_name (self->stack, "display");
  if (gtk_widget_get_realized (GTK_WIDGET (self->display)))
    open_pending_target (self);
  else
    g_signal_connect_swapped (self->display, "realize", G_CALLBACK (open_pending_target), self);
}

static void info_ready (GObject *source, GAsyncResult *result, gpointer user_data);
static void target_ready (GObject *source, GAsyncResult *result, gpointer user_data);

/* Carries out what the session answered, in its order: stop, show, start. */
static void
apply (VlConsole *self, VlConsoleStep step, VlConsoleTarget *target)
{
  if (step.actions & VL_CONSOLE_DO_CANCEL)
    cancel_pending (self);
  if (step.actions & VL_CONSOLE_DO_DROP_DISPLAY)
    drop_display (self);
  if (step.show_state)
    show_state (self);
  else
    update_status (self);
  if ((step.actions & VL_CONSOLE_DO_CLOSE_DISPLAY) && self->display != NULL)
    vnc_display_close (self->display);
  if (step.actions & VL_CONSOLE_DO_CHECK_POWER)
    gvir_domain_get_info_async (self->domain, self->cancellable, info_ready, g_object_ref (self));
  if (step.actions & VL_CONSOLE_DO_LOOKUP_TARGET)
    vl_console_target_lookup_async (self->connection, self->domain, self->cancellable, target_ready,
                                    g_object_ref (self));
  if ((step.actions & VL_CONSOLE_DO_OPEN_DISPLAY) && target != NULL)
    open_display (self, target);
  else if (target != NULL)
    vl_console_target_free (target);
  if (step.actions & VL_CONSOLE_DO_RETRY)
    {
      g_clear_handle_id (&self->retry_source, g_source_remove);
      self->retry_source = g_timeout_add (step.retry_ms, retry_cb, self);
    }
  if ((step.actions & VL_CONSOLE_DO_GRAB_FOCUS) && self->display != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->display));
  if (step.actions & VL_CONSOLE_DO_START_REFRESH)
    {
      g_clear_handle_id (&self->refresh_source, g_source_remove);
      self->refresh_source = g_timeout_add (REFRESH_MS, refresh_screen, self);
    }
  if ((step.actions & VL_CONSOLE_DO_ASK_CREDENTIALS) && self->display != NULL)
    vl_console_ask_credentials (self, vl_console_session_wants_username (self->session),
                                vl_console_session_wants_password (self->session));
}

static void
feed (VlConsole *self, const VlConsoleEvent *event)
{
  apply (self, vl_console_session_handle (self->session, event), NULL);
}

/* What the log-in dialog answered (vl-console-password.c). */
void
vl_console_credentials_answered (VlConsole *self, gboolean given)
{
  VlConsoleEvent event = { .kind = given ? VL_CONSOLE_EVENT_CREDENTIALS_GIVEN
                                         : VL_CONSOLE_EVENT_CREDENTIALS_REFUSED };

  feed (self, &event);
}

static void
display_credentials (VncDisplay *display, GValueArray *credentials, VlConsole *self)
{
  VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_CREDENTIALS_WANTED };

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  for (guint i = 0; i < credentials->n_values; i++)
    {
      int type = g_value_get_enum (g_value_array_get_nth (credentials, i));

      if (type == VNC_DISPLAY_CREDENTIAL_USERNAME)
        event.need_username = TRUE;
      else if (type == VNC_DISPLAY_CREDENTIAL_PASSWORD)
        event.need_password = TRUE;
      else if (type == VNC_DISPLAY_CREDENTIAL_CLIENTNAME)
        vnc_display_set_credential (display, type, PACKAGE_NAME);
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  feed (self, &event);
}

static void
target_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlConsole) self = user_data;
  g_autoptr(GError) error = NULL;
  VlConsoleTarget *target = vl_console_target_lookup_finish (result, &error);
  VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_TARGET_FOUND };

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->domain == NULL)
    {
      g_clear_pointer (&target, vl_console_target_free);
      return;
    }
  if (target == NULL)
    {
      event.kind = VL_CONSOLE_EVENT_TARGET_FAILED;
      event.message = error->message;
      event.retryable = !g_error_matches (error, VL_ERROR, VL_ERROR_UNSUPPORTED);
    }
  apply (self, vl_console_session_handle (self->session, &event), target);
}

static gboolean
domain_is_running (GVirDomainState state)
{
  return state == GVIR_DOMAIN_STATE_RUNNING || state == GVIR_DOMAIN_STATE_BLOCKED ||
         state == GVIR_DOMAIN_STATE_PAUSED;
}

static void
info_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlConsole) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirDomainInfo) info = gvir_domain_get_info_finish (GVIR_DOMAIN (source), result, &error);
  VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_POWER };

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->domain != GVIR_DOMAIN (source))
    return;
  event.ok = info != NULL;
  event.message = error != NULL ? error->message : NULL;
  event.running = info != NULL && domain_is_running (info->state);
  event.paused = info != NULL && info->state == GVIR_DOMAIN_STATE_PAUSED;
  feed (self, &event);
}

/* The user asked for it: forget the back-off and any wrong password, and try now. */
void
vl_console_reconnect (VlConsole *self)
{
  VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_RECONNECT };

  if (self->domain == NULL)
    return;
  feed (self, &event);
}

static void
domain_event (GVirDomain *domain, VlConsoleEventKind kind, VlConsole *self)
{
  VlConsoleEvent event = { .kind = kind };

  feed (self, &event);
}

static void
domain_started (GVirDomain *domain, VlConsole *self)
{
  domain_event (domain, VL_CONSOLE_EVENT_STARTED, self);
}

static void
domain_suspended (GVirDomain *domain, VlConsole *self)
{
  domain_event (domain, VL_CONSOLE_EVENT_SUSPENDED, self);
}

static void
domain_resumed (GVirDomain *domain, VlConsole *self)
{
  domain_event (domain, VL_CONSOLE_EVENT_RESUMED, self);
}

static void
domain_stopped (GVirDomain *domain, VlConsole *self)
{
  domain_event (domain, VL_CONSOLE_EVENT_STOPPED, self);
}

/* ---- public API ----------------------------------------------------------------------------- */

void
vl_console_set_domain (VlConsole *self, GVirConnection *connection, GVirDomain *domain)
{
  VlConsoleEvent event = { .kind = VL_CONSOLE_EVENT_GUEST_SET };

  g_return_if_fail (VL_IS_CONSOLE (self));
  g_return_if_fail (connection == NULL || GVIR_IS_CONNECTION (connection));
  g_return_if_fail (domain == NULL || GVIR_IS_DOMAIN (domain));
  g_return_if_fail ((connection == NULL) == (domain == NULL));

  if (domain == self->domain)
    return;
  cancel_pending (self);
  drop_display (self);
  if (self->domain != NULL)
    {
      g_clear_signal_handler (&self->started_handler, self->domain);
      g_clear_signal_handler (&self->stopped_handler, self->domain);
      g_clear_signal_handler (&self->suspended_handler, self->domain);
      g_clear_signal_handler (&self->resumed_handler, self->domain);
    }
  g_set_object (&self->connection, connection);
  g_set_object (&self->domain, domain);
  if (domain != NULL)
    {
      self->started_handler = g_signal_connect (domain, "started", G_CALLBACK (domain_started), self);
      self->stopped_handler = g_signal_connect (domain, "stopped", G_CALLBACK (domain_stopped), self);
      self->suspended_handler = g_signal_connect (domain, "suspended", G_CALLBACK (domain_suspended), self);
      self->resumed_handler = g_signal_connect (domain, "resumed", G_CALLBACK (domain_resumed), self);
      event.guest_name = gvir_domain_get_name (domain);
    }
  event.xen = is_xen_connection (connection);
  feed (self, &event);
}

GVirDomain *
vl_console_get_domain (VlConsole *self)
{
  g_return_val_if_fail (VL_IS_CONSOLE (self), NULL);
  return self->domain;
}

GVirConnection *
vl_console_get_connection (VlConsole *self)
{
  g_return_val_if_fail (VL_IS_CONSOLE (self), NULL);
  return self->connection;
}

VlConsoleState
vl_console_get_state (VlConsole *self)
{
  g_return_val_if_fail (VL_IS_CONSOLE (self), VL_CONSOLE_STATE_NONE);
  return self->state;
}

const char *
vl_console_get_reason (VlConsole *self)
{
  g_return_val_if_fail (VL_IS_CONSOLE (self), NULL);
  return vl_console_session_get_reason (self->session);
}

/* The main message the view shows right now ("Guest “x” is off", the disconnect reason, …). */
const char *
vl_console_get_shown_text (VlConsole *self)
{
  g_return_val_if_fail (VL_IS_CONSOLE (self), NULL);
  return self->shown_text;
}

/* How the current screen was reached ("Connected through libvirt", "… port 5901"), or NULL. */
const char *
vl_console_get_route (VlConsole *self)
{
  g_return_val_if_fail (VL_IS_CONSOLE (self), NULL);
  return self->state == VL_CONSOLE_STATE_CONNECTED ? self->via : NULL;
}

VncDisplay *
vl_console_get_display (VlConsole *self)
{
  g_return_val_if_fail (VL_IS_CONSOLE (self), NULL);
  return self->display;
}

gboolean
vl_console_get_keyboard_grabbed (VlConsole *self)
{
  g_return_val_if_fail (VL_IS_CONSOLE (self), FALSE);
  return self->keyboard_grabbed || self->pointer_grabbed;
}

/* ---- GObject -------------------------------------------------------------------------------- */

static void
vl_console_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VlConsole *self = VL_CONSOLE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, vl_busy_get (VL_BUSY (self)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vl_console_dispose (GObject *object)
{
  VlConsole *self = VL_CONSOLE (object);

  self->disposing = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  drop_display (self);
  if (self->watched_toplevel != NULL)
    {
      g_clear_signal_handler (&self->window_state_handler, self->watched_toplevel);
      g_clear_weak_pointer (&self->watched_toplevel);
    }
  if (self->domain != NULL)
    {
      g_clear_signal_handler (&self->started_handler, self->domain);
      g_clear_signal_handler (&self->stopped_handler, self->domain);
      g_clear_signal_handler (&self->suspended_handler, self->domain);
      g_clear_signal_handler (&self->resumed_handler, self->domain);
    }
  g_clear_object (&self->domain);
  g_clear_object (&self->connection);
  g_clear_object (&self->actions);
  G_OBJECT_CLASS (vl_console_parent_class)->dispose (object);
}

static void
vl_console_finalize (GObject *object)
{
  VlConsole *self = VL_CONSOLE (object);

  vl_console_session_free (self->session);
  g_free (self->shown_text);
  g_free (self->via);
  G_OBJECT_CLASS (vl_console_parent_class)->finalize (object);
}

static void
vl_console_class_init (VlConsoleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = vl_console_get_property;
  object_class->dispose = vl_console_dispose;
  object_class->finalize = vl_console_finalize;

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, VL_TYPE_CONSOLE_STATE,
                                              VL_CONSOLE_STATE_NONE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  vl_busy_class_install (object_class, PROP_BUSY);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-console.ui");
  gtk_widget_class_bind_template_child (widget_class, VlConsole, toolbar);
  gtk_widget_class_bind_template_child (widget_class, VlConsole, status_label);
  gtk_widget_class_bind_template_child (widget_class, VlConsole, grab_label);
  gtk_widget_class_bind_template_child (widget_class, VlConsole, off_label);
  gtk_widget_class_bind_template_child (widget_class, VlConsole, reason_label);
  gtk_widget_class_bind_template_child (widget_class, VlConsole, stack);
  gtk_widget_class_bind_template_child (widget_class, VlConsole, scroller);
  gtk_widget_class_bind_template_child (widget_class, VlConsole, spinner);
  gtk_widget_class_bind_template_child (widget_class, VlConsole, leave_fullscreen_button);
  gtk_widget_class_bind_template_child (widget_class, VlConsole, open_window_button);
  gtk_widget_class_bind_template_child (widget_class, VlConsole, send_key_button);
  gtk_widget_class_bind_template_child (widget_class, VlConsole, send_key_function_menu);
  gtk_widget_class_set_css_name (widget_class, "vlconsole");
}

static void
vl_console_init (VlConsole *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_menu_button_quiet_tooltip (GTK_MENU_BUTTON (self->send_key_button));
  self->cancellable = g_cancellable_new ();
  self->session = vl_console_session_new ();
  vl_console_install_actions (self);
  show_state (self);
  g_signal_connect (self, "hierarchy-changed", G_CALLBACK (vl_console_track_toplevel), NULL);
}
