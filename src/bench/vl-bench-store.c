/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The benchmark guest's disks on the host of one connection: storage volumes (uploaded, created,
 * downloaded and deleted through libvirt, so a remote host works like this one), or local files for
 * a local connection without storage pools (the embedded QEMU driver has none). */
/* SEEK_DATA, SEEK_HOLE */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libvirt/virterror.h>

#include "vl-bench-store.h"
#include "vl-error.h"
#include "vl-gvir-autoptr.h"
#include "vl-libvirt-handle.h"

struct _VlBenchStore
{
  virConnectPtr handle; /* NULL: local files */
  virStoragePoolPtr pool;
  gboolean transient; /* the store made the pool */
  gboolean remote;    /* the connection names a host: its folders are not this computer's */
  char *pool_path;
  char *local_dir;
  char *tag;
  char *description;
  GHashTable *made; /* disk name → its path, for what the store still has to delete */
};

static gboolean
uri_has_host (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NON_DNS | G_URI_FLAGS_ENCODED, NULL);
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;

  return host != NULL && host[0] != '\0' && g_strcmp0 (host, "localhost") != 0;
}

static char *
volume_name (const VlBenchStore *store, const char *name)
{
  return g_strdup_printf ("virtlab-bench-%s-%s", store->tag, name);
}

static char *
pool_target_path (virStoragePoolPtr pool)
{
  g_autofree char *xml = virStoragePoolGetXMLDesc (pool, 0);
  g_autoptr(GVirConfigStoragePool) conf = NULL;
  g_autoptr(GVirConfigStoragePoolTarget) target = NULL;

  if (xml == NULL)
    return NULL;
  conf = gvir_config_storage_pool_new_from_xml (xml, NULL);
  target = conf != NULL ? gvir_config_storage_pool_get_target (conf) : NULL;
  return target != NULL ? g_strdup (gvir_config_storage_pool_target_get_path (target)) : NULL;
}

/* A transient directory pool of the store's own, in a folder only root and its owner may list. */
static virStoragePoolPtr
make_transient_pool (VlBenchStore *store, const char *path, GError **error)
{
  g_autoptr(GVirConfigStoragePool) conf = gvir_config_storage_pool_new ();
  g_autoptr(GVirConfigStoragePoolTarget) target = gvir_config_storage_pool_target_new ();
  GVirConfigStoragePermissions *perms = gvir_config_storage_permissions_new ();
  g_autofree char *name = g_strdup_printf ("virtlab-bench-%s", store->tag);
  g_autofree char *xml = NULL;
  virStoragePoolPtr pool;

  gvir_config_storage_pool_set_pool_type (conf, GVIR_CONFIG_STORAGE_POOL_TYPE_DIR);
  gvir_config_storage_pool_set_name (conf, name);
  gvir_config_storage_pool_target_set_path (target, path);
  /* Others may pass through it (QEMU may run as its own user) but not list it. */
  gvir_config_storage_permissions_set_mode (perms, 0711);
  gvir_config_storage_pool_target_set_permissions (target, perms);
  g_object_unref (perms);
  gvir_config_storage_pool_set_target (conf, target);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (conf));
  pool = virStoragePoolCreateXML (store->handle, xml, VIR_STORAGE_POOL_CREATE_WITH_BUILD);
  if (pool == NULL)
    vl_libvirt_set_last_error (error, _("A storage pool for the benchmark guest’s disks could not be made:"),
                               NULL);
  return pool;
}

/* A transient pool is gone once stopped, and only a defined pool can be deleted: its empty folder on
 * another host goes through a persistent definition of the same pool (XML), made for that alone and
 * undefined at once. libvirt's dir pools remove their folder only when it is empty. */
static void
remove_pool_folder (VlBenchStore *store, const char *xml)
{
  virStoragePoolPtr defined = virStoragePoolDefineXML (store->handle, xml, 0);

  if (defined == NULL)
    return;
  virStoragePoolDelete (defined, VIR_STORAGE_POOL_DELETE_NORMAL);
  virStoragePoolUndefine (defined);
  virStoragePoolFree (defined);
}

static void
store_free (VlBenchStore *store)
{
  if (store->pool != NULL)
    virStoragePoolFree (store->pool);
  if (store->handle != NULL)
    virConnectClose (store->handle);
  g_free (store->pool_path);
  g_free (store->local_dir);
  g_free (store->tag);
  g_free (store->description);
  g_hash_table_unref (store->made);
  g_free (store);
}

VlBenchStore *
vl_bench_store_open (GVirConnection *conn, const char *uri, const char *pool_name, const char *local_dir,
                     const char *tag, GError **error)
{
  VlBenchStore *store = g_new0 (VlBenchStore, 1);
  g_autoptr(VlStoragePoolList) pools = NULL;
  VlLibvirtError lerr;

  store->tag = g_strdup (tag);
  store->remote = uri_has_host (uri);
  store->local_dir = g_strdup (local_dir);
  store->made = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  store->handle = vl_libvirt_handle_get (conn, error);
  if (store->handle == NULL)
    {
      store_free (store);
      return NULL;
    }
  if (virConnectListAllStoragePools (store->handle, &pools, 0) < 0)
    {
      lerr = vl_libvirt_last_error ();
      if ((lerr.code == VIR_ERR_NO_SUPPORT || lerr.code == VIR_ERR_OPERATION_UNSUPPORTED) &&
          !uri_has_host (uri) && pool_name == NULL)
        {
          /* The embedded driver: its guests run on this computer, their disks can be files here. */
          virConnectClose (g_steal_pointer (&store->handle));
          store
            ->description = g_strdup_printf (_("local files in “%s” (the connection has no storage pools)"),
                                             local_dir);
          return store;
        }
      vl_libvirt_set_last_error (error, _("The storage pools of the connection could not be listed:"), NULL);
      store_free (store);
      return NULL;
    }
  if (pool_name != NULL)
    {
      int active;

      store->pool = virStoragePoolLookupByName (store->handle, pool_name);
      active = store->pool != NULL ? virStoragePoolIsActive (store->pool) : -1;
      if (store->pool == NULL || active != 1)
        {
          g_set_error (error, VL_ERROR, store->pool == NULL ? VL_ERROR_NOT_FOUND : VL_ERROR_INVALID_INPUT,
                       store->pool == NULL ? _("The storage pool “%s” does not exist on %s")
                                           : _("The storage pool “%s” on %s is not active: start it first"),
                       pool_name, uri);
          store_free (store);
          return NULL;
        }
    }
  else
    /* From the list, not by name: a remote daemon's "not found" would be logged as an error. */
    for (guint i = 0; pools[i] != NULL && store->pool == NULL; i++)
      if (g_strcmp0 (virStoragePoolGetName (pools[i]), "default") == 0 &&
          virStoragePoolIsActive (pools[i]) == 1)
        {
          store->pool = pools[i];
          virStoragePoolRef (store->pool);
        }
  if (store->pool != NULL)
    {
      store->pool_path = pool_target_path (store->pool);
      store->description = g_strdup_printf (_("storage pool “%s” (%s)"), virStoragePoolGetName (store->pool),
                                            store->pool_path != NULL ? store->pool_path : "?");
      return store;
    }
  /* No pool to use: a transient one. On this computer's daemons in the user's own folder, on
   * another host in its /var/tmp (the store cannot know the user's folders there). */
  store->pool_path = uri_has_host (uri) ? g_strdup_printf ("/var/tmp/virtlab-bench-%s", tag)
                                        : g_build_filename (local_dir, "pool", NULL);
  store->pool = make_transient_pool (store, store->pool_path, error);
  if (store->pool == NULL)
    {
      store_free (store);
      return NULL;
    }
  store->transient = TRUE;
  store->description = g_strdup_printf (_(
                                          "a transient storage pool in “%s” (no pool “default” on the host)"),
                                        store->pool_path);
  return store;
}

const char *
vl_bench_store_describe (const VlBenchStore *store)
{
  return store->description;
}

gboolean
vl_bench_store_is_local (const VlBenchStore *store)
{
  return store->handle == NULL;
}

guint64
vl_bench_store_available (const VlBenchStore *store)
{
  virStoragePoolInfo info;

  if (store->pool == NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (store->local_dir);
      g_autoptr(GFileInfo)
        fs = g_file_query_filesystem_info (dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);

      return fs != NULL ? g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE)
                        : G_MAXUINT64;
    }
  virStoragePoolRefresh (store->pool, 0);
  return virStoragePoolGetInfo (store->pool, &info) == 0 ? info.available : G_MAXUINT64;
}

static gboolean
ensure_local_dir (VlBenchStore *store, GError **error)
{
  if (g_file_test (store->local_dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  if (g_mkdir_with_parents (store->local_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION, _("The folder “%s” could not be made: %s"),
                   store->local_dir, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static virStorageVolPtr
create_volume (VlBenchStore *store, const char *name, guint64 size, GError **error)
{
  g_autoptr(GVirConfigStorageVol) conf = gvir_config_storage_vol_new ();
  g_autoptr(GVirConfigStorageVolTarget) target = gvir_config_storage_vol_target_new ();
  g_autofree char *vol_name = volume_name (store, name);
  g_autofree char *xml = NULL;
  virStorageVolPtr vol;

  gvir_config_storage_vol_set_name (conf, vol_name);
  gvir_config_storage_vol_set_capacity (conf, size);
  gvir_config_storage_vol_set_allocation (conf, 0);
  gvir_config_storage_vol_target_set_format (target, "raw");
  gvir_config_storage_vol_set_target (conf, target);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (conf));
  vol = virStorageVolCreateXML (store->pool, xml, 0);
  if (vol == NULL)
    {
      g_autofree char *what = g_strdup_printf (_(
                                                 "The disk “%s” could not be made in the storage pool “%s”:"),
                                               vol_name, virStoragePoolGetName (store->pool));

      vl_libvirt_set_last_error (error, what, NULL);
      return NULL;
    }
  g_hash_table_replace (store->made, g_strdup (name), virStorageVolGetPath (vol));
  return vol;
}

char *
vl_bench_store_create (VlBenchStore *store, const char *name, guint64 size, GError **error)
{
  g_autoptr(virStorageVol) vol = NULL;

  if (store->handle == NULL)
    {
      g_autofree char *file = NULL;
      int fd;

      if (!ensure_local_dir (store, error))
        return NULL;
      file = g_build_filename (store->local_dir, name, NULL);
      fd = open (file, O_RDWR | O_CREAT | O_EXCL, 0600);
      if (fd < 0 || ftruncate (fd, (off_t) size) != 0)
        {
          int saved_errno = errno;

          if (fd >= 0)
            {
              close (fd);
              g_unlink (file);
            }
          g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION, _("The disk “%s” could not be made: %s"), file,
                       g_strerror (saved_errno));
          return NULL;
        }
      close (fd);
      g_hash_table_replace (store->made, g_strdup (name), g_strdup (file));
      return g_steal_pointer (&file);
    }
  vol = create_volume (store, name, size, error);
  return vol != NULL ? g_strdup (g_hash_table_lookup (store->made, name)) : NULL;
}

typedef struct
{
  int fd;
  GCancellable *cancellable;
  GByteArray *sink;
  gsize max;
  int saved_errno;
} StreamData;

static int
send_from_file (virStreamPtr stream, char *buf, size_t nbytes, void *opaque)
{
  StreamData *data = opaque;
  ssize_t n;

  if (g_cancellable_is_cancelled (data->cancellable))
    return -1;
  do
    n = read (data->fd, buf, nbytes);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    data->saved_errno = errno;
  return (int) n;
}

/* Sparse upload: where the file's next hole or data is (holes are not sent over the wire). */
static int
file_in_data (virStreamPtr stream, int *in_data, long long *length, void *opaque)
{
  StreamData *data = opaque;
  off_t here = lseek (data->fd, 0, SEEK_CUR), next_hole, next_data, end;

  if (here < 0 || (end = lseek (data->fd, 0, SEEK_END)) < 0)
    goto failed;
  if (here >= end)
    {
      *in_data = 0;
      *length = 0;
    }
  else if ((next_data = lseek (data->fd, here, SEEK_DATA)) < 0 && errno == ENXIO)
    {
      /* A hole up to the end. */
      *in_data = 0;
      *length = end - here;
    }
  else if (next_data < 0)
    goto failed;
  else if (next_data > here)
    {
      *in_data = 0;
      *length = next_data - here;
    }
  else
    {
      next_hole = lseek (data->fd, here, SEEK_HOLE);
      if (next_hole < 0)
        goto failed;
      *in_data = 1;
      *length = next_hole - here;
    }
  if (lseek (data->fd, here, SEEK_SET) < 0)
    goto failed;
  return 0;

failed:
  data->saved_errno = errno;
  return -1;
}

static int
file_skip (virStreamPtr stream, long long length, void *opaque)
{
  StreamData *data = opaque;

  if (g_cancellable_is_cancelled (data->cancellable))
    return -1;
  if (lseek (data->fd, length, SEEK_CUR) < 0)
    {
      data->saved_errno = errno;
      return -1;
    }
  return 0;
}

static int
receive_to_memory (virStreamPtr stream, const char *buf, size_t nbytes, void *opaque)
{
  StreamData *data = opaque;

  if (g_cancellable_is_cancelled (data->cancellable))
    return -1;
  if (data->sink->len < data->max)
    g_byte_array_append (data->sink, (const guint8 *) buf, MIN (nbytes, data->max - data->sink->len));
  return (int) nbytes;
}

/* Sparse download: a hole of the results disk is zeros, up to MAX. */
static int
receive_hole (virStreamPtr stream, long long length, void *opaque)
{
  StreamData *data = opaque;
  gsize old = data->sink->len;
  gsize add = data->sink->len < data->max ? MIN ((gsize) length, data->max - data->sink->len) : 0;

  if (g_cancellable_is_cancelled (data->cancellable))
    return -1;
  g_byte_array_set_size (data->sink, old + add);
  memset (data->sink->data + old, 0, add);
  return 0;
}

/* The stream's failure for the user: cancelled, the file, or libvirt's own. */
static void
stream_failed (GError **error, StreamData *data, const char *what)
{
  if (g_cancellable_is_cancelled (data->cancellable))
    g_set_error (error, VL_ERROR, VL_ERROR_CANCELLED, _("%s: cancelled"), what);
  else if (data->saved_errno != 0)
    g_set_error (error, VL_ERROR, VL_ERROR_FAILED, "%s: %s", what, g_strerror (data->saved_errno));
  else
    {
      g_autofree char *prefix = g_strdup_printf ("%s:", what);

      vl_libvirt_set_last_error (error, prefix, NULL);
    }
}

char *
vl_bench_store_upload (VlBenchStore *store, const char *name, const char *source, GCancellable *cancellable,
                       GError **error)
{
  g_autoptr(virStorageVol) vol = NULL;
  g_autofree char *what = NULL;
  StreamData data = { .fd = -1, .cancellable = cancellable };
  virStreamPtr stream;
  struct stat st;
  int status;

  if (store->handle == NULL)
    {
      if (!g_file_test (source, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("The file “%s” is missing"), source);
          return NULL;
        }
      return g_strdup (source);
    }
  data.fd = open (source, O_RDONLY | O_CLOEXEC);
  if (data.fd < 0 || fstat (data.fd, &st) != 0)
    {
      int saved_errno = errno;

      if (data.fd >= 0)
        close (data.fd);
      g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("The file “%s” could not be read: %s"), source,
                   g_strerror (saved_errno));
      return NULL;
    }
  vol = create_volume (store, name, (guint64) st.st_size, error);
  if (vol == NULL)
    {
      close (data.fd);
      return NULL;
    }
  what = g_strdup_printf (_("“%s” could not be uploaded to the storage pool “%s”"), source,
                          virStoragePoolGetName (store->pool));
  /* Sparse: the image's holes are not sent (the pool's file gets them as holes too). */
  stream = virStreamNew (store->handle, 0);
  status = stream != NULL ? virStorageVolUpload (vol, stream, 0, (unsigned long long) st.st_size,
                                                 VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM)
                          : -1;
  if (status == 0)
    status = virStreamSparseSendAll (stream, send_from_file, file_in_data, file_skip, &data);
  if (status == 0)
    status = virStreamFinish (stream);
  if (status != 0)
    {
      stream_failed (error, &data, what);
      if (stream != NULL)
        virStreamAbort (stream);
    }
  if (stream != NULL)
    virStreamFree (stream);
  close (data.fd);
  if (status != 0)
    {
      vl_bench_store_delete (store, name, NULL);
      return NULL;
    }
  return g_strdup (g_hash_table_lookup (store->made, name));
}

GBytes *
vl_bench_store_download (VlBenchStore *store, const char *name, gsize max, GCancellable *cancellable,
                         GError **error)
{
  g_autoptr(virStorageVol) vol = NULL;
  g_autofree char *vol_name = volume_name (store, name);
  g_autofree char *what = NULL;
  StreamData data = { .fd = -1, .cancellable = cancellable, .max = max };
  virStreamPtr stream;
  int status;

  if (store->handle == NULL)
    {
      const char *path = g_hash_table_lookup (store->made, name);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (path == NULL || !g_file_get_contents (path, &contents, &length, error))
        {
          if (path == NULL)
            g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("There is no disk “%s”"), name);
          return NULL;
        }
      return g_bytes_new (contents, MIN (length, max));
    }
  vol = virStorageVolLookupByName (store->pool, vol_name);
  if (vol == NULL)
    {
      vl_libvirt_set_last_error (error, _("The results disk could not be found:"), NULL);
      return NULL;
    }
  what = g_strdup_printf (_("The disk “%s” could not be downloaded from the storage pool “%s”"), vol_name,
                          virStoragePoolGetName (store->pool));
  data.sink = g_byte_array_new ();
  stream = virStreamNew (store->handle, 0);
  status = stream != NULL
             ? virStorageVolDownload (vol, stream, 0, max, VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM)
             : -1;
  if (status == 0)
    status = virStreamSparseRecvAll (stream, receive_to_memory, receive_hole, &data);
  if (status == 0)
    status = virStreamFinish (stream);
  if (status != 0)
    {
      stream_failed (error, &data, what);
      if (stream != NULL)
        virStreamAbort (stream);
    }
  if (stream != NULL)
    virStreamFree (stream);
  if (status != 0)
    {
      g_byte_array_unref (data.sink);
      return NULL;
    }
  return g_byte_array_free_to_bytes (data.sink);
}

gboolean
vl_bench_store_delete (VlBenchStore *store, const char *name, GError **error)
{
  const char *path = g_hash_table_lookup (store->made, name);

  if (path == NULL)
    return TRUE;
  if (store->handle == NULL)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION, _("The disk “%s” could not be deleted: %s"),
                       path, g_strerror (saved_errno));
          return FALSE;
        }
    }
  else
    {
      g_autofree char *vol_name = volume_name (store, name);
      g_autoptr(virStorageVol) vol = virStorageVolLookupByName (store->pool, vol_name);

      if (vol == NULL && vl_libvirt_last_error ().code != VIR_ERR_NO_STORAGE_VOL)
        {
          vl_libvirt_set_last_error (error, _("A disk of the benchmark guest could not be deleted:"), NULL);
          return FALSE;
        }
      if (vol != NULL && virStorageVolDelete (vol, 0) != 0)
        {
          g_autofree char *what = g_strdup_printf (_("The disk “%s” could not be deleted:"), vol_name);

          vl_libvirt_set_last_error (error, what, NULL);
          return FALSE;
        }
    }
  g_hash_table_remove (store->made, name);
  return TRUE;
}

guint
vl_bench_store_close (VlBenchStore *store, GString *problems)
{
  GList *names = g_hash_table_get_keys (store->made);
  guint failed = 0;

  for (GList *l = names; l != NULL; l = l->next)
    l->data = g_strdup (l->data);
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autoptr(GError) error = NULL;
      const char *name = l->data;

      if (!vl_bench_store_delete (store, name, &error))
        {
          failed++;
          if (problems != NULL)
            g_string_append_printf (problems, "%s%s", problems->len > 0 ? "; " : "", error->message);
        }
    }
  g_list_free_full (names, g_free);
  if (store->transient && store->pool != NULL)
    {
      /* Read before it stops: a stopped transient pool is gone. */
      g_autofree char *xml = store->remote && failed == 0 ? virStoragePoolGetXMLDesc (store->pool, 0) : NULL;

      virStoragePoolDestroy (store->pool);
      /* Its empty folder: here by its path, on another host through libvirt. */
      if (xml != NULL)
        remove_pool_folder (store, xml);
      else if (store->pool_path != NULL && failed == 0)
        g_rmdir (store->pool_path);
    }
  /* The local folder goes when empty (a transient pool's folder was made in it by libvirt). */
  if (failed == 0)
    g_rmdir (store->local_dir);
  store_free (store);
  return failed;
}
