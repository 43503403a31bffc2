/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlNewGuestStep: what every step of the new-guest assistant has (its id, the spec, its message). */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-new-guest-steps.h"

typedef struct
{
  VlGuestSpec *spec;
  GtkLabel *error_label;
} VlNewGuestStepPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (VlNewGuestStep, vl_new_guest_step, GTK_TYPE_BOX)

static const char *const step_names[] = {
  "connection", "source", "os", "mode", "resources", "storage", "network", "name",
};
static const char *const step_titles[] = {
  N_("Connection"),     N_("Install source"),        N_("Operating system"),
  N_("Virtualization"), N_("Memory and processors"), N_("Storage"),
  N_("Network"),        N_("Name and summary"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (step_names) == VL_N_ASSISTANT_STEPS);
G_STATIC_ASSERT (G_N_ELEMENTS (step_titles) == VL_N_ASSISTANT_STEPS);
G_STATIC_ASSERT ((int) VL_ASSISTANT_STEP_NAME == (int) VL_GUEST_STEP_NAME + 1);

const char *
vl_new_guest_step_id_name (VlAssistantStep id)
{
  g_return_val_if_fail (id < VL_N_ASSISTANT_STEPS, NULL);
  return step_names[id];
}

const char *
vl_new_guest_step_id_title (VlAssistantStep id)
{
  g_return_val_if_fail (id < VL_N_ASSISTANT_STEPS, NULL);
  return _(step_titles[id]);
}

VlGuestStep
vl_new_guest_step_id_to_check (VlAssistantStep id)
{
  g_return_val_if_fail (id > VL_ASSISTANT_STEP_CONNECTION && id < VL_N_ASSISTANT_STEPS, VL_GUEST_STEP_SOURCE);
  return (VlGuestStep) (id - 1);
}

VlAssistantStep
vl_new_guest_step_id_of_check (VlGuestStep check)
{
  return (VlAssistantStep) (check + 1);
}

static gboolean
vl_new_guest_step_real_is_complete (VlNewGuestStep *self, VlGuestSpec *spec, GError **error)
{
  VlAssistantStep id = vl_new_guest_step_get_id (self);

  if (id == VL_ASSISTANT_STEP_CONNECTION)
    return TRUE;
  return vl_guest_spec_check_step (spec, vl_new_guest_step_id_to_check (id), error);
}

static void
vl_new_guest_step_dispose (GObject *object)
{
  VlNewGuestStepPrivate *priv = vl_new_guest_step_get_instance_private (VL_NEW_GUEST_STEP (object));

  g_clear_object (&priv->spec);
  priv->error_label = NULL;
  G_OBJECT_CLASS (vl_new_guest_step_parent_class)->dispose (object);
}

static void
vl_new_guest_step_class_init (VlNewGuestStepClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vl_new_guest_step_dispose;
  klass->is_complete = vl_new_guest_step_real_is_complete;
}

static void
vl_new_guest_step_init (VlNewGuestStep *self)
{
}

VlAssistantStep
vl_new_guest_step_get_id (VlNewGuestStep *self)
{
  g_return_val_if_fail (VL_IS_NEW_GUEST_STEP (self), VL_ASSISTANT_STEP_CONNECTION);
  return VL_NEW_GUEST_STEP_GET_CLASS (self)->id;
}

void
vl_new_guest_step_set_spec (VlNewGuestStep *self, VlGuestSpec *spec)
{
  VlNewGuestStepPrivate *priv = vl_new_guest_step_get_instance_private (self);

  g_return_if_fail (VL_IS_NEW_GUEST_STEP (self));
  g_set_object (&priv->spec, spec);
}

VlGuestSpec *
vl_new_guest_step_get_spec (VlNewGuestStep *self)
{
  VlNewGuestStepPrivate *priv = vl_new_guest_step_get_instance_private (self);

  g_return_val_if_fail (VL_IS_NEW_GUEST_STEP (self), NULL);
  return priv->spec;
}

void
vl_new_guest_step_apply (VlNewGuestStep *self)
{
  VlNewGuestStepPrivate *priv = vl_new_guest_step_get_instance_private (self);

  g_return_if_fail (VL_IS_NEW_GUEST_STEP (self));
  if (priv->spec != NULL && VL_NEW_GUEST_STEP_GET_CLASS (self)->apply != NULL)
    VL_NEW_GUEST_STEP_GET_CLASS (self)->apply (self, priv->spec);
}

void
vl_new_guest_step_load (VlNewGuestStep *self)
{
  VlNewGuestStepPrivate *priv = vl_new_guest_step_get_instance_private (self);

  g_return_if_fail (VL_IS_NEW_GUEST_STEP (self));
  if (priv->spec != NULL && VL_NEW_GUEST_STEP_GET_CLASS (self)->load != NULL)
    VL_NEW_GUEST_STEP_GET_CLASS (self)->load (self, priv->spec);
}

void
vl_new_guest_step_enter (VlNewGuestStep *self)
{
  VlNewGuestStepPrivate *priv = vl_new_guest_step_get_instance_private (self);

  g_return_if_fail (VL_IS_NEW_GUEST_STEP (self));
  if (priv->spec != NULL && VL_NEW_GUEST_STEP_GET_CLASS (self)->enter != NULL)
    VL_NEW_GUEST_STEP_GET_CLASS (self)->enter (self, priv->spec);
}

gboolean
vl_new_guest_step_is_complete (VlNewGuestStep *self, GError **error)
{
  VlNewGuestStepPrivate *priv = vl_new_guest_step_get_instance_private (self);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (VL_IS_NEW_GUEST_STEP (self), FALSE);
  g_return_val_if_fail (priv->spec != NULL, FALSE);
  vl_new_guest_step_apply (self);
  if (!VL_NEW_GUEST_STEP_GET_CLASS (self)->is_complete (self, priv->spec, &local_error))
    {
      vl_new_guest_step_show_error (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  vl_new_guest_step_show_error (self, NULL);
  return TRUE;
}

void
vl_new_guest_step_set_error_label (VlNewGuestStep *self, GtkLabel *label)
{
  VlNewGuestStepPrivate *priv = vl_new_guest_step_get_instance_private (self);

  g_return_if_fail (VL_IS_NEW_GUEST_STEP (self));
  priv->error_label = label;
}

void
vl_new_guest_step_show_error (VlNewGuestStep *self, const char *message)
{
  VlNewGuestStepPrivate *priv = vl_new_guest_step_get_instance_private (self);

  g_return_if_fail (VL_IS_NEW_GUEST_STEP (self));
  if (priv->error_label == NULL)
    return;
  gtk_label_set_text (priv->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (priv->error_label), message != NULL);
}

const char *
vl_new_guest_step_get_error (VlNewGuestStep *self)
{
  VlNewGuestStepPrivate *priv = vl_new_guest_step_get_instance_private (self);

  g_return_val_if_fail (VL_IS_NEW_GUEST_STEP (self), NULL);
  if (priv->error_label == NULL || !gtk_widget_get_visible (GTK_WIDGET (priv->error_label)))
    return NULL;
  return gtk_label_get_text (priv->error_label);
}

/* ---- file choosers, for the steps that take a file ---------------------------------------- */

static void
chooser_response (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  GtkEntry *entry = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dialog));

      if (path != NULL)
        gtk_entry_set_text (entry, path);
    }
  g_object_unref (dialog);
  g_object_unref (entry);
}

void
vl_new_guest_step_browse_into (GtkWidget *from, GtkEntry *entry, const char *title, gboolean iso_only)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (from);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title,
                                                               GTK_IS_WINDOW (toplevel)
                                                                 ? GTK_WINDOW (toplevel)
                                                                 : NULL,
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                                               _("_Cancel"));

  if (iso_only)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _("Disc images (*.iso)"));
      gtk_file_filter_add_pattern (filter, "*.iso");
      gtk_file_filter_add_pattern (filter, "*.ISO");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  /* It opens where the typed path points, or in the home folder: GTK's "Recent" is empty on a new system. */
  {
    g_autofree char *typed_dir = g_path_get_dirname (gtk_entry_get_text (entry));

    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser),
                                         g_path_is_absolute (typed_dir) &&
                                             g_file_test (typed_dir, G_FILE_TEST_IS_DIR)
                                           ? typed_dir
                                           : g_get_home_dir ());
  }
  /* The assistant is modal: a chooser that is not would sit under its grab and take no input. */
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response), g_object_ref (entry));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
