/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark helper: creates and starts one guest through VlGuestCreator, as virt-install would. */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "vl-guest-creator.h"
#include "vl-gvir-autoptr.h"

typedef struct {
  GMainLoop *loop;
  GAsyncResult *result;
} Wait;

static void
done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConnection) conn = NULL;
  g_autoptr(VlGuestCreator) creator = NULL;
  g_autoptr(VlGuestSpec) spec = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  Wait wait = { NULL, NULL };
  gint64 start;

  setlocale (LC_ALL, "");
  if (argc != 4)
    {
      g_printerr ("usage: %s URI NAME ISO\n", argv[0]);
      return 2;
    }
  gvir_init_object (NULL, NULL);
  wait.loop = g_main_loop_new (NULL, FALSE);
  conn = gvir_connection_new (argv[1]);
  if (!gvir_connection_open (conn, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  creator = vl_guest_creator_new (conn);
  spec = vl_guest_spec_new ();
  vl_guest_creator_describe_host_async (creator, spec, NULL, done, &wait);
  g_main_loop_run (wait.loop);
  if (!vl_guest_creator_describe_host_finish (creator, wait.result, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_clear_object (&wait.result);

  /* The same guest as the virt-install command line in create.sh. */
  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, argv[3]);
  vl_guest_spec_set_use_kvm (spec, FALSE);
  vl_guest_spec_set_memory_mib (spec, 128);
  vl_guest_spec_set_vcpus (spec, 1);
  vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 1, NULL);
  vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_NONE, NULL, NULL);
  vl_guest_spec_set_name (spec, argv[2]);

  start = g_get_monotonic_time ();
  vl_guest_creator_create_async (creator, spec, TRUE, NULL, done, &wait);
  g_main_loop_run (wait.loop);
  domain = vl_guest_creator_create_finish (creator, wait.result, &error);
  g_clear_object (&wait.result);
  g_main_loop_unref (wait.loop);
  if (domain == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("create+start %.0f ms\n", (g_get_monotonic_time () - start) / 1000.0);
  return 0;
}
