/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of VlGuestSpec: golden domain XML for every mode (schema-checked), defaults, OS detection, bad input. */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "vl-error.h"
#include "vl-guest-spec.h"
#include "vl-gvir-autoptr.h"
#include "vl-pending-install.h"

#define FIXTURES VL_FIXTURES_DIR "/guests/new-guest"

static OsinfoDb *os_db;

static GVirConfigCapabilities *
load_caps (const char *file)
{
  g_autofree char *path = g_build_filename (FIXTURES, file, NULL);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;
  GVirConfigCapabilities *caps;

  g_file_get_contents (path, &xml, NULL, &error);
  g_assert_no_error (error);
  caps = gvir_config_capabilities_new_from_xml (xml, &error);
  g_assert_no_error (error);
  return caps;
}

static VlGuestSpec *
spec_for_host (const char *caps_file)
{
  VlGuestSpec *spec = vl_guest_spec_new ();
  GVirConfigCapabilities *caps = load_caps (caps_file);

  vl_guest_spec_set_host_capabilities (spec, caps);
  /* Golden files hold fixed paths: treat them as paths on a remote host, which are not opened here. */
  vl_guest_spec_set_host_limits (spec, 4 * 1024 * 1024, 4, FALSE);
  vl_guest_spec_set_pool (spec, "default", "/var/lib/libvirt/images", G_GUINT64_CONSTANT (100) << 30);
  g_object_unref (caps);
  return spec;
}

static OsinfoOs *
os_by_short_id (const char *short_id)
{
  g_autoptr(OsinfoOsList) list = osinfo_db_get_os_list (os_db);
  gint n = osinfo_list_get_length (OSINFO_LIST (list));

  for (gint i = 0; i < n; i++)
    {
      OsinfoOs *os = OSINFO_OS (osinfo_list_get_nth (OSINFO_LIST (list), i));

      if (g_strcmp0 (osinfo_product_get_short_id (OSINFO_PRODUCT (os)), short_id) == 0)
        return os;
    }
  g_assert_not_reached ();
  return NULL;
}

/* The study's three guests, and the other shapes the assistant can make. */
static VlGuestSpec *
make_case (const char *name)
{
  VlGuestSpec *spec = NULL;

  if (g_str_equal (name, "kvm-xp-iso"))
    {
      /* qemu-img create -f qcow2 xp.img 10G; qemu-system-x86_64 -cdrom xp.iso -boot d -m 1024 -localtime */
      spec = spec_for_host ("caps-qemu-tcg.xml");
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, "/home/clouder/xp.iso");
      vl_guest_spec_set_os (spec, os_by_short_id ("winxp"));
      vl_guest_spec_set_memory_mib (spec, 1024);
      vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 10, NULL);
      vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_VIRTUAL, "isolated", "52:54:00:12:34:56");
      vl_guest_spec_set_name (spec, "xp");
    }
  else if (g_str_equal (name, "kvm-debian-virtio"))
    {
      spec = spec_for_host ("caps-kvm.xml");
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, "/srv/iso/debian-11.7.0-amd64-netinst.iso");
      vl_guest_spec_set_os (spec, os_by_short_id ("debian11"));
      vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_BRIDGE, "br0", "52:54:00:ab:cd:ef");
      vl_guest_spec_set_name (spec, "deb");
    }
  else if (g_str_equal (name, "kvm-kernel-boot"))
    {
      spec = spec_for_host ("caps-qemu-tcg.xml");
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_KERNEL, NULL);
      vl_guest_spec_set_kernel (spec, "/boot/vmlinuz", "/boot/initrd.img", "console=ttyS0 quiet");
      vl_guest_spec_set_memory_mib (spec, 256);
      vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NONE, 0, NULL);
      vl_guest_spec_set_name (spec, "tiny-kernel");
    }
  else if (g_str_equal (name, "kvm-pxe"))
    {
      spec = spec_for_host ("caps-qemu-tcg.xml");
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_PXE, NULL);
      vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 8, NULL);
      vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_VIRTUAL, "isolated", "52:54:00:00:00:01");
      vl_guest_spec_set_name (spec, "netboot");
    }
  else if (g_str_equal (name, "kvm-emulator-cdrom-device"))
    {
      spec = spec_for_host ("caps-qemu-tcg.xml");
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_CDROM_DEVICE, "/dev/sr0");
      vl_guest_spec_set_emulator (spec, "/usr/bin/qemu-system-x86_64");
      vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_EXISTING_FILE, 0, "/var/lib/libvirt/images/old.img");
      vl_guest_spec_set_name (spec, "from-cd");
    }
  else if (g_str_equal (name, "xen-pv-kernel"))
    {
      /* xen-create-image --hostname=vm01: a PV guest booting a Debian kernel and initrd. */
      spec = spec_for_host ("caps-xen.xml");
      vl_guest_spec_set_mode (spec, VL_GUEST_MODE_XEN_PV);
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_KERNEL, NULL);
      vl_guest_spec_set_kernel (spec, "/boot/vmlinuz-6.1.0-13-amd64", "/boot/initrd.img-6.1.0-13-amd64", NULL);
      vl_guest_spec_set_memory_mib (spec, 512);
      vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 4, NULL);
      vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_BRIDGE, "xenbr0", "00:16:3e:01:02:03");
      vl_guest_spec_set_name (spec, "vm01");
    }
  else if (g_str_equal (name, "xen-pv-pygrub"))
    {
      spec = spec_for_host ("caps-xen.xml");
      vl_guest_spec_set_mode (spec, VL_GUEST_MODE_XEN_PV);
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_DISK, "/home/domains/vm01/disk.img");
      vl_guest_spec_set_memory_mib (spec, 512);
      vl_guest_spec_set_name (spec, "vm01-grub");
    }
  else if (g_str_equal (name, "xen-hvm-xp"))
    {
      /* xp.cfg: builder='hvm', memory=1024, hda disk + hdc cdrom, boot="dc", vnc, usbdevice=tablet. */
      spec = spec_for_host ("caps-xen.xml");
      vl_guest_spec_set_mode (spec, VL_GUEST_MODE_XEN_HVM);
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, "/home/rider/xp.iso");
      vl_guest_spec_set_os (spec, os_by_short_id ("winxp"));
      vl_guest_spec_set_memory_mib (spec, 1024);
      vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 10, NULL);
      vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_BRIDGE, "eth1", "00:16:3e:0a:0b:0c");
      vl_guest_spec_set_name (spec, "xp");
    }
  else if (g_str_equal (name, "kvm-url-debian") || g_str_equal (name, "xen-pv-url-debian"))
    {
      /* A network install, as virt-install --location does it: the tree's installer kernel and initrd. */
      gboolean xen = g_str_has_prefix (name, "xen");

      spec = spec_for_host (xen ? "caps-xen.xml" : "caps-qemu-tcg.xml");
      vl_guest_spec_set_host_limits (spec, 4 * 1024 * 1024, 4, TRUE);
      if (xen)
        vl_guest_spec_set_mode (spec, VL_GUEST_MODE_XEN_PV);
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_URL,
                                "http://deb.debian.org/debian/dists/bullseye/main/installer-amd64/");
      vl_guest_spec_set_boot_dir (spec, "/var/lib/libvirt/boot");
      vl_guest_spec_set_os (spec, os_by_short_id ("debian11"));
      vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 8, NULL);
      vl_guest_spec_set_name (spec, xen ? "deb-pv" : "deb-net");
    }
  g_assert_nonnull (spec);
  return spec;
}

/* What the Virtualization step offers: exactly what the capabilities list, fastest first, and the
 * domain type written follows the choice (issue 15 item 2). */
static void assert_schema_valid (const char *path, const char *kind);

static void
assert_kinds (VlGuestSpec *spec, const VlVirtKind *expected, guint n_expected)
{
  VlVirtKind kinds[VL_N_VIRT];
  guint n = vl_guest_spec_list_virt_kinds (spec, kinds);

  g_assert_cmpuint (n, ==, n_expected);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (kinds[i], ==, expected[i]);
}

static char *
domain_type_of (VlGuestSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) domain = vl_guest_spec_to_domain (spec, &error);
  g_autofree char *xml = NULL;
  const char *at;

  g_assert_no_error (error);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
  at = strstr (xml, "<domain type=\"");
  g_assert_nonnull (at);
  at += strlen ("<domain type=\"");
  return g_strndup (at, strcspn (at, "\""));
}

static void
test_virt_kinds (void)
{
  static const VlVirtKind kvm_and_qemu[] = { VL_VIRT_KVM, VL_VIRT_QEMU_TCG };
  static const VlVirtKind qemu_only[] = { VL_VIRT_QEMU_TCG };
  static const VlVirtKind xen[] = { VL_VIRT_XEN_PVH, VL_VIRT_XEN_HVM, VL_VIRT_XEN_PV };
  static const VlVirtKind shapes[] = { VL_VIRT_KVM, VL_VIRT_XEN_HVM, VL_VIRT_XEN_PV };
  g_autoptr(VlGuestSpec) both = make_case ("kvm-debian-virtio");   /* caps-kvm.xml: kvm and qemu */
  g_autoptr(VlGuestSpec) tcg = make_case ("kvm-xp-iso");           /* caps-qemu-tcg.xml: qemu only */
  g_autoptr(VlGuestSpec) on_xen = make_case ("xen-hvm-xp");
  g_autoptr(VlGuestSpec) unknown = vl_guest_spec_new ();
  g_autofree char *type_kvm = NULL;
  g_autofree char *type_qemu = NULL;
  g_autofree char *type_tcg = NULL;

  assert_kinds (both, kvm_and_qemu, G_N_ELEMENTS (kvm_and_qemu));
  g_assert_cmpint (vl_guest_spec_fastest_virt_kind (both), ==, VL_VIRT_KVM);
  vl_guest_spec_set_virt_kind (both, VL_VIRT_KVM);
  g_assert_cmpint (vl_guest_spec_get_virt_kind (both), ==, VL_VIRT_KVM);
  type_kvm = domain_type_of (both);
  g_assert_cmpstr (type_kvm, ==, "kvm");
  vl_guest_spec_set_virt_kind (both, VL_VIRT_QEMU_TCG);
  g_assert_cmpint (vl_guest_spec_get_virt_kind (both), ==, VL_VIRT_QEMU_TCG);
  type_qemu = domain_type_of (both);
  g_assert_cmpstr (type_qemu, ==, "qemu");

  /* libvirt lists kvm, but QEMU cannot open /dev/kvm (issue 15): both are still offered, software
   * emulation is preselected, and the reason is kept for the user. */
  vl_guest_spec_set_kvm_unusable (both, "no access for QEMU");
  assert_kinds (both, kvm_and_qemu, G_N_ELEMENTS (kvm_and_qemu));
  g_assert_cmpint (vl_guest_spec_fastest_virt_kind (both), ==, VL_VIRT_QEMU_TCG);
  g_assert_cmpstr (vl_guest_spec_get_kvm_unusable (both), ==, "no access for QEMU");
  /* The Connection and Memory steps' line says QEMU only, and why. */
  {
    g_autofree char *line = vl_guest_spec_describe_host (both);

    g_assert_nonnull (strstr (line, "Runs QEMU (software emulation) guests (KVM cannot be used here) · "));
  }
  {
    g_autoptr(VlGuestSpec) copy = vl_guest_spec_copy (both);

    g_assert_cmpstr (vl_guest_spec_get_kvm_unusable (copy), ==, "no access for QEMU");
  }
  vl_guest_spec_set_kvm_unusable (both, NULL);
  g_assert_cmpint (vl_guest_spec_fastest_virt_kind (both), ==, VL_VIRT_KVM);
  {
    g_autofree char *line = vl_guest_spec_describe_host (both);

    g_assert_nonnull (strstr (line, "Runs KVM, QEMU (software emulation) guests · "));
  }

  /* /dev/kvm unusable: libvirt lists qemu only, and that is what is offered and written. */
  assert_kinds (tcg, qemu_only, G_N_ELEMENTS (qemu_only));
  g_assert_cmpint (vl_guest_spec_fastest_virt_kind (tcg), ==, VL_VIRT_QEMU_TCG);
  vl_guest_spec_set_virt_kind (tcg, vl_guest_spec_fastest_virt_kind (tcg));
  type_tcg = domain_type_of (tcg);
  g_assert_cmpstr (type_tcg, ==, "qemu");

  /* Xen lists PVH (libxl's os type xenpvh), HVM and PV; a disc boots neither PV nor PVH, so HVM is
   * preselected for it, and PVH for a kernel. */
  assert_kinds (on_xen, xen, G_N_ELEMENTS (xen));
  g_assert_cmpint (vl_guest_spec_fastest_virt_kind (on_xen), ==, VL_VIRT_XEN_HVM);
  vl_guest_spec_set_virt_kind (on_xen, VL_VIRT_XEN_PV);
  g_assert_cmpint (vl_guest_spec_get_mode (on_xen), ==, VL_GUEST_MODE_XEN_PV);
  g_assert_cmpint (vl_guest_spec_get_virt_kind (on_xen), ==, VL_VIRT_XEN_PV);
  {
    g_autoptr(VlGuestSpec) pvh = make_case ("xen-pv-kernel");
    g_autoptr(GError) error = NULL;
    g_autoptr(GVirConfigDomain) domain = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *path = NULL;

    g_assert_cmpint (vl_guest_spec_fastest_virt_kind (pvh), ==, VL_VIRT_XEN_PVH);
    vl_guest_spec_set_virt_kind (pvh, VL_VIRT_XEN_PVH);
    g_assert_cmpint (vl_guest_spec_get_virt_kind (pvh), ==, VL_VIRT_XEN_PVH);
    domain = vl_guest_spec_to_domain (pvh, &error);
    g_assert_no_error (error);
    xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
    g_assert_nonnull (strstr (xml, "<domain type=\"xen\""));
    g_assert_nonnull (strstr (xml, "machine=\"xenpvh\">xenpvh</type>"));
    g_assert_nonnull (strstr (xml, "<kernel>/boot/vmlinuz-6.1.0-13-amd64</kernel>"));
    g_assert_null (strstr (xml, "<bootloader>"));
    /* libvirt's own schema takes it. */
    path = g_build_filename (g_get_tmp_dir (), "vl-pvh-domain.xml", NULL);
    g_assert_true (g_file_set_contents (path, xml, -1, NULL));
    assert_schema_valid (path, "domain");
    g_unlink (path);
    /* PVH boots the kernel given: an existing disk (pygrub) is refused, with the way out. */
    vl_guest_spec_set_source (pvh, VL_INSTALL_SOURCE_DISK, "/home/domains/vm01/disk.img");
    g_assert_false (vl_guest_spec_check_step (pvh, VL_GUEST_STEP_MODE, &error));
    g_assert_nonnull (strstr (error->message, "Xen PVH guest boots the kernel given here"));
    /* Back to PV: os type xen again. */
    g_clear_error (&error);
    vl_guest_spec_set_source (pvh, VL_INSTALL_SOURCE_KERNEL, NULL);
    vl_guest_spec_set_virt_kind (pvh, VL_VIRT_XEN_PV);
    g_clear_object (&domain);
    domain = vl_guest_spec_to_domain (pvh, &error);
    g_assert_no_error (error);
    g_free (xml);
    xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
    g_assert_null (strstr (xml, "xenpvh"));
  }

  /* Nothing known yet: the guest shapes, nothing refused. */
  assert_kinds (unknown, shapes, G_N_ELEMENTS (shapes));

  for (guint kind = 0; kind < VL_N_VIRT; kind++)
    {
      g_assert_cmpuint (strlen (vl_virt_kind_label (kind)), >, 0);
      g_assert_true (g_str_has_suffix (vl_virt_kind_description (kind), "."));
    }
}

static const char *golden_cases[] = {
  "kvm-xp-iso", "kvm-debian-virtio", "kvm-kernel-boot", "kvm-pxe", "kvm-emulator-cdrom-device",
  "xen-pv-kernel", "xen-pv-pygrub", "xen-hvm-xp", "kvm-url-debian", "xen-pv-url-debian",
};

/* vl_guest_spec_copy (what the creator's worker thread gets): the copy makes the same definition and
 * disk as the original, and stays as it was when the original changes afterwards. */
static char *
domain_xml (VlGuestSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) domain = vl_guest_spec_to_domain (spec, &error);

  g_assert_no_error (error);
  return gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
}

static void
test_copy (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (golden_cases); i++)
    {
      g_autoptr(VlGuestSpec) spec = make_case (golden_cases[i]);
      g_autoptr(VlGuestSpec) copy = vl_guest_spec_copy (spec);
      g_autofree char *xml = domain_xml (spec);
      g_autofree char *copy_xml = domain_xml (copy);
      g_autofree char *edited_xml = NULL;
      g_autofree char *copy_xml_after = NULL;
      g_autoptr(GVirConfigStorageVol) vol = vl_guest_spec_to_volume (spec);
      g_autoptr(GVirConfigStorageVol) copy_vol = vl_guest_spec_to_volume (copy);
      const char *taken[] = { "taken", NULL };

      g_test_message ("%s", golden_cases[i]);
      g_assert_cmpstr (copy_xml, ==, xml);
      g_assert_true ((vol == NULL) == (copy_vol == NULL));
      if (vol != NULL)
        {
          g_autofree char *a = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (vol));
          g_autofree char *b = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (copy_vol));

          g_assert_cmpstr (a, ==, b);
        }
      g_assert_cmpstr (vl_guest_spec_get_pool_dir (copy), ==, vl_guest_spec_get_pool_dir (spec));
      g_assert_cmpuint (vl_guest_spec_get_host_memory_kib (copy), ==, vl_guest_spec_get_host_memory_kib (spec));
      g_assert_true (vl_guest_spec_get_use_kvm (copy) == vl_guest_spec_get_use_kvm (spec));

      /* The original changes; the copy does not. */
      vl_guest_spec_set_name (spec, "edited");
      vl_guest_spec_set_memory_mib (spec, 64);
      vl_guest_spec_set_existing_names (spec, taken);
      vl_guest_spec_set_pool (spec, "other", "/elsewhere", G_MAXUINT64);
      edited_xml = domain_xml (spec);
      g_assert_cmpstr (edited_xml, !=, xml);
      copy_xml_after = domain_xml (copy);
      g_assert_cmpstr (copy_xml_after, ==, xml);
      g_assert_cmpstr (vl_guest_spec_get_pool_dir (copy), !=, "/elsewhere");
      vl_guest_spec_set_name (copy, "taken");
      g_assert_true (vl_guest_spec_check_step (copy, VL_GUEST_STEP_NAME, NULL));
    }
}

static void
assert_schema_valid (const char *path, const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  const char *argv[] = { "virt-xml-validate", path, kind, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("virt-xml-validate %s %s failed: %s", path, kind, out);
}

static void
compare_golden (const char *file, const char *xml)
{
  g_autofree char *path = g_build_filename (FIXTURES, file, NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *with_newline = g_strconcat (xml, "\n", NULL);

  if (g_getenv ("VL_UPDATE_GOLDEN") != NULL)
    g_file_set_contents (path, with_newline, -1, NULL);
  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (with_newline, ==, expected);
}

static void
test_golden (gconstpointer data)
{
  const char *name = data;
  g_autoptr(VlGuestSpec) spec = make_case (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) domain = NULL;
  g_autoptr(GVirConfigStorageVol) vol = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *file = g_strconcat (name, ".xml", NULL);
  g_autofree char *path = g_build_filename (FIXTURES, file, NULL);

  domain = vl_guest_spec_to_domain (spec, &error);
  g_assert_no_error (error);
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (domain));
  compare_golden (file, xml);
  assert_schema_valid (path, "domain");

  /* Xen: the hypervisor's own device model and firmware, never paths libvirt guesses (issue 8). */
  if (g_str_has_prefix (name, "xen-"))
    {
      g_assert_null (strstr (xml, "<emulator>"));
      g_assert_null (strstr (xml, "<loader"));
    }

  /* A network install: the definition is the installed guest, booting its disk, with a note of the
   * installer to boot once; the install configuration is made from that note. */
  if (strstr (name, "-url-") != NULL)
    {
      g_autoptr(GVirConfigDomain) install = vl_guest_spec_to_install_domain (spec, &error);
      g_autofree char *install_xml = NULL;
      g_autofree char *install_file = g_strconcat (name, "-install.xml", NULL);
      g_autofree char *install_path = g_build_filename (FIXTURES, install_file, NULL);

      g_assert_no_error (error);
      g_assert_nonnull (install);
      install_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (install));
      compare_golden (install_file, install_xml);
      assert_schema_valid (install_path, "domain");
      /* The definition boots the disk (pygrub for Xen PV) and restarts on reboot ... */
      g_assert_null (strstr (xml, "<kernel>"));
      g_assert_nonnull (strstr (xml, "<on_reboot>restart</on_reboot>"));
      g_assert_nonnull (strstr (xml, VL_PENDING_INSTALL_NS_URI));
      g_assert_true (g_str_has_prefix (name, "xen-pv") == (strstr (xml, "<bootloader>pygrub</bootloader>") != NULL));
      /* ... the install run boots the installer, without a bootloader or the note, and ends on reboot. */
      g_assert_nonnull (strstr (install_xml, "<kernel>/var/lib/libvirt/boot/"));
      g_assert_nonnull (strstr (install_xml, "<on_reboot>destroy</on_reboot>"));
      g_assert_null (strstr (install_xml, "<bootloader>"));
      g_assert_null (strstr (install_xml, "<boot dev="));
      g_assert_null (strstr (install_xml, VL_PENDING_INSTALL_NS_URI));
      g_assert_cmpstr (gvir_config_domain_get_name (install), ==, gvir_config_domain_get_name (domain));
    }
  else
    {
      g_assert_null (vl_guest_spec_to_install_domain (spec, &error));
      g_assert_no_error (error);
      g_assert_null (strstr (xml, VL_PENDING_INSTALL_NS_URI));
    }

  vol = vl_guest_spec_to_volume (spec);
  if (vol != NULL)
    {
      g_autofree char *vol_file = g_strconcat (name, "-volume.xml", NULL);
      g_autofree char *vol_path = g_build_filename (FIXTURES, vol_file, NULL);
      g_autofree char *vol_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (vol));

      compare_golden (vol_file, vol_xml);
      assert_schema_valid (vol_path, "storagevol");
    }
}

static void
test_defaults_from_osinfo (void)
{
  g_autoptr(VlGuestSpec) xp = spec_for_host ("caps-kvm.xml");
  g_autoptr(VlGuestSpec) deb = spec_for_host ("caps-kvm.xml");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) domain = NULL;

  vl_guest_spec_set_os (xp, os_by_short_id ("winxp"));
  g_assert_true (vl_guest_spec_os_is_windows (xp));
  g_assert_false (vl_guest_spec_get_virtio (xp));
  g_assert_cmpuint (vl_guest_spec_get_memory_mib (xp), >=, 64);

  vl_guest_spec_set_os (deb, os_by_short_id ("debian11"));
  g_assert_false (vl_guest_spec_os_is_windows (deb));
  g_assert_true (vl_guest_spec_get_virtio (deb));
  /* debian11 recommends 1 GiB of RAM and 20 GiB of disk in osinfo-db. */
  g_assert_cmpuint (vl_guest_spec_get_memory_mib (deb), ==, 1024);
  g_assert_cmpuint (vl_guest_spec_get_disk_gib (deb), ==, 20);

  /* Software emulation when asked for, even where the host offers KVM. */
  vl_guest_spec_set_source (deb, VL_INSTALL_SOURCE_PXE, NULL);
  vl_guest_spec_set_network (deb, VL_GUEST_NETWORK_VIRTUAL, "isolated", NULL);
  vl_guest_spec_set_name (deb, "tcg");
  vl_guest_spec_set_use_kvm (deb, FALSE);
  domain = vl_guest_spec_to_domain (deb, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gvir_config_domain_get_virt_type (domain), ==, GVIR_CONFIG_DOMAIN_VIRT_QEMU);
}

static void
test_mac_prefixes (void)
{
  for (int i = 0; i < 20; i++)
    {
      g_autofree char *kvm = vl_guest_generate_mac (VL_GUEST_MODE_KVM_HVM);
      g_autofree char *xen = vl_guest_generate_mac (VL_GUEST_MODE_XEN_PV);

      g_assert_true (g_str_has_prefix (kvm, "52:54:00:"));
      g_assert_true (g_str_has_prefix (xen, "00:16:3e:"));
      g_assert_cmpuint (strlen (kvm), ==, 17);
    }
}

static char *
make_iso (const char *dir, const char *volid, const char *publisher)
{
  g_autofree char *tree = g_build_filename (dir, "tree", NULL);
  g_autofree char *readme = g_build_filename (tree, "README.TXT", NULL);
  char *iso = g_strdup_printf ("%s/%s.iso", dir, volid);
  g_autofree char *loader = g_build_filename (tree, "isolinux.bin", NULL);
  g_autofree char *loader_data = NULL;
  gsize loader_len = 0;
  /* libosinfo only looks at bootable media: give the disc an El Torito boot record. */
  const char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-V", volid, "-publisher", publisher,
                         "-b", "isolinux.bin", "-c", "boot.cat", "-no-emul-boot", "-boot-load-size", "4",
                         "-boot-info-table", "-o", iso, tree, NULL };
  int status = 0;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (tree, 0755);
  g_file_set_contents (readme, "install disc\n", -1, NULL);
  g_assert_true (g_file_get_contents ("/usr/lib/ISOLINUX/isolinux.bin", &loader_data, &loader_len, NULL));
  g_file_set_contents (loader, loader_data, (gssize) loader_len, NULL);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return iso;
}

static void
test_detect_os_from_iso (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vl-iso-XXXXXX", NULL);
  g_autofree char *xp_iso = make_iso (dir, "WXPFPP_EN", "MICROSOFT CORPORATION");
  g_autofree char *other_iso = make_iso (dir, "HOLIDAY_PHOTOS", "NOBODY");
  g_autofree char *missing = g_build_filename (dir, "missing.iso", NULL);
  g_autofree char *tree = g_build_filename (dir, "tree", NULL);
  g_autofree char *readme = g_build_filename (tree, "README.TXT", NULL);
  g_autofree char *loader = g_build_filename (tree, "isolinux.bin", NULL);
  g_autoptr(OsinfoOs) os = NULL;
  g_autoptr(GError) error = NULL;

  os = vl_guest_os_detect_from_media (os_db, xp_iso, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (osinfo_product_get_short_id (OSINFO_PRODUCT (os)), ==, "winxp");

  g_assert_null (vl_guest_os_detect_from_media (os_db, other_iso, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "HOLIDAY_PHOTOS.iso"));
  g_clear_error (&error);

  g_assert_null (vl_guest_os_detect_from_media (os_db, missing, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "missing.iso"));
  g_clear_error (&error);

  g_remove (xp_iso);
  g_remove (other_iso);
  g_remove (readme);
  g_remove (loader);
  g_rmdir (tree);
  g_rmdir (dir);
}

/* ---- bad input: each refused on its step, with a message naming the problem ------------------- */

typedef struct {
  const char *what;
  VlGuestStep step;
  const char *in_message;
} BadCase;

static char *bad_dir;

static void
apply_bad (VlGuestSpec *spec, const char *what)
{
  g_autofree char *missing = g_build_filename (bad_dir, "nowhere.iso", NULL);
  g_autofree char *unreadable = g_build_filename (bad_dir, "secret.iso", NULL);

  if (g_str_equal (what, "empty name"))
    vl_guest_spec_set_name (spec, "");
  else if (g_str_equal (what, "duplicate name"))
    vl_guest_spec_set_name (spec, "taken");
  else if (g_str_equal (what, "quote"))
    vl_guest_spec_set_name (spec, "bad'name\"");
  else if (g_str_equal (what, "slash"))
    vl_guest_spec_set_name (spec, "../../etc/passwd");
  else if (g_str_equal (what, "semicolon"))
    vl_guest_spec_set_name (spec, "x;rm -rf");
  else if (g_str_equal (what, "300 chars"))
    {
      g_autofree char *longname = g_strnfill (300, 'a');

      vl_guest_spec_set_name (spec, longname);
    }
  else if (g_str_equal (what, "unicode"))
    vl_guest_spec_set_name (spec, "虛擬機器");
  else if (g_str_equal (what, "memory 0"))
    vl_guest_spec_set_memory_mib (spec, 0);
  else if (g_str_equal (what, "memory above host"))
    vl_guest_spec_set_memory_mib (spec, 64 * 1024);
  else if (g_str_equal (what, "vcpus above host"))
    vl_guest_spec_set_vcpus (spec, 99);
  else if (g_str_equal (what, "disk 0"))
    vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 0, NULL);
  else if (g_str_equal (what, "disk above pool"))
    vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 500, NULL);
  else if (g_str_equal (what, "missing ISO"))
    vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, missing);
  else if (g_str_equal (what, "unreadable ISO"))
    vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, unreadable);
  else if (g_str_equal (what, "no ISO"))
    vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, "");
  else if (g_str_equal (what, "missing kernel"))
    {
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_KERNEL, NULL);
      vl_guest_spec_set_kernel (spec, missing, NULL, NULL);
    }
  else if (g_str_equal (what, "Xen PV on a QEMU host"))
    vl_guest_spec_set_mode (spec, VL_GUEST_MODE_XEN_PV);
  else if (g_str_equal (what, "Xen on a QEMU host"))
    vl_guest_spec_set_mode (spec, VL_GUEST_MODE_XEN_HVM);
  else if (g_str_equal (what, "bad MAC"))
    vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_VIRTUAL, "isolated", "01:00:5e:00:00:01");
  else if (g_str_equal (what, "bad bridge"))
    vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_BRIDGE, "br0; reboot", NULL);
  else if (g_str_equal (what, "ftp tree"))
    vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_URL, "ftp://ftp.debian.org/debian/");
  else if (g_str_equal (what, "tree without host"))
    vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_URL, "http:///debian");
  else if (g_str_equal (what, "tree on a remote host"))
    {
      vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_URL, "http://deb.debian.org/debian/");
      vl_guest_spec_set_host_limits (spec, 4 * 1024 * 1024, 4, FALSE);
    }
  else if (g_str_equal (what, "PXE without network"))
    vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_PXE, NULL);
  else
    g_assert_not_reached ();
}

static const BadCase bad_cases[] = {
  { "empty name", VL_GUEST_STEP_NAME, "Enter a name" },
  { "duplicate name", VL_GUEST_STEP_NAME, "“taken” already exists" },
  { "quote", VL_GUEST_STEP_NAME, "“bad'name\"” cannot be used" },
  { "slash", VL_GUEST_STEP_NAME, "“../../etc/passwd” cannot be used" },
  { "semicolon", VL_GUEST_STEP_NAME, "“x;rm -rf” cannot be used" },
  { "300 chars", VL_GUEST_STEP_NAME, "too long (300 characters)" },
  { "unicode", VL_GUEST_STEP_NAME, "“虛擬機器” cannot be used" },
  { "memory 0", VL_GUEST_STEP_RESOURCES, "at least 32 MiB" },
  { "memory above host", VL_GUEST_STEP_RESOURCES, "65536 MiB of memory is more than this host has (4096 MiB)" },
  { "vcpus above host", VL_GUEST_STEP_RESOURCES, "between 1 and 4" },
  { "disk 0", VL_GUEST_STEP_STORAGE, "at least 1 GiB" },
  { "disk above pool", VL_GUEST_STEP_STORAGE, "does not fit in storage pool “default”: only 100.0" },
  { "missing ISO", VL_GUEST_STEP_SOURCE, "nowhere.iso” cannot be read: No such file or directory" },
  { "unreadable ISO", VL_GUEST_STEP_SOURCE, "secret.iso” cannot be read" },
  { "no ISO", VL_GUEST_STEP_SOURCE, "Choose an ISO image file" },
  { "missing kernel", VL_GUEST_STEP_SOURCE, "Kernel “" },
  { "Xen PV on a QEMU host", VL_GUEST_STEP_MODE, "This host cannot run guests of the kind “Xen paravirtualized (PV)”" },
  { "Xen on a QEMU host", VL_GUEST_STEP_MODE, "cannot run guests of the kind “Xen fully virtualized (HVM)”" },
  { "bad MAC", VL_GUEST_STEP_NETWORK, "“01:00:5e:00:00:01” is not a valid MAC address" },
  { "bad bridge", VL_GUEST_STEP_NETWORK, "“br0; reboot” is not a valid bridge name" },
  { "PXE without network", VL_GUEST_STEP_NETWORK, "needs a network" },
  { "ftp tree", VL_GUEST_STEP_SOURCE, "“ftp://ftp.debian.org/debian/” is not an install tree address" },
  { "tree without host", VL_GUEST_STEP_SOURCE, "is not an install tree address" },
  { "tree on a remote host", VL_GUEST_STEP_SOURCE, "works on connections to this computer only" },
};

static void
test_bad_input (gconstpointer data)
{
  const BadCase *bad = data;
  g_autofree char *iso = g_build_filename (bad_dir, "good.iso", NULL);
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  g_autoptr(GVirConfigCapabilities) caps = load_caps ("caps-qemu-tcg.xml");
  g_autoptr(GError) error = NULL;
  VlGuestStep step = VL_GUEST_STEP_OS;
  const char *names[] = { "taken", NULL };

  /* A good local spec first, so the one bad field is the only reason to refuse. */
  vl_guest_spec_set_host_capabilities (spec, caps);
  vl_guest_spec_set_host_limits (spec, 4 * 1024 * 1024, 4, TRUE);
  vl_guest_spec_set_existing_names (spec, names);
  vl_guest_spec_set_pool (spec, "default", bad_dir, G_GUINT64_CONSTANT (100) << 30);
  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, iso);
  vl_guest_spec_set_memory_mib (spec, 512);
  vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 10, NULL);
  vl_guest_spec_set_name (spec, "good");
  g_assert_true (vl_guest_spec_validate (spec, NULL, &error));
  g_assert_no_error (error);

  apply_bad (spec, bad->what);
  g_assert_false (vl_guest_spec_validate (spec, &step, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_cmpint (step, ==, bad->step);
  if (strstr (error->message, bad->in_message) == NULL)
    g_error ("“%s”: message “%s” lacks “%s”", bad->what, error->message, bad->in_message);
  g_clear_error (&error);
  /* Nothing to build from a refused spec either. */
  g_assert_null (vl_guest_spec_to_domain (spec, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
}

/* On a Xen host a PV guest is possible, but not from a disc: the refusal says why and what to do. */
static void
test_xen_pv_needs_kernel (void)
{
  g_autoptr(VlGuestSpec) spec = spec_for_host ("caps-xen.xml");
  g_autoptr(GError) error = NULL;

  vl_guest_spec_set_mode (spec, VL_GUEST_MODE_XEN_PV);
  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, "/srv/iso/debian.iso");
  vl_guest_spec_set_name (spec, "pv");
  g_assert_false (vl_guest_spec_check_step (spec, VL_GUEST_STEP_MODE, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "cannot boot from an ISO image"));
  g_clear_error (&error);

  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_PXE, NULL);
  g_assert_false (vl_guest_spec_check_step (spec, VL_GUEST_STEP_MODE, &error));
  g_assert_nonnull (strstr (error->message, "cannot boot from the network"));
  g_clear_error (&error);

  /* KVM is not on offer on a Xen host. */
  g_assert_false (vl_guest_spec_host_supports (spec, VL_GUEST_MODE_KVM_HVM));
  g_assert_true (vl_guest_spec_host_supports (spec, VL_GUEST_MODE_XEN_HVM));
}

/* The note survives libvirt's round trip as text, keeps what other tools put in <metadata>, and
 * carries paths and command lines with XML's special characters unchanged. */
static void
test_pending_install_note (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) plain = gvir_config_domain_new ();
  g_autoptr(GVirConfigDomain) noted = NULL;
  g_autoptr(GVirConfigDomain) boot = NULL;
  g_autoptr(GVirConfigDomain) reread = NULL;
  g_autoptr(GVirConfigDomainOs) os = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *boot_xml = NULL;
  const char *hostile_cmdline = "auto=true url=http://a/b?x=1&y=<2> \"quoted\"";

  gvir_config_domain_set_name (plain, "plain");
  g_assert_false (vl_pending_install_is_pending (plain));
  g_assert_null (vl_pending_install_boot_config (plain, &error));
  g_assert_no_error (error);

  noted = gvir_config_domain_new_from_xml ("<domain type='kvm'><name>n</name><bootloader>pygrub</bootloader>"
                                           "<os><type>hvm</type><boot dev='hd'/></os>"
                                           "<on_reboot>restart</on_reboot></domain>", &error);
  g_assert_no_error (error);
  gvir_config_domain_set_custom_xml (noted, "<libosinfo><os id='http://debian.org/debian/11'/></libosinfo>",
                                     "libosinfo", "http://libosinfo.org/xmlns/libvirt/domain/1.0", &error);
  g_assert_no_error (error);
  g_assert_true (vl_pending_install_add (noted, "/boot/k&1", "/boot/i<2", hostile_cmdline, &error));
  g_assert_no_error (error);

  /* As libvirt hands it back: text, parsed again. */
  xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (noted));
  reread = gvir_config_domain_new_from_xml (xml, &error);
  g_assert_no_error (error);
  g_assert_true (vl_pending_install_is_pending (reread));
  boot = vl_pending_install_boot_config (reread, &error);
  g_assert_no_error (error);
  g_assert_nonnull (boot);
  g_assert_false (vl_pending_install_is_pending (boot));
  boot_xml = gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (boot));
  g_assert_null (strstr (boot_xml, "bootloader"));
  g_assert_null (strstr (boot_xml, "<boot "));
  g_assert_nonnull (strstr (boot_xml, "<on_reboot>destroy</on_reboot>"));
  g_assert_nonnull (strstr (boot_xml, "http://debian.org/debian/11"));
  os = gvir_config_domain_get_os (boot);
  g_assert_nonnull (os);
  {
    g_autoptr(GVirConfigDomain) check = gvir_config_domain_new_from_xml (boot_xml, &error);
    g_autofree char *kernel = NULL;

    g_assert_no_error (error);
    /* libvirt-gconfig has getters for neither kernel nor cmdline: look at the text. */
    g_assert_nonnull (strstr (boot_xml, "<kernel>/boot/k&amp;1</kernel>"));
    g_assert_nonnull (strstr (boot_xml, "<initrd>/boot/i&lt;2</initrd>"));
    g_assert_nonnull (strstr (boot_xml, "<cmdline>auto=true url=http://a/b?x=1&amp;y=&lt;2&gt; \"quoted\"</cmdline>"));
    (void) kernel;
  }
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good = NULL;
  g_autofree char *secret = NULL;
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  gvir_config_init (NULL, NULL);
  os_db = vl_guest_os_db_load (&error);
  g_assert_no_error (error);

  bad_dir = g_dir_make_tmp ("vl-spec-XXXXXX", NULL);
  good = g_build_filename (bad_dir, "good.iso", NULL);
  secret = g_build_filename (bad_dir, "secret.iso", NULL);
  g_file_set_contents (good, "iso", -1, NULL);
  g_file_set_contents (secret, "iso", -1, NULL);
  /* Root reads any file whatever its mode: make the unreadable one a directory instead. */
  if (geteuid () == 0)
    {
      g_remove (secret);
      g_mkdir (secret, 0);
    }
  else
    g_chmod (secret, 0);

  for (guint i = 0; i < G_N_ELEMENTS (golden_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/guest-spec/golden/", golden_cases[i], NULL);

      g_test_add_data_func (path, golden_cases[i], test_golden);
    }
  g_test_add_func ("/guest-spec/copy", test_copy);
  g_test_add_func ("/guest-spec/defaults-from-osinfo", test_defaults_from_osinfo);
  g_test_add_func ("/guest-spec/mac-prefixes", test_mac_prefixes);
  g_test_add_func ("/guest-spec/virt-kinds", test_virt_kinds);
  g_test_add_func ("/guest-spec/pending-install-note", test_pending_install_note);
  g_test_add_func ("/guest-spec/xen-pv-needs-kernel", test_xen_pv_needs_kernel);
  g_test_add_func ("/guest-spec/detect-os-from-iso", test_detect_os_from_iso);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/guest-spec/bad-input/%u", i);

      g_test_add_data_func (path, &bad_cases[i], test_bad_input);
    }
  ret = g_test_run ();

  g_remove (good);
  g_remove (secret);
  g_rmdir (secret);
  g_rmdir (bad_dir);
  g_free (bad_dir);
  g_object_unref (os_db);
  return ret;
}
