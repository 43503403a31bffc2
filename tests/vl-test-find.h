/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: a widget of a given type inside another. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The first widget of TYPE in WIDGET and its children (WIDGET itself first, then depth first), or NULL. */
static inline GtkWidget *
vl_test_find_type (GtkWidget *widget, GType type)
{
  g_autoptr(GList) children = NULL;

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  if (!GTK_IS_CONTAINER (widget))
    return NULL;
  children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l != NULL; l = l->next)
    {
      GtkWidget *found = vl_test_find_type (l->data, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

G_END_DECLS
