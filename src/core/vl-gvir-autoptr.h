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
