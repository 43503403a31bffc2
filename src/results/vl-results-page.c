/* The Results page: stored benchmark runs and their charts. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-results-page.h"

struct _VlResultsPage
{
  GtkBox parent_instance;

  GPtrArray *files;
};

G_DEFINE_FINAL_TYPE (VlResultsPage, vl_results_page, GTK_TYPE_BOX)

void
vl_results_page_open_files (VlResultsPage *self, GFile **files, guint n_files)
{
  g_return_if_fail (VL_IS_RESULTS_PAGE (self));

  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (self->files, g_object_ref (files[i]));
}

static void
vl_results_page_dispose (GObject *object)
{
  VlResultsPage *self = VL_RESULTS_PAGE (object);

  g_clear_pointer (&self->files, g_ptr_array_unref);
  G_OBJECT_CLASS (vl_results_page_parent_class)->dispose (object);
}

static void
vl_results_page_class_init (VlResultsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = vl_results_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-results-page.ui");
}

static void
vl_results_page_init (VlResultsPage *self)
{
  self->files = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
}
