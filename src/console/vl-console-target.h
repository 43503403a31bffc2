/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where a guest's VNC screen can be reached: a socket handed over by libvirt, or the <graphics> address. */
#pragma once

#include <gio/gio.h>
#include <libvirt-gobject/libvirt-gobject.h>

G_BEGIN_DECLS

typedef enum {
  VL_CONSOLE_TARGET_LIBVIRT_FD,  /* libvirt opened the display for us (works for remote hosts) */
  VL_CONSOLE_TARGET_ADDRESS,     /* TCP host and port, or a UNIX socket path, from <graphics> */
} VlConsoleTargetKind;

typedef struct
{
  VlConsoleTargetKind kind;
  int                 fd;           /* owned until given to the display; -1 for an address */
  char               *host;         /* TCP host for an address */
  char               *port;         /* TCP port for an address, NULL for a UNIX socket */
  char               *socket_path;  /* UNIX socket for an address, else NULL */
} VlConsoleTarget;

void             vl_console_target_free          (VlConsoleTarget      *target);
int              vl_console_target_steal_fd      (VlConsoleTarget      *target);
char            *vl_console_target_describe      (const VlConsoleTarget *target);

gboolean         vl_console_target_host_from_uri (const char           *uri,
                                                  char                **host);
VlConsoleTarget *vl_console_target_from_config   (GVirConfigDomain     *config,
                                                  const char           *connection_uri,
                                                  GError              **error);

void             vl_console_target_lookup_async  (GVirConnection       *connection,
                                                  GVirDomain           *domain,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
VlConsoleTarget *vl_console_target_lookup_finish (GAsyncResult         *result,
                                                  GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlConsoleTarget, vl_console_target_free)

G_END_DECLS
