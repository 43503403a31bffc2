/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the host probe: every fixture sysroot, checked field by field. */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vl-error.h"
#include "vl-host-probe.h"

/* What a fixture sysroot must yield, in groups. A field left out of a case is zero: FALSE, 0, NULL, no
 * nesting known, no Xen; a string list left out (NULL) is expected empty. */
typedef struct
{
  const char *vendor_id;
  VlCpuVendor vendor;
  const char *model;
  guint count;
  guint64 mem_kib;
  gboolean vmx, svm, is_virtual;
  VlNested nested;
} CpuCase;

typedef struct
{
  const char *kernel;
  VlModuleState kvm, kvm_intel, kvm_amd;
  const char *other_modules;
  gboolean dev_kvm;
  gboolean iommu;
  guint iommu_groups;
} KvmCase;

typedef struct
{
  VlDistribution distribution;
  const char *id, *version, *pretty;
  VlPackageSource package_source;
} OsCase;

typedef struct
{
  const char *name;
  CpuCase cpu;
  KvmCase kvm;
  OsCase os;
  const char *hypervisor_type;
  VlXenRole xen;
  gboolean systemd;
  guint n_packages;
  const char *sockets;
  const char *services;
  gboolean pool;
  gboolean grub_xen;
  gboolean grub_cfg;
  const char *groups;
  gboolean firmware_hint;
} ProbeCase;

#define REL "6.1.0-28-amd64"
#define DEBIAN_12 VL_DISTRIBUTION_DEBIAN, "debian", "12", "Debian GNU/Linux 12 (bookworm)", VL_PACKAGES_DPKG
#define INTEL     "GenuineIntel", VL_CPU_VENDOR_INTEL
#define AMD       "AuthenticAMD", VL_CPU_VENDOR_AMD
#define ABSENT    VL_MODULE_ABSENT
#define AVAILABLE VL_MODULE_AVAILABLE
#define LOADED    VL_MODULE_LOADED

static const ProbeCase cases[] = {
  { .name = "intel-vtx-kvm-loaded",
    .cpu = { INTEL, "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz", 2, 16303428, .vmx = TRUE,
             .nested = VL_NESTED_OFF },
    .kvm = { REL, LOADED, LOADED, AVAILABLE, .dev_kvm = TRUE, .iommu = TRUE, .iommu_groups = 3 },
    .os = { DEBIAN_12 },
    .systemd = TRUE,
    .n_packages = 11,
    .sockets = "/run/libvirt/libvirt-sock",
    .services = "libvirtd ssh",
    .pool = TRUE,
    .groups = "kvm libvirt" },
  { .name = "amd-svm-kvm-not-loaded",
    .cpu = { AMD, "AMD Ryzen 7 5800X 8-Core Processor", 2, 32768000, .svm = TRUE },
    .kvm = { REL, AVAILABLE, AVAILABLE, AVAILABLE },
    .os = { DEBIAN_12 },
    .systemd = TRUE,
    .n_packages = 3 },
  { .name = "no-flags",
    .cpu = { INTEL, "Intel Xeon Processor (Cascadelake)", 1, 2000000, .is_virtual = TRUE },
    .kvm = { REL, AVAILABLE, AVAILABLE, AVAILABLE },
    .os = { DEBIAN_12 },
    .n_packages = 3 },
  { .name = "firmware-disabled",
    .cpu = { INTEL, "Intel(R) Core(TM) i5-4590 CPU @ 3.30GHz", 2, 8000000, .vmx = TRUE },
    .kvm = { REL, LOADED, AVAILABLE, AVAILABLE },
    .os = { DEBIAN_12 },
    .systemd = TRUE,
    .n_packages = 5,
    .firmware_hint = TRUE },
  { .name = "xen-dom0-debian12",
    .cpu = { INTEL, "Intel(R) Core(TM)2 Quad CPU Q9400 @ 2.66GHz", 2, 2097152, .is_virtual = TRUE },
    .kvm = { REL, AVAILABLE, AVAILABLE, AVAILABLE },
    .os = { DEBIAN_12 },
    .hypervisor_type = "xen",
    .xen = VL_XEN_DOM0,
    .systemd = TRUE,
    .n_packages = 9,
    .sockets = "/run/libvirt/libvirt-sock",
    .services = "libvirtd xen xendomains",
    .grub_xen = TRUE,
    .grub_cfg = TRUE,
    .groups = "libvirt" },
  { .name = "xen-domu",
    .cpu = { INTEL, "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz", 1, 1000000, .is_virtual = TRUE },
    .kvm = { REL, ABSENT, ABSENT, ABSENT },
    .os = { DEBIAN_12 },
    .hypervisor_type = "xen",
    .xen = VL_XEN_DOMU,
    .n_packages = 3,
    .services = "ssh" },
  { .name = "ubuntu",
    .cpu = { INTEL, "Intel(R) Core(TM) i7-1165G7 @ 2.80GHz", 4, 16000000, .vmx = TRUE },
    .kvm = { "6.8.0-45-generic", AVAILABLE, AVAILABLE, AVAILABLE },
    .os = { VL_DISTRIBUTION_UBUNTU, "ubuntu", "24.04", "Ubuntu 24.04.1 LTS", VL_PACKAGES_DPKG },
    .systemd = TRUE,
    .n_packages = 5,
    .groups = "kvm" },
  { .name = "fedora",
    .cpu = { AMD, "AMD EPYC 7302P 16-Core Processor", 2, 65000000, .svm = TRUE, .nested = VL_NESTED_ON },
    .kvm = { "6.10.6-200.fc40.x86_64", LOADED, AVAILABLE, LOADED, .dev_kvm = TRUE, .iommu = TRUE,
             .iommu_groups = 1 },
    .os = { VL_DISTRIBUTION_FEDORA, "fedora", "40", "Fedora Linux 40 (Workstation Edition)",
            VL_PACKAGES_UNKNOWN },
    .systemd = TRUE,
    .sockets = "/run/libvirt/virtqemud-sock",
    .services = "virtqemud",
    .groups = "libvirt" },
  { .name = "nested",
    .cpu = { INTEL, "Intel Core Processor (Skylake, IBRS)", 2, 4000000, .vmx = TRUE, .is_virtual = TRUE,
             .nested = VL_NESTED_ON },
    .kvm = { REL, LOADED, LOADED, ABSENT, .dev_kvm = TRUE },
    .os = { DEBIAN_12 },
    .n_packages = 9,
    .groups = "kvm libvirt" },
};

static char *
fixture (const char *name)
{
  return g_build_filename (VL_FIXTURES_DIR, "sysroots", name, NULL);
}

/* A string list as one string, compared with what a case expects (NULL: an empty list). */
static void
assert_list (GStrv list, const char *expected)
{
  g_autofree char *joined = g_strjoinv (" ", list);

  g_assert_cmpstr (joined, ==, expected != NULL ? expected : "");
}

/* The fixture's /dev/kvm is a plain file: its owner stands for a user allowed to use it. */
static VlHostUser
owner_of (const char *root, gboolean is_owner)
{
  g_autofree char *path = g_build_filename (root, "dev/kvm", NULL);
  VlHostUser user = { 4242, (char *) "alice", NULL, 0 };
  struct stat st;

  if (g_stat (path, &st) == 0)
    user.uid = is_owner ? st.st_uid : st.st_uid + 4242;
  return user;
}

static void
check_cpu (VlHostReport *report, const CpuCase *c)
{
  g_assert_cmpstr (report->cpu_vendor_id, ==, c->vendor_id);
  g_assert_cmpint (report->cpu_vendor, ==, c->vendor);
  g_assert_cmpstr (report->cpu_model, ==, c->model);
  g_assert_cmpuint (report->cpu_count, ==, c->count);
  g_assert_cmpuint (report->mem_total_kib, ==, c->mem_kib);
  g_assert_cmpint (report->has_vmx, ==, c->vmx);
  g_assert_cmpint (report->has_svm, ==, c->svm);
  g_assert_cmpint (report->cpu_is_virtual, ==, c->is_virtual);
  g_assert_cmpint (report->nested, ==, c->nested);
}

static void
assert_module (VlModuleState state, VlModuleState expected)
{
  g_assert_cmpstr (vl_module_state_to_string (state), ==, vl_module_state_to_string (expected));
}

static void
check_kvm (VlHostReport *report, const char *root, const KvmCase *c)
{
  g_assert_cmpstr (report->kernel_release, ==, c->kernel);
  assert_module (report->kvm, c->kvm);
  assert_module (report->kvm_intel, c->kvm_intel);
  assert_module (report->kvm_amd, c->kvm_amd);
  assert_list (report->other_kvm_modules, c->other_modules);

  g_assert_cmpint (report->dev_kvm_present, ==, c->dev_kvm);
  g_assert_cmpint (report->dev_kvm_usable, ==, c->dev_kvm);
  if (c->dev_kvm)
    {
      g_autofree char *dev = g_build_filename (root, "dev/kvm", NULL);
      g_autofree char *gid = NULL;
      struct stat st;

      g_assert_cmpint (g_stat (dev, &st), ==, 0);
      gid = g_strdup_printf ("%u", (guint) st.st_gid);
      g_assert_cmpstr (report->dev_kvm_group, ==, gid);
    }
  else
    g_assert_null (report->dev_kvm_group);
  g_assert_cmpint (report->iommu, ==, c->iommu);
  g_assert_cmpuint (report->iommu_groups, ==, c->iommu_groups);
  g_assert_cmpint (vl_host_report_kvm_ready (report), ==, c->dev_kvm);
}

static void
check_os (VlHostReport *report, const OsCase *c)
{
  g_assert_cmpint (report->distribution, ==, c->distribution);
  g_assert_cmpstr (report->os_id, ==, c->id);
  g_assert_cmpstr (report->os_version_id, ==, c->version);
  g_assert_cmpstr (report->os_pretty_name, ==, c->pretty);
  g_assert_cmpint (report->package_source, ==, c->package_source);
}

static void
test_probe_fixture (gconstpointer data)
{
  const ProbeCase *c = data;
  g_autofree char *root = fixture (c->name);
  VlHostUser user = owner_of (root, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHostReport) report = NULL;

  report = vl_host_probe (root, &user, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  g_assert_cmpstr (report->sysroot, ==, root);
  check_cpu (report, &c->cpu);
  check_kvm (report, root, &c->kvm);
  check_os (report, &c->os);

  g_assert_cmpstr (report->hypervisor_type, ==, c->hypervisor_type);
  g_assert_cmpint (report->xen_role, ==, c->xen);
  g_assert_cmpint (report->has_systemd, ==, c->systemd);
  g_assert_cmpuint (g_hash_table_size (report->packages), ==, c->n_packages);
  assert_list (report->libvirt_sockets, c->sockets);
  assert_list (report->enabled_services, c->services);
  g_assert_cmpint (report->default_pool_defined, ==, c->pool);
  g_assert_cmpint (report->grub_xen_config != NULL, ==, c->grub_xen);
  g_assert_cmpint (report->grub_cfg != NULL, ==, c->grub_cfg);

  g_assert_cmpstr (report->user_name, ==, "alice");
  assert_list (report->user_groups, c->groups);
  g_assert_cmpint (report->firmware_disabled_hint, ==, c->firmware_hint);
  g_assert_cmpint (vl_host_report_libvirt_running (report), ==, c->sockets != NULL);
}

static void
test_probe_packages (void)
{
  g_autofree char *root = fixture ("intel-vtx-kvm-loaded");
  VlHostUser user = owner_of (root, TRUE);
  g_autoptr(VlHostReport) report = vl_host_probe (root, &user, NULL);

  g_assert_true (vl_host_report_has_package (report, "qemu-system-x86"));
  g_assert_true (vl_host_report_has_package (report, "libvirt-daemon-system"));
  g_assert_cmpstr (g_hash_table_lookup (report->packages, "virtinst"), ==, "1.0-8");
  /* Removed with its configuration kept: not installed. */
  g_assert_false (vl_host_report_has_package (report, "virt-manager"));
  g_assert_false (vl_host_report_has_package (report, "xen-system-amd64"));
}

static void
test_probe_not_owner (void)
{
  g_autofree char *root = fixture ("intel-vtx-kvm-loaded");
  VlHostUser user = owner_of (root, FALSE);
  g_autoptr(VlHostReport) report = vl_host_probe (root, &user, NULL);

  /* The fixture's file is 0644: someone else may read it but not write it. */
  g_assert_true (report->dev_kvm_present);
  g_assert_false (report->dev_kvm_usable);
  g_assert_false (vl_host_report_kvm_ready (report));
}

static void
test_probe_rpm (void)
{
  g_autofree char *root = fixture ("fedora");
  g_autofree char *list_path = fixture ("fedora-rpm-qa.txt");
  g_autofree char *list = NULL;
  VlHostUser user = owner_of (root, TRUE);
  g_autoptr(VlHostReport) report = vl_host_probe (root, &user, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (list_path, &list, NULL, NULL));
  g_assert_true (vl_host_report_set_rpm_packages (report, list, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report->package_source, ==, VL_PACKAGES_RPM);
  g_assert_cmpuint (g_hash_table_size (report->packages), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (report->packages, "libvirt"), ==, "10.1.0-4.fc40");

  g_assert_false (vl_host_report_set_rpm_packages (report, "qemu-kvm 8.2\nbroken-line\n", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "broken-line"));
  /* A bad list loses nothing that was read before. */
  g_assert_cmpuint (g_hash_table_size (report->packages), ==, 4);
}

static void
test_probe_missing_root (void)
{
  VlHostUser user = { 1000, (char *) "alice", NULL, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHostReport) report = vl_host_probe ("/nonexistent/virtlab-root", &user, &error);

  g_assert_null (report);
  g_assert_error (error, VL_ERROR, VL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/virtlab-root"));
}

/* /var/run -> /run (relative here, so the fixture stays inside its root): libvirt's socket is
 * one socket, listed once under /run; a second, different file under /var/run would be listed too. */
static void
test_probe_socket_listed_once (void)
{
  g_autofree char *dir = g_dir_make_tmp ("virtlab-probe-XXXXXX", NULL);
  g_autofree char *run = g_build_filename (dir, "run", "libvirt", NULL);
  g_autofree char *sock = g_build_filename (run, "libvirt-sock", NULL);
  g_autofree char *var = g_build_filename (dir, "var", NULL);
  g_autofree char *var_run = g_build_filename (var, "run", NULL);
  g_autofree char *joined = NULL;
  VlHostUser user = { 1000, (char *) "alice", NULL, 0 };
  g_autoptr(VlHostReport) report = NULL;
  g_autoptr(VlHostReport) separate = NULL;
  const char *argv[] = { "rm", "-rf", dir, NULL };

  g_assert_cmpint (g_mkdir_with_parents (run, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (var, 0755), ==, 0);
  g_assert_true (g_file_set_contents (sock, "", 0, NULL));
  g_assert_cmpint (symlink ("../run", var_run), ==, 0);
  report = vl_host_probe (dir, &user, NULL);
  g_assert_nonnull (report);
  joined = g_strjoinv (" ", report->libvirt_sockets);
  g_assert_cmpstr (joined, ==, "/run/libvirt/libvirt-sock");

  /* A real, separate /var/run with its own socket file: two sockets. */
  g_assert_cmpint (g_unlink (var_run), ==, 0);
  {
    g_autofree char *libvirt_dir = g_build_filename (var_run, "libvirt", NULL);
    g_autofree char *socket_file = g_build_filename (var_run, "libvirt", "libvirt-sock", NULL);

    g_assert_cmpint (g_mkdir_with_parents (libvirt_dir, 0755), ==, 0);
    g_assert_true (g_file_set_contents (socket_file, "", 0, NULL));
  }
  separate = vl_host_probe (dir, &user, NULL);
  g_free (joined);
  joined = g_strjoinv (" ", separate->libvirt_sockets);
  g_assert_cmpstr (joined, ==, "/run/libvirt/libvirt-sock /var/run/libvirt/libvirt-sock");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL));
}

static void
test_probe_empty_root (void)
{
  g_autofree char *dir = g_dir_make_tmp ("virtlab-probe-XXXXXX", NULL);
  VlHostUser user = { 1000, (char *) "alice", NULL, 0 };
  g_autoptr(VlHostReport) report = vl_host_probe (dir, &user, NULL);

  /* Nothing to read is a report of nothing, not a crash. */
  g_assert_nonnull (report);
  g_assert_null (report->cpu_model);
  g_assert_cmpuint (report->cpu_count, ==, 0);
  g_assert_cmpint (report->distribution, ==, VL_DISTRIBUTION_UNKNOWN);
  g_assert_cmpint (report->kvm, ==, VL_MODULE_ABSENT);
  g_assert_false (report->firmware_disabled_hint);
  g_rmdir (dir);
}

static void
test_device_usable (void)
{
  gid_t kvm_group[] = { 993 };
  VlHostUser member = { 1000, (char *) "alice", kvm_group, 1 };
  VlHostUser stranger = { 1001, (char *) "bob", NULL, 0 };
  VlHostUser root = { 0, (char *) "root", NULL, 0 };

  g_assert_true (vl_device_usable (0660, 0, 993, &member));
  g_assert_false (vl_device_usable (0660, 0, 993, &stranger));
  g_assert_false (vl_device_usable (0640, 0, 993, &member));
  g_assert_true (vl_device_usable (0666, 0, 993, &stranger));
  g_assert_true (vl_device_usable (0600, 1000, 993, &member));
  g_assert_true (vl_device_usable (0600, 5, 5, &root));
}

/* Which init system starts services: systemd's run directory, else process 1 by name. */
static void
test_probe_init_system (void)
{
  static const struct {
    const char  *comm;        /* proc/1/comm, NULL: absent */
    gboolean     systemd_dir; /* run/systemd/system exists */
    VlInitSystem expected;
    const char  *name;
  } cases[] = {
    { "init\n", FALSE, VL_INIT_SYSVINIT, "init" },
    { "process_api\n", FALSE, VL_INIT_NONE, "process_api" },
    { "bash\n", FALSE, VL_INIT_NONE, "bash" },
    { "systemd\n", TRUE, VL_INIT_SYSTEMD, "systemd" },
    { NULL, TRUE, VL_INIT_SYSTEMD, NULL },
    { NULL, FALSE, VL_INIT_UNKNOWN, NULL },   /* a chroot: nothing runs in it */
  };
  VlHostUser user = { 0, (char *) "root", NULL, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *root = g_dir_make_tmp ("virtlab-init-XXXXXX", NULL);
      g_autofree char *proc1 = g_build_filename (root, "proc", "1", NULL);
      g_autofree char *comm = g_build_filename (proc1, "comm", NULL);
      g_autofree char *systemd = g_build_filename (root, "run", "systemd", "system", NULL);
      g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", root);
      g_autoptr(VlHostReport) report = NULL;

      if (cases[i].comm != NULL)
        {
          g_assert_cmpint (g_mkdir_with_parents (proc1, 0755), ==, 0);
          g_assert_true (g_file_set_contents (comm, cases[i].comm, -1, NULL));
        }
      if (cases[i].systemd_dir)
        g_assert_cmpint (g_mkdir_with_parents (systemd, 0755), ==, 0);
      report = vl_host_probe (root, &user, NULL);
      g_assert_nonnull (report);
      g_assert_cmpstr (vl_init_system_to_string (report->init_system), ==,
                       vl_init_system_to_string (cases[i].expected));
      g_assert_cmpstr (report->init_name, ==, cases[i].name);
      g_assert_cmpint (report->has_systemd, ==, cases[i].expected == VL_INIT_SYSTEMD);
      g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
    }
}

static void
test_os_release (void)
{
  g_autoptr(GHashTable) os = vl_os_release_parse (
    "# comment\nNAME=\"Linux Mint\"\nID=linuxmint\nID_LIKE='ubuntu debian'\nVERSION_ID=\"21.3\"\n"
    "PRETTY_NAME=\"A \\\"quoted\\\" name\"\nBROKEN=\"unterminated\n=novalue\n");

  g_assert_cmpstr (g_hash_table_lookup (os, "NAME"), ==, "Linux Mint");
  g_assert_cmpstr (g_hash_table_lookup (os, "ID_LIKE"), ==, "ubuntu debian");
  g_assert_cmpstr (g_hash_table_lookup (os, "PRETTY_NAME"), ==, "A \"quoted\" name");
  g_assert_false (g_hash_table_contains (os, "BROKEN"));
  g_assert_cmpuint (g_hash_table_size (os), ==, 5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/host/probe/fixture/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_probe_fixture);
    }
  g_test_add_func ("/host/probe/packages", test_probe_packages);
  g_test_add_func ("/host/probe/not-owner", test_probe_not_owner);
  g_test_add_func ("/host/probe/rpm", test_probe_rpm);
  g_test_add_func ("/host/probe/missing-root", test_probe_missing_root);
  g_test_add_func ("/host/probe/empty-root", test_probe_empty_root);
  g_test_add_func ("/host/probe/socket-listed-once", test_probe_socket_listed_once);
  g_test_add_func ("/host/probe/device-usable", test_device_usable);
  g_test_add_func ("/host/probe/os-release", test_os_release);
  g_test_add_func ("/host/probe/init-system", test_probe_init_system);
  return g_test_run ();
}
