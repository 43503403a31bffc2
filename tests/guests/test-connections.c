/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Connections and the guest listing against libvirt's test driver: states, settings, events, scale. */
#include "config.h"

#include <glib/gstdio.h>
#include <libvirt/libvirt.h>

#include "vl-test-wait.h"
#include "vl-connections.h"
#include "vl-guest-info.h"
#include "vl-host-info.h"
#include "vl-libvirt-handle.h"
#include "vl-error.h"

static gboolean
is_settled (gpointer data)
{
  VlConnectionState state = vl_connection_get_state (data);

  return state != VL_CONNECTION_STATE_CONNECTING && state != VL_CONNECTION_STATE_DISCONNECTED;
}

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "connections");
  return settings;
}

static void
test_uri_validation (void)
{
  static const struct { const char *uri; gboolean ok; const char *mentions; } cases[] = {
    { "qemu:///system", TRUE, NULL },
    { "qemu:///session", TRUE, NULL },
    { "xen:///system", TRUE, NULL },
    { "qemu+ssh://root@example.org/system", TRUE, NULL },
    { "xen+ssh://me@dom0.lan/system", TRUE, NULL },
    { "test:///default", TRUE, NULL },
    { "qemu:///embed?root=/tmp/x", TRUE, NULL },
    { "qemu:///system?socket=/tmp/s/libvirt-sock", TRUE, NULL },
    { "", FALSE, "qemu:///system" },
    { "not a uri", FALSE, "not a uri" },
    { "http://example.org/", FALSE, "http://example.org/" },
    { "qemu+carrier://host/system", FALSE, "carrier" },
    { "qemu+ssh:///system", FALSE, "names no host" },
    { "qemu://", FALSE, "no path" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = vl_connection_uri_validate (cases[i].uri, &error);

      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        {
          g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
          g_assert_nonnull (strstr (error->message, cases[i].mentions));
        }
    }
}

static void
test_first_start_choice (void)
{
  static const struct { gboolean system; gboolean root; const char *expected; } cases[] = {
    { TRUE, TRUE, "qemu:///system" },
    { TRUE, FALSE, "qemu:///system" },
    { FALSE, FALSE, "qemu:///session" },
    { FALSE, TRUE, "qemu:///embed?root=/data/virtlab/embed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (vl_connections_pick_first_start (cases[i].system, cases[i].root,
                                                      "qemu:///embed?root=/data/virtlab/embed"),
                     ==, cases[i].expected);
}

static void
test_embed_root_config (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vl-embed-XXXXXX", NULL);
  g_autofree char *conf = g_build_filename (dir, "etc", "qemu.conf", NULL);
  g_autofree char *etc = g_path_get_dirname (conf);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (vl_connections_prepare_embed_root (dir, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (conf, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "stdio_handler = \"file\""));
  /* A second call keeps what is there. */
  g_assert_true (g_file_set_contents (conf, "stdio_handler = \"file\"\n# mine\n", -1, NULL));
  g_assert_true (vl_connections_prepare_embed_root (dir, &error));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (conf, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "# mine"));
  /* As root, an older root gains what swtpm (a guest's TPM) needs to run as root too. */
  if (geteuid () == 0)
    g_assert_nonnull (strstr (contents, "swtpm_user = \"root\""));
  g_remove (conf);
  g_rmdir (etc);
  g_rmdir (dir);

  /* A root that cannot be made says which folder. */
  g_assert_false (vl_connections_prepare_embed_root ("/proc/virtlab-cannot/embed", &error));
  g_assert_nonnull (strstr (error->message, "/proc/virtlab-cannot/embed/etc"));
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
file_has (const char *path, const char *text)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, text) != NULL;
}

/* An embed URI added through the list (--connect, the Add Connection dialog), not only the first
 * start's own, gets its root's qemu.conf before libvirt opens it; a qemu.conf of the user's own
 * keeps its settings and gains only what is missing. */
static void
test_added_embed_root_is_prepared (void)
{
  g_autoptr(VlConnections) connections = vl_connections_new (NULL);
  g_autofree char *fresh = g_dir_make_tmp ("vl-embed-fresh-XXXXXX", NULL);
  g_autofree char *mine = g_dir_make_tmp ("vl-embed-mine-XXXXXX", NULL);
  g_autofree char *fresh_uri = g_strdup_printf ("qemu:///embed?root=%s", fresh);
  g_autofree char *mine_uri = g_strdup_printf ("qemu:///embed?root=%s", mine);
  g_autofree char *fresh_conf = g_build_filename (fresh, "etc", "qemu.conf", NULL);
  g_autofree char *mine_etc = g_build_filename (mine, "etc", NULL);
  g_autofree char *mine_conf = g_build_filename (mine_etc, "qemu.conf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  VlConnection *conn;

  g_assert_null (vl_connections_embed_root_of ("qemu:///system"));
  g_assert_null (vl_connections_embed_root_of ("qemu:///embed"));
  root = vl_connections_embed_root_of ("qemu:///embed?root=/tmp/a%20b");
  g_assert_cmpstr (root, ==, "/tmp/a b");

  g_assert_cmpint (g_mkdir (mine_etc, 0700), ==, 0);
  g_assert_true (
    g_file_set_contents (mine_conf, "# my own\nset_process_name = 1\nstdio_handler=\"logd\"\n", -1, NULL));

  conn = vl_connections_add (connections, fresh_uri, &error);
  g_assert_no_error (error);
  g_assert_true (vl_test_wait_until (file_exists, fresh_conf, 20000));
  g_assert_true (vl_test_wait_until (is_settled, conn, 40000));
  g_assert_true (file_has (fresh_conf, "stdio_handler = \"file\""));
  if (geteuid () == 0)
    {
      g_assert_true (file_has (fresh_conf, "swtpm_user = \"root\""));
      g_assert_true (file_has (fresh_conf, "swtpm_group = \"root\""));
    }
  else
    g_assert_false (file_has (fresh_conf, "swtpm_user"));

  conn = vl_connections_add (connections, mine_uri, &error);
  g_assert_no_error (error);
  g_assert_true (vl_test_wait_until (is_settled, conn, 40000));
  g_assert_true (file_has (mine_conf, "# my own\nset_process_name = 1\nstdio_handler=\"logd\"\n"));
  /* The user's own stdio_handler stays the only one. */
  g_assert_false (file_has (mine_conf, "stdio_handler = \"file\""));
  g_assert_true (file_has (mine_conf, "cgroup_controllers = [ ]"));
  if (geteuid () == 0)
    g_assert_true (file_has (mine_conf, "swtpm_user = \"root\""));

  g_assert_true (vl_connections_remove (connections, fresh_uri));
  g_assert_true (vl_connections_remove (connections, mine_uri));
}

static void
test_list_is_saved (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(VlConnections) connections = vl_connections_new (settings);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) saved = NULL;
  VlConnection *conn;

  conn = vl_connections_add (connections, "  test:///default ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (vl_connection_get_uri (conn), ==, "test:///default");
  g_assert_true (vl_test_wait_until (is_settled, conn, 10000));
  g_assert_cmpint (vl_connection_get_state (conn), ==, VL_CONNECTION_STATE_CONNECTED);
  g_assert_nonnull (vl_connection_get_connection (conn));

  /* A duplicate and a bad URI are refused, and nothing is lost. */
  g_assert_null (vl_connections_add (connections, "test:///default", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (vl_connections_add (connections, "qemu+pigeon://x/system", &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_cmpuint (g_list_model_get_n_items (vl_connections_get_model (connections)), ==, 1);

  saved = g_settings_get_strv (settings, "connections");
  g_assert_cmpuint (g_strv_length (saved), ==, 1);
  g_assert_cmpstr (saved[0], ==, "test:///default");

  /* A second list reads it back. */
  {
    g_autoptr(VlConnections) again = vl_connections_new (settings);

    vl_connections_load_async (again, NULL, NULL, NULL);
    g_assert_nonnull (vl_connections_find (again, "test:///default"));
  }

  g_assert_true (vl_connections_remove (connections, "test:///default"));
  g_assert_false (vl_connections_remove (connections, "test:///default"));
  g_clear_pointer (&saved, g_strfreev);
  saved = g_settings_get_strv (settings, "connections");
  g_assert_cmpuint (g_strv_length (saved), ==, 0);
}

static void
test_override_is_not_saved (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(VlConnections) connections = vl_connections_new (settings);
  const char *uris[] = { "test:///default", NULL };
  g_auto(GStrv) saved = NULL;

  g_settings_set_strv (settings, "connections", (const char *[]) { "qemu:///session", NULL });
  vl_connections_use_uris (connections, uris);
  vl_connections_load_async (connections, NULL, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (vl_connections_get_model (connections)), ==, 1);
  g_assert_nonnull (vl_connections_find (connections, "test:///default"));
  saved = g_settings_get_strv (settings, "connections");
  g_assert_cmpuint (g_strv_length (saved), ==, 1);
  g_assert_cmpstr (saved[0], ==, "qemu:///session");

  /* What the user adds or removes in that run is kept, and only that. */
  g_assert_nonnull (vl_connections_add (connections, "test:///tmp/virtlab-added.xml", NULL));
  g_clear_pointer (&saved, g_strfreev);
  saved = g_settings_get_strv (settings, "connections");
  g_assert_cmpuint (g_strv_length (saved), ==, 2);
  g_assert_cmpstr (saved[1], ==, "test:///tmp/virtlab-added.xml");
  g_assert_true (vl_connections_remove (connections, "test:///tmp/virtlab-added.xml"));
  g_assert_true (vl_connections_remove (connections, "test:///default"));
  g_clear_pointer (&saved, g_strfreev);
  saved = g_settings_get_strv (settings, "connections");
  g_assert_cmpuint (g_strv_length (saved), ==, 1);
  g_assert_cmpstr (saved[0], ==, "qemu:///session");
}

/* --connect: the URI starts opening before the window (and its list) exists; the list takes that
 * very connection over, and an early connection no list took is closed, not left open. */
static void
test_open_early (void)
{
  g_autoptr(VlConnections) connections = vl_connections_new (NULL);
  const char *uris[] = { "test:///default", "test:///default", NULL };
  VlConnection *conn;

  vl_connections_open_early (uris);
  vl_connections_use_uris (connections, uris);
  vl_connections_close_early ();
  g_assert_cmpuint (g_list_model_get_n_items (vl_connections_get_model (connections)), ==, 1);
  conn = vl_connections_find (connections, "test:///default");
  g_assert_true (vl_test_wait_until (is_settled, conn, 10000));
  g_assert_cmpint (vl_connection_get_state (conn), ==, VL_CONNECTION_STATE_CONNECTED);

  /* Nobody takes this one: the list already has the URI. Closing it leaves the list's alone. */
  vl_connections_open_early (uris);
  vl_connections_use_uris (connections, uris);
  vl_connections_close_early ();
  g_assert_cmpint (vl_connection_get_state (conn), ==, VL_CONNECTION_STATE_CONNECTED);
}

static void
test_unreachable_fails_with_reason (void)
{
  g_autoptr(VlConnection) conn = vl_connection_new ("test:///nonexistent/virtlab-nodes.xml");
  gint64 before = g_get_monotonic_time ();

  vl_connection_open (conn);
  /* The open happens in a thread: the call returns at once. */
  g_assert_cmpint (g_get_monotonic_time () - before, <, G_USEC_PER_SEC / 2);
  g_assert_cmpint (vl_connection_get_state (conn), ==, VL_CONNECTION_STATE_CONNECTING);
  g_assert_true (vl_test_wait_until (is_settled, conn, 10000));
  g_assert_cmpint (vl_connection_get_state (conn), ==, VL_CONNECTION_STATE_FAILED);
  g_assert_nonnull (strstr (vl_connection_get_message (conn), "test:///nonexistent/virtlab-nodes.xml"));
  g_assert_null (vl_connection_get_connection (conn));
}

typedef struct
{
  GPtrArray *infos;
  GError    *error;
  gboolean   done;
} ListData;

static void
list_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ListData *data = user_data;

  data->infos = vl_guest_info_list_finish (GVIR_CONNECTION (source), result, &data->error);
  data->done = TRUE;
}

static gboolean
list_done (gpointer data)
{
  return ((ListData *) data)->done;
}

static GPtrArray *
list_guests (GVirConnection *conn)
{
  ListData data = { 0 };

  vl_guest_info_list_async (conn, NULL, list_cb, &data);
  g_assert_true (vl_test_wait_until (list_done, &data, 30000));
  g_assert_no_error (data.error);
  return data.infos;
}

static const VlGuestInfo *
find_info (GPtrArray *infos, const char *name)
{
  for (guint i = 0; i < infos->len; i++)
    if (g_str_equal (((VlGuestInfo *) g_ptr_array_index (infos, i))->name, name))
      return g_ptr_array_index (infos, i);
  return NULL;
}

static VlConnection *
open_connected (const char *uri)
{
  VlConnection *conn = vl_connection_new (uri);

  vl_connection_open (conn);
  g_assert_true (vl_test_wait_until (is_settled, conn, 20000));
  g_assert_cmpstr (vl_connection_get_message (conn), ==, NULL);
  g_assert_cmpint (vl_connection_get_state (conn), ==, VL_CONNECTION_STATE_CONNECTED);
  return conn;
}

static void
test_guest_info_with_os (void)
{
  g_autofree char *uri = g_strdup_printf ("test://%s/guests/fixtures/os-guests.xml", G_TEST_SRCDIR_PATH);
  g_autoptr(VlConnection) conn = open_connected (uri);
  g_autoptr(GPtrArray) infos = list_guests (vl_connection_get_connection (conn));
  const VlGuestInfo *debian = find_info (infos, "debian-web");
  const VlGuestInfo *xen = find_info (infos, "xen-pv");

  g_assert_cmpuint (infos->len, ==, 2);
  g_assert_nonnull (debian);
  g_assert_cmpint (debian->state, ==, VIR_DOMAIN_RUNNING);
  g_assert_cmpuint (debian->vcpus, ==, 2);
  g_assert_cmpuint (debian->memory_kib, ==, 1024 * 1024);
  g_assert_cmpstr (debian->os_type, ==, "hvm");
  g_assert_cmpstr (debian->os_id, ==, "http://debian.org/debian/11");
  g_assert_cmpstr (debian->os_name, ==, "Debian 11");
  g_assert_nonnull (xen);
  g_assert_cmpint (xen->state, ==, VIR_DOMAIN_SHUTOFF);
  g_assert_cmpstr (xen->os_type, ==, "xen");
  g_assert_null (xen->os_id);
}

static void
test_thousand_guests (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vl-1000-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "nodes.xml", NULL);
  g_autofree char *script = g_build_filename (VL_BENCH_DIR, "make-testdriver.py", NULL);
  g_autofree char *uri = g_strdup_printf ("test://%s", file);
  const char *argv[] = { "python3", script, "1000", file, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(VlConnection) conn = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  conn = open_connected (uri);
  infos = list_guests (vl_connection_get_connection (conn));
  g_assert_cmpuint (infos->len, ==, 1000);
  /* Two threads read half each: every guest once, none lost or doubled at the seam. */
  {
    g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < infos->len; i++)
      g_hash_table_add (names, ((VlGuestInfo *) g_ptr_array_index (infos, i))->name);
    g_assert_cmpuint (g_hash_table_size (names), ==, 1000);
  }
  /* Sampled rows, checked against the rules make-testdriver.py writes them with. */
  for (guint i = 0; i < 1000; i += 137)
    {
      g_autofree char *name = g_strdup_printf ("guest-%05u", i);
      const VlGuestInfo *info = find_info (infos, name);

      g_assert_nonnull (info);
      g_assert_cmpint (info->state, ==, i % 2 == 0 ? VIR_DOMAIN_RUNNING : VIR_DOMAIN_SHUTOFF);
      g_assert_cmpuint (info->vcpus, ==, 1 + i % 4);
      g_assert_cmpuint (info->memory_kib, ==, (128 + i % 8 * 64) * 1024);
      g_assert_cmpstr (info->os_type, ==, i % 3 == 0 ? "xen" : "hvm");
    }
  vl_connection_close (conn);
  g_remove (file);
  g_rmdir (dir);
}

typedef struct
{
  GPtrArray *events;
} EventLog;

static void
domain_added (GVirConnection *conn, GVirDomain *domain, EventLog *log)
{
  g_ptr_array_add (log->events, g_strdup_printf ("added %s", gvir_domain_get_name (domain)));
}

static void
domain_removed (GVirConnection *conn, GVirDomain *domain, EventLog *log)
{
  g_ptr_array_add (log->events, g_strdup_printf ("removed %s", gvir_domain_get_name (domain)));
}

static gboolean
has_two_events (gpointer data)
{
  return ((EventLog *) data)->events->len >= 2;
}

/* Events, not re-listing, tell about new and removed guests. */
static void
test_events_for_defined_guests (void)
{
  g_autoptr(VlConnection) conn = open_connected ("test:///default");
  GVirConnection *gconn = vl_connection_get_connection (conn);
  g_autoptr(GVirConfigDomain) config = gvir_config_domain_new ();
  g_autoptr(GVirConfigDomainOs) os = gvir_config_domain_os_new ();
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GError) error = NULL;
  EventLog log = { g_ptr_array_new_with_free_func (g_free) };

  g_signal_connect (gconn, "domain-added", G_CALLBACK (domain_added), &log);
  g_signal_connect (gconn, "domain-removed", G_CALLBACK (domain_removed), &log);

  gvir_config_domain_set_virt_type (config, GVIR_CONFIG_DOMAIN_VIRT_TEST);
  gvir_config_domain_set_name (config, "event-guest");
  gvir_config_domain_set_memory (config, 65536);
  gvir_config_domain_os_set_os_type (os, GVIR_CONFIG_DOMAIN_OS_TYPE_HVM);
  gvir_config_domain_set_os (config, os);
  domain = gvir_connection_create_domain (gconn, config, &error);
  g_assert_no_error (error);
  g_assert_true (gvir_domain_delete (domain, 0, &error));
  g_assert_no_error (error);

  g_assert_true (vl_test_wait_until (has_two_events, &log, 10000));
  g_assert_cmpstr (g_ptr_array_index (log.events, 0), ==, "added event-guest");
  g_assert_cmpstr (g_ptr_array_index (log.events, 1), ==, "removed event-guest");
  g_signal_handlers_disconnect_by_data (gconn, &log);
  g_ptr_array_unref (log.events);
}

typedef struct
{
  VlHostInfo *info;
  GError     *error;
  gboolean    done;
} HostData;

static void
host_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  HostData *data = user_data;

  data->info = vl_host_info_fetch_finish (GVIR_CONNECTION (source), result, &data->error);
  data->done = TRUE;
}

static gboolean
host_done (gpointer data)
{
  return ((HostData *) data)->done;
}

static void
test_host_info (void)
{
  g_autofree char *uri = g_strdup_printf ("test://%s/guests/fixtures/os-guests.xml", G_TEST_SRCDIR_PATH);
  g_autoptr(VlConnection) conn = open_connected (uri);
  HostData data = { 0 };
  g_autofree char *version = vl_host_info_format_version (9000000);

  g_assert_cmpstr (version, ==, "9.0.0");
  vl_host_info_fetch_async (vl_connection_get_connection (conn), NULL, host_cb, &data);
  g_assert_true (vl_test_wait_until (host_done, &data, 10000));
  g_assert_no_error (data.error);
  /* The node part of the fixture: 2 cells, 1 socket each, 2 cores, 2 threads, 3000 MHz, 4 GiB. */
  g_assert_cmpuint (data.info->mhz, ==, 3000);
  g_assert_cmpuint (data.info->numa_cells, ==, 2);
  g_assert_cmpuint (data.info->cores, ==, 2);
  g_assert_cmpuint (data.info->threads, ==, 2);
  g_assert_cmpuint (data.info->memory_kib, ==, 4194304);
  g_assert_cmpstr (data.info->hypervisor, ==, "TEST");
  g_assert_nonnull (data.info->hostname);
  g_assert_nonnull (data.info->guest_types);
  g_assert_nonnull (strstr (data.info->guest_types, "hvm: "));
  g_assert_nonnull (strstr (data.info->guest_types, "xen: "));
  g_assert_nonnull (strstr (data.info->guest_types, "(test)"));
  vl_host_info_free (data.info);
}

/* A Xen host's capabilities (tests/fixtures): libvirt-gconfig knows no "xenpvh" os type; the guest types
 * are read from the XML itself (core/vl-libvirt-xml), so each os type is shown as libvirt wrote it. */
static void
test_host_info_xen_guest_types (void)
{
  g_autofree char *path = g_build_filename (VL_FIXTURES_DIR, "guests", "new-guest", "caps-xen.xml", NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GVirConfigCapabilities) caps = NULL;
  g_autofree char *types = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &xml, NULL, &error));
  caps = gvir_config_capabilities_new_from_xml (xml, &error);
  g_assert_no_error (error);
  types = vl_host_info_describe_guests (caps);
  g_test_message ("%s", types);
  g_assert_nonnull (strstr (types, "xen: x86_64 (xen)"));
  g_assert_nonnull (strstr (types, "hvm: x86_64 (xen)"));
  g_assert_nonnull (strstr (types, "xenpvh: x86_64 (xen)"));
}

static void
host_uri_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  HostData *data = user_data;

  data->info = vl_host_info_fetch_uri_finish (result, &data->error);
  data->done = TRUE;
}

/* The Host page has no connection of its own: it asks by URI, and gets the same facts read the same
 * way (one code path, core/vl-host-info.c); a URI that cannot be opened gives libvirt's reason. */
static void
test_host_info_by_uri (void)
{
  g_autofree char *uri = g_strdup_printf ("test://%s/guests/fixtures/os-guests.xml", G_TEST_SRCDIR_PATH);
  HostData data = { 0 };
  HostData bad = { 0 };

  vl_host_info_fetch_uri_async (uri, NULL, host_uri_cb, &data);
  g_assert_true (vl_test_wait_until (host_done, &data, 10000));
  g_assert_no_error (data.error);
  g_assert_cmpuint (data.info->mhz, ==, 3000);
  g_assert_cmpuint (data.info->numa_cells, ==, 2);
  g_assert_cmpuint (data.info->memory_kib, ==, 4194304);
  g_assert_cmpstr (data.info->hypervisor, ==, "TEST");
  g_assert_nonnull (strstr (data.info->guest_types, "(test)"));
  vl_host_info_free (data.info);

  vl_host_info_fetch_uri_async ("test:///nonexistent/virtlab-no-such-file.xml", NULL, host_uri_cb, &bad);
  g_assert_true (vl_test_wait_until (host_done, &bad, 10000));
  g_assert_null (bad.info);
  g_assert_nonnull (bad.error);
  g_test_message ("%s", bad.error->message);
  g_clear_error (&bad.error);
}

/* A connection that is not open (never opened, or closed while a page still shows its host) gives
 * a message saying so, not a crash in libvirt. */
static void
test_host_info_closed_connection (void)
{
  g_autoptr(GVirConnection) gconn = gvir_connection_new ("test:///default");
  g_autoptr(GError) error = NULL;
  HostData data = { 0 };
  virConnectPtr vconn = vl_libvirt_handle_get (gconn, &error);

  g_assert_null (vconn);
  g_assert_error (error, VL_ERROR, VL_ERROR_FAILED);
  g_clear_error (&error);
  vl_host_info_fetch_async (gconn, NULL, host_cb, &data);
  g_assert_true (vl_test_wait_until (host_done, &data, 10000));
  g_assert_null (data.info);
  g_assert_error (data.error, VL_ERROR, VL_ERROR_FAILED);
  g_clear_error (&data.error);

  g_assert_true (gvir_connection_open (gconn, NULL, &error));
  g_assert_no_error (error);
  vconn = vl_libvirt_handle_get (gconn, &error);
  g_assert_no_error (error);
  g_assert_nonnull (vconn);
  virConnectClose (vconn);
  gvir_connection_close (gconn);
}

static void
test_cpu_usage (void)
{
  /* 0.5 s of CPU in 1 s on 1 vCPU is 50 %; on 2 vCPUs 25 %; counters going back are 0. */
  g_assert_cmpfloat_with_epsilon (vl_guest_cpu_usage (0, 500000000, G_USEC_PER_SEC, 1), 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (vl_guest_cpu_usage (0, 500000000, G_USEC_PER_SEC, 2), 0.25, 1e-9);
  g_assert_cmpfloat (vl_guest_cpu_usage (10, 5, G_USEC_PER_SEC, 1), ==, 0.0);
  g_assert_cmpfloat (vl_guest_cpu_usage (0, 5000000000, G_USEC_PER_SEC, 1), ==, 1.0);
  g_assert_cmpfloat (vl_guest_cpu_usage (0, 5, 0, 1), ==, 0.0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connections/uri-validation", test_uri_validation);
  g_test_add_func ("/connections/first-start-choice", test_first_start_choice);
  g_test_add_func ("/connections/embed-root-config", test_embed_root_config);
  g_test_add_func ("/connections/added-embed-root-is-prepared", test_added_embed_root_is_prepared);
  g_test_add_func ("/connections/list-is-saved", test_list_is_saved);
  g_test_add_func ("/connections/override-is-not-saved", test_override_is_not_saved);
  g_test_add_func ("/connections/open-early", test_open_early);
  g_test_add_func ("/connections/unreachable-fails-with-reason", test_unreachable_fails_with_reason);
  g_test_add_func ("/connections/events-for-defined-guests", test_events_for_defined_guests);
  g_test_add_func ("/guest-info/os-from-libosinfo-metadata", test_guest_info_with_os);
  g_test_add_func ("/guest-info/thousand-guests", test_thousand_guests);
  g_test_add_func ("/guest-info/cpu-usage", test_cpu_usage);
  g_test_add_func ("/host-info/test-driver-node", test_host_info);
  g_test_add_func ("/host-info/closed-connection", test_host_info_closed_connection);
  g_test_add_func ("/host-info/by-uri", test_host_info_by_uri);
  g_test_add_func ("/host-info/xen-guest-types", test_host_info_xen_guest_types);
  return g_test_run ();
}
