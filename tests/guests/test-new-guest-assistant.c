/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The new-guest assistant under Xvfb, driven through its widgets on libvirt's test driver. */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <osinfo/osinfo.h>
#include <unistd.h>

#include "vl-test-wait.h"
#include "vl-application.h"
#include "vl-window.h"
#include "vl-guests-page-private.h"
#include "vl-gvir-autoptr.h"
#include "vl-kvm-access.h"
#include "vl-new-guest-assistant.h"
#include "vl-test-guests-page.h"
#include "vl-connections.h"
#include "vl-host-details.h"
#include "vl-pending-install.h"

static char *tmp_dir;
static char *shot_dir;

static GtkWidget *
find_in (GtkWidget *widget, const char *name)
{
  GtkWidget *found = NULL;
  GList *children;

  if (GTK_IS_BUILDABLE (widget) && g_strcmp0 (gtk_buildable_get_name (GTK_BUILDABLE (widget)), name) == 0)
    return widget;
  if (!GTK_IS_CONTAINER (widget))
    return NULL;
  children = gtk_container_get_children (GTK_CONTAINER (widget));
  if (GTK_IS_WINDOW (widget) && gtk_window_get_titlebar (GTK_WINDOW (widget)) != NULL)
    children = g_list_prepend (children, gtk_window_get_titlebar (GTK_WINDOW (widget)));
  for (GList *l = children; l != NULL && found == NULL; l = l->next)
    found = find_in (l->data, name);
  g_list_free (children);
  return found;
}

static GtkWidget *
widget (VlNewGuestAssistant *assistant, const char *name)
{
  GtkWidget *w = find_in (GTK_WIDGET (assistant), name);

  if (w == NULL)
    g_error ("no widget “%s” in the assistant", name);
  return w;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
}

static gboolean
not_busy (gpointer data)
{
  return !vl_new_guest_assistant_is_busy (data);
}

static void
screenshot_widget (GtkWidget *toplevel, const char *name)
{
  GdkWindow *window;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *file = g_strdup_printf ("%s/new-guest-%s.png", shot_dir, name);

  /* The assistant closes itself once a guest is made: a picture taken "while it works" may come
   * too late, and then there is nothing to look at. */
  g_object_add_weak_pointer (G_OBJECT (toplevel), (gpointer *) &toplevel);
  spin (250);
  if (toplevel == NULL || !gtk_widget_get_realized (toplevel))
    {
      if (toplevel != NULL)
        g_object_remove_weak_pointer (G_OBJECT (toplevel), (gpointer *) &toplevel);
      g_test_message ("no picture %s: the window had closed", name);
      return;
    }
  g_object_remove_weak_pointer (G_OBJECT (toplevel), (gpointer *) &toplevel);
  window = gtk_widget_get_window (toplevel);
  pixbuf = gdk_pixbuf_get_from_window (window, 0, 0, gdk_window_get_width (window), gdk_window_get_height (window));
  g_assert_nonnull (pixbuf);
  g_assert_true (gdk_pixbuf_save (pixbuf, file, "png", NULL, NULL));
}

static void
screenshot (VlNewGuestAssistant *assistant, const char *name)
{
  screenshot_widget (GTK_WIDGET (assistant), name);
}

/* The side list and the window keep their widths through the steps (issue 15 item 15). */
static void
shot_same_width (VlNewGuestAssistant *assistant, const char *name)
{
  int list = 0, window = 0;

  screenshot (assistant, name);
  list = gtk_widget_get_allocated_width (widget (assistant, "steps_list"));
  window = gtk_widget_get_allocated_width (GTK_WIDGET (assistant));
  if (g_object_get_data (G_OBJECT (assistant), "list-width") == NULL)
    {
      g_object_set_data (G_OBJECT (assistant), "list-width", GINT_TO_POINTER (list));
      g_object_set_data (G_OBJECT (assistant), "window-width", GINT_TO_POINTER (window));
      g_test_message ("side list %d px, window %d px wide", list, window);
      return;
    }
  if (list != GPOINTER_TO_INT (g_object_get_data (G_OBJECT (assistant), "list-width"))
      || window != GPOINTER_TO_INT (g_object_get_data (G_OBJECT (assistant), "window-width")))
    g_error ("on %s the side list is %d px and the window %d px wide, at first %d and %d", name, list, window,
             GPOINTER_TO_INT (g_object_get_data (G_OBJECT (assistant), "list-width")),
             GPOINTER_TO_INT (g_object_get_data (G_OBJECT (assistant), "window-width")));
}

static void
click (VlNewGuestAssistant *assistant, const char *name)
{
  GtkWidget *button = widget (assistant, name);

  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_button_clicked (GTK_BUTTON (button));
  spin (50);
}

static void
type (VlNewGuestAssistant *assistant, const char *entry, const char *text)
{
  gtk_entry_set_text (GTK_ENTRY (widget (assistant, entry)), text);
  spin (20);
}

static void
assert_step (VlNewGuestAssistant *assistant, const char *step)
{
  g_assert_cmpstr (vl_new_guest_assistant_get_step (assistant), ==, step);
}

/* The refusal is on screen: the step's error label is mapped and says what is wrong. */
static void
assert_refused (VlNewGuestAssistant *assistant, const char *error_label, const char *part)
{
  GtkWidget *label = widget (assistant, error_label);
  const char *text = gtk_label_get_text (GTK_LABEL (label));

  g_assert_true (gtk_widget_get_mapped (label));
  if (strstr (text, part) == NULL)
    g_error ("refusal “%s” lacks “%s”", text, part);
}

static const char *
label_text (VlNewGuestAssistant *assistant, const char *name)
{
  return gtk_label_get_text (GTK_LABEL (widget (assistant, name)));
}

static void
assert_contains (const char *text, const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    g_error ("“%s” lacks “%s”", text, part);
}

static char *
make_xp_iso (void)
{
  g_autofree char *tree = g_build_filename (tmp_dir, "tree", NULL);
  g_autofree char *loader = g_build_filename (tree, "isolinux.bin", NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  char *iso = g_build_filename (tmp_dir, "xp.iso", NULL);
  const char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-V", "WXPFPP_EN", "-publisher",
                         "MICROSOFT CORPORATION", "-b", "isolinux.bin", "-c", "boot.cat", "-no-emul-boot",
                         "-boot-load-size", "4", "-boot-info-table", "-o", iso, tree, NULL };
  int status = 0;

  g_mkdir_with_parents (tree, 0755);
  g_assert_true (g_file_get_contents ("/usr/lib/ISOLINUX/isolinux.bin", &data, &len, NULL));
  g_file_set_contents (loader, data, (gssize) len, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return iso;
}

typedef struct {
  GVirDomain *domain;
  gboolean started;
} Created;

static void
on_guest_created (VlNewGuestAssistant *assistant, GVirDomain *domain, gboolean started, Created *created)
{
  created->domain = g_object_ref (domain);
  created->started = started;
}

static gboolean
has_created (gpointer data)
{
  return ((Created *) data)->domain != NULL;
}

static gboolean
os_detected (gpointer data)
{
  return g_str_has_prefix (gtk_label_get_text (GTK_LABEL (data)), "Detected");
}

static void
record_label (GtkLabel *label, GParamSpec *pspec, GString *said)
{
  /* What is said must be on screen, not in a hidden label. */
  g_string_append_printf (said, "%s%s\n", gtk_label_get_text (label), gtk_widget_get_mapped (GTK_WIDGET (label)) ? ""
                                                                                                       : " (hidden)");
}

static void
test_create_through_widgets (void)
{
  g_autoptr(GString) said = g_string_new (NULL);
  GVirConnection *conn = gvir_connection_new ("test:///default");
  g_autofree char *iso = make_xp_iso ();
  /* A long pool path, as on the machine where the window grew from 770 to 1067 px on Storage. */
  g_autofree char *pool_dir = g_build_filename (tmp_dir, "a-folder-with-a-rather-long-name-for-the-images",
                                                "of-the-virtual-machines-made-with-virtlab", "pool", NULL);
  g_autoptr(GError) error = NULL;
  VlNewGuestAssistant *assistant;
  Created created = { NULL, FALSE };
  GVirDomainInfo *info;

  g_assert_true (gvir_connection_open (conn, NULL, &error));
  assistant = vl_new_guest_assistant_new (NULL, conn);
  vl_new_guest_assistant_set_default_pool_dir (assistant, pool_dir);
  g_signal_connect (assistant, "guest-created", G_CALLBACK (on_guest_created), &created);
  gtk_window_present (GTK_WINDOW (assistant));
  g_assert_true (vl_test_wait_until (not_busy, assistant, 20000));

  assert_step (assistant, "connection");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (widget (assistant, "conn_summary_label"))), "CPUs"));
  shot_same_width (assistant, "1-connection");
  click (assistant, "next_button");

  /* A missing ISO is refused on its step, with the reason. */
  assert_step (assistant, "source");
  type (assistant, "iso_entry", "/nonexistent/xp.iso");
  click (assistant, "next_button");
  assert_step (assistant, "source");
  assert_refused (assistant, "source_error", "“/nonexistent/xp.iso” cannot be read");
  /* An install tree needs http(s):// or file://; typing into its field chooses it. */
  type (assistant, "url_entry", "ftp://mirror.example/debian/");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (widget (assistant, "src_url_radio"))));
  click (assistant, "next_button");
  assert_step (assistant, "source");
  assert_refused (assistant, "source_error", "is not an install tree address");
  type (assistant, "iso_entry", iso);
  shot_same_width (assistant, "2-source");
  click (assistant, "next_button");

  /* libosinfo recognises the disc as Windows XP: its row is chosen for the user. */
  assert_step (assistant, "os");
  g_assert_true (vl_test_wait_until (os_detected, widget (assistant, "os_detected_label"), 10000));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (widget (assistant, "os_detected_label"))),
                            "Microsoft Windows XP"));
  /* Versions in version order: Debian 9 before Debian 10 (it was "Debian 10, 11, 6.0, 7…"). */
  {
    GList *rows = gtk_container_get_children (GTK_CONTAINER (widget (assistant, "os_list")));
    int at_9 = -1, at_10 = -1, i = 0;

    for (GList *l = rows; l != NULL; l = l->next, i++)
      {
        OsinfoOs *os = g_object_get_data (l->data, "os");
        const char *name = os != NULL ? osinfo_product_get_name (OSINFO_PRODUCT (os)) : "";

        if (g_str_equal (name, "Debian 9"))
          at_9 = i;
        else if (g_str_equal (name, "Debian 10"))
          at_10 = i;
      }
    g_list_free (rows);
    g_assert_cmpint (at_9, >=, 0);
    g_assert_cmpint (at_10, >, at_9);
  }
  shot_same_width (assistant, "3-os");
  click (assistant, "next_button");

  /* The test driver takes every guest shape; it lists no qemu type, so software emulation is not offered. */
  assert_step (assistant, "mode");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (widget (assistant, "mode_kvm_radio"))));
  g_assert_true (gtk_widget_get_mapped (widget (assistant, "mode_xen_pv_radio")));
  g_assert_true (gtk_widget_get_mapped (widget (assistant, "mode_xen_hvm_radio")));
  g_assert_false (gtk_widget_get_visible (widget (assistant, "mode_qemu_radio")));
  g_assert_false (gtk_widget_get_visible (widget (assistant, "mode_xen_pvh_radio")));
  assert_contains (label_text (assistant, "mode_kvm_description"), "VT-x/AMD-V");
  shot_same_width (assistant, "4-mode");
  click (assistant, "next_button");

  /* Memory 0 is refused; the OS's recommendation was filled in before. */
  assert_step (assistant, "resources");
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (widget (assistant, "memory_spin"))), >, 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget (assistant, "memory_spin")), 0);
  click (assistant, "next_button");
  assert_step (assistant, "resources");
  assert_refused (assistant, "resources_error", "at least 32 MiB");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget (assistant, "memory_spin")), 256);
  shot_same_width (assistant, "5-resources");
  click (assistant, "next_button");

  /* The test driver's own 100 GiB pool is offered next to "default"; a disk too big for it is refused. */
  assert_step (assistant, "storage");
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (widget (assistant, "pool_combo"))), ==, "default");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (widget (assistant, "pool_combo")), "default-pool");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (widget (assistant, "pool_label"))), "/default-pool"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget (assistant, "disk_spin")), 500);
  click (assistant, "next_button");
  assert_step (assistant, "storage");
  assert_refused (assistant, "storage_error", "does not fit in storage pool “default-pool”");
  shot_same_width (assistant, "6-storage-refused");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (widget (assistant, "pool_combo")), "default");
  /* Issue 15: the refusal was about the other pool; once the pool changes it no longer holds. */
  g_assert_false (gtk_widget_get_visible (widget (assistant, "storage_error")));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget (assistant, "disk_spin")), 1);
  shot_same_width (assistant, "6-storage");
  click (assistant, "next_button");

  assert_step (assistant, "network");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (widget (assistant, "net_none_radio"))));
  shot_same_width (assistant, "7-network");
  click (assistant, "next_button");

  /* No name yet: the summary does not show a disk named ".qcow2". */
  assert_step (assistant, "name");
  g_assert_null (strstr (label_text (assistant, "summary_label"), "/.qcow2"));
  assert_contains (label_text (assistant, "summary_label"), "named after the guest");
  /* A hostile name: the message is on screen and "Create" does not create. */
  type (assistant, "name_entry", "xp\"; rm -rf /");
  assert_refused (assistant, "name_error", "cannot be used");
  shot_same_width (assistant, "8-name-refused");
  click (assistant, "create_start_button");
  spin (300);
  g_assert_null (created.domain);
  assert_refused (assistant, "name_error", "cannot be used");
  type (assistant, "name_entry", "test");
  assert_refused (assistant, "name_error", "“test” already exists");

  type (assistant, "name_entry", "xp-from-assistant");
  g_assert_false (gtk_widget_get_visible (widget (assistant, "name_error")));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (widget (assistant, "summary_label"))), pool_dir));
  shot_same_width (assistant, "9-summary");
  g_signal_connect (widget (assistant, "create_status_label"), "notify::label", G_CALLBACK (record_label), said);
  click (assistant, "create_start_button");
  g_assert_true (vl_test_wait_until (has_created, &created, 20000));
  /* Each step was said as it began (issue 15 item 10). */
  assert_contains (said->str, "Step 1 of 3: Making the disk…");
  assert_contains (said->str, "Step 2 of 3: libvirt is defining the guest…");
  assert_contains (said->str, "Step 3 of 3: Starting the guest…\n");
  if (strstr (said->str, "(hidden)") != NULL)
    g_error ("said while hidden: %s", said->str);

  g_assert_true (created.started);
  g_assert_cmpstr (gvir_domain_get_name (created.domain), ==, "xp-from-assistant");
  info = gvir_domain_get_info (created.domain, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->state, ==, GVIR_DOMAIN_STATE_RUNNING);
  g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info);
  {
    g_autoptr(GVirConfigDomain) config = gvir_domain_get_config (created.domain, 0, &error);
    g_autofree char *xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

    /* Windows XP from the study: its clock in local time, the ISO as the first boot device. */
    g_assert_nonnull (strstr (xml, "localtime"));
    g_assert_nonnull (strstr (xml, iso));
    g_assert_nonnull (strstr (xml, pool_dir));
    g_assert_nonnull (strstr (xml, "xp-from-assistant.qcow2"));
  }
  gvir_domain_stop (created.domain, 0, NULL);
  gvir_domain_delete (created.domain, 0, NULL);
  g_object_unref (created.domain);
  g_object_unref (conn);
}

/* The study's xen-create-image guest through the assistant: Xen PV needs a kernel, not the disc. */
static void
test_xen_pv_through_widgets (void)
{
  GVirConnection *conn = gvir_connection_new ("test:///default");
  g_autofree char *iso = make_xp_iso ();
  g_autofree char *kernel = g_build_filename (tmp_dir, "vmlinuz", NULL);
  g_autofree char *initrd = g_build_filename (tmp_dir, "initrd.img", NULL);
  g_autofree char *pool_dir = g_build_filename (tmp_dir, "pool", NULL);
  g_autoptr(GError) error = NULL;
  VlNewGuestAssistant *assistant;
  Created created = { NULL, FALSE };

  g_file_set_contents (kernel, "kernel", -1, NULL);
  g_file_set_contents (initrd, "initrd", -1, NULL);
  g_assert_true (gvir_connection_open (conn, NULL, &error));
  assistant = vl_new_guest_assistant_new (NULL, conn);
  vl_new_guest_assistant_set_default_pool_dir (assistant, pool_dir);
  g_signal_connect (assistant, "guest-created", G_CALLBACK (on_guest_created), &created);
  gtk_window_present (GTK_WINDOW (assistant));
  g_assert_true (vl_test_wait_until (not_busy, assistant, 20000));
  click (assistant, "next_button");

  type (assistant, "iso_entry", iso);
  click (assistant, "next_button");
  click (assistant, "next_button");
  assert_step (assistant, "mode");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (widget (assistant, "mode_xen_pv_radio")), TRUE);
  click (assistant, "next_button");
  assert_step (assistant, "mode");
  assert_refused (assistant, "mode_error", "cannot boot from an ISO image");
  screenshot (assistant, "pv-refused");

  /* Back to the source, choose a kernel and initrd instead; the mode step now lets it through. */
  click (assistant, "back_button");
  click (assistant, "back_button");
  assert_step (assistant, "source");
  type (assistant, "kernel_entry", kernel);
  type (assistant, "initrd_entry", initrd);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (widget (assistant, "src_kernel_radio"))));
  click (assistant, "next_button");
  click (assistant, "next_button");
  assert_step (assistant, "mode");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (widget (assistant, "mode_xen_pv_radio"))));
  click (assistant, "next_button");
  assert_step (assistant, "resources");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget (assistant, "memory_spin")), 512);
  click (assistant, "next_button");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget (assistant, "disk_spin")), 2);
  click (assistant, "next_button");
  assert_step (assistant, "network");
  click (assistant, "next_button");
  type (assistant, "name_entry", "vm01");
  screenshot (assistant, "pv-summary");
  click (assistant, "create_button");
  g_assert_true (vl_test_wait_until (has_created, &created, 20000));
  g_assert_false (created.started);
  {
    g_autoptr(GVirConfigDomain) config = gvir_domain_get_config (created.domain, 0, &error);
    g_autofree char *xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

    g_assert_no_error (error);
    g_assert_nonnull (strstr (xml, ">xen</type>"));
    g_assert_nonnull (strstr (xml, kernel));
    g_assert_nonnull (strstr (xml, "console=hvc0"));
    g_assert_nonnull (strstr (xml, "bus=\"xen\""));
    g_assert_nonnull (strstr (xml, "model type=\"xen\""));
    /* The Windows XP read off the disc no longer applies once a kernel is booted instead. */
    g_assert_null (strstr (xml, "Windows"));
    g_assert_nonnull (strstr (xml, "offset=\"utc\""));
  }
  gvir_domain_delete (created.domain, 0, NULL);
  g_object_unref (created.domain);
  g_object_unref (conn);
}

/* ---- the Guests page's "New Guest…" button opens the assistant for the selected connection ------- */

static VlApplication *app;

static VlNewGuestAssistant *
open_assistant (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  VlNewGuestAssistant *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    {
      if (VL_IS_NEW_GUEST_ASSISTANT (l->data) && gtk_widget_get_visible (l->data))
        found = l->data;
    }
  g_list_free (toplevels);
  return found;
}

static gboolean
assistant_shown (gpointer data)
{
  VlNewGuestAssistant *assistant = open_assistant ();

  return assistant != NULL && !vl_new_guest_assistant_is_busy (assistant);
}

static void
test_guests_page_button (void)
{
  VlWindow *window = vl_window_new (app);
  const char *uris[] = { "test:///default", NULL };
  VlGuestsPage *page;
  GtkWidget *button;
  VlNewGuestAssistant *assistant;

  vl_window_open_connections (window, uris);
  vl_window_show_page (window, "guests");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_widget_show (GTK_WIDGET (window));
  page = vl_test_find_guests_page (window);
  g_assert_true (vl_test_wait_until (vl_test_guests_page_ready, page, 20000));

  button = find_in (GTK_WIDGET (page), "new_guest_button");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_null (open_assistant ());
  gtk_button_clicked (GTK_BUTTON (button));
  g_assert_true (vl_test_wait_until (assistant_shown, NULL, 20000));
  assistant = open_assistant ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (assistant)) == GTK_WINDOW (window));
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (widget (assistant, "conn_combo"))), ==,
                   "test:///default");
  screenshot (assistant, "0-from-guests-page");
  gtk_button_clicked (GTK_BUTTON (widget (assistant, "cancel_button")));
  spin (50);
  g_assert_null (open_assistant ());
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* ---- choosing another connection inside the assistant --------------------------------------- */

static int
n_entries (VlNewGuestAssistant *assistant, const char *combo)
{
  return gtk_tree_model_iter_n_children (gtk_combo_box_get_model (GTK_COMBO_BOX (widget (assistant, combo))), NULL);
}

static void
next_until (VlNewGuestAssistant *assistant, const char *step)
{
  for (int i = 0; i < 8 && g_strcmp0 (vl_new_guest_assistant_get_step (assistant), step) != 0; i++)
    click (assistant, "next_button");
  assert_step (assistant, step);
}

static void
back_until (VlNewGuestAssistant *assistant, const char *step)
{
  for (int i = 0; i < 8 && g_strcmp0 (vl_new_guest_assistant_get_step (assistant), step) != 0; i++)
    click (assistant, "back_button");
  assert_step (assistant, step);
}

static gboolean
all_connected (gpointer data)
{
  GListModel *model = vl_connections_get_model (vl_guests_page_get_connections (data));
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VlConnection) connection = g_list_model_get_item (model, i);

      if (vl_connection_get_state (connection) != VL_CONNECTION_STATE_CONNECTED)
        return FALSE;
    }
  return n > 0 && vl_test_guests_page_ready (data);
}

static GVirConnection *
page_connection (VlGuestsPage *page, const char *uri)
{
  VlConnection *connection = vl_connections_find (vl_guests_page_get_connections (page), uri);

  g_assert_nonnull (connection);
  return vl_connection_get_connection (connection);
}

static gboolean
has_domain (GVirConnection *conn, const char *name)
{
  g_autoptr(GVirDomain) domain = NULL;

  g_assert_true (gvir_connection_fetch_domains (conn, NULL, NULL));
  domain = gvir_connection_find_domain_by_name (conn, name);
  return domain != NULL;
}

/* Two hosts (two test-driver files): the first step lists both; choosing the other one reads its
 * host again, so limits, pools and networks are that host's, and the guest is made there. */
static void
test_switch_connection (void)
{
  g_autofree char *small = g_strdup_printf ("test://%s/guests/fixtures/host-small.xml", G_TEST_SRCDIR_PATH);
  g_autofree char *big = g_strdup_printf ("test://%s/guests/fixtures/host-big.xml", G_TEST_SRCDIR_PATH);
  g_autofree char *pool_dir = g_build_filename (tmp_dir, "switch-pool", NULL);
  const char *uris[] = { small, big, NULL };
  VlWindow *window = vl_window_new (app);
  VlGuestsPage *page;
  VlNewGuestAssistant *assistant;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *xml = NULL;
  Created created = { NULL, FALSE };

  vl_window_open_connections (window, uris);
  vl_window_show_page (window, "guests");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_widget_show (GTK_WIDGET (window));
  page = vl_test_find_guests_page (window);
  g_assert_true (vl_test_wait_until (all_connected, page, 20000));
  /* The user picks the small host in the sidebar, then asks for a new guest. */
  {
    GListModel *model = vl_connections_get_model (vl_guests_page_get_connections (page));

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(VlConnection) connection = g_list_model_get_item (model, i);

        if (g_strcmp0 (vl_connection_get_uri (connection), small) == 0)
          gtk_list_box_select_row (page->connection_list, gtk_list_box_get_row_at_index (page->connection_list, (int) i));
      }
  }
  g_assert_true (vl_test_wait_until (vl_test_guests_page_ready, page, 20000));
  g_assert_true (vl_guests_page_get_selected_connection (page) == page_connection (page, small));

  gtk_button_clicked (GTK_BUTTON (find_in (GTK_WIDGET (page), "new_guest_button")));
  g_assert_true (vl_test_wait_until (assistant_shown, NULL, 20000));
  assistant = open_assistant ();
  vl_new_guest_assistant_set_default_pool_dir (assistant, pool_dir);
  g_signal_connect (assistant, "guest-created", G_CALLBACK (on_guest_created), &created);

  /* Both connected connections are offered; the one selected in the window is chosen. */
  assert_step (assistant, "connection");
  g_assert_cmpint (n_entries (assistant, "conn_combo"), ==, 2);
  g_assert_true (gtk_widget_is_sensitive (widget (assistant, "conn_combo")));
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (widget (assistant, "conn_combo"))), ==, small);
  assert_contains (label_text (assistant, "conn_summary_label"), "2 CPUs");
  assert_contains (label_text (assistant, "conn_summary_label"), "· 2.0");
  screenshot (assistant, "10-connection-two-hosts");

  /* Choices on the small host, from its lists: at most 2 GiB, its pool, its network. */
  click (assistant, "next_button");
  type (assistant, "url_entry", "http://deb.example/debian/dists/bookworm/main/installer-amd64/");
  next_until (assistant, "resources");
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (
                       GTK_SPIN_BUTTON (widget (assistant, "memory_spin")))), ==, 2048);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget (assistant, "memory_spin")), 2048);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget (assistant, "vcpus_spin")), 2);
  click (assistant, "next_button");
  assert_step (assistant, "storage");
  g_assert_true (gtk_combo_box_set_active_id (GTK_COMBO_BOX (widget (assistant, "pool_combo")), "pool-small"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget (assistant, "disk_spin")), 2);
  click (assistant, "next_button");
  assert_step (assistant, "network");
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (widget (assistant, "network_combo"))), ==, "lab-small");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (widget (assistant, "net_virtual_radio")), TRUE);
  click (assistant, "next_button");
  assert_step (assistant, "name");
  type (assistant, "name_entry", "on-big");
  /* A network install: the summary says when the installer runs, since the XML boots the disk. */
  assert_contains (label_text (assistant, "summary_label"), "installer from the install tree runs on the guest’s first start only");
  screenshot (assistant, "11-summary-network-install");

  /* Back to the first step, the big host: read again, limits and lists are its own. */
  back_until (assistant, "connection");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (widget (assistant, "conn_combo")), big);
  g_assert_true (vl_new_guest_assistant_is_busy (assistant));
  g_assert_true (vl_test_wait_until (not_busy, assistant, 20000));
  assert_contains (label_text (assistant, "conn_summary_label"), "8 CPUs");
  assert_contains (label_text (assistant, "conn_summary_label"), "· 16.0");
  g_assert_false (gtk_widget_get_visible (widget (assistant, "connection_error")));
  screenshot (assistant, "12-connection-switched");

  click (assistant, "next_button");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (widget (assistant, "src_pxe_radio")), TRUE);
  next_until (assistant, "resources");
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (
                       GTK_SPIN_BUTTON (widget (assistant, "memory_spin")))), ==, 16384);
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (
                       GTK_SPIN_BUTTON (widget (assistant, "vcpus_spin")))), ==, 8);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget (assistant, "memory_spin")), 4096);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget (assistant, "vcpus_spin")), 4);
  click (assistant, "next_button");
  assert_step (assistant, "storage");
  /* The small host's pool is gone from the list; the choice went back to this host's default. */
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (widget (assistant, "pool_combo"))), ==, "default");
  g_assert_false (gtk_combo_box_set_active_id (GTK_COMBO_BOX (widget (assistant, "pool_combo")), "pool-small"));
  g_assert_true (gtk_combo_box_set_active_id (GTK_COMBO_BOX (widget (assistant, "pool_combo")), "pool-big"));
  assert_contains (label_text (assistant, "pool_label"), "/srv/virtlab-test/big");
  click (assistant, "next_button");
  assert_step (assistant, "network");
  g_assert_cmpint (n_entries (assistant, "network_combo"), ==, 1);
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (widget (assistant, "network_combo"))), ==, "lab-big");
  click (assistant, "next_button");
  assert_step (assistant, "name");
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (widget (assistant, "name_entry"))), ==, "on-big");
  buffer = GTK_TEXT_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget (assistant, "xml_view"))));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  xml = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  assert_contains (xml, "<source network=\"lab-big\"/>");
  assert_contains (xml, "/srv/virtlab-test/big/on-big.qcow2");
  assert_contains (xml, "<memory unit=\"KiB\">4194304</memory>");
  click (assistant, "create_button");
  g_assert_true (vl_test_wait_until (has_created, &created, 20000));

  /* Made on the big host, not on the small one the assistant was opened for. */
  g_assert_false (created.started);
  g_assert_true (has_domain (page_connection (page, big), "on-big"));
  g_assert_false (has_domain (page_connection (page, small), "on-big"));
  gvir_domain_delete (created.domain, 0, NULL);
  g_object_unref (created.domain);
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* ---- the embedded QEMU driver: no storage pools, no networks ----------------------------------- */

static gboolean
host_shown (gpointer data)
{
  guint networks, pools;

  vl_host_details_get_counts (data, &networks, &pools);
  return !vl_host_details_get_busy (data) && strstr (vl_host_details_get_empty_text (data, FALSE), "libvirt says") != NULL;
}

static gboolean
selected_connected (gpointer data)
{
  VlGuestsPage *page = data;
  gboolean busy;

  g_object_get (page, "busy", &busy, NULL);
  return !busy && page->selected != NULL && vl_connection_get_state (page->selected) == VL_CONNECTION_STATE_CONNECTED;
}

/* libvirt 9.0 runs no network or storage driver in embedded mode: the Host view says so with libvirt's
 * words instead of empty lists, and the assistant still makes the disk (qemu-img, ROOT/images). */
static void
test_embedded_qemu_without_pools (void)
{
  g_autofree char *root = g_build_filename (tmp_dir, "embed", NULL);
  g_autofree char *uri = g_strdup_printf ("qemu:///embed?root=%s", root);
  g_autofree char *image = g_build_filename (root, "images", "embed-guest.qcow2", NULL);
  g_autofree char *kernel = g_build_filename (tmp_dir, "embed-vmlinuz", NULL);
  g_autoptr(GError) error = NULL;
  const char *uris[] = { uri, NULL };
  VlWindow *window;
  VlGuestsPage *page;
  VlHostDetails *host;
  VlNewGuestAssistant *assistant;
  Created created = { NULL, FALSE };

  g_assert_true (vl_connections_prepare_embed_root (root, &error));
  g_assert_no_error (error);
  window = vl_window_new (app);
  vl_window_open_connections (window, uris);
  vl_window_show_page (window, "guests");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_widget_show (GTK_WIDGET (window));
  page = vl_test_find_guests_page (window);
  g_assert_true (vl_test_wait_until (selected_connected, page, 60000));

  host = VL_HOST_DETAILS (page->host_details);
  gtk_stack_set_visible_child_name (page->view_stack, "host");
  g_assert_true (vl_test_wait_until (host_shown, host, 60000));
  assert_contains (vl_host_details_get_empty_text (host, TRUE), "embedded QEMU driver has no virtual networks");
  assert_contains (vl_host_details_get_empty_text (host, TRUE), "not supported by the connection driver");
  assert_contains (vl_host_details_get_empty_text (host, FALSE), "embedded QEMU driver has no storage pools");
  assert_contains (vl_host_details_get_empty_text (host, FALSE), root);
  assert_contains (vl_host_details_get_empty_text (host, FALSE), "not supported by the connection driver");
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (host),
                                                                                      VL_TYPE_HOST_DETAILS,
                                                                                      "create_pool_button"))));
  screenshot_widget (GTK_WIDGET (window), "20-embedded-host-details");
  gtk_stack_set_visible_child_name (page->view_stack, "guests");

  /* The assistant: the disk is still made, as a qcow2 file under the root. */
  gtk_button_clicked (GTK_BUTTON (find_in (GTK_WIDGET (page), "new_guest_button")));
  g_assert_true (vl_test_wait_until (assistant_shown, NULL, 60000));
  assistant = open_assistant ();
  g_signal_connect (assistant, "guest-created", G_CALLBACK (on_guest_created), &created);
  click (assistant, "next_button");
  g_file_set_contents (kernel, "a kernel", -1, NULL);
  type (assistant, "kernel_entry", kernel);
  /* The Virtualization step offers exactly the domain types libvirt lists for this host: without a
   * usable /dev/kvm that is qemu alone, software emulation, chosen; with one, KVM too, preselected. */
  next_until (assistant, "mode");
  {
    GVirConnection *conn = page_connection (page, uri);
    g_autoptr(GVirConfigCapabilities) caps = gvir_connection_get_capabilities (conn, &error);
    g_autofree char *caps_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (caps));
    gboolean lists_kvm = strstr (caps_xml, "<domain type=\"kvm\"") != NULL;
    /* Listed is not usable: embedded QEMU runs as this process, which must be able to open /dev/kvm,
     * and the KVM must be an ordinary one (not kvm_pvm without VT-x/AMD-V, as on the test machine). */
    g_autofree char *odd_kvm = vl_kvm_access_without_extensions ("/");
    gboolean kvm_usable = lists_kvm && access ("/dev/kvm", R_OK | W_OK) == 0 && odd_kvm == NULL;

    g_assert_no_error (error);
    g_assert_nonnull (strstr (caps_xml, "<domain type=\"qemu\""));
    g_assert_true (gtk_widget_get_mapped (widget (assistant, "mode_qemu_radio")));
    assert_contains (label_text (assistant, "mode_qemu_description"), "slower");
    g_assert_cmpint (gtk_widget_get_visible (widget (assistant, "mode_kvm_radio")), ==, lists_kvm);
    g_assert_false (gtk_widget_get_visible (widget (assistant, "mode_xen_hvm_radio")));
    g_assert_false (gtk_widget_get_visible (widget (assistant, "mode_xen_pv_radio")));
    g_assert_false (gtk_widget_get_visible (widget (assistant, "mode_xen_pvh_radio")));
    g_assert_true (gtk_toggle_button_get_active (
      GTK_TOGGLE_BUTTON (widget (assistant, kvm_usable ? "mode_kvm_radio" : "mode_qemu_radio"))));
    screenshot (assistant, "21-embedded-mode");
    /* Software emulation chosen by a click: the definition says type qemu (checked below). */
    gtk_button_clicked (GTK_BUTTON (widget (assistant, "mode_qemu_radio")));
    next_until (assistant, "resources");
    /* The Memory step's host line says KVM only where it can run guests. */
    if (lists_kvm && !kvm_usable)
      assert_contains (label_text (assistant, "resources_hint_label"), "KVM cannot be used here");
    else if (lists_kvm)
      assert_contains (label_text (assistant, "resources_hint_label"), "Runs KVM");
    screenshot (assistant, "21-embedded-resources");
  }
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget (assistant, "memory_spin")), 64);
  click (assistant, "next_button");
  assert_step (assistant, "storage");
  g_assert_false (gtk_widget_get_visible (widget (assistant, "pool_combo")));
  assert_contains (label_text (assistant, "pool_label"), "qemu-img");
  assert_contains (label_text (assistant, "pool_label"), root);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget (assistant, "disk_spin")), 1);
  screenshot (assistant, "22-embedded-storage");
  click (assistant, "next_button");
  assert_step (assistant, "network");
  g_assert_false (gtk_widget_is_sensitive (widget (assistant, "net_virtual_radio")));
  next_until (assistant, "name");
  type (assistant, "name_entry", "embed-guest");
  {
    g_autoptr(GString) said = g_string_new (NULL);

    g_signal_connect (widget (assistant, "create_status_label"), "notify::label", G_CALLBACK (record_label), said);
    click (assistant, "create_button");
    g_assert_true (vl_test_wait_until (has_created, &created, 60000));
    /* Plain Create: disk, definition; no start. */
    assert_contains (said->str, "Step 1 of 2: Making the disk…");
    assert_contains (said->str, "Step 2 of 2: libvirt is defining the guest…");
  }
  g_assert_true (g_file_test (image, G_FILE_TEST_IS_REGULAR));
  {
    g_autoptr(GVirConfigDomain) config = gvir_domain_get_config (created.domain, 0, &error);
    g_autofree char *xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));

    g_assert_no_error (error);
    assert_contains (xml, image);
    assert_contains (xml, "<domain type=\"qemu\"");
  }
  g_assert_true (gvir_domain_delete (created.domain, 0, &error));
  g_assert_no_error (error);
  g_unlink (image);
  g_object_unref (created.domain);
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* ---- a pending network install, started from the guest list --------------------------------- */

static gboolean
installer_field_is (gpointer data)
{
  VlGuestsPage *page = data;
  const char *want = g_object_get_data (G_OBJECT (page), "want-installer");
  const char *field = vl_guest_details_get_field (page->guest_details, "installer");

  return field != NULL && strstr (field, want) != NULL;
}

static gboolean
selected_is_running (gpointer data)
{
  GVirDomain *domain = vl_guests_page_get_selected_domain (data);
  GVirDomainInfo *info = domain != NULL ? gvir_domain_get_info (domain, NULL) : NULL;
  gboolean running = info != NULL && info->state == GVIR_DOMAIN_STATE_RUNNING;

  if (info != NULL)
    g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info);
  return running;
}

static gboolean
list_has_pending (gpointer data)
{
  return vl_guest_list_select_name (VL_GUESTS_PAGE (data)->guest_list, "pending-install");
}

static gboolean
note_gone (gpointer data)
{
  g_autoptr(GVirConfigDomain) next = gvir_domain_get_config (data, GVIR_DOMAIN_XML_INACTIVE, NULL);

  return next != NULL && !vl_pending_install_is_pending (next);
}

/* A guest made with plain "Create" from an install tree: the details say the installer is pending,
 * Start in the window runs it (the live XML has the kernel) and the note is gone afterwards. */
static void
test_start_runs_pending_installer (void)
{
  g_autofree char *uri = g_strdup_printf ("test://%s/guests/fixtures/host-big.xml", G_TEST_SRCDIR_PATH);
  const char *uris[] = { uri, NULL };
  VlWindow *window = vl_window_new (app);
  VlGuestsPage *page;
  g_autoptr(GVirConfigDomain) config = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GVirConfigDomain) live = NULL;
  g_autoptr(GVirConfigDomain) next = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *live_xml = NULL;

  vl_window_open_connections (window, uris);
  vl_window_show_page (window, "guests");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_widget_show (GTK_WIDGET (window));
  page = vl_test_find_guests_page (window);
  g_assert_true (vl_test_wait_until (vl_test_guests_page_ready, page, 20000));

  config = gvir_config_domain_new_from_xml ("<domain type='test'><name>pending-install</name><memory>262144</memory>"
                                            "<os><type>hvm</type><boot dev='hd'/></os></domain>", &error);
  g_assert_no_error (error);
  g_assert_true (vl_pending_install_add (config, "/srv/boot/pending-install-kernel",
                                         "/srv/boot/pending-install-initrd", "auto=true", &error));
  domain = gvir_connection_create_domain (vl_guests_page_get_selected_connection (page), config, &error);
  g_assert_no_error (error);
  g_assert_true (vl_test_wait_until (list_has_pending, page, 10000));
  g_object_set_data (G_OBJECT (page), "want-installer", (gpointer) "Runs once on the next start");
  g_assert_true (vl_test_wait_until (installer_field_is, page, 10000));
  screenshot_widget (GTK_WIDGET (window), "30-details-installer-pending");

  g_action_group_activate_action (gtk_widget_get_action_group (GTK_WIDGET (page), "guests"), "start", NULL);
  g_assert_true (vl_test_wait_until (selected_is_running, page, 10000));
  live = gvir_domain_get_config (domain, 0, &error);
  g_assert_no_error (error);
  live_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (live));
  assert_contains (live_xml, "<kernel>/srv/boot/pending-install-kernel</kernel>");
  assert_contains (live_xml, "<cmdline>auto=true</cmdline>");
  /* The note goes right after the installer starts (one call later): the guest may show as running
   * in between, as it did once under load. */
  g_assert_true (vl_test_wait_until (note_gone, domain, 10000));
  next = gvir_domain_get_config (domain, GVIR_DOMAIN_XML_INACTIVE, &error);
  g_assert_no_error (error);
  g_assert_false (vl_pending_install_is_pending (next));
  g_object_set_data (G_OBJECT (page), "want-installer", (gpointer) "—");
  g_assert_true (vl_test_wait_until (installer_field_is, page, 10000));

  gvir_domain_stop (domain, 0, NULL);
  gvir_domain_delete (domain, 0, NULL);
  gtk_widget_destroy (GTK_WIDGET (window));
}

int
main (int argc, char **argv)
{
  int ret;
  const char *argv_rm[] = { "rm", "-rf", NULL, NULL };

  setlocale (LC_ALL, "C.UTF-8");
  gtk_test_init (&argc, &argv, NULL);
  gvir_init_object (NULL, NULL);
  {
    /* The app's own style, so the screenshots show what a user sees. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/virtlab/Virtlab/style.css");
    gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (css),
                                               GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  tmp_dir = g_dir_make_tmp ("vl-assistant-XXXXXX", NULL);
  shot_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".",
                               "screenshots", NULL);
  g_mkdir_with_parents (shot_dir, 0755);

  g_test_add_func ("/new-guest-assistant/create-through-widgets", test_create_through_widgets);
  g_test_add_func ("/new-guest-assistant/xen-pv-through-widgets", test_xen_pv_through_widgets);
  g_test_add_func ("/new-guest-assistant/opened-by-guests-page-button", test_guests_page_button);
  g_test_add_func ("/new-guest-assistant/switch-connection", test_switch_connection);
  g_test_add_func ("/new-guest-assistant/embedded-qemu-without-pools", test_embedded_qemu_without_pools);
  g_test_add_func ("/new-guest-assistant/start-runs-pending-installer", test_start_runs_pending_installer);
  app = vl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  ret = g_test_run ();
  g_clear_object (&app);

  argv_rm[2] = tmp_dir;
  g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_free (tmp_dir);
  g_free (shot_dir);
  return ret;
}
