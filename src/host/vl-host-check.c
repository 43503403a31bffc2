/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checking this computer off the main loop: the probe, plus rpm's package list on Fedora. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-error.h"
#include "vl-host-check.h"
#include "vl-install-plan.h"

/* rpm's database is SQLite and private to rpm: asking rpm is the supported way to read it. */
static gboolean
read_rpm_packages (VlHostReport *report, GCancellable *cancellable, GError **error)
{
  g_autoptr(GSubprocess) rpm = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  rpm = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error,
                          "rpm", "--root", report->sysroot, "--query", "--all",
                          "--queryformat", "%{NAME} %{VERSION}-%{RELEASE}\\n", NULL);
  if (rpm == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (rpm, NULL, cancellable, &out, &err, error))
    return FALSE;
  if (!g_subprocess_get_successful (rpm))
    {
      g_set_error (error, VL_ERROR, VL_ERROR_FAILED, _("rpm could not list the installed packages: %s"),
                   err != NULL ? g_strstrip (err) : "");
      return FALSE;
    }
  return vl_host_report_set_rpm_packages (report, out, error);
}

VlHostReport *
vl_host_check_sync (const char *sysroot, GCancellable *cancellable, GError **error)
{
  g_autoptr(VlHostUser) user = vl_host_user_new_current ();
  g_autoptr(VlHostReport) report = vl_host_probe (sysroot, user, error);
  g_autofree char *rpm_path = NULL;

  if (report == NULL)
    return NULL;
  rpm_path = g_find_program_in_path ("rpm");
  if (report->package_source == VL_PACKAGES_UNKNOWN && rpm_path != NULL)
    {
      g_autofree char *rpmdb = g_build_filename (sysroot, "var/lib/rpm", NULL);

      /* Without a package list the plan would install everything again: say so, but keep the
       * rest of the report, which is still true. */
      if (g_file_test (rpmdb, G_FILE_TEST_IS_DIR) && !read_rpm_packages (report, cancellable, error))
        return NULL;
    }
  return g_steal_pointer (&report);
}

static void
check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  VlHostReport *report = vl_host_check_sync (task_data, cancellable, &error);

  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) vl_host_report_free);
}

void
vl_host_check_async (const char *sysroot, GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, vl_host_check_async);
  g_task_set_task_data (task, g_strdup (sysroot), g_free);
  g_task_run_in_thread (task, check_thread);
}

VlHostReport *
vl_host_check_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* virtlab --print-install-plan: the plan as text, for people and for scripts. */
int
vl_host_print_install_plan (const char *target_name, const char *distribution_name,
                            const char *sysroot, gboolean all_steps)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHostReport) report = NULL;
  g_autoptr(VlInstallPlan) plan = NULL;
  g_autofree char *text = NULL;
  VlHypervisorTarget target;
  VlDistribution distribution;

  if (!vl_hypervisor_target_from_string (target_name, &target))
    {
      g_printerr (_("%s: unknown hypervisor “%s”: use kvm or xen\n"), g_get_prgname (), target_name);
      return 2;
    }
  if (distribution_name != NULL &&
      vl_distribution_from_string (distribution_name) == VL_DISTRIBUTION_UNKNOWN)
    {
      g_printerr (_("%s: unknown distribution “%s”: use debian, ubuntu or fedora\n"), g_get_prgname (),
                  distribution_name);
      return 2;
    }

  report = vl_host_check_sync (sysroot ?: "/", NULL, &error);
  if (report == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }
  distribution = distribution_name != NULL ? vl_distribution_from_string (distribution_name)
                                           : report->distribution;
  plan = vl_install_plan_new (target, report, distribution, all_steps ? VL_PLAN_ALL_STEPS : 0, &error);
  if (plan == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return 1;
    }
  text = vl_install_plan_to_text (plan);
  g_print ("%s", text);
  return 0;
}
