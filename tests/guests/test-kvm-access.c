/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whether QEMU can use /dev/kvm (issue 15): the user libvirt runs it as, read from the capabilities,
 * and the device's mode, owner and group, checked on files of this test's own. */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vl-kvm-access.h"

static void
test_qemu_user (void)
{
  const char *caps = "<capabilities><host><cpu><arch>x86_64</arch></cpu>"
                     "<secmodel><model>none</model><doi>0</doi></secmodel>"
                     "<secmodel><model>dac</model><doi>0</doi>"
                     "<baselabel type='kvm'>+64055:+994</baselabel>"
                     "<baselabel type='qemu'>+64055:+64055</baselabel></secmodel>"
                     "</host></capabilities>";
  guint uid = 1, gid = 1;

  g_assert_true (vl_kvm_access_qemu_user (caps, &uid, &gid));
  g_assert_cmpuint (uid, ==, 64055);
  g_assert_cmpuint (gid, ==, 994);
  /* libvirt's test driver, no DAC model, a name instead of numbers, broken XML: not known. */
  g_assert_false (vl_kvm_access_qemu_user ("<capabilities><host><secmodel><model>testSecurity</model>"
                                           "</secmodel></host></capabilities>",
                                           &uid, &gid));
  g_assert_false (vl_kvm_access_qemu_user ("<capabilities><host><secmodel><model>dac</model>"
                                           "<baselabel type='kvm'>libvirt-qemu:kvm</baselabel>"
                                           "</secmodel></host></capabilities>",
                                           &uid, &gid));
  g_assert_false (vl_kvm_access_qemu_user ("<capabilities><host><secmodel><model>dac</model>"
                                           "<baselabel type='kvm'>+12:+</baselabel>"
                                           "</secmodel></host></capabilities>",
                                           &uid, &gid));
  g_assert_false (vl_kvm_access_qemu_user ("<capabilities", &uid, &gid));
  g_assert_false (vl_kvm_access_qemu_user (NULL, &uid, &gid));
}

static void
test_check (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vl-kvm-XXXXXX", NULL);
  g_autofree char *device = g_build_filename (dir, "kvm", NULL);
  g_autofree char *missing = g_build_filename (dir, "none", NULL);
  char *reason = NULL;
  guint me = getuid ();
  guint my_group = getgid ();
  guint stranger = 4000000;

  g_assert_true (g_file_set_contents (device, "", 0, NULL));

  /* No device: missing, and the reason names it. */
  g_assert_cmpint (vl_kvm_access_check (missing, TRUE, 0, 0, &reason), ==, VL_KVM_ACCESS_MISSING);
  g_assert_nonnull (strstr (reason, missing));
  g_clear_pointer (&reason, g_free);

  /* crw------- owned by the file's owner: usable by its owner, not by another user of another group. */
  g_assert_cmpint (g_chmod (device, 0600), ==, 0);
  g_assert_cmpint (vl_kvm_access_check (device, FALSE, me, my_group, NULL), ==, VL_KVM_ACCESS_USABLE);
  if (me != 0)
    {
      g_assert_cmpint (vl_kvm_access_check (device, FALSE, 0, 0, NULL), ==, VL_KVM_ACCESS_USABLE);
    }
  g_assert_cmpint (vl_kvm_access_check (device, FALSE, stranger, stranger, &reason), ==,
                   VL_KVM_ACCESS_DENIED);
  g_assert_nonnull (strstr (reason, "4000000"));
  g_assert_nonnull (strstr (reason, device));
  g_clear_pointer (&reason, g_free);

  /* crw-rw---- with QEMU's group: usable through the group; read-only for the group is not enough. */
  g_assert_cmpint (g_chmod (device, 0660), ==, 0);
  {
    struct stat st;

    g_assert_cmpint (g_stat (device, &st), ==, 0);
    g_assert_cmpint (vl_kvm_access_check (device, FALSE, stranger, st.st_gid, NULL), ==,
                     VL_KVM_ACCESS_USABLE);
    g_assert_cmpint (g_chmod (device, 0640), ==, 0);
    g_assert_cmpint (vl_kvm_access_check (device, FALSE, stranger, st.st_gid, NULL), ==,
                     VL_KVM_ACCESS_DENIED);
  }
  /* crw-rw-rw-: anybody. */
  g_assert_cmpint (g_chmod (device, 0666), ==, 0);
  g_assert_cmpint (vl_kvm_access_check (device, FALSE, stranger, stranger, NULL), ==, VL_KVM_ACCESS_USABLE);

  /* QEMU as the caller (session, embed): what access() says for this process. */
  g_assert_cmpint (vl_kvm_access_check (device, TRUE, 0, 0, NULL), ==, VL_KVM_ACCESS_USABLE);
  if (me != 0)
    {
      g_assert_cmpint (g_chmod (device, 0400), ==, 0);
      g_assert_cmpint (vl_kvm_access_check (device, TRUE, 0, 0, &reason), ==, VL_KVM_ACCESS_DENIED);
      g_assert_nonnull (reason);
      g_clear_pointer (&reason, g_free);
    }
  g_unlink (device);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kvm-access/qemu-user", test_qemu_user);
  g_test_add_func ("/kvm-access/check", test_check);
  return g_test_run ();
}
