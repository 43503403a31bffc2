/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Results page's files: opening them (the 2010 study, the user's files, PTS runs found on the
 * computer), loading them off the main loop, and remembering them only once every chart was drawn. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "vl-chart.h"
#include "vl-chart-view.h"
#include "vl-result-export.h"
#include "vl-result-loader.h"
#include "vl-results-page-private.h"
#include "vl-busy.h"
#include "vl-widgets.h"


/* ---- loading ---------------------------------------------------------------------------------- */

/* The files the settings would remember (not the bundled study, not discovered PTS runs). */
static gboolean
is_remembered (const char *uri)
{
  /* The study too (it is a resource), so it comes back after a restart; not runs that discovery finds. */
  return g_str_equal (uri, VL_RESULT_STUDY_URI) ||
         (!g_str_has_prefix (uri, "resource://") && !vl_result_is_discovered_run (uri, g_get_home_dir ()));
}

/* The open files the settings keep, under KEY ("result-files", or "result-files-opening" while they
 * are being opened). */
static void
remember_open_files (VlResultsPage *self, const char *key)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) files = NULL;

  for (guint i = 0; i < self->runs->len; i++)
    {
      const char *uri = ((VlLoadedRun *) g_ptr_array_index (self->runs, i))->uri;

      if (is_remembered (uri))
        g_strv_builder_add (builder, uri);
    }
  files = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, key, (const char * const *) files);
}

static void
mark_opening (VlResultsPage *self)
{
  remember_open_files (self, "result-files-opening");
  /* On disk before the first chart is drawn, or a crash would lose the mark with the app. */
  g_settings_sync ();
}

/* Every chart once, off screen, at the page's width: what the screen will do, done before the files
 * are remembered. (Charts scrolled out of view would otherwise be drawn only much later.) */
static void
paint_all_charts (VlResultsPage *self)
{
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (self->chart_column));
  int width = MAX (400, gtk_widget_get_allocated_width (GTK_WIDGET (self->chart_column)));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);

  for (GList *l = children; l != NULL; l = l->next)
    if (VL_IS_CHART_VIEW (l->data))
      vl_chart_view_paint_offscreen (l->data, cr, width);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* The file opened alone shows its systems; every other file's are hidden (still open, a click away). */
static void
show_alone (VlResultsPage *self)
{
  g_autofree char *path = g_steal_pointer (&self->alone_path);
  VlResultSet *alone = NULL;

  for (guint i = 0; i < self->runs->len; i++)
    {
      VlLoadedRun *run = g_ptr_array_index (self->runs, i);

      if (g_str_equal (run->uri, path))
        alone = run->set;
    }
  if (alone == NULL)
    return;
  for (guint i = 0; i < self->runs->len; i++)
    {
      VlLoadedRun *run = g_ptr_array_index (self->runs, i);

      for (guint j = 0; run->set != alone && j < run->set->systems->len; j++)
        {
          const char *id = ((VlResultSystem *) g_ptr_array_index (run->set->systems, j))->identifier;

          if (vl_result_set_find_system (alone, id) == NULL && !g_hash_table_contains (self->hidden, id))
            g_hash_table_add (self->hidden, g_strdup (id));
        }
    }
  for (guint j = 0; j < alone->systems->len; j++)
    g_hash_table_remove (self->hidden,
                         ((VlResultSystem *) g_ptr_array_index (alone->systems, j))->identifier);
}

static void
runs_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlResultsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = vl_result_runs_load_finish (result, &error);

  if (loaded == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        vl_results_page_show_message (self, GTK_MESSAGE_ERROR, error->message);
      vl_results_page_set_pending (self, -1);
      return;
    }
  for (guint i = 0; i < loaded->len; i++)
    {
      VlLoadedRun *run = g_ptr_array_index (loaded, i);
      guint index;

      if (run->set == NULL)
        {
          vl_results_page_show_message (self, GTK_MESSAGE_WARNING, run->error->message);
          continue;
        }
      /* Opening a file again reloads it in place. */
      for (index = 0; index < self->runs->len; index++)
        if (g_str_equal (((VlLoadedRun *) g_ptr_array_index (self->runs, index))->uri, run->uri))
          break;
      g_ptr_array_index (loaded, i) = NULL;
      if (index < self->runs->len)
        {
          vl_loaded_run_free (g_ptr_array_index (self->runs, index));
          g_ptr_array_index (self->runs, index) = run;
        }
      else
        {
          g_ptr_array_add (self->runs, run);
        }
    }
  if (self->alone_path != NULL)
    show_alone (self);
  /* Should drawing these charts ever crash or hang the app, the next start must not open the
   * same files again by itself (and crash again): they are marked as being opened, and the mark
   * is cleared only once each chart was laid out and painted. */
  mark_opening (self);
  vl_results_page_rebuild (self);
  paint_all_charts (self);
  vl_results_page_save_files (self);
  g_settings_set_strv (self->settings, "result-files-opening", NULL);
  g_settings_sync ();
  vl_results_page_set_pending (self, -1);
}

static void
load_uris (VlResultsPage *self, const char * const *uris, const char *discover_home)
{
  vl_results_page_set_pending (self, +1);
  vl_result_runs_load_async (uris, discover_home, self->cancellable, runs_loaded, g_object_ref (self));
}

/* Remember what the user has open, the bundled study included (it stays until the user closes
 * it); discovered runs come back by themselves. */
void
vl_results_page_save_files (VlResultsPage *self)
{
  remember_open_files (self, "result-files");
}

/* First start, or nothing opened before: the 2010 study, so the page is never a blank wall. */
gboolean
vl_results_page_load_defaults (gpointer user_data)
{
  VlResultsPage *self = user_data;
  g_auto(GStrv) saved = g_settings_get_strv (self->settings, "result-files");
  g_auto(GStrv) opening = g_settings_get_strv (self->settings, "result-files-opening");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) again = NULL;
  const char *study[] = { VL_RESULT_STUDY_URI, NULL };

  self->defaults_source = 0;
  /* Files whose charts were being drawn when Virtlab last stopped are named, not reopened. */
  for (guint i = 0; saved[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) opening, saved[i]))
      g_strv_builder_add (builder, saved[i]);
  for (guint i = 0; opening[i] != NULL; i++)
    {
      g_autofree char *name = g_filename_display_name (opening[i]);
      g_autofree char *msg = g_strdup_printf (_("Virtlab stopped while drawing the charts of “%s” last time, "
                                                "so it was not opened again. Open it yourself to try again."),
                                              name);

      vl_results_page_show_message (self, GTK_MESSAGE_WARNING, msg);
    }
  again = g_strv_builder_end (builder);
  if (opening[0] != NULL)
    {
      g_settings_set_strv (self->settings, "result-files", (const char * const *) again);
      g_settings_set_strv (self->settings, "result-files-opening", NULL);
    }
  load_uris (self, again[0] != NULL ? (const char * const *) again : study, g_get_home_dir ());
  vl_results_page_set_pending (self, -1);
  return G_SOURCE_REMOVE;
}

void
vl_results_page_open_file_alone (VlResultsPage *self, GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  g_return_if_fail (VL_IS_RESULTS_PAGE (self));
  g_return_if_fail (path != NULL);

  g_free (self->alone_path);
  self->alone_path = g_steal_pointer (&path);
  vl_results_page_open_files (self, &file, 1);
}

/* The 2010 study again, after the user closed it (or it was left out by an older version). */
void
vl_results_page_open_study (VlResultsPage *self)
{
  const char *study[] = { VL_RESULT_STUDY_URI, NULL };

  g_return_if_fail (VL_IS_RESULTS_PAGE (self));

  if (self->defaults_source != 0)
    {
      g_clear_handle_id (&self->defaults_source, g_source_remove);
      vl_results_page_set_pending (self, -1);
    }
  load_uris (self, study, NULL);
}

void
vl_results_page_open_files (VlResultsPage *self, GFile **files, guint n_files)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) uris = NULL;

  g_return_if_fail (VL_IS_RESULTS_PAGE (self));

  /* Files named on the command line replace the first-start content. */
  if (self->defaults_source != 0)
    {
      g_clear_handle_id (&self->defaults_source, g_source_remove);
      vl_results_page_set_pending (self, -1);
    }
  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);

      if (path != NULL)
        g_strv_builder_add (builder, path);
      else
        {
          g_autofree char *uri = g_file_get_uri (files[i]);
          g_autofree char *msg = g_strdup_printf (_("“%s” is not a local file and cannot be opened"), uri);

          vl_results_page_show_message (self, GTK_MESSAGE_WARNING, msg);
        }
    }
  uris = g_strv_builder_end (builder);
  if (uris[0] != NULL)
    load_uris (self, (const char * const *) uris, NULL);
}
