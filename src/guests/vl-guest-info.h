/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the guest list shows about each guest, read off the main loop in one pass per connection. */
#pragma once

#include "vl-gvir-autoptr.h"

G_BEGIN_DECLS

typedef struct
{
  char    *uuid;
  char    *name;
  int      state;          /* virDomainState */
  guint    vcpus;
  guint64  memory_kib;
  guint64  cpu_time_ns;
  char    *os_type;        /* "hvm", "xen", … */
  char    *os_id;          /* libosinfo id from the domain's metadata, or NULL */
  char    *os_name;        /* libosinfo's name for os_id, or NULL */
} VlGuestInfo;

#define VL_TYPE_GUEST_INFO (vl_guest_info_get_type ())
GType        vl_guest_info_get_type     (void);
VlGuestInfo *vl_guest_info_copy         (const VlGuestInfo *info);
void         vl_guest_info_free         (VlGuestInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlGuestInfo, vl_guest_info_free)

void         vl_guest_info_list_async   (GVirConnection      *conn,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray   *vl_guest_info_list_finish  (GVirConnection      *conn,
                                         GAsyncResult        *result,
                                         GError             **error);
void         vl_guest_info_read_async   (GVirDomain          *domain,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
VlGuestInfo *vl_guest_info_read_finish  (GVirDomain          *domain,
                                         GAsyncResult        *result,
                                         GError             **error);

const char  *vl_guest_state_to_string   (int                  state);
const char  *vl_guest_os_type_to_string (const char          *os_type);
gboolean     vl_guest_info_parse_xml    (const char          *domain_xml,
                                         char               **os_type,
                                         char               **os_id);
const char  *vl_guest_os_name_for_id    (const char          *os_id);
double       vl_guest_cpu_usage         (guint64              previous_ns,
                                         guint64              now_ns,
                                         gint64               elapsed_us,
                                         guint                vcpus);

G_END_DECLS
