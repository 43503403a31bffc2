/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small GTK helpers that several pages repeat: emptying a container, a grid of named facts. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-widgets.h"

/* Lists and columns are refilled from scratch when their model changes. */
void
vl_container_destroy_children (GtkContainer *container)
{
  g_autoptr(GList) children = gtk_container_get_children (container);

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
}

/* A fixed table of dimmed names and selectable values (so they can be copied), as the details
 * pages of virt-manager show them. Returns key -> value GtkLabel; the keys are the rows' static
 * strings, the labels belong to the grid. */
GHashTable *
vl_fact_grid_fill (GtkGrid *grid, const VlFactRow *rows, guint n_rows)
{
  GHashTable *values = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n_rows; i++)
    {
      GtkWidget *name = gtk_label_new (_(rows[i].label));
      GtkWidget *value = gtk_label_new ("—");

      gtk_label_set_xalign (GTK_LABEL (name), 1.0);
      gtk_label_set_yalign (GTK_LABEL (name), 0.0);
      gtk_style_context_add_class (gtk_widget_get_style_context (name), "dim-label");
      gtk_label_set_xalign (GTK_LABEL (value), 0.0);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_label_set_line_wrap (GTK_LABEL (value), TRUE);
      gtk_widget_set_hexpand (value, TRUE);
      gtk_grid_attach (grid, name, 0, i, 1, 1);
      gtk_grid_attach (grid, value, 1, i, 1, 1);
      gtk_widget_show (name);
      gtk_widget_show (value);
      g_hash_table_insert (values, (gpointer) rows[i].key, value);
    }
  return values;
}

const char *
vl_fact_grid_get (GHashTable *values, const char *key)
{
  GtkLabel *label = g_hash_table_lookup (values, key);

  return label != NULL ? gtk_label_get_text (label) : NULL;
}

/* An unknown or empty value shows as a dash, so the row does not look broken. */
void
vl_fact_grid_set (GHashTable *values, const char *key, const char *value)
{
  GtkLabel *label = g_hash_table_lookup (values, key);

  gtk_label_set_text (label, value != NULL && *value != '\0' ? value : "—");
}
