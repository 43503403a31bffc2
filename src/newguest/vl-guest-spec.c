/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlGuestSpec: the new guest's choices, its fields and their copy. What the host offers is in
 * vl-guest-spec-host.c, defaults from libosinfo in vl-guest-spec-os.c, the checks each assistant step
 * runs in vl-guest-spec-check.c, the domain XML in vl-guest-spec-xml.c. */
#include "config.h"

#include "vl-guest-spec-private.h"

G_DEFINE_FINAL_TYPE (VlGuestSpec, vl_guest_spec, G_TYPE_OBJECT)

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
