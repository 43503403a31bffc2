/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlGuestCreator, describing the host to the New Guest assistant: its capabilities and limits, the
 * guests it has, its networks and storage pools with their free space, its firmware and whether KVM
 * can be used, read in a worker into the assistant's spec. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-disk-space.h"
#include "vl-error.h"
#include "vl-firmware-caps.h"
#include "vl-guest-creator-private.h"
#include "vl-guest-spec-firmware.h"
#include "vl-gvir-autoptr.h"
#include "vl-kvm-access.h"

static void
add_pool (GPtrArray *pools, const char *name, const char *dir, guint64 available, gboolean exists)
{
  VlGuestPool *pool = g_new0 (VlGuestPool, 1);

  pool->name = g_strdup (name);
  pool->dir = g_strdup (dir);
  pool->available = available;
  pool->exists = exists;
  /* "default" first: it is what the assistant proposes. */
  if (g_strcmp0 (name, DEFAULT_POOL) == 0)
    g_ptr_array_insert (pools, 0, pool);
  else
    g_ptr_array_add (pools, pool);
}

/* Free space of the file system that will hold dir; unknown counts as unlimited (nothing refused). */
static guint64
free_space_under (const char *dir)
{
  guint64 bytes;

  return vl_disk_space_free_for (dir, &bytes) ? bytes : G_MAXUINT64;
}

/* ---- describe the host ------------------------------------------------------------------ */

/* What the worker thread found out; applied to the caller's spec and to the creator on the caller's
 * thread (describe_host_finish), so the thread writes into nothing anybody else can see. */
typedef struct
{
  char *wanted_pool;      /* inputs, copied at the start: the pool the spec had chosen, */
  char *default_pool_dir; /* and where "default" goes */
  GVirConfigCapabilities *caps;
  VlFirmwareCaps *fw_caps; /* NULL: the driver has no domain capabilities */
  char *fw_host;           /* the host's name in firmware messages */
  char *boot_dir;
  guint64 memory_kib;
  guint cpus;
  gboolean is_local;
  char *kvm_unusable; /* why QEMU cannot use /dev/kvm, where that can be known */
  GPtrArray *names;   /* NULL-terminated */
  char **networks;
  gboolean has_pools;
  GPtrArray *pools; /* VlGuestPool, "default" first; NULL without a storage driver */
  char *pool_name, *pool_dir;
  guint64 pool_available;
} HostDescription;

static void
host_description_free (HostDescription *d)
{
  g_free (d->wanted_pool);
  g_free (d->default_pool_dir);
  g_clear_object (&d->caps);
  g_clear_pointer (&d->fw_caps, vl_firmware_caps_free);
  g_free (d->fw_host);
  g_free (d->boot_dir);
  g_free (d->kvm_unusable);
  g_clear_pointer (&d->names, g_ptr_array_unref);
  g_strfreev (d->networks);
  g_clear_pointer (&d->pools, g_ptr_array_unref);
  g_free (d->pool_name);
  g_free (d->pool_dir);
  g_free (d);
}

static void
describe_set_pool (HostDescription *d, const char *name, const char *dir, guint64 available)
{
  g_free (d->pool_name);
  d->pool_name = g_strdup (name);
  g_free (d->pool_dir);
  d->pool_dir = g_strdup (dir);
  d->pool_available = available;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainCapabilities, g_object_unref)

/* The firmware and TPM a hardware-assisted guest can have here: libvirt's domain capabilities of the
 * first of KVM, QEMU (q35: Secure Boot shows only there) and Xen HVM (xenfv) the host answers for. A
 * driver without them (libvirt's test driver) leaves the offer unknown, which refuses nothing. */
static void
describe_firmware (VlGuestCreator *self, HostDescription *d)
{
  static const struct
  {
    const char *virttype, *machine;
  } kinds[] = {
    { "kvm", "q35" },
    { "qemu", "q35" },
    { "xen", "xenfv" },
  };
  g_autoptr(GUri) uri = g_uri_parse (gvir_connection_get_uri (self->connection), G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  d->fw_host = d->is_local || host == NULL || *host == '\0' ? g_strdup (_("this computer"))
                                                            : g_strdup (host);
  for (guint i = 0; i < G_N_ELEMENTS (kinds) && d->fw_caps == NULL; i++)
    {
      g_autoptr(GVirConfigDomainCapabilities) caps = NULL;
      g_autofree char *xml = NULL;

      caps = gvir_connection_get_domain_capabilities (self->connection, NULL, NULL, kinds[i].machine,
                                                      kinds[i].virttype, 0, NULL);
      if (caps == NULL)
        continue;
      xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (caps));
      d->fw_caps = vl_firmware_caps_parse (xml, NULL);
    }
}

/* On a local QEMU connection whose capabilities list kvm: can the QEMU it starts open /dev/kvm? */
static char *
kvm_unusable (VlGuestCreator *self, HostDescription *d)
{
  g_autofree char *xml = NULL;

  if (!d->is_local || d->caps == NULL)
    return NULL;
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (d->caps));
  return vl_kvm_access_unusable (gvir_connection_get_uri (self->connection), xml, "/dev/kvm", "/");
}

static gboolean
describe_host (VlGuestCreator *self, HostDescription *d, GCancellable *cancellable, GError **error)
{
  g_autoptr(GPtrArray) networks = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *image_dir = vl_guest_creator_image_dir (self);
  g_autoptr(GVirNodeInfo) node = NULL;
  GList *domains;

  d->caps = gvir_connection_get_capabilities (self->connection, &local_error);
  if (d->caps == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("What the host can run could not be read: %s"),
                   local_error->message);
      return FALSE;
    }
  {
    g_autofree char *embed_boot = image_dir != NULL ? g_path_get_dirname (image_dir) : NULL;

    d->boot_dir = embed_boot != NULL ? g_build_filename (embed_boot, "boot", NULL)
                                     : g_strdup (self->boot_dir);
  }
  node = gvir_connection_get_node_info (self->connection, NULL);
  d->memory_kib = node != NULL ? node->memory : 0;
  d->cpus = node != NULL ? node->cpus : 0;
  d->is_local = vl_guest_creator_is_local (self);
  describe_firmware (self, d);
  d->kvm_unusable = kvm_unusable (self, d);

  if (!gvir_connection_fetch_domains (self->connection, cancellable, &local_error))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                   _("The guests on this connection could not be listed: %s"), local_error->message);
      return FALSE;
    }
  d->names = g_ptr_array_new_with_free_func (g_free);
  domains = gvir_connection_get_domains (self->connection);
  for (GList *l = domains; l != NULL; l = l->next)
    g_ptr_array_add (d->names, g_strdup (gvir_domain_get_name (l->data)));
  g_list_free_full (domains, g_object_unref);
  g_ptr_array_add (d->names, NULL);

  /* Drivers without networks or pools (the embedded QEMU driver) simply offer none. */
  if (gvir_connection_fetch_networks (self->connection, cancellable, NULL))
    {
      GList *list = gvir_connection_get_networks (self->connection);

      for (GList *l = list; l != NULL; l = l->next)
        g_ptr_array_add (networks, g_strdup (gvir_network_get_name (l->data)));
      g_list_free_full (list, g_object_unref);
    }
  g_ptr_array_add (networks, NULL);
  d->networks = (char **) g_ptr_array_steal (networks, NULL);

  d->has_pools = image_dir == NULL &&
                 gvir_connection_fetch_storage_pools (self->connection, cancellable, NULL);
  if (!d->has_pools)
    {
      const char *dir = image_dir != NULL ? image_dir : d->default_pool_dir;

      describe_set_pool (d, dir, dir, d->is_local ? free_space_under (dir) : G_MAXUINT64);
      return TRUE;
    }
  {
    GDestroyNotify pool_free = (GDestroyNotify) vl_guest_creator_pool_free;
    g_autoptr(GPtrArray) pools = g_ptr_array_new_with_free_func (pool_free);
    GList *list = gvir_connection_get_storage_pools (self->connection);
    VlGuestPool *chosen = NULL;

    for (GList *l = list; l != NULL; l = l->next)
      {
        g_autoptr(GVirConfigStoragePool) config = gvir_storage_pool_get_config (l->data, 0, NULL);
        GVirConfigStoragePoolType type = config != NULL ? gvir_config_storage_pool_get_pool_type (config)
                                                        : GVIR_CONFIG_STORAGE_POOL_TYPE_LOGICAL;
        g_autofree char *dir = NULL;
        g_autoptr(GVirStoragePoolInfo) info = NULL;

        /* A qcow2 file needs a file system: directory, mounted device or network share. */
        if (type != GVIR_CONFIG_STORAGE_POOL_TYPE_DIR && type != GVIR_CONFIG_STORAGE_POOL_TYPE_FS &&
            type != GVIR_CONFIG_STORAGE_POOL_TYPE_NETFS)
          continue;
        if (gvir_storage_pool_get_active (l->data))
          gvir_storage_pool_refresh (l->data, cancellable, NULL);
        info = gvir_storage_pool_get_info (l->data, NULL);
        dir = vl_guest_creator_pool_target_dir (l->data);
        add_pool (pools, gvir_storage_pool_get_name (l->data), dir,
                  info != NULL && info->state == GVIR_STORAGE_POOL_STATE_RUNNING ? info->available
                                                                                 : G_MAXUINT64,
                  TRUE);
      }
    g_list_free_full (list, g_object_unref);
    if (pools->len == 0 || g_strcmp0 (((VlGuestPool *) pools->pdata[0])->name, DEFAULT_POOL) != 0)
      {
        /* Made on "Create": until then the free space is that of the directory it will use. */
        add_pool (pools, DEFAULT_POOL, d->default_pool_dir,
                  vl_guest_creator_is_local (self) ? free_space_under (d->default_pool_dir) : G_MAXUINT64,
                  FALSE);
      }
    for (guint i = 0; i < pools->len && chosen == NULL; i++)
      {
        if (g_strcmp0 (((VlGuestPool *) pools->pdata[i])->name, d->wanted_pool) == 0)
          chosen = pools->pdata[i];
      }
    if (chosen == NULL)
      chosen = pools->pdata[0];
    describe_set_pool (d, chosen->name, chosen->dir, chosen->available);
    d->pools = g_steal_pointer (&pools);
  }
  return TRUE;
}

static void
describe_host_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  HostDescription *d = task_data;
  GError *error = NULL;

  if (describe_host (source, d, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
vl_guest_creator_describe_host_async (VlGuestCreator *self, VlGuestSpec *spec, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  HostDescription *d;

  g_return_if_fail (VL_IS_GUEST_SPEC (spec));
  g_task_set_source_tag (task, vl_guest_creator_describe_host_async);
  d = g_new0 (HostDescription, 1);
  /* The thread reads only copies taken now, and fills d; the spec is filled in from it by _finish. */
  d->wanted_pool = g_strdup (vl_guest_spec_get_pool_name (spec));
  d->default_pool_dir = g_strdup (self->default_pool_dir);
  g_task_set_task_data (task, d, (GDestroyNotify) host_description_free);
  g_object_set_data_full (G_OBJECT (task), "vl-spec", g_object_ref (spec), g_object_unref);
  g_task_run_in_thread (task, describe_host_thread);
}

gboolean
vl_guest_creator_describe_host_finish (VlGuestCreator *self, GAsyncResult *result, GError **error)
{
  HostDescription *d;
  VlGuestSpec *spec;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  /* The thread has returned: nothing writes d any more. */
  d = g_task_get_task_data (G_TASK (result));
  spec = g_object_get_data (G_OBJECT (result), "vl-spec");
  vl_guest_spec_set_host_capabilities (spec, d->caps);
  vl_guest_spec_set_boot_dir (spec, d->boot_dir);
  vl_guest_spec_set_host_limits (spec, d->memory_kib, d->cpus, d->is_local);
  vl_guest_spec_set_firmware_caps (spec, d->fw_caps, d->fw_host);
  vl_guest_spec_set_kvm_unusable (spec, d->kvm_unusable);
  vl_guest_spec_set_existing_names (spec, (const char *const *) d->names->pdata);
  vl_guest_spec_set_pool (spec, d->pool_name, d->pool_dir, d->pool_available);
  g_strfreev (self->networks);
  self->networks = g_steal_pointer (&d->networks);
  self->has_pools = d->has_pools;
  if (d->pools != NULL)
    {
      g_ptr_array_unref (self->pools);
      self->pools = g_steal_pointer (&d->pools);
    }
  return TRUE;
}
