/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Clone dialog under Xvfb on libvirt's test driver: the suggested name, names refused as they are
 * typed (what was typed stays), then a clone made through the dialog with its progress. */
#include "config.h"

#include <gtk/gtk.h>
#include <libvirt/libvirt.h>

#include "vl-clone-dialog.h"
#include "vl-test-wait.h"

static gboolean
made (gpointer dialog)
{
  return vl_clone_dialog_get_made (dialog) != NULL || !vl_clone_dialog_is_running (dialog);
}

static void
test_clone_dialog (void)
{
  g_autoptr(GVirConnection) conn = gvir_connection_new ("test:///default");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirDomain) source = NULL;
  virConnectPtr raw;
  virStoragePoolPtr pool;
  virStorageVolPtr vol, copy;
  virDomainPtr src, clone;
  const char *existing[] = { "test", "src", "src-clone", NULL };
  VlCloneDialog *dialog;
  int responses = 0;

  g_assert_true (gvir_connection_open (conn, NULL, &error));
  g_object_get (conn, "handle", &raw, NULL);
  pool = virStoragePoolLookupByName (raw, "default-pool");
  vol = virStorageVolCreateXML (pool, "<volume><name>src.qcow2</name><capacity unit='MiB'>64</capacity>"
                                      "<target><format type='qcow2'/></target></volume>", 0);
  src = virDomainDefineXML (raw, "<domain type='test'><name>src</name><memory>65536</memory>"
                                 "<os><type>hvm</type></os><devices>"
                                 "<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>"
                                 "<source pool='default-pool' volume='src.qcow2'/><target dev='vda'/></disk>"
                                 "</devices></domain>");
  g_assert_nonnull (src);
  g_assert_true (gvir_connection_fetch_domains (conn, NULL, &error));
  source = gvir_connection_find_domain_by_name (conn, "src");

  dialog = vl_clone_dialog_new (NULL, source, existing);
  g_object_ref_sink (dialog);
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (g_atomic_int_inc), &responses);
  gtk_widget_show (GTK_WIDGET (dialog));
  /* "src-clone" is taken (in EXISTING): the next free one is offered. */
  g_assert_cmpstr (gtk_entry_get_text (vl_clone_dialog_get_entry (dialog)), ==, "src-clone2");
  g_assert_null (vl_clone_dialog_get_message (dialog));

  gtk_entry_set_text (vl_clone_dialog_get_entry (dialog), "test");
  g_assert_nonnull (strstr (vl_clone_dialog_get_message (dialog), "“test”"));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_false (vl_clone_dialog_is_running (dialog));       /* refused before anything starts */
  g_assert_cmpstr (gtk_entry_get_text (vl_clone_dialog_get_entry (dialog)), ==, "test");
  gtk_entry_set_text (vl_clone_dialog_get_entry (dialog), "");
  g_assert_nonnull (vl_clone_dialog_get_message (dialog));

  gtk_entry_set_text (vl_clone_dialog_get_entry (dialog), "web-copy");
  g_assert_null (vl_clone_dialog_get_message (dialog));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (vl_clone_dialog_is_running (dialog));
  g_assert_true (vl_test_wait_until (made, dialog, 60000));
  g_assert_cmpstr (vl_clone_dialog_get_made (dialog), ==, "web-copy");
  /* Clone presses stay inside the dialog; what its owner sees is the OK it sends once the clone is made. */
  g_assert_cmpint (responses, ==, 1);

  clone = virDomainLookupByName (raw, "web-copy");
  g_assert_nonnull (clone);
  copy = virStorageVolLookupByName (pool, "web-copy.qcow2");
  g_assert_nonnull (copy);

  gtk_widget_destroy (GTK_WIDGET (dialog));
  g_object_unref (dialog);
  virDomainUndefine (clone);
  virDomainUndefine (src);
  virStorageVolDelete (copy, 0);
  virStorageVolDelete (vol, 0);
  virDomainFree (clone);
  virDomainFree (src);
  virStorageVolFree (copy);
  virStorageVolFree (vol);
  virStoragePoolFree (pool);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  gvir_init_object (NULL, NULL);
  g_test_add_func ("/clone-dialog/test-driver", test_clone_dialog);
  return g_test_run ();
}
