/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Clone a guest like virt-clone: a new name, UUID and MAC addresses, every writable disk copied (with
 * libvirt's volume copy in the disk's own pool, or with qemu-img where the disk is in no pool), read-only
 * media shared; nothing of the clone is left when it fails or is cancelled. GTK-free. */
#pragma once

#include <libvirt-gobject/libvirt-gobject.h>

G_BEGIN_DECLS

/* Pure: the clone's definition from the source's (inactive) XML: NEW_NAME, no UUID and no MAC
 * addresses (libvirt makes new ones), no UEFI variables file (libvirt makes a new one from its
 * template), and each disk whose target is a key of NEW_SOURCES pointing at its new file
 * (value: a path) or, for disks given as pool volumes, its new volume (value: a volume name). */
char     *vl_guest_clone_xml          (const char   *source_xml,
                                       const char   *new_name,
                                       GHashTable   *new_sources,
                                       GError      **error);

/* Pure: the file or volume name of a disk's copy: NEW_NAME plus the old name's extension, and for
 * any disk but the first, its target ("web-clone.qcow2", "web-clone-vdb.qcow2"). */
char     *vl_guest_clone_disk_name    (const char   *new_name,
                                       const char   *old_name,
                                       const char   *target,
                                       gboolean      first);

/* Progress, called in the caller's main context: FRACTION of all disks copied (0..1), and what is
 * being done, translated. */
typedef void (*VlCloneProgress) (double      fraction,
                                 const char *text,
                                 gpointer    user_data);

void      vl_guest_clone_async        (GVirDomain          *source,
                                       const char          *new_name,
                                       GCancellable        *cancellable,
                                       VlCloneProgress      progress,
                                       gpointer             progress_data,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
/* The clone's name, or NULL with the reason. */
char     *vl_guest_clone_finish       (GVirDomain          *source,
                                       GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
