/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vl-bench-image-status: the image script's --check answer read back (where the image is, whether it
 * can be built), and the real script asked in a worker thread with its caches in a test folder. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "vl-bench-image-status.h"
#include "vl-error.h"
#include "vl-test-bench-image.h"

static void
test_parse_cached (void)
{
  g_autoptr(VlBenchImageStatus) own = NULL, shared = NULL, small = NULL;

  own = vl_bench_image_status_parse (0, "vl-bench-image: cached: /home/a/.cache/virtlab/bench-image/0123\n",
                                     "/var/cache/virtlab/bench-image", NULL);
  g_assert_nonnull (own);
  g_assert_cmpint (own->state, ==, VL_BENCH_IMAGE_OWN_CACHE);
  g_assert_cmpstr (own->dir, ==, "/home/a/.cache/virtlab/bench-image/0123");
  g_assert_true (vl_bench_image_status_is_ready (own));

  shared = vl_bench_image_status_parse (0, "vl-bench-image: cached: /var/cache/virtlab/bench-image/0123\n",
                                        "/var/cache/virtlab/bench-image/", NULL);
  g_assert_cmpint (shared->state, ==, VL_BENCH_IMAGE_SHARED_CACHE);
  /* The small image's cache is the shared folder's "-small" sibling. */
  small = vl_bench_image_status_parse (0, "vl-bench-image: cached: /var/cache/virtlab/bench-image-small/9\n",
                                       "/var/cache/virtlab/bench-image", NULL);
  g_assert_cmpint (small->state, ==, VL_BENCH_IMAGE_SHARED_CACHE);
  {
    /* A folder that only starts with the same letters is not inside it. */
    g_autoptr(VlBenchImageStatus)
      other = vl_bench_image_status_parse (0, "vl-bench-image: cached: /var/cache/virtlab/bench-imagery/1\n",
                                           "/var/cache/virtlab/bench-image", NULL);
    g_assert_cmpint (other->state, ==, VL_BENCH_IMAGE_OWN_CACHE);
  }
}

static void
test_parse_missing (void)
{
  g_autoptr(VlBenchImageStatus) can = NULL, cannot = NULL, silent = NULL;
  g_autoptr(GError) error = NULL;
  VlBenchImageStatus *none;

  can = vl_bench_image_status_parse (0, "vl-bench-image: can build (unshare mode) into /home/a/x/0123\n",
                                     "/var", NULL);
  g_assert_cmpint (can->state, ==, VL_BENCH_IMAGE_BUILDABLE);
  g_assert_cmpstr (can->mode, ==, "unshare");
  g_assert_false (vl_bench_image_status_is_ready (can));

  cannot = vl_bench_image_status_parse (2,
                                        "vl-bench-image: cannot build the benchmark image: not root, and "
                                        "“newuidmap” is missing\n",
                                        "/var", NULL);
  g_assert_cmpint (cannot->state, ==, VL_BENCH_IMAGE_UNBUILDABLE);
  g_assert_cmpstr (cannot->reason, ==, "not root, and “newuidmap” is missing");

  silent = vl_bench_image_status_parse (2, "", "/var", NULL);
  g_assert_cmpint (silent->state, ==, VL_BENCH_IMAGE_UNBUILDABLE);
  g_assert_cmpstr (silent->reason, !=, "");

  /* Another status, or an answer that says neither: an error that says so, not a state. */
  none = vl_bench_image_status_parse (1, "vl-bench-image: unknown option --x\n", "/var", &error);
  g_assert_null (none);
  g_assert_error (error, VL_ERROR, VL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "unknown option --x"));
  g_clear_error (&error);
  none = vl_bench_image_status_parse (0, "hello\n", "/var", &error);
  g_assert_null (none);
  g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
}

/* ---- the real script ------------------------------------------------------------------------- */

static void
status_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static VlBenchImageStatus *
ask (const char *shared, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vl_bench_image_status_async (shared, NULL, status_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return vl_bench_image_status_finish (result, error);
}

static void
test_real_script (void)
{
  g_autofree char *top = g_dir_make_tmp ("vl-image-status-XXXXXX", NULL);
  g_autofree char *cache = g_build_filename (top, "cache", NULL);
  g_autofree char *shared = g_build_filename (top, "shared", NULL);
  g_autofree char *data = g_build_filename (g_getenv ("VL_TOP_SRCDIR"), "data", "bench", NULL);
  g_autofree char *key = NULL, *in_shared = NULL, *in_own = NULL, *rm = NULL;
  g_autoptr(VlBenchImageStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("VL_BENCH_DATA_DIR", data, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_unsetenv ("VL_BENCH_RUNNER");
  g_unsetenv ("VL_BENCH_IMAGE_SMALL");
  key = vl_test_bench_image_key ();
  g_assert_cmpuint (strlen (key), ==, 16);

  /* Root built it into the shared cache: ready there. */
  in_shared = g_build_filename (shared, key, NULL);
  vl_test_bench_image_make (in_shared);
  status = ask (shared, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, VL_BENCH_IMAGE_SHARED_CACHE);
  g_assert_cmpstr (status->dir, ==, in_shared);
  g_clear_pointer (&status, vl_bench_image_status_free);

  /* The user's own copy comes first. */
  in_own = g_build_filename (cache, "virtlab", "bench-image", key, NULL);
  vl_test_bench_image_make (in_own);
  status = ask (shared, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, VL_BENCH_IMAGE_OWN_CACHE);
  g_assert_cmpstr (status->dir, ==, in_own);
  g_clear_pointer (&status, vl_bench_image_status_free);

  /* Not built, and it cannot be built: the reason names what is missing. */
  g_setenv ("VL_BENCH_RUNNER", "/nonexistent/runner.sh", TRUE);
  status = ask (shared, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, VL_BENCH_IMAGE_UNBUILDABLE);
  g_assert_nonnull (strstr (status->reason, "/nonexistent/runner.sh"));
  g_clear_pointer (&status, vl_bench_image_status_free);
  g_unsetenv ("VL_BENCH_RUNNER");

  /* No script at all: an error naming it. */
  g_setenv ("VL_BENCH_DATA_DIR", top, TRUE);
  status = ask (shared, &error);
  g_assert_null (status);
  g_assert_error (error, VL_ERROR, VL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "vl-bench-image.sh"));

  rm = g_strdup_printf ("rm -rf '%s'", top);
  g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bench-image-status/parse/cached", test_parse_cached);
  g_test_add_func ("/bench-image-status/parse/missing", test_parse_missing);
  g_test_add_func ("/bench-image-status/real-script", test_real_script);
  return g_test_run ();
}
