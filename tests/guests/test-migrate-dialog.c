/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Move to Another Host dialog under Xvfb on libvirt's test driver: the destinations offered (the
 * connected ones other than the source), a destination that already has the guest's name named
 * before anything moves, and libvirt's refusal (the test driver cannot migrate) shown, with the guest
 * left where it was. The move itself, between two daemons, is test-guest-migrate's. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "vl-migrate-dialog.h"
#include "vl-test-wait.h"

/* A host with the guest's network and its disk (shared storage: the same path in a pool there). */
#define POOL_NODE                                                           \
  "<node><network><name>default</name></network>"                           \
  "<pool type='dir'><name>guest</name><target><path>/guest</path></target>" \
  "<volume type='file'><name>diskimage1</name><capacity>1048576</capacity>" \
  "<target><path>/guest/diskimage1</path></target></volume></pool></node>"

static gboolean
connected (gpointer conn)
{
  VlConnectionState state = vl_connection_get_state (conn);

  return state == VL_CONNECTION_STATE_CONNECTED || state == VL_CONNECTION_STATE_FAILED;
}

static gboolean
idle (gpointer dialog)
{
  return !vl_migrate_dialog_is_busy (dialog);
}

/* With VL_TEST_SHOT_DIR set, the dialog as it looks, saved as NAME.png there (to look at). */
static void
shoot (VlMigrateDialog *dialog, const char *name)
{
  const char *dir = g_getenv ("VL_TEST_SHOT_DIR");
  GdkWindow *window = gtk_widget_get_window (GTK_WIDGET (dialog));
  g_autoptr(GdkPixbuf) shot = NULL;
  g_autofree char *file = NULL;

  if (dir == NULL || window == NULL)
    return;
  gtk_widget_queue_draw (GTK_WIDGET (dialog));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  for (int i = 0; i < 3; i++)
    {
      gdk_display_sync (gtk_widget_get_display (GTK_WIDGET (dialog)));
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (100 * 1000);
    }
  shot = gdk_pixbuf_get_from_window (window, 0, 0, gdk_window_get_width (window),
                                     gdk_window_get_height (window));
  file = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_pixbuf_save (shot, file, "png", NULL, NULL));
}

static VlConnection *
open_connection (GListStore *store, const char *uri)
{
  VlConnection *conn = vl_connection_new (uri);

  g_list_store_append (store, conn);
  vl_connection_open (conn);
  g_assert_true (vl_test_wait_until (connected, conn, 30000));
  g_assert_cmpint (vl_connection_get_state (conn), ==, VL_CONNECTION_STATE_CONNECTED);
  return conn;
}

static void
test_migrate_dialog (void)
{
  g_autofree char *dir = g_dir_make_tmp ("virtlab-migrate-dialog-XXXXXX", NULL);
  g_autofree char *taken = g_build_filename (dir, "taken.xml", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.xml", NULL);
  g_autofree char *taken_uri = g_strconcat ("test://", taken, NULL);
  g_autofree char *empty_uri = g_strconcat ("test://", empty, NULL);
  g_autoptr(GListStore) store = g_list_store_new (VL_TYPE_CONNECTION);
  g_autoptr(VlConnection) source = NULL;
  g_autoptr(VlConnection) with_name = NULL;
  g_autoptr(VlConnection) free_host = NULL;
  g_autoptr(VlConnection) closed = vl_connection_new ("qemu:///system?socket=/nonexistent/virtlab-sock");
  g_autoptr(GVirDomain) guest = NULL;
  g_autofree char *running = NULL;
  GtkTreeModel *model;
  VlMigrateDialog *dialog;
  int responses = 0;

  g_assert_true (g_file_set_contents (taken,
                                      "<node><domain type='test'><name>test</name><memory>65536</memory>"
                                      "<os><type>hvm</type></os></domain></node>",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (empty, POOL_NODE, -1, NULL));
  source = open_connection (store, "test:///default");
  with_name = open_connection (store, taken_uri);
  free_host = open_connection (store, empty_uri);
  g_list_store_append (store, closed); /* never opened: not offered */
  guest = gvir_connection_find_domain_by_name (vl_connection_get_connection (source), "test");
  g_assert_nonnull (guest);

  dialog = vl_migrate_dialog_new (NULL, guest, source, G_LIST_MODEL (store));
  g_object_ref_sink (dialog);
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (g_atomic_int_inc), &responses);
  gtk_widget_show (GTK_WIDGET (dialog));

  /* Offered: the two other connected hosts (the same title twice: told apart by their URIs). */
  model = gtk_combo_box_get_model (vl_migrate_dialog_get_destinations (dialog));
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 2);
  g_assert_cmpstr (gtk_combo_box_get_active_id (vl_migrate_dialog_get_destinations (dialog)), ==, taken_uri);
  /* The guest runs: a live move is proposed. */
  g_assert_true (gtk_toggle_button_get_active (vl_migrate_dialog_get_live (dialog)));

  /* The name is taken there: said before anything moves, and Move stays off. */
  g_assert_true (vl_test_wait_until (idle, dialog, 30000));
  g_assert_nonnull (vl_migrate_dialog_get_message (dialog));
  g_assert_nonnull (strstr (vl_migrate_dialog_get_message (dialog), "test"));
  shoot (dialog, "migrate-name-taken");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_false (vl_migrate_dialog_is_running (dialog));

  /* Offline for a running guest: refused by name. */
  gtk_combo_box_set_active_id (vl_migrate_dialog_get_destinations (dialog), empty_uri);
  gtk_toggle_button_set_active (vl_migrate_dialog_get_offline (dialog), TRUE);
  g_assert_true (vl_test_wait_until (idle, dialog, 30000));
  running = g_strdup_printf (_("“%s” is running: shut it down before an offline move, or move it live."),
                             "test");
  g_assert_cmpstr (vl_migrate_dialog_get_message (dialog), ==, running);

  /* Live to a host with the name free, the guest's network and its disk: the checks pass (nothing to
   * copy); libvirt's test driver then refuses to migrate, its reason is shown, the guest stays. */
  gtk_toggle_button_set_active (vl_migrate_dialog_get_live (dialog), TRUE);
  g_assert_true (vl_test_wait_until (idle, dialog, 30000));
  g_assert_null (vl_migrate_dialog_get_message (dialog));
  g_assert_cmpstr (vl_migrate_dialog_get_plan (dialog), ==,
                   _("The destination has every disk of the guest already (shared storage): nothing is "
                      "copied."));
  shoot (dialog, "migrate-ready");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (vl_migrate_dialog_is_running (dialog));
  g_assert_true (vl_test_wait_until (idle, dialog, 30000));
  g_assert_false (vl_migrate_dialog_get_moved (dialog));
  g_assert_nonnull (vl_migrate_dialog_get_message (dialog));
  g_test_message ("libvirt's test driver: %s", vl_migrate_dialog_get_message (dialog));
  shoot (dialog, "migrate-refused");
  g_assert_cmpint (responses, ==, 0);
  g_clear_object (&guest);
  guest = gvir_connection_find_domain_by_name (vl_connection_get_connection (source), "test");
  g_assert_nonnull (guest);

  gtk_widget_destroy (GTK_WIDGET (dialog));
  g_object_unref (dialog);
  g_unlink (taken);
  g_unlink (empty);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  /* To look at the dialog in another language: VL_TEST_LOCALEDIR=_build/po LANGUAGE=zh_TW. */
  if (g_getenv ("VL_TEST_LOCALEDIR") != NULL)
    {
      setlocale (LC_ALL, ""); /* gtk_test_init () keeps the C locale */
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("VL_TEST_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  gvir_init_object (NULL, NULL);
  g_test_add_func ("/migrate-dialog/test-driver", test_migrate_dialog);
  return g_test_run ();
}
