/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlGuestCreator: makes a new guest on a connection (disk, definition, start) and undoes it on failure. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vl-main-context.h"
#include "vl-error.h"
#include "vl-guest-creator.h"
#include "vl-guest-spec-firmware.h"
#include "vl-kvm-access.h"
#include "vl-guest-lifecycle.h"
#include "vl-gvir-autoptr.h"
#include "vl-install-tree.h"
#include "vl-libvirt-handle.h"


struct _VlGuestCreator
{
  GObject parent_instance;

  GVirConnection *connection;
  char *default_pool_dir;
  char *boot_dir;
  char **networks;
  GPtrArray *pools;
  gboolean has_pools;
};

G_DEFINE_FINAL_TYPE (VlGuestCreator, vl_guest_creator, G_TYPE_OBJECT)

#define DEFAULT_POOL "default"

static void
vl_guest_creator_dispose (GObject *object)
{
  VlGuestCreator *self = VL_GUEST_CREATOR (object);

  g_clear_object (&self->connection);
  G_OBJECT_CLASS (vl_guest_creator_parent_class)->dispose (object);
}

static void
vl_guest_creator_finalize (GObject *object)
{
  VlGuestCreator *self = VL_GUEST_CREATOR (object);

  g_free (self->default_pool_dir);
  g_free (self->boot_dir);
  g_strfreev (self->networks);
  g_ptr_array_unref (self->pools);
  G_OBJECT_CLASS (vl_guest_creator_parent_class)->finalize (object);
}

enum { STEP, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
vl_guest_creator_class_init (VlGuestCreatorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vl_guest_creator_dispose;
  G_OBJECT_CLASS (klass)->finalize = vl_guest_creator_finalize;
  signals[STEP] = g_signal_new ("step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_UINT, G_TYPE_UINT);
}

static void
pool_free (VlGuestPool *pool)
{
  g_free (pool->name);
  g_free (pool->dir);
  g_free (pool);
}

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

static void
vl_guest_creator_init (VlGuestCreator *self)
{
  self->networks = g_new0 (char *, 1);
  self->pools = g_ptr_array_new_with_free_func ((GDestroyNotify) pool_free);
  self->has_pools = TRUE;
}

static GUri *
connection_uri (VlGuestCreator *self)
{
  const char *uri = gvir_connection_get_uri (self->connection);

  return uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
}

static gboolean
connection_is_local (VlGuestCreator *self)
{
  g_autoptr(GUri) uri = connection_uri (self);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  return host == NULL || *host == '\0';
}

/* The embedded QEMU driver (qemu:///embed?root=DIR) has no storage driver (libvirt 9.0 refuses
 * storage:///embed: "Driver does not support embedded mode"): its disks live in DIR/images. */
char *
vl_guest_creator_embed_image_dir (const char *uri)
{
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *root;

  if (parsed == NULL || g_strcmp0 (g_uri_get_path (parsed), "/embed") != 0 || g_uri_get_query (parsed) == NULL)
    return NULL;
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);
  root = params != NULL ? g_hash_table_lookup (params, "root") : NULL;
  return root != NULL ? g_build_filename (root, "images", NULL) : NULL;
}

static char *
embed_image_dir (VlGuestCreator *self)
{
  return vl_guest_creator_embed_image_dir (gvir_connection_get_uri (self->connection));
}

VlGuestCreator *
vl_guest_creator_new (GVirConnection *connection)
{
  VlGuestCreator *self;
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (GVIR_IS_CONNECTION (connection), NULL);
  self = g_object_new (VL_TYPE_GUEST_CREATOR, NULL);
  self->connection = g_object_ref (connection);
  uri = connection_uri (self);
  /* Where libvirt's own tools put the default pool, so virt-manager and virsh find the same disks. */
  /* Installer kernels where the daemon's QEMU may read them: virt-install's folder on system daemons. */
  if (uri != NULL && g_strcmp0 (g_uri_get_path (uri), "/system") == 0)
    self->boot_dir = g_strdup ("/var/lib/libvirt/boot");
  else
    self->boot_dir = g_build_filename (g_get_user_data_dir (), "virtlab", "boot", NULL);
  if (uri != NULL && g_strcmp0 (g_uri_get_path (uri), "/system") == 0)
    self->default_pool_dir = g_strdup ("/var/lib/libvirt/images");
  else if (uri != NULL && g_strcmp0 (g_uri_get_path (uri), "/session") == 0)
    self->default_pool_dir = g_build_filename (g_get_user_data_dir (), "libvirt", "images", NULL);
  else
    self->default_pool_dir = g_build_filename (g_get_user_data_dir (), "virtlab", "images", NULL);
  return self;
}

GVirConnection *
vl_guest_creator_get_connection (VlGuestCreator *self)
{
  g_return_val_if_fail (VL_IS_GUEST_CREATOR (self), NULL);
  return self->connection;
}

void
vl_guest_creator_set_default_pool_dir (VlGuestCreator *self, const char *dir)
{
  g_return_if_fail (VL_IS_GUEST_CREATOR (self));
  g_free (self->default_pool_dir);
  self->default_pool_dir = g_strdup (dir);
}

const char *
vl_guest_creator_get_default_pool_dir (VlGuestCreator *self)
{
  g_return_val_if_fail (VL_IS_GUEST_CREATOR (self), NULL);
  return self->default_pool_dir;
}

const char * const *
vl_guest_creator_get_networks (VlGuestCreator *self)
{
  g_return_val_if_fail (VL_IS_GUEST_CREATOR (self), NULL);
  return (const char * const *) self->networks;
}

GPtrArray *
vl_guest_creator_get_pools (VlGuestCreator *self)
{
  g_return_val_if_fail (VL_IS_GUEST_CREATOR (self), NULL);
  return self->pools;
}

gboolean
vl_guest_creator_has_storage_pools (VlGuestCreator *self)
{
  g_return_val_if_fail (VL_IS_GUEST_CREATOR (self), FALSE);
  return self->has_pools;
}

/* Free space of the file system that holds dir, or of its nearest existing parent. */
static guint64
free_space_under (const char *dir)
{
  g_autofree char *path = g_strdup (dir);

  while (path != NULL && !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      char *parent = g_path_get_dirname (path);

      if (g_strcmp0 (parent, path) == 0)
        {
          g_free (parent);
          return G_MAXUINT64;
        }
      g_free (path);
      path = parent;
    }
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GFileInfo) info = g_file_query_filesystem_info (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);

    if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
      return G_MAXUINT64;
    return g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  }
}

static char *
pool_target_dir (GVirStoragePool *pool)
{
  g_autoptr(GVirConfigStoragePool) config = gvir_storage_pool_get_config (pool, 0, NULL);
  g_autoptr(GVirConfigStoragePoolTarget) target = NULL;

  if (config == NULL)
    return NULL;
  target = gvir_config_storage_pool_get_target (config);
  return target != NULL ? g_strdup (gvir_config_storage_pool_target_get_path (target)) : NULL;
}

/* ---- describe the host ------------------------------------------------------------------ */

/* What the worker thread found out; applied to the caller's spec and to the creator on the caller's
 * thread (describe_host_finish), so the thread writes into nothing anybody else can see. */
typedef struct {
  char *wanted_pool;                  /* inputs, copied at the start: the pool the spec had chosen, */
  char *default_pool_dir;             /* and where "default" goes */
  GVirConfigCapabilities *caps;
  VlFirmwareCaps *fw_caps; /* NULL: the driver has no domain capabilities */
  char *fw_host;           /* the host's name in firmware messages */
  char *boot_dir;
  guint64 memory_kib;
  guint cpus;
  gboolean is_local;
  char *kvm_unusable;                 /* why QEMU cannot use /dev/kvm, where that can be known */
  GPtrArray *names;                   /* NULL-terminated */
  char **networks;
  gboolean has_pools;
  GPtrArray *pools;                   /* VlGuestPool, "default" first; NULL without a storage driver */
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
  g_autofree char *image_dir = embed_image_dir (self);
  g_autoptr(GVirNodeInfo) node = NULL;
  GList *domains;

  d->caps = gvir_connection_get_capabilities (self->connection, &local_error);
  if (d->caps == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                   _("What the host can run could not be read: %s"), local_error->message);
      return FALSE;
    }
  {
    g_autofree char *embed_boot = image_dir != NULL ? g_path_get_dirname (image_dir) : NULL;

    d->boot_dir = embed_boot != NULL ? g_build_filename (embed_boot, "boot", NULL) : g_strdup (self->boot_dir);
  }
  node = gvir_connection_get_node_info (self->connection, NULL);
  d->memory_kib = node != NULL ? node->memory : 0;
  d->cpus = node != NULL ? node->cpus : 0;
  d->is_local = connection_is_local (self);
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

  d->has_pools = image_dir == NULL
                 && gvir_connection_fetch_storage_pools (self->connection, cancellable, NULL);
  if (!d->has_pools)
    {
      const char *dir = image_dir != NULL ? image_dir : d->default_pool_dir;

      describe_set_pool (d, dir, dir, d->is_local ? free_space_under (dir) : G_MAXUINT64);
      return TRUE;
    }
  {
    g_autoptr(GPtrArray) pools = g_ptr_array_new_with_free_func ((GDestroyNotify) pool_free);
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
        if (type != GVIR_CONFIG_STORAGE_POOL_TYPE_DIR && type != GVIR_CONFIG_STORAGE_POOL_TYPE_FS
            && type != GVIR_CONFIG_STORAGE_POOL_TYPE_NETFS)
          continue;
        if (gvir_storage_pool_get_active (l->data))
          gvir_storage_pool_refresh (l->data, cancellable, NULL);
        info = gvir_storage_pool_get_info (l->data, NULL);
        dir = pool_target_dir (l->data);
        add_pool (pools, gvir_storage_pool_get_name (l->data), dir,
                  info != NULL && info->state == GVIR_STORAGE_POOL_STATE_RUNNING ? info->available : G_MAXUINT64,
                  TRUE);
      }
    g_list_free_full (list, g_object_unref);
    if (pools->len == 0 || g_strcmp0 (((VlGuestPool *) pools->pdata[0])->name, DEFAULT_POOL) != 0)
      {
        /* Made on "Create": until then the free space is that of the directory it will use. */
        add_pool (pools, DEFAULT_POOL, d->default_pool_dir,
                  connection_is_local (self) ? free_space_under (d->default_pool_dir) : G_MAXUINT64, FALSE);
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
  vl_guest_spec_set_existing_names (spec, (const char * const *) d->names->pdata);
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

/* ---- create ----------------------------------------------------------------------------- */

typedef struct {
  VlGuestSpec *spec;      /* the thread's own copy */
  char *default_pool_dir; /* and of where "default" goes */
  gboolean start;
  /* What this call made, so a failure removes exactly that and nothing the user had before. */
  GVirStorageVol *volume;
  char *image_file;
  char *boot_kernel, *boot_initrd;
  /* Progress: each step is said in the caller's main context as it begins. */
  GMainContext *context;
  guint steps_done, steps_total;
} CreateData;

typedef struct {
  VlGuestCreator *creator;
  VlCreateStep step;
  guint number, total;
} StepReport;

static gboolean
emit_step (gpointer user_data)
{
  StepReport *report = user_data;

  g_signal_emit (report->creator, signals[STEP], 0, (int) report->step, report->number, report->total);
  return G_SOURCE_REMOVE;
}

static void
step_report_free (gpointer user_data)
{
  StepReport *report = user_data;

  g_object_unref (report->creator);
  g_free (report);
}

static void
report_step (VlGuestCreator *self, CreateData *data, VlCreateStep step)
{
  StepReport *report = g_new0 (StepReport, 1);

  report->creator = g_object_ref (self);
  report->step = step;
  report->number = ++data->steps_done;
  report->total = data->steps_total;
  vl_main_context_post (data->context, emit_step, report, step_report_free);
}

static void
create_data_free (CreateData *data)
{
  g_clear_object (&data->spec);
  g_free (data->default_pool_dir);
  g_clear_object (&data->volume);
  g_free (data->image_file);
  g_free (data->boot_kernel);
  g_free (data->boot_initrd);
  g_main_context_unref (data->context);
  g_free (data);
}

static void
undo_disk (CreateData *data)
{
  if (data->volume != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!gvir_storage_vol_delete (data->volume, 0, &error))
        g_warning ("The new disk could not be removed again: %s", error->message);
      g_clear_object (&data->volume);
    }
  if (data->image_file != NULL)
    {
      g_unlink (data->image_file);
      g_clear_pointer (&data->image_file, g_free);
    }
  if (data->boot_kernel != NULL)
    g_unlink (data->boot_kernel);
  if (data->boot_initrd != NULL)
    g_unlink (data->boot_initrd);
}

/* A network install: the tree's installer kernel and initrd, fetched to where the domain points. */
static gboolean
fetch_installer (VlGuestCreator *self, CreateData *data, GCancellable *cancellable, GError **error)
{
  VlGuestSpec *spec = data->spec;
  const char *url = vl_guest_spec_get_source (spec);
  g_autofree char *kernel_rel = NULL;
  g_autofree char *initrd_rel = NULL;
  g_autofree char *kernel_url = NULL;
  g_autofree char *initrd_url = NULL;
  g_autofree char *kernel = vl_guest_spec_get_install_kernel (spec);
  g_autofree char *dir = g_path_get_dirname (kernel);
  g_autoptr(GError) local_error = NULL;

  if (!vl_install_tree_find_boot_files (vl_guest_spec_get_os (spec), url, vl_guest_spec_get_arch (spec),
                                        &kernel_rel, &initrd_rel, cancellable, error))
    return FALSE;
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("The folder “%s” for the installer could not be made: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  kernel_url = vl_install_tree_join (url, kernel_rel);
  initrd_url = vl_install_tree_join (url, initrd_rel);
  data->boot_kernel = g_steal_pointer (&kernel);
  data->boot_initrd = vl_guest_spec_get_install_initrd (spec);
  if (!vl_install_tree_download (kernel_url, data->boot_kernel, cancellable, &local_error)
      || !vl_install_tree_download (initrd_url, data->boot_initrd, cancellable, &local_error))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("The installer could not be fetched from the install tree: %s"),
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

static GVirStoragePool *
ensure_pool (VlGuestCreator *self, const char *name, const char *default_pool_dir, GError **error)
{
  g_autoptr(GVirStoragePool) pool = gvir_connection_find_storage_pool_by_name (self->connection, name);
  g_autoptr(GError) local_error = NULL;

  if (pool == NULL && g_strcmp0 (name, DEFAULT_POOL) == 0)
    {
      g_autoptr(GVirConfigStoragePool) config = gvir_config_storage_pool_new ();
      g_autoptr(GVirConfigStoragePoolTarget) target = gvir_config_storage_pool_target_new ();

      gvir_config_storage_pool_set_name (config, DEFAULT_POOL);
      gvir_config_storage_pool_set_pool_type (config, GVIR_CONFIG_STORAGE_POOL_TYPE_DIR);
      gvir_config_storage_pool_target_set_path (target, default_pool_dir);
      gvir_config_storage_pool_set_target (config, target);
      pool = gvir_connection_create_storage_pool (self->connection, config, 0, &local_error);
      if (pool == NULL || !gvir_storage_pool_build (pool, 0, &local_error))
        {
          g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                       _("The storage pool “%s” in “%s” could not be made: %s"), DEFAULT_POOL,
                       default_pool_dir, local_error->message);
          return NULL;
        }
      gvir_storage_pool_set_autostart (pool, TRUE, NULL);
    }
  if (pool == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("There is no storage pool “%s” on this connection."),
                   name);
      return NULL;
    }
  if (!gvir_storage_pool_get_active (pool) && !gvir_storage_pool_start (pool, 0, &local_error))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("The storage pool “%s” could not be started: %s"),
                   name, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&pool);
}

static gboolean
create_volume_in_pool (VlGuestCreator *self, CreateData *data, GCancellable *cancellable, GError **error)
{
  VlGuestSpec *spec = data->spec;
  const char *pool_name = vl_guest_spec_get_pool_name (spec) != NULL ? vl_guest_spec_get_pool_name (spec)
                                                                     : DEFAULT_POOL;
  g_autoptr(GVirStoragePool) pool = ensure_pool (self, pool_name, data->default_pool_dir, error);
  g_autoptr(GVirConfigStorageVol) config = vl_guest_spec_to_volume (spec);
  g_autofree char *vol_name = vl_guest_spec_get_volume_name (spec);
  g_autoptr(GVirStorageVol) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = NULL;
  const char *path;

  if (pool == NULL)
    return FALSE;
  gvir_storage_pool_refresh (pool, cancellable, NULL);
  existing = gvir_storage_pool_get_volume (pool, vol_name);
  if (existing != NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("A disk named “%s” already exists in storage pool “%s”: choose another guest name."),
                   vol_name, pool_name);
      return FALSE;
    }
  data->volume = gvir_storage_pool_create_volume (pool, config, &local_error);
  if (data->volume == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                   _("The disk “%s” could not be made in storage pool “%s”: %s"), vol_name, pool_name,
                   local_error->message);
      return FALSE;
    }
  /* The domain must point at the file libvirt really made, wherever the pool keeps it. */
  path = gvir_storage_vol_get_path (data->volume, NULL);
  dir = path != NULL ? g_path_get_dirname (path) : pool_target_dir (pool);
  vl_guest_spec_set_pool (spec, pool_name, dir, G_MAXUINT64);
  return TRUE;
}

/* Without a storage driver the disk is made the way the study made it: qemu-img create -f qcow2. */
static gboolean
create_image_file (VlGuestCreator *self, CreateData *data, GCancellable *cancellable, GError **error)
{
  VlGuestSpec *spec = data->spec;
  const char *dir = vl_guest_spec_get_pool_dir (spec);
  g_autofree char *vol_name = vl_guest_spec_get_volume_name (spec);
  g_autofree char *path = g_build_filename (dir, vol_name, NULL);
  g_autofree char *size = g_strdup_printf ("%" G_GUINT64_FORMAT "G", vl_guest_spec_get_disk_gib (spec));
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *err_text = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("The folder “%s” for the disk could not be made: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("A disk named “%s” already exists in “%s”: choose another guest name."), vol_name, dir);
      return FALSE;
    }
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &local_error,
                           "qemu-img", "create", "-q", "-f", "qcow2", path, size, NULL);
  if (proc == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("The disk could not be made: %s"),
                   local_error->message);
      return FALSE;
    }
  data->image_file = g_strdup (path);
  if (!g_subprocess_communicate_utf8 (proc, NULL, cancellable, NULL, &err_text, &local_error)
      || !g_subprocess_get_successful (proc))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("The disk “%s” could not be made: %s"), path,
                   local_error != NULL ? local_error->message : g_strstrip (err_text));
      return FALSE;
    }
  return TRUE;
}

/* Whether a guest of this name is defined on the connection: asked of libvirt itself (not of
 * libvirt-gobject's cache, which may not have seen it yet). */
static gboolean
name_is_taken (VlGuestCreator *self, const char *name)
{
  virConnectPtr vconn = vl_libvirt_handle_get (self->connection, NULL);
  virDomainPtr dom = vconn != NULL ? virDomainLookupByName (vconn, name) : NULL;

  if (dom != NULL)
    virDomainFree (dom);
  if (vconn != NULL)
    virConnectClose (vconn);
  return dom != NULL;
}

/* libvirt's messages name its internals ("operation failed: domain 'x' already exists with uuid …")
 * and come in the user's language: what it means is decided by libvirt's error numbers, read in
 * this thread right after the failed call (libvirt-gobject's GError has code 0), and the user is
 * told in their words, with libvirt's text kept for whoever has to dig further. */
static void
set_libvirt_error (VlGuestCreator *self, GError **error, const char *name, gboolean starting, GError **libvirt)
{
  VlLibvirtError why = vl_libvirt_error_carry_code (libvirt);
  const char *msg = (*libvirt)->message;
  /* libvirt's domain list reports a clash as a failed operation (VIR_FROM_DOMAIN), some drivers as
   * VIR_ERR_DOM_EXIST; the first is also used for other failures, so the name is looked up. */
  gboolean taken = !starting
                   && (why.code == VIR_ERR_DOM_EXIST
                       || (why.code == VIR_ERR_OPERATION_FAILED && why.origin == VIR_FROM_DOMAIN
                           && name_is_taken (self, name)));
  /* QEMU's driver could not run the emulator to read what it offers ("Cannot check QEMU binary"). */
  gboolean no_emulator = why.code == VIR_ERR_SYSTEM_ERROR && why.origin == VIR_FROM_QEMU && why.sys_errno != 0;

  if (taken)
    g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                 _("A guest named “%s” already exists on this connection."), name);
  else if (no_emulator)
    g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND,
                 _("The guest “%s” cannot be made: the program that runs it (the emulator) is not usable on "
                   "the host. libvirt says: %s"), name, msg);
  else if (starting)
    g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                 _("The guest “%s” could not be started, so it was removed again. libvirt says: %s"), name, msg);
  else
    g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                 _("The guest “%s” could not be defined. libvirt says: %s"), name, msg);
}

static gboolean
cancelled (GCancellable *cancellable, GError **error)
{
  if (!g_cancellable_is_cancelled (cancellable))
    return FALSE;
  g_set_error_literal (error, VL_ERROR, VL_ERROR_CANCELLED, _("Creating the guest was cancelled."));
  return TRUE;
}

static GVirDomain *
create_guest (VlGuestCreator *self, CreateData *data, GCancellable *cancellable, GError **error)
{
  VlGuestSpec *spec = data->spec;
  const char *name = vl_guest_spec_get_name (spec);
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVirConfigStorageVol) volume = vl_guest_spec_to_volume (spec);

  if (!vl_guest_spec_validate (spec, NULL, error) || cancelled (cancellable, error))
    return NULL;
  if (vl_guest_spec_get_source_kind (spec) == VL_INSTALL_SOURCE_URL)
    {
      report_step (self, data, VL_CREATE_STEP_INSTALLER);
      if (!fetch_installer (self, data, cancellable, error))
        return NULL;
    }
  if (volume != NULL)
    {
      g_autofree char *image_dir = embed_image_dir (self);
      gboolean has_pools, made;

      has_pools = image_dir == NULL && gvir_connection_fetch_storage_pools (self->connection, cancellable, NULL);
      if (!has_pools && vl_guest_spec_get_pool_dir (spec) == NULL)
        {
          const char *dir = image_dir != NULL ? image_dir : data->default_pool_dir;

          vl_guest_spec_set_pool (spec, dir, dir, G_MAXUINT64);
        }
      report_step (self, data, VL_CREATE_STEP_DISK);
      made = has_pools ? create_volume_in_pool (self, data, cancellable, error)
                       : create_image_file (self, data, cancellable, error);
      if (!made)
        return NULL;
    }
  if (cancelled (cancellable, error))
    return NULL;
  config = vl_guest_spec_to_domain (spec, error);
  if (config == NULL)
    return NULL;
  report_step (self, data, VL_CREATE_STEP_DEFINE);
  domain = gvir_connection_create_domain (self->connection, config, &local_error);
  if (domain == NULL)
    {
      set_libvirt_error (self, error, name, FALSE, &local_error);
      return NULL;
    }
  if (cancelled (cancellable, error))
    {
      gvir_domain_delete (domain, 0, NULL);
      return NULL;
    }
  /* The definition is the installed guest; a network install's installer runs on this start (or, with
   * plain "Create", on the first start from Virtlab), as virt-install does. */
  if (data->start)
    report_step (self, data, VL_CREATE_STEP_START);
  if (data->start && !vl_guest_lifecycle_start (domain, &local_error))
    {
      set_libvirt_error (self, error, name, TRUE, &local_error);
      gvir_domain_delete (domain, 0, NULL);
      return NULL;
    }
  return g_steal_pointer (&domain);
}

static void
create_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CreateData *data = task_data;
  GError *error = NULL;
  GVirDomain *domain = create_guest (source, data, cancellable, &error);

  if (domain == NULL)
    {
      undo_disk (data);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, domain, g_object_unref);
}

void
vl_guest_creator_create_async (VlGuestCreator *self, VlGuestSpec *spec, gboolean start,
                               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  CreateData *data = g_new0 (CreateData, 1);

  g_return_if_fail (VL_IS_GUEST_CREATOR (self));
  g_return_if_fail (VL_IS_GUEST_SPEC (spec));
  /* The thread works on a copy of its own: the caller may go on changing its spec meanwhile, and
   * what the thread learns (the folder libvirt put the disk in) stays in the copy. */
  data->spec = vl_guest_spec_copy (spec);
  data->default_pool_dir = g_strdup (self->default_pool_dir);
  data->start = start;
  data->context = g_main_context_ref_thread_default ();
  {
    g_autoptr(GVirConfigStorageVol) volume = vl_guest_spec_to_volume (spec);

    data->steps_total = (vl_guest_spec_get_source_kind (spec) == VL_INSTALL_SOURCE_URL) + (volume != NULL)
                        + 1 + (start != FALSE);
  }
  g_task_set_source_tag (task, vl_guest_creator_create_async);
  g_task_set_task_data (task, data, (GDestroyNotify) create_data_free);
  /* libvirt-gobject has only blocking calls for define and volume creation: run them off the main loop. */
  g_task_run_in_thread (task, create_thread);
}

GVirDomain *
vl_guest_creator_create_finish (VlGuestCreator *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
