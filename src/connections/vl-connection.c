/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One libvirt connection: opens it asynchronously, tracks its state and reconnects with back-off. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vl-auth.h"
#include "vl-connect-open.h"
#include "vl-connection.h"
#include "vl-connections.h"
#include "vl-error.h"

#define DEFAULT_FIRST_DELAY_MS 1000
#define DEFAULT_MAX_DELAY_MS   30000

struct _VlConnection
{
  GObject parent_instance;

  char              *uri;
  VlConnectionState  state;
  char              *message;
  GVirConnection    *conn;
  virConnectPtr      vconn;        /* our own reference, for the close callback */
  GCancellable      *cancellable;
  guint              reconnect_id;
  guint              attempts;     /* failed attempts since the last success */
  guint              first_delay_ms;
  guint              max_delay_ms;
  gboolean           was_connected;
  char              *username;     /* the last credentials given, kept in memory only, */
  char              *password;     /* for reconnecting after the daemon comes back */
};

G_DEFINE_FINAL_TYPE (VlConnection, vl_connection, G_TYPE_OBJECT)

enum { PROP_0, PROP_URI, PROP_STATE, PROP_MESSAGE, PROP_CONNECTION, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void schedule_reconnect (VlConnection *self);
static void connection_closed_cb (virConnectPtr vconn, int reason, void *opaque);

const char *
vl_connection_state_to_string (VlConnectionState state)
{
  switch (state)
    {
    case VL_CONNECTION_STATE_DISCONNECTED: return _("Not connected");
    case VL_CONNECTION_STATE_CONNECTING: return _("Connecting…");
    case VL_CONNECTION_STATE_CONNECTED: return _("Connected");
    case VL_CONNECTION_STATE_LOST: return _("Connection lost");
    case VL_CONNECTION_STATE_FAILED: return _("Cannot connect");
    case VL_CONNECTION_STATE_NEEDS_CREDENTIALS: return _("Needs credentials");
    default: return "";
    }
}

VlConnection *
vl_connection_new (const char *uri)
{
  return g_object_new (VL_TYPE_CONNECTION, "uri", uri, NULL);
}

const char *
vl_connection_get_uri (VlConnection *self)
{
  g_return_val_if_fail (VL_IS_CONNECTION (self), NULL);
  return self->uri;
}

gboolean
vl_connection_is_embedded (VlConnection *self)
{
  g_return_val_if_fail (VL_IS_CONNECTION (self), FALSE);
  return g_str_has_prefix (self->uri, "qemu:///embed");
}

/* What the sidebar shows: the kind of hypervisor and where it runs, in the user's words. */
char *
vl_connection_dup_title (VlConnection *self)
{
  g_autoptr(GUri) parsed = NULL;
  g_auto(GStrv) scheme = NULL;
  const char *host;
  const char *driver;
  const char *path;

  g_return_val_if_fail (VL_IS_CONNECTION (self), NULL);

  if (vl_connection_is_embedded (self))
    return g_strdup (_("QEMU (embedded, no daemon)"));

  parsed = g_uri_parse (self->uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL)
    return g_strdup (self->uri);

  scheme = g_strsplit (g_uri_get_scheme (parsed), "+", 2);
  driver = scheme[0];
  host = g_uri_get_host (parsed);
  path = g_uri_get_path (parsed);

  if (g_str_equal (driver, "test"))
    return g_strdup (_("Test driver"));
  if (host != NULL && *host != '\0')
    {
      if (g_str_equal (driver, "xen"))
        return g_strdup_printf (_("Xen on %s"), host);
      return g_strdup_printf (_("QEMU/KVM on %s"), host);
    }
  if (g_str_equal (driver, "xen"))
    return g_strdup (_("Xen"));
  if (g_str_has_prefix (path, "/session"))
    return g_strdup (_("QEMU/KVM user session"));
  return g_strdup (_("QEMU/KVM"));
}

VlConnectionState
vl_connection_get_state (VlConnection *self)
{
  g_return_val_if_fail (VL_IS_CONNECTION (self), VL_CONNECTION_STATE_DISCONNECTED);
  return self->state;
}

const char *
vl_connection_get_message (VlConnection *self)
{
  g_return_val_if_fail (VL_IS_CONNECTION (self), NULL);
  return self->message;
}

GVirConnection *
vl_connection_get_connection (VlConnection *self)
{
  g_return_val_if_fail (VL_IS_CONNECTION (self), NULL);
  return self->state == VL_CONNECTION_STATE_CONNECTED ? self->conn : NULL;
}

guint
vl_connection_get_attempts (VlConnection *self)
{
  g_return_val_if_fail (VL_IS_CONNECTION (self), 0);
  return self->attempts;
}

/* Tests shorten the back-off; the app keeps 1 s doubling up to 30 s. */
void
vl_connection_set_reconnect_delay (VlConnection *self, guint first_ms, guint max_ms)
{
  g_return_if_fail (VL_IS_CONNECTION (self));
  self->first_delay_ms = MAX (first_ms, 10);
  self->max_delay_ms = MAX (max_ms, self->first_delay_ms);
}

static void
set_state (VlConnection *self, VlConnectionState state, const char *message)
{
  gboolean message_changed = g_strcmp0 (message, self->message) != 0;

  if (message_changed)
    {
      g_free (self->message);
      self->message = g_strdup (message);
    }
  g_object_freeze_notify (G_OBJECT (self));
  if (message_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
  /* The connection property follows the state: it is only handed out while connected. */
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Drops the libvirt connection without telling anyone: callers set the new state. */
static void
drop_connection (VlConnection *self)
{
  if (self->vconn != NULL)
    {
      virConnectPtr vconn = g_steal_pointer (&self->vconn);

      /* Unregister first: closing on purpose must not look like losing the daemon. */
      virConnectUnregisterCloseCallback (vconn, connection_closed_cb);
      virConnectClose (vconn);
    }
  if (self->conn != NULL)
    {
      g_autoptr(GVirConnection) conn = g_steal_pointer (&self->conn);

      gvir_connection_close (conn);
    }
}

static const char *
close_reason_text (int reason)
{
  switch (reason)
    {
    case VIR_CONNECT_CLOSE_REASON_ERROR: return _("the connection failed with an input/output error");
    case VIR_CONNECT_CLOSE_REASON_EOF: return _("the libvirt daemon closed the connection");
    case VIR_CONNECT_CLOSE_REASON_KEEPALIVE: return _("the host stopped answering (keepalive timeout)");
    case VIR_CONNECT_CLOSE_REASON_CLIENT: return _("the connection was closed");
    default: return _("the connection was closed for an unknown reason");
    }
}

typedef struct
{
  GWeakRef self;
  int      reason;
} CloseData;

static void
close_data_free (gpointer data)
{
  CloseData *close_data = data;

  g_weak_ref_clear (&close_data->self);
  g_free (close_data);
}

/* libvirt must not be re-entered from its own close callback: handle the loss from an idle. */
static gboolean
connection_lost_idle (gpointer user_data)
{
  CloseData *data = user_data;
  g_autoptr(VlConnection) self = g_weak_ref_get (&data->self);
  g_autofree char *message = NULL;

  if (self == NULL || self->state != VL_CONNECTION_STATE_CONNECTED)
    return G_SOURCE_REMOVE;

  message = g_strdup_printf (_("Lost “%s”: %s. Reconnecting…"), self->uri, close_reason_text (data->reason));
  drop_connection (self);
  self->attempts = 0;
  set_state (self, VL_CONNECTION_STATE_LOST, message);
  schedule_reconnect (self);
  return G_SOURCE_REMOVE;
}

static void
connection_closed_cb (virConnectPtr vconn, int reason, void *opaque)
{
  CloseData *source = opaque;
  CloseData *data = g_new0 (CloseData, 1);
  g_autoptr(VlConnection) self = g_weak_ref_get (&source->self);

  g_weak_ref_init (&data->self, self);
  data->reason = reason;
  g_idle_add_full (G_PRIORITY_DEFAULT, connection_lost_idle, data, close_data_free);
}

typedef struct
{
  GVirConnection *conn;
  virConnectPtr   vconn;
  int             error_code;
} OpenResult;

static void
open_result_free (OpenResult *result)
{
  g_clear_object (&result->conn);
  if (result->vconn != NULL)
    virConnectClose (result->vconn);
  g_free (result);
}

/* What the worker thread needs: the URI, and the user name and password when the user gave some. */
typedef struct
{
  char *uri;
  char *username;
  char *password;
} OpenRequest;

static void
forget_secret (char **secret)
{
  if (*secret != NULL)
    explicit_bzero (*secret, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
open_request_free (OpenRequest *request)
{
  g_free (request->uri);
  g_free (request->username);
  forget_secret (&request->password);
  g_free (request);
}

/* A refusal a user name and password can answer (SASL). VIR_ERR_AUTH_UNAVAILABLE is polkit
 * saying no, which no password typed here changes: that one is shown as it is. */
static gboolean
is_auth_error (int code)
{
  return code == VIR_ERR_AUTH_FAILED || code == VIR_ERR_AUTH_CANCELLED;
}

/* Runs in a worker thread: libvirt's open and first listing may wait on the network for long. */
static void
open_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  OpenRequest *request = task_data;
  g_autoptr(GVirConnection) conn = gvir_connection_new (request->uri);
  g_autoptr(GError) error = NULL;
  g_autofree char *embed_root = vl_connections_embed_root_of (request->uri);
  OpenResult *result;
  virErrorPtr verr;
  gboolean opened;

  if (request->password != NULL && !vl_connect_open_self_check (&error))
    {
      /* This build cannot hand libvirt the user's credentials: say so instead of asking again. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* An embedded QEMU driver reads its root's qemu.conf on open: whoever added the URI (first start,
   * --connect, the Add Connection dialog), the root gets the settings it needs first. */
  if (embed_root != NULL && !vl_connections_prepare_embed_root (embed_root, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  virResetLastError ();
  /* libvirt-gobject's open lands in Virtlab's virConnectOpen (vl-connect-open.c), which answers
   * libvirt's questions from these while this thread opens. */
  if (request->password != NULL)
    vl_connect_open_set_credentials (request->username, request->password);
  opened = gvir_connection_open (conn, cancellable, &error);
  vl_connect_open_clear_credentials ();
  if (!opened)
    {
      /* The error is thread-local in libvirt: read its code here, where the open ran. */
      verr = virGetLastError ();
      if (verr != NULL && is_auth_error (verr->code))
        g_task_return_new_error (task, VL_ERROR, VL_ERROR_PERMISSION, "%s",
                                 verr->message != NULL ? verr->message : error->message);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!gvir_connection_fetch_domains (conn, cancellable, &error))
    {
      gvir_connection_close (conn);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (OpenResult, 1);
  result->conn = g_object_ref (conn);
  g_object_get (conn, "handle", &result->vconn, NULL);
  g_task_return_pointer (task, result, (GDestroyNotify) open_result_free);
}

static void
open_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(VlConnection) self = user_data;
  g_autoptr(GError) error = NULL;
  OpenResult *result;
  CloseData *close_data;

  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (result == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->cancellable);
      self->attempts++;
      if (g_error_matches (error, VL_ERROR, VL_ERROR_PERMISSION))
        {
          /* Ask the user (the page offers a log-in dialog) instead of retrying forever. */
          if (self->password != NULL)
            message = g_strdup_printf (_("“%s” did not accept the user name or password: %s"),
                                       self->uri, error->message);
          else
            /* libvirt's own words here only say that it was opened without credentials. */
            message = g_strdup_printf (_("“%s” asks for a user name and password."), self->uri);
          forget_secret (&self->password);
          set_state (self, VL_CONNECTION_STATE_NEEDS_CREDENTIALS, message);
          return;
        }
      message = g_strdup_printf (_("Cannot connect to “%s”: %s"), self->uri, error->message);
      if (self->was_connected)
        {
          /* The daemon went away and is still gone: keep trying, further apart each time. */
          set_state (self, VL_CONNECTION_STATE_LOST, message);
          schedule_reconnect (self);
        }
      else
        {
          set_state (self, VL_CONNECTION_STATE_FAILED, message);
        }
      return;
    }

  g_clear_object (&self->cancellable);
  self->conn = g_steal_pointer (&result->conn);
  self->vconn = g_steal_pointer (&result->vconn);
  open_result_free (result);

  close_data = g_new0 (CloseData, 1);
  g_weak_ref_init (&close_data->self, self);
  if (virConnectRegisterCloseCallback (self->vconn, connection_closed_cb, close_data, close_data_free) < 0)
    close_data_free (close_data);
  /* Remote hosts that vanish without closing the socket are noticed by keepalive;
   * local drivers do not support it, which is fine. */
  if (virConnectSetKeepAlive (self->vconn, 5, 3) < 0)
    virResetLastError ();

  self->attempts = 0;
  self->was_connected = TRUE;
  set_state (self, VL_CONNECTION_STATE_CONNECTED, NULL);
}

void
vl_connection_open (VlConnection *self)
{
  g_autoptr(GTask) task = NULL;
  OpenRequest *request;

  g_return_if_fail (VL_IS_CONNECTION (self));

  if (self->state == VL_CONNECTION_STATE_CONNECTING || self->state == VL_CONNECTION_STATE_CONNECTED)
    return;

  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  drop_connection (self);
  request = g_new0 (OpenRequest, 1);
  request->uri = g_strdup (self->uri);
  request->username = g_strdup (self->username);
  request->password = g_strdup (self->password);
  self->cancellable = g_cancellable_new ();
  if (self->state != VL_CONNECTION_STATE_LOST)
    set_state (self, VL_CONNECTION_STATE_CONNECTING, NULL);

  task = g_task_new (NULL, self->cancellable, open_done, g_object_ref (self));
  g_task_set_source_tag (task, vl_connection_open);
  g_task_set_task_data (task, request, (GDestroyNotify) open_request_free);
  g_task_run_in_thread (task, open_thread);
}

/* Opens again with the user name and password the user typed (libvirt asked for them). */
gboolean
vl_connection_log_in (VlConnection *self, const char *username, const char *password, GError **error)
{
  g_return_val_if_fail (VL_IS_CONNECTION (self), FALSE);

  if (!vl_auth_credentials_check (username, password, error))
    return FALSE;
  g_free (self->username);
  self->username = g_strdup (username);
  forget_secret (&self->password);
  self->password = g_strdup (password != NULL ? password : "");
  self->attempts = 0;
  if (self->state == VL_CONNECTION_STATE_CONNECTED || self->state == VL_CONNECTION_STATE_CONNECTING)
    vl_connection_close (self);
  vl_connection_open (self);
  return TRUE;
}

/* The user name to offer in the log-in dialog: the last one typed, else the one in the URI. */
char *
vl_connection_dup_username (VlConnection *self)
{
  g_return_val_if_fail (VL_IS_CONNECTION (self), NULL);
  return self->username != NULL ? g_strdup (self->username) : vl_auth_uri_dup_username (self->uri);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  VlConnection *self = user_data;

  self->reconnect_id = 0;
  vl_connection_open (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (VlConnection *self)
{
  guint delay = self->first_delay_ms;

  for (guint i = 0; i < self->attempts && delay < self->max_delay_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->max_delay_ms);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  self->reconnect_id = g_timeout_add (delay, reconnect_cb, self);
}

void
vl_connection_close (VlConnection *self)
{
  g_return_if_fail (VL_IS_CONNECTION (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  drop_connection (self);
  self->was_connected = FALSE;
  set_state (self, VL_CONNECTION_STATE_DISCONNECTED, NULL);
}

static void
vl_connection_dispose (GObject *object)
{
  VlConnection *self = VL_CONNECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  drop_connection (self);
  G_OBJECT_CLASS (vl_connection_parent_class)->dispose (object);
}

static void
vl_connection_finalize (GObject *object)
{
  VlConnection *self = VL_CONNECTION (object);

  g_free (self->uri);
  g_free (self->message);
  g_free (self->username);
  forget_secret (&self->password);
  G_OBJECT_CLASS (vl_connection_parent_class)->finalize (object);
}

static void
vl_connection_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VlConnection *self = VL_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_URI: g_value_set_string (value, self->uri); break;
    case PROP_STATE: g_value_set_int (value, self->state); break;
    case PROP_MESSAGE: g_value_set_string (value, self->message); break;
    case PROP_CONNECTION: g_value_set_object (value, vl_connection_get_connection (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vl_connection_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  VlConnection *self = VL_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_URI: self->uri = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* libvirt prints every error on stderr unless told otherwise; we show them in the window. */
static void
quiet_libvirt_errors (void *user_data, virErrorPtr error)
{
}

static void
vl_connection_class_init (VlConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /* Initialises libvirt and registers libvirt-glib's event loop: needed before any open, for
   * domain events and close callbacks to reach the main loop. */
  gvir_init_object (NULL, NULL);
  virSetErrorFunc (NULL, quiet_libvirt_errors);

  object_class->dispose = vl_connection_dispose;
  object_class->finalize = vl_connection_finalize;
  object_class->get_property = vl_connection_get_property;
  object_class->set_property = vl_connection_set_property;

  properties[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, NULL,
                                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                              | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, 0, G_MAXINT, 0,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION] = g_param_spec_object ("connection", NULL, NULL, GVIR_TYPE_CONNECTION,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vl_connection_init (VlConnection *self)
{
  self->first_delay_ms = DEFAULT_FIRST_DELAY_MS;
  self->max_delay_ms = DEFAULT_MAX_DELAY_MS;
}
