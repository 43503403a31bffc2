/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Moving a guest to another host off the main loop: check, pre-create the copied disks, migrate
 * (libvirt's virDomainMigrate3, the client connected to both hosts, as virt-manager does); undo. */
#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vl-main-context.h"
#include "vl-error.h"
#include "vl-gvir-autoptr.h"
#include "vl-libvirt-handle.h"
#include "vl-libvirt-xml.h"
#include "vl-guest-migrate-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlBuffer, xmlBufferFree)

/* ---- what the definition needs (pure) ------------------------------------------------------ */

static void
disk_free (VlMigrateDisk *d)
{
  g_free (d->target);
  g_free (d->path);
  g_free (d->pool);
  g_free (d->volume);
  g_free (d->format);
  g_free (d);
}

void
vl_migrate_needs_free (VlMigrateNeeds *needs)
{
  if (needs == NULL)
    return;
  g_ptr_array_unref (needs->disks);
  g_ptr_array_unref (needs->networks);
  g_free (needs->cpu_mode);
  g_free (needs->cpu_model);
  g_free (needs->cpu_xml);
  g_free (needs->virt_type);
  g_free (needs->arch);
  g_free (needs->machine);
  g_free (needs);
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

static gboolean
has_string (GPtrArray *array, const char *s)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), s))
      return TRUE;
  return FALSE;
}

VlMigrateNeeds *
vl_migrate_needs_read (const char *domain_xml, GError **error)
{
  g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (domain_xml, "guest definition", VL_LIBVIRT_XML_NONE, NULL);
  xmlNode *root = vl_libvirt_xml_root (doc, "domain");
  xmlNode *devices, *cpu, *os;
  VlMigrateNeeds *needs;

  if (root == NULL)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_PARSE, _("The guest’s definition could not be read."));
      return NULL;
    }
  needs = g_new0 (VlMigrateNeeds, 1);
  needs->disks = g_ptr_array_new_with_free_func ((GDestroyNotify) disk_free);
  needs->networks = g_ptr_array_new_with_free_func (g_free);
  needs->virt_type = vl_libvirt_xml_prop (root, "type");
  os = vl_libvirt_xml_child (root, "os");
  needs->arch = child_prop (os, "type", "arch");
  needs->machine = child_prop (os, "type", "machine");
  cpu = vl_libvirt_xml_child (root, "cpu");
  if (cpu != NULL)
    {
      g_autoptr(xmlBuffer) buf = xmlBufferCreate ();

      needs->cpu_mode = vl_libvirt_xml_prop (cpu, "mode");
      if (needs->cpu_mode == NULL)
        needs->cpu_mode = g_strdup ("custom");
      needs->cpu_model = vl_libvirt_xml_child_text (cpu, "model");
      if (needs->cpu_model != NULL && *needs->cpu_model == '\0')
        g_clear_pointer (&needs->cpu_model, g_free);
      if (xmlNodeDump (buf, doc, cpu, 0, 0) > 0)
        needs->cpu_xml = g_strdup ((const char *) xmlBufferContent (buf));
    }

  devices = vl_libvirt_xml_child (root, "devices");
  for (xmlNode *node = devices != NULL ? devices->children : NULL; node != NULL; node = node->next)
    {
      if (vl_libvirt_xml_is (node, "interface"))
        {
          g_autofree char *type = vl_libvirt_xml_prop (node, "type");
          g_autofree char *network = child_prop (node, "source", "network");

          if (g_strcmp0 (type, "network") == 0 && network != NULL && !has_string (needs->networks, network))
            g_ptr_array_add (needs->networks, g_steal_pointer (&network));
        }
      else if (vl_libvirt_xml_is (node, "disk"))
        {
          g_autofree char *device = vl_libvirt_xml_prop (node, "device");
          VlMigrateDisk *d;

          /* CD-ROMs and read-only or shared disks are not copied: they must be there already. */
          if ((device != NULL && !g_str_equal (device, "disk")) ||
              vl_libvirt_xml_child (node, "readonly") != NULL ||
              vl_libvirt_xml_child (node, "shareable") != NULL)
            continue;
          d = g_new0 (VlMigrateDisk, 1);
          d->target = child_prop (node, "target", "dev");
          d->path = child_prop (node, "source", "file");
          d->pool = child_prop (node, "source", "pool");
          d->volume = child_prop (node, "source", "volume");
          d->format = child_prop (node, "driver", "type");
          if (d->format == NULL)
            d->format = g_strdup ("raw");
          if (d->target != NULL && (d->path != NULL || (d->pool != NULL && d->volume != NULL)))
            g_ptr_array_add (needs->disks, d);
          else
            disk_free (d); /* a block device or network disk: the hosts share it or libvirt says no */
        }
    }
  return needs;
}

unsigned int
vl_migrate_flags (VlMigrateMode mode, gboolean copy_storage)
{
  /* Defined on the destination, undefined on the source only by libvirt's success. */
  unsigned int flags = VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE;

  if (mode == VL_MIGRATE_OFFLINE)
    return flags | VIR_MIGRATE_OFFLINE; /* the disks are copied by us, before */
  flags |= VIR_MIGRATE_LIVE;
  if (copy_storage)
    flags |= VIR_MIGRATE_NON_SHARED_DISK;
  return flags;
}

void
vl_migrate_plan_free (VlMigratePlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->copied);
  g_free (plan);
}

/* ---- in the worker thread ------------------------------------------------------------------ */


static void
move_data_free (MoveData *data)
{
  g_object_unref (data->destination);
  g_free (data->dest_name);
  if (data->context != NULL)
    g_main_context_unref (data->context);
  if (data->domain != NULL)
    virDomainFree (data->domain);
  if (data->dconn != NULL)
    virConnectClose (data->dconn);
  vl_migrate_needs_free (data->needs);
  if (data->copies != NULL)
    g_ptr_array_unref (data->copies);
  g_free (data);
}

static void
report (MoveData *data, double fraction, const char *text)
{
  vl_main_context_post_progress (data->context, data->progress, CLAMP (fraction, 0, 1), text,
                                 data->progress_data);
}

static gboolean
precreate (MoveData *data, GError **error)
{
  for (guint i = 0; i < data->copies->len; i++)
    {
      Copy *c = g_ptr_array_index (data->copies, i);
      g_autoptr(GVirConfigStorageVol) config = gvir_config_storage_vol_new ();
      g_autoptr(GVirConfigStorageVolTarget) target = gvir_config_storage_vol_target_new ();
      g_autofree char *xml = NULL;

      gvir_config_storage_vol_set_name (config, c->name);
      gvir_config_storage_vol_set_capacity (config, c->capacity);
      gvir_config_storage_vol_target_set_format (target, c->disk->format);
      gvir_config_storage_vol_set_target (config, target);
      xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
      c->made = virStorageVolCreateXML (c->pool, xml, 0);
      if (c->made == NULL)
        {
          g_autofree char *what = g_strdup_printf (_("The copy of disk “%s” could not be made on “%s”:"),
                                                   c->disk->target, data->dest_name);

          vl_libvirt_set_last_error (error, what, NULL);
          return FALSE;
        }
      c->made_path = virStorageVolGetPath (c->made);
    }
  return TRUE;
}

/* An offline move's disks, byte for byte from the source's volume to the destination's (libvirt's
 * streams: this also works between two remote hosts). */
static gboolean
upload (MoveData *data, GCancellable *cancellable, GError **error)
{
  guint64 total = 0, done = 0;
  gsize size = 1024 * 1024;
  g_autofree char *buf = g_malloc (size);

  for (guint i = 0; i < data->copies->len; i++)
    total += ((Copy *) g_ptr_array_index (data->copies, i))->allocation;
  for (guint i = 0; i < data->copies->len; i++)
    {
      Copy *c = g_ptr_array_index (data->copies, i);
      virStreamPtr in = virStreamNew (data->sconn, 0);
      virStreamPtr out = virStreamNew (data->dconn, 0);
      g_autofree char *doing = g_strdup_printf (_("Copying disk “%s” to “%s”…"), c->disk->target,
                                                data->dest_name);
      gboolean ok = FALSE;
      gint64 last = 0;
      int n;

      if (in == NULL || out == NULL || virStorageVolDownload (c->source, in, 0, 0, 0) < 0)
        {
          g_autofree char *what = g_strdup_printf (_("Disk “%s” could not be read:"), c->disk->target);

          vl_libvirt_set_last_error (error, what, NULL);
          goto next;
        }
      if (virStorageVolUpload (c->made, out, 0, 0, 0) < 0)
        {
          g_autofree char *what = g_strdup_printf (_("Disk “%s” could not be written on “%s”:"),
                                                   c->disk->target, data->dest_name);

          vl_libvirt_set_last_error (error, what, NULL);
          virStreamAbort (in);
          goto next;
        }
      report (data, total > 0 ? (double) done / total : 0, doing);
      while ((n = virStreamRecv (in, buf, size)) > 0)
        {
          for (int sent = 0; sent < n;)
            {
              int m = virStreamSend (out, buf + sent, n - sent);

              if (m < 0)
                {
                  g_autofree char *what = g_strdup_printf (_("Disk “%s” could not be written on “%s”:"),
                                                           c->disk->target, data->dest_name);

                  vl_libvirt_set_last_error (error, what, NULL);
                  virStreamAbort (in);
                  virStreamAbort (out);
                  goto next;
                }
              sent += m;
            }
          done += n;
          if (g_get_monotonic_time () - last > G_USEC_PER_SEC / 5)
            {
              last = g_get_monotonic_time ();
              report (data, total > 0 ? (double) done / total : 0, doing);
            }
          if (g_cancellable_is_cancelled (cancellable))
            {
              virStreamAbort (in);
              virStreamAbort (out);
              g_cancellable_set_error_if_cancelled (cancellable, error);
              goto next;
            }
        }
      if (n < 0 || virStreamFinish (in) < 0)
        {
          g_autofree char *what = g_strdup_printf (_("Disk “%s” could not be read:"), c->disk->target);

          vl_libvirt_set_last_error (error, what, NULL);
          virStreamAbort (out);
          goto next;
        }
      if (virStreamFinish (out) < 0)
        {
          g_autofree char *what = g_strdup_printf (_("Disk “%s” could not be written on “%s”:"),
                                                   c->disk->target, data->dest_name);

          vl_libvirt_set_last_error (error, what, NULL);
          goto next;
        }
      ok = TRUE;
    next:
      if (in != NULL)
        virStreamFree (in);
      if (out != NULL)
        virStreamFree (out);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* While libvirt's migration call runs in the worker, a watcher of its own reads the job's progress
 * and, when the user cancels, asks libvirt to abort the job (the call then fails). */
typedef struct
{
  MoveData *data;
  GCancellable *cancellable;
  gboolean done;
  gboolean aborted;
} Watch;

static gpointer
watch_thread (gpointer user_data)
{
  Watch *watch = user_data;
  MoveData *data = watch->data;

  while (!g_atomic_int_get (&watch->done))
    {
      virDomainJobInfo job;

      g_usleep (200 * 1000);
      if (g_atomic_int_get (&watch->done))
        break;
      if (!watch->aborted && g_cancellable_is_cancelled (watch->cancellable))
        {
          /* libvirt ends QEMU's migration; the source guest goes on running. */
          watch->aborted = TRUE;
          virDomainAbortJob (data->domain);
        }
      if (data->mode == VL_MIGRATE_LIVE && virDomainGetJobInfo (data->domain, &job) == 0 && job.dataTotal > 0)
        {
          g_autofree char *moved = g_format_size_full (job.dataProcessed, G_FORMAT_SIZE_IEC_UNITS);
          g_autofree char *of = g_format_size_full (job.dataTotal, G_FORMAT_SIZE_IEC_UNITS);
          /* Translators: what a live move sent: "12.0 MiB of 192.0 MiB". */
          g_autofree char *text = g_strdup_printf (_("Moving the guest to “%s”: %s of %s sent…"),
                                                   data->dest_name, moved, of);

          report (data, (double) job.dataProcessed / job.dataTotal, text);
        }
      virResetLastError ();
    }
  return NULL;
}

static gboolean
migrate (MoveData *data, GCancellable *cancellable, GError **error)
{
  g_auto(VlTypedParams) params = VL_TYPED_PARAMS_INIT;
  g_autofree char *doing = g_strdup_printf (_("Moving the guest to “%s”…"), data->dest_name);
  Watch watch = { data, cancellable, FALSE, FALSE };
  virDomainPtr moved;
  GThread *thread;

  if (data->mode == VL_MIGRATE_LIVE && data->copies->len > 0)
    for (guint i = 0; i < data->copies->len; i++) /* only the disks that are not shared */
      virTypedParamsAddString (&params.params, &params.n, &params.max, VIR_MIGRATE_PARAM_MIGRATE_DISKS,
                               ((Copy *) g_ptr_array_index (data->copies, i))->disk->target);
  report (data, data->mode == VL_MIGRATE_OFFLINE ? 1 : 0, doing);
  thread = g_thread_new ("vl-migrate-watch", watch_thread, &watch);
  moved = virDomainMigrate3 (data->domain, data->dconn, params.params, params.n,
                             vl_migrate_flags (data->mode, data->copies->len > 0));
  if (moved == NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The move was cancelled."));
      else
        {
          g_autofree char *what = g_strdup_printf (_("libvirt could not move the guest to “%s”:"),
                                                   data->dest_name);
          g_autofree char *said = g_strdup (vl_libvirt_last_error_message ());
          GError *local = NULL;

          vl_libvirt_set_last_error (&local, what, NULL);
          if (virConnectIsAlive (data->dconn) != 1)
            {
              /* Its daemon stopped or the network went: the guest stays here (libvirt ends the move). */
              g_set_error (error, local->domain, local->code,
                           _("The connection to “%s” was lost during the move (%s). The guest stays on this "
                              "host."),
                           data->dest_name, said);
              g_error_free (local);
            }
          else
            g_propagate_error (error, local);
        }
    }
  g_atomic_int_set (&watch.done, TRUE);
  g_thread_join (thread);
  if (moved == NULL)
    return FALSE;
  virDomainFree (moved);
  return TRUE;
}

/* After a failure: the source keeps the guest, so what is on the destination is ours to remove (the
 * name and UUID were free there before). Returns what could not be removed, or NULL. */
static char *
undo (MoveData *data)
{
  g_autoptr(virDomain) still = virDomainLookupByUUIDString (data->sconn, data->uuid);
  g_autoptr(virDomain) there = NULL;
  GString *left = g_string_new (NULL);
  virDomainInfo info;

  if (still == NULL)
    {
      /* The source let it go: libvirt may have finished the move after all. Nothing is removed. */
      virResetLastError ();
      return g_string_free (left, TRUE);
    }
  /* A live move that failed may leave the source guest paused: it runs on as it did. */
  if (virDomainGetInfo (still, &info) == 0 && info.state == VIR_DOMAIN_PAUSED &&
      data->state != VIR_DOMAIN_PAUSED)
    virDomainResume (still);
  there = virDomainLookupByUUIDString (data->dconn, data->uuid);
  if (there != NULL)
    {
      if (virDomainIsActive (there) == 1)
        virDomainDestroy (there);
      if (virDomainIsPersistent (there) == 1)
        virDomainUndefineFlags (there, VIR_DOMAIN_UNDEFINE_NVRAM);
    }
  for (guint i = 0; i < data->copies->len; i++)
    {
      Copy *c = g_ptr_array_index (data->copies, i);

      if (c->made == NULL)
        continue;
      if (virStorageVolDelete (c->made, 0) < 0)
        g_string_append_printf (left, "%s%s", left->len > 0 ? ", " : "",
                                c->made_path != NULL ? c->made_path : c->name);
      virStorageVolFree (c->made);
      c->made = NULL;
    }
  virResetLastError ();
  return g_string_free (left, left->len == 0);
}

static gboolean
move_guest (GVirDomain *source, MoveData *data, GCancellable *cancellable, GError **error)
{
  g_autoptr(VlMigratePlan) plan = vl_migrate_check_move (data, source, error);
  g_autofree char *left = NULL;
  GError *local = NULL;

  if (plan == NULL)
    return FALSE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  report (data, 0, _("Preparing the disks on the destination…"));
  if (precreate (data, &local) && (data->mode == VL_MIGRATE_LIVE || upload (data, cancellable, &local)) &&
      !g_cancellable_set_error_if_cancelled (cancellable, &local) && migrate (data, cancellable, &local))
    return TRUE;

  left = undo (data);
  if (left != NULL)
    {
      /* The destination could not be reached to clean up (its daemon stopped, the network went). */
      g_autofree char *also = g_strdup_printf (_("The copies %s could not be removed on “%s”: remove them "
                                                  "there."),
                                               left, data->dest_name);

      g_set_error (error, local->domain, local->code, "%s\n%s", local->message, also);
      g_error_free (local);
      return FALSE;
    }
  g_propagate_error (error, local);
  return FALSE;
}

static MoveData *
move_data_new (GVirConnection *destination, const char *destination_name, VlMigrateMode mode)
{
  MoveData *data = g_new0 (MoveData, 1);

  data->destination = g_object_ref (destination);
  data->dest_name = g_strdup (destination_name != NULL ? destination_name
                                                       : gvir_connection_get_uri (destination));
  data->mode = mode;
  return data;
}

static void
check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  VlMigratePlan *plan = vl_migrate_check_move (task_data, source, &error);

  if (plan != NULL)
    g_task_return_pointer (task, plan, (GDestroyNotify) vl_migrate_plan_free);
  else
    g_task_return_error (task, error);
}

void
vl_guest_migrate_check_async (GVirDomain *source, GVirConnection *destination, const char *destination_name,
                              VlMigrateMode mode, GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);

  g_return_if_fail (GVIR_IS_DOMAIN (source));
  g_return_if_fail (GVIR_IS_CONNECTION (destination));
  g_task_set_source_tag (task, vl_guest_migrate_check_async);
  g_task_set_task_data (task, move_data_new (destination, destination_name, mode),
                        (GDestroyNotify) move_data_free);
  g_task_run_in_thread (task, check_thread);
}

VlMigratePlan *
vl_guest_migrate_check_finish (GVirDomain *source, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
move_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (move_guest (source, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
vl_guest_migrate_async (GVirDomain *source, GVirConnection *destination, const char *destination_name,
                        VlMigrateMode mode, GCancellable *cancellable, VlMigrateProgress progress,
                        gpointer progress_data, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  MoveData *data;

  g_return_if_fail (GVIR_IS_DOMAIN (source));
  g_return_if_fail (GVIR_IS_CONNECTION (destination));
  data = move_data_new (destination, destination_name, mode);
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, vl_guest_migrate_async);
  g_task_set_task_data (task, data, (GDestroyNotify) move_data_free);
  /* The move reports its own cancellation once libvirt's job has ended and the copies are gone. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, move_thread);
}

gboolean
vl_guest_migrate_finish (GVirDomain *source, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
