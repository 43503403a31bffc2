/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The list of libvirt connections: kept in GSettings, chosen on first start, overridden by --connect. */
#pragma once

#include <gio/gio.h>

#include "vl-connection.h"

G_BEGIN_DECLS

#define VL_TYPE_CONNECTIONS (vl_connections_get_type ())
G_DECLARE_FINAL_TYPE (VlConnections, vl_connections, VL, CONNECTIONS, GObject)

VlConnections *vl_connections_new               (GSettings      *settings);
GListModel    *vl_connections_get_model         (VlConnections  *self);
VlConnection  *vl_connections_find              (VlConnections  *self,
                                                 const char     *uri);
VlConnection  *vl_connections_add               (VlConnections  *self,
                                                 const char     *uri,
                                                 GError        **error);
gboolean       vl_connections_remove            (VlConnections  *self,
                                                 const char     *uri);
void           vl_connections_use_uris          (VlConnections      *self,
                                                 const char * const *uris);
void           vl_connections_open_early        (const char * const *uris);
void           vl_connections_close_early       (void);
void           vl_connections_load_async        (VlConnections       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       vl_connections_load_finish       (VlConnections  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);

gboolean       vl_connection_uri_validate       (const char     *uri,
                                                 GError        **error);
char          *vl_connections_embed_root        (void);
const char    *vl_connections_pick_first_start  (gboolean        system_answers,
                                                 gboolean        is_root,
                                                 const char     *embed_uri);
gboolean       vl_connections_prepare_embed_root (const char    *root,
                                                  GError       **error);
char          *vl_connections_embed_root_of     (const char     *uri);

G_END_DECLS
