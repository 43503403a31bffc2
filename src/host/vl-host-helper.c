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
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vl-error.h"
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

/* ---- writing a grub.d file ---------------------------------------------------------------- */

/* Opens (making it if missing) the folder NAME inside the folder at_fd, never through a symbolic
 * link: O_NOFOLLOW makes a link fail with ELOOP, O_DIRECTORY anything that is not a folder. */
static int
open_folder_in (int at_fd, const char *name, const char *shown, GError **error)
{
  int fd = openat (at_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

  if (fd < 0 && errno == ENOENT)
    {
      if (mkdirat (at_fd, name, 0755) != 0 && errno != EEXIST)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("The folder “%s” could not be made: %s"), shown, g_strerror (saved));
          return -1;
        }
      fd = openat (at_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
  if (fd < 0)
    {
      int saved = errno;

      if (saved == ELOOP || saved == ENOTDIR)
        g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION,
                     _("“%s” is a symbolic link or not a folder; nothing was written through it"), shown);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     _("The folder “%s” could not be opened: %s"), shown, g_strerror (saved));
    }
  return fd;
}

static gboolean
write_all (int fd, const char *data, gsize len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* ROOT/etc/default/grub.d opened folder by folder, each relative to the one before, without
 * following links. Returns its descriptor, or -1 with ERROR set. */
static int
open_grub_config_dir (Helper *h, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (VL_GRUB_CONFIG_DIR + 1, "/", -1);
  g_autoptr(GString) shown = g_string_new (NULL);
  int dir_fd;

  /* The root itself is the caller's choice (only "/" through pkexec): it may be reached by links. */
  dir_fd = open (h->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("The root folder “%s” could not be opened: %s"), h->root, g_strerror (saved));
      return -1;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    {
      int next;

      g_string_append_printf (shown, "/%s", parts[i]);
      next = open_folder_in (dir_fd, parts[i], shown->str, error);
      close (dir_fd);
      if (next < 0)
        return -1;
      dir_fd = next;
    }
  return dir_fd;
}

/* CONTENTS written to a new temporary file in DIR_FD beside NAME (0644, synced); its name in *TEMP. */
static gboolean
write_temp_beside (int dir_fd, const char *name, const char *contents, char **temp, GError **error)
{
  int file_fd;

  for (int tries = 0;; tries++)
    {
      g_autofree char *candidate = g_strdup_printf (".%s.%06x", name, g_random_int_range (0, 0xffffff));

      file_fd = openat (dir_fd, candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (file_fd >= 0 || errno != EEXIST || tries > 100)
        {
          *temp = g_steal_pointer (&candidate);
          break;
        }
    }
  if (file_fd < 0 || !write_all (file_fd, contents, strlen (contents)) || fchmod (file_fd, 0644) != 0 ||
      fsync (file_fd) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("“%s/%s” could not be written: %s"),
                   VL_GRUB_CONFIG_DIR, name, g_strerror (saved));
      if (file_fd >= 0)
        {
          close (file_fd);
          unlinkat (dir_fd, *temp, 0);
        }
      g_clear_pointer (temp, g_free);
      return FALSE;
    }
  close (file_fd);
  return TRUE;
}

static gboolean is_virtlab_grub_config (int dir_fd, const char *name);

/* Writes ROOT/etc/default/grub.d/NAME: a temporary file made beside it, the old file kept as
 * NAME~, then renamed. When the old file is Virtlab's own text (the step run again), it is not
 * kept: NAME~ stays the version from before Virtlab. */
static gboolean
write_grub_config (Helper *h, const char *name, const char *contents, GError **error)
{
  g_autofree char *temp = NULL;
  g_autofree char *backup = g_strconcat (name, "~", NULL);
  g_autofree char *message = NULL;
  gboolean had_previous = FALSE;
  struct stat st;
  int dir_fd;

  dir_fd = open_grub_config_dir (h, error);
  if (dir_fd < 0)
    return FALSE;

  if (fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
    {
      if (!S_ISREG (st.st_mode))
        {
          g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION,
                       _("“%s/%s” is not a plain file; it was left alone"), VL_GRUB_CONFIG_DIR, name);
          close (dir_fd);
          return FALSE;
        }
      had_previous = !is_virtlab_grub_config (dir_fd, name);
    }

  if (!write_temp_beside (dir_fd, name, contents, &temp, error))
    {
      close (dir_fd);
      return FALSE;
    }
  /* The previous version stays as NAME~ (a link to it: the name is never missing). */
  if (had_previous)
    {
      unlinkat (dir_fd, backup, 0);
      if (linkat (dir_fd, name, dir_fd, backup, 0) != 0)
        had_previous = FALSE;
    }
  if (renameat (dir_fd, temp, dir_fd, name) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("“%s/%s” could not be written: %s"),
                   VL_GRUB_CONFIG_DIR, name, g_strerror (saved));
      unlinkat (dir_fd, temp, 0);
      close (dir_fd);
      return FALSE;
    }
  close (dir_fd);
  message = had_previous
    ? g_strdup_printf (_("Wrote %s/%s; the previous version is kept as %s~"), VL_GRUB_CONFIG_DIR, name, name)
    : g_strdup_printf (_("Wrote %s/%s"), VL_GRUB_CONFIG_DIR, name);
  say (VL_HELPER_OUTPUT, message);
  return TRUE;
}

/* Whether DIR_FD/NAME is a plain file holding exactly a text Virtlab writes for Xen. */
static gboolean
is_virtlab_grub_config (int dir_fd, const char *name)
{
  char buffer[4096];
  ssize_t n = 0, got;
  int fd = openat (dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  struct stat st;
  gboolean ours;

  if (fd < 0)
    return FALSE;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      return FALSE;
    }
  while (n < (ssize_t) sizeof buffer - 1 && (got = read (fd, buffer + n, sizeof buffer - 1 - n)) > 0)
    n += got;
  close (fd);
  buffer[n] = '\0';
  {
    const char *args[] = { name, buffer, NULL };

    ours = (size_t) n == strlen (buffer) &&
           vl_helper_request_validate (VL_STEP_WRITE_GRUB_CONFIG, args, NULL);
  }
  return ours;
}

/* The text of the plain file NAME under AT_FD (at most 256 KiB, without NUL bytes), or NULL:
 * missing, not a plain file (a FIFO would block), or unreadable. */
static char *
read_small_file (int at_fd, const char *name)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[4096];
  struct stat st;
  ssize_t got;
  int fd = openat (at_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

  if (fd < 0)
    return NULL;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      return NULL;
    }
  while (text->len < 256 * 1024 && (got = read (fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (text, buffer, got);
  close (fd);
  if (strlen (text->str) != text->len)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Which earlier setting sets XEN_OVERRIDE_GRUB_DEFAULT: /etc/default/grub or a grub.d .cfg file
 * other than VL_XEN_UNDO_GRUB_FILE (the first in name order), as a path to show; NULL: none. */
static char *
find_xen_default_setting (Helper *h, int dir_fd)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *grub = NULL;
  struct dirent *entry;
  DIR *dir;
  int root_fd, list_fd;

  root_fd = open (h->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd >= 0)
    {
      grub = read_small_file (root_fd, "etc/default/grub");
      close (root_fd);
      if (grub != NULL && vl_grub_settings_choose_xen_default (grub))
        return g_strdup ("/etc/default/grub");
    }
  list_fd = dup (dir_fd);
  dir = list_fd >= 0 ? fdopendir (list_fd) : NULL;
  if (dir == NULL)
    {
      if (list_fd >= 0)
        close (list_fd);
      return NULL;
    }
  while ((entry = readdir (dir)) != NULL)
    if (entry->d_name[0] != '.' && g_str_has_suffix (entry->d_name, ".cfg") &&
        !g_str_equal (entry->d_name, VL_XEN_UNDO_GRUB_FILE))
      g_ptr_array_add (names, g_strdup (entry->d_name));
  closedir (dir);
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *text = read_small_file (dir_fd, g_ptr_array_index (names, i));

      if (text != NULL && vl_grub_settings_choose_xen_default (text))
        return g_strdup_printf ("%s/%s", VL_GRUB_CONFIG_DIR, (char *) g_ptr_array_index (names, i));
    }
  return NULL;
}

/* The end of the undo (Debian, Ubuntu): the computer starts as it did before Virtlab set up Xen,
 * without Xen by default. Their Xen packages make Xen GRUB's default whenever nothing sets
 * XEN_OVERRIDE_GRUB_DEFAULT; unless an earlier setting does, Virtlab's VL_XEN_UNDO_GRUB_FILE sets
 * it to "0" (the Xen entry stays in the menu). When one does, it decides, and Virtlab's file goes. */
static gboolean
settle_xen_default (Helper *h, int dir_fd, GError **error)
{
  const char *ours = vl_xen_grub_undo_config ();
  g_autofree char *setting = find_xen_default_setting (h, dir_fd);
  g_autofree char *current = read_small_file (dir_fd, VL_XEN_UNDO_GRUB_FILE);
  g_autofree char *message = NULL;
  g_autofree char *temp = NULL;
  gboolean is_ours = current != NULL && g_str_equal (current, ours);
  struct stat st;
  gboolean exists = fstatat (dir_fd, VL_XEN_UNDO_GRUB_FILE, &st, AT_SYMLINK_NOFOLLOW) == 0;

  if (exists && !is_ours)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION,
                   _("“%s/%s” is not the text Virtlab writes; it was left alone, and the Xen packages "
                      "may still make Xen the default boot entry"),
                   VL_GRUB_CONFIG_DIR, VL_XEN_UNDO_GRUB_FILE);
      return FALSE;
    }
  if (setting != NULL)
    {
      if (exists && unlinkat (dir_fd, VL_XEN_UNDO_GRUB_FILE, 0) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("“%s/%s” could not be removed: %s"), VL_GRUB_CONFIG_DIR, VL_XEN_UNDO_GRUB_FILE,
                       g_strerror (saved));
          return FALSE;
        }
      message = g_strdup_printf (_("%s sets XEN_OVERRIDE_GRUB_DEFAULT: the earlier settings choose the "
                                    "default boot entry, as before"),
                                 setting);
      say (VL_HELPER_OUTPUT, message);
      return TRUE;
    }
  if (!exists)
    {
      if (!write_temp_beside (dir_fd, VL_XEN_UNDO_GRUB_FILE, ours, &temp, error))
        return FALSE;
      if (renameat (dir_fd, temp, dir_fd, VL_XEN_UNDO_GRUB_FILE) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("“%s/%s” could not be written: %s"), VL_GRUB_CONFIG_DIR, VL_XEN_UNDO_GRUB_FILE,
                       g_strerror (saved));
          unlinkat (dir_fd, temp, 0);
          return FALSE;
        }
    }
  message = g_strdup_printf (_("Wrote %s/%s: the computer starts without Xen by default; the Xen entry "
                                "stays in the boot menu"),
                             VL_GRUB_CONFIG_DIR, VL_XEN_UNDO_GRUB_FILE);
  say (VL_HELPER_OUTPUT, message);
  return TRUE;
}

/* The undo of write_grub_config: NAME~ (the version before Virtlab's) renamed back to NAME; without
 * one, NAME is removed when it is Virtlab's own; with neither there is nothing to undo. A NAME that
 * is not Virtlab's text (changed since, or someone else's) is left alone. */
static gboolean
restore_grub_config (Helper *h, const char *name, GError **error)
{
  g_autofree char *backup = g_strconcat (name, "~", NULL);
  g_autofree char *message = NULL;
  struct stat st;
  gboolean has_name, undone = FALSE;
  int dir_fd, saved = 0;

  dir_fd = open_grub_config_dir (h, error);
  if (dir_fd < 0)
    return FALSE;
  has_name = fstatat (dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
  if (has_name && !is_virtlab_grub_config (dir_fd, name))
    {
      if (fstatat (dir_fd, backup, &st, AT_SYMLINK_NOFOLLOW) == 0)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION,
                       _("“%s/%s” is not the text Virtlab wrote (changed since?); it was left alone, and "
                          "so was %s~"),
                       VL_GRUB_CONFIG_DIR, name, name);
          close (dir_fd);
          return FALSE;
        }
      message = g_strdup_printf (_("%s/%s is not Virtlab’s: nothing to undo"), VL_GRUB_CONFIG_DIR, name);
    }
  else if (fstatat (dir_fd, backup, &st, AT_SYMLINK_NOFOLLOW) == 0)
    {
      if (!S_ISREG (st.st_mode))
        {
          g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION,
                       _("“%s/%s” is not a plain file; it was left alone"), VL_GRUB_CONFIG_DIR, backup);
          close (dir_fd);
          return FALSE;
        }
      if (renameat (dir_fd, backup, dir_fd, name) != 0)
        saved = errno;
      else
        message = g_strdup_printf (_("Put back the earlier %s/%s (it was kept as %s~)"), VL_GRUB_CONFIG_DIR,
                                   name, name);
      undone = TRUE;
    }
  else if (has_name)
    {
      if (unlinkat (dir_fd, name, 0) != 0)
        saved = errno;
      else
        message = g_strdup_printf (_("Removed %s/%s (there was no earlier version)"), VL_GRUB_CONFIG_DIR,
                                   name);
      undone = TRUE;
    }
  else
    message = g_strdup_printf (_("%s/%s is not there: nothing to undo"), VL_GRUB_CONFIG_DIR, name);
  if (saved != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("“%s/%s” could not be put back: %s"),
                   VL_GRUB_CONFIG_DIR, name, g_strerror (saved));
      close (dir_fd);
      return FALSE;
    }
  say (VL_HELPER_OUTPUT, message);
  /* Only after Virtlab's own settings were undone: a system Virtlab did not set up stays as it is. */
  if (undone && h->system.distribution != VL_DISTRIBUTION_FEDORA && !settle_xen_default (h, dir_fd, error))
    {
      close (dir_fd);
      return FALSE;
    }
  close (dir_fd);
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
      gboolean done = request->kind == VL_STEP_WRITE_GRUB_CONFIG
                        ? write_grub_config (h, request->args[0], request->args[1], &error)
                        : restore_grub_config (h, request->args[0], &error);

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
