/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Host page: checks this machine and installs a KVM host or a Xen dom0. */
#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "vl-busy.h"
#include "vl-format.h"
#include "vl-host-bench-image.h"
#include "vl-host-check.h"
#include "vl-host-checklist.h"
#include "vl-host-info.h"
#include "vl-host-page.h"
#include "vl-host-widgets.h"
#include "vl-install-runner.h"
#include "vl-widgets.h"

struct _VlHostPage
{
  GtkBox           parent_instance;

  GtkStack        *state_stack;
  GtkLabel        *error_label;
  GtkLabel        *summary_label;
  GtkInfoBar      *reboot_bar;
  GtkWidget       *host_info_box;
  GtkLabel        *host_info_label;
  GtkListBox      *checklist;
  GtkLabel        *plan_heading;
  GtkListBox      *plan_list;
  GtkLabel        *root_hint;
  GtkWidget *undo_button;
  GtkWidget       *progress_box;
  GtkProgressBar  *progress_bar;
  GtkLabel        *run_error_label;
  GtkTextView     *log_view;
  GtkLabel        *log_path_label;
  GtkScrolledWindow *report_state;
  VlHostBenchImage *bench_image; /* the benchmark image's part, below the plan */

  GSimpleActionGroup *actions;
  GCancellable    *cancellable;
  char            *sysroot;
  char            *host_uri;       /* the hypervisor to describe; NULL: this computer's */
  char *info_uri;                  /* the one described (or being read) */
  VlHostReport    *report;
  VlInstallPlan   *plan;           /* the preview; the runner gets its own copy */
  VlInstallRunner *runner;
  GPtrArray *step_marks; /* a GtkImage per row of plan_list, owned by the rows */
  gboolean run_is_plan;  /* the runner runs plan_list's steps (not the undo) */
  VlHypervisorTarget target;
  gboolean         checking;
  gboolean         checked_once;
  gboolean         changing_target;   /* a check was started: the first map need not start one */
  gboolean         loading_info;
  gboolean         reboot_needed;
  guint show_bench_image; /* frames left to keep the benchmark image's part in view; 0: none */
};

G_DEFINE_FINAL_TYPE_WITH_CODE (VlHostPage, vl_host_page, GTK_TYPE_BOX,
                               G_IMPLEMENT_INTERFACE (VL_TYPE_BUSY, NULL))

enum { PROP_0, PROP_SYSROOT, PROP_HOST_URI, N_PROPS, PROP_BUSY = N_PROPS /* VlBusy's */ };
static GParamSpec *properties[N_PROPS];

static void update_actions (VlHostPage *self);

/* Busy while the computer is checked and while the hypervisor is asked about itself. */
static void
update_busy (VlHostPage *self)
{
  vl_busy_set (VL_BUSY (self), "checking", self->checking);
  vl_busy_set (VL_BUSY (self), "asking", self->loading_info);
}

/* ---- small widget helpers ----------------------------------------------------------------- */

static void
add_row (GtkListBox *list, GtkWidget *content)
{
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_widget_set_margin_top (content, 8);
  gtk_widget_set_margin_bottom (content, 8);
  gtk_widget_show (content);
  gtk_list_box_insert (list, content, -1);
}

/* ---- the checklist ------------------------------------------------------------------------ */

static void
fill_checklist (VlHostPage *self)
{
  g_autoptr(GPtrArray) items = vl_host_checklist_new (self->report, self->target);

  vl_container_destroy_children (GTK_CONTAINER (self->checklist));
  for (guint i = 0; i < items->len; i++)
    {
      const VlCheckItem *item = g_ptr_array_index (items, i);
      static const struct { const char *icon; const char *style; const char *name; } looks[] = {
        [VL_CHECK_OK] = { "emblem-ok-symbolic", "check-ok", N_("Passed") },
        [VL_CHECK_INFO] = { "dialog-information-symbolic", "dim-label", N_("Note") },
        [VL_CHECK_PLANNED] = { "go-next-symbolic", "check-planned", N_("Planned") },
        [VL_CHECK_PROBLEM] = { "dialog-error-symbolic", "check-problem", N_("Problem") },
      };
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *icon = gtk_image_new_from_icon_name (looks[item->status].icon, GTK_ICON_SIZE_LARGE_TOOLBAR);

      gtk_widget_set_valign (icon, GTK_ALIGN_START);
      gtk_style_context_add_class (gtk_widget_get_style_context (icon), looks[item->status].style);
      /* The ✓ says whether the check passed: a screen reader must say it too. */
      vl_accessible_set_name (icon, _(looks[item->status].name));
      gtk_widget_show (icon);
      gtk_container_add (GTK_CONTAINER (row), icon);
      gtk_container_add (GTK_CONTAINER (texts), vl_host_label_new (item->title, "check-title", FALSE));
      gtk_container_add (GTK_CONTAINER (texts), vl_host_label_new (item->detail, "dim-label", TRUE));
      if (item->advice != NULL)
        gtk_container_add (GTK_CONTAINER (texts), vl_host_label_new (item->advice, NULL, TRUE));
      gtk_widget_set_hexpand (texts, TRUE);
      gtk_widget_show (texts);
      gtk_container_add (GTK_CONTAINER (row), texts);
      gtk_widget_set_name (row, item->id);
      add_row (self->checklist, row);
    }
}

/* ---- the plan preview --------------------------------------------------------------------- */

/* Each step's state while the plan runs, left of its title: not started, running, done, failed. */
typedef enum { STEP_WAITING, STEP_RUNNING, STEP_DONE, STEP_FAILED } StepMark;

static void
set_step_mark (GtkWidget *image, StepMark mark)
{
  static const struct
  {
    const char *icon;
    const char *style;
    const char *name;
  } looks[] = {
    [STEP_WAITING] = { NULL, NULL, N_("Not started") },
    [STEP_RUNNING] = { "media-playback-start-symbolic", "check-planned", N_("Running") },
    [STEP_DONE] = { "emblem-ok-symbolic", "check-ok", N_("Done") },
    [STEP_FAILED] = { "dialog-error-symbolic", "check-problem", N_("Failed") },
  };
  GtkStyleContext *style = gtk_widget_get_style_context (image);

  for (guint i = 0; i < G_N_ELEMENTS (looks); i++)
    if (looks[i].style != NULL)
      gtk_style_context_remove_class (style, looks[i].style);
  if (looks[mark].icon != NULL)
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (image), looks[mark].icon, GTK_ICON_SIZE_LARGE_TOOLBAR);
      gtk_style_context_add_class (style, looks[mark].style);
    }
  else
    gtk_image_clear (GTK_IMAGE (image));
  vl_accessible_set_name (image, _(looks[mark].name));
  gtk_widget_set_tooltip_text (image, _(looks[mark].name));
  g_object_set_data (G_OBJECT (image), "vl-step-mark", GINT_TO_POINTER (mark));
}

/* Marks the rows from the runner's position: the steps before it done, it MARK. */
static void
mark_steps (VlHostPage *self, guint current, StepMark mark)
{
  if (!self->run_is_plan || self->step_marks == NULL)
    return;
  for (guint i = 0; i < self->step_marks->len; i++)
    {
      const VlInstallStep *step = g_ptr_array_index (self->plan->steps, i);

      /* The restart is the user's to do: it stays as it is. */
      if (step->request->kind == VL_STEP_REBOOT)
        continue;
      set_step_mark (g_ptr_array_index (self->step_marks, i), i < current    ? STEP_DONE
                                                              : i == current ? mark
                                                                             : STEP_WAITING);
    }
}

static GtkWidget *
step_row (VlHostPage *self, const VlInstallStep *step, guint number)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *mark = gtk_image_new ();
  g_autofree char *title = g_strdup_printf ("%u. %s", number, step->title);

  /* The column has its width before a run, so the titles do not move when a mark appears. */
  gtk_widget_set_size_request (mark, 24, 24);
  gtk_widget_set_valign (mark, GTK_ALIGN_START);
  gtk_widget_set_name (mark, "step-mark");
  set_step_mark (mark, STEP_WAITING);
  gtk_widget_show (mark);
  gtk_container_add (GTK_CONTAINER (row), mark);
  g_ptr_array_add (self->step_marks, mark);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_widget_show (box);
  gtk_container_add (GTK_CONTAINER (row), box);

  gtk_container_add (GTK_CONTAINER (box), vl_host_label_new (title, "check-title", FALSE));
  gtk_container_add (GTK_CONTAINER (box), vl_host_label_new (step->why, "dim-label", FALSE));
  for (guint i = 0; i < step->commands->len; i++)
    {
      g_autofree char *command = vl_command_to_string (g_ptr_array_index (step->commands, i));
      g_autofree char *shown = g_strdup_printf ("%s %s", step->needs_root ? "#" : "$", command);

      gtk_container_add (GTK_CONTAINER (box), vl_host_label_new (shown, "plan-command", TRUE));
    }
  if (step->file_path != NULL)
    {
      g_autofree char *file = g_strdup_printf (_("Writes %s:"), step->file_path);
      g_autofree char *contents = g_strchomp (g_strdup (step->request->args[1]));

      gtk_container_add (GTK_CONTAINER (box), vl_host_label_new (file, NULL, TRUE));
      gtk_container_add (GTK_CONTAINER (box), vl_host_label_new (contents, "plan-command", TRUE));
    }
  return row;
}

static void
fill_plan (VlHostPage *self)
{
  g_autoptr(GError) error = NULL;
  const char *name = self->target == VL_TARGET_XEN ? _("a Xen dom0") : _("a KVM host");
  g_autofree char *heading = NULL;

  g_clear_pointer (&self->plan, vl_install_plan_free);
  vl_container_destroy_children (GTK_CONTAINER (self->plan_list));
  g_ptr_array_set_size (self->step_marks, 0);
  self->run_is_plan = FALSE;
  self->plan = vl_install_plan_new (self->target, self->report, self->report->distribution, 0, &error);
  if (self->plan == NULL)
    {
      heading = g_strdup (error->message);
      gtk_widget_hide (GTK_WIDGET (self->plan_list));
    }
  else if (self->plan->steps->len == 0)
    {
      heading = g_strdup_printf (_("Nothing to do: this computer is already %s."), name);
      gtk_widget_hide (GTK_WIDGET (self->plan_list));
    }
  else
    {
      heading = g_strdup_printf (_("The plan that makes this computer %s (steps: %u)"), name,
                                 self->plan->steps->len);
      for (guint i = 0; i < self->plan->steps->len; i++)
        add_row (self->plan_list, step_row (self, g_ptr_array_index (self->plan->steps, i), i + 1));
      gtk_widget_show (GTK_WIDGET (self->plan_list));
    }
  gtk_label_set_text (self->plan_heading, heading);
  update_actions (self);
}

/* ---- host information (a hypervisor runs) ------------------------------------------------- */

/* The host's facts are read by core (vl-host-info), as for the Guests page's Host Details; this is
 * the short version, the Guests page shows the rest. */
static void
host_info_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlHostPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VlHostInfo) info = vl_host_info_fetch_uri_finish (result, &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading_info = FALSE;
  update_busy (self);
  if (info == NULL)
    text = g_strdup_printf (_("The hypervisor could not be asked: %s"), error->message);
  else
    {
      g_autofree char *memory = vl_format_kib (info->memory_kib);
      /* "QEMU 7.2.0"; a hypervisor that gives no version is named alone. */
      g_autofree char *hypervisor = g_strjoin (" ", info->hypervisor != NULL ? info->hypervisor : "?",
                                               info->hypervisor_version, NULL);

      text = g_strdup_printf (_("%s through libvirt (%s): %s, %u processors at %u MHz, %s of memory."),
                              hypervisor, self->info_uri, info->cpu_model != NULL ? info->cpu_model : "?",
                              info->cpus, info->mhz, memory);
    }
  gtk_label_set_text (self->host_info_label, text);
  gtk_widget_show (self->host_info_box);
}

static void
load_host_info (VlHostPage *self)
{
  /* Only this computer's hypervisor can be asked; a fixture's is not running anywhere. */
  if (!vl_host_report_libvirt_running (self->report) ||
      (self->host_uri == NULL && !g_str_equal (self->sysroot, "/")))
    {
      gtk_widget_hide (self->host_info_box);
      return;
    }
  g_free (self->info_uri);
  if (self->host_uri != NULL)
    self->info_uri = g_strdup (self->host_uri);
  else
    self->info_uri = g_strdup (self->report->xen_role == VL_XEN_DOM0 ? "xen:///system" : "qemu:///system");
  /* The section takes its place at once, with words about as long as the answer, so that the
   * checklist below does not jump down when the answer arrives. */
  {
    g_autofree char *asking = g_strdup_printf (_("Asking libvirt (%s) for the hypervisor, its version, "
                                                  "the processors and the memory…"),
                                               self->info_uri);

    gtk_label_set_text (self->host_info_label, asking);
    gtk_widget_show (self->host_info_box);
  }
  self->loading_info = TRUE;
  update_busy (self);
  vl_host_info_fetch_uri_async (self->info_uri, self->cancellable, host_info_loaded, g_object_ref (self));
}

/* ---- the benchmark image's part ------------------------------------------------------------ */

/* On each frame after the report is laid out, until the part has settled: the part at the top of
 * the view (or as near as the page's length allows). The part may still grow as its look-up ends. */
static gboolean
scroll_to_bench_image (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  VlHostPage *self = VL_HOST_PAGE (widget);
  GtkWidget *content = gtk_bin_get_child (GTK_BIN (self->report_state));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->report_state);
  int x, y;

  if (self->show_bench_image == 0)
    return G_SOURCE_REMOVE;
  /* The box inside the viewport: its coordinates do not move with the scrolling. */
  if (GTK_IS_VIEWPORT (content))
    content = gtk_bin_get_child (GTK_BIN (content));
  if (!gtk_widget_get_mapped (GTK_WIDGET (self->bench_image)) ||
      !gtk_widget_translate_coordinates (GTK_WIDGET (self->bench_image), content, 0, 0, &x, &y))
    return G_SOURCE_CONTINUE;
  gtk_adjustment_set_value (adjustment, y);
  /* Done after a few frames with nothing left to look up. */
  if (vl_busy_get (VL_BUSY (self->bench_image)))
    self->show_bench_image = 5;
  else
    self->show_bench_image--;
  return self->show_bench_image > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* host.show-part('bench-image'): what win.show-page('host/bench-image') asks for (the Run
 * Benchmarks assistant's way here when the image is missing). */
static void
show_part_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlHostPage *self = user_data;

  if (!g_str_equal (g_variant_get_string (param, NULL), "bench-image"))
    return;
  self->show_bench_image = 5;
  /* Look again: the assistant's refusal may be newer than what the part showed. */
  vl_host_bench_image_check (self->bench_image);
  if (self->report != NULL)
    gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_bench_image, NULL, NULL);
}

/* ---- checking ----------------------------------------------------------------------------- */

static void
show_report (VlHostPage *self)
{
  g_autofree char *summary = vl_host_report_summary (self->report);

  gtk_label_set_text (self->summary_label, summary);
  /* Xen written into the boot menu but not running: the restart is still due. */
  self->reboot_needed = self->reboot_needed ||
                        (self->report->grub_xen_config != NULL && self->report->xen_role != VL_XEN_DOM0);
  gtk_info_bar_set_revealed (self->reboot_bar, self->reboot_needed);
  fill_checklist (self);
  fill_plan (self);
  load_host_info (self);
  {
    VlHelperSystem system = { self->report->distribution, self->report->has_systemd,
                              self->report->init_system };

    vl_host_bench_image_set_system (self->bench_image, &system);
  }
  gtk_stack_set_visible_child_name (self->state_stack, "report");
  if (self->show_bench_image)
    gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_bench_image, NULL, NULL);
}

static void
check_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlHostPage) self = user_data;
  g_autoptr(GError) error = NULL;
  VlHostReport *report = vl_host_check_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->checking = FALSE;
  if (report == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_stack_set_visible_child_name (self->state_stack, "error");
    }
  else
    {
      g_clear_pointer (&self->report, vl_host_report_free);
      self->report = report;
      show_report (self);
    }
  update_actions (self);
  update_busy (self);
}

static void
check_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlHostPage *self = user_data;

  if (self->checking)
    return;
  self->checking = TRUE;
  self->checked_once = TRUE;
  if (self->report == NULL)
    gtk_stack_set_visible_child_name (self->state_stack, "checking");
  update_actions (self);
  update_busy (self);
  vl_host_check_async (self->sysroot, self->cancellable, check_done, g_object_ref (self));
  vl_host_bench_image_check (self->bench_image);
}

static void
target_changed (GSimpleAction *action, GVariant *value, gpointer user_data)
{
  VlHostPage *self = user_data;
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));

  /* The radio buttons are actionable: they follow this state, whoever changes it. While they
   * follow it, GTK 3 makes each one it switches "clicked", which asks for that radio's target:
   * those requests come from us, not from the user, and are ignored (else the two radios of the
   * group would ask for their targets in turn, forever). */
  if (self->changing_target || g_variant_equal (state, value) ||
      !vl_hypervisor_target_from_string (g_variant_get_string (value, NULL), &self->target))
    return;
  self->changing_target = TRUE;
  g_simple_action_set_state (action, value);
  self->changing_target = FALSE;
  if (self->report != NULL)
    {
      fill_checklist (self);
      fill_plan (self);
    }
}

/* ---- installing --------------------------------------------------------------------------- */

static void
runner_output (VlInstallRunner *runner, const char *line, VlHostPage *self)
{
  vl_host_log_append (self->log_view, line);
}

static void
runner_progress (VlInstallRunner *runner, double fraction, const char *text, VlHostPage *self)
{
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  if (text != NULL && text[0] != '\0')
    gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
runner_step_started (VlInstallRunner *runner, guint index, VlHostPage *self)
{
  mark_steps (self, index, STEP_RUNNING);
}

static void
runner_finished (VlInstallRunner *runner, int state, VlHostPage *self)
{
  const char *error = vl_install_runner_get_error (runner);
  guint current = vl_install_runner_get_current_step (runner);

  mark_steps (self, state == VL_RUNNER_SUCCEEDED ? G_MAXUINT : current,
              state == VL_RUNNER_FAILED ? STEP_FAILED : STEP_WAITING);

  gtk_widget_set_visible (GTK_WIDGET (self->run_error_label), state == VL_RUNNER_FAILED);
  if (state == VL_RUNNER_FAILED)
    gtk_label_set_text (self->run_error_label, error);
  else if (state == VL_RUNNER_SUCCEEDED)
    {
      self->reboot_needed = vl_install_plan_needs_reboot (vl_install_runner_get_plan (runner));
      gtk_progress_bar_set_text (self->progress_bar, self->reboot_needed ? _("Done: restart to start Xen")
                                                                         : _("Done"));
      /* Check again: the checklist turns green and the host information appears. */
      check_activated (NULL, NULL, self);
    }
  else if (state == VL_RUNNER_CANCELLED)
    gtk_progress_bar_set_text (self->progress_bar, _("Cancelled"));
  update_actions (self);
}

/* Runs PLAN (the install, or its undo) through the helper; NULL: shows ERROR instead. IS_PREVIEW:
 * PLAN has the steps of the preview's rows, which then show each step's state. */
static void
run_plan (VlHostPage *self, VlInstallPlan *plan, gboolean is_preview, const GError *error)
{
  g_auto(GStrv) argv = vl_host_helper_argv (self->sysroot);
  g_autofree char *log_path = vl_install_runner_default_log_path ();
  g_autofree char *log_text = g_strdup_printf (_("A copy of this log is kept in %s"), log_path);

  if (plan == NULL)
    {
      gtk_label_set_text (self->run_error_label, error->message);
      gtk_widget_show (GTK_WIDGET (self->run_error_label));
      return;
    }
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
  self->runner = vl_install_runner_new (plan, (const char *const *) argv, log_path);
  g_signal_connect (self->runner, "output", G_CALLBACK (runner_output), self);
  g_signal_connect (self->runner, "progress", G_CALLBACK (runner_progress), self);
  g_signal_connect (self->runner, "step-started", G_CALLBACK (runner_step_started), self);
  g_signal_connect (self->runner, "finished", G_CALLBACK (runner_finished), self);
  self->run_is_plan = is_preview && self->plan != NULL && plan->steps->len == self->plan->steps->len;
  mark_steps (self, 0, STEP_WAITING);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->log_view), "", 0);
  gtk_label_set_text (self->log_path_label, log_text);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Waiting for the administrator password…"));
  gtk_widget_hide (GTK_WIDGET (self->run_error_label));
  gtk_widget_show (self->progress_box);
  vl_install_runner_start (self->runner);
  update_actions (self);
}

static void
install_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlHostPage *self = user_data;
  g_autoptr(GError) error = NULL;
  VlInstallPlan *plan = vl_install_plan_new (self->target, self->report, self->report->distribution, 0,
                                             &error);

  run_plan (self, plan, TRUE, error);
}

/* The Xen plan's boot settings undone: the earlier GRUB file back (or Virtlab's removed), the
 * menu written again. Offered while Virtlab's GRUB file is there. */
static void
undo_boot_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlHostPage *self = user_data;
  g_autoptr(GError) error = NULL;
  VlInstallPlan *plan = vl_install_plan_new_undo (VL_TARGET_XEN, self->report, self->report->distribution,
                                                  &error);

  run_plan (self, plan, FALSE, error);
}

static void
cancel_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlHostPage *self = user_data;

  if (self->runner != NULL)
    vl_install_runner_cancel (self->runner);
}

static void
retry_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlHostPage *self = user_data;

  if (self->runner == NULL)
    return;
  gtk_widget_hide (GTK_WIDGET (self->run_error_label));
  vl_install_runner_retry (self->runner);
  update_actions (self);
}

static void
update_actions (VlHostPage *self)
{
  VlRunnerState state = self->runner != NULL ? vl_install_runner_get_state (self->runner) : VL_RUNNER_IDLE;
  gboolean running = state == VL_RUNNER_RUNNING;
  gboolean has_work = self->plan != NULL && vl_install_plan_count_pending (self->plan) > 0 &&
                      !(self->plan->steps->len == 1 && vl_install_plan_needs_reboot (self->plan));
  gboolean can_undo;
  GAction *undo;
  struct { const char *name; gboolean enabled; } states[] = {
    { "check", !self->checking && !running },
    { "install", has_work && !running && !self->checking },
    { "cancel", running },
    { "retry", state == VL_RUNNER_FAILED || state == VL_RUNNER_CANCELLED },
    { "target", !running },
  };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), states[i].name);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), states[i].enabled);
    }
  /* The undo of the boot settings: while Virtlab's GRUB file for Xen is there. */
  can_undo = self->report != NULL && self->target == VL_TARGET_XEN && self->report->grub_xen_config != NULL;
  undo = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "undo-boot");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (undo), can_undo && !running && !self->checking);
  gtk_widget_set_visible (self->undo_button, can_undo);
  gtk_label_set_text (self->root_hint, geteuid () == 0 ? _("Runs as root: no password is asked.")
                                                       : _("Asks for the administrator password once."));
}

/* ---- GObject ------------------------------------------------------------------------------ */

static const GActionEntry action_entries[] = {
  { "check", check_activated },
  { "install", install_activated },
  { "undo-boot", undo_boot_activated },
  { "cancel", cancel_activated },
  { "retry", retry_activated },
  { "target", NULL, "s", "'kvm'", target_changed },
  { "show-part", show_part_activated, "s" },
};

static void
vl_host_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VlHostPage *self = VL_HOST_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, vl_busy_get (VL_BUSY (self)));
      break;
    case PROP_SYSROOT:
      g_value_set_string (value, self->sysroot);
      break;
    case PROP_HOST_URI:
      g_value_set_string (value, self->host_uri);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vl_host_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  VlHostPage *self = VL_HOST_PAGE (object);

  switch (prop_id)
    {
    case PROP_SYSROOT:
      g_free (self->sysroot);
      self->sysroot = g_strdup (g_value_get_string (value) ?: "/");
      break;
    case PROP_HOST_URI:
      g_free (self->host_uri);
      self->host_uri = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vl_host_page_dispose (GObject *object)
{
  VlHostPage *self = VL_HOST_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
  g_clear_object (&self->actions);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (vl_host_page_parent_class)->dispose (object);
}

static void
vl_host_page_finalize (GObject *object)
{
  VlHostPage *self = VL_HOST_PAGE (object);

  g_clear_pointer (&self->report, vl_host_report_free);
  g_clear_pointer (&self->plan, vl_install_plan_free);
  g_clear_pointer (&self->step_marks, g_ptr_array_unref);
  g_free (self->sysroot);
  g_free (self->host_uri);
  g_free (self->info_uri);
  G_OBJECT_CLASS (vl_host_page_parent_class)->finalize (object);
}

/* The check is cheap (it reads /proc, /sys and the package database, in a thread): it starts the
 * first time the page is shown, so that the user sees the report without asking for it. */
static void
vl_host_page_map (GtkWidget *widget)
{
  VlHostPage *self = VL_HOST_PAGE (widget);

  GTK_WIDGET_CLASS (vl_host_page_parent_class)->map (widget);
  if (!self->checked_once)
    check_activated (NULL, NULL, self);
}

static void
vl_host_page_class_init (VlHostPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = vl_host_page_get_property;
  object_class->set_property = vl_host_page_set_property;
  object_class->dispose = vl_host_page_dispose;
  object_class->finalize = vl_host_page_finalize;
  widget_class->map = vl_host_page_map;

  /* The system the page checks and sets up: "/" or, for tests and chroots, a folder. */
  properties[PROP_SYSROOT] = g_param_spec_string ("sysroot", NULL, NULL, "/",
                                                  G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* The libvirt URI whose host information is shown once a hypervisor runs; by default
   * qemu:///system, or xen:///system on a dom0. */
  properties[PROP_HOST_URI] = g_param_spec_string ("host-uri", NULL, NULL, NULL,
                                                   G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  vl_busy_class_install (object_class, PROP_BUSY);

  g_type_ensure (VL_TYPE_HOST_BENCH_IMAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/virtlab/Virtlab/vl-host-page.ui");
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, undo_button);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, reboot_bar);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, host_info_box);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, host_info_label);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, checklist);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, plan_heading);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, plan_list);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, root_hint);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, progress_box);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, run_error_label);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, log_view);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, log_path_label);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, report_state);
  gtk_widget_class_bind_template_child (widget_class, VlHostPage, bench_image);
}

static void
vl_host_page_init (VlHostPage *self)
{
  self->sysroot = g_strdup ("/");
  self->cancellable = g_cancellable_new ();
  self->step_marks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), action_entries,
                                   G_N_ELEMENTS (action_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "host", G_ACTION_GROUP (self->actions));
  /* The part's system is the page's; the page is busy while the part looks or prepares. */
  g_object_bind_property (self, "sysroot", self->bench_image, "sysroot", G_BINDING_SYNC_CREATE);
  vl_busy_follow (VL_BUSY (self), VL_BUSY (self->bench_image));
  update_actions (self);
}
