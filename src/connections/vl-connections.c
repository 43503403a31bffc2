/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The list of libvirt connections: kept in GSettings, chosen on first start, overridden by --connect. */
#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixsocketaddress.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "vl-connections.h"
#include "vl-error.h"

struct _VlConnections
{
  GObject parent_instance;

  GSettings  *settings;
  GListStore *store;
  gboolean    overridden;  /* --connect given: use those URIs, leave the saved list alone */
};

G_DEFINE_FINAL_TYPE (VlConnections, vl_connections, G_TYPE_OBJECT)

static const char *const known_drivers[] = {
  "qemu", "xen", "libxl", "test", "lxc", "vbox", "esx", "bhyve", "ch", "vz", "openvz", "hyperv", NULL
};
static const char *const known_transports[] = {
  "ssh", "libssh", "libssh2", "tcp", "tls", "unix", "ext", NULL
};
static const char *const system_sockets[] = {
  "/run/libvirt/libvirt-sock", "/run/libvirt/virtqemud-sock", NULL
};

gboolean
vl_connection_uri_validate (const char *uri, GError **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) scheme = NULL;

  if (uri == NULL || *uri == '\0')
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("Enter a connection URI such as qemu:///system."));
      return FALSE;
    }
  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, &local_error);
  if (parsed == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” is not a URI: %s"), uri, local_error->message);
      return FALSE;
    }
  scheme = g_strsplit (g_uri_get_scheme (parsed), "+", 2);
  if (!g_strv_contains (known_drivers, scheme[0]))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” names no libvirt driver: start it with qemu, xen, test or lxc, as in qemu:///system."),
                   uri);
      return FALSE;
    }
  if (scheme[1] != NULL && !g_strv_contains (known_transports, scheme[1]))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” uses the unknown transport “%s”: use ssh, tcp, tls or unix."), uri, scheme[1]);
      return FALSE;
    }
  if (scheme[1] != NULL && !g_str_equal (scheme[1], "unix")
      && (g_uri_get_host (parsed) == NULL || *g_uri_get_host (parsed) == '\0'))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” names no host: write it as %s://user@host/system."), uri,
                   g_uri_get_scheme (parsed));
      return FALSE;
    }
  if (g_strcmp0 (g_uri_get_path (parsed), "") == 0 && !g_str_equal (scheme[0], "xen"))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” has no path: add /system or /session, as in qemu:///system."), uri);
      return FALSE;
    }
  return TRUE;
}

char *
vl_connections_embed_root (void)
{
  return g_build_filename (g_get_user_data_dir (), "virtlab", "embed", NULL);
}

/* The first-start rule of the issue, kept apart from the probing so it can be tested. */
const char *
vl_connections_pick_first_start (gboolean system_answers, gboolean is_root, const char *embed_uri)
{
  if (system_answers)
    return "qemu:///system";
  if (!is_root)
    return "qemu:///session";
  return embed_uri;
}

/* The root of a qemu:///embed?root=DIR URI, or NULL when the URI is not an embedded QEMU driver. */
char *
vl_connections_embed_root_of (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *root;

  if (uri == NULL || !g_str_has_prefix (uri, "qemu:///embed"))
    return NULL;
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  if (parsed == NULL || !g_str_equal (g_uri_get_path (parsed), "/embed") || g_uri_get_query (parsed) == NULL)
    return NULL;
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);
  root = params != NULL ? g_hash_table_lookup (params, "root") : NULL;
  return root != NULL && *root != '\0' ? g_strdup (root) : NULL;
}

/* Whether a qemu.conf sets KEY on a line of its own (a comment does not count). */
static gboolean
conf_sets (const char *contents, const char *key)
{
  g_autofree char *pattern = g_strdup_printf ("^[ \t]*%s[ \t]*=", key);

  return g_regex_match_simple (pattern, contents, G_REGEX_MULTILINE, 0);
}

/* The embedded driver runs QEMU inside our process tree and needs its output in files,
 * since there is no virtlogd to hand it to. Every embedded connection's open comes here first
 * (vl-connection.c), whoever added it; settings already in the file are kept, missing ones added. */
gboolean
vl_connections_prepare_embed_root (const char *root, GError **error)
{
  g_autofree char *etc = g_build_filename (root, "etc", NULL);
  g_autofree char *conf = g_build_filename (etc, "qemu.conf", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GString) more = NULL;
  gboolean is_root = geteuid () == 0;
  /* As root, QEMU would run as libvirt-qemu: it could not reach images under root's home, and a
   * root-only /dev/kvm would make libvirt re-probe QEMU on every define. Run it as root instead.
   * swtpm (a guest's emulated TPM) runs as "tss" by default, which cannot write a root-owned root.
   * No cgroups: without systemd, libvirt guesses them from the mount table, and any chroot with
   * /sys bound into it makes that guess wrong and every start fail. */
  const struct
  {
    const char *key;
    const char *line;
    gboolean root_only;
  } wanted[] = {
    { "stdio_handler", "stdio_handler = \"file\"\n", FALSE },
    { "cgroup_controllers", "cgroup_controllers = [ ]\n", FALSE },
    { "user", "user = \"root\"\n", TRUE },
    { "group", "group = \"root\"\n", TRUE },
    { "swtpm_user", "swtpm_user = \"root\"\n", TRUE },
    { "swtpm_group", "swtpm_group = \"root\"\n", TRUE },
  };

  if (!g_file_get_contents (conf, &contents, NULL, NULL))
    {
      if (g_mkdir_with_parents (etc, 0700) < 0)
        {
          int saved_errno = errno;
          g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION, _("Folder “%s” cannot be created: %s"), etc,
                       g_strerror (saved_errno));
          return FALSE;
        }
      contents = g_strdup ("");
    }

  more = g_string_new (contents);
  if (more->len > 0 && more->str[more->len - 1] != '\n')
    g_string_append_c (more, '\n');
  if (!conf_sets (contents, "stdio_handler"))
    g_string_append (more, "# Written by Virtlab for the embedded QEMU driver: no virtlogd here.\n");
  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    if ((is_root || !wanted[i].root_only) && !conf_sets (contents, wanted[i].key))
      g_string_append (more, wanted[i].line);
  if (g_str_equal (more->str, contents))
    return TRUE;
  return g_file_set_contents (conf, more->str, -1, error);
}

VlConnections *
vl_connections_new (GSettings *settings)
{
  VlConnections *self = g_object_new (VL_TYPE_CONNECTIONS, NULL);

  if (settings != NULL)
    self->settings = g_object_ref (settings);
  return self;
}

GListModel *
vl_connections_get_model (VlConnections *self)
{
  g_return_val_if_fail (VL_IS_CONNECTIONS (self), NULL);
  return G_LIST_MODEL (self->store);
}

static gboolean
find_index (VlConnections *self, const char *uri, guint *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VlConnection) conn = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_str_equal (vl_connection_get_uri (conn), uri))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

VlConnection *
vl_connections_find (VlConnections *self, const char *uri)
{
  guint position;
  g_autoptr(VlConnection) conn = NULL;

  g_return_val_if_fail (VL_IS_CONNECTIONS (self), NULL);

  if (!find_index (self, uri, &position))
    return NULL;
  conn = g_list_model_get_item (G_LIST_MODEL (self->store), position);
  return conn;  /* the store keeps it alive */
}

/* With --connect, the list shown is not the saved one: a connection the user adds or removes in
 * that run changes the saved list by that one URI only. */
static void
save_one (VlConnections *self, const char *uri, gboolean add)
{
  g_auto(GStrv) saved = g_settings_get_strv (self->settings, "connections");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) uris = NULL;

  for (guint i = 0; saved[i] != NULL; i++)
    if (!g_str_equal (saved[i], uri))
      g_strv_builder_add (builder, saved[i]);
  if (add)
    g_strv_builder_add (builder, uri);
  uris = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "connections", (const char * const *) uris);
}

static void
save (VlConnections *self, const char *changed_uri, gboolean added)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) uris = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  if (self->settings == NULL)
    return;
  if (self->overridden)
    {
      if (changed_uri != NULL)
        save_one (self, changed_uri, added);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VlConnection) conn = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      g_strv_builder_add (builder, vl_connection_get_uri (conn));
    }
  uris = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "connections", (const char * const *) uris);
}

/* --connect URIs whose opening started before any window existed: uri -> VlConnection. */
static GHashTable *early_connections;

/* Starts opening these URIs at once, before GTK and the window are set up: libvirt's open (a
 * thousand-guest test file takes 120 ms to parse, a remote host a round trip or more) then runs
 * in its worker thread while the window is built, and the page takes them over (append_and_open).
 * The embedded driver is left to the page: its capability probe must not start in a process that
 * may only hand its command line to a running Virtlab and quit. */
void
vl_connections_open_early (const char * const *uris)
{
  g_type_ensure (VL_TYPE_CONNECTION);  /* initialises libvirt and its event loop */
  if (early_connections == NULL)
    early_connections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (guint i = 0; uris != NULL && uris[i] != NULL; i++)
    {
      VlConnection *conn;

      if (g_str_has_prefix (uris[i], "qemu:///embed") || g_hash_table_contains (early_connections, uris[i]))
        continue;
      conn = vl_connection_new (uris[i]);
      g_hash_table_insert (early_connections, g_strdup (uris[i]), conn);
      vl_connection_open (conn);
    }
}

/* Closes the early connections no page took over (their URI was already in the list). */
void
vl_connections_close_early (void)
{
  GHashTableIter iter;
  gpointer value;

  if (early_connections == NULL)
    return;
  g_hash_table_iter_init (&iter, early_connections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    vl_connection_close (value);
  g_clear_pointer (&early_connections, g_hash_table_unref);
}

static VlConnection *
append_and_open (VlConnections *self, const char *uri)
{
  g_autoptr(VlConnection) conn = NULL;
  g_autofree char *early_uri = NULL;

  if (early_connections != NULL
      && g_hash_table_steal_extended (early_connections, uri, (gpointer *) &early_uri, (gpointer *) &conn))
    {
      g_list_store_append (self->store, conn);
      return conn;  /* already opening, or open */
    }
  conn = vl_connection_new (uri);
  g_list_store_append (self->store, conn);
  vl_connection_open (conn);
  return conn;
}

VlConnection *
vl_connections_add (VlConnections *self, const char *uri, GError **error)
{
  g_autofree char *stripped = NULL;
  VlConnection *conn;

  g_return_val_if_fail (VL_IS_CONNECTIONS (self), NULL);

  stripped = g_strstrip (g_strdup (uri != NULL ? uri : ""));
  if (!vl_connection_uri_validate (stripped, error))
    return NULL;
  if (vl_connections_find (self, stripped) != NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("“%s” is already in the list."), stripped);
      return NULL;
    }
  conn = append_and_open (self, stripped);
  save (self, stripped, TRUE);
  return conn;
}

gboolean
vl_connections_remove (VlConnections *self, const char *uri)
{
  guint position;
  g_autoptr(VlConnection) conn = NULL;

  g_return_val_if_fail (VL_IS_CONNECTIONS (self), FALSE);

  if (!find_index (self, uri, &position))
    return FALSE;
  conn = g_list_model_get_item (G_LIST_MODEL (self->store), position);
  vl_connection_close (conn);
  g_list_store_remove (self->store, position);
  save (self, uri, FALSE);
  return TRUE;
}

/* --connect: these URIs replace the saved list for this run only. */
void
vl_connections_use_uris (VlConnections *self, const char * const *uris)
{
  g_return_if_fail (VL_IS_CONNECTIONS (self));

  self->overridden = TRUE;
  for (guint i = 0; uris != NULL && uris[i] != NULL; i++)
    if (vl_connections_find (self, uris[i]) == NULL)
      append_and_open (self, uris[i]);
}

static gboolean
socket_answers (const char *path)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL);
  if (socket == NULL)
    return FALSE;
  address = g_unix_socket_address_new (path);
  return g_socket_connect (socket, address, NULL, NULL);
}

/* Runs in a thread: probing the daemon's socket and writing qemu.conf touch the disk. */
static void
first_start_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  gboolean system_answers = FALSE;
  g_autofree char *root = vl_connections_embed_root ();
  g_autofree char *embed_uri = g_strdup_printf ("qemu:///embed?root=%s", root);
  const char *uri;
  GError *error = NULL;

  for (guint i = 0; system_sockets[i] != NULL && !system_answers; i++)
    system_answers = socket_answers (system_sockets[i]);

  uri = vl_connections_pick_first_start (system_answers, geteuid () == 0, embed_uri);
  if (uri == embed_uri && !vl_connections_prepare_embed_root (root, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_strdup (uri), g_free);
}

static void
first_start_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  VlConnections *self = g_task_get_source_object (task);
  g_autofree char *uri = NULL;
  GError *error = NULL;

  uri = g_task_propagate_pointer (G_TASK (res), &error);
  if (uri == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!self->overridden && vl_connections_find (self, uri) == NULL)
    {
      append_and_open (self, uri);
      save (self, NULL, FALSE);
    }
  g_task_return_boolean (task, TRUE);
}

void
vl_connections_load_async (VlConnections *self, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_auto(GStrv) saved = NULL;

  g_return_if_fail (VL_IS_CONNECTIONS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, vl_connections_load_async);

  if (self->overridden)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->settings != NULL)
    saved = g_settings_get_strv (self->settings, "connections");
  if (saved != NULL && saved[0] != NULL)
    {
      for (guint i = 0; saved[i] != NULL; i++)
        if (vl_connections_find (self, saved[i]) == NULL)
          append_and_open (self, saved[i]);
      g_task_return_boolean (task, TRUE);
      return;
    }

  {
    g_autoptr(GTask) probe = g_task_new (self, cancellable, first_start_done, g_steal_pointer (&task));
    g_task_run_in_thread (probe, first_start_thread);
  }
}

gboolean
vl_connections_load_finish (VlConnections *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
vl_connections_dispose (GObject *object)
{
  VlConnections *self = VL_CONNECTIONS (object);
  guint n = self->store != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->store)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VlConnection) conn = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      vl_connection_close (conn);
    }
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (vl_connections_parent_class)->dispose (object);
}

static void
vl_connections_class_init (VlConnectionsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = vl_connections_dispose;
}

static void
vl_connections_init (VlConnections *self)
{
  g_type_ensure (VL_TYPE_CONNECTION);  /* initialises libvirt and its event loop */
  self->store = g_list_store_new (VL_TYPE_CONNECTION);
}
