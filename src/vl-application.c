/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GtkApplication: app-wide actions, command-line options and settings. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "vl-application.h"
#include "vl-connect-open.h"
#include "vl-connections.h"
#include "vl-host-check.h"
#include "vl-window.h"
#include "vl-result-export-cli.h"
#include "vl-bench-cli.h"

struct _VlApplication
{
  GtkApplication parent_instance;

  GSettings *settings;
  gboolean   reached_local_options;
  int        exit_status;
};

G_DEFINE_FINAL_TYPE (VlApplication, vl_application, GTK_TYPE_APPLICATION)

static const char *const page_names[] = { "host", "guests", "results", NULL };

/* --run-benchmarks' options added later, kept apart from the table below. */
static const GOptionEntry bench_option_entries[] = {
  { "pool", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --run-benchmarks: the storage pool for the guests’ disks on each connection (“default”, else a "
        "transient one)"),
    N_("POOL") },
  { NULL },
};

/* Numbers as strings: GApplication drops an integer option given as 0 ("--runs 0" read as not
 * given); vl-bench-cli reads them and refuses 0 with a message. The table keeps its own layout. */
/* clang-format off */
static const GOptionEntry option_entries[] = {
  { "connect", 'c', 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Open a libvirt connection (repeatable), e.g. qemu:///system"), N_("URI") },
  { "page", 'p', 0, G_OPTION_ARG_STRING, NULL,
    N_("Show a page: host, guests or results"), N_("PAGE") },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Save the main window as a PNG image once it is drawn, then quit"), N_("FILE") },
  { "version", 'v', 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { "export-charts", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write one chart per result of the given result files into DIR, then quit (no display needed)"),
    N_("DIR") },
  { "format", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Format of --export-charts: png, svg, pdf or csv (all values in one file)"), N_("FORMAT") },
  { "print-install-plan", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Print the steps that make this computer a KVM host or a Xen dom0, then quit"), N_("kvm|xen") },
  { "distribution", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --print-install-plan: plan for this distribution instead of the running one"),
    N_("debian|ubuntu|fedora") },
  { "host-root", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("With --print-install-plan: check the system installed in this folder instead of /"), N_("DIR") },
  { "all-steps", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --print-install-plan: also list the steps that are already done"), NULL },
  { "run-benchmarks", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the benchmark study in guests without a window: prints progress and writes a PTS result file"),
    NULL },
  { "config", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("With --run-benchmarks: a configuration to compare (repeatable); MODE is kvm-hvm, qemu-tcg, xen-pv or "
       "xen-hvm"), N_("URI,MODE[,NAME]") },
  { "profile", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --run-benchmarks: quick (minutes) or study (the 2010 study’s sizes)"), N_("quick|study") },
  { "runs", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --run-benchmarks: runs of each test (3)"), N_("N") },
  { "output", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("With --run-benchmarks: write the result file here instead of the data folder"), N_("FILE") },
  { "vcpus", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --run-benchmarks: vCPUs of each guest (2)"), N_("N") },
  { "memory", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --run-benchmarks: memory of each guest in MiB (1024)"),
    N_("MIB") },
  { "scratch-size", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --run-benchmarks: size of each guest’s scratch disk in MiB (512)"), N_("MIB") },
  { "time-budget", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --run-benchmarks: seconds a guest may take before it is stopped (from the profile)"), N_("SECONDS") },
  { "tests", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --run-benchmarks: only these tests, separated by commas"), N_("TEST,…") },
  { "title", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --run-benchmarks: the comparison’s title"), N_("TITLE") },
  /* Its name in the usage line comes from the parameter string (set in init), not from here:
   * GOption prints both. */
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
  { NULL }
};
/* clang-format on */

/* TRUE when this program is the one built in the build folder (build-aux/run.sh, the tests), not
 * an installed copy: its catalogue and icons are then in the build and source trees. */
gboolean
vl_application_is_uninstalled (void)
{
  static gsize done = 0;
  static gboolean uninstalled = FALSE;

  if (g_once_init_enter (&done))
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
      g_autofree char *build = realpath (VL_BUILD_ROOT, NULL);

      /* The app is BUILD/src/virtlab; the tests run from BUILD/tests/. */
      uninstalled = dir != NULL && build != NULL && g_str_has_prefix (dir, build) &&
                    (dir[strlen (build)] == '/' || dir[strlen (build)] == '\0');
      g_once_init_leave (&done, 1);
    }
  return uninstalled;
}

/* Where gettext finds the zh_TW catalogue: the install prefix, or the one built into BUILD/po. */
const char *
vl_application_get_locale_dir (void)
{
  return vl_application_is_uninstalled () ? VL_BUILD_ROOT "/po" : LOCALEDIR;
}

VlApplication *
vl_application_new (void)
{
  return g_object_new (VL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}

/* The status of work that failed after the main loop started, such as a screenshot run. */
int
vl_application_get_exit_status (VlApplication *self)
{
  g_return_val_if_fail (VL_IS_APPLICATION (self), 1);

  return self->exit_status;
}

GSettings *
vl_application_get_settings (VlApplication *self)
{
  g_return_val_if_fail (VL_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  return self->settings;
}

static VlWindow *
get_window (VlApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (vl_window_new (self));
  return VL_WINDOW (window);
}

static void
quit_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlApplication *self = user_data;
  static const char *authors[] = { "The Virtlab developers", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "program-name", _("Virtlab"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Set up KVM and Xen hosts, run their guests, and compare "
                                       "their benchmark results"),
                         "website", PACKAGE_WEBSITE,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
help_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_on_window (window, "help:" HELP_ID, GDK_CURRENT_TIME, &error))
    {
      if (window != NULL)
        vl_window_show_error (VL_WINDOW (window), _("The help could not be opened"), error->message);
      else
        g_printerr ("%s\n", error->message);
    }
}

/* The shortcuts window is built the first time it is asked for. Under gtk/help-overlay.ui GtkApplication
 * would build it for every window as the window is added, before the first frame: about 5 ms of CPU
 * at start-up (tests/bench/startup.sh) for a window most users never open. */
static void
shortcuts_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (!GTK_IS_APPLICATION_WINDOW (window))
    return;
  if (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/virtlab/Virtlab/vl-shortcuts.ui");

      gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (window),
                                               GTK_SHORTCUTS_WINDOW (
                                                 gtk_builder_get_object (builder, "help_overlay")));
    }
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
}

static const GActionEntry app_entries[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "help", help_activated },
  { "shortcuts", shortcuts_activated },
};

/* Start-up self-check of Virtlab's virConnectOpen (vl-connect-open.c), off the main loop: a build
 * whose libvirt-gobject does not reach it cannot log in to hosts that ask for a password. */
static void
self_check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (!vl_connect_open_self_check (&error))
    g_printerr (_("Virtlab: self-check failed: %s\n"), error->message);
  g_task_return_boolean (task, TRUE);
}

/* libvirt's first call reads its configuration and starts its event thread: after the first frame,
 * when the main loop has nothing more urgent, not while GTK starts. */
static gboolean
start_self_check (gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_run_in_thread (task, self_check_thread);
  return G_SOURCE_REMOVE;
}

static void
vl_application_startup (GApplication *app)
{
  VlApplication *self = VL_APPLICATION (app);
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.quit", { "<Primary>q", NULL } },
    { "app.help", { "F1", NULL } },
    { "app.shortcuts", { "<Primary>question", "<Primary>F1", NULL } },
    { "win.show-page('host')", { "<Alt>1", NULL } },
    { "win.show-page('guests')", { "<Alt>2", NULL } },
    { "win.show-page('results')", { "<Alt>3", NULL } },
  };

  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  G_APPLICATION_CLASS (vl_application_parent_class)->startup (app);
  g_idle_add_full (G_PRIORITY_LOW, start_self_check, NULL, NULL);

  gtk_css_provider_load_from_resource (css, "/org/virtlab/Virtlab/style.css");
  /* Uninstalled, the app's icon (window, About) is not in the icon theme's folders yet. */
  if (vl_application_is_uninstalled ())
    gtk_icon_theme_append_search_path (gtk_icon_theme_get_default (), VL_SOURCE_ROOT "/data/icons");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (css),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);
}

static void
vl_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_window (VL_APPLICATION (app))));
}

static gboolean
vl_application_local_command_line (GApplication *app, char ***arguments, int *exit_status)
{
  VlApplication *self = VL_APPLICATION (app);
  gboolean handled;

  /* Virtlab draws with cairo only. GDK 3 on X11 otherwise loads the GL driver (Mesa, LLVM) when
   * it opens the display, to pick GL visuals: about 55 MB of RSS and tens of ms before the first
   * frame. GDK reads GDK_GL while GTK's options are parsed, here; the user's own value wins, and
   * programs started from Virtlab later do not inherit ours. */
  gboolean gl_ours = g_getenv ("GDK_GL") == NULL;

  if (gl_ours)
    g_setenv ("GDK_GL", "disable", TRUE);
  self->reached_local_options = FALSE;
  handled = G_APPLICATION_CLASS (vl_application_parent_class)->local_command_line (app, arguments,
                                                                                  exit_status);
  if (gl_ours)
    g_unsetenv ("GDK_GL");
  /* GApplication already printed why parsing failed; say how to get help and use the usual
   * exit status for a usage error. */
  if (handled && !self->reached_local_options && *exit_status == 1)
    {
      g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
      *exit_status = 2;
    }
  return handled;
}

/* Headless export: runs before GTK opens a display, so it works over ssh and in CI. virtlab-export
 * does the same without loading the rest of the application (src/results/virtlab-export.c). */
static int
vl_application_export_charts (GVariantDict *options)
{
  g_autofree char *directory = NULL;
  g_autofree char **files = NULL;
  const char *format = NULL;

  if (!g_variant_dict_lookup (options, "export-charts", "^ay", &directory))
    {
      g_printerr (_("%s: --format only goes with --export-charts DIR\n"), g_get_prgname ());
      return 2;
    }
  g_variant_dict_lookup (options, "format", "&s", &format);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &files);
  return vl_result_export_cli (directory, format, (const char *const *) files);
}

static gboolean
page_name_is_known (const char *page)
{
  g_autofree char *name = g_strndup (page, strcspn (page, "/"));

  return g_strv_contains (page_names, name);
}

static int
vl_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  VlApplication *self = VL_APPLICATION (app);
  const char *page = NULL;
  const char *target = NULL;
  g_autofree const char **uris = NULL;

  self->reached_local_options = TRUE;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "print-install-plan", "&s", &target))
    {
      const char *distribution = NULL;
      const char *host_root = NULL;

      g_variant_dict_lookup (options, "distribution", "&s", &distribution);
      g_variant_dict_lookup (options, "host-root", "^&ay", &host_root);
      return vl_host_print_install_plan (target, distribution, host_root,
                                         g_variant_dict_contains (options, "all-steps"));
    }

  /* "PAGE" or "PAGE/PART" (host/bench-image: the Host page at its Benchmark Image part). */
  if (g_variant_dict_lookup (options, "page", "&s", &page) && !page_name_is_known (page))
    {
      g_printerr (_("%s: unknown page “%s”: use host, guests or results\n"), g_get_prgname (), page);
      return 2;
    }

  if (g_variant_dict_contains (options, "export-charts") || g_variant_dict_contains (options, "format"))
    return vl_application_export_charts (options);

  /* Headless like the export: no display is opened. */
  if (g_variant_dict_contains (options, "run-benchmarks"))
    return vl_bench_cli_run (options);
  {
    static const char *const bench_only[] = { "config", "profile", "runs", "output", "vcpus", "memory",
                                              "scratch-size", "time-budget", "tests", "title" };

    for (guint i = 0; i < G_N_ELEMENTS (bench_only); i++)
      if (g_variant_dict_contains (options, bench_only[i]))
        {
          g_printerr (_("%s: --%s only goes with --run-benchmarks\n"), g_get_prgname (), bench_only[i]);
          return 2;
        }
  }

  /* A screenshot run draws its own window and quits: never hand it to a running instance. */
  if (g_variant_dict_contains (options, "screenshot"))
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  /* libvirt opens them in worker threads while GTK starts and the window is built. */
  if (g_variant_dict_lookup (options, "connect", "^a&s", &uris))
    vl_connections_open_early (uris);

  return -1;
}

static void
screenshot_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GApplicationCommandLine) cmdline = user_data;
  GApplication *app = g_application_get_default ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  path = vl_window_save_screenshot_finish (VL_WINDOW (source), result, &error);
  if (path == NULL)
    {
      g_application_command_line_printerr (cmdline, _("%s: the screenshot could not be saved: %s\n"),
                                           g_get_prgname (), error->message);
      g_application_command_line_set_exit_status (cmdline, 1);
      /* A local command line that kept the main loop running always exits 0: keep it ourselves. */
      VL_APPLICATION (app)->exit_status = 1;
    }
  else
    {
      g_application_command_line_print (cmdline, "%s\n", path);
    }
  g_application_release (app);
  g_application_quit (app);
}

static int
vl_application_command_line (GApplication *app, GApplicationCommandLine *cmdline)
{
  VlApplication *self = VL_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autofree const char **uris = NULL;
  g_autofree char **files = NULL;
  const char *page = NULL;
  const char *shot = NULL;
  VlWindow *window;

  g_variant_dict_lookup (options, "connect", "^a&s", &uris);
  g_variant_dict_lookup (options, "page", "&s", &page);
  g_variant_dict_lookup (options, "screenshot", "^&ay", &shot);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &files);

  window = get_window (self);

  if (uris != NULL)
    vl_window_open_connections (window, uris);
  vl_connections_close_early ();

  if (files != NULL)
    {
      g_autoptr(GPtrArray) gfiles = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; files[i] != NULL; i++)
        g_ptr_array_add (gfiles, g_application_command_line_create_file_for_arg (cmdline, files[i]));
      vl_window_open_result_files (window, (GFile **) gfiles->pdata, gfiles->len);
      if (page == NULL)
        page = "results";
    }

  if (page != NULL)
    vl_window_show_page (window, page);

  gtk_window_present (GTK_WINDOW (window));

  if (shot != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, shot);

      g_application_hold (app);
      vl_window_save_screenshot_async (window, file, NULL, screenshot_done, g_object_ref (cmdline));
    }

  return 0;
}

static void
vl_application_dispose (GObject *object)
{
  VlApplication *self = VL_APPLICATION (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (vl_application_parent_class)->dispose (object);
}

static void
vl_application_class_init (VlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = vl_application_dispose;
  app_class->startup = vl_application_startup;
  app_class->activate = vl_application_activate;
  app_class->local_command_line = vl_application_local_command_line;
  app_class->handle_local_options = vl_application_handle_local_options;
  app_class->command_line = vl_application_command_line;
}

static void
vl_application_init (VlApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_add_main_option_entries (G_APPLICATION (self), bench_option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[RESULT-FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
    _("Set up a KVM or Xen host, create and run its guests, and compare benchmark results."));
}
