/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whether QEMU, as the user it runs as, can open /dev/kvm: its mode bits, owner and group. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vl-kvm-access.h"
#include "vl-libvirt-xml.h"

gboolean
vl_kvm_access_qemu_user (const char *capabilities_xml, guint *uid, guint *gid)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *label = NULL;
  guint64 u, g;
  char *end = NULL;

  if (capabilities_xml == NULL)
    return FALSE;
  doc = vl_libvirt_xml_parse (capabilities_xml, "capabilities", VL_LIBVIRT_XML_NONE, NULL);
  if (doc == NULL)
    return FALSE;
  label = vl_libvirt_xml_xpath_string (doc, "string(/capabilities/host/secmodel[model='dac']"
                                            "/baselabel[@type='kvm'])");
  /* "+UID:+GID"; a name ("libvirt-qemu:kvm") is not what libvirt reports here. */
  if (label == NULL || label[0] != '+')
    return FALSE;
  u = g_ascii_strtoull (label + 1, &end, 10);
  if (end == label + 1 || end[0] != ':' || end[1] != '+')
    return FALSE;
  {
    const char *gid_text = end + 2;

    g = g_ascii_strtoull (gid_text, &end, 10);
    if (end == gid_text || *end != '\0' || u > G_MAXUINT || g > G_MAXUINT)
      return FALSE;
  }
  *uid = (guint) u;
  *gid = (guint) g;
  return TRUE;
}

/* Whether uid (with primary group gid and the groups /etc/group gives its name) may read and write a
 * file of this mode, owner and group. */
static gboolean
user_may_use (const struct stat *st, guint uid, guint gid)
{
  struct passwd *pw;
  gboolean in_group = st->st_gid == gid;

  if (uid == 0)
    return TRUE;
  if (st->st_uid == uid)
    return (st->st_mode & (S_IRUSR | S_IWUSR)) == (S_IRUSR | S_IWUSR);
  pw = getpwuid (uid);
  if (!in_group && pw != NULL)
    {
      int n = 64;
      gid_t groups[64];

      if (getgrouplist (pw->pw_name, gid, groups, &n) >= 0)
        {
          for (int i = 0; i < n && !in_group; i++)
            in_group = groups[i] == st->st_gid;
        }
    }
  if (in_group)
    return (st->st_mode & (S_IRGRP | S_IWGRP)) == (S_IRGRP | S_IWGRP);
  return (st->st_mode & (S_IROTH | S_IWOTH)) == (S_IROTH | S_IWOTH);
}

VlKvmAccess
vl_kvm_access_check (const char *device, gboolean as_caller, guint uid, guint gid, char **reason)
{
  struct stat st;

  g_return_val_if_fail (device != NULL, VL_KVM_ACCESS_UNKNOWN);
  if (stat (device, &st) != 0)
    {
      if (errno != ENOENT)
        return VL_KVM_ACCESS_UNKNOWN;
      if (reason != NULL)
        *reason = g_strdup_printf (_("%s does not exist on this host"), device);
      return VL_KVM_ACCESS_MISSING;
    }
  if (as_caller)
    {
      if (access (device, R_OK | W_OK) == 0)
        return VL_KVM_ACCESS_USABLE;
      if (reason != NULL)
        *reason = g_strdup_printf (
          _("you may not read and write %s, and QEMU runs as you on this connection"), device);
      return VL_KVM_ACCESS_DENIED;
    }
  if (user_may_use (&st, uid, gid))
    return VL_KVM_ACCESS_USABLE;
  if (reason != NULL)
    {
      struct passwd *pw = getpwuid (uid);
      g_autofree char *who = pw != NULL ? g_strdup_printf ("%s (%u)", pw->pw_name, uid)
                                        : g_strdup_printf ("%u", uid);

      /* Translators: the first %s is a user name and number, e.g. "libvirt-qemu (64055)". */
      *reason = g_strdup_printf (_("libvirt runs QEMU as the user %s, who may not read and write %s"), who,
                                 device);
    }
  return VL_KVM_ACCESS_DENIED;
}

char *
vl_kvm_access_without_extensions (const char *root)
{
  g_autofree char *cpuinfo_path = g_build_filename (root, "proc", "cpuinfo", NULL);
  g_autofree char *modules_path = g_build_filename (root, "sys", "module", NULL);
  g_autofree char *cpuinfo = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GDir) modules = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *names = NULL;
  gboolean flags_seen = FALSE;
  const char *name;

  if (!g_file_get_contents (cpuinfo_path, &cpuinfo, NULL, NULL))
    return NULL;
  lines = g_strsplit (cpuinfo, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) flags = NULL;

      if (!g_str_has_prefix (lines[i], "flags") || strchr (lines[i], ':') == NULL)
        continue;
      flags_seen = TRUE;
      flags = g_strsplit (strchr (lines[i], ':') + 1, " ", -1);
      if (g_strv_contains ((const char *const *) flags, "vmx") ||
          g_strv_contains ((const char *const *) flags, "svm"))
        return NULL;
      break;
    }
  /* Not x86 (no "flags"), or the extensions are there: an ordinary KVM. */
  if (!flags_seen)
    return NULL;
  modules = g_dir_open (modules_path, 0, NULL);
  while (modules != NULL && (name = g_dir_read_name (modules)) != NULL)
    {
      if (g_str_has_prefix (name, "kvm_") && g_strcmp0 (name, "kvm_intel") != 0 &&
          g_strcmp0 (name, "kvm_amd") != 0)
        g_ptr_array_add (others, g_strdup (name));
    }
  if (others->len == 0)
    return NULL;
  g_ptr_array_sort (others, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (others, NULL);
  names = g_strjoinv (", ", (char **) others->pdata);
  return g_strdup_printf (_("the processor shows neither VT-x nor AMD-V, and /dev/kvm comes from %s, which "
                             "runs "
                             "only guests made for it"),
                          names);
}

char *
vl_kvm_access_unusable (const char *uri, const char *caps_xml, const char *device, const char *root)
{
  g_autoptr(GUri) parsed = uri != NULL ? g_uri_parse (uri, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host;
  const char *path;
  char *reason = NULL;
  guint uid = 0, gid = 0;
  gboolean as_caller;

  if (parsed == NULL || !g_str_has_prefix (g_uri_get_scheme (parsed), "qemu"))
    return NULL;
  host = g_uri_get_host (parsed);
  if (host != NULL && *host != '\0')
    return NULL;
  if (caps_xml == NULL ||
      (strstr (caps_xml, "type=\"kvm\"") == NULL && strstr (caps_xml, "type='kvm'") == NULL))
    return NULL;
  path = g_uri_get_path (parsed);
  as_caller = g_strcmp0 (path, "/session") == 0 || g_strcmp0 (path, "/embed") == 0;
  if (!as_caller && !vl_kvm_access_qemu_user (caps_xml, &uid, &gid))
    return NULL;
  if (vl_kvm_access_check (device, as_caller, uid, gid, &reason) == VL_KVM_ACCESS_USABLE)
    reason = vl_kvm_access_without_extensions (root);
  return reason;
}
