/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "busy" state, once (see vl-busy.h).
 *
 * An object that implements VlBusy is busy while any of these holds:
 *  - more vl_busy_begin() than vl_busy_end() calls were made (work started and not yet finished);
 *  - a reason was set with vl_busy_set (self, REASON, TRUE) and not cleared (a state the object is in,
 *    such as "connecting": setting it twice is the same as once);
 *  - a part it follows (vl_busy_follow) is busy.
 * "busy" is notified only when the answer changes. Main thread only, like the widgets that use it. */
#include "config.h"

#include "vl-busy.h"

G_DEFINE_INTERFACE (VlBusy, vl_busy, G_TYPE_OBJECT)

typedef struct
{
  GObject *owner;
  guint count;
  GHashTable *reasons; /* gconstpointer set */
  GPtrArray *parts;    /* followed objects, weakly referenced */
} BusyState;

static GQuark
state_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("vl-busy-state");
  return quark;
}

static void part_gone (gpointer data, GObject *where_the_part_was);

static void
busy_state_free (BusyState *state)
{
  for (guint i = 0; i < state->parts->len; i++)
    g_object_weak_unref (g_ptr_array_index (state->parts, i), part_gone, state);
  g_ptr_array_unref (state->parts);
  g_hash_table_unref (state->reasons);
  g_free (state);
}

static BusyState *
busy_state (VlBusy *self)
{
  BusyState *state = g_object_get_qdata (G_OBJECT (self), state_quark ());

  if (state == NULL)
    {
      state = g_new0 (BusyState, 1);
      state->owner = G_OBJECT (self);
      state->reasons = g_hash_table_new (NULL, NULL);
      state->parts = g_ptr_array_new ();
      g_object_set_qdata_full (G_OBJECT (self), state_quark (), state, (GDestroyNotify) busy_state_free);
    }
  return state;
}

static gboolean
state_busy (BusyState *state)
{
  return state->count > 0 || g_hash_table_size (state->reasons) > 0;
}

static void
vl_busy_default_init (VlBusyInterface *iface)
{
  g_object_interface_install_property (iface,
                                       g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                               G_PARAM_EXPLICIT_NOTIFY));
}

/* In class_init: the class's "busy" is the interface's; its get_property answers vl_busy_get(). */
void
vl_busy_class_install (GObjectClass *klass, guint prop_id)
{
  g_return_if_fail (g_type_is_a (G_OBJECT_CLASS_TYPE (klass), VL_TYPE_BUSY));
  g_object_class_override_property (klass, prop_id, "busy");
}

gboolean
vl_busy_get (VlBusy *self)
{
  BusyState *state;

  g_return_val_if_fail (VL_IS_BUSY (self), FALSE);
  state = g_object_get_qdata (G_OBJECT (self), state_quark ());
  return state != NULL && state_busy (state);
}

static void
notify_if_changed (BusyState *state, gboolean was_busy)
{
  if (was_busy != state_busy (state))
    g_object_notify (state->owner, "busy");
}

void
vl_busy_begin (VlBusy *self)
{
  BusyState *state;
  gboolean was_busy;

  g_return_if_fail (VL_IS_BUSY (self));
  state = busy_state (self);
  was_busy = state_busy (state);
  state->count++;
  notify_if_changed (state, was_busy);
}

void
vl_busy_end (VlBusy *self)
{
  BusyState *state;
  gboolean was_busy;

  g_return_if_fail (VL_IS_BUSY (self));
  state = busy_state (self);
  g_return_if_fail (state->count > 0);
  was_busy = state_busy (state);
  state->count--;
  notify_if_changed (state, was_busy);
}

/* REASON is any constant address: a static string ("checking") or a followed part. */
void
vl_busy_set (VlBusy *self, gconstpointer reason, gboolean busy)
{
  BusyState *state;
  gboolean was_busy;

  g_return_if_fail (VL_IS_BUSY (self));
  g_return_if_fail (reason != NULL);
  state = busy_state (self);
  was_busy = state_busy (state);
  if (busy)
    g_hash_table_add (state->reasons, (gpointer) reason);
  else
    g_hash_table_remove (state->reasons, reason);
  notify_if_changed (state, was_busy);
}

static void
part_notify (GObject *part, GParamSpec *pspec, gpointer user_data)
{
  vl_busy_set (VL_BUSY (user_data), part, vl_busy_get (VL_BUSY (part)));
}

/* A part finalized while busy no longer keeps its owner busy. */
static void
part_gone (gpointer data, GObject *where_the_part_was)
{
  BusyState *state = data;
  gboolean was_busy = state_busy (state);

  g_ptr_array_remove (state->parts, where_the_part_was);
  g_hash_table_remove (state->reasons, where_the_part_was);
  notify_if_changed (state, was_busy);
}

/* SELF is busy while PART is (a page while its list reads, say). Either may be finalized first. */
void
vl_busy_follow (VlBusy *self, VlBusy *part)
{
  BusyState *state;

  g_return_if_fail (VL_IS_BUSY (self));
  g_return_if_fail (VL_IS_BUSY (part));
  state = busy_state (self);
  g_return_if_fail (!g_ptr_array_find (state->parts, part, NULL));
  g_ptr_array_add (state->parts, part);
  g_object_weak_ref (G_OBJECT (part), part_gone, state);
  g_signal_connect_object (part, "notify::busy", G_CALLBACK (part_notify), self, 0);
  vl_busy_set (self, part, vl_busy_get (part));
}
