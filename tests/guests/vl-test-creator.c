/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helpers for the guest creator: open a connection, describe the host, create, serve an install tree. */
#include "config.h"

#include <stdlib.h>
#include <glib/gstdio.h>

#include "vl-test-creator.h"

typedef struct {
  GMainLoop *loop;
  GAsyncResult *result;
} Wait;

static void
got_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

GVirConnection *
vl_test_open_connection (const char *uri)
{
  GVirConnection *conn = gvir_connection_new (uri);
  g_autoptr(GError) error = NULL;

  g_assert_true (gvir_connection_open (conn, NULL, &error));
  g_assert_no_error (error);
  return conn;
}

void
vl_test_describe (VlGuestCreator *creator, VlGuestSpec *spec)
{
  Wait wait = { g_main_loop_new (NULL, FALSE), NULL };
  g_autoptr(GError) error = NULL;

  vl_guest_creator_describe_host_async (creator, spec, NULL, got_result, &wait);
  g_assert_true (vl_guest_creator_describe_host_finish (creator, wait_for (&wait), &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
  g_main_loop_unref (wait.loop);
}

GVirDomain *
vl_test_create (VlGuestCreator *creator, VlGuestSpec *spec, gboolean start, GCancellable *cancellable,
                GError **error)
{
  Wait wait = { g_main_loop_new (NULL, FALSE), NULL };
  GVirDomain *domain;

  vl_guest_creator_create_async (creator, spec, start, cancellable, got_result, &wait);
  domain = vl_guest_creator_create_finish (creator, wait_for (&wait), error);
  g_object_unref (wait.result);
  g_main_loop_unref (wait.loop);
  return domain;
}

GSubprocess *
vl_test_start_http_server (const char *root, int *port)
{
  /* Port 0: the kernel picks a free one, and the server says which on its first line. */
  /* It ends when its stdin closes, so it cannot outlive this test however the test ends. */
  const char *script = "import http.server, os, sys, threading\n"
                       "class H(http.server.SimpleHTTPRequestHandler):\n"
                       "    def __init__(self, *a, **k): super().__init__(*a, directory=sys.argv[1], **k)\n"
                       "    def log_message(self, *a): pass\n"
                       "s = http.server.HTTPServer(('127.0.0.1', 0), H)\n"
                       "threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()\n"
                       "print(s.server_address[1], flush=True)\n"
                       "s.serve_forever()\n";
  g_autoptr(GError) error = NULL;
  GSubprocess *server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error, "/usr/bin/python3", "-c",
                                          script, root, NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  *port = atoi (line);
  g_assert_cmpint (*port, >, 0);
  return server;
}

void
vl_test_write_file (const char *dir, const char *relative, const char *contents, gssize length)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_mkdir_with_parents (parent, 0755);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));
}
