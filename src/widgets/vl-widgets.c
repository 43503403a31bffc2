/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small GTK helpers that several pages repeat: emptying a container, a grid of named facts. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

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

/* A menu button's tooltip would sit over the first item of its open menu and take its click
 * (issue 15, item 11): no tooltip while the menu is open. */
static void
menu_button_toggled (GtkToggleButton *button, gpointer user_data)
{
  gboolean open = gtk_toggle_button_get_active (button);

  gtk_widget_set_has_tooltip (GTK_WIDGET (button), !open);
  /* Hides one already shown, now that the button has none. */
  if (open && gtk_widget_get_realized (GTK_WIDGET (button)))
    gtk_widget_trigger_tooltip_query (GTK_WIDGET (button));
}

void
vl_menu_button_quiet_tooltip (GtkMenuButton *button)
{
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));

  g_signal_connect (button, "toggled", G_CALLBACK (menu_button_toggled), NULL);
}

/* What a screen reader says for the widget (issue 15, item 19). */
void
vl_accessible_set_name (GtkWidget *widget, const char *name)
{
  AtkObject *accessible = gtk_widget_get_accessible (widget);

  if (accessible != NULL && name != NULL)
    atk_object_set_name (accessible, name);
}

static void
name_entry (GtkWidget *widget, gpointer user_data)
{
  if (GTK_IS_ENTRY (widget))
    {
      AtkObject *accessible = gtk_widget_get_accessible (widget);
      const char *name = accessible != NULL ? atk_object_get_name (accessible) : NULL;

      if (accessible != NULL && (name == NULL || name[0] == '\0'))
        {
          g_autoptr(GList) labels = gtk_widget_list_mnemonic_labels (widget);
          g_autofree char *text = NULL;

          /* The label that names it on screen ("_Name:"), without the colon; else its hint. */
          if (labels != NULL && GTK_IS_LABEL (labels->data))
            text = g_strdup (gtk_label_get_text (labels->data));
          else if (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)) != NULL)
            text = g_strdup (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)));
          else if (gtk_widget_get_tooltip_text (widget) != NULL)
            text = gtk_widget_get_tooltip_text (widget);
          if (text != NULL)
            {
              g_strstrip (text);
              if (g_str_has_suffix (text, ":"))
                text[strlen (text) - 1] = '\0';
              else if (g_str_has_suffix (text, "："))
                text[strlen (text) - strlen ("：")] = '\0';
              atk_object_set_name (accessible, text);
            }
        }
    }
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), name_entry, NULL);
}

/* Every text entry under `root` without an accessible name gets the text of the label that
 * names it on screen, else its placeholder or tooltip: a screen reader otherwise says only
 * "text". Entries whose placeholder is an example rather than a name get theirs in the .ui. */
void
vl_accessible_name_entries (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  name_entry (root, NULL);
}
