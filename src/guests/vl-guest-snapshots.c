/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A guest's snapshots through libvirt-gobject, off the main loop; what each driver offers. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vl-error.h"
#include "vl-libvirt-handle.h"
#include "vl-libvirt-xml.h"
#include "vl-gvir-autoptr.h"
#include "vl-guest-snapshots.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainSnapshot, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirDomainSnapshot, g_object_unref)

#define MAX_NAME_CHARS 100

void
vl_snapshot_free (VlSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_free (snapshot->name);
  g_free (snapshot->description);
  g_free (snapshot->parent);
  g_free (snapshot);
}

void
vl_snapshot_support_free (VlSnapshotSupport *support)
{
  if (support == NULL)
    return;
  g_free (support->reason);
  g_free (support);
}

void
vl_snapshots_state_free (VlSnapshotsState *state)
{
  if (state == NULL)
    return;
  g_clear_pointer (&state->snapshots, g_ptr_array_unref);
  vl_snapshot_support_free (state->support);
  g_free (state->driver);
  g_free (state);
}

/* ---- what a driver offers (pure) ------------------------------------------------------------ */

typedef struct {
  char     *raw_disk;     /* target of the first writable disk that is not qcow2 */
  guint     writable;     /* writable disks */
  gboolean  uefi;         /* pflash firmware: libvirt 9.0 refuses internal snapshots */
} DomainFacts;

/* The core reader's XPath answer, NULL when it is empty. */
static char *
xpath_text (xmlDoc *doc, const char *expr)
{
  char *value = vl_libvirt_xml_xpath_string (doc, expr);

  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  return value;
}

static double
xpath_count (xmlDoc *doc, const char *expr)
{
  g_autofree char *value = vl_libvirt_xml_xpath_string (doc, expr);

  return value != NULL ? g_ascii_strtod (value, NULL) : 0;
}

static gboolean
read_domain_facts (const char *xml, DomainFacts *facts)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *firmware = NULL;
  g_autofree char *loader = NULL;

  memset (facts, 0, sizeof *facts);
  doc = vl_libvirt_xml_parse (xml, "guest definition", VL_LIBVIRT_XML_NONE, NULL);
  if (vl_libvirt_xml_root (doc, "domain") == NULL)
    return FALSE;
  facts->writable = (guint) xpath_count (doc, "count(/domain/devices/disk[@device='disk' or not(@device)]"
                                               "[not(readonly)][not(shareable)])");
  facts->raw_disk = xpath_text (doc, "string((/domain/devices/disk[@device='disk' or not(@device)]"
                                       "[not(readonly)][not(shareable)][not(driver/@type='qcow2')])[1]/target/@dev)");
  firmware = xpath_text (doc, "string(/domain/os/@firmware)");
  loader = xpath_text (doc, "string(/domain/os/loader/@type)");
  facts->uefi = g_strcmp0 (firmware, "efi") == 0 || g_strcmp0 (loader, "pflash") == 0;
  return TRUE;
}

VlSnapshotSupport *
vl_snapshot_support_for (const char *driver, const char *domain_xml, gboolean running)
{
  VlSnapshotSupport *support = g_new0 (VlSnapshotSupport, 1);
  DomainFacts facts;

  if (g_strcmp0 (driver, "Xen") == 0)
    {
      /* libvirt's libxl driver implements none of the snapshot calls. */
      support->reason = g_strdup (_("libvirt’s Xen driver (libxl) keeps no snapshots. To keep a copy of "
                                    "this guest, shut it down and clone it."));
      return support;
    }
  if (g_strcmp0 (driver, "QEMU") != 0)
    {
      /* The test driver and others: offer everything; libvirt says what it refuses. */
      support->can_take = support->can_take_memory = support->can_revert = TRUE;
      support->can_take_without_memory_while_running = TRUE;
      return support;
    }

  if (!read_domain_facts (domain_xml, &facts))
    {
      support->reason = g_strdup (_("The guest’s definition could not be read."));
      return support;
    }
  if (facts.raw_disk != NULL)
    support->reason = g_strdup_printf (_("Disk “%s” is not a qcow2 image: snapshots need every writable "
                                         "disk in qcow2 format."), facts.raw_disk);
  else if (facts.writable == 0 && !running)
    support->reason = g_strdup (_("The guest has no writable disk to take a snapshot of."));
  else if (facts.uefi && running)
    {
      /* libvirt 9.0 refuses internal snapshots of a running guest with pflash firmware
       * (VIR_ERR_OPERATION_UNSUPPORTED); external ones it takes but cannot go back to. */
      support->reason = g_strdup (
        _("This guest runs with UEFI firmware: libvirt 9.0 takes no snapshot of it "
           "while it runs. Shut it down to take one of its disks."));
    }
  else if (facts.uefi)
    {
      /* Shut off, libvirt 9.0 takes, reverts and deletes internal snapshots of every qcow2 disk. */
      support->can_take = TRUE;
      support->can_revert = TRUE;
      support->reason = g_strdup (
        _("This guest starts with UEFI firmware: its snapshots keep its disks only, "
           "not its UEFI settings (NVRAM), and are taken while it is shut down."));
    }
  else
    {
      support->can_take = TRUE;
      support->can_revert = TRUE;
      support->can_take_memory = running;
      /* Internal snapshots of a running QEMU guest always hold its memory; a disk-only one would be
       * external, which libvirt 9.0 cannot revert. */
      if (running)
        support->reason = g_strdup (_("While the guest runs, its snapshots keep its running state too; "
                                      "shut it down for a snapshot of the disks alone."));
    }
  g_free (facts.raw_disk);
  return support;
}

gboolean
vl_snapshot_check_name (const char *name, GPtrArray *existing, GError **error)
{
  {
    g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));

    if (*stripped == '\0')
      {
        g_set_error_literal (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("The snapshot needs a name."));
        return FALSE;
      }
  }
  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                           _("The snapshot’s name is not valid text."));
      return FALSE;
    }
  if (g_utf8_strlen (name, -1) > MAX_NAME_CHARS)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The snapshot’s name is longer than %d characters."), MAX_NAME_CHARS);
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '/' || g_unichar_iscntrl (c))
        {
          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("The snapshot’s name “%s” may not contain “/” or control characters."), name);
          return FALSE;
        }
    }
  for (guint i = 0; existing != NULL && i < existing->len; i++)
    {
      const VlSnapshot *s = g_ptr_array_index (existing, i);

      if (g_strcmp0 (s->name, name) == 0)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("This guest already has a snapshot named “%s”."), name);
          return FALSE;
        }
    }
  return TRUE;
}

char *
vl_snapshot_suggest_name (GPtrArray *existing)
{
  for (guint n = (existing != NULL ? existing->len : 0) + 1;; n++)
    {
      g_autofree char *name = g_strdup_printf ("snapshot-%u", n);

      if (vl_snapshot_check_name (name, existing, NULL))
        return g_steal_pointer (&name);
    }
}

/* ---- libvirt, in worker threads ------------------------------------------------------------- */

static const struct {
  const char *name;
  int         state;
} snapshot_states[] = {
  { "running", GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_RUNNING },
  { "blocked", GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_BLOCKED },
  { "paused", GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_PAUSED },
  { "shutdown", GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_SHUTDOWN },
  { "shutoff", GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_SHUTOFF },
  { "crashed", GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_CRASHED },
  { "pmsuspended", GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_PMSUSPENDED },
  { "disk-snapshot", GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_DISK_SNAPSHOT },
};

/* Read from the snapshot's XML itself: libvirt-gconfig 4.0's getters of the state and memory enums
 * do not know libvirt's "no" for a snapshot without memory (a critical, and a wrong value). */
VlSnapshot *
vl_snapshot_new_from_xml (const char *xml)
{
  g_autoptr(xmlDoc) doc = vl_libvirt_xml_parse (xml, "snapshot", VL_LIBVIRT_XML_NONE, NULL);
  g_autofree char *created = NULL;
  g_autofree char *state = NULL;
  g_autofree char *memory = NULL;
  VlSnapshot *s;

  if (vl_libvirt_xml_root (doc, "domainsnapshot") == NULL)
    return NULL;
  s = g_new0 (VlSnapshot, 1);
  s->name = xpath_text (doc, "string(/domainsnapshot/name)");
  s->description = xpath_text (doc, "string(/domainsnapshot/description)");
  s->parent = xpath_text (doc, "string(/domainsnapshot/parent/name)");
  created = xpath_text (doc, "string(/domainsnapshot/creationTime)");
  s->created = created != NULL ? g_ascii_strtoll (created, NULL, 10) : 0;
  state = xpath_text (doc, "string(/domainsnapshot/state)");
  s->state = GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_NOSTATE;
  for (guint i = 0; state != NULL && i < G_N_ELEMENTS (snapshot_states); i++)
    if (g_str_equal (state, snapshot_states[i].name))
      s->state = snapshot_states[i].state;
  memory = xpath_text (doc, "string(/domainsnapshot/memory/@snapshot)");
  s->has_memory = (memory != NULL ? g_strcmp0 (memory, "no") != 0
                                  : s->state != GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_SHUTOFF)
                  && s->state != GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_DISK_SNAPSHOT;
  s->external = g_strcmp0 (memory, "external") == 0
                || s->state == GVIR_CONFIG_DOMAIN_SNAPSHOT_DOMAIN_STATE_DISK_SNAPSHOT
                || xpath_count (doc, "count(/domainsnapshot/disks/disk[@snapshot='external'])") > 0;
  if (s->name == NULL)
    g_clear_pointer (&s, vl_snapshot_free);
  return s;
}

static VlSnapshot *
snapshot_from (GVirDomainSnapshot *snap)
{
  g_autoptr(GVirConfigDomainSnapshot) config = gvir_domain_snapshot_get_config (snap, 0, NULL);
  g_autofree char *xml = NULL;
  VlSnapshot *s;
  gboolean current = FALSE;

  if (config == NULL)
    return NULL;
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
  s = vl_snapshot_new_from_xml (xml);
  if (s != NULL && gvir_domain_snapshot_get_is_current (snap, 0, &current, NULL))
    s->is_current = current;
  return s;
}

static int
by_creation (gconstpointer a, gconstpointer b)
{
  const VlSnapshot *x = *(VlSnapshot * const *) a;
  const VlSnapshot *y = *(VlSnapshot * const *) b;

  if (x->created != y->created)
    return x->created < y->created ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

static GPtrArray *
list_snapshots (GVirDomain *domain, GCancellable *cancellable, GError **error)
{
  g_autoptr(GError) gerror = NULL;
  GPtrArray *list;
  GList *snaps;

  if (!gvir_domain_fetch_snapshots (domain, GVIR_DOMAIN_SNAPSHOT_LIST_ALL, cancellable, &gerror))
    {
      vl_libvirt_set_last_error (error, _("The guest’s snapshots could not be read:"), gerror);
      return NULL;
    }
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) vl_snapshot_free);
  snaps = gvir_domain_get_snapshots (domain);
  for (GList *l = snaps; l != NULL; l = l->next)
    {
      VlSnapshot *s = snapshot_from (l->data);

      if (s != NULL)
        g_ptr_array_add (list, s);
    }
  g_list_free_full (snaps, g_object_unref);
  g_ptr_array_sort (list, by_creation);
  return list;
}

static VlSnapshotsState *
read_state (GVirDomain *domain, GCancellable *cancellable, GError **error)
{
  g_autoptr(VlSnapshotsState) state = g_new0 (VlSnapshotsState, 1);
  virDomainPtr handle = NULL;
  virDomainInfo info;
  char *xml;

  g_object_get (domain, "handle", &handle, NULL);
  if (handle == NULL)
    {
      g_set_error_literal (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("The guest is gone."));
      return NULL;
    }
  state->driver = g_strdup (virConnectGetType (virDomainGetConnect (handle)));
  state->running = virDomainGetInfo (handle, &info) == 0 && info.state != VIR_DOMAIN_SHUTOFF
                   && info.state != VIR_DOMAIN_CRASHED;
  xml = virDomainGetXMLDesc (handle, VIR_DOMAIN_XML_INACTIVE);
  state->support = vl_snapshot_support_for (state->driver, xml, state->running);
  free (xml);
  virDomainFree (handle);
  if (!state->support->can_take && g_strcmp0 (state->driver, "Xen") == 0)
    state->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) vl_snapshot_free);
  else
    state->snapshots = list_snapshots (domain, cancellable, error);
  if (state->snapshots == NULL)
    return NULL;
  return g_steal_pointer (&state);
}

static GVirDomainSnapshot *
find_snapshot (GVirDomain *domain, const char *name, GCancellable *cancellable, GError **error)
{
  g_autoptr(GError) gerror = NULL;
  GVirDomainSnapshot *found = NULL;
  GList *snaps;

  if (!gvir_domain_fetch_snapshots (domain, GVIR_DOMAIN_SNAPSHOT_LIST_ALL, cancellable, &gerror))
    {
      vl_libvirt_set_last_error (error, _("The guest’s snapshots could not be read:"), gerror);
      return NULL;
    }
  snaps = gvir_domain_get_snapshots (domain);
  for (GList *l = snaps; l != NULL && found == NULL; l = l->next)
    if (g_strcmp0 (gvir_domain_snapshot_get_name (l->data), name) == 0)
      found = g_object_ref (l->data);
  g_list_free_full (snaps, g_object_unref);
  if (found == NULL)
    g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("The snapshot “%s” no longer exists."), name);
  return found;
}

typedef enum { OP_LIST, OP_TAKE, OP_REVERT, OP_DELETE } Op;

typedef struct {
  Op        op;
  char     *name;
  char     *description;
  gboolean  with_memory;
} OpData;

static void
op_data_free (OpData *data)
{
  g_free (data->name);
  g_free (data->description);
  g_free (data);
}

static gboolean
take (GVirDomain *domain, const OpData *data, GError **error)
{
  g_autoptr(GVirConfigDomainSnapshot) config = gvir_config_domain_snapshot_new ();
  g_autofree char *what = g_strdup_printf (_("The snapshot “%s” could not be taken:"), data->name);
  g_autofree char *xml = NULL;
  virDomainPtr handle = NULL;
  virDomainSnapshotPtr snap;
  virDomainInfo info;
  unsigned int flags = VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC;

  gvir_config_domain_snapshot_set_name (config, data->name);
  if (data->description != NULL && *data->description != '\0')
    gvir_config_domain_snapshot_set_description (config, data->description);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

  /* libvirt itself, not libvirt-gobject's wrapper, so that libvirt's reason and code reach the user. */
  g_object_get (domain, "handle", &handle, NULL);
  if (handle == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, "%s %s", what, _("The guest is gone."));
      return FALSE;
    }
  /* A running guest's snapshot without its memory is a disk-only (external) one. */
  if (!data->with_memory && virDomainGetInfo (handle, &info) == 0 && info.state != VIR_DOMAIN_SHUTOFF)
    flags |= VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY;
  snap = virDomainSnapshotCreateXML (handle, xml, flags);
  if (snap == NULL)
    vl_libvirt_set_last_error (error, what, NULL);
  else
    virDomainSnapshotFree (snap);
  virDomainFree (handle);
  return snap != NULL;
}

static gboolean
revert (GVirDomain *domain, const OpData *data, GCancellable *cancellable, GError **error)
{
  g_autoptr(GVirDomainSnapshot) snap = find_snapshot (domain, data->name, cancellable, error);
  g_autoptr(GError) gerror = NULL;
  g_autofree char *what = g_strdup_printf (_("The guest could not go back to the snapshot “%s”:"), data->name);

  if (snap == NULL)
    return FALSE;
  /* FORCE: going back from a running guest to a snapshot of it shut off (or the other way) is what the
   * user asked for after confirming; libvirt otherwise refuses some of these combinations. */
  if (!gvir_domain_snapshot_revert_to (snap, VIR_DOMAIN_SNAPSHOT_REVERT_FORCE, &gerror))
    {
      vl_libvirt_set_last_error (error, what, gerror);
      return FALSE;
    }
  return TRUE;
}

static gboolean
delete_snapshot (GVirDomain *domain, const OpData *data, GCancellable *cancellable, GError **error)
{
  g_autoptr(GVirDomainSnapshot) snap = find_snapshot (domain, data->name, cancellable, error);
  g_autoptr(GError) gerror = NULL;
  g_autofree char *what = g_strdup_printf (_("The snapshot “%s” could not be deleted:"), data->name);

  if (snap == NULL)
    return FALSE;
  if (!gvir_domain_snapshot_delete (snap, 0, &gerror))
    {
      vl_libvirt_set_last_error (error, what, gerror);
      return FALSE;
    }
  return TRUE;
}

static void
op_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GVirDomain *domain = source;
  const OpData *data = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (data->op)
    {
    case OP_LIST:
      {
        VlSnapshotsState *state = read_state (domain, cancellable, &error);

        if (state != NULL)
          g_task_return_pointer (task, state, (GDestroyNotify) vl_snapshots_state_free);
        else
          g_task_return_error (task, error);
        return;
      }
    case OP_TAKE:
      ok = take (domain, data, &error);
      break;
    case OP_REVERT:
      ok = revert (domain, data, cancellable, &error);
      break;
    case OP_DELETE:
      ok = delete_snapshot (domain, data, cancellable, &error);
      break;
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Every operation: a copy of its inputs for the worker thread, the task tagged by OP. */
static void
run (GVirDomain *domain, Op op, const char *name, const char *description, gboolean with_memory,
     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (domain, cancellable, callback, user_data);
  OpData *data = g_new0 (OpData, 1);

  data->op = op;
  data->name = g_strdup (name);
  data->description = g_strdup (description);
  data->with_memory = with_memory;
  g_task_set_source_tag (task, GINT_TO_POINTER (op + 1));
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);
  g_task_run_in_thread (task, op_thread);
}

void
vl_guest_snapshots_list_async (GVirDomain *domain, GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data)
{
  g_return_if_fail (GVIR_IS_DOMAIN (domain));
  run (domain, OP_LIST, NULL, NULL, FALSE, cancellable, callback, user_data);
}

VlSnapshotsState *
vl_guest_snapshots_list_finish (GVirDomain *domain, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, domain), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
vl_guest_snapshot_take_async (GVirDomain *domain, const char *name, const char *description,
                              gboolean with_memory, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (GVIR_IS_DOMAIN (domain));
  run (domain, OP_TAKE, name, description, with_memory, cancellable, callback, user_data);
}

void
vl_guest_snapshot_revert_async (GVirDomain *domain, const char *name, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (GVIR_IS_DOMAIN (domain));
  run (domain, OP_REVERT, name, NULL, FALSE, cancellable, callback, user_data);
}

void
vl_guest_snapshot_delete_async (GVirDomain *domain, const char *name, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (GVIR_IS_DOMAIN (domain));
  run (domain, OP_DELETE, name, NULL, FALSE, cancellable, callback, user_data);
}

gboolean
vl_guest_snapshot_op_finish (GVirDomain *domain, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, domain), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
