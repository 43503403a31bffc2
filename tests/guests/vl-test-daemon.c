/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test helpers: a private libvirtd in its own mount namespace, and child-process isolation. */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>

#include "vl-test-daemon.h"

void
vl_test_daemon_init (VlTestDaemon *daemon, const char *dir)
{
  daemon->dir = g_strdup (dir);
  daemon->uri = g_strdup_printf ("qemu:///system?socket=%s/sock/libvirt-sock", dir);
  daemon->libvirtd = NULL;
}

/* libvirtd creates its socket before it listens on it: wait until a connection is accepted. */
static gboolean
socket_answers (gpointer data)
{
  VlTestDaemon *daemon = data;
  g_autofree char *sock = g_build_filename (daemon->dir, "sock", "libvirt-sock", NULL);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  if (!g_file_test (sock, G_FILE_TEST_EXISTS))
    return FALSE;
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL);
  address = g_unix_socket_address_new (sock);
  return socket != NULL && g_socket_connect (socket, address, NULL, NULL);
}

void
vl_test_daemon_start (VlTestDaemon *daemon)
{
  g_autofree char *script = g_build_filename (G_TEST_SRCDIR_PATH, "guests", "private-libvirtd.sh", NULL);
  g_autofree char *log = g_build_filename (daemon->dir, "libvirtd.log", NULL);
  g_autofree char *sock = g_build_filename (daemon->dir, "sock", "libvirt-sock", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;

  g_unlink (sock);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  /* unshare execs the script, which execs libvirtd: this subprocess's PID is libvirtd's. */
  daemon->libvirtd = g_subprocess_launcher_spawn (launcher, &error, "unshare", "-m", script, daemon->dir, NULL);
  g_assert_no_error (error);
  g_assert_true (vl_test_wait_until (socket_answers, daemon, 30000));
}

/* Makes the daemon (before it starts) ask for a SASL user name and password (SCRAM-SHA-256, the
 * one user in its own sasldb): private-libvirtd.sh then puts DIR/sasl2 in place of /etc/sasl2
 * inside its namespace and turns on SASL for both sockets. */
void
vl_test_daemon_require_password (VlTestDaemon *daemon, const char *user, const char *password)
{
  g_autofree char *sasl = g_build_filename (daemon->dir, "sasl2", NULL);
  g_autofree char *sasl_conf = g_build_filename (sasl, "libvirt.conf", NULL);
  g_autofree char *db = g_build_filename (daemon->dir, "passwd.db", NULL);
  g_autofree char *contents = g_strdup_printf ("mech_list: scram-sha-256\nsasldb_path: %s\n", db);
  const char *argv[] = { "saslpasswd2", "-p", "-c", "-a", "libvirt", "-f", db, user, NULL };
  g_autoptr(GSubprocess) passwd = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (sasl, 0755);
  g_assert_true (g_file_set_contents (sasl_conf, contents, -1, NULL));
  /* saslpasswd2 -p reads the password from its standard input. */
  passwd = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (passwd, password, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (passwd));
}

void
vl_test_daemon_kill (VlTestDaemon *daemon)
{
  if (daemon->libvirtd == NULL)
    return;
  g_subprocess_send_signal (daemon->libvirtd, SIGKILL);
  g_subprocess_wait (daemon->libvirtd, NULL, NULL);
  g_clear_object (&daemon->libvirtd);
}

void
vl_test_daemon_stop_all (VlTestDaemon *daemon)
{
  g_autofree char *pidfile = g_build_filename (daemon->dir, "virtlogd.pid", NULL);
  g_autofree char *contents = NULL;

  vl_test_daemon_kill (daemon);
  /* virtlogd is ours too: end it by the PID it wrote, and nothing else. */
  if (g_file_get_contents (pidfile, &contents, NULL, NULL) && atoi (contents) > 1)
    kill (atoi (contents), SIGTERM);
}

void
vl_test_daemon_clear (VlTestDaemon *daemon)
{
  g_clear_pointer (&daemon->dir, g_free);
  g_clear_pointer (&daemon->uri, g_free);
}

/* Ends every process a test left in DIR, by the PIDs written there, whether the test passed or not. */
static void
kill_pids_under (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        kill_pids_under (child);
      else if (g_str_has_suffix (name, ".pid") && g_file_get_contents (child, &contents, NULL, NULL)
               && atoi (contents) > 1)
        kill (atoi (contents), SIGKILL);
    }
}

static void
remove_tree (const char *dir)
{
  const char *argv[] = { "rm", "-rf", dir, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
}

/* Runs TEST in a child process with a fresh folder: the embedded driver, once loaded, claims
 * qemu:///system URIs in that process, and a failed assertion must not leave daemons or QEMU
 * behind. QEMU may run as libvirt-qemu, so the folder is world-readable. */
void
vl_test_run_isolated (const char *template, void (*test) (const char *dir))
{
  g_autofree char *made = NULL;

  if (g_test_subprocess ())
    {
      test (g_getenv ("VL_QEMU_TEST_DIR"));
      return;
    }
  made = g_dir_make_tmp (template, NULL);
  g_assert_nonnull (made);
  g_chmod (made, 0755);
  g_setenv ("VL_QEMU_TEST_DIR", made, TRUE);
  g_test_trap_subprocess (NULL, 150 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  kill_pids_under (made);
  remove_tree (made);
  g_test_trap_assert_passed ();
}
