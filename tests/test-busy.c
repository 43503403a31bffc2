/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of vl-busy (src/widgets/vl-busy.c): the "busy" state every page and widget shares. */
#include <locale.h>

#include "vl-busy.h"
#include "vl-console.h"
#include "vl-guest-list.h"
#include "vl-guests-page.h"
#include "vl-host-details.h"
#include "vl-host-page.h"
#include "vl-results-page.h"

#define TEST_TYPE_WORKER (test_worker_get_type ())
G_DECLARE_FINAL_TYPE (TestWorker, test_worker, TEST, WORKER, GObject)

struct _TestWorker
{
  GObject parent_instance;
  guint notified;
};

static void
test_worker_busy_init (VlBusyInterface *iface)
{
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestWorker, test_worker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (VL_TYPE_BUSY, test_worker_busy_init))

enum { PROP_0, PROP_BUSY };

static void
test_worker_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == PROP_BUSY)
    g_value_set_boolean (value, vl_busy_get (VL_BUSY (object)));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
test_worker_notify (GObject *object, GParamSpec *pspec)
{
  if (g_str_equal (pspec->name, "busy"))
    TEST_WORKER (object)->notified++;
}

static void
test_worker_class_init (TestWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_worker_get_property;
  object_class->notify = test_worker_notify;
  vl_busy_class_install (object_class, PROP_BUSY);
}

static void
test_worker_init (TestWorker *self)
{
}

static gboolean
busy_property (gpointer object)
{
  gboolean busy = FALSE;

  g_object_get (object, "busy", &busy, NULL);
  /* The property and the function agree. */
  g_assert_cmpint (busy, ==, vl_busy_get (VL_BUSY (object)));
  return busy;
}

static void
test_count (void)
{
  g_autoptr(TestWorker) w = g_object_new (TEST_TYPE_WORKER, NULL);

  g_assert_false (busy_property (w));
  vl_busy_begin (VL_BUSY (w));
  vl_busy_begin (VL_BUSY (w));
  g_assert_true (busy_property (w));
  g_assert_cmpuint (w->notified, ==, 1); /* only when the answer changes */
  vl_busy_end (VL_BUSY (w));
  g_assert_true (busy_property (w)); /* one piece of work is still running */
  vl_busy_end (VL_BUSY (w));
  g_assert_false (busy_property (w));
  g_assert_cmpuint (w->notified, ==, 2);

  /* One end too many is a programming error: refused, and the count stays at zero. */
  g_test_expect_message ("Virtlab", G_LOG_LEVEL_CRITICAL, "*count > 0*");
  vl_busy_end (VL_BUSY (w));
  g_test_assert_expected_messages ();
  g_assert_false (busy_property (w));
  vl_busy_begin (VL_BUSY (w));
  g_assert_true (busy_property (w));
}

static void
test_reasons (void)
{
  g_autoptr(TestWorker) w = g_object_new (TEST_TYPE_WORKER, NULL);

  vl_busy_set (VL_BUSY (w), "checking", TRUE);
  vl_busy_set (VL_BUSY (w), "checking", TRUE); /* a state, not a count: twice is once */
  vl_busy_set (VL_BUSY (w), "reading", TRUE);
  g_assert_cmpuint (w->notified, ==, 1);
  vl_busy_set (VL_BUSY (w), "checking", FALSE);
  g_assert_true (busy_property (w));
  vl_busy_set (VL_BUSY (w), "reading", FALSE);
  g_assert_false (busy_property (w));
  vl_busy_set (VL_BUSY (w), "reading", FALSE);
  g_assert_cmpuint (w->notified, ==, 2);

  /* Reasons and counted work add up. */
  vl_busy_begin (VL_BUSY (w));
  vl_busy_set (VL_BUSY (w), "checking", TRUE);
  vl_busy_end (VL_BUSY (w));
  g_assert_true (busy_property (w));
  vl_busy_set (VL_BUSY (w), "checking", FALSE);
  g_assert_false (busy_property (w));
  g_assert_cmpuint (w->notified, ==, 4);
}

static void
test_follow (void)
{
  g_autoptr(TestWorker) page = g_object_new (TEST_TYPE_WORKER, NULL);
  TestWorker *list = g_object_new (TEST_TYPE_WORKER, NULL);
  TestWorker *console = g_object_new (TEST_TYPE_WORKER, NULL);

  vl_busy_begin (VL_BUSY (console)); /* already busy when followed */
  vl_busy_follow (VL_BUSY (page), VL_BUSY (list));
  vl_busy_follow (VL_BUSY (page), VL_BUSY (console));
  g_assert_true (busy_property (page));
  vl_busy_end (VL_BUSY (console));
  g_assert_false (busy_property (page));
  vl_busy_begin (VL_BUSY (list));
  g_assert_true (busy_property (page));
  vl_busy_set (VL_BUSY (page), "loading", TRUE);
  vl_busy_end (VL_BUSY (list));
  g_assert_true (busy_property (page)); /* its own reason still holds */
  vl_busy_set (VL_BUSY (page), "loading", FALSE);
  g_assert_false (busy_property (page));

  /* A part finalized while busy leaves its owner idle. */
  vl_busy_begin (VL_BUSY (list));
  g_assert_true (busy_property (page));
  g_object_unref (list);
  g_assert_false (busy_property (page));

  /* An owner finalized before its part: the part lives on, and its changes reach no one. */
  g_clear_object (&page);
  vl_busy_begin (VL_BUSY (console));
  vl_busy_end (VL_BUSY (console));
  g_object_unref (console);
}

/* The six pages and widgets that have a "busy" state have it from here. */
static void
test_widgets (void)
{
  GType types[] = { VL_TYPE_RESULTS_PAGE, VL_TYPE_HOST_PAGE,    VL_TYPE_GUEST_LIST,
                    VL_TYPE_GUESTS_PAGE,  VL_TYPE_HOST_DETAILS, VL_TYPE_CONSOLE };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (types[i]);
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "busy");

      g_test_message ("%s", g_type_name (types[i]));
      g_assert_true (g_type_is_a (types[i], VL_TYPE_BUSY));
      g_assert_nonnull (pspec);
      /* find_property answers with the interface's own property, which the class overrides. */
      g_assert_true (pspec->owner_type == VL_TYPE_BUSY);
    }
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/busy/count", test_count);
  g_test_add_func ("/busy/reasons", test_reasons);
  g_test_add_func ("/busy/follow", test_follow);
  g_test_add_func ("/busy/widgets", test_widgets);
  return g_test_run ();
}
