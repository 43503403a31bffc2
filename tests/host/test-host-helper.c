/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real privileged helper against hostile requests: each refused with a message that names what is
 * wrong, nothing run, nothing written (the whole target tree and a folder outside it are compared
 * before and after), a request too long refused while it is read, no leak on its early exits. */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host-test-root.h"
#include "vl-helper-request.h"

/* What the target tree looks like before a request: the path tricks need links and odd files. */
typedef enum {
  SETUP_NONE,
  SETUP_LINK_ETC,          /* etc -> OUTSIDE/etc (a copy of the real one) */
  SETUP_LINK_DEFAULT,      /* etc/default -> OUTSIDE */
  SETUP_LINK_DEFAULT_REL,  /* etc/default -> ../../OUTSIDE-NAME, relative */
  SETUP_LINK_GRUB_D,       /* etc/default/grub.d -> OUTSIDE */
  SETUP_LINK_FILE,         /* etc/default/grub.d/virtlab-xen.cfg -> OUTSIDE/target.cfg */
  SETUP_FIFO_FILE,         /* etc/default/grub.d/virtlab-xen.cfg is a FIFO */
  SETUP_GRUB_D_FILE,       /* etc/default/grub.d is a plain file */
  SETUP_DEFAULT_FILE,      /* etc/default is a plain file */
} Setup;

/* Requests too long to write out in the table. */
typedef enum {
  LONG_NONE,
  LONG_LINE,               /* 64 KiB + 1 of package names */
  LONG_PACKAGE_LIST,       /* 65 known packages */
  LONG_PACKAGE_NAME,       /* a 129-byte package name */
  LONG_GRUB_FILE,          /* the plan's file with 4000 comment lines after it */
} Long;

typedef struct {
  const char *line;          /* the request; "%s" is replaced by the base64 of .contents */
  gsize       length;
  const char *contents;      /* VALID: the file the Xen plan writes */
  gsize       contents_length;
  Setup       setup;
  Long        longer;
  const char *message_part;  /* the answer must name what is wrong */
} Hostile;

#define B(s) s, sizeof (s) - 1
#define NO_CONTENTS NULL, 0
#define VALID "@valid", 0
#define GRUB(s) B ("write-grub-config\tvirtlab-xen.cfg\t%s"), B (s)
#define PLAN_LINES "# Written by Virtlab: boot the Xen hypervisor by default, with a fixed memory size for dom0.\n" \
                   "XEN_OVERRIDE_GRUB_DEFAULT=\"1\"\n"

static const Hostile hostile[] = {
  /* NUL bytes: the part before one is a valid request and must not run. */
  { B ("load-module\tkvm_amd\0;touch /pwned"), NO_CONTENTS, 0, 0, "control byte 0x00" },
  { B ("install-packages\tqemu-utils\0\topenssh-server"), NO_CONTENTS, 0, 0, "control byte 0x00" },
  { B ("update-grub\0\t--output=/etc/shadow"), NO_CONTENTS, 0, 0, "control byte 0x00" },
  { B ("enable-service\tlibvirtd\0sshd"), NO_CONTENTS, 0, 0, "control byte 0x00" },
  { B ("add-user-to-group\talice\tlibvirt\0\tsudo"), NO_CONTENTS, 0, 0, "control byte 0x00" },
  { B ("\0load-module\tkvm_amd"), NO_CONTENTS, 0, 0, "control byte 0x00 at byte 1" },
  { B ("write-grub-config\tvirtlab-xen.cfg\0.sh\t%s"), VALID, 0, 0, "control byte 0x00" },
  { GRUB (PLAN_LINES "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M,max:2048M\"\0\ninit=/bin/sh\n"), 0, 0,
    "not valid base64 text" },
  /* Other control bytes and bytes that are not text. */
  { B ("load-module\tkvm_amd\r"), NO_CONTENTS, 0, 0, "control byte 0x0d" },
  { B ("install-packages\tqemu-utils\x1b[2J"), NO_CONTENTS, 0, 0, "control byte 0x1b" },
  { B ("enable-service\tlibvirtd\x7f"), NO_CONTENTS, 0, 0, "control byte 0x7f" },
  { B ("add-user-to-group\talice\b\b\b\b\broot\tlibvirt"), NO_CONTENTS, 0, 0, "control byte 0x08" },
  { B ("load-module\tkvm_amd\v"), NO_CONTENTS, 0, 0, "control byte 0x0b" },
  { B ("install-packages\tqemu-utils\xff\xfe"), NO_CONTENTS, 0, 0, "not UTF-8" },
  { GRUB (PLAN_LINES "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M,max:2048M\x1b\"\n"), 0, 0, "\\033" },
  /* Too long or too many. */
  { B (""), NO_CONTENTS, 0, LONG_LINE, "longer than 65536 bytes" },
  { B (""), NO_CONTENTS, 0, LONG_PACKAGE_LIST, "takes 1 to 64 arguments, not 65" },
  { B (""), NO_CONTENTS, 0, LONG_PACKAGE_NAME, "is not a package name" },
  { B (""), NO_CONTENTS, 0, LONG_GRUB_FILE, "Line 4 of the boot settings" },
  /* Steps the helper does not know. */
  { B ("run-command\t/bin/sh\t-c\ttouch /pwned"), NO_CONTENTS, 0, 0, "Unknown step “run-command”" },
  { B ("reboot"), NO_CONTENTS, 0, 0, "Unknown step “reboot”" },
  { B ("apt-get install evil"), NO_CONTENTS, 0, 0, "apt-get install evil" },
  { B (""), NO_CONTENTS, 0, 0, "Unknown step “”" },
  { B ("LOAD-MODULE\tkvm_amd"), NO_CONTENTS, 0, 0, "LOAD-MODULE" },
  { B (" load-module\tkvm_amd"), NO_CONTENTS, 0, 0, "“ load-module”" },
  { B ("load-module kvm_amd"), NO_CONTENTS, 0, 0, "“load-module kvm_amd”" },
  /* Packages: options, version and release selectors, files, removals, other packages. */
  { B ("install-packages\t-o\tAPT::Update::Pre-Invoke::=touch /pwned"), NO_CONTENTS, 0, 0,
    "“-o” is not a package" },
  { B ("install-packages\t-oAPT::Update::Pre-Invoke::=touch /pwned"), NO_CONTENTS, 0, 0, "-oAPT::Update" },
  { B ("install-packages\t--\tqemu-utils"), NO_CONTENTS, 0, 0, "“--” is not a package" },
  { B ("install-packages\t--allow-unauthenticated"), NO_CONTENTS, 0, 0, "--allow-unauthenticated" },
  { B ("install-packages\tqemu-utils\tlibvirt-clients-"), NO_CONTENTS, 0, 0, "libvirt-clients-" },
  { B ("install-packages\t./evil.deb"), NO_CONTENTS, 0, 0, "./evil.deb" },
  { B ("install-packages\tqemu=1:7.2"), NO_CONTENTS, 0, 0, "qemu=1:7.2" },
  { B ("install-packages\tqemu/unstable"), NO_CONTENTS, 0, 0, "qemu/unstable" },
  { B ("install-packages\tqemu*"), NO_CONTENTS, 0, 0, "qemu*" },
  { B ("install-packages\tqemu utils"), NO_CONTENTS, 0, 0, "qemu utils" },
  { B ("install-packages"), NO_CONTENTS, 0, 0, "install-packages" },
  { B ("install-packages\t"), NO_CONTENTS, 0, 0, "“” is not a package" },
  { B ("install-packages\tqemu-utils\tsl"), NO_CONTENTS, 0, 0, "“sl” is not a package of a KVM host" },
  { B ("install-packages\topenssh-server"), NO_CONTENTS, 0, 0, "openssh-server" },
  { B ("refresh-packages\t-o\tAcquire::http::Proxy=http://evil"), NO_CONTENTS, 0, 0, "refresh-packages" },
  /* Kernel modules. */
  { B ("load-module\tevil"), NO_CONTENTS, 0, 0, "“evil”" },
  { B ("load-module\tkvm\textra"), NO_CONTENTS, 0, 0, "load-module" },
  { B ("load-module\t../../tmp/evil.ko"), NO_CONTENTS, 0, 0, "../../tmp/evil.ko" },
  { B ("load-module\t--remove"), NO_CONTENTS, 0, 0, "--remove" },
  { B ("load-module\tkvm_amd nested=1"), NO_CONTENTS, 0, 0, "kvm_amd nested=1" },
  { B ("load-module\t-r\tkvm"), NO_CONTENTS, 0, 0, "load-module" },
  /* Services. */
  { B ("enable-service\tsshd"), NO_CONTENTS, 0, 0, "sshd" },
  { B ("enable-service\tlibvirtd;reboot"), NO_CONTENTS, 0, 0, "libvirtd;reboot" },
  { B ("enable-service\t../../bin/sh"), NO_CONTENTS, 0, 0, "../../bin/sh" },
  { B ("enable-service\t--now"), NO_CONTENTS, 0, 0, "--now" },
  { B ("enable-service\tlibvirtd\tsshd"), NO_CONTENTS, 0, 0, "enable-service" },
  /* Users and groups. */
  { B ("add-user-to-group\troot\tlibvirt"), NO_CONTENTS, 0, 0, "root" },
  { B ("add-user-to-group\talice\tsudo"), NO_CONTENTS, 0, 0, "sudo" },
  { B ("add-user-to-group\t-oalice\tlibvirt"), NO_CONTENTS, 0, 0, "-oalice" },
  { B ("add-user-to-group\tmallory\tlibvirt"), NO_CONTENTS, 0, 0, "mallory" },
  { B ("add-user-to-group\talice\tlibvirt\textra"), NO_CONTENTS, 0, 0, "add-user-to-group" },
  /* Steps without arguments given some. */
  { B ("update-grub\t--output=/etc/shadow"), NO_CONTENTS, 0, 0, "update-grub" },
  { B ("define-storage-pool\t/etc"), NO_CONTENTS, 0, 0, "define-storage-pool" },
  /* The benchmark image: the installed script into the fixed cache, nothing of the caller's. */
  { B ("bench-image\t--cache\t/etc"), NO_CONTENTS, 0, 0, "“bench-image” takes 0 to 0 arguments, not 2" },
  { B ("bench-image\t/tmp/evil.sh"), NO_CONTENTS, 0, 0, "bench-image" },
  { B ("bench-image\t"), NO_CONTENTS, 0, 0, "bench-image" },
  { B ("bench-image\0\t--shared\t/"), NO_CONTENTS, 0, 0, "control byte 0x00" },
  /* The GRUB file's name: only virtlab-xen.cfg. */
  { B ("write-grub-config\t../../etc/passwd\t%s"), VALID, 0, 0, "../../etc/passwd" },
  { B ("write-grub-config\tx.cfg\t%s"), VALID, 0, 0, "“x.cfg” is not the file" },
  { B ("write-grub-config\t..cfg\t%s"), VALID, 0, 0, "..cfg" },
  { B ("write-grub-config\tsub/virtlab-xen.cfg\t%s"), VALID, 0, 0, "sub/virtlab-xen.cfg" },
  { B ("write-grub-config\tvirtlab-xen.cfg~\t%s"), VALID, 0, 0, "virtlab-xen.cfg~" },
  { B ("write-grub-config\t/etc/default/grub.d/virtlab-xen.cfg\t%s"), VALID, 0, 0,
    "/etc/default/grub.d/virtlab-xen.cfg" },
  { B ("write-grub-config\t00_header\t%s"), VALID, 0, 0, "00_header" },
  /* Its undo: the same one name, nothing else. */
  { B ("restore-grub-config\t00_header"), NO_CONTENTS, 0, 0, "00_header" },
  { B ("restore-grub-config\t../../etc/passwd"), NO_CONTENTS, 0, 0, "../../etc/passwd" },
  { B ("restore-grub-config\tvirtlab-xen.cfg~"), NO_CONTENTS, 0, 0, "virtlab-xen.cfg~" },
  { B ("restore-grub-config"), NO_CONTENTS, 0, 0, "restore-grub-config" },
  { B ("restore-grub-config\tvirtlab-xen.cfg\textra"), NO_CONTENTS, 0, 0, "restore-grub-config" },
  /* The GRUB file's lines: only the plan's variables with the plan's values. */
  { GRUB ("GRUB_CMDLINE_LINUX_XEN_REPLACE=\"init=/bin/sh apparmor=0 security=none\"\n"), 0, 0,
    "GRUB_CMDLINE_LINUX_XEN_REPLACE=\\\"init=/bin/sh apparmor=0 security=none\\\"" },
  { GRUB (PLAN_LINES "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M,max:2048M console=com1 xsm=dummy\"\n"), 0, 0,
    "Line 3 of the boot settings" },
  { GRUB (PLAN_LINES "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1024M,max:2048M\"\n"), 0, 0, "Line 3" },
  { GRUB (PLAN_LINES "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=99999999M,max:99999999M\"\n"), 0, 0, "99999999M" },
  { GRUB (PLAN_LINES "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1000M,max:1000M\"\n"), 0, 0, "1000M" },
  { GRUB (PLAN_LINES "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M,max:2048M\"\n"
                     "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT=\"init=/bin/sh\"\n"),
    0, 0, "Line 4" },
  { GRUB (PLAN_LINES "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M,max:2048M\"\n"
                     "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=4096M,max:4096M\"\n"),
    0, 0, "not the file Virtlab writes" },
  { GRUB ("XEN_OVERRIDE_GRUB_DEFAULT=\"1\"\n"
          "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M,max:2048M\"\n"),
    0, 0, "not the file Virtlab writes" },
  { GRUB ("GRUB_TIMEOUT=\"0\"\n"), 0, 0, "GRUB_TIMEOUT" },
  { GRUB ("GRUB_DEFAULT=\"saved\"\n"), 0, 0, "GRUB_DEFAULT" },
  { GRUB ("GRUB_CMDLINE_XEN=\"$(touch /pwned)\"\n"), 0, 0, "$(touch /pwned)" },
  { GRUB (PLAN_LINES "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M,max:2048M\"\ntouch /pwned\n"), 0, 0,
    "touch /pwned" },
  { GRUB ("LD_PRELOAD=\"/tmp/x.so\"\n"), 0, 0, "LD_PRELOAD" },
  { GRUB ("GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M,max:2048M\" `id`\n"), 0, 0, "`id`" },
  { GRUB (""), 0, 0, "not the file Virtlab writes" },
  { B ("write-grub-config\tvirtlab-xen.cfg\tnot base64!"), NO_CONTENTS, 0, 0, "virtlab-xen.cfg" },
  { B ("write-grub-config\tvirtlab-xen.cfg"), NO_CONTENTS, 0, 0, "write-grub-config" },
  /* Path tricks in the target tree: a valid request that must not be written through a link. */
  { B ("write-grub-config\tvirtlab-xen.cfg\t%s"), VALID, SETUP_LINK_ETC, 0, "“/etc” is a symbolic link" },
  { B ("write-grub-config\tvirtlab-xen.cfg\t%s"), VALID, SETUP_LINK_DEFAULT, 0,
    "“/etc/default” is a symbolic link" },
  { B ("write-grub-config\tvirtlab-xen.cfg\t%s"), VALID, SETUP_LINK_DEFAULT_REL, 0,
    "“/etc/default” is a symbolic link" },
  { B ("write-grub-config\tvirtlab-xen.cfg\t%s"), VALID, SETUP_LINK_GRUB_D, 0,
    "“/etc/default/grub.d” is a symbolic link" },
  { B ("write-grub-config\tvirtlab-xen.cfg\t%s"), VALID, SETUP_LINK_FILE, 0, "is not a plain file" },
  { B ("write-grub-config\tvirtlab-xen.cfg\t%s"), VALID, SETUP_FIFO_FILE, 0, "is not a plain file" },
  { B ("write-grub-config\tvirtlab-xen.cfg\t%s"), VALID, SETUP_GRUB_D_FILE, 0,
    "“/etc/default/grub.d” is a symbolic link or not a folder" },
  { B ("write-grub-config\tvirtlab-xen.cfg\t%s"), VALID, SETUP_DEFAULT_FILE, 0,
    "“/etc/default” is a symbolic link or not a folder" },
};

static char *valid_grub;

/* Where "%s" is in the first length bytes of line (which may hold NULs), or NULL. */
static const char *
find_placeholder (const char *line, gsize length)
{
  for (gsize i = 0; i + 1 < length; i++)
    if (line[i] == '%' && line[i + 1] == 's')
      return line + i;
  return NULL;
}

static GBytes *
request_line (const Hostile *h)
{
  g_autoptr(GByteArray) line = g_byte_array_new ();
  const char *at = h->contents != NULL ? find_placeholder (h->line, h->length) : NULL;

  switch (h->longer)
    {
    case LONG_LINE:
      g_byte_array_append (line, (const guint8 *) "install-packages", 16);
      while (line->len <= VL_HELPER_MAX_REQUEST)
        g_byte_array_append (line, (const guint8 *) "\tqemu-utils", 11);
      return g_byte_array_free_to_bytes (g_steal_pointer (&line));
    case LONG_PACKAGE_LIST:
      g_byte_array_append (line, (const guint8 *) "install-packages", 16);
      for (guint i = 0; i < 65; i++)
        g_byte_array_append (line, (const guint8 *) "\tqemu-utils", 11);
      return g_byte_array_free_to_bytes (g_steal_pointer (&line));
    case LONG_PACKAGE_NAME:
      g_byte_array_append (line, (const guint8 *) "install-packages\t", 17);
      for (guint i = 0; i < 129; i++)
        g_byte_array_append (line, (const guint8 *) "q", 1);
      return g_byte_array_free_to_bytes (g_steal_pointer (&line));
    case LONG_GRUB_FILE:
      {
        g_autoptr(GString) contents = g_string_new (valid_grub);
        g_autofree char *encoded = NULL;

        for (guint i = 0; i < 4000; i++)
          g_string_append (contents, "# padding\n");
        encoded = g_base64_encode ((const guchar *) contents->str, contents->len);
        g_byte_array_append (line, (const guint8 *) "write-grub-config\tvirtlab-xen.cfg\t", 34);
        g_byte_array_append (line, (const guint8 *) encoded, strlen (encoded));
        return g_byte_array_free_to_bytes (g_steal_pointer (&line));
      }
    case LONG_NONE:
    default:
      break;
    }
  if (at == NULL)
    g_byte_array_append (line, (const guint8 *) h->line, h->length);
  else
    {
      gboolean valid = g_str_equal (h->contents, "@valid");
      const char *contents = valid ? valid_grub : h->contents;
      gsize contents_length = valid ? strlen (valid_grub) : h->contents_length;
      g_autofree char *encoded = g_base64_encode ((const guchar *) contents, contents_length);

      g_byte_array_append (line, (const guint8 *) h->line, at - h->line);
      g_byte_array_append (line, (const guint8 *) encoded, strlen (encoded));
      g_byte_array_append (line, (const guint8 *) at + 2, h->length - (at + 2 - h->line));
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&line));
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Every entry under dir, not following links: type, mode, size, inode and change time (any write,
 * rename, new or removed entry changes one of them). */
static void
snapshot_into (GString *out, const char *dir, const char *relative)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *full = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *rel = g_build_filename (relative, g_ptr_array_index (names, i), NULL);
      struct stat st;

      g_assert_cmpint (lstat (full, &st), ==, 0);
      g_string_append_printf (out, "%s %o %" G_GINT64_FORMAT " %" G_GUINT64_FORMAT " %ld.%09ld\n", rel,
                              st.st_mode, (gint64) st.st_size, (guint64) st.st_ino,
                              (long) st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
      if (S_ISDIR (st.st_mode))
        snapshot_into (out, full, rel);
    }
}

static char *
snapshot (const char *dir)
{
  GString *out = g_string_new (NULL);
  struct stat st;

  g_assert_cmpint (lstat (dir, &st), ==, 0);
  g_string_append_printf (out, ". %o %ld.%09ld\n", st.st_mode, (long) st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
  snapshot_into (out, dir, "");
  return g_string_free (out, FALSE);
}

/* With a time limit, a helper that hangs on a request is killed and the request counted as failed. */
static GSubprocess *
spawn_helper_full (const char *root, const char *const *extra_env, gboolean time_limit)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GError) error = NULL;
  GSubprocess *helper;

  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, extra_env[i], extra_env[i + 1], TRUE);
  if (time_limit)
    helper = g_subprocess_launcher_spawn (launcher, &error, "timeout", "-s", "KILL", "30", VL_HOST_HELPER,
                                          "--root", root, NULL);
  else
    helper = g_subprocess_launcher_spawn (launcher, &error, VL_HOST_HELPER, "--root", root, NULL);
  g_assert_no_error (error);
  return helper;
}

static GSubprocess *
spawn_helper (const char *root, const char *const *extra_env)
{
  return spawn_helper_full (root, extra_env, FALSE);
}

static GStrv
run_helper_bytes (const char *root, GBytes *input, const char *const *extra_env, int *status)
{
  g_autoptr(GSubprocess) helper = spawn_helper_full (root, extra_env, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  g_assert_true (g_subprocess_communicate (helper, input, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  *status = g_subprocess_get_if_exited (helper) ? g_subprocess_get_exit_status (helper) : -1;
  text = g_bytes_get_size (out) > 0 ? g_strndup (g_bytes_get_data (out, &len), g_bytes_get_size (out))
                                    : g_strdup ("");
  len = strlen (text) == 0 ? 0 : len;
  g_assert_cmpuint (strlen (text), ==, len);
  return g_strsplit (text, "\n", -1);
}

static GStrv
run_helper (const char *root, const char *input, const char *const *extra_env, int *status)
{
  g_autoptr(GBytes) bytes = g_bytes_new (input != NULL ? input : "", input != NULL ? strlen (input) : 0);

  return run_helper_bytes (root, bytes, extra_env, status);
}

static void
make_link (const char *target, const char *root, const char *path)
{
  g_autofree char *full = g_build_filename (root, path, NULL);

  g_assert_cmpint (symlink (target, full), ==, 0);
}

static void
set_up_tree (Setup setup, const char *root, const char *outside)
{
  g_autofree char *grub_d = g_build_filename (root, "etc/default/grub.d", NULL);
  g_autofree char *target = g_build_filename (outside, "target.cfg", NULL);

  g_assert_true (g_file_set_contents (target, "outside\n", -1, NULL));
  switch (setup)
    {
    case SETUP_LINK_ETC:
      {
        g_autofree char *etc = g_build_filename (root, "etc", NULL);
        g_autofree char *moved = g_build_filename (outside, "etc", NULL);

        g_assert_cmpint (rename (etc, moved), ==, 0);
        make_link (moved, root, "etc");
        break;
      }
    case SETUP_LINK_DEFAULT:
      make_link (outside, root, "etc/default");
      break;
    case SETUP_LINK_DEFAULT_REL:
      {
        g_autofree char *base = g_path_get_basename (outside);
        g_autofree char *relative = g_build_filename ("..", "..", base, NULL);

        make_link (relative, root, "etc/default");
        break;
      }
    case SETUP_LINK_GRUB_D:
      g_assert_cmpint (g_mkdir_with_parents (g_build_filename (root, "etc/default", NULL), 0755), ==, 0);
      make_link (outside, root, "etc/default/grub.d");
      break;
    case SETUP_LINK_FILE:
      g_assert_cmpint (g_mkdir_with_parents (grub_d, 0755), ==, 0);
      make_link (target, root, "etc/default/grub.d/virtlab-xen.cfg");
      break;
    case SETUP_FIFO_FILE:
      {
        g_autofree char *fifo = g_build_filename (grub_d, "virtlab-xen.cfg", NULL);

        g_assert_cmpint (g_mkdir_with_parents (grub_d, 0755), ==, 0);
        g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);
        break;
      }
    case SETUP_GRUB_D_FILE:
      g_assert_cmpint (g_mkdir_with_parents (g_build_filename (root, "etc/default", NULL), 0755), ==, 0);
      g_assert_true (g_file_set_contents (grub_d, "", 0, NULL));
      break;
    case SETUP_DEFAULT_FILE:
      g_assert_true (g_file_set_contents (g_build_filename (root, "etc/default", NULL), "", 0, NULL));
      break;
    case SETUP_NONE:
    default:
      break;
    }
}

/* Each hostile request alone against a fresh target: one answer that names what is wrong, no
 * command, and the target tree and the folder outside it exactly as they were. */
static void
test_helper_hostile_table (void)
{
  g_autoptr(GString) failures = g_string_new (NULL);
  guint n = G_N_ELEMENTS (hostile), failed = 0;

  g_assert_cmpuint (n, >=, 46);
  for (guint i = 0; i < n; i++)
    {
      const Hostile *h = &hostile[i];
      g_autofree char *root = make_test_root ();
      g_autofree char *outside = g_dir_make_tmp ("virtlab-outside-XXXXXX", NULL);
      g_autoptr(GBytes) line = request_line (h);
      g_autoptr(GByteArray) input = g_byte_array_new ();
      g_autofree char *root_before = NULL, *root_after = NULL;
      g_autofree char *outside_before = NULL, *outside_after = NULL;
      g_autofree char *all = NULL, *shown = NULL;
      g_auto(GStrv) answers = NULL;
      g_autoptr(GBytes) input_bytes = NULL;
      const char *markers[] = { "pwned",         "ran-apt-get", "ran-modprobe-kvm_amd",
                                "ran-systemctl", "ran-usermod", "ran-update-grub",
                                "ran-virsh",     "ran-bash",    NULL };
      gboolean ok;
      int status;

      set_up_tree (h->setup, root, outside);
      root_before = snapshot (root);
      outside_before = snapshot (outside);

      g_byte_array_append (input, g_bytes_get_data (line, NULL), g_bytes_get_size (line));
      g_byte_array_append (input, (const guint8 *) "\n", 1);
      input_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&input));
      answers = run_helper_bytes (root, input_bytes, NULL, &status);
      all = g_strjoinv (" | ", answers);
      shown = g_strescape (h->line, NULL);
      g_test_message ("request %u: %s", i, all);

      /* Pad to four answers, so that a helper that said less (or was killed) is just a failure. */
      while (g_strv_length (answers) < 4)
        {
          guint len = g_strv_length (answers);

          answers = g_renew (char *, answers, len + 2);
          answers[len] = g_strdup ("(nothing)");
          answers[len + 1] = NULL;
        }
      if (h->setup == SETUP_NONE)
        ok = status == 0 && g_strcmp0 (answers[0], "ready debian") == 0 &&
             g_str_has_prefix (answers[1], "refused ") && strstr (answers[1], h->message_part) != NULL &&
             g_strcmp0 (answers[2], "") == 0 && g_strcmp0 (answers[3], "(nothing)") == 0;
      else
        /* Valid as text; the target tree refuses it. */
        ok = status == 0 && g_strcmp0 (answers[0], "ready debian") == 0 &&
             g_strcmp0 (answers[1], "step-start write-grub-config") == 0 &&
             g_str_has_prefix (answers[2], "step-failed ") && strstr (answers[2], h->message_part) != NULL &&
             g_strcmp0 (answers[3], "") == 0;
      if (!ok)
        g_string_append_printf (failures, "request %u (%.60s, set-up %d) got “%s”, not a refusal naming “%s”\n",
                                i, shown, h->setup, all, h->message_part);

      root_after = snapshot (root);
      outside_after = snapshot (outside);
      if (g_strcmp0 (root_before, root_after) != 0)
        {
          g_string_append_printf (failures, "request %u (%.60s) changed the target tree:\nbefore:\n%s\nafter:\n%s",
                                  i, shown, root_before, root_after);
          ok = FALSE;
        }
      if (g_strcmp0 (outside_before, outside_after) != 0)
        {
          g_string_append_printf (failures, "request %u (%.60s) wrote outside the target:\nbefore:\n%s\nafter:\n%s",
                                  i, shown, outside_before, outside_after);
          ok = FALSE;
        }
      /* The markers the stand-ins leave, by name: nothing ran. */
      for (guint m = 0; markers[m] != NULL; m++)
        if (root_has (root, markers[m]))
          {
            g_string_append_printf (failures, "request %u (%.60s) left the marker %s: it ran\n", i, shown, markers[m]);
            ok = FALSE;
          }
      failed += !ok;
      remove_tree (root);
      remove_tree (outside);
    }
  if (failed > 0)
    g_error ("%u of %u hostile requests got through:\n%s", failed, n, failures->str);
}

/* All table requests without a special tree in one session: each gets exactly one refusal, in
 * order (a NUL or a long line does not shift the ones after it), and a valid request after them runs. */
static void
test_helper_hostile_session (void)
{
  g_autofree char *root = make_test_root ();
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) answers = NULL;
  g_autofree char *written = NULL;
  guint count = 0, k = 1;
  int status;

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GBytes) line = NULL;

      if (hostile[i].setup != SETUP_NONE)
        continue;
      line = request_line (&hostile[i]);
      g_byte_array_append (input, g_bytes_get_data (line, NULL), g_bytes_get_size (line));
      g_byte_array_append (input, (const guint8 *) "\n", 1);
      count++;
    }
  g_byte_array_append (input, (const guint8 *) "write-grub-config\tvirtlab-xen.cfg\t", 34);
  {
    g_autofree char *encoded = g_base64_encode ((const guchar *) valid_grub, strlen (valid_grub));
    g_byte_array_append (input, (const guint8 *) encoded, strlen (encoded));
  }
  g_byte_array_append (input, (const guint8 *) "\n", 1);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&input));

  answers = run_helper_bytes (root, bytes, NULL, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (answers[0], ==, "ready debian");
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      if (hostile[i].setup != SETUP_NONE)
        continue;
      if (!g_str_has_prefix (answers[k], "refused ") || strstr (answers[k], hostile[i].message_part) == NULL)
        g_error ("request %u (%.60s) got “%s” in the session", i, hostile[i].line, answers[k]);
      k++;
    }
  g_assert_cmpuint (k, ==, count + 1);
  g_assert_cmpstr (answers[k], ==, "step-start write-grub-config");
  g_assert_cmpstr (answers[k + 1], ==, "output Wrote /etc/default/grub.d/virtlab-xen.cfg");
  g_assert_cmpstr (answers[k + 2], ==, "step-done");
  g_assert_true (g_file_get_contents (g_build_filename (root, "etc/default/grub.d/virtlab-xen.cfg", NULL),
                                      &written, NULL, NULL));
  g_assert_cmpstr (written, ==, valid_grub);
  g_assert_false (root_has (root, "pwned"));
  g_assert_false (root_has (root, "ran-apt-get"));
  g_assert_false (root_has (root, "ran-modprobe-kvm_amd"));
  remove_tree (root);
}

/* One session of REQUESTS (lines); the helper's answers joined by "|" after its "ready" line. */
static char *
helper_session (const char *root, const char *requests)
{
  int status;
  g_auto(GStrv) answers = run_helper (root, requests, NULL, &status);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (answers[0], ==, "ready debian");
  return g_strjoinv ("|", answers + 1);
}

static char *
write_request (const char *contents)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *) contents, strlen (contents));

  return g_strdup_printf ("write-grub-config\tvirtlab-xen.cfg\t%s\n", encoded);
}

static char *
grub_file (const char *root, const char *name)
{
  g_autofree char *path = g_build_filename (root, "etc/default/grub.d", name, NULL);
  char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) ? contents : NULL;
}

#define UNDO_WROTE                                                                                   \
  "output Wrote /etc/default/grub.d/virtlab-no-xen-default.cfg: the computer starts without Xen by " \
  "default; the Xen entry stays in the boot menu"

/* The undo of the GRUB step: the earlier file comes back from NAME~; Virtlab's own file without an
 * earlier one goes; a file that is not Virtlab's text (someone else's, or changed since) stays. */
static void
test_helper_restore_grub_config (void)
{
  const char earlier[] = "# the administrator's own\nGRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=512M\"\n";
  g_autofree char *root = make_test_root ();
  g_autofree char *dir = g_build_filename (root, "etc/default/grub.d", NULL);
  g_autofree char *file = g_build_filename (dir, "virtlab-xen.cfg", NULL);
  g_autofree char *write = write_request (valid_grub);
  g_autofree char *both = g_strconcat (write, "restore-grub-config\tvirtlab-xen.cfg\n", NULL);
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL;
  g_autofree char *after = NULL, *kept = NULL, *undo_file = NULL;

  /* An earlier file: written over (kept as ~), then put back; the ~ is gone. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (file, earlier, -1, NULL));
  a = helper_session (root, both);
  g_assert_cmpstr (a, ==,
                   "step-start write-grub-config|output Wrote /etc/default/grub.d/virtlab-xen.cfg; "
                   "the previous version is kept as virtlab-xen.cfg~|step-done|"
                   "step-start restore-grub-config|output Put back the earlier "
                   "/etc/default/grub.d/virtlab-xen.cfg (it was kept as virtlab-xen.cfg~)|" UNDO_WROTE
                   "|step-done|");
  after = grub_file (root, "virtlab-xen.cfg");
  g_assert_cmpstr (after, ==, earlier);
  g_assert_null (grub_file (root, "virtlab-xen.cfg~"));
  /* The earlier file does not set XEN_OVERRIDE_GRUB_DEFAULT: Virtlab's file sets it to "0". */
  undo_file = grub_file (root, "virtlab-no-xen-default.cfg");
  g_assert_cmpstr (undo_file, ==, vl_xen_grub_undo_config ());

  /* Undone again: the earlier file is not Virtlab's, so it stays. */
  b = helper_session (root, "restore-grub-config\tvirtlab-xen.cfg\n");
  g_assert_cmpstr (b, ==,
                   "step-start restore-grub-config|output /etc/default/grub.d/virtlab-xen.cfg is not "
                   "Virtlab’s: nothing to undo|step-done|");
  g_clear_pointer (&after, g_free);
  after = grub_file (root, "virtlab-xen.cfg");
  g_assert_cmpstr (after, ==, earlier);

  /* Changed after Virtlab wrote it: neither file is touched, the step fails naming the file. */
  c = helper_session (root, write);
  g_assert_true (g_file_set_contents (file, "# edited by hand\n", -1, NULL));
  d = helper_session (root, "restore-grub-config\tvirtlab-xen.cfg\n");
  g_assert_true (g_str_has_prefix (d, "step-start restore-grub-config|step-failed “/etc/default/grub.d/"
                                      "virtlab-xen.cfg” is not the text Virtlab wrote"));
  g_clear_pointer (&after, g_free);
  after = grub_file (root, "virtlab-xen.cfg");
  kept = grub_file (root, "virtlab-xen.cfg~");
  g_assert_cmpstr (after, ==, "# edited by hand\n");
  g_assert_cmpstr (kept, ==, earlier);

  /* No earlier file: Virtlab's own is removed; then there is nothing left to undo. */
  g_assert_cmpint (g_unlink (file), ==, 0);
  g_clear_pointer (&kept, g_free);
  kept = g_build_filename (dir, "virtlab-xen.cfg~", NULL);
  g_assert_cmpint (g_unlink (kept), ==, 0);
  e = helper_session (root, both);
  g_assert_true (
    g_str_has_suffix (e, "|output Removed /etc/default/grub.d/virtlab-xen.cfg (there was no earlier "
                         "version)|" UNDO_WROTE "|step-done|"));
  g_assert_null (grub_file (root, "virtlab-xen.cfg"));
  f = helper_session (root, "restore-grub-config\tvirtlab-xen.cfg\n");
  g_assert_cmpstr (f, ==,
                   "step-start restore-grub-config|output /etc/default/grub.d/virtlab-xen.cfg is not "
                   "there: nothing to undo|step-done|");
  remove_tree (root);
}

/* Which lines count as setting XEN_OVERRIDE_GRUB_DEFAULT: Debian 12's own xen.cfg (its commented
 * line and the indented fallback inside "if unset") does not; a line of its own does. */
static void
test_grub_settings_choose_xen_default (void)
{
  const char
    debian_xen_cfg[] = "#XEN_OVERRIDE_GRUB_DEFAULT=0\n"
                       "echo \"Including Xen overrides from /etc/default/grub.d/xen.cfg\"\n"
                       "if [ \"$XEN_OVERRIDE_GRUB_DEFAULT\" = \"\" ]; then\n"
                       "        echo \"WARNING: GRUB_DEFAULT changed to boot into Xen by default!\"\n"
                       "        XEN_OVERRIDE_GRUB_DEFAULT=1\n"
                       "fi\n";

  g_assert_false (vl_grub_settings_choose_xen_default (""));
  g_assert_false (vl_grub_settings_choose_xen_default (debian_xen_cfg));
  g_assert_false (vl_grub_settings_choose_xen_default ("GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=512M\"\n"));
  g_assert_false (vl_grub_settings_choose_xen_default ("# XEN_OVERRIDE_GRUB_DEFAULT=1\n"));
  g_assert_false (vl_grub_settings_choose_xen_default ("MY_XEN_OVERRIDE_GRUB_DEFAULT=1\n"));
  g_assert_true (vl_grub_settings_choose_xen_default ("XEN_OVERRIDE_GRUB_DEFAULT=1\n"));
  g_assert_true (vl_grub_settings_choose_xen_default ("GRUB_TIMEOUT=5\nXEN_OVERRIDE_GRUB_DEFAULT=\"0\""));
  g_assert_true (vl_grub_settings_choose_xen_default ("export XEN_OVERRIDE_GRUB_DEFAULT=0\n"));
  g_assert_true (vl_grub_settings_choose_xen_default (vl_xen_grub_undo_config ()));
  /* Virtlab's own GRUB file decides too (it is never the earlier one the undo puts back). */
  {
    g_autofree char *ours = vl_xen_grub_config_new (1024);

    g_assert_true (vl_grub_settings_choose_xen_default (ours));
  }
}

static void
put_file (const char *root, const char *path, const char *contents)
{
  g_autofree char *full = g_build_filename (root, path, NULL);
  g_autofree char *dir = g_path_get_dirname (full);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (full, contents, -1, NULL));
}

/* The undo leaves the computer starting without Xen: Virtlab's file with XEN_OVERRIDE_GRUB_DEFAULT
 * "0" unless an earlier setting (the file put back, /etc/default/grub, another grub.d file) sets it;
 * then that one decides and Virtlab's file goes. A file of that name that is not Virtlab's text
 * stays, and the step fails saying so. Writing the GRUB file twice keeps the earliest version as ~. */
static void
test_helper_undo_xen_default (void)
{
  const char xen_cfg[] = "#XEN_OVERRIDE_GRUB_DEFAULT=0\nif [ \"$XEN_OVERRIDE_GRUB_DEFAULT\" = \"\" ]; then\n"
                         "        XEN_OVERRIDE_GRUB_DEFAULT=1\nfi\n";
  const char deciding[] = "# the administrator's own: Xen by default\nXEN_OVERRIDE_GRUB_DEFAULT=1\n"
                          "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2048M\"\n";
  const char plain[] = "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=512M\"\n";
  g_autofree char *root = make_test_root ();
  g_autofree char *write = write_request (valid_grub);
  g_autofree char *both = g_strconcat (write, "restore-grub-config\tvirtlab-xen.cfg\n", NULL);
  g_autofree char *twice = g_strconcat (write, write, "restore-grub-config\tvirtlab-xen.cfg\n", NULL);
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;
  g_autofree char *after = NULL, *undo_file = NULL, *foreign = NULL;

  /* Debian's xen.cfg alone does not decide (its fallback is what makes Xen the default). */
  put_file (root, "etc/default/grub.d/xen.cfg", xen_cfg);
  put_file (root, "etc/default/grub", "GRUB_DEFAULT=0\nGRUB_TIMEOUT=5\n");
  put_file (root, "etc/default/grub.d/virtlab-xen.cfg", plain);
  a = helper_session (root, twice);
  g_assert_true (g_str_has_suffix (a,
                                   "|output Put back the earlier /etc/default/grub.d/virtlab-xen.cfg (it was "
                                   "kept as virtlab-xen.cfg~)|" UNDO_WROTE "|step-done|"));
  after = grub_file (root, "virtlab-xen.cfg");
  g_assert_cmpstr (after, ==, plain);
  undo_file = grub_file (root, "virtlab-no-xen-default.cfg");
  g_assert_cmpstr (undo_file, ==, vl_xen_grub_undo_config ());

  /* The earlier file sets it itself: put back as it was, and Virtlab's file (from before) goes. */
  put_file (root, "etc/default/grub.d/virtlab-xen.cfg", deciding);
  b = helper_session (root, both);
  g_assert_true (
    g_str_has_suffix (b, "|output /etc/default/grub.d/virtlab-xen.cfg sets XEN_OVERRIDE_GRUB_DEFAULT: "
                         "the earlier settings choose the default boot entry, as before|step-done|"));
  g_clear_pointer (&after, g_free);
  after = grub_file (root, "virtlab-xen.cfg");
  g_assert_cmpstr (after, ==, deciding);
  g_assert_null (grub_file (root, "virtlab-no-xen-default.cfg"));

  /* /etc/default/grub sets it: no earlier grub.d file, Virtlab's is removed, nothing of ours left. */
  put_file (root, "etc/default/grub.d/virtlab-xen.cfg", plain);
  put_file (root, "etc/default/grub", "GRUB_DEFAULT=0\nXEN_OVERRIDE_GRUB_DEFAULT=0\n");
  g_assert_cmpint (g_unlink (g_build_filename (root, "etc/default/grub.d/virtlab-xen.cfg", NULL)), ==, 0);
  c = helper_session (root, both);
  g_assert_true (
    g_str_has_suffix (c, "|output Removed /etc/default/grub.d/virtlab-xen.cfg (there was no earlier "
                         "version)|output /etc/default/grub sets XEN_OVERRIDE_GRUB_DEFAULT: the earlier "
                         "settings choose the default boot entry, as before|step-done|"));
  g_assert_null (grub_file (root, "virtlab-xen.cfg"));
  g_assert_null (grub_file (root, "virtlab-no-xen-default.cfg"));

  /* Nothing was Virtlab's to undo: nothing is written. */
  put_file (root, "etc/default/grub", "GRUB_DEFAULT=0\n");
  d = helper_session (root, "restore-grub-config\tvirtlab-xen.cfg\n");
  g_assert_cmpstr (d, ==,
                   "step-start restore-grub-config|output /etc/default/grub.d/virtlab-xen.cfg is not "
                   "there: nothing to undo|step-done|");
  g_assert_null (grub_file (root, "virtlab-no-xen-default.cfg"));

  /* A file of that name that is not Virtlab's text: left alone, the step fails naming it. */
  put_file (root, "etc/default/grub.d/virtlab-no-xen-default.cfg", "XEN_OVERRIDE_GRUB_DEFAULT=1\n");
  e = helper_session (root, both);
  g_assert_true (
    g_str_has_suffix (e, "|step-failed “/etc/default/grub.d/virtlab-no-xen-default.cfg” is not the "
                         "text Virtlab writes; it was left alone, and the Xen packages may still make "
                         "Xen the default boot entry|"));
  foreign = grub_file (root, "virtlab-no-xen-default.cfg");
  g_assert_cmpstr (foreign, ==, "XEN_OVERRIDE_GRUB_DEFAULT=1\n");
  remove_tree (root);
}

/* Reads one line from fd within timeout_ms, or NULL. */
static char *
read_line_within (int fd, int timeout_ms)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  for (;;)
    {
      struct pollfd p = { fd, POLLIN, 0 };
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      char c;

      if (left <= 0 || poll (&p, 1, (int) left) <= 0)
        return NULL;
      if (read (fd, &c, 1) != 1)
        return NULL;
      if (c == '\n')
        return g_string_free (g_steal_pointer (&line), FALSE);
      g_string_append_c (line, c);
    }
}

static guint64
peak_rss_kib (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", pid);
  g_autofree char *status = NULL;
  const char *hwm;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  hwm = strstr (status, "VmHWM:");
  g_assert_nonnull (hwm);
  return g_ascii_strtoull (hwm + 6, NULL, 10);
}

/* A 256 MiB line: refused once VL_HELPER_MAX_REQUEST bytes of it have come, before the rest is
 * even sent; the rest is read and dropped, the helper's memory stays small and the next request runs. */
static void
test_helper_long_line_refused_while_reading (void)
{
  g_autofree char *root = make_test_root ();
  g_autoptr(GSubprocess) helper = spawn_helper (root, NULL);
  GOutputStream *in = g_subprocess_get_stdin_pipe (helper);
  int out_fd = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (g_subprocess_get_stdout_pipe (helper)));
  g_autofree char *mib = g_malloc (1024 * 1024);
  g_autofree char *ready = NULL, *refused = NULL;
  g_autofree char *encoded = g_base64_encode ((const guchar *) valid_grub, strlen (valid_grub));
  g_autofree char *valid = g_strdup_printf ("\nwrite-grub-config\tvirtlab-xen.cfg\t%s\n", encoded);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) rest = g_string_new (NULL);
  guint64 peak;
  char *line;

  memset (mib, 'a', 1024 * 1024);
  ready = read_line_within (out_fd, 30000);
  g_assert_cmpstr (ready, ==, "ready debian");
  g_assert_true (g_output_stream_write_all (in, mib, 1024 * 1024, NULL, NULL, &error));
  g_assert_no_error (error);
  /* 1 MiB sent, no newline yet: the answer is already there. */
  refused = read_line_within (out_fd, 20000);
  g_assert_cmpstr (refused, ==, "refused The request is longer than 65536 bytes");
  for (guint i = 1; i < 256; i++)
    {
      g_assert_true (g_output_stream_write_all (in, mib, 1024 * 1024, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (g_output_stream_write_all (in, valid, strlen (valid), NULL, NULL, &error));
  line = read_line_within (out_fd, 30000);
  g_string_append_printf (rest, "%s\n", line);
  g_free (line);
  peak = peak_rss_kib (g_subprocess_get_identifier (helper));
  g_test_message ("helper's peak resident memory after a 256 MiB line: %" G_GUINT64_FORMAT " KiB", peak);
  g_assert_cmpuint (peak, <, 32 * 1024);
  g_assert_true (g_output_stream_close (in, NULL, &error));
  while ((line = read_line_within (out_fd, 30000)) != NULL)
    {
      g_string_append_printf (rest, "%s\n", line);
      g_free (line);
    }
  g_assert_true (g_subprocess_wait_check (helper, NULL, &error));
  g_assert_no_error (error);
  /* One refusal for the whole line, then the valid request ran. */
  g_assert_cmpstr (rest->str, ==, "step-start write-grub-config\n"
                                  "output Wrote /etc/default/grub.d/virtlab-xen.cfg\n"
                                  "step-done\n");
  remove_tree (root);
}

/* The early exits (a root whose distribution is unknown, a root that is not there) free all they
 * took, h.root included: valgrind finds no definite leak. */
static void
test_helper_early_exits_do_not_leak (void)
{
  g_autofree char *valgrind = g_find_program_in_path ("valgrind");
  g_autofree char *root = make_test_root ();
  g_autofree char *missing = g_build_filename (root, "not-there", NULL);
  const char *roots[] = { root, missing };

  if (valgrind == NULL)
    {
      g_test_skip ("valgrind is not installed (build-aux/deps lists it)");
      remove_tree (root);
      return;
    }
  g_assert_true (g_file_set_contents (g_build_filename (root, "etc/os-release", NULL), "ID=plan9\n", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      const char *argv[] = { valgrind, "--quiet", "--leak-check=full", "--show-leak-kinds=definite",
                             "--errors-for-leak-kinds=definite", "--error-exitcode=99",
                             VL_HOST_HELPER, "--root", roots[i], NULL };
      g_autofree char *out = NULL, *err = NULL;
      int status = 0;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                                   &status, &error));
      g_assert_no_error (error);
      g_test_message ("root %s: %s", roots[i], err);
      /* It refused to start (exit 1), and said why; 99 would be valgrind's leak report. */
      g_assert_true (WIFEXITED (status));
      if (WEXITSTATUS (status) != 1)
        g_error ("the helper with --root %s exited %d:\n%s", roots[i], WEXITSTATUS (status), err);
      g_assert_null (strstr (err, "definitely lost"));
      g_assert_nonnull (strstr (err, roots[i]));
    }
  remove_tree (root);
}

static void
test_helper_refuses_root_through_pkexec (void)
{
  g_autofree char *root = make_test_root ();
  const char *env[] = { "PKEXEC_UID", "1000", NULL };
  g_auto(GStrv) answers = NULL;
  g_autofree char *all = NULL;
  int status;

  /* A user going through pkexec must not pick the root: chroot would run their programs. */
  /* No input: the helper refuses before reading, and a write could race with its exit. */
  answers = run_helper (root, NULL, env, &status);
  all = g_strjoinv ("\n", answers);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (all, "--root"));
  g_assert_null (strstr (all, "ready"));
  g_assert_false (root_has (root, "ran-modprobe-kvm_amd"));
  remove_tree (root);
}

static void
test_helper_busy_and_cancel (void)
{
  g_autofree char *root = make_test_root ();
  g_auto(GStrv) answers = NULL;
  g_autofree char *all = NULL;
  int status;

  if (geteuid () != 0)
    {
      g_test_skip ("chroot needs root");
      remove_tree (root);
      return;
    }
  /* A second request while a step runs is refused; closing stdin cancels the running step. */
  answers = run_helper (root, "load-module\tkvm\nload-module\tkvm_amd\n", NULL, &status);
  all = g_strjoinv ("\n", answers);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (all, "step-start load-module\ncommand modprobe kvm\n"));
  g_assert_nonnull (strstr (all, "refused A step is already running"));
  g_assert_nonnull (strstr (all, "cancelled"));
  g_assert_false (root_has (root, "ran-modprobe-kvm_amd"));
  remove_tree (root);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* A helper that refuses to start closes its stdin before the test has written to it. */
  signal (SIGPIPE, SIG_IGN);
  valid_grub = vl_xen_grub_config_new (2048);
  g_test_add_func ("/host/helper/hostile-table", test_helper_hostile_table);
  g_test_add_func ("/host/helper/hostile-session", test_helper_hostile_session);
  g_test_add_func ("/host/helper/restore-grub-config", test_helper_restore_grub_config);
  g_test_add_func ("/host/helper/undo-xen-default", test_helper_undo_xen_default);
  g_test_add_func ("/host/helper/grub-settings-choose-xen-default", test_grub_settings_choose_xen_default);
  g_test_add_func ("/host/helper/long-line-refused-while-reading", test_helper_long_line_refused_while_reading);
  g_test_add_func ("/host/helper/early-exits-do-not-leak", test_helper_early_exits_do_not_leak);
  g_test_add_func ("/host/helper/root-through-pkexec", test_helper_refuses_root_through_pkexec);
  g_test_add_func ("/host/helper/busy-and-cancel", test_helper_busy_and_cancel);
  return g_test_run ();
}
