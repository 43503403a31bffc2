/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The checks of VlGuestSpec: every bad choice is refused on its own step, naming what is wrong. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vl-error.h"
#include "vl-guest-spec-private.h"

static gboolean
fail (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError **error, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (VL_ERROR, VL_ERROR_INVALID_INPUT, format, args));
  va_end (args);
  return FALSE;
}

/* Names go into file names (the volume), XML and shell-less command lines of other tools, so only
 * the characters every libvirt driver and file system accept are allowed. */
gboolean
vl_guest_check_name (const char *name, GError **error)
{
  glong chars;

  if (name == NULL || *name == '\0')
    return fail (error, "%s", _("Enter a name for the new guest."));
  chars = g_utf8_validate (name, -1, NULL) ? g_utf8_strlen (name, -1) : (glong) strlen (name);
  if (chars > MAX_NAME_CHARS)
    {
      g_autofree char *start = g_utf8_validate (name, -1, NULL) ? g_utf8_substring (name, 0, 16)
                                                                 : g_strndup ("", 0);

      return fail (error, _("The name “%s…” is too long (%ld characters): use at most %d."),
                   start, chars, MAX_NAME_CHARS);
    }
  for (const char *p = name; *p != '\0'; p++)
    {
      gboolean ok = g_ascii_isalnum (*p) || ((*p == '-' || *p == '_' || *p == '.') && p != name);

      if (!ok)
        {
          g_autofree char *shown = g_utf8_make_valid (name, -1);

          return fail (error,
                       _("The name “%s” cannot be used: use only letters A–Z, digits, “-”, “_” and “.”, "
                         "starting with a letter or a digit."),
                       shown);
        }
    }
  return TRUE;
}

static gboolean
check_readable_file (const char *path, const char *empty_message, const char *unreadable_format,
                     gboolean regular_only, GError **error)
{
  struct stat st;
  int fd;

  if (path == NULL || *path == '\0')
    return fail (error, "%s", empty_message);
  if (g_stat (path, &st) != 0)
    return fail (error, unreadable_format, path, g_strerror (errno));
  if (S_ISDIR (st.st_mode) || (regular_only && !S_ISREG (st.st_mode)))
    return fail (error, unreadable_format, path, _("it is not a file"));
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0)
    return fail (error, unreadable_format, path, g_strerror (errno));
  close (fd);
  return TRUE;
}

static gboolean
check_tree_url (VlGuestSpec *self, GError **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (self->source == NULL || *self->source == '\0')
    return fail (error, "%s", _("Enter the address of the install tree, such as "
                                "http://deb.debian.org/debian/dists/bookworm/main/installer-amd64/."));
  uri = g_uri_parse (self->source, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL
      || !(g_strcmp0 (scheme, "http") == 0 || g_strcmp0 (scheme, "https") == 0 || g_strcmp0 (scheme, "file") == 0)
      || (g_strcmp0 (scheme, "file") != 0 && (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')))
    return fail (error, _("“%s” is not an install tree address: use http://, https:// or file://."), self->source);
  /* The installer's kernel is fetched here and must be where the guest runs. */
  if (!self->is_local)
    return fail (error, "%s", _("A network install works on connections to this computer only: on a remote host, "
                                "use an ISO image or a kernel that is already there."));
  return TRUE;
}

static gboolean
check_source (VlGuestSpec *self, GError **error)
{
  /* Paths on a remote host cannot be checked from here: libvirt reports them on define. */
  gboolean local = self->is_local;

  switch (self->source_kind)
    {
    case VL_INSTALL_SOURCE_ISO:
      if (self->source == NULL || *self->source == '\0')
        return fail (error, "%s", _("Choose an ISO image file."));
      return !local || check_readable_file (self->source, "", _("ISO file “%s” cannot be read: %s"),
                                            TRUE, error);
    case VL_INSTALL_SOURCE_CDROM_DEVICE:
      if (self->source == NULL || *self->source == '\0')
        return fail (error, "%s", _("Choose a CD-ROM device, such as /dev/sr0."));
      return !local || check_readable_file (self->source, "", _("CD-ROM device “%s” cannot be read: %s"),
                                            FALSE, error);
    case VL_INSTALL_SOURCE_KERNEL:
      if (self->kernel == NULL || *self->kernel == '\0')
        return fail (error, "%s", _("Choose the kernel to boot."));
      if (local && !check_readable_file (self->kernel, "", _("Kernel “%s” cannot be read: %s"), TRUE, error))
        return FALSE;
      if (local && self->initrd != NULL
          && !check_readable_file (self->initrd, "", _("Initrd “%s” cannot be read: %s"), TRUE, error))
        return FALSE;
      return TRUE;
    case VL_INSTALL_SOURCE_DISK:
      if (self->source == NULL || *self->source == '\0')
        return fail (error, "%s", _("Choose the existing disk image to boot."));
      return !local || check_readable_file (self->source, "", _("Disk image “%s” cannot be read: %s"),
                                            TRUE, error);
    case VL_INSTALL_SOURCE_PXE:
      return TRUE;
    case VL_INSTALL_SOURCE_URL:
      return check_tree_url (self, error);
    default:
      return fail (error, "%s", _("This install source is not supported."));
    }
}

static const char *
mode_label (VlGuestMode mode)
{
  switch (mode)
    {
    case VL_GUEST_MODE_XEN_PV:
      return _("Xen paravirtualized (PV)");
    case VL_GUEST_MODE_XEN_HVM:
      return _("Xen fully virtualized (HVM)");
    case VL_GUEST_MODE_KVM_HVM:
    default:
      return _("KVM/QEMU fully virtualized");
    }
}

static gboolean
check_mode (VlGuestSpec *self, GError **error)
{
  if (!vl_guest_spec_host_supports (self, self->mode))
    return fail (error, _("This host cannot run guests of the kind “%s”."), mode_label (self->mode));
  if (self->mode != VL_GUEST_MODE_XEN_PV)
    return TRUE;
  if (self->pvh && self->caps_known && !self->test_driver && !self->has_xen_pvh)
    return fail (error, _("This host cannot run guests of the kind “%s”."), _("Xen PVH"));
  /* PVH has no firmware and no pygrub here: the kernel is given. */
  if (self->pvh && self->source_kind != VL_INSTALL_SOURCE_KERNEL)
    return fail (error, "%s", _("A Xen PVH guest boots the kernel given here: choose “Kernel and initrd” as the "
                                "install source, or choose Xen PV or HVM."));
  /* A PV guest has no BIOS: it needs a kernel given to Xen, or pygrub reading one from a disk. */
  if (self->source_kind == VL_INSTALL_SOURCE_ISO || self->source_kind == VL_INSTALL_SOURCE_CDROM_DEVICE)
    return fail (error, "%s",
                 _("A Xen paravirtualized guest cannot boot from an ISO image or a CD-ROM: "
                   "give its kernel and initrd, or choose Xen HVM."));
  if (self->source_kind == VL_INSTALL_SOURCE_PXE)
    return fail (error, "%s",
                 _("A Xen paravirtualized guest cannot boot from the network (PXE): "
                   "give its kernel and initrd, or choose Xen HVM."));
  return TRUE;
}

static gboolean
check_resources (VlGuestSpec *self, GError **error)
{
  guint64 host_mib = self->host_memory_kib / 1024;

  if (self->memory_mib < MIN_MEMORY_MIB)
    return fail (error, _("Memory must be at least %d MiB."), MIN_MEMORY_MIB);
  if (host_mib > 0 && self->memory_mib > host_mib)
    return fail (error, _("%lu MiB of memory is more than this host has (%lu MiB)."),
                 (gulong) self->memory_mib, (gulong) host_mib);
  if (self->vcpus < 1 || (self->host_cpus > 0 && self->vcpus > self->host_cpus))
    return fail (error, _("The number of virtual CPUs must be between 1 and %u."),
                 self->host_cpus > 0 ? self->host_cpus : 1);
  return TRUE;
}

static gboolean
check_storage (VlGuestSpec *self, GError **error)
{
  guint64 bytes;

  /* Booting an existing disk uses that disk: there is nothing more to choose. */
  if (self->source_kind == VL_INSTALL_SOURCE_DISK)
    return TRUE;
  switch (self->storage_kind)
    {
    case VL_GUEST_STORAGE_NONE:
      return TRUE;
    case VL_GUEST_STORAGE_EXISTING_FILE:
      if (self->existing_disk == NULL || *self->existing_disk == '\0')
        return fail (error, "%s", _("Choose the existing disk image."));
      return !self->is_local
             || check_readable_file (self->existing_disk, "", _("Disk image “%s” cannot be read: %s"),
                                     TRUE, error);
    case VL_GUEST_STORAGE_NEW_VOLUME:
    default:
      if (self->disk_gib < 1)
        return fail (error, "%s", _("The disk size must be at least 1 GiB."));
      if (self->disk_gib > G_MAXUINT64 >> 30)
        return fail (error, "%s", _("The disk size is too large."));
      bytes = self->disk_gib << 30;
      /* The volume is sparse, but a pool that cannot hold it fills up during the install. */
      if (bytes > self->pool_available)
        {
          g_autofree char *free_text = g_format_size_full (self->pool_available, G_FORMAT_SIZE_IEC_UNITS);

          return fail (error, _("A %lu GiB disk does not fit in storage pool “%s”: only %s is free."),
                       (gulong) self->disk_gib, self->pool_name != NULL ? self->pool_name : "default", free_text);
        }
      return TRUE;
    }
}

static gboolean
is_valid_mac (const char *mac)
{
  guint first;

  if (strlen (mac) != 17)
    return FALSE;
  for (int i = 0; i < 17; i++)
    {
      if (i % 3 == 2 ? mac[i] != ':' : !g_ascii_isxdigit (mac[i]))
        return FALSE;
    }
  first = (guint) g_ascii_xdigit_value (mac[0]) * 16 + (guint) g_ascii_xdigit_value (mac[1]);
  /* A multicast address would be refused by the guest's network stack. */
  return (first & 1) == 0;
}

static gboolean
is_valid_ifname (const char *name)
{
  size_t len = strlen (name);

  if (len == 0 || len > 15)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_network (VlGuestSpec *self, GError **error)
{
  if (self->network_kind == VL_GUEST_NETWORK_NONE)
    {
      if (self->source_kind == VL_INSTALL_SOURCE_PXE)
        return fail (error, "%s", _("Booting from the network (PXE) needs a network: "
                                    "choose a virtual network or a host bridge."));
      return TRUE;
    }
  if (self->network_source == NULL || *self->network_source == '\0')
    return fail (error, "%s", self->network_kind == VL_GUEST_NETWORK_VIRTUAL
                                ? _("Choose a virtual network.")
                                : _("Enter the name of a host bridge, such as br0."));
  if (self->network_kind == VL_GUEST_NETWORK_BRIDGE && !is_valid_ifname (self->network_source))
    return fail (error, _("“%s” is not a valid bridge name."), self->network_source);
  if (self->mac != NULL && !is_valid_mac (self->mac))
    return fail (error, _("“%s” is not a valid MAC address, such as 52:54:00:12:34:56."), self->mac);
  return TRUE;
}

static gboolean
check_name (VlGuestSpec *self, GError **error)
{
  if (!vl_guest_check_name (self->name, error))
    return FALSE;
  for (guint i = 0; self->existing_names != NULL && self->existing_names[i] != NULL; i++)
    {
      if (g_strcmp0 (self->existing_names[i], self->name) == 0)
        return fail (error, _("A guest named “%s” already exists on this connection."), self->name);
    }
  return TRUE;
}

gboolean
vl_guest_spec_check_step (VlGuestSpec *self, VlGuestStep step, GError **error)
{
  g_return_val_if_fail (VL_IS_GUEST_SPEC (self), FALSE);

  switch (step)
    {
    case VL_GUEST_STEP_SOURCE:
      return check_source (self, error);
    case VL_GUEST_STEP_OS:
      return TRUE;
    case VL_GUEST_STEP_MODE:
      return check_mode (self, error) && vl_guest_spec_check_firmware (self, error);
    case VL_GUEST_STEP_RESOURCES:
      return check_resources (self, error);
    case VL_GUEST_STEP_STORAGE:
      return check_storage (self, error);
    case VL_GUEST_STEP_NETWORK:
      return check_network (self, error);
    case VL_GUEST_STEP_NAME:
      return check_name (self, error);
    default:
      return TRUE;
    }
}

gboolean
vl_guest_spec_validate (VlGuestSpec *self, VlGuestStep *failed_step, GError **error)
{
  for (VlGuestStep step = VL_GUEST_STEP_SOURCE; step <= VL_GUEST_STEP_NAME; step++)
    {
      if (!vl_guest_spec_check_step (self, step, error))
        {
          if (failed_step != NULL)
            *failed_step = step;
          return FALSE;
        }
    }
  return TRUE;
}
