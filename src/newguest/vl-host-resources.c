/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A host's virtual networks and storage pools: list them, start/stop, autostart, new directory pool. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vl-host-resources.h"
#include "vl-error.h"
#include "vl-libvirt-handle.h"

void
vl_resource_free (VlResource *resource)
{
  if (resource == NULL)
    return;
  g_free (resource->name);
  g_free (resource->detail);
  g_free (resource);
}

static char *
network_detail (virNetworkPtr net)
{
  g_autofree char *bridge = virNetworkGetBridgeName (net);

  virResetLastError ();
  return bridge != NULL ? g_strdup_printf (_("bridge %s"), bridge) : NULL;
}

static char *
pool_detail (virStoragePoolPtr pool)
{
  virStoragePoolInfo info;
  g_autofree char *xml = virStoragePoolGetXMLDesc (pool, 0);
  g_autoptr(GVirConfigStoragePool) config = NULL;
  g_autoptr(GVirConfigStoragePoolTarget) target = NULL;
  const char *path = NULL;

  if (xml != NULL)
    config = gvir_config_storage_pool_new_from_xml (xml, NULL);
  if (config != NULL)
    target = gvir_config_storage_pool_get_target (config);
  if (target != NULL)
    path = gvir_config_storage_pool_target_get_path (target);
  if (virStoragePoolGetInfo (pool, &info) == 0 && info.state == VIR_STORAGE_POOL_RUNNING)
    {
      g_autofree char *available = g_format_size_full (info.available, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *capacity = g_format_size_full (info.capacity, G_FORMAT_SIZE_IEC_UNITS);

      return g_strdup_printf (_("%s, %s free of %s"), path != NULL ? path : "", available, capacity);
    }
  virResetLastError ();
  return g_strdup (path);
}

typedef struct
{
  GPtrArray *items;
  char *networks_unsupported;
  char *pools_unsupported;
} ListResult;

static void
list_result_free (ListResult *list)
{
  g_clear_pointer (&list->items, g_ptr_array_unref);
  g_free (list->networks_unsupported);
  g_free (list->pools_unsupported);
  g_free (list);
}

/* libvirt's own words when the driver has no such objects at all (the embedded QEMU driver runs no
 * network or storage driver), NULL when it has them or failed for another reason. */
static char *
refusal_if_unsupported (void)
{
  virErrorPtr verr = virGetLastError ();
  char *message = NULL;

  if (verr != NULL && verr->code == VIR_ERR_NO_SUPPORT)
    message = g_strdup (vl_libvirt_last_error_message ());
  virResetLastError ();
  return message;
}

static void
list_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ListResult *list;
  GError *error = NULL;
  g_autoptr(virConnect) vconn = vl_libvirt_handle_get (source, &error);
  g_autoptr(VlNetworkList) nets = NULL;
  g_autoptr(VlStoragePoolList) pools = NULL;
  int n;

  if (vconn == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  list = g_new0 (ListResult, 1);
  list->items = g_ptr_array_new_with_free_func ((GDestroyNotify) vl_resource_free);
  n = virConnectListAllNetworks (vconn, &nets, 0);
  if (n < 0)
    list->networks_unsupported = refusal_if_unsupported ();
  for (int i = 0; i < n; i++)
    {
      VlResource *resource = g_new0 (VlResource, 1);
      int autostart = 0;

      resource->kind = VL_RESOURCE_NETWORK;
      resource->name = g_strdup (virNetworkGetName (nets[i]));
      resource->active = virNetworkIsActive (nets[i]) == 1;
      resource->autostart = virNetworkGetAutostart (nets[i], &autostart) == 0 && autostart;
      resource->detail = network_detail (nets[i]);
      g_ptr_array_add (list->items, resource);
    }
  n = virConnectListAllStoragePools (vconn, &pools, 0);
  if (n < 0)
    list->pools_unsupported = refusal_if_unsupported ();
  for (int i = 0; i < n; i++)
    {
      VlResource *resource = g_new0 (VlResource, 1);
      int autostart = 0;

      resource->kind = VL_RESOURCE_POOL;
      resource->name = g_strdup (virStoragePoolGetName (pools[i]));
      resource->active = virStoragePoolIsActive (pools[i]) == 1;
      resource->autostart = virStoragePoolGetAutostart (pools[i], &autostart) == 0 && autostart;
      resource->detail = pool_detail (pools[i]);
      g_ptr_array_add (list->items, resource);
    }
  virResetLastError ();
  g_task_return_pointer (task, list, (GDestroyNotify) list_result_free);
}

void
vl_host_resources_list_async (GVirConnection *conn, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, vl_host_resources_list_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
vl_host_resources_list_finish (GVirConnection *conn, GAsyncResult *result, char **networks_unsupported,
                               char **pools_unsupported, GError **error)
{
  ListResult *list;
  GPtrArray *items;

  g_return_val_if_fail (g_task_is_valid (result, conn), NULL);
  list = g_task_propagate_pointer (G_TASK (result), error);
  if (list == NULL)
    return NULL;
  items = g_steal_pointer (&list->items);
  if (networks_unsupported != NULL)
    *networks_unsupported = g_steal_pointer (&list->networks_unsupported);
  if (pools_unsupported != NULL)
    *pools_unsupported = g_steal_pointer (&list->pools_unsupported);
  list_result_free (list);
  return items;
}

typedef struct
{
  VlResourceKind kind;
  char          *name;
  char          *path;
  VlResourceOp   op;
} ChangeData;

static void
change_data_free (ChangeData *data)
{
  g_free (data->name);
  g_free (data->path);
  g_free (data);
}

/* The reason is read before the network (or pool) is released: every libvirt call, virNetworkFree
 * too, clears the thread's last error. */
static gboolean
change_network (virConnectPtr vconn, const char *name, VlResourceOp op, GError **error)
{
  g_autoptr(virNetwork) net = virNetworkLookupByName (vconn, name);
  int ret = -1;

  if (net != NULL)
    switch (op)
      {
      case VL_RESOURCE_OP_START:
        ret = virNetworkCreate (net);
        break;
      case VL_RESOURCE_OP_STOP:
        ret = virNetworkDestroy (net);
        break;
      case VL_RESOURCE_OP_AUTOSTART_ON:
        ret = virNetworkSetAutostart (net, 1);
        break;
      case VL_RESOURCE_OP_AUTOSTART_OFF:
        ret = virNetworkSetAutostart (net, 0);
        break;
      default:
        break;
      }
  if (ret < 0)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("Network “%s” could not be changed: %s"), name,
                   vl_libvirt_last_error_message ());
      return FALSE;
    }
  return TRUE;
}

static gboolean
change_pool (virConnectPtr vconn, const char *name, VlResourceOp op, GError **error)
{
  g_autoptr(virStoragePool) pool = virStoragePoolLookupByName (vconn, name);
  int ret = -1;

  if (pool != NULL)
    switch (op)
      {
      case VL_RESOURCE_OP_START:
        ret = virStoragePoolCreate (pool, 0);
        break;
      case VL_RESOURCE_OP_STOP:
        ret = virStoragePoolDestroy (pool);
        break;
      case VL_RESOURCE_OP_AUTOSTART_ON:
        ret = virStoragePoolSetAutostart (pool, 1);
        break;
      case VL_RESOURCE_OP_AUTOSTART_OFF:
        ret = virStoragePoolSetAutostart (pool, 0);
        break;
      default:
        break;
      }
  if (ret < 0)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("Storage pool “%s” could not be changed: %s"), name,
                   vl_libvirt_last_error_message ());
      return FALSE;
    }
  return TRUE;
}

static void
change_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ChangeData *data = task_data;
  GError *error = NULL;
  g_autoptr(virConnect) vconn = vl_libvirt_handle_get (source, &error);

  if (vconn != NULL && data->kind == VL_RESOURCE_NETWORK)
    change_network (vconn, data->name, data->op, &error);
  else if (vconn != NULL)
    change_pool (vconn, data->name, data->op, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
vl_host_resources_change_async (GVirConnection *conn, VlResourceKind kind, const char *name, VlResourceOp op,
                                GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);
  ChangeData *data = g_new0 (ChangeData, 1);

  data->kind = kind;
  data->name = g_strdup (name);
  data->op = op;
  g_task_set_source_tag (task, vl_host_resources_change_async);
  g_task_set_task_data (task, data, (GDestroyNotify) change_data_free);
  g_task_run_in_thread (task, change_thread);
}

gboolean
vl_host_resources_change_finish (GVirConnection *conn, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Defines, builds (creates the folder), starts and autostarts a pool of type dir. Blocks. */
gboolean
vl_host_resources_create_dir_pool (GVirConnection *conn, const char *name, const char *path, GError **error)
{
  g_autoptr(GVirConfigStoragePool) config = NULL;
  g_autoptr(GVirConfigStoragePoolTarget) target = NULL;
  g_autoptr(GVirStoragePool) pool = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(virStoragePool) vpool = NULL;

  if (name == NULL || *name == '\0' || strchr (name, '/') != NULL || strlen (name) > 200)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” cannot name a storage pool: use up to 200 characters and no “/”."), name ? name : "");
      return FALSE;
    }
  if (path == NULL || !g_path_is_absolute (path))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The folder of pool “%s” must be an absolute path, such as /var/lib/libvirt/images."), name);
      return FALSE;
    }
  if (!gvir_connection_is_open (conn))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("The connection is closed."));
      return FALSE;
    }
  config = gvir_config_storage_pool_new ();
  gvir_config_storage_pool_set_pool_type (config, GVIR_CONFIG_STORAGE_POOL_TYPE_DIR);
  gvir_config_storage_pool_set_name (config, name);
  target = gvir_config_storage_pool_target_new ();
  gvir_config_storage_pool_target_set_path (target, path);
  gvir_config_storage_pool_set_target (config, target);

  pool = gvir_connection_create_storage_pool (conn, config, 0, &local_error);
  if (pool == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("Storage pool “%s” could not be created: %s"), name,
                   local_error->message);
      return FALSE;
    }
  if (!gvir_storage_pool_build (pool, 0, &local_error) || !gvir_storage_pool_start (pool, 0, &local_error))
    {
      /* All or nothing: a pool that cannot start is not left defined. */
      gvir_storage_pool_undefine (pool, NULL);
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("Storage pool “%s” could not be started: %s"), name,
                   local_error->message);
      return FALSE;
    }
  g_object_get (pool, "handle", &vpool, NULL);
  if (vpool != NULL)
    virStoragePoolSetAutostart (vpool, 1);
  virResetLastError ();
  return TRUE;
}

static void
create_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ChangeData *data = task_data;
  GError *error = NULL;

  if (vl_host_resources_create_dir_pool (source, data->name, data->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
vl_host_resources_create_dir_pool_async (GVirConnection *conn, const char *name, const char *path,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);
  ChangeData *data = g_new0 (ChangeData, 1);

  data->name = g_strdup (name);
  data->path = g_strdup (path);
  g_task_set_source_tag (task, vl_host_resources_create_dir_pool_async);
  g_task_set_task_data (task, data, (GDestroyNotify) change_data_free);
  g_task_run_in_thread (task, create_thread);
}

gboolean
vl_host_resources_create_dir_pool_finish (GVirConnection *conn, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
