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

/* No vmx/svm and a kvm module other than kvm_intel/kvm_amd (this machine's kvm_pvm): not ordinary. */
static void
test_without_extensions (void)
{
  g_autofree char *root = g_dir_make_tmp ("vl-kvm-root-XXXXXX", NULL);
  g_autofree char *proc = g_build_filename (root, "proc", NULL);
  g_autofree char *cpuinfo = g_build_filename (proc, "cpuinfo", NULL);
  g_autofree char *pvm = g_build_filename (root, "sys", "module", "kvm_pvm", NULL);
  g_autofree char *intel = g_build_filename (root, "sys", "module", "kvm_intel", NULL);
  g_autofree char *reason = NULL;
  const char *argv[] = { "rm", "-rf", root, NULL };

  /* Nothing to read: not known. */
  g_assert_null (vl_kvm_access_without_extensions (root));
  g_mkdir_with_parents (proc, 0755);
  g_mkdir_with_parents (pvm, 0755);
  g_assert_true (
    g_file_set_contents (cpuinfo, "processor\t: 0\nflags\t\t: fpu vme sse2 hypervisor lahf_lm\n", -1, NULL));
  reason = vl_kvm_access_without_extensions (root);
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "kvm_pvm"));
  /* With VT-x shown, KVM is ordinary whatever else is loaded. */
  g_assert_true (g_file_set_contents (cpuinfo, "processor\t: 0\nflags\t\t: fpu vmx sse2\n", -1, NULL));
  g_assert_null (vl_kvm_access_without_extensions (root));
  /* No extensions, but only the vendor module: not this case (the host page says more). */
  g_assert_true (g_file_set_contents (cpuinfo, "processor\t: 0\nflags\t\t: fpu sse2\n", -1, NULL));
  g_rmdir (pvm);
  g_mkdir_with_parents (intel, 0755);
  g_assert_null (vl_kvm_access_without_extensions (root));
  /* Not x86: no flags line. */
  g_assert_true (g_file_set_contents (cpuinfo, "processor\t: 0\nFeatures\t: fp asimd\n", -1, NULL));
  g_assert_null (vl_kvm_access_without_extensions (root));
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kvm-access/qemu-user", test_qemu_user);
  g_test_add_func ("/kvm-access/check", test_check);
  g_test_add_func ("/kvm-access/without-extensions", test_without_extensions);
  return g_test_run ();
}
