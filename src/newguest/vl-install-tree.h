/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Network install trees: where a tree keeps its installer kernel and initrd, and fetching them. */
#pragma once

#include <gio/gio.h>
#include <osinfo/osinfo.h>

G_BEGIN_DECLS

/* The installer's kernel and initrd, relative to the tree's URL: from the OS's own tree entry in
 * osinfo-db (Debian, Ubuntu), else from the tree's .treeinfo (Fedora, RHEL, CentOS, SUSE). Blocks. */
gboolean vl_install_tree_find_boot_files (OsinfoOs      *os,
                                          const char    *url,
                                          const char    *arch,
                                          char         **kernel_rel,
                                          char         **initrd_rel,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* Called as bytes arrive: total is 0 when the server did not say how much it sends. */
typedef void (*VlDownloadProgress) (goffset received, goffset total, gpointer user_data);

typedef struct {
  VlDownloadProgress  progress;
  gpointer            user_data;
  GTlsDatabase       *tls_database;  /* NULL: the system's trusted authorities */
} VlDownloadOptions;

/* Fetches url (http://, https:// or file://) to the file dest with libsoup. Blocks (a worker
 * thread's call); follows redirects; a body shorter than its Content-Length, an HTTP error or an
 * untrusted certificate is an error that names the URL, and dest is then removed. */
gboolean vl_install_tree_download        (const char    *url,
                                          const char    *dest,
                                          GCancellable  *cancellable,
                                          GError       **error);
gboolean vl_install_tree_download_full   (const char              *url,
                                          const char              *dest,
                                          const VlDownloadOptions *options,
                                          GCancellable            *cancellable,
                                          GError                 **error);

/* url + "/" + relative path, without doubling the slash. */
char    *vl_install_tree_join            (const char *url,
                                          const char *relative);

G_END_DECLS
