/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helpers: the benchmark image's key from the real script, and a stand-in image in a cache folder
 * (the four files the script looks for) without building one. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The image script's --print-key, the script of $VL_BENCH_DATA_DIR. */
static inline char *
vl_test_bench_image_key (void)
{
  g_autofree char *script = g_build_filename (g_getenv ("VL_BENCH_DATA_DIR"), "vl-bench-image.sh", NULL);
  const char *argv[] = { "/bin/bash", script, "--print-key", NULL };
  g_autofree char *out = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  return g_strstrip (g_steal_pointer (&out));
}

/* DIR made with the files of a whole image in it (their contents do not matter to a look-up). */
static inline void
vl_test_bench_image_make (const char *dir)
{
  const char *files[] = { "manifest", "root.ext4", "vmlinuz", "initrd.img", NULL };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);

      g_assert_true (g_file_set_contents (path, "test\n", -1, NULL));
    }
}

G_END_DECLS
