/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the install plans: golden files per target and distribution, argv hygiene, re-runs. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "vl-error.h"
#include "vl-bench-image-plan.h"
#include "vl-install-plan.h"

typedef struct {
  const char         *golden;
  VlHypervisorTarget  target;
  VlDistribution      distribution;
  const char         *fixture;
  VlInitSystem        init;       /* UNKNOWN: as the fixture says (systemd) */
  const char         *init_name;  /* process 1 */
} PlanCase;

static const PlanCase cases[] = {
  { "kvm-debian", VL_TARGET_KVM, VL_DISTRIBUTION_DEBIAN, "amd-svm-kvm-not-loaded" },
  { "kvm-ubuntu", VL_TARGET_KVM, VL_DISTRIBUTION_UBUNTU, "ubuntu" },
  { "kvm-fedora", VL_TARGET_KVM, VL_DISTRIBUTION_FEDORA, "fedora" },
  { "xen-debian", VL_TARGET_XEN, VL_DISTRIBUTION_DEBIAN, "amd-svm-kvm-not-loaded" },
  { "xen-ubuntu", VL_TARGET_XEN, VL_DISTRIBUTION_UBUNTU, "ubuntu" },
  { "xen-fedora", VL_TARGET_XEN, VL_DISTRIBUTION_FEDORA, "fedora" },
  /* Debian booted with sysvinit-core: boot links and service(8), no systemctl. */
  { "kvm-debian-sysvinit", VL_TARGET_KVM, VL_DISTRIBUTION_DEBIAN, "amd-svm-kvm-not-loaded",
    VL_INIT_SYSVINIT, "init" },
  { "xen-debian-sysvinit", VL_TARGET_XEN, VL_DISTRIBUTION_DEBIAN, "amd-svm-kvm-not-loaded",
    VL_INIT_SYSVINIT, "init" },
  /* A container: nothing starts services at boot, the daemon is started now and the plan says so. */
  { "kvm-debian-no-init", VL_TARGET_KVM, VL_DISTRIBUTION_DEBIAN, "amd-svm-kvm-not-loaded",
    VL_INIT_NONE, "process_api" },
};

/* The fixture as it would be with another process 1. */
static void
set_init (VlHostReport *report, VlInitSystem init, const char *name)
{
  report->init_system = init;
  report->has_systemd = init == VL_INIT_SYSTEMD;
  g_free (report->init_name);
  report->init_name = g_strdup (name);
}

static VlHostReport *
probe_fixture (const char *name)
{
  g_autofree char *root = g_build_filename (VL_FIXTURES_DIR, "sysroots", name, NULL);
  g_autofree char *rpm_path = g_build_filename (VL_FIXTURES_DIR, "sysroots", "fedora-rpm-qa.txt", NULL);
  VlHostUser user = { 0, (char *) "alice", NULL, 0 };
  g_autoptr(VlHostReport) report = vl_host_probe (root, &user, NULL);

  g_assert_nonnull (report);
  if (report->distribution == VL_DISTRIBUTION_FEDORA)
    {
      g_autofree char *list = NULL;

      g_assert_true (g_file_get_contents (rpm_path, &list, NULL, NULL));
      g_assert_true (vl_host_report_set_rpm_packages (report, list, NULL));
    }
  return g_steal_pointer (&report);
}

/* argv goes to execve, never to a shell; still, no argument should even look like shell syntax,
 * so that a command copied from the preview into a terminal does what the plan does. */
static void
assert_plain_argv (const char *const *argv)
{
  g_assert_nonnull (argv[0]);
  g_assert_null (strchr (argv[0], '/'));
  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_assert_cmpuint (strlen (argv[i]), >, 0);
      g_assert_null (strpbrk (argv[i], " \t\n;|&$`<>(){}*?!~\\\"'#"));
    }
}

static void
test_plan_golden (gconstpointer data)
{
  const PlanCase *c = data;
  g_autoptr(VlHostReport) report = probe_fixture (c->fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(VlInstallPlan) plan = vl_install_plan_new (c->target, report, c->distribution, 0, &error);
  g_autofree char *text = NULL;
  g_autofree char *golden_name = g_strconcat (c->golden, ".txt", NULL);
  g_autofree char *golden_path = g_build_filename (VL_HOST_GOLDEN_DIR, golden_name, NULL);
  g_autofree char *expected = NULL;

  if (c->init != VL_INIT_UNKNOWN)
    {
      set_init (report, c->init, c->init_name);
      g_clear_pointer (&plan, vl_install_plan_free);
      plan = vl_install_plan_new (c->target, report, c->distribution, 0, &error);
    }
  g_assert_no_error (error);
  text = vl_install_plan_to_text (plan);
  if (g_getenv ("VL_UPDATE_GOLDEN") != NULL)
    g_assert_true (g_file_set_contents (golden_path, text, -1, NULL));
  g_assert_true (g_file_get_contents (golden_path, &expected, NULL, NULL));
  g_assert_cmpstr (text, ==, expected);

  g_assert_cmpuint (plan->steps->len, >, 3);
  for (guint i = 0; i < plan->steps->len; i++)
    {
      VlInstallStep *step = g_ptr_array_index (plan->steps, i);

      g_assert_false (step->done);
      g_assert_nonnull (step->title);
      g_assert_nonnull (step->why);
      for (guint j = 0; j < step->commands->len; j++)
        assert_plain_argv (g_ptr_array_index (step->commands, j));
      /* Every step the helper runs is one it accepts; the reboot is the user's. */
      if (step->request->kind == VL_STEP_REBOOT)
        {
          g_assert_false (step->needs_root);
          g_assert_cmpuint (step->commands->len, ==, 0);
        }
      else
        {
          g_autoptr(GError) invalid = NULL;
          g_autofree char *line = vl_helper_request_to_line (step->request);
          g_autoptr(VlHelperRequest) parsed = vl_helper_request_parse (line, strlen (line), &invalid);

          g_assert_no_error (invalid);
          g_assert_true (step->needs_root);
          g_assert_cmpint (parsed->kind, ==, step->request->kind);
          g_assert_true (g_strv_equal ((const char *const *) parsed->args,
                                       (const char *const *) step->request->args));
        }
    }
  g_assert_cmpint (vl_install_plan_needs_reboot (plan), ==, c->target == VL_TARGET_XEN);
}

static void
test_plan_already_done (void)
{
  g_autoptr(VlHostReport) kvm_host = probe_fixture ("intel-vtx-kvm-loaded");
  g_autoptr(VlHostReport) dom0 = probe_fixture ("xen-dom0-debian12");
  g_autoptr(VlInstallPlan) kvm = vl_install_plan_for_kvm (kvm_host, VL_DISTRIBUTION_DEBIAN, NULL);
  g_autoptr(VlInstallPlan) xen = vl_install_plan_for_xen (dom0, VL_DISTRIBUTION_DEBIAN, NULL);
  g_autoptr(VlInstallPlan) all = vl_install_plan_new (VL_TARGET_KVM, kvm_host, VL_DISTRIBUTION_DEBIAN,
                                                      VL_PLAN_ALL_STEPS, NULL);

  g_assert_cmpuint (kvm->steps->len, ==, 0);
  g_assert_cmpuint (xen->steps->len, ==, 0);
  g_assert_false (vl_install_plan_needs_reboot (xen));
  /* Asked for every step, the same report shows them all, each done. */
  g_assert_cmpuint (all->steps->len, ==, 7);
  g_assert_cmpuint (vl_install_plan_count_pending (all), ==, 0);
}

static void
test_plan_partly_done (void)
{
  g_autoptr(VlHostReport) report = probe_fixture ("ubuntu");
  g_autoptr(VlInstallPlan) plan = vl_install_plan_for_kvm (report, VL_DISTRIBUTION_UBUNTU, NULL);
  VlInstallStep *install = g_ptr_array_index (plan->steps, 1);
  const char *const missing[] = {
    "libvirt-daemon-system", "libvirt-clients", "virtinst", "ovmf", "swtpm", "swtpm-tools", NULL
  };

  /* qemu is there already: only what is missing is installed; alice is in kvm but not libvirt. */
  g_assert_cmpint (install->request->kind, ==, VL_STEP_INSTALL_PACKAGES);
  g_assert_true (g_strv_equal ((const char *const *) install->request->args, missing));
  for (guint i = 0; i < plan->steps->len; i++)
    {
      VlInstallStep *step = g_ptr_array_index (plan->steps, i);

      if (step->request->kind == VL_STEP_ADD_USER_TO_GROUP)
        g_assert_cmpstr (step->request->args[1], ==, "libvirt");
    }
}

static void
test_plan_root_user (void)
{
  g_autofree char *root = g_build_filename (VL_FIXTURES_DIR, "sysroots", "amd-svm-kvm-not-loaded", NULL);
  VlHostUser user = { 0, (char *) "root", NULL, 0 };
  g_autoptr(VlHostReport) report = vl_host_probe (root, &user, NULL);
  g_autoptr(VlInstallPlan) plan = vl_install_plan_for_kvm (report, VL_DISTRIBUTION_DEBIAN, NULL);

  /* root needs no group membership. */
  for (guint i = 0; i < plan->steps->len; i++)
    g_assert_cmpint (((VlInstallStep *) g_ptr_array_index (plan->steps, i))->request->kind, !=,
                     VL_STEP_ADD_USER_TO_GROUP);
}

/* The undo of the Xen plan's boot settings: the GRUB file put back, then the menu written again; the
 * helper takes both steps as valid requests. KVM has no boot settings to undo. */
static void
test_plan_undo (void)
{
  g_autoptr(VlHostReport) report = probe_fixture ("amd-svm-kvm-not-loaded");
  g_autoptr(VlInstallPlan)
    plan = vl_install_plan_new_undo (VL_TARGET_XEN, report, VL_DISTRIBUTION_DEBIAN, NULL);
  g_autoptr(VlInstallPlan) kvm = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  VlInstallStep *restore, *menu;

  g_assert_nonnull (plan);
  g_assert_cmpuint (plan->steps->len, ==, 2);
  restore = g_ptr_array_index (plan->steps, 0);
  menu = g_ptr_array_index (plan->steps, 1);
  g_assert_cmpint (restore->request->kind, ==, VL_STEP_RESTORE_GRUB_CONFIG);
  g_assert_cmpstr (restore->request->args[0], ==, VL_XEN_GRUB_FILE);
  g_assert_cmpuint (restore->commands->len, ==, 0);
  g_assert_true (restore->needs_root);
  g_assert_cmpint (menu->request->kind, ==, VL_STEP_UPDATE_GRUB);
  g_assert_cmpstr (((const char *const *) g_ptr_array_index (menu->commands, 0))[0], ==, "update-grub");
  g_assert_false (vl_install_plan_needs_reboot (plan));
  for (guint i = 0; i < plan->steps->len; i++)
    {
      VlInstallStep *step = g_ptr_array_index (plan->steps, i);
      g_autoptr(GError) invalid = NULL;

      g_assert_true (vl_helper_request_validate (step->request->kind,
                                                 (const char *const *) step->request->args, &invalid));
      g_assert_no_error (invalid);
    }
  text = vl_install_plan_to_text (plan);
  g_assert_nonnull (strstr (text, "kind: restore-grub-config\n"));
  g_assert_nonnull (strstr (text, "restores: /etc/default/grub.d/virtlab-xen.cfg from virtlab-xen.cfg~\n"));
  g_assert_nonnull (strstr (text, "command: update-grub\n"));
  /* What the undo promises the user: starting without Xen, the packages and the menu entry kept. */
  g_assert_nonnull (strstr (restore->why, "virtlab-no-xen-default.cfg"));
  g_assert_nonnull (strstr (restore->why, "The Xen packages stay installed."));
  g_assert_nonnull (strstr (menu->why, "the computer starts without Xen"));

  kvm = vl_install_plan_new_undo (VL_TARGET_KVM, report, VL_DISTRIBUTION_DEBIAN, &error);
  g_assert_null (kvm);
  g_assert_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "KVM"));
}

/* "Write the new boot menu" is done when grub.cfg carries the dom0 setting; a user cannot read a
 * Debian 12 grub.cfg (root only), and then a menu newer than Virtlab's GRUB file with the plan's
 * setting counts as written. */
static void
test_plan_update_grub_done_unreadable_menu (void)
{
  g_autoptr(VlHostReport) report = probe_fixture ("amd-svm-kvm-not-loaded");
  VlHelperSystem system = { VL_DISTRIBUTION_DEBIAN, TRUE, VL_INIT_SYSTEMD };
  g_autoptr(VlInstallStep) step = vl_install_step_new (VL_STEP_UPDATE_GRUB, NULL, "menu", "why", &system);
  guint mib = vl_dom0_memory_mib (report);
  g_autofree char *option = g_strdup_printf ("dom0_mem=%uM,max:%uM", mib, mib);
  g_autofree char *menu = g_strdup_printf ("multiboot2 /boot/xen.gz placeholder %s\n", option);

  g_clear_pointer (&report->grub_xen_config, g_free);
  g_clear_pointer (&report->grub_cfg, g_free);
  report->grub_xen_config = vl_xen_grub_config_new (mib);
  report->grub_xen_config_mtime = 1000;

  /* Readable: the menu's text decides, whatever the times. */
  report->grub_cfg = g_strdup (menu);
  report->grub_cfg_mtime = 10;
  g_assert_true (vl_install_step_is_done (step, report));
  g_free (report->grub_cfg);
  report->grub_cfg = g_strdup ("multiboot2 /boot/xen.gz placeholder dom0_mem=512M\n");
  report->grub_cfg_mtime = 2000;
  g_assert_false (vl_install_step_is_done (step, report));

  /* Unreadable (root only): newer than the GRUB file with the plan's setting. */
  g_clear_pointer (&report->grub_cfg, g_free);
  report->grub_cfg_mtime = 2000;
  g_assert_true (vl_install_step_is_done (step, report));
  report->grub_cfg_mtime = 500;
  g_assert_false (vl_install_step_is_done (step, report));
  report->grub_cfg_mtime = 0;
  g_assert_false (vl_install_step_is_done (step, report));
  report->grub_cfg_mtime = 2000;
  g_free (report->grub_xen_config);
  report->grub_xen_config = g_strdup ("GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=512M,max:512M\"\n");
  g_assert_false (vl_install_step_is_done (step, report));
}

/* The probe notes the menu's time even where it cannot read it. */
static void
test_probe_grub_cfg_mtime (void)
{
  g_autofree char *dir = g_dir_make_tmp ("virtlab-plan-XXXXXX", NULL);
  g_autofree char *grub = g_build_filename (dir, "boot", "grub", NULL);
  g_autofree char *cfg = g_build_filename (grub, "grub.cfg", NULL);
  VlHostUser user = { 0, (char *) "root", NULL, 0 };
  g_autoptr(VlHostReport) before = vl_host_probe (dir, &user, NULL);
  g_autoptr(VlHostReport) after = NULL;

  g_assert_cmpint (before->grub_cfg_mtime, ==, 0);
  g_assert_cmpint (before->grub_xen_config_mtime, ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (grub, 0755), ==, 0);
  g_assert_true (g_file_set_contents (cfg, "menuentry x {}\n", -1, NULL));
  after = vl_host_probe (dir, &user, NULL);
  g_assert_cmpint (after->grub_cfg_mtime, >, 0);
  g_assert_cmpstr (after->grub_cfg, ==, "menuentry x {}\n");
  g_unlink (cfg);
  g_rmdir (grub);
  {
    g_autofree char *boot = g_build_filename (dir, "boot", NULL);
    g_rmdir (boot);
  }
  g_rmdir (dir);
}

static void
test_plan_unknown_distribution (void)
{
  g_autofree char *dir = g_dir_make_tmp ("virtlab-plan-XXXXXX", NULL);
  VlHostUser user = { 0, (char *) "root", NULL, 0 };
  g_autoptr(VlHostReport) report = vl_host_probe (dir, &user, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VlInstallPlan) plan = NULL;

  g_free (report->os_pretty_name);
  report->os_pretty_name = g_strdup ("Arch Linux");
  plan = vl_install_plan_for_kvm (report, report->distribution, &error);
  g_assert_null (plan);
  g_assert_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "Arch Linux"));
  g_rmdir (dir);
}

/* Services without an init system: started, never "enabled", and Xen refused with the reason. */
static void
test_plan_no_init (void)
{
  g_autoptr(VlHostReport) report = probe_fixture ("amd-svm-kvm-not-loaded");
  g_autoptr(VlHostReport) running = probe_fixture ("intel-vtx-kvm-loaded");
  g_autoptr(GError) error = NULL;
  g_autoptr(VlInstallPlan) xen = NULL;
  g_autoptr(VlInstallPlan) kvm = NULL;
  g_autoptr(VlInstallPlan) done = NULL;
  gboolean saw_service = FALSE;

  set_init (report, VL_INIT_NONE, "process_api");
  xen = vl_install_plan_for_xen (report, VL_DISTRIBUTION_DEBIAN, &error);
  g_assert_null (xen);
  g_assert_error (error, VL_ERROR, VL_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "“process_api”"));
  g_assert_nonnull (strstr (error->message, "Choose KVM"));

  kvm = vl_install_plan_for_kvm (report, VL_DISTRIBUTION_DEBIAN, NULL);
  for (guint i = 0; i < kvm->steps->len; i++)
    {
      VlInstallStep *step = g_ptr_array_index (kvm->steps, i);
      const char *const *argv;

      if (step->request->kind != VL_STEP_ENABLE_SERVICE)
        continue;
      saw_service = TRUE;
      g_assert_cmpuint (step->commands->len, ==, 1);
      argv = g_ptr_array_index (step->commands, 0);
      g_assert_cmpstr (argv[0], ==, "service");
      g_assert_cmpstr (step->title, ==, "Start the libvirt daemon now");
      g_assert_nonnull (strstr (step->why, "nothing can start the daemon at boot"));
    }
  g_assert_true (saw_service);

  /* A daemon that runs is done, although no boot link names it. */
  set_init (running, VL_INIT_NONE, "process_api");
  done = vl_install_plan_for_kvm (running, VL_DISTRIBUTION_DEBIAN, NULL);
  g_assert_cmpuint (done->steps->len, ==, 0);
}

/* Fedora boots with systemd: its plan does not depend on where it is previewed. */
static void
test_plan_fedora_preview_without_init (void)
{
  g_autoptr(VlHostReport) report = probe_fixture ("amd-svm-kvm-not-loaded");
  g_autoptr(VlInstallPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  set_init (report, VL_INIT_NONE, "process_api");
  plan = vl_install_plan_for_xen (report, VL_DISTRIBUTION_FEDORA, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < plan->steps->len; i++)
    {
      VlInstallStep *step = g_ptr_array_index (plan->steps, i);

      if (step->request->kind == VL_STEP_ENABLE_SERVICE)
        g_assert_cmpstr (((const char *const *) g_ptr_array_index (step->commands, 0))[0], ==, "systemctl");
    }
}

static void
test_dom0_memory (void)
{
  VlHostReport report = { 0 };

  report.mem_total_kib = 0;
  g_assert_cmpuint (vl_dom0_memory_mib (&report), ==, 2048);
  report.mem_total_kib = 2 * 1024 * 1024;
  g_assert_cmpuint (vl_dom0_memory_mib (&report), ==, 1024);
  report.mem_total_kib = 8 * 1024 * 1024 + 5000;
  g_assert_cmpuint (vl_dom0_memory_mib (&report), ==, 2048);
  report.mem_total_kib = 64 * 1024 * 1024;
  g_assert_cmpuint (vl_dom0_memory_mib (&report), ==, 4096);
}

/* The bench-image step: no argument of any kind, one fixed command (the installed script, the
 * fixed root cache), the same whatever the system; a request line with anything more is refused. */
static void
test_bench_image_step (void)
{
  const char *const none[] = { NULL };
  const char *const bad[][3] = { { "--cache", "/etc", NULL },
                                 { "/tmp/evil.sh", NULL, NULL },
                                 { "", NULL, NULL } };
  const char *const bad_lines[] = { "bench-image\t--cache\t/etc", "bench-image\t/tmp/evil.sh",
                                    "bench-image\t", "bench-image /tmp/x" };
  const VlHelperSystem systems[] = { { VL_DISTRIBUTION_DEBIAN, TRUE, VL_INIT_SYSTEMD },
                                     { VL_DISTRIBUTION_FEDORA, FALSE, VL_INIT_NONE } };
  g_autoptr(VlHelperRequest) request = NULL;
  g_autofree char *line = NULL;
  VlStepKind kind;

  g_assert_true (vl_step_kind_from_string ("bench-image", &kind));
  g_assert_cmpint (kind, ==, VL_STEP_BENCH_IMAGE);
  g_assert_true (vl_helper_request_validate (VL_STEP_BENCH_IMAGE, none, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (vl_helper_request_validate (VL_STEP_BENCH_IMAGE, bad[i], &error));
      g_assert_error (error, VL_ERROR, VL_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, "bench-image"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_lines); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(VlHelperRequest)
        refused = vl_helper_request_parse (bad_lines[i], strlen (bad_lines[i]), &error);

      g_assert_null (refused);
      g_assert_nonnull (error);
      g_test_message ("%s: %s", bad_lines[i], error->message);
    }

  request = vl_helper_request_parse ("bench-image", strlen ("bench-image"), NULL);
  g_assert_nonnull (request);
  line = vl_helper_request_to_line (request);
  g_assert_cmpstr (line, ==, "bench-image");
  for (guint i = 0; i < G_N_ELEMENTS (systems); i++)
    {
      g_autoptr(GPtrArray) commands = vl_helper_request_commands (request, &systems[i]);
      g_autofree char *shown = NULL;

      g_assert_cmpuint (commands->len, ==, 1);
      shown = vl_command_to_string (g_ptr_array_index (commands, 0));
      g_assert_cmpstr (shown, ==,
                       "/bin/bash " PKGDATADIR
                       "/bench/vl-bench-image.sh --cache /var/cache/virtlab/bench-image");
    }
}

/* The Host page's plan for the benchmark image: one bench-image step for the helper, as root, its
 * command the fixed one, its request line one the helper takes. */
static void
test_bench_image_plan (void)
{
  const VlHelperSystem system = { VL_DISTRIBUTION_DEBIAN, FALSE, VL_INIT_NONE };
  g_autoptr(VlInstallPlan) plan = vl_bench_image_plan_new (&system);
  const VlInstallStep *step;
  g_autofree char *shown = NULL, *line = NULL;
  g_autoptr(VlHelperRequest) again = NULL;

  g_assert_cmpuint (plan->steps->len, ==, 1);
  step = g_ptr_array_index (plan->steps, 0);
  g_assert_cmpint (step->request->kind, ==, VL_STEP_BENCH_IMAGE);
  g_assert_true (step->needs_root);
  g_assert_false (vl_install_plan_needs_reboot (plan));
  g_assert_cmpuint (vl_install_plan_count_pending (plan), ==, 1);
  g_assert_nonnull (strstr (step->why, "/var/cache/virtlab/bench-image"));
  g_assert_cmpuint (step->commands->len, ==, 1);
  shown = vl_command_to_string (g_ptr_array_index (step->commands, 0));
  g_assert_cmpstr (shown, ==,
                   "/bin/bash " PKGDATADIR "/bench/vl-bench-image.sh --cache /var/cache/virtlab/bench-image");
  line = vl_helper_request_to_line (step->request);
  again = vl_helper_request_parse (line, strlen (line), NULL);
  g_assert_nonnull (again);
  g_assert_cmpint (again->kind, ==, VL_STEP_BENCH_IMAGE);
}

static void
test_command_to_string (void)
{
  const char *plain[] = { "apt-get", "install", "--yes", "-o", "APT::Status-Fd=3", "qemu-utils", NULL };
  const char *spaced[] = { "echo", "two words", "it's", NULL };
  g_autofree char *a = vl_command_to_string (plain);
  g_autofree char *b = vl_command_to_string (spaced);

  g_assert_cmpstr (a, ==, "apt-get install --yes -o APT::Status-Fd=3 qemu-utils");
  g_assert_cmpstr (b, ==, "echo 'two words' 'it'\\''s'");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/host/plan/golden/%s", cases[i].golden);
      g_test_add_data_func (path, &cases[i], test_plan_golden);
    }
  g_test_add_func ("/host/plan/already-done", test_plan_already_done);
  g_test_add_func ("/host/plan/partly-done", test_plan_partly_done);
  g_test_add_func ("/host/plan/root-user", test_plan_root_user);
  g_test_add_func ("/host/plan/undo", test_plan_undo);
  g_test_add_func ("/host/plan/update-grub-done-unreadable-menu", test_plan_update_grub_done_unreadable_menu);
  g_test_add_func ("/host/plan/probe-grub-cfg-mtime", test_probe_grub_cfg_mtime);
  g_test_add_func ("/host/plan/no-init", test_plan_no_init);
  g_test_add_func ("/host/plan/fedora-preview-without-init", test_plan_fedora_preview_without_init);
  g_test_add_func ("/host/plan/unknown-distribution", test_plan_unknown_distribution);
  g_test_add_func ("/host/plan/dom0-memory", test_dom0_memory);
  g_test_add_func ("/host/plan/command-to-string", test_command_to_string);
  g_test_add_func ("/host/helper/bench-image", test_bench_image_step);
  g_test_add_func ("/host/plan/bench-image", test_bench_image_plan);
  return g_test_run ();
}
