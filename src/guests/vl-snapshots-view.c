/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Snapshots tab of a guest: its snapshots as a tree, and Take, Revert and Delete. Every libvirt call
 * happens in vl-guest-snapshots.c's worker threads; this widget shows what they return. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-snapshots-view-private.h"

struct _VlSnapshotsView
{
  GtkBox             parent_instance;

  GtkLabel          *reason_label;
  GtkInfoBar        *error_bar;
  GtkLabel          *error_label;
  GtkTreeView       *tree;
  GtkTreeStore      *store;
  GtkWidget         *take_button;
  GtkWidget         *revert_button;
  GtkWidget         *delete_button;
  GtkSpinner        *spinner;
  GtkLabel          *status_label;

  GVirDomain        *domain;
  GCancellable      *cancellable;
  VlSnapshotsState  *state;
  guint              busy;        /* operations in flight */
  guint              loads;       /* reads completed, for tests */

  /* The dialog open now (take, revert or delete), its entries and the message under them. */
  GtkWidget         *dialog;
  GtkEntry          *name_entry;
  GtkEntry          *description_entry;
  GtkToggleButton   *memory_check;
  GtkLabel          *name_error;
  char              *dialog_snapshot;  /* revert/delete: the snapshot it asks about */
};

G_DEFINE_TYPE (VlSnapshotsView, vl_snapshots_view, GTK_TYPE_BOX)

enum { COL_NAME, COL_DATE, COL_STATE, COL_DESCRIPTION, COL_WEIGHT, COL_TOOLTIP };

static void reload (VlSnapshotsView *self);

static const char *
state_text (const VlSnapshot *s)
{
  switch (s->state)
    {
    case GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_RUNNING:
    case GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_BLOCKED:
      return s->has_memory ? _("Running, with memory") : _("Running, disks only");
    case GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_PAUSED:
      return s->has_memory ? _("Paused, with memory") : _("Paused, disks only");
    case GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_SHUTOFF:
    case GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_SHUTDOWN:
      return _("Shut off");
    case GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_DISK_SNAPSHOT:
      return _("Disks only (external)");
    case GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_CRASHED:
      return _("Crashed");
    case GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_PMSUSPENDED:
      return _("Suspended");
    default:
      return _("Unknown");
    }
}

static char *
selected_name (VlSnapshotsView *self)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  char *name = NULL;

  if (gtk_tree_selection_get_selected (gtk_tree_view_get_selection (self->tree), &model, &iter))
    gtk_tree_model_get (model, &iter, COL_NAME, &name, -1);
  return name;
}

static void
update_buttons (VlSnapshotsView *self)
{
  const VlSnapshotSupport *support = self->state != NULL ? self->state->support : NULL;
  g_autofree char *selected = selected_name (self);
  gboolean idle = self->busy == 0 && self->domain != NULL && self->state != NULL;

  gtk_widget_set_sensitive (self->take_button, idle && support->can_take);
  gtk_widget_set_sensitive (self->revert_button, idle && selected != NULL && support->can_revert);
  gtk_widget_set_sensitive (self->delete_button, idle && selected != NULL && support->can_revert);
  /* An insensitive button says why. */
  gtk_widget_set_tooltip_text (self->take_button,
                               support != NULL && !support->can_take ? support->reason
                               : _("Keep the guest’s disks (and, while it runs, its memory) as they are now"));
  gtk_widget_set_tooltip_text (self->revert_button, selected == NULL ? _("Choose a snapshot to go back to")
                                                    : _("Go back to the chosen snapshot"));
  gtk_widget_set_tooltip_text (self->delete_button, selected == NULL ? _("Choose a snapshot to delete")
                                                    : _("Delete the chosen snapshot; the guest stays as it is"));
  if (self->busy > 0)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
}

static void
show_error (VlSnapshotsView *self, const GError *error)
{
  gtk_label_set_text (self->error_label, error->message);
  gtk_widget_show (GTK_WIDGET (self->error_bar));
}

static void
error_bar_response (VlSnapshotsView *self)
{
  gtk_widget_hide (GTK_WIDGET (self->error_bar));
}

static void
fill (VlSnapshotsView *self)
{
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                      (GDestroyNotify) gtk_tree_iter_free);
  g_autofree char *keep = selected_name (self);
  GPtrArray *snaps = self->state->snapshots;

  gtk_tree_store_clear (self->store);
  for (guint i = 0; i < snaps->len; i++)
    {
      const VlSnapshot *s = g_ptr_array_index (snaps, i);
      GtkTreeIter *parent = s->parent != NULL ? g_hash_table_lookup (rows, s->parent) : NULL;
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (s->created);
      g_autofree char *date = when != NULL ? g_date_time_format (when, "%x %X") : g_strdup ("");
      g_autofree char *tooltip = NULL;
      GtkTreeIter iter;

      tooltip = g_strdup_printf ("%s%s%s", s->name,
                                 s->is_current ? _(" — the guest was last reverted to or saved as this one") : "",
                                 s->description != NULL ? "\n" : "");
      if (s->description != NULL)
        {
          char *with = g_strconcat (tooltip, s->description, NULL);

          g_free (tooltip);
          tooltip = with;
        }
      gtk_tree_store_append (self->store, &iter, parent);
      gtk_tree_store_set (self->store, &iter,
                          COL_NAME, s->name,
                          COL_DATE, date,
                          COL_STATE, state_text (s),
                          COL_DESCRIPTION, s->description != NULL ? s->description : "",
                          COL_WEIGHT, s->is_current ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL,
                          COL_TOOLTIP, tooltip,
                          -1);
      g_hash_table_insert (rows, s->name, gtk_tree_iter_copy (&iter));
      if (keep != NULL && g_str_equal (keep, s->name))
        gtk_tree_selection_select_iter (gtk_tree_view_get_selection (self->tree), &iter);
    }
  gtk_tree_view_expand_all (self->tree);

  gtk_label_set_text (self->reason_label, self->state->support->reason != NULL ? self->state->support->reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), self->state->support->reason != NULL);
  if (snaps->len == 0 && self->state->support->can_take)
    gtk_label_set_text (self->status_label, _("No snapshots yet."));
}

static void
list_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlSnapshotsView) self = user_data;
  g_autoptr(GError) error = NULL;
  VlSnapshotsState *state = vl_guest_snapshots_list_finish (GVIR_DOMAIN (source), result, &error);

  self->busy--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || GVIR_DOMAIN (source) != self->domain)
    {
      vl_snapshots_state_free (state);
      return;
    }
  self->loads++;
  if (state == NULL)
    show_error (self, error);
  else
    {
      g_clear_pointer (&self->state, vl_snapshots_state_free);
      self->state = state;
      fill (self);
    }
  update_buttons (self);
}

static void
reload (VlSnapshotsView *self)
{
  if (self->domain == NULL)
    return;
  self->busy++;
  update_buttons (self);
  vl_guest_snapshots_list_async (self->domain, self->cancellable, list_done, g_object_ref (self));
}

void
vl_snapshots_view_set_domain (VlSnapshotsView *self, GVirDomain *domain)
{
  g_return_if_fail (VL_IS_SNAPSHOTS_VIEW (self));

  if (domain != self->domain)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      g_set_object (&self->domain, domain);
      g_clear_pointer (&self->state, vl_snapshots_state_free);
      gtk_tree_store_clear (self->store);
      gtk_label_set_text (self->status_label, "");
      gtk_widget_hide (GTK_WIDGET (self->error_bar));
      if (self->dialog != NULL)
        gtk_widget_destroy (self->dialog);
    }
  /* Also for the same guest: its state (and so what can be taken) may have changed. */
  if (self->busy == 0)
    reload (self);
  update_buttons (self);
}

/* ---- the operations --------------------------------------------------------------------------- */

typedef struct {
  VlSnapshotsView *self;
  char            *done_text;
} OpData;

static void
op_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  OpData *data = user_data;
  VlSnapshotsView *self = data->self;
  g_autoptr(GError) error = NULL;

  self->busy--;
  if (!vl_guest_snapshot_op_finish (GVIR_DOMAIN (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      gtk_label_set_text (self->status_label, "");
    }
  else
    gtk_label_set_text (self->status_label, data->done_text);
  if (GVIR_DOMAIN (source) == self->domain)
    reload (self);
  update_buttons (self);
  g_free (data->done_text);
  g_object_unref (data->self);
  g_free (data);
}

static OpData *
op_start (VlSnapshotsView *self, const char *doing, char *done_text)
{
  OpData *data = g_new0 (OpData, 1);

  data->self = g_object_ref (self);
  data->done_text = done_text;
  self->busy++;
  gtk_widget_hide (GTK_WIDGET (self->error_bar));
  gtk_label_set_text (self->status_label, doing);
  update_buttons (self);
  return data;
}

static gboolean
check_take_dialog (VlSnapshotsView *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = vl_snapshot_check_name (gtk_entry_get_text (self->name_entry),
                                        self->state != NULL ? self->state->snapshots : NULL, &error);

  gtk_label_set_text (self->name_error, ok ? "" : error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->name_error), !ok);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (self->dialog), GTK_RESPONSE_ACCEPT, ok);
  return ok;
}

static void
dialog_destroyed (VlSnapshotsView *self)
{
  self->dialog = NULL;
  self->name_entry = self->description_entry = NULL;
  self->memory_check = NULL;
  self->name_error = NULL;
  g_clear_pointer (&self->dialog_snapshot, g_free);
}

static void
take_response (VlSnapshotsView *self, int response)
{
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  gboolean memory;

  if (response != GTK_RESPONSE_ACCEPT || self->domain == NULL)
    {
      gtk_widget_destroy (self->dialog);
      return;
    }
  if (!check_take_dialog (self))
    return;  /* what was typed stays; the message says what is wrong */
  name = g_strdup (gtk_entry_get_text (self->name_entry));
  description = g_strdup (gtk_entry_get_text (self->description_entry));
  memory = gtk_widget_get_visible (GTK_WIDGET (self->memory_check)) && gtk_toggle_button_get_active (self->memory_check);
  gtk_widget_destroy (self->dialog);
  {
    g_autofree char *doing = g_strdup_printf (_("Taking the snapshot “%s”…"), name);

    vl_guest_snapshot_take_async (self->domain, name, description, memory, self->cancellable, op_done,
                                  op_start (self, doing, g_strdup_printf (_("Snapshot “%s” taken."), name)));
  }
}

static GtkWidget *
new_dialog (VlSnapshotsView *self, const char *title)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *dialog = g_object_new (GTK_TYPE_DIALOG, "title", title, "modal", TRUE,
                                    "use-header-bar", TRUE, "resizable", FALSE, NULL);

  if (GTK_IS_WINDOW (toplevel))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (toplevel));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_destroyed), self, G_CONNECT_SWAPPED);
  self->dialog = dialog;
  return dialog;
}

static GtkWidget *
field_label (const char *text, GtkWidget *mnemonic)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), mnemonic);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  return label;
}

static void
take_clicked (VlSnapshotsView *self)
{
  GtkWidget *dialog, *grid, *button;
  g_autofree char *suggested = NULL;

  if (self->dialog != NULL || self->state == NULL)
    return;
  dialog = new_dialog (self, _("Take Snapshot"));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Take"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);

  grid = g_object_new (GTK_TYPE_GRID, "row-spacing", 6, "column-spacing", 12, "border-width", 18, NULL);
  self->name_entry = GTK_ENTRY (gtk_entry_new ());
  suggested = vl_snapshot_suggest_name (self->state->snapshots);
  gtk_entry_set_text (self->name_entry, suggested);
  gtk_entry_set_activates_default (self->name_entry, TRUE);
  gtk_entry_set_width_chars (self->name_entry, 32);
  g_signal_connect_object (self->name_entry, "changed", G_CALLBACK (check_take_dialog), self, G_CONNECT_SWAPPED);
  self->description_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->description_entry, _("What is special about this state"));
  gtk_entry_set_activates_default (self->description_entry, TRUE);
  self->name_error = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->name_error, 0);
  gtk_label_set_line_wrap (self->name_error, TRUE);
  gtk_label_set_max_width_chars (self->name_error, 40);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->name_error)), "error");
  self->memory_check = GTK_TOGGLE_BUTTON (gtk_check_button_new_with_mnemonic (_("Keep the running state (_memory)")));
  gtk_toggle_button_set_active (self->memory_check, TRUE);
  /* A running guest only: on QEMU its internal snapshots always hold the memory, so the choice is shown
   * but fixed, with the reason. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->memory_check),
                            self->state->support->can_take_without_memory_while_running);
  if (!self->state->support->can_take_without_memory_while_running && self->state->support->reason != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->memory_check), self->state->support->reason);

  gtk_grid_attach (GTK_GRID (grid), field_label (_("_Name"), GTK_WIDGET (self->name_entry)), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->name_entry), 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->name_error), 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), field_label (_("_Description"), GTK_WIDGET (self->description_entry)), 0, 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->description_entry), 1, 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->memory_check), 1, 3, 1, 1);
  gtk_container_add (GTK_CONTAINER (gtk_dialog_get_content_area (GTK_DIALOG (dialog))), grid);
  gtk_widget_show_all (grid);
  gtk_widget_hide (GTK_WIDGET (self->name_error));
  gtk_widget_set_visible (GTK_WIDGET (self->memory_check), self->state->running);
  check_take_dialog (self);
  g_signal_connect_object (dialog, "response", G_CALLBACK (take_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
confirm_response (VlSnapshotsView *self, int response)
{
  g_autofree char *name = g_strdup (self->dialog_snapshot);
  gboolean revert = g_object_get_data (G_OBJECT (self->dialog), "revert") != NULL;

  gtk_widget_destroy (self->dialog);
  if (response != GTK_RESPONSE_ACCEPT || self->domain == NULL || name == NULL)
    return;
  if (revert)
    {
      g_autofree char *doing = g_strdup_printf (_("Going back to “%s”…"), name);

      vl_guest_snapshot_revert_async (self->domain, name, self->cancellable, op_done,
                                      op_start (self, doing, g_strdup_printf (_("The guest is back at “%s”."), name)));
    }
  else
    {
      g_autofree char *doing = g_strdup_printf (_("Deleting the snapshot “%s”…"), name);

      vl_guest_snapshot_delete_async (self->domain, name, self->cancellable, op_done,
                                      op_start (self, doing, g_strdup_printf (_("Snapshot “%s” deleted."), name)));
    }
}

static void
confirm (VlSnapshotsView *self, gboolean revert)
{
  g_autofree char *name = selected_name (self);
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  GtkWidget *dialog, *button;

  if (name == NULL || self->dialog != NULL)
    return;
  dialog = gtk_message_dialog_new (GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_QUESTION,
                                   GTK_BUTTONS_NONE,
                                   revert ? _("Go back to the snapshot “%s”?") : _("Delete the snapshot “%s”?"),
                                   name);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
    revert ? _("The guest’s disks return to the state of the snapshot, and so does its memory if the snapshot "
               "kept it. Everything that changed since then is lost.")
           : _("The guest stays as it is now; only the saved state is gone."));
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  button = gtk_dialog_add_button (GTK_DIALOG (dialog), revert ? _("_Revert") : _("_Delete"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "destructive-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  self->dialog = dialog;
  self->dialog_snapshot = g_steal_pointer (&name);
  if (revert)
    g_object_set_data (G_OBJECT (dialog), "revert", GINT_TO_POINTER (1));
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_destroyed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
revert_clicked (VlSnapshotsView *self)
{
  confirm (self, TRUE);
}

static void
delete_clicked (VlSnapshotsView *self)
{
  confirm (self, FALSE);
}

/* ---- for tests -------------------------------------------------------------------------------- */

GtkWidget *
vl_snapshots_view_get_dialog (VlSnapshotsView *self)
{
  return self->dialog;
}

GtkEntry *
vl_snapshots_view_get_name_entry (VlSnapshotsView *self)
{
  return self->name_entry;
}

GtkEntry *
vl_snapshots_view_get_description_entry (VlSnapshotsView *self)
{
  return self->description_entry;
}

const char *
vl_snapshots_view_get_name_error (VlSnapshotsView *self)
{
  return self->name_error != NULL && gtk_widget_get_visible (GTK_WIDGET (self->name_error))
         ? gtk_label_get_text (self->name_error) : NULL;
}

guint
vl_snapshots_view_get_loads (VlSnapshotsView *self)
{
  return self->loads;
}

gboolean
vl_snapshots_view_is_busy (VlSnapshotsView *self)
{
  return self->busy > 0;
}

gboolean
vl_snapshots_view_select (VlSnapshotsView *self, const char *name)
{
  GtkTreeModel *model = GTK_TREE_MODEL (self->store);
  GtkTreeIter iter;
  GPtrArray *stack = g_ptr_array_new_with_free_func ((GDestroyNotify) gtk_tree_iter_free);
  gboolean found = FALSE;

  if (gtk_tree_model_get_iter_first (model, &iter))
    g_ptr_array_add (stack, gtk_tree_iter_copy (&iter));
  while (stack->len > 0 && !found)
    {
      GtkTreeIter *it = g_ptr_array_steal_index (stack, stack->len - 1);
      g_autofree char *row = NULL;
      GtkTreeIter child, next = *it;

      gtk_tree_model_get (model, it, COL_NAME, &row, -1);
      if (g_strcmp0 (row, name) == 0)
        {
          gtk_tree_selection_select_iter (gtk_tree_view_get_selection (self->tree), it);
          found = TRUE;
        }
      if (gtk_tree_model_iter_next (model, &next))
        g_ptr_array_add (stack, gtk_tree_iter_copy (&next));
      if (gtk_tree_model_iter_children (model, &child, it))
        g_ptr_array_add (stack, gtk_tree_iter_copy (&child));
      gtk_tree_iter_free (it);
    }
  g_ptr_array_unref (stack);
  return found;
}

/* ---- the type --------------------------------------------------------------------------------- */

static void
vl_snapshots_view_dispose (GObject *object)
{
  VlSnapshotsView *self = VL_SNAPSHOTS_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->domain);
  g_clear_pointer (&self->state, vl_snapshots_state_free);
  if (self->dialog != NULL)
    gtk_widget_destroy (self->dialog);
  G_OBJECT_CLASS (vl_snapshots_view_parent_class)->dispose (object);
}

static void
vl_snapshots_view_class_init (VlSnapshotsViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vl_snapshots_view_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-snapshots-view.ui");
  gtk_widget_class_bind_template_child (widget_class, VlSnapshotsView, reason_label);
  gtk_widget_class_bind_template_child (widget_class, VlSnapshotsView, error_bar);
  gtk_widget_class_bind_template_child (widget_class, VlSnapshotsView, error_label);
  gtk_widget_class_bind_template_child (widget_class, VlSnapshotsView, tree);
  gtk_widget_class_bind_template_child (widget_class, VlSnapshotsView, store);
  gtk_widget_class_bind_template_child (widget_class, VlSnapshotsView, take_button);
  gtk_widget_class_bind_template_child (widget_class, VlSnapshotsView, revert_button);
  gtk_widget_class_bind_template_child (widget_class, VlSnapshotsView, delete_button);
  gtk_widget_class_bind_template_child (widget_class, VlSnapshotsView, spinner);
  gtk_widget_class_bind_template_child (widget_class, VlSnapshotsView, status_label);
  gtk_widget_class_bind_template_callback (widget_class, error_bar_response);
  gtk_widget_class_bind_template_callback (widget_class, update_buttons);
  gtk_widget_class_bind_template_callback (widget_class, take_clicked);
  gtk_widget_class_bind_template_callback (widget_class, revert_clicked);
  gtk_widget_class_bind_template_callback (widget_class, delete_clicked);
}

static void
vl_snapshots_view_init (VlSnapshotsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  update_buttons (self);
}

VlSnapshotsView *
vl_snapshots_view_new (void)
{
  return g_object_new (VL_TYPE_SNAPSHOTS_VIEW, NULL);
}
