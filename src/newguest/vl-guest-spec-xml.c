/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlGuestSpec -> libvirt-gconfig domain and volume: one shape per mode (Xen PV, Xen HVM, KVM/QEMU HVM). */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vl-error.h"
#include "vl-guest-spec-private.h"
#include "vl-libvirt-xml.h"
#include "vl-pending-install.h"

typedef enum { BUS_IDE, BUS_VIRTIO, BUS_XEN } DiskBus;

static DiskBus
disk_bus (VlGuestSpec *self)
{
  if (self->mode == VL_GUEST_MODE_XEN_PV)
    return BUS_XEN;
  if (self->mode == VL_GUEST_MODE_KVM_HVM && self->virtio)
    return BUS_VIRTIO;
  return BUS_IDE;
}

/* qcow2 images start with "QFI\xfb"; anything else is taken as raw, as qemu-img would. */
static GVirConfigDomainDiskFormat
guess_disk_format (VlGuestSpec *self, const char *path)
{
  unsigned char magic[4] = { 0 };
  int fd;
  gssize n;

  if (g_str_has_suffix (path, ".qcow2"))
    return GVIR_CONFIG_DOMAIN_DISK_FORMAT_QCOW2;
  if (!self->is_local)
    return GVIR_CONFIG_DOMAIN_DISK_FORMAT_RAW;
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return GVIR_CONFIG_DOMAIN_DISK_FORMAT_RAW;
  n = read (fd, magic, sizeof magic);
  close (fd);
  if (n == 4 && memcmp (magic, "QFI\xfb", 4) == 0)
    return GVIR_CONFIG_DOMAIN_DISK_FORMAT_QCOW2;
  return GVIR_CONFIG_DOMAIN_DISK_FORMAT_RAW;
}

static GVirConfigDomainDisk *
make_hard_disk (VlGuestSpec *self, const char *path)
{
  GVirConfigDomainDisk *disk = gvir_config_domain_disk_new ();
  g_autoptr(GVirConfigDomainDiskDriver) driver = gvir_config_domain_disk_driver_new ();

  gvir_config_domain_disk_set_type (disk, GVIR_CONFIG_DOMAIN_DISK_FILE);
  gvir_config_domain_disk_set_guest_device_type (disk, GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK);
  /* libxl hands qcow2 to its qdisk backend under the driver name "qemu" too. */
  gvir_config_domain_disk_driver_set_name (driver, "qemu");
  gvir_config_domain_disk_driver_set_format (driver, guess_disk_format (self, path));
  gvir_config_domain_disk_set_driver (disk, driver);
  gvir_config_domain_disk_set_source (disk, path);
  switch (disk_bus (self))
    {
    case BUS_XEN:
      gvir_config_domain_disk_set_target_bus (disk, GVIR_CONFIG_DOMAIN_DISK_BUS_XEN);
      gvir_config_domain_disk_set_target_dev (disk, "xvda");
      break;
    case BUS_VIRTIO:
      gvir_config_domain_disk_set_target_bus (disk, GVIR_CONFIG_DOMAIN_DISK_BUS_VIRTIO);
      gvir_config_domain_disk_set_target_dev (disk, "vda");
      break;
    case BUS_IDE:
    default:
      gvir_config_domain_disk_set_target_bus (disk, GVIR_CONFIG_DOMAIN_DISK_BUS_IDE);
      gvir_config_domain_disk_set_target_dev (disk, "hda");
      break;
    }
  return disk;
}

/* The install disc sits where the study's xp.cfg put it: hdc, read-only. */
static GVirConfigDomainDisk *
make_cdrom (VlGuestSpec *self)
{
  GVirConfigDomainDisk *disk = gvir_config_domain_disk_new ();
  g_autoptr(GVirConfigDomainDiskDriver) driver = gvir_config_domain_disk_driver_new ();
  gboolean device = self->source_kind == VL_INSTALL_SOURCE_CDROM_DEVICE;

  gvir_config_domain_disk_set_type (disk, device ? GVIR_CONFIG_DOMAIN_DISK_BLOCK : GVIR_CONFIG_DOMAIN_DISK_FILE);
  gvir_config_domain_disk_set_guest_device_type (disk, GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_CDROM);
  gvir_config_domain_disk_driver_set_name (driver, "qemu");
  gvir_config_domain_disk_driver_set_format (driver, GVIR_CONFIG_DOMAIN_DISK_FORMAT_RAW);
  gvir_config_domain_disk_set_driver (disk, driver);
  gvir_config_domain_disk_set_source (disk, self->source);
  gvir_config_domain_disk_set_target_bus (disk, GVIR_CONFIG_DOMAIN_DISK_BUS_IDE);
  gvir_config_domain_disk_set_target_dev (disk, "hdc");
  gvir_config_domain_disk_set_readonly (disk, TRUE);
  return disk;
}

static GVirConfigDomainInterface *
make_interface (VlGuestSpec *self)
{
  GVirConfigDomainInterface *iface;
  g_autofree char *mac = self->mac != NULL ? g_strdup (self->mac) : vl_guest_generate_mac (self->mode);

  if (self->network_kind == VL_GUEST_NETWORK_BRIDGE)
    {
      GVirConfigDomainInterfaceBridge *bridge = gvir_config_domain_interface_bridge_new ();

      gvir_config_domain_interface_bridge_set_source (bridge, self->network_source);
      iface = GVIR_CONFIG_DOMAIN_INTERFACE (bridge);
    }
  else
    {
      GVirConfigDomainInterfaceNetwork *net = gvir_config_domain_interface_network_new ();

      gvir_config_domain_interface_network_set_source (net, self->network_source);
      iface = GVIR_CONFIG_DOMAIN_INTERFACE (net);
    }
  gvir_config_domain_interface_set_mac (iface, mac);
  /* Xen PV guests use netfront and Xen HVM the device model's default: no model to choose. */
  if (self->mode == VL_GUEST_MODE_KVM_HVM)
    gvir_config_domain_interface_set_model (iface, self->virtio ? "virtio" : "e1000");
  return iface;
}

static void
add_device (GVirConfigDomain *domain, gpointer device)
{
  gvir_config_domain_add_device (domain, GVIR_CONFIG_DOMAIN_DEVICE (device));
  g_object_unref (device);
}

static void
add_input (GVirConfigDomain *domain, GVirConfigDomainInputDeviceType type, GVirConfigDomainInputBus bus)
{
  GVirConfigDomainInput *input = gvir_config_domain_input_new ();

  gvir_config_domain_input_set_device_type (input, type);
  gvir_config_domain_input_set_bus (input, bus);
  add_device (domain, input);
}

static void
add_display (VlGuestSpec *self, GVirConfigDomain *domain)
{
  GVirConfigDomainGraphicsVnc *vnc = gvir_config_domain_graphics_vnc_new ();
  GVirConfigDomainVideo *video = gvir_config_domain_video_new ();

  gvir_config_domain_graphics_vnc_set_autoport (vnc, TRUE);
  add_device (domain, vnc);
  gvir_config_domain_video_set_model (video, self->mode == VL_GUEST_MODE_XEN_PV
                                             ? GVIR_CONFIG_DOMAIN_VIDEO_MODEL_XEN
                                             : GVIR_CONFIG_DOMAIN_VIDEO_MODEL_VGA);
  add_device (domain, video);
  if (self->mode == VL_GUEST_MODE_XEN_PV)
    {
      add_input (domain, GVIR_CONFIG_DOMAIN_INPUT_DEVICE_KEYBOARD, GVIR_CONFIG_DOMAIN_INPUT_BUS_XEN);
      add_input (domain, GVIR_CONFIG_DOMAIN_INPUT_DEVICE_MOUSE, GVIR_CONFIG_DOMAIN_INPUT_BUS_XEN);
    }
  else
    {
      /* An absolute pointer keeps the VNC cursor and the guest's in step (the study's usbdevice=tablet). */
      add_input (domain, GVIR_CONFIG_DOMAIN_INPUT_DEVICE_TABLET, GVIR_CONFIG_DOMAIN_INPUT_BUS_USB);
    }
}

static void
add_text_console (VlGuestSpec *self, GVirConfigDomain *domain)
{
  g_autoptr(GVirConfigDomainChardevSourcePty) pty = gvir_config_domain_chardev_source_pty_new ();

  if (self->mode == VL_GUEST_MODE_XEN_PV)
    {
      GVirConfigDomainConsole *console = gvir_config_domain_console_new ();

      gvir_config_domain_chardev_set_source (GVIR_CONFIG_DOMAIN_CHARDEV (console),
                                             GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (pty));
      gvir_config_domain_console_set_target_type (console, GVIR_CONFIG_DOMAIN_CONSOLE_TARGET_XEN);
      add_device (domain, console);
    }
  else
    {
      GVirConfigDomainSerial *serial = gvir_config_domain_serial_new ();

      gvir_config_domain_chardev_set_source (GVIR_CONFIG_DOMAIN_CHARDEV (serial),
                                             GVIR_CONFIG_DOMAIN_CHARDEV_SOURCE (pty));
      add_device (domain, serial);
    }
}

/* Fedora-like installers find their packages through inst.repo; Debian's netboot installer asks. */
static gboolean
os_wants_inst_repo (VlGuestSpec *self)
{
  static const char *const distros[] = { "fedora", "rhel", "centos", "rocky", "almalinux", NULL };

  return self->os != NULL && g_strv_contains (distros, osinfo_os_get_distro (self->os) ? osinfo_os_get_distro (self->os) : "");
}

/* What a network install boots once: the tree's installer kernel and initrd, and its command line. */
static void
install_boot (VlGuestSpec *self, char **kernel, char **initrd, char **cmdline)
{
  g_autofree char *repo = os_wants_inst_repo (self) ? g_strdup_printf ("inst.repo=%s", self->source) : NULL;

  *kernel = vl_guest_spec_get_install_kernel (self);
  *initrd = vl_guest_spec_get_install_initrd (self);
  *cmdline = g_strjoin (" ", repo != NULL ? repo : "", self->cmdline != NULL ? self->cmdline : "",
                        self->cmdline == NULL && self->mode == VL_GUEST_MODE_XEN_PV ? "console=hvc0" : "", NULL);
  g_strstrip (*cmdline);
}

static GVirConfigDomainOs *
make_os (VlGuestSpec *self)
{
  GVirConfigDomainOs *os = gvir_config_domain_os_new ();
  GList *boot = NULL;

  gvir_config_domain_os_set_os_type (os, self->mode == VL_GUEST_MODE_XEN_PV ? GVIR_CONFIG_DOMAIN_OS_TYPE_XEN
                                                                            : GVIR_CONFIG_DOMAIN_OS_TYPE_HVM);
  gvir_config_domain_os_set_arch (os, self->host_arch);
  if (self->loader != NULL)
    gvir_config_domain_os_set_loader (os, self->loader);
  vl_guest_spec_set_os_firmware (self, os);
  if (self->source_kind == VL_INSTALL_SOURCE_KERNEL)
    {
      const char *cmdline = self->cmdline;

      gvir_config_domain_os_set_kernel (os, self->kernel);
      if (self->initrd != NULL)
        gvir_config_domain_os_set_ramdisk (os, self->initrd);
      /* Without a console= the PV kernel's messages go nowhere the user can see. */
      if (cmdline == NULL && self->mode == VL_GUEST_MODE_XEN_PV)
        cmdline = "console=hvc0";
      if (cmdline != NULL)
        gvir_config_domain_os_set_cmdline (os, cmdline);
      return os;
    }
  if (self->mode == VL_GUEST_MODE_XEN_PV)
    return os;
  /* CD first, then the disk: the install reboots into what it wrote (the study's boot="dc"). A network
   * install's definition is already the installed guest: its installer boots once, from a note. */
  switch (self->source_kind)
    {
    case VL_INSTALL_SOURCE_ISO:
    case VL_INSTALL_SOURCE_CDROM_DEVICE:
      boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_CDROM));
      break;
    case VL_INSTALL_SOURCE_PXE:
      boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_NETWORK));
      break;
    default:
      break;
    }
  boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_HD));
  gvir_config_domain_os_set_boot_devices (os, boot);
  g_list_free (boot);
  return os;
}

/* libvirt-gconfig has no setter for <bootloader> or <emulator>: add them as elements of the parsed
 * document with libxml2, then hand the document back to libvirt-gconfig. */
static GVirConfigDomain *
add_elements_gconfig_lacks (GVirConfigDomain *domain, const char *bootloader, const char *emulator,
                            gboolean pvh, GError **error)
{
  g_autofree char *xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
  g_autoptr(xmlDoc) doc = NULL;
  xmlNode *root;
  g_autofree char *out = NULL;

  doc = vl_libvirt_xml_parse (xml, _("guest’s configuration"), VL_LIBVIRT_XML_NONE, error);
  root = vl_libvirt_xml_root (doc, "domain");
  if (doc == NULL)
    return NULL;
  if (root == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("The guest’s configuration could not be built."));
      return NULL;
    }
  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      /* libvirt-gconfig knows os types hvm and xen only: PVH is <type machine='xenpvh'>xenpvh</type>. */
      if (pvh && vl_libvirt_xml_is (child, "os"))
        {
          for (xmlNode *type = child->children; type != NULL; type = type->next)
            {
              if (vl_libvirt_xml_is (type, "type"))
                {
                  xmlNodeSetContent (type, BAD_CAST "xenpvh");
                  xmlSetProp (type, BAD_CAST "machine", BAD_CAST "xenpvh");
                }
            }
        }
      if (bootloader != NULL && vl_libvirt_xml_is (child, "os"))
        {
          xmlNode *node = xmlNewDocNode (doc, NULL, BAD_CAST "bootloader", NULL);

          xmlNodeAddContent (node, BAD_CAST bootloader);
          xmlAddPrevSibling (child, node);
        }
      if (emulator != NULL && vl_libvirt_xml_is (child, "devices"))
        {
          xmlNode *node = xmlNewDocNode (doc, NULL, BAD_CAST "emulator", NULL);

          xmlNodeAddContent (node, BAD_CAST emulator);
          if (child->children != NULL)
            xmlAddPrevSibling (child->children, node);
          else
            xmlAddChild (child, node);
        }
    }
  out = vl_libvirt_xml_dump (doc);
  return gvir_config_domain_new_from_xml (out, error);
}

static GVirConfigDomain *
build_domain (VlGuestSpec *self, GError **error)
{
  g_autoptr(GVirConfigDomain) domain = NULL;
  g_autoptr(GVirConfigDomainOs) os = NULL;
  g_autoptr(GVirConfigDomainClock) clock = NULL;
  g_autofree char *disk_path = NULL;
  gboolean xen = self->mode != VL_GUEST_MODE_KVM_HVM;
  const char *bootloader = NULL;

  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  if (!vl_guest_spec_validate (self, NULL, error))
    return NULL;

  domain = gvir_config_domain_new ();
  if (self->test_driver)
    gvir_config_domain_set_virt_type (domain, GVIR_CONFIG_DOMAIN_VIRT_TEST);
  else if (xen)
    gvir_config_domain_set_virt_type (domain, GVIR_CONFIG_DOMAIN_VIRT_XEN);
  else
    gvir_config_domain_set_virt_type (domain, vl_guest_spec_get_use_kvm (self) ? GVIR_CONFIG_DOMAIN_VIRT_KVM
                                                                               : GVIR_CONFIG_DOMAIN_VIRT_QEMU);
  gvir_config_domain_set_name (domain, self->name);
  if (self->os != NULL)
    gvir_config_domain_set_title (domain, osinfo_product_get_name (OSINFO_PRODUCT (self->os)));
  gvir_config_domain_set_memory (domain, self->memory_mib * 1024);
  gvir_config_domain_set_current_memory (domain, self->memory_mib * 1024);
  gvir_config_domain_set_vcpus (domain, self->vcpus);
  if (self->mode != VL_GUEST_MODE_XEN_PV)
    {
      const char *features[] = { "acpi", "apic", "pae", NULL };

      gvir_config_domain_set_features (domain, (GStrv) features);
    }

  os = make_os (self);
  gvir_config_domain_set_os (domain, os);
  /* Windows keeps its clock in local time (the study's -localtime); everything else in UTC. */
  clock = gvir_config_domain_clock_new ();
  gvir_config_domain_clock_set_offset (clock, vl_guest_spec_os_is_windows (self)
                                              ? GVIR_CONFIG_DOMAIN_CLOCK_LOCALTIME
                                              : GVIR_CONFIG_DOMAIN_CLOCK_UTC);
  gvir_config_domain_set_clock (domain, clock);
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_POWEROFF,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_REBOOT,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_RESTART);
  gvir_config_domain_set_lifecycle (domain, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_CRASH,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);

  disk_path = vl_guest_spec_get_disk_path (self);
  if (disk_path != NULL)
    add_device (domain, make_hard_disk (self, disk_path));
  if (self->source_kind == VL_INSTALL_SOURCE_ISO || self->source_kind == VL_INSTALL_SOURCE_CDROM_DEVICE)
    add_device (domain, make_cdrom (self));
  if (self->network_kind != VL_GUEST_NETWORK_NONE)
    add_device (domain, make_interface (self));
  add_text_console (self, domain);
  add_display (self, domain);
  if (self->mode == VL_GUEST_MODE_KVM_HVM)
    {
      GVirConfigDomainMemballoon *balloon = gvir_config_domain_memballoon_new ();

      /* Without a driver in the guest a balloon device only shows up as unknown hardware. */
      gvir_config_domain_memballoon_set_model (balloon, self->virtio ? GVIR_CONFIG_DOMAIN_MEMBALLOON_MODEL_VIRTIO
                                                                     : GVIR_CONFIG_DOMAIN_MEMBALLOON_MODEL_NONE);
      add_device (domain, balloon);
    }

  if (self->source_kind == VL_INSTALL_SOURCE_URL)
    {
      g_autofree char *kernel = NULL;
      g_autofree char *initrd = NULL;
      g_autofree char *cmdline = NULL;

      install_boot (self, &kernel, &initrd, &cmdline);
      if (!vl_pending_install_add (domain, kernel, initrd, cmdline, error))
        return NULL;
    }
  /* A Xen PV guest without a kernel of its own boots what pygrub finds on its disk. */
  if (self->mode == VL_GUEST_MODE_XEN_PV && self->source_kind != VL_INSTALL_SOURCE_KERNEL)
    bootloader = self->bootloader != NULL ? self->bootloader : "pygrub";
  if (bootloader != NULL || self->emulator != NULL || self->pvh)
    {
      g_autoptr(GVirConfigDomain) plain = g_steal_pointer (&domain);

      domain = add_elements_gconfig_lacks (plain, bootloader, self->emulator, self->pvh, error);
      if (domain == NULL)
        return NULL;
    }
  return vl_guest_spec_add_firmware_config (self, g_steal_pointer (&domain), error);
}

GVirConfigDomain *
vl_guest_spec_to_domain (VlGuestSpec *self, GError **error)
{
  return build_domain (self, error);
}

/* Made from the definition, exactly as a later start from the guest list makes it. */
GVirConfigDomain *
vl_guest_spec_to_install_domain (VlGuestSpec *self, GError **error)
{
  g_autoptr(GVirConfigDomain) domain = build_domain (self, error);

  if (domain == NULL)
    return NULL;
  return vl_pending_install_boot_config (domain, error);
}

GVirConfigStorageVol *
vl_guest_spec_to_volume (VlGuestSpec *self)
{
  GVirConfigStorageVol *vol;
  g_autoptr(GVirConfigStorageVolTarget) target = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), NULL);
  if (self->source_kind == VL_INSTALL_SOURCE_DISK || self->storage_kind != VL_GUEST_STORAGE_NEW_VOLUME)
    return NULL;

  name = vl_guest_spec_get_volume_name (self);
  vol = gvir_config_storage_vol_new ();
  gvir_config_storage_vol_set_name (vol, name);
  gvir_config_storage_vol_set_capacity (vol, self->disk_gib << 30);
  /* Sparse: nothing is allocated until the guest writes, as `qemu-img create -f qcow2` does. */
  gvir_config_storage_vol_set_allocation (vol, 0);
  target = gvir_config_storage_vol_target_new ();
  gvir_config_storage_vol_target_set_format (target, "qcow2");
  gvir_config_storage_vol_set_target (vol, target);
  return vol;
}
