/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The privileged helper's GRUB settings steps (write-grub-config, restore-grub-config). */
#pragma once

#include <glib.h>

#include "vl-helper-request.h"

G_BEGIN_DECLS

typedef struct {
  const char           *root;    /* "/" in production; a test's folder with --root */
  const VlHelperSystem *system;  /* the distribution decides the undo's end */
  GPtrArray            *output;  /* char *: what the step tells the runner's log, in order */
} VlHelperGrub;

/* ROOT/etc/default/grub.d/NAME := CONTENTS, atomically; an earlier version that is not Virtlab's
 * own text is kept as NAME~. */
gboolean vl_helper_grub_write   (VlHelperGrub *h,
                                 const char   *name,
                                 const char   *contents,
                                 GError      **error);
/* The undo: NAME~ put back as NAME (or NAME removed when there was none), then, on Debian and
 * Ubuntu, the computer left starting without Xen unless the earlier settings decide that. */
gboolean vl_helper_grub_restore (VlHelperGrub *h,
                                 const char   *name,
                                 GError      **error);

G_END_DECLS
