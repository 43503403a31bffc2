/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the checklist: what the user reads for each fixture machine, and for this one. */
#include "config.h"

#include "vl-host-checklist.h"

typedef struct {
  const char        *fixture;
  VlHypervisorTarget target;
  const char        *id;
  VlCheckStatus      status;
  const char        *title_part;
  gboolean           has_advice;
} CheckCase;

static const CheckCase cases[] = {
  { "intel-vtx-kvm-loaded", VL_TARGET_KVM, "cpu", VL_CHECK_OK, "Intel VT-x", FALSE },
  { "intel-vtx-kvm-loaded", VL_TARGET_KVM, "kvm-device", VL_CHECK_OK, "/dev/kvm exists", FALSE },
  { "intel-vtx-kvm-loaded", VL_TARGET_KVM, "packages", VL_CHECK_OK, "KVM packages are installed", FALSE },
  { "intel-vtx-kvm-loaded", VL_TARGET_KVM, "iommu", VL_CHECK_OK, "IOMMU is on", FALSE },
  { "intel-vtx-kvm-loaded", VL_TARGET_XEN, "packages", VL_CHECK_PLANNED, "Xen packages missing: 3", TRUE },
  { "amd-svm-kvm-not-loaded", VL_TARGET_KVM, "cpu", VL_CHECK_OK, "AMD-V", FALSE },
  { "amd-svm-kvm-not-loaded", VL_TARGET_KVM, "kvm-modules", VL_CHECK_PLANNED, "kvm_amd is not loaded", TRUE },
  { "amd-svm-kvm-not-loaded", VL_TARGET_KVM, "kvm-device", VL_CHECK_PLANNED, "does not exist", TRUE },
  { "amd-svm-kvm-not-loaded", VL_TARGET_KVM, "groups", VL_CHECK_PLANNED, "alice is not in the libvirt group", TRUE },
  { "no-flags", VL_TARGET_KVM, "cpu", VL_CHECK_PROBLEM, "does not offer Intel VT-x", TRUE },
  { "no-flags", VL_TARGET_KVM, "kvm-device", VL_CHECK_PROBLEM, "does not exist", TRUE },
  { "firmware-disabled", VL_TARGET_KVM, "firmware", VL_CHECK_PROBLEM, "switched off in the firmware", TRUE },
  { "xen-dom0-debian12", VL_TARGET_XEN, "xen", VL_CHECK_OK, "Xen dom0", FALSE },
  { "xen-dom0-debian12", VL_TARGET_XEN, "packages", VL_CHECK_OK, "Xen packages are installed", FALSE },
  { "xen-domu", VL_TARGET_KVM, "xen", VL_CHECK_PROBLEM, "Xen guest (domU)", TRUE },
  { "ubuntu", VL_TARGET_KVM, "distribution", VL_CHECK_OK, "Ubuntu 24.04.1 LTS is supported", FALSE },
  { "fedora", VL_TARGET_KVM, "packages", VL_CHECK_INFO, "could not be read", FALSE },
  { "fedora", VL_TARGET_KVM, "libvirt", VL_CHECK_OK, "libvirt daemon is running", FALSE },
  { "nested", VL_TARGET_KVM, "nested", VL_CHECK_INFO, "Nested virtualization is on", FALSE },
};

static void
test_checklist_case (gconstpointer data)
{
  const CheckCase *c = data;
  g_autofree char *root = g_build_filename (VL_FIXTURES_DIR, "sysroots", c->fixture, NULL);
  /* uid 0 passes the fixture's permission bits; group membership comes from its etc/group. */
  VlHostUser user = { 0, (char *) "alice", NULL, 0 };
  g_autoptr(VlHostReport) report = vl_host_probe (root, &user, NULL);
  g_autoptr(GPtrArray) items = vl_host_checklist_new (report, c->target);
  const VlCheckItem *item = vl_host_checklist_find (items, c->id);

  g_assert_nonnull (item);
  g_assert_cmpint (item->status, ==, c->status);
  if (strstr (item->title, c->title_part) == NULL)
    g_error ("“%s” does not contain “%s”", item->title, c->title_part);
  g_assert_nonnull (item->detail);
  g_assert_cmpint (item->advice != NULL, ==, c->has_advice);
  /* A red item, or one the plan takes care of, always says what to do. */
  for (guint i = 0; i < items->len; i++)
    {
      const VlCheckItem *other = g_ptr_array_index (items, i);
      g_assert_true ((other->status != VL_CHECK_PLANNED && other->status != VL_CHECK_PROBLEM) ||
                     other->advice != NULL);
    }
}

/* This very machine: the checklist must agree with /proc/cpuinfo and /dev/kvm as they are. */
static void
test_checklist_this_machine (void)
{
  g_autoptr(VlHostUser) user = vl_host_user_new_current ();
  g_autoptr(VlHostReport) report = vl_host_probe ("/", user, NULL);
  g_autoptr(GPtrArray) items = vl_host_checklist_new (report, VL_TARGET_KVM);
  const VlCheckItem *cpu = vl_host_checklist_find (items, "cpu");
  const VlCheckItem *dev = vl_host_checklist_find (items, "kvm-device");
  g_autofree char *cpuinfo = NULL;
  gboolean flags;

  g_assert_true (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL));
  flags = strstr (cpuinfo, " vmx") != NULL || strstr (cpuinfo, " svm") != NULL;
  g_assert_cmpint (cpu->status == VL_CHECK_OK, ==, flags);
  g_assert_cmpint (g_file_test ("/dev/kvm", G_FILE_TEST_EXISTS), ==,
                   strstr (dev->title, "does not exist") == NULL);
  g_test_message ("cpu: %s — %s", cpu->title, cpu->detail);
  g_test_message ("kvm-device: %s — %s", dev->title, dev->detail);
}

/* A processor that shows no VT-x/AMD-V with a working /dev/kvm (a virtual machine with kvm_pvm, as
 * on this project's build machine, or a hidden CPU flag): the page says one coherent thing — no
 * "not offered … cannot run" next to "full speed", and what to do if a KVM guest does not start. */
static void
test_checklist_kvm_without_flags (void)
{
  const char *const pvm[] = { "kvm_pvm", NULL };
  const char *const none[] = { NULL };
  const struct { gboolean is_virtual; const char *const *others; const char *says; } variants[] = {
    { TRUE, pvm, "kvm_pvm" },
    { TRUE, none, "shows only when one starts" },
    { FALSE, none, "shows only when one starts" },
  };

  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      g_autofree char *root = g_build_filename (VL_FIXTURES_DIR, "sysroots", "intel-vtx-kvm-loaded", NULL);
      VlHostUser user = { 0, (char *) "alice", NULL, 0 };
      g_autoptr(VlHostReport) report = vl_host_probe (root, &user, NULL);
      g_autoptr(GPtrArray) items = NULL;
      const VlCheckItem *cpu, *dev;
      g_autofree char *all = NULL;

      g_assert_true (vl_host_report_kvm_ready (report));
      report->has_vmx = report->has_svm = FALSE;
      report->cpu_is_virtual = variants[v].is_virtual;
      g_strfreev (report->other_kvm_modules);
      report->other_kvm_modules = g_strdupv ((GStrv) variants[v].others);
      items = vl_host_checklist_new (report, VL_TARGET_KVM);
      cpu = vl_host_checklist_find (items, "cpu");
      dev = vl_host_checklist_find (items, "kvm-device");
      all = g_strjoin ("\n", cpu->title, cpu->detail, dev->title, dev->detail, dev->advice, NULL);
      g_test_message ("variant %u:\n%s", v, all);

      /* Neither red nor green: true on both counts. */
      g_assert_cmpint (cpu->status, ==, VL_CHECK_INFO);
      g_assert_cmpint (dev->status, ==, VL_CHECK_INFO);
      g_assert_null (strstr (all, "does not offer"));
      g_assert_null (strstr (all, "neither"));
      g_assert_null (strstr (all, "KVM cannot run"));
      g_assert_null (strstr (all, "full speed."));
      g_assert_nonnull (strstr (cpu->title, "does not show Intel VT-x, but /dev/kvm is there"));
      g_assert_nonnull (strstr (dev->detail, variants[v].says));
      g_assert_nonnull (strstr (dev->advice, "QEMU without acceleration"));
    }
}

/* No init system (a container): the Xen item does not promise a boot that cannot happen. */
static void
test_checklist_no_init (void)
{
  g_autofree char *root = g_build_filename (VL_FIXTURES_DIR, "sysroots", "amd-svm-kvm-not-loaded", NULL);
  VlHostUser user = { 0, (char *) "alice", NULL, 0 };
  g_autoptr(VlHostReport) report = vl_host_probe (root, &user, NULL);
  g_autoptr(GPtrArray) with_init = vl_host_checklist_new (report, VL_TARGET_XEN);
  g_autoptr(GPtrArray) without = NULL;

  g_assert_nonnull (strstr (vl_host_checklist_find (with_init, "xen")->detail, "makes it start at boot"));
  report->init_system = VL_INIT_NONE;
  report->has_systemd = FALSE;
  without = vl_host_checklist_new (report, VL_TARGET_XEN);
  g_assert_nonnull (strstr (vl_host_checklist_find (without, "xen")->detail, "cannot restart into Xen"));
  /* And the missing Xen packages are not something "the plan installs". */
  g_assert_cmpint (vl_host_checklist_find (with_init, "packages")->status, ==, VL_CHECK_PLANNED);
  g_assert_cmpint (vl_host_checklist_find (without, "packages")->status, ==, VL_CHECK_INFO);
  g_assert_null (vl_host_checklist_find (without, "packages")->advice);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/host/checklist/%s/%s/%s", cases[i].fixture,
                                               vl_hypervisor_target_to_string (cases[i].target), cases[i].id);
      g_test_add_data_func (path, &cases[i], test_checklist_case);
    }
  g_test_add_func ("/host/checklist/this-machine", test_checklist_this_machine);
  g_test_add_func ("/host/checklist/no-init", test_checklist_no_init);
  g_test_add_func ("/host/checklist/kvm-without-flags", test_checklist_kvm_without_flags);
  return g_test_run ();
}
