/* The Host page: checks this machine and installs a KVM host or a Xen dom0. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-host-page.h"

struct _VlHostPage
{
  GtkBox parent_instance;
};

G_DEFINE_FINAL_TYPE (VlHostPage, vl_host_page, GTK_TYPE_BOX)

static void
vl_host_page_class_init (VlHostPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-host-page.ui");
}

static void
vl_host_page_init (VlHostPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
