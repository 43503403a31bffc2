/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Install-tree downloads through libsoup against real local servers on 127.0.0.1 (plain and TLS with
 * a certificate this test makes): the file arrives whole, redirects are followed, and a truncated
 * body, a 404, a redirect loop, a refused connection, an untrusted certificate and Cancel each end
 * with a clear message that names the URL and no file left behind. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "vl-error.h"
#include "vl-install-tree.h"

#define SIZE (300 * 1024)

typedef struct {
  GSubprocess *server;
  int          port;
  char        *dir;
  char        *dest;
  char        *cert;
} Fixture;

static GSubprocess *
start_server (const char *const *extra, int *port)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *server;

  g_ptr_array_add (argv, (gpointer) "/usr/bin/python3");
  g_ptr_array_add (argv, (gpointer) VL_DOWNLOAD_SERVER);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, NULL);
  /* Its stdin is a pipe from us: when this test ends, however it ends, the server does too. */
  server = g_subprocess_newv ((const char *const *) argv->pdata,
                              G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "port "));
  *port = atoi (line + 5);
  g_assert_cmpint (*port, >, 0);
  return server;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  gboolean tls = GPOINTER_TO_INT (data);

  f->dir = g_dir_make_tmp ("virtlab-download-XXXXXX", NULL);
  f->dest = g_build_filename (f->dir, "vmlinuz", NULL);
  if (tls)
    {
      g_autofree char *key = g_build_filename (f->dir, "key.pem", NULL);
      g_autofree char *openssl = g_find_program_in_path ("openssl");
      const char *extra[] = { "--cert", NULL, "--key", key, NULL };
      g_autoptr(GError) error = NULL;
      int status = 0;

      if (openssl == NULL)
        return;
      f->cert = g_build_filename (f->dir, "cert.pem", NULL);
      {
        const char *argv[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                               "-out", f->cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                               "-addext", "subjectAltName=IP:127.0.0.1",
                               "-addext", "basicConstraints=critical,CA:TRUE", NULL };

        g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                                     G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error));
        g_assert_no_error (error);
        g_assert_true (g_spawn_check_wait_status (status, &error));
        g_assert_no_error (error);
      }
      extra[1] = f->cert;
      f->server = start_server (extra, &f->port);
    }
  else
    f->server = start_server (NULL, &f->port);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  const char *argv[] = { "rm", "-rf", f->dir, NULL };

  if (f->server != NULL)
    {
      g_subprocess_force_exit (f->server);
      g_subprocess_wait (f->server, NULL, NULL);
      g_clear_object (&f->server);
    }
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_free (f->dir);
  g_free (f->dest);
  g_free (f->cert);
}

static gboolean
need_server (Fixture *f)
{
  if (f->server == NULL)
    {
      g_test_skip ("openssl is not installed: no certificate for the TLS server (build-aux/deps lists it)");
      return FALSE;
    }
  return TRUE;
}

static char *
url_of (Fixture *f, const char *scheme, const char *path)
{
  return g_strdup_printf ("%s://127.0.0.1:%d%s", scheme, f->port, path);
}

typedef struct {
  goffset last;
  goffset total;
  guint   calls;
  gboolean monotonic;
  GCancellable *cancel_after_first;
} Progress;

static void
on_progress (goffset received, goffset total, gpointer user_data)
{
  Progress *p = user_data;

  p->monotonic = p->monotonic && (p->calls == 0 || received >= p->last);
  p->last = received;
  p->total = total;
  p->calls++;
  if (p->cancel_after_first != NULL && received > 0)
    g_cancellable_cancel (p->cancel_after_first);
}

static void
assert_whole_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, SIZE);
  for (gsize i = 0; i < len; i++)
    if ((guchar) contents[i] != i % 251)
      g_error ("byte %" G_GSIZE_FORMAT " of the download is wrong", i);
}

static void
assert_failed (Fixture *f, const char *url, GError *error, const char *part)
{
  g_assert_nonnull (error);
  g_test_message ("%s: %s", url, error->message);
  g_assert_nonnull (strstr (error->message, url));
  if (part != NULL && strstr (error->message, part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, part);
  g_assert_false (g_file_test (f->dest, G_FILE_TEST_EXISTS));
}

static void
download_and_check (Fixture *f, const char *scheme, const char *path, GTlsDatabase *db)
{
  g_autofree char *url = url_of (f, scheme, path);
  g_autoptr(GError) error = NULL;
  Progress p = { 0, 0, 0, TRUE, NULL };
  VlDownloadOptions options = { on_progress, &p, db };

  g_assert_true (vl_install_tree_download_full (url, f->dest, &options, NULL, &error));
  g_assert_no_error (error);
  assert_whole_file (f->dest);
  /* Progress came in steps, never backwards, ending at the announced size. */
  g_assert_true (p.monotonic);
  g_assert_cmpuint (p.calls, >=, 2);
  g_assert_cmpint (p.last, ==, SIZE);
  g_assert_cmpint (p.total, ==, SIZE);
}

static void
test_download_plain (Fixture *f, gconstpointer data)
{
  download_and_check (f, "http", "/file.bin", NULL);
}

static void
test_download_redirects (Fixture *f, gconstpointer data)
{
  download_and_check (f, "http", "/redirect", NULL);
  g_unlink (f->dest);
  download_and_check (f, "http", "/redirect-abs", NULL);
}

static void
test_download_truncated (Fixture *f, gconstpointer data)
{
  g_autofree char *url = url_of (f, "http", "/truncated");
  g_autoptr(GError) error = NULL;

  /* An older complete file at dest is not mistaken for this download either. */
  g_assert_false (vl_install_tree_download (url, f->dest, NULL, &error));
  assert_failed (f, url, error, NULL);
  g_assert_true (g_error_matches (error, VL_ERROR, VL_ERROR_FAILED));
}

static void
test_download_not_found (Fixture *f, gconstpointer data)
{
  g_autofree char *url = url_of (f, "http", "/missing/vmlinuz");
  g_autoptr(GError) error = NULL;

  g_assert_false (vl_install_tree_download (url, f->dest, NULL, &error));
  assert_failed (f, url, error, "404");
  g_assert_true (g_error_matches (error, VL_ERROR, VL_ERROR_NOT_FOUND));
}

static void
test_download_redirect_loop (Fixture *f, gconstpointer data)
{
  g_autofree char *url = url_of (f, "http", "/loop");
  g_autoptr(GError) error = NULL;

  g_assert_false (vl_install_tree_download (url, f->dest, NULL, &error));
  assert_failed (f, url, error, "redirects too often");
}

static void
test_download_refused_connection (Fixture *f, gconstpointer data)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  /* A port that was just free and is closed again: nothing listens there. */
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/vmlinuz",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);
  g_assert_false (vl_install_tree_download (url, f->dest, NULL, &error));
  assert_failed (f, url, error, "could not be fetched");
}

static void
test_download_not_a_url (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (vl_install_tree_download ("ftp://127.0.0.1/vmlinuz", f->dest, NULL, &error));
  assert_failed (f, "ftp://127.0.0.1/vmlinuz", error, "not a web address");
  g_clear_error (&error);
  g_assert_false (vl_install_tree_download ("http://", f->dest, NULL, &error));
  assert_failed (f, "http://", error, "not a web address");
}

static void
test_download_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *url = url_of (f, "http", "/slow");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Progress p = { 0, 0, 0, TRUE, cancellable };
  VlDownloadOptions options = { on_progress, &p, NULL };
  gint64 start = g_get_monotonic_time ();

  /* Cancelled once the first bytes arrived; the server would go on for an hour. */
  g_assert_false (vl_install_tree_download_full (url, f->dest, &options, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  g_assert_cmpint (p.total, ==, 100 * 1024 * 1024);
  g_assert_false (g_file_test (f->dest, G_FILE_TEST_EXISTS));
}

static void
test_download_https_trusted (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) db = NULL;

  if (!need_server (f))
    return;
  db = g_tls_file_database_new (f->cert, &error);
  g_assert_no_error (error);
  download_and_check (f, "https", "/file.bin", db);
  g_unlink (f->dest);
  download_and_check (f, "https", "/redirect-abs", db);
}

static void
test_download_https_untrusted (Fixture *f, gconstpointer data)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  if (!need_server (f))
    return;
  url = url_of (f, "https", "/file.bin");
  /* The system's authorities do not know the test's certificate. */
  g_assert_false (vl_install_tree_download (url, f->dest, NULL, &error));
  assert_failed (f, url, error, "not trusted");
  g_assert_nonnull (strstr (error->message, "not signed by a trusted authority"));
  g_assert_true (g_error_matches (error, VL_ERROR, VL_ERROR_PERMISSION));
}

static void
test_download_https_to_plain_server (Fixture *f, gconstpointer data)
{
  g_autofree char *url = url_of (f, "https", "/file.bin");
  g_autoptr(GError) error = NULL;

  /* https:// to a server that speaks plain HTTP: a clear failure, not a hang or a garbage file. */
  g_assert_false (vl_install_tree_download (url, f->dest, NULL, &error));
  assert_failed (f, url, error, "No secure (TLS) connection");
  g_assert_null (strstr (error->message, "certificate"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The untrusted case must not depend on a proxy or a user's extra authorities. */
  g_unsetenv ("http_proxy");
  g_unsetenv ("https_proxy");
  g_setenv ("no_proxy", "127.0.0.1", TRUE);
#define ADD(path, func, tls) \
  g_test_add (path, Fixture, GINT_TO_POINTER (tls), fixture_set_up, func, fixture_tear_down)
  ADD ("/install-tree/download/plain", test_download_plain, FALSE);
  ADD ("/install-tree/download/redirects", test_download_redirects, FALSE);
  ADD ("/install-tree/download/truncated", test_download_truncated, FALSE);
  ADD ("/install-tree/download/not-found", test_download_not_found, FALSE);
  ADD ("/install-tree/download/redirect-loop", test_download_redirect_loop, FALSE);
  ADD ("/install-tree/download/refused-connection", test_download_refused_connection, FALSE);
  ADD ("/install-tree/download/not-a-url", test_download_not_a_url, FALSE);
  ADD ("/install-tree/download/cancel", test_download_cancel, FALSE);
  ADD ("/install-tree/download/https-trusted", test_download_https_trusted, TRUE);
  ADD ("/install-tree/download/https-untrusted", test_download_https_untrusted, TRUE);
  ADD ("/install-tree/download/https-to-plain-server", test_download_https_to_plain_server, FALSE);
#undef ADD
  return g_test_run ();
}
