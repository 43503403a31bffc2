/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loading several result files off the main loop, and finding the user's own PTS runs. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "vl-result-loader.h"

void
vl_loaded_run_free (VlLoadedRun *run)
{
  if (run == NULL)
    return;
  g_free (run->uri);
  g_free (run->name);
  g_clear_pointer (&run->set, vl_result_set_unref);
  g_clear_error (&run->error);
  g_free (run);
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Where PTS saves when it runs as root. Tests point VIRTLAB_PTS_SYSTEM_RESULTS elsewhere. */
const char *
vl_result_pts_system_results_dir (void)
{
  const char *dir = g_getenv ("VIRTLAB_PTS_SYSTEM_RESULTS");

  return dir != NULL && dir[0] != '\0' ? dir : VL_PTS_SYSTEM_RESULTS_DIR;
}

/* Every ROOT/NAME/composite.xml, sorted by path; an unreadable ROOT adds nothing. */
static void
add_runs_under (GPtrArray *found, const char *root)
{
  g_autoptr(GPtrArray) here = g_ptr_array_new ();
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, "composite.xml", NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (here, g_steal_pointer (&path));
    }
  g_ptr_array_sort (here, compare_paths);
  for (guint i = 0; i < here->len; i++)
    g_ptr_array_add (found, here->pdata[i]);
}

/* PTS keeps every saved run as HOME/.phoronix-test-suite/test-results/NAME/composite.xml, and,
 * run as root (sudo phoronix-test-suite …), as /var/lib/phoronix-test-suite/test-results/NAME/
 * composite.xml: the user's own first, then the system's. */
char **
vl_result_discover_pts_runs (const char *home)
{
  g_autofree char *root = g_build_filename (home, ".phoronix-test-suite", "test-results", NULL);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  add_runs_under (found, root);
  /* root's HOME is /root, whose own folder is not the system one: no path comes twice. */
  add_runs_under (found, vl_result_pts_system_results_dir ());
  g_ptr_array_add (found, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&found), FALSE);
}

/* A run found by itself, which comes back at every start without being remembered. */
gboolean
vl_result_is_discovered_run (const char *path, const char *home)
{
  g_autofree char *user = g_build_filename (home, ".phoronix-test-suite", "test-results", G_DIR_SEPARATOR_S, NULL);
  g_autofree char *system = g_build_filename (vl_result_pts_system_results_dir (), G_DIR_SEPARATOR_S, NULL);

  return g_str_has_prefix (path, user) || g_str_has_prefix (path, system);
}

/* A run's name for the user: the folder PTS saved it in says more than "composite.xml". */
static char *
run_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);

  if (g_str_equal (base, "composite.xml"))
    {
      g_autofree char *dir = g_path_get_dirname (path);

      return g_filename_display_basename (dir);
    }
  return g_filename_display_name (base);
}

VlLoadedRun *
vl_result_load_run (const char *uri)
{
  VlLoadedRun *run = g_new0 (VlLoadedRun, 1);

  run->uri = g_strdup (uri);
  if (g_str_has_prefix (uri, "resource://"))
    {
      const char *path = uri + strlen ("resource://");
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, &run->error);
      g_autofree char *base = g_path_get_basename (path);

      run->name = g_strdup (base);
      if (bytes != NULL)
        run->set = vl_result_file_load_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                             run->name, &run->error);
    }
  else
    {
      run->name = run_name (uri);
      run->set = vl_result_file_load (uri, &run->error);
    }
  return run;
}

typedef struct
{
  char **uris;
  char  *home;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_strfreev (data->uris);
  g_free (data->home);
  g_free (data);
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) vl_loaded_run_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) discovered = data->home != NULL ? vl_result_discover_pts_runs (data->home) : NULL;
  char **lists[] = { data->uris, discovered };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && lists[l][i] != NULL; i++)
      {
        if (g_cancellable_is_cancelled (cancellable) || !g_hash_table_add (seen, lists[l][i]))
          continue;
        g_ptr_array_add (runs, vl_result_load_run (lists[l][i]));
      }
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, g_steal_pointer (&runs), (GDestroyNotify) g_ptr_array_unref);
}

/* Loads every file (a bad one does not stop the others) and, when `discover_home` is set, the
 * user's saved PTS runs too. The result holds one VlLoadedRun per file, in order. */
void
vl_result_runs_load_async (const char * const *uris, const char *discover_home, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  data->uris = g_strdupv ((char **) uris);
  data->home = g_strdup (discover_home);
  g_task_set_source_tag (task, vl_result_runs_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

GPtrArray *
vl_result_runs_load_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
