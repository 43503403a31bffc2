/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The assistant's steps on their own (issue 13 item 4): each is a widget keyed by VlAssistantStep that
 * writes its part of a spec and says whether that part is complete, and why not, on itself. */
#include "config.h"

#include <gtk/gtk.h>
#include <locale.h>

#include "vl-gvir-autoptr.h"
#include "vl-firmware-options.h"
#include "vl-new-guest-steps.h"

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
  for (GList *l = children; l != NULL && found == NULL; l = l->next)
    found = find_in (l->data, name);
  g_list_free (children);
  return found;
}

static GtkWidget *
child (gpointer step, const char *name)
{
  GtkWidget *w = find_in (GTK_WIDGET (step), name);

  if (w == NULL)
    g_error ("no widget “%s” in the step", name);
  return w;
}

static VlNewGuestStep *
make_step (GType type, VlGuestSpec *spec)
{
  VlNewGuestStep *step = g_object_ref_sink (g_object_new (type, NULL));

  vl_new_guest_step_set_spec (step, spec);
  return step;
}

static void
test_ids (void)
{
  GType types[] = { VL_TYPE_NEW_GUEST_STEP_CONNECTION, VL_TYPE_NEW_GUEST_STEP_SOURCE,
                    VL_TYPE_NEW_GUEST_STEP_OS,         VL_TYPE_NEW_GUEST_STEP_MODE,
                    VL_TYPE_NEW_GUEST_STEP_RESOURCES,  VL_TYPE_NEW_GUEST_STEP_STORAGE,
                    VL_TYPE_NEW_GUEST_STEP_NETWORK,    VL_TYPE_NEW_GUEST_STEP_NAME };
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();

  G_STATIC_ASSERT (G_N_ELEMENTS (types) == VL_N_ASSISTANT_STEPS);
  for (guint i = 0; i < VL_N_ASSISTANT_STEPS; i++)
    {
      g_autoptr(VlNewGuestStep) step = make_step (types[i], spec);

      /* Each step knows which one it is, and is shown under that name and title. */
      g_assert_cmpint (vl_new_guest_step_get_id (step), ==, i);
      g_assert_nonnull (vl_new_guest_step_id_name (i));
      g_assert_nonnull (vl_new_guest_step_id_title (i));
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (vl_new_guest_step_id_name (i), !=, vl_new_guest_step_id_name (j));
      g_assert_null (vl_new_guest_step_get_error (step));
      gtk_widget_destroy (GTK_WIDGET (step));
    }
  /* Every step after the connection is the spec's check of the same name. */
  for (VlGuestStep check = VL_GUEST_STEP_SOURCE; check <= VL_GUEST_STEP_NAME; check++)
    g_assert_cmpint (vl_new_guest_step_id_to_check (vl_new_guest_step_id_of_check (check)), ==, check);
  g_assert_cmpint (vl_new_guest_step_id_of_check (VL_GUEST_STEP_STORAGE), ==, VL_ASSISTANT_STEP_STORAGE);
}

/* The source step writes the typed ISO into the spec; a file that cannot be read is refused on the
 * step, naming it; typing again takes the refusal away. */
static void
test_source (void)
{
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  g_autoptr(VlNewGuestStep) step = make_step (VL_TYPE_NEW_GUEST_STEP_SOURCE, spec);
  g_autoptr(GError) error = NULL;

  gtk_entry_set_text (GTK_ENTRY (child (step, "iso_entry")), "/nonexistent/x.iso");
  g_assert_false (vl_new_guest_step_is_complete (step, &error));
  g_assert_nonnull (strstr (error->message, "/nonexistent/x.iso"));
  g_assert_cmpstr (vl_new_guest_step_get_error (step), ==, error->message);
  g_assert_cmpint (vl_guest_spec_get_source_kind (spec), ==, VL_INSTALL_SOURCE_ISO);
  g_assert_cmpstr (vl_guest_spec_get_source (spec), ==, "/nonexistent/x.iso");
  gtk_entry_set_text (GTK_ENTRY (child (step, "iso_entry")), "/nonexistent/y.iso");
  g_assert_null (vl_new_guest_step_get_error (step));
  /* PXE needs nothing typed. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (step, "src_pxe_radio")), TRUE);
  g_assert_true (vl_new_guest_step_is_complete (step, NULL));
  g_assert_cmpint (vl_guest_spec_get_source_kind (spec), ==, VL_INSTALL_SOURCE_PXE);
  gtk_widget_destroy (GTK_WIDGET (step));
}

/* Memory and processors: read from the spec, written back, refused below the least memory. */
static void
test_resources (void)
{
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  g_autoptr(VlNewGuestStep) step = make_step (VL_TYPE_NEW_GUEST_STEP_RESOURCES, spec);
  g_autoptr(GError) error = NULL;

  vl_guest_spec_set_memory_mib (spec, 768);
  vl_new_guest_step_load (step);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (child (step, "memory_spin"))), ==, 768);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (step, "memory_spin")), 0);
  g_assert_false (vl_new_guest_step_is_complete (step, &error));
  g_assert_nonnull (strstr (error->message, "32 MiB"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (step, "memory_spin")), 256);
  g_assert_true (vl_new_guest_step_is_complete (step, NULL));
  g_assert_null (vl_new_guest_step_get_error (step));
  g_assert_cmpuint (vl_guest_spec_get_memory_mib (spec), ==, 256);
  gtk_widget_destroy (GTK_WIDGET (step));
}

/* A disk too big for the pool is refused; the refusal goes as soon as the size or the choice changes
 * (issue 15: it lingered after the user had changed what it was about). */
static void
test_storage (void)
{
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  g_autoptr(VlNewGuestStep) step = make_step (VL_TYPE_NEW_GUEST_STEP_STORAGE, spec);
  g_autoptr(GError) error = NULL;

  vl_guest_spec_set_pool (spec, "small", "/var/lib/small", 2 * (guint64) 1 << 30);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (step, "disk_spin")), 500);
  g_assert_false (vl_new_guest_step_is_complete (step, &error));
  g_assert_nonnull (strstr (error->message, "small"));
  g_assert_nonnull (vl_new_guest_step_get_error (step));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (step, "disk_spin")), 1);
  g_assert_null (vl_new_guest_step_get_error (step));
  g_assert_true (vl_new_guest_step_is_complete (step, NULL));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (step, "disk_spin")), 500);
  g_assert_false (vl_new_guest_step_is_complete (step, NULL));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (step, "storage_none_radio")), TRUE);
  g_assert_null (vl_new_guest_step_get_error (step));
  g_assert_true (vl_new_guest_step_is_complete (step, NULL));
  g_assert_cmpint (vl_guest_spec_get_storage_kind (spec), ==, VL_GUEST_STORAGE_NONE);
  gtk_widget_destroy (GTK_WIDGET (step));
}

/* libvirt lists kvm and qemu; with KVM usable it is preselected; when QEMU cannot open /dev/kvm,
 * software emulation is, and its description says why (issue 15). */
static void
test_mode (void)
{
  for (guint unusable = 0; unusable < 2; unusable++)
    {
      g_autofree char *path = g_build_filename (VL_FIXTURES_DIR, "guests", "new-guest", "caps-kvm.xml", NULL);
      g_autofree char *xml = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GVirConfigCapabilities) caps = NULL;
      g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
      g_autoptr(VlNewGuestStep) step = NULL;
      const char *qemu_text;

      g_assert_true (g_file_get_contents (path, &xml, NULL, &error));
      caps = gvir_config_capabilities_new_from_xml (xml, &error);
      g_assert_no_error (error);
      vl_guest_spec_set_host_capabilities (spec, caps);
      if (unusable)
        vl_guest_spec_set_kvm_unusable (spec, "QEMU may not open it");
      step = make_step (VL_TYPE_NEW_GUEST_STEP_MODE, spec);
      vl_new_guest_step_mode_set_host_ready (VL_NEW_GUEST_STEP_MODE (step), TRUE);
      g_assert_true (gtk_widget_get_visible (child (step, "mode_kvm_radio")));
      g_assert_true (gtk_widget_get_visible (child (step, "mode_qemu_radio")));
      g_assert_cmpint (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child (step, "mode_qemu_radio"))), ==,
                       unusable);
      qemu_text = gtk_label_get_text (GTK_LABEL (child (step, "mode_qemu_description")));
      g_assert_cmpint (strstr (qemu_text, "QEMU may not open it") != NULL, ==, unusable);
      g_assert_true (vl_new_guest_step_is_complete (step, NULL));
      g_assert_cmpint (vl_guest_spec_get_virt_kind (spec), ==, unusable ? VL_VIRT_QEMU_TCG : VL_VIRT_KVM);
      /* The user's click stays. */
      gtk_button_clicked (GTK_BUTTON (child (step, unusable ? "mode_kvm_radio" : "mode_qemu_radio")));
      vl_new_guest_step_enter (step);
      g_assert_true (gtk_toggle_button_get_active (
        GTK_TOGGLE_BUTTON (child (step, unusable ? "mode_kvm_radio" : "mode_qemu_radio"))));
      gtk_widget_destroy (GTK_WIDGET (step));
    }
}

/* The name is checked as it is typed; the step's box for options that customise the guest holds the firmware
 * options (issue 17). */
static void
test_name (void)
{
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  g_autoptr(VlNewGuestStep) step = make_step (VL_TYPE_NEW_GUEST_STEP_NAME, spec);
  GtkBox *box = vl_new_guest_step_name_get_customize_box (VL_NEW_GUEST_STEP_NAME (step));
  g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (box));

  g_assert_false (vl_new_guest_step_is_complete (step, NULL));
  g_assert_nonnull (vl_new_guest_step_get_error (step));
  gtk_entry_set_text (GTK_ENTRY (child (step, "name_entry")), "steps-guest");
  g_assert_null (vl_new_guest_step_get_error (step));
  g_assert_cmpstr (vl_guest_spec_get_name (spec), ==, "steps-guest");
  gtk_entry_set_text (GTK_ENTRY (child (step, "name_entry")), "bad/name");
  g_assert_nonnull (vl_new_guest_step_get_error (step));
  /* Booting an existing disk: with no name yet the summary names that disk, not a new file. */
  gtk_entry_set_text (GTK_ENTRY (child (step, "name_entry")), "");
  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_DISK, "/srv/images/old.qcow2");
  vl_new_guest_step_name_refresh (VL_NEW_GUEST_STEP_NAME (step));
  g_assert_nonnull (
    strstr (gtk_label_get_text (GTK_LABEL (child (step, "summary_label"))), "/srv/images/old.qcow2"));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (box), GTK_WIDGET (step)));
  g_assert_cmpuint (g_list_length (children), ==, 1);
  g_assert_true (VL_IS_FIRMWARE_OPTIONS (children->data));
  gtk_widget_destroy (GTK_WIDGET (step));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/new-guest-steps/ids", test_ids);
  g_test_add_func ("/new-guest-steps/source", test_source);
  g_test_add_func ("/new-guest-steps/resources", test_resources);
  g_test_add_func ("/new-guest-steps/mode", test_mode);
  g_test_add_func ("/new-guest-steps/storage", test_storage);
  g_test_add_func ("/new-guest-steps/name", test_name);
  return g_test_run ();
}
