/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the console connects: host from the connection URI, address from <graphics> (no display needed). */
#include "config.h"

#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vl-console-target.h"
#include "vl-error.h"

static void
test_host_from_uri (void)
{
  static const struct { const char *uri; gboolean ok; const char *host; } cases[] = {
    { "qemu:///system", TRUE, "localhost" },
    { "qemu:///embed?root=/tmp/x", TRUE, "localhost" },
    { "test:///default", TRUE, "localhost" },
    { "qemu+ssh://root@lab-host.example.org/system", TRUE, "lab-host.example.org" },
    { "xen+ssh://dom0/", TRUE, "dom0" },
    { "qemu+tcp://192.0.2.7:16509/system", TRUE, "192.0.2.7" },
    { "not a uri", FALSE, NULL },
    { NULL, FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *host = NULL;

      g_assert_cmpint (vl_console_target_host_from_uri (cases[i].uri, &host), ==, cases[i].ok);
      g_assert_cmpstr (host, ==, cases[i].host);
    }
}

static void
test_target_from_config (void)
{
  static const struct {
    const char *devices;
    const char *uri;
    const char *host, *port, *socket;
    int error_code;
  } cases[] = {
    { "<graphics type='vnc' port='5901' autoport='no' listen='127.0.0.1'/>", "qemu:///system",
      "localhost", "5901", NULL, -1 },
    { "<graphics type='vnc' port='5907' autoport='yes'/>", "qemu+ssh://lab/system",
      "lab", "5907", NULL, -1 },
    { "<graphics type='vnc' socket='/run/vnc/guest.sock'/>", "qemu:///system",
      NULL, NULL, "/run/vnc/guest.sock", -1 },
    /* spice first, VNC second: the VNC one is used */
    { "<graphics type='spice' port='5930'/><graphics type='vnc' port='5902'/>", "qemu:///system",
      "localhost", "5902", NULL, -1 },
    /* autoport before the guest runs: no port yet */
    { "<graphics type='vnc' port='-1' autoport='yes'/>", "qemu:///system",
      NULL, NULL, NULL, VL_ERROR_NOT_FOUND },
    { "<graphics type='spice' port='5930'/>", "qemu:///system", NULL, NULL, NULL, VL_ERROR_UNSUPPORTED },
    { "", "qemu:///system", NULL, NULL, NULL, VL_ERROR_UNSUPPORTED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = g_strdup_printf ("<domain type='qemu'><name>lab-guest</name><devices>%s</devices></domain>",
                                              cases[i].devices);
      g_autoptr(GError) error = NULL;
      GVirConfigDomain *config = gvir_config_domain_new_from_xml (xml, &error);
      VlConsoleTarget *target;

      g_assert_no_error (error);
      target = vl_console_target_from_config (config, cases[i].uri, &error);
      if (cases[i].error_code >= 0)
        {
          g_assert_null (target);
          g_assert_error (error, VL_ERROR, cases[i].error_code);
          /* The message names the guest. */
          g_assert_nonnull (strstr (error->message, "lab-guest"));
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpint (target->kind, ==, VL_CONSOLE_TARGET_ADDRESS);
          g_assert_cmpint (target->fd, ==, -1);
          g_assert_cmpstr (target->host, ==, cases[i].host);
          g_assert_cmpstr (target->port, ==, cases[i].port);
          g_assert_cmpstr (target->socket_path, ==, cases[i].socket);
          vl_console_target_free (target);
        }
      g_object_unref (config);
    }
}

static void
lookup_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;
  VlConsoleTarget *target = vl_console_target_lookup_finish (result, error);

  g_assert_null (target);
  g_main_context_wakeup (NULL);
}

/* The test driver has no graphics socket and its guest no <graphics>: both ways fail, and the
 * message says what is missing. */
static void
test_lookup_without_vnc (void)
{
  GVirConnection *connection = gvir_connection_new ("test:///default");
  g_autoptr(GError) error = NULL;
  GVirDomain *domain;

  gvir_connection_open (connection, NULL, &error);
  g_assert_no_error (error);
  gvir_connection_fetch_domains (connection, NULL, &error);
  g_assert_no_error (error);
  domain = gvir_connection_find_domain_by_name (connection, "test");
  g_assert_nonnull (domain);

  vl_console_target_lookup_async (connection, domain, NULL, lookup_done, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "“test”"));
  g_object_unref (domain);
  g_object_unref (connection);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gvir_init_object (&argc, &argv);

  g_test_add_func ("/console/target/host-from-uri", test_host_from_uri);
  g_test_add_func ("/console/target/from-config", test_target_from_config);
  g_test_add_func ("/console/target/lookup-without-vnc", test_lookup_without_vnc);
  return g_test_run ();
}
