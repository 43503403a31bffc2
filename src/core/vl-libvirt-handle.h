/* The raw libvirt side of a GVirConnection, for the calls libvirt-gobject does not wrap. */
#pragma once

#include <libvirt/libvirt.h>
#include <libvirt-gobject/libvirt-gobject.h>

G_BEGIN_DECLS

virConnectPtr vl_libvirt_handle_get        (GVirConnection *conn,
                                            GError        **error);
const char   *vl_libvirt_last_error_message (void);

G_END_DECLS
