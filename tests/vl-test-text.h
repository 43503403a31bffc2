/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helper: all the text a user reads in a widget tree (labels, progress texts, text views; only
 * the visible child of a stack, nothing of a hidden widget or an unrevealed info bar). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

static inline void
vl_test_collect_text (GtkWidget *widget, GString *text)
{
  if (!gtk_widget_get_visible (widget) ||
      (GTK_IS_INFO_BAR (widget) && !gtk_info_bar_get_revealed (GTK_INFO_BAR (widget))))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_PROGRESS_BAR (widget) && gtk_progress_bar_get_text (GTK_PROGRESS_BAR (widget)) != NULL)
    g_string_append_printf (text, "%s\n", gtk_progress_bar_get_text (GTK_PROGRESS_BAR (widget)));
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;
      g_autofree char *content = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      content = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      g_string_append (text, content);
    }
  /* A stack shows only one of its children. */
  if (GTK_IS_STACK (widget) && gtk_stack_get_visible_child (GTK_STACK (widget)) != NULL)
    vl_test_collect_text (gtk_stack_get_visible_child (GTK_STACK (widget)), text);
  else if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        vl_test_collect_text (l->data, text);
    }
}

/* The text of PAGE, a line per label or progress text. */
static inline char *
vl_test_widget_text (GtkWidget *page)
{
  g_autoptr(GString) text = g_string_new (NULL);

  vl_test_collect_text (page, text);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

G_END_DECLS
