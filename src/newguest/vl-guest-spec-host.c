/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlGuestSpec, what the host offers: its capabilities and limits, the kinds of virtualization it
 * supports, the fastest of them, and how the host is described to the user. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-error.h"
#include "vl-guest-spec-private.h"
#include "vl-libvirt-xml.h"

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
  gboolean disc = self->source_kind == VL_INSTALL_SOURCE_ISO ||
                  self->source_kind == VL_INSTALL_SOURCE_CDROM_DEVICE ||
                  self->source_kind == VL_INSTALL_SOURCE_PXE;

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
vl_guest_spec_set_existing_names (VlGuestSpec *self, const char *const *names)
{
  char **copy;

  g_return_if_fail (VL_IS_GUEST_SPEC (self));
  copy = g_strdupv ((char **) names);
  g_strfreev (self->existing_names);
  self->existing_names = copy;
}
