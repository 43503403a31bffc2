/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The host page's install path without its widgets, run inside the install tier's test machine.
 *
 * install-run print TARGET [all]
 *     As the user who would open the page: the app's own --print-install-plan (vl_host_print_install_plan);
 *     with "all", --all-steps (the steps already done too, marked "status: done").
 * install-run run TARGET USER HELPER LOG
 *     As root: the probe of "/" for USER, the plan of still-needed steps (printed), then the page's
 *     runner (VlInstallRunner) starting HELPER (virtlab-host-helper) and sending it the steps one by
 *     one. Prints what the page would show, one line each, with the seconds since the start:
 *       "@T step N/M KIND: TITLE", "@T progress P% TEXT" (each whole percent), "@T output LINE",
 *       "@T step-time KIND S" (each step's duration), and at the end "state: succeeded|failed|…",
 *       "error: …", "reboot-needed: yes|no". Exits 0 when the runner succeeded.
 * install-run run TARGET USER HELPER LOG packages
 *     The same, with only the plan's package steps (refresh and install): the install tier caches the
 *     machine's disk after them; a later "run" without "packages" does the remaining steps.
 * install-run undo TARGET USER HELPER LOG
 *     The same with the plan's undo (vl_install_plan_new_undo: the GRUB file put back, the menu again).
 * install-run probe [PACKAGE...]
 *     The app's host probe of "/": role, hypervisor, memory, distribution, packages.
 *
 * It links the same modules as the helper (GLib and GIO only): the machine has nothing else before
 * the plan runs. */
#include "config.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

#include "vl-host-check.h"
#include "vl-host-probe.h"
#include "vl-install-plan.h"
#include "vl-install-runner.h"

typedef struct {
  GMainLoop       *loop;
  VlInstallRunner *runner;
  gint64           t0;
  gint64           step_t0;
  int              last_percent;
  guint            current;
  gboolean         in_step;
} Run;

static double
since (Run *r)
{
  return (g_get_monotonic_time () - r->t0) / 1e6;
}

static const VlInstallStep *
step_at (Run *r, guint i)
{
  const VlInstallPlan *plan = vl_install_runner_get_plan (r->runner);

  return i < plan->steps->len ? g_ptr_array_index (plan->steps, i) : NULL;
}

static void
end_step (Run *r)
{
  const VlInstallStep *step = step_at (r, r->current);

  if (r->in_step && step != NULL)
    g_print ("@%.1f step-time %s %.1f\n", since (r), vl_step_kind_to_string (step->request->kind),
             (g_get_monotonic_time () - r->step_t0) / 1e6);
  r->in_step = FALSE;
}

static void
on_step_started (VlInstallRunner *runner, guint index, Run *r)
{
  const VlInstallStep *step;

  end_step (r);
  r->current = index;
  r->in_step = TRUE;
  r->step_t0 = g_get_monotonic_time ();
  r->last_percent = -1;
  step = step_at (r, index);
  g_print ("@%.1f step %u/%u %s: %s\n", since (r), index + 1, vl_install_runner_get_plan (runner)->steps->len,
           vl_step_kind_to_string (step->request->kind), step->title);
}

static void
on_output (VlInstallRunner *runner, const char *line, Run *r)
{
  g_print ("@%.1f output %s\n", since (r), line);
}

static void
on_progress (VlInstallRunner *runner, double fraction, const char *text, Run *r)
{
  int percent = (int) (fraction * 100);

  if (percent == r->last_percent)
    return;
  r->last_percent = percent;
  g_print ("@%.1f progress %d%% %s\n", since (r), percent, text);
}

static void
on_finished (VlInstallRunner *runner, int state, Run *r)
{
  end_step (r);
  g_main_loop_quit (r->loop);
}

static VlHostUser *
user_by_name (const char *name, GError **error)
{
  struct passwd *pw = getpwnam (name);
  VlHostUser *user;
  int n = 64;

  if (pw == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "there is no user “%s”", name);
      return NULL;
    }
  user = g_new0 (VlHostUser, 1);
  user->uid = pw->pw_uid;
  user->user_name = g_strdup (pw->pw_name);
  user->groups = g_new0 (gid_t, n);
  if (getgrouplist (pw->pw_name, pw->pw_gid, user->groups, &n) < 0)
    {
      user->groups = g_renew (gid_t, user->groups, n);
      getgrouplist (pw->pw_name, pw->pw_gid, user->groups, &n);
    }
  user->n_groups = n;
  return user;
}

static const char *
state_text (VlRunnerState state)
{
  switch (state)
    {
    case VL_RUNNER_SUCCEEDED: return "succeeded";
    case VL_RUNNER_FAILED: return "failed";
    case VL_RUNNER_CANCELLED: return "cancelled";
    case VL_RUNNER_RUNNING: return "running";
    case VL_RUNNER_IDLE:
    default: return "idle";
    }
}

static int
run (const char *target_name, const char *user_name, const char *helper, const char *log_path,
     const char *mode)
{
  gboolean packages_only = g_strcmp0 (mode, "packages") == 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHostUser) user = user_by_name (user_name, &error);
  g_autoptr(VlHostReport) report = NULL;
  g_autoptr(VlInstallPlan) plan = NULL;
  g_autofree char *text = NULL;
  const char *helper_argv[] = { helper, NULL };
  VlHypervisorTarget target;
  VlRunnerState state;
  Run r = { 0 };

  if (!vl_hypervisor_target_from_string (target_name, &target))
    {
      g_printerr ("install-run: unknown target “%s”\n", target_name);
      return 2;
    }
  if (user != NULL)
    report = vl_host_probe ("/", user, &error);
  if (report == NULL)
    {
      g_printerr ("install-run: %s\n", error->message);
      return 1;
    }
  plan = g_strcmp0 (mode, "undo") == 0
           ? vl_install_plan_new_undo (target, report, report->distribution, &error)
           : vl_install_plan_new (target, report, report->distribution, VL_PLAN_PENDING_ONLY, &error);
  if (plan == NULL)
    {
      g_printerr ("install-run: %s\n", error->message);
      return 1;
    }
  for (guint i = plan->steps->len; packages_only && i > 0; i--)
    {
      VlStepKind kind = ((VlInstallStep *) g_ptr_array_index (plan->steps, i - 1))->request->kind;

      if (kind != VL_STEP_REFRESH_PACKAGES && kind != VL_STEP_INSTALL_PACKAGES)
        g_ptr_array_remove_index (plan->steps, i - 1);
    }
  text = vl_install_plan_to_text (plan);
  g_print ("%s", text);
  g_print ("---- run\n");
  fflush (stdout);

  r.loop = g_main_loop_new (NULL, FALSE);
  r.t0 = g_get_monotonic_time ();
  /* The runner keeps the plan; the page gives it the same way. */
  r.runner = vl_install_runner_new (g_steal_pointer (&plan), helper_argv, log_path);
  g_signal_connect (r.runner, "step-started", G_CALLBACK (on_step_started), &r);
  g_signal_connect (r.runner, "output", G_CALLBACK (on_output), &r);
  g_signal_connect (r.runner, "progress", G_CALLBACK (on_progress), &r);
  g_signal_connect (r.runner, "finished", G_CALLBACK (on_finished), &r);
  vl_install_runner_start (r.runner);
  if (vl_install_runner_get_state (r.runner) == VL_RUNNER_RUNNING)
    g_main_loop_run (r.loop);

  state = vl_install_runner_get_state (r.runner);
  g_print ("state: %s\n", state_text (state));
  if (vl_install_runner_get_error (r.runner) != NULL)
    g_print ("error: %s\n", vl_install_runner_get_error (r.runner));
  g_print ("reboot-needed: %s\n", vl_install_plan_needs_reboot (vl_install_runner_get_plan (r.runner)) ? "yes" : "no");
  g_print ("total: %.1f s\n", since (&r));
  g_clear_object (&r.runner);
  g_main_loop_unref (r.loop);
  return state == VL_RUNNER_SUCCEEDED ? 0 : 1;
}

static int
probe (int argc, char **argv)
{
  g_autoptr(VlHostUser) user = vl_host_user_new_current ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHostReport) report = vl_host_probe ("/", user, &error);

  if (report == NULL)
    {
      g_printerr ("install-run: %s\n", error->message);
      return 1;
    }
  g_print ("role: %s\n", report->xen_role == VL_XEN_DOM0 ? "Xen dom0" :
                         report->xen_role == VL_XEN_DOMU ? "Xen domU" : "no Xen");
  g_print ("hypervisor-type: %s\n", report->hypervisor_type ? report->hypervisor_type : "");
  g_print ("cpus: %u\n", report->cpu_count);
  g_print ("mem-total-kib: %" G_GUINT64_FORMAT "\n", report->mem_total_kib);
  g_print ("distribution: %s %s\n", vl_distribution_to_string (report->distribution),
           report->os_version_id ? report->os_version_id : "");
  g_print ("systemd: %s\n", report->has_systemd ? "yes" : "no");
  for (int i = 0; i < argc; i++)
    g_print ("package %s: %s\n", argv[i], vl_host_report_has_package (report, argv[i]) ? "installed" : "absent");
  return 0;
}

int
main (int argc, char **argv)
{
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (argc == 3 && g_str_equal (argv[1], "print"))
    return vl_host_print_install_plan (argv[2], NULL, NULL, FALSE);
  if (argc == 4 && g_str_equal (argv[1], "print") && g_str_equal (argv[3], "all"))
    return vl_host_print_install_plan (argv[2], NULL, NULL, TRUE);
  if (argc == 6 && g_str_equal (argv[1], "run"))
    return run (argv[2], argv[3], argv[4], argv[5], NULL);
  if (argc == 7 && g_str_equal (argv[1], "run") && g_str_equal (argv[6], "packages"))
    return run (argv[2], argv[3], argv[4], argv[5], "packages");
  if (argc == 6 && g_str_equal (argv[1], "undo"))
    return run (argv[2], argv[3], argv[4], argv[5], "undo");
  if (argc >= 2 && g_str_equal (argv[1], "probe"))
    return probe (argc - 2, argv + 2);
  g_printerr ("usage: install-run print TARGET [all] | run TARGET USER HELPER LOG [packages]\n"
              "       install-run undo TARGET USER HELPER LOG | probe [PACKAGE...]\n");
  return 2;
}
