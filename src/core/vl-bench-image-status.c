/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the benchmark guest image is, or whether it can be built here: the image script's --check. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "vl-bench-image-status.h"
#include "vl-error.h"

char *
vl_bench_image_script_path (void)
{
  const char *dir = g_getenv ("VL_BENCH_DATA_DIR");

  if (dir != NULL && dir[0] != '\0')
    return g_build_filename (dir, "vl-bench-image.sh", NULL);
  return g_build_filename (PKGDATADIR, "bench", "vl-bench-image.sh", NULL);
}

char *
vl_bench_image_shared_root (void)
{
  const char *dir = g_getenv ("VL_BENCH_SHARED_CACHE");

  return g_strdup (dir != NULL && dir[0] != '\0' ? dir : VL_BENCH_IMAGE_DEFAULT_SHARED_CACHE);
}

void
vl_bench_image_status_free (VlBenchImageStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->dir);
  g_free (status->mode);
  g_free (status->reason);
  g_free (status);
}

gboolean
vl_bench_image_status_is_ready (const VlBenchImageStatus *status)
{
  return status->state == VL_BENCH_IMAGE_OWN_CACHE || status->state == VL_BENCH_IMAGE_SHARED_CACHE;
}

/* The text after PREFIX on the last line of ERR that has it, NULL when none has. */
static char *
last_after (const char *err, const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (err != NULL ? err : "", "\n", -1);
  char *found = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], prefix);

      if (at != NULL)
        {
          g_free (found);
          found = g_strstrip (g_strdup (at + strlen (prefix)));
        }
    }
  return found;
}

/* The folder DIR is inside ROOT, or one of its siblings ROOT-… (the small image's cache). */
static gboolean
is_under (const char *dir, const char *root)
{
  gsize n = strlen (root);

  while (n > 1 && root[n - 1] == '/')
    n--;
  return strncmp (dir, root, n) == 0 && (dir[n] == '/' || dir[n] == '-');
}

VlBenchImageStatus *
vl_bench_image_status_parse (int exit_status, const char *err, const char *shared_root, GError **error)
{
  g_autoptr(VlBenchImageStatus) status = g_new0 (VlBenchImageStatus, 1);

  if (exit_status == 2)
    {
      g_auto(GStrv) lines = g_strsplit (g_strstrip (g_strdup (err != NULL ? err : "")), "\n", -1);
      guint n = g_strv_length (lines);
      g_autofree char *reason = last_after (err, "cannot build the benchmark image: ");

      status->state = VL_BENCH_IMAGE_UNBUILDABLE;
      if (reason == NULL && n > 0)
        reason = g_strdup (g_str_has_prefix (lines[n - 1], "vl-bench-image: ") ? lines[n - 1] + 16
                                                                               : lines[n - 1]);
      status->reason = reason != NULL && reason[0] != '\0'
                         ? g_steal_pointer (&reason)
                         : g_strdup (_("the script ended without saying why"));
      return g_steal_pointer (&status);
    }
  if (exit_status != 0)
    {
      g_autofree char *last = last_after (err, "vl-bench-image: ");

      g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                   _("The benchmark image could not be looked up: its script ended with status %d (%s)"),
                   exit_status, last != NULL ? last : _("the script ended without saying why"));
      return NULL;
    }
  status->dir = last_after (err, "cached: ");
  if (status->dir != NULL)
    {
      status->state = is_under (status->dir, shared_root) ? VL_BENCH_IMAGE_SHARED_CACHE
                                                          : VL_BENCH_IMAGE_OWN_CACHE;
      return g_steal_pointer (&status);
    }
  {
    g_autofree char *can = last_after (err, "can build (");

    if (can == NULL)
      {
        g_set_error_literal (error, VL_ERROR, VL_ERROR_PARSE,
                             _("The benchmark image script said neither where the image is nor whether it "
                                "can be built"));
        return NULL;
      }
    status->state = VL_BENCH_IMAGE_BUILDABLE;
    status->mode = g_strndup (can, strcspn (can, " )"));
  }
  return g_steal_pointer (&status);
}

typedef struct
{
  char *shared_root;
} CheckData;

static void
check_data_free (gpointer data)
{
  CheckData *check = data;

  g_free (check->shared_root);
  g_free (check);
}

static void
status_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CheckData *check = task_data;
  g_autofree char *script = vl_bench_image_script_path ();
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *err = NULL;
  VlBenchImageStatus *status;
  GError *error = NULL;

  if (!g_file_test (script, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_new_error (task, VL_ERROR, VL_ERROR_NOT_FOUND,
                               _("The benchmark image script “%s” is missing: Virtlab is not installed "
                                  "completely"),
                               script);
      return;
    }
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              "/bin/bash", script, "--check", "--shared", check->shared_root, NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, cancellable, NULL, &err, &error))
    {
      if (process != NULL)
        g_subprocess_force_exit (process);
      g_task_return_error (task, error);
      return;
    }
  if (!g_subprocess_get_if_exited (process))
    {
      g_task_return_new_error (task, VL_ERROR, VL_ERROR_FAILED,
                               _("The benchmark image script “%s” was stopped by signal %d"), script,
                               g_subprocess_get_term_sig (process));
      return;
    }
  status = vl_bench_image_status_parse (g_subprocess_get_exit_status (process), err, check->shared_root,
                                        &error);
  if (status == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, status, (GDestroyNotify) vl_bench_image_status_free);
}

void
vl_bench_image_status_async (const char *shared_root, GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  CheckData *check = g_new0 (CheckData, 1);

  check->shared_root = shared_root != NULL ? g_strdup (shared_root) : vl_bench_image_shared_root ();
  g_task_set_source_tag (task, vl_bench_image_status_async);
  g_task_set_task_data (task, check, check_data_free);
  g_task_run_in_thread (task, status_thread);
}

VlBenchImageStatus *
vl_bench_image_status_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
