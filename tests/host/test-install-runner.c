/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The install runner for real: the helper in --root mode on a tiny system in a temporary folder. */
#include "config.h"

#include <gio/gio.h>
#include <unistd.h>

#include "host-test-root.h"
#include "vl-install-runner.h"

typedef struct {
  char            *root;
  char            *log_path;
  GPtrArray       *outputs;
  GArray          *fractions;
  GPtrArray       *progress_texts;
  GArray          *started;
  VlInstallRunner *runner;
  guint            cancel_on_output_match;
  const char      *cancel_when;
  gint64           cancel_time;
} Fixture;

/* The helper writes only the file the Xen plan writes: two of its dom0 sizes. */
static char *grub_a, *grub_b;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->root = make_test_root ();
  f->log_path = g_build_filename (f->root, "cache", "virtlab", "host-setup.log", NULL);
  f->outputs = g_ptr_array_new_with_free_func (g_free);
  f->fractions = g_array_new (FALSE, FALSE, sizeof (double));
  f->progress_texts = g_ptr_array_new_with_free_func (g_free);
  f->started = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->runner);
  remove_tree (f->root);
  g_free (f->root);
  g_free (f->log_path);
  g_ptr_array_unref (f->outputs);
  g_array_unref (f->fractions);
  g_ptr_array_unref (f->progress_texts);
  g_array_unref (f->started);
}

static void
add_step (VlInstallPlan *plan, VlStepKind kind, const char *arg0, const char *arg1, const char *title)
{
  const char *args[] = { arg0, arg1, NULL };

  g_ptr_array_add (plan->steps, vl_install_step_new (kind, args, title, "test", &plan->system));
}

static void
on_output (VlInstallRunner *runner, const char *line, Fixture *f)
{
  g_ptr_array_add (f->outputs, g_strdup (line));
  if (f->cancel_when != NULL && g_str_equal (line, f->cancel_when))
    {
      f->cancel_time = g_get_monotonic_time ();
      vl_install_runner_cancel (runner);
    }
}

static void
on_progress (VlInstallRunner *runner, double fraction, const char *text, Fixture *f)
{
  g_array_append_val (f->fractions, fraction);
  g_ptr_array_add (f->progress_texts, g_strdup (text));
}

static void
on_started (VlInstallRunner *runner, guint index, Fixture *f)
{
  g_array_append_val (f->started, index);
}

static gboolean
timed_out (gpointer data)
{
  g_error ("the runner did not finish in time");
  return G_SOURCE_REMOVE;
}

static VlRunnerState
run (Fixture *f, gboolean retry)
{
  guint timeout = g_timeout_add_seconds (30, timed_out, NULL);

  if (retry)
    vl_install_runner_retry (f->runner);
  else
    vl_install_runner_start (f->runner);
  while (vl_install_runner_get_state (f->runner) == VL_RUNNER_RUNNING)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  return vl_install_runner_get_state (f->runner);
}

static void
make_runner (Fixture *f, VlInstallPlan *plan)
{
  const char *argv[] = { VL_HOST_HELPER, "--root", f->root, NULL };

  f->runner = vl_install_runner_new (plan, argv, f->log_path);
  g_signal_connect (f->runner, "output", G_CALLBACK (on_output), f);
  g_signal_connect (f->runner, "progress", G_CALLBACK (on_progress), f);
  g_signal_connect (f->runner, "step-started", G_CALLBACK (on_started), f);
}

static VlInstallPlan *
new_plan (void)
{
  VlHelperSystem system = { VL_DISTRIBUTION_DEBIAN, FALSE };

  return vl_install_plan_new_empty (VL_TARGET_KVM, &system);
}

static gboolean
outputs_have (Fixture *f, const char *line)
{
  for (guint i = 0; i < f->outputs->len; i++)
    if (g_str_equal (g_ptr_array_index (f->outputs, i), line))
      return TRUE;
  return FALSE;
}

static char *
root_file (Fixture *f, const char *path)
{
  g_autofree char *full = g_build_filename (f->root, path, NULL);
  char *contents = NULL;

  g_file_get_contents (full, &contents, NULL, NULL);
  return contents;
}

static gboolean
need_root (void)
{
  if (geteuid () == 0)
    return TRUE;
  g_test_skip ("the helper's --root mode runs commands through chroot, which needs root");
  return FALSE;
}

static void
test_runner_succeeds (Fixture *f, gconstpointer data)
{
  VlInstallPlan *plan = new_plan ();
  g_autofree char *written = NULL, *backup = NULL, *log = NULL;

  if (!need_root ())
    return;
  add_step (plan, VL_STEP_WRITE_GRUB_CONFIG, "virtlab-xen.cfg", grub_a, "Write A");
  add_step (plan, VL_STEP_INSTALL_PACKAGES, "qemu-utils", NULL, "Install qemu-utils");
  add_step (plan, VL_STEP_LOAD_MODULE, "kvm_amd", NULL, "Load kvm_amd");
  add_step (plan, VL_STEP_REBOOT, NULL, NULL, "Reboot");
  add_step (plan, VL_STEP_WRITE_GRUB_CONFIG, "virtlab-xen.cfg", grub_b, "Write B");
  make_runner (f, plan);

  g_assert_cmpint (run (f, FALSE), ==, VL_RUNNER_SUCCEEDED);
  g_assert_null (vl_install_runner_get_error (f->runner));

  /* The config file was replaced atomically. A is Virtlab's own text, not a version from before
   * Virtlab: it is not kept as the backup (there was none, so the undo removes the file). */
  written = root_file (f, "etc/default/grub.d/virtlab-xen.cfg");
  backup = root_file (f, "etc/default/grub.d/virtlab-xen.cfg~");
  g_assert_cmpstr (written, ==, grub_b);
  g_assert_null (backup);

  /* What the user reads: each step announced, each command shown, its output. */
  g_assert_true (outputs_have (f, "Step 1 of 4: Write A"));
  g_assert_true (outputs_have (f, "Step 4 of 4: Write B"));
  /* Shown as the user would type it, run with apt's status descriptor (the stand-in echoes its argv). */
  g_assert_true (outputs_have (f, "$ apt-get install --yes qemu-utils"));
  g_assert_true (outputs_have (f, "apt-get install --yes -o APT::Status-Fd=3 qemu-utils"));
  /* dpkg, run first to finish an interrupted install, gets no apt option (it refuses "-o"). */
  g_assert_true (outputs_have (f, "$ dpkg --configure --pending"));
  g_assert_true (outputs_have (f, "/usr/bin/dpkg --configure --pending"));
  g_assert_true (outputs_have (f, "Setting up qemu-utils"));
  g_assert_true (outputs_have (f, "$ modprobe kvm_amd"));
  g_assert_true (outputs_have (f, "loading kvm_amd"));
  g_assert_true (root_has (f->root, "ran-modprobe-kvm_amd"));
  g_assert_true (outputs_have (f, "All steps are done."));

  /* The reboot is not the helper's: steps 0, 1, 2 and 4 ran. */
  g_assert_cmpuint (f->started->len, ==, 4);
  g_assert_cmpuint (g_array_index (f->started, guint, 3), ==, 4);

  /* Progress only grows, reads apt's status (downloaded = half of its step), ends full. */
  for (guint i = 1; i < f->fractions->len; i++)
    g_assert_cmpfloat (g_array_index (f->fractions, double, i), >=, g_array_index (f->fractions, double, i - 1));
  g_assert_cmpfloat_with_epsilon (g_array_index (f->fractions, double, f->fractions->len - 1), 1.0, 1e-9);
  for (guint i = 0; i < f->progress_texts->len; i++)
    if (g_str_equal (g_ptr_array_index (f->progress_texts, i), "Installing qemu-utils"))
      {
        /* Step 2 of 4, three quarters through it. */
        g_assert_cmpfloat_with_epsilon (g_array_index (f->fractions, double, i), (1 + 0.75) / 4, 1e-6);
        break;
      }
    else
      g_assert_cmpuint (i + 1, <, f->progress_texts->len);

  /* The same lines reach the log file: pending writes keep the runner until they are done. */
  {
    gpointer runner = f->runner;

    g_object_add_weak_pointer (runner, &runner);
    g_clear_object (&f->runner);
    while (runner != NULL)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_true (g_file_get_contents (f->log_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "] $ modprobe kvm_amd\n"));
  g_assert_nonnull (strstr (log, "] All steps are done.\n"));
}

static void
test_runner_fails_then_retries (Fixture *f, gconstpointer data)
{
  VlInstallPlan *plan = new_plan ();
  g_autofree char *allow = NULL;
  g_autofree char *written = NULL;
  const char *error;

  if (!need_root ())
    return;
  add_step (plan, VL_STEP_LOAD_MODULE, "kvm_amd", NULL, "Load kvm_amd");
  add_step (plan, VL_STEP_LOAD_MODULE, "kvm_intel", NULL, "Load kvm_intel");
  add_step (plan, VL_STEP_WRITE_GRUB_CONFIG, "virtlab-xen.cfg", grub_a, "Write A");
  make_runner (f, plan);

  g_assert_cmpint (run (f, FALSE), ==, VL_RUNNER_FAILED);
  error = vl_install_runner_get_error (f->runner);
  g_assert_nonnull (strstr (error, "Load kvm_intel"));
  g_assert_nonnull (strstr (error, "modprobe kvm_intel"));
  g_assert_nonnull (strstr (error, "exit status 1"));
  g_assert_true (outputs_have (f, "modprobe: ERROR: could not insert 'kvm_intel': Operation not supported"));
  g_assert_cmpuint (vl_install_runner_get_current_step (f->runner), ==, 1);
  /* A failing step stops the plan: the next one never ran. */
  g_assert_false (root_has (f->root, "etc/default/grub.d/virtlab-xen.cfg"));

  /* The user fixes the cause (here: the stand-in now succeeds) and retries from that step. */
  allow = g_build_filename (f->root, "allow-kvm_intel", NULL);
  g_assert_true (g_file_set_contents (allow, "", 0, NULL));
  g_array_set_size (f->started, 0);
  g_assert_cmpint (run (f, TRUE), ==, VL_RUNNER_SUCCEEDED);
  g_assert_cmpuint (f->started->len, ==, 2);
  g_assert_cmpuint (g_array_index (f->started, guint, 0), ==, 1);
  written = root_file (f, "etc/default/grub.d/virtlab-xen.cfg");
  g_assert_cmpstr (written, ==, grub_a);
}

static void
test_runner_cancel (Fixture *f, gconstpointer data)
{
  VlInstallPlan *plan = new_plan ();
  gint64 elapsed;

  if (!need_root ())
    return;
  add_step (plan, VL_STEP_LOAD_MODULE, "kvm", NULL, "Load kvm (slow)");
  add_step (plan, VL_STEP_WRITE_GRUB_CONFIG, "virtlab-xen.cfg", grub_a, "Write A");
  make_runner (f, plan);
  /* The stand-in prints "waiting", then sleeps for a minute. */
  f->cancel_when = "waiting";

  g_assert_cmpint (run (f, FALSE), ==, VL_RUNNER_CANCELLED);
  elapsed = g_get_monotonic_time () - f->cancel_time;
  g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);
  g_assert_true (outputs_have (f, "Cancelled."));
  g_assert_false (root_has (f->root, "etc/default/grub.d/virtlab-xen.cfg"));
}

static void
test_runner_helper_missing (Fixture *f, gconstpointer data)
{
  VlInstallPlan *plan = new_plan ();
  const char *argv[] = { "/nonexistent/virtlab-host-helper", NULL };

  add_step (plan, VL_STEP_LOAD_MODULE, "kvm_amd", NULL, "Load kvm_amd");
  f->runner = vl_install_runner_new (plan, argv, NULL);
  g_assert_cmpint (run (f, FALSE), ==, VL_RUNNER_FAILED);
  g_assert_nonnull (strstr (vl_install_runner_get_error (f->runner), "/nonexistent/virtlab-host-helper"));
}

static void
test_runner_helper_refuses_to_start (Fixture *f, gconstpointer data)
{
  VlInstallPlan *plan = new_plan ();
  g_autofree char *os = g_build_filename (f->root, "etc", "os-release", NULL);
  const char *argv[] = { VL_HOST_HELPER, "--root", f->root, NULL };
  g_autofree char *expected = NULL;

  /* A helper that exits at once (here: a system it does not know) is a failure with its words. */
  g_assert_true (g_file_set_contents (os, "ID=gentoo\n", -1, NULL));
  add_step (plan, VL_STEP_LOAD_MODULE, "kvm_amd", NULL, "Load kvm_amd");
  f->runner = vl_install_runner_new (plan, argv, NULL);
  g_signal_connect (f->runner, "output", G_CALLBACK (on_output), f);
  g_assert_cmpint (run (f, FALSE), ==, VL_RUNNER_FAILED);
  g_assert_nonnull (strstr (vl_install_runner_get_error (f->runner), "administrator helper stopped"));
  expected = g_strdup_printf ("The distribution of “%s” is not Debian, Ubuntu or Fedora", f->root);
  g_assert_true (outputs_have (f, expected));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  grub_a = vl_xen_grub_config_new (1024);
  grub_b = vl_xen_grub_config_new (2048);
  g_test_add ("/host/runner/succeeds", Fixture, NULL, fixture_set_up, test_runner_succeeds, fixture_tear_down);
  g_test_add ("/host/runner/fails-then-retries", Fixture, NULL, fixture_set_up, test_runner_fails_then_retries,
              fixture_tear_down);
  g_test_add ("/host/runner/cancel", Fixture, NULL, fixture_set_up, test_runner_cancel, fixture_tear_down);
  g_test_add ("/host/runner/helper-missing", Fixture, NULL, fixture_set_up, test_runner_helper_missing,
              fixture_tear_down);
  g_test_add ("/host/runner/helper-refuses-to-start", Fixture, NULL, fixture_set_up,
              test_runner_helper_refuses_to_start, fixture_tear_down);
  return g_test_run ();
}
