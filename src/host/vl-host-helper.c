/* SPDX-License-Identifier: GPL-3.0-or-later */
/* virtlab-host-helper: the only code that runs as root; runs known, validated set-up steps. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vl-error.h"
#include "vl-helper-request.h"
#include "vl-host-probe.h"
#include "vl-install-plan.h"

/* A longer line is no request of ours; reading it whole would only cost memory. */
#define MAX_REQUEST_LINE (64 * 1024)

/* A fixed environment: nothing the caller set (PATH, LD_PRELOAD, APT_CONFIG…) reaches root. */
static const char *const child_environment[] = {
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  "LC_ALL=C.UTF-8",
  "DEBIAN_FRONTEND=noninteractive",
  "APT_LISTCHANGES_FRONTEND=none",
  NULL
};

typedef struct {
  GMainLoop        *loop;
  char             *root;          /* "/" in production; a test's folder with --root */
  gboolean          chroot_mode;
  VlHelperSystem    system;
  GDataInputStream *requests;

  /* The step being run. */
  VlHelperRequest  *request;
  GPtrArray        *commands;
  guint             next_command;
  GSubprocess      *child;
  int               pending;       /* outstanding reads and the wait of the running command */
  gboolean          cancelled;
  gboolean          input_closed;
} Helper;

static void run_next_command (Helper *h);

/* One protocol line; embedded newlines would split a message into two answers. */
static void
say (const char *word, const char *text)
{
  if (text == NULL)
    g_print ("%s\n", word);
  else
    {
      g_autofree char *flat = g_strdelimit (g_strdup (text), "\r\n", ' ');
      g_print ("%s %s\n", word, flat);
    }
  fflush (stdout);
}

static void
finish_step (Helper *h, const char *word, const char *message)
{
  say (word, message);
  g_clear_pointer (&h->request, vl_helper_request_free);
  g_clear_pointer (&h->commands, g_ptr_array_unref);
  g_clear_object (&h->child);
  h->cancelled = FALSE;
  if (h->input_closed)
    g_main_loop_quit (h->loop);
}

/* ---- writing a grub.d file ---------------------------------------------------------------- */

static gboolean
write_grub_config (Helper *h, const char *name, const char *contents, GError **error)
{
  g_autofree char *dir = g_build_filename (h->root, VL_GRUB_CONFIG_DIR, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *message = NULL;
  gboolean had_previous;
  struct stat st;

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("The folder “%s” could not be made: %s"),
                   VL_GRUB_CONFIG_DIR, g_strerror (saved));
      return FALSE;
    }
  /* A link would let the write land outside grub.d. */
  if (g_lstat (dir, &st) != 0 || !S_ISDIR (st.st_mode) ||
      (g_lstat (path, &st) == 0 && !S_ISREG (st.st_mode)))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION,
                   _("“%s/%s” is not a plain file in a plain folder; it was left alone"),
                   VL_GRUB_CONFIG_DIR, name);
      return FALSE;
    }
  had_previous = g_file_test (path, G_FILE_TEST_EXISTS);
  /* GIO writes a temporary file and renames it over the old one, which it keeps as NAME~. */
  if (!g_file_replace_contents (file, contents, strlen (contents), NULL, TRUE, G_FILE_CREATE_NONE,
                                NULL, NULL, error))
    return FALSE;
  g_chmod (path, 0644);
  message = had_previous
    ? g_strdup_printf (_("Wrote %s/%s; the previous version is kept as %s~"), VL_GRUB_CONFIG_DIR, name, name)
    : g_strdup_printf (_("Wrote %s/%s"), VL_GRUB_CONFIG_DIR, name);
  say (VL_HELPER_OUTPUT, message);
  return TRUE;
}

/* ---- checks that need the system, not just the text --------------------------------------- */

static gboolean
check_user (Helper *h, const char *user, GError **error)
{
  g_autofree char *passwd_path = g_build_filename (h->root, "etc/passwd", NULL);
  g_autofree char *passwd = NULL;
  g_auto(GStrv) lines = NULL;
  const char *pkexec_uid = g_getenv ("PKEXEC_UID");

  if (!g_file_get_contents (passwd_path, &passwd, NULL, NULL))
    passwd = g_strdup ("");
  lines = g_strsplit (passwd, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ":", 4);

      if (g_strv_length (fields) < 3 || g_strcmp0 (fields[0], user) != 0)
        continue;
      /* Through pkexec, a user may give access to themselves only. */
      if (pkexec_uid != NULL && g_strcmp0 (fields[2], pkexec_uid) != 0)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION,
                       _("Only the user who asked may be added to a group, not “%s”"), user);
          return FALSE;
        }
      return TRUE;
    }
  g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("There is no user “%s” on this system"), user);
  return FALSE;
}

/* Only the packages of Virtlab's own plans for this distribution: an authorization kept by
 * polkit for a few minutes must not become "install anything". */
static gboolean
check_packages (Helper *h, const char *const *packages, GError **error)
{
  const char *const *kvm = vl_install_plan_packages (VL_TARGET_KVM, h->system.distribution);
  const char *const *xen = vl_install_plan_packages (VL_TARGET_XEN, h->system.distribution);

  for (guint i = 0; packages[i] != NULL; i++)
    if (!g_strv_contains (kvm, packages[i]) && !g_strv_contains (xen, packages[i]))
      {
        g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION,
                     _("“%s” is not a package of a KVM host or a Xen dom0"), packages[i]);
        return FALSE;
      }
  return TRUE;
}

/* ---- running commands --------------------------------------------------------------------- */

static void
child_setup (gpointer data)
{
  /* Its own process group, so that Cancel stops apt-get and the dpkg it started. */
  setpgid (0, 0);
}

static void
part_done (Helper *h)
{
  if (--h->pending > 0)
    return;
  if (h->cancelled)
    {
      finish_step (h, VL_HELPER_CANCELLED, NULL);
      return;
    }
  if (!g_subprocess_get_successful (h->child))
    {
      g_autofree char *command = vl_command_to_string (g_ptr_array_index (h->commands, h->next_command - 1));
      g_autofree char *message = NULL;

      if (g_subprocess_get_if_exited (h->child))
        message = g_strdup_printf (_("“%s” failed with exit status %d"), command,
                                   g_subprocess_get_exit_status (h->child));
      else
        message = g_strdup_printf (_("“%s” was stopped by signal %d"), command,
                                   g_subprocess_get_term_sig (h->child));
      finish_step (h, VL_HELPER_STEP_FAILED, message);
      return;
    }
  g_clear_object (&h->child);
  run_next_command (h);
}

static void
output_line_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Helper *h = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                                     NULL, NULL);
  if (line == NULL)
    {
      g_object_unref (source);
      part_done (h);
      return;
    }
  say (VL_HELPER_OUTPUT, line);
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL,
                                       output_line_read, h);
}

/* apt's status lines: "pmstatus:PACKAGE:PERCENT:TEXT" while installing, "dlstatus:…" while
 * downloading. Downloading counts as the first half of the step. */
static void
status_line_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Helper *h = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                                     NULL, NULL);
  g_auto(GStrv) fields = NULL;

  if (line == NULL)
    {
      g_object_unref (source);
      part_done (h);
      return;
    }
  fields = g_strsplit (line, ":", 4);
  if (g_strv_length (fields) == 4 &&
      (g_str_equal (fields[0], "pmstatus") || g_str_equal (fields[0], "dlstatus")))
    {
      double percent = g_ascii_strtod (fields[2], NULL);
      g_autofree char *text = NULL;

      percent = g_str_equal (fields[0], "dlstatus") ? percent / 2 : 50 + percent / 2;
      text = g_strdup_printf ("%.1f %s", CLAMP (percent, 0, 100), fields[3]);
      say (VL_HELPER_PROGRESS, text);
    }
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL,
                                       status_line_read, h);
}

static void
child_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Helper *h = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  part_done (h);
}

static GDataInputStream *
line_reader (GInputStream *base)
{
  GDataInputStream *data = g_data_input_stream_new (base);

  g_data_input_stream_set_newline_type (data, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  return data;
}

static void
run_next_command (Helper *h)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  const char *const *command;
  gboolean with_status = FALSE;
  int status_pipe[2] = { -1, -1 };

  if (h->next_command >= h->commands->len)
    {
      finish_step (h, VL_HELPER_STEP_DONE, NULL);
      return;
    }
  command = g_ptr_array_index (h->commands, h->next_command++);
  shown = vl_command_to_string (command);
  say (VL_HELPER_COMMAND, shown);

  if (h->chroot_mode)
    {
      g_ptr_array_add (argv, (gpointer) "chroot");
      g_ptr_array_add (argv, h->root);
    }
  for (guint i = 0; command[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) command[i]);
  g_ptr_array_add (argv, NULL);

  /* The requests come on our stdin: the command gets its own, closed at once. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_environ (launcher, (char **) child_environment);
  g_subprocess_launcher_set_cwd (launcher, "/");
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  with_status = h->request->kind == VL_STEP_INSTALL_PACKAGES && h->system.distribution != VL_DISTRIBUTION_FEDORA;
  if (with_status)
    {
      if (!g_unix_open_pipe (status_pipe, FD_CLOEXEC, &error))
        {
          finish_step (h, VL_HELPER_STEP_FAILED, error->message);
          return;
        }
      g_subprocess_launcher_take_fd (launcher, status_pipe[1], VL_APT_STATUS_FD);
    }

  h->child = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  /* Dropping the launcher closes our copy of the write end, so the status pipe ends with apt. */
  g_clear_object (&launcher);
  if (h->child == NULL)
    {
      if (status_pipe[0] >= 0)
        close (status_pipe[0]);
      finish_step (h, VL_HELPER_STEP_FAILED, error->message);
      return;
    }
  g_output_stream_close (g_subprocess_get_stdin_pipe (h->child), NULL, NULL);

  h->pending = 2;
  g_subprocess_wait_async (h->child, NULL, child_exited, h);
  g_data_input_stream_read_line_async (line_reader (g_subprocess_get_stdout_pipe (h->child)),
                                       G_PRIORITY_DEFAULT, NULL, output_line_read, h);
  if (with_status)
    {
      g_autoptr(GInputStream) status = g_unix_input_stream_new (status_pipe[0], TRUE);

      h->pending++;
      g_data_input_stream_read_line_async (line_reader (status), G_PRIORITY_DEFAULT, NULL,
                                           status_line_read, h);
    }
}

/* A command that ignores SIGTERM for five seconds is killed. */
static gboolean
kill_stubborn_child (gpointer data)
{
  GSubprocess *child = data;
  const char *id = g_subprocess_get_identifier (child);

  if (id != NULL)
    kill (-(pid_t) g_ascii_strtoll (id, NULL, 10), SIGKILL);
  return G_SOURCE_REMOVE;
}

static void
cancel_step (Helper *h)
{
  const char *id;

  if (h->child == NULL || h->cancelled)
    return;
  h->cancelled = TRUE;
  id = g_subprocess_get_identifier (h->child);
  if (id != NULL)
    {
      kill (-(pid_t) g_ascii_strtoll (id, NULL, 10), SIGTERM);
      g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, 5, kill_stubborn_child, g_object_ref (h->child),
                                  g_object_unref);
    }
}

static void
start_step (Helper *h, const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHelperRequest) request = vl_helper_request_parse (line, &error);

  if (request == NULL)
    {
      say (VL_HELPER_REFUSED, error->message);
      return;
    }
  if ((request->kind == VL_STEP_ADD_USER_TO_GROUP && !check_user (h, request->args[0], &error)) ||
      (request->kind == VL_STEP_INSTALL_PACKAGES &&
       !check_packages (h, (const char *const *) request->args, &error)))
    {
      say (VL_HELPER_REFUSED, error->message);
      return;
    }

  say (VL_HELPER_STEP_START, vl_step_kind_to_string (request->kind));
  if (request->kind == VL_STEP_WRITE_GRUB_CONFIG)
    {
      if (!write_grub_config (h, request->args[0], request->args[1], &error))
        say (VL_HELPER_STEP_FAILED, error->message);
      else
        say (VL_HELPER_STEP_DONE, NULL);
      return;
    }
  h->commands = vl_helper_request_commands (request, &h->system);
  h->request = g_steal_pointer (&request);
  h->next_command = 0;
  run_next_command (h);
}

static void
request_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Helper *h = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result,
                                                                NULL, &error);

  if (line == NULL)
    {
      /* The app went away: stop what runs, then leave. */
      h->input_closed = TRUE;
      if (h->request == NULL)
        g_main_loop_quit (h->loop);
      else
        cancel_step (h);
      return;
    }
  if (strlen (line) > MAX_REQUEST_LINE)
    say (VL_HELPER_REFUSED, _("The request is too long"));
  else if (g_str_equal (line, VL_HELPER_CANCEL))
    cancel_step (h);
  else if (h->request != NULL)
    say (VL_HELPER_REFUSED, _("A step is already running"));
  else
    start_step (h, line);
  g_data_input_stream_read_line_async (h->requests, G_PRIORITY_DEFAULT, NULL, request_read, h);
}

int
main (int argc, char **argv)
{
  g_autofree char *root = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHostReport) report = NULL;
  g_autoptr(GInputStream) in = NULL;
  VlHostUser user = { 0, (char *) "root", NULL, 0 };
  Helper h = { 0 };
  GOptionEntry entries[] = {
    { "root", 0, 0, G_OPTION_ARG_FILENAME, &root,
      N_("Work on the system installed in this folder, running commands through chroot"), N_("DIR") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  signal (SIGPIPE, SIG_IGN);

  context = g_option_context_new (_("— run Virtlab’s host set-up steps read from standard input"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  /* Through pkexec the caller is not trusted: a root of their choosing would let them run their
   * own programs as root through chroot. */
  if (root != NULL && g_getenv ("PKEXEC_UID") != NULL)
    {
      g_printerr ("%s\n", _("--root cannot be used through pkexec"));
      return 2;
    }
  if (root == NULL && geteuid () != 0)
    {
      g_printerr ("%s\n", _("The host helper must run as root (through pkexec)"));
      return 1;
    }
  if (root != NULL && !g_path_is_absolute (root))
    {
      g_printerr (_("The root folder “%s” must be an absolute path\n"), root);
      return 2;
    }

  h.root = g_strdup (root ?: "/");
  h.chroot_mode = root != NULL && !g_str_equal (root, "/");
  report = vl_host_probe (h.root, &user, &error);
  if (report == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (report->distribution == VL_DISTRIBUTION_UNKNOWN)
    {
      g_printerr (_("The distribution of “%s” is not Debian, Ubuntu or Fedora\n"), h.root);
      return 1;
    }
  h.system.distribution = report->distribution;
  h.system.has_systemd = report->has_systemd;
  h.system.init_system = report->init_system;

  g_setenv ("PATH", child_environment[0] + strlen ("PATH="), TRUE);
  h.loop = g_main_loop_new (NULL, FALSE);
  in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  h.requests = g_data_input_stream_new (in);
  say (VL_HELPER_READY, vl_distribution_to_string (h.system.distribution));
  g_data_input_stream_read_line_async (h.requests, G_PRIORITY_DEFAULT, NULL, request_read, &h);
  g_main_loop_run (h.loop);

  g_clear_object (&h.requests);
  g_main_loop_unref (h.loop);
  g_free (h.root);
  return 0;
}
