/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vl_main_context_post: from a worker, every function runs in the thread that runs the context, in the
 * order posted, and its data is freed after; even while the main thread is between two iterations
 * (where g_main_context_invoke() would run it in the worker). */
#include "config.h"

#include "vl-main-context.h"

typedef struct
{
  GThread *main_thread;
  GPtrArray *order;
  guint freed;
} State;

typedef struct
{
  State *state;
  guint n;
} Item;

static State state;

static gboolean
record (gpointer user_data)
{
  Item *item = user_data;

  g_assert_true (g_thread_self () == item->state->main_thread);
  g_ptr_array_add (item->state->order, GUINT_TO_POINTER (item->n));
  return G_SOURCE_REMOVE;
}

static void
item_free (gpointer user_data)
{
  Item *item = user_data;

  item->state->freed++;
  g_free (item);
}

static gpointer
worker (gpointer user_data)
{
  for (guint i = 0; i < 100; i++)
    {
      Item *item = g_new0 (Item, 1);

      item->state = &state;
      item->n = i;
      vl_main_context_post (g_main_context_default (), record, item, item_free);
      g_usleep (100);
    }
  return NULL;
}

static void
test_post (void)
{
  GThread *thread;

  state.main_thread = g_thread_self ();
  state.order = g_ptr_array_new ();
  thread = g_thread_new ("worker", worker, NULL);
  while (state.order->len < 100)
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  for (guint i = 0; i < 100; i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (state.order, i)), ==, i);
  g_assert_cmpuint (state.freed, ==, 100);
  g_ptr_array_unref (state.order);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/main-context/post", test_post);
  return g_test_run ();
}
