/* The raw libvirt side of a GVirConnection, for the calls libvirt-gobject does not wrap. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/virterror.h>

#include "vl-error.h"
#include "vl-libvirt-handle.h"

/* Our own reference (release it with virConnectClose): the GVirConnection may be closed
 * meanwhile, from the main thread, while a worker thread still reads the host. */
virConnectPtr
vl_libvirt_handle_get (GVirConnection *conn, GError **error)
{
  virConnectPtr vconn = NULL;

  g_object_get (conn, "handle", &vconn, NULL);
  if (vconn == NULL)
    g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("The connection is closed."));
  return vconn;
}

/* libvirt keeps the last error per thread; a failed call may leave none, or one without text. */
const char *
vl_libvirt_last_error_message (void)
{
  virErrorPtr verr = virGetLastError ();

  return verr != NULL && verr->message != NULL ? verr->message : _("unknown error");
}
