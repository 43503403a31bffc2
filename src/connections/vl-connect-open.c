/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one place Virtlab stands in for a libvirt function: virConnectOpen.
 *
 * libvirt-gobject opens every connection with virConnectOpen (gvir_connection_open), which gives
 * libvirt no way to ask for a user name or password: SASL then finds "no worthy mechanism". A
 * GVirConnection built from a handle Virtlab opened itself with virConnectOpenAuth would not do: only
 * gvir_connection_open registers the domain events that libvirt-gobject turns into its signals
 * (domain-added, started, stopped, …), which the guest list lives on.
 *
 * So this program defines virConnectOpen: the dynamic linker binds libvirt-gobject's call (and any
 * other call of the symbol, libvirt's own included) to this one. While the calling thread has
 * credentials pending (an open Virtlab runs with what the user typed), it opens with libvirt's
 * virConnectOpenAuth and a callback answering from them; otherwise it forwards to libvirt's own
 * virConnectOpen, found with dlsym (RTLD_NEXT), unchanged.
 *
 * A build that does not export this symbol (static linking, link-time optimisation that internalises
 * it, hidden visibility) silently loses it; vl_connect_open_self_check () notices, the application
 * runs it at start-up, and tests/guests/test-connect-open.c checks both sides. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* RTLD_NEXT */
#endif
#include "config.h"

#include <dlfcn.h>
#include <string.h>
#include <glib/gi18n.h>
#include <libvirt/libvirt.h>
#include <libvirt-gobject/libvirt-gobject.h>

#include "vl-auth.h"
#include "vl-connect-open.h"
#include "vl-error.h"
#include "vl-gvir-autoptr.h"

/* The test of a defeated build compiles this file with hidden visibility; every other build exports
 * the symbol whatever -fvisibility a packager chooses. */
#ifndef VL_CONNECT_OPEN_VISIBILITY
#define VL_CONNECT_OPEN_VISIBILITY __attribute__ ((visibility ("default")))
#endif

typedef struct
{
  char *username;
  char *password;
  gboolean probe;      /* the self-check's open: record that it came through, nothing else */
  gboolean probed;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_free (pending->username);
  if (pending->password != NULL)
    explicit_bzero (pending->password, strlen (pending->password));
  g_free (pending->password);
  g_free (pending);
}

static GPrivate pending_key = G_PRIVATE_INIT (pending_free);
static gint calls;

typedef virConnectPtr (*OpenFunc) (const char *name);

/* libvirt's own virConnectOpen: the next definition after this program's in the lookup order. */
static OpenFunc
libvirt_open (void)
{
  static OpenFunc func;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      func = (OpenFunc) dlsym (RTLD_NEXT, "virConnectOpen");
      g_once_init_leave (&once, 1);
    }
  return func;
}

void
vl_connect_open_set_credentials (const char *username, const char *password)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->username = g_strdup (username);
  pending->password = g_strdup (password);
  g_private_replace (&pending_key, pending);
}

void
vl_connect_open_clear_credentials (void)
{
  g_private_replace (&pending_key, NULL);
}

guint
vl_connect_open_get_calls (void)
{
  return (guint) g_atomic_int_get (&calls);
}

static int
answer_libvirt (virConnectCredentialPtr credentials, unsigned int n_credentials, void *data)
{
  Pending *pending = data;

  return vl_auth_answer (credentials, n_credentials, pending->username, pending->password);
}

VL_CONNECT_OPEN_VISIBILITY virConnectPtr virConnectOpen (const char *name);

virConnectPtr
virConnectOpen (const char *name)
{
  static int asked[] = { VIR_CRED_AUTHNAME, VIR_CRED_USERNAME, VIR_CRED_PASSPHRASE };
  Pending *pending = g_private_get (&pending_key);
  OpenFunc forward;

  g_atomic_int_inc (&calls);
  if (pending != NULL && pending->probe)
    pending->probed = TRUE;
  if (pending != NULL && pending->password != NULL)
    {
      virConnectAuth auth = { asked, G_N_ELEMENTS (asked), answer_libvirt, pending };

      return virConnectOpenAuth (name, &auth, 0);
    }
  forward = libvirt_open ();
  if (forward == NULL || forward == virConnectOpen)
    {
      /* Cannot happen while libvirt is linked in; say so rather than open something else. */
      g_critical ("libvirt's virConnectOpen was not found after Virtlab's (dlsym: %s)", dlerror ());
      return NULL;
    }
  return forward (name);
}

static gboolean
self_check (GError **error)
{
  OpenFunc forward = libvirt_open ();
  g_autoptr(GVirConnection) conn = NULL;
  g_autoptr(GError) local_error = NULL;
  Pending *probe;
  gboolean opened, probed;

  if (forward == NULL || forward == virConnectOpen)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                   _("libvirt’s own virConnectOpen cannot be found after Virtlab’s."));
      return FALSE;
    }
  /* The real path: libvirt-gobject opening libvirt's test driver (in memory, a few milliseconds). */
  gvir_init_object (NULL, NULL);
  probe = g_new0 (Pending, 1);
  probe->probe = TRUE;
  g_private_replace (&pending_key, probe);
  conn = gvir_connection_new ("test:///default");
  opened = gvir_connection_open (conn, NULL, &local_error);
  probed = probe->probed;
  g_private_replace (&pending_key, NULL);
  if (opened)
    gvir_connection_close (conn);
  if (!opened)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                   _("libvirt’s test driver could not be opened for the check: %s"), local_error->message);
      return FALSE;
    }
  if (!probed)
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED,
                   _("libvirt-gobject’s virConnectOpen does not reach Virtlab’s (this build does not export "
                     "it), so hosts that ask for a user name and password cannot be logged in to."));
      return FALSE;
    }
  return TRUE;
}

gboolean
vl_connect_open_self_check (GError **error)
{
  static gsize once;
  static gboolean ok;
  static char *why;

  if (g_once_init_enter (&once))
    {
      g_autoptr(GError) local_error = NULL;

      ok = self_check (&local_error);
      why = local_error != NULL ? g_strdup (local_error->message) : NULL;
      g_once_init_leave (&once, 1);
    }
  if (!ok)
    g_set_error_literal (error, VL_ERROR, VL_ERROR_FAILED, why);
  return ok;
}
