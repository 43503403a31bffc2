/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A network install still to run: noted in the guest's <metadata>, turned into the first start's configuration. */
#pragma once

#include <libvirt-gconfig/libvirt-gconfig.h>

G_BEGIN_DECLS

/* Virtlab's namespace in a domain's <metadata> (virsh metadata NAME URI shows it). */
#define VL_PENDING_INSTALL_NS     "virtlab"
#define VL_PENDING_INSTALL_NS_URI "https://virtlab.org/xmlns/libvirt/domain/install/1.0"

/* Notes in config that its first start boots this installer kernel, initrd and command line. */
gboolean          vl_pending_install_add          (GVirConfigDomain  *config,
                                                   const char        *kernel,
                                                   const char        *initrd,
                                                   const char        *cmdline,
                                                   GError           **error);
gboolean          vl_pending_install_is_pending   (GVirConfigDomain  *config);
/* The configuration for the one start that runs the installer: config without the note and its
 * bootloader, booting the installer kernel, ending on the installer's reboot. NULL without an error
 * when nothing is pending. */
GVirConfigDomain *vl_pending_install_boot_config  (GVirConfigDomain  *config,
                                                   GError           **error);

G_END_DECLS
