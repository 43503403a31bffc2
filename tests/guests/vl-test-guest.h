/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test harness: software-emulated QEMU guests on a private qemu:///embed root, and a boot ISO. */
#pragma once

#include <libvirt-gobject/libvirt-gobject.h>

#include "vl-test-wait.h"

G_BEGIN_DECLS

typedef struct
{
  char           *root;         /* the embed root, a fresh temporary directory */
  char           *uri;
  GVirConnection *connection;
} VlTestHost;

VlTestHost *vl_test_host_new        (void);
void        vl_test_host_free       (VlTestHost  *host);
char       *vl_test_host_make_iso   (VlTestHost  *host,
                                     const char  *banner,
                                     const char  *help_page);
GVirDomain *vl_test_host_define     (VlTestHost  *host,
                                     const char  *name,
                                     const char  *iso_path,
                                     const char  *vnc_password);
void        vl_test_host_start      (VlTestHost  *host,
                                     GVirDomain  *domain);
void        vl_test_host_destroy    (VlTestHost  *host,
                                     GVirDomain  *domain);
char       *vl_test_ocr             (GdkPixbuf   *pixbuf);
/* Runs ARGV (a tool such as qemu-img) to its end; fails the test if it fails. OUT: its output. */
void        vl_test_run             (const char *const *argv,
                                     char       **out);
/* Adds a virtio disk on the file PATH (FORMAT qcow2 or raw) at TARGET to DOMAIN's definition. */
void        vl_test_add_disk        (GVirDomain  *domain,
                                     const char  *path,
                                     const char  *target,
                                     const char  *format);
gboolean    vl_test_domain_is_running (GVirDomain *domain);

G_END_DECLS
