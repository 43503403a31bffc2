/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Run Benchmarks…: four steps over the benchmark job. The widgets never call libvirt: each host is
 * read by vl_bench_host_probe_async, the image by vl_bench_image_check_async, and the job runs in
 * its worker thread (vl-bench-job), its lines coming back on the main loop. Step 1, the configurations,
 * is in vl-bench-assistant-configs.c; the run, its progress and its end in vl-bench-assistant-run.c;
 * here the resources, the summary, and the assistant itself. */
#include "config.h"

#include <glib/gi18n.h>

#include "vl-bench-assistant-private.h"

G_DEFINE_FINAL_TYPE (VlBenchAssistant, vl_bench_assistant, GTK_TYPE_ASSISTANT)

enum { SIGNAL_RESULT_SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

void
vl_bench_assistant_emit_result_saved (VlBenchAssistant *self, const char *path)
{
  g_signal_emit (self, signals[SIGNAL_RESULT_SAVED], 0, path);
}

const char *
vl_bench_assistant_mode_label (VlBenchMode mode)
{
  switch (mode)
    {
    case VL_BENCH_MODE_XEN_PV:
      return _("Xen PV");
    case VL_BENCH_MODE_XEN_HVM:
      return _("Xen HVM");
    case VL_BENCH_MODE_KVM_HVM:
      return _("KVM HVM");
    case VL_BENCH_MODE_QEMU_TCG:
    default:
      return _("QEMU without acceleration");
    }
}

/* The study's names for its systems. */
const char *
vl_bench_assistant_mode_name (VlBenchMode mode)
{
  return mode == VL_BENCH_MODE_QEMU_TCG ? "QEMU" : vl_bench_mode_default_name (mode);
}

GtkWidget *
vl_bench_assistant_grid_label (const char *text)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_visible (label, TRUE);
  return label;
}

GtkWidget *
vl_bench_assistant_message_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* Selectable with the mouse, but not the first thing Tab reaches (it would select all its text). */
  gtk_widget_set_can_focus (label, FALSE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 80);
  gtk_widget_set_visible (label, TRUE);
  return label;
}

void
vl_bench_assistant_set_error (GtkWidget *label, const char *text)
{
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  gtk_widget_set_visible (label, text != NULL);
}

/* ---- step 2: resources --------------------------------------------------------------------------- */

VlBenchPlan *
vl_bench_assistant_build_plan (VlBenchAssistant *self, GError **error)
{
  g_autoptr(VlBenchPlan) plan = vl_bench_plan_new ();

  if (!vl_bench_assistant_collect_configs (self, plan, error))
    return NULL;
  plan->vcpus = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->vcpus));
  plan->memory_mib = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->memory));
  plan->scratch_mib = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->scratch));
  plan->runs = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->runs));
  vl_bench_profile_from_string (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->profile)), &plan->profile);
  plan->tests = g_strdupv (self->tests);
  if (!vl_bench_plan_check (plan, error))
    return NULL;
  for (guint i = 0; i < plan->configs->len; i++)
    {
      VlBenchConfig *config = g_ptr_array_index (plan->configs, i);

      if (!vl_bench_host_check (g_hash_table_lookup (self->hosts, config->uri), plan, error))
        return NULL;
    }
  return g_steal_pointer (&plan);
}

/* The study's sizes need bigger guests than the quick profile's defaults: choosing it raises the
 * memory and the scratch disk to what it needs (the user may raise them further; lower is refused). */
static void
vl_bench_assistant_profile_changed (VlBenchAssistant *self)
{
  g_autoptr(VlBenchPlan) plan = vl_bench_plan_new ();
  guint min_memory, min_scratch;

  vl_bench_profile_from_string (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->profile)), &plan->profile);
  plan->tests = g_strdupv (self->tests);
  vl_bench_plan_minimums (plan, &min_memory, &min_scratch);
  if ((guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->memory)) < min_memory)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->memory), min_memory);
  if ((guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->scratch)) < min_scratch)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->scratch), min_scratch);
  vl_bench_assistant_validate_resources (self);
}

void
vl_bench_assistant_validate_resources (VlBenchAssistant *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VlBenchPlan) plan = vl_bench_assistant_build_plan (self, &error);

  vl_bench_assistant_set_error (self->resources_error, plan != NULL ? NULL : error->message);
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->resources_page, plan != NULL);
}

/* ---- step 3: summary ----------------------------------------------------------------------------- */

char *
vl_bench_assistant_format_duration (guint seconds)
{
  if (seconds < 60)
    return g_strdup_printf (_("%u s"), seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%u min %02u s"), seconds / 60, seconds % 60);
  return g_strdup_printf (_("%u h %02u min"), seconds / 3600, seconds / 60 % 60);
}

void
vl_bench_assistant_update_summary (VlBenchAssistant *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VlBenchPlan) plan = vl_bench_assistant_build_plan (self, &error);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *estimate = NULL;

  if (plan == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->summary_label), error->message);
      gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->summary_page, FALSE);
      return;
    }
  g_string_append_printf (text, "<b>%s</b>\n", _("Configurations, one after the other"));
  for (guint i = 0; i < plan->configs->len; i++)
    {
      VlBenchConfig *config = g_ptr_array_index (plan->configs, i);
      g_autofree char *line = g_markup_printf_escaped (_("%u. %s: %s on %s"), i + 1, config->name,
                                                       vl_bench_assistant_mode_label (config->mode),
                                                       config->uri);

      g_string_append_printf (text, "%s\n", line);
    }
  g_string_append_printf (text, "\n<b>%s</b>\n", _("Each guest"));
  g_string_append_printf (text, _("%u vCPUs, %u MiB of memory, a %u MiB scratch disk"), plan->vcpus,
                          plan->memory_mib, plan->scratch_mib);
  g_string_append_printf (text, "\n\n<b>%s</b>\n", _("Tests"));
  g_string_append_printf (text, _("Profile: %s; runs of each test: %u"),
                          plan->profile == VL_BENCH_PROFILE_STUDY ? _("study") : _("quick"), plan->runs);
  if (plan->tests != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", plan->tests);
      g_autofree char *escaped = g_markup_escape_text (list, -1);

      g_string_append_printf (text, _(" (only %s)"), escaped);
    }
  estimate = vl_bench_assistant_format_duration (
    vl_bench_estimate_seconds (plan->profile, plan->runs, (const char *const *) plan->tests,
                               plan->configs->len, self->image_cached || !self->image_checked));
  g_string_append_printf (text, "\n\n<b>%s</b>\n", _("Estimated time"));
  g_string_append_printf (text, _("About %s"), estimate);
  if (self->image_checked && self->image_ok && !self->image_cached)
    g_string_append_printf (text, " %s", _("(the guest image is built first)"));
  gtk_label_set_markup (GTK_LABEL (self->summary_label), text->str);

  if (!self->image_checked)
    vl_bench_assistant_set_error (self->image_label,
                                  _("Checking whether the benchmark guest image can be built…"));
  else
    vl_bench_assistant_set_error (self->image_label, self->image_ok ? NULL : self->image_error);
  if (self->image_checked && !self->image_ok)
    gtk_style_context_add_class (gtk_widget_get_style_context (self->image_label), "error");
  gtk_widget_set_visible (self->image_button, self->image_checked && !self->image_ok);
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->summary_page, self->image_ok);
}

static void
image_check_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(VlBenchAssistant) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!vl_bench_image_check_finish (result, &self->image_cached, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->image_checked = TRUE;
  self->image_rechecking = FALSE;
  self->image_ok = error == NULL;
  g_free (self->image_error);
  self->image_error = error != NULL ? g_strdup (error->message) : NULL;
  if (gtk_assistant_get_nth_page (GTK_ASSISTANT (self), gtk_assistant_get_current_page (
                                                          GTK_ASSISTANT (self))) == self->summary_page)
    vl_bench_assistant_update_summary (self);
}

/* The image is prepared on the Host page (its Benchmark Image part runs the helper's bench-image step):
 * the main window shows it; this assistant stays open and looks again when it is back in front. */
static void
image_button_clicked (GtkButton *button, VlBenchAssistant *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent == NULL || !G_IS_ACTION_GROUP (parent) ||
      !g_action_group_has_action (G_ACTION_GROUP (parent), "show-page"))
    return;
  g_action_group_activate_action (G_ACTION_GROUP (parent), "show-page",
                                  g_variant_new_string ("host/bench-image"));
  gtk_window_present (parent);
}

static void
active_changed (VlBenchAssistant *self, GParamSpec *pspec, gpointer data)
{
  if (!gtk_window_is_active (GTK_WINDOW (self)) || !self->image_checked || self->image_ok ||
      self->image_rechecking)
    return;
  self->image_rechecking = TRUE;
  vl_bench_image_check_async (self->cancellable, image_check_done, g_object_ref (self));
}

/* ---- building ------------------------------------------------------------------------------------ */

GtkWidget *
vl_bench_assistant_page_box (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_container_set_border_width (GTK_CONTAINER (box), 12);
  gtk_widget_set_visible (box, TRUE);
  return box;
}

GtkWidget *
vl_bench_assistant_intro (const char *text)
{
  GtkWidget *label = vl_bench_assistant_message_label ();

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  return label;
}

GtkWidget *
vl_bench_assistant_spin (double min, double max, double step, double value, GCallback changed, gpointer self)
{
  GtkWidget *button = gtk_spin_button_new_with_range (min, max, step);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (button), value);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (button), TRUE);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  g_signal_connect_swapped (button, "value-changed", changed, self);
  gtk_widget_set_visible (button, TRUE);
  return button;
}

static void
build_resources_page (VlBenchAssistant *self)
{
  GtkWidget *box = vl_bench_assistant_page_box ();
  GtkWidget *grid = gtk_grid_new ();
  struct
  {
    const char *label, *unit;
    GtkWidget **widget;
  } rows[] = {
    { N_("_vCPUs:"), NULL, &self->vcpus },
    { N_("_Memory:"), N_("MiB"), &self->memory },
    { N_("_Scratch disk:"), N_("MiB"), &self->scratch },
    { N_("_Profile:"), NULL, &self->profile },
    { N_("_Runs of each test:"), NULL, &self->runs },
  };

  gtk_container_add (GTK_CONTAINER (box), vl_bench_assistant_intro (
                                            _("Every guest gets the same resources, so the results compare "
                                               "the configurations and not the guests. The quick profile "
                                               "takes minutes; the study’s sizes take hours.")));
  self->vcpus = vl_bench_assistant_spin (1, 64, 1, 2, G_CALLBACK (vl_bench_assistant_validate_resources),
                                         self);
  self->memory = vl_bench_assistant_spin (256, 1024 * 1024, 64, 1024,
                                          G_CALLBACK (vl_bench_assistant_validate_resources), self);
  self->scratch = vl_bench_assistant_spin (64, 1024 * 1024, 64, 512,
                                           G_CALLBACK (vl_bench_assistant_validate_resources), self);
  self->runs = vl_bench_assistant_spin (1, 100, 1, 3, G_CALLBACK (vl_bench_assistant_validate_resources),
                                        self);
  self->profile = gtk_combo_box_text_new ();
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->profile), "quick", _("Quick (minutes, small sizes)"));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->profile), "study",
                             _("Study (the 2010 study’s sizes, hours)"));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->profile), "quick");
  gtk_widget_set_halign (self->profile, GTK_ALIGN_START);
  g_signal_connect_swapped (self->profile, "changed", G_CALLBACK (vl_bench_assistant_profile_changed), self);
  gtk_widget_set_visible (self->profile, TRUE);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkWidget *label = vl_bench_assistant_grid_label (_(rows[i].label));

      gtk_label_set_mnemonic_widget (GTK_LABEL (label), *rows[i].widget);
      gtk_grid_attach (GTK_GRID (grid), label, 0, i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), *rows[i].widget, 1, i, 1, 1);
      if (rows[i].unit != NULL)
        {
          GtkWidget *unit = gtk_label_new (_(rows[i].unit));

          gtk_label_set_xalign (GTK_LABEL (unit), 0);
          gtk_widget_set_visible (unit, TRUE);
          gtk_grid_attach (GTK_GRID (grid), unit, 2, i, 1, 1);
        }
    }
  gtk_widget_set_visible (grid, TRUE);
  gtk_container_add (GTK_CONTAINER (box), grid);
  self->resources_error = vl_bench_assistant_message_label ();
  gtk_style_context_add_class (gtk_widget_get_style_context (self->resources_error), "error");
  gtk_container_add (GTK_CONTAINER (box), self->resources_error);
  self->resources_page = box;
  gtk_assistant_append_page (GTK_ASSISTANT (self), box);
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), box, _("Resources"));
}

static void
build_summary_page (VlBenchAssistant *self)
{
  GtkWidget *box = vl_bench_assistant_page_box ();

  self->summary_label = vl_bench_assistant_message_label ();
  gtk_container_add (GTK_CONTAINER (box), self->summary_label);
  self->image_label = vl_bench_assistant_message_label ();
  gtk_container_add (GTK_CONTAINER (box), self->image_label);
  self->image_button = gtk_button_new_with_mnemonic (_("_Prepare It on the Host Page"));
  gtk_widget_set_halign (self->image_button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (self->image_button,
                               _("The Host page’s Benchmark Image part builds the image once as root, for "
                                  "every user"));
  g_signal_connect (self->image_button, "clicked", G_CALLBACK (image_button_clicked), self);
  gtk_widget_set_no_show_all (self->image_button, TRUE);
  gtk_container_add (GTK_CONTAINER (box), self->image_button);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (active_changed), NULL);
  self->summary_page = box;
  gtk_assistant_append_page (GTK_ASSISTANT (self), box);
  gtk_assistant_set_page_title (GTK_ASSISTANT (self), box, _("Summary"));
  gtk_assistant_set_page_type (GTK_ASSISTANT (self), box, GTK_ASSISTANT_PAGE_CONFIRM);
}

static void
vl_bench_assistant_dispose (GObject *object)
{
  VlBenchAssistant *self = VL_BENCH_ASSISTANT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->confirm, gtk_widget_destroy);
  g_clear_handle_id (&self->timer, g_source_remove);
  G_OBJECT_CLASS (vl_bench_assistant_parent_class)->dispose (object);
}

static void
vl_bench_assistant_finalize (GObject *object)
{
  VlBenchAssistant *self = VL_BENCH_ASSISTANT (object);

  g_clear_object (&self->connections);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->job_cancel);
  g_hash_table_unref (self->hosts);
  g_strfreev (self->tests);
  g_strfreev (self->names);
  g_free (self->image_error);
  g_clear_pointer (&self->plan, vl_bench_plan_free);
  vl_bench_progress_clear (&self->progress);
  G_OBJECT_CLASS (vl_bench_assistant_parent_class)->finalize (object);
}

static void
vl_bench_assistant_class_init (VlBenchAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkAssistantClass *assistant_class = GTK_ASSISTANT_CLASS (klass);

  object_class->dispose = vl_bench_assistant_dispose;
  object_class->finalize = vl_bench_assistant_finalize;
  widget_class->delete_event = vl_bench_assistant_vfunc_delete_event;
  assistant_class->prepare = vl_bench_assistant_vfunc_prepare;
  assistant_class->cancel = vl_bench_assistant_vfunc_cancel;
  assistant_class->close = vl_bench_assistant_vfunc_close;
  signals[SIGNAL_RESULT_SAVED] = g_signal_new ("result-saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                               0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
vl_bench_assistant_init (VlBenchAssistant *self)
{
  self->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) vl_bench_host_free);
  self->cancellable = g_cancellable_new ();
  self->progress.config = -1;
  gtk_window_set_title (GTK_WINDOW (self), _("Run Benchmarks"));
  gtk_window_set_default_size (GTK_WINDOW (self), 760, 560);
  vl_bench_assistant_build_config_page (self);
  build_resources_page (self);
  build_summary_page (self);
  vl_bench_assistant_build_progress_page (self);
  /* The confirm page's button starts the run: GtkAssistant calls it Apply, which says nothing here.
   * It is the assistant's own template child (GTK 3's gtkassistant.ui names it "apply"). */
  {
    GObject *apply = G_OBJECT (
      gtk_widget_get_template_child (GTK_WIDGET (self), GTK_TYPE_ASSISTANT, "apply"));

    if (GTK_IS_BUTTON (apply))
      gtk_button_set_label (GTK_BUTTON (apply), _("_Run"));
  }
}

VlBenchAssistant *
vl_bench_assistant_new (GtkWindow *parent, GListModel *connections)
{
  VlBenchAssistant *self = g_object_new (VL_TYPE_BENCH_ASSISTANT, "use-header-bar", TRUE, NULL);

  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
    }
  self->connections = g_object_ref (connections);
  vl_bench_assistant_validate_configs (self);
  vl_bench_assistant_probe_connections (self);
  vl_bench_image_check_async (self->cancellable, image_check_done, g_object_ref (self));
  return self;
}

void
vl_bench_assistant_set_tests (VlBenchAssistant *self, const char *const *tests)
{
  g_return_if_fail (VL_IS_BENCH_ASSISTANT (self));
  g_strfreev (self->tests);
  self->tests = g_strdupv ((char **) tests);
}

gboolean
vl_bench_assistant_is_ready (VlBenchAssistant *self)
{
  return self->probing == 0;
}

gboolean
vl_bench_assistant_is_running (VlBenchAssistant *self)
{
  return self->running;
}
