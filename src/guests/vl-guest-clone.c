/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cloning a guest off the main loop: check, copy every writable disk, define; undo on failure. */
#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vl-main-context.h"
#include "vl-error.h"
#include "vl-libvirt-handle.h"
#include "vl-libvirt-xml.h"
#include "vl-guest-clone.h"
#include "vl-guest-spec.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVol, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigStorageVolTarget, g_object_unref)

/* ---- the clone's definition (pure) -------------------------------------------------------- */

/* Every element NAME right under PARENT, removed. */
static void
remove_children (xmlNode *parent, const char *name)
{
  xmlNode *node = parent != NULL ? parent->children : NULL;

  while (node != NULL)
    {
      xmlNode *next = node->next;

      if (vl_libvirt_xml_is (node, name))
        {
          xmlUnlinkNode (node);
          xmlFreeNode (node);
        }
      node = next;
    }
}

char *
vl_guest_clone_xml (const char *source_xml, const char *new_name, GHashTable *new_sources, GError **error)
{
  g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (source_xml, "guest definition", VL_LIBVIRT_XML_NONE, NULL);
  xmlNode *root = vl_libvirt_xml_root (doc, "domain");
  xmlNode *name, *devices;

  if (root == NULL)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_PARSE, _("The guest’s definition could not be read."));
      return NULL;
    }
  name = vl_libvirt_xml_child (root, "name");
  if (name != NULL)
    {
      xmlChar *escaped = xmlEncodeSpecialChars (doc, BAD_CAST new_name);

      xmlNodeSetContent (name, escaped);
      xmlFree (escaped);
    }

  /* libvirt gives the clone a new UUID and new MAC addresses, and a new UEFI variables file from
   * the firmware's template; the source's would clash. */
  remove_children (root, "uuid");
  remove_children (vl_libvirt_xml_child (root, "os"), "nvram");
  devices = vl_libvirt_xml_child (root, "devices");
  for (xmlNode *device = devices != NULL ? devices->children : NULL; device != NULL; device = device->next)
    {
      xmlNode *source = vl_libvirt_xml_child (device, "source");
      g_autofree char *target = vl_libvirt_xml_prop (vl_libvirt_xml_child (device, "target"), "dev");
      const char *replacement;

      if (vl_libvirt_xml_is (device, "interface"))
        remove_children (device, "mac");
      if (!vl_libvirt_xml_is (device, "disk") || source == NULL || target == NULL || new_sources == NULL)
        continue;
      replacement = g_hash_table_lookup (new_sources, target);
      if (replacement != NULL)
        xmlSetProp (source, BAD_CAST (xmlHasProp (source, BAD_CAST "volume") ? "volume" : "file"),
                    BAD_CAST replacement);
    }
  return vl_libvirt_xml_dump (doc);
}

char *
vl_guest_clone_disk_name (const char *new_name, const char *old_name, const char *target, gboolean first)
{
  g_autofree char *base = g_path_get_basename (old_name != NULL ? old_name : "");
  const char *dot = strrchr (base, '.');
  const char *ext = dot != NULL && dot != base && strlen (dot) <= 6 ? dot : "";

  if (first)
    return g_strconcat (new_name, ext, NULL);
  return g_strdup_printf ("%s-%s%s", new_name, target, ext);
}

/* ---- the disks to copy -------------------------------------------------------------------- */

typedef struct {
  char *target;    /* vda */
  char *path;      /* the file (type file) or NULL */
  char *pool;      /* type volume: the pool and volume */
  char *volume;
  char *format;    /* qcow2, raw, … */
  /* filled while copying */
  char *new_source;     /* what goes into the clone's definition */
  char *made_path;      /* a file made by qemu-img, to delete on failure */
  virStorageVolPtr made_volume;  /* a volume made in a pool, to delete on failure */
} Disk;

static void
disk_free (Disk *d)
{
  g_free (d->target);
  g_free (d->path);
  g_free (d->pool);
  g_free (d->volume);
  g_free (d->format);
  g_free (d->new_source);
  g_free (d->made_path);
  if (d->made_volume != NULL)
    virStorageVolFree (d->made_volume);
  g_free (d);
}

/* The attribute ATTR of PARENT's child CHILD, NULL when either is missing or it is empty. */
static char *
child_prop (xmlNode *parent, const char *child, const char *attr)
{
  char *value = vl_libvirt_xml_prop (vl_libvirt_xml_child (parent, child), attr);

  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

/* The writable disks of a definition: what a clone must copy (CD-ROMs and read-only or shared disks
 * are used by both guests as they are). */
static GPtrArray *
writable_disks (const char *xml)
{
  GPtrArray *disks = g_ptr_array_new_with_free_func ((GDestroyNotify) disk_free);
  g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (xml, "guest definition", VL_LIBVIRT_XML_NONE, NULL);
  xmlNode *devices = vl_libvirt_xml_child (vl_libvirt_xml_root (doc, "domain"), "devices");

  for (xmlNode *node = devices != NULL ? devices->children : NULL; node != NULL; node = node->next)
    {
      g_autofree char *device = vl_libvirt_xml_prop (node, "device");
      Disk *d;

      if (!vl_libvirt_xml_is (node, "disk") || (device != NULL && !g_str_equal (device, "disk"))
          || vl_libvirt_xml_child (node, "readonly") != NULL || vl_libvirt_xml_child (node, "shareable") != NULL)
        continue;
      d = g_new0 (Disk, 1);
      d->target = child_prop (node, "target", "dev");
      d->path = child_prop (node, "source", "file");
      d->pool = child_prop (node, "source", "pool");
      d->volume = child_prop (node, "source", "volume");
      d->format = child_prop (node, "driver", "type");
      if (d->format == NULL)
        d->format = g_strdup ("raw");
      if (d->target != NULL && (d->path != NULL || (d->pool != NULL && d->volume != NULL)))
        g_ptr_array_add (disks, d);
      else
        disk_free (d);  /* a block device or network disk: not copied */
    }
  return disks;
}

/* ---- in the worker thread ----------------------------------------------------------------- */

typedef struct {
  char            *new_name;
  VlCloneProgress  progress;
  gpointer         progress_data;
  GMainContext    *context;
  /* progress across disks */
  guint            n_disks;
  guint            index;
} CloneData;

static void
clone_data_free (CloneData *data)
{
  g_free (data->new_name);
  g_main_context_unref (data->context);
  g_free (data);
}

static void
report (CloneData *data, double disk_fraction, const char *text)
{
  double fraction = data->n_disks > 0 ? (data->index + CLAMP (disk_fraction, 0, 1)) / data->n_disks : 1;

  vl_main_context_post_progress (data->context, data->progress, fraction, text, data->progress_data);
}

/* A copy of a disk that is a volume of a pool: libvirt copies it (also on a remote host); the new
 * volume's allocation is watched for progress. */
typedef struct {
  virStoragePoolPtr pool;
  virStorageVolPtr  source;
  char             *xml;
  virStorageVolPtr  made;
  virErrorPtr       error;
  gboolean          done;
} VolCopy;

static gpointer
vol_copy_thread (gpointer user_data)
{
  VolCopy *copy = user_data;

  copy->made = virStorageVolCreateXMLFrom (copy->pool, copy->xml, copy->source, 0);
  if (copy->made == NULL)
    copy->error = virSaveLastError ();
  g_atomic_int_set (&copy->done, TRUE);
  return NULL;
}

/* A volume copy that failed: whatever libvirt left of it in POOL is removed (no volume of that name
 * was there before), and the message says what happened. When the copy could grow past the room the
 * pool has (a sparse or compressed disk takes less than it holds, and the check before the copy
 * counts what it takes), the pool ran out of room half-way: the message names the pool and disk. */
static void
copy_failed (virStoragePoolPtr pool, const char *pool_name, Disk *d, const char *disk_name,
             const virStorageVolInfo *source, virErrorPtr said, GError **error)
{
  const char *detail = said != NULL && said->message != NULL ? said->message : "";
  virStoragePoolInfo now;
  virStorageVolPtr left;

  virStoragePoolRefresh (pool, 0);
  left = virStorageVolLookupByName (pool, disk_name);
  if (left != NULL)
    {
      virStorageVolDelete (left, 0);
      virStorageVolFree (left);
      virStoragePoolRefresh (pool, 0);
    }
  if (virStoragePoolGetInfo (pool, &now) == 0 && source->capacity > now.available)
    {
      g_autofree char *size = g_format_size_full (source->capacity, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *free = g_format_size_full (now.available, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *what = NULL;

      what = g_strdup_printf (_("The pool “%s” ran out of room while disk “%s” was copied: the copy can "
                                 "grow to %s (the disk’s size) and the pool has %s free. Nothing of the "
                                 "clone was kept. libvirt said:"),
                              pool_name, d->target, size, free);
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, "%s %s", what, detail);
    }
  else
    {
      g_autofree char *what = g_strdup_printf (_("Disk “%s” could not be copied:"), d->target);

      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, "%s %s", what, detail);
    }
  virResetLastError ();
}

static gboolean
copy_volume (CloneData *data, virConnectPtr conn, Disk *d, virStorageVolPtr source, const char *disk_name,
             GCancellable *cancellable, GError **error)
{
  virStoragePoolPtr pool = virStoragePoolLookupByVolume (source);
  virStoragePoolInfo pool_info;
  virStorageVolInfo info;
  g_autoptr(GVirConfigStorageVol) config = gvir_config_storage_vol_new ();
  g_autoptr(GVirConfigStorageVolTarget) target = gvir_config_storage_vol_target_new ();
  g_autofree char *pool_name = NULL;
  g_autofree char *doing = NULL;
  VolCopy copy = { 0 };
  GThread *thread;
  virStorageVolPtr existing;
  gboolean ok = FALSE;

  if (pool == NULL || virStorageVolGetInfo (source, &info) < 0 || virStoragePoolGetInfo (pool, &pool_info) < 0)
    {
      vl_libvirt_set_last_error (error, _("The guest’s disk could not be read:"), NULL);
      goto out;
    }
  pool_name = g_strdup (virStoragePoolGetName (pool));
  existing = virStorageVolLookupByName (pool, disk_name);
  if (existing != NULL)
    {
      virStorageVolFree (existing);
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The pool “%s” already has a volume named “%s”."), pool_name, disk_name);
      goto out;
    }
  virResetLastError ();
  if (pool_info.available < info.allocation)
    {
      g_autofree char *need = g_format_size_full (info.allocation, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *free = g_format_size_full (pool_info.available, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The pool “%s” has %s free; the copy of disk “%s” needs %s."),
                   pool_name, free, d->target, need);
      goto out;
    }

  gvir_config_storage_vol_set_name (config, disk_name);
  gvir_config_storage_vol_set_capacity (config, info.capacity);
  gvir_config_storage_vol_target_set_format (target, d->format);
  gvir_config_storage_vol_set_target (config, target);
  copy.pool = pool;
  copy.source = source;
  copy.xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  doing = g_strdup_printf (_("Copying disk “%s” in pool “%s”…"), d->target, pool_name);
  report (data, 0, doing);

  thread = g_thread_new ("vl-clone-volume", vol_copy_thread, &copy);
  while (!g_atomic_int_get (&copy.done))
    {
      virStorageVolPtr made;

      g_usleep (250 * 1000);
      made = virStorageVolLookupByName (pool, disk_name);
      if (made != NULL)
        {
          virStorageVolInfo now;

          if (virStorageVolGetInfo (made, &now) == 0 && info.allocation > 0)
            report (data, (double) now.allocation / info.allocation, doing);
          virStorageVolFree (made);
        }
      virResetLastError ();
    }
  g_thread_join (thread);
  g_free (copy.xml);
  if (copy.made == NULL)
    {
      copy_failed (pool, pool_name, d, disk_name, &info, copy.error, error);
      virFreeError (copy.error);
      goto out;
    }
  d->made_volume = copy.made;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  if (d->path != NULL)
    {
      char *path = virStorageVolGetPath (copy.made);

      d->new_source = g_strdup (path);
      free (path);
    }
  else
    d->new_source = g_strdup (disk_name);
  ok = TRUE;
out:
  if (pool != NULL)
    virStoragePoolFree (pool);
  return ok;
}

/* A copy of a disk that is in no pool (the embedded driver has none): qemu-img, beside the source. */
static gboolean
copy_file (CloneData *data, Disk *d, const char *disk_name, GCancellable *cancellable, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (d->path);
  g_autofree char *dest = g_build_filename (dir, disk_name, NULL);
  g_autofree char *doing = g_strdup_printf (_("Copying disk “%s” to “%s”…"), d->target, dest);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) local = NULL;
  GInputStream *out;
  GString *text = g_string_new (NULL);
  char buf[256];
  gssize n;

  if (g_file_test (dest, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("A file “%s” is already there."), dest);
      g_string_free (text, TRUE);
      return FALSE;
    }
  report (data, 0, doing);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &local,
                           "qemu-img", "convert", "-p", "-f", d->format, "-O", d->format, d->path, dest, NULL);
  if (proc == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("Disk “%s” could not be copied: %s"), d->target,
                   local->message);
      g_string_free (text, TRUE);
      return FALSE;
    }
  d->made_path = g_strdup (dest);
  out = g_subprocess_get_stdout_pipe (proc);
  /* qemu-img -p prints "    (12.34/100%)" and a carriage return as it goes. */
  while ((n = g_input_stream_read (out, buf, sizeof buf - 1, cancellable, NULL)) > 0)
    {
      const char *open;

      buf[n] = '\0';
      g_string_append (text, buf);
      open = g_strrstr (text->str, "(");
      if (open != NULL)
        report (data, g_ascii_strtod (open + 1, NULL) / 100.0, doing);
      if (text->len > 4096)
        g_string_erase (text, 0, text->len - 256);
    }
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_subprocess_force_exit (proc);
      g_subprocess_wait (proc, NULL, NULL);
      g_string_free (text, TRUE);
      return !g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  if (!g_subprocess_wait_check (proc, NULL, &local))
    {
      g_autofree char *said = g_strstrip (g_strdup (text->str));
      char *cr = strrchr (said, '\r');

      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("Disk “%s” could not be copied: %s"), d->target,
                   cr != NULL ? g_strstrip (cr + 1) : said);
      g_string_free (text, TRUE);
      return FALSE;
    }
  g_string_free (text, TRUE);
  d->new_source = g_strdup (dest);
  return TRUE;
}

static void
undo (GPtrArray *disks)
{
  for (guint i = 0; i < disks->len; i++)
    {
      Disk *d = g_ptr_array_index (disks, i);

      if (d->made_volume != NULL)
        {
          virStorageVolDelete (d->made_volume, 0);
          virStorageVolFree (d->made_volume);
          d->made_volume = NULL;
        }
      if (d->made_path != NULL)
        g_unlink (d->made_path);
      virResetLastError ();
    }
}

static char *
clone_guest (GVirDomain *source, CloneData *data, GCancellable *cancellable, GError **error)
{
  virDomainPtr handle = NULL;
  virConnectPtr conn;
  virDomainPtr existing, made = NULL;
  virDomainInfo info;
  g_autoptr(GPtrArray) disks = NULL;
  g_autoptr(GHashTable) new_sources = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *xml = NULL;
  g_autofree char *new_xml = NULL;
  char *raw_xml;
  char *result = NULL;

  if (!vl_guest_check_name (data->new_name, error))
    return NULL;
  g_object_get (source, "handle", &handle, NULL);
  if (handle == NULL)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("The guest is gone."));
      return NULL;
    }
  conn = virDomainGetConnect (handle);
  if (virDomainGetInfo (handle, &info) < 0)
    {
      vl_libvirt_set_last_error (error, _("The guest’s state could not be read:"), NULL);
      goto out;
    }
  if (info.state != VIR_DOMAIN_SHUTOFF && info.state != VIR_DOMAIN_PAUSED && info.state != VIR_DOMAIN_CRASHED)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” is running: shut it down or pause it before cloning, so its disks do not "
                     "change while they are copied."), virDomainGetName (handle));
      goto out;
    }
  existing = virDomainLookupByName (conn, data->new_name);
  if (existing != NULL)
    {
      virDomainFree (existing);
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("A guest named “%s” already exists."),
                   data->new_name);
      goto out;
    }
  virResetLastError ();

  raw_xml = virDomainGetXMLDesc (handle, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
  if (raw_xml == NULL)
    {
      vl_libvirt_set_last_error (error, _("The guest’s definition could not be read:"), NULL);
      goto out;
    }
  xml = g_strdup (raw_xml);
  free (raw_xml);
  disks = writable_disks (xml);
  data->n_disks = disks->len;

  for (guint i = 0; i < disks->len; i++)
    {
      Disk *d = g_ptr_array_index (disks, i);
      virStorageVolPtr vol = NULL;
      g_autofree char *disk_name = NULL;
      gboolean ok;

      data->index = i;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      if (d->path != NULL)
        vol = virStorageVolLookupByPath (conn, d->path);
      else
        {
          virStoragePoolPtr pool = virStoragePoolLookupByName (conn, d->pool);

          if (pool != NULL)
            {
              vol = virStorageVolLookupByName (pool, d->volume);
              virStoragePoolFree (pool);
            }
          if (vol == NULL)
            {
              g_autofree char *what = g_strdup_printf (_("The volume “%s” of disk “%s” could not be found:"),
                                                       d->volume, d->target);

              vl_libvirt_set_last_error (error, what, NULL);
              goto fail;
            }
        }
      virResetLastError ();
      disk_name = vl_guest_clone_disk_name (data->new_name, d->path != NULL ? d->path : d->volume,
                                            d->target, i == 0);
      if (vol != NULL)
        {
          ok = copy_volume (data, conn, d, vol, disk_name, cancellable, error);
          virStorageVolFree (vol);
        }
      else
        ok = copy_file (data, d, disk_name, cancellable, error);
      if (!ok)
        goto fail;
      g_hash_table_insert (new_sources, d->target, d->new_source);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto fail;
  new_xml = vl_guest_clone_xml (xml, data->new_name, new_sources, error);
  if (new_xml == NULL)
    goto fail;
  data->index = data->n_disks;
  report (data, 0, _("Defining the clone…"));  /* index is n_disks: all copied */
  made = virDomainDefineXML (conn, new_xml);
  if (made == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("The clone “%s” could not be defined:"), data->new_name);

      vl_libvirt_set_last_error (error, what, NULL);
      goto fail;
    }
  virDomainFree (made);
  result = g_strdup (data->new_name);
  goto out;

fail:
  undo (disks);
out:
  virDomainFree (handle);
  return result;
}

static void
clone_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  char *name = clone_guest (source, task_data, cancellable, &error);

  if (name != NULL)
    g_task_return_pointer (task, name, g_free);
  else
    g_task_return_error (task, error);
}

void
vl_guest_clone_async (GVirDomain *source, const char *new_name, GCancellable *cancellable,
                      VlCloneProgress progress, gpointer progress_data,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  CloneData *data = g_new0 (CloneData, 1);

  g_return_if_fail (GVIR_IS_DOMAIN (source));
  data->new_name = g_strdup (new_name);
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, vl_guest_clone_async);
  g_task_set_task_data (task, data, (GDestroyNotify) clone_data_free);
  g_task_run_in_thread (task, clone_thread);
}

char *
vl_guest_clone_finish (GVirDomain *source, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
