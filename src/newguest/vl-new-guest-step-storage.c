/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The assistant's "Storage" step: a new disk in a pool (or a folder), an existing file, or none. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-guest-creator.h"
#include "vl-new-guest-steps.h"

struct _VlNewGuestStepStorage
{
  VlNewGuestStep parent_instance;

  VlGuestCreator *creator;
  gboolean filling;
  GtkAdjustment *disk_adj;
  GtkSpinButton *disk_spin;
  GtkToggleButton *storage_new_radio, *storage_existing_radio, *storage_none_radio;
  GtkComboBoxText *pool_combo;
  GtkLabel *pool_label, *storage_error;
  GtkEntry *existing_entry;
  GtkButton *existing_browse;
};

G_DEFINE_FINAL_TYPE (VlNewGuestStepStorage, vl_new_guest_step_storage, VL_TYPE_NEW_GUEST_STEP)

static void
vl_new_guest_step_storage_apply (VlNewGuestStep *step, VlGuestSpec *spec)
{
  VlNewGuestStepStorage *self = VL_NEW_GUEST_STEP_STORAGE (step);

  gtk_spin_button_update (self->disk_spin);
  if (gtk_toggle_button_get_active (self->storage_existing_radio))
    vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_EXISTING_FILE, 0,
                               gtk_entry_get_text (self->existing_entry));
  else if (gtk_toggle_button_get_active (self->storage_none_radio))
    vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NONE, 0, NULL);
  else
    vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME,
                               (guint64) gtk_adjustment_get_value (self->disk_adj), NULL);
}

static void
vl_new_guest_step_storage_load (VlNewGuestStep *step, VlGuestSpec *spec)
{
  VlNewGuestStepStorage *self = VL_NEW_GUEST_STEP_STORAGE (step);

  gtk_adjustment_set_value (self->disk_adj, (double) vl_guest_spec_get_disk_gib (spec));
}

/* The chosen pool, and how much room it has. */
static void
update_pool_label (VlNewGuestStepStorage *self)
{
  VlGuestSpec *spec = vl_new_guest_step_get_spec (VL_NEW_GUEST_STEP (self));
  guint64 available = spec != NULL ? vl_guest_spec_get_pool_available (spec) : G_MAXUINT64;
  g_autofree char *free_text = available != G_MAXUINT64
                                 ? g_format_size_full (available, G_FORMAT_SIZE_IEC_UNITS)
                                 : NULL;
  g_autofree char *text = NULL;
  const char *dir = spec != NULL ? vl_guest_spec_get_pool_dir (spec) : NULL;
  GVirConnection *connection = self->creator != NULL ? vl_guest_creator_get_connection (self->creator) : NULL;
  g_autofree char *embed_images = connection != NULL
                                    ? vl_guest_creator_embed_image_dir (gvir_connection_get_uri (connection))
                                    : NULL;

  if (dir == NULL)
    text = g_strdup ("");
  else if (embed_images != NULL)
    {
      /* libvirt has no storage driver in embedded mode: say how the disk is made instead. */
      text = free_text != NULL
               ? g_strdup_printf (_(
                                    "The embedded QEMU driver has no storage pools, so the disk is made with "
                                    "qemu-img as a qcow2 file in “%s” (%s free)."),
                                  dir, free_text)
               : g_strdup_printf (_(
                                    "The embedded QEMU driver has no storage pools, so the disk is made with "
                                    "qemu-img as a qcow2 file in “%s”."),
                                  dir);
    }
  else if (!vl_guest_creator_has_storage_pools (self->creator))
    text = free_text != NULL ? g_strdup_printf (_("A qcow2 file in “%s”, %s free"), dir, free_text)
                             : g_strdup_printf (_("A qcow2 file in “%s”"), dir);
  else
    text = free_text != NULL ? g_strdup_printf (_("In “%s”, %s free"), dir, free_text)
                             : g_strdup_printf (_("In “%s”"), dir);
  gtk_label_set_text (self->pool_label, text);
}

/* A refusal is about what was chosen before (a disk too big for that pool): a change makes it stale. */
static void
on_changed (VlNewGuestStepStorage *self)
{
  if (!self->filling)
    vl_new_guest_step_show_error (VL_NEW_GUEST_STEP (self), NULL);
}

static void
on_pool_changed (VlNewGuestStepStorage *self)
{
  const char *name = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->pool_combo));
  VlGuestSpec *spec = vl_new_guest_step_get_spec (VL_NEW_GUEST_STEP (self));
  GPtrArray *pools = self->creator != NULL ? vl_guest_creator_get_pools (self->creator) : NULL;

  for (guint i = 0; spec != NULL && pools != NULL && name != NULL && i < pools->len; i++)
    {
      VlGuestPool *pool = pools->pdata[i];

      if (g_strcmp0 (pool->name, name) == 0)
        vl_guest_spec_set_pool (spec, pool->name, pool->dir, pool->available);
    }
  update_pool_label (self);
  on_changed (self);
}

void
vl_new_guest_step_storage_show_pools (VlNewGuestStepStorage *self, VlGuestCreator *creator)
{
  GPtrArray *pools = creator != NULL ? vl_guest_creator_get_pools (creator) : NULL;
  VlGuestSpec *spec = vl_new_guest_step_get_spec (VL_NEW_GUEST_STEP (self));

  g_return_if_fail (VL_IS_NEW_GUEST_STEP_STORAGE (self));
  g_set_object (&self->creator, creator);
  self->filling = TRUE;
  gtk_combo_box_text_remove_all (self->pool_combo);
  for (guint i = 0; pools != NULL && i < pools->len; i++)
    {
      VlGuestPool *pool = pools->pdata[i];
      g_autofree char *text = pool->exists
                                ? g_strdup (pool->name)
                                : g_strdup_printf (_("%s (made when the guest is created)"), pool->name);

      gtk_combo_box_text_append (self->pool_combo, pool->name, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->pool_combo), pools != NULL && pools->len > 0);
  if (spec != NULL && pools != NULL)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->pool_combo), vl_guest_spec_get_pool_name (spec));
  self->filling = FALSE;
  update_pool_label (self);
}

static void
on_browse_clicked (VlNewGuestStepStorage *self)
{
  vl_new_guest_step_browse_into (GTK_WIDGET (self), self->existing_entry, _("Choose a disk image"), FALSE);
}

/* Typing a file's path chooses that option: the user need not click the radio button too. */
static void
on_existing_changed (VlNewGuestStepStorage *self)
{
  on_changed (self);
  gtk_toggle_button_set_active (self->storage_existing_radio, TRUE);
}

static void
vl_new_guest_step_storage_dispose (GObject *object)
{
  g_clear_object (&VL_NEW_GUEST_STEP_STORAGE (object)->creator);
  G_OBJECT_CLASS (vl_new_guest_step_storage_parent_class)->dispose (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, VlNewGuestStepStorage, name)

static void
vl_new_guest_step_storage_class_init (VlNewGuestStepStorageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  VlNewGuestStepClass *step_class = VL_NEW_GUEST_STEP_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vl_new_guest_step_storage_dispose;
  step_class->id = VL_ASSISTANT_STEP_STORAGE;
  step_class->apply = vl_new_guest_step_storage_apply;
  step_class->load = vl_new_guest_step_storage_load;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/virtlab/Virtlab/vl-new-guest-step-storage.ui");
  BIND (disk_adj);
  BIND (disk_spin);
  BIND (storage_new_radio);
  BIND (storage_existing_radio);
  BIND (storage_none_radio);
  BIND (pool_combo);
  BIND (pool_label);
  BIND (storage_error);
  BIND (existing_entry);
  BIND (existing_browse);
}

static void
vl_new_guest_step_storage_init (VlNewGuestStepStorage *self)
{
  GtkToggleButton *radios[] = { NULL, NULL, NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  vl_new_guest_step_set_error_label (VL_NEW_GUEST_STEP (self), self->storage_error);
  radios[0] = self->storage_new_radio;
  radios[1] = self->storage_existing_radio;
  radios[2] = self->storage_none_radio;
  g_signal_connect_swapped (self->pool_combo, "changed", G_CALLBACK (on_pool_changed), self);
  g_signal_connect_swapped (self->disk_adj, "value-changed", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->existing_entry, "changed", G_CALLBACK (on_existing_changed), self);
  g_signal_connect_swapped (self->existing_browse, "clicked", G_CALLBACK (on_browse_clicked), self);
  for (guint i = 0; i < G_N_ELEMENTS (radios); i++)
    g_signal_connect_swapped (radios[i], "toggled", G_CALLBACK (on_changed), self);
}
