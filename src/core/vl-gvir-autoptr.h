/* SPDX-License-Identifier: GPL-3.0-or-later */
/* g_autoptr support for the libvirt-glib types, which do not declare it themselves. */
#pragma once

#include <libvirt-gobject/libvirt-gobject.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConnection, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirDomain, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirNetwork, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirStoragePool, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirStorageVol, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomain, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigCapabilities, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigObject, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigCapabilitiesHost, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigCapabilitiesCpu, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigCapabilitiesCpuModel, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigCapabilitiesGuestArch, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePool, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStoragePoolTarget, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainOs, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVol, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVolTarget, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainDisk, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainDiskDriver, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainClock, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainChardevSourcePty, g_object_unref)

/* The boxed info structures libvirt-gobject returns. */
static inline void vl_gvir_node_info_free (GVirNodeInfo *info) { g_boxed_free (gvir_node_info_get_type (), info); }
static inline void vl_gvir_domain_info_free (GVirDomainInfo *info) { g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info); }
static inline void vl_gvir_storage_pool_info_free (GVirStoragePoolInfo *info)
{
  g_boxed_free (GVIR_TYPE_STORAGE_POOL_INFO, info);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirNodeInfo, vl_gvir_node_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirDomainInfo, vl_gvir_domain_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirStoragePoolInfo, vl_gvir_storage_pool_info_free)
