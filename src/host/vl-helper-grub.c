/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The privileged helper's GRUB settings (the Xen plan's write-grub-config and its undo's
 * restore-grub-config): Virtlab's file in /etc/default/grub.d written atomically with the earlier
 * version kept, put back by the undo, and the undo's end that leaves the computer starting without
 * Xen. Only the helper (virtlab-host-helper, as root) links it. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vl-error.h"
#include "vl-helper-grub.h"
#include "vl-install-plan.h"

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
open_grub_config_dir (VlHelperGrub *h, GError **error)
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
gboolean
vl_helper_grub_write (VlHelperGrub *h, const char *name, const char *contents, GError **error)
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
  g_ptr_array_add (h->output, g_strdup (message));
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
find_xen_default_setting (VlHelperGrub *h, int dir_fd)
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
settle_xen_default (VlHelperGrub *h, int dir_fd, GError **error)
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
      g_ptr_array_add (h->output, g_strdup (message));
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
  g_ptr_array_add (h->output, g_strdup (message));
  return TRUE;
}

/* The undo of write_grub_config: NAME~ (the version before Virtlab's) renamed back to NAME; without
 * one, NAME is removed when it is Virtlab's own; with neither there is nothing to undo. A NAME that
 * is not Virtlab's text (changed since, or someone else's) is left alone. */
gboolean
vl_helper_grub_restore (VlHelperGrub *h, const char *name, GError **error)
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
  g_ptr_array_add (h->output, g_strdup (message));
  /* Only after Virtlab's own settings were undone: a system Virtlab did not set up stays as it is. */
  if (undone && h->system->distribution != VL_DISTRIBUTION_FEDORA && !settle_xen_default (h, dir_fd, error))
    {
      close (dir_fd);
      return FALSE;
    }
  close (dir_fd);
  return TRUE;
}
