/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Host page's "Benchmark Image" part: where the benchmark guest image is, and its preparation as
 * root through the privileged helper (the bench-image step) when a user cannot build it. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "vl-bench-image-plan.h"
#include "vl-bench-image-status.h"
#include "vl-busy.h"
#include "vl-host-bench-image.h"
#include "vl-host-widgets.h"
#include "vl-install-runner.h"
#include "vl-widgets.h"

struct _VlHostBenchImage
{
  GtkBox parent_instance;

  GtkWidget *state_icon;
  GtkLabel *state_title;
  GtkLabel *state_detail;
  GtkLabel *state_advice;
  GtkWidget *plan_box; /* the plan and its buttons: while the image is missing */
  GtkWidget *step_mark;
  GtkLabel *root_hint;
  GtkWidget *progress_box;
  GtkProgressBar *progress_bar;
  GtkLabel *run_error_label;
  GtkTextView *log_view;
  GtkLabel *log_path_label;

  GSimpleActionGroup *actions;
  GCancellable *cancellable;
  char *sysroot;
  VlHelperSystem system;
  VlBenchImageStatus *status; /* NULL: not known (being looked for, or the look-up failed) */
  VlInstallRunner *runner;
  gboolean checking;
  gboolean checked_once;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (VlHostBenchImage, vl_host_bench_image, GTK_TYPE_BOX,
                               G_IMPLEMENT_INTERFACE (VL_TYPE_BUSY, NULL))

enum { PROP_0, PROP_SYSROOT, N_PROPS, PROP_BUSY = N_PROPS /* VlBusy's */ };
static GParamSpec *properties[N_PROPS];

static void update_actions (VlHostBenchImage *self);

static void
set_icon (GtkWidget *icon, const char *name, const char *style, const char *said)
{
  GtkStyleContext *context = gtk_widget_get_style_context (icon);
  const char *styles[] = { "check-ok", "check-planned", "check-problem", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_style_context_remove_class (context, styles[i]);
  if (name != NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), name, GTK_ICON_SIZE_LARGE_TOOLBAR);
  else
    gtk_image_clear (GTK_IMAGE (icon));
  if (style != NULL)
    gtk_style_context_add_class (context, style);
  /* The icon says the state: a screen reader must say it too. */
  vl_accessible_set_name (icon, said);
  gtk_widget_set_tooltip_text (icon, said);
}

static void
set_label (GtkLabel *label, const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && text[0] != '\0');
}

/* ---- the state ---------------------------------------------------------------------------------- */

static void
show_state (VlHostBenchImage *self, const GError *error)
{
  const VlBenchImageStatus *status = self->status;
  g_autofree char *detail = NULL;
  const char *title = NULL, *advice = NULL;

  if (self->checking && status == NULL)
    {
      set_icon (self->state_icon, "content-loading-symbolic", "dim-label", _("Checking"));
      title = _("Looking for the benchmark guest image…");
    }
  else if (status == NULL)
    {
      set_icon (self->state_icon, "dialog-error-symbolic", "check-problem", _("Problem"));
      title = _("Whether the benchmark guest image is ready could not be found out");
      detail = g_strdup (error != NULL ? error->message : "");
    }
  else
    switch (status->state)
      {
      case VL_BENCH_IMAGE_OWN_CACHE:
        set_icon (self->state_icon, "emblem-ok-symbolic", "check-ok", _("Passed"));
        title = _("Ready, in your own cache");
        detail = g_strdup_printf (_("Benchmark runs use the image in %s."), status->dir);
        break;
      case VL_BENCH_IMAGE_SHARED_CACHE:
        set_icon (self->state_icon, "emblem-ok-symbolic", "check-ok", _("Passed"));
        title = _("Ready, prepared as root for every user");
        detail = g_strdup_printf (_("Benchmark runs use the image in %s."), status->dir);
        break;
      case VL_BENCH_IMAGE_BUILDABLE:
        set_icon (self->state_icon, "dialog-information-symbolic", "dim-label", _("Note"));
        title = _("Not built yet: the first benchmark run builds it, as you");
        detail = g_strcmp0 (status->mode, "unshare") == 0
                   ? g_strdup (_("This system lets you build it without the administrator "
                                  "(mmdebstrap --mode=unshare); it adds a few minutes to the first run."))
                   : g_strdup (_("It adds a few minutes to the first run."));
        advice = _("Or prepare it now, once for every user of this computer:");
        break;
      case VL_BENCH_IMAGE_UNBUILDABLE:
      default:
        set_icon (self->state_icon, "dialog-error-symbolic", "check-problem", _("Problem"));
        title = _("Not built yet, and you cannot build it here");
        detail = g_strdup_printf (_("Benchmark runs refuse to start until it is prepared: %s."),
                                  status->reason);
        advice = _("Prepare it as root, once for every user of this computer:");
        break;
      }
  set_label (self->state_title, title);
  set_label (self->state_detail, detail);
  set_label (self->state_advice, advice);
  gtk_widget_set_visible (self->plan_box, status != NULL && !vl_bench_image_status_is_ready (status));
  update_actions (self);
}

static void
status_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlHostBenchImage) self = user_data;
  g_autoptr(GError) error = NULL;
  VlBenchImageStatus *status = vl_bench_image_status_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->checking = FALSE;
  vl_busy_set (VL_BUSY (self), "checking", FALSE);
  g_clear_pointer (&self->status, vl_bench_image_status_free);
  self->status = status;
  show_state (self, error);
}

void
vl_host_bench_image_check (VlHostBenchImage *self)
{
  g_autofree char *shared = NULL;

  g_return_if_fail (VL_IS_HOST_BENCH_IMAGE (self));
  if (self->checking)
    return;
  self->checking = TRUE;
  self->checked_once = TRUE;
  vl_busy_set (VL_BUSY (self), "checking", TRUE);
  /* Another system (a chroot, a test's tree): the helper builds into its shared cache. */
  if (!g_str_equal (self->sysroot, "/"))
    shared = g_build_filename (self->sysroot, VL_BENCH_IMAGE_ROOT_CACHE, NULL);
  /* What was known stays shown while the script looks again: the page does not jump. */
  show_state (self, NULL);
  vl_bench_image_status_async (shared, self->cancellable, status_done, g_object_ref (self));
}

void
vl_host_bench_image_set_system (VlHostBenchImage *self, const VlHelperSystem *system)
{
  g_return_if_fail (VL_IS_HOST_BENCH_IMAGE (self));
  self->system = *system;
}

/* ---- preparing ---------------------------------------------------------------------------------- */

static void
runner_output (VlInstallRunner *runner, const char *line, VlHostBenchImage *self)
{
  vl_host_log_append (self->log_view, line);
  /* The script's own lines say what it does ("vl-bench-image: …"): the newest one is the progress. */
  if (g_str_has_prefix (line, "vl-bench-image: "))
    gtk_progress_bar_set_text (self->progress_bar, line + strlen ("vl-bench-image: "));
  gtk_progress_bar_pulse (self->progress_bar);
}

static void
runner_step_started (VlInstallRunner *runner, guint index, VlHostBenchImage *self)
{
  set_icon (self->step_mark, "media-playback-start-symbolic", "check-planned", _("Running"));
  gtk_progress_bar_set_text (self->progress_bar, _("Building the benchmark guest image…"));
}

static void
runner_finished (VlInstallRunner *runner, int state, VlHostBenchImage *self)
{
  gboolean ok = state == VL_RUNNER_SUCCEEDED;

  /* The step's mark, as the page's plan shows its steps: done, failed, or not started (cancelled). */
  if (ok)
    set_icon (self->step_mark, "emblem-ok-symbolic", "check-ok", _("Done"));
  else if (state == VL_RUNNER_FAILED)
    set_icon (self->step_mark, "dialog-error-symbolic", "check-problem", _("Failed"));
  else
    set_icon (self->step_mark, NULL, NULL, _("Not started"));
  gtk_progress_bar_set_fraction (self->progress_bar, ok ? 1 : 0);
  gtk_progress_bar_set_text (self->progress_bar, ok                          ? _("Done")
                                                 : state == VL_RUNNER_FAILED ? _("Failed")
                                                                             : _("Cancelled"));
  gtk_widget_set_visible (GTK_WIDGET (self->run_error_label), state == VL_RUNNER_FAILED);
  if (state == VL_RUNNER_FAILED)
    gtk_label_set_text (self->run_error_label, vl_install_runner_get_error (runner));
  vl_busy_set (VL_BUSY (self), "preparing", FALSE);
  update_actions (self);
  /* Look again: the image is in root's shared cache now. */
  if (ok)
    vl_host_bench_image_check (self);
}

static void
start_runner (VlHostBenchImage *self)
{
  g_auto(GStrv) argv = vl_host_helper_argv (self->sysroot);
  g_autofree char *log_path = g_build_filename (g_get_user_cache_dir (), "virtlab", "bench-image-setup.log",
                                                NULL);
  g_autofree char *log_text = g_strdup_printf (_("A copy of this log is kept in %s"), log_path);

  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
  self->runner = vl_install_runner_new (vl_bench_image_plan_new (&self->system), (const char *const *) argv,
                                        log_path);
  g_signal_connect (self->runner, "output", G_CALLBACK (runner_output), self);
  g_signal_connect (self->runner, "step-started", G_CALLBACK (runner_step_started), self);
  g_signal_connect (self->runner, "finished", G_CALLBACK (runner_finished), self);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->log_view), "", 0);
  gtk_label_set_text (self->log_path_label, log_text);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, _("Waiting for the administrator password…"));
  gtk_widget_hide (GTK_WIDGET (self->run_error_label));
  gtk_widget_show (self->progress_box);
  vl_busy_set (VL_BUSY (self), "preparing", TRUE);
  vl_install_runner_start (self->runner);
  update_actions (self);
}

static void
prepare_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  start_runner (user_data);
}

static void
cancel_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlHostBenchImage *self = user_data;

  if (self->runner != NULL)
    vl_install_runner_cancel (self->runner);
}

static void
retry_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  VlHostBenchImage *self = user_data;

  if (self->runner == NULL)
    return;
  gtk_widget_hide (GTK_WIDGET (self->run_error_label));
  vl_busy_set (VL_BUSY (self), "preparing", TRUE);
  vl_install_runner_retry (self->runner);
  update_actions (self);
}

static void
check_activated (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  vl_host_bench_image_check (user_data);
}

static void
update_actions (VlHostBenchImage *self)
{
  VlRunnerState state = self->runner != NULL ? vl_install_runner_get_state (self->runner) : VL_RUNNER_IDLE;
  gboolean running = state == VL_RUNNER_RUNNING;
  gboolean missing = self->status != NULL && !vl_bench_image_status_is_ready (self->status);
  struct
  {
    const char *name;
    gboolean enabled;
  } states[] = {
    { "check", !self->checking && !running },
    { "prepare", missing && !running && !self->checking },
    { "cancel", running },
    { "retry", missing && (state == VL_RUNNER_FAILED || state == VL_RUNNER_CANCELLED) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), states[i].name);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), states[i].enabled);
    }
  gtk_label_set_text (self->root_hint, geteuid () == 0 ? _("Runs as root: no password is asked.")
                                                       : _("Asks for the administrator password once."));
}

/* ---- building ----------------------------------------------------------------------------------- */

static GtkWidget *
new_button (const char *label, const char *action, const char *style)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (style != NULL)
    gtk_style_context_add_class (gtk_widget_get_style_context (button), style);
  gtk_widget_show (button);
  return button;
}

/* The state row, in a framed list like the page's checklist. */
static GtkWidget *
build_state (VlHostBenchImage *self)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_style_context_add_class (gtk_widget_get_style_context (list), "frame");
  self->state_icon = gtk_image_new ();
  gtk_widget_set_size_request (self->state_icon, 24, 24);
  gtk_widget_set_valign (self->state_icon, GTK_ALIGN_START);
  gtk_container_add (GTK_CONTAINER (row), self->state_icon);
  self->state_title = GTK_LABEL (vl_host_label_new (NULL, "check-title", FALSE));
  self->state_detail = GTK_LABEL (vl_host_label_new (NULL, "dim-label", TRUE));
  self->state_advice = GTK_LABEL (vl_host_label_new (NULL, NULL, FALSE));
  /* Shown when they have text (set_label), whatever show_all the page calls. */
  gtk_widget_set_no_show_all (GTK_WIDGET (self->state_detail), TRUE);
  gtk_widget_set_no_show_all (GTK_WIDGET (self->state_advice), TRUE);
  gtk_container_add (GTK_CONTAINER (texts), GTK_WIDGET (self->state_title));
  gtk_container_add (GTK_CONTAINER (texts), GTK_WIDGET (self->state_detail));
  gtk_container_add (GTK_CONTAINER (texts), GTK_WIDGET (self->state_advice));
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_container_add (GTK_CONTAINER (row), texts);
  gtk_widget_set_name (row, "bench-image-state");
  g_object_set (row, "margin-start", 12, "margin-end", 12, "margin-top", 8, "margin-bottom", 8, NULL);
  gtk_widget_show_all (row);
  gtk_container_add (GTK_CONTAINER (list), row);
  gtk_widget_show (list);
  return list;
}

/* The plan of one step, with its command shown before it runs, and its buttons. */
static GtkWidget *
build_plan (VlHostBenchImage *self)
{
  g_autoptr(VlInstallPlan) plan = vl_bench_image_plan_new (&self->system);
  const VlInstallStep *step = g_ptr_array_index (plan->steps, 0);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autofree char *title = g_strdup_printf ("1. %s", step->title);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_style_context_add_class (gtk_widget_get_style_context (list), "frame");
  self->step_mark = gtk_image_new ();
  gtk_widget_set_size_request (self->step_mark, 24, 24);
  gtk_widget_set_valign (self->step_mark, GTK_ALIGN_START);
  gtk_widget_set_name (self->step_mark, "bench-image-step-mark");
  set_icon (self->step_mark, NULL, NULL, _("Not started"));
  gtk_container_add (GTK_CONTAINER (row), self->step_mark);
  gtk_container_add (GTK_CONTAINER (texts), vl_host_label_new (title, "check-title", FALSE));
  gtk_container_add (GTK_CONTAINER (texts), vl_host_label_new (step->why, "dim-label", FALSE));
  for (guint i = 0; i < step->commands->len; i++)
    {
      g_autofree char *command = vl_command_to_string (g_ptr_array_index (step->commands, i));
      g_autofree char *shown = g_strdup_printf ("# %s", command);

      gtk_container_add (GTK_CONTAINER (texts), vl_host_label_new (shown, "plan-command", TRUE));
    }
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_container_add (GTK_CONTAINER (row), texts);
  g_object_set (row, "margin-start", 12, "margin-end", 12, "margin-top", 8, "margin-bottom", 8, NULL);
  gtk_widget_show_all (row);
  gtk_container_add (GTK_CONTAINER (list), row);
  gtk_widget_show (list);
  gtk_container_add (GTK_CONTAINER (box), list);

  gtk_container_add (GTK_CONTAINER (buttons), new_button (_("_Prepare the Benchmark Image"),
                                                          "bench-image.prepare", "suggested-action"));
  gtk_container_add (GTK_CONTAINER (buttons), new_button (_("_Cancel"), "bench-image.cancel", NULL));
  gtk_container_add (GTK_CONTAINER (buttons), new_button (_("_Try Again"), "bench-image.retry", NULL));
  self->root_hint = GTK_LABEL (vl_host_label_new (NULL, "dim-label", FALSE));
  gtk_container_add (GTK_CONTAINER (buttons), GTK_WIDGET (self->root_hint));
  gtk_widget_show (buttons);
  gtk_container_add (GTK_CONTAINER (box), buttons);
  gtk_widget_set_no_show_all (box, TRUE);
  return box;
}

static GtkWidget *
build_progress (VlHostBenchImage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);

  self->progress_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->progress_bar, TRUE);
  gtk_progress_bar_set_pulse_step (self->progress_bar, 0.05);
  gtk_container_add (GTK_CONTAINER (box), GTK_WIDGET (self->progress_bar));
  self->run_error_label = GTK_LABEL (vl_host_label_new (NULL, "host-error", TRUE));
  gtk_widget_set_no_show_all (GTK_WIDGET (self->run_error_label), TRUE);
  gtk_widget_hide (GTK_WIDGET (self->run_error_label));
  gtk_container_add (GTK_CONTAINER (box), GTK_WIDGET (self->run_error_label));
  self->log_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  g_object_set (self->log_view, "editable", FALSE, "monospace", TRUE, "wrap-mode", GTK_WRAP_WORD_CHAR,
                "cursor-visible", FALSE, NULL);
  gtk_widget_set_size_request (scrolled, -1, 180);
  gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (scrolled), GTK_SHADOW_IN);
  gtk_container_add (GTK_CONTAINER (scrolled), GTK_WIDGET (self->log_view));
  gtk_container_add (GTK_CONTAINER (box), scrolled);
  self->log_path_label = GTK_LABEL (vl_host_label_new (NULL, "dim-label", TRUE));
  gtk_container_add (GTK_CONTAINER (box), GTK_WIDGET (self->log_path_label));
  gtk_widget_show_all (box);
  gtk_widget_set_no_show_all (box, TRUE);
  gtk_widget_hide (box);
  return box;
}

/* ---- GObject ------------------------------------------------------------------------------------ */

static const GActionEntry action_entries[] = {
  { "check", check_activated },
  { "prepare", prepare_activated },
  { "cancel", cancel_activated },
  { "retry", retry_activated },
};

static void
vl_host_bench_image_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  VlHostBenchImage *self = VL_HOST_BENCH_IMAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, vl_busy_get (VL_BUSY (self)));
      break;
    case PROP_SYSROOT:
      g_value_set_string (value, self->sysroot);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vl_host_bench_image_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  VlHostBenchImage *self = VL_HOST_BENCH_IMAGE (object);

  switch (prop_id)
    {
    case PROP_SYSROOT:
      g_free (self->sysroot);
      self->sysroot = g_strdup (g_value_get_string (value) ?: "/");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vl_host_bench_image_dispose (GObject *object)
{
  VlHostBenchImage *self = VL_HOST_BENCH_IMAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
  g_clear_object (&self->actions);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (vl_host_bench_image_parent_class)->dispose (object);
}

static void
vl_host_bench_image_finalize (GObject *object)
{
  VlHostBenchImage *self = VL_HOST_BENCH_IMAGE (object);

  g_clear_pointer (&self->status, vl_bench_image_status_free);
  g_free (self->sysroot);
  G_OBJECT_CLASS (vl_host_bench_image_parent_class)->finalize (object);
}

/* The look-up is cheap (the script's --check, in a thread): it starts when the part is first shown. */
static void
vl_host_bench_image_map (GtkWidget *widget)
{
  VlHostBenchImage *self = VL_HOST_BENCH_IMAGE (widget);

  GTK_WIDGET_CLASS (vl_host_bench_image_parent_class)->map (widget);
  if (!self->checked_once)
    vl_host_bench_image_check (self);
}

static void
vl_host_bench_image_class_init (VlHostBenchImageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = vl_host_bench_image_get_property;
  object_class->set_property = vl_host_bench_image_set_property;
  object_class->dispose = vl_host_bench_image_dispose;
  object_class->finalize = vl_host_bench_image_finalize;
  widget_class->map = vl_host_bench_image_map;

  /* The system whose image is prepared: "/" or, for tests and chroots, a folder (as the page's). */
  properties[PROP_SYSROOT] = g_param_spec_string ("sysroot", NULL, NULL, "/",
                                                  G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  vl_busy_class_install (object_class, PROP_BUSY);
}

static void
vl_host_bench_image_init (VlHostBenchImage *self)
{
  GtkWidget *heading;
  GtkWidget *text;

  self->sysroot = g_strdup ("/");
  self->cancellable = g_cancellable_new ();
  self->system = (VlHelperSystem){ VL_DISTRIBUTION_DEBIAN, FALSE, VL_INIT_NONE };
  /* The actions first: the buttons find them as they are made. */
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), action_entries,
                                   G_N_ELEMENTS (action_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "bench-image", G_ACTION_GROUP (self->actions));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_widget_set_name (GTK_WIDGET (self), "bench-image");

  heading = vl_host_label_new (_("Benchmark Image"), "host-heading", FALSE);
  gtk_widget_set_margin_top (heading, 6);
  gtk_container_add (GTK_CONTAINER (self), heading);
  text = vl_host_label_new (_("The Run Benchmarks assistant boots its guests from one Debian image, built "
                               "once and "
                               "kept in a cache."),
                            "dim-label", FALSE);
  gtk_container_add (GTK_CONTAINER (self), text);
  gtk_container_add (GTK_CONTAINER (self), build_state (self));
  self->plan_box = build_plan (self);
  gtk_container_add (GTK_CONTAINER (self), self->plan_box);
  self->progress_box = build_progress (self);
  gtk_container_add (GTK_CONTAINER (self), self->progress_box);

  show_state (self, NULL);
}

GtkWidget *
vl_host_bench_image_new (void)
{
  return g_object_new (VL_TYPE_HOST_BENCH_IMAGE, NULL);
}
