/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Run Benchmarks…, the run: the job started in its worker thread (vl-bench-job), its lines shown as the
 * phase, the test and run, the time and the guest's console; Cancel (asked first); and the end, the
 * result saved and opened. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-bench-assistant-private.h"

/* ---- progress ------------------------------------------------------------------------------------ */

static double
seconds_since_start (VlBenchAssistant *self)
{
  return (g_get_monotonic_time () - self->started) / (double) G_USEC_PER_SEC;
}

static void
update_time (VlBenchAssistant *self)
{
  double now = seconds_since_start (self);
  guint elapsed = (guint) now;
  guint done_configs = self->progress.config > 0 ? (guint) self->progress.config : 0;
  guint estimate = vl_bench_estimate_running (self->estimate, MAX (self->first_started, 0), now, done_configs,
                                              self->names != NULL ? g_strv_length (self->names) : 0);
  g_autofree char *done = vl_bench_assistant_format_duration (elapsed);
  g_autofree char *all = vl_bench_assistant_format_duration (estimate);
  g_autofree char *text = g_strdup_printf (_("Elapsed %s of about %s"), done, all);

  gtk_label_set_text (GTK_LABEL (self->time_label), text);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->bar), estimate > 0 ? MIN (0.99, now / estimate) : 0);
}

static gboolean
tick (gpointer user_data)
{
  update_time (user_data);
  return G_SOURCE_CONTINUE;
}

static void
job_line (const char *line, gpointer user_data)
{
  VlBenchAssistant *self = user_data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->console));
  GtkTextIter end;
  guint n = g_strv_length (self->names);

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, line, -1);
  gtk_text_buffer_insert (buffer, &end, "\n", 1);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->console), gtk_text_buffer_get_insert (buffer), 0, FALSE,
                                0, 1);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_text_view_scroll_mark_onscreen (GTK_TEXT_VIEW (self->console), gtk_text_buffer_get_insert (buffer));

  if (!vl_bench_progress_read (&self->progress, line, (const char *const *) self->names))
    return;
  if (self->progress.config >= 0 && self->first_started < 0)
    self->first_started = seconds_since_start (self);
  update_time (self);
  if (self->progress.config < 0 && self->progress.image_steps > 0)
    {
      g_autofree char *step = g_strdup_printf (_("Step %u of %u: %s"), self->progress.image_step,
                                               self->progress.image_steps,
                                               vl_bench_image_step_title (&self->progress));

      gtk_label_set_text (GTK_LABEL (self->phase_label), _("Building the benchmark image"));
      gtk_label_set_text (GTK_LABEL (self->test_label), step);
      return;
    }
  if (self->progress.config >= 0)
    {
      g_autofree char *phase = g_strdup_printf (_("Configuration %d of %u: %s"), self->progress.config + 1,
                                                n, self->names[self->progress.config]);

      gtk_label_set_text (GTK_LABEL (self->phase_label), phase);
    }
  if (self->progress.test != NULL)
    {
      g_autofree char *test = g_strdup_printf (_("Test %s, run %u of %u"),
                                               vl_bench_test_title (self->progress.test), self->progress.run,
                                               self->progress.runs);

      gtk_label_set_text (GTK_LABEL (self->test_label), test);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->test_label), _("Starting the guest…"));
}

/* Old copies of the image go once a run has used the newest (off the main loop: they are large). */
static void
prune_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autofree char *cache_root = vl_bench_image_own_cache (task_data);

  if (cache_root != NULL)
    vl_bench_image_prune (cache_root, task_data, VL_BENCH_IMAGES_KEPT);
  g_task_return_boolean (task, TRUE);
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlBenchAssistant) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VlBenchOutcome) outcome = vl_bench_job_run_finish (result, &error);
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean cancelled = g_cancellable_is_cancelled (self->job_cancel);

  self->running = FALSE;
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_pointer (&self->confirm, gtk_widget_destroy);
  update_time (self);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->bar), 1);
  if (outcome == NULL)
    {
      /* Refused before anything was made: a connection, the image. */
      g_string_append_printf (text, _("The benchmarks did not start, and nothing was created: %s"),
                              error->message);
    }
  else
    {
      if (cancelled)
        g_string_append_printf (text, "%s\n",
                                _("Cancelled: the benchmark guests were stopped and their disks deleted."));
      for (guint i = 0; i < outcome->reports->len; i++)
        {
          VlBenchReport *report = g_ptr_array_index (outcome->reports, i);

          if (report->error != NULL)
            g_string_append_printf (text, _("“%s”: %s\n"), report->name, report->error);
          else
            g_string_append_printf (text, _("“%s”: %u figures in %.0f s\n"), report->name, report->figures,
                                    report->seconds_total);
        }
      if (outcome->set == NULL)
        g_string_append (text, _("No configuration gave any result: no result file was written."));
      else
        {
          g_autofree char *data_dir = vl_result_benchmarks_dir ();
          g_autofree char *pts_dir = vl_result_pts_user_results_dir ();
          g_autofree char *saved = NULL, *pts = NULL;

          if (vl_result_set_save_pts (outcome->set, outcome->set->title, data_dir, pts_dir, &saved, &pts,
                                      &error))
            {
              g_string_append_printf (text,
                                      outcome->incomplete
                                        ? _("The result file %s is saved, marked incomplete, and open on "
                                             "the Results page.")
                                        : _("The result file %s is saved and open on the Results page."),
                                      saved);
              /* The copy where PTS looks: the Results page finds it there by itself too, so opening
               * that one shows the comparison once. */
              vl_bench_assistant_emit_result_saved (self, pts != NULL ? pts : saved);
            }
          else
            g_string_append_printf (text, _("The result file could not be saved: %s"), error->message);
        }
    }
  if (outcome != NULL && outcome->image_dir != NULL)
    {
      g_autoptr(GTask) prune = g_task_new (NULL, NULL, NULL, NULL);

      g_task_set_task_data (prune, g_strdup (outcome->image_dir), g_free);
      g_task_run_in_thread (prune, prune_thread);
    }
  gtk_label_set_text (GTK_LABEL (self->done_label), text->str);
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->progress_page, TRUE);
  gtk_assistant_next_page (GTK_ASSISTANT (self));
}

static void
start_job (VlBenchAssistant *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->plan, vl_bench_plan_free);
  self->plan = vl_bench_assistant_build_plan (self, &error);
  if (self->plan == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->done_label), error->message);
      gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->progress_page, TRUE);
      gtk_assistant_next_page (GTK_ASSISTANT (self));
      return;
    }
  g_strfreev (self->names);
  self->names = g_new0 (char *, self->plan->configs->len + 1);
  for (guint i = 0; i < self->plan->configs->len; i++)
    self->names[i] = g_strdup (((VlBenchConfig *) g_ptr_array_index (self->plan->configs, i))->name);
  vl_bench_progress_clear (&self->progress);
  self->progress.config = -1;
  self->first_started = -1;
  self->estimate = vl_bench_estimate_seconds (self->plan->profile, self->plan->runs,
                                              (const char *const *) self->plan->tests,
                                              self->plan->configs->len, self->image_cached);
  gtk_label_set_text (GTK_LABEL (self->phase_label), self->image_cached
                                                       ? _("Checking the connections…")
                                                       : _("Building the benchmark guest image…"));
  gtk_label_set_text (GTK_LABEL (self->test_label), "");
  self->started = g_get_monotonic_time ();
  update_time (self);
  self->timer = g_timeout_add_seconds (1, tick, self);
  self->running = TRUE;
  g_clear_object (&self->job_cancel);
  self->job_cancel = g_cancellable_new ();
  vl_bench_job_run_async (self->plan, job_line, self, self->job_cancel, job_done, g_object_ref (self));
}

/* ---- cancel -------------------------------------------------------------------------------------- */

static void
confirm_response (GtkDialog *dialog, int response, VlBenchAssistant *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->running)
    {
      g_cancellable_cancel (self->job_cancel);
      gtk_label_set_text (GTK_LABEL (self->test_label),
                          _("Cancelling: stopping the guest and deleting its disks…"));
    }
  g_clear_pointer (&self->confirm, gtk_widget_destroy);
}

static void
ask_cancel (VlBenchAssistant *self)
{
  if (self->confirm != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->confirm));
      return;
    }
  self->confirm = gtk_message_dialog_new (GTK_WINDOW (self),
                                          GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                          GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s",
                                          _("Stop the benchmarks?"));
  gtk_message_dialog_format_secondary_text (
    GTK_MESSAGE_DIALOG (self->confirm), "%s",
    _("The running guest is stopped and its disks are deleted. The results "
       "gathered so far are kept in the result file, marked incomplete."));
  gtk_dialog_add_buttons (GTK_DIALOG (self->confirm), _("_Continue"), GTK_RESPONSE_CANCEL,
                          _("_Stop Benchmarks"), GTK_RESPONSE_ACCEPT, NULL);
  gtk_style_context_add_class (gtk_widget_get_style_context (
                                 gtk_dialog_get_widget_for_response (GTK_DIALOG (self->confirm),
                                                                     GTK_RESPONSE_ACCEPT)),
                               "destructive-action");
  g_signal_connect (self->confirm, "response", G_CALLBACK (confirm_response), self);
  gtk_widget_show (self->confirm);
}

void
vl_bench_assistant_vfunc_cancel (GtkAssistant *assistant)
{
  VlBenchAssistant *self = VL_BENCH_ASSISTANT (assistant);

  if (self->running)
    ask_cancel (self);
  else
    gtk_widget_destroy (GTK_WIDGET (self));
}

void
vl_bench_assistant_vfunc_close (GtkAssistant *assistant)
{
  gtk_widget_destroy (GTK_WIDGET (assistant));
}

gboolean
vl_bench_assistant_vfunc_delete_event (GtkWidget *widget, GdkEventAny *event)
{
  VlBenchAssistant *self = VL_BENCH_ASSISTANT (widget);

  if (!self->running)
    return GDK_EVENT_PROPAGATE;
  ask_cancel (self);
  return GDK_EVENT_STOP;
}

void
vl_bench_assistant_vfunc_prepare (GtkAssistant *assistant, GtkWidget *page)
{
  VlBenchAssistant *self = VL_BENCH_ASSISTANT (assistant);

  if (page == self->resources_page)
    vl_bench_assistant_validate_resources (self);
  else if (page == self->summary_page)
    vl_bench_assistant_update_summary (self);
  else if (page == self->progress_page && !self->running)
    start_job (self);
}

void
vl_bench_assistant_build_progress_page (VlBenchAssistant *self)
{
  GtkWidget *box = vl_bench_assistant_page_box ();
  GtkWidget *scrolled = gtk_scrolled_window_new (NULL, NULL);
  GtkWidget *console_title = gtk_label_new (_("The guest’s console"));

  self->phase_label = vl_bench_assistant_message_label ();
  gtk_style_context_add_class (gtk_widget_get_style_context (self->phase_label), "title-4");
  self->test_label = vl_bench_assistant_message_label ();
  self->time_label = vl_bench_assistant_message_label ();
  self->bar = gtk_progress_bar_new ();
  gtk_widget_set_visible (self->bar, TRUE);
  self->console = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->console), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (self->console), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->console), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->console), GTK_WRAP_WORD_CHAR);
  atk_object_set_name (gtk_widget_get_accessible (self->console), _("The guest’s console"));
  gtk_container_add (GTK_CONTAINER (scrolled), self->console);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_shadow_type (GTK_SCROLLED_WINDOW (scrolled), GTK_SHADOW_IN);
  gtk_widget_show_all (scrolled);
  gtk_label_set_xalign (GTK_LABEL (console_title), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (console_title), "dim-label");
  gtk_widget_set_visible (console_title, TRUE);
  gtk_container_add (GTK_CONTAINER (box), self->phase_label);
  gtk_container_add (GTK_CONTAINER (box), self->test_label);
  gtk_container_add (GTK_CONTAINER (box), self->bar);
  gtk_container_add (GTK_CONTAINER (box), self->time_label);
  gtk_container_add (GTK_CONTAINER (box), console_title);
  gtk_container_add (GTK_CONTAINER (box), scrolled);
  self->progress_page = box;
  gtk_assistant_append_page (GTK_ASSISTANT (self), box);
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), box, _("Running"));
  /* Custom, not "progress": GtkAssistant makes Cancel insensitive on a progress page until it is
   * complete, and Cancel must stop a run. A custom page has no Back (not committed either: that
   * hides Cancel). */
  gtk_assistant_set_page_type (GTK_ASSISTANT (self), box, GTK_ASSISTANT_PAGE_CUSTOM);

  box = vl_bench_assistant_page_box ();
  self->done_label = vl_bench_assistant_message_label ();
  gtk_container_add (GTK_CONTAINER (box), self->done_label);
  self->done_page = box;
  gtk_assistant_append_page (GTK_ASSISTANT (self), box);
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), box, _("Finished"));
  gtk_assistant_set_page_type (GTK_ASSISTANT (self), box, GTK_ASSISTANT_PAGE_SUMMARY);
}
