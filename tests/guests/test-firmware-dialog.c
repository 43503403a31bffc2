/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Change Firmware dialog under Xvfb on libvirt's test driver (issue 17): it shows the guest's firmware,
 * Apply redefines a shut-off guest with UEFI and a TPM, and a running guest is refused with its name (the
 * rows insensitive). VL_TEST_SHOT_DIR: where to save the dialog as PNG, to look at it. */
#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <libvirt/libvirt.h>

#include "vl-firmware-dialog.h"
#include "vl-guest-details.h"
#include "vl-libvirt-xml.h"
#include "vl-test-wait.h"

static gboolean
idle (gpointer dialog)
{
  return !vl_firmware_dialog_is_busy (dialog);
}

static gboolean
gone (gpointer flag)
{
  return *(gboolean *) flag;
}

static void
shoot (GtkWidget *dialog, const char *name)
{
  const char *dir = g_getenv ("VL_TEST_SHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GdkWindow *window;

  if (dir == NULL)
    return;
  for (int i = 0; i < 40; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
  window = gtk_widget_get_window (dialog);
  pixbuf = gdk_pixbuf_get_from_window (window, 0, 0, gdk_window_get_width (window),
                                       gdk_window_get_height (window));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
}

static GVirDomain *
find (GVirConnection *conn, const char *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gvir_connection_fetch_domains (conn, NULL, &error));
  return gvir_connection_find_domain_by_name (conn, name);
}

static void
test_change_shut_off (void)
{
  g_autoptr(GVirConnection) conn = gvir_connection_new ("test:///default");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *firmware = NULL;
  g_autofree char *tpm = NULL;
  virConnectPtr raw;
  virDomainPtr vdom;
  VlFirmwareDialog *dialog;
  gboolean destroyed = FALSE;
  int changed = 0;
  GList *rows;

  g_assert_true (gvir_connection_open (conn, NULL, &error));
  g_object_get (conn, "handle", &raw, NULL);
  vdom = virDomainDefineXML (raw, "<domain type='test'><name>fw</name><memory>65536</memory>"
                                  "<os><type arch='x86_64'>hvm</type></os></domain>");
  g_assert_nonnull (vdom);
  domain = find (conn, "fw");

  dialog = vl_firmware_dialog_new (NULL, domain);
  g_signal_connect_swapped (dialog, "changed", G_CALLBACK (g_atomic_int_inc), &changed);
  g_signal_connect_swapped (dialog, "destroy", G_CALLBACK (g_atomic_int_inc), &destroyed);
  gtk_widget_show (GTK_WIDGET (dialog));
  g_assert_true (vl_test_wait_until (idle, dialog, 30000));
  g_assert_null (vl_firmware_dialog_get_message (dialog));
  shoot (GTK_WIDGET (dialog), "firmware-dialog.png");

  /* The user picks UEFI and TPM 2.0 in the assistant's rows. */
  rows = gtk_container_get_children (GTK_CONTAINER (gtk_dialog_get_content_area (GTK_DIALOG (dialog))));
  for (GList *l = rows; l != NULL; l = l->next)
    {
      if (!g_str_equal (G_OBJECT_TYPE_NAME (l->data), "VlFirmwareOptions"))
        continue;
      g_assert_true (gtk_widget_is_sensitive (l->data));
      /* The combo and switches are the widget's own template children: found by type. */
      {
        g_autoptr(GPtrArray) stack = g_ptr_array_new ();
        guint switches = 0;

        g_ptr_array_add (stack, l->data);
        while (stack->len > 0)
          {
            GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

            if (GTK_IS_COMBO_BOX (w))
              gtk_combo_box_set_active_id (GTK_COMBO_BOX (w), "uefi");
            else if (GTK_IS_SWITCH (w) && ++switches > 0 &&
                     g_strcmp0 (gtk_buildable_get_name (GTK_BUILDABLE (w)), "tpm_switch") == 0)
              gtk_switch_set_active (GTK_SWITCH (w), TRUE);
            else if (GTK_IS_CONTAINER (w))
              {
                GList *children = gtk_container_get_children (GTK_CONTAINER (w));

                for (GList *c = g_list_last (children); c != NULL; c = c->prev)
                  g_ptr_array_add (stack, c->data);
                g_list_free (children);
              }
          }
        g_assert_cmpuint (switches, ==, 2);
      }
    }
  g_list_free (rows);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_APPLY);
  g_assert_true (vl_test_wait_until (gone, &destroyed, 30000));
  g_assert_cmpint (changed, ==, 1);

  xml = virDomainGetXMLDesc (vdom, VIR_DOMAIN_XML_INACTIVE);
  doc = vl_libvirt_xml_parse (xml, "domain", VL_LIBVIRT_XML_NONE, NULL);
  firmware = vl_libvirt_xml_xpath_string (doc, "string(/domain/os/@firmware)");
  tpm = vl_libvirt_xml_xpath_string (doc, "string(/domain/devices/tpm/backend/@type)");
  g_assert_cmpstr (firmware, ==, "efi");
  g_assert_cmpstr (tpm, ==, "emulator");
  virDomainUndefine (vdom);
  virDomainFree (vdom);
}

static void
test_running_refused (void)
{
  g_autoptr(GVirConnection) conn = gvir_connection_new ("test:///default");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  VlFirmwareDialog *dialog;

  g_assert_true (gvir_connection_open (conn, NULL, &error));
  domain = find (conn, "test"); /* the test driver's guest, running */
  dialog = vl_firmware_dialog_new (NULL, domain);
  gtk_widget_show (GTK_WIDGET (dialog));
  g_assert_true (vl_test_wait_until (idle, dialog, 30000));
  g_assert_nonnull (vl_firmware_dialog_get_message (dialog));
  g_assert_nonnull (strstr (vl_firmware_dialog_get_message (dialog), "test"));
  g_assert_false (
    gtk_widget_is_sensitive (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_APPLY)));
  shoot (GTK_WIDGET (dialog), "firmware-dialog-running.png");
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static GtkWidget *
find_button (GtkWidget *widget, const char *label)
{
  GList *children;
  GtkWidget *found = NULL;

  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  if (!GTK_IS_CONTAINER (widget))
    return NULL;
  children = gtk_container_get_children (GTK_CONTAINER (widget));
  for (GList *l = children; l != NULL && found == NULL; l = l->next)
    found = find_button (l->data, label);
  g_list_free (children);
  return found;
}

/* The button next to the Firmware row of guest details: usable while the guest is shut off only. */
static void
test_details_button (void)
{
  g_autoptr(GVirConnection) conn = gvir_connection_new ("test:///default");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *details = g_object_new (VL_TYPE_GUEST_DETAILS, NULL);
  VlGuestInfo info = { .uuid = (char *) "",
                       .name = (char *) "test",
                       .state = VIR_DOMAIN_SHUTOFF,
                       .vcpus = 1,
                       .memory_kib = 65536,
                       .os_type = (char *) "hvm" };
  GtkWidget *button;

  g_assert_true (gvir_connection_open (conn, NULL, &error));
  domain = find (conn, "test");
  gtk_container_add (GTK_CONTAINER (window), details);
  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
  gtk_widget_show_all (window);
  button = find_button (details, _("Change _Firmware…"));
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_sensitive (button)); /* no guest */

  vl_guest_details_set_domain (VL_GUEST_DETAILS (details), domain, &info);
  g_assert_true (gtk_widget_get_sensitive (button));
  shoot (window, "details-shut-off.png");
  info.state = VIR_DOMAIN_RUNNING;
  vl_guest_details_update_info (VL_GUEST_DETAILS (details), &info);
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==,
                   _("Shut the guest down to change its firmware or TPM."));
  shoot (window, "details-running.png");
  gtk_widget_destroy (window);
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
  g_test_add_func ("/firmware-dialog/change-shut-off", test_change_shut_off);
  g_test_add_func ("/firmware-dialog/running-refused", test_running_refused);
  g_test_add_func ("/firmware-dialog/details-button", test_details_button);
  return g_test_run ();
}
