/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a guest's VNC screen can be reached: a socket handed over by libvirt, or the <graphics> address. */
#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "vl-console-target.h"
#include "vl-error.h"
#include "vl-gvir-autoptr.h"

void
vl_console_target_free (VlConsoleTarget *target)
{
  if (target == NULL)
    return;
  if (target->fd >= 0)
    close (target->fd);
  g_free (target->host);
  g_free (target->port);
  g_free (target->socket_path);
  g_free (target);
}

/* The display takes ownership of the socket; after this the target no longer closes it. */
int
vl_console_target_steal_fd (VlConsoleTarget *target)
{
  int fd = target->fd;

  target->fd = -1;
  return fd;
}

/* A short, user-facing line saying how the console reached the guest (shown as a tooltip). */
char *
vl_console_target_describe (const VlConsoleTarget *target)
{
  if (target->kind == VL_CONSOLE_TARGET_LIBVIRT_FD)
    return g_strdup (_("Connected through libvirt"));
  if (target->socket_path != NULL)
    return g_strdup_printf (_("Connected to the socket %s"), target->socket_path);
  return g_strdup_printf (_("Connected to %s port %s"), target->host, target->port);
}

/* The host of a libvirt URI, or "localhost" for a local one (qemu:///system, qemu:///embed?…).
 * Returns FALSE when the URI cannot be parsed. */
gboolean
vl_console_target_host_from_uri (const char *uri, char **host)
{
  g_autoptr(GUri) parsed = NULL;
  const char *name;

  *host = NULL;
  if (uri == NULL)
    return FALSE;
  parsed = g_uri_parse (uri, G_URI_FLAGS_NON_DNS | G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL)
    return FALSE;
  name = g_uri_get_host (parsed);
  *host = g_strdup (name != NULL && *name != '\0' ? name : "localhost");
  return TRUE;
}

VlConsoleTarget *
vl_console_target_from_config (GVirConfigDomain *config, const char *connection_uri, GError **error)
{
  GList *devices = gvir_config_domain_get_devices (config);
  const char *name = gvir_config_domain_get_name (config);
  g_autofree char *host = NULL;
  VlConsoleTarget *target = NULL;
  gboolean found = FALSE;

  for (GList *l = devices; l != NULL && target == NULL; l = l->next)
    {
      GVirConfigDomainGraphicsVnc *vnc;
      const char *socket_path;
      int port;

      if (!GVIR_CONFIG_IS_DOMAIN_GRAPHICS_VNC (l->data))
        continue;
      found = TRUE;
      vnc = GVIR_CONFIG_DOMAIN_GRAPHICS_VNC (l->data);
      socket_path = gvir_config_domain_graphics_vnc_get_socket (vnc);
      port = gvir_config_domain_graphics_vnc_get_port (vnc);
      if (socket_path != NULL && *socket_path != '\0')
        {
          target = g_new0 (VlConsoleTarget, 1);
          target->kind = VL_CONSOLE_TARGET_ADDRESS;
          target->fd = -1;
          target->socket_path = g_strdup (socket_path);
        }
      else if (port > 0)
        {
          if (!vl_console_target_host_from_uri (connection_uri, &host))
            host = g_strdup ("localhost");
          target = g_new0 (VlConsoleTarget, 1);
          target->kind = VL_CONSOLE_TARGET_ADDRESS;
          target->fd = -1;
          target->host = g_steal_pointer (&host);
          target->port = g_strdup_printf ("%d", port);
        }
    }
  g_list_free_full (devices, g_object_unref);

  if (target != NULL)
    return target;
  if (found)
    g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND,
                 _("The screen of guest “%s” has no port yet: is the guest running?"), name);
  else
    g_set_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED,
                 _("Guest “%s” has no VNC screen (no <graphics type='vnc'> device)"), name);
  return NULL;
}

typedef struct
{
  GVirDomain *domain;
  char       *uri;
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_clear_object (&data->domain);
  g_free (data->uri);
  g_free (data);
}

/* Runs in a worker thread: both calls can block on a remote host. */
static void
lookup_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LookupData *data = task_data;
  g_autoptr(GError) fd_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) config = NULL;
  VlConsoleTarget *target;
  int fd;

  /* libvirt first: it reaches guests on remote hosts without an open VNC port. */
  fd = gvir_domain_open_graphics_fd (data->domain, 0, 0, &fd_error);
  if (fd >= 0)
    {
      target = g_new0 (VlConsoleTarget, 1);
      target->kind = VL_CONSOLE_TARGET_LIBVIRT_FD;
      target->fd = fd;
      g_task_return_pointer (task, target, (GDestroyNotify) vl_console_target_free);
      return;
    }
  g_debug ("libvirt could not open the graphics socket: %s", fd_error->message);
  if (g_task_return_error_if_cancelled (task))
    return;

  /* The live XML carries the port QEMU picked for autoport="yes". */
  config = gvir_domain_get_config (data->domain, 0, &error);
  if (config == NULL)
    {
      g_task_return_new_error (task, VL_ERROR, VL_ERROR_FAILED,
                               _("The screen of guest “%s” cannot be reached: %s"),
                               gvir_domain_get_name (data->domain), fd_error->message);
      return;
    }
  target = vl_console_target_from_config (config, data->uri, &error);
  if (target == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, target, (GDestroyNotify) vl_console_target_free);
}

void
vl_console_target_lookup_async (GVirConnection      *connection,
                                GVirDomain          *domain,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LookupData *data;

  g_return_if_fail (GVIR_IS_CONNECTION (connection));
  g_return_if_fail (GVIR_IS_DOMAIN (domain));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, vl_console_target_lookup_async);
  data = g_new0 (LookupData, 1);
  data->domain = g_object_ref (domain);
  data->uri = g_strdup (gvir_connection_get_uri (connection));
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);
  g_task_run_in_thread (task, lookup_thread);
}

VlConsoleTarget *
vl_console_target_lookup_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
