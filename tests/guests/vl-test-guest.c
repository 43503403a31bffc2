/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Test harness: software-emulated QEMU guests on a private qemu:///embed root, and a boot ISO. */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libvirt-gconfig/libvirt-gconfig.h>
#include <unistd.h>

#include "vl-gvir-autoptr.h"
#include "vl-test-guest.h"

/* vl-gvir-autoptr.h lacks these two; they are only used here. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainGraphicsVnc, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GVirConfigDomainVideo, g_object_unref)

#define ISOLINUX_BIN "/usr/lib/ISOLINUX/isolinux.bin"
#define LDLINUX_C32  "/usr/lib/syslinux/modules/bios/ldlinux.c32"

/* stdio_handler "file": the embed driver has no virtlogd. QEMU runs as root because this kind
 * of machine can have a /dev/kvm only root may open: run as libvirt-qemu, libvirt then finds its
 * capability cache stale on every call and probes QEMU again (about 4 s each time). The guests
 * are type "qemu" (TCG) either way. VNC listens on loopback only. */
static const char qemu_conf[] =
  "stdio_handler = \"file\"\n"
  "user = \"root\"\n"
  "group = \"root\"\n"
  "vnc_listen = \"127.0.0.1\"\n"
  "remote_display_port_min = %u\n"
  "remote_display_port_max = %u\n";

VlTestHost *
vl_test_host_new (void)
{
  VlTestHost *host = g_new0 (VlTestHost, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *etc = NULL;
  g_autofree char *conf = NULL;

  /* The wrapper script makes the root, so it can end any QEMU left behind by a failed test. */
  if (g_getenv ("VL_TEST_EMBED_ROOT") != NULL)
    host->root = g_strdup (g_getenv ("VL_TEST_EMBED_ROOT"));
  else
    host->root = g_dir_make_tmp ("virtlab-console-XXXXXX", &error);
  g_assert_no_error (error);
  etc = g_build_filename (host->root, "etc", NULL);
  g_assert_cmpint (g_mkdir_with_parents (etc, 0700), ==, 0);
  conf = g_build_filename (etc, "qemu.conf", NULL);
  /* Every embedded driver picks "free" VNC ports from 5900 on its own, so two test runs (or other
   * libvirt users) can race for the same port: each run gets its own range. */
  {
    guint base = 20000 + (guint) (getpid () % 400) * 100;
    g_autofree char *text = g_strdup_printf (qemu_conf, base, base + 99);
    g_file_set_contents (conf, text, -1, &error);
  }
  g_assert_no_error (error);

  host->uri = g_strdup_printf ("qemu:///embed?root=%s", host->root);
  host->connection = gvir_connection_new (host->uri);
  gvir_connection_open (host->connection, NULL, &error);
  g_assert_no_error (error);
  gvir_connection_fetch_domains (host->connection, NULL, &error);
  g_assert_no_error (error);
  return host;
}

/* Destroys and undefines every guest of the root, so no QEMU outlives the test. */
void
vl_test_host_free (VlTestHost *host)
{
  GList *domains = gvir_connection_get_domains (host->connection);
  g_autofree char *rm = NULL;

  for (GList *l = domains; l != NULL; l = l->next)
    {
      gvir_domain_stop (l->data, 0, NULL);
      gvir_domain_delete (l->data, 0, NULL);
    }
  g_list_free_full (domains, g_object_unref);
  gvir_connection_close (host->connection);
  g_object_unref (host->connection);

  rm = g_strdup_printf ("rm -rf '%s'", host->root);
  g_assert_true (g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL));
  g_free (host->root);
  g_free (host->uri);
  g_free (host);
}

static void
copy_file (const char *from, const char *dir, const char *name)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_file_copy (source, dest, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
write_file (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* An ISOLINUX CD whose boot prompt shows BANNER and, on F1, HELP_PAGE; it waits forever. */
char *
vl_test_host_make_iso (VlTestHost *host, const char *banner, const char *help_page)
{
  g_autofree char *tree = g_build_filename (host->root, "iso-tree", NULL);
  g_autofree char *iso = g_build_filename (host->root, "boot.iso", NULL);
  g_autofree char *banner_text = g_strdup_printf ("%s\r\n", banner);
  g_autofree char *help_text = g_strdup_printf ("%s\r\n", help_page);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "xorriso", "-as", "mkisofs", "-quiet", "-o", iso, "-b", "isolinux.bin",
                         "-c", "boot.cat", "-no-emul-boot", "-boot-load-size", "4",
                         "-boot-info-table", tree, NULL };

  g_assert_cmpint (g_mkdir_with_parents (tree, 0700), ==, 0);
  copy_file (ISOLINUX_BIN, tree, "isolinux.bin");
  copy_file (LDLINUX_C32, tree, "ldlinux.c32");
  write_file (tree, "banner.txt", banner_text);
  write_file (tree, "help.txt", help_text);
  write_file (tree, "isolinux.cfg",
              "DISPLAY banner.txt\n"
              "F1 help.txt\n"
              "PROMPT 1\n"
              "TIMEOUT 0\n"
              "DEFAULT virtlab\n"
              "LABEL virtlab\n"
              "  KERNEL virtlab.none\n");
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("xorriso failed: %s", err);
  return g_steal_pointer (&iso);
}

/* A diskless TCG guest without a NIC: VGA, VNC on loopback (autoport), optionally a CD to boot. */
GVirDomain *
vl_test_host_define (VlTestHost *host, const char *name, const char *iso_path, const char *vnc_password)
{
  g_autoptr(GVirConfigDomain) config = gvir_config_domain_new ();
  g_autoptr(GVirConfigDomainOs) os = gvir_config_domain_os_new ();
  g_autoptr(GVirConfigDomainGraphicsVnc) vnc = gvir_config_domain_graphics_vnc_new ();
  g_autoptr(GVirConfigDomainVideo) video = gvir_config_domain_video_new ();
  g_autoptr(GError) error = NULL;
  GList *boot = NULL;
  GVirDomain *domain;

  gvir_config_domain_set_virt_type (config, GVIR_CONFIG_DOMAIN_VIRT_QEMU);
  gvir_config_domain_set_name (config, name);
  gvir_config_domain_set_memory (config, 32 * 1024);
  gvir_config_domain_set_vcpus (config, 1);
  gvir_config_domain_set_lifecycle (config, GVIR_CONFIG_DOMAIN_LIFECYCLE_ON_POWEROFF,
                                    GVIR_CONFIG_DOMAIN_LIFECYCLE_DESTROY);

  gvir_config_domain_os_set_os_type (os, GVIR_CONFIG_DOMAIN_OS_TYPE_HVM);
  gvir_config_domain_os_set_arch (os, "x86_64");
  gvir_config_domain_os_set_machine (os, "pc");
  boot = g_list_append (boot, GINT_TO_POINTER (GVIR_CONFIG_DOMAIN_OS_BOOT_DEVICE_CDROM));
  gvir_config_domain_os_set_boot_devices (os, boot);
  g_list_free (boot);
  gvir_config_domain_set_os (config, os);

  gvir_config_domain_graphics_vnc_set_autoport (vnc, TRUE);
  if (vnc_password != NULL)
    gvir_config_domain_graphics_vnc_set_password (vnc, vnc_password);
  gvir_config_domain_add_device (config, GVIR_CONFIG_DOMAIN_DEVICE (vnc));
  gvir_config_domain_video_set_model (video, GVIR_CONFIG_DOMAIN_VIDEO_MODEL_VGA);
  gvir_config_domain_add_device (config, GVIR_CONFIG_DOMAIN_DEVICE (video));

  if (iso_path != NULL)
    {
      g_autoptr(GVirConfigDomainDisk) cdrom = gvir_config_domain_disk_new ();
      g_autoptr(GVirConfigDomainDiskDriver) driver = gvir_config_domain_disk_driver_new ();

      gvir_config_domain_disk_set_type (cdrom, GVIR_CONFIG_DOMAIN_DISK_FILE);
      gvir_config_domain_disk_set_guest_device_type (cdrom, GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_CDROM);
      gvir_config_domain_disk_set_source (cdrom, iso_path);
      gvir_config_domain_disk_driver_set_name (driver, "qemu");
      gvir_config_domain_disk_driver_set_format (driver, GVIR_CONFIG_DOMAIN_DISK_FORMAT_RAW);
      gvir_config_domain_disk_set_driver (cdrom, driver);
      gvir_config_domain_disk_set_target_bus (cdrom, GVIR_CONFIG_DOMAIN_DISK_BUS_IDE);
      gvir_config_domain_disk_set_target_dev (cdrom, "hdc");
      gvir_config_domain_disk_set_readonly (cdrom, TRUE);
      gvir_config_domain_add_device (config, GVIR_CONFIG_DOMAIN_DEVICE (cdrom));
    }

  domain = gvir_connection_create_domain (host->connection, config, &error);
  g_assert_no_error (error);
  return domain;
}

void
vl_test_host_start (VlTestHost *host, GVirDomain *domain)
{
  g_autoptr(GError) error = NULL;

  gvir_domain_start (domain, 0, &error);
  g_assert_no_error (error);
}

void
vl_test_host_destroy (VlTestHost *host, GVirDomain *domain)
{
  g_autoptr(GError) error = NULL;

  gvir_domain_stop (domain, 0, &error);
  g_assert_no_error (error);
}


/* The text tesseract reads on a picture, scaled up 2x (VGA text is small for it). */
char *
vl_test_ocr (GdkPixbuf *pixbuf)
{
  g_autoptr(GdkPixbuf) big = gdk_pixbuf_scale_simple (pixbuf, gdk_pixbuf_get_width (pixbuf) * 2,
                                                      gdk_pixbuf_get_height (pixbuf) * 2,
                                                      GDK_INTERP_BILINEAR);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;
  int fd = g_file_open_tmp ("virtlab-ocr-XXXXXX.png", &path, &error);
  const char *argv[] = { "tesseract", NULL, "stdout", NULL };

  g_assert_no_error (error);
  close (fd);
  gdk_pixbuf_save (big, path, "png", &error, NULL);
  g_assert_no_error (error);
  argv[1] = path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_unlink (path);
  return out;
}

void
vl_test_run (const char *const *argv, char **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0),
                NULL, NULL, out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

void
vl_test_add_disk (GVirDomain *domain, const char *path, const char *target, const char *format)
{
  g_autoptr(GVirConfigDomain) config = gvir_domain_get_config (domain, 0, NULL);
  g_autoptr(GVirConfigDomainDisk) disk = gvir_config_domain_disk_new ();
  g_autoptr(GVirConfigDomainDiskDriver) driver = gvir_config_domain_disk_driver_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (config);
  gvir_config_domain_disk_set_type (disk, GVIR_CONFIG_DOMAIN_DISK_FILE);
  gvir_config_domain_disk_set_guest_device_type (disk, GVIR_CONFIG_DOMAIN_DISK_GUEST_DEVICE_DISK);
  gvir_config_domain_disk_set_source (disk, path);
  gvir_config_domain_disk_driver_set_name (driver, "qemu");
  gvir_config_domain_disk_driver_set_format (driver, g_str_equal (format, "qcow2")
                                             ? GVIR_CONFIG_DOMAIN_DISK_FORMAT_QCOW2
                                             : GVIR_CONFIG_DOMAIN_DISK_FORMAT_RAW);
  gvir_config_domain_disk_set_driver (disk, driver);
  gvir_config_domain_disk_set_target_bus (disk, GVIR_CONFIG_DOMAIN_DISK_BUS_VIRTIO);
  gvir_config_domain_disk_set_target_dev (disk, target);
  gvir_config_domain_add_device (config, GVIR_CONFIG_DOMAIN_DEVICE (disk));
  g_assert_true (gvir_domain_set_config (domain, config, &error));
  g_assert_no_error (error);
}

gboolean
vl_test_domain_is_running (GVirDomain *domain)
{
  GVirDomainInfo *info = gvir_domain_get_info (domain, NULL);
  gboolean running = info != NULL && info->state == GVIR_DOMAIN_STATE_RUNNING;

  if (info != NULL)
    g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info);
  return running;
}
