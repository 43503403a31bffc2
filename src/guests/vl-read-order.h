/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlReadOrder: asynchronous reads of one thing (a guest, by UUID) applied newest-first-wins.
 *
 * Each read takes a ticket when it starts; when it finishes, its result is applied only if no read
 * that started later has been applied already. A read that finishes after a newer one is stale
 * (it saw the guest earlier) and is dropped. One counter serves every key, so a read of all keys
 * (the first listing) can take one ticket and be compared with each key's reads. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _VlReadOrder VlReadOrder;

VlReadOrder *vl_read_order_new    (void);
void         vl_read_order_free   (VlReadOrder *self);
/* The ticket of a read starting now; tickets only grow. */
guint64      vl_read_order_begin  (VlReadOrder *self);
/* TRUE when a read of @key with @ticket is to be applied (and notes it as applied); FALSE when a
 * read that started later was applied first. */
gboolean     vl_read_order_accept (VlReadOrder *self,
                                   const char  *key,
                                   guint64      ticket);
/* The key is gone (the guest was undefined): its history is dropped. */
void         vl_read_order_forget (VlReadOrder *self,
                                   const char  *key);
guint        vl_read_order_get_n_dropped (VlReadOrder *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VlReadOrder, vl_read_order_free)

G_END_DECLS
