/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Snapshots tab under Xvfb, driven through its buttons and dialogs: take (with a name refused
 * first), the tree of parent and child, revert and delete after confirming; and on real QEMU, a guest
 * whose raw disk cannot hold snapshots says so and offers none. */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gtk/gtk.h>
#include <libvirt-gconfig/libvirt-gconfig.h>

#include "vl-snapshots-view-private.h"
#include "vl-test-guest.h"
#include "vl-test-wait.h"

static GtkWidget *
find_button (GtkWidget *widget, const char *label)
{
  g_autoptr(GList) children = NULL;

  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  if (!GTK_IS_CONTAINER (widget))
    return NULL;
  children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l != NULL; l = l->next)
    {
      GtkWidget *found = find_button (l->data, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_visible_label (GtkWidget *widget, const char *part)
{
  g_autoptr(GList) children = NULL;

  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
      && strstr (gtk_label_get_text (GTK_LABEL (widget)), part) != NULL)
    return widget;
  if (!GTK_IS_CONTAINER (widget))
    return NULL;
  children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l != NULL; l = l->next)
    {
      GtkWidget *found = find_visible_label (l->data, part);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  VlSnapshotsView *view;
  guint            loads;
} LoadWait;

static gboolean
loaded (gpointer data)
{
  LoadWait *w = data;

  return vl_snapshots_view_get_loads (w->view) >= w->loads && !vl_snapshots_view_is_busy (w->view);
}

static void
wait_loads (VlSnapshotsView *view, guint loads)
{
  LoadWait w = { view, loads };

  g_assert_true (vl_test_wait_until (loaded, &w, 60000));
}

static gboolean
has_dialog (gpointer view)
{
  return vl_snapshots_view_get_dialog (view) != NULL;
}

static void
click (VlSnapshotsView *view, const char *label)
{
  GtkWidget *button = find_button (GTK_WIDGET (view), label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (vl_test_wait_until (has_dialog, view, 5000));
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
save_picture (GtkWidget *window, const char *name)
{
  GdkWindow *gdk = gtk_widget_get_window (window);
  g_autoptr(GdkPixbuf) shot = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                            name, NULL);

  vl_test_wait_until (never, NULL, 300);  /* let the window draw */
  shot = gdk_pixbuf_get_from_window (gdk, 0, 0, gdk_window_get_width (gdk), gdk_window_get_height (gdk));
  g_assert_nonnull (shot);
  g_assert_true (gdk_pixbuf_save (shot, path, "png", NULL, NULL));
  g_test_message ("picture: %s", path);
}

static void
take_through_dialog (VlSnapshotsView *view, const char *name, const char *description, guint loads)
{
  GtkWidget *dialog;

  click (view, "_Take Snapshot…");
  dialog = vl_snapshots_view_get_dialog (view);
  gtk_entry_set_text (vl_snapshots_view_get_name_entry (view), name);
  gtk_entry_set_text (vl_snapshots_view_get_description_entry (view), description);
  g_assert_null (vl_snapshots_view_get_name_error (view));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_null (vl_snapshots_view_get_dialog (view));
  wait_loads (view, loads);
}

static void
test_test_driver (void)
{
  g_autoptr(GVirConnection) conn = gvir_connection_new ("test:///default");
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  VlSnapshotsView *view = vl_snapshots_view_new ();
  GtkTreeView *tree;
  GtkTreeModel *model;
  GtkTreeIter root, child;
  GtkWidget *dialog;
  g_autofree char *root_name = NULL;
  g_autofree char *child_name = NULL;

  g_assert_true (gvir_connection_open (conn, NULL, &error));
  g_assert_true (gvir_connection_fetch_domains (conn, NULL, &error));
  domain = gvir_connection_find_domain_by_name (conn, "test");

  gtk_window_set_default_size (GTK_WINDOW (window), 720, 360);
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (view));
  gtk_widget_show_all (window);
  vl_snapshots_view_set_domain (view, domain);
  wait_loads (view, 1);
  g_assert_nonnull (find_visible_label (GTK_WIDGET (view), "No snapshots yet."));
  g_assert_false (gtk_widget_is_sensitive (find_button (GTK_WIDGET (view), "_Revert…")));

  /* A name that cannot be: the dialog says why, keeps what was typed, and Take stays off. */
  click (view, "_Take Snapshot…");
  dialog = vl_snapshots_view_get_dialog (view);
  g_assert_cmpstr (gtk_entry_get_text (vl_snapshots_view_get_name_entry (view)), ==, "snapshot-1");
  gtk_entry_set_text (vl_snapshots_view_get_name_entry (view), "before/after");
  g_assert_nonnull (vl_snapshots_view_get_name_error (view));
  g_assert_nonnull (strstr (vl_snapshots_view_get_name_error (view), "“/”"));
  g_assert_false (gtk_widget_is_sensitive (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                                              GTK_RESPONSE_ACCEPT)));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_assert_true (vl_snapshots_view_get_dialog (view) == dialog);  /* still open, text kept */
  g_assert_cmpstr (gtk_entry_get_text (vl_snapshots_view_get_name_entry (view)), ==, "before/after");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_assert_null (vl_snapshots_view_get_dialog (view));

  take_through_dialog (view, "before upgrade", "known good", 2);
  g_assert_nonnull (find_visible_label (GTK_WIDGET (view), "Snapshot “before upgrade” taken."));
  g_usleep (1100 * 1000);
  take_through_dialog (view, "after upgrade", "", 3);

  /* The second is the first's child in the tree. */
  g_assert_true (vl_snapshots_view_select (view, "after upgrade"));
  {
    GtkWidget *found = NULL;
    g_autoptr(GList) stack = g_list_prepend (NULL, view);

    while (stack != NULL && found == NULL)
      {
        GtkWidget *w = stack->data;

        stack = g_list_delete_link (stack, stack);
        if (GTK_IS_TREE_VIEW (w))
          found = w;
        else if (GTK_IS_CONTAINER (w))
          {
            GList *kids = gtk_container_get_children (GTK_CONTAINER (w));

            stack = g_list_concat (kids, stack);
          }
      }
    tree = GTK_TREE_VIEW (found);
  }
  model = gtk_tree_view_get_model (tree);
  g_assert_true (gtk_tree_model_get_iter_first (model, &root));
  gtk_tree_model_get (model, &root, 0, &root_name, -1);
  g_assert_cmpstr (root_name, ==, "before upgrade");
  g_assert_true (gtk_tree_model_iter_children (model, &child, &root));
  gtk_tree_model_get (model, &child, 0, &child_name, -1);
  g_assert_cmpstr (child_name, ==, "after upgrade");
  save_picture (window, "snapshots-view.png");

  /* Revert asks first; Cancel changes nothing. */
  g_assert_true (vl_snapshots_view_select (view, "before upgrade"));
  click (view, "_Revert…");
  gtk_dialog_response (GTK_DIALOG (vl_snapshots_view_get_dialog (view)), GTK_RESPONSE_CANCEL);
  g_assert_false (vl_snapshots_view_is_busy (view));
  click (view, "_Revert…");
  gtk_dialog_response (GTK_DIALOG (vl_snapshots_view_get_dialog (view)), GTK_RESPONSE_ACCEPT);
  wait_loads (view, 4);
  g_assert_nonnull (find_visible_label (GTK_WIDGET (view), "The guest is back at “before upgrade”."));

  /* Delete the child after confirming: gone from the tree. */
  g_assert_true (vl_snapshots_view_select (view, "after upgrade"));
  click (view, "_Delete…");
  gtk_dialog_response (GTK_DIALOG (vl_snapshots_view_get_dialog (view)), GTK_RESPONSE_ACCEPT);
  wait_loads (view, 5);
  g_assert_false (vl_snapshots_view_select (view, "after upgrade"));
  g_assert_true (vl_snapshots_view_select (view, "before upgrade"));
  click (view, "_Delete…");
  gtk_dialog_response (GTK_DIALOG (vl_snapshots_view_get_dialog (view)), GTK_RESPONSE_ACCEPT);
  wait_loads (view, 6);

  gtk_widget_destroy (window);
}

static void
test_qemu_raw_disk (void)
{
  VlTestHost *host = vl_test_host_new ();
  g_autoptr(GVirDomain) domain = vl_test_host_define (host, "raw-disk", NULL, NULL);
  g_autofree char *image = g_build_filename (host->root, "raw.img", NULL);
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  VlSnapshotsView *view = vl_snapshots_view_new ();
  GtkWidget *take;

  g_assert_true (g_file_set_contents (image, "", 0, NULL));
  vl_test_add_disk (domain, image, "vda", "raw");

  gtk_window_set_default_size (GTK_WINDOW (window), 720, 300);
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (view));
  gtk_widget_show_all (window);
  vl_snapshots_view_set_domain (view, domain);
  wait_loads (view, 1);
  g_assert_nonnull (find_visible_label (GTK_WIDGET (view), "Disk “vda” is not a qcow2 image"));
  take = find_button (GTK_WIDGET (view), "_Take Snapshot…");
  g_assert_false (gtk_widget_is_sensitive (take));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (take), "qcow2"));
  save_picture (window, "snapshots-view-raw.png");
  gtk_widget_destroy (window);
  g_clear_object (&domain);
  vl_test_host_free (host);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  gvir_init_object (NULL, NULL);
  /* libvirt-glib 4.0 warns from its event callback on the events of going back to a snapshot
   * (see test-guest-snapshots.c); criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  g_test_add_func ("/snapshots-view/test-driver", test_test_driver);
  g_test_add_func ("/snapshots-view/qemu-raw-disk", test_qemu_raw_disk);
  return g_test_run ();
}
