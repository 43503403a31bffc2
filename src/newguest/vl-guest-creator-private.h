/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What VlGuestCreator's two halves share inside the new-guest room: the object's fields and the
 * helpers both describing the host (vl-guest-creator-host.c) and creating the guest
 * (vl-guest-creator.c) use. */
#pragma once

#include "vl-guest-creator.h"

G_BEGIN_DECLS

struct _VlGuestCreator
{
  GObject parent_instance;

  GVirConnection *connection;
  char *default_pool_dir;
  char *boot_dir;
  char **networks;
  GPtrArray *pools;
  gboolean has_pools;
};

/* The pool the assistant proposes, listed first. */
#define DEFAULT_POOL "default"

/* Whether the connection is to this computer (no host in its URI). */
gboolean vl_guest_creator_is_local (VlGuestCreator *self);
void vl_guest_creator_pool_free (VlGuestPool *pool);
/* The folder a storage pool keeps its volumes in, or NULL where its configuration cannot be read. */
char *vl_guest_creator_pool_target_dir (GVirStoragePool *pool);
/* Where the embedded QEMU driver keeps disks on this creator's connection, or NULL for any other driver. */
char *vl_guest_creator_image_dir (VlGuestCreator *self);

G_END_DECLS
