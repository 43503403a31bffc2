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

/* vl_main_context_post_progress: the fraction and a copy of the text reach the function in the
 * context's thread, in order; a NULL function posts nothing. */
typedef struct
{
  GThread *main_thread;
  guint calls;
  double last;
  char *text;
} Progress;

static void
on_progress (double fraction, const char *text, gpointer user_data)
{
  Progress *p = user_data;

  g_assert_true (g_thread_self () == p->main_thread);
  g_assert_cmpfloat (fraction, >, p->last);
  p->last = fraction;
  g_free (p->text);
  p->text = g_strdup (text);
  p->calls++;
}

static gpointer
progress_worker (gpointer user_data)
{
  for (guint i = 1; i <= 10; i++)
    {
      g_autofree char *text = g_strdup_printf ("step %u", i);

      vl_main_context_post_progress (g_main_context_default (), on_progress, i / 10.0, text, user_data);
      vl_main_context_post_progress (g_main_context_default (), NULL, i / 10.0, text, user_data);
    }
  return NULL;
}

static void
test_post_progress (void)
{
  Progress p = { g_thread_self (), 0, 0, NULL };
  GThread *thread = g_thread_new ("worker", progress_worker, &p);

  g_thread_join (thread);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (p.calls, ==, 10);
  g_assert_cmpfloat (p.last, ==, 1.0);
  g_assert_cmpstr (p.text, ==, "step 10"); /* the worker's string is gone by now: a copy arrived */
  g_free (p.text);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/main-context/post", test_post);
  g_test_add_func ("/main-context/post-progress", test_post_progress);
  return g_test_run ();
}
