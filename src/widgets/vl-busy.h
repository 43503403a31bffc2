/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "busy" state, once: a read-only boolean property that pages and widgets share (the window waits
 * for it before a screenshot, a page's busy includes its parts'). GObject only, no GTK. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define VL_TYPE_BUSY (vl_busy_get_type ())
G_DECLARE_INTERFACE (VlBusy, vl_busy, VL, BUSY, GObject)

struct _VlBusyInterface
{
  GTypeInterface parent_iface;
};

void     vl_busy_class_install (GObjectClass  *klass,
                                guint          prop_id);
gboolean vl_busy_get           (VlBusy        *self);
void     vl_busy_begin         (VlBusy        *self);
void     vl_busy_end           (VlBusy        *self);
void     vl_busy_set           (VlBusy        *self,
                                gconstpointer  reason,
                                gboolean       busy);
void     vl_busy_follow        (VlBusy        *self,
                                VlBusy        *part);

G_END_DECLS
