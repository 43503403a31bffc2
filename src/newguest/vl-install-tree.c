/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Network install trees: the installer's kernel and initrd located through libosinfo and fetched with libsoup. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "vl-error.h"
#include "vl-install-tree.h"

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

/* ---- downloads: libsoup 3 (https, redirects, Content-Length) ------------------------------ */

#define READ_SIZE (64 * 1024)

static char *
describe_certificate_errors (GTlsCertificateFlags flags)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (reasons, (gpointer) _("it is not signed by a trusted authority"));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (reasons, (gpointer) _("it is for another server name"));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_ptr_array_add (reasons, (gpointer) _("it is not valid yet"));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    g_ptr_array_add (reasons, (gpointer) _("it has expired"));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (reasons, (gpointer) _("it has been revoked"));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (reasons, (gpointer) _("its algorithm is insecure"));
  if (reasons->len == 0)
    g_ptr_array_add (reasons, (gpointer) _("it could not be checked"));
  g_ptr_array_add (reasons, NULL);
  return g_strjoinv (_("; "), (char **) reasons->pdata);
}

/* What went wrong, in the user's language, naming the URL; libsoup's own text in brackets. */
static void
set_send_error (GError **error, const char *url, SoupMessage *msg, GError *cause)
{
  GTlsCertificateFlags flags = soup_message_get_tls_peer_certificate_errors (msg);

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (cause));
      return;
    }
  if (flags != 0 || g_error_matches (cause, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      g_autofree char *reasons = describe_certificate_errors (flags);

      g_set_error (error, VL_ERROR, VL_ERROR_PERMISSION,
                   _("The server of “%s” presented a certificate that is not trusted: %s. Nothing was "
                     "downloaded (%s)."), url, reasons, cause->message);
      return;
    }
  if (cause->domain == G_TLS_ERROR)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                   _("No secure (TLS) connection could be made to the server of “%s” (%s)."), url,
                   cause->message);
      return;
    }
  if (g_error_matches (cause, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("“%s” redirects too often (%s)."), url, cause->message);
      return;
    }
  g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("“%s” could not be fetched: %s"), url, cause->message);
}

static gboolean
http_download (const char *url, GOutputStream *out, const VlDownloadOptions *options, GCancellable *cancellable,
               GError **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("user-agent", "Virtlab/" PACKAGE_VERSION,
                                                                  "timeout", 60, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *buffer = NULL;
  SoupMessageHeaders *headers;
  goffset total = 0, received = 0;
  guint status;

  {
    g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);

    if (uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0')
      msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  }
  if (msg == NULL)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT, _("“%s” is not a web address."), url);
      return FALSE;
    }
  if (options != NULL && options->tls_database != NULL)
    soup_session_set_tls_database (session, options->tls_database);
  body = soup_session_send (session, msg, cancellable, &local_error);
  if (body == NULL)
    {
      set_send_error (error, url, msg, local_error);
      return FALSE;
    }
  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *reason = soup_message_get_reason_phrase (msg);

      g_set_error (error, VL_ERROR, status == SOUP_STATUS_NOT_FOUND ? VL_ERROR_NOT_FOUND : VL_ERROR_FAILED,
                   _("“%s” could not be fetched: the server answered %u %s."), url, status,
                   reason != NULL && *reason != '\0' ? reason : soup_status_get_phrase (status));
      return FALSE;
    }
  headers = soup_message_get_response_headers (msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    total = soup_message_headers_get_content_length (headers);
  if (options != NULL && options->progress != NULL)
    options->progress (0, total, options->user_data);

  buffer = g_malloc (READ_SIZE);
  for (;;)
    {
      gssize n = g_input_stream_read (body, buffer, READ_SIZE, cancellable, &local_error);

      if (n < 0)
        {
          g_autofree char *got = g_format_size (received);

          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                       _("The download of “%s” broke off after %s: %s"), url, got, local_error->message);
          return FALSE;
        }
      if (n == 0)
        break;
      if (!g_output_stream_write_all (out, buffer, n, NULL, cancellable, error))
        return FALSE;
      received += n;
      if (options != NULL && options->progress != NULL)
        options->progress (received, total, options->user_data);
    }
  /* The server said how much it sends: less is a truncated file, never a complete one. */
  if (total > 0 && received != total)
    {
      g_autofree char *got = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) received);
      g_autofree char *announced = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) total);

      g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                   _("The download of “%s” is incomplete: the server announced %s bytes but sent %s."),
                   url, announced, got);
      return FALSE;
    }
  g_input_stream_close (body, NULL, NULL);
  return TRUE;
}

static void
file_copy_progress (goffset current, goffset total, gpointer user_data)
{
  const VlDownloadOptions *options = user_data;

  options->progress (current, total, options->user_data);
}

gboolean
vl_install_tree_download_full (const char *url, const char *dest, const VlDownloadOptions *options,
                               GCancellable *cancellable, GError **error)
{
  g_autoptr(GFile) target = g_file_new_for_path (dest);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autofree char *scheme = g_uri_parse_scheme (url);
  gboolean ok;

  if (g_strcmp0 (scheme, "file") == 0)
    {
      g_autoptr(GFile) source = g_file_new_for_uri (url);
      gboolean with_progress = options != NULL && options->progress != NULL;

      return g_file_copy (source, target, G_FILE_COPY_OVERWRITE, cancellable,
                          with_progress ? file_copy_progress : NULL, (gpointer) options, error);
    }
  if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT,
                   _("“%s” is not a web address (http:// or https://) or a file:// address."), url);
      return FALSE;
    }
  out = g_file_replace (target, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, error);
  if (out == NULL)
    return FALSE;
  ok = http_download (url, G_OUTPUT_STREAM (out), options, cancellable, error);
  /* A failed download leaves no file behind that could be taken for the installer. */
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), NULL, ok ? error : NULL))
    ok = FALSE;
  if (!ok)
    g_unlink (dest);
  return ok;
}

gboolean
vl_install_tree_download (const char *url, const char *dest, GCancellable *cancellable, GError **error)
{
  return vl_install_tree_download_full (url, dest, NULL, cancellable, error);
}
