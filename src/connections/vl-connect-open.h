/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Virtlab's virConnectOpen: how libvirt-gobject's opens get the user's credentials (SASL). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The user name and password for the opens this thread runs until cleared (NULL password: none). */
void     vl_connect_open_set_credentials   (const char *username,
                                            const char *password);
void     vl_connect_open_clear_credentials (void);

/* Whether libvirt-gobject's virConnectOpen lands in Virtlab's (checked once, by really opening
 * test:///default through gvir_connection_open, and remembered). FALSE says why in error: then a
 * host that asks for a password cannot be logged in to. */
gboolean vl_connect_open_self_check        (GError **error);

/* How many opens came through Virtlab's virConnectOpen in this process (for tests). */
guint    vl_connect_open_get_calls         (void);

G_END_DECLS
