/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Moving a guest, the checks before anything changes: the destination is another host, the name and
 * UUID are free there, its networks and pools are there (with room), it can give the processor; and
 * which disks are copied (shared storage is not). */
#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vl-error.h"
#include "vl-gvir-autoptr.h"
#include "vl-libvirt-handle.h"
#include "vl-libvirt-xml.h"
#include "vl-guest-migrate-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlBuffer, xmlBufferFree)

/* ---- in the worker thread ------------------------------------------------------------------ */

static void
copy_free (Copy *c)
{
  if (c->source != NULL)
    virStorageVolFree (c->source);
  if (c->pool != NULL)
    virStoragePoolFree (c->pool);
  if (c->made != NULL)
    virStorageVolFree (c->made);
  g_free (c->name);
  g_free (c->made_path);
  g_free (c);
}

static char *
host_uuid (virConnectPtr conn)
{
  g_autofree char *caps = virConnectGetCapabilities (conn);
  g_autoptr(xmlDoc) doc = NULL;

  if (caps == NULL)
    return NULL;
  doc = vl_libvirt_xml_parse (caps, "host capabilities", VL_LIBVIRT_XML_NONE, NULL);
  return doc != NULL ? vl_libvirt_xml_xpath_string (doc, "string(/capabilities/host/uuid)") : NULL;
}

/* The <cpu> of this host, for a guest that uses it as it is (host-passthrough). */
static char *
host_cpu_xml (virConnectPtr conn)
{
  g_autofree char *caps = virConnectGetCapabilities (conn);
  g_autoptr(xmlDoc) doc = NULL;
  xmlNode *cpu;
  g_autoptr(xmlBuffer) buf = NULL;

  if (caps == NULL)
    return NULL;
  doc = vl_libvirt_xml_parse (caps, "host capabilities", VL_LIBVIRT_XML_NONE, NULL);
  cpu = vl_libvirt_xml_child (vl_libvirt_xml_child (vl_libvirt_xml_root (doc, "capabilities"), "host"),
                              "cpu");
  if (cpu == NULL)
    return NULL;
  buf = xmlBufferCreate ();
  return xmlNodeDump (buf, doc, cpu, 0, 0) > 0 ? g_strdup ((const char *) xmlBufferContent (buf)) : NULL;
}

static gboolean
check_cpu (MoveData *data, GError **error)
{
  VlMigrateNeeds *needs = data->needs;
  int result;

  if (needs->cpu_mode == NULL)
    return TRUE;
  if (g_str_equal (needs->cpu_mode, "host-passthrough") || g_str_equal (needs->cpu_mode, "maximum"))
    {
      g_autofree char *cpu = NULL;

      if (g_strcmp0 (needs->virt_type, "qemu") == 0)
        return TRUE; /* software emulation: no host's processor is passed through */
      cpu = host_cpu_xml (data->sconn);
      result = cpu != NULL ? virConnectCompareCPU (data->dconn, cpu, 0) : VIR_CPU_COMPARE_ERROR;
      if (result == VIR_CPU_COMPARE_INCOMPATIBLE)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED,
                       _("The processor of “%s” differs from this host’s, and the guest uses this host’s "
                          "processor as it is (CPU mode “%s”): it would not run there."),
                       data->dest_name, needs->cpu_mode);
          return FALSE;
        }
      virResetLastError ();
      return TRUE;
    }
  if (needs->cpu_xml == NULL || needs->cpu_model == NULL)
    return TRUE; /* host-model before the guest ran: libvirt picks the model on the destination */
  result = virConnectCompareHypervisorCPU (data->dconn, NULL, needs->arch, needs->machine, needs->virt_type,
                                           needs->cpu_xml, 0);
  if (result == VIR_CPU_COMPARE_INCOMPATIBLE)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED,
                   _("“%s” cannot give the guest its processor “%s”: the guest would not run there."),
                   data->dest_name, needs->cpu_model);
      return FALSE;
    }
  /* A driver that cannot compare (or an error) leaves the check to libvirt's own at the move. */
  virResetLastError ();
  return TRUE;
}

static gboolean
check_networks (MoveData *data, GError **error)
{
  for (guint i = 0; i < data->needs->networks->len; i++)
    {
      const char *name = g_ptr_array_index (data->needs->networks, i);
      g_autoptr(virNetwork) net = virNetworkLookupByName (data->dconn, name);

      if (net == NULL)
        {
          if (vl_libvirt_last_error ().code != VIR_ERR_NO_NETWORK)
            {
              g_autofree char *what = g_strdup_printf (_("The networks of “%s” could not be read:"),
                                                       data->dest_name);

              vl_libvirt_set_last_error (error, what, NULL);
              return FALSE;
            }
          g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND,
                       _("“%s” has no network “%s”, which the guest’s network card uses. Create it there "
                          "first."),
                       data->dest_name, name);
          return FALSE;
        }
      /* A live guest needs it at once; a guest moved offline could not start there without it. */
      if (virNetworkIsActive (net) != 1)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("The network “%s” on “%s” is not started, and the guest’s network card uses it. "
                          "Start it there first."),
                       name, data->dest_name);
          return FALSE;
        }
    }
  virResetLastError ();
  return TRUE;
}

/* A disk the destination has at the same place: shared storage (NFS, a cluster file system, a network
 * pool), so nothing is copied. A live move leaves the judgement to libvirt, which refuses a disk that
 * is on no shared file system ("Migration without shared storage is unsafe"); an offline move has
 * no such check, so there only a network pool counts as shared, and a file left in a local pool
 * (an earlier copy, another guest's disk) is named rather than taken for the guest's. */
static gboolean
is_shared (MoveData *data, virStorageVolPtr there, VlMigrateDisk *d, GError **error)
{
  static const char *const network_pools[] = { "netfs",    "gluster",  "rbd",   "iscsi", "iscsi-direct",
                                               "sheepdog", "vstorage", "mpath", NULL };
  g_autoptr(virStoragePool) pool = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *type = NULL;
  g_autofree char *path = NULL;

  if (data->mode == VL_MIGRATE_LIVE)
    return TRUE;
  pool = virStoragePoolLookupByVolume (there);
  xml = pool != NULL ? virStoragePoolGetXMLDesc (pool, 0) : NULL;
  doc = xml != NULL ? vl_libvirt_xml_parse (xml, "storage pool", VL_LIBVIRT_XML_NONE, NULL) : NULL;
  type = doc != NULL ? vl_libvirt_xml_prop (vl_libvirt_xml_root (doc, "pool"), "type") : NULL;
  virResetLastError ();
  if (type != NULL && g_strv_contains (network_pools, type))
    return TRUE;
  path = virStorageVolGetPath (there);
  g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
               _("“%s” already has a file at “%s”, where disk “%s” would be copied, and it is not on shared "
                  "storage. Virtlab does not overwrite it: remove it there first."),
               data->dest_name, path != NULL ? path : d->volume, d->target);
  virResetLastError ();
  return FALSE;
}

/* A pool of CONN that is defined but not started, whose folder is DIR; NULL when there is none. */
static virStoragePoolPtr
inactive_pool_at (virConnectPtr conn, const char *dir)
{
  virStoragePoolPtr *pools = NULL;
  virStoragePoolPtr found = NULL;
  int n = virConnectListAllStoragePools (conn, &pools, VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE);

  for (int i = 0; i < n; i++)
    {
      g_autofree char *xml = found == NULL ? virStoragePoolGetXMLDesc (pools[i], 0) : NULL;
      g_autoptr(xmlDoc)
        doc = xml != NULL ? vl_libvirt_xml_parse (xml, "storage pool", VL_LIBVIRT_XML_NONE, NULL) : NULL;
      g_autofree char *path = doc != NULL ? vl_libvirt_xml_xpath_string (doc, "string(/pool/target/path)")
                                          : NULL;

      if (path != NULL && g_str_equal (path, dir))
        found = pools[i];
      else
        virStoragePoolFree (pools[i]);
    }
  free (pools);
  virResetLastError ();
  return found;
}

/* Where each disk goes on the destination: the pool that holds its folder there (or the pool of its
 * name, for a pool/volume disk). A volume already there is taken as shared storage; a disk that is
 * not there is copied. */
static gboolean
check_disks (MoveData *data, VlMigratePlan *plan, GError **error)
{
  g_autoptr(GHashTable) need_per_pool = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  data->copies = g_ptr_array_new_with_free_func ((GDestroyNotify) copy_free);
  for (guint i = 0; i < data->needs->disks->len; i++)
    {
      VlMigrateDisk *d = g_ptr_array_index (data->needs->disks, i);
      g_autoptr(virStoragePool) dpool = NULL;
      g_autoptr(virStoragePool) spool = NULL;
      g_autoptr(virStorageVol) there = NULL;
      virStorageVolPtr source = NULL;
      g_autofree char *name = NULL;
      g_autofree char *spool_name = NULL;
      virStorageVolInfo info = { 0 };
      virStoragePoolInfo dinfo;
      Copy *c;

      if (d->path != NULL)
        {
          g_autofree char *dir = g_path_get_dirname (d->path);

          source = virStorageVolLookupByPath (data->sconn, d->path);
          if (source != NULL)
            spool = virStoragePoolLookupByVolume (source);
          spool_name = spool != NULL ? g_strdup (virStoragePoolGetName (spool)) : NULL;
          name = g_path_get_basename (d->path);
          there = virStorageVolLookupByPath (data->dconn, d->path);
          if (there != NULL)
            {
              gboolean shared = is_shared (data, there, d, error);

              if (source != NULL)
                virStorageVolFree (source);
              if (!shared)
                goto fail;
              continue; /* the same file is there: nothing to copy */
            }
          dpool = virStoragePoolLookupByTargetPath (data->dconn, dir);
          if (dpool == NULL)
            dpool = inactive_pool_at (data->dconn, dir); /* libvirt looks among active pools only */
          if (dpool == NULL)
            {
              if (spool_name != NULL)
                g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND,
                             _("“%s” has no storage pool at “%s” (pool “%s” here), where disk “%s” is. "
                                "Create that pool there first."),
                             data->dest_name, dir, spool_name, d->target);
              else
                g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND,
                             _("“%s” has no storage pool at “%s”, where disk “%s” is. Create that pool "
                                "there first."),
                             data->dest_name, dir, d->target);
              goto fail;
            }
        }
      else
        {
          spool = virStoragePoolLookupByName (data->sconn, d->pool);
          source = spool != NULL ? virStorageVolLookupByName (spool, d->volume) : NULL;
          name = g_strdup (d->volume);
          spool_name = g_strdup (d->pool);
          dpool = virStoragePoolLookupByName (data->dconn, d->pool);
          if (dpool == NULL)
            {
              g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND,
                           _("“%s” has no storage pool “%s”, which disk “%s” uses. Create that pool there "
                              "first."),
                           data->dest_name, d->pool, d->target);
              goto fail;
            }
        }
      virResetLastError ();
      if (virStoragePoolIsActive (dpool) != 1)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("The storage pool “%s” on “%s” is not started; disk “%s” goes there."),
                       virStoragePoolGetName (dpool), data->dest_name, d->target);
          if (source != NULL)
            virStorageVolFree (source);
          goto fail;
        }
      virStoragePoolRefresh (dpool, 0);
      there = virStorageVolLookupByName (dpool, name);
      virResetLastError ();
      if (there != NULL)
        {
          gboolean shared = is_shared (data, there, d, error);

          if (source != NULL)
            virStorageVolFree (source);
          if (!shared)
            goto fail;
          continue; /* the same file is there: nothing to copy */
        }
      if (source == NULL && data->mode == VL_MIGRATE_OFFLINE)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND,
                       _("Disk “%s” (%s) is in no storage pool on this host, so it cannot be copied to "
                          "“%s”."),
                       d->target, d->path != NULL ? d->path : d->volume, data->dest_name);
          goto fail;
        }
      if (source != NULL && virStorageVolGetInfo (source, &info) < 0)
        {
          g_autofree char *what = g_strdup_printf (_("Disk “%s” could not be read:"), d->target);

          vl_libvirt_set_last_error (error, what, NULL);
          virStorageVolFree (source);
          goto fail;
        }
      if (source == NULL)
        {
          virDomainBlockInfo block;

          if (virDomainGetBlockInfo (data->domain, d->target, &block, 0) < 0)
            {
              g_autofree char *what = g_strdup_printf (_("Disk “%s” could not be read:"), d->target);

              vl_libvirt_set_last_error (error, what, NULL);
              goto fail;
            }
          info.capacity = block.capacity;
          info.allocation = block.allocation;
        }
      if (virStoragePoolGetInfo (dpool, &dinfo) == 0)
        {
          const char *pool_name = virStoragePoolGetName (dpool);
          guint64 need = GPOINTER_TO_SIZE (g_hash_table_lookup (need_per_pool, pool_name)) + info.allocation;

          g_hash_table_insert (need_per_pool, g_strdup (pool_name), GSIZE_TO_POINTER (need));
          if (need > dinfo.available)
            {
              g_autofree char *want = g_format_size_full (need, G_FORMAT_SIZE_IEC_UNITS);
              g_autofree char *free_there = g_format_size_full (dinfo.available, G_FORMAT_SIZE_IEC_UNITS);

              g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                           _("The storage pool “%s” on “%s” has %s free; the guest’s disks need %s there."),
                           pool_name, data->dest_name, free_there, want);
              if (source != NULL)
                virStorageVolFree (source);
              goto fail;
            }
        }
      c = g_new0 (Copy, 1);
      c->disk = d;
      c->source = source;
      c->pool = g_steal_pointer (&dpool);
      c->name = g_steal_pointer (&name);
      c->capacity = info.capacity;
      c->allocation = info.allocation;
      g_ptr_array_add (data->copies, c);
      g_ptr_array_add (plan->copied, g_strdup (d->target));
      plan->copy_bytes += info.allocation;
    }
  virResetLastError ();
  return TRUE;

fail:
  g_ptr_array_set_size (data->copies, 0);
  return FALSE;
}

/* Everything that can be known before anything changes. */
VlMigratePlan *
vl_migrate_check_move (MoveData *data, GVirDomain *source, GError **error)
{
  g_autoptr(VlMigratePlan) plan = g_new0 (VlMigratePlan, 1);
  g_autofree char *src_host = NULL;
  g_autofree char *dst_host = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(virDomain) existing = NULL;
  unsigned char uuid[VIR_UUID_BUFLEN];
  virDomainInfo info;
  gboolean running;

  plan->mode = data->mode;
  plan->copied = g_ptr_array_new_with_free_func (g_free);
  g_object_get (source, "handle", &data->domain, NULL);
  if (data->domain == NULL)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("The guest is gone."));
      return NULL;
    }
  data->sconn = virDomainGetConnect (data->domain);
  data->dconn = vl_libvirt_handle_get (data->destination, error);
  if (data->dconn == NULL)
    return NULL;
  if (virDomainGetInfo (data->domain, &info) < 0 || virDomainGetUUIDString (data->domain, data->uuid) < 0 ||
      virDomainGetUUID (data->domain, uuid) < 0)
    {
      vl_libvirt_set_last_error (error, _("The guest’s state could not be read:"), NULL);
      return NULL;
    }
  data->state = info.state;
  running = info.state == VIR_DOMAIN_RUNNING || info.state == VIR_DOMAIN_BLOCKED ||
            info.state == VIR_DOMAIN_PAUSED;
  if (data->mode == VL_MIGRATE_LIVE && !running)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” is not running: a live move needs a running guest. Move it offline instead."),
                   virDomainGetName (data->domain));
      return NULL;
    }
  if (data->mode == VL_MIGRATE_OFFLINE && info.state != VIR_DOMAIN_SHUTOFF &&
      info.state != VIR_DOMAIN_CRASHED)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” is running: shut it down before an offline move, or move it live."),
                   virDomainGetName (data->domain));
      return NULL;
    }

  src_host = host_uuid (data->sconn);
  dst_host = host_uuid (data->dconn);
  if (src_host == NULL || dst_host == NULL)
    {
      vl_libvirt_set_last_error (error, _("The hosts’ capabilities could not be read:"), NULL);
      return NULL;
    }
  if (*src_host != '\0' && g_str_equal (src_host, dst_host))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” is this same host (host UUID %s): a guest moves between two hosts."),
                   data->dest_name, dst_host);
      return NULL;
    }

  existing = virDomainLookupByName (data->dconn, virDomainGetName (data->domain));
  if (existing == NULL)
    existing = virDomainLookupByUUID (data->dconn, uuid);
  if (existing != NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” already has a guest named “%s” (or with its UUID). Nothing was changed."),
                   data->dest_name, virDomainGetName (existing));
      return NULL;
    }
  virResetLastError ();

  xml = virDomainGetXMLDesc (data->domain, data->mode == VL_MIGRATE_LIVE ? VIR_DOMAIN_XML_MIGRATABLE
                                                                         : VIR_DOMAIN_XML_INACTIVE);
  if (xml == NULL)
    {
      vl_libvirt_set_last_error (error, _("The guest’s definition could not be read:"), NULL);
      return NULL;
    }
  data->needs = vl_migrate_needs_read (xml, error);
  if (data->needs == NULL || !check_networks (data, error) || !check_cpu (data, error) ||
      !check_disks (data, plan, error))
    return NULL;
  return g_steal_pointer (&plan);
}

/* ---- the move ------------------------------------------------------------------------------ */

