/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The raw libvirt side of a GVirConnection, for the calls libvirt-gobject does not wrap, and automatic
 * cleanup for what those calls return (libvirt declares none), so no error path frees by hand. */
#pragma once

#include <libvirt/libvirt.h>
#include <libvirt-gobject/libvirt-gobject.h>

G_BEGIN_DECLS

virConnectPtr vl_libvirt_handle_get        (GVirConnection *conn,
                                            GError        **error);
const char   *vl_libvirt_last_error_message (void);
/* libvirt's last error in this thread as a VL_ERROR for the user: "WHAT libvirt's message", coded by
 * libvirt's code (a refusal of the driver is VL_ERROR_UNSUPPORTED, a missing guest, snapshot, pool or
 * volume VL_ERROR_NOT_FOUND, the rest VL_ERROR_FAILED). FALLBACK gives the text when libvirt left none
 * (NULL: none). Call it right after the failed call, in the thread that made it. */
void          vl_libvirt_set_last_error     (GError        **error,
                                             const char     *what,
                                             const GError   *fallback);

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

/* g_autoptr(virConnect), g_autoptr(virDomain), …: each releases its one reference. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virConnect, virConnectClose)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virDomain, virDomainFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virNetwork, virNetworkFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virStoragePool, virStoragePoolFree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (virStorageVol, virStorageVolFree)

/* The lists virConnectListAll*() fill: NULL-terminated arrays of references, each freed, then the
 * array. g_autoptr(VlDomainList) doms = NULL; virConnectListAllDomains (vconn, &doms, 0); */
typedef virDomainPtr      VlDomainList;
typedef virNetworkPtr     VlNetworkList;
typedef virStoragePoolPtr VlStoragePoolList;
/* virConnectGetAllDomainStats()'s records (NULL-terminated, as libvirt documents). */
typedef virDomainStatsRecordPtr VlDomainStatsList;

void vl_domain_list_free       (virDomainPtr      *list);
void vl_network_list_free      (virNetworkPtr     *list);
void vl_storage_pool_list_free (virStoragePoolPtr *list);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlDomainList, vl_domain_list_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlNetworkList, vl_network_list_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlStoragePoolList, vl_storage_pool_list_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlDomainStatsList, virDomainStatsRecordListFree)

/* A virTypedParameter array and its length, as the *Parameters() calls fill them:
 * g_auto(VlTypedParams) p = VL_TYPED_PARAMS_INIT; virDomainGetMemoryParameters (dom, p.params…). */
typedef struct
{
  virTypedParameterPtr params;
  int                  n;
  int                  max;   /* for virTypedParamsAdd*() */
} VlTypedParams;

#define VL_TYPED_PARAMS_INIT { NULL, 0, 0 }

void vl_typed_params_clear (VlTypedParams *params);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VlTypedParams, vl_typed_params_clear)

/* A string libvirt allocated (virDomainGetXMLDesc, virConnectGetHostname…): GLib's allocator is the
 * system's since GLib 2.46, so g_autofree frees it. */

G_END_DECLS
