/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Results page's verbs, in the `results.` action group: open, export, filter, baseline, systems. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-result-export.h"
#include "vl-result-loader.h"
#include "vl-results-page-private.h"

/* ---- open ------------------------------------------------------------------------------------- */

static void
open_response (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  VlResultsPage *self = user_data;
  g_autoptr(GSList) files = NULL;
  g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      for (GSList *l = files; l != NULL; l = l->next)
        g_ptr_array_add (array, l->data);
      vl_results_page_open_files (self, (GFile **) array->pdata, array->len);
    }
  g_clear_object (&self->chooser);
}

static GtkWindow *
parent_window (VlResultsPage *self)
{
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));

  return GTK_IS_WINDOW (toplevel) ? GTK_WINDOW (toplevel) : NULL;
}

static void
open_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlResultsPage *self = user_data;
  GtkFileFilter *filter;
  g_autofree char *pts = g_build_filename (g_get_home_dir (), ".phoronix-test-suite", "test-results", NULL);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Open Result Files"), parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Phoronix Test Suite results (*.xml)"));
  gtk_file_filter_add_pattern (filter, "*.xml");
  gtk_file_filter_add_mime_type (filter, "application/xml");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  if (g_file_test (pts, G_FILE_TEST_IS_DIR))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), pts);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);  /* takes input over a modal window too */
  g_signal_connect (self->chooser, "response", G_CALLBACK (open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
open_study_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  vl_results_page_open_study (user_data);
}

/* ---- export ----------------------------------------------------------------------------------- */

typedef struct
{
  VlResultSet *set;
  char       **systems;
  char       **hidden;     /* the systems the page does not show, in the user's order */
  VlCategory   category;
  char        *format;
  char        *directory;
  guint        n_left_out; /* results none of the shown systems ran */
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_pointer (&data->set, vl_result_set_unref);
  g_strfreev (data->systems);
  g_strfreev (data->hidden);
  g_free (data->format);
  g_free (data->directory);
  g_free (data);
}

static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;
  GPtrArray *written = vl_result_set_export (data->set, (const char * const *) data->systems, data->category,
                                             data->format, 800, data->directory, &data->n_left_out,
                                             &error);

  if (written == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, written, (GDestroyNotify) g_ptr_array_unref);
}

static void
export_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlResultsPage) self = VL_RESULTS_PAGE (source);
  ExportData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) written = g_task_propagate_pointer (G_TASK (result), &error);

  if (written == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vl_results_page_show_message (self, GTK_MESSAGE_ERROR, error->message);
    }
  else
    {
      g_autofree char *dir = g_filename_display_name (data->directory);
      g_autoptr(GString) msg = g_string_new (NULL);

      g_string_printf (msg, ngettext ("Saved %u file in “%s”.", "Saved %u files in “%s”.", written->len),
                       written->len, dir);
      /* What the page does not show is not in the files either: say so. */
      if (data->hidden[0] != NULL)
        {
          g_autofree char *names = g_strjoinv (_(", "), data->hidden);

          g_string_append_c (msg, ' ');
          g_string_append_printf (msg, ngettext ("Left out: the hidden system %2$s (%1$u).",
                                                 "Left out: the hidden systems %2$s (%1$u).",
                                                 g_strv_length (data->hidden)),
                                  g_strv_length (data->hidden), names);
        }
      if (data->n_left_out > 0)
        {
          g_string_append_c (msg, ' ');
          g_string_append_printf (msg, ngettext ("%u result that no shown system ran is not exported.",
                                                 "%u results that no shown system ran are not exported.",
                                                 data->n_left_out),
                                  data->n_left_out);
        }
      vl_results_page_show_status (self, msg->str);
    }
  vl_results_page_set_pending (self, -1);
}

/* Writes what the page shows (systems, order, category) into `directory`, off the main loop. */
void
vl_results_page_export_to (VlResultsPage *self, const char *format, GFile *directory)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;

  g_return_if_fail (VL_IS_RESULTS_PAGE (self));
  if (self->merged == NULL)
    return;
  data = g_new0 (ExportData, 1);
  data->set = vl_result_set_ref (self->merged);
  data->systems = vl_results_page_visible_systems (self);
  data->hidden = vl_results_page_hidden_systems (self);
  data->category = self->category;
  data->format = g_strdup (format);
  data->directory = g_file_get_path (directory);
  if (data->directory == NULL)
    data->directory = g_file_get_uri (directory);
  task = g_task_new (g_object_ref (self), self->cancellable, export_done, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  vl_results_page_set_pending (self, +1);
  g_task_run_in_thread (task, export_thread);
}

static void
export_response (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  VlResultsPage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) dir = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      const char *format = g_object_get_data (G_OBJECT (dialog), "format");
      g_autofree char *path = dir != NULL ? g_file_get_path (dir) : NULL;

      /* The next export opens here. */
      if (path != NULL)
        g_settings_set_string (self->settings, "export-folder", path);
      if (dir != NULL)
        vl_results_page_export_to (self, format, dir);
    }
  g_clear_object (&self->chooser);
}

static void
export_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlResultsPage *self = user_data;
  const char *format = g_variant_get_string (param, NULL);

  if (self->chooser != NULL || self->merged == NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export to Folder"), parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), _("_Cancel"));
  g_object_set_data_full (G_OBJECT (self->chooser), "format", g_strdup (format), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);  /* takes input over a modal window too */
  /* Not "Recent", where a folder cannot be chosen: the last export folder, or Documents. */
  {
    g_autofree char *last = g_settings_get_string (self->settings, "export-folder");
    const char *start = last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_DIR) ? last :
                        g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

    if (start == NULL || !g_file_test (start, G_FILE_TEST_IS_DIR))
      start = g_get_home_dir ();
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), start);
    gtk_file_chooser_set_create_folders (GTK_FILE_CHOOSER (self->chooser), TRUE);
  }
  g_signal_connect (self->chooser, "response", G_CALLBACK (export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- view ------------------------------------------------------------------------------------- */

static void
category_change (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  VlResultsPage *self = user_data;
  VlCategory category;

  if (!vl_category_from_id (g_variant_get_string (value, NULL), &category))
    return;
  self->category = category;
  g_simple_action_set_state (action, value);
  g_settings_set_string (self->settings, "results-category", vl_category_get_id (category));
  vl_results_page_refresh (self);
}

static void
baseline_change (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  VlResultsPage *self = user_data;
  const char *id = g_variant_get_string (value, NULL);

  if (self->merged == NULL || vl_result_set_find_system (self->merged, id) == NULL)
    return;
  /* The baseline is always shown. */
  g_hash_table_remove (self->hidden, id);
  g_free (self->baseline);
  self->baseline = g_strdup (id);
  g_simple_action_set_state (action, value);
  vl_results_page_update_systems (self);
}

static void
toggle_system_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlResultsPage *self = user_data;
  const char *id = g_variant_get_string (param, NULL);

  if (self->merged == NULL || vl_result_set_find_system (self->merged, id) == NULL)
    return;
  if (!g_hash_table_remove (self->hidden, id))
    g_hash_table_add (self->hidden, g_strdup (id));
  vl_results_page_refresh (self);
}

static void
move_system (VlResultsPage *self, const char *id, int delta)
{
  guint index;
  int to;

  if (!g_ptr_array_find_with_equal_func (self->system_order, id, g_str_equal, &index))
    return;
  to = (int) index + delta;
  if (to < 0 || to >= (int) self->system_order->len)
    return;
  {
    gpointer tmp = self->system_order->pdata[index];

    self->system_order->pdata[index] = self->system_order->pdata[to];
    self->system_order->pdata[to] = tmp;
  }
  vl_results_page_update_systems (self);
}

static void
move_up_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  move_system (user_data, g_variant_get_string (param, NULL), -1);
}

static void
move_down_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  move_system (user_data, g_variant_get_string (param, NULL), +1);
}

static void
remove_run_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlResultsPage *self = user_data;
  const char *uri = g_variant_get_string (param, NULL);

  for (guint i = 0; i < self->runs->len; i++)
    if (g_str_equal (((VlLoadedRun *) g_ptr_array_index (self->runs, i))->uri, uri))
      {
        g_ptr_array_remove_index (self->runs, i);
        vl_results_page_rebuild (self);
        vl_results_page_save_files (self);
        return;
      }
}

static const GActionEntry entries[] = {
  { "open", open_activated },
  { "open-study", open_study_activated },
  { "export", export_activated, "s" },
  { "category", NULL, "s", "'all'", category_change },
  { "baseline", NULL, "s", "''", baseline_change },
  { "toggle-system", toggle_system_activated, "s" },
  { "move-system-up", move_up_activated, "s" },
  { "move-system-down", move_down_activated, "s" },
  { "remove-run", remove_run_activated, "s" },
};

void
vl_results_page_install_actions (VlResultsPage *self)
{
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "results", G_ACTION_GROUP (self->actions));
  /* The filter the user chose last time. */
  {
    g_autofree char *category = g_settings_get_string (self->settings, "results-category");

    g_action_group_change_action_state (G_ACTION_GROUP (self->actions), "category",
                                        g_variant_new_string (category));
  }
}
