/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of VlGuestCreator on libvirt's test driver and on real QEMU (TCG) through qemu:///embed. */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <libintl.h>
#include <libvirt/virterror.h>

#include "vl-error.h"
#include "vl-guest-creator.h"
#include "vl-gvir-autoptr.h"
#include "vl-test-creator.h"


static char *tmp_root;

static char *
run_virsh (const char *uri, const char *command, const char *name)
{
  const char *argv[] = { "virsh", "-q", "-c", uri, command, name, NULL };
  /* name NULL: command is a ';'-separated list of virsh commands */
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("virsh %s %s failed: %s", command, name, err);
  return g_strdup (g_strstrip (out));
}

/* ---- test:///default: fast cases ------------------------------------------------------------- */

static VlGuestSpec *
small_spec (const char *name, const char *iso)
{
  VlGuestSpec *spec = vl_guest_spec_new ();

  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, iso);
  vl_guest_spec_set_memory_mib (spec, 128);
  vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 1, NULL);
  vl_guest_spec_set_name (spec, name);
  return spec;
}

static char *
tiny_iso (void)
{
  char *iso = g_build_filename (tmp_root, "tiny.iso", NULL);

  if (!g_file_test (iso, G_FILE_TEST_EXISTS))
    g_file_set_contents (iso, "not really an ISO, but readable", -1, NULL);
  return iso;
}

static void
test_describe_test_driver (void)
{
  g_autoptr(GVirConnection) conn = vl_test_open_connection ("test:///default");
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  g_autoptr(GError) error = NULL;

  vl_test_describe (creator, spec);
  g_assert_true (g_strv_contains (vl_guest_creator_get_networks (creator), "default"));
  g_assert_true (vl_guest_creator_has_storage_pools (creator));
  g_assert_cmpuint (vl_guest_spec_get_host_memory_kib (spec), >, 0);
  g_assert_cmpuint (vl_guest_spec_get_host_cpus (spec), >, 0);
  /* The test driver's own guest "test" is taken. */
  vl_guest_spec_set_name (spec, "test");
  g_assert_false (vl_guest_spec_check_step (spec, VL_GUEST_STEP_NAME, &error));
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
}

/* The steps as the creator said them, in the caller's thread (issue 15 item 10). */
static void
on_step (VlGuestCreator *creator, int step, guint number, guint total, GString *seen)
{
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_string_append_printf (seen, "%s%d:%u/%u", seen->len > 0 ? " " : "", step, number, total);
}

static void
test_create_in_new_default_pool (void)
{
  g_autoptr(GString) steps = g_string_new (NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GVirConnection) conn = vl_test_open_connection ("test:///default");
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autofree char *iso = tiny_iso ();
  g_autoptr(VlGuestSpec) spec = small_spec ("fast-guest", iso);
  g_autofree char *pool_dir = g_build_filename (tmp_root, "pool", NULL);
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GVirStoragePool) pool = NULL;
  g_autoptr(GVirStorageVol) vol = NULL;
  g_autoptr(GError) error = NULL;
  GVirDomainInfo *info;

  vl_guest_creator_set_default_pool_dir (creator, pool_dir);
  vl_test_describe (creator, spec);
  g_assert_cmpstr (vl_guest_spec_get_pool_name (spec), ==, "default");
  g_assert_null (gvir_connection_find_storage_pool_by_name (conn, "default"));

  g_signal_connect (creator, "step", G_CALLBACK (on_step), steps);
  domain = vl_test_create (creator, spec, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gvir_domain_get_name (domain), ==, "fast-guest");
  /* Disk, definition, start: each said as it began, numbered out of three. */
  expected = g_strdup_printf ("%d:1/3 %d:2/3 %d:3/3", VL_CREATE_STEP_DISK, VL_CREATE_STEP_DEFINE,
                              VL_CREATE_STEP_START);
  g_assert_cmpstr (steps->str, ==, expected);
  info = gvir_domain_get_info (domain, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->state, ==, GVIR_DOMAIN_STATE_RUNNING);
  g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info);

  g_assert_true (gvir_connection_fetch_storage_pools (conn, NULL, &error));
  pool = gvir_connection_find_storage_pool_by_name (conn, "default");
  g_assert_nonnull (pool);
  g_assert_true (gvir_storage_pool_get_active (pool));
  gvir_storage_pool_refresh (pool, NULL, NULL);
  vol = gvir_storage_pool_get_volume (pool, "fast-guest.qcow2");
  g_assert_nonnull (vol);

  gvir_domain_stop (domain, 0, NULL);
  gvir_domain_delete (domain, 0, NULL);
  gvir_storage_vol_delete (vol, 0, NULL);
}

/* The spec was not told which names are taken, so only libvirt can refuse: the disk must go again. */
static void
test_failed_define_removes_volume (void)
{
  g_autoptr(GVirConnection) conn = vl_test_open_connection ("test:///default");
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autofree char *iso = tiny_iso ();
  g_autoptr(VlGuestSpec) spec = small_spec ("test", iso);
  g_autofree char *pool_dir = g_build_filename (tmp_root, "pool", NULL);
  g_autoptr(GVirStoragePool) pool = NULL;
  g_autoptr(GVirStorageVol) vol = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirDomain) domain = NULL;

  vl_guest_creator_set_default_pool_dir (creator, pool_dir);
  vl_test_describe (creator, spec);
  vl_guest_spec_set_existing_names (spec, NULL);
  domain = vl_test_create (creator, spec, FALSE, NULL, &error);
  g_assert_null (domain);
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "A guest named “test” already exists on this connection.");

  g_assert_true (gvir_connection_fetch_storage_pools (conn, NULL, NULL));
  pool = gvir_connection_find_storage_pool_by_name (conn, "default");
  g_assert_nonnull (pool);
  gvir_storage_pool_refresh (pool, NULL, NULL);
  vol = gvir_storage_pool_get_volume (pool, "test.qcow2");
  g_assert_null (vol);
}

static void
test_cancelled_creates_nothing (void)
{
  g_autoptr(GVirConnection) conn = vl_test_open_connection ("test:///default");
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autofree char *iso = tiny_iso ();
  g_autoptr(VlGuestSpec) spec = small_spec ("never-made", iso);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  g_autofree char *pool_dir = g_build_filename (tmp_root, "pool", NULL);

  vl_guest_creator_set_default_pool_dir (creator, pool_dir);
  vl_test_describe (creator, spec);
  g_cancellable_cancel (cancellable);
  domain = vl_test_create (creator, spec, TRUE, cancellable, &error);
  g_assert_null (domain);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (gvir_connection_fetch_domains (conn, NULL, NULL));
  g_assert_null (gvir_connection_find_domain_by_name (conn, "never-made"));
}

/* The assistant may change its spec while the creator runs (issue 14): the creator works on what it was
 * given when it started. Each round edits the spec right after the call, while the worker thread is
 * starting; a creator reading the live spec makes "edited-N" guests with 256 MiB and no disk. */
typedef struct {
  GMainLoop *loop;
  GAsyncResult *result;
} CreateWait;

static void
create_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CreateWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static void
test_spec_changed_after_start (void)
{
  g_autoptr(GVirConnection) conn = vl_test_open_connection ("test:///default");
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autofree char *iso = tiny_iso ();
  g_autofree char *pool_dir = g_build_filename (tmp_root, "pool", NULL);

  vl_guest_creator_set_default_pool_dir (creator, pool_dir);
  for (int round = 0; round < 5; round++)
    {
      g_autofree char *name = g_strdup_printf ("snapshot-%d", round);
      g_autofree char *edited = g_strdup_printf ("edited-%d", round);
      g_autofree char *vol_name = g_strdup_printf ("snapshot-%d.qcow2", round);
      g_autoptr(VlGuestSpec) spec = small_spec (name, iso);
      CreateWait wait = { g_main_loop_new (NULL, FALSE), NULL };
      g_autoptr(GVirDomain) domain = NULL;
      g_autoptr(GVirConfigDomain) config = NULL;
      g_autoptr(GVirStoragePool) pool = NULL;
      g_autoptr(GVirStorageVol) vol = NULL;
      g_autoptr(GError) error = NULL;
      const char *pool_dir_before;

      vl_test_describe (creator, spec);
      pool_dir_before = vl_guest_spec_get_pool_dir (spec);
      g_assert_nonnull (pool_dir_before);
      vl_guest_creator_create_async (creator, spec, FALSE, NULL, create_done, &wait);
      /* The user goes on typing in the assistant. */
      vl_guest_spec_set_name (spec, edited);
      vl_guest_spec_set_memory_mib (spec, 256);
      vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NONE, 0, NULL);
      vl_guest_spec_set_pool (spec, "elsewhere", "/nonexistent/elsewhere", 0);
      g_main_loop_run (wait.loop);
      domain = vl_guest_creator_create_finish (creator, wait.result, &error);
      g_object_unref (wait.result);
      g_main_loop_unref (wait.loop);
      g_assert_no_error (error);
      g_assert_nonnull (domain);
      g_assert_cmpstr (gvir_domain_get_name (domain), ==, name);
      g_assert_true (gvir_connection_fetch_domains (conn, NULL, NULL));
      g_assert_null (gvir_connection_find_domain_by_name (conn, edited));
      config = gvir_domain_get_config (domain, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (gvir_config_domain_get_memory (config), ==, 128 * 1024);
      g_assert_true (gvir_connection_fetch_storage_pools (conn, NULL, NULL));
      pool = gvir_connection_find_storage_pool_by_name (conn, "default");
      g_assert_nonnull (pool);
      gvir_storage_pool_refresh (pool, NULL, NULL);
      vol = gvir_storage_pool_get_volume (pool, vol_name);
      g_assert_nonnull (vol);
      /* And the thread wrote nothing back into the caller's spec: it still holds the edits. */
      g_assert_cmpstr (vl_guest_spec_get_name (spec), ==, edited);
      g_assert_cmpstr (vl_guest_spec_get_pool_dir (spec), ==, "/nonexistent/elsewhere");
      gvir_domain_delete (domain, 0, NULL);
      gvir_storage_vol_delete (vol, 0, NULL);
    }
}

/* The description of the host arrives in the spec when _finish runs on the caller's thread, not
 * from the worker while the caller may be reading it. */
static void
test_describe_fills_spec_on_finish (void)
{
  g_autoptr(GVirConnection) conn = vl_test_open_connection ("test:///default");
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  CreateWait wait = { g_main_loop_new (NULL, FALSE), NULL };
  g_autoptr(GError) error = NULL;

  vl_guest_creator_describe_host_async (creator, spec, NULL, create_done, &wait);
  g_main_loop_run (wait.loop);
  /* The thread has finished; the spec is still untouched. */
  g_assert_cmpuint (vl_guest_spec_get_host_cpus (spec), ==, 0);
  g_assert_null (vl_guest_spec_get_pool_dir (spec));
  g_assert_true (vl_guest_creator_describe_host_finish (creator, wait.result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (vl_guest_spec_get_host_cpus (spec), >, 0);
  g_assert_nonnull (vl_guest_spec_get_pool_dir (spec));
  g_assert_true (vl_guest_spec_host_is_test_driver (spec));
  g_object_unref (wait.result);
  g_main_loop_unref (wait.loop);
}

/* ---- network install: a tree served over HTTP on 127.0.0.1 by a server this test starts ----------------- */

/* ---- real QEMU, software emulation, embedded driver ------------------------------------------- */

static char *
make_embed_root (void)
{
  char *root = g_build_filename (tmp_root, "embed", NULL);
  g_autofree char *etc = g_build_filename (root, "etc", NULL);
  g_autofree char *conf = g_build_filename (etc, "qemu.conf", NULL);

  /* QEMU runs as libvirt-qemu when the test runs as root: it must reach the disk's folder. */
  g_mkdir_with_parents (etc, 0755);
  g_chmod (root, 0755);
  /* Without virtlogd (no daemon here) QEMU's output must go straight to a file. As root, QEMU runs
   * as root too: as libvirt-qemu it cannot open a root-only /dev/kvm, and libvirt then throws its
   * capability cache away on every use (a 2-3 s QEMU probe each time, over a minute per guest). */
  g_file_set_contents (conf, geteuid () == 0 ? "stdio_handler = \"file\"\nuser = \"root\"\ngroup = \"root\"\n"
                                             : "stdio_handler = \"file\"\n", -1, NULL);
  return root;
}

static char *
embed_uri (void)
{
  g_autofree char *root = make_embed_root ();

  return g_strdup_printf ("qemu:///embed?root=%s", root);
}

static char *
embed_image (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".qcow2", NULL);

  return g_build_filename (tmp_root, "embed", "images", file, NULL);
}

/* Phase 1, in a child process: the app's side creates and starts the guest, then exits, because only
 * one process at a time may open an embedded root and it keeps it open until it exits. */
static void
embed_create_and_start (void)
{
  g_autofree char *uri = embed_uri ();
  g_autofree char *image = embed_image ("tcg-guest");
  g_autofree char *iso = tiny_iso ();
  g_autoptr(GVirConnection) conn = vl_test_open_connection (uri);
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autoptr(VlGuestSpec) spec = small_spec ("tcg-guest", iso);
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("opened %s: %.1f s", uri, g_get_monotonic_time () / 1e6);
  vl_test_describe (creator, spec);
  g_test_message ("described: %.1f s", g_get_monotonic_time () / 1e6);
  g_assert_false (vl_guest_creator_has_storage_pools (creator));
  g_assert_true (g_str_has_prefix (image, vl_guest_spec_get_pool_dir (spec)));
  /* CI has no /dev/kvm: software emulation, whatever this machine offers. */
  vl_guest_spec_set_use_kvm (spec, FALSE);
  domain = vl_test_create (creator, spec, TRUE, NULL, &error);
  g_test_message ("created and started: %.1f s", g_get_monotonic_time () / 1e6);
  g_assert_no_error (error);
  g_assert_nonnull (domain);
  g_assert_true (g_file_test (image, G_FILE_TEST_IS_REGULAR));
}

/* Phase 2, in a child process: definitions that fail leave no disk behind; a clash leaves the old one. */
static void
embed_failures (void)
{
  g_autofree char *uri = embed_uri ();
  g_autofree char *iso = tiny_iso ();
  g_autofree char *bad_image = embed_image ("no-emulator");
  g_autofree char *first_image = embed_image ("tcg-guest");
  g_autoptr(GVirConnection) conn = vl_test_open_connection (uri);
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autoptr(VlGuestSpec) bad = small_spec ("no-emulator", iso);
  g_autoptr(VlGuestSpec) dup = small_spec ("tcg-guest", iso);
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GError) error = NULL;

  vl_test_describe (creator, bad);
  vl_guest_spec_set_use_kvm (bad, FALSE);
  vl_guest_spec_set_emulator (bad, "/nonexistent/qemu-system-x86_64");
  domain = vl_test_create (creator, bad, TRUE, NULL, &error);
  g_assert_null (domain);
  g_assert_error (error, VL_ERROR, VL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“no-emulator”"));
  g_assert_nonnull (strstr (error->message, "/nonexistent/qemu-system-x86_64"));
  g_assert_false (g_file_test (bad_image, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  vl_test_describe (creator, dup);
  vl_guest_spec_set_existing_names (dup, NULL);
  vl_guest_spec_set_use_kvm (dup, FALSE);
  domain = vl_test_create (creator, dup, FALSE, NULL, &error);
  g_assert_null (domain);
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  g_assert_true (g_file_test (first_image, G_FILE_TEST_IS_REGULAR));
}

static void
run_phase (const char *phase)
{
  gint64 start = g_get_monotonic_time ();

  g_setenv ("VL_EMBED_PHASE", phase, TRUE);
  g_test_trap_subprocess (NULL, 100 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("VL_EMBED_PHASE");
  g_test_message ("embedded QEMU, phase “%s”: %.1f s", phase, (g_get_monotonic_time () - start) / 1e6);
}

static void
test_embed_qemu (void)
{
  const char *phase = g_getenv ("VL_EMBED_PHASE");
  g_autofree char *uri = NULL;
  g_autofree char *image = NULL;
  g_autofree char *state = NULL;
  g_autofree char *xml = NULL;
  gboolean created;

  if (g_test_subprocess ())
    {
      if (g_strcmp0 (phase, "create") == 0)
        embed_create_and_start ();
      else
        embed_failures ();
      return;
    }
  uri = embed_uri ();
  image = embed_image ("tcg-guest");

  run_phase ("create");
  created = g_test_trap_has_passed ();
  if (created)
    {
      /* Checked from outside, as a user would: virsh on the same root, in one session, because a
       * session that ends while the driver is still reconnecting to the running QEMU kills it. */
      gint64 start = g_get_monotonic_time ();
      g_autofree char *out = run_virsh (uri, "domstate tcg-guest; dumpxml tcg-guest; destroy tcg-guest; "
                                             "undefine tcg-guest", NULL);
      g_auto(GStrv) parts = g_strsplit (out, "\n", 2);

      g_test_message ("virsh checks: %.1f s", (g_get_monotonic_time () - start) / 1e6);
      state = g_strdup (g_strstrip (parts[0]));
      xml = g_strdup (parts[1]);
      run_phase ("failures");
      g_remove (image);
    }
  else
    {
      /* Whatever was left running is stopped before the failure is reported. */
      const char *argv[] = { "virsh", "-q", "-c", uri, "destroy", "tcg-guest", NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                    | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    }
  g_test_trap_assert_passed ();
  g_assert_cmpstr (state, ==, "running");
  g_assert_nonnull (strstr (xml, "<domain type='qemu'"));
  g_assert_nonnull (strstr (xml, image));
  g_assert_nonnull (strstr (xml, "<driver name='qemu' type='qcow2'/>"));
  g_assert_null (strstr (xml, "<interface"));
  g_assert_false (g_file_test (image, G_FILE_TEST_EXISTS));
}

/* ---- libvirt's messages in the user's language (issue 14) ------------------------------------ */

/* In the child: the interface in zh_TW as a user has it (LANGUAGE=zh_TW, LANG=zh_TW.UTF-8; C.UTF-8
 * where this machine has no zh_TW locale, which gettext accepts with LANGUAGE), libvirt's messages
 * fully translated (tests/guests/fixtures/libvirt-zh_TW.po), Virtlab's from the build tree. */
static void
speak_zh_tw (void)
{
  g_autofree char *locale_root = g_build_filename (tmp_root, "locale", NULL);
  g_autofree char *mo_dir = g_build_filename (locale_root, "zh_TW", "LC_MESSAGES", NULL);
  g_autofree char *mo = g_build_filename (mo_dir, "libvirt.mo", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "zh_TW");
  if (setlocale (LC_ALL, "") == NULL)
    g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  g_assert_true (g_file_get_contents (VL_LIBVIRT_ZH_TW_MO, &contents, &length, &error));
  g_assert_no_error (error);
  g_mkdir_with_parents (mo_dir, 0755);
  g_assert_true (g_file_set_contents (mo, contents, (gssize) length, &error));
  /* libvirt bound its text domain when it was initialised (gvir_init_object in main): bind it again. */
  bindtextdomain ("libvirt", locale_root);
  bind_textdomain_codeset ("libvirt", "UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, VL_BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* Both catalogues are in effect, or this test would prove nothing. */
  g_assert_cmpstr (g_dgettext ("libvirt", "operation failed: %s"), ==, "操作失敗：%s");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "A guest named “%s” already exists on this connection."), !=,
                   "A guest named “%s” already exists on this connection.");
}

static void
zh_tw_name_taken (void)
{
  g_autoptr(GVirConnection) conn = vl_test_open_connection ("test:///default");
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autofree char *iso = tiny_iso ();
  g_autoptr(VlGuestSpec) spec = small_spec ("test", iso);
  g_autofree char *pool_dir = g_build_filename (tmp_root, "pool-zh", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GVirStoragePool) pool = NULL;
  g_autoptr(GVirStorageVol) vol = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GError) error = NULL;
  virConnectPtr vconn = NULL;
  virErrorPtr verr;

  /* What libvirt itself says about the clash carries none of the English words once translated. */
  g_object_get (conn, "handle", &vconn, NULL);
  g_assert_null (virDomainDefineXML (vconn, "<domain type='test'><name>test</name><memory>131072</memory>"
                                            "<os><type>hvm</type></os></domain>"));
  verr = virGetLastError ();
  g_assert_nonnull (verr);
  g_test_message ("libvirt says: %s", verr->message);
  g_assert_nonnull (strstr (verr->message, "操作失敗"));
  g_assert_null (strstr (verr->message, "already exists"));
  virConnectClose (vconn);

  vl_guest_creator_set_default_pool_dir (creator, pool_dir);
  vl_test_describe (creator, spec);
  vl_guest_spec_set_existing_names (spec, NULL);
  domain = vl_test_create (creator, spec, FALSE, NULL, &error);
  g_assert_null (domain);
  g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
  expected = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "A guest named “%s” already exists on this connection."),
                              "test");
  g_assert_cmpstr (error->message, ==, expected);
  /* And the disk made for it is gone again. */
  g_assert_true (gvir_connection_fetch_storage_pools (conn, NULL, NULL));
  pool = gvir_connection_find_storage_pool_by_name (conn, "default");
  g_assert_nonnull (pool);
  gvir_storage_pool_refresh (pool, NULL, NULL);
  vol = gvir_storage_pool_get_volume (pool, "test.qcow2");
  g_assert_null (vol);
}

static void
zh_tw_no_emulator (void)
{
  g_autofree char *root = g_build_filename (tmp_root, "embed-zh", NULL);
  g_autofree char *etc = g_build_filename (root, "etc", NULL);
  g_autofree char *conf = g_build_filename (etc, "qemu.conf", NULL);
  g_autofree char *uri = g_strdup_printf ("qemu:///embed?root=%s", root);
  g_autofree char *image = g_build_filename (root, "images", "zh-no-emulator.qcow2", NULL);
  g_autofree char *iso = tiny_iso ();
  g_autoptr(GVirConnection) conn = NULL;
  g_autoptr(VlGuestCreator) creator = NULL;
  g_autoptr(VlGuestSpec) bad = small_spec ("zh-no-emulator", iso);
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (etc, 0755);
  g_assert_true (g_file_set_contents (conf, "stdio_handler = \"file\"\n", -1, NULL));
  conn = vl_test_open_connection (uri);
  creator = vl_guest_creator_new (conn);
  vl_test_describe (creator, bad);
  vl_guest_spec_set_use_kvm (bad, FALSE);
  vl_guest_spec_set_emulator (bad, "/nonexistent/qemu-system-x86_64");
  domain = vl_test_create (creator, bad, FALSE, NULL, &error);
  g_assert_null (domain);
  g_test_message ("%s", error->message);
  g_assert_error (error, VL_ERROR, VL_ERROR_NOT_FOUND);
  /* libvirt's translated words are kept in the message, and none of its English ones are there. */
  g_assert_nonnull (strstr (error->message, "無法檢查 QEMU 執行檔 /nonexistent/qemu-system-x86_64"));
  g_assert_null (strstr (error->message, "QEMU binary"));
  g_assert_false (g_file_test (image, G_FILE_TEST_EXISTS));
}

static void
test_zh_tw (void)
{
  const char *phase = g_getenv ("VL_ZH_PHASE");

  if (g_test_subprocess ())
    {
      speak_zh_tw ();
      if (g_strcmp0 (phase, "name-taken") == 0)
        zh_tw_name_taken ();
      else
        zh_tw_no_emulator ();
      return;
    }
  {
    /* The children get the user's zh_TW; this process gets its own settings back afterwards. */
    static const char *const names[] = { "LANGUAGE", "LANG", "LC_ALL", "LC_MESSAGES" };
    char *saved[G_N_ELEMENTS (names)];

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      saved[i] = g_strdup (g_getenv (names[i]));
    g_setenv ("LANGUAGE", "zh_TW", TRUE);
    g_setenv ("LANG", "zh_TW.UTF-8", TRUE);
    g_unsetenv ("LC_ALL");
    g_unsetenv ("LC_MESSAGES");
    for (guint i = 0; i < 2; i++)
      {
        g_setenv ("VL_ZH_PHASE", i == 0 ? "name-taken" : "no-emulator", TRUE);
        g_test_trap_subprocess (NULL, 100 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
        g_test_trap_assert_passed ();
      }
    g_unsetenv ("VL_ZH_PHASE");
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        if (saved[i] != NULL)
          g_setenv (names[i], saved[i], TRUE);
        else
          g_unsetenv (names[i]);
        g_free (saved[i]);
      }
  }
}

/* ---- real libvirtd with its storage driver: a private daemon of the test's own ---------------------- */

static char *
private_dir (void)
{
  return g_build_filename (tmp_root, "libvirtd", NULL);
}

static char *
private_uri (void)
{
  g_autofree char *dir = private_dir ();

  return g_strdup_printf ("qemu:///session?socket=%s/run/libvirt/libvirt-sock", dir);
}

/* In a child: the pool is made by the creator, the disk in it, the guest started; then a failing define. */
static void
private_libvirtd_body (void)
{
  g_autofree char *uri = private_uri ();
  g_autofree char *dir = private_dir ();
  g_autofree char *pool_dir = g_build_filename (dir, "home", "pool", NULL);
  g_autofree char *iso = tiny_iso ();
  g_autoptr(GVirConnection) conn = vl_test_open_connection (uri);
  g_autoptr(VlGuestCreator) creator = vl_guest_creator_new (conn);
  g_autoptr(VlGuestSpec) spec = small_spec ("lv-guest", iso);
  g_autoptr(VlGuestSpec) bad = small_spec ("lv-bad", iso);
  g_autoptr(GVirDomain) domain = NULL;
  g_autoptr(GVirDomain) none = NULL;
  g_autoptr(GVirStoragePool) pool = NULL;
  g_autoptr(GVirStorageVol) vol = NULL;
  g_autoptr(GError) error = NULL;

  vl_guest_creator_set_default_pool_dir (creator, pool_dir);
  vl_test_describe (creator, spec);
  g_assert_true (vl_guest_creator_has_storage_pools (creator));
  vl_guest_spec_set_use_kvm (spec, FALSE);
  domain = vl_test_create (creator, spec, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (domain);

  vl_test_describe (creator, bad);
  vl_guest_spec_set_use_kvm (bad, FALSE);
  vl_guest_spec_set_emulator (bad, "/nonexistent/qemu-system-x86_64");
  none = vl_test_create (creator, bad, TRUE, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, VL_ERROR, VL_ERROR_NOT_FOUND);
  g_assert_true (gvir_connection_fetch_storage_pools (conn, NULL, NULL));
  pool = gvir_connection_find_storage_pool_by_name (conn, "default");
  g_assert_nonnull (pool);
  g_assert_true (gvir_storage_pool_refresh (pool, NULL, NULL));
  vol = gvir_storage_pool_get_volume (pool, "lv-bad.qcow2");
  g_assert_null (vol);
}

static void
run_quiet (const char *const *argv)
{
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL);
}

/* Until the daemon has finished writing its state (a zombie counts as gone: nothing may reap it here). */
static void
wait_gone (gint64 pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%" G_GINT64_FORMAT "/stat", pid);

  for (int i = 0; i < 100; i++)
    {
      g_autofree char *stat = NULL;
      const char *end;

      if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
        return;
      end = strrchr (stat, ')');
      if (end != NULL && end[1] == ' ' && end[2] == 'Z')
        return;
      g_usleep (50 * 1000);
    }
}

static void
test_private_libvirtd (void)
{
  g_autofree char *dir = private_dir ();
  g_autofree char *home = g_build_filename (dir, "home", NULL);
  g_autofree char *config = g_build_filename (home, ".config", NULL);
  g_autofree char *libvirt_config = g_build_filename (config, "libvirt", NULL);
  g_autofree char *qemu_conf = g_build_filename (libvirt_config, "qemu.conf", NULL);
  g_autofree char *run = g_build_filename (dir, "run", NULL);
  g_autofree char *pidfile = g_build_filename (run, "libvirtd.pid", NULL);
  g_autofree char *sock = g_build_filename (run, "libvirt", "libvirt-sock", NULL);
  g_autofree char *uri = private_uri ();
  g_autofree char *env_home = g_strconcat ("HOME=", home, NULL);
  g_autofree char *env_run = g_strconcat ("XDG_RUNTIME_DIR=", run, NULL);
  g_autofree char *env_config = g_strconcat ("XDG_CONFIG_HOME=", config, NULL);
  g_autofree char *env_cache = g_strconcat ("XDG_CACHE_HOME=", home, "/.cache", NULL);
  g_autofree char *env_data = g_strconcat ("XDG_DATA_HOME=", home, "/.local/share", NULL);
  g_autofree char *pid_text = NULL;
  g_autofree char *out = NULL;
  gboolean root = geteuid () == 0;
  /* As root the daemon runs as "nobody": a session daemon whose socket, state and QEMU are all
   * under this folder, so no other libvirtd on the machine is touched. */
  const char *daemon_argv[] = { "runuser", "-u", "nobody", "--", "env", env_home, env_run, env_config,
                                env_cache, env_data, "libvirtd", "--daemon", "--pid-file", pidfile, NULL };
  const char *chown_argv[] = { "chown", "-R", "nobody:nogroup", home, run, NULL };
  const char *kill_argv[] = { "kill", NULL, NULL };
  gint64 pid = 0;

  if (g_test_subprocess ())
    {
      private_libvirtd_body ();
      return;
    }
  g_mkdir_with_parents (libvirt_config, 0755);
  g_mkdir_with_parents (run, 0700);
  g_chmod (dir, 0755);
  g_file_set_contents (qemu_conf, "stdio_handler = \"file\"\n", -1, NULL);
  if (root)
    run_quiet (chown_argv);
  run_quiet (root ? daemon_argv : daemon_argv + 4);
  for (int i = 0; i < 100 && !(g_file_test (sock, G_FILE_TEST_EXISTS) && g_file_get_contents (pidfile, &pid_text, NULL, NULL)); i++)
    g_usleep (100 * 1000);
  g_assert_nonnull (pid_text);
  pid = g_ascii_strtoll (pid_text, NULL, 10);
  g_assert_cmpint (pid, >, 1);

  g_test_trap_subprocess (NULL, 100 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (g_test_trap_has_passed ())
    out = run_virsh (uri, "domstate lv-guest; vol-list default; destroy lv-guest; undefine lv-guest; "
                          "vol-delete --pool default lv-guest.qcow2; pool-destroy default; pool-undefine default",
                     NULL);
  else
    {
      const char *argv[] = { "virsh", "-q", "-c", uri, "destroy", "lv-guest", NULL };

      run_quiet (argv);
    }
  /* The daemon this test started, by its PID, whatever happened above. */
  kill_argv[1] = pid_text != NULL ? g_strstrip (pid_text) : NULL;
  run_quiet (kill_argv);
  wait_gone (pid);
  g_test_trap_assert_passed ();
  g_assert_true (g_str_has_prefix (out, "running"));
  g_assert_nonnull (strstr (out, "lv-guest.qcow2"));
  g_assert_null (strstr (out, "lv-bad"));
}

/* Again while something still finishes writing there (a guest's log, a daemon shutting down). */
static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  for (int i = 0; i < 20 && g_file_test (path, G_FILE_TEST_EXISTS); i++)
    {
      if (i > 0)
        g_usleep (100 * 1000);
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                    NULL, NULL, NULL, NULL);
    }
}

int
main (int argc, char **argv)
{
  int ret;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  gvir_init_object (NULL, NULL);
  /* The child of the embedded-QEMU test works in its parent's folder, named on the command line. */
  tmp_root = g_strdup (g_getenv ("VL_CREATOR_TMP"));
  if (tmp_root == NULL)
    {
      tmp_root = g_dir_make_tmp ("vl-creator-XXXXXX", NULL);
      g_chmod (tmp_root, 0755);
      g_setenv ("VL_CREATOR_TMP", tmp_root, TRUE);
    }

  g_test_add_func ("/guest-creator/test-driver/describe", test_describe_test_driver);
  g_test_add_func ("/guest-creator/test-driver/create-in-new-default-pool", test_create_in_new_default_pool);
  g_test_add_func ("/guest-creator/test-driver/failed-define-removes-volume", test_failed_define_removes_volume);
  g_test_add_func ("/guest-creator/test-driver/cancelled", test_cancelled_creates_nothing);
  g_test_add_func ("/guest-creator/test-driver/spec-changed-after-start", test_spec_changed_after_start);
  g_test_add_func ("/guest-creator/test-driver/describe-fills-spec-on-finish", test_describe_fills_spec_on_finish);
  g_test_add_func ("/guest-creator/embed-qemu/create-start-and-undo", test_embed_qemu);
  g_test_add_func ("/guest-creator/zh_TW/failures-recognised-by-code", test_zh_tw);
  g_test_add_func ("/guest-creator/private-libvirtd/pool-create-start-and-undo", test_private_libvirtd);
  ret = g_test_run ();

  if (!g_test_subprocess ())
    remove_tree (tmp_root);
  g_free (tmp_root);
  return ret;
}
