/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the guest list shows about each guest, read off the main loop in one pass per connection. */
#include "config.h"

#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <osinfo/osinfo.h>

#include "vl-guest-info.h"
#include "vl-error.h"
#include "vl-libvirt-handle.h"
#include "vl-libvirt-xml.h"

#define LIBOSINFO_NS "http://libosinfo.org/xmlns/libvirt/domain/1.0"

G_DEFINE_BOXED_TYPE (VlGuestInfo, vl_guest_info, vl_guest_info_copy, vl_guest_info_free)

VlGuestInfo *
vl_guest_info_copy (const VlGuestInfo *info)
{
  VlGuestInfo *copy = g_memdup2 (info, sizeof *info);

  copy->uuid = g_strdup (info->uuid);
  copy->name = g_strdup (info->name);
  copy->os_type = g_strdup (info->os_type);
  copy->os_id = g_strdup (info->os_id);
  copy->os_name = g_strdup (info->os_name);
  return copy;
}

void
vl_guest_info_free (VlGuestInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->uuid);
  g_free (info->name);
  g_free (info->os_type);
  g_free (info->os_id);
  g_free (info->os_name);
  g_free (info);
}

const char *
vl_guest_state_to_string (int state)
{
  switch (state)
    {
    case VIR_DOMAIN_RUNNING: return _("Running");
    case VIR_DOMAIN_BLOCKED: return _("Idle");
    case VIR_DOMAIN_PAUSED: return _("Paused");
    case VIR_DOMAIN_SHUTDOWN: return _("Shutting down");
    case VIR_DOMAIN_SHUTOFF: return _("Shut off");
    case VIR_DOMAIN_CRASHED: return _("Crashed");
    case VIR_DOMAIN_PMSUSPENDED: return _("Suspended");
    default: return _("Unknown");
    }
}

const char *
vl_guest_os_type_to_string (const char *os_type)
{
  if (g_strcmp0 (os_type, "xen") == 0 || g_strcmp0 (os_type, "linux") == 0)
    return _("Xen paravirtualized");
  if (g_strcmp0 (os_type, "hvm") == 0)
    return _("Fully virtualized");
  if (g_strcmp0 (os_type, "exe") == 0)
    return _("Container");
  return os_type != NULL ? os_type : "";
}

/* The libosinfo id as virt-install and GNOME Boxes record it:
 * <metadata><libosinfo:libosinfo><libosinfo:os id="http://…"/></libosinfo:libosinfo></metadata>,
 * and the os type from <os><type>. Both come from the one XML read per guest. */
gboolean
vl_guest_info_parse_xml (const char *domain_xml, char **os_type, char **os_id)
{
  g_autoptr(xmlDoc) doc = NULL;
  xmlNode *root;
  xmlNode *libosinfo;

  *os_type = NULL;
  *os_id = NULL;
  if (domain_xml == NULL)
    return FALSE;
  doc = vl_libvirt_xml_parse (domain_xml, _("guest’s configuration"), VL_LIBVIRT_XML_NONE, NULL);
  root = vl_libvirt_xml_root (doc, "domain");
  if (root == NULL)
    return FALSE;

  *os_type = vl_libvirt_xml_child_text (vl_libvirt_xml_child (root, "os"), "type");
  libosinfo = vl_libvirt_xml_child_ns (vl_libvirt_xml_child (root, "metadata"), LIBOSINFO_NS, "libosinfo");
  *os_id = vl_libvirt_xml_prop (vl_libvirt_xml_child (libosinfo, "os"), "id");
  return TRUE;
}

/* Loading osinfo-db reads thousands of files: do it once, and only when a guest names its OS. */
static gpointer
load_osinfo_db (gpointer data)
{
  g_autoptr(OsinfoLoader) loader = osinfo_loader_new ();
  g_autoptr(GError) error = NULL;

  osinfo_loader_process_default_path (loader, &error);
  if (error != NULL)
    g_debug ("osinfo-db could not be read fully: %s", error->message);
  return g_object_ref (osinfo_loader_get_db (loader));
}

const char *
vl_guest_os_name_for_id (const char *os_id)
{
  static GOnce once = G_ONCE_INIT;
  OsinfoDb *db;
  OsinfoOs *os;

  if (os_id == NULL)
    return NULL;
  db = g_once (&once, load_osinfo_db, NULL);
  os = osinfo_db_get_os (db, os_id);
  return os != NULL ? osinfo_product_get_name (OSINFO_PRODUCT (os)) : NULL;
}

double
vl_guest_cpu_usage (guint64 previous_ns, guint64 now_ns, gint64 elapsed_us, guint vcpus)
{
  double used;

  if (elapsed_us <= 0 || now_ns < previous_ns || vcpus == 0)
    return 0.0;
  used = (double) (now_ns - previous_ns) / ((double) elapsed_us * 1000.0 * vcpus);
  return CLAMP (used, 0.0, 1.0);
}

static VlGuestInfo *
read_domain (virDomainPtr dom)
{
  VlGuestInfo *info = g_new0 (VlGuestInfo, 1);
  char uuid[VIR_UUID_STRING_BUFLEN];
  virDomainInfo vinfo;
  g_autofree char *xml = NULL;

  if (virDomainGetUUIDString (dom, uuid) == 0)
    info->uuid = g_strdup (uuid);
  info->name = g_strdup (virDomainGetName (dom));
  if (virDomainGetInfo (dom, &vinfo) == 0)
    {
      info->state = vinfo.state;
      info->vcpus = vinfo.nrVirtCpu;
      info->memory_kib = vinfo.state == VIR_DOMAIN_SHUTOFF ? vinfo.maxMem : vinfo.memory;
      info->cpu_time_ns = vinfo.cpuTime;
    }
  xml = virDomainGetXMLDesc (dom, 0);
  if (xml != NULL && vl_guest_info_parse_xml (xml, &info->os_type, &info->os_id) && info->os_id != NULL)
    info->os_name = g_strdup (vl_guest_os_name_for_id (info->os_id));
  virResetLastError ();
  return info;
}

typedef struct
{
  virDomainPtr *doms;
  int           n;
  GPtrArray    *infos;
  GCancellable *cancellable;
} ReadSlice;

static gpointer
read_slice (gpointer data)
{
  ReadSlice *slice = data;

  for (int i = 0; i < slice->n && !g_cancellable_is_cancelled (slice->cancellable); i++)
    g_ptr_array_add (slice->infos, read_domain (slice->doms[i]));
  return NULL;
}

/* Reading a guest is a few libvirt calls and an XML parse, 15 us each on the test driver and a
 * round trip each on a remote host: with many guests a second thread reads the first half
 * (libvirt connections take calls from several threads), so the list waits half as long. */
static GPtrArray *
read_domains (virDomainPtr *doms, int n, GCancellable *cancellable)
{
  GPtrArray *infos = g_ptr_array_new_full (n, (GDestroyNotify) vl_guest_info_free);
  g_autoptr(GPtrArray) second_infos = g_ptr_array_new_full (n, (GDestroyNotify) vl_guest_info_free);
  ReadSlice first = { doms, n >= 64 ? n / 2 : 0, infos, cancellable };
  ReadSlice second = { doms + first.n, n - first.n, second_infos, cancellable };
  GThread *helper = NULL;

  if (first.n > 0)
    {
      vl_libvirt_xml_init (); /* before two threads parse at once */
      helper = g_thread_new ("vl-guest-read", read_slice, &first);
    }
  read_slice (&second);
  if (helper != NULL)
    g_thread_join (helper);
  /* In libvirt's order, first half then second. */
  for (guint i = 0; i < second_infos->len; i++)
    g_ptr_array_add (infos, g_steal_pointer (&g_ptr_array_index (second_infos, i)));
  return infos;
}

static void
list_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GVirConnection *conn = source;
  g_autoptr(GPtrArray) infos = NULL;
  GError *error = NULL;
  g_autoptr(virConnect) vconn = vl_libvirt_handle_get (conn, &error);
  g_autoptr(VlDomainList) doms = NULL;
  int n;

  if (vconn == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  n = virConnectListAllDomains (vconn, &doms, 0);
  if (n < 0)
    {
      g_task_return_new_error (task, VL_ERROR, VL_ERROR_FAILED, _("The guests cannot be listed: %s"),
                               vl_libvirt_last_error_message ());
      return;
    }
  infos = read_domains (doms, n, cancellable);
  g_task_return_pointer (task, g_steal_pointer (&infos), (GDestroyNotify) g_ptr_array_unref);
}

void
vl_guest_info_list_async (GVirConnection *conn, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (conn, cancellable, callback, user_data);

  g_task_set_source_tag (task, vl_guest_info_list_async);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
vl_guest_info_list_finish (GVirConnection *conn, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, conn), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* VIRTLAB_TEST_READ_JITTER_MS=N holds each answer up to N ms, as a busy remote daemon does
 * (qemu:///system answered in tens of ms, out of order): the tests make reads finish out of order
 * on libvirt's test driver with it. Read once, before any worker thread. */
static guint
read_jitter_ms (void)
{
  static gsize once = 0;
  static guint jitter = 0;

  if (g_once_init_enter (&once))
    {
      const char *value = g_getenv ("VIRTLAB_TEST_READ_JITTER_MS");

      jitter = value != NULL ? (guint) MIN (g_ascii_strtoull (value, NULL, 10), 1000) : 0;
      g_once_init_leave (&once, 1);
    }
  return jitter;
}

static void
read_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr(virDomain) dom = NULL;
  guint jitter = GPOINTER_TO_UINT (task_data);
  VlGuestInfo *info;

  g_object_get (source, "handle", &dom, NULL);
  if (dom == NULL)
    {
      g_task_return_new_error (task, VL_ERROR, VL_ERROR_NOT_FOUND, _("The guest is gone."));
      return;
    }
  info = read_domain (dom);
  if (jitter > 0)
    g_usleep (g_random_int_range (0, (gint32) jitter + 1) * 1000);
  g_task_return_pointer (task, info, (GDestroyNotify) vl_guest_info_free);
}

void
vl_guest_info_read_async (GVirDomain *domain, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (domain, cancellable, callback, user_data);

  g_task_set_source_tag (task, vl_guest_info_read_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (read_jitter_ms ()), NULL);
  g_task_run_in_thread (task, read_thread);
}

VlGuestInfo *
vl_guest_info_read_finish (GVirDomain *domain, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, domain), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
