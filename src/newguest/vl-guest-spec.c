/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlGuestSpec: the new guest's choices, with libosinfo defaults and the checks each assistant step runs. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vl-error.h"
#include "vl-guest-spec-private.h"
#include "vl-libvirt-xml.h"

G_DEFINE_FINAL_TYPE (VlGuestSpec, vl_guest_spec, G_TYPE_OBJECT)

#define MIN_MEMORY_MIB 32
#define MAX_NAME_CHARS 64
#define FALLBACK_MEMORY_MIB 1024
#define FALLBACK_DISK_GIB 10

static void
vl_guest_spec_finalize (GObject *object)
{
  VlGuestSpec *self = VL_GUEST_SPEC (object);

  g_clear_object (&self->os);
  g_clear_pointer (&self->existing_names, g_strfreev);
  g_free (self->host_arch);
  g_free (self->kvm_unusable);
  g_free (self->source);
  g_free (self->kernel);
  g_free (self->initrd);
  g_free (self->cmdline);
  g_free (self->bootloader);
  g_free (self->boot_dir);
  g_free (self->existing_disk);
  g_free (self->pool_name);
  g_free (self->pool_dir);
  g_free (self->network_source);
  g_free (self->mac);
  g_free (self->name);
  g_free (self->emulator);
  g_free (self->loader);
  g_clear_pointer (&self->fw_caps, vl_firmware_caps_free);
  g_free (self->fw_host);
  G_OBJECT_CLASS (vl_guest_spec_parent_class)->finalize (object);
}

static void
vl_guest_spec_class_init (VlGuestSpecClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = vl_guest_spec_finalize;
}

static void
vl_guest_spec_init (VlGuestSpec *self)
{
  /* Until capabilities arrive nothing is known, so nothing is refused for want of support. */
  self->caps_known = FALSE;
  self->host_arch = g_strdup ("x86_64");
  self->mode = VL_GUEST_MODE_KVM_HVM;
  self->source_kind = VL_INSTALL_SOURCE_ISO;
  self->memory_mib = FALLBACK_MEMORY_MIB;
  self->vcpus = 1;
  self->storage_kind = VL_GUEST_STORAGE_NEW_VOLUME;
  self->disk_gib = FALLBACK_DISK_GIB;
  self->pool_available = G_MAXUINT64;
  self->network_kind = VL_GUEST_NETWORK_NONE;
  self->is_local = TRUE;
}

VlGuestSpec *
vl_guest_spec_new (void)
{
  return g_object_new (VL_TYPE_GUEST_SPEC, NULL);
}

/* A deep copy: a worker thread gets one, so the assistant may go on editing its own spec meanwhile.
 * Every field of struct _VlGuestSpec is listed here (the private header's order). */
VlGuestSpec *
vl_guest_spec_copy (VlGuestSpec *self)
{
  VlGuestSpec *copy;

  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  copy = vl_guest_spec_new ();
  copy->caps_known = self->caps_known;
  copy->has_kvm = self->has_kvm;
  copy->has_qemu = self->has_qemu;
  copy->has_xen_hvm = self->has_xen_hvm;
  copy->has_xen_pv = self->has_xen_pv;
  copy->test_driver = self->test_driver;
  copy->no_kvm = self->no_kvm;
  copy->kvm_unusable = g_strdup (self->kvm_unusable);
  g_free (copy->host_arch);
  copy->host_arch = g_strdup (self->host_arch);
  copy->host_memory_kib = self->host_memory_kib;
  copy->host_cpus = self->host_cpus;
  copy->is_local = self->is_local;
  copy->existing_names = g_strdupv (self->existing_names);

  copy->source_kind = self->source_kind;
  copy->source = g_strdup (self->source);
  copy->kernel = g_strdup (self->kernel);
  copy->initrd = g_strdup (self->initrd);
  copy->cmdline = g_strdup (self->cmdline);
  copy->bootloader = g_strdup (self->bootloader);
  copy->boot_dir = g_strdup (self->boot_dir);

  copy->os = self->os != NULL ? g_object_ref (self->os) : NULL;
  copy->mode = self->mode;
  copy->virtio = self->virtio;
  copy->memory_mib = self->memory_mib;
  copy->vcpus = self->vcpus;

  copy->storage_kind = self->storage_kind;
  copy->disk_gib = self->disk_gib;
  copy->existing_disk = g_strdup (self->existing_disk);
  copy->pool_name = g_strdup (self->pool_name);
  copy->pool_dir = g_strdup (self->pool_dir);
  copy->pool_available = self->pool_available;

  copy->network_kind = self->network_kind;
  copy->network_source = g_strdup (self->network_source);
  copy->mac = g_strdup (self->mac);

  copy->name = g_strdup (self->name);
  copy->emulator = g_strdup (self->emulator);
  copy->loader = g_strdup (self->loader);

  copy->fw_caps = self->fw_caps != NULL ? vl_firmware_caps_copy (self->fw_caps) : NULL;
  copy->fw_host = g_strdup (self->fw_host);
  copy->firmware = self->firmware;
  copy->secure_boot = self->secure_boot;
  copy->tpm = self->tpm;
  return copy;
}

/* Copies before freeing: callers may pass the spec's own string back (set_pool (spec, get_pool_name (spec), …)). */
static void
replace_str (char **field, const char *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

static void
replace_nonempty (char **field, const char *value)
{
  replace_str (field, value != NULL && *value != '\0' ? value : NULL);
}

/* ---- host ------------------------------------------------------------------------------- */

static void
note_guest_domain (VlGuestSpec *self, const char *os_type, const char *virt_type)
{
  gboolean hvm = g_strcmp0 (os_type, "hvm") == 0;

  if (g_strcmp0 (virt_type, "test") == 0)
    self->test_driver = TRUE;
  else if (g_strcmp0 (os_type, "xen") == 0 && g_strcmp0 (virt_type, "xen") == 0)
    self->has_xen_pv = TRUE;
  else if (g_strcmp0 (os_type, "xenpvh") == 0 && g_strcmp0 (virt_type, "xen") == 0)
    self->has_xen_pvh = TRUE;
  else if (hvm && g_strcmp0 (virt_type, "xen") == 0)
    self->has_xen_hvm = TRUE;
  else if (hvm && g_strcmp0 (virt_type, "kvm") == 0)
    self->has_kvm = TRUE;
  else if (hvm && g_strcmp0 (virt_type, "qemu") == 0)
    self->has_qemu = TRUE;
}

static char *
guest_arch_name (xmlNode *guest)
{
  return vl_libvirt_xml_prop (vl_libvirt_xml_child (guest, "arch"), "name");
}

static gboolean
is_guest_node (xmlNode *node)
{
  return vl_libvirt_xml_is (node, "guest") && vl_libvirt_xml_child (node, "os_type") != NULL &&
         vl_libvirt_xml_child (node, "arch") != NULL;
}

/* Read with libxml2 rather than libvirt-gconfig's getters: those abort on os types they do not
 * know, such as the "xenpvh" that libxl reports next to "xen" and "hvm". */
void
vl_guest_spec_set_host_capabilities (VlGuestSpec *self, GVirConfigCapabilities *caps)
{
  g_autofree char *xml = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *first_arch = NULL;
  gboolean has_x86_64 = FALSE;
  xmlNode *root;

  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  g_return_if_fail (GVIR_CONFIG_IS_CAPABILITIES (caps));

  self->caps_known = TRUE;
  self->has_qemu = self->has_kvm = self->has_xen_hvm = self->has_xen_pv = self->has_xen_pvh = FALSE;
  self->test_driver = FALSE;
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (caps));
  doc = vl_libvirt_xml_parse (xml, _("host’s capabilities"), VL_LIBVIRT_XML_NONE, NULL);
  root = vl_libvirt_xml_root (doc, NULL);
  if (root == NULL)
    return;

  /* 64-bit guests where the host offers them; otherwise what it offers (the test driver: i686). */
  for (xmlNode *guest = root->children; guest != NULL; guest = guest->next)
    {
      g_autofree char *arch = is_guest_node (guest) ? guest_arch_name (guest) : NULL;

      if (arch == NULL)
        continue;
      has_x86_64 |= g_str_equal (arch, "x86_64");
      if (first_arch == NULL)
        first_arch = g_strdup (arch);
    }
  g_free (self->host_arch);
  self->host_arch = g_strdup (has_x86_64 || first_arch == NULL ? "x86_64" : first_arch);

  for (xmlNode *guest = root->children; guest != NULL; guest = guest->next)
    {
      g_autofree char *arch_name = is_guest_node (guest) ? guest_arch_name (guest) : NULL;
      g_autofree char *os_type = NULL;

      if (g_strcmp0 (arch_name, self->host_arch) != 0)
        continue;
      os_type = vl_libvirt_xml_child_text (guest, "os_type");
      for (xmlNode *d = vl_libvirt_xml_child (guest, "arch")->children; d != NULL; d = d->next)
        {
          g_autofree char *type = NULL;

          if (!vl_libvirt_xml_is (d, "domain"))
            continue;
          type = vl_libvirt_xml_prop (d, "type");
          note_guest_domain (self, g_strstrip (os_type), type);
        }
    }
}

void
vl_guest_spec_set_host_limits (VlGuestSpec *self, guint64 memory_kib, guint cpus, gboolean is_local)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->host_memory_kib = memory_kib;
  self->host_cpus = cpus;
  self->is_local = is_local;
}

gboolean
vl_guest_spec_host_supports (VlGuestSpec *self, VlGuestMode mode)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);
  if (!self->caps_known || self->test_driver)
    return TRUE;
  switch (mode)
    {
    case VL_GUEST_MODE_KVM_HVM:
      return self->has_kvm || self->has_qemu;
    case VL_GUEST_MODE_XEN_HVM:
      return self->has_xen_hvm;
    case VL_GUEST_MODE_XEN_PV:
      return self->has_xen_pv;
    default:
      return FALSE;
    }
}

gboolean
vl_guest_spec_host_has_kvm (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);
  return self->has_kvm;
}

gboolean
vl_guest_spec_host_is_test_driver (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);
  return self->test_driver;
}

void
vl_guest_spec_set_use_kvm (VlGuestSpec *self, gboolean use_kvm)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->no_kvm = !use_kvm;
}

gboolean
vl_guest_spec_get_use_kvm (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);
  return self->has_kvm && !self->no_kvm && !self->test_driver;
}

static gboolean
virt_kind_listed (VlGuestSpec *self, VlVirtKind kind)
{
  gboolean any_shape = !self->caps_known || self->test_driver;

  switch (kind)
    {
    case VL_VIRT_KVM:
      return any_shape || self->has_kvm;
    case VL_VIRT_QEMU_TCG:
      return !any_shape && self->has_qemu;
    case VL_VIRT_XEN_HVM:
      return any_shape || self->has_xen_hvm;
    case VL_VIRT_XEN_PV:
      return any_shape || self->has_xen_pv;
    case VL_VIRT_XEN_PVH:
      return !any_shape && self->has_xen_pvh;
    default:
      return FALSE;
    }
}

guint
vl_guest_spec_list_virt_kinds (VlGuestSpec *self, VlVirtKind *kinds)
{
  /* Hardware-assisted first; software emulation runs guests many times slower, so it comes last. */
  static const VlVirtKind by_speed[] = { VL_VIRT_KVM, VL_VIRT_XEN_PVH, VL_VIRT_XEN_HVM, VL_VIRT_XEN_PV,
                                         VL_VIRT_QEMU_TCG };
  guint n = 0;

  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), 0);
  for (guint i = 0; i < G_N_ELEMENTS (by_speed); i++)
    {
      if (virt_kind_listed (self, by_speed[i]))
        kinds[n++] = by_speed[i];
    }
  return n;
}

char *
vl_guest_spec_describe_host (VlGuestSpec *self)
{
  static const char *const short_names[] = { N_("KVM"), N_("QEMU (software emulation)"), N_("Xen HVM"),
                                             N_("Xen PV"), N_("Xen PVH") };
  VlVirtKind listed[VL_N_VIRT];
  guint n;
  g_autoptr(GString) kinds = g_string_new (NULL);
  g_autofree char *memory = NULL;
  gboolean kvm_dropped = FALSE;

  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  memory = g_format_size_full ((self->host_memory_kib / 1024) << 20, G_FORMAT_SIZE_IEC_UNITS);
  if (self->test_driver)
    return g_strdup_printf (_("libvirt’s test driver: takes every kind of guest · %u CPUs · %s of memory"),
                            self->host_cpus, memory);
  n = vl_guest_spec_list_virt_kinds (self, listed);
  for (guint i = 0; i < n; i++)
    {
      /* libvirt lists kvm, but QEMU could not open /dev/kvm: it does not run KVM guests here. */
      if (listed[i] == VL_VIRT_KVM && self->kvm_unusable != NULL && virt_kind_listed (self, VL_VIRT_QEMU_TCG))
        {
          kvm_dropped = TRUE;
          continue;
        }
      g_string_append_printf (kinds, "%s%s", kinds->len > 0 ? _(", ") : "", _(short_names[listed[i]]));
    }
  if (kvm_dropped)
    return g_strdup_printf (_("Runs %s guests (KVM cannot be used here) · %u CPUs · %s of memory"),
                            kinds->str, self->host_cpus, memory);
  return g_strdup_printf (_("Runs %s guests · %u CPUs · %s of memory"), kinds->str, self->host_cpus, memory);
}

VlVirtKind
vl_guest_spec_fastest_virt_kind (VlGuestSpec *self)
{
  VlVirtKind kinds[VL_N_VIRT];
  guint n = vl_guest_spec_list_virt_kinds (self, kinds);
  gboolean disc = self->source_kind == VL_INSTALL_SOURCE_ISO || self->source_kind == VL_INSTALL_SOURCE_CDROM_DEVICE
                  || self->source_kind == VL_INSTALL_SOURCE_PXE;

  for (guint i = 0; i < n; i++)
    {
      /* libvirt lists kvm, but QEMU could not open /dev/kvm: software emulation is what runs. */
      if (kinds[i] == VL_VIRT_KVM && self->kvm_unusable != NULL && virt_kind_listed (self, VL_VIRT_QEMU_TCG))
        continue;
      /* PV boots a kernel or finds one on the disk; PVH here only a kernel given to it. */
      if (disc && kinds[i] == VL_VIRT_XEN_PV)
        continue;
      if (kinds[i] == VL_VIRT_XEN_PVH && self->source_kind != VL_INSTALL_SOURCE_KERNEL)
        continue;
      return kinds[i];
    }
  return n > 0 ? kinds[0] : VL_VIRT_KVM;
}

void
vl_guest_spec_set_kvm_unusable (VlGuestSpec *self, const char *reason)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  g_free (self->kvm_unusable);
  self->kvm_unusable = g_strdup (reason);
}

const char *
vl_guest_spec_get_kvm_unusable (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  return self->kvm_unusable;
}

void
vl_guest_spec_set_virt_kind (VlGuestSpec *self, VlVirtKind kind)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->pvh = kind == VL_VIRT_XEN_PVH;
  switch (kind)
    {
    case VL_VIRT_XEN_PVH:
      self->mode = VL_GUEST_MODE_XEN_PV;
      break;
    case VL_VIRT_XEN_HVM:
      self->mode = VL_GUEST_MODE_XEN_HVM;
      break;
    case VL_VIRT_XEN_PV:
      self->mode = VL_GUEST_MODE_XEN_PV;
      break;
    case VL_VIRT_QEMU_TCG:
      self->mode = VL_GUEST_MODE_KVM_HVM;
      self->no_kvm = TRUE;
      break;
    case VL_VIRT_KVM:
    default:
      self->mode = VL_GUEST_MODE_KVM_HVM;
      self->no_kvm = FALSE;
      break;
    }
}

VlVirtKind
vl_guest_spec_get_virt_kind (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), VL_VIRT_KVM);
  switch (self->mode)
    {
    case VL_GUEST_MODE_XEN_HVM:
      return VL_VIRT_XEN_HVM;
    case VL_GUEST_MODE_XEN_PV:
      return self->pvh ? VL_VIRT_XEN_PVH : VL_VIRT_XEN_PV;
    case VL_GUEST_MODE_KVM_HVM:
    default:
      /* The test driver writes type 'test' whatever is asked: its full virtualization is KVM's shape. */
      return !self->caps_known || self->test_driver || vl_guest_spec_get_use_kvm (self) ? VL_VIRT_KVM
                                                                                         : VL_VIRT_QEMU_TCG;
    }
}

const char *
vl_virt_kind_label (VlVirtKind kind)
{
  switch (kind)
    {
    case VL_VIRT_QEMU_TCG:
      return _("QEMU without acceleration (software emulation)");
    case VL_VIRT_XEN_HVM:
      return _("Xen full virtualization (HVM)");
    case VL_VIRT_XEN_PV:
      return _("Xen paravirtualization (PV)");
    case VL_VIRT_XEN_PVH:
      return _("Xen PVH (paravirtualized, hardware-assisted)");
    case VL_VIRT_KVM:
    default:
      return _("KVM full virtualization");
    }
}

const char *
vl_virt_kind_description (VlVirtKind kind)
{
  switch (kind)
    {
    case VL_VIRT_QEMU_TCG:
      return _("QEMU emulates the processor in software: it needs neither VT-x/AMD-V nor /dev/kvm, but the "
               "guest runs many times slower.");
    case VL_VIRT_XEN_HVM:
      return _("Xen runs an unmodified system, Windows too, on the processor’s VT-x/AMD-V, with emulated "
               "devices.");
    case VL_VIRT_XEN_PV:
      return _("Xen runs a kernel made for Xen without hardware help; it boots a kernel you give or finds "
               "one on its disk, not a disc.");
    case VL_VIRT_XEN_PVH:
      return _("Xen runs a kernel made for Xen on the processor’s VT-x/AMD-V with no emulated devices, the "
               "lightest kind; it boots a kernel you give, not a disc.");
    case VL_VIRT_KVM:
    default:
      return _("The guest runs at nearly the host’s speed on the processor’s VT-x/AMD-V, through the "
               "kernel’s /dev/kvm.");
    }
}

guint64
vl_guest_spec_get_host_memory_kib (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), 0);
  return self->host_memory_kib;
}

guint
vl_guest_spec_get_host_cpus (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), 0);
  return self->host_cpus;
}

void
vl_guest_spec_set_existing_names (VlGuestSpec *self, const char * const *names)
{
  char **copy;

  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  copy = g_strdupv ((char **) names);
  g_strfreev (self->existing_names);
  self->existing_names = copy;
}

/* ---- choices ---------------------------------------------------------------------------- */

void
vl_guest_spec_set_source (VlGuestSpec *self, VlInstallSource kind, const char *path_or_url)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->source_kind = kind;
  replace_str (&self->source, path_or_url);
}

VlInstallSource
vl_guest_spec_get_source_kind (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), VL_INSTALL_SOURCE_ISO);
  return self->source_kind;
}

const char *
vl_guest_spec_get_source (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  return self->source;
}

void
vl_guest_spec_set_kernel (VlGuestSpec *self, const char *kernel, const char *initrd, const char *cmdline)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  replace_str (&self->kernel, kernel);
  replace_nonempty (&self->initrd, initrd);
  replace_nonempty (&self->cmdline, cmdline);
}

void
vl_guest_spec_set_bootloader (VlGuestSpec *self, const char *bootloader)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  replace_nonempty (&self->bootloader, bootloader);
}

void
vl_guest_spec_set_boot_dir (VlGuestSpec *self, const char *dir)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  replace_str (&self->boot_dir, dir);
}

static char *
install_file (VlGuestSpec *self, const char *what)
{
  g_autofree char *file = g_strdup_printf ("%s-%s", self->name != NULL ? self->name : "guest", what);

  return g_build_filename (self->boot_dir != NULL ? self->boot_dir : "", file, NULL);
}

char *
vl_guest_spec_get_install_kernel (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  return install_file (self, "kernel");
}

char *
vl_guest_spec_get_install_initrd (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  return install_file (self, "initrd");
}

const char *
vl_guest_spec_get_arch (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  return self->host_arch;
}

static OsinfoResources *
find_resources_for_arch (OsinfoResourcesList *list, const char *arch)
{
  OsinfoResources *any = NULL;
  gint n = list != NULL ? osinfo_list_get_length (OSINFO_LIST (list)) : 0;

  for (gint i = 0; i < n; i++)
    {
      OsinfoResources *r = OSINFO_RESOURCES (osinfo_list_get_nth (OSINFO_LIST (list), i));
      const char *a = osinfo_resources_get_architecture (r);

      if (g_strcmp0 (a, arch) == 0)
        return r;
      if (g_strcmp0 (a, OSINFO_ARCHITECTURE_ALL) == 0)
        any = r;
    }
  return any;
}

/* Recommended first, then minimum: the OS's own numbers, as GNOME Boxes uses them. */
static gint64
os_resource (OsinfoOs *os, const char *arch, gint64 (*get) (OsinfoResources *))
{
  g_autoptr(OsinfoResourcesList) recommended = osinfo_os_get_recommended_resources (os);
  g_autoptr(OsinfoResourcesList) minimum = osinfo_os_get_minimum_resources (os);
  OsinfoResources *r = find_resources_for_arch (recommended, arch);
  gint64 value = r != NULL ? get (r) : -1;

  if (value <= 0)
    {
      r = find_resources_for_arch (minimum, arch);
      value = r != NULL ? get (r) : -1;
    }
  return value;
}

static gint64
get_n_cpus (OsinfoResources *r)
{
  return osinfo_resources_get_n_cpus (r);
}

static gboolean
os_has_device (OsinfoOs *os, const char *const *names)
{
  g_autoptr(OsinfoDeviceList) devices = osinfo_os_get_all_devices (os, NULL);
  gint n = osinfo_list_get_length (OSINFO_LIST (devices));

  for (gint i = 0; i < n; i++)
    {
      OsinfoDevice *dev = OSINFO_DEVICE (osinfo_list_get_nth (OSINFO_LIST (devices), i));

      if (g_strv_contains (names, osinfo_device_get_name (dev) ? osinfo_device_get_name (dev) : ""))
        return TRUE;
    }
  return FALSE;
}

void
vl_guest_spec_set_os (VlGuestSpec *self, OsinfoOs *os)
{
  gint64 ram, cpus, storage;

  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  g_set_object (&self->os, os);
  if (os == NULL)
    return;

  ram = os_resource (os, self->host_arch, osinfo_resources_get_ram);
  cpus = os_resource (os, self->host_arch, get_n_cpus);
  storage = os_resource (os, self->host_arch, osinfo_resources_get_storage);
  self->memory_mib = ram > 0 ? (guint64) ram / (1024 * 1024) : FALLBACK_MEMORY_MIB;
  /* Never propose more than the host has: the user would only meet an error on the next step. */
  if (self->host_memory_kib > 0 && self->memory_mib > self->host_memory_kib / 1024 / 2)
    self->memory_mib = MAX (MIN_MEMORY_MIB, self->host_memory_kib / 1024 / 2);
  self->vcpus = cpus > 0 ? (guint) cpus : 1;
  if (self->host_cpus > 0)
    self->vcpus = MIN (self->vcpus, self->host_cpus);
  self->disk_gib = storage > 0 ? (guint64) ((storage + (G_GINT64_CONSTANT (1) << 30) - 1) >> 30)
                               : FALLBACK_DISK_GIB;
  self->virtio = vl_guest_spec_os_supports_virtio (self);
  vl_guest_spec_apply_firmware_defaults (self);
}

OsinfoOs *
vl_guest_spec_get_os (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  return self->os;
}

gboolean
vl_guest_spec_os_is_windows (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);
  return self->os != NULL && g_strcmp0 (osinfo_os_get_distro (self->os), "win") == 0;
}

gboolean
vl_guest_spec_os_supports_virtio (VlGuestSpec *self)
{
  static const char *const virtio_block[] = { "virtio-block", "virtio1.0-block", NULL };

  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);
  return self->os != NULL && os_has_device (self->os, virtio_block);
}

void
vl_guest_spec_set_mode (VlGuestSpec *self, VlGuestMode mode)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->mode = mode;
  if (mode != VL_GUEST_MODE_XEN_PV)
    self->pvh = FALSE;
}

VlGuestMode
vl_guest_spec_get_mode (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), VL_GUEST_MODE_KVM_HVM);
  return self->mode;
}

void
vl_guest_spec_set_virtio (VlGuestSpec *self, gboolean virtio)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->virtio = virtio;
}

gboolean
vl_guest_spec_get_virtio (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);
  return self->virtio;
}

void
vl_guest_spec_set_memory_mib (VlGuestSpec *self, guint64 mib)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->memory_mib = mib;
}

guint64
vl_guest_spec_get_memory_mib (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), 0);
  return self->memory_mib;
}

void
vl_guest_spec_set_vcpus (VlGuestSpec *self, guint vcpus)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->vcpus = vcpus;
}

guint
vl_guest_spec_get_vcpus (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), 0);
  return self->vcpus;
}

void
vl_guest_spec_set_storage (VlGuestSpec *self, VlGuestStorage kind, guint64 size_gib, const char *existing_path)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->storage_kind = kind;
  self->disk_gib = size_gib;
  replace_str (&self->existing_disk, existing_path);
}

VlGuestStorage
vl_guest_spec_get_storage_kind (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), VL_GUEST_STORAGE_NONE);
  return self->storage_kind;
}

guint64
vl_guest_spec_get_disk_gib (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), 0);
  return self->disk_gib;
}

void
vl_guest_spec_set_pool (VlGuestSpec *self, const char *name, const char *target_dir, guint64 available_bytes)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  replace_str (&self->pool_name, name);
  replace_str (&self->pool_dir, target_dir);
  self->pool_available = available_bytes;
}

const char *
vl_guest_spec_get_pool_name (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  return self->pool_name;
}

guint64
vl_guest_spec_get_pool_available (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), 0);
  return self->pool_available;
}

const char *
vl_guest_spec_get_pool_dir (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  return self->pool_dir;
}

char *
vl_guest_spec_get_volume_name (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  return g_strdup_printf ("%s.qcow2", self->name != NULL ? self->name : "guest");
}

char *
vl_guest_spec_get_disk_path (VlGuestSpec *self)
{
  g_autofree char *volume = NULL;

  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  if (self->source_kind == VL_INSTALL_SOURCE_DISK)
    return g_strdup (self->source);
  if (self->storage_kind == VL_GUEST_STORAGE_EXISTING_FILE)
    return g_strdup (self->existing_disk);
  if (self->storage_kind == VL_GUEST_STORAGE_NONE || self->pool_dir == NULL)
    return NULL;
  volume = vl_guest_spec_get_volume_name (self);
  return g_build_filename (self->pool_dir, volume, NULL);
}

void
vl_guest_spec_set_network (VlGuestSpec *self, VlGuestNetwork kind, const char *source, const char *mac)
{
  g_autofree char *lower = mac != NULL ? g_ascii_strdown (mac, -1) : NULL;

  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  self->network_kind = kind;
  replace_str (&self->network_source, source);
  replace_nonempty (&self->mac, lower);
}

VlGuestNetwork
vl_guest_spec_get_network_kind (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), VL_GUEST_NETWORK_NONE);
  return self->network_kind;
}

const char *
vl_guest_spec_get_mac (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  return self->mac;
}

void
vl_guest_spec_set_name (VlGuestSpec *self, const char *name)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  replace_str (&self->name, name);
}

const char *
vl_guest_spec_get_name (VlGuestSpec *self)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  return self->name;
}

void
vl_guest_spec_set_emulator (VlGuestSpec *self, const char *emulator)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  replace_nonempty (&self->emulator, emulator);
}

void
vl_guest_spec_set_loader (VlGuestSpec *self, const char *loader)
{
  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  replace_nonempty (&self->loader, loader);
}

/* 00:16:3e is Xen's own OUI and 52:54:00 the one QEMU/KVM guests use: tools recognise guests by it. */
char *
vl_guest_generate_mac (VlGuestMode mode)
{
  const char *prefix = mode == VL_GUEST_MODE_KVM_HVM ? "52:54:00" : "00:16:3e";

  return g_strdup_printf ("%s:%02x:%02x:%02x", prefix,
                          g_random_int_range (0, 0x80), g_random_int_range (0, 256),
                          g_random_int_range (0, 256));
}

/* ---- libosinfo -------------------------------------------------------------------------- */

OsinfoDb *
vl_guest_os_db_load (GError **error)
{
  g_autoptr(OsinfoLoader) loader = osinfo_loader_new ();
  GError *local_error = NULL;

  osinfo_loader_process_default_path (loader, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND,
                   _("The list of operating systems (osinfo-db) cannot be loaded: %s"),
                   local_error->message);
      g_error_free (local_error);
      return NULL;
    }
  return g_object_ref (osinfo_loader_get_db (loader));
}

OsinfoOs *
vl_guest_os_detect_from_media (OsinfoDb *db, const char *iso_path, GError **error)
{
  g_autoptr(OsinfoMedia) media = NULL;
  g_autoptr(OsinfoMediaList) matches = NULL;
  GError *local_error = NULL;
  OsinfoMedia *match;

  media = osinfo_media_create_from_location (iso_path, NULL, &local_error);
  if (media == NULL)
    {
      g_autofree char *base = g_path_get_basename (iso_path);

      g_set_error (error, VL_ERROR, VL_ERROR_PARSE,
                   _("The operating system on “%s” cannot be recognised: %s"), base,
                   local_error != NULL ? local_error->message : _("not an install disc"));
      g_clear_error (&local_error);
      return NULL;
    }
  matches = osinfo_db_identify_medialist (db, media);
  if (osinfo_list_get_length (OSINFO_LIST (matches)) == 0)
    {
      g_autofree char *base = g_path_get_basename (iso_path);

      g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND,
                   _("The operating system on “%s” is not in the list of known systems: choose it by hand."),
                   base);
      return NULL;
    }
  match = OSINFO_MEDIA (osinfo_list_get_nth (OSINFO_LIST (matches), 0));
  return osinfo_media_get_os (match);
}
