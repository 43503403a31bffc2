/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlGuestSpec, defaults from libosinfo: the operating system's recommended memory, processors and
 * disk, whether it has virtio drivers; loading the OS list and recognising an install disc. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-error.h"
#include "vl-guest-spec-private.h"

/* ---- defaults from the operating system ------------------------------------------------- */

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
