/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The assistant's "Operating system" step: osinfo-db loaded off the main loop, a searchable list,
 * detection from the ISO; the chosen system's recommendations become the spec's numbers. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-natural-compare.h"
#include "vl-new-guest-steps.h"

struct _VlNewGuestStepOs
{
  VlNewGuestStep parent_instance;

  OsinfoDb *os_db;
  GCancellable *cancellable;
  char *detected_for;        /* the ISO the list's choice was read from */
  VlGuestSpec *defaults_for; /* the spec the chosen system's recommendations went into */
  GtkLabel *os_detected_label, *os_error;
  GtkSearchEntry *os_search;
  GtkListBox *os_list;
};

G_DEFINE_FINAL_TYPE (VlNewGuestStepOs, vl_new_guest_step_os, VL_TYPE_NEW_GUEST_STEP)

enum { DEFAULTS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- operating systems ------------------------------------------------------------------- */

static GtkWidget *
os_row (OsinfoOs *os)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (os != NULL ? osinfo_product_get_name (OSINFO_PRODUCT (os))
                                               : _("Unknown or other operating system"));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_top (label, 3);
  gtk_widget_set_margin_bottom (label, 3);
  gtk_container_add (GTK_CONTAINER (row), label);
  if (os != NULL)
    {
      g_object_set_data_full (G_OBJECT (row), "os", g_object_ref (os), g_object_unref);
      g_object_set_data_full (G_OBJECT (row), "search",
                              g_utf8_casefold (osinfo_product_get_name (OSINFO_PRODUCT (os)), -1), g_free);
    }
  gtk_widget_show_all (row);
  return row;
}

static int
compare_os_names (gconstpointer a, gconstpointer b)
{
  OsinfoProduct *pa = *(OsinfoProduct **) a;
  OsinfoProduct *pb = *(OsinfoProduct **) b;

  /* "Debian 6.0, 7, … 10, 11", not "Debian 10, 11, 6.0, 7". */
  return vl_natural_compare (osinfo_product_get_name (pa), osinfo_product_get_name (pb));
}

static void
fill_os_list (VlNewGuestStepOs *self)
{
  g_autoptr(OsinfoOsList) list = osinfo_db_get_os_list (self->os_db);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  gint n = osinfo_list_get_length (OSINFO_LIST (list));
  GtkWidget *unknown = os_row (NULL);

  for (gint i = 0; i < n; i++)
    g_ptr_array_add (sorted, osinfo_list_get_nth (OSINFO_LIST (list), i));
  g_ptr_array_sort (sorted, compare_os_names);
  gtk_container_add (GTK_CONTAINER (self->os_list), unknown);
  gtk_list_box_select_row (self->os_list, GTK_LIST_BOX_ROW (unknown));
  for (guint i = 0; i < sorted->len; i++)
    gtk_container_add (GTK_CONTAINER (self->os_list), os_row (sorted->pdata[i]));
}

static gboolean
filter_os_row (GtkListBoxRow *row, gpointer user_data)
{
  VlNewGuestStepOs *self = user_data;
  const char *text = gtk_entry_get_text (GTK_ENTRY (self->os_search));
  const char *name = g_object_get_data (G_OBJECT (row), "search");
  g_autofree char *needle = NULL;

  if (text == NULL || *text == '\0' || name == NULL || gtk_list_box_row_is_selected (row))
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  return strstr (name, needle) != NULL;
}

static void
on_os_search_changed (VlNewGuestStepOs *self)
{
  gtk_list_box_invalidate_filter (self->os_list);
}

static void
load_os_db_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  OsinfoDb *db = vl_guest_os_db_load (&error);

  if (db == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, db, g_object_unref);
}

static void
os_db_loaded_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlNewGuestStepOs) self = user_data;
  g_autoptr(GError) error = NULL;
  OsinfoDb *db = g_task_propagate_pointer (G_TASK (result), &error);

  if (db == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vl_new_guest_step_show_error (VL_NEW_GUEST_STEP (self), error->message);
      return;
    }
  self->os_db = db;
  fill_os_list (self);
  /* Shown while the list loaded: what is on the disc is looked at now. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    vl_new_guest_step_enter (VL_NEW_GUEST_STEP (self));
}

static void
select_os (VlNewGuestStepOs *self, OsinfoOs *os)
{
  GList *rows = gtk_container_get_children (GTK_CONTAINER (self->os_list));

  for (GList *l = rows; l != NULL; l = l->next)
    {
      if (g_object_get_data (l->data, "os") == (gpointer) os)
        {
          gtk_list_box_select_row (self->os_list, l->data);
          gtk_widget_grab_focus (l->data);
          break;
        }
    }
  g_list_free (rows);
}

typedef struct {
  OsinfoDb *db;
  char *path;
} DetectData;

static void
detect_data_free (DetectData *data)
{
  g_object_unref (data->db);
  g_free (data->path);
  g_free (data);
}

static void
detect_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  DetectData *data = task_data;
  GError *error = NULL;
  OsinfoOs *os = vl_guest_os_detect_from_media (data->db, data->path, &error);

  if (os == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, os, g_object_unref);
}

static void
detected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlNewGuestStepOs) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OsinfoOs) os = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (os == NULL)
    {
      gtk_label_set_text (self->os_detected_label, error->message);
      return;
    }
  /* The database's own object, so the list row for it can be found and selected. */
  {
    OsinfoOs *known = osinfo_db_get_os (self->os_db, osinfo_entity_get_id (OSINFO_ENTITY (os)));

    text = g_strdup_printf (_("Detected on the install disc: %s"), osinfo_product_get_name (OSINFO_PRODUCT (os)));
    gtk_label_set_text (self->os_detected_label, text);
    select_os (self, known != NULL ? known : os);
  }
}

static void
vl_new_guest_step_os_enter (VlNewGuestStep *step, VlGuestSpec *spec)
{
  VlNewGuestStepOs *self = VL_NEW_GUEST_STEP_OS (step);
  g_autoptr(GTask) task = NULL;
  DetectData *data;
  const char *iso = vl_guest_spec_get_source (spec);

  if (self->os_db == NULL)
    {
      gtk_label_set_text (self->os_detected_label, _("Loading the list of operating systems…"));
      return;
    }
  if (vl_guest_spec_get_source_kind (spec) != VL_INSTALL_SOURCE_ISO || iso == NULL)
    {
      gtk_label_set_text (self->os_detected_label, _("Choose the operating system the guest will run."));
      /* What was read off a disc no longer in use says nothing about this guest. */
      if (self->detected_for != NULL)
        {
          g_clear_pointer (&self->detected_for, g_free);
          gtk_list_box_select_row (self->os_list, gtk_list_box_get_row_at_index (self->os_list, 0));
        }
      return;
    }
  if (g_strcmp0 (self->detected_for, iso) == 0)
    return;
  g_free (self->detected_for);
  self->detected_for = g_strdup (iso);
  gtk_label_set_text (self->os_detected_label, _("Looking at the install disc…"));
  data = g_new0 (DetectData, 1);
  data->db = g_object_ref (self->os_db);
  data->path = g_strdup (iso);
  task = g_task_new (NULL, self->cancellable, detected_cb, g_object_ref (self));
  g_task_set_task_data (task, data, (GDestroyNotify) detect_data_free);
  g_task_run_in_thread (task, detect_thread);
}

/* The OS's recommendations replace earlier numbers, as virt-manager does when the OS changes; the
 * assistant reads them into the other steps on "defaults-changed". */
static void
vl_new_guest_step_os_apply (VlNewGuestStep *step, VlGuestSpec *spec)
{
  VlNewGuestStepOs *self = VL_NEW_GUEST_STEP_OS (step);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->os_list);
  OsinfoOs *os = row != NULL ? g_object_get_data (G_OBJECT (row), "os") : NULL;

  if (os == vl_guest_spec_get_os (spec) && self->defaults_for == spec)
    return;
  vl_guest_spec_set_os (spec, os);
  g_set_object (&self->defaults_for, spec);
  g_signal_emit (self, signals[DEFAULTS_CHANGED], 0);
}

void
vl_new_guest_step_os_load_db (VlNewGuestStepOs *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (VL_IS_NEW_GUEST_STEP_OS (self));
  if (self->os_db != NULL)
    return;
  task = g_task_new (NULL, self->cancellable, os_db_loaded_cb, g_object_ref (self));
  g_task_run_in_thread (task, load_os_db_thread);
}

gboolean
vl_new_guest_step_os_is_ready (VlNewGuestStepOs *self)
{
  g_return_val_if_fail (VL_IS_NEW_GUEST_STEP_OS (self), FALSE);
  return self->os_db != NULL;
}

static void
vl_new_guest_step_os_dispose (GObject *object)
{
  VlNewGuestStepOs *self = VL_NEW_GUEST_STEP_OS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->os_db);
  g_clear_object (&self->defaults_for);
  G_OBJECT_CLASS (vl_new_guest_step_os_parent_class)->dispose (object);
}

static void
vl_new_guest_step_os_finalize (GObject *object)
{
  g_free (VL_NEW_GUEST_STEP_OS (object)->detected_for);
  G_OBJECT_CLASS (vl_new_guest_step_os_parent_class)->finalize (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VlNewGuestStepOs, name)

static void
vl_new_guest_step_os_class_init (VlNewGuestStepOsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VlNewGuestStepClass *step_class = VL_NEW_GUEST_STEP_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vl_new_guest_step_os_dispose;
  G_OBJECT_CLASS (klass)->finalize = vl_new_guest_step_os_finalize;
  step_class->id = VL_ASSISTANT_STEP_OS;
  step_class->apply = vl_new_guest_step_os_apply;
  step_class->enter = vl_new_guest_step_os_enter;
  /* The chosen system's recommended memory, processors, disk and devices are now the spec's. */
  signals[DEFAULTS_CHANGED] = g_signal_new ("defaults-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-new-guest-step-os.ui");
  BIND (os_detected_label);
  BIND (os_error);
  BIND (os_search);
  BIND (os_list);
}

static void
vl_new_guest_step_os_init (VlNewGuestStepOs *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  vl_new_guest_step_set_error_label (VL_NEW_GUEST_STEP (self), self->os_error);
  self->cancellable = g_cancellable_new ();
  gtk_list_box_set_filter_func (self->os_list, filter_os_row, self, NULL);
  g_signal_connect_swapped (self->os_search, "search-changed", G_CALLBACK (on_os_search_changed), self);
}
