/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The user name and password a libvirt connection asks for: checks, and answers to libvirt's questions. */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

gboolean  vl_auth_credentials_check (const char            *username,
                                     const char            *password,
                                     GError               **error);
int       vl_auth_answer            (virConnectCredentialPtr credentials,
                                     unsigned int           n_credentials,
                                     const char            *username,
                                     const char            *password);
char     *vl_auth_uri_dup_username  (const char            *uri);

G_END_DECLS
