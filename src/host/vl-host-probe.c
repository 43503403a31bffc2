/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The probe: reads a sysroot ("/" or a test fixture) and reports what it offers for KVM and Xen. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vl-error.h"
#include "vl-host-probe.h"

/* Every place a libvirt daemon may listen; monolithic libvirtd first, then the modular daemons. */
static const char *const libvirt_socket_paths[] = {
  "/run/libvirt/libvirt-sock",
  "/run/libvirt/virtqemud-sock",
  "/run/libvirt/virtxend-sock",
  "/var/run/libvirt/libvirt-sock",
  NULL
};

static char *
sysroot_path (const char *sysroot, const char *path)
{
  return g_build_filename (sysroot, path, NULL);
}

/* A missing file is a finding, not an error: the probe reports absence. Only regular files are
 * read (a FIFO or a device where a config file belongs would block or never end), at most 16 MiB. */
#define MAX_PROBED_FILE (16 * 1024 * 1024)

static char *
read_sysroot_file (const char *sysroot, const char *path)
{
  g_autofree char *full = sysroot_path (sysroot, path);
  g_autoptr(GString) contents = NULL;
  struct stat st;
  int fd = open (full, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

  if (fd < 0)
    return NULL;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      return NULL;
    }
  contents = g_string_new (NULL);
  for (;;)
    {
      char buf[8192];
      gssize n = read (fd, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 || contents->len + (gsize) n > MAX_PROBED_FILE)
        {
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;
      g_string_append_len (contents, buf, n);
    }
  close (fd);
  return g_string_free (g_steal_pointer (&contents), FALSE);
}

static gboolean
sysroot_exists (const char *sysroot, const char *path)
{
  g_autofree char *full = sysroot_path (sysroot, path);

  return g_file_test (full, G_FILE_TEST_EXISTS);
}

/* The modification time in µs since 1970 of a file that may be unreadable to us, 0 when missing. */
static gint64
sysroot_mtime (const char *sysroot, const char *path)
{
  g_autofree char *full = sysroot_path (sysroot, path);
  struct stat st;

  if (stat (full, &st) != 0 || !S_ISREG (st.st_mode))
    return 0;
  return (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
}

static char *
strip_dup (const char *s)
{
  return g_strstrip (g_strdup (s));
}

/* ---- processor ---------------------------------------------------------------------------- */

static void
probe_cpu (VlHostReport *report)
{
  g_autofree char *cpuinfo = read_sysroot_file (report->sysroot, "proc/cpuinfo");
  g_auto(GStrv) lines = NULL;
  gboolean first_done = FALSE;
  g_autofree char *meminfo = NULL;
  const char *mem;

  if (cpuinfo == NULL)
    cpuinfo = g_strdup ("");

  lines = g_strsplit (cpuinfo, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');
      g_autofree char *key = NULL;
      const char *value;

      if (colon == NULL)
        {
          /* A blank line ends the first processor's block: the rest only adds to the count. */
          if (report->cpu_count > 0 && g_strstrip (lines[i])[0] == '\0')
            first_done = TRUE;
          continue;
        }
      key = g_strstrip (g_strndup (lines[i], colon - lines[i]));
      value = colon + 1;

      if (g_str_equal (key, "processor"))
        report->cpu_count++;
      if (first_done)
        continue;
      if (g_str_equal (key, "vendor_id") && report->cpu_vendor_id == NULL)
        report->cpu_vendor_id = strip_dup (value);
      else if (g_str_equal (key, "model name") && report->cpu_model == NULL)
        report->cpu_model = strip_dup (value);
      else if (g_str_equal (key, "flags"))
        {
          g_auto(GStrv) flags = g_strsplit_set (value, " \t", -1);

          report->has_vmx = g_strv_contains ((const char *const *) flags, "vmx");
          report->has_svm = g_strv_contains ((const char *const *) flags, "svm");
          report->cpu_is_virtual = g_strv_contains ((const char *const *) flags, "hypervisor");
        }
    }

  meminfo = read_sysroot_file (report->sysroot, "proc/meminfo");
  mem = meminfo != NULL ? strstr (meminfo, "MemTotal:") : NULL;
  if (mem != NULL)
    report->mem_total_kib = g_ascii_strtoull (mem + strlen ("MemTotal:"), NULL, 10);

  if (g_strcmp0 (report->cpu_vendor_id, "GenuineIntel") == 0)
    report->cpu_vendor = VL_CPU_VENDOR_INTEL;
  else if (g_strcmp0 (report->cpu_vendor_id, "AuthenticAMD") == 0)
    report->cpu_vendor = VL_CPU_VENDOR_AMD;
}

/* ---- kernel modules ----------------------------------------------------------------------- */

static GPtrArray *
read_loaded_modules (const char *sysroot)
{
  g_autofree char *contents = read_sysroot_file (sysroot, "proc/modules");
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;

  if (contents == NULL)
    return names;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *space = strchr (lines[i], ' ');

      if (space != NULL && space > lines[i])
        g_ptr_array_add (names, g_strndup (lines[i], space - lines[i]));
    }
  return names;
}

static gboolean
names_contain (GPtrArray *names, const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), name))
      return TRUE;
  return FALSE;
}

/* modprobe treats "-" and "_" alike; module files use "-" (kvm-intel.ko), the kernel "_". */
static gboolean
module_file_listed (const char *listing, const char *name)
{
  g_autofree char *dashed = g_strdelimit (g_strdup (name), "_", '-');
  const char *suffixes[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };

  if (listing == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *needle1 = g_strconcat ("/", dashed, suffixes[i], ":", NULL);
      g_autofree char *needle2 = g_strconcat ("/", name, suffixes[i], ":", NULL);
      g_autofree char *needle3 = g_strconcat ("/", dashed, suffixes[i], "\n", NULL);
      g_autofree char *needle4 = g_strconcat ("/", name, suffixes[i], "\n", NULL);

      if (strstr (listing, needle1) || strstr (listing, needle2) ||
          strstr (listing, needle3) || strstr (listing, needle4))
        return TRUE;
    }
  return FALSE;
}

static VlModuleState
module_state (VlHostReport *report, GPtrArray *loaded, const char *name)
{
  g_autofree char *sys_dir = g_build_filename ("sys/module", name, NULL);
  g_autofree char *initstate = g_build_filename (sys_dir, "initstate", NULL);
  g_autofree char *dashed = g_strdelimit (g_strdup (name), "_", '-');
  const char *suffixes[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz" };

  if (names_contain (loaded, name))
    return VL_MODULE_LOADED;
  /* Loadable modules have an initstate file in sysfs; built-in ones do not. */
  if (sysroot_exists (report->sysroot, initstate))
    return VL_MODULE_LOADED;
  if (sysroot_exists (report->sysroot, sys_dir))
    return VL_MODULE_BUILTIN;
  if (report->kernel_release == NULL)
    return VL_MODULE_ABSENT;

  {
    g_autofree char *dir = g_build_filename ("lib/modules", report->kernel_release, NULL);
    g_autofree char *builtin_path = g_build_filename (dir, "modules.builtin", NULL);
    g_autofree char *dep_path = g_build_filename (dir, "modules.dep", NULL);
    g_autofree char *builtin = read_sysroot_file (report->sysroot, builtin_path);
    g_autofree char *dep = read_sysroot_file (report->sysroot, dep_path);

    if (module_file_listed (builtin, name))
      return VL_MODULE_BUILTIN;
    if (module_file_listed (dep, name))
      return VL_MODULE_AVAILABLE;
    /* Without modules.dep (a half-installed kernel) look where x86 keeps kvm. */
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (dashed, suffixes[i], NULL);
        g_autofree char *path = g_build_filename (dir, "kernel/arch/x86/kvm", file, NULL);

        if (sysroot_exists (report->sysroot, path))
          return VL_MODULE_AVAILABLE;
      }
  }
  return VL_MODULE_ABSENT;
}

static VlNested
read_nested (const char *sysroot, const char *module)
{
  g_autofree char *path = g_build_filename ("sys/module", module, "parameters/nested", NULL);
  g_autofree char *value = read_sysroot_file (sysroot, path);

  if (value == NULL)
    return VL_NESTED_UNKNOWN;
  g_strstrip (value);
  if (g_str_equal (value, "Y") || g_str_equal (value, "1"))
    return VL_NESTED_ON;
  return VL_NESTED_OFF;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static GStrv
list_dir (const char *sysroot, const char *path)
{
  g_autofree char *full = sysroot_path (sysroot, path);
  g_autoptr(GDir) dir = g_dir_open (full, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      if (name[0] != '.')
        g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static void
probe_modules (VlHostReport *report)
{
  g_autoptr(GPtrArray) loaded = read_loaded_modules (report->sysroot);
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  g_auto(GStrv) sys_modules = list_dir (report->sysroot, "sys/module");

  report->kernel_release = read_sysroot_file (report->sysroot, "proc/sys/kernel/osrelease");
  if (report->kernel_release != NULL)
    g_strstrip (report->kernel_release);
  else
    {
      g_auto(GStrv) releases = list_dir (report->sysroot, "lib/modules");

      /* With one installed kernel there is no doubt which one runs. */
      if (g_strv_length (releases) == 1)
        report->kernel_release = g_strdup (releases[0]);
    }

  report->kvm = module_state (report, loaded, "kvm");
  report->kvm_intel = module_state (report, loaded, "kvm_intel");
  report->kvm_amd = module_state (report, loaded, "kvm_amd");

  for (guint i = 0; i < loaded->len; i++)
    {
      const char *name = g_ptr_array_index (loaded, i);

      if (g_str_has_prefix (name, "kvm_") && !g_str_equal (name, "kvm_intel") &&
          !g_str_equal (name, "kvm_amd") && !g_strv_contains ((const char *const *) others->pdata, name))
        g_ptr_array_add (others, g_strdup (name));
    }
  for (guint i = 0; sys_modules[i] != NULL; i++)
    {
      const char *name = sys_modules[i];
      gboolean known = FALSE;

      for (guint j = 0; j < others->len; j++)
        known = known || g_str_equal (g_ptr_array_index (others, j), name);
      if (g_str_has_prefix (name, "kvm_") && !g_str_equal (name, "kvm_intel") &&
          !g_str_equal (name, "kvm_amd") && !known)
        g_ptr_array_add (others, g_strdup (name));
    }
  g_ptr_array_add (others, NULL);
  report->other_kvm_modules = (GStrv) g_ptr_array_free (g_steal_pointer (&others), FALSE);

  report->nested = read_nested (report->sysroot, "kvm_intel");
  if (report->nested == VL_NESTED_UNKNOWN)
    report->nested = read_nested (report->sysroot, "kvm_amd");
}

/* ---- /dev/kvm and the user --------------------------------------------------------------- */

gboolean
vl_device_usable (guint mode, uid_t owner, gid_t group, const VlHostUser *user)
{
  gboolean in_group = FALSE;

  if (user->uid == 0)
    return TRUE;
  if (user->uid == owner)
    return (mode & (S_IRUSR | S_IWUSR)) == (S_IRUSR | S_IWUSR);
  for (guint i = 0; i < user->n_groups; i++)
    in_group = in_group || user->groups[i] == group;
  if (in_group)
    return (mode & (S_IRGRP | S_IWGRP)) == (S_IRGRP | S_IWGRP);
  return (mode & (S_IROTH | S_IWOTH)) == (S_IROTH | S_IWOTH);
}

static char *
group_name (const char *sysroot, gid_t gid)
{
  g_autofree char *contents = read_sysroot_file (sysroot, "etc/group");
  g_auto(GStrv) lines = NULL;

  if (contents != NULL)
    {
      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = g_strsplit (lines[i], ":", 4);

          if (g_strv_length (fields) >= 3 && g_ascii_strtoull (fields[2], NULL, 10) == gid &&
              fields[2][0] != '\0')
            return g_strdup (fields[0]);
        }
    }
  return g_strdup_printf ("%u", (guint) gid);
}

static void
probe_dev_kvm (VlHostReport *report, const VlHostUser *user)
{
  g_autofree char *path = sysroot_path (report->sysroot, "dev/kvm");
  struct stat st;

  if (g_stat (path, &st) != 0)
    return;
  report->dev_kvm_present = TRUE;
  report->dev_kvm_group = group_name (report->sysroot, st.st_gid);

  /* On the real system, opening the device is the only true answer (ACLs, namespaces, a kernel
   * that refuses): the permission bits are only how a fixture can say it. */
  if (S_ISCHR (st.st_mode) && g_str_equal (report->sysroot, "/") && user->uid == getuid ())
    {
      int fd = g_open (path, O_RDWR | O_CLOEXEC, 0);

      report->dev_kvm_usable = fd >= 0;
      if (fd >= 0)
        close (fd);
    }
  else
    report->dev_kvm_usable = vl_device_usable (st.st_mode, st.st_uid, st.st_gid, user);
}

static void
probe_user_groups (VlHostReport *report)
{
  g_autofree char *contents = read_sysroot_file (report->sysroot, "etc/group");
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  g_auto(GStrv) lines = NULL;

  if (contents != NULL && report->user_name != NULL)
    {
      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = g_strsplit (lines[i], ":", 4);
          g_auto(GStrv) members = NULL;

          if (g_strv_length (fields) < 4)
            continue;
          members = g_strsplit (g_strstrip (fields[3]), ",", -1);
          if (g_strv_contains ((const char *const *) members, report->user_name))
            g_ptr_array_add (groups, g_strdup (fields[0]));
        }
    }
  g_ptr_array_add (groups, NULL);
  report->user_groups = (GStrv) g_ptr_array_free (g_steal_pointer (&groups), FALSE);
}

/* ---- IOMMU and Xen ------------------------------------------------------------------------ */

static void
probe_iommu_and_xen (VlHostReport *report)
{
  g_auto(GStrv) iommus = list_dir (report->sysroot, "sys/class/iommu");
  g_auto(GStrv) iommu_groups = list_dir (report->sysroot, "sys/kernel/iommu_groups");
  g_autofree char *caps = NULL;

  report->iommu_groups = g_strv_length (iommu_groups);
  report->iommu = g_strv_length (iommus) > 0 || report->iommu_groups > 0;

  report->hypervisor_type = read_sysroot_file (report->sysroot, "sys/hypervisor/type");
  if (report->hypervisor_type != NULL)
    g_strstrip (report->hypervisor_type);
  if (g_strcmp0 (report->hypervisor_type, "xen") != 0)
    return;

  /* Only the control domain has "control_d"; a domU reads an empty capabilities file, or none
   * when xenfs is not mounted. */
  caps = read_sysroot_file (report->sysroot, "proc/xen/capabilities");
  report->xen_role = (caps != NULL && strstr (caps, "control_d") != NULL) ? VL_XEN_DOM0 : VL_XEN_DOMU;
}

/* ---- distribution and packages ------------------------------------------------------------ */

GHashTable *
vl_os_release_parse (const char *contents)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *eq = strchr (line, '=');
      g_autofree char *value = NULL;

      if (line[0] == '#' || eq == NULL || eq == line)
        continue;
      value = g_strstrip (g_strdup (eq + 1));
      /* os-release(5): values may be quoted in shell style; unquote rather than run a shell. */
      if (value[0] == '"' || value[0] == '\'')
        {
          g_autofree char *unquoted = g_shell_unquote (value, NULL);

          if (unquoted == NULL)
            continue;
          g_free (value);
          value = g_steal_pointer (&unquoted);
        }
      g_hash_table_replace (table, g_strndup (line, eq - line), g_steal_pointer (&value));
    }
  return table;
}

VlDistribution
vl_distribution_from_string (const char *name)
{
  if (g_strcmp0 (name, "debian") == 0)
    return VL_DISTRIBUTION_DEBIAN;
  if (g_strcmp0 (name, "ubuntu") == 0)
    return VL_DISTRIBUTION_UBUNTU;
  if (g_strcmp0 (name, "fedora") == 0)
    return VL_DISTRIBUTION_FEDORA;
  return VL_DISTRIBUTION_UNKNOWN;
}

const char *
vl_distribution_to_string (VlDistribution distribution)
{
  switch (distribution)
    {
    case VL_DISTRIBUTION_DEBIAN: return "debian";
    case VL_DISTRIBUTION_UBUNTU: return "ubuntu";
    case VL_DISTRIBUTION_FEDORA: return "fedora";
    case VL_DISTRIBUTION_UNKNOWN:
    default: return "unknown";
    }
}

const char *
vl_module_state_to_string (VlModuleState state)
{
  switch (state)
    {
    case VL_MODULE_AVAILABLE: return "available";
    case VL_MODULE_LOADED: return "loaded";
    case VL_MODULE_BUILTIN: return "builtin";
    case VL_MODULE_ABSENT:
    default: return "absent";
    }
}

/* systemd's own test (sd_booted) first; then process 1 by name: sysvinit's is "init". */
static void
probe_init_system (VlHostReport *report)
{
  g_autofree char *comm = read_sysroot_file (report->sysroot, "proc/1/comm");

  if (comm != NULL)
    report->init_name = g_strdup (g_strstrip (comm));
  if (report->has_systemd || g_strcmp0 (report->init_name, "systemd") == 0)
    report->init_system = VL_INIT_SYSTEMD;
  else if (report->init_name == NULL || report->init_name[0] == '\0')
    report->init_system = VL_INIT_UNKNOWN;
  else if (g_str_equal (report->init_name, "init"))
    report->init_system = VL_INIT_SYSVINIT;
  else
    report->init_system = VL_INIT_NONE;
  report->has_systemd = report->init_system == VL_INIT_SYSTEMD;
}

const char *
vl_init_system_to_string (VlInitSystem init)
{
  switch (init)
    {
    case VL_INIT_SYSTEMD: return "systemd";
    case VL_INIT_SYSVINIT: return "sysvinit";
    case VL_INIT_NONE: return "none";
    case VL_INIT_UNKNOWN:
    default: return "unknown";
    }
}

static void
probe_distribution (VlHostReport *report)
{
  g_autofree char *contents = read_sysroot_file (report->sysroot, "etc/os-release");
  g_autoptr(GHashTable) os = NULL;
  g_auto(GStrv) like = NULL;

  if (contents == NULL)
    contents = read_sysroot_file (report->sysroot, "usr/lib/os-release");
  report->has_systemd = sysroot_exists (report->sysroot, "run/systemd/system");
  probe_init_system (report);
  if (contents == NULL)
    return;

  os = vl_os_release_parse (contents);
  report->os_id = g_strdup (g_hash_table_lookup (os, "ID"));
  report->os_version_id = g_strdup (g_hash_table_lookup (os, "VERSION_ID"));
  report->os_pretty_name = g_strdup (g_hash_table_lookup (os, "PRETTY_NAME"));
  report->distribution = vl_distribution_from_string (report->os_id);

  /* Derivatives (Mint, Pop!_OS, Rocky…) name their parent in ID_LIKE, nearest first. */
  like = g_strsplit (g_hash_table_lookup (os, "ID_LIKE") ?: "", " ", -1);
  for (guint i = 0; like[i] != NULL && report->distribution == VL_DISTRIBUTION_UNKNOWN; i++)
    report->distribution = vl_distribution_from_string (like[i]);
}

GHashTable *
vl_dpkg_status_parse (const char *contents)
{
  GHashTable *packages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) stanzas = g_strsplit (contents, "\n\n", -1);

  for (guint i = 0; stanzas[i] != NULL; i++)
    {
      g_auto(GStrv) lines = g_strsplit (stanzas[i], "\n", -1);
      const char *name = NULL, *status = NULL, *version = NULL;

      for (guint j = 0; lines[j] != NULL; j++)
        {
          if (g_str_has_prefix (lines[j], "Package: "))
            name = lines[j] + strlen ("Package: ");
          else if (g_str_has_prefix (lines[j], "Status: "))
            status = lines[j] + strlen ("Status: ");
          else if (g_str_has_prefix (lines[j], "Version: "))
            version = lines[j] + strlen ("Version: ");
        }
      /* "install ok installed"; removed packages keep a stanza with "deinstall ok config-files". */
      if (name != NULL && status != NULL && g_str_has_suffix (status, " installed"))
        g_hash_table_replace (packages, g_strdup (name), g_strdup (version ?: ""));
    }
  return packages;
}

gboolean
vl_host_report_set_rpm_packages (VlHostReport *report, const char *rpm_qa_output, GError **error)
{
  g_autoptr(GHashTable) packages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = g_strsplit (rpm_qa_output, "\n", -1);

  /* Lines of "NAME VERSION-RELEASE", as rpm -qa --queryformat '%{NAME} %{VERSION}-%{RELEASE}\n'. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (g_strstrip (lines[i]), " ", 2);

      if (fields[0] == NULL || fields[0][0] == '\0')
        continue;
      if (fields[1] == NULL)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_PARSE,
                       _("The package list of rpm could not be read: line %u “%s” has no version"),
                       i + 1, lines[i]);
          return FALSE;
        }
      g_hash_table_replace (packages, g_strdup (fields[0]), g_strdup (fields[1]));
    }
  g_clear_pointer (&report->packages, g_hash_table_unref);
  report->packages = g_steal_pointer (&packages);
  report->package_source = VL_PACKAGES_RPM;
  return TRUE;
}

static void
probe_packages (VlHostReport *report)
{
  g_autofree char *status = read_sysroot_file (report->sysroot, "var/lib/dpkg/status");

  if (status != NULL)
    {
      report->packages = vl_dpkg_status_parse (status);
      report->package_source = VL_PACKAGES_DPKG;
    }
  else
    {
      /* rpm's database is SQLite: it is read at run time by running rpm, outside this module. */
      report->packages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      report->package_source = VL_PACKAGES_UNKNOWN;
    }
}

/* ---- services and libvirt ----------------------------------------------------------------- */

static void
add_unique (GPtrArray *array, char *name)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), name))
      {
        g_free (name);
        return;
      }
  g_ptr_array_add (array, name);
}

static void
probe_services (VlHostReport *report)
{
  g_autoptr(GPtrArray) services = g_ptr_array_new ();
  g_autoptr(GPtrArray) sockets = g_ptr_array_new ();
  g_auto(GStrv) units = list_dir (report->sysroot, "etc/systemd/system");
  g_auto(GStrv) rc2 = list_dir (report->sysroot, "etc/rc2.d");
  g_autofree char *xen_cfg = read_sysroot_file (report->sysroot, "etc/default/grub.d/virtlab-xen.cfg");

  for (guint i = 0; units[i] != NULL; i++)
    {
      g_autofree char *dir = NULL;
      g_auto(GStrv) wanted = NULL;

      if (!g_str_has_suffix (units[i], ".wants"))
        continue;
      dir = g_build_filename ("etc/systemd/system", units[i], NULL);
      wanted = list_dir (report->sysroot, dir);
      for (guint j = 0; wanted[j] != NULL; j++)
        if (g_str_has_suffix (wanted[j], ".service"))
          add_unique (services, g_strndup (wanted[j], strlen (wanted[j]) - strlen (".service")));
    }
  /* SysV init: S<NN><name> links in runlevel 2 start a service at boot. */
  for (guint i = 0; rc2[i] != NULL; i++)
    if (rc2[i][0] == 'S' && g_ascii_isdigit (rc2[i][1]) && g_ascii_isdigit (rc2[i][2]) && rc2[i][3])
      add_unique (services, g_strdup (rc2[i] + 3));
  g_ptr_array_sort (services, compare_names);
  g_ptr_array_add (services, NULL);
  report->enabled_services = (GStrv) g_ptr_array_free (g_steal_pointer (&services), FALSE);

  /* /var/run is a link to /run on today's systems: one socket, reached by two names, is listed
   * once, under the first (canonical) name. Two different files would both be listed. */
  {
    g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (struct stat));

    for (guint i = 0; libvirt_socket_paths[i] != NULL; i++)
      {
        g_autofree char *full = sysroot_path (report->sysroot, libvirt_socket_paths[i] + 1);
        struct stat st;
        gboolean again = FALSE;

        if (stat (full, &st) != 0)
          continue;
        for (guint j = 0; j < seen->len && !again; j++)
          again = g_array_index (seen, struct stat, j).st_dev == st.st_dev &&
                  g_array_index (seen, struct stat, j).st_ino == st.st_ino;
        if (again)
          continue;
        g_array_append_val (seen, st);
        g_ptr_array_add (sockets, g_strdup (libvirt_socket_paths[i]));
      }
  }
  g_ptr_array_add (sockets, NULL);
  report->libvirt_sockets = (GStrv) g_ptr_array_free (g_steal_pointer (&sockets), FALSE);

  report->default_pool_defined = sysroot_exists (report->sysroot, "etc/libvirt/storage/default.xml");
  report->grub_xen_config = g_steal_pointer (&xen_cfg);
  report->grub_xen_config_mtime = sysroot_mtime (report->sysroot, "etc/default/grub.d/virtlab-xen.cfg");
  report->grub_cfg = read_sysroot_file (report->sysroot, "boot/grub/grub.cfg");
  report->grub_cfg_mtime = sysroot_mtime (report->sysroot, "boot/grub/grub.cfg");
  if (report->grub_cfg == NULL && report->grub_cfg_mtime == 0)
    {
      report->grub_cfg = read_sysroot_file (report->sysroot, "boot/grub2/grub.cfg");
      report->grub_cfg_mtime = sysroot_mtime (report->sysroot, "boot/grub2/grub.cfg");
    }
}

/* ---- the report --------------------------------------------------------------------------- */

VlHostReport *
vl_host_probe (const char *sysroot, const VlHostUser *user, GError **error)
{
  g_autoptr(VlHostReport) report = g_new0 (VlHostReport, 1);
  gboolean vendor_module_loaded;

  if (!g_file_test (sysroot, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND,
                   _("The system root “%s” is not a folder"), sysroot);
      return NULL;
    }

  report->sysroot = g_strdup (sysroot);
  report->user_name = g_strdup (user->user_name);
  probe_cpu (report);
  probe_modules (report);
  probe_dev_kvm (report, user);
  probe_user_groups (report);
  probe_iommu_and_xen (report);
  probe_distribution (report);
  probe_packages (report);
  probe_services (report);

  /* The classic symptom: modprobe kvm_intel loaded kvm as a dependency, then the vendor module
   * refused to start because the firmware locked the extensions off, so no /dev/kvm appeared. */
  vendor_module_loaded = report->kvm_intel == VL_MODULE_LOADED || report->kvm_intel == VL_MODULE_BUILTIN ||
                         report->kvm_amd == VL_MODULE_LOADED || report->kvm_amd == VL_MODULE_BUILTIN;
  report->firmware_disabled_hint = (report->has_vmx || report->has_svm) &&
                                   report->kvm == VL_MODULE_LOADED && !vendor_module_loaded &&
                                   !report->dev_kvm_present && report->xen_role == VL_XEN_NONE;

  return g_steal_pointer (&report);
}

void
vl_host_report_free (VlHostReport *report)
{
  if (report == NULL)
    return;
  g_free (report->sysroot);
  g_free (report->cpu_vendor_id);
  g_free (report->cpu_model);
  g_free (report->kernel_release);
  g_strfreev (report->other_kvm_modules);
  g_free (report->dev_kvm_group);
  g_free (report->hypervisor_type);
  g_free (report->os_id);
  g_free (report->os_version_id);
  g_free (report->os_pretty_name);
  g_free (report->init_name);
  g_clear_pointer (&report->packages, g_hash_table_unref);
  g_strfreev (report->libvirt_sockets);
  g_strfreev (report->enabled_services);
  g_free (report->grub_xen_config);
  g_free (report->grub_cfg);
  g_free (report->user_name);
  g_strfreev (report->user_groups);
  g_free (report);
}

gboolean
vl_host_report_has_package (const VlHostReport *report, const char *name)
{
  return report->packages != NULL && g_hash_table_contains (report->packages, name);
}

gboolean
vl_host_report_user_in_group (const VlHostReport *report, const char *group)
{
  return report->user_groups != NULL && g_strv_contains ((const char *const *) report->user_groups, group);
}

gboolean
vl_host_report_service_enabled (const VlHostReport *report, const char *service)
{
  return report->enabled_services != NULL &&
         g_strv_contains ((const char *const *) report->enabled_services, service);
}

gboolean
vl_host_report_kvm_ready (const VlHostReport *report)
{
  return report->dev_kvm_present && report->dev_kvm_usable;
}

gboolean
vl_host_report_libvirt_running (const VlHostReport *report)
{
  return report->libvirt_sockets != NULL && report->libvirt_sockets[0] != NULL;
}

VlHostUser *
vl_host_user_new_current (void)
{
  VlHostUser *user = g_new0 (VlHostUser, 1);
  int n = getgroups (0, NULL);

  user->uid = getuid ();
  user->user_name = g_strdup (g_get_user_name ());
  user->groups = g_new0 (gid_t, MAX (n, 0) + 1);
  if (n > 0)
    n = getgroups (n, user->groups);
  user->n_groups = MAX (n, 0);
  /* getgroups may leave out the primary group. */
  user->groups[user->n_groups++] = getgid ();
  return user;
}

void
vl_host_user_free (VlHostUser *user)
{
  if (user == NULL)
    return;
  g_free (user->user_name);
  g_free (user->groups);
  g_free (user);
}
