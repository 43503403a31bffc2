/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's connection, host details, guest list, events and lifecycle code against the live Xen dom0. */
#include "config.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "vl-test-wait.h"
#include "vl-connections.h"
#include "vl-guest-info.h"
#include "vl-guest-lifecycle.h"
#include "vl-host-info.h"

/* Run by tests/xen/test-app-host.sh with XEN_URI (boot-dom0.sh's URI) and XEN_PV_XML (a PV domain
 * whose kernel and initrd exist in the dom0 image). Not a meson test: it needs the live dom0. */
static const char *xen_uri;
static const char *pv_xml_path;
static VlConnection *connection;

static void
quiet_libvirt (void *data, virErrorPtr err)
{
}

static gboolean
is_settled (gpointer data)
{
  VlConnectionState state = vl_connection_get_state (data);

  return state != VL_CONNECTION_STATE_CONNECTING && state != VL_CONNECTION_STATE_DISCONNECTED;
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
store_result (GObject *source, GAsyncResult *res, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

static GVirConnection *
live_connection (void)
{
  if (connection == NULL)
    {
      connection = vl_connection_new (xen_uri);
      vl_connection_open (connection);
      g_assert_true (vl_test_wait_until (is_settled, connection, 120000));
    }
  g_assert_cmpstr (vl_connection_state_to_string (vl_connection_get_state (connection)), ==,
                   vl_connection_state_to_string (VL_CONNECTION_STATE_CONNECTED));
  return vl_connection_get_connection (connection);
}

static void
test_connection_opens (void)
{
  g_autofree char *title = NULL;

  live_connection ();
  title = vl_connection_dup_title (connection);
  g_test_message ("connection title: %s", title);
  g_assert_nonnull (title);
  g_assert_false (vl_connection_is_embedded (connection));
}

static void
test_host_info (void)
{
  GVirConnection *conn = live_connection ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHostInfo) info = NULL;

  vl_host_info_fetch_async (conn, NULL, store_result, &res);
  g_assert_true (vl_test_wait_until (result_arrived, &res, 60000));
  info = vl_host_info_fetch_finish (conn, res, &error);
  g_assert_no_error (error);
  g_test_message ("host: %s %s, libvirt %s, %u CPUs, %" G_GUINT64_FORMAT " KiB, guests: %s",
                  info->hypervisor, info->hypervisor_version, info->libvirt_version, info->cpus,
                  info->memory_kib, info->guest_types);
  /* The study's `xm info`: Xen and its version, the CPUs, the memory, what guests it runs. */
  g_assert_cmpstr (info->hypervisor, ==, "Xen");
  g_assert_true (g_str_has_prefix (info->hypervisor_version, "4.17"));
  g_assert_cmpuint (info->cpus, ==, 2);
  g_assert_cmpuint (info->memory_kib, >, 3900000);
  g_assert_cmpuint (info->memory_kib, <, 4200000);
  g_assert_nonnull (strstr (info->guest_types, "xen"));
  g_assert_nonnull (strstr (info->guest_types, "hvm"));
  g_assert_nonnull (strstr (info->guest_types, "xenpvh"));
}

static void
test_guest_list_has_domain0 (void)
{
  GVirConnection *conn = live_connection ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) guests = NULL;
  gboolean found = FALSE;

  vl_guest_info_list_async (conn, NULL, store_result, &res);
  g_assert_true (vl_test_wait_until (result_arrived, &res, 60000));
  guests = vl_guest_info_list_finish (conn, res, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < guests->len; i++)
    {
      VlGuestInfo *g = g_ptr_array_index (guests, i);

      g_test_message ("guest: %s, %s, %s", g->name, vl_guest_state_to_string (g->state), g->os_type);
      if (g_strcmp0 (g->name, "Domain-0") == 0)
        {
          found = TRUE;
          g_assert_cmpint (g->state, ==, VIR_DOMAIN_RUNNING);
          g_assert_cmpuint (g->vcpus, ==, 2);
        }
    }
  g_assert_true (found);
}

typedef struct {
  char *added, *removed;
} Events;

static void
domain_added (GVirConnection *conn, GVirDomain *domain, Events *ev)
{
  g_free (ev->added);
  ev->added = g_strdup (gvir_domain_get_name (domain));
}

static void
domain_removed (GVirConnection *conn, GVirDomain *domain, Events *ev)
{
  g_free (ev->removed);
  ev->removed = g_strdup (gvir_domain_get_name (domain));
}

static gboolean
added_pv (gpointer data)
{
  return g_strcmp0 (((Events *) data)->added, "vl-xen-pv") == 0;
}

static gboolean
removed_pv (gpointer data)
{
  return g_strcmp0 (((Events *) data)->removed, "vl-xen-pv") == 0;
}

static gboolean
pv_is_running (gpointer data)
{
  GVirDomainInfo *info = gvir_domain_get_info (data, NULL);
  gboolean is = info != NULL && info->state == GVIR_DOMAIN_STATE_RUNNING;

  if (info != NULL)
    g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info);
  return is;
}

static gboolean
pv_is_off (gpointer data)
{
  GVirDomainInfo *info = gvir_domain_get_info (data, NULL);
  gboolean is = info != NULL && info->state == GVIR_DOMAIN_STATE_SHUTOFF;

  if (info != NULL)
    g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info);
  return is;
}

static void
run_op (GVirDomain *domain, VlGuestOp op)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  vl_guest_lifecycle_run_async (domain, op, NULL, store_result, &res);
  g_assert_true (vl_test_wait_until (result_arrived, &res, 180000));
  g_assert_true (vl_guest_lifecycle_run_finish (domain, res, &error));
  g_assert_no_error (error);
}

/* Another client defines a guest: the app's connection hears of it (the guest list follows these
 * events); then the app's lifecycle code starts it, forces it off and deletes it. */
static void
test_events_and_lifecycle (void)
{
  GVirConnection *conn = live_connection ();
  Events ev = { NULL, NULL };
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  virConnectPtr other;
  virDomainPtr vdom;
  gulong added_id, removed_id;
  gint64 t0;

  g_assert_true (g_file_get_contents (pv_xml_path, &xml, NULL, &error));
  added_id = g_signal_connect (conn, "domain-added", G_CALLBACK (domain_added), &ev);
  removed_id = g_signal_connect (conn, "domain-removed", G_CALLBACK (domain_removed), &ev);

  other = virConnectOpen (xen_uri);
  g_assert_nonnull (other);
  vdom = virDomainDefineXML (other, xml);
  g_assert_nonnull (vdom);
  virDomainFree (vdom);
  g_assert_true (vl_test_wait_until (added_pv, &ev, 30000));

  domain = gvir_connection_find_domain_by_name (conn, "vl-xen-pv");
  g_assert_nonnull (domain);
  t0 = g_get_monotonic_time ();
  run_op (domain, VL_GUEST_OP_START);
  g_assert_true (vl_test_wait_until (pv_is_running, domain, 60000));
  g_test_message ("PV guest started by the app's lifecycle code in %.1f s",
                  (g_get_monotonic_time () - t0) / 1e6);
  run_op (domain, VL_GUEST_OP_FORCE_OFF);
  g_assert_true (vl_test_wait_until (pv_is_off, domain, 60000));
  run_op (domain, VL_GUEST_OP_DELETE);
  g_assert_true (vl_test_wait_until (removed_pv, &ev, 30000));
  g_assert_null (virDomainLookupByName (other, "vl-xen-pv"));

  virConnectClose (other);
  g_signal_handler_disconnect (conn, added_id);
  g_signal_handler_disconnect (conn, removed_id);
  g_free (ev.added);
  g_free (ev.removed);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  xen_uri = g_getenv ("XEN_URI");
  pv_xml_path = g_getenv ("XEN_PV_XML");
  if (xen_uri == NULL || pv_xml_path == NULL)
    {
      g_printerr ("set XEN_URI and XEN_PV_XML (see tests/xen/run-xen-tests.sh)\n");
      return 2;
    }
  gvir_init_object (NULL, NULL);
  /* libvirt reports its own errors through GError here; keep its default handler quiet. */
  virSetErrorFunc (NULL, quiet_libvirt);
  g_test_add_func ("/xen/connection/opens", test_connection_opens);
  g_test_add_func ("/xen/host-info", test_host_info);
  g_test_add_func ("/xen/guest-list/domain-0", test_guest_list_has_domain0);
  g_test_add_func ("/xen/events-and-lifecycle", test_events_and_lifecycle);
  status = g_test_run ();
  g_clear_object (&connection);
  return status;
}
