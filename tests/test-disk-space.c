/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vl_disk_space_free_for: the free space of a path's file system, or of its nearest existing parent's. */
#include "config.h"

#include <sys/statvfs.h>
#include <glib/gstdio.h>

#include "vl-disk-space.h"

/* Free space may change between two reads (other programs write): equal within this. */
#define SLACK (G_GUINT64_CONSTANT (256) << 20)

static guint64
statvfs_free (const char *path)
{
  struct statvfs st;

  g_assert_cmpint (statvfs (path, &st), ==, 0);
  return (guint64) st.f_bavail * st.f_frsize;
}

static void
assert_near (guint64 a, guint64 b)
{
  g_assert_cmpuint (a > b ? a - b : b - a, <=, SLACK);
}

static void
test_existing_folder (void)
{
  g_autofree char *dir = g_dir_make_tmp ("virtlab-space-XXXXXX", NULL);
  guint64 bytes = 0;

  g_assert_true (vl_disk_space_free_for (dir, &bytes));
  assert_near (bytes, statvfs_free (dir));
  g_rmdir (dir);
}

/* A pool's folder that is not made yet: the parent that exists says, however deep the path. */
static void
test_folder_not_made_yet (void)
{
  g_autofree char *dir = g_dir_make_tmp ("virtlab-space-XXXXXX", NULL);
  g_autofree char *deep = g_build_filename (dir, "images", "not", "yet", NULL);
  guint64 bytes = 0;

  g_assert_false (g_file_test (deep, G_FILE_TEST_EXISTS));
  g_assert_true (vl_disk_space_free_for (deep, &bytes));
  assert_near (bytes, statvfs_free (dir));
  g_assert_false (g_file_test (deep, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

/* /dev/shm is another file system (tmpfs) than the temporary folder usually: its own figure, not
 * the root's. */
static void
test_own_file_system (void)
{
  guint64 bytes = 0;
  g_autofree char *deep = g_build_filename ("/dev/shm", "virtlab-none", "x", NULL);

  if (!g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no /dev/shm");
      return;
    }
  g_assert_true (vl_disk_space_free_for (deep, &bytes));
  assert_near (bytes, statvfs_free ("/dev/shm"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/disk-space/existing-folder", test_existing_folder);
  g_test_add_func ("/disk-space/folder-not-made-yet", test_folder_not_made_yet);
  g_test_add_func ("/disk-space/own-file-system", test_own_file_system);
  return g_test_run ();
}
