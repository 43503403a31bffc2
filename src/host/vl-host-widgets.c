/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the Host page and its parts show alike: wrapped labels, the helper's log, the helper's argv. */
#include "config.h"

#include "vl-host-widgets.h"
#include "vl-install-runner.h"

GtkWidget *
vl_host_label_new (const char *text, const char *style, gboolean selectable)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_line_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), selectable);
  if (style != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (label), style);
  gtk_widget_show (label);
  return label;
}

void
vl_host_log_append (GtkTextView *view, const char *line)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextMark *mark = gtk_text_buffer_get_mark (buffer, "log-end");
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  if (mark == NULL)
    mark = gtk_text_buffer_create_mark (buffer, "log-end", &end, FALSE);
  gtk_text_buffer_insert (buffer, &end, line, -1);
  gtk_text_buffer_insert (buffer, &end, "\n", 1);
  /* Follow the newest line; scroll_to_mark waits for the layout, unlike scroll_mark_onscreen. */
  gtk_text_view_scroll_to_mark (view, mark, 0, TRUE, 0, 1);
}

GStrv
vl_host_helper_argv (const char *sysroot)
{
  g_auto(GStrv) base = vl_install_runner_default_helper_argv ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_addv (builder, (const char **) base);
  /* Checking another system (a chroot) means installing into it. */
  if (sysroot != NULL && !g_str_equal (sysroot, "/"))
    {
      g_strv_builder_add (builder, "--root");
      g_strv_builder_add (builder, sysroot);
    }
  return g_strv_builder_end (builder);
}
