/* The raw libvirt side of a GVirConnection, for the calls libvirt-gobject does not wrap. */
#pragma once

#include <libvirt/libvirt.h>
#include <libvirt-gobject/libvirt-gobject.h>

G_BEGIN_DECLS

virConnectPtr vl_libvirt_handle_get        (GVirConnection *conn,
                                            GError        **error);
const char   *vl_libvirt_last_error_message (void);

/* What libvirt's last error in this thread was, by its numbers (never by its text: libvirt's
 * messages come in the user's language). libvirt-gobject's GErrors always carry code 0, so read
 * this right after the failed gvir_* call, in the thread that made it, before any other libvirt
 * call resets it. code is VIR_ERR_OK when libvirt left no error. */
typedef struct {
  int code;        /* virErrorNumber */
  int origin;      /* virErrorDomain: the part of libvirt that reported it */
  int sys_errno;   /* for VIR_ERR_SYSTEM_ERROR: the errno behind it, else 0 */
} VlLibvirtError;

VlLibvirtError vl_libvirt_last_error   (void);

/* The GError domain whose codes are libvirt's virErrorNumber values. */
#define VL_LIBVIRT_ERROR (vl_libvirt_error_quark ())
GQuark        vl_libvirt_error_quark   (void);
/* libvirt-gobject's *error (code 0) becomes one in VL_LIBVIRT_ERROR with the code of libvirt's last
 * error in this thread, its message kept; returns that error's numbers. */
VlLibvirtError vl_libvirt_error_carry_code (GError **error);

G_END_DECLS
