/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VlGuestCreator: makes a new guest on a connection (disk, definition, start) and undoes it on failure.
 * Describing the host to the assistant (its capabilities, networks, pools, firmware) is in
 * vl-guest-creator-host.c. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vl-main-context.h"
#include "vl-error.h"
#include "vl-guest-creator-private.h"
#include "vl-guest-spec-firmware.h"
#include "vl-kvm-access.h"
#include "vl-guest-lifecycle.h"
#include "vl-gvir-autoptr.h"
#include "vl-install-tree.h"
#include "vl-libvirt-handle.h"

G_DEFINE_FINAL_TYPE (VlGuestCreator, vl_guest_creator, G_TYPE_OBJECT)

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

void
vl_guest_creator_pool_free (VlGuestPool *pool)
{
  g_free (pool->name);
  g_free (pool->dir);
  g_free (pool);
}

static void
vl_guest_creator_init (VlGuestCreator *self)
{
  self->networks = g_new0 (char *, 1);
  self->pools = g_ptr_array_new_with_free_func ((GDestroyNotify) vl_guest_creator_pool_free);
  self->has_pools = TRUE;
}

static GUri *
connection_uri (VlGuestCreator *self)
{
  const char *uri = gvir_connection_get_uri (self->connection);

  return uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
}

gboolean
vl_guest_creator_is_local (VlGuestCreator *self)
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

char *
vl_guest_creator_image_dir (VlGuestCreator *self)
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

char *
vl_guest_creator_pool_target_dir (GVirStoragePool *pool)
{
  g_autoptr(GVirConfigStoragePool) config = gvir_storage_pool_get_config (pool, 0, NULL);
  g_autoptr(GVirConfigStoragePoolTarget) target = NULL;

  if (config == NULL)
    return NULL;
  target = gvir_config_storage_pool_get_target (config);
  return target != NULL ? g_strdup (gvir_config_storage_pool_target_get_path (target)) : NULL;
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
  dir = path != NULL ? g_path_get_dirname (path) : vl_guest_creator_pool_target_dir (pool);
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
      g_autofree char *image_dir = vl_guest_creator_image_dir (self);
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
