/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The raw libvirt side of a GVirConnection, for the calls libvirt-gobject does not wrap. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
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

void
vl_libvirt_set_last_error (GError **error, const char *what, const GError *fallback)
{
  virErrorPtr verr = virGetLastError ();
  int code = verr != NULL ? verr->code : VIR_ERR_OK;
  const char *detail = verr != NULL && verr->message != NULL ? verr->message
                       : fallback != NULL ? fallback->message : "";
  VlError vl_code = VL_ERROR_FAILED;

  switch (code)
    {
    case VIR_ERR_NO_SUPPORT:
    case VIR_ERR_OPERATION_UNSUPPORTED:
    case VIR_ERR_CONFIG_UNSUPPORTED:
      vl_code = VL_ERROR_UNSUPPORTED;
      break;
    case VIR_ERR_NO_DOMAIN:
    case VIR_ERR_NO_DOMAIN_SNAPSHOT:
    case VIR_ERR_NO_STORAGE_POOL:
    case VIR_ERR_NO_STORAGE_VOL:
      vl_code = VL_ERROR_NOT_FOUND;
      break;
    default:
      break;
    }
  g_set_error (error, VL_ERROR, vl_code, "%s %s", what, detail);
}

G_DEFINE_QUARK (vl-libvirt-error-quark, vl_libvirt_error)

VlLibvirtError
vl_libvirt_last_error (void)
{
  virErrorPtr verr = virGetLastError ();
  VlLibvirtError info = { VIR_ERR_OK, VIR_FROM_NONE, 0 };

  if (verr == NULL)
    return info;
  info.code = verr->code;
  info.origin = verr->domain;
  /* virReportSystemError keeps the errno in int1. */
  info.sys_errno = verr->code == VIR_ERR_SYSTEM_ERROR && verr->int1 > 0 ? verr->int1 : 0;
  return info;
}

VlLibvirtError
vl_libvirt_error_carry_code (GError **error)
{
  VlLibvirtError info = vl_libvirt_last_error ();

  if (error != NULL && *error != NULL && (*error)->domain != VL_LIBVIRT_ERROR)
    {
      GError *carried = g_error_new_literal (VL_LIBVIRT_ERROR, info.code, (*error)->message);

      g_error_free (*error);
      *error = carried;
    }
  return info;
}

void
vl_domain_list_free (virDomainPtr *list)
{
  for (virDomainPtr *p = list; p != NULL && *p != NULL; p++)
    virDomainFree (*p);
  free (list);
}

void
vl_network_list_free (virNetworkPtr *list)
{
  for (virNetworkPtr *p = list; p != NULL && *p != NULL; p++)
    virNetworkFree (*p);
  free (list);
}

void
vl_storage_pool_list_free (virStoragePoolPtr *list)
{
  for (virStoragePoolPtr *p = list; p != NULL && *p != NULL; p++)
    virStoragePoolFree (*p);
  free (list);
}

void
vl_typed_params_clear (VlTypedParams *params)
{
  if (params->params != NULL)
    virTypedParamsFree (params->params, params->n);
  params->params = NULL;
  params->n = params->max = 0;
}
