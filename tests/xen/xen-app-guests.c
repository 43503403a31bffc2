/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's guest spec, creator, lifecycle and console widget on the live Xen dom0. */
#include "config.h"

#include <gtk/gtk.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <vncdisplay.h>

#include "vl-connection.h"
#include "vl-console.h"
#include "vl-gvir-autoptr.h"
#include "vl-guest-clone.h"
#include "vl-guest-creator.h"
#include "vl-guest-snapshots.h"
#include "vl-guest-lifecycle.h"
#include "vl-guest-spec.h"

/* Run by tests/xen/test-app-guests.sh with XEN_URI, XEN_STATE (boot-dom0.sh's state directory: its
 * "ports" file) and XEN_OUT (where screenshots go), under Xvfb. Not a meson test: it needs the dom0.
 * Paths are inside dom0's image (dom0-image.sh): the Debian kernel, the busybox initrd, the tiny ISO. */
#define DOM0_KERNEL "/var/lib/virtlab/vmlinuz"
#define DOM0_INITRD "/var/lib/virtlab/pv-initrd.img"
#define DOM0_ISO    "/var/lib/virtlab/iso/tiny.iso"
#define DOM0_POOL   "/var/lib/virtlab/app-pool"   /* test-pv-guest.sh's own pool is .../pool */

static const char *xen_uri;
static const char *xen_state;
static const char *out_dir;
static const char *xen_dir;
static VlConnection *connection;

static void
quiet_libvirt (void *data, virErrorPtr err)
{
}

static gboolean
wait_until (gboolean (*done) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data) && g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
  return done (data);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
store_result (GObject *source, GAsyncResult *res, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

static gboolean
is_settled (gpointer data)
{
  VlConnectionState state = vl_connection_get_state (data);

  return state != VL_CONNECTION_STATE_CONNECTING && state != VL_CONNECTION_STATE_DISCONNECTED;
}

static GVirConnection *
live_connection (void)
{
  if (connection == NULL)
    {
      connection = vl_connection_new (xen_uri);
      vl_connection_open (connection);
      g_assert_true (wait_until (is_settled, connection, 120000));
    }
  g_assert_cmpint (vl_connection_get_state (connection), ==, VL_CONNECTION_STATE_CONNECTED);
  return vl_connection_get_connection (connection);
}

/* A port boot-dom0.sh forwards to the same number in dom0 ("vnc P P" in STATE/ports): a guest given
 * it is reached by a client that follows libvirt's host and port, as the console does for libxl. */
static int
same_number_port (guint which)
{
  g_autofree char *path = g_build_filename (xen_state, "ports", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint found = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      int a, b;

      if (sscanf (lines[i], "vnc %d %d", &a, &b) == 2 && a == b && found++ == which)
        return a;
    }
  g_assert_not_reached ();
  return -1;
}

static gboolean
connection_forgot (gpointer name)
{
  g_autoptr(GVirDomain) d = gvir_connection_find_domain_by_name (vl_connection_get_connection (connection), name);

  return d == NULL;
}

static void
drop_domain (const char *name)
{
  virConnectPtr c = virConnectOpen (xen_uri);
  virDomainPtr d = c != NULL ? virDomainLookupByName (c, name) : NULL;

  if (d != NULL)
    {
      virDomainDestroy (d);
      virDomainUndefine (d);
      virDomainFree (d);
      /* libxl finishes a destroy in a worker thread: wait until the name is free again. */
      for (int i = 0; i < 600 && (d = virDomainLookupByName (c, name)) != NULL; i++)
        {
          virDomainFree (d);
          g_usleep (100 * 1000);
        }
    }
  if (c != NULL)
    virConnectClose (c);
  /* The app's connection learns it from libvirt's event: the creator checks names against it. */
  if (connection != NULL)
    g_assert_true (wait_until (connection_forgot, (gpointer) name, 60000));
}

static VlGuestCreator *
creator_for_dom0 (VlGuestSpec *spec)
{
  VlGuestCreator *creator = vl_guest_creator_new (live_connection ());
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  vl_guest_creator_set_default_pool_dir (creator, DOM0_POOL);
  vl_guest_creator_describe_host_async (creator, spec, NULL, store_result, &res);
  g_assert_true (wait_until (result_arrived, &res, 60000));
  g_assert_true (vl_guest_creator_describe_host_finish (creator, res, &error));
  g_assert_no_error (error);
  g_assert_true (vl_guest_spec_host_supports (spec, VL_GUEST_MODE_XEN_PV));
  g_assert_true (vl_guest_spec_host_supports (spec, VL_GUEST_MODE_XEN_HVM));
  g_assert_false (vl_guest_spec_host_supports (spec, VL_GUEST_MODE_KVM_HVM));
  return creator;
}

static GVirDomain *
create (VlGuestCreator *creator, VlGuestSpec *spec, gboolean start, GError **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  vl_guest_creator_create_async (creator, spec, start, NULL, store_result, &res);
  g_assert_true (wait_until (result_arrived, &res, 240000));
  return vl_guest_creator_create_finish (creator, res, error);
}

static void
run_op (GVirDomain *domain, VlGuestOp op)
{
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;

  vl_guest_lifecycle_run_async (domain, op, NULL, store_result, &res);
  g_assert_true (wait_until (result_arrived, &res, 180000));
  vl_guest_lifecycle_run_finish (domain, res, &error);
  g_assert_no_error (error);
}

/* libxl's VNC servers listen on dom0's 127.0.0.1; the host reaches the port numbers boot-dom0.sh
 * forwards unchanged. The spec asks for autoport: give the defined guest such a port instead. */
static void
use_forwarded_vnc_port (GVirDomain *domain, int port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) config = gvir_domain_get_config (domain, 0, &error);
  GList *devices;

  g_assert_no_error (error);
  devices = gvir_config_domain_get_devices (config);
  for (GList *l = devices; l != NULL; l = l->next)
    if (GVIR_CONFIG_IS_DOMAIN_GRAPHICS_VNC (l->data))
      {
        gvir_config_domain_graphics_vnc_set_autoport (l->data, FALSE);
        gvir_config_domain_graphics_vnc_set_port (l->data, port);
      }
  gvir_config_domain_set_devices (config, devices);
  g_list_free_full (devices, g_object_unref);
  g_assert_true (gvir_domain_set_config (domain, config, &error));
  g_assert_no_error (error);
}

static char *
domain_xml (GVirDomain *domain)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirConfigDomain) config = gvir_domain_get_config (domain, 0, &error);

  g_assert_no_error (error);
  return gvir_config_object_to_xml (GVIR_CONFIG_OBJECT (config));
}

/* ---- the console widget and what it shows ---- */

typedef struct {
  GtkWidget *window;
  VlConsole *console;
} Viewer;

static Viewer *
viewer_new (GVirDomain *domain)
{
  Viewer *v = g_new0 (Viewer, 1);

  v->window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_default_size (GTK_WINDOW (v->window), 820, 640);
  v->console = vl_console_new ();
  gtk_container_add (GTK_CONTAINER (v->window), GTK_WIDGET (v->console));
  gtk_widget_show_all (v->window);
  vl_console_set_domain (v->console, live_connection (), domain);
  return v;
}

static void
viewer_free (Viewer *v)
{
  gtk_widget_destroy (v->window);
  g_free (v);
}

static gboolean
console_connected (gpointer data)
{
  return vl_console_get_state (data) == VL_CONSOLE_STATE_CONNECTED;
}

static gboolean
console_not_connected (gpointer data)
{
  return vl_console_get_state (data) != VL_CONSOLE_STATE_CONNECTED;
}

/* The screen as the widget has it, read by tesseract; the picture stays in XEN_OUT as NAME.png. */
static char *
screen_text (VlConsole *console, const char *name)
{
  g_autoptr(GdkPixbuf) pixbuf = vl_console_get_screen_pixbuf (console);
  g_autofree char *png = g_strdup_printf ("%s/%s.png", out_dir, name);
  g_autofree char *out = NULL;
  g_autoptr(GSubprocess) ocr = NULL;
  g_autoptr(GAsyncResult) res = NULL;

  if (pixbuf == NULL || !gdk_pixbuf_save (pixbuf, png, "png", NULL, NULL))
    return g_strdup ("");
  /* tesseract takes seconds on a loaded machine: the main loop (gtk-vnc, the console) keeps running. */
  ocr = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL,
                          "tesseract", png, "-", NULL);
  if (ocr == NULL)
    return g_strdup ("");
  g_subprocess_communicate_utf8_async (ocr, NULL, NULL, store_result, &res);
  if (!wait_until (result_arrived, &res, 120000)
      || !g_subprocess_communicate_utf8_finish (ocr, res, &out, NULL, NULL) || out == NULL)
    return g_strdup ("");
  return g_steal_pointer (&out);
}

typedef struct {
  VlConsole  *console;
  const char *wanted;
  const char *name;
  gint64      next_try;
  char       *text;
  gboolean    matched;
} ScreenWait;

static gboolean
screen_shows (gpointer data)
{
  ScreenWait *w = data;

  if (w->matched)
    return TRUE;
  if (g_get_monotonic_time () < w->next_try || !console_connected (w->console))
    return FALSE;
  w->next_try = g_get_monotonic_time () + 1000 * 1000;
  g_free (w->text);
  w->text = screen_text (w->console, w->name);
  w->matched = g_regex_match_simple (w->wanted, w->text, G_REGEX_MULTILINE, 0);
  return w->matched;
}

static void
assert_screen_shows (VlConsole *console, const char *wanted, const char *name, guint timeout_ms)
{
  ScreenWait w = { console, wanted, name, 0, NULL, FALSE };
  gboolean ok = wait_until (screen_shows, &w, timeout_ms);

  if (!ok)
    g_test_message ("screen %s never showed /%s/; last read:\n%s", name, wanted, w.text ? w.text : "");
  g_free (w.text);
  g_assert_true (ok);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Types TEXT as a user does: real key presses and releases from the X server (XTest) to the
 * console's display, which has the keyboard focus; each key is held a moment, like a finger. */
static void
type_text (VlConsole *console, const char *text)
{
  GtkWidget *display = GTK_WIDGET (vl_console_get_display (console));
  GdkWindow *window = gtk_widget_get_window (display);

  g_assert_true (gtk_widget_has_focus (display));
  for (const char *p = text; *p != '\0'; p++)
    {
      guint keyval = *p == '\n' ? GDK_KEY_Return : gdk_unicode_to_keyval ((guchar) *p);

      g_assert_true (gdk_test_simulate_key (window, 10, 10, keyval, 0, GDK_KEY_PRESS));
      wait_until (never, NULL, 60);
      g_assert_true (gdk_test_simulate_key (window, 10, 10, keyval, 0, GDK_KEY_RELEASE));
      wait_until (never, NULL, 60);
    }
}

/* ---- the tests ---- */

static gboolean
domain_running (gpointer data)
{
  GVirDomainInfo *info = gvir_domain_get_info (data, NULL);
  gboolean is = info != NULL && info->state == GVIR_DOMAIN_STATE_RUNNING;

  if (info != NULL)
    g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info);
  return is;
}

/* ---- virsh and shells, to check each step from outside the app ---- */

/* Runs argv; returns its stdout and stderr, and whether it exited 0. */
static char *
run_argv (const char *const *argv, gboolean *ok)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;
  gboolean spawned = g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                   &out, &err, &status, NULL);

  *ok = spawned && g_spawn_check_wait_status (status, NULL);
  return g_strconcat (out ? out : "", err ? err : "", NULL);
}

/* virsh against the dom0's libvirt, as a user would check what the app did. */
static char *
virsh (gboolean *ok, const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;
  char *text;
  gboolean local_ok;

  g_ptr_array_add (argv, (char *) "virsh");
  g_ptr_array_add (argv, (char *) "-q");
  g_ptr_array_add (argv, (char *) "-c");
  g_ptr_array_add (argv, (char *) xen_uri);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  text = run_argv ((const char *const *) argv->pdata, &local_ok);
  if (ok != NULL)
    *ok = local_ok;
  g_test_message ("virsh %s: %s", first, text);
  return text;
}

/* A shell command inside dom0 (tests/xen/dom0-shell.py over the serial console). */
static gboolean
dom0 (const char *command, char **output)
{
  g_autofree char *script = g_build_filename (xen_dir, "dom0-shell.py", NULL);
  const char *argv[] = { "/usr/bin/python3", script, xen_state, command, NULL };
  gboolean ok;
  g_autofree char *text = run_argv (argv, &ok);

  g_test_message ("dom0 `%s`: %s", command, text);
  if (output != NULL)
    *output = g_steal_pointer (&text);
  return ok;
}

/* Types SEND on the guest's text console and reads until WANTED shows (tests/xen/guest-console.py). */
static char *
guest_console (const char *name, const char *wanted, const char *send, guint timeout_s)
{
  g_autofree char *script = g_build_filename (xen_dir, "guest-console.py", NULL);
  g_autofree char *timeout = g_strdup_printf ("%u", timeout_s);
  const char *argv[] = { "/usr/bin/python3", script, xen_uri, name, wanted, send, timeout, NULL };
  gboolean ok;
  char *text = run_argv (argv, &ok);

  g_test_message ("guest %s console: %s", name, text);
  return text;
}

static gboolean
domain_is_shut_off (gpointer data)
{
  GVirDomainInfo *info = gvir_domain_get_info (data, NULL);
  gboolean off = info != NULL && info->state == GVIR_DOMAIN_STATE_SHUTOFF;

  if (info != NULL)
    g_boxed_free (GVIR_TYPE_DOMAIN_INFO, info);
  return off;
}

static gboolean
virsh_knows_no_domain (gpointer name)
{
  gboolean ok;
  g_autofree char *text = virsh (&ok, "domstate", name, NULL);

  return !ok;
}

#define PV_DISK_GUEST "vl-app-pv-disk"
#define PV_DISK_MAC   "00:16:3e:00:00:43"
#define PV_BRIDGE     "vlbr0"   /* made by test-app-guests.sh in dom0: no address, no uplink */

/* A Xen PV guest with a new qcow2 volume in a directory pool and a NIC on dom0's isolated bridge,
 * made by the app's spec and creator, started, shut down gracefully and deleted with its volume by
 * its lifecycle code; virsh and dom0's own tools check every step. */
static void
test_pv_disk_nic_created_by_the_app (void)
{
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  g_autoptr(VlGuestCreator) creator = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  g_autofree char *volume = NULL;
  g_autofree char *disk_path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *cmd = NULL;
  const char *pool;
  VlGuestStep step;
  gboolean valid, ok;
  gint64 t0;

  drop_domain (PV_DISK_GUEST);
  /* After the drop: the creator takes the names in use when it describes the host. */
  creator = creator_for_dom0 (spec);
  vl_guest_spec_set_mode (spec, VL_GUEST_MODE_XEN_PV);
  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_KERNEL, NULL);
  vl_guest_spec_set_kernel (spec, DOM0_KERNEL, DOM0_INITRD, "console=hvc0");
  vl_guest_spec_set_memory_mib (spec, 192);
  vl_guest_spec_set_vcpus (spec, 1);
  vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NEW_VOLUME, 1, NULL);
  vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_BRIDGE, PV_BRIDGE, PV_DISK_MAC);
  vl_guest_spec_set_name (spec, PV_DISK_GUEST);
  valid = vl_guest_spec_validate (spec, &step, &error);
  g_assert_no_error (error);
  g_assert_true (valid);

  /* Made, not started: the volume and the definition, as virsh sees them. */
  domain = create (creator, spec, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (domain);
  pool = vl_guest_spec_get_pool_name (spec);
  volume = vl_guest_spec_get_volume_name (spec);
  disk_path = vl_guest_spec_get_disk_path (spec);
  g_assert_true (g_str_has_prefix (disk_path, DOM0_POOL "/"));
  g_free (text);
  text = virsh (&ok, "pool-dumpxml", pool, NULL);
  g_assert_true (ok);
  g_assert_nonnull (strstr (text, "<pool type='dir'>"));
  g_free (text);
  text = virsh (&ok, "vol-dumpxml", volume, "--pool", pool, NULL);
  g_assert_true (ok);
  g_assert_nonnull (strstr (text, "<format type='qcow2'/>"));
  g_assert_nonnull (strstr (text, "<capacity unit='bytes'>1073741824</capacity>"));
  g_free (text);
  text = virsh (&ok, "domblklist", PV_DISK_GUEST, NULL);
  g_assert_true (ok);
  g_assert_nonnull (strstr (text, disk_path));
  g_free (text);
  text = virsh (&ok, "domiflist", PV_DISK_GUEST, NULL);
  g_assert_true (ok);
  g_assert_true (g_regex_match_simple ("bridge +" PV_BRIDGE " .*" PV_DISK_MAC, text, 0, 0));
  /* libvirt made the qcow2 file with dom0's qemu-img, which the install plan now brings. */
  g_free (cmd);
  cmd = g_strdup_printf ("qemu-img info %s", disk_path);
  g_clear_pointer (&text, g_free);
  g_assert_true (dom0 (cmd, &text));
  g_assert_nonnull (strstr (text, "file format: qcow2"));

  t0 = g_get_monotonic_time ();
  run_op (domain, VL_GUEST_OP_START);
  g_assert_true (wait_until (domain_running, domain, 120000));
  g_test_message ("app-made PV guest with disk and NIC started in %.1f s", (g_get_monotonic_time () - t0) / 1e6);
  g_free (text);
  text = virsh (&ok, "domstate", PV_DISK_GUEST, NULL);
  g_assert_true (g_str_has_prefix (text, "running"));
  /* Inside the guest: the 1 GiB disk (2097152 sectors) on xvda and the NIC with the chosen MAC. */
  g_free (text);
  text = guest_console (PV_DISK_GUEST, "DISK [0-9]+ MAC [0-9a-f:]+",
                        "echo DISK $(cat /sys/block/xvda/size) MAC $(cat /sys/class/net/eth0/address)\\n", 180);
  g_assert_nonnull (strstr (text, "DISK 2097152 MAC " PV_DISK_MAC));
  /* In dom0: the guest's vif is the bridge's only kind of port (no uplink), and the bridge has no
   * address: nothing the guest sends can leave dom0. */
  g_clear_pointer (&text, g_free);
  g_assert_true (dom0 ("ls /sys/class/net/" PV_BRIDGE "/brif/", &text));
  g_assert_true (g_regex_match_simple ("^vif[0-9]+\\.0\\s*$", text, G_REGEX_MULTILINE, 0));
  g_assert_null (strstr (text, "eth"));
  g_assert_true (dom0 ("! ip -4 addr show dev " PV_BRIDGE " | grep -q inet", NULL));

  /* The app's graceful shutdown: libxl writes "poweroff" to the guest's xenstore control node, its
   * kernel runs /sbin/poweroff (the busybox initrd's). Only a clean stop counts here. */
  t0 = g_get_monotonic_time ();
  run_op (domain, VL_GUEST_OP_SHUTDOWN);
  g_assert_true (wait_until (domain_is_shut_off, domain, 180000));
  g_test_message ("app-made PV guest shut down gracefully in %.1f s", (g_get_monotonic_time () - t0) / 1e6);
  g_free (text);
  text = virsh (&ok, "domstate", PV_DISK_GUEST, "--reason", NULL);
  g_assert_true (ok);
  g_assert_nonnull (strstr (text, "shut off (shutdown)"));

  /* Snapshots on Xen: the app says in words that libxl keeps none, and libvirt itself refuses. */
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(VlSnapshotsState) state = NULL;

    vl_guest_snapshots_list_async (domain, NULL, store_result, &res);
    g_assert_true (wait_until (result_arrived, &res, 60000));
    state = vl_guest_snapshots_list_finish (domain, res, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (state->driver, ==, "Xen");
    g_assert_false (state->support->can_take);
    g_assert_nonnull (strstr (state->support->reason, "libxl"));
    g_free (text);
    text = virsh (&ok, "snapshot-create-as", PV_DISK_GUEST, "s1", NULL);
    g_assert_false (ok);
    g_test_message ("libvirt's Xen driver on a snapshot: %s", text);
  }

  /* Clone on Xen, over xen+tcp as on any remote host: the qcow2 volume is copied by libvirt inside the
   * dom0 pool, the clone gets a new MAC, starts as its own guest, and the app deletes it with its copy. */
  {
    g_autoptr(GAsyncResult) res = NULL;
    g_autoptr(GVirDomain) clone = NULL;
    g_autofree char *made = NULL;
    g_autofree char *clone_volume = g_strdup_printf ("%s-clone.qcow2", PV_DISK_GUEST);

    drop_domain (PV_DISK_GUEST "-clone");
    t0 = g_get_monotonic_time ();
    vl_guest_clone_async (domain, PV_DISK_GUEST "-clone", NULL, NULL, NULL, store_result, &res);
    g_assert_true (wait_until (result_arrived, &res, 300000));
    made = vl_guest_clone_finish (domain, res, &error);
    g_assert_no_error (error);
    g_test_message ("app-made clone of a PV guest with a 1 GiB qcow2 volume in %.1f s",
                    (g_get_monotonic_time () - t0) / 1e6);
    g_free (text);
    text = virsh (&ok, "vol-list", pool, NULL);
    g_assert_true (ok);
    g_assert_nonnull (strstr (text, clone_volume));
    g_free (text);
    text = virsh (&ok, "domiflist", PV_DISK_GUEST "-clone", NULL);
    g_assert_true (ok);
    g_assert_null (strstr (text, PV_DISK_MAC));
    g_assert_nonnull (strstr (text, PV_BRIDGE));
    g_assert_true (gvir_connection_fetch_domains (live_connection (), NULL, &error));
    clone = gvir_connection_find_domain_by_name (live_connection (), PV_DISK_GUEST "-clone");
    g_assert_nonnull (clone);
    g_assert_cmpstr (gvir_domain_get_uuid (clone), !=, gvir_domain_get_uuid (domain));
    run_op (clone, VL_GUEST_OP_START);
    g_assert_true (wait_until (domain_running, clone, 120000));
    run_op (clone, VL_GUEST_OP_FORCE_OFF);
    g_assert_true (wait_until (domain_is_shut_off, clone, 60000));
    run_op (clone, VL_GUEST_OP_DELETE_WITH_STORAGE);
    g_assert_true (wait_until (virsh_knows_no_domain, (gpointer) (PV_DISK_GUEST "-clone"), 60000));
    g_free (text);
    text = virsh (&ok, "vol-list", pool, NULL);
    g_assert_null (strstr (text, clone_volume));
  }

  /* The app's delete with volumes: the definition and the qcow2 file go. */
  run_op (domain, VL_GUEST_OP_DELETE_WITH_STORAGE);
  g_assert_true (wait_until (virsh_knows_no_domain, (gpointer) PV_DISK_GUEST, 60000));
  g_free (text);
  text = virsh (&ok, "vol-list", pool, NULL);
  g_assert_true (ok);
  g_assert_null (strstr (text, volume));
  g_free (cmd);
  cmd = g_strdup_printf ("test ! -e %s", disk_path);
  g_assert_true (dom0 (cmd, NULL));
}

/* The connection's list drops a guest when libvirt's event arrives, after the delete returned. */
static gboolean
pv_gone (gpointer data)
{
  g_autoptr(GVirDomain) d = gvir_connection_find_domain_by_name (live_connection (), "vl-app-pv");

  return d == NULL;
}

static void
test_pv_created_by_the_app (void)
{
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  g_autoptr(VlGuestCreator) creator = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  g_autofree char *xml = NULL;
  VlGuestStep step;
  gboolean valid;
  Viewer *viewer;
  gint64 t0;

  drop_domain ("vl-app-pv");
  creator = creator_for_dom0 (spec);
  vl_guest_spec_set_mode (spec, VL_GUEST_MODE_XEN_PV);
  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_KERNEL, NULL);
  vl_guest_spec_set_kernel (spec, DOM0_KERNEL, DOM0_INITRD, "console=hvc0 console=tty0");
  vl_guest_spec_set_memory_mib (spec, 192);
  vl_guest_spec_set_vcpus (spec, 1);
  vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NONE, 0, NULL);
  vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_NONE, NULL, NULL);
  vl_guest_spec_set_name (spec, "vl-app-pv");
  valid = vl_guest_spec_validate (spec, &step, &error);
  g_assert_no_error (error);
  g_assert_true (valid);

  domain = create (creator, spec, FALSE, &error);
  g_assert_no_error (error);
  xml = domain_xml (domain);
  /* libvirt's idea of Xen's paths is wrong on Debian; libxl's own defaults are right. */
  g_assert_null (strstr (xml, "<emulator>"));
  g_assert_null (strstr (xml, "<loader"));
  g_assert_nonnull (strstr (xml, "type=\"vnc\""));
  use_forwarded_vnc_port (domain, same_number_port (0));

  t0 = g_get_monotonic_time ();
  run_op (domain, VL_GUEST_OP_START);
  g_assert_true (wait_until (domain_running, domain, 60000));
  g_test_message ("app-made PV guest started in %.1f s", (g_get_monotonic_time () - t0) / 1e6);

  viewer = viewer_new (domain);
  g_assert_true (wait_until (console_connected, viewer->console, 60000));
  g_test_message ("console: %s", vl_console_get_shown_text (viewer->console));
  /* The end of the boot in the widget: the busybox init's banner or shell on tty0 (OCR reads its
   * V as U). The picture used to stop a few seconds into the boot: see refresh_screen in vl-console.c. */
  assert_screen_shows (viewer->console, "GUEST UP: Linux|BusyBox v1", "app-pv-console", 240000);
  viewer_free (viewer);

  run_op (domain, VL_GUEST_OP_SHUTDOWN);
  run_op (domain, VL_GUEST_OP_FORCE_OFF);
  run_op (domain, VL_GUEST_OP_DELETE);
  g_assert_true (wait_until (pv_gone, NULL, 30000));
}

static void
test_hvm_cd_created_by_the_app (void)
{
  g_autoptr(VlGuestSpec) spec = vl_guest_spec_new ();
  g_autoptr(VlGuestCreator) creator = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVirDomain) domain = NULL;
  g_autofree char *xml = NULL;
  VlGuestStep step;
  gboolean valid;
  Viewer *viewer;
  gint64 t0;

  drop_domain ("vl-app-hvm");
  creator = creator_for_dom0 (spec);
  vl_guest_spec_set_mode (spec, VL_GUEST_MODE_XEN_HVM);
  vl_guest_spec_set_source (spec, VL_INSTALL_SOURCE_ISO, DOM0_ISO);
  vl_guest_spec_set_memory_mib (spec, 128);
  vl_guest_spec_set_vcpus (spec, 1);
  vl_guest_spec_set_storage (spec, VL_GUEST_STORAGE_NONE, 0, NULL);
  vl_guest_spec_set_network (spec, VL_GUEST_NETWORK_NONE, NULL, NULL);
  vl_guest_spec_set_name (spec, "vl-app-hvm");
  valid = vl_guest_spec_validate (spec, &step, &error);
  g_assert_no_error (error);
  g_assert_true (valid);

  domain = create (creator, spec, FALSE, &error);
  g_assert_no_error (error);
  xml = domain_xml (domain);
  g_test_message ("app-made HVM guest:\n%s", xml);
  g_assert_null (strstr (xml, "<emulator>"));
  g_assert_null (strstr (xml, "<loader"));
  use_forwarded_vnc_port (domain, same_number_port (1));

  t0 = g_get_monotonic_time ();
  run_op (domain, VL_GUEST_OP_START);
  viewer = viewer_new (domain);
  assert_screen_shows (viewer->console, "SeaBIOS", "app-hvm-seabios", 180000);
  g_test_message ("app-made HVM guest: SeaBIOS in the console widget %.1f s after start",
                  (g_get_monotonic_time () - t0) / 1e6);
  assert_screen_shows (viewer->console, "boot:", "app-hvm-isolinux", 240000);
  /* Typed at once, as a user would: ISOLINUX echoes the name and tries to load that kernel. (They
   * once looked lost: the widget's picture had stopped changing, see refresh_screen in vl-console.c.) */
  t0 = g_get_monotonic_time ();
  type_text (viewer->console, "hello\n");
  assert_screen_shows (viewer->console, "hello\\s+Loading hello", "app-hvm-typed", 120000);
  g_test_message ("keys typed into the console widget: ISOLINUX answered in %.1f s",
                  (g_get_monotonic_time () - t0) / 1e6);

  /* A restart of the guest: the console loses the screen and finds it again by itself. */
  run_op (domain, VL_GUEST_OP_FORCE_OFF);
  g_assert_true (wait_until (console_not_connected, viewer->console, 60000));
  run_op (domain, VL_GUEST_OP_START);
  g_assert_true (wait_until (console_connected, viewer->console, 120000));
  assert_screen_shows (viewer->console, "SeaBIOS|ISOLINUX|boot:", "app-hvm-reconnected", 180000);
  viewer_free (viewer);

  run_op (domain, VL_GUEST_OP_FORCE_OFF);
  run_op (domain, VL_GUEST_OP_DELETE);
}

int
main (int argc, char **argv)
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  xen_uri = g_getenv ("XEN_URI");
  xen_state = g_getenv ("XEN_STATE");
  out_dir = g_getenv ("XEN_OUT");
  xen_dir = g_getenv ("XEN_DIR");
  if (xen_uri == NULL || xen_state == NULL || out_dir == NULL || xen_dir == NULL)
    {
      g_printerr ("set XEN_URI, XEN_STATE, XEN_OUT and XEN_DIR (see tests/xen/test-app-guests.sh)\n");
      return 2;
    }
  gvir_init_object (NULL, NULL);
  virSetErrorFunc (NULL, quiet_libvirt);
  g_test_add_func ("/xen/app/pv-disk-nic", test_pv_disk_nic_created_by_the_app);
  g_test_add_func ("/xen/app/pv-console", test_pv_created_by_the_app);
  g_test_add_func ("/xen/app/hvm-cd-console", test_hvm_cd_created_by_the_app);
  status = g_test_run ();
  g_clear_object (&connection);
  return status;
}
