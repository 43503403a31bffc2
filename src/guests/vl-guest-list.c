/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The guest list of one connection: a tree view fed by libvirt events, with search and CPU sparklines. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "vl-busy.h"
#include "vl-guest-list.h"
#include "vl-guest-reads.h"
#include "vl-read-order.h"
#include "vl-sparkline-renderer.h"

/* The list's sparklines are a glance: every 2 s (a minute of history) halves the calls a daemon
 * with many guests answers, and leaves the app idle between samples. The selected guest's
 * Performance tab samples every second. */
#define SAMPLE_INTERVAL_MS 2000

enum {
  COL_DOMAIN, COL_UUID, COL_NAME, COL_STATE, COL_STATE_TEXT, COL_STATE_ICON, COL_OS, COL_VCPUS,
  COL_MEMORY_TEXT, COL_MEMORY_KIB, COL_CPU_HISTORY, COL_ROW, N_COLUMNS
};

typedef struct
{
  VlGuestInfo  *info;
  VlCpuHistory  history;
  GtkTreeIter   iter;    /* GtkListStore iters persist while the row exists */
  char         *name_key;
} Row;

struct _VlGuestList
{
  GtkBox parent_instance;

  GtkTreeView       *view;
  GtkLabel          *empty_label;
  GtkListStore      *store;
  GtkTreeModel      *filter;
  GtkTreeModel      *sort;

  GVirConnection    *conn;
  GHashTable        *rows;         /* uuid -> Row */
  VlReadOrder       *read_order;   /* per guest: a read that finishes after a newer one is dropped */
  guint              reads_in_flight;
  char              *filter_text;  /* casefolded */
  int                sort_column;
  GtkSortType        sort_order;
  GCancellable      *cancellable;
  guint64            list_ticket;
  guint              sample_id;
  gboolean           sampling;
  GMenuModel        *menu;         /* the guest's context menu, or NULL */
};

G_DEFINE_FINAL_TYPE_WITH_CODE (VlGuestList, vl_guest_list, GTK_TYPE_BOX,
                               G_IMPLEMENT_INTERFACE (VL_TYPE_BUSY, NULL))

enum { PROP_0, PROP_BUSY };
enum { SELECTION_CHANGED, GUEST_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
row_free (gpointer data)
{
  Row *row = data;

  vl_guest_info_free (row->info);
  g_free (row->name_key);
  g_free (row);
}

/* Says why the list is empty, so an empty connection does not look broken. */
static void
update_empty_label (VlGuestList *self)
{
  g_autofree char *text = NULL;

  if (self->conn == NULL || vl_busy_get (VL_BUSY (self)) ||
      gtk_tree_model_iter_n_children (self->sort, NULL) > 0)
    {
      gtk_widget_hide (GTK_WIDGET (self->empty_label));
      return;
    }
  if (g_hash_table_size (self->rows) > 0)
    text = g_strdup (_("No guest name matches the search."));
  else
    text = g_strdup (_("No guests on this connection yet. Use “New Guest…” to create one."));
  gtk_label_set_text (self->empty_label, text);
  gtk_widget_show (GTK_WIDGET (self->empty_label));
}

static void
set_busy (VlGuestList *self, gboolean busy)
{
  if (vl_busy_get (VL_BUSY (self)) == busy)
    return;
  vl_busy_set (VL_BUSY (self), "reading", busy);
  update_empty_label (self);
}

/* Reads of single guests started by libvirt's events and not yet back. */
guint
vl_guest_list_get_reads_in_flight (VlGuestList *self)
{
  g_return_val_if_fail (VL_IS_GUEST_LIST (self), 0);
  return self->reads_in_flight;
}

gboolean
vl_guest_list_get_busy (VlGuestList *self)
{
  g_return_val_if_fail (VL_IS_GUEST_LIST (self), FALSE);
  return vl_busy_get (VL_BUSY (self));
}

static const char *
state_icon (int state)
{
  switch (state)
    {
    case VIR_DOMAIN_RUNNING:
    case VIR_DOMAIN_BLOCKED: return "media-playback-start-symbolic";
    case VIR_DOMAIN_PAUSED: return "media-playback-pause-symbolic";
    case VIR_DOMAIN_CRASHED: return "dialog-error-symbolic";
    case VIR_DOMAIN_PMSUSPENDED: return "weather-clear-night-symbolic";
    default: return "media-playback-stop-symbolic";
    }
}

static void
fill_row (VlGuestList *self, Row *row)
{
  const VlGuestInfo *info = row->info;
  g_autofree char *memory = g_format_size_full (info->memory_kib * 1024, G_FORMAT_SIZE_IEC_UNITS);
  const char *os = info->os_name != NULL ? info->os_name : vl_guest_os_type_to_string (info->os_type);

  g_free (row->name_key);
  row->name_key = g_utf8_collate_key (info->name != NULL ? info->name : "", -1);
  gtk_list_store_set (self->store, &row->iter,
                      COL_NAME, info->name,
                      COL_STATE, info->state,
                      COL_STATE_TEXT, vl_guest_state_to_string (info->state),
                      COL_STATE_ICON, state_icon (info->state),
                      COL_OS, os,
                      COL_VCPUS, info->vcpus,
                      COL_MEMORY_TEXT, memory,
                      COL_MEMORY_KIB, info->memory_kib,
                      COL_CPU_HISTORY, &row->history,
                      -1);
}

static void domain_changed_cb (GVirDomain *domain, gpointer user_data);
static void detach_models (VlGuestList *self);
static void attach_models (VlGuestList *self);

static void
connect_domain (VlGuestList *self, GVirDomain *domain)
{
  static const char *const events[] = { "started", "stopped", "suspended", "resumed", "updated",
                                        "pmsuspended" };

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    g_signal_connect_object (domain, events[i], G_CALLBACK (domain_changed_cb), self, 0);
}

/* Takes ownership of info. */
static void
add_or_update (VlGuestList *self, GVirDomain *domain, VlGuestInfo *info)
{
  Row *row = g_hash_table_lookup (self->rows, info->uuid);

  if (row != NULL)
    {
      vl_guest_info_free (row->info);
      row->info = info;
      if (info->state != VIR_DOMAIN_RUNNING && info->state != VIR_DOMAIN_BLOCKED)
        row->history.n_points = 0;
      fill_row (self, row);
      return;
    }

  row = g_new0 (Row, 1);
  row->info = info;
  row->history.last_cpu_ns = info->cpu_time_ns;
  row->history.last_sample_us = g_get_monotonic_time ();
  /* All values at once: the sorted view places a row once, not once per column. */
  gtk_list_store_insert_with_values (self->store, &row->iter, -1,
                                     COL_DOMAIN, domain, COL_UUID, info->uuid, COL_NAME, info->name,
                                     COL_ROW, row, -1);
  g_hash_table_insert (self->rows, g_strdup (info->uuid), row);
  connect_domain (self, domain);
  fill_row (self, row);
}

/* One read of one guest, started by a libvirt event. */
typedef struct
{
  VlGuestList *self;
  guint64 ticket;
} ReadCall;

static void
read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ReadCall *call = user_data;
  g_autoptr(VlGuestList) self = call->self;
  guint64 ticket = call->ticket;
  GVirDomain *domain = GVIR_DOMAIN (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirDomain) current = NULL;
  VlGuestInfo *info;

  g_free (call);
  info = vl_guest_info_read_finish (domain, result, &error);
  self->reads_in_flight--;
  /* Reads run in worker threads and finish in any order: one that started before a read already
   * shown saw an older state ("Shut off" of a guest started since) and must not replace it. */
  if (info == NULL || self->conn == NULL || !vl_read_order_accept (self->read_order, info->uuid, ticket))
    {
      vl_guest_info_free (info);
      return;
    }
  /* The guest may have been removed while its details were read. */
  current = gvir_connection_get_domain (self->conn, info->uuid);
  if (current == NULL)
    {
      vl_guest_info_free (info);
      return;
    }
  add_or_update (self, current, info);
  update_empty_label (self);
  g_signal_emit (self, signals[GUEST_CHANGED], 0, current);
}

static void
read_guest (VlGuestList *self, GVirDomain *domain)
{
  ReadCall *call = g_new (ReadCall, 1);

  call->self = g_object_ref (self);
  call->ticket = vl_read_order_begin (self->read_order);
  self->reads_in_flight++;
  vl_guest_info_read_async (domain, self->cancellable, read_done, call);
}

static void
domain_changed_cb (GVirDomain *domain, gpointer user_data)
{
  read_guest (user_data, domain);
}

static void
domain_added_cb (GVirConnection *conn, GVirDomain *domain, gpointer user_data)
{
  read_guest (user_data, domain);
}

static void
domain_removed_cb (GVirConnection *conn, GVirDomain *domain, gpointer user_data)
{
  VlGuestList *self = user_data;
  const char *uuid = gvir_domain_get_uuid (domain);
  Row *row = g_hash_table_lookup (self->rows, uuid);

  g_signal_handlers_disconnect_by_data (domain, self);
  vl_read_order_forget (self->read_order, uuid);
  if (row == NULL)
    return;
  gtk_list_store_remove (self->store, &row->iter);
  g_hash_table_remove (self->rows, uuid);
  update_empty_label (self);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
list_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlGuestList) self = user_data;
  guint64 ticket = self->list_ticket;
  GVirConnection *conn = GVIR_CONNECTION (source);
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;

  infos = vl_guest_info_list_finish (conn, result, &error);
  if (conn != self->conn)
    return;
  set_busy (self, FALSE);
  if (infos == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }

  /* Filled with nothing listening: the filter and sort models are built on the full store after,
   * so a thousand rows cost one sort instead of a thousand sorted inserts and layouts. */
  detach_models (self);
  for (guint i = 0; i < infos->len; i++)
    {
      VlGuestInfo *info = g_ptr_array_index (infos, i);
      g_autoptr(GVirDomain) domain = info->uuid != NULL ? gvir_connection_get_domain (conn, info->uuid) : NULL;

      if (domain == NULL)
        continue;  /* undefined meanwhile: its removal event already came */
      /* An event's read that started after the listing already showed this guest newer. */
      if (!vl_read_order_accept (self->read_order, info->uuid, ticket))
        continue;
      g_ptr_array_index (infos, i) = NULL;
      add_or_update (self, domain, info);
    }
  attach_models (self);
  update_empty_label (self);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
#ifdef __GLIBC__
  /* Reading a thousand guests' XML in worker threads leaves freed pages in their malloc arenas:
   * hand them back, or they stay in the resident size for the whole session. */
  malloc_trim (0);
#endif
}

static gboolean filter_visible (GtkTreeModel *model, GtkTreeIter *iter, gpointer user_data);

/* By name as g_utf8_collate() orders it, from keys made once per row: collating (and copying)
 * the names in every comparison was most of the cost of showing a thousand guests. */
static int
compare_names (GtkTreeModel *model, GtkTreeIter *a, GtkTreeIter *b, gpointer user_data)
{
  Row *row_a = NULL;
  Row *row_b = NULL;

  gtk_tree_model_get (model, a, COL_ROW, &row_a, -1);
  gtk_tree_model_get (model, b, COL_ROW, &row_b, -1);
  return g_strcmp0 (row_a != NULL ? row_a->name_key : NULL, row_b != NULL ? row_b->name_key : NULL);
}

static void
detach_models (VlGuestList *self)
{
  if (self->sort != NULL)
    gtk_tree_sortable_get_sort_column_id (GTK_TREE_SORTABLE (self->sort), &self->sort_column, &self->sort_order);
  gtk_tree_view_set_model (self->view, NULL);
  g_clear_object (&self->sort);
  g_clear_object (&self->filter);
}

static void
attach_models (VlGuestList *self)
{
  detach_models (self);
  self->filter = gtk_tree_model_filter_new (GTK_TREE_MODEL (self->store), NULL);
  gtk_tree_model_filter_set_visible_func (GTK_TREE_MODEL_FILTER (self->filter), filter_visible, self, NULL);
  self->sort = gtk_tree_model_sort_new_with_model (self->filter);
  gtk_tree_sortable_set_sort_func (GTK_TREE_SORTABLE (self->sort), COL_NAME, compare_names, NULL, NULL);
  gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (self->sort), self->sort_column, self->sort_order);
  gtk_tree_view_set_model (self->view, self->sort);
}

static void
clear_rows (VlGuestList *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Row *row = value;
      g_autoptr(GVirDomain) domain = NULL;

      gtk_tree_model_get (GTK_TREE_MODEL (self->store), &row->iter, COL_DOMAIN, &domain, -1);
      if (domain != NULL)
        g_signal_handlers_disconnect_by_data (domain, self);
    }
  gtk_list_store_clear (self->store);
  g_hash_table_remove_all (self->rows);
}

void
vl_guest_list_set_connection (VlGuestList *self, GVirConnection *conn)
{
  g_return_if_fail (VL_IS_GUEST_LIST (self));

  if (conn == self->conn)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->conn != NULL)
    g_signal_handlers_disconnect_by_data (self->conn, self);
  clear_rows (self);
  /* Reads of the old connection were cancelled; the same UUID may exist on the new one. */
  vl_read_order_free (self->read_order);
  self->read_order = vl_read_order_new ();
  g_set_object (&self->conn, conn);

  if (conn != NULL)
    {
      /* Subscribe before listing: a guest defined meanwhile arrives through the event. */
      g_signal_connect_object (conn, "domain-added", G_CALLBACK (domain_added_cb), self, 0);
      g_signal_connect_object (conn, "domain-removed", G_CALLBACK (domain_removed_cb), self, 0);
      set_busy (self, TRUE);
      self->list_ticket = vl_read_order_begin (self->read_order);
      vl_guest_info_list_async (conn, self->cancellable, list_done, g_object_ref (self));
    }
  else
    {
      set_busy (self, FALSE);
    }
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

GVirDomain *
vl_guest_list_get_selected (VlGuestList *self)
{
  GtkTreeSelection *selection;
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autoptr(GVirDomain) domain = NULL;

  g_return_val_if_fail (VL_IS_GUEST_LIST (self), NULL);

  selection = gtk_tree_view_get_selection (self->view);
  if (!gtk_tree_selection_get_selected (selection, &model, &iter))
    return NULL;
  gtk_tree_model_get (model, &iter, COL_DOMAIN, &domain, -1);
  return domain;  /* the store keeps its reference */
}

const VlGuestInfo *
vl_guest_list_get_info (VlGuestList *self, GVirDomain *domain)
{
  Row *row;

  g_return_val_if_fail (VL_IS_GUEST_LIST (self), NULL);

  if (domain == NULL)
    return NULL;
  row = g_hash_table_lookup (self->rows, gvir_domain_get_uuid (domain));
  return row != NULL ? row->info : NULL;
}

gboolean
vl_guest_list_select_name (VlGuestList *self, const char *name)
{
  GtkTreeIter iter;
  gboolean valid;

  g_return_val_if_fail (VL_IS_GUEST_LIST (self), FALSE);

  for (valid = gtk_tree_model_get_iter_first (self->sort, &iter); valid;
       valid = gtk_tree_model_iter_next (self->sort, &iter))
    {
      g_autofree char *row_name = NULL;

      gtk_tree_model_get (self->sort, &iter, COL_NAME, &row_name, -1);
      if (g_strcmp0 (row_name, name) == 0)
        {
          g_autoptr(GtkTreePath) path = gtk_tree_model_get_path (self->sort, &iter);

          gtk_tree_view_set_cursor (self->view, path, NULL, FALSE);
          gtk_tree_view_scroll_to_cell (self->view, path, NULL, FALSE, 0, 0);
          return TRUE;
        }
    }
  return FALSE;
}

void
vl_guest_list_set_filter (VlGuestList *self, const char *text)
{
  g_return_if_fail (VL_IS_GUEST_LIST (self));

  g_free (self->filter_text);
  self->filter_text = text != NULL && *text != '\0' ? g_utf8_casefold (text, -1) : NULL;
  if (self->filter != NULL)
    gtk_tree_model_filter_refilter (GTK_TREE_MODEL_FILTER (self->filter));
  update_empty_label (self);
}

guint
vl_guest_list_get_n_guests (VlGuestList *self)
{
  g_return_val_if_fail (VL_IS_GUEST_LIST (self), 0);
  return g_hash_table_size (self->rows);
}

guint
vl_guest_list_get_n_shown (VlGuestList *self)
{
  g_return_val_if_fail (VL_IS_GUEST_LIST (self), 0);
  return gtk_tree_model_iter_n_children (self->sort, NULL);
}

static gboolean
filter_visible (GtkTreeModel *model, GtkTreeIter *iter, gpointer user_data)
{
  VlGuestList *self = user_data;
  g_autofree char *name = NULL;
  g_autofree char *folded = NULL;

  if (self->filter_text == NULL)
    return TRUE;
  gtk_tree_model_get (model, iter, COL_NAME, &name, -1);
  if (name == NULL)
    return FALSE;
  folded = g_utf8_casefold (name, -1);
  return strstr (folded, self->filter_text) != NULL;
}

/* ---- CPU sparklines: only rows on screen and running are sampled ---------------------------- */

static void
sample_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlGuestList) self = user_data;
  g_autoptr(GPtrArray) samples = vl_guest_cpu_sample_finish (result, NULL);

  self->sampling = FALSE;
  if (samples == NULL)
    return;
  for (guint i = 0; i < samples->len; i++)
    {
      VlGuestCpuSample *sample = g_ptr_array_index (samples, i);
      Row *row = g_hash_table_lookup (self->rows, sample->uuid);
      GtkTreePath *path;
      gboolean pushed;

      if (row == NULL || !sample->ok)
        continue;
      pushed = row->history.last_sample_us > 0 && sample->cpu_ns >= row->history.last_cpu_ns;
      if (pushed)
        vl_cpu_history_push (&row->history,
                             vl_guest_cpu_usage (row->history.last_cpu_ns, sample->cpu_ns,
                                                 sample->when_us - row->history.last_sample_us,
                                                 row->info->vcpus));
      row->history.last_cpu_ns = sample->cpu_ns;
      row->history.last_sample_us = sample->when_us;
      if (!pushed)
        continue;  /* nothing new to draw */
      path = gtk_tree_model_get_path (GTK_TREE_MODEL (self->store), &row->iter);
      gtk_tree_model_row_changed (GTK_TREE_MODEL (self->store), path, &row->iter);
      gtk_tree_path_free (path);
    }
}

static gboolean
sample_tick (gpointer user_data)
{
  VlGuestList *self = user_data;
  g_autoptr(GtkTreePath) start = NULL;
  g_autoptr(GtkTreePath) end = NULL;
  g_autoptr(GPtrArray) domains = NULL;
  GtkTreeIter iter;
  gboolean valid;

  if (self->sampling || self->conn == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self))
      || !gtk_tree_view_get_visible_range (self->view, &start, &end))
    return G_SOURCE_CONTINUE;

  domains = g_ptr_array_new_with_free_func (g_object_unref);
  for (valid = gtk_tree_model_get_iter (self->sort, &iter, start); valid;
       valid = gtk_tree_model_iter_next (self->sort, &iter))
    {
      g_autoptr(GtkTreePath) path = gtk_tree_model_get_path (self->sort, &iter);
      g_autoptr(GVirDomain) domain = NULL;
      int state;

      gtk_tree_model_get (self->sort, &iter, COL_DOMAIN, &domain, COL_STATE, &state, -1);
      if (domain != NULL && (state == VIR_DOMAIN_RUNNING || state == VIR_DOMAIN_BLOCKED))
        g_ptr_array_add (domains, g_steal_pointer (&domain));
      if (gtk_tree_path_compare (path, end) >= 0)
        break;
    }
  if (domains->len == 0)
    return G_SOURCE_CONTINUE;

  self->sampling = TRUE;
  vl_guest_cpu_sample_async (domains, self->cancellable, sample_done, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
selection_changed_cb (VlGuestList *self)
{
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
vl_guest_list_map (GtkWidget *widget)
{
  VlGuestList *self = VL_GUEST_LIST (widget);

  GTK_WIDGET_CLASS (vl_guest_list_parent_class)->map (widget);
  if (self->sample_id == 0)
    self->sample_id = g_timeout_add (SAMPLE_INTERVAL_MS, sample_tick, self);
}

static void
vl_guest_list_unmap (GtkWidget *widget)
{
  VlGuestList *self = VL_GUEST_LIST (widget);

  g_clear_handle_id (&self->sample_id, g_source_remove);
  GTK_WIDGET_CLASS (vl_guest_list_parent_class)->unmap (widget);
}

static void
vl_guest_list_dispose (GObject *object)
{
  VlGuestList *self = VL_GUEST_LIST (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->sample_id, g_source_remove);
  if (self->conn != NULL)
    g_signal_handlers_disconnect_by_data (self->conn, self);
  if (self->rows != NULL)
    clear_rows (self);
  g_clear_object (&self->conn);
  g_clear_object (&self->sort);
  g_clear_object (&self->filter);
  g_clear_object (&self->store);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  G_OBJECT_CLASS (vl_guest_list_parent_class)->dispose (object);
}

/* ---- the guest's context menu ------------------------------------------------------------ */

static GtkWidget *
popup_menu_at (VlGuestList *self, const GdkEvent *event)
{
  GtkWidget *menu;
  g_autoptr(GdkEvent) trigger = NULL;

  if (self->menu == NULL)
    return NULL;
  /* Attached to the list, the menu's guests.* actions resolve through the page that holds it. */
  menu = gtk_menu_new_from_model (self->menu);
  gtk_menu_attach_to_widget (GTK_MENU (menu), GTK_WIDGET (self->view), NULL);
  g_signal_connect (menu, "deactivate", G_CALLBACK (gtk_widget_destroy), NULL);
  if (event != NULL)
    gtk_menu_popup_at_pointer (GTK_MENU (menu), event);
  else
    {
      GdkRectangle rect = { 0, 0, 1, 1 };
      GtkTreePath *path = NULL;
      GdkWindow *window = gtk_widget_get_window (GTK_WIDGET (self->view));

      gtk_tree_view_get_cursor (self->view, &path, NULL);
      if (path != NULL)
        {
          gtk_tree_view_get_cell_area (self->view, path, NULL, &rect);
          gtk_tree_view_convert_bin_window_to_widget_coords (self->view, rect.x, rect.y, &rect.x, &rect.y);
          gtk_tree_path_free (path);
        }
      trigger = gtk_get_current_event ();
      /* The Menu key (or a caller outside any event): a key press of this window's keyboard. */
      if (trigger == NULL)
        {
          GdkSeat *seat = gdk_display_get_default_seat (gtk_widget_get_display (GTK_WIDGET (self)));

          trigger = gdk_event_new (GDK_KEY_PRESS);
          trigger->key.window = g_object_ref (window);
          trigger->key.time = GDK_CURRENT_TIME;
          if (seat != NULL && gdk_seat_get_keyboard (seat) != NULL)
            gdk_event_set_device (trigger, gdk_seat_get_keyboard (seat));
        }
      gtk_menu_popup_at_rect (GTK_MENU (menu), window, &rect, GDK_GRAVITY_SOUTH_WEST, GDK_GRAVITY_NORTH_WEST,
                              trigger);
    }
  return menu;
}

static gboolean
view_button_pressed (VlGuestList *self, GdkEventButton *event)
{
  GtkTreePath *path = NULL;

  if (!gdk_event_triggers_context_menu ((GdkEvent *) event) || event->type != GDK_BUTTON_PRESS)
    return GDK_EVENT_PROPAGATE;
  /* The menu is about the guest under the pointer: select it first, as file managers do. */
  if (!gtk_tree_view_get_path_at_pos (self->view, event->x, event->y, &path, NULL, NULL, NULL))
    return GDK_EVENT_PROPAGATE;
  gtk_tree_selection_select_path (gtk_tree_view_get_selection (self->view), path);
  gtk_tree_view_set_cursor (self->view, path, NULL, FALSE);
  gtk_tree_path_free (path);
  return popup_menu_at (self, (GdkEvent *) event) != NULL ? GDK_EVENT_STOP : GDK_EVENT_PROPAGATE;
}

static gboolean
view_popup_menu (VlGuestList *self)
{
  if (vl_guest_list_get_selected (self) == NULL)
    return FALSE;
  return popup_menu_at (self, NULL) != NULL;
}

void
vl_guest_list_set_menu (VlGuestList *self, GMenuModel *menu)
{
  g_return_if_fail (VL_IS_GUEST_LIST (self));
  g_set_object (&self->menu, menu);
}

GtkWidget *
vl_guest_list_popup_menu (VlGuestList *self)
{
  g_return_val_if_fail (VL_IS_GUEST_LIST (self), NULL);
  return vl_guest_list_get_selected (self) != NULL ? popup_menu_at (self, NULL) : NULL;
}

static void
vl_guest_list_finalize (GObject *object)
{
  VlGuestList *self = VL_GUEST_LIST (object);

  g_clear_object (&self->menu);
  g_free (self->filter_text);
  vl_read_order_free (self->read_order);
  G_OBJECT_CLASS (vl_guest_list_parent_class)->finalize (object);
}

static void
vl_guest_list_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VlGuestList *self = VL_GUEST_LIST (object);

  if (prop_id == PROP_BUSY)
    g_value_set_boolean (value, vl_busy_get (VL_BUSY (self)));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
vl_guest_list_class_init (VlGuestListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vl_guest_list_dispose;
  object_class->finalize = vl_guest_list_finalize;
  object_class->get_property = vl_guest_list_get_property;
  widget_class->map = vl_guest_list_map;
  widget_class->unmap = vl_guest_list_unmap;

  vl_busy_class_install (object_class, PROP_BUSY);

  signals[SELECTION_CHANGED] = g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[GUEST_CHANGED] = g_signal_new ("guest-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                         GVIR_TYPE_DOMAIN);

  g_type_ensure (VL_TYPE_SPARKLINE_RENDERER);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-guest-list.ui");
  gtk_widget_class_bind_template_child (widget_class, VlGuestList, view);
  gtk_widget_class_bind_template_child (widget_class, VlGuestList, empty_label);
}

/* A name or operating system cut short by its column is shown whole in the row's tooltip
 * (issue 15, item 14): "Name — operating system · state". */
static gboolean
query_tooltip_cb (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, VlGuestList *self)
{
  GtkTreeModel *model;
  GtkTreePath *path = NULL;
  GtkTreeIter iter;
  g_autofree char *name = NULL;
  g_autofree char *os = NULL;
  g_autofree char *state = NULL;
  g_autofree char *text = NULL;

  if (!gtk_tree_view_get_tooltip_context (self->view, &x, &y, keyboard, &model, &path, &iter))
    return FALSE;
  gtk_tree_model_get (model, &iter, COL_NAME, &name, COL_OS, &os, COL_STATE_TEXT, &state, -1);
  text = g_strdup_printf ("%s — %s · %s", name != NULL ? name : "", os != NULL ? os : "", state != NULL ? state : "");
  gtk_tooltip_set_text (tooltip, text);
  gtk_tree_view_set_tooltip_row (self->view, tooltip, path);
  gtk_tree_path_free (path);
  return TRUE;
}

static void
vl_guest_list_init (VlGuestList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->view), TRUE);
  g_signal_connect (self->view, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);

  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, row_free);
  self->read_order = vl_read_order_new ();
  self->cancellable = g_cancellable_new ();
  self->store = gtk_list_store_new (N_COLUMNS, GVIR_TYPE_DOMAIN, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT,
                                    G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT,
                                    G_TYPE_STRING, G_TYPE_UINT64, G_TYPE_POINTER, G_TYPE_POINTER);
  self->sort_column = COL_NAME;
  self->sort_order = GTK_SORT_ASCENDING;
  attach_models (self);
  g_signal_connect_object (self->view, "button-press-event", G_CALLBACK (view_button_pressed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "popup-menu", G_CALLBACK (view_popup_menu), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_tree_view_get_selection (self->view), "changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
}
