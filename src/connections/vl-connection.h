/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One libvirt connection: opens it asynchronously, tracks its state and reconnects with back-off. */
#pragma once

#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

typedef enum {
  VL_CONNECTION_STATE_DISCONNECTED,
  VL_CONNECTION_STATE_CONNECTING,
  VL_CONNECTION_STATE_CONNECTED,
  VL_CONNECTION_STATE_LOST,
  VL_CONNECTION_STATE_FAILED,
  VL_CONNECTION_STATE_NEEDS_CREDENTIALS,
} VlConnectionState;

#define VL_TYPE_CONNECTION (vl_connection_get_type ())
G_DECLARE_FINAL_TYPE (VlConnection, vl_connection, VL, CONNECTION, GObject)

VlConnection      *vl_connection_new             (const char   *uri);
const char        *vl_connection_get_uri         (VlConnection *self);
char              *vl_connection_dup_title       (VlConnection *self);
gboolean           vl_connection_is_embedded     (VlConnection *self);
VlConnectionState  vl_connection_get_state       (VlConnection *self);
const char        *vl_connection_get_message     (VlConnection *self);
GVirConnection    *vl_connection_get_connection  (VlConnection *self);
guint              vl_connection_get_attempts    (VlConnection *self);
void               vl_connection_open            (VlConnection *self);
void               vl_connection_close           (VlConnection *self);
gboolean           vl_connection_log_in          (VlConnection *self,
                                                  const char   *username,
                                                  const char   *password,
                                                  GError      **error);
char              *vl_connection_dup_username    (VlConnection *self);
void               vl_connection_set_reconnect_delay (VlConnection *self,
                                                      guint         first_ms,
                                                      guint         max_ms);
const char        *vl_connection_state_to_string (VlConnectionState state);

G_END_DECLS
