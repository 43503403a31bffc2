/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Virtlab's virConnectOpen (src/guests/vl-connect-open.c): in effect in this build, forwarding to
 * libvirt's own when no credentials are pending; and, built as a packaging change could leave it
 * (not exported: VL_DEFEATED), noticed by the self-check instead of failing silently. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* RTLD_NEXT, dladdr */
#endif
#include "config.h"

#include <string.h>
#include <dlfcn.h>
#include <locale.h>
#include <libvirt/libvirt.h>
#include <libvirt-gobject/libvirt-gobject.h>

#include "vl-connect-open.h"
#include "vl-error.h"
#include "vl-gvir-autoptr.h"

static void
open_test_driver (void)
{
  g_autoptr(GVirConnection) conn = gvir_connection_new ("test:///default");
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (gvir_connection_open (conn, NULL, &error));
  g_assert_no_error (error);
  /* libvirt's real test driver answered: its own guest "test" is there. */
  g_assert_true (gvir_connection_fetch_domains (conn, NULL, &error));
  domain = gvir_connection_find_domain_by_name (conn, "test");
  g_assert_nonnull (domain);
  gvir_connection_close (conn);
}

#ifndef VL_DEFEATED

static void
test_in_effect (void)
{
  g_autoptr(GError) error = NULL;
  guint before;
  void *global = dlsym (RTLD_DEFAULT, "virConnectOpen");
  void *next = dlsym (RTLD_NEXT, "virConnectOpen");
  Dl_info info;

  /* The process-wide definition (what libvirt-gobject binds to) is Virtlab's; libvirt's comes next. */
  g_assert_true (global == (void *) virConnectOpen);
  g_assert_nonnull (next);
  g_assert_true (next != global);
  g_assert_true (dladdr (next, &info) != 0);
  g_test_message ("libvirt's virConnectOpen is in %s", info.dli_fname);
  g_assert_nonnull (strstr (info.dli_fname, "libvirt.so"));

  {
    gint64 start = g_get_monotonic_time ();

    g_assert_true (vl_connect_open_self_check (&error));
    g_assert_no_error (error);
    /* A figure, not a target: the app runs it in a thread at start-up. */
    g_test_message ("self-check (libvirt-gobject opening test:///default): %.1f ms",
                    (g_get_monotonic_time () - start) / 1000.0);
  }

  /* Without credentials an open is libvirt's own, and it came through here. */
  before = vl_connect_open_get_calls ();
  open_test_driver ();
  g_assert_cmpuint (vl_connect_open_get_calls (), ==, before + 1);
}

/* The packaged program, not only this test: virtlab itself exports the symbol. */
static void
test_app_exports (void)
{
  const char *app = g_getenv ("VIRTLAB");
  const char *argv[] = { "nm", "-D", "--defined-only", app, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean found = FALSE;
  int status = 0;

  g_assert_nonnull (app);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    found |= g_str_has_suffix (lines[i], " T virConnectOpen");
  g_assert_true (found);
}

#else

/* As a build that does not export it: libvirt-gobject reaches libvirt directly, and the self-check
 * says so (the app prints it at start-up, and a log-in shows it) instead of asking for passwords it
 * can never pass on. */
static void
test_defeated_noticed (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (vl_connect_open_self_check (&error));
  g_assert_error (error, VL_ERROR, VL_ERROR_FAILED);
  g_test_message ("self-check: %s", error->message);
  g_assert_nonnull (strstr (error->message, "virConnectOpen"));
  /* Opens still work, just without Virtlab in between. */
  open_test_driver ();
  g_assert_cmpuint (vl_connect_open_get_calls (), ==, 0);
}

#endif

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  gvir_init_object (NULL, NULL);
#ifndef VL_DEFEATED
  g_test_add_func ("/connect-open/in-effect", test_in_effect);
  g_test_add_func ("/connect-open/app-exports", test_app_exports);
#else
  g_test_add_func ("/connect-open/defeated-build-is-noticed", test_defeated_noticed);
#endif
  return g_test_run ();
}
