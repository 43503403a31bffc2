/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host helper's requests: the only step kinds it knows, their validation and their exact argv. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-error.h"
#include "vl-helper-request.h"

static const char *const kind_names[] = {
  [VL_STEP_REFRESH_PACKAGES] = "refresh-packages",
  [VL_STEP_INSTALL_PACKAGES] = "install-packages",
  [VL_STEP_LOAD_MODULE] = "load-module",
  [VL_STEP_WRITE_GRUB_CONFIG] = "write-grub-config",
  [VL_STEP_UPDATE_GRUB] = "update-grub",
  [VL_STEP_ENABLE_SERVICE] = "enable-service",
  [VL_STEP_ADD_USER_TO_GROUP] = "add-user-to-group",
  [VL_STEP_DEFINE_STORAGE_POOL] = "define-storage-pool",
  [VL_STEP_BENCH_IMAGE] = "bench-image",
  [VL_STEP_RESTORE_GRUB_CONFIG] = "restore-grub-config",
  [VL_STEP_REBOOT] = "reboot",
};

/* Modules a virtualization host may need; anything else is not the helper's business. */
static const char *const known_modules[] = {
  "kvm", "kvm_intel", "kvm_amd", "vhost_net", "tun", "xen_evtchn", "xen_gntdev", "xen_gntalloc",
  "xen_blkback", "xen_netback", "xen_privcmd", NULL
};

static const char *const known_services[] = {
  "libvirtd", "virtqemud", "virtxend", "virtlogd", "xen", "xencommons", "xen-init-dom0",
  "xenstored", "xenconsoled", "xendomains", NULL
};

static const char *const known_groups[] = { "kvm", "libvirt", NULL };

#define MAX_PACKAGES 64

const char *
vl_step_kind_to_string (VlStepKind kind)
{
  g_return_val_if_fail (kind <= VL_STEP_REBOOT, NULL);
  return kind_names[kind];
}

gboolean
vl_step_kind_from_string (const char *name, VlStepKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (kind_names[i], name) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

VlHelperRequest *
vl_helper_request_new (VlStepKind kind, const char *const *args)
{
  VlHelperRequest *request = g_new0 (VlHelperRequest, 1);
  const char *const none[] = { NULL };

  request->kind = kind;
  request->args = g_strdupv ((GStrv) (args ?: none));
  return request;
}

void
vl_helper_request_free (VlHelperRequest *request)
{
  if (request == NULL)
    return;
  g_strfreev (request->args);
  g_free (request);
}

/* Debian policy allows [a-z0-9+.-], starting with an alphanumeric; rpm adds capitals and "_".
 * A leading "-" would be an option, a trailing "-" makes apt-get *remove* the package, and
 * "=", "/", "*", "?" or a space would select versions, releases, patterns or files. */
gboolean
vl_package_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len < 2 || len > 128 || !g_ascii_isalnum (name[0]) || name[len - 1] == '-' || name[len - 1] == '+')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("+.-_", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
user_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > 32 || !(g_ascii_islower (name[0]) || name[0] == '_'))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

/* The one file the Xen plan writes into grub.d. Debian's grub-mkconfig sources it in a root shell,
 * so the helper accepts this text and nothing else: no other variable, no other kernel parameter. */
char *
vl_xen_grub_config_new (guint dom0_mib)
{
  return g_strdup_printf (
    "# Written by Virtlab: boot the Xen hypervisor by default, with a fixed memory size for dom0.\n"
    "XEN_OVERRIDE_GRUB_DEFAULT=\"1\"\n"
    "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=%uM,max:%uM\"\n", dom0_mib, dom0_mib);
}

/* The file the undo of the Xen boot settings leaves (VL_XEN_UNDO_GRUB_FILE). Debian's and Ubuntu's
 * Xen packages make "with Xen hypervisor" GRUB's default entry whenever XEN_OVERRIDE_GRUB_DEFAULT
 * is not set (their grub.d/xen.cfg); "0" keeps the entry in the menu but not as the default. The
 * helper writes this one text and removes the file only when it is exactly this text. */
const char *
vl_xen_grub_undo_config (void)
{
  return "# Written by Virtlab when its Xen boot settings were undone: start without Xen by default.\n"
         "# Without this line the Xen packages make Xen the default boot entry (see xen.cfg here).\n"
         "# The Xen entry stays in the boot menu. Remove this file to let the Xen packages choose.\n"
         "XEN_OVERRIDE_GRUB_DEFAULT=\"0\"\n";
}

/* Whether a file grub-mkconfig sources (CONTENTS) sets XEN_OVERRIDE_GRUB_DEFAULT itself: a line
 * that begins with the assignment, or with "export " and it. A commented line does not count, nor
 * an indented one: Debian's own xen.cfg sets it to "1" inside its "if unset" fallback. */
gboolean
vl_grub_settings_choose_xen_default (const char *contents)
{
  static const char variable[] = "XEN_OVERRIDE_GRUB_DEFAULT=";
  const char *line = contents;

  while (line != NULL && *line != '\0')
    {
      const char *start = line;

      if (g_str_has_prefix (start, "export "))
        start += strlen ("export ");
      if (g_str_has_prefix (start, variable))
        return TRUE;
      line = strchr (line, '\n');
      if (line != NULL)
        line++;
    }
  return FALSE;
}

/* A line for a message: control bytes and non-ASCII shown as escapes, at most 80 bytes of it. */
static char *
printable_line (const char *line)
{
  g_autofree char *escaped = g_strescape (line, NULL);

  if (strlen (escaped) > 80)
    {
      escaped[77] = '\0';
      return g_strconcat (escaped, "…", NULL);
    }
  return g_steal_pointer (&escaped);
}

/* g_set_error with the offending argument shown by printable_line. */
static void
refuse_argument (GError **error, const char *format, const char *argument)
{
  g_autofree char *shown = printable_line (argument);

  g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT, format, shown);
}

static gboolean
validate_grub_contents (const char *contents, GError **error)
{
  g_autoptr(GHashTable) known_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;

  for (guint mib = VL_DOM0_MIB_MIN; mib <= VL_DOM0_MIB_MAX; mib += VL_DOM0_MIB_STEP)
    {
      g_autofree char *expected = vl_xen_grub_config_new (mib);
      g_auto(GStrv) expected_lines = NULL;

      if (g_str_equal (contents, expected))
        return TRUE;
      expected_lines = g_strsplit (expected, "\n", -1);
      for (guint i = 0; expected_lines[i] != NULL; i++)
        g_hash_table_add (known_lines, g_strdup (expected_lines[i]));
    }
  /* Refused: name the first line Virtlab never writes, so the message says what is wrong. */
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_hash_table_contains (known_lines, lines[i]))
      {
        g_autofree char *shown = printable_line (lines[i]);

        g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                     _("Line %u of the boot settings is not one Virtlab writes: “%s”"), i + 1, shown);
        return FALSE;
      }
  g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
               _("The boot settings are not the file Virtlab writes for Xen (lines missing, repeated "
                 "or out of order, or dom0 sizes that differ)"));
  return FALSE;
}

static gboolean
expect_args (VlStepKind kind, const char *const *args, guint min, guint max, GError **error)
{
  guint n = g_strv_length ((GStrv) args);

  if (n < min || n > max)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The step “%s” takes %u to %u arguments, not %u"),
                   vl_step_kind_to_string (kind), min, max, n);
      return FALSE;
    }
  return TRUE;
}

gboolean
vl_helper_request_validate (VlStepKind kind, const char *const *args, GError **error)
{
  switch (kind)
    {
    case VL_STEP_REFRESH_PACKAGES:
    case VL_STEP_UPDATE_GRUB:
    case VL_STEP_DEFINE_STORAGE_POOL:
    case VL_STEP_BENCH_IMAGE:
      return expect_args (kind, args, 0, 0, error);

    case VL_STEP_INSTALL_PACKAGES:
      if (!expect_args (kind, args, 1, MAX_PACKAGES, error))
        return FALSE;
      for (guint i = 0; args[i] != NULL; i++)
        if (!vl_package_name_is_valid (args[i]))
          {
            refuse_argument (error, _("“%s” is not a package name"), args[i]);
            return FALSE;
          }
      return TRUE;

    case VL_STEP_LOAD_MODULE:
      if (!expect_args (kind, args, 1, 1, error))
        return FALSE;
      if (!g_strv_contains (known_modules, args[0]))
        {
          refuse_argument (error, _("The kernel module “%s” is not one a virtualization host needs"), args[0]);
          return FALSE;
        }
      return TRUE;

    case VL_STEP_WRITE_GRUB_CONFIG:
    case VL_STEP_RESTORE_GRUB_CONFIG:
      if (!expect_args (kind, args, kind == VL_STEP_WRITE_GRUB_CONFIG ? 2 : 1,
                        kind == VL_STEP_WRITE_GRUB_CONFIG ? 2 : 1, error))
        return FALSE;
      if (!g_str_equal (args[0], VL_XEN_GRUB_FILE))
        {
          g_autofree char *shown = printable_line (args[0]);

          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("“%s” is not the file Virtlab writes under %s: only “%s” may be written"),
                       shown, VL_GRUB_CONFIG_DIR, VL_XEN_GRUB_FILE);
          return FALSE;
        }
      return kind == VL_STEP_RESTORE_GRUB_CONFIG || validate_grub_contents (args[1], error);

    case VL_STEP_ENABLE_SERVICE:
      if (!expect_args (kind, args, 1, 1, error))
        return FALSE;
      if (!g_strv_contains (known_services, args[0]))
        {
          refuse_argument (error, _("The service “%s” is not a virtualization service"), args[0]);
          return FALSE;
        }
      return TRUE;

    case VL_STEP_ADD_USER_TO_GROUP:
      if (!expect_args (kind, args, 2, 2, error))
        return FALSE;
      if (!user_name_is_valid (args[0]) || g_str_equal (args[0], "root"))
        {
          refuse_argument (error, _("“%s” is not a user name that can be given access"), args[0]);
          return FALSE;
        }
      if (!g_strv_contains (known_groups, args[1]))
        {
          refuse_argument (error, _("The group “%s” is not kvm or libvirt"), args[1]);
          return FALSE;
        }
      return TRUE;

    case VL_STEP_REBOOT:
    default:
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The step “%s” is not one the helper runs"), vl_step_kind_to_string (kind));
      return FALSE;
    }
}

/* A request is one line: the kind and its arguments separated by tabs; a file's contents travel
 * in base64 so that they stay on one line. The line comes with its length: a NUL inside would
 * otherwise end it early and a shortened request could run. Tab is the only control byte in it. */
VlHelperRequest *
vl_helper_request_parse (const char *line, gsize length, GError **error)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(VlHelperRequest) request = NULL;
  VlStepKind kind;

  if (length > VL_HELPER_MAX_REQUEST)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("The request is longer than %d bytes"), VL_HELPER_MAX_REQUEST);
      return NULL;
    }
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) line[i];

      if ((c < 0x20 && c != '\t') || c == 0x7f)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("The request contains the control byte 0x%02x at byte %u; nothing was run"),
                       c, (guint) (i + 1));
          return NULL;
        }
    }
  if (!g_utf8_validate_len (line, length, NULL))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("The request is not UTF-8 text"));
      return NULL;
    }
  fields = g_strsplit (line, "\t", -1);
  if (fields[0] == NULL || !vl_step_kind_from_string (fields[0], &kind) || kind == VL_STEP_REBOOT)
    {
      /* g_strsplit gives no field at all for an empty line. */
      g_autofree char *shown = printable_line (fields[0] != NULL ? fields[0] : "");

      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("Unknown step “%s”"), shown);
      return NULL;
    }
  request = vl_helper_request_new (kind, (const char *const *) fields + 1);
  if (kind == VL_STEP_WRITE_GRUB_CONFIG && g_strv_length (request->args) == 2)
    {
      gsize len = 0;
      g_autofree guchar *decoded = g_base64_decode (request->args[1], &len);
      g_autofree char *text = g_strndup ((const char *) decoded, len);

      if (decoded == NULL || strlen (text) != len || !g_utf8_validate (text, -1, NULL))
        {
          g_autofree char *shown = printable_line (request->args[0]);

          g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                       _("The contents of “%s” are not valid base64 text"), shown);
          return NULL;
        }
      g_free (request->args[1]);
      request->args[1] = g_steal_pointer (&text);
    }
  if (!vl_helper_request_validate (kind, (const char *const *) request->args, error))
    return NULL;
  return g_steal_pointer (&request);
}

char *
vl_helper_request_to_line (const VlHelperRequest *request)
{
  g_autoptr(GString) line = g_string_new (vl_step_kind_to_string (request->kind));

  for (guint i = 0; request->args[i] != NULL; i++)
    {
      g_string_append_c (line, '\t');
      if (request->kind == VL_STEP_WRITE_GRUB_CONFIG && i == 1)
        {
          g_autofree char *encoded = g_base64_encode ((const guchar *) request->args[i],
                                                      strlen (request->args[i]));
          g_string_append (line, encoded);
        }
      else
        g_string_append (line, request->args[i]);
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* The argv as a person would type it: quoted only where a shell would need it. */
char *
vl_command_to_string (const char *const *argv)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; argv[i] != NULL; i++)
    {
      gboolean plain = argv[i][0] != '\0';

      for (const char *p = argv[i]; *p != '\0'; p++)
        plain = plain && (g_ascii_isalnum (*p) || strchr ("-_./:=+,@%", *p) != NULL);
      if (i > 0)
        g_string_append_c (text, ' ');
      if (plain)
        g_string_append (text, argv[i]);
      else
        {
          g_autofree char *quoted = g_shell_quote (argv[i]);
          g_string_append (text, quoted);
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_command (GPtrArray *commands, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  va_start (ap, commands);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_ptr_array_add (commands, g_ptr_array_free (g_steal_pointer (&argv), FALSE));
}

static gboolean
uses_apt (const VlHelperSystem *system)
{
  return system->distribution != VL_DISTRIBUTION_FEDORA;
}

/* The exact argv of every command a request runs, in order: the plan shows these, the helper
 * runs these. Writing a grub.d file runs no command. */
GPtrArray *
vl_helper_request_commands (const VlHelperRequest *request, const VlHelperSystem *system)
{
  GPtrArray *commands = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *const *args = (const char *const *) request->args;

  switch (request->kind)
    {
    case VL_STEP_REFRESH_PACKAGES:
      if (uses_apt (system))
        add_command (commands, "apt-get", "update", NULL);
      else
        add_command (commands, "dnf", "makecache", NULL);
      break;

    case VL_STEP_INSTALL_PACKAGES:
      {
        g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

        /* As a person would type it; the helper adds apt's status descriptor when it runs it. */
        if (uses_apt (system))
          {
            const char *apt[] = { "apt-get", "install", "--yes", NULL };

            /* An install cut short (the helper killed, power lost) leaves dpkg's journal behind, and
             * apt-get then refuses everything until "dpkg --configure -a" has run: seen in a real
             * Debian 12 (tests/install/). With nothing pending it does nothing. */
            add_command (commands, "dpkg", "--configure", "--pending", NULL);

            for (guint i = 0; apt[i] != NULL; i++)
              g_ptr_array_add (argv, g_strdup (apt[i]));
          }
        else
          {
            g_ptr_array_add (argv, g_strdup ("dnf"));
            g_ptr_array_add (argv, g_strdup ("install"));
            g_ptr_array_add (argv, g_strdup ("--assumeyes"));
          }
        for (guint i = 0; args[i] != NULL; i++)
          g_ptr_array_add (argv, g_strdup (args[i]));
        g_ptr_array_add (argv, NULL);
        g_ptr_array_add (commands, g_ptr_array_steal (argv, NULL));
        break;
      }

    case VL_STEP_LOAD_MODULE:
      add_command (commands, "modprobe", args[0], NULL);
      break;

    case VL_STEP_WRITE_GRUB_CONFIG:
    case VL_STEP_RESTORE_GRUB_CONFIG:
      break;

    case VL_STEP_UPDATE_GRUB:
      if (uses_apt (system))
        add_command (commands, "update-grub", NULL);
      else
        add_command (commands, "grub2-mkconfig", "-o", "/boot/grub2/grub.cfg", NULL);
      break;

    case VL_STEP_ENABLE_SERVICE:
      if (system->has_systemd)
        add_command (commands, "systemctl", "enable", "--now", args[0], NULL);
      else if (system->init_system == VL_INIT_NONE)
        /* No init system runs (a container): boot links would start nothing; service(8) runs
         * the init script directly, so the daemon runs now, until the next restart. */
        add_command (commands, "service", args[0], "start", NULL);
      else
        {
          /* Without systemd (SysV init, containers): links for the boot, then start it now. */
          add_command (commands, "update-rc.d", args[0], "defaults", NULL);
          add_command (commands, "service", args[0], "start", NULL);
        }
      break;

    case VL_STEP_ADD_USER_TO_GROUP:
      add_command (commands, "usermod", "--append", "--groups", args[1], args[0], NULL);
      break;

    case VL_STEP_DEFINE_STORAGE_POOL:
      add_command (commands, "virsh", "--connect", "qemu:///system", "pool-define-as", "default",
                   "dir", "--target", "/var/lib/libvirt/images", NULL);
      add_command (commands, "virsh", "--connect", "qemu:///system", "pool-build", "default", NULL);
      add_command (commands, "virsh", "--connect", "qemu:///system", "pool-autostart", "default", NULL);
      add_command (commands, "virsh", "--connect", "qemu:///system", "pool-start", "default", NULL);
      break;

    case VL_STEP_BENCH_IMAGE:
      /* By bash: the installed script's mode bits do not matter, and nothing of the caller's
       * (its cache folder, its runner) reaches it. */
      add_command (commands, "/bin/bash", VL_BENCH_IMAGE_SCRIPT, "--cache", VL_BENCH_IMAGE_ROOT_CACHE, NULL);
      break;

    case VL_STEP_REBOOT:
    default:
      break;
    }
  return commands;
}

char *
vl_helper_request_grub_contents (const VlHelperRequest *request)
{
  if (request->kind != VL_STEP_WRITE_GRUB_CONFIG || g_strv_length (request->args) != 2)
    return NULL;
  return g_strdup (request->args[1]);
}
