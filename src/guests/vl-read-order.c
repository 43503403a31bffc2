/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlReadOrder: drops the results of asynchronous reads that finish after a newer read of the same key. */
#include "config.h"

#include "vl-read-order.h"

struct _VlReadOrder
{
  guint64 next_ticket;
  GHashTable *applied;   /* key -> guint64* ticket of the newest applied read */
  guint n_dropped;
};

VlReadOrder *
vl_read_order_new (void)
{
  VlReadOrder *self = g_new0 (VlReadOrder, 1);

  self->next_ticket = 1;
  self->applied = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
vl_read_order_free (VlReadOrder *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->applied);
  g_free (self);
}

guint64
vl_read_order_begin (VlReadOrder *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->next_ticket++;
}

gboolean
vl_read_order_accept (VlReadOrder *self, const char *key, guint64 ticket)
{
  guint64 *applied;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  applied = g_hash_table_lookup (self->applied, key);
  if (applied != NULL && *applied > ticket)
    {
      self->n_dropped++;
      return FALSE;
    }
  if (applied == NULL)
    {
      applied = g_new (guint64, 1);
      g_hash_table_insert (self->applied, g_strdup (key), applied);
    }
  *applied = ticket;
  return TRUE;
}

void
vl_read_order_forget (VlReadOrder *self, const char *key)
{
  g_return_if_fail (self != NULL);
  if (key != NULL)
    g_hash_table_remove (self->applied, key);
}

guint
vl_read_order_get_n_dropped (VlReadOrder *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_dropped;
}
