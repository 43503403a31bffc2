/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helpers for the guest creator: open a connection, describe the host, create, serve an install tree. */
#pragma once

#include "vl-guest-creator.h"
#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

GVirConnection *vl_test_open_connection   (const char     *uri);
void            vl_test_describe          (VlGuestCreator *creator,
                                           VlGuestSpec    *spec);
GVirDomain     *vl_test_create            (VlGuestCreator *creator,
                                           VlGuestSpec    *spec,
                                           gboolean        start,
                                           GCancellable   *cancellable,
                                           GError        **error);
GSubprocess    *vl_test_start_http_server (const char     *root,
                                           int            *port);
void            vl_test_write_file        (const char     *dir,
                                           const char     *relative,
                                           const char     *contents,
                                           gssize          length);

G_END_DECLS
