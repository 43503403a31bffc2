/* The Guests page: libvirt connections, their guests, and the new-guest assistant. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-guests-page.h"

struct _VlGuestsPage
{
  GtkBox parent_instance;

  GPtrArray *pending_uris;
};

G_DEFINE_FINAL_TYPE (VlGuestsPage, vl_guests_page, GTK_TYPE_BOX)

void
vl_guests_page_open_connections (VlGuestsPage *self, const char * const *uris)
{
  g_return_if_fail (VL_IS_GUESTS_PAGE (self));

  for (guint i = 0; uris != NULL && uris[i] != NULL; i++)
    g_ptr_array_add (self->pending_uris, g_strdup (uris[i]));
}

static void
vl_guests_page_finalize (GObject *object)
{
  VlGuestsPage *self = VL_GUESTS_PAGE (object);

  g_clear_pointer (&self->pending_uris, g_ptr_array_unref);
  G_OBJECT_CLASS (vl_guests_page_parent_class)->finalize (object);
}

static void
vl_guests_page_class_init (VlGuestsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = vl_guests_page_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-guests-page.ui");
}

static void
vl_guests_page_init (VlGuestsPage *self)
{
  self->pending_uris = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
