/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Clone dialog. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-clone-dialog.h"
#include "vl-guest-clone.h"
#include "vl-guest-spec.h"

struct _VlCloneDialog
{
  GtkDialog       parent_instance;

  GVirDomain     *source;
  GStrv           existing;
  GtkEntry       *entry;
  GtkLabel       *message;
  GtkProgressBar *progress;
  GtkLabel       *status;
  GtkWidget      *clone_button;
  GCancellable   *cancellable;   /* non-NULL while a clone runs */
  char           *made;
};

G_DEFINE_TYPE (VlCloneDialog, vl_clone_dialog, GTK_TYPE_DIALOG)

static gboolean
check (VlCloneDialog *self)
{
  const char *name = gtk_entry_get_text (self->entry);
  g_autoptr(GError) error = NULL;
  gboolean ok = vl_guest_check_name (name, &error);

  if (ok && self->existing != NULL && g_strv_contains ((const char * const *) self->existing, name))
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("A guest named “%s” already exists."), name);
      ok = FALSE;
    }
  gtk_label_set_text (self->message, ok ? "" : error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->message), !ok);
  gtk_widget_set_sensitive (self->clone_button, ok && self->cancellable == NULL);
  return ok;
}

static void
progress (double fraction, const char *text, gpointer user_data)
{
  VlCloneDialog *self = user_data;

  gtk_progress_bar_set_fraction (self->progress, fraction);
  gtk_label_set_text (self->status, text);
}

static void
clone_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlCloneDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *made = vl_guest_clone_finish (GVIR_DOMAIN (source), result, &error);

  g_clear_object (&self->cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->entry), TRUE);
  if (made != NULL)
    {
      self->made = g_steal_pointer (&made);
      gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_OK);
      return;
    }
  gtk_widget_hide (GTK_WIDGET (self->progress));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_label_set_text (self->status, _("Cancelled: nothing of the clone was kept."));
  else
    {
      /* What was typed stays; the reason is shown where the user looks. */
      gtk_label_set_text (self->status, "");
      gtk_label_set_text (self->message, error->message);
      gtk_widget_show (GTK_WIDGET (self->message));
    }
  check (self);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_label_set_text (self->message, error->message);
      gtk_widget_show (GTK_WIDGET (self->message));
    }
}

static void
response (VlCloneDialog *self, int response_id)
{
  if (response_id == GTK_RESPONSE_ACCEPT)
    {
      g_signal_stop_emission_by_name (self, "response");
      if (!check (self) || self->cancellable != NULL)
        return;
      self->cancellable = g_cancellable_new ();
      gtk_widget_set_sensitive (self->clone_button, FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->entry), FALSE);
      gtk_progress_bar_set_fraction (self->progress, 0);
      gtk_widget_show (GTK_WIDGET (self->progress));
      gtk_label_set_text (self->status, _("Checking the guest…"));
      vl_guest_clone_async (self->source, gtk_entry_get_text (self->entry), self->cancellable,
                            progress, self, clone_done, g_object_ref (self));
    }
  else if (response_id == GTK_RESPONSE_CANCEL || response_id == GTK_RESPONSE_DELETE_EVENT)
    {
      if (self->cancellable != NULL)
        {
          /* Cancel the clone first; the dialog stays until nothing of it is left. */
          g_signal_stop_emission_by_name (self, "response");
          g_cancellable_cancel (self->cancellable);
          gtk_label_set_text (self->status, _("Cancelling: removing what was copied…"));
        }
    }
}

static gboolean
delete_event (GtkWidget *widget, GdkEventAny *event)
{
  VlCloneDialog *self = VL_CLONE_DIALOG (widget);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      return TRUE;
    }
  return FALSE;
}

GtkEntry *
vl_clone_dialog_get_entry (VlCloneDialog *self)
{
  return self->entry;
}

const char *
vl_clone_dialog_get_message (VlCloneDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->message)) ? gtk_label_get_text (self->message) : NULL;
}

gboolean
vl_clone_dialog_is_running (VlCloneDialog *self)
{
  return self->cancellable != NULL;
}

const char *
vl_clone_dialog_get_made (VlCloneDialog *self)
{
  return self->made;
}

static void
vl_clone_dialog_finalize (GObject *object)
{
  VlCloneDialog *self = VL_CLONE_DIALOG (object);

  g_clear_object (&self->source);
  g_strfreev (self->existing);
  g_clear_object (&self->cancellable);
  g_free (self->made);
  G_OBJECT_CLASS (vl_clone_dialog_parent_class)->finalize (object);
}

static void
vl_clone_dialog_class_init (VlCloneDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vl_clone_dialog_finalize;
  GTK_WIDGET_CLASS (klass)->delete_event = delete_event;
}

static void
vl_clone_dialog_init (VlCloneDialog *self)
{
}

VlCloneDialog *
vl_clone_dialog_new (GtkWindow *parent, GVirDomain *source, const char * const *existing)
{
  VlCloneDialog *self = g_object_new (VL_TYPE_CLONE_DIALOG, "use-header-bar", TRUE, "modal", TRUE,
                                      "resizable", FALSE, "transient-for", parent,
                                      "destroy-with-parent", TRUE, NULL);
  g_autofree char *title = g_strdup_printf (_("Clone “%s”"), gvir_domain_get_name (source));
  g_autofree char *suggested = NULL;
  GtkWidget *grid, *label, *note;

  self->source = g_object_ref (source);
  self->existing = g_strdupv ((char **) existing);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_dialog_add_button (GTK_DIALOG (self), _("_Cancel"), GTK_RESPONSE_CANCEL);
  self->clone_button = gtk_dialog_add_button (GTK_DIALOG (self), _("C_lone"), GTK_RESPONSE_ACCEPT);
  gtk_style_context_add_class (gtk_widget_get_style_context (self->clone_button), "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (self), GTK_RESPONSE_ACCEPT);

  grid = g_object_new (GTK_TYPE_GRID, "row-spacing", 6, "column-spacing", 12, "border-width", 18, NULL);
  self->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_width_chars (self->entry, 32);
  gtk_entry_set_activates_default (self->entry, TRUE);
  for (guint n = 0;; n++)
    {
      g_free (suggested);
      suggested = n == 0 ? g_strdup_printf ("%s-clone", gvir_domain_get_name (source))
                         : g_strdup_printf ("%s-clone%u", gvir_domain_get_name (source), n + 1);
      if (self->existing == NULL || !g_strv_contains ((const char * const *) self->existing, suggested))
        break;
    }
  gtk_entry_set_text (self->entry, suggested);
  label = gtk_label_new_with_mnemonic (_("_Name"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->entry));
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  self->message = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->message, 0);
  gtk_label_set_line_wrap (self->message, TRUE);
  gtk_label_set_max_width_chars (self->message, 44);
  gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->message)), "error");
  note = gtk_label_new (_("The copy gets its own UUID and network addresses; each writable disk is copied "
                          "beside the original, and CD and DVD images are shared."));
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_label_set_line_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (note), 44);
  gtk_style_context_add_class (gtk_widget_get_style_context (note), "dim-label");
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  self->status = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_ellipsize (self->status, PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (self->status, 44);

  gtk_grid_attach (GTK_GRID (grid), label, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->entry), 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->message), 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), note, 1, 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->progress), 0, 3, 2, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->status), 0, 4, 2, 1);
  gtk_container_add (GTK_CONTAINER (gtk_dialog_get_content_area (GTK_DIALOG (self))), grid);
  gtk_widget_show_all (grid);
  gtk_widget_hide (GTK_WIDGET (self->progress));
  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (check), self);
  g_signal_connect (self, "response", G_CALLBACK (response), NULL);
  check (self);
  return self;
}
