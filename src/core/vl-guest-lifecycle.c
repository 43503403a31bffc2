/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Start, shut down, reboot, force off, pause, resume and delete a guest, off the main loop. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vl-guest-lifecycle.h"
#include "vl-error.h"
#include "vl-libvirt-handle.h"
#include "vl-pending-install.h"

char *
vl_guest_lifecycle_failure (VlGuestOp op, const char *name)
{
  switch (op)
    {
    case VL_GUEST_OP_START: return g_strdup_printf (_("“%s” could not be started"), name);
    case VL_GUEST_OP_SHUTDOWN: return g_strdup_printf (_("“%s” could not be shut down"), name);
    case VL_GUEST_OP_REBOOT: return g_strdup_printf (_("“%s” could not be rebooted"), name);
    case VL_GUEST_OP_FORCE_OFF: return g_strdup_printf (_("“%s” could not be forced off"), name);
    case VL_GUEST_OP_PAUSE: return g_strdup_printf (_("“%s” could not be paused"), name);
    case VL_GUEST_OP_RESUME: return g_strdup_printf (_("“%s” could not be resumed"), name);
    case VL_GUEST_OP_DELETE:
    case VL_GUEST_OP_DELETE_WITH_STORAGE: return g_strdup_printf (_("“%s” could not be deleted"), name);
    default: g_return_val_if_reached (NULL);
    }
}

/* Deletes the volumes behind the guest's disks; a disk that is no pool's volume is left alone. */
static gboolean
delete_volumes (virConnectPtr vconn, GVirConfigDomain *config, GError **error)
{
  GList *devices = gvir_config_domain_get_devices (config);
  gboolean ok = TRUE;

  for (GList *l = devices; l != NULL && ok; l = l->next)
    {
      const char *path;
      g_autoptr(virStorageVol) vol = NULL;

      if (!GVIR_CONFIG_IS_DOMAIN_DISK (l->data)
          || gvir_config_domain_disk_get_guest_device_type (l->data) != GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK)
        continue;
      path = gvir_config_domain_disk_get_source (l->data);
      if (path == NULL || (vol = virStorageVolLookupByPath (vconn, path)) == NULL)
        {
          virResetLastError ();
          continue;
        }
      if (virStorageVolDelete (vol, 0) < 0)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("Volume “%s” could not be deleted: %s"), path,
                       vl_libvirt_last_error_message ());
          ok = FALSE;
        }
    }
  g_list_free_full (devices, g_object_unref);
  return ok;
}

/* Managed save images, snapshot metadata and NVRAM would keep the name taken; drivers that know
 * none of these refuse the flags, so fall back step by step. */
static gboolean
undefine (GVirDomain *domain, GError **error)
{
  static const guint flag_sets[] = {
    VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | VIR_DOMAIN_UNDEFINE_NVRAM,
    VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
    0,
  };

  for (guint i = 0; i < G_N_ELEMENTS (flag_sets); i++)
    {
      g_autoptr(GError) local_error = NULL;
      virErrorPtr verr;

      if (gvir_domain_delete (domain, flag_sets[i], &local_error))
        return TRUE;
      verr = virGetLastError ();
      if (i + 1 == G_N_ELEMENTS (flag_sets) || verr == NULL
          || (verr->code != VIR_ERR_INVALID_ARG && verr->code != VIR_ERR_NO_SUPPORT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  return FALSE;
}

static gboolean
delete_guest (GVirDomain *domain, gboolean with_storage, GError **error)
{
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autoptr(GVirDomainInfo) info = NULL;

  config = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, error);
  if (config == NULL)
    return FALSE;
  info = gvir_domain_get_info (domain, error);
  if (info == NULL)
    return FALSE;
  if (info->state != GVIR_DOMAIN_STATE_SHUTOFF && !gvir_domain_stop (domain, 0, error))
    return FALSE;
  /* Undefine first: if that fails, the disks are still there for the guest that remains. */
  if (!undefine (domain, error))
    return FALSE;
  if (with_storage)
    {
      g_autoptr(virDomain) vdom = NULL;

      g_object_get (domain, "handle", &vdom, NULL);
      return delete_volumes (virDomainGetConnect (vdom), config, error);
    }
  return TRUE;
}

/* virt-install's way for a network install: the definition stays the installed guest, and this one run
 * gets the installer's configuration (same name and UUID) through virDomainCreateXML. The note goes
 * only once the installer runs, so a failed start leaves the install pending. */
gboolean
vl_guest_lifecycle_note_nvram_reset (GVirConfigDomain *config, GError **error)
{
  return gvir_config_domain_set_custom_xml (config, "<reset-nvram/>", VL_RESET_NVRAM_NS,
                                            VL_RESET_NVRAM_NS_URI, error);
}

gboolean
vl_guest_lifecycle_nvram_reset_pending (GVirConfigDomain *config)
{
  g_autofree char *note = gvir_config_domain_get_custom_xml (config, VL_RESET_NVRAM_NS_URI);

  return note != NULL;
}

/* The note goes once the guest runs with its variables made anew. */
static gboolean
forget_nvram_reset (virDomainPtr vdom, GError **error)
{
  if (virDomainSetMetadata (vdom, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL, VL_RESET_NVRAM_NS_URI,
                            VIR_DOMAIN_AFFECT_CONFIG) < 0)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                   _("The guest runs, but its next start would make its UEFI variables anew again: the note "
                      "could not be removed: %s"),
                   vl_libvirt_last_error_message ());
      return FALSE;
    }
  return TRUE;
}

/* virt-install's way for a network install: the definition stays the installed guest, and this one run
 * gets the installer's configuration (same name and UUID) through virDomainCreateXML. The note goes
 * only once the installer runs, so a failed start leaves the install pending. */
gboolean
vl_guest_lifecycle_start (GVirDomain *domain, GError **error)
{
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autoptr(GVirConfigDomain) install = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(virDomain) vdom = NULL;
  g_autoptr(virDomain) running = NULL;
  gboolean reset_nvram = FALSE;
  guint flags;

  g_return_val_if_fail (GVIR_IS_DOMAIN (domain), FALSE);
  config = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, &local_error);
  if (config != NULL)
    {
      reset_nvram = vl_guest_lifecycle_nvram_reset_pending (config);
      install = vl_pending_install_boot_config (config, &local_error);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  flags = reset_nvram ? VIR_DOMAIN_START_RESET_NVRAM : 0;
  g_object_get (domain, "handle", &vdom, NULL);
  if (install == NULL)
    return gvir_domain_start (domain, flags, error) && (!reset_nvram || forget_nvram_reset (vdom, error));

  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (install));
  running = virDomainCreateXML (virDomainGetConnect (vdom), xml, flags);
  if (running == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("The installer could not be started: %s"),
                   vl_libvirt_last_error_message ());
      return FALSE;
    }
  if (virDomainSetMetadata (vdom, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL, VL_PENDING_INSTALL_NS_URI,
                            VIR_DOMAIN_AFFECT_CONFIG) < 0)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                   _("The installer runs, but its next start would run it again: the note of the pending "
                     "install could not be removed: %s"), vl_libvirt_last_error_message ());
      return FALSE;
    }
  return !reset_nvram || forget_nvram_reset (vdom, error);
}

static void
op_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GVirDomain *domain = source;
  VlGuestOp op = GPOINTER_TO_INT (task_data);
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (op)
    {
    case VL_GUEST_OP_START: ok = vl_guest_lifecycle_start (domain, &error); break;
    case VL_GUEST_OP_SHUTDOWN: ok = gvir_domain_shutdown (domain, 0, &error); break;
    case VL_GUEST_OP_REBOOT: ok = gvir_domain_reboot (domain, 0, &error); break;
    case VL_GUEST_OP_FORCE_OFF: ok = gvir_domain_stop (domain, 0, &error); break;
    case VL_GUEST_OP_PAUSE: ok = gvir_domain_suspend (domain, &error); break;
    case VL_GUEST_OP_RESUME: ok = gvir_domain_resume (domain, &error); break;
    case VL_GUEST_OP_DELETE: ok = delete_guest (domain, FALSE, &error); break;
    case VL_GUEST_OP_DELETE_WITH_STORAGE: ok = delete_guest (domain, TRUE, &error); break;
    default: g_assert_not_reached ();
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
vl_guest_lifecycle_run_async (GVirDomain *domain, VlGuestOp op, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (domain, cancellable, callback, user_data);

  g_task_set_source_tag (task, vl_guest_lifecycle_run_async);
  g_task_set_task_data (task, GINT_TO_POINTER (op), NULL);
  g_task_run_in_thread (task, op_thread);
}

gboolean
vl_guest_lifecycle_run_finish (GVirDomain *domain, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, domain), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
