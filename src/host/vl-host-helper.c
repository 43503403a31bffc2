/* SPDX-License-Identifier: GPL-3.0-or-later */
/* virtlab-host-helper: the only code that runs as root; runs known, validated set-up steps. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "vl-error.h"
#include "vl-helper-grub.h"
#include "vl-helper-request.h"
#include "vl-host-probe.h"
#include "vl-install-plan.h"

/* Requests are read in pieces of this size; a line longer than VL_HELPER_MAX_REQUEST is refused
 * as soon as that much of it has arrived, and the rest of it is read and dropped, never kept. */
#define READ_CHUNK (16 * 1024)

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
  GInputStream     *requests;
  guint8            chunk[READ_CHUNK];
  GByteArray       *line;          /* the request read so far */
  gboolean          skipping;      /* dropping the rest of a refused, too long line */

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

/* ---- checks that need the system, not just the text --------------------------------------- */

static gboolean
check_user (Helper *h, const char *user, GError **error)
{
  g_autofree char *passwd_path = g_build_filename (h->root, "etc/passwd", NULL);
  g_autofree char *passwd = NULL;
  g_auto(GStrv) lines = NULL;
  const char *pkexec_uid = g_getenv ("PKEXEC_UID");

  /* Only a regular file is read: a FIFO there (a --root test tree) would block the helper. */
  if (!g_file_test (passwd_path, G_FILE_TEST_IS_REGULAR) ||
      !g_file_get_contents (passwd_path, &passwd, NULL, NULL))
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
  g_autofree char *status_option = g_strdup_printf ("APT::Status-Fd=%d", VL_APT_STATUS_FD);
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
  /* Only apt-get takes apt's options: the step's "dpkg --configure --pending" stopped with "dpkg:
   * error: unknown option -o" when it got them (seen in a real Debian 12, tests/install/). */
  with_status = h->request->kind == VL_STEP_INSTALL_PACKAGES &&
                h->system.distribution != VL_DISTRIBUTION_FEDORA && g_str_equal (command[0], "apt-get");
  for (guint i = 0; command[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (gpointer) command[i]);
      /* "apt-get install --yes": apt's progress goes to the status pipe; the plan and the
       * "command" line show the command without it, as the user would type it. */
      if (with_status && i == 2)
        {
          g_ptr_array_add (argv, (gpointer) "-o");
          g_ptr_array_add (argv, status_option);
        }
    }
  g_ptr_array_add (argv, NULL);

  /* The requests come on our stdin: the command gets its own, closed at once. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_environ (launcher, (char **) child_environment);
  g_subprocess_launcher_set_cwd (launcher, "/");
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

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
start_step (Helper *h, const char *line, gsize length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHelperRequest) request = vl_helper_request_parse (line, length, &error);

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
  if (request->kind == VL_STEP_WRITE_GRUB_CONFIG || request->kind == VL_STEP_RESTORE_GRUB_CONFIG)
    {
      g_autoptr(GPtrArray) output = g_ptr_array_new_with_free_func (g_free);
      VlHelperGrub grub = { h->root, &h->system, output };
      gboolean done = request->kind == VL_STEP_WRITE_GRUB_CONFIG
                        ? vl_helper_grub_write (&grub, request->args[0], request->args[1], &error)
                        : vl_helper_grub_restore (&grub, request->args[0], &error);

      for (guint i = 0; i < output->len; i++)
        say (VL_HELPER_OUTPUT, g_ptr_array_index (output, i));
      if (!done)
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
handle_line (Helper *h, const char *line, gsize length)
{
  if (length == strlen (VL_HELPER_CANCEL) && memcmp (line, VL_HELPER_CANCEL, length) == 0)
    cancel_step (h);
  else if (h->request != NULL)
    say (VL_HELPER_REFUSED, _("A step is already running"));
  else
    start_step (h, line, length);
}

static void
input_closed (Helper *h)
{
  /* The app went away: stop what runs, then leave. */
  h->input_closed = TRUE;
  if (h->request == NULL)
    g_main_loop_quit (h->loop);
  else
    cancel_step (h);
}

/* Splits what arrived into lines by hand, with their lengths (a NUL is refused, not an end), and
 * never keeps more than VL_HELPER_MAX_REQUEST bytes of a line. */
static void
request_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Helper *h = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
  const guint8 *p = h->chunk, *end;

  if (n <= 0)
    {
      /* A last line without a newline is still a request. */
      if (h->line->len > 0 && !h->skipping)
        {
          g_byte_array_append (h->line, (const guint8 *) "", 1);
          handle_line (h, (const char *) h->line->data, h->line->len - 1);
        }
      g_byte_array_set_size (h->line, 0);
      input_closed (h);
      return;
    }
  end = h->chunk + n;
  while (p < end)
    {
      const guint8 *newline = memchr (p, '\n', end - p);
      const guint8 *stop = newline != NULL ? newline : end;

      if (!h->skipping)
        {
          if (h->line->len + (gsize) (stop - p) > VL_HELPER_MAX_REQUEST)
            {
              g_autofree char *message = g_strdup_printf (_("The request is longer than %d bytes"),
                                                          VL_HELPER_MAX_REQUEST);
              say (VL_HELPER_REFUSED, message);
              g_byte_array_set_size (h->line, 0);
              h->skipping = TRUE;
            }
          else
            g_byte_array_append (h->line, p, stop - p);
        }
      if (newline == NULL)
        break;
      if (!h->skipping)
        {
          gsize length = h->line->len;

          g_byte_array_append (h->line, (const guint8 *) "", 1);
          handle_line (h, (const char *) h->line->data, length);
        }
      g_byte_array_set_size (h->line, 0);
      h->skipping = FALSE;
      p = newline + 1;
    }
  g_input_stream_read_async (h->requests, h->chunk, sizeof h->chunk, G_PRIORITY_DEFAULT, NULL,
                             request_read, h);
}

int
main (int argc, char **argv)
{
  g_autofree char *root = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHostReport) report = NULL;
  g_autofree char *root_path = NULL;   /* h.root: freed on every return */
  g_autoptr(GByteArray) line = g_byte_array_sized_new (256);
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

  root_path = g_strdup (root ?: "/");
  h.root = root_path;
  h.line = line;
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
  h.requests = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  say (VL_HELPER_READY, vl_distribution_to_string (h.system.distribution));
  g_input_stream_read_async (h.requests, h.chunk, sizeof h.chunk, G_PRIORITY_DEFAULT, NULL, request_read, &h);
  g_main_loop_run (h.loop);

  g_clear_object (&h.requests);
  g_main_loop_unref (h.loop);
  return 0;
}
