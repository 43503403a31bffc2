/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Network install trees: the installer's kernel and initrd located through libosinfo and fetched over HTTP. */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "vl-error.h"
#include "vl-install-tree.h"

#define MAX_REDIRECTS 5

char *
vl_install_tree_join (const char *url, const char *relative)
{
  g_autofree char *base = g_strdup (url);
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  while (*relative == '/')
    relative++;
  return g_strconcat (base, "/", relative, NULL);
}

static gboolean
from_os_entry (OsinfoOs *os, const char *arch, char **kernel_rel, char **initrd_rel)
{
  g_autoptr(OsinfoTreeList) trees = NULL;
  gint n;

  if (os == NULL)
    return FALSE;
  trees = osinfo_os_get_tree_list (os);
  n = osinfo_list_get_length (OSINFO_LIST (trees));
  for (gint i = 0; i < n; i++)
    {
      OsinfoTree *tree = OSINFO_TREE (osinfo_list_get_nth (OSINFO_LIST (trees), i));

      if (g_strcmp0 (osinfo_tree_get_architecture (tree), arch) == 0
          && osinfo_tree_get_kernel_path (tree) != NULL && osinfo_tree_get_initrd_path (tree) != NULL)
        {
          *kernel_rel = g_strdup (osinfo_tree_get_kernel_path (tree));
          *initrd_rel = g_strdup (osinfo_tree_get_initrd_path (tree));
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
vl_install_tree_find_boot_files (OsinfoOs *os, const char *url, const char *arch, char **kernel_rel,
                                 char **initrd_rel, GCancellable *cancellable, GError **error)
{
  g_autoptr(OsinfoTree) tree = NULL;
  g_autoptr(GError) local_error = NULL;

  if (from_os_entry (os, arch, kernel_rel, initrd_rel))
    return TRUE;
  tree = osinfo_tree_create_from_location (url, cancellable, &local_error);
  if (tree != NULL && osinfo_tree_get_kernel_path (tree) != NULL && osinfo_tree_get_initrd_path (tree) != NULL)
    {
      *kernel_rel = g_strdup (osinfo_tree_get_kernel_path (tree));
      *initrd_rel = g_strdup (osinfo_tree_get_initrd_path (tree));
      return TRUE;
    }
  g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND,
               _("Where the installer’s kernel is in the install tree “%s” is not known: choose its operating "
                 "system, or use a tree with a .treeinfo file (%s)."),
               url, local_error != NULL ? local_error->message : _("none found"));
  return FALSE;
}

/* ---- a small HTTP/1.0 client: enough for install trees, with redirects; no gvfs on these hosts ---- */

static gboolean
http_get (const char *url, GOutputStream *out, int redirects, GCancellable *cancellable, GError **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *request = NULL;
  g_autofree char *status_line = NULL;
  g_autofree char *location = NULL;
  const char *path;
  gboolean https;
  int port, status = 0;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("“%s” is not a web address."), url);
      return FALSE;
    }
  https = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0;
  port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : (https ? 443 : 80);
  g_socket_client_set_tls (client, https);
  g_socket_client_set_timeout (client, 30);
  conn = g_socket_client_connect_to_host (client, g_uri_get_host (uri), (guint16) port, cancellable, error);
  if (conn == NULL)
    return FALSE;
  path = *g_uri_get_path (uri) != '\0' ? g_uri_get_path (uri) : "/";
  request = g_strdup_printf ("GET %s%s%s HTTP/1.0\r\nHost: %s\r\nUser-Agent: Virtlab/" PACKAGE_VERSION "\r\n"
                             "Connection: close\r\n\r\n",
                             path, g_uri_get_query (uri) != NULL ? "?" : "",
                             g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "", g_uri_get_host (uri));
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request, strlen (request),
                                  NULL, cancellable, error))
    return FALSE;
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  status_line = g_data_input_stream_read_line (in, NULL, cancellable, error);
  if (status_line == NULL)
    return FALSE;
  if (sscanf (status_line, "HTTP/%*d.%*d %d", &status) != 1)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_PARSE, _("“%s” did not answer as a web server does."), url);
      return FALSE;
    }
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (in, NULL, cancellable, error);

      if (line == NULL)
        return FALSE;
      g_strstrip (line);
      if (*line == '\0')
        break;
      if (g_ascii_strncasecmp (line, "Location:", 9) == 0)
        {
          g_free (location);
          location = g_strdup (g_strstrip (line + 9));
        }
    }
  if (status >= 300 && status < 400 && location != NULL)
    {
      g_autofree char *next = g_uri_resolve_relative (url, location, G_URI_FLAGS_ENCODED, error);

      if (next == NULL)
        return FALSE;
      if (redirects >= MAX_REDIRECTS)
        {
          g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("“%s” redirects too often."), url);
          return FALSE;
        }
      return http_get (next, out, redirects + 1, cancellable, error);
    }
  if (status != 200)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_NOT_FOUND, _("“%s” could not be fetched: %s"), url,
                   g_strstrip (status_line + 8));
      return FALSE;
    }
  return g_output_stream_splice (out, G_INPUT_STREAM (in), G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, cancellable,
                                 error) >= 0;
}

gboolean
vl_install_tree_download (const char *url, const char *dest, GCancellable *cancellable, GError **error)
{
  g_autoptr(GFile) target = g_file_new_for_path (dest);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autofree char *scheme = g_uri_parse_scheme (url);
  gboolean ok;

  if (g_strcmp0 (scheme, "file") == 0)
    {
      g_autoptr(GFile) source = g_file_new_for_uri (url);

      return g_file_copy (source, target, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, error);
    }
  out = g_file_replace (target, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, error);
  if (out == NULL)
    return FALSE;
  ok = http_get (url, G_OUTPUT_STREAM (out), 0, cancellable, error);
  if (!ok)
    {
      g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
      g_unlink (dest);
    }
  return ok;
}
