/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checking this computer off the main loop: the probe, plus rpm's package list on Fedora. */
#pragma once

#include <gio/gio.h>

#include "vl-host-probe.h"

G_BEGIN_DECLS

VlHostReport *vl_host_check_sync   (const char           *sysroot,
                                    GCancellable         *cancellable,
                                    GError              **error);
void          vl_host_check_async  (const char           *sysroot,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
VlHostReport *vl_host_check_finish (GAsyncResult         *result,
                                    GError              **error);

int           vl_host_print_install_plan (const char *target,
                                          const char *distribution,
                                          const char *sysroot,
                                          gboolean    all_steps);

G_END_DECLS
