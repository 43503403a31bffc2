/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlReadOrder: results of asynchronous reads finishing out of order (issue 15 item 3). */
#include "config.h"

#include "vl-read-order.h"

/* Two reads of one guest: the newer one finishes first, the older one after it is dropped. */
static void
test_older_after_newer_is_dropped (void)
{
  g_autoptr(VlReadOrder) order = vl_read_order_new ();
  guint64 read_shut_off = vl_read_order_begin (order);
  guint64 read_running = vl_read_order_begin (order);

  g_assert_cmpuint (read_running, >, read_shut_off);
  g_assert_true (vl_read_order_accept (order, "uuid-a", read_running));
  g_assert_false (vl_read_order_accept (order, "uuid-a", read_shut_off));
  g_assert_cmpuint (vl_read_order_get_n_dropped (order), ==, 1);
}

/* In order, every result is applied. */
static void
test_in_order_all_applied (void)
{
  g_autoptr(VlReadOrder) order = vl_read_order_new ();
  guint64 tickets[5];

  for (guint i = 0; i < G_N_ELEMENTS (tickets); i++)
    tickets[i] = vl_read_order_begin (order);
  for (guint i = 0; i < G_N_ELEMENTS (tickets); i++)
    g_assert_true (vl_read_order_accept (order, "uuid-a", tickets[i]));
  g_assert_cmpuint (vl_read_order_get_n_dropped (order), ==, 0);
}

/* Keys are independent: guest B's newer read does not make guest A's older read stale. */
static void
test_keys_are_independent (void)
{
  g_autoptr(VlReadOrder) order = vl_read_order_new ();
  guint64 a = vl_read_order_begin (order);
  guint64 b = vl_read_order_begin (order);

  g_assert_true (vl_read_order_accept (order, "uuid-b", b));
  g_assert_true (vl_read_order_accept (order, "uuid-a", a));
}

/* The first listing takes one ticket for every guest: an event's read started after it and
 * finished before it wins for that guest, the listing still fills the others. */
static void
test_listing_against_event_reads (void)
{
  g_autoptr(VlReadOrder) order = vl_read_order_new ();
  guint64 listing = vl_read_order_begin (order);
  guint64 event = vl_read_order_begin (order);

  g_assert_true (vl_read_order_accept (order, "uuid-a", event));
  g_assert_false (vl_read_order_accept (order, "uuid-a", listing));
  g_assert_true (vl_read_order_accept (order, "uuid-b", listing));
}

/* Every permutation of finishing order of four reads: what stays applied is the newest one, and
 * the sequence of applied tickets only grows. */
static void
permute (guint64 *t, guint k, guint n, guint *count)
{
  if (k == n)
    {
      g_autoptr(VlReadOrder) order = vl_read_order_new ();
      guint64 begun[4];
      guint64 last = 0;

      for (guint i = 0; i < n; i++)
        begun[i] = vl_read_order_begin (order);
      for (guint i = 0; i < n; i++)
        {
          guint64 ticket = begun[t[i]];

          if (vl_read_order_accept (order, "uuid", ticket))
            {
              g_assert_cmpuint (ticket, >, last);
              last = ticket;
            }
        }
      g_assert_cmpuint (last, ==, begun[n - 1]);
      (*count)++;
      return;
    }
  for (guint i = k; i < n; i++)
    {
      guint64 tmp = t[k]; t[k] = t[i]; t[i] = tmp;
      permute (t, k + 1, n, count);
      tmp = t[k]; t[k] = t[i]; t[i] = tmp;
    }
}

static void
test_every_finishing_order (void)
{
  guint64 order[4] = { 0, 1, 2, 3 };
  guint count = 0;

  permute (order, 0, 4, &count);
  g_assert_cmpuint (count, ==, 24);
}

/* A guest undefined and defined again (same UUID) starts afresh. */
static void
test_forget (void)
{
  g_autoptr(VlReadOrder) order = vl_read_order_new ();
  guint64 old = vl_read_order_begin (order);
  guint64 newer = vl_read_order_begin (order);

  g_assert_true (vl_read_order_accept (order, "uuid-a", newer));
  vl_read_order_forget (order, "uuid-a");
  g_assert_true (vl_read_order_accept (order, "uuid-a", old));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/read-order/older-after-newer-is-dropped", test_older_after_newer_is_dropped);
  g_test_add_func ("/read-order/in-order-all-applied", test_in_order_all_applied);
  g_test_add_func ("/read-order/keys-are-independent", test_keys_are_independent);
  g_test_add_func ("/read-order/listing-against-event-reads", test_listing_against_event_reads);
  g_test_add_func ("/read-order/every-finishing-order", test_every_finishing_order);
  g_test_add_func ("/read-order/forget", test_forget);
  return g_test_run ();
}
