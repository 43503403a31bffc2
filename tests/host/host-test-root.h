/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A tiny system for the helper's --root mode: static busybox and stand-ins for modprobe, apt-get… */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

/* Each stand-in says what it was asked and leaves a mark, so a test can tell whether it ran. */
static const char fake_modprobe[] =
  "#!/bin/sh\n"
  "echo \"loading $1\"\n"
  "touch \"/ran-modprobe-$1\"\n"
  "case \"$1\" in\n"
  "  kvm_intel) [ -e /allow-kvm_intel ] && exit 0\n"
  "             echo \"modprobe: ERROR: could not insert 'kvm_intel': Operation not supported\" >&2; exit 1;;\n"
  "  kvm) echo 'waiting'; sleep 60;;\n"
  "esac\n";

static const char fake_apt_get[] =
  "#!/bin/sh\n"
  "touch /ran-apt-get\n"
  "echo \"apt-get $*\"\n"
  "[ \"$1\" = install ] || exit 0\n"
  "echo 'dlstatus:qemu-utils:100:Downloaded qemu-utils' >&3\n"
  "echo 'pmstatus:qemu-utils:50:Installing qemu-utils' >&3\n"
  "echo 'Setting up qemu-utils'\n";

static const char fake_marker[] = "#!/bin/sh\ntouch \"/ran-$(basename $0)\"\necho \"$0 $*\"\n";

static void
write_program (const char *root, const char *path, const char *text)
{
  g_autofree char *full = g_build_filename (root, path, NULL);
  g_autofree char *dir = g_path_get_dirname (full);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (full, text, -1, NULL));
  g_assert_cmpint (g_chmod (full, 0755), ==, 0);
}

static char *
make_test_root (void)
{
  g_autofree char *root = g_dir_make_tmp ("virtlab-helper-XXXXXX", NULL);
  g_autofree char *busybox = NULL;
  g_autofree char *bin = g_build_filename (root, "bin", NULL);
  g_autofree char *target = g_build_filename (bin, "busybox", NULL);
  g_autofree char *etc = g_build_filename (root, "etc", NULL);
  g_autofree char *os = g_build_filename (etc, "os-release", NULL);
  g_autofree char *passwd = g_build_filename (etc, "passwd", NULL);
  const char *applets[] = { "sh", "sleep", "echo", "touch", "basename", "cat", NULL };
  const char *markers[] = { "usr/bin/systemctl", "usr/sbin/service", "usr/sbin/update-rc.d",
                            "usr/sbin/usermod", "usr/bin/virsh", "usr/sbin/update-grub", "usr/bin/dpkg",
                            "bin/bash", NULL };
  gsize len = 0;

  g_assert_nonnull (root);
  g_assert_true (g_file_get_contents ("/bin/busybox", &busybox, &len, NULL));
  g_assert_cmpint (g_mkdir_with_parents (bin, 0755), ==, 0);
  g_assert_true (g_file_set_contents (target, busybox, len, NULL));
  g_assert_cmpint (g_chmod (target, 0755), ==, 0);
  for (guint i = 0; applets[i] != NULL; i++)
    {
      g_autofree char *link = g_build_filename (bin, applets[i], NULL);
      g_assert_cmpint (symlink ("busybox", link), ==, 0);
    }
  g_assert_cmpint (g_mkdir_with_parents (etc, 0755), ==, 0);
  g_assert_true (g_file_set_contents (os, "ID=debian\nVERSION_ID=12\n", -1, NULL));
  g_assert_true (g_file_set_contents (passwd, "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
                                      -1, NULL));
  write_program (root, "usr/sbin/modprobe", fake_modprobe);
  write_program (root, "usr/bin/apt-get", fake_apt_get);
  for (guint i = 0; markers[i] != NULL; i++)
    write_program (root, markers[i], fake_marker);
  return g_steal_pointer (&root);
}

static gboolean
root_has (const char *root, const char *path)
{
  g_autofree char *full = g_build_filename (root, path, NULL);

  return g_file_test (full, G_FILE_TEST_EXISTS);
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", "--one-file-system", path, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               NULL, NULL));
}
